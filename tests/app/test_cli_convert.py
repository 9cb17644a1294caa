"""`tolk convert` hands every argument to the converter, options first included."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from desktop_app import cli


class _Child:
    """Stands in for the converter process: records its command, exits at once."""

    commands: list[list[str]] = []  # noqa: RUF012 -- one list per test, reset by the fixture

    def __init__(self, command: list[str], **kwargs: Any) -> None:
        self.commands.append(command)

    def __enter__(self) -> _Child:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def wait(self) -> int:
        return 0


@pytest.fixture
def commands(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    _Child.commands = []
    monkeypatch.setattr(cli.subprocess, "Popen", _Child)
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: object())
    return _Child.commands


@pytest.mark.parametrize(
    "arguments",
    [
        ["--help"],
        ["-h"],
        ["--quantization", "float16", "some/checkpoint"],
        ["--verbose", "--name", "x", "some/checkpoint", "--output", "out"],
        ["some/checkpoint", "--quantization=int8"],
    ],
)
def test_every_argument_reaches_the_converter_in_order(
    commands: list[list[str]], arguments: list[str]
) -> None:
    """Issue 12 #13: `tolk convert --help` failed with 'unrecognized arguments: --help'."""
    assert cli.main(["convert", *arguments]) == 0
    [command] = commands
    forwarded = command[command.index("converter") + 1 :]
    assert [a for a in forwarded if a != "--stop-with-parent"] == arguments


def test_the_store_option_still_goes_before_the_command(commands: list[list[str]]) -> None:
    assert cli.main(["--store", "/tmp/store", "convert", "--help"]) == 0
    assert commands[0][-3:] == ["--help", "--store", "/tmp/store"]


def test_other_commands_still_refuse_unknown_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["models", "list", "--bogus"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_tolk_convert_help_prints_the_converter_usage() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app.cli", "convert", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--quantization" in result.stdout
