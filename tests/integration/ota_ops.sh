#!/bin/sh
# ota_ops.sh — the other `iotdeck ota` commands against iotdeck-sim: a job that needs
# confirmation (tasks in CONFIRM until `ota confirm`, 10 a request), `ota cancel-devices`,
# `ota cancel` without a state refused, a dynamic job and `ota cancel --strategy`, `ota
# watch --max-failed 0 --cancel-on-fail` (every task fails: the rest is cancelled),
# `ota watch`'s bar on a terminal, `ota delete`, `ota jobs --json`, more than 200 devices
# refused and sent with --dn-list as a device-list file, and an upload with
# --sign-method SHA256, which the guide (and so the simulator) refuses after the upload:
# no firmware is created.
set -u
. tests/integration/lib.sh

bin="$BUILD/iotdeck"
tmp=$(mktemp -d)
trap 'stop_sim; rm -rf "$tmp"' EXIT
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN
export HOME="$tmp/home" XDG_STATE_HOME="$tmp/state"
mkdir -p "$HOME"
audit="$XDG_STATE_HOME/iotdeck/audit.log"
json_get() { # EXPR  (python on standard input's JSON: d)
    python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"
}

start_sim --seed 7 --products 3 --devices 900 --flap-minutes 0 --time-scale 300 --ota-fail-rate 0
export IOTDECK_ENDPOINT=$SIM_URL
pk=$("$bin" export products 2>/dev/null | sed -n 2p | cut -d, -f1)
"$bin" export devices --product "$pk" >"$tmp/devs" 2>/dev/null || fail "export devices"
grep ",ONLINE," "$tmp/devs" | cut -d, -f2 >"$tmp/online"
[ "$(wc -l <"$tmp/online")" -ge 30 ] || fail "fewer than 30 online devices"
head -c 100000 /dev/urandom >"$tmp/fw.bin"

# SHA256: computed and sent; the guide documents MD5 only, so the upload is refused.
"$bin" ota upload "$tmp/fw.bin" --product "$pk" --dest-version 5.0.0 --name sha \
    --sign-method SHA256 >"$tmp/o" 2>"$tmp/e"
expect_status 1 $? "an upload with SHA256"
grep -q "iot.firmware.InvalidFirmwareSignMethod" "$tmp/e" || fail "the refusal: $(cat "$tmp/e")"
grep -q '"SignMethod":"SHA256".*"FirmwareSign":"'"$(sha256sum "$tmp/fw.bin" | cut -d' ' -f1)"'"' "$audit" ||
    grep -q '"FirmwareSign":"'"$(sha256sum "$tmp/fw.bin" | cut -d' ' -f1)"'"' "$audit" ||
    fail "the SHA256 sent is not the file's: $(grep CreateOTAFirmware "$audit")"
[ -s "$tmp/o" ] && fail "a FirmwareId was printed for a refused firmware"
"$bin" ota upload "$tmp/fw.bin" --product "$pk" --dest-version 5.0.0 --type diff >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "--type diff without --src-version"
grep -q -- "--type diff needs --src-version V (CreateOTAFirmware SrcVersion)" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"

# A firmware that needs no verification.
fw=$("$bin" ota upload "$tmp/fw.bin" --product "$pk" --dest-version 5.0.0 --name nv \
    --no-verify 2>"$tmp/e")
expect_status 0 $? "ota upload --no-verify: $(cat "$tmp/e")"
"$bin" call QueryOTAFirmware FirmwareId="$fw" | json_get 'd["FirmwareInfo"]["Status"]' |
    grep -qx -- -1 || fail "the firmware needs verification"

# Confirmation: 12 tasks wait in CONFIRM until confirmed (two ConfirmOTATask requests).
devs=$(sed -n 1,12p "$tmp/online" | paste -sd, -)
job=$("$bin" ota upgrade "$fw" --devices "$devs" --need-confirm 2>"$tmp/e")
expect_status 0 $? "ota upgrade --need-confirm: $(cat "$tmp/e")"
"$bin" ota tasks "$job" --status CONFIRM --json >"$tmp/tasks" 2>"$tmp/e" || fail "ota tasks: $(cat "$tmp/e")"
[ "$(wc -l <"$tmp/tasks")" -eq 12 ] || fail "$(wc -l <"$tmp/tasks") tasks in CONFIRM"
# shellcheck disable=SC2046
"$bin" ota confirm $(python3 -c 'import json,sys
for l in open(sys.argv[1]): print(json.loads(l)["TaskId"])' "$tmp/tasks") >"$tmp/o" 2>"$tmp/e"
expect_status 0 $? "ota confirm: $(cat "$tmp/e")"
[ "$(grep -c "ok .*ConfirmOTATask" "$tmp/o")" -eq 2 ] || fail "not two ConfirmOTATask: $(cat "$tmp/o")"
grep -q "^tasks 1-10 of 12 " "$tmp/o" || fail "the items: $(cat "$tmp/o")"
"$bin" ota watch "$job" --interval 1 >"$tmp/o" 2>"$tmp/e"
expect_status 0 $? "ota watch of the confirmed job: $(cat "$tmp/e")"
grep -q "after .* s: 12 tasks: ok 12, failed 0" "$tmp/e" || fail "the end: $(cat "$tmp/e")"

# The bar on a terminal (script(1) gives the watch one).
script -qec "'$bin' ota watch '$job' --interval 1" /dev/null >"$tmp/tty" 2>&1
grep -q '\[############################## *\] 12/12 ok 12, failed 0' "$tmp/tty" ||
    fail "no bar on a terminal: $(cat -v "$tmp/tty")"

# cancel-devices and cancel without a state.
devs=$(sed -n 13,30p "$tmp/online" | paste -sd, -)
job2=$("$bin" ota upgrade "$fw" --devices "$devs" --per-minute 10 2>"$tmp/e")
expect_status 0 $? "ota upgrade: $(cat "$tmp/e")"
"$bin" ota cancel "$job2" >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "ota cancel without a state"
grep -q "say which tasks to cancel" "$tmp/e" || fail "the reason: $(cat "$tmp/e")"
last=$(sed -n 30p "$tmp/online")
"$bin" ota cancel-devices "$fw" --devices "$last" --job "$job2" >"$tmp/o" 2>"$tmp/e"
expect_status 0 $? "ota cancel-devices: $(cat "$tmp/e")"
"$bin" ota tasks "$job2" --status CANCELED >"$tmp/o" 2>"$tmp/e" || fail "ota tasks"
grep -q " $last " "$tmp/o" || fail "$last was not cancelled: $(cat "$tmp/o")"
[ "$(($(wc -l <"$tmp/o") - 1))" -eq 1 ] || fail "more than one task cancelled: $(cat "$tmp/o")"

# A dynamic job on a source version, and its strategy cancelled.
djob=$("$bin" ota upgrade "$fw" --dynamic --src-version 1.0.0,1.1.0 --per-minute 10000 2>"$tmp/e")
expect_status 0 $? "ota upgrade --dynamic: $(cat "$tmp/e")"
"$bin" call QueryOTAJob JobId="$djob" | json_get 'd["Data"]["SelectionType"]' | grep -qx DYNAMIC ||
    fail "not a dynamic job"
"$bin" ota cancel "$djob" --strategy >"$tmp/o" 2>"$tmp/e"
expect_status 0 $? "ota cancel --strategy: $(cat "$tmp/e")"
"$bin" call QueryOTAJob JobId="$djob" | json_get 'd["Data"]["JobStatus"]' | grep -qx CANCELED ||
    fail "the dynamic job is not CANCELED"

# jobs --json: one JSON object a line per job, newest first.
"$bin" ota jobs "$fw" --json >"$tmp/o" 2>"$tmp/e" || fail "ota jobs --json"
[ "$(wc -l <"$tmp/o")" -eq 3 ] || fail "ota jobs --json: $(cat "$tmp/o")"
head -1 "$tmp/o" | json_get 'd["JobId"]' | grep -qx "$djob" || fail "the newest job first"

# More than 200 devices: refused, or with --dn-list sent as a device-list file
# (GenerateDeviceNameListURL, its upload, DnListFileUrl).
cut -d, -f2 "$tmp/devs" | sed 1d | sed -n 31,280p >"$tmp/250"
"$bin" ota upgrade "$fw" --devices-from "$tmp/250" >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "250 named devices"
grep -q -- "--devices: 250 named, at most 200 (CreateOTAStaticUpgradeJob TargetDeviceName.N; up to 10000 go in a device-list file: --dn-list)" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
ljob=$("$bin" ota upgrade "$fw" --devices-from "$tmp/250" --dn-list 2>"$tmp/e")
expect_status 0 $? "ota upgrade --dn-list: $(cat "$tmp/e")"
grep -q "ok .*GenerateDeviceNameListURL" "$tmp/e" || fail "no GenerateDeviceNameListURL: $(cat "$tmp/e")"
grep -q '"action":"CreateOTAStaticUpgradeJob".*"DnListFileUrl":"http' "$audit" ||
    fail "the job was not sent with DnListFileUrl"
"$bin" call ListOTATaskByJob JobId="$ljob" PageSize=1 | json_get 'd["Total"]' | grep -qx 250 ||
    fail "the device-list job does not have 250 tasks"
"$bin" ota tasks "$ljob" 2>/dev/null | grep -q " $(sed -n 250p "$tmp/250") " || fail "the last listed device has no task"
echo "no-such-device" >>"$tmp/250"
"$bin" ota upgrade "$fw" --devices-from "$tmp/250" --dn-list >"$tmp/o" 2>"$tmp/e"
expect_status 1 $? "a device-list file with an unknown device"
grep -q "iot.ota.DeviceNotExist" "$tmp/e" || fail "the refusal: $(cat "$tmp/e")"
stop_sim

# --cancel-on-fail: every task fails; the first failure passes --max-failed 0, the rest
# is cancelled and nothing is left running.
start_sim --seed 7 --products 3 --devices 900 --flap-minutes 0 --time-scale 300 --ota-fail-rate 1
export IOTDECK_ENDPOINT=$SIM_URL
fw=$("$bin" ota upload "$tmp/fw.bin" --product "$pk" --dest-version 6.0.0 --no-verify 2>"$tmp/e")
expect_status 0 $? "ota upload: $(cat "$tmp/e")"
devs=$(sed -n 1,60p "$tmp/online" | paste -sd, -)
job=$("$bin" ota upgrade "$fw" --devices "$devs" --per-minute 10 2>"$tmp/e")
expect_status 0 $? "ota upgrade: $(cat "$tmp/e")"
"$bin" ota watch "$job" --max-failed 0 --cancel-on-fail --interval 1 >"$tmp/o" 2>"$tmp/e"
expect_status 1 $? "ota watch --cancel-on-fail: $(cat "$tmp/e")"
grep -q "more than --max-failed 0" "$tmp/e" || fail "the trip: $(cat "$tmp/e")"
grep -q "ok .*CancelOTATaskByJob" "$tmp/e" || fail "no cancel: $(cat "$tmp/e")"
for s in QUEUED NOTIFIED IN_PROGRESS; do
    "$bin" call ListOTATaskByJob JobId="$job" TaskStatus=$s PageSize=1 | json_get 'd["Total"]' |
        grep -qx 0 || fail "tasks left $s after --cancel-on-fail"
done
"$bin" call ListOTATaskByJob JobId="$job" TaskStatus=CANCELED PageSize=1 | json_get 'd["Total"]' |
    grep -qx 0 && fail "nothing was cancelled"

# delete: the firmware is gone.
"$bin" ota delete "$fw" >"$tmp/o" 2>"$tmp/e"
expect_status 0 $? "ota delete: $(cat "$tmp/e")"
"$bin" call QueryOTAFirmware FirmwareId="$fw" >/dev/null 2>"$tmp/e"
expect_status 1 $? "QueryOTAFirmware of a deleted firmware"
grep -q '"action":"DeleteOTAFirmware".*"outcome":"ok"' "$audit" || fail "the delete is not in the audit log"
pass
