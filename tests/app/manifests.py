"""Hand-made manifests and fake packages for store and CLI tests (no model inside)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from desktop_app.engine.package import sha256_file

_BASE: dict[str, Any] = {
    "schema_version": 1,
    "name": "fake-en-fr",
    "display_name": "Fake English-French",
    "family": "marian",
    "architecture": "MarianConfig",
    "source": {"checkpoint": "local/fake", "revision": None, "weights_sha256": "0" * 64},
    "quantization": "int8",
    "languages": {
        "source": [{"iso": "en", "code": "en", "name": "English"}],
        "target": [{"iso": "fr", "code": "fr", "name": "French"}],
    },
    "tokenizer": {
        "kind": "sentencepiece",
        "source_model": "source.spm",
        "target_model": "target.spm",
        "source_prefix": [],
        "source_suffix": ["</s>"],
        "target_prefix": [],
        "text_prefix": "",
    },
    "special_tokens": {"eos": "</s>", "unk": "<unk>", "pad": "<pad>"},
    "max_input_tokens": 256,
    "files": {"model.bin": "0" * 64},
    "converter_version": "0.1.0",
    "created": "2026-11-29T00:00:00Z",
    "verification": {"passed": True},
}


def manifest_dict(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(_BASE)
    data.update(changes)
    return data


def write_fake_package(directory: Path, **changes: Any) -> Path:
    """A package directory whose files exist and match their hashes (not a loadable model)."""
    directory.mkdir(parents=True)
    for name in ("model.bin", "source.spm", "target.spm"):
        (directory / name).write_bytes(f"fake {name}".encode())
    data = manifest_dict(name=directory.name, **changes)
    data["files"] = {
        name: sha256_file(directory / name) for name in ("model.bin", "source.spm", "target.spm")
    }
    (directory / "tolk.json").write_text(json.dumps(data), encoding="utf-8")
    return directory
