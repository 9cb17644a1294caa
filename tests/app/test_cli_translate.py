"""`tolk convert`, `tolk translate` and `--stream` end to end on a tiny real package."""

from __future__ import annotations

import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.cli import _OrderedPrinter
from desktop_app.engine import Engine, ModelPackage, TranslationOptions
from tests.app.test_cli_errors import assert_one_line_error, tolk

TEXT = "Hello world. This is a test!\n\n  Second paragraph, indented.\nLast line.\n"


@pytest.fixture
def home(tmp_path: Path, tiny_package: Callable[[str], Path]) -> Path:
    shutil.copytree(tiny_package("marian"), tmp_path / "models" / "tiny")
    return tmp_path


def test_translate_keeps_line_structure_and_matches_the_engine(home: Path) -> None:
    expected = Engine(ModelPackage.open(home / "models" / "tiny")).translate(TEXT).text
    result = tolk("translate", home=home, stdin=TEXT)
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected
    assert result.stdout.count("\n") == TEXT.count("\n")
    assert "\n\n  " in result.stdout


def test_beam_stream_prints_the_same_text(home: Path) -> None:
    plain = tolk("translate", "--beam", "3", home=home, stdin=TEXT)
    streamed = tolk("translate", "--stream", "--beam", "3", home=home, stdin=TEXT)
    assert streamed.returncode == 0, streamed.stderr
    assert streamed.stdout == plain.stdout


def test_greedy_stream_ends_with_every_final_segment(home: Path) -> None:
    # Random tiny models run out of length and get re-split, so the screen may show a first
    # attempt before the final text; every final segment must still be printed in order.
    engine = Engine(ModelPackage.open(home / "models" / "tiny"))
    final = engine.translate(TEXT, options=TranslationOptions(beam_size=1)).segments
    streamed = tolk("translate", "--stream", "--beam", "1", home=home, stdin=TEXT)
    assert streamed.returncode == 0, streamed.stderr
    position = 0
    for segment in final:
        position = streamed.stdout.index(segment, position) + len(segment)


def test_printer_orders_segments_and_reconciles_a_restart() -> None:
    out = io.StringIO()
    printer = _OrderedPrinter(["<", "|", "|", ">"], out)
    printer.delta(1, "wor")  # a later segment streams first: held back
    printer.delta(0, "hel")
    printer.delta(1, "ld")
    printer.delta(0, "lo")
    printer.delta(2, "junk")
    printer.delta(2, "ok", restart=True)  # segment 2 redone before it was shown: junk vanishes
    printer.done(0, "hello")
    assert out.getvalue() == "<hello|world"
    printer.done(1, "world")
    printer.done(2, "okay")
    assert out.getvalue() == "<hello|world|okay>"

    out = io.StringIO()
    printer = _OrderedPrinter(["", ""], out)
    printer.delta(0, "bad start")
    printer.delta(0, "good", restart=True)
    printer.done(0, "good end")
    assert out.getvalue() == "bad start\ngood end"


def test_text_argument_gets_a_final_newline(home: Path) -> None:
    result = tolk("translate", "One sentence.", home=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("\n") and result.stdout.count("\n") == 1


def test_bad_requests_are_one_line_errors(home: Path) -> None:
    assert_one_line_error(
        tolk("translate", "--to", "xx", "Hi", home=home), 2, "no target language 'xx'"
    )
    assert_one_line_error(tolk("translate", "--compute-type", "int4", "Hi", home=home), 2, "int4")


@pytest.mark.slow
def test_convert_installs_into_the_store(tmp_path: Path, tiny_checkpoints: dict[str, Path]) -> None:
    converted = tolk("convert", str(tiny_checkpoints["marian"]), "--name", "mine", home=tmp_path)
    assert converted.returncode == 0, converted.stderr
    listed = tolk("models", "list", home=tmp_path)
    assert listed.stdout.startswith("mine\ten -> de\tmarian\tint8")
    again = tolk("convert", str(tiny_checkpoints["marian"]), "--name", "mine", home=tmp_path)
    assert again.returncode != 0 and "--force" in again.stderr
    assert "Traceback" not in again.stderr
    assert tolk("translate", "--model", "mine", "Hello.", home=tmp_path).returncode == 0

    first = json.loads((tmp_path / "models" / "mine" / "tolk.json").read_text(encoding="utf-8"))
    forced = tolk("convert", str(tiny_checkpoints["marian"]), "--name", "mine", "--force",
                  "--quantization", "float32", home=tmp_path)
    assert forced.returncode == 0, forced.stderr
    replaced = json.loads((tmp_path / "models" / "mine" / "tolk.json").read_text(encoding="utf-8"))
    assert (first["quantization"], replaced["quantization"]) == ("int8", "float32")
    assert sorted(path.name for path in (tmp_path / "models").iterdir()) == ["mine"]


def test_gui_self_test_translates_and_exits(home: Path) -> None:
    result = tolk("gui", "--self-test", home=home)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["ok"] is True


def test_keep_placeholders_copies_every_placeholder_into_the_translation(home: Path) -> None:
    # The tiny model's weights are random: it never writes a placeholder by itself.
    source = "Could not open %(file)s: {error} ({0} of %d tries, 100%% done)."
    result = tolk("translate", "--keep-placeholders", source, home=home)
    assert result.returncode == 0, result.stderr
    for placeholder in ("%(file)s", "{error}", "{0}", "%d"):
        assert result.stdout.count(placeholder) == 1, result.stdout

    # Text without placeholders is translated as usual.
    plain = tolk("translate", "One sentence.", home=home)
    kept = tolk("translate", "--keep-placeholders", "One sentence.", home=home)
    assert kept.stdout == plain.stdout

    both = tolk("translate", "--stream", "--keep-placeholders", source, home=home)
    assert both.returncode == 2 and "Traceback" not in both.stderr
    assert "not allowed with argument --stream" in both.stderr
