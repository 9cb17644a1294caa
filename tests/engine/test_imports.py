"""The layers hold: the installed app never loads torch, transformers or the converter, and the
engine and documents never load the GUI or Qt, whatever module is imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import desktop_app

_PROBE = """
import importlib, json, pkgutil, sys
import desktop_app
modules = pkgutil.walk_packages(desktop_app.__path__, "desktop_app.")
# __main__ modules run the program when imported; what they import is imported here anyway.
names = sorted(m.name for m in modules if not m.name.endswith("__main__"))
for name in names:
    importlib.import_module(name)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "transformers", "converter"))
print(json.dumps({"imported": names, "heavy": heavy}))
"""

# Each layer alone in a fresh interpreter: every module under it, then what it pulled in.
_LAYER_PROBE = """
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
for module in pkgutil.walk_packages(package.__path__, sys.argv[1] + "."):
    if not module.name.endswith("__main__"):
        importlib.import_module(module.name)
print(json.dumps(sorted(sys.modules)))
"""


ROOT = Path(desktop_app.__file__).resolve().parent.parent


def _fresh(tmp_path: Path, *args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", *args],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return completed.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize("layer", ["desktop_app.engine", "desktop_app.documents"])
def test_the_engine_and_documents_never_import_the_gui_or_qt(tmp_path: Path, layer: str) -> None:
    loaded = json.loads(_fresh(tmp_path, _LAYER_PROBE, layer))
    assert f"{layer}.runner" in loaded or f"{layer}.engine" in loaded
    assert [m for m in loaded if m.startswith(("desktop_app.gui", "PySide6", "shiboken6"))] == []


def test_no_desktop_app_module_imports_torch_transformers_or_the_converter(
    tmp_path: Path,
) -> None:
    report = json.loads(_fresh(tmp_path, _PROBE))
    assert "desktop_app.engine.engine" in report["imported"]
    assert report["heavy"] == []
