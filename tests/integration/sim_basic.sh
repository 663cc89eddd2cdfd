#!/bin/sh
# sim_basic.sh — iotdeck-sim starts on a free port, writes --port-file, answers signed
# v1 requests (signed here with openssl), refuses unsigned and unknown ones with the
# gateway's codes, and exits cleanly on SIGTERM.
set -u
BUILD=${BUILD:-build}
sim="$BUILD/iotdeck-sim"
tmp=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
die() { echo "sim_basic: $*" >&2; [ -f "$tmp/log" ] && cat "$tmp/log" >&2; exit 1; }

"$sim" --listen 127.0.0.1:0 --port-file "$tmp/port" --seed 3 --products 3 --devices 300 2>"$tmp/log" &
pid=$!
i=0
while [ ! -s "$tmp/port" ]; do
    i=$((i + 1)); [ $i -gt 200 ] && die "no port file"
    kill -0 "$pid" 2>/dev/null || die "simulator exited"
    sleep 0.05
done
port=$(cat "$tmp/port")
base="http://127.0.0.1:$port/"

# Unsigned: MissingAccessKeyId, HTTP 400, JSON with the gateway's fields.
out=$(curl -s -o "$tmp/body" -w '%{http_code}' "${base}?Action=QueryProductList&Version=2018-01-20&Format=JSON")
[ "$out" = 400 ] || die "unsigned: HTTP $out"
grep -q '"Code":"MissingAccessKeyId"' "$tmp/body" || die "unsigned: $(cat "$tmp/body")"
for f in RequestId HostId Message Recommend; do
    grep -q "\"$f\":" "$tmp/body" || die "unsigned: no $f in $(cat "$tmp/body")"
done

# Unknown action: InvalidApi.NotFound, HTTP 404.
out=$(curl -s -o "$tmp/body" -w '%{http_code}' "${base}?Action=NoSuchApi&Version=2018-01-20&Format=JSON")
[ "$out" = 404 ] || die "unknown action: HTTP $out"
grep -q '"Code":"InvalidApi.NotFound"' "$tmp/body" || die "unknown action: $(cat "$tmp/body")"

# A v1 signature (guide 4.5) computed with openssl.
sign_get() { # $1 = sorted canonical query (values already RFC 3986 encoded)
    sts="GET&%2F&$(printf '%s' "$1" | sed -e 's/%/%25/g' -e 's/=/%3D/g' -e 's/&/%26/g')"
    printf '%s' "$sts" | openssl dgst -sha1 -hmac "iotdeck-demo-secret&" -binary | base64 |
        sed -e 's/+/%2B/g' -e 's/\//%2F/g' -e 's/=/%3D/g'
}
ts=$(date -u +%Y-%m-%dT%H:%M:%SZ | sed 's/:/%3A/g')
nonce="n$$$(date +%s%N)"
q="AccessKeyId=iotdeck-demo-key&Action=QueryProductList&CurrentPage=1&Format=JSON&PageSize=2&SignatureMethod=HMAC-SHA1&SignatureNonce=$nonce&SignatureVersion=1.0&Timestamp=$ts&Version=2018-01-20"
sig=$(sign_get "$q")
out=$(curl -s -o "$tmp/body" -w '%{http_code}' "${base}?$q&Signature=$sig")
[ "$out" = 200 ] || die "signed: HTTP $out $(cat "$tmp/body")"
grep -q '"Success":true' "$tmp/body" || die "signed: $(cat "$tmp/body")"
grep -q '"ProductInfo":\[' "$tmp/body" || die "signed: no Data.List.ProductInfo: $(cat "$tmp/body")"
grep -q '"Total":3' "$tmp/body" || die "signed: Total: $(cat "$tmp/body")"

# The same nonce again: SignatureNonceUsed.
out=$(curl -s -o "$tmp/body" -w '%{http_code}' "${base}?$q&Signature=$sig")
[ "$out" = 400 ] && grep -q '"Code":"SignatureNonceUsed"' "$tmp/body" || die "nonce reuse: $out $(cat "$tmp/body")"

# Without Format the answer is XML, as the guide says.
nonce="x$nonce"
q="AccessKeyId=iotdeck-demo-key&Action=QueryProductList&CurrentPage=1&PageSize=1&SignatureMethod=HMAC-SHA1&SignatureNonce=$nonce&SignatureVersion=1.0&Timestamp=$ts&Version=2018-01-20"
sig=$(sign_get "$q")
curl -s -o "$tmp/body" "${base}?$q&Signature=$sig"
grep -q '<QueryProductListResponse>.*<ProductInfo>' "$tmp/body" || die "xml: $(cat "$tmp/body")"

# SIGTERM: clean exit, status 0.
kill -TERM "$pid"
wait "$pid"; rc=$?
pid=""
[ $rc -eq 0 ] || die "exit status $rc after SIGTERM"
grep -q "shutting down" "$tmp/log" || die "no shutdown message"

# No key at all is refused at start-up.
if "$sim" --no-demo-key --listen 127.0.0.1:0 2>/dev/null; then die "--no-demo-key alone started"; fi
exit 0
