"""The torch-free converter writes the reference converter's packages, byte for byte.

The reference path (transformers + CTranslate2's loaders, HF verification) is the oracle: for
every fixture family at float32 and int8, the torch-free path's model.bin, vocabulary, config
and tokenizer files are the same bytes, and its manifest says the same except for the check it
ran and the time. Random-weight fixtures never emit </s>, so the runtime check refuses them:
these conversions pass `accept_unverified`, which is itself under test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from converter import ConversionRequest, convert
from desktop_app.engine.package import ModelPackage
from desktop_app.errors import ConversionError
from tests.converter.helpers import copy_checkpoint, edit_json
from tests.fixtures.checkpoints import FAMILIES

# Fields that differ between two conversions of one checkpoint by design.
PER_CONVERSION = ("verification", "created")


def _manifest(package: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((package / "tolk.json").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if key not in PER_CONVERSION}


def _files(package: Path) -> dict[str, bytes]:
    """The package's files but its manifest (hidden ones are the app's stamps, not content)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(package.iterdir())
        if p.name != "tolk.json" and not p.name.startswith(".")
    }


def assert_same_package(native: Path, reference: Path) -> None:
    native_files, reference_files = _files(native), _files(reference)
    assert sorted(native_files) == sorted(reference_files)
    different = [name for name in native_files if native_files[name] != reference_files[name]]
    assert different == []
    assert _manifest(native) == _manifest(reference)


def _torch_free(source: Path, output: Path, quantization: str, **options: Any) -> Path:
    return convert(
        ConversionRequest(
            str(source), quantization=quantization, output=output, reference=False, **options
        )
    )


@pytest.mark.slow
@pytest.mark.parametrize("quantization", ["float32", "int8"])
@pytest.mark.parametrize("family", FAMILIES)
def test_torch_free_package_equals_the_reference(
    family: str,
    quantization: str,
    tiny_checkpoints: dict[str, Path],
    tiny_packages: Callable[..., Path],
    tmp_path: Path,
) -> None:
    native = _torch_free(
        tiny_checkpoints[family],
        tmp_path / "native",
        quantization,
        accept_unverified=True,
        name=f"tiny-{family}-{quantization}".replace("_", "-"),
    )
    assert_same_package(native, tiny_packages(family, quantization))
    report = ModelPackage.open(native).manifest.verification
    assert report["check"] == "runtime"
    assert report["accepted_unverified"] is True


def test_a_model_that_never_stops_is_refused_and_nothing_is_left(
    tiny_checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    with pytest.raises(ConversionError) as error:
        convert(ConversionRequest(str(tiny_checkpoints["marian"]), store=store, reference=False))
    message = str(error.value)
    assert "runtime check FAILED" in message
    assert "ended within their length limit 0/56" in message
    assert "--accept-unverified" in message
    assert sorted(p.name for p in store.iterdir()) == []  # no package, no work folder


def test_accepted_unverified_package_says_so(
    tiny_checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    package = ModelPackage.open(
        _torch_free(tiny_checkpoints["t5"], tmp_path / "t5", "int8", accept_unverified=True)
    )
    assert package.manifest.verification["passed"] is False
    assert package.manifest.verification["accepted_unverified"] is True


def test_a_reference_verification_failure_stops_the_install(
    tiny_checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    """A T5 checkpoint whose HF tokenizer disagrees with its sentencepiece model."""
    folder = copy_checkpoint(tiny_checkpoints["t5"], tmp_path / "t5-mismatch")
    # The HF tokenizer reads tokenizer.json, the app spiece.model: make the first lowercase.
    tokenizer = json.loads((folder / "tokenizer.json").read_text(encoding="utf-8"))
    tokenizer["normalizer"] = {"type": "Lowercase"}
    (folder / "tokenizer.json").write_text(json.dumps(tokenizer), encoding="utf-8")
    output = tmp_path / "out"
    with pytest.raises(ConversionError, match=r"verification FAILED.*tokenization equal"):
        convert(ConversionRequest(str(folder), output=output, reference=True))
    assert not output.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t5-mismatch"]


def test_missing_config_keys_get_the_families_defaults(
    tiny_checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    """A config.json without the keys whose defaults equal the family's converts the same."""
    folder = copy_checkpoint(tiny_checkpoints["m2m100"], tmp_path / "m2m100-tiny")
    data = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    for key in ("scale_embedding", "activation_function", "decoder_start_token_id"):
        data.pop(key)
    (folder / "config.json").write_text(json.dumps(data), encoding="utf-8")
    reference = convert(
        ConversionRequest(
            str(folder),
            quantization="float32",
            output=tmp_path / "ref",
            name="tiny",
            reference=True,
        )
    )
    native = _torch_free(
        folder, tmp_path / "native", "float32", accept_unverified=True, name="tiny"
    )
    assert_same_package(native, reference)


def test_float16_checkpoint_converts_the_same(
    tiny_checkpoints: dict[str, Path], tmp_path: Path
) -> None:
    """Weights saved in float16 with `dtype: float16` (as the demo model ships)."""
    from safetensors.numpy import load_file, save_file

    folder = copy_checkpoint(tiny_checkpoints["mbart50"], tmp_path / "mbart-50-tiny")
    weights = load_file(folder / "model.safetensors")
    save_file({k: v.astype("float16") for k, v in weights.items()}, folder / "model.safetensors")
    edit_json(folder / "config.json", dtype="float16")
    reference = convert(
        ConversionRequest(
            str(folder), quantization="int8", output=tmp_path / "ref", name="tiny", reference=True
        )
    )
    native = _torch_free(folder, tmp_path / "native", "int8", accept_unverified=True, name="tiny")
    assert_same_package(native, reference)
