#!/bin/sh
# tests/e2e/plan-form.t.sh — the blank plan form (`dtbd template --plan`) filled
# with every content, group, quarter, place and source of its own drop-down lists
# by openpyxl (tests/e2e/fill_plan_form.py) comes back from `dtbd plan` exactly:
# plan-records.csv row for row (codes, breakdowns given, quarter, provider, cost,
# source, cell), no error and no unmatched content or group; the same workbook
# saved by LibreOffice as .xls reads back the same. The form opens in openpyxl
# with its lists on a hidden sheet and its drop-downs as cell ranges. Fails —
# never skips — when python3 or soffice is missing.
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "plan-form.t.sh: /usr/bin/python3 missing"; exit 1; }
command -v soffice >/dev/null 2>&1 || { echo "plan-form.t.sh: soffice missing"; exit 1; }
here=$(pwd)
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fail() { echo "plan-form.t.sh: $*"; exit 1; }
$DTBD_WRAP "$DTBD" config >"$t/cfg.yaml" || fail "dtbd config failed"
unit=h-an-bien
# libxlsxwriter 1.1.4 leaks the formula of each cell-range list (tests/lsan.supp)
LSAN_OPTIONS="suppressions=$here/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}" \
  $DTBD_WRAP "$DTBD" template --plan --unit $unit --year 2025 -o "$t/form.xlsx" || fail "template --plan failed"
"$PY" - "$t/form.xlsx" <<'PY' || fail "the blank form is not as planned"
import sys, warnings, openpyxl
warnings.simplefilter("error")
wb = openpyxl.load_workbook(sys.argv[1])
assert wb.sheetnames == ["Biểu KH", "Danh mục"], wb.sheetnames
assert wb["Danh mục"].sheet_state == "hidden"
ws = wb["Biểu KH"]
assert ws.protection.sheet
dv = ws.data_validations.dataValidation
lists = [d for d in dv if d.type == "list"]
assert len(lists) == 6, len(lists)
assert all(d.formula1.startswith("'Danh mục'!$") for d in lists), [d.formula1 for d in lists]
assert any(d.type == "whole" for d in dv) and any(d.type == "decimal" for d in dv)
PY
cd "$t" || exit 1
"$PY" "$here/tests/e2e/fill_plan_form.py" form.xlsx kh-$unit-2025.xlsx cfg.yaml $unit 2025 expected.csv ||
  fail "filling the form failed"
$DTBD_WRAP "$DTBD" plan --year 2025 -o out kh-$unit-2025.xlsx 2>stderr
rc=$?
[ $rc -eq 0 ] || { cat stderr out/issues.csv; fail "dtbd plan exited $rc on the filled form"; }
diff expected.csv out/plan-records.csv >diff.txt || { head -20 diff.txt; fail "plan-records.csv differs from what was typed"; }
grep -E '^error|plan_content_unmatched|plan_group_unmatched|unmapped_column|total_mismatch' out/issues.csv &&
  fail "findings on a form filled from its own lists"
# the same workbook saved by a real spreadsheet program as .xls
mkdir xls && cp kh-$unit-2025.xlsx xls/ && (cd xls && soffice --headless --convert-to xls kh-$unit-2025.xlsx >/dev/null 2>&1)
rm -f xls/kh-$unit-2025.xlsx
[ -s xls/kh-$unit-2025.xls ] || fail "LibreOffice did not convert the filled form"
$DTBD_WRAP "$DTBD" plan --year 2025 -o out2 xls/kh-$unit-2025.xls 2>/dev/null || fail "dtbd plan failed on the .xls"
sed "s#,kh-$unit-2025.xlsx,#,xls/kh-$unit-2025.xls,#" expected.csv >expected-xls.csv
diff expected-xls.csv out2/plan-records.csv >diff2.txt || { head -20 diff2.txt; fail "the .xls reads back differently"; }
n=$(($(wc -l <expected.csv) - 1))
echo "plan-form.t.sh: $n records typed into the blank plan form = plan-records.csv (.xlsx and LibreOffice .xls)"
exit 0
