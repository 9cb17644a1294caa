#!/bin/sh
# Adds Tolk to the application menu of the current user. Run it from the unpacked folder;
# run it again after moving the folder.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$data/applications" "$data/icons/hicolor/256x256/apps"
cp "$here/tolk.png" "$data/icons/hicolor/256x256/apps/tolk.png"
# The menu entry needs the absolute path of this copy (quoted: it may contain spaces).
{
    grep -v '^Exec=' "$here/tolk.desktop"
    printf 'Exec="%s"\n' "$here/tolk-gui"
} > "$data/applications/tolk.desktop"
echo "Tolk added to the application menu: $data/applications/tolk.desktop"
