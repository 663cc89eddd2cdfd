#!/bin/sh
# Forms from the thing model, at 80x24 against iotdeck-sim (a power meter of the seed):
#   - :set alone in a device pane opens a form of the writable properties, each with its
#     type, range and unit; Chinese names take their two columns (the frame stays whole);
#   - Esc cancels it and nothing is sent;
#   - a value out of range is refused in its field with the reason as the field is left,
#     and a submit is refused while it stands: nothing asked, nothing sent;
#   - corrected, an enum chosen with Right (shown "1 峰"), a text typed, Enter on the last
#     field submits, y confirms: one SetDeviceProperty with exactly the fields filled in
#     (the empty ones not sent), and the device shows the new value;
#   - :invoke alone picks the service from a list (typing filters it) and opens a form of
#     its inputs; the simulator gets exactly the input chosen.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
export TUI_ENV="XDG_STATE_HOME=$TUI_HOME/state"
writes=$TUI_HOME/writes.log

start_sim --seed 3 --products 6 --devices 1200 --flap-minutes 0 --write-log "$writes"
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
"$BUILD/iotdeck" --endpoint "$SIM_URL" export products >"$TUI_HOME/p" 2>/dev/null || fail "export products"
pk=$(grep 'power-meter' "$TUI_HOME/p" | cut -d, -f1)
[ -n "$pk" ] || fail "no power meter product in the seed"
"$BUILD/iotdeck" --endpoint "$SIM_URL" export devices --product "$pk" >"$TUI_HOME/d" 2>/dev/null ||
    fail "export devices"
online=$(grep ',ONLINE,' "$TUI_HOME/d" | head -1 | cut -d, -f2)
[ -n "$online" ] || fail "no online meter in the seed"
nsets() {
    if [ -f "$writes" ]; then grep -c '"action":"SetDeviceProperty"' "$writes"; else echo 0; fi
}

# Every line of the form is 80 columns wide, counting a Chinese character as two: a label
# measured wrong would push the right border out of line.
widths_ok() {
    tui_screen | python3 -c '
import sys, unicodedata
bad, n = [], 0
for line in sys.stdin.read().split("\n"):
    if not line.startswith(("\u2502", "\u250c", "\u2514")):
        continue
    n += 1
    w = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
    if w != 80 or not line.endswith(("\u2502", "\u2510", "\u2518")):
        bad.append("%d columns: %s" % (w, line))
print("\n".join(bad))
sys.exit(1 if bad or n < 20 else 0)
'
}

tui_start 80 24
tui_wait "loaded" 10
tui_keys : "device $pk/$online" Enter
tui_wait "Identifier" 10
tui_wait "11 properties" 10

# The form: one field per writable property, with type, range and unit.
tui_keys : set Enter
tui_wait "Set properties of 1 device" 10
for f in "RelayStatus 继电器  bool 0 断开, 1 闭合" "Tariff 费率  enum 0 尖, 1 峰, 2 平, 3 谷" \
    "DemandLimit 需量限值  int 0..100000, step 1, W" "DeviceLabel 设备标签  text up to 64 bytes"; do
    tui_screen | grep -qF -- "$f" || { tui_screen >&2; fail "no field '$f'"; }
done
tui_screen | grep -qF "ActiveEnergy" && { tui_screen >&2; fail "a read-only property has a field"; }
widths_ok || { tui_screen >&2; fail "the form's lines are not 80 columns"; }

# Esc cancels: the form goes, nothing is sent.
tui_keys Escape
tui_wait_gone "Set properties of" 10
[ "$(nsets)" -eq 0 ] || fail "a cancelled form sent a write"

# Out of range: refused in the field as it is left, with the reason; a submit is refused.
tui_keys : set Enter
tui_wait "Set properties of 1 device" 10
tui_keys Down Down 100001 Tab
tui_wait "DemandLimit: 100001 is above the maximum 100000" 10
tui_keys Down Enter          # Enter on the last field submits: refused
tui_wait "1 value is refused: correct it or empty it" 10
tui_screen | grep -qF "[y] yes" && fail "asked about a refused value"
[ "$(nsets)" -eq 0 ] || fail "a refused value was sent"

# Corrected (the refused field has the focus), an enum chosen, a text typed: sent.
tui_keys C-u 4200
tui_wait_gone "is above the maximum" 10    # checked again as it is typed
tui_keys Up Right Right
tui_wait "< 1 峰 >" 10
tui_keys Down Down "表计-form" Down Enter
tui_wait "[y] yes" 10
tui_screen | grep -qF "Tariff=1 DemandLimit=4200 DeviceLabel=表计-form" ||
    { tui_screen >&2; fail "the question does not say what is set"; }
tui_keys y
tui_wait_gone "[y] yes" 10
tui_wait "4200 W" 10         # the device pane shows the new values
tui_wait "表计-form" 10
[ "$(nsets)" -eq 1 ] || fail "expected 1 SetDeviceProperty, the simulator saw $(nsets)"
python3 - "$writes" <<'EOF' || fail "the write is not what the form said"
import json, sys
w = [json.loads(l) for l in open(sys.argv[1]) if '"SetDeviceProperty"' in l][0]
items = json.loads(w["params"]["Items"])
want = {"Tariff": 1, "DemandLimit": 4200, "DeviceLabel": "表计-form"}
if items != want:
    print("Items:", items, file=sys.stderr)
    sys.exit(1)
EOF

# :invoke alone: the service from a list (typing filters it), then its inputs.
tui_keys : invoke Enter
tui_wait "Invoke which service?" 10
tui_screen | grep -qF "ResetDemand" || fail "the pick list does not list ResetDemand"
tui_keys r e a d
tui_wait "/read" 10
tui_wait_gone "ResetDemand" 10
tui_keys Enter
tui_wait "Invoke ReadEnergy on 1 device" 10
tui_screen | grep -qF "Period 周期  enum 0 日, 1 月" || { tui_screen >&2; fail "no Period field"; }
tui_keys Right Right
tui_wait "< 1 月 >" 10
tui_keys C-s          # C-s submits from any field
tui_wait "[y] yes" 10
tui_keys y
tui_wait_gone "[y] yes" 10
tui_wait "InvokeThingServic" 15   # the outcome on the info line (cut at 80 columns)
python3 - "$writes" <<'EOF' || fail "the invoke is not what the form said"
import json, sys
w = [json.loads(l) for l in open(sys.argv[1]) if '"InvokeThingService"' in l]
if len(w) != 1 or w[0]["params"]["Identifier"] != "ReadEnergy" or \
        json.loads(w[0]["params"]["Args"]) != {"Period": 1}:
    print(w, file=sys.stderr)
    sys.exit(1)
EOF

tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
