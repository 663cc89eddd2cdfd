#!/bin/sh
# Errors under faults (--fault-rate): a long list that a failed page stops says how many
# rows it has and that an error stopped it; e keeps every error, newest first, with its
# code, action and HTTP status, scrolls, and closes with Esc or q only. A product deleted
# while its devices are open turns into a "not found" state. At 80x24 and 120x40.
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT

check() {
    w=$1; h=$2
    # Faults only on the list's pages: 5xx, so reads are retried; at this rate some page
    # fails five times in a row and stops the list (the seed makes it the same every run).
    start_sim --seed 3 --products 1 --devices 3000 --flap-minutes 0 \
        --fault-rate 0.5 --fault-kinds 5xx
    tui_start "$w" "$h"
    tui_wait "products: " 20
    # The products list may be stopped too: r asks again until it loads.
    i=0
    until tui_screen | grep -q "products: 1 loaded"; do
        i=$((i + 1))
        [ $i -le 60 ] || { tui_screen >&2; fail "${w}x$h: the products never loaded"; }
        tui_screen | grep -q "products: stopped by an error" && tui_keys r
        sleep 0.5
    done
    tui_keys Enter
    tui_wait "stopped by an error after" 120
    # The status bar names the failed request; e lists it (and the others), newest first.
    tui_keys e
    tui_wait "Errors, newest first" 5
    tui_wait "QueryDevice" 5
    tui_wait "ServiceUnavailable" 5
    tui_screen | grep -qE "HTTP: +(500|503)" || { tui_screen >&2; fail "${w}x$h: no HTTP status in e"; }
    tui_keys G
    sleep 0.2
    tui_keys x
    sleep 0.3
    tui_screen | grep -q "Errors, newest first" || fail "${w}x$h: a stray key closed the error view"
    tui_keys Escape
    tui_wait_gone "Errors, newest first" 5
    tui_keys q
    tui_wait "IOTDECK-EXIT=0" 10
    tui_stop
    stop_sim
}

check 80 24
check 120 40

# A product deleted while its (empty) devices pane is open.
start_sim --seed 3 --products 1 --devices 10 --flap-minutes 0
call() {
    env ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET \
        "$BUILD/iotdeck" --endpoint "$SIM_URL" --region cn-shanghai call "$@"
}
pk=$(call CreateProduct ProductName=doomed-product NodeType=0 DataFormat=1 AuthType=secret |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["Data"]["ProductKey"])') ||
    fail "CreateProduct"
tui_start 80 24
tui_wait "2 loaded" 10
tui_keys : "devices $pk" Enter
tui_wait "devices: 0 loaded" 10
call DeleteProduct ProductKey="$pk" >/dev/null || fail "DeleteProduct"
tui_wait "$pk) (not found)" 30
tui_wait "iot.prod.NotExistedProduct" 5
tui_keys q
tui_wait "IOTDECK-EXIT=0" 10
pass
