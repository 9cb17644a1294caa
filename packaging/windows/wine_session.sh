# Sourced by the Wine checks (check_with_wine.sh, build_with_wine.sh) after they set WORK,
# their temp folder: a fresh Wine prefix there, HOME and the XDG folders there too (Wine's
# menu entries stay out of the real desktop), its removal on exit (KEEP=1 keeps it), and
# the helpers that print each check and stop at the first failure.

export WINEPREFIX="$WORK/prefix" WINEARCH=win64 WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml="   # no Mono/Gecko installer prompts
export HOME="$WORK/home" XDG_DATA_HOME="$WORK/home/.local/share"
export XDG_CONFIG_HOME="$WORK/home/.config"
mkdir -p "$HOME"
cleanup() {
    wineserver -k 2>/dev/null || true
    if [[ -n "${KEEP:-}" ]]; then echo "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

step() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; exit 1; }
check() {  # check DESCRIPTION COMMAND...
    local what=$1; shift
    if "$@"; then ok "$what"; else fail "$what"; fi
}
