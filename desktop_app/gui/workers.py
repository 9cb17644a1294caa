"""The translation worker: owns the Engine on its own QThread and talks to widgets only through
signals, so the GUI thread never waits on a model load or a translation."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot

from desktop_app.engine import apply_event
from desktop_app.errors import TolkError

if TYPE_CHECKING:
    from collections.abc import Callable

    from desktop_app.engine import (
        Engine,
        EngineSettings,
        Layout,
        SegmentDelta,
        SegmentDone,
        TranslationOptions,
        TranslationStream,
    )
    from desktop_app.engine.pivot import PivotEngine, Route

# Source tokens per CTranslate2 batch in interactive use: with beam search a batch cannot be
# interrupted, so small batches are what lets Stop take effect within a second.
INTERACTIVE_BATCH_TOKENS = 64
# Streamed text reaches the screen at most once per frame (60 Hz): a long translation is a
# few hundred cross-thread signals, not one per token, and no token waits longer than a frame.
FRAME_MS = 16
# Closing waits this long for the worker to finish the batch or model load in progress; a
# QThread destroyed while running would abort the process.
SHUTDOWN_TIMEOUT_MS = 60_000


@dataclass(frozen=True, slots=True)
class EngineConfig:
    """Which package to load and how."""

    package_path: Path
    device: str = "auto"
    compute_type: str = "auto"
    cpu_threads: int = 0
    # Set when the pair goes through English: package_path is X→English, this English→Y.
    second_package_path: Path | None = None

    @property
    def settings(self) -> EngineSettings:
        from desktop_app.engine import EngineSettings

        return EngineSettings(self.device, self.compute_type, self.cpu_threads)

    def through(self, second_package_path: Path | None) -> EngineConfig:
        return replace(self, second_package_path=second_package_path)

    def route(self) -> Route:
        """The package(s) opened (ModelError for a damaged one, before any model loads)."""
        from desktop_app.engine import ModelPackage
        from desktop_app.engine.pivot import Route

        second = self.second_package_path
        return Route(ModelPackage.open(self.package_path),
                     ModelPackage.open(second) if second is not None else None)

    def open(self, route: Route | None = None, *, batches: bool = False) -> Engine | PivotEngine:
        """Load the package(s) of `route` (default: opened here); `batches` lays the engine
        out for a document job."""
        from desktop_app.engine.pivot import open_route

        settings = self.settings.for_batches() if batches else self.settings
        return open_route(settings, route or self.route())


@dataclass(frozen=True, slots=True)
class LoadedModel:
    """What the status bar shows about the engine in use."""

    name: str
    path: Path
    device: str
    compute_type: str
    device_reason: str


class PackageInfo(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def path(self) -> Path: ...


class StreamingEngine(Protocol):
    """What the worker needs of an `Engine`; the soak self-test passes a stand-in."""

    @property
    def package(self) -> PackageInfo: ...
    @property
    def device(self) -> str: ...
    @property
    def compute_type(self) -> str: ...
    @property
    def device_reason(self) -> str: ...
    def split(self, text: str) -> Layout: ...
    def stream(
        self, text: str, source: str | None = ..., target: str | None = ...,
        options: TranslationOptions | None = ...,
    ) -> TranslationStream: ...
    def close(self) -> None: ...


def open_engine(config: EngineConfig) -> StreamingEngine:
    """Open the package(s) and load the model(s) as `config` says."""
    return config.open()


@dataclass(frozen=True, slots=True)
class TranslationRequest:
    request_id: int
    text: str
    source: str
    target: str
    beam_size: int
    cancel: threading.Event = field(default_factory=threading.Event, compare=False)


class TranslationWorker(QObject):
    """Lives on a worker thread; its slots run there, one request at a time, in order."""

    model_loaded = Signal(object)  # LoadedModel
    model_failed = Signal(str)
    started = Signal(int)
    partial = Signal(object)  # StreamedText: it has changed, and the GUI thread is not watching
    finished = Signal(int, object)  # request id, TranslationResult
    failed = Signal(int, str)
    cancelled = Signal(int)

    def __init__(
        self, open_engine: Callable[[EngineConfig], StreamingEngine] = open_engine
    ) -> None:
        super().__init__()
        self._open_engine = open_engine
        self._engine: StreamingEngine | None = None
        self._config: EngineConfig | None = None

    @Slot(object)
    def load(self, config: EngineConfig) -> None:
        if config == self._config and self._engine is not None:
            return
        self.unload()
        try:
            engine = self._open_engine(config)
        except TolkError as exc:  # the engine wraps CTranslate2's own load errors
            self.model_failed.emit(str(exc))
            return
        self._engine, self._config = engine, config
        package = engine.package
        self.model_loaded.emit(
            LoadedModel(package.name, package.path, engine.device, engine.compute_type,
                        engine.device_reason)
        )

    @Slot()
    def unload(self) -> None:
        """Close the engine so the model's memory is returned."""
        if self._engine is not None:
            self._engine.close()
            self._engine = self._config = None
            gc.collect()

    @Slot()
    def shutdown(self) -> None:
        """Unload, then end this worker's thread (after this slot returns)."""
        self.unload()
        thread = self.thread()
        thread.quit()

    @Slot(object)
    def translate(self, request: TranslationRequest) -> None:
        if request.cancel.is_set():
            self.cancelled.emit(request.request_id)
            return
        if self._engine is None:
            self.failed.emit(request.request_id, self.tr("No model is loaded."))
            return
        self.started.emit(request.request_id)
        try:
            self._stream(self._engine, request)
        except TolkError as exc:  # the engine wraps CTranslate2's own decode errors
            self.failed.emit(request.request_id, str(exc))

    def _stream(self, engine: StreamingEngine, request: TranslationRequest) -> None:
        from desktop_app.engine import StreamEnd, TranslationOptions

        options = TranslationOptions(
            beam_size=request.beam_size, max_batch_tokens=INTERACTIVE_BATCH_TOKENS
        )
        streamed = StreamedText(request.request_id, engine.split(request.text))
        result = None
        # Leaving the block closes the stream: decoding stops, and its thread is waited for.
        with engine.stream(
            request.text, source=request.source, target=request.target, options=options
        ) as events:
            for event in events:
                if request.cancel.is_set():
                    break
                if isinstance(event, StreamEnd):
                    result = event.result
                    break
                if streamed.record(event):
                    self.partial.emit(streamed)
        if result is None:
            self.cancelled.emit(request.request_id)
        else:
            self.finished.emit(request.request_id, result)


class StreamedText:
    """The translation of one request so far, written by the worker thread as tokens arrive and
    read by the GUI thread at most once per frame.

    The worker signals only when the GUI thread is not already watching, and the GUI thread
    keeps reading every frame while the text changes, so a token never waits for the next one
    to be shown, and thousands of tokens cost a few hundred signals.
    """

    def __init__(self, request_id: int, layout: Layout) -> None:
        self.request_id = request_id
        self._layout = layout
        self._parts = [""] * len(layout.segments)
        self._lock = threading.Lock()
        self._changed = False
        self._watched = False

    def record(self, event: SegmentDelta | SegmentDone) -> bool:
        """Apply a streamed event; True when the GUI thread must be told (it is not watching)."""
        with self._lock:
            apply_event(self._parts, event)
            self._changed = True
            tell, self._watched = not self._watched, True
        return tell

    def take(self) -> str | None:
        """The text so far when it changed since the last call; else None, and the next
        change is signalled again."""
        with self._lock:
            if not self._changed:
                self._watched = False
                return None
            self._changed = False
            parts = list(self._parts)
        return self._layout.render_partial(parts)


class TranslationService(QObject):
    """The GUI-side handle of the worker thread: start, stop and shut down translations.

    Every call returns at once; results arrive through the worker's signals, re-emitted here
    for the current request only (a stopped or superseded request stays silent).
    """

    model_loaded = Signal(object)
    model_failed = Signal(str)
    started = Signal(int)
    partial = Signal(int, str)
    finished = Signal(int, object)
    failed = Signal(int, str)
    stopped = Signal(int)  # at once, when the user stops or a new request supersedes
    halted = Signal(int)  # when the worker has really stopped decoding a request
    _load = Signal(object)
    _translate = Signal(object)
    _unload = Signal()
    _shutdown = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        open_engine: Callable[[EngineConfig], StreamingEngine] = open_engine,
    ) -> None:
        super().__init__(parent)
        self._thread = QThread()
        self._thread.setObjectName("translationThread")
        self.worker = TranslationWorker(open_engine)
        self.worker.moveToThread(self._thread)
        self._streamed: StreamedText | None = None
        self._frame = QTimer(self, interval=FRAME_MS, timerType=Qt.TimerType.PreciseTimer)
        self._frame.timeout.connect(self._show_streamed)
        self._load.connect(self.worker.load)
        self._translate.connect(self.worker.translate)
        self._unload.connect(self.worker.unload)
        self._shutdown.connect(self.worker.shutdown)
        self.worker.model_loaded.connect(self.model_loaded)
        self.worker.model_failed.connect(self.model_failed)
        self.worker.started.connect(self._forward_started)
        self.worker.partial.connect(self._forward_partial)
        self.worker.finished.connect(self._forward_finished)
        self.worker.failed.connect(self._forward_failed)
        self.worker.cancelled.connect(self.halted)
        self._current: TranslationRequest | None = None
        self._next_id = 0
        self._thread.start()
        # A window that is never closed must still end the thread before Qt tears down.
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    @property
    def busy(self) -> bool:
        return self._current is not None

    @property
    def worker_thread(self) -> QThread:
        return self._thread

    def load(self, config: EngineConfig) -> None:
        """Load a package (stopping the translation in progress first)."""
        self.stop()
        self._load.emit(config)

    def unload(self) -> None:
        self.stop()
        self._unload.emit()

    def translate(self, text: str, source: str, target: str, beam_size: int) -> int:
        """Queue a translation; the one in progress is stopped. Returns the request id."""
        self.stop()
        self._next_id += 1
        self._current = TranslationRequest(self._next_id, text, source, target, beam_size)
        self._translate.emit(self._current)
        return self._next_id

    def stop(self) -> None:
        """Stop the current translation; the worker notices at its next token or batch."""
        if self._current is not None:
            self._current.cancel.set()
            self._show_streamed()  # what was decoded before Stop stays on screen, whole
            self._end_streaming()
            self.stopped.emit(self._current.request_id)
            self._current = None

    def shutdown(self, timeout_ms: int = SHUTDOWN_TIMEOUT_MS) -> bool:
        """Stop, unload the model and end the thread; True when it ended within the timeout."""
        if not self._thread.isRunning():
            return True
        self.stop()
        self._shutdown.emit()
        return self._thread.wait(timeout_ms)

    def _is_current(self, request_id: int) -> bool:
        return self._current is not None and self._current.request_id == request_id

    def _forward_started(self, request_id: int) -> None:
        if self._is_current(request_id):
            self.started.emit(request_id)

    def _forward_partial(self, streamed: StreamedText) -> None:
        if self._is_current(streamed.request_id):
            self._streamed = streamed
            self._show_streamed()
            self._frame.start()  # read again next frame, until a frame brings nothing new

    def _show_streamed(self) -> None:
        streamed = self._streamed
        text = streamed.take() if streamed is not None else None
        if streamed is None or text is None:
            self._frame.stop()  # the worker signals the next change
            return
        self.partial.emit(streamed.request_id, text)

    def _end_streaming(self) -> None:
        self._frame.stop()
        self._streamed = None

    def _forward_finished(self, request_id: int, result: object) -> None:
        if self._is_current(request_id):
            self._show_streamed()  # the last tokens, so partial text ends as the result does
            self._end_streaming()
            self._current = None
            self.finished.emit(request_id, result)

    def _forward_failed(self, request_id: int, message: str) -> None:
        if self._is_current(request_id):
            self._end_streaming()
            self._current = None
            self.failed.emit(request_id, message)
