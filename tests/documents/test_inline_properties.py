"""Span placement on arbitrary sentences: text is never dropped, spans stay well-formed."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.documents.inline import build_tree, place_spans
from desktop_app.documents.model import Segment, Span
from tests.documents.fakes import reversed_aligned, upper_aligned

WORDS = st.lists(
    st.sampled_from(["the", "café", "is", "open,", "naïve", "größe", "x.", "go"]),
    min_size=1,
    max_size=12,
)


@st.composite
def segments(draw: st.DrawFn) -> Segment:
    words = draw(WORDS)
    text = " ".join(words)
    starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
    ends = [start + len(word) for start, word in zip(starts, words, strict=True)]
    spans: list[Span] = []
    index = 0
    while index < len(words):
        length = draw(st.integers(0, 3))
        if length and index + length <= len(words) and draw(st.booleans()):
            protected = draw(st.booleans())
            spans.append(Span(starts[index], ends[index + length - 1], len(spans), protected))
            index += length
        else:
            if draw(st.integers(0, 4)) == 0:
                spans.append(Span(starts[index], starts[index], len(spans)))
            index += 1
    return Segment(text, tuple(spans))


def _well_formed(text: str, spans: tuple[Span, ...]) -> None:
    assert len({s.key for s in spans}) == len(spans)
    for span in spans:
        assert 0 <= span.start <= span.end <= len(text)
    for a in spans:
        for b in spans:
            if a is b or a.empty or b.empty:
                continue
            disjoint = a.end <= b.start or b.end <= a.start
            nested = (a.start <= b.start and b.end <= a.end) or (
                b.start <= a.start and a.end <= b.end
            )
            assert disjoint or nested


@settings(max_examples=300, deadline=None, database=None)  # nothing written to the tree
@given(segments(), st.sampled_from([upper_aligned, reversed_aligned]))
def test_no_word_is_dropped_and_spans_are_well_formed(segment: Segment, translate: object) -> None:
    aligned = translate(segment.text)  # type: ignore[operator]
    result = place_spans(segment, aligned.text, aligned.alignment)
    protected = [s for s in segment.spans if s.protected]
    kept = [
        aligned.text[t0:t1]
        for s0, s1, t0, t1 in aligned.alignment
        if not any(p.start <= s0 and s1 <= p.end for p in protected)
    ]
    remaining = result.text.split()
    for word in kept:  # every word outside code and placeholders is still there
        assert word in remaining
        remaining.remove(word)
    for span in segment.spans:
        if span.protected:
            assert segment.text[span.start : span.end] in result.text
    _well_formed(result.text, result.spans)
    assert 0 <= result.spans_placed <= result.spans_total == len(segment.spans)
    assert "".join(_leaves(build_tree(result.text, result.spans))) == result.text


def _leaves(nodes: list[object]) -> list[str]:
    out: list[str] = []
    for node in nodes:
        out += [node] if isinstance(node, str) else _leaves(node.children)  # type: ignore[attr-defined]
    return out


@settings(database=None)
@given(segments())
def test_an_identity_alignment_places_every_span(segment: Segment) -> None:
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", segment.text)]
    result = place_spans(segment, segment.text, [(s, e, s, e) for s, e in words])
    assert result.spans_placed == result.spans_total
    assert result.text == segment.text
