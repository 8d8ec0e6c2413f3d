#!/bin/sh
# tests/e2e/run.sh DTBD — end-to-end tests: each tests/e2e/*.t.sh runs with
# $DTBD set (and $DTBD_WRAP, e.g. valgrind, prefixed when given).
set -u
DTBD=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export DTBD
export DTBD_WRAP="${DTBD_WRAP:-}"
cd "$(dirname "$0")/../.." || exit 1
pass=0; fail=0
for t in tests/e2e/*.t.sh; do
  [ -e "$t" ] || continue
  if sh "$t"; then pass=$((pass+1)); else echo "FAIL: $t"; fail=$((fail+1)); fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
