#!/bin/sh
# tests/e2e/plans-truth.t.sh — the plan corpus and the comparer of plans.t.sh, without
# dtbd: (1) tests/corpus/check_plans.py reads the committed plans back (openpyxl,
# xlrd, csv) and checks tests/corpus/plans/truth cell by cell; (2) plans_compare.py
# passes on outputs that are the truth itself (split per year, findings shuffled) and
# fails, naming the difference, on each of a changed value, a missing finding, an
# extra record, records out of order, a wrong exit status and a shortfall message
# without its numbers. Fails — never skips — when python3 or the corpus is missing.
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "plans-truth.t.sh: /usr/bin/python3 missing"; exit 1; }
T=tests/corpus/plans/truth
[ -s "$T/plan-records.csv" ] && [ -s "$T/issues.csv" ] || { echo "plans-truth.t.sh: $T missing"; exit 1; }
"$PY" tests/corpus/check_plans.py >/tmp/plans-truth.$$ 2>&1 || {
  echo "plans-truth.t.sh: check_plans.py failed"; tail -20 /tmp/plans-truth.$$; rm -f /tmp/plans-truth.$$; exit 1; }
rm -f /tmp/plans-truth.$$
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$PY" - "$T" "$out" <<'PYEOF' || exit 1
import csv, os, random, subprocess, sys
T, out = sys.argv[1], sys.argv[2]
recs = list(csv.reader(open(f"{T}/plan-records.csv", encoding="utf-8")))
iss = list(csv.reader(open(f"{T}/issues.csv", encoding="utf-8")))
years = sorted({r[1] for r in recs[1:]})

def write(d, mutate=None):
    os.makedirs(d)
    rc = []
    for y in years:
        R = [list(r) for r in recs[1:] if r[1] == y]
        I = [list(r) for r in iss[1:] if r[6] == y]
        random.Random(y).shuffle(I)
        code = 1 if any(r[0] == "error" for r in I) else 0
        if mutate:
            R, I, code = mutate(y, R, I, code)
        os.makedirs(f"{d}/{y}")
        for name, h, rows in (("plan-records.csv", recs[0], R), ("issues.csv", iss[0], I)):
            with open(f"{d}/{y}/{name}", "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh, lineterminator="\n")
                w.writerow(h)
                w.writerows(rows)
        rc.append(f"{y} {code}\n")
    open(f"{d}/rc", "w").writelines(rc)

def run(d):
    p = subprocess.run([sys.executable, "tests/e2e/plans_compare.py", d, T], capture_output=True, text=True)
    return p.returncode, p.stdout

def first_shortfall(I):
    return next(i for i, r in enumerate(I) if r[1] == "plan_target_shortfall")

cases = {
    "record differs": lambda y, R, I, c: (R[:3] + [R[3][:5] + [str(int(R[3][5]) + 1)] + R[3][6:]] + R[4:], I, c),
    "finding missing": lambda y, R, I, c: (R, I[1:], c),
    "record unexpected": lambda y, R, I, c: (R + [R[0][:12] + ["Z999"]], I, c),
    "record order": lambda y, R, I, c: (R[::-1], I, c),
    "exit status": lambda y, R, I, c: (R, I, 2),
    "finding message": lambda y, R, I, c: (R, [r[:7] + ["thiếu người"] if i == first_shortfall(I) else r
                                              for i, r in enumerate(I)], c),
}
write(f"{out}/ok")
rc, text = run(f"{out}/ok")
if rc != 0 or " 0 failed" not in text:
    print("plans-truth.t.sh: the comparer fails on the truth itself:\n" + text[-1500:])
    sys.exit(1)
bad = []
for kind, mutate in cases.items():
    d = f"{out}/{kind.replace(' ', '-')}"
    write(d, lambda y, R, I, c: mutate(y, R, I, c) if y == years[-1] else (R, I, c))
    rc, text = run(d)
    if rc != 1 or f"FAIL {kind}:" not in text:
        bad.append(f"{kind}: exit {rc}\n{text[-800:]}")
if bad:
    print("plans-truth.t.sh: the comparer misses a difference:\n" + "\n".join(bad))
    sys.exit(1)
PYEOF
exit 0
