"""Which languages the installed packages cover, and which package (or two, through English)
serves a pair."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication

from desktop_app.gui.languages import language_name

if TYPE_CHECKING:
    from desktop_app.engine import Language, ModelPackage
    from desktop_app.engine.pivot import Route


@dataclass(frozen=True, slots=True)
class LanguageChoice:
    iso: str
    name: str


class LanguageCatalog:
    """The language pairs of a list of packages, in the order the packages are preferred."""

    def __init__(self, packages: Sequence[ModelPackage]) -> None:
        self._packages = list(packages)

    @property
    def packages(self) -> list[ModelPackage]:
        return list(self._packages)

    def sources(self) -> list[LanguageChoice]:
        return self._sorted(
            lang for package in self._packages for lang in package.manifest.languages.source
        )

    def targets(self, source_iso: str) -> list[LanguageChoice]:
        """Languages `source_iso` translates into: directly, else through English (so
        labelled, e.g. "French (via English)")."""
        direct = self._sorted(
            lang
            for package in self._packages
            for lang in package.manifest.languages.target
            if lang.iso != source_iso and package.manifest.languages.supports(source_iso, lang.iso)
        )
        served = {choice.iso for choice in direct} | {source_iso}
        through = [
            LanguageChoice(choice.iso, QCoreApplication.translate(
                "LanguageCatalog", "%1 (via English)").replace("%1", choice.name))
            for choice in self._sorted(
                lang for package in self._packages for lang in package.manifest.languages.target
            )
            if choice.iso not in served and self.route_for(source_iso, choice.iso) is not None
        ]
        return direct + through

    def route_for(self, source_iso: str, target_iso: str) -> Route | None:
        """The package for the pair, or the two through English; None when neither exists."""
        from desktop_app.engine.pivot import route
        from desktop_app.errors import InputError

        try:
            return route(self._packages, source_iso, target_iso)
        except InputError:
            return None

    @staticmethod
    def _sorted(languages: Iterable[Language]) -> list[LanguageChoice]:
        unique: dict[str, LanguageChoice] = {}
        for lang in languages:
            unique.setdefault(lang.iso, LanguageChoice(lang.iso, language_name(lang.name)))
        return sorted(unique.values(), key=lambda choice: choice.name.casefold())
