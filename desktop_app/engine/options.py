"""Options, results and stream events of the engine: frozen dataclasses, validated once."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar

from desktop_app.errors import InputError

# Beam search holds `beam * batch * vocabulary` scores per step: a beam of 100000 grew to
# 8.5 GB before one token came out (issue 12, case 9). Gains stop well below 16, and larger
# beams translate worse (they favour short, empty outputs), so 16 is the most offered.
MAX_BEAM_SIZE = 16
# Threads per translation; more than this only adds contention (and 100000 fails to start).
MAX_CPU_THREADS = 256


@dataclass(frozen=True, slots=True)
class _Bound:
    """The accepted values of one numeric option; `above` makes `low` itself refused."""

    name: str
    kind: type[int] | type[float]
    low: float
    high: float
    above: bool = False

    def accepted(self) -> str:
        low = f"more than {self.low:g}" if self.above else f"{self.low:g}"
        return f"{low} to {self.high:g}"

    def check(self, value: object) -> None:
        kinds = (int,) if self.kind is int else (int, float)
        # bool is an int to Python, but `beam_size=True` is a mistake, not a beam of one.
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise InputError(
                f"{self.name} must be {'a whole number' if self.kind is int else 'a number'}, "
                f"got {value!r}; expected {self.accepted()}"
            )
        # Written so that NaN, which fails every comparison, is refused too.
        low_ok = value > self.low if self.above else value >= self.low
        if not (low_ok and value <= self.high):
            raise InputError(f"{self.name} {value!r} is out of range; expected {self.accepted()}")


_BOUNDS = (
    _Bound("beam_size", int, 1, MAX_BEAM_SIZE),
    # Above this one batch's encoder states alone outgrow a desktop's memory on large models.
    _Bound("max_batch_tokens", int, 16, 65536),
    _Bound("length_penalty", float, 0, 10),
    _Bound("repetition_penalty", float, 0, 10, above=True),
    _Bound("no_repeat_ngram_size", int, 0, 64),
    _Bound("sampling_topk", int, 0, 1024),
    _Bound("sampling_temperature", float, 0, 10, above=True),
    # Decoding is capped by the model's input length anyway; a bigger ratio only wastes time.
    _Bound("max_length_ratio", float, 1, 10),
    _Bound("min_length", int, 0, 1024),
)

# Beam search for `tolk translate`, `tolk files` and the API: where nobody watches tokens arrive,
# quality wins. The desktop app defaults to greedy instead (gui.settings.INTERACTIVE_BEAM_SIZE).
DEFAULT_BEAM_SIZE = 4


@dataclass(frozen=True, slots=True)
class TranslationOptions:
    """Everything that shapes one translation request.

    Attributes:
        beam_size: 1 is greedy (streams token by token); above 1, beam search (streams
            whole segments as each finishes); at most MAX_BEAM_SIZE.
        max_batch_tokens: source tokens per CTranslate2 batch; smaller batches make Stop
            and streaming more responsive, larger ones raise throughput.
        length_penalty: exponent on the hypothesis length in beam scoring.
        repetition_penalty: above 1 discourages repeated tokens.
        no_repeat_ngram_size: forbid repeating n-grams of this size (0 disables).
        sampling_topk: 1 disables sampling; >1 samples from the k best tokens.
        sampling_temperature: temperature for sampling.
        max_length_ratio: decoding stops at `ratio * source tokens + 16` target tokens; a
            hypothesis that hits this limit is re-split, never silently truncated.
        use_cache: reuse translations of identical segments across calls.
        min_length: the end token is not allowed before this many target tokens (0: no
            minimum); benchmarks use it to make different systems decode equal lengths.
    """

    beam_size: int = DEFAULT_BEAM_SIZE
    max_batch_tokens: int = 2048
    length_penalty: float = 1.0
    repetition_penalty: float = 1.0
    no_repeat_ngram_size: int = 0
    sampling_topk: int = 1
    sampling_temperature: float = 1.0
    max_length_ratio: float = 3.0
    use_cache: bool = True
    min_length: int = 0

    def __post_init__(self) -> None:
        for bound in _BOUNDS:
            bound.check(getattr(self, bound.name))
        if not isinstance(self.use_cache, bool):
            raise InputError(f"use_cache must be true or false, got {self.use_cache!r}")

    @classmethod
    def coerce(cls, value: TranslationOptions | dict[str, Any] | None) -> TranslationOptions:
        """Accept options, a dict of option names, or None (defaults); normalise once."""
        if value is None:
            return cls()
        if isinstance(value, TranslationOptions):
            return value
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(value) - known)
        if unknown:
            raise InputError(
                f"unknown option(s) {', '.join(unknown)}; "
                f"expected one of: {', '.join(sorted(known))}"
            )
        return cls(**value)

    def with_(self, **changes: Any) -> TranslationOptions:
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class TranslationResult:
    """A finished translation of a whole text, layout kept."""

    text: str
    segments: tuple[str, ...]
    source_tokens: int
    target_tokens: int
    seconds: float

    @property
    def tokens_per_second(self) -> float:
        return self.target_tokens / self.seconds if self.seconds > 0 else 0.0


@dataclass(frozen=True, slots=True)
class SegmentDelta:
    """New text of segment `index` (greedy streaming). Deltas of a segment concatenate to it.

    `restart` is True when decoding of the segment ran out of length and was redone in parts:
    the text streamed so far for the segment is void and `text` starts it again.
    """

    index: int
    text: str
    restart: bool = False


@dataclass(frozen=True, slots=True)
class SegmentDone:
    """Segment `index` is final with `text` (its deltas, if any, concatenate to this)."""

    index: int
    text: str


def apply_event(parts: list[str], event: SegmentDelta | SegmentDone) -> None:
    """Bring the per-segment texts streamed so far up to date with `event`."""
    if isinstance(event, SegmentDone):
        parts[event.index] = event.text
    else:
        # A restarted segment was re-decoded in parts: its text so far is void.
        parts[event.index] = ("" if event.restart else parts[event.index]) + event.text


def delta_between(index: int, shown: str, visible: str) -> SegmentDelta | None:
    """The delta that turns segment `index`'s `shown` text into `visible`: the new end, or all
    of `visible` as a restart when it no longer continues `shown`; None when unchanged."""
    if not visible.startswith(shown):
        return SegmentDelta(index, visible, restart=True)
    if len(visible) > len(shown):
        return SegmentDelta(index, visible[len(shown) :])
    return None


@dataclass(frozen=True, slots=True)
class StreamEnd:
    """The last event of a stream: the whole result."""

    result: TranslationResult


StreamEvent = SegmentDelta | SegmentDone | StreamEnd


_Closing = TypeVar("_Closing", bound="Closing")


class Closing:
    """What holds a model or a decoding thread until `close()`: a `with` block closes it."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self: _Closing) -> _Closing:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


class TranslationStream(Closing):
    """The events of one streamed translation, in order: iterate it; close it (or leave its
    `with` block) to stop decoding, which also waits for the decoding thread to end."""

    def __init__(self, events: Generator[StreamEvent, None, None]) -> None:
        self._events = events

    def __iter__(self) -> TranslationStream:
        return self

    def __next__(self) -> StreamEvent:
        return next(self._events)

    def close(self) -> None:
        self._events.close()
