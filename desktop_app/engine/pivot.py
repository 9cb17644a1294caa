"""Translating through English when no installed model serves a pair directly.

Most Argos packages are X↔English: with X→en and en→Y installed, `PivotEngine` translates X→Y
in two hops, and offers what `Engine` offers (text, streams, documents' segments with their
word alignments), so the command line and document jobs use it unchanged. The first hop runs
whole and batched; the second streams. Word alignments are composed through the English
words, so inline formatting still lands on the words it covered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_app.engine.alignment import AlignedTranslation
from desktop_app.engine.engine import Engine, EngineSettings
from desktop_app.engine.options import (
    Closing,
    SegmentDone,
    StreamEnd,
    StreamEvent,
    TranslationOptions,
    TranslationResult,
    TranslationStream,
    apply_event,
    delta_between,
)
from desktop_app.engine.package import ModelPackage
from desktop_app.engine.records import Span
from desktop_app.engine.segmenter import Layout, split_text
from desktop_app.errors import InputError

VIA = "en"
VIA_NAME = "English"


@dataclass(frozen=True, slots=True)
class Route:
    """How a pair is served: one package, or two through English."""

    first: ModelPackage
    second: ModelPackage | None = None

    @property
    def identity(self) -> str:
        """What translations are made with (see `ModelPackage.identity`), both models."""
        second = f"+{self.second.identity}" if self.second is not None else ""
        return self.first.identity + second


def route(packages: Sequence[ModelPackage], source: str, target: str) -> Route:
    """The package for `source`→`target`, else the two that go through English.

    Raises:
        InputError: neither exists, naming what to install.
    """
    for package in packages:
        if package.manifest.languages.supports(source, target):
            return Route(package)
    if VIA not in (source, target):
        into = next((p for p in packages if p.manifest.languages.supports(source, VIA)), None)
        out_of = next((p for p in packages if p.manifest.languages.supports(VIA, target)), None)
        if into is not None and out_of is not None:
            return Route(into, out_of)
    raise InputError(
        f"no installed model translates {source} to {target}, directly or through English; "
        f"install one ('tolk models available --from {source}')"
    )


def open_route(settings: EngineSettings, chosen: Route) -> Engine | PivotEngine:
    """The engine for a route: one package's, or two through English."""
    first = settings.open(chosen.first)
    if chosen.second is None:
        return first
    try:
        return PivotEngine(first, settings.open(chosen.second))
    except BaseException:
        first.close()
        raise


@dataclass(frozen=True, slots=True)
class PairOfPackages:
    """What a pivot engine shows where an engine shows its package."""

    name: str
    path: Path


class PivotEngine(Closing):
    """Two engines, X→English and English→Y, used as one X→Y engine."""

    def __init__(self, first: Engine, second: Engine) -> None:
        self.first, self.second = first, second
        self.device, self.compute_type = second.device, second.compute_type
        self.device_reason = second.device_reason
        self.identity = Route(first.package, second.package).identity
        self.package = PairOfPackages(
            f"{first.package.name} + {second.package.name} (via {VIA_NAME})", second.package.path
        )

    def close(self) -> None:
        self.first.close()
        self.second.close()

    def split(self, text: str) -> Layout:
        return split_text(text)

    def translate(
        self,
        text: str,
        source: str | None = None,
        target: str | None = None,
        options: TranslationOptions | None = None,
    ) -> TranslationResult:
        started = time.perf_counter()
        layout = split_text(text)
        middle = self.first.translate_each(layout.segments, source, VIA, options)
        final = self.second.translate_each([m.text for m in middle], VIA, target, options)
        texts = [result.text for result in final]
        return TranslationResult(
            text=layout.render(texts),
            segments=tuple(texts),
            source_tokens=sum(result.source_tokens for result in middle),
            target_tokens=sum(result.target_tokens for result in final),
            seconds=time.perf_counter() - started,
        )

    def stream(
        self,
        text: str,
        source: str | None = None,
        target: str | None = None,
        options: TranslationOptions | None = None,
    ) -> TranslationStream:
        """As `Engine.stream`: segment indexes refer to `split(text)`; the second hop streams
        each segment's English translation in turn."""
        return TranslationStream(self._events(text, source, target, options))

    def _events(
        self, text: str, source: str | None, target: str | None, options: TranslationOptions | None
    ) -> Generator[StreamEvent, None, None]:
        started = time.perf_counter()
        layout = split_text(text)
        middle = self.first.translate_each(layout.segments, source, VIA, options)
        finals: list[str] = []
        target_tokens = 0
        for index, english in enumerate(middle):
            inner_layout = self.second.split(english.text)
            parts = [""] * len(inner_layout.segments)
            shown = ""
            with self.second.stream(english.text, VIA, target, options) as inner:
                for event in inner:
                    if isinstance(event, StreamEnd):
                        finals.append(event.result.text)
                        target_tokens += event.result.target_tokens
                        break
                    apply_event(parts, event)
                    visible = inner_layout.render_partial(parts)
                    delta = delta_between(index, shown, visible)
                    if delta is not None:
                        yield delta
                    shown = visible
            yield SegmentDone(index, finals[-1])
        yield StreamEnd(TranslationResult(
            text=layout.render(finals), segments=tuple(finals),
            source_tokens=sum(result.source_tokens for result in middle),
            target_tokens=target_tokens, seconds=time.perf_counter() - started,
        ))

    def translate_segments(
        self,
        texts: Sequence[str],
        source: str | None = None,
        target: str | None = None,
        options: TranslationOptions | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[str]:
        first, second = _halves(progress)
        middle = self.first.translate_segments(
            texts, source, VIA, options, progress=first, cancel=cancel
        )
        return self.second.translate_segments(
            middle, VIA, target, options, progress=second, cancel=cancel
        )

    def translate_aligned(
        self,
        texts: Sequence[str],
        source: str | None = None,
        target: str | None = None,
        options: TranslationOptions | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[AlignedTranslation]:
        """Each text's translation, its words aligned with the source words through the
        English words between them."""
        first, second = _halves(progress)
        middle = self.first.translate_aligned(
            texts, source, VIA, options, progress=first, cancel=cancel
        )
        final = self.second.translate_aligned(
            [m.text for m in middle], VIA, target, options, progress=second, cancel=cancel
        )
        return [
            AlignedTranslation(out.text, compose(into.alignment, out.alignment))
            for into, out in zip(middle, final, strict=True)
        ]


def compose(into: Sequence[Span], out_of: Sequence[Span]) -> tuple[Span, ...]:
    """Source→English and English→target word spans as source→target spans: each target word
    gets the source words of the English words it was aligned with."""
    composed = []
    for middle_start, middle_end, target_start, target_end in out_of:
        sources = [
            (source_start, source_end)
            for source_start, source_end, start, end in into
            if start < middle_end and end > middle_start
        ]
        if sources:
            composed.append((min(s for s, _ in sources), max(e for _, e in sources),
                             target_start, target_end))
    return tuple(composed)


def _halves(
    progress: Callable[[int, int], None] | None,
) -> tuple[Callable[[int, int], None] | None, Callable[[int, int], None] | None]:
    """The job's progress split between the two hops: each moves half of it."""
    if progress is None:
        return None, None
    report = progress

    def first(done: int, total: int) -> None:
        report(done // 2, total)

    def second(done: int, total: int) -> None:
        report((total + done) // 2, total)

    return first, second
