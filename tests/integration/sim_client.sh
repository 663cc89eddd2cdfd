#!/bin/sh
# sim_client.sh — iotdeck's own client (iotdeck call) against iotdeck-sim across the
# domains: products, devices, groups, thing models, thing-model use, shadow, OTA; and
# the refusals a client must show (wrong secret, business errors).
set -u
BUILD=${BUILD:-build}
SIM_TMP=$(mktemp -d)
trap 'sim_stop; rm -rf "$SIM_TMP"' EXIT INT TERM
. "$(dirname "$0")/sim_lib.sh"
die() { echo "sim_client: $*" >&2; cat "$SIM_TMP/log" >&2; exit 1; }

[ -x "$BUILD/iotdeck" ] || { echo "sim_client: $BUILD/iotdeck not built, skipped"; exit 0; }
export HOME="$SIM_TMP"
unset ALIBABA_CLOUD_SECURITY_TOKEN
export ALIBABA_CLOUD_ACCESS_KEY_ID=iotdeck-demo-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=iotdeck-demo-secret
sim_start --products 6 --devices 600 --seed 4 --time-scale 30 --flap-minutes 0 --ota-fail-rate 0 || exit 1
iot() { "$BUILD/iotdeck" --endpoint "http://127.0.0.1:$SIM_PORT/" call "$@"; }
ok() { # ok NAME JSON PATH EXPECTED
    v=$(json_get "$2" "$3" 2>/dev/null) || die "$1: no $3 in: $(printf '%s' "$2" | head -c 400)"
    [ "$v" = "$4" ] || die "$1: $3 is $v, not $4"
}

out=$(iot QueryProductList CurrentPage=1 PageSize=10) || die "QueryProductList failed"
ok QueryProductList "$out" Data.Total 6
pk=$(json_get "$out" Data.List.ProductInfo.0.ProductKey)
out=$(iot QueryDevice ProductKey="$pk" PageSize=50 CurrentPage=1) || die "QueryDevice failed"
ok QueryDevice "$out" Total 100
[ "$(json_get "$out" Data.DeviceInfo.49.DeviceName)" != "" ] || die "QueryDevice: 50 rows expected"
out=$(iot RegisterDevice ProductKey="$pk" DeviceName=client_dev_1 Nickname=客户端设备) || die "RegisterDevice"
iotid=$(json_get "$out" Data.IotId)
out=$(iot QueryDeviceDetail IotId="$iotid") || die "QueryDeviceDetail"
ok QueryDeviceDetail "$out" Data.Status UNACTIVE
out=$(iot BatchUpdateDeviceNickname DeviceNicknameInfo.1.IotId="$iotid" DeviceNicknameInfo.1.Nickname=改名_1) || die "nickname"
out=$(iot QueryDeviceInfo IotId="$iotid") || die "QueryDeviceInfo"
ok nickname "$out" Data.Nickname 改名_1
out=$(iot CreateDeviceGroup GroupName=client_group) || die "CreateDeviceGroup"
gid=$(json_get "$out" Data.GroupId)
out=$(iot BatchAddDeviceGroupRelations GroupId="$gid" Device.1.ProductKey="$pk" Device.1.DeviceName=client_dev_1) || die "relations"
ok relations "$out" SuccessAddedDeviceCount 1
out=$(iot GetThingModelTsl ProductKey="$pk") || die "GetThingModelTsl"
out=$(iot QueryDeviceByStatus ProductKey="$pk" Status=1 CurrentPage=1 PageSize=1) || die "QueryDeviceByStatus"
online=$(json_get "$out" Data.SimpleDeviceInfo.0.IotId)
online_name=$(json_get "$out" Data.SimpleDeviceInfo.0.DeviceName)
out=$(iot QueryDevicePropertyStatus IotId="$online") || die "QueryDevicePropertyStatus"
[ -n "$(json_get "$out" Data.List.PropertyStatusInfo.0.Value)" ] || die "no property values"
out=$(iot GetDeviceShadow ProductKey="$pk" DeviceName="$online_name") || die "GetDeviceShadow"
out=$(iot ListOTAFirmware CurrentPage=1 PageSize=10) || die "ListOTAFirmware"
[ "$(json_get "$out" Total)" -ge 3 ] || die "seeded firmware missing: $out"
fid=$(json_get "$out" FirmwareInfo.SimpleFirmwareInfo.0.FirmwareId)
out=$(iot ListOTAJobByFirmware FirmwareId="$fid" CurrentPage=1 PageSize=10) || die "ListOTAJobByFirmware"
jid=$(json_get "$out" Data.SimpleOTAJobInfo.0.JobId)
out=$(iot ListOTATaskByJob JobId="$jid" CurrentPage=1 PageSize=5) || die "ListOTATaskByJob"
[ -n "$(json_get "$out" Data.SimpleOTATaskInfo.0.TaskStatus)" ] || die "no task status"

# Business errors exit non-zero and name the code; a wrong secret is the gateway's.
if iot QueryDevice ProductKey=a1NoSuchPk0 2>"$SIM_TMP/err"; then die "unknown product succeeded"; fi
grep -q 'iot.prod.NotExistedProduct' "$SIM_TMP/err" || die "error text: $(cat "$SIM_TMP/err")"
if ALIBABA_CLOUD_ACCESS_KEY_SECRET=wrong iot QueryProductList CurrentPage=1 PageSize=1 2>"$SIM_TMP/err"; then
    die "wrong secret succeeded"
fi
grep -q 'SignatureDoesNotMatch' "$SIM_TMP/err" || die "error text: $(cat "$SIM_TMP/err")"
grep -q 'iotdeck-demo-secret' "$SIM_TMP/err" "$SIM_TMP/log" && die "the secret leaked into a message"
sim_stop || die "exit status"
exit 0
