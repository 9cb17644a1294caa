"""Decode text documents the way they were written and encode translations the same way."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import BinaryIO

from desktop_app.documents.safety import ENCODING_CONFIDENCE, check_text_size
from desktop_app.errors import DocumentError

_UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class TextEncoding:
    """How a text file was stored: codec name and the byte-order mark it started with.

    `may_switch_to_utf8` is False for a file written in parts, which must all share one
    encoding.
    """

    codec: str
    bom: bytes = b""
    may_switch_to_utf8: bool = True

    def encode(self, text: str) -> bytes:
        """`text` stored as the file was; in UTF-8 when a legacy encoding cannot store the
        translation (Russian from a windows-1252 file), rather than losing it.

        Raises:
            DocumentError: the encoding cannot store the text and may not switch.
        """
        try:
            return self.bom + text.encode(self.codec, errors="strict")
        except UnicodeEncodeError as error:
            if not self.may_switch_to_utf8:
                raise DocumentError(
                    f"the translation has characters that {self.codec} cannot store "
                    f"({text[error.start]!r}); save the file as UTF-8 and translate it again"
                ) from None
            return text.encode("utf-8")


def _mostly_utf8(head: bytes) -> bool:
    """Most non-ASCII bytes form UTF-8 sequences: the file is UTF-8 with some damage.

    Legacy double-byte text has byte pairs that look like UTF-8 by chance (about a quarter
    to two fifths of its bytes in Shift_JIS, GBK, Big5 and EUC-KR), so such pairs are no
    proof (issue 12 #12: valid CJK files were refused as invalid UTF-8); in a damaged UTF-8
    file they are nearly all of them.
    """
    high = sum(1 for byte in head if byte >= 0x80)
    in_sequences = sum(len(match) for match in _UTF8_SEQUENCE.findall(head))
    return in_sequences > high * 0.6


def detect_bom(head: bytes) -> TextEncoding | None:
    """The encoding a byte-order mark at the start of `head` says, if there is one."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return TextEncoding(codec, bom)
    return None


def detect(head: bytes, name: str, *, complete: bool) -> TextEncoding:
    """The encoding of a file from its first bytes (`complete`: the whole file).

    Raises:
        DocumentError: binary data, or no encoding fits with enough confidence.
    """
    bom = detect_bom(head)
    if bom is not None:
        return bom
    if b"\x00" in head:
        raise DocumentError(f"{name}: looks like a binary file, not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
    except UnicodeDecodeError as error:
        if _mostly_utf8(head):  # a damaged UTF-8 file, not a legacy one
            raise DocumentError(f"{name}: invalid UTF-8 at byte {error.start}") from None
    else:
        return TextEncoding("utf-8")
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None or 1.0 - best.chaos < ENCODING_CONFIDENCE:
        raise DocumentError(
            f"{name}: not UTF-8 and its encoding cannot be detected with confidence; "
            "save it as UTF-8"
        )
    return TextEncoding(best.encoding)


def declared_encoding(declared: str) -> TextEncoding | None:
    """The codec of a charset a file names, or None when Python does not know the name
    (a template's `charset=CHARSET`)."""
    try:
        return TextEncoding(codecs.lookup(declared.strip()).name)
    except LookupError:
        return None


def decode(
    data: bytes, name: str, declared: str | None = None, *, sample: bytes | None = None
) -> tuple[str, TextEncoding]:
    """Decode with the BOM if any, else the charset the file declares (`declared`: a
    gettext header, a meta tag), else UTF-8, else a detected encoding above the threshold.
    Detection judges `sample` when given: the file's text without its markup, whose ASCII
    would outweigh the letters that tell legacy encodings apart.

    A declared charset is held to: bytes it cannot decode are damage to report, not a hint
    to guess another encoding (which would silently rewrite the text).

    Raises:
        DocumentError: too large, binary, undecodable, or of an uncertain encoding.
    """
    check_text_size(len(data), name)
    encoding = detect_bom(data)
    if encoding is None and declared is not None:
        encoding = declared_encoding(declared)
    held = encoding is not None and not encoding.bom
    if encoding is None:
        encoding = detect(data if sample is None else sample, name, complete=True)
    try:
        return data[len(encoding.bom) :].decode(encoding.codec), encoding
    except UnicodeDecodeError as error:
        what = f"{declared} (the charset it declares)" if held else encoding.codec
        raise DocumentError(
            f"{name}: invalid {what} at byte {error.start + len(encoding.bom)}; "
            "the file is damaged or mislabelled"
        ) from None


def read_decoded(
    stream: BinaryIO, name: str, block: int = 1 << 20
) -> tuple[TextEncoding, Iterator[str]]:
    """Decode a stream block by block: its encoding (from the first block) and the text."""
    head = stream.read(block)
    encoding = replace(detect(head, name, complete=len(head) < block), may_switch_to_utf8=False)
    decoder = codecs.getincrementaldecoder(encoding.codec)()

    def chunks() -> Iterator[str]:
        data, offset = head[len(encoding.bom) :], len(encoding.bom)
        while data:
            try:
                yield decoder.decode(data)
            except UnicodeDecodeError as error:
                raise DocumentError(
                    f"{name}: invalid {encoding.codec} at byte {offset + error.start}"
                ) from None
            offset += len(data)
            data = stream.read(block)
        yield decoder.decode(b"", final=True)

    return encoding, chunks()
