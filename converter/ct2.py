"""CTranslate2's Transformers converter, held to Tolk's loading rules.

Imports torch and transformers: import this module only inside the conversion.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import transformers
from ctranslate2.converters import TransformersConverter

from converter.families import complete_vocab
from converter.positions import m2m100_positions


@contextmanager
def quiet_hf() -> Iterator[None]:
    """Silence HF notices that do not concern a conversion, and its progress bars."""
    transformers.utils.logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    with warnings.catch_warnings():
        # MarianTokenizer asks for sacremoses (Moses punctuation normalisation); the app's
        # runtime tokenizer does not normalise, and verification proves the two agree.
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        yield


def load_tokenizer(path: str) -> Any:
    """The checkpoint's HF tokenizer; never with code from the checkpoint."""
    with quiet_hf():
        return transformers.AutoTokenizer.from_pretrained(path, trust_remote_code=False)


class _LoaderView:
    """The tokenizer as CTranslate2's loaders expect it under transformers 5.

    - M2M100Tokenizer leaves its `__xx__` language tokens out of `get_vocab()`, from which the
      loader builds the model vocabulary: the converted vocabulary would lack 100 rows.
    - MBart50Tokenizer no longer defaults `bos_token`; a null bos in config.json makes
      CTranslate2 refuse the model. fairseq's bos is the `<s>` that is also the cls token.
    """

    def __init__(self, tokenizer: Any) -> None:
        self._tokenizer = tokenizer

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tokenizer, name)

    def get_vocab(self) -> dict[str, int]:
        return complete_vocab(self._tokenizer)

    @property
    def bos_token(self) -> Any:
        return self._tokenizer.bos_token or getattr(self._tokenizer, "cls_token", None)


class SafeConverter(TransformersConverter):  # type: ignore[misc]
    """Loads safetensors only and reuses our tokenizer; can reload the model for verification."""

    def __init__(self, path: str, tokenizer: Any) -> None:
        super().__init__(path, trust_remote_code=False)
        self.tokenizer = tokenizer
        self._model_class: Any = None
        self._model_type: str | None = None

    def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
        kwargs["use_safetensors"] = True
        kwargs.pop("trust_remote_code", None)
        self._model_class = model_class
        with quiet_hf():
            self._model_type = model_class.config_class.model_type
            return model_class.from_pretrained(model_name_or_path, **kwargs)

    def _load(self) -> Any:
        spec = super()._load()
        if self._model_type == "m2m_100":
            # The same float64-computed table as the torch-free path (converter/positions.py).
            for stack in (spec.encoder, spec.decoder):
                table = stack.position_encodings.encodings
                dtype = str(table.dtype).removeprefix("torch.")
                if dtype in ("float32", "float16"):
                    rows, dim = table.shape
                    stack.position_encodings.encodings = m2m100_positions(rows, dim).astype(dtype)
        return spec

    def load_tokenizer(self, tokenizer_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
        return _LoaderView(self.tokenizer)

    def reference_model(self) -> Any:
        """A fresh float32 copy of the HF model.

        The copy CTranslate2 converted is not usable: quantization rewrites its weights in place.
        """
        with quiet_hf():
            return self._model_class.from_pretrained(
                self._model_name_or_path, use_safetensors=True, dtype="float32"
            ).eval()
