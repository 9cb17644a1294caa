"""Start-up of the frozen app: windowed streams, CUDA library folders, the CLI's first run."""

from __future__ import annotations

import ctypes
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.app.manifests import write_fake_package


def test_windowed_app_without_console_streams_logs_to_a_file(
    tolk_runtime: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import platformdirs

    log_dir = tmp_path / "logs"
    monkeypatch.setattr(platformdirs, "user_log_dir", lambda *args, **kwargs: str(log_dir))
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)

    tolk_runtime.prepare(windowed=True)
    print("window opened")
    print("a warning", file=sys.stderr)
    assert sys.stdout is sys.stderr
    sys.stdout.close()

    logged = (log_dir / "tolk-gui.log").read_text(encoding="utf-8")
    assert logged == "window opened\na warning\n"


def test_console_streams_are_left_alone(
    tolk_runtime: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    tolk_runtime.prepare(windowed=True)
    print("to the console")
    assert capsys.readouterr().out == "to the console\n"


def test_cuda_folders_of_nvidia_wheels_are_found_when_shipped(
    tolk_runtime: ModuleType, tmp_path: Path
) -> None:
    assert tolk_runtime.cuda_library_dirs(tmp_path) == []
    subdir = "bin" if sys.platform == "win32" else "lib"
    for wheel in ("cublas", "cuda_runtime"):
        (tmp_path / "nvidia" / wheel / subdir).mkdir(parents=True)
    found = tolk_runtime.cuda_library_dirs(tmp_path)
    assert [path.parent.name for path in found] == ["cublas", "cuda_runtime"]


def test_cli_first_run_installs_the_bundled_demo_once(
    tolk_runtime: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundled = write_fake_package(tmp_path / "bundle" / "demo-en-fr")
    monkeypatch.setenv("TOLK_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TOLK_DEMO_PACKAGE", str(bundled))
    store = tmp_path / "home" / "models"

    tolk_runtime.install_demo_model()
    (store / "demo-en-fr" / "user-note.txt").write_text("kept", encoding="utf-8")
    tolk_runtime.install_demo_model()

    assert sorted(path.name for path in store.iterdir()) == ["demo-en-fr"]
    assert (store / "demo-en-fr" / "user-note.txt").read_text(encoding="utf-8") == "kept"


def test_cli_first_run_reports_a_store_it_cannot_write(
    tolk_runtime: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    bundled = write_fake_package(tmp_path / "bundle" / "demo-en-fr")
    blocker = tmp_path / "home"
    blocker.write_text("a file where the store's folder should be", encoding="utf-8")
    monkeypatch.setenv("TOLK_HOME", str(blocker))
    monkeypatch.setenv("TOLK_DEMO_PACKAGE", str(bundled))

    tolk_runtime.install_demo_model()

    assert "could not install the bundled demo model" in capsys.readouterr().err


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("gcc") is None,
                    reason="the Linux preload path, with gcc to make a stand-in library")
def test_shipped_cublas_is_found_by_soname_after_start(
    tolk_runtime: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library_dir = tmp_path / "nvidia" / "cublas" / "lib"
    library_dir.mkdir(parents=True)
    source = tmp_path / "stand_in.c"
    source.write_text("int tolk_stand_in_cublas(void) { return 12; }\n", encoding="utf-8")
    soname = "libcublasLt.so.12"
    subprocess.run(["gcc", "-shared", "-fPIC", f"-Wl,-soname,{soname}", "-o",
                    str(library_dir / soname), str(source)], check=True)
    (library_dir / "libcublas.so.12").write_bytes(b"not a library")

    tolk_runtime.add_cuda_library_dirs(tmp_path)

    # What CTranslate2 does when it needs cuBLAS: dlopen by soname, no path.
    assert ctypes.CDLL(soname).tolk_stand_in_cublas() == 12
    assert "CUDA library not loaded" in capsys.readouterr().err
