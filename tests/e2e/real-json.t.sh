#!/bin/sh
# tests/e2e/real-json.t.sh — `dtbd dump --json` of the real-program fixtures
# is valid JSON and says what the text dump says (cells, merges, hidden
# flags), names the sniffed format (by content: an .xls named .xlsx is "xls"),
# and carries font names: the TCVN3 cells are in ".VnTime", the Unicode ones
# are not. Needs a python3 for the JSON parser: without one it fails (CI
# installs it; a check that did not run never counts as passed).
. tests/fixtures/real/lib.sh
py=
if [ -x /usr/bin/python3 ]; then py=/usr/bin/python3
elif command -v python3 >/dev/null 2>&1; then py=python3
else echo "real-json.t.sh: python3 is missing (install python3): cannot check the JSON"; exit 1
fi
R=$F/bao-cao-giong-rieng-2024

json_check() {   # NAME FILE EXPECTED FORMAT [FONT CHECKS…]
  real_name=$1; file=$2; exp=$3; fmt=$4; shift 4
  $DTBD_WRAP "$DTBD" dump --json "$file" >"$real_tmp/json" 2>"$real_tmp/err"
  rc=$?
  if [ "$rc" -ne 0 ]; then
    real_fail "dtbd dump --json $file exited $rc: $(head -n 1 "$real_tmp/err")"
    return
  fi
  msg=$("$py" "$F/check_json.py" "$exp" "$fmt" "$@" <"$real_tmp/json") ||
    real_fail "$file: $msg"
}

json_check json_lo_xlsx "$R.xlsx" "$R.xlsx.dump" xlsx \
  "Biểu 02!A14=.VnTime" "Biểu 02!A15=.VnTime" "Biểu 02!B7!=.VnTime" "Biểu 01!A1=Times New Roman"
json_check json_lo_xls "$R.xls" "$R.xls.dump" xls \
  "Biểu 02!A14=.VnTime" "Biểu 02!A15=.VnTime" "Biểu 02!B7!=.VnTime" "Biểu 01!A1=Times New Roman"
json_check json_lo_csv "$R.csv" "$R.csv.dump" csv
json_check json_xls_named_xlsx "$F/xls-named-as.xlsx" "$R.xls.dump" xls "Biểu 02!A14=.VnTime"
json_check json_xlsx_named_csv "$F/xlsx-named-as.csv" "$R.xlsx.dump" xlsx "Biểu 02!A14=.VnTime"
json_check json_lxw "$F/lxw-constant-memory.xlsx" "$F/lxw-constant-memory.xlsx.dump" xlsx \
  "Biểu 03!A14=.VnTime" "Biểu 03!A1!=.VnTime"
finish
