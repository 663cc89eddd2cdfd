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
ls "$SIM_TMP" | grep -q 'tmp\.' && die "a temporary state file was left behind"

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
sim_stop || die "exit status after the second SIGTERM"
exit 0
