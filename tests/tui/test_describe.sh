#!/bin/sh
# A cut cell's full value is one key away: d describes the selected row (every column in
# full, the item's detail from the API, its raw JSON), wraps long values to the width,
# scrolls, never shows a secret, and closes with q or Esc, back where it was. At 80x24 and
# 120x40 (and 50x20 for the wrapping).
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 5 --products 2 --devices 40 --time-scale 10 --flap-minutes 0
call() {
    env ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET \
        "$BUILD/iotdeck" --endpoint "$SIM_URL" --region cn-shanghai call "$@"
}
pk=$(call QueryProductList CurrentPage=1 PageSize=10 | python3 -c '
import json, sys
print(json.load(sys.stdin)["Data"]["List"]["ProductInfo"][0]["ProductKey"])') || fail "no product"
psecret=$(call QueryProduct ProductKey="$pk" | python3 -c '
import json, sys
print(json.load(sys.stdin)["Data"]["ProductSecret"])') || fail "QueryProduct"
# A device whose nickname is too long for its column at 80 columns (64 is the limit).
nick=Warehouse_North_Building_7_Floor_3_Rack_12_Unit_0042_Sensor_A
call RegisterDevice ProductKey="$pk" DeviceName=aaa-long-nick Nickname="$nick" >/dev/null ||
    fail "RegisterDevice"
dsecret=$(call QueryDeviceDetail ProductKey="$pk" DeviceName=aaa-long-nick | python3 -c '
import json, sys
print(json.load(sys.stdin)["Data"]["DeviceSecret"])') || fail "QueryDeviceDetail"

no_secret() {
    tui_screen | grep -qF -- "$1" && { tui_screen >&2; fail "$2: a secret is on screen"; }
    true
}

check() {
    w=$1; h=$2
    tui_start "$w" "$h"
    tui_wait "2 loaded" 10
    # A product: its row, QueryProduct's fields and JSON; the ProductSecret never.
    tui_keys d
    tui_wait "describe: " 5
    tui_wait "── QueryProduct" 10
    tui_wait "ProductKey" 5
    no_secret "$psecret" "${w}x$h product"
    tui_keys G
    tui_wait '"ProductSecret": "(hidden)"' 5
    no_secret "$psecret" "${w}x$h product JSON"
    # q closes it (it does not quit), back on the products.
    tui_keys q
    tui_wait "products: 2 loaded" 5
    tui_screen | grep -q "IOTDECK-EXIT" && fail "${w}x$h: q in the describe view quit"

    # The device whose nickname the devices pane cuts at 80 columns: whole in describe.
    tui_keys : "devices $pk" Enter
    tui_wait "devices: 21 loaded" 10
    tui_keys / "aaa-long-nick" Enter
    tui_wait "aaa-long-nick" 5
    tui_keys d
    tui_wait "── QueryDeviceDetail" 10
    tui_wait "$nick" 5
    tui_wait "DeviceSecret" 5
    no_secret "$dsecret" "${w}x$h device"
    tui_keys Escape
    tui_wait "filter aaa-long-nick" 5

    # A task of a running job, by its raw DeviceName.
    tui_keys 5
    tui_wait "firmware: 2 loaded" 10
    tui_keys Enter
    tui_wait "upgrade" 10
    tui_keys Enter
    tui_wait "Job " 10
    tui_wait "tasks: 20 loaded" 10
    tui_keys d
    tui_wait "── ListOTATaskByJob" 10
    tui_wait "JobId" 5
    tui_keys G
    tui_wait "\"TaskId\":" 5
    tui_keys Escape
    tui_wait "tasks: 20 loaded" 5
    tui_keys q
    tui_wait "IOTDECK-EXIT=0" 10
    tui_stop
}

check 80 24
check 120 40

# Narrow: a JSON line longer than the width wraps, its value whole on the next line.
tui_start 50 20
tui_wait "2 loaded" 10
tui_keys : "device $pk/aaa-long-nick" Enter
tui_wait "properties" 10
tui_keys d
tui_wait "describe: " 10
# The detail's JSON arrives after the view opens: G until its last lines are shown.
i=0
while ! tui_screen | grep -qF '"Nickname":'; do
    i=$((i + 1))
    [ $i -le 40 ] || { tui_screen >&2; fail "50x20: the detail's JSON never appeared"; }
    tui_keys G
    sleep 0.25
done
# Too long for the width: wrapped onto the next lines, every character kept.
tui_screen | grep -A3 '"Nickname":' | tr -d ' \n' | grep -qF "\"$nick\"" ||
    { tui_screen >&2; fail "50x20: the long nickname is not wrapped whole onto the next lines"; }
wide=$(tui_screen | python3 -c '
import sys, unicodedata
print(max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in l) for l in sys.stdin.read().split("\n")))')
[ "$wide" -le 50 ] || fail "50x20: a line is $wide columns wide"
tui_keys q
tui_wait "properties" 5
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
