#!/bin/sh
# sim_keys.sh — AccessKeys for iotdeck-sim without putting secrets in ps: --keys-fd N reads
# them from a descriptor (a file or a pipe, the --keys-file format), --help says that
# --access-key is for throwaway keys, and an --access-key secret is wiped from the
# command line once read.
set -u
BUILD=${BUILD:-build}
SIM_TMP=$(mktemp -d)
trap 'sim_stop; rm -rf "$SIM_TMP"' EXIT INT TERM
. "$(dirname "$0")/sim_lib.sh"
die() { echo "sim_keys: $*" >&2; cat "$SIM_TMP/log" >&2; exit 1; }

"$BUILD/iotdeck-sim" --help > "$SIM_TMP/help" || die "--help failed"
grep -q -- '--keys-fd N' "$SIM_TMP/help" || die "--help does not mention --keys-fd"
grep -q 'throwaway keys only' "$SIM_TMP/help" || die "--help does not warn about --access-key"

# From a file opened on descriptor 3, without the demo key.
printf '# keys\nfd-key:fd-secret-1\nother other-secret\n' > "$SIM_TMP/keys"
sim_start --no-demo-key --products 1 --devices 5 --keys-fd 3 3<"$SIM_TMP/keys" || exit 1
out=$(SIM_AK_ID=fd-key SIM_AK_SECRET=fd-secret-1 sim_call QueryProductList CurrentPage=1 PageSize=1)
[ "$(json_get "$out" Success)" = true ] || die "key from --keys-fd: $out"
out=$(SIM_AK_ID=other SIM_AK_SECRET=other-secret sim_call QueryProductList CurrentPage=1 PageSize=1)
[ "$(json_get "$out" Success)" = true ] || die "second key from --keys-fd: $out"
out=$(sim_call QueryProductList CurrentPage=1 PageSize=1)
[ "$(json_get "$out" Code)" = InvalidAccessKeyId.NotFound ] || die "demo key with --no-demo-key: $out"
sim_stop || die "exit status after SIGTERM"

# From a pipe (moved to descriptor 3: a background command's standard input is /dev/null).
printf 'pipe-key:pipe-secret\n' | {
    sim_start --no-demo-key --products 1 --devices 5 --keys-fd 3 3<&0 || exit 1
    out=$(SIM_AK_ID=pipe-key SIM_AK_SECRET=pipe-secret sim_call QueryProductList CurrentPage=1 PageSize=1)
    [ "$(json_get "$out" Success)" = true ] || die "key from a pipe: $out"
    sim_stop || die "exit status after SIGTERM"
} || exit 1

# A malformed line names the descriptor and the line; a closed descriptor is an error.
printf 'good:secret\nbroken\n' > "$SIM_TMP/bad"
if "$BUILD/iotdeck-sim" --listen 127.0.0.1:0 --keys-fd 3 3<"$SIM_TMP/bad" 2>"$SIM_TMP/err"; then
    die "a malformed keys descriptor was accepted"
fi
grep -q 'fd 3:2: expected ID:SECRET' "$SIM_TMP/err" || die "malformed keys: $(cat "$SIM_TMP/err")"
if "$BUILD/iotdeck-sim" --listen 127.0.0.1:0 --keys-fd 9 9<&- 2>"$SIM_TMP/err"; then
    die "a closed descriptor was accepted"
fi
grep -q 'fd 9' "$SIM_TMP/err" || die "closed descriptor: $(cat "$SIM_TMP/err")"

# --access-key still works, and its secret no longer shows in the command line.
sim_start --products 1 --devices 5 --access-key argv-key:argv-secret-xyz || exit 1
out=$(SIM_AK_ID=argv-key SIM_AK_SECRET=argv-secret-xyz sim_call QueryProductList CurrentPage=1 PageSize=1)
[ "$(json_get "$out" Success)" = true ] || die "--access-key: $out"
tr '\0' ' ' < "/proc/$SIM_PID/cmdline" > "$SIM_TMP/cmdline"
grep -q 'argv-key' "$SIM_TMP/cmdline" || die "the key id vanished from the command line"
grep -q 'argv-secret' "$SIM_TMP/cmdline" && die "the secret is still in the command line: $(cat "$SIM_TMP/cmdline")"
sim_stop || die "exit status after SIGTERM"
exit 0
