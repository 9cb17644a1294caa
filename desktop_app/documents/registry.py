"""Which handler reads which file: found from the `extensions` of the handler classes.

Handler modules import their parsers (lxml, python-docx, polib, ...) inside methods, so
listing the formats costs nothing and a missing optional parser only fails on use.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from functools import cache
from pathlib import Path

from desktop_app.documents import formats
from desktop_app.documents.model import AnyHandler, FormatHandler
from desktop_app.errors import InputError


@cache
def handler_classes() -> tuple[type[AnyHandler], ...]:
    """Every handler (a class declaring `extensions`) in `documents.formats`, by module."""
    found: list[type[AnyHandler]] = []
    for module_info in sorted(pkgutil.iter_modules(formats.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{formats.__name__}.{module_info.name}")
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, FormatHandler)
                and not inspect.isabstract(value)
                and value.__module__ == module.__name__
                and "extensions" in vars(value)  # shared bases declare none
            ):
                found.append(value)
    return tuple(found)


@cache
def _by_extension() -> dict[str, type[AnyHandler]]:
    return {ext: cls for cls in handler_classes() for ext in cls.extensions}


def supported_extensions() -> tuple[str, ...]:
    return tuple(sorted(_by_extension()))


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in _by_extension()


def handler_for(path: Path) -> AnyHandler:
    """A handler for `path` by its extension; InputError lists the accepted ones."""
    cls = _by_extension().get(path.suffix.lower())
    if cls is None:
        raise InputError(
            f"{path.name}: unsupported file type {path.suffix or '(none)'!r}; "
            f"expected one of: {', '.join(supported_extensions())}"
        )
    return cls()
