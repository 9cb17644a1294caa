"""Device and compute type choice, and clear errors for what cannot run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.engine import Engine, ModelPackage
from desktop_app.engine.device import choose, supported_compute_types
from desktop_app.engine.package import sha256_file
from desktop_app.errors import InputError, ModelError
from tests.engine.conftest import package_copy


def test_auto_chooses_cpu_with_a_reason_and_int8(package: ModelPackage) -> None:
    engine = Engine(package)
    try:
        assert engine.device == "cpu"
        assert engine.device_reason.startswith("CUDA not available")
        assert engine.compute_type == "int8"
        assert engine.translate("Hello world.").text
    finally:
        engine.close()


def test_unsupported_compute_type_lists_the_supported_ones(package: ModelPackage) -> None:
    supported = sorted(supported_compute_types("cpu"))
    with pytest.raises(InputError) as caught:
        Engine(package, device="cpu", compute_type="float16")
    message = str(caught.value)
    assert "'float16' is not supported on cpu" in message
    assert all(name in message for name in supported)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ({"compute_type": "int4"}, "unknown compute type 'int4'; expected one of: auto"),
        ({"device": "tpu"}, "unknown device 'tpu'; expected one of: auto, cpu, cuda"),
        ({"device": "cuda"}, "device 'cuda' requested but CUDA not available"),
        ({"cpu_threads": -1}, r"cpu_threads -1 is out of range; expected 0 \(automatic\) to 256"),
        ({"cpu_threads": 100000}, r"cpu_threads 100000 is out of range; expected 0 \(auto"),
    ],
)
def test_invalid_choices_are_input_errors(
    package: ModelPackage, arguments: dict[str, object], expected: str
) -> None:
    with pytest.raises(InputError, match=expected):
        Engine(package, **arguments)  # type: ignore[arg-type]


@pytest.mark.parametrize("keep", [0.5, 0.001, 0.0])
def test_truncated_model_is_a_model_error(
    package: ModelPackage, tmp_path: Path, keep: float
) -> None:
    broken = package_copy(package, tmp_path / "broken")
    weights = (broken / "model.bin").read_bytes()
    (broken / "model.bin").write_bytes(weights[: int(len(weights) * keep)])
    # Caught by the manifest's checksums before CTranslate2 reads the weights.
    with pytest.raises(ModelError, match=r"is damaged: model\.bin differs from the checksums"):
        Engine(ModelPackage.open(broken), device="cpu")


def test_weights_ctranslate2_cannot_read_are_a_model_error(
    package: ModelPackage, tmp_path: Path
) -> None:
    # Checksums that agree with broken weights (a converter bug, a foreign package): the
    # load itself must still end in a clear error, not a crash.
    broken = package_copy(package, tmp_path / "broken")
    (broken / "model.bin").write_bytes(b"not a CTranslate2 model")
    manifest = json.loads((broken / "tolk.json").read_text(encoding="utf-8"))
    manifest["files"]["model.bin"] = sha256_file(broken / "model.bin")
    (broken / "tolk.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="corrupt or incomplete"):
        Engine(ModelPackage.open(broken), device="cpu")


def test_a_closed_engine_says_so(package: ModelPackage) -> None:
    engine = Engine(package, device="cpu")
    engine.close()
    engine.close()  # closing twice is harmless
    with pytest.raises(ModelError, match="is closed"):
        engine.translate("Hello.")


def _fake_cuda(
    monkeypatch: pytest.MonkeyPatch, devices: int, supported: dict[str, set[str]], decodes: bool
) -> None:
    import ctranslate2

    real = ctranslate2.Translator

    def translator(path: str, device: str = "cpu", **kwargs: object) -> object:
        if device == "cuda" and not decodes:
            raise RuntimeError("CUDA driver version is insufficient")
        return real(path, device="cpu")

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: devices)
    monkeypatch.setattr(ctranslate2, "get_supported_compute_types", lambda d: supported[d])
    monkeypatch.setattr(ctranslate2, "Translator", translator)


def test_auto_falls_back_to_cpu_when_cuda_cannot_decode(
    package: ModelPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_cuda(monkeypatch, 1, {"cpu": {"int8", "float32"}, "cuda": {"float16"}}, decodes=False)
    choice = choose("auto", "auto", package.path, "float32")
    assert (choice.device, choice.compute_type) == ("cpu", "int8")
    assert choice.reason == "CUDA not usable: CUDA driver version is insufficient"


@pytest.mark.parametrize(
    ("cuda_types", "expected"),
    [
        ({"int8_float16", "float16", "int8", "float32"}, "int8_float16"),
        ({"float16", "float32"}, "float16"),
        ({"float32"}, "float32"),
    ],
)
def test_auto_prefers_cuda_with_half_precision(
    package: ModelPackage, monkeypatch: pytest.MonkeyPatch, cuda_types: set[str], expected: str
) -> None:
    _fake_cuda(monkeypatch, 1, {"cpu": {"int8"}, "cuda": cuda_types}, decodes=True)
    choice = choose("auto", "auto", package.path, "float32")
    assert (choice.device, choice.compute_type) == ("cuda", expected)
    assert "test decode succeeded" in choice.reason


def test_cpu_without_int8_uses_the_package_quantization(
    package: ModelPackage, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_cuda(monkeypatch, 0, {"cpu": {"float32"}, "cuda": set()}, decodes=False)
    assert choose("cpu", "auto", package.path, "float32").compute_type == "float32"
