#!/bin/sh
# sim_tls.sh — iotdeck-sim serves HTTPS with --tls-cert/--tls-key (a throwaway
# self-signed certificate made with openssl).
set -u
BUILD=${BUILD:-build}
SIM_TMP=$(mktemp -d)
trap 'sim_stop; rm -rf "$SIM_TMP"' EXIT INT TERM
. "$(dirname "$0")/sim_lib.sh"
die() { echo "sim_tls: $*" >&2; cat "$SIM_TMP/log" >&2; exit 1; }

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$SIM_TMP/key.pem" -out "$SIM_TMP/cert.pem" \
    -days 1 -subj /CN=127.0.0.1 >/dev/null 2>&1 || die "openssl could not make a certificate"
sim_start --products 1 --devices 5 --tls-cert "$SIM_TMP/cert.pem" --tls-key "$SIM_TMP/key.pem" || exit 1
grep -q "listening on https://" "$SIM_TMP/log" || die "not listening on https"
out=$(curl -s --cacert "$SIM_TMP/cert.pem" "https://127.0.0.1:$SIM_PORT/?Action=QueryProductList&Version=2018-01-20&Format=JSON")
echo "$out" | grep -q '"Code":"MissingAccessKeyId"' || die "https answer: $out"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SIM_PORT/" 2>/dev/null)
[ "$code" != 200 ] || die "plain HTTP answered on the TLS port"
sim_stop || die "exit status"
if "$BUILD/iotdeck-sim" --listen 127.0.0.1:0 --tls-cert "$SIM_TMP/cert.pem" 2>/dev/null; then
    die "--tls-cert without --tls-key started"
fi
exit 0
