#!/bin/sh
# A broken theme is reported as file:line and the console still runs; the help overlay
# lists the keymap's bindings; NO_COLOR and an 8-colour terminal work.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 2 --devices 20

theme="$PWD/tests/fixtures/config/broken-theme"
tui_start 160 30 --theme "$theme"
tui_wait "2 loaded"
tui_wait "broken-theme:3: "
# The other lines applied and the table works.
tui_keys j
tui_wait "row 2"
# ? lists the bindings, generated from the keymap, and the theme's errors.
tui_keys "?"
tui_wait "Keys: Products"
tui_wait "move-down"
tui_wait "broken-theme:4: "
tui_keys Escape
tui_wait_gone "Keys: Products"
tui_keys q
tui_wait "IOTDECK-EXIT=0"
tui_stop

# Run from the build tree (as make demo does): every shipped theme and keymap is found
# without make install; a keymap that does not exist is reported like a theme.
tui_start 120 30 --theme light --keymap vim
tui_wait "2 loaded"
sleep 0.3
tui_screen | grep -E "no (theme|keymap)" && fail "a shipped theme or keymap was not found"
tui_keys q
tui_wait "IOTDECK-EXIT=0"
tui_stop
tui_start 160 30 --keymap no-such-keymap
tui_wait "2 loaded"
tui_wait "no keymap 'no-such-keymap'"
tui_keys q
tui_wait "IOTDECK-EXIT=0"
tui_stop

# No colour at all, and a plain 8-colour terminal.
for term in "NO_COLOR=1" "TERM=xterm"; do
    TUI_ENV=$term tui_start 100 24
    tui_wait "2 loaded"
    tui_keys Enter
    tui_wait "devices: 10 loaded"
    tui_keys q
    tui_wait "IOTDECK-EXIT=0"
    tui_stop
done
pass
