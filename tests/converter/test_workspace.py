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


def test_the_next_conversion_removes_the_folder_of_a_killed_converter(tmp_path: Path) -> None:
    # A real converter process, killed outright in the middle of its work.
    code = (
        "import sys, time; from pathlib import Path; from converter import workspace\n"
        "with workspace.work_folder(Path(sys.argv[1])) as work:\n"
        "    (work / 'model.bin').write_bytes(bytes(1 << 20)); print(work, flush=True)\n"
        "    time.sleep(60)\n"
    )
    with subprocess.Popen([sys.executable, "-c", code, str(tmp_path / "big-model")],
                          stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        abandoned = Path(process.stdout.readline().strip())
        assert (abandoned / "model.bin").is_file()
        process.kill()
    assert abandoned.is_dir()  # nothing could clean up

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
    # Killed between moving the installed package aside and renaming the new one in.
    code = (
        "import sys, time; from pathlib import Path; from converter import workspace\n"
        "target = Path(sys.argv[1])\n"
        "with workspace.work_folder(target) as work:\n"
        "    target.rename(work / workspace.REPLACED); print(work, flush=True)\n"
        "    time.sleep(60)\n"
    )
    installed = tmp_path / "my-model"
    installed.mkdir()
    (installed / "model.bin").write_bytes(b"the user's model")
    with subprocess.Popen([sys.executable, "-c", code, str(installed)],
                          stdout=subprocess.PIPE, text=True) as process:
        assert process.stdout is not None
        process.stdout.readline()
        process.kill()
    assert not installed.exists()

    workspace.sweep_abandoned(tmp_path)

    assert (installed / "model.bin").read_bytes() == b"the user's model"
    assert [path.name for path in tmp_path.iterdir()] == ["my-model"]
