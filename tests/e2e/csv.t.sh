#!/bin/sh
# tests/e2e/csv.t.sh — `dtbd dump` on CSV fixtures equals the .dump files
# written by hand next to them (tests/fixtures/csv/*.dump); an empty file is
# an error on stderr with exit status 1.
set -u
dir=tests/fixtures/csv
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
for want in "$dir"/*.dump; do
  csv="${want%.dump}.csv"
  if ! $DTBD_WRAP "$DTBD" dump "$csv" >"$tmp/out" 2>"$tmp/err"; then
    echo "csv.t.sh: dtbd dump $csv failed:"; cat "$tmp/err"; fail=1; continue
  fi
  if ! cmp -s "$want" "$tmp/out"; then
    echo "csv.t.sh: $csv differs from $want:"; diff "$want" "$tmp/out" | head -20; fail=1
  fi
done
$DTBD_WRAP "$DTBD" dump "$dir/empty.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ "$rc" -ne 1 ] || [ -s "$tmp/out" ] || ! grep -q "empty.csv: .*tệp rỗng" "$tmp/err"; then
  echo "csv.t.sh: empty.csv: want exit 1 and \"tệp rỗng\" on stderr, got $rc:"; cat "$tmp/err"; fail=1
fi
exit $fail
