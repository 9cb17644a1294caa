"""Every model family's language rules work through the engine: translate, stream, align."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from desktop_app.engine import (
    Engine,
    ModelPackage,
    SegmentDone,
    StreamEnd,
    TranslationOptions,
    split_text,
)
from tests.fixtures.checkpoints import FAMILIES

TEXT = "Hello world. How are you?\n\n  The end."


@pytest.mark.slow
@pytest.mark.parametrize("family", FAMILIES)
def test_family_translates_streams_and_aligns(
    family: str, tiny_package: Callable[[str], Path]
) -> None:
    package = ModelPackage.open(tiny_package(family))
    languages = package.manifest.languages
    source = languages.source[0].iso
    target = next(
        lang.iso
        for lang in languages.target
        if package.manifest.languages.supports(source, lang.iso) and lang.iso != source
    )
    engine = Engine(package, device="cpu", compute_type="float32")
    try:
        options = TranslationOptions(beam_size=1, max_length_ratio=1.0)
        result = engine.translate(TEXT, source=source, target=target, options=options)
        layout = split_text(TEXT)
        assert result.text == layout.render(result.segments)
        events = list(engine.stream(TEXT, source=source, target=target, options=options))
        assert [e.index for e in events if isinstance(e, SegmentDone)] == [0, 1, 2]
        assert isinstance(events[-1], StreamEnd)
        (aligned,) = engine.translate_aligned([TEXT], source=source, target=target, options=options)
        for s0, s1, t0, t1 in aligned.alignment:
            assert TEXT[s0:s1].strip() == TEXT[s0:s1] != ""
            assert aligned.text[t0:t1].strip() == aligned.text[t0:t1] != ""
    finally:
        engine.close()
