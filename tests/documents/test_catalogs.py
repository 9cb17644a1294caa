"""Gettext catalogs and XLIFF: messages translated, placeholders and inline codes kept."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from lxml import etree

from desktop_app.documents.formats.po import PoHandler
from desktop_app.documents.formats.xliff import XliffHandler
from desktop_app.documents.inline import place_spans
from desktop_app.documents.model import Segment, TranslatedSegment
from desktop_app.errors import DocumentError
from tests.documents.contract import FormatContract, translate_upper

PO = """# Translations of the app.
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 ? 1 : 2);\\n"

#. A note for translators
#: src/app.py:10
#, python-format
msgctxt "menu"
msgid "Open the café of %(name)s"
msgstr ""

msgid "One naïve file"
msgid_plural "%d größe files"
msgstr[0] ""
msgstr[1] ""
msgstr[2] ""

msgid "Hello {user}, you have %s messages"
msgstr ""

msgid "Already done"
msgstr "Déjà fait"

#~ msgid "old"
#~ msgstr "vieux"
"""

XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="en" datatype="plaintext" original="app">
    <body>
      <trans-unit id="1">
        <source>Open the <g id="b1">café</g> now<x id="br"/> please.</source>
      </trans-unit>
      <trans-unit id="2">
        <source>Done</source>
        <target>Fait</target>
      </trans-unit>
      <trans-unit id="3">
        <source>Click <bpt id="1">&lt;b&gt;</bpt>naïve<ept id="1">&lt;/b&gt;</ept> größe.</source>
        <target/>
      </trans-unit>
    </body>
  </file>
</xliff>
"""

XLIFF_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en">
  <file id="f1">
    <unit id="u1">
      <segment>
        <source>Hello <pc id="1">naïve</pc> café world<ph id="2"/>, größe.</source>
      </segment>
    </unit>
  </file>
</xliff>
"""


class TestPo(FormatContract):
    extension = ".po"

    def sample(self, tmp_path: Path) -> bytes:
        return PO.encode()

    def malformed(self, tmp_path: Path) -> bytes:
        return b'msgid "a"\nmsgstr "b"\nnot a keyword\n'

    def visible_text(self, data: bytes) -> str:
        catalog = polib.pofile(data.decode())
        return " ".join(
            [e.msgstr for e in catalog] + [s for e in catalog for s in e.msgstr_plural.values()]
        )

    def assert_equivalent(self, original: bytes, written: bytes) -> None:
        before, after = polib.pofile(original.decode()), polib.pofile(written.decode())
        assert [(e.msgctxt, e.msgid, e.msgid_plural, e.occurrences, e.comment) for e in after] == [
            (e.msgctxt, e.msgid, e.msgid_plural, e.occurrences, e.comment) for e in before
        ]
        for entry in after:
            if entry.obsolete:
                assert entry.msgstr == "vieux"
            elif entry.msgid == "Already done":
                assert entry.msgstr == "Déjà fait" and "fuzzy" not in entry.flags
            elif entry.msgid_plural:
                assert entry.msgstr_plural == {
                    0: entry.msgid,
                    1: entry.msgid_plural,
                    2: entry.msgid_plural,
                }
            else:
                assert entry.msgstr == entry.msgid

    def test_inline_markup_is_carried_into_the_translation(self, tmp_path: Path) -> None:
        """Placeholders are the inline markup of a catalog; see the placeholder test."""

    def test_machine_translations_are_fuzzy_and_placeholders_survive(self) -> None:
        catalog = polib.pofile(translate_upper(PoHandler(), PO.encode()).decode())
        by_id = {e.msgid: e for e in catalog}
        opened = by_id["Open the café of %(name)s"]
        assert opened.msgstr == "OPEN THE CAFÉ OF %(name)s"
        assert opened.flags == ["python-format", "fuzzy"]
        assert opened.msgctxt == "menu"
        assert opened.comment == "A note for translators"
        assert (
            by_id["Hello {user}, you have %s messages"].msgstr
            == "HELLO {user}, YOU HAVE %s MESSAGES"
        )
        assert by_id["One naïve file"].msgstr_plural == {
            0: "ONE NAÏVE FILE",
            1: "%d GRÖSSE FILES",
            2: "%d GRÖSSE FILES",
        }
        assert catalog.metadata["Language"] == "fr"
        assert by_id["Already done"].msgstr == "Déjà fait"
        assert [e.msgid for e in catalog.obsolete_entries()] == ["old"]

    def test_a_placeholder_the_model_drops_is_put_back(self) -> None:
        segment = PoHandler().extract(b'msgid "Delete %s now?"\nmsgstr ""\n').segments[0]
        translated = place_spans(segment, "Supprimer maintenant ?", ())
        assert "%s" in translated.text

    def test_a_catalog_whose_charset_cannot_store_the_translation_becomes_utf8(self) -> None:
        latin = (
            'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
            'msgid "Caf\xe9"\nmsgstr ""\n'
        ).encode("latin-1")
        extracted = PoHandler().extract(latin)
        russian = [TranslatedSegment("Кофе", (), 0, 0)]

        written = PoHandler().write(extracted, russian, target="ru")

        catalog = polib.pofile(written.decode("utf-8"))
        assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
        assert catalog.find("Café").msgstr == "Кофе"

    def test_percent_signs_in_prose_are_not_placeholders(self) -> None:
        catalog = b'msgid "100% sure: 50% of %-5d items at %.1f%% (%(rate)s)"\nmsgstr ""\n'
        segment = PoHandler().extract(catalog).segments[0]
        protected = [segment.text[span.start : span.end] for span in segment.spans]
        assert protected == ["%-5d", "%.1f", "%(rate)s"]

    def test_a_dropped_placeholder_never_takes_the_place_of_a_real_word(self) -> None:
        source = "You have %d new messages."
        segment = PoHandler().extract(f'msgid "{source}"\nmsgstr ""\n'.encode()).segments[0]
        translation = "Vous avez de nouveaux messages."
        # The model dropped %d, and the attention pointed it at "messages".
        messages = translation.index("messages")
        alignment = [(9, 11, messages, messages + 8)]

        translated = place_spans(segment, translation, alignment)

        assert "%d" in translated.text and "messages" in translated.text
        # A model that mangled the placeholder gets its rendering replaced instead.
        mangled = "Vous avez %D nouveaux messages."
        position = mangled.index("%D")
        replaced = place_spans(segment, mangled, [(9, 11, position, position + 2)])
        assert replaced.text == "Vous avez %d nouveaux messages."
        named = PoHandler().extract(b'msgid "You have %(count)d new messages."\nmsgstr ""\n')
        french = "Vous avez %(nombre)d nouveaux messages."
        position = french.index("%(")
        renamed = place_spans(named.segments[0], french, [(9, 18, position, position + 10)])
        assert renamed.text == "Vous avez %(count)d nouveaux messages."


class TestXliff12(FormatContract):
    extension = ".xlf"
    empty_is_error = True

    def sample(self, tmp_path: Path) -> bytes:
        return XLIFF_12.encode()

    def malformed(self, tmp_path: Path) -> bytes:
        return b"<xliff><file>"

    def visible_text(self, data: bytes) -> str:
        root = etree.fromstring(data)
        return " ".join(t for target in root.iter("{*}target") for t in target.itertext())

    def assert_equivalent(self, original: bytes, written: bytes) -> None:
        source_root, written_root = etree.fromstring(original), etree.fromstring(written)
        sources = [etree.tostring(s, with_tail=False) for s in source_root.iter("{*}source")]
        assert [
            etree.tostring(s, with_tail=False) for s in written_root.iter("{*}source")
        ] == sources
        for unit in written_root.iter("{*}trans-unit", "{*}segment"):
            source, target = unit.find("{*}source"), unit.find("{*}target")
            if unit.get("id") != "2":
                assert [c.tag for c in target] == [c.tag for c in source]
                assert "".join(target.itertext()) == "".join(source.itertext())

    def test_inline_codes_and_state(self) -> None:
        written = translate_upper(XliffHandler(), XLIFF_12.encode()).decode()
        assert (
            '<target state="needs-review-translation">'
            'OPEN THE <g id="b1">CAFÉ</g> NOW<x id="br"/> PLEASE.</target>'
        ) in written
        assert "<target>Fait</target>" in written
        assert (
            'CLICK <bpt id="1">&lt;b&gt;</bpt>NAÏVE<ept id="1">&lt;/b&gt;</ept> GRÖSSE.' in written
        )
        assert 'target-language="fr"' in written


class TestXliff20(TestXliff12):
    extension = ".xliff"

    def sample(self, tmp_path: Path) -> bytes:
        return XLIFF_20.encode()

    def test_inline_codes_and_state(self) -> None:
        written = translate_upper(XliffHandler(), XLIFF_20.encode()).decode()
        assert (
            '<target>HELLO <pc id="1">NAÏVE</pc> CAFÉ WORLD<ph id="2"/>, GRÖSSE.</target>'
            in written
        )
        assert '<segment state="translated">' in written
        assert 'trgLang="fr"' in written

    def test_plain_text_round_trip_segments(self) -> None:
        assert (
            XliffHandler().extract(XLIFF_20.encode()).segments[0].text
            == "Hello naïve café world, größe."
        )
        assert isinstance(XliffHandler().extract(XLIFF_20.encode()).segments[0], Segment)


def test_a_catalog_whose_content_is_a_path_is_never_read_as_that_file(tmp_path: Path) -> None:
    """Issue 12 #4: polib opens any string that names an existing file."""
    secret = tmp_path / "secret.po"
    secret.write_text('msgid "Top secret"\nmsgstr ""\n', encoding="utf-8")

    try:
        extracted = PoHandler().extract(str(secret).encode())
    except DocumentError:
        return  # refusing the file is fine; reading the other one is not
    assert all("secret" not in segment.text.lower() for segment in extracted.segments)


def test_a_catalog_declaring_utf8_with_invalid_bytes_fails_instead_of_being_rewritten() -> None:
    """Issue 12 #7: the msgid came out re-decoded as another charset."""
    damaged = (
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        b'msgid "Caf\xe9 au lait"\nmsgstr ""\n'
    )
    with pytest.raises(DocumentError, match="invalid UTF-8"):
        PoHandler().extract(damaged)


def test_a_catalog_is_decoded_with_its_declared_charset() -> None:
    koi8 = (
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=KOI8-R\\n"\n\n'
        'msgid "Привет, мир"\nmsgstr ""\n'
    ).encode("koi8-r")
    extracted = PoHandler().extract(koi8)
    assert [s.text for s in extracted.segments] == ["Привет, мир"]
    written = PoHandler().write(extracted, [TranslatedSegment("Здравствуй", (), 0, 0)], target="ru")
    assert polib.pofile(written.decode("koi8-r")).find("Привет, мир").msgstr == "Здравствуй"
