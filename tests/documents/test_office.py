"""Word and PowerPoint: every place text lives is translated, run formatting kept."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
from pptx import Presentation

from desktop_app.documents.formats.office import DocxHandler, PptxHandler
from tests.documents.contract import FormatContract, translate_upper
from tests.documents.office_samples import docx_text, make_docx, make_pptx


def _entries(data: bytes) -> list[tuple[str, int]]:
    return [(i.filename, i.compress_type) for i in zipfile.ZipFile(io.BytesIO(data)).infolist()]


class TestDocx(FormatContract):
    extension = ".docx"
    empty_is_error = True

    def sample(self, tmp_path: Path) -> bytes:
        return make_docx()

    def malformed(self, tmp_path: Path) -> bytes:
        return b"PK\x03\x04 this is not really a zip archive"

    def visible_text(self, data: bytes) -> str:
        return docx_text(data)

    def assert_equivalent(self, original: bytes, written: bytes) -> None:
        assert docx_text(written).split() == docx_text(original).split()
        assert _entries(written) == _entries(original)

    def test_every_part_is_translated_and_formatting_kept(self) -> None:
        written = translate_upper(DocxHandler(), make_docx())
        text = docx_text(written)
        for phrase in (
            "THE CAFÉ REPORT",
            "FIRST CELL",
            "HEADER WORDS",
            "FOOTER WORDS",
            "A FOOTNOTE ABOUT GRÖSSE.",
            "CHECK THIS CAFÉ.",
            "THE NAÏVE SITE",
            "TEXT BOX WORDS",
        ):
            assert phrase in text
        document = docx.Document(io.BytesIO(written))
        runs = [(r.text, r.bold, r.italic) for r in document.paragraphs[1].runs]
        assert runs == [
            ("A ", None, None),
            ("NAÏVE", True, None),
            (" READER NEEDS A ", None, None),
            ("GRÖSSE", None, True),
            (" TABLE.", None, None),
        ]
        assert document.paragraphs[0].style.name == "Heading 1"

    def test_a_file_that_is_not_a_zip_is_refused_clearly(self, tmp_path: Path) -> None:
        source = tmp_path / "fake.docx"
        source.write_text("just text")
        from desktop_app.documents import Job
        from tests.documents.fakes import FakeTranslator

        report = Job((source,), target="fr").run(FakeTranslator())
        assert not report.ok
        assert "not a valid zip archive" in report.files[0].message
        assert not (tmp_path / "fake.fr.docx").exists()


class TestPptx(FormatContract):
    extension = ".pptx"
    empty_is_error = True
    sample_words = ("café", "naïve", "größe")

    def sample(self, tmp_path: Path) -> bytes:
        return make_pptx()

    def malformed(self, tmp_path: Path) -> bytes:
        return b"not a zip"

    def visible_text(self, data: bytes) -> str:
        presentation = Presentation(io.BytesIO(data))
        texts = []
        for slide in presentation.slides:
            for shape in slide.shapes:
                if shape.has_text_frame:
                    texts.append(shape.text_frame.text)
                if shape.has_table:
                    texts += [cell.text for row in shape.table.rows for cell in row.cells]
            texts.append(slide.notes_slide.notes_text_frame.text)
        return " ".join(texts)

    def assert_equivalent(self, original: bytes, written: bytes) -> None:
        assert self.visible_text(written) == self.visible_text(original)
        assert _entries(written) == _entries(original)

    def test_slides_tables_notes_and_bold_runs(self) -> None:
        written = translate_upper(PptxHandler(), make_pptx())
        text = self.visible_text(written)
        for phrase in ("THE CAFÉ SLIDE", "LEFT CELL", "RIGHT CELL", "SPEAKER NOTES HERE"):
            assert phrase in text
        slide = Presentation(io.BytesIO(written)).slides[0]
        box = next(s for s in slide.shapes if s.has_text_frame and "NAÏVE" in s.text_frame.text)
        runs = [(r.text, r.font.bold) for r in box.text_frame.paragraphs[0].runs]
        assert runs == [("A ", None), ("NAÏVE", True), (" POINT ABOUT GRÖSSE.", None)]
