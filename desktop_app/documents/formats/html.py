"""HTML and XHTML: block elements are segments with their inline markup as spans; `alt`,
`title`, `placeholder` and `aria-label` attributes are translated; `<script>`, `<style>`,
`<pre>`, `<code>` and anything marked `translate="no"` are left untouched."""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from desktop_app.documents import xmlinline
from desktop_app.documents.encoding import TextEncoding, decode
from desktop_app.documents.model import Extracted, FormatHandler, Segment, TranslatedSegment
from desktop_app.documents.safety import check_parsed_whole, check_text_size, parse_xml
from desktop_app.documents.xmlinline import Group, Kind
from desktop_app.errors import DocumentError

INLINE = frozenset(
    {"a", "abbr", "b", "bdi", "bdo", "big", "button", "cite", "data", "del", "dfn", "em", "font"}
    | {"i", "ins", "label", "mark", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u"}
)
ATOMS = frozenset(
    {"br", "img", "wbr", "input", "select", "iframe", "object", "embed", "video", "audio"}
    | {"svg", "math"}
)
PROTECTED = frozenset({"code", "kbd", "samp", "var", "tt"})
SKIPPED = frozenset({"script", "style", "pre", "textarea", "template", "noscript"})
TRANSLATED_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
UTF8 = TextEncoding("utf-8")
_TAG = re.compile(rb"<[^<>]*>")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.IGNORECASE)
SIDE_BY_SIDE = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "figcaption"})
_KINDS = (
    dict.fromkeys(SKIPPED, Kind.SKIP)
    | dict.fromkeys(INLINE, Kind.INLINE)
    | dict.fromkeys(ATOMS, Kind.ATOM)
    | dict.fromkeys(PROTECTED, Kind.PROTECTED)
)


def _declared_charset(data: bytes) -> str | None:
    """The charset a `<meta>` near the start of the page declares, if any."""
    declared = _META_CHARSET.search(data[:4096])
    return declared.group(1).decode("ascii", "replace") if declared else None


def local_name(element: Any) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def classify(element: Any) -> Kind:
    """How HTML treats an element (the HTML `translate` attribute is honoured)."""
    name = local_name(element)
    if not name:
        return Kind.ATOM  # comments and processing instructions stay where they are
    kind = _KINDS.get(name, Kind.BLOCK)
    if element.get("translate") == "no" or "notranslate" in (element.get("class") or "").split():
        return Kind.SKIP if kind == Kind.BLOCK else Kind.PROTECTED
    return kind


@dataclass(frozen=True, slots=True)
class HtmlState:
    root: Any
    groups: tuple[Group, ...]
    attributes: tuple[tuple[Any, str], ...]
    xml: bool
    encoding: TextEncoding = UTF8
    doctype: bool = True
    trailing: str = ""  # whitespace after the last tag (the file's final newline)


def extract_tree(root: Any, *, xml: bool) -> Extracted[HtmlState]:
    """Segments of a parsed (X)HTML tree: groups first, then attributes."""
    found = [g for g in xmlinline.groups(root, classify) if g.parent.tag is not None]
    segments = [xmlinline.extract(group, classify, collapse=True) for group in found]
    kept = [(g, s) for g, s in zip(found, segments, strict=True) if s.text]
    attributes = []
    for element in root.iter():
        if _translatable_attributes(element):
            for name in TRANSLATED_ATTRIBUTES:
                value = element.get(name)
                if value and value.strip():
                    attributes.append((element, name))
    all_segments = [s for _, s in kept] + [
        Segment(" ".join(e.get(n).split())) for e, n in attributes
    ]
    state = HtmlState(root, tuple(g for g, _ in kept), tuple(attributes), xml)
    return Extracted(tuple(all_segments), state)


def _translatable_attributes(element: Any) -> bool:
    if not local_name(element):
        return False
    node = element
    while node is not None:
        if classify(node) in (Kind.SKIP, Kind.PROTECTED):
            return False
        node = node.getparent()
    return True


def write_tree(
    state: HtmlState, translations: Sequence[TranslatedSegment], *, bilingual: bool = False
) -> None:
    """Put `translations` into the tree: attributes first, so moved elements carry them.

    Bilingual: each translated paragraph or heading follows a copy of its source, marked
    `class="tolk-source"` (cells, list items and other blocks are translated in place).
    """
    sources = [
        (group.parent, copy.deepcopy(group.parent))
        for group in state.groups
        if bilingual and local_name(group.parent) in SIDE_BY_SIDE and _whole_block(group)
    ]
    count = len(state.groups)
    for (element, name), translated in zip(state.attributes, translations[count:], strict=True):
        element.set(name, xmlinline.xml_safe(translated.text))
    for group, translated in zip(state.groups, translations[:count], strict=True):
        xmlinline.write(group, translated, classify)
    for translated_block, source in sources:
        source.set("class", " ".join(filter(None, [source.get("class"), "tolk-source"])))
        source.tail = translated_block.tail
        translated_block.addprevious(source)


def _whole_block(group: Group) -> bool:
    """The group is all the content of its parent (no block children around it)."""
    return group.before is None and len(group.children) == len(group.parent)


class HtmlHandler(FormatHandler[HtmlState]):
    """`.html`, `.htm` (HTML parser) and `.xhtml` (XML parser without entities or DTDs)."""

    extensions = (".html", ".htm")
    description = "Web page (HTML)"
    bilingual_supported = True

    def extract(self, data: bytes) -> Extracted[HtmlState]:
        from lxml import etree, html

        if not data.strip():
            raise DocumentError("HTML file is empty")
        # Python decodes and libxml2 reads UTF-8: libxml2 knows fewer encoding names than
        # Python and detection returns Python's (issue 12 #12: "unknown encoding
        # 'b'iso8859_10''"). A BOM wins, then the declared charset, then detection.
        text, encoding = decode(
            data, "HTML file", _declared_charset(data), sample=_TAG.sub(b" ", data)
        )
        parser = html.HTMLParser(
            encoding="utf-8", no_network=True, remove_comments=False, remove_pis=False
        )
        try:
            root = html.document_fromstring(text.encode("utf-8"), parser=parser)
        except (etree.ParserError, ValueError, LookupError) as error:
            raise DocumentError(f"not readable as HTML ({error})") from None
        check_parsed_whole(parser.error_log, "HTML file")
        extracted = extract_tree(root, xml=False)
        doctype = b"<!doctype" in data[:1024].lower()
        trailing = text[len(text.rstrip()) :]
        state = dataclasses.replace(
            extracted.state, encoding=encoding, doctype=doctype, trailing=trailing
        )
        return Extracted(extracted.segments, state)

    def write(
        self,
        extracted: Extracted[HtmlState],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        from lxml import etree

        state = extracted.state
        write_tree(state, translations, bilingual=bilingual)
        if local_name(state.root) == "html":
            state.root.set("lang", target)
        # Without a doctype in the source, the root alone: libxml2 would invent an HTML 4 one.
        tree = state.root.getroottree() if state.doctype else state.root
        text: str = etree.tostring(tree, method="html", encoding="unicode")
        text = text.rstrip() + state.trailing  # the serializer drops the final newline
        # Characters the page's encoding cannot store become character references, which
        # every browser reads back as those characters; the declared charset stays true.
        return state.encoding.bom + text.encode(state.encoding.codec, "xmlcharrefreplace")


class XhtmlHandler(FormatHandler[HtmlState]):
    """`.xhtml`: the same segments, read and written as XML."""

    extensions = (".xhtml",)
    description = "Web page (XHTML)"
    bilingual_supported = True

    def extract(self, data: bytes) -> Extracted[HtmlState]:
        check_text_size(len(data), "XHTML file")
        return extract_tree(parse_xml(data, "XHTML file"), xml=True)

    def write(
        self,
        extracted: Extracted[HtmlState],
        translations: Sequence[TranslatedSegment],
        *,
        target: str,
        bilingual: bool = False,
    ) -> bytes:
        return write_xhtml(extracted.state, translations, target, bilingual=bilingual)


def write_xhtml(
    state: HtmlState,
    translations: Sequence[TranslatedSegment],
    target: str,
    *,
    bilingual: bool = False,
) -> bytes:
    from lxml import etree

    write_tree(state, translations, bilingual=bilingual)
    if local_name(state.root) == "html":
        state.root.set("lang", target)
        state.root.set("{http://www.w3.org/XML/1998/namespace}lang", target)
    etree.cleanup_namespaces(state.root)
    tree = state.root.getroottree()
    result: bytes = etree.tostring(
        tree, xml_declaration=True, encoding=tree.docinfo.encoding or "utf-8"
    )
    return result + b"\n"
