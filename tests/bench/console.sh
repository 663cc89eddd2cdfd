#!/bin/sh
# console.sh BUILD [DEVICES] — the real console in tmux against iotdeck-sim: time to the
# first frame, time until a product's DEVICES devices are all loaded (the QPS floor is
# pages / 50), and the console's peak RSS with them loaded. Then the devices pane's own
# page handling (BUILD/bench/pane-bench, built by tests/bench/run) at DEVICES and at
# BENCH_BIG_DEVICES (1,000,000): loading that many into the real console over the
# simulator takes hours (the deep-page rate is 2 QPS, and a NextToken walk stops at
# 500,000 devices), so the console's figure there is its figure at DEVICES plus what the
# pane's rows grow by from DEVICES to 1,000,000. Prints figures.
set -u
BUILD=${1:-build}
ndev=${2:-100000}
big=${BENCH_BIG_DEVICES:-1000000}
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
tui_keys q
pages=$(( (ndev + 49) / 50 ))
# The pane's page handling alone, at DEVICES and at the big size: "N peak_kib rows s base".
pane=""
if [ -x "$BUILD/bench/pane-bench" ]; then
    pane=$("$BUILD/bench/pane-bench" "$BUILD/iotdeck-sim" "$ndev" "$big" | tr '\n' ' ')
fi
python3 - "$t0" "$t1" "$t2" "$t3" "$ndev" "$pages" "${hwm:-0}" "$big" $pane <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5]); ndev, pages, hwm, big = map(int, sys.argv[5:9])
pane = sys.argv[9:]
floor = pages / 50.0
def goal(n):
    return ("  (goal <= 40 MiB at 100,000 devices)" if n == 100000 else
            "  (goal <= 300 MiB at 1,000,000 devices)" if n == 1000000 else "")
print("console against iotdeck-sim, one product of %d devices" % ndev)
print("  %-34s %7.0f ms" % ("start to first frame (products)", (t1 - t0) * 1e3))
print("  %-34s %7.0f ms" % ("Enter to the first device rows", (t2 - t1) * 1e3))
print("  %-34s %7.1f s  (floor %d pages / 50 QPS = %.1f s, ratio %.3f)" % (
    "all devices loaded", t3 - t2, pages, floor, (t3 - t2) / floor))
print("  %-34s %7.1f MiB%s" % ("peak RSS of the console", hwm / 1024.0, goal(ndev)))
runs = {}
for i in range(0, len(pane) - 4, 5):
    n, peak, rows, secs, base = int(pane[i]), int(pane[i + 1]), int(pane[i + 2]), \
        float(pane[i + 3]), int(pane[i + 4])
    runs[n] = (peak, rows, secs, base)
if not runs:
    print("  (no pane-bench: the devices pane at %d devices not measured)" % big)
    sys.exit(0)
print("devices pane's page handling (loader + pane_devices row code, real QueryDevice "
      "page JSON parsed per page, no terminal)")
for n in sorted(runs):
    peak, rows, secs, base = runs[n]
    print("  %-34s %7.1f MiB peak RSS (%.0f bytes a device over the process's %.1f MiB "
          "before it), %d rows in %.1f s%s" % ("%d devices" % n, peak / 1024.0,
          (peak - base) * 1024.0 / max(n, 1), base / 1024.0, rows, secs,
          "" if rows == n else "  (WRONG ROW COUNT)"))
if ndev in runs and big in runs and hwm > 0:
    est = hwm + runs[big][0] - runs[ndev][0]
    print("  %-34s %7.1f MiB = the console at %d (%.1f) + the pane's growth to %d (%.1f)%s"
          % ("console at %d devices" % big, est / 1024.0, ndev, hwm / 1024.0, big,
             (runs[big][0] - runs[ndev][0]) / 1024.0, goal(big)))
PY
