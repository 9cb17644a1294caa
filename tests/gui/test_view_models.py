"""Table models, the language catalog, settings persistence and first run: no engine, no view."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from desktop_app.engine.package import ModelPackage
from desktop_app.engine.store import ModelStore
from desktop_app.errors import InputError
from desktop_app.gui.catalog import LanguageCatalog
from desktop_app.gui.first_run import bundled_demo_candidates, install_bundled_demo
from desktop_app.gui.settings import AppSettings, PendingJob, SettingsDialog, SettingsStore
from desktop_app.gui.table_models import (
    ITEM_ROLE,
    PROGRESS_ROLE,
    FileQueueModel,
    FileStatus,
    ModelTableModel,
)
from tests.app.manifests import write_fake_package

DISPLAY = Qt.ItemDataRole.DisplayRole


def _lang(iso: str, name: str) -> dict[str, str]:
    return {"iso": iso, "code": iso, "name": name}


def _reverse_languages() -> dict[str, list[dict[str, str]]]:
    return {"source": [_lang("fr", "French")], "target": [_lang("en", "English")]}


def test_model_table_shows_packages_and_broken_entries(store: ModelStore) -> None:
    write_fake_package(store.root / "fake-en-fr")
    broken = store.root / "broken"
    broken.mkdir(parents=True)
    (broken / "tolk.json").write_text("{not json", encoding="utf-8")
    model = ModelTableModel(store.entries())

    assert model.rowCount() == 2
    assert model.columnCount() == 6
    headers = [model.headerData(c, Qt.Orientation.Horizontal, DISPLAY) for c in range(6)]
    assert headers == ["Name", "Languages", "Architecture", "Quantization", "Size", "Verified"]
    assert model.data(model.index(0, 0), DISPLAY) == "broken"
    assert model.data(model.index(0, 5), DISPLAY) == "broken"
    assert "unreadable manifest" in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)
    row = [model.data(model.index(1, c), DISPLAY) for c in range(6)]
    assert row[:4] == ["fake-en-fr", "en → fr", "MarianConfig", "int8"]  # the package's name
    assert "Fake English-French" in model.data(model.index(1, 0), Qt.ItemDataRole.ToolTipRole)
    assert row[4].endswith(" KB")  # manifest and three small files
    assert row[5] == "yes"
    assert model.data(model.index(1, 0), ITEM_ROLE).name == "fake-en-fr"


def test_model_table_says_which_check_a_package_passed(store: ModelStore) -> None:
    checks = {
        "a-reference": {"passed": True, "check": "reference"},
        "b-runtime": {"passed": True, "check": "runtime"},
        "c-unverified": {"passed": False, "check": "runtime", "accepted_unverified": True},
        "d-argos": {"passed": False, "imported_from": "argos"},
    }
    for name, verification in checks.items():
        write_fake_package(store.root / name, verification=verification)
    model = ModelTableModel(store.entries())
    shown = {
        model.data(model.index(row, 0), DISPLAY): model.data(model.index(row, 5), DISPLAY)
        for row in range(model.rowCount())
    }
    assert shown == {
        "a-reference": "yes", "b-runtime": "yes (runtime check)",
        "c-unverified": "UNVERIFIED", "d-argos": "no",
    }


def test_model_table_reset_announces_the_new_rows(qtbot: QtBot, store: ModelStore) -> None:
    model = ModelTableModel()
    write_fake_package(store.root / "fake-en-fr")
    with qtbot.waitSignal(model.modelReset, timeout=1000):
        model.set_entries(store.entries())
    assert model.rowCount() == 1


def test_file_queue_adds_once_and_tracks_status(qtbot: QtBot, tmp_path: Path) -> None:
    queue = FileQueueModel()
    a, b = tmp_path / "a.txt", tmp_path / "b.srt"
    with qtbot.waitSignal(queue.rowsInserted, timeout=1000):
        assert queue.add([a, b, a]) == 2
    assert queue.add([b]) == 0
    assert queue.rowCount() == 2
    first_row = [queue.data(queue.index(0, c), DISPLAY) for c in range(4)]
    assert first_row == ["a.txt", "Queued", "0 %", ""]

    with qtbot.waitSignal(queue.dataChanged, timeout=1000):
        queue.update(a, status=FileStatus.RUNNING, progress=0.5)
    assert queue.data(queue.index(0, 1), DISPLAY) == "Translating"
    assert queue.data(queue.index(0, 2), PROGRESS_ROLE) == 0.5
    queue.update(b, status=FileStatus.FAILED, error="b.srt: not a subtitle file")
    assert queue.data(queue.index(1, 3), DISPLAY) == "b.srt: not a subtitle file"
    assert queue.data(queue.index(1, 0), Qt.ItemDataRole.ForegroundRole) == Qt.GlobalColor.red
    queue.update(a, status=FileStatus.DONE, progress=1.0, output=tmp_path / "a.fr.txt")
    assert queue.data(queue.index(0, 3), DISPLAY) == "a.fr.txt"

    queue.reset_statuses()
    assert {item.status for item in queue.items()} == {FileStatus.QUEUED}
    with pytest.raises(KeyError):
        queue.update(tmp_path / "unknown.txt", progress=1.0)


def test_catalog_lists_covered_languages_and_the_package_for_a_pair(store: ModelStore) -> None:
    write_fake_package(store.root / "en-fr")
    write_fake_package(store.root / "en-fr-big")
    write_fake_package(store.root / "fr-en", languages=_reverse_languages())
    catalog = LanguageCatalog(store.packages())

    assert [c.iso for c in catalog.sources()] == ["en", "fr"]
    assert [c.iso for c in catalog.targets("en")] == ["fr"]
    assert [c.iso for c in catalog.targets("fr")] == ["en"]
    assert catalog.targets("de") == []
    assert catalog.route_for("en", "fr").first.name == "en-fr"
    assert catalog.route_for("fr", "en").first.name == "fr-en"
    assert catalog.route_for("en", "de") is None


def test_pairs_through_english_are_offered_and_labelled_so(store: ModelStore) -> None:
    write_fake_package(store.root / "en-fr")
    write_fake_package(
        store.root / "de-en",
        languages={"source": [_lang("de", "German")], "target": [_lang("en", "English")]},
    )
    catalog = LanguageCatalog(store.packages())

    assert [(c.iso, c.name) for c in catalog.targets("de")] == [
        ("en", "English"), ("fr", "French (via English)")
    ]
    route = catalog.route_for("de", "fr")
    assert route is not None and (route.first.name, route.second.name) == ("de-en", "en-fr")
    assert catalog.route_for("fr", "de") is None


def test_settings_round_trip_through_an_ini_file(tmp_path: Path) -> None:
    path = str(tmp_path / "settings.ini")
    chosen = AppSettings(device="cpu", compute_type="int8", cpu_threads=2, beam_size=4,
                         theme="dark", ui_language="fr", live_translate=False,
                         source_language="en", target_language="fr", output_folder="/out")
    SettingsStore(QSettings(path, QSettings.Format.IniFormat)).save(chosen)

    assert SettingsStore(QSettings(path, QSettings.Format.IniFormat)).load() == chosen


def test_settings_with_invalid_values_fall_back_to_defaults(tmp_path: Path) -> None:
    path = str(tmp_path / "settings.ini")
    raw = QSettings(path, QSettings.Format.IniFormat)
    raw.setValue("device", "tpu")
    raw.setValue("cpu_threads", "many")
    raw.setValue("theme", "dark")
    raw.sync()
    loaded = SettingsStore(QSettings(path, QSettings.Format.IniFormat)).load()
    assert (loaded.device, loaded.cpu_threads, loaded.theme) == ("auto", 0, "dark")
    with pytest.raises(InputError, match="expected one of: auto, cpu, cuda"):
        AppSettings(device="tpu")


def test_pending_job_is_kept_until_cleared(tmp_path: Path) -> None:
    settings = SettingsStore(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert settings.pending_job() is None
    job = PendingJob(("/docs/a.txt", "/docs/b.srt"), "en", "fr", "/out")
    settings.save_pending_job(job)
    assert settings.pending_job() == job
    settings.save_pending_job(None)
    assert settings.pending_job() is None


def test_settings_dialog_edits_every_setting(qtbot: QtBot) -> None:
    dialog = SettingsDialog(AppSettings(), "In use: CPU, int8. CUDA not available")
    qtbot.addWidget(dialog)
    assert dialog.objectName() == "settingsDialog"
    dialog.device.setCurrentIndex(dialog.device.findData("cpu"))
    dialog.compute_type.setCurrentIndex(dialog.compute_type.findData("float32"))
    dialog.cpu_threads.setValue(1)
    dialog.beam_size.setCurrentIndex(dialog.beam_size.findData(4))
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.ui_language.setCurrentIndex(dialog.ui_language.findData("fr"))
    assert dialog.chosen() == AppSettings(device="cpu", compute_type="float32", cpu_threads=1,
                                          beam_size=4, theme="dark", ui_language="fr")
    for name in ("deviceChoice", "computeType", "cpuThreads", "themeChoice", "uiLanguage"):
        assert dialog.findChild(QWidget, name) is not None, name
    assert "CUDA not available" in dialog.findChild(QLabel, "deviceStatus").text()


def test_first_run_installs_the_first_valid_bundled_package(
    tmp_path: Path, store: ModelStore
) -> None:
    bundled = write_fake_package(tmp_path / "bundle" / "demo-en-fr")
    missing = tmp_path / "nowhere"

    result = install_bundled_demo(store, [missing, bundled])

    assert result.installed == "demo-en-fr"
    assert result.source == bundled
    assert ModelPackage.open(store.root / "demo-en-fr").name == "demo-en-fr"
    assert [p.name for p in store.root.iterdir()] == ["demo-en-fr"]  # no staging dir left
    again = install_bundled_demo(store, [bundled])
    assert not again.installed
    assert again.skipped_reason == "the model store is not empty"


def test_first_run_without_candidates_installs_nothing(store: ModelStore, tmp_path: Path) -> None:
    assert install_bundled_demo(store, []).skipped_reason == "no bundled demo package"
    result = install_bundled_demo(store, [tmp_path / "nowhere"])
    assert not result.installed
    assert "no such model package" in result.skipped_reason
    assert store.entries() == []


def test_demo_candidates_come_from_the_environment(tmp_path: Path) -> None:
    assert bundled_demo_candidates({}) == []
    assert bundled_demo_candidates({"TOLK_DEMO_PACKAGE": str(tmp_path)}) == [tmp_path]
