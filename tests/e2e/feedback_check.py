#!/usr/bin/python3
"""tests/e2e/feedback_check.py OUT UNITS — phan-hoi/ against the run's own CSVs.

OUT is a run's output folder, UNITS the output of `dtbd units`. Checks: one
workbook per expected unit (sent something, has a finding, or an agency or
district active in a year of the run) and no other; each opens with openpyxl
and has the three sheets; its findings are exactly issues.csv's rows for the
unit (its code, or no unit on one of its files); every rule carries its
Vietnamese name; no path shows the analyst's INPUT folder; don-doc.csv's
`report` rows are the unit_missing_report findings."""
import csv, os, sys
import openpyxl

out, units_txt = sys.argv[1], sys.argv[2]
fb = os.path.join(out, "phan-hoi")
bad = []

def rows(name):
    with open(os.path.join(out, name), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))

issues, sources = rows("issues.csv"), rows("sources.csv")
file_unit = {s["file"]: s["unit"] for s in sources}
years = {int(s["year"]) for s in sources if s["status"] == "accepted" and s["year"] and 2021 <= int(s["year"]) <= 2025}

registry = {}
for line in open(units_txt, encoding="utf-8").read().splitlines()[1:]:
    p = line.split()
    code, kind, frm, to = p[0], p[1], p[2], p[3]
    registry[code] = (kind, int(frm[:4]) if frm != "-" else 0, int(to[:4]) if to != "-" else 9999)

def active(code, y):
    _, a, b = registry[code]
    return a <= y <= b

expected = set()
for code, (kind, _, _) in registry.items():
    if any(s["unit"] == code for s in sources) or any(i["unit"] == code for i in issues):
        expected.add(code)
    elif kind != "provider" and any(active(code, y) for y in years):
        expected.add(code)
got = {f[:-5] for f in os.listdir(fb) if f.endswith(".xlsx")}
if got != expected:
    bad.append("workbooks: missing %s, extra %s" % (sorted(expected - got), sorted(got - expected)))

def mine(i, code):
    return i["unit"] == code or (i["unit"] == "" and file_unit.get(i["file"]) == code)

for code in sorted(got & expected):
    try:
        wb = openpyxl.load_workbook(os.path.join(fb, code + ".xlsx"), read_only=True)
    except Exception as e:  # noqa: BLE001 — any failure to open is the finding
        bad.append("%s.xlsx does not open: %s" % (code, e))
        continue
    if wb.sheetnames != ["Cần gửi lại", "Tệp đã gửi", "Phát hiện"]:
        bad.append("%s: sheets %s" % (code, wb.sheetnames))
        continue
    cells = [r for ws in wb for r in ws.iter_rows(values_only=True)]
    if any(isinstance(v, str) and "tests/corpus/inbox" in v for r in cells for v in r):
        bad.append("%s: a path still shows the INPUT folder" % code)
    found = [r for r in wb["Phát hiện"].iter_rows(min_row=6, values_only=True) if isinstance(r[0], (int, float))]
    want = [i for i in issues if mine(i, code)]
    if len(found) != len(want):
        bad.append("%s: %d findings in the workbook, %d rows of issues.csv" % (code, len(found), len(want)))
    elif sorted((r[3], r[6] or "") for r in found) != sorted((i["rule"], i["cell"]) for i in want):
        bad.append("%s: the findings differ from issues.csv" % code)
    if any(r[2] == r[3] for r in found):
        bad.append("%s: a rule without its Vietnamese name" % code)
    if wb["Cần gửi lại"]["A1"].value is None or code not in (wb["Cần gửi lại"]["A2"].value or ""):
        bad.append("%s: no title block naming the unit" % code)
    wb.close()

with open(os.path.join(fb, "don-doc.csv"), encoding="utf-8", newline="") as f:
    dd = list(csv.DictReader(f))
report = sorted((d["unit"], d["year"]) for d in dd if d["missing"] == "report")
missing = sorted((i["unit"], i["year"]) for i in issues if i["rule"] == "unit_missing_report")
if report != missing:
    bad.append("don-doc.csv report rows %s != unit_missing_report %s" % (report, missing))
if not missing:
    bad.append("the run has no unit_missing_report: the test proves nothing")
for d in dd:
    if d["missing"] not in ("report", "tables") or not d["tables"].startswith("Biểu") or d["unit"] not in registry:
        bad.append("don-doc.csv: bad row %s" % d)
for b in bad:
    print("feedback_check.py: " + b)
print("feedback_check.py: %d workbooks, %d reminders" % (len(got), len(dd)), file=sys.stderr)
sys.exit(1 if bad else 0)
