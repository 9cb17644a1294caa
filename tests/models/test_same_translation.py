"""The same text gets the same translation, byte for byte, with the real demo model (int8):
a job killed and resumed writes what an uninterrupted one does, and `tolk translate` and
`tolk files` agree. What else is in a batch can change CTranslate2's arithmetic, so this
holds only because batches depend on the text alone."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.documents import Job
from desktop_app.engine import Engine, ModelPackage
from tests.app.test_cli_errors import tolk
from tests.models.conftest import CHECKPOINT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (CHECKPOINT / "model.safetensors").is_file(), reason="demo checkpoint not committed"
    ),
]

REPO = Path(__file__).resolve().parents[2]
PARAGRAPHS = 300  # of the held-out test set: about 28,000 characters, one default job batch
BATCH_CHARS = 4_000  # for the kills: several journal batches to die between


@pytest.fixture(scope="module")
def document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    lines = (CHECKPOINT / "recipe" / "data" / "test.en").read_text(encoding="utf-8").splitlines()
    paragraphs = [line.strip() for line in lines if line.strip()][:PARAGRAPHS]
    path = tmp_path_factory.mktemp("in") / "notes.txt"
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def int8(packages: dict[str, ModelPackage]) -> ModelPackage:
    return packages["int8"]


def run_job(package: ModelPackage, document: Path, output: Path) -> bytes:
    engine = Engine(package, device="cpu")
    try:
        report = Job((document,), target="fr", output_dir=output, batch_chars=BATCH_CHARS).run(
            engine
        )
    finally:
        engine.close()
    assert report.ok, report.files
    return (output / "notes.fr.txt").read_bytes()


@pytest.fixture(scope="module")
def uninterrupted(int8: ModelPackage, document: Path, tmp_path_factory: pytest.TempPathFactory
                  ) -> bytes:
    return run_job(int8, document, tmp_path_factory.mktemp("straight"))


@pytest.mark.parametrize("batches_done", [1, 3, 5])
def test_a_job_killed_and_resumed_writes_what_an_uninterrupted_one_does(
    int8: ModelPackage, document: Path, uninterrupted: bytes, tmp_path: Path, batches_done: int
) -> None:
    command = [sys.executable, "-m", "tests.documents.kill_job", "--package", str(int8.path),
               "--batch-chars", str(BATCH_CHARS), str(tmp_path), "fsync", str(batches_done),
               str(document)]
    killed = subprocess.run(command, cwd=REPO, capture_output=True, timeout=300, check=False)
    assert killed.returncode == -9, killed.stderr.decode()
    (journal,) = tmp_path.glob(".tolk-job-*.jsonl")
    assert journal.read_text(encoding="utf-8").count("\n") > 0

    assert run_job(int8, document, tmp_path) == uninterrupted


def test_tolk_translate_and_tolk_files_translate_a_text_alike(
    int8: ModelPackage, document: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(int8.path, home / "models" / int8.path.name)
    text = document.read_text(encoding="utf-8")

    translated = tolk("translate", home=home, stdin=text)
    filed = tolk("files", str(document), "-o", str(tmp_path / "out"), "--quiet", home=home)

    assert translated.returncode == 0 and filed.returncode == 0, translated.stderr + filed.stderr
    assert translated.stdout == (tmp_path / "out" / "notes.fr.txt").read_text(encoding="utf-8")
