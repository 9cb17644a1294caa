"""Markdown: paragraphs, headings, list items and table cells are segments; code blocks,
code spans, URLs, link targets, HTML blocks and front matter stay as they are.

markdown-it's source maps give each inline run's lines; the run is found in those lines
and replaced in place, so everything around it (list markers, quotes, table pipes,
indentation, blank lines) is kept byte for byte. Hard-wrapped paragraphs are re-wrapped at
the same relative positions.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.documents.encoding import TextEncoding, decode
from desktop_app.documents.markup import MarkupBuilder, MarkupSegment, Wrapper, rebreak, render
from desktop_app.documents.model import Extracted, FormatHandler, TranslatedSegment

_FRONT_MATTER = re.compile(
    r"\A(?:---|\+\+\+)\r?\n.*?\r?\n(?:---|\+\+\+|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S
)
_SPECIAL = re.compile(r"([\\`*_\[\]<])")


@dataclass(frozen=True, slots=True)
class _Place:
    """Where each line of an inline run sits: (line number, start column, end column)."""

    lines: tuple[tuple[int, int, int], ...]
    breaks: tuple[float, ...]
    markup: MarkupSegment
    paragraph: bool  # a top-level paragraph: bilingual output repeats it above its translation


@dataclass(frozen=True, slots=True)
class _MarkdownState:
    encoding: TextEncoding
    lines: tuple[str, ...]  # with their line endings
    places: tuple[_Place, ...]


def escape(text: str) -> str:
    """Backslash-escape what Markdown would read as inline markup."""
    return _SPECIAL.sub(r"\\\1", text)


def _inline_markup(children: Sequence[Any]) -> tuple[MarkupSegment, list[int]]:
    """Plain text and elements of an inline run; also where its soft line breaks were."""
    builder = MarkupBuilder()
    breaks: list[int] = []
    tokens = iter(children)
    for token in tokens:
        kind = token.type
        if kind == "link_open" and token.markup == "autolink":
            inside = itertools.takewhile(lambda t: t.type != "link_close", tokens)
            url = "".join(t.content for t in inside)
            builder.protected(Wrapper("<", ">", protected=True), url)
        elif kind == "softbreak":
            breaks.append(builder.length)
            builder.add_text(" ")
        elif kind.endswith("_open"):
            builder.open(_wrapper(token))
        elif kind.endswith("_close"):
            builder.close()
        else:
            _leaf(token, builder)
    return builder.build(), breaks


def _wrapper(token: Any) -> Wrapper:
    if token.type != "link_open":
        return Wrapper(token.markup, token.markup)  # emphasis, strong, strikethrough
    title = token.attrs.get("title")
    target = token.attrs.get("href", "") + (f' "{title}"' if title else "")
    return Wrapper("[", f"]({target})")


def _leaf(token: Any, builder: MarkupBuilder) -> None:
    if token.type == "text":
        builder.add_text(token.content)
    elif token.type == "hardbreak":
        builder.atom("<br>")
    elif token.type == "code_inline":
        fence = token.markup
        pad = " " if token.content.startswith("`") or token.content.endswith("`") else ""
        builder.protected(Wrapper(fence + pad, pad + fence, protected=True), token.content)
    elif token.type == "image":
        title = token.attrs.get("title")
        suffix = f' "{title}"' if title else ""
        builder.atom(f"![{token.content}]({token.attrs.get('src', '')}{suffix})")
    else:  # inline HTML and anything newer: kept verbatim where it was
        builder.atom(token.content or token.markup)


def _locate(
    lines: list[str], first: int, content: str, cursor: dict[int, int]
) -> tuple[tuple[int, int, int], ...] | None:
    found = []
    for offset, piece in enumerate(content.split("\n")):
        number = first + offset
        if number >= len(lines) or not piece.strip():
            return None
        column = lines[number].find(piece, cursor.get(number, 0))
        if column < 0:
            return None
        cursor[number] = column + len(piece)
        found.append((number, column, column + len(piece)))
    return tuple(found)


class MarkdownHandler(FormatHandler[_MarkdownState]):
    """`.md`, `.markdown` (CommonMark with tables and strikethrough)."""

    extensions = (".md", ".markdown")
    description = "Markdown"
    bilingual_supported = True

    def extract(self, data: bytes) -> Extracted[_MarkdownState]:
        from markdown_it import MarkdownIt

        text, encoding = decode(data, "Markdown file")
        front = _FRONT_MATTER.match(text)
        skipped = text[: front.end()].count("\n") if front else 0
        lines = text.splitlines(keepends=True)
        body = "".join(lines[skipped:])
        parser = MarkdownIt("commonmark").enable("table").enable("strikethrough")
        places: list[_Place] = []
        cursor: dict[int, int] = {}
        plain_lines = [line.rstrip("\r\n") for line in lines]
        tokens = parser.parse(body)
        for index, token in enumerate(tokens):
            if token.type != "inline" or token.map is None or not token.content.strip():
                continue
            opener = tokens[index - 1]
            paragraph = opener.type == "paragraph_open" and opener.level == 0
            located = _locate(plain_lines, token.map[0] + skipped, token.content, cursor)
            if located is None:
                continue
            markup, break_positions = _inline_markup(token.children or [])
            if not markup.segment.text:
                continue
            size = max(len(markup.segment.text), 1)
            breaks = tuple((p - len(markup.lead)) / size for p in break_positions)
            places.append(_Place(located, breaks, markup, paragraph))
        segments = tuple(p.markup.segment for p in places)
        return Extracted(segments, _MarkdownState(encoding, tuple(lines), tuple(places)))

    def write(
        self,
        extracted: Extracted[_MarkdownState],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        state = extracted.state
        edits: dict[int, list[tuple[int, int, str]]] = {}
        for place, translated in zip(state.places, translations, strict=True):
            wrapped = TranslatedSegment(
                rebreak(translated.text, place.breaks) if len(place.lines) > 1 else translated.text,
                translated.spans,
                translated.spans_total,
                translated.spans_placed,
            )
            rendered = render(wrapped, place.markup.wrappers, escape).split("\n")
            rendered[0] = place.markup.lead + rendered[0]
            rendered[-1] += place.markup.trail
            # More rendered lines than source lines: the extra ones join the last line.
            count = len(place.lines)
            pieces = [*rendered[: count - 1], " ".join(rendered[count - 1 :])]
            pieces += [""] * (count - len(pieces))
            for (number, start, end), piece in zip(place.lines, pieces, strict=True):
                edits.setdefault(number, []).append((start, end, piece))
        out = list(state.lines)
        for number, changes in edits.items():
            line = out[number]
            for start, end, piece in sorted(changes, reverse=True):
                line = line[:start] + piece + line[end:]
            out[number] = line
        if bilingual:
            for place in state.places:
                if place.paragraph:
                    first, last = place.lines[0][0], place.lines[-1][0]
                    source = "".join(state.lines[first : last + 1])
                    newline = "\r\n" if source.endswith("\r\n") else "\n"
                    source += "" if source.endswith("\n") else newline
                    out[first] = source + newline + out[first]
        return state.encoding.encode("".join(out))
