"""Finding a checkpoint and deciding whether it is safe to load.

A checkpoint is a local folder or a hub id resolved through the local HuggingFace cache.
Nothing here imports torch or transformers except the pickle staging, which needs torch.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop_app.errors import ConversionError, InputError

SAFETENSORS = ("model.safetensors", "model.safetensors.index.json")
PICKLES = ("pytorch_model.bin", "pytorch_model.bin.index.json")
# Files a download needs; never code, never another framework's weights.
DOWNLOAD_PATTERNS = ("*.json", "*.model", "*.spm", "*.safetensors", "*.txt")


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


def resolve(source: str, *, download: bool, allow_pickle: bool) -> tuple[Path, str | None]:
    """The local folder of `source` and its revision (the hub commit, None for a folder)."""
    path = Path(source).expanduser()
    if path.is_dir():
        return path, None
    if path.exists():
        raise InputError(f"{source}: not a checkpoint folder (expected a directory)")
    if source.count("/") != 1 or source.startswith((".", "/", "~")):
        raise InputError(
            f"{source}: no such folder, and not a hub id (expected OWNER/NAME, e.g. "
            "Helsinki-NLP/opus-mt-en-de)"
        )
    import huggingface_hub
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        snapshot = huggingface_hub.snapshot_download(source, local_files_only=True)
    except LocalEntryNotFoundError:
        if not download:
            raise InputError(
                f"{source}: not in the local HuggingFace cache; pass --download to fetch it "
                "(needs network), or give a checkpoint folder"
            ) from None
        patterns = [*DOWNLOAD_PATTERNS, *(["pytorch_model*.bin"] if allow_pickle else [])]
        try:
            snapshot = huggingface_hub.snapshot_download(source, allow_patterns=patterns)
        except Exception as exc:  # the hub client raises many types; all mean "not fetched"
            raise ConversionError(f"{source}: download failed: {exc}") from None
    snapshot_path = Path(snapshot)
    return snapshot_path, snapshot_path.name


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
                "loaded; pass --allow-pickle to load them with torch's weights-only loader"
            )
        files = _weight_files(path, PICKLES[1], PICKLES[0])
        return Checkpoint(path, reference, revision, config, tokenizer_config, files, True)
    raise ConversionError(
        f"{path}: no weights found; expected {SAFETENSORS[0]} (or {PICKLES[0]} with --allow-pickle)"
    )


def stage_pickle(checkpoint: Checkpoint, staging: Path) -> Path:
    """A copy of the checkpoint folder whose pickle weights are rewritten as safetensors.

    The pickles are read with `torch.load(weights_only=True)`, which refuses any payload that
    is not plain tensors; transformers then only ever sees the safetensors file.
    """
    import pickle

    import torch
    from safetensors.torch import save_file

    staging.mkdir(parents=True)
    skip = {*PICKLES, *(path.name for path in checkpoint.weight_files)}
    for item in checkpoint.path.iterdir():
        if item.is_file() and item.name not in skip:
            shutil.copyfile(item, staging / item.name)
    tensors: dict[str, torch.Tensor] = {}
    for path in checkpoint.weight_files:
        try:
            state = torch.load(path, map_location="cpu", weights_only=True)
        except (pickle.UnpicklingError, RuntimeError, EOFError, OSError) as exc:
            first_line = (
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            )
            raise ConversionError(
                f"{path}: refused by the weights-only pickle loader: {first_line}"
            ) from None
        if not isinstance(state, dict):
            raise ConversionError(f"{path}: expected a state dict of tensors")
        # Tied weights share storage, which safetensors refuses: give each its own copy.
        tensors.update({key: value.detach().clone().contiguous() for key, value in state.items()})
    save_file(tensors, str(staging / SAFETENSORS[0]), metadata={"format": "pt"})
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
