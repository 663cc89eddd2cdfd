#!/bin/sh
# sim_writes.sh — iotdeck-sim's writes and its write log (--write-log), end to end over
# HTTP with v1-signed requests:
#  1. with 30% injected faults of every kind, one SetDeviceProperty to each of 150 devices,
#     never resent, 8 at a time: every device has exactly one line in the write log, none
#     got the write twice, the client's "outcome unknown" devices (no answer, a cut or
#     malformed one) are exactly the lines executed under a reset/truncate/malformed
#     fault, the answered ones carry the logged RequestId and code, and a write applied
#     exactly when it was executed, succeeded and its device was online;
#  2. sync services: the device's reply (Data.Result) after --service-latency-ms, HALFCONN
#     with --halfconn-rate 1, OFFLINE on an offline device, TIMEOUT after 5 s;
#  3. the log file is 0600 and a symbolic link at its path is refused.
set -u
BUILD=${BUILD:-build}
sim="$BUILD/iotdeck-sim"
tmp=$(mktemp -d)
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi; pid=""; }
trap 'stop; rm -rf "$tmp"' EXIT INT TERM
die() { echo "sim_writes: $*" >&2; [ -f "$tmp/log" ] && tail -5 "$tmp/log" >&2; exit 1; }

start() { # start ARGS...
    rm -f "$tmp/port"
    "$sim" --listen 127.0.0.1:0 --port-file "$tmp/port" --seed 3 --products 2 --devices 400 \
        --flap-minutes 0 "$@" 2>"$tmp/log" &
    pid=$!
    i=0
    while [ ! -s "$tmp/port" ]; do
        i=$((i + 1)); [ $i -gt 300 ] && die "no port file ($*)"
        kill -0 "$pid" 2>/dev/null || die "simulator exited ($*)"
        sleep 0.05
    done
    port=$(cat "$tmp/port")
}

# The client: signs with the demo key (guide 4.5), sends each request once on a fresh
# connection and classifies what came back.
cat >"$tmp/client.py" <<'PY'
import base64, hashlib, hmac, http.client, json, socket, time, urllib.parse, uuid

def call(port, action, params, timeout=15):
    """Returns (outcome, body-or-None, headers): outcome "ok", "failed" or "unknown"."""
    p = {"Action": action, "Version": "2018-01-20", "Format": "JSON",
         "AccessKeyId": "iotdeck-demo-key", "SignatureMethod": "HMAC-SHA1",
         "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex,
         "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    p.update(params)
    enc = lambda s: urllib.parse.quote(s, safe="-_.~")
    canon = "&".join(enc(k) + "=" + enc(p[k]) for k in sorted(p))
    p["Signature"] = base64.b64encode(hmac.new(b"iotdeck-demo-secret&",
        ("POST&%2F&" + enc(canon)).encode(), hashlib.sha1).digest()).decode()
    body = urllib.parse.urlencode(p, quote_via=urllib.parse.quote)
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request("POST", "/", body, {"Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse()
        raw = r.read()
        headers = {k.lower(): v for k, v in r.getheaders()}
    except (OSError, http.client.HTTPException):
        return "unknown", None, {}
    finally:
        c.close()
    try:
        doc = json.loads(raw)
    except ValueError:
        return "unknown", None, headers
    if r.status == 200 and doc.get("Success") is True:
        return "ok", doc, headers
    return "failed", doc, headers

def light(port):
    """The ProductKey of the street lights (Brightness, SetScene sync, ToggleLight async)."""
    ps = read(port, "QueryProductList", {"CurrentPage": "1", "PageSize": "10"})["Data"]["List"]["ProductInfo"]
    return next(p["ProductKey"] for p in ps if p["ProductName"] == "智能路灯")

def read(port, action, params):
    """A read, asked again until it is answered (reads are safe to repeat)."""
    for _ in range(50):
        o, doc, _h = call(port, action, params)
        if o == "ok":
            return doc
        time.sleep(0.05)
    raise SystemExit("sim_writes: %s never answered" % action)
PY

# ---- 1. writes under faults ---------------------------------------------------------
start --write-log "$tmp/writes.jsonl" --fault-rate 0.3 --fault-kinds all
[ "$(stat -c %a "$tmp/writes.jsonl")" = 600 ] || die "the write log is not 0600"
PYTHONPATH=$tmp python3 - "$port" "$tmp/sent.json" <<'PY' || die "sending the writes failed"
import json, sys, threading
from client import call, light, read
port, out = int(sys.argv[1]), sys.argv[2]
pk = light(port)
devs = []
for page in (1, 2, 3, 4):
    devs += read(port, "QueryDevice", {"ProductKey": pk, "CurrentPage": str(page), "PageSize": "50"})["Data"]["DeviceInfo"]
devs = devs[:150]
assert len(devs) == 150, len(devs)
sent = {}
lock = threading.Lock()
def worker(chunk):
    for d in chunk:
        o, doc, h = call(port, "SetDeviceProperty", {"IotId": d["IotId"], "Items": '{"Brightness":42}'})
        with lock:
            sent[d["IotId"]] = {"outcome": o, "status": d["DeviceStatus"],
                "rid": doc.get("RequestId") if doc else None,
                "code": doc.get("Code") if doc else None,
                "fault": h.get("x-iotdeck-sim-fault")}
threads = [threading.Thread(target=worker, args=(devs[i::8],)) for i in range(8)]
for t in threads: t.start()
for t in threads: t.join()
json.dump(sent, open(out, "w"))
PY
stop
python3 - "$tmp/sent.json" "$tmp/writes.jsonl" <<'PY' || die "the write log does not match what the client saw"
import collections, json, sys
sent = json.load(open(sys.argv[1]))
lines = [json.loads(l) for l in open(sys.argv[2])]
bad = []
writes = [l for l in lines if l["action"] == "SetDeviceProperty"]
if len(lines) != len(writes):
    bad.append("lines for other actions (reads?): %r" % {l["action"] for l in lines})
per = collections.defaultdict(list)
for l in writes:
    per[l["iot_id"]].append(l)
if set(per) != set(sent):
    bad.append("devices logged %d, sent %d" % (len(per), len(sent)))
applied = collections.Counter(l["iot_id"] for l in writes if l["applied"])
if any(n > 1 for n in applied.values()):
    bad.append("a device got the write twice")
lost = {"reset", "truncate", "malformed"}
faults = collections.Counter()
for iot, s in sent.items():
    if len(per[iot]) != 1:
        bad.append("%s: %d lines" % (iot, len(per[iot])))
        continue
    l = per[iot][0]
    faults[l["fault"]] += 1
    if l["params"].get("Items") != '{"Brightness":42}' or "Signature" in l["params"]:
        bad.append("%s: params %r" % (iot, l["params"]))
    unknown_by_log = l["executed"] and l["fault"] in lost
    if (s["outcome"] == "unknown") != unknown_by_log:
        bad.append("%s: client %s, log %r" % (iot, s["outcome"], l))
    if s["outcome"] != "unknown" and s["rid"] != l["request_id"]:
        bad.append("%s: RequestId %s answered, %s logged" % (iot, s["rid"], l["request_id"]))
    if s["outcome"] == "failed" and s["code"] != l["code"]:
        bad.append("%s: code %s answered, %s logged" % (iot, s["code"], l["code"]))
    if s["outcome"] == "ok" and (l["code"] is not None or not l["executed"]):
        bad.append("%s: ok but logged %r" % (iot, l))
    if l["fault"] in ("5xx", "throttle") and (l["executed"] or s["outcome"] != "failed"):
        bad.append("%s: a %s fault executed or not failed: %r" % (iot, l["fault"], l))
    want = l["executed"] and l["code"] is None and s["status"] == "ONLINE"
    if l["applied"] != want:
        bad.append("%s: applied %s, expected %s (%s, %r)" % (iot, l["applied"], want, s["status"], l))
    if s["fault"] is not None and not s["fault"].startswith(str(l["fault"]) + ";"):
        bad.append("%s: header %s, log %s" % (iot, s["fault"], l["fault"]))
for k in ("5xx", "throttle", "reset", "truncate", "malformed", "drip", None):
    if faults[k] == 0:
        bad.append("no request had fault %s: the test does not cover it" % k)
if not any(s["status"] == "ONLINE" for s in sent.values()) or all(s["status"] == "ONLINE" for s in sent.values()):
    bad.append("the devices are not a mix of online and offline ones")
if not applied or sum(1 for s in sent.values() if s["outcome"] == "ok") < 50:
    bad.append("too few writes succeeded: the test proves nothing")
if bad:
    print("\n".join(bad[:20]), file=sys.stderr)
    sys.exit(1)
print("sim_writes: %d writes, faults %s, unknown %d, applied %d" % (len(sent), dict(faults),
      sum(1 for s in sent.values() if s["outcome"] == "unknown"), sum(applied.values())))
PY

# ---- 2. sync services ---------------------------------------------------------------
start --service-latency-ms 300 --write-log "$tmp/sync.jsonl"
PYTHONPATH=$tmp python3 - "$port" <<'PY' || die "sync services"
import json, sys, time
from client import call, light, read
port = int(sys.argv[1])
pk = light(port)
devs = read(port, "QueryDevice", {"ProductKey": pk, "CurrentPage": "1", "PageSize": "50"})["Data"]["DeviceInfo"]
on = next(d for d in devs if d["DeviceStatus"] == "ONLINE")
off = next(d for d in devs if d["DeviceStatus"] == "OFFLINE")
t0 = time.monotonic()
o, doc, _ = call(port, "InvokeThingService", {"IotId": on["IotId"], "Identifier": "SetScene", "Args": '{"SceneId":3}'})
took = time.monotonic() - t0
assert o == "ok", doc
assert 0.3 <= took < 2, took
res = json.loads(doc["Data"]["Result"])
assert res["code"] == 200 and res["id"] == doc["Data"]["MessageId"] and res["data"]["Applied"] in (0, 1), res
o, doc, _ = call(port, "InvokeThingService", {"IotId": off["IotId"], "Identifier": "SetScene", "Args": '{"SceneId":3}'})
assert o == "failed" and doc["Code"] == "iot.messagebroker.OFFLINE", doc
o, doc, _ = call(port, "InvokeThingService", {"IotId": off["IotId"], "Identifier": "ToggleLight", "Args": "{}"})
assert o == "ok" and "MessageId" in doc["Data"] and "Result" not in doc["Data"], doc
PY
stop
start --halfconn-rate 1
PYTHONPATH=$tmp python3 - "$port" <<'PY' || die "halfconn"
import sys
from client import call, light, read
port = int(sys.argv[1])
pk = light(port)
devs = read(port, "QueryDevice", {"ProductKey": pk, "CurrentPage": "1", "PageSize": "50"})["Data"]["DeviceInfo"]
on = next(d for d in devs if d["DeviceStatus"] == "ONLINE")
o, doc, _ = call(port, "InvokeThingService", {"IotId": on["IotId"], "Identifier": "SetScene", "Args": '{"SceneId":3}'})
assert o == "failed" and doc["Code"] == "iot.messagebroker.HALFCONN", doc
PY
stop
start --service-latency-ms 6000 --write-log "$tmp/timeout.jsonl"
PYTHONPATH=$tmp python3 - "$port" <<'PY' || die "timeout"
import sys, time
from client import call, light, read
port = int(sys.argv[1])
pk = light(port)
devs = read(port, "QueryDevice", {"ProductKey": pk, "CurrentPage": "1", "PageSize": "50"})["Data"]["DeviceInfo"]
on = next(d for d in devs if d["DeviceStatus"] == "ONLINE")
t0 = time.monotonic()
o, doc, _ = call(port, "InvokeThingService", {"IotId": on["IotId"], "Identifier": "SetScene", "Args": '{"SceneId":3}'})
took = time.monotonic() - t0
assert o == "failed" and doc["Code"] == "iot.messagebroker.TIMEOUT", doc
assert 4.9 <= took < 6, took
PY
stop
python3 - "$tmp/timeout.jsonl" <<'PY' || die "the timed-out call is not logged as applied"
import json, sys
l = [json.loads(x) for x in open(sys.argv[1])]
assert len(l) == 1 and l[0]["code"] == "iot.messagebroker.TIMEOUT" and l[0]["executed"] and l[0]["applied"], l
PY

# ---- 3. the file ------------------------------------------------------------------
ln -s "$tmp/writes.jsonl" "$tmp/link"
timeout 5 "$sim" --listen 127.0.0.1:0 --write-log "$tmp/link" 2>"$tmp/err"
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || die "a symbolic link at --write-log was accepted (exit $rc)"
grep -q "symbolic link" "$tmp/err" || die "no word of the symbolic link: $(cat "$tmp/err")"
echo "sim_writes: passed"
exit 0
