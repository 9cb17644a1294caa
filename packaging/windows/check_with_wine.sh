#!/usr/bin/env bash
# Developer check of the Windows installer on Linux, under Wine: compiles tolk.iss as the
# release workflow does, installs the setup silently for the user, installs it again over
# itself, uninstalls it, and checks each step. Prints every check; stops at the first failure
# with a non-zero exit. Not part of the test suite: CI builds and runs the real installer on
# Windows and needs no Wine.
#
#   packaging/windows/check_with_wine.sh /path/to/ISCC.exe    # or: ISCC=/path/to/ISCC.exe ...
#
# Needs wine with 32-bit support (Debian: dpkg --add-architecture i386; apt-get install wine
# wine32 wine64) and xvfb-run (package xvfb): Inno's setup builds its hidden wizard window
# even when silent. ISCC.exe is Inno Setup 6 (e.g. `npm install --prefix DIR innosetup`
# puts it in DIR/node_modules/innosetup/bin). Everything happens in a temp folder: a fresh
# Wine prefix, a stand-in bundle, and HOME/XDG folders, so that Wine's menu entries stay out
# of the real desktop. KEEP=1 keeps that folder.
#
# The stand-in bundle has the real one's shape (tolk.exe, tolk-gui.exe, _internal/ with a
# nested folder and a non-ASCII name); its executables are a copy of Wine's whoami.exe, a
# console program that runs. Wine lacks FOLDERID_UserProgramFiles, which {autopf} needs, so
# the installer under test is compiled a second time with /DProgramsDir={localappdata}\Programs
# (the same folder on Windows); the first compile is exactly the workflow's.
set -euo pipefail

if [[ -z "${TOLK_WINE_CHECK_XVFB:-}" ]]; then
    command -v xvfb-run >/dev/null || { echo "FAIL: xvfb-run not found (package xvfb)"; exit 1; }
    TOLK_WINE_CHECK_XVFB=1 exec xvfb-run -a "$0" "$@"
fi

ISCC=${1:-${ISCC:-}}
[[ -f "$ISCC" ]] || { echo "usage: $0 /path/to/ISCC.exe (or ISCC=...)"; exit 2; }
ISCC=$(realpath "$ISCC")
command -v wine >/dev/null || { echo "FAIL: wine not found"; exit 1; }
REPO=$(cd "$(dirname "$0")/../.." && pwd)
VERSION=0.1.0
APP_ID='{6F1B2C4E-8D3A-4B7F-9E21-5C0A7D94B3E8}_is1'
UNINSTALL_KEY="HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\$APP_ID"
USER_PATH='C:\tools;%USERPROFILE%\bin'   # a user Path from before the install

WORK=$(mktemp -d /tmp/tolk-wine-check.XXXXXX)
source "$REPO/packaging/windows/wine_session.sh"
winenv() { wine cmd /c "echo %$1%" | tr -d '\r'; }
unixpath() { winepath -u "$1" 2>/dev/null; }
user_path() {  # the raw user Path (REG_EXPAND_SZ, unexpanded), empty when there is none
    wine reg query 'HKCU\Environment' /v Path 2>/dev/null | tr -d '\r' \
        | sed -n 's/^ *Path *REG_[A-Z_]* *//p'
}
count_app_in_path() {
    user_path | tr ';' '\n' | grep -cixF "$APP_WIN" || true
}
run_setup() {  # run_setup LOGNAME [SETUP ARGUMENTS...]
    local log=$1 rc=0; shift
    wine "$SETUP" /VERYSILENT /SUPPRESSMSGBOXES "/LOG=$(winepath -w "$WORK/$log.log")" "$@" || rc=$?
    if ((rc)); then tail -20 "$WORK/$log.log"; fail "setup $* exited with $rc"; fi
}
new_session() {  # wait for every Wine process to end; the next one starts a fresh session
    wineserver -w
}

START=$SECONDS
step "Wine prefix"
wineboot -i >/dev/null 2>&1
wine winecfg /v win10 >/dev/null 2>&1
ok "$(wine --version), prefix $WINEPREFIX"
LOCALAPPDATA_WIN=$(winenv LOCALAPPDATA)
APPDATA_WIN=$(winenv APPDATA)
APP_WIN="$LOCALAPPDATA_WIN\\Programs\\Tolk"
APP=$(unixpath "$APP_WIN")
START_MENU=$(unixpath "$APPDATA_WIN\\Microsoft\\Windows\\Start Menu\\Programs")
DESKTOP_ENTRY="$XDG_DATA_HOME/applications/wine/Programs/Tolk.desktop"
DATA=$(unixpath "$LOCALAPPDATA_WIN\\tolk")
SETTINGS=$(unixpath "$APPDATA_WIN\\tolk")

step "Stand-in bundle"
BUNDLE="$WORK/bundle/tolk"
mkdir -p "$BUNDLE/_internal/PySide6/plugins/platforms" "$BUNDLE/_internal/données"
cp "$WINEPREFIX/drive_c/windows/system32/whoami.exe" "$BUNDLE/tolk.exe"
cp "$WINEPREFIX/drive_c/windows/system32/whoami.exe" "$BUNDLE/tolk-gui.exe"
echo "library" > "$BUNDLE/_internal/base_library.zip"
echo "plugin" > "$BUNDLE/_internal/PySide6/plugins/platforms/qwindows.dll"
echo "Grüße, 你好" > "$BUNDLE/_internal/données/Übersetzung-文字.txt"
check "bundle stand-in in $BUNDLE" test -f "$BUNDLE/_internal/données/Übersetzung-文字.txt"

step "Compile (as the release workflow does)"
cd "$REPO"
iscc() {  # iscc OUTDIR [EXTRA DEFINES...]
    local out=$1 rc=0; shift
    mkdir -p "$out"
    wine "$ISCC" "/DAppVersion=$VERSION" "/DBundleDir=$(winepath -w "$BUNDLE")" \
        "/DOutputDir=$(winepath -w "$out")" "$@" 'packaging\windows\tolk.iss' >"$out/iscc.log" 2>&1 || rc=$?
    if ((rc)); then tail -20 "$out/iscc.log"; fail "ISCC $* exited with $rc"; fi
    if grep -i 'warning' "$out/iscc.log"; then fail "ISCC $* warned"; fi
}
iscc "$WORK/dist"
check "compiled without warnings: dist/tolk-$VERSION-windows-x64-setup.exe" \
    test -s "$WORK/dist/tolk-$VERSION-windows-x64-setup.exe"
iscc "$WORK/dist-wine" '/DProgramsDir={localappdata}\Programs'
SETUP="$WORK/dist-wine/tolk-$VERSION-windows-x64-setup.exe"
check "compiled the Wine variant (/DProgramsDir={localappdata}\\Programs)" test -s "$SETUP"

step "Before the install: a user Path and the user's data"
wine reg add 'HKCU\Environment' /v Path /t REG_EXPAND_SZ /d "$USER_PATH" /f >/dev/null
mkdir -p "$DATA/models/demo-en-fr" "$SETTINGS"
echo "model" > "$DATA/models/demo-en-fr/model.bin"
echo "[General]" > "$SETTINGS/tolk.ini"
check "user Path is $(user_path)" test "$(user_path)" = "$USER_PATH"

step "Install silently for this user"
run_setup install
check "installed to %LOCALAPPDATA%\\Programs\\Tolk ($APP)" test -f "$APP/tolk.exe"
check "tolk-gui.exe installed" test -f "$APP/tolk-gui.exe"
check "nested folder installed" test -f "$APP/_internal/PySide6/plugins/platforms/qwindows.dll"
check "non-ASCII file name installed" cmp -s "$APP/_internal/données/Übersetzung-文字.txt" \
    "$BUNDLE/_internal/données/Übersetzung-文字.txt"
check "uninstaller unins000.exe" test -f "$APP/unins000.exe"
check "Start menu shortcut Programs\\Tolk.lnk" test -f "$START_MENU/Tolk.lnk"
check "no desktop shortcut (that task is unchecked by default)" \
    test ! -e "$(unixpath "$(winenv USERPROFILE)\\Desktop")/Tolk.lnk"
check "Wine's menu entry for the shortcut ($DESKTOP_ENTRY)" test -f "$DESKTOP_ENTRY"
wine reg query "$UNINSTALL_KEY" | tr -d '\r' >"$WORK/uninstall-entry.txt" || fail "no uninstall entry $UNINSTALL_KEY"
check "uninstall entry: DisplayName Tolk" grep -qE 'DisplayName +REG_SZ +Tolk$' "$WORK/uninstall-entry.txt"
check "uninstall entry: DisplayVersion $VERSION" grep -qE "DisplayVersion +REG_SZ +$VERSION$" "$WORK/uninstall-entry.txt"
check "uninstall entry: UninstallString" grep -qF 'unins000.exe' "$WORK/uninstall-entry.txt"
output=$(wine "$APP/tolk.exe" --version | tr -d '\r') || fail "installed tolk.exe exited with $?"
check "installed tolk.exe runs (printed: $output)" test -n "$output"
check "user Path has the app folder once: $(user_path)" test "$(count_app_in_path)" = 1
check "user Path kept its entries first, in order" test "$(user_path)" = "$USER_PATH;$APP_WIN"
new_session
output=$(wine cmd /c 'tolk --version' | tr -d '\r') || fail "tolk through PATH exited with $?"
check "a new session finds tolk through PATH (printed: $output)" test -n "$output"

step "Install the same version again over it (upgrade path)"
echo "stale" > "$APP/_internal/left-by-an-older-version.pyc"
run_setup reinstall
check "same folder (uninstall entry's InstallLocation)" test "$(wine reg query "$UNINSTALL_KEY" \
    /v InstallLocation | tr -d '\r' | sed -n 's/^ *InstallLocation *REG_SZ *//p')" = "$APP_WIN\\"
check "files still there" test -f "$APP/_internal/données/Übersetzung-文字.txt"
check "a file of an older version's _internal is gone" \
    test ! -e "$APP/_internal/left-by-an-older-version.pyc"
check "one uninstaller (no unins001.exe)" test ! -e "$APP/unins001.exe"
check "one Tolk folder (nothing in Program Files)" \
    test -z "$(find "$WINEPREFIX/drive_c/Program Files" "$WINEPREFIX/drive_c/Program Files (x86)" \
               -maxdepth 1 -iname 'tolk*' 2>/dev/null)"
check "user Path still has the app folder once" test "$(count_app_in_path)" = 1

step "Reinstall without the PATH task, then with it"
run_setup untick '/MERGETASKS=!addtopath'
check "unticked: app folder off the user Path, the rest as before: $(user_path)" \
    test "$(user_path)" = "$USER_PATH"
run_setup tick '/MERGETASKS=addtopath'
check "ticked again: app folder on the user Path once" test "$(count_app_in_path)" = 1

step "Uninstall silently"
wine "$APP/unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES || fail "unins000.exe exited with $?"
new_session   # the uninstaller's second phase runs from a temp copy
check "app folder removed" test ! -e "$APP"
check "Start menu shortcut removed" test ! -e "$START_MENU/Tolk.lnk"
# Wine removes its .desktop copy of a deleted .lnk on its own, at a later session start
# (winemenubuilder -r), so that file is not the uninstaller's to check.
if wine reg query "$UNINSTALL_KEY" >/dev/null 2>&1; then fail "uninstall entry still there"; fi
ok "uninstall entry removed"
check "user Path back to what it was: $(user_path)" test "$(user_path)" = "$USER_PATH"
check "user data kept: %LOCALAPPDATA%\\tolk\\models" test -f "$DATA/models/demo-en-fr/model.bin"
check "user settings kept: %APPDATA%\\tolk\\tolk.ini" test -f "$SETTINGS/tolk.ini"

step "All checks passed in $((SECONDS - START)) s"
