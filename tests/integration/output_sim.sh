#!/bin/sh
# output_sim.sh — what `iotdeck call` prints and `iotdeck export` writes when the API hands
# back hostile text (a group description and a product description holding a bidi
# override, a C1 CSI, a raw 0x9B byte, a zero width space, an escape sequence, a tag
# character, a byte that is not UTF-8): JSON is valid UTF-8, inert on a terminal and reads
# back to the same values; CSV in a file keeps the bytes; CSV on a terminal is display-safe.
set -u
. tests/integration/lib.sh

bin="$BUILD/iotdeck"
out=$(mktemp -d)
trap 'stop_sim; rm -rf "$out"' EXIT
start_sim --seed 11 --products 1 --devices 5

export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
export IOTDECK_ENDPOINT=$SIM_URL
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN

# RLO, C1 CSI, raw 0x9B, ZWSP, ESC[2J, TAG LATIN CAPITAL LETTER A, 0xFF.
evil=$(printf 'a\342\200\256b\302\2332Jc\2332Jd\342\200\213e\033[2Jf\363\240\201\201g\377h')
printf '%s' "$evil" >"$out/evil"

"$bin" call CreateDeviceGroup GroupName=hostile_group GroupDesc="$evil" >"$out/cg" 2>"$out/e"
expect_status 0 $? "CreateDeviceGroup: $(cat "$out/e")"
gid=$(sed -n 's/.*"GroupId": "\([^"]*\)".*/\1/p' "$out/cg")
[ -n "$gid" ] || fail "no GroupId in $(cat "$out/cg")"
"$bin" call CreateProduct ProductName=hostile_product NodeType=0 Description="$evil" \
    >/dev/null 2>"$out/e"
expect_status 0 $? "CreateProduct: $(cat "$out/e")"

# check.py KIND FILE: the checks in one place.
cat >"$out/check.py" <<'EOF'
import csv, io, json, sys
kind, path, evil_path = sys.argv[1], sys.argv[2], sys.argv[3]
raw = open(path, 'rb').read()
evil = open(evil_path, 'rb').read()
# What the value reads back as: the bytes that are not UTF-8 become U+FFFD, one each.
want = evil.decode('utf-8', errors='replace')

def unsafe(cp):
    return (cp < 0x20 or 0x7F <= cp <= 0x9F or 0x200B <= cp <= 0x200F or
            0x2028 <= cp <= 0x202E or 0x2060 <= cp <= 0x206F or cp == 0xFEFF or
            0xE0000 <= cp <= 0xE0FFF)

def inert(text, allowed):
    for i, ch in enumerate(text):
        if unsafe(ord(ch)) and ch not in allowed:
            sys.exit("%s: U+%04X at character %d: %r" % (kind, ord(ch), i, text[max(0, i - 20):i + 20]))

if kind in ('call', 'json'):
    try:
        text = raw.decode('utf-8')          # strict: invalid UTF-8 fails here
    except UnicodeDecodeError as e:
        sys.exit("%s: not UTF-8: %s" % (kind, e))
    inert(text, '\n')
    doc = json.loads(text)
    if kind == 'call':
        got = [doc['Data']['GroupDesc']]
    else:
        got = [x.get('GroupDesc', x.get('Description')) for x in doc]
        got = [g for g in got if g is not None and g.startswith('a')]
    assert got and all(g == want for g in got), (got, want)
elif kind == 'csvfile':
    # The file keeps the data: the very bytes, in a quoted-or-not field.
    assert evil in raw, "the description's bytes are not in the CSV file"
elif kind == 'csvtty':
    try:
        text = raw.decode('utf-8')
    except UnicodeDecodeError as e:
        sys.exit("csv on a terminal: not UTF-8: %s" % e)
    inert(text, '\r\n')
    shown = want.replace('\x1b', '\u241b')
    shown = ''.join('\ufffd' if unsafe(ord(c)) and c != '\u241b' else c for c in shown)
    assert shown in text, (shown, text)
EOF

# call: the answer printed with escapes.
"$bin" call QueryDeviceGroupInfo GroupId="$gid" >"$out/info" 2>"$out/e"
expect_status 0 $? "QueryDeviceGroupInfo: $(cat "$out/e")"
python3 "$out/check.py" call "$out/info" "$out/evil" || fail "call output: see above"
grep -qF '\u202e' "$out/info" || fail "call: the bidi override is not escaped: $(grep GroupDesc "$out/info")"

# JSON exports: json.load reads them, the values are the same.
"$bin" export groups --format json -o "$out/g.json" 2>"$out/e"
expect_status 0 $? "export groups: $(cat "$out/e")"
python3 "$out/check.py" json "$out/g.json" "$out/evil" || fail "groups JSON export: see above"
"$bin" export products --format json -o "$out/p.json" 2>"$out/e"
expect_status 0 $? "export products: $(cat "$out/e")"
python3 "$out/check.py" json "$out/p.json" "$out/evil" || fail "products JSON export: see above"
"$bin" export groups --format json >"$out/g-stdout.json" 2>"$out/e"
python3 "$out/check.py" json "$out/g-stdout.json" "$out/evil" || fail "groups JSON on stdout: see above"

# CSV in a file keeps the bytes.
"$bin" export groups -o "$out/g.csv" 2>"$out/e"
expect_status 0 $? "export groups CSV: $(cat "$out/e")"
python3 "$out/check.py" csvfile "$out/g.csv" "$out/evil" || fail "groups CSV file: see above"

# CSV on a terminal (a pty) is display-safe.
python3 - "$bin" "$out/g.tty" <<'EOF' || fail "export on a terminal did not run"
import os, pty, subprocess, sys
master, slave = pty.openpty()
p = subprocess.Popen([sys.argv[1], 'export', 'groups'], stdout=slave, stderr=subprocess.DEVNULL)
os.close(slave)
data = b''
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
p.wait()
open(sys.argv[2], 'wb').write(data)
sys.exit(p.returncode)
EOF
python3 "$out/check.py" csvtty "$out/g.tty" "$out/evil" || fail "groups CSV on a terminal: see above"
pass
