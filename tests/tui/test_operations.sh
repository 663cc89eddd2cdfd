#!/bin/sh
# Operations from the console, against iotdeck-sim: :set ID=VALUE on one device (y
# confirms); a value the thing model refuses (the reason, nothing sent); 100 marked devices
# (the count typed, a wrong count refused) with every device's outcome in the operations
# pane and in the audit log; a sync service's output decoded; a read-only session refused
# before anything is asked; Ctrl-C cancelling a batch mid-way (the rest "not sent", never
# sent).
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
export TUI_ENV="XDG_STATE_HOME=$TUI_HOME/state"
audit=$TUI_HOME/state/iotdeck/audit.log
writes=$TUI_HOME/writes.log

start_sim --seed 3 --products 6 --devices 1200 --flap-minutes 0 --write-log "$writes"
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
"$BUILD/iotdeck" --endpoint "$SIM_URL" export products >"$TUI_HOME/p" 2>/dev/null || fail "export products"
pk=$(grep 'power-meter' "$TUI_HOME/p" | cut -d, -f1)
[ -n "$pk" ] || fail "no power meter product in the seed"
"$BUILD/iotdeck" --endpoint "$SIM_URL" export devices --product "$pk" >"$TUI_HOME/d" 2>/dev/null ||
    fail "export devices"
ndev=$(($(wc -l <"$TUI_HOME/d") - 1))
[ "$ndev" -ge 150 ] || fail "only $ndev meters in the seed"
online=$(grep ',ONLINE,' "$TUI_HOME/d" | head -1 | cut -d, -f2)
nwrites() { [ -f "$writes" ] && wc -l <"$writes" || echo 0; }

tui_start 120 40
tui_wait "loaded" 10
tui_keys : "device $pk/$online" Enter
tui_wait "Identifier" 10

# Tab completes the writable properties from the thing model.
tui_keys : "set Tari" Tab
tui_wait ":set Tariff=" 10
tui_keys C-u Escape
tui_wait_gone ":set Tariff=" 5

# One device: y confirms; the result on the status line; one write, one audit line.
tui_keys : "set Tariff=1" Enter
tui_wait "[y] yes" 10
tui_screen | grep -q "SetDeviceProperty" || fail "the question does not name the action"
tui_screen | grep -qF "on 1 device" || fail "the question does not count the devices"
tui_keys y
tui_wait "$online SetDeviceProperty: ok" 10
[ "$(nwrites)" -eq 1 ] || fail "expected 1 write, the simulator saw $(nwrites)"
[ "$(grep -c '"operation"' "$audit")" -eq 1 ] || fail "expected 1 audit line: $(cat "$audit")"

# A value the thing model refuses: the reason, nothing asked, nothing sent.
tui_keys : "set DemandLimit=100001" Enter
tui_wait "above the maximum 100000" 10
tui_screen | grep -qF "[y] yes" && fail "asked about a refused value"
[ "$(nwrites)" -eq 1 ] || fail "a refused value was sent"

# A sync service: its output, decoded against the service's outputs.
tui_keys : "invoke ReadEnergy Period=月" Enter
tui_wait "[y] yes" 10
tui_keys y
tui_wait "Energy=" 15

# Desired values go with the device's current versions; group relations.
tui_keys : "desired Tariff=1" Enter
tui_wait "[y] yes" 10
tui_keys y
tui_wait "$online SetDeviceDesiredProperty: ok" 10
grep -q '"Versions"' "$writes" || fail "SetDeviceDesiredProperty was sent without Versions"
gid=$("$BUILD/iotdeck" --endpoint "$SIM_URL" call QueryDeviceGroupList CurrentPage=1 PageSize=10 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Data"]["GroupInfo"][0]["GroupId"])')
[ -n "$gid" ] || fail "no group in the seed"
tui_keys : "group-add $gid" Enter
tui_wait "[y] yes" 10
tui_keys y
tui_wait "$online BatchAddDeviceGroupRelations: ok" 10
"$BUILD/iotdeck" --endpoint "$SIM_URL" call QueryDeviceGroupByDevice ProductKey="$pk" \
    DeviceName="$online" | grep -q "$gid" || fail ":group-add did not add the device"

# The operations menu (a): what applies here, each with its key; e asks to enable.
tui_keys a
tui_wait "Operations on 1 device" 10
tui_screen | grep -q "Set properties" || fail "the menu does not offer :set"
tui_keys e
tui_wait "(EnableThing) on 1 device" 10
tui_keys n
tui_wait_gone "(EnableThing)" 10

# A delete types the DeviceName; Esc cancels and nothing is sent. A bad nickname is refused
# by the documented rules before anything is asked.
before=$(nwrites)
tui_keys ":delete" Enter   # (a bare "delete" is tmux's name of the Delete key)
tui_wait "Type $online and Enter to confirm" 10
tui_keys Escape
tui_wait_gone "Type $online" 10
tui_keys : "nickname ab" Enter
tui_wait "4 to 32 characters" 10
[ "$(nwrites)" -eq "$before" ] || fail "a cancelled delete or a bad nickname sent a write"

# Groups: create one (y), then delete it from the groups pane (its GroupId typed).
tui_keys : groups Enter
tui_wait "loaded" 10
tui_keys : 'group-create probe_group "made by a test"' Enter
tui_wait "[y] yes" 10
tui_keys y
tui_wait "probe_group CreateDeviceGroup: ok" 10
tui_wait "+probe_group" 10
pgid=$("$BUILD/iotdeck" --endpoint "$SIM_URL" call QueryDeviceGroupList CurrentPage=1 PageSize=50 \
    GroupName=probe_group | python3 -c '
import json, sys
print(json.load(sys.stdin)["Data"]["GroupInfo"][0]["GroupId"])')
[ -n "$pgid" ] || fail ":group-create made no group"
tui_keys g
tui_keys ":group-delete" Enter
tui_wait "Type $pgid and Enter" 10
tui_keys "$pgid" Enter
tui_wait "$pgid DeleteDeviceGroup: ok" 10
tui_wait "-probe_group" 10   # a reload marks it vanished
tui_keys : "devices $pk" Enter

# 100 marked devices in the devices pane: the count is typed.
tui_wait "DeviceName" 10
tui_wait "$ndev loaded" 20
keys=""
i=0
while [ $i -lt 100 ]; do keys="$keys Space"; i=$((i + 1)); done
# shellcheck disable=SC2086
tui_keys $keys
tui_wait "100 marked" 10
# Marks survive a filter and a sort (and the live refresh running all along).
tui_keys / "status:online" Enter
tui_wait "filter status:online" 10
tui_screen | grep -q "100 marked" || fail "a filter lost the marks"
tui_keys s
sleep 0.3
tui_screen | grep -q "100 marked" || fail "a sort lost the marks"
tui_keys S BSpace
tui_wait_gone "filter status:online" 10
tui_screen | grep -q "100 marked" || fail "clearing the filter lost the marks"
before=$(nwrites)
tui_keys : "set Tariff=2" Enter
tui_wait "Type 100 and Enter to confirm" 10
tui_keys 99 Enter
tui_wait "That is not 100" 10
[ "$(nwrites)" -eq "$before" ] || fail "a wrong count sent something"
tui_keys C-u 100 Enter
tui_wait "set Tariff=2: " 20
tui_keys : ops Enter
tui_wait "Operations" 10
tui_wait "done" 20
tui_keys Enter
tui_wait "of 100, done" 20
info=$(tui_screen | grep -o '[0-9]* ok, [0-9]* failed, [0-9]* unknown, [0-9]* not sent of 100')
[ -n "$info" ] || { tui_screen >&2; fail "no counts of 100 devices"; }
set -- $info
ok=$1 failed=$3 unknown=$5 notsent=$7
[ $((ok + failed + unknown + notsent)) -eq 100 ] || fail "counts do not add up to 100: $info"
[ "$notsent" -eq 0 ] || fail "$notsent not sent without a cancel"
sent=$(($(nwrites) - before))
[ "$sent" -eq 100 ] || fail "the simulator saw $sent writes for 100 devices"
op=$(grep '"Items":"{\\"Tariff\\":2}"' "$audit" | python3 -c '
import json, sys
ops = {json.loads(l)["operation"] for l in sys.stdin}
print(len(ops))')
[ "$op" -eq 1 ] || fail "the batch's audit lines name $op operations"
lines=$(grep -c '"Items":"{\\"Tariff\\":2}"' "$audit")
[ "$lines" -eq 100 ] || fail "$lines audit lines for 100 devices"
python3 - "$writes" <<'EOF' || fail "a device got the write twice"
import json, sys, collections
c = collections.Counter()
for l in open(sys.argv[1]):
    w = json.loads(l)
    p = w.get("params", w)
    if "Tariff\":2" in json.dumps(p):
        c[(p.get("ProductKey"), p.get("DeviceName"))] += 1
sys.exit(1 if any(v > 1 for v in c.values()) else 0)
EOF
tui_screen | grep -q "failed\|ok" || fail "no outcome rows"
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
tui_stop

# A read-only session refuses before asking.
tui_start 120 40 --readonly
tui_wait "loaded" 10
tui_keys : "device $pk/$online" Enter
tui_wait "Identifier" 10
before=$(nwrites)
tui_keys : "set Tariff=1" Enter
tui_wait "read-only session" 10
tui_screen | grep -qF "[y] yes" && fail "a read-only session asked"
tui_keys a
tui_wait "no operations" 10
[ "$(nwrites)" -eq "$before" ] || fail "a read-only session sent a write"
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
tui_stop
stop_sim

# Ctrl-C mid-batch: what was not sent is "not sent", and was not sent.
rm -f "$writes"
start_sim --seed 3 --products 6 --devices 1200 --flap-minutes 0 --write-log "$writes" --latency-ms 700
tui_start 120 40
tui_wait "loaded" 10
tui_keys : "devices $pk" Enter
tui_wait "$ndev loaded" 30
tui_keys : "mark all" Enter
tui_wait "$ndev marked" 10
tui_keys : "set Tariff=3" Enter
tui_wait "Type $ndev and Enter" 10
tui_keys "$ndev" Enter
tui_wait "sending to $ndev devices" 10
sleep 1
tui_keys C-c
tui_wait "cancelled" 10
tui_keys : ops Enter
tui_wait "done" 20
tui_keys Enter
tui_wait "of $ndev, done" 30
info=$(tui_screen | grep -o "[0-9]* ok, [0-9]* failed, [0-9]* unknown, [0-9]* not sent of $ndev")
set -- $info
ok=$1 failed=$3 unknown=$5 notsent=$7
[ "$notsent" -gt 0 ] || fail "nothing was cancelled: $info"
[ $((ok + failed + unknown + notsent)) -eq "$ndev" ] || fail "counts do not add up: $info"
sent=$(nwrites)
[ "$sent" -eq $((ok + failed + unknown)) ] ||
    fail "the simulator saw $sent writes; the console says $((ok + failed + unknown)) were sent"
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
