#!/bin/sh
# The vault at start and the idle lock: the console asks for the passphrase, runs, locks
# after idle-lock, refuses a wrong passphrase, and unlocks with the right one.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 2 --devices 20
mkdir -p "$TUI_HOME/iotdeck" && chmod 700 "$TUI_HOME/iotdeck"
vault="$TUI_HOME/iotdeck/vault"
pass="correct horse battery"
printf '%s\n' "$pass" | "$BUILD/iotdeck" vault init --vault "$vault" --passphrase-fd 0 >/dev/null \
    || fail "vault init"
printf '%s\n%s\n' "$pass" "$DEMO_KEY_SECRET" | "$BUILD/iotdeck" vault add sim --vault "$vault" \
    --passphrase-fd 0 --secret-fd 0 --access-key-id "$DEMO_KEY_ID" --endpoint "$SIM_URL" \
    --region cn-shanghai >/dev/null || fail "vault add"
printf '%s\n%s\n' "$pass" "$DEMO_KEY_SECRET" | "$BUILD/iotdeck" vault add audit --vault "$vault" \
    --passphrase-fd 0 --secret-fd 0 --access-key-id "$DEMO_KEY_ID" --endpoint "$SIM_URL" \
    --region cn-beijing --readonly >/dev/null || fail "vault add audit"
printf 'set idle-lock 2s\n' > "$TUI_HOME/iotdeck/config"

tui_run 120 30 "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$TUI_HOME $BUILD/iotdeck --profile sim; echo IOTDECK-EXIT=\$?; sleep 60"
# The console opens on its own unlock screen.
tui_wait "Unlock the vault" 10
tui_wait "unlock │ profile sim │ passphrase:" 5
tui_keys -l "$pass"
tui_keys Enter
tui_wait "2 loaded" 10
tui_screen | grep -q "sim │" || fail "the status bar does not name the profile"
# Idle: it locks, and the secret is gone from the screen's world.
tui_wait "iotdeck is locked" 10
tui_keys -l "wrong passphrase"
tui_keys Enter
tui_wait "wrong passphrase or damaged file" 10
tui_screen | grep -q "iotdeck is locked" || fail "a wrong passphrase unlocked it"
tui_keys -l "$pass"
tui_keys Enter
tui_wait "2 loaded" 10
# :profile switches to another vault profile after its passphrase; Esc would cancel.
tui_keys : "profile audit" Enter
tui_wait "Switching to the vault profile audit" 5
tui_keys -l "$pass"
tui_keys Enter
tui_wait "audit │ cn-beijing" 10
tui_screen | grep -q "READ-ONLY" || fail "the read-only profile is not marked"
tui_wait "2 loaded" 10
# Ctrl-C leaves at once, locked or not.
tui_keys C-c
tui_wait "IOTDECK-EXIT=0" 10
tui_stop

# No --profile and no credentials in the environment: the vault's default profile.
printf '%s\n' "$pass" | "$BUILD/iotdeck" vault default audit --vault "$vault" --passphrase-fd 0 \
    >/dev/null || fail "vault default"
tui_run 120 30 "env -u ALIBABA_CLOUD_ACCESS_KEY_ID -u ALIBABA_CLOUD_ACCESS_KEY_SECRET TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$TUI_HOME $BUILD/iotdeck; echo IOTDECK-EXIT=\$?; sleep 60"
tui_wait "profile (default) │ passphrase:" 10
tui_keys -l "$pass"
tui_keys Enter
tui_wait "audit │ cn-beijing" 10
tui_wait "2 loaded" 10
tui_keys C-c
tui_wait "IOTDECK-EXIT=0" 10
pass
