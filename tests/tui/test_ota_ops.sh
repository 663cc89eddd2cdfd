#!/bin/sh
# OTA writes from the console, against iotdeck-sim's rollouts: a job's tasks cancelled by
# state from the jobs pane (the counts read first, the number typed), marked tasks retried
# from the job's tasks pane, the OTA operations menu, a firmware deleted with its name typed;
# each is an operation in :ops and in the audit log; read-only refuses.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
export TUI_ENV="XDG_STATE_HOME=$TUI_HOME/state"
writes=$TUI_HOME/writes.log
audit=$TUI_HOME/state/iotdeck/audit.log
start_sim --seed 5 --products 2 --devices 400 --time-scale 10 --write-log "$writes"
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
call() { "$BUILD/iotdeck" --endpoint "$SIM_URL" call "$@"; }
total() {
    call ListOTATaskByJob JobId="$1" TaskStatus="$2" CurrentPage=1 PageSize=1 |
        python3 -c 'import json,sys; print(json.load(sys.stdin).get("Total", 0))'
}
nwrites() {
    if [ -f "$writes" ]; then grep -c "\"$1\"" "$writes" || true; else echo 0; fi
}

tui_start 140 36
tui_wait "2 loaded"
tui_keys 5
tui_wait "firmware: 2 loaded"
tui_keys Enter
tui_wait "jobs: "
tui_wait "IN_PROGRESS"
job=$(tui_screen | grep "IN_PROGRESS" | head -1 | awk '{print $1}')
[ -n "$job" ] || fail "no job in progress"
line=$(tui_screen | grep -n "$job" | head -1 | cut -d: -f1)
tui_keys g
i=3
while [ $i -lt "$line" ]; do tui_keys j; i=$((i + 1)); done

# :job-cancel reads how many tasks it cancels, then asks for that number.
tui_keys ":job-cancel" Enter
tui_wait "Cancel the tasks of job $job" 10
tui_screen | grep -q "IN_PROGRESS are left alone" || fail "the question does not say in-progress tasks stay"
n=$(tui_screen | grep -o "Type [0-9]* and Enter" | awk '{print $2}')
if [ -n "$n" ]; then
    tui_keys "$n" Enter
else
    tui_wait "[y] yes" 5
    tui_keys y
fi
tui_wait "$job CancelOTATaskByJob: ok" 10
[ "$(nwrites CancelOTATaskByJob)" -eq 1 ] || fail "expected one CancelOTATaskByJob"
[ "$(total "$job" QUEUED)" -eq 0 ] || fail "QUEUED tasks left after the cancel"

# The job's tasks: the menu offers the task operations; retry the canceled ones.
tui_keys Enter
tui_wait "Job $job" 10
tui_wait "tasks: " 10
tui_wait " ended: " 15
tui_keys a
tui_wait "OTA operations" 10
tui_screen | grep -q "Retry the marked tasks" || fail "the menu does not offer task-retry"
tui_keys Escape
tui_wait_gone "OTA operations" 10
tui_keys / "status:canceled" Enter
tui_wait "filter status:canceled" 10
# The rows show the cancel once their live refresh (every 3 s) has come: wait for it.
i=0
until tui_screen | grep -Eq "filter status:canceled: [1-9][0-9]* of"; do
    i=$((i + 1))
    [ $i -gt 300 ] && { tui_screen >&2; fail "no row shows a canceled task"; }
    sleep 0.1
done
tui_keys ":mark all" Enter
tui_wait " marked" 10
m=$(tui_screen | grep -o "[0-9][0-9]* marked" | tail -1 | awk "{print \$1}")
[ "$m" -gt 0 ] || fail "no canceled task to mark"
tui_keys ":task-retry" Enter
tui_wait "Retry $m task" 10
if [ "$m" -gt 10 ]; then tui_keys "$m" Enter; else tui_keys y; fi
tui_wait "task-retry $job: " 15
tui_keys : ops Enter
tui_wait "task-retry $job" 10
tui_screen | grep "task-retry $job" | grep -q "done" || tui_wait "done" 15
batches=$(( (m + 9) / 10 ))
[ "$(nwrites ReupgradeOTATask)" -eq "$batches" ] ||
    fail "$m tasks should be $batches ReupgradeOTATask calls, the simulator saw $(nwrites ReupgradeOTATask)"
grep -q '"action":"ReupgradeOTATask"' "$audit" || fail "no audit line for the retry"

# A firmware's delete types its name; Esc leaves it.
tui_keys 5
tui_wait "firmware: 2 loaded" 10
name=$(tui_screen | sed -n 3p | awk '{print $1}')
tui_keys ":firmware-delete" Enter
tui_wait "Type $name and Enter" 10
tui_keys Escape
tui_wait_gone "Type $name" 10
[ "$(nwrites DeleteOTAFirmware)" -eq 0 ] || fail "a cancelled delete was sent"
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
tui_stop

# Read-only: the OTA menu refuses.
tui_start 140 36 --readonly
tui_wait "2 loaded"
tui_keys 5
tui_wait "firmware: 2 loaded"
tui_keys a
tui_wait "read-only session" 10
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
