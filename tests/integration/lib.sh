# lib.sh — helpers for the integration tests (sourced).
# BUILD is the build directory holding the binaries (build, build/asan, ...).
: "${BUILD:=build}"
_name=$(basename "$0" .sh)

fail() { echo "$_name: FAIL: $*" >&2; exit 1; }
pass() { echo "$_name: passed"; exit 0; }
expect_status() { # WANT GOT WHAT
    [ "$1" = "$2" ] || fail "$3: exit status $2, expected $1"
}
# A TCP port on 127.0.0.1 that was free a moment ago.
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# start_sim [ARGS...] — start $BUILD/iotdeck-sim on a free loopback port; sets SIM_PID,
# SIM_PORT and SIM_URL. Call stop_sim when done (the EXIT trap of the test should).
start_sim() {
    _pf=$(mktemp)
    rm -f "$_pf"
    "$BUILD/iotdeck-sim" --listen 127.0.0.1:0 --port-file "$_pf" "$@" >"${SIM_LOG:-/dev/null}" 2>&1 &
    SIM_PID=$!
    _i=0
    while [ ! -s "$_pf" ]; do
        _i=$((_i + 1))
        [ $_i -gt 300 ] && fail "iotdeck-sim did not start"
        kill -0 "$SIM_PID" 2>/dev/null || fail "iotdeck-sim exited at start"
        sleep 0.05
    done
    SIM_PORT=$(cat "$_pf")
    rm -f "$_pf"
    SIM_URL="http://127.0.0.1:$SIM_PORT/"
}
stop_sim() {
    [ -n "${SIM_PID:-}" ] || return 0
    kill "$SIM_PID" 2>/dev/null
    wait "$SIM_PID" 2>/dev/null
    SIM_PID=
}
# The simulator's fixed demo AccessKey.
DEMO_KEY_ID=iotdeck-demo-key
DEMO_KEY_SECRET=iotdeck-demo-secret
