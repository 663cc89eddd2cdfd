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

# No colour at all, and a plain 8-colour terminal.
for term in "NO_COLOR=1" "TERM=xterm"; do
    TUI_SOCK="iotdeck-tui-$$-b"
    tui_tmux new-session -d -s t -x 100 -y 24 "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 $term ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET IOTDECK_ENDPOINT=$SIM_URL XDG_CONFIG_HOME=$TUI_HOME $BUILD/iotdeck; echo IOTDECK-EXIT=\$?; sleep 30"
    tui_wait "2 loaded"
    tui_keys Enter
    tui_wait "devices: 10 loaded"
    tui_keys q
    tui_wait "IOTDECK-EXIT=0"
    tui_stop
done
pass
