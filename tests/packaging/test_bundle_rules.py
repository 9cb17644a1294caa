"""What goes into the frozen app: Qt plugins, system libraries, forbidden modules, stripping."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest


@pytest.mark.parametrize(
    ("destination", "kept"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", True),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", False),
        ("PySide6/Qt/plugins/platforms/libqvnc.so", False),
        ("PySide6/Qt/plugins/platformthemes/libqxdgdesktopportal.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("PySide6/Qt/plugins/imageformats/libqtiff.so", False),
        ("PySide6/Qt/plugins/sqldrivers/libqsqlite.so", False),
        ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
        ("PySide6/Qt/translations/qtbase_de.qm", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", True),
        ("PySide6/Qt/lib/libQt6Network.so.6", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", True),
        ("PySide6\\plugins\\imageformats\\qsvg.dll", True),
        ("PySide6\\plugins\\imageformats\\qwebp.dll", False),
        ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
        ("PySide6\\Qt6Widgets.dll", True),
        ("PySide6\\Qt6Network.dll", False),
        ("PySide6\\opengl32sw.dll", False),
        ("desktop_app/engine/tolk.schema.json", True),
        ("models/demo-en-fr/model.bin", True),
    ],
)
def test_only_the_qt_files_the_app_uses_are_kept(
    bundle_rules: ModuleType, destination: str, kept: bool
) -> None:
    assert bundle_rules.keep_file(destination) is kept


@pytest.mark.parametrize(
    ("library", "kept"),
    [
        ("libpython3.11.so.1.0", True),
        ("libffi.so.8", True),
        ("libexpat.so.1", True),
        ("libX11.so.6", False),
        ("libxcb-cursor.so.0", False),
        ("libglib-2.0.so.0", False),
        ("libfontconfig.so.1", False),
        ("libstdc++.so.6", False),
        ("libmd.so.0", False),
    ],
)
def test_desktop_system_libraries_come_from_the_linux_system(
    bundle_rules: ModuleType, monkeypatch: pytest.MonkeyPatch, library: str, kept: bool
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    assert bundle_rules.keep_file(library) is kept
    monkeypatch.setattr(sys, "platform", "darwin")
    assert bundle_rules.keep_file(library) is True


def test_forbidden_modules_are_found_by_their_top_package(bundle_rules: ModuleType) -> None:
    assert bundle_rules.forbidden_module("torch.nn.functional") == "torch"
    assert bundle_rules.forbidden_module("transformers") == "transformers"
    assert bundle_rules.forbidden_module("tests.fixtures.checkpoints") == "tests"
    assert bundle_rules.forbidden_module("converter.pipeline") is None  # torch-free: it ships
    assert bundle_rules.forbidden_module("desktop_app.engine") is None
    assert bundle_rules.forbidden_module("torchlike") is None


def test_scan_reports_forbidden_files_beside_the_executables(
    bundle_checks: ModuleType, tmp_path: Path
) -> None:
    internal = tmp_path / "tolk" / "_internal"
    for name in ("torch", "transformers-4.57.0.dist-info", "tests", "desktop_app", "PySide6"):
        (internal / name).mkdir(parents=True)
    for name in ("libtorch_cpu.so", "safetensors.abi3.so", "libpython3.11.so.1.0"):
        (internal / name).write_bytes(b"")
    problems = bundle_checks.forbidden_content(tmp_path / "tolk")
    flagged = sorted(problem.rsplit("/", 1)[-1] for problem in problems)
    assert flagged == sorted([
        "torch", "transformers-4.57.0.dist-info", "tests", "libtorch_cpu.so", "safetensors.abi3.so",
    ])


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("gcc") is None
                    or shutil.which("strip") is None, reason="needs gcc and strip (Linux)")
def test_strip_shrinks_libraries_which_still_load_and_leaves_executables(
    bundle_checks: ModuleType, tmp_path: Path
) -> None:
    bundle = tmp_path / "tolk"
    (bundle / "_internal").mkdir(parents=True)
    source = tmp_path / "answer.c"
    source.write_text("int answer(void) { return 42; }\n", encoding="utf-8")
    library = bundle / "_internal" / "libanswer.so"
    subprocess.run(["gcc", "-g", "-shared", "-fPIC", "-o", str(library), str(source)], check=True)
    # An executable stands in for PyInstaller's: its archive is appended after the ELF image.
    executable = bundle / "tolk"
    executable.write_bytes(library.read_bytes() + b"appended python archive")
    executable.chmod(0o755)
    before = library.stat().st_size

    saved = bundle_checks.strip_binaries(bundle)

    assert saved == before - library.stat().st_size > 0
    assert ctypes.CDLL(str(library)).answer() == 42
    assert executable.read_bytes().endswith(b"appended python archive")


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("strip") is None,
                    reason="needs strip (Linux)")
def test_strip_leaves_a_library_it_would_make_unloadable(
    bundle_checks: ModuleType, tmp_path: Path
) -> None:
    """numpy's OpenBLAS (rewritten by patchelf in the wheel) comes out of GNU strip with
    segments the loader refuses; the bundle keeps it unstripped, and loadable."""
    import numpy

    (openblas,) = (Path(numpy.__file__).parent.parent / "numpy.libs").glob("libscipy_openblas*")
    bundle = tmp_path / "tolk"
    (bundle / "_internal" / "numpy.libs").mkdir(parents=True)
    copy = bundle / "_internal" / "numpy.libs" / openblas.name
    shutil.copyfile(openblas, copy)
    subprocess.run(["strip", "--strip-unneeded", "-o", str(tmp_path / "stripped.so"),
                    str(openblas)], check=True)
    assert not bundle_checks.segments_loadable(tmp_path / "stripped.so")  # the premise

    bundle_checks.strip_binaries(bundle)

    assert copy.read_bytes() == openblas.read_bytes()
    assert bundle_checks.segments_loadable(copy)


@pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("gcc") is None
                    or shutil.which("nm") is None, reason="needs gcc and nm (Linux)")
def test_blas_stub_keeps_numpy_importable_and_refuses_blas(tmp_path: Path) -> None:
    """numpy with the stub: imports (its import-time dot product is real), casts and
    quantizes as the converter does, and a matrix product aborts with the stub's message."""
    import numpy

    from tests.packaging.conftest import packaging_module

    site = Path(numpy.__file__).parent.parent
    bundle = tmp_path / "tolk"
    internal = bundle / "_internal"
    shutil.copytree(site / "numpy", internal / "numpy")
    shutil.copytree(site / "numpy.libs", internal / "numpy.libs")
    saved, note = packaging_module("blas_stub").replace_numpy_blas(bundle)
    assert saved > 20_000_000 and "stub" in note
    assert [path.name for path in (internal / "numpy.libs").iterdir()] == [
        next(site.glob("numpy.libs/libscipy_openblas*")).name
    ]
    env = {**os.environ, "PYTHONPATH": str(internal)}
    works = subprocess.run(
        [sys.executable, "-c", "import numpy as np; x = np.arange(6, dtype=np.float32)"
         ".reshape(2, 3); print(np.rint(x * (127 / np.amax(np.abs(x), axis=1))[:, None])"
         ".astype(np.int8).tolist(), x.astype(np.float16).dtype)"],
        env=env, capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert works.returncode == 0, works.stderr
    assert works.stdout.split()[-1] == "float16"
    refused = subprocess.run(
        [sys.executable, "-c", "import numpy as np; np.ones((64, 64)) @ np.ones((64, 64))"],
        env=env, capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert refused.returncode != 0
    assert "this build ships numpy without BLAS" in refused.stderr
