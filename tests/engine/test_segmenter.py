"""Sentence segmentation keeps the layout of any text exactly."""
# ruff: noqa: RUF001 -- CJK and typographic punctuation are what these tests are about

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.engine import Engine, split_text
from desktop_app.engine.segmenter import is_translatable
from desktop_app.errors import InputError
from tests.engine.conftest import Recorder

# Text made of what breaks naive splitters: mixed whitespace, line separators, terminators,
# quotes, CJK, zero-width and control characters, emoji.
_PIECES = st.sampled_from(
    [
        "Dr.",
        "e.g.",
        "U.S.",
        "3.14",
        "Hello",
        "world",
        "。",
        "！",
        "?",
        "!",
        "...",
        "…",
        '"',
        "”",
        ")",
        " ",
        "  ",
        "\t",
        "\n",
        "\r\n",
        "\r",
        "\u2028",
        "\x0b",
        "\u200b",
        "\x00",
        "\x1f",
        "🙂",
        "東京",
        "{name}",
        "%s",
        "a",
        "B.",
        "\u00a0",
        "\u3000",
    ]
)
# The machine may be busy: slow generation is not what these tests are about.
_BUSY_MACHINE = [HealthCheck.too_slow]
_TEXTS = st.one_of(st.text(), st.lists(_PIECES, max_size=40).map("".join))


@settings(max_examples=400, deadline=None, database=None, suppress_health_check=_BUSY_MACHINE)
@given(_TEXTS)
def test_identity_translation_renders_the_input_exactly(text: str) -> None:
    layout = split_text(text)
    assert layout.render(layout.segments) == text


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=_BUSY_MACHINE)
@given(_TEXTS)
def test_segments_are_trimmed_single_lines(text: str) -> None:
    for segment in split_text(text).segments:
        assert segment
        assert segment == segment.strip()
        assert len(segment.splitlines()) == 1


def test_translated_segments_go_back_between_the_same_separators() -> None:
    text = "  First one. Second one!\n\n\tIndented third?\r\nLast"
    layout = split_text(text)
    assert layout.segments == ("First one.", "Second one!", "Indented third?", "Last")
    rendered = layout.render(["1", "2", "3", "4"])
    assert rendered == "  1 2\n\n\t3\r\n4"


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Hello there. How are you?", ["Hello there.", "How are you?"]),
        ("Wait! Really?! Yes.", ["Wait!", "Really?!", "Yes."]),
        ("Dr. Smith met Mr. Jones.", ["Dr. Smith met Mr. Jones."]),
        ("Use tools, e.g. a hammer. Then rest.", ["Use tools, e.g. a hammer.", "Then rest."]),
        ("She moved to the U.S. last year.", ["She moved to the U.S. last year."]),
        (
            "Pi is 3.14 and e is 2.71. Both are irrational.",
            ["Pi is 3.14 and e is 2.71.", "Both are irrational."],
        ),
        ('He said "Stop." Then he left.', ['He said "Stop."', "Then he left."]),
        ("It ended (finally.) We went home.", ["It ended (finally.)", "We went home."]),
        ("Well… Maybe later.", ["Well…", "Maybe later."]),
        ("Hmm... and then nothing.", ["Hmm... and then nothing."]),
        ("你好。今天天气很好！你呢？", ["你好。", "今天天气很好！", "你呢？"]),
        ("「走吧。」他说。", ["「走吧。」", "他说。"]),
        ("Version 2.0.1 is out. Update now.", ["Version 2.0.1 is out.", "Update now."]),
        ("J. R. R. Tolkien wrote it.", ["J. R. R. Tolkien wrote it."]),
        ("No punctuation at all", ["No punctuation at all"]),
        ("هل أنت بخير؟ نعم.", ["هل أنت بخير؟", "نعم."]),
        ("यह एक वाक्य है। यह दूसरा है।", ["यह एक वाक्य है।", "यह दूसरा है।"]),
        ("Привет. Как дела?", ["Привет.", "Как дела?"]),
    ],
)
def test_sentence_boundaries(text: str, sentences: list[str]) -> None:
    assert list(split_text(text).segments) == sentences


def test_empty_and_blank_texts_have_no_segments() -> None:
    for text in ("", " ", "\n\n", " \t\r\n\u3000"):
        layout = split_text(text)
        assert layout.segments == ()
        assert layout.render([]) == text


def test_render_rejects_a_wrong_number_of_segments() -> None:
    with pytest.raises(InputError, match="expected 2 translated segments, got 1"):
        split_text("One. Two.").render(["1"])


@pytest.mark.parametrize(
    ("segment", "translatable"),
    [("Hello", True), ("東京", True), ("3.14", False), ("🙂🎉", False), ("—", False), ("%s", True)],
)
def test_segments_without_letters_are_not_sent_to_the_model(
    segment: str, translatable: bool
) -> None:
    assert is_translatable(segment) is translatable


_INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060\ufeff]")


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("\u200bHello world.\u200b", ("Hello world.",)),
        ("\x00Hello world.\x00", ("Hello world.",)),
        ("\ufeffHello. \u200dWorld.\u200d", ("Hello.", "World.")),
        ("\u200e\u200fشكرا\u200f", ("شكرا",)),
        ("Hello\x00world", ("Hello", "world")),
        ("Hello\x1b[1m world", ("Hello", "[1m world")),
        # Inside a word a joiner belongs to it: an emoji sequence, a Persian word.
        ("Family 👨\u200d👩\u200d👧 here.", ("Family 👨\u200d👩\u200d👧 here.",)),
        ("می\u200cخواهم بروم.", ("می\u200cخواهم بروم.",)),
        ("\u200d", ()),
        ("\x00\x01\x02", ()),
    ],
)
def test_controls_and_zero_width_characters_stay_out_of_segments(
    text: str, segments: tuple[str, ...]
) -> None:
    """Issue 12 #15: NUL and zero-width joiners reached the model and came out as U+FFFD."""
    layout = split_text(text)
    assert layout.segments == segments
    assert layout.render(layout.segments) == text  # what left the segments is kept around them


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=_BUSY_MACHINE)
@given(_TEXTS)
def test_no_segment_holds_a_control_or_starts_or_ends_invisibly(text: str) -> None:
    for segment in split_text(text).segments:
        assert not re.search("[\x00-\x08\x0e-\x1f\x7f-\x9f]", segment)
        assert not _INVISIBLE.match(segment[0]) and not _INVISIBLE.match(segment[-1])


def test_controls_and_zero_width_characters_never_reach_the_model(
    engine: Engine, recorder: Recorder
) -> None:
    text = "\u200dHello\x00 world.\ufeff\n\x07Open the window.\u200b"

    result = engine.translate(text)

    tokens = "".join(token for source in recorder.sources for token in source)
    assert not re.search("[\x00-\x08\u200b\u200d\ufeff]", tokens)
    first, second = result.text.split("\n")
    assert first.startswith("\u200d") and "\x00" in first and first.endswith("\ufeff")
    assert second.startswith("\x07") and second.endswith("\u200b")
