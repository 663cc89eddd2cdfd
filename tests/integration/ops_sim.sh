#!/bin/sh
# ops_sim.sh — `iotdeck set` on 1,000 devices against iotdeck-sim with 10% of the requests
# given a fault (--fault-rate 0.1, every kind): every device is accounted for exactly once
# in the results and in the audit log; no device got the write twice (the simulator's
# --write-log shows every request it executed); the "unknown" outcomes are exactly the
# writes the simulator executed but whose answer a fault lost (reset, truncate,
# malformed); every other outcome and RequestId is what the simulator answered. Also:
# the default audit log's place and modes, `iotdeck audit`, a read-only session, a value
# the thing model refuses (nothing sent), invoke with a sync service's output.
set -u
. tests/integration/lib.sh

bin="$BUILD/iotdeck"
tmp=$(mktemp -d)
trap 'stop_sim; rm -rf "$tmp"' EXIT
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state"
mkdir -p "$HOME"

"$BUILD/iotdeck-sim" --help 2>&1 | grep -q -- '--write-log' ||
    fail "iotdeck-sim has no --write-log: this test needs it to know what the simulator executed"

# ---- small checks on a clean simulator -------------------------------------------------
start_sim --seed 3 --products 6 --devices 60 --flap-minutes 0
export IOTDECK_ENDPOINT=$SIM_URL
"$bin" export products >"$tmp/products" 2>/dev/null || fail "export products"
lamp_pk=$(grep 'street-light' "$tmp/products" | cut -d, -f1)
meter_pk=$(grep 'power-meter' "$tmp/products" | cut -d, -f1)
[ -n "$lamp_pk" ] && [ -n "$meter_pk" ] || fail "the seeded products are not there"
"$bin" export devices --product "$meter_pk" >"$tmp/meters" 2>/dev/null || fail "export meters"
online=$(grep ',ONLINE,' "$tmp/meters" | head -1 | cut -d, -f2)
[ -n "$online" ] || fail "no online power meter in the seed"

# A value the thing model refuses: the reason, exit 2, nothing sent, nothing logged.
"$bin" set "$meter_pk/$online" DemandLimit=100001 >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "an out-of-range value"
grep -q "DemandLimit: 100001 is above the maximum 100000" "$tmp/e" || fail "the reason: $(cat "$tmp/e")"
grep -q "nothing was sent" "$tmp/e" || fail "does not say nothing was sent"
[ -s "$XDG_STATE_HOME/iotdeck/audit.log" ] && fail "a refused value reached the audit log"

# The default audit log: created 0700/0600 under XDG_STATE_HOME, one line per device.
"$bin" set "$meter_pk/$online" Tariff=平 >"$tmp/o" 2>"$tmp/e"
expect_status 0 $? "set Tariff on an online meter: $(cat "$tmp/e")"
grep -q "ok" "$tmp/o" || fail "no ok line: $(cat "$tmp/o")"
[ "$(stat -c %a "$XDG_STATE_HOME/iotdeck")" = 700 ] || fail "the audit log's directory is not 0700"
[ "$(stat -c %a "$XDG_STATE_HOME/iotdeck/audit.log")" = 600 ] || fail "the audit log is not 0600"
grep -q '"Items":"{\\"Tariff\\":2}"' "$XDG_STATE_HOME/iotdeck/audit.log" ||
    fail "the label was not sent as its value: $(cat "$XDG_STATE_HOME/iotdeck/audit.log")"
grep -q "$DEMO_KEY_SECRET" "$XDG_STATE_HOME/iotdeck/audit.log" && fail "the audit log holds the secret"
grep -q "$DEMO_KEY_ID" "$XDG_STATE_HOME/iotdeck/audit.log" && fail "the audit log holds the AccessKey ID"

# A sync service: its output, decoded, in the result.
"$bin" invoke "$meter_pk/$online" ReadEnergy Period=月 --json >"$tmp/o" 2>"$tmp/e"
expect_status 0 $? "invoke ReadEnergy: $(cat "$tmp/e")"
grep -q '"data":{"Result":{.*"Energy":' "$tmp/o" || fail "no decoded output: $(cat "$tmp/o")"

# Read-only: refused before anything is asked or sent, exit 4.
"$bin" --readonly set "$meter_pk/$online" Tariff=1 >"$tmp/o" 2>"$tmp/e"
expect_status 4 $? "a read-only session"
grep -q "iotdeck.ReadOnly" "$tmp/e" || fail "the refusal: $(cat "$tmp/e")"
[ "$(wc -l <"$XDG_STATE_HOME/iotdeck/audit.log")" -eq 2 ] || fail "the audit log grew without a write"

# --group with a dynamic group: the devices its rule matches now (QueryDynamicGroupDevices,
# which needs the instance); without --instance, the reason and nothing sent.
dyn=$("$bin" call QueryDeviceGroupList CurrentPage=1 PageSize=20 GroupTypes.1=LINK_PLATFORM_DYNAMIC |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Data"]["GroupInfo"][0]["GroupId"])')
[ -n "$dyn" ] || fail "no dynamic group in the seed"
"$bin" --audit-log off set --group "$dyn" ReportInterval=60 >"$tmp/o" 2>"$tmp/e"
expect_status 1 $? "a dynamic group without the instance"
grep -q "need the instance (--instance ID)" "$tmp/e" || fail "the reason: $(cat "$tmp/e")"
"$bin" --audit-log off --instance iot-test set --group "$dyn" ReportInterval=60 >"$tmp/o" 2>"$tmp/e"
expect_status 0 $? "set on a dynamic group's devices: $(cat "$tmp/e")"
grep -q " ok " "$tmp/o" || fail "no device of the dynamic group was set: $(cat "$tmp/o")"

# iotdeck audit: a table (header + lines), --json, --since.
"$bin" audit >"$tmp/o" 2>"$tmp/e" || fail "iotdeck audit: $(cat "$tmp/e")"
head -1 "$tmp/o" | grep -q "^TIME .*OUTCOME" || fail "no table header: $(head -1 "$tmp/o")"
[ "$(wc -l <"$tmp/o")" -eq 3 ] || fail "iotdeck audit printed $(wc -l <"$tmp/o") lines"
"$bin" audit --json --since 1h >"$tmp/o" || fail "iotdeck audit --json"
[ "$(wc -l <"$tmp/o")" -eq 2 ] || fail "iotdeck audit --json printed $(wc -l <"$tmp/o") lines"
stop_sim

# ---- 1,000 devices, 10% faults -------------------------------------------------------
start_sim --seed 11 --products 1 --devices 1000 --flap-minutes 0 --fault-rate 0.1 \
    --write-log "$tmp/writes.jsonl"
export IOTDECK_ENDPOINT=$SIM_URL
"$bin" export devices --product "$("$bin" export products 2>/dev/null | sed -n 2p | cut -d, -f1)" \
    >"$tmp/devices" 2>"$tmp/e" || fail "export devices: $(cat "$tmp/e")"
pk=$(sed -n 2p "$tmp/devices" | cut -d, -f3)
tail -n +2 "$tmp/devices" | cut -d, -f2 | sed "s|^|$pk/|" >"$tmp/targets"
[ "$(wc -l <"$tmp/targets")" -eq 1000 ] || fail "the fleet has $(wc -l <"$tmp/targets") devices"

"$bin" --audit-log "$tmp/audit.log" set --from "$tmp/targets" ReportInterval=60 --json \
    >"$tmp/results" 2>"$tmp/e"
rc=$?
stop_sim
tail -3 "$tmp/e"

python3 - "$tmp/results" "$tmp/audit.log" "$tmp/writes.jsonl" "$tmp/targets" "$rc" <<'PY' || fail "the accounts do not add up"
import json, sys
results_f, audit_f, writes_f, targets_f, rc = sys.argv[1:]
targets = [l.strip() for l in open(targets_f) if l.strip()]
errors = []
def check(ok, msg):
    if not ok:
        errors.append(msg)

def load(path):
    return [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
results, audit, writes = load(results_f), load(audit_f), load(writes_f)
key = lambda o: "%s/%s" % (o["product_key"], o["device_name"])

# Every device exactly once in the results and in the audit log.
res = {}
for o in results:
    check(key(o) not in res, "twice in the results: " + key(o))
    res[key(o)] = o
check(sorted(res) == sorted(targets), "results: %d devices, %d targets" % (len(res), len(targets)))
aud = {}
for o in audit:
    check(key(o) not in aud, "twice in the audit log: " + key(o))
    aud[key(o)] = o
check(sorted(aud) == sorted(targets), "audit log: %d devices, %d targets" % (len(aud), len(targets)))
ops = {o["operation"] for o in audit} | {o["operation"] for o in results}
check(len(ops) == 1, "operations: %s" % ops)
fields = ["time", "profile", "region", "endpoint", "action", "product_key", "device_name",
          "iot_id", "params", "outcome", "code", "message", "request_id", "operation"]
for k, o in aud.items():
    check(list(o) == fields, "audit fields of %s: %s" % (k, list(o)))
    check(o["outcome"] == res[k]["outcome"], "%s: audit %s, result %s" % (k, o["outcome"], res[k]["outcome"]))
    check(o["request_id"] == res[k]["request_id"], "%s: request ids differ" % k)
    check(o["code"] == res[k]["code"], "%s: codes differ" % k)
    check(o["params"]["Items"] == '{"ReportInterval":60}', "%s: params %s" % (k, o["params"]))
check(all(o["outcome"] in ("ok", "failed", "unknown") for o in results), "an outcome is not ok, failed or unknown")

# What the simulator did with the SetDeviceProperty requests.
by_dev = {}
for w in writes:
    if w["action"] == "SetDeviceProperty":
        by_dev.setdefault(key(w), []).append(w)
hiding = ("reset", "truncate", "malformed")
lost = set()
for k, ws in by_dev.items():
    executed = [w for w in ws if w["executed"]]
    check(len(executed) <= 1, "%s: executed %d times" % (k, len(executed)))
    if executed and executed[0]["fault"] in hiding:
        lost.add(k)
    # Only a Throttling refusal (the gateway's, before the service) is sent again.
    for w in ws[:-1]:
        check(not w["executed"] and (w["fault"] == "throttle" or (w["code"] or "").startswith("Throttling")),
              "%s: sent again after %s" % (k, w))
unknown = {k for k, o in res.items() if o["outcome"] == "unknown"}
check(unknown == lost, "unknown %d != executed-but-unanswered %d: %s / %s" %
      (len(unknown), len(lost), sorted(unknown - lost)[:5], sorted(lost - unknown)[:5]))
# Every answered outcome is what the simulator answered.
for k, o in res.items():
    ws = by_dev.get(k, [])
    check(ws, "%s: the simulator never saw it" % k)
    if not ws or o["outcome"] == "unknown":
        continue
    last = ws[-1]
    check(o["request_id"] == last["request_id"], "%s: RequestId %s, simulator %s" % (k, o["request_id"], last["request_id"]))
    if o["outcome"] == "ok":
        check(last["executed"] and last["code"] in (None, ""), "%s: ok, but the simulator: %s" % (k, last))
    else:
        check(o["code"] == last["code"] or (last["fault"] == "5xx" and o["code"] == "ServiceUnavailable"),
              "%s: failed with %s, simulator %s" % (k, o["code"], last))
n = {s: sum(1 for o in results if o["outcome"] == s) for s in ("ok", "failed", "unknown")}
want = 3 if n["unknown"] else 1 if n["failed"] else 0
check(int(rc) == want, "exit status %s, expected %d" % (rc, want))
faults = sum(1 for w in writes if w["fault"])
print("ops_sim: %d devices: %d ok, %d failed, %d unknown (= %d executed, answer lost); "
      "%d faulted write requests; exit %s" % (len(res), n["ok"], n["failed"], n["unknown"], len(lost), faults, rc))
check(n["unknown"] > 0 and faults > 50, "the faults did not happen")
for e in errors[:20]:
    print("ops_sim:", e)
sys.exit(1 if errors else 0)
PY
[ "$(stat -c %a "$tmp/audit.log")" = 600 ] || fail "--audit-log FILE is not 0600"
pass
