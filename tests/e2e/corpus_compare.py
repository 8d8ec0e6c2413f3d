#!/usr/bin/python3
"""tests/e2e/corpus_compare.py OUT TRUTH [--stage 3|4]

Compares what `dtbd run` wrote to OUT (records.csv, issues.csv, sources.csv)
with the generated corpus' truth (tests/corpus/truth/), value for value.

Stage 3 (form recognition): every true record is found with the right unit,
year, group, metric, breakdown, value, file, sheet and cell; no canonical cell
is unmapped; every finding of the recognition rules is one the generator
planted, and each planted one is found. Records the validation stage will
reject or supersede (issue 4) may still be present: they must belong to a
superseded file or sit on a cell where a finding is planted.
Stage 4 adds: records match exactly, every planted finding of every rule is
found, and sources' statuses match.

A truth without records.csv (the demo inbox, examples/truth/) has a `records`
column in its sources.csv instead: each file's number of records is compared,
not the records themselves.

Prints one line per discrepancy (at most 20 of each kind) and a closing
"N passed, M failed" line; exit 0 only when nothing failed.
"""
import csv
import os
import sys

STAGE3_RULES = {"file_unreadable", "file_unsupported", "no_form", "unit_unknown",
                "unit_ambiguous", "year_missing", "year_outside_plan", "year_conflict",
                "not_a_number", "unmapped_row", "unmapped_column",
                "legacy_encoding_repaired", "unit_inactive"}


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main():
    out, truth = sys.argv[1], sys.argv[2]
    stage = 4 if "--stage" in sys.argv and sys.argv[sys.argv.index("--stage") + 1] == "4" else 3
    passed = failed = 0
    shown = {}

    def fail(kind, msg):
        nonlocal failed
        failed += 1
        shown[kind] = shown.get(kind, 0) + 1
        if shown[kind] <= 20:
            print(f"FAIL {kind}: {msg}")

    cols = ["unit", "year", "group", "metric", "breakdown", "value", "file", "sheet", "cell"]
    has_records = os.path.exists(f"{truth}/records.csv")
    t_rec = rows(f"{truth}/records.csv") if has_records else []
    o_rec = rows(f"{out}/records.csv")
    if o_rec and list(o_rec[0].keys()) != cols:
        fail("columns", f"records.csv columns {list(o_rec[0].keys())}")
    key = lambda r: tuple(r[c] for c in cols)
    t_keys = {key(r) for r in t_rec}
    o_keys = {key(r) for r in o_rec}
    t_find = rows(f"{truth}/findings.csv")
    t_src = rows(f"{truth}/sources.csv")
    superseded = {s["file"] for s in t_src if s["status"] == "superseded"}
    finding_cells = {(f["file"], f["sheet"], f["cell"]) for f in t_find if f["cell"]}
    unmapped_files = {f["file"] for f in t_find if f["rule"] in ("unmapped_row", "unmapped_column")}

    # every true record found, value for value, with its provenance
    by_cell = {(r["file"], r["sheet"], r["cell"]): r for r in o_rec}
    for r in t_rec:
        if key(r) in o_keys:
            passed += 1
            continue
        got = by_cell.get((r["file"], r["sheet"], r["cell"]))
        fail("record", f"{r['file']}!{r['sheet']}!{r['cell']} expected "
             f"{r['unit']} {r['year']} {r['group']}.{r['metric']}.{r['breakdown']}={r['value']}"
             + (f", got {got['unit']} {got['year']} {got['group']}.{got['metric']}."
                f"{got['breakdown']}={got['value']}" if got else ", got nothing"))
    # nothing else, except what a later stage removes
    for r in o_rec if has_records else []:
        k = key(r)
        if k in t_keys:
            continue
        if "unmapped" in (r["group"], r["metric"]):
            if r["file"] in unmapped_files:
                passed += 1
            else:
                fail("unmapped", f"{r['file']}!{r['sheet']}!{r['cell']} unmapped {r['group']}.{r['metric']}")
            continue
        if stage == 3 and (r["file"] in superseded or (r["file"], r["sheet"], r["cell"]) in finding_cells):
            passed += 1
            continue
        fail("extra-record", f"{r['file']}!{r['sheet']}!{r['cell']} "
             f"{r['unit']} {r['year']} {r['group']}.{r['metric']}.{r['breakdown']}={r['value']}")
    if not has_records:
        # the demo's truth: each file's number of records (records.csv and sources.csv)
        per_file = {}
        for r in o_rec:
            per_file[r["file"]] = per_file.get(r["file"], 0) + 1
        for s in t_src:
            want = int(s["records"])
            if per_file.get(s["file"], 0) == want:
                passed += 1
            else:
                fail("record-count", f"{s['file']}: {per_file.get(s['file'], 0)} records in records.csv, "
                     f"expected {want}")
        for f in per_file:
            if f not in {s["file"] for s in t_src}:
                fail("record-count", f"{f}: records from a file the truth does not list")

    # findings: planted ones found, found ones planted
    o_find = rows(f"{out}/issues.csv")
    rules = STAGE3_RULES if stage == 3 else {f["rule"] for f in t_find} | {f["rule"] for f in o_find}

    def matches(t, o):
        if t["rule"] != o["rule"] or t["severity"] != o["severity"]:
            return False
        if t["file"] and t["file"] != o["file"]:
            return False
        if not t["file"] and (t["unit"] != o["unit"] or t["year"] != o["year"]):
            return False
        if t["sheet"] and t["sheet"] != o["sheet"]:
            return False
        if t["cell"] and t["cell"] != o["cell"]:
            return False
        return True

    for t in t_find:
        if t["rule"] not in rules:
            continue
        if any(matches(t, o) for o in o_find):
            passed += 1
        else:
            fail("finding-missed", f"{t['severity']} {t['rule']} {t['file']}!{t['sheet']}!{t['cell']} "
                 f"{t['unit']} {t['year']}")
    for o in o_find:
        if o["rule"] not in rules:
            continue
        if o["severity"] == "error" or o["rule"] in STAGE3_RULES or stage == 4:
            if any(matches(t, o) for t in t_find):
                passed += 1
            else:
                fail("finding-unplanted", f"{o['severity']} {o['rule']} {o['file']}!{o['sheet']}!"
                     f"{o['cell']}: {o['message']}")
    if stage == 3:
        # no error of a later stage's rules may appear on a file that has none planted
        planted_err_files = {t["file"] for t in t_find if t["severity"] == "error"}
        for o in o_find:
            if o["severity"] == "error" and o["rule"] not in STAGE3_RULES and o["file"] not in planted_err_files:
                fail("finding-unplanted", f"{o['rule']} {o['file']}!{o['sheet']}!{o['cell']}: {o['message']}")

    # sources: every file listed, with its unit, year and format, and its
    # non-empty cells reconciled: read = recorded + rejected + outside
    o_src = {s["file"]: s for s in rows(f"{out}/sources.csv")}
    for f, o in o_src.items():
        n = [int(o[k]) for k in ("cells_read", "cells_recorded", "cells_rejected", "cells_outside")]
        if n[0] == n[1] + n[2] + n[3]:
            passed += 1
        else:
            fail("reconcile", f"{f}: read {n[0]} != recorded {n[1]} + rejected {n[2]} + outside {n[3]}")
    for s in t_src:
        o = o_src.get(s["file"])
        if not o:
            fail("source", f"{s['file']} not in sources.csv")
            continue
        # the truth leaves the format empty for files that are no workbook
        # (.ods, .docx, random bytes): dtbd names what it sniffed there
        ok = (o["format"] == s["format"] or not s["format"]) and o["unit"] == s["unit"] \
            and o["year"] == s["year"]
        if stage == 4 or s["status"] != "superseded":
            ok = ok and o["status"] == s["status"]
        if "records" in s:
            ok = ok and o["records"] == s["records"]
        if ok:
            passed += 1
        else:
            fail("source", f"{s['file']}: expected {s['format']} {s['unit']} {s['year']} {s['status']} "
                 f"{s.get('records', '')}, got {o['format']} {o['unit']} {o['year']} {o['status']} "
                 f"{o['records'] if 'records' in s else ''}")
    print(f"corpus (stage {stage}): {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
