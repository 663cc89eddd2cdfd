#!/bin/sh
# The OTA pane: firmware -> jobs -> a job's tasks, whose counts and progress move while
# the simulator's rollout runs.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 5 --products 2 --devices 400 --time-scale 10

tui_start 140 36
tui_wait "2 loaded"
tui_keys 5
tui_wait "firmware: 2 loaded"
tui_keys Enter
tui_wait "jobs: "
tui_wait "upgrade"
# Each job shows its progress: ended of total, counted for the jobs on screen.
i=0
until tui_screen | grep -Eq "upgrade +[A-Z_]+ +[^ ]+ +[0-9]+/[0-9]+"; do
    i=$((i + 1))
    [ $i -gt 300 ] && { tui_screen >&2; fail "no job progress in the jobs pane"; }
    sleep 0.1
done
# Open the first upgrade job that is still running, if any, else the first job.
if tui_screen | grep -q "IN_PROGRESS"; then
    line=$(tui_screen | grep -n "IN_PROGRESS" | head -1 | cut -d: -f1)
    tui_keys g
    i=3
    while [ $i -lt "$line" ]; do tui_keys j; i=$((i + 1)); done
fi
tui_keys Enter
tui_wait "Job "
tui_wait " ended: " 15
first=$(tui_screen | grep -E "^CONFIRM " | head -1)
[ -n "$first" ] || fail "no task counts line"
# The rollout moves on: the counts change.
i=0
while [ "$(tui_screen | grep -E '^CONFIRM ' | head -1)" = "$first" ]; do
    i=$((i + 1))
    [ $i -gt 600 ] && { tui_screen >&2; fail "the task counts did not move in 60 s: $first"; }
    sleep 0.1
done
tui_screen | grep -q "█\|✗\|░\|▒" || fail "no progress bar drawn"
# The bar is honest: each state its own segment, and the text says what ended how.
tui_screen | grep -Eq "[0-9]+ of [0-9]+ ended: [0-9]+ succeeded, [0-9]+ failed, [0-9]+ canceled" ||
    fail "the bar does not say how the tasks ended"
# :ota PRODUCTKEY lists that product's firmware only.
pk=$(env ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET \
    "$BUILD/iotdeck" --endpoint "$SIM_URL" call ListOTAFirmware CurrentPage=1 PageSize=10 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["FirmwareInfo"]["SimpleFirmwareInfo"][0]["ProductKey"])')
tui_keys : "ota $pk" Enter
tui_wait "): OTA firmware" 10
tui_wait "firmware: 1 loaded" 10
# :jobs PRODUCTKEY lists the jobs of every firmware of the product, with their progress.
tui_keys : "jobs $pk" Enter
tui_wait "): OTA jobs" 10
tui_wait "upgrade" 10
i=0
until tui_screen | grep -Eq "upgrade +[A-Z_]+ +[^ ]+ +[0-9]+/[0-9]+"; do
    i=$((i + 1))
    [ $i -gt 300 ] && { tui_screen >&2; fail "no job progress in a product's jobs"; }
    sleep 0.1
done
tui_keys Enter
tui_wait "Job " 10
tui_keys q
tui_wait "IOTDECK-EXIT=0"
pass
