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
from collections.abc import Generator, Iterator
from typing import Any

from desktop_app.engine.decoding import Decoder
from desktop_app.engine.options import (
    SegmentDelta,
    SegmentDone,
    StreamEnd,
    StreamEvent,
    TranslationResult,
    delta_between,
)
from desktop_app.engine.pipeline import Plan
from desktop_app.engine.records import Request
from desktop_app.engine.segmenter import Layout
from desktop_app.engine.tokenizer import IncrementalDecoder


class _Shown:
    """What the consumer has been shown of a plan: the text streamed per piece so far, the
    text emitted per segment, and the next segment to report done (they go in order)."""

    def __init__(self, plan: Plan, decoder: Decoder) -> None:
        self.plan = plan
        self.streamed = [""] * len(plan.pieces)
        self.incremental: list[IncrementalDecoder] = [
            decoder.tokenizer.incremental() for _ in plan.pieces
        ]
        self.emitted = [""] * len(plan.finals)
        self.next_done = 0

    def push(self, piece: int, token: str) -> None:
        self.streamed[piece] += self.incremental[piece].push(token)

    def visible(self, segment: int) -> str:
        final = self.plan.finals[segment]
        if final is not None:
            return final.text
        text = ""
        for index in self.plan.pieces_of[segment]:
            piece = self.plan.pieces[index]
            if piece.final is None:
                return text + self.streamed[index]
            text += piece.final.text + piece.separator
        return text

    def delta(self, segment: int) -> Iterator[SegmentDelta]:
        visible = self.visible(segment)
        # A restart: the piece ran out of decoding length and was translated again in parts.
        delta = delta_between(segment, self.emitted[segment], visible)
        if delta is not None:
            yield delta
        self.emitted[segment] = visible

    def done_in_order(self) -> Iterator[SegmentDone]:
        finals = self.plan.finals
        while self.next_done < len(finals):
            final = finals[self.next_done]
            if final is None:
                return
            yield SegmentDone(self.next_done, final.text)
            self.next_done += 1


_TOKEN, _PIECES, _ERROR, _END = range(4)
# The first batch of a stream gets this fraction of the token budget, so the first segments
# appear (and Stop takes effect) quickly; each later batch doubles, up to the full budget.
_FIRST_SHARE = 8


def _decode_in_background(
    decoder: Decoder,
    request: Request,
    plan: Plan,
    events: queue.SimpleQueue[tuple[int, Any]],
    cancel: threading.Event,
) -> None:
    greedy = request.options.beam_size == 1
    try:
        budget = request.options.max_batch_tokens
        first = budget // _FIRST_SHARE
        for batch in plan.batches(budget, reading_order=True, first_batch_tokens=first):
            if cancel.is_set():
                return

            def on_token(step: Any, batch: list[int] = batch) -> bool:
                events.put((_TOKEN, (batch[step.batch_id], step.token)))
                return cancel.is_set()

            finished = decoder.decode_batch(
                plan, batch, request, on_token if greedy else None, cancel
            )
            if cancel.is_set():
                return
            events.put((_PIECES, finished))
    except Exception as exc:  # raised again in the consumer's thread, where it can be handled
        events.put((_ERROR, exc))
    finally:
        events.put((_END, None))


def stream_events(
    decoder: Decoder, layout: Layout, request: Request
) -> Generator[StreamEvent, None, None]:
    """Events of the translation of `layout`'s segments; closing the generator cancels decoding.

    The plan is settled in this (the consumer's) thread only; the decoding thread sends it
    tokens and finished pieces through a queue.
    """
    start = time.perf_counter()
    plan = Plan.of(decoder, layout.segments, request)
    shown = _Shown(plan, decoder)
    greedy = request.options.beam_size == 1
    events: queue.SimpleQueue[tuple[int, Any]] = queue.SimpleQueue()
    cancel = threading.Event()
    worker = threading.Thread(
        target=_decode_in_background,
        args=(decoder, request, plan, events, cancel),
        name="tolk-stream-decoder",
        daemon=True,
    )
    try:
        if greedy:
            for segment, final in enumerate(plan.finals):
                if final is not None:
                    yield from shown.delta(segment)
        yield from shown.done_in_order()
        worker.start()
        while True:
            kind, payload = events.get()
            if kind == _END:
                break
            if kind == _ERROR:
                raise payload
            if kind == _TOKEN:
                index, token = payload
                shown.push(index, token)
                yield from shown.delta(plan.pieces[index].owner)
                continue
            changed: set[int] = set()
            for index, translated in payload:
                changed.add(plan.pieces[index].owner)
                changed.update(plan.settle(index, translated))
            if greedy:
                for segment in sorted(changed):
                    yield from shown.delta(segment)
            yield from shown.done_in_order()
        finals = [plan.translation(index) for index in range(len(plan.finals))]
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
