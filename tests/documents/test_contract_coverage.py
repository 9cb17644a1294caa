"""No format handler without the format contract: each one is run through it by a test class."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import tests.documents
from desktop_app.documents.registry import handler_classes, handler_for
from tests.documents.contract import FormatContract


def _contract_classes() -> list[type[FormatContract]]:
    for module in pkgutil.iter_modules(tests.documents.__path__):
        if module.name.startswith("test_"):
            importlib.import_module(f"{tests.documents.__name__}.{module.name}")
    found: list[type[FormatContract]] = []
    pending = list(FormatContract.__subclasses__())
    while pending:
        contract = pending.pop()
        found.append(contract)
        pending.extend(contract.__subclasses__())
    return found


def test_every_handler_passes_the_format_contract() -> None:
    covered = {
        type(handler_for(Path(f"sample{contract.extension}"))) for contract in _contract_classes()
    }

    missing = [cls.__name__ for cls in handler_classes() if cls not in covered]

    assert missing == [], "handlers without a FormatContract test class"
