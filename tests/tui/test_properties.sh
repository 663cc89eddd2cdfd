#!/bin/sh
# A device's properties: every property of the thing model is listed, a device that never
# reported shows each one as "never reported" (not an empty table), one that reports shows
# values and times.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 3 --devices 30
call() {
    env ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET \
        "$BUILD/iotdeck" --endpoint "$SIM_URL" --region cn-shanghai call "$@"
}
pk=$(call QueryProductList CurrentPage=1 PageSize=10 | python3 -c '
import json, sys
print(json.load(sys.stdin)["Data"]["List"]["ProductInfo"][0]["ProductKey"])') || fail "no product"
call RegisterDevice ProductKey="$pk" DeviceName=fresh-device-01 >/dev/null || fail "RegisterDevice"
nprops=$(call QueryDevicePropertyStatus ProductKey="$pk" DeviceName=fresh-device-01 | python3 -c '
import json, sys
print(len(json.load(sys.stdin)["Data"]["List"]["PropertyStatusInfo"]))')
[ "$nprops" -gt 0 ] || fail "the simulator lists no property of a device that never reported"

tui_start 120 40
tui_wait "loaded" 10
tui_keys : "device $pk/fresh-device-01" Enter
tui_wait "properties" 10
tui_wait "never reported" 10
shown=$(tui_screen | grep -c "never reported")
[ "$shown" -ge "$nprops" ] || [ "$shown" -ge 5 ] || { tui_screen >&2; fail "only $shown never-reported properties shown of $nprops"; }
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
