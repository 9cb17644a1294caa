"""Documents through the real engine, on the tiny Marian package built in the test session."""

from __future__ import annotations

import io
import re
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import docx
import pytest

from desktop_app.documents import Job
from desktop_app.engine import Engine, ModelPackage
from desktop_app.engine.decoding import Decoder
from desktop_app.errors import TranslationCancelled
from tests.documents.office_samples import make_docx

pytestmark = pytest.mark.slow

SRT = "".join(
    f"{n}\n00:00:{n:02d},000 --> 00:00:{n:02d},500\n"
    f"The house is <i>small</i> and old.\nNumber {n}.\n\n"
    for n in range(1, 9)
)


@pytest.fixture(scope="module")
def engine(tiny_package: Callable[[str], Path]) -> Iterator[Engine]:
    built = Engine(ModelPackage.open(tiny_package("marian")), device="cpu")
    yield built
    built.close()


def _documents(folder: Path) -> tuple[Path, ...]:
    folder.mkdir()
    (folder / "film.srt").write_text(SRT)
    (folder / "notes.txt").write_text("The house is small.\n\nIt is old.\n")
    (folder / "page.html").write_text(
        "<p>The <b>house</b> is small.</p><p>It is <a href='/x'>old</a>.</p>"
    )
    (folder / "report.docx").write_bytes(make_docx())
    return tuple(sorted(folder.iterdir()))


def test_a_job_translates_every_format_with_the_engine(engine: Engine, tmp_path: Path) -> None:
    inputs = _documents(tmp_path / "in")
    report = Job(inputs, target="de", output_dir=tmp_path / "out", model_id="tiny").run(engine)
    assert report.ok, report.files
    assert report.segments_total > 10 and report.spans_total > 10
    srt = (tmp_path / "out" / "film.de.srt").read_text()
    assert re.findall(r"\d\d:\d\d:\d\d,\d{3} --> .*", srt) == re.findall(
        r"\d\d:\d\d:\d\d,\d{3} --> .*", SRT
    )
    document = docx.Document(io.BytesIO((tmp_path / "out" / "report.de.docx").read_bytes()))
    assert len(document.paragraphs) == len(docx.Document(io.BytesIO(make_docx())).paragraphs)


class _StopAfterOneBatch:
    """The engine, with Stop pressed as its first batch comes back (Stop within a batch
    loses that batch)."""

    def __init__(self, engine: Engine, cancel: threading.Event) -> None:
        self.engine, self.cancel = engine, cancel

    def translate_segments(self, texts: Any, **request: Any) -> Any:
        try:
            return self.engine.translate_segments(texts, **request)
        finally:
            self.cancel.set()

    def translate_aligned(self, texts: Any, **request: Any) -> Any:
        try:
            return self.engine.translate_aligned(texts, **request)
        finally:
            self.cancel.set()


def test_a_cancelled_job_resumes_to_the_same_output(engine: Engine, tmp_path: Path) -> None:
    inputs = _documents(tmp_path / "in")
    Job(inputs, target="de", output_dir=tmp_path / "straight", batch_chars=80).run(engine)

    cancel = threading.Event()
    job = Job(inputs, target="de", output_dir=tmp_path / "resumed", batch_chars=80)
    with pytest.raises(TranslationCancelled):
        job.run(_StopAfterOneBatch(engine, cancel), cancel=cancel)
    report = job.run(engine)
    assert report.segments_resumed > 0
    for source in (tmp_path / "straight").iterdir():
        assert (tmp_path / "resumed" / source.name).read_bytes() == source.read_bytes()


def test_tolk_files_end_to_end(tmp_path: Path, tiny_package: Callable[[str], Path]) -> None:
    from tests.app.test_cli_errors import tolk

    shutil.copytree(tiny_package("marian"), tmp_path / "models" / "tiny")
    inputs = _documents(tmp_path / "in")
    (tmp_path / "in" / "broken.srt").write_text("1\n00:00:01,000 --> soon\nx\n")
    out = tmp_path / "out"
    result = tolk(
        "files", *map(str, inputs), "--to", "de", "-o", str(out), "--quiet", home=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert sorted(p.name for p in out.iterdir()) == [
        "film.de.srt",
        "notes.de.txt",
        "page.de.html",
        "report.de.docx",
    ]
    again = tolk("files", str(tmp_path / "in"), "--to", "de", "-o", str(out), home=tmp_path)
    assert again.returncode == 1
    assert "broken.srt" in again.stderr and "bad timing" in again.stderr
    assert again.stdout.count("skipped") == 4  # outputs exist and are kept
    default_target = tolk("files", str(inputs[1]), "-o", str(tmp_path / "o2"), home=tmp_path)
    assert default_target.returncode == 0, default_target.stderr
    assert (tmp_path / "o2" / "notes.de.txt").is_file()  # the model's only target language


def test_what_the_engine_translated_before_leaves_a_jobs_batches_alone(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A translation remembered from the Translate tab or an earlier job would drop out of the
    # batch the job planned, and what else is in a batch can change a translation.
    inputs = _documents(tmp_path / "in")
    batches: list[tuple[tuple[str, ...], ...]] = []
    run_batch = Decoder.run_batch

    def recording(self: Decoder, sources: Any, *args: Any, **kwargs: Any) -> Any:
        batches.append(tuple(tuple(source) for source in sources))
        return run_batch(self, sources, *args, **kwargs)

    monkeypatch.setattr(Decoder, "run_batch", recording)
    Job(inputs, target="de", output_dir=tmp_path / "first").run(engine)
    planned = sorted(batches)
    engine.translate("The house is small.\n\nIt is old.", target="de")  # now remembered
    batches.clear()

    Job(inputs, target="de", output_dir=tmp_path / "second").run(engine)

    assert sorted(batches) == planned
    for output in (tmp_path / "first").iterdir():
        assert (tmp_path / "second" / output.name).read_bytes() == output.read_bytes()
