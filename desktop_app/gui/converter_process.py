"""Runs the converter in a QProcess (`python -m converter`, or the frozen app's `tolk convert`):
a conversion never blocks the window, and torch (the reference path) never enters the GUI."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QProcess, QProcessEnvironment, Signal

from desktop_app.conversion import converter_command


class ConverterProcess(QObject):
    """One conversion at a time; reports progress from the converter's JSON lines."""

    progress = Signal(float, str)  # fraction 0..1, message
    succeeded = Signal(str)  # package path
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process = QProcess(self)
        self._process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        self._process.readyReadStandardOutput.connect(self._read_stdout)
        self._process.finished.connect(self._ended)
        self._process.errorOccurred.connect(self._error)
        self._buffer = b""
        self._package = ""
        self._cancelling = False
        self._store_root: Path | None = None

    @property
    def running(self) -> bool:
        return self._process.state() != QProcess.ProcessState.NotRunning

    def process_id(self) -> int:
        return int(self._process.processId())

    def start(
        self,
        source: str,
        store_root: Path,
        name: str = "",
        quantization: str = "",
        *,
        download: bool = False,
        allow_pickle: bool = False,
    ) -> None:
        """Convert `source` (a checkpoint folder or a hub id) into the store.

        A hub id not in the local cache is fetched only when `download` is True; pickle
        weights are read (restricted to tensors) only with `allow_pickle`.
        """
        if self.running:
            raise RuntimeError("a conversion is already running")
        program, *prefix = converter_command()
        arguments = [*prefix, source, "--store", str(store_root), "--progress-json"]
        if name:
            arguments += ["--name", name]
        if quantization:
            arguments += ["--quantization", quantization]
        if download:
            arguments.append("--download")
        if allow_pickle:
            arguments.append("--allow-pickle")
        self._buffer, self._package, self._cancelling = b"", "", False
        self._store_root = store_root
        self._process.setProcessEnvironment(_environment())
        self._process.start(program, arguments)

    def cancel(self) -> None:
        """Stop the converter now; its work folder is removed once the process has ended.

        A converter inside CTranslate2's or torch's C code does not see SIGINT for minutes,
        so it is killed rather than asked, and the sweep below does the cleanup it would
        have done (the killed process's lock on its work folder is gone).
        """
        if self.running:
            self._cancelling = True
            self._process.kill()

    def wait_stopped(self, timeout_ms: int = 5000) -> None:
        """Cancel and wait for the process to end (used when the window closes)."""
        if self.running:
            self.cancel()
            if not self._process.waitForFinished(timeout_ms):
                self._process.kill()
                self._process.waitForFinished(timeout_ms)

    def _read_stdout(self) -> None:
        self._buffer += bytes(self._process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            self._handle_line(line.decode("utf-8", errors="replace").strip())

    def _handle_line(self, line: str) -> None:
        try:
            event = json.loads(line)
        except ValueError:
            return  # not a progress line (a library printing to stdout)
        if not isinstance(event, dict):
            return
        if event.get("stage") == "done":
            self._package = str(event.get("package", ""))
            self.progress.emit(1.0, QCoreApplication.translate("ConverterProcess", "Done"))
            return
        fraction = event.get("fraction")
        message = str(event.get("message") or event.get("stage") or "")
        self.progress.emit(float(fraction) if isinstance(fraction, (int, float)) else -1.0, message)

    def _ended(self, exit_code: int, exit_status: QProcess.ExitStatus) -> None:
        self._read_stdout()
        if self._buffer:
            self._handle_line(self._buffer.decode("utf-8", errors="replace").strip())
            self._buffer = b""
        if self._cancelling:
            self._sweep()
            self.cancelled.emit()
        elif exit_status == QProcess.ExitStatus.NormalExit and exit_code == 0 and self._package:
            self.succeeded.emit(self._package)
        else:
            self.failed.emit(self._error_text(exit_code))

    def _sweep(self) -> None:
        """Remove the hidden `.NAME.converting-…` folder a killed conversion left in the store."""
        # The converter's torch-free workspace module; importable, since `-m converter` ran.
        from converter.workspace import sweep_abandoned

        if self._store_root is not None:
            sweep_abandoned(self._store_root)

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self.failed.emit(
                QCoreApplication.translate("ConverterProcess", "The converter could not start: ")
                + self._process.errorString()
            )

    def _error_text(self, exit_code: int) -> str:
        errors = bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace")
        lines = [line for line in errors.splitlines() if line.strip()]
        if lines:
            return lines[-1]
        return QCoreApplication.translate(
            "ConverterProcess", "The converter stopped with exit code %1"
        ).replace("%1", str(exit_code))


def _environment() -> QProcessEnvironment:
    """The GUI's environment, plus the directory holding `converter` when it is not installed
    (running from a source checkout)."""
    environment = QProcessEnvironment.systemEnvironment()
    spec = importlib.util.find_spec("converter")
    if spec is not None and spec.origin:
        root = str(Path(spec.origin).parent.parent)
        current = environment.value("PYTHONPATH")
        environment.insert("PYTHONPATH", root + (f"{os.pathsep}{current}" if current else ""))
    environment.insert("PYTHONIOENCODING", "utf-8")
    return environment
