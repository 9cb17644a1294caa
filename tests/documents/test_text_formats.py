"""Plain text and subtitles: contract tests plus the layout a reader would check."""

# ruff: noqa: RUF001 -- Cyrillic and CJK text in legacy encodings is what some tests are about

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop_app.documents.formats.plaintext import PlainTextHandler
from desktop_app.documents.formats.subtitles import SubtitleHandler
from desktop_app.documents.model import TranslatedSegment
from tests.documents.contract import FormatContract, round_trip, translate_upper

SRT = """1
00:00:01,000 --> 00:00:02,500
A <i>café</i> for the naïve,
größe matters.

2
00:00:03,000 --> 00:00:04,000
{\\an8}<font color="#ff0000">Red</font> text
"""

VTT = """WEBVTT

NOTE written by hand

00:00:01.000 --> 00:00:02.500 align:start position:10%
<v Roger>A <b>café</b> for the naïve
größe matters.

intro
00:00:03.000 --> 00:00:04.000
Second <c.yellow>cue</c>
"""


class TestPlainText(FormatContract):
    extension = ".txt"

    def sample(self, tmp_path: Path) -> bytes:
        return "A café for the naïve.\n\n  größe\n".encode()

    def malformed(self, tmp_path: Path) -> bytes:
        return b"\x00\x01\x02binary\x00"

    def visible_text(self, data: bytes) -> str:
        return data.decode("utf-8")

    def test_inline_markup_is_carried_into_the_translation(self, tmp_path: Path) -> None:
        """Plain text has no inline markup."""

    def test_layout_line_endings_and_indentation_are_kept(self) -> None:
        data = b"First line\r\nsame paragraph\n\n\n    indented\r\n\ttabbed\n"
        assert round_trip(PlainTextHandler(), data) == data
        assert translate_upper(PlainTextHandler(), data) == data.upper()

    def test_utf16_with_bom_stays_utf16(self) -> None:
        for codec in ("utf-16-le", "utf-16-be"):
            bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
            data = bom + "Grüße aus Köln\r\n".encode(codec)
            written = translate_upper(PlainTextHandler(), data)
            assert written == bom + "GRÜSSE AUS KÖLN\r\n".encode(codec)

    def test_utf8_bom_and_legacy_encodings_are_kept(self) -> None:
        assert (
            round_trip(PlainTextHandler(), b"\xef\xbb\xbfcaf\xc3\xa9\n")
            == b"\xef\xbb\xbfcaf\xc3\xa9\n"
        )
        latin = "Le café est très chaud, même en été à Genève.\n".encode("cp1252")
        assert translate_upper(PlainTextHandler(), latin) == latin.decode("cp1252").upper().encode(
            "cp1252"
        )

    def test_a_translation_the_legacy_encoding_cannot_store_is_written_as_utf8(self) -> None:
        latin = "Le café est chaud.\n".encode("cp1252")
        extracted = PlainTextHandler().extract(latin)
        russian = [TranslatedSegment("Кофе горячий.", (), 0, 0)]

        written = PlainTextHandler().write(extracted, russian, target="ru")

        assert written.decode("utf-8") == "Кофе горячий.\n"

    def test_no_final_newline_is_kept(self) -> None:
        assert translate_upper(PlainTextHandler(), b"one\ntwo") == b"ONE\nTWO"


class TestSrt(FormatContract):
    extension = ".srt"

    def sample(self, tmp_path: Path) -> bytes:
        return SRT.encode()

    def malformed(self, tmp_path: Path) -> bytes:
        return b"1\n00:00:01,000 --> 00:00:0x,000\nbad timing\n"

    def visible_text(self, data: bytes) -> str:
        return re.sub(r"<[^>]+>|\{[^}]*\}", "", data.decode("utf-8"))

    def test_timing_numbering_tags_and_line_breaks_are_kept(self) -> None:
        written = translate_upper(SubtitleHandler(), SRT.encode()).decode()
        assert written == (
            "1\n00:00:01,000 --> 00:00:02,500\nA <i>CAFÉ</i> FOR THE NAÏVE,\nGRÖSSE MATTERS.\n\n"
            '2\n00:00:03,000 --> 00:00:04,000\n{\\an8}<font color="#ff0000">RED</font> TEXT\n'
        )

    def test_missing_index_crlf_and_bom_are_accepted(self) -> None:
        data = "\ufeff00:00:01,000 --> 00:00:02,000\r\nHello\r\n\r\n".encode()
        assert (
            translate_upper(SubtitleHandler(), data)
            == "\ufeff00:00:01,000 --> 00:00:02,000\r\nHELLO\r\n".encode()
        )

    def test_bilingual_puts_the_source_under_the_translation(self) -> None:
        handler = SubtitleHandler()
        extracted = handler.extract(b"1\n00:00:01,000 --> 00:00:02,000\nHello there\n")
        from desktop_app.documents.model import identity

        written = handler.write(
            extracted, [identity(s) for s in extracted.segments], target="fr", bilingual=True
        )
        assert written == b"1\n00:00:01,000 --> 00:00:02,000\nHello there\nHello there\n"


class TestVtt(TestSrt):
    extension = ".vtt"

    def sample(self, tmp_path: Path) -> bytes:
        return VTT.encode()

    def malformed(self, tmp_path: Path) -> bytes:
        return b"WEBVTT\n\n00:01.000 --> bad\nbad timing\n"

    def test_timing_numbering_tags_and_line_breaks_are_kept(self) -> None:
        written = translate_upper(SubtitleHandler(), VTT.encode()).decode()
        assert "NOTE written by hand" in written
        assert (
            "00:00:01.000 --> 00:00:02.500 align:start position:10%\n"
            "<v Roger>A <b>CAFÉ</b> FOR THE NAÏVE\nGRÖSSE MATTERS." in written
        )
        assert "intro\n00:00:03.000 --> 00:00:04.000\nSECOND <c.yellow>CUE</c>\n" in written


def test_large_text_is_streamed_in_parts_with_the_same_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.documents import Job
    from tests.documents.fakes import FakeTranslator

    text = "".join(f"  Paragraph {n}\r\nline two.\n\n\n" for n in range(3000)) + "Shared\n"
    source = tmp_path / "big.txt"
    source.write_bytes(b"\xef\xbb\xbf" + text.encode())
    whole = Job((source,), target="fr", output_dir=tmp_path / "whole").run(FakeTranslator())
    monkeypatch.setattr(PlainTextHandler, "stream_above_bytes", 1000)
    monkeypatch.setattr("desktop_app.documents.encoding.read_decoded.__defaults__", (4096,))
    parts = Job((source,), target="fr", output_dir=tmp_path / "parts").run(FakeTranslator())
    assert whole.ok and parts.ok
    assert parts.files[0].segments == whole.files[0].segments == 3001
    written = (tmp_path / "parts" / "big.fr.txt").read_bytes()
    assert written == (tmp_path / "whole" / "big.fr.txt").read_bytes()
    assert written == b"\xef\xbb\xbf" + text.upper().encode()


def test_a_large_legacy_file_whose_translation_it_cannot_store_fails_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Written in parts, the file cannot switch to UTF-8 halfway: it fails, and says what to do.
    from desktop_app.documents import Job
    from tests.documents.fakes import Aligned, FakeTranslator

    source = tmp_path / "big.txt"
    source.write_bytes("".join(f"Le café numéro {n}.\n\n" for n in range(400)).encode("cp1252"))
    monkeypatch.setattr(PlainTextHandler, "stream_above_bytes", 1000)
    monkeypatch.setattr("desktop_app.documents.encoding.read_decoded.__defaults__", (4096,))
    cyrillic = FakeTranslator(lambda text: Aligned("Кофе.", ()))

    report = Job((source,), target="ru", output_dir=tmp_path / "out").run(cyrillic)

    assert not report.ok
    assert "save the file as UTF-8" in report.files[0].message
    assert not (tmp_path / "out" / "big.ru.txt").exists()


LEGACY = {
    "koi8-r": "Привет, мир! Это простой текстовый файл на русском языке.\nВторая строка.\n",
    "shift_jis": "こんにちは世界。これは日本語のテキストファイルです。\n二行目のテキスト。\n",
    "gb2312": "你好，世界。这是一个中文文本文件。\n第二行文字。\n",
    "big5": "你好，世界。這是一個中文文本檔案。\n第二行文字。\n",
    "euc-kr": "안녕하세요, 세계. 이것은 한국어 텍스트 파일입니다.\n두 번째 줄입니다.\n",
    "iso-8859-2": "Zażółć gęślą jaźń. Příliš žluťoučký kůň úpěl ďábelské ódy.\n",
}


@pytest.mark.parametrize("codec", sorted(LEGACY))
def test_legacy_encodings_are_detected_translated_and_kept(codec: str) -> None:
    """Issue 12 #12: valid Shift_JIS, GB2312, Big5 and EUC-KR were refused as bad UTF-8."""
    text = LEGACY[codec]
    extracted = PlainTextHandler().extract(text.encode(codec))
    assert "\n\n".join(s.text for s in extracted.segments) == text.strip()
    # A translation in the same script is stored as the file was.
    same_script = [TranslatedSegment(s.text[::-1], (), 0, 0) for s in extracted.segments]
    written = PlainTextHandler().write(extracted, same_script, target="xx")
    assert written.decode(codec).strip() == text.strip()[::-1].strip()


def test_a_double_byte_legacy_file_streamed_in_parts_is_decoded_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.documents import Job
    from tests.documents.fakes import FakeTranslator

    paragraph = "これは日本語のテキストファイルです。二行目のテキスト。"
    source = tmp_path / "notes.txt"
    source.write_bytes("".join(f"{paragraph}{n}\n\n" for n in range(300)).encode("shift_jis"))
    monkeypatch.setattr("desktop_app.documents.encoding.read_decoded.__defaults__", (4096,))
    monkeypatch.setattr(PlainTextHandler, "stream_above_bytes", 1024)

    report = Job((source,), target="fr").run(FakeTranslator())

    assert report.ok, report.files
    written = (tmp_path / "notes.fr.txt").read_bytes().decode("shift_jis")
    assert written.count(paragraph) == 300
