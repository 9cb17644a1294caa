"""A checkpoint's vocabulary and special tokens, read from its files without transformers.

The converter needs the token list (in id order) and the named special tokens; the HF tokenizer
classes are a heavy way to get them. Every tokenizer format the supported families publish is
read here:

- `tokenizer.json` (the `tokenizers` format): its model vocabulary plus its added tokens;
- `vocab.json` (Marian, M2M100), plus M2M100's `__xx__` language tokens, which follow it;
- a sentencepiece model alone (T5, mBART-50), with the family's id layout.

The result duck-types the parts of an HF tokenizer that `converter.families` and CTranslate2's
loaders read (`get_vocab`, `eos_token`, `all_special_tokens`, ...); tests compare both on every
fixture family.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from desktop_app.errors import ConversionError

# The `__xx__` tokens an M2M100 tokenizer appends to vocab.json, by its `language_codes`.
M2M100_LANGUAGES = {
    "m2m100": [
        "af",
        "am",
        "ar",
        "ast",
        "az",
        "ba",
        "be",
        "bg",
        "bn",
        "br",
        "bs",
        "ca",
        "ceb",
        "cs",
        "cy",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fa",
        "ff",
        "fi",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gu",
        "ha",
        "he",
        "hi",
        "hr",
        "ht",
        "hu",
        "hy",
        "id",
        "ig",
        "ilo",
        "is",
        "it",
        "ja",
        "jv",
        "ka",
        "kk",
        "km",
        "kn",
        "ko",
        "lb",
        "lg",
        "ln",
        "lo",
        "lt",
        "lv",
        "mg",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "my",
        "ne",
        "nl",
        "no",
        "ns",
        "oc",
        "or",
        "pa",
        "pl",
        "ps",
        "pt",
        "ro",
        "ru",
        "sd",
        "si",
        "sk",
        "sl",
        "so",
        "sq",
        "sr",
        "ss",
        "su",
        "sv",
        "sw",
        "ta",
        "th",
        "tl",
        "tn",
        "tr",
        "uk",
        "ur",
        "uz",
        "vi",
        "wo",
        "xh",
        "yi",
        "yo",
        "zh",
        "zu",
    ],
    "wmt21": ["en", "ha", "is", "ja", "cs", "ru", "zh", "de"],
}
# mBART-50's language tokens, in the order its tokenizer gives them ids.
MBART50_LANGUAGES = [
    "ar_AR",
    "cs_CZ",
    "de_DE",
    "en_XX",
    "es_XX",
    "et_EE",
    "fi_FI",
    "fr_XX",
    "gu_IN",
    "hi_IN",
    "it_IT",
    "ja_XX",
    "kk_KZ",
    "ko_KR",
    "lt_LT",
    "lv_LV",
    "my_MM",
    "ne_NP",
    "nl_XX",
    "ro_RO",
    "ru_RU",
    "si_LK",
    "tr_TR",
    "vi_VN",
    "zh_CN",
    "af_ZA",
    "az_AZ",
    "bn_IN",
    "fa_IR",
    "he_IL",
    "hr_HR",
    "id_ID",
    "ka_GE",
    "km_KH",
    "mk_MK",
    "ml_IN",
    "mn_MN",
    "mr_IN",
    "pl_PL",
    "ps_AF",
    "pt_XX",
    "sv_SE",
    "sw_KE",
    "ta_IN",
    "te_IN",
    "th_TH",
    "tl_XX",
    "uk_UA",
    "ur_PK",
    "xh_ZA",
    "gl_ES",
    "sl_SI",
]

# The order in which HF lists a tokenizer's named special tokens.
_NAMED = ("bos", "eos", "unk", "sep", "pad", "cls", "mask")
_FAIRSEQ_SPECIALS = {
    "bos": "<s>",
    "eos": "</s>",
    "sep": "</s>",
    "cls": "<s>",
    "unk": "<unk>",
    "pad": "<pad>",
}
_DEFAULTS: dict[str, dict[str, str]] = {
    "MarianTokenizer": {"eos": "</s>", "unk": "<unk>", "pad": "<pad>"},
    "M2M100Tokenizer": {k: v for k, v in _FAIRSEQ_SPECIALS.items() if k != "cls"},
    "NllbTokenizer": {**_FAIRSEQ_SPECIALS, "mask": "<mask>"},
    "MBart50Tokenizer": {**_FAIRSEQ_SPECIALS, "mask": "<mask>"},
    "T5Tokenizer": {"eos": "</s>", "unk": "<unk>", "pad": "<pad>"},
}


def _read(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConversionError(f"{path}: unreadable JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ConversionError(f"{path}: expected a JSON object")
    return data


def _content(value: Any) -> str | None:
    """A special token as tokenizer files write it: a string or an AddedToken object."""
    if isinstance(value, dict):
        value = value.get("content")
    return value if isinstance(value, str) else None


def _spm_pieces(path: Path) -> list[str]:
    import sentencepiece as spm

    try:
        processor = spm.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as exc:
        raise ConversionError(f"{path}: not a sentencepiece model: {exc}") from None
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


class CheckpointVocabulary:
    """The vocabulary and special tokens of the tokenizer saved in a checkpoint folder."""

    def __init__(self, folder: Path, tokenizer_class: str) -> None:
        self.folder = folder
        self.tokenizer_class = tokenizer_class
        config = _read(folder / "tokenizer_config.json")
        special_map = _read(folder / "special_tokens_map.json")
        self.config = config
        self.named: dict[str, str] = dict(_DEFAULTS.get(tokenizer_class, {}))
        for name in _NAMED:
            token = _content(config.get(f"{name}_token")) or _content(
                special_map.get(f"{name}_token")
            )
            if token is not None:
                self.named[name] = token
        extras = (
            config.get("extra_special_tokens")
            or config.get("additional_special_tokens")
            or special_map.get("additional_special_tokens")
            or []
        )
        self.extra_special: list[str] = [
            token for token in (_content(item) for item in extras) if token is not None
        ]
        self.legacy_behaviour = bool(config.get("legacy_behaviour", False))
        self.num_madeup_words = int(config.get("num_madeup_words", 8))
        self._vocab = self._load()
        self._tokens = {index: token for token, index in self._vocab.items()}

    # -- the parts of an HF tokenizer the converter reads ---------------------------------

    def get_vocab(self) -> dict[str, int]:
        return dict(self._vocab)

    def __len__(self) -> int:
        return len(self._vocab)

    def convert_ids_to_tokens(self, ids: int | list[int]) -> Any:
        if isinstance(ids, int):
            return self._tokens.get(ids)
        return [self._tokens.get(index) for index in ids]

    def __getattr__(self, name: str) -> Any:
        if name.endswith("_token") and name[: -len("_token")] in _NAMED:
            return self.named.get(name[: -len("_token")])
        if name.endswith("_token_id") and name[: -len("_token_id")] in _NAMED:
            token = self.named.get(name[: -len("_token_id")])
            return None if token is None else self._vocab.get(token)
        raise AttributeError(name)

    @property
    def all_special_tokens(self) -> list[str]:
        ordered = [self.named[name] for name in _NAMED if name in self.named]
        return list(dict.fromkeys([*ordered, *self.extra_special]))

    @property
    def special_tokens_map(self) -> dict[str, Any]:
        return {
            **{f"{k}_token": v for k, v in self.named.items()},
            "additional_special_tokens": list(self.extra_special),
        }

    # -- reading the files --------------------------------------------------------------

    def _load(self) -> dict[str, int]:
        folder = self.folder
        if self.tokenizer_class in ("MarianTokenizer", "M2M100Tokenizer"):
            vocab = self._vocab_json(folder / "vocab.json")
            if self.tokenizer_class == "M2M100Tokenizer":
                codes = M2M100_LANGUAGES.get(str(self.config.get("language_codes", "m2m100")))
                if codes is None:
                    raise ConversionError(
                        f"{folder}: unknown M2M100 language_codes "
                        f"{self.config.get('language_codes')!r}"
                    )
                size = len(vocab)
                for i, code in enumerate(codes):
                    vocab.setdefault(f"__{code}__", size + i)
            return vocab
        if (folder / "tokenizer.json").is_file():
            return self._tokenizer_json(folder / "tokenizer.json")
        if self.tokenizer_class == "T5Tokenizer" and (folder / "spiece.model").is_file():
            return self._t5_spm(folder / "spiece.model")
        if self.tokenizer_class == "MBart50Tokenizer":
            return self._mbart50_spm(folder / "sentencepiece.bpe.model")
        raise ConversionError(
            f"{folder}: no tokenizer.json; a {self.tokenizer_class} checkpoint needs it to be "
            "converted without transformers (convert with the `convert` extra installed, or "
            "add the tokenizer.json the checkpoint's hub page provides)"
        )

    @staticmethod
    def _vocab_json(path: Path) -> dict[str, int]:
        data = _read(path)
        if not data or not all(isinstance(v, int) for v in data.values()):
            raise ConversionError(f"{path}: missing or not a token -> id mapping")
        return dict(data)

    @staticmethod
    def _tokenizer_json(path: Path) -> dict[str, int]:
        data = _read(path)
        model = data.get("model") or {}
        raw = model.get("vocab")
        vocab: dict[str, int] = {}
        if isinstance(raw, list):  # Unigram: [[piece, score], ...] in id order
            for index, item in enumerate(raw):
                vocab.setdefault(str(item[0]), index)
        elif isinstance(raw, dict):  # BPE / WordPiece: piece -> id
            vocab.update({str(piece): int(index) for piece, index in raw.items()})
        else:
            raise ConversionError(f"{path}: no model vocabulary in the tokenizer file")
        for added in data.get("added_tokens") or []:
            vocab[str(added["content"])] = int(added["id"])
        return vocab

    def _t5_spm(self, path: Path) -> dict[str, int]:
        pieces = _spm_pieces(path)
        vocab = {piece: index for index, piece in enumerate(pieces)}
        extra_ids = int(self.config.get("extra_ids", 100))
        for i in range(extra_ids):  # <extra_id_0> is the last id
            vocab[f"<extra_id_{i}>"] = len(pieces) + extra_ids - 1 - i
        return vocab

    def _mbart50_spm(self, path: Path) -> dict[str, int]:
        """fairseq's layout: <s> <pad> </s> <unk>, the pieces shifted by one, the language
        codes, then <mask>."""
        if not path.is_file():
            raise ConversionError(f"{self.folder}: missing {path.name}")
        pieces = _spm_pieces(path)
        vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
        for index, piece in enumerate(pieces[3:], start=4):
            vocab.setdefault(piece, index)
        size = len(pieces) + 1
        for i, code in enumerate(MBART50_LANGUAGES):
            vocab[code] = size + i
        vocab["<mask>"] = size + len(MBART50_LANGUAGES)
        return vocab
