#!/bin/sh
# sim_v3.sh — a v3 (ACS3-HMAC-SHA256) signature must cover host, every x-acs-* header sent
# and content-type: the attack of issue 9 (SignedHeaders=host, then fresh unsigned
# x-acs-date and nonce and another x-acs-action under the same signature) is refused with
# IncompleteSignature, while a request signing all of them, as the SDKs do, is served.
set -u
BUILD=${BUILD:-build}
SIM_TMP=$(mktemp -d)
trap 'sim_stop; rm -rf "$SIM_TMP"' EXIT INT TERM
. "$(dirname "$0")/sim_lib.sh"
die() { echo "sim_v3: $*" >&2; cat "$SIM_TMP/log" >&2; exit 1; }

sim_start --products 1 --devices 5 || exit 1

# v3 SIGNED ACTION [NONCE]: sends a v3 request signing the headers named in SIGNED
# (';'-separated); prints the HTTP status and the body.
v3() {
    python3 - "$SIM_PORT" "$@" <<'PY'
import hashlib, hmac, sys, time, urllib.request, urllib.error, uuid
port, signed, action = sys.argv[1], sys.argv[2].split(";"), sys.argv[3]
nonce = sys.argv[4] if len(sys.argv) > 4 else uuid.uuid4().hex
body = b""
h = {"host": "127.0.0.1:%s" % port, "x-acs-action": action, "x-acs-version": "2018-01-20",
     "x-acs-date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
     "x-acs-signature-nonce": nonce, "x-acs-content-sha256": hashlib.sha256(body).hexdigest(),
     "content-type": "application/x-www-form-urlencoded"}
query = "CurrentPage=1&PageSize=1"
names = sorted(signed)
canon = "\n".join(["POST", "/", query, "".join("%s:%s\n" % (n, h[n]) for n in names), ";".join(names),
                   h["x-acs-content-sha256"]])
sts = "ACS3-HMAC-SHA256\n" + hashlib.sha256(canon.encode()).hexdigest()
sig = hmac.new(b"iotdeck-demo-secret", sts.encode(), hashlib.sha256).hexdigest()
h["Authorization"] = "ACS3-HMAC-SHA256 Credential=iotdeck-demo-key,SignedHeaders=%s,Signature=%s" % (
    ";".join(names), sig)
if len(sys.argv) > 5:          # swap the action after signing
    h["x-acs-action"] = sys.argv[5]
req = urllib.request.Request("http://127.0.0.1:%s/?%s" % (port, query), data=body, method="POST",
                             headers={k: v for k, v in h.items() if k != "host"})
try:
    r = urllib.request.urlopen(req, timeout=10)
    print(r.status, r.read().decode())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode())
PY
}

all="content-type;host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
out=$(v3 "$all" QueryProductList)
case "$out" in "200 "*'"Success":true'*) ;; *) die "fully signed request: $out" ;; esac

# Signed over host only, with another action swapped in: refused.
out=$(v3 host QueryProductList n-host-only DeleteProduct)
case "$out" in "400 "*'"Code":"IncompleteSignature"'*) ;; *) die "SignedHeaders=host: $out" ;; esac
# Each required header left out in turn: refused, and the message names it.
for h in content-type host x-acs-action x-acs-content-sha256 x-acs-date x-acs-signature-nonce x-acs-version; do
    signed=$(printf '%s' "$all" | tr ';' '\n' | grep -vx "$h" | paste -sd';')
    out=$(v3 "$signed" QueryProductList)
    case "$out" in
        "400 "*'"Code":"IncompleteSignature"'*"$h is not signed"*) ;;
        *) die "$h not signed: $out" ;;
    esac
done
exit 0
