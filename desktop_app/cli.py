"""The `tolk` command: translate text, convert checkpoints, manage models, translate files."""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, TextIO

from desktop_app import __version__
from desktop_app.conversion import converter_command, frozen
from desktop_app.engine import (
    COMPUTE_TYPES,
    DEFAULT_BEAM_SIZE,
    DEVICES,
    MAX_CPU_THREADS,
    EngineSettings,
    ModelStore,
    SegmentDelta,
    SegmentDone,
    TranslationOptions,
    human_size,
)
from desktop_app.errors import InputError, TolkError

if TYPE_CHECKING:
    from desktop_app.engine import Engine, ModelPackage
    from desktop_app.engine.pivot import PivotEngine

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _store(args: argparse.Namespace) -> ModelStore:
    return ModelStore(Path(args.store) if args.store else None)


def engine_factory(
    args: argparse.Namespace, workload: str
) -> Callable[[str | None], Engine | PivotEngine]:
    """Build engines from the command line's device options (shared by translate and files),
    laid out for `workload` ("interactive" or "batch", see `desktop_app.engine.threads`).

    The options are checked here, before any model loads: a bad --beam or --threads is
    reported at once, in one line, instead of after seconds of loading (or never, when a
    beam of 100000 exhausts memory first).
    """
    try:
        TranslationOptions(beam_size=args.beam)
    except InputError as exc:
        raise InputError(f"--beam: {exc}") from None
    if not 0 <= args.threads <= MAX_CPU_THREADS:
        raise InputError(
            f"--threads {args.threads} is out of range; expected 0 (automatic) to {MAX_CPU_THREADS}"
        )

    settings = EngineSettings(args.device, args.compute_type, args.threads, workload)

    def build(model: str | None) -> Engine | PivotEngine:
        store = _store(args)
        if model:
            return settings.open(store.get(model))
        if not (args.source and args.target):
            return settings.open(store.default())
        # Both languages named: the model that serves them, or two through English.
        from desktop_app.engine.pivot import PivotEngine, open_route, route

        engine = open_route(settings, route(store.packages(), args.source, args.target))
        if isinstance(engine, PivotEngine):
            models = f"{engine.first.package.name} + {engine.second.package.name}"
            print(f"tolk: {args.source} -> {args.target} via English ({models})", file=sys.stderr)
        return engine

    return build


# --- translate ---------------------------------------------------------------------------


# Standard input is translated in pieces of whole lines of about this size, so memory stays
# bounded whatever is piped in: 2 GB read at once ended in a MemoryError (issue 12, case 8).
# A segment never spans a line break, so the pieces translate exactly as the whole would.
STDIN_CHUNK_BYTES = 1 << 20
# A line is translated whole and so held in memory whole: a longer one is refused.
STDIN_MAX_LINE_BYTES = 16 << 20


def read_chunks(
    source: BinaryIO,
    chunk_bytes: int = STDIN_CHUNK_BYTES,
    max_line_bytes: int = STDIN_MAX_LINE_BYTES,
) -> Iterator[str]:
    """The UTF-8 text of `source` in pieces of whole lines, each about `chunk_bytes` long.

    Raises:
        InputError: invalid UTF-8, or a line longer than `max_line_bytes`.
    """
    offset = 0  # of the piece being read, for the position of a decoding error
    while True:
        lines: list[bytes] = []
        size = 0
        while size < chunk_bytes:
            line = source.readline(max_line_bytes + 1)
            if not line:
                break
            if len(line) > max_line_bytes:
                raise InputError(
                    f"a line of standard input (at byte {offset + size}) is longer than "
                    f"{max_line_bytes >> 20} MiB; break it into lines or paragraphs"
                )
            lines.append(line)
            size += len(line)
        if not lines:
            return
        try:
            # Pieces end at a newline byte, which never occurs inside a UTF-8 sequence.
            piece = b"".join(lines).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"standard input is not valid UTF-8 (byte {offset + exc.start})"
            ) from None
        yield piece
        offset += size


def _input_pieces(text: str | None, stdin: TextIO) -> Iterator[str]:
    if text is not None:
        return iter([text])
    if stdin.isatty():
        raise InputError("no text given: pass TEXT or pipe text on standard input")
    return read_chunks(stdin.buffer)


class _OrderedPrinter:
    """Prints streamed segments in reading order, with the input's separators between them."""

    def __init__(self, separators: Sequence[str], out: TextIO) -> None:
        self._separators = separators  # separators[i] precedes segment i; the last one ends it
        self._out = out
        self._pending: dict[int, str] = {}  # streamed text of segments not yet reached
        self._printed = ""  # what was printed of the current segment
        self._current = 0
        self._done: dict[int, str] = {}
        out.write(separators[0])

    def delta(self, index: int, text: str, *, restart: bool = False) -> None:
        if index != self._current:
            self._pending[index] = ("" if restart else self._pending.get(index, "")) + text
        elif not restart and text:
            self._out.write(text)
            self._out.flush()
            self._printed += text
        # A restart of the segment being printed: what is on screen stays; `done` reconciles.

    def done(self, index: int, text: str) -> None:
        self._done[index] = text
        while self._current in self._done:
            final = self._done.pop(self._current)
            if final.startswith(self._printed):
                self._out.write(final[len(self._printed) :])
            else:  # decoding was redone after we printed part of it: print the final text whole
                self._out.write("\n" + final)
            self._current += 1
            self._out.write(self._separators[self._current])
            self._printed = self._pending.pop(self._current, "")
            self._out.write(self._printed)
        self._out.flush()


def _stream(
    engine: Engine | PivotEngine, text: str, kwargs: dict[str, object], out: TextIO
) -> None:
    layout = engine.split(text)
    printer = _OrderedPrinter(layout.separators, out)
    with engine.stream(text, **kwargs) as events:  # type: ignore[arg-type]
        for event in events:
            if isinstance(event, SegmentDelta):
                printer.delta(event.index, event.text, restart=event.restart)
            elif isinstance(event, SegmentDone):
                printer.done(event.index, event.text)


def cmd_translate(args: argparse.Namespace) -> int:
    # Piped input is many lines: decode several batches at once. A text argument or a stream
    # is read as it comes: every thread on one batch.
    many_lines = args.text is None and not args.stream
    build = engine_factory(args, "batch" if many_lines else "interactive")
    pieces = _input_pieces(args.text, sys.stdin)
    # The first piece is read before the model loads: bad input is reported without a wait.
    first = next(pieces, None)
    engine = build(args.model)
    kwargs: dict[str, object] = {
        "source": args.source,
        "target": args.target,
        "options": TranslationOptions(beam_size=args.beam),
    }
    for text in itertools.chain([first] if first is not None else [], pieces):
        if args.stream:
            _stream(engine, text, kwargs, sys.stdout)
        elif args.keep_placeholders:
            from desktop_app.documents.placeholders import translate_keeping_placeholders

            sys.stdout.write(translate_keeping_placeholders(engine, text, **kwargs))  # type: ignore[arg-type]
        else:
            sys.stdout.write(engine.translate(text, **kwargs).text)  # type: ignore[arg-type]
        sys.stdout.flush()
    # A command-line argument has no final newline; end the output with one for the terminal.
    if args.text is not None and not args.text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()
    return EXIT_OK


# --- models ------------------------------------------------------------------------------


def _languages(package: ModelPackage) -> str:
    langs = package.manifest.languages
    return "{} -> {}".format(
        ",".join(lang.iso for lang in langs.source), ",".join(lang.iso for lang in langs.target)
    )


HUB_PREFIX = "hf:"  # `tolk models install hf:OWNER/NAME`: a HuggingFace checkpoint
CHECKS = {
    "reference": "yes, against the HuggingFace model it was converted from",
    "runtime": "yes, the runtime check (tokenizer, vocabulary and decoding; no HuggingFace "
    "model to compare with)",
    "unverified": "NO: its check failed and it was installed on request (--accept-unverified)",
    "argos": "imported Argos Translate package (not checked against a checkpoint)",
    "none": "no",
}


def cmd_models(args: argparse.Namespace) -> int:
    store = _store(args)
    if args.action == "list":
        entries = store.entries()
        if not entries:
            print(f"no models installed in {store.root}")
        for entry in entries:
            if entry.package is None:
                print(f"{entry.name}\tBROKEN: {entry.error}")
                continue
            manifest = entry.package.manifest
            print(
                f"{entry.name}\t{_languages(entry.package)}\t{manifest.family}"
                f"\t{manifest.quantization}\t{human_size(entry.package.size_bytes)}"
            )
        return EXIT_OK
    if args.action == "available":
        return _print_available(store, args.from_lang, args.to_lang)
    if args.name is None:
        what = {"import": "FILE.argosmodel", "install": "package CODE"}.get(
            args.action, "model NAME"
        )
        raise InputError(f"'tolk models {args.action}' needs a {what}")
    if args.action == "remove":
        store.remove(args.name)
        print(f"removed {args.name}")
        return EXIT_OK
    if args.action == "install":
        return _install(args, store)
    if args.action == "import":
        from desktop_app.engine.argos import import_argos

        imported = import_argos(Path(args.name), store, args.new_name, force=args.force)
        print(f"installed {imported.name} ({_languages(imported)}) in {imported.path}")
        return EXIT_OK
    package = store.get(args.name)
    manifest = package.manifest
    print(f"name:          {manifest.name} ({manifest.display_name})")
    print(f"path:          {package.path}")
    print(f"languages:     {_languages(package)}")
    print(f"architecture:  {manifest.family} ({manifest.architecture})")
    print(f"quantization:  {manifest.quantization}")
    print(f"size on disk:  {human_size(package.size_bytes)}")
    revision = f" @ {manifest.source.revision}" if manifest.source.revision else ""
    print(f"source:        {manifest.source.checkpoint}{revision}")
    print(f"converted by:  tolk {manifest.converter_version} on {manifest.created}")
    damaged = package.verify_files()
    print(f"files intact:  {'yes' if not damaged else 'NO, changed: ' + ', '.join(damaged)}")
    print(f"checked:       {CHECKS[manifest.check]}")
    print("verification:  " + json.dumps(manifest.verification, indent=2, ensure_ascii=False))
    return EXIT_OK


def _install(args: argparse.Namespace, store: ModelStore) -> int:
    """An Argos package of the index by its CODE, or a HuggingFace checkpoint (hf:OWNER/NAME):
    fetched, converted (without torch where need be), installed."""
    if not args.name.startswith(HUB_PREFIX):
        from desktop_app.engine.catalog import install

        package = install(
            args.name, store, name=args.new_name, force=args.force, progress=_download_progress()
        )
        print(f"installed {package.name} ({_languages(package)}) in {package.path}")
        return EXIT_OK
    converter_args = [args.name, "--download"]
    if args.new_name:
        converter_args += ["--name", args.new_name]
    if args.force:
        converter_args.append("--force")
    return cmd_convert(argparse.Namespace(converter_args=converter_args, store=str(store.root)))


def _print_available(store: ModelStore, source: str | None, target: str | None) -> int:
    from desktop_app.engine.catalog import available, hub_models

    for model in hub_models():  # shipped with Tolk: listed online or not
        if model.serves(source, target):
            size = f", {model.weights}" if model.weights else ""
            print(
                f"{model.checkpoint}\t{model.source} -> {model.target}\t{model.source_name} -> "
                f"{model.target_name}\t{model.licence}{size}\tneeds conversion: "
                f"{model.convert_command}"
            )
    catalog = available(store)
    if catalog.stale_because:
        print(f"offline: the list of {catalog.fetched}; {catalog.stale_because}", file=sys.stderr)
    for reason in catalog.skipped:
        print(f"skipped a malformed index entry ({reason})", file=sys.stderr)
    installed = {package.manifest.source.checkpoint for package in store.packages()}
    for entry in catalog.entries:
        if (source and entry.source != source) or (target and entry.target != target):
            continue
        mark = "\tinstalled" if f"argos:{entry.code}" in installed else ""
        print(
            f"{entry.code}\t{entry.source} -> {entry.target}\t{entry.source_name} -> "
            f"{entry.target_name}\t{entry.version}{mark}"
        )
    return EXIT_OK


def _download_progress() -> Callable[[int, int | None, float], None]:
    """Reports a download on standard error about once a second."""
    last = [0.0]

    def report(done: int, total: int | None, speed: float) -> None:
        now = time.monotonic()
        if now - last[0] < 1.0 and done != total:
            return
        last[0] = now
        of = f" of {total / 1e6:.1f}" if total else ""
        left = f", {(total - done) / speed:.0f} s left" if total and speed > 0 else ""
        print(
            f"downloading: {done / 1e6:.1f}{of} MB, {speed / 1e6:.1f} MB/s{left}",
            file=sys.stderr,
            flush=True,
        )

    return report


# --- convert, files, gui -----------------------------------------------------------------


def cmd_convert(args: argparse.Namespace) -> int:
    """Convert a checkpoint; in a Python installation, in a child process so that torch (the
    reference path) never enters this one."""
    converter_args = [*args.converter_args, *(["--store", args.store] if args.store else [])]
    if frozen():
        # The frozen app ships the torch-free converter only: nothing heavy to keep out.
        from converter.__main__ import main as convert_here

        if "--reference" not in converter_args:
            converter_args.append("--torch-free")
        return convert_here(converter_args)
    # The child holds a pipe from us on stdin: when this process dies, even by SIGKILL, the
    # pipe closes and the converter stops without installing (issue 12, case 11).
    command = [*converter_command(), "--stop-with-parent", *converter_args]
    with subprocess.Popen(command, stdin=subprocess.PIPE) as child:
        try:
            return child.wait()
        except KeyboardInterrupt:
            # Ctrl+C reached the converter too: let it remove its work folder before we go
            # (subprocess.call would kill it after a quarter of a second).
            child.wait()
            raise


def cmd_files(args: argparse.Namespace) -> int:
    from desktop_app.documents.cli import run_files

    factory = engine_factory(args, "batch")
    return run_files(args, factory)


# --- parser ------------------------------------------------------------------------------


def _add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", help="installed model name (default: demo-en-fr or the only one)"
    )
    parser.add_argument("--from", dest="source", metavar="LANG", help="source language (ISO code)")
    parser.add_argument("--to", dest="target", metavar="LANG", help="target language (ISO code)")
    parser.add_argument(
        "--beam",
        type=int,
        default=DEFAULT_BEAM_SIZE,
        metavar="N",
        help=f"beam size; 1 is greedy (default {DEFAULT_BEAM_SIZE})",
    )
    parser.add_argument("--device", default="auto", choices=DEVICES)
    parser.add_argument(
        "--compute-type",
        default="auto",
        metavar="TYPE",
        help=", ".join(COMPUTE_TYPES) + " (CPU: int8, int8_float32, float32)",
    )
    parser.add_argument(
        "--threads", type=int, default=0, metavar="N", help="CPU threads (0: CTranslate2's default)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tolk", description="Offline translator.")
    parser.add_argument("--version", action="version", version=f"tolk {__version__}")
    parser.add_argument(
        "--store",
        metavar="DIR",
        help="model store (default: $TOLK_HOME/models or the user data directory)",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    translate = commands.add_parser("translate", help="translate TEXT or standard input")
    translate.add_argument("text", nargs="?", help="text to translate (default: standard input)")
    output = translate.add_mutually_exclusive_group()
    output.add_argument(
        "--stream",
        action="store_true",
        help="print tokens as they come (a sentence that has to be redone is printed again, "
        "whole, on a new line)",
    )
    output.add_argument(
        "--keep-placeholders",
        action="store_true",
        help="copy format placeholders (%%s, %%(name)d, {name}, {0}) into the translation "
        "verbatim, for strings a program fills in",
    )
    _add_engine_options(translate)
    translate.set_defaults(handler=cmd_translate)

    models = commands.add_parser(
        "models",
        help="list, inspect, remove or import installed models",
        description="'import FILE.argosmodel' installs an Argos Translate package; 'available' "
        "lists the packages of the online index (TOLK_CATALOG_URL) and 'install CODE' downloads "
        "and installs one; 'install hf:OWNER/NAME[@REVISION]' fetches a HuggingFace checkpoint "
        "(HF_ENDPOINT) and converts it; 'info' and 'remove' take a model NAME.",
    )
    models.add_argument(
        "action", choices=("list", "info", "remove", "import", "available", "install")
    )
    models.add_argument(
        "name",
        nargs="?",
        help="a model name; for import the file; for install the CODE, or hf:OWNER/NAME for a "
        "HuggingFace checkpoint (fetched and converted)",
    )
    models.add_argument("--from", dest="from_lang", metavar="LANG", help="available: filter")
    models.add_argument("--to", dest="to_lang", metavar="LANG", help="available: filter")
    models.add_argument(
        "--name",
        dest="new_name",
        metavar="NAME",
        help="import: install under this name (default argos-FROM-TO)",
    )
    models.add_argument(
        "--force", action="store_true", help="import: replace a model of the same name"
    )
    models.set_defaults(handler=cmd_models)

    convert = commands.add_parser(
        "convert", add_help=False, help="convert a HuggingFace checkpoint into a model package"
    )
    convert.add_argument("converter_args", nargs=argparse.REMAINDER)
    convert.set_defaults(handler=cmd_convert)

    if importlib.util.find_spec("desktop_app.documents.cli") is not None:
        from desktop_app.documents.cli import add_files_arguments

        files = commands.add_parser("files", help="translate documents and folders")
        add_files_arguments(files)
        _add_engine_options(files)
        files.set_defaults(handler=cmd_files)

    # Listed for --help only: `main` hands `tolk gui ...` to the GUI's own parser.
    commands.add_parser("gui", help="open the desktop app (--self-test: translate once and exit)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["gui"]:
        # argparse's REMAINDER cannot pass on a first argument that starts with '-'.
        from desktop_app.gui import main as gui_main

        return gui_main(argv[1:])
    parser = build_parser()
    # argparse's REMAINDER cannot take a first argument that starts with '-', so `tolk
    # convert --help` was refused (issue 12, case 13): what the parser does not know, which
    # can only precede the converter's own arguments, goes to the converter in order.
    args, unknown = parser.parse_known_args(argv)
    if args.handler is cmd_convert:
        args.converter_args = [*unknown, *args.converter_args]
    elif unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    try:
        return int(args.handler(args))
    except TolkError as exc:
        print(f"tolk: error: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, InputError) else EXIT_FAILED
    except KeyboardInterrupt:
        print("tolk: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (e.g. `tolk translate ... | head`): not an error of ours.
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
