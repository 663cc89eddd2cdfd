#!/bin/sh
# ota_watch.sh BUILD [TASKS] [SECONDS] — `iotdeck ota watch` and the console's job
# dashboard (`:tasks JOBID`) on a static upgrade job of TASKS tasks (default 100,000: one
# product of that many devices, `ota upgrade --all`) that iotdeck-sim moves along
# (--time-scale 20), each for SECONDS (default 30). For each it prints the requests per
# second of each action next to its documented QPS (ListOTATaskByJob 10, QueryOTAJob 10,
# src/api/actions.def), the CPU the iotdeck process used (utime+stime of /proc/PID/stat
# over the run) and the time from a change in the simulator to it showing: a task
# cancelled now and then (CancelOTATaskByDevice of one QUEUED device, sent with a second
# AccessKey so that it takes nothing from the budget measured) until the CANCELED count
# says so (the watch's line on standard output; the pane's counts line on screen, read
# every 0.1 s), next to the refresh interval. With BENCH_OTA_AFTER_LOAD=1 the console is
# measured once every task row is loaded (about TASKS / 1,000 s more) rather than from the
# moment the pane opens. Prints figures; asserts nothing; loopback.
set -u
BUILD=${1:-build}
ntask=${2:-100000}
secs=${3:-30}
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
tmp=$TUI_HOME/bench
mkdir -p "$tmp"
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
trap 'exit 130' INT TERM
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN
PROBE=bench-probe:bench-probe-secret

t0=$(date +%s.%N)
start_sim --seed 9 --products 1 --devices "$ntask" --time-scale 20 --flap-minutes 0 --access-key "$PROBE"
t1=$(date +%s.%N)
export IOTDECK_ENDPOINT=$SIM_URL
simrss=$(awk '/VmRSS/ { print $2 }' "/proc/$SIM_PID/status" 2>/dev/null)
pk=$("$BUILD/iotdeck" export products 2>/dev/null | sed -n 2p | cut -d, -f1)
head -c 262144 /dev/urandom >"$tmp/fw.bin"
fw=$("$BUILD/iotdeck" --audit-log "$tmp/audit.log" ota upload "$tmp/fw.bin" --product "$pk" \
    --dest-version 9.9.0 --no-verify 2>"$tmp/err" </dev/null) || { cat "$tmp/err"; echo "bench: ota upload failed"; exit 1; }
t2=$(date +%s.%N)
job=$("$BUILD/iotdeck" --audit-log "$tmp/audit.log" ota upgrade "$fw" --product "$pk" --all \
    2>"$tmp/err" </dev/null) || { cat "$tmp/err"; echo "bench: ota upgrade failed"; exit 1; }
t3=$(date +%s.%N)
echo "ota watch and the job dashboard: one job of $ntask tasks (iotdeck-sim --time-scale 20), ${secs} s each"
python3 - "$t0" "$t1" "$t2" "$t3" "${simrss:-0}" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5]); rss = int(sys.argv[5])
print("  %-44s %6.2f s, %.1f MiB RSS" % ("iotdeck-sim started", t1 - t0, rss / 1024.0))
print("  %-44s %6.2f s" % ("ota upgrade --all (CreateOTAStaticUpgradeJob)", t3 - t2))
PY

# The driver: runs a part for SECONDS, cancels a QUEUED task every few seconds, times when
# the change shows. Part "watch": the command; part "console": the pane in tmux.
cat >"$tmp/drive.py" <<'PY'
import os, re, select, signal, subprocess, sys, time
part, build, job, fw, pk, secs, ntask, probe = sys.argv[1:9]
secs, ntask = float(secs), int(ntask)
tick = os.sysconf("SC_CLK_TCK")
pid_id, pid_secret = probe.split(":")
probe_env = dict(os.environ, ALIBABA_CLOUD_ACCESS_KEY_ID=pid_id, ALIBABA_CLOUD_ACCESS_KEY_SECRET=pid_secret)

def cpu(pid):
    try:
        f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / tick
    except OSError:
        return None

def probe_call(*args):
    out = subprocess.run([build + "/iotdeck", "call"] + list(args), env=probe_env,
                         capture_output=True, text=True)
    return out.stdout

fired = 0
def cancel_one():
    """Cancels one more QUEUED task; returns (the CANCELED count to wait for, when)."""
    global fired
    # The last devices stay QUEUED for minutes (MaximumPerMinute 1,000 at --time-scale 20).
    name = "%s%06d" % (prefix, ntask - fired - (0 if part == "watch" else 20))
    probe_call("CancelOTATaskByDevice", "ProductKey=" + pk, "FirmwareId=" + fw, "JobId=" + job,
               "DeviceName.1=" + name)
    fired += 1
    t = time.time()
    # The change is in the API at once (the probe's own ListOTATaskByJob, its own budget).
    if api_canceled() < base + fired:
        api_late.append(fired)
    return (base + fired, t)

def api_canceled():
    m = re.search(r'"Total":\s*(\d+)', probe_call("ListOTATaskByJob", "JobId=" + job,
                  "TaskStatus=CANCELED", "CurrentPage=1", "PageSize=1"))
    return int(m.group(1)) if m else -1

first = probe_call("ListOTATaskByJob", "JobId=" + job, "CurrentPage=1", "PageSize=1")
m = re.search(r'"DeviceName":\s*"(.*?)\d{6}"', first)
prefix = m.group(1) if m else "th-sensor-"
base = api_canceled()
events = [3.0 + i * (secs - 8) / 4 for i in range(5)]	# 5 changes, the last 5 s before the end
lags, missed, api_late = [], 0, []

if part == "watch":
    out = open(os.environ["WATCH_OUT"], "w")
    err = open(os.environ["WATCH_ERR"], "w")
    p = subprocess.Popen([build + "/iotdeck", "-v", "ota", "watch", job], stdout=subprocess.PIPE,
                         stderr=err)
    fd = p.stdout.fileno()
    start = time.time()
    c0 = cpu(p.pid)
    pending, buf = [], b""
    while time.time() - start < secs:
        if events and time.time() - start >= events[0]:
            events.pop(0)
            pending.append(cancel_one())
        if select.select([fd], [], [], 0.02)[0]:
            chunk = os.read(fd, 65536)
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                line = line.decode("utf-8", "replace")
                out.write(line + "\n")
                m = re.search(r"canceled (\d+)", line)
                shown = int(m.group(1)) if m else 0
                while pending and shown >= pending[0][0]:
                    lags.append(time.time() - pending.pop(0)[1])
    c1 = cpu(p.pid)
    wall = time.time() - start
    p.send_signal(signal.SIGINT)
    rest = p.communicate(timeout=10)[0] or b""
    out.write(rest.decode("utf-8", "replace"))
    out.close()
    missed += len(pending)
    err.close()
    text = open(os.environ["WATCH_ERR"]).read()
    acts = {}
    for a in re.findall(r"Action=(\w+)", text):
        acts[a] = acts.get(a, 0) + 1
    st = re.search(r"requests (\d+), throttled (\d+), retried (\d+), latency p50 ([\d.]+) ms p95 ([\d.]+) ms", text)
    plan = re.search(r"(\d+ requests every [\d.]+ s[^\n]*)", text)
    interval = float(re.search(r"every ([\d.]+) s", plan.group(1)).group(1)) if plan else 2.0
    lines = sum(1 for _ in open(os.environ["WATCH_OUT"]))
    print("  ota watch -v (%s)" % (plan.group(1) if plan else "?"))
else:
    sock = os.environ["TUI_SOCK"]
    pid = int(os.environ["CONSOLE_PID"])
    def tmux(*a):
        return subprocess.run(["tmux", "-L", sock, "-f", "/dev/null"] + list(a), capture_output=True,
                              text=True).stdout
    def screen():
        return tmux("capture-pane", "-t", "t", "-p")
    def stats():
        tmux("send-keys", "-t", "t", ":stats", "Enter")
        for _ in range(50):
            s = screen()
            if "API statistics" in s and re.search(r"\bsent\b", s):
                break
            time.sleep(0.05)
        t = time.time()
        rows = {}
        for m in re.finditer(r"(\w+)\s+(\d+)/s\s+([\d.]+)/s\s+(\d+)/s\s+(\d+)\s+(\d+)", s):
            rows[m.group(1)] = (int(m.group(5)), int(m.group(6)), m.group(4))
        head = re.search(r"requests: ([^\n│]*)", s)
        tmux("send-keys", "-t", "t", "Escape")
        for _ in range(50):
            if "API statistics" not in screen():
                break
            time.sleep(0.05)
        return t, rows, (head.group(1).strip() if head else "")
    t_a, s0, _ = stats()
    c0 = cpu(pid)
    start = time.time()
    pending = []
    seen_live, loaded = "", "?"
    while time.time() - start < secs:
        now = time.time() - start
        if events and now >= events[0]:
            events.pop(0)
            pending.append(cancel_one())
        s = screen()
        m = re.search(r"CANCELED (\d+)", s)
        if m:
            shown = int(m.group(1))
            while pending and shown >= pending[0][0]:
                lags.append(time.time() - pending.pop(0)[1])
        ld = re.search(r"tasks: (loaded \d+ of \d+|\d+ loaded)", s)
        if ld:
            loaded = ld.group(1)
        lv = re.search(r"live every [\d.]+ s", s)
        if lv:
            seen_live = lv.group(0)
        time.sleep(0.1)
    missed += len(pending)
    c1 = cpu(pid)
    wall = time.time() - start
    t_b, s1, head = stats()
    acts = {a: s1[a][0] - s0.get(a, (0, 0, ""))[0] for a in s1}
    throttled = sum(s1[a][1] - s0.get(a, (0, 0, ""))[1] for a in s1)
    wall_stats = t_b - t_a
    print("  console :tasks JOBID (the job dashboard; %s; counts line every 5 s)" % (seen_live or "?"))
total = sum(acts.values())
span = wall if part == "watch" else wall_stats
for a in sorted(acts):
    if acts[a]:
        print("    %-28s %6.2f req/s (of %d QPS documented), %d requests" % (
            a, acts[a] / span, 10, acts[a]))
print("    %-28s %6.2f req/s, %d requests in %.1f s" % ("all actions", total / span, total, span))
if part == "watch":
    if st:
        print("    %-28s throttled %s, retried %s, latency p50 %s ms p95 %s ms; %d lines printed" % (
            "", st.group(2), st.group(3), st.group(4), st.group(5), lines))
else:
    print("    %-28s throttled %d; at the end: %s" % ("", throttled, head))
    print("    %-28s %s (the whole job is %d pages of 100: %.0f s at 10 QPS)" % (
        "task rows after the run", loaded, (ntask + 99) // 100, (ntask + 99) / 100 / 10.0))
if c0 is not None and c1 is not None:
    print("    %-28s %6.2f s of %.1f s (%.1f%% of one core)" % ("CPU (utime+stime)", c1 - c0, wall,
                                                                100.0 * (c1 - c0) / wall))
if lags:
    lags.sort()
    print("    %-28s median %.2f s, max %.2f s over %d changes%s" % (
        "change to shown", lags[len(lags) // 2], lags[-1], len(lags),
        ", %d not shown within the run" % missed if missed else ""))
else:
    print("    %-28s none of %d changes shown within the run" % ("change to shown", missed))
if api_late:
    print("    %-28s %d changes not yet in ListOTATaskByJob right after the cancel" % ("", len(api_late)))
PY

# (a) ota watch -v, its lines on standard output (not a terminal).
WATCH_OUT=$tmp/watch.out WATCH_ERR=$tmp/watch.err \
    python3 "$tmp/drive.py" watch "$BUILD" "$job" "$fw" "$pk" "$secs" "$ntask" "$PROBE"

# (b) The console on the job's tasks pane.
tui_start 160 44
tui_wait "1 loaded" 30
tui_keys ":tasks $job" Enter
tui_wait "CANCELED" 20
if [ "${BENCH_OTA_AFTER_LOAD:-0}" = 1 ]; then
    tl0=$(date +%s)
    tui_wait "tasks: $ntask loaded" $((ntask / 500 + 60))
    echo "  console: every task row loaded $(( $(date +%s) - tl0 )) s after the counts appeared"
fi
cpid=$(pgrep -n -f "^$BUILD/iotdeck\$" || pgrep -n -x iotdeck)
TUI_SOCK=$TUI_SOCK CONSOLE_PID=$cpid \
    python3 "$tmp/drive.py" console "$BUILD" "$job" "$fw" "$pk" "$secs" "$ntask" "$PROBE"
tui_keys q
