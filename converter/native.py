"""CTranslate2 model specs built from a checkpoint's tensors, without torch or transformers.

This is the installed app's converter. It reads the weights as numpy arrays and fills the same
CTranslate2 specs that CTranslate2's own Transformers loaders fill, with the same conventions
(fused q/k/v, position offsets, embedding scale, tied output, `final_logits_bias`, Marian's
dropped `<pad>` row, T5's shared relative attention bias, the families' config defaults), so
that both write the same model.bin; tests/converter/test_native.py holds the two to that.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from ctranslate2.specs import common_spec, transformer_spec

from converter.positions import m2m100_positions, marian_positions
from converter.vocabulary import CheckpointVocabulary
from desktop_app.errors import ConversionError

Array = np.ndarray[Any, Any]

_ACTIVATIONS = {
    "gelu": common_spec.Activation.GELU,
    "gelu_python": common_spec.Activation.GELU,
    "gelu_fast": common_spec.Activation.GELUTanh,
    "gelu_new": common_spec.Activation.GELUTanh,
    "gelu_pytorch_tanh": common_spec.Activation.GELUTanh,
    "quick_gelu": common_spec.Activation.GELUSigmoid,
    "relu": common_spec.Activation.RELU,
    "silu": common_spec.Activation.SWISH,
    "swish": common_spec.Activation.SWISH,
}

# The HF config classes' defaults for the keys read here (a config.json may omit them):
# BART's layout, which each BART-like family changes in a few keys, and T5's.
_BART = {
    "d_model": 1024,
    "encoder_layers": 12,
    "decoder_layers": 12,
    "encoder_attention_heads": 16,
    "max_position_embeddings": 1024,
    "tie_word_embeddings": True,
}
_DEFAULTS: dict[str, dict[str, Any]] = {
    "marian": {
        **_BART,
        "activation_function": "gelu",
        "scale_embedding": False,
        "decoder_start_token_id": 58100,
        "vocab_size": 58101,
        "share_encoder_decoder_embeddings": True,
    },
    "m2m_100": {
        **_BART,
        "activation_function": "relu",
        "scale_embedding": True,
        "decoder_start_token_id": 2,
        "vocab_size": 128112,
        "pad_token_id": 1,
    },
    "mbart": {
        **_BART,
        "activation_function": "gelu",
        "scale_embedding": False,
        "decoder_start_token_id": None,
        "vocab_size": 50265,
        # CTranslate2 reads these two keys; mBART's layers are pre-norm with an embedding norm.
        "normalize_before": True,
        "normalize_embedding": True,
    },
    "t5": {
        "d_model": 512,
        "num_layers": 6,
        "num_decoder_layers": None,
        "num_heads": 8,
        "feed_forward_proj": "relu",
        "tie_word_embeddings": True,
        "vocab_size": 32128,
        "relative_attention_max_distance": 128,
        "decoder_start_token_id": 0,
    },
}
_DEFAULTS["mt5"] = {
    **_DEFAULTS["t5"],
    "num_layers": 8,
    "num_heads": 6,
    "feed_forward_proj": "gated-gelu",
    "tie_word_embeddings": False,
    "vocab_size": 250112,
}
MODEL_TYPES = tuple(_DEFAULTS)


class _Config:
    """config.json with the family's defaults behind it."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.model_type = str(config.get("model_type"))
        self._values = {**_DEFAULTS[self.model_type], **config}

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._values.get(key, default)


class _Weights:
    """The checkpoint's tensors by HF parameter name, cast to the dtype HF loads them in."""

    def __init__(self, tensors: Mapping[str, Array], dtype: str | None) -> None:
        self._tensors = tensors
        self._dtype = np.dtype(dtype) if dtype in ("float32", "float16") else None

    def cast(self, array: Array) -> Array:
        """A computed table in the dtype HF builds it in (from float32, as HF rounds it)."""
        return array if self._dtype is None else array.astype(self._dtype)

    def has(self, name: str) -> bool:
        return name in self._tensors

    def __getitem__(self, name: str) -> Array:
        try:
            array = self._tensors[name]
        except KeyError:
            raise ConversionError(f"the checkpoint lacks the weight {name}") from None
        if self._dtype is not None and array.dtype.kind == "f" and array.dtype != self._dtype:
            return array.astype(self._dtype)
        # Arrays read from the file are read-only views; quantization works in place.
        return array if array.flags.writeable else array.copy()

    def first(self, *names: str) -> Array:
        """The first of `names` the checkpoint holds (tied weights are saved under one)."""
        for name in names:
            if name in self._tensors:
                return self[name]
        return self[names[-1]]

    def linear(self, spec: Any, prefix: str) -> None:
        spec.weight = self[f"{prefix}.weight"]
        if f"{prefix}.bias" in self._tensors:
            spec.bias = self[f"{prefix}.bias"]

    def layer_norm(self, spec: Any, prefix: str, *, bias: bool = True) -> None:
        spec.gamma = self[f"{prefix}.weight"]
        if bias:
            spec.beta = self[f"{prefix}.bias"]


def _fuse(spec: Any, parts: list[common_spec.LinearSpec]) -> None:
    """Concatenate linear layers into one, as CTranslate2 fuses q/k/v (zero bias if absent)."""
    spec.weight = np.concatenate([part.weight for part in parts])
    biased = [part for part in parts if part.has_bias()]
    if biased:
        dtype = biased[0].bias.dtype
        spec.bias = np.concatenate(
            [
                part.bias if part.has_bias() else np.zeros([part.weight.shape[0]], dtype=dtype)
                for part in parts
            ]
        )


def _attention(
    weights: _Weights, spec: Any, names: tuple[str, str, str, str], self_attention: bool
) -> None:
    """q, k, v and output projections named `names`."""
    split = [common_spec.LinearSpec() for _ in range(3)]
    for part, name in zip(split, names[:3], strict=True):
        weights.linear(part, name)
    if self_attention:
        _fuse(spec.linear[0], split)
    else:
        _fuse(spec.linear[0], split[:1])
        _fuse(spec.linear[1], split[1:])
    weights.linear(spec.linear[-1], names[3])


def _vocabulary(vocabulary: CheckpointVocabulary) -> list[str]:
    return [token for token, _ in sorted(vocabulary.get_vocab().items(), key=lambda i: i[1])]


class _BartLike:
    """Marian, M2M100 (and NLLB) and mBART: BART's layout with each family's variations."""

    def __init__(
        self, config: _Config, weights: _Weights, vocabulary: CheckpointVocabulary
    ) -> None:
        self.config, self.weights, self.vocabulary = config, weights, vocabulary
        self.kind = config.model_type

    def spec(self) -> transformer_spec.TransformerSpec:
        config = self.config
        if self.kind == "mbart":
            pre_norm, norm_embedding = config["normalize_before"], config["normalize_embedding"]
        else:
            pre_norm, norm_embedding = self.kind == "m2m_100", False
        activation = config["activation_function"]
        if activation not in _ACTIVATIONS:
            raise ConversionError(f"unsupported activation function {activation!r}")
        spec = transformer_spec.TransformerSpec.from_config(
            (int(config["encoder_layers"]), int(config["decoder_layers"])),
            int(config["encoder_attention_heads"]),
            pre_norm=bool(pre_norm),
            activation=_ACTIVATIONS[activation],
            layernorm_embedding=bool(norm_embedding),
        )
        self._stack(spec.encoder, "model.encoder", decoder=False)
        if self.kind == "marian":
            spec.decoder.start_from_zero_embedding = True
        self._stack(spec.decoder, "model.decoder", decoder=True)
        spec.decoder.projection.weight = self._output_embeddings()
        bias = (
            self.weights.first("final_logits_bias")
            if self.weights.has("final_logits_bias") and self.kind != "m2m_100"
            else None
        )
        if bias is not None and np.count_nonzero(bias) != 0:
            spec.decoder.projection.bias = bias.squeeze()

        tokens = self._tokens()
        if self.kind == "marian":
            self._drop_pad_rows(spec)
        spec.register_source_vocabulary(tokens)
        spec.register_target_vocabulary(tokens)
        self._set_config(spec.config)
        return spec

    def _embeddings(self, stack: str) -> Array:
        shared = self.kind != "marian" or self.config["share_encoder_decoder_embeddings"]
        names = ("model.shared.weight",) if shared else ()
        return self.weights.first(*names, f"{stack}.embed_tokens.weight")

    def _output_embeddings(self) -> Array:
        if self.config["tie_word_embeddings"]:
            return self._embeddings("model.decoder")
        return self.weights["lm_head.weight"]

    def _positions(self, stack: str) -> Array:
        config = self.config
        if self.kind == "mbart":  # learned, with fairseq's offset of 2
            return self.weights[f"{stack}.embed_positions.weight"][2:]
        size, dim = int(config["max_position_embeddings"]), int(config["d_model"])
        if self.kind == "marian":
            name = f"{stack}.embed_positions.weight"
            if self.weights.has(name):
                return self.weights[name]
            return self.weights.cast(marian_positions(size, dim))
        return self.weights.cast(m2m100_positions(size, dim))

    def _stack(self, spec: Any, stack: str, *, decoder: bool) -> None:
        config, weights = self.config, self.weights
        spec.scale_embeddings = math.sqrt(config["d_model"]) if config["scale_embedding"] else 1.0
        spec.position_encodings.encodings = self._positions(stack)
        embeddings = spec.embeddings[0] if isinstance(spec.embeddings, list) else spec.embeddings
        embeddings.weight = self._embeddings(stack)
        if self.kind in ("m2m_100", "mbart"):
            weights.layer_norm(spec.layer_norm, f"{stack}.layer_norm")
        if self.kind == "mbart":
            weights.layer_norm(spec.layernorm_embedding, f"{stack}.layernorm_embedding")
        for i, layer in enumerate(spec.layer):
            prefix = f"{stack}.layers.{i}"
            self._attention(layer.self_attention, f"{prefix}.self_attn", self_attention=True)
            weights.layer_norm(layer.self_attention.layer_norm, f"{prefix}.self_attn_layer_norm")
            if decoder:
                self._attention(layer.attention, f"{prefix}.encoder_attn", self_attention=False)
                weights.layer_norm(layer.attention.layer_norm, f"{prefix}.encoder_attn_layer_norm")
            weights.linear(layer.ffn.linear_0, f"{prefix}.fc1")
            weights.linear(layer.ffn.linear_1, f"{prefix}.fc2")
            weights.layer_norm(layer.ffn.layer_norm, f"{prefix}.final_layer_norm")

    def _attention(self, spec: Any, prefix: str, *, self_attention: bool) -> None:
        names = tuple(f"{prefix}.{name}" for name in ("q_proj", "k_proj", "v_proj", "out_proj"))
        _attention(self.weights, spec, names, self_attention)  # type: ignore[arg-type]

    def _tokens(self) -> list[str]:
        vocabulary, config = self.vocabulary, self.config
        tokens = _vocabulary(vocabulary)
        if int(config["vocab_size"]) < len(tokens):
            tokens = tokens[: int(config["vocab_size"])]
        if self.kind == "marian":
            # The decoder starts from a zero embedding instead of <pad>, which must never be
            # generated: CTranslate2 drops it, with its rows.
            if tokens[-1] == "<pad>":
                tokens.pop()
        elif self.kind == "m2m_100":
            unk = vocabulary.unk_token
            if tokens[-1] == unk:
                tokens.insert(vocabulary.get_vocab()[unk], tokens.pop())
            for token in vocabulary.special_tokens_map.get("additional_special_tokens", []):
                if token not in tokens:
                    tokens.append(token)
            madeup = (
                vocabulary.num_madeup_words
                if vocabulary.tokenizer_class == "M2M100Tokenizer"
                else int(config["vocab_size"]) - len(tokens)
            )
            tokens += [f"madeupword{i}" for i in range(max(madeup, 0))]
        return tokens

    def _drop_pad_rows(self, spec: Any) -> None:
        rows = [spec.encoder.embeddings[0], spec.decoder.embeddings, spec.decoder.projection]
        size = rows[0].weight.shape[0] - 1
        for row_spec in rows:
            if row_spec.weight.shape[0] == size + 1:
                row_spec.weight = row_spec.weight[:-1]
            if (
                isinstance(row_spec, common_spec.LinearSpec)
                and row_spec.has_bias()
                and row_spec.bias.shape[0] == size + 1
            ):
                row_spec.bias = row_spec.bias[:-1]

    def _set_config(self, spec_config: Any) -> None:
        vocabulary, config = self.vocabulary, self.config
        spec_config.eos_token = vocabulary.eos_token
        spec_config.unk_token = vocabulary.unk_token
        if self.kind == "marian":
            # The decoder starts from a zero embedding: the start token only has to exist.
            spec_config.decoder_start_token = vocabulary.eos_token
            return
        spec_config.bos_token = vocabulary.bos_token
        if self.kind == "mbart":
            # mBART-25 starts with the language code; mBART-50 with </s>.
            plain = config.get("tokenizer_class") in ("MBartTokenizer", None)
            spec_config.decoder_start_token = None if plain else vocabulary.eos_token
        else:
            spec_config.decoder_start_token = vocabulary.convert_ids_to_tokens(
                config["decoder_start_token_id"]
            )


class _T5:
    """T5, mT5 and flan-T5: RMS norms, relative attention bias, optional gated FFN."""

    def __init__(
        self, config: _Config, weights: _Weights, vocabulary: CheckpointVocabulary
    ) -> None:
        self.config, self.weights, self.vocabulary = config, weights, vocabulary

    def spec(self) -> transformer_spec.TransformerSpec:
        config = self.config
        feed_forward = str(config["feed_forward_proj"]).split("-")
        gated = feed_forward[0] == "gated"
        activation = "gelu_new" if config["feed_forward_proj"] == "gated-gelu" else feed_forward[-1]
        if activation not in _ACTIVATIONS:
            raise ConversionError(f"unsupported feed_forward_proj {config['feed_forward_proj']!r}")
        layers = int(config["num_layers"])
        decoder_layers = config["num_decoder_layers"]
        spec = transformer_spec.TransformerSpec.from_config(
            (layers, int(decoder_layers) if decoder_layers is not None else layers),
            int(config["num_heads"]),
            pre_norm=True,
            activation=_ACTIVATIONS[activation],
            ffn_glu=gated,
            relative_attention_bias=True,
            rms_norm=True,
        )
        self._stack(spec.encoder, "encoder", decoder=False)
        self._stack(spec.decoder, "decoder", decoder=True)
        if config["tie_word_embeddings"]:
            spec.decoder.projection.weight = self._embeddings("decoder")
            spec.decoder.scale_outputs = config["d_model"] ** -0.5
        else:
            spec.decoder.projection.weight = self.weights["lm_head.weight"]

        tokens = _vocabulary(self.vocabulary)
        tokens += [f"<extra_id_{i}>" for i in range(int(config["vocab_size"]) - len(tokens))]
        spec.register_source_vocabulary(tokens)
        spec.register_target_vocabulary(tokens)

        vocabulary = self.vocabulary
        spec.config.bos_token = vocabulary.pad_token
        spec.config.eos_token = vocabulary.eos_token
        spec.config.unk_token = vocabulary.unk_token
        spec.config.decoder_start_token = vocabulary.convert_ids_to_tokens(
            config["decoder_start_token_id"]
        )
        return spec

    def _embeddings(self, stack: str) -> Array:
        return self.weights.first("shared.weight", f"{stack}.embed_tokens.weight")

    def _stack(self, spec: Any, stack: str, *, decoder: bool) -> None:
        weights = self.weights
        weights.layer_norm(spec.layer_norm, f"{stack}.final_layer_norm", bias=False)
        embeddings = spec.embeddings[0] if isinstance(spec.embeddings, list) else spec.embeddings
        embeddings.weight = self._embeddings(stack)
        spec.scale_embeddings = False
        for i, layer in enumerate(spec.layer):
            block = f"{stack}.block.{i}.layer"
            self._attention(layer.self_attention, f"{block}.0.SelfAttention", self_attention=True)
            weights.layer_norm(layer.self_attention.layer_norm, f"{block}.0.layer_norm", bias=False)
            if i > 0:  # T5 computes the bias in the first layer and reuses it
                first = spec.layer[0].self_attention
                layer.self_attention.relative_attention_bias = first.relative_attention_bias
                layer.self_attention.relative_attention_max_distance = (
                    first.relative_attention_max_distance
                )
            if decoder:
                self._attention(layer.attention, f"{block}.1.EncDecAttention", self_attention=False)
                weights.layer_norm(layer.attention.layer_norm, f"{block}.1.layer_norm", bias=False)
            ffn = f"{block}.{2 if decoder else 1}"
            if hasattr(layer.ffn, "linear_0_noact"):
                weights.linear(layer.ffn.linear_0, f"{ffn}.DenseReluDense.wi_0")
                weights.linear(layer.ffn.linear_0_noact, f"{ffn}.DenseReluDense.wi_1")
            else:
                weights.linear(layer.ffn.linear_0, f"{ffn}.DenseReluDense.wi")
            weights.linear(layer.ffn.linear_1, f"{ffn}.DenseReluDense.wo")
            weights.layer_norm(layer.ffn.layer_norm, f"{ffn}.layer_norm", bias=False)

    def _attention(self, spec: Any, prefix: str, *, self_attention: bool) -> None:
        spec.queries_scale = 1.0
        names = tuple(f"{prefix}.{name}" for name in ("q", "k", "v", "o"))
        _attention(self.weights, spec, names, self_attention)  # type: ignore[arg-type]
        bias = f"{prefix}.relative_attention_bias.weight"
        if self.weights.has(bias):
            spec.relative_attention_bias = self.weights[bias]
            spec.relative_attention_max_distance = np.dtype("int32").type(
                self.config["relative_attention_max_distance"]
            )


def build_spec(
    config: Mapping[str, Any], tensors: Mapping[str, Array], vocabulary: CheckpointVocabulary
) -> transformer_spec.TransformerSpec:
    """The CTranslate2 spec of a checkpoint, from its config.json, tensors and vocabulary."""
    model_type = str(config.get("model_type"))
    if model_type not in _DEFAULTS:
        raise ConversionError(
            f"unsupported model_type {model_type!r}; supported: {', '.join(MODEL_TYPES)}"
        )
    wrapped = _Config(config)
    dtype = config.get("dtype") or config.get("torch_dtype")
    weights = _Weights(tensors, str(dtype) if dtype else None)
    builder = _T5 if model_type in ("t5", "mt5") else _BartLike
    return builder(wrapped, weights, vocabulary).spec()


class NativeConverter:
    """Builds, quantizes and saves a package's model files, as CTranslate2's converters do."""

    def __init__(
        self,
        config: Mapping[str, Any],
        tensors: Mapping[str, Array],
        vocabulary: CheckpointVocabulary,
    ) -> None:
        self._config, self._tensors, self._vocabulary = config, tensors, vocabulary

    def convert(self, output_dir: str, *, quantization: str, force: bool = False) -> str:
        """Write model.bin, config.json and the vocabularies into `output_dir`."""
        output = Path(output_dir)
        if output.exists() and not force:
            raise ConversionError(f"{output} already exists")
        spec = build_spec(self._config, self._tensors, self._vocabulary)
        spec.validate()
        spec.optimize(quantization=quantization)
        if output.exists():
            shutil.rmtree(output)
        output.mkdir(parents=True)
        spec.save(str(output))
        return str(output)
