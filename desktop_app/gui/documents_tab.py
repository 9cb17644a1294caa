"""The Documents tab: a queue of files translated together, with progress, cancel and resume."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSignalBlocker, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.gui.catalog import LanguageCatalog
from desktop_app.gui.document_worker import DocumentJobRequest, DocumentJobRunner
from desktop_app.gui.settings import PendingJob
from desktop_app.gui.table_models import PROGRESS_ROLE, FileQueueModel, FileStatus
from desktop_app.gui.widgets import buddy_label, named, wrapping_label
from desktop_app.gui.workers import EngineConfig

if TYPE_CHECKING:
    from desktop_app.documents import JobProgress, JobReport

_RESULT_STATUS = {
    "translated": FileStatus.DONE,
    "skipped": FileStatus.SKIPPED,
    "failed": FileStatus.FAILED,
}


class DocumentsTab(QWidget):
    """Files and folders in, translated files out; the other tabs stay usable meanwhile."""

    job_state_changed = Signal(object)  # PendingJob while a job is unfinished, else None

    def __init__(
        self,
        engine_config: Callable[[str], EngineConfig],
        beam_size: Callable[[], int],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("documentsTab")
        self.setAcceptDrops(True)
        self._engine_config = engine_config
        self._beam_size = beam_size
        self._catalog = LanguageCatalog([])
        self._source = ""
        self._active = False  # a job runs (set before the worker thread has fully ended)
        self.queue = FileQueueModel()
        self.runner = DocumentJobRunner(self)
        self._build()
        self.add_files_button.clicked.connect(self.ask_files)
        self.add_folder_button.clicked.connect(self.ask_folder)
        self.clear_button.clicked.connect(self.clear)
        self.browse_output.clicked.connect(self.ask_output_folder)
        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.open_output_button.clicked.connect(self.open_output_folder)
        self.runner.progress.connect(self._progress)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.runner.cancelled.connect(self._cancelled)
        self.queue.rowsInserted.connect(self._update_buttons)
        self.queue.modelReset.connect(self._update_buttons)
        self._set_running(False)

    def _build(self) -> None:
        self.add_files_button = named(QPushButton(self.tr("Add f&iles…")), "addFilesButton")
        self.add_folder_button = named(QPushButton(self.tr("Add f&older…")), "addFolderButton")
        self.clear_button = named(QPushButton(self.tr("C&lear")), "clearQueueButton")
        adding = QHBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.clear_button):
            adding.addWidget(button)
        adding.addStretch(1)
        adding.addWidget(QLabel(self.tr("Or drop files and folders here.")))

        self.table = named(QTableView(), "fileQueue")
        self.table.setModel(self.queue)
        self.table.setAccessibleName(self.tr("Files to translate"))
        self.table.setItemDelegateForColumn(FileQueueModel.PROGRESS_COLUMN, ProgressDelegate(self))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FileQueueModel.PROGRESS_COLUMN, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(FileQueueModel.PROGRESS_COLUMN, 160)
        header.setStretchLastSection(True)

        self.output_folder = named(QLineEdit(), "outputFolder")
        self.output_folder.setPlaceholderText(self.tr("Beside each file"))
        self.output_folder.setAccessibleName(self.tr("Output folder"))
        self.browse_output = named(QPushButton(self.tr("&Browse…")), "browseOutputButton")
        self.target_language = named(QComboBox(), "documentTargetLanguage")
        self.target_language.setAccessibleName(self.tr("Translate documents into"))
        options = QHBoxLayout()
        options.addWidget(buddy_label(self.tr("O&utput folder:"), self.output_folder))
        options.addWidget(self.output_folder, 1)
        options.addWidget(self.browse_output)
        options.addWidget(buddy_label(self.tr("I&nto:"), self.target_language))
        options.addWidget(self.target_language)

        self.progress = named(QProgressBar(), "jobProgress")
        self.progress.setMaximum(1000)
        self.progress.setAccessibleName(self.tr("Job progress"))
        self.status = wrapping_label("jobStatus")
        self.start_button = named(QPushButton(self.tr("&Start")), "startJobButton")
        self.cancel_button = named(QPushButton(self.tr("C&ancel")), "cancelJobButton")
        self.open_output_button = named(
            QPushButton(self.tr("O&pen output folder")), "openOutputButton"
        )
        running = QHBoxLayout()
        running.addWidget(self.progress, 1)
        for button in (self.start_button, self.cancel_button, self.open_output_button):
            running.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(adding)
        layout.addWidget(self.table, 1)
        layout.addLayout(options)
        layout.addLayout(running)
        layout.addWidget(self.status)

    # --- queue -----------------------------------------------------------------------------

    def set_catalog(self, catalog: LanguageCatalog, source: str, target: str = "") -> None:
        """Targets reachable from `source` (the Translate tab's source language)."""
        self._catalog, self._source = catalog, source
        target = target or self.target_iso()
        with QSignalBlocker(self.target_language):
            self.target_language.clear()
            for choice in catalog.targets(source):
                self.target_language.addItem(choice.name, choice.iso)
            self.target_language.setCurrentIndex(max(0, self.target_language.findData(target)))
        self._update_buttons()

    def target_iso(self) -> str:
        return self.target_language.currentData() or ""

    def add_paths(self, paths: Sequence[Path]) -> int:
        """Queue files, and the supported files inside folders; returns how many were added.

        A file named directly in a format no handler reads is refused here, with the
        formats that are read, rather than failing only once the job starts.
        """
        from desktop_app.documents.paths import expand_inputs
        from desktop_app.documents.registry import is_supported
        from desktop_app.errors import InputError

        unsupported = [path for path in paths if path.is_file() and not is_supported(path)]
        wanted = [path for path in paths if path not in unsupported]
        suffix = f".{self.target_iso()}" if self.target_iso() else ""
        try:
            files = expand_inputs(wanted, (), (), suffix)
        except InputError as exc:
            self.status.setText(str(exc))
            return 0
        added = self.queue.add(files)
        if unsupported:
            self.status.setText(
                self.tr("Not a document Tolk can translate: %1. Supported: %2.")
                .replace("%1", ", ".join(path.name for path in unsupported))
                .replace("%2", " ".join(_supported_patterns()))
            )
        elif not added and paths:
            self.status.setText(self.tr("No new file to translate was found there."))
        return added

    def ask_files(self) -> None:
        documents = self.tr("Documents (%1)").replace("%1", " ".join(_supported_patterns()))
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Files to translate"), "", f"{documents};;{self.tr('All files (*)')}"
        )
        self.add_paths([Path(name) for name in names])

    def ask_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Folder to translate"))
        if folder:
            self.add_paths([Path(folder)])

    def ask_output_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Output folder"))
        if folder:
            self.output_folder.setText(folder)

    def clear(self) -> None:
        if not self._active:
            self.queue.clear()
            self.progress.setValue(0)
            self.status.clear()
            self.job_state_changed.emit(None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and not self._active:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.add_paths(paths)
            event.acceptProposedAction()

    # --- running ---------------------------------------------------------------------------

    def pending_job(self) -> PendingJob:
        return PendingJob(
            tuple(str(path) for path in self.queue.paths()),
            self._source,
            self.target_iso(),
            self.output_folder.text().strip(),
        )

    def restore(self, job: PendingJob) -> None:
        """Show an unfinished job from an earlier session; Start resumes it."""
        existing = [Path(name) for name in job.files if Path(name).exists()]
        self.queue.add(existing)
        self.output_folder.setText(job.output_folder)
        self.target_language.setCurrentIndex(max(0, self.target_language.findData(job.target)))
        if existing:
            self.status.setText(
                self.tr("An unfinished job was restored: press Start to resume it.")
            )

    def start(self) -> None:
        target, source = self.target_iso(), self._source
        chosen = self._catalog.route_for(source, target)
        if not self.queue.paths() or chosen is None or self._active:
            return
        second = chosen.second.path if chosen.second is not None else None
        output = self.output_folder.text().strip()
        request = DocumentJobRequest(
            files=tuple(self.queue.paths()),
            source=source or None,
            target=target,
            output_dir=Path(output) if output else None,
            beam_size=self._beam_size(),
            engine=self._engine_config(str(chosen.first.path)).through(second),
        )
        self.queue.reset_statuses()
        for path in request.files:
            self.queue.update(path, status=FileStatus.RUNNING)
        self.progress.setValue(0)
        self.status.setText(self.tr("Translating…"))
        self._set_running(True)
        self.job_state_changed.emit(self.pending_job())
        self.runner.start(request)

    def open_output_folder(self) -> None:
        folder = self.output_folder.text().strip()
        if not folder and self.queue.paths():
            folder = str(self.queue.paths()[0].parent)
        if not folder:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(folder)):  # no file manager known
            self.status.setText(
                self.tr("No application could open the folder %1; the files are there.")
                .replace("%1", folder)
            )

    def _progress(self, progress: JobProgress) -> None:
        # Every file's segments go through the engine together, so they advance together.
        total = progress.segments_total
        fraction = progress.segments_done / total if total else 0.0
        self.progress.setValue(round(fraction * 1000))
        for item in self.queue.items():
            if item.status is FileStatus.RUNNING:
                self.queue.update(item.path, progress=fraction)
        done = (
            self.tr("%1 of %2 segments")
            .replace("%1", str(progress.segments_done))
            .replace("%2", str(progress.segments_total))
        )
        # Words are counted when a batch is journaled: before the first one there is no rate
        # to show, and "0 words/s" would read as a stalled job.
        if progress.words_translated:
            rate = self.tr("%1 words/s").replace("%1", f"{progress.words_per_second:.0f}")
            done = f"{done}, {rate}"
        self.status.setText(done)

    def _finished(self, report: JobReport) -> None:
        self._set_running(False)
        self.progress.setValue(1000)
        queued = set(self.queue.paths())
        for result in report.files:
            if result.input not in queued:
                continue
            status = _RESULT_STATUS.get(result.status, FileStatus.FAILED)
            self.queue.update(
                result.input,
                status=status,
                progress=1.0 if status is not FileStatus.FAILED else 0.0,
                output=result.output if status is FileStatus.DONE else None,
                error=result.message,
            )
        failed = sum(1 for result in report.files if result.status == "failed")
        self.status.setText(
            self.tr("Finished: %1 file(s) translated, %2 failed.")
            .replace("%1", str(sum(1 for result in report.files if result.status == "translated")))
            .replace("%2", str(failed))
        )
        self.job_state_changed.emit(None)

    def _failed(self, message: str) -> None:
        self._stop_running(FileStatus.FAILED, message)
        self.status.setText(self.tr("The job stopped: %1").replace("%1", message))

    def _cancelled(self) -> None:
        self._stop_running(FileStatus.CANCELLED, "")
        self.status.setText(self.tr("Cancelled. Start again to resume where it stopped."))

    def _stop_running(self, status: FileStatus, message: str) -> None:
        self._set_running(False)
        for item in self.queue.items():
            if item.status is FileStatus.RUNNING:
                self.queue.update(item.path, status=status, error=message)

    def _set_running(self, running: bool) -> None:
        self._active = running
        self.cancel_button.setEnabled(running)
        for widget in (self.add_files_button, self.add_folder_button, self.clear_button,
                       self.output_folder, self.browse_output, self.target_language):
            widget.setEnabled(not running)
        self._update_buttons()

    def _update_buttons(self) -> None:
        ready = bool(self.queue.paths()) and bool(self.target_iso())
        self.start_button.setEnabled(ready and not self._active)


def _supported_patterns() -> list[str]:
    from desktop_app.documents.registry import supported_extensions

    return [f"*{extension}" for extension in supported_extensions()]


class ProgressDelegate(QStyledItemDelegate):
    """Draws a file's progress as a progress bar in the queue."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum = 0, 100
        bar.progress = round(float(index.data(PROGRESS_ROLE) or 0.0) * 100)
        bar.text = f"{bar.progress} %"
        bar.textVisible = True
        # Without State_Horizontal, styles draw a vertical bar that fills bottom-up.
        bar.state = option.state | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)
