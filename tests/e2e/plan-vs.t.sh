#!/bin/sh
# tests/e2e/plan-vs.t.sh — plan against results (DESIGN §10): `dtbd run` on one
# year's reports (tests/corpus/inbox/2024) together with that year's plans
# (tests/corpus/plans/inbox/2024):
#  - the plans change nothing of the results: records.csv, attainment.csv and
#    sources.csv's report rows are those of the reports alone; each plan is one
#    info plan_not_report, and no other finding is added;
#  - tong-hop.xlsx's "Kế hoạch – Thực hiện" (read by openpyxl) holds, per unit ×
#    content × group, the persons the plan corpus's truth plans
#    (tests/corpus/plans/truth/plan-records.csv: the `all` rows of the accepted
#    plans, contents and groups other than "other") and the persons records.csv
#    holds for them (the group's own row, else the sum of its parts), the
#    province by content, and lists as behind exactly the units whose trained
#    total is under 80 % of their plan; charts/thuc-hien-ke-hoach is drawn with
#    those shares (tests/e2e/planvs_check.py, also used by demo.t.sh).
# Fails — never skips — when python3 or the corpora are missing.
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "plan-vs.t.sh: /usr/bin/python3 missing"; exit 1; }
[ -d tests/corpus/inbox/2024 ] && [ -d tests/corpus/plans/inbox/2024 ] || { echo "plan-vs.t.sh: corpus missing"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$DTBD_WRAP "$DTBD" run --no-charts -o "$out/rep" tests/corpus/inbox/2024 2>/dev/null
$DTBD_WRAP "$DTBD" run -o "$out/both" tests/corpus/inbox/2024 tests/corpus/plans/inbox/2024 2>"$out/stderr"
[ -s "$out/both/tong-hop.xlsx" ] || { echo "plan-vs.t.sh: no tong-hop.xlsx"; cat "$out/stderr"; exit 1; }
[ -s "$out/both/charts/thuc-hien-ke-hoach.png" ] || { echo "plan-vs.t.sh: no chart thuc-hien-ke-hoach.png"; exit 1; }
cmp -s "$out/rep/records.csv" "$out/both/records.csv" || { echo "plan-vs.t.sh: the plans changed records.csv"; exit 1; }
cmp -s "$out/rep/attainment.csv" "$out/both/attainment.csv" || { echo "plan-vs.t.sh: the plans changed attainment.csv"; exit 1; }
"$PY" - "$out" tests/corpus/plans/truth/plan-records.csv <<'PY'
import csv, sys, glob
out, truth = sys.argv[1], sys.argv[2]
rd = lambda p: list(csv.DictReader(open(p, encoding="utf-8")))
fail = []
# findings: the report run's, plus one plan_not_report per plan file
key = lambda r: (r["severity"], r["rule"], r["file"], r["sheet"], r["cell"], r["unit"], r["year"])
rep = sorted(key(r) for r in rd(out + "/rep/issues.csv"))
both = [r for r in rd(out + "/both/issues.csv")]
plans = sorted(glob.glob("tests/corpus/plans/inbox/2024/**/*.*", recursive=True))
notes = [r for r in both if r["rule"] == "plan_not_report"]
if sorted(r["file"] for r in notes) != plans:
    fail.append("plan_not_report: %d findings for %d plan files" % (len(notes), len(plans)))
if sorted(key(r) for r in both if r["rule"] != "plan_not_report" and not r["rule"].startswith("charts_")) != rep:
    fail.append("the plans added or removed findings of the run")
for f in fail[:20]: print("plan-vs.t.sh:", f)
if fail: sys.exit(1)
print("plan-vs.t.sh: one plan_not_report per plan, no other finding added, results unchanged")
PY
[ $? -eq 0 ] || exit 1
# the sheet and the chart against the plan corpus' truth (tests/e2e/planvs_check.py)
DTBD="$DTBD" "$PY" tests/e2e/planvs_check.py "$out/both" tests/corpus/plans/truth/plan-records.csv --year 2024
