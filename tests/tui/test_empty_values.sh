#!/bin/sh
# An empty value is shown empty, or as a dim "—" in the device's details, never as "…"
# (which says a value was cut): a device without a nickname, a new device that was never
# online (no Last online, no IP, no firmware), at 80x24 and 120x40.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 3 --devices 30 --flap-minutes 0
call() {
    env ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET \
        "$BUILD/iotdeck" --endpoint "$SIM_URL" --region cn-shanghai call "$@"
}
pk=$(call QueryProductList CurrentPage=1 PageSize=10 | python3 -c '
import json, sys
print(json.load(sys.stdin)["Data"]["List"]["ProductInfo"][0]["ProductKey"])') || fail "no product"
# A seeded device without a nickname.
plain=$(call QueryDevice ProductKey="$pk" CurrentPage=1 PageSize=50 | python3 -c '
import json, sys
print([d["DeviceName"] for d in json.load(sys.stdin)["Data"]["DeviceInfo"] if not d.get("Nickname")][0])') ||
    fail "no device without a nickname"
call RegisterDevice ProductKey="$pk" DeviceName=never-online-01 >/dev/null || fail "RegisterDevice"

# The header block: the lines above the property table's header.
block() { tui_screen | awk '/^ Identifier / { exit } NR > 1 { print }'; }
field() { block | grep -o "$1 *[^ ]*" | head -1; }

check() {
    tui_start "$1" "$2"
    tui_wait "3 loaded" 10
    for dev in "$plain" never-online-01; do
        tui_keys : "device $pk/$dev" Enter
        tui_wait "properties" 10
        tui_wait "IotId " 5
        sleep 1
        block | grep -q "…" && { tui_screen >&2; fail "${1}x$2 $dev: an empty field is shown as …"; }
        field Nickname | grep -q "—" || { tui_screen >&2; fail "${1}x$2 $dev: no nickname is not a dash"; }
    done
    field "Last online" | grep -q "—" || { tui_screen >&2; fail "${1}x$2: never online is not a dash"; }
    # The devices pane: no nickname is an empty cell.
    tui_keys Escape
    tui_wait "devices: " 10
    tui_screen | grep "$plain" | grep -q "…" && { tui_screen >&2; fail "${1}x$2: an empty cell shows …"; }
    tui_keys q
    tui_wait "IOTDECK-EXIT=0" 10
    tui_stop
}

check 80 24
check 120 40
pass
