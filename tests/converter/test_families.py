"""Every supported family converts into a package the app can use, equal to the HF model."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from converter.samples import SENTENCES
from desktop_app.engine.manifest import Language
from desktop_app.engine.package import ModelPackage
from desktop_app.engine.tokenizer import Tokenizer
from tests.fixtures.checkpoints import FAMILIES

# family -> (manifest family, source ISO codes (first few), target ISO codes (first few),
#            the pair the tokenization is checked on)
EXPECTED: dict[str, tuple[str, list[str], list[str], tuple[str, str]]] = {
    "marian": ("marian", ["en"], ["de"], ("en", "de")),
    "marian_multi": ("marian", ["en"], ["fr", "de"], ("en", "de")),
    "m2m100": ("m2m100", ["af", "am", "ar"], ["af", "am", "ar"], ("fr", "de")),
    "nllb": ("nllb", ["en", "fr", "de"], ["en", "fr", "de"], ("de", "fr")),
    "mbart50": ("mbart50", ["ar", "cs", "de"], ["ar", "cs", "de"], ("de", "en")),
    "t5": ("t5", ["en"], ["de", "fr"], ("en", "de")),
}


def _hf_tokens(
    family: str, tokenizer: Any, text: str, source: Language, target: Language
) -> list[str]:
    """The reference: how each family's HF tokenizer is used for translation."""
    if family == "marian_multi":
        text = f"{target.code} {text}"
    elif family == "m2m100":
        tokenizer.src_lang = source.code.strip("_")
    elif family in ("nllb", "mbart50"):
        tokenizer.src_lang = source.code
    elif family == "t5":
        text = f"translate {source.name} to {target.name}: {text}"
    tokens: list[str] = tokenizer.convert_ids_to_tokens(tokenizer(text)["input_ids"])
    return tokens


EXTRA_SENTENCES = (
    "Un café, s'il vous plaît.",
    "Die Straße ist 3,5 km lang.",
    "未知の文字 🦜 and ¼ fractions",
    "trailing punctuation!!!???",
)


@pytest.mark.parametrize("family", FAMILIES)
def test_package_serves_the_checkpoint_languages(
    family: str, tiny_package: Callable[[str], Path]
) -> None:
    package = ModelPackage.open(tiny_package(family))
    manifest = package.manifest
    expected_family, sources, targets, _ = EXPECTED[family]
    assert manifest.family == expected_family
    assert [lang.iso for lang in manifest.languages.source][: len(sources)] == sources
    assert [lang.iso for lang in manifest.languages.target][: len(targets)] == targets
    assert package.verify_files() == []
    assert set(manifest.files) >= {"model.bin", manifest.tokenizer.source_model}


@pytest.mark.parametrize("family", FAMILIES)
def test_runtime_tokenization_equals_hf(
    family: str, tiny_checkpoints: dict[str, Path], tiny_package: Callable[[str], Path]
) -> None:
    from transformers import AutoTokenizer

    package = ModelPackage.open(tiny_package(family))
    source, target = package.resolve_pair(*EXPECTED[family][3])
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Recommended: pip install sacremoses")
        hf = AutoTokenizer.from_pretrained(tiny_checkpoints[family])
    runtime = Tokenizer(package.path, package.manifest)
    sentences = (*SENTENCES, *EXTRA_SENTENCES)
    assert len(sentences) >= 50
    for text in sentences:
        assert runtime.encode(text, source, target) == _hf_tokens(
            family, hf, text, source, target
        ), text


@pytest.mark.parametrize("family", FAMILIES)
def test_float32_verification_passes(family: str, tiny_package: Callable[[str], Path]) -> None:
    report = ModelPackage.open(tiny_package(family)).manifest.verification
    assert report["passed"], report
    assert report["sentences"] >= 50
    assert report["tokenization_equal"] == report["sentences"]
    assert report["scores_within_tolerance"] == report["sentences"]
    assert report["score_max_abs_difference"] < 1e-3  # ~25 tokens: well inside the tolerance
    assert report["greedy_equal"] == report["sentences"]


def _fresh_verification(checkpoint: Path, package: ModelPackage) -> dict[str, Any]:
    """The verification rerun against a newly loaded HF model."""
    from transformers import AutoModelForSeq2SeqLM

    from converter import families, source
    from converter.ct2 import load_tokenizer
    from converter.verification import verify

    inspected = source.inspect(checkpoint, str(checkpoint), None, allow_pickle=False)
    config_name = families.config_class_name(inspected.config["model_type"])
    family = families.family_for(config_name, inspected, load_tokenizer(str(checkpoint)))
    model = AutoModelForSeq2SeqLM.from_pretrained(checkpoint, use_safetensors=True)
    return verify(package.path, package.manifest, family, model)


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_int8_reports_greedy_agreement(
    family: str, tiny_checkpoints: dict[str, Path], tiny_packages: Callable[..., Path]
) -> None:
    package = ModelPackage.open(tiny_packages(family, "int8"))
    report = package.manifest.verification
    assert package.manifest.quantization == "int8"
    assert report["tokenization_equal"] == report["sentences"]
    assert report["greedy_required"] is False
    assert report["passed"]  # quantized: passing needs equal tokenization only
    # The report measures the package against the original model, not a copy that the
    # conversion changed (CTranslate2 quantizes the loaded weights in place).
    fresh = _fresh_verification(tiny_checkpoints[family], package)
    assert fresh["greedy_agreement"] == report["greedy_agreement"]
    assert fresh["score_max_abs_difference"] == pytest.approx(report["score_max_abs_difference"])
