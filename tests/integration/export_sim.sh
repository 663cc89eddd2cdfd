#!/bin/sh
# export_sim.sh — `iotdeck export` against iotdeck-sim: products, groups and devices in CSV
# and JSON, every device exactly once (also past the 10,000-device NextToken switch, and
# with injected faults when the simulator has --fault-rate), Ctrl-C leaves a valid file.
# Skips while `export` is not wired into the binary.
set -u
. tests/integration/lib.sh

bin="$BUILD/iotdeck"
[ -x "$bin" ] || { echo "skip: export_sim.sh: $bin not built"; exit 0; }
if "$bin" export 2>&1 | grep -q "unknown command"; then
    echo "skip: export_sim.sh: 'iotdeck export' is not wired into main.c yet"; exit 0
fi

out=$(mktemp -d)
trap 'stop_sim; rm -rf "$out"' EXIT
fault=""
"$BUILD/iotdeck-sim" --help 2>&1 | grep -q -- '--fault-rate' && fault="--fault-rate 0.05"
# 10,600 devices in one product: 200 pages by number, 12 by NextToken.
# shellcheck disable=SC2086
start_sim --seed 3 --products 1 --devices 10600 $fault

export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
export IOTDECK_ENDPOINT=$SIM_URL
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN

# Usage errors.
"$bin" export 2>/dev/null; expect_status 2 $? "export without a kind"
"$bin" export devices 2>/dev/null; expect_status 2 $? "export devices without --product"
"$bin" export devices --product x --format xml 2>/dev/null; expect_status 2 $? "bad --format"

"$bin" export products --output "$out/p.csv" 2>"$out/e"
expect_status 0 $? "export products: $(cat "$out/e")"
head -1 "$out/p.csv" | grep -q '^ProductKey,ProductName,' || fail "products CSV header"
pk=$(sed -n 2p "$out/p.csv" | cut -d, -f1)
[ -n "$pk" ] || fail "no product exported"

"$bin" export groups --format json -o "$out/g.json" 2>"$out/e"
expect_status 0 $? "export groups: $(cat "$out/e")"
python3 -c 'import json,sys; assert isinstance(json.load(open(sys.argv[1])), list)' "$out/g.json" \
    || fail "groups JSON is not an array"

# Devices: CSV, every IotId once, the count the simulator holds, no secret.
"$bin" export devices --product "$pk" --output "$out/d.csv" 2>"$out/e"
expect_status 0 $? "export devices: $(cat "$out/e")"
python3 - "$out/d.csv" <<'EOF' || fail "devices CSV: see above"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline='')))
ids = [r['IotId'] for r in rows]
assert len(ids) == 10600, f"{len(ids)} rows, expected 10600"
assert len(set(ids)) == 10600, f"{len(ids) - len(set(ids))} duplicates"
assert 'DeviceSecret' not in rows[0]
EOF
grep -q 'written to' "$out/e" || fail "no summary line: $(cat "$out/e")"

# JSON: a valid array, the same devices, secrets removed.
"$bin" export devices --product "$pk" --format json --output "$out/d.json" 2>/dev/null
expect_status 0 $? "export devices --format json"
python3 - "$out/d.json" "$out/d.csv" <<'EOF' || fail "devices JSON: see above"
import csv, json, sys
items = json.load(open(sys.argv[1]))
ids = {d['IotId'] for d in items}
assert len(items) == 10600 and len(ids) == 10600, (len(items), len(ids))
assert all('DeviceSecret' not in d for d in items)
assert ids == {r['IotId'] for r in csv.DictReader(open(sys.argv[2], newline=''))}
EOF

# Ctrl-C part way: exit 130, a valid file, a message saying so. The rows go to a
# temporary file beside the target until the export ends (export_files.sh).
"$bin" export devices --product "$pk" --format json --output "$out/i.json" 2>"$out/ie" &
pid=$!
i=0
while :; do
    tmp=$(ls -A "$out" | grep '^\.i\.json\.iotdeck-' | head -1)
    [ -n "$tmp" ] && [ "$(wc -c <"$out/$tmp" 2>/dev/null || echo 0)" -ge 200000 ] && break
    i=$((i + 1)); [ $i -gt 200 ] && break
    sleep 0.05
done
kill -INT $pid
wait $pid; rc=$?
expect_status 130 $rc "interrupted export: $(cat "$out/ie")"
grep -q 'interrupted' "$out/ie" || fail "no interruption message: $(cat "$out/ie")"
python3 - "$out/i.json" <<'EOF' || fail "interrupted JSON is not valid"
import json, sys
items = json.load(open(sys.argv[1]))
assert 0 < len(items) < 10600, len(items)
assert len({d['IotId'] for d in items}) == len(items)
EOF
pass
