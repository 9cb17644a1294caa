"""Hostile files: entity bombs, external entities, zip bombs, huge or undecodable text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from desktop_app.documents import Job
from desktop_app.documents.formats.html import XhtmlHandler
from desktop_app.documents.formats.office import DocxHandler
from desktop_app.documents.formats.plaintext import PlainTextHandler
from desktop_app.documents.formats.xliff import XliffHandler
from desktop_app.documents.safety import MAX_ARCHIVE_ENTRIES, MAX_TEXT_BYTES
from desktop_app.errors import DocumentError
from tests.documents.fakes import FakeTranslator

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file><body>
<trans-unit id="1"><source>&lol9;</source></trans-unit></body></file></xliff>"""


def _external_entity(secret: Path) -> bytes:
    return f"""<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY secret SYSTEM "file://{secret}">]>
<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Leak: &secret;</p></body></html>""".encode()


def test_billion_laughs_is_refused() -> None:
    with pytest.raises(DocumentError, match="entity"):
        XliffHandler().extract(BILLION_LAUGHS)


def test_external_entity_never_reads_the_local_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    source = tmp_path / "page.xhtml"
    source.write_bytes(_external_entity(secret))
    report = Job((source,), target="fr").run(FakeTranslator())
    assert report.files[0].status == "failed"
    assert "entity" in report.files[0].message
    assert not (tmp_path / "page.fr.xhtml").exists()
    with pytest.raises(DocumentError):
        XhtmlHandler().extract(_external_entity(secret))


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_zip_bomb_by_ratio_is_refused_before_unpacking() -> None:
    bomb = _zip({"word/document.xml": b"\0" * 50_000_000})
    assert len(bomb) < 100_000
    with pytest.raises(DocumentError, match="zip bomb"):
        DocxHandler().extract(bomb)


def test_zip_bomb_by_entry_count_is_refused() -> None:
    many = _zip({f"f{n}.xml": b"" for n in range(MAX_ARCHIVE_ENTRIES + 1)})
    with pytest.raises(DocumentError, match="archive entries"):
        DocxHandler().extract(many)


def test_a_one_gigabyte_single_line_text_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:  # 1 MiB of words, then sparse: no disk space is used
        handle.write(b"word " * (1 << 18))
        handle.truncate(1024**3)
    report = Job((huge,), target="fr").run(FakeTranslator())
    assert report.files[0].status == "failed"
    assert "a paragraph longer than 1,048,576 characters" in report.files[0].message
    assert not (tmp_path / "huge.fr.txt").exists()


def test_text_over_the_streaming_limit_is_refused_before_reading(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(PlainTextHandler.max_input_bytes + 1)
    report = Job((huge,), target="fr").run(FakeTranslator())
    assert "MiB limit" in report.files[0].message


def test_other_text_formats_keep_the_in_memory_limit(tmp_path: Path) -> None:
    huge = tmp_path / "huge.srt"
    with huge.open("wb") as handle:
        handle.truncate(MAX_TEXT_BYTES + 1)
    report = Job((huge,), target="fr").run(FakeTranslator())
    assert f"over the {MAX_TEXT_BYTES // 2**20} MiB limit" in report.files[0].message


def test_invalid_utf8_without_a_detectable_encoding_is_a_clear_error() -> None:
    noise = bytes(range(128, 256)) * 4 + b"\xc3\x28\xa0\xa1"
    with pytest.raises(DocumentError, match="encoding"):
        PlainTextHandler().extract(noise)


def test_damaged_utf8_is_reported_with_its_byte_offset_not_read_as_latin1() -> None:
    damaged = "Le café est prêt.\n".encode() + b"\xff\xfe broken\n"
    with pytest.raises(DocumentError, match="invalid UTF-8 at byte 20"):
        PlainTextHandler().extract(damaged)


def test_html_parser_never_reads_an_external_entity(tmp_path: Path) -> None:
    from desktop_app.documents.formats.html import HtmlHandler
    from tests.documents.contract import translate_upper

    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    page = f'<!DOCTYPE html [<!ENTITY x SYSTEM "file://{secret}">]><p>Leak &x; here</p>'
    assert b"TOP-SECRET" not in translate_upper(HtmlHandler(), page.encode())


def test_xml_nested_past_the_depth_limit_fails_every_xml_format_clearly() -> None:
    """Issue 12 #3, for the XML-based formats: a clear error, not libxml2's option name."""
    from desktop_app.documents.formats.odt import OdtHandler

    deep = "<w:sdt>" * 300 + "</w:sdt>" * 300
    word = (
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p><w:r><w:t>Kept</w:t></w:r></w:p>{deep}</w:body></w:document>"
    )
    ns = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    odt = f"<office:document-content {ns}>{'<office:text>' * 300}{'</office:text>' * 300}"
    odt += "</office:document-content>"
    xliff = f'<xliff version="1.2">{"<g>" * 300}{"</g>" * 300}</xliff>'
    cases = (
        (DocxHandler(), _zip({"word/document.xml": word.encode()})),
        (
            OdtHandler(),
            _zip(
                {
                    "mimetype": b"application/vnd.oasis.opendocument.text",
                    "content.xml": odt.encode(),
                }
            ),
        ),
        (XliffHandler(), xliff.encode()),
    )
    for handler, data in cases:
        with pytest.raises(DocumentError, match="nested deeper than 256"):
            handler.extract(data)


def test_an_xml_part_over_the_parse_limit_is_refused_before_it_is_unpacked() -> None:
    """Issue 12 #10: a docx whose document.xml is 238 MiB (inside every archive limit)
    reached 3 GB of memory while parsing. Stored uncompressed here, as random text would
    be compressed, so that no zip-bomb check refuses it first."""
    from desktop_app.documents.safety import MAX_XML_BYTES

    paragraph = b"<w:p><w:r><w:t>Hello world, this is text.</w:t></w:r></w:p>"
    body = paragraph * (MAX_XML_BYTES // len(paragraph) + 1)
    word = b'<w:document xmlns:w="urn:w"><w:body>' + body + b"</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", word)
    del body, word

    with pytest.raises(DocumentError, match=f"over the {MAX_XML_BYTES // 2**20} MiB"):
        DocxHandler().extract(buffer.getvalue())


def test_the_xml_limit_counts_every_part_a_document_parses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop_app.documents import safety
    from desktop_app.documents.formats.epub import EpubHandler
    from desktop_app.documents.formats.odt import OdtHandler

    monkeypatch.setattr(safety, "MAX_XML_BYTES", 1000)
    text = b"<x>" + b"a" * 600 + b"</x>"
    cases = (
        (DocxHandler(), {"word/document.xml": text, "word/footer1.xml": text}),
        (OdtHandler(), {"content.xml": text, "styles.xml": text}),
        (EpubHandler(), {"META-INF/container.xml": text, "OEBPS/c1.xhtml": text}),
    )
    for handler, parts in cases:
        with pytest.raises(DocumentError, match="over the 0 MiB"):
            handler.extract(_zip(parts))
    # Parts that are never parsed (images, fonts) do not count.
    DocxHandler().extract(
        _zip({"word/document.xml": b'<w:document xmlns:w="urn:w"/>', "word/media/a.png": text * 3})
    )
