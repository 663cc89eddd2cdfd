#!/bin/sh
# What does not exist says so within one answer; what could not be refreshed says it is
# stale; errors leave the status bar when the same request next succeeds, and `e` shows
# their history in full, closing only with Esc or q.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 3 --devices 60
call() {
    env ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET \
        "$BUILD/iotdeck" --endpoint "$SIM_URL" --region cn-shanghai call "$@"
}
pk=$(call QueryProductList CurrentPage=1 PageSize=10 | python3 -c '
import json, sys
print(json.load(sys.stdin)["Data"]["List"]["ProductInfo"][0]["ProductKey"])') || fail "no product"
dev=$(call QueryDevice ProductKey="$pk" CurrentPage=1 PageSize=1 | python3 -c '
import json, sys
print(json.load(sys.stdin)["Data"]["DeviceInfo"][0]["DeviceName"])') || fail "no device"

tui_start 120 40
tui_wait "3 loaded" 10

# Things that do not exist: a clear state with the API's code, never an endless wait.
tui_keys : "device $pk/no-such-device" Enter
tui_wait "no-such-device (not found)" 10
tui_wait "iot.device.NotExistedDevice" 5
tui_screen | grep -q "loading…" && fail "a device that does not exist is still loading"
tui_keys : "tasks zzz" Enter
tui_wait "zzz (not found)" 10
tui_wait "iot.ota.InvalidJobId" 5
tui_screen | grep -q "counting…" && fail "the tasks of a job that does not exist are still counted"
tui_keys : "devices NOPE123" Enter
tui_wait "NOPE123 (not found)" 10
tui_wait "iot.prod.NotExistedProduct" 5

# A device deleted while it is open.
call RegisterDevice ProductKey="$pk" DeviceName=doomed-01 >/dev/null || fail "RegisterDevice"
tui_keys : "device $pk/doomed-01" Enter
tui_wait "properties, live every 2 s" 10
call DeleteDevice ProductKey="$pk" DeviceName=doomed-01 >/dev/null || fail "DeleteDevice"
tui_wait "doomed-01 (not found)" 15

# The simulator goes away: the device's values and status say how old they are.
tui_keys : "device $pk/$dev" Enter
tui_wait "properties, live every 2 s" 10
sleep 1
port=$SIM_PORT
stop_sim
tui_wait "stale: as of" 15
tui_screen | grep -q "live every 2 s" && fail "a failed refresh still claims to be live"
tui_wait " ! " 5

# e: the history in full; a stray key does not close it; q does.
tui_keys e
tui_wait "Errors, newest first" 5
tui_wait "QueryDevicePropertyStatus" 5
tui_keys j x
sleep 0.3
tui_screen | grep -q "Errors, newest first" || fail "a stray key closed the error view"
tui_keys q
tui_wait_gone "Errors, newest first" 5

# It comes back: live again, and the error leaves the status bar.
start_sim --seed 1 --products 3 --devices 60 --listen 127.0.0.1:$port 2>/dev/null ||
    fail "the simulator did not restart on port $port"
tui_wait "properties, live every 2 s" 20
tui_wait_gone " ! QueryDevicePropertyStatus" 15
tui_keys e
tui_wait "Errors, newest first" 5
tui_keys Escape
tui_wait_gone "Errors, newest first" 5
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
