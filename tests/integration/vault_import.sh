#!/bin/sh
# vault_import.sh — "vault import-aliyun" and "vault import-credentials" with every kind of
# profile (tests/fixtures/import: an aliyun CLI config.json with AK, StsToken (valid and
# expired), RamRoleArn, ChainableRamRoleArn, EcsRamRole and a bad role ARN; an SDK
# credentials file, CRLF, with access_key, sts, ram_role_arn (one with a policy),
# ecs_ram_role, rsa_key_pair, a broken line and a bad section name): what is imported,
# what is skipped and why (file:line for the credentials file), and that no secret or
# token of either file appears in any output or in any file but the vault.
set -u
. tests/integration/vault_lib.sh
V=$tmp/cfg/vault
FIX=tests/fixtures/import
printf 'import pass phrase\n' >"$tmp/pass"
mkdir -p "$tmp/home/.aliyun" "$tmp/home/.alibabacloud"
cp "$FIX/aliyun-config.json" "$tmp/home/.aliyun/config.json"
cp "$FIX/credentials" "$tmp/home/.alibabacloud/credentials"
# Every secret and token in the fixtures starts with one of these.
LEAK='importSecret\|CAISimportToken\|importBrokenLine'

# irun NAME WANT_RC CMD... : run, and no secret of the fixtures in the output.
irun() {
    run "$@"
    if grep -q "$LEAK" "$tmp/out"; then bad "$1: a secret of the imported files appeared:"
        grep "$LEAK" "$tmp/out" | sed 's/^/    /'; fi
}

irun "init" 0 "$bin" vault init --vault "$V" --passphrase-fd 3 3<"$tmp/pass"

HOME=$tmp/home irun "import-aliyun" 0 "$bin" vault import-aliyun --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
has "AK profile" "^imported ak (AccessKey LTAIimportAK000001, secret \*\*\*\*\*\*\*\*aaaa) from aliyun profile ak$"
has "StsToken profile with its expiry" "^imported ststok (sts, AccessKey STS.importSts00001, secret \*\*\*\*\*\*\*\*bbbb, expires 2100-01-01 00:00 UTC, .* left) from aliyun profile ststok$"
has "RamRoleArn profile" "^imported role (ram_role acs:ram::1234567890123456:role/iot-ops, own AccessKey LTAIimportRole0001, secret \*\*\*\*\*\*\*\*ffff) from aliyun profile role$"
has "ChainableRamRoleArn profile" "^imported chain (ram_role acs:ram::1234567890123456:role/iot-read, AccessKey of profile ak) from aliyun profile chain$"
has "expired StsToken skipped" "skipping aliyun profile stsold: its token expired at 2020-01-01 00:00 UTC"
has "EcsRamRole skipped" "skipping aliyun profile ecs: mode EcsRamRole is not imported"
has "bad role ARN skipped" "skipping badrole: profile badrole: the role ARN must look like acs:ram::ACCOUNT:role/NAME"
has "current becomes the default" "^default profile: ak$"
has "says the file still holds the secrets" "the aliyun CLI configuration still holds these secrets in plain text"

C=$FIX/credentials
irun "import-credentials FILE" 0 "$bin" vault import-credentials "$C" --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
has "access_key section" "^imported default (AccessKey LTAIimportCred0001, secret \*\*\*\*\*\*\*\*hhhh) from $C:2 \[default\]$"
has "sts section, expiry unknown" "^imported tmp (sts, AccessKey STS.importCredSts1, secret \*\*\*\*\*\*\*\*iiii, expiry unknown) from $C:8 \[tmp\]$"
has "ram_role_arn section" "^imported assume (ram_role acs:ram::1234567890123456:role/iot-admin, own AccessKey LTAIimportCredRole, secret \*\*\*\*\*\*\*\*kkkk) from $C:14 \[assume\]$"
has "a role with a policy skipped" "$C:22: skipping \[limited\]: it has a policy, which iotdeck cannot apply"
has "ecs_ram_role skipped" "$C:29: skipping \[instance\]: type ecs_ram_role is not imported"
has "rsa_key_pair skipped" "$C:33: skipping \[keys\]: type rsa_key_pair is not imported"
has "broken line reported" "$C:38: not a \[section\], a 'key = value' line or a comment: the line is skipped"
has "bad section name skipped" "$C:39: skipping \[bad name!\]: the section name is not usable as a vault profile name"
has "the existing default stays" "^default profile: ak$"

# Again, found through $ALIBABA_CLOUD_CREDENTIALS_FILE, then through $HOME: every section
# is already in the vault, so nothing is imported (and nothing saved).
before=$(cksum <"$V")
ALIBABA_CLOUD_CREDENTIALS_FILE=$C irun "import-credentials again (environment)" 1 \
    "$bin" vault import-credentials --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
has "already there" "skipping default: the vault already has a profile of that name"
has "says nothing was imported" "no profile imported"
HOME=$tmp/home irun "import-credentials again (~/.alibabacloud/credentials)" 1 \
    env -u ALIBABA_CLOUD_CREDENTIALS_FILE "$bin" vault import-credentials --vault "$V" \
    --passphrase-fd 3 3<"$tmp/pass"
has "reads the default file" "$tmp/home/.alibabacloud/credentials:38: not a \[section\]"
[ "$(cksum <"$V")" = "$before" ] && ok "vault untouched when nothing is imported" || bad "vault changed"
irun "import-credentials of a missing file" 1 "$bin" vault import-credentials "$tmp/nosuch" --vault "$V"
has "says it cannot read it" "cannot read $tmp/nosuch"

irun "list" 0 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
has "list: the default" "^\* ak  *access_key  *LTAIimportAK000001 "
has "list: aliyun StsToken with expiry" "^  ststok  *sts  *STS.importSts00001 .* cn-beijing .*expires 2100-01-01 00:00 UTC, .* left$"
has "list: credentials sts" "^  tmp  *sts  *STS.importCredSts1 .*expiry unknown$"
has "list: chained role" "^  chain  *ram_role  *-  *- .*role acs:ram::1234567890123456:role/iot-read via ak$"
has "list: role with its own key" "^  role  *ram_role  *LTAIimportRole0001 .*(own AccessKey)$"
has "list: credentials role" "^  assume  *ram_role .*role acs:ram::1234567890123456:role/iot-admin (own AccessKey)$"
n=$(grep -c '^[* ] [a-z]' "$tmp/out")
[ "$n" -eq 7 ] && ok "7 profiles listed: 4 from aliyun, 3 from the credentials file" || bad "$n rows listed"
irun "show the imported RamRoleArn" 0 "$bin" vault show role --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
has "session name kept" "session name:      deck"
has "expired_seconds kept" "duration:          1800 s"
has "sts_region became the STS endpoint" "STS endpoint:      https://sts.cn-hangzhou.aliyuncs.com"

# No copy of a secret anywhere but the vault (sealed) and the files imported from.
leaks=$(grep -rl "$LEAK" "$tmp" 2>/dev/null | grep -v -e "^$tmp/home/" -e "^$tmp/out$" || true)
[ -z "$leaks" ] && ok "no secret in any other file" || bad "secrets in: $leaks"
others=$(ls -A "$tmp/cfg" | tr '\n' ' ')
[ "$others" = "vault vault.bak vault.lock " ] && ok "no temporary files beside the vault" \
    || bad "beside the vault: $others"

done_tests
