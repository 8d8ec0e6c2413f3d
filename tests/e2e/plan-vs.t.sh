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
#    holds for them (the group's own row, else the sum of its parts), and lists
#    as behind exactly the units whose trained total is under 80 % of their plan;
#  - charts/thuc-hien-ke-hoach.png is drawn.
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
import csv, sys, glob, openpyxl
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
# planned: the truth's accepted classes of 2024
planned = {}
for r in rd(truth):
    if r["year"] == "2024" and r["breakdown"] == "all" and r["metric"] != "other" and r["group"] != "other":
        k = (r["unit"], r["metric"], r["group"])
        planned[k] = planned.get(k, 0) + float(r["value"])
# trained: records.csv, the group's own row else the sum of its parts
parts = {"cbcc_th": ["cb_th", "cc_th"], "cbcc_xa": ["cb_xa", "cc_xa"], "hdnd": ["hdnd_tinh", "hdnd_huyen", "hdnd_xa"]}
cells = {}
for r in rd(out + "/both/records.csv"):
    if r["year"] == "2024" and r["breakdown"] == "all":
        cells[(r["unit"], r["metric"], r["group"])] = float(r["value"])
def trained(u, m, g):
    if (u, m, g) in cells: return cells[(u, m, g)]
    ps = [trained(u, m, p) for p in parts.get(g, [])]
    return sum(ps) if ps and all(p is not None for p in ps) else None
wb = openpyxl.load_workbook(out + "/both/tong-hop.xlsx", read_only=True)
ws = wb["Kế hoạch – Thực hiện"]
rows = list(ws.iter_rows(values_only=True))
cfg = {}
import subprocess, os, yaml
y = yaml.safe_load(subprocess.run([os.environ["DTBD"], "config"], capture_output=True, text=True).stdout)
uname = {u["name"]: u["code"] for u in y["units"]}
head = {h["code"]: h["label"] for h in y["headings"]}
mname = {(head[m["heading"]] + " " + m["label"]) if m.get("heading") else m["label"]: m["code"] for m in y["metrics"]}
gname = {g["label"]: g["code"] for g in y["groups"]}
start = next(i for i, r in enumerate(rows) if r[0] == "Năm" and r[1] == "Đơn vị")
got = {}
for r in rows[start + 1:]:
    if r[0] is None: break
    got[(uname[r[1]], mname[r[2]], gname[r[3]])] = (r[4], r[5])
for k, p in planned.items():
    t = trained(*k)
    g = got.get(k)
    if g is None: fail.append("missing row %s" % (k,)); continue
    if g[0] != p or g[1] != t: fail.append("%s: sheet %s, expected planned %s trained %s" % (k, g, p, t))
for k in got:
    if k not in planned: fail.append("unexpected row %s" % (k,))
# units behind: trained < 80 % of planned over their rows with a trained figure
behind_exp = set()
units = {k[0] for k in planned}
reported = {k[0] for k in cells}
for u in units:
    pl = sum(p for k, p in planned.items() if k[0] == u and trained(*k) is not None)
    tr = sum(trained(*k) for k in planned if k[0] == u and trained(*k) is not None)
    if u in reported and pl > 0 and tr < 0.8 * pl - 1e-9: behind_exp.add(u)
behind_got = {uname[r[0]] for r in rows if r[0] in uname and len(r) > 4 and r[4] == "Chưa đạt kế hoạch"}
if behind_got != behind_exp:
    fail.append("units behind: sheet %s, expected %s" % (sorted(behind_got), sorted(behind_exp)))
for f in fail[:20]: print("plan-vs.t.sh:", f)
if fail: sys.exit(1)
print("plan-vs.t.sh: %d unit × content × group rows, %d units behind their plan, results unchanged" % (len(got), len(behind_got)))
PY
