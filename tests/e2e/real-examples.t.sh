#!/bin/sh
# tests/e2e/real-examples.t.sh — the three sample reports (once the inbox `make demo` ran on)
# (tests/fixtures/real/examples-inbox/, saved by LibreOffice) read as authored: expected dumps
# by construction in tests/fixtures/real/inbox-expected/ (make.py).
. tests/fixtures/real/lib.sh
E=$F/inbox-expected
expect_dump inbox_so_noi_vu_xls tests/fixtures/real/examples-inbox/so-noi-vu-2024.xls "$E/so-noi-vu-2024.xls.dump"
expect_dump inbox_tan_hiep_xlsx tests/fixtures/real/examples-inbox/h-tan-hiep-2024.xlsx "$E/h-tan-hiep-2024.xlsx.dump"
expect_dump inbox_ha_tien_csv tests/fixtures/real/examples-inbox/tp-ha-tien-2024-bieu01.csv \
  "$E/tp-ha-tien-2024-bieu01.csv.dump"
finish
