"""Which files a job reads and where their translations go (never over an input)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from pathlib import Path

from desktop_app.documents.registry import is_supported
from desktop_app.errors import InputError


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One input file and the output the job would write for it."""

    input: Path
    output: Path


def expand_inputs(
    inputs: Sequence[Path], include: Sequence[str], exclude: Sequence[str], suffix: str
) -> list[Path]:
    """Files named directly, plus supported files found recursively in named folders.

    Globs match the path relative to the folder given, or the name; files that look like
    outputs of an earlier run (`report.fr.docx` for suffix `.fr`) are not picked up again.
    """
    files: list[Path] = []
    for item in inputs:
        if item.is_dir():
            for found in sorted(p for p in item.rglob("*") if p.is_file()):
                relative = found.relative_to(item).as_posix()
                if (
                    is_supported(found)
                    and not found.stem.endswith(suffix)
                    and not found.name.startswith(".")
                    and _wanted(relative, found.name, include, exclude)
                ):
                    files.append(found)
        elif item.is_file():
            if _wanted(item.name, item.name, (), exclude):
                files.append(item)
        else:
            raise InputError(f"{item}: no such file or folder")
    unique: dict[Path, None] = {}
    for path in files:
        unique.setdefault(path.resolve(), None)
    return list(unique)


def _wanted(relative: str, name: str, include: Sequence[str], exclude: Sequence[str]) -> bool:
    def matches(pattern: str) -> bool:
        return fnmatch(relative, pattern) or fnmatch(name, pattern)

    if include and not any(matches(p) for p in include):
        return False
    return not any(matches(p) for p in exclude)


def output_path(
    source: Path, suffix: str, output_dir: Path | None, root: Path | None = None
) -> Path:
    """`report.docx` -> `report.fr.docx`, beside the input or under `output_dir`.

    Under `output_dir`, files found in a folder keep their path relative to that folder.
    """
    name = f"{source.stem}{suffix}{source.suffix}"
    if output_dir is None:
        return source.with_name(name)
    relative = source.parent.relative_to(root) if root is not None else Path()
    return output_dir / relative / name


def plan(
    inputs: Sequence[Path],
    *,
    include: Sequence[str],
    exclude: Sequence[str],
    suffix: str,
    output_dir: Path | None,
) -> list[PlannedFile]:
    """Pair every input file with its output; an output that would be an input is refused."""
    if not suffix and output_dir is None:
        raise InputError(
            "an empty suffix needs an output folder (-o), or outputs would overwrite inputs"
        )
    roots = {p.resolve(): p.resolve() for p in inputs if p.is_dir()}
    planned: list[PlannedFile] = []
    files = expand_inputs(inputs, include, exclude, suffix)
    input_set = set(files)
    for source in files:
        root = next((r for r in roots if source.is_relative_to(r)), None)
        target = output_path(source, suffix, output_dir.resolve() if output_dir else None, root)
        if target in input_set:
            raise InputError(
                f"{source}: its output {target} is one of the inputs; choose another -o or --suffix"
            )
        planned.append(PlannedFile(source, target))
    return planned
