#!/bin/sh
# vault.sh BUILD — what unlocking the vault costs with the default KDF parameters
# (Argon2id as iotdeck writes them), through the real binary: the parameters in the file's
# header, the wall time of 'vault list' (one unlock) and of 'vault default' (an unlock and
# a save, which derives a key again), and the peak RSS of an unlock. Prints figures.
set -eu
BUILD=${1:-build}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
chmod 700 "$dir"
pass="bench passphrase 1234"
printf '%s\n' "$pass" | "$BUILD/iotdeck" vault init --vault "$dir/vault" --passphrase-fd 0 >/dev/null
printf '%s\n%s\n' "$pass" "benchSecretNotReal0000" | "$BUILD/iotdeck" vault add b \
    --vault "$dir/vault" --passphrase-fd 0 --secret-fd 0 --access-key-id LTAIbench >/dev/null
python3 - "$BUILD/iotdeck" "$dir/vault" "$pass" <<'PY'
import os, resource, struct, subprocess, sys, time
exe, vault, pw = sys.argv[1:4]
with open(vault, "rb") as f:
    ops, mem = struct.unpack_from("<IQ", f.read(24), 12)

def run(args, n):
    """Median and max wall time of n runs, and the peak RSS of any of them (MiB)."""
    times, peak = [], 0
    for _ in range(n):
        t = time.monotonic()
        pid = os.fork()
        if pid == 0:
            r, w = os.pipe()
            os.write(w, (pw + "\n").encode())
            os.close(w)
            os.dup2(r, 0)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.execv(exe, [exe] + args + ["--vault", vault, "--passphrase-fd", "0"])
        _, status, ru = os.wait4(pid, 0)
        times.append(time.monotonic() - t)
        if status != 0:
            sys.exit("bench: %s failed" % " ".join(args))
        peak = max(peak, ru.ru_maxrss / 1024.0)
    times.sort()
    return times[len(times) // 2], times[-1], peak

print("vault (Argon2id, %d passes over %d MiB, as 'vault init' writes it)" % (ops, mem >> 20))
med, mx, peak = run(["vault", "list"], 5)
print("  %-34s %7.0f ms median, %.0f ms max ('iotdeck vault list', 5 runs)" % (
    "unlock", med * 1e3, mx * 1e3))
print("  %-34s %7.1f MiB" % ("peak RSS of an unlock", peak))
med, mx, peak = run(["vault", "default", "b"], 3)
print("  %-34s %7.0f ms median, %.0f ms max ('iotdeck vault default', 3 runs)" % (
    "unlock and save", med * 1e3, mx * 1e3))
PY
