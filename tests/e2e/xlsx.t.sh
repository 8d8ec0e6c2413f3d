#!/bin/sh
# tests/e2e/xlsx.t.sh — `dtbd dump` of the .xlsx fixtures made by LibreOffice
# and by libxlsxwriter (constant_memory) against their values as openpyxl
# reads them (tests/fixtures/xlsx/make.py, check_real()), written out by hand;
# and one clear error line, non-zero exit, within seconds, for each hostile
# .xlsx.
set -u
fail() { echo "xlsx.t.sh: $*" >&2; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fix=tests/fixtures/xlsx
tab=$(printf '\t')

cat > "$tmp/want" <<END
# sheet Biểu 01
A1${tab}text${tab}Báo cáo kết quả đào tạo, bồi dưỡng năm 2024
A2${tab}text${tab}Đơn vị
B2${tab}text${tab}Nam
C2${tab}text${tab}Nữ
D2${tab}text${tab}Tổng
A3${tab}text${tab}Sở Nội vụ
B3${tab}number${tab}12
C3${tab}number${tab}30
D3${tab}number${tab}42
A4${tab}text${tab}Sở Tài chính
B4${tab}number${tab}7
C4${tab}number${tab}8.5
D4${tab}number${tab}15.5
A6${tab}text${tab}Ngày lập
B6${tab}date${tab}2024-12-31
A7${tab}text${tab}Trường
A8${tab}bool${tab}TRUE
# merge A1:D1
# sheet Ẩn hidden
A1${tab}text${tab}hidden
END
$DTBD_WRAP "$DTBD" dump "$fix/libreoffice.xlsx" > "$tmp/got" || fail "libreoffice.xlsx: exit $?"
diff -u "$tmp/want" "$tmp/got" >&2 || fail "libreoffice.xlsx: dump differs"
# The same zip with Windows separators in its entry names (xl\workbook.xml).
$DTBD_WRAP "$DTBD" dump "$fix/backslash_names.xlsx" > "$tmp/got" || fail "backslash_names.xlsx: exit $?"
diff -u "$tmp/want" "$tmp/got" >&2 || fail "backslash_names.xlsx: dump differs"

cat > "$tmp/want" <<END
# sheet Dữ liệu
A1${tab}text${tab}Tổng hợp
B1${tab}text${tab}Nguyễn Văn A
A2${tab}number${tab}12.5
B2${tab}number${tab}-3
C2${tab}date${tab}2024-12-31T08:30:00
D2${tab}bool${tab}TRUE
A3${tab}number${tab}25
B3${tab}text${tab}ab
A4${tab}text${tab}tab\\there
END
i=5
while [ $i -le 204 ]; do echo "A$i${tab}number${tab}$((i - 1))" >> "$tmp/want"; i=$((i + 1)); done
printf '# sheet Ẩn hidden\nA1\ttext\tẩn\n' >> "$tmp/want"
$DTBD_WRAP "$DTBD" dump "$fix/xlsxwriter_cm.xlsx" > "$tmp/got" || fail "xlsxwriter_cm.xlsx: exit $?"
diff -u "$tmp/want" "$tmp/got" >&2 || fail "xlsxwriter_cm.xlsx: dump differs"

# Hostile files: non-zero exit, one stderr line naming the file and the reason.
for case in "bomb_bzip2.xlsx:zip bomb" "bomb_deflate.xlsx:zip bomb" \
            "bomb_lying.xlsx:kích thước khai báo" "entity_bomb.xlsx:DTD" \
            "deep.xlsx:lồng sâu" "truncated.xlsx:cắt cụt" "random.xlsx:không nhận ra" \
            "random_pk.xlsx:zip" "no_workbook.xlsx:xl/workbook.xml" \
            "rel_outside.xlsx:ngoài tệp"; do
    f=${case%%:*}
    why=${case#*:}
    start=$(date +%s)
    if $DTBD_WRAP "$DTBD" dump "$fix/$f" > /dev/null 2> "$tmp/err"; then fail "$f: exit 0"; fi
    [ $(( $(date +%s) - start )) -le 10 ] || fail "$f: too slow"
    [ "$(grep -c . "$tmp/err")" -eq 1 ] || { cat "$tmp/err" >&2; fail "$f: not one line"; }
    grep -q "$f" "$tmp/err" || fail "$f: file not named"
    grep -q "$why" "$tmp/err" || { cat "$tmp/err" >&2; fail "$f: reason \"$why\" missing"; }
done
exit 0
