"""The segment model shared by every format handler and the job runner."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, ClassVar, Generic, TypeVar

StateT = TypeVar("StateT")


@dataclass(frozen=True, slots=True)
class Span:
    """An inline element over `text[start:end]` of a segment (bold word, link, code, tag).

    Attributes:
        start: first character covered.
        end: one past the last character; equal to `start` for an empty element (line break,
            image, placeholder tag), which is carried as an anchor between words.
        key: the handler's index of the inline element, in the handler's own segment state.
        protected: the covered text must come out verbatim (code, printf placeholders).
    """

    start: int
    end: int
    key: int
    protected: bool = False

    @property
    def empty(self) -> bool:
        return self.start == self.end


@dataclass(frozen=True, slots=True)
class Segment:
    """One unit of translation: a whole paragraph, cue, heading, cell or message.

    `text` is what the translator sees: trimmed, without markup; `spans` say where the
    inline elements sit in it (properly nested or disjoint, as in the source tree).
    """

    text: str
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class TranslatedSegment:
    """A translation with the inline elements that could be carried into it.

    Spans that found no place are left out: their text is in `text` anyway, and their
    formatting falls back to the enclosing run.
    """

    text: str
    spans: tuple[Span, ...]
    spans_total: int
    spans_placed: int


def identity(segment: Segment) -> TranslatedSegment:
    """The segment as its own translation (round-trip tests, untranslatable segments)."""
    return TranslatedSegment(segment.text, segment.spans, len(segment.spans), len(segment.spans))


@dataclass(frozen=True, slots=True)
class Extracted(Generic[StateT]):
    """What a handler read from a file: the segments and whatever it needs to write back."""

    segments: tuple[Segment, ...]
    state: StateT


class FormatHandler(ABC, Generic[StateT]):
    """One document format: read segments out of a file and write a translated file.

    Subclasses import their parser inside methods, so that loading the registry stays cheap.
    """

    extensions: ClassVar[tuple[str, ...]]
    description: ClassVar[str]
    bilingual_supported: ClassVar[bool] = False
    max_input_bytes: ClassVar[int] = 64 * 1024 * 1024  # checked before the file is read

    @abstractmethod
    def extract(self, data: bytes) -> Extracted[StateT]:
        """Parse `data` (the file's bytes); raise DocumentError when it is not this format."""

    @abstractmethod
    def write(
        self,
        extracted: Extracted[StateT],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        """Return the translated file; `translations[i]` translates `extracted.segments[i]`."""


class StreamingHandler(FormatHandler[StateT]):
    """A format whose large files are read and written in parts of bounded size, so that
    memory stays flat however large the file is. Writing part after part, in order, gives
    the translated file."""

    stream_above_bytes: ClassVar[int] = 4 * 1024 * 1024

    @abstractmethod
    def extract_parts(self, stream: BinaryIO) -> Iterator[Extracted[StateT]]:
        """Parts of the file in order; each is written with `write` like a whole file."""


AnyHandler = FormatHandler[Any]
