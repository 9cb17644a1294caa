"""Inline spans carried into translations, scored against the hand-labelled span set.

Run: python bench/spans.py [--model PATH] [--device cpu] [--json]

Each sentence of `tests/documents/spans/labelled.jsonl` is read as Markdown (its bold,
italic, link and code marks become the segment's spans, as in a .md file), translated with
the options of a document job and its spans placed by `place_spans`, the function every
document handler's output goes through. Each span is then compared, word by word, with the
French words labelled by hand:

    exact    the placed span covers the labelled words, no more, no fewer
    overlap  it shares words with them, not all or not only
    wrong    it shares none (a protected span inserted beside its words counts here)
    dropped  the formatting was lost: the span is not in the translation
    unscored the span's meaning is not in the translation (labelled null)

A protected span (code) comes out verbatim, written over the words aligned to it: it then
stands for every word it replaced, and words it erased besides its own are reported as lost.

A sentence whose translation is not the labelled one (another model, other options, another
CPU's int8 kernels) is reported as drifted and skipped: its labels would not apply.
Without --model, the demo model installed in the store (`make demo`, TOLK_HOME respected).
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent

if TYPE_CHECKING:
    from desktop_app.documents.model import Segment, Span
    from desktop_app.documents.translator import AlignedText
    from desktop_app.engine import Engine, TranslationOptions

SPAN_SET = ROOT / "tests" / "documents" / "spans" / "labelled.jsonl"
MODEL_NAME = "demo-en-fr"
TARGET = "fr"
KINDS = (
    "bold_word",
    "italic_phrase",
    "link_phrase",
    "code",
    "nested_bold_in_link",
    "span_at_start",
    "span_at_end",
    "two_spans",
)
OUTCOMES = ("exact", "overlap", "wrong", "dropped")
UNSCORED = "unscored"
# A word: letters and digits, joined by inner apostrophes, hyphens and dots, so that an
# elided article stays with its word ("l'utilisateur"), as do "pop-up" and "config.ini".
WORD = re.compile("\\w+(?:['\u2019.\\-]\\w+)*")

Range = tuple[int, int]
Translate = Callable[[str], "AlignedText"]


@dataclass(frozen=True, slots=True)
class Labelled:
    """One sentence of the span set.

    Attributes:
        id: unique name, `<kind>-<number>`.
        kind: one of KINDS.
        source: the English sentence in Markdown, its spans marked.
        plain: the sentence without marks: what the translator sees.
        spans: each span's characters in `plain`, ordered by (start, -end).
        translation: the model's translation of `plain` when the set was made.
        expected: for each span, the characters of `translation` it should cover (whole
            words), or None when its meaning is not in the translation.
        note: what the labeller wanted to say about the sentence.
    """

    id: str
    kind: str
    source: str
    plain: str
    spans: tuple[Range, ...]
    translation: str
    expected: tuple[Range | None, ...]
    note: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Labelled:
        return cls(
            id=data["id"],
            kind=data["kind"],
            source=data["source"],
            plain=data["plain"],
            spans=tuple((s, e) for s, e in data["spans"]),
            translation=data["translation"],
            expected=tuple(None if x is None else (x[0], x[1]) for x in data["expected"]),
            note=data.get("note", ""),
        )


@dataclass(frozen=True, slots=True)
class SpanScore:
    """How one span came out: its outcome and the words involved."""

    id: str
    kind: str
    span: int  # index in the sentence's spans
    outcome: str
    source_words: str
    expected_words: str | None
    placed_words: str | None  # None: dropped


@dataclass(frozen=True, slots=True)
class SentenceScore:
    """One sentence: what a user gets (`output`) and how each span came out.

    `lost_words` are words of the translation missing from the output: a protected text
    written over more than the words it stands for erases its neighbours.
    """

    id: str
    kind: str
    output: str
    spans: tuple[SpanScore, ...]
    lost_words: tuple[str, ...]


@dataclass(slots=True)
class Report:
    """Scores of every sentence whose translation is the labelled one."""

    sentences: list[SentenceScore] = field(default_factory=list)
    drifted: list[dict[str, str]] = field(default_factory=list)  # id, labelled, now

    @property
    def spans(self) -> list[SpanScore]:
        return [span for sentence in self.sentences for span in sentence.spans]

    def counts(self, kind: str | None = None) -> Counter[str]:
        return Counter(s.outcome for s in self.spans if kind is None or s.kind == kind)


def pipeline_options() -> TranslationOptions:
    """The options of a document job run by `tolk files` without --beam (Job._call)."""
    from desktop_app.engine import DEFAULT_BEAM_SIZE, TranslationOptions

    return TranslationOptions(beam_size=DEFAULT_BEAM_SIZE).with_(use_cache=False)


def parse_marked(source: str) -> Segment:
    """The one segment the Markdown handler reads from `source`.

    Raises:
        ValueError: `source` is not one Markdown paragraph.
    """
    from desktop_app.documents.formats.markdown import MarkdownHandler

    segments = MarkdownHandler().extract(source.encode("utf-8")).segments
    if len(segments) != 1:
        raise ValueError(f"expected one paragraph, got {len(segments)}: {source!r}")
    return segments[0]


def ordered_spans(segment: Segment) -> list[Span]:
    """The segment's spans in the set's order: by start, outer before inner."""
    return sorted(segment.spans, key=lambda s: (s.start, -s.end))


def load_set(path: Path = SPAN_SET) -> list[Labelled]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [Labelled.from_json(json.loads(line)) for line in lines if line.strip()]


def words(text: str) -> list[Range]:
    return [m.span() for m in WORD.finditer(text)]


def covered(text: str, ranges: Iterable[Range]) -> frozenset[int]:
    """Indices of the words of `text` that overlap any of `ranges`."""
    found: set[int] = set()
    spans = words(text)
    for start, end in ranges:
        found.update(i for i, (s, e) in enumerate(spans) if s < end and e > start)
    return frozenset(found)


def cuts_a_word(text: str, position: int) -> bool:
    """Whether `position` falls strictly inside a word of `text`."""
    return any(s < position < e for s, e in words(text))


_TOKEN = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Edits:
    """How `final` (the translation after protected texts were written in) maps onto `raw`.

    Compared token by token (whitespace-separated): a token that replaced raw tokens stands
    for all of them, an inserted one for none.
    """

    raw_tokens: tuple[Range, ...]
    final_tokens: tuple[Range, ...]
    to_raw: tuple[tuple[int, ...], ...]  # final token -> raw tokens
    lost: tuple[int, ...]  # raw tokens replaced or deleted

    @classmethod
    def between(cls, raw: str, final: str) -> Edits:
        raw_tokens = tuple(m.span() for m in _TOKEN.finditer(raw))
        final_tokens = tuple(m.span() for m in _TOKEN.finditer(final))
        to_raw: list[tuple[int, ...]] = [()] * len(final_tokens)
        lost: list[int] = []
        matcher = difflib.SequenceMatcher(
            None,
            [raw[s:e] for s, e in raw_tokens],
            [final[s:e] for s, e in final_tokens],
            autojunk=False,
        )
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            for j in range(j1, j2):
                if tag == "equal":
                    to_raw[j] = (i1 + j - j1,)
                elif tag == "replace":
                    to_raw[j] = tuple(range(i1, i2))
            if tag in ("replace", "delete"):
                lost.extend(range(i1, i2))
        return cls(raw_tokens, final_tokens, tuple(to_raw), tuple(lost))

    def in_raw(self, span: Range) -> list[Range]:
        """The raw characters behind `final[span]`."""
        start, end = span
        found = {
            i
            for j, (s, e) in enumerate(self.final_tokens)
            if s < end and e > start
            for i in self.to_raw[j]
        }
        return [self.raw_tokens[i] for i in sorted(found)]


def _text_of(text: str, indices: frozenset[int]) -> str:
    spans = words(text)
    return " ".join(text[spans[i][0] : spans[i][1]] for i in sorted(indices))


def classify(expected: frozenset[int], placed: frozenset[int] | None) -> str:
    """The outcome of a span whose labelled words are `expected` (word indices)."""
    if placed is None:
        return "dropped"
    if placed == expected:
        return "exact"
    return "overlap" if placed & expected else "wrong"


def score_sentence(item: Labelled, aligned: AlignedText) -> SentenceScore:
    """Place the spans of `item` on its translation and score each one."""
    from desktop_app.documents.inline import place_spans

    segment = parse_marked(item.source)
    if segment.text != item.plain:
        raise ValueError(f"{item.id}: the marked source no longer gives the labelled plain text")
    spans = ordered_spans(segment)
    if tuple((s.start, s.end) for s in spans) != item.spans:
        raise ValueError(f"{item.id}: the marked source no longer gives the labelled spans")
    result = place_spans(segment, aligned.text, aligned.alignment)
    edits = Edits.between(item.translation, result.text)
    placed_by_key = {s.key: (s.start, s.end) for s in result.spans}
    scores = []
    replaced: set[int] = set()  # words a protected span stands for: expected to go
    for index, (span, expected) in enumerate(zip(spans, item.expected, strict=True)):
        placed_range = placed_by_key.get(span.key)
        placed = (
            None
            if placed_range is None
            else covered(item.translation, edits.in_raw(placed_range))
        )
        if expected is None:
            outcome, expected_words = UNSCORED, None
        else:
            wanted = covered(item.translation, [expected])
            outcome = classify(wanted, placed)
            expected_words = _text_of(item.translation, wanted)
            if span.protected:
                replaced |= wanted
        scores.append(
            SpanScore(
                id=item.id,
                kind=item.kind,
                span=index,
                outcome=outcome,
                source_words=item.plain[span.start : span.end],
                expected_words=expected_words,
                placed_words=None
                if placed_range is None
                else result.text[placed_range[0] : placed_range[1]],
            )
        )
    lost = covered(item.translation, [edits.raw_tokens[i] for i in edits.lost]) - replaced
    lost_words = tuple(_text_of(item.translation, frozenset([i])) for i in sorted(lost))
    return SentenceScore(item.id, item.kind, result.text, tuple(scores), lost_words)


def score(items: Sequence[Labelled], translate: Translate) -> Report:
    """Translate each sentence alone (so a subset scores as it does in the whole set)."""
    report = Report()
    for item in items:
        aligned = translate(item.plain)
        if aligned.text != item.translation:
            drift = {"id": item.id, "labelled": item.translation, "now": aligned.text}
            report.drifted.append(drift)
            continue
        report.sentences.append(score_sentence(item, aligned))
    return report


def engine_translator(engine: Engine) -> Translate:
    """One sentence through `engine` as a document job sends it."""
    options = pipeline_options()

    def translate(text: str) -> AlignedText:
        return engine.translate_aligned([text], target=TARGET, options=options)[0]

    return translate


def open_engine(model: str | None, device: str = "cpu") -> Engine:
    """The package at path `model`, an installed model by name, or the installed demo model.

    Laid out like a document job's engine (workload "batch"). CPU by default: the set's
    translations were made there, and CUDA's kernels may translate differently.
    """
    from desktop_app.engine import EngineSettings, ModelPackage, ModelStore

    settings = EngineSettings(device=device, workload="batch")
    if model is not None and Path(model).is_dir():
        return settings.open(ModelPackage.open(Path(model)))
    return settings.open(ModelStore().get(model or MODEL_NAME))


def summary(report: Report) -> dict[str, Any]:
    """Counts and percentages (of the scored spans) per kind and overall."""

    def row(kind: str | None) -> dict[str, Any]:
        counts = report.counts(kind)
        scored = sum(counts[o] for o in OUTCOMES)
        return {
            "spans": scored + counts[UNSCORED],
            "scored": scored,
            **{o: counts[o] for o in (*OUTCOMES, UNSCORED)},
            "percent": {o: round(100 * counts[o] / scored, 1) if scored else 0.0 for o in OUTCOMES},
        }

    kinds = [k for k in KINDS if any(s.kind == k for s in report.spans)]
    return {
        "sentences_scored": len(report.sentences),
        "sentences_drifted": len(report.drifted),
        "sentences_losing_words": sum(1 for s in report.sentences if s.lost_words),
        "kinds": {k: row(k) for k in kinds},
        "overall": row(None),
    }


def table(report: Report) -> str:
    """Counts per kind and overall, with percentages of the scored spans."""
    data = summary(report)
    head = f"{'kind':<20} {'spans':>5}" + "".join(f" {o:>14}" for o in OUTCOMES)
    head += f" {UNSCORED:>9}"
    lines = [head, "-" * len(head)]
    rows = [*data["kinds"].items(), ("overall", data["overall"])]
    for number, (name, row) in enumerate(rows):
        if number == len(rows) - 1:
            lines.append("-" * len(head))
        cells = "".join(f" {row[o]:>5} ({row['percent'][o]:>5.1f}%)" for o in OUTCOMES)
        lines.append(f"{name:<20} {row['scored']:>5}{cells} {row[UNSCORED]:>9}")
    lines.append(
        f"{data['sentences_scored']} sentences scored, {data['sentences_drifted']} skipped "
        "(translation differs from the labelled one); "
        f"{data['sentences_losing_words']} lost words of their translation"
    )
    return "\n".join(lines)


def details(report: Report) -> list[str]:
    """A line for every span that is not exact and every sentence that lost words."""
    lines = []
    for sentence in report.sentences:
        for s in sentence.spans:
            if s.outcome not in ("exact", UNSCORED):
                lines.append(
                    f"{s.outcome:<8} {s.id:<24} {s.source_words!r}: "
                    f"expected {s.expected_words!r}, placed {s.placed_words!r}"
                )
        if sentence.lost_words:
            lost = ", ".join(map(repr, sentence.lost_words))
            lines.append(f"lost     {sentence.id:<24} {lost}: {sentence.output!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model package folder or installed name (default: demo)")
    parser.add_argument("--device", default="cpu", help="cpu (default), cuda or auto")
    parser.add_argument("--set", type=Path, default=SPAN_SET, help="the labelled span set")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--show", action="store_true", help="also list every span not exact")
    args = parser.parse_args(argv)

    from desktop_app.errors import TolkError

    try:
        engine = open_engine(args.model, args.device)
    except TolkError as error:
        print(f"spans: {error} (install the demo model: make demo)", file=sys.stderr)
        return 1
    with engine:
        report = score(load_set(args.set), engine_translator(engine))
    if args.json:
        payload = {
            "model": str(engine.package.path),
            "compute_type": engine.compute_type,
            "options": asdict(pipeline_options()),
            **summary(report),
            "drifted": report.drifted,
            "sentences": [asdict(s) for s in report.sentences],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    print(table(report))
    for item in report.drifted:
        print(f"drifted {item['id']}: {item['now']!r} (labelled {item['labelled']!r})")
    if args.show:
        print("\n".join(details(report)))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # runnable as `python bench/spans.py`
    sys.exit(main())
