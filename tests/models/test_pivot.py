"""Translating through English: the route chosen, and the two hops behind text, streams,
document segments and word alignments. The first hop is the tiny Marian fixture relabelled
German→English (its words are random: these tests check the mechanics), the second the demo
model, English→French."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from desktop_app.engine import (
    Engine,
    ModelPackage,
    SegmentDelta,
    SegmentDone,
    StreamEnd,
    TranslationOptions,
    split_text,
)
from desktop_app.engine.pivot import PivotEngine, compose, route
from desktop_app.errors import InputError
from tests.app.test_cli_errors import tolk
from tests.models.conftest import CHECKPOINT

pytestmark = pytest.mark.skipif(
    not (CHECKPOINT / "model.safetensors").is_file(), reason="demo checkpoint not committed"
)

TEXT = "Hallo Welt. Wie geht es?\n\n  Gut, danke.\n"
GREEDY = TranslationOptions(beam_size=1, use_cache=False)


def relabelled(package_dir: Path, target_dir: Path, name: str, source: str, target: str) -> Path:
    """A copy of a package whose manifest says it translates `source` to `target`."""
    shutil.copytree(package_dir, target_dir)
    manifest = json.loads((target_dir / "tolk.json").read_text(encoding="utf-8"))
    manifest["name"] = name
    manifest["languages"] = {
        "source": [{"iso": source, "code": source, "name": source}],
        "target": [{"iso": target, "code": target, "name": target}],
    }
    (target_dir / "tolk.json").write_text(json.dumps(manifest), encoding="utf-8")
    return target_dir


@pytest.fixture(scope="module")
def german_english(
    tiny_package: Callable[[str], Path], tmp_path_factory: pytest.TempPathFactory
) -> ModelPackage:
    folder = tmp_path_factory.mktemp("pivot") / "tiny-de-en"
    return ModelPackage.open(relabelled(tiny_package("marian"), folder, "tiny-de-en", "de", "en"))


@pytest.fixture(scope="module")
def pivot(german_english: ModelPackage, packages: dict[str, ModelPackage]) -> Iterator[PivotEngine]:
    with PivotEngine(Engine(german_english, device="cpu"),
                     Engine(packages["int8"], device="cpu")) as engine:
        yield engine


def test_the_direct_model_is_chosen_when_there_is_one(
    german_english: ModelPackage, packages: dict[str, ModelPackage]
) -> None:
    demo = packages["int8"]
    assert route([german_english, demo], "en", "fr").second is None
    through = route([german_english, demo], "de", "fr")
    assert (through.first, through.second) == (german_english, demo)
    with pytest.raises(InputError, match="no installed model translates fr to de"):
        route([german_english, demo], "fr", "de")


def test_text_goes_through_english_segment_by_segment_keeping_the_layout(
    pivot: PivotEngine,
) -> None:
    layout = split_text(TEXT)
    english = pivot.first.translate_segments(layout.segments, "de", "en", GREEDY)
    french = pivot.second.translate_segments(english, "en", "fr", GREEDY)

    result = pivot.translate(TEXT, "de", "fr", GREEDY)

    assert result.text == layout.render(french)
    assert result.text.startswith(french[0]) and "\n\n  " in result.text
    assert result.target_tokens > 0


def test_the_second_hop_streams_and_ends_as_the_whole_translation(pivot: PivotEngine) -> None:
    deltas: dict[int, str] = {}
    done: list[int] = []
    with pivot.stream(TEXT, "de", "fr", GREEDY) as events:
        for event in events:
            if isinstance(event, SegmentDelta):
                deltas[event.index] = (
                    event.text if event.restart else deltas.get(event.index, "") + event.text
                )
            elif isinstance(event, SegmentDone):
                assert deltas.get(event.index, "") == event.text
                done.append(event.index)
            else:
                assert isinstance(event, StreamEnd)
                end = event.result
    assert done == list(range(len(split_text(TEXT).segments)))
    assert end.text == pivot.translate(TEXT, "de", "fr", GREEDY).text


def test_alignments_are_composed_through_the_english_words() -> None:
    # source "rote Rose" -> English "red rose" -> French "rose rouge"
    into = [(0, 4, 0, 3), (5, 9, 4, 8)]
    out_of = [(4, 8, 0, 4), (0, 3, 5, 10)]
    assert compose(into, out_of) == ((5, 9, 0, 4), (0, 4, 5, 10))


def test_document_segments_and_their_alignments_stay_in_bounds(pivot: PivotEngine) -> None:
    texts = ["Das Haus ist klein.", "Es ist alt."]
    aligned = pivot.translate_aligned(texts, "de", "fr", GREEDY)
    plain = pivot.translate_segments(texts, "de", "fr", GREEDY)

    assert [item.text for item in aligned] == plain
    for source, item in zip(texts, aligned, strict=True):
        for s0, s1, t0, t1 in item.alignment:
            assert 0 <= s0 < s1 <= len(source) and 0 <= t0 < t1 <= len(item.text)


def test_tolk_translate_and_files_go_through_english_and_say_so(
    german_english: ModelPackage, packages: dict[str, ModelPackage], tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(german_english.path, home / "models" / "tiny-de-en")
    shutil.copytree(packages["int8"].path, home / "models" / "demo-int8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "notes.txt").write_text(TEXT, encoding="utf-8")

    translated = tolk("translate", "--from", "de", "--to", "fr", "--beam", "1", TEXT, home=home)
    filed = tolk("files", str(tmp_path / "in"), "--from", "de", "--to", "fr", "-o",
                 str(tmp_path / "out"), "--quiet", home=home)
    refused = tolk("translate", "--from", "fr", "--to", "de", "Bonjour.", home=home)

    assert translated.returncode == 0, translated.stderr
    assert "de -> fr via English (tiny-de-en + demo-int8" in translated.stderr
    assert translated.stdout.count("\n\n  ") == 1
    assert filed.returncode == 0, filed.stderr
    assert (tmp_path / "out" / "notes.fr.txt").read_text(encoding="utf-8").strip()
    assert refused.returncode == 2
    assert "no installed model translates fr to de" in refused.stderr


def test_the_app_offers_the_pair_through_english_and_translates_with_both_models(
    qtbot: QtBot, german_english: ModelPackage, packages: dict[str, ModelPackage],
    tmp_path: Path,
) -> None:
    from desktop_app.engine import ModelStore
    from desktop_app.gui import build_main_window

    store = ModelStore(tmp_path / "models")
    shutil.copytree(german_english.path, store.root / "tiny-de-en")
    shutil.copytree(packages["int8"].path, store.root / "demo-int8")
    settings = QSettings(str(tmp_path / "tolk.ini"), QSettings.Format.IniFormat)
    settings.setValue("live_translate", False)
    window = build_main_window(store=store, qsettings=settings)
    qtbot.addWidget(window)
    window.show()
    tab = window.translate_tab
    tab.source_language.setCurrentIndex(tab.source_language.findData("de"))
    tab.target_language.setCurrentIndex(tab.target_language.findData("fr"))

    assert tab.target_language.currentText() == "French (via English)"
    qtbot.waitUntil(
        lambda: window.loaded_model is not None and "via English" in window.loaded_model.name,
        timeout=60_000,
    )
    assert window.loaded_model.name == "tiny-de-en + demo-int8 (via English)"
    tab.source_text.setPlainText("Hallo Welt.")
    with qtbot.waitSignal(tab.translated, timeout=60_000):
        tab.translate()
    assert tab.translation().strip()
    window.close()
