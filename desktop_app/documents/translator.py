"""What the job runner needs from a translator: the engine, or a fake in tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Protocol


class AlignedText(Protocol):
    """A translation with word alignment: (source_start, source_end, target_start, target_end)."""

    @property
    def text(self) -> str: ...

    @property
    def alignment(self) -> tuple[tuple[int, int, int, int], ...]: ...


class Translator(Protocol):
    """The two engine calls documents use (desktop_app.engine.Engine satisfies this)."""

    def translate_segments(
        self,
        texts: Sequence[str],
        *,
        source: str | None = ...,
        target: str | None = ...,
        options: Any = ...,
        progress: Callable[[int, int], None] | None = ...,
        cancel: threading.Event | None = ...,
    ) -> list[str]: ...

    def translate_aligned(
        self,
        texts: Sequence[str],
        *,
        source: str | None = ...,
        target: str | None = ...,
        options: Any = ...,
        progress: Callable[[int, int], None] | None = ...,
        cancel: threading.Event | None = ...,
    ) -> Sequence[AlignedText]: ...


class ClosableTranslator(Translator, Protocol):
    """A translator that holds a model until closed: what the app opens for each job."""

    def close(self) -> None: ...
