"""OpenDocument text: paragraphs, headings, tables, spans, notes; written by hand as XML."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from desktop_app.documents.formats.odt import OdtHandler
from tests.documents.contract import FormatContract, translate_upper

_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)
CONTENT = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NS} office:version="1.3">'
    "<office:body><office:text>\n"
    '<text:h text:outline-level="1">The café heading</text:h>\n'
    '<text:p>A <text:span text:style-name="Bold">naïve</text:span> reader<text:s text:c="2"/>'
    'with a <text:a xlink:href="http://example.com">größe link</text:a>.'
    '<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation>'
    "<text:note-body><text:p>The note text.</text:p></text:note-body></text:note></text:p>\n"
    "<table:table><table:table-row><table:table-cell><text:p>Cell words</text:p>"
    "</table:table-cell></table:table-row></table:table>\n"
    "<text:list><text:list-item><text:p>List words</text:p></text:list-item></text:list>\n"
    "</office:text></office:body></office:document-content>"
)


def make_odt(content: str = CONTENT) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", "<manifest/>", zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _content(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("content.xml")


class TestOdt(FormatContract):
    extension = ".odt"
    empty_is_error = True

    def sample(self, tmp_path: Path) -> bytes:
        return make_odt()

    def malformed(self, tmp_path: Path) -> bytes:
        return make_odt("<office:document-content><unclosed>")

    def visible_text(self, data: bytes) -> str:
        return " ".join(etree.fromstring(_content(data)).itertext())

    def assert_equivalent(self, original: bytes, written: bytes) -> None:
        canonical = [
            etree.tostring(etree.fromstring(_content(d)), method="c14n")
            for d in (original, written)
        ]
        assert canonical[0] == canonical[1]
        names = [
            [i.filename for i in zipfile.ZipFile(io.BytesIO(d)).infolist()]
            for d in (original, written)
        ]
        assert names[0] == names[1] and names[1][0] == "mimetype"

    def test_spans_links_spaces_notes_and_tables(self) -> None:
        written = _content(translate_upper(OdtHandler(), make_odt())).decode()
        assert '<text:h text:outline-level="1">THE CAFÉ HEADING</text:h>' in written
        assert (
            'A <text:span text:style-name="Bold">NAÏVE</text:span> '
            'READER<text:s text:c="2"/>WITH A '
            '<text:a xlink:href="http://example.com">GRÖSSE LINK</text:a>.<text:note'
        ) in written
        assert "<text:p>THE NOTE TEXT.</text:p>" in written
        assert "<text:note-citation>1</text:note-citation>" in written
        assert "<text:p>CELL WORDS</text:p>" in written and "<text:p>LIST WORDS</text:p>" in written
