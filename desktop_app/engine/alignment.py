"""Word alignment between a source text and its translation, from CTranslate2 attention."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.engine.records import Span, Translated

if TYPE_CHECKING:
    from collections.abc import Sequence

    from desktop_app.engine.records import Hypothesis, Request
    from desktop_app.engine.tokenizer import Tokenizer

_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class AlignedTranslation:
    """A translated text and the character spans of its aligned words.

    Attributes:
        text: the translation, layout kept.
        alignment: (source_start, source_end, target_start, target_end) per target word, in
            target order; spans index the source text given and `text`.
    """

    text: str
    alignment: tuple[Span, ...]


def identity_alignment(text: str) -> tuple[Span, ...]:
    """Each word aligned with itself, for text that is kept as it is (numbers, emoji)."""
    return tuple((m.start(), m.end(), m.start(), m.end()) for m in _WORD.finditer(text))


def shift(alignment: Sequence[Span], source_offset: int, target_offset: int) -> tuple[Span, ...]:
    return tuple(
        (s0 + source_offset, s1 + source_offset, t0 + target_offset, t1 + target_offset)
        for s0, s1, t0, t1 in alignment
    )


def join_translations(
    left: Translated, separator: str, right: Translated, left_source_length: int
) -> Translated:
    """`left + separator + right` as the translation of `left_source + separator + right_source`."""
    right_alignment = shift(
        right.alignment, left_source_length + len(separator), len(left.text) + len(separator)
    )
    return Translated(
        left.text + separator + right.text,
        left.source_tokens + right.source_tokens,
        left.target_tokens + right.target_tokens,
        left.alignment + right_alignment,
    )


def _token_spans(tokenizer: Tokenizer, tokens: Sequence[str]) -> list[tuple[int, int]]:
    """Character span of each target token in the decoded text (empty for hidden tokens)."""
    spans = []
    previous = 0
    for count in range(1, len(tokens) + 1):
        end = max(previous, len(tokenizer.decode(tokens[:count])))
        spans.append((previous, end))
        previous = end
    return spans


def align_words(
    tokenizer: Tokenizer,
    request: Request,
    *,
    source_text: str,
    source_tokens: Sequence[str],
    target_text: str,
    hypothesis: Hypothesis,
) -> tuple[Span, ...]:
    """Align each target word with the source word it attends to most.

    Returns no spans when the tokens cannot be mapped to words (a tokenizer whose pieces do
    not follow whitespace); a missing alignment only loses inline formatting, never text.
    """
    word_of = tokenizer.source_words(source_text, request.source, request.target)
    source_words = [m.span() for m in _WORD.finditer(source_text)]
    if len(word_of) != len(source_tokens) or max(word_of, default=-1) >= len(source_words):
        return ()
    token_spans = _token_spans(tokenizer, hypothesis.tokens)
    rows = hypothesis.attention
    alignment = []
    for word in _WORD.finditer(target_text):
        scores = [0.0] * len(source_words)
        for position, (start, end) in enumerate(token_spans):
            if start < word.end() and end > word.start() and position < len(rows):
                for source_word, weight in zip(word_of, rows[position], strict=False):
                    if source_word >= 0:
                        scores[source_word] += weight
        if any(scores):
            best = max(range(len(scores)), key=scores.__getitem__)
            alignment.append((*source_words[best], word.start(), word.end()))
    return tuple(alignment)
