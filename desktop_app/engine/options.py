"""Options, results and stream events of the engine: frozen dataclasses, validated once."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from desktop_app.errors import InputError


@dataclass(frozen=True, slots=True)
class TranslationOptions:
    """Everything that shapes one translation request.

    Attributes:
        beam_size: 1 is greedy (streams token by token); above 1, beam search (streams
            whole segments as each finishes).
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

    beam_size: int = 4
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
        checks = (
            (self.beam_size >= 1, "beam_size must be at least 1"),
            (self.max_batch_tokens >= 16, "max_batch_tokens must be at least 16"),
            (self.length_penalty >= 0, "length_penalty must not be negative"),
            (self.repetition_penalty > 0, "repetition_penalty must be positive"),
            (self.no_repeat_ngram_size >= 0, "no_repeat_ngram_size must not be negative"),
            (self.sampling_topk >= 0, "sampling_topk must not be negative"),
            (self.sampling_temperature > 0, "sampling_temperature must be positive"),
            (self.max_length_ratio >= 1, "max_length_ratio must be at least 1"),
            (self.min_length >= 0, "min_length must not be negative"),
        )
        for ok, message in checks:
            if not ok:
                raise InputError(message)

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


@dataclass(frozen=True, slots=True)
class StreamEnd:
    """The last event of a stream: the whole result."""

    result: TranslationResult


StreamEvent = SegmentDelta | SegmentDone | StreamEnd
