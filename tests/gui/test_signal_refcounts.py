"""Emitting a signal must leave Python's singletons alone.

PySide6-Essentials 6.12.0 drops a reference to `True` on every `Signal.emit()`; once the count
reaches zero CPython aborts ("bool_dealloc: deallocating True or False"), which killed the app
a few thousand streamed tokens into a long translation. This file needs only PySide6 and
pytest-qt, so it can be run against any PySide6 release before lifting the cap in
pyproject.toml:

    QT_QPA_PLATFORM=offscreen python -m pytest --noconftest tests/gui/test_signal_refcounts.py
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot
from pytestqt.qtbot import QtBot

from desktop_app.gui.soak import singleton_counts

EMITS = 5_000
# Checked after every round of emits, so an affected release fails with a message before the
# count of True reaches zero and aborts the test process.
ROUND = 100
# Other code in the process may take or drop a few references meanwhile; the leak in 6.12.0
# moves the count of True by one per emit.
NOISE = ROUND // 4


def assert_stable_over_rounds(run_round: Callable[[], None]) -> None:
    """Run `EMITS / ROUND` rounds after one warm-up round; fail once a count drifts."""
    run_round()  # warm-up: the first emits build caches that hold references for good
    before = singleton_counts()
    for done in range(ROUND, EMITS + 1, ROUND):
        run_round()
        moved = {name: count - before[name] for name, count in singleton_counts().items()}
        assert all(abs(change) <= NOISE for change in moved.values()), (
            f"reference counts moved by {moved} over {done} emits: this PySide6 release "
            "leaks references on Signal.emit() and will abort the app"
        )


class Sender(QObject):
    """Emits the same signature as the translation worker's `partial`."""

    partial = Signal(int, str)

    @Slot()
    def emit_round(self) -> None:
        for index in range(ROUND):
            self.partial.emit(index, "a streamed token")


class Receiver(QObject):
    ask = Signal()  # connected to a Sender on another thread: its slot runs there

    def __init__(self) -> None:
        super().__init__()
        self.received = 0

    @Slot(int, str)
    def take(self, _index: int, _text: str) -> None:
        self.received += 1


def test_direct_emits_keep_reference_counts(qtbot: QtBot) -> None:
    sender, receiver = Sender(), Receiver()
    sender.partial.connect(receiver.take)

    assert_stable_over_rounds(sender.emit_round)

    assert receiver.received == EMITS + ROUND


def test_queued_emits_from_a_worker_thread_keep_reference_counts(qtbot: QtBot) -> None:
    """Like the app's translation worker: emitted on a QThread, delivered on the GUI thread."""
    thread = QThread()
    sender, receiver = Sender(), Receiver()
    sender.moveToThread(thread)
    sender.partial.connect(receiver.take)
    receiver.ask.connect(sender.emit_round)
    thread.start()

    def round_there() -> None:
        # Waits by hand: qtbot.waitUntil itself keeps a few references to None per call.
        expected = receiver.received + ROUND
        receiver.ask.emit()
        deadline = time.monotonic() + 10
        while receiver.received < expected and time.monotonic() < deadline:
            QCoreApplication.processEvents()
            time.sleep(0.001)
        assert receiver.received == expected

    try:
        assert_stable_over_rounds(round_there)
    finally:
        thread.quit()
        thread.wait()
