#!/bin/sh
# tests/e2e/archive.t.sh — a .zip attachment (DESIGN §4.1): its members are
# read like files of the inbox, each a source "a.zip!/member" with its own
# sha256 and the member's mtime from the zip (resubmissions); the records are
# the loose file's. Hostile zips — too many members, a bomb member, nesting
# beyond archive_depth, "../" and absolute names, an encrypted member — are
# each a finding; the run goes on and writes nothing outside OUT. Zips are
# made in a temporary folder from tests/fixtures/real (inputs_helper.py).
set -u
tmp=$(mktemp -d) || exit 1
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
H="/usr/bin/python3 tests/e2e/inputs_helper.py"
R=tests/fixtures/real/bao-cao-giong-rieng-2024
X=bao-cao-giong-rieng-2024.xlsx
fails=0
fail() { echo "archive.t.sh: $*"; fails=$((fails + 1)); }

# run NAME: dtbd run on $tmp/in-NAME into $tmp/out-NAME (exit 0 or 1)
run() {
  $DTBD_WRAP "$DTBD" run --no-charts -o "$tmp/out-$1" "$tmp/in-$1" >/dev/null 2>"$tmp/err-$1"
  rc=$?
  [ "$rc" -le 1 ] || fail "$1: exit $rc: $(cat "$tmp/err-$1")"
}
# has NAME FILE PATTERN: a line of out-NAME/FILE matches
has() { grep -q -- "$3" "$tmp/out-$1/$2" || fail "$1: no line /$3/ in $2"; }

mkdir -p "$tmp/in-loose" && cp "$R.xlsx" "$tmp/in-loose/$X" && run loose
$H records "$tmp/out-loose/records.csv" >"$tmp/loose.rec"

# 1. a zip of a report, a folder in it, macOS metadata, a lock file
mkdir -p "$tmp/in-zip"
$H zip "$tmp/in-zip/a.zip" "$X=$R.xlsx" "__MACOSX/._$X=$R.xlsx" "__MACOSX/=$R.csv" \
  "thư mục/=$R.csv" "thư mục/.DS_Store=$R.csv" "~\$$X=$R.csv"
run zip
$H records "$tmp/out-zip/records.csv" "a.zip!/" >"$tmp/zip.rec"
[ -s "$tmp/loose.rec" ] && cmp -s "$tmp/loose.rec" "$tmp/zip.rec" ||
  fail "zip: member records differ from the loose file's: $(diff "$tmp/loose.rec" "$tmp/zip.rec" | head -3 | tr '\n' ' ')"
sha=$(sha256sum "$R.xlsx" | cut -d' ' -f1)
has zip sources.csv "^[^,]*/a\.zip!/$X,$sha,xlsx,h-giong-rieng,2024,accepted,"
has zip sources.csv "^[^,]*/a\.zip,[0-9a-f]\{64\},archive,,,accepted,"
has zip records.csv ",[^,]*/a\.zip!/$X,Biểu 01,"
has zip issues.csv "^info,file_skipped,[^,]*a\.zip!/thư mục/\.DS_Store,"
has zip issues.csv "^info,file_skipped,[^,]*a\.zip!/~\\\$$X,"
grep -q "MACOSX" "$tmp/out-zip/sources.csv" && fail "zip: __MACOSX/ metadata listed as a source"
[ "$(grep -c 'a\.zip' "$tmp/out-zip/sources.csv")" -eq 4 ] || fail "zip: want 4 sources (zip, report, .DS_Store, lock)"

# 2. resubmission by the member's mtime in the zip (2024-01-15), not the zip's
mkdir -p "$tmp/in-old" "$tmp/in-new"
cp "$tmp/in-zip/a.zip" "$tmp/in-old/a.zip"; cp "$tmp/in-zip/a.zip" "$tmp/in-new/a.zip"
cp "$R.xlsx" "$tmp/in-old/$X"; touch -d 2023-06-01 "$tmp/in-old/$X"
cp "$R.xlsx" "$tmp/in-new/$X"; touch -d 2024-06-01 "$tmp/in-new/$X"
run old; run new
has old sources.csv "a\.zip!/$X,[0-9a-f]*,xlsx,h-giong-rieng,2024,accepted,"
has old sources.csv "^in-old/$X,[0-9a-f]*,xlsx,h-giong-rieng,2024,superseded,"
has new sources.csv "a\.zip!/$X,[0-9a-f]*,xlsx,h-giong-rieng,2024,superseded,"
has new sources.csv "^in-new/$X,[0-9a-f]*,xlsx,h-giong-rieng,2024,accepted,"

# 3. names: Windows-1258 bytes without the UTF-8 flag ("Báo cáo.xlsx"), a
#    nested zip (depth 2: read), one nested deeper (depth 3: refused)
mkdir -p "$tmp/in-names"
$H zip "$tmp/inner.zip" "$X=$R.xlsx"
$H zip "$tmp/mid.zip" "inner.zip=$tmp/inner.zip" "giua.xls=$R.xls"
$H zip "$tmp/in-names/b.zip" "BXo cXo.xlsx=$R.xlsx" "mid.zip=$tmp/mid.zip"
$H rename "$tmp/in-names/b.zip" "BXo cXo.xlsx" "42e16f2063e16f2e786c7378"
run names
has names sources.csv "b\.zip!/Báo cáo\.xlsx,$sha,xlsx,h-giong-rieng,2024,"
has names issues.csv "^info,archive_name_repaired,[^,]*b\.zip!/Báo cáo\.xlsx,"
has names sources.csv "b\.zip!/mid\.zip!/giua\.xls,[0-9a-f]\{64\},xls,h-giong-rieng,2024,"
has names sources.csv "b\.zip!/mid\.zip,[0-9a-f]\{64\},archive,,,accepted,"
has names issues.csv "^error,file_limit,[^,]*b\.zip!/mid\.zip!/inner\.zip,.*lồng trong tệp nén quá 2 lớp"

# 4. hostile: too many members, a bomb, "../" and absolute names, an
#    encrypted member; and a good report after them, still read
mkdir -p "$tmp/in-bad" "$tmp/cwd"
$H many "$tmp/in-bad/many.zip" 1001
$H bomb "$tmp/in-bad/bomb.zip" 40
evil="dtbd-evil-$$"
$H zip "$tmp/in-bad/evil.zip" "../$evil.xlsx=$R.xlsx" "/tmp/$evil-abs.xlsx=$R.xlsx" \
  "../../$evil.csv=$R.csv" "secret.xlsx=$R.xlsx"
$H encrypt-flag "$tmp/in-bad/evil.zip" "secret.xlsx"
cp "$R.xlsx" "$tmp/in-bad/zz-$X"
find "$tmp/in-bad" "$tmp/cwd" "$tmp" -maxdepth 1 | sort >"$tmp/out-bad.before"
( cd "$tmp/cwd" && $DTBD_WRAP "$DTBD" run --no-charts -o "$tmp/out-bad" "$tmp/in-bad" >/dev/null 2>"$tmp/err-bad" )
rc=$?
[ "$rc" -eq 1 ] || fail "bad: exit $rc, want 1: $(cat "$tmp/err-bad")"
has bad issues.csv "^error,file_limit,[^,]*many\.zip,.*hơn 1000 tệp"
has bad issues.csv "^error,file_limit,[^,]*bomb\.zip!/bomb\.csv,.*nghi zip bomb"
has bad issues.csv "^warning,archive_name_unsafe,[^,]*evil\.zip!/\.\./$evil\.xlsx,"
has bad issues.csv "^warning,archive_name_unsafe,[^,]*evil\.zip!//tmp/$evil-abs\.xlsx,"
has bad issues.csv "^error,file_unsupported,[^,]*evil\.zip!/secret\.xlsx,.*mật khẩu"
has bad sources.csv "/zz-$X,[0-9a-f]*,xlsx,h-giong-rieng,2024,"
find "$tmp/in-bad" "$tmp/cwd" "$tmp" -maxdepth 1 | sort | grep -v "^$tmp/out-bad\|^$tmp/err-bad" >"$tmp/out-bad.after"
grep -v "^$tmp/out-bad\|^$tmp/err-bad" "$tmp/out-bad.before" | diff - "$tmp/out-bad.after" >/dev/null ||
  fail "bad: files written outside OUT: $(grep -v "^$tmp/out-bad\|^$tmp/err-bad" "$tmp/out-bad.before" | diff - "$tmp/out-bad.after")"
[ -z "$(ls -A "$tmp/cwd")" ] || fail "bad: files written in the working folder"
ls /tmp/$evil* "$tmp"/../$evil* 2>/dev/null | grep -q . && fail "bad: a member was extracted to disk"

# every output is valid UTF-8
for d in zip names bad; do
  for f in "$tmp/out-$d"/*.csv; do
    /usr/bin/python3 -c 'import sys; open(sys.argv[1], encoding="utf-8").read()' "$f" 2>/dev/null ||
      fail "$d: $(basename "$f") is not valid UTF-8"
  done
done
[ "$fails" -eq 0 ]
