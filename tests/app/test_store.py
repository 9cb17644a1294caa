"""The manifest contract and the model store, as a user of `tolk models` sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop_app.engine.manifest import Manifest
from desktop_app.engine.package import ModelPackage
from desktop_app.engine.store import ModelStore, default_store_root
from desktop_app.errors import InputError, ModelError
from tests.app.manifests import manifest_dict, write_fake_package


def test_manifest_round_trips_through_json() -> None:
    data = manifest_dict()
    assert Manifest.from_dict(data).to_dict() == data


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"quantization": "int4"}, "quantization"),
        ({"family": "gpt2"}, "family"),
        ({"max_input_tokens": "many"}, "max_input_tokens"),
        (
            {
                "languages": {
                    "source": [],
                    "target": [{"iso": "fr", "code": "fr", "name": "French"}],
                }
            },
            "languages/source",
        ),
    ],
)
def test_schema_violations_name_the_field(change: dict[str, object], where: str) -> None:
    with pytest.raises(ModelError, match=where):
        Manifest.from_dict(manifest_dict(**change))


def test_unknown_schema_version_is_refused() -> None:
    with pytest.raises(ModelError, match="schema version 99 is not supported"):
        Manifest.from_dict(manifest_dict(schema_version=99))


def test_default_store_honours_tolk_home(tmp_path: Path) -> None:
    assert default_store_root({"TOLK_HOME": str(tmp_path)}) == tmp_path / "models"
    assert default_store_root({}).name == "models"


def test_listing_reports_broken_packages_and_goes_on(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    write_fake_package(tmp_path / "good")
    (tmp_path / "bad-json").mkdir()
    (tmp_path / "bad-json" / "tolk.json").write_text("{not json", encoding="utf-8")
    missing = write_fake_package(tmp_path / "missing-file")
    (missing / "model.bin").unlink()
    (tmp_path / ".converting-tmp").mkdir()  # conversion in progress: not listed

    entries = {entry.name: entry for entry in store.entries()}

    assert sorted(entries) == ["bad-json", "good", "missing-file"]
    assert entries["good"].package is not None
    assert "unreadable manifest" in (entries["bad-json"].error or "")
    assert "model.bin" in (entries["missing-file"].error or "")
    assert [package.name for package in store.packages()] == ["good"]


def test_changed_files_are_detected(tmp_path: Path) -> None:
    package = ModelPackage.open(write_fake_package(tmp_path / "pkg"))
    assert package.verify_files() == []
    (package.path / "model.bin").write_bytes(b"tampered")
    assert package.verify_files() == ["model.bin"]


def test_remove_deletes_the_package_and_refuses_paths(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    write_fake_package(tmp_path / "pkg")
    store.remove("pkg")
    assert not (tmp_path / "pkg").exists()
    assert list(tmp_path.iterdir()) == []
    for name in ("../pkg", "", ".hidden", "a/b"):
        with pytest.raises(ModelError, match="invalid model name"):
            store.remove(name)


def test_a_removal_that_was_interrupted_neither_blocks_nor_lingers(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    # An earlier removal of a model of the same name, killed halfway through deleting it.
    half_deleted = tmp_path / ".removing-pkg"
    half_deleted.mkdir()
    (half_deleted / "model.bin").write_bytes(b"half of it")
    write_fake_package(tmp_path / "pkg")

    store.remove("pkg")

    assert list(tmp_path.iterdir()) == []


def test_removing_a_linked_package_removes_the_link_only(tmp_path: Path) -> None:
    # Issue 12, case 8: rmtree refused the link with a traceback and left `.removing-pkg`.
    target = tmp_path / "elsewhere" / "pkg"
    write_fake_package(target)
    before = sorted(path.name for path in target.iterdir())
    store = ModelStore(tmp_path / "models")
    store.root.mkdir()
    (store.root / "pkg").symlink_to(target, target_is_directory=True)
    assert [entry.name for entry in store.entries()] == ["pkg"]

    store.remove("pkg")

    assert list(store.root.iterdir()) == []
    assert sorted(path.name for path in target.iterdir()) == before


def test_a_link_left_by_an_interrupted_removal_is_unlinked_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "other"
    write_fake_package(target)
    store = ModelStore(tmp_path / "models")
    write_fake_package(store.root / "pkg")
    (store.root / ".removing-other").symlink_to(target, target_is_directory=True)

    store.remove("pkg")

    assert list(store.root.iterdir()) == []
    assert (target / "tolk.json").is_file()


def test_a_link_to_nowhere_can_be_removed(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    (tmp_path / "gone").symlink_to(tmp_path / "missing", target_is_directory=True)
    store.remove("gone")  # the user asked for it to go; a dangling link is no package to keep
    assert list(tmp_path.iterdir()) == []


def test_missing_model_lists_installed_ones(tmp_path: Path) -> None:
    store = ModelStore(tmp_path)
    write_fake_package(tmp_path / "pkg")
    with pytest.raises(ModelError, match="installed: pkg"):
        store.get("nope")


def test_language_pair_resolution(tmp_path: Path) -> None:
    package = ModelPackage.open(write_fake_package(tmp_path / "pkg"))
    source, target = package.resolve_pair(None, None)
    assert (source.iso, target.iso) == ("en", "fr")
    with pytest.raises(InputError, match="no target language 'de'; expected one of: fr"):
        package.resolve_pair("en", "de")


def test_manifest_written_by_the_package_reads_back(tmp_path: Path) -> None:
    directory = write_fake_package(tmp_path / "pkg")
    manifest = ModelPackage.open(directory).manifest
    manifest.write(directory)
    assert json.loads((directory / "tolk.json").read_text(encoding="utf-8"))["name"] == "pkg"
    assert Manifest.read(directory) == manifest
