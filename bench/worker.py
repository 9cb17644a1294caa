"""Benchmark measurements, run in child processes so load time and memory are each system's own.

    python -m bench.worker MODE PACKAGE CHECKPOINT SETTINGS_JSON  ->  one JSON line on stdout

Modes:
    memory-tolk, memory-ct2, memory-hf: load one system, translate once (greedy); load time
        and peak resident memory of a process that holds only that system.
    speed: the Tolk engine and raw CTranslate2 (translate_batch on tokens prepared
        beforehand) in one process, runs interleaved so that load from other work on the
        machine hits both alike; throughput per beam size and greedy streaming latency.
    speed-hf: transformers generate (float32), throughput per beam size.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from bench.sentences import SENTENCES

if TYPE_CHECKING:
    from desktop_app.engine import TranslationOptions

STREAMED = SENTENCES[2]  # one long sentence for the streaming latency


class System(Protocol):
    load_seconds: float

    def translate(self, beam: int) -> int:
        """Translate all sentences; return the target tokens produced (end tokens excluded)."""
        ...


class Tolk:
    def __init__(self, package: Path, settings: dict[str, Any]) -> None:
        from desktop_app.engine import Engine, ModelPackage

        started = time.perf_counter()
        self.engine = Engine(
            ModelPackage.open(package),
            device="cpu",
            compute_type="int8",
            cpu_threads=settings["threads"],
        )
        self.load_seconds = time.perf_counter() - started
        self.min_length = settings["min_length"]
        self.text = "\n".join(SENTENCES)

    def _options(self, beam: int) -> TranslationOptions:
        from desktop_app.engine import TranslationOptions

        return TranslationOptions(beam_size=beam, min_length=self.min_length, use_cache=False)

    def translate(self, beam: int) -> int:
        return self.engine.translate(self.text, options=self._options(beam)).target_tokens

    def stream(self) -> tuple[float, float, int]:
        """Seconds to the first delta and to the end, and the tokens of one streamed sentence."""
        from desktop_app.engine import SegmentDelta, StreamEnd

        started = time.perf_counter()
        first = 0.0
        for event in self.engine.stream(STREAMED, options=self._options(1)):
            if isinstance(event, SegmentDelta) and not first:
                first = time.perf_counter() - started
            if isinstance(event, StreamEnd):
                return first, time.perf_counter() - started, event.result.target_tokens
        raise RuntimeError("the stream ended without StreamEnd")


class RawCTranslate2:
    def __init__(self, package: Path, settings: dict[str, Any]) -> None:
        import ctranslate2
        import sentencepiece as spm

        processor = spm.SentencePieceProcessor(model_file=str(package / "source.spm"))
        self.sources = [[*processor.encode(s, out_type=str), "</s>"] for s in SENTENCES]
        self.streamed = self.sources[SENTENCES.index(STREAMED)]
        started = time.perf_counter()
        self.translator = ctranslate2.Translator(
            str(package), device="cpu", compute_type="int8", intra_threads=settings["threads"]
        )
        self.load_seconds = time.perf_counter() - started
        self.lengths = {
            "min_decoding_length": max(1, settings["min_length"]),
            "max_decoding_length": 256,
        }

    def translate(self, beam: int) -> int:
        results = self.translator.translate_batch(self.sources, beam_size=beam, **self.lengths)
        return sum(len(result.hypotheses[0]) for result in results)

    def stream(self) -> tuple[float, float, int]:
        stamps: list[float] = []
        started = time.perf_counter()

        def on_token(step: Any) -> bool:
            stamps.append(time.perf_counter() - started)
            return False

        self.translator.translate_batch(
            [self.streamed], beam_size=1, callback=on_token, **self.lengths
        )
        return stamps[0], stamps[-1], len(stamps)


class HuggingFace:
    def __init__(self, checkpoint: Path, settings: dict[str, Any]) -> None:
        import torch
        from transformers import AutoTokenizer, MarianMTModel

        torch.set_num_threads(settings["threads"])
        started = time.perf_counter()
        self.model = MarianMTModel.from_pretrained(str(checkpoint), dtype=torch.float32).eval()
        tokenizer = AutoTokenizer.from_pretrained(str(checkpoint))
        self.load_seconds = time.perf_counter() - started
        self.batch = tokenizer(list(SENTENCES), return_tensors="pt", padding=True)
        config = self.model.config
        self.special = {config.pad_token_id, config.eos_token_id, config.decoder_start_token_id}
        self.min_length = settings["min_length"] or None

    def translate(self, beam: int) -> int:
        import torch

        with torch.inference_mode():
            out = self.model.generate(
                **self.batch,
                num_beams=beam,
                do_sample=False,
                min_new_tokens=self.min_length,
                max_new_tokens=256,
            )
        return sum(int(token) not in self.special for token in out.flatten())


def _throughput(
    systems: dict[str, System], beams: list[int], repeats: int
) -> dict[str, dict[str, Any]]:
    """Per system and beam size: median seconds of interleaved runs, after a warm-up each."""
    results: dict[str, dict[str, Any]] = {name: {} for name in systems}
    for beam in beams:
        seconds: dict[str, list[float]] = {name: [] for name in systems}
        tokens = {name: system.translate(beam) for name, system in systems.items()}
        for _ in range(repeats):
            for name, system in systems.items():
                started = time.perf_counter()
                tokens[name] = system.translate(beam)
                seconds[name].append(time.perf_counter() - started)
        for name in systems:
            results[name][f"beam{beam}"] = {
                "seconds": statistics.median(seconds[name]),
                "target_tokens": tokens[name],
            }
    return results


def _streaming(
    systems: dict[str, Tolk | RawCTranslate2], repeats: int
) -> dict[str, dict[str, float]]:
    """Per system: median time to the first token, and per following token."""
    samples: dict[str, list[tuple[float, float, int]]] = {name: [] for name in systems}
    for system in systems.values():
        system.stream()
    for _ in range(repeats):
        for name, system in systems.items():
            samples[name].append(system.stream())
    return {
        name: {
            "first_token_ms": 1000 * statistics.median(first for first, _, _ in runs),
            "per_token_ms": 1000
            * statistics.median((end - first) / max(tokens - 1, 1) for first, end, tokens in runs),
        }
        for name, runs in samples.items()
    }


def _peak_rss_mb() -> float:
    """Peak resident memory of this process since it started its program.

    Linux carries ru_maxrss over from the forking parent (here, the runner, which built a
    model with torch); VmHWM belongs to the new address space alone.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, else KiB


def main(argv: list[str]) -> int:
    mode, package_arg, checkpoint_arg, settings_json = argv
    package, checkpoint = Path(package_arg), Path(checkpoint_arg)
    settings = json.loads(settings_json)
    result: dict[str, Any]
    if mode.startswith("memory-"):
        builders = {
            "tolk": lambda: Tolk(package, settings),
            "ct2": lambda: RawCTranslate2(package, settings),
            "hf": lambda: HuggingFace(checkpoint, settings),
        }
        system: System = builders[mode.removeprefix("memory-")]()
        system.translate(1)
        result = {"load_seconds": system.load_seconds, "peak_rss_mb": _peak_rss_mb()}
    elif mode == "speed":
        pair = {"tolk": Tolk(package, settings), "ct2": RawCTranslate2(package, settings)}
        result = _throughput(dict(pair), settings["beams"], settings["repeats"])
        for name, latency in _streaming(dict(pair), settings["repeats"]).items():
            result[name]["stream"] = latency
    else:
        hf = HuggingFace(checkpoint, settings)
        result = _throughput({"hf": hf}, settings["beams"], settings["hf_repeats"])
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
