"""Hidden work folders beside a package's target, and the sweep of abandoned ones.

A conversion builds its package in `.NAME.converting-XXXX` beside the target (same
filesystem, so installing is an atomic rename; hidden, so the store ignores it) and removes
it when done. A converter killed outright (SIGKILL, power loss) cannot: its folder, up to
gigabytes for a large model, would stay forever. Each folder therefore holds a lock file
locked by its converter for as long as it runs; the operating system drops the lock when
the process dies, so the next conversion into the same folder removes every work folder
whose lock it can take. A package being replaced waits in its work folder (`REPLACED`) for
the new one to take its place; if the converter died in between, the sweep puts it back.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

_MARKER = ".converting-"
_LOCK_NAME = ".lock"
# Where an installed package waits while its replacement is renamed into place.
REPLACED = "replaced"
# A folder without its lock file is either being created this moment or very old (a
# converter killed between the two steps); only the old ones are taken as abandoned.
_UNLOCKED_GRACE_S = 3600.0


def _try_lock(handle: IO[bytes]) -> bool:
    """Take an exclusive lock on an open file without waiting; False when another holds it."""
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def sweep_abandoned(parent: Path) -> list[Path]:
    """Remove the work folders in `parent` whose converter is gone; returns those removed."""
    try:
        entries = sorted(parent.iterdir())
    except OSError:  # no such folder yet, or unreadable: nothing of ours is there
        return []
    removed = []
    for folder in entries:
        ours = folder.name.startswith(".") and _MARKER in folder.name and folder.is_dir()
        if ours and _abandoned(folder):
            _restore_replaced(folder)
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _restore_replaced(folder: Path) -> None:
    """Put back the package an abandoned conversion had moved aside, if nothing took its place."""
    replaced = folder / REPLACED
    target = folder.with_name(folder.name[1 : folder.name.index(_MARKER)])
    if replaced.exists() and not target.exists():
        replaced.rename(target)


def _abandoned(folder: Path) -> bool:
    try:
        handle = (folder / _LOCK_NAME).open("rb")
    except FileNotFoundError:
        try:
            return time.time() - folder.stat().st_mtime > _UNLOCKED_GRACE_S
        except OSError:
            return False
    except OSError:
        return False
    with handle:  # closed before removal: Windows cannot delete an open file
        return _try_lock(handle)


@contextmanager
def work_folder(target: Path) -> Iterator[Path]:
    """A new hidden work folder beside `target`, locked while in use and removed after.

    First removes the work folders of converters that died in the same parent folder.
    """
    sweep_abandoned(target.parent)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}{_MARKER}", dir=target.parent))
    lock = (work / _LOCK_NAME).open("wb")
    try:
        _try_lock(lock)  # a new file: nobody else can hold it
        yield work
    finally:
        lock.close()
        shutil.rmtree(work, ignore_errors=True)
