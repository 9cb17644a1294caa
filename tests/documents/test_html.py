"""HTML and XHTML: whole paragraphs as segments, inline markup kept, code and scripts untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree, html

from desktop_app.documents.formats.html import HtmlHandler, XhtmlHandler
from desktop_app.documents.model import TranslatedSegment
from desktop_app.errors import DocumentError
from tests.documents.contract import FormatContract, translate_upper

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>My café</title>
<script>var greeting = "hello";</script><style>p { color: red; }</style></head>
<body>
<h1>The naïve <em>größe</em></h1>
<p>Click <a href="/docs" title="the docs">the <b>big</b> button</a>
and run <code>make test</code>.<br>
Then wait.</p>
<div>Loose text <p>inner</p> tail text</div>
<p translate="no">Do not translate</p>
<img src="cat.png" alt="A cat">
<pre>keep   this</pre>
</body></html>
"""


def _canonical(data: bytes) -> list[tuple[str, dict[str, str], str, str]]:
    root = html.document_fromstring(data)
    return [
        (
            str(e.tag),
            dict(e.attrib),
            " ".join((e.text or "").split()),
            " ".join((e.tail or "").split()),
        )
        for e in root.iter()
        if isinstance(e.tag, str) and e.tag != "html"
    ]


class TestHtml(FormatContract):
    extension = ".html"
    empty_is_error = True

    def sample(self, tmp_path: Path) -> bytes:
        return PAGE.encode()

    def malformed(self, tmp_path: Path) -> bytes:
        return b"   \n"

    def visible_text(self, data: bytes) -> str:
        return " ".join(html.document_fromstring(data).itertext())

    def assert_equivalent(self, original: bytes, written: bytes) -> None:
        assert _canonical(written) == _canonical(original)

    def test_scripts_code_and_translate_no_are_untouched(self) -> None:
        written = translate_upper(HtmlHandler(), PAGE.encode()).decode()
        assert 'var greeting = "hello";' in written
        assert "p { color: red; }" in written
        assert "<code>make test</code>" in written
        assert "<pre>keep   this</pre>" in written
        assert '<p translate="no">Do not translate</p>' in written

    def test_sentence_is_one_segment_and_markup_follows_the_words(self) -> None:
        handler = HtmlHandler()
        segments = [s.text for s in handler.extract(PAGE.encode()).segments]
        assert "Click the big button and run make test. Then wait." in segments
        written = translate_upper(handler, PAGE.encode()).decode()
        assert (
            '<a href="/docs" title="THE DOCS">THE <b>BIG</b> BUTTON</a> '
            "AND RUN <code>make test</code>.<br>" in written
        )
        assert "<title>MY CAFÉ</title>" in written
        assert 'alt="A CAT"' in written
        assert "<div>LOOSE TEXT <p>INNER</p> TAIL TEXT</div>" in written
        assert '<html lang="fr">' in written


class TestXhtml(FormatContract):
    extension = ".xhtml"
    empty_is_error = True

    def sample(self, tmp_path: Path) -> bytes:
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml">'
            "<head><title>A café</title></head><body><p>The naïve <b>größe</b> here.<br/>Next.</p>"
            "</body></html>"
        ).encode()

    def malformed(self, tmp_path: Path) -> bytes:
        return b"<html><body><p>unclosed</body>"

    def visible_text(self, data: bytes) -> str:
        return " ".join(etree.fromstring(data).itertext())

    def assert_equivalent(self, original: bytes, written: bytes) -> None:
        def canonical(data: bytes) -> bytes:
            root = etree.fromstring(data)
            for name in ("lang", "{http://www.w3.org/XML/1998/namespace}lang"):
                root.attrib.pop(name, None)
            return etree.tostring(root, method="c14n")

        assert canonical(written) == canonical(original)


def test_encodings_utf8_without_declaration_declared_legacy_and_bom() -> None:
    plain = translate_upper(HtmlHandler(), "<p>Le café naïve</p>".encode())
    assert plain == '<html lang="fr"><body><p>LE CAFÉ NAÏVE</p></body></html>'.encode()
    legacy = '<html><head><meta charset="windows-1252"></head><body><p>Le café</p></body></html>'
    written = translate_upper(HtmlHandler(), legacy.encode("cp1252"))
    assert "<p>LE CAFÉ</p>".encode("cp1252") in written
    with_bom = translate_upper(HtmlHandler(), "\ufeff<!DOCTYPE html><p>Le café</p>".encode())
    assert with_bom.startswith(b"\xef\xbb\xbf<!DOCTYPE html>")
    assert "LE CAFÉ".encode() in with_bom


def _nested(depth: int, *, xhtml: bool = False) -> bytes:
    namespace = ' xmlns="http://www.w3.org/1999/xhtml"' if xhtml else ""
    return (
        f"<html{namespace}><body>"
        + "<div>" * depth
        + "<p>First sentence.</p>"
        + "</div>" * depth
        + "<p>Second sentence.</p></body></html>"
    ).encode()


def test_text_nested_deeper_than_the_parser_goes_fails_the_file_instead_of_vanishing() -> None:
    """Issue 12 #3: libxml2 stops at depth 256 and lxml returned what it had read so far."""
    for handler, data in (
        (HtmlHandler(), _nested(260)),
        (XhtmlHandler(), _nested(260, xhtml=True)),
    ):
        with pytest.raises(DocumentError, match="nested deeper than 256"):
            handler.extract(data)


def test_deep_but_parseable_nesting_is_translated_whole() -> None:
    for handler, data in (
        (HtmlHandler(), _nested(250)),
        (XhtmlHandler(), _nested(250, xhtml=True)),
    ):
        text = translate_upper(handler, data).decode()
        assert "FIRST SENTENCE." in text and "SECOND SENTENCE." in text


POLISH = "Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy."


def test_a_legacy_page_without_a_declaration_is_detected_and_kept() -> None:
    """Issue 12 #12: `LookupError: unknown encoding: 'b'iso8859_10''` from lxml."""
    page = f"<html><body><p>{POLISH}</p></body></html>".encode("iso-8859-2")
    extracted = HtmlHandler().extract(page)
    assert [s.text for s in extracted.segments] == [POLISH]
    written = HtmlHandler().write(
        extracted, [TranslatedSegment(POLISH.upper(), (), 0, 0)], target="pl"
    )
    assert POLISH.upper().encode(extracted.state.encoding.codec) in written


def test_a_declared_legacy_charset_is_honoured_and_unstorable_text_becomes_references() -> None:
    page = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-2">'
        f"</head><body><p>{POLISH}</p></body></html>"
    ).encode("iso-8859-2")
    extracted = HtmlHandler().extract(page)
    assert [s.text for s in extracted.segments] == [POLISH]

    written = HtmlHandler().write(
        extracted, [TranslatedSegment("Съешь же ещё — ąę", (), 0, 0)], target="ru"
    )

    assert b"charset=iso-8859-2" in written
    assert "ąę".encode("iso-8859-2") in written
    reread = html.document_fromstring(written.decode("iso-8859-2"))
    assert reread.findtext(".//p") == "Съешь же ещё — ąę"


def test_a_page_declaring_utf8_with_invalid_bytes_is_refused() -> None:
    page = '<html><head><meta charset="utf-8"></head><body><p>Café</p></body></html>'
    with pytest.raises(DocumentError, match="invalid utf-8"):
        HtmlHandler().extract(page.encode("cp1252"))


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\n\n", ""])
def test_the_files_final_newline_is_kept(ending: str) -> None:
    source = f"<!DOCTYPE html>\n<html><body><p>Hello world.</p></body></html>{ending}"
    written = translate_upper(HtmlHandler(), source.encode("utf-8"))
    assert written.decode("utf-8").endswith(f"</html>{ending}")
    assert b"HELLO WORLD." in written
