"""Typed table models for the installed packages and the document queue (testable without views)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from desktop_app.engine import human_size

if TYPE_CHECKING:
    from desktop_app.engine import StoreEntry

_Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
# A role carrying the row's object (StoreEntry, QueueItem) for views and tests.
ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
# A role carrying the progress fraction 0..1 for the progress bar delegate.
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 2


def _tr(text: object) -> str:
    """Translate a string marked with QT_TRANSLATE_NOOP (typed `object` by the stubs)."""
    return QCoreApplication.translate("TableModels", str(text))


class _HeaderedTableModel(QAbstractTableModel):
    """A flat table whose columns are its translatable `HEADERS`."""

    HEADERS: tuple[object, ...] = ()

    def columnCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(self.HEADERS[section])
        return None


class ModelTableModel(_HeaderedTableModel):
    """One row per store entry: usable packages and broken ones (with their reason)."""

    HEADERS = (
        QT_TRANSLATE_NOOP("TableModels", "Name"),
        QT_TRANSLATE_NOOP("TableModels", "Languages"),
        QT_TRANSLATE_NOOP("TableModels", "Architecture"),
        QT_TRANSLATE_NOOP("TableModels", "Quantization"),
        QT_TRANSLATE_NOOP("TableModels", "Size"),
        QT_TRANSLATE_NOOP("TableModels", "Verified"),
    )

    def __init__(self, entries: Sequence[StoreEntry] = ()) -> None:
        super().__init__()
        self._entries = list(entries)

    def set_entries(self, entries: Sequence[StoreEntry]) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> StoreEntry:
        return self._entries[row]

    def entries(self) -> list[StoreEntry]:
        return list(self._entries)

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._entries[index.row()]
        if role == ITEM_ROLE:
            return entry
        if role == Qt.ItemDataRole.ToolTipRole:
            if entry.package is None:
                return entry.error or str(entry.path)
            return f"{entry.package.manifest.display_name}\n{entry.path}"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self._cell(entry, index.column())

    @staticmethod
    def _cell(entry: StoreEntry, column: int) -> str:
        package = entry.package
        if package is None:
            broken = QCoreApplication.translate("TableModels", "broken")
            return (entry.name, "", "", "", "", broken)[column]
        manifest = package.manifest
        verified = {
            "reference": QCoreApplication.translate("TableModels", "yes"),
            "runtime": QCoreApplication.translate("TableModels", "yes (runtime check)"),
            "unverified": QCoreApplication.translate("TableModels", "UNVERIFIED"),
        }.get(manifest.check, QCoreApplication.translate("TableModels", "no"))
        # The package name, unique in the store: two conversions of one checkpoint share
        # their display name ("demo-en-fr (int8)"), which stays in the tooltip.
        return (
            entry.name,
            _languages_text(manifest.languages.source, manifest.languages.target),
            manifest.architecture,
            manifest.quantization,
            human_size(package.size_bytes),
            verified,
        )[column]


def _languages_text(sources: Sequence[Any], targets: Sequence[Any]) -> str:
    def names(langs: Sequence[Any]) -> str:
        codes = [lang.iso for lang in langs]
        if len(codes) <= 4:
            return ", ".join(codes)
        return QCoreApplication.translate("TableModels", "%1 languages").replace(
            "%1", str(len(codes))
        )

    return f"{names(sources)} → {names(targets)}"


class FileStatus(Enum):
    QUEUED = QT_TRANSLATE_NOOP("TableModels", "Queued")
    RUNNING = QT_TRANSLATE_NOOP("TableModels", "Translating")
    DONE = QT_TRANSLATE_NOOP("TableModels", "Done")
    SKIPPED = QT_TRANSLATE_NOOP("TableModels", "Skipped")
    FAILED = QT_TRANSLATE_NOOP("TableModels", "Failed")
    CANCELLED = QT_TRANSLATE_NOOP("TableModels", "Cancelled")


@dataclass(frozen=True, slots=True)
class QueueItem:
    path: Path
    status: FileStatus = FileStatus.QUEUED
    progress: float = 0.0
    output: Path | None = None
    error: str = ""


class FileQueueModel(_HeaderedTableModel):
    """The document queue: file, status, progress (drawn as a bar) and output or error."""

    HEADERS = (
        QT_TRANSLATE_NOOP("TableModels", "File"),
        QT_TRANSLATE_NOOP("TableModels", "Status"),
        QT_TRANSLATE_NOOP("TableModels", "Progress"),
        QT_TRANSLATE_NOOP("TableModels", "Result"),
    )
    PROGRESS_COLUMN = 2

    def __init__(self) -> None:
        super().__init__()
        self._items: list[QueueItem] = []

    def items(self) -> list[QueueItem]:
        return list(self._items)

    def paths(self) -> list[Path]:
        return [item.path for item in self._items]

    def add(self, paths: Sequence[Path]) -> int:
        """Append files not queued yet; returns how many were added."""
        known = set(self.paths())
        new = [path for path in dict.fromkeys(paths) if path not in known]
        if new:
            first = len(self._items)
            self.beginInsertRows(_ROOT, first, first + len(new) - 1)
            self._items.extend(QueueItem(path) for path in new)
            self.endInsertRows()
        return len(new)

    def clear(self) -> None:
        self.beginResetModel()
        self._items = []
        self.endResetModel()

    def update(self, path: Path, **changes: Any) -> None:
        """Change one file's status, progress, output or error."""
        for row, item in enumerate(self._items):
            if item.path == path:
                self._items[row] = replace(item, **changes)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))
                return
        raise KeyError(path)

    def reset_statuses(self) -> None:
        """Back to queued (a new run over the same files)."""
        self.beginResetModel()
        self._items = [QueueItem(item.path) for item in self._items]
        self.endResetModel()

    def rowCount(self, parent: _Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self._items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cell(item, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return Qt.GlobalColor.red if item.status is FileStatus.FAILED else None
        return {
            ITEM_ROLE: item,
            PROGRESS_ROLE: item.progress,
            Qt.ItemDataRole.ToolTipRole: item.error or str(item.output or item.path),
        }.get(role)

    @staticmethod
    def _cell(item: QueueItem, column: int) -> str:
        return (
            item.path.name,
            _tr(item.status.value),
            f"{round(item.progress * 100)} %",
            item.error or (item.output.name if item.output else ""),
        )[column]
