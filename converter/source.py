"""Finding a checkpoint and deciding whether it is safe to load.

A checkpoint is a local folder or a hub id resolved through the local HuggingFace cache.
Nothing here imports torch or transformers.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from converter import hub
from desktop_app.errors import ConversionError, InputError

SAFETENSORS = ("model.safetensors", "model.safetensors.index.json")
PICKLES = ("pytorch_model.bin", "pytorch_model.bin.index.json")
HUB_PREFIX = "hf:"


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A checkpoint folder that passed the safety checks."""

    path: Path
    reference: str  # what the user named: a hub id or a folder
    revision: str | None
    config: dict[str, Any]
    tokenizer_config: dict[str, Any]
    weight_files: tuple[Path, ...]
    pickled: bool

    @property
    def basename(self) -> str:
        """`opus-mt-en-de` for `Helsinki-NLP/opus-mt-en-de` or a folder of that name."""
        return self.reference.rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1]

    def weights_sha256(self) -> str:
        """sha256 of the weights, over the files in name order when sharded."""
        digest = hashlib.sha256()
        for path in self.weight_files:
            with path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        return digest.hexdigest()


def resolve(
    source: str,
    *,
    download: bool,
    allow_pickle: bool,
    downloads: Path,
    progress: hub.Progress | None = None,
) -> tuple[Path, str | None]:
    """The local folder of `source` and its revision (the hub commit, None for a folder).

    A hub id (`OWNER/NAME`, optionally `hf:OWNER/NAME[@REVISION]`) is fetched into
    `downloads` (files the local HuggingFace cache holds are taken from there); without
    `download`, only from that cache.
    """
    path = Path(source).expanduser()
    if path.is_dir():
        return path, None
    if path.exists():
        raise InputError(f"{source}: not a checkpoint folder (expected a directory)")
    repo_id, _, revision = source.removeprefix(HUB_PREFIX).partition("@")
    if repo_id.count("/") != 1 or repo_id.startswith((".", "/", "~")):
        raise InputError(
            f"{source}: no such folder, and not a hub id (expected OWNER/NAME, e.g. "
            "Helsinki-NLP/opus-mt-en-de)"
        )
    environ = dict(os.environ)
    if not download:
        environ["HF_HUB_OFFLINE"] = "1"
    try:
        folder, sha = hub.fetch(
            repo_id,
            downloads,
            revision=revision or "main",
            allow_pickle=allow_pickle,
            progress=progress,
            environ=environ,
        )
    except InputError as exc:
        if download:
            raise
        raise InputError(
            f"{source}: not in the local HuggingFace cache ({exc}); pass --download to fetch "
            "it (needs network), or give a checkpoint folder"
        ) from None
    return folder, sha


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConversionError(f"{path}: unreadable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ConversionError(f"{path}: expected a JSON object")
    return data


def _weight_files(folder: Path, index_name: str, single_name: str) -> tuple[Path, ...]:
    index = folder / index_name
    if index.is_file():
        shards = sorted(set(_read_json(index).get("weight_map", {}).values()))
        missing = [name for name in shards if not (folder / name).is_file()]
        if not shards or missing:
            raise ConversionError(f"{index}: shards missing: {', '.join(missing) or 'none listed'}")
        return tuple(folder / name for name in shards)
    return (folder / single_name,)


def inspect(path: Path, reference: str, revision: str | None, *, allow_pickle: bool) -> Checkpoint:
    """Read the checkpoint's configs and refuse what Tolk will not load."""
    config = _read_json(path / "config.json")
    if not config:
        raise ConversionError(f"{path}: no config.json; not a HuggingFace checkpoint")
    tokenizer_config = _read_json(path / "tokenizer_config.json")
    for name, data in (("config.json", config), ("tokenizer_config.json", tokenizer_config)):
        if "auto_map" in data:
            raise ConversionError(
                f"{path / name}: the checkpoint needs its own Python code (auto_map); "
                "Tolk never runs code from a checkpoint"
            )
    present = {name for name in (*SAFETENSORS, *PICKLES) if (path / name).is_file()}
    if present & set(SAFETENSORS):
        files = _weight_files(path, SAFETENSORS[1], SAFETENSORS[0])
        return Checkpoint(path, reference, revision, config, tokenizer_config, files, False)
    if present & set(PICKLES):
        if not allow_pickle:
            raise ConversionError(
                f"{path}: only pickle weights (pytorch_model.bin), which can run code when "
                "loaded; pass --allow-pickle to read them with Tolk's tensors-only unpickler"
            )
        files = _weight_files(path, PICKLES[1], PICKLES[0])
        return Checkpoint(path, reference, revision, config, tokenizer_config, files, True)
    raise ConversionError(
        f"{path}: no weights found; expected {SAFETENSORS[0]} (or {PICKLES[0]} with --allow-pickle)"
    )


def stage_pickle(checkpoint: Checkpoint, staging: Path) -> Path:
    """A copy of the checkpoint folder whose pickle weights are rewritten as safetensors, for
    the reference path (transformers then only ever sees safetensors).

    The pickles are read by Tolk's allow-list unpickler (converter/tensors.py), which rebuilds
    tensors as numpy arrays and refuses every other global: no code from the file can run.
    """
    from safetensors.numpy import save_file

    from converter.tensors import read_weights

    staging.mkdir(parents=True)
    skip = {*PICKLES, *(path.name for path in checkpoint.weight_files)}
    for item in checkpoint.path.iterdir():
        if item.is_file() and item.name not in skip:
            shutil.copyfile(item, staging / item.name)
    tensors = read_weights(checkpoint.weight_files, pickled=True)
    save_file(
        {key: value.copy() for key, value in tensors.items()},
        str(staging / SAFETENSORS[0]),
        metadata={"format": "pt"},
    )
    return staging


@contextmanager
def no_network() -> Iterator[None]:
    """Fail loudly if anything opens a network connection while this block runs."""
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex

    def refuse(self: socket.socket, address: Any) -> Any:
        raise ConversionError(f"network access attempted during an offline conversion ({address})")

    socket.socket.connect = refuse  # type: ignore[method-assign,assignment]
    socket.socket.connect_ex = refuse  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = original_connect_ex  # type: ignore[method-assign]
