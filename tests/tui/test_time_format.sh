#!/bin/sh
# One time format everywhere: products (epoch ms), devices and the device pane (ISO and the
# service's local strings), property times, OTA jobs: local "YYYY-MM-DD HH:MM:SS" by default
# (here TZ=JST-9: UTC+9), and what `set time-format utc|iso` in the config file says. Never
# the API's raw "2024-01-03T00:01:09.000Z".
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 5 --products 2 --devices 40 --flap-minutes 0
call() {
    env ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET \
        "$BUILD/iotdeck" --endpoint "$SIM_URL" --region cn-shanghai call "$@"
}
# FORMAT EPOCH-SECONDS -> the text the console should show for that instant.
show() {
    python3 -c '
import sys, datetime
fmt, s = sys.argv[1], float(sys.argv[2])
t = datetime.datetime.fromtimestamp(s, datetime.timezone.utc)
if fmt == "local":
    t = t + datetime.timedelta(hours=9)
print(t.strftime("%Y-%m-%dT%H:%M:%SZ" if fmt == "iso" else "%Y-%m-%d %H:%M:%S"))' "$1" "$2"
}
iso_secs() { python3 -c 'import sys, datetime; print(datetime.datetime.fromisoformat(sys.argv[1].replace("Z", "+00:00")).timestamp())' "$1"; }

prod=$(call QueryProductList CurrentPage=1 PageSize=10) || fail "QueryProductList"
pk=$(echo "$prod" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Data"]["List"]["ProductInfo"][0]["ProductKey"])')
pcreated=$(echo "$prod" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Data"]["List"]["ProductInfo"][0]["GmtCreate"] / 1000)')
dev=$(call QueryDevice ProductKey="$pk" CurrentPage=1 PageSize=1) || fail "QueryDevice"
name=$(echo "$dev" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Data"]["DeviceInfo"][0]["DeviceName"])')
dcreated=$(iso_secs "$(echo "$dev" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Data"]["DeviceInfo"][0]["UtcCreate"])')")
detail=$(call QueryDeviceDetail ProductKey="$pk" DeviceName="$name") || fail "QueryDeviceDetail"
dactive=$(iso_secs "$(echo "$detail" | python3 -c 'import json, sys; print(json.load(sys.stdin)["Data"]["UtcActive"])')")

# check FORMAT COLS LINES: every place shows its times in FORMAT.
check() {
    fmt=$1
    pattern='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}'
    [ "$fmt" = iso ] && pattern='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'
    TUI_ENV="TZ=JST-9" tui_start "$2" "$3" ${4:-}
    tui_wait "2 loaded" 10
    tui_wait "$(show "$fmt" "$pcreated")" 5
    tui_keys Enter
    tui_wait "devices: 20 loaded" 10
    tui_wait "$(show "$fmt" "$dcreated")" 5
    tui_screen | grep -qE '[0-9]T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z' &&
        { tui_screen >&2; fail "$fmt ${2}x$3: a raw API time is shown"; }
    # The device: its Created and Activated, and every property's time.
    tui_keys : "device $pk/$name" Enter
    tui_wait "properties, live" 10
    tui_wait "Activated" 5
    tui_wait "$(show "$fmt" "$dcreated")" 5
    tui_wait "$(show "$fmt" "$dactive")" 5
    sleep 1
    tui_screen | grep -E '^ [A-Z][A-Za-z]+ ' | grep -vE 'Identifier|never reported' |
        grep -vqE "$pattern" && { tui_screen >&2; fail "$fmt ${2}x$3: a property time is not $fmt"; }
    # OTA jobs.
    tui_keys 5
    tui_wait "firmware: 2 loaded" 10
    tui_keys Enter
    tui_wait "upgrade" 10
    tui_screen | grep "upgrade" | grep -qE "$pattern" ||
        { tui_screen >&2; fail "$fmt ${2}x$3: the job's times are not $fmt"; }
    tui_keys q
    tui_wait "IOTDECK-EXIT=0" 10
    tui_stop
}

check local 80 24
check local 120 40
printf 'set time-format iso\n' > "$TUI_HOME/iso.conf"
check iso 120 40 "--config $TUI_HOME/iso.conf"
printf 'set time-format utc\n' > "$TUI_HOME/utc.conf"
check utc 80 24 "--config $TUI_HOME/utc.conf"
pass
