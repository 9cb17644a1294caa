"""The shipped demo checkpoint: intact, converts, and the package matches HF transformers.

These run on the real trained model in `models/demo-en-fr`, so parity is measured on a
model whose outputs mean something (random fixtures only give near-ties).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from desktop_app.engine import Engine, ModelPackage, TranslationOptions, split_text
from desktop_app.engine.package import sha256_file
from tests.models.conftest import CHECKPOINT

TEST_SET = CHECKPOINT / "recipe" / "data" / "test.en"
REFERENCES = CHECKPOINT / "recipe" / "data" / "test.fr"
GREEDY_SUBSET = 60  # HF parity: the first sentences of the held-out test set
CHRF_SUBSET = 200  # int8 quality: more sentences, so one changed output moves chrF little
# int8 kernels differ between CPUs, so int8 outputs do too: on the first 200 sentences,
# CTranslate2 4.8.5 under each kernel family on one machine (CT2_FORCE_CPU_ISA,
# MKL_ENABLE_INSTRUCTIONS, CT2_USE_MKL=0) kept 170/200 outputs of float32 with AVX-512 VNNI
# but 122/200 with AVX2 or AVX-512 without VNNI. chrF moved far less: float32 56.61 on every
# kernel, int8 0.14 (VNNI) to 0.77 (no VNNI) below it. The margin is twice the worst of
# those; a broken quantization (wrong scales, a layer left out) costs many points more.
INT8_CHRF_MARGIN = 1.5

pytestmark = [
    pytest.mark.skipif(
        not (CHECKPOINT / "model.safetensors").is_file(), reason="demo checkpoint not committed"
    ),
    # MarianTokenizer recommends sacremoses; without it (as in the app) it does no Moses
    # punctuation normalisation, which is what the runtime tokenizer reproduces.
    pytest.mark.filterwarnings("ignore:Recommended. pip install sacremoses:UserWarning"),
]


def held_out_sentences() -> list[str]:
    return [line for line in TEST_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


def unsplit_pairs() -> list[tuple[str, str]]:
    """(source, reference) test lines the engine keeps whole: HF translates a line as one
    input, the engine by sentence."""
    sources = TEST_SET.read_text(encoding="utf-8").splitlines()
    references = REFERENCES.read_text(encoding="utf-8").splitlines()
    return [
        (source, reference)
        for source, reference in zip(sources, references, strict=True)
        if source.strip() and split_text(source).segments == (source.strip(),)
    ]


@pytest.fixture(scope="module")
def hf_model():  # type: ignore[no-untyped-def]
    from transformers import MarianMTModel, MarianTokenizer

    model = MarianMTModel.from_pretrained(CHECKPOINT, dtype="float32").eval()
    return MarianTokenizer.from_pretrained(CHECKPOINT), model


def test_weights_load_and_match_the_model_card() -> None:
    from safetensors import safe_open

    card = (CHECKPOINT / "README.md").read_text(encoding="utf-8")
    recorded = re.search(r"sha256 of `model.safetensors`: `([0-9a-f]{64})`", card)
    assert recorded is not None, "the model card must record the weights' sha256"
    assert sha256_file(CHECKPOINT / "model.safetensors") == recorded.group(1)
    with safe_open(str(CHECKPOINT / "model.safetensors"), framework="pt") as weights:
        assert len(list(weights.keys())) > 10
    assert (CHECKPOINT / "model.safetensors").stat().st_size <= 25 * 1024 * 1024


@pytest.mark.slow
def test_conversion_verifies(packages: dict[str, ModelPackage]) -> None:
    report = packages["float32"].manifest.verification
    assert report["passed"] is True, report
    languages = packages["int8"].manifest.languages
    assert [lang.iso for lang in languages.source] == ["en"]
    assert [lang.iso for lang in languages.target] == ["fr"]


@pytest.mark.slow
def test_tokenization_equals_hf_on_the_test_set(packages, hf_model) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.engine.tokenizer import Tokenizer

    package = packages["float32"]
    tokenizer = Tokenizer(package.path, package.manifest)
    source, target = package.resolve_pair("en", "fr")
    hf_tokenizer, _ = hf_model
    mismatches = [
        sentence
        for sentence in held_out_sentences()
        if tokenizer.encode(sentence, source, target)
        != hf_tokenizer.convert_ids_to_tokens(hf_tokenizer(sentence)["input_ids"])
    ]
    assert mismatches == []


def _hf_greedy(hf_model, sentences: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    import torch

    tokenizer, model = hf_model
    outputs = []
    with torch.inference_mode():
        for sentence in sentences:
            ids = model.generate(
                **tokenizer(sentence, return_tensors="pt"),
                num_beams=1,
                do_sample=False,
                max_new_tokens=256,
            )
            outputs.append(tokenizer.decode(ids[0], skip_special_tokens=True))
    return outputs


@pytest.fixture(scope="module")
def engine_greedy(packages: dict[str, ModelPackage]) -> dict[str, list[str]]:
    """quantization -> the engine's greedy translations of the first CHRF_SUBSET pairs."""
    sources = [source for source, _ in unsplit_pairs()[:CHRF_SUBSET]]
    outputs = {}
    greedy = TranslationOptions(beam_size=1, use_cache=False)
    for quantization, package in packages.items():
        engine = Engine(package, device="cpu", compute_type=quantization)
        try:
            outputs[quantization] = [
                engine.translate(sentence, "en", "fr", greedy).text for sentence in sources
            ]
        finally:
            engine.close()
    return outputs


@pytest.mark.slow
def test_float32_greedy_outputs_equal_hf(engine_greedy, hf_model) -> None:  # type: ignore[no-untyped-def]
    sentences = [source for source, _ in unsplit_pairs()[:GREEDY_SUBSET]]
    reference = _hf_greedy(hf_model, sentences)
    float32 = engine_greedy["float32"][:GREEDY_SUBSET]

    equal = sum(a == b for a, b in zip(float32, reference, strict=True))
    # Issue floor: >= 97% identical at float32 (near-ties in fp arithmetic explain the rest).
    assert equal >= 0.97 * len(sentences), (equal, len(sentences))


@pytest.mark.slow
def test_int8_translates_as_well_as_float32(engine_greedy: dict[str, list[str]]) -> None:
    from sacrebleu.metrics import CHRF

    references = [[reference for _, reference in unsplit_pairs()[:CHRF_SUBSET]]]
    chrf = {
        quantization: CHRF().corpus_score(outputs, references).score
        for quantization, outputs in engine_greedy.items()
    }

    print(f"\ngreedy chrF on {CHRF_SUBSET} test sentences: {chrf}")
    assert chrf["int8"] >= chrf["float32"] - INT8_CHRF_MARGIN, chrf


MEMORY_PROBE = """
import gc, sys
import psutil
from desktop_app.engine import Engine, ModelPackage

package = ModelPackage.open(sys.argv[1])
rss = lambda: psutil.Process().memory_info().rss
warm = Engine(package, device="cpu", compute_type="float32")
warm.translate("Hello.")
warm.close()
del warm
gc.collect()
baseline = rss()
engine = Engine(package, device="cpu", compute_type="float32")
engine.translate("The package manager installs software. " * 20)
loaded = rss()
engine.close()
gc.collect()
print(baseline, loaded, rss())
"""


@pytest.mark.slow
def test_closing_the_engine_gives_the_memory_back(packages: dict[str, ModelPackage]) -> None:
    probe = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(packages["float32"].path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    baseline, loaded, closed = map(int, probe.stdout.split())
    assert loaded - baseline > 20 * 1024 * 1024  # the float32 demo model is about 35 MB
    assert closed - baseline < 0.2 * (loaded - baseline), (baseline, loaded, closed)


def test_pieces_that_spell_a_language_code_are_kept(packages) -> None:  # type: ignore[no-untyped-def]
    """In a bilingual model "en" and "fr" are pieces of words, not language tokens: "Afrique"
    is ▁A + fr + ique, "München" ends in en. They were once dropped from translations."""
    import sentencepiece

    from desktop_app.engine.tokenizer import Tokenizer

    package = packages["int8"]
    tokenizer = Tokenizer(package.path, package.manifest)
    target = sentencepiece.SentencePieceProcessor(model_file=str(package.path / "target.spm"))
    words = ["Afrique", "München", "tren"]
    assert all({"en", "fr"} & set(target.encode_as_pieces(word)) for word in words)
    assert [tokenizer.decode(target.encode_as_pieces(word)) for word in words] == words
