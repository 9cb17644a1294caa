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


@pytest.mark.slow
def test_installed_app_installs_from_the_hub(
    packages: dict[str, ModelPackage],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`tolk models install hf:OWNER/NAME` in the frozen app: fetched from a loopback hub
    (never the internet), converted without torch, installed, and the runtime check shown."""
    from desktop_app.cli import main
    from tests.fixtures.hub import FakeHub

    files = {
        path.name: path.read_bytes()
        for path in CHECKPOINT.iterdir()
        if path.is_file() and not path.name.startswith(".")
    }
    hub = FakeHub()
    try:
        hub.publish("tolk-demo/demo-en-fr", {**files, "convert.py": b"raise SystemExit"})
        monkeypatch.setattr(sys, "frozen", True, raising=False)
        monkeypatch.setenv("TOLK_HOME", str(tmp_path / "home"))
        monkeypatch.setenv("HF_ENDPOINT", hub.url)
        monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-cache"))
        assert main(["models", "install", "hf:tolk-demo/demo-en-fr"]) == 0
        fetched = {Path(path).name for path in hub.paths() if "/resolve/" in path}
    finally:
        hub.stop()
    assert "convert.py" not in fetched and "README.md" not in fetched
    assert {"model.safetensors", "config.json", "source.spm", "target.spm"} <= fetched
    installed = tmp_path / "home" / "models" / "demo-en-fr"
    expected = packages["int8"].path / "model.bin"
    assert (installed / "model.bin").read_bytes() == expected.read_bytes()
    capsys.readouterr()
    assert main(["models", "info", "demo-en-fr"]) == 0
    info = capsys.readouterr().out
    assert "checked:       yes, the runtime check" in info
    assert "source:        hf:tolk-demo/demo-en-fr @ " in info
