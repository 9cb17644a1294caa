"""Run the benchmarks once: every system on every model, each system in its own process."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import models
from bench.report import write_report

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "benchmark.json"
DOC = ROOT / "docs" / "BENCHMARKS.md"
SYSTEMS = ("tolk", "ct2", "hf")


def _machine() -> dict[str, Any]:
    cpu = platform.processor() or "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    import ctranslate2

    return {
        "cpu": cpu,
        "nproc": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "ctranslate2": ctranslate2.__version__,
        "platform": platform.platform(),
    }


def _run(mode: str, package: Path, checkpoint: Path, settings: dict[str, Any]) -> dict[str, Any]:
    print(f"  {mode} ...", flush=True)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.worker",
            mode,
            str(package),
            str(checkpoint),
            json.dumps(settings),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _bench_model(
    name: str, description: str, checkpoint: Path, package: Path, settings: dict[str, Any]
) -> dict[str, Any]:
    print(f"{name}:", flush=True)
    systems: dict[str, dict[str, Any]] = {
        system: _run(f"memory-{system}", package, checkpoint, settings) for system in SYSTEMS
    }
    speed = {
        **_run("speed", package, checkpoint, settings),
        **_run("speed-hf", package, checkpoint, settings),
    }
    for system, figures in speed.items():
        systems[system].update(figures)
    return {
        "description": description,
        "settings": settings,
        "checkpoint_weights_bytes": models.weights_size(checkpoint),
        "package_bytes": models.directory_size(package),
        "systems": systems,
    }


def main() -> int:
    started = time.perf_counter()
    work = Path(os.environ.get("TOLK_BENCH_WORK", Path(tempfile.gettempdir()) / "tolk-bench"))
    work.mkdir(parents=True, exist_ok=True)
    threads = os.cpu_count() or 1
    report: dict[str, Any] = {"machine": _machine(), "models": {}}

    print("building the opus-mt-en-de-shaped model (random weights) ...", flush=True)
    checkpoint = models.build_opus_shaped_checkpoint(work)
    package = models.convert(checkpoint, work / "opus-mt-en-de-shaped-int8", "en", "de", reuse=True)
    # HF float32 at beam 4 is the slow part: fewer repeats keep the whole run near 5 minutes.
    forced = {"threads": threads, "repeats": 7, "hf_repeats": 2, "beams": [4, 1], "min_length": 24}
    report["models"]["opus-mt-en-de-shaped"] = _bench_model(
        "opus-mt-en-de-shaped",
        "Random weights in the shape of Helsinki-NLP/opus-mt-en-de (d_model 512, 6 + 6 layers, "
        "8 heads, FFN 2048, vocabulary 58,101), with a strong bias to its end token so that a "
        "minimum length makes every system stop at exactly that length.",
        checkpoint,
        package,
        forced,
    )

    if (models.DEMO_CHECKPOINT / "config.json").is_file():
        print("converting the demo model ...", flush=True)
        demo_package = models.convert(
            models.DEMO_CHECKPOINT, work / "demo-en-fr-int8", "en", "fr", reuse=False
        )
        natural = {**forced, "min_length": 0}
        report["models"]["demo-en-fr"] = _bench_model(
            "demo-en-fr",
            "The trained English-French demo model of `models/demo-en-fr`.",
            models.DEMO_CHECKPOINT,
            demo_package,
            natural,
        )

    report["total_seconds"] = time.perf_counter() - started
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    write_report(report, DOC)
    seconds = report["total_seconds"]
    print(f"wrote {RESULTS.relative_to(ROOT)} and {DOC.relative_to(ROOT)} in {seconds:.0f} s")
    return 0
