#!/bin/sh
# The command line: Tab completes the common prefix and lists the candidates (ProductKeys
# with their names); :help lists every command and scrolls; the breadcrumb names a product
# and its key; a filter that does not compile keeps the prompt open with the error.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 3 --devices 60

tui_start 80 24
tui_wait "3 loaded" 10

# Commands: "dev" is the start of device and devices (not of desired or delete).
tui_keys : "dev" Tab
tui_wait ":device PRODUCTKEY/DEVICENAME" 5
tui_wait ":devices [PRODUCTKEY]" 5
tui_screen | tail -1 | grep -q ":device" || fail "the common prefix was not completed"
tui_keys C-u Escape

# ProductKeys: every product starts with a1, listed with its name.
tui_keys : "devices a" Tab
tui_wait "温湿度传感器" 5
n=$(tui_screen | grep -cE '^ a1[A-Za-z0-9]{9}  ')
[ "$n" -eq 3 ] || { tui_screen >&2; fail "$n ProductKeys listed, expected 3"; }
# Type enough of one to make it unique, then Tab finishes it.
pk=$(tui_screen | grep -oE '^ a1[A-Za-z0-9]{9}  温湿度传感器' | awk '{print $1}')
[ -n "$pk" ] || fail "no ProductKey for 温湿度传感器 in the list"
tui_keys C-u "devices $(echo "$pk" | cut -c1-8)" Tab
tui_wait ":devices $pk" 5
tui_keys Enter
tui_wait "Products › 温湿度传感器 ($pk)" 10
tui_wait "devices: 20 loaded" 10

# :help lists every command, one a line, and scrolls at 80x24.
tui_keys : "help" Enter
tui_keys G
tui_wait ":quit :q" 5
# The views' commands (panes.def) come first: :ops is some pages up.
i=0
until tui_screen | grep -q ":ops :operations"; do
    i=$((i + 1)); [ $i -gt 8 ] && fail "':ops :operations' is not listed"
    tui_keys C-u; sleep 0.3
done
tui_keys q
tui_wait_gone ":quit :q" 5

# A bad regular expression: the prompt stays, with the error, until Esc.
tui_keys / "/[unclosed/" Enter
sleep 0.3
tui_screen | tail -1 | grep -q "/\[unclosed/" || { tui_screen >&2; fail "the prompt closed on a bad regular expression"; }
tui_keys Escape
tui_wait_gone "unclosed" 5
tui_screen | grep -q "filter" && fail "Esc did not give the old filter back"
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
