"""Make (or remake) the translations of the labelled inline-span set.

Run: python bench/make_span_set.py [--add FILE] [--check] [--model PATH]

`--add FILE` appends the sentences of FILE, one `KIND<TAB>SENTENCE` a line, the sentence in
Markdown with its spans marked (**bold**, *italic*, [link](url), `code`). Each gets an id,
its plain text, its span offsets and the model's translation, made as `bench/spans.py`
makes it (one sentence at a time, the options of a document job); its `expected` offsets
are then labelled by hand (tests/documents/spans/README.md has the rules).

Without --add, every translation is made again: a sentence whose translation changed gets
the new one and loses its labels, and is listed, to be labelled again. `--check` only lists.
Without --model, the demo model installed in the store (`make demo`, TOLK_HOME respected).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # runnable as `python bench/make_span_set.py`

from bench.spans import (  # noqa: E402 (after the path is set)
    KINDS,
    SPAN_SET,
    engine_translator,
    open_engine,
    ordered_spans,
    parse_marked,
)

FIELDS = ("id", "kind", "source", "plain", "spans", "translation", "expected", "note")


def read_records(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def write_records(path: Path, records: list[dict[str, Any]]) -> None:
    """One object a line, fields in a fixed order; written atomically."""
    lines = [
        json.dumps({k: r[k] for k in FIELDS if k in r}, ensure_ascii=False) for r in records
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(lines) + "\n")
        out.flush()
        os.fsync(out.fileno())
    Path(temporary).replace(path)


def new_record(kind: str, source: str, number: int) -> dict[str, Any]:
    if kind not in KINDS:
        raise SystemExit(f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")
    segment = parse_marked(source)
    spans = [[s.start, s.end] for s in ordered_spans(segment)]
    if not spans:
        raise SystemExit(f"no span marked in {source!r}")
    return {"id": f"{kind}-{number:02d}", "kind": kind, "source": source,
            "plain": segment.text, "spans": spans}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--add", type=Path, metavar="FILE", help="KIND<TAB>SENTENCE lines")
    parser.add_argument("--check", action="store_true", help="list changed translations only")
    parser.add_argument("--model", help="model package folder or installed name (default: demo)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--set", type=Path, default=SPAN_SET)
    args = parser.parse_args(argv)

    records = read_records(args.set)
    fresh: list[dict[str, Any]] = []
    if args.add:
        numbers = dict.fromkeys(KINDS, 0)
        for record in records:  # after the highest number: ids never come back
            kind, number = record["id"].rsplit("-", 1)
            numbers[kind] = max(numbers.get(kind, 0), int(number))
        for line in args.add.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            kind, source = line.split("\t", 1)
            numbers[kind] = numbers.get(kind, 0) + 1
            fresh.append(new_record(kind, source.strip(), numbers[kind]))
    with open_engine(args.model, args.device) as engine:
        translate = engine_translator(engine)
        changed = 0
        for record in records if not args.add else fresh:
            text = translate(record["plain"]).text
            if record.get("translation") not in (None, text):
                changed += 1
                print(f"{record['id']}: {record['translation']!r} -> {text!r}")
                record.pop("expected", None)
            record["translation"] = text
    if args.check:
        print(f"{changed} of {len(records)} translations changed")
        return 1 if changed else 0
    write_records(args.set, records + fresh)
    print(f"{len(records) + len(fresh)} sentences in {args.set}; {changed} to label again, "
          f"{len(fresh)} new to label")
    return 0


if __name__ == "__main__":
    sys.exit(main())
