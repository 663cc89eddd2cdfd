#!/bin/sh
# sim_codes.sh — every error code iotdeck-sim can answer is documented: an iot.* code in the
# guide's tables (section 4.6 of the 2022-07-13 cloud development guide; the line is given
# for each), a gateway code in shared/api/gateway.md (or its Missing{Param} /
# Invalid{Param} patterns), an OSS code of OSS's PostObject documentation for the /oss
# stand-in; or it is one of the deliberate guesses that src/sim/README.md lists. A new
# code in src/sim that is in none of these lists fails this test: document it or drop it.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
python3 - "$root" <<'PY'
import glob, re, sys
root = sys.argv[1]
# iot.* codes and the line of guide 4.6 that documents each.
documented = {
 "iot.common.InvalidFormattedParameter": 3312, "iot.common.InvalidPageParams": 3301,
 "iot.common.UpdateThingModelOverLimit": 3316,
 "iot.device.AlreadyExistedDeviceName": 3364, "iot.device.DeviceApplyIsNotFound": 3368,
 "iot.device.IncorrentDeviceApplyInfo": 3376, "iot.device.InvalidDeviceNickNameExisted": 3380,
 "iot.device.InvalidFormattedDeviceName": 3377,
 "iot.device.InvalidFormattedDevicePropertiesString": 3382,
 "iot.device.InvalidFormattedDevicePropertyKey": 3381, "iot.device.InvalidTimeBucket": 3384,
 "iot.device.InvokeThingServiceFailed": 3385, "iot.device.LongDevicePropertiesString": 3386,
 "iot.device.NoneDeviceNameElement": 3387, "iot.device.NoneDeviceProperties": 3388,
 "iot.device.NotExistedDevice": 3389, "iot.device.NullApplyId": 3390,
 "iot.device.NullDeviceName": 3391, "iot.device.NullDevicePropertiesString": 3393,
 "iot.device.SetDevicePropertyFailed": 3407,
 "iot.device.TooManyDeviceNamesPerRequest": 3411, "iot.device.TooManyDevicePropertiesPerTime": 3408,
 "iot.device.FuzzyRuntimeSearchMinLengthLimit": 3425,
 "iot.devicesearch.InvalidSQLException": 3413, "iot.devicesearch.InvalidSQLFieldError": 3415,
 "iot.devicesearch.InvalidSQLConditionError": 3416,
 "iot.devicesearch.InvalidSQLOperatorTypeError": 3418, "iot.devicesearch.InvalidSQLParamError": 3419,
 "iot.firmware.AlreadyExistedFirmwareName": 3810, "iot.firmware.CancelOptionsMandatory": 3817,
 "iot.firmware.FireTimeTooLate": 3828, "iot.firmware.FireTimeTooShort": 3829,
 "iot.firmware.FirmwareAndProductKeyMismatch": 3832, "iot.firmware.FirmwareCountExceedMax": 3833,
 "iot.firmware.InProgressDynamicJobExisted": 3839, "iot.firmware.InProgressVerifyJobExisted": 3840,
 "iot.firmware.IncorrectFormattedFirmwareVersion": 3843,
 "iot.firmware.IncorrectFormattedSrcVersion": 3845, "iot.firmware.InvalidFirmwareSignMethod": 3850,
 "iot.firmware.InvalidGenerateOTAUploadURLParam": 3854, "iot.firmware.InvalidGrayPercent": 3855,
 "iot.firmware.InvalidTargetSelection": 3866, "iot.firmware.InvalidTaskStatus": 3916,
 "iot.firmware.JobTagTooMany": 3922, "iot.firmware.JobTagValueInvalid": 3919,
 "iot.firmware.ModuleNameReserved": 3879, "iot.firmware.NoDeviceCanUpgrade": 3881,
 "iot.firmware.NotDynamicJob": 3883, "iot.firmware.NullGrayPercent": 3888,
 "iot.firmware.NullSrcVersions": 3893, "iot.firmware.SrcDestVersionMatched": 3903,
 "iot.firmware.SrcVersionsMandatory": 3904, "iot.firmware.VerifyFirmwareNoNeed": 3955,
 "iot.firmware.BadlyFormattedGrayPercent": 3812, "iot.firmware.EmptyFirmwareFile": 3826,
 "iot.firmware.FirmwareDescriptionExceedMaxLength": 3834,
 "iot.firmware.InvalidFirmwareSign": 3849, "iot.firmware.InvalidFirmwareSize": 3851,
 "iot.firmware.InvalidRetryCount": 3863, "iot.firmware.InvalidRetryInterval": 3864,
 "iot.firmware.InvalidTimeoutSetting": 3868,
 "iot.firmware.ScheduleFinishTimeEarlierThanStartTime": 3899,
 "iot.firmware.ScheduleFinishTimeTooEarly": 3900, "iot.firmware.ScheduleFinishTimeTooLate": 3901,
 "iot.firmware.ScheduleFinishTimeWithoutStartTime": 3902,
 "iot.firmware.SrcVersionsNotAllowed": 3906, "iot.firmware.SrcVersionsSizeExceedMax": 3907,
 "iot.firmware.TargetDeviceNamesNotAllowed": 3910,
 "iot.common.FileNotExist": 3315, "iot.common.IllegalFileFormat": 3314,
 "iot.group.GroupCountExceedMax": 3528, "iot.group.GroupLevelExceedingLimitError": 3533,
 "iot.group.GroupNameExisted": 3515, "iot.group.InvalidFormattedTagString": 3526,
 "iot.group.InvalidGroupName": 3514, "iot.group.LongGroupDescError": 3531,
 "iot.group.NotExistedGroup": 3517, "iot.group.NullGroupId": 3511,
 "iot.group.SubGroupNotNull": 3513, "iot.group.TagCountExceedMax": 3527,
 "iot.group.SuperGroupUnsupport": 3534,
 "iot.messagebroker.DesireInfoInShadowMessageIsNotJson": 3552,
 "iot.messagebroker.ElementKeyOrValueIsNullInDesire": 3554,
 "iot.messagebroker.InvalidVersionValueInShadowMessage": 3562,
 "iot.messagebroker.MethodValueIsNotUpdate": 3563, "iot.messagebroker.NoneElementInDesire": 3565,
 "iot.messagebroker.NotFoundDesireInShadowMessage": 3568,
 "iot.messagebroker.NotFoundMethodInShadowMessage": 3569,
 "iot.messagebroker.NotFoundStateInShadowMessage": 3571,
 "iot.messagebroker.NotFoundVersionOrNullVersionValue": 3572, "iot.messagebroker.OFFLINE": 3582,
 "iot.messagebroker.HALFCONN": 3556, "iot.messagebroker.TIMEOUT": 3597,
 "iot.messagebroker.ShadowMessageIsNotJson": 3595, "iot.messagebroker.ShadowMessageLengthIsLarge": 3596,
 "iot.ota.ConfirmNotAllowedNow": 3944, "iot.ota.NotFirmwareOwner": 3972,
 "iot.ota.CreateOTAModuleExceedLimit": 3931, "iot.ota.CreateOTAModuleNameExist": 3932,
 "iot.ota.DeleteOTAModulePackageExist": 3937, "iot.ota.DeleteOtaDefaultModule": 3938,
 "iot.ota.DeviceNotExist": 3970, "iot.ota.DownloadProtocolInvalid": 3956,
 "iot.ota.EmptyDeviceInfoParams": 3945, "iot.ota.FirmwareNotVerified": 3971,
 "iot.ota.GroupNotExist": 3947, "iot.ota.InvalidFirmwareUid": 3966, "iot.ota.InvalidJobId": 3965,
 "iot.ota.InvalidOtaModuleName": 3946, "iot.ota.InvalidTaskExist": 3962,
 "iot.ota.InvalidTaskId": 3967, "iot.ota.JobCanceled": 3964, "iot.ota.OTAModuleNotExist": 3941,
 "iot.ota.TaskIdsIsNull": 3943, "iot.ota.TooManyOtaTask": 3942, "iot.ota.UnmatchedJob": 3963,
 "iot.ota.UpgradeDeviceCountExceedLimit": 3952, "iot.ota.tag.KeyDuplicated": 3928,
 "iot.prod.AlreadyExistedProductName": 3323, "iot.prod.InvalidAliyunCommodityCode": 3328,
 "iot.prod.InvalidFormattedCatId": 3329, "iot.prod.InvalidFormattedProductName": 3331,
 "iot.prod.InvalidNodeType": 3333, "iot.prod.LongProductDesc": 3332,
 "iot.prod.NotExistedProduct": 3334, "iot.prod.NotSeniorProduct": 3336,
 "iot.prod.NullProductKey": 3337, "iot.prod.ProductDataFormatIsNull": 3355,
 "iot.prod.QueryProductAbilitiesFailed": 3341, "iot.prod.ThingModelNameDuplicated": 3353,
}
# Deliberate guesses, each listed with its reason in src/sim/README.md.
guesses = {"iot.prod.ProductReleased"}
# Gateway codes of shared/api/gateway.md, and UnsupportedOperation of guide 4.4's example.
gateway = {"SignatureDoesNotMatch", "IncompleteSignature", "InvalidAccessKeyId.NotFound",
           "InvalidTimeStamp.Expired", "InvalidTimeStamp.Format", "SignatureNonceUsed",
           "InvalidParameter", "InvalidApi.NotFound", "Throttling", "InternalError",
           "ServiceUnavailable", "UnsupportedOperation"}
# STS's codes beyond those patterns (AssumeRole, src/sim/sts.c; the STS error documentation
# and shared issue 14; src/sim/README.md's STS section lists them).
sts = {"EntityNotExist.Role", "NoPermission"}
# OSS's own codes, answered by the /oss PostObject stand-in only.
oss = {"AccessDenied", "EntityTooLarge", "InvalidArgument", "InvalidAccessKeyId",
       "InvalidPolicyDocument", "MalformedPOSTRequest", "SignatureDoesNotMatch"}
bad = []
readme = open(root + "/src/sim/README.md").read()
for g in guesses:
    if g not in readme:
        bad.append("guess %s is not listed in src/sim/README.md" % g)
call = re.compile(r'(sim_fail|sim_gw_fail|sim_error_set|sim_oss_error|sim_gateway_error|'
                  r'send_gateway_error)\s*\(')
for f in sorted(glob.glob(root + "/src/sim/*.c")):
    s = open(f).read()
    name = f.split("/")[-1]
    for m in re.finditer(r'"(iot\.[A-Za-z0-9_.]+)"', s):
        c = m.group(1)
        if c not in documented and c not in guesses:
            bad.append("%s:%d: %s is not documented" % (name, s[:m.start()].count("\n") + 1, c))
    for m in call.finditer(s):
        depth, i = 1, m.end()
        while depth and i < len(s):
            depth += {"(": 1, ")": -1}.get(s[i], 0)
            i += 1
        args = s[m.end():i - 1]
        for c in re.findall(r'"([A-Z][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*)"', args[:args.find('",') + 2 if '",' in args else len(args)]):
            line = s[:m.start()].count("\n") + 1
            if m.group(1) == "sim_oss_error":
                ok = c in oss
            else:
                ok = c in gateway or c in sts or re.match(r"(Missing|Invalid)[A-Z]", c) is not None
            if not ok:
                bad.append("%s:%d: %s is not a documented gateway%s code" %
                           (name, line, c, " (OSS)" if m.group(1) == "sim_oss_error" else ""))
if bad:
    print("sim_codes: " + "\nsim_codes: ".join(bad), file=sys.stderr)
    sys.exit(1)
PY
