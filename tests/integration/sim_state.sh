#!/bin/sh
# sim_state.sh — --state FILE: the world is saved on SIGTERM and loaded on the next start
# (instead of seeding); the form-body POST path of the gateway is exercised on the way.
set -u
BUILD=${BUILD:-build}
SIM_TMP=$(mktemp -d)
trap 'sim_stop; rm -rf "$SIM_TMP"' EXIT INT TERM
. "$(dirname "$0")/sim_lib.sh"
die() { echo "sim_state: $*" >&2; cat "$SIM_TMP/log" >&2; exit 1; }

state="$SIM_TMP/world.jsonl"
sim_start --state "$state" --products 2 --devices 40 --seed 5 || exit 1
out=$(sim_call QueryProductList CurrentPage=1 PageSize=10)
pk=$(json_get "$out" Data.List.ProductInfo.0.ProductKey) || die "QueryProductList: $out"
out=$(sim_call RegisterDevice ProductKey="$pk" DeviceName=persisted_1 Nickname=保存的设备)
[ "$(json_get "$out" Success)" = true ] || die "RegisterDevice: $out"
iotid=$(json_get "$out" Data.IotId)
out=$(sim_call CreateDeviceGroup GroupName=saved_group)
[ "$(json_get "$out" Success)" = true ] || die "CreateDeviceGroup: $out"
gid=$(json_get "$out" Data.GroupId)
out=$(sim_call BatchAddDeviceGroupRelations GroupId="$gid" Device.1.ProductKey="$pk" Device.1.DeviceName=persisted_1)
[ "$(json_get "$out" SuccessAddedDeviceCount)" = 1 ] || die "BatchAddDeviceGroupRelations: $out"
sim_stop || die "exit status after SIGTERM"
[ -s "$state" ] || die "no state file"
grep -q "saved $state" "$SIM_TMP/log" || die "no 'saved' message"
ls -a "$SIM_TMP" | grep -q 'tmp\.' && die "a temporary state file was left behind"

# Different seeding options: the state wins.
sim_start --state "$state" --products 5 --devices 3 || exit 1
grep -q "loaded $state" "$SIM_TMP/log" || die "no 'loaded' message"
out=$(sim_call QueryProductList CurrentPage=1 PageSize=10)
[ "$(json_get "$out" Data.Total)" = 2 ] || die "products after reload: $out"
out=$(sim_call QueryDeviceDetail IotId="$iotid")
[ "$(json_get "$out" Data.Nickname)" = 保存的设备 ] || die "device after reload: $out"
out=$(sim_call QueryDeviceGroupByDevice ProductKey="$pk" DeviceName=persisted_1)
[ "$(json_get "$out" GroupInfos.GroupInfo.0.GroupId)" = "$gid" ] || die "group after reload: $out"
out=$(sim_call QueryDevice ProductKey="$pk" PageSize=50)
[ "$(json_get "$out" Total)" = 21 ] || die "device count after reload: $out"
# A link planted at the temporary name older versions wrote through (FILE.tmp.PID) is
# not followed; the state holds device secrets and is 0600.
printf 'precious\n' > "$SIM_TMP/victim"
planted="$state.tmp.$SIM_PID"
ln -s "$SIM_TMP/victim" "$planted"
sim_stop || die "exit status after the second SIGTERM"
[ "$(cat "$SIM_TMP/victim")" = precious ] || die "the state was written through a planted link"
[ -L "$planted" ] || die "the planted link was replaced"
[ "$(stat -c %a "$state")" = 600 ] || die "state file mode $(stat -c %a "$state")"
rm -f "$planted"

# A link at the state file itself is refused, on load and on save, never followed.
cp "$state" "$SIM_TMP/real.jsonl"
rm -f "$state"
ln -s "$SIM_TMP/victim" "$state"
if "$BUILD/iotdeck-sim" --listen 127.0.0.1:0 --state "$state" 2>"$SIM_TMP/err"; then
    die "a state file that is a symbolic link was loaded"
fi
grep -q 'symbolic link' "$SIM_TMP/err" || die "load through a link: $(cat "$SIM_TMP/err")"
rm -f "$state"
sim_start --state "$state" --products 1 --devices 3 || exit 1
ln -s "$SIM_TMP/victim" "$state"
sim_stop && die "saving through a link did not fail"
grep -q 'saving the state: .*symbolic link' "$SIM_TMP/log" || die "no message about the link"
[ "$(cat "$SIM_TMP/victim")" = precious ] || die "the state was written through the link at FILE"
[ -L "$state" ] || die "the link at FILE was replaced"
ls -a "$SIM_TMP" | grep -q 'tmp\.' && die "a temporary state file was left behind"
exit 0
