"""The `tolk.json` manifest: the contract between the converter and the app.

The JSON schema (`tolk.schema.json`, beside this module) is the single source of truth for
the structure; this module validates against it and gives typed, frozen access.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from desktop_app.errors import InputError, ModelError

MANIFEST_NAME = "tolk.json"
# A package's name is its folder's name in the store (the schema holds `name` to it too).
_PACKAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
SCHEMA_VERSION = 1
QUANTIZATIONS = ("int8", "int8_float16", "int8_bfloat16", "float16", "bfloat16", "float32")
FAMILIES = ("marian", "m2m100", "nllb", "mbart50", "t5", "argos")


@dataclass(frozen=True, slots=True)
class Language:
    """One language a model serves: ISO 639 code, the model's own code, English name."""

    iso: str
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class Languages:
    source: tuple[Language, ...]
    target: tuple[Language, ...]
    pairs: tuple[tuple[str, str], ...] | None = None

    def supports(self, source_iso: str, target_iso: str) -> bool:
        if self.pairs is not None:
            return (source_iso, target_iso) in self.pairs
        return any(lang.iso == source_iso for lang in self.source) and any(
            lang.iso == target_iso for lang in self.target
        )


@dataclass(frozen=True, slots=True)
class TokenizerSpec:
    """How text becomes model tokens: sentencepiece plus the family's language rules.

    Token templates are literal tokens, or `{source}` / `{target}` for the model's code of the
    chosen language (e.g. `__fr__`, `fra_Latn`, `>>fra<<`).
    """

    kind: str
    source_model: str
    target_model: str
    source_prefix: tuple[str, ...]
    source_suffix: tuple[str, ...]
    target_prefix: tuple[str, ...]
    text_prefix: str = ""


@dataclass(frozen=True, slots=True)
class SourceCheckpoint:
    checkpoint: str
    revision: str | None
    weights_sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    name: str
    display_name: str
    family: str
    architecture: str
    source: SourceCheckpoint
    quantization: str
    languages: Languages
    tokenizer: TokenizerSpec
    special_tokens: dict[str, str]
    max_input_tokens: int
    files: dict[str, str]
    converter_version: str
    created: str
    verification: dict[str, Any] = field(default_factory=lambda: {"passed": False})
    schema_version: int = SCHEMA_VERSION

    @property
    def check(self) -> str:
        """Which check the package passed: "reference" (against the HF model it came from),
        "runtime" (what the installed app's converter can check), "unverified" (installed on
        request after a failed check), "argos" (an imported Argos package) or "none"."""
        report = self.verification
        if report.get("imported_from") == "argos":
            return "argos"
        if report.get("accepted_unverified"):
            return "unverified"
        if not report.get("passed"):
            return "none"
        # Packages converted before the runtime check existed were all checked against HF.
        return "runtime" if report.get("check") == "runtime" else "reference"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Manifest:
        """Validate `data` against the schema and build a typed manifest."""
        validate(data)
        langs = data["languages"]
        pairs = langs.get("pairs")
        return cls(
            name=data["name"],
            display_name=data["display_name"],
            family=data["family"],
            architecture=data["architecture"],
            source=SourceCheckpoint(**data["source"]),
            quantization=data["quantization"],
            languages=Languages(
                source=tuple(Language(**lang) for lang in langs["source"]),
                target=tuple(Language(**lang) for lang in langs["target"]),
                pairs=tuple((a, b) for a, b in pairs) if pairs is not None else None,
            ),
            tokenizer=TokenizerSpec(
                **{
                    str(key): tuple(value) if isinstance(value, list) else value
                    for key, value in data["tokenizer"].items()
                }  # type: ignore[arg-type]  # keys and types checked by the schema above
            ),
            special_tokens=dict(data["special_tokens"]),
            max_input_tokens=data["max_input_tokens"],
            files=dict(data["files"]),
            converter_version=data["converter_version"],
            created=data["created"],
            verification=dict(data["verification"]),
            schema_version=data["schema_version"],
        )

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        if self.languages.pairs is None:
            del data["languages"]["pairs"]
        plain: dict[str, Any] = json.loads(json.dumps(data))  # tuples -> lists, as in the schema
        validate(plain)
        return plain

    @classmethod
    def read(cls, package_dir: Path) -> Manifest:
        path = package_dir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelError(f"{package_dir}: not a model package (no {MANIFEST_NAME})") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ModelError(f"{path}: unreadable manifest: {exc}") from None
        if not isinstance(data, dict):
            raise ModelError(f"{path}: manifest must be a JSON object")
        try:
            return cls.from_dict(data)
        except ModelError as exc:
            raise ModelError(f"{path}: {exc}") from None

    def write(self, package_dir: Path) -> None:
        text = json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"
        (package_dir / MANIFEST_NAME).write_text(text, encoding="utf-8")


def check_package_name(name: str) -> None:
    """Refuse a name that cannot be a package's folder in the store.

    Raises:
        InputError: saying which characters a name may hold.
    """
    if not _PACKAGE_NAME.match(name):
        raise InputError(f"invalid package name {name!r}; use letters, digits, '.', '_' and '-'")


@cache
def schema() -> dict[str, Any]:
    text = resources.files("desktop_app.engine").joinpath("tolk.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def validate(data: dict[str, Any]) -> None:
    """Raise ModelError naming the first schema violation in `data`."""
    import jsonschema

    version = data.get("schema_version")
    if version != SCHEMA_VERSION:
        raise ModelError(
            f"manifest schema version {version!r} is not supported; expected {SCHEMA_VERSION}"
        )
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema()).iter_errors(data)
    )
    if error is not None:
        where = "/".join(str(part) for part in error.absolute_path) or "(top level)"
        raise ModelError(f"manifest does not match the schema at {where}: {error.message}")
