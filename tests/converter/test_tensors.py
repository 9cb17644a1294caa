"""Checkpoint weights read without torch: equal to what torch and safetensors load, hostile
or malformed files refused with a ConversionError that names the file."""

from __future__ import annotations

import io
import json
import os
import pickle
import struct
import zipfile
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch
from safetensors.numpy import load_file as load_numpy
from safetensors.numpy import save_file as save_numpy
from safetensors.torch import load_file as load_torch
from safetensors.torch import save_file as save_torch

from converter.tensors import read_weights
from desktop_app.errors import ConversionError

NUMPY_DTYPES = ["f8", "f4", "f2", "i8", "i4", "i2", "i1", "u1", "?"]


def _same(actual: np.ndarray, expected: torch.Tensor | np.ndarray) -> None:
    """Equal bit for bit, bfloat16 compared after its exact widening to float32."""
    if isinstance(expected, torch.Tensor):
        if expected.dtype == torch.bfloat16:
            expected = expected.float()
        expected = expected.detach().contiguous().numpy()
    assert actual.shape == expected.shape
    assert actual.dtype == expected.dtype
    assert actual.tobytes() == expected.tobytes()


def _numpy_tensors() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    tensors = {
        f"t.{dtype}": (rng.standard_normal((3, 5)) * 100).astype(dtype) for dtype in NUMPY_DTYPES
    }
    tensors["scalar"] = np.array(1.5, dtype="f4")
    tensors["empty"] = np.zeros((0, 4), dtype="f4")
    return tensors


# --- safetensors ------------------------------------------------------------------------------


def test_safetensors_from_numpy_match_safetensors(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    save_numpy(_numpy_tensors(), str(path), metadata={"format": "np"})
    weights = read_weights([path], pickled=False)
    expected = load_numpy(str(path))
    assert weights.keys() == expected.keys()
    for key, array in weights.items():
        _same(array, expected[key])


def test_safetensors_from_torch_match_torch(tmp_path: Path) -> None:
    bits = torch.arange(-(2**15), 2**15, dtype=torch.int32).to(torch.int16)
    tensors = {
        # every bfloat16 bit pattern, NaNs and subnormals included
        "bf16.all": bits.view(torch.bfloat16).reshape(256, 256),
        "bf16.weight": torch.randn(4, 6).to(torch.bfloat16),
        "f16": torch.randn(4, 6).half(),
        "f32": torch.randn(2, 3, 4),
        "f64": torch.randn(3).double(),
        "i64": torch.arange(-5, 5),
        "i32": torch.arange(-5, 5, dtype=torch.int32),
        "i16": torch.arange(-5, 5, dtype=torch.int16),
        "i8": torch.arange(-5, 5, dtype=torch.int8),
        "u8": torch.arange(250, 256, dtype=torch.uint8),
        "bool": torch.tensor([[True, False], [False, True]]),
    }
    path = tmp_path / "model.safetensors"
    save_torch(tensors, str(path), metadata={"format": "pt"})
    weights = read_weights([path], pickled=False)
    expected = load_torch(str(path))
    assert weights.keys() == expected.keys()
    for key, array in weights.items():
        _same(array, expected[key])


def test_safetensors_shards_are_merged(tmp_path: Path) -> None:
    first, second = tmp_path / "model-00001-of-00002.safetensors", tmp_path / "model-2.safetensors"
    save_numpy({"a": np.arange(3, dtype="f4")}, str(first))
    save_numpy({"b": np.arange(4, dtype="i8")}, str(second))
    weights = read_weights([first, second], pickled=False)
    _same(weights["a"], np.arange(3, dtype="f4"))
    _same(weights["b"], np.arange(4, dtype="i8"))


def test_a_key_in_two_shards_is_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "one.safetensors", tmp_path / "two.safetensors"
    save_numpy({"a": np.zeros(3, dtype="f4")}, str(first))
    save_numpy({"a": np.ones(3, dtype="f4")}, str(second))
    with pytest.raises(ConversionError, match=r"two\.safetensors: tensor 'a' is already in"):
        read_weights([first, second], pickled=False)


def _header(path: Path) -> tuple[dict[str, Any], bytes]:
    raw = path.read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    return json.loads(raw[8 : 8 + length]), raw[8 + length :]


def _write(path: Path, header: object, data: bytes) -> None:
    encoded = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(encoded)) + encoded + data)


def _corrupt(path: Path, how: str) -> None:
    header, data = _header(path)
    if how == "truncated":
        path.write_bytes(path.read_bytes()[:-5])
    elif how == "offsets outside the file":
        header["w"]["data_offsets"] = [0, 10_000]
        _write(path, header, data)
    elif how == "offsets disagree with the shape":
        header["w"]["shape"] = [2, 2]
        _write(path, header, data)
    elif how == "negative shape":
        header["w"]["shape"] = [-3, -1]
        _write(path, header, data)
    elif how == "unknown dtype":
        header["w"]["dtype"] = "C64"
        _write(path, header, data)
    elif how == "header is a list":
        _write(path, [header], data)
    elif how == "garbage header":
        path.write_bytes(struct.pack("<Q", 40) + bytes(range(200, 240)) + data)
    elif how == "huge header length":
        path.write_bytes(struct.pack("<Q", 2**63) + path.read_bytes()[8:])
    elif how == "header past the end":
        path.write_bytes(struct.pack("<Q", 10_000) + path.read_bytes()[8:])
    elif how == "too short":
        path.write_bytes(b"\x01\x02")
    elif how == "empty":
        path.write_bytes(b"")


@pytest.mark.parametrize(
    "how",
    [
        "truncated",
        "offsets outside the file",
        "offsets disagree with the shape",
        "negative shape",
        "unknown dtype",
        "header is a list",
        "garbage header",
        "huge header length",
        "header past the end",
        "too short",
        "empty",
    ],
)
def test_malformed_safetensors_are_refused(tmp_path: Path, how: str) -> None:
    path = tmp_path / "model.safetensors"
    save_numpy({"w": np.arange(6, dtype="f4").reshape(2, 3)}, str(path))
    _corrupt(path, how)
    with pytest.raises(ConversionError, match=r"model\.safetensors: ") as caught:
        read_weights([path], pickled=False)
    assert "\n" not in str(caught.value)


def test_a_missing_file_is_a_conversion_error(tmp_path: Path) -> None:
    with pytest.raises(ConversionError, match=r"absent\.safetensors: cannot read"):
        read_weights([tmp_path / "absent.safetensors"], pickled=False)


# --- torch.save archives ----------------------------------------------------------------------


def test_torch_save_matches_torch_load(tmp_path: Path) -> None:
    base = torch.randn(4, 6)
    tied = torch.randn(5, 3)
    linear = torch.nn.Linear(3, 2)
    state: dict[str, Any] = {
        "f32": base,
        "f16": torch.randn(3, 2).half(),
        "bf16": torch.randn(3, 2).to(torch.bfloat16),
        "i64": torch.arange(-4, 4),
        "bool": torch.tensor([True, False, True]),
        "f64": torch.randn(2).double(),
        "u8": torch.arange(5, dtype=torch.uint8),
        "transposed": base.t(),
        "sliced": base[1:3, 2:5],  # storage offset and a stride wider than the size
        "bf16.transposed": torch.randn(3, 4).to(torch.bfloat16).t(),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
        "encoder.embed": tied,
        "decoder.embed": tied,
        "parameter": torch.nn.Parameter(torch.randn(2, 2)),
        **{f"linear.{key}": value for key, value in linear.state_dict().items()},
    }
    path = tmp_path / "pytorch_model.bin"
    torch.save(state, path)
    weights = read_weights([path], pickled=True)
    expected = torch.load(path, map_location="cpu", weights_only=True)
    assert weights.keys() == expected.keys()
    for key, array in weights.items():
        _same(array, expected[key])
        assert array.flags.c_contiguous


def test_a_module_state_dict_is_read(tmp_path: Path) -> None:
    # An OrderedDict with a _metadata attribute, as every model.state_dict() is.
    model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.LayerNorm(4))
    path = tmp_path / "pytorch_model.bin"
    torch.save(model.state_dict(), path)
    weights = read_weights([path], pickled=True)
    assert list(weights) == list(model.state_dict())
    for key, value in model.state_dict().items():
        _same(weights[key], value)


def test_tied_weights_come_out_as_separate_arrays(tmp_path: Path) -> None:
    shared = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    path = tmp_path / "pytorch_model.bin"
    torch.save({"encoder": shared, "decoder": shared, "head": shared.t()}, path)
    weights = read_weights([path], pickled=True)
    assert not np.shares_memory(weights["encoder"], weights["decoder"])
    weights["encoder"][0, 0] = 100.0
    _same(weights["decoder"], shared)
    _same(weights["head"], shared.t())


def test_pickle_shards_are_merged_and_duplicates_refused(tmp_path: Path) -> None:
    first, second = tmp_path / "pytorch_model-1.bin", tmp_path / "pytorch_model-2.bin"
    torch.save({"a": torch.ones(2)}, first)
    torch.save({"b": torch.zeros(3, dtype=torch.int64)}, second)
    assert set(read_weights([first, second], pickled=True)) == {"a", "b"}
    torch.save({"a": torch.zeros(2)}, second)
    with pytest.raises(ConversionError, match=r"pytorch_model-2\.bin: tensor 'a' is already in"):
        read_weights([first, second], pickled=True)


def test_the_legacy_torch_format_is_refused_with_a_way_out(tmp_path: Path) -> None:
    path = tmp_path / "pytorch_model.bin"
    torch.save({"a": torch.ones(2)}, path, _use_new_zipfile_serialization=False)
    with pytest.raises(ConversionError, match=r"older than 1\.6.*re-save .* as safetensors"):
        read_weights([path], pickled=True)


@pytest.mark.parametrize("content", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_a_file_that_is_no_archive_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "pytorch_model.bin"
    path.write_bytes(content)
    with pytest.raises(ConversionError, match=r"pytorch_model\.bin: "):
        read_weights([path], pickled=True)


class _Touch:
    """Unpickling this object creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


class _System:
    """Unpickling this object runs a shell command that creates the marker file."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, (f"touch '{self.marker}'",))


@pytest.mark.parametrize("payload", [_Touch, _System])
def test_a_pickle_that_runs_code_is_refused_before_it_runs(tmp_path: Path, payload: type) -> None:
    marker = tmp_path / "payload-ran"
    path = tmp_path / "pytorch_model.bin"
    torch.save({"weight": torch.ones(2), "payload": payload(marker)}, path)
    refused = r"pytorch_model\.bin: refused: the pickle names "
    with pytest.raises(ConversionError, match=refused) as caught:
        read_weights([path], pickled=True)
    assert "which is not a tensor" in str(caught.value)
    assert not marker.exists()
    if payload is _System:
        assert f"{os.system.__module__}.system" in str(caught.value)


# Hand-built archives: a pickle that names only allowed globals but misuses them.


class _StorageRef:
    def __init__(self, key: str, numel: int) -> None:
        self.key, self.numel = key, numel


class _TensorRef:
    def __init__(self, storage: _StorageRef, offset: int, size: tuple[int, ...], stride: Any):
        self.args = (storage, offset, size, stride, False, OrderedDict())
        self.state: dict[str, int] | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        rebuild = torch._utils._rebuild_tensor_v2  # type: ignore[attr-defined]
        return (rebuild, self.args) if self.state is None else (rebuild, self.args, self.state)


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj: object) -> object:
        if isinstance(obj, _StorageRef):
            return ("storage", torch.FloatStorage, obj.key, "cpu", obj.numel)
        return None


def _archive(
    path: Path, payload: object, storages: dict[str, bytes], byteorder: bytes, protocol: int = 2
) -> Path:
    stream = io.BytesIO()
    _Pickler(stream, protocol=protocol).dump(payload)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("archive/data.pkl", stream.getvalue())
        archive.writestr("archive/byteorder", byteorder)
        for key, data in storages.items():
            archive.writestr(f"archive/data/{key}", data)
    return path


def test_a_global_named_by_its_qualified_name_is_refused(tmp_path: Path) -> None:
    # Protocol 4 names Path.touch directly (STACK_GLOBAL) rather than through getattr.
    marker = tmp_path / "payload-ran"
    path = _archive(tmp_path / "pytorch_model.bin", {"w": _Touch(marker)}, {}, b"little", 4)
    touch = f"{Path.touch.__module__}.Path.touch"
    with pytest.raises(ConversionError, match=f"refused: the pickle names {touch}, which"):
        read_weights([path], pickled=True)
    assert not marker.exists()


def test_a_big_endian_archive_is_read(tmp_path: Path) -> None:
    values = np.arange(6, dtype=">f4")
    tensor = _TensorRef(_StorageRef("0", 6), 1, (2, 2), (1, 2))
    path = _archive(tmp_path / "big.bin", {"w": tensor}, {"0": values.tobytes()}, b"big")
    _same(read_weights([path], pickled=True)["w"], np.array([[1, 3], [2, 4]], dtype="f4"))


def _four() -> _StorageRef:
    return _StorageRef("0", 4)


def _with_state(tensor: _TensorRef) -> _TensorRef:
    tensor.state = {"__class__": 1}
    return tensor


MISUSES: dict[str, Callable[[], object]] = {
    "a view past its storage": lambda: {"w": _TensorRef(_four(), 1, (2,), (3,))},
    "a negative stride": lambda: {"w": _TensorRef(_four(), 3, (2,), (-1,))},
    "size and stride disagree": lambda: {"w": _TensorRef(_four(), 0, (2, 2), (1,))},
    "a missing storage": lambda: {"w": _TensorRef(_StorageRef("7", 4), 0, (4,), (1,))},
    "a storage of the wrong size": lambda: {"w": _TensorRef(_StorageRef("0", 9), 0, (4,), (1,))},
    "a repeated storage beyond any tied weights": lambda: {
        "w": _TensorRef(_four(), 0, (2**40,), (0,))
    },
    "state set on a tensor": lambda: {"w": _with_state(_TensorRef(_four(), 0, (4,), (1,)))},
    "a list instead of a state dict": lambda: [_TensorRef(_four(), 0, (4,), (1,))],
    "a number instead of a tensor": lambda: {"w": 3},
}


@pytest.mark.parametrize("how", MISUSES)
def test_a_pickle_that_misuses_tensor_globals_is_refused(tmp_path: Path, how: str) -> None:
    storages = {"0": np.arange(4, dtype="<f4").tobytes()}
    path = _archive(tmp_path / "pytorch_model.bin", MISUSES[how](), storages, b"little")
    with pytest.raises(ConversionError, match=r"pytorch_model\.bin: ") as caught:
        read_weights([path], pickled=True)
    assert "\n" not in str(caught.value)
