"""Fetching a checkpoint from a hub on 127.0.0.1: only the needed files, pinned to the commit,
checked, resumed after a cut or a cancel, taken from the HuggingFace cache when it has them,
and clear errors for unknown, gated, pickle-only and unreachable models."""

from __future__ import annotations

import json
import random
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from converter.hub import cache_root, endpoint, fetch
from desktop_app.errors import InputError, TranslationCancelled
from tests.fixtures.hub import FakeHub, write_hf_cache

REPO = "Helsinki-NLP/opus-mt-en-de"
WEIGHTS = random.Random(0).randbytes(300_000)  # several download chunks
NEEDED = {
    "config.json": json.dumps({"model_type": "marian"}).encode(),
    "generation_config.json": b'{"max_length": 512}',
    "tokenizer_config.json": b'{"source_lang": "en"}',
    "vocab.json": b'{"<pad>": 0, "</s>": 1}',
    "source.spm": b"source sentencepiece",
    "target.spm": b"target sentencepiece",
    "model.safetensors": WEIGHTS,
}
UNWANTED = {
    "README.md": b"# opus-mt-en-de",
    "modeling_marian.py": b"import os; os.system('echo pwned')",
    "tf_model.h5": b"tensorflow weights",
    "flax_model.msgpack": b"flax weights",
    "pytorch_model.bin": b"pickled weights",
    "onnx/encoder_model.onnx": b"onnx weights",
}


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    server = FakeHub()
    yield server
    server.stop()


@pytest.fixture
def environ(hub: FakeHub, tmp_path: Path) -> dict[str, str]:
    return {"HF_ENDPOINT": hub.url, "HF_HUB_CACHE": str(tmp_path / "hf-cache")}


def listing(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def resolved(hub: FakeHub) -> list[str]:
    """The files `resolve` was asked for."""
    return [path.rsplit("/", 1)[1] for path in hub.paths() if "/resolve/" in path]


def test_only_the_files_a_conversion_needs_arrive_in_a_folder_named_by_the_commit(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path
) -> None:
    sha = hub.publish(REPO, {**NEEDED, **UNWANTED})
    calls: list[tuple[str, int, int | None]] = []

    folder, revision = fetch(REPO, tmp_path / "downloads", environ=environ,
                             progress=lambda *call: calls.append(call))

    assert revision == sha
    assert folder == tmp_path / "downloads" / "Helsinki-NLP--opus-mt-en-de" / sha
    assert listing(folder) == NEEDED  # no .part left, nothing else
    assert sorted(resolved(hub)) == sorted(NEEDED)
    total = sum(len(data) for data in NEEDED.values())
    assert calls[-1][1:] == (total, total)
    assert [done for _, done, _ in calls] == sorted(done for _, done, _ in calls)


def test_downloads_stay_on_the_resolved_commit_when_the_branch_moves(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path
) -> None:
    sha = hub.publish(REPO, NEEDED)

    def push_once(*_call: object) -> None:
        if hub.repos[REPO].refs["main"] == sha:
            hub.publish(REPO, {name: data + b" v2" for name, data in NEEDED.items()})

    folder, revision = fetch(REPO, tmp_path, environ=environ, progress=push_once)

    assert hub.repos[REPO].refs["main"] != sha
    assert revision == sha
    assert listing(folder) == NEEDED
    downloads = [path for path in hub.paths() if "/resolve/" in path]
    assert downloads and all(f"/resolve/{sha}/" in path for path in downloads)


@pytest.mark.parametrize("name", ["model.safetensors", "config.json"])  # sha256, git blob id
def test_a_file_not_matching_its_checksum_is_refused_and_not_kept(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path, name: str
) -> None:
    sha = hub.publish(REPO, NEEDED)
    hub.tamper[name] = NEEDED[name][:-1] + bytes([NEEDED[name][-1] ^ 1])

    with pytest.raises(InputError, match=rf"{name}: the download does not match the checksum"):
        fetch(REPO, tmp_path, environ=environ)

    folder = tmp_path / "Helsinki-NLP--opus-mt-en-de" / sha
    assert not (folder / name).exists()
    assert not list(folder.glob("*.part"))


@pytest.mark.parametrize("redirect", [False, True], ids=["direct", "redirected-to-cdn"])
def test_a_download_cut_midway_resumes_with_a_range_request(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path, redirect: bool
) -> None:
    sha = hub.publish(REPO, NEEDED)
    hub.redirect_lfs = redirect
    hub.cut = ("model.safetensors", 100_000)

    with pytest.raises(InputError, match=r"stopped.*run the same command again"):
        fetch(REPO, tmp_path, environ=environ)
    part = tmp_path / "Helsinki-NLP--opus-mt-en-de" / sha / "model.safetensors.part"
    assert part.stat().st_size == 100_000

    folder, _ = fetch(REPO, tmp_path, environ=environ)

    assert listing(folder) == NEEDED
    weights = [(path, ranged) for path, ranged in hub.requests if "model.safetensors" in path
               or "/cdn/" in path]
    assert weights[-1][1] == "bytes=100000-"
    assert any("/cdn/" in path for path, _ in weights) == redirect


def test_cancel_keeps_the_part_and_the_next_call_finishes_it(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path
) -> None:
    sha = hub.publish(REPO, NEEDED)
    cancel = threading.Event()

    def stop_in_the_weights(name: str, _done: int, _total: int | None) -> None:
        if name == "model.safetensors":
            cancel.set()

    with pytest.raises(TranslationCancelled):
        fetch(REPO, tmp_path, environ=environ, progress=stop_in_the_weights, cancel=cancel)
    folder = tmp_path / "Helsinki-NLP--opus-mt-en-de" / sha
    kept = (folder / "model.safetensors.part").stat().st_size
    assert 0 < kept < len(WEIGHTS)
    assert not (folder / "model.safetensors").exists()

    fetch(REPO, tmp_path, environ=environ, cancel=threading.Event())

    assert listing(folder) == NEEDED
    weights = [ranged for path, ranged in hub.requests if path.endswith("/model.safetensors")]
    assert weights[-1] == f"bytes={kept}-"


def test_pickle_only_weights_need_allow_pickle(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path
) -> None:
    files = {**{k: v for k, v in NEEDED.items() if k != "model.safetensors"},
             "pytorch_model.bin": WEIGHTS}
    hub.publish(REPO, files)

    with pytest.raises(InputError, match="--allow-pickle"):
        fetch(REPO, tmp_path, environ=environ)
    assert not resolved(hub)

    folder, _ = fetch(REPO, tmp_path, environ=environ, allow_pickle=True)
    assert listing(folder) == files


def test_a_repo_without_weights_is_refused(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path
) -> None:
    hub.publish(REPO, {"config.json": NEEDED["config.json"], "tf_model.h5": b"tensorflow"})

    with pytest.raises(InputError, match="no usable weights"):
        fetch(REPO, tmp_path, environ=environ)


@pytest.mark.parametrize(("repo_id", "revision", "gated"), [
    ("nobody/no-such-model", "main", False),
    (REPO, "no-such-branch", False),
    (REPO, "main", True),
])
def test_an_unknown_or_gated_model_is_a_clear_input_error(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path, *, repo_id: str, revision: str,
    gated: bool,
) -> None:
    hub.publish(REPO, NEEDED)
    if gated:
        hub.gated.add(REPO)

    with pytest.raises(InputError, match=rf"{repo_id}: no model with revision '{revision}'.*"
                       "gated or private.*does not log in"):
        fetch(repo_id, tmp_path, revision=revision, environ=environ)


@pytest.mark.parametrize("repo_id", [
    "opus-mt-en-de", "a/b/c", "../etc", "owner--x/name", "owner/name.git", "owner/", "/name",
    "owner/na me",
])
def test_a_malformed_id_is_refused_before_any_request(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path, repo_id: str
) -> None:
    with pytest.raises(InputError, match="expected OWNER/NAME"):
        fetch(repo_id, tmp_path, environ=environ)
    assert not hub.requests


def test_files_in_the_huggingface_cache_are_not_downloaded_unless_damaged(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path
) -> None:
    sha = hub.publish(REPO, NEEDED)
    cached = {name: NEEDED[name] for name in ("model.safetensors", "config.json", "vocab.json")}
    snapshot = write_hf_cache(Path(environ["HF_HUB_CACHE"]), REPO, sha, cached)
    (snapshot / "vocab.json").resolve().write_bytes(b"damaged")

    folder, _ = fetch(REPO, tmp_path / "downloads", environ=environ)

    assert listing(folder) == NEEDED
    assert sorted(resolved(hub)) == sorted(set(NEEDED) - {"model.safetensors", "config.json"})


@pytest.mark.parametrize("offline", ["no network", "HF_HUB_OFFLINE"])
def test_offline_a_cached_snapshot_is_used_and_without_one_the_error_says_what_to_do(
    hub: FakeHub, environ: dict[str, str], tmp_path: Path, offline: str
) -> None:
    sha = hub.publish(REPO, {**NEEDED, **UNWANTED})
    if offline == "HF_HUB_OFFLINE":
        environ["HF_HUB_OFFLINE"] = "1"
    else:
        environ["HF_ENDPOINT"] = f"http://127.0.0.1:{closed_port()}"

    with pytest.raises(InputError, match=r"no copy; run the same command again when connected"
                       r".*or convert a checkpoint folder copied from a connected computer"):
        fetch(REPO, tmp_path / "downloads", environ=environ)

    write_hf_cache(Path(environ["HF_HUB_CACHE"]), REPO, sha, {**NEEDED, **UNWANTED})
    folder, revision = fetch(REPO, tmp_path / "downloads", environ=environ)

    assert revision == sha
    assert listing(folder) == NEEDED
    assert not hub.requests


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_the_endpoint_and_cache_follow_huggingface_settings(tmp_path: Path) -> None:
    assert endpoint({}) == "https://huggingface.co"
    assert endpoint({"HF_ENDPOINT": "https://hf-mirror.example/"}) == "https://hf-mirror.example"
    assert cache_root({"HF_HUB_CACHE": str(tmp_path), "HF_HOME": "/x"}) == tmp_path
    assert cache_root({"HF_HOME": str(tmp_path)}) == tmp_path / "hub"
    assert cache_root({"XDG_CACHE_HOME": str(tmp_path)}) == tmp_path / "huggingface" / "hub"
