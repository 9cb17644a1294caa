"""The one decode pipeline, shared by whole calls and streams: plan the texts into pieces that
fit the model, batch the pieces, and stitch each text back from its translated pieces.

A whole call (`Decoder.translate_texts`) batches pieces by length for throughput; a stream
(`streaming.stream_events`) batches them in reading order so the first text shows first and
reports every step as an event. Both decode a batch with `Decoder.decode_batch` and record its
results with `Plan.settle`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from desktop_app.engine.alignment import join_translations
from desktop_app.engine.batching import token_batches

if TYPE_CHECKING:
    from desktop_app.engine.decoding import Decoder
    from desktop_app.engine.records import Request, Translated


@dataclass(eq=False, slots=True)
class Piece:
    """A part of a text that fits the model input, and its translation once decoded."""

    owner: int  # index of the text (its first occurrence) this piece belongs to
    text: str
    separator: str  # what follows the piece in its text
    source: tuple[str, ...]
    final: Translated | None = None


@dataclass(eq=False)
class Plan:
    """The texts of one call, cut into pieces, and what is known of their translations.

    Attributes:
        finals: per text, its translation once known (before decoding: cached, or a text
            without words, which stays as it is).
        pieces: what the model must decode, in the order of the texts.
        pieces_of: first occurrence of a text -> indexes of its pieces.
        twins: first occurrence of a text -> later texts that are the same.
    """

    finals: list[Translated | None]
    pieces: list[Piece] = field(default_factory=list)
    pieces_of: dict[int, list[int]] = field(default_factory=dict)
    twins: dict[int, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, decoder: Decoder, texts: Sequence[str], request: Request) -> Plan:
        """Each distinct text not already known, cut to fit; duplicates are decoded once."""
        plan = cls([decoder.known(text, request) for text in texts])
        first_of: dict[str, int] = {}
        for index, text in enumerate(texts):
            if plan.finals[index] is not None:
                continue
            if text in first_of:
                plan.twins.setdefault(first_of[text], []).append(index)
                continue
            first_of[text] = index
            plan.pieces_of[index] = []
            for piece_text, separator in decoder.fit(text, request):
                plan.pieces_of[index].append(len(plan.pieces))
                source = decoder.encode(piece_text, request)
                plan.pieces.append(Piece(index, piece_text, separator, source))
        return plan

    def batches(
        self, budget: int, *, reading_order: bool = False, first_batch_tokens: int | None = None
    ) -> list[list[int]]:
        """Piece indexes in token batches of at most `budget` padded tokens.

        By default sorted by length, then by tokens: what else is in a batch can change a
        translation, so batches depend only on which pieces there are, never on the order
        they came in. `reading_order` keeps the texts' order instead, for streams.
        """
        sources = [piece.source for piece in self.pieces]
        order = list(range(len(sources)))
        if not reading_order:
            order.sort(key=lambda index: (len(sources[index]), sources[index]))
        lengths = [len(sources[index]) for index in order]
        return [
            [order[position] for position in batch]
            for batch in token_batches(lengths, budget, first_batch_tokens=first_batch_tokens)
        ]

    def settle(self, index: int, translated: Translated) -> list[int]:
        """Record the translation of piece `index`; returns the texts it completed (its owner
        and the owner's twins, once all the owner's pieces are translated), else []."""
        piece = self.pieces[index]
        piece.final = translated
        pieces = [self.pieces[position] for position in self.pieces_of[piece.owner]]
        if any(part.final is None for part in pieces):
            return []
        whole = stitch(pieces)
        completed = [piece.owner, *self.twins.get(piece.owner, [])]
        for text in completed:
            self.finals[text] = whole
        return completed

    def translation(self, index: int) -> Translated:
        """The translation of text `index`, which must be known."""
        final = self.finals[index]
        if final is None:
            raise ValueError(f"text {index} of the plan is not translated yet")
        return final

    def done(self) -> list[bool]:
        """Per text, whether its translation is known."""
        return [final is not None for final in self.finals]


def stitch(pieces: Sequence[Piece]) -> Translated:
    """The translation of a text from those of its pieces, separators and alignment kept."""
    whole = pieces[0].final
    assert whole is not None
    source_length = len(pieces[0].text)
    separator = pieces[0].separator
    for piece in pieces[1:]:
        assert piece.final is not None
        whole = join_translations(whole, separator, piece.final, source_length)
        source_length += len(separator) + len(piece.text)
        separator = piece.separator
    return whole
