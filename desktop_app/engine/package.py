"""A model package on disk: CTranslate2 files, tokenizer files and the `tolk.json` manifest."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from desktop_app.engine.manifest import Language, Manifest
from desktop_app.engine.tokenizer import check_tokens, load_vocabularies
from desktop_app.errors import InputError, ModelError

_CHUNK = 1 << 20
# Beside the files, what `check_files` last found intact: per file, its sha256 and the stat
# fields that change when its content is written (size, mtime, ctime, inode). A copy or an
# in-place write changes one of them, so the next use hashes that file again.
_STAMP = ".tolk-verified.json"


def human_size(num_bytes: int) -> str:
    """`1.5 MB`-style size for people (1024-based, as file managers show)."""
    value = float(num_bytes)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass(frozen=True)
class ModelPackage:
    """A validated model package. Build with `ModelPackage.open(path)`."""

    path: Path
    manifest: Manifest

    @classmethod
    def open(cls, path: str | Path) -> ModelPackage:
        """Read and validate the package at `path`; raise ModelError saying what is wrong."""
        directory = Path(path)
        if not directory.is_dir():
            raise ModelError(f"{directory}: no such model package")
        manifest = Manifest.read(directory)
        _check_paths(directory, manifest)
        missing = sorted(name for name in manifest.files if not (directory / name).is_file())
        if missing:
            raise ModelError(f"{directory}: package files missing: {', '.join(missing)}")
        vocabularies = load_vocabularies(directory)
        if vocabularies is not None:
            try:
                check_tokens(manifest, *vocabularies)
            except ModelError as exc:
                raise ModelError(f"{directory}: {exc}") from None
        return cls(directory, manifest)

    @property
    def name(self) -> str:
        return self.manifest.name

    @property
    def identity(self) -> str:
        """What a translation was made with: the package's name and the sha256 of its weights.
        The engine's cache and the resume journal key on it, so a package replaced under the
        same name (another quantization, a new version) never reuses old translations."""
        return f"{self.manifest.name}:{self.manifest.files.get('model.bin', '')}"

    @cached_property
    def size_bytes(self) -> int:
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())

    def verify_files(self) -> list[str]:
        """Names of the files whose sha256 differs from the manifest (empty when intact)."""
        return [
            name
            for name, expected in sorted(self.manifest.files.items())
            if sha256_file(self.path / name) != expected
        ]

    def check_files(self) -> None:
        """Refuse a package whose files changed since conversion (a bad sector, a botched
        copy): CTranslate2 would load a damaged model.bin and translate differently.

        Only files whose size, times or inode changed since they were last found intact are
        hashed, so a large model costs a full read once, not on every load.

        Raises:
            ModelError: naming the damaged files.
        """
        known = self._read_stamp()
        stamp: dict[str, list[object]] = {}
        damaged = []
        for name, expected in sorted(self.manifest.files.items()):
            path = self.path / name
            try:
                info = path.stat()
            except OSError:
                damaged.append(name)
                continue
            current: list[object] = [expected, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
            current.append(info.st_ino)
            if known.get(name) != current and sha256_file(path) != expected:
                damaged.append(name)
            else:
                stamp[name] = current
        if stamp != known:
            self._write_stamp(stamp)
        if damaged:
            raise ModelError(
                f"model '{self.name}' is damaged: {', '.join(damaged)} "
                f"differ{'s' if len(damaged) == 1 else ''} from the checksums in its manifest "
                f"({self.path}); install or convert it again"
            )

    def _read_stamp(self) -> dict[str, list[object]]:
        try:
            data = json.loads((self.path / _STAMP).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _write_stamp(self, stamp: dict[str, list[object]]) -> None:
        # A package that cannot be written to (the installer's bundled model) is simply
        # hashed on every load: the stamp only saves time.
        with contextlib.suppress(OSError):
            handle, name = tempfile.mkstemp(prefix=_STAMP, dir=self.path)
            temporary = Path(name)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(stamp, out)
                temporary.replace(self.path / _STAMP)
            finally:
                temporary.unlink(missing_ok=True)

    def language(self, iso_or_code: str, *, side: str) -> Language:
        """The source or target language matching an ISO code or the model's own code."""
        languages = (
            self.manifest.languages.source if side == "source" else self.manifest.languages.target
        )
        for lang in languages:
            if iso_or_code in (lang.iso, lang.code):
                return lang
        accepted = ", ".join(lang.iso for lang in languages)
        raise InputError(
            f"model '{self.name}' has no {side} language '{iso_or_code}'; "
            f"expected one of: {accepted}"
        )

    def resolve_pair(self, source: str | None, target: str | None) -> tuple[Language, Language]:
        """Choose the language pair, defaulting a side when the model has only one choice."""
        langs = self.manifest.languages

        def pick(code: str | None, side: str, choices: tuple[Language, ...]) -> Language:
            if code is not None:
                return self.language(code, side=side)
            if len(choices) == 1:
                return choices[0]
            accepted = ", ".join(lang.iso for lang in choices)
            flag = "--from" if side == "source" else "--to"
            raise InputError(
                f"model '{self.name}' serves several {side} languages; "
                f"choose one with {flag}: {accepted}"
            )

        src = pick(source, "source", langs.source)
        tgt = pick(target, "target", langs.target)
        if not langs.supports(src.iso, tgt.iso) or (src.iso == tgt.iso and len(langs.target) > 1):
            raise InputError(f"model '{self.name}' does not translate {src.iso} to {tgt.iso}")
        return src, tgt


def _check_paths(directory: Path, manifest: Manifest) -> None:
    """Every file a manifest names is a plain name in the package, not a link out of it, so
    a hostile manifest cannot make the app read `../../etc/passwd` as a tokenizer model; the
    tokenizer models are listed with a checksum like every other file.

    Raises:
        ModelError: naming the offending entry.
    """
    spec = manifest.tokenizer
    root = directory.resolve()
    for name in (*manifest.files, spec.source_model, spec.target_model):
        if Path(name).name != name or name in ("", ".", "..") or "\\" in name or "\0" in name:
            raise ModelError(f"{directory}: manifest names {name!r}, outside the package")
        if (directory / name).resolve().parent != root:
            raise ModelError(
                f"{directory}: {name} is a link to a file outside the package; "
                "install the model again"
            )
    for name in (spec.source_model, spec.target_model):
        if name not in manifest.files:
            raise ModelError(
                f"{directory}: tokenizer model {name} is not listed in the manifest's files "
                "(its checksum is missing)"
            )
