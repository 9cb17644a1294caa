"""Plain text: one segment per paragraph; encoding, BOM, line endings and indentation kept."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import BinaryIO

from desktop_app.documents.encoding import TextEncoding, decode, read_decoded
from desktop_app.documents.model import Extracted, Segment, StreamingHandler, TranslatedSegment
from desktop_app.errors import DocumentError

MAX_STREAMED_TEXT_BYTES = 4 * 1024**3
MAX_PARAGRAPH_CHARS = 1 << 20
_PARAGRAPH_END = re.compile(r"\n[ \t]*\r?\n")


@dataclass(frozen=True, slots=True)
class _Line:
    indent: str
    content: str
    trailing: str
    ending: str


@dataclass(frozen=True, slots=True)
class _TextState:
    encoding: TextEncoding
    blocks: tuple[tuple[_Line, ...], ...]  # paragraphs and runs of blank lines, in order
    segment_of_block: tuple[int | None, ...]


def _last_paragraph_end(text: str) -> int:
    """Index just after the last line that ends a paragraph before a blank line, or 0."""
    ends = _PARAGRAPH_END.finditer(text, max(0, len(text) - MAX_PARAGRAPH_CHARS))
    last = max((match.start() for match in ends), default=-1)
    return last + 1


def _parse(text: str, encoding: TextEncoding) -> Extracted[_TextState]:
    blocks: list[tuple[_Line, ...]] = []
    for line in split_lines(text):
        blank = not line.content
        if blocks and (not blocks[-1][0].content) == blank:
            blocks[-1] = (*blocks[-1], line)
        else:
            blocks.append((line,))
    segments: list[Segment] = []
    index: list[int | None] = []
    for block in blocks:
        if block[0].content:
            index.append(len(segments))
            segments.append(Segment("\n".join(line.content for line in block)))
        else:
            index.append(None)
    return Extracted(tuple(segments), _TextState(encoding, tuple(blocks), tuple(index)))


def split_lines(text: str) -> list[_Line]:
    lines = []
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        ending = raw[len(body) :]
        content = body.strip()
        indent = body[: len(body) - len(body.lstrip())] if content else body
        trailing = body[len(indent) + len(content) :] if content else ""
        lines.append(_Line(indent, content, trailing, ending))
    return lines


class PlainTextHandler(StreamingHandler[_TextState]):
    """`.txt`: paragraphs are runs of non-blank lines; each line keeps its own indentation
    and line ending, so CRLF, LF and mixed files come back as they were. Large files are
    read in parts cut at blank lines."""

    extensions = (".txt",)
    description = "Plain text"
    max_input_bytes = MAX_STREAMED_TEXT_BYTES

    def extract(self, data: bytes) -> Extracted[_TextState]:
        text, encoding = decode(data, "text file")
        return _parse(text, encoding)

    def extract_parts(self, stream: BinaryIO) -> Iterator[Extracted[_TextState]]:
        encoding, chunks = read_decoded(stream, "text file")
        part_encoding = replace(encoding, bom=b"")  # the BOM goes with the first part only
        buffer = ""
        first = True
        for chunk in chunks:
            buffer += chunk
            cut = _last_paragraph_end(buffer)
            if cut == 0 and len(buffer) > MAX_PARAGRAPH_CHARS:
                raise DocumentError(
                    f"text file: a paragraph longer than {MAX_PARAGRAPH_CHARS:,} characters "
                    "(no blank line); not a text document?"
                )
            if cut:
                yield _parse(buffer[:cut], encoding if first else part_encoding)
                buffer, first = buffer[cut:], False
        if buffer or first:
            yield _parse(buffer, encoding if first else part_encoding)

    def write(
        self,
        extracted: Extracted[_TextState],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        state = extracted.state
        out: list[str] = []
        for block, segment_index in zip(state.blocks, state.segment_of_block, strict=True):
            if segment_index is None:
                out.extend(line.indent + line.ending for line in block)
                continue
            new_lines = translations[segment_index].text.split("\n")
            fallback = next((line.ending for line in block if line.ending), "\n")
            for number, content in enumerate(new_lines):
                model = block[min(number, len(block) - 1)]
                last = number == len(new_lines) - 1
                ending = block[-1].ending if last else (model.ending or fallback)
                out.append(model.indent + content + model.trailing + ending)
        text = "".join(out)
        return state.encoding.encode(text)
