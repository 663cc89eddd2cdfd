#!/bin/sh
# vault_kdf.sh — the vault's key derivation through the real binary: a new vault gets the
# default (Argon2id, 3 passes over 256 MiB); a file of an earlier version (the committed
# fixture, 3 passes over 64 MiB) is re-sealed at the default by every command that saves,
# and left alone by those that only read; a header asking for more than the ceiling is
# refused before any passphrase is read.
set -u
. tests/integration/vault_lib.sh
printf '%s\n' "$FIXTURE_PASS" >"$tmp/pass"
printf '%s\n%s\n' "$FIXTURE_PASS" "$FIXTURE_PASS" >"$tmp/pass2"
printf '%s\n' "$SECRET" >"$tmp/secret"

[ "$(kdf_of "$FIXTURE")" = "3 67108864" ] && ok "the fixture has the old parameters" \
    || bad "the fixture's parameters are $(kdf_of "$FIXTURE"): this test needs older ones"

run "init" 0 "$bin" vault init --vault "$tmp/new/vault" --passphrase-fd 3 3<"$tmp/pass"
k=$(kdf_of "$tmp/new/vault")
[ "$k" = "$KDF_DEFAULT" ] && ok "init seals with the default ($k)" || bad "init sealed with $k"

# Reading leaves an old file as it is, and says how to upgrade it.
V=$(fixture_at "$tmp/read")
run "list an old vault" 0 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
has "list says the parameters are older" "older key derivation parameters"
has "list says how to upgrade" "vault passwd"
cmp -s "$V" "$FIXTURE" && ok "reading does not rewrite the file" || bad "list changed the file"
run "show an old vault" 0 "$bin" vault show kat --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
cmp -s "$V" "$FIXTURE" && ok "show does not rewrite the file" || bad "show changed the file"

# Every command that saves upgrades it.
upgraded() { # NAME VAULT
    k=$(kdf_of "$2")
    [ "$k" = "$KDF_DEFAULT" ] && ok "$1 re-seals at the default" || bad "$1 left $k"
}
V=$(fixture_at "$tmp/passwd")
run "passwd" 0 "$bin" vault passwd --vault "$V" --passphrase-fd 3 3<"$tmp/pass2"
has "passwd says it upgraded" "re-sealed with the current key derivation, Argon2id 3 passes over 256 MiB (was 3 passes over 64 MiB)"
upgraded passwd "$V"
run "the upgraded vault opens" 0 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
has "with its profiles" "LTAIfixtureKAT01"
hasnt "and no upgrade hint" "older key derivation"

V=$(fixture_at "$tmp/add")
run "add" 0 "$bin" vault add new --access-key-id LTAInew01 --vault "$V" \
    --passphrase-fd 3 --secret-fd 4 3<"$tmp/pass" 4<"$tmp/secret"
upgraded add "$V"
V=$(fixture_at "$tmp/remove")
run "remove" 0 "$bin" vault remove ro --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
upgraded remove "$V"
V=$(fixture_at "$tmp/default")
run "default" 0 "$bin" vault default ro --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
upgraded default "$V"
V=$(fixture_at "$tmp/env")
ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIfromenv01 ALIBABA_CLOUD_ACCESS_KEY_SECRET=envSecretValue00001234 \
    run "import-env" 0 "$bin" vault import-env e --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
upgraded import-env "$V"
V=$(fixture_at "$tmp/aliyun")
mkdir -p "$tmp/home/.aliyun"
printf '%s\n' '{"current":"ali","profiles":[{"name":"ali","mode":"AK","access_key_id":"LTAIaliyun0001","access_key_secret":"aliyunSecretValue00005678"}]}' \
    >"$tmp/home/.aliyun/config.json"
HOME=$tmp/home run "import-aliyun" 0 "$bin" vault import-aliyun --vault "$V" --passphrase-fd 3 3<"$tmp/pass"
upgraded import-aliyun "$V"

# The ceiling: a header asking for 64 GiB is refused before the passphrase is read (an
# empty descriptor would otherwise fail with "no passphrase to read").
V=$(fixture_at "$tmp/ceiling")
printf '\000\000\000\000\020\000\000\000' | dd of="$V" bs=1 seek=16 conv=notrunc 2>/dev/null
[ "$(kdf_of "$V")" = "3 68719476736" ] || bad "could not patch the header"
run "64 GiB refused" 1 "$bin" vault list --vault "$V" --passphrase-fd 3 3</dev/null
has "before the KDF, with the reason" "outside the allowed range"
hasnt "before reading a passphrase" "no passphrase to read"
# The floor: a file at exactly the floor opens (the floor fixture, 2 passes over 32 MiB,
# under 1024 'p'); one pass less, or 1 KiB less, is refused the same way.
head -c 1024 /dev/zero | tr '\0' p >"$tmp/floor-pass"; echo >>"$tmp/floor-pass"
V=$(fixture_at "$tmp/floor" "$FLOOR_FIXTURE")
[ "$(kdf_of "$V")" = "2 33554432" ] || bad "the floor fixture is not at the floor: $(kdf_of "$V")"
run "a vault at the floor opens" 0 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/floor-pass"
has "with its profile" "LTAIfixtureFLOOR"
printf '\001' | dd of="$V" bs=1 seek=12 conv=notrunc 2>/dev/null
run "1 pass refused" 1 "$bin" vault list --vault "$V" --passphrase-fd 3 3</dev/null
has "below the floor, with the reason" "outside the allowed range"
V=$(fixture_at "$tmp/floor" "$FLOOR_FIXTURE")
printf '\000\374\377\001' | dd of="$V" bs=1 seek=16 conv=notrunc 2>/dev/null
[ "$(kdf_of "$V")" = "2 33553408" ] || bad "could not patch the header: $(kdf_of "$V")"
run "32 MiB less 1 KiB refused" 1 "$bin" vault list --vault "$V" --passphrase-fd 3 3</dev/null
has "below the floor, with the reason" "outside the allowed range"

done_tests
