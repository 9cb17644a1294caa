"""Run a document job in this process and SIGKILL it at a chosen point (for resume tests).

Usage: python -m tests.documents.kill_job [--package DIR] [--batch-chars N] OUTDIR POINT N INPUT...
POINT is `call` (the N-th translator call), `fsync` (the N-th fsync: journal lines written
but not yet synced) or `replace` (the N-th atomic rename of an output).

Without --package, a fake translator, with text inputs streamed in small parts; with it, the
real engine on that model package. Batches are of 60 characters unless --batch-chars says.
"""

from __future__ import annotations

import argparse
import os
import signal
from pathlib import Path
from typing import Any

from desktop_app.documents import Job, encoding
from desktop_app.documents.formats.plaintext import PlainTextHandler
from tests.documents.fakes import FakeTranslator

# Small enough that the text input is streamed, in several parts.
STREAM_ABOVE_BYTES = 200
STREAM_BLOCK_BYTES = 64


def _kill_on(count: int) -> Any:
    calls = [0]

    def maybe_kill(*_: Any) -> None:
        calls[0] += 1
        if calls[0] == count:
            os.kill(os.getpid(), signal.SIGKILL)

    return maybe_kill


def stream_small_texts() -> None:
    PlainTextHandler.stream_above_bytes = STREAM_ABOVE_BYTES
    encoding.read_decoded.__defaults__ = (STREAM_BLOCK_BYTES,)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", type=Path)
    parser.add_argument("--batch-chars", type=int, default=60)
    parser.add_argument("output", type=Path)
    parser.add_argument("point", choices=["call", "fsync", "replace"])
    parser.add_argument("count", type=int)
    parser.add_argument("inputs", type=Path, nargs="+")
    args = parser.parse_args()
    killer = _kill_on(args.count)
    translator: Any
    if args.package is None:
        stream_small_texts()
        translator = FakeTranslator()
    else:
        from desktop_app.engine import Engine, ModelPackage

        translator = Engine(ModelPackage.open(args.package), device="cpu")
    job = Job(tuple(args.inputs), target="fr", output_dir=args.output,
              batch_chars=args.batch_chars)
    if args.point == "call":
        if args.package is not None:
            raise SystemExit("`call` counts the fake translator's calls; use fsync or replace")
        translator.on_call = killer
    else:
        original = getattr(os, args.point)

        def patched(*call: Any) -> Any:
            killer()
            return original(*call)

        setattr(os, args.point, patched)
    job.run(translator)


if __name__ == "__main__":
    main()
