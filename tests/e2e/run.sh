#!/bin/sh
# tests/e2e/run.sh DTBD — end-to-end tests: each tests/e2e/*.t.sh runs with
# $DTBD set (and $DTBD_WRAP, e.g. valgrind, prefixed when given).
#
# The scripts are independent (each works in its own mktemp folder), so they
# run DTBD_E2E_JOBS at a time (default 2: the machine's cores), the longest
# first; each one's output is kept and printed in name order at the end, so
# the log reads the same whatever the order they finished in.
set -u
DTBD=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
export DTBD
export DTBD_WRAP="${DTBD_WRAP:-}"
cd "$(dirname "$0")/../.." || exit 1
jobs=${DTBD_E2E_JOBS:-2}
logs=$(mktemp -d) || exit 1
trap 'rm -rf "$logs"' EXIT

# The longest scripts first, then the others in name order.
slow="faults workbook demo attainment inputs hostile-run corpus archive"
{
  for s in $slow; do [ -e "tests/e2e/$s.t.sh" ] && echo "tests/e2e/$s.t.sh"; done
  for t in tests/e2e/*.t.sh; do
    [ -e "$t" ] || continue
    case " $slow " in *" $(basename "$t" .t.sh) "*) ;; *) echo "$t" ;; esac
  done
} | xargs -P "$jobs" -I{} sh -c 'n=$(basename "$1"); sh "$1" >"$2/$n.out" 2>&1; echo $? >"$2/$n.rc"' _ {} "$logs"

pass=0; fail=0
for t in tests/e2e/*.t.sh; do
  [ -e "$t" ] || continue
  n=$(basename "$t")
  cat "$logs/$n.out" 2>/dev/null
  if [ "$(cat "$logs/$n.rc" 2>/dev/null)" = 0 ]; then pass=$((pass+1)); else echo "FAIL: $t"; fail=$((fail+1)); fi
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
