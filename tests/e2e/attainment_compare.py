#!/usr/bin/python3
"""tests/e2e/attainment_compare.py OUT_ATTAINMENT_CSV TRUTH_ATTAINMENT_CSV [--pending FINDINGS_CSV]

Compares dtbd's attainment.csv with the generated corpus' truth
(tests/corpus/truth/attainment.csv), row by row, keyed by
(indicator, year, scope, unit):
  - the header is exactly indicator,year,scope,unit,numerator,denominator,ratio,target,status;
  - every truth row is present and no other row is;
  - numerator and denominator equal exactly (as numbers; both empty or neither);
  - ratio within 1e-6 absolute (both empty or neither);
  - target (as a number) and status equal exactly.

--pending FINDINGS_CSV (while debugging validation; attainment.t.sh with
DTBD_ATTAINMENT_PENDING=1): a value mismatch (sums, ratio, status) on a row the validation stage
decides — the unit rows of a (unit, year) carrying a planted finding that
rejects, supersedes or excludes figures (part_over_whole, fractional_count,
negative_count, parts_sum_mismatch, merged_unit_report, duplicate_submission),
and the province and kind rows of those years — is counted as pending, not
failed. Missing or extra rows and every other mismatch still fail.

Prints one line per discrepancy (at most 20 of each kind), a summary of the
failures by indicator and scope, and a closing "N passed, M failed" line;
exit 0 only when nothing failed.
"""
import csv
import sys
from collections import Counter
from fractions import Fraction

COLS = ["indicator", "year", "scope", "unit", "numerator", "denominator", "ratio", "target", "status"]


def load(path):
    with open(path, newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        header = next(rd, [])
        rows = [dict(zip(header, r)) for r in rd]
    return header, rows


def num(s):
    return None if s == "" else Fraction(s)


VALIDATION_RULES = {"part_over_whole", "fractional_count", "negative_count", "parts_sum_mismatch",
                    "merged_unit_report", "duplicate_submission"}


def main():
    args = sys.argv[1:]
    findings = None
    if "--pending" in args:
        i = args.index("--pending")
        if i + 1 >= len(args):
            print(__doc__)
            return 2
        findings = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__)
        return 2
    out_h, out = load(args[0])
    _, truth = load(args[1])
    pend_units, pend_years = set(), set()
    if findings:
        for f in load(findings)[1]:
            if f.get("rule") in VALIDATION_RULES and f.get("unit") and f.get("year"):
                pend_units.add((f["unit"], f["year"]))
                pend_years.add(f["year"])
    pending = set()
    passed = failed = 0
    shown = Counter()
    where = Counter()

    def is_pending(row):
        if row is None:
            return False
        if row["scope"] == "unit":
            return (row["unit"], row["year"]) in pend_units
        return row["year"] in pend_years

    def fail(kind, msg, row=None):
        nonlocal failed
        if kind not in ("missing", "extra", "duplicate", "columns") and is_pending(row):
            pending.add((row["indicator"], row["year"], row["scope"], row["unit"]))
            return
        failed += 1
        shown[kind] += 1
        if row is not None:
            where[(row["indicator"], row["scope"])] += 1
        if shown[kind] <= 20:
            print(f"FAIL {kind}: {msg}")

    if out_h != COLS:
        fail("columns", f"header {out_h}, expected {COLS}")
    key = lambda r: (r.get("indicator"), r.get("year"), r.get("scope"), r.get("unit"))
    o = {}
    for r in out:
        k = key(r)
        if k in o:
            fail("duplicate", f"{k} written twice", r)
        o[k] = r
    t = {key(r): r for r in truth}
    for k, tr in t.items():
        orow = o.get(k)
        if orow is None:
            fail("missing", f"{k} not written", tr)
            continue
        ok = True
        for c in ("numerator", "denominator"):
            try:
                same = num(orow[c]) == num(tr[c])
            except (ValueError, ZeroDivisionError):
                same = False
            if not same:
                fail(c, f"{k}: {c} {orow[c]!r}, truth {tr[c]!r}", tr)
                ok = False
        try:
            ro, rt = num(orow["ratio"]), num(tr["ratio"])
            same = (ro is None and rt is None) or (ro is not None and rt is not None and abs(ro - rt) <= Fraction(1, 10**6))
        except (ValueError, ZeroDivisionError):
            same = False
        if not same:
            fail("ratio", f"{k}: ratio {orow['ratio']!r}, truth {tr['ratio']!r}", tr)
            ok = False
        try:
            same = num(orow["target"]) == num(tr["target"])
        except (ValueError, ZeroDivisionError):
            same = False
        if not same:
            fail("target", f"{k}: target {orow['target']!r}, truth {tr['target']!r}", tr)
            ok = False
        if orow["status"] != tr["status"]:
            fail("status", f"{k}: status {orow['status']!r}, truth {tr['status']!r} "
                           f"({orow['numerator']}/{orow['denominator']} vs {tr['numerator']}/{tr['denominator']})", tr)
            ok = False
        if ok:
            passed += 1
        elif k in pending:
            pass
    for k, orow in o.items():
        if k not in t:
            fail("extra", f"{k} is not in the truth", orow)
    for kind, n in sorted(shown.items()):
        if n > 20:
            print(f"… {n - 20} more {kind}")
    if where:
        print("failures by indicator/scope: " +
              ", ".join(f"{i}/{s} {n}" for (i, s), n in sorted(where.items())))
    if findings:
        print(f"{len(pending)} rows pending the validation stage (rejected, superseded, excluded figures)")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
