"""Build the frozen Tolk app and its Linux installers.

    python packaging/build.py [--dist DIR] [--work DIR] [--demo-checkpoint DIR]
                              [--skip-installers] [--quick]

Steps: convert the demo model (int8) into a package, freeze the app with packaging/tolk.spec,
cut Qt's ICU data to what Qt reads and strip the shared libraries (Linux), scan the bundle for
forbidden modules, then pack the `.tar.gz` and `.deb` (Linux). Sizes are printed and written
to DIST/build-report.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import blas_stub  # noqa: E402 (packaging/ is not a package: its name is taken on PyPI)
import bundle_checks  # noqa: E402
import icu_data  # noqa: E402
import installers  # noqa: E402

from desktop_app import __version__  # noqa: E402

DEMO_NAME = "demo-en-fr"
DEMO_CHECKPOINT = ROOT / "models" / DEMO_NAME


class BuildError(RuntimeError):
    """A build step failed; the message says which and why."""


def _run(command: list[str], **kwargs: object) -> None:
    print("+ " + " ".join(command), flush=True)
    result = subprocess.run(command, check=False, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        raise BuildError(f"exit code {result.returncode} from: {' '.join(command[:5])} ...")


def _fingerprint(checkpoint: Path) -> str:
    """Identifies a checkpoint's files (not its sub-folders, e.g. the recipe) by name, size
    and modification time."""
    digest = hashlib.sha256()
    for path in sorted(checkpoint.iterdir()):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


def demo_checkpoint(work: Path, checkpoint: Path) -> tuple[Path, str]:
    """The checkpoint the bundled demo model is made from, and a fingerprint of it.

    `checkpoint` (the trained demo in models/demo-en-fr) when it is there; otherwise the tiny
    Marian test fixture (random weights, English to German: the bundle works end to end,
    its translations are noise).
    """
    if (checkpoint / "config.json").is_file():
        return checkpoint, _fingerprint(checkpoint)
    fixture = work / "fixture-checkpoint"
    built = fixture / "marian-tiny"
    if not (built / "config.json").is_file():
        print(f"no demo checkpoint in {DEMO_CHECKPOINT}: using the tiny test fixture", flush=True)
        shutil.rmtree(fixture, ignore_errors=True)
        fixture.mkdir(parents=True)
        code = (
            "import sys; from pathlib import Path; from tests.fixtures.checkpoints import "
            "build_checkpoint; print(build_checkpoint('marian', Path(sys.argv[1])))"
        )
        _run([sys.executable, "-c", code, str(fixture)], cwd=ROOT)
        found = [path.parent for path in fixture.rglob("config.json")]
        if len(found) != 1:
            raise BuildError(f"the fixture factory made {len(found)} checkpoints in {fixture}")
        found[0].rename(built)
    return built, "fixture:" + _fingerprint(built)


def convert_demo_model(work: Path, source: Path) -> Path:
    """Convert the demo checkpoint (int8) into work/models/demo-en-fr; reused while unchanged."""
    checkpoint, fingerprint = demo_checkpoint(work, source)
    models = work / "models"
    package = models / DEMO_NAME
    stamp = work / "demo-model.stamp"
    if (package / "tolk.json").is_file() and stamp.is_file() and stamp.read_text() == fingerprint:
        print(f"demo model package up to date: {package}", flush=True)
        return models
    shutil.rmtree(package, ignore_errors=True)
    models.mkdir(parents=True, exist_ok=True)
    _run(
        [sys.executable, "-m", "converter", str(checkpoint), "--name", DEMO_NAME,
         "--quantization", "int8", "--output", str(package)],
        cwd=ROOT,
    )
    stamp.write_text(fingerprint)
    return models


def compile_translations(work: Path) -> Path:
    """Compile the interface translations (desktop_app/gui/i18n/*.ts) into work/i18n/*.qm.

    Built here, not taken from the source tree, where a .qm is a build product that may be
    missing or older than its .ts.
    """
    # The scripts folder of this Python: bin/ of a virtual environment, Scripts\ of a Windows
    # installation (not the folder of python.exe).
    scripts = sysconfig.get_path("scripts")
    lrelease = shutil.which("pyside6-lrelease", path=scripts)
    if lrelease is None:
        raise BuildError(f"pyside6-lrelease not found in {scripts}: install PySide6 there")
    output = work / "i18n"
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(parents=True)
    for source in sorted((ROOT / "desktop_app" / "gui" / "i18n").glob("*.ts")):
        _run([lrelease, "-silent", str(source), "-qm", str(output / f"{source.stem}.qm")])
    return output


def freeze(models: Path, translations: Path, dist: Path, work: Path) -> Path:
    """Run PyInstaller on tolk.spec; returns the one-folder bundle directory."""
    command = [
        sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
        "--distpath", str(dist), "--workpath", str(work / "pyinstaller"),
        str(HERE / "tolk.spec"), "--", "--models", str(models), "--translations", str(translations),
    ]
    _run(command, cwd=ROOT)
    return dist / "tolk"


def build(
    dist: Path, work: Path, checkpoint: Path, *, skip_installers: bool, quick: bool
) -> dict[str, object]:
    """All steps; returns the report (sizes in bytes, paths, seconds per step)."""
    seconds: dict[str, float] = {}
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.monotonic()
        seconds[step] = round(now - clock, 1)
        clock = now

    models = convert_demo_model(work, checkpoint)
    lap("model")
    bundle = freeze(models, compile_translations(work), dist, work)
    lap("freeze")
    icu_saved, blas_saved, stripped, openmp_saved = 0, 0, 0, 0
    # Linux only: only PySide6's Linux wheels ship ICU, and GNU strip is for ELF files (the
    # macOS and Windows toolchains sign or strip binaries themselves).
    if sys.platform.startswith("linux"):
        icu_saved, icu_note = icu_data.trim_bundle(bundle)
        print(f"ICU data: {icu_note}", flush=True)
        blas_saved, blas_note = blas_stub.replace_numpy_blas(bundle)
        print(f"BLAS: {blas_note}", flush=True)
        stripped = bundle_checks.strip_binaries(bundle)
        openmp_saved = bundle_checks.share_openmp_runtime(bundle)
    problems = bundle_checks.forbidden_content(bundle)
    if problems:
        raise BuildError("forbidden content in the bundle:\n  " + "\n  ".join(problems))
    lap("strip_and_scan")
    report: dict[str, object] = {
        "version": __version__,
        "demo_model": "checkpoint" if (checkpoint / "config.json").is_file() else "fixture",
        "bundle": str(bundle),
        "bundle_bytes": bundle_checks.tree_size(bundle),
        "model_bytes": bundle_checks.tree_size(models),
        "icu_data_bytes_saved": icu_saved,
        "blas_bytes_saved": blas_saved,
        "openmp_bytes_saved": openmp_saved,
        "stripped_bytes_saved": stripped,
    }
    if not skip_installers and sys.platform.startswith("linux"):
        tarball = installers.build_tarball(bundle, dist, __version__)
        lap("tarball")
        deb = installers.build_deb(bundle, dist, __version__, xz_level=1 if quick else 6)
        lap("deb")
        report.update(tarball=str(tarball), tarball_bytes=tarball.stat().st_size,
                      deb=str(deb), deb_bytes=deb.stat().st_size)
    report["seconds"] = seconds
    return report


def _megabytes(num_bytes: object) -> str:
    return f"{int(str(num_bytes)) / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="output folder for the bundle and installers (default: dist/)")
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for intermediate files (default: DIST/.work)")
    parser.add_argument("--demo-checkpoint", type=Path, default=DEMO_CHECKPOINT,
                        help="HF checkpoint of the bundled demo model (default: models/demo-en-fr)")
    parser.add_argument("--skip-installers", action="store_true",
                        help="stop after the bundle (no .tar.gz or .deb)")
    parser.add_argument("--quick", action="store_true",
                        help="fast .deb compression (test builds): 5x faster, 15%% larger")
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    work = (args.work or dist / ".work").resolve()
    work.mkdir(parents=True, exist_ok=True)
    try:
        report = build(dist, work, args.demo_checkpoint.resolve(),
                       skip_installers=args.skip_installers, quick=args.quick)
    except (BuildError, icu_data.IcuDataError, ValueError) as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as exc:
        print(f"build failed: {exc}\n{exc.stderr or ''}", file=sys.stderr)
        return 1
    (dist / "build-report.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"tolk {report['version']}, demo model from the {report['demo_model']}")
    for key in ("bundle", "tarball", "deb"):
        if key in report:
            print(f"  {key:8} {_megabytes(report[key + '_bytes']):>10}  {report[key]}")
    steps = report["seconds"]
    assert isinstance(steps, dict)
    print(f"  built in {sum(steps.values()):.0f} s: "
          + ", ".join(f"{step} {value} s" for step, value in steps.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
