"""Segments of text formats whose inline markup is literal text (subtitles, Markdown).

A `MarkupBuilder` collects plain text and inline elements as they are parsed; each element
is a `Wrapper` of literal markup written around (or in place of) its content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

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
    wrappers: tuple[Wrapper, ...]
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


def trim(text: str, spans: list[Span], wrappers: tuple[Wrapper, ...]) -> MarkupSegment:
    """Cut the whitespace from both ends of `text`; spans are clipped into what remains."""
    stripped = text.strip()
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(lead) + len(stripped) :]
    size = len(stripped)
    moved = tuple(
        Span(
            min(max(s.start - len(lead), 0), size),
            min(max(s.end - len(lead), 0), size),
            s.key,
            s.protected,
        )
        for s in spans
    )
    return MarkupSegment(Segment(stripped, moved), wrappers, lead, trail)


def render(
    translated: TranslatedSegment,
    wrappers: tuple[Wrapper, ...],
    escape: Callable[[str], str] = lambda text: text,
) -> str:
    """The translated text with every placed element's literal markup around it."""
    return "".join(_render(node, wrappers, escape) for node in build_tree(translated.text, translated.spans))


def _render(node: Node | str, wrappers: tuple[Wrapper, ...], escape: Callable[[str], str]) -> str:
    if isinstance(node, str):
        return escape(node)
    wrapper = wrappers[node.key]
    inner_escape = (lambda text: text) if wrapper.protected else escape
    inner = "".join(_render(child, wrappers, inner_escape) for child in node.children)
    return f"{wrapper.open}{inner}{wrapper.close}"
