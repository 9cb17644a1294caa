"""Access to the build scripts in packaging/ (a folder of scripts, not an importable package:
its name is taken by the PyPI `packaging` library)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

PACKAGING_DIR = Path(__file__).resolve().parents[2] / "packaging"
DIST_ENV = "TOLK_PACKAGING_DIST"


def packaging_module(name: str) -> ModuleType:
    """Import packaging/<name>.py or packaging/launchers/<name>.py (with their siblings)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(PACKAGING_DIR))
        patch.syspath_prepend(str(PACKAGING_DIR / "launchers"))
        return importlib.import_module(name)


@pytest.fixture(scope="session")
def bundle_rules() -> ModuleType:
    return packaging_module("bundle_rules")


@pytest.fixture(scope="session")
def bundle_checks() -> ModuleType:
    return packaging_module("bundle_checks")


@pytest.fixture(scope="session")
def installers() -> ModuleType:
    return packaging_module("installers")


@pytest.fixture(scope="session")
def tolk_runtime() -> ModuleType:
    return packaging_module("tolk_runtime")


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen app and its installers, built once per test run (minutes): every test of
    the bundle shares it. $TOLK_PACKAGING_DIST names an existing `build.py --dist` output."""
    given = os.environ.get(DIST_ENV)
    if given:
        if not (Path(given) / "build-report.json").is_file():
            pytest.fail(f"{DIST_ENV}={given} holds no build: run "
                        f"`python packaging/build.py --dist {given}` first")
        return Path(given)
    target = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, str(PACKAGING_DIR / "build.py"), "--dist", str(target), "--quick"],
        capture_output=True, text=True, timeout=1200, check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"build failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    # e.g. libraries without a Debian package: reported, not fatal (packaging/installers.py)
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    if warnings:
        print("\nbuild " + "\n".join(warnings))
    return target
