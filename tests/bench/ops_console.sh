#!/bin/sh
# ops_console.sh BUILD [DEVICES] — the console's key-to-frame time while it writes: the
# real console in tmux against iotdeck-sim, a product of DEVICES devices (default 10,000)
# loaded; 300 cursor keys while browsing, then :mark all, :set on every device (one
# operation, SetDeviceProperty at 500 QPS: DEVICES / 500 s) and 300 cursor keys while it
# runs. The console measures itself (from reading a key to the end of the frame that shows
# it: :stats); the goal is the same figures during the batch as while browsing. Also the
# batch's time against its floor. Prints figures; asserts nothing.
set -u
BUILD=${1:-build}
ndev=${2:-10000}
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
export TUI_ENV="XDG_STATE_HOME=$TUI_HOME/state"
start_sim --seed 5 --products 1 --devices "$ndev" --flap-minutes 0
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
pk=$("$BUILD/iotdeck" --endpoint "$SIM_URL" export products 2>/dev/null | sed -n 2p | cut -d, -f1)

# Cursor keys, paced like a held key (about 30 a second), none waiting for the screen.
keys() {
    _i=0
    while [ "$_i" -lt 150 ]; do
        tui_keys Down
        tui_keys Up
        sleep 0.03
        _i=$((_i + 1))
    done
}
stats() {
    tui_keys : stats Enter
    tui_wait "keys to frame" 10
    tui_screen | grep -o 'keys to frame: .*keys)'
    tui_keys Escape
    tui_wait_gone "keys to frame" 10
}

tui_start 160 44 --audit-log "$TUI_HOME/audit.log"
tui_wait "1 loaded" 30
tui_keys : "devices $pk" Enter
tui_wait "devices: $ndev loaded" 120
stats >/dev/null
keys
browse=$(stats)
tui_keys : "mark all" Enter
tui_wait "$ndev marked" 10
tui_keys : "set ReportInterval=60" Enter
tui_wait "Type $ndev and Enter" 10
tui_keys "$ndev" Enter
t0=$(date +%s.%N)
tui_wait "sending to $ndev devices" 10
keys
during=$(stats)
tui_wait_gone "writing:" 120
t1=$(date +%s.%N)
lines=$(python3 -c '
import collections, json, sys
c = collections.Counter(json.loads(l)["outcome"] for l in open(sys.argv[1]))
print(", ".join("%d %s" % (v, k) for k, v in sorted(c.items())))' "$TUI_HOME/audit.log")
python3 - "$ndev" "$t0" "$t1" "$lines" "$browse" "$during" <<'PY'
import sys
n, t0, t1, lines = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
browse, during = sys.argv[5], sys.argv[6]
floor = n / 500.0
print("console: key-to-frame while browsing and while writing (%d devices)" % n)
print("  %-34s %s" % ("browsing", browse.replace("keys to frame: ", "")))
print("  %-34s %s" % ("during the batch", during.replace("keys to frame: ", "")))
print("  %-34s %7.1f s  (floor %d / 500 QPS = %.1f s, ratio %.3f; audit log: %s)" % (
    "the batch from the console", t1 - t0, n, floor, (t1 - t0) / floor, lines))
PY
tui_keys q
