"""Score the exported model with sacrebleu: HF float32 and CTranslate2 float32/int8.

* HF ``MarianMTModel`` in float32, beam 4 and greedy.
* CTranslate2 conversions (``TransformersConverter``, float32 and int8), with
  SentencePiece tokenization done here, beam 4 and greedy.
* Greedy parity: share of test sentences where HF float32 and CTranslate2
  float32 produce the identical token sequence; differing pairs are saved.
* Sample translations (test sentences and labelled out-of-domain sentences).

Writes ``recipe/results/{split}_scores.json`` and, for the test split,
``recipe/results/samples.json`` and ``recipe/results/parity_diffs.json``.
"""
import argparse
import json
import time
from pathlib import Path

import ctranslate2
import sacrebleu
import sentencepiece as spm
import torch
from ctranslate2.converters import TransformersConverter
from transformers import MarianMTModel, MarianTokenizer

from common import DATA, MODEL_DIR, RECIPE, WORK

RESULTS = RECIPE / "results"
OUT_OF_DOMAIN = [
    "The weather is nice today, so we are going to the beach.",
    "Please send me the report before Friday.",
    "My brother lives in a small village near the mountains.",
    "Click the Save button to keep your changes.",
]
N_TEST_SAMPLES = 6


def hf_translate(model, tok, sources, beams, batch=32):
    """Translate with transformers; returns token-piece lists (for parity) and strings."""
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    pieces, texts = [None] * len(sources), [None] * len(sources)
    for b in range(0, len(order), batch):
        idx = order[b : b + batch]
        enc = tok([sources[i] for i in idx], return_tensors="pt", padding=True)
        with torch.no_grad():
            out = model.generate(**enc, num_beams=beams, do_sample=False, max_length=256)
        for i, ids in zip(idx, out.tolist()):
            ids = [t for t in ids[1:] if t not in (tok.pad_token_id, tok.eos_token_id)]
            pieces[i] = tok.convert_ids_to_tokens(ids)
            texts[i] = tok.decode(ids, skip_special_tokens=True)
    return pieces, texts


def ct2_translate(translator, sp, sources, beams):
    tokens = [p + ["</s>"] for p in sp.encode(sources, out_type=str)]
    # Same limits as HF generate(max_length=256): the decoder start token counts towards HF's
    # max_length and its last step is a forced </s>, leaving 254 content tokens; HF allows an
    # empty output, CTranslate2 by default not (min_decoding_length=1).
    results = translator.translate_batch(tokens, beam_size=beams, max_decoding_length=254, min_decoding_length=0,
                                         max_batch_size=32, batch_type="examples")
    pieces = [r.hypotheses[0] for r in results]
    return pieces, [sp.decode(p) for p in pieces]


@torch.no_grad()
def divergence(model, tok, source, hf_pieces, ct2_pieces):
    """Where two greedy outputs first differ, and HF's log-prob margin between the two choices there."""
    k = next((i for i, (a, b) in enumerate(zip(hf_pieces, ct2_pieces)) if a != b), min(len(hf_pieces), len(ct2_pieces)))
    enc = tok([source], return_tensors="pt")
    prefix = [model.config.decoder_start_token_id] + tok.convert_tokens_to_ids(hf_pieces[:k])
    logits = model(**enc, decoder_input_ids=torch.tensor([prefix])).logits[0, -1].float()
    logp = torch.log_softmax(logits, -1)
    ids = [tok.convert_tokens_to_ids(p[k]) if k < len(p) else tok.eos_token_id for p in (hf_pieces, ct2_pieces)]
    return dict(source=source, first_difference=k, hf_tokens=len(hf_pieces), ct2_tokens=len(ct2_pieces),
                hf_logprob_margin=round(float(logp[ids[0]] - logp[ids[1]]), 5))


def score(hyps, refs):
    return dict(bleu=round(sacrebleu.corpus_bleu(hyps, [refs]).score, 2),
                chrf=round(sacrebleu.corpus_chrf(hyps, [refs]).score, 2))


def timed(fn, *a):
    t0 = time.time()
    out = fn(*a)
    return out, round(time.time() - t0, 1)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["test", "dev"])
    ap.add_argument("--model", default=str(MODEL_DIR))
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    src = (DATA / f"{args.split}.en").read_text().splitlines()
    ref = (DATA / f"{args.split}.fr").read_text().splitlines()
    res = dict(split=args.split, sentences=len(src), sacrebleu=sacrebleu.__version__,
               ctranslate2=ctranslate2.__version__, systems={})

    tok = MarianTokenizer.from_pretrained(args.model)
    model = MarianMTModel.from_pretrained(args.model, dtype=torch.float32).eval()
    (hf_greedy_p, hf_greedy), sec = timed(hf_translate, model, tok, src, 1)
    res["systems"]["hf_float32_greedy"] = dict(score(hf_greedy, ref), seconds=sec)
    (_, hf_beam), sec = timed(hf_translate, model, tok, src, 4)
    res["systems"]["hf_float32_beam4"] = dict(score(hf_beam, ref), seconds=sec)

    sp = spm.SentencePieceProcessor(model_file=str(Path(args.model) / "source.spm"))
    outputs = {}
    for quant in ("float32", "int8"):
        ct2_dir = WORK / f"ct2-{quant}"
        TransformersConverter(args.model).convert(str(ct2_dir), quantization=quant, force=True)
        tr = ctranslate2.Translator(str(ct2_dir), device="cpu", compute_type=quant, intra_threads=args.threads)
        for beams in (1, 4):
            (pieces, hyps), sec = timed(ct2_translate, tr, sp, src, beams)
            name = f"ct2_{quant}_{'greedy' if beams == 1 else 'beam4'}"
            res["systems"][name] = dict(score(hyps, ref), seconds=sec)
            outputs[name] = (pieces, hyps)

    ct2_p, ct2_h = outputs["ct2_float32_greedy"]
    same = [a == b for a, b in zip(hf_greedy_p, ct2_p)]
    res["greedy_parity_hf_vs_ct2_float32"] = round(100 * sum(same) / len(same), 2)
    res["int8_minus_float32_bleu_beam4"] = round(
        res["systems"]["ct2_int8_beam4"]["bleu"] - res["systems"]["ct2_float32_beam4"]["bleu"], 2)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{args.split}_scores.json").write_text(json.dumps(res, indent=1) + "\n")
    print(json.dumps(res, indent=1))
    if args.split != "test":
        return
    diffs = [divergence(model, tok, s, hp, cp) | dict(hf=h, ct2=c)
             for s, h, c, hp, cp, ok in zip(src, hf_greedy, ct2_h, hf_greedy_p, ct2_p, same) if not ok]
    (RESULTS / "parity_diffs.json").write_text(json.dumps(diffs, indent=1, ensure_ascii=False) + "\n")
    tr = ctranslate2.Translator(str(WORK / "ct2-int8"), device="cpu", compute_type="int8", intra_threads=args.threads)
    picks = list(range(0, len(src), len(src) // N_TEST_SAMPLES))[:N_TEST_SAMPLES]
    samples = [dict(kind="test (DDTP, in domain)", source=src[i], reference=ref[i],
                    hf_float32_beam4=hf_beam[i], ct2_int8_beam4=outputs["ct2_int8_beam4"][1][i]) for i in picks]
    _, ood_hf = hf_translate(model, tok, OUT_OF_DOMAIN, 4)
    _, ood_ct2 = ct2_translate(tr, sp, OUT_OF_DOMAIN, 4)
    samples += [dict(kind="out of domain (no reference)", source=s, reference=None, hf_float32_beam4=h,
                     ct2_int8_beam4=c) for s, h, c in zip(OUT_OF_DOMAIN, ood_hf, ood_ct2)]
    (RESULTS / "samples.json").write_text(json.dumps(samples, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
