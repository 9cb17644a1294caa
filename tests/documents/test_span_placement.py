"""Where a bold word or a link lands in the translation, on the cases attention gets wrong.

Each case is a sentence, its translation and the word alignment the demo model's attention
gave (target word -> source word), as recorded on the labelled span set
(tests/documents/spans); the assertion is the formatted French a reader sees.
"""

from __future__ import annotations

import re

from desktop_app.documents.inline import place_spans
from desktop_app.documents.lexical import similarity
from desktop_app.documents.model import Segment, Span

_WORD = re.compile(r"\S+")


def _alignment(source: str, translation: str, links: list[int]) -> list[tuple[int, ...]]:
    """links[j]: the index of the source word the j-th target word is aligned to."""
    source_words = [m.span() for m in _WORD.finditer(source)]
    target_words = [m.span() for m in _WORD.finditer(translation)]
    return [(*source_words[i], *target_words[j]) for j, i in enumerate(links)]


def _bold(source: str, translation: str, links: list[int], *words: str) -> list[str]:
    """The translation's words that come out bold when `words` of `source` are bold."""
    spans = []
    for key, word in enumerate(words):
        start = source.index(word)
        spans.append(Span(start, start + len(word), key))
    placed = place_spans(
        Segment(source, tuple(spans)), translation, _alignment(source, translation, links)
    )
    by_key = {span.key: placed.text[span.start : span.end] for span in placed.spans}
    return [by_key.get(key, "") for key in range(len(words))]


def test_a_kept_word_is_found_where_attention_points_to_its_neighbour() -> None:
    # "et" and "Linux" were aligned to "Windows": the hull of Windows held Linux's word.
    source, translation = "It runs on Linux and Windows.", "Il fonctionne sur Linux et Windows."
    assert _bold(source, translation, [0, 1, 2, 4, 4, 4], "Windows") == ["Windows"]


def test_a_cognate_wins_over_the_article_that_attended_to_it() -> None:
    source = "The client talks to the server."
    translation = "Le client communique avec le serveur."
    # As recorded: "Le" and "le" attend to the nouns more than the nouns do.
    links = [1, 0, 2, 3, 5, 4]
    assert _bold(source, translation, links, "client", "server") == ["client", "serveur"]


def test_articles_and_prepositions_the_noun_drew_in_are_left_out() -> None:
    source, translation = "Change it in the settings.", "Modifiez-le dans les paramètres."
    assert _bold(source, translation, [0, 2, 4, 4], "settings") == ["paramètres"]
    # A span that starts with its own article keeps the translation's.
    source, translation = "Read the manual first.", "Lisez le manuel d'abord."
    assert _bold(source, translation, [0, 1, 2, 3], "the manual") == ["le manuel"]


def test_a_span_whose_hull_holds_a_neighbour_keeps_its_own_words() -> None:
    # "de" (aligned to "new") sits inside the hull of "log file": the formatting goes on the
    # run aligned to the span, not nowhere and not over the neighbour.
    source = "Open the log file for new messages."
    translation = "Ouvrez le fichier journal de nouveaux messages."
    links = [0, 1, 3, 2, 5, 4, 6]
    assert _bold(source, translation, links, "log file") == ["fichier journal"]


def test_a_word_found_twice_is_no_evidence() -> None:
    # "Linux" twice in the translation: attention decides.
    source, translation = "Linux users love Linux.", "Les utilisateurs de Linux aiment Linux."
    assert _bold(source, translation, [1, 1, 0, 0, 2, 3], "Linux users") == [
        "utilisateurs de Linux"
    ]


def test_cognates_are_compared_without_case_or_accents() -> None:
    assert similarity("Video", "vidéo") == 1.0
    assert similarity("server", "serveur") == 0.8
    assert similarity("official", "officielle") == 0.8
    assert similarity("the", "thé") == 1.0  # short words: equal only when they are the same
    assert similarity("file", "fichier") == 0.0
    assert similarity("information", "info") == 0.8  # the shorter is wholly shared
    assert similarity("cat", "catalogue") == 0.0  # too short a shared beginning
