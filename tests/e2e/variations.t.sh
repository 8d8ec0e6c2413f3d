#!/bin/sh
# tests/e2e/variations.t.sh — real-world variations of the form in workbooks
# saved by LibreOffice (tests/fixtures/variations/make.py): the statistical
# header box, Nữ/DTTS sub-rows, labels with notes, a reworded row after a blank
# row, Unicode spaces and format characters, error cells, Biểu 03 transposed.
# records.csv must equal expected-records.csv (written by construction), the
# error findings expected-errors.csv exactly, and nothing may be left unmapped
# or outside a table.
set -u
F=tests/fixtures/variations
PY=/usr/bin/python3
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$DTBD_WRAP "$DTBD" run --no-charts -o "$out" "$F/inbox" 2>"$out/stderr"
rc=$?
[ "$rc" -eq 1 ] || { echo "variations.t.sh: exit $rc, expected 1 (error cells)"; cat "$out/stderr"; exit 1; }
"$PY" - "$out" "$F" <<'PYEOF'
import csv, os, sys
out, fx = sys.argv[1], sys.argv[2]
fail = []
got = set()
for r in csv.DictReader(open(os.path.join(out, "records.csv"), encoding="utf-8")):
    got.add((r["unit"], r["year"], r["group"], r["metric"], r["breakdown"], float(r["value"]), r["sheet"], r["cell"]))
exp = set()
for r in csv.DictReader(open(os.path.join(fx, "expected-records.csv"), encoding="utf-8")):
    exp.add((r["unit"], r["year"], r["group"], r["metric"], r["breakdown"], float(r["value"]), r["sheet"], r["cell"]))
for x in sorted(exp - got): fail.append("missing record %s" % (x,))
for x in sorted(got - exp): fail.append("unexpected record %s" % (x,))
errs, bad = set(), []
for r in csv.DictReader(open(os.path.join(out, "issues.csv"), encoding="utf-8")):
    if r["severity"] == "error": errs.add((r["rule"], r["sheet"], r["cell"]))
    if r["rule"] in ("unmapped_row", "unmapped_column", "cells_outside_tables", "unit_unknown",
                     "unit_ambiguous", "year_missing", "no_form"):
        bad.append("%s %s!%s %s" % (r["rule"], r["sheet"], r["cell"], r["file"]))
expe = set(tuple(r) for r in list(csv.reader(open(os.path.join(fx, "expected-errors.csv"), encoding="utf-8")))[1:])
for x in sorted(expe - errs): fail.append("missing error %s" % (x,))
for x in sorted(errs - expe): fail.append("unexpected error %s" % (x,))
fail += ["unexpected finding " + b for b in bad]
for f in fail[:20]: print("variations.t.sh:", f)
print("variations.t.sh: %d records, %d error findings%s" % (len(got), len(errs), ", FAILED" if fail else ""))
sys.exit(1 if fail else 0)
PYEOF
