"""The values one translation passes between its stages: what was asked (`Request`), what the
model returned (`Hypothesis`) and what it became (`Translated`).

At the bottom of the engine: decoding, alignment and the pipeline all use them, and this
module imports none of them.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, fields

from desktop_app.engine.manifest import Language
from desktop_app.engine.options import TranslationOptions

Span = tuple[int, int, int, int]
"""(source_start, source_end, target_start, target_end) character offsets of an aligned word."""

# Options that cannot change a translation; every other field is part of the cache key, so an
# option added later can never return a translation made with other settings.
_NOT_IN_CACHE_KEY = frozenset({"use_cache"})
_CACHE_KEY_FIELDS = tuple(
    index for index, option in enumerate(fields(TranslationOptions))
    if option.name not in _NOT_IN_CACHE_KEY
)


@dataclass(frozen=True, slots=True)
class Request:
    """What every text of one call shares: the language pair, the options, alignment or not."""

    source: Language
    target: Language
    options: TranslationOptions
    attention: bool = False

    def cache_key(self, text: str) -> tuple[object, ...]:
        values = astuple(self.options)
        options = tuple(values[index] for index in _CACHE_KEY_FIELDS)
        return (self.source.code, self.target.code, *options, self.attention, text)


@dataclass(frozen=True, slots=True)
class Hypothesis:
    """The best hypothesis of one source: tokens without the end token, whether it ended."""

    tokens: tuple[str, ...]
    finished: bool
    attention: tuple[tuple[float, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Translated:
    """The translation of one source text, with what it cost and (if asked) its alignment."""

    text: str
    source_tokens: int
    target_tokens: int
    alignment: tuple[Span, ...] = ()
