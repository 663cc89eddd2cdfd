#!/bin/sh
# vault_advice.sh — what the vault advises when it refuses a place: never a change to a
# directory that is shared (sticky, or writable by group or others, like /tmp), that is
# someone else's, or that is the root or home directory ("vault init --vault /tmp/x" once
# advised "chmod 700 /tmp"); a private directory instead. And the option it names for
# input without a terminal is the one for that input.
set -u
. tests/integration/vault_lib.sh
printf 'advice passphrase\n' >"$tmp/pass"
printf '%s\n' "$FIXTURE_PASS" >"$tmp/fixture-pass"
# no_change_advised NAME : the last output names a private directory, advises no chmod
# or chown.
no_change_advised() {
    has "$1: names a private directory" "mkdir -m 700"
    hasnt "$1: no chmod advised" "chmod"
    hasnt "$1: no chown advised" "chown"
}

# /tmp: sticky and world-writable (and root's, unless we are root).
f=/tmp/iotdeck-advice-test.$$
rm -f "$f" "$f.lock"
run "init --vault /tmp/x refused" 1 "$bin" vault init --vault "$f" --passphrase-fd 3 3<"$tmp/pass"
no_change_advised "init in /tmp"
[ ! -e "$f" ] && [ ! -e "$f.lock" ] && ok "nothing made in /tmp" || bad "left $f or $f.lock"
IOTDECK_VAULT=$f run "list IOTDECK_VAULT=/tmp/x refused" 1 "$bin" vault list --passphrase-fd 3 3<"$tmp/pass"
no_change_advised "list in /tmp"
run "init --vault /x refused" 1 "$bin" vault init --vault /iotdeck-advice-test.$$ --passphrase-fd 3 3<"$tmp/pass"
no_change_advised "init in /"
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --version >/dev/null 2>&1; then
    HOME=/nonexistent run "as another user, init in /tmp refused" 1 \
        setpriv --reuid=65534 --regid=65534 --clear-groups \
        "$bin" vault init --vault "$f" --passphrase-fd 3 3<"$tmp/pass"
    has "says whose /tmp is" "belongs to uid 0"
    no_change_advised "another user's /tmp"
fi

# Directories of ours: shared ones are refused with the same advice; a merely readable
# one may be made private.
for mode in 1777 0777 0770 0703; do
    rm -rf "$tmp/d"; mkdir "$tmp/d"; chmod "$mode" "$tmp/d"
    run "init in a $mode directory refused" 1 "$bin" vault init --vault "$tmp/d/vault" --passphrase-fd 3 3<"$tmp/pass"
    no_change_advised "$mode directory"
done
rm -rf "$tmp/d"; mkdir -m 755 "$tmp/d"
run "init in a 0755 directory of ours refused" 1 "$bin" vault init --vault "$tmp/d/vault" --passphrase-fd 3 3<"$tmp/pass"
has "with: chmod 700 that directory" "chmod 700 $tmp/d"
HOME=$tmp/d run "init in a 0755 home directory refused" 1 "$bin" vault init --vault "$tmp/d/vault" --passphrase-fd 3 3<"$tmp/pass"
no_change_advised "home directory"
has "names the default" "$tmp/d/.config/iotdeck/vault"

# Input without a terminal: the option named is the one for what is read.
if command -v setsid >/dev/null 2>&1; then
    V=$(fixture_at "$tmp/sec")
    run "a secret with no terminal" 1 setsid -w "$bin" vault add s --access-key-id LTAIs \
        --vault "$V" --passphrase-fd 3 3<"$tmp/fixture-pass" </dev/null
    has "says to use --secret-fd" "no terminal to ask for the AccessKey secret on; use --secret-fd"
fi

done_tests
