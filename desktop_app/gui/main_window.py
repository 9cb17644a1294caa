"""The main window: Translate, Documents and Models tabs, settings, and the status bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QTabWidget, QWidget

from desktop_app.gui.catalog import LanguageCatalog
from desktop_app.gui.documents_tab import DocumentsTab
from desktop_app.gui.models_tab import ModelsTab
from desktop_app.gui.settings import AppSettings, SettingsDialog, SettingsStore
from desktop_app.gui.translate_tab import TranslateTab
from desktop_app.gui.widgets import ElidedLabel, named
from desktop_app.gui.workers import EngineConfig, LoadedModel, TranslationService

if TYPE_CHECKING:
    from desktop_app.engine import ModelStore, TranslationResult
    from desktop_app.gui.theme import ThemeManager


# The first window's size: both panes wide enough for a paragraph, under most laptop screens.
DEFAULT_SIZE = QSize(1000, 640)
SCREEN_FRACTION = 0.95


class MainWindow(QMainWindow):
    """Owns the translation service, the tabs and the user's settings."""

    def __init__(
        self,
        store: ModelStore,
        settings_store: SettingsStore,
        theme: ThemeManager | None = None,
        welcome: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle("Tolk")
        self.store = store
        self._settings_store = settings_store
        self.settings = settings_store.load()
        self._theme = theme
        self._loaded: LoadedModel | None = None
        self._catalog = LanguageCatalog([])
        self.service = TranslationService(self)

        self.translate_tab = TranslateTab(self.service, self.engine_config)
        self.documents_tab = DocumentsTab(self.engine_config, self.translate_tab.beam)
        self.models_tab = ModelsTab(store)
        self.tabs = named(QTabWidget(), "mainTabs")
        self.tabs.addTab(self.translate_tab, self.tr("&Translate"))
        self.tabs.addTab(self.documents_tab, self.tr("&Documents"))
        self.tabs.addTab(self.models_tab, self.tr("&Models"))
        self.setCentralWidget(self.tabs)
        self._build_menu()
        self._build_status_bar()

        self.translate_tab.live.setChecked(self.settings.live_translate)
        self.translate_tab.set_beam(self.settings.beam_size)
        self.documents_tab.output_folder.setText(self.settings.output_folder)
        self.translate_tab.pair_changed.connect(self._pair_changed)
        self.translate_tab.translated.connect(self._translated)
        self.translate_tab.documents_dropped.connect(self._documents_dropped)
        self.translate_tab.welcome.set_store_folder(store.root)
        self.translate_tab.welcome.import_requested.connect(self._import_requested)
        self.models_tab.models_changed.connect(self.refresh_models)
        self.documents_tab.job_state_changed.connect(settings_store.save_pending_job)
        self.service.model_loaded.connect(self._model_loaded)
        self.service.model_failed.connect(self._model_failed)
        self.refresh_models()
        pending = settings_store.pending_job()
        if pending is not None:
            self.documents_tab.restore(pending)
        if welcome:
            self.statusBar().showMessage(welcome, 15_000)
        self._restore_geometry()
        self.translate_tab.source_text.setFocus()  # the app opens ready for typing

    def _restore_geometry(self) -> None:
        """Where the window was when it closed, else the default size; never larger than the
        screen (at 200 % scaling a 1400x900 screen is 700x450: the buttons were off-screen)."""
        if not self.restoreGeometry(self._settings_store.window_geometry()):
            self.resize(DEFAULT_SIZE)
        screen = self.screen().availableGeometry()
        # Room for the window manager's frame and title bar, which are not part of size().
        room = screen.size() * SCREEN_FRACTION
        self.resize(self.size().boundedTo(room))
        if not screen.contains(self.geometry()):
            self.move(screen.topLeft())

    def _build_menu(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        settings = QAction(self.tr("&Settings…"), self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.open_settings)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        menu.addAction(settings)
        menu.addSeparator()
        menu.addAction(quit_action)

    def _build_status_bar(self) -> None:
        # The model's name can be long (two of them through English): it gives way.
        self.model_label = named(ElidedLabel(), "statusModel")
        self.device_label = named(QLabel(), "statusDevice")
        self.speed_label = named(QLabel(), "statusSpeed")
        for label in (self.model_label, self.device_label, self.speed_label):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)
        self.model_label.setText(self.tr("No model loaded"))

    @property
    def loaded_model(self) -> LoadedModel | None:
        """The model the translation worker holds (None before the first load completes)."""
        return self._loaded

    def engine_config(self, package_path: str) -> EngineConfig:
        settings = self.settings
        return EngineConfig(
            Path(package_path), settings.device, settings.compute_type, settings.cpu_threads
        )

    def refresh_models(self) -> None:
        """Re-read the store: language pickers and the document targets follow."""
        packages = self.store.packages()
        self._catalog = LanguageCatalog(packages)
        if self._loaded is not None and self._loaded.path not in {p.path for p in packages}:
            # The model in use was removed: release it rather than translate with a ghost.
            self.service.unload()
            self._show_no_model()
        self.translate_tab.set_catalog(
            self._catalog, self.settings.source_language, self.settings.target_language
        )
        self.documents_tab.set_catalog(self._catalog, self.translate_tab.source_iso())

    def _pair_changed(self, source: str, target: str) -> None:
        self.settings = self.settings.with_(source_language=source, target_language=target)
        self.documents_tab.set_catalog(self._catalog, source)

    def _import_requested(self) -> None:
        self.tabs.setCurrentWidget(self.models_tab)
        self.models_tab.ask_import()

    def _documents_dropped(self, paths: list[Path]) -> None:
        self.tabs.setCurrentWidget(self.documents_tab)
        self.documents_tab.add_paths(paths)

    def _model_loaded(self, loaded: LoadedModel) -> None:
        self._loaded = loaded
        self.model_label.setText(self.tr("Model: %1").replace("%1", loaded.name))
        self.device_label.setText(f"{loaded.device.upper()} · {loaded.compute_type}")
        self.device_label.setToolTip(self._device_reason(loaded))
        self.speed_label.clear()

    def _model_failed(self, message: str) -> None:
        self._show_no_model()
        self.statusBar().showMessage(message, 15_000)

    def _show_no_model(self) -> None:
        self._loaded = None
        self.model_label.setText(self.tr("No model loaded"))
        self.device_label.clear()
        self.speed_label.clear()

    def _translated(self, result: TranslationResult) -> None:
        self.speed_label.setText(
            self.tr("%1 tokens/s").replace("%1", f"{result.tokens_per_second:.0f}")
        )

    def device_status(self) -> str:
        if self._loaded is None:
            return self.tr("No model is loaded yet.")
        loaded = self._loaded
        text = self.tr("In use: %1, %2.").replace("%1", loaded.device.upper())
        text = text.replace("%2", loaded.compute_type)
        return f"{text} {self._device_reason(loaded)}".strip()

    def _device_reason(self, loaded: LoadedModel) -> str:
        """Why this device, in the interface's language (the engine words it in English)."""
        if self.settings.device == loaded.device == "cpu":
            return self.tr("CPU requested")
        if self.settings.device == loaded.device == "cuda":
            return self.tr("CUDA requested")
        if loaded.device == "cuda":
            return self.tr("A CUDA device was found and a test decode succeeded.")
        # Automatic choice fell back to the CPU: the probe's own message is technical detail.
        return self.tr("No usable CUDA device (%1).").replace("%1", loaded.device_reason)

    def open_settings(self) -> None:
        self.settings = self._current_settings()  # the dialog shows the Quality chosen on the tab
        dialog = SettingsDialog(self.settings, self.device_status(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.apply_settings(dialog.chosen())

    def apply_settings(self, settings: AppSettings) -> None:
        """Use and persist new settings; the model reloads when engine settings changed."""
        previous, self.settings = self.settings, settings
        self._settings_store.save(self._current_settings())
        if self._theme is not None and settings.theme != previous.theme:
            self._theme.apply(settings.theme)
        if settings.beam_size != previous.beam_size:
            self.translate_tab.set_beam(settings.beam_size)
        engine = ("device", "compute_type", "cpu_threads")
        if any(getattr(settings, name) != getattr(previous, name) for name in engine):
            self.translate_tab.load_model()

    def _current_settings(self) -> AppSettings:
        return self.settings.with_(
            live_translate=self.translate_tab.live.isChecked(),
            beam_size=self.translate_tab.beam(),  # the Quality choice, kept for the next start
            output_folder=self.documents_tab.output_folder.text().strip(),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        """Stop everything that runs (translation, document job, conversion) before closing."""
        self._settings_store.save(self._current_settings())
        self._settings_store.save_window_geometry(self.saveGeometry())
        self.models_tab.converter.wait_stopped()
        self.documents_tab.runner.shutdown()
        self.service.shutdown()
        super().closeEvent(event)
