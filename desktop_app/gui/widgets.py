"""Small widget helpers: stable object names (for tests and automation), buddy labels, and
the source text pane that takes dropped files."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QMimeData, Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """Give `widget` its stable object name and return it."""
    widget.setObjectName(name)
    return widget


def buddy_label(text: str, buddy: QWidget) -> QLabel:
    """A label whose mnemonic (&X) moves the focus to `buddy`, and which screen readers
    announce with it."""
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def wrapping_label(name: str) -> QLabel:
    """An initially empty, word-wrapping status label."""
    label = named(QLabel(), name)
    label.setWordWrap(True)
    return label


class SourceTextEdit(QPlainTextEdit):
    """A text pane on which dropped files are handed over, not pasted as `file:///…` text."""

    files_dropped = Signal(list)  # list[Path] of the local files dropped

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return bool(_local_files(source)) or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        files = _local_files(source)
        if files:
            self.files_dropped.emit(files)
        else:
            super().insertFromMimeData(source)


def _local_files(mime: QMimeData) -> list[Path]:
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
