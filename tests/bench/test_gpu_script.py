"""bench/gpu.py is run on a GPU machine only now and then: its dry run on CPU keeps it working."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.engine import ModelPackage

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_gpu_check_runs_every_step_on_cpu(
    ending_package: ModelPackage, tmp_path: Path
) -> None:
    out = tmp_path / "gpu.json"
    completed = subprocess.run(
        [sys.executable, "-m", "bench.gpu", "--dry-run", "--package", str(ending_package.path),
         "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, check=False,
    )

    assert completed.returncode == 0, completed.stderr
    (model,) = json.loads(out.read_text(encoding="utf-8"))["models"].values()
    assert model["device"] == "cpu" and model["probe"]
    assert model["compute_types"]["int8"] == "loads"
    for figures in model["throughput"].values():
        assert figures["beam4_tokens_per_s"] > 0 and figures["beam1_tokens_per_s"] > 0
    for latency in model["streaming"].values():
        assert latency["first_token_ms"] > 0 and latency["per_token_ms"] > 0
