"""The Documents tab: a folder queued, translated with progress, one broken file reported inline,
and an interrupted job restored and finished in a new window."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from pytestqt.qtbot import QtBot

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
    position = QPointF(tab.rect().center())
    actions = Qt.DropAction.CopyAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier

    enter = QDragEnterEvent(position, actions, mime, buttons, modifiers)
    tab.dragEnterEvent(enter)
    assert enter.isAccepted()
    tab.dropEvent(QDropEvent(position, actions, mime, buttons, modifiers))

    assert sorted(path.name for path in tab.queue.paths()) == ["a.txt", "b.srt", "c.txt"]
    assert tab.start_button.isEnabled()
