#!/bin/sh
# Products -> devices -> device and back; breadcrumbs; Chinese names aligned; filter;
# sort; the command line; resize to 60x20; an escape sequence in a nickname shown inert.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 3 --devices 300

tui_start 120 30
tui_wait "Products" 10
tui_wait "3 loaded"
# Chinese product names of different widths: the next column starts at one place.
col1=$(tui_column "a1")
for pk in $(tui_screen | grep -oE 'a1[A-Za-z0-9]{9}' | sort -u); do
    c=$(tui_column "$pk")
    [ "$c" = "$col1" ] || fail "ProductKey $pk at column $c, others at $col1"
done

# Drill down: the last product (th-sensor) has the hostile nicknames.
tui_keys G Enter
tui_wait "Products › 温湿度传感器"
tui_wait "devices: 100 loaded"
tui_keys G
tui_wait "th-sensor-000002"
# The escape sequence in a nickname is drawn as a visible ␛, never passed through.
tui_screen | grep -q "␛\[31mALERT␛\[0m" || { tui_screen >&2; fail "escape sequence not shown inert"; }
tui_screen | grep -q "$(printf '\033')" && fail "a raw ESC reached the screen"

# Filter: field filter on status.
tui_keys / "status:online" Enter
tui_wait "filter status:online:"
tui_screen | sed -n '3,27p' | grep -E 'th-sensor-' | grep -vq ONLINE && fail "filter kept a row that is not ONLINE"
tui_keys Escape
tui_wait_gone "filter status:online"

# Open a device, see its properties, go back twice.
tui_keys g Enter
tui_wait "IotId"
tui_wait "properties, live"
tui_wait "Products › 温湿度传感器 (a1"
tui_keys Escape
tui_wait "devices: 100 loaded"
tui_keys Escape
tui_wait "3 loaded"

# :stats shows what the API budget is spent on.
tui_keys : "stats" Enter
tui_wait "API statistics"
tui_wait "QueryDevice "
tui_keys Escape
tui_wait_gone "API statistics"

# The command line jumps anywhere.
tui_keys : "groups" Enter
tui_wait "Groups"
tui_keys : "products" Enter
tui_wait "3 loaded"

# Resize to 60x20: still drawn, nothing lost.
tui_tmux resize-window -t t -x 60 -y 20
sleep 0.3
tui_wait "Products"
lines=$(tui_screen | wc -l)
[ "$lines" -le 20 ] || fail "screen has $lines lines after resizing to 20"
wide=$(tui_screen | python3 -c '
import sys, unicodedata
w = max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l) for l in sys.stdin.read().split("\n"))
print(w)')
[ "$wide" -le 60 ] || fail "a line is $wide columns wide after resizing to 60"

# Quit.
tui_keys q
tui_wait "IOTDECK-EXIT=0"
pass
