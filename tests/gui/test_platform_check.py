"""`tolk gui` on a Linux without the X11 libraries Qt's xcb plugin needs: a message that names
them and the command that installs them, instead of Qt's generic plugin error."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from desktop_app.gui import app as gui_app
from desktop_app.gui.platform_check import (
    XCB_LIBRARIES,
    missing_libraries_message,
    missing_xcb_libraries,
    uses_xcb,
)

MINIMAL_DEBIAN_LACKS = {"libxcb-cursor.so.0", "libxcb-icccm.so.4"}


def test_missing_libraries_are_named_with_the_packages_to_install() -> None:
    missing = missing_xcb_libraries(lambda soname: soname not in MINIMAL_DEBIAN_LACKS)

    message = missing_libraries_message(missing)

    assert set(missing) == MINIMAL_DEBIAN_LACKS
    assert "libxcb-cursor.so.0" in message and "libxcb-icccm.so.4" in message
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4" in message


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({}, "win32", False),
        ({}, "darwin", False),
    ],
)
def test_only_an_xcb_start_on_linux_is_checked(
    environ: dict[str, str], platform: str, expected: bool
) -> None:
    assert uses_xcb(environ, platform) is expected


def test_tolk_gui_prints_the_message_and_exits_before_qt_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    message = missing_libraries_message(sorted(MINIMAL_DEBIAN_LACKS))
    monkeypatch.setattr(gui_app, "platform_problem", lambda: message)
    monkeypatch.setattr(gui_app, "application", pytest.fail)  # Qt is never reached

    assert gui_app.main([]) == 1
    assert "sudo apt install" in capsys.readouterr().err


def test_the_deb_depends_on_every_library_the_check_asks_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    packaging = Path(__file__).resolve().parents[2] / "packaging"
    monkeypatch.syspath_prepend(str(packaging))
    installers = importlib.import_module("installers")
    assert {name: installers.SYSTEM_PACKAGES.get(name) for name in XCB_LIBRARIES} == XCB_LIBRARIES
