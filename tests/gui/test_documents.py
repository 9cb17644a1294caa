"""The Documents tab: a folder queued, translated with progress, one broken file reported inline,
and an interrupted job restored and finished in a new window."""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desktop_app.errors import TranslationCancelled
from desktop_app.gui import build_main_window
from desktop_app.gui.main_window import MainWindow
from desktop_app.gui.table_models import FileStatus
from tests.gui.helpers import long_text

JOB_WAIT_MS = 60_000
BROKEN_SUBTITLES = "1\n00:00:01,000 --> 00:00:02,000\nHello there.\n\n2\nno timing here\n"


def test_queue_translates_a_folder_and_reports_a_broken_file_inline(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "letter.txt").write_text("Please open the window.\n\nThe meeting is in room 4.\n",
                                     encoding="utf-8")
    (docs / "notes.txt").write_text(long_text(6), encoding="utf-8")
    (docs / "broken.srt").write_text(BROKEN_SUBTITLES, encoding="utf-8")
    output = tmp_path / "out"
    tab = window.documents_tab
    target = tab.target_iso()
    progress: list[object] = []
    tab.runner.progress.connect(progress.append)

    assert tab.add_paths([docs]) == 3
    assert not tab.cancel_button.isEnabled()
    tab.output_folder.setText(str(output))
    with qtbot.waitSignal(tab.runner.finished, timeout=JOB_WAIT_MS):
        qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)
        assert tab.cancel_button.isEnabled()

    items = {item.path.name: item for item in tab.queue.items()}
    for name in ("letter.txt", "notes.txt"):
        assert items[name].status is FileStatus.DONE
        assert items[name].progress == 1.0
        assert items[name].output == output / f"{Path(name).stem}.{target}.txt"
        assert items[name].output.read_text(encoding="utf-8").strip()
    broken = items["broken.srt"]
    assert broken.status is FileStatus.FAILED
    assert "no timing line" in broken.error
    row = tab.queue.paths().index(broken.path)
    assert "no timing line" in tab.queue.index(row, 3).data()
    assert progress, "progress is reported while the job runs"
    assert tab.progress.value() == tab.progress.maximum()
    assert "2 file(s) translated, 1 failed" in tab.status.text()
    assert not tab.cancel_button.isEnabled()
    assert tab.start_button.isEnabled()

    # At once again: the outputs exist, so the translated files are skipped, never overwritten.
    with qtbot.waitSignal(tab.runner.finished, timeout=JOB_WAIT_MS):
        tab.start()
    statuses = {item.path.name: item.status for item in tab.queue.items()}
    assert statuses["letter.txt"] is statuses["notes.txt"] is FileStatus.SKIPPED


def test_interrupted_job_is_restored_and_finished_after_a_restart(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    source = tmp_path / "long.txt"
    source.write_text(long_text(400), encoding="utf-8")
    tab = window.documents_tab
    tab.add_paths([source])
    with qtbot.waitSignal(tab.runner.progress, timeout=JOB_WAIT_MS):
        tab.start()

    window.close()  # mid-job: the job stops, its journal and the queue are kept

    assert not tab.runner.running
    restored = build_main_window()
    qtbot.addWidget(restored)
    documents = restored.documents_tab
    assert documents.queue.paths() == [source.resolve()]
    assert "restored" in documents.status.text()
    with qtbot.waitSignal(documents.runner.finished, timeout=JOB_WAIT_MS) as finished:
        documents.start()
    report = finished.args[0]
    assert [result.status for result in report.files] == ["translated"]
    assert report.files[0].output.is_file()
    restored.close()
    again = build_main_window()
    qtbot.addWidget(again)
    assert again.documents_tab.queue.paths() == []  # finished: nothing left to resume


def test_dropping_files_and_folders_queues_them(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    folder = tmp_path / "dropped"
    folder.mkdir()
    (folder / "a.txt").write_text("One.", encoding="utf-8")
    (folder / "b.srt").write_text("1\n00:00:01,000 --> 00:00:02,000\nTwo.\n", encoding="utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG")  # not a document: left out
    single = tmp_path / "c.txt"
    single.write_text("Three.", encoding="utf-8")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder)), QUrl.fromLocalFile(str(single))])
    tab = window.documents_tab
    position = tab.rect().center()  # QPoint: PySide6 6.11 takes no QPointF here
    actions = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier

    enter = QDragEnterEvent(position, actions, mime, buttons, modifiers)
    tab.dragEnterEvent(enter)
    assert enter.isAccepted()
    tab.dropEvent(QDropEvent(position, actions, mime, buttons, modifiers))

    assert sorted(path.name for path in tab.queue.paths()) == ["a.txt", "b.srt", "c.txt"]
    assert tab.start_button.isEnabled()


class CountingEngine:
    """Upper-cases segments and records each one it translates; `stall_after` calls in, it
    waits for the job's cancel and stops as the engine does (TranslationCancelled)."""

    def __init__(self, stall_after: int | None = None) -> None:
        self.translated: list[str] = []
        self.calls = 0
        self._stall_after = stall_after

    def translate_segments(self, texts: Sequence[str], **request: Any) -> list[str]:
        cancel: threading.Event = request["cancel"]
        self.calls += 1
        if self._stall_after is not None and self.calls > self._stall_after:
            assert cancel.wait(JOB_WAIT_MS / 1000), "the job was never cancelled"
            raise TranslationCancelled("translation cancelled")
        self.translated.extend(texts)
        return [text.upper() for text in texts]

    def translate_aligned(self, texts: Sequence[str], **request: Any) -> list[Any]:
        raise AssertionError("plain text has no inline spans")

    def close(self) -> None:
        """Holds no model."""


def test_cancel_keeps_finished_batches_and_start_resumes_without_redoing_them(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    source = tmp_path / "long.txt"
    source.write_text(long_text(300, words=8), encoding="utf-8")  # several journal batches
    tab = window.documents_tab
    first = CountingEngine(stall_after=1)
    tab.runner.engine_factory = lambda route, request: first
    tab.add_paths([source])
    with qtbot.waitSignal(tab.runner.cancelled, timeout=JOB_WAIT_MS):
        tab.start()
        qtbot.waitUntil(lambda: first.calls == 2, timeout=JOB_WAIT_MS)  # one batch finished
        qtbot.waitUntil(lambda: "words/s" in tab.status.text())
        assert re.search(r"\b[1-9]\d* words/s", tab.status.text()), tab.status.text()
        qtbot.mouseClick(tab.cancel_button, Qt.MouseButton.LeftButton)
    assert "resume" in tab.status.text()
    assert first.translated, "the first batch was translated before the cancel"
    assert list(tmp_path.glob(".tolk-job-*.jsonl")), "the finished batch is journaled"

    second = CountingEngine()
    tab.runner.engine_factory = lambda route, request: second
    with qtbot.waitSignal(tab.runner.finished, timeout=JOB_WAIT_MS) as finished:
        qtbot.mouseClick(tab.start_button, Qt.MouseButton.LeftButton)

    report = finished.args[0]
    assert not set(first.translated) & set(second.translated), "nothing is translated twice"
    assert report.segments_resumed == len(set(first.translated))
    output = report.files[0].output.read_text(encoding="utf-8")
    assert output == source.read_text(encoding="utf-8").upper()
    assert not list(tmp_path.glob(".tolk-job-*.jsonl")), "a finished job drops its journal"


def test_closing_the_window_mid_job_keeps_the_journal_for_the_next_start(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    source = tmp_path / "long.txt"
    source.write_text(long_text(300, words=8), encoding="utf-8")
    tab = window.documents_tab
    first = CountingEngine(stall_after=1)
    tab.runner.engine_factory = lambda route, request: first
    tab.add_paths([source])
    tab.start()
    qtbot.waitUntil(lambda: first.calls == 2, timeout=JOB_WAIT_MS)

    window.close()

    restored = build_main_window()
    qtbot.addWidget(restored)
    second = CountingEngine()
    restored.documents_tab.runner.engine_factory = lambda route, request: second
    with qtbot.waitSignal(restored.documents_tab.runner.finished, timeout=JOB_WAIT_MS) as done:
        restored.documents_tab.start()
    assert first.translated and not set(first.translated) & set(second.translated)
    assert done.args[0].segments_resumed == len(set(first.translated))
    restored.close()


def test_unsupported_files_are_refused_when_added_and_the_dialog_offers_documents(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    picture = tmp_path / "picture.png"
    picture.write_bytes(b"\x89PNG")
    letter = tmp_path / "letter.txt"
    letter.write_text("One.", encoding="utf-8")
    offered: list[str] = []

    def choose(_parent: object, _caption: str, _folder: str, filters: str) -> tuple[list[str], str]:
        offered.append(filters)
        return [str(picture), str(letter)], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", choose)
    tab = window.documents_tab
    qtbot.mouseClick(tab.add_files_button, Qt.MouseButton.LeftButton)

    documents, everything = offered[0].split(";;")
    assert "*.txt" in documents and "*.srt" in documents and "*.png" not in documents
    assert everything == "All files (*)"
    assert [path.name for path in tab.queue.paths()] == ["letter.txt"]
    assert "picture.png" in tab.status.text() and "*.docx" in tab.status.text()


def test_queue_columns_show_whole_names_and_statuses_while_a_job_runs(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    source = tmp_path / "report-of-the-annual-meeting.txt"
    source.write_text(long_text(300, words=8), encoding="utf-8")
    tab = window.documents_tab
    window.tabs.setCurrentWidget(tab)
    engine = CountingEngine(stall_after=1)
    tab.runner.engine_factory = lambda route, request: engine
    tab.add_paths([source])
    with qtbot.waitSignal(tab.runner.cancelled, timeout=JOB_WAIT_MS):
        tab.start()
        qtbot.waitUntil(lambda: engine.calls == 2, timeout=JOB_WAIT_MS)
        header, metrics = tab.table.horizontalHeader(), tab.table.fontMetrics()
        for column in (0, 1):
            text = tab.queue.index(0, column).data()
            assert header.sectionSize(column) > metrics.horizontalAdvance(text), text
        tab.runner.cancel()
