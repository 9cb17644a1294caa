"""Engine test fixtures: a tiny converted Marian package and a CTranslate2 call recorder."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import configuration

from desktop_app.engine import Engine, ModelPackage

# Hypothesis caches examples in ./.hypothesis by default; tests never write to the working tree.
configuration.set_hypothesis_home_dir(tempfile.mkdtemp(prefix="tolk-hypothesis-"))


@pytest.fixture(scope="session")
def package(tiny_package: Callable[[str], Path]) -> ModelPackage:
    """The shared tiny Marian (en->de) package, converted by the project's converter."""
    return ModelPackage.open(tiny_package("marian"))


# Random weights rarely pick the end token; this bias makes the tiny Marian end some outputs
# on their own and run others to the length limit, so both paths are exercised.
END_TOKEN_BIAS = 10.0


@pytest.fixture(scope="session")
def ending_package(
    tiny_checkpoints: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> ModelPackage:
    """The shared tiny Marian with a bias towards its end token, converted the same way."""
    import torch
    from transformers import MarianMTModel

    from converter import ConversionRequest, convert

    root = tmp_path_factory.mktemp("ending-marian")
    checkpoint = root / "checkpoint"
    shutil.copytree(tiny_checkpoints["marian"], checkpoint)
    model = MarianMTModel.from_pretrained(checkpoint)
    with torch.no_grad():
        model.final_logits_bias[0, model.config.eos_token_id] += END_TOKEN_BIAS
    model.save_pretrained(checkpoint)
    request = ConversionRequest(
        source=str(checkpoint), quantization="float32", output=root / "tiny-marian-ending"
    )
    return ModelPackage.open(convert(request))


@dataclass
class Call:
    sources: list[list[str]]
    options: dict[str, Any]
    finished: bool = False


@dataclass
class Recorder:
    """Every translate_batch call the engine makes, in order."""

    real: Any = None  # the real ctranslate2.Translator class
    calls: list[Call] = field(default_factory=list)

    @property
    def sources(self) -> list[list[str]]:
        return [source for call in self.calls for source in call.sources]


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    """Wraps ctranslate2.Translator so tests see what reaches the model."""
    import ctranslate2

    real = ctranslate2.Translator
    record = Recorder(real)

    class RecordingTranslator:
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            self._inner = real(*args, **kwargs)

        def translate_batch(self, source: list[list[str]], *args: Any, **kwargs: Any) -> Any:
            call = Call([list(s) for s in source], kwargs)
            record.calls.append(call)
            results = self._inner.translate_batch(source, *args, **kwargs)
            call.finished = True
            return results

        def unload_model(self) -> None:
            self._inner.unload_model()

    monkeypatch.setattr(ctranslate2, "Translator", RecordingTranslator)
    return record


@pytest.fixture
def engine(package: ModelPackage, recorder: Recorder) -> Iterator[Engine]:
    """The shared tiny Marian, whose random outputs mostly run to the length limit."""
    engine = Engine(package, device="cpu", compute_type="float32", cpu_threads=1)
    yield engine
    engine.close()


@pytest.fixture
def ending_engine(ending_package: ModelPackage, recorder: Recorder) -> Iterator[Engine]:
    """The tiny Marian biased to end its outputs (see END_TOKEN_BIAS)."""
    engine = Engine(ending_package, device="cpu", compute_type="float32", cpu_threads=1)
    yield engine
    engine.close()


def package_copy(package: ModelPackage, destination: Path) -> Path:
    destination.mkdir()
    for path in package.path.iterdir():
        (destination / path.name).write_bytes(path.read_bytes())
    return destination


@dataclass(frozen=True)
class Step:
    """What CTranslate2 passes to a per-token callback (the fields the engine reads)."""

    step: int
    batch_id: int
    token: str
    is_last: bool


@dataclass
class EchoResult:
    hypotheses: list[list[str]]
    attention: list[list[list[float]]]


class EchoTranslator:
    """Stands in for a model whose translation is its source, so output can be checked exactly.

    Sources longer than `ends_within` tokens never reach the end token: they repeat until the
    decoding limit, like a model stuck in a loop.
    """

    ends_within = 12
    fail_on: str | None = None  # a token that makes the call fail like a broken model

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.calls: list[list[list[str]]] = []

    def translate_batch(
        self,
        source: list[list[str]],
        *,
        max_decoding_length: int,
        callback: Any = None,
        **options: Any,
    ) -> list[EchoResult]:
        self.calls.append(source)
        if any(self.fail_on in tokens for tokens in source):
            raise RuntimeError("simulated model failure")
        outputs = []
        for tokens in source:
            body = [token for token in tokens if token != "</s>"]
            if len(tokens) <= self.ends_within:
                outputs.append([*body, "</s>"])
            else:
                outputs.append((body * max_decoding_length)[:max_decoding_length])
        for batch_id, output in enumerate(outputs):
            for step, token in enumerate(output):
                if callback is not None and callback(
                    Step(step, batch_id, token, step == len(output) - 1)
                ):
                    break
        return [EchoResult([output], [[[1.0]] * len(output)]) for output in outputs]

    def unload_model(self) -> None:
        self.calls.clear()


@pytest.fixture(scope="session")
def echo_package(package: ModelPackage, tmp_path_factory: pytest.TempPathFactory) -> ModelPackage:
    """The tiny package decoding with its source tokenizer, so echoed tokens read back."""
    copy = package_copy(package, tmp_path_factory.mktemp("echo") / "tiny-marian-echo")
    manifest = json.loads((copy / "tolk.json").read_text(encoding="utf-8"))
    manifest["tokenizer"]["target_model"] = manifest["tokenizer"]["source_model"]
    (copy / "tolk.json").write_text(json.dumps(manifest), encoding="utf-8")
    return ModelPackage.open(copy)


@pytest.fixture
def echo_engine(echo_package: ModelPackage, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """An engine whose model echoes its input (see EchoTranslator)."""
    import ctranslate2

    monkeypatch.setattr(ctranslate2, "Translator", EchoTranslator)
    engine = Engine(echo_package, device="cpu")
    yield engine
    engine.close()
