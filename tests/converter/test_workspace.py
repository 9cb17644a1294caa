"""Work folders of conversions: a converter that died leaves nothing behind for long."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from converter import workspace


def test_a_finished_or_failed_conversion_leaves_no_work_folder(tmp_path: Path) -> None:
    target = tmp_path / "opus-mt-en-de"
    with workspace.work_folder(target) as work:
        (work / "model.bin").write_bytes(b"weights")
        assert work.parent == tmp_path and work.name.startswith(".")
    with pytest.raises(RuntimeError), workspace.work_folder(target):
        raise RuntimeError("conversion failed")

    assert list(tmp_path.iterdir()) == []


def killed_in_work_folder(target: Path, step: str) -> Path:
    """Run a real converter process that opens a work folder for `target` and does `step`
    there (Python, with `work` and `target` defined); kill it outright; return its folder."""
    code = (
        "import sys, time; from pathlib import Path; from converter import workspace\n"
        "target = Path(sys.argv[1])\n"
        "with workspace.work_folder(target) as work:\n"
        f"    {step}; print(work, flush=True)\n"
        "    time.sleep(60)\n"
    )
    with subprocess.Popen([sys.executable, "-c", code, str(target)],
                          stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        folder = Path(process.stdout.readline().strip())
        process.kill()
    return folder


def test_the_next_conversion_removes_the_folder_of_a_killed_converter(tmp_path: Path) -> None:
    abandoned = killed_in_work_folder(
        tmp_path / "big-model", "(work / 'model.bin').write_bytes(bytes(1 << 20))"
    )
    assert (abandoned / "model.bin").is_file()  # nothing could clean up

    with workspace.work_folder(tmp_path / "other-model") as work:
        assert not abandoned.exists()
        assert work.is_dir()


def test_a_running_conversion_keeps_its_folder_when_another_starts(tmp_path: Path) -> None:
    with workspace.work_folder(tmp_path / "model") as running:
        (running / "model.bin").write_bytes(b"weights")
        with workspace.work_folder(tmp_path / "model") as second:
            assert second != running
            assert (running / "model.bin").is_file()


def test_a_folder_without_its_lock_is_kept_while_young_and_removed_when_old(
    tmp_path: Path,
) -> None:
    # A converter that made its folder but has not locked it yet, and one killed right there.
    young = tmp_path / ".model.converting-young"
    old = tmp_path / ".model.converting-old"
    young.mkdir()
    old.mkdir()
    long_ago = time.time() - 2 * 3600
    os.utime(old, (long_ago, long_ago))
    unrelated = tmp_path / ".hidden-user-folder"
    unrelated.mkdir()

    assert workspace.sweep_abandoned(tmp_path) == [old]
    assert young.is_dir() and unrelated.is_dir()


def test_a_package_being_replaced_comes_back_if_its_converter_died(tmp_path: Path) -> None:
    installed = tmp_path / "my-model"
    installed.mkdir()
    (installed / "model.bin").write_bytes(b"the user's model")
    # Killed between moving the installed package aside and renaming the new one in.
    killed_in_work_folder(installed, "target.rename(work / workspace.REPLACED)")
    assert not installed.exists()

    workspace.sweep_abandoned(tmp_path)

    assert (installed / "model.bin").read_bytes() == b"the user's model"
    assert [path.name for path in tmp_path.iterdir()] == ["my-model"]
