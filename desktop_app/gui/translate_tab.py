"""The Translate tab: source and target panes, language pickers, live streaming translation."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.catalog import LanguageCatalog
from desktop_app.gui.settings import beam_choices
from desktop_app.gui.welcome import WelcomePanel
from desktop_app.gui.widgets import SourceTextEdit, buddy_label, named, wrapping_label
from desktop_app.gui.workers import EngineConfig, TranslationService

if TYPE_CHECKING:
    from desktop_app.engine import TranslationResult

LIVE_DELAY_MS = 400
COPIED_FEEDBACK_MS = 1500
# A dropped .txt up to this size becomes the text to translate; a larger one is a document.
MAX_DROPPED_TEXT_BYTES = 200_000


class TranslateTab(QWidget):
    """Translates what the user types; shows the translation as the engine produces it."""

    translated = Signal(object)  # TranslationResult of each finished translation
    documents_dropped = Signal(list)  # list[Path]: files for the Documents tab
    pair_changed = Signal(str, str)  # source, target ISO codes

    def __init__(
        self,
        service: TranslationService,
        engine_config: Callable[[str], EngineConfig],
        parent: QWidget | None = None,
    ) -> None:
        """`engine_config(package_path)` builds the config from the current settings."""
        super().__init__(parent)
        self.setObjectName("translateTab")
        self._service = service
        self._engine_config = engine_config
        self._catalog = LanguageCatalog([])
        self._request_id = 0
        self._shown = ""
        self._build()
        self._set_tab_order()
        self._live_timer = QTimer(self, singleShot=True, interval=LIVE_DELAY_MS)
        self._live_timer.timeout.connect(self.translate)
        self.source_text.textChanged.connect(self._source_changed)
        self.source_language.currentIndexChanged.connect(self._source_language_changed)
        self.target_language.currentIndexChanged.connect(self._pair_changed)
        self.swap_button.clicked.connect(self.swap)
        self.translate_button.clicked.connect(self.translate)
        self.stop_button.clicked.connect(self.stop)
        self.copy_button.clicked.connect(self.copy)
        self.live.toggled.connect(self._live_toggled)
        service.started.connect(self._started)
        service.partial.connect(self._partial)
        service.finished.connect(self._finished)
        service.failed.connect(self._failed)
        service.stopped.connect(self._stopped)
        service.model_loaded.connect(self._model_loaded)
        service.model_failed.connect(self._model_failed)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self, self.translate)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        stop = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.stop)
        stop.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._set_busy(False)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self._pickers = QWidget()  # a widget, so that it can be hidden as one
        pickers = self._build_pickers()
        pickers.setContentsMargins(0, 0, 0, 0)
        self._pickers.setLayout(pickers)
        layout.addWidget(self._pickers)
        self.welcome = WelcomePanel()  # instead of the panes while no model is installed
        self.welcome.hide()
        self._panes = self._build_panes()
        layout.addWidget(self.welcome, 1)
        layout.addWidget(self._panes, 1)
        layout.addLayout(self._build_actions())
        self._update_char_count()

    def _build_pickers(self) -> QHBoxLayout:
        self.source_language = named(QComboBox(), "sourceLanguage")
        self.source_language.setAccessibleName(self.tr("Source language"))
        self.target_language = named(QComboBox(), "targetLanguage")
        self.target_language.setAccessibleName(self.tr("Target language"))
        self.swap_button = named(QToolButton(), "swapLanguages")
        self.swap_button.setText("⇄")
        self.swap_button.setAccessibleName(self.tr("Swap languages"))
        self.swap_button.setToolTip(self.tr("Swap languages and texts"))
        self.beam_size = named(QComboBox(), "beamSize")
        for value, label in beam_choices():
            self.beam_size.addItem(label, value)
        self.beam_size.setAccessibleName(self.tr("Quality or speed"))
        self.live = named(QCheckBox(self.tr("Translate as I t&ype")), "liveTranslate")
        self.live.setChecked(True)
        pickers = QHBoxLayout()
        left: tuple[QWidget, ...] = (
            buddy_label(self.tr("F&rom:"), self.source_language), self.source_language,
            self.swap_button, buddy_label(self.tr("T&o:"), self.target_language),
            self.target_language,
        )
        right: tuple[QWidget, ...] = (
            buddy_label(self.tr("&Quality:"), self.beam_size), self.beam_size, self.live
        )
        for widget in left:
            pickers.addWidget(widget)
        pickers.addStretch(1)
        for widget in right:
            pickers.addWidget(widget)
        return pickers

    def _build_panes(self) -> QSplitter:
        self.source_text = named(SourceTextEdit(), "sourceText")
        self.source_text.files_dropped.connect(self.open_files)
        self.source_text.setAccessibleName(self.tr("Text to translate"))
        self.source_text.setPlaceholderText(self.tr("Type or paste text to translate"))
        self.source_text.setTabChangesFocus(True)
        self.target_text = named(QPlainTextEdit(), "targetText")
        self.target_text.setReadOnly(True)
        self.target_text.setAccessibleName(self.tr("Translation"))
        self.target_text.setTabChangesFocus(True)
        self.target_text.setUndoRedoEnabled(False)
        panes = QSplitter(Qt.Orientation.Horizontal)
        panes.setChildrenCollapsible(False)
        panes.addWidget(self.source_text)
        panes.addWidget(self.target_text)
        panes.setSizes([1, 1])  # equal halves
        return panes

    def _build_actions(self) -> QHBoxLayout:
        self.char_count = named(QLabel(), "characterCount")
        self.message = wrapping_label("translateMessage")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.translate_button = named(QPushButton(self.tr("Tra&nslate")), "translateButton")
        self.translate_button.setToolTip(self.tr("Translate (Ctrl+Enter)"))
        self.stop_button = named(QPushButton(self.tr("&Stop")), "stopButton")
        self.stop_button.setToolTip(self.tr("Stop the translation (Esc)"))
        self.copy_button = named(QPushButton(self.tr("&Copy")), "copyButton")
        self.copy_button.setToolTip(self.tr("Copy the translation"))
        actions = QHBoxLayout()
        actions.addWidget(self.char_count)
        actions.addWidget(self.message, 1)
        for button in (self.translate_button, self.stop_button, self.copy_button):
            actions.addWidget(button)
        return actions

    def _set_tab_order(self) -> None:
        # Reading order: languages left to right, then the panes, then the actions.
        chain = (self.source_language, self.swap_button, self.target_language, self.beam_size,
                 self.live, self.source_text, self.target_text, self.translate_button,
                 self.stop_button, self.copy_button)
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    # --- languages and model ----------------------------------------------------------------

    def set_catalog(self, catalog: LanguageCatalog, source: str = "", target: str = "") -> None:
        """Refill the pickers from the installed packages, keeping a still-served choice."""
        source = source or self.source_iso()
        target = target or self.target_iso()
        self._catalog = catalog
        with QSignalBlocker(self.source_language):
            self.source_language.clear()
            for choice in catalog.sources():
                self.source_language.addItem(choice.name, choice.iso)
            self.source_language.setCurrentIndex(max(0, self.source_language.findData(source)))
        self._fill_targets(target)
        empty = not catalog.packages
        self.welcome.setVisible(empty)
        self._panes.setVisible(not empty)
        self._pickers.setVisible(not empty)
        self.source_text.setPlaceholderText(
            self.tr("No model is installed: import one in the Models tab.") if empty
            else self.tr("Type or paste text to translate")
        )
        self._pair_changed()

    def source_iso(self) -> str:
        return self.source_language.currentData() or ""

    def target_iso(self) -> str:
        return self.target_language.currentData() or ""

    def _fill_targets(self, target: str) -> None:
        with QSignalBlocker(self.target_language):
            self.target_language.clear()
            for choice in self._catalog.targets(self.source_iso()):
                self.target_language.addItem(choice.name, choice.iso)
            self.target_language.setCurrentIndex(max(0, self.target_language.findData(target)))

    def _source_language_changed(self) -> None:
        self._fill_targets(self.target_iso())
        self._pair_changed()

    def _pair_changed(self) -> None:
        source, target = self.source_iso(), self.target_iso()
        reverse = bool(source and target and self._catalog.route_for(target, source))
        self.swap_button.setEnabled(reverse)
        if source and target:
            self.load_model()
            self.pair_changed.emit(source, target)
            self._source_changed()

    def load_model(self) -> None:
        """Load the package serving the chosen pair, or the two through English (a no-op when
        already loaded)."""
        chosen = self._catalog.route_for(self.source_iso(), self.target_iso())
        if chosen is not None:
            config = self._engine_config(str(chosen.first.path))
            second = chosen.second.path if chosen.second is not None else None
            self._service.load(config.through(second))

    def _model_loaded(self) -> None:
        # A new model (another pair, device or compute type): earlier messages such as
        # "No model is loaded." no longer hold, and the text on screen came from another model.
        self.message.clear()
        if self.source_text.toPlainText().strip() and not self._service.busy:
            self.translate()

    def _model_failed(self, message: str) -> None:
        # No model translates now: a translation left on screen would pass for a current one.
        self._show_translation("")
        self._show_error(message)

    def swap(self) -> None:
        source, target = self.source_iso(), self.target_iso()
        if not self._catalog.route_for(target, source):
            return
        translation = self._shown
        with QSignalBlocker(self.source_language):
            self.source_language.setCurrentIndex(self.source_language.findData(target))
        self._fill_targets(source)
        if translation:
            with QSignalBlocker(self.source_text):
                self.source_text.setPlainText(translation)
            self._update_char_count()
            self._show_translation("")
        self._pair_changed()

    # --- translating -----------------------------------------------------------------------

    def beam(self) -> int:
        return int(self.beam_size.currentData())

    def set_beam(self, beam_size: int) -> None:
        self.beam_size.setCurrentIndex(max(0, self.beam_size.findData(beam_size)))

    def translate(self) -> None:
        self._live_timer.stop()
        text = self.source_text.toPlainText()
        source, target = self.source_iso(), self.target_iso()
        if not text.strip():
            self._service.stop()
            self._show_translation("")
            return
        if not (source and target):
            self._show_error(self.tr("Install a model first: see the Models tab."))
            return
        self.message.clear()
        self.load_model()
        self._request_id = self._service.translate(text, source, target, self.beam())
        self._set_busy(True)

    def stop(self) -> None:
        self._live_timer.stop()
        self._service.stop()

    def copy(self) -> None:
        if not self._shown:
            return
        QGuiApplication.clipboard().setText(self._shown)
        # Say it worked where the user is looking; the label comes back a moment later.
        self.copy_button.setText(self.tr("Copied"))
        QTimer.singleShot(COPIED_FEEDBACK_MS, lambda: self.copy_button.setText(self.tr("&Copy")))

    def open_files(self, paths: list[Path]) -> None:
        """Files dropped on the text pane: a plain text file small enough to read here is
        translated as text; documents go to the Documents tab."""
        from desktop_app.documents.registry import is_supported

        if len(paths) == 1 and paths[0].suffix.lower() == ".txt":
            path = paths[0]
            try:
                if path.stat().st_size <= MAX_DROPPED_TEXT_BYTES:
                    self.source_text.setPlainText(path.read_text(encoding="utf-8-sig"))
                    self.translate()
                    return
            except (OSError, UnicodeDecodeError):
                pass  # unreadable here: the Documents tab reads other encodings and reports
        documents = [path for path in paths if path.is_dir() or is_supported(path)]
        if documents:
            self.documents_dropped.emit(documents)
        else:
            self._show_error(
                self.tr("Not a document Tolk can translate: %1").replace(
                    "%1", ", ".join(path.name for path in paths)
                )
            )

    def _source_changed(self) -> None:
        self._update_char_count()
        if self.live.isChecked():
            self._live_timer.start()

    def _live_toggled(self, live: bool) -> None:
        if not live:
            self._live_timer.stop()

    def _update_char_count(self) -> None:
        count = len(self.source_text.toPlainText())
        self.char_count.setText(self.tr("Characters: %1").replace("%1", f"{count:,}"))

    def _started(self, request_id: int) -> None:
        if request_id == self._request_id:
            self._set_busy(True)

    def _partial(self, request_id: int, text: str) -> None:
        if request_id == self._request_id:
            self._show_translation(text)

    def _finished(self, request_id: int, result: TranslationResult) -> None:
        if request_id == self._request_id:
            self._show_translation(result.text)
            self._set_busy(False)
            self.translated.emit(result)

    def _failed(self, request_id: int, message: str) -> None:
        if request_id == self._request_id:
            self._set_busy(False)
            self._show_error(message)

    def _stopped(self, request_id: int) -> None:
        if request_id == self._request_id:
            self._set_busy(False)

    def _show_error(self, message: str) -> None:
        self.message.setText(message)

    def _show_translation(self, text: str) -> None:
        # Replace only what changed at the end: streaming stays cheap for long texts.
        old = self._shown
        keep = _common_prefix_length(old, text)
        if keep == len(old) == len(text):
            return
        cursor = QTextCursor(self.target_text.document())
        cursor.setPosition(_utf16_length(old[:keep]))
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text[keep:])
        self._shown = text

    def translation(self) -> str:
        return self._shown

    def _set_busy(self, busy: bool) -> None:
        self.stop_button.setEnabled(busy)


def _common_prefix_length(a: str, b: str) -> int:
    """Length of the longest common prefix, by bisection on C-level slice comparisons."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[:middle] == b[:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _utf16_length(text: str) -> int:
    """Qt counts text positions in UTF-16 code units, Python in code points."""
    return len(text.encode("utf-16-le")) // 2
