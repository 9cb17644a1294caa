"""Runs a document job on its own thread with its own engine, so interactive translation stays
responsive while files translate; progress and results come back as signals."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from desktop_app.engine import TranslationOptions
from desktop_app.errors import TolkError, TranslationCancelled
from desktop_app.gui.workers import SHUTDOWN_TIMEOUT_MS, EngineConfig

if TYPE_CHECKING:
    from desktop_app.documents import JobReport
    from desktop_app.documents.translator import ClosableTranslator
    from desktop_app.engine.pivot import Route


@dataclass(frozen=True, slots=True)
class DocumentJobRequest:
    """What the Documents tab asks for: files, languages, where outputs go, which engine."""

    files: tuple[Path, ...]
    source: str | None
    target: str
    output_dir: Path | None
    beam_size: int
    engine: EngineConfig


# Source characters per engine call, and so per journal flush. `tolk files` journals every
# 50,000 characters, which for most documents is the whole job: a Cancel or a closed window
# would then keep nothing. A few thousand characters still batch well, and a stop loses at
# most a second or two of work.
GUI_BATCH_CHARS = 4_000


def open_engine(route: Route, request: DocumentJobRequest) -> ClosableTranslator:
    """The real engine for a job (tests pass a fake factory to DocumentJobRunner instead)."""
    return request.engine.open(route, batches=True)


# Builds the translator of a job from its opened package(s); it is closed when the job ends.
EngineFactory = Callable[["Route", "DocumentJobRequest"], "ClosableTranslator"]


class DocumentWorker(QObject):
    progress = Signal(object)  # desktop_app.documents.JobProgress
    finished = Signal(object)  # desktop_app.documents.JobReport
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, cancel: threading.Event, engine_factory: EngineFactory) -> None:
        super().__init__()
        self._cancel = cancel
        self._engine_factory = engine_factory

    @Slot(object)
    def run(self, request: DocumentJobRequest) -> None:
        try:
            report = self._run(request)
        except TranslationCancelled:
            self.cancelled.emit()
        except TolkError as exc:  # the engine and the runner report every failure as one
            self.failed.emit(str(exc))
        else:
            self.finished.emit(report)
        finally:
            self.thread().quit()

    def _run(self, request: DocumentJobRequest) -> JobReport:
        from desktop_app.documents import Job

        route = request.engine.route()  # a damaged package is refused before any model loads
        job = Job(
            inputs=request.files,
            target=request.target,
            source=request.source,
            output_dir=request.output_dir,
            options=TranslationOptions(beam_size=request.beam_size),
            model_id=route.identity,
            batch_chars=GUI_BATCH_CHARS,
        )
        if self._cancel.is_set():
            raise TranslationCancelled("document translation stopped before it started")
        engine = self._engine_factory(route, request)
        try:
            return job.run(engine, progress=self.progress.emit, cancel=self._cancel)
        finally:
            engine.close()


class DocumentJobRunner(QObject):
    """Starts one job at a time on a fresh thread; cancel() asks it to stop between batches."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    _start = Signal(object)

    def __init__(
        self, parent: QObject | None = None, engine_factory: EngineFactory = open_engine
    ) -> None:
        super().__init__(parent)
        self.engine_factory = engine_factory
        self._thread: QThread | None = None
        self._worker: DocumentWorker | None = None
        self._cancel = threading.Event()
        app = QCoreApplication.instance()
        if app is not None:  # a job must not outlive the event loop's teardown
            app.aboutToQuit.connect(self.shutdown)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.isRunning()

    def start(self, request: DocumentJobRequest) -> None:
        """Run `request` on a new thread (the previous job's thread, ending, is waited for)."""
        if self._thread is not None and not self._thread.wait(SHUTDOWN_TIMEOUT_MS):
            raise RuntimeError("the previous document job is still running")
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("documentThread")
        self._worker = DocumentWorker(self._cancel, self.engine_factory)
        self._worker.moveToThread(self._thread)
        self._start.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.finished.connect(self.finished)
        self._worker.failed.connect(self.failed)
        self._worker.cancelled.connect(self.cancelled)
        self._thread.start()
        self._start.emit(request)
        self._start.disconnect(self._worker.run)

    def cancel(self) -> None:
        self._cancel.set()

    def shutdown(self, timeout_ms: int = SHUTDOWN_TIMEOUT_MS) -> bool:
        """Cancel and wait for the job's thread to end; True when it ended in time."""
        self.cancel()
        if self._thread is None:
            return True
        return self._thread.wait(timeout_ms)

