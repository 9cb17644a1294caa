"""Argos Translate packages (`.argosmodel`) turned into Tolk packages, with no converter.

An `.argosmodel` is a zip holding one folder: `metadata.json`, a CTranslate2 model in
`model/`, the `sentencepiece.model` its tokens come from, often a `README.md`, and a sentence
splitter (`stanza/`, `spacy/` or `minisbd/`) that Tolk does not need: it segments text itself.
The CTranslate2 files and the tokenizer are copied as they are; `tolk.json` records where
they came from and the sha256 of every file, like any package.

Nothing in the archive is trusted: its members are checked before anything is written (no
absolute path, no `..`, no link, sizes and compression ratios bounded, so no zip bomb), only
the files a package needs are extracted, each within its declared size, into a hidden work
folder of the store that is renamed into place once the package opens.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from desktop_app import __version__
from desktop_app.engine.manifest import (
    Language,
    Languages,
    Manifest,
    SourceCheckpoint,
    TokenizerSpec,
    check_package_name,
)
from desktop_app.engine.package import ModelPackage, sha256_file
from desktop_app.engine.store import ModelStore
from desktop_app.errors import InputError

MAX_MEMBERS = 500
MAX_UNPACKED_BYTES = 8 << 30  # the largest Argos models are a few hundred MB
# A member that unpacks to more than this many times its packed size is a zip bomb:
# model weights and text compress 2-5x.
MAX_RATIO = 100
TOKENIZER = "sentencepiece.model"
# What a package keeps from the model folder (CTranslate2 writes one vocabulary layout).
MODEL_FILES = (
    "model.bin",
    "config.json",
    "shared_vocabulary.json",
    "shared_vocabulary.txt",
    "source_vocabulary.json",
    "source_vocabulary.txt",
    "target_vocabulary.json",
    "target_vocabulary.txt",
)
# Argos codes that are not ISO 639-1, and the ISO tags they stand for.
_ISO = {"zt": "zh-Hant", "pb": "pt-BR"}
# OpenNMT-py transformers (most Argos models) use sinusoidal positions; inputs are still cut
# here, as for every package, so no sentence is longer than models are trained on.
MAX_INPUT_TOKENS = 512
_IMPORTING = ".importing-"


@dataclass(frozen=True, slots=True)
class _Archive:
    """The checked contents of an .argosmodel: member names by what they are."""

    metadata: dict[str, Any]
    members: dict[str, zipfile.ZipInfo]  # package file name -> archive member


def import_argos(
    archive: Path, store: ModelStore, name: str | None = None, force: bool = False
) -> ModelPackage:
    """Install the Argos package `archive` into `store` as `name` (default: `argos-FROM-TO`).

    Raises:
        InputError: not a usable .argosmodel (the message says why), or the name is taken
            and `force` is not set.
        ModelError: the package it describes does not open (files damaged or inconsistent).
    """
    checked = _read(archive)
    metadata = checked.metadata
    name = name or f"argos-{metadata['from_code']}-{metadata['to_code']}"
    check_package_name(name)
    target = store.path_for(name)
    if target.exists() and not force:
        raise InputError(f"a model named '{name}' is installed; pass --force to replace it")
    store.root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{_IMPORTING}{name}-", dir=store.root))
    try:
        try:
            with zipfile.ZipFile(archive) as opened:
                for filename, member in checked.members.items():
                    _extract(opened, member, work / filename)
        except (zipfile.BadZipFile, EOFError) as exc:  # a CRC or a size that does not match
            raise InputError(f"{archive.name}: the archive is damaged ({exc})") from None
        _manifest(archive, checked, name, work).write(work)
        ModelPackage.open(work)  # the same checks as any package: files, tokens, schema
        store.install(work, name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return store.get(name)


def _read(archive: Path) -> _Archive:
    try:
        with zipfile.ZipFile(archive) as opened:
            infos = opened.infolist()
            members = _check_members(archive, infos)
            root = members[0].filename.split("/", 1)[0]
            by_path = {info.filename: info for info in members}
            metadata_info = by_path.get(f"{root}/metadata.json")
            if metadata_info is None:
                raise InputError(f"{archive.name}: not an Argos package (no metadata.json)")
            metadata = _metadata(archive, opened.read(metadata_info))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        reason = f"not a readable zip: {exc}"
        raise InputError(f"{archive.name}: not an Argos package ({reason})") from None
    except FileNotFoundError:
        raise InputError(f"{archive}: no such file") from None
    except OSError as exc:
        raise InputError(f"{archive}: cannot read ({exc.strerror or exc})") from None
    if f"{root}/{TOKENIZER}" not in by_path:
        if f"{root}/bpe.model" in by_path:
            raise InputError(
                f"{archive.name}: this package tokenizes with BPE and Moses (bpe.model), which "
                "Tolk cannot run; use a package with sentencepiece.model (most Argos packages), "
                "or convert the model's HuggingFace checkpoint with 'tolk convert'"
            )
        raise InputError(f"{archive.name}: not an Argos package (no {TOKENIZER})")
    kept = {TOKENIZER: by_path[f"{root}/{TOKENIZER}"]}
    for filename in MODEL_FILES:
        if f"{root}/model/{filename}" in by_path:
            kept[filename] = by_path[f"{root}/model/{filename}"]
    if "model.bin" not in kept or "config.json" not in kept:
        raise InputError(f"{archive.name}: not an Argos package (no CTranslate2 model in model/)")
    for extra in ("README.md", "LICENSE", "LICENSE.txt"):
        if f"{root}/{extra}" in by_path:
            kept[extra] = by_path[f"{root}/{extra}"]
    return _Archive(metadata, kept)


def _check_members(archive: Path, infos: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """Refuse what could write outside the package or fill the disk, before writing."""
    if not infos:
        raise InputError(f"{archive.name}: the archive is empty")
    if len(infos) > MAX_MEMBERS:
        raise InputError(f"{archive.name}: {len(infos)} files, more than a package holds")
    roots = set()
    total = 0
    for info in infos:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", info.filename):
            raise InputError(f"{archive.name}: refused: member {info.filename!r} leads out")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise InputError(f"{archive.name}: refused: member {info.filename!r} is a link")
        if info.compress_size and info.file_size > MAX_RATIO * info.compress_size:
            raise InputError(
                f"{archive.name}: refused: member {info.filename!r} unpacks to "
                f"{info.file_size:,} bytes from {info.compress_size:,} (a zip bomb?)"
            )
        total += info.file_size
        roots.add(path.parts[0])
    if total > MAX_UNPACKED_BYTES:
        raise InputError(f"{archive.name}: refused: unpacks to {total:,} bytes")
    if len(roots) != 1:
        raise InputError(
            f"{archive.name}: not an Argos package (expected one top-level folder, found "
            f"{', '.join(sorted(roots))})"
        )
    return infos


def _metadata(archive: Path, data: bytes) -> dict[str, Any]:
    try:
        metadata = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{archive.name}: unreadable metadata.json ({exc})") from None
    if not isinstance(metadata, dict):
        raise InputError(f"{archive.name}: metadata.json is not a JSON object")
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2,3}(_[A-Za-z]+)?", value):
            raise InputError(f"{archive.name}: metadata.json has no usable {key!r}: {value!r}")
    return metadata


def _extract(opened: zipfile.ZipFile, member: zipfile.ZipInfo, path: Path) -> None:
    """Copy one member, never past the size it declares (a lying header is a bomb too)."""
    written = 0
    with opened.open(member) as source, path.open("xb") as out:
        while chunk := source.read(1 << 20):
            written += len(chunk)
            if written > member.file_size:
                raise InputError(f"refused: member {member.filename!r} is larger than it says")
            out.write(chunk)


def _language(code: str, name: Any) -> Language:
    return Language(_ISO.get(code, code), code, name if isinstance(name, str) and name else code)


def _manifest(archive: Path, checked: _Archive, name: str, folder: Path) -> Manifest:
    metadata = checked.metadata
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    eos, unk = config.get("eos_token") or "</s>", config.get("unk_token") or "<unk>"
    # Marian-style models are trained with the end token after each source; OpenNMT-py ones
    # (their decoder starts from <s>) without.
    source_suffix = (eos,) if config.get("decoder_start_token") == eos else ()
    prefix = metadata.get("target_prefix")
    source = _language(metadata["from_code"], metadata.get("from_name"))
    target = _language(metadata["to_code"], metadata.get("to_name"))
    version = str(metadata.get("package_version", "")) or None
    files = {path.name: sha256_file(path) for path in sorted(folder.iterdir())}
    return Manifest(
        name=name,
        display_name=f"{source.name} → {target.name} (Argos {version or 'package'})",
        family="argos",
        architecture="Argos Translate package",
        source=SourceCheckpoint(
            checkpoint=f"argos:{metadata.get('code') or archive.name}",
            revision=version,
            weights_sha256=files["model.bin"],
        ),
        quantization="int8",  # Argos publishes int8 CTranslate2 models
        languages=Languages(source=(source,), target=(target,)),
        tokenizer=TokenizerSpec(
            kind="sentencepiece",
            source_model=TOKENIZER,
            target_model=TOKENIZER,
            source_prefix=(),
            source_suffix=source_suffix,
            target_prefix=(prefix,) if isinstance(prefix, str) and prefix else (),
        ),
        special_tokens={"eos": eos, "unk": unk, "pad": config.get("pad_token") or "<blank>"},
        max_input_tokens=MAX_INPUT_TOKENS,
        files=files,
        converter_version=__version__,  # the Tolk that imported it; the origin is in `source`
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        # Not compared with a reference model: the package is what Argos itself runs. Its
        # README (licence, sources) is kept as a file of the package.
        verification={"passed": False, "imported_from": "argos"},
    )

