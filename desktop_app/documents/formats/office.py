"""Word (.docx) and PowerPoint (.pptx): every part with text, edited as XML in the zip.

Word: body, tables, text boxes, headers, footers, footnotes, endnotes and comments.
PowerPoint: slides (shapes, tables) and speaker notes. Run formatting is kept; all other
zip entries are copied unchanged, in their order and compression.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from desktop_app.documents import runs
from desktop_app.documents.model import Extracted, FormatHandler, TranslatedSegment
from desktop_app.documents.safety import MAX_ARCHIVE_FILE_BYTES, open_zip, parse_xml, read_entry
from desktop_app.errors import DocumentError

WORD = runs.Dialect(
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    containers=frozenset({"hyperlink", "ins", "smartTag"}),
    trailing=frozenset(),
    field_char="fldChar",
    preserve_space=True,
)
DRAWING = runs.Dialect(
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    containers=frozenset(),
    trailing=frozenset({"endParaRPr"}),
    field_char=None,
    preserve_space=False,
)


@dataclass(frozen=True, slots=True)
class _Part:
    name: str
    root: Any
    paragraphs: tuple[runs.Paragraph, ...]


@dataclass(frozen=True, slots=True)
class OfficeState:
    archive: zipfile.ZipFile
    parts: tuple[_Part, ...]


class _OfficeHandler(FormatHandler[OfficeState]):
    max_input_bytes = MAX_ARCHIVE_FILE_BYTES
    parts: ClassVar[re.Pattern[str]]
    main_part: ClassVar[str]
    dialect: ClassVar[runs.Dialect]

    def extract(self, data: bytes) -> Extracted[OfficeState]:
        kind = self.description
        archive = open_zip(data, f"{kind} file")
        names = archive.namelist()
        if self.main_part not in names:
            raise DocumentError(f"not a {kind} file: the archive has no {self.main_part}")
        parts = []
        segments = []
        for name in names:
            if not self.parts.fullmatch(name):
                continue
            root = parse_xml(read_entry(archive, name), name)
            found = []
            for paragraph in runs.paragraphs(root, self.dialect):
                segment = runs.extract(paragraph, self.dialect)
                if segment.text.strip():
                    found.append(paragraph)
                    segments.append(segment)
            parts.append(_Part(name, root, tuple(found)))
        return Extracted(tuple(segments), OfficeState(archive, tuple(parts)))

    def write(
        self,
        extracted: Extracted[OfficeState],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        from lxml import etree

        state = extracted.state
        remaining = iter(translations)
        replaced: dict[str, bytes] = {}
        for part in state.parts:
            for paragraph in part.paragraphs:
                runs.write(paragraph, next(remaining), self.dialect)
            replaced[part.name] = etree.tostring(
                part.root.getroottree(), xml_declaration=True, encoding="UTF-8", standalone=True
            )
        return rezip(state.archive, replaced)


def rezip(archive: zipfile.ZipFile, replaced: dict[str, bytes], first_stored: str = "") -> bytes:
    """The archive with some entries replaced; order and compression of entries kept.

    `first_stored` names an entry that must come first and uncompressed (EPUB's mimetype).
    """
    import io

    entries = archive.infolist()
    if first_stored:
        entries.sort(key=lambda info: info.filename != first_stored)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as output:
        for info in entries:
            data = replaced.get(info.filename)
            if data is None:
                data = read_entry(archive, info.filename)
            stored = info.filename == first_stored
            output.writestr(
                info, data, compress_type=zipfile.ZIP_STORED if stored else info.compress_type
            )
    return buffer.getvalue()


class DocxHandler(_OfficeHandler):
    """`.docx` (Word 2007 and later)."""

    extensions = (".docx",)
    description = "Word document"
    main_part = "word/document.xml"
    parts = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
    dialect = WORD


class PptxHandler(_OfficeHandler):
    """`.pptx` (PowerPoint 2007 and later)."""

    extensions = (".pptx",)
    description = "PowerPoint presentation"
    main_part = "ppt/presentation.xml"
    parts = re.compile(r"ppt/(slides/slide|notesSlides/notesSlide)\d+\.xml")
    dialect = DRAWING
