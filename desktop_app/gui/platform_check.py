"""Before Qt starts on Linux: name the X11 libraries its xcb platform plugin cannot load.

Without them Qt only says "no Qt platform plugin could be initialized" and aborts; a minimal
Debian lacks libxcb-cursor0 and libxcb-icccm4, among others. Each library is tried the way
the plugin will load it (dlopen by soname), so the answer holds on any distribution; the
package names in the message are Debian's and Ubuntu's.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# What Qt's xcb plugin (libqxcb.so and libQt6XcbQpa.so) links against, beyond glibc and Qt,
# and the Debian package holding each (tests check them against the .deb's Depends map).
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def uses_xcb(environ: Mapping[str, str] = os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will start on its xcb (X11) platform plugin."""
    if not platform.startswith("linux"):
        return False
    requested = environ.get("QT_QPA_PLATFORM", "").split(";")[0].split(":")[0].strip()
    if requested:
        return requested == "xcb"
    # Unset: Qt prefers Wayland in a Wayland session, and X11 otherwise.
    return not environ.get("WAYLAND_DISPLAY")


def _loadable(soname: str) -> bool:
    try:
        ctypes.CDLL(soname)
    except OSError:
        return any((folder / soname).exists() for folder in _bundled_library_folders())
    return True


def _bundled_library_folders() -> list[Path]:
    """Where a frozen app or the PySide6 wheel may carry a library of its own."""
    folders = []
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        folders.append(Path(bundle))
    try:
        import PySide6
    except ImportError:  # pragma: no cover - the GUI cannot run without it anyway
        return folders
    folders.append(Path(PySide6.__file__).parent / "Qt" / "lib")
    return folders


def missing_xcb_libraries(loadable: Callable[[str], bool] = _loadable) -> list[str]:
    """The sonames of XCB_LIBRARIES that cannot be loaded."""
    return [soname for soname in XCB_LIBRARIES if not loadable(soname)]


def missing_libraries_message(missing: list[str]) -> str:
    """What to tell a user whose system lacks `missing` (sonames)."""
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES[soname] for soname in missing))
    return (
        "tolk gui: the desktop window cannot start: Qt's X11 (xcb) platform needs these "
        f"libraries, which are not installed: {', '.join(missing)}.\n"
        f"On Debian or Ubuntu: sudo apt install {packages}\n"
        "(other distributions package them as libxcb-cursor, xcb-util-wm, xcb-util-keysyms, "
        "xcb-util-image, xcb-util-renderutil and libxkbcommon-x11)."
    )


def platform_problem(environ: Mapping[str, str] = os.environ) -> str:
    """A message naming the missing libraries, or '' when Qt can start (or uses no xcb)."""
    if not uses_xcb(environ):
        return ""
    missing = missing_xcb_libraries()
    return missing_libraries_message(missing) if missing else ""
