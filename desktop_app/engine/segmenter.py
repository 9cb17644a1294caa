"""Split text into sentence segments with every character of layout kept for rendering.

`split_text(text)` returns a `Layout`: the segments to translate and the separators around
them (whitespace, line breaks, indentation). `layout.render(layout.segments) == text` for any
text, so translated segments placed back between the separators keep the input's layout.
Segments never contain a line break or a control character and never start or end with
whitespace or an invisible format character (zero-width space, joiner, BOM, bidi mark).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.errors import InputError

# Characters str.splitlines() treats as line boundaries: a segment never spans one.
_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
# Control characters other than tab and line breaks: never text, and never fed to the
# model (issue 12 #15: a NUL came out as U+FFFD and repeated words). They separate text
# like a line break and stay where they were.
_CONTROLS = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f"
# Invisible format characters (zero-width space and joiners, word joiner, BOM, soft hyphen,
# bidi marks): around a segment they stay outside it; inside a word they are part of it
# (the joiners of an emoji sequence or of a Persian word).
_INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
_VISIBLE = rf"[^\s{_CONTROLS}{_INVISIBLE}]"
# A maximal run of text on one line without controls, starting and ending visibly.
_LINE_TEXT = re.compile(rf"{_VISIBLE}(?:[^{_LINE_BREAKS}{_CONTROLS}]*{_VISIBLE})?")
_EDGE = re.compile(rf"[\s{_INVISIBLE}]")
_CLOSERS = "\"'”’»)\\]}」』〕】›"  # noqa: RUF001 -- closing quotes and brackets
# Terminators of space-separated scripts end a sentence only before whitespace: Latin and
# Cyrillic, Arabic and Urdu, Devanagari, Armenian, Ethiopic. CJK ones end it anywhere.
_LATIN_END = re.compile(rf"[.!?…؟۔।॥։።]+[{_CLOSERS}]*(?=\s)")  # noqa: RUF001 -- see above
_CJK_END = re.compile(rf"[。！？]+[{_CLOSERS}]*")  # noqa: RUF001 -- CJK sentence ends
_SPACE = re.compile(r"\s+")
_NEXT_CHARACTER = re.compile(r"\s*(\S)")
# Words that end in a period without ending the sentence ("Dr. Smith", "vs. them").
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "vs",
        "mt",
        "gen",
        "col",
        "lt",
        "sgt",
        "capt",
        "rev",
        "hon",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
        "univ",
        "approx",
        "cf",
        "al",
        "fig",
        "figs",
        "vol",
        "vols",
        "no",
        "nos",
        "nr",
        "pp",
        "ca",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    ]
)
# Dotted abbreviations and initials: "e.g", "i.e", "U.S", "a.m", "J".
_DOTTED = re.compile(r"(?:[^\W\d_]\.)*[^\W\d_]")


@dataclass(frozen=True, slots=True)
class Layout:
    """Segments of a text and the separators around them.

    Attributes:
        segments: sentence texts to translate, in reading order.
        separators: `len(segments) + 1` strings; `separators[i]` precedes segment `i` and the
            last one follows the last segment.
    """

    segments: tuple[str, ...]
    separators: tuple[str, ...]

    def render(self, translated: Sequence[str]) -> str:
        """The text with each segment replaced by its translation, layout unchanged."""
        if len(translated) != len(self.segments):
            raise InputError(
                f"expected {len(self.segments)} translated segments, got {len(translated)}"
            )
        parts = [self.separators[0]]
        for segment, separator in zip(translated, self.separators[1:], strict=True):
            parts.append(segment)
            parts.append(separator)
        return "".join(parts)

    def render_partial(self, parts: Sequence[str]) -> str:
        """A translation in progress in this layout: up to the last segment that has text
        (segments not started yet leave a gap; nothing trails the text being written)."""
        filled = [index for index, part in enumerate(parts) if part]
        if not filled:
            return ""
        pieces = [self.separators[0]]
        for index in range(filled[-1] + 1):
            if index:
                pieces.append(self.separators[index])
            pieces.append(parts[index])
        return "".join(pieces)


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end].lstrip("\"'“‘«([{¿¡")  # noqa: RUF001 -- opening quotes


def _is_abbreviation(text: str, dot: int) -> bool:
    word = _word_before(text, dot)
    return word.lower() in _ABBREVIATIONS or _DOTTED.fullmatch(word) is not None


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    following = _NEXT_CHARACTER.match(text, match.end())
    if following is None or following.group(1).islower():  # "e.g. the", "... and then"
        return False
    return not (match.group() == "." and _is_abbreviation(text, match.start()))


def _sentence_ends(text: str) -> list[int]:
    """Offsets in `text` just after each sentence end (never its end)."""
    ends = {m.end() for m in _LATIN_END.finditer(text) if _ends_sentence(text, m)}
    ends.update(m.end() for m in _CJK_END.finditer(text) if m.end() < len(text))
    return sorted(ends)


def split_sentences(run: str) -> list[tuple[str, str]]:
    """Sentences of a one-line run of text, each with the whitespace that follows it."""
    pieces: list[tuple[str, str]] = []
    start = 0
    for end in _sentence_ends(run):
        if end <= start:
            continue
        space = _SPACE.match(run, end)
        gap_end = space.end() if space else end
        pieces.append((run[start:end], run[end:gap_end]))
        start = gap_end
    pieces.append((run[start:], ""))
    return pieces


def _trim(sentence: str) -> tuple[str, str, str]:
    """A sentence's blank or invisible edges (which go to the separators) and its core."""
    start, end = 0, len(sentence)
    while start < end and _EDGE.match(sentence, start):
        start += 1
    while end > start and _EDGE.match(sentence, end - 1):
        end -= 1
    return sentence[:start], sentence[start:end], sentence[end:]


def split_text(text: str) -> Layout:
    """Split `text` into paragraphs (lines) and sentences, keeping all whitespace.

    Args:
        text: any text; empty and whitespace-only texts give no segments.

    Returns:
        The layout whose `render(segments)` gives `text` back exactly.
    """
    segments: list[str] = []
    separators: list[str] = []
    position = 0
    pending = ""
    for line_match in _LINE_TEXT.finditer(text):
        pending += text[position : line_match.start()]
        for sentence, gap in split_sentences(line_match.group()):
            lead, core, trail = _trim(sentence)
            separators.append(pending + lead)
            segments.append(core)
            pending = trail + gap
        position = line_match.end()
    separators.append(pending + text[position:])
    return Layout(tuple(segments), tuple(separators))


def is_translatable(segment: str) -> bool:
    """Whether a segment has words to translate; numbers, symbols and emoji are kept as they are."""
    return any(unicodedata.category(char).startswith("L") for char in segment)
