#!/bin/sh
# tests/e2e/xls.t.sh — `dtbd dump` of the LibreOffice-made report.xls against
# the values of its source (tests/fixtures/xls/make.py), written out by hand;
# the files the FreeXL guards keep from FreeXL, read within seconds; and one
# clear error line, non-zero exit, for each hostile .xls.
set -u
fail() { echo "xls.t.sh: $*" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fix=tests/fixtures/xls
tab=$(printf '\t')

# The two long cells: 5000 × "ạ" (a shared string over CONTINUE records) and
# =REPT("ab",6000) (a formula string over CONTINUE records).
long_a=$(i=0; while [ $i -lt 5000 ]; do printf 'ạ'; i=$((i+1)); done)
long_ab=$(i=0; while [ $i -lt 6000 ]; do printf 'ab'; i=$((i+1)); done)

cat > "$tmp/want" <<END
# sheet Biểu 01
A1${tab}text${tab}BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG
A2${tab}text${tab}STT
B2${tab}text${tab}Đơn vị
C2${tab}text${tab}Nam
D2${tab}text${tab}Nữ
E2${tab}text${tab}Tổng
A3${tab}number${tab}1
B3${tab}text${tab}Sở Nội vụ
C3${tab}number${tab}12
D3${tab}number${tab}30
E3${tab}number${tab}42
A4${tab}number${tab}2
B4${tab}text${tab}UBND huyện Châu Thành
C4${tab}number${tab}7.5
D4${tab}number${tab}0.25
E4${tab}number${tab}7.75
A5${tab}text${tab}Tổng cộng
C5${tab}number${tab}19.5
D5${tab}number${tab}30.25
E5${tab}number${tab}49.75
A6${tab}text${tab}có
B6${tab}text${tab}Sở Nội vụ x
C6${tab}bool${tab}FALSE
D6${tab}error${tab}#DIV/0!
E6${tab}error${tab}#N/A
A7${tab}date${tab}2024-12-31
B7${tab}date${tab}2024-12-31T08:30:00
C7${tab}number${tab}1234.5
D7${tab}date${tab}2025-01-01
E7${tab}bool${tab}TRUE
F7${tab}bool${tab}FALSE
A8${tab}text${tab}Tæng céng
B8${tab}text${tab}Nguyễn Thị Ánh
C8${tab}number${tab}-0.1
D8${tab}number${tab}1234567
E8${tab}number${tab}0.0015
F8${tab}number${tab}1e+20
A9${tab}text${tab}dòng 1\\ndòng 2\\ttab \\\\ gạch
B9${tab}text${tab}${long_a}
C9${tab}text${tab}${long_ab}
D9${tab}number${tab}5000
# merge A1:E1
# merge A5:B5
# sheet Ẩn hidden
A1${tab}text${tab}trang ẩn
# sheet Rất ẩn hidden
B2${tab}number${tab}42
# sheet Trống
END

$DTBD_WRAP "$DTBD" dump "$fix/report.xls" > "$tmp/got" 2> "$tmp/err" || fail "dump report.xls exited $?: $(cat "$tmp/err")"
if ! cmp -s "$tmp/want" "$tmp/got"; then
  diff "$tmp/want" "$tmp/got" | cut -c1-120 | head -20 >&2
  fail "dump report.xls differs from the expected cells"
fi

# The same workbook with its BIFF8 stream named "BOOK" (as BIFF5 names it):
# the BOF version decides, so it reads cell for cell the same.
$DTBD_WRAP "$DTBD" dump "$fix/book-stream.xls" > "$tmp/got" 2> "$tmp/err" || fail "dump book-stream.xls exited $?: $(cat "$tmp/err")"
cmp -s "$tmp/want" "$tmp/got" || fail "dump book-stream.xls differs from report.xls"

# Excel 5.0/95 (BIFF5) written by Gnumeric with CODEPAGE 1258, as xlrd
# reads it (NFC), except the .VnTime cell A6: its TCVN3 bytes stay as
# Windows-1252 code points for the legacy font repair (input/xls.h).
cat > "$tmp/want" <<END
# sheet Biểu 01
A1${tab}text${tab}Báo cáo kết quả đào tạo năm 2024
B1${tab}text${tab}Đơn vị
C1${tab}text${tab}Báo cáo kết quả đào tạo, bồi dưỡng cán bộ, công chức năm 2024
A2${tab}number${tab}12
B2${tab}number${tab}7.5
C2${tab}number${tab}19.5
D2${tab}text${tab}có
A3${tab}date${tab}2024-12-31
B3${tab}date${tab}2024-12-31T08:30:00
C3${tab}bool${tab}TRUE
D3${tab}error${tab}#DIV/0!
E3${tab}bool${tab}FALSE
F3${tab}number${tab}1234.5
A4${tab}text${tab}Tæng céng
B4${tab}number${tab}1234567
C4${tab}number${tab}-0.1
A5${tab}text${tab}gộp
A6${tab}text${tab}B¸o c¸o vÒ ®µo t¹o
B6${tab}text${tab}B¸o c¸o v̉ ®µo t¹o
# merge A5:C5
# sheet Ẩn hidden
A1${tab}text${tab}trang ẩn
END
$DTBD_WRAP "$DTBD" dump "$fix/biff5-1258.xls" > "$tmp/got" 2> "$tmp/err" || fail "dump biff5-1258.xls exited $?: $(cat "$tmp/err")"
diff "$tmp/want" "$tmp/got" >&2 || fail "dump biff5-1258.xls differs"

# The 1904 date system: the date reads as the same day.
$DTBD_WRAP "$DTBD" dump "$fix/date1904.xls" > "$tmp/got" || fail "dump date1904.xls exited $?"
printf '# sheet Mac\nA1\tdate\t2024-12-31\nB1\tnumber\t100\n' > "$tmp/want"
cmp -s "$tmp/want" "$tmp/got" || fail "dump date1904.xls: $(cat "$tmp/got")"

# Files kept from FreeXL by the guards (input/xls.h) read from the records,
# quickly: date-formatted serials FreeXL would count day by day (2e9), a
# DIMENSION of 65536 × 256 it would allocate, no DIMENSION at all.
printf '# sheet Trang\nA1\tnumber\t2000000000\nB1\tnumber\t536870911\nC1\tdate\t2024-12-31\nD1\tnumber\t7\n' > "$tmp/want"
timeout 10 $DTBD_WRAP "$DTBD" dump "$fix/date-huge.xls" > "$tmp/got" || fail "dump date-huge.xls exited $?"
cmp -s "$tmp/want" "$tmp/got" || fail "dump date-huge.xls: $(cat "$tmp/got")"
printf '# sheet Trang\nA1\tnumber\t1\nB1\tnumber\t2.5\n' > "$tmp/want"
timeout 10 $DTBD_WRAP "$DTBD" dump "$fix/dim-huge.xls" > "$tmp/got" || fail "dump dim-huge.xls exited $?"
cmp -s "$tmp/want" "$tmp/got" || fail "dump dim-huge.xls: $(cat "$tmp/got")"
printf '# sheet Trang\nA1\tnumber\t1\nB2\ttext\tkhông DIMENSION\n' > "$tmp/want"
timeout 10 $DTBD_WRAP "$DTBD" dump "$fix/no-dimension.xls" > "$tmp/got" || fail "dump no-dimension.xls exited $?"
cmp -s "$tmp/want" "$tmp/got" || fail "dump no-dimension.xls: $(cat "$tmp/got")"

# The font name reaches the JSON dump.
$DTBD_WRAP "$DTBD" dump --json "$fix/report.xls" > "$tmp/json" || fail "dump --json exited $?"
grep -q '"ref":"A8"[^}]*"font":".VnTime"' "$tmp/json" || fail "A8 has no .VnTime font in JSON"

# Hostile and unsupported files: non-zero exit, one line naming the file.
for f in truncated.xls random-ole.xls fat-loop.xls filepass.xls encrypted-ooxml.xls \
         no-workbook.doc biff4.xls; do
  timeout 10 $DTBD_WRAP "$DTBD" dump "$fix/$f" > /dev/null 2> "$tmp/err"
  rc=$?
  [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || fail "$f: exit $rc"
  [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "$f: expected one error line, got: $(cat "$tmp/err")"
  grep -q "$f" "$tmp/err" || fail "$f: error does not name the file"
done
grep -q "mật khẩu" "$tmp/err" && fail "biff4.xls: wrong reason"
$DTBD_WRAP "$DTBD" dump "$fix/filepass.xls" 2>&1 >/dev/null | grep -q "mật khẩu" || fail "filepass.xls: no password reason"
exit 0
