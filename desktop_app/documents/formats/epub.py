"""EPUB 2 and 3: every spine document and the navigation document through the XHTML
handler, NCX table-of-contents labels, and the book title; `mimetype` stays first, stored."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.documents.formats import html
from desktop_app.documents.formats.office import rezip
from desktop_app.documents.model import Extracted, FormatHandler, Segment, TranslatedSegment
from desktop_app.documents.safety import MAX_ARCHIVE_FILE_BYTES, open_zip, parse_xml, read_entry
from desktop_app.errors import DocumentError

CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
NCX = "http://www.daisy.org/z3986/2005/ncx/"


def _parsed(entry: str) -> bool:
    """Entries reading an e-book may parse: container, package, chapters, table of contents
    (a chapter named otherwise is still held to the limit, alone, by `read_entry`)."""
    return entry.lower().endswith((".xml", ".opf", ".ncx", ".xhtml", ".html", ".htm"))


@dataclass(frozen=True, slots=True)
class _Texts:
    """Elements whose whole text is one plain segment (NCX labels, the book title)."""

    root: Any
    elements: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class _EpubState:
    archive: zipfile.ZipFile
    parts: tuple[tuple[str, html.HtmlState | _Texts, int], ...]  # entry, state, segment count
    package: str


class EpubHandler(FormatHandler[_EpubState]):
    """`.epub` e-books (no DRM)."""

    extensions = (".epub",)
    description = "EPUB e-book"
    max_input_bytes = MAX_ARCHIVE_FILE_BYTES

    def extract(self, data: bytes) -> Extracted[_EpubState]:
        archive = open_zip(data, "EPUB file", _parsed)
        names = set(archive.namelist())
        if "META-INF/container.xml" not in names:
            raise DocumentError("not an EPUB file: the archive has no META-INF/container.xml")
        container = parse_xml(read_entry(archive, "META-INF/container.xml"), "container.xml")
        rootfile = container.find(f".//{{{CONTAINER}}}rootfile")
        package = rootfile.get("full-path", "") if rootfile is not None else ""
        if package not in names:
            raise DocumentError(f"EPUB package document {package or '(none)'} is missing")
        opf = parse_xml(read_entry(archive, package), package)
        folder = posixpath.dirname(package)
        items = {item.get("id"): item for item in opf.iter(f"{{{OPF}}}item") if item.get("href")}
        documents = [
            items[ref.get("idref")]
            for ref in opf.iter(f"{{{OPF}}}itemref")
            if ref.get("idref") in items
        ]
        documents += [
            i
            for i in items.values()
            if "nav" in (i.get("properties") or "").split() and i not in documents
        ]
        parts: list[tuple[str, html.HtmlState | _Texts, int]] = []
        segments: list[Segment] = []
        for item in documents:
            name = posixpath.normpath(posixpath.join(folder, item.get("href")))
            if name not in names or "html" not in (item.get("media-type") or ""):
                continue
            extracted = html.extract_tree(parse_xml(read_entry(archive, name), name), xml=True)
            parts.append((name, extracted.state, len(extracted.segments)))
            segments += extracted.segments
        ncx = next(
            (i for i in items.values() if i.get("media-type") == "application/x-dtbncx+xml"), None
        )
        if ncx is not None:
            name = posixpath.normpath(posixpath.join(folder, ncx.get("href")))
            if name in names:
                root = parse_xml(read_entry(archive, name), name)
                labels = [t for t in root.iter(f"{{{NCX}}}text") if (t.text or "").strip()]
                parts.append((name, _Texts(root, tuple(labels)), len(labels)))
                segments += [Segment(" ".join(t.text.split())) for t in labels]
        titles = [t for t in opf.iter(f"{{{DC}}}title") if (t.text or "").strip()]
        parts.append((package, _Texts(opf, tuple(titles)), len(titles)))
        segments += [Segment(" ".join(t.text.split())) for t in titles]
        return Extracted(tuple(segments), _EpubState(archive, tuple(parts), package))

    def write(
        self,
        extracted: Extracted[_EpubState],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        from lxml import etree

        state = extracted.state
        replaced: dict[str, bytes] = {}
        position = 0
        for name, part, count in state.parts:
            mine = translations[position : position + count]
            position += count
            if isinstance(part, html.HtmlState):
                replaced[name] = html.write_xhtml(part, mine, target)
                continue
            for element, translated in zip(part.elements, mine, strict=True):
                element.text = translated.text
            if name == state.package:
                for language in part.root.iter(f"{{{DC}}}language"):
                    language.text = target
            replaced[name] = (
                etree.tostring(part.root.getroottree(), xml_declaration=True, encoding="UTF-8")
                + b"\n"
            )
        return rezip(state.archive, replaced, first_stored="mimetype")
