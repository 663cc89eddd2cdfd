#!/bin/sh
# The firmware pane's writes, against iotdeck-sim: :ota-verify on a devices pane's marked
# devices (the firmware's product read first, the devices named in the question; more than
# 10 refused with the limit; devices of another product refused), and from the firmware
# pane on the devices typed (the menu opens the prompt); :ota-upgrade's form (a value the
# CLI refuses refused the same way, the form kept open with its values and the reason;
# ALL has the product's device count typed) and a
# devices pane's marked devices as SPECIFIC targets; each an operation in the audit log.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
export TUI_ENV="XDG_STATE_HOME=$TUI_HOME/state"
writes=$TUI_HOME/writes.log
audit=$TUI_HOME/state/iotdeck/audit.log
start_sim --seed 5 --products 2 --devices 400 --time-scale 10 --write-log "$writes"
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
# TEXT in the question's box, where the box may wrap it (any space may be a line break).
asks() {
    tui_screen | python3 -c '
import sys
words = sys.argv[1].split()
flat = []
for l in sys.stdin.read().split("\n"):
    if l.count("\u2502") >= 2:
        flat += l[l.index("\u2502") + 1:l.rindex("\u2502")].split()
n = len(words)
sys.exit(0 if any(flat[i:i + n] == words for i in range(len(flat))) else 1)' "$1"
}
nwrites() {
    if [ -f "$writes" ]; then grep -c "\"$1\"" "$writes" || true; else echo 0; fi
}
"$BUILD/iotdeck" --endpoint "$SIM_URL" export products >"$TUI_HOME/p" 2>/dev/null || fail "export products"
pk=$(sed -n 2p "$TUI_HOME/p" | cut -d, -f1)
pk2=$(sed -n 3p "$TUI_HOME/p" | cut -d, -f1)
[ -n "$pk" ] && [ -n "$pk2" ] || fail "two products expected"
# A firmware that needs verifying (the seeded ones are verified).
head -c 65536 /dev/urandom >"$TUI_HOME/fw.bin"
fw=$("$BUILD/iotdeck" --endpoint "$SIM_URL" ota upload "$TUI_HOME/fw.bin" --product "$pk" \
    --dest-version 3.0.0 --name tui-fw 2>/dev/null) || fail "ota upload"
[ -n "$fw" ] || fail "no FirmwareId"
# The seeded (verified) firmware of that product.
fw0=$("$BUILD/iotdeck" --endpoint "$SIM_URL" call ListOTAFirmware CurrentPage=1 PageSize=10 |
    python3 -c 'import json,sys
for f in json.load(sys.stdin)["FirmwareInfo"]["SimpleFirmwareInfo"]:
    if f["ProductKey"] == sys.argv[1] and f["DestVersion"] == "2.1.0": print(f["FirmwareId"])' "$pk")
[ -n "$fw0" ] || fail "no seeded firmware of $pk"

tui_start 200 36
tui_wait "2 loaded"

# A devices pane: three marked devices, the firmware named.
tui_keys ":devices $pk" Enter
tui_wait "devices: 200 loaded" 10
tui_keys Space Space Space
tui_wait "3 marked" 5
tui_keys ":ota-verify $fw" Enter
tui_wait "Verify firmware tui-fw" 10
asks "on 3 devices of product $pk:" || fail "the question does not count the devices"
tui_screen | grep -q "CreateOTAVerifyJob" || fail "the question does not name the action"
tui_keys y
tui_wait "$fw CreateOTAVerifyJob: ok" 10
[ "$(nwrites CreateOTAVerifyJob)" -eq 1 ] || fail "expected one CreateOTAVerifyJob"
grep '"action":"CreateOTAVerifyJob"' "$audit" | grep -q '"TargetDeviceName.3"' ||
    fail "no audit line with the three devices"

# More than the documented 10: refused with the limit, nothing asked or sent.
tui_keys ":mark all" Enter
tui_wait "200 marked" 5
tui_keys ":ota-verify $fw" Enter
tui_wait "at most 10 (CreateOTAVerifyJob" 5
tui_screen | grep -qF "[y] yes" && fail "asked about 200 devices"
tui_keys ":unmark all" Enter
tui_wait_gone "200 marked" 5

# Devices of another product than the firmware's: refused once the product is read.
tui_keys ":devices $pk2" Enter
tui_wait "devices: 200 loaded" 10
tui_keys Space
tui_wait "1 marked" 5
tui_keys ":ota-verify $fw" Enter
tui_wait "firmware of $pk, devices of $pk2" 10
[ "$(nwrites CreateOTAVerifyJob)" -eq 1 ] || fail "a verification of another product's devices was sent"

# The firmware pane: the menu's v opens the prompt for the names; n leaves it unsent.
tui_keys 5
tui_wait "firmware: 3 loaded" 10
tui_keys a
tui_wait "OTA operations" 10
tui_screen | grep -q "Verify the firmware on devices" || fail "the menu does not offer :ota-verify"
tui_screen | grep -q "Create an upgrade job" || fail "the menu does not offer :ota-upgrade"
tui_keys v
tui_wait "type the DeviceNames" 5
name=$(tui_screen | sed -n 3p | awk '{print $1}')
tui_keys "dev-a,dev-b dev-c" Enter
tui_wait "Verify firmware $name" 10
asks "on 3 devices" || fail "the names typed are not counted"
tui_keys n
tui_wait_gone "Verify firmware" 5
[ "$(nwrites CreateOTAVerifyJob)" -eq 1 ] || fail "a refused question was sent"

# :ota-upgrade in the firmware pane: a form. A value the CLI refuses is refused the same
# way (nothing read or sent); ALL reads the product's device count and has it typed.
line=$(tui_screen | grep -n "$pk-fw-2.1.0" | head -1 | cut -d: -f1)
[ -n "$line" ] || fail "no seeded firmware of $pk"
tui_keys g
i=3
while [ $i -lt "$line" ]; do tui_keys j; i=$((i + 1)); done
tui_keys ":ota-upgrade" Enter
tui_wait "Upgrade job for firmware $pk-fw-2.1.0" 10
tui_keys Space Space
tui_wait "2 GRAY" 5
tui_keys Tab 120 C-s
tui_wait "--gray 120: expected 1..100" 10
# The form stays open with its values, to be corrected (or cancelled).
tui_screen | grep -q "Upgrade job for firmware" || fail "a refused form was closed (its values lost)"
tui_screen | grep -q "120" || fail "the refused form lost the value typed"
tui_keys Escape
tui_wait_gone "Upgrade job for firmware" 5
tui_keys ":ota-upgrade" Enter
tui_wait "Upgrade job for firmware $pk-fw-2.1.0" 10
tui_keys Space
tui_wait "1 ALL" 5
tui_keys C-s
tui_wait "Type 200 and Enter" 10
asks "Upgrade ALL 200 devices of product" || fail "the question does not name ALL and the count"
asks "($pk) to firmware $pk-fw-2.1.0" || fail "the question does not name the product and firmware"
tui_keys 199 Enter
sleep 0.5
[ "$(nwrites CreateOTAStaticUpgradeJob)" -eq 0 ] || fail "a wrong count was taken"
tui_keys BSpace BSpace BSpace 200 Enter
tui_wait "CreateOTAStaticUpgradeJob: ok" 10
[ "$(nwrites CreateOTAStaticUpgradeJob)" -eq 1 ] || fail "expected one CreateOTAStaticUpgradeJob"
grep '"CreateOTAStaticUpgradeJob"' "$writes" | grep -q '"TargetSelection":"ALL"' ||
    fail "the job was not sent for ALL"

# GROUP: the group's device count read (QueryDeviceGroupInfo) and named.
group=$("$BUILD/iotdeck" --endpoint "$SIM_URL" call QueryDeviceGroupList CurrentPage=1 PageSize=1 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Data"]["GroupInfo"][0]["GroupId"])')
gcount=$("$BUILD/iotdeck" --endpoint "$SIM_URL" call QueryDeviceGroupInfo GroupId="$group" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Data"]["DeviceCount"])')
tui_keys ":ota-upgrade" Enter
tui_wait "Upgrade job for firmware $pk-fw-2.1.0" 10
tui_keys Space Space Space
tui_wait "3 GROUP" 5
tui_keys Tab Tab "$group" C-s
tui_wait "(CreateOTAStaticUpgradeJob)?" 10
asks "Upgrade the $gcount devices of group" || fail "the question does not count the group's devices"
if [ "$gcount" -gt 10 ]; then tui_keys "$gcount" Enter; else tui_keys y; fi
tui_wait_gone "(CreateOTAStaticUpgradeJob)?" 10
# The simulator may find no device of the group free (the ALL job has them): what was
# sent is what counts here.
i=0
while [ "$(nwrites CreateOTAStaticUpgradeJob)" -lt 2 ]; do
    i=$((i + 1)); [ $i -gt 100 ] && fail "the group's job was not sent"; sleep 0.1
done
grep '"CreateOTAStaticUpgradeJob"' "$writes" | tail -1 | grep '"TargetSelection":"GROUP"' |
    grep -q "\"GroupId\":\"$group\"" || fail "the job was not sent for the group"
njobs=$(nwrites CreateOTAStaticUpgradeJob)

# A devices pane's 12 marked devices: SPECIFIC, the form without the targets, the number
# typed; the pacing given goes with the job.
tui_keys ":devices $pk" Enter
tui_wait "devices: 200 loaded" 10
tui_keys Space Space Space Space Space Space Space Space Space Space Space Space
tui_wait "12 marked" 5
tui_keys ":ota-upgrade $fw0" Enter
tui_wait "Upgrade 12 devices to firmware $fw0" 10
tui_screen | grep -q "target " && fail "the devices pane's form asks for targets"
tui_keys Tab Tab 100 C-s
tui_wait "Type 12 and Enter" 10
asks "Upgrade 12 devices of product $pk:" || fail "the question does not count the devices"
tui_keys 12 Enter
tui_wait "$fw0 CreateOTAStaticUpgradeJob: ok" 10
[ "$(nwrites CreateOTAStaticUpgradeJob)" -eq $((njobs + 1)) ] || fail "expected one more CreateOTAStaticUpgradeJob"
grep '"CreateOTAStaticUpgradeJob"' "$writes" | tail -1 | grep '"TargetSelection":"SPECIFIC"' |
    grep '"TargetDeviceName.12"' | grep -q '"MaximumPerMinute":"100"' ||
    fail "the job was not sent for the 12 devices at 100 a minute"
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
tui_stop

# Read-only: refused before anything is read.
tui_start 140 36 --readonly
tui_wait "2 loaded"
tui_keys 5
tui_wait "firmware: 3 loaded"
tui_keys ":ota-verify dev-a" Enter
tui_wait "read-only session" 10
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10

# :ota-upload in a simulator that answers late (the progress bar stays on screen while the
# upload's answer is on its way): Tab completes the file's name, the form's value the CLI
# refuses is refused, then the digest, GenerateOTAUploadURL, the PostObject with its bar,
# CreateOTAFirmware; the simulator checks the size and digest against what it received.
stop_sim
writes=$TUI_HOME/writes-upload.log
start_sim --seed 5 --products 2 --devices 40 --latency-ms 700 --write-log "$writes"
"$BUILD/iotdeck" --endpoint "$SIM_URL" export products >"$TUI_HOME/p" 2>/dev/null || fail "export products"
pk=$(sed -n 2p "$TUI_HOME/p" | cut -d, -f1)
head -c 3145728 /dev/urandom >"$TUI_HOME/upfile-3m.bin"
md5=$(md5sum "$TUI_HOME/upfile-3m.bin" | awk '{print $1}')
tui_start 200 36
tui_wait "2 loaded" 10
tui_keys 5
tui_wait "firmware: 2 loaded" 10
tui_keys ":ota-upload $TUI_HOME/upfile-" Tab
tui_wait ":ota-upload $TUI_HOME/upfile-3m.bin" 5
tui_keys Enter
tui_wait "Upload $TUI_HOME/upfile-3m.bin as a firmware" 10
tui_keys "$pk" Tab "v 1" C-s
tui_wait "--dest-version" 10
tui_screen | grep -q "as a firmware" || fail "a refused upload form was closed (its values lost)"
tui_screen | grep -q "v 1" || fail "the refused upload form lost the value typed"
[ "$(nwrites GenerateOTAUploadURL)" -eq 0 ] || fail "a refused form asked for an upload URL"
tui_keys Escape
tui_wait_gone "as a firmware" 5
tui_keys ":ota-upload $TUI_HOME/upfile-3m.bin" Enter
tui_wait "Upload $TUI_HOME/upfile-3m.bin as a firmware" 10
tui_keys "$pk" Tab 4.0.0 Tab tui-up C-s
tui_wait "[y] yes" 10
asks "as firmware \"tui-up\" version 4.0.0 of product $pk" || fail "the question does not name the firmware"
tui_keys y
tui_wait "ota-upload tui-up: uploading [" 15
tui_wait "ota-upload tui-up: firmware " 20
tui_screen | grep -q "3145728 bytes, MD5 $md5" || fail "the size and digest are not the file's"
tui_wait "firmware: 3 loaded" 10
tui_screen | grep -q "tui-up" || fail "the firmware pane does not show the new firmware"
[ "$(nwrites CreateOTAFirmware)" -eq 1 ] || fail "expected one CreateOTAFirmware"
grep '"CreateOTAFirmware"' "$writes" | grep -q "\"FirmwareSign\":\"$md5\"" ||
    fail "CreateOTAFirmware was not sent the file's digest"
grep -q '"action":"GenerateOTAUploadURL"' "$audit" || fail "no audit line for the upload URL"
grep -q '"action":"CreateOTAFirmware"' "$audit" || fail "no audit line for the firmware"
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
tui_stop
pass
