"""Word (.docx) and PowerPoint (.pptx): every part with text, edited as XML in the zip.

Word: body, tables, text boxes, headers, footers, footnotes, endnotes and comments.
PowerPoint: slides (shapes, tables) and speaker notes. Run formatting is kept; all other
zip entries are copied unchanged, in their order and compression.
"""

from __future__ import annotations

import copy
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
    spaces=frozenset({"tab", "br", "cr"}),
)
DRAWING = runs.Dialect(
    "http://schemas.openxmlformats.org/drawingml/2006/main",
    containers=frozenset(),
    trailing=frozenset({"endParaRPr"}),
    field_char=None,
    preserve_space=False,
    spaces=frozenset({"br"}),
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
        archive = open_zip(data, f"{kind} file", self.parts.fullmatch)
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
            side = bilingual and self.bilingual_supported
            body = part.root.find(WORD.tag("body")) if side else None
            sources = {
                p.element: copy.deepcopy(p.element)
                for p in part.paragraphs
                if body is not None and p.element.getparent() is body
            }
            for paragraph in part.paragraphs:
                runs.write(paragraph, next(remaining), self.dialect)
            if body is not None:
                side_by_side(body, sources)
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


def side_by_side(body: Any, sources: dict[Any, Any]) -> None:
    """Turn each run of translated body paragraphs into a two-column table: source, target."""
    from lxml import etree

    run: list[Any] = []
    for child in [*body, None]:
        if child is not None and child in sources:
            run.append(child)
            continue
        if run:
            table = etree.fromstring(_TABLE)
            run[0].addprevious(table)
            for paragraph in run:
                row = etree.SubElement(table, WORD.tag("tr"))
                for content in (sources[paragraph], paragraph):  # appending moves it
                    cell = etree.SubElement(row, WORD.tag("tc"))
                    cell.append(etree.fromstring(_CELL_PROPERTIES))
                    cell.append(content)
            run = []


_TABLE = f"""<w:tbl xmlns:w="{WORD.namespace}"><w:tblPr><w:tblW w:w="5000" w:type="pct"/>
<w:tblBorders><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders>
</w:tblPr><w:tblGrid><w:gridCol w:w="4680"/><w:gridCol w:w="4680"/></w:tblGrid></w:tbl>"""
_CELL_PROPERTIES = f'<w:tcPr xmlns:w="{WORD.namespace}"><w:tcW w:w="2500" w:type="pct"/></w:tcPr>'


class DocxHandler(_OfficeHandler):
    """`.docx` (Word 2007 and later); bilingual output is a source/translation table."""

    extensions = (".docx",)
    description = "Word document"
    bilingual_supported = True
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
