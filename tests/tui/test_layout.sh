#!/bin/sh
# An 80-column screen an operator can read (and 120x40): columns get width by priority and
# content. The devices pane shows every DeviceName, Nickname and Status whole and nothing cut
# ("…") while the ProductKey every row shares goes last or goes; a column empty in every row
# (the From of full firmware packages) is left out; the OTA tasks pane never cuts a task's
# percentage; the device pane keeps Last online, Groups and Tags on screen.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 5 --products 2 --devices 400 --time-scale 10 --flap-minutes 0

# The table's lines: those below the header line holding WORD, down to the info line.
rows() {
    tui_screen | awk -v h="$1" 'found && /^ [a-z]+: / { exit } found { print } index($0, h) { found = 1 }'
}
header() { tui_screen | grep -m1 -F -- "$1"; }
# The display column of WORD in LINE.
col_in() {
    python3 -c '
import sys, unicodedata
line, word = sys.argv[1], sys.argv[2]
i = line.find(word)
print(-1 if i < 0 else sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i]))
' "$1" "$2"
}

check_size() {
    w=$1; h=$2
    tui_start "$w" "$h"
    tui_wait "2 loaded" 10
    # A product's devices.
    tui_keys Enter
    tui_wait "devices: 200 loaded" 20
    sleep 0.3
    hdr=$(header "DeviceName")
    for c in DeviceName Nickname Status; do
        echo "$hdr" | grep -q "$c" || { tui_screen >&2; fail "${w}x$h: no $c column"; }
    done
    if echo "$hdr" | grep -q ProductKey; then
        [ "$(col_in "$hdr" ProductKey)" -gt "$(col_in "$hdr" Status)" ] &&
        [ "$(col_in "$hdr" ProductKey)" -gt "$(col_in "$hdr" Nickname)" ] ||
            { tui_screen >&2; fail "${w}x$h: the ProductKey every row shares comes before the names"; }
    fi
    # Every row on screen (the table is h - 4 lines) names its device whole.
    i=0
    while rows DeviceName > "$TUI_HOME/rows"
          [ "$(grep -cE '^[ +][a-z]+-[a-z]+-[0-9]{6} ' "$TUI_HOME/rows")" -lt $((h - 4)) ]; do
        i=$((i + 1))
        [ $i -gt 50 ] && { tui_screen >&2; fail "${w}x$h: device names are not shown whole"; }
        sleep 0.1
    done
    grep -q "…" "$TUI_HOME/rows" && { tui_screen >&2; fail "${w}x$h: a cell of the devices pane is cut"; }

    # One device: its header keeps Last online, Groups and Tags.
    tui_keys Enter
    tui_wait "properties, live" 10
    tui_wait "Groups " 10
    for f in "Last online" "Groups " "Tags " "Status " "IotId "; do
        tui_screen | grep -q "$f" || { tui_screen >&2; fail "${w}x$h: the device pane lost '$f'"; }
    done
    tui_keys Escape
    tui_wait "devices: 200 loaded" 10

    # OTA: the firmware's empty From column is left out; the tasks of a job.
    tui_keys 5
    tui_wait "firmware: 2 loaded" 10
    sleep 0.3
    header "FirmwareId" | grep -q " From " && { tui_screen >&2; fail "${w}x$h: the empty From column of the firmware is drawn"; }
    header "Version" >/dev/null || { tui_screen >&2; fail "${w}x$h: no firmware header"; }
    tui_keys Enter
    tui_wait "upgrade" 10
    tui_keys Enter
    tui_wait "Job " 10
    tui_wait "tasks: 50 loaded" 20
    sleep 0.5
    hdr=$(header "Device ")
    echo "$hdr" | grep -q "%" || { tui_screen >&2; fail "${w}x$h: no percentage column in the tasks pane"; }
    rows "Device " > "$TUI_HOME/rows"
    n=$(grep -cE '(CONFIRM|QUEUED|NOTIFIED|IN_PROGRESS|SUCCEEDED|FAILED|CANCELED)' "$TUI_HOME/rows")
    [ "$n" -ge 5 ] || { tui_screen >&2; fail "${w}x$h: no task rows"; }
    # Every task row with a progress shows its whole percentage, never "1…".
    grep -E '(IN_PROGRESS|SUCCEEDED)' "$TUI_HOME/rows" | grep -vqE '[0-9]{1,3}%' &&
        { tui_screen >&2; fail "${w}x$h: a task's percentage is cut"; }
    grep -E 'SUCCEEDED' "$TUI_HOME/rows" | grep -vqE '100%' &&
        { tui_screen >&2; fail "${w}x$h: a finished task does not say 100%"; }
    tui_keys q
    tui_wait "IOTDECK-EXIT=0" 10
    tui_stop
}

check_size 80 24
check_size 120 40
pass
