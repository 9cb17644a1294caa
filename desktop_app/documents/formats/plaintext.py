"""Plain text: one segment per paragraph; encoding, BOM, line endings and indentation kept."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop_app.documents.encoding import TextEncoding, decode
from desktop_app.documents.model import Extracted, FormatHandler, Segment, TranslatedSegment


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


class PlainTextHandler(FormatHandler[_TextState]):
    """`.txt`: paragraphs are runs of non-blank lines; each line keeps its own indentation
    and line ending, so CRLF, LF and mixed files come back as they were."""

    extensions = (".txt",)
    description = "Plain text"

    def extract(self, data: bytes) -> Extracted[_TextState]:
        text, encoding = decode(data, "text file")
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
