"""GUI test set-up: offscreen Qt, an isolated TOLK_HOME per test, packages copied into it."""

from __future__ import annotations

import os

# Before anything imports Qt: no display is needed, and none is touched.
os.environ["QT_QPA_PLATFORM"] = "offscreen"

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from PySide6.QtCore import QSettings

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from desktop_app.engine.store import ModelStore
    from desktop_app.gui.main_window import MainWindow


@pytest.fixture
def tolk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty TOLK_HOME: its own model store and settings file."""
    home = tmp_path / "tolk-home"
    home.mkdir()
    monkeypatch.setenv("TOLK_HOME", str(home))
    monkeypatch.delenv("TOLK_DEMO_PACKAGE", raising=False)
    # One decoding thread: on a busy shared machine more threads only contend for cores.
    settings = QSettings(str(home / "tolk.ini"), QSettings.Format.IniFormat)
    settings.setValue("device", "cpu")
    settings.setValue("cpu_threads", 1)
    settings.sync()
    return home


@pytest.fixture
def store(tolk_home: Path) -> ModelStore:
    from desktop_app.engine.store import ModelStore

    return ModelStore(tolk_home / "models")


@pytest.fixture
def install(store: ModelStore) -> Callable[[Path, str], Path]:
    """Copy a package directory into the test store under `name`."""

    def copy(package_dir: Path, name: str = "") -> Path:
        target = store.root / (name or package_dir.name)
        shutil.copytree(package_dir, target)
        return target

    return copy


@pytest.fixture
def marian_store(store: ModelStore, install: Callable[[Path, str], Path],
                 tiny_package: Callable[[str], Path]) -> ModelStore:
    """The store holding the tiny Marian package converted by the shared fixture."""
    install(tiny_package("marian"), "tiny-marian")
    return store


@pytest.fixture
def window(qtbot: QtBot, marian_store: ModelStore) -> Iterator[MainWindow]:
    """The main window over the tiny Marian package, model loaded, closed after the test."""
    from desktop_app.gui import build_main_window

    main = build_main_window()
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: main.loaded_model is not None, timeout=30_000)
    yield main
    main.close()
