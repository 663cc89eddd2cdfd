#!/bin/sh
# export_files.sh — `iotdeck export -o FILE` writes a temporary file in FILE's directory
# (mode 0600 until done) and renames it over FILE only when the export ends: an export that
# fails before its first row, or cannot connect, or is interrupted before any data, leaves
# the old file untouched and no temporary file; a symbolic link at FILE is refused, never
# followed; Ctrl-C part way keeps what was written, as a valid file; the final mode is the
# old file's, else 0666 less the umask; SIGTERM removes the temporary file.
set -u
. tests/integration/lib.sh

bin="$BUILD/iotdeck"
out=$(mktemp -d)
d="$out/exports"
mkdir "$d"
trap 'stop_sim; rm -rf "$out"' EXIT
# Slow answers, so that an export takes a few seconds (and Ctrl-C lands in the middle).
start_sim --seed 5 --products 1 --devices 3000 --latency-ms 150

export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
export IOTDECK_ENDPOINT=$SIM_URL
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN

no_temp_left() { # WHAT
    ls -A "$d" | grep -q 'iotdeck-' && fail "$1: a temporary file was left: $(ls -A "$d")"
    return 0
}
mode() { stat -c %a "$1"; }

pk=$("$bin" call QueryProductList CurrentPage=1 PageSize=10 | sed -n 's/.*"ProductKey": "\([^"]*\)".*/\1/p' | head -1)
[ -n "$pk" ] || fail "no product in the simulator"

# An export that fails before its first row (an unknown product): no new file, and an
# old one untouched.
"$bin" export devices --product NOPE -o "$d/a.csv" 2>"$out/e"
expect_status 1 $? "export of an unknown product"
[ -e "$d/a.csv" ] && fail "a failed export left a file: $(cat "$d/a.csv")"
grep -q 'NotExistedProduct\|not exist' "$out/e" || fail "unknown product: $(cat "$out/e")"
no_temp_left "unknown product"
printf 'old\n' >"$d/a.csv"
"$bin" export devices --product NOPE -o "$d/a.csv" 2>"$out/e"
expect_status 1 $? "export of an unknown product over a file"
[ "$(cat "$d/a.csv")" = old ] || fail "a failed export replaced the old file: $(cat "$d/a.csv")"
grep -q 'left as it was\|not changed\|untouched' "$out/e" || fail "the message does not say the file was kept: $(cat "$out/e")"
no_temp_left "unknown product over a file"

# An export that cannot connect: the old export stays.
printf 'old\n' >"$d/b.csv"
port=$(free_port)
"$bin" export products -o "$d/b.csv" --endpoint "http://127.0.0.1:$port/" --timeout 2 2>"$out/e"
expect_status 3 $? "export without a server"
[ "$(cat "$d/b.csv")" = old ] || fail "an export that could not connect replaced the file: $(cat "$d/b.csv")"
no_temp_left "no server"

# A symbolic link at the target is refused, never followed (dangling or not).
printf 'victim\n' >"$out/victim"
ln -s "$out/victim" "$d/c.csv"
"$bin" export products -o "$d/c.csv" 2>"$out/e"
expect_status 4 $? "export to a symbolic link"
grep -q 'symbolic link' "$out/e" || fail "symlink: $(cat "$out/e")"
[ "$(cat "$out/victim")" = victim ] || fail "the export wrote through the symbolic link"
[ -L "$d/c.csv" ] || fail "the symbolic link was replaced"
ln -s "$out/nothere" "$d/c2.csv"
"$bin" export products -o "$d/c2.csv" 2>/dev/null
expect_status 4 $? "export to a dangling symbolic link"
[ -e "$out/nothere" ] && fail "the export created the target of a dangling symbolic link"
no_temp_left "symlink"

# Not a regular file, a missing directory: refused before any request.
"$bin" export products -o "$d" 2>"$out/e"
expect_status 4 $? "export to a directory"
grep -q 'not a regular file' "$out/e" || fail "directory: $(cat "$out/e")"
"$bin" export products -o "$d/nodir/x.csv" 2>"$out/e"
expect_status 4 $? "export into a missing directory"
grep -q 'nodir' "$out/e" || fail "missing directory: $(cat "$out/e")"
no_temp_left "directory"

# A complete export: a new file gets 0666 less the umask; a replaced file keeps its mode.
(umask 027; "$bin" export products -o "$d/f.csv" 2>"$out/e")
expect_status 0 $? "export products: $(cat "$out/e")"
[ "$(mode "$d/f.csv")" = 640 ] || fail "a new export has mode $(mode "$d/f.csv") under umask 027"
head -1 "$d/f.csv" | grep -q '^ProductKey,' || fail "products CSV: $(head -1 "$d/f.csv")"
printf 'old\n' >"$d/g.csv"; chmod 600 "$d/g.csv"
"$bin" export products -o "$d/g.csv" 2>/dev/null
expect_status 0 $? "export products over a 0600 file"
[ "$(mode "$d/g.csv")" = 600 ] || fail "the replaced file's mode 600 became $(mode "$d/g.csv")"
head -1 "$d/g.csv" | grep -q '^ProductKey,' || fail "the old file was not replaced"
no_temp_left "complete export"

# A complete export of nothing is a file too: a header, or [].
"$bin" call CreateProduct ProductName=empty_product NodeType=0 >"$out/cp" 2>"$out/e"
expect_status 0 $? "CreateProduct: $(cat "$out/e")"
epk=$(sed -n 's/.*"ProductKey": "\([^"]*\)".*/\1/p' "$out/cp" | head -1)
"$bin" export devices --product "$epk" -o "$d/j.csv" 2>"$out/e"
expect_status 0 $? "export of a product without devices: $(cat "$out/e")"
[ "$(wc -l <"$d/j.csv")" = 1 ] || fail "empty export: $(cat "$d/j.csv")"
"$bin" export devices --product "$epk" --format json -o "$d/j.json" 2>/dev/null
expect_status 0 $? "JSON export of a product without devices"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1])) == []' "$d/j.json" || fail "empty JSON export: $(cat "$d/j.json")"

# Ctrl-C part way: the old file stays whole until the end (not truncated when the export
# starts), the temporary file is private, and then the rows written so far replace it.
printf 'old\n' >"$d/h.json"; chmod 644 "$d/h.json"
"$bin" export devices --product "$pk" --format json -o "$d/h.json" 2>"$out/he" &
pid=$!
i=0; tmp=""
while :; do
    i=$((i + 1)); [ $i -gt 400 ] && fail "no temporary file with data appeared: $(ls -A "$d")"
    tmp=$(ls -A "$d" | grep '^\.h\.json\.iotdeck-' | head -1)
    [ -n "$tmp" ] && [ "$(wc -c <"$d/$tmp" 2>/dev/null || echo 0)" -gt 1000 ] && break
    sleep 0.05
done
[ "$(mode "$d/$tmp")" = 600 ] || fail "the temporary file has mode $(mode "$d/$tmp")"
[ "$(cat "$d/h.json")" = old ] || fail "the old file changed while the export ran"
kill -INT $pid
wait $pid; rc=$?
expect_status 130 $rc "interrupted export: $(cat "$out/he")"
grep -q 'interrupted' "$out/he" || fail "no interruption message: $(cat "$out/he")"
python3 - "$d/h.json" <<'EOF' || fail "the interrupted JSON export is not valid"
import json, sys
items = json.load(open(sys.argv[1]))
assert 0 < len(items) < 3000, len(items)
assert len({d['IotId'] for d in items}) == len(items)
EOF
[ "$(mode "$d/h.json")" = 644 ] || fail "the interrupted export's mode is $(mode "$d/h.json")"
no_temp_left "interrupted export"

# SIGTERM (or a second Ctrl-C) ends it at once: the temporary file goes, the old file stays.
printf 'old\n' >"$d/k.csv"
"$bin" export devices --product "$pk" -o "$d/k.csv" 2>/dev/null &
pid=$!
i=0
until ls -A "$d" | grep -q '^\.k\.csv\.iotdeck-'; do
    i=$((i + 1)); [ $i -gt 200 ] && fail "no temporary file appeared for k.csv"
    sleep 0.05
done
sleep 0.5
kill -TERM $pid
wait $pid; rc=$?
expect_status 143 $rc "export ended by SIGTERM"
[ "$(cat "$d/k.csv")" = old ] || fail "an export ended by SIGTERM replaced the file"
no_temp_left "SIGTERM"
stop_sim

# Ctrl-C before any data: the old file stays, the temporary file goes.
start_sim --seed 5 --products 1 --devices 10 --latency-ms 5000
export IOTDECK_ENDPOINT=$SIM_URL
printf 'old\n' >"$d/i.csv"
"$bin" export products -o "$d/i.csv" 2>"$out/ie" &
pid=$!
i=0
until ls -A "$d" | grep -q '^\.i\.csv\.iotdeck-'; do
    i=$((i + 1)); [ $i -gt 200 ] && fail "no temporary file appeared"
    sleep 0.05
done
sleep 0.3
kill -INT $pid
wait $pid; rc=$?
expect_status 130 $rc "export interrupted before any data: $(cat "$out/ie")"
[ "$(cat "$d/i.csv")" = old ] || fail "an export interrupted before any data replaced the file"
grep -q 'left as it was\|not changed\|untouched' "$out/ie" || fail "the message does not say the file was kept: $(cat "$out/ie")"
no_temp_left "interrupted before any data"
pass
