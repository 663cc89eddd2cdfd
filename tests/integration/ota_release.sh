#!/bin/sh
# ota_release.sh — a whole firmware release from a script against iotdeck-sim, as a CI
# pipeline runs it: `iotdeck ota upload` of a random 3 MiB file (the simulator's record
# of it has the file's size and MD5), `ota verify` on 2 devices and `ota watch` until the
# firmware is verified, `ota upgrade` of a group of 500 devices with --per-minute, `ota
# watch --max-failed 5%` tripping on the simulator's failures (exit 1 at once), `ota
# cancel` of what has not finished, `ota retry` of the failed tasks, a last watch, and the
# final task states checked against ListOTATaskByJob. Also the refusals, with nothing
# sent: more than 10 verify devices, more than 200 named devices, values out of their
# documented ranges, a file over the documented 2,000 MB (sparse) and over the upload
# policy's limit (the simulator's --ota-max-upload-mb), a read-only session. Every write
# is in the audit log. The world runs 300 times faster (--time-scale); 30% of the tasks
# fail (--ota-fail-rate 0.3), the verifications' too; the seed makes it the same each run.
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

"$BUILD/iotdeck-sim" --help 2>&1 | grep -q -- '--ota-max-upload-mb' ||
    fail "iotdeck-sim has no --ota-max-upload-mb"

# Counts of each TaskStatus of a job, read with the API itself (every page).
api_counts() { # JOBID
    python3 - "$bin" "$1" <<'EOF'
import json, subprocess, sys
b, job = sys.argv[1], sys.argv[2]
counts, page = {}, 1
while True:
    out = subprocess.run([b, "call", "ListOTATaskByJob", "JobId=" + job, "PageSize=100",
                          "CurrentPage=%d" % page], check=True, capture_output=True).stdout
    d = json.loads(out)
    items = d["Data"].get("SimpleOTATaskInfo", [])
    for t in items:
        counts[t["TaskStatus"]] = counts.get(t["TaskStatus"], 0) + 1
    if page * 100 >= d["Total"] or not items:
        break
    page += 1
print(" ".join("%s=%d" % kv for kv in sorted(counts.items())))
EOF
}

# ---- upload and verify ----------------------------------------------------------------
start_sim --seed 5 --products 6 --devices 3000 --flap-minutes 0 --time-scale 300 \
    --ota-fail-rate 0.3 --ota-max-upload-mb 4
export IOTDECK_ENDPOINT=$SIM_URL
"$bin" export products >"$tmp/products" 2>/dev/null || fail "export products"
pk=$(sed -n 2p "$tmp/products" | cut -d, -f1)
[ -n "$pk" ] || fail "no product"
"$bin" export devices --product "$pk" >"$tmp/devs" 2>/dev/null || fail "export devices"
[ "$(grep -c "^[^,]*,[^,]*,$pk," "$tmp/devs")" -ge 500 ] || fail "fewer than 500 devices in $pk"

head -c 3145728 /dev/urandom >"$tmp/fw.bin"
fw=$("$bin" ota upload "$tmp/fw.bin" --product "$pk" --dest-version 3.1.0 \
    --name release-3.1.0 --desc "release 3.1.0" 2>"$tmp/e")
expect_status 0 $? "ota upload: $(cat "$tmp/e")"
[ -n "$fw" ] || fail "ota upload printed no FirmwareId"
grep -q "GenerateOTAUploadURL" "$tmp/e" || fail "no GenerateOTAUploadURL result: $(cat "$tmp/e")"
"$bin" call QueryOTAFirmware FirmwareId="$fw" >"$tmp/fwinfo" || fail "QueryOTAFirmware"
size=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["FirmwareInfo"]["FirmwareSize"])' "$tmp/fwinfo")
sign=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["FirmwareInfo"]["FirmwareSign"])' "$tmp/fwinfo")
[ "$size" = "$(stat -c %s "$tmp/fw.bin")" ] || fail "firmware size $size, the file's $(stat -c %s "$tmp/fw.bin")"
[ "$sign" = "$(md5sum "$tmp/fw.bin" | cut -d' ' -f1)" ] || fail "firmware sign $sign is not the file's MD5"
grep -q '"action":"CreateOTAFirmware".*"outcome":"ok"' "$audit" || fail "CreateOTAFirmware not in the audit log"
grep -q '"action":"GenerateOTAUploadURL".*"outcome":"ok"' "$audit" || fail "GenerateOTAUploadURL not in the audit log"

# Refusals of upload: over the policy's limit (4 MiB here), over the documented 2,000 MB.
lines=$(wc -l <"$audit")
head -c 5000000 /dev/urandom >"$tmp/big.bin"
"$bin" ota upload "$tmp/big.bin" --product "$pk" --dest-version 3.1.1 >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "an upload over the policy's limit"
grep -q "the upload policy allows at most 4194304 (content-length-range); nothing was uploaded" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
truncate -s 2001M "$tmp/huge.bin"
"$bin" ota upload "$tmp/huge.bin" --product "$pk" --dest-version 3.1.1 >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "an upload over 2,000 MB"
grep -q "expected 1 byte to 2,000 MB (GenerateOTAUploadURL: the upload limit); nothing was sent" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
rm -f "$tmp/huge.bin"
[ "$(wc -l <"$audit")" -eq $((lines + 1)) ] || fail "refused uploads wrote more than their GenerateOTAUploadURL"
"$bin" call ListOTAFirmware CurrentPage=1 PageSize=100 ProductKey="$pk" | grep -qF '"DestVersion": "3.1.1"' &&
    fail "a refused upload created a firmware"

# Verify: more than 10 devices refused (nothing sent), then 2 online devices.
"$bin" ota verify "$fw" --devices a,b,c,d,e,f,g,h,i,j,k >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "11 verify devices"
grep -q -- "--devices: 11 named, at most 10 (CreateOTAVerifyJob TargetDeviceName.N)" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
"$bin" ota verify "$fw" --devices a --timeout 2000 >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "a verify timeout out of range"
grep -q -- "--timeout 2000: expected 1..1440 (CreateOTAVerifyJob TimeoutInMinutes)" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
# A verification fails when one of its devices does (30% here, as a pipeline meets it):
# then the firmware's Status is 3 and it is verified again on the next two devices.
grep ",ONLINE," "$tmp/devs" | cut -d, -f2 >"$tmp/online"
try=0
while :; do
    try=$((try + 1))
    [ $try -le 8 ] || fail "8 verifications failed"
    two=$(sed -n "$((2 * try - 1)),$((2 * try))p" "$tmp/online" | paste -sd, -)
    vjob=$("$bin" ota verify "$fw" --devices "$two" --timeout 30 2>"$tmp/e")
    expect_status 0 $? "ota verify: $(cat "$tmp/e")"
    "$bin" ota watch "$vjob" --interval 1 >"$tmp/o" 2>"$tmp/e"
    rc=$?
    grep -q "COMPLETED after" "$tmp/e" || fail "the verification did not complete: $(cat "$tmp/e")"
    st=$("$bin" call QueryOTAFirmware FirmwareId="$fw" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["FirmwareInfo"]["Status"])')
    if [ $rc -eq 0 ]; then
        [ "$st" = 1 ] || fail "the watch exited 0 and the firmware's Status is $st"
        break
    fi
    expect_status 1 $rc "ota watch of a failed verification: $(cat "$tmp/e")"
    [ "$st" = 3 ] || fail "the watch exited 1 and the firmware's Status is $st"
done

# A group of 500 of the product's devices (CreateDeviceGroup, 200 a batch).
gid=$("$bin" call CreateDeviceGroup GroupName=ota_wave_1 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Data"]["GroupId"])')
[ -n "$gid" ] || fail "no group"
grep "^[^,]*,[^,]*,$pk," "$tmp/devs" | head -500 | cut -d, -f2 >"$tmp/wave"
for start in 1 201 401; do
    args=$(sed -n "${start},$((start + 199))p" "$tmp/wave" | awk -v pk="$pk" \
        '{ printf "Device.%d.ProductKey=%s Device.%d.DeviceName=%s ", NR, pk, NR, $0 }')
    # shellcheck disable=SC2086
    "$bin" call BatchAddDeviceGroupRelations GroupId="$gid" $args >/dev/null ||
        fail "BatchAddDeviceGroupRelations"
done

# Upgrade refusals: every value checked before anything is sent.
lines=$(wc -l <"$audit")
awk '{ printf "%s%s", (NR > 1 ? "," : ""), $0 }' "$tmp/wave" | cut -d, -f1-201 >"$tmp/201"
"$bin" ota upgrade "$fw" --devices "$(cat "$tmp/201")" >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "201 named devices"
grep -q -- "--devices: 201 named, at most 200 (CreateOTAStaticUpgradeJob TargetDeviceName.N" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
"$bin" ota upgrade "$fw" --gray 120 >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "--gray 120"
grep -q -- "--gray 120: expected 1..100 (CreateOTAStaticUpgradeJob GrayPercent)" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
"$bin" ota upgrade "$fw" --all --per-minute 5 >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "--per-minute 5"
grep -q -- "--per-minute 5: expected 10..10000 (CreateOTAStaticUpgradeJob MaximumPerMinute)" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
"$bin" ota upgrade "$fw" --all --retry-interval 15 --retry-count 1 >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "--retry-interval 15"
grep -q -- "--retry-interval 15: expected 0, 10, 30, 60 or 1440 (CreateOTAStaticUpgradeJob RetryInterval)" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
"$bin" ota upgrade "$fw" --all --retry-interval 60 --retry-count 2 --timeout 60 >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "--retry-interval not below --timeout"
grep -q -- "--retry-interval 60: expected less than --timeout 60" "$tmp/e" || fail "the reason: $(cat "$tmp/e")"
"$bin" ota upgrade "$fw" --all --schedule +2m >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "--schedule +2m"
grep -q -- "--schedule: 2.0 minutes from now: expected 5 minutes to 7 days ahead" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
"$bin" ota upgrade "$fw" --all --schedule +1h --finish +90m >"$tmp/o" 2>"$tmp/e"
expect_status 2 $? "--finish 30 minutes after --schedule"
grep -q -- "--finish: 30.0 minutes after the start: expected 1 hour to 30 days" "$tmp/e" ||
    fail "the reason: $(cat "$tmp/e")"
"$bin" --readonly ota upgrade "$fw" --group "$gid" >"$tmp/o" 2>"$tmp/e"
expect_status 4 $? "a read-only session"
grep -q "iotdeck.ReadOnly: CreateOTAStaticUpgradeJob is a write" "$tmp/e" || fail "the refusal: $(cat "$tmp/e")"
[ "$(wc -l <"$audit")" -eq "$lines" ] || fail "a refused upgrade reached the audit log"

# ---- the rollout --------------------------------------------------------------------------
job=$("$bin" ota upgrade "$fw" --group "$gid" --per-minute 10 --timeout 10 2>"$tmp/e")
expect_status 0 $? "ota upgrade: $(cat "$tmp/e")"
[ -n "$job" ] || fail "ota upgrade printed no JobId"
grep -q '"action":"CreateOTAStaticUpgradeJob".*"TargetSelection":"GROUP".*"MaximumPerMinute":"10"' "$audit" ||
    fail "the upgrade is not in the audit log as sent"

# The stop rule: more than 5% failed -> exit 1 at once, long before the job ends.
"$bin" ota watch "$job" --max-failed 5% --interval 1 >"$tmp/watch1" 2>"$tmp/e"
expect_status 1 $? "ota watch --max-failed 5%: $(cat "$tmp/e")"
grep -q "tasks failed: more than --max-failed 5%" "$tmp/e" || fail "the trip: $(cat "$tmp/e")"
grep -q "IN_PROGRESS" "$tmp/watch1" || fail "no progress lines: $(cat "$tmp/watch1")"

# Cancel what has not finished, then retry the failed tasks.
"$bin" ota cancel "$job" --queued --notified --in-progress >"$tmp/o" 2>"$tmp/e"
expect_status 0 $? "ota cancel: $(cat "$tmp/e")"
grep -q "ok .*CancelOTATaskByJob" "$tmp/o" || fail "the cancel's result: $(cat "$tmp/o")"
after_cancel=$(api_counts "$job")
case "$after_cancel" in *CANCELED=*) ;; *) fail "nothing was cancelled: $after_cancel" ;; esac
case "$after_cancel" in *QUEUED=*|*NOTIFIED=*|*IN_PROGRESS=*) fail "tasks left running after the cancel: $after_cancel" ;; esac
failed=$(echo "$after_cancel" | tr ' ' '\n' | sed -n 's/^FAILED=//p')
[ -n "$failed" ] && [ "$failed" -gt 25 ] || fail "not more than 25 failed tasks: $after_cancel"
"$bin" ota retry "$job" --failed >"$tmp/o" 2>"$tmp/e"
expect_status 0 $? "ota retry: $(cat "$tmp/e")"
grep -q "$failed tasks to upgrade again" "$tmp/e" || fail "retry: $(cat "$tmp/e")"
[ "$(grep -c "ok .*ReupgradeOTATask" "$tmp/o")" -eq $(((failed + 9) / 10)) ] ||
    fail "not one ReupgradeOTATask per 10 tasks: $(cat "$tmp/o")"

# The last watch: the job ends with canceled (and again failed) tasks: exit 1.
"$bin" ota watch "$job" --interval 1 >"$tmp/watch2" 2>"$tmp/e"
expect_status 1 $? "the last ota watch: $(cat "$tmp/e")"
summary=$(grep "after .* s: 500 tasks:" "$tmp/e") || fail "no final summary: $(cat "$tmp/e")"
final=$(api_counts "$job")
case "$final" in *QUEUED=*|*NOTIFIED=*|*IN_PROGRESS=*|*CONFIRM=*) fail "tasks not final: $final" ;; esac
for s in SUCCEEDED FAILED CANCELED; do
    n=$(echo "$final" | tr ' ' '\n' | sed -n "s/^$s=//p")
    short=$(case $s in SUCCEEDED) echo ok ;; FAILED) echo failed ;; CANCELED) echo canceled ;; esac)
    echo "$summary" | grep -q "$short ${n:-0}" || fail "watch says '$summary', ListOTATaskByJob $final"
done
[ "$(echo "$final" | tr ' ' '\n' | sed -n 's/^CANCELED=//p')" = \
  "$(echo "$after_cancel" | tr ' ' '\n' | sed -n 's/^CANCELED=//p')" ] ||
    fail "the canceled tasks changed: $after_cancel -> $final"
"$bin" ota tasks "$job" --status CANCELED >"$tmp/o" 2>"$tmp/e" || fail "ota tasks: $(cat "$tmp/e")"
[ "$(($(wc -l <"$tmp/o") - 1))" = "$(echo "$final" | tr ' ' '\n' | sed -n 's/^CANCELED=//p')" ] ||
    fail "ota tasks --status CANCELED listed $(($(wc -l <"$tmp/o") - 1)) ($final)"
"$bin" ota jobs "$fw" >"$tmp/o" 2>"$tmp/e" || fail "ota jobs: $(cat "$tmp/e")"
grep -q "$job .*UPGRADE_FIRMWARE" "$tmp/o" || fail "ota jobs: $(cat "$tmp/o")"
grep -q "$vjob .*VERIFY_FIRMWARE .*COMPLETED" "$tmp/o" || fail "ota jobs: $(cat "$tmp/o")"
[ "$(grep -c '"action":"ReupgradeOTATask"' "$audit")" -eq $(((failed + 9) / 10)) ] ||
    fail "ReupgradeOTATask lines in the audit log"
pass
