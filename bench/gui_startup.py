"""Cold start of the desktop app: a fresh interpreter until the main window is shown.

`python -m bench.gui_startup [--runs 5] [--tolk-home DIR]` starts the app offscreen in a new
process each run and reports the median and every run as one JSON line. The clock starts
before the process is spawned and stops when the child reports that its window is on screen,
so interpreter start-up and every import count.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_S = 1.5
CHILD = """
from PySide6.QtWidgets import QApplication
from desktop_app.gui import build_main_window
window = build_main_window()
window.show()
QApplication.processEvents()
print("shown", flush=True)
window.close()
"""


def cold_start(environment: dict[str, str]) -> float:
    """Seconds from spawning the process to its window being shown."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=environment, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True,
    )
    assert child.stdout is not None
    for line in child.stdout:
        if line.strip() == "shown":
            elapsed = time.perf_counter() - started
            break
    else:
        child.wait()
        raise RuntimeError(f"the app exited with code {child.returncode} before showing a window")
    child.wait(timeout=60)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gui_startup", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tolk-home", type=Path, help="store and settings (default: TOLK_HOME)")
    args = parser.parse_args(argv)
    environment = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if args.tolk_home:
        environment["TOLK_HOME"] = str(args.tolk_home)
    runs = [cold_start(environment) for _ in range(args.runs)]
    median = statistics.median(runs)
    print(json.dumps({
        "benchmark": "gui_cold_start",
        "median_s": round(median, 3),
        "runs_s": [round(run, 3) for run in runs],
        "target_s": TARGET_S,
        "within_target": median <= TARGET_S,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
