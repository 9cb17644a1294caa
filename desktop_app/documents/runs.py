"""Paragraphs made of formatted runs (Word, PowerPoint): one segment per paragraph.

The run formatting used by most characters is the paragraph's base; text in any other
formatting becomes a span. Everything that is not text (drawings, breaks, tabs, fields,
bookmarks, footnote references) is an anchor moved with the words next to it, as the
original element, so nested content (a text box's own paragraphs) keeps its translation.
"""

from __future__ import annotations

import copy
import itertools
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

from desktop_app.documents.inline import Node, build_tree
from desktop_app.documents.markup import trim
from desktop_app.documents.model import Segment, Span, TranslatedSegment


@dataclass(frozen=True, slots=True)
class Dialect:
    """Element names of one markup: WordprocessingML (w:) or DrawingML (a:)."""

    namespace: str
    containers: frozenset[str]  # paragraph children that hold runs (hyperlinks, insertions)
    trailing: frozenset[str]  # paragraph children that must stay last (a:endParaRPr)
    field_char: str | None  # complex-field delimiters; field results are not translated
    preserve_space: bool  # text elements need xml:space="preserve" to keep outer spaces
    spaces: frozenset[str]  # tabs and line breaks: a word boundary the model must see

    def tag(self, name: str) -> str:
        return f"{{{self.namespace}}}{name}"

    def name(self, element: Any) -> str:
        tag = element.tag
        if not isinstance(tag, str) or not tag.startswith(f"{{{self.namespace}}}"):
            return ""
        return tag.split("}", 1)[1]


@dataclass(frozen=True, slots=True)
class _Format:
    container: Any | None
    properties: Any | None  # the run's rPr element, copied for new runs


@dataclass(frozen=True, slots=True)
class _Atom:
    element: Any
    run_format: _Format | None  # None: a paragraph-level element, not inside a run


@dataclass(slots=True)
class Paragraph:
    """A paragraph element and what its segment's keys refer to."""

    element: Any
    items: tuple[_Format | _Atom, ...] = ()
    base: int = -1
    lead: str = ""
    trail: str = ""

    @property
    def base_format(self) -> _Format:
        item = self.items[self.base] if self.base >= 0 else None
        return item if isinstance(item, _Format) else _Format(None, None)


def paragraphs(root: Any, dialect: Dialect) -> Iterator[Paragraph]:
    for element in root.iter(dialect.tag("p")):
        yield Paragraph(element)


FormatId = tuple[int, bytes]  # (container identity, canonical run properties)


def extract(paragraph: Paragraph, dialect: Dialect) -> Segment:
    """The paragraph's text; formats other than the base one and anchors as spans."""
    keyed, formats, base = _keyed_pieces(paragraph.element, dialect)
    items: list[_Format | _Atom] = []
    index_of: dict[FormatId, int] = {}
    text_parts: list[str] = []
    spans: list[Span] = []
    length = 0
    for piece in keyed:
        if isinstance(piece, _Atom):
            if dialect.name(piece.element) in dialect.spaces:
                # The model sees a space; the tab or break replaces it on write.
                text_parts.append(" ")
                length += 1
            spans.append(Span(length, length, len(items)))
            items.append(piece)
            continue
        text, format_id = piece
        if format_id != base:
            key = index_of.setdefault(format_id, len(items))
            if key == len(items):
                items.append(formats[format_id])
            if spans and spans[-1].key == key and spans[-1].end == length:
                spans[-1] = Span(spans[-1].start, length + len(text), key)
            else:
                spans.append(Span(length, length + len(text), key))
        text_parts.append(text)
        length += len(text)
    if base is not None:
        paragraph.base = len(items)
        items.append(formats[base])
    trimmed = trim("".join(text_parts), spans, tuple(items))
    paragraph.items = tuple(items)
    paragraph.lead, paragraph.trail = trimmed.lead, trimmed.trail
    return trimmed.segment


def _keyed_pieces(
    element: Any, dialect: Dialect
) -> tuple[list[tuple[str, FormatId] | _Atom], dict[FormatId, _Format], FormatId | None]:
    """Pieces with their format ids, the formats, and the base: the most used by letters."""
    formats: dict[FormatId, _Format] = {}
    weights: Counter[FormatId] = Counter()
    keyed: list[tuple[str, FormatId] | _Atom] = []
    for piece in _pieces(element, dialect):
        if isinstance(piece, _Atom):
            keyed.append(piece)
            continue
        text, fmt = piece
        format_id = (id(fmt.container), _canonical(fmt.properties))
        formats.setdefault(format_id, fmt)
        weights[format_id] += len(text.strip())
        keyed.append((text, format_id))
    base = weights.most_common(1)[0][0] if weights else None
    return keyed, formats, base


def _pieces(element: Any, dialect: Dialect) -> Iterator[tuple[str, _Format] | _Atom]:
    in_field = 0
    for child in element:
        name = dialect.name(child)
        if name == "pPr" or name in dialect.trailing:
            continue
        if name in dialect.containers:
            runs = [(run, child) for run in child]
        elif name == "r":
            runs = [(child, None)]
        else:
            yield _Atom(child, None)
            continue
        for run, container in runs:
            if dialect.name(run) != "r":
                yield _Atom(run, None)
                continue
            fmt = _Format(container, run.find(dialect.tag("rPr")))
            for piece in _run_pieces(run, fmt, dialect, in_field):
                if isinstance(piece, int):
                    in_field += piece
                else:
                    yield piece


def _run_pieces(
    run: Any, fmt: _Format, dialect: Dialect, in_field: int
) -> Iterator[tuple[str, _Format] | _Atom | int]:
    for child in run:
        name = dialect.name(child)
        if name == "rPr":
            continue
        if name == "t" and not in_field:
            if child.text:
                yield child.text, fmt
            continue
        if dialect.field_char and name == dialect.field_char:
            kind = child.get(dialect.tag("fldCharType"))
            delta = 1 if kind == "begin" else -1 if kind == "end" else 0
            in_field = max(0, in_field + delta)
            yield delta
        yield _Atom(child, fmt)


def _canonical(properties: Any | None) -> bytes:
    return b"" if properties is None else etree.tostring(properties, method="c14n")


def write(paragraph: Paragraph, translated: TranslatedSegment, dialect: Dialect) -> None:
    """Replace the paragraph's runs with runs of the translated text."""
    element = paragraph.element
    trailing = [c for c in element if dialect.name(c) in dialect.trailing]
    for child in list(element):
        if dialect.name(child) != "pPr":
            element.remove(child)
    base = paragraph.base_format
    emitted: list[tuple[Any, Any | None]] = []  # (element, original container)
    if paragraph.lead:
        emitted.append(_text_run(paragraph.lead, base, dialect))
    for node in build_tree(translated.text, translated.spans):
        emitted.extend(_emit(node, base, paragraph.items, dialect))
    if paragraph.trail:
        emitted.append(_text_run(paragraph.trail, base, dialect))
    _drop_spaces_before_breaks(emitted, dialect)
    last_container: tuple[Any, Any] | None = None
    for child, container in emitted:
        if container is None:
            element.append(child)
            last_container = None
            continue
        if last_container is None or last_container[0] is not container:
            holder = container.makeelement(
                container.tag, dict(container.attrib), nsmap=container.nsmap
            )
            element.append(holder)
            last_container = (container, holder)
        last_container[1].append(child)
    for child in trailing:
        element.append(child)


def _drop_spaces_before_breaks(emitted: list[tuple[Any, Any | None]], dialect: Dialect) -> None:
    """A tab or break stood for a space in the model's text: remove that space again."""
    for previous, (element, _) in itertools.pairwise(emitted):
        if not any(dialect.name(child) in dialect.spaces for child in element.iter()):
            continue
        text = previous[0].find(dialect.tag("t"))
        if text is not None and text.text and text.text.endswith(" "):
            text.text = text.text[:-1]


def _emit(
    node: Node | str, fmt: _Format, items: tuple[_Format | _Atom, ...], dialect: Dialect
) -> Iterator[tuple[Any, Any | None]]:
    if isinstance(node, str):
        if node:
            yield _text_run(node, fmt, dialect)
        return
    item = items[node.key]
    if isinstance(item, _Atom):
        if item.run_format is None:
            yield item.element, None
        else:
            run = _new_run(item.run_format, dialect)
            run.append(item.element)
            yield run, item.run_format.container
        return
    for child in node.children:
        yield from _emit(child, item, items, dialect)


def _new_run(fmt: _Format, dialect: Dialect) -> Any:
    run = etree.Element(dialect.tag("r"))
    if fmt.properties is not None:
        run.append(copy.deepcopy(fmt.properties))
    return run


def _text_run(text: str, fmt: _Format, dialect: Dialect) -> tuple[Any, Any | None]:
    run = _new_run(fmt, dialect)
    node = etree.SubElement(run, dialect.tag("t"))
    node.text = text
    if text != text.strip() and dialect.preserve_space:
        node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run, fmt.container
