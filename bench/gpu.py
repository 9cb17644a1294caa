"""The CUDA check: one script that runs in a few minutes on a machine with an NVIDIA GPU.

    python -m bench.gpu [--package DIR ...] [--dry-run] [--out FILE]

For each model package (by default the demo model and the opus-mt-en-de-shaped model, both
converted here; or the packages given with --package, which needs no converter) it prints and
writes as JSON: the device probe's verdict, which compute types load on the device, throughput
at beam 4 and greedy (target tokens per second, 64 sentences per call, median of a few runs),
streaming time to the first token and per token, and the device memory at its peak (sampled
with nvidia-smi while the model runs).

`--dry-run` runs every step on CPU, small (4 sentences, two compute types, one repeat): the
way CI checks the script itself where there is no GPU. The figures of a real run go into
docs/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as `python bench/gpu.py`

from bench.sentences import SENTENCES  # noqa: E402

BATCH = 64  # sentences per call
CUDA_TYPES = ("float16", "int8_float16", "bfloat16", "int8_bfloat16", "int8", "float32")
CPU_TYPES = ("int8", "int8_float32", "float32")
STREAMED = SENTENCES[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.gpu", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--package", type=Path, action="append", default=[],
                        help="a converted model package (repeatable); default: convert two")
    parser.add_argument("--dry-run", action="store_true", help="every step on CPU, once")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per figure")
    parser.add_argument("--out", type=Path, help="also write the report here as JSON")
    args = parser.parse_args(argv)
    repeats = 1 if args.dry_run else args.repeats
    batch = 4 if args.dry_run else BATCH
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tolk-gpu-") as work:
        packages = args.package or _default_packages(Path(work))
        report = {
            "dry_run": args.dry_run,
            "models": {
                path.name: _bench(path, args.dry_run, repeats, batch) for path in packages
            },
        }
    report["seconds"] = round(time.perf_counter() - started, 1)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.out is not None:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


def _default_packages(work: Path) -> list[Path]:
    from bench import models

    opus = models.convert(models.build_opus_shaped_checkpoint(work), work / "opus-mt-en-de-shaped",
                          "en", "de", reuse=False)
    demo = models.convert(models.DEMO_CHECKPOINT, work / "demo-en-fr", "en", "fr", reuse=False)
    return [opus, demo]


def _bench(path: Path, dry_run: bool, repeats: int, batch: int) -> dict[str, Any]:
    from desktop_app.engine import Engine, ModelPackage
    from desktop_app.engine.device import choose
    from desktop_app.errors import TolkError

    package = ModelPackage.open(path)
    wanted = "cpu" if dry_run else "auto"
    probe = choose(wanted, "auto", package.path, package.manifest.quantization)
    result: dict[str, Any] = {
        "device": probe.device, "probe": probe.reason, "auto_compute_type": probe.compute_type,
        "compute_types": {}, "throughput": {}, "streaming": {},
    }
    print(f"{package.name}: {probe.device} ({probe.reason})", file=sys.stderr, flush=True)
    types = CUDA_TYPES if probe.device == "cuda" else CPU_TYPES
    for compute_type in ("int8", "float32") if dry_run else types:
        try:
            with _peak_device_memory(probe.device) as peak, Engine(
                package, device=probe.device, compute_type=compute_type
            ) as engine:
                result["throughput"][compute_type] = {
                    f"beam{beam}_tokens_per_s": _tokens_per_second(engine, beam, repeats, batch)
                    for beam in (4, 1)
                }
                result["streaming"][compute_type] = _streaming(engine, repeats)
        except TolkError as error:
            result["compute_types"][compute_type] = f"does not load: {error}"
            continue
        result["compute_types"][compute_type] = "loads"
        result["throughput"][compute_type]["peak_device_memory_mib"] = peak.get("mib")
        print(f"  {compute_type}: {result['throughput'][compute_type]}", file=sys.stderr,
              flush=True)
    return result


def _options(beam: int) -> Any:
    from desktop_app.engine import TranslationOptions

    # One call for the whole batch, and no cache: every run decodes everything.
    return TranslationOptions(beam_size=beam, max_batch_tokens=65536, use_cache=False)


def _tokens_per_second(engine: Any, beam: int, repeats: int, batch: int) -> float:
    text = "\n".join(SENTENCES[index % len(SENTENCES)] + f" ({index})" for index in range(batch))
    options = _options(beam)
    engine.translate(text, options=options)  # warm-up
    rates = []
    for _ in range(repeats):
        result = engine.translate(text, options=options)
        rates.append(result.target_tokens / result.seconds)
    return round(statistics.median(rates), 1)


def _streaming(engine: Any, repeats: int) -> dict[str, float]:
    from desktop_app.engine import SegmentDelta

    firsts, per_token = [], []
    for _ in range(repeats + 1):  # the first run warms up
        started = time.perf_counter()
        stamps = []
        with engine.stream(STREAMED, options=_options(1)) as events:
            for event in events:
                if isinstance(event, SegmentDelta):
                    stamps.append(time.perf_counter() - started)
        firsts.append(stamps[0])
        per_token.append((stamps[-1] - stamps[0]) / max(1, len(stamps) - 1))
    return {
        "first_token_ms": round(statistics.median(firsts[1:]) * 1000, 2),
        "per_token_ms": round(statistics.median(per_token[1:]) * 1000, 3),
    }


@contextmanager
def _peak_device_memory(device: str) -> Iterator[dict[str, float]]:
    """Samples the GPU's used memory every 50 ms while the block runs; `mib` is the peak
    above what was used before (absent on CPU or without nvidia-smi)."""
    found: dict[str, float] = {}
    smi = shutil.which("nvidia-smi")
    if device != "cuda" or smi is None:
        yield found
        return

    def used() -> float:
        output = subprocess.run(
            [smi, "--query-gpu=memory.used", "--format=csv,noheader,nounits", "--id=0"],
            capture_output=True, text=True, check=True,
        ).stdout
        return float(output.split()[0])

    baseline, samples, stop = used(), [], threading.Event()

    def sample() -> None:
        while not stop.wait(0.05):
            samples.append(used())

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        stop.set()
        thread.join()
        found["mib"] = round(max(samples, default=baseline) - baseline, 1)


if __name__ == "__main__":
    sys.exit(main())
