"""Streaming translation: decoding runs in a background thread, events reach a lazy generator.

Greedy decoding (beam size 1) reports every token of every source of a batch through
CTranslate2's per-token callback, so all segments of a batch stream at once; beam search
reports whole segments when their batch ends. Segments are batched in reading order so the
first ones are shown first, and `SegmentDone` events always come in segment order.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from desktop_app.engine.alignment import Translated, join_translations
from desktop_app.engine.batching import token_batches
from desktop_app.engine.decoding import Decoder, Request
from desktop_app.engine.options import (
    SegmentDelta,
    SegmentDone,
    StreamEnd,
    StreamEvent,
    TranslationResult,
)
from desktop_app.engine.segmenter import Layout
from desktop_app.engine.tokenizer import IncrementalDecoder


@dataclass(eq=False)
class _Piece:
    """A part of a segment that fits the model input, and what is known of its translation."""

    segment: int
    text: str
    separator: str
    source: tuple[str, ...]
    incremental: IncrementalDecoder
    streamed: str = ""
    final: Translated | None = None


@dataclass(eq=False)
class _Progress:
    """The consumer's view: finished segments, what each segment has streamed so far."""

    finals: list[Translated | None]
    pieces: list[_Piece]
    pieces_of: dict[int, list[int]]
    twins: dict[int, list[int]]  # first segment of a text -> later segments with the same text
    emitted: list[str] = field(default_factory=list)
    next_done: int = 0

    def visible(self, segment: int) -> str:
        final = self.finals[segment]
        if final is not None:
            return final.text
        text = ""
        for index in self.pieces_of[segment]:
            piece = self.pieces[index]
            if piece.final is None:
                return text + piece.streamed
            text += piece.final.text + piece.separator
        return text

    def delta(self, segment: int) -> Iterator[SegmentDelta]:
        visible = self.visible(segment)
        emitted = self.emitted[segment]
        if visible.startswith(emitted):
            if len(visible) > len(emitted):
                yield SegmentDelta(segment, visible[len(emitted) :])
        else:  # the piece ran out of decoding length and was translated again in parts
            yield SegmentDelta(segment, visible, restart=True)
        self.emitted[segment] = visible

    def complete(self, segment: int) -> list[int]:
        """Segments finished now that the pieces of `segment` may all be final."""
        pieces = [self.pieces[index] for index in self.pieces_of[segment]]
        if any(piece.final is None for piece in pieces):
            return []
        whole = pieces[0].final
        assert whole is not None
        source_length = len(pieces[0].text)
        separator = pieces[0].separator
        for piece in pieces[1:]:
            assert piece.final is not None
            whole = join_translations(whole, separator, piece.final, source_length)
            source_length += len(separator) + len(piece.text)
            separator = piece.separator
        finished = [segment, *self.twins.get(segment, [])]
        for index in finished:
            self.finals[index] = whole
        return finished

    def done_in_order(self) -> Iterator[SegmentDone]:
        while self.next_done < len(self.finals):
            final = self.finals[self.next_done]
            if final is None:
                return
            yield SegmentDone(self.next_done, final.text)
            self.next_done += 1


def _plan(decoder: Decoder, layout: Layout, request: Request) -> _Progress:
    finals: list[Translated | None] = []
    pieces: list[_Piece] = []
    pieces_of: dict[int, list[int]] = {}
    twins: dict[int, list[int]] = {}
    first_of: dict[str, int] = {}
    for segment, text in enumerate(layout.segments):
        finals.append(decoder.cached(text, request))
        if finals[-1] is not None:
            continue
        if text in first_of:
            twins.setdefault(first_of[text], []).append(segment)
            continue
        first_of[text] = segment
        pieces_of[segment] = []
        for piece_text, separator in decoder.fit(text, request):
            pieces_of[segment].append(len(pieces))
            source = decoder.encode(piece_text, request)
            incremental = decoder.tokenizer.incremental()
            pieces.append(_Piece(segment, piece_text, separator, source, incremental))
    emitted = [""] * len(finals)
    return _Progress(finals, pieces, pieces_of, twins, emitted)


_TOKEN, _PIECES, _ERROR, _END = range(4)
# The first batch of a stream gets this fraction of the token budget, so the first segments
# appear (and Stop takes effect) quickly; each later batch doubles, up to the full budget.
_FIRST_SHARE = 8


def _decode_in_background(
    decoder: Decoder,
    request: Request,
    pieces: list[_Piece],
    events: queue.SimpleQueue[tuple[int, Any]],
    cancel: threading.Event,
) -> None:
    greedy = request.options.beam_size == 1
    try:
        budget = request.options.max_batch_tokens
        lengths = [len(piece.source) for piece in pieces]
        for batch in token_batches(lengths, budget, first_batch_tokens=budget // _FIRST_SHARE):
            if cancel.is_set():
                return

            def on_token(step: Any, batch: list[int] = batch) -> bool:
                events.put((_TOKEN, (batch[step.batch_id], step.token)))
                return cancel.is_set()

            sources = [pieces[index].source for index in batch]
            hypotheses = decoder.run_batch(sources, request, on_token if greedy else None)
            if cancel.is_set():
                return
            finished = []
            for index, hypothesis in zip(batch, hypotheses, strict=True):
                piece = pieces[index]
                translated = decoder.finish(piece.text, piece.source, hypothesis, request, cancel)
                finished.append((index, translated))
            events.put((_PIECES, finished))
    except Exception as exc:  # raised again in the consumer's thread, where it can be handled
        events.put((_ERROR, exc))
    finally:
        events.put((_END, None))


def stream_events(decoder: Decoder, layout: Layout, request: Request) -> Iterator[StreamEvent]:
    """Events of the translation of `layout`'s segments; closing the generator cancels decoding."""
    start = time.perf_counter()
    state = _plan(decoder, layout, request)
    greedy = request.options.beam_size == 1
    events: queue.SimpleQueue[tuple[int, Any]] = queue.SimpleQueue()
    cancel = threading.Event()
    worker = threading.Thread(
        target=_decode_in_background,
        args=(decoder, request, state.pieces, events, cancel),
        name="tolk-stream-decoder",
        daemon=True,
    )
    try:
        if greedy:
            for segment, final in enumerate(state.finals):
                if final is not None:
                    yield from state.delta(segment)
        yield from state.done_in_order()
        worker.start()
        while True:
            kind, payload = events.get()
            if kind == _END:
                break
            if kind == _ERROR:
                raise payload
            if kind == _TOKEN:
                index, token = payload
                piece = state.pieces[index]
                piece.streamed += piece.incremental.push(token)
                yield from state.delta(piece.segment)
                continue
            changed: set[int] = set()
            for index, translated in payload:
                segment = state.pieces[index].segment
                state.pieces[index].final = translated
                changed.add(segment)
                changed.update(state.complete(segment))
            if greedy:
                for segment in sorted(changed):
                    yield from state.delta(segment)
            yield from state.done_in_order()
        finals = [final for final in state.finals if final is not None]
        texts = [final.text for final in finals]
        yield StreamEnd(
            TranslationResult(
                text=layout.render(texts),
                segments=tuple(texts),
                source_tokens=sum(final.source_tokens for final in finals),
                target_tokens=sum(final.target_tokens for final in finals),
                seconds=time.perf_counter() - start,
            )
        )
    finally:
        cancel.set()
        if worker.is_alive():
            worker.join()
