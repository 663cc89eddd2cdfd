#!/bin/sh
# Retrying an operation from the operations pane, against iotdeck-sim with faults: r
# re-runs the failed and unsent devices only (the unknown ones are left out and the
# question says so); a second r asks about the unknown ones, typed, saying they may have
# been carried out; a third finds nothing left. Each retry is a new operation of exactly
# those devices.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
export TUI_ENV="XDG_STATE_HOME=$TUI_HOME/state"
start_sim --seed 3 --products 6 --devices 1200 --flap-minutes 0 --fault-rate 0.2 \
    --fault-kinds 5xx,reset,truncate
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
pk=""
i=0
while [ -z "$pk" ] && [ $i -lt 10 ]; do
    pk=$("$BUILD/iotdeck" --endpoint "$SIM_URL" export products 2>/dev/null | grep power-meter |
        cut -d, -f1)
    i=$((i + 1))
done
[ -n "$pk" ] || fail "no power meter product"
counts() {	# ok failed unknown notsent total of the operation shown
    tui_screen | grep -o '[0-9]* ok, [0-9]* failed, [0-9]* unknown, [0-9]* not sent of [0-9]*' |
        awk '{print $1, $3, $5, $7, $11}'
}

tui_start 160 40
tui_wait "loaded" 20
tui_keys : "devices $pk" Enter
tui_wait "200 loaded" 60
tui_keys ":mark all" Enter
tui_wait "200 marked" 10
tui_keys : "set Tariff=1" Enter
tui_wait "Type 200 and Enter" 10
tui_keys 200 Enter
tui_wait "sending to 200 devices" 10
tui_keys : ops Enter
tui_wait "Operations" 10
tui_keys Enter
tui_wait "of 200, done" 60
set -- $(counts)
ok=$1 failed=$2 unknown=$3 notsent=$4
again=$((failed + notsent))
[ "$again" -gt 0 ] && [ "$unknown" -gt 0 ] ||
    fail "the faults gave $failed failed and $unknown unknown: the test needs both"

# r: the failed and unsent only; the unknown ones left out, and said so.
tui_keys r
tui_wait "on the $again device" 10
tui_screen | grep -q "$unknown with an unknown outcome are left out" ||
    fail "the question does not say the unknown ones are left out"
if [ "$again" -gt 10 ]; then tui_keys "$again" Enter; else tui_keys y; fi
tui_wait "retrying $again device" 10
# A second r: the unknown ones, only after typing "unknown".
tui_keys r
tui_wait "Type unknown and Enter to confirm" 10
tui_screen | grep -q "may have been carried" || fail "the question does not say why"
tui_keys "unk" Enter
tui_wait "That is not unknown" 10
tui_keys C-u unknown Enter
tui_wait "retrying $unknown device" 10
tui_keys r
tui_wait "nothing left to retry here" 10

# The retries are operations of their own, of exactly those devices.
tui_keys Escape
tui_wait "3 operations" 15
tui_wait_gone "running" 60
tui_screen | grep "set Tariff=1" | awk '{print $(NF-6)}' >/dev/null
totals=$(tui_screen | grep "set Tariff=1" | grep -o "done *[0-9]*" | awk '{print $2}' | sort -n | tr '\n' ' ')
expect=$(printf '%s\n' "$unknown" "$again" 200 | sort -n | tr '\n' ' ')
[ "$totals" = "$expect" ] || { tui_screen >&2; fail "operations of $totals devices, expected $expect"; }
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
