"""Render the model card ``models/demo-en-fr/README.md`` from the recipe's outputs.

Every figure in the card is read from a file written by another recipe script:
``data/stats.json`` and ``data/sources.tsv`` (prepare.py),
``results/training.json`` and ``results/train_log.jsonl`` (train.py via export.py),
``results/{test,dev}_scores.json``, ``results/samples.json`` and
``results/parity_diffs.json`` (evaluate.py).  The sha256 is computed here.
"""
import csv
import hashlib
import json
import math

from common import DATA, MODEL_DIR, RECIPE

RESULTS = RECIPE / "results"
SYSTEMS = [
    ("hf_float32_beam4", "HF transformers, float32, beam 4"),
    ("ct2_float32_beam4", "CTranslate2, float32, beam 4"),
    ("ct2_int8_beam4", "CTranslate2, int8, beam 4"),
    ("hf_float32_greedy", "HF transformers, float32, greedy"),
    ("ct2_float32_greedy", "CTranslate2, float32, greedy"),
    ("ct2_int8_greedy", "CTranslate2, int8, greedy"),
]


def load(name):
    return json.loads((RESULTS / name).read_text())


def scores_table(scores):
    rows = ["| System | BLEU | chrF | seconds (2 threads, shared CPU: indicative only) |", "|---|---:|---:|---:|"]
    for key, label in SYSTEMS:
        s = scores["systems"][key]
        rows.append(f"| {label} | {s['bleu']:.2f} | {s['chrf']:.2f} | {s['seconds']} |")
    return "\n".join(rows)


def log_table(log):
    rows = ["| step | epoch | training minutes | train loss (smoothed) | dev CE raw | dev CE EMA | dev ppl EMA |",
            "|---:|---:|---:|---:|---:|---:|---:|"]
    for r in (r for r in log if "dev_loss" in r):
        rows.append(f"| {r['step']} | {r['epoch']} | {r['train_minutes']} | {r['train_loss']} | "
                    f"{r['dev_loss']} | {r['dev_loss_ema']} | {r['dev_ppl_ema']} |")
    return "\n".join(rows)


def parity_note(diffs):
    """Summarise where HF and CTranslate2 greedy outputs diverge, from evaluate.py's diff records."""
    if not diffs:
        return ""
    margins = sorted(abs(d["hf_logprob_margin"]) for d in diffs)
    firsts = sorted(d["first_difference"] / max(1, d["hf_tokens"]) for d in diffs)
    small = sum(m < 0.05 for m in margins)
    return (f"At the first differing token, the HF log-probability gap between the two runtimes' choices is "
            f"below 0.05 in {small} of {len(diffs)} segments (median {margins[len(margins) // 2]:.4f}); the first "
            f"difference comes at a median {100 * firsts[len(firsts) // 2]:.0f}% of the way through the output.  "
            f"Float32 results of the two runtimes differ in the last bits (different GEMM kernels and summation "
            f"order), which flips such near-ties; greedy decoding then continues from different prefixes.")


def main():
    template = (RECIPE / "card_template.md").read_text()
    stats = json.loads((DATA / "stats.json").read_text())
    training = load("training.json")
    log = [json.loads(line) for line in (RESULTS / "train_log.jsonl").read_text().splitlines()]
    test = load("test_scores.json")
    dev = load("dev_scores.json") if (RESULTS / "dev_scores.json").exists() else None
    diffs = load("parity_diffs.json")
    samples = load("samples.json")
    with open(DATA / "sources.tsv") as fh:
        sources = list(csv.DictReader(fh, delimiter="\t"))
    weights = (MODEL_DIR / "model.safetensors").read_bytes()
    config = json.loads((MODEL_DIR / "config.json").read_text())

    sample_md = []
    for i, s in enumerate(samples, 1):
        sample_md.append(f"{i}. *{s['kind']}*  \n   EN: {s['source']}  \n"
                         + (f"   Reference: {s['reference']}  \n" if s["reference"] else "")
                         + f"   CTranslate2 int8: {s['ct2_int8_beam4']}  \n   HF float32: {s['hf_float32_beam4']}")
    source_md = ["| catalog | Debian package | main licence (from its copyright file) | pairs kept |", "|---|---|---|---:|"]
    source_md += [f"| {r['catalog']} | {r['debian_package']} | {r['licence']} | {r['pairs_kept']} |" for r in sources]
    st = training["state"]
    fields = dict(
        sha256=hashlib.sha256(weights).hexdigest(),
        size_mb=f"{len(weights) / 1e6:.1f}",
        parameters=f"{training['parameters'] / 1e6:.2f}M",
        d_model=config["d_model"], enc=config["encoder_layers"], dec=config["decoder_layers"],
        heads=config["encoder_attention_heads"], ffn=config["encoder_ffn_dim"], vocab=config["vocab_size"],
        cpu=training["machine"]["cpu"], cores=training["machine"]["cores"], torch=training["machine"]["torch"],
        train_minutes=f"{st['seconds'] / 60:.0f}", steps=st["step"], vocab_minus_1=config["vocab_size"] - 1,
        final_epoch=log[-1]["epoch"], target_tokens=f"{st['tokens'] / 1e6:.1f}M", weights=training["weights"],
        args=", ".join(f"{k}={v}" for k, v in training["args"].items() if v not in (None, 0)),
        log_table=log_table(log),
        dev_ce=training["final_dev_loss"][training["weights"]],
        dev_ppl=f"{math.exp(training['final_dev_loss'][training['weights']]):.2f}",
        test_table=scores_table(test), test_n=test["sentences"],
        dev_table=scores_table(dev) if dev else "(not evaluated)", dev_n=dev["sentences"] if dev else 0,
        parity=test["greedy_parity_hf_vs_ct2_float32"], n_diffs=len(diffs),
        int8_delta=test["int8_minus_float32_bleu_beam4"],
        sacrebleu=test["sacrebleu"], ctranslate2=test["ctranslate2"],
        parity_note=parity_note(diffs), limitations=(RECIPE / "card_limitations.md").read_text().strip(),
        samples="\n".join(sample_md), sources_table="\n".join(source_md), **stats,
    )
    (MODEL_DIR / "README.md").write_text(template.format(**fields))
    print("wrote", MODEL_DIR / "README.md", "sha256", fields["sha256"])


if __name__ == "__main__":
    main()
