"""Bad requests to `tolk` give one clear line on stderr and a non-zero exit code."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.app.manifests import write_fake_package


def tolk(
    *args: str, home: Path, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TOLK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tolk: error:") and text in lines[0]


def test_empty_store_is_reported(tmp_path: Path) -> None:
    listed = tolk("models", "list", home=tmp_path)
    assert listed.returncode == 0
    assert "no models installed" in listed.stdout
    assert_one_line_error(tolk("translate", "Hello.", home=tmp_path), 1, "no model installed")


def test_broken_package_is_listed_with_its_reason(tmp_path: Path) -> None:
    store = tmp_path / "models"
    write_fake_package(store / "good")
    (store / "broken").mkdir()
    result = tolk("models", "list", home=tmp_path)
    assert result.returncode == 0
    assert "good\ten -> fr\tmarian\tint8" in result.stdout
    assert "broken\tBROKEN: " in result.stdout and "no tolk.json" in result.stdout


def test_unknown_model_names_the_installed_ones(tmp_path: Path) -> None:
    write_fake_package(tmp_path / "models" / "good")
    assert_one_line_error(tolk("models", "info", "nope", home=tmp_path), 1, "installed: good")
    assert_one_line_error(
        tolk("translate", "--model", "nope", "Hi", home=tmp_path), 1, "no model named 'nope'"
    )


def test_models_info_shows_the_manifest(tmp_path: Path) -> None:
    write_fake_package(tmp_path / "models" / "good")
    result = tolk("models", "info", "good", home=tmp_path)
    assert result.returncode == 0, result.stderr
    for expected in (
        "en -> fr",
        "marian (MarianConfig)",
        "int8",
        "local/fake",
        "files intact:  yes",
    ):
        assert expected in result.stdout


def test_remove_takes_the_package_away(tmp_path: Path) -> None:
    write_fake_package(tmp_path / "models" / "good")
    assert tolk("models", "remove", "good", home=tmp_path).returncode == 0
    assert not (tmp_path / "models" / "good").exists()
    assert_one_line_error(tolk("models", "remove", "good", home=tmp_path), 1, "no model named")


def test_invalid_utf8_on_stdin_is_refused(tmp_path: Path) -> None:
    write_fake_package(tmp_path / "models" / "good")
    env = {**os.environ, "TOLK_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "translate"],
        input=b"caf\xe9\n",
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert b"not valid UTF-8" in result.stderr and b"Traceback" not in result.stderr


def test_the_installed_app_converts_and_refuses_what_fails_its_check(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tiny_checkpoints: dict[str, Path],
) -> None:
    """Frozen, `tolk convert` runs the torch-free converter in its own process. A random-weight
    model never stops decoding: refused with exit 1 and nothing installed, unless asked."""
    from desktop_app.cli import main

    monkeypatch.setattr(sys, "frozen", True, raising=False)  # as in the PyInstaller bundle
    monkeypatch.setenv("TOLK_HOME", str(tmp_path))
    checkpoint = str(tiny_checkpoints["marian"])

    assert main(["convert", checkpoint]) == 1
    error = capsys.readouterr().err
    assert "error: runtime check FAILED" in error and "--accept-unverified" in error
    assert "Traceback" not in error
    assert list((tmp_path / "models").iterdir()) == []

    assert main(["convert", checkpoint, "--accept-unverified"]) == 0
    capsys.readouterr()
    assert main(["models", "info", "opus-mt-en-de"]) == 0
    info = capsys.readouterr().out
    assert "checked:       NO: its check failed and it was installed on request" in info


@pytest.mark.parametrize(
    ("args", "text"),
    [
        # Issue 12, case 9: this grew to 8.5 GB; now it fails before any model loads.
        (("translate", "--beam", "100000", "Hello world."), "--beam: beam_size 100000 is out of"),
        (("translate", "--beam", "0", "Hello world."), "expected 1 to 16"),
        (("translate", "--threads", "100000", "Hi."), "--threads 100000 is out of range"),
    ],
)
def test_options_beyond_their_bounds_are_one_line_usage_errors(
    tmp_path: Path, args: tuple[str, ...], text: str
) -> None:
    # The fake package has no loadable model: the check must come before loading.
    write_fake_package(tmp_path / "models" / "good")
    assert_one_line_error(tolk(*args, home=tmp_path), 2, text)
