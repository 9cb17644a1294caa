"""The job runner: batching, de-duplication, outputs, resume after a crash, per-file errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from desktop_app.documents import Job, JobProgress, encoding
from desktop_app.documents.formats.plaintext import PlainTextHandler
from desktop_app.errors import DocumentError, InputError, TranslationCancelled
from tests.documents import kill_job
from tests.documents.fakes import FakeTranslator
from tests.documents.office_samples import make_docx

REPO = Path(__file__).resolve().parents[2]
CUES = "".join(
    f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},900\nLine number {n} of the <i>film</i>.\n\n"
    for n in range(1, 21)
)


def _inputs(folder: Path) -> list[Path]:
    folder.mkdir()
    (folder / "notes.txt").write_text(
        "".join(f"Paragraph {n} says something.\n\n" for n in range(12)) + "Shared line.\n"
    )
    (folder / "film.srt").write_text(CUES + "21\n00:00:30,000 --> 00:00:31,000\nShared line.\n")
    (folder / "page.html").write_text(
        "<html><body>"
        + "".join(f"<p>Web <b>para</b> {n}.</p>" for n in range(8))
        + "</body></html>"
    )
    (folder / "report.docx").write_bytes(make_docx())
    return sorted(folder.iterdir())


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def test_all_files_go_through_the_translator_together_and_duplicates_once(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")
    translator = FakeTranslator()
    progress: list[JobProgress] = []
    report = Job((tmp_path / "in",), target="fr").run(translator, progress.append)
    assert report.ok
    assert [f.status for f in report.files] == ["translated"] * len(inputs)
    assert len(translator.calls) == 2  # one plain batch, one aligned batch, for all files
    texts = translator.texts_translated
    assert len(texts) == len(set(texts))
    assert texts.count("Shared line.") == 1
    assert progress[-1].segments_done == progress[-1].segments_total == report.segments_total
    assert report.spans_placed == report.spans_total > 20
    assert (
        (tmp_path / "in" / "film.fr.srt")
        .read_text()
        .startswith("1\n00:00:01,000 --> 00:00:01,900\nLINE NUMBER 1 OF THE <i>FILM</i>.\n")
    )
    assert not list((tmp_path / "in").glob(".tolk-job-*")), "the journal is removed when done"


def test_existing_outputs_are_kept_unless_overwrite(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("hello\n")
    output = tmp_path / "a.fr.txt"
    output.write_text("mine\n")
    report = Job((source,), target="fr").run(FakeTranslator())
    assert report.files[0].status == "skipped" and output.read_text() == "mine\n"
    report = Job((source,), target="fr", overwrite=True).run(FakeTranslator())
    assert report.files[0].status == "translated" and output.read_text() == "HELLO\n"


def test_outputs_never_replace_inputs(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("hello\n")
    with pytest.raises(InputError, match="overwrite inputs"):
        Job((source,), target="fr", suffix="").run(FakeTranslator())
    with pytest.raises(InputError, match="is one of the inputs"):
        Job((source,), target="fr", suffix="", output_dir=tmp_path).run(FakeTranslator())
    assert source.read_text() == "hello\n"


def test_folders_are_searched_with_globs_and_outputs_mirror_them(tmp_path: Path) -> None:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "a.txt").write_text("a\n")
    (tmp_path / "docs" / "sub" / "b.md").write_text("b\n")
    (tmp_path / "docs" / "sub" / "c.txt").write_text("c\n")
    (tmp_path / "docs" / "sub" / "c.fr.txt").write_text("an earlier output\n")
    (tmp_path / "docs" / "image.png").write_bytes(b"\x89PNG")
    job = Job((tmp_path / "docs",), target="fr", output_dir=tmp_path / "out", exclude=("sub/c*",))
    report = job.run(FakeTranslator())
    assert sorted(str(f.output.relative_to(tmp_path / "out")) for f in report.files) == [
        "a.fr.txt",
        "sub/b.fr.md",
    ]
    assert (tmp_path / "out" / "sub" / "b.fr.md").read_text() == "B\n"
    only_md = Job((tmp_path / "docs",), target="de", output_dir=tmp_path / "md", include=("*.md",))
    assert [f.input.name for f in only_md.run(FakeTranslator()).files] == ["b.md"]


def test_one_broken_file_is_reported_and_the_others_go_on(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("fine\n")
    (tmp_path / "bad.srt").write_text("1\n00:00:01,000 --> nonsense\nx\n")
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    report = Job((tmp_path,), target="fr").run(FakeTranslator())
    status = {f.input.name: (f.status, f.message) for f in report.files}
    assert status["good.txt"][0] == "translated"
    assert status["bad.srt"][0] == "failed" and "bad timing" in status["bad.srt"][1]
    assert status["bad.docx"][0] == "failed" and "not a valid zip archive" in status["bad.docx"][1]
    assert not report.ok
    assert not (tmp_path / "bad.fr.srt").exists()


def test_an_unwritable_output_folder_fails_clearly_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("hello\n")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the output folder should be")
    with pytest.raises(DocumentError, match="cannot write"):
        Job((tmp_path / "a.txt",), target="fr", output_dir=blocker / "out").run(FakeTranslator())
    assert blocker.read_text().startswith("a file")


def test_a_failed_rename_leaves_no_partial_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("hello\n")

    def refuse(*_: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    report = Job((tmp_path / "a.txt",), target="fr").run(FakeTranslator())
    assert report.files[0].status == "failed"
    assert "Permission denied" in report.files[0].message
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".tolk-job")) == [
        "a.txt"
    ]


def test_cancel_stops_between_batches_and_a_rerun_resumes(tmp_path: Path) -> None:
    _inputs(tmp_path / "in")
    cancel = threading.Event()
    translator = FakeTranslator(on_call=lambda n: cancel.set() if n == 2 else None)
    job = Job((tmp_path / "in",), target="fr", batch_chars=60)
    with pytest.raises(TranslationCancelled):
        job.run(translator, cancel=cancel)
    first = translator.texts_translated
    again = FakeTranslator()
    report = job.run(again)
    assert report.ok and report.segments_resumed == len(first)
    assert not set(first) & set(again.texts_translated)


def test_a_batch_cut_short_in_the_journal_is_decoded_whole_again(tmp_path: Path) -> None:
    # What else is in a batch can change a model's translation: a resumed job must send the
    # model the batches an uninterrupted one does, even when a crash kept part of one.
    _inputs(tmp_path / "in")
    planned = FakeTranslator()
    Job((tmp_path / "in",), target="fr", output_dir=tmp_path / "straight", batch_chars=60).run(
        planned
    )
    cancel = threading.Event()
    job = Job((tmp_path / "in",), target="fr", output_dir=tmp_path / "out", batch_chars=60)
    with pytest.raises(TranslationCancelled):
        job.run(FakeTranslator(on_call=lambda _: cancel.set()), cancel=cancel)
    (journal,) = (tmp_path / "out").glob(".tolk-job-*.jsonl")
    lines = journal.read_text().splitlines(keepends=True)
    assert len(lines) == len(planned.calls[0]) > 1
    journal.write_text("".join(lines[:1]))  # the rest of the batch never reached the disk

    resumed = FakeTranslator()
    report = job.run(resumed)

    assert report.ok and report.segments_resumed == 1
    assert resumed.calls == planned.calls
    assert _outputs(tmp_path / "out") == _outputs(tmp_path / "straight")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("point", "count"), [("call", 1), ("call", 4), ("fsync", 3), ("replace", 2)]
)
def test_killed_job_resumes_to_identical_output(
    tmp_path: Path, point: str, count: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text input is streamed in parts here, as in the killed process."""
    monkeypatch.setattr(PlainTextHandler, "stream_above_bytes", kill_job.STREAM_ABOVE_BYTES)
    monkeypatch.setattr(encoding.read_decoded, "__defaults__", (kill_job.STREAM_BLOCK_BYTES,))
    inputs = _inputs(tmp_path / "in")
    reference = tmp_path / "reference"
    Job(tuple(inputs), target="fr", output_dir=reference, batch_chars=60).run(FakeTranslator())

    output = tmp_path / "out"
    command = [sys.executable, "-m", "tests.documents.kill_job", str(output), point, str(count)]
    killed = subprocess.run(
        [*command, *map(str, inputs)], cwd=REPO, capture_output=True, check=False
    )
    assert killed.returncode == -9, killed.stderr.decode()
    journals = list(output.glob(".tolk-job-*.jsonl"))
    lines = journals[0].read_text().splitlines() if journals else []
    journaled = {json.loads(line)["k"] for line in lines}

    resumed = FakeTranslator()
    report = Job(tuple(inputs), target="fr", output_dir=output, batch_chars=60).run(resumed)
    assert report.ok
    if point != "replace":  # nothing was written yet: every journaled segment is reused
        assert report.segments_resumed == len(journaled)
    assert len(resumed.texts_translated) == report.segments_total - report.segments_resumed
    assert _outputs(output) == _outputs(reference)
    assert not list(output.glob(".*")), "no journal or temp file left"


def test_run_files_exit_codes_and_quiet_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from desktop_app.documents.cli import add_files_arguments, run_files

    parser = argparse.ArgumentParser()
    add_files_arguments(parser)
    parser.add_argument("--model")
    parser.add_argument("--from", dest="source")
    parser.add_argument("--to", dest="target")
    parser.add_argument("--beam", type=int, default=4)
    (tmp_path / "a.txt").write_text("hello\n")
    args = parser.parse_args([str(tmp_path / "a.txt"), "--to", "fr", "--quiet"])
    assert run_files(args, lambda model: FakeTranslator()) == 0
    assert capsys.readouterr().out == ""
    assert (tmp_path / "a.fr.txt").read_text() == "HELLO\n"
    (tmp_path / "b.srt").write_text("garbage\n\n1\n00:00:01,000 --> x\nno\n")
    args = parser.parse_args([str(tmp_path), "--to", "de"])
    assert run_files(args, lambda model: FakeTranslator()) == 1
    captured = capsys.readouterr()
    assert "failed" in captured.err and "b.srt" in captured.err
    assert "a.txt ->" in captured.out


def test_copy_of_inputs_is_untouched(tmp_path: Path) -> None:
    inputs = _inputs(tmp_path / "in")
    before = {p: p.read_bytes() for p in inputs}
    shutil.copytree(tmp_path / "in", tmp_path / "copy")
    Job((tmp_path / "in",), target="fr").run(FakeTranslator())
    assert {p: p.read_bytes() for p in inputs} == before


def test_a_format_that_fails_to_write_one_file_fails_only_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.documents.formats.subtitles import SubtitleHandler

    def broken_write(*args: object, **kwargs: object) -> bytes:
        raise ValueError("serializer bug")

    monkeypatch.setattr(SubtitleHandler, "write", broken_write)
    inputs = _inputs(tmp_path / "in")

    report = Job(tuple(inputs), target="fr", output_dir=tmp_path / "out").run(FakeTranslator())

    by_name = {result.input.name: result for result in report.files}
    assert by_name["film.srt"].status == "failed"
    assert "cannot be written as .srt (ValueError: serializer bug)" in by_name["film.srt"].message
    assert not (tmp_path / "out" / "film.fr.srt").exists()
    others = [result for name, result in by_name.items() if name != "film.srt"]
    assert others and all(result.status == "translated" for result in others)
