#!/bin/sh
# call_sim.sh — `iotdeck call` against iotdeck-sim, which verifies signatures the way the
# gateway does: success, both error shapes, RepeatList parameters, UTF-8 values, TLS.
set -u
. tests/integration/lib.sh

bin="$BUILD/iotdeck"
out=$(mktemp -d)
trap 'stop_sim; rm -rf "$out"' EXIT
start_sim --seed 7 --products 3 --devices 300

export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
export IOTDECK_ENDPOINT=$SIM_URL
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN

"$bin" call QueryProductList CurrentPage=1 PageSize=10 >"$out/pl" 2>"$out/e"
expect_status 0 $? "QueryProductList: $(cat "$out/e")"
grep -q '"ProductInfo"' "$out/pl" || fail "QueryProductList answer lacks Data.List.ProductInfo"
grep -q '"Total": 3' "$out/pl" || fail "QueryProductList does not count 3 products"
pk=$(sed -n 's/.*"ProductKey": "\([^"]*\)".*/\1/p' "$out/pl" | head -1)
[ -n "$pk" ] || fail "no ProductKey in the product list"

"$bin" call QueryDevice ProductKey="$pk" CurrentPage=1 PageSize=5 >"$out/dl" 2>"$out/e"
expect_status 0 $? "QueryDevice: $(cat "$out/e")"
d1=$(sed -n 's/.*"DeviceName": "\([^"]*\)".*/\1/p' "$out/dl" | sed -n 1p)
d2=$(sed -n 's/.*"DeviceName": "\([^"]*\)".*/\1/p' "$out/dl" | sed -n 2p)
[ -n "$d1" ] && [ -n "$d2" ] || fail "QueryDevice listed no devices"

# RepeatList parameters.
"$bin" call BatchGetDeviceState ProductKey="$pk" DeviceName.1="$d1" DeviceName.2="$d2" \
    >"$out/bs" 2>"$out/e"
expect_status 0 $? "BatchGetDeviceState: $(cat "$out/e")"
[ "$(grep -c '"DeviceName"' "$out/bs")" -eq 2 ] || fail "BatchGetDeviceState did not answer for both devices"

# UTF-8 nicknames survive signing and the round trip.
nick='智能灯_one'
"$bin" call BatchUpdateDeviceNickname DeviceNicknameInfo.1.ProductKey="$pk" \
    DeviceNicknameInfo.1.DeviceName="$d1" DeviceNicknameInfo.1.Nickname="$nick" >/dev/null 2>"$out/e"
expect_status 0 $? "BatchUpdateDeviceNickname: $(cat "$out/e")"
"$bin" call QueryDeviceDetail ProductKey="$pk" DeviceName="$d1" >"$out/dd" 2>"$out/e"
expect_status 0 $? "QueryDeviceDetail: $(cat "$out/e")"
grep -qF "\"Nickname\": \"$nick\"" "$out/dd" || fail "the nickname did not round-trip: $(grep Nickname "$out/dd")"

# Spaces and every reserved character in a value (device tags hold free text).
"$bin" call SaveDeviceProp ProductKey="$pk" DeviceName="$d1" \
    Props='{"note":"a b*c~d+e/f=g&h%i!j(k)l\u0027m 温度"}' >/dev/null 2>"$out/e"
expect_status 0 $? "SaveDeviceProp: $(cat "$out/e")"
"$bin" call QueryDeviceProp ProductKey="$pk" DeviceName="$d1" >"$out/dp" 2>"$out/e"
expect_status 0 $? "QueryDeviceProp: $(cat "$out/e")"
grep -qF 'a b*c~d+e/f=g&h%i!j(k)l' "$out/dp" || fail "the tag did not round-trip: $(cat "$out/dp")"
grep -qF '温度' "$out/dp" || fail "the Chinese tag text did not round-trip"

# A business error: HTTP 200, Success false, exit 1 with code and RequestId.
"$bin" call QueryProduct ProductKey=doesNotExist >"$out/o" 2>"$out/e"
expect_status 1 $? "QueryProduct of a missing product"
grep -qE '^iotdeck: iot\.[A-Za-z.]+: .+ \(RequestId [0-9A-F-]+\)$' "$out/e" || fail "business error line: $(cat "$out/e")"
[ -s "$out/o" ] && fail "an error printed something on stdout"

# Gateway errors: a wrong secret, an unknown key, an unknown action.
ALIBABA_CLOUD_ACCESS_KEY_SECRET=wrong-secret "$bin" call QueryProductList CurrentPage=1 PageSize=10 \
    >/dev/null 2>"$out/e"
expect_status 1 $? "wrong secret"
grep -q '^iotdeck: SignatureDoesNotMatch: ' "$out/e" || fail "wrong secret: $(cat "$out/e")"
grep -q 'wrong-secret' "$out/e" && fail "the secret appears in the error"
ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIunknownkey0000 "$bin" call QueryProductList CurrentPage=1 \
    PageSize=10 >/dev/null 2>"$out/e"
expect_status 1 $? "unknown key"
grep -q 'InvalidAccessKeyId.NotFound' "$out/e" || fail "unknown key: $(cat "$out/e")"
"$bin" call NoSuchAction >/dev/null 2>"$out/e"
expect_status 1 $? "unknown action"
grep -q 'InvalidApi.NotFound' "$out/e" || fail "unknown action: $(cat "$out/e")"
grep -q "NoSuchAction is not in iotdeck's action table" "$out/e" || fail "unknown action not said: $(cat "$out/e")"
grep -q 'did you mean' "$out/e" && fail "a suggestion for a name far from every action: $(cat "$out/e")"
# A misspelt action: still sent (as a write), said on stderr with the nearest known name.
"$bin" call QueryDevcie ProductKey="$pk" >/dev/null 2>"$out/e"
expect_status 1 $? "misspelt action"
grep -q "^iotdeck call: QueryDevcie is not in iotdeck's action table: sent as a write (1 QPS, never retried); did you mean QueryDevice?$" "$out/e" ||
    fail "misspelt action: $(cat "$out/e")"
grep -q 'InvalidApi.NotFound' "$out/e" || fail "misspelt action not sent: $(cat "$out/e")"
"$bin" --readonly call QUERYDEVICE ProductKey="$pk" >/dev/null 2>"$out/e"
expect_status 4 $? "unknown action in a read-only session (a write)"
grep -q 'did you mean QueryDevice?' "$out/e" || fail "case-only misspelling: $(cat "$out/e")"
stop_sim

# HTTPS with certificate verification: refused without the CA, accepted with --cacert.
if "$BUILD/iotdeck-sim" --help 2>&1 | grep -q -- --tls-cert; then
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -addext subjectAltName=IP:127.0.0.1 -keyout "$out/key.pem" -out "$out/cert.pem" \
        >/dev/null 2>&1 || fail "openssl could not make a test certificate"
    start_sim --tls-cert "$out/cert.pem" --tls-key "$out/key.pem" --products 1 --devices 10
    url="https://127.0.0.1:$SIM_PORT/"
    "$bin" call QueryProductList CurrentPage=1 PageSize=10 --endpoint "$url" >/dev/null 2>"$out/e"
    expect_status 3 $? "self-signed certificate without --cacert"
    grep -qi 'certificate' "$out/e" || fail "TLS failure does not mention the certificate: $(cat "$out/e")"
    "$bin" call QueryProductList CurrentPage=1 PageSize=10 --endpoint "$url" \
        --cacert "$out/cert.pem" >/dev/null 2>"$out/e"
    expect_status 0 $? "with --cacert: $(cat "$out/e")"
    stop_sim
fi
pass
