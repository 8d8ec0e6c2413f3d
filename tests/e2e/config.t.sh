#!/bin/sh
# tests/e2e/config.t.sh — `dtbd config|units|indicators`: the built-in default
# works from any folder; `-c FILE` is validated and a broken file exits 2 with
# file:line:col on stderr.
set -u
fail() { echo "config.t.sh: $*" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fix=$(pwd)/tests/fixtures/config

# The default is built in: run from an unrelated folder.
out=$(cd "$tmp" && $DTBD_WRAP "$DTBD" units) || fail "units exited $?"
echo "$out" | grep -q '^so-noi-vu  *agency ' || fail "units does not list so-noi-vu"
echo "$out" | grep -q '^so-lao-dong-tbxh .* 2025-02-28  *so-noi-vu ' || fail "merger successor missing"
[ "$(echo "$out" | wc -l)" -eq 43 ] || fail "units: expected header + 42 units"

out=$(cd "$tmp" && $DTBD_WRAP "$DTBD" indicators) || fail "indicators exited $?"
echo "$out" | grep -q '^T13  *hdnd .* 2026 ' || fail "T13 with deadline 2026 missing"
[ "$(echo "$out" | grep -c '^T[0-9]')" -eq 13 ] || fail "expected 13 indicators"

# `dtbd config` prints the configuration as loaded; it loads again with -c.
(cd "$tmp" && $DTBD_WRAP "$DTBD" config > "$tmp/cfg.yaml") || fail "config exited $?"
cmp -s "$tmp/cfg.yaml" config/default.yaml || fail "config does not print the default"
$DTBD_WRAP "$DTBD" units -c "$tmp/cfg.yaml" > /dev/null || fail "printed config does not reload"

# -c with a valid file replaces the default.
out=$($DTBD_WRAP "$DTBD" units -c "$fix/minimal.yaml") || fail "units -c minimal exited $?"
[ "$(echo "$out" | wc -l)" -eq 3 ] || fail "-c minimal: expected 2 units"

# -c with a broken file: exit 2, file:line:col on stderr, nothing on stdout.
for cmd in config units indicators; do
  $DTBD_WRAP "$DTBD" $cmd -c "$fix/dup-key.yaml" > "$tmp/out" 2> "$tmp/err"
  rc=$?
  [ "$rc" -eq 2 ] || fail "$cmd -c dup-key.yaml exited $rc, want 2"
  grep -q "dup-key.yaml:34:5: khóa trùng lặp \"aliases\"" "$tmp/err" || fail "$cmd: no file:line:col on stderr"
  [ ! -s "$tmp/out" ] || fail "$cmd printed to stdout on error"
done
$DTBD_WRAP "$DTBD" units -c "$tmp/none.yaml" 2> "$tmp/err" > /dev/null
[ $? -eq 2 ] || fail "missing -c file must exit 2"
$DTBD_WRAP "$DTBD" units --bogus 2> /dev/null > /dev/null
[ $? -eq 2 ] || fail "bad option must exit 2"
exit 0
