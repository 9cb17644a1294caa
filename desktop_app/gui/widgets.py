"""Small widget helpers: stable object names (for tests and automation) and buddy labels."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QLabel, QWidget

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
