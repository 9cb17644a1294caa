"""SubRip (.srt) and WebVTT (.vtt): one segment per cue; timing, numbering, cue settings,
notes and styling tags kept; a cue's line breaks are re-made at word boundaries.

pysubs2 rewrites cues through the ASS model and drops `<b>`, `<font>`, `<v>` tags and
WebVTT notes, so cue blocks are read here directly and their lines kept byte-for-byte.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.documents.encoding import TextEncoding, decode
from desktop_app.documents.markup import MarkupBuilder, MarkupSegment, Wrapper, rebreak, render
from desktop_app.documents.model import Extracted, FormatHandler, TranslatedSegment
from desktop_app.errors import DocumentError

_TIMESTAMP = r"(?:\d{1,2}:)?\d{1,2}:\d{2}[,.]\d{1,3}"
_TIMING = re.compile(rf"^\s*{_TIMESTAMP}\s*-->\s*{_TIMESTAMP}(?:\s.*)?$")
_TAG = re.compile(r"<(/?)([a-zA-Z0-9]+)[^>]*>|<\d[^>]*>|\{\\[^}]*\}")


@dataclass(frozen=True, slots=True)
class _Cue:
    head: tuple[str, ...]  # index and timing lines, verbatim
    body: tuple[str, ...]  # the text lines as they were (kept for a cue with no text)
    breaks: tuple[float, ...]  # where the cue's line breaks were, relative to its length
    markup: MarkupSegment


@dataclass(frozen=True, slots=True)
class _SubtitleState:
    encoding: TextEncoding
    newline: str
    blocks: tuple[_Cue | str, ...]  # cues and untranslated blocks (header, NOTE, STYLE)


def parse_cue_text(text: str) -> MarkupSegment:
    """Cue lines joined with spaces, tags as elements (`<i>..</i>` paired, others atoms)."""
    builder = MarkupBuilder()
    open_names: list[str] = []
    position = 0
    for match in _TAG.finditer(text):
        builder.add_text(text[position : match.start()])
        position = match.end()
        closing, name = match.group(1), (match.group(2) or "").lower()
        if name and not closing and name not in {"br"}:
            builder.open(Wrapper(match.group(0), f"</{match.group(2)}>"))
            open_names.append(name)
        elif name and closing and open_names and open_names[-1] == name:
            open_names.pop()
            builder.close()
        else:
            builder.atom(match.group(0))
    builder.add_text(text[position:])
    return builder.build()


def _relative_breaks(lines: Sequence[str]) -> tuple[float, ...]:
    stripped = [_TAG.sub("", line).strip() for line in lines]
    stripped = [line for line in stripped if line]
    total = len(" ".join(stripped))
    positions, length = [], 0
    for line in stripped[:-1]:
        length += len(line)
        positions.append(length / total)
        length += 1
    return tuple(positions)


class SubtitleHandler(FormatHandler[_SubtitleState]):
    """`.srt` and `.vtt` subtitles."""

    extensions = (".srt", ".vtt")
    description = "Subtitles (SubRip, WebVTT)"
    bilingual_supported = True

    def extract(self, data: bytes) -> Extracted[_SubtitleState]:
        text, encoding = decode(data, "subtitle file")
        newline = "\r\n" if "\r\n" in text else "\n"
        blocks: list[_Cue | str] = []
        for number, raw in enumerate(re.split(r"(?:\r?\n){2,}", text.strip("\r\n"))):
            if not raw:
                continue  # an empty file
            lines = raw.splitlines()
            timing = next((i for i, line in enumerate(lines[:2]) if "-->" in line), None)
            if timing is None:
                if number == 0 or raw.startswith(("NOTE", "STYLE", "REGION", "WEBVTT")):
                    blocks.append(raw)
                    continue
                raise DocumentError(
                    f"subtitle block {number + 1}: no timing line in {lines[0][:40]!r}"
                )
            if not _TIMING.match(lines[timing]):
                raise DocumentError(
                    f"subtitle block {number + 1}: bad timing {lines[timing][:60]!r}"
                )
            body = lines[timing + 1 :]
            markup = parse_cue_text(" ".join(line.strip() for line in body))
            blocks.append(
                _Cue(tuple(lines[: timing + 1]), tuple(body), _relative_breaks(body), markup)
            )
        segments = tuple(
            b.markup.segment for b in blocks if isinstance(b, _Cue) and b.markup.segment.text
        )
        return Extracted(segments, _SubtitleState(encoding, newline, tuple(blocks)))

    def write(
        self,
        extracted: Extracted[_SubtitleState],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        state = extracted.state
        nl = state.newline
        out: list[str] = []
        remaining = iter(translations)
        for block in state.blocks:
            if isinstance(block, str):
                out.append(block)
                continue
            cue_lines = list(block.head)
            if block.markup.segment.text:
                translated = next(remaining)
                broken = TranslatedSegment(
                    rebreak(translated.text, block.breaks),
                    translated.spans,
                    translated.spans_total,
                    translated.spans_placed,
                )
                cue_lines += render(broken, block.markup.wrappers).split("\n")
                if bilingual:
                    source = block.markup.segment
                    original = TranslatedSegment(
                        rebreak(source.text, block.breaks), source.spans, 0, 0
                    )
                    cue_lines += render(original, block.markup.wrappers).split("\n")
            else:  # only tags, or nothing: nothing to translate, nothing to lose
                cue_lines += block.body
            out.append(nl.join(cue_lines))
        return state.encoding.encode((nl + nl).join(out) + nl)
