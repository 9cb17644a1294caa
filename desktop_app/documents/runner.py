"""The job runner: every segment of every file through the translator in large batches,
journaled for resume, written atomically beside (never over) the inputs."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.documents import batching
from desktop_app.documents.model import AnyHandler, Extracted, Segment, StreamingHandler
from desktop_app.documents.outputs import PlannedFile, output_exists, plan, prepare_folders
from desktop_app.documents.registry import handler_for
from desktop_app.documents.report import FileResult, JobProgress, JobReport
from desktop_app.documents.safety import check_text_size
from desktop_app.documents.storage import Journal, JournalEntry, atomic_output, write_atomic
from desktop_app.documents.translator import Translator
from desktop_app.engine import TranslationOptions
from desktop_app.errors import DocumentError, TolkError, TranslationCancelled

JOURNAL_VERSION = 1

# The report types are defined in report.py and re-exported here for callers of the runner.
__all__ = ["FileResult", "Job", "JobProgress", "JobReport"]


@dataclass(frozen=True, slots=True)
class Job:
    """A batch translation of files and folders.

    Attributes:
        inputs: files and folders (searched recursively for supported files).
        target: target language code; also the default output suffix (`.fr`).
        source: source language code, or None for the model's own.
        output_dir: where outputs go; None puts each beside its input.
        suffix: inserted before the extension of outputs; None means `.<target>`.
        options: engine options; None for the defaults.
        model_id: identifies the model in the resume journal (a different model starts afresh).
        bilingual: source and translation side by side where the format allows.
        include, exclude: glob patterns on paths found in folders.
        overwrite: replace existing outputs instead of skipping their inputs.
        workers: files read and written in parallel.
        batch_chars: characters of source text per translator call and journal flush.
    """

    inputs: tuple[Path, ...]
    target: str
    source: str | None = None
    output_dir: Path | None = None
    suffix: str | None = None
    options: TranslationOptions | None = None
    model_id: str = ""
    bilingual: bool = False
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    overwrite: bool = False
    workers: int = 1
    batch_chars: int = 50_000

    @property
    def output_suffix(self) -> str:
        return f".{self.target}" if self.suffix is None else self.suffix

    def plan(self) -> list[PlannedFile]:
        """The input files and their outputs (InputError for a missing input)."""
        return plan(
            self.inputs,
            include=self.include,
            exclude=self.exclude,
            suffix=self.output_suffix,
            output_dir=self.output_dir,
        )

    def run(
        self,
        translator: Translator,
        progress: Callable[[JobProgress], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> JobReport:
        """Translate every planned file; per-file failures are reported, the rest goes on.

        Raises:
            TranslationCancelled: `cancel` was set; finished batches stay journaled.
            TolkError: the translator failed; finished batches stay journaled.
        """
        return _Run(self, translator, progress, cancel).execute()


@dataclass(slots=True)
class _Loaded:
    planned: PlannedFile
    handler: AnyHandler
    extracted: Extracted[Any]


@dataclass(slots=True)
class _Streamed:
    """A file too large to hold whole: read, translated and written part by part."""

    planned: PlannedFile
    handler: StreamingHandler[Any]


@dataclass(slots=True)
class _Run:
    job: Job
    translator: Translator
    progress: Callable[[JobProgress], None] | None
    cancel: threading.Event | None
    started: float = field(default_factory=time.monotonic)
    words: int = 0
    done: int = 0
    total: int = 0
    translated: int = 0
    resumed: int = 0

    def execute(self) -> JobReport:
        planned = self.job.plan()
        results: dict[Path, FileResult] = {}
        pending = []
        for item in planned:
            if output_exists(item.output) and not self.job.overwrite:
                message = "output exists (use --overwrite to replace it)"
                results[item.input] = FileResult(item.input, item.output, "skipped", message)
            else:
                pending.append(item)
        prepare_folders(pending, self.job.output_dir)
        loaded, streamed = self._load_all(pending, results)
        journal = Journal(self._journal_path(planned))
        work = batching.unique_work(s for item in loaded for s in item.extracted.segments)
        self.total = len(work)
        self._translate(work, journal)
        self._write_all(loaded, journal, results)
        for big in streamed:
            results[big.planned.input] = self._stream(big, journal)
        written = [f.planned.input for f in loaded] + [f.planned.input for f in streamed]
        if all(results[path].status == "translated" for path in written):
            journal.remove()
        return JobReport(
            tuple(results[item.input] for item in planned),
            segments_total=self.total,
            segments_translated=self.translated,
            segments_resumed=self.resumed,
            seconds=time.monotonic() - self.started,
        )

    def _journal_path(self, planned: Sequence[PlannedFile]) -> Path:
        identity = {
            "version": JOURNAL_VERSION,
            "model": self.job.model_id,
            "source": self.job.source,
            "target": self.job.target,
            "options": asdict(self.job.options or TranslationOptions()),
            "files": [[str(p.input), str(p.output)] for p in planned],
        }
        digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:20]
        folder = self.job.output_dir or (planned[0].output.parent if planned else Path())
        return folder / f".tolk-job-{digest}.jsonl"

    def _load_all(
        self, pending: list[PlannedFile], results: dict[Path, FileResult]
    ) -> tuple[list[_Loaded], list[_Streamed]]:
        with ThreadPoolExecutor(max(1, self.job.workers)) as pool:
            outcomes = list(pool.map(_load, pending))
        for item, outcome in zip(pending, outcomes, strict=True):
            if isinstance(outcome, str):
                results[item.input] = FileResult(item.input, item.output, "failed", outcome)
        loaded = [o for o in outcomes if isinstance(o, _Loaded)]
        return loaded, [o for o in outcomes if isinstance(o, _Streamed)]

    def _translate(self, work: dict[str, Segment], journal: Journal) -> None:
        """Translate what the journal lacks, in deterministic length-sorted batches."""
        finished = sum(1 for key in work if key in journal.entries)
        self.done += finished
        self.resumed += finished
        self._report()
        for batch in batching.batches(work, self.job.batch_chars):
            missing = [key for key in batch if key not in journal.entries]
            if not missing:
                continue
            if self.cancel is not None and self.cancel.is_set():
                raise TranslationCancelled("document translation stopped; run it again to resume")
            # The whole batch, even when a torn journal kept part of it: what else is in a
            # batch can change a translation, and a resumed job must decode what an
            # uninterrupted one does.
            entries = self._call([work[key] for key in batch], self._batch_progress(self.done))
            fresh = dict(zip(batch, entries, strict=True))
            journal.append((key, fresh[key]) for key in missing)
            self.done += len(missing)
            self.translated += len(missing)
            self.words += sum(len(e.text.split()) for e in entries)
            self._report()

    def _call(
        self, segments: list[Segment], progress: Callable[[int, int], None]
    ) -> list[JournalEntry]:
        job = self.job
        texts = [s.text for s in segments]
        # Translations remembered from earlier calls would leave the batches that the job
        # planned; the job dedups its segments and journals them itself.
        options = (job.options or TranslationOptions()).with_(use_cache=False)
        request: dict[str, Any] = {"source": job.source, "target": job.target}
        request |= {"options": options, "progress": progress, "cancel": self.cancel}
        if segments[0].spans:
            aligned = self.translator.translate_aligned(texts, **request)
            return [JournalEntry(a.text, tuple(a.alignment)) for a in aligned]
        plain = self.translator.translate_segments(texts, **request)
        return [JournalEntry(text, None) for text in plain]

    def _batch_progress(self, base: int) -> Callable[[int, int], None]:
        def progress(done: int, _batch_total: int) -> None:
            self._report(base + done)

        return progress

    def _report(self, done: int | None = None) -> None:
        if self.progress is not None:
            elapsed = time.monotonic() - self.started
            count = self.done if done is None else done
            self.progress(JobProgress(count, self.total, self.words, elapsed))

    def _write_all(
        self, loaded: list[_Loaded], journal: Journal, results: dict[Path, FileResult]
    ) -> None:
        def write(item: _Loaded) -> FileResult:
            return _write(item, journal, self.job)

        with ThreadPoolExecutor(max(1, self.job.workers)) as pool:
            for item, result in zip(loaded, pool.map(write, loaded), strict=True):
                results[item.planned.input] = result

    def _stream(self, item: _Streamed, journal: Journal) -> FileResult:
        """Each part: translate (journaled under the part's number), write, forget."""
        planned, handler = item.planned, item.handler
        counts = [0, 0, 0]  # segments, spans, spans placed
        try:
            with (
                planned.input.open("rb") as source,
                atomic_output(planned.output, like=planned.input) as output,
            ):
                for number, part in enumerate(handler.extract_parts(source)):
                    work = batching.unique_work(part.segments, scope=str(number))
                    self.total += len(work)
                    self._translate(work, journal)
                    done = [batching.translated(s, journal, str(number)) for s in part.segments]
                    target, bilingual = self.job.target, self.job.bilingual
                    output.write(handler.write(part, done, target=target, bilingual=bilingual))
                    journal.forget(work)
                    counts[0] += len(done)
                    counts[1] += sum(t.spans_total for t in done)
                    counts[2] += sum(t.spans_placed for t in done)
        except (DocumentError, OSError) as error:  # the translator's errors stop the job
            message = error.strerror if isinstance(error, OSError) else str(error)
            message = f"{planned.input}: {message}"
            return FileResult(planned.input, planned.output, "failed", message)
        return FileResult(planned.input, planned.output, "translated", "", *counts)


def _load(item: PlannedFile) -> _Loaded | _Streamed | str:
    try:
        handler = handler_for(item.input)
        size = item.input.stat().st_size
        check_text_size(size, item.input.name, handler.max_input_bytes)
        if isinstance(handler, StreamingHandler) and size > handler.stream_above_bytes:
            return _Streamed(item, handler)
        check_text_size(size, item.input.name)
        return _Loaded(item, handler, handler.extract(item.input.read_bytes()))
    except TolkError as error:
        message = str(error)
        return message if message.startswith(item.input.name) else f"{item.input}: {message}"
    except OSError as error:
        return f"{item.input}: cannot read ({error.strerror or error})"
    except Exception as error:  # a parser's own failure on a broken file must not stop the job
        reason = f"{type(error).__name__}: {error}"
        return f"{item.input.name}: cannot be read as {item.input.suffix} ({reason})"


def _write(item: _Loaded, journal: Journal, job: Job) -> FileResult:
    planned = item.planned
    segments = item.extracted.segments
    translations = [batching.translated(segment, journal) for segment in segments]
    spans_total = sum(t.spans_total for t in translations)
    spans_placed = sum(t.spans_placed for t in translations)
    try:
        data = item.handler.write(
            item.extracted, translations, target=job.target, bilingual=job.bilingual
        )
        write_atomic(planned.output, data, like=planned.input)
    except TolkError as error:
        return FileResult(planned.input, planned.output, "failed", f"{planned.input}: {error}")
    except OSError as error:
        message = f"{planned.output}: cannot write ({error.strerror or error})"
        return FileResult(planned.input, planned.output, "failed", message)
    except Exception as error:  # a serializer's own failure on one file must not stop the job
        reason = f"{type(error).__name__}: {error}"
        suffix = planned.input.suffix
        message = f"{planned.input}: the translation cannot be written as {suffix} ({reason})"
        return FileResult(planned.input, planned.output, "failed", message)
    return FileResult(
        planned.input, planned.output, "translated", "", len(segments), spans_total, spans_placed
    )

