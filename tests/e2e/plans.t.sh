#!/bin/sh
# tests/e2e/plans.t.sh — `dtbd plan --year YYYY` on each year of the generated plan
# corpus (tests/corpus/plans/inbox/YYYY, made by `tests/corpus/gen.py --plans`) with
# its headcounts (tests/corpus/plans/headcounts.csv), compared with the generator's
# truth: plan-records.csv value for value, issues.csv finding for finding, the exit
# status per year (tests/e2e/plans_compare.py). Fails — never skips — when python3
# or the corpus is missing. The resubmission is decided by the footer dates (the
# newer file is also the later name), so no mtimes need restoring after a checkout.
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "plans.t.sh: /usr/bin/python3 missing"; exit 1; }
C=tests/corpus/plans
for f in "$C/headcounts.csv" "$C/truth/plan-records.csv" "$C/truth/issues.csv"; do
  [ -s "$f" ] || { echo "plans.t.sh: $f missing (make it: $PY tests/corpus/gen.py --plans)"; exit 1; }
done
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for y in 2022 2023 2024 2025; do
  [ -d "$C/inbox/$y" ] || { echo "plans.t.sh: $C/inbox/$y missing"; exit 1; }
  $DTBD_WRAP "$DTBD" plan --year "$y" --headcounts "$C/headcounts.csv" -o "$out/$y" "$C/inbox/$y" \
    2>"$out/stderr-$y"
  echo "$y $?" >>"$out/rc"
done
"$PY" tests/e2e/plans_compare.py "$out" "$C/truth" >"$out/cmp"
rc=$?
if [ "$rc" -ne 0 ]; then
  echo "plans.t.sh: dtbd plan differs from $C/truth"
  if [ "$(wc -l <"$out/cmp")" -le 80 ]; then cat "$out/cmp"; else head -75 "$out/cmp"; echo "…"; tail -3 "$out/cmp"; fi
  exit 1
fi
grep "^plans:" "$out/cmp"
exit 0
