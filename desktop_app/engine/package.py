"""A model package on disk: CTranslate2 files, tokenizer files and the `tolk.json` manifest."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from desktop_app.engine.manifest import Language, Manifest
from desktop_app.errors import InputError, ModelError

_CHUNK = 1 << 20


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
        missing = sorted(name for name in manifest.files if not (directory / name).is_file())
        if missing:
            raise ModelError(f"{directory}: package files missing: {', '.join(missing)}")
        return cls(directory, manifest)

    @property
    def name(self) -> str:
        return self.manifest.name

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
