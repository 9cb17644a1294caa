"""Application set-up: QApplication, interface language, theme, first run, self-test."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from desktop_app.errors import TolkError
from desktop_app.gui.platform_check import platform_problem
from desktop_app.gui.settings import SettingsStore, default_qsettings
from desktop_app.gui.soak import SOAK_DELTAS, run_soak
from desktop_app.gui.theme import ThemeManager

if TYPE_CHECKING:
    from desktop_app.engine import ModelStore
    from desktop_app.gui.main_window import MainWindow

I18N_DIR = Path(__file__).with_name("i18n")
SELF_TEST_SENTENCE = "The weather is nice today, so we are going for a walk in the park."
SELF_TEST_TIMEOUT_MS = 120_000


def application(argv: Sequence[str] = ()) -> QApplication:
    """The running QApplication, created on first use."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(["tolk", *argv])
    app.setApplicationName("Tolk")
    app.setOrganizationName("tolk")
    app.setApplicationDisplayName("Tolk")
    return app


def install_translation(app: QApplication, ui_language: str) -> str:
    """Load the interface translation for `ui_language` ("system", "en", "fr").

    Returns the language now in use; English (the source strings) when no compiled
    translation exists for the wanted one.
    """
    for name in ("tolkTranslator", "qtTranslator"):
        for old in app.findChildren(QTranslator, name):
            app.removeTranslator(old)
            old.deleteLater()
    language = QLocale.system().name().split("_")[0] if ui_language == "system" else ui_language
    if language == "en":
        return "en"
    translator = QTranslator(app)
    translator.setObjectName("tolkTranslator")
    if not translator.load(str(I18N_DIR / f"tolk_{language}.qm")):
        translator.deleteLater()
        return "en"
    app.installTranslator(translator)
    # Qt's own strings: the Yes/No/OK/Cancel of message boxes and dialogs, context menus.
    qt_translator = QTranslator(app)
    qt_translator.setObjectName("qtTranslator")
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_translator.load(f"qtbase_{language}", qt_folder):
        app.installTranslator(qt_translator)
    else:
        qt_translator.deleteLater()
    return language


def build_main_window(
    store: ModelStore | None = None, qsettings: QSettings | None = None
) -> MainWindow:
    """Build the main window without showing it or running the event loop.

    Args:
        store: the model store; default: `$TOLK_HOME/models` or the user data directory.
        qsettings: where settings persist; default: `$TOLK_HOME/tolk.ini` or the user's
            platform location.

    An empty store first receives the bundled demo package, when one ships with the app.
    """
    from desktop_app.engine import ModelStore
    from desktop_app.gui.first_run import bundled_demo_candidates, install_bundled_demo
    from desktop_app.gui.main_window import MainWindow

    app = application()
    store = store if store is not None else ModelStore()
    settings_store = SettingsStore(qsettings if qsettings is not None else default_qsettings())
    settings = settings_store.load()
    install_translation(app, settings.ui_language)
    theme = ThemeManager(app)
    theme.apply(settings.theme)
    welcome = ""
    try:
        first_run = install_bundled_demo(store, bundled_demo_candidates())
    except (OSError, TolkError) as exc:  # a read-only store must not keep the window closed
        welcome = app.translate("App", "The demo model could not be installed: %1").replace(
            "%1", str(exc)
        )
    else:
        if first_run.installed:
            welcome = app.translate(
                "App", "Welcome! The demo model %1 was installed so you can translate right away."
            ).replace("%1", first_run.installed)
    return MainWindow(store, settings_store, theme, welcome)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the desktop app (`tolk gui`); `--self-test` translates one sentence and exits,
    `--self-test --soak` streams tens of thousands of tokens through the Translate tab.

    Returns:
        The process exit code.
    """
    started = time.perf_counter()
    parser = argparse.ArgumentParser(prog="tolk gui", description="Open the Tolk desktop app.")
    parser.add_argument(
        "--self-test", action="store_true",
        help="open the window, translate one sentence with the first installed model, print "
             "the timings as one JSON line and exit",
    )
    parser.add_argument(
        "--soak", type=int, nargs="?", const=SOAK_DELTAS, metavar="TOKENS",
        help=f"with --self-test: instead, stream TOKENS (default {SOAK_DELTAS:,}) tokens and "
             "long texts through the Translate tab with a stand-in engine, check that memory "
             "and Python's reference counts stay flat, print the findings as one JSON line",
    )
    args, qt_args = parser.parse_known_args(list(sys.argv[1:] if argv is None else argv))
    if args.soak is not None and not args.self_test:
        parser.error("--soak is a kind of --self-test: pass both")
    problem = platform_problem()
    if problem:  # Qt itself would only abort with its generic "no platform plugin" error
        print(problem, file=sys.stderr)
        return 1
    app = application(qt_args)
    if args.soak is not None:
        return _soak_self_test(args.soak)
    window = build_main_window()
    window.show()
    if args.self_test:
        return _self_test(app, window, started)
    return app.exec()


def _soak_self_test(tokens: int) -> int:
    report = run_soak(tokens)
    print(json.dumps(report.as_dict(), ensure_ascii=False), flush=True)
    return 0 if report.ok else 1


def _self_test(app: QApplication, window: MainWindow, started: float) -> int:
    app.processEvents()
    timings = {"window_shown_s": time.perf_counter() - started}
    outcome: dict[str, object] = {}
    packages = window.store.packages()
    if not packages:
        print(json.dumps({"ok": False, "error": f"no model installed in {window.store.root}"}))
        window.close()
        return 1
    languages = packages[0].manifest.languages
    tab = window.translate_tab
    tab.live.setChecked(False)
    tab.source_language.setCurrentIndex(tab.source_language.findData(languages.source[0].iso))
    tab.target_language.setCurrentIndex(tab.target_language.findData(languages.target[0].iso))
    tab.set_beam(1)

    def first_partial() -> None:
        timings.setdefault("first_token_s", time.perf_counter() - started)

    def done(result: object) -> None:
        timings["done_s"] = time.perf_counter() - started
        outcome["result"] = result
        app.quit()

    def failed(_request_id: int, message: str) -> None:
        outcome["error"] = message
        app.quit()

    window.service.partial.connect(first_partial)
    window.translate_tab.translated.connect(done)
    window.service.failed.connect(failed)
    window.service.model_failed.connect(lambda message: failed(0, message))
    QTimer.singleShot(SELF_TEST_TIMEOUT_MS, lambda: failed(0, "self-test timed out"))
    tab.source_text.setPlainText(SELF_TEST_SENTENCE)
    tab.translate()
    app.exec()
    result = outcome.get("result")
    report: dict[str, object] = {
        "ok": result is not None,
        "model": packages[0].name,
        **{key: round(value, 3) for key, value in timings.items()},
    }
    loaded = window.loaded_model
    if loaded is not None:
        report |= {"device": loaded.device, "compute_type": loaded.compute_type}
    if result is not None:
        report["translation"] = getattr(result, "text", "")
    else:
        report["error"] = outcome.get("error", "no result")
    print(json.dumps(report, ensure_ascii=False), flush=True)
    window.close()
    return 0 if result is not None else 1
