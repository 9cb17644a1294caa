"""PyInstaller hook for CTranslate2: its native libraries, without the converter side.

The wheels ship the core library outside the Python package on Linux (auditwheel puts it in
`site-packages/ctranslate2.libs`, found through the extension's `$ORIGIN/../ctranslate2.libs`
RPATH) and on macOS (delocate's `ctranslate2/.dylibs`), and as DLLs inside the package on
Windows (loaded by `ctranslate2/__init__.py` from the package directory). Each is collected
at the relative place the loader looks for it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PyInstaller.utils.hooks import collect_dynamic_libs, get_package_paths

# The app converts with its own loaders (converter/native.py) over CTranslate2's model specs,
# which need only numpy; `converters` (CTranslate2's loaders for torch, TensorFlow, ...) stays out.
excludedimports = ["ctranslate2.converters", "torch", "transformers"]
hiddenimports = [
    "ctranslate2._ext", "ctranslate2.extensions", "ctranslate2.logging", "ctranslate2.specs",
]

binaries = collect_dynamic_libs("ctranslate2")

_site_packages, _package_dir = (Path(p) for p in get_package_paths("ctranslate2"))
for _vendored in (_site_packages / "ctranslate2.libs", Path(_package_dir) / ".dylibs"):
    if _vendored.is_dir():
        _destination = _vendored.relative_to(_site_packages).as_posix()
        binaries += [(str(lib), _destination) for lib in sorted(_vendored.iterdir())
                     if lib.is_file()]

# CTranslate2 loads cuBLAS with dlopen/LoadLibrary when a CUDA device is used. When the build
# environment has the nvidia-* wheels, they are shipped at their wheel layout
# (nvidia/<name>/lib or bin); the launcher puts those directories on the search path.
# Without them (collect_dynamic_libs returns nothing) the bundle runs on CPU.
for _cuda_package in ("nvidia.cublas", "nvidia.cuda_runtime"):
    if importlib.util.find_spec("nvidia") is not None:
        binaries += collect_dynamic_libs(_cuda_package)
