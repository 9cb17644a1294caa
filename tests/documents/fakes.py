"""Deterministic translators for document tests: visibly different from the input."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Aligned:
    text: str
    alignment: tuple[tuple[int, int, int, int], ...]


def upper_aligned(text: str) -> Aligned:
    """Every word upper-cased in place; each word aligned to itself."""
    pieces: list[str] = []
    alignment = []
    position = cursor = 0
    for match in _WORD.finditer(text):
        gap = text[cursor : match.start()]
        word = match.group().upper()
        pieces += [gap, word]
        position += len(gap)
        alignment.append((match.start(), match.end(), position, position + len(word)))
        position += len(word)
        cursor = match.end()
    pieces.append(text[cursor:])
    return Aligned("".join(pieces), tuple(alignment))


def reversed_aligned(text: str) -> Aligned:
    """Words in reverse order, upper-cased; alignment follows the words."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    pieces: list[str] = []
    alignment = []
    position = 0
    for start, end in reversed(words):
        if pieces:
            pieces.append(" ")
            position += 1
        word = text[start:end].upper()
        pieces.append(word)
        alignment.append((start, end, position, position + len(word)))
        position += len(word)
    return Aligned("".join(pieces), tuple(alignment))


@dataclass
class FakeTranslator:
    """Records every call; `translate` decides the output of one text."""

    translate: Callable[[str], Aligned] = upper_aligned
    calls: list[list[str]] = field(default_factory=list)
    on_call: Callable[[int], None] | None = None

    def close(self) -> None:
        """Holds no model."""

    @property
    def texts_translated(self) -> list[str]:
        return [text for call in self.calls for text in call]

    def _record(self, texts: Sequence[str]) -> None:
        self.calls.append(list(texts))
        if self.on_call is not None:
            self.on_call(len(self.calls))

    def translate_segments(
        self,
        texts: Sequence[str],
        *,
        source: str | None = None,
        target: str | None = None,
        options: Any = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[str]:
        self._record(texts)
        if progress is not None:
            progress(len(texts), len(texts))
        return [self.translate(text).text for text in texts]

    def translate_aligned(
        self,
        texts: Sequence[str],
        *,
        source: str | None = None,
        target: str | None = None,
        options: Any = None,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[Aligned]:
        self._record(texts)
        if progress is not None:
            progress(len(texts), len(texts))
        return [self.translate(text) for text in texts]
