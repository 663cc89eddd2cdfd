#!/bin/sh
# sim_faults.sh — iotdeck-sim fault injection: each --fault-kinds kind at --fault-rate 1
# shows the documented symptom and x-iotdeck-sim-fault header; --latency-ms delays.
set -u
BUILD=${BUILD:-build}
sim="$BUILD/iotdeck-sim"
tmp=$(mktemp -d)
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi; pid=""; }
trap 'stop; rm -rf "$tmp"' EXIT INT TERM
die() { echo "sim_faults: $*" >&2; exit 1; }

start() { # start ARGS...: run the simulator, set $base
    rm -f "$tmp/port"
    "$sim" --listen 127.0.0.1:0 --port-file "$tmp/port" --products 1 --devices 10 "$@" 2>"$tmp/log" &
    pid=$!
    i=0
    while [ ! -s "$tmp/port" ]; do
        i=$((i + 1)); [ $i -gt 200 ] && die "no port file ($*)"
        kill -0 "$pid" 2>/dev/null || { cat "$tmp/log" >&2; die "simulator exited ($*)"; }
        sleep 0.05
    done
    base="http://127.0.0.1:$(cat "$tmp/port")/?Action=QueryProductList&Version=2018-01-20&Format=JSON"
}

start --fault-rate 1 --fault-kinds 5xx
code=$(curl -s -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' "$base")
[ "$code" = 503 ] || die "5xx: HTTP $code"
grep -qi '^x-iotdeck-sim-fault: 5xx; applied=0' "$tmp/h" || die "5xx: header"
grep -q '"Code":"ServiceUnavailable"' "$tmp/b" || die "5xx: body $(cat "$tmp/b")"
stop

start --fault-rate 1 --fault-kinds throttle
code=$(curl -s -D "$tmp/h" -o "$tmp/b" -w '%{http_code}' "$base")
[ "$code" = 400 ] && grep -q '"Code":"Throttling"' "$tmp/b" || die "throttle: $code $(cat "$tmp/b")"
grep -qi '^x-acs-retry-after: ' "$tmp/h" || die "throttle: no x-acs-retry-after"
stop

start --fault-rate 1 --fault-kinds malformed
curl -s -D "$tmp/h" -o "$tmp/b" "$base"
grep -qi '^x-iotdeck-sim-fault: malformed; applied=1' "$tmp/h" || die "malformed: header"
if python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/b" 2>/dev/null; then
    die "malformed: the body parsed as JSON"
fi
stop

start --fault-rate 1 --fault-kinds truncate
curl -s -o "$tmp/b" "$base"; rc=$?
[ $rc -eq 18 ] || die "truncate: curl exit $rc, expected 18 (partial transfer)"
stop

start --fault-rate 1 --fault-kinds reset
curl -s -o "$tmp/b" "$base"; rc=$?
[ $rc -eq 52 ] || [ $rc -eq 56 ] || die "reset: curl exit $rc, expected 52 or 56"
stop

start --fault-rate 1 --fault-kinds drip
t=$(curl -s -D "$tmp/h" -o "$tmp/b" -w '%{time_total}' "$base")
grep -qi '^x-iotdeck-sim-fault: drip; applied=1' "$tmp/h" || die "drip: header"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/b" || die "drip: body is not JSON"
python3 -c "import sys; sys.exit(0 if float('$t') >= 0.5 else 1)" || die "drip: answered in ${t}s"
stop

start --latency-ms 300
t=$(curl -s -o "$tmp/b" -w '%{time_total}' "$base")
python3 -c "import sys; sys.exit(0 if float('$t') >= 0.3 else 1)" || die "latency: answered in ${t}s"
grep -q '"Code":"MissingAccessKeyId"' "$tmp/b" || die "latency: $(cat "$tmp/b")"
stop

# Same seed, same requests: same faults.
start --fault-rate 0.5 --seed 9
for n in 1 2 3 4 5 6 7 8; do curl -s -o /dev/null -D - "$base" 2>/dev/null | grep -i '^x-iotdeck-sim-fault' | tr -d '\r'; echo "-"; done >"$tmp/run1"
stop
start --fault-rate 0.5 --seed 9
for n in 1 2 3 4 5 6 7 8; do curl -s -o /dev/null -D - "$base" 2>/dev/null | grep -i '^x-iotdeck-sim-fault' | tr -d '\r'; echo "-"; done >"$tmp/run2"
stop
cmp -s "$tmp/run1" "$tmp/run2" || die "faults differ between two runs with the same seed"
exit 0
