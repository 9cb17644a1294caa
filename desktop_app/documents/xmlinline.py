"""Segments of XML/HTML mixed content: a block's text with its inline elements as spans.

A block's content between its block-level children forms a group; each group is one
segment (a paragraph is one sentence stream, never one segment per text node). On write,
the group's text and inline children are replaced by the rendered translation; inline
elements are re-created from shallow copies, atoms (images, breaks, placeholders, notes) and
protected elements (code) are moved over whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from desktop_app.documents.inline import Node, build_tree
from desktop_app.documents.markup import trim
from desktop_app.documents.model import Segment, Span, TranslatedSegment

_SPACES = re.compile(r"[ \t\n\r\f]+")  # HTML/ODF white space: a no-break space is text


class Kind(Enum):
    INLINE = "inline"  # formatting around translated text (b, a, span, g)
    ATOM = "atom"  # an empty element carried as an anchor (br, img, x)
    PROTECTED = "protected"  # kept verbatim with its content (code, translate="no")
    SPACE = "space"  # an empty element that stands for whitespace (ODF text:s, text:tab)
    BLOCK = "block"  # its own segments (p, li, td)
    SKIP = "skip"  # left alone entirely (script, style, pre)


Classifier = Callable[[Any], Kind]


@dataclass(slots=True)
class Group:
    """Inline content of `parent` between two block children (or its ends)."""

    parent: Any
    before: Any | None  # the block child this group follows, or None: parent.text leads
    children: list[Any]
    elements: tuple[Any, ...] = ()
    lead: str = ""
    trail: str = ""


@dataclass(slots=True)
class _Builder:
    collapse: bool
    text: list[str] = field(default_factory=list)
    length: int = 0
    spans: list[Span] = field(default_factory=list)
    elements: list[Any] = field(default_factory=list)

    def add(self, value: str | None) -> None:
        if not value:
            return
        if self.collapse:
            value = _SPACES.sub(" ", value)
            if value.startswith(" ") and self.text and self.text[-1].endswith(" "):
                value = value[1:]
        self.text.append(value)
        self.length += len(value)

    def span(self, start: int, element: Any, protected: bool = False) -> None:
        self.spans.append(Span(start, self.length, len(self.elements), protected))
        self.elements.append(element)


def groups(root: Any, classify: Classifier) -> Iterator[Group]:
    """Every group with translatable text under `root`, in document order."""
    kind = classify(root)
    if kind in (Kind.SKIP, Kind.PROTECTED):
        return
    current = Group(root, None, [])
    has_text = bool(root.text and root.text.strip())
    for child in root:
        child_kind = classify(child)
        if child_kind == Kind.ATOM:
            yield from _nested_groups(child, classify)
        if child_kind in (Kind.BLOCK, Kind.SKIP):
            if has_text or _has_text(current.children, classify):
                yield current
            yield from groups(child, classify)
            current = Group(root, child, [])
            has_text = bool(child.tail and child.tail.strip())
        else:
            current.children.append(child)
            has_text = has_text or bool(child.tail and child.tail.strip())
    if has_text or _has_text(current.children, classify):
        yield current


def _nested_groups(atom: Any, classify: Classifier) -> Iterator[Group]:
    """Blocks inside an anchor (a note's body, a text box): atoms move whole, so their
    nested paragraphs are translated in place."""
    for child in atom:
        kind = classify(child)
        if kind == Kind.BLOCK:
            yield from groups(child, classify)
        elif kind not in (Kind.SKIP, Kind.PROTECTED):
            yield from _nested_groups(child, classify)


def _has_text(children: list[Any], classify: Classifier) -> bool:
    return any(classify(c) == Kind.INLINE and "".join(c.itertext()).strip() for c in children)


def extract(group: Group, classify: Classifier, *, collapse: bool) -> Segment:
    """The group's segment; remembers the elements and outer whitespace on the group."""
    builder = _Builder(collapse)
    lead_text = group.parent.text if group.before is None else group.before.tail
    builder.add(lead_text)
    for child in group.children:
        _walk(child, classify, builder)
        builder.add(child.tail)
    trimmed = trim("".join(builder.text), builder.spans, tuple(builder.elements))
    group.elements = trimmed.wrappers
    group.lead, group.trail = trimmed.lead, trimmed.trail
    return trimmed.segment


def _walk(element: Any, classify: Classifier, builder: _Builder) -> None:
    kind = classify(element)
    start = builder.length
    if kind == Kind.INLINE:
        builder.add(element.text)
        for child in element:
            _walk(child, classify, builder)
            builder.add(child.tail)
        builder.span(start, element)
    elif kind == Kind.SPACE:
        # The model must see a word boundary here; the element replaces that space on write.
        builder.add(" ")
        builder.span(builder.length, element)
    elif kind == Kind.PROTECTED:
        builder.add("".join(element.itertext()))
        builder.span(start, element, protected=True)
    else:
        builder.span(start, element)


# Characters an XML tree cannot hold. An HTML parser lets them through (as a parse error);
# a translation that copies one would fail to be written.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """`text` with each character XML cannot hold replaced by a space (offsets unchanged)."""
    return _NOT_XML.sub(" ", text)


def write(group: Group, translated: TranslatedSegment, classify: Classifier) -> None:
    """Replace the group's content in the tree with `translated`."""
    translated = replace(translated, text=xml_safe(translated.text))
    parent = group.parent
    for child in group.children:
        parent.remove(child)
    nodes = build_tree(translated.text, translated.spans)
    holder = _Holder(group.lead)
    built = [_build(node, group.elements, classify, holder) for node in nodes]
    holder.append(group.trail)
    index = 0 if group.before is None else parent.index(group.before) + 1
    if group.before is None:
        parent.text = holder.leading or None
    else:
        group.before.tail = holder.leading
    elements = [b for b in built if not isinstance(b, str)]
    for offset, element in enumerate(elements):
        parent.insert(index + offset, element)
    group.children = elements


@dataclass(slots=True)
class _Holder:
    """Puts text into the right place: before the first element, or the last one's tail."""

    leading: str
    last: Any | None = None

    def drop_final_space(self) -> None:
        if self.last is None:
            self.leading = self.leading[:-1] if self.leading.endswith(" ") else self.leading
        elif self.last.tail and self.last.tail.endswith(" "):
            self.last.tail = self.last.tail[:-1]

    def append(self, value: str) -> None:
        if self.last is None:
            self.leading += value
        else:
            self.last.tail = (self.last.tail or "") + value


def _build(
    node: Node | str, elements: tuple[Any, ...], classify: Classifier, holder: _Holder
) -> Any:
    if isinstance(node, str):
        holder.append(node)
        return node
    original = elements[node.key]
    kind = classify(original)
    if kind == Kind.INLINE:
        element = original.makeelement(original.tag, dict(original.attrib), nsmap=original.nsmap)
        inner = _Holder("")
        for child in node.children:
            built = _build(child, elements, classify, inner)
            if not isinstance(built, str):
                element.append(built)
        element.text = inner.leading or None
    else:
        element = original  # used once: moved, so blocks nested in it keep their translation
        if kind == Kind.SPACE:
            holder.drop_final_space()
    element.tail = None
    holder.last = element
    return element
