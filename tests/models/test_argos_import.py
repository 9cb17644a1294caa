"""Argos Translate packages imported as Tolk packages: the demo model packed the way Argos packs
its models translates exactly as the native package, and hostile archives are refused with
nothing left behind."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import sentencepiece as spm

from desktop_app import __version__
from desktop_app.engine import Engine, ModelPackage, ModelStore, TranslationOptions
from desktop_app.engine.argos import import_argos
from desktop_app.engine.tokenizer import Tokenizer
from desktop_app.errors import InputError
from tests.app.test_cli_errors import tolk
from tests.fixtures.argos import METADATA, ROOT, Members, argos_members, write_zip
from tests.models.conftest import CHECKPOINT

pytestmark = pytest.mark.skipif(
    not (CHECKPOINT / "model.safetensors").is_file(), reason="demo checkpoint not committed"
)

SENTENCES = [
    "This package provides a simple tool to convert images between common formats.",
    "It also contains the documentation and a set of examples.",
    "The program can be used from the command line or from a graphical interface.",
]

@pytest.fixture(scope="module")
def int8(packages: dict[str, ModelPackage]) -> ModelPackage:
    return packages["int8"]


@pytest.fixture
def archive(int8: ModelPackage, tmp_path: Path) -> Path:
    return write_zip(tmp_path / "translate-en_fr-1_0.argosmodel", argos_members(int8.path))


def test_an_imported_package_translates_exactly_as_the_native_one(
    int8: ModelPackage, archive: Path, tmp_path: Path
) -> None:
    store = ModelStore(tmp_path / "store")
    imported = import_argos(archive, store)

    assert imported.name == "argos-en-fr" and imported.path == store.root / "argos-en-fr"
    text = "\n\n".join(SENTENCES)
    for beam in (1, 4):
        options = TranslationOptions(beam_size=beam, use_cache=False)
        with Engine(int8, device="cpu") as native, Engine(imported, device="cpu") as argos:
            assert argos.translate(text, options=options).text == (
                native.translate(text, options=options).text
            )


def test_the_tokens_are_those_of_sentencepiece_on_the_same_model(
    archive: Path, tmp_path: Path
) -> None:
    imported = import_argos(archive, ModelStore(tmp_path / "store"))
    tokenizer = Tokenizer(imported.path, imported.manifest)
    source, target = imported.resolve_pair("en", "fr")
    processor = spm.SentencePieceProcessor(model_file=str(imported.path / "sentencepiece.model"))
    for sentence in SENTENCES:
        pieces = processor.encode(sentence, out_type=str)
        # Marian-style models (this one) read an end token after each source.
        assert tokenizer.encode(sentence, source, target) == [*pieces, "</s>"]


def test_the_package_records_its_origin_and_keeps_only_what_it_needs(
    archive: Path, tmp_path: Path
) -> None:
    imported = import_argos(archive, ModelStore(tmp_path / "store"), name="my-fr")

    manifest = imported.manifest
    assert (manifest.family, manifest.source.checkpoint) == ("argos", "argos:translate-en_fr")
    assert manifest.source.revision == "1.0"
    assert manifest.converter_version == __version__  # "converted by tolk X" reads right
    assert sorted(path.name for path in imported.path.iterdir()) == sorted(
        [*manifest.files, "tolk.json"]
    )
    assert "README.md" in manifest.files and not (imported.path / "stanza").exists()
    assert imported.verify_files() == []
    assert [lang.iso for lang in manifest.languages.target] == ["fr"]


def test_tolk_models_import_installs_and_translates(archive: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    imported = tolk("models", "import", str(archive), home=home)
    assert imported.returncode == 0, imported.stderr
    assert "installed argos-en-fr" in imported.stdout

    listed = tolk("models", "list", home=home)
    assert listed.stdout.startswith("argos-en-fr\ten -> fr\targos\tint8")
    translated = tolk("translate", "--model", "argos-en-fr", SENTENCES[0], home=home)
    assert translated.returncode == 0 and translated.stdout.strip()

    again = tolk("models", "import", str(archive), home=home)
    assert again.returncode == 2 and "--force" in again.stderr
    forced = tolk("models", "import", str(archive), "--force", home=home)
    assert forced.returncode == 0, forced.stderr
    assert sorted(path.name for path in (home / "models").iterdir()) == ["argos-en-fr"]


def _hostile(int8: ModelPackage, kind: str) -> tuple[Members, dict[str, str]]:
    members, links = argos_members(int8.path), {}
    if kind == "zip slip":
        members[f"{ROOT}/../../evil.txt"] = b"outside"
    elif kind == "absolute path":
        members["/tmp/evil.txt"] = b"outside"
    elif kind == "link":
        links[f"{ROOT}/model/vocab_link"] = "/etc/passwd"
    elif kind == "bomb":
        members[f"{ROOT}/model/padding.bin"] = bytes(50 << 20)  # 50 MB of zeros, ~50 KB packed
    elif kind == "two folders":
        members["other/readme.txt"] = b"a second top-level folder"
    elif kind == "bpe tokenizer":
        members[f"{ROOT}/bpe.model"] = members.pop(f"{ROOT}/sentencepiece.model")
    elif kind == "no metadata":
        del members[f"{ROOT}/metadata.json"]
    elif kind == "bad language code":
        members[f"{ROOT}/metadata.json"] = json.dumps({**METADATA, "to_code": "../fr"}).encode()
    return members, links


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("zip slip", "leads out"),
        ("absolute path", "leads out"),
        ("link", "is a link"),
        ("bomb", "zip bomb"),
        ("two folders", "one top-level folder"),
        ("bpe tokenizer", "BPE and Moses"),
        ("no metadata", "no metadata.json"),
        ("bad language code", "to_code"),
    ],
)
def test_hostile_or_unusable_archives_are_refused_and_leave_nothing(
    int8: ModelPackage, tmp_path: Path, kind: str, message: str
) -> None:
    members, links = _hostile(int8, kind)
    archive = write_zip(tmp_path / "hostile.argosmodel", members, links)
    store = ModelStore(tmp_path / "store")

    with pytest.raises(InputError, match=message):
        import_argos(archive, store)

    assert not store.root.exists() or list(store.root.iterdir()) == []
    assert not (tmp_path / "evil.txt").exists() and not Path("/tmp/evil.txt").exists()


def test_a_file_that_is_not_a_zip_is_one_clear_error(tmp_path: Path) -> None:
    not_zip = tmp_path / "notes.argosmodel"
    not_zip.write_text("hello", encoding="utf-8")
    result = tolk("models", "import", str(not_zip), home=tmp_path / "home")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "tolk: error: notes.argosmodel: not an Argos package "
        "(not a readable zip: File is not a zip file)"
    )


def test_an_archive_that_lies_about_a_members_size_is_refused(
    int8: ModelPackage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = write_zip(tmp_path / "lying.argosmodel", argos_members(int8.path))
    real_infolist: Callable[[zipfile.ZipFile], list[zipfile.ZipInfo]] = zipfile.ZipFile.infolist

    def shrunk(self: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
        infos = real_infolist(self)
        for info in infos:
            if info.filename.endswith("model.bin"):
                info.file_size = 1000  # the central directory says 1 KB; the data is more
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", shrunk)
    store = ModelStore(tmp_path / "store")
    with pytest.raises(InputError, match=r"damaged|larger than it says"):
        import_argos(archive, store)
    assert list(store.root.iterdir()) == []
