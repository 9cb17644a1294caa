"""Carry inline elements (bold, links, code, tags) from a source sentence into its translation.

The translator sees whole sentences without markup. Its word alignment (source and target
character spans, from the model's attention) tells where each inline element goes: an
element is placed on the hull of the target words aligned to its source words, when no
word from outside the element is aligned inside that hull and the nesting stays valid.
Protected spans (code, placeholders) come out verbatim: found as-is in the output, or
written over their aligned words, or inserted at their relative position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from desktop_app.documents import lexical
from desktop_app.documents.model import Segment, Span, TranslatedSegment

Alignment = Sequence[tuple[int, int, int, int]]


@dataclass(frozen=True, slots=True)
class Node:
    """An inline element with its content, as handlers render it."""

    key: int
    children: list[Node | str] = field(default_factory=list)


def build_tree(text: str, spans: Sequence[Span]) -> list[Node | str]:
    """Nest `spans` over `text` into nodes; empty spans on a boundary stay outside."""
    ordered = sorted(spans, key=lambda s: (s.start, 0 if s.empty else 1, -s.end))
    return _build(text, ordered, 0, len(text))


def _build(text: str, spans: list[Span], low: int, high: int) -> list[Node | str]:
    nodes: list[Node | str] = []
    position, index = low, 0
    while index < len(spans):
        span = spans[index]
        inner = index + 1
        if not span.empty:
            while inner < len(spans) and _inside(spans[inner], span):
                inner += 1
        if span.start > position:
            nodes.append(text[position : span.start])
        children = (
            [] if span.empty else _build(text, spans[index + 1 : inner], span.start, span.end)
        )
        nodes.append(Node(span.key, children))
        position = max(position, span.end)
        index = inner
    if position < high:
        nodes.append(text[position:high])
    return nodes


def _inside(child: Span, parent: Span) -> bool:
    if child.empty:
        return parent.start < child.start < parent.end
    return parent.start <= child.start and child.end <= parent.end


def place_spans(segment: Segment, translation: str, alignment: Alignment) -> TranslatedSegment:
    """Map the spans of `segment` onto `translation` using the word `alignment`."""
    if not segment.spans:
        return TranslatedSegment(translation, (), 0, 0)
    alignment = [  # only spans inside both texts: an aligner bug must not break a document
        a
        for a in alignment
        if 0 <= a[0] <= a[1] <= len(segment.text) and 0 <= a[2] <= a[3] <= len(translation)
    ]
    text, shift, protected, placed_count = _place_protected(segment, translation, alignment)
    placed: list[Span] = list(protected)
    for span in sorted(segment.spans, key=lambda s: (s.start, -s.end)):
        if span.protected:
            continue
        hull = (
            _anchor(span.start, segment.text, alignment, translation)
            if span.empty
            else _target_range(span, alignment, segment.text, translation)
        )
        if hull is None:
            continue
        start, end = shift(hull[0]), shift(hull[1])
        candidate = Span(start, end, span.key)
        if span.empty or _nests(candidate, span, placed, segment.spans):
            placed.append(candidate)
            placed_count += 1
    return TranslatedSegment(text, tuple(placed), len(segment.spans), placed_count)


def _target_range(
    span: Span, alignment: Alignment, source: str, translation: str
) -> tuple[int, int] | None:
    """Where a formatting span goes, from the evidence that agrees best (measured on the
    labelled span set, tests/documents/spans):

    1. its words, kept or nearly kept by the translation ("Linux", "serveur" for "server"):
       the model's attention is least sure exactly there (when only some of its words are
       found, inside the hull of 2., the hull is taken: "le manuel" for "the manual");
    2. else the hull of the words aligned to it, or, when other words are aligned inside
       that hull, the longest run of its own aligned words, never over a neighbour's;
    3. trimmed of short words at an edge where the span's own edge word is long: the
       attention of an article or a preposition ("la", "dans les") goes to its noun.
    """
    found = lexical.match(source, (span.start, span.end), translation)
    hull = _hull(span, alignment, source, translation)
    if found is not None and (
        found.whole or hull is None or not (hull[0] <= found.range[0] <= found.range[1] <= hull[1])
    ):
        return found.range
    hull = hull or _longest_run(span, alignment, translation)
    return None if hull is None else _trim_short_edges(span, hull, source, translation)


def _longest_run(span: Span, alignment: Alignment, translation: str) -> tuple[int, int] | None:
    """The longest run of consecutive target words all aligned inside `span`."""
    runs: list[list[tuple[int, int, int, int]]] = [[]]
    for link in sorted(alignment, key=lambda a: a[2]):
        if link[0] < span.end and link[1] > span.start:
            runs[-1].append(link)
        elif runs[-1]:
            runs.append([])
    best = max(runs, key=len)
    if not best:
        return None
    return _stripped(translation, best[0][2], best[-1][3])


# Target words this short at an edge of a span are taken for function words ("la", "de",
# "dans" is kept) when the span's own word at that edge is longer.
_SHORT_WORD = 3


def _trim_short_edges(
    span: Span, hull: tuple[int, int], source: str, translation: str
) -> tuple[int, int]:
    source_words = lexical.WORD.findall(source[span.start : span.end])
    words = list(lexical.WORD.finditer(translation, hull[0], hull[1]))
    start, end = hull
    if not source_words:
        return hull
    if len(source_words[0]) > _SHORT_WORD:
        while len(words) > 1 and len(words[0].group()) <= _SHORT_WORD:
            words.pop(0)
            start = words[0].start()
    if len(source_words[-1]) > _SHORT_WORD:
        while len(words) > 1 and len(words[-1].group()) <= _SHORT_WORD:
            words.pop()
            end = words[-1].end()
    return start, end


def _stripped(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if end > start else None


def _hull(
    span: Span, alignment: Alignment, source: str, translation: str, *, exact: bool = False
) -> tuple[int, int] | None:
    """Target range of the words aligned to the span's words, or None if others intrude.

    With `exact`, words that reach past the span must lose their overhang (usually
    punctuation: "end." for a bold "end") to a matching ending in the translation.
    """
    inside = [a for a in alignment if a[0] < span.end and a[1] > span.start]
    if not inside:
        return None
    start = min(a[2] for a in inside)
    end = max(a[3] for a in inside)
    for a in alignment:
        outside = a[1] <= span.start or a[0] >= span.end
        if outside and a[2] >= start and a[3] <= end and a[3] > a[2]:
            return None
    before = source[min(a[0] for a in inside) : span.start]
    after = source[span.end : max(a[1] for a in inside)]
    if after and translation[start:end].endswith(after):
        end -= len(after)
        after = ""
    if before and translation[start:end].startswith(before):
        start += len(before)
        before = ""
    if exact and (before or after):
        return None
    return _stripped(translation, start, end)


def _anchor(position: int, source: str, alignment: Alignment, translation: str) -> tuple[int, int]:
    """Where an empty element at source `position` goes: after the word before it."""
    if position < len(source) - len(source.lstrip()):
        return 0, 0
    if position >= len(source.rstrip()):
        return len(translation), len(translation)
    point = _word_anchor(position, source, alignment, translation)
    if point is not None:
        return point, point
    return _relative(position, source, translation)


def _word_anchor(
    position: int, source: str, alignment: Alignment, translation: str
) -> int | None:
    for a in alignment:
        if a[0] == position:  # glued to the next word: "<b/>here"
            return a[2]
        if a[1] == position:  # glued to the word before: "here<b/>"
            return a[3]
    word = next((a for a in alignment if a[0] < position < a[1]), None)
    if word is not None:  # inside a word: "world<ph/>." keeps its "." after
        rest = source[position : word[1]]
        if translation[word[2] : word[3]].endswith(rest):
            return word[3] - len(rest)
        return word[3] if position - word[0] >= word[1] - position else word[2]
    before = [a for a in alignment if a[1] <= position]
    if before:
        return max(before, key=lambda a: a[1])[3]
    after = [a for a in alignment if a[0] >= position]
    return min(after, key=lambda a: a[0])[2] if after else None


def _relative(position: int, source: str, translation: str) -> tuple[int, int]:
    """The word boundary of `translation` nearest to the relative `position` in `source`."""
    if not source:
        return 0, 0
    goal = round(position / len(source) * len(translation))
    boundaries = [0, len(translation)] + [
        i
        for i in range(1, len(translation))
        if translation[i - 1].isspace() != translation[i].isspace()
    ]
    best = min(boundaries, key=lambda b: (abs(b - goal), b))
    return best, best


def _nests(candidate: Span, source: Span, placed: list[Span], source_spans: Sequence[Span]) -> bool:
    """Placed spans must nest in the translation exactly as they nest in the source."""
    by_key = {s.key: s for s in source_spans}
    for other in placed:
        if other.empty or other.end <= candidate.start or other.start >= candidate.end:
            continue
        origin = by_key[other.key]
        if other.start <= candidate.start and candidate.end <= other.end:
            if not (origin.start <= source.start and source.end <= origin.end):
                return False
        elif candidate.start <= other.start and other.end <= candidate.end:
            if not (source.start <= origin.start and origin.end <= source.end):
                return False
        else:
            return False
    return True


def _place_protected(
    segment: Segment, translation: str, alignment: Alignment
) -> tuple[str, _Shift, list[Span], int]:
    """Put every protected span's source text into the translation, verbatim."""
    edits: list[tuple[int, int, str, int]] = []  # target start, end, literal, key
    taken: list[tuple[int, int]] = []
    placed_count = 0
    for span in (s for s in segment.spans if s.protected):
        literal = segment.text[span.start : span.end]
        found = _unique_occurrence(translation, literal, taken)
        if found is None:
            # Written over its aligned words only when they are exactly the span's words and
            # look like the model's rendering of it ("{nom}" for "{name}"): a wider hull, or
            # a real word the attention pointed at when the model dropped the span, would be
            # erased along with it.
            hull = _hull(span, alignment, segment.text, translation, exact=True)
            if (
                hull is not None
                and not any(_overlap(hull, t) for t in taken)
                and _resembles(translation[hull[0] : hull[1]], literal)
            ):
                found = hull
        if found is not None:
            placed_count += 1
        else:
            point = _relative(span.start, segment.text, translation)[0]
            # Never inside text another protected span already took: right after it.
            point = next((end for start, end in taken if start < point < end), point)
            found = (point, point)
            literal = _padded(translation, point, literal)
        taken.append(found)
        edits.append((found[0], found[1], literal, span.key))
    edits.sort()
    pieces: list[str] = []
    spans: list[Span] = []
    cursor, length = 0, 0
    for start, end, literal, key in edits:
        pieces.append(translation[cursor:start])
        length += start - cursor
        lead = len(literal) - len(literal.lstrip())
        core = len(literal.strip())
        spans.append(Span(length + lead, length + lead + core, key, protected=True))
        pieces.append(literal)
        length += len(literal)
        cursor = max(cursor, end)
    pieces.append(translation[cursor:])
    growth = [(start, end, len(literal) - (end - start)) for start, end, literal, _ in edits]
    return "".join(pieces), _Shift(tuple(growth)), spans, placed_count


@dataclass(frozen=True, slots=True)
class _Shift:
    """Maps positions of the raw translation to positions after the protected edits."""

    growth: tuple[tuple[int, int, int], ...]  # edited start, end, characters added

    def __call__(self, position: int) -> int:
        return position + sum(
            added for start, end, added in self.growth if position >= end and position > start
        )


def _resembles(rendering: str, literal: str) -> bool:
    """Whether the model's `rendering` of a protected text may be its mangled copy.

    A placeholder's rendering keeps some of its symbols ("{nom}" for "{name}", "% s" for
    "%s"); a word that has none of them ("messages" for "%d") is a real word the attention
    pointed at. A protected text without symbols (a code word) cannot be told apart.
    """
    symbols = {char for char in literal if not char.isalnum() and not char.isspace()}
    return not symbols or any(char in symbols for char in rendering)


def _unique_occurrence(
    text: str, literal: str, taken: list[tuple[int, int]]
) -> tuple[int, int] | None:
    if not literal.strip():
        return None
    first = text.find(literal)
    if first < 0 or text.find(literal, first + 1) >= 0:
        return None
    found = (first, first + len(literal))
    return None if any(_overlap(found, t) for t in taken) else found


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _padded(text: str, point: int, literal: str) -> str:
    """Space out an inserted literal from the words around it."""
    left = " " if point > 0 and not text[point - 1].isspace() else ""
    right = " " if point < len(text) and not text[point].isspace() else ""
    return f"{left}{literal}{right}"
