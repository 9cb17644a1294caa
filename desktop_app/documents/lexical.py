"""Lexical evidence for placing inline formatting: words a translation keeps or barely changes.

Names, numbers, technical terms and cognates often come out of a translation as they went in
("Linux", "config.ini") or nearly ("server" -> "serveur", "video" -> "vidéo"). Where the
model's attention is unsure, such a word tells where a bold word or a link belongs. Words are
compared without case and accents; a shared beginning of at least `PREFIX` letters (and most
of the shorter word) counts as a cognate.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

Range = tuple[int, int]

# Letters and digits joined by inner apostrophes (' and \u2019), hyphens and dots: an elided
# article stays with its word ("l'utilisateur"), as do "pop-up" and "config.ini".
WORD = re.compile("\\w+(?:['\u2019.\\-]\\w+)*")
PREFIX = 4  # letters a cognate must share from its start ("serv" in server/serveur)
COGNATE_SHARE = 0.6  # ... and at least this share of the shorter word


def _folded(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _shared_prefix(a: str, b: str) -> int:
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def similarity(a: str, b: str) -> float:
    """1.0 for the same word (case and accents aside), 0.8 for a cognate, else 0.0."""
    a, b = _folded(a), _folded(b)
    if a == b:
        return 1.0
    shared = _shared_prefix(a, b)
    if shared >= PREFIX and shared >= COGNATE_SHARE * min(len(a), len(b)):
        return 0.8
    return 0.0


@dataclass(frozen=True, slots=True)
class Match:
    """Target words that match a span's words; `whole` when every word of the span did."""

    range: Range
    whole: bool


def match(
    source: str, span: Range, translation: str, *, strength: float = 0.8
) -> Match | None:
    """The range of `translation` words that match the words of `source[span]`, if each match
    is unambiguous: every matched source word matches exactly one target word, which no
    source word outside the span matches as well, and the matched target words are adjacent
    (nothing but their own words between them)."""
    source_words = [(m.start(), m.end(), m.group()) for m in WORD.finditer(source)]
    targets = [(m.start(), m.end(), m.group()) for m in WORD.finditer(translation)]
    inside = [w for w in source_words if w[0] >= span[0] and w[1] <= span[1]]
    outside = [w for w in source_words if w[1] <= span[0] or w[0] >= span[1]]
    chosen: list[int] = []
    considered = 0
    for _, _, word in inside:
        if len(word) < 2:  # "a", "I": too common to tell anything
            continue
        considered += 1
        hits = [i for i, t in enumerate(targets) if similarity(word, t[2]) >= strength]
        if len(hits) != 1:
            continue
        rival = any(similarity(other[2], targets[hits[0]][2]) >= strength for other in outside)
        if not rival:
            chosen.append(hits[0])
    if not chosen:
        return None
    first, last = min(chosen), max(chosen)
    if last - first + 1 > _allowed_width(len(inside), len(set(chosen))):
        return None
    return Match((targets[first][0], targets[last][1]), whole=len(chosen) == considered)


def _allowed_width(span_words: int, matched: int) -> int:
    """Target words a match may spread over: the span's words, and a little more when the
    span has several (French puts "de" into "disk space" -> "espace de disque")."""
    return max(span_words, matched) + (1 if span_words > 1 else 0)
