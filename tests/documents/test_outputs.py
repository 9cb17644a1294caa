"""Where outputs go: names, suffixes, links, collisions and the output folder (issue 12)."""

from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

import pytest

from desktop_app.cli import main
from desktop_app.documents import Job
from desktop_app.documents.storage import atomic_output, write_atomic
from desktop_app.errors import DocumentError, InputError, TranslationCancelled
from tests.documents.fakes import FakeTranslator

needs_links = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges")


def _tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (links as their target's name), to prove nothing else changed."""
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = f"-> {path.readlink()}".encode()
        elif path.is_file():
            found[name] = path.read_bytes()
    return found


def _tolk_files(*args: str) -> int:
    return main(["files", *args, "--quiet"])


@pytest.fixture(autouse=True)
def _private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOLK_HOME", str(tmp_path / "home"))


# --- 1: two inputs, one output --------------------------------------------------------------


def test_two_inputs_never_share_one_output_and_the_error_names_both(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "notes.txt").write_text("from a\n")
    (tmp_path / "b" / "notes.txt").write_text("from b\n")
    job = Job(
        (tmp_path / "a" / "notes.txt", tmp_path / "b" / "notes.txt"),
        target="fr",
        output_dir=tmp_path / "out",
    )
    with pytest.raises(InputError) as caught:
        job.run(FakeTranslator())
    message = str(caught.value)
    assert str(tmp_path / "a" / "notes.txt") in message
    assert str(tmp_path / "b" / "notes.txt") in message
    assert "notes.fr.txt" in message
    assert not (tmp_path / "out").exists(), "refused before anything is written"


def test_folders_whose_files_meet_in_one_output_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("one", "two"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "x.txt").write_text(f"{folder}\n")
    out = tmp_path / "out"
    # With --to, the whole plan is checked before a model loads (none is installed here).
    code = _tolk_files(str(tmp_path / "one"), str(tmp_path / "two"), "-o", str(out), "--to", "fr")
    assert code == 2
    assert "would both be written to" in capsys.readouterr().err
    assert not out.exists()


def test_the_same_file_named_twice_is_translated_once(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("hello\n")
    inputs = (tmp_path / "in", tmp_path / "in" / "a.txt", tmp_path / "in" / ".." / "in" / "a.txt")
    report = Job(inputs, target="fr").run(FakeTranslator())
    assert [(f.input.name, f.status) for f in report.files] == [("a.txt", "translated")]


# --- 2, 8a: a suffix is a plain piece of a file name ----------------------------------------


@pytest.mark.parametrize(
    "suffix",
    ["/../b", "/../../../escaped", "/x", "\\..\\b", ".fr/", "..", "a\x00b", "a\nb", ".f:r", ".f*r"],
)
def test_a_suffix_that_is_not_a_plain_name_is_refused(tmp_path: Path, suffix: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("hello\n")
    (tmp_path / "in" / "b.txt").write_text("keep me\n")
    before = _tree(tmp_path)
    job = Job((tmp_path / "in" / "a.txt",), target="fr", output_dir=tmp_path / "in", suffix=suffix)
    with pytest.raises(InputError, match="suffix"):
        job.run(FakeTranslator())
    assert _tree(tmp_path) == before


def test_a_target_language_that_is_not_a_plain_name_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello\n")
    with pytest.raises(InputError, match="suffix"):
        Job((tmp_path / "a.txt",), target="../../x").plan()


def test_a_bad_suffix_is_one_clear_line_and_exit_2_before_a_model_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text("hello\n")
    # No model is installed in TOLK_HOME (the autouse fixture): loading one would fail.
    assert _tolk_files(str(tmp_path / "a.txt"), "--suffix", "/x") == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("tolk: error: ") and "'/x'" in err and len(err.splitlines()) == 1


# --- 5: links -----------------------------------------------------------------------------


@needs_links
def test_an_output_goes_beside_the_link_the_user_named_not_its_target(tmp_path: Path) -> None:
    (tmp_path / "victim").mkdir()
    (tmp_path / "victim" / "notes.txt").write_text("private\n")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "l.txt").symlink_to(Path("..") / "victim" / "notes.txt")
    victim = _tree(tmp_path / "victim")

    found = Job((tmp_path / "in",), target="de").run(FakeTranslator())
    assert [f.output for f in found.files] == [tmp_path / "in" / "l.de.txt"]
    named = Job((tmp_path / "in" / "l.txt",), target="fr").run(FakeTranslator())
    assert named.files[0].output == tmp_path / "in" / "l.fr.txt"
    assert (tmp_path / "in" / "l.fr.txt").read_text() == "PRIVATE\n"
    assert _tree(tmp_path / "victim") == victim


@needs_links
def test_a_link_at_the_output_name_is_replaced_never_written_through(tmp_path: Path) -> None:
    (tmp_path / "victim.txt").write_text("precious\n")
    (tmp_path / "a.txt").write_text("hello\n")
    (tmp_path / "a.fr.txt").symlink_to(tmp_path / "victim.txt")
    kept = Job((tmp_path / "a.txt",), target="fr").run(FakeTranslator())
    assert kept.files[0].status == "skipped"
    Job((tmp_path / "a.txt",), target="fr", overwrite=True).run(FakeTranslator())
    assert not (tmp_path / "a.fr.txt").is_symlink()
    assert (tmp_path / "a.fr.txt").read_text() == "HELLO\n"
    assert (tmp_path / "victim.txt").read_text() == "precious\n"


@needs_links
def test_a_dangling_link_at_the_output_name_counts_as_an_existing_output(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello\n")
    (tmp_path / "a.fr.txt").symlink_to(tmp_path / "nowhere" / "new.txt")
    report = Job((tmp_path / "a.txt",), target="fr").run(FakeTranslator())
    assert report.files[0].status == "skipped"
    assert not (tmp_path / "nowhere").exists()


@needs_links
def test_a_linked_folder_inside_the_output_folder_is_not_written_through(tmp_path: Path) -> None:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "sub" / "b.txt").write_text("b\n")
    (tmp_path / "victim").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "sub").symlink_to(tmp_path / "victim")
    with pytest.raises(DocumentError, match="link"):
        Job((tmp_path / "docs",), target="fr", output_dir=tmp_path / "out").run(FakeTranslator())
    assert list((tmp_path / "victim").iterdir()) == []


@needs_links
def test_an_output_folder_that_is_itself_a_link_is_used(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "out").symlink_to(tmp_path / "real")
    (tmp_path / "a.txt").write_text("hello\n")
    Job((tmp_path / "a.txt",), target="fr", output_dir=tmp_path / "out").run(FakeTranslator())
    assert (tmp_path / "real" / "a.fr.txt").read_text() == "HELLO\n"


# --- 13: empty suffix, things that are not files ------------------------------------------


def test_an_empty_suffix_with_another_output_folder_translates_every_file(tmp_path: Path) -> None:
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.txt").write_text("a\n")
    (tmp_path / "in" / "sub" / "b.fr.txt").write_text("b\n")
    report = Job((tmp_path / "in",), target="fr", suffix="", output_dir=tmp_path / "out").run(
        FakeTranslator()
    )
    assert report.ok and len(report.files) == 2
    assert _tree(tmp_path / "out") == {"a.txt": b"A\n", "sub/b.fr.txt": b"B\n"}
    with pytest.raises(InputError, match="outputs would overwrite inputs"):
        Job((tmp_path / "in",), target="fr", suffix="").plan()
    with pytest.raises(InputError, match="is one of the inputs"):
        Job((tmp_path / "in",), target="fr", suffix="", output_dir=tmp_path / "in").plan()


def test_outputs_inside_an_input_folder_are_not_picked_up_as_inputs(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("a\n")
    job = Job((tmp_path / "in",), target="fr", suffix="", output_dir=tmp_path / "in" / "fr")
    assert job.run(FakeTranslator()).ok
    again = Job((tmp_path / "in",), target="fr", suffix="", output_dir=tmp_path / "in" / "fr")
    assert [f.input.name for f in again.plan()] == ["a.txt"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX FIFOs")
def test_a_fifo_is_not_a_regular_file_and_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    (tmp_path / "a.txt").write_text("hello\n")
    outcome: list[object] = []

    def plan_fifo() -> None:
        try:
            Job((fifo,), target="fr").plan()
        except InputError as error:
            outcome.append(str(error))
        outcome.append([p.input.name for p in Job((tmp_path,), target="fr").plan()])

    worker = threading.Thread(target=plan_fifo, daemon=True)
    worker.start()
    worker.join(10)
    if worker.is_alive():  # a writer unblocks a reader stuck on the FIFO so the test ends
        with fifo.open("wb"):
            pass
        pytest.fail("planning blocked on a FIFO")
    assert outcome == [f"{fifo}: not a regular file", ["a.txt"]]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_as_input_is_not_a_regular_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _tolk_files("/dev/zero") == 2
    assert "/dev/zero: not a regular file" in capsys.readouterr().err


# --- 14: outputs written at the same time -----------------------------------------------------


def test_two_writers_of_one_output_keep_their_own_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_output(target) as first:
        first.write(b"first, streamed ")
        write_atomic(target, b"second")  # another job finishes meanwhile
        first.write(b"and finished")
    assert target.read_bytes() == b"first, streamed and finished"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_temp_file_of_a_live_writer_survives_even_when_old(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    with atomic_output(target) as first:
        (temp,) = tmp_path.glob(".out.txt.*.tmp")
        past = time.time() - 7 * 24 * 3600
        os.utime(temp, (past, past))
        write_atomic(target, b"second")
        assert temp.exists()
        first.write(b"first")
    assert target.read_bytes() == b"first"


def test_temp_files_of_other_outputs_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / ".a.txt.x1.tmp").write_bytes(b"stale temp of a.txt")
    write_atomic(tmp_path / "[a].txt", b"data")  # a glob pattern would match a.txt's temp
    assert (tmp_path / ".a.txt.x1.tmp").exists()


def test_a_name_at_the_length_limit_still_gets_a_temp_file(tmp_path: Path) -> None:
    target = tmp_path / ("é" * 120 + ".txt")  # 244 bytes: fits, but not with a temp prefix
    write_atomic(target, b"data")
    assert target.read_bytes() == b"data"


@needs_links
def test_a_link_at_the_journal_name_is_refused_never_written_through(tmp_path: Path) -> None:
    (tmp_path / "victim.txt").write_text("precious\n")
    (tmp_path / "a.txt").write_text("".join(f"Paragraph {n}.\n\n" for n in range(6)))
    job = Job((tmp_path / "a.txt",), target="fr", batch_chars=20)
    cancel = threading.Event()
    with pytest.raises(TranslationCancelled):
        job.run(FakeTranslator(), lambda p: cancel.set() if p.segments_done else None, cancel)
    (journal,) = tmp_path.glob(".tolk-job-*.jsonl")
    journal.unlink()
    journal.symlink_to(tmp_path / "victim.txt")
    with pytest.raises(DocumentError, match="is a link"):
        job.run(FakeTranslator())
    assert (tmp_path / "victim.txt").read_text() == "precious\n"
