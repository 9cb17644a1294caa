"""Document jobs against raw CTranslate2 and the engine alone on the same segments, and
peak memory.

Run: python bench/documents.py [--paragraphs 1000] [--cues 2000]
Writes bench/results/documents.json. The models are the opus-mt-en-de-shaped int8 package of
`bench.models` (random weights; `min_length` fixes the work per segment) and the demo model.
Jobs run on an engine laid out for batches (`desktop_app.engine.threads`); raw CTranslate2
runs at its default layout (one batch at a time, `max_batch_size=32`) on the same sentences,
tokenized beforehand, so it pays for no tokenization, segmentation, file reading or writing.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as `python bench/documents.py`

if TYPE_CHECKING:
    from desktop_app.engine import TranslationOptions

RESULTS = ROOT / "bench" / "results" / "documents.json"
WORDS = (
    *("the", "report", "shows", "that", "our", "small", "team", "delivered", "every"),
    *("planned", "feature", "on", "time", "while", "keeping", "costs", "under", "control"),
    *("and", "customers", "satisfied", "across", "all", "regions", "this", "year"),
)


def _sentence(n: int, length: int = 14) -> str:
    words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(length)]
    return " ".join(words).capitalize() + f" {n}."


def make_docx(path: Path, paragraphs: int) -> None:
    """Paragraphs of about fifteen words; every fifth has a bold word (an inline span)."""
    import docx

    document = docx.Document()
    for n in range(paragraphs):
        paragraph = document.add_paragraph(_sentence(n) + " ")
        if n % 5 == 0:
            paragraph.add_run("important").bold = True
            paragraph.add_run(" detail.")
    document.save(str(path))


def make_srt(path: Path, cues: int) -> None:
    blocks = []
    for n in range(cues):
        start = n * 3
        timing = f"{start // 3600:02d}:{start // 60 % 60:02d}:{start % 60:02d},000 --> "
        timing += f"{start // 3600:02d}:{start // 60 % 60:02d}:{start % 60:02d},900"
        text = _sentence(n, 10)
        half = len(text) // 2
        cut = text.index(" ", half)
        blocks.append(f"{n + 1}\n{timing}\n{text[:cut]}\n{text[cut + 1 :]}\n")
    path.write_text("\n".join(blocks), encoding="utf-8")


def _throughput(
    engine: Any,
    source: Path,
    out: Path,
    options: TranslationOptions,
    *,
    target: str = "de",
    repeats: int = 2,
) -> dict[str, Any]:
    """Best of `repeats` alternating runs: raw CTranslate2 at its default layout, the engine
    alone on the file's unique segments, then the whole job (read, translate, place spans,
    write atomically, journal)."""
    from desktop_app.documents import Job
    from desktop_app.documents.registry import handler_for

    segments = handler_for(source).extract(source.read_bytes()).segments
    texts = list(dict.fromkeys(s.text for s in segments))
    job = Job((source,), target=target, source="en", output_dir=out, options=options)
    job = dataclasses.replace(job, overwrite=True)
    ct2 = _RawCTranslate2(engine, texts, target, options)
    ct2_times, raw_times, job_times = [], [], []
    for _ in range(repeats):
        ct2_times.append(ct2.seconds())
        started = time.perf_counter()
        engine.translate_segments(texts, source="en", target=target, options=options)
        raw_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        report = job.run(engine)
        job_times.append(time.perf_counter() - started)
        assert report.ok, report.files
    raw, seconds = min(raw_times), min(job_times)
    return {
        "segments": len(texts),
        "spans": report.spans_total,
        "spans_placed_exactly": report.spans_placed,
        "engine_layout": dataclasses.asdict(engine.layout),
        "raw_ct2_default_layout_seconds": [round(t, 2) for t in ct2_times],
        "raw_engine_seconds": [round(t, 2) for t in raw_times],
        "job_seconds": [round(t, 2) for t in job_times],
        "job_over_raw_ct2_default_layout": round(min(ct2_times) / seconds, 3),
        "job_over_raw_throughput": round(raw / seconds, 3),
    }


class _RawCTranslate2:
    """CTranslate2 alone at its default thread layout, on the sentences the engine would
    decode, tokenized once beforehand."""

    def __init__(self, engine: Any, texts: list[str], target: str, options: Any) -> None:
        import ctranslate2

        from desktop_app.engine import split_text
        from desktop_app.engine.tokenizer import Tokenizer

        package = engine.package
        tokenizer = Tokenizer(package.path, package.manifest)
        source_language, target_language = package.resolve_pair("en", target)
        sentences = dict.fromkeys(s for text in texts for s in split_text(text).segments)
        self.tokens = [tokenizer.encode(s, source_language, target_language) for s in sentences]
        prefix = tokenizer.target_prefix(source_language, target_language)
        self.prefix = [prefix] * len(self.tokens) if prefix else None
        self.options = options
        self.translator = ctranslate2.Translator(
            str(package.path), device="cpu", compute_type=engine.compute_type
        )

    def seconds(self) -> float:
        started = time.perf_counter()
        self.translator.translate_batch(
            self.tokens, target_prefix=self.prefix, beam_size=self.options.beam_size,
            max_batch_size=32, min_decoding_length=max(1, self.options.min_length),
            max_decoding_length=256,
        )
        return time.perf_counter() - started


def _peak_memory(work: Path, megabytes: int) -> float:
    """Peak RSS (MiB) of a job on a text file of `megabytes`, in a fresh process."""
    source = work / f"large-{megabytes}.txt"
    if not source.exists():
        paragraph = (_sentence(1, 40) + "\n\n").encode()
        source.write_bytes(paragraph * (megabytes * 2**20 // len(paragraph)))
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from this (large) process.
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[3]);"
        "from desktop_app.documents import Job;"
        "from tests.documents.fakes import FakeTranslator;"
        "Job((Path(sys.argv[1]),), target='de', output_dir=Path(sys.argv[2]), overwrite=True)"
        ".run(FakeTranslator());"
        "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code, str(source), str(work / "memory-out"), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
    )
    return round(int(completed.stdout.split()[-1]) / 1024, 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1000)
    parser.add_argument("--cues", type=int, default=2000)
    parser.add_argument("--min-length", type=int, default=16)
    args = parser.parse_args()

    from bench import models
    from desktop_app.engine import Engine, ModelPackage, TranslationOptions

    work = Path(os.environ.get("TOLK_BENCH_WORK", Path(tempfile.gettempdir()) / "tolk-bench"))
    work.mkdir(parents=True, exist_ok=True)
    print("building the opus-mt-en-de-shaped int8 package ...", flush=True)
    checkpoint = models.build_opus_shaped_checkpoint(work)
    package = models.convert(
        checkpoint, work / "opus-mt-en-de-shaped-int8", "en", "de", reuse=True
    )
    engine = Engine(ModelPackage.open(package), device="cpu", workload="batch")
    # No cache: the raw run must not hand the job its translations.
    options = TranslationOptions(beam_size=1, min_length=args.min_length, use_cache=False)
    engine.translate_segments(["Warm up."], source="en", target="de", options=options)

    docx_path, srt_path = work / "bench.docx", work / "bench.srt"
    make_docx(docx_path, args.paragraphs)
    make_srt(srt_path, args.cues)
    report: dict[str, Any] = {
        "model": "opus-mt-en-de-shaped (random weights), int8, CPU, greedy",
        "options": dataclasses.asdict(options),
        "command": " ".join(["python bench/documents.py", *sys.argv[1:]]),
        "cpu_count": os.cpu_count(),
        "load_average_at_start": os.getloadavg(),
    }
    for name, path in (("docx", docx_path), ("srt", srt_path)):
        print(f"{name}: raw engine, then the document job ...", flush=True)
        report[name] = _throughput(engine, path, work / "out", options)
        print(f"  {report[name]}", flush=True)
    if (models.DEMO_CHECKPOINT / "config.json").is_file():
        # A trained model: the only run where span placement means something.
        demo_path = work / "demo-en-fr-int8"
        demo = models.convert(models.DEMO_CHECKPOINT, demo_path, "en", "fr", reuse=True)
        demo_engine = Engine(ModelPackage.open(demo), device="cpu", workload="batch")
        trained = TranslationOptions(beam_size=4, use_cache=False)
        report["demo-en-fr docx"] = _throughput(
            demo_engine, docx_path, work / "out", trained, target="fr"
        )
        print(f"  demo-en-fr: {report['demo-en-fr docx']}", flush=True)
    print("peak memory of text jobs (fake translator) ...", flush=True)
    sizes = (2, 16, 64)  # 2 MiB is held whole; larger text files are streamed in parts
    report["peak_rss_mib_by_text_size_mib"] = {size: _peak_memory(work, size) for size in sizes}
    print(f"  {report['peak_rss_mib_by_text_size_mib']}", flush=True)
    report["bench_process_peak_rss_mib"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
