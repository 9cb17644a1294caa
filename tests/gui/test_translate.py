"""The Translate tab as a user drives it: streaming, beam mode, Stop, swap, live typing, model
switches and closing mid-translation, with the GUI thread never blocked."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.engine import Engine, ModelPackage, ModelStore, TranslationOptions
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.workers import INTERACTIVE_BATCH_TOKENS
from tests.gui.helpers import Heartbeat, long_text, reversed_copy

LONG_WAIT_MS = 30_000


def language_pair(package_dir: Path) -> tuple[str, str]:
    languages = ModelPackage.open(package_dir).manifest.languages
    return languages.source[0].iso, languages.target[0].iso


def engine_translation(package_dir: Path, text: str, beam_size: int) -> str:
    """What the engine itself makes of `text`, with the options of interactive use."""
    engine = Engine(ModelPackage.open(package_dir), device="cpu", cpu_threads=1)
    source, target = language_pair(package_dir)
    try:
        options = TranslationOptions(beam_size=beam_size, max_batch_tokens=INTERACTIVE_BATCH_TOKENS)
        return engine.translate(text, source=source, target=target, options=options).text
    finally:
        engine.close()


def decoder_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "tolk-stream-decoder" and t.is_alive()]


def start_translation(qtbot: QtBot, window: MainWindow, text: str, beam_size: int = 1) -> None:
    """Type `text` (live translation off), press Translate and wait for the first output."""
    tab = window.translate_tab
    tab.live.setChecked(False)
    tab.set_beam(beam_size)
    tab.source_text.setPlainText(text)
    with qtbot.waitSignal(window.service.partial, timeout=LONG_WAIT_MS):
        qtbot.mouseClick(tab.translate_button, Qt.MouseButton.LeftButton)


@pytest.mark.parametrize("beam_size", [1, 4], ids=["greedy", "beam"])
def test_translation_grows_on_screen_and_ends_equal_to_the_engine(
    qtbot: QtBot, window: MainWindow, tiny_package: Callable[[str], Path], beam_size: int
) -> None:
    tab = window.translate_tab
    tab.live.setChecked(False)
    tab.set_beam(beam_size)
    text = long_text(30)
    tab.source_text.setPlainText(text)
    shown: list[str] = []
    window.service.partial.connect(lambda _id, _text: shown.append(tab.target_text.toPlainText()))

    with qtbot.waitSignal(tab.translated, timeout=LONG_WAIT_MS) as finished:
        qtbot.mouseClick(tab.translate_button, Qt.MouseButton.LeftButton)

    expected = engine_translation(tiny_package("marian"), text, beam_size)
    assert len(set(shown)) >= 3, "the translation should appear in several steps"
    assert len(shown[0]) < len(shown[-1]) < len(expected) + 1
    assert finished.args[0].text == expected
    assert tab.target_text.toPlainText() == expected
    assert expected.count("\n\n") == text.count("\n\n")  # paragraphs kept
    assert window.speed_label.text().endswith("tokens/s")
    assert not tab.stop_button.isEnabled()


@pytest.mark.parametrize(("beam_size", "bound_s", "sentences"), [(1, 0.5, 300), (4, 1.0, 300)],
                         ids=["greedy", "beam"])
def test_stop_halts_decoding_promptly(
    qtbot: QtBot, window: MainWindow, beam_size: int, bound_s: float, sentences: int
) -> None:
    tab = window.translate_tab
    finished: list[object] = []
    tab.translated.connect(finished.append)
    start_translation(qtbot, window, long_text(sentences), beam_size)
    assert tab.stop_button.isEnabled()

    with qtbot.waitSignal(window.service.halted, timeout=LONG_WAIT_MS):
        pressed = time.perf_counter()
        qtbot.keyClick(tab.source_text, Qt.Key.Key_Escape)
    halted_after = time.perf_counter() - pressed

    assert not finished, "the long translation should not have finished before Stop"
    assert halted_after <= bound_s
    assert not tab.stop_button.isEnabled()
    stopped_text = tab.target_text.toPlainText()
    qtbot.wait(300)
    assert tab.target_text.toPlainText() == stopped_text
    assert not decoder_threads()


@pytest.fixture
def two_way_store(store: ModelStore, tiny_package: Callable[[str], Path]) -> ModelStore:
    """The tiny Marian package and a copy of it that claims the opposite direction."""
    reversed_copy(tiny_package("marian"), store.root / "tiny-reverse", "tiny-reverse")
    return store


@pytest.fixture
def two_way_window(qtbot: QtBot, two_way_store: ModelStore,
                   install: Callable[[Path, str], Path],
                   tiny_package: Callable[[str], Path]) -> MainWindow:
    from desktop_app.gui import build_main_window

    install(tiny_package("marian"), "tiny-forward")
    main = build_main_window()
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: main.loaded_model is not None, timeout=LONG_WAIT_MS)
    return main


def test_swap_exchanges_languages_texts_and_model(
    qtbot: QtBot, two_way_window: MainWindow, tiny_package: Callable[[str], Path]
) -> None:
    window = two_way_window
    tab = window.translate_tab
    source, target = language_pair(tiny_package("marian"))
    tab.source_language.setCurrentIndex(tab.source_language.findData(source))
    assert (tab.source_iso(), tab.target_iso()) == (source, target)
    assert tab.swap_button.isEnabled()
    tab.live.setChecked(False)
    tab.source_text.setPlainText("Please open the window.")
    with qtbot.waitSignal(tab.translated, timeout=LONG_WAIT_MS):
        tab.translate()
    translation = tab.target_text.toPlainText()

    qtbot.mouseClick(tab.swap_button, Qt.MouseButton.LeftButton)

    assert (tab.source_iso(), tab.target_iso()) == (target, source)
    assert tab.source_text.toPlainText() == translation
    assert tab.target_text.toPlainText() == ""
    qtbot.waitUntil(lambda: window.loaded_model.name == "tiny-reverse", timeout=LONG_WAIT_MS)
    assert "tiny-reverse" in window.model_label.text()


def test_live_typing_translates_once_after_a_pause(
    qtbot: QtBot, window: MainWindow, tiny_package: Callable[[str], Path]
) -> None:
    tab = window.translate_tab
    tab.live.setChecked(True)
    starts: list[float] = []
    window.service.started.connect(lambda _id: starts.append(time.perf_counter()))

    with qtbot.waitSignal(tab.translated, timeout=LONG_WAIT_MS):
        qtbot.keyClicks(tab.source_text, "Please open the window")
        typed = time.perf_counter()
    qtbot.wait(500)

    assert len(starts) == 1, "one translation for the whole burst of typing"
    assert starts[0] - typed >= 0.3  # debounced: nothing starts while the user types
    expected = engine_translation(tiny_package("marian"), "Please open the window", 1)
    assert tab.target_text.toPlainText() == expected
    assert tab.char_count.text().endswith("22")


def test_live_typing_can_be_switched_off(qtbot: QtBot, window: MainWindow) -> None:
    tab = window.translate_tab
    tab.live.setChecked(False)
    starts: list[int] = []
    window.service.started.connect(starts.append)
    qtbot.keyClicks(tab.source_text, "Please open the window")
    qtbot.wait(800)
    assert starts == []
    with qtbot.waitSignal(tab.translated, timeout=LONG_WAIT_MS):
        qtbot.keyClick(tab.source_text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert tab.target_text.toPlainText()


def test_switching_model_mid_translation(
    qtbot: QtBot, two_way_window: MainWindow, tiny_package: Callable[[str], Path]
) -> None:
    window = two_way_window
    tab = window.translate_tab
    source, target = language_pair(tiny_package("marian"))
    tab.source_language.setCurrentIndex(tab.source_language.findData(source))
    qtbot.waitUntil(lambda: window.loaded_model.name != "tiny-reverse", timeout=LONG_WAIT_MS)
    start_translation(qtbot, window, long_text(300))

    tab.source_language.setCurrentIndex(tab.source_language.findData(target))

    qtbot.waitUntil(lambda: window.loaded_model.name == "tiny-reverse", timeout=LONG_WAIT_MS)
    assert (tab.source_iso(), tab.target_iso()) == (target, source)
    tab.source_text.setPlainText("Please open the window.")
    with qtbot.waitSignal(tab.translated, timeout=LONG_WAIT_MS) as finished:
        tab.translate()
    assert tab.target_text.toPlainText() == finished.args[0].text != ""
    qtbot.waitUntil(lambda: not decoder_threads(), timeout=LONG_WAIT_MS)


def test_closing_mid_translation_ends_every_thread(qtbot: QtBot, window: MainWindow) -> None:
    start_translation(qtbot, window, long_text(300))
    worker_thread = window.service.worker_thread

    window.close()

    assert worker_thread.isFinished()
    assert not decoder_threads()


def test_gui_thread_never_blocks_during_a_long_translation(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = window.translate_tab
    tab.live.setChecked(False)
    tab.source_text.setPlainText(long_text(100))
    heartbeat = Heartbeat(10)
    heartbeat.start()
    with qtbot.waitSignal(tab.translated, timeout=LONG_WAIT_MS):
        tab.translate()
    heartbeat.stop()

    assert heartbeat.ticks >= 20
    assert heartbeat.longest_gap <= 0.1, f"GUI thread blocked for {heartbeat.longest_gap:.3f} s"


def test_a_failed_device_change_and_the_way_back_leave_nothing_stale(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = window.translate_tab
    tab.live.setChecked(False)
    tab.source_text.setPlainText("Please open the window.")
    with qtbot.waitSignal(tab.translated, timeout=LONG_WAIT_MS):
        tab.translate()
    assert tab.translation()

    with qtbot.waitSignal(window.service.model_failed, timeout=LONG_WAIT_MS):
        window.apply_settings(window.settings.with_(device="cuda"))  # no GPU in the tests
    assert tab.message.text(), "the user is told why no model is loaded"
    assert tab.target_text.toPlainText() == "", "no translation from the unloaded model stays"

    with qtbot.waitSignal(tab.translated, timeout=LONG_WAIT_MS) as again:
        window.apply_settings(window.settings.with_(device="cpu"))
    assert window.loaded_model is not None
    assert tab.message.text() == ""
    assert tab.target_text.toPlainText() == again.args[0].text != ""
