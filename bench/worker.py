"""One benchmark system in its own process, so load time and peak memory are its own.

    python -m bench.worker SYSTEM PACKAGE CHECKPOINT SETTINGS_JSON  ->  one JSON line on stdout

SYSTEM is `tolk` (the engine, int8), `ct2` (raw CTranslate2 translate_batch on tokens
prepared beforehand, int8) or `hf` (transformers generate, float32).
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.sentences import SENTENCES


def _median_seconds(run: Callable[[], int], repeats: int) -> tuple[float, int]:
    """Median wall time of `run` over `repeats` (after one warm-up), and its token count."""
    run()
    times = []
    tokens = 0
    for _ in range(repeats):
        started = time.perf_counter()
        tokens = run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), tokens


def _stream_latency(
    first_and_end: Callable[[], tuple[float, float, int]], repeats: int
) -> dict[str, float]:
    """Median first-token latency and per-token latency of a streamed single sentence."""
    first_and_end()
    firsts, per_token = [], []
    for _ in range(repeats):
        first, end, tokens = first_and_end()
        firsts.append(first)
        per_token.append((end - first) / max(tokens - 1, 1))
    return {
        "first_token_ms": 1000 * statistics.median(firsts),
        "per_token_ms": 1000 * statistics.median(per_token),
    }


def _tolk(package: Path, settings: dict[str, Any]) -> dict[str, Any]:
    from desktop_app.engine import Engine, ModelPackage, SegmentDelta, StreamEnd

    started = time.perf_counter()
    engine = Engine(
        ModelPackage.open(package),
        device="cpu",
        compute_type="int8",
        cpu_threads=settings["threads"],
    )
    load = time.perf_counter() - started
    text = "\n".join(SENTENCES)
    results = {"load_seconds": load}
    for beam in settings["beams"]:
        options = {"beam_size": beam, "min_length": settings["min_length"], "use_cache": False}
        seconds, tokens = _median_seconds(
            lambda o=options: engine.translate(text, options=o).target_tokens, settings["repeats"]
        )
        results[f"beam{beam}"] = {"seconds": seconds, "target_tokens": tokens}

    def streamed() -> tuple[float, float, int]:
        options = {"beam_size": 1, "min_length": settings["min_length"], "use_cache": False}
        started = time.perf_counter()
        first = None
        for event in engine.stream(SENTENCES[2], options=options):
            if isinstance(event, SegmentDelta) and first is None:
                first = time.perf_counter() - started
            if isinstance(event, StreamEnd):
                return first or 0.0, time.perf_counter() - started, event.result.target_tokens
        raise RuntimeError("stream ended without StreamEnd")

    results["stream"] = _stream_latency(streamed, settings["repeats"])
    return results


def _ct2(package: Path, settings: dict[str, Any]) -> dict[str, Any]:
    import ctranslate2
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_file=str(package / "source.spm"))
    sources = [[*processor.encode(sentence, out_type=str), "</s>"] for sentence in SENTENCES]
    started = time.perf_counter()
    translator = ctranslate2.Translator(
        str(package), device="cpu", compute_type="int8", intra_threads=settings["threads"]
    )
    load = time.perf_counter() - started
    min_length = max(1, settings["min_length"])
    results: dict[str, Any] = {"load_seconds": load}
    for beam in settings["beams"]:

        def run(beam: int = beam) -> int:
            out = translator.translate_batch(
                sources, beam_size=beam, min_decoding_length=min_length, max_decoding_length=256
            )
            return sum(len(result.hypotheses[0]) for result in out)

        seconds, tokens = _median_seconds(run, settings["repeats"])
        results[f"beam{beam}"] = {"seconds": seconds, "target_tokens": tokens}

    def streamed() -> tuple[float, float, int]:
        stamps: list[float] = []
        started = time.perf_counter()

        def on_token(step: Any) -> bool:
            stamps.append(time.perf_counter() - started)
            return False

        translator.translate_batch(
            [sources[2]],
            beam_size=1,
            min_decoding_length=min_length,
            max_decoding_length=256,
            callback=on_token,
        )
        return stamps[0], stamps[-1], len(stamps)

    results["stream"] = _stream_latency(streamed, settings["repeats"])
    return results


def _hf(checkpoint: Path, settings: dict[str, Any]) -> dict[str, Any]:
    import torch
    from transformers import AutoTokenizer, MarianMTModel

    torch.set_num_threads(settings["threads"])
    started = time.perf_counter()
    model = MarianMTModel.from_pretrained(str(checkpoint), dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
    load = time.perf_counter() - started
    batch = tokenizer(list(SENTENCES), return_tensors="pt", padding=True)
    special = {
        model.config.pad_token_id,
        model.config.eos_token_id,
        model.config.decoder_start_token_id,
    }
    min_length = settings["min_length"]
    results: dict[str, Any] = {"load_seconds": load}
    for beam in settings["beams"]:

        def run(beam: int = beam) -> int:
            with torch.inference_mode():
                out = model.generate(
                    **batch,
                    num_beams=beam,
                    do_sample=False,
                    min_new_tokens=min_length or None,
                    max_new_tokens=256,
                )
            return sum(int(token) not in special for token in out.flatten())

        seconds, tokens = _median_seconds(run, settings["repeats"])
        results[f"beam{beam}"] = {"seconds": seconds, "target_tokens": tokens}
    return results


def main(argv: list[str]) -> int:
    system, package, checkpoint, settings_json = argv
    settings = json.loads(settings_json)
    if system == "tolk":
        results = _tolk(Path(package), settings)
    elif system == "ct2":
        results = _ct2(Path(package), settings)
    else:
        results = _hf(Path(checkpoint), settings)
    results["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
