"""The job runner: every segment of every file through the translator in large batches,
journaled for resume, written atomically beside (never over) the inputs."""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import Any, Literal

from desktop_app.documents.inline import place_spans
from desktop_app.documents.model import AnyHandler, Extracted, Segment, TranslatedSegment
from desktop_app.documents.paths import PlannedFile, plan
from desktop_app.documents.registry import handler_for
from desktop_app.documents.safety import check_text_size
from desktop_app.documents.storage import Journal, JournalEntry, write_atomic
from desktop_app.documents.translator import Translator
from desktop_app.errors import DocumentError, TolkError, TranslationCancelled

JOURNAL_VERSION = 1

FileStatus = Literal["translated", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class FileResult:
    """What happened to one input file."""

    input: Path
    output: Path | None
    status: FileStatus
    message: str = ""
    segments: int = 0
    spans_total: int = 0
    spans_placed: int = 0


@dataclass(frozen=True, slots=True)
class JobProgress:
    """Reported after every batch: unique segments done out of the job's total."""

    segments_done: int
    segments_total: int
    words_translated: int
    seconds: float

    @property
    def words_per_second(self) -> float:
        return self.words_translated / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class JobReport:
    """Per-file results and job totals."""

    files: tuple[FileResult, ...]
    segments_total: int
    segments_translated: int
    segments_resumed: int
    seconds: float

    @property
    def ok(self) -> bool:
        return all(f.status != "failed" for f in self.files)

    @property
    def spans_total(self) -> int:
        return sum(f.spans_total for f in self.files)

    @property
    def spans_placed(self) -> int:
        return sum(f.spans_placed for f in self.files)


@dataclass(frozen=True, slots=True)
class Job:
    """A batch translation of files and folders.

    Attributes:
        inputs: files and folders (searched recursively for supported files).
        target: target language code; also the default output suffix (`.fr`).
        source: source language code, or None for the model's own.
        output_dir: where outputs go; None puts each beside its input.
        suffix: inserted before the extension of outputs; None means `.<target>`.
        options: engine options (TranslationOptions or a dict), passed through.
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
    options: Any = None
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
class _Run:
    job: Job
    translator: Translator
    progress: Callable[[JobProgress], None] | None
    cancel: threading.Event | None
    started: float = field(default_factory=time.monotonic)
    words: int = 0

    def execute(self) -> JobReport:
        planned = self.job.plan()
        results: dict[Path, FileResult] = {}
        pending = []
        for item in planned:
            if item.output.exists() and not self.job.overwrite:
                results[item.input] = FileResult(
                    item.input,
                    item.output,
                    "skipped",
                    "output exists (use --overwrite to replace it)",
                )
            else:
                pending.append(item)
        _prepare_folders(pending)
        loaded = self._load_all(pending, results)
        journal = Journal(self._journal_path(planned))
        work = _unique_work(loaded)
        resumed = sum(1 for key in work if key in journal.entries)
        translated = self._translate(work, journal)
        wrote_all = self._write_all(loaded, journal, results)
        if wrote_all:
            journal.remove()
        return JobReport(
            tuple(results[item.input] for item in planned),
            segments_total=len(work),
            segments_translated=translated,
            segments_resumed=resumed,
            seconds=time.monotonic() - self.started,
        )

    def _journal_path(self, planned: Sequence[PlannedFile]) -> Path:
        identity = {
            "version": JOURNAL_VERSION,
            "model": self.job.model_id,
            "source": self.job.source,
            "target": self.job.target,
            "options": _plain(self.job.options),
            "files": [[str(p.input), str(p.output)] for p in planned],
        }
        digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:20]
        folder = self.job.output_dir or (planned[0].output.parent if planned else Path())
        return folder / f".tolk-job-{digest}.jsonl"

    def _load_all(
        self, pending: list[PlannedFile], results: dict[Path, FileResult]
    ) -> list[_Loaded]:
        with ThreadPoolExecutor(max(1, self.job.workers)) as pool:
            outcomes = list(pool.map(_load, pending))
        loaded = []
        for item, outcome in zip(pending, outcomes, strict=True):
            if isinstance(outcome, str):
                results[item.input] = FileResult(item.input, item.output, "failed", outcome)
            else:
                loaded.append(outcome)
        return loaded

    def _translate(self, work: dict[str, Segment], journal: Journal) -> int:
        """Translate what the journal lacks, in deterministic length-sorted batches."""
        total = len(work)
        done = sum(1 for key in work if key in journal.entries)
        translated = 0
        self._report(done, total)
        for batch in _batches(work, self.job.batch_chars):
            missing = [key for key in batch if key not in journal.entries]
            if not missing:
                continue
            if self.cancel is not None and self.cancel.is_set():
                raise TranslationCancelled("document translation stopped; run it again to resume")
            entries = self._call([work[key] for key in missing], self._batch_progress(done, total))
            journal.append(zip(missing, entries, strict=True))
            done += len(missing)
            translated += len(missing)
            self.words += sum(len(e.text.split()) for e in entries)
            self._report(done, total)
        return translated

    def _call(
        self, segments: list[Segment], progress: Callable[[int, int], None]
    ) -> list[JournalEntry]:
        job = self.job
        texts = [s.text for s in segments]
        if segments[0].spans:
            aligned = self.translator.translate_aligned(
                texts,
                source=job.source,
                target=job.target,
                options=job.options,
                progress=progress,
                cancel=self.cancel,
            )
            return [JournalEntry(a.text, tuple(a.alignment)) for a in aligned]
        plain = self.translator.translate_segments(
            texts,
            source=job.source,
            target=job.target,
            options=job.options,
            progress=progress,
            cancel=self.cancel,
        )
        return [JournalEntry(text, None) for text in plain]

    def _batch_progress(self, base: int, total: int) -> Callable[[int, int], None]:
        def progress(done: int, _batch_total: int) -> None:
            self._report(base + done, total)

        return progress

    def _report(self, done: int, total: int) -> None:
        if self.progress is not None:
            elapsed = time.monotonic() - self.started
            self.progress(JobProgress(done, total, self.words, elapsed))

    def _write_all(
        self, loaded: list[_Loaded], journal: Journal, results: dict[Path, FileResult]
    ) -> bool:
        def write(item: _Loaded) -> FileResult:
            return _write(item, journal, self.job)

        with ThreadPoolExecutor(max(1, self.job.workers)) as pool:
            for item, result in zip(loaded, pool.map(write, loaded), strict=True):
                results[item.planned.input] = result
        return all(results[item.planned.input].status == "translated" for item in loaded)


def _prepare_folders(pending: Sequence[PlannedFile]) -> None:
    """Fail before any translation work when an output folder cannot be made."""
    for folder in sorted({item.output.parent for item in pending}):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DocumentError(
                f"{folder}: cannot write outputs there ({error.strerror or error})"
            ) from None


def _load(item: PlannedFile) -> _Loaded | str:
    try:
        handler = handler_for(item.input)
        check_text_size(item.input.stat().st_size, item.input.name, handler.max_input_bytes)
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
    translations = [_translated(segment, journal) for segment in segments]
    spans_total = sum(t.spans_total for t in translations)
    spans_placed = sum(t.spans_placed for t in translations)
    try:
        data = item.handler.write(
            item.extracted, translations, target=job.target, bilingual=job.bilingual
        )
        planned.output.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(planned.output, data)
    except TolkError as error:
        return FileResult(planned.input, planned.output, "failed", f"{planned.input}: {error}")
    except OSError as error:
        message = f"{planned.output}: cannot write ({error.strerror or error})"
        return FileResult(planned.input, planned.output, "failed", message)
    return FileResult(
        planned.input, planned.output, "translated", "", len(segments), spans_total, spans_placed
    )


def _translated(segment: Segment, journal: Journal) -> TranslatedSegment:
    entry = journal.entries.get(_key(segment))
    if entry is None:
        raise DocumentError("a segment is missing from the job journal")
    return place_spans(segment, entry.text, entry.alignment or ())


def _key(segment: Segment) -> str:
    mode = "a" if segment.spans else "p"
    return hashlib.sha256(f"{mode}\x00{segment.text}".encode()).hexdigest()[:32]


def _unique_work(loaded: list[_Loaded]) -> dict[str, Segment]:
    work: dict[str, Segment] = {}
    for item in loaded:
        for segment in item.extracted.segments:
            work.setdefault(_key(segment), segment)
    return work


def _batches(work: dict[str, Segment], batch_chars: int) -> list[list[str]]:
    """Keys in batches of similar length; the same job always gets the same batches.

    Plain and aligned segments never share a batch (they take different engine calls).
    """
    ordered = sorted(work, key=lambda k: (bool(work[k].spans), len(work[k].text), work[k].text))
    batches: list[list[str]] = []
    size = 0
    for key in ordered:
        segment = work[key]
        starts_new = (
            not batches
            or size + len(segment.text) > batch_chars
            or (bool(work[batches[-1][0]].spans) != bool(segment.spans))
        )
        if starts_new:
            batches.append([])
            size = 0
        batches[-1].append(key)
        size += len(segment.text)
    return batches


def _plain(options: Any) -> Any:
    if options is None or isinstance(options, dict):
        return options
    if is_dataclass(options) and not isinstance(options, type):
        return asdict(options)
    return repr(options)
