"""Helpers for converter tests: variants of the tiny checkpoints."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any


def copy_checkpoint(checkpoint: Path, destination: Path) -> Path:
    return Path(shutil.copytree(checkpoint, destination))


def edit_json(path: Path, **changes: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")
