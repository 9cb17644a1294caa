"""The user's model store: one directory per installed package."""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from desktop_app.engine.package import ModelPackage
from desktop_app.errors import ModelError


def default_store_root(environ: Mapping[str, str] = os.environ) -> Path:
    """`$TOLK_HOME/models` when TOLK_HOME is set, else the platform's user data directory."""
    home = environ.get("TOLK_HOME")
    if home:
        return Path(home).expanduser() / "models"
    import platformdirs

    return Path(platformdirs.user_data_dir("tolk", appauthor=False)) / "models"


# A package being removed is renamed to this prefix and its name, then deleted.
_REMOVING = ".removing-"


@dataclass(frozen=True, slots=True)
class StoreEntry:
    """One directory of the store: a usable package, or the reason it is broken."""

    name: str
    path: Path
    package: ModelPackage | None
    error: str | None


class ModelStore:
    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_store_root()

    def entries(self) -> list[StoreEntry]:
        """Every package directory, sorted by name; broken ones carry their reason."""
        if not self.root.is_dir():
            return []
        found = []
        for path in sorted(self.root.iterdir()):
            # Hidden entries are conversions in progress (temp dirs beside their target).
            if not path.is_dir() or path.name.startswith("."):
                continue
            try:
                found.append(StoreEntry(path.name, path, ModelPackage.open(path), None))
            except ModelError as exc:
                found.append(StoreEntry(path.name, path, None, str(exc)))
        return found

    def packages(self) -> list[ModelPackage]:
        return [entry.package for entry in self.entries() if entry.package is not None]

    def path_for(self, name: str) -> Path:
        if not name or name in (".", "..") or Path(name).name != name or name.startswith("."):
            raise ModelError(f"invalid model name '{name}'")
        return self.root / name

    def get(self, name: str) -> ModelPackage:
        path = self.path_for(name)
        if not path.is_dir():
            installed = ", ".join(entry.name for entry in self.entries()) or "none"
            raise ModelError(f"no model named '{name}' in {self.root}; installed: {installed}")
        return ModelPackage.open(path)

    def default(self) -> ModelPackage:
        """The model used when none is named: the only one, else `demo-en-fr`, else the first."""
        packages = self.packages()
        if not packages:
            raise ModelError(
                f"no model installed in {self.root}; convert one with 'tolk convert' (see README)"
            )
        by_name = {package.name: package for package in packages}
        return by_name.get("demo-en-fr", packages[0])

    def install(self, folder: Path, name: str) -> None:
        """Move the finished package `folder` (a folder of the store's root) into place as
        `name`; a package already installed under that name is replaced, then deleted. A
        package never looks installed half-written: both moves are renames."""
        target = self.path_for(name)
        replaced = None
        if target.exists() or _is_link(target):
            replaced = target.with_name(f"{_REMOVING}{name}")
            _delete(replaced)  # what an interrupted removal left
            target.rename(replaced)
        try:
            folder.rename(target)
        except OSError:
            if replaced is not None:
                replaced.rename(target)
            raise
        if replaced is not None:
            _delete(replaced)

    def remove(self, name: str) -> None:
        """Delete the package `name`; a package that is a link loses the link, never its target.

        Issue 12, case 8: rmtree refused a linked package with a traceback and left the
        renamed link behind as `.removing-NAME`.
        """
        path = self.path_for(name)
        if _is_link(path):
            # The target may be the user's own folder or another store's: only the link is ours.
            path.unlink()
            return
        if not path.is_dir():
            raise ModelError(f"no model named '{name}' in {self.root}")
        # What an interrupted removal left is deleted first: the user asked for it, and a
        # leftover of the same name would block the rename below.
        for leftover in self.root.glob(f"{_REMOVING}*"):
            _delete(leftover)
        # Rename first so a half-deleted package never looks installed.
        doomed = path.with_name(f"{_REMOVING}{name}")
        path.rename(doomed)
        try:
            shutil.rmtree(doomed)
        except OSError as exc:
            raise ModelError(
                f"could not delete all of model '{name}' ({exc}); what is left, "
                f"{doomed}, is deleted by the next removal or can be deleted by hand"
            ) from None


def _is_link(path: Path) -> bool:
    """A symbolic link, or on Windows a junction (which rmtree would also follow or refuse)."""
    return path.is_symlink() or bool(getattr(path, "is_junction", lambda: False)())


def _delete(path: Path) -> None:
    """Delete what an interrupted removal left; a link is unlinked, never followed."""
    with contextlib.suppress(OSError):  # still in use, say: the next removal tries again
        if _is_link(path) or not path.is_dir():
            path.unlink()
        else:
            shutil.rmtree(path)
