"""Start-up work of the frozen app, shared by the `tolk` and `tolk-gui` executables.

Runs before the app's entry point: makes multiprocessing children work when frozen, gives a
windowed process usable standard streams, puts shipped CUDA libraries on the search path,
and lets the CLI install the bundled demo model on first start (the window does its own).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import sys
from pathlib import Path

# cuBLAS as CTranslate2 asks for it on Linux, in load order (cublas depends on cublasLt);
# CTranslate2 links the CUDA runtime statically.
_CUBLAS_LINUX = ("libcublasLt.so.12", "libcublas.so.12")


def bundle_dir() -> Path | None:
    """The directory holding the frozen app's libraries and data; None when not frozen."""
    meipass = getattr(sys, "_MEIPASS", None)
    return Path(meipass) if getattr(sys, "frozen", False) and meipass else None


def prepare(*, windowed: bool) -> None:
    """Everything the frozen app needs before importing Tolk. Safe to call when not frozen."""
    multiprocessing.freeze_support()
    if windowed:
        _give_streams()
    bundle = bundle_dir()
    if bundle is not None:
        add_cuda_library_dirs(bundle)


def _give_streams() -> None:
    """A windowed executable has no console: sys.stdout/stderr are None on Windows and macOS.

    Writes to None raise, so `print` and tracebacks would crash the app; they go to a log
    file in the user's log directory instead (the place to look when the window never opens).
    """
    if sys.stdout is not None and sys.stderr is not None:
        return
    import platformdirs

    log_dir = Path(platformdirs.user_log_dir("tolk", appauthor=False))
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        log = (log_dir / "tolk-gui.log").open("a", encoding="utf-8", buffering=1)
    except OSError:
        log = Path(os.devnull).open("w", encoding="utf-8")  # noqa: SIM115 (lives as stdout)
    if sys.stdout is None:
        sys.stdout = log
    if sys.stderr is None:
        sys.stderr = log


def cuda_library_dirs(root: Path) -> list[Path]:
    """The library directories of the nvidia-* wheels shipped under `root` (may be empty)."""
    subdir = "bin" if sys.platform == "win32" else "lib"
    return sorted(path for path in root.glob(f"nvidia/*/{subdir}") if path.is_dir())


def add_cuda_library_dirs(bundle: Path) -> None:
    """Make the shipped CUDA libraries findable; without them CTranslate2 falls back to CPU.

    Windows searches directories added with os.add_dll_directory (and PATH for LoadLibrary
    without flags). glibc reads LD_LIBRARY_PATH only at process start, so on Linux the
    libraries are loaded here by path: a later dlopen by soname returns the loaded one.
    """
    for directory in cuda_library_dirs(bundle):
        if sys.platform == "win32":
            os.add_dll_directory(str(directory))
            os.environ["PATH"] = f"{directory}{os.pathsep}{os.environ.get('PATH', '')}"
            continue
        for soname in _CUBLAS_LINUX:
            library = directory / soname
            if library.is_file():
                try:
                    ctypes.CDLL(str(library), mode=ctypes.RTLD_GLOBAL)
                except OSError as exc:  # e.g. no NVIDIA driver: the engine reports CPU
                    print(f"tolk: CUDA library not loaded ({exc})", file=sys.stderr)


def install_demo_model() -> None:
    """On first start (an empty store), install the demo package shipped in the bundle.

    The first-run step the window takes (where it also greets the user), so the CLI alone
    works out of the box too. A store that cannot be written is reported; the CLI goes on.
    """
    from desktop_app.engine import ModelStore
    from desktop_app.gui.first_run import bundled_demo_candidates, install_bundled_demo

    try:
        install_bundled_demo(ModelStore(), bundled_demo_candidates())
    except OSError as exc:
        print(f"tolk: could not install the bundled demo model: {exc}", file=sys.stderr)
