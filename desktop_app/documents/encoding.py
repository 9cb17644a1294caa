"""Decode text documents the way they were written and encode translations the same way."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from desktop_app.documents.safety import ENCODING_CONFIDENCE, check_text_size
from desktop_app.errors import DocumentError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class TextEncoding:
    """How a text file was stored: codec name and the byte-order mark it started with."""

    codec: str
    bom: bytes = b""

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec, errors="strict")


def decode(data: bytes, name: str) -> tuple[str, TextEncoding]:
    """Decode with the BOM if any, else UTF-8, else a detected encoding above the threshold.

    Raises:
        DocumentError: too large, binary, or no encoding fits with enough confidence.
    """
    check_text_size(len(data), name)
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec), TextEncoding(codec, bom)
            except UnicodeDecodeError as error:
                raise DocumentError(
                    f"{name}: invalid {codec} after its byte-order mark ({error.reason})"
                ) from None
    if b"\x00" in data:
        raise DocumentError(f"{name}: looks like a binary file, not text")
    try:
        return data.decode("utf-8"), TextEncoding("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or 1.0 - best.chaos < ENCODING_CONFIDENCE:
        raise DocumentError(
            f"{name}: not UTF-8 and its encoding cannot be detected with confidence; "
            "save it as UTF-8"
        )
    return str(best), TextEncoding(best.encoding)
