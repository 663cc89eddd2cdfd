#!/bin/sh
# sim_write_qps.sh BUILD — the writes a second iotdeck-sim serves on 2 cores (taskset -c
# 0,1, the clients on the same cores): SetDeviceProperty at the documented limit
# (--qps-scale 1: 500 QPS, the rest Throttling) and unthrottled (--qps-scale 100: the
# simulator's own capacity), and sync InvokeThingService with the default device delay.
# Prints figures only. SECONDS (default 10) sets each run's length.
set -eu
build=${1:-build}
sim=$build/iotdeck-sim
secs=${SECONDS_PER_RUN:-10}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
out=$build/bench
mkdir -p "$out"
# shellcheck disable=SC2046
${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -g -Isrc -Wall -Wextra -Wno-unused-parameter \
    -o "$out/sim_write_qps" tests/bench/sim_write_qps.c src/core/buf.c src/core/xmalloc.c \
    src/api/params.c src/api/sign.c $($PKG_CONFIG --cflags --libs libcurl openssl libcjson libsodium) -lpthread
tmp=$(mktemp -d)
pid=""
trap 'if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi; rm -rf "$tmp"' EXIT
run() { # run SCALE THREADS set|invoke [SIM ARGS...]
    scale=$1 threads=$2 what=$3; shift 3
    rm -f "$tmp/port"
    taskset -c 0,1 "$sim" --listen 127.0.0.1:0 --port-file "$tmp/port" --seed 1 --products 6 \
        --devices 6000 --flap-minutes 0 --qps-scale "$scale" "$@" 2>"$tmp/log" &
    pid=$!
    while [ ! -s "$tmp/port" ]; do sleep 0.05; done
    printf 'qps-scale %s: ' "$scale"
    taskset -c 0,1 "$out/sim_write_qps" "$(cat "$tmp/port")" "$secs" "$threads" "$what"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
}
echo "iotdeck-sim writes on 2 cores ($(nproc) online here), $secs s a run:"
run 1 32 set
run 100 32 set
run 100 32 set --write-log "$tmp/writes.jsonl"
echo "  (with --write-log: $(wc -l <"$tmp/writes.jsonl") lines written)"
run 1 60 invoke
