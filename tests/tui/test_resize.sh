#!/bin/sh
# Tiny, odd and huge sizes while opening panes and overlays: never a crash.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 2 --devices 20
tui_start 80 24
tui_wait "2 loaded"
for s in "10 3" "1 1" "30 6" "29 5" "200 60" "80 24"; do
  set -- $s
  tui_tmux resize-window -t t -x $1 -y $2; sleep 0.3
  tui_keys j Enter; sleep 0.2; tui_keys Escape ":" "ota" Enter; sleep 0.2; tui_keys "?"; sleep 0.1; tui_keys Escape
done
tui_tmux resize-window -t t -x 80 -y 24; sleep 0.3
tui_keys : products Enter
tui_wait "2 loaded"
tui_keys q
tui_wait "IOTDECK-EXIT=0"
pass
