"""Per-architecture knowledge: languages, tokenizer rules and runtime files of each family.

Families are found through a registry keyed by the HuggingFace config class name, like
CTranslate2's loaders; CTranslate2 itself does the weight conversion.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from converter import languages as iso
from converter.source import Checkpoint
from desktop_app.engine.manifest import Language, Languages, TokenizerSpec
from desktop_app.errors import ConversionError

SHARED_SPM = "sentencepiece.model"


@dataclass(frozen=True, slots=True)
class Requested:
    """Languages the user named with --from / --to (ISO or model codes), if any."""

    source: str | None = None
    target: str | None = None


def _language(code: str) -> Language:
    """The Language of a model code; unknown codes keep themselves as ISO code and name."""
    found = iso.lookup(code)
    if found is not None:
        return found
    base = iso.base_code(code)
    if base is None:
        raise ConversionError(f"language code {code!r} is not an ISO 639 code")
    return Language(iso=base, code=code, name=code)


def complete_vocab(tokenizer: Any) -> dict[str, int]:
    """token -> id over the whole tokenizer, language tokens included.

    M2M100Tokenizer keeps its `__xx__` tokens in `lang_token_to_id`, outside `get_vocab()`.
    """
    vocab: dict[str, int] = dict(tokenizer.get_vocab())
    vocab.update(getattr(tokenizer, "lang_token_to_id", None) or {})
    return vocab


def _missing_languages(what: str) -> ConversionError:
    return ConversionError(
        f"cannot tell the {what} language(s) from the checkpoint; name them with "
        "--from LANG --to LANG (ISO 639 codes, e.g. --from en --to de)"
    )


def _check_served(choices: tuple[Language, ...], wanted: str | None, side: str) -> None:
    """Check that a language named with --from/--to is one the model serves."""
    if wanted is not None and not any(wanted in (lang.iso, lang.code) for lang in choices):
        accepted = ", ".join(lang.iso for lang in choices)
        flag = "--from" if side == "source" else "--to"
        raise ConversionError(
            f"{flag} {wanted}: the model has no such {side} language; it has: {accepted}"
        )


class Family(abc.ABC):
    """What the converter must know about one architecture beyond CTranslate2's loader."""

    name: ClassVar[str]

    def __init__(self, checkpoint: Checkpoint, tokenizer: Any) -> None:
        self.checkpoint = checkpoint
        self.tokenizer = tokenizer

    @abc.abstractmethod
    def runtime_files(self) -> dict[str, str]:
        """Package file name -> checkpoint file name, for the runtime tokenizer."""

    @abc.abstractmethod
    def tokenizer_spec(self) -> TokenizerSpec:
        """The manifest's tokenizer rules."""

    @abc.abstractmethod
    def languages(self, requested: Requested) -> Languages:
        """The languages the model serves, from the checkpoint or the user's flags."""

    @abc.abstractmethod
    def hf_ids(self, text: str, source: Language, target: Language) -> list[int]:
        """Source token ids as the HuggingFace tokenizer makes them (the reference)."""

    def hf_tokens(self, text: str, source: Language, target: Language) -> list[str]:
        tokens: list[str] = self.tokenizer.convert_ids_to_tokens(self.hf_ids(text, source, target))
        return tokens

    def max_input_tokens(self) -> int:
        return int(self.checkpoint.config.get("max_position_embeddings", 512))

    def language_tokens(self) -> list[str]:
        """Tokens that name a language (listed in the manifest's languages, not as specials)."""
        return []

    def special_tokens(self) -> dict[str, str]:
        """eos/unk/pad/bos, plus every other special token the app must never show.

        HF decodes with `skip_special_tokens`; the runtime hides what the manifest lists, e.g.
        T5's `<extra_id_N>` sentinels and mBART's `<mask>`.
        """
        named = {
            name: getattr(self.tokenizer, f"{name}_token", None)
            for name in ("eos", "unk", "pad", "bos")
        }
        tokens = {name: str(token) for name, token in named.items() if token is not None}
        skip = {*tokens.values(), *self.language_tokens()}
        for token in self.tokenizer.all_special_tokens:
            if token not in skip:
                tokens[token.strip("<>")] = token
        return tokens

    def _encode(self, text: str) -> list[int]:
        return list(self.tokenizer(text)["input_ids"])

    @classmethod
    def choose(cls, checkpoint: Checkpoint, tokenizer: Any) -> Family:
        """The family for this checkpoint; a config class may serve several families."""
        return cls(checkpoint, tokenizer)


_REGISTRY: dict[str, type[Family]] = {}


def register(config_name: str) -> Callable[[type[Family]], type[Family]]:
    """Register the family class for a HuggingFace config class name."""

    def decorator(cls: type[Family]) -> type[Family]:
        _REGISTRY[config_name] = cls
        return cls

    return decorator


# The HF config class of each model_type the converter knows, and its usual tokenizer.
_CONFIG_NAMES = {
    "marian": "MarianConfig",
    "m2m_100": "M2M100Config",
    "mbart": "MBartConfig",
    "t5": "T5Config",
    "mt5": "MT5Config",
}
DEFAULT_TOKENIZERS = {
    "marian": "MarianTokenizer",
    "m2m_100": "M2M100Tokenizer",
    "mbart": "MBart50Tokenizer",
    "t5": "T5Tokenizer",
    "mt5": "T5Tokenizer",
}


def config_class_name(model_type: Any) -> str:
    """`MarianConfig` for model_type `marian`.

    Raises:
        ConversionError: a model_type Tolk cannot convert (the message lists those it can).
    """
    name = _CONFIG_NAMES.get(str(model_type))
    if name is None:
        known = ", ".join(f"{kind} ({config})" for kind, config in _CONFIG_NAMES.items())
        raise ConversionError(
            f"unsupported architecture: model_type {model_type!r}; supported: {known}"
        )
    return name


def supported() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def check_supported(config_name: str) -> None:
    if config_name not in _REGISTRY:
        raise ConversionError(
            f"unsupported architecture {config_name}; supported: {', '.join(supported())}"
        )


def family_for(config_name: str, checkpoint: Checkpoint, tokenizer: Any) -> Family:
    check_supported(config_name)
    return _REGISTRY[config_name].choose(checkpoint, tokenizer)


_OPUS_NAME = re.compile(r"^opus-mt-(?:tc-[a-z]+-)?([a-z]{2,3})-([a-z]{2,3})$")


@register("MarianConfig")
class Marian(Family):
    """OPUS-MT. Multilingual-target models choose the language with a `>>fra<<` first token."""

    name = "marian"
    _CODE = re.compile(r"^>>[a-z]{2,3}(?:_[A-Za-z]+)?<<$")

    def language_tokens(self) -> list[str]:
        """The `>>fra<<` target tokens, in vocabulary order (none for a bilingual model)."""
        vocab: dict[str, int] = self.tokenizer.get_vocab()
        return sorted((t for t in vocab if self._CODE.match(t)), key=vocab.__getitem__)

    def runtime_files(self) -> dict[str, str]:
        return {"source.spm": "source.spm", "target.spm": "target.spm"}

    def tokenizer_spec(self) -> TokenizerSpec:
        prefix = ("{target}",) if self.language_tokens() else ()
        return TokenizerSpec("sentencepiece", "source.spm", "target.spm", prefix, ("</s>",), ())

    def _declared(self) -> tuple[str | None, str | None]:
        """Source and target ISO codes from tokenizer_config.json or an OPUS-MT name."""
        config = self.checkpoint.tokenizer_config
        declared = [config.get("source_lang"), config.get("target_lang")]
        match = _OPUS_NAME.match(self.checkpoint.basename)
        if match:
            declared = [d or m for d, m in zip(declared, match.groups(), strict=True)]
        known = [code if code and iso.lookup(code) else None for code in declared]
        return known[0], known[1]

    def languages(self, requested: Requested) -> Languages:
        declared_source, declared_target = self._declared()
        source = requested.source or declared_source
        if source is None:
            raise _missing_languages("source")
        sources = (_language(source),)
        codes = self.language_tokens()
        if codes:
            targets = iso.unique([_language(code) for code in codes])
            _check_served(targets, requested.target, "target")
            return Languages(sources, targets)
        target = requested.target or declared_target
        if target is None:
            raise _missing_languages("target")
        return Languages(sources, (_language(target),))

    def hf_ids(self, text: str, source: Language, target: Language) -> list[int]:
        if self.language_tokens():
            return self._encode(f"{target.code} {text}")
        return self._encode(text)


class _CodedFamily(Family):
    """Many-to-many models whose vocabulary holds one token per language."""

    _CODE: ClassVar[re.Pattern[str]]

    def language_tokens(self) -> list[str]:
        vocab = complete_vocab(self.tokenizer)
        return sorted((t for t in vocab if self._CODE.match(t)), key=vocab.__getitem__)

    def runtime_files(self) -> dict[str, str]:
        return {SHARED_SPM: "sentencepiece.bpe.model"}

    def tokenizer_spec(self) -> TokenizerSpec:
        return TokenizerSpec(
            "sentencepiece", SHARED_SPM, SHARED_SPM, ("{source}",), ("</s>",), ("{target}",)
        )

    def languages(self, requested: Requested) -> Languages:
        found = iso.unique([_language(code) for code in self.language_tokens()])
        if not found:
            raise ConversionError(f"{self.checkpoint.path}: the tokenizer has no language codes")
        _check_served(found, requested.source, "source")
        _check_served(found, requested.target, "target")
        return Languages(found, found)

    def _set_source(self, source: Language) -> None:
        self.tokenizer.src_lang = source.code

    def hf_ids(self, text: str, source: Language, target: Language) -> list[int]:
        self._set_source(source)
        return self._encode(text)


@register("M2M100Config")
class M2M100(_CodedFamily):
    """M2M100: `__fr__` tokens; the tokenizer's src_lang is the bare code."""

    name = "m2m100"
    _CODE = re.compile(r"^__[a-z]{2,3}__$")

    @classmethod
    def choose(cls, checkpoint: Checkpoint, tokenizer: Any) -> Family:
        # NLLB-200 reuses the M2M100 architecture; only its tokenizer tells them apart.
        tokenizer_class = checkpoint.tokenizer_config.get(
            "tokenizer_class"
        ) or checkpoint.config.get("tokenizer_class", "")
        if str(tokenizer_class).startswith("Nllb"):
            return Nllb(checkpoint, tokenizer)
        return cls(checkpoint, tokenizer)

    def _set_source(self, source: Language) -> None:
        self.tokenizer.src_lang = source.code.strip("_")


class Nllb(_CodedFamily):
    name = "nllb"
    _CODE = re.compile(r"^[a-z]{3}_[A-Z][a-z]{3}$")

    def tokenizer_spec(self) -> TokenizerSpec:
        if not getattr(self.tokenizer, "legacy_behaviour", False):
            return super().tokenizer_spec()
        # Checkpoints saved with legacy_behaviour put the source code last: X </s> eng_Latn.
        return TokenizerSpec(
            "sentencepiece", SHARED_SPM, SHARED_SPM, (), ("</s>", "{source}"), ("{target}",)
        )


@register("MBartConfig")
class MBart50(_CodedFamily):
    name = "mbart50"
    _CODE = re.compile(r"^[a-z]{2}_[A-Z]{2}$")

    @classmethod
    def choose(cls, checkpoint: Checkpoint, tokenizer: Any) -> Family:
        if not cls(checkpoint, tokenizer).language_tokens():
            raise ConversionError(
                f"{checkpoint.path}: an mBART checkpoint without mBART-50 language codes "
                "(en_XX, fr_XX, ...); only mBART-50 translation checkpoints are supported"
            )
        return cls(checkpoint, tokenizer)


_T5_TASK = re.compile(r"^translation_([a-z]{2,3})_to_([a-z]{2,3})$")
_T5_PREFIX = "translate {source_name} to {target_name}: "


@register("MT5Config")
@register("T5Config")
class T5(Family):
    """T5: the task is a text prefix, `translate English to German: `, per language pair."""

    name = "t5"

    def runtime_files(self) -> dict[str, str]:
        return {SHARED_SPM: "spiece.model"}

    def tokenizer_spec(self) -> TokenizerSpec:
        return TokenizerSpec("sentencepiece", SHARED_SPM, SHARED_SPM, (), ("</s>",), (), _T5_PREFIX)

    def max_input_tokens(self) -> int:
        # Relative positions have no hard limit; T5 was trained on 512-token inputs.
        return int(self.checkpoint.config.get("n_positions", 512))

    def _pairs(self) -> list[tuple[Language, Language]]:
        """Pairs whose task prefix is exactly what the manifest's text_prefix produces."""
        pairs = []
        tasks = self.checkpoint.config.get("task_specific_params") or {}
        for task, params in sorted(tasks.items()):
            match = _T5_TASK.match(task)
            source, target = (
                (iso.lookup(code) for code in match.groups()) if match else (None, None)
            )
            if source is None or target is None:
                continue
            expected = _T5_PREFIX.format(source_name=source.name, target_name=target.name)
            if params.get("prefix") == expected:
                pairs.append((source, target))
        return pairs

    def languages(self, requested: Requested) -> Languages:
        pairs = self._pairs()
        if requested.source or requested.target:
            pairs = [
                (s, t)
                for s, t in pairs
                if requested.source in (None, s.iso) and requested.target in (None, t.iso)
            ]
            if not pairs and requested.source and requested.target:
                pairs = [(_language(requested.source), _language(requested.target))]
        if not pairs:
            raise _missing_languages("translation task (translation_xx_to_yy)")
        pairs = [(iso_only(s), iso_only(t)) for s, t in pairs]
        sources = iso.unique([s for s, _ in pairs])
        targets = iso.unique([t for _, t in pairs])
        return Languages(sources, targets, tuple((s.iso, t.iso) for s, t in pairs))

    def hf_ids(self, text: str, source: Language, target: Language) -> list[int]:
        return self._encode(
            _T5_PREFIX.format(source_name=source.name, target_name=target.name) + text
        )


def iso_only(language: Language) -> Language:
    """T5 names languages in words; its "code" is the ISO code."""
    return Language(language.iso, language.iso, language.name)
