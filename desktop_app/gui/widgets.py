"""Small widget helpers: stable object names (for tests and automation), buddy labels, and
the source text pane that takes dropped files."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QSizePolicy, QWidget

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


class ElidedLabel(QLabel):
    """A one-line label that gives up width when the window is narrow, ending its text with
    "…" instead of being cut mid-letter; `text()` stays whole."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.fontMetrics().horizontalAdvance("…") * 6),
                     hint.height())

    def shown_text(self) -> str:
        """The text as it fits the label's width now."""
        return self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.contentsRect().width()
        )

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawText(self.contentsRect(), int(self.alignment()), self.shown_text())


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
