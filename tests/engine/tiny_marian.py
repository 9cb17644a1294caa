"""A tiny random-weight Marian model package, built once per test session (offline)."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from desktop_app.engine.package import sha256_file

_TEXT = """\
The quick brown fox jumps over the lazy dog. Please open the window; it is warm in here!
Invoice 4521 is due on 12/03/2024, total: 1,299.99 dollars. Do you want tea or coffee?
"Hello," she said, "welcome back to the city." The meeting starts at 9:30 in room 204.
Our naive cafe serves soup and bread. Send the report to alice before Friday.
He bought 3 apples, 12 pears and 1.5 kg of grapes. Version 2.0.1 fixes the crash.
Le renard brun saute par-dessus le chien paresseux. Ouvrez la fenetre, il fait chaud!
La reunion commence a neuf heures dans la salle. Voulez-vous du the ou du cafe?
Il a achete trois pommes et douze poires. La traduction automatique fonctionne hors ligne.
"""


def _train_spm(directory: Path) -> Path:
    import sentencepiece as spm

    corpus = directory / "corpus.txt"
    corpus.write_text(_TEXT * 8, encoding="utf-8")
    prefix = directory / "spm"
    spm.SentencePieceTrainer.Train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=120,
        model_type="unigram",
        character_coverage=1.0,
        byte_fallback=False,
        unk_id=1,
        eos_id=0,
        bos_id=-1,
        pad_id=-1,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def build_tiny_marian(directory: Path, quantization: str = "float32") -> Path:
    """Checkpoint + CTranslate2 package of a random Marian en->fr model; returns the package dir."""
    import torch
    from ctranslate2.converters import TransformersConverter
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    work = directory / "work"
    work.mkdir(parents=True)
    spm_path = _train_spm(work)
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(spm_path))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocab = {piece: index for index, piece in enumerate(pieces)}
    vocab["<pad>"] = len(vocab)  # Marian: <pad> is the last id and the decoder start
    checkpoint = work / "checkpoint"
    checkpoint.mkdir()
    for name in ("source.spm", "target.spm"):
        (checkpoint / name).write_bytes(spm_path.read_bytes())
    (checkpoint / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "install sacremoses": punctuation normalizer unused here
        tokenizer = MarianTokenizer(
            str(checkpoint / "source.spm"),
            str(checkpoint / "target.spm"),
            str(checkpoint / "vocab.json"),
            source_lang="en",
            target_lang="fr",
        )
    tokenizer.save_pretrained(str(checkpoint))
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=256,
        pad_token_id=len(vocab) - 1,
        decoder_start_token_id=len(vocab) - 1,
        eos_token_id=0,
        forced_eos_token_id=0,
        share_encoder_decoder_embeddings=True,
        init_std=0.3,
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    with torch.no_grad():
        # Random weights rarely choose </s>; a bias makes outputs end after a few tokens.
        model.final_logits_bias[0, 0] = 3.5
    model.save_pretrained(str(checkpoint))
    package = directory / "tiny-en-fr"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the converter reloads the tokenizer (sacremoses note)
        TransformersConverter(str(checkpoint)).convert(str(package), quantization=quantization)
    for name in ("source.spm", "target.spm"):
        (package / name).write_bytes(spm_path.read_bytes())
    files = {p.name: sha256_file(p) for p in sorted(package.iterdir()) if p.is_file()}
    manifest = {
        "schema_version": 1,
        "name": "tiny-en-fr",
        "display_name": "Tiny English-French",
        "family": "marian",
        "architecture": "MarianConfig",
        "source": {
            "checkpoint": str(checkpoint),
            "revision": None,
            "weights_sha256": sha256_file(checkpoint / "model.safetensors"),
        },
        "quantization": quantization,
        "languages": {
            "source": [{"iso": "en", "code": "en", "name": "English"}],
            "target": [{"iso": "fr", "code": "fr", "name": "French"}],
        },
        "tokenizer": {
            "kind": "sentencepiece",
            "source_model": "source.spm",
            "target_model": "target.spm",
            "source_prefix": [],
            "source_suffix": ["</s>"],
            "target_prefix": [],
            "text_prefix": "",
        },
        "special_tokens": {"eos": "</s>", "unk": "<unk>", "pad": "<pad>"},
        "max_input_tokens": 128,
        "files": files,
        "converter_version": "0.1.0",
        "created": "2026-11-29T00:00:00Z",
        "verification": {"passed": True},
    }
    (package / "tolk.json").write_text(json.dumps(manifest), encoding="utf-8")
    return package
