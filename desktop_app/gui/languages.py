"""Language names in the interface's language.

Manifests name languages in English. The names of the languages the catalog's models cover
are marked here for translation; a language missing from this list keeps its English name.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

_CONTEXT = "Languages"
# Only marks the names for lupdate; the translations live in the .ts files.
MARKED = (
    QT_TRANSLATE_NOOP("Languages", "Arabic"),
    QT_TRANSLATE_NOOP("Languages", "Bulgarian"),
    QT_TRANSLATE_NOOP("Languages", "Catalan"),
    QT_TRANSLATE_NOOP("Languages", "Chinese"),
    QT_TRANSLATE_NOOP("Languages", "Czech"),
    QT_TRANSLATE_NOOP("Languages", "Danish"),
    QT_TRANSLATE_NOOP("Languages", "Dutch"),
    QT_TRANSLATE_NOOP("Languages", "English"),
    QT_TRANSLATE_NOOP("Languages", "Finnish"),
    QT_TRANSLATE_NOOP("Languages", "French"),
    QT_TRANSLATE_NOOP("Languages", "German"),
    QT_TRANSLATE_NOOP("Languages", "Greek"),
    QT_TRANSLATE_NOOP("Languages", "Hebrew"),
    QT_TRANSLATE_NOOP("Languages", "Hindi"),
    QT_TRANSLATE_NOOP("Languages", "Hungarian"),
    QT_TRANSLATE_NOOP("Languages", "Italian"),
    QT_TRANSLATE_NOOP("Languages", "Japanese"),
    QT_TRANSLATE_NOOP("Languages", "Korean"),
    QT_TRANSLATE_NOOP("Languages", "Norwegian"),
    QT_TRANSLATE_NOOP("Languages", "Polish"),
    QT_TRANSLATE_NOOP("Languages", "Portuguese"),
    QT_TRANSLATE_NOOP("Languages", "Romanian"),
    QT_TRANSLATE_NOOP("Languages", "Russian"),
    QT_TRANSLATE_NOOP("Languages", "Spanish"),
    QT_TRANSLATE_NOOP("Languages", "Swedish"),
    QT_TRANSLATE_NOOP("Languages", "Turkish"),
    QT_TRANSLATE_NOOP("Languages", "Ukrainian"),
    QT_TRANSLATE_NOOP("Languages", "Vietnamese"),
)


def language_name(english: str) -> str:
    """`english` (a manifest's language name) in the interface's language."""
    return QCoreApplication.translate(_CONTEXT, english)
