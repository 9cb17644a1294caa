"""Access to the build scripts in packaging/ (a folder of scripts, not an importable package:
its name is taken by the PyPI `packaging` library)."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import pytest

PACKAGING_DIR = Path(__file__).resolve().parents[2] / "packaging"


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
