"""The installed app's converter: the demo checkpoint converted where torch cannot be imported.

A child interpreter with torch, transformers, safetensors and huggingface_hub blocked runs
`python -m converter`, as the frozen app does (it ships none of them). Its package must equal
the reference converter's byte for byte and pass the runtime check.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.engine import ModelPackage
from tests.converter.test_native import assert_same_package
from tests.models.conftest import CHECKPOINT

# Runs the converter with the heavy packages made unimportable (None in sys.modules).
BLOCKED_RUN = (
    "import sys, runpy\n"
    "for name in ('torch', 'transformers', 'safetensors', 'huggingface_hub'):\n"
    "    sys.modules[name] = None\n"
    "sys.argv = ['converter', *sys.argv[1:]]\n"
    "try:\n"
    "    runpy.run_module('converter', run_name='__main__')\n"
    "finally:\n"
    "    loaded = [n for n in ('torch', 'transformers') if sys.modules.get(n) is not None]\n"
    "    assert not loaded, loaded\n"
)


@pytest.mark.slow
@pytest.mark.parametrize("quantization", ["float32", "int8"])
def test_demo_converts_without_torch_to_the_reference_package(
    quantization: str, packages: dict[str, ModelPackage], tmp_path: Path
) -> None:
    output = tmp_path / quantization
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            BLOCKED_RUN,
            str(CHECKPOINT),
            "--quantization",
            quantization,
            "--name",
            f"demo-{quantization}",
            "--output",
            str(output),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "runtime check passed" in done.stderr
    assert_same_package(output, packages[quantization].path)
    report = json.loads((output / "tolk.json").read_text(encoding="utf-8"))["verification"]
    assert report["check"] == "runtime"
    assert report["passed"] is True
    assert report["pieces_outside_vocabulary"] == []
    assert report["round_trip_mismatches"] == []
    # The two sentences in scripts the model never saw (Chinese, Korean) may ramble.
    assert report["ended_within_limit"] >= report["sentences"] - 2
