"""What may go into the frozen app: excluded modules and the Qt files the app uses.

Shared by the spec (excludes, Qt filtering at analysis time) and by build.py (the scan of the
finished bundle), so the two never disagree.
"""

from __future__ import annotations

import sys
from pathlib import PurePosixPath

# Converter-only and test-only packages. The app never imports them; a hook or an optional
# import of a library could still drag them in, so they are excluded and the bundle is scanned.
FORBIDDEN_MODULES = (
    "torch",
    "torchvision",
    "transformers",
    "tensorflow",
    "jax",
    "safetensors",
    "huggingface_hub",
    "accelerate",
    "tests",
    "pytest",
    "_pytest",
    "pytestqt",
    "hypothesis",
    "sacrebleu",
)
# Also left out: never used by the app, pulled in by optional imports of libraries (protobuf
# by sentencepiece's optional helpers, psutil and yaml by numpy's, setuptools by metadata
# lookups). numpy stays: the converter reads weights and quantizes with it. TLS stays: the
# model index and the hub are HTTPS.
EXCLUDED_MODULES = (
    *FORBIDDEN_MODULES,
    # The converter's transformers path (the app converts without torch).
    "converter.ct2",
    # numpy's parts the converter never imports (its core, lib and linalg stay)
    "numpy.random",
    "numpy.fft",
    "numpy.polynomial",
    "numpy.ma",
    "numpy.f2py",
    "numpy.testing",
    "numpy.distutils",
    "numpy._pyinstaller",
    "readline",
    "lxml.objectify",
    "lxml.html.diff",
    "PySide6.QtNetwork",
    "PySide6.QtDBus",
    "pydoc",
    "doctest",
    "google.protobuf",
    "psutil",
    "yaml",
    "setuptools",
    "pkg_resources",
    "distutils",
    "requests",
    "urllib3",
    "tkinter",
    "IPython",
    "matplotlib",
    "pandas",
    "scipy",
)

# Qt plugin types the app needs: window system integration, input methods, themes, icons.
_QT_PLUGIN_TYPES = {
    "platforms",
    "platformthemes",
    "platforminputcontexts",
    "xcbglintegrations",
    "wayland-shell-integration",
    "wayland-decoration-client",
    "wayland-graphics-integration-client",
    "imageformats",
    "iconengines",
    "styles",
}
# Platforms for embedded or remote displays, where a desktop app never runs, Windows'
# experimental Direct2D platform (chosen only with -platform direct2d), and the GTK 3 theme,
# which would drag GTK's dependency tree in (the XDG portal theme stays).
_QT_UNUSED_PLUGINS = (
    "eglfs", "linuxfb", "vnc", "vkkhrdisplay", "minimalegl", "qdirect2d", "qgtk3",
)
# Image formats of the app's icons; the rest (jpeg, tiff, webp, pdf...) go.
_QT_IMAGE_FORMATS = ("qsvg", "qico")
# Qt libraries only the dropped plugins and modules link to (kept plugins need none of them),
# matched without the "lib" of Linux names: Windows ships Qt6Network.dll. opengl32sw.dll is
# Windows' software OpenGL (20 MB), loaded only for a GL context: the app's widgets make none.
_QT_UNUSED_LIBRARIES = (
    "Qt6Network", "Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport", "opengl32sw",
)
# Libraries every Linux desktop has (X11/Wayland clients, GLib, fonts, D-Bus and what they
# pull in): the distribution's copies must be used, as they match its drivers, themes and
# services; the .deb declares them. PyInstaller would copy the build machine's.
_SYSTEM_LIBRARIES = tuple(
    f"lib{name}"
    for name in (
        "X", "xcb", "xkbcommon", "wayland", "EGL", "GL", "OpenGL", "drm", "gbm", "glib", "gio",
        "gobject", "gmodule", "gthread", "cairo", "pango", "harfbuzz", "fribidi", "thai",
        "datrie", "graphite2", "freetype", "fontconfig", "png16", "jpeg", "pixman", "gdk",
        "gtk", "atk", "epoxy", "dbus", "systemd", "gcrypt", "gpg-error", "krb5", "k5crypto",
        "gssapi", "com_err", "keyutils", "mount", "blkid", "selinux", "pcre2", "zstd", "lz4",
        "brotli", "bsd", "md.", "cap.", "uuid", "tinfo", "readline",
        # TLS (the model index, the hub): the distribution's OpenSSL 3, which gets its
        # security updates; a copy in the bundle would not (and weighs 5.4 MB).
        "ssl", "crypto",
        # The wheels are built against old C++ runtimes (manylinux); a bundled copy older than
        # the system's breaks the system's GL drivers that Qt loads (GLIBCXX_... not found).
        "stdc++", "gcc_s",
    )
)


def keep_file(destination: str) -> bool:
    """Whether a file collected for the bundle at `destination` is kept."""
    parts = PurePosixPath(destination.replace("\\", "/")).parts
    if parts[-1].removeprefix("lib").startswith(_QT_UNUSED_LIBRARIES):
        return False
    if len(parts) == 1:
        return not (sys.platform.startswith("linux") and parts[0].startswith(_SYSTEM_LIBRARIES))
    if parts[0] == "PySide6":
        return _keep_qt_file(parts)
    return True


def _keep_qt_file(parts: tuple[str, ...]) -> bool:
    # PySide6/Qt/plugins/... on Linux and macOS, PySide6/plugins/... on Windows.
    name = parts[-1]
    if "translations" in parts:
        # The app loads only its own catalogues (desktop_app/gui/i18n), never Qt's.
        return False
    if "plugins" not in parts[:-1]:
        return True
    plugin_type = parts[parts.index("plugins") + 1]
    if plugin_type == "imageformats":
        return name.removeprefix("lib").startswith(_QT_IMAGE_FORMATS)
    return plugin_type in _QT_PLUGIN_TYPES and not any(
        unused in name for unused in _QT_UNUSED_PLUGINS
    )


def forbidden_module(module_name: str) -> str | None:
    """The forbidden top-level package `module_name` belongs to, or None."""
    top = module_name.split(".", 1)[0]
    return top if top in FORBIDDEN_MODULES else None
