#!/bin/sh
# sts_static.sh — static STS credentials against iotdeck-sim (--sts-token): a vault sts
# profile sends its SecurityToken and works; one whose expiry has passed is refused
# before anything is sent (exit 4, the message naming the profile, the time and what to
# do; the simulator's log shows no request); the environment's ALIBABA_CLOUD_SECURITY_TOKEN
# is sent too (without it the same key is refused with MissingSecurityToken).
set -u
. tests/integration/vault_lib.sh
. tests/integration/lib.sh
V=$tmp/vault
PASS=$tmp/pass
printf 'sts static pass\n' >"$PASS"
STS_ID=STS.integrationPre1
STS_SECRET=$SECRET
SIM_LOG=$tmp/sim.log
trap 'stop_sim; rm -rf "$tmp"' EXIT INT TERM
start_sim --verbose --products 1 --devices 5 --sts-token "$STS_ID:$STS_SECRET:$TOKEN:3600"
calls() { grep -c 'POST QueryProductList' "$SIM_LOG"; }

printf 'sts static pass\n%s\n%s\n' "$STS_SECRET" "$TOKEN" >"$tmp/p-s-t"
run "init" 0 "$bin" vault init --vault "$V" --passphrase-fd 3 3<"$PASS"
run "add sts" 0 "$bin" vault add st --sts --access-key-id "$STS_ID" --expires 1h \
    --region cn-shanghai --endpoint "$SIM_URL" --vault "$V" --passphrase-fd 3 --secret-fd 3 \
    --token-fd 3 3<"$tmp/p-s-t"
run "call with the sts profile" 0 "$bin" --profile st --vault "$V" --passphrase-fd 3 \
    call QueryProductList CurrentPage=1 PageSize=1 3<"$PASS"
has "the answer came" '"Success": true'
sleep 0.2
grep -q "POST QueryProductList $STS_ID -> 200" "$SIM_LOG" && ok "the simulator took the token" \
    || bad "no accepted QueryProductList by $STS_ID"

# A token that expires 3 s from now, used after it has.
exp=$(date -u -d "@$(( $(date +%s) + 3 ))" +%Y-%m-%dT%H:%M:%SZ)
run "add an sts profile expiring in 3 s" 0 "$bin" vault add soon --sts --access-key-id "$STS_ID" \
    --expires "$exp" --region cn-shanghai --endpoint "$SIM_URL" --vault "$V" --passphrase-fd 3 \
    --secret-fd 3 --token-fd 3 3<"$tmp/p-s-t"
while [ "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \< "$exp" ] || [ "$(date -u +%Y-%m-%dT%H:%M:%SZ)" = "$exp" ]; do
    sleep 0.5
done
sleep 0.3
n=$(calls)
run "an expired token is refused" 4 "$bin" --profile soon --vault "$V" --passphrase-fd 3 \
    call QueryProductList CurrentPage=1 PageSize=1 3<"$PASS"
when=$(printf '%s' "$exp" | sed 's/T/ /; s/Z$/ UTC/')
has "the message" "^iotdeck: the STS token of profile soon expired at $when ([0-9]* s ago); get a new one (vault add soon --sts ...) or use another profile$"
sleep 0.3
[ "$(calls)" = "$n" ] && ok "nothing was sent" || bad "a request reached the simulator"

# The environment's token.
ALIBABA_CLOUD_ACCESS_KEY_ID=$STS_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$STS_SECRET \
    ALIBABA_CLOUD_SECURITY_TOKEN=$TOKEN run "the environment's token" 0 "$bin" \
    --endpoint "$SIM_URL" --region cn-shanghai call QueryProductList CurrentPage=1 PageSize=1
has "the answer came" '"Success": true'
ALIBABA_CLOUD_ACCESS_KEY_ID=$STS_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$STS_SECRET \
    run "the same key without the token" 1 "$bin" --endpoint "$SIM_URL" --region cn-shanghai \
    call QueryProductList CurrentPage=1 PageSize=1
has "is refused by the simulator" "MissingSecurityToken"
grep -q "$TOKEN\|$STS_SECRET" "$SIM_LOG" && bad "the token or secret in the sim log" \
    || ok "no token or secret in the sim log"
done_tests
