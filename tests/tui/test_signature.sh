#!/bin/sh
# The console signs with v3 when told (--signature v3): the fleet loads and a product's
# devices list; with a secret the simulator does not have, its refusal is the v3 one
# (StringToSign ACS3-HMAC-SHA256), which shows the console really signed with v3. A bad value never
# opens the console.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 3 --devices 60

tui_start 120 40 --signature v3
tui_wait "3 loaded" 10
tui_keys Enter
tui_wait "devices: 20 loaded" 10
tui_keys q q
tui_wait "IOTDECK-EXIT=0" 10
tui_stop

# A secret the simulator does not have: every request refused, the v3 way.
tui_run 200 40 "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=not-the-secret \
    IOTDECK_ENDPOINT=$SIM_URL XDG_CONFIG_HOME=$TUI_HOME $BUILD/iotdeck --signature v3; \
    echo IOTDECK-EXIT=\$?; sleep 60"
tui_wait "SignatureDoesNotMatch" 10
tui_keys e
tui_wait "StringToSign is [ACS3-HMAC-SHA256" 5
tui_stop

# A vault profile that names v3 signs v3 in the console (no option needed), and
# --signature v3 beats a profile that names none: both with a secret the simulator does
# not have, so the refusal shows which signature was used.
mkdir -p "$TUI_HOME/iotdeck" && chmod 700 "$TUI_HOME/iotdeck"
vault="$TUI_HOME/iotdeck/vault"
pass="correct horse battery"
printf '%s\n' "$pass" | "$BUILD/iotdeck" vault init --vault "$vault" --passphrase-fd 0 >/dev/null \
    || fail "vault init"
add_profile() {	# NAME [OPTION...]: a profile with a secret the simulator does not have
    name=$1
    shift
    printf '%s\n%s\n' "$pass" not-the-secret | "$BUILD/iotdeck" vault add "$name" \
        --vault "$vault" --passphrase-fd 0 --secret-fd 0 --access-key-id "$DEMO_KEY_ID" \
        --endpoint "$SIM_URL" --region cn-shanghai "$@" >/dev/null || fail "vault add $name"
}
add_profile v3prof --signature v3
add_profile plain
for run in "--profile v3prof" "--profile plain --signature v3"; do
    tui_run 200 40 "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 \
        XDG_CONFIG_HOME=$TUI_HOME $BUILD/iotdeck $run; echo IOTDECK-EXIT=\$?; sleep 60"
    tui_wait "passphrase:" 10
    tui_keys -l "$pass"
    tui_keys Enter
    tui_wait "SignatureDoesNotMatch" 10
    tui_keys e
    tui_wait "StringToSign is [ACS3-HMAC-SHA256" 5
    echo "vault profile, iotdeck $run: signed v3"
    tui_stop
done

tui_start 80 24 --signature v4
tui_wait "IOTDECK-EXIT=2" 10
tui_screen | grep -q "iotdeck: --signature 'v4': give v1" || { tui_screen >&2; fail "no reason for --signature v4"; }
pass
