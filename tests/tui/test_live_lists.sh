#!/bin/sh
# A list that changes while it is open shows it without r: the pane checks the list's
# Total every refresh-interval and reloads, marking new rows + and vanished ones -.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 3 --devices 60
mkdir -p "$TUI_HOME/iotdeck"
printf 'set refresh-interval 1\n' > "$TUI_HOME/iotdeck/config"
call() {
    env ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET \
        "$BUILD/iotdeck" --endpoint "$SIM_URL" --region cn-shanghai call "$@"
}
pk=$(call QueryProductList CurrentPage=1 PageSize=10 | python3 -c '
import json, sys
print(json.load(sys.stdin)["Data"]["List"]["ProductInfo"][0]["ProductKey"])') || fail "no product"
old=$(call QueryDevice ProductKey="$pk" CurrentPage=1 PageSize=1 | python3 -c '
import json, sys
print(json.load(sys.stdin)["Data"]["DeviceInfo"][0]["DeviceName"])') || fail "no device"

tui_start 120 40
tui_wait "3 loaded" 10
tui_keys : "devices $pk" Enter
tui_wait "devices: 20 loaded" 10
# The live states follow refresh-interval too: every 3 s at the default 5, here every
# 0.6 s held at their least, 1 s.
tui_wait "states live every 1 s" 10

call RegisterDevice ProductKey="$pk" DeviceName=arrived-01 >/dev/null || fail "RegisterDevice"
tui_wait "devices: 21 loaded" 10
tui_keys G
tui_wait "+arrived-01" 5

call DeleteDevice ProductKey="$pk" DeviceName="$old" >/dev/null || fail "DeleteDevice"
tui_wait "devices: 20 loaded" 10
tui_keys /
tui_keys -l "$old"
tui_keys Enter
tui_wait "-$old" 5
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
