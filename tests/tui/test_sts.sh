#!/bin/sh
# STS in the console: a RAM-role profile (its AssumeRole answered by iotdeck-sim, whose
# credentials live 20 s) shows the credential's time left in the status bar, in the
# warning colour (under 5 min); the console renews it as it sends and keeps working past
# several lifetimes; :profile switches to a static sts profile ("STS 59m") without a
# restart; an sts profile whose token has expired is refused by :profile with the reason,
# and the console stays where it was.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
ROLE=acs:ram::1234567890123456:role/iot-ops
start_sim --seed 1 --products 2 --devices 20 --role "$ROLE" --sts-max-duration 20 \
    --sts-token "STS.tuiStatic1:static-secret-1:static-token-1:3600"
mkdir -p "$TUI_HOME/iotdeck" && chmod 700 "$TUI_HOME/iotdeck"
vault="$TUI_HOME/iotdeck/vault"
pass="correct horse battery"
printf '%s\n' "$pass" | "$BUILD/iotdeck" vault init --vault "$vault" --passphrase-fd 0 >/dev/null \
    || fail "vault init"
printf '%s\n%s\n' "$pass" "$DEMO_KEY_SECRET" | "$BUILD/iotdeck" vault add base --vault "$vault" \
    --passphrase-fd 0 --secret-fd 0 --access-key-id "$DEMO_KEY_ID" --endpoint "$SIM_URL" \
    --region cn-shanghai >/dev/null || fail "vault add base"
printf '%s\n' "$pass" | "$BUILD/iotdeck" vault add ops --vault "$vault" --passphrase-fd 0 \
    --role-arn "$ROLE" --source-profile base --sts-endpoint "$SIM_URL" --endpoint "$SIM_URL" \
    --region cn-shanghai >/dev/null || fail "vault add ops"
printf '%s\n%s\n%s\n' "$pass" static-secret-1 static-token-1 | "$BUILD/iotdeck" vault add st \
    --vault "$vault" --passphrase-fd 0 --secret-fd 0 --token-fd 0 --sts \
    --access-key-id STS.tuiStatic1 --expires 1h --endpoint "$SIM_URL" --region cn-shanghai \
    >/dev/null || fail "vault add st"
exp=$(date -u -d "@$(( $(date +%s) + 2 ))" +%Y-%m-%dT%H:%M:%SZ)
printf '%s\n%s\n%s\n' "$pass" static-secret-1 static-token-1 | "$BUILD/iotdeck" vault add gone \
    --vault "$vault" --passphrase-fd 0 --secret-fd 0 --token-fd 0 --sts \
    --access-key-id STS.tuiStatic1 --expires "$exp" --endpoint "$SIM_URL" --region cn-shanghai \
    >/dev/null || fail "vault add gone"

tui_run 140 30 "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME=$TUI_HOME $BUILD/iotdeck --profile ops; echo IOTDECK-EXIT=\$?; sleep 60"
tui_wait "unlock │ profile ops │ passphrase:" 10
tui_keys -l "$pass"
tui_keys Enter
tui_wait "2 loaded" 10
# The time left of the role's credential, after the profile's name.
tui_screen | grep -Eq " ops │ STS 1?[0-9]s │ cn-shanghai" || { tui_screen >&2; fail "no STS time left in the status bar"; }
echo "status bar: $(tui_screen | grep ' ops │ STS' | tail -1)"
tui_tmux capture-pane -t t -p -e > "$TUI_HOME/screen.esc"
python3 - "$TUI_HOME/screen.esc" <<'PY' || fail "the STS time left is not in the warning colour"
import re, sys
line = [l for l in open(sys.argv[1], encoding="utf-8") if "STS " in l][-1]
# The SGR in force where "STS" starts differs from the one of the profile's name.
parts = re.split(r"(\x1b\[[0-9;]*m)", line)
sgr, at_ops, at_sts = "", None, None
for p in parts:
    if p.startswith("\x1b["):
        sgr = p if p != "\x1b[0m" else ""
        continue
    if at_ops is None and " ops " in p:
        at_ops = sgr
    if at_sts is None and p.startswith("STS"):
        at_sts = sgr
print("profile SGR %r, STS SGR %r" % (at_ops, at_sts))
sys.exit(0 if at_sts is not None and at_sts != at_ops else 1)
PY
# Past two lifetimes of 20 s, the console still works: each refresh renewed what was due.
sleep 25
tui_keys r
sleep 1
tui_keys r
tui_wait "2 loaded" 10
tui_screen | grep -Eq " ops │ STS 1?[0-9]s │" || { tui_screen >&2; fail "not renewed"; }
echo "status bar 27 s later: $(tui_screen | grep ' ops │ STS' | tail -1)"
tui_screen | grep -q "EXPIRED\|InvalidSecurityToken" && { tui_screen >&2; fail "an expired credential was used"; }
# :profile to a static sts profile, without a restart.
tui_keys : "profile st" Enter
tui_wait "Switching to the vault profile st" 5
tui_keys -l "$pass"
tui_keys Enter
tui_wait " st │ STS 59m │ cn-shanghai" 10
tui_wait "2 loaded" 10
# :profile to one whose token has expired: refused, the console stays on st.
tui_keys : "profile gone" Enter
tui_wait "Switching to the vault profile gone" 5
tui_keys -l "$pass"
tui_keys Enter
tui_wait ":profile gone not used: the STS token of profile gone expired at" 10
echo "error line: $(tui_screen | grep -o ':profile gone not used.*' | tail -1)"
tui_screen | grep -q " st │ STS 59m │" || fail "the console left the profile st"
tui_keys C-c
tui_wait "IOTDECK-EXIT=0" 10
pass
