"""Text <-> model tokens with sentencepiece and the manifest's language rules (no transformers)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from desktop_app.engine.manifest import Language, Manifest
from desktop_app.errors import ModelError

# CTranslate2 writes one of these, depending on whether source and target share a vocabulary.
_VOCABULARY_FILES = ("shared_vocabulary.json", "source_vocabulary.json")
_TARGET_VOCABULARY = "target_vocabulary.json"
# A decoded text ending in this is an incomplete byte sequence from byte-fallback pieces.
_REPLACEMENT = "\ufffd"
# Sentencepiece marks the first piece of each whitespace-separated word with this.
_WORD_START = "\u2581"


def _load_spm(path: Path) -> object:
    import sentencepiece as spm

    if not path.is_file():
        raise ModelError(f"tokenizer model missing: {path}")
    processor = spm.SentencePieceProcessor()
    try:
        processor.Load(str(path))
    except (OSError, RuntimeError) as exc:
        raise ModelError(f"corrupt sentencepiece model {path.name}: {exc}") from None
    return processor


def _read_vocabulary(path: Path) -> frozenset[str]:
    try:
        tokens = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"unreadable vocabulary {path}: {exc}") from None
    if not isinstance(tokens, list) or not all(isinstance(token, str) for token in tokens):
        raise ModelError(f"unreadable vocabulary {path}: not a list of tokens")
    return frozenset(tokens)


def _load_vocabulary(package_dir: Path) -> frozenset[str] | None:
    for name in _VOCABULARY_FILES:
        path = package_dir / name
        if path.is_file():
            return _read_vocabulary(path)
    return None


def load_vocabularies(package_dir: Path) -> tuple[frozenset[str], frozenset[str]] | None:
    """The source and target vocabularies of the CTranslate2 model, or None without them."""
    source = _load_vocabulary(package_dir)
    if source is None:
        return None
    target = package_dir / _TARGET_VOCABULARY
    return source, _read_vocabulary(target) if target.is_file() else source


def check_tokens(
    manifest: Manifest, source_vocabulary: frozenset[str], target_vocabulary: frozenset[str]
) -> None:
    """Every token the manifest makes the model read or emit exists in its vocabulary.

    A language code or prefix the model does not know would be fed to it as an unknown
    token, and it would translate into some other language without a word of warning.

    Raises:
        ModelError: listing the unknown tokens.
    """
    spec = manifest.tokenizer
    codes = {
        "{source}": [lang.code for lang in manifest.languages.source],
        "{target}": [lang.code for lang in manifest.languages.target],
    }
    specials = manifest.special_tokens
    needs = (
        ("source", [*spec.source_prefix, *spec.source_suffix, specials["unk"]], source_vocabulary),
        ("target", [*spec.target_prefix, specials["eos"]], target_vocabulary),
    )
    unknown = [
        f"{token} ({side})"
        for side, templates, vocabulary in needs
        for template in templates
        for token in codes.get(template, [template])
        if token not in vocabulary
    ]
    if unknown:
        raise ModelError(
            "the manifest names tokens the model's vocabulary lacks: "
            + ", ".join(dict.fromkeys(unknown))
        )


def _word_numbers(pieces: Sequence[str]) -> list[int]:
    """The index of the whitespace-separated word each sentencepiece piece belongs to."""
    numbers = []
    word = -1
    for position, piece in enumerate(pieces):
        if position == 0 or piece.startswith(_WORD_START):
            word += 1
        numbers.append(word)
    return numbers


class Tokenizer:
    """Encodes source text and decodes target tokens for one model package."""

    def __init__(self, package_dir: Path, manifest: Manifest) -> None:
        spec = manifest.tokenizer
        self._spec = spec
        self._source = _load_spm(package_dir / spec.source_model)
        self._target = (
            self._source
            if spec.target_model == spec.source_model
            else _load_spm(package_dir / spec.target_model)
        )
        self._vocabulary = _load_vocabulary(package_dir)
        self._unk = manifest.special_tokens["unk"]
        templates = (*spec.source_prefix, *spec.source_suffix, *spec.target_prefix)
        # Language codes are tokens only for models that are told the language by one; in a
        # bilingual model's vocabulary "en" or "fr" is a plain piece of text.
        language_codes = (
            {lang.code for lang in (*manifest.languages.source, *manifest.languages.target)}
            if {"{source}", "{target}"} & set(templates)
            else set()
        )
        # Tokens that never reach the user: specials and language codes the decoder may emit.
        self._hidden = frozenset(manifest.special_tokens.values()) | language_codes

    def _expand(self, templates: Iterable[str], source: Language, target: Language) -> list[str]:
        codes = {"{source}": source.code, "{target}": target.code}
        return [codes.get(token, token) for token in templates]

    def pieces(self, text: str) -> list[str]:
        """The sentencepiece pieces of `text`, mapped to the model's vocabulary."""
        pieces: list[str] = self._source.EncodeAsPieces(text)  # type: ignore[attr-defined]
        if self._vocabulary is None:
            return pieces
        return [piece if piece in self._vocabulary else self._unk for piece in pieces]

    def encode(self, text: str, source: Language, target: Language) -> list[str]:
        """Source tokens for the model: language prefix, pieces, end-of-sentence suffix."""
        spec = self._spec
        prefix = spec.text_prefix.format(source_name=source.name, target_name=target.name)
        return [
            *self._expand(spec.source_prefix, source, target),
            *self.pieces(prefix + text),
            *self._expand(spec.source_suffix, source, target),
        ]

    def source_words(self, text: str, source: Language, target: Language) -> list[int]:
        """For each token of `encode(text, ...)`, the index of the whitespace-separated word of
        `text` it comes from, or -1 (language codes, text prefix, end token)."""
        spec = self._spec
        prefix_text = spec.text_prefix.format(source_name=source.name, target_name=target.name)
        encode = self._source.EncodeAsPieces  # type: ignore[attr-defined]
        prefix_words = _word_numbers(encode(prefix_text))[-1] + 1 if prefix_text else 0
        return [
            *([-1] * len(self._expand(spec.source_prefix, source, target))),
            *(max(word - prefix_words, -1) for word in _word_numbers(encode(prefix_text + text))),
            *([-1] * len(self._expand(spec.source_suffix, source, target))),
        ]

    def target_prefix(self, source: Language, target: Language) -> list[str]:
        """Tokens the decoder is forced to start with (e.g. `fra_Latn`), possibly none."""
        return self._expand(self._spec.target_prefix, source, target)

    def decode(self, tokens: Sequence[str]) -> str:
        """Text of target tokens; special tokens and language codes are dropped."""
        visible = [token for token in tokens if token not in self._hidden]
        text: str = self._target.DecodePieces(visible)  # type: ignore[attr-defined]
        return text

    def incremental(self) -> IncrementalDecoder:
        return IncrementalDecoder(self)


class IncrementalDecoder:
    """Turns a growing token list into text deltas that concatenate to `decode(all tokens)`.

    Text is held back while it ends in whitespace (the next piece may change it) or in an
    incomplete byte sequence, so a delta never carries a broken character or a wrong space.
    """

    def __init__(self, tokenizer: Tokenizer) -> None:
        self._tokenizer = tokenizer
        self._tokens: list[str] = []
        self._emitted = ""

    def push(self, token: str) -> str:
        """Add one token; return the new stable text (possibly empty)."""
        self._tokens.append(token)
        text = self._tokenizer.decode(self._tokens)
        stable = text.rstrip()
        if stable.endswith(_REPLACEMENT) or not stable.startswith(self._emitted):
            return ""
        delta = stable[len(self._emitted) :]
        self._emitted = stable
        return delta

    def finish(self, final_text: str) -> str:
        """The remaining delta so that all deltas add up to `final_text`."""
        if not final_text.startswith(self._emitted):
            # Never expected with sentencepiece; fail loudly rather than emit wrong text.
            raise ModelError("incremental decoding diverged from the final text")
        delta = final_text[len(self._emitted) :]
        self._emitted = final_text
        return delta
