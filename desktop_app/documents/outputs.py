"""Where a translation is written: the one place that turns inputs into output paths.

The rules (the README states them for users under `tolk files`):

- `report.docx` becomes `report<suffix>.docx` beside the input as the user named it (beside
  a link, never beside its target), or under the output folder, keeping the path below a
  folder that was given.
- The suffix is a plain piece of a file name: no folder separator, no `..`, no control
  character, nothing Windows refuses in a name. An empty suffix needs an output folder.
- An output is never an input and two inputs never share an output: both are refused
  before anything is translated, naming the files. Names are compared as a case-insensitive
  system compares them, so a job that is safe here is safe on Windows and macOS too.
- Nothing is written outside the output folder: not through a linked folder inside it, not
  through a link at the output's own name (storage replaces such a link, never follows it).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_app.documents.paths import check_input, find_inputs, location
from desktop_app.errors import DocumentError, InputError

# Characters no file name may hold on some system Tolk runs on.
_SEPARATORS = frozenset("/\\")
_WINDOWS_RESERVED = frozenset('<>:"|?*')


@dataclass(frozen=True, slots=True)
class PlannedFile:
    """One input file and the output the job would write for it."""

    input: Path
    output: Path


def check_suffix(suffix: str) -> None:
    """Refuse a suffix that is not a plain piece of a file name (issue 12: `--suffix
    "/../b"` overwrote a neighbour of the output, and `--suffix /x` ended in a traceback)."""
    reason = _unfit_for_a_name(suffix)
    if reason is not None:
        raise InputError(f"suffix {suffix!r} cannot be part of a file name: {reason}")


def _unfit_for_a_name(text: str) -> str | None:
    for char in text:
        if char in _SEPARATORS:
            return f"{char!r} separates folders"
        if char in _WINDOWS_RESERVED:
            return f"{char!r} is not allowed in file names on Windows"
        if ord(char) < 32 or ord(char) == 127:
            return f"it contains the control character {char!r}"
    if ".." in text:
        return "it contains '..'"
    return None


def check_request(inputs: Sequence[Path], suffix: str | None, output_dir: Path | None) -> None:
    """What can be refused without looking inside folders: cheap, before a model loads.

    `suffix` None stands for the default one, `.LANG`, not known yet.
    """
    for item in inputs:
        check_input(item)
    if suffix is None:
        return
    check_suffix(suffix)
    if not suffix and output_dir is None:
        raise InputError(
            "an empty suffix needs an output folder (-o), or outputs would overwrite inputs:"
            " each would have its input's own name and folder"
        )


def output_path(
    source: Path, suffix: str, output_dir: Path | None, root: Path | None = None
) -> Path:
    """`report.docx` -> `report.fr.docx`, beside `source` or under `output_dir`.

    Under `output_dir`, a file found in the folder `root` keeps its path below that folder.
    `source` is never resolved: the output of a link goes beside the link.
    """
    name = f"{source.stem}{suffix}{source.suffix}"
    if output_dir is None:
        return source.with_name(name)
    below = source.parent.relative_to(root) if root is not None else Path()
    return output_dir / below / name


def plan(
    inputs: Sequence[Path],
    *,
    include: Sequence[str],
    exclude: Sequence[str],
    suffix: str,
    output_dir: Path | None,
) -> list[PlannedFile]:
    """Pair every input file with its output.

    Raises:
        InputError: a bad input or suffix, an output that would be an input, or two inputs
            whose outputs would be one file.
    """
    check_request(inputs, suffix, output_dir)
    folder = output_dir.absolute() if output_dir is not None else None
    planned = [
        PlannedFile(source, output_path(source, suffix, folder, root))
        for source, root in find_inputs(inputs, include, exclude, suffix, skip=folder)
    ]
    _refuse_clashes(planned)
    return planned


def _refuse_clashes(planned: Sequence[PlannedFile]) -> None:
    inputs = {_same_name_key(item.input) for item in planned}
    writers: dict[str, Path] = {}
    for item in planned:
        key = _same_name_key(item.output)
        if key in inputs:
            raise InputError(
                f"{item.input}: its output {item.output} is one of the inputs;"
                " choose another -o or --suffix"
            )
        if key in writers:  # issue 12: a/notes.txt and b/notes.txt -o out lost a's translation
            raise InputError(
                f"{writers[key]} and {item.input} would both be written to {item.output};"
                " translate them in separate runs or into separate folders (-o)"
            )
        writers[key] = item.input


def _same_name_key(path: Path) -> str:
    # Case and Unicode form folded as Windows and macOS fold them, or more: a clash there is
    # refused everywhere rather than losing a file on one system.
    return unicodedata.normalize("NFC", location(path)).casefold()


def prepare_folders(planned: Sequence[PlannedFile], output_dir: Path | None) -> None:
    """Make the folders outputs go into, before any translation work.

    Raises:
        DocumentError: a folder cannot be made, or one inside the output folder is a link,
            through which outputs would land outside it.
    """
    top = output_dir.absolute() if output_dir is not None else None
    for folder in sorted({item.output.parent for item in planned}):
        if top is not None:
            _refuse_links_below(top, folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DocumentError(
                f"{folder}: cannot write outputs there ({error.strerror or error})"
            ) from None


def _refuse_links_below(top: Path, folder: Path) -> None:
    current = top  # the output folder itself may be a link: the user named it
    for part in folder.relative_to(top).parts:
        current = current / part
        if current.is_symlink():
            raise DocumentError(
                f"{current} is a link: outputs are not written through links inside the"
                f" output folder {top}"
            )


def output_exists(path: Path) -> bool:
    """True for a file or any link at `path`, dangling ones too: both count as an output."""
    return os.path.lexists(path)
