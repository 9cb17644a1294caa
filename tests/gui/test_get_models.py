"""The "Get models" dialog against a server on 127.0.0.1: list, search, install with progress,
and offline explained."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop_app.engine import ModelStore
from desktop_app.engine.catalog import hub_models
from desktop_app.gui.get_models import GetModelsDialog
from desktop_app.gui.main_window import MainWindow
from tests.fixtures.argos import METADATA, argos_members, write_zip
from tests.fixtures.loopback import Loopback

WAIT_MS = 30_000
HUB = len(hub_models())  # the curated checkpoints, listed after the index's packages


@pytest.fixture
def server(
    tiny_package: Callable[[str], Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Loopback]:
    loopback = Loopback()
    archive = write_zip(tmp_path / "en-fr.argosmodel", argos_members(tiny_package("marian")))
    loopback.files["/en-fr.argosmodel"] = archive.read_bytes()
    loopback.files["/index.json"] = json.dumps([
        {**METADATA, "links": [f"{loopback.url}/en-fr.argosmodel"]},
        {**METADATA, "code": "translate-de_en", "from_code": "de", "from_name": "German",
         "to_code": "en", "to_name": "English", "links": [f"{loopback.url}/missing"]},
    ]).encode()
    monkeypatch.setenv("TOLK_CATALOG_URL", f"{loopback.url}/index.json")
    yield loopback
    loopback.stop()


def _visible_codes(dialog: GetModelsDialog) -> list[str]:
    table = dialog.table
    return [table.item(row, 2).text() for row in range(table.rowCount())
            if not table.isRowHidden(row)]


def test_models_are_listed_searched_and_installed_into_the_models_tab(
    qtbot: QtBot, window: MainWindow, server: Loopback
) -> None:
    tab = window.models_tab
    dialog = tab.open_get_models()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2 + HUB, timeout=WAIT_MS)
    assert dialog.status.text() == "2 model(s) available."

    dialog.search.setText("french")
    assert _visible_codes(dialog) == [
        "translate-en_fr", "Helsinki-NLP/opus-mt-en-fr", "Helsinki-NLP/opus-mt-fr-en"
    ]
    dialog.table.selectRow(0)
    assert dialog.install_button.isEnabled()

    with qtbot.waitSignal(tab.models_changed, timeout=WAIT_MS):
        dialog.install_selected()

    assert dialog.status.text() == "Installed argos-en-fr."
    assert dialog.table.item(0, 3).text() == "installed"
    names = [tab.model.index(row, 0).data() for row in range(tab.model.rowCount())]
    assert "argos-en-fr" in names
    dialog.reject()


def test_a_failed_install_says_why(qtbot: QtBot, window: MainWindow, server: Loopback) -> None:
    dialog = window.models_tab.open_get_models()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2 + HUB, timeout=WAIT_MS)
    dialog.search.setText("translate-de")
    row = next(row for row in range(2) if not dialog.table.isRowHidden(row))
    dialog.table.selectRow(row)

    dialog.install_selected()
    qtbot.waitUntil(dialog.install_button.isEnabled, timeout=WAIT_MS)

    assert dialog.status.text().startswith("Install failed: download of ")
    assert "HTTP 404" in dialog.status.text()
    dialog.reject()


def test_offline_without_a_list_explains_how_to_carry_a_file(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TOLK_CATALOG_URL", "http://127.0.0.1:9/index.json")
    dialog = window.models_tab.open_get_models()

    qtbot.waitUntil(lambda: "tolk models import FILE" in dialog.status.text(), timeout=WAIT_MS)
    assert dialog.table.rowCount() == HUB  # the curated checkpoints ship with the app
    assert not dialog.install_button.isEnabled()
    dialog.reject()


def test_a_curated_checkpoint_is_handed_to_the_converter(
    qtbot: QtBot, store: ModelStore, server: Loopback
) -> None:
    dialog = GetModelsDialog(store)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2 + HUB, timeout=WAIT_MS)
    row = next(row for row in range(dialog.table.rowCount())
               if dialog.table.item(row, 2).text() == "Helsinki-NLP/opus-mt-en-fr")
    assert dialog.table.item(row, 3).text() == "needs conversion (Apache-2.0)"
    dialog.table.selectRow(row)

    with qtbot.waitSignal(dialog.convert_requested) as requested:
        dialog.install_selected()

    assert requested.args[0].convert_command == (
        "tolk convert Helsinki-NLP/opus-mt-en-fr --download --allow-pickle"
    )
