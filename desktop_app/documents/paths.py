"""Which files a job reads: paths as the user named them, never where their links point."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatch
from pathlib import Path

from desktop_app.documents.registry import is_supported
from desktop_app.errors import InputError


def check_input(item: Path) -> None:
    """Refuse an input that is neither a folder nor a regular file, without opening it.

    A FIFO or a device (`/dev/zero`) would block or never end when read (issue 12).
    """
    if item.is_dir() or item.is_file():
        return
    if item.exists():
        raise InputError(f"{item}: not a regular file")
    raise InputError(f"{item}: no such file or folder")


def find_inputs(
    inputs: Sequence[Path],
    include: Sequence[str],
    exclude: Sequence[str],
    suffix: str,
    *,
    skip: Path | None = None,
) -> list[tuple[Path, Path | None]]:
    """Each file to read, with the folder it was found in (None when named directly).

    Files named directly are taken as they are; in named folders, supported regular files
    are found recursively. Globs match the path relative to the folder given, or the name;
    files that look like outputs of an earlier run (`report.fr.docx` for suffix `.fr`), and
    files under `skip` (an output folder inside an input folder), are not picked up again.
    Paths are absolute but not resolved: an output goes beside a link, not its target. A
    name given twice (directly and through its folder, say) is read once.
    """
    found: list[tuple[Path, Path | None]] = []
    for given in inputs:
        check_input(given)
        item = given.absolute()
        if item.is_file():
            if _wanted(item.name, item.name, (), exclude):
                found.append((item, None))
            continue
        nested = skip if skip is not None and skip != item and skip.is_relative_to(item) else None
        for path in sorted(p for p in item.rglob("*") if p.is_file()):
            if (
                is_supported(path)
                and not (suffix and path.stem.endswith(suffix))
                and not path.name.startswith(".")
                and not (nested is not None and path.is_relative_to(nested))
                and _wanted(path.relative_to(item).as_posix(), path.name, include, exclude)
            ):
                found.append((path, item))
    unique: dict[str, tuple[Path, Path | None]] = {}
    for path, root in found:
        unique.setdefault(location(path), (path, root))
    return list(unique.values())


def location(path: Path) -> str:
    """Where a name is on disk: its folder with links resolved, the name itself kept.

    Two spellings of one place (`in/a.txt`, `in/../in/a.txt`) are one input; a link and its
    target are two names, each with its own output beside it.
    """
    return str(path.parent.resolve() / path.name)


def expand_inputs(
    inputs: Sequence[Path], include: Sequence[str], exclude: Sequence[str], suffix: str
) -> list[Path]:
    """The files `find_inputs` would read, without their folders."""
    return [path for path, _ in find_inputs(inputs, include, exclude, suffix)]


def _wanted(relative: str, name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    def matches(pattern: str) -> bool:
        return fnmatch(relative, pattern) or fnmatch(name, pattern)

    if include and not any(matches(p) for p in include):
        return False
    return not any(matches(p) for p in exclude)
