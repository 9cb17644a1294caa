"""Properties of where outputs go, over hostile names and folder layouts (issue 12).

Whatever the names, suffix, links and output folder: an output lands inside the output
folder (or beside the input as named), is never an input, never has two inputs, and nothing
else on disk changes. A refused job changes nothing at all.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.documents import Job
from desktop_app.documents.outputs import check_suffix, output_path
from desktop_app.errors import DocumentError, InputError
from tests.documents.fakes import FakeTranslator

# Names a user might meet: case and Unicode-form twins, dots, glob characters, names that
# look like outputs or options.
_NAMES = ["a", "A", "é", "e\u0301", "notes", "notes.fr", "sp ace", "b[1]", "*", "...", "-o"]
_FOLDERS = ["sub", "SUB", "d.fr", "out"]
# What no file name holds on this system, so no input can be named with it.
_NOT_IN_NAMES = "/\x00" + ('\\<>:"|?*' if sys.platform == "win32" else "")
_SUFFIXES = [".fr", "", "_de", ".FR", ".fr.fr", "/../b", "\\x", "..", ".f:r", "\x00"]


@settings(max_examples=200, deadline=None, database=None)
@given(
    stem=st.text(st.characters(exclude_characters=_NOT_IN_NAMES), min_size=1, max_size=20),
    extension=st.sampled_from(["", ".txt", ".md", ".tar.gz"]),
    suffix=st.one_of(st.sampled_from(_SUFFIXES), st.text(max_size=8)),
    below=st.lists(st.sampled_from(_FOLDERS), max_size=2),
)
def test_an_accepted_suffix_gives_one_plain_name_in_the_right_folder(
    stem: str, extension: str, suffix: str, below: list[str]
) -> None:
    source_name = stem + extension
    if source_name in {".", ".."}:
        return  # not a file name
    try:
        check_suffix(suffix)
    except InputError:
        return
    root, out = Path("/in"), Path("/out")
    source = root.joinpath(*below, source_name)
    for output, folder in (
        (output_path(source, suffix, None), source.parent),
        (output_path(source, suffix, out, root), out.joinpath(*below)),
    ):
        assert output.parent == folder
        assert output.name not in {"", ".", ".."}
        # A "\\" in a POSIX file name is only a character; the output adds none of its own.
        assert not {"/", "\\", "\x00"} & (set(output.name) - set(source_name))


@dataclass(frozen=True)
class _Layout:
    files: list[tuple[tuple[str, ...], str, str]]  # folders, name, extension
    inputs: list[int]  # -1: the input folder; -2: a link to another folder's file; else a file
    respelled: bool  # name the first file as in/../in/name
    output_dir: str | None  # below the job's folder
    suffix: str
    link_at_output: bool  # in/notes.fr.txt and out/notes.fr.txt are links to the victim
    link_in_output: bool  # out/sub is a link to the victim's folder
    overwrite: bool


_layouts = st.builds(
    _Layout,
    files=st.lists(
        st.tuples(
            st.lists(st.sampled_from(_FOLDERS), max_size=2).map(tuple),
            st.sampled_from(_NAMES),
            st.sampled_from([".txt", ".md", ".bin"]),
        ),
        min_size=1,
        max_size=6,
    ),
    inputs=st.lists(st.sampled_from([-1, -1, -2, 0, 1, 2, 3]), min_size=1, max_size=3),
    respelled=st.booleans(),
    output_dir=st.sampled_from([None, "out", "in", "in/sub", "in/out"]),
    suffix=st.sampled_from([".fr", ".fr", "", "_de", ".FR", ".fr.fr", "/../b"]),
    link_at_output=st.booleans(),
    link_in_output=st.booleans(),
    overwrite=st.booleans(),
)


def _snapshot(root: Path) -> dict[Path, bytes]:
    found: dict[Path, bytes] = {}
    for path in root.rglob("*"):  # rglob does not descend into linked folders
        if path.is_symlink():
            found[path] = f"-> {path.readlink()}".encode()
        elif path.is_file():
            found[path] = path.read_bytes()
    return found


def _build(root: Path, layout: _Layout) -> list[Path]:
    victim = root / "victim"
    (victim / "deep").mkdir(parents=True)
    (victim / "v.txt").write_text("the victim's own text\n")
    files = []
    for number, (folders, name, extension) in enumerate(layout.files):
        path = root.joinpath("in", *folders, name + extension)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(f"line {number} of {name}\n")
            files.append(path)
    (root / "out").mkdir()
    if layout.link_at_output:
        for folder in ("in", "out"):
            target = root / folder / "notes.fr.txt"
            if not target.exists():
                target.symlink_to(victim / "v.txt")
    if layout.link_in_output:
        (root / "out" / "sub").symlink_to(victim)
    (root / "in" / "elsewhere.txt").symlink_to(victim / "v.txt")
    inputs = []
    for choice in layout.inputs:
        if choice == -1:
            inputs.append(root / "in")
        elif choice == -2:
            inputs.append(root / "in" / "elsewhere.txt")
        else:
            inputs.append(files[choice % len(files)])
    if layout.respelled:
        inputs[0] = inputs[0].parent / ".." / inputs[0].parent.name / inputs[0].name
    return inputs


def _where(path: Path) -> Path:
    return path.parent.resolve() / path.name


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")
@settings(max_examples=40, deadline=None, database=None)
@given(layout=_layouts)
def test_outputs_stay_in_their_folder_and_never_touch_anything_else(layout: _Layout) -> None:
    with tempfile.TemporaryDirectory() as temp:
        root = Path(temp)
        inputs = _build(root, layout)
        before = _snapshot(root)
        output_dir = root / layout.output_dir if layout.output_dir is not None else None
        job = Job(
            tuple(inputs),
            target="fr",
            output_dir=output_dir,
            suffix=layout.suffix,
            overwrite=layout.overwrite,
        )
        try:
            report = job.run(FakeTranslator())
        except (InputError, DocumentError):
            assert _snapshot(root) == before, "a refused job changes nothing"
            return

        planned = [(f.input, f.output) for f in report.files if f.output is not None]
        assert len(planned) == len(report.files), "every file is reported with its output"
        statuses = [f.status for f in report.files]
        written = [o for (_, o), s in zip(planned, statuses, strict=True) if s == "translated"]
        where = [_where(path) for path in written]
        assert len(set(where)) == len(where), "two inputs, one output"
        assert not set(where) & {_where(i) for i, _ in planned}, "an output is an input"
        for source, output in planned:
            if output_dir is None:
                assert output.parent == source.parent, "beside the input as named"
            else:
                assert output.is_relative_to(output_dir)
                assert _where(output).is_relative_to(output_dir.resolve())
        for path in written:
            assert path.is_file() and not path.is_symlink()
        after = _snapshot(root)
        changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
        changed -= {p for p in changed if p.name.startswith(".tolk-job-")}  # kept for a rerun
        assert {_where(p) for p in changed} <= set(where), "only the outputs changed"
        leftovers = [p for p in after if p.name.endswith(".tmp") or ".tolk-job-" in p.name]
        assert not leftovers or not report.ok, "no temp file left, nor the journal of a done job"
        victim = root / "victim"
        assert sorted(victim.rglob("*")) == [victim / "deep", victim / "v.txt"], "no new folder"
