"""Replace numpy's OpenBLAS in the Linux bundle with a stub library (26 MB saved).

The app uses numpy only in its converter, to read, cast, fuse and quantize weight arrays
element by element; the model math runs in CTranslate2. numpy's wheel links its core and
linalg extensions to a 23 MB OpenBLAS (with a 3 MB Fortran runtime) for matrix products and
linear algebra, which the app never calls. The stub defines every BLAS/LAPACK symbol those
extensions import, under the same file name and soname: the float dot products for real
(numpy checks one when it is imported), every other one prints which routine was called and
aborts, so a future use cannot go unnoticed (the bundle smoke test converts a model with the
stub in place).

Needs a C compiler and binutils' `nm`; without them the real library stays.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

_STUB_SOURCE = """\
#include <stdio.h>
#include <stdlib.h>

#include <stdint.h>

static void tolk_no_blas(const char *name) {
    fprintf(stderr, "tolk: numpy called %s, but this build ships numpy without BLAS "
                    "(packaging/blas_stub.py)\\n", name);
    abort();
}

/* numpy's import checks x.dot(x) on a float32 vector: the two dot products are real. */
float scipy_cblas_sdot64_(int64_t n, const float *x, int64_t incx, const float *y,
                          int64_t incy) {
    float sum = 0.0f;
    for (int64_t i = 0; i < n; ++i) sum += x[i * incx] * y[i * incy];
    return sum;
}

double scipy_cblas_ddot64_(int64_t n, const double *x, int64_t incx, const double *y,
                           int64_t incy) {
    double sum = 0.0;
    for (int64_t i = 0; i < n; ++i) sum += x[i * incx] * y[i * incy];
    return sum;
}
"""
IMPLEMENTED = ("scipy_cblas_sdot64_", "scipy_cblas_ddot64_")


def _defined(library: Path, nm: str) -> set[str]:
    listing = subprocess.run(
        [nm, "-D", "--defined-only", str(library)], capture_output=True, text=True, check=True
    ).stdout
    return {line.split()[-1] for line in listing.splitlines() if line.strip()}


def _imported(extensions: list[Path], nm: str) -> set[str]:
    names: set[str] = set()
    for extension in extensions:
        listing = subprocess.run(
            [nm, "-D", "--undefined-only", str(extension)], capture_output=True, text=True,
            check=True,
        ).stdout
        names.update(line.split()[-1] for line in listing.splitlines() if line.strip())
    return names


def _needs(path: Path, name: str) -> bool:
    """Whether the ELF file `path` lists `name` among its needed libraries."""
    listing = subprocess.run(
        ["readelf", "-d", str(path)], capture_output=True, text=True, check=False
    ).stdout
    return any("(NEEDED)" in line and f"[{name}]" in line for line in listing.splitlines())


def replace_numpy_blas(bundle: Path) -> tuple[int, str]:
    """Swap the bundle's numpy OpenBLAS for the stub; returns (bytes saved, what happened)."""
    libraries = sorted(bundle.glob("*/numpy.libs/libscipy_openblas*.so"))
    compiler, nm = shutil.which("cc") or shutil.which("gcc"), shutil.which("nm")
    if not libraries:
        return 0, "no numpy OpenBLAS in the bundle"
    if compiler is None or nm is None or shutil.which("readelf") is None:
        return 0, "kept numpy's OpenBLAS: no C compiler, nm or readelf to build the stub"
    (library,) = libraries
    numpy_dir = library.parent.parent / "numpy"
    extensions = [path for path in numpy_dir.rglob("*.so") if _needs(path, library.name)]
    symbols = sorted(_imported(extensions, nm) & _defined(library, nm) - set(IMPLEMENTED))
    source = _STUB_SOURCE + "".join(
        f'void {name}(void) {{ tolk_no_blas("{name}"); }}\n' for name in symbols
    )
    before = library.stat().st_size + sum(
        path.stat().st_size for path in library.parent.iterdir() if path != library
    )
    with tempfile.TemporaryDirectory() as work:
        source_path = Path(work) / "blas_stub.c"
        source_path.write_text(source, encoding="utf-8")
        stub = Path(work) / library.name
        subprocess.run(
            [compiler, "-shared", "-fPIC", "-O2", "-s", f"-Wl,-soname,{library.name}",
             "-o", str(stub), str(source_path)],
            check=True, capture_output=True,
        )
        shutil.copymode(library, stub)
        shutil.move(str(stub), library)
    # OpenBLAS's Fortran runtime: gone with it, unless something else in the bundle needs it.
    for runtime in sorted(library.parent.iterdir()):
        if runtime == library:
            continue
        users = [
            path for path in bundle.rglob("*.so*")
            if path.is_file() and not path.is_symlink() and _needs(path, runtime.name)
        ]
        if not users:
            runtime.unlink()
    after = sum(path.stat().st_size for path in library.parent.iterdir())
    return before - after, f"numpy's OpenBLAS replaced by a stub of {len(symbols)} routines"
