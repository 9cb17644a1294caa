"""`python -m converter` as the GUI and `tolk convert` run it: exit codes, stderr, JSON progress."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from converter.languages import lookup, unique
from desktop_app.engine.package import ModelPackage


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "converter", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
        check=False,
    )


def test_bad_input_is_one_line_and_exit_code_2(tmp_path: Path) -> None:
    result = _run(str(tmp_path / "missing"), "--output", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("error: ") and "missing" in lines[-1]
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_progress_json_and_store_install(tmp_path: Path, tiny_checkpoints: dict[str, Path]) -> None:
    home = tmp_path / "home"
    result = _run(str(tiny_checkpoints["marian"]), "--progress-json", env={"TOLK_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"resolve", "convert", "verify", "done"} <= {event["stage"] for event in events}
    assert all(0.0 <= event["fraction"] <= 1.0 for event in events)
    assert events[-1]["stage"] == "done"
    package = ModelPackage.open(events[-1]["package"])
    assert package.path == home / "models" / "opus-mt-en-de"
    assert package.manifest.quantization == "int8"
    assert sorted(path.name for path in (home / "models").iterdir()) == ["opus-mt-en-de"]

    again = _run(str(tiny_checkpoints["marian"]), env={"TOLK_HOME": str(home)})
    assert again.returncode == 2
    assert "--force" in again.stderr and "Traceback" not in again.stderr


@pytest.mark.slow
def test_hub_id_from_the_local_cache(tmp_path: Path, tiny_checkpoints: dict[str, Path]) -> None:
    cache = tmp_path / "hub"
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = cache / "models--Helsinki-NLP--opus-mt-en-de"
    shutil.copytree(tiny_checkpoints["marian"], repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit, encoding="utf-8")
    env = {"HF_HUB_CACHE": str(cache), "TOLK_HOME": str(tmp_path / "home")}

    result = _run("Helsinki-NLP/opus-mt-en-de", "--quantization", "float32", env=env)
    assert result.returncode == 0, result.stderr
    source = ModelPackage.open(result.stdout.strip()).manifest.source
    assert (source.checkpoint, source.revision) == ("Helsinki-NLP/opus-mt-en-de", commit)

    missing = _run("Helsinki-NLP/opus-mt-en-xx", env=env)
    assert missing.returncode == 2
    assert "--download" in missing.stderr and "Traceback" not in missing.stderr


@pytest.mark.parametrize(
    ("code", "iso", "name"),
    [
        ("fra_Latn", "fr", "French"),
        ("__de__", "de", "German"),
        ("fr_XX", "fr", "French"),
        ("de_DE", "de", "German"),
        (">>fra<<", "fr", "French"),
        ("zsm_Latn", "ms", "Malay"),
        ("ast_Latn", "ast", "Asturian"),
    ],
)
def test_model_codes_map_to_iso(code: str, iso: str, name: str) -> None:
    language = lookup(code)
    assert language is not None
    assert (language.iso, language.code, language.name) == (iso, code, name)


def test_script_variants_keep_distinct_codes() -> None:
    variants = unique([lookup("zho_Hans"), lookup("zho_Hant")])  # type: ignore[list-item]
    assert [(lang.iso, lang.code) for lang in variants] == [("zh", "zho_Hans"), ("zho", "zho_Hant")]


def test_a_checkpoint_that_cannot_be_converted_exits_1_not_2(tmp_path: Path) -> None:
    # 2 says "the request was wrong, fix the command"; 1 says the conversion itself failed.
    checkpoint = tmp_path / "checkpoint"
    checkpoint.mkdir()
    (checkpoint / "config.json").write_text('{"architectures": ["GPT2LMHeadModel"]}')

    result = _run(str(checkpoint), "--output", str(tmp_path / "out"))

    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
