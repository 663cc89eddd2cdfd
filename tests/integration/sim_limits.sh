#!/bin/sh
# sim_limits.sh — what iotdeck-sim takes before a request is authenticated is bounded, and
# going over a bound gets the gateway's (or OSS's) error rather than memory or minutes: a
# body over 4 MiB (announced, or sent chunked), a 20 MiB upload form field, a 4 MB
# signature nonce. Each is checked by its answer, never by a time (curl gives up after
# 60 s, which only a hang would reach).
set -u
BUILD=${BUILD:-build}
SIM_TMP=$(mktemp -d)
trap 'sim_stop; rm -rf "$SIM_TMP"' EXIT INT TERM
. "$(dirname "$0")/sim_lib.sh"
die() { echo "sim_limits: $*" >&2; cat "$SIM_TMP/log" >&2; exit 1; }

sim_start --products 1 --devices 10 || exit 1
base="http://127.0.0.1:$SIM_PORT"

# A form body of 5 MiB, announced by Content-Length: refused at once, body unread.
head -c 5242880 /dev/zero | tr '\0' 'a' > "$SIM_TMP/5m"
code=$(curl -s -m 60 -o "$SIM_TMP/body" -w '%{http_code}' \
    -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$SIM_TMP/5m" "$base/")
[ "$code" = 400 ] || die "5 MiB body: HTTP $code $(head -c 300 "$SIM_TMP/body")"
grep -q '"Code":"InvalidParameter"' "$SIM_TMP/body" || die "5 MiB body: $(head -c 300 "$SIM_TMP/body")"
grep -q '"Message":"The request body is larger than 4194304 bytes."' "$SIM_TMP/body" ||
    die "5 MiB body: $(head -c 300 "$SIM_TMP/body")"

# The same body chunked (no Content-Length): refused once it passes 4 MiB.
code=$(curl -s -m 60 -o "$SIM_TMP/body" -w '%{http_code}' -H 'Transfer-Encoding: chunked' \
    -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$SIM_TMP/5m" "$base/")
[ "$code" = 400 ] && grep -q '"Code":"InvalidParameter"' "$SIM_TMP/body" ||
    die "5 MiB chunked body: HTTP $code $(head -c 300 "$SIM_TMP/body")"

# A 20 MiB field in the /oss upload form: refused past OSS's 2 MB, with OSS's error.
head -c 20971520 /dev/zero | tr '\0' 'a' > "$SIM_TMP/20m"
printf 'firmware' > "$SIM_TMP/fw.bin"
code=$(curl -s -m 60 -o "$SIM_TMP/body" -w '%{http_code}' -F "key=ota/x.bin" \
    -F "big=<$SIM_TMP/20m" -F "file=@$SIM_TMP/fw.bin" "$base/oss")
[ "$code" = 400 ] || die "20 MiB field: HTTP $code $(head -c 300 "$SIM_TMP/body")"
grep -q '<Code>InvalidArgument</Code>' "$SIM_TMP/body" && grep -q 'larger than 2 MB' "$SIM_TMP/body" ||
    die "20 MiB field: $(head -c 300 "$SIM_TMP/body")"

# A correctly signed request (demo key) with a 4 MB nonce: InvalidParameter, not kept.
out=$(python3 - "$SIM_PORT" <<'PY'
import base64, hashlib, hmac, sys, time, urllib.parse, urllib.request, urllib.error
port = sys.argv[1]
p = {"Action": "QueryProductList", "Version": "2018-01-20", "Format": "JSON",
     "AccessKeyId": "iotdeck-demo-key", "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
     "SignatureNonce": "n" * 4000000, "Timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
     "CurrentPage": "1", "PageSize": "10"}
enc = lambda s: urllib.parse.quote(s, safe="-_.~")
canon = "&".join(enc(k) + "=" + enc(p[k]) for k in sorted(p))
p["Signature"] = base64.b64encode(hmac.new(b"iotdeck-demo-secret&", ("POST&%2F&" + enc(canon)).encode(),
                                           hashlib.sha1).digest()).decode()
req = urllib.request.Request("http://127.0.0.1:%s/" % port,
                             data=urllib.parse.urlencode(p, quote_via=urllib.parse.quote).encode(),
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
try:
    r = urllib.request.urlopen(req, timeout=60)
    print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
PY
)
case "$out" in
    "400 "*'"Code":"InvalidParameter"'*SignatureNonce*) ;;
    *) die "4 MB nonce: $(printf '%s' "$out" | head -c 300)" ;;
esac

# Still serving.
out=$(sim_call QueryProductList CurrentPage=1 PageSize=10)
[ "$(json_get "$out" Success)" = true ] || die "after the limits: $out"
sim_stop || die "exit status after SIGTERM"
exit 0
