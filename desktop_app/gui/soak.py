"""A soak run of the Translate tab: tens of thousands of streamed updates and several long
translations through the real tab and worker thread, with a stand-in engine that streams as
fast as the worker takes its text, checking that nothing leaks.

PySide6 6.12.0 dropped a reference to `True` on every signal emit and the app aborted after a
few thousand streamed tokens; `tolk gui --self-test --soak` runs this soak inside an installed
app, so the Qt that the installer ships is the one checked.
"""

from __future__ import annotations

import gc
import os
import random
import re
import sys
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSignalBlocker

from desktop_app.engine import (
    Layout,
    SegmentDelta,
    SegmentDone,
    StreamEnd,
    StreamEvent,
    TranslationResult,
    TranslationStream,
    split_text,
)
from desktop_app.gui.translate_tab import TranslateTab
from desktop_app.gui.workers import EngineConfig, StreamingEngine, TranslationService

SOAK_DELTAS = 20_000  # as `tolk gui --self-test --soak`
LONG_CHARS = 30_000
SHORT_PER_ROUND = 10
# A decoding step of the stand-in: four tokens per millisecond streams faster than any model
# on a laptop, yet spreads a long translation over hundreds of frames.
STEP_S = 0.001
# Reference counts move a little with whatever else the process holds at the moment of
# reading; a leak per signal emit moves them by about one per screen update, hundreds or
# thousands over a soak.
REFCOUNT_NOISE = 30
# Memory may settle a little after the warm-up round; growth beyond this is a leak.
RSS_GROWTH_LIMIT_MIB = 64.0
WAIT_S = 60.0
POLL_S = 0.001

_WORDS = (
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "please", "open", "window",
    "warm", "invoice", "due", "total", "dollars", "tea", "coffee", "meeting", "room", "report",
    "été", "garçon", "naïve", "straße",
)
_WORD_STARTS = re.compile(r"(?<=\S)(?=\s)")


@dataclass(frozen=True, slots=True)
class StandInPackage:
    name: str = "stand-in"
    path: Path = Path("stand-in")


class FloodEngine:
    """Stands in for `Engine` without a model: a segment's translation is the segment with the
    case of its letters swapped, streamed a word per delta as greedy decoding streams tokens:
    `batch` segments at a time, one delta for each per decoding step of `pause_s` seconds."""

    package = StandInPackage()
    device = "cpu"
    compute_type = "none"
    device_reason = "a stand-in engine that streams the source text back"

    def __init__(self, batch: int = 4, pause_s: float = 0.0) -> None:
        self.batch = batch
        self.pause_s = pause_s
        self.deltas = 0  # streamed so far, over all translations

    def split(self, text: str) -> Layout:
        return split_text(text)

    def stream(
        self, text: str, source: str | None = None, target: str | None = None,
        options: object = None,
    ) -> TranslationStream:
        return TranslationStream(self.events(text))

    def events(self, text: str) -> Generator[StreamEvent, None, None]:
        """What `stream` yields (subclasses time or alter it here)."""
        started = time.perf_counter()
        layout = split_text(text)
        translations = [segment.swapcase() for segment in layout.segments]
        for first in range(0, len(translations), self.batch):
            batch = range(first, min(first + self.batch, len(translations)))
            words = {index: _WORD_STARTS.split(translations[index]) for index in batch}
            for step in range(max(len(pieces) for pieces in words.values())):
                if self.pause_s:
                    time.sleep(self.pause_s)
                for index in batch:
                    if step < len(words[index]):
                        self.deltas += 1
                        yield SegmentDelta(index, words[index][step])
            for index in batch:
                yield SegmentDone(index, translations[index])
        tokens = sum(len(_WORD_STARTS.split(item)) for item in translations)
        yield StreamEnd(TranslationResult(
            text=layout.render(translations), segments=tuple(translations),
            source_tokens=tokens, target_tokens=tokens, seconds=time.perf_counter() - started,
        ))

    def close(self) -> None:
        """Nothing to release."""



class TimedFloodEngine(FloodEngine):
    """A `FloodEngine` that notes when it yields each delta, for latency measurements."""

    def __init__(self, batch: int = 4, pause_s: float = 0.0) -> None:
        super().__init__(batch, pause_s)
        self.sent: list[tuple[float, int]] = []  # (when, length of the text streamed with it)

    def events(self, text: str) -> Generator[StreamEvent, None, None]:
        length = 0
        for event in super().events(text):
            if isinstance(event, SegmentDelta):
                length += len(event.text)
                self.sent.append((time.perf_counter(), length))
            yield event

def sample_text(chars: int, seed: int) -> str:
    """Distinct sentences in paragraphs, about `chars` characters long."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    length = 0
    while length < chars:
        sentences = [
            " ".join(rng.choice(_WORDS) for _ in range(rng.randint(4, 14))).capitalize()
            + f" {length + index}." for index in range(rng.randint(1, 4))
        ]
        paragraphs.append(" ".join(sentences))
        length += len(paragraphs[-1]) + 2
    return "\n\n".join(paragraphs)


def resident_bytes() -> int | None:
    """Resident memory now (Linux), the peak so far (other Unix), None on Windows."""
    try:
        with Path("/proc/self/statm").open(encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        pass
    if sys.platform == "win32":
        return None
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def singleton_counts() -> dict[str, int]:
    gc.collect()
    return {repr(value): sys.getrefcount(value) for value in (True, False, None)}


@dataclass(slots=True)
class SoakReport:
    """What a soak run saw; `ok` when nothing leaked and every translation arrived whole."""

    deltas: int = 0
    screen_updates: int = 0
    translations: int = 0
    stopped: int = 0
    longest_chars: int = 0
    seconds: float = 0.0
    refcount_drift: dict[str, int] = field(default_factory=dict)
    rss_growth_mib: float | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok, "deltas": self.deltas, "screen_updates": self.screen_updates,
            "translations": self.translations, "stopped": self.stopped,
            "longest_chars": self.longest_chars, "seconds": round(self.seconds, 2),
            "refcount_drift": self.refcount_drift,
            "rss_growth_mib": None if self.rss_growth_mib is None
            else round(self.rss_growth_mib, 1),
            "errors": self.errors,
        }


class _Soak:
    def __init__(self, tab: TranslateTab, service: TranslationService, engine: FloodEngine,
                 report: SoakReport) -> None:
        self.tab, self.service, self.engine, self.report = tab, service, engine, report
        self._seed = 0
        service.partial.connect(self._count_update)
        service.halted.connect(self._count_halt)
        tab.translated.connect(self._count_translation)
        self._halted = 0

    def _count_update(self, _request_id: int, _text: str) -> None:
        self.report.screen_updates += 1

    def _count_halt(self, _request_id: int) -> None:
        self._halted += 1

    def _count_translation(self, _result: object) -> None:
        self.report.translations += 1

    def translate(self, text: str, stop_halfway: bool = False) -> None:
        """Type `text`, press Translate and check the screen (or press Stop halfway)."""
        tab = self.tab
        layout = split_text(text)
        expected = layout.render([segment.swapcase() for segment in layout.segments])
        done, halted = self.report.translations, self._halted
        tab.source_text.setPlainText(text)
        tab.translate()
        if stop_halfway:
            spin(lambda: len(tab.translation()) >= len(expected) // 2)
            tab.stop()
            shown = tab.translation()
            # The worker may have finished just before Stop: then nothing halts, and the
            # result is dropped all the same.
            spin(lambda: self._halted > halted, timeout_s=1.0)
            if tab.translation() != shown or tab.stop_button.isEnabled():
                self.report.errors.append("text kept arriving after Stop")
            self.report.stopped += 1
            return
        if not spin(lambda: self.report.translations > done):
            self.report.errors.append(f"a translation of {len(text):,} characters never ended")
        elif tab.target_text.toPlainText() != expected:
            self.report.errors.append(
                f"the screen shows {len(tab.target_text.toPlainText()):,} characters of a "
                f"{len(expected):,}-character translation, or different text"
            )
        self.report.longest_chars = max(self.report.longest_chars, len(expected))

    def round(self) -> None:
        """What a user does in a while: a long text, some short ones, a long one stopped."""
        self._seed += 1
        self.translate(sample_text(LONG_CHARS, self._seed))
        for short in range(SHORT_PER_ROUND):
            self.translate(sample_text(120, self._seed * 100 + short))
        self.translate(sample_text(LONG_CHARS, -self._seed), stop_halfway=True)


def spin(ready: Callable[[], bool], timeout_s: float = WAIT_S) -> bool:
    """Run the event loop until `ready()` (True) or the timeout (False).

    Polls rather than connecting a timer per call: each connection to a short-lived QTimer
    keeps a few references to `None` in Qt for Python, which would read as a leak here.
    """
    deadline = time.monotonic() + timeout_s
    while not ready() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(POLL_S)
    return ready()


def soak_tab(engine: FloodEngine) -> tuple[TranslateTab, TranslationService]:
    """The real Translate tab over a worker thread that opens `engine` whatever is asked."""

    def open_stand_in(_config: EngineConfig) -> StreamingEngine:
        return engine

    service = TranslationService(open_engine=open_stand_in)
    tab = TranslateTab(service, lambda path: EngineConfig(Path(path)))
    tab.live.setChecked(False)  # every translation is started by the soak, as with Ctrl+Enter
    # No package behind the stand-in: the pickers get one pair directly.
    with QSignalBlocker(tab.source_language), QSignalBlocker(tab.target_language):
        tab.source_language.addItem("English", "en")
        tab.target_language.addItem("French", "fr")
    tab.set_beam(1)
    tab.resize(900, 600)
    return tab, service


def run_soak(deltas: int = SOAK_DELTAS) -> SoakReport:
    """Stream at least `deltas` deltas through the Translate tab after one warm-up round.

    Needs a running QApplication; shows the tab, closes it and stops its worker at the end.
    """
    started = time.perf_counter()
    report = SoakReport()
    engine = FloodEngine(batch=4, pause_s=STEP_S)
    tab, service = soak_tab(engine)
    tab.show()
    try:
        service.load(EngineConfig(FloodEngine.package.path))
        soak = _Soak(tab, service, engine, report)
        soak.round()  # warm-up: caches, fonts and the text layouts reach their working size
        before, rss_before = singleton_counts(), resident_bytes()
        counted_from = engine.deltas
        while engine.deltas - counted_from < deltas and report.ok:
            soak.round()
        soak.translate("The app is still here.")  # alive: a last translation arrives whole
        after, rss_after = singleton_counts(), resident_bytes()
        report.deltas = engine.deltas - counted_from
        report.refcount_drift = {name: after[name] - before[name] for name in before}
        if any(abs(drift) > REFCOUNT_NOISE for drift in report.refcount_drift.values()):
            report.errors.append(
                f"reference counts of True/False/None moved by {report.refcount_drift}: "
                "this Qt for Python leaks references and will abort the app"
            )
        if rss_before is not None and rss_after is not None:
            report.rss_growth_mib = (rss_after - rss_before) / 2**20
            if report.rss_growth_mib > RSS_GROWTH_LIMIT_MIB:
                report.errors.append(f"memory grew by {report.rss_growth_mib:.0f} MiB")
    finally:
        tab.close()
        service.shutdown()
    report.seconds = time.perf_counter() - started
    return report
