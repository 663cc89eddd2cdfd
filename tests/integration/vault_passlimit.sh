#!/bin/sh
# vault_passlimit.sh — one passphrase limit, VAULT_PASSPHRASE_MAX (1024 bytes), for every
# reader: --passphrase-fd, the terminal (through a pseudo-terminal, vault_pty.py), and the
# new passphrase of init and passwd. Exactly the limit works; one byte more is refused
# with "passphrase longer than 1024 bytes", never truncated, and what was typed after the
# limit is not left in the terminal for the shell to run.
set -u
. tests/integration/vault_lib.sh
pty="python3 tests/integration/vault_pty.py"
MAX=1024
long=$(head -c $MAX /dev/zero | tr '\0' 'p')     # exactly the limit
over=${long}q                                    # one byte more
printf '%s\n' "$long" >"$tmp/long"
printf '%s\r\n' "$long" >"$tmp/long-crlf"
printf '%s\n' "$over" >"$tmp/over"
printf '%s\n%s\n' "$FIXTURE_PASS" "$over" >"$tmp/passwd-over"
printf '%s\n%s\n' "$FIXTURE_PASS" "$long" >"$tmp/passwd-long"
printf '%s\n' "$FIXTURE_PASS" >"$tmp/fixture-pass"
printf '%s\n' "$over" >"$tmp/secret-over"
msg="passphrase longer than $MAX bytes"
# Unlocks use the floor fixture, sealed under exactly $MAX bytes ('p' repeated).
A=$(fixture_at "$tmp/a" "$FLOOR_FIXTURE")

# --passphrase-fd, and the new passphrase of init.
run "init with a passphrase of exactly $MAX bytes" 0 \
    "$bin" vault init --vault "$tmp/i/vault" --passphrase-fd 3 3<"$tmp/long"
run "init with one byte more refused" 1 \
    "$bin" vault init --vault "$tmp/b/vault" --passphrase-fd 3 3<"$tmp/over"
has "init says why" "$msg"
has "init says it was not truncated" "not truncated"
[ ! -e "$tmp/b/vault" ] && ok "no vault made" || bad "a vault was made"
run "unlock with $MAX bytes" 0 "$bin" vault list --vault "$A" --passphrase-fd 3 3<"$tmp/long"
run "unlock with $MAX bytes and CRLF" 0 "$bin" vault list --vault "$A" --passphrase-fd 3 3<"$tmp/long-crlf"
run "unlock with one byte more refused" 1 "$bin" vault list --vault "$A" --passphrase-fd 3 3<"$tmp/over"
has "unlock says why" "$msg"
hasnt "not as a wrong passphrase" "wrong passphrase"

# The new passphrase of passwd (on the fixture: its unlock is cheap).
V=$(fixture_at "$tmp/pw")
run "passwd to one byte more refused" 1 "$bin" vault passwd --vault "$V" --passphrase-fd 3 3<"$tmp/passwd-over"
has "passwd says why" "$msg"
cmp -s "$V" "$FIXTURE" && ok "the vault is unchanged" || bad "the vault changed"
run "passwd to exactly $MAX bytes" 0 "$bin" vault passwd --vault "$V" --passphrase-fd 3 3<"$tmp/passwd-long"
run "which then unlocks" 0 "$bin" vault list --vault "$V" --passphrase-fd 3 3<"$tmp/long"

# An AccessKey secret read the same way is refused under its own name.
V=$(fixture_at "$tmp/sec")
run "a secret over the limit refused" 1 "$bin" vault add s --access-key-id LTAIs --vault "$V" \
    --passphrase-fd 3 --secret-fd 4 3<"$tmp/fixture-pass" 4<"$tmp/secret-over"
has "named as the secret" "AccessKey secret longer than $MAX bytes"

# The terminal.
run "terminal: $MAX bytes unlock" 0 $pty "$long" "$bin" vault list --vault "$A"
has "terminal: the profiles listed" "LTAIfixtureFLOOR"
run "terminal: one byte more refused" 1 $pty "$over" "$bin" vault list --vault "$A"
has "terminal: says why" "$msg"
# What was typed after the limit must not stay in the terminal's input: the shell that
# started iotdeck would read it as a command line (and keep it in its history).
run "terminal: the rest of the line" 0 $pty "${long}echo LEAKED" sh -c \
    '"$0" vault list --vault "$1"; echo TYPE-MORE; IFS= read -r rest; echo "LEFT[$rest]"' "$bin" "$A"
has "terminal: is not left for the shell" 'LEFT\[\]'
run "terminal: new passphrase over the limit" 1 $pty "$over" "$bin" vault init --vault "$tmp/c/vault"
has "terminal: init says why" "$msg"

done_tests
