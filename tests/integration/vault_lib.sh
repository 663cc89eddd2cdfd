# vault_lib.sh — helpers for the vault_*.sh integration tests (sourced; run-integration
# skips *lib.sh). Sets bin, tmp (a private directory removed at exit), fails and SECRET,
# or exits 0 with "skip:" when the binary cannot run vault commands.
BUILD=${BUILD:-build}
bin=$BUILD/iotdeck
_vname=$(basename "$0")

if [ ! -x "$bin" ]; then
    echo "skip: $_vname: $bin not built"; exit 0
fi
if ! "$bin" vault help 2>/dev/null | grep -q 'usage: iotdeck vault'; then
    echo "skip: $_vname: '$bin vault' is not wired to vault_cli_main yet"; exit 0
fi

tmp=$(mktemp -d /tmp/iotdeck-vault-test.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
chmod 700 "$tmp"
fails=0
SECRET=integrationSecretValue0000cdef
# An STS security token: never in any output either.
TOKEN=CAISintegrationStsToken0000beef
unset IOTDECK_VAULT ALIBABA_CLOUD_ACCESS_KEY_ID ALIBABA_CLOUD_ACCESS_KEY_SECRET ALIBABA_CLOUD_REGION_ID

# The committed vault of tests/fixtures/vault: profiles kat (the default) and ro, sealed
# under this passphrase with the KDF default of earlier versions (3 passes over 64 MiB).
FIXTURE=tests/fixtures/vault/v1.vault
FIXTURE_PASS="correct horse battery staple"
# The floor fixture: one profile, floor, sealed at exactly the production KDF floor (2
# passes over 32 MiB: cheap to unlock) under a passphrase of exactly 1024 bytes, 'p'
# repeated (test_vault.c writes and checks it).
FLOOR_FIXTURE=tests/fixtures/vault/floor.vault
# The KDF parameters every save writes ("passes bytes"), as in vault.h.
KDF_DEFAULT="3 268435456"

ok()   { echo "  ok: $1"; }
bad()  { echo "  FAIL: $1"; fails=$((fails + 1)); }
# run NAME WANT_RC CMD... : runs, keeps output in $tmp/out, checks the exit status.
run() {
    name=$1; want=$2; shift 2
    "$@" >"$tmp/out" 2>&1; rc=$?
    if grep -q "$SECRET" "$tmp/out"; then bad "$name: the secret appeared in the output"; return; fi
    if grep -q "$TOKEN" "$tmp/out"; then bad "$name: the security token appeared in the output"; return; fi
    if [ "$rc" -eq "$want" ]; then ok "$name"; else bad "$name: exit $rc, wanted $want"; sed 's/^/    /' "$tmp/out"; fi
}
# has NAME PATTERN / hasnt NAME PATTERN : the last run's output matches / does not.
has() { if grep -q -- "$2" "$tmp/out"; then ok "$1"; else bad "$1: no '$2' in:"; sed 's/^/    /' "$tmp/out"; fi; }
hasnt() { if grep -q -- "$2" "$tmp/out"; then bad "$1: '$2' in:"; sed 's/^/    /' "$tmp/out"; else ok "$1"; fi; }
# kdf_of FILE : the KDF parameters in a vault's header, "passes bytes".
kdf_of() {
    printf '%s %s' "$(od -An --endian=little -t u4 -j 12 -N 4 "$1" | tr -d ' ')" \
        "$(od -An --endian=little -t u8 -j 16 -N 8 "$1" | tr -d ' ')"
}
# fixture_at DIR [FILE] : a copy of FILE (default the v1 fixture) as DIR/vault (DIR made
# private); prints the path.
fixture_at() {
    rm -rf "$1"; mkdir -m 700 "$1"
    cp "${2:-$FIXTURE}" "$1/vault"; chmod 600 "$1/vault"
    printf '%s' "$1/vault"
}
# done_tests : the summary line and exit status.
done_tests() {
    if [ $fails -ne 0 ]; then echo "$_vname: $fails failed"; exit 1; fi
    echo "$_vname: all passed"; exit 0
}
