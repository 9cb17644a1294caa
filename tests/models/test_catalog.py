"""The model index and downloads against a server on 127.0.0.1 that the tests start: install,
a download cut in the middle then resumed, corrupt and malformed content, and offline."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.engine import ModelPackage, ModelStore
from desktop_app.engine.catalog import available, install, parse_index
from desktop_app.errors import InputError
from tests.app.test_cli_errors import tolk
from tests.fixtures.argos import METADATA, argos_members, write_zip
from tests.fixtures.loopback import Loopback
from tests.models.conftest import CHECKPOINT

pytestmark = pytest.mark.skipif(
    not (CHECKPOINT / "model.safetensors").is_file(), reason="demo checkpoint not committed"
)


@pytest.fixture
def server(packages: dict[str, ModelPackage], tmp_path: Path) -> Iterator[Loopback]:
    loopback = Loopback()
    archive = write_zip(tmp_path / "en-fr.argosmodel", argos_members(packages["int8"].path))
    loopback.files["/packages/translate-en_fr-1_0.argosmodel"] = archive.read_bytes()
    loopback.files["/index.json"] = json.dumps([
        {**METADATA, "links": [f"{loopback.url}/packages/translate-en_fr-1_0.argosmodel"]},
        {"code": "broken", "from_code": "en"},  # no to_code, no links: skipped
        {**METADATA, "code": "translate-en_de", "to_code": "de", "to_name": "German",
         "links": [f"{loopback.url}/packages/missing.argosmodel"]},
    ]).encode()
    yield loopback
    loopback.stop()


def test_the_index_lists_usable_entries_and_says_which_it_skipped(
    server: Loopback, tmp_path: Path
) -> None:
    catalog = available(ModelStore(tmp_path / "home" / "models"), f"{server.url}/index.json")

    assert [entry.code for entry in catalog.entries] == ["translate-en_fr", "translate-en_de"]
    assert catalog.stale_because is None
    assert len(catalog.skipped) == 1 and "entry 2" in catalog.skipped[0]


def test_install_downloads_imports_and_lists_the_package_as_installed(
    server: Loopback, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    url = f"{server.url}/index.json"
    catalog = {"TOLK_CATALOG_URL": url}
    installed = tolk("models", "install", "translate-en_fr", home=home, env=catalog)
    assert installed.returncode == 0, installed.stderr
    assert "installed argos-en-fr" in installed.stdout

    listed = tolk("models", "available", "--to", "fr", home=home, env=catalog)
    lines = listed.stdout.splitlines()
    assert [line for line in lines if line.startswith("translate-")] == [
        "translate-en_fr\ten -> fr\tEnglish -> French\t1.0\tinstalled"
    ]
    # The curated checkpoints are listed too, with what converting them takes.
    assert any(line.startswith("Helsinki-NLP/opus-mt-en-fr\ten -> fr") and line.endswith(
        "needs conversion: tolk convert Helsinki-NLP/opus-mt-en-fr --download --allow-pickle"
    ) for line in lines)
    assert not any("opus-mt-en-de" in line for line in lines)  # --to fr
    assert "skipped a malformed index entry" in listed.stderr
    assert not list((home / "downloads").iterdir()), "the archive is removed once installed"


def test_a_download_cut_in_the_middle_resumes_where_it_stopped(
    server: Loopback, tmp_path: Path
) -> None:
    store = ModelStore(tmp_path / "home" / "models")
    url = f"{server.url}/index.json"
    path = "/packages/translate-en_fr-1_0.argosmodel"
    size = len(server.files[path])
    server.cut = (path, size // 2)

    with pytest.raises(InputError, match="run the same command again to resume"):
        install("translate-en_fr", store, url=url)
    (part,) = (tmp_path / "home" / "downloads").glob("*.part")
    assert part.stat().st_size == size // 2

    package = install("translate-en_fr", store, url=url)

    assert server.ranges[-1] == f"bytes={size // 2}-"
    assert package.name == "argos-en-fr" and package.verify_files() == []


def test_a_corrupt_archive_is_refused_and_fetched_again_next_time(
    server: Loopback, tmp_path: Path
) -> None:
    store = ModelStore(tmp_path / "home" / "models")
    server.files["/packages/translate-en_fr-1_0.argosmodel"] = b"PK\x03\x04 not really a zip"

    with pytest.raises(InputError, match="not an Argos package"):
        install("translate-en_fr", store, url=f"{server.url}/index.json")

    assert not store.root.exists() or list(store.root.iterdir()) == []
    assert list((tmp_path / "home" / "downloads").iterdir()) == []


def test_offline_the_cached_list_is_shown_and_marked_stale(
    server: Loopback, tmp_path: Path
) -> None:
    store = ModelStore(tmp_path / "home" / "models")
    url = f"{server.url}/index.json"
    fresh = available(store, url)
    server.stop()

    offline = available(store, url)

    assert offline.entries == fresh.entries and offline.fetched == fresh.fetched
    assert offline.stale_because is not None and "cannot be read" in offline.stale_because


def test_offline_without_a_cached_list_says_how_to_install_a_file(tmp_path: Path) -> None:
    result = tolk("models", "available", home=tmp_path / "home",
                  env={"TOLK_CATALOG_URL": "http://127.0.0.1:9/index.json"})

    assert result.returncode == 2
    assert "tolk models import FILE" in result.stderr and "Traceback" not in result.stderr


def test_an_index_that_is_not_a_list_is_refused() -> None:
    with pytest.raises(InputError, match="not a JSON array"):
        parse_index({"packages": []})
