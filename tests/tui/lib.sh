# lib.sh — drive the real iotdeck binary in tmux and read the screen (sourced).
# Each test gets its own tmux server (socket) and its own iotdeck-sim.
. tests/integration/lib.sh

TUI_N=0
TUI_SOCK="iotdeck-tui-$$-0"
tui_tmux() { tmux -L "$TUI_SOCK" -f /dev/null "$@"; }

# tui_run COLS LINES COMMAND — run COMMAND in a fresh tmux server of its own (a new socket
# each time: a server just killed may still hold the old one).
tui_run() {
    TUI_N=$((TUI_N + 1))
    TUI_SOCK="iotdeck-tui-$$-$TUI_N"
    _try=0
    until tui_tmux new-session -d -s t -x "$1" -y "$2" "$3"; do
        _try=$((_try + 1))
        [ $_try -ge 5 ] && fail "tmux did not start"
        sleep 0.2
    done
}

# tui_start COLS LINES ARGS... — run iotdeck ARGS (environment: TUI_ENV) in tmux.
tui_start() {
    _c=$1; _l=$2; shift 2
    _cmd="env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 ${TUI_ENV:-}"
    _cmd="$_cmd ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET"
    _cmd="$_cmd IOTDECK_ENDPOINT=$SIM_URL XDG_CONFIG_HOME=$TUI_HOME"
    _cmd="$_cmd $BUILD/iotdeck $*; echo IOTDECK-EXIT=\$?; sleep 60"
    tui_run "$_c" "$_l" "$_cmd"
}
tui_stop() { tui_tmux kill-server 2>/dev/null; true; }
tui_keys() { tui_tmux send-keys -t t "$@"; }
tui_screen() { tui_tmux capture-pane -t t -p 2>/dev/null; }
# tui_wait TEXT [SECONDS] — wait until TEXT (fixed string) is on screen.
tui_wait() {
    _i=0; _max=$(( ${2:-10} * 20 ))
    while ! tui_screen | grep -qF -- "$1"; do
        tui_tmux has-session -t t 2>/dev/null || fail "the tmux session ended while waiting for '$1'"
        _i=$((_i + 1))
        if [ $_i -gt $_max ]; then
            echo "--- screen ---" >&2; tui_screen >&2
            fail "'$1' did not appear"
        fi
        sleep 0.05
    done
}
# tui_wait_gone TEXT [SECONDS]
tui_wait_gone() {
    _i=0; _max=$(( ${2:-10} * 20 ))
    while tui_screen | grep -qF -- "$1"; do
        _i=$((_i + 1))
        [ $_i -gt $_max ] && { tui_screen >&2; fail "'$1' did not go away"; }
        sleep 0.05
    done
}
# The display column where TEXT starts on the first screen line holding it.
tui_column() {
    tui_screen | python3 -c '
import sys, unicodedata
needle = sys.argv[1]
for line in sys.stdin.read().split("\n"):
    i = line.find(needle)
    if i >= 0:
        print(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i]))
        break
' "$1"
}
