#!/bin/sh
# Golden screens: the devices pane of a product at 80x24, as an operator sees it, compared
# line by line with tests/tui/golden/devices-80x24.txt. The fleet comes from a fixed seed and
# no device changes status (--flap-minutes 0), times are shown in UTC; the last line (the
# API's live rate) is left out. UPDATE_GOLDEN=1 writes the file anew (review the diff).
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 5 --products 2 --devices 400 --time-scale 10 --flap-minutes 0
TUI_ENV="TZ=UTC"

golden=tests/tui/golden/devices-80x24.txt
tui_start 80 24
tui_wait "2 loaded" 10
tui_keys Enter
tui_wait "devices: 200 loaded" 20
# Rows arrive in API order; give the last frame time to settle.
sleep 1
got=$(tui_screen | sed '$d')
if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
    printf '%s\n' "$got" > "$golden"
    echo "test_golden: wrote $golden"
    exit 0
fi
[ -f "$golden" ] || fail "no $golden (run with UPDATE_GOLDEN=1 and review it)"
if ! printf '%s\n' "$got" | diff -u "$golden" - >&2; then
    fail "the devices pane at 80x24 differs from $golden"
fi
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
