"""Render benchmark results (bench/results/benchmark.json) as docs/BENCHMARKS.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_NAMES = {
    "tolk": "Tolk engine (int8)",
    "ct2": "raw CTranslate2 translate_batch (int8, pre-tokenized)",
    "hf": "HF transformers generate (float32)",
}


def _rate(run: dict[str, Any]) -> float:
    return float(run["target_tokens"] / run["seconds"]) if run["seconds"] else 0.0


def _model_section(name: str, data: dict[str, Any]) -> list[str]:
    systems = data["systems"]
    settings = data["settings"]
    length = (
        f"every system decodes exactly {settings['min_length']} tokens per sentence"
        if settings["min_length"]
        else "natural decoding (each system stops at its own end token)"
    )
    lines = [
        f"## {name}",
        "",
        data["description"],
        "",
        f"16 sentences in one call, {settings['threads']} threads, "
        f"after a warm-up, median of {settings['repeats']} interleaved runs (HF: "
        f"{settings['hf_repeats']} runs); {length}.",
        "",
        "| System | beam 4 tokens/s | greedy tokens/s | load s | peak RSS MB "
        "| first token ms | per token ms |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for system, label in _NAMES.items():
        result = systems[system]
        stream = result.get("stream")
        first = f"{stream['first_token_ms']:.1f}" if stream else "-"
        per_token = f"{stream['per_token_ms']:.2f}" if stream else "-"
        lines.append(
            f"| {label} | {_rate(result['beam4']):.0f} | {_rate(result['beam1']):.0f} | "
            f"{result['load_seconds']:.2f} | {result['peak_rss_mb']:.0f} | {first} | {per_token} |"
        )
    tolk, ct2, hf = systems["tolk"], systems["ct2"], systems["hf"]

    def ratio(over: dict[str, Any], under: dict[str, Any], beam: str) -> str:
        return f"{_rate(over[beam]) / _rate(under[beam]):.2f}x"

    latency = tolk["stream"]["per_token_ms"] / ct2["stream"]["per_token_ms"]
    lines += [
        "",
        f"- Tolk / raw CTranslate2 throughput: beam 4 **{ratio(tolk, ct2, 'beam4')}**, "
        f"greedy **{ratio(tolk, ct2, 'beam1')}** (target >= 1.0x).",
        f"- Tolk int8 / HF float32 at beam 4: **{ratio(tolk, hf, 'beam4')}** (target >= 2.5x); "
        f"greedy {ratio(tolk, hf, 'beam1')}.",
        f"- Streaming per-token latency, Tolk / raw: **{latency:.2f}x** (target <= 1.2x).",
        f"- Package {data['package_bytes'] / 2**20:.0f} MiB (int8, tokenizer included) vs the "
        f"checkpoint's weight files {data['checkpoint_weights_bytes'] / 2**20:.0f} MiB.",
        "",
    ]
    return lines


DOCUMENTS = Path(__file__).resolve().parent / "results" / "documents.json"


def _documents_section(documents: dict[str, Any]) -> list[str]:
    """Document jobs (bench/documents.py) against raw CTranslate2 at its default layout."""
    lines = [
        "## Document jobs",
        "",
        f"`{documents.get('command', 'python bench/documents.py')}` (`make bench` runs it with its "
        "defaults before this page is written): a whole",
        "job (read, segment, translate, place inline spans, write atomically, journal) on an",
        "engine laid out for batches, against raw CTranslate2 at its default layout",
        "(`translate_batch`, `max_batch_size=32`, one batch at a time) on the same sentences",
        "tokenized beforehand, and against the engine alone on the job's segments. Best of",
        f"2 alternating runs; {documents['cpu_count']} CPUs, load average "
        f"{', '.join(f'{value:.1f}' for value in documents['load_average_at_start'])} at start.",
        "",
        "| Document | segments | engine layout | raw CT2 s | engine alone s | job s "
        "| job / raw CT2 | job / engine alone |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for name, run in documents.items():
        if not isinstance(run, dict) or "job_seconds" not in run:
            continue
        layout = run["engine_layout"]
        lines.append(
            f"| {name} | {run['segments']} | {layout['replicas']} x {layout['threads']} thread(s) "
            f"| {min(run['raw_ct2_default_layout_seconds']):.2f} "
            f"| {min(run['raw_engine_seconds']):.2f} | {min(run['job_seconds']):.2f} "
            f"| **{run['job_over_raw_ct2_default_layout']:.2f}x** "
            f"| {run['job_over_raw_throughput']:.2f}x |"
        )
    lines += [
        "",
        f"`docx` and `srt` use the opus-mt-en-de-shaped model ({documents['model']}); "
        "`demo-en-fr docx` the demo model at beam 4 with natural decoding. Targets: job / raw "
        "CT2 >= 1.3x on the demo model, >= 1.0x on the opus-mt shape.",
        "",
    ]
    return lines


def write_report(report: dict[str, Any], path: Path) -> None:
    machine = report["machine"]
    load = ", ".join(f"{value:.1f}" for value in machine["load_average_at_start"])
    lines = [
        "# Benchmarks",
        "",
        "Tolk's engine against raw CTranslate2 (`Translator.translate_batch` on tokens prepared",
        "beforehand, so it pays no tokenization) and HF transformers `generate`, on the same",
        "sentences, each with the same number of threads (CTranslate2 `intra_threads`, torch",
        "`set_num_threads`). Tolk and raw CTranslate2 run interleaved in one process, so that",
        "load from other work hits both alike; HF runs alone in a process of its own; load time",
        "and peak memory come from a process holding one system only. Produced by `make bench`",
        "(`python -m bench`); raw figures in `bench/results/benchmark.json`.",
        "",
        f"Machine: {machine['cpu']}, {machine['nproc']} CPUs ({machine['platform']}), Python "
        f"{machine['python']}, CTranslate2 {machine['ctranslate2']}.",
        "",
        "**Caveat:** this machine was shared with other work while the benchmark ran (load "
        f"average {load} at start), so absolute figures are noisy and low; the ratios between "
        "systems, measured back to back, are the meaningful part.",
        "",
        "Columns: target tokens per second (end tokens not counted); model load time; peak",
        "resident memory of the process after one greedy translation; for greedy streaming of",
        "one sentence, the time to the first token and the mean time per following token",
        "(Tolk: its stream events, raw CTranslate2: its per-token callback).",
        "",
        "Tolk does work the raw baseline skips: sentence segmentation, sentencepiece encoding",
        "and decoding, the check that every hypothesis ended. On a model the size of OPUS-MT",
        "that is lost in the decoding time; on the small demo model, where the whole batch takes",
        "60-130 ms, it is a few percent, as large as the run-to-run noise of this machine.",
        "",
        "On a small model and a 2-CPU virtual machine, threads inside one batch cost more than",
        "they give: raw CTranslate2 decoded the demo model's sentences about 3x faster with 1",
        "thread than with 2 (`python -m bench.worker speed PACKAGE models/demo-en-fr SETTINGS`",
        "with `\"threads\": 1`, then `2`, in SETTINGS). That is why document jobs run one batch",
        "per core (Document jobs below), and why HF float32 comes close to CTranslate2 int8 in",
        "the tables, where every system gets both threads.",
        "",
    ]
    for name, data in report["models"].items():
        lines += _model_section(name, data)
    if DOCUMENTS.is_file():
        lines += _documents_section(json.loads(DOCUMENTS.read_text(encoding="utf-8")))
    lines.append(f"Total benchmark time: {report['total_seconds']:.0f} s.")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
