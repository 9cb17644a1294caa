"""The app as a whole: entry points, self-test, cold start, first run, French interface, themes,
keyboard access and accessible names."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.engine.store import ModelStore
from desktop_app.gui import app as gui_app
from desktop_app.gui import build_main_window
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.theme import is_dark

STABLE_NAMES = (
    "mainWindow", "translateTab", "documentsTab", "modelsTab", "sourceLanguage", "targetLanguage",
    "swapLanguages", "sourceText", "targetText", "translateButton", "stopButton", "copyButton",
    "liveTranslate", "beamSize", "addFilesButton", "fileQueue", "outputFolder", "startJobButton",
    "cancelJobButton", "jobProgress", "modelTable", "importModelButton", "removeModelButton",
)
REPO = Path(__file__).resolve().parents[2]


def run_python(code: str, env_home: Path) -> subprocess.CompletedProcess[str]:
    env = {"TOLK_HOME": str(env_home), "QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )


def test_every_stable_object_name_is_there(window: MainWindow) -> None:
    names = {child.objectName() for child in window.findChildren(QWidget)} | {window.objectName()}
    assert set(STABLE_NAMES) <= names


def test_interactive_widgets_are_labelled_and_reachable_by_keyboard(window: MainWindow) -> None:
    unlabelled = []
    for tab in (window.translate_tab, window.documents_tab, window.models_tab):
        for widget in tab.findChildren(QWidget):
            name = widget.objectName()
            if not name or name.startswith("qt_") or not widget.isEnabled():
                continue
            label = widget.accessibleName() or getattr(widget, "text", lambda: "")()
            if isinstance(widget, QComboBox | QAbstractButton) and not label.strip():
                unlabelled.append(widget.objectName())
    assert unlabelled == []
    # Tab moves from the source pane on to the translation, never trapped in the editor.
    assert window.translate_tab.source_text.tabChangesFocus()
    assert window.translate_tab.source_text.hasFocus() or QApplication.focusWidget() is None


def test_copy_puts_the_translation_on_the_clipboard(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.translate_tab
    tab.live.setChecked(False)
    tab.source_text.setPlainText("Please open the window.")
    with qtbot.waitSignal(tab.translated, timeout=30_000):
        tab.translate()
    tab.copy_button.click()
    assert QApplication.clipboard().text() == tab.target_text.toPlainText() != ""
    assert tab.copy_button.text() == "Copied"  # the user sees that it worked
    qtbot.waitUntil(lambda: tab.copy_button.text() == "&Copy", timeout=5000)


def test_open_output_folder_says_so_when_nothing_can_open_it(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda _url: False)
    tab = window.documents_tab
    tab.output_folder.setText(str(tmp_path))
    qtbot.mouseClick(tab.open_output_button, Qt.MouseButton.LeftButton)
    assert "could open" in tab.status.text() and str(tmp_path) in tab.status.text()


def drop_on(widget: QPlainTextEdit, *paths: Path) -> None:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path)) for path in paths])
    viewport = widget.viewport()
    position = viewport.rect().center()
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    action = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(position, action, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(position), action, mime, buttons, modifiers)
    QApplication.sendEvent(viewport, drop)


def test_a_text_file_dropped_on_the_text_pane_is_translated_and_a_document_is_queued(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    tab = window.translate_tab
    tab.live.setChecked(False)
    note = tmp_path / "note.txt"
    note.write_text("Please open the window.\n", encoding="utf-8")
    with qtbot.waitSignal(tab.translated, timeout=30_000):
        drop_on(tab.source_text, note)
    assert tab.source_text.toPlainText() == "Please open the window.\n"
    assert "file://" not in tab.source_text.toPlainText()

    subtitles = tmp_path / "film.srt"
    subtitles.write_text("1\n00:00:01,000 --> 00:00:02,000\nHello.\n", encoding="utf-8")
    drop_on(tab.source_text, subtitles)
    assert window.tabs.currentWidget() is window.documents_tab
    assert window.documents_tab.queue.paths()[-1].name == "film.srt"
    assert tab.source_text.toPlainText() == "Please open the window.\n"


def test_dark_and_light_themes_switch_the_palette(qtbot: QtBot, window: MainWindow) -> None:
    window.apply_settings(window.settings.with_(theme="dark"))
    assert is_dark(QApplication.palette())
    window.apply_settings(window.settings.with_(theme="light"))
    assert not is_dark(QApplication.palette())
    window.apply_settings(window.settings.with_(theme="system"))


def test_settings_apply_and_persist(qtbot: QtBot, window: MainWindow) -> None:
    window.apply_settings(window.settings.with_(beam_size=4, cpu_threads=1, device="cpu"))
    assert window.translate_tab.beam() == 4
    window.close()
    reopened = build_main_window()
    qtbot.addWidget(reopened)
    assert reopened.settings.beam_size == 4
    assert reopened.translate_tab.beam() == 4



def test_the_first_window_fits_the_screen_and_its_place_and_quality_are_kept(
    qtbot: QtBot, window: MainWindow
) -> None:
    screen = window.screen().availableGeometry()
    assert screen.contains(window.frameGeometry()), (screen, window.frameGeometry())

    window.resize(screen.width() // 2, screen.height() // 2)
    window.move(screen.left() + 20, screen.top() + 30)
    window.translate_tab.beam_size.setCurrentIndex(window.translate_tab.beam_size.count() - 1)
    quality = window.translate_tab.beam()
    geometry = window.geometry()
    window.close()

    reopened = build_main_window()
    qtbot.addWidget(reopened)
    reopened.show()
    assert reopened.geometry().size() == geometry.size()
    assert reopened.geometry().topLeft() == geometry.topLeft()
    assert reopened.translate_tab.beam() == quality
    reopened.close()


@pytest.fixture
def french_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The French .ts compiled the way the build does it, into a temp i18n folder."""
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    source = Path(gui_app.__file__).with_name("i18n") / "tolk_fr.ts"
    compiled = tmp_path / "i18n" / "tolk_fr.qm"
    compiled.parent.mkdir()
    subprocess.run([str(lrelease), str(source), "-qm", str(compiled)], check=True,
                   capture_output=True)
    monkeypatch.setattr(gui_app, "I18N_DIR", compiled.parent)
    yield compiled.parent
    gui_app.install_translation(gui_app.application(), "en")


def test_french_interface_when_chosen(
    qtbot: QtBot, french_catalog: Path, store: ModelStore
) -> None:
    assert gui_app.install_translation(gui_app.application(), "fr") == "fr"
    window = MainWindow(store, gui_app.SettingsStore(gui_app.default_qsettings()))
    qtbot.addWidget(window)
    assert window.translate_tab.translate_button.text() == "Tr&aduire"
    assert window.tabs.tabText(2) == "&Modèles"
    assert window.translate_tab.beam_size.itemText(0) == "Rapide (mot à mot)"


def test_french_interface_names_languages_devices_and_buttons_in_french(
    qtbot: QtBot, french_catalog: Path, marian_store: ModelStore
) -> None:
    assert gui_app.install_translation(gui_app.application(), "fr") == "fr"
    window = MainWindow(marian_store, gui_app.SettingsStore(gui_app.default_qsettings()))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.loaded_model is not None, timeout=30_000)
    pickers = window.translate_tab
    names = {pickers.source_language.itemText(0), pickers.target_language.itemText(0)}
    assert names & {"anglais", "allemand", "français"}, names
    assert "CPU demandé" in window.device_status()
    box = QMessageBox(QMessageBox.Icon.Question, "Tolk", "?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    qtbot.addWidget(box)
    yes = box.button(QMessageBox.StandardButton.Yes).text().replace("&", "")
    assert yes == "Oui"
    window.close()


def test_english_fallback_without_a_compiled_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gui_app, "I18N_DIR", tmp_path)
    assert gui_app.install_translation(gui_app.application(), "fr") == "en"
    assert QApplication.translate("TranslateTab", "Tra&nslate") == "Tra&nslate"


def test_first_run_installs_the_demo_package_and_says_so(
    qtbot: QtBot, store: ModelStore, tiny_package: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TOLK_DEMO_PACKAGE", str(tiny_package("marian")))
    window = build_main_window()
    qtbot.addWidget(window)
    assert [entry.name for entry in store.entries()] == [tiny_package("marian").name]
    assert "installed" in window.statusBar().currentMessage()
    assert window.translate_tab.source_language.count() == 1


def test_self_test_translates_and_prints_its_timings(
    marian_store: ModelStore, tolk_home: Path
) -> None:
    code = "import sys; from desktop_app.gui import main; sys.exit(main(['--self-test']))"
    done = run_python(code, tolk_home)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ok"] is True
    assert report["translation"]
    assert report["device"] == "cpu"
    assert 0 < report["window_shown_s"] <= report["first_token_s"] <= report["done_s"]


HEAVY_CHECK = """
import sys, time
from PySide6.QtWidgets import QApplication
from desktop_app.gui import build_main_window
window = build_main_window()
window.show()
shown = [name for name in ("ctranslate2", "torch", "transformers") if name in sys.modules]
deadline = time.monotonic() + 60
while window.store.packages() and window.loaded_model is None and time.monotonic() < deadline:
    QApplication.processEvents()
    time.sleep(0.01)
loaded = [name for name in ("torch", "transformers") if name in sys.modules]
window.close()
print(shown, loaded, window.loaded_model is not None)
"""


def test_the_window_opens_without_loading_the_inference_runtime(tolk_home: Path) -> None:
    done = run_python(HEAVY_CHECK, tolk_home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[] [] False"


def test_a_loaded_model_never_brings_torch_into_the_app(
    marian_store: ModelStore, tolk_home: Path
) -> None:
    done = run_python(HEAVY_CHECK, tolk_home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1].endswith(" [] True")  # loaded, no torch


def test_a_store_that_cannot_be_written_still_opens_the_window(
    qtbot: QtBot, tolk_home: Path, tiny_package: Callable[[str], Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tolk_home / "models").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("TOLK_DEMO_PACKAGE", str(tiny_package("marian")))
    window = build_main_window()
    qtbot.addWidget(window)
    assert window.statusBar().currentMessage().startswith("The demo model could not be installed")
    assert window.translate_tab.source_language.count() == 0


def mnemonic(text: str) -> str:
    """The Alt+letter of a Qt label ("Tra&nslate" -> "n"), '' when it has none."""
    index = text.replace("&&", "").find("&")
    return text.replace("&&", "")[index + 1].lower() if index >= 0 else ""


def test_each_tab_has_distinct_keyboard_mnemonics(window: MainWindow) -> None:
    window_wide = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window_wide += [action.text() for action in window.menuBar().actions()]
    for tab in (window.translate_tab, window.documents_tab, window.models_tab):
        texts = list(window_wide)
        for widget in tab.findChildren(QWidget):
            text = getattr(widget, "text", None)
            if callable(text) and isinstance(text(), str):
                texts.append(text())
        letters = [letter for letter in map(mnemonic, texts) if letter]
        assert len(letters) == len(set(letters)), f"{tab.objectName()}: {sorted(letters)}"


def test_a_first_start_without_any_model_says_how_to_get_one(
    qtbot: QtBot, store: ModelStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = build_main_window()
    qtbot.addWidget(main)
    main.show()
    welcome = main.translate_tab.welcome
    assert welcome.isVisible()
    assert not main.translate_tab.source_language.isVisible()  # no empty pickers
    text = welcome.body.text()
    assert str(store.root) in text and "tolk convert" in text and "Import a checkpoint" in text

    asked: list[bool] = []
    monkeypatch.setattr(main.models_tab, "ask_import", lambda: asked.append(True))
    qtbot.mouseClick(welcome.import_button, Qt.MouseButton.LeftButton)
    assert asked and main.tabs.currentWidget() is main.models_tab
    main.close()


def test_a_long_model_name_gives_way_in_a_narrow_window(
    qtbot: QtBot, window: MainWindow
) -> None:
    # Two models through English make a long name; at 200 % on a small screen the status bar
    # must give way, not push the window (and its buttons) past the screen's edge.
    narrow = window.minimumSizeHint().width() + 20  # as narrow as the Translate tab allows
    name = "Model: " + " + ".join(["opus-mt-tc-big-en-fr-int8"] * 6) + " (via English)"
    window.model_label.setText(name)
    window.resize(narrow, 400)
    qtbot.waitUntil(lambda: window.width() <= narrow)

    assert window.model_label.text() == name
    shown = window.model_label.shown_text()
    assert shown.endswith("…") and name.startswith(shown[:-1])  # cut between letters, marked
    assert window.device_label.width() >= window.device_label.sizeHint().width()  # not cut
