"""Which languages the installed packages cover, and which package serves a pair."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from desktop_app.gui.languages import language_name

if TYPE_CHECKING:
    from desktop_app.engine import Language, ModelPackage


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
        return self._sorted(
            lang
            for package in self._packages
            for lang in package.manifest.languages.target
            if lang.iso != source_iso and package.manifest.languages.supports(source_iso, lang.iso)
        )

    def package_for(self, source_iso: str, target_iso: str) -> ModelPackage | None:
        """The first package (in store order) translating this pair, if any."""
        return next(
            (
                package
                for package in self._packages
                if package.manifest.languages.supports(source_iso, target_iso)
            ),
            None,
        )

    @staticmethod
    def _sorted(languages: Iterable[Language]) -> list[LanguageChoice]:
        unique: dict[str, LanguageChoice] = {}
        for lang in languages:
            unique.setdefault(lang.iso, LanguageChoice(lang.iso, language_name(lang.name)))
        return sorted(unique.values(), key=lambda choice: choice.name.casefold())
