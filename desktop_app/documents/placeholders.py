"""Format placeholders (`%s`, `%(name)d`, `{name}`, `{0}`): found, protected, kept verbatim.

A model may translate, drop or respace a placeholder ("{name}" -> "{nom}", "% s"); the
program that fills the string in later then fails or prints garbage. Placeholders are
protected spans of their segment: the span carrier writes them out as they were, over the
words aligned to them or at their relative position (desktop_app/documents/inline.py).
"""

from __future__ import annotations

import re

from desktop_app.documents.inline import place_spans
from desktop_app.documents.model import Segment, Span
from desktop_app.documents.translator import Translator

# printf's space flag ("% d") is left out: it would make "100% sure" and "50% of" placeholders.
PLACEHOLDER = re.compile(
    r"%(?:\([^)]+\))?[-+#0]*(?:\d+|\*)?(?:\.\d+)?[hlLqjzt]*[diouxXeEfFgGcrsa%]"
    r"|\{[A-Za-z_0-9.\[\]]*(?:![rsa])?(?::[^{}]*)?\}"
)


def protect_placeholders(text: str) -> Segment:
    """`text` as a segment whose placeholders are protected spans (`%%` is a literal)."""
    spans = tuple(
        Span(m.start(), m.end(), index, protected=True)
        for index, m in enumerate(PLACEHOLDER.finditer(text))
        if m.group() != "%%"
    )
    return Segment(text, spans)


def translate_keeping_placeholders(
    translator: Translator,
    text: str,
    *,
    source: str | None = None,
    target: str | None = None,
    options: object = None,
) -> str:
    """Translate plain `text` with every placeholder in it kept verbatim."""
    segment = protect_placeholders(text)
    if not segment.spans:
        return translator.translate_segments([text], source=source, target=target,
                                             options=options)[0]
    (aligned,) = translator.translate_aligned([text], source=source, target=target,
                                              options=options)
    return place_spans(segment, aligned.text, aligned.alignment).text
