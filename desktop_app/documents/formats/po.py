"""Gettext catalogs (.po, .pot): untranslated messages get a translation marked fuzzy.

Plural messages fill every msgstr[n]: msgstr[0] from msgid, the others from msgid_plural.
Placeholders (`%s`, `%(name)d`, `{name}`, `{0}`) are protected spans: they come out
verbatim even when the model mangles them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.documents.encoding import declared_encoding, decode
from desktop_app.documents.model import Extracted, FormatHandler, Segment, TranslatedSegment
from desktop_app.documents.placeholders import protect_placeholders
from desktop_app.errors import DocumentError

# As polib finds it: the first Content-Type charset in the file.
_CHARSET = re.compile(rb'"?Content-Type:.+? charset=([\w\-:.]+)')


class _Lines:
    """Catalog text that is not a str: polib's only use of it is `splitlines()`, and an
    object that is not str, bytes or a path can never be opened as a file."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def splitlines(self) -> list[str]:
        return self._text.splitlines()


@dataclass(frozen=True, slots=True)
class _Slot:
    entry: Any
    plural_index: int | None  # None: msgstr; 0: msgstr[0] (from msgid); 1: the other forms


@dataclass(frozen=True, slots=True)
class _PoState:
    catalog: Any
    slots: tuple[_Slot, ...]
    edges: tuple[tuple[str, str], ...]  # whitespace around each message text


class PoHandler(FormatHandler[_PoState]):
    """`.po` and `.pot`: msgctxt, comments, flags and references kept."""

    extensions = (".po", ".pot")
    description = "Gettext message catalog"

    def extract(self, data: bytes) -> Extracted[_PoState]:
        import polib

        found = _CHARSET.search(data)
        charset = found.group(1).decode("ascii") if found else None
        declared = charset is not None and declared_encoding(charset) is not None
        text, encoding = decode(data, "message catalog", charset)
        try:
            # polib opens any str naming an existing file, so a catalog whose content is a
            # path would be read from that path: it only ever gets the lines, never a str.
            # Its encoding only says how `str(catalog)` is written back.
            catalog = polib.pofile(
                _Lines(text),
                wrapwidth=78,
                encoding=encoding.codec if declared else "utf-8",
            )
        except (OSError, ValueError) as error:
            raise DocumentError(f"not a valid gettext catalog ({error})") from None
        slots: list[_Slot] = []
        segments: list[Segment] = []
        edges: list[tuple[str, str]] = []
        for entry in catalog:
            if entry.obsolete or entry.translated() or not entry.msgid.strip():
                continue
            sources = (
                [(None, entry.msgid)]
                if not entry.msgid_plural
                else [(0, entry.msgid), (1, entry.msgid_plural)]
            )
            for index, source in sources:
                core = source.strip()
                lead = source[: len(source) - len(source.lstrip())]
                slots.append(_Slot(entry, index))
                segments.append(protect_placeholders(core))
                edges.append((lead, source[len(lead) + len(core) :]))
        return Extracted(tuple(segments), _PoState(catalog, tuple(slots), tuple(edges)))

    def write(
        self,
        extracted: Extracted[_PoState],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        state = extracted.state
        for slot, (lead, trail), translated in zip(
            state.slots, state.edges, translations, strict=True
        ):
            text = f"{lead}{translated.text}{trail}"
            entry = slot.entry
            if slot.plural_index is None:
                entry.msgstr = text
            elif slot.plural_index == 0:
                entry.msgstr_plural[0] = text
            else:
                forms = max(len(entry.msgstr_plural), _plural_count(state.catalog))
                for form in range(1, forms):
                    entry.msgstr_plural[form] = text
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
        if state.slots:
            state.catalog.metadata["Language"] = target
        encoding = state.catalog.encoding if state.catalog.encoding != "default" else "utf-8"
        try:
            return str(state.catalog).encode(encoding)
        except UnicodeEncodeError:
            # The declared charset cannot store the translation (Russian into an ISO-8859-1
            # catalog): the catalog becomes UTF-8 and says so, as msgconv would do.
            state.catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"
            return str(state.catalog).encode("utf-8")


def _plural_count(catalog: Any) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalog.metadata.get("Plural-Forms", ""))
    return int(match.group(1)) if match else 2
