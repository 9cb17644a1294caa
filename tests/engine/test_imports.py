"""The installed app never loads torch or transformers, whatever module is imported."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import desktop_app

_PROBE = """
import importlib, json, pkgutil, sys
import desktop_app
modules = pkgutil.walk_packages(desktop_app.__path__, "desktop_app.")
# __main__ modules run the program when imported; what they import is imported here anyway.
names = sorted(m.name for m in modules if not m.name.endswith("__main__"))
for name in names:
    importlib.import_module(name)
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("torch", "transformers"))
print(json.dumps({"imported": names, "heavy": heavy}))
"""


def test_no_desktop_app_module_imports_torch_or_transformers(tmp_path: Path) -> None:
    root = Path(desktop_app.__file__).resolve().parent.parent
    completed = subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=tmp_path,
        env={"PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen", "PATH": ""},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert "desktop_app.engine.engine" in report["imported"]
    assert report["heavy"] == []
