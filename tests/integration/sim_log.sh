#!/bin/sh
# sim_log.sh — iotdeck-sim --verbose logs what unauthenticated requests send (an Action, an
# x-acs-action header, a path, a bad option) display-safe: an OSC title sequence, a CSI,
# a raw C1 byte or a newline never reach stderr as themselves. And nothing in src/sim
# writes to stderr except through sim_log (src/sim/log.c), so it cannot be done wrong.
set -u
BUILD=${BUILD:-build}
SIM_TMP=$(mktemp -d)
trap 'sim_stop; rm -rf "$SIM_TMP"' EXIT INT TERM
. "$(dirname "$0")/sim_lib.sh"
die() { echo "sim_log: $*" >&2; cat -v "$SIM_TMP/log" >&2; exit 1; }
root=$(cd "$(dirname "$0")/../.." && pwd)

# inert FILE: no C0 control but newline, no DEL, no raw C1 byte (UTF-8 or not).
inert() {
    python3 - "$1" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
for i, b in enumerate(data):
    if (b < 0x20 and b != 0x0a) or b == 0x7f:
        sys.exit("control byte %#x at %d" % (b, i))
    if b == 0xc2 and i + 1 < len(data) and 0x80 <= data[i + 1] <= 0x9f:
        sys.exit("C1 control at %d" % i)
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit("invalid UTF-8: %s" % e)
PY
}

sim_start --verbose --products 1 --devices 10 || exit 1
base="http://127.0.0.1:$SIM_PORT"
# The OSC title sequence of the issue as the Action of a v1 request, a CSI and a newline
# with a forged log line; a raw C1 CSI byte (0x9b) and a bidi override.
curl -s -o /dev/null "$base/?Action=%1B%5D0%3Bpwned%07&Version=2018-01-20"
curl -s -o /dev/null "$base/?Action=%1B%5B2J%0Aiotdeck-sim%3A%20forged&Version=2018-01-20"
curl -s -o /dev/null "$base/?Action=a%9B2Jb%E2%80%AEc&Version=2018-01-20"
# The same in the v3 x-acs-action header.
curl -s -o /dev/null -H "Authorization: ACS3-HMAC-SHA256 Credential=x,SignedHeaders=host,Signature=0" \
    -H "x-acs-version: 2018-01-20" -H "$(printf 'x-acs-action: \033]0;pwned\007')" "$base/"
# A signed request whose AccessKeyId holds an escape sequence.
sim_call QueryProductList CurrentPage=1 PageSize=1 >/dev/null
sim_stop || die "exit status after SIGTERM"
grep -q 'InvalidApi.NotFound' "$SIM_TMP/log" || die "no request was logged"
grep -q '␛]0;pwned␇' "$SIM_TMP/log" || die "the OSC sequence is not shown as placeholders"
grep -q '^iotdeck-sim: forged' "$SIM_TMP/log" && die "a newline in the Action forged a log line"
inert "$SIM_TMP/log" || die "the log is not display-safe"

# A bad option is echoed display-safe too (getopt's own message would be raw).
"$BUILD/iotdeck-sim" "$(printf -- '--x\033]0;pwned\007')" 2>"$SIM_TMP/opt" && die "a bad option was accepted"
grep -q 'bad option' "$SIM_TMP/opt" || die "bad option: $(cat -v "$SIM_TMP/opt")"
inert "$SIM_TMP/opt" || die "the bad-option message is not display-safe: $(cat -v "$SIM_TMP/opt")"

# The simulator writes to stderr only through sim_log (and prints its usage).
if grep -nE '(printf|puts|putc|fwrite|vfprintf)\(.*stderr|[^_]perror\(|STDERR_FILENO|dprintf\(2|err\(|warnx?\(' \
    "$root"/src/sim/*.c | grep -v '^[^:]*/src/sim/log\.c:' | grep -v 'fputs(usage, stderr)' > "$SIM_TMP/raw"; then
    die "writes to stderr outside sim_log: $(cat "$SIM_TMP/raw")"
fi
exit 0
