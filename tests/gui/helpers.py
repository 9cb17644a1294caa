"""Inputs and probes shared by the GUI tests."""

from __future__ import annotations

import json
import random
import shutil
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer

_WORDS = (
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "please", "open", "window",
    "warm", "invoice", "due", "total", "dollars", "tea", "coffee", "meeting", "room", "report",
)


def long_text(sentences: int, words: int = 3, per_paragraph: int = 3, seed: int = 0) -> str:
    """Distinct sentences (the engine translates duplicates once) in blank-line paragraphs.

    The tiny test models decode every sentence to its maximum length, so the length of a
    translation is set by the number and the length of the sentences.
    """
    rng = random.Random(seed)
    made = [
        " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + f" {index}."
        for index in range(sentences)
    ]
    starts = range(0, sentences, per_paragraph)
    paragraphs = [" ".join(made[start : start + per_paragraph]) for start in starts]
    return "\n\n".join(paragraphs)


def reversed_copy(package_dir: Path, destination: Path, name: str) -> Path:
    """A copy of a package that claims the opposite direction (its weights are random anyway)."""
    shutil.copytree(package_dir, destination)
    manifest_path = destination / "tolk.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    languages = manifest["languages"]
    languages["source"], languages["target"] = languages["target"], languages["source"]
    manifest["name"] = name
    manifest["display_name"] = name
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    return destination


class Heartbeat(QObject):
    """A 10 ms timer on the GUI thread that records the longest gap between its ticks."""

    def __init__(self, interval_ms: int = 10) -> None:
        super().__init__()
        self.longest_gap = 0.0
        self.ticks = 0
        self._last = time.perf_counter()
        self._timer = QTimer(self, interval=interval_ms)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest_gap = max(self.longest_gap, now - self._last)
        self._last = now
        self.ticks += 1
