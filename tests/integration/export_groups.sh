#!/bin/sh
# export_groups.sh — `iotdeck export groups` writes the whole group tree, every level, each
# group after its parent with the parent's id and name (SuperGroupId, SuperGroupName), and
# the dynamic groups (GroupType LINK_PLATFORM_DYNAMIC, no parent); CSV and JSON hold the same
# groups; the tree is the one the API gives (QueryDeviceGroupList by SuperGroupId, walked
# here), with a tree built through the API beside the seeded one.
set -u
. tests/integration/lib.sh

bin="$BUILD/iotdeck"
out=$(mktemp -d)
trap 'stop_sim; rm -rf "$out"' EXIT
start_sim --seed 1 --products 3 --devices 300

export ALIBABA_CLOUD_ACCESS_KEY_ID=$DEMO_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET=$DEMO_KEY_SECRET
export IOTDECK_ENDPOINT=$SIM_URL
unset ALIBABA_CLOUD_REGION_ID ALIBABA_CLOUD_SECURITY_TOKEN

# A tree of our own beside the seeded one: a → b → c, and d under a.
id_of() { python3 -c 'import json, sys; print(json.load(sys.stdin)["Data"]["GroupId"])'; }
a=$("$bin" call CreateDeviceGroup GroupName=exp_a | id_of) || fail "CreateDeviceGroup a"
b=$("$bin" call CreateDeviceGroup GroupName=exp_b SuperGroupId="$a" | id_of) || fail "b"
"$bin" call CreateDeviceGroup GroupName=exp_c SuperGroupId="$b" GroupDesc="=1+2, \"q\"" >/dev/null ||
    fail "c"
"$bin" call CreateDeviceGroup GroupName=exp_d SuperGroupId="$a" >/dev/null || fail "d"

"$bin" export groups --format json -o "$out/g.json" 2>"$out/e"
expect_status 0 $? "export groups JSON: $(cat "$out/e")"
grep -q "12 groups written" "$out/e" || fail "summary: $(cat "$out/e")"
"$bin" export groups -o "$out/g.csv" 2>"$out/e"
expect_status 0 $? "export groups CSV: $(cat "$out/e")"

# The tree as the API gives it, walked here level by level.
"$bin" call QueryDeviceGroupList PageSize=200 >"$out/top.json" || fail "top level"
"$bin" call QueryDeviceGroupList PageSize=200 GroupTypes.1=LINK_PLATFORM_DYNAMIC >"$out/dyn.json" ||
    fail "dynamic list"

python3 - "$out" "$bin" <<'EOF' || fail "groups export: see above"
import csv, json, subprocess, sys
out, bin = sys.argv[1], sys.argv[2]
items = json.load(open(out + "/g.json"))
rows = list(csv.DictReader(open(out + "/g.csv", newline="")))

# The API's tree: parent of every group, walked from the top.
def children(parent):
    cmd = [bin, "call", "QueryDeviceGroupList", "PageSize=200"]
    if parent:
        cmd.append("SuperGroupId=" + parent)
    return json.loads(subprocess.check_output(cmd))["Data"]["GroupInfo"]
want = {}                       # id -> (parent id or None, level)
level = [(g["GroupId"], None) for g in json.load(open(out + "/top.json"))["Data"]["GroupInfo"]]
depth = 1
while level:
    nxt = []
    for gid, parent in level:
        want[gid] = (parent, depth)
        nxt += [(c["GroupId"], gid) for c in children(gid)]
    level, depth = nxt, depth + 1
assert depth - 1 == 3, "the tree is %d levels deep" % (depth - 1)
dynamic = {g["GroupId"] for g in json.load(open(out + "/dyn.json"))["Data"]["GroupInfo"]}
for d in dynamic:
    want[d] = (None, 1)

got = {g["GroupId"]: g for g in items}
assert len(items) == len(got), "a group written twice"
assert set(got) == set(want), "exported %s, the API has %s" % (sorted(got), sorted(want))
seen = set()
names = {g["GroupId"]: g["GroupName"] for g in items}
for g in items:
    parent, _ = want[g["GroupId"]]
    assert g.get("SuperGroupId") == parent, (g, parent)
    if parent:
        assert parent in seen, "%s before its parent" % g["GroupName"]
        assert g["SuperGroupName"] == names[parent], g
    else:
        assert "SuperGroupName" not in g, g
    assert g["GroupType"] == ("LINK_PLATFORM_DYNAMIC" if g["GroupId"] in dynamic else "LINK_PLATFORM"), g
    seen.add(g["GroupId"])
by_name = {g["GroupName"]: g for g in items}
assert by_name["西湖实验室"]["SuperGroupName"] == "杭州园区"
assert by_name["杭州园区"]["SuperGroupName"] == "华东区域"
assert by_name["exp_c"]["SuperGroupName"] == "exp_b" and by_name["exp_b"]["SuperGroupName"] == "exp_a"
assert by_name["在线传感器"]["GroupType"] == "LINK_PLATFORM_DYNAMIC"

# CSV: the same groups, columns and parents; the formula guard still applies.
assert list(rows[0].keys()) == ["GroupId", "GroupName", "GroupDesc", "UtcCreate", "GroupType",
                               "SuperGroupId", "SuperGroupName"], list(rows[0].keys())
assert [r["GroupId"] for r in rows] == [g["GroupId"] for g in items]
for r in rows:
    g = got[r["GroupId"]]
    assert r["SuperGroupId"] == g.get("SuperGroupId", ""), r
    assert r["SuperGroupName"] == g.get("SuperGroupName", ""), r
assert by_name["exp_c"]["GroupDesc"] == '=1+2, "q"'
assert [r for r in rows if r["GroupName"] == "exp_c"][0]["GroupDesc"] == "'=1+2, \"q\""
EOF
pass
