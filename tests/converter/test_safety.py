"""Bad or hostile checkpoints are refused with a clear message and leave nothing behind."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from converter import ConversionRequest, convert
from desktop_app.engine.package import ModelPackage
from desktop_app.errors import ConversionError, InputError
from tests.converter.helpers import copy_checkpoint, edit_json

MARKER = "pickle-payload-ran"


def _leftovers(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir()) if directory.exists() else []


class _Payload:
    """Unpickling this object runs code: it creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def _pickle_only(checkpoint: Path, destination: Path, payload: object) -> Path:
    import torch

    folder = copy_checkpoint(checkpoint, destination)
    (folder / "model.safetensors").unlink()
    torch.save(payload, folder / "pytorch_model.bin")
    return folder


@pytest.mark.parametrize("model_type", ["gpt2", "bert"])
def test_unsupported_architecture_lists_supported_ones(
    tmp_path: Path, tiny_checkpoints: dict[str, Path], model_type: str
) -> None:
    folder = copy_checkpoint(tiny_checkpoints["marian"], tmp_path / "other")
    (folder / "config.json").write_text(json.dumps({"model_type": model_type}), encoding="utf-8")
    with pytest.raises(ConversionError) as error:
        convert(ConversionRequest(str(folder), output=tmp_path / "out"))
    message = str(error.value)
    assert f"unsupported architecture: model_type '{model_type}'" in message
    for supported in ("MarianConfig", "M2M100Config", "MBartConfig", "T5Config"):
        assert supported in message
    assert _leftovers(tmp_path) == ["other"]


def test_auto_map_config_is_refused(tmp_path: Path, tiny_checkpoints: dict[str, Path]) -> None:
    folder = copy_checkpoint(tiny_checkpoints["marian"], tmp_path / "custom")
    edit_json(folder / "config.json", auto_map={"AutoModel": "modeling_evil.EvilModel"})
    with pytest.raises(ConversionError, match="auto_map"):
        convert(ConversionRequest(str(folder), output=tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_pickle_weights_need_allow_pickle(
    tmp_path: Path, tiny_checkpoints: dict[str, Path]
) -> None:
    marker = tmp_path / MARKER
    folder = _pickle_only(tiny_checkpoints["marian"], tmp_path / "pickled", _Payload(marker))
    for reference in (True, False):
        with pytest.raises(ConversionError, match="--allow-pickle"):
            convert(ConversionRequest(str(folder), output=tmp_path / "out", reference=reference))
    assert not marker.exists()


@pytest.mark.parametrize("reference", [True, False], ids=["reference", "torch-free"])
def test_malicious_pickle_is_rejected_even_when_allowed(
    tmp_path: Path, tiny_checkpoints: dict[str, Path], reference: bool
) -> None:
    marker = tmp_path / MARKER
    folder = _pickle_only(tiny_checkpoints["marian"], tmp_path / "pickled", _Payload(marker))
    store = tmp_path / "store"
    with pytest.raises(ConversionError, match="not a tensor"):
        convert(ConversionRequest(str(folder), store=store, allow_pickle=True, reference=reference))
    assert not marker.exists()
    assert _leftovers(store) == []  # no package, no temp dir


def test_plain_pickle_weights_convert_when_allowed(
    tmp_path: Path, tiny_checkpoints: dict[str, Path], tiny_packages: Any
) -> None:
    from safetensors.torch import load_file

    state = load_file(tiny_checkpoints["marian"] / "model.safetensors")
    folder = _pickle_only(tiny_checkpoints["marian"], tmp_path / "opus-mt-en-de", state)
    packages = {
        reference: convert(
            ConversionRequest(
                str(folder),
                quantization="float32",
                output=tmp_path / f"out-{reference}",
                allow_pickle=True,
                reference=reference,
                accept_unverified=not reference,
            )
        )
        for reference in (True, False)
    }
    assert ModelPackage.open(packages[True]).manifest.verification["passed"]
    for package in packages.values():
        assert "pytorch_model.bin" not in ModelPackage.open(package).manifest.files
    # The same weights, whichever way they were read.
    expected = (tiny_packages("marian", "float32") / "model.bin").read_bytes()
    assert (packages[True] / "model.bin").read_bytes() == expected
    assert (packages[False] / "model.bin").read_bytes() == expected


def test_existing_package_needs_force(
    tmp_path: Path, tiny_package: Any, tiny_checkpoints: dict[str, Path]
) -> None:
    target = Path(shutil.copytree(tiny_package("marian"), tmp_path / "installed"))
    before = (target / "tolk.json").read_text(encoding="utf-8")
    request = ConversionRequest(
        str(tiny_checkpoints["marian"]), quantization="float32", output=target
    )
    with pytest.raises(InputError, match="--force"):
        convert(request)
    assert (target / "tolk.json").read_text(encoding="utf-8") == before

    forced = ConversionRequest(
        str(tiny_checkpoints["marian"]), quantization="int8", output=target, force=True
    )
    assert ModelPackage.open(convert(forced)).manifest.quantization == "int8"
    assert _leftovers(tmp_path) == ["installed"]


class _NoSocket(socket.socket):
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened during a local conversion")


def test_local_conversion_opens_no_socket(
    tmp_path: Path, tiny_checkpoints: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "socket", _NoSocket)
    monkeypatch.setattr(socket, "create_connection", _NoSocket)
    monkeypatch.setattr(socket, "getaddrinfo", _NoSocket)
    package = convert(ConversionRequest(str(tiny_checkpoints["nllb"]), output=tmp_path / "out"))
    assert ModelPackage.open(package).manifest.family == "nllb"


def test_not_a_checkpoint(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match=r"no config\.json"):
        convert(ConversionRequest(str(tmp_path), output=tmp_path / "out"))
    with pytest.raises(InputError, match=r"not in the local HuggingFace cache"):
        convert(ConversionRequest("nobody/no-such-model-xyz", output=tmp_path / "out"))


def test_unknown_quantization_lists_the_choices() -> None:
    with pytest.raises(InputError, match="int8, int8_float16"):
        ConversionRequest("x", quantization="int4")


@pytest.mark.parametrize(
    ("damaged", "message"),
    [("model.safetensors", "conversion failed"), ("source.spm", "cannot load the tokenizer")],
)
def test_damaged_checkpoint_fails_cleanly(
    tmp_path: Path, tiny_checkpoints: dict[str, Path], damaged: str, message: str
) -> None:
    folder = copy_checkpoint(tiny_checkpoints["marian"], tmp_path / "checkpoint")
    path = folder / damaged
    path.write_bytes(path.read_bytes()[:200])
    store = tmp_path / "store"
    with pytest.raises(ConversionError, match=message):
        convert(ConversionRequest(str(folder), store=store))
    assert _leftovers(store) == []
