#!/bin/sh
# tests/e2e/feedback.t.sh — phan-hoi/ (output/feedback.h): one workbook per
# expected unit, each opening in openpyxl with its findings exactly those of
# issues.csv, don-doc.csv = the unit_missing_report findings; the folder is
# swapped in whole (a previous run's stray file is gone, no temporary left).
# Two years of tests/corpus (2022, 2025: the mergers) keep it to seconds.
set -u
fail() { echo "feedback.t.sh: $*" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out/phan-hoi"
echo stale > "$tmp/out/phan-hoi/stale.xlsx"
$DTBD_WRAP "$DTBD" run --no-charts -o "$tmp/out" tests/corpus/inbox/2022 tests/corpus/inbox/2025 \
  2> "$tmp/err"
rc=$?
[ "$rc" -le 1 ] || { cat "$tmp/err" >&2; fail "run exited $rc"; }
[ ! -e "$tmp/out/phan-hoi/stale.xlsx" ] || fail "phan-hoi/ was not replaced as a whole"
ls -a "$tmp/out" | grep -q 'phan-hoi-tmp' && fail "a feedback temporary was left behind"
$DTBD_WRAP "$DTBD" units > "$tmp/units" || fail "units exited $?"
/usr/bin/python3 tests/e2e/feedback_check.py "$tmp/out" "$tmp/units" 2>/dev/null || fail "phan-hoi/ does not match the run"
# check writes nothing
$DTBD_WRAP "$DTBD" check tests/corpus/inbox/2022 > /dev/null 2>&1
[ ! -e phan-hoi ] || fail "check wrote phan-hoi/"
exit 0
