"""The translation engine: model packages, tokenization, CTranslate2 decoding, streaming.

What callers outside the engine use is here; the modules behind it are the engine's own.
"""

from desktop_app.engine.alignment import AlignedTranslation
from desktop_app.engine.device import COMPUTE_TYPES, DEVICES
from desktop_app.engine.engine import Engine, EngineSettings
from desktop_app.engine.manifest import Language
from desktop_app.engine.options import (
    DEFAULT_BEAM_SIZE,
    MAX_CPU_THREADS,
    SegmentDelta,
    SegmentDone,
    StreamEnd,
    StreamEvent,
    TranslationOptions,
    TranslationResult,
    TranslationStream,
    apply_event,
)
from desktop_app.engine.package import ModelPackage, human_size, sha256_file
from desktop_app.engine.segmenter import Layout, split_text
from desktop_app.engine.store import ModelStore, StoreEntry

__all__ = [
    "COMPUTE_TYPES",
    "DEFAULT_BEAM_SIZE",
    "DEVICES",
    "MAX_CPU_THREADS",
    "AlignedTranslation",
    "Engine",
    "EngineSettings",
    "Language",
    "Layout",
    "ModelPackage",
    "ModelStore",
    "SegmentDelta",
    "SegmentDone",
    "StoreEntry",
    "StreamEnd",
    "StreamEvent",
    "TranslationOptions",
    "TranslationResult",
    "TranslationStream",
    "apply_event",
    "human_size",
    "sha256_file",
    "split_text",
]
