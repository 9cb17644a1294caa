"""Limits that keep hostile or broken files from exhausting memory or reaching the network."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import TYPE_CHECKING

from desktop_app.errors import DocumentError

if TYPE_CHECKING:
    from lxml import etree

MAX_TEXT_BYTES = 64 * 1024 * 1024
# XML one document parses, all its parts together (a .docx's body, notes, headers). lxml's
# tree takes about ten times the XML, and the runner holds the whole document, so this
# keeps a document's memory under about 1 GiB (issue 12 #10: a 238 MiB document.xml
# reached 3 GB). Checked from the archive's headers, before anything is unpacked.
MAX_XML_BYTES = 32 * 1024 * 1024
MAX_ARCHIVE_FILE_BYTES = 512 * 1024 * 1024
MAX_ARCHIVE_ENTRIES = 10_000
MAX_ENTRY_BYTES = 256 * 1024 * 1024
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
ENCODING_CONFIDENCE = 0.8
# libxml2's element depth limit. It stays on (no XML_PARSE_HUGE): lifting it lifts every
# other parser limit too, and the segment walkers recurse once per level.
MAX_XML_DEPTH = 256


def xml_parser() -> etree.XMLParser:
    """An XML parser that never loads DTDs, expands entities or opens a network connection."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def parse_xml(data: bytes, name: str) -> etree._Element:
    """Parse `data` with `xml_parser()`; entity declarations are refused outright."""
    from lxml import etree

    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as error:
        if error.code == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            raise DocumentError(_limit_message(name, error.msg)) from None
        raise DocumentError(f"{name}: not well-formed XML ({error})") from None
    doctype = root.getroottree().docinfo
    if doctype.internalDTD is not None and _declares_entities(data):
        raise DocumentError(f"{name}: XML entity declarations are not accepted")
    return root


def check_parsed_whole(error_log: etree._ListErrorLog, name: str) -> None:
    """Fail when a recovering parser (lxml's HTML one) stopped early: it returns the tree
    read so far, and the text after the stop would vanish from the translation.

    Raises:
        DocumentError: the parser hit a fatal error or one of its limits.
    """
    from lxml import etree

    for entry in error_log:
        if entry.level == etree.ErrorLevels.FATAL:
            if entry.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
                raise DocumentError(_limit_message(name, entry.message))
            raise DocumentError(f"{name}: cannot be read to the end ({entry.message})")


def _limit_message(name: str, detail: str) -> str:
    if "depth" in detail:
        return (
            f"{name}: elements are nested deeper than {MAX_XML_DEPTH} levels, "
            "more than Tolk reads; flatten the document"
        )
    return f"{name}: over a parser limit ({detail})"


def _declares_entities(data: bytes) -> bool:
    head = data[: data.find(b"]>") + 2] if b"]>" in data else data[:4096]
    return b"<!ENTITY" in head or b"<!entity" in head


def check_text_size(size: int, name: str, limit: int = MAX_TEXT_BYTES) -> None:
    if size > limit:
        raise DocumentError(
            f"{name}: {size / 2**20:.0f} MiB is over the {limit // 2**20} MiB limit "
            "for this kind of document; split the file"
        )


def open_zip(
    data: bytes, name: str, parsed: Callable[[str], object] = lambda entry: False
) -> zipfile.ZipFile:
    """Open an archive after checking entry count, sizes and compression ratios, and that
    the entries the handler will parse as XML (`parsed(entry name)`) fit `MAX_XML_BYTES`."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DocumentError(f"{name}: not a valid zip archive") from None
    entries = archive.infolist()
    if len(entries) > MAX_ARCHIVE_ENTRIES:
        raise DocumentError(
            f"{name}: {len(entries)} archive entries, more than the {MAX_ARCHIVE_ENTRIES} accepted"
        )
    total = 0
    for entry in entries:
        if entry.file_size > MAX_ENTRY_BYTES:
            raise DocumentError(
                f"{name}: archive entry {entry.filename} is too large when unpacked"
            )
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > 1_000_000 and ratio > MAX_COMPRESSION_RATIO:
            raise DocumentError(
                f"{name}: archive entry {entry.filename} expands {ratio:.0f}x "
                f"(more than {MAX_COMPRESSION_RATIO}x accepted): refusing a possible zip bomb"
            )
        total += entry.file_size
    if total > MAX_ARCHIVE_BYTES:
        raise DocumentError(
            f"{name}: archive unpacks to more than {MAX_ARCHIVE_BYTES // 2**20} MiB"
        )
    xml = sum(entry.file_size for entry in entries if parsed(entry.filename))
    if xml > MAX_XML_BYTES:
        raise DocumentError(
            f"{name}: its text unpacks to {xml / 2**20:.0f} MiB of XML, over the "
            f"{MAX_XML_BYTES // 2**20} MiB Tolk reads from one document; split the document"
        )
    return archive


def read_entry(archive: zipfile.ZipFile, entry: str) -> bytes:
    """Read one member to parse, never past its declared size (headers can lie)."""
    info = archive.getinfo(entry)
    if info.file_size > MAX_XML_BYTES:
        raise DocumentError(
            f"archive entry {entry} unpacks to {info.file_size / 2**20:.0f} MiB, over the "
            f"{MAX_XML_BYTES // 2**20} MiB Tolk reads from one document; split the document"
        )
    with archive.open(info) as handle:
        data = handle.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise DocumentError(f"archive entry {entry} is larger than its header says")
    return data
