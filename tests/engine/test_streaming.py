"""Streaming: event order, deltas that add up, early first event, prompt cancellation."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable

import pytest

from desktop_app.engine import (
    Engine,
    SegmentDelta,
    SegmentDone,
    StreamEnd,
    StreamEvent,
    TranslationOptions,
)
from desktop_app.errors import ModelError
from tests.engine.conftest import EchoTranslator, Recorder

TEXT = "Hello world. The quick fox!\n\n  Do you want tea or coffee?\nOpen the window.\n🙂 42"
MANY = " ".join(
    f"Sentence {word} is here."
    for word in ["one", "two", "three", "four", "five", "six", "seven", "eight"]
)


def _stream_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "tolk-stream-decoder"]


def _check_events(events: list[StreamEvent], segments: int, greedy: bool) -> dict[int, str]:
    """Assert the event contract; return the text streamed per segment."""
    assert isinstance(events[-1], StreamEnd)
    assert not any(isinstance(event, StreamEnd) for event in events[:-1])
    done = [event for event in events if isinstance(event, SegmentDone)]
    assert [event.index for event in done] == list(range(segments))
    streamed: dict[int, str] = {}
    finished: set[int] = set()
    for event in events[:-1]:
        if isinstance(event, SegmentDelta):
            assert greedy
            assert event.index not in finished
            before = "" if event.restart else streamed.get(event.index, "")
            streamed[event.index] = before + event.text
        elif isinstance(event, SegmentDone):
            finished.add(event.index)
            if greedy:
                assert streamed.get(event.index, "") == event.text
    result = events[-1].result  # type: ignore[union-attr]
    assert result.segments == tuple(event.text for event in done)
    return streamed


@pytest.mark.parametrize("beam_size", [1, 3])
def test_event_order_and_deltas_add_up(engine: Engine, beam_size: int) -> None:
    layout = engine.split(TEXT)
    options = TranslationOptions(beam_size=beam_size, max_batch_tokens=32)
    events = list(engine.stream(TEXT, options=options))
    _check_events(events, len(layout.segments), greedy=beam_size == 1)
    assert events[-1].result.text == layout.render(events[-1].result.segments)  # type: ignore[union-attr]


@pytest.mark.parametrize("fixture", ["engine", "ending_engine"])
def test_streamed_result_matches_translate_for_a_single_segment(
    fixture: str, request: pytest.FixtureRequest
) -> None:
    engine: Engine = request.getfixturevalue(fixture)
    # Without the cache: a random model's near-ties can differ between batch contexts.
    options = TranslationOptions(beam_size=1, use_cache=False)
    text = "Do you want tea or coffee?"
    events = list(engine.stream(text, options=options))
    assert events[-1].result.text == engine.translate(text, options=options).text  # type: ignore[union-attr]


def test_nothing_runs_until_iterated(engine: Engine, recorder: Recorder) -> None:
    events = engine.stream(MANY, options=TranslationOptions(beam_size=1))
    time.sleep(0.05)
    assert recorder.calls == []
    assert isinstance(list(events)[-1], StreamEnd)


@pytest.mark.parametrize("beam_size", [1, 2])
def test_first_event_arrives_before_the_last_segment_is_decoded(
    engine: Engine, recorder: Recorder, beam_size: int
) -> None:
    options = TranslationOptions(beam_size=beam_size, max_batch_tokens=16)
    events = engine.stream(MANY, options=options)
    first = next(events)
    assert isinstance(first, SegmentDelta if beam_size == 1 else SegmentDone)
    finished_at_first_event = sum(call.finished for call in recorder.calls)
    rest = list(events)
    assert finished_at_first_event < len(recorder.calls)
    assert isinstance(rest[-1], StreamEnd)


def test_closing_the_stream_cancels_decoding_promptly(engine: Engine, recorder: Recorder) -> None:
    text = " ".join([MANY] * 6)
    events = engine.stream(
        text, options=TranslationOptions(beam_size=1, max_batch_tokens=16, use_cache=False)
    )
    next(events)
    started = time.perf_counter()
    events.close()  # type: ignore[attr-defined]
    assert time.perf_counter() - started < 2.0
    assert _stream_threads() == []
    planned = len(engine.split(text).segments)
    assert len(recorder.calls) < planned  # decoding stopped before reaching the later batches


def test_runaway_segment_restarts_its_deltas_and_loses_no_text(echo_engine: Engine) -> None:
    long_sentence = "The quick brown fox jumps over the lazy dog and the cat"
    text = f"Hello there. {long_sentence}!\nThe end"
    events = list(echo_engine.stream(text, options=TranslationOptions(beam_size=1)))
    streamed = _check_events(events, 3, greedy=True)
    assert any(isinstance(event, SegmentDelta) and event.restart for event in events)
    assert events[-1].result.text == text  # type: ignore[union-attr]
    assert streamed[1] == f"{long_sentence}!"


def test_duplicate_and_cached_segments_are_streamed_too(engine: Engine, recorder: Recorder) -> None:
    engine.translate("Please open the window.", options=TranslationOptions(beam_size=1))
    text = "Please open the window. Hello again. Hello again."
    events = list(engine.stream(text, options=TranslationOptions(beam_size=1)))
    _check_events(events, 3, greedy=True)
    assert sum(source == recorder.sources[-1] for source in recorder.sources) == 1


def _drain(events: Iterable[StreamEvent]) -> None:
    for _ in events:
        pass


def test_model_failure_in_the_background_reaches_the_caller(
    echo_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(EchoTranslator, "fail_on", "▁fo")
    with pytest.raises(ModelError, match="simulated model failure"):
        _drain(echo_engine.stream("Hello. The brown fox.", options=TranslationOptions(beam_size=1)))
    assert _stream_threads() == []
