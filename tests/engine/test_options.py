"""Options are bounded to what can run: out-of-range values fail at once, listing the range."""

from __future__ import annotations

import math
from dataclasses import fields

import pytest

from desktop_app.engine import Language, TranslationOptions
from desktop_app.engine.options import MAX_BEAM_SIZE
from desktop_app.engine.records import Request
from desktop_app.errors import InputError


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # Issue 12, case 9: a beam of 100000 grew to 8.5 GB instead of failing.
        ({"beam_size": 100000}, f"beam_size 100000 is out of range; expected 1 to {MAX_BEAM_SIZE}"),
        ({"beam_size": 0}, "beam_size 0 is out of range; expected 1 to 16"),
        ({"beam_size": True}, "beam_size must be a whole number, got True"),
        ({"beam_size": "4"}, "beam_size must be a whole number, got '4'"),
        ({"max_batch_tokens": 10**9}, "max_batch_tokens 1000000000 is out of range; expected 16"),
        ({"max_batch_tokens": 8}, "expected 16 to 65536"),
        ({"max_length_ratio": 1e6}, "max_length_ratio 1000000.0 is out of range; expected 1 to 10"),
        ({"max_length_ratio": math.nan}, "max_length_ratio nan is out of range"),
        ({"min_length": 10**6}, "min_length 1000000 is out of range; expected 0 to 1024"),
        ({"sampling_topk": -1}, "sampling_topk -1 is out of range; expected 0 to 1024"),
        ({"sampling_temperature": 0.0}, "expected more than 0 to 10"),
        ({"repetition_penalty": math.inf}, "repetition_penalty inf is out of range"),
        ({"no_repeat_ngram_size": 10**4}, "expected 0 to 64"),
        ({"length_penalty": -1}, "length_penalty -1 is out of range; expected 0 to 10"),
        ({"use_cache": "no"}, "use_cache must be true or false, got 'no'"),
    ],
)
def test_out_of_range_options_list_what_is_accepted(
    changes: dict[str, object], expected: str
) -> None:
    with pytest.raises(InputError) as caught:
        TranslationOptions.coerce(changes)
    assert expected in str(caught.value)


def test_the_limits_themselves_are_accepted() -> None:
    TranslationOptions(beam_size=MAX_BEAM_SIZE, max_batch_tokens=65536, max_length_ratio=10)
    TranslationOptions(beam_size=1, sampling_topk=0, length_penalty=0, sampling_temperature=1)
    # A whole number is a fine float.
    assert TranslationOptions(length_penalty=2).length_penalty == 2


@pytest.mark.parametrize(
    "option", [f.name for f in fields(TranslationOptions) if f.name != "use_cache"]
)
def test_every_option_that_can_change_a_translation_is_in_the_cache_key(option: str) -> None:
    # A translation cached under other settings must never come back: an option added later
    # joins the key without anyone listing it.
    english, french = Language("en", "en", "English"), Language("fr", "fr", "French")
    default = TranslationOptions()
    value = getattr(default, option)
    other = default.with_(**{option: value + (0.5 if isinstance(value, float) else 1)})

    assert (
        Request(english, french, other).cache_key("Hello.")
        != Request(english, french, default).cache_key("Hello.")
    )


def test_use_cache_is_not_part_of_the_cache_key() -> None:
    english, french = Language("en", "en", "English"), Language("fr", "fr", "French")
    bypass = TranslationOptions(use_cache=False)
    assert Request(english, french, bypass).cache_key("Hi.") == Request(
        english, french, TranslationOptions()
    ).cache_key("Hi.")
