"""A converter whose parent died stops and installs nothing (issue 12, case 11)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import IO

import pytest

CONVERT_TIMEOUT_S = 120


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "TOLK_HOME": str(home), "PYTHONUNBUFFERED": "1"}


def test_the_watch_interrupts_the_main_thread_when_the_pipe_closes() -> None:
    # The portable half: what macOS and Windows rely on (no kernel signal there).
    code = (
        "import sys, time\n"
        "from converter.parent import ParentWatch\n"
        "watch = ParentWatch(); watch.start(sys.stdin.fileno())\n"
        "try:\n"
        "    print('watching', flush=True)\n"
        "    time.sleep(60)\n"
        "except KeyboardInterrupt:\n"
        "    print('stopped', watch.parent_gone, flush=True)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as child:
        assert child.stdin is not None and child.stdout is not None
        assert child.stdout.readline() == "watching\n"
        child.stdin.close()  # what the operating system does when the parent dies
        output = child.stdout.read()
        child.wait(timeout=30)
    assert output == "stopped True\n"


def _read_until(stream: IO[str], stage: str) -> None:
    """Read the converter's progress lines up to the one that starts `stage`."""
    for line in stream:
        if line.startswith(f"[{stage}]"):
            return
    raise AssertionError(f"the converter ended before stage {stage!r}")


@pytest.mark.slow
# Before torch loads, and in the middle of building the package in its work folder.
@pytest.mark.parametrize("stage", ["resolve", "convert"])
def test_killing_tolk_convert_stops_the_converter_before_it_installs(
    tmp_path: Path, tiny_checkpoints: dict[str, Path], stage: str
) -> None:
    command = [sys.executable, "-m", "desktop_app", "convert", str(tiny_checkpoints["marian"])]
    with subprocess.Popen(
        [*command, "--name", "mine"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
        text=True,
    ) as parent:
        assert parent.stderr is not None
        _read_until(parent.stderr, stage)
        os.kill(parent.pid, signal.SIGKILL)
        # The converter inherited stderr: its end of file means the converter has exited.
        rest = parent.stderr.read()
        parent.wait(timeout=CONVERT_TIMEOUT_S)

    assert "nothing was installed" in rest
    store = tmp_path / "models"
    assert not store.exists() or list(store.iterdir()) == []  # no package, no work folder


@pytest.mark.slow
def test_the_converter_stops_when_its_parents_pipe_closes(
    tmp_path: Path, tiny_checkpoints: dict[str, Path]
) -> None:
    # As on macOS and Windows: no kernel signal, the closed pipe alone stops the converter.
    command = [sys.executable, "-m", "converter", "--stop-with-parent", "--name", "mine"]
    with subprocess.Popen(
        [*command, str(tiny_checkpoints["marian"]), "--store", str(tmp_path / "models")],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
        text=True,
    ) as child:
        assert child.stdin is not None and child.stderr is not None
        assert child.stderr.readline().startswith("[resolve]")
        child.stdin.close()
        rest = child.stderr.read()
        child.wait(timeout=CONVERT_TIMEOUT_S)

    assert child.returncode != 0
    assert "nothing was installed" in rest
    assert not (tmp_path / "models" / "mine").exists()
