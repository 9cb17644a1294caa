"""How the app starts its converter: a child process of the same installation.

From a Python installation it is `python -m converter`; in the frozen app, whose executables
cannot run modules, it is the bundled `tolk convert`, which converts in its own process
(without torch, as the frozen app ships none).
"""

from __future__ import annotations

import sys
from pathlib import Path


def frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def converter_command() -> list[str]:
    """The argv that runs the converter with its arguments appended."""
    if frozen():
        # Beside the windowed executable: the console one, which has the `convert` command.
        cli = Path(sys.executable).with_name("tolk.exe" if sys.platform == "win32" else "tolk")
        return [str(cli), "convert"]
    return [sys.executable, "-m", "converter"]
