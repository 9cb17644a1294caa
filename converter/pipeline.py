"""The conversion pipeline: checkpoint -> verified model package, installed atomically.

resolve source -> safety checks -> architecture -> CTranslate2 conversion (in a temp dir
beside the target) -> runtime tokenizer files -> manifest -> verification -> validation ->
rename into place. A failure at any stage leaves nothing behind.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from converter import families, source, verification, workspace
from converter.samples import SENTENCES
from converter.vocabulary import CheckpointVocabulary
from desktop_app.engine.manifest import (
    QUANTIZATIONS,
    Manifest,
    SourceCheckpoint,
    check_package_name,
)
from desktop_app.engine.package import ModelPackage, sha256_file
from desktop_app.engine.store import default_store_root
from desktop_app.errors import ConversionError, InputError, ModelError

Progress = Callable[[str, float, str], None]


def _silent(stage: str, fraction: float, message: str) -> None:
    """A progress callback that reports nothing."""


@dataclass(frozen=True, slots=True)
class ConversionRequest:
    """What to convert and where to put it (the CLI's arguments, validated).

    Attributes:
        source: checkpoint folder, or hub id (`OWNER/NAME`, `hf:OWNER/NAME[@REVISION]`).
        quantization: one of `QUANTIZATIONS`.
        name: package name; default: the checkpoint's name.
        output: write the package exactly here instead of into the store.
        store: model store root; default: `default_store_root()` (TOLK_HOME respected).
        source_language, target_language: ISO codes for checkpoints that do not say.
        force: replace an existing package of the same name.
        allow_pickle: accept pytorch_model.bin (read by an allow-list unpickler: tensors only).
        download: fetch a hub id that is not cached (the only network use).
        reference: convert with transformers and verify against the HF model (True), or
            without torch (False); None: the reference path when transformers is installed.
        accept_unverified: install a package whose verification failed, marked unverified.
    """

    source: str
    quantization: str = "int8"
    name: str | None = None
    output: Path | None = None
    store: Path | None = None
    source_language: str | None = None
    target_language: str | None = None
    force: bool = False
    allow_pickle: bool = False
    download: bool = False
    reference: bool | None = None
    accept_unverified: bool = False

    def __post_init__(self) -> None:
        if self.quantization not in QUANTIZATIONS:
            accepted = ", ".join(QUANTIZATIONS)
            raise InputError(
                f"unknown quantization {self.quantization!r}; expected one of: {accepted}"
            )
        if self.name is not None:
            check_package_name(self.name)


def _default_name(text: str) -> str:
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-._")[:100]
    return name or "model"


def _target(request: ConversionRequest, checkpoint_name: str) -> Path:
    if request.output is not None:
        target = Path(request.output).expanduser().absolute()
    else:
        root = request.store if request.store is not None else default_store_root()
        target = Path(root).expanduser().absolute() / (
            request.name or _default_name(checkpoint_name)
        )
    if target.exists() and not request.force:
        raise InputError(f"{target} already exists; pass --force to replace it, or choose --name")
    return target


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("tolk")
    except PackageNotFoundError:
        return "unreleased"


def convert(request: ConversionRequest, progress: Progress = _silent) -> Path:
    """Convert `request.source` into a verified model package; return the package path.

    Raises:
        ConversionError: the checkpoint cannot be converted (message says why and what to do).
    """
    progress("resolve", 0.0, f"resolving {request.source}")

    def downloaded(name: str, done: int, total: int | None) -> None:
        size = f"{done / 1e6:,.1f} of {total / 1e6:,.1f} MB" if total else f"{done / 1e6:,.1f} MB"
        progress("download", 0.1 * done / total if total else -1.0, f"downloading {name} ({size})")

    root = request.store if request.store is not None else default_store_root()
    # A download is the only network use; without --download even the cache lookup is guarded.
    with nullcontext() if request.download else source.no_network():
        folder, revision = source.resolve(
            request.source,
            download=request.download,
            allow_pickle=request.allow_pickle,
            downloads=Path(root).expanduser().absolute().parent / "downloads" / "hub",
            progress=downloaded,
        )
    with source.no_network():
        return _convert_local(request, folder, revision, progress)


def _convert_local(
    request: ConversionRequest, folder: Path, revision: str | None, progress: Progress
) -> Path:
    progress("check", 0.05, f"checking {folder}")
    # A folder is recorded by its absolute path, so `.` still names the checkpoint.
    reference = request.source if revision is not None else str(folder.resolve())
    checkpoint = source.inspect(folder, reference, revision, allow_pickle=request.allow_pickle)
    target = _target(request, checkpoint.basename)
    config_name = families.config_class_name(checkpoint.config.get("model_type"))
    if use_reference(request) and not reference_available():
        raise InputError(
            "--reference needs the converter extra: pip install 'tolk[convert]' (it brings "
            "transformers and torch)"
        )

    target.parent.mkdir(parents=True, exist_ok=True)
    with workspace.work_folder(target) as work:
        package = _build(request, checkpoint, config_name, work, progress)
        progress("install", 0.97, f"installing into {target}")
        _install(package, target)
    progress("done", 1.0, str(target))
    return target


def use_reference(request: ConversionRequest) -> bool:
    """Whether this conversion takes the reference path (transformers) or the torch-free one."""
    return reference_available() if request.reference is None else request.reference


def reference_available() -> bool:
    from importlib.util import find_spec

    return find_spec("transformers") is not None and find_spec("torch") is not None


def _build(
    request: ConversionRequest,
    checkpoint: source.Checkpoint,
    config_name: str,
    work: Path,
    progress: Progress,
) -> Path:
    """Build the verified package in `work / "package"`; return its path."""
    reference = use_reference(request)
    progress("tokenizer", 0.1, "reading the tokenizer")
    family = _family(checkpoint, config_name, reference=reference)
    languages = family.languages(
        families.Requested(request.source_language, request.target_language)
    )

    path = "with transformers" if reference else "without torch"
    progress(
        "convert", 0.2, f"converting {config_name} to CTranslate2 ({request.quantization}, {path})"
    )
    package = work / "package"
    converter = _converter(checkpoint, family, work, progress, reference=reference)
    try:
        converter.convert(str(package), quantization=request.quantization, force=True)
    except ConversionError:
        raise
    except Exception as exc:  # torch, numpy and CTranslate2 raise many unrelated types
        raise ConversionError(f"{checkpoint.path}: conversion failed: {_first_line(exc)}") from None

    progress("tokenizer", 0.6, "copying the runtime tokenizer files")
    for packaged, original in family.runtime_files().items():
        shutil.copyfile(checkpoint.path / original, package / packaged)

    progress("manifest", 0.65, "writing the manifest")
    manifest = Manifest(
        name=request.name or _default_name((request.output or Path(checkpoint.basename)).name),
        display_name=f"{checkpoint.basename} ({request.quantization})",
        family=family.name,
        architecture=str((checkpoint.config.get("architectures") or [config_name])[0]),
        source=SourceCheckpoint(
            checkpoint.reference, checkpoint.revision, checkpoint.weights_sha256()
        ),
        quantization=request.quantization,
        languages=languages,
        tokenizer=family.tokenizer_spec(),
        special_tokens=family.special_tokens(),
        max_input_tokens=family.max_input_tokens(),
        files={
            path.name: sha256_file(path) for path in sorted(package.iterdir()) if path.is_file()
        },
        converter_version=_version(),
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )

    progress("verify", 0.7, f"verifying on {len(SENTENCES)} sentences")
    if reference:
        report = verification.verify(package, manifest, family, converter.reference_model())
    else:
        report = verification.runtime_check(package, manifest)
    progress("verify", 0.95, verification.summary(report))
    if not report["passed"]:
        if not request.accept_unverified:
            raise ConversionError(
                f"{verification.summary(report)}; nothing was installed (pass "
                "--accept-unverified to install it anyway, marked unverified)"
            )
        report = {**report, "accepted_unverified": True}
    replace(manifest, verification=report).write(package)
    _validate(package)
    return package


def _converter(
    checkpoint: source.Checkpoint,
    family: families.Family,
    work: Path,
    progress: Progress,
    *,
    reference: bool,
) -> Any:
    """CTranslate2's converter over the checkpoint: transformers' or the torch-free one."""
    if reference:
        from converter import ct2

        loadable = checkpoint.path
        if checkpoint.pickled:
            progress("check", 0.15, "rewriting pickle weights as safetensors (tensors only)")
            loadable = source.stage_pickle(checkpoint, work / "staging")
        return ct2.SafeConverter(str(loadable), family.tokenizer)
    from converter import native, tensors

    progress("check", 0.15, "reading the weights")
    weights = tensors.read_weights(checkpoint.weight_files, pickled=checkpoint.pickled)
    return native.NativeConverter(checkpoint.config, weights, family.tokenizer)


def _family(checkpoint: source.Checkpoint, config_name: str, *, reference: bool) -> families.Family:
    """The checkpoint's family, with its tokenizer and runtime tokenizer files present.

    The reference path holds the HF tokenizer (verification compares with it); the torch-free
    path reads the same vocabulary and special tokens from the tokenizer files.
    """
    try:
        if reference:
            from converter import ct2

            tokenizer: Any = ct2.load_tokenizer(str(checkpoint.path))
        else:
            tokenizer = CheckpointVocabulary(checkpoint.path, _tokenizer_class(checkpoint))
    except ConversionError:
        raise
    except Exception as exc:  # sentencepiece, tokenizers and json raise many unrelated types
        raise ConversionError(
            f"{checkpoint.path}: cannot load the tokenizer: {_first_line(exc)}"
        ) from None
    family = families.family_for(config_name, checkpoint, tokenizer)
    missing = [
        name for name in family.runtime_files().values() if not (checkpoint.path / name).is_file()
    ]
    if missing:
        raise ConversionError(
            f"{checkpoint.path}: missing {', '.join(missing)}, the sentencepiece model the app "
            "tokenizes with"
        )
    return family


def _tokenizer_class(checkpoint: source.Checkpoint) -> str:
    """The tokenizer class the checkpoint names, or its architecture's usual one."""
    named = checkpoint.tokenizer_config.get("tokenizer_class") or checkpoint.config.get(
        "tokenizer_class"
    )
    if named:
        return str(named).removesuffix("Fast")
    return families.DEFAULT_TOKENIZERS[str(checkpoint.config.get("model_type"))]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _validate(package: Path) -> None:
    """Open the package as the app will; refuse it if anything is off."""
    try:
        opened = ModelPackage.open(package)
    except ModelError as exc:
        raise ConversionError(f"the converted package is invalid: {exc}") from None
    changed = opened.verify_files()
    if changed:
        raise ConversionError(f"the converted package is inconsistent: {', '.join(changed)}")


def _install(package: Path, target: Path) -> None:
    """Move the finished package to `target`, replacing an old one only at the last moment.

    The old one goes into the work folder first: if the converter dies between the two
    renames, the next conversion's sweep puts it back (converter/workspace.py).
    """
    if not target.exists():
        package.rename(target)
        return
    replaced = package.parent / workspace.REPLACED
    target.rename(replaced)
    package.rename(target)
    if replaced.is_dir():
        shutil.rmtree(replaced)
    else:
        replaced.unlink()
