#!/bin/sh
# vault.sh BUILD — how long unlocking the vault takes with the default KDF parameters
# (Argon2id as iotdeck writes them), through the real binary. Prints figures.
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
import subprocess, sys, time, resource
exe, vault, pw = sys.argv[1:4]
times = []
for _ in range(5):
    t = time.monotonic()
    subprocess.run([exe, "vault", "list", "--vault", vault, "--passphrase-fd", "0"],
                   input=(pw + "\n").encode(), stdout=subprocess.DEVNULL, check=True)
    times.append(time.monotonic() - t)
times.sort()
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
print("vault")
print("  %-34s %7.0f ms median, %.0f ms max (whole 'iotdeck vault list', 5 runs)" % (
    "unlock with the default KDF", times[2] * 1e3, times[-1] * 1e3))
print("  %-34s %7.1f MiB" % ("peak RSS while unlocking", rss))
PY
