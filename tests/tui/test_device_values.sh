#!/bin/sh
# The device pane through the thing model (issue "Device pane additions"), at 80x24 and
# 120x40 against iotdeck-sim's 智能电表 (power-meter: Tariff enum 0 尖 .. 3 谷, RelayStatus
# bool 0 断开 / 1 闭合, Voltage float in V, LastMaintenance a date, NetworkInfo a struct,
# ErrorHistory an array of int):
#   - an enum and a bool show their value with its label, the unit shows, a date is a time,
#     the Type column says the model's type (at 120 columns, where it fits);
#   - Enter on a struct lays its members out with their names, types and values; on an
#     array, its items;
#   - the line under the header is the selected numeric property's sparkline, with its min,
#     max and last; on a property that is not a number it shows no bars;
#   - Enter on a numeric property opens its history: times and values, newest first, the
#     values QueryDevicePropertyData answers; G pages on with NextTime;
#   - a device that never reported: every property listed ("never reported"), its
#     sparkline and history empty, its struct's members shown without values.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
export TUI_ENV="TZ=UTC"
start_sim --seed 1 --products 3 --devices 30 --flap-minutes 0
call() {
    env ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET \
        "$BUILD/iotdeck" --endpoint "$SIM_URL" --region cn-shanghai call "$@"
}
pk=$(call QueryProductList CurrentPage=1 PageSize=10 | python3 -c '
import json, sys
print([p["ProductKey"] for p in json.load(sys.stdin)["Data"]["List"]["ProductInfo"]
       if p["ProductName"] == "智能电表"][0])') || fail "no product 智能电表"
dev=$(call QueryDevice ProductKey="$pk" CurrentPage=1 PageSize=50 | python3 -c '
import json, sys
print([d["DeviceName"] for d in json.load(sys.stdin)["Data"]["DeviceInfo"]
       if d["DeviceStatus"] == "ONLINE"][0])') || fail "no online meter"
call RegisterDevice ProductKey="$pk" DeviceName=fresh-meter-01 >/dev/null || fail "RegisterDevice"

# wait_line WHAT REGEX [SECONDS] — wait until a screen line matches REGEX (Python re).
wait_line() {
    _i=0; _max=$(( ${3:-10} * 20 ))
    until tui_screen | python3 -c '
import re, sys
sys.exit(0 if any(re.search(sys.argv[1], l) for l in sys.stdin.read().split("\n")) else 1)
' "$2"; do
        _i=$((_i + 1))
        [ $_i -gt $_max ] && { tui_screen >&2; fail "$size: $1 (no line matches '$2')"; }
        sleep 0.05
    done
}
# filter_to ID — show only property ID (the cursor is then on it).
filter_to() {
    tui_keys / "identifier:/^$1\$/" Enter
    tui_wait "filter identifier:/^$1\$/"
    tui_wait " $1 "
}
# unfilter — Esc clears the filter.
unfilter() {
    tui_keys Escape
    tui_wait_gone "filter identifier:"
}

for size in "80 24" "120 40"; do
    # shellcheck disable=SC2086
    set -- $size
    size="$1x$2"
    tui_start "$1" "$2"
    tui_wait "loaded"
    tui_keys : "device $pk/$dev" Enter
    tui_wait "11 properties, live"

    # Values through the thing model: each label is the one of the value shown.
    wait_line "Tariff shows no label of its value" '^ Tariff +费率 .*(0 尖|1 峰|2 平|3 谷) '
    wait_line "RelayStatus shows no label of its value" '^ RelayStatus +继电器 .*(0 断开|1 闭合) '
    wait_line "Voltage has no unit V" '^ Voltage +电压 +[0-9.]+ V '
    wait_line "ActiveEnergy has no unit kW·h" '^ ActiveEnergy +有功电能 +[0-9.]+ kW·h '
    wait_line "LastMaintenance is not a time" \
        '^ LastMaintenance +上次维护时间 +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2} '
    if [ "$1" = 120 ]; then
        wait_line "Tariff's type is not enum" '^ Tariff .* enum +[0-9]{4}-'
        wait_line "NetworkInfo's type is not struct" '^ NetworkInfo .* struct +[0-9]{4}-'
    fi

    # The sparkline: bars, min, max and last of the numeric property under the cursor.
    filter_to Voltage
    wait_line "no sparkline for Voltage" \
        '^History +[▁▂▃▄▅▆▇█]{8,}  min [0-9.]+  max [0-9.]+  last [0-9.]+ V$'
    unfilter
    filter_to Tariff
    wait_line "Tariff, an enum, has a sparkline" '^History +\(the recent values of a numeric'
    unfilter

    # Enter on the struct: a row per member, with its name, type and value.
    filter_to NetworkInfo
    tui_keys Enter
    tui_wait "NetworkInfo 网络信息: struct, 4 rows, reported"
    wait_line "the Carrier member" '^ Carrier +运营商 +[0-3] (中国移动|中国联通|中国电信|其他) .*enum 0 中国移动'
    wait_line "the RSSI member" '^ RSSI +信号强度 +-?[0-9]+ +dBm +int -120\.\.0'
    wait_line "the Roaming member" '^ Roaming +漫游 +[01] (否|是) +bool 0 否, 1 是'
    wait_line "the IP member" '^ IP +IP地址 .* text up to 32 bytes'
    tui_keys Escape
    tui_wait "filter identifier:/^NetworkInfo\$/"
    wait_line "Esc did not go back to the device" '^History  '
    unfilter
    # And an array: its items.
    filter_to ErrorHistory
    tui_keys Enter
    tui_wait "ErrorHistory 最近错误码: array"
    wait_line "the items of ErrorHistory" '^ \[0\] +[0-9]+ +int 0\.\.65535'
    tui_keys Escape
    wait_line "Esc did not go back to the device" '^History  '
    unfilter

    # Enter on Voltage: its history, newest first, as the API has it; G pages on.
    filter_to Voltage
    tui_keys Enter
    tui_wait "Voltage 电压: 50 values of the last 24 h; more as you scroll"
    tui_screen >"$TUI_HOME/screen"
    call QueryDevicePropertyData ProductKey="$pk" DeviceName="$dev" Identifier=Voltage \
        StartTime=$(( $(date +%s) * 1000 - 86400000 )) EndTime=$(( $(date +%s) * 1000 + 60000 )) \
        PageSize=50 Asc=0 >"$TUI_HOME/api" || fail "$size: QueryDevicePropertyData"
    python3 - "$TUI_HOME/screen" "$TUI_HOME/api" <<'EOF' || { tui_screen >&2; fail "$size: the history rows"; }
import datetime, json, re, sys
screen = open(sys.argv[1]).read().split("\n")
api = json.load(open(sys.argv[2]))["Data"]["List"]["PropertyInfo"]
known = {(datetime.datetime.fromtimestamp(int(i["Time"]) / 1000, datetime.timezone.utc)
          .strftime("%Y-%m-%d %H:%M:%S"), i["Value"]) for i in api}
rows = [m.groups() for m in (re.match(r"^ (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) +(-?[0-9.]+) V", l)
                             for l in screen) if m]
assert len(rows) >= 10, "only %d rows" % len(rows)
assert all(a[0] > b[0] for a, b in zip(rows, rows[1:])), "not newest first"
missing = [r for r in rows if r not in known]
assert not missing, "rows the API does not have: %s" % missing
EOF
    oldest=$(tui_screen | grep -E '^ [0-9]{4}-' | tail -1 | cut -c2-20)
    tui_keys G
    tui_wait "Voltage 电压: 100 values of the last 24 h"
    tui_keys G
    wait_line "G does not reach older values" '^ [0-9]{4}-'
    last=$(tui_screen | grep -E '^ [0-9]{4}-' | tail -1 | cut -c2-20)
    [ "$last" \< "$oldest" ] || { tui_screen >&2; fail "$size: the second page is not older ($last, $oldest)"; }
    tui_keys Escape
    wait_line "Esc did not go back to the device" '^History  '
    unfilter

    # A device that never reported: every property listed, nothing to draw.
    tui_keys : "device $pk/fresh-meter-01" Enter
    tui_wait "11 properties, live"
    tui_wait "never reported"
    filter_to Voltage
    tui_wait "no values in the last 24 hours"
    tui_keys Enter
    tui_wait "Voltage 电压: 0 values of the last 24 h; all loaded"
    tui_keys Escape
    wait_line "Esc did not go back to the device" '^History  +no values in the last 24 hours'
    unfilter
    filter_to NetworkInfo
    tui_keys Enter
    tui_wait "NetworkInfo 网络信息: struct, never reported"
    wait_line "the members of a struct never reported" '^ Carrier +运营商 +— +enum 0 中国移动'
    tui_keys Escape
    wait_line "Esc did not go back to the device" '^History  '
    tui_keys q
    tui_wait "IOTDECK-EXIT=0" 10
    tui_stop
done
pass
