"""Light, dark or system theme: Fusion with an explicit palette, so both render the same on every
platform (and offscreen), while "system" keeps the platform's own style and colour scheme."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

_DARK = {
    _Role.Window: "#2b2d31",
    _Role.WindowText: "#e8e8ea",
    _Role.Base: "#1e1f22",
    _Role.AlternateBase: "#2f3136",
    _Role.ToolTipBase: "#1e1f22",
    _Role.ToolTipText: "#e8e8ea",
    _Role.PlaceholderText: "#8b8d93",
    _Role.Text: "#e8e8ea",
    _Role.Button: "#35373c",
    _Role.ButtonText: "#e8e8ea",
    _Role.BrightText: "#ff6b6b",
    _Role.Highlight: "#3d7bd9",
    _Role.HighlightedText: "#ffffff",
    _Role.Link: "#7aa7ff",
    _Role.Mid: "#45474d",
    _Role.Dark: "#1a1b1e",
    _Role.Light: "#4a4c52",
}
_DARK_DISABLED = {
    _Role.WindowText: "#7d7f85",
    _Role.Text: "#7d7f85",
    _Role.ButtonText: "#7d7f85",
}


class ThemeManager:
    """Applies a theme name ("system", "light", "dark") to the running application."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._system_style = app.style().name()

    def apply(self, theme: str) -> None:
        if theme == "system":
            self._app.setStyle(self._system_style)
            _request_color_scheme(None)
            self._app.setPalette(self._app.style().standardPalette())
            return
        self._app.setStyle(QStyleFactory.create("Fusion"))
        _request_color_scheme(Qt.ColorScheme.Dark if theme == "dark" else Qt.ColorScheme.Light)
        light = self._app.style().standardPalette()
        self._app.setPalette(dark_palette() if theme == "dark" else light)


def _request_color_scheme(scheme: Qt.ColorScheme | None) -> None:
    """Tell the platform (title bars, native dialogs) which scheme the app uses; None follows
    the system. Qt 6.8 added this; older Qt keeps the system's scheme there."""
    hints = QGuiApplication.styleHints()
    if not hasattr(hints, "setColorScheme"):
        return
    if scheme is None:
        hints.unsetColorScheme()
    else:
        hints.setColorScheme(scheme)


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in _DARK.items():
        palette.setColor(role, QColor(colour))
    for role, colour in _DARK_DISABLED.items():
        palette.setColor(_Group.Disabled, role, QColor(colour))
    return palette


def is_dark(palette: QPalette) -> bool:
    """Whether text is lighter than the window: the palette in use is a dark one."""
    return palette.color(_Role.WindowText).lightness() > palette.color(_Role.Window).lightness()
