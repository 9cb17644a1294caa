"""`python -m converter SOURCE [options]`: convert a checkpoint into a Tolk model package.

Exit codes: 0 converted, 2 refused (bad input), 1 failed (conversion or verification); one
line on stderr, never a traceback.
With --progress-json, stdout carries one JSON object per line:
`{"stage": ..., "fraction": 0..1, "message": ...}`, last `{"stage": "done", "package": path}`.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from converter.parent import ParentWatch
from desktop_app.engine.manifest import QUANTIZATIONS

# As `tolk`: 2 for a request that cannot be carried out as given, 1 for a conversion that failed.
EXIT_FAILED, EXIT_USAGE = 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m converter",
        description="Convert a HuggingFace Seq2Seq checkpoint (Marian/OPUS-MT, M2M100, NLLB-200, "
        "mBART-50, T5) into a verified Tolk model package.",
    )
    parser.add_argument(
        "source",
        help="checkpoint folder, or hub id (OWNER/NAME or hf:OWNER/NAME[@REVISION]); a hub id "
        "is fetched with --download, otherwise taken from the local HuggingFace cache",
    )
    parser.add_argument("--quantization", choices=QUANTIZATIONS, default="int8")
    parser.add_argument("--name", help="package name (default: the checkpoint's name)")
    parser.add_argument("--output", type=Path, help="write the package here instead of the store")
    parser.add_argument(
        "--store", type=Path, help="model store (default: $TOLK_HOME/models or the user data dir)"
    )
    parser.add_argument(
        "--from",
        dest="source_language",
        metavar="LANG",
        help="source language, when the checkpoint does not say",
    )
    parser.add_argument(
        "--to",
        dest="target_language",
        metavar="LANG",
        help="target language, when the checkpoint does not say",
    )
    parser.add_argument("--force", action="store_true", help="replace an existing package")
    parser.add_argument(
        "--allow-pickle",
        action="store_true",
        help="accept pytorch_model.bin weights (read by a tensors-only unpickler)",
    )
    path = parser.add_mutually_exclusive_group()
    path.add_argument(
        "--reference",
        dest="reference",
        action="store_const",
        const=True,
        help="convert with transformers and verify against the HF model (needs the convert "
        "extra; the default when it is installed)",
    )
    path.add_argument(
        "--torch-free",
        dest="reference",
        action="store_const",
        const=False,
        help="convert without torch and run the runtime check (the installed app's converter)",
    )
    parser.add_argument(
        "--accept-unverified",
        action="store_true",
        help="install a package whose verification failed, marked unverified",
    )
    parser.add_argument(
        "--download", action="store_true", help="download a hub id (the only network use)"
    )
    parser.add_argument(
        "--progress-json", action="store_true", help="JSON progress lines on stdout"
    )
    parser.add_argument(
        "--stop-with-parent",
        action="store_true",
        help="for programs that start the converter: standard input is a pipe from the "
        "parent, never written to; when it closes (the parent exited), stop and install nothing",
    )
    return parser


def _interrupt(signum: int, frame: object) -> None:
    # A dead parent sends two (the kernel's SIGTERM and the pipe watch's SIGINT): only the
    # first may interrupt, a second one would cut short the clean-up the first started.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    raise KeyboardInterrupt


@contextmanager
def _conversion_settings(*, offline: bool) -> Iterator[None]:
    """Signal handlers and environment for one conversion, restored afterwards: the frozen
    app's `tolk convert` runs the converter inside its own process."""
    # A GUI stops the converter with SIGTERM or SIGINT: both clean up and install nothing.
    handlers = {sig: signal.signal(sig, _interrupt) for sig in (signal.SIGTERM, signal.SIGINT)}
    # Read by huggingface_hub and transformers at import: set before either loads.
    settings = {"TOKENIZERS_PARALLELISM": os.environ.get("TOKENIZERS_PARALLELISM", "false")}
    if offline:
        settings |= {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the converter CLI; return the exit code."""
    args = _parser().parse_args(argv)
    with _conversion_settings(offline=not args.download):
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    watch = ParentWatch()

    from converter.pipeline import ConversionRequest, convert
    from desktop_app.errors import InputError, TolkError

    def report(stage: str, fraction: float, message: str) -> None:
        # Checked at every stage up to installing: the interrupt from the watch may be held
        # up in native code, but no package is installed for a parent that is gone.
        if watch.parent_gone and stage != "done":
            raise KeyboardInterrupt
        if args.progress_json:
            line = {"stage": stage, "fraction": round(fraction, 3), "message": message}
            if stage == "done":
                line["package"] = message
            print(json.dumps(line, ensure_ascii=False), flush=True)
        else:
            print(f"[{stage}] {message}", file=sys.stderr, flush=True)

    try:
        # Started here, inside the `try`: its interrupt must meet the handler below. A parent
        # that died earlier is still noticed, its pipe is already at its end.
        if args.stop_with_parent:
            watch.start(sys.stdin.fileno() if sys.stdin is not None else None)
        request = ConversionRequest(
            source=args.source,
            quantization=args.quantization,
            name=args.name,
            output=args.output,
            store=args.store,
            source_language=args.source_language,
            target_language=args.target_language,
            force=args.force,
            allow_pickle=args.allow_pickle,
            download=args.download,
            reference=args.reference,
            accept_unverified=args.accept_unverified,
        )
        package = convert(request, report)
    except TolkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, InputError) else EXIT_FAILED
    except KeyboardInterrupt:
        print("error: interrupted; nothing was installed", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a bug, not bad input: still one line, and nothing installed
        print(
            f"error: unexpected {type(exc).__name__}: {exc}; nothing was installed", file=sys.stderr
        )
        return EXIT_FAILED
    if not args.progress_json:
        print(package)
    return 0


if __name__ == "__main__":
    sys.exit(main())
