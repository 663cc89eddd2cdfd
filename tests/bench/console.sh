#!/bin/sh
# console.sh BUILD [DEVICES] — the real console in tmux against iotdeck-sim: time to the
# first frame, time until a product's DEVICES devices are all loaded (the QPS floor is
# pages / 50), and the console's peak RSS with them loaded. Prints figures.
set -u
BUILD=${1:-build}
ndev=${2:-100000}
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 3 --products 1 --devices "$ndev"

t0=$(date +%s.%N)
tui_start 160 44
tui_wait "1 loaded" 30
t1=$(date +%s.%N)
pid=$(pgrep -n -f "^$BUILD/iotdeck\$" || pgrep -n -x iotdeck)
tui_keys Enter
tui_wait "devices: " 10
t2=$(date +%s.%N)
tui_wait "devices: $ndev loaded" 600
t3=$(date +%s.%N)
hwm=$(awk '/VmHWM/ { print $2 }' "/proc/$pid/status" 2>/dev/null)
pages=$(( (ndev + 49) / 50 ))
python3 - "$t0" "$t1" "$t2" "$t3" "$ndev" "$pages" "${hwm:-0}" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5]); ndev, pages, hwm = map(int, sys.argv[5:8])
floor = pages / 50.0
print("console against iotdeck-sim, one product of %d devices" % ndev)
print("  %-34s %7.0f ms" % ("start to first frame (products)", (t1 - t0) * 1e3))
print("  %-34s %7.0f ms" % ("Enter to the first device rows", (t2 - t1) * 1e3))
print("  %-34s %7.1f s  (floor %d pages / 50 QPS = %.1f s, ratio %.3f)" % (
    "all devices loaded", t3 - t2, pages, floor, (t3 - t2) / floor))
print("  %-34s %7.1f MiB%s" % ("peak RSS of the console", hwm / 1024.0,
    "  (goal <= 40 MiB at 100,000 devices)" if ndev == 100000 else
    "  (goal <= 300 MiB at 1,000,000 devices)" if ndev == 1000000 else ""))
PY
tui_keys q
