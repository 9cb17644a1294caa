"""Fitting source text to the model: splitting long pieces, token batches, a translation cache."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Generic, TypeVar

# Clause ends where a long sentence can be cut with the least harm to the translation.
_CLAUSE_BREAK = re.compile(r"[,;:—–](?=\s)|[，、；：]")  # noqa: RUF001 -- dashes, CJK punctuation
_SPACE = re.compile(r"\s+")

Split = tuple[str, str, str]
"""(left, separator, right): `left + separator + right` is the text that was split."""


def _nearest_to_middle(cuts: Sequence[tuple[int, int]], length: int) -> tuple[int, int] | None:
    """The (left end, right start) cut whose left part is closest to half of `length`."""
    if not cuts:
        return None
    return min(cuts, key=lambda cut: abs(cut[0] - length / 2))


def split_once(text: str) -> Split | None:
    """Cut `text` in two near its middle: after clause punctuation, else at whitespace, else
    between characters (never inside a combining sequence). None when no cut is possible: a
    single character with its combining marks."""
    length = len(text)
    clause_cuts = []
    for match in _CLAUSE_BREAK.finditer(text):
        space = _SPACE.match(text, match.end())
        right = space.end() if space else match.end()
        # A clause cut far from the middle would leave one half nearly as long as the whole.
        if right < length and length / 4 <= match.end() <= length * 3 / 4:
            clause_cuts.append((match.end(), right))
    space_cuts = [
        (m.start(), m.end()) for m in _SPACE.finditer(text) if m.start() > 0 and m.end() < length
    ]
    # Between characters, anywhere but before a combining mark: searching only one way from
    # the middle found no cut in "a0000" + "0" with six graves and left it over the limit.
    character_cuts = [
        (index, index) for index in range(1, length) if not unicodedata.combining(text[index])
    ]
    cut = (
        _nearest_to_middle(clause_cuts, length)
        or _nearest_to_middle(space_cuts, length)
        or _nearest_to_middle(character_cuts, length)
    )
    if cut is None:
        return None
    left_end, right_start = cut
    return text[:left_end], text[left_end:right_start], text[right_start:]


def split_to_fit(
    text: str, count_tokens: Callable[[str], int], limit: int
) -> list[tuple[str, str]]:
    """Pieces of `text` of at most `limit` tokens each, with the separator after each piece.

    Concatenating `piece + separator` over the result gives `text` back. A single character
    (with its combining marks) over the limit is returned alone: it cannot be cut further.
    """
    if count_tokens(text) <= limit:
        return [(text, "")]
    split = split_once(text)
    if split is None:
        return [(text, "")]
    left, separator, right = split
    left_pieces = split_to_fit(left, count_tokens, limit)
    last_text, _ = left_pieces[-1]
    return [*left_pieces[:-1], (last_text, separator), *split_to_fit(right, count_tokens, limit)]


def token_batches(
    lengths: Sequence[int], max_batch_tokens: int, *, first_batch_tokens: int | None = None
) -> list[list[int]]:
    """Consecutive index ranges whose padded size (count * longest) stays within the budget.

    Callers sort by length first for throughput, or keep reading order for streaming. An
    item longer than the budget forms a batch of its own. With `first_batch_tokens`, the
    budget starts there and doubles with each batch up to `max_batch_tokens`: the first
    results of a stream come early, and later batches still run at full width.
    """
    budget = min(first_batch_tokens or max_batch_tokens, max_batch_tokens)
    batches: list[list[int]] = []
    current: list[int] = []
    longest = 0
    for index, length in enumerate(lengths):
        wider = max(longest, length)
        if current and wider * (len(current) + 1) > budget:
            batches.append(current)
            budget = min(budget * 2, max_batch_tokens)
            current, wider = [], length
        current.append(index)
        longest = wider
    if current:
        batches.append(current)
    return batches


K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """A bounded, thread-safe least-recently-used mapping."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
