"""Post-build work on the frozen bundle: strip shared libraries, scan for forbidden content."""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bundle_rules import forbidden_module

_ELF_MAGIC = b"\x7fELF"
_GLIBC_VERSION = re.compile(r"GLIBC_(\d+)\.(\d+)")
_NEEDED = re.compile(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")
# Suffixes that turn a collected file or folder name into the module it belongs to.
_MODULE_SUFFIX = re.compile(r"(\.cpython-[^.]+|\.abi3)?\.(so|pyd|dylib|dll)(\.[\d.]+)?$"
                            r"|-[^-]+\.dist-info$|\.libs$|\.egg-info$|\.py[co]?$")


def tree_size(root: Path) -> int:
    """Bytes of all files under `root`; symbolic links count as nothing."""
    return sum(path.stat().st_size for path in root.rglob("*")
               if path.is_file() and not path.is_symlink())


def is_elf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == _ELF_MAGIC


def _symbol_versions(library: Path) -> set[str]:
    """The symbol versions (GOMP_4.0, OMP_1.0, ...) a library defines, from `objdump -T`."""
    listing = subprocess.run(
        ["objdump", "-T", str(library)], capture_output=True, text=True, check=False
    ).stdout
    return {
        fields[-2] for line in listing.splitlines()
        if len(fields := line.split()) >= 7 and "*UND*" not in line
    }


def share_openmp_runtime(bundle: Path) -> int:
    """Make every wheel's copy of GNU OpenMP (auditwheel renames each, libgomp-HASH.so) a link
    to one of them; returns the bytes saved.

    CTranslate2 and sentencepiece each vendor one: two OpenMP runtimes in one process each
    keep their own thread pool. One is kept, CTranslate2's (the engine's heavy work runs on
    it), if it defines every symbol version the other copies define; the loader then maps it
    once, whichever name a library asks for.
    """
    copies = sorted(path for path in bundle.glob("*/*.libs/libgomp-*.so*") if not path.is_symlink())
    if len(copies) < 2 or shutil.which("objdump") is None:
        return 0
    kept = next((path for path in copies if path.parent.name == "ctranslate2.libs"), copies[0])
    provided = _symbol_versions(kept)
    saved = 0
    for copy in copies:
        if copy == kept or not _symbol_versions(copy) <= provided:
            continue
        saved += copy.stat().st_size
        copy.unlink()
        copy.symlink_to(os.path.relpath(kept, copy.parent))
    return saved


def segments_loadable(library: Path) -> bool:
    """Whether each loadable segment of an ELF64 file has its file offset congruent to its
    address modulo its alignment, as the dynamic loader requires.

    Libraries rewritten by patchelf (auditwheel's vendored ones, e.g. numpy's OpenBLAS) can
    come out of GNU strip without that: "ELF load command address/offset not page-aligned".
    """
    data = library.read_bytes()
    if data[:5] != b"\x7fELF\x02":  # only 64-bit ELF is checked
        return True
    phoff, = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    for index in range(phnum):
        entry = phoff + index * phentsize
        kind, = struct.unpack_from("<I", data, entry)
        offset, vaddr = struct.unpack_from("<QQ", data, entry + 8)
        align, = struct.unpack_from("<Q", data, entry + 48)
        if kind == 1 and align > 1 and (offset - vaddr) % align:
            return False
    return True


def strip_binaries(bundle: Path) -> int:
    """Strip symbols from the bundle's shared libraries in place; returns the bytes saved.

    Only libraries inside the bundle's library folder: the executables carry the app's Python
    archive appended after the ELF image, which strip would cut off. Libraries checked by a
    FIPS `.hmac`/`.chk` file would fail their check once stripped, and a library that strip
    cannot process stays as it is.
    """
    strip = shutil.which("strip")
    if strip is None or not any(bundle.glob("*/*.so*")):
        return 0
    saved = 0
    for library in sorted(bundle.rglob("*.so*")):
        if library.is_symlink() or not library.is_file() or not is_elf(library):
            continue
        if library.parent == bundle or any(
            library.with_name(library.name + suffix).exists() for suffix in (".hmac", ".chk")
        ):
            continue
        stripped = library.with_name(library.name + ".stripped")
        result = subprocess.run(
            [strip, "--strip-unneeded", "-o", str(stripped), str(library)],
            capture_output=True, check=False,
        )
        if result.returncode != 0 or not stripped.is_file():
            stripped.unlink(missing_ok=True)
            continue
        before, after = library.stat().st_size, stripped.stat().st_size
        if after >= before or not segments_loadable(stripped):
            stripped.unlink()
            continue
        shutil.copymode(library, stripped)
        stripped.replace(library)
        saved += before - after
    return saved


@dataclass(frozen=True, slots=True)
class SystemRequirements:
    """What the bundle's binaries need from the system they run on."""

    glibc: str  # the newest glibc symbol version used, e.g. "2.35"
    libraries: frozenset[str]  # sonames linked to but not shipped, e.g. "libEGL.so.1"


def system_requirements(bundle: Path) -> SystemRequirements:
    """Read every ELF file of the bundle: the glibc it needs and the libraries it lacks.

    The Python runtime comes from the build machine, so the glibc floor follows that machine.
    """
    newest = (2, 17)
    needed: set[str] = set()
    shipped = {path.name for path in bundle.rglob("*")}
    for path in bundle.rglob("*"):
        if path.is_symlink() or not path.is_file() or not is_elf(path):
            continue
        dynamic = subprocess.run(["readelf", "--dynamic", "--version-info", "--wide", str(path)],
                                 capture_output=True, text=True, check=False).stdout
        for major, minor in _GLIBC_VERSION.findall(dynamic):
            newest = max(newest, (int(major), int(minor)))
        needed.update(_NEEDED.findall(dynamic))
    return SystemRequirements(f"{newest[0]}.{newest[1]}", frozenset(needed - shipped))


def _executables(bundle: Path) -> list[Path]:
    """The bundle's PyInstaller executables (each holds an archive of Python modules)."""
    found = []
    for path in sorted(bundle.iterdir()):
        if path.is_file() and (path.suffix == ".exe" or os.access(path, os.X_OK)):
            found.append(path)
    return found


def archived_modules(executable: Path) -> list[str]:
    """Names of the Python modules inside a PyInstaller executable's archive."""
    from PyInstaller.archive.readers import pkg_archive_contents

    return list(pkg_archive_contents(str(executable), recursive=True))


def forbidden_content(bundle: Path) -> list[str]:
    """Every forbidden module (torch, transformers, test code...) in the bundle, where found.

    Looks in both places PyInstaller puts code: the Python archive inside each executable and
    the files beside it (extension modules, shared libraries, package data).
    """
    problems = []
    for executable in _executables(bundle):
        for module in archived_modules(executable):
            if forbidden_module(module):
                problems.append(f"{executable.name}: module {module}")
    for library_dir in [path for path in bundle.iterdir() if path.is_dir()]:
        for path in sorted(library_dir.iterdir()):
            name = _MODULE_SUFFIX.sub("", path.name)
            if forbidden_module(name) or name.startswith("libtorch"):
                problems.append(f"file {path.relative_to(bundle)}")
    return problems
