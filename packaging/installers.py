"""Linux installers around the frozen bundle: a `.tar.gz` to unpack anywhere and a `.deb`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path

from bundle_checks import SystemRequirements, system_requirements

HERE = Path(__file__).resolve().parent
LINUX = HERE / "linux"
ICONS = HERE / "icons"
LICENSE = HERE.parent / "LICENSE"

INSTALL_PREFIX = "opt/tolk"
# Debian packages of the system libraries the bundle links to without shipping them (Qt's
# window-system plugins, GL, fonts, D-Bus; see bundle_rules). The Depends line is made from
# the libraries the bundle's binaries really need. This table is asked first: it names the
# alternatives across releases (the t64 renames) that one machine's dpkg cannot know.
# Libraries it lacks are looked up in the build machine's dpkg database.
SYSTEM_PACKAGES = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",  # renamed in Debian 13/Ubuntu 24.04
    "libgthread-2.0.so.0": "libglib2.0-0t64 | libglib2.0-0",
    "libssl.so.3": "libssl3t64 | libssl3",  # renamed in Debian 13/Ubuntu 24.04
    "libcrypto.so.3": "libssl3t64 | libssl3",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1 | libgcc1",
    "libuuid.so.1": "libuuid1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
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
    "libzstd.so.1": "libzstd1",
}
# Part of glibc itself: covered by the libc6 version floor.
_GLIBC_LIBRARIES = frozenset({
    "libc.so.6", "libm.so.6", "libdl.so.2", "libpthread.so.0", "librt.so.1",
    "libutil.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1",
})


# `ldconfig -p` lines: "\tlibXi.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libXi.so.6".
_LOADER_ENTRY = re.compile(r"^\s*(\S+) \(.*\) => (.+)$", re.MULTILINE)


def installed_package(soname: str) -> str | None:
    """The Debian package that installed the library the dynamic loader finds for `soname` on
    this machine, or None (no dpkg, no such library, or one installed outside dpkg)."""
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"  # /sbin is not on users' PATH
    if shutil.which("dpkg-query") is None or not Path(ldconfig).is_file():
        return None
    listing = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout
    for name, path in _LOADER_ENTRY.findall(listing):
        if name != soname:
            continue
        # dpkg knows a file by the path its package installed: with /lib merged into /usr/lib,
        # that is either the loader's path or the file it resolves to.
        for candidate in dict.fromkeys((path, str(Path(path).resolve()))):
            search = subprocess.run(["dpkg-query", "-S", candidate], capture_output=True,
                                    text=True, check=False)
            owners = [line for line in search.stdout.splitlines()
                      if not line.startswith("diversion by ")]
            if search.returncode == 0 and owners:
                # "libxi6:amd64: /usr/lib/x86_64-linux-gnu/libXi.so.6.1.0"
                return owners[0].split(": ", 1)[0].split(", ")[0].split(":")[0]
    return None


def debian_depends(
    requirements: SystemRequirements,
    find_package: Callable[[str], str | None] = installed_package,
) -> list[str]:
    """The Depends entries for what the bundle needs from the system, libc6 first.

    Each library is mapped by SYSTEM_PACKAGES, else by `find_package` (the build machine's
    dpkg). One neither knows is left out of Depends and named in a warning on stderr: the
    build machine may have libraries the table's author's lacked (issue 10), and the app still
    runs wherever they are installed, so a missing entry should not stop the build.
    """
    packages: set[str] = set()
    unmapped = []
    for library in sorted(requirements.libraries - _GLIBC_LIBRARIES):
        package = SYSTEM_PACKAGES.get(library) or find_package(library)
        if package is None:
            unmapped.append(library)
        else:
            packages.add(package)
    if unmapped:
        print(f"warning: no Debian package found for {', '.join(unmapped)}: the .deb does not "
              "depend on them; add them to SYSTEM_PACKAGES in packaging/installers.py",
              file=sys.stderr, flush=True)
    # dpkg's "libglib2.0-0" for libgobject is already in the table's "libglib2.0-0t64 | ...".
    alternatives = {name for entry in packages if " | " in entry for name in entry.split(" | ")}
    kept = {package for package in packages if " | " in package or package not in alternatives}
    return [f"libc6 (>= {requirements.glibc})", *sorted(kept)]


def _root_owned(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    return info


def build_tarball(bundle: Path, dist: Path, version: str) -> Path:
    """tolk-VERSION-linux-x86_64.tar.gz: the bundle plus a menu entry and its installer.

    Unpacked, `tolk-VERSION/tolk` and `tolk-VERSION/tolk-gui` run in place;
    `install-desktop-entry.sh` adds the app to the user's application menu.
    """
    top = f"tolk-{version}"
    tarball = dist / f"{top}-linux-x86_64.tar.gz"
    partial = tarball.with_name(tarball.name + ".partial")
    with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
        archive.add(bundle, arcname=top, filter=_root_owned)
        for extra in (LINUX / "tolk.desktop", LINUX / "install-desktop-entry.sh",
                      ICONS / "tolk.png", ICONS / "tolk.svg"):
            archive.add(extra, arcname=f"{top}/{extra.name}", filter=_root_owned)
    partial.replace(tarball)
    return tarball


def _architecture() -> str:
    result = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                            check=False)
    return result.stdout.strip() or "amd64"


def _control(bundle: Path, version: str, installed_kib: int) -> str:
    depends = debian_depends(system_requirements(bundle))
    return (
        "Package: tolk\n"
        f"Version: {version}\n"
        f"Architecture: {_architecture()}\n"
        "Maintainer: Tolk maintainers <maintainers@tolk.invalid>\n"
        f"Installed-Size: {installed_kib}\n"
        f"Depends: {', '.join(depends)}\n"
        "Section: utils\n"
        "Priority: optional\n"
        "Description: offline translator for the desktop\n"
        " Translates text and documents on this computer with CTranslate2 models,\n"
        " without a network connection. Includes an English to French demo model.\n"
    )


def stage_deb_tree(bundle: Path, root: Path, version: str) -> Path:
    """The file tree of the .deb under `root` (the app in /opt/tolk, launchers in /usr)."""
    shutil.copytree(bundle, root / INSTALL_PREFIX, symlinks=True)
    usr_bin = root / "usr" / "bin"
    usr_bin.mkdir(parents=True)
    for executable in ("tolk", "tolk-gui"):
        if (bundle / executable).exists():
            # Relative, so the tree also works unpacked elsewhere (dpkg-deb -x into a folder).
            (usr_bin / executable).symlink_to(f"../../{INSTALL_PREFIX}/{executable}")
    share = root / "usr" / "share"
    if (bundle / "tolk-gui").exists():
        (share / "applications").mkdir(parents=True)
        shutil.copy2(LINUX / "tolk.desktop", share / "applications" / "tolk.desktop")
        for size_dir, icon in (("256x256", "tolk.png"), ("scalable", "tolk.svg")):
            target = share / "icons" / "hicolor" / size_dir / "apps"
            target.mkdir(parents=True)
            shutil.copy2(ICONS / icon, target / icon)
    (share / "doc" / "tolk").mkdir(parents=True)
    shutil.copy2(LICENSE, share / "doc" / "tolk" / "copyright")
    installed_bytes = sum(p.lstat().st_size for p in root.rglob("*") if not p.is_dir())
    debian = root / "DEBIAN"
    debian.mkdir()
    control = _control(bundle, version, -(-installed_bytes // 1024))
    (debian / "control").write_text(control, encoding="utf-8")
    for path in [root, *root.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    return root


def build_deb(bundle: Path, dist: Path, version: str, *, xz_level: int = 6) -> Path:
    """tolk_VERSION_ARCH.deb, built with dpkg-deb (files owned by root, xz-compressed).

    xz level 6 (dpkg's default) takes minutes on two cores; level 1 takes a fifth of that
    for a package about 15% larger, which is what test builds use.
    """
    staging = dist / ".deb-root"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        stage_deb_tree(bundle, staging, version)
        deb = dist / f"tolk_{version}_{_architecture()}.deb"
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", "-Zxz", f"-z{xz_level}", "--build", str(staging),
             str(deb)],
            check=True, capture_output=True, text=True,
        )
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return deb
