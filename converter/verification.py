"""Check a converted package: against the HuggingFace model it came from, or at runtime only.

The reference check (with the `convert` extra), three checks on `samples.SENTENCES`:
- tokenization: the runtime tokenizer (no transformers) gives the HF tokenizer's tokens;
- scores: CTranslate2's log-probability of a target equals HF's (teacher forcing), within
  a tolerance, since the kernels differ in float rounding;
- greedy decoding: same output tokens. Required at float32; a rate for quantized packages.

The runtime check (the installed app, where no HF model can run), on the same sentences:
- tokenization: every piece of the runtime tokenizer is in the model's vocabulary, and the
  pieces decode back to the text (up to sentencepiece's own normalization);
- decoding: every hypothesis stops within its length limit, with finite scores.
It cannot see a wrongly converted weight; the manifest records which check a package passed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from converter.families import Family
from converter.samples import SENTENCES
from desktop_app.engine.manifest import Language, Manifest
from desktop_app.errors import ConversionError

# Allowed float32 difference of a sentence's summed log-probability: rounding differs between
# the kernels and adds up per token and per layer. Measured: <= 2e-4 on the tiny fixtures,
# 3.9e-3 over one long sentence of the trained demo model (its logits are larger); the bugs
# this caught were >= 2e-3 per token, ten times the per-token allowance.
SCORE_TOLERANCE = 1e-3
SCORE_TOLERANCE_PER_TOKEN = 2e-4
MAX_NEW_TOKENS = 24
_BATCH = 64
REFERENCE, RUNTIME = "reference", "runtime"
# A translation longer than this has not stopped: the model repeats itself, the sign of a
# broken conversion (a trained model's output is rarely over 1.5x its source).
RUNTIME_LENGTH_FACTOR, RUNTIME_LENGTH_SLACK = 3, 10
# Scripts a model never saw can make even a sound model ramble: the demo model stops within
# its limit on 54 of the 56 sentences (not on the Chinese and Korean ones). A model that
# never stops (a broken conversion, or random weights) fails.
RUNTIME_ENDED_SHARE = 0.9


def pick_pair(manifest: Manifest) -> tuple[Language, Language]:
    """The pair to verify on: English to French or German when served, else the first pair."""
    langs = manifest.languages
    pairs = [
        (s, t)
        for s in langs.source
        for t in langs.target
        if s.iso != t.iso or len(langs.target) == 1
    ]
    pairs = [(s, t) for s, t in pairs if langs.supports(s.iso, t.iso)]
    rank = {"en": 0, "fr": 1, "de": 2}
    return min(pairs, key=lambda p: (rank.get(p[0].iso, 9), rank.get(p[1].iso, 9)))


def _batches(items: Sequence[Any]) -> list[Sequence[Any]]:
    return [items[i : i + _BATCH] for i in range(0, len(items), _BATCH)]


class _Reference:
    """The HF model, decoded and scored the way CTranslate2 does (no generation config).

    Token strings map to rows through the converted vocabulary, as CTranslate2 maps them: a
    string listed twice (T5's padding rows repeat `<extra_id_N>`) means its first row, and rows
    the converted model lacks (Marian's trailing `<pad>`) can never be produced.
    """

    def __init__(
        self, model: Any, vocabulary: Sequence[str], start: int, eos: int, pad: int
    ) -> None:
        import torch

        self.model = model.eval()
        self.vocabulary = vocabulary
        self.row: dict[str, int] = {}
        for row, token in enumerate(vocabulary):
            self.row.setdefault(token, row)
        rows = model.get_output_embeddings().weight.shape[0]
        self.banned = torch.arange(rows) >= len(vocabulary)
        self.start, self.eos, self.pad = start, eos, pad

    def _batch(self, rows: Sequence[Sequence[int]]) -> tuple[Any, Any]:
        import torch

        width = max(len(row) for row in rows)
        ids = torch.full((len(rows), width), self.pad, dtype=torch.long)
        mask = torch.zeros((len(rows), width), dtype=torch.long)
        for i, row in enumerate(rows):
            ids[i, : len(row)] = torch.tensor(row)
            mask[i, : len(row)] = 1
        return ids, mask

    def _log_probs(self, encoder: Any, mask: Any, decoder_ids: Any, past: Any = None) -> Any:
        """Log-probabilities after each decoder input, and the decoder cache."""
        import torch

        output = self.model(
            encoder_outputs=encoder,
            attention_mask=mask,
            decoder_input_ids=decoder_ids,
            cache=past,
            use_cache=True,
        )
        logits = output.logits.float()
        logits[..., self.banned] = -torch.inf
        return torch.log_softmax(logits, dim=-1), output.cache

    def _encode(self, sources: Sequence[Sequence[int]]) -> tuple[Any, Any]:
        source_ids, mask = self._batch(sources)
        return self.model.get_encoder()(input_ids=source_ids, attention_mask=mask), mask

    def greedy(self, sources: Sequence[Sequence[int]], prefix: Sequence[str]) -> list[list[str]]:
        """Greedy output tokens after `prefix`, up to </s> or MAX_NEW_TOKENS."""
        import torch

        prefix_rows = [self.row[token] for token in prefix]
        outputs: list[list[int]] = [[] for _ in sources]
        with torch.no_grad():
            encoder, mask = self._encode(sources)
            step = torch.tensor([[self.start, *prefix_rows]] * len(sources), dtype=torch.long)
            past = None
            for _ in range(MAX_NEW_TOKENS):
                log_probs, past = self._log_probs(encoder, mask, step, past)
                step = log_probs[:, -1].argmax(dim=-1, keepdim=True)
                for output, token in zip(outputs, step[:, 0].tolist(), strict=True):
                    output.append(token)
        result = []
        for row in outputs:
            end = row.index(self.eos) if self.eos in row else len(row)
            result.append([self.vocabulary[token] for token in row[:end]])
        return result

    def scores(
        self, sources: Sequence[Sequence[int]], targets: Sequence[Sequence[str]]
    ) -> list[float]:
        """Summed log-probability of each target (its tokens, then </s>)."""
        import torch

        labels = [[*(self.row[token] for token in target), self.eos] for target in targets]
        width = max(len(row) for row in labels)
        inputs = [[self.start, *row[:-1]] + [self.pad] * (width - len(row)) for row in labels]
        with torch.no_grad():
            encoder, mask = self._encode(sources)
            log_probs, _ = self._log_probs(encoder, mask, torch.tensor(inputs))
        return [
            float(sum(log_probs[i, j, token] for j, token in enumerate(row)))
            for i, row in enumerate(labels)
        ]


def _target_vocabulary(package_dir: Path) -> list[str]:
    return _vocabulary(package_dir, "target")


def _vocabulary(package_dir: Path, side: str) -> list[str]:
    import json

    for name in (f"{side}_vocabulary.json", "shared_vocabulary.json"):
        path = package_dir / name
        if path.is_file():
            tokens: list[str] = json.loads(path.read_text(encoding="utf-8"))
            return tokens
    raise ConversionError(f"{package_dir}: CTranslate2 wrote no vocabulary")


def verify(package_dir: Path, manifest: Manifest, family: Family, model: Any) -> dict[str, Any]:
    """Run the three checks; return the manifest's `verification` report."""
    import ctranslate2

    from desktop_app.engine.tokenizer import Tokenizer

    source, target = pick_pair(manifest)
    runtime = Tokenizer(package_dir, manifest)
    translator = ctranslate2.Translator(str(package_dir), device="cpu", compute_type="default")
    tokenizer = family.tokenizer
    reference = _Reference(
        model,
        _target_vocabulary(package_dir),
        start=model.config.decoder_start_token_id,
        eos=tokenizer.eos_token_id,
        pad=tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0,
    )

    hf_sources = [family.hf_ids(text, source, target) for text in SENTENCES]
    ct2_sources = [runtime.encode(text, source, target) for text in SENTENCES]
    mismatches = [
        text
        for text, ids, tokens in zip(SENTENCES, hf_sources, ct2_sources, strict=True)
        if tokenizer.convert_ids_to_tokens(ids) != tokens
    ]

    prefix = runtime.target_prefix(source, target)
    hf_outputs: list[list[str]] = []
    ct2_outputs: list[list[str]] = []
    score_differences: list[float] = []
    within_tolerance = 0
    for batch in _batches(list(range(len(SENTENCES)))):
        hf_batch = [hf_sources[i] for i in batch]
        greedy = reference.greedy(hf_batch, prefix)
        hf_outputs += greedy
        results = translator.translate_batch(
            [ct2_sources[i] for i in batch],
            target_prefix=[prefix] * len(batch) if prefix else None,
            beam_size=1,
            max_decoding_length=MAX_NEW_TOKENS + len(prefix),
            # CTranslate2 forbids </s> first by default; the reference is a plain argmax.
            min_decoding_length=0,
        )
        for result in results:
            tokens = result.hypotheses[0][len(prefix) :]
            ct2_outputs.append(tokens[:MAX_NEW_TOKENS])
        targets = [[*prefix, *tokens] for tokens in greedy]
        hf_scores = reference.scores(hf_batch, targets)
        scored = translator.score_batch([ct2_sources[i] for i in batch], targets)
        for result, expected in zip(scored, hf_scores, strict=True):
            difference = abs(sum(result.log_probs) - expected)
            score_differences.append(difference)
            allowed = SCORE_TOLERANCE + SCORE_TOLERANCE_PER_TOKEN * len(result.log_probs)
            within_tolerance += difference <= allowed
    agreeing = sum(a == b for a, b in zip(hf_outputs, ct2_outputs, strict=True))
    max_difference = max(score_differences)
    exact = manifest.quantization == "float32"
    passed = not mismatches and (
        not exact or (within_tolerance == len(SENTENCES) and agreeing == len(SENTENCES))
    )
    return {
        "check": REFERENCE,
        "passed": passed,
        "pair": [source.iso, target.iso],
        "sentences": len(SENTENCES),
        "tokenization_equal": len(SENTENCES) - len(mismatches),
        "tokenization_mismatches": mismatches[:5],
        "score_max_abs_difference": round(max_difference, 6),
        "score_tolerance": f"{SCORE_TOLERANCE} + {SCORE_TOLERANCE_PER_TOKEN} per token",
        "scores_within_tolerance": within_tolerance,
        "greedy_equal": agreeing,
        "greedy_agreement": round(agreeing / len(SENTENCES), 4),
        "greedy_required": exact,
    }


def _normalized(text: str) -> str:
    """The text as sentencepiece's default normalization leaves it (NFKC, single spaces)."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", text).split())


def runtime_check(package_dir: Path, manifest: Manifest) -> dict[str, Any]:
    """The check the installed app can run; return the manifest's `verification` report."""
    import ctranslate2
    import sentencepiece

    from desktop_app.engine.tokenizer import Tokenizer

    source, target = pick_pair(manifest)
    runtime = Tokenizer(package_dir, manifest)
    spm = sentencepiece.SentencePieceProcessor(
        model_file=str(package_dir / manifest.tokenizer.source_model)
    )
    vocabulary = set(_vocabulary(package_dir, "source"))
    unknown: set[str] = set()
    round_trip = []
    for text in SENTENCES:
        ids = spm.EncodeAsIds(text)
        pieces = [spm.IdToPiece(i) for i in ids]
        unknown.update(
            p for i, p in zip(ids, pieces, strict=True) if i != spm.unk_id() and p not in vocabulary
        )
        if spm.unk_id() not in ids and _normalized(spm.DecodePieces(pieces)) != _normalized(text):
            round_trip.append(text)

    translator = ctranslate2.Translator(str(package_dir), device="cpu", compute_type="default")
    prefix = runtime.target_prefix(source, target)
    sources = [runtime.encode(text, source, target) for text in SENTENCES]
    limits = [RUNTIME_LENGTH_FACTOR * len(tokens) + RUNTIME_LENGTH_SLACK for tokens in sources]
    ended, not_finite = 0, 0
    for batch in _batches(list(range(len(SENTENCES)))):
        # A hypothesis that has not stopped by its own limit runs on to the batch's longest,
        # so "ended within its limit" is its length being at most that limit.
        results = translator.translate_batch(
            [sources[i] for i in batch],
            target_prefix=[prefix] * len(batch) if prefix else None,
            beam_size=2,
            max_decoding_length=len(prefix) + max(limits[i] for i in batch) + 1,
            return_scores=True,
        )
        for i, result in zip(batch, results, strict=True):
            ended += len(result.hypotheses[0]) - len(prefix) <= limits[i]
            not_finite += not math.isfinite(result.scores[0])
    passed = (
        not unknown
        and not round_trip
        and not not_finite
        and ended >= RUNTIME_ENDED_SHARE * len(SENTENCES)
    )
    return {
        "check": RUNTIME,
        "passed": passed,
        "pair": [source.iso, target.iso],
        "sentences": len(SENTENCES),
        "pieces_outside_vocabulary": sorted(unknown)[:10],
        "round_trip_mismatches": round_trip[:5],
        "length_limit": f"{RUNTIME_LENGTH_FACTOR} x source tokens + {RUNTIME_LENGTH_SLACK}",
        "ended_within_limit": ended,
        "ended_required": f"{RUNTIME_ENDED_SHARE:.0%}",
        "scores_not_finite": not_finite,
    }


def summary(report: dict[str, Any]) -> str:
    """One line for the user."""
    verdict = "passed" if report["passed"] else "FAILED"
    if report.get("check") == RUNTIME:
        outside, mismatches = report["pieces_outside_vocabulary"], report["round_trip_mismatches"]
        problems = [
            f"pieces outside the vocabulary ({', '.join(outside[:3])})" if outside else "",
            f"sentences that do not decode back ({mismatches[0]!r})" if mismatches else "",
            f"{report['scores_not_finite']} scores not finite"
            if report["scores_not_finite"]
            else "",
        ]
        found = "; ".join(problem for problem in problems if problem)
        return (
            f"runtime check {verdict} on {report['sentences']} sentences "
            f"({report['pair'][0]}->{report['pair'][1]}): outputs ended within their length "
            f"limit {report['ended_within_limit']}/{report['sentences']} (needed "
            f"{report['ended_required']})" + (f"; {found}" if found else "")
        )
    return (
        f"verification {verdict} on {report['sentences']} sentences "
        f"({report['pair'][0]}->{report['pair'][1]}): tokenization equal "
        f"{report['tokenization_equal']}/{report['sentences']}, max score difference "
        f"{report['score_max_abs_difference']}, greedy outputs equal "
        f"{report['greedy_equal']}/{report['sentences']}"
    )
