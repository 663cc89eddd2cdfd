#!/bin/sh
# sim_lib.sh — helpers for the iotdeck-sim integration tests (sourced; running it does
# nothing). sim_start ARGS... starts $BUILD/iotdeck-sim on a free port; sim_call ACTION
# NAME=VALUE... sends a v1-signed request with the demo key (or SIM_AK_ID / SIM_AK_SECRET)
# and prints the JSON answer;
# sim_stop ends the simulator (SIGTERM) and returns its exit status.

sim_start() {
    rm -f "$SIM_TMP/port"
    "$BUILD/iotdeck-sim" --listen 127.0.0.1:0 --port-file "$SIM_TMP/port" "$@" 2>>"$SIM_TMP/log" &
    SIM_PID=$!
    _i=0
    while [ ! -s "$SIM_TMP/port" ]; do
        _i=$((_i + 1))
        if [ $_i -gt 400 ] || ! kill -0 "$SIM_PID" 2>/dev/null; then
            cat "$SIM_TMP/log" >&2
            echo "sim_start: the simulator did not start" >&2
            return 1
        fi
        sleep 0.05
    done
    SIM_PORT=$(cat "$SIM_TMP/port")
}

sim_stop() {
    [ -n "${SIM_PID:-}" ] || return 0
    kill -TERM "$SIM_PID" 2>/dev/null
    wait "$SIM_PID"; _rc=$?
    SIM_PID=""
    return $_rc
}

sim_call() {
    SIM_AK_ID=${SIM_AK_ID:-iotdeck-demo-key} SIM_AK_SECRET=${SIM_AK_SECRET:-iotdeck-demo-secret} \
    python3 - "$SIM_PORT" "$@" <<'PY'
import base64, hashlib, hmac, os, sys, time, urllib.parse, urllib.request, urllib.error, uuid
port, action, pairs = sys.argv[1], sys.argv[2], sys.argv[3:]
p = {"Action": action, "Version": "2018-01-20", "Format": "JSON", "AccessKeyId": os.environ["SIM_AK_ID"],
     "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0", "SignatureNonce": uuid.uuid4().hex,
     "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
for kv in pairs:
    k, v = kv.split("=", 1)
    p[k] = v
enc = lambda s: urllib.parse.quote(s, safe="-_.~")
canon = "&".join(enc(k) + "=" + enc(p[k]) for k in sorted(p))
sts = "POST&%2F&" + enc(canon)
p["Signature"] = base64.b64encode(hmac.new((os.environ["SIM_AK_SECRET"] + "&").encode(), sts.encode(),
                                           hashlib.sha1).digest()).decode()
req = urllib.request.Request("http://127.0.0.1:%s/" % port, data=urllib.parse.urlencode(p, quote_via=urllib.parse.quote).encode(),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
try:
    print(urllib.request.urlopen(req, timeout=10).read().decode())
except urllib.error.HTTPError as e:
    print(e.read().decode())
PY
}

# json_get JSON PATH: prints the value at a dotted path ("Data.List.ProductInfo.0.ProductKey").
json_get() {
    python3 -c '
import json, sys
v = json.loads(sys.argv[1])
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v if not isinstance(v, bool) else str(v).lower())' "$1" "$2"
}
