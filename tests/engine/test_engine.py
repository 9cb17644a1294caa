"""Whole-text translation: layout kept, nothing truncated, duplicates once, cache, raw parity."""

from __future__ import annotations

import re
import threading
from collections import Counter

import pytest
import sentencepiece as spm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.engine import Engine, ModelPackage, TranslationOptions, split_text
from desktop_app.errors import InputError, TranslationCancelled
from tests.engine.conftest import EchoTranslator, Recorder

WORDS = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"]


def _indentation(text: str) -> list[str]:
    return [re.match(r"\s*", line).group() for line in text.split("\n")]  # type: ignore[union-attr]


def _long_sentence(words: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(words))


def test_layout_is_kept(engine: Engine) -> None:
    text = (
        "  Title line\n\nFirst sentence. Second one!\r\n\n\tIndented: a list\n    - item one\n\n\n"
    )
    result = engine.translate(text)
    layout = split_text(text)
    assert result.text == layout.render(result.segments)
    assert _indentation(result.text) == _indentation(text)
    assert result.text.endswith("\n\n\n")
    assert result.text.count("\r\n") == 1


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t \r\n ",
        "\u200b\u200d\ufeff",
        "\x00\x07Hello\x1f there",
        "🙂🎉 👍",
        "{name} has %s new messages and {count} alerts.",
        "3.14 — 2,718 — 42!",
        "a" * 3000,
    ],
)
def test_degenerate_inputs_keep_their_layout(engine: Engine, text: str) -> None:
    result = engine.translate(text, options=TranslationOptions(beam_size=1))
    layout = split_text(text)
    assert len(result.segments) == len(layout.segments)
    assert result.text == layout.render(result.segments)


@pytest.mark.parametrize("text", ["", "  \n ", "🙂🎉", "3.14 — 42", "\u200b"])
def test_text_without_words_is_returned_unchanged(
    engine: Engine, recorder: Recorder, text: str
) -> None:
    assert engine.translate(text).text == text
    assert recorder.calls == []


def test_a_1500_token_sentence_is_cut_to_fit_and_fully_translated(
    engine: Engine, package: ModelPackage, recorder: Recorder
) -> None:
    text = _long_sentence(650)
    processor = spm.SentencePieceProcessor(model_file=str(package.path / "source.spm"))
    assert len(processor.encode(text)) > 1500
    limit = package.manifest.max_input_tokens
    engine.translate(text, options=TranslationOptions(beam_size=1))
    first = recorder.calls[0]
    assert all(len(source) <= limit for source in first.sources)
    # The pieces sent first (sorted by length) hold every word of the sentence, none dropped.
    pieces = [processor.decode_pieces(source[:-1]) for source in first.sources]
    assert len(pieces) > 1500 // limit
    assert Counter(" ".join(pieces).split()) == Counter(text.split())
    for call in recorder.calls:
        assert call.options["max_input_length"] == 0
        longest = max(len(source) for source in call.sources)
        # As long as the ratio asks, up to the decoder's positions (as many as the encoder's).
        assert call.options["max_decoding_length"] == min(3 * longest + 16, limit)


def test_echo_model_gives_back_long_text_exactly(echo_engine: Engine) -> None:
    """With a model that repeats its input, any loss of source text would show in the output."""
    text = f"{_long_sentence(40)}. {_long_sentence(700)}\n\n  {_long_sentence(7)}!"
    assert echo_engine.translate(text).text == text


def test_hypothesis_that_runs_out_of_length_is_redone_in_halves(echo_engine: Engine) -> None:
    text = _long_sentence(9)  # over EchoTranslator.ends_within tokens: it never ends whole
    result = echo_engine.translate(text, options=TranslationOptions(beam_size=1))
    assert result.text == text
    translator = echo_engine._decoder._translator  # type: ignore[union-attr]
    assert len(translator.calls) > 1
    assert all(len(source) <= EchoTranslator.ends_within for source in translator.calls[-1])


def test_duplicates_are_translated_once(engine: Engine, recorder: Recorder) -> None:
    engine.translate("Same sentence here. Other one. Same sentence here.\nSame sentence here.")
    assert len(recorder.calls[0].sources) == 2
    assert len({tuple(source) for source in recorder.sources}) == len(recorder.sources)


def test_cache_hit_skips_the_model(engine: Engine, recorder: Recorder) -> None:
    first = engine.translate("Please open the window.")
    calls = len(recorder.calls)
    assert engine.translate("Please open the window.").text == first.text
    assert len(recorder.calls) == calls
    engine.translate("Please open the window.", options=TranslationOptions(beam_size=2))
    assert len(recorder.calls) > calls  # other options: another cache entry


def test_cache_can_be_bypassed(engine: Engine, recorder: Recorder) -> None:
    engine.translate("Please open the window.")
    calls = len(recorder.calls)
    engine.translate("Please open the window.", options=TranslationOptions(use_cache=False))
    assert len(recorder.calls) > calls


def test_batches_depend_on_which_sentences_not_their_order(
    ending_engine: Engine, recorder: Recorder
) -> None:
    # What else is in a batch can change a translation: the same sentences, whichever order
    # a document or a resumed job brings them in, must meet the model in the same batches.
    sentences = [f"{subject} {verb} {place}." for subject in ("We", "They", "The cat")
                 for verb in ("sat", "ran", "slept") for place in ("here", "at home")]
    options = TranslationOptions(use_cache=False, max_batch_tokens=24, beam_size=1)

    def batches(texts: list[str]) -> list[tuple[tuple[str, ...], ...]]:
        recorder.calls.clear()
        ending_engine.translate_segments(texts, options=options)
        return sorted(tuple(tuple(source) for source in call.sources) for call in recorder.calls)

    forward = batches(sentences)
    assert len(forward) > 3
    assert batches(sentences[::-1]) == forward
    assert batches(sentences[1::2] + sentences[::2]) == forward


@pytest.mark.parametrize("beam_size", [1, 4])
def test_result_equals_raw_ctranslate2_on_the_same_tokens(
    ending_engine: Engine, ending_package: ModelPackage, recorder: Recorder, beam_size: int
) -> None:
    directory = ending_package.path
    processor = spm.SentencePieceProcessor(model_file=str(directory / "source.spm"))
    target = spm.SentencePieceProcessor(model_file=str(directory / "target.spm"))
    raw = recorder.real(str(directory), device="cpu", compute_type="float32")
    compared = 0
    for sentence in [
        "Hello world.",
        "Do you want tea or coffee?",
        "The meeting starts at nine.",
        "Same sentence here.",
        "Le renard brun saute.",
        "Please open the window; it is warm in here!",
    ]:
        tokens = [*processor.encode(sentence, out_type=str), "</s>"]
        limit = int(3 * len(tokens)) + 16
        (hypothesis,) = raw.translate_batch(
            [tokens], beam_size=beam_size, max_decoding_length=limit, return_end_token=True
        )
        output = hypothesis.hypotheses[0]
        if output[-1:] != ["</s>"]:
            continue  # ran out of length: the engine redoes it in halves instead
        expected = target.decode_pieces(output[:-1])
        result = ending_engine.translate(
            sentence, options=TranslationOptions(beam_size=beam_size, use_cache=False)
        )
        assert result.text == expected
        compared += 1
    assert compared >= 2


def test_translate_segments_reports_progress_and_keeps_each_layout(engine: Engine) -> None:
    texts = [
        "One cue.\nSecond line.",
        "  Indented paragraph. With two sentences.",
        "One cue.\nSecond line.",
        "",
    ]
    seen: list[tuple[int, int]] = []
    out = engine.translate_segments(
        texts,
        options=TranslationOptions(beam_size=1, max_batch_tokens=16),
        progress=lambda d, t: seen.append((d, t)),
    )
    assert len(out) == len(texts)
    assert out[0] == out[2]
    assert out[3] == ""
    for source, translated in zip(texts, out, strict=True):
        assert _indentation(translated) == _indentation(source)
    assert seen[-1] == (4, 4)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_translate_segments_stops_between_batches_when_cancelled(
    engine: Engine, recorder: Recorder
) -> None:
    cancel = threading.Event()
    texts = [f"Sentence number {word} here." for word in WORDS]
    with pytest.raises(TranslationCancelled):
        engine.translate_segments(
            texts,
            options=TranslationOptions(max_batch_tokens=16),
            progress=lambda d, t: cancel.set(),
            cancel=cancel,
        )
    # One sentence per batch, shortest first. The first may be redone in halves (this random
    # model rarely ends its outputs), which are shorter than it; any later batch is not.
    first, *redone = recorder.calls
    assert len(first.sources) == 1
    assert all(len(source) < len(first.sources[0]) for call in redone for source in call.sources)


def test_aligned_spans_point_at_words(engine: Engine) -> None:
    texts = ["Hello world. The quick brown fox!", "  Indented line here.\n🙂 42"]
    seen: list[tuple[int, int]] = []
    aligned = engine.translate_aligned(
        texts, options=TranslationOptions(beam_size=1), progress=lambda d, t: seen.append((d, t))
    )
    assert seen[-1] == (2, 2)
    plain = engine.translate_segments(texts, options=TranslationOptions(beam_size=1))
    assert [item.text for item in aligned] == plain
    for source, item in zip(texts, aligned, strict=True):
        for s0, s1, t0, t1 in item.alignment:
            assert 0 <= s0 < s1 <= len(source) and 0 <= t0 < t1 <= len(item.text)
            assert not any(char.isspace() for char in source[s0:s1] + item.text[t0:t1])
    assert len(aligned[0].alignment) >= 1
    # A segment kept as it is aligns word for word with itself.
    kept = [(t0, t1) for s0, s1, t0, t1 in aligned[1].alignment if texts[1][s0:s1] in ("🙂", "42")]
    assert [aligned[1].text[t0:t1] for t0, t1 in kept] == ["🙂", "42"]


def test_bad_requests_are_input_errors(engine: Engine) -> None:
    with pytest.raises(InputError, match="unknown option"):
        TranslationOptions.coerce({"beam": 2})  # as a settings file or a request may spell it
    with pytest.raises(InputError, match="no target language 'ja'"):
        engine.translate("Hi.", target="ja")


def test_min_length_holds_back_the_end_token(ending_engine: Engine) -> None:
    options = TranslationOptions(beam_size=1, min_length=6)
    result = ending_engine.translate("Hello world.", options=options)
    assert result.target_tokens >= 6


_WORD = st.sampled_from(["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "tea"])
# Sentences start with "The": other capitals are outside the tiny vocabulary.
_SENTENCE = st.lists(_WORD, max_size=30).map(lambda words: " ".join(["The", *words]) + ".")
_GAP = st.sampled_from([" ", "  ", "\n", "\n\n", "\t", " \r\n  ", "\u3000"])
_DOCUMENT = st.tuples(_GAP, st.lists(st.tuples(_SENTENCE, _GAP), max_size=8)).map(
    lambda parts: parts[0] + "".join(sentence + gap for sentence, gap in parts[1])
)


@settings(
    max_examples=60,
    deadline=None,
    database=None,
    # The engine holds no state between examples; the machine may be busy.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(_DOCUMENT)
def test_echo_translation_of_any_document_is_the_document(echo_engine: Engine, text: str) -> None:
    assert echo_engine.translate(text, options=TranslationOptions(beam_size=1)).text == text
