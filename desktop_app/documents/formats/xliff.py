"""XLIFF 1.2 and 2.0: each unit's (or segment's) source becomes its target.

Inline codes stay: paired `<g>`/`<pc>`/`<mrk>` become spans around the translated words;
`<x/>`, `<ph>`, `<bx/>`, `<ex/>`, `<bpt>`, `<ept>`, `<it>`, `<sc/>`, `<ec/>` are anchors
moved with the words next to them. Targets get a machine-translation state.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.documents import xmlinline
from desktop_app.documents.model import Extracted, FormatHandler, TranslatedSegment
from desktop_app.documents.safety import check_text_size, parse_xml
from desktop_app.documents.xmlinline import Group, Kind
from desktop_app.errors import DocumentError

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_20 = "urn:oasis:names:tc:xliff:document:2.0"
_PAIRED = frozenset({"g", "pc", "mrk"})


def _local(element: Any) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def classify(element: Any) -> Kind:
    name = _local(element)
    if name in ("source", "target"):
        return Kind.BLOCK
    if name in _PAIRED:
        return Kind.INLINE
    return Kind.ATOM


@dataclass(frozen=True, slots=True)
class _XliffState:
    root: Any
    version: str
    units: tuple[tuple[Any, Group], ...]  # (source element's parent, group on a target copy)


class XliffHandler(FormatHandler[_XliffState]):
    """`.xlf`, `.xliff`: units without a target (or with an empty one) are translated."""

    extensions = (".xlf", ".xliff")
    description = "XLIFF 1.2 / 2.0 localisation file"

    def extract(self, data: bytes) -> Extracted[_XliffState]:
        check_text_size(len(data), "XLIFF file")
        root = parse_xml(data, "XLIFF file")
        namespace = root.tag[1:].split("}")[0] if root.tag.startswith("{") else ""
        if namespace not in (XLIFF_12, XLIFF_20):
            raise DocumentError(
                f"not an XLIFF file: root namespace {namespace or '(none)'!r}; "
                f"expected {XLIFF_12} or {XLIFF_20}"
            )
        container = "trans-unit" if namespace == XLIFF_12 else "segment"
        units = []
        segments = []
        for holder in root.iter(f"{{{namespace}}}{container}"):
            if holder.get("translate") == "no":
                continue
            source = holder.find(f"{{{namespace}}}source")
            existing = holder.find(f"{{{namespace}}}target")
            if source is None or (existing is not None and "".join(existing.itertext()).strip()):
                continue
            draft = copy.deepcopy(source)
            draft.tag = f"{{{namespace}}}target"
            group = Group(draft, None, list(draft))
            segment = xmlinline.extract(group, classify, collapse=False)
            if segment.text:
                units.append((holder, group))
                segments.append(segment)
        version = "1.2" if namespace == XLIFF_12 else "2.0"
        return Extracted(tuple(segments), _XliffState(root, version, tuple(units)))

    def write(
        self,
        extracted: Extracted[_XliffState],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        from lxml import etree

        state = extracted.state
        for (holder, group), translated in zip(state.units, translations, strict=True):
            xmlinline.write(group, translated, classify)
            namespace = holder.tag[1:].split("}")[0]
            existing = holder.find(f"{{{namespace}}}target")
            source = holder.find(f"{{{namespace}}}source")
            if existing is not None:
                group.parent.tail = existing.tail
                holder.replace(existing, group.parent)
            else:
                previous = source.getprevious()
                indent = previous.tail if previous is not None else holder.text
                group.parent.tail = source.tail
                source.tail = indent
                source.addnext(group.parent)
            if state.version == "1.2":
                group.parent.set("state", "needs-review-translation")
            else:
                holder.set("state", "translated")
        _set_target_language(state, target)
        etree.cleanup_namespaces(state.root)
        tree = state.root.getroottree()
        result: bytes = etree.tostring(
            tree, xml_declaration=True, encoding=tree.docinfo.encoding or "utf-8"
        )
        return result + b"\n"


def _set_target_language(state: _XliffState, target: str) -> None:
    if state.version == "2.0":
        state.root.set("trgLang", target)
        return
    for file_element in state.root.iter(f"{{{XLIFF_12}}}file"):
        file_element.set("target-language", target)
