#!/bin/sh
# ops.sh BUILD [DEVICES] — `iotdeck set` (SetDeviceProperty, one call per device) on
# DEVICES devices (default 10,000) against iotdeck-sim, at loopback and with 50 ms added
# to every answer (--latency-ms 50), next to the floor the documented 500 QPS allows
# (DEVICES / 500 s; goal: within 1.05x of it). The time is the operation's own (from the
# first write to the last result, as iotdeck prints it) and the command's wall time
# (reading the thing model and the targets included). Prints figures; asserts nothing.
set -u
BUILD=${1:-build}
ndev=${2:-10000}
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'stop_sim; rm -rf "$tmp"' EXIT
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN
floor=$(python3 -c "print($ndev / 500)")
echo "set: SetDeviceProperty on $ndev devices, one call each; floor $ndev / 500 QPS = ${floor} s"
for latency in 0 50; do
    start_sim --seed 5 --products 1 --devices "$ndev" --flap-minutes 0 --latency-ms "$latency"
    export IOTDECK_ENDPOINT=$SIM_URL
    pk=$("$BUILD/iotdeck" export products 2>/dev/null | sed -n 2p | cut -d, -f1)
    "$BUILD/iotdeck" export devices --product "$pk" 2>/dev/null | tail -n +2 | cut -d, -f2 |
        sed "s|^|$pk/|" >"$tmp/targets"
    t0=$(date +%s.%N)
    "$BUILD/iotdeck" -v --audit-log "$tmp/audit.log" set --from "$tmp/targets" \
        ReportInterval=60 >/dev/null 2>"$tmp/err"
    rc=$?
    t1=$(date +%s.%N)
    stop_sim
    python3 - "$latency" "$ndev" "$floor" "$t0" "$t1" "$rc" "$tmp/err" "$tmp/audit.log" <<'PY'
import re, sys
lat, n, floor, t0, t1, rc, err, audit = sys.argv[1:]
text = open(err).read()
m = re.search(r"(\d+) devices: (\d+) ok, (\d+) failed, (\d+) unknown, (\d+) not sent \(([\d.]+) s\)", text)
st = re.search(r"requests (\d+), throttled (\d+), retried (\d+), latency p50 ([\d.]+) ms p95 ([\d.]+) ms", text)
if not m:
    sys.exit("bench: set failed (exit %s): %s" % (rc, text.strip()[-300:]))
op_s, wall = float(m.group(6)), float(t1) - float(t0)
lines = sum(1 for _ in open(audit))
label = "loopback" if lat == "0" else "+%s ms per answer" % lat
print("  %-18s %6.2f s  (%.3fx the floor, %.0f writes/s); command %.2f s; %s ok, %s failed"
      " (devices the simulator refuses), %s unknown; %s requests, %s throttled; latency p50 %s ms p95 %s ms;"
      " %d audit lines" % (label, op_s, op_s / float(floor), int(n) / op_s, wall, m.group(2),
      m.group(3), m.group(4), st.group(1) if st else "?", st.group(2) if st else "?",
      st.group(4) if st else "?", st.group(5) if st else "?", lines))
PY
    rm -f "$tmp/audit.log"
done
