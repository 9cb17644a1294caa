"""Run a document job in this process and SIGKILL it at a chosen point (for resume tests).

Usage: python -m tests.documents.kill_job OUTDIR POINT N INPUT...
POINT is `call` (the N-th translator call), `fsync` (the N-th fsync: journal lines written
but not yet synced) or `replace` (the N-th atomic rename of an output).
"""

from __future__ import annotations

import os
import signal
import sys
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
    output, point, count, *inputs = sys.argv[1:]
    stream_small_texts()
    translator = FakeTranslator()
    killer = _kill_on(int(count))
    if point == "call":
        translator.on_call = killer
    else:
        original = getattr(os, point)

        def patched(*args: Any) -> Any:
            killer()
            return original(*args)

        setattr(os, point, patched)
    job = Job(tuple(Path(i) for i in inputs), target="fr", output_dir=Path(output), batch_chars=60)
    job.run(translator)


if __name__ == "__main__":
    main()
