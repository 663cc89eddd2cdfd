#!/bin/sh
# Groups (issue 10, "Groups are wrong and partly out of reach"), at 80x24 and 120x40 against
# iotdeck-sim's seeded tree (华东区域 › 杭州园区 › 西湖实验室, a group per product, and the
# dynamic group 在线传感器):
#   - the groups pane shows the whole tree, indented, with the type the API says
#     (LINK_PLATFORM static, LINK_PLATFORM_DYNAMIC dynamic);
#   - Enter on a group lists its subgroups above its devices, and Enter on a subgroup opens it
#     (with the path of its parents);
#   - a dynamic group shows its rule and the devices it matches (QueryDynamicGroupDevices);
#   - a device's detail lists its groups, and Enter on one opens it;
#   - :group ID opens a group by its id; an id that names nothing says "not found".
set -u
. tests/tui/lib.sh
TUI_HOME=$(mktemp -d)
trap 'tui_stop; stop_sim; rm -rf "$TUI_HOME"' EXIT
start_sim --seed 1 --products 3 --devices 300 --flap-minutes 0

# Ids and keys from the API itself.
export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
export IOTDECK_ENDPOINT=$SIM_URL
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN
east=$("$BUILD/iotdeck" call QueryDeviceGroupList GroupName=华东区域 | python3 -c '
import json, sys; print(json.load(sys.stdin)["Data"]["GroupInfo"][0]["GroupId"])') ||
    fail "no group 华东区域"
pk=$("$BUILD/iotdeck" call QueryProductList CurrentPage=1 PageSize=10 | python3 -c '
import json, sys
print([p["ProductKey"] for p in json.load(sys.stdin)["Data"]["List"]["ProductInfo"]
       if p["ProductName"] == "温湿度传感器"][0])') || fail "no product 温湿度传感器"
online=$("$BUILD/iotdeck" --instance iot-sim call QueryDynamicGroupDevices \
    GroupId="$("$BUILD/iotdeck" call QueryDeviceGroupList GroupTypes.1=LINK_PLATFORM_DYNAMIC |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["Data"]["GroupInfo"][0]["GroupId"])')" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["Total"])') || fail "no dynamic group"

# The screen line that holds TEXT (the first one).
line_of() { tui_screen | grep -F -- "$1" | head -1; }

for size in "80 24" "120 40"; do
    # shellcheck disable=SC2086
    set -- $size
    tui_start "$1" "$2" --instance iot-sim
    tui_wait "loaded"

    # The tree, with its types.
    tui_keys 3
    tui_wait "groups: 8 loaded (3 levels, 1 dynamic)"
    for g in 华东区域 华北区域 "└ 杭州园区" "└ 西湖实验室" "└ group_th-sensor"; do
        l=$(line_of "$g")
        [ -n "$l" ] || { tui_screen >&2; fail "$1x$2: group $g not in the tree"; }
        echo "$l" | grep -q " static " || { tui_screen >&2; fail "$1x$2: $g is not shown static: $l"; }
    done
    line_of "在线传感器" | grep -q " dynamic" || { tui_screen >&2; fail "$1x$2: 在线传感器 not dynamic"; }
    # A child is indented under its parent, right after it in the tree.
    tui_screen | python3 -c '
import sys
rows = [l for l in sys.stdin.read().split("\n")]
i = next(i for i, l in enumerate(rows) if "└ 杭州园区" in l)
assert "└ 西湖实验室" in rows[i + 1], rows[i:i + 2]
assert rows[i + 1].index("└") > rows[i].index("└"), "not indented deeper"
' || { tui_screen >&2; fail "$1x$2: 西湖实验室 is not under 杭州园区"; }

    # Enter on 杭州园区: its subgroup above its devices; Enter on the subgroup opens it.
    tui_keys / "杭州园区" Enter
    tui_wait "filter 杭州园区"
    tui_keys Enter
    tui_wait "Group       杭州园区"
    tui_wait "1 subgroup"
    tui_wait "Parent      华东区域"
    tui_wait "▸ 西湖实验室"
    tui_keys g Enter
    tui_wait "Group       西湖实验室"
    tui_wait "Parent      华东区域 › 杭州园区"
    tui_wait "devices: 10 loaded"
    tui_wait "th-sensor-000010"
    tui_wait "Groups › 杭州园区 › 西湖实验室"
    tui_keys Escape
    tui_wait "Group       杭州园区"
    tui_keys Escape
    tui_wait "filter 杭州园区"
    tui_keys Escape
    tui_wait_gone "filter 杭州园区"

    # The dynamic group: its rule, and the devices it matches (all online).
    tui_keys / "在线传感器" Enter
    tui_wait "filter 在线传感器"
    tui_keys Enter
    tui_wait "Type        dynamic"
    tui_wait "Rule        product_key = \"$pk\" and status = \"ONLINE\""
    tui_wait "devices: $online loaded"
    tui_screen | grep "th-sensor-" | grep -v -q ONLINE &&
        { tui_screen >&2; fail "$1x$2: a device of 在线传感器 that is not ONLINE"; }
    tui_screen | grep -q "th-sensor-.*ONLINE" || { tui_screen >&2; fail "$1x$2: no device shown"; }
    tui_keys Escape
    tui_wait "filter 在线传感器"
    tui_keys Escape
    tui_wait_gone "filter 在线传感器"

    # A device's detail lists its groups; Enter on one opens it.
    tui_keys : "device $pk/th-sensor-000001" Enter
    tui_wait "2 groups, 11 properties"
    tui_wait "Groups      group_th-sensor, 西湖实验室"
    # The groups are the first rows of the table (names cut to a property name's width).
    tui_screen | grep -E '^ ▸ group +西湖实验室 +static' >/dev/null &&
        tui_screen | grep -E '^ ▸ group +group_th-se' >/dev/null ||
        { tui_screen >&2; fail "$1x$2: the device's groups are not rows"; }
    tui_keys / "西湖" Enter
    tui_wait "filter 西湖"
    tui_keys Enter
    tui_wait "Group       西湖实验室"
    [ "$1" -lt 120 ] || tui_wait "th-sensor-000001 › 西湖实验室"	# the breadcrumb is cut at 80
    tui_wait "devices: 10 loaded"

    # :group ID, and an id that names nothing.
    tui_keys : "group $east" Enter
    tui_wait "Group       华东区域"
    tui_wait "Parent      (top level)"
    tui_wait "3 subgroups"
    tui_wait "▸ 杭州园区"
    tui_keys : "group nope0000" Enter
    tui_wait "Not found"
    tui_wait "iot.group.NotExistedGroup"

    # d on a dynamic group: its detail asked with GroupType (the rule comes back).
    tui_keys : "groups" Enter
    tui_wait "groups: 8 loaded"
    tui_keys / "在线传感器" Enter
    tui_wait "filter 在线传感器"
    tui_keys d
    tui_wait "DynamicGroupExpression"
    tui_keys Escape
    tui_wait "filter 在线传感器"
    tui_keys Escape
    tui_wait_gone "filter 在线传感器"

    if [ "$1" = 120 ]; then
        # A group made or deleted elsewhere shows up without r (the count is checked every
        # refresh-interval): new, in its place under its parent; then vanished.
        gid=$("$BUILD/iotdeck" call CreateDeviceGroup GroupName=made_meanwhile \
            SuperGroupId="$east" | python3 -c '
import json, sys; print(json.load(sys.stdin)["Data"]["GroupId"])') || fail "CreateDeviceGroup"
        "$BUILD/iotdeck" call CreateDeviceGroup GroupName=new_top_group >/dev/null || fail "top"
        tui_wait "groups: 10 loaded" 15
        tui_screen | python3 -c '
import sys
rows = sys.stdin.read().split("\n")
i = next(i for i, l in enumerate(rows) if "华东区域" in l and "└" not in l)
assert "└ made_meanwhile" in rows[i + 1], rows[i:i + 2]
' || { tui_screen >&2; fail "made_meanwhile is not first under 华东区域"; }
        "$BUILD/iotdeck" call DeleteDeviceGroup GroupId="$gid" >/dev/null || fail "DeleteDeviceGroup"
        "$BUILD/iotdeck" call CreateDeviceGroup GroupName=another_top >/dev/null || fail "top 2"
        tui_wait "another_top" 15
        tui_wait "groups: 10 loaded"
        tui_wait "└ made_meanwhile"	# still shown, marked as vanished
    fi

    tui_keys q
    tui_wait "IOTDECK-EXIT=0"
    tui_stop
done
pass
