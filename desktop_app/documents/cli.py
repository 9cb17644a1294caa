"""`tolk files`: the command-line face of the job runner (wired by desktop_app.cli)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop_app.documents.outputs import check_request
from desktop_app.documents.report import JobProgress, JobReport
from desktop_app.documents.runner import Job
from desktop_app.engine import TranslationOptions
from desktop_app.errors import InputError

EXIT_OK, EXIT_FAILED = 0, 1


def add_files_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the arguments of `tolk files` (model, languages and beam come from the caller)."""
    parser.add_argument(
        "inputs",
        nargs="+",
        type=Path,
        metavar="INPUT",
        help="files and folders (folders are searched recursively)",
    )
    parser.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        metavar="OUTDIR",
        help="write outputs here (default: beside each input)",
    )
    parser.add_argument(
        "--suffix",
        metavar="SUFFIX",
        help="inserted before the extension of outputs (default: .LANG)",
    )
    parser.add_argument(
        "--bilingual",
        action="store_true",
        help="source and translation side by side (docx, html, md, srt, vtt)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="N",
        help="files read and written in parallel (default: 1)",
    )
    parser.add_argument(
        "--include",
        action="append",
        default=[],
        metavar="GLOB",
        help="in folders, only files matching GLOB (repeatable)",
    )
    parser.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="skip files matching GLOB (repeatable)",
    )
    parser.add_argument("--overwrite", action="store_true", help="replace existing outputs")
    parser.add_argument("--quiet", action="store_true", help="no progress bar; only errors")


def run_files(args: argparse.Namespace, engine_factory: Callable[[str | None], Any]) -> int:
    """Translate the files of `args` with an engine from `engine_factory`.

    Returns:
        0 when every file was translated or skipped, 1 when any failed.
    """
    if args.jobs < 1:
        raise InputError(f"--jobs must be at least 1, got {args.jobs}")
    # Refused before the model is loaded, which takes a while. Without --to, the default
    # suffix and so the outputs are known only once the model says its language.
    if args.target is None:
        check_request(args.inputs, args.suffix, args.output_dir)
    else:
        _plan(_job(args, args.target, ""))
    engine = engine_factory(args.model)
    job = _job(args, args.target or _only_target(engine), _model_id(engine, args.model))
    if args.target is None:
        _plan(job)
    try:
        report = _run_with_progress(job, engine, quiet=args.quiet)
    except KeyboardInterrupt:
        print(
            "tolk: finished batches are kept; run the same command again to resume", file=sys.stderr
        )
        raise
    _print_report(report, quiet=args.quiet)
    return EXIT_OK if report.ok else EXIT_FAILED


def _job(args: argparse.Namespace, target: str, model_id: str) -> Job:
    return Job(
        inputs=tuple(args.inputs),
        target=target,
        source=args.source,
        output_dir=args.output_dir,
        suffix=args.suffix,
        options=TranslationOptions(beam_size=args.beam),
        model_id=model_id,
        bilingual=args.bilingual,
        include=tuple(args.include),
        exclude=tuple(args.exclude),
        overwrite=args.overwrite,
        workers=args.jobs,
    )


def _plan(job: Job) -> None:
    if not job.plan():
        raise InputError("no supported files found in: " + ", ".join(map(str, job.inputs)))


def _run_with_progress(job: Job, engine: Any, *, quiet: bool) -> JobReport:
    if quiet:
        return job.run(engine)
    from tqdm import tqdm

    with tqdm(total=0, unit="seg", desc="translating", dynamic_ncols=True, file=sys.stderr) as bar:

        def progress(update: JobProgress) -> None:
            bar.total = update.segments_total
            bar.n = update.segments_done
            bar.set_postfix_str(f"{update.words_per_second:.0f} words/s", refresh=False)
            bar.refresh()

        return job.run(engine, progress)


def _print_report(report: JobReport, *, quiet: bool) -> None:
    for result in report.files:
        if result.status == "failed":
            print(f"tolk: failed: {result.message}", file=sys.stderr)
        elif not quiet and result.status == "skipped":
            print(f"skipped {result.input}: {result.message}")
        elif not quiet:
            spans = (
                f", {result.spans_placed}/{result.spans_total} inline spans placed"
                if result.spans_total
                else ""
            )
            print(f"{result.input} -> {result.output} ({result.segments} segments{spans})")
    if not quiet:
        print(
            f"{report.segments_translated} segments translated, {report.segments_resumed} resumed "
            f"from an interrupted run, in {report.seconds:.1f} s; inline spans placed exactly: "
            f"{report.spans_placed}/{report.spans_total}"
        )


def _only_target(engine: Any) -> str:
    targets = [lang.iso for lang in engine.package.manifest.languages.target]
    if len(targets) == 1:
        return str(targets[0])
    raise InputError(f"--to is needed: this model translates into {', '.join(targets)}")


def _model_id(engine: Any, requested: str | None) -> str:
    """What the resume journal keys on: the engine's model(s), by name and weights."""
    return str(getattr(engine, "identity", None) or requested or "")
