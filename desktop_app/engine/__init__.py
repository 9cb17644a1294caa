"""The translation engine: model packages, tokenization, CTranslate2 decoding, streaming."""

from desktop_app.engine.alignment import AlignedTranslation
from desktop_app.engine.engine import Engine
from desktop_app.engine.options import (
    SegmentDelta,
    SegmentDone,
    StreamEnd,
    StreamEvent,
    TranslationOptions,
    TranslationResult,
)
from desktop_app.engine.package import ModelPackage
from desktop_app.engine.segmenter import Layout, split_text
from desktop_app.engine.store import ModelStore

__all__ = [
    "AlignedTranslation",
    "Engine",
    "Layout",
    "ModelPackage",
    "ModelStore",
    "SegmentDelta",
    "SegmentDone",
    "StreamEnd",
    "StreamEvent",
    "TranslationOptions",
    "TranslationResult",
    "split_text",
]
