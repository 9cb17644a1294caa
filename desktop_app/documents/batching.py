"""Unique segments of a job, their journal keys, and deterministic batches."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from desktop_app.documents.inline import place_spans
from desktop_app.documents.model import Segment, TranslatedSegment
from desktop_app.documents.storage import Journal
from desktop_app.errors import DocumentError


def translated(segment: Segment, journal: Journal, scope: str = "") -> TranslatedSegment:
    """The segment's journaled translation with its spans placed."""
    entry = journal.entries.get(key(segment, scope))
    if entry is None:
        raise DocumentError("a segment is missing from the job journal")
    return place_spans(segment, entry.text, entry.alignment or ())


def key(segment: Segment, scope: str = "") -> str:
    """Journal key: the text, whether it needs alignment, and the scope (a streamed part)."""
    mode = "a" if segment.spans else "p"
    return hashlib.sha256(f"{scope}\x00{mode}\x00{segment.text}".encode()).hexdigest()[:32]


def unique_work(segments: Iterable[Segment], scope: str = "") -> dict[str, Segment]:
    """Each distinct segment once, by journal key: duplicates are translated once."""
    work: dict[str, Segment] = {}
    for segment in segments:
        work.setdefault(key(segment, scope), segment)
    return work


def batches(work: dict[str, Segment], batch_chars: int) -> list[list[str]]:
    """Keys in batches of similar length; the same job always gets the same batches.

    Plain and aligned segments never share a batch (they take different engine calls).
    """
    ordered = sorted(work, key=lambda k: (bool(work[k].spans), len(work[k].text), work[k].text))
    result: list[list[str]] = []
    size = 0
    for name in ordered:
        segment = work[name]
        starts_new = (
            not result
            or size + len(segment.text) > batch_chars
            or (bool(work[result[-1][0]].spans) != bool(segment.spans))
        )
        if starts_new:
            result.append([])
            size = 0
        result[-1].append(name)
        size += len(segment.text)
    return result
