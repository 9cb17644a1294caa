"""Session fixtures shared by all tests: tiny checkpoints and the packages converted from them.

Both are built once per session under pytest's temp dir. Treat them as read-only: copy a
package (shutil.copytree) before changing it.

Property tests run under the hypothesis profile named by $TOLK_HYPOTHESIS_PROFILE: "ci" (the
default) draws the same examples on every run, so a landing never fails by chance; "wide"
(`make fuzz`) draws many new ones and prints how to replay any failure.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, configuration, settings

from tests.fixtures.checkpoints import FAMILIES, build_checkpoint

# Hypothesis keeps its files in ./.hypothesis by default; tests never write to the working tree.
configuration.set_hypothesis_home_dir(tempfile.mkdtemp(prefix="tolk-hypothesis-"))
settings.register_profile(
    "ci",
    derandomize=True,  # examples follow from each test's source: a rerun sees the same ones
    max_examples=200,
    database=None,  # nothing to replay: derandomized runs already repeat
    deadline=None,  # test machines are shared and busy; speed is not what these tests check
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.register_profile(
    "wide",
    parent=settings.get_profile("ci"),
    derandomize=False,
    max_examples=5000,
)
settings.load_profile(os.environ.get("TOLK_HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def tiny_checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """family -> tiny HF checkpoint folder, for every family in `FAMILIES`.

    Families: marian (opus-mt-en-de), marian_multi (en -> >>fra<< / >>deu<<), m2m100, nllb,
    mbart50, t5.
    """
    root = tmp_path_factory.mktemp("checkpoints")
    return {family: build_checkpoint(family, root) for family in FAMILIES}


@pytest.fixture(scope="session")
def tiny_packages(
    tiny_checkpoints: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., Path]:
    """`tiny_packages(family, quantization="float32")` -> converted model package directory.

    Each (family, quantization) is converted once per session, on first use.
    """
    from converter import ConversionRequest, convert

    root = tmp_path_factory.mktemp("packages")
    built: dict[tuple[str, str], Path] = {}

    def package(family: str, quantization: str = "float32") -> Path:
        key = (family, quantization)
        if key not in built:
            request = ConversionRequest(
                source=str(tiny_checkpoints[family]),
                quantization=quantization,
                name=f"tiny-{family}-{quantization}".replace("_", "-"),
                output=root / f"tiny-{family}-{quantization}",
                reference=True,  # the oracle the torch-free converter is held to
            )
            built[key] = convert(request)
        return built[key]

    return package


@pytest.fixture(scope="session")
def tiny_package(tiny_packages: Callable[..., Path]) -> Callable[[str], Path]:
    """`tiny_package(family)` -> a float32 package directory (e.g. `tiny_package("marian")`)."""

    def package(family: str) -> Path:
        return tiny_packages(family, "float32")

    return package
