#!/bin/sh
# sim_sts.sh — STS on iotdeck-sim: AssumeRole (v1 and v3) with --role and
# --sts-max-duration 3 answers the documented shape; the credential it hands out works on
# an IoT call (QueryProductList) with its SecurityToken, is refused without it or with
# another one, and after 3 s is refused with InvalidSecurityToken.Expired. A preloaded
# --sts-token-file credential works, an already expired one is refused; roles not given
# do not exist; no token or secret reaches the simulator's log.
set -u
BUILD=${BUILD:-build}
SIM_TMP=$(mktemp -d)
trap 'sim_stop; rm -rf "$SIM_TMP"' EXIT INT TERM
. "$(dirname "$0")/sim_lib.sh"
die() { echo "sim_sts: $*" >&2; cat "$SIM_TMP/log" >&2; exit 1; }
expect() {  # expect WHAT JSON CODE: the answer's Code is CODE
    _c=$(json_get "$2" Code 2>/dev/null) || _c=""
    [ "$_c" = "$3" ] || die "$1: expected $3, got: $2"
}

ROLE=acs:ram::1234567890123456:role/iotdeck-test
printf '%s\n' '# preloaded' 'STS.preload1:pre-secret-1:pre-token-1:3600' \
    'STS.preload2:pre-secret-2:pre-token-2:0' >"$SIM_TMP/tokens"
chmod 600 "$SIM_TMP/tokens"
sim_start --products 1 --devices 5 --verbose --role "$ROLE" --sts-max-duration 3 \
    --sts-token-file "$SIM_TMP/tokens" || exit 1

sts() { sim_call AssumeRole Version=2015-04-01 "$@"; }

# v3 ID SECRET TOKEN ACTION VERSION [QUERY]: a v3-signed POST (token header when TOKEN is
# not "-"); prints the JSON answer.
v3() {
    python3 - "$SIM_PORT" "$@" <<'PY'
import hashlib, hmac, sys, time, urllib.request, urllib.error, urllib.parse, uuid
port, akid, secret, token, action, version = sys.argv[1:7]
query = sys.argv[7] if len(sys.argv) > 7 else ""
body = b""
h = {"host": "127.0.0.1:%s" % port, "x-acs-action": action, "x-acs-version": version,
     "x-acs-date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
     "x-acs-signature-nonce": uuid.uuid4().hex, "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
     "content-type": "application/x-www-form-urlencoded"}
if token != "-":
    h["x-acs-security-token"] = token
pairs = sorted(urllib.parse.parse_qsl(query))
enc = lambda s: urllib.parse.quote(s, safe="-_.~")
cq = "&".join(enc(k) + "=" + enc(v) for k, v in pairs)
names = sorted(h)
canon = "\n".join(["POST", "/", cq, "".join("%s:%s\n" % (n, h[n]) for n in names), ";".join(names),
                   h["x-acs-content-sha256"]])
sts = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canon.encode()).hexdigest()
sig = hmac.new(secret.encode(), sts.encode(), hashlib.sha256).hexdigest()
h["Authorization"] = "ACS3-HMAC-SHA256 Credential=%s,SignedHeaders=%s,Signature=%s" % (akid, ";".join(names), sig)
req = urllib.request.Request("http://127.0.0.1:%s/?%s" % (port, cq), data=body, method="POST",
                             headers={k: v for k, v in h.items() if k != "host"})
try:
    print(urllib.request.urlopen(req, timeout=10).read().decode())
except urllib.error.HTTPError as e:
    print(e.read().decode())
PY
}

# Parameter checks.
expect "no RoleArn" "$(sts RoleSessionName=s1)" MissingRoleArn
expect "bad RoleArn" "$(sts RoleArn=acs:ram::12:user/x RoleSessionName=s1)" InvalidParameter.RoleArn
expect "no session" "$(sts RoleArn=$ROLE)" MissingRoleSessionName
expect "bad session" "$(sts RoleArn=$ROLE RoleSessionName=x)" InvalidParameter.RoleSessionName
expect "short duration" "$(sts RoleArn=$ROLE RoleSessionName=s1 DurationSeconds=899)" \
    InvalidParameter.DurationSeconds
expect "unknown role" "$(sts RoleArn=acs:ram::1234567890123456:role/other RoleSessionName=s1)" \
    EntityNotExist.Role

# AssumeRole (v1): the documented shape, Expiration 3 s ahead (--sts-max-duration 3).
before=$(date -u +%s)
out=$(sts RoleArn=$ROLE RoleSessionName=alice DurationSeconds=3600)
python3 - "$out" "$ROLE" "$before" <<'PY' || die "AssumeRole answer: $out"
import calendar, json, re, sys, time
a, role, before = json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3])
assert set(a) == {"RequestId", "AssumedRoleUser", "Credentials"}, a
assert a["AssumedRoleUser"]["Arn"] == role + "/alice", a
assert re.fullmatch(r"3\d{18}:alice", a["AssumedRoleUser"]["AssumedRoleId"]), a
c = a["Credentials"]
assert c["AccessKeyId"].startswith("STS.") and c["AccessKeySecret"] and c["SecurityToken"], c
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", c["Expiration"]), c
exp = calendar.timegm(time.strptime(c["Expiration"], "%Y-%m-%dT%H:%M:%SZ"))
assert before + 2 <= exp <= int(time.time()) + 3, (before, exp)
PY
ID=$(json_get "$out" Credentials.AccessKeyId)
SECRET=$(json_get "$out" Credentials.AccessKeySecret)
TOKEN=$(json_get "$out" Credentials.SecurityToken)

# The credential on an IoT call, v1: with its token it works; without, or with another
# credential's token, it is refused.
iot() { SIM_AK_ID=$ID SIM_AK_SECRET=$SECRET sim_call QueryProductList CurrentPage=1 PageSize=1 "$@"; }
out=$(iot SecurityToken="$TOKEN")
[ "$(json_get "$out" Success)" = true ] || die "IoT call with the STS credential: $out"
expect "no token" "$(iot)" MissingSecurityToken
expect "another token" "$(iot SecurityToken=pre-token-1)" InvalidSecurityToken.MismatchWithAccessKey
expect "garbled token" "$(iot SecurityToken=CAISnonsense)" InvalidSecurityToken.Malformed
# v3, the token in x-acs-security-token (signed).
out=$(v3 "$ID" "$SECRET" "$TOKEN" QueryProductList 2018-01-20 "CurrentPage=1&PageSize=1")
[ "$(json_get "$out" Success)" = true ] || die "v3 IoT call with the STS credential: $out"
expect "v3 no token" "$(v3 "$ID" "$SECRET" - QueryProductList 2018-01-20 "CurrentPage=1&PageSize=1")" \
    MissingSecurityToken
# AssumeRole over v3, signed with the demo key.
out=$(v3 iotdeck-demo-key iotdeck-demo-secret - AssumeRole 2015-04-01 \
    "RoleArn=$ROLE&RoleSessionName=bob")
case "$(json_get "$out" Credentials.AccessKeyId)" in STS.*) ;; *) die "v3 AssumeRole: $out" ;; esac

# Preloaded credentials.
out=$(SIM_AK_ID=STS.preload1 SIM_AK_SECRET=pre-secret-1 sim_call QueryProductList CurrentPage=1 PageSize=1 SecurityToken=pre-token-1)
[ "$(json_get "$out" Success)" = true ] || die "preloaded credential: $out"
expect "preloaded, expired" "$(SIM_AK_ID=STS.preload2 SIM_AK_SECRET=pre-secret-2 \
    sim_call QueryProductList CurrentPage=1 PageSize=1 SecurityToken=pre-token-2)" InvalidSecurityToken.Expired

# After 3 s the issued credential has expired.
sleep 4
expect "expired" "$(iot SecurityToken="$TOKEN")" InvalidSecurityToken.Expired
out=$(iot SecurityToken="$TOKEN")
msg=$(json_get "$out" Message)
[ "$msg" = "Specified SecurityToken is expired." ] || die "expired message: $out"

sim_stop || die "the simulator did not stop cleanly"
for s in "$SECRET" "$TOKEN" pre-secret-1 pre-token-1 pre-token-2; do
    ! grep -qF -- "$s" "$SIM_TMP/log" || die "a secret or token is in the log"
done
grep -q "AssumeRole $ID\|AssumeRole iotdeck-demo-key -> 200 OK" "$SIM_TMP/log" || die "no AssumeRole log line"

# Option errors.
if "$BUILD/iotdeck-sim" --role acs:ram::x:role/y --listen 127.0.0.1:0 2>"$SIM_TMP/err"; then
    die "a bad --role was accepted"
fi
grep -q "expected acs:ram::ACCOUNT:role/NAME" "$SIM_TMP/err" || die "--role message: $(cat "$SIM_TMP/err")"
if "$BUILD/iotdeck-sim" --sts-token STS.a:hush-hush --listen 127.0.0.1:0 2>"$SIM_TMP/err"; then
    die "a bad --sts-token was accepted"
fi
! grep -q hush-hush "$SIM_TMP/err" || die "the --sts-token error shows the secret"
grep -q "expected ID:SECRET:TOKEN:SECONDS" "$SIM_TMP/err" || die "--sts-token message: $(cat "$SIM_TMP/err")"
exit 0
