#!/bin/sh
# invoke_sync.sh BUILD [DEVICES] — `iotdeck invoke` of a synchronous service (Calibrate,
# callType sync, of the seeded th-sensor product) on DEVICES online devices (default
# 2,000) against iotdeck-sim with --service-latency-ms 2000 --service-jitter-ms 0 (every
# device answers after exactly 2 s), at loopback and with 50 ms
# added to every answer (--latency-ms 50, as ops.sh does). Each call waits for its device,
# so the client must keep rate x latency calls on the wire (about 1,250 at 500 QPS).
# The floor: DEVICES / 500 QPS to send them all, plus the 2 s the last one waits
# (2,000 devices: 4 s + 2 s = 6 s; with the simulator's default spread, N to 1.5 N, a
# client that cannot know which device is slow would end near 7 s). Also the outcomes and the
# Throttling refusals the simulator answered (its --verbose log; the goal is none).
# The time is the operation's own (first call to last result, as iotdeck prints it) and
# the command's wall time. Prints figures; asserts nothing.
set -u
BUILD=${1:-build}
ndev=${2:-2000}
. tests/integration/lib.sh
tmp=$(mktemp -d)
trap 'stop_sim; rm -rf "$tmp"' EXIT
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN
service_ms=2000
floor=$(python3 -c "print('%.2f' % ($ndev / 500 + $service_ms / 1000))")
blind=$floor	# no spread: the slowest device is as fast as the others
echo "invoke (sync): InvokeThingService on $ndev devices, device latency $service_ms ms" \
    "(every device); floor $ndev / 500 QPS + $((service_ms / 1000)) s = $floor s"
# Seeded devices are about 60% online: twice as many leaves enough.
nseed=$((ndev * 2))
for latency in 0 50; do
    SIM_LOG=$tmp/sim.log start_sim --seed 5 --products 1 --devices "$nseed" --flap-minutes 0 \
        --service-latency-ms "$service_ms" --service-jitter-ms 0 --latency-ms "$latency" \
        --verbose
    export IOTDECK_ENDPOINT=$SIM_URL
    pk=$("$BUILD/iotdeck" export products 2>/dev/null | sed -n 2p | cut -d, -f1)
    "$BUILD/iotdeck" export devices --product "$pk" 2>/dev/null | tail -n +2 |
        awk -F, '$4 == "ONLINE" { print $3 "/" $2 }' | head -n "$ndev" >"$tmp/targets"
    online=$(wc -l <"$tmp/targets")
    if [ "$online" -lt "$ndev" ]; then
        echo "bench: only $online online devices of $nseed"; stop_sim; exit 1
    fi
    t0=$(date +%s.%N)
    "$BUILD/iotdeck" -v --audit-log "$tmp/audit.log" invoke --from "$tmp/targets" \
        Calibrate Offset=1 >/dev/null 2>"$tmp/err"
    rc=$?
    t1=$(date +%s.%N)
    stop_sim
    python3 - "$latency" "$ndev" "$floor" "$blind" "$t0" "$t1" "$rc" "$tmp/err" \
        "$tmp/sim.log" <<'PY'
import re, sys
lat, n, floor, blind, t0, t1, rc, err, simlog = sys.argv[1:]
text = open(err, errors="replace").read()
m = re.search(r"(\d+) devices: (\d+) ok, (\d+) failed, (\d+) unknown, (\d+) not sent \(([\d.]+) s\)", text)
st = re.search(r"requests (\d+), throttled (\d+), retried (\d+), latency p50 ([\d.]+) ms p95 ([\d.]+) ms", text)
w = re.search(r"synchronous: up to (\d+) calls at once", text)
if not m:
    sys.exit("bench: invoke failed (exit %s): %s" % (rc, text.strip()[-300:]))
refused = sum(1 for line in open(simlog, errors="replace")
              if "InvokeThingService" in line and "Throttling" in line)
op_s, wall = float(m.group(6)), float(t1) - float(t0)
label = "loopback" if lat == "0" else "+%s ms per answer" % lat
print("  %-18s %6.2f s  (%.3fx the %s s floor, %.3fx %s s; %.0f calls/s); command %.2f s;"
      " %s ok, %s failed, %s unknown, %s not sent; simulator Throttling refusals %d"
      " (client saw %s); %s requests, up to %s at once; latency p50 %s ms p95 %s ms"
      % (label, op_s, op_s / float(floor), floor, op_s / float(blind), blind, int(n) / op_s,
         wall, m.group(2), m.group(3), m.group(4), m.group(5), refused,
         st.group(2) if st else "?", st.group(1) if st else "?", w.group(1) if w else "?",
         st.group(4) if st else "?", st.group(5) if st else "?"))
PY
    rm -f "$tmp/audit.log" "$tmp/sim.log"
done
