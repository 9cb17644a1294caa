"""Render each tab with real content to PNG files, offscreen.

`python -m desktop_app.gui.screenshots OUTDIR` uses the installed models (the demo model when
present), translates a paragraph, runs a small document job and saves light and dark views.
User settings are left alone: a temporary settings file is used.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QWidget

    from desktop_app.gui.main_window import MainWindow

# Close to the demo model's training text (software package descriptions), so its
# translations are representative of what it does well.
SAMPLE_TEXT = (
    "This package provides a simple tool to convert images between common formats.\n\n"
    "It also contains the documentation and a set of examples. "
    "The program can be used from the command line or from a graphical interface."
)
SAMPLE_DOCUMENTS = {
    "library.txt": "This package contains the shared library.\n\n"
    "It is required by programs that use this library.\n",
    "fonts.txt": "This package provides fonts for the desktop.\n"
    "They can be used by all applications.\n",
}
WAIT_MS = 120_000
WINDOW_SIZE = (1100, 680)


def wait_for(signal: SignalInstance, timeout_ms: int = WAIT_MS) -> bool:
    """Run the event loop until `signal` fires; False on timeout."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    fired: list[bool] = []

    def done(*_args: object) -> None:
        fired.append(True)
        loop.quit()

    signal.connect(done)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    signal.disconnect(done)
    return bool(fired)


def wait_until(condition: Callable[[], bool], timeout_ms: int = WAIT_MS) -> bool:
    from PySide6.QtCore import QDeadlineTimer, QThread
    from PySide6.QtWidgets import QApplication

    deadline = QDeadlineTimer(timeout_ms)
    while not condition():
        if deadline.hasExpired():
            return False
        QApplication.processEvents()
        QThread.msleep(10)
    return True


def save(widget: QWidget, path: Path) -> Path:
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    print(path)
    return path


def render_all(out_dir: Path, work_dir: Path) -> list[Path]:
    """Render every view into `out_dir`; `work_dir` holds the sample documents and settings."""
    from PySide6.QtCore import QSettings

    from desktop_app.gui import build_main_window

    out_dir.mkdir(parents=True, exist_ok=True)
    settings = QSettings(str(work_dir / "screenshots.ini"), QSettings.Format.IniFormat)
    settings.setValue("theme", "light")
    settings.setValue("live_translate", False)
    window = build_main_window(qsettings=settings)
    window.resize(*WINDOW_SIZE)
    window.show()
    try:
        if window.store.packages():
            wait_until(lambda: window.loaded_model is not None)
        saved = [
            _translate_view(window, out_dir),
            _documents_view(window, out_dir, work_dir),
            _models_view(window, out_dir),
            _get_models_view(window, out_dir, work_dir),
            _settings_view(window, out_dir),
        ]
        window.apply_settings(window.settings.with_(theme="dark"))
        window.tabs.setCurrentWidget(window.translate_tab)
        saved.append(save(window, out_dir / "translate-dark.png"))
        window.apply_settings(window.settings.with_(theme="light"))
        return saved
    finally:
        window.close()


def _translate_view(window: MainWindow, out_dir: Path) -> Path:
    tab = window.translate_tab
    window.tabs.setCurrentWidget(tab)
    tab.set_beam(4)
    tab.source_text.setPlainText(SAMPLE_TEXT)
    if window.loaded_model is not None:
        tab.translate()
        wait_for(tab.translated)
    return save(window, out_dir / "translate.png")


def _documents_view(window: MainWindow, out_dir: Path, work_dir: Path) -> Path:
    tab = window.documents_tab
    window.tabs.setCurrentWidget(tab)
    documents = work_dir / "documents"
    documents.mkdir(exist_ok=True)
    for name, text in SAMPLE_DOCUMENTS.items():
        (documents / name).write_text(text, encoding="utf-8")
    tab.output_folder.setText(str(work_dir / "translated"))
    tab.add_paths([documents])
    if tab.start_button.isEnabled():
        tab.start()
        wait_for(tab.runner.finished)
    return save(window, out_dir / "documents.png")


def _models_view(window: MainWindow, out_dir: Path) -> Path:
    tab = window.models_tab
    window.tabs.setCurrentWidget(tab)
    if tab.model.rowCount():
        tab.table.selectRow(0)
    return save(window, out_dir / "models.png")


# A few entries of the Argos index, served from a local file: the view needs no network.
SAMPLE_INDEX = [
    {"code": f"translate-{source}_{target}", "from_code": source, "to_code": target,
     "from_name": source_name, "to_name": target_name, "package_version": version,
     "links": [f"file:///nonexistent/translate-{source}_{target}.argosmodel"]}
    for source, target, source_name, target_name, version in (
        ("de", "en", "German", "English", "1.0"), ("en", "de", "English", "German", "1.0"),
        ("en", "es", "English", "Spanish", "1.0"), ("en", "fr", "English", "French", "1.9"),
        ("es", "en", "Spanish", "English", "1.0"), ("fr", "en", "French", "English", "1.9"),
        ("it", "en", "Italian", "English", "1.0"), ("ja", "en", "Japanese", "English", "1.1"),
        ("zt", "en", "Chinese (traditional)", "English", "1.9"),
    )
]


def _get_models_view(window: MainWindow, out_dir: Path, work_dir: Path) -> Path:
    import json

    index = work_dir / "index.json"
    index.write_text(json.dumps(SAMPLE_INDEX), encoding="utf-8")
    previous = os.environ.get("TOLK_CATALOG_URL")
    os.environ["TOLK_CATALOG_URL"] = index.as_uri()
    try:
        dialog = window.models_tab.open_get_models()
        wait_until(lambda: dialog.table.rowCount() == len(SAMPLE_INDEX))
        dialog.search.setText("english")
        dialog.table.selectRow(3)
        try:
            return save(dialog, out_dir / "get-models.png")
        finally:
            dialog.reject()
    finally:
        if previous is None:
            os.environ.pop("TOLK_CATALOG_URL", None)
        else:
            os.environ["TOLK_CATALOG_URL"] = previous


def _settings_view(window: MainWindow, out_dir: Path) -> Path:
    from desktop_app.gui.settings import SettingsDialog

    dialog = SettingsDialog(window.settings, window.device_status(), window)
    dialog.show()
    dialog.adjustSize()
    try:
        return save(dialog, out_dir / "settings.png")
    finally:
        dialog.close()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m desktop_app.gui.screenshots OUTDIR", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop_app.gui.app import application

    application()
    with tempfile.TemporaryDirectory(prefix="tolk-screenshots-") as work:
        render_all(Path(argv[0]), Path(work))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
