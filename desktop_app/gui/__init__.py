"""The PySide6 desktop app. Importing this package loads nothing heavy: Qt and the engine are
imported when a window is built."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from desktop_app.engine import ModelStore
    from desktop_app.gui.main_window import MainWindow

__all__ = ["build_main_window", "main"]


def build_main_window(
    store: ModelStore | None = None, qsettings: QSettings | None = None
) -> MainWindow:
    """The main window, built but not shown, without entering the event loop.

    Args:
        store: the model store; default: `$TOLK_HOME/models` or the user data directory.
        qsettings: where settings persist; default: `$TOLK_HOME/tolk.ini` or the user's
            platform location.
    """
    from desktop_app.gui.app import build_main_window as build

    return build(store, qsettings)


def main(argv: Sequence[str] | None = None) -> int:
    """`tolk gui [--self-test]`: run the desktop app; returns the exit code."""
    from desktop_app.gui.app import main as run

    return run(argv)
