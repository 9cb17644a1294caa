"""Models that can be installed: the Argos Translate package index, fetched only when the user
asks, cached with its date for offline use; downloads that resume after an interruption; and a
short curated list of HuggingFace checkpoints (`hub_models.json`), which need converting.

The index is a JSON array of entries with `code`, `from_code`, `to_code`, names,
`package_version` and `links` (download URLs of the `.argosmodel`). `TOLK_CATALOG_URL` points
elsewhere (a mirror, a file:// URL, the tests' loopback server).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from desktop_app.engine.argos import import_argos
from desktop_app.engine.package import ModelPackage
from desktop_app.engine.store import ModelStore
from desktop_app.errors import InputError, TranslationCancelled

DEFAULT_CATALOG_URL = (
    "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
)
TIMEOUT_S = 30
CHUNK_BYTES = 1 << 16
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(_[A-Za-z]+)?$")
OFFLINE_HINT = (
    "download the .argosmodel file on a connected computer and install it here with "
    "'tolk models import FILE' (or Models > Import package…)"
)

# Called with (bytes so far, total bytes or None, bytes per second).
Progress = Callable[[int, int | None, float], None]


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One installable package."""

    code: str
    source: str
    target: str
    source_name: str
    target_name: str
    version: str
    links: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Catalog:
    """The entries, when the index was fetched, and why it could not be refreshed (if not)."""

    entries: tuple[CatalogEntry, ...]
    fetched: str
    stale_because: str | None = None
    skipped: tuple[str, ...] = ()  # malformed entries, each with its reason


@dataclass(frozen=True, slots=True)
class HubModel:
    """A checkpoint worth converting: `tolk convert` fetches and converts it."""

    checkpoint: str
    source: str  # ISO code, or "*" for a multilingual model
    target: str
    source_name: str
    target_name: str
    licence: str
    weights: str  # size and format as the hub shows them ("" where not checked)
    allow_pickle: bool

    def serves(self, source: str | None, target: str | None) -> bool:
        return (not source or self.source in ("*", source)) and (
            not target or self.target in ("*", target)
        )

    @property
    def convert_command(self) -> str:
        pickle = " --allow-pickle" if self.allow_pickle else ""
        return f"tolk convert {self.checkpoint} --download{pickle}"


def hub_models() -> list[HubModel]:
    """The curated checkpoints shipped with Tolk (licences and sizes from their hub pages)."""
    from importlib import resources

    text = resources.files("desktop_app.engine").joinpath("hub_models.json").read_text("utf-8")
    return [
        HubModel(
            item["checkpoint"], item["source"], item["target"], item["source_name"],
            item["target_name"], item["licence"], item["weights"],
            bool(item.get("allow_pickle", False)),
        )
        for item in json.loads(text)
    ]


def catalog_url(environ: Mapping[str, str] = os.environ) -> str:
    return environ.get("TOLK_CATALOG_URL") or DEFAULT_CATALOG_URL


def _cache_path(store: ModelStore) -> Path:
    return store.root.parent / "catalog" / "argos-index.json"


def parse_index(data: Any) -> tuple[list[CatalogEntry], list[str]]:
    """The usable entries of an index, and a reason for each entry skipped."""
    if not isinstance(data, list):
        raise InputError("the model index is not a JSON array of packages")
    entries, skipped = [], []
    for position, item in enumerate(data):
        try:
            entries.append(_entry(item))
        except (KeyError, TypeError, ValueError) as exc:
            skipped.append(f"entry {position + 1}: {exc}")
    return entries, skipped


def _entry(item: Any) -> CatalogEntry:
    if not isinstance(item, dict):
        raise TypeError("not an object")
    source, target = item["from_code"], item["to_code"]
    for value in (source, target):
        if not isinstance(value, str) or not _LANGUAGE.match(value):
            raise ValueError(f"unusable language code {value!r}")
    code = item.get("code") or f"translate-{source}_{target}"
    if not isinstance(code, str) or not _CODE.match(code):
        raise ValueError(f"unusable package code {code!r}")
    links = item["links"]
    if not isinstance(links, list) or not links:
        raise ValueError("no download links")
    if not all(isinstance(link, str) and link.startswith(("https://", "http://", "file://"))
               for link in links):
        raise ValueError("a download link is not a URL")
    return CatalogEntry(
        code=code, source=source, target=target,
        source_name=str(item.get("from_name") or source),
        target_name=str(item.get("to_name") or target),
        version=str(item.get("package_version") or ""),
        links=tuple(links),
    )


def available(store: ModelStore, url: str | None = None) -> Catalog:
    """The index, fetched now; offline, the cached copy marked with why it is not fresh.

    Raises:
        InputError: offline with no cached copy (the message says how to install a file).
    """
    url = url or catalog_url()
    cache = _cache_path(store)
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:
            data = json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = f"the model index at {url} cannot be read ({_reason(exc)})"
        try:
            cached = json.loads(cache.read_text(encoding="utf-8"))
            entries, skipped = parse_index(cached["index"])
            return Catalog(tuple(entries), cached["fetched"], reason, tuple(skipped))
        except (OSError, ValueError, KeyError, TypeError):
            raise InputError(f"{reason}; {OFFLINE_HINT}") from None
    entries, skipped = parse_index(data)
    fetched = datetime.now(timezone.utc).isoformat(timespec="seconds")
    cache.parent.mkdir(parents=True, exist_ok=True)
    temporary = cache.with_suffix(".part")
    temporary.write_text(json.dumps({"fetched": fetched, "url": url, "index": data}),
                         encoding="utf-8")
    temporary.replace(cache)
    return Catalog(tuple(entries), fetched, None, tuple(skipped))


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code}"
    if isinstance(exc, urllib.error.URLError):
        return str(exc.reason)
    return str(exc)


def install(
    code: str,
    store: ModelStore,
    *,
    name: str | None = None,
    force: bool = False,
    url: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ModelPackage:
    """Download the package `code` of the index (resuming a download cut earlier) and import it.

    Raises:
        InputError: unknown code, offline, a damaged or hostile archive.
        TranslationCancelled: `cancel` was set; the part downloaded is kept for a resume.
    """
    catalog = available(store, url)
    entry = next((item for item in catalog.entries if item.code == code), None)
    if entry is None:
        raise InputError(
            f"no package '{code}' in the model index; 'tolk models available' lists them"
        )
    return install_entry(entry, store, name=name, force=force, progress=progress, cancel=cancel)


def install_entry(
    entry: CatalogEntry,
    store: ModelStore,
    *,
    name: str | None = None,
    force: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ModelPackage:
    """Download `entry` of an index already read (resuming a download cut earlier) and import
    it; raises as `install` does."""
    downloads = store.root.parent / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    archive = downloads / f"{entry.code}-{entry.version or 'latest'}.argosmodel"
    if not archive.is_file():
        download(entry.links[0], archive, progress, cancel)
    try:
        package = import_argos(archive, store, name, force=force)
    except InputError:
        archive.unlink(missing_ok=True)  # a damaged download is fetched again next time
        raise
    archive.unlink(missing_ok=True)
    return package


def download(
    url: str, path: Path, progress: Progress | None = None, cancel: threading.Event | None = None
) -> None:
    """Fetch `url` into `path`, through `path.part`, continuing a part left by an earlier try
    (HTTP Range); the file appears only once complete."""
    part = path.with_name(path.name + ".part")
    have = part.stat().st_size if part.is_file() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    started, done_before = time.monotonic(), have
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            if have and response.status != 206:  # the server ignored Range: start over
                have = 0
            total = _total(response.headers, have)
            with part.open("ab" if have else "wb") as out:
                while chunk := response.read(CHUNK_BYTES):
                    if cancel is not None and cancel.is_set():
                        raise TranslationCancelled("download stopped; run it again to resume")
                    out.write(chunk)
                    have += len(chunk)
                    if progress is not None:
                        elapsed = max(time.monotonic() - started, 1e-6)
                        progress(have, total, (have - done_before) / elapsed)
    except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
        raise InputError(
            f"download of {url} stopped ({_reason(exc)}); run the same command again to "
            f"resume it, or {OFFLINE_HINT}"
        ) from None
    if total is not None and have < total:
        raise InputError(
            f"download of {url} stopped at {have:,} of {total:,} bytes; run the same command "
            "again to resume it"
        )
    part.replace(path)


def _total(headers: Any, offset: int) -> int | None:
    ranged = re.match(r"bytes \d+-\d+/(\d+)", headers.get("Content-Range") or "")
    if ranged:
        return int(ranged.group(1))
    length = headers.get("Content-Length")
    return offset + int(length) if length and length.isdigit() else None
