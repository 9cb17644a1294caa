"""The resume journal and atomic outputs."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from desktop_app.documents.storage import Journal, JournalEntry, atomic_output, write_atomic
from desktop_app.errors import DocumentError


def test_a_line_cut_by_a_crash_is_dropped_and_appending_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "job.jsonl"
    journal = Journal(path)
    journal.append(
        [("a", JournalEntry("Bonjour", None)), ("b", JournalEntry("Salut", ((0, 5, 0, 5),)))]
    )
    with path.open("ab") as handle:
        handle.write(b'{"k": "c", "t": "cut sh')
    reopened = Journal(path)
    assert reopened.entries == {
        "a": JournalEntry("Bonjour", None),
        "b": JournalEntry("Salut", ((0, 5, 0, 5),)),
    }
    reopened.append([("c", JournalEntry("Coupé", None))])
    assert Journal(path).entries["c"] == JournalEntry("Coupé", None)


def test_an_output_is_complete_or_absent(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    write_atomic(target, b"first")
    with pytest.raises(RuntimeError), atomic_output(target) as stream:
        stream.write(b"half of the sec")
        raise RuntimeError("killed while writing")
    assert target.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_output_gets_the_permissions_of_any_new_file(tmp_path: Path) -> None:
    # Not the private 0600 of a temp file: others may read what the user could share.
    plain = tmp_path / "plain.txt"
    plain.write_bytes(b"made with open()")
    write_atomic(tmp_path / "out.txt", b"translated")
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == stat.S_IMODE(
        plain.stat().st_mode
    )


def test_stale_temp_files_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    (tmp_path / ".out.txt.abc123.tmp").write_bytes(b"left by kill -9")
    write_atomic(tmp_path / "out.txt", b"done")
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_writing_under_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DocumentError, match="cannot write"):
        write_atomic(blocker / "out.txt", b"data")
