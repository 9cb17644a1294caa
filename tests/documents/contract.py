"""The contract every format handler passes; each format's tests subclass `FormatContract`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest

from desktop_app.documents import Job
from desktop_app.documents.inline import place_spans
from desktop_app.documents.model import AnyHandler, TranslatedSegment, identity
from desktop_app.documents.registry import handler_for
from desktop_app.errors import DocumentError
from tests.documents.fakes import FakeTranslator, upper_aligned


def translate_upper(handler: AnyHandler, data: bytes, target: str = "fr") -> bytes:
    """Run `data` through `handler` with every word upper-cased (spans carried over)."""
    extracted = handler.extract(data)
    translations = [
        place_spans(s, upper_aligned(s.text).text, upper_aligned(s.text).alignment)
        for s in extracted.segments
    ]
    return handler.write(extracted, translations, target=target)


def round_trip(handler: AnyHandler, data: bytes) -> bytes:
    extracted = handler.extract(data)
    translations: Sequence[TranslatedSegment] = [identity(s) for s in extracted.segments]
    return handler.write(extracted, translations, target="en")


class FormatContract:
    """Subclasses set `extension` and implement the sample documents and `visible_text`."""

    extension: ClassVar[str]
    # Words of `sample()` (lower case, with non-ASCII) that a reader sees.
    sample_words: ClassVar[tuple[str, ...]] = ("café", "naïve", "größe")
    empty_is_error: ClassVar[bool] = False

    def sample(self, tmp_path: Path) -> bytes:
        raise NotImplementedError

    def empty(self, tmp_path: Path) -> bytes:
        return b""

    def malformed(self, tmp_path: Path) -> bytes:
        raise NotImplementedError

    def visible_text(self, data: bytes) -> str:
        raise NotImplementedError

    def assert_equivalent(self, original: bytes, written: bytes) -> None:
        assert written == original

    @property
    def handler(self) -> AnyHandler:
        return handler_for(Path(f"x{self.extension}"))

    def test_identity_round_trip_gives_an_equivalent_file(self, tmp_path: Path) -> None:
        original = self.sample(tmp_path)
        self.assert_equivalent(original, round_trip(self.handler, original))

    def test_translation_replaces_every_visible_word_including_non_ascii(
        self, tmp_path: Path
    ) -> None:
        written = translate_upper(self.handler, self.sample(tmp_path))
        text = self.visible_text(written)
        for word in self.sample_words:
            assert word.upper() in text
            assert word not in text

    def test_inline_markup_is_carried_into_the_translation(self, tmp_path: Path) -> None:
        handler = self.handler
        extracted = handler.extract(self.sample(tmp_path))
        spans = sum(len(s.spans) for s in extracted.segments)
        assert spans > 0, "the sample must have inline markup"
        placed = [
            place_spans(s, upper_aligned(s.text).text, upper_aligned(s.text).alignment)
            for s in extracted.segments
        ]
        assert sum(p.spans_placed for p in placed) == spans

    def test_empty_file(self, tmp_path: Path) -> None:
        data = self.empty(tmp_path)
        if self.empty_is_error:
            with pytest.raises(DocumentError):
                self.handler.extract(data)
            return
        extracted = self.handler.extract(data)
        assert extracted.segments == ()
        self.handler.write(extracted, [], target="fr")

    def test_malformed_file_is_a_clear_document_error(self, tmp_path: Path) -> None:
        with pytest.raises(DocumentError):
            self.handler.extract(self.malformed(tmp_path))

    def test_job_writes_a_translated_file_beside_the_input(self, tmp_path: Path) -> None:
        source = tmp_path / f"sample{self.extension}"
        source.write_bytes(self.sample(tmp_path))
        report = Job((source,), target="fr").run(FakeTranslator())
        assert report.ok, report.files
        output = tmp_path / f"sample.fr{self.extension}"
        assert output.exists()
        assert "CAFÉ" in self.visible_text(output.read_bytes())
