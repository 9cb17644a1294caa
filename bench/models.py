"""Benchmark models: an opus-mt-en-de-shaped Marian checkpoint with random weights, and the
demo checkpoint when present, each converted into a model package by the project converter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bench.sentences import SENTENCES, TRAINING_TEXT

# Helsinki-NLP/opus-mt-en-de's shape: what a typical OPUS-MT model costs to run.
OPUS_SHAPE = {
    "d_model": 512,
    "encoder_layers": 6,
    "decoder_layers": 6,
    "encoder_attention_heads": 8,
    "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048,
    "decoder_ffn_dim": 2048,
    "vocab_size": 58101,
    "max_position_embeddings": 512,
}
# With min_length forcing the end token away, a dominant end-token bias makes every system
# stop exactly at min_length: equal work for all three.
EOS_BIAS = 30.0
DEMO_CHECKPOINT = Path(__file__).resolve().parent.parent / "models" / "demo-en-fr"


def _train_spm(directory: Path) -> Path:
    import sentencepiece as spm

    corpus = directory / "corpus.txt"
    corpus.write_text(TRAINING_TEXT + "\n".join(SENTENCES), encoding="utf-8")
    prefix = directory / "spm"
    spm.SentencePieceTrainer.Train(
        input=str(corpus),
        model_prefix=str(prefix),
        vocab_size=400,
        hard_vocab_limit=False,
        character_coverage=1.0,
        unk_id=1,
        eos_id=0,
        bos_id=-1,
        pad_id=-1,
        num_threads=1,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def build_opus_shaped_checkpoint(directory: Path) -> Path:
    """A random-weight MarianMTModel of opus-mt-en-de's size with a real (small) tokenizer."""
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel

    checkpoint = directory / "opus-mt-en-de-shaped"
    if (checkpoint / "model.safetensors").is_file():
        return checkpoint
    checkpoint.mkdir(parents=True, exist_ok=True)
    spm_path = _train_spm(directory)
    processor = spm.SentencePieceProcessor(model_file=str(spm_path))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    # Pad the vocabulary to the real model's size; <pad> last, as in every Marian model.
    filler = [f"<extra_{i}>" for i in range(OPUS_SHAPE["vocab_size"] - len(pieces) - 1)]
    vocab = {token: index for index, token in enumerate([*pieces, *filler, "<pad>"])}
    for name in ("source.spm", "target.spm"):
        (checkpoint / name).write_bytes(spm_path.read_bytes())
    (checkpoint / "vocab.json").write_text(json.dumps(vocab), encoding="utf-8")
    (checkpoint / "tokenizer_config.json").write_text(
        json.dumps(
            {"source_lang": "en", "target_lang": "de", "tokenizer_class": "MarianTokenizer"}
        ),
        encoding="utf-8",
    )
    pad = len(vocab) - 1
    config = MarianConfig(
        **OPUS_SHAPE,
        pad_token_id=pad,
        decoder_start_token_id=pad,
        eos_token_id=0,
        forced_eos_token_id=0,
        share_encoder_decoder_embeddings=True,
        scale_embedding=True,
        activation_function="swish",
    )
    torch.manual_seed(0)
    model = MarianMTModel(config)
    with torch.no_grad():
        model.final_logits_bias[0, 0] = EOS_BIAS
    model.save_pretrained(str(checkpoint))
    return checkpoint


def convert(checkpoint: Path, package: Path, source: str, target: str, *, reuse: bool) -> Path:
    """The checkpoint as an int8 model package, converted in its own process like the app does.

    With `reuse`, a package already converted there is kept (the random model never changes).
    """
    if reuse and (package / "tolk.json").is_file():
        return package
    subprocess.run(
        [
            sys.executable,
            "-m",
            "converter",
            str(checkpoint),
            "--output",
            str(package),
            "--quantization",
            "int8",
            "--from",
            source,
            "--to",
            target,
            "--force",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return package


def directory_size(path: Path) -> int:
    return sum(item.stat().st_size for item in path.rglob("*") if item.is_file())


def weights_size(checkpoint: Path) -> int:
    """Size of the checkpoint's weight files (what a user downloads from the hub)."""
    return sum(
        item.stat().st_size
        for item in checkpoint.iterdir()
        if item.suffix in (".safetensors", ".bin") and item.is_file()
    )
