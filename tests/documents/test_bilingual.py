"""--bilingual: source and translation side by side where the format allows."""

from __future__ import annotations

import io
from pathlib import Path

import docx

from desktop_app.documents import Job
from desktop_app.documents.formats.html import HtmlHandler
from desktop_app.documents.formats.markdown import MarkdownHandler
from desktop_app.documents.inline import place_spans
from desktop_app.documents.model import AnyHandler
from tests.documents.fakes import FakeTranslator, upper_aligned
from tests.documents.office_samples import make_docx


def _bilingual(handler: AnyHandler, data: bytes) -> str:
    extracted = handler.extract(data)
    translations = [
        place_spans(s, upper_aligned(s.text).text, upper_aligned(s.text).alignment)
        for s in extracted.segments
    ]
    return handler.write(extracted, translations, target="fr", bilingual=True).decode()


def test_docx_body_becomes_a_source_and_translation_table(tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    source.write_bytes(make_docx())
    assert Job((source,), target="fr", bilingual=True).run(FakeTranslator()).ok
    document = docx.Document(io.BytesIO((tmp_path / "report.fr.docx").read_bytes()))
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["The café report", "THE CAFÉ REPORT"] in rows
    assert ["A naïve reader needs a größe table.", "A NAÏVE READER NEEDS A GRÖSSE TABLE."] in rows
    assert ["FIRST CELL", "SECOND CELL"] in rows  # an existing table is translated in place
    assert document.sections[0].header.paragraphs[0].text == "HEADER WORDS"


def test_html_paragraphs_follow_their_source() -> None:
    page = b"<html><body><h1>Title</h1><p>Some <b>bold</b> text.</p><ul><li>Item</li></ul></body>"
    written = _bilingual(HtmlHandler(), page)
    assert '<h1 class="tolk-source">Title</h1><h1>TITLE</h1>' in written
    assert (
        '<p class="tolk-source">Some <b>bold</b> text.</p><p>SOME <b>BOLD</b> TEXT.</p>' in written
    )
    assert "<li>ITEM</li>" in written


def test_markdown_paragraphs_follow_their_source() -> None:
    written = _bilingual(MarkdownHandler(), b"# Title\n\nFirst *para*\nwraps.\n\n- item\n")
    assert written == "# TITLE\n\nFirst *para*\nwraps.\n\nFIRST *PARA*\nWRAPS.\n\n- ITEM\n"
