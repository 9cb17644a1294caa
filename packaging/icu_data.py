"""Cut the ICU data that Qt brings on Linux down to the parts Qt reads.

PySide6's Linux wheels ship ICU for Qt Core, and with it 32 MB of data (`libicudata`) for all
of ICU's services. Qt Core calls only four of them: collation (QCollator: the sort order of
the file dialogs), time zones, case mapping and charset converters. The data trees of the
others (break iteration, units, currencies, language and region names, number spell-out,
transliteration) are never read, and go. So do the converters' multi-byte tables (Chinese,
Japanese, Korean and EBCDIC code pages, up to 550 KB each): the app decodes files in Python,
never through Qt's converters. The single-byte tables (Windows, ISO-8859, KOI8, Mac code
pages: 3-4 KB each) stay, for text that other programs hand over in them, such as HTML on
the clipboard; so do Qt's own UTF-8/16/32 codecs and ICU's algorithmic ones.

The build checks the premise instead of trusting it: if any binary in the bundle calls an
ICU function outside those services (a newer Qt might), the data is left whole.

ICU's common data format: a data header (its size first, then the magic bytes DA 27 and the
format "CmnD"), then a table of contents (an item count, and per item the offsets of its
name and its data, both counted from the table's start; items sorted by name, since ICU
looks them up by binary search), then the names, then the items, each 16-byte aligned.
The package is the `icudtNN_dat` symbol of libicudata.so.NN; the trimmed one is assembled
into a new library with the same soname (binutils' `as` and `ld`, like `strip`).
"""

from __future__ import annotations

import mmap
import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bundle_checks import is_elf

# The ICU functions Qt Core links to (`nm -D --undefined-only libQt6Core.so.6`) belong to
# these services; their data is kept.
USED_ICU_FUNCTIONS = re.compile(r"(ucol_|ucal_|ucnv_|UCNV_|u_strTo(Lower|Upper)_)")
# Data trees no kept service reads.
UNUSED_TREES = frozenset({"brkitr", "curr", "lang", "rbnf", "region", "translit", "unit"})
# Converter mapping tables (top-level `*.cnv` items); the alias table, cnvalias.icu, stays.
CONVERTER_TABLE_SUFFIX = ".cnv"
# In a table: the data header, then UConverterStaticData (size, name[60], code page,
# platform, conversion type, min bytes per char, max bytes per char...).
_MAX_BYTES_PER_CHAR_OFFSET = 4 + 60 + 4 + 1 + 1 + 1

_PACKAGE_SYMBOL = re.compile(r"icudt(\d+)_dat")
_ICU_LIBRARY = re.compile(r"libicu(data|uc|i18n)\.so")
_ALIGNMENT = 16


class IcuDataError(RuntimeError):
    """The ICU data library is not in a form this module can read or rebuild."""


@dataclass(frozen=True, slots=True)
class _Symbol:
    name: str
    defined: bool
    file_offset: int  # where a defined symbol's bytes are in the file; 0 when undefined
    size: int


def _dynamic_symbols(library: Path) -> list[_Symbol]:
    """The dynamic symbols of a 64-bit little-endian ELF file (x86-64, aarch64)."""
    with (
        library.open("rb") as handle,
        mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        return _read_dynamic_symbols(library.name, data)


def _read_dynamic_symbols(name: str, data: mmap.mmap) -> list[_Symbol]:
    if data[:4] != b"\x7fELF" or data[4:6] != b"\x02\x01":
        raise IcuDataError(f"{name}: not a 64-bit little-endian ELF file")
    (section_offset,) = struct.unpack_from("<Q", data, 0x28)
    entry_size, count = struct.unpack_from("<HH", data, 0x3A)
    sections = [
        struct.unpack_from("<IIQQQQIIQQ", data, section_offset + i * entry_size)
        for i in range(count)
    ]
    symbols: list[_Symbol] = []
    for _, kind, _, _, offset, size, link, _, _, symbol_size in sections:
        if kind != 11:  # SHT_DYNSYM
            continue
        names_offset = sections[link][4]
        for start in range(offset + symbol_size, offset + size, symbol_size):  # 0 is null
            name_at, _, _, section, value, length = struct.unpack_from("<IBBHQQ", data, start)
            name_end = data.find(b"\0", names_offset + name_at)
            symbol_name = data[names_offset + name_at : name_end].decode("ascii", "replace")
            if section == 0:
                symbols.append(_Symbol(symbol_name, False, 0, 0))
            elif section < len(sections):
                address, file_offset = sections[section][3], sections[section][4]
                symbols.append(_Symbol(symbol_name, True, value - address + file_offset, length))
    return symbols


def read_package(library: Path) -> tuple[str, bytes]:
    """The name of the data symbol of libicudata and the package it holds."""
    for symbol in _dynamic_symbols(library):
        if symbol.defined and _PACKAGE_SYMBOL.fullmatch(symbol.name):
            with library.open("rb") as handle:
                handle.seek(symbol.file_offset)
                return symbol.name, handle.read(symbol.size)
    raise IcuDataError(f"{library.name}: no icudtNN_dat symbol")


def package_items(package: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """Split a common data package into its header and its (name, data) items, in order."""
    header_size, magic = struct.unpack_from("<H2s", package)
    if magic != b"\xda\x27" or package[12:16] != b"CmnD":
        raise IcuDataError("not an ICU common data package (no DA 27 magic or CmnD format)")
    (count,) = struct.unpack_from("<I", package, header_size)
    entries = [struct.unpack_from("<II", package, header_size + 4 + 8 * i) for i in range(count)]
    data_starts = [header_size + data_at for _, data_at in entries] + [len(package)]
    items = []
    for index, (name_at, _) in enumerate(entries):
        name_start = header_size + name_at
        name = package[name_start : package.index(b"\0", name_start)].decode("ascii")
        items.append((name, package[data_starts[index] : data_starts[index + 1]]))
    return package[:header_size], items


def build_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """A common data package with `items` (kept in the given, sorted, order)."""
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table_size = 4 + 8 * len(items) + len(names)
    table_size += -(len(header) + table_size) % _ALIGNMENT
    entries, name_at, data_at = [], 4 + 8 * len(items), table_size
    blobs = []
    for name, item in items:
        blob = item + bytes(-len(item) % _ALIGNMENT)
        entries.append(struct.pack("<II", name_at, data_at))
        name_at += len(name) + 1
        data_at += len(blob)
        blobs.append(blob)
    table = struct.pack("<I", len(items)) + b"".join(entries) + names
    return header + table.ljust(table_size, b"\0") + b"".join(blobs)


def is_used(item_name: str, item: bytes) -> bool:
    """Whether a data item (e.g. "icudt73l/coll/de.res") is kept: it belongs to a service Qt
    calls, and is not a multi-byte converter table."""
    parts = item_name.split("/")
    if len(parts) > 2:
        return parts[1] not in UNUSED_TREES
    if item_name.endswith(CONVERTER_TABLE_SUFFIX):
        (header_size,) = struct.unpack_from("<H", item)
        return item[header_size + _MAX_BYTES_PER_CHAR_OFFSET] == 1
    return True


def unserved_icu_calls(bundle: Path, icu_version: str) -> set[str]:
    """ICU functions that the bundle's binaries call and whose data would be cut."""
    suffix = f"_{icu_version}"
    unserved = set()
    for path in bundle.rglob("*.so*"):
        if path.is_symlink() or not path.is_file() or _ICU_LIBRARY.match(path.name):
            continue
        if not is_elf(path):
            continue
        unserved.update(
            symbol.name
            for symbol in _dynamic_symbols(path)
            if not symbol.defined
            and symbol.name.endswith(suffix)
            and not USED_ICU_FUNCTIONS.match(symbol.name)
        )
    return unserved


def build_library(package: bytes, symbol: str, soname: str, output: Path) -> None:
    """Assemble `package` into a shared library that exports it as `symbol`."""
    tools = {tool: shutil.which(tool) for tool in ("as", "ld")}
    missing = [tool for tool, found in tools.items() if found is None]
    if missing:
        raise IcuDataError(f"{' and '.join(missing)} not found: install binutils")
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        (work / "package.dat").write_bytes(package)
        (work / "package.s").write_text(
            f"    .section .rodata\n    .balign {_ALIGNMENT}\n    .globl {symbol}\n"
            f'    .type {symbol}, @object\n{symbol}:\n    .incbin "package.dat"\n'
            f'    .size {symbol}, . - {symbol}\n    .section .note.GNU-stack,"",@progbits\n',
            encoding="ascii",
        )
        for command in (
            [str(tools["as"]), "-o", "package.o", "package.s"],
            [str(tools["ld"]), "-shared", "-soname", soname, "-z", "noexecstack",
             "--strip-all", "-o", "library.so", "package.o"],
        ):
            result = subprocess.run(command, cwd=work, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise IcuDataError(f"{command[0]} failed: {result.stderr.strip()}")
        shutil.copyfile(work / "library.so", output)


def trim(library: Path, output: Path) -> tuple[int, int]:
    """Write to `output` a copy of libicudata `library` with the unused data left out;
    returns the items kept and dropped."""
    symbol, package = read_package(library)
    header, items = package_items(package)
    kept = [(name, item) for name, item in items if is_used(name, item)]
    build_library(build_package(header, kept), symbol, library.name, output)
    return len(kept), len(items) - len(kept)


def trim_bundle(bundle: Path) -> tuple[int, str]:
    """Trim the bundle's libicudata in place; returns the bytes saved and what was done."""
    libraries = [path for path in bundle.rglob("libicudata.so.*") if not path.is_symlink()]
    if not libraries:
        return 0, "no ICU data library in the bundle"
    saved, notes = 0, []
    for library in libraries:
        version = library.name.rsplit(".so.", 1)[1].split(".")[0]
        unserved = unserved_icu_calls(bundle, version)
        if unserved:
            notes.append(
                f"{library.name} kept whole: the bundle calls ICU functions whose data "
                f"would go: {', '.join(sorted(unserved)[:5])}"
            )
            continue
        trimmed = library.with_name(library.name + ".trimmed")
        kept, dropped = trim(library, trimmed)
        before = library.stat().st_size
        shutil.copymode(library, trimmed)
        trimmed.replace(library)
        saved += before - library.stat().st_size
        notes.append(f"{library.name}: {kept} data items kept, {dropped} unused ones left out")
    return saved, "; ".join(notes)
