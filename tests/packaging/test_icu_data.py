"""Trimming Qt's ICU data: Qt must answer as it did with the whole data, in what it uses."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import PySide6
import pytest

from tests.packaging.conftest import packaging_module
from tests.packaging.icu_probe import kept_answers, qt_answers

PYSIDE_LIB = Path(PySide6.__file__).parent / "Qt" / "lib"
WHOLE = next(iter(sorted(PYSIDE_LIB.glob("libicudata.so.*"))), None)

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or WHOLE is None
    or not (shutil.which("as") and shutil.which("ld")),
    reason="PySide6 ships ICU on Linux only; rebuilding it takes binutils",
)


@pytest.fixture(scope="module")
def icu_data() -> ModuleType:
    return packaging_module("icu_data")


@pytest.fixture(scope="module")
def trimmed(icu_data: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    assert WHOLE is not None
    output = tmp_path_factory.mktemp("icu") / WHOLE.name
    icu_data.trim(WHOLE, output)
    return output


def test_qt_sorts_maps_case_and_names_time_zones_as_with_the_whole_data(trimmed: Path) -> None:
    assert WHOLE is not None
    whole, trim = qt_answers(None), qt_answers(trimmed)

    # Every answer Qt's own features give (file dialogs' sort order, locale-aware case,
    # time zone names) and the single-byte code pages are unchanged...
    assert kept_answers(trim) == kept_answers(whole)
    assert whole["codec windows-1252"] is True and whole["codec KOI8-R"] is True
    # ...and the data really is the wheel's, with the translated names and local sort orders
    # a user sees, not ICU's root fallbacks.
    assert trim["zone Europe/Paris fr_FR StandardTime LongName"] != trim[
        "zone Europe/Paris en_US StandardTime LongName"
    ]
    assert trim["sort sv_SE"] != trim["sort de_DE"]
    # Only the multi-byte tables were lost; the library is less than half its size.
    assert trimmed.stat().st_size < WHOLE.stat().st_size / 2


def test_unused_trees_and_multi_byte_tables_go_and_the_package_stays_well_formed(
    icu_data: ModuleType, trimmed: Path
) -> None:
    assert WHOLE is not None
    header, items = icu_data.package_items(icu_data.read_package(WHOLE)[1])
    symbol, package = icu_data.read_package(trimmed)
    trimmed_header, kept = icu_data.package_items(package)

    assert symbol == f"icudt{WHOLE.name.rsplit('.', 1)[1]}_dat"
    assert trimmed_header == header
    whole_items = dict(items)
    names = [name for name, _ in kept]
    assert names == sorted(names, key=lambda name: name.encode())  # ICU's binary search
    assert all(whole_items[name] == data for name, data in kept)
    trees = {name.split("/")[1] for name in names if name.count("/") > 1}
    assert {"coll", "zone"} <= trees
    assert not trees & icu_data.UNUSED_TREES
    assert any(name.endswith("cnvalias.icu") for name in names)


def test_the_data_stays_whole_when_the_bundle_calls_an_icu_service_it_would_lose(
    icu_data: ModuleType, tmp_path: Path
) -> None:
    assert WHOLE is not None
    version = WHOLE.name.rsplit(".", 1)[1]
    bundle = tmp_path / "bundle"
    library_dir = bundle / "_internal"
    library_dir.mkdir(parents=True)
    shutil.copy2(WHOLE, library_dir / WHOLE.name)
    # A library that uses ICU's word breaking, whose data the trim would cut.
    source = tmp_path / "user.s"
    source.write_text(f"    .data\n    .globl uses\nuses:\n    .quad ubrk_open_{version}\n")
    subprocess.run(["as", "-o", str(tmp_path / "user.o"), str(source)], check=True)
    subprocess.run(["ld", "-shared", "-o", str(library_dir / "libuser.so"),
                    str(tmp_path / "user.o")], check=True)

    saved, note = icu_data.trim_bundle(bundle)

    assert saved == 0
    assert f"ubrk_open_{version}" in note
    assert (library_dir / WHOLE.name).read_bytes() == WHOLE.read_bytes()

    (library_dir / "libuser.so").unlink()
    saved, note = icu_data.trim_bundle(bundle)
    assert saved > WHOLE.stat().st_size / 2
    assert "left out" in note
