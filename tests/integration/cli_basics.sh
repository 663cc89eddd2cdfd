#!/bin/sh
# cli_basics.sh — iotdeck's command line without a server: help, man page, exit statuses,
# and that the secret never shows.
set -u
. tests/integration/lib.sh

bin="$BUILD/iotdeck"
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT

"$bin" --help >"$out/help" 2>&1; expect_status 0 $? "--help"
"$bin" --version >"$out/v" 2>&1; expect_status 0 $? "--version"
grep -q '^iotdeck 0\.' "$out/v" || fail "--version prints the version"

# Every option of --help is in the man page, and the other way round.
for opt in $(grep -oE -- '--[a-z-]+' "$out/help" | sort -u); do
    grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" src/iotdeck.1 || fail "man page lacks $opt"
done
for opt in $(grep -oE -- '\\-\\-[a-z-]+' src/iotdeck.1 | sed 's/\\//g' | sort -u); do
    grep -q -- "$opt" "$out/help" || fail "--help lacks $opt (in the man page)"
done

"$bin" </dev/null >/dev/null 2>"$out/e"; expect_status 4 $? "the console without a terminal"
grep -q 'needs a terminal' "$out/e" || fail "the console without a terminal: $(cat "$out/e")"
"$bin" frobnicate >/dev/null 2>&1; expect_status 2 $? "unknown command"
"$bin" call >/dev/null 2>&1; expect_status 2 $? "call without action"
"$bin" call QueryDevice --bogus >/dev/null 2>&1; expect_status 2 $? "unknown option"
"$bin" call QueryDevice Bad >/dev/null 2>&1; expect_status 2 $? "malformed Name=Value"
"$bin" call QueryDevice Signature=x >/dev/null 2>&1; expect_status 2 $? "reserved parameter"
"$bin" call 'Query;rm' >/dev/null 2>&1; expect_status 2 $? "bad action name"
"$bin" call QueryDevice --timeout abc >/dev/null 2>&1; expect_status 2 $? "bad timeout"

unset ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_REGION_ID IOTDECK_ENDPOINT
"$bin" call QueryDevice --region cn-shanghai 2>"$out/e"; expect_status 4 $? "no credentials"
grep -q 'ALIBABA_CLOUD_ACCESS_KEY_ID' "$out/e" || fail "no-credentials message names the variables"
"$bin" call QueryDevice 2>"$out/e"; expect_status 4 $? "no region"

export ALIBABA_CLOUD_ACCESS_KEY_ID=LTAItestid ALIBABA_CLOUD_ACCESS_KEY_SECRET=s3cret-Must-Not-Leak
"$bin" call QueryDevice --endpoint http://iotdeck.invalid/ 2>"$out/e"; expect_status 4 $? "plain http off loopback"
grep -q 'loopback' "$out/e" || fail "plain-http message explains loopback"

# A malformed endpoint is a configuration error caught before any request (nothing is
# sent: --verbose shows no request line), with a message that says what is wrong.
bad_endpoint() { # URL WORD: exit 4, the message holds WORD
    "$bin" -v call QueryDevice --region cn-shanghai --timeout 2 --endpoint "$1" >"$out/o" 2>"$out/e"
    expect_status 4 $? "endpoint '$1': $(cat "$out/e")"
    grep -q -- "$2" "$out/e" || fail "endpoint '$1': the message does not say '$2': $(cat "$out/e")"
    grep -q '^> ' "$out/e" && fail "endpoint '$1': a request was sent: $(cat "$out/e")"
    IOTDECK_ENDPOINT=$1 "$bin" call QueryDevice --region cn-shanghai --timeout 2 >/dev/null 2>&1
    expect_status 4 $? "IOTDECK_ENDPOINT='$1'"
}
bad_endpoint 'htp:/x' "scheme 'htp'"
bad_endpoint 'https:/iotdeck.invalid' 'https://HOST'
bad_endpoint 'ftp://127.0.0.1/' "scheme 'ftp'"
bad_endpoint 'https://' 'no host'
bad_endpoint 'https://user:pw@iotdeck.invalid/' 'user name'
bad_endpoint 'https://iotdeck.invalid/?a=b' 'query'
bad_endpoint 'https://iotdeck.invalid/#top' 'fragment'
bad_endpoint 'https://iotdeck.invalid:0/' 'port'
bad_endpoint 'https://iotdeck.invalid:65536/' 'port'
bad_endpoint 'https://::1/' 'brackets'
bad_endpoint 'https://[::1/' 'IPv6'
bad_endpoint 'https://1.2.3.256/' 'IPv4'
bad_endpoint 'https://iot_deck.invalid/' 'host name'
bad_endpoint 'https://iotdeck.invalid/a/../b' 'path'
bad_endpoint 'https://iotdeck.invalid/a%0d%0a' 'path'
bad_endpoint "$(printf 'https://iotdeck.invalid/\033[2J')" 'control'
grep -q "$(printf '\033')" "$out/e" && fail "the message holds a raw escape character"
"$bin" call QueryDevice --region 'cn shanghai' 2>/dev/null; expect_status 4 $? "bad region"

# Connection refused on a port nobody listens on: a network error, and no secret anywhere.
port=$(free_port)
"$bin" -v call QueryDevice ProductKey=pk --endpoint "http://127.0.0.1:$port/" --timeout 2 \
    >"$out/o" 2>"$out/e"; expect_status 3 $? "connection refused"
grep -q 'Signature=<redacted>' "$out/e" || fail "--verbose redacts the signature"
grep -q 's3cret-Must-Not-Leak' "$out/o" "$out/e" && fail "the secret leaked into the output"
grep -q '^> POST http://127.0.0.1' "$out/e" || fail "--verbose shows the request line"

# Proxies from the environment are used for remote endpoints, never for loopback ones.
proxy_port=$(free_port)
https_proxy="http://127.0.0.1:$proxy_port" HTTPS_PROXY="http://127.0.0.1:$proxy_port" \
    "$bin" call QueryDevice --region cn-shanghai --timeout 2 2>"$out/e"
expect_status 3 $? "remote endpoint through a dead proxy"
grep -q "127.0.0.1 port $proxy_port" "$out/e" || fail "the proxy from https_proxy was not used: $(cat "$out/e")"
http_proxy="http://127.0.0.1:$proxy_port" "$bin" call QueryDevice --timeout 2 \
    --endpoint "http://127.0.0.1:$port/" 2>"$out/e"
expect_status 3 $? "loopback endpoint with a proxy set"
grep -q "port $proxy_port" "$out/e" && fail "a loopback endpoint went through the proxy"
pass
