"""The shipped demo checkpoint: intact, converts, and the package matches HF transformers.

These run on the real trained model in `models/demo-en-fr`, so parity is measured on a
model whose outputs mean something (random fixtures only give near-ties).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.engine import Engine, ModelPackage, split_text
from desktop_app.engine.package import sha256_file

CHECKPOINT = Path(__file__).resolve().parents[2] / "models" / "demo-en-fr"
TEST_SET = CHECKPOINT / "recipe" / "data" / "test.en"
GREEDY_SUBSET = 60  # the first sentences of the held-out test set

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


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModelPackage]:
    from converter import ConversionRequest, convert

    root = tmp_path_factory.mktemp("demo")
    return {
        quantization: ModelPackage.open(
            convert(
                ConversionRequest(
                    source=str(CHECKPOINT),
                    quantization=quantization,
                    name=f"demo-{quantization}",
                    output=root / quantization,
                )
            )
        )
        for quantization in ("float32", "int8")
    }


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


@pytest.mark.slow
def test_greedy_outputs_equal_hf_and_int8_agrees(packages, hf_model) -> None:  # type: ignore[no-untyped-def]
    # Lines the engine keeps whole: HF translates a line as one input, the engine by sentence.
    sentences = [
        line for line in held_out_sentences() if split_text(line).segments == (line.strip(),)
    ][:GREEDY_SUBSET]
    reference = _hf_greedy(hf_model, sentences)
    greedy = {"beam_size": 1, "use_cache": False}
    results = {
        quantization: [
            Engine(package, device="cpu", compute_type=quantization)
            .translate(sentence, source="en", target="fr", options=greedy)
            .text
            for sentence in sentences
        ]
        for quantization, package in packages.items()
    }
    float32_equal = sum(a == b for a, b in zip(results["float32"], reference, strict=True))
    int8_equal = sum(a == b for a, b in zip(results["int8"], reference, strict=True))
    # Issue floor: >= 97% identical at float32 (near-ties in fp arithmetic explain the rest).
    assert float32_equal >= 0.97 * len(sentences), (float32_equal, len(sentences))
    # int8 changes some outputs; most must stay identical to the float32 reference.
    assert int8_equal >= 0.6 * len(sentences), (int8_equal, len(sentences))


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
