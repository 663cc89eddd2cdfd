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
