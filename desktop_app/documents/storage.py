"""Atomic output files and the append-only resume journal."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from desktop_app.errors import DocumentError

# The process's umask, read once at import (reading it means setting it, which is not
# thread-safe), applied to outputs as `cp` applies it to a copy.
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def write_atomic(path: Path, data: bytes, *, like: Path | None = None) -> None:
    """Write `data` to `path` through a temp file in the same folder: all or nothing."""
    with atomic_output(path, like=like) as stream:
        stream.write(data)


@contextlib.contextmanager
def atomic_output(path: Path, *, like: Path | None = None) -> Iterator[BinaryIO]:
    """A stream whose content replaces `path` only when the block ends without error.

    The file gets the permissions of `like` (the document it translates: a private input
    gives a private output), else those of any new file, less the umask. A link at `path`
    is replaced, never written through. Temp files left by a run that was killed while
    writing `path` are removed first; those of a run still writing it are not.
    """
    mode = (like.stat().st_mode if like is not None else 0o666) & 0o666 & ~_UMASK
    _remove_stale_temps(path)
    try:
        handle, temp = _create_temp(path)
    except OSError as error:
        raise DocumentError(f"{path}: cannot write in {path.parent} ({error.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            if hasattr(os, "fchmod"):  # mkstemp makes the file private (0600); not on Windows
                os.fchmod(stream.fileno(), mode)
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
            if _LOCKS:  # renamed while still locked, so no clean-up can take it first
                temp.replace(path)
        if not _LOCKS:  # Windows cannot rename a file that is open
            temp.replace(path)
    except OSError as error:
        raise DocumentError(f"{path}: cannot write ({error.strerror or error})") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    _fsync_directory(path.parent)


def _temp_prefix(path: Path) -> str:
    # Part of the name only: the temp name must fit wherever the output's name fits (255
    # bytes, up to 4 per character), and mkstemp adds 8 characters and ".tmp".
    return f".{path.name[:40]}."


def _create_temp(path: Path) -> tuple[int, Path]:
    """A new temp file beside `path`, locked as live (issue 12: two jobs writing one output
    removed each other's temp files as stale)."""
    while True:
        handle, name = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=".tmp", dir=path.parent)
        if _lock_live(handle):
            return handle, Path(name)
        os.close(handle)  # another run's clean-up took it before the lock: make another


def _remove_stale_temps(path: Path) -> None:
    prefix = _temp_prefix(path)
    try:
        # Listed, not globbed: a name such as "[a].txt" is a pattern matching other names.
        names = [e.name for e in os.scandir(path.parent) if e.is_file(follow_symlinks=False)]
    except OSError:
        return  # creating the temp file reports the folder's problem
    for name in names:
        if name.startswith(prefix) and name.endswith(".tmp"):
            _remove_if_unused(path.parent / name)


if sys.platform == "win32":
    _LOCKS = False

    def _lock_live(handle: int) -> bool:
        return True  # Windows refuses to remove a file that is open: nothing to lock

    def _remove_if_unused(temp: Path) -> None:
        with contextlib.suppress(OSError):
            temp.unlink()

else:
    import fcntl

    _LOCKS = True

    def _lock_live(handle: int) -> bool:
        """Lock a new temp file for as long as it is open; False when a clean-up took it."""
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a clean-up holds it and is removing it
        return os.fstat(handle).st_nlink > 0  # 0: removed between creation and the lock

    def _remove_if_unused(temp: Path) -> None:
        """Remove a temp file no live writer holds (the writer's lock ends with its process)."""
        try:  # never follow a link, never wait on a FIFO planted under a temp name
            handle = os.open(temp, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return
        try:
            with contextlib.suppress(OSError):  # locked: a live writer's
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                temp.unlink()
        finally:
            os.close(handle)


def _fsync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is; not possible on Windows.
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """A finished segment translation: text, and word alignment when spans needed it."""

    text: str
    alignment: tuple[tuple[int, int, int, int], ...] | None


class Journal:
    """Finished segments of one job, one JSON line each, fsynced after every batch.

    A line cut short by a crash is dropped when the journal is opened again, so a job
    resumes from its last complete batch.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, JournalEntry] = dict(self._load())

    def _load(self) -> Iterator[tuple[str, JournalEntry]]:
        if self.path.is_symlink():  # not ours: appending would write wherever it points
            raise DocumentError(f"{self.path} is a link, not a resume journal; remove it")
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return
        except OSError as error:
            raise DocumentError(f"{self.path}: cannot read the resume journal ({error})") from None
        complete = data[: data.rfind(b"\n") + 1]
        if len(complete) != len(data):
            with self.path.open("r+b") as handle:
                handle.truncate(len(complete))
        for line in complete.splitlines():
            try:
                record = json.loads(line)
                alignment = record.get("a")
                yield (
                    record["k"],
                    JournalEntry(
                        record["t"],
                        tuple(tuple(a) for a in alignment) if alignment is not None else None,
                    ),
                )
            except (ValueError, KeyError, TypeError):
                continue

    def append(self, records: Iterable[tuple[str, JournalEntry]]) -> None:
        lines = []
        for key, entry in records:
            record: dict[str, object] = {"k": key, "t": entry.text}
            if entry.alignment is not None:
                record["a"] = [list(a) for a in entry.alignment]
            lines.append(json.dumps(record, ensure_ascii=False) + "\n")
            self.entries[key] = entry
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
            with os.fdopen(os.open(self.path, flags, 0o666), "a", encoding="utf-8") as handle:
                handle.write("".join(lines))
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as error:
            raise DocumentError(
                f"{self.path}: cannot write the resume journal ({error.strerror or error})"
            ) from None

    def forget(self, keys: Iterable[str]) -> None:
        """Drop entries from memory (they stay on disk): a streamed file's finished parts."""
        for key in keys:
            self.entries.pop(key, None)

    def remove(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
