"""Word and PowerPoint files built in the test session with python-docx and python-pptx."""

from __future__ import annotations

import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NAMESPACES = (
    f'xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
)
_FOOTNOTES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {_NAMESPACES}><w:footnote w:id="1">
<w:p><w:r><w:t>A footnote about größe.</w:t></w:r></w:p>
</w:footnote></w:footnotes>"""
_COMMENTS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:comments {_NAMESPACES}><w:comment w:id="0" w:author="A">
<w:p><w:r><w:t>Check this café.</w:t></w:r></w:p>
</w:comment></w:comments>"""
_EXTRA_BODY = (
    f"<w:p {_NAMESPACES}>"
    '<w:r><w:t xml:space="preserve">See </w:t></w:r>'
    '<w:hyperlink r:id="rId99"><w:r><w:rPr><w:u w:val="single"/></w:rPr>'
    "<w:t>the naïve site</w:t></w:r></w:hyperlink>"
    '<w:r><w:t xml:space="preserve"> today.</w:t></w:r>'
    "<w:r><w:pict><v:shape><v:textbox><w:txbxContent>"
    "<w:p><w:r><w:t>Text box words</w:t></w:r></w:p>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></w:r></w:p>"
)


def make_docx() -> bytes:
    """Body with bold and italic runs, a heading, a table, a header and footer, a hyperlink,
    a text box, a footnote and a comment (the last two added as parts by hand)."""
    import docx
    from lxml import etree

    document = docx.Document()
    document.add_heading("The café report", 1)
    paragraph = document.add_paragraph("A ")
    paragraph.add_run("naïve").bold = True
    paragraph.add_run(" reader needs a ")
    paragraph.add_run("größe").italic = True
    paragraph.add_run(" table.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "First cell"
    table.cell(0, 1).text = "Second cell"
    section = document.sections[0]
    section.header.paragraphs[0].text = "Header words"
    section.footer.paragraphs[0].text = "Footer words"
    body = document.element.body
    body.insert(len(body) - 1, etree.fromstring(_EXTRA_BODY))
    buffer = io.BytesIO()
    document.save(buffer)
    return add_entries(
        buffer.getvalue(), {"word/footnotes.xml": _FOOTNOTES, "word/comments.xml": _COMMENTS}
    )


def add_entries(data: bytes, entries: dict[str, str]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as output:
        for info in source.infolist():
            output.writestr(info, source.read(info.filename))
        for name, text in entries.items():
            output.writestr(name, text.encode())
    return buffer.getvalue()


def docx_text(data: bytes) -> str:
    """Every w:t of every part, in order (what Word shows, comments and notes included)."""
    from lxml import etree

    archive = zipfile.ZipFile(io.BytesIO(data))
    texts = []
    for name in archive.namelist():
        if name.startswith("word/") and name.endswith(".xml"):
            root = etree.fromstring(archive.read(name))
            texts += [t.text or "" for t in root.iter(f"{{{W}}}t")]
    return " ".join(texts)


def make_pptx() -> bytes:
    """A title, a text box with a bold run, a table and speaker notes."""
    from pptx import Presentation
    from pptx.util import Inches

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[5])
    slide.shapes.title.text = "The café slide"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(6), Inches(1))
    paragraph = box.text_frame.paragraphs[0]
    paragraph.add_run().text = "A "
    bold = paragraph.add_run()
    bold.text = "naïve"
    bold.font.bold = True
    paragraph.add_run().text = " point about größe."
    table = slide.shapes.add_table(1, 2, Inches(1), Inches(4), Inches(4), Inches(1)).table
    table.cell(0, 0).text = "Left cell"
    table.cell(0, 1).text = "Right cell"
    slide.notes_slide.notes_text_frame.text = "Speaker notes here"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()
