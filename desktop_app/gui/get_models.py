"""The "Get models" dialog: the packages of the online index, searchable by language, each
installed with progress and Cancel. The index is read (and packages downloaded) only when the
dialog is opened or Install is pressed, in a background thread."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.errors import TolkError, TranslationCancelled
from desktop_app.gui.widgets import named, wrapping_label

if TYPE_CHECKING:
    from desktop_app.engine import ModelPackage, ModelStore
    from desktop_app.engine.catalog import Catalog, CatalogEntry, HubModel


class GetModelsDialog(QDialog):
    """Lists the index and installs the selected package into `store`."""

    installed = Signal(object)  # the ModelPackage just installed
    convert_requested = Signal(object)  # a HubModel: the Models tab converts it
    _listed = Signal(object)  # Catalog, or the error message
    _progressed = Signal(int, object, float)  # bytes, total or None, bytes per second
    _ended = Signal(object)  # ModelPackage, None when cancelled, or the error message

    def __init__(self, store: ModelStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("getModelsDialog")
        self.setWindowTitle(self.tr("Get models"))
        self._store = store
        self._entries: list[CatalogEntry] = []
        self._hub: list[HubModel] = []
        self._catalog: Catalog | None = None
        self._cancel = threading.Event()
        self._build()
        self._listed.connect(self._show_catalog)
        self._progressed.connect(self._show_progress)
        self._ended.connect(self._install_ended)
        self.resize(720, 480)
        self.status.setText(self.tr("Reading the list of models…"))
        threading.Thread(target=self._read_catalog, name="tolk-catalog", daemon=True).start()

    def _build(self) -> None:
        self.search = named(QLineEdit(), "modelSearch")
        self.search.setPlaceholderText(self.tr("Search by language or code"))
        self.search.setAccessibleName(self.tr("Search models"))
        self.search.textChanged.connect(self._filter)
        self.table = named(QTableWidget(0, 4), "availableModels")
        self.table.setHorizontalHeaderLabels(
            [self.tr("Languages"), self.tr("Version"), self.tr("Code"), self.tr("Status")]
        )
        self.table.setAccessibleName(self.tr("Models that can be installed"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.install_button = named(QPushButton(self.tr("&Install")), "installModelButton")
        self.install_button.clicked.connect(self.install_selected)
        self.cancel_button = named(QPushButton(self.tr("&Cancel download")), "cancelDownload")
        self.cancel_button.clicked.connect(self._cancel.set)
        self.progress = named(QProgressBar(), "downloadProgress")
        self.progress.setAccessibleName(self.tr("Download progress"))
        self.status = wrapping_label("getModelsStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        actions = QHBoxLayout()
        actions.addWidget(self.install_button)
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.cancel_button)
        actions.addStretch(0)  # takes the room of the progress bar while that is hidden
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.status)
        layout.addWidget(close)
        self._set_busy(False)

    # --- the list ------------------------------------------------------------------------------

    def _read_catalog(self) -> None:
        from desktop_app.engine.catalog import available

        try:
            self._listed.emit(available(self._store))
        except TolkError as exc:
            self._listed.emit(str(exc))

    def _show_catalog(self, outcome: Catalog | str) -> None:
        from desktop_app.engine.catalog import hub_models

        self._hub = hub_models()  # shipped with Tolk: listed even offline
        if isinstance(outcome, str):
            self._entries = []
            self._fill([])
            self.status.setText(outcome)
            return
        self._catalog = outcome
        self._entries = list(outcome.entries)
        installed = {package.manifest.source.checkpoint for package in self._store.packages()}
        self._fill([
            (f"{entry.source_name} → {entry.target_name}", entry.version, entry.code,
             self.tr("installed") if f"argos:{entry.code}" in installed else "")
            for entry in self._entries
        ])
        if outcome.stale_because:
            self.status.setText(
                self.tr("Offline: this is the list of %1 and may be out of date (%2).")
                .replace("%1", outcome.fetched[:10]).replace("%2", outcome.stale_because)
            )
        else:
            self.status.setText(self.tr("%n model(s) available.", "", len(self._entries)))
        self._filter(self.search.text())

    def _fill(self, argos_rows: list[tuple[str, str, str, str]]) -> None:
        """The index's packages, then the curated checkpoints (which need converting)."""
        hub_rows = [
            (f"{model.source_name} → {model.target_name}", model.weights, model.checkpoint,
             self.tr("needs conversion (%1)").replace("%1", model.licence))
            for model in self._hub
        ]
        rows = argos_rows + hub_rows
        self.table.setRowCount(len(rows))
        for row, cells in enumerate(rows):
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        described = [
            (entry.code, entry.source, entry.target, entry.source_name, entry.target_name)
            for entry in self._entries
        ] + [
            (model.checkpoint, model.source, model.target, model.source_name, model.target_name)
            for model in self._hub
        ]
        for row, words in enumerate(described):
            haystack = " ".join(words).lower()
            self.table.setRowHidden(row, bool(needle) and needle not in haystack)

    # --- installing ----------------------------------------------------------------------------

    def selected_entry(self) -> CatalogEntry | HubModel | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row, argos = rows[0].row(), len(self._entries)
        return self._entries[row] if row < argos else self._hub[row - argos]

    def install_selected(self) -> None:
        entry = self.selected_entry()
        if entry is None:
            return
        from desktop_app.engine.catalog import HubModel

        if isinstance(entry, HubModel):  # a checkpoint: the Models tab converts it
            self.convert_requested.emit(entry)
            self.accept()
            return
        self._cancel.clear()
        self._set_busy(True)
        self.status.setText(self.tr("Downloading %1…").replace("%1", entry.code))
        threading.Thread(
            target=self._install, args=(entry,), name="tolk-model-install", daemon=True
        ).start()

    def _install(self, entry: CatalogEntry) -> None:
        from desktop_app.engine.catalog import install_entry

        try:  # the index shown is the one read: it is not fetched again
            package = install_entry(entry, self._store, progress=self._progressed.emit,
                                    cancel=self._cancel)
        except TranslationCancelled:
            self._ended.emit(None)
        except TolkError as exc:
            self._ended.emit(str(exc))
        except OSError as exc:  # the store cannot be written: full disk, permissions
            self._ended.emit(f"{exc.filename or self._store.root}: {exc.strerror or exc}")
        else:
            self._ended.emit(package)

    def _show_progress(self, done: int, total: int | None, speed: float) -> None:
        if total:
            self.progress.setMaximum(1000)
            self.progress.setValue(round(1000 * done / total))
            left = (total - done) / speed if speed > 0 else 0
            self.status.setText(
                self.tr("%1 of %2 MB, %3 MB/s, %4 s left")
                .replace("%1", f"{done / 1e6:.1f}").replace("%2", f"{total / 1e6:.1f}")
                .replace("%3", f"{speed / 1e6:.1f}").replace("%4", f"{left:.0f}")
            )
        else:
            self.progress.setMaximum(0)

    def _install_ended(self, outcome: ModelPackage | str | None) -> None:
        self._set_busy(False)
        if outcome is None:
            self.status.setText(self.tr("Download stopped; Install resumes it."))
        elif isinstance(outcome, str):
            self.status.setText(self.tr("Install failed: %1").replace("%1", outcome))
        else:
            if self._catalog is not None:
                self._show_catalog(self._catalog)  # marks it installed
            self.status.setText(self.tr("Installed %1.").replace("%1", outcome.name))
            self.installed.emit(outcome)

    def _set_busy(self, busy: bool) -> None:
        self.search.setEnabled(not busy)
        self.table.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy)
        self.progress.setValue(0)
        self._busy = busy
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.install_button.setEnabled(not self._busy and self.selected_entry() is not None)

    def reject(self) -> None:
        self._cancel.set()  # a download in progress stops; its part is kept for a resume
        super().reject()
