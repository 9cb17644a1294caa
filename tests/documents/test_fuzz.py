"""Fuzzing every document handler and the manifest loader (issue 12, "beyond the list").

For any input, a handler either refuses it with the project's own error or translates it
whole: every word of every segment reaches the output, translated. A job over hostile
files writes nothing outside its output folder. Hypothesis runs a fixed, derandomised
budget so the suite takes the same few seconds on every run.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop_app.documents import Job
from desktop_app.documents.inline import place_spans
from desktop_app.documents.model import Segment
from desktop_app.documents.registry import handler_classes, handler_for
from desktop_app.engine.package import ModelPackage
from desktop_app.errors import ModelError, TolkError
from tests.app.manifests import write_fake_package
from tests.documents.fakes import FakeTranslator, upper_aligned

_BUDGET = settings(
    max_examples=25,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_WORDS = st.from_regex(r"[a-z]{1,8}", fullmatch=True)
_HOSTILE = st.sampled_from(
    (
        *(" ", "  ", "\n", "\n\n", "\r\n", "\t", ".", "!", "<", ">", "&", "&amp;", "&#0;"),
        *("*", "_", "`", "[x](y)", "#", "%s", "{name}", '"', "\\", "\x00", "\x07", "\x1b"),
        *("\u200b", "\u200d", "\ufeff", "\u202e", "🙂", "👨\u200d👩", "東京", "שלום", "-->"),
        *("]]>", "<b>", "</p>", "<!--", "msgid", "WEBVTT", "00:00:01,000 --> 00:00:02,000"),
    )
)
_TEXTS = st.lists(st.one_of(_WORDS, _HOSTILE), max_size=30).map("".join)
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml(text: str, escape: bool) -> str:
    return html.escape(text, quote=False) if escape else text


def _po(text: str, escape: bool) -> str:
    if not escape:
        return text
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "")


def _zip(entries: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries.items():
            archive.writestr(name, text.encode("utf-8", "surrogatepass"))
    return buffer.getvalue()


_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
_P = 'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
_A = 'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
_ODF = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
_XHTML = (
    '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>{}</p><p>x <b>{}</b></p></body></html>'
)
_CONTAINER = (
    '<container xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
    '<rootfile full-path="OEBPS/content.opf"/></rootfiles></container>'
)
_OPF = (
    '<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><manifest>'
    '<item id="c1" href="c1.xhtml" media-type="application/xhtml+xml"/></manifest>'
    '<spine><itemref idref="c1"/></spine></package>'
)


def _txt(t: str, e: bool) -> str:
    return t


def _srt(t: str, e: bool) -> str:
    return f"1\n00:00:01,000 --> 00:00:02,000\n{t}\n\n2\n00:00:03,000 --> 00:00:04,000\nx {t}\n"


def _vtt(t: str, e: bool) -> str:
    return f"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n{t}\n"


def _html(t: str, e: bool) -> str:
    return f"<html><body><p>{_xml(t, e)}</p><div><span>{_xml(t, e)}</span></div></body></html>"


def _po_file(t: str, e: bool) -> str:
    return f'msgid "{_po(t, e)}"\nmsgstr ""\n\nmsgid "x {_po(t, e)}"\nmsgstr ""\n'


def _xliff(t: str, e: bool) -> str:
    return (
        '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file><body>'
        f'<trans-unit id="1"><source>{_xml(t, e)}</source></trans-unit></body></file></xliff>'
    )


# Text -> bytes, per extension; `escape`: make the text valid in the format, or leave it raw.
_TEXT_FORMATS: dict[str, Callable[[str, bool], str]] = {
    ".txt": _txt,
    ".md": _txt,
    ".markdown": _txt,
    ".srt": _srt,
    ".vtt": _vtt,
    ".html": _html,
    ".htm": _html,
    ".xhtml": lambda t, e: _XHTML.format(_xml(t, e), _xml(t, e)),
    ".po": _po_file,
    ".pot": _po_file,
    ".xlf": _xliff,
    ".xliff": _xliff,
}
_ARCHIVES: dict[str, Callable[[str, bool], dict[str, str]]] = {
    ".docx": lambda t, e: {
        "word/document.xml": f"<w:document {_W}><w:body><w:p><w:r><w:t xml:space="
        f'"preserve">{_xml(t, e)}</w:t></w:r></w:p></w:body></w:document>'
    },
    ".pptx": lambda t, e: {
        "ppt/presentation.xml": f"<p:presentation {_P}/>",
        "ppt/slides/slide1.xml": f"<p:sld {_P} {_A}><p:cSld><p:spTree><p:sp><p:txBody><a:p>"
        f"<a:r><a:t>{_xml(t, e)}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>",
    },
    ".odt": lambda t, e: {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": f"<office:document-content {_ODF}><office:body><office:text><text:p>"
        f"{_xml(t, e)}</text:p></office:text></office:body></office:document-content>",
    },
    ".epub": lambda t, e: {
        "mimetype": "application/epub+zip",
        "META-INF/container.xml": _CONTAINER,
        "OEBPS/content.opf": _OPF,
        "OEBPS/c1.xhtml": _XHTML.format(_xml(t, e), _xml(t, e)),
    },
}


def _document(extension: str, text: str, escape: bool) -> bytes:
    if extension in _ARCHIVES:
        return _zip(_ARCHIVES[extension](text, escape))
    return _TEXT_FORMATS[extension](text, escape).encode("utf-8", "surrogatepass")


def _visible(data: bytes) -> str:
    """All text of an output, whatever its format: archives entry by entry."""
    if data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(_visible(archive.read(name)) for name in archive.namelist())
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            return data.decode(codec, "replace")
    return data.decode("utf-8", "replace")


def _words(segment: Segment) -> list[str]:
    """The lower-case ASCII words of a segment outside its protected spans (kept verbatim)."""
    text = list(segment.text)
    for span in segment.spans:
        if span.protected:
            text[span.start : span.end] = " " * (span.end - span.start)
    return re.findall(r"[a-z]+", "".join(text))


def _check_translated_whole(extension: str, data: bytes, words: list[str]) -> None:
    """`data` is refused with a TolkError, or every word of every segment comes out
    translated and every one of `words` (those put into the document) comes out in some
    form: a parser that stops early must not lose the rest silently."""
    handler = handler_for(Path(f"fuzz{extension}"))
    try:
        extracted = handler.extract(data)
        translations = [
            place_spans(s, upper_aligned(s.text).text, upper_aligned(s.text).alignment)
            for s in extracted.segments
        ]
        written = handler.write(extracted, translations, target="fr")
    except TolkError:
        return  # refused with the project's own, clear error
    visible = _visible(written)
    for segment in extracted.segments:
        for word in _words(segment):
            assert word.upper() in visible, f"{word!r} of {segment.text!r} was not translated"
    for word in words:  # kept verbatim (code, comments, markup) or translated
        assert word in visible or word.upper() in visible, f"{word!r} was dropped"


def test_every_registered_format_is_fuzzed() -> None:
    registered = {ext for cls in handler_classes() for ext in cls.extensions}
    assert registered == set(_TEXT_FORMATS) | set(_ARCHIVES)


@pytest.mark.parametrize("extension", sorted(set(_TEXT_FORMATS) | set(_ARCHIVES)))
@_BUDGET
@given(text=_TEXTS, escape=st.booleans())
# Found by a newer hypothesis on a fresh clone: a subtitle cue of nothing but a tag lost it,
# and a control character in HTML text made writing fail.
@example(text="</p>", escape=False)
@example(text="\x07", escape=False)
def test_any_input_is_translated_whole_or_refused_clearly(
    extension: str, text: str, escape: bool
) -> None:
    if escape:  # valid text in every format: no characters XML forbids
        text = _XML_INVALID.sub("", text)
    # Character references are markup, not words: a format may write `&amp;` as `&`.
    words = re.findall(r"[a-z]+", re.sub(r"&#?\w+;", " ", text))
    _check_translated_whole(extension, _document(extension, text, escape), words)


def _hostile_corpus() -> dict[str, tuple[bytes, list[str]]]:
    """Files that broke parsers before, or could, each with the words it must not lose."""
    deep = "<div>" * 300 + "<p>deep text</p>" + "</div>" * 300 + "<p>after</p>"
    corpus: dict[str, tuple[bytes, list[str]]] = {}
    for extension in sorted(set(_TEXT_FORMATS) | set(_ARCHIVES)):
        stem = extension.lstrip(".")
        valid = _document(extension, "hello wide world. second one", True)
        samples = {
            "valid": valid,
            "empty": b"",
            "blank": b" \n\t\n",
            "nul": b"\x00" * 64,
            "bom": b"\xef\xbb\xbf",
            "utf16": "\ufeffhello world".encode("utf-16-le"),
            "latin1": "café crème brûlée".encode("latin-1"),
            "truncated": valid[: len(valid) // 2],
            "garbage": bytes(range(256)) * 4,
            "deep": _document(extension, deep, False),
            "controls": _document(extension, "a\x00b\x1b[31mc\u200dd", False),
            "path": b"/etc/passwd",
        }
        if extension in _ARCHIVES:
            entries = _ARCHIVES[extension]("hello world", True)
            samples["slip"] = _zip({**entries, "../../escape.txt": "out", "/abs.txt": "x"})
            samples["bad-xml"] = _zip(dict.fromkeys(entries, "<unclosed"))
        kept = {"valid": "hello wide world second one", "deep": "deep text after"}
        for label, data in samples.items():
            corpus[f"{stem}-{label}{extension}"] = (data, kept.get(label, "").split())
    return corpus


def _snapshot(root: Path, skip: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        if path.is_file()
        else "dir"
        for path in root.rglob("*")
        if skip not in path.parents and path != skip
    }


def test_hostile_files_are_refused_or_translated_and_nothing_escapes(tmp_path: Path) -> None:
    corpus = _hostile_corpus()
    for name, (data, words) in corpus.items():
        _check_translated_whole(Path(name).suffix, data, words)

    inputs, output = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (tmp_path / "victim.txt").write_text("untouched", encoding="utf-8")
    for name, (data, _) in corpus.items():
        (inputs / name).write_bytes(data)
    before = _snapshot(tmp_path, output)

    report = Job((inputs,), target="fr", output_dir=output).run(FakeTranslator())

    assert _snapshot(tmp_path, output) == before, "a file outside the output folder changed"
    assert {result.status for result in report.files} <= {"translated", "failed"}
    assert len(report.files) == len(corpus)
    for result in report.files:
        assert "Traceback" not in result.message
        if result.input.name.endswith("-valid" + result.input.suffix):
            assert result.status == "translated", result.message
    written = {path.name for path in output.rglob("*") if path.is_file()}
    assert all(".fr." in name for name in written), written


# --- the manifest loader ----------------------------------------------------------------

_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=6,
)
_MANIFEST_KEYS = st.sampled_from(
    (
        *("name", "family", "languages", "tokenizer", "special_tokens", "files", "source"),
        *("max_input_tokens", "schema_version", "quantization", "verification", "unknown"),
    )
)
_PATHS = st.sampled_from(
    (
        *("../../../../etc/passwd", "/etc/passwd", "..", ".", "", "sub/x.spm", "C:\\x.spm"),
        *("x\x00", "source.spm", "model.bin", "tolk.json", "~/.ssh/id_rsa", "link.spm"),
    )
)


@_BUDGET
@given(key=_MANIFEST_KEYS, value=_JSON)
def test_any_manifest_value_opens_or_is_a_model_error(
    tmp_path_factory: pytest.TempPathFactory, key: str, value: Any
) -> None:
    directory = write_fake_package(tmp_path_factory.mktemp("fuzz") / "pkg")
    manifest = json.loads((directory / "tolk.json").read_text(encoding="utf-8"))
    manifest[key] = value
    (directory / "tolk.json").write_text(json.dumps(manifest), encoding="utf-8")
    with contextlib.suppress(ModelError):  # refused with its reason: fine
        ModelPackage.open(directory).check_files()


@_BUDGET
@given(field=st.sampled_from(["source_model", "target_model", "files"]), path=_PATHS)
def test_a_manifest_never_reaches_outside_its_package(
    tmp_path_factory: pytest.TempPathFactory, field: str, path: str
) -> None:
    root = tmp_path_factory.mktemp("fuzz")
    (root / "outside.spm").write_bytes(b"secret")
    directory = write_fake_package(root / "pkg")
    (directory / "link.spm").symlink_to(root / "outside.spm")
    manifest = json.loads((directory / "tolk.json").read_text(encoding="utf-8"))
    if field == "files":
        manifest["files"][path] = hashlib.sha256(b"secret").hexdigest()
    else:
        manifest["tokenizer"][field] = path
    (directory / "tolk.json").write_text(json.dumps(manifest), encoding="utf-8")
    try:
        package = ModelPackage.open(directory)
    except ModelError:
        return
    spec = package.manifest.tokenizer
    for name in (*package.manifest.files, spec.source_model, spec.target_model):
        resolved = (directory / name).resolve()
        assert resolved.parent == directory.resolve(), f"{name} leads outside the package"
