"""Atomic output files and the append-only resume journal."""

from __future__ import annotations

import contextlib
import json
import os
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
    gives a private output), else those of any new file, less the umask. Temp files left by
    a run that was killed while writing `path` are removed first.
    """
    mode = (like.stat().st_mode if like is not None else 0o666) & 0o666 & ~_UMASK
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
    try:
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
        )
    except OSError as error:
        raise DocumentError(f"{path}: cannot write in {path.parent} ({error.strerror})") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            if hasattr(os, "fchmod"):  # mkstemp makes the file private (0600); not on Windows
                os.fchmod(stream.fileno(), mode)
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        temp.replace(path)
    except OSError as error:
        raise DocumentError(f"{path}: cannot write ({error.strerror or error})") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink()
    _fsync_directory(path.parent)


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
            with self.path.open("a", encoding="utf-8") as handle:
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
