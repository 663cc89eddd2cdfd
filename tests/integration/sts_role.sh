#!/bin/sh
# sts_role.sh — a RAM-role profile against iotdeck-sim's AssumeRole: the role is assumed
# with the AccessKey of its source_profile (one vault unlock) and the IoT call goes with
# the STS credential; an export that spans several lifetimes of the credential
# (--sts-max-duration 4, answers slowed down) renews it on the way and loses no page;
# the STS endpoint can come from IOTDECK_STS_ENDPOINT; a role STS refuses is a
# credential error (exit 4) naming the role and STS's message, and no IoT request is sent.
set -u
. tests/integration/vault_lib.sh
. tests/integration/lib.sh
ROLE=acs:ram::1234567890123456:role/iot-ops
V=$tmp/vault
PASS="$tmp/pass"
printf 'sts role pass\n' >"$PASS"
printf '%s\n' "$DEMO_KEY_SECRET" >"$tmp/demo-secret"
SIM_LOG=$tmp/sim.log
trap 'stop_sim; rm -rf "$tmp"' EXIT INT TERM
# QueryDevice at 2 QPS (50 x 0.04): an export of 1200 devices (24 pages) takes about 12 s.
start_sim --verbose --products 1 --devices 1200 --role "$ROLE" --sts-max-duration 4 \
    --qps-scale 0.04

run "init" 0 "$bin" vault init --vault "$V" --passphrase-fd 3 3<"$PASS"
run "add the source profile" 0 "$bin" vault add base --vault "$V" --access-key-id "$DEMO_KEY_ID" \
    --region cn-shanghai --endpoint "$SIM_URL" --passphrase-fd 3 --secret-fd 4 3<"$PASS" \
    4<"$tmp/demo-secret"
run "add the role profile" 0 "$bin" vault add ops --vault "$V" --role-arn "$ROLE" \
    --source-profile base --region cn-shanghai --endpoint "$SIM_URL" --sts-endpoint "$SIM_URL" \
    --passphrase-fd 3 3<"$PASS"

# One call: AssumeRole with the source's key, then the call with the STS key.
: >"$SIM_LOG.mark"
run "call with the role" 0 "$bin" --profile ops --vault "$V" --passphrase-fd 3 \
    call QueryProductList CurrentPage=1 PageSize=1 3<"$PASS"
has "the answer came" '"Success": true'
sleep 0.3
grep -q "POST AssumeRole $DEMO_KEY_ID -> 200" "$SIM_LOG" && ok "AssumeRole with the source's key" \
    || bad "no AssumeRole by $DEMO_KEY_ID in the sim log"
grep -q 'POST QueryProductList STS\.[^ ]* -> 200' "$SIM_LOG" && ok "the call went with the STS key" \
    || bad "no QueryProductList by an STS. key"

# An export spanning several lifetimes (4 s; renewed with less than 1.3 s left; the
# simulator's Throttling answers pace the pages): every page arrives, the credential is
# renewed on the way, no request is refused for its token.
pk=$(ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET \
    "$bin" --endpoint "$SIM_URL" --region cn-shanghai call QueryProductList CurrentPage=1 PageSize=1 |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["Data"]["List"]["ProductInfo"][0]["ProductKey"])')
before=$(grep -c 'POST AssumeRole' "$SIM_LOG")
t0=$(date +%s.%N)
run "export with renewals" 0 "$bin" --profile ops --vault "$V" --passphrase-fd 3 \
    export devices --product "$pk" --format json --output "$tmp/devices.json" 3<"$PASS"
t1=$(date +%s.%N)
sleep 0.3
n=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/devices.json" 2>/dev/null || echo 0)
[ "$n" = 1200 ] && ok "all 1200 devices exported" || bad "exported $n devices, wanted 1200"
after=$(grep -c 'POST AssumeRole' "$SIM_LOG")
renewals=$((after - before))
secs=$(python3 -c "print('%.1f' % ($t1 - $t0))")
pages=$(grep -c 'POST QueryDevice STS\.[^ ]* -> 200' "$SIM_LOG")
keys=$(grep -o 'POST QueryDevice STS\.[^ ]* -> 200' "$SIM_LOG" | sort -u | wc -l)
echo "  export took $secs s: $pages pages answered, signed with $keys STS keys; $renewals AssumeRole"
[ "$keys" -ge 3 ] && ok "pages signed with $keys successive STS keys" || bad "only $keys STS keys"
[ "$renewals" -ge 3 ] && ok "renewed during the export ($renewals AssumeRole in $secs s)" \
    || bad "only $renewals AssumeRole during a $secs s export"
grep -q 'InvalidSecurityToken\|MissingSecurityToken' "$SIM_LOG" \
    && bad "a request went with an expired or missing token" || ok "no request refused for its token"

# The STS endpoint from the environment (a profile without one).
run "add a role profile without an STS endpoint" 0 "$bin" vault add ops2 --vault "$V" \
    --role-arn "$ROLE" --source-profile base --region cn-shanghai --endpoint "$SIM_URL" \
    --session-name deck2 --passphrase-fd 3 3<"$PASS"
IOTDECK_STS_ENDPOINT=$SIM_URL run "IOTDECK_STS_ENDPOINT" 0 "$bin" --profile ops2 --vault "$V" \
    --passphrase-fd 3 call QueryProductList CurrentPage=1 PageSize=1 3<"$PASS"

# A role that does not exist: a credential error, nothing sent to IoT.
run "add a profile for a role that does not exist" 0 "$bin" vault add nope --vault "$V" \
    --role-arn acs:ram::1234567890123456:role/nope --source-profile base --region cn-shanghai \
    --endpoint "$SIM_URL" --sts-endpoint "$SIM_URL" --passphrase-fd 3 3<"$PASS"
iot_before=$(grep -c 'POST QueryProductList' "$SIM_LOG")
run "a role STS refuses" 4 "$bin" --profile nope --vault "$V" --passphrase-fd 3 \
    call QueryProductList CurrentPage=1 PageSize=1 3<"$PASS"
has "says which role and why" "iotdeck: the role of profile nope could not be assumed: AssumeRole of acs:ram::1234567890123456:role/nope at $SIM_URL failed: EntityNotExist.Role: The role not exists: acs:ram::1234567890123456:role/nope"
sleep 0.3
[ "$(grep -c 'POST QueryProductList' "$SIM_LOG")" = "$iot_before" ] && ok "no IoT request sent" \
    || bad "an IoT request was sent"
grep -q "$DEMO_KEY_SECRET" "$SIM_LOG" && bad "a secret in the sim log" || ok "no secret in the sim log"
done_tests
