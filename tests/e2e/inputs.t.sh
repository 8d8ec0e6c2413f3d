#!/bin/sh
# tests/e2e/inputs.t.sh — format by content (DESIGN §4.1): a report read
# under other names (.xlsm with a macro part, upper-case .XLSX/.XLS, no
# extension, "x.xlsx.xlsx", an .xls named .xlsx) and as Excel's "Unicode
# text" (UTF-16LE, tab, CRLF) gives exactly the records of the loose file,
# file column aside. Inboxes are made in a temporary folder from
# tests/fixtures/real (inputs_helper.py).
set -u
tmp=$(mktemp -d) || exit 1
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
H="/usr/bin/python3 tests/e2e/inputs_helper.py"
R=tests/fixtures/real/bao-cao-giong-rieng-2024
fails=0
fail() { echo "inputs.t.sh: $*"; fails=$((fails + 1)); }

# run NAME: dtbd run on $tmp/in-NAME into $tmp/out-NAME; the records, file
# column aside, into $tmp/NAME.rec
run() {
  $DTBD_WRAP "$DTBD" run --no-charts -o "$tmp/out-$1" "$tmp/in-$1" >/dev/null 2>"$tmp/err-$1"
  rc=$?
  [ "$rc" -le 1 ] || { fail "$1: exit $rc: $(cat "$tmp/err-$1")"; return 1; }
  $H records "$tmp/out-$1/records.csv" >"$tmp/$1.rec"
}

# same NAME REF: NAME's records are REF's, and not none
same() {
  [ -s "$tmp/$2.rec" ] || { fail "$2: no records"; return; }
  cmp -s "$tmp/$1.rec" "$tmp/$2.rec" ||
    fail "$1: records differ from $2: $(diff "$tmp/$2.rec" "$tmp/$1.rec" | head -3 | tr '\n' ' ')"
}

# one file in its own inbox: mk NAME FILE-NAME SOURCE
mk() { mkdir -p "$tmp/in-$1" && cp "$3" "$tmp/in-$1/$2"; }

mk xlsx bao-cao-giong-rieng-2024.xlsx "$R.xlsx"; run xlsx
mk xls bao-cao-giong-rieng-2024.xls "$R.xls"; run xls
mk csv bao-cao-giong-rieng-2024.csv "$R.csv"; run csv

# .xlsx under other names, read by content
mkdir -p "$tmp/in-xlsm"
$H xlsm "$R.xlsx" "$tmp/in-xlsm/bao-cao-giong-rieng-2024.xlsm"
run xlsm && same xlsm xlsx
grep -q 'bao-cao-giong-rieng-2024.xlsm,[0-9a-f]\{64\},xlsx,h-giong-rieng,2024,accepted' "$tmp/out-xlsm/sources.csv" ||
  fail "xlsm: not accepted as xlsx: $(cat "$tmp/out-xlsm/sources.csv")"
mk upper BAO-CAO-GIONG-RIENG-2024.XLSX "$R.xlsx"; run upper && same upper xlsx
mk noext bao-cao-giong-rieng-2024 "$R.xlsx"; run noext && same noext xlsx
mk double x.xlsx.xlsx "$R.xlsx"; run double && same double xlsx
# .xls under other names
mk xlsup BAO-CAO-2024.XLS "$R.xls"; run xlsup && same xlsup xls
mk xlsasx bao-cao-2024.xlsx "$R.xls"; run xlsasx && same xlsasx xls
grep -q 'bao-cao-2024.xlsx,[0-9a-f]\{64\},xls,' "$tmp/out-xlsasx/sources.csv" || fail "xls named .xlsx: format not xls"

# Excel's "Unicode text": same records as the CSV (same stem: same sheet name)
mkdir -p "$tmp/in-utf16"
$H unicode-text "$R.csv" "$tmp/in-utf16/bao-cao-giong-rieng-2024.txt"
run utf16 && same utf16 csv
grep -q 'text_repaired' "$tmp/out-utf16/issues.csv" && fail "utf16: a clean file reported as repaired"
# … and with a lone surrogate: read, with one note saying so
mkdir -p "$tmp/in-lone"
{ cat "$tmp/in-utf16/bao-cao-giong-rieng-2024.txt"; printf '\000\330\r\000\n\000'; } >"$tmp/in-lone/bao-cao-giong-rieng-2024.txt"
run lone && same lone csv
grep -q '^info,text_repaired,.*bao-cao-giong-rieng-2024.txt,.*1 ký tự hỏng' "$tmp/out-lone/issues.csv" ||
  fail "lone surrogate: no text_repaired note"

[ "$fails" -eq 0 ]
