"""Checkpoint variants: where the languages come from, and tokenizer conventions."""

from __future__ import annotations

from pathlib import Path

import pytest

from converter import ConversionRequest, convert
from desktop_app.engine.package import ModelPackage
from desktop_app.errors import ConversionError
from tests.converter.helpers import copy_checkpoint, edit_json


def test_missing_languages_name_the_flags(
    tmp_path: Path, tiny_checkpoints: dict[str, Path]
) -> None:
    folder = copy_checkpoint(tiny_checkpoints["marian"], tmp_path / "my-model")
    edit_json(folder / "tokenizer_config.json", source_lang=None, target_lang=None)
    with pytest.raises(ConversionError, match="--from LANG --to LANG"):
        convert(ConversionRequest(str(folder), output=tmp_path / "out"))

    request = ConversionRequest(
        str(folder),
        quantization="float32",
        output=tmp_path / "out",
        source_language="en",
        target_language="de",
    )
    languages = ModelPackage.open(convert(request)).manifest.languages
    assert [(s.iso, t.iso) for s in languages.source for t in languages.target] == [("en", "de")]


def test_opus_mt_name_gives_the_languages(
    tmp_path: Path, tiny_checkpoints: dict[str, Path]
) -> None:
    folder = copy_checkpoint(tiny_checkpoints["marian"], tmp_path / "opus-mt-fr-en")
    edit_json(folder / "tokenizer_config.json", source_lang=None, target_lang=None)
    package = ModelPackage.open(convert(ConversionRequest(str(folder), output=tmp_path / "out")))
    assert [lang.name for lang in package.manifest.languages.source] == ["French"]
    assert [lang.name for lang in package.manifest.languages.target] == ["English"]


def test_nllb_legacy_behaviour_puts_the_language_last(
    tmp_path: Path, tiny_checkpoints: dict[str, Path]
) -> None:
    folder = copy_checkpoint(tiny_checkpoints["nllb"], tmp_path / "nllb-legacy")
    edit_json(folder / "tokenizer_config.json", legacy_behaviour=True)
    manifest = ModelPackage.open(
        convert(ConversionRequest(str(folder), output=tmp_path / "out"))
    ).manifest
    assert manifest.tokenizer.source_suffix == ("</s>", "{source}")
    assert manifest.verification["tokenization_equal"] == manifest.verification["sentences"]


def test_a_model_that_ends_at_once_decodes_the_same(
    tmp_path: Path, tiny_checkpoints: dict[str, Path]
) -> None:
    """Empty translations are legal model output; CTranslate2 must not be forced past </s>."""
    from safetensors.torch import load_file, save_file

    folder = copy_checkpoint(tiny_checkpoints["marian"], tmp_path / "opus-mt-en-de")
    weights = load_file(folder / "model.safetensors")
    weights["final_logits_bias"][0, 0] = 1e4  # </s> is id 0 in Marian vocabularies
    save_file(weights, folder / "model.safetensors", metadata={"format": "pt"})
    request = ConversionRequest(str(folder), quantization="float32", output=tmp_path / "out")
    report = ModelPackage.open(convert(request)).manifest.verification
    assert report["greedy_equal"] == report["sentences"]
    assert report["passed"]
