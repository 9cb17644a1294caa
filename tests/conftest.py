"""Session fixtures shared by all tests: tiny checkpoints and the packages converted from them.

Both are built once per session under pytest's temp dir. Treat them as read-only: copy a
package (shutil.copytree) before changing it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fixtures.checkpoints import FAMILIES, build_checkpoint


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
