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
def test_an_output_is_as_private_as_the_document_it_translates(tmp_path: Path) -> None:
    shared, private = tmp_path / "shared.txt", tmp_path / "private.txt"
    shared.write_bytes(b"made with open()")
    private.write_bytes(b"for my eyes only")
    private.chmod(0o600)

    write_atomic(tmp_path / "shared.fr.txt", b"traduit", like=shared)
    write_atomic(tmp_path / "private.fr.txt", b"traduit", like=private)

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    # Not the 0600 of a temp file for a shared document, and not readable by others for a
    # private one.
    assert mode(tmp_path / "shared.fr.txt") == mode(shared)
    assert mode(tmp_path / "private.fr.txt") == 0o600


def test_stale_temp_files_of_a_killed_run_are_cleaned(tmp_path: Path) -> None:
    (tmp_path / ".out.txt.abc123.tmp").write_bytes(b"left by kill -9")
    write_atomic(tmp_path / "out.txt", b"done")
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_writing_under_a_file_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DocumentError, match="cannot write"):
        write_atomic(blocker / "out.txt", b"data")
