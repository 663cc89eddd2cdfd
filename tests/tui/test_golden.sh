#!/bin/sh
# Golden screens: panes at 80x24 as an operator sees them, compared line by line with the
# files in tests/fixtures/golden/ (products, a product's devices, a device, OTA firmware).
# The fleet comes from a fixed seed and no device changes status (--flap-minutes 0), times
# are shown in UTC, times of today (when a value was read) are masked as
# yyyy-mm-dd hh:mm:ss, a device's simulated property values are masked (random in the
# simulator), and the last line (the API's live rate) is left out. On a mismatch
# the diff is printed. UPDATE_GOLDEN=1 (make update-golden) writes the files anew: review
# the diff before committing them.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 5 --products 2 --devices 400 --time-scale 10 --flap-minutes 0
TUI_ENV="TZ=UTC"
dir=tests/fixtures/golden
bad=0

# The screen without what is not the same from run to run: the last line, times of today,
# and the simulated property values of a device (their rows keep the identifier and name).
masked() {
    tui_screen | sed '$d' | sed -E \
        's/20(2[5-9]|[3-9][0-9])-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}/yyyy-mm-dd hh:mm:ss/g' |
        awk '/^ Identifier / { props = 1; print; next }
             / properties, / { props = 0 }
             props { printf " %s %s (value masked)\n", $1, $2; next }
             { print }'
}

# golden NAME — compares the screen (settled) with $dir/NAME-80x24.txt, or writes it.
golden() {
    _file=$dir/$1-80x24.txt
    # Rows arrive in API order and values come in: give the last frame time to settle.
    sleep 1
    _got=$(masked)
    if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
        printf '%s\n' "$_got" > "$_file"
        echo "test_golden: wrote $_file"
        return
    fi
    [ -f "$_file" ] || fail "no $_file (run make update-golden and review it)"
    if ! printf '%s\n' "$_got" | diff -u "$_file" - >&2; then
        echo "test_golden: the $1 pane at 80x24 differs from $_file (above)" >&2
        bad=1
    fi
}

tui_start 80 24
tui_wait "2 loaded" 10
golden products
tui_keys Enter
tui_wait "devices: 200 loaded" 20
golden devices
tui_keys Enter
tui_wait "ErrorHistory" 10
tui_wait "live every" 10
golden device
tui_keys Escape
tui_wait "devices: 200 loaded" 10
tui_keys Escape
tui_wait "products: 2 loaded" 10
tui_keys 5
tui_wait "firmware: 2 loaded" 10
golden firmware
[ $bad = 0 ] || fail "golden screens differ (make update-golden rewrites them when the change is meant)"
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
