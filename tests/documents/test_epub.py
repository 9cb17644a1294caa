"""EPUB: spine documents, navigation, NCX labels and title translated; mimetype first."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

from desktop_app.documents.formats.epub import EpubHandler
from tests.documents.contract import FormatContract, translate_upper

_XHTML = '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">'
FILES = {
    "META-INF/container.xml": """<?xml version="1.0"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>""",
    "OEBPS/content.opf": """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">x</dc:identifier>
<dc:title>The café book</dc:title><dc:language>en</dc:language></metadata>
<manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="ch1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="css" href="style.css" media-type="text/css"/></manifest>
<spine toc="ncx"><itemref idref="ch1"/></spine></package>""",
    "OEBPS/nav.xhtml": f"""<?xml version="1.0" encoding="UTF-8"?>
{_XHTML}<head><title>Contents</title></head><body><nav epub:type="toc">
<ol><li><a href="text/ch1.xhtml">Chapter one</a></li></ol>
</nav></body></html>""",
    "OEBPS/text/ch1.xhtml": f"""<?xml version="1.0" encoding="UTF-8"?>
{_XHTML}<head><title>Chapter one</title><link rel="stylesheet" href="../style.css"/></head>
<body><h1>Chapter one</h1><p>A <em>naïve</em> reader of größe.</p></body></html>""",
    "OEBPS/toc.ncx": """<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><navMap><navPoint id="p1">
<navLabel><text>Chapter one</text></navLabel><content src="text/ch1.xhtml"/>
</navPoint></navMap></ncx>""",
    "OEBPS/style.css": "p { margin: 0 }",
}


def make_epub(files: dict[str, str] = FILES) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        for name, text in files.items():
            archive.writestr(name, text, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _read(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


class TestEpub(FormatContract):
    extension = ".epub"
    empty_is_error = True

    def sample(self, tmp_path: Path) -> bytes:
        return make_epub()

    def malformed(self, tmp_path: Path) -> bytes:
        return make_epub({k: v for k, v in FILES.items() if k != "OEBPS/content.opf"})

    def visible_text(self, data: bytes) -> str:
        entries = _read(data)
        return " ".join(
            " ".join(etree.fromstring(entries[name]).itertext())
            for name in entries
            if name.endswith((".xhtml", ".ncx", ".opf"))
        )

    def assert_equivalent(self, original: bytes, written: bytes) -> None:
        before, after = _read(original), _read(written)
        assert list(after) == list(before)
        for name, data in before.items():
            if name.endswith((".xhtml", ".ncx")):
                assert " ".join(etree.fromstring(after[name]).itertext()).split() == (
                    " ".join(etree.fromstring(data).itertext()).split()
                )
            elif not name.endswith(".opf"):
                assert after[name] == data

    def test_everything_a_reader_sees_is_translated_and_mimetype_is_first(self) -> None:
        written = translate_upper(EpubHandler(), make_epub())
        archive = zipfile.ZipFile(io.BytesIO(written))
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        chapter = archive.read("OEBPS/text/ch1.xhtml").decode()
        assert (
            "<p>A <em>NAÏVE</em> READER OF GRÖSSE.</p>" in chapter
            and "<h1>CHAPTER ONE</h1>" in chapter
        )
        assert (
            '<a href="text/ch1.xhtml">CHAPTER ONE</a>' in archive.read("OEBPS/nav.xhtml").decode()
        )
        assert "<text>CHAPTER ONE</text>" in archive.read("OEBPS/toc.ncx").decode()
        opf = archive.read("OEBPS/content.opf").decode()
        assert (
            "<dc:title>THE CAFÉ BOOK</dc:title>" in opf and "<dc:language>fr</dc:language>" in opf
        )
        assert archive.read("OEBPS/style.css") == b"p { margin: 0 }"
