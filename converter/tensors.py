"""Checkpoint weights read into numpy arrays, without torch.

Two formats: safetensors (parsed here: an 8-byte little-endian header length, a JSON header,
raw little-endian data) and the zip archive `torch.save` writes for `pytorch_model.bin`. The
pickle inside that archive is read by an unpickler that knows only the handful of globals a
plain state dict names, each mapped to a small function here; any other global is refused
before it is looked up, so a hostile pickle never gets to import or run anything.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import mmap
import pickle
import struct
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from desktop_app.errors import ConversionError

__all__ = ["read_weights"]

MAX_HEADER_BYTES = 100 * 1024 * 1024  # a safetensors header or a data.pkl; real ones are < 10 MB
# Tied weights come out as separate arrays, so output may exceed the file a few times over;
# a pickle that references one storage a million times must not exhaust memory instead.
MAX_EXPANSION = 16
EXPANSION_FLOOR = 64 * 1024 * 1024

Array = npt.NDArray[Any]

# safetensors dtype -> how its bytes are stored; BF16 is widened to float32 after reading.
SAFETENSORS_DTYPES: dict[str, np.dtype[Any]] = {
    "F64": np.dtype("<f8"),
    "F32": np.dtype("<f4"),
    "F16": np.dtype("<f2"),
    "BF16": np.dtype("<u2"),
    "I64": np.dtype("<i8"),
    "I32": np.dtype("<i4"),
    "I16": np.dtype("<i2"),
    "I8": np.dtype("i1"),
    "U8": np.dtype("u1"),
    "BOOL": np.dtype("u1"),
}
# torch storage type -> (element type, is it bfloat16). Byte order comes from the archive.
STORAGE_DTYPES = {
    "DoubleStorage": ("f8", False),
    "FloatStorage": ("f4", False),
    "HalfStorage": ("f2", False),
    "BFloat16Storage": ("u2", True),
    "LongStorage": ("i8", False),
    "IntStorage": ("i4", False),
    "ShortStorage": ("i2", False),
    "CharStorage": ("i1", False),
    "ByteStorage": ("u1", False),
    "BoolStorage": ("?", False),
    "UntypedStorage": ("u1", False),
}
# torch < 1.6 wrote a bare pickle that starts with this magic number (protocol 2 LONG1).
LEGACY_MAGIC = b"\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19"


def read_weights(files: Sequence[Path], *, pickled: bool) -> dict[str, Array]:
    """All tensors of one checkpoint as numpy arrays, keyed by their state-dict names.

    Args:
        files: the checkpoint's weight files: one file or all of its shards.
        pickled: True for `pytorch_model.bin` files (torch's zip format), False for safetensors.

    Returns:
        One array per tensor with the checkpoint's shape and dtype, except bfloat16, which
        numpy lacks and which is widened exactly to float32. Safetensors arrays are read-only
        views of the memory-mapped file; pickle arrays are contiguous copies.

    Raises:
        ConversionError: a file is unreadable, malformed, hostile, or repeats a key of an
            earlier shard; the message names the file.
    """
    weights: dict[str, Array] = {}
    origin: dict[str, Path] = {}
    for path in files:
        tensors = _read_pickle(path) if pickled else _read_safetensors(path)
        for key in tensors:
            if key in origin:
                raise ConversionError(f"{path}: tensor {key!r} is already in {origin[key]}")
            origin[key] = path
        weights.update(tensors)
    return weights


def _bfloat16_to_float32(bits: Array) -> Array:
    """bfloat16 is the top half of a float32: shifting its bits up is exact."""
    widened = bits.astype(np.uint32, order="C")
    widened <<= 16
    return widened.view(np.float32)


def _map(path: Path) -> mmap.mmap:
    try:
        with path.open("rb") as handle:
            if not handle.seek(0, 2):
                raise ConversionError(f"{path}: empty file")
            return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except OSError as exc:
        raise ConversionError(f"{path}: cannot read: {exc.strerror or exc}") from None


# --- safetensors ------------------------------------------------------------------------------


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("a key appears twice")
    return dict(pairs)


def _read_safetensors(path: Path) -> dict[str, Array]:
    mapped = _map(path)
    try:
        header = _safetensors_header(mapped)
        start = 8 + int.from_bytes(mapped[:8], "little")
        return {
            key: _safetensors_tensor(mapped, start, key, entry)
            for key, entry in header.items()
            if key != "__metadata__"
        }
    except ConversionError as exc:
        raise ConversionError(f"{path}: not a valid safetensors file: {exc}") from None


def _safetensors_header(mapped: mmap.mmap) -> dict[str, Any]:
    if len(mapped) < 8:
        raise ConversionError(f"{len(mapped)} bytes, shorter than the 8-byte header length")
    length = int.from_bytes(mapped[:8], "little")
    if length > MAX_HEADER_BYTES:
        raise ConversionError(f"header length {length} is over the {MAX_HEADER_BYTES}-byte limit")
    if 8 + length > len(mapped):
        raise ConversionError(
            f"header length {length} runs past the end of the file ({len(mapped)} bytes)"
        )
    try:
        header = json.loads(mapped[8 : 8 + length], object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as exc:
        raise ConversionError(f"header is not JSON ({exc})") from None
    if not isinstance(header, dict):
        raise ConversionError("header is not a JSON object")
    return header


def _safetensors_tensor(mapped: mmap.mmap, start: int, key: str, entry: object) -> Array:
    """One tensor of the header: checked against the file, then viewed in place."""
    if not isinstance(entry, dict) or not {"dtype", "shape", "data_offsets"} <= entry.keys():
        raise ConversionError(f"tensor {key!r} lacks dtype, shape or data_offsets")
    name, shape, offsets = entry["dtype"], entry["shape"], entry["data_offsets"]
    if name not in SAFETENSORS_DTYPES:
        raise ConversionError(
            f"tensor {key!r} has dtype {name!r:.40}; expected one of: "
            + ", ".join(SAFETENSORS_DTYPES)
        )
    if not (_ints(shape) and _ints(offsets) and len(offsets) == 2):
        raise ConversionError(
            f"tensor {key!r}: shape and data_offsets must be lists of non-negative integers"
        )
    begin, end = offsets
    if not begin <= end <= len(mapped) - start:
        raise ConversionError(
            f"tensor {key!r}: data_offsets {offsets} lie outside the "
            f"{len(mapped) - start} data bytes"
        )
    dtype = SAFETENSORS_DTYPES[name]
    count = math.prod(shape)
    if end - begin != count * dtype.itemsize:
        raise ConversionError(
            f"tensor {key!r}: {end - begin} bytes do not hold {name} of shape {shape}"
        )
    array = np.frombuffer(mapped, dtype=dtype, count=count, offset=start + begin)
    if name == "BF16":
        array = _bfloat16_to_float32(array)
    elif name == "BOOL":
        array = array != 0  # a byte other than 0 or 1 would make a malformed numpy bool
    return array.reshape(tuple(shape))


def _ints(value: object) -> bool:
    return isinstance(value, list | tuple) and all(
        type(item) is int and item >= 0 for item in value
    )


# --- torch.save zip archives ------------------------------------------------------------------


class _Inert:
    """Objects the unpickler hands out refuse BUILD, which would otherwise set attributes."""

    __slots__ = ()

    def __setstate__(self, state: object) -> None:
        raise ConversionError(
            f"the pickle sets attributes on a {type(self).__name__.lstrip('_')}, "
            "which a state dict never does"
        )


class _Global(_Inert):
    __slots__ = ("function",)

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function

    def __call__(self, *args: Any) -> Any:
        return self.function(*args)


class _StorageType(_Inert):
    __slots__ = ("bfloat16", "element")

    def __init__(self, element: str, bfloat16: bool) -> None:
        self.element, self.bfloat16 = element, bfloat16


class _Storage(_Inert):
    __slots__ = ("key", "kind", "numel", "offset")

    def __init__(self, key: str, kind: _StorageType, offset: int, numel: int) -> None:
        self.key, self.kind, self.offset, self.numel = key, kind, offset, numel


class _Tensor(_Inert):
    __slots__ = ("array",)

    def __init__(self, array: Array) -> None:
        self.array = array


class _StateDict(dict[Any, Any]):
    """What `collections.OrderedDict` becomes; its `_metadata` attribute is dropped."""

    def __setstate__(self, state: object) -> None:
        pass


def _new_state_dict(*args: Any) -> _StateDict:
    if args:
        raise ConversionError("the pickle builds an OrderedDict from arguments")
    return _StateDict()


class _Unpickler(pickle.Unpickler):
    """Rebuilds a state dict from data.pkl; the caller adds the file name to its errors."""

    def __init__(self, archive: zipfile.ZipFile, prefix: str, mapped: mmap.mmap) -> None:
        super().__init__(io.BytesIO(archive.read(f"{prefix}/data.pkl")))
        self.mapped = mapped
        self.members = {
            info.filename.removeprefix(f"{prefix}/data/"): info
            for info in archive.infolist()
            if info.filename.startswith(f"{prefix}/data/")
        }
        self.byteorder: Literal["<", ">"] = "<"
        if f"{prefix}/byteorder" in archive.namelist():
            byteorder = archive.read(f"{prefix}/byteorder")
            if byteorder not in (b"little", b"big"):
                raise ConversionError(f"unknown byte order {byteorder[:20]!r}")
            self.byteorder = "<" if byteorder == b"little" else ">"
        self.storages: dict[str, _Storage] = {}
        self.budget = max(MAX_EXPANSION * len(mapped), EXPANSION_FLOOR)
        self.globals: dict[tuple[str, str], _Global | _StorageType] = {
            ("collections", "OrderedDict"): _Global(_new_state_dict),
            ("torch._utils", "_rebuild_tensor_v2"): _Global(self._rebuild_tensor),
            ("torch._utils", "_rebuild_parameter"): _Global(_rebuild_parameter),
            ("torch._utils", "_rebuild_parameter_with_state"): _Global(_rebuild_parameter),
            ("torch.storage", "UntypedStorage"): _StorageType("u1", False),
        }
        for name, (element, bfloat16) in STORAGE_DTYPES.items():
            self.globals["torch", name] = _StorageType(element, bfloat16)

    def find_class(self, module: str, name: str) -> Any:
        found = self.globals.get((module, name))
        if found is None:
            raise ConversionError(
                f"refused: the pickle names {module}.{name}, which is not a tensor; "
                "only plain state dicts of tensors are read"
            )
        return found

    def persistent_load(self, pid: Any) -> _Storage:
        if not (isinstance(pid, tuple) and len(pid) == 5 and pid[0] == "storage"):
            raise ConversionError(f"unknown persistent id in the pickle: {pid!r:.100}")
        _, kind, key, _location, numel = pid
        if not (isinstance(kind, _StorageType) and isinstance(key, str) and _ints([numel])):
            raise ConversionError(f"malformed storage reference {pid!r:.100}")
        if key in self.storages:
            storage = self.storages[key]
            if storage.kind is not kind or storage.numel != numel:
                raise ConversionError(f"storage {key!r} is read with two types or sizes")
            return storage
        info = self.members.get(key)
        if info is None:
            raise ConversionError(f"storage {key!r:.100} is missing from the archive")
        if info.compress_type != zipfile.ZIP_STORED:
            raise ConversionError(f"storage {key!r} is compressed, which torch never writes")
        if info.file_size != np.dtype(kind.element).itemsize * numel:
            raise ConversionError(
                f"storage {key!r} has {info.file_size} bytes, not {numel} {kind.element} elements"
            )
        self.storages[key] = _Storage(key, kind, self._member_offset(key, info), numel)
        return self.storages[key]

    def _member_offset(self, key: str, info: zipfile.ZipInfo) -> int:
        """Where a stored member's bytes start: after its local header, name and extra field."""
        header = self.mapped[info.header_offset : info.header_offset + 30]
        if len(header) != 30 or header[:4] != b"PK\x03\x04":
            raise ConversionError(f"storage {key!r} has a broken zip header")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        start: int = info.header_offset + 30 + name_length + extra_length
        if start + info.file_size > len(self.mapped):
            raise ConversionError(f"storage {key!r} runs past the end of the file")
        return start

    def _rebuild_tensor(
        self, storage: Any, offset: Any, size: Any, stride: Any, *_: Any
    ) -> _Tensor:
        """torch._utils._rebuild_tensor_v2: a strided view of a storage, copied out."""
        if not isinstance(storage, _Storage):
            raise ConversionError("a tensor is built from something not a storage")
        if not (_ints(size) and _ints(stride) and _ints([offset]) and len(size) == len(stride)):
            raise ConversionError("a tensor has a malformed size or stride")
        dtype = np.dtype(storage.kind.element).newbyteorder(self.byteorder)
        if 0 in size:
            array: Array = np.empty(size, dtype=dtype.newbyteorder("="))
        else:
            last = offset + sum(
                (length - 1) * step for length, step in zip(size, stride, strict=True)
            )
            if last >= storage.numel:
                raise ConversionError(
                    f"a tensor reaches element {last} of storage {storage.key!r}, "
                    f"which has {storage.numel}"
                )
            self.budget -= math.prod(size) * dtype.itemsize
            if self.budget < 0:
                raise ConversionError(
                    f"the tensors would take over {MAX_EXPANSION} times the file's size; "
                    "the pickle repeats its storages far more than tied weights do"
                )
            base = np.frombuffer(
                self.mapped,
                dtype=dtype,
                count=last + 1 - offset,
                offset=storage.offset + offset * dtype.itemsize,
            )
            view = np.lib.stride_tricks.as_strided(
                base, shape=tuple(size), strides=[step * dtype.itemsize for step in stride]
            )
            array = np.array(view, dtype=dtype.newbyteorder("="), order="C")
            del base, view  # the mapping can only close once no view of it is left
        if storage.kind.bfloat16:
            array = _bfloat16_to_float32(array)
        return _Tensor(array)


def _rebuild_parameter(data: Any, *_: Any) -> _Tensor:
    """torch._utils._rebuild_parameter(_with_state): a parameter is its tensor here."""
    if not isinstance(data, _Tensor):
        raise ConversionError("a parameter is built from something not a tensor")
    return data


def _read_pickle(path: Path) -> dict[str, Array]:
    try:
        with path.open("rb") as handle:
            start = handle.read(len(LEGACY_MAGIC))
        archive = zipfile.ZipFile(path)
    except OSError as exc:
        raise ConversionError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except zipfile.BadZipFile:
        if start == LEGACY_MAGIC:
            raise ConversionError(
                f"{path}: written by torch older than 1.6 in its legacy format, which Tolk "
                "does not read; re-save the checkpoint as safetensors"
            ) from None
        raise ConversionError(
            f"{path}: not a PyTorch checkpoint (expected the zip archive torch.save writes); "
            "re-save it as safetensors"
        ) from None
    with archive:
        return _unpickle(path, archive)


def _unpickle(path: Path, archive: zipfile.ZipFile) -> dict[str, Array]:
    names = archive.namelist()
    pickles = [name for name in names if name.count("/") == 1 and name.endswith("/data.pkl")]
    if len(pickles) != 1:
        raise ConversionError(f"{path}: expected one <archive>/data.pkl, found {len(pickles)}")
    if archive.getinfo(pickles[0]).file_size > MAX_HEADER_BYTES:
        raise ConversionError(f"{path}: data.pkl is over the {MAX_HEADER_BYTES}-byte limit")
    mapped = _map(path)
    try:
        state = _Unpickler(archive, pickles[0].split("/")[0], mapped).load()
    except ConversionError as exc:
        raise ConversionError(f"{path}: {exc}") from None
    # A malformed stream makes the unpickler raise almost any type; each means "unreadable".
    except Exception as exc:
        raise ConversionError(f"{path}: unreadable pickle ({type(exc).__name__}: {exc})") from None
    finally:
        with contextlib.suppress(BufferError):  # a view still alive in a traceback
            mapped.close()
    if not isinstance(state, dict) or not all(
        isinstance(key, str) and isinstance(value, _Tensor) for key, value in state.items()
    ):
        raise ConversionError(f"{path}: expected a state dict of tensor names to tensors")
    # A tensor saved under two names is one object in the pickle; each name gets its own array.
    weights: dict[str, Array] = {}
    seen: set[int] = set()
    for key, value in state.items():
        weights[key] = value.array.copy() if id(value) in seen else value.array
        seen.add(id(value))
    return weights
