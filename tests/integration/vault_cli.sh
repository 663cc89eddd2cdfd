#!/bin/sh
# vault_cli.sh — "iotdeck vault ..." end to end through --passphrase-fd / --secret-fd.
# Uses $BUILD/iotdeck (BUILD defaults to build); helpers in vault_lib.sh.
set -u
. tests/integration/vault_lib.sh
V=$tmp/cfg/vault
printf 'integration pass one\n' >"$tmp/pass1"
printf 'integration pass two\n' >"$tmp/pass2"
printf 'integration pass one\nintegration pass two\n' >"$tmp/passwd"
printf '%s\n' "$SECRET" >"$tmp/secret"

run "init" 0 "$bin" vault init --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "init message" "created an empty vault"
mode=$(stat -c %a "$V"); [ "$mode" = 600 ] && ok "vault is 0600" || bad "vault mode $mode"
mode=$(stat -c %a "$tmp/cfg"); [ "$mode" = 700 ] && ok "directory is 0700" || bad "directory mode $mode"
run "init again refused" 1 "$bin" vault init --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "init again says why" "already exists"

run "add" 0 "$bin" vault add prod --vault "$V" --access-key-id LTAIintegration01 \
    --region cn-shanghai --instance iot-06z00test --endpoint https://iot.example.invalid \
    --passphrase-fd 3 --secret-fd 4 3<"$tmp/pass1" 4<"$tmp/secret"
has "add masks the secret" "\*\*\*\*\*\*\*\*cdef"
run "add same name refused" 1 "$bin" vault add prod --vault "$V" --access-key-id X \
    --passphrase-fd 3 --secret-fd 4 3<"$tmp/pass1" 4<"$tmp/secret"
run "add without --access-key-id" 2 "$bin" vault add other --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
run "unknown option" 2 "$bin" vault list --vault "$V" --bogus
# A profile that could never be used is refused before the passphrase is asked for.
before=$(cksum <"$V")
run "add with a non-loopback http:// endpoint" 2 "$bin" vault add bad --vault "$V" \
    --access-key-id X --endpoint http://iotdeck.invalid/ 3<"$tmp/pass1"
has "says why" "plain http:// is allowed only for loopback"
run "add with a malformed endpoint" 2 "$bin" vault add bad --vault "$V" \
    --access-key-id X --endpoint htp:/x 3<"$tmp/pass1"
run "add with a bad region" 2 "$bin" vault add bad --vault "$V" \
    --access-key-id X --region 'CN_1!' 3<"$tmp/pass1"
has "says why" "is not a region id"
[ "$(cksum <"$V")" = "$before" ] && ok "vault untouched by refused adds" || bad "vault changed"

IOTDECK_VAULT=$V run "list (IOTDECK_VAULT)" 0 "$bin" vault list --passphrase-fd 3 3<"$tmp/pass1"
has "list shows the profile" "LTAIintegration01"
has "list marks the default" "^\* prod"
run "show" 0 "$bin" vault show prod --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "show region" "cn-shanghai"
has "show masked secret" "access key secret: \*\*\*\*\*\*\*\*cdef"

# Issue 14: STS and RAM role profiles. The passphrase, the secret and the token come one
# line each from one descriptor, in that order.
printf 'integration pass one\n%s\n%s\n' "$SECRET" "$TOKEN" >"$tmp/p-s-t"
run "add --sts" 0 "$bin" vault add tmp --sts --access-key-id STS.integration01 --expires 2h \
    --vault "$V" --passphrase-fd 3 --secret-fd 3 --token-fd 3 3<"$tmp/p-s-t"
has "add --sts says when it expires" "added profile tmp (sts, AccessKey STS.integration01, secret \*\*\*\*\*\*\*\*cdef, expires .* UTC, 2 h 0 min left)"
before=$(cksum <"$V")
run "add --sts with an expiry in the past" 2 "$bin" vault add old --sts --access-key-id STS.x \
    --expires 2020-01-01T00:00:00Z --vault "$V" 3<"$tmp/pass1"
has "says it has passed" "that time has passed"
run "add --sts with a local time" 2 "$bin" vault add old --sts --access-key-id STS.x \
    --expires 2099-01-01T00:00:00 --vault "$V" 3<"$tmp/pass1"
has "asks for UTC" "give a UTC time like 2026-12-01T11:00:00Z"
run "--expires without --sts" 2 "$bin" vault add old --access-key-id X --expires 1h --vault "$V"
has "says it goes with --sts" "expires goes with --sts"
run "--token-fd without --sts" 2 "$bin" vault add old --access-key-id X --token-fd 0 --vault "$V"
run "--sts with --role-arn" 2 "$bin" vault add old --sts --role-arn acs:ram::1:role/x --vault "$V"
run "bad role ARN" 2 "$bin" vault add r --role-arn acs:ram::1:user/x --source-profile prod --vault "$V"
has "says what an ARN looks like" "acs:ram::1234567890123456:role/NAME"
run "role with a source and its own key" 2 "$bin" vault add r --role-arn acs:ram::1:role/x \
    --source-profile prod --access-key-id X --vault "$V"
run "role with neither" 2 "$bin" vault add r --role-arn acs:ram::1:role/x --vault "$V"
run "role duration out of range" 2 "$bin" vault add r --role-arn acs:ram::1:role/x \
    --source-profile prod --duration 899 --vault "$V"
run "role session name too short" 2 "$bin" vault add r --role-arn acs:ram::1:role/x \
    --source-profile prod --session-name x --vault "$V"
run "role STS endpoint over plain http" 2 "$bin" vault add r --role-arn acs:ram::1:role/x \
    --source-profile prod --sts-endpoint http://sts.example.invalid/ --vault "$V"
has "says why" "plain http:// is allowed only for loopback"
run "bad --signature" 2 "$bin" vault add r --access-key-id X --signature v2 --vault "$V"
[ "$(cksum <"$V")" = "$before" ] && ok "vault untouched by refused adds" || bad "vault changed"
run "role with a missing source" 1 "$bin" vault add r --role-arn acs:ram::1:role/x \
    --source-profile nosuch --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "says the source is missing" "no such profile"
run "role with an sts source" 1 "$bin" vault add r --role-arn acs:ram::1:role/x \
    --source-profile tmp --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "says the source must hold an AccessKey" "not an AccessKey profile"
run "add --role-arn --source-profile" 0 "$bin" vault add role --vault "$V" \
    --role-arn acs:ram::1234567890123456:role/iot-ops --source-profile prod --session-name deck \
    --duration 7200 --sts-endpoint http://127.0.0.1:9 --signature v3 --passphrase-fd 3 3<"$tmp/pass1"
has "add role reports" "added profile role (ram_role acs:ram::1234567890123456:role/iot-ops, AccessKey of profile prod, signature v3)"
run "add --role-arn with its own AccessKey" 0 "$bin" vault add ownrole --vault "$V" \
    --role-arn acs:ram::1:role/own --access-key-id LTAIintegration03 \
    --passphrase-fd 3 --secret-fd 4 3<"$tmp/pass1" 4<"$tmp/secret"
run "list kinds" 0 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "list header" "PROFILE  KIND .*MODE .*DETAILS"
has "list sts expiry" "^  tmp .* sts .*STS.integration01 .*expires .* UTC, 2 h 0 min left$"
has "list role and source" "^  role .* ram_role .*role acs:ram::1234567890123456:role/iot-ops via prod, signature v3$"
has "list own-key role" "^  ownrole .* ram_role .*LTAIintegration03 .*(own AccessKey)$"
hasnt "no trailing spaces" " $"
run "show sts" 0 "$bin" vault show tmp --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "show kind" "kind:              sts"
has "show token not shown" "security token:    stored, not shown"
run "show role" 0 "$bin" vault show role --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "show role ARN" "role ARN:          acs:ram::1234567890123456:role/iot-ops"
has "show normalised STS endpoint" "STS endpoint:      http://127.0.0.1:9/"
run "remove a role's source refused" 1 "$bin" vault remove prod --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "says which role uses it" "source profile of role"
run "remove the role" 0 "$bin" vault remove role --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"

# Where a call goes (api_config_set_place_from): the profile's region before
# ALIBABA_CLOUD_REGION_ID, --region before both; the profile's endpoint when neither
# --endpoint nor IOTDECK_ENDPOINT is given. Loopback, closed port: exit 3, the --verbose
# trace says where it went (and never holds the secret: run checks that).
run "add a loopback profile" 0 "$bin" vault add near --vault "$V" --access-key-id LTAIintegration02 \
    --region cn-shanghai --endpoint http://127.0.0.1:9/ \
    --passphrase-fd 3 --secret-fd 4 3<"$tmp/pass1" 4<"$tmp/secret"
ALIBABA_CLOUD_REGION_ID=cn-hangzhou run "call with the profile's place" 3 env -u IOTDECK_ENDPOINT \
    "$bin" call QueryProductList --profile near --vault "$V" --passphrase-fd 3 --verbose \
    --timeout 1 3<"$tmp/pass1"
has "the profile's region, not the environment's" "RegionId=cn-shanghai"
has "the profile's endpoint" "POST http://127.0.0.1:9/"
ALIBABA_CLOUD_REGION_ID=cn-hangzhou run "call with --region" 3 env -u IOTDECK_ENDPOINT \
    "$bin" call QueryProductList --profile near --region ap-southeast-1 --vault "$V" \
    --passphrase-fd 3 --verbose --timeout 1 3<"$tmp/pass1"
has "--region first" "RegionId=ap-southeast-1"
has "the profile's endpoint stays" "POST http://127.0.0.1:9/"

before=$(cksum <"$V")
run "wrong passphrase" 1 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/pass2"
has "one message for a failed unlock" "wrong passphrase or damaged file"
[ "$(cksum <"$V")" = "$before" ] && ok "vault untouched after a failed unlock" || bad "vault changed"

chmod 644 "$V"
run "group-readable vault refused" 1 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "says how to fix" "chmod 600"
chmod 600 "$V"
ln -s "$V" "$tmp/cfg/link"
run "symlinked vault refused" 1 "$bin" vault list --vault "$tmp/cfg/link" --passphrase-fd 3 3<"$tmp/pass1"
has "says it is a symlink" "symbolic link"

ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIfromenv01 ALIBABA_CLOUD_ACCESS_KEY_SECRET=envSecretValue00001234 \
ALIBABA_CLOUD_REGION_ID=cn-hangzhou \
    run "import-env" 0 "$bin" vault import-env fromenv --readonly --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
run "import-env without the variables" 1 "$bin" vault import-env x --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"

mkdir -p "$tmp/home/.aliyun"
cat >"$tmp/home/.aliyun/config.json" <<'JSON'
{"current":"ali","profiles":[
 {"name":"ali","mode":"AK","access_key_id":"LTAIaliyun0001","access_key_secret":"aliyunSecretValue00005678","region_id":"cn-beijing"},
 {"name":"esc","mode":"AK","access_key_id":"LTAI\u001b]0;owned\u0007x","access_key_secret":"aliyunSecretValue00009999","region_id":"cn-beijing"},
 {"name":"sts","mode":"StsToken","access_key_id":"a","access_key_secret":"b","sts_token":"c"}]}
JSON
HOME=$tmp/home run "import-aliyun" 0 "$bin" vault import-aliyun --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "import-aliyun imports AK profiles" "imported ali"
has "import-aliyun skips other modes" "skipping aliyun profile sts"
has "import-aliyun skips an AccessKey ID with controls" "skipping esc"
grep -q "$(printf '\033')" "$tmp/out" && bad "an escape sequence from config.json reached the terminal" \
    || ok "import output is display-safe"
HOME=$tmp/home run "import-aliyun unknown name" 1 "$bin" vault import-aliyun nope --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"

run "default" 0 "$bin" vault default ali --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
run "list after imports" 0 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
has "default moved" "^\* ali"
has "read-only profile" "fromenv.*read-only"
[ -f "$V.bak" ] && ok "previous version kept as vault.bak" || bad "no vault.bak"

run "remove" 0 "$bin" vault remove fromenv --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
run "remove missing" 1 "$bin" vault remove fromenv --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"

run "passwd" 0 "$bin" vault passwd --vault "$V" --passphrase-fd 3 3<"$tmp/passwd"
[ ! -e "$V.bak" ] && ok "passwd drops the old-passphrase backup" || bad "vault.bak still there"
run "old passphrase refused" 1 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/pass1"
run "new passphrase works" 0 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/pass2"
has "profiles survive passwd" "LTAIintegration01"

if command -v setsid >/dev/null 2>&1; then
    run "no terminal and no --passphrase-fd" 1 setsid -w "$bin" vault list --vault "$V" </dev/null
    has "says to use --passphrase-fd" "passphrase-fd"
fi

done_tests
