"""The Linux installers' contents: the .deb file tree and control file, the menu entry."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest


def _fake_bundle(root: Path, *, gui: bool) -> Path:
    bundle = root / "tolk"
    (bundle / "_internal").mkdir(parents=True)
    for name in ("tolk", "tolk-gui") if gui else ("tolk",):
        (bundle / name).write_text("#!/bin/sh\necho frozen\n", encoding="utf-8")
        (bundle / name).chmod(0o755)
    return bundle


def _control_fields(control: str) -> dict[str, str]:
    return dict(line.split(": ", 1) for line in control.splitlines() if not line.startswith(" "))


def test_deb_tree_puts_the_app_in_opt_with_launchers_menu_entry_and_icons(
    installers: ModuleType, tmp_path: Path
) -> None:
    root = installers.stage_deb_tree(_fake_bundle(tmp_path, gui=True), tmp_path / "deb", "1.2.3")

    for launcher in ("tolk", "tolk-gui"):
        link = root / "usr" / "bin" / launcher
        assert link.is_symlink() and not link.readlink().is_absolute()
        assert link.resolve() == (root / "opt" / "tolk" / launcher).resolve()
    assert (root / "usr/share/applications/tolk.desktop").read_text().count("Exec=tolk-gui") == 1
    assert (root / "usr/share/icons/hicolor/256x256/apps/tolk.png").is_file()
    assert (root / "usr/share/icons/hicolor/scalable/apps/tolk.svg").is_file()
    fields = _control_fields((root / "DEBIAN" / "control").read_text(encoding="utf-8"))
    assert fields["Package"] == "tolk" and fields["Version"] == "1.2.3"
    assert fields["Depends"] == "libc6 (>= 2.17)"  # the fake bundle holds no ELF binaries
    assert int(fields["Installed-Size"]) >= 1


def test_cli_only_deb_has_no_menu_entry(installers: ModuleType, tmp_path: Path) -> None:
    root = installers.stage_deb_tree(_fake_bundle(tmp_path, gui=False), tmp_path / "deb", "1.0")

    assert not (root / "usr" / "share" / "applications").exists()
    assert (root / "usr" / "bin" / "tolk").is_symlink()


def test_depends_names_the_package_of_each_library_qt_loads_from_the_system(
    installers: ModuleType, bundle_checks: ModuleType
) -> None:
    needs = bundle_checks.SystemRequirements("2.35", frozenset({
        "libc.so.6", "libm.so.6", "libxcb-cursor.so.0", "libEGL.so.1", "libxkbcommon-x11.so.0",
        "libfontconfig.so.1", "libdbus-1.so.3", "libglib-2.0.so.0", "libgthread-2.0.so.0",
    }))

    assert installers.debian_depends(needs) == [
        "libc6 (>= 2.35)", "libdbus-1-3", "libegl1", "libfontconfig1",
        "libglib2.0-0t64 | libglib2.0-0", "libxcb-cursor0", "libxkbcommon-x11-0",
    ]


def test_libraries_the_table_lacks_are_looked_up_on_the_build_machine(
    installers: ModuleType, bundle_checks: ModuleType
) -> None:
    # What a desktop machine's build needed beyond the table in issue 10.
    needs = bundle_checks.SystemRequirements("2.36", frozenset({
        "libc.so.6", "libEGL.so.1", "libglib-2.0.so.0", "libXi.so.6", "libgobject-2.0.so.0",
    }))
    dpkg = {"libXi.so.6": "libxi6", "libgobject-2.0.so.0": "libglib2.0-0"}
    asked: list[str] = []

    def lookup(library: str) -> str | None:
        asked.append(library)
        return dpkg.get(library)

    assert installers.debian_depends(needs, lookup) == [
        "libc6 (>= 2.36)", "libegl1", "libglib2.0-0t64 | libglib2.0-0", "libxi6",
    ]
    assert sorted(asked) == ["libXi.so.6", "libgobject-2.0.so.0"]  # the table answers first


def test_a_library_no_one_can_map_is_named_in_a_warning_and_left_out(
    installers: ModuleType, bundle_checks: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    needs = bundle_checks.SystemRequirements("2.35", frozenset({
        "libvulkan.so.1", "libxkbcommon.so.0", "libfoo.so.2",
    }))

    depends = installers.debian_depends(needs, lambda library: None)

    assert depends == ["libc6 (>= 2.35)", "libxkbcommon0"]
    warning = capsys.readouterr().err
    assert "libfoo.so.2, libvulkan.so.1" in warning and "SYSTEM_PACKAGES" in warning


@pytest.mark.skipif(
    shutil.which("dpkg-query") is None
    or not (shutil.which("ldconfig") or Path("/sbin/ldconfig").is_file()),
    reason="needs a Debian-like system (dpkg-query, ldconfig)",
)
def test_the_build_machines_dpkg_names_the_package_of_a_library(installers: ModuleType) -> None:
    # zlib is on every Debian and Ubuntu (Python links it), under this package name on all.
    assert installers.installed_package("libz.so.1") == "zlib1g"
    assert installers.installed_package("libtolk-not-installed.so.1") is None


@pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="needs dpkg-deb")
def test_deb_files_belong_to_root(installers: ModuleType, tmp_path: Path) -> None:
    deb = installers.build_deb(_fake_bundle(tmp_path, gui=True), tmp_path, "1.0", xz_level=1)

    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    assert listing and all(" root/root " in line for line in listing)
    assert any(line.endswith("./opt/tolk/tolk-gui") for line in listing)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a shell script for Linux")
def test_tarball_menu_entry_points_at_the_unpacked_copy_even_with_spaces(
    installers: ModuleType, tmp_path: Path
) -> None:
    unpacked = tmp_path / "Tolk Ünïcode copy"
    shutil.copytree(installers.LINUX, unpacked)
    shutil.copy2(installers.ICONS / "tolk.png", unpacked / "tolk.png")
    data_home = tmp_path / "data"
    env = {**os.environ, "XDG_DATA_HOME": str(data_home)}

    subprocess.run(["sh", str(unpacked / "install-desktop-entry.sh")], env=env, check=True,
                   capture_output=True)

    entry = (data_home / "applications" / "tolk.desktop").read_text(encoding="utf-8")
    assert f'Exec="{unpacked}/tolk-gui"' in entry.splitlines()
    assert "Name=Tolk" in entry.splitlines()
    assert (data_home / "icons/hicolor/256x256/apps/tolk.png").is_file()
