#!/bin/sh
# client_v3.sh — iotdeck signing with v3 (ACS3-HMAC-SHA256) against iotdeck-sim, which checks
# v3 as the gateway does: reads, a write, a batch too long for the query (sent as a signed
# form body), what --verbose shows and hides, which of --signature, IOTDECK_SIGNATURE and
# the default wins, and bad values refused before anything is sent.
set -u
. tests/integration/lib.sh

bin="$BUILD/iotdeck"
out=$(mktemp -d)
trap 'stop_sim; rm -rf "$out"' EXIT
start_sim --seed 7 --products 3 --devices 300

export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
export IOTDECK_ENDPOINT=$SIM_URL
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN IOTDECK_SIGNATURE

# A read, with the trace: v3 headers, no v1 parameters, the signature redacted.
"$bin" --signature v3 -v call QueryProductList CurrentPage=1 PageSize=10 >"$out/pl" 2>"$out/e"
expect_status 0 $? "v3 QueryProductList: $(cat "$out/e")"
grep -q '"Total": 3' "$out/pl" || fail "v3 QueryProductList does not count 3 products"
grep -q '^> POST http://127.0.0.1:[0-9]*/ (signature v3' "$out/e" || fail "the trace does not say v3"
grep -q '^>   x-acs-action: QueryProductList$' "$out/e" || fail "no x-acs-action in the trace"
grep -q 'SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=<redacted>$' \
    "$out/e" || fail "the Authorization line: $(grep authorization "$out/e")"
grep -q 'SignatureMethod\|AccessKeyId=' "$out/e" && fail "v1 parameters in a v3 request"
grep -Eq 'Signature=[0-9a-f]{64}' "$out/e" && fail "the signature is in the trace"
pk=$(sed -n 's/.*"ProductKey": "\([^"]*\)".*/\1/p' "$out/pl" | head -1)
[ -n "$pk" ] || fail "no ProductKey in the product list"

# UTF-8 and reserved characters in the query of a write, read back.
"$bin" --signature v3 call QueryDevice ProductKey="$pk" CurrentPage=1 PageSize=2 >"$out/dl" 2>"$out/e"
expect_status 0 $? "v3 QueryDevice: $(cat "$out/e")"
dn=$(sed -n 's/.*"DeviceName": "\([^"]*\)".*/\1/p' "$out/dl" | head -1)
[ -n "$dn" ] || fail "no device listed"
props='{"v3note":"灯 & 插座=100%!*()~+/?"}'
"$bin" --signature v3 call SaveDeviceProp ProductKey="$pk" DeviceName="$dn" Props="$props" \
    >"$out/o" 2>"$out/e"
expect_status 0 $? "v3 write: $(cat "$out/e")"
"$bin" --signature v3 call QueryDeviceProp ProductKey="$pk" DeviceName="$dn" >"$out/o" 2>"$out/e"
expect_status 0 $? "v3 read back: $(cat "$out/e")"
grep -qF '灯 & 插座=100%!*()~+/?' "$out/o" || fail "the property did not round-trip: $(cat "$out/o")"

# 1,000 names (about 20 KB of query): a signed form body, still served.
i=1; set --
while [ $i -le 1000 ]; do set -- "$@" "DeviceName.$i=v3-batch-device-$i"; i=$((i + 1)); done
"$bin" --signature v3 -v call BatchCheckDeviceNames ProductKey="$pk" "$@" >"$out/o" 2>"$out/e"
expect_status 0 $? "v3 batch: $(grep -v '^>' "$out/e" | head -3)"
grep -q '^>   content-type: application/x-www-form-urlencoded$' "$out/e" || fail "the batch has no form body"
grep -q '^>   (body) DeviceName.1000=v3-batch-device-1000$' "$out/e" || fail "the batch's names are not in the body"
grep -q '"ApplyId"' "$out/o" || fail "BatchCheckDeviceNames answered: $(head -c 300 "$out/o")"

# A wrong secret: the simulator's v3 refusal.
ALIBABA_CLOUD_ACCESS_KEY_SECRET=not-the-secret "$bin" --signature v3 call QueryProductList \
    CurrentPage=1 PageSize=1 >/dev/null 2>"$out/e"
expect_status 1 $? "v3 with a wrong secret"
grep -q 'SignatureDoesNotMatch: .*StringToSign is \[ACS3-HMAC-SHA256' "$out/e" ||
    fail "wrong secret: $(cat "$out/e")"

# An STS token: signed in x-acs-security-token (with x-acs-accesskey-id), never shown.
# (A closed port: only the request matters here.)
port=$(free_port)
ALIBABA_CLOUD_SECURITY_TOKEN=CAIS-token-must-not-leak "$bin" --signature v3 -v call QueryProductList \
    --endpoint "http://127.0.0.1:$port/" --timeout 2 >/dev/null 2>"$out/e"
expect_status 3 $? "closed port"
grep -q '^>   x-acs-security-token: <redacted>$' "$out/e" || fail "the token header: $(cat "$out/e")"
grep -q "^>   x-acs-accesskey-id: $DEMO_KEY_ID\$" "$out/e" || fail "no x-acs-accesskey-id"
grep -q 'SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;' \
    "$out/e" || fail "the token is not signed: $(grep authorization "$out/e")"
grep -q 'CAIS-token-must-not-leak' "$out/e" && fail "the token leaked into the trace"

# Which signature: --signature, else IOTDECK_SIGNATURE, else v1.
sig_of() { # ARGS... — prints v1 or v3, from the trace of a call to the closed port
    "$@" -v call QueryProductList --endpoint "http://127.0.0.1:$port/" --timeout 2 2>&1 >/dev/null |
        sed -n 's/^> POST [^ ]* (signature \(v3\).*/\1/p; s/^>   SignatureVersion=1.0$/v1/p' | head -1
}
[ "$(sig_of "$bin")" = v1 ] || fail "the default is not v1"
[ "$(IOTDECK_SIGNATURE=v3 sig_of "$bin")" = v3 ] || fail "IOTDECK_SIGNATURE=v3 not used"
[ "$(IOTDECK_SIGNATURE=v1 sig_of "$bin")" = v1 ] || fail "IOTDECK_SIGNATURE=v1 not used"
[ "$(IOTDECK_SIGNATURE=v3 sig_of "$bin" --signature v1)" = v1 ] || fail "--signature v1 does not beat the environment"
[ "$(IOTDECK_SIGNATURE=v1 sig_of "$bin" --signature=v3)" = v3 ] || fail "--signature=v3 does not beat the environment"
IOTDECK_SIGNATURE=v3 "$bin" --signature v1 call QueryProductList CurrentPage=1 PageSize=1 >/dev/null 2>"$out/e"
expect_status 0 $? "v1 over the environment's v3: $(cat "$out/e")"

# Bad values: refused with the reason, nothing sent.
for bad in v2 V3 3 ''; do
    "$bin" --signature "$bad" -v call QueryProductList >"$out/o" 2>"$out/e"
    expect_status 2 $? "--signature '$bad'"
    grep -q "^iotdeck: --signature '$bad': give v1 (HMAC-SHA1, the default) or v3" "$out/e" ||
        fail "--signature '$bad': $(cat "$out/e")"
    grep -q '^> POST' "$out/e" && fail "--signature '$bad' sent a request"
done
"$bin" -v call QueryProductList --signature >/dev/null 2>"$out/e"
expect_status 2 $? "--signature without a value"
grep -q "option --signature needs a value" "$out/e" || fail "no value: $(cat "$out/e")"
IOTDECK_SIGNATURE=hmac "$bin" -v call QueryProductList >/dev/null 2>"$out/e"
expect_status 4 $? "IOTDECK_SIGNATURE=hmac"
grep -q "^iotdeck: IOTDECK_SIGNATURE is 'hmac': set it to v1 or v3, or unset it$" "$out/e" ||
    fail "IOTDECK_SIGNATURE=hmac: $(cat "$out/e")"
grep -q '^> POST' "$out/e" && fail "a bad IOTDECK_SIGNATURE sent a request"
"$bin" --help | grep -q -- '--signature v1|v3' || fail "--help lacks --signature"
pass
