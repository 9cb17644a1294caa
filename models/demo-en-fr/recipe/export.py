"""Export a training checkpoint as a HuggingFace Marian checkpoint (OPUS-MT layout).

Writes into ``models/demo-en-fr`` (or ``--out``): config.json,
generation_config.json, model.safetensors (float16), source.spm / target.spm
(the same shared SentencePiece model), vocab.json (``</s>``=0, ``<unk>``=1,
SentencePiece pieces, ``<pad>`` last) and tokenizer_config.json.  Of the raw
and the EMA weights, the one with the lower dev cross-entropy is exported
(``--weights`` overrides).  The training summary (state, arguments,
machine) and the training log are copied to ``recipe/results/``.
"""
import argparse
import json
import os
import platform
import shutil
import tempfile
from pathlib import Path

import sentencepiece as spm
import torch
from transformers import GenerationConfig, MarianTokenizer

from common import CKPT, EOS_ID, MODEL_DIR, PAD_ID, RECIPE, SPM_PREFIX, VOCAB_SIZE
from train import build_model, dev_loss, load_split

FILES = ["config.json", "generation_config.json", "model.safetensors", "source.spm", "target.spm",
         "vocab.json", "tokenizer_config.json"]


def generation_config():
    """Decoding defaults; transformers 5 does not read them from the Marian config."""
    return GenerationConfig(
        num_beams=4, max_length=256, bad_words_ids=[[PAD_ID]], decoder_start_token_id=PAD_ID,
        eos_token_id=EOS_ID, forced_eos_token_id=EOS_ID, pad_token_id=PAD_ID, bos_token_id=EOS_ID)


def write_tokenizer(out):
    sp = spm.SentencePieceProcessor(model_file=f"{SPM_PREFIX}.model")
    assert sp.get_piece_size() == VOCAB_SIZE - 1 and sp.id_to_piece(EOS_ID) == "</s>"
    vocab = {sp.id_to_piece(i): i for i in range(sp.get_piece_size())}
    vocab["<pad>"] = PAD_ID
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1))
        tok = MarianTokenizer(vocab=str(Path(tmp) / "vocab.json"), source_spm=f"{SPM_PREFIX}.model",
                              target_spm=f"{SPM_PREFIX}.model", source_lang="en", target_lang="fr",
                              model_max_length=256, separate_vocabs=False)
        assert tok.pad_token_id == PAD_ID and tok.eos_token_id == EOS_ID and tok.unk_token_id == 1
        tok.save_pretrained(out)


def cpu_name():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor()


def write_summary(ck, model, weights, dev_losses):
    results = RECIPE / "results"
    results.mkdir(exist_ok=True)
    summary = dict(state=ck["state"], args=ck["args"], weights=weights, final_dev_loss=dev_losses,
                   parameters=sum(p.numel() for p in model.parameters() if p.requires_grad),
                   machine=dict(cpu=cpu_name(), cores=os.cpu_count(), torch=torch.__version__))
    (results / "training.json").write_text(json.dumps(summary, indent=1) + "\n")
    shutil.copy(CKPT / "train.log", results / "train_log.jsonl")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint", default=str(CKPT / "last.pt"))
    ap.add_argument("--out", default=str(MODEL_DIR))
    ap.add_argument("--weights", choices=["auto", "raw", "ema"], default="auto")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ck = torch.load(args.checkpoint, weights_only=False)
    model = build_model()
    dev, losses = load_split("dev"), {}
    for name in ("raw", "ema") if args.weights == "auto" else (args.weights,):
        model.load_state_dict(ck["model" if name == "raw" else "ema"])
        losses[name] = round(dev_loss(model, dev), 4)
    weights = min(losses, key=losses.get)
    model.load_state_dict(ck["model" if weights == "raw" else "ema"])
    model.eval()
    with torch.no_grad():
        model.model.shared.weight[PAD_ID].zero_()
    write_summary(ck, model, weights, losses)
    model.generation_config = generation_config()
    model.half().save_pretrained(out)
    write_tokenizer(out)
    for extra in ("special_tokens_map.json", "added_tokens.json"):
        (out / extra).unlink(missing_ok=True)
    missing = [f for f in FILES if not (out / f).exists()]
    assert not missing, f"missing {missing}"
    print("exported step", ck["state"]["step"], weights, "weights, dev loss", losses, "to", out)


if __name__ == "__main__":
    main()
