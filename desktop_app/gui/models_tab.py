"""The Models tab: installed packages, import of checkpoints (through the converter subprocess)
and of Argos Translate packages (files or drops, in a background thread), remove, details."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QFileSystemWatcher,
    QMimeData,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.engine import human_size
from desktop_app.gui.converter_process import ConverterProcess
from desktop_app.gui.get_models import GetModelsDialog
from desktop_app.gui.import_dialog import ImportDialog
from desktop_app.gui.table_models import ModelTableModel
from desktop_app.gui.widgets import named, wrapping_label

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop_app.engine import Language, ModelPackage, ModelStore, StoreEntry
    from desktop_app.engine.catalog import HubModel

# A package appears as a burst of changes (a conversion's work folder, then the rename):
# the store is read again once it has been quiet this long.
STORE_SETTLE_MS = 300


class ModelsTab(QWidget):
    """Lists the store; imports checkpoints with progress and cancel; removes packages."""

    models_changed = Signal()
    _package_imported = Signal(object)  # the installed ModelPackage, or the error message

    def __init__(self, store: ModelStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modelsTab")
        self._store = store
        self.model = ModelTableModel()
        self.converter = ConverterProcess(self)

        self._build()
        self.import_button.clicked.connect(self.ask_import)
        self.package_button.clicked.connect(self.ask_import_package)
        self.get_button.clicked.connect(self.open_get_models)
        self._package_imported.connect(self._package_import_ended)
        self.setAcceptDrops(True)
        self.remove_button.clicked.connect(self.ask_remove)
        self.details_button.clicked.connect(self.show_details)
        self.cancel_button.clicked.connect(self.converter.cancel)
        self.converter.progress.connect(self._progress)
        self.converter.succeeded.connect(self._imported)
        self.converter.failed.connect(self._import_failed)
        self.converter.cancelled.connect(self._import_cancelled)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._set_importing(False)
        self._watcher = QFileSystemWatcher(self)
        self._settle = QTimer(self, singleShot=True, interval=STORE_SETTLE_MS)
        self._watcher.directoryChanged.connect(self._settle.start)
        self._settle.timeout.connect(self._store_changed)
        self.refresh()

    def _build(self) -> None:
        self.table = named(QTableView(), "modelTable")
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Installed models"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self.show_details)

        self.import_button = named(QPushButton(self.tr("&Import checkpoint…")), "importModelButton")
        self.package_button = named(QPushButton(self.tr("Import &package…")), "importPackageButton")
        self.package_button.setToolTip(
            self.tr(
                "Install an Argos Translate package (.argosmodel), for example one "
                "downloaded on another computer; or drop it on this tab."
            )
        )
        self.get_button = named(QPushButton(self.tr("&Get models…")), "getModelsButton")
        self.get_button.setToolTip(
            self.tr(
                "Find and install models from the online list (needs a network connection "
                "while it downloads; nothing is sent but the download request)."
            )
        )
        self.remove_button = named(QPushButton(self.tr("&Remove")), "removeModelButton")
        self.details_button = named(QPushButton(self.tr("D&etails")), "modelDetailsButton")
        self.cancel_button = named(QPushButton(self.tr("&Cancel import")), "cancelImportButton")
        self.progress = named(QProgressBar(), "importProgress")
        self.progress.setMaximum(1000)
        self.progress.setAccessibleName(self.tr("Import progress"))
        self.status = wrapping_label("importStatus")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons_in_order = (
            self.get_button,
            self.import_button,
            self.package_button,
            self.details_button,
            self.remove_button,
        )
        for button in buttons_in_order:
            buttons.addWidget(button)
        buttons.addStretch(1)
        importing = QHBoxLayout()
        importing.addWidget(self.progress, 1)
        importing.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addLayout(importing)
        layout.addWidget(self.status)

    def refresh(self) -> None:
        self.model.set_entries(self._store.entries())
        self._watch()

    def _watch(self) -> None:
        """Watch the store's folder and its packages (a package copied in file by file is
        broken until its last file lands), or while the store does not exist, the nearest
        existing parent."""
        folder = self._store.root
        while not folder.is_dir() and folder.parent != folder:
            folder = folder.parent
        wanted = {str(folder), *(str(entry.path) for entry in self.model.entries())}
        watched = set(self._watcher.directories())
        if watched - wanted:
            self._watcher.removePaths(sorted(watched - wanted))
        if wanted - watched:
            self._watcher.addPaths(sorted(wanted - watched))

    def _store_changed(self) -> None:
        """A package installed or removed outside the app (`tolk convert`, a file manager)."""
        entries = self._store.entries()
        if _listing(entries) != _listing(self.model.entries()):
            self.model.set_entries(entries)  # only then: a reset clears the selection
            self.models_changed.emit()
        self._watch()

    def selected_package(self) -> ModelPackage | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()).package if rows else None

    def _selected_name(self) -> str:
        rows = self.table.selectionModel().selectedRows()
        return self.model.entry(rows[0].row()).name if rows else ""

    def _update_buttons(self) -> None:
        selected = bool(self.table.selectionModel().selectedRows())
        self.remove_button.setEnabled(selected)
        self.details_button.setEnabled(self.selected_package() is not None)

    # --- import ------------------------------------------------------------------------------

    def ask_import(self) -> None:
        dialog = ImportDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.start_import(
                dialog.source(), dialog.name(), dialog.quantization(), download=dialog.download()
            )

    def start_import(
        self,
        source: str,
        name: str = "",
        quantization: str = "",
        *,
        download: bool = False,
        allow_pickle: bool = False,
    ) -> None:
        """Convert a checkpoint folder or hub id into the store, in a subprocess.

        A hub id missing from the local cache is downloaded only when `download` is True.
        """
        self.status.setText(self.tr("Importing %1…").replace("%1", source))
        self.progress.setValue(0)
        self._set_importing(True)
        self._store.root.mkdir(parents=True, exist_ok=True)
        self.converter.start(
            source,
            self._store.root,
            name,
            quantization,
            download=download,
            allow_pickle=allow_pickle,
        )

    def _progress(self, fraction: float, message: str) -> None:
        if fraction < 0:
            self.progress.setMaximum(0)  # busy indicator: this stage reports no fraction
        else:
            self.progress.setMaximum(1000)
            self.progress.setValue(round(fraction * 1000))
        if message:
            self.status.setText(message)

    def _imported(self, package_path: str) -> None:
        self._set_importing(False)
        self.progress.setValue(self.progress.maximum())
        self.status.setText(self.tr("Imported %1.").replace("%1", Path(package_path).name))
        self.refresh()
        self.models_changed.emit()

    def _import_failed(self, message: str) -> None:
        # The converter words its errors for its command line; here the option is a checkbox.
        message = message.replace(
            "pass --download", self.tr("tick “Download a hub id…” in the import dialog")
        )
        self._set_importing(False)
        self.progress.setValue(0)
        self.status.setText(self.tr("Import failed: %1").replace("%1", message))

    def _import_cancelled(self) -> None:
        self._set_importing(False)
        self.progress.setValue(0)
        self.status.setText(self.tr("Import cancelled."))
        self.refresh()

    def open_get_models(self) -> GetModelsDialog:
        """Show the online list of models; installed ones appear here at once."""
        dialog = GetModelsDialog(self._store, self)
        dialog.installed.connect(lambda _package: self._installed_elsewhere())
        dialog.convert_requested.connect(self._convert_from_hub)
        dialog.open()
        return dialog

    def _convert_from_hub(self, model: HubModel) -> None:
        self.start_import(model.checkpoint, download=True, allow_pickle=model.allow_pickle)

    def _installed_elsewhere(self) -> None:
        self.refresh()
        self.models_changed.emit()

    def ask_import_package(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a model package"),
            "",
            self.tr("Argos Translate packages (*.argosmodel)"),
        )
        if path:
            self.import_package(Path(path))

    def import_package(self, archive: Path) -> None:
        """Install an .argosmodel in a background thread (unpacking and hashing take seconds)."""
        from desktop_app.engine.argos import import_argos
        from desktop_app.errors import TolkError

        self.status.setText(self.tr("Importing %1…").replace("%1", archive.name))
        self._set_importing(True, cancellable=False)
        self.progress.setMaximum(0)  # busy: unpacking reports no fraction

        def work() -> None:
            try:
                self._package_imported.emit(import_argos(archive, self._store))
            except TolkError as exc:
                self._package_imported.emit(str(exc))
            except OSError as exc:  # the store cannot be written: full disk, permissions
                self._package_imported.emit(f"{exc.filename or archive}: {exc.strerror or exc}")

        threading.Thread(target=work, name="tolk-package-import", daemon=True).start()

    def _package_import_ended(self, outcome: ModelPackage | str) -> None:
        if isinstance(outcome, str):
            self._import_failed(outcome)
        else:
            self._imported(str(outcome.path))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_packages(event.mimeData()) and self.package_button.isEnabled():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        packages = _dropped_packages(event.mimeData())
        if packages and self.package_button.isEnabled():
            event.acceptProposedAction()
            self.import_package(packages[0])

    def _set_importing(self, importing: bool, *, cancellable: bool = True) -> None:
        self.package_button.setEnabled(not importing)
        self.import_button.setEnabled(not importing)
        self.cancel_button.setEnabled(importing and cancellable)
        self.progress.setMaximum(1000)
        self.progress.setVisible(importing or self.progress.value() > 0)
        self.cancel_button.setVisible(importing and cancellable)

    # --- remove and details ------------------------------------------------------------------

    def ask_remove(self) -> None:
        name = self._selected_name()
        if not name:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Remove model"),
            self.tr("Remove the model '%1' from this computer?").replace("%1", name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.remove(name)

    def remove(self, name: str) -> None:
        from desktop_app.errors import ModelError

        try:
            self._store.remove(name)
        except (ModelError, OSError) as exc:
            self.status.setText(str(exc))
        else:
            self.status.setText(self.tr("Removed %1.").replace("%1", name))
        self.refresh()
        self.models_changed.emit()

    def show_details(self) -> None:
        package = self.selected_package()
        if package is not None:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                package.manifest.display_name,
                details_text(package),
                parent=self,
            )
            box.setObjectName("modelDetails")
            box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            box.exec()


def _dropped_packages(mime: QMimeData) -> list[Path]:
    """The local .argosmodel files among what is dragged."""
    if not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.suffix.lower() == ".argosmodel"]


def _listing(entries: Sequence[StoreEntry]) -> list[tuple[str, Path, str | None]]:
    return [(entry.name, entry.path, entry.error) for entry in entries]


def details_text(package: ModelPackage) -> str:
    """Everything a user may want to know about a package, as plain text."""
    manifest = package.manifest
    langs = manifest.languages
    source = manifest.source
    revision = f" @ {source.revision}" if source.revision else ""

    def line(text: object, *values: str) -> str:
        translated = QCoreApplication.translate("ModelDetails", str(text))
        for number, value in enumerate(values, start=1):
            translated = translated.replace(f"%{number}", value)
        return translated

    def names(languages: tuple[Language, ...]) -> str:
        return ", ".join(f"{lang.name} ({lang.iso})" for lang in languages)

    lines = [
        f"{manifest.display_name} ({manifest.name})",
        f"{manifest.architecture} · {manifest.family} · {manifest.quantization}"
        f" · {human_size(package.size_bytes)}",
        line(QT_TRANSLATE_NOOP("ModelDetails", "From: %1"), names(langs.source)),
        line(QT_TRANSLATE_NOOP("ModelDetails", "To: %1"), names(langs.target)),
        line(QT_TRANSLATE_NOOP("ModelDetails", "Checkpoint: %1"), source.checkpoint + revision),
        line(
            QT_TRANSLATE_NOOP("ModelDetails", "Converted by Tolk %1 on %2"),
            manifest.converter_version,
            manifest.created,
        ),
        line(QT_TRANSLATE_NOOP("ModelDetails", "Folder: %1"), str(package.path)),
        line(
            QT_TRANSLATE_NOOP("ModelDetails", "Verification: %1"),
            json.dumps(manifest.verification, ensure_ascii=False),
        ),
    ]
    return "\n".join(lines)
