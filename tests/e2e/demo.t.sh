#!/bin/sh
# tests/e2e/demo.t.sh — `dtbd run` on the demo province (examples/inbox/, what
# `make demo` runs on; made by tests/corpus/gen.py --demo) against its truth
# (examples/truth/): exactly the planted findings, every file with its unit,
# year, status and number of records, every cell reconciled, and attainment
# row for row. The resubmission is decided by the footer dates, so no mtimes
# need restoring after a checkout. The inbox also holds the units' annual plans
# (examples/inbox/ke-hoach/): each is an info plan_not_report in the truth, and
# tong-hop.xlsx's "Kế hoạch – Thực hiện" and charts/thuc-hien-ke-hoach hold
# them against the results (tests/e2e/planvs_check.py, against
# examples/truth/plans.csv: what the plans planned).
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "demo.t.sh: /usr/bin/python3 missing"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$DTBD_WRAP "$DTBD" run -o "$out" examples/inbox 2>"$out/stderr"
rc=$?
# three planted errors: exit status 1 (outputs written, errors in the data)
if [ "$rc" -ne 1 ]; then
  echo "demo.t.sh: dtbd run exited $rc, expected 1"; cat "$out/stderr"; exit 1
fi
grep -q "(khớp)" "$out/stderr" || { echo "demo.t.sh: cell counts do not reconcile"; cat "$out/stderr"; exit 1; }
"$PY" tests/e2e/corpus_compare.py "$out" examples/truth --stage 4 > "$out/cmp" \
  || { echo "demo.t.sh: outputs differ from examples/truth"; tail -21 "$out/cmp"; exit 1; }
"$PY" tests/e2e/attainment_compare.py "$out/attainment.csv" examples/truth/attainment.csv > "$out/att" \
  || { echo "demo.t.sh: attainment differs from examples/truth"; tail -25 "$out/att"; exit 1; }
# the demo shows every indicator: each has province figures in every year of the plan it has
"$PY" - "$out/attainment.csv" <<'PYEOF' || exit 1
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["scope"] == "province"]
years = {}
for r in rows:
    if r["status"] != "no_data":
        years.setdefault(r["indicator"], set()).add(r["year"])
bad = [i for i in sorted({r["indicator"] for r in rows})
       if len(years.get(i, ())) < (4 if i == "T08" else 5)]
if len(years) < 13 or bad:
    print(f"demo.t.sh: indicators without five years of province data: {bad} ({len(years)} with data)")
    sys.exit(1)
PYEOF
# plan against results: the sheet and the chart, against what the plans planned
"$PY" tests/e2e/planvs_check.py "$out" examples/truth/plans.csv > "$out/pv" \
  || { echo "demo.t.sh: plan against results differs from examples/truth/plans.csv"; cat "$out/pv"; exit 1; }
# the run's summary reconciles: "N số liệu" = rows of records.csv = Σ records of sources.csv
n=$(sed -n 's/^dtbd: \([0-9]*\) số liệu;.*/\1/p' "$out/stderr")
rows=$(($(wc -l < "$out/records.csv") - 1))
srcsum=$("$PY" -c 'import csv,sys; print(sum(int(r["records"]) for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))))' "$out/sources.csv")
[ -n "$n" ] && [ "$n" = "$rows" ] && [ "$rows" = "$srcsum" ] || {
  echo "demo.t.sh: summary $n số liệu, records.csv $rows rows, sources.csv Σ records $srcsum"; exit 1; }
exit 0
