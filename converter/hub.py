"""Fetching the files a conversion needs from the HuggingFace hub, with the standard library.

The installed app has neither huggingface_hub nor torch, so this speaks the hub's two HTTP calls
itself: the revision API (`/api/models/{id}/revision/{rev}?blobs=true`: the commit sha and each
file's size and checksum) and `/{id}/resolve/{sha}/{file}`. Everything after the first call is
pinned to the sha it returned, so a push to the branch mid-download cannot mix two commits.

Each file goes through `<name>.part` with HTTP Range, so a cut or cancelled download resumes;
it is checked (LFS files against their sha256, others against their git blob id) and renamed
into place only when complete. Files already in the local HuggingFace cache are linked or
copied instead of downloaded, and with no network a cached snapshot of the revision is used.
`HF_ENDPOINT`, `HF_HUB_CACHE`, `HF_HOME` and `HF_HUB_OFFLINE` mean what they mean to
huggingface_hub.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import shutil
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from desktop_app.errors import InputError, TranslationCancelled

DEFAULT_ENDPOINT = "https://huggingface.co"
TIMEOUT_S = 30
CHUNK_BYTES = 1 << 16

# Configs and tokenizer files: top-level names of the repo (fnmatch patterns).
CONFIGS = (
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "tokenizer.json",
    "vocab.json",
    "added_tokens.json",
    "*.spm",
    "*.model",  # sentencepiece.bpe.model, spiece.model, source.spm, target.spm
)
# Weights as (single file, shards, shard index); pickles only with allow_pickle, and only
# where the repo has no safetensors.
SAFETENSORS = ("model.safetensors", "model-*-of-*.safetensors", "model.safetensors.index.json")
PICKLES = ("pytorch_model.bin", "pytorch_model-*-of-*.bin", "pytorch_model.bin.index.json")
# What a conversion needs; never code (*.py) nor another framework's weights (tf_model.h5,
# flax_model.msgpack, onnx/, rust_model.ot).
NEEDED = CONFIGS + SAFETENSORS

_PART = r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,94}[A-Za-z0-9_])?"
_REPO_ID = re.compile(rf"({_PART})/({_PART})")
_REVISION = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_./-]{0,254}")
_SHA1 = re.compile(r"[0-9a-f]{40}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
RETRY_HINT = (
    "run the same command again when connected (downloads resume where they stopped), or "
    "convert a checkpoint folder copied from a connected computer"
)

# Called with (file name, bytes so far over all files, total bytes of all files or None).
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True, slots=True)
class _File:
    """A repo file as the revision API lists it."""

    name: str
    size: int | None
    sha256: str | None  # LFS files
    blob_id: str | None  # others: sha1 of b"blob <size>\0" + content


class _Unreachable(Exception):
    """The hub did not tell us the commit; the reason reads after 'cannot ...'."""


def endpoint(environ: Mapping[str, str] = os.environ) -> str:
    """The hub's address: `HF_ENDPOINT` (a mirror, the tests' loopback hub) or huggingface.co."""
    return (environ.get("HF_ENDPOINT") or DEFAULT_ENDPOINT).rstrip("/")


def cache_root(environ: Mapping[str, str] = os.environ) -> Path:
    """The local HuggingFace hub cache, found as huggingface_hub finds it."""
    if environ.get("HF_HUB_CACHE"):
        return Path(environ["HF_HUB_CACHE"]).expanduser()
    if environ.get("HF_HOME"):
        return Path(environ["HF_HOME"]).expanduser() / "hub"
    cache = Path(environ.get("XDG_CACHE_HOME") or "~/.cache").expanduser()
    return cache / "huggingface" / "hub"


def needed(names: Iterable[str], *, allow_pickle: bool) -> list[str]:
    """The files of a repo listing (`names`) that a conversion fetches, sorted.

    Raises:
        InputError: no config.json, or no usable weights (pickles without `allow_pickle`).
    """
    top = sorted({name for name in names if "/" not in name and "\\" not in name})
    if "config.json" not in top:
        raise InputError("no config.json: not a HuggingFace transformers checkpoint")
    weights = _weights(top, SAFETENSORS)
    if not weights:
        weights = _weights(top, PICKLES)
        if weights and not allow_pickle:
            raise InputError(
                "only pickle weights (pytorch_model.bin), which can run code when loaded; "
                "pass --allow-pickle to fetch them and read them with Tolk's tensors-only unpickler"
            )
    if not weights:
        raise InputError(
            f"no usable weights: expected {SAFETENSORS[0]} (or shards with {SAFETENSORS[2]}), "
            f"or {PICKLES[0]} with --allow-pickle"
        )
    configs = [name for name in top if any(fnmatchcase(name, p) for p in CONFIGS)]
    return sorted({*configs, *weights})


def _weights(names: list[str], kind: tuple[str, str, str]) -> list[str]:
    single, shard, index = kind
    if single in names:
        return [single]
    shards = [name for name in names if fnmatchcase(name, shard)]
    return [*shards, index] if shards and index in names else []


def fetch(
    repo_id: str,
    destination_root: Path,
    *,
    revision: str = "main",
    allow_pickle: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    environ: Mapping[str, str] = os.environ,
) -> tuple[Path, str]:
    """Fetch what converting `repo_id` at `revision` needs into
    `destination_root/OWNER--NAME/SHA/`, resuming downloads an earlier call left.

    Returns:
        The folder holding the files, and the commit sha `revision` resolved to.

    Raises:
        InputError: a malformed id, an unknown, gated or private model, no usable weights,
            a file that fails its checksum (deleted), or no network and no cached copy.
        TranslationCancelled: `cancel` was set; the part downloaded is kept for a resume.
    """
    owner, name = _split(repo_id)
    if not _REVISION.fullmatch(revision) or ".." in revision:
        raise InputError(f"{revision!r}: not a usable revision (a branch, tag or commit sha)")
    base = endpoint(environ)
    cached = cache_root(environ) / f"models--{owner}--{name}"
    try:
        if environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on"):
            raise _Unreachable("reach the hub: HF_HUB_OFFLINE is set")
        sha, listing = _resolve(base, repo_id, revision)
    except _Unreachable as exc:
        return _from_cache(
            cached, repo_id, revision, destination_root, allow_pickle=allow_pickle, reason=str(exc)
        )
    try:
        files = [listing[file] for file in needed(listing, allow_pickle=allow_pickle)]
    except InputError as exc:
        raise InputError(f"{repo_id}@{revision}: {exc}") from None
    folder = destination_root / f"{owner}--{name}" / sha
    folder.mkdir(parents=True, exist_ok=True)
    sizes = [file.size for file in files]
    total = None if None in sizes else sum(size or 0 for size in sizes)
    done = 0
    for file in files:
        if cancel is not None and cancel.is_set():
            raise TranslationCancelled("download stopped; run it again to resume")
        if file.sha256 is None and (file.blob_id is None or file.size is None):
            raise InputError(f"{repo_id}@{sha}: the hub lists no checksum for {file.name}")
        target = folder / file.name
        # A file in the folder was checked before it was renamed there: its size is enough.
        if not (target.is_file() and target.stat().st_size == file.size) and not _link_cached(
            cached / "snapshots" / sha / file.name, target, file
        ):
            url = f"{base}/{repo_id}/resolve/{sha}/{urllib.parse.quote(file.name)}"
            _download(url, target, file, _reporter(progress, file.name, done, total), cancel)
        done += target.stat().st_size
        _reporter(progress, file.name, done, total)(0)
    return folder, sha


def _reporter(
    progress: Progress | None, name: str, before: int, total: int | None
) -> Callable[[int], None]:
    """Reports bytes of the file `name` as bytes over all files (`before` it)."""
    return lambda have: None if progress is None else progress(name, before + have, total)


def _split(repo_id: str) -> tuple[str, str]:
    match = _REPO_ID.fullmatch(repo_id)
    if match is None or "--" in repo_id or ".." in repo_id or repo_id.endswith(".git"):
        raise InputError(
            f"{repo_id!r}: not a hub model id; expected OWNER/NAME of letters, digits, '-', '_' "
            "and '.' (e.g. Helsinki-NLP/opus-mt-en-de)"
        )
    return match.group(1), match.group(2)


def _resolve(base: str, repo_id: str, revision: str) -> tuple[str, dict[str, _File]]:
    """The commit `revision` names, and the repo's files at that commit by name."""
    quoted = urllib.parse.quote(revision, safe="")
    url = f"{base}/api/models/{repo_id}/revision/{quoted}?blobs=true"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            data = json.loads(response.read())
    except urllib.error.HTTPError as exc:
        if exc.code in (401, 403, 404):
            raise InputError(
                f"{repo_id}: no model with revision '{revision}' on {base} (HTTP {exc.code}), "
                "or it is gated or private, which Tolk cannot fetch: it does not log in; "
                "convert a folder downloaded with your account instead"
            ) from None
        raise _Unreachable(f"read {url} (HTTP {exc.code})") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise _Unreachable(f"reach {base} ({_reason(exc)})") from None
    except ValueError:
        raise _Unreachable(f"read {url} (not JSON)") from None
    sha = data.get("sha") if isinstance(data, dict) else None
    siblings = data.get("siblings") if isinstance(data, dict) else None
    if not isinstance(sha, str) or not _SHA1.fullmatch(sha) or not isinstance(siblings, list):
        raise _Unreachable(f"read {url} (no commit sha and file list)")
    files = [_sibling(item) for item in siblings if isinstance(item, dict)]
    return sha, {file.name: file for file in files if file.name}


def _sibling(item: dict[str, Any]) -> _File:
    lfs = item.get("lfs") if isinstance(item.get("lfs"), dict) else None
    size = (lfs or item).get("size")
    sha256 = lfs.get("sha256") if lfs else None
    blob_id = None if lfs else item.get("blobId")
    return _File(
        name=str(item.get("rfilename") or ""),
        size=size if isinstance(size, int) else None,
        sha256=sha256 if isinstance(sha256, str) else None,
        blob_id=blob_id if isinstance(blob_id, str) else None,
    )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc) or type(exc).__name__


class _Checksum:
    """The hash a file's listing promises, fed chunk by chunk."""

    def __init__(self, file: _File) -> None:
        self.expected = file.sha256 or file.blob_id
        self._hash = hashlib.sha256() if file.sha256 else hashlib.sha1()
        if not file.sha256 and file.size is not None:
            self._hash.update(b"blob %d\0" % file.size)  # how git names a blob

    def update(self, data: bytes) -> None:
        self._hash.update(data)

    def feed(self, path: Path) -> None:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                self._hash.update(chunk)

    def matches(self) -> bool:
        return self.expected is None or self._hash.hexdigest() == self.expected.lower()


def _download(
    url: str,
    target: Path,
    file: _File,
    report: Callable[[int], None],
    cancel: threading.Event | None,
) -> None:
    """Fetch `url` into `target` through `target.part`, continuing a part an earlier call left;
    the file appears only once complete and matching its checksum."""
    part = target.with_name(target.name + ".part")
    have = part.stat().st_size if part.is_file() else 0
    if file.size is not None and have > file.size:
        have = 0  # not a prefix of this file: start over
    checksum = _Checksum(file)
    if file.size is None or have < file.size:
        request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
        try:
            # urllib follows the hub's redirect of LFS files to its CDN, keeping the Range.
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                if have and response.status != 206:  # the server ignored Range: start over
                    have = 0
                if have:
                    checksum.feed(part)
                with part.open("ab" if have else "wb") as out:
                    while chunk := response.read(CHUNK_BYTES):
                        out.write(chunk)
                        checksum.update(chunk)
                        have += len(chunk)
                        report(have)
                        if cancel is not None and cancel.is_set():
                            raise TranslationCancelled("download stopped; run it again to resume")
                    out.flush()
                    os.fsync(out.fileno())
        except urllib.error.HTTPError as exc:
            if exc.code == 416:  # the part is no prefix the server knows: start over next time
                part.unlink(missing_ok=True)
            raise InputError(f"download of {url} refused (HTTP {exc.code}); {RETRY_HINT}") from None
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            raise InputError(f"download of {url} stopped ({_reason(exc)}); {RETRY_HINT}") from None
    else:
        checksum.feed(part)
    if file.size is not None and have < file.size:
        raise InputError(
            f"download of {url} stopped at {have:,} of {file.size:,} bytes; {RETRY_HINT}"
        )
    if not checksum.matches():
        part.unlink(missing_ok=True)
        raise InputError(
            f"{file.name}: the download does not match the checksum the hub lists for it "
            f"({checksum.expected}); it was deleted: run the same command again to fetch it anew"
        )
    part.replace(target)


def _link_cached(source: Path, target: Path, file: _File) -> bool:
    """Put the cache's copy of `file` at `target` (hard link, else copy) if it matches its
    checksum; False when the cache has no good copy."""
    if not source.is_file():
        return False
    staged = target.with_name(target.name + ".cached")
    staged.unlink(missing_ok=True)
    try:
        os.link(source.resolve(), staged)
    except OSError:  # another file system, or links not allowed: copy
        shutil.copyfile(source, staged)
    checksum = _Checksum(file)
    checksum.feed(staged)
    if (file.size is not None and staged.stat().st_size != file.size) or not checksum.matches():
        staged.unlink()
        return False
    staged.replace(target)
    return True


def _from_cache(
    cached: Path,
    repo_id: str,
    revision: str,
    destination_root: Path,
    *,
    allow_pickle: bool,
    reason: str,
) -> tuple[Path, str]:
    """The snapshot of `revision` in the HuggingFace cache, put in place as `fetch` would."""
    problem = f"{repo_id}: cannot {reason}"
    sha = revision
    if not _SHA1.fullmatch(revision):
        try:
            sha = (cached / "refs" / revision).read_text(encoding="utf-8").strip()
        except OSError:
            raise InputError(
                f"{problem}, and the HuggingFace cache has no copy; {RETRY_HINT}"
            ) from None
    snapshot = cached / "snapshots" / sha
    if not _SHA1.fullmatch(sha) or not snapshot.is_dir():
        raise InputError(f"{problem}, and the HuggingFace cache has no copy; {RETRY_HINT}")
    try:
        names = needed(
            (path.name for path in snapshot.iterdir() if path.is_file()), allow_pickle=allow_pickle
        )
    except InputError as exc:
        raise InputError(
            f"{problem}, and the copy in the HuggingFace cache ({snapshot}) is "
            f"not usable: {exc}; {RETRY_HINT}"
        ) from None
    folder = destination_root / f"{repo_id.replace('/', '--')}" / sha
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        source = snapshot / name
        if not _link_cached(source, folder / name, _cached_file(source)):
            raise InputError(
                f"{problem}, and {source} in the HuggingFace cache does not match its checksum; "
                f"{RETRY_HINT}"
            )
    return folder, sha


def _cached_file(path: Path) -> _File:
    """What the cache says of a snapshot file: its blob is named by the file's etag (sha256
    for LFS files, the git blob id for others); a copy that is no link cannot be checked."""
    blob = path.readlink().name if path.is_symlink() else ""
    return _File(
        name=path.name,
        size=path.stat().st_size,
        sha256=blob if _SHA256.fullmatch(blob) else None,
        blob_id=blob if _SHA1.fullmatch(blob) else None,
    )
