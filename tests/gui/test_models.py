"""The Models tab: import a checkpoint through the converter subprocess (progress, cancel), remove
a package, and explain the import when the converter is not installed."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from desktop_app.engine.store import ModelStore
from desktop_app.gui.import_dialog import ImportDialog
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.models_tab import details_text
from tests.fixtures.argos import argos_members, write_zip

CONVERT_WAIT_MS = 180_000


@pytest.mark.slow
def test_import_converts_in_a_subprocess_with_progress(
    qtbot: QtBot, window: MainWindow, tiny_checkpoints: dict[str, Path], store: ModelStore
) -> None:
    tab = window.models_tab
    before = tab.model.rowCount()
    fractions: list[float] = []
    tab.converter.progress.connect(lambda fraction, _message: fractions.append(fraction))

    with qtbot.waitSignal(tab.converter.succeeded, timeout=CONVERT_WAIT_MS):
        tab.start_import(str(tiny_checkpoints["marian"]), "imported-marian", "int8")
        assert tab.cancel_button.isEnabled()
        assert not tab.import_button.isEnabled()

    assert len(fractions) >= 3
    assert fractions[-1] == 1.0
    assert tab.model.rowCount() == before + 1
    names = [tab.model.entry(row).name for row in range(tab.model.rowCount())]
    assert "imported-marian" in names
    assert store.get("imported-marian").manifest.quantization == "int8"
    assert "Imported imported-marian" in tab.status.text()
    assert tab.import_button.isEnabled()


@pytest.mark.slow
def test_import_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, tiny_checkpoints: dict[str, Path], store: ModelStore
) -> None:
    tab = window.models_tab
    tab.start_import(str(tiny_checkpoints["marian"]), "cancelled-marian", "int8")

    def hidden() -> list[Path]:
        return [path for path in store.root.iterdir() if path.name.startswith(".")]

    # Cancelled while building its package, the converter has a work folder in the store.
    qtbot.waitUntil(lambda: bool(hidden()), timeout=CONVERT_WAIT_MS)
    with qtbot.waitSignal(tab.converter.cancelled, timeout=CONVERT_WAIT_MS):
        qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)

    assert not tab.converter.running
    assert "cancelled-marian" not in [entry.name for entry in store.entries()]
    assert not hidden(), "no hidden .converting folder is left in the store"
    assert tab.status.text() == "Import cancelled."
    assert tab.import_button.isEnabled()


def test_failed_import_shows_the_converters_message(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    tab = window.models_tab
    with qtbot.waitSignal(tab.converter.failed, timeout=CONVERT_WAIT_MS) as failed:
        tab.start_import(str(tmp_path / "no-such-checkpoint"))
    assert failed.args[0]
    assert tab.status.text().startswith("Import failed: ")
    assert tab.import_button.isEnabled()


def test_remove_and_details(qtbot: QtBot, window: MainWindow, store: ModelStore) -> None:
    tab = window.models_tab
    entry = tab.model.entry(0)
    assert entry.package is not None
    text = details_text(entry.package)
    assert entry.package.manifest.architecture in text
    assert str(entry.path) in text

    with qtbot.waitSignal(tab.models_changed, timeout=5000):
        tab.remove(entry.name)

    assert store.entries() == []
    assert tab.model.rowCount() == 0
    assert window.translate_tab.source_language.count() == 0
    assert window.loaded_model is None  # the removed model is not kept in use
    assert window.model_label.text() == "No model loaded"


def test_the_installed_app_imports_through_its_own_tolk_convert(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Frozen, the GUI's converter is the console executable beside it (`tolk convert`,
    torch-free); from Python, `python -m converter`."""
    from desktop_app.conversion import converter_command

    assert converter_command() == [sys.executable, "-m", "converter"]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "tolk" / "tolk-gui"))
    assert converter_command() == [str(tmp_path / "tolk" / "tolk"), "convert"]


@pytest.mark.slow
def test_closing_the_window_stops_a_running_import(
    qtbot: QtBot, window: MainWindow, tiny_checkpoints: dict[str, Path], store: ModelStore
) -> None:
    tab = window.models_tab
    with qtbot.waitSignal(tab.converter.progress, timeout=CONVERT_WAIT_MS):
        tab.start_import(str(tiny_checkpoints["marian"]), "closed-marian", "int8")
    converter = psutil.Process(tab.converter.process_id())

    window.close()

    assert not tab.converter.running
    assert not converter.is_running()
    assert "closed-marian" not in [entry.name for entry in store.entries()]


def test_import_dialog_checks_the_checkpoint_before_closing_and_keeps_the_text(
    qtbot: QtBot, tmp_path: Path
) -> None:
    dialog = ImportDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    source = dialog.findChild(QLineEdit, "importSource")
    labels = {label.text(): label for label in dialog.findChildren(QLabel)}
    assert labels["&Checkpoint:"].buddy() is source, "a mnemonic, not a literal '&'"
    hint = dialog.findChild(QLabel, "importHint")
    assert hint.wordWrap() and "Helsinki-NLP/opus-mt-en-de" in hint.text()
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)

    missing = str(tmp_path / "no-such-checkpoint")
    source.setText(missing)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != QDialog.DialogCode.Accepted
    assert source.text() == missing
    assert "No such folder" in dialog.error.text()

    source.setText("tolk-tests/never-downloaded")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "Tick “Download" in dialog.error.text() and "--download" not in dialog.error.text()

    checkpoint = tmp_path / "checkpoint"
    checkpoint.mkdir()
    (checkpoint / "config.json").write_text("{}", encoding="utf-8")
    source.setText(str(checkpoint))
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.source() == str(checkpoint)


def test_a_hub_id_missing_from_the_cache_is_explained_in_gui_terms(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = window.models_tab
    with qtbot.waitSignal(tab.converter.failed, timeout=CONVERT_WAIT_MS):
        tab.start_import("tolk-tests/never-downloaded")
    assert "tick “Download" in tab.status.text()
    assert "--download" not in tab.status.text()


def test_packages_are_listed_by_their_own_names_and_cli_installs_appear(
    qtbot: QtBot, window: MainWindow, store: ModelStore, tiny_package: Callable[[str], Path],
    tmp_path: Path,
) -> None:
    tab = window.models_tab
    staged = tmp_path / "staged"
    shutil.copytree(tiny_package("marian"), staged)  # the same checkpoint, a second package

    # As `tolk convert` installs: a finished folder renamed into the store.
    with qtbot.waitSignal(tab.models_changed, timeout=5000):
        staged.rename(store.root / "marian-second")

    names = [tab.model.index(row, 0).data() for row in range(tab.model.rowCount())]
    assert names == ["marian-second", "tiny-marian"]
    display = tab.model.entry(0).package.manifest.display_name
    assert display in tab.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)

    # As `tolk models remove` does (renamed away, then deleted): the app may be loading the
    # new package and writing its verification stamp into the folder meanwhile.
    with qtbot.waitSignal(tab.models_changed, timeout=5000):
        store.remove("marian-second")
    assert [tab.model.index(row, 0).data() for row in range(tab.model.rowCount())] == [
        "tiny-marian"
    ]


def test_an_argos_package_dropped_on_the_tab_is_installed_and_listed(
    qtbot: QtBot, window: MainWindow, tiny_package: Callable[[str], Path], tmp_path: Path
) -> None:
    tab = window.models_tab
    archive = write_zip(tmp_path / "en-fr.argosmodel", argos_members(tiny_package("marian")))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(archive)), QUrl.fromLocalFile(str(tmp_path / "a.txt"))])
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)

    with qtbot.waitSignal(tab.models_changed, timeout=30_000):
        tab.dropEvent(drop)
        assert not tab.package_button.isEnabled()  # busy while it unpacks, in the background

    names = [tab.model.index(row, 0).data() for row in range(tab.model.rowCount())]
    assert "argos-en-fr" in names
    assert tab.status.text() == "Imported argos-en-fr."
    assert tab.package_button.isEnabled()


def test_a_refused_package_says_why_and_installs_nothing(
    qtbot: QtBot, window: MainWindow, store: ModelStore, tmp_path: Path
) -> None:
    tab = window.models_tab
    before = sorted(path.name for path in store.root.iterdir())
    broken = tmp_path / "broken.argosmodel"
    broken.write_bytes(b"not a zip")

    tab.import_package(broken)
    qtbot.waitUntil(tab.package_button.isEnabled, timeout=30_000)

    assert tab.status.text().startswith("Import failed: broken.argosmodel: not an Argos package")
    assert sorted(path.name for path in store.root.iterdir()) == before
