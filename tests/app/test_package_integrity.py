"""A damaged or hostile model package is refused, saying what is wrong (issue 12, case 7)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop_app.engine import package as packages
from desktop_app.engine.package import ModelPackage, sha256_file
from desktop_app.errors import ModelError
from tests.app.manifests import write_fake_package

VOCABULARY = ["<unk>", "<s>", "</s>", "<pad>", "▁Hello", ">>fra<<"]


def _rewrite(directory: Path, **changes: Any) -> Path:
    """Change the manifest and list every file of the package with its hash again."""
    manifest = directory / "tolk.json"
    data = json.loads(manifest.read_text(encoding="utf-8"))
    data.update(changes)
    data["files"] = {
        path.name: sha256_file(path)
        for path in sorted(directory.iterdir())
        if path.is_file() and not path.name.startswith(".") and path.name != "tolk.json"
    }
    manifest.write_text(json.dumps(data), encoding="utf-8")
    return directory


def _with_vocabulary(directory: Path, **changes: Any) -> Path:
    write_fake_package(directory)
    (directory / "shared_vocabulary.json").write_text(json.dumps(VOCABULARY), encoding="utf-8")
    return _rewrite(directory, **changes)


def _overwrite_middle(path: Path, size: int = 4096) -> None:
    """Damage `path` in place: same size, as a bad sector or a botched copy leaves it."""
    data = path.read_bytes()
    start = max(0, len(data) // 2 - size // 2)
    damaged = data[:start] + bytes(min(size, len(data))) + data[start + size :]
    assert len(damaged) == len(data) and damaged != data
    path.write_bytes(damaged)


def test_a_file_damaged_in_place_is_named_when_the_package_is_next_used(tmp_path: Path) -> None:
    package = ModelPackage.open(write_fake_package(tmp_path / "pkg"))
    package.check_files()

    _overwrite_middle(package.path / "model.bin")

    with pytest.raises(ModelError, match=r"damaged: model\.bin"):
        package.check_files()


def test_unchanged_files_are_not_hashed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = ModelPackage.open(write_fake_package(tmp_path / "pkg"))
    package.check_files()
    hashed: list[Path] = []
    real = packages.sha256_file
    monkeypatch.setattr(packages, "sha256_file", lambda path: hashed.append(path) or real(path))

    package.check_files()
    assert hashed == []

    (package.path / "target.spm").write_bytes(b"fake target.spm")  # same bytes, new stamp
    package.check_files()
    assert [path.name for path in hashed] == ["target.spm"]


def test_a_read_only_package_is_still_checked(tmp_path: Path) -> None:
    directory = write_fake_package(tmp_path / "pkg")
    _overwrite_middle(directory / "model.bin", size=4)
    directory.chmod(0o555)
    try:
        with pytest.raises(ModelError, match=r"model\.bin"):
            ModelPackage.open(directory).check_files()
    finally:
        directory.chmod(0o755)


def test_the_engine_refuses_a_model_damaged_after_it_was_installed(
    tiny_package: Callable[[str], Path], tmp_path: Path
) -> None:
    """The reported case: 4 KB of model.bin overwritten, same size, loaded and translated."""
    from desktop_app.engine import Engine

    copy = Path(shutil.copytree(tiny_package("marian"), tmp_path / "copy"))
    Engine(ModelPackage.open(copy), device="cpu").close()  # verified once, stamp written
    _overwrite_middle(copy / "model.bin")

    with pytest.raises(ModelError, match=r"damaged: model\.bin"):
        Engine(ModelPackage.open(copy), device="cpu")


@pytest.mark.parametrize(
    "name", ["../../../../etc/passwd", "/etc/passwd", "..", "sub/../../outside.spm"]
)
def test_a_manifest_path_leading_out_of_the_package_is_refused(tmp_path: Path, name: str) -> None:
    directory = write_fake_package(tmp_path / "pkg")
    tokenizer = json.loads((directory / "tolk.json").read_text(encoding="utf-8"))["tokenizer"]
    _rewrite(directory, tokenizer={**tokenizer, "source_model": name})

    with pytest.raises(ModelError, match="outside the package"):
        ModelPackage.open(directory)


def test_a_listed_file_that_is_a_link_out_of_the_package_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.spm"
    outside.write_bytes(b"not the package's")
    directory = write_fake_package(tmp_path / "pkg")
    (directory / "source.spm").unlink()
    (directory / "source.spm").symlink_to(outside)
    _rewrite(directory)

    with pytest.raises(ModelError, match=r"source\.spm.*outside the package"):
        ModelPackage.open(directory)


def test_a_file_list_naming_a_path_outside_is_refused(tmp_path: Path) -> None:
    directory = write_fake_package(tmp_path / "pkg")
    data = json.loads((directory / "tolk.json").read_text(encoding="utf-8"))
    data["files"]["../pkg/model.bin"] = data["files"]["model.bin"]
    (directory / "tolk.json").write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(ModelError, match="outside the package"):
        ModelPackage.open(directory)


def test_the_tokenizer_models_must_have_a_checksum(tmp_path: Path) -> None:
    directory = write_fake_package(tmp_path / "pkg")
    (directory / "extra.spm").write_bytes(b"unlisted")
    data = json.loads((directory / "tolk.json").read_text(encoding="utf-8"))
    data["tokenizer"]["target_model"] = "extra.spm"
    (directory / "tolk.json").write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(ModelError, match=r"extra\.spm.*not listed"):
        ModelPackage.open(directory)


def test_tokens_the_manifest_names_must_be_in_the_vocabulary(tmp_path: Path) -> None:
    ModelPackage.open(_with_vocabulary(tmp_path / "good"))  # every token is known
    tokenizer = {
        "kind": "sentencepiece",
        "source_model": "source.spm",
        "target_model": "target.spm",
        "source_prefix": ["{target}"],
        "source_suffix": ["</s>"],
        "target_prefix": [],
        "text_prefix": "",
    }
    french = {"iso": "fr", "code": ">>fra<<", "name": "French"}
    ModelPackage.open(
        _with_vocabulary(
            tmp_path / "multi",
            tokenizer=tokenizer,
            languages={
                "source": [{"iso": "en", "code": "en", "name": "English"}],
                "target": [french],
            },
        )
    )
    unknown_language = _with_vocabulary(
        tmp_path / "language",
        tokenizer=tokenizer,
        languages={
            "source": [{"iso": "en", "code": "en", "name": "English"}],
            "target": [french, {"iso": "de", "code": ">>deu<<", "name": "German"}],
        },
    )
    with pytest.raises(ModelError, match=">>deu<<"):
        ModelPackage.open(unknown_language)
    unknown_prefix = _with_vocabulary(
        tmp_path / "prefix", tokenizer={**tokenizer, "target_prefix": ["__xx__"]}
    )
    with pytest.raises(ModelError, match="__xx__"):
        ModelPackage.open(unknown_prefix)
    unknown_special = _with_vocabulary(
        tmp_path / "special", special_tokens={"eos": "<eos>", "unk": "<unk>", "pad": "<pad>"}
    )
    with pytest.raises(ModelError, match="<eos>"):
        ModelPackage.open(unknown_special)
