"""Segments of text formats whose inline markup is literal text (subtitles, Markdown).

A `MarkupBuilder` collects plain text and inline elements as they are parsed; each element
is a `Wrapper` of literal markup written around (or in place of) its content.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop_app.documents.inline import Node, build_tree
from desktop_app.documents.model import Segment, Span, TranslatedSegment


@dataclass(frozen=True, slots=True)
class Wrapper:
    """Literal markup around an element's content; `close` is empty for an atom."""

    open: str
    close: str = ""
    protected: bool = False


@dataclass(frozen=True, slots=True)
class MarkupSegment:
    """A segment with the whitespace cut from its ends and the literal of each element."""

    segment: Segment
    wrappers: tuple[Any, ...]
    lead: str = ""
    trail: str = ""


@dataclass(slots=True)
class MarkupBuilder:
    """Accumulates text and elements in source order."""

    text: list[str] = field(default_factory=list)
    length: int = 0
    spans: list[Span] = field(default_factory=list)
    wrappers: list[Wrapper] = field(default_factory=list)
    open_stack: list[tuple[int, Wrapper]] = field(default_factory=list)

    def add_text(self, value: str) -> None:
        self.text.append(value)
        self.length += len(value)

    def atom(self, literal: str) -> None:
        self._add(self.length, self.length, Wrapper(literal))

    def open(self, wrapper: Wrapper) -> None:
        self.open_stack.append((self.length, wrapper))

    def close(self) -> None:
        start, wrapper = self.open_stack.pop()
        self._add(start, self.length, wrapper)

    def protected(self, wrapper: Wrapper, content: str) -> None:
        start = self.length
        self.add_text(content)
        self._add(start, self.length, wrapper)

    def _add(self, start: int, end: int, wrapper: Wrapper) -> None:
        self.spans.append(Span(start, end, len(self.wrappers), wrapper.protected))
        self.wrappers.append(wrapper)

    def build(self) -> MarkupSegment:
        """Close what is still open (as atoms: an unclosed tag stays where it was) and trim."""
        while self.open_stack:
            start, wrapper = self.open_stack.pop()
            self._add(start, start, Wrapper(wrapper.open))
        return trim("".join(self.text), self.spans, tuple(self.wrappers))


def trim(text: str, spans: list[Span], wrappers: tuple[Any, ...]) -> MarkupSegment:
    """Cut outer whitespace from `text`, but not past an element (it must stay in place)."""
    lead_size = len(text) - len(text.lstrip())
    trail_start = len(text.rstrip()) if text.strip() else lead_size
    if spans:
        lead_size = min(lead_size, *(s.start for s in spans))
        trail_start = max(trail_start, *(s.end for s in spans))
    core = text[lead_size:trail_start]
    moved = tuple(Span(s.start - lead_size, s.end - lead_size, s.key, s.protected) for s in spans)
    return MarkupSegment(Segment(core, moved), wrappers, text[:lead_size], text[trail_start:])


def render(
    translated: TranslatedSegment,
    wrappers: tuple[Wrapper, ...],
    escape: Callable[[str], str] = lambda text: text,
) -> str:
    """The translated text with every placed element's literal markup around it."""
    return "".join(
        _render(node, wrappers, escape) for node in build_tree(translated.text, translated.spans)
    )


def _render(node: Node | str, wrappers: tuple[Wrapper, ...], escape: Callable[[str], str]) -> str:
    if isinstance(node, str):
        return escape(node)
    wrapper = wrappers[node.key]
    inner_escape = (lambda text: text) if wrapper.protected else escape
    inner = "".join(_render(child, wrappers, inner_escape) for child in node.children)
    return f"{wrapper.open}{inner}{wrapper.close}"


def rebreak(text: str, breaks: Sequence[float]) -> str:
    """Turn spaces of `text` into line breaks at the relative positions `breaks`."""
    spaces = [i for i, char in enumerate(text) if char == " "]
    characters = list(text)
    last = -1
    for relative in breaks:
        free = [i for i in spaces if i > last]
        if not free:
            break
        last = min(free, key=lambda i: abs(i - relative * len(text)))
        characters[last] = "\n"
    return "".join(characters)
