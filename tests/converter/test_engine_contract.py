"""Packages of every family work in the app's engine: language rules, hidden special tokens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.engine import Engine, ModelPackage, TranslationOptions
from tests.converter.test_families import EXPECTED
from tests.fixtures.checkpoints import FAMILIES


@pytest.mark.parametrize("family", FAMILIES)
def test_engine_translates_without_showing_special_tokens(
    family: str, tiny_package: Callable[[str], Path]
) -> None:
    package = ModelPackage.open(tiny_package(family))
    source, target = EXPECTED[family][3]
    engine = Engine(package, device="cpu")
    try:
        result = engine.translate(
            "Hello, world!", source=source, target=target, options=TranslationOptions(beam_size=1)
        )
    finally:
        engine.close()
    hidden = {*package.manifest.special_tokens.values()}
    hidden |= {lang.code for lang in package.manifest.languages.target if len(lang.code) > 3}
    assert result.text.strip()
    assert not [token for token in hidden if token in result.text]
