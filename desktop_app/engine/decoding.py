"""Source texts to translations with a loaded CTranslate2 model: batches, cache, no truncation.

Every text is cut to the package's safe input length before decoding, and every hypothesis
must end with the end-of-sentence token: one that ran out of decoding length has its source
cut in two and each half translated again, so no input is ever silently dropped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from desktop_app.engine.alignment import (
    align_words,
    identity_alignment,
    join_translations,
)
from desktop_app.engine.batching import LruCache, split_once, split_to_fit
from desktop_app.engine.pipeline import Plan
from desktop_app.engine.records import Hypothesis, Request, Span, Translated
from desktop_app.engine.segmenter import is_translatable
from desktop_app.engine.tokenizer import Tokenizer
from desktop_app.errors import ModelError, TranslationCancelled

_CACHE_ENTRIES = 8192
# Decoding may run this many tokens past `max_length_ratio * source tokens`.
_LENGTH_MARGIN = 16
# A source of at most this many tokens whose translation never ends is not cut any further.
_SMALLEST_CUT = 6

StepCallback = Callable[[Any], bool]
"""Receives CTranslate2's GenerationStepResult; returning True stops the batch."""


class Decoder:
    """Translates sentence-sized texts with one CTranslate2 translator and tokenizer."""

    def __init__(
        self,
        translator: Any,
        tokenizer: Tokenizer,
        eos: str,
        max_input_tokens: int,
        model_key: str,
        *,
        parallel: int = 1,
    ) -> None:
        """`parallel`: batches decoded at once (the translator's replicas, inter_threads)."""
        self._translator = translator
        self._parallel = parallel
        self.tokenizer = tokenizer
        self._eos = eos
        self._max_input_tokens = max_input_tokens
        self._model_key = model_key
        self._cache: LruCache[tuple[object, ...], Translated] = LruCache(_CACHE_ENTRIES)
        self._encoded: LruCache[tuple[str, str, str], tuple[str, ...]] = LruCache(_CACHE_ENTRIES)

    def encode(self, text: str, request: Request) -> tuple[str, ...]:
        """Source tokens of `text`, remembered: fitting, batching and streaming all ask."""
        key = (request.source.code, request.target.code, text)
        tokens = self._encoded.get(key)
        if tokens is None:
            tokens = tuple(self.tokenizer.encode(text, request.source, request.target))
            self._encoded.put(key, tokens)
        return tokens

    def fit(self, text: str, request: Request) -> list[tuple[str, str]]:
        """`text` cut into pieces (with the separator after each) that fit the model's input."""
        return split_to_fit(
            text, lambda piece: len(self.encode(piece, request)), self._max_input_tokens
        )

    def known(self, text: str, request: Request) -> Translated | None:
        """The known translation of `text`: cached, or `text` itself when it has no words."""
        if not is_translatable(text) or not self.tokenizer.pieces(text):
            return Translated(text, 0, 0, identity_alignment(text))
        if not request.options.use_cache:
            return None
        return self._cache.get((self._model_key, *request.cache_key(text)))

    def remember(self, text: str, request: Request, translated: Translated) -> None:
        if request.options.use_cache:
            self._cache.put((self._model_key, *request.cache_key(text)), translated)

    def unload(self) -> None:
        """Free the model's memory; the decoder cannot translate afterwards."""
        self._cache.clear()
        self._encoded.clear()
        self._translator.unload_model()
        self._translator = None

    def run_batch(
        self,
        sources: Sequence[Sequence[str]],
        request: Request,
        callback: StepCallback | None = None,
    ) -> list[Hypothesis]:
        """One CTranslate2 call: no input truncation, decoding length from the longest source."""
        if self._translator is None:
            raise ModelError("the model was unloaded (engine closed) during the translation")
        options = request.options
        prefix = self.tokenizer.target_prefix(request.source, request.target)
        longest = max(len(source) for source in sources)
        wanted = int(options.max_length_ratio * longest) + _LENGTH_MARGIN + len(prefix)
        # The decoder has as many positions as the encoder: a longer output cannot exist, so a
        # hypothesis that reaches this cap counts as unfinished and its source is cut.
        max_length = min(max(wanted, options.min_length + 1), self._max_input_tokens)
        try:
            results = self._translator.translate_batch(
                [list(source) for source in sources],
                target_prefix=[prefix] * len(sources) if prefix else None,
                beam_size=options.beam_size,
                length_penalty=options.length_penalty,
                repetition_penalty=options.repetition_penalty,
                no_repeat_ngram_size=options.no_repeat_ngram_size,
                sampling_topk=options.sampling_topk,
                sampling_temperature=options.sampling_temperature,
                max_input_length=0,
                max_decoding_length=max_length,
                min_decoding_length=min(max(1, options.min_length), max_length),
                return_end_token=True,
                return_attention=request.attention,
                callback=callback,
            )
        except (RuntimeError, ValueError) as exc:  # e.g. out of memory, a token the model lacks
            raise ModelError(f"translation failed in the model: {exc}") from exc
        hypotheses = []
        for result in results:
            tokens = list(result.hypotheses[0])
            finished = bool(tokens) and tokens[-1] == self._eos
            attention = (
                tuple(tuple(row) for row in result.attention[0]) if request.attention else ()
            )
            hypotheses.append(
                Hypothesis(tuple(tokens[:-1] if finished else tokens), finished, attention)
            )
        return hypotheses

    def finish(
        self,
        piece: str,
        source: Sequence[str],
        hypothesis: Hypothesis,
        request: Request,
        cancel: threading.Event | None = None,
    ) -> Translated:
        """The translation of `piece`; redone in halves when the hypothesis ran out of length."""
        if not hypothesis.finished:
            split = split_once(piece) if len(source) > _SMALLEST_CUT else None
            if split is None:
                # The model loops on a few tokens: cutting them further would not help it.
                # Keep them as written rather than drop them or show the loop.
                return Translated(piece, len(source), 0, identity_alignment(piece))
            left, separator, right = split
            left_done, right_done = self.translate_texts([left, right], request, cancel=cancel)
            return join_translations(left_done, separator, right_done, len(left))
        text = self.tokenizer.decode(hypothesis.tokens)
        alignment: tuple[Span, ...] = ()
        if request.attention:
            alignment = align_words(
                self.tokenizer,
                request,
                source_text=piece,
                source_tokens=source,
                target_text=text,
                hypothesis=hypothesis,
            )
        return Translated(text, len(source), len(hypothesis.tokens), alignment)

    def decode_batch(
        self,
        plan: Plan,
        batch: Sequence[int],
        request: Request,
        callback: StepCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> list[tuple[int, Translated]]:
        """Decode the plan's pieces `batch` in one model call: (piece index, translation)."""
        pieces = [plan.pieces[index] for index in batch]
        hypotheses = self.run_batch([piece.source for piece in pieces], request, callback)
        return [
            (index, self.finish(piece.text, piece.source, hypothesis, request, cancel))
            for index, piece, hypothesis in zip(batch, pieces, hypotheses, strict=True)
        ]

    def _decode_all(
        self,
        plan: Plan,
        batches: Sequence[Sequence[int]],
        request: Request,
        cancel: threading.Event | None,
    ) -> Iterator[list[tuple[int, Translated]]]:
        """Each batch's translations as it ends, with up to `parallel` batches decoding at
        once; none is started once `cancel` is set (TranslationCancelled when all have ended).

        A batch is decoded whole whichever replica takes it, so the translations do not
        depend on how many run at once.
        """
        if self._parallel == 1 or len(batches) == 1:
            for batch in batches:
                if cancel is not None and cancel.is_set():
                    raise TranslationCancelled("translation cancelled")
                yield self.decode_batch(plan, batch, request, cancel=cancel)
            return
        waiting = iter(batches)
        with ThreadPoolExecutor(self._parallel, thread_name_prefix="tolk-decode") as pool:

            def start_next() -> set[Future[list[tuple[int, Translated]]]]:
                batch = next(waiting, None)
                if batch is None or (cancel is not None and cancel.is_set()):
                    return set()
                return {pool.submit(self.decode_batch, plan, batch, request, None, cancel)}

            running: set[Future[list[tuple[int, Translated]]]] = set()
            for _ in range(self._parallel):
                running |= start_next()
            while running:
                ended, running = wait(running, return_when=FIRST_COMPLETED)
                for future in ended:
                    yield future.result()
                    running |= start_next()
        if cancel is not None and cancel.is_set():
            raise TranslationCancelled("translation cancelled")

    def translate_texts(
        self,
        texts: Sequence[str],
        request: Request,
        progress: Callable[[Sequence[bool]], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> list[Translated]:
        """Translate sentence-sized texts together: duplicates once, known ones not at all.

        Args:
            texts: segments without line breaks (see `segmenter.split_text`).
            request: language pair and options.
            progress: called after each batch with, per text, whether it is translated.
            cancel: checked between batches; when set, TranslationCancelled is raised.
        """
        plan = Plan.of(self, texts, request)
        batches = plan.batches(request.options.max_batch_tokens)
        for finished in self._decode_all(plan, batches, request, cancel):
            for index, translated in finished:
                completed = plan.settle(index, translated)  # a text, then its twins
                if completed:
                    self.remember(texts[completed[0]], request, plan.translation(completed[0]))
            if progress is not None:
                progress(plan.done())
        if progress is not None and not plan.pieces:
            progress(plan.done())
        return [plan.translation(index) for index in range(len(texts))]
