"""The shipped demo checkpoint, converted once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.engine import ModelPackage

CHECKPOINT = Path(__file__).resolve().parents[2] / "models" / "demo-en-fr"


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ModelPackage]:
    """quantization ("float32", "int8") -> the demo checkpoint converted by the converter."""
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
                    reference=True,
                )
            )
        )
        for quantization in ("float32", "int8")
    }
