"""OpenDocument text (.odt): paragraphs and headings of content.xml and styles.xml
(headers, footers), in body text, tables, lists, frames, notes and comments."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.documents import xmlinline
from desktop_app.documents.formats.office import rezip
from desktop_app.documents.model import Extracted, FormatHandler, TranslatedSegment
from desktop_app.documents.safety import MAX_ARCHIVE_FILE_BYTES, open_zip, parse_xml, read_entry
from desktop_app.documents.xmlinline import Group, Kind
from desktop_app.errors import DocumentError

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_BLOCKS = frozenset({f"{{{TEXT}}}p", f"{{{TEXT}}}h"})
_INLINE = frozenset({f"{{{TEXT}}}span", f"{{{TEXT}}}a"})
_SPACES = frozenset({f"{{{TEXT}}}s", f"{{{TEXT}}}tab", f"{{{TEXT}}}line-break"})
_PARTS = ("content.xml", "styles.xml")


def classify(element: Any) -> Kind:
    """Paragraphs and headings hold the text; spans and links format it; everything else
    (spaces, tabs, breaks, fields, frames, notes) is an anchor, searched for nested text."""
    if element.tag in _BLOCKS:
        return Kind.BLOCK
    if element.tag in _INLINE:
        return Kind.INLINE
    if element.tag in _SPACES:
        return Kind.SPACE
    return Kind.ATOM


@dataclass(frozen=True, slots=True)
class _OdtState:
    archive: zipfile.ZipFile
    parts: tuple[tuple[str, Any, tuple[Group, ...]], ...]


class OdtHandler(FormatHandler[_OdtState]):
    """`.odt` (LibreOffice and other OpenDocument writers)."""

    extensions = (".odt",)
    description = "OpenDocument text"
    max_input_bytes = MAX_ARCHIVE_FILE_BYTES

    def extract(self, data: bytes) -> Extracted[_OdtState]:
        archive = open_zip(data, "OpenDocument file", _PARTS.__contains__)
        if "content.xml" not in archive.namelist():
            raise DocumentError("not an OpenDocument file: the archive has no content.xml")
        parts = []
        segments = []
        for name in _PARTS:
            if name not in archive.namelist():
                continue
            root = parse_xml(read_entry(archive, name), name)
            found = []
            for group in xmlinline.groups(root, classify):
                segment = xmlinline.extract(group, classify, collapse=True)
                if segment.text:
                    found.append(group)
                    segments.append(segment)
            parts.append((name, root, tuple(found)))
        return Extracted(tuple(segments), _OdtState(archive, tuple(parts)))

    def write(
        self,
        extracted: Extracted[_OdtState],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        from lxml import etree

        remaining = iter(translations)
        replaced = {}
        for name, root, found in extracted.state.parts:
            for group in found:
                xmlinline.write(group, next(remaining), classify)
            replaced[name] = etree.tostring(
                root.getroottree(), xml_declaration=True, encoding="UTF-8"
            )
        return rezip(extracted.state.archive, replaced)
