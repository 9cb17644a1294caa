"""First run: an empty store gets the demo package that ships with the app, so the window can
translate at once."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop_app.engine import ModelPackage, ModelStore
from desktop_app.errors import ModelError


@dataclass(frozen=True, slots=True)
class FirstRunResult:
    """What the first-run check did: `installed` names the package copied into the store."""

    installed: str = ""
    source: Path | None = None
    skipped_reason: str = ""


def bundled_demo_candidates(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Where a bundled demo package may be: inside a frozen app, and `$TOLK_DEMO_PACKAGE`."""
    candidates = []
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        candidates.append(Path(bundle) / "models" / "demo-en-fr")
    if environ.get("TOLK_DEMO_PACKAGE"):
        candidates.append(Path(environ["TOLK_DEMO_PACKAGE"]).expanduser())
    return candidates


def install_bundled_demo(store: ModelStore, candidates: Sequence[Path]) -> FirstRunResult:
    """Copy the first valid candidate package into an empty store.

    The copy is built in a hidden temp dir beside the target and renamed into place, so an
    interrupted copy never looks like an installed package.

    Returns:
        What was installed, or why nothing was (store not empty, no valid candidate).
    """
    if store.entries():
        return FirstRunResult(skipped_reason="the model store is not empty")
    problems = []
    for candidate in candidates:
        try:
            package = ModelPackage.open(candidate)
        except ModelError as exc:
            problems.append(str(exc))
            continue
        target = store.path_for(package.name)
        store.root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".installing-{package.name}-", dir=store.root))
        try:
            copy = staging / package.name
            shutil.copytree(package.path, copy)
            ModelPackage.open(copy)
            copy.rename(target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return FirstRunResult(installed=package.name, source=package.path)
    if not candidates:
        return FirstRunResult(skipped_reason="no bundled demo package")
    return FirstRunResult(skipped_reason="; ".join(problems))
