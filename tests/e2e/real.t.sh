#!/bin/sh
# tests/e2e/real.t.sh — workbooks saved by LibreOffice headless (.xlsx, .xls
# BIFF8, .csv) from one authored report (tests/fixtures/real/make.py): merged
# two-row headers, SUM totals read as cached values, formulas yielding a
# string, a boolean and #DIV/0!, a date and a datetime, a hidden sheet between
# two visible ones, a .VnTime cell in TCVN3, decomposed (NFD) text, tab,
# newline and backslashes. Expected dumps were written by construction and
# cross-checked with openpyxl and xlrd; the .xls and .xlsx expectations differ
# in one documented cell (LibreOffice writes 15 digits into .xlsx).
. tests/fixtures/real/lib.sh
R=$F/bao-cao-giong-rieng-2024

expect_dump lo_xlsx_report "$R.xlsx" "$R.xlsx.dump"
expect_dump lo_xls_report "$R.xls" "$R.xls.dump"
expect_dump lo_csv_export "$R.csv" "$R.csv.dump"

# format by content, not by name
expect_dump xls_named_xlsx_read_as_xls "$F/xls-named-as.xlsx" "$R.xls.dump"
expect_dump xlsx_named_csv_read_as_xlsx "$F/xlsx-named-as.csv" "$R.xlsx.dump"

# --sheet by name (a sheet after a hidden one) and by 1-based index (the
# hidden sheet itself)
real_sheet_part "$R.xlsx.dump" "Biểu 02" >"$real_tmp/b02.exp"
expect_dump dump_sheet_by_name "$R.xlsx" "$real_tmp/b02.exp" --sheet "Biểu 02"
real_sheet_part "$R.xls.dump" "Hướng dẫn" >"$real_tmp/hd.exp"
expect_dump dump_sheet_by_index_hidden "$R.xls" "$real_tmp/hd.exp" --sheet 2

finish
