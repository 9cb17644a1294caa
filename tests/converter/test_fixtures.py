"""The tiny checkpoints follow their families' published conventions (what the converter meets)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sentencepiece as spm


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def test_marian_vocabulary_order(tiny_checkpoints: dict[str, Path]) -> None:
    folder = tiny_checkpoints["marian"]
    vocab = _json(folder / "vocab.json")
    config = _json(folder / "config.json")
    assert (vocab["</s>"], vocab["<unk>"]) == (0, 1)
    assert (
        vocab["<pad>"]
        == len(vocab) - 1
        == config["pad_token_id"]
        == config["decoder_start_token_id"]
    )
    multi = _json(tiny_checkpoints["marian_multi"] / "vocab.json")
    assert {">>fra<<", ">>deu<<"} <= set(multi)


def test_m2m100_embeddings_count_languages_and_madeup_words(
    tiny_checkpoints: dict[str, Path],
) -> None:
    folder = tiny_checkpoints["m2m100"]
    assert (
        _json(folder / "config.json")["vocab_size"] == len(_json(folder / "vocab.json")) + 100 + 8
    )


def test_configs_carry_the_keys_ctranslate2_reads(tiny_checkpoints: dict[str, Path]) -> None:
    mbart = _json(tiny_checkpoints["mbart50"] / "config.json")
    assert mbart["normalize_before"] is True
    assert mbart["tokenizer_class"] == "MBart50Tokenizer"
    assert _json(tiny_checkpoints["nllb"] / "config.json")["tokenizer_class"] == "NllbTokenizer"
    tasks = _json(tiny_checkpoints["t5"] / "config.json")["task_specific_params"]
    assert tasks["translation_en_to_de"]["prefix"] == "translate English to German: "


def test_sentencepiece_models_leave_rare_characters_unknown(
    tiny_checkpoints: dict[str, Path],
) -> None:
    processor = spm.SentencePieceProcessor(model_file=str(tiny_checkpoints["t5"] / "spiece.model"))
    assert processor.pad_id() == 0 and processor.eos_id() == 1 and processor.unk_id() == 2
    ids = processor.encode("naïve 🦜 京")
    assert processor.unk_id() in ids  # the parrot was never seen in training
    assert processor.get_piece_size() >= 300
