#!/bin/sh
# Changing where the console sends requests: a product reopened with its own key (the
# last product was once freed and then copied), a vault profile whose endpoint is
# rejected (at the first unlock and by :profile), :region with an explicit endpoint and
# with a bad region id. Nothing crashes and the console stays where it was.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 3 --devices 60

# 1. Enter on a product, then groups (3), then devices (2): the devices of that product,
#    titled with its name (ASan: heap-use-after-free before the fix).
tui_start 120 30
tui_wait "3 loaded" 10
tui_keys G Enter
tui_wait "Products › 温湿度传感器" 10
tui_keys 3
tui_wait "Groups" 10
tui_keys 2
tui_wait "Products › 温湿度传感器" 10
tui_wait "devices: 20 loaded" 10
tui_screen | grep -q "NotExistedProduct" && fail "the devices pane asked for a product that does not exist"
tui_keys : "devices" Enter
tui_wait "devices: 20 loaded" 10
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
tui_stop

# 2. Vault profiles: bad (a non-loopback http:// endpoint, refused when used; vault add
#    refuses to store one today, so it comes from a fixture made before that check) and
#    sim (good).
mkdir -p "$TUI_HOME/iotdeck" && chmod 700 "$TUI_HOME/iotdeck"
vault="$TUI_HOME/iotdeck/vault"
pass="correct horse battery"
cp tests/fixtures/vault/bad-endpoint.vault "$vault" && chmod 600 "$vault"
printf '%s\n%s\n' "$pass" "$DEMO_KEY_SECRET" | "$BUILD/iotdeck" vault add sim --vault "$vault" \
    --passphrase-fd 0 --secret-fd 0 --access-key-id "$DEMO_KEY_ID" --endpoint "$SIM_URL" \
    --region cn-shanghai >/dev/null || fail "vault add sim"
console() { # PROFILE
    tui_run 120 30 "env -u ALIBABA_CLOUD_ACCESS_KEY_ID -u ALIBABA_CLOUD_ACCESS_KEY_SECRET -u IOTDECK_ENDPOINT TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 ${TUI_ENV:-} XDG_CONFIG_HOME=$TUI_HOME $BUILD/iotdeck --profile $1; echo IOTDECK-EXIT=\$?; sleep 60"
}

# The first unlock of a profile whose endpoint is rejected fails with the reason.
console bad
tui_wait "Unlock the vault" 10
tui_keys -l "$pass"
tui_keys Enter
tui_wait "the profile bad cannot be used" 10
tui_wait "allowed only for loopback" 5
tui_screen | grep -q "No URL set" && fail "the console went on without an endpoint"
tui_keys C-c
tui_wait "IOTDECK-EXIT=0" 10
tui_stop

# :profile bad from a working session: refused, the session stays on sim.
console sim
tui_wait "Unlock the vault" 10
tui_keys -l "$pass"
tui_keys Enter
tui_wait "3 loaded" 10
tui_keys : "profile bad" Enter
tui_wait "Switching to the vault profile bad" 5
tui_keys -l "$pass"
tui_keys Enter
tui_wait ":profile bad not used" 10
tui_screen | grep -q "sim │ cn-shanghai" || { tui_screen >&2; fail "the status bar no longer shows the sim profile"; }
tui_keys r
tui_wait "3 loaded" 10

# :region with a bad id: refused, nothing changes.
tui_keys : "region CN_Bad!" Enter
tui_wait "is not a region id" 5
tui_screen | grep -q "sim │ cn-shanghai" || fail "a refused :region changed the region"

# :region cn-beijing: the profile's explicit endpoint stays (the simulator still answers).
tui_keys : "region cn-beijing" Enter
tui_wait "region cn-beijing (http://127.0.0.1:$SIM_PORT/)" 5
tui_wait "3 loaded" 10
tui_screen | grep -q "sim │ cn-beijing" || fail "the status bar does not show the new region"
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
