#!/bin/sh
# tests/e2e/run-cli.t.sh — `dtbd run` / `dtbd check` on three sample reports:
# outputs and their columns, exit statuses 0/1/2/3, previous outputs kept;
# the Vietnamese help, years outside the plan (2), an empty input (1 and an
# input_empty finding), no English libc text in messages.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "run-cli.t.sh: $*"; exit 1; }

# 0: the sample inbox reads cleanly (warnings only) and every output is there
$DTBD_WRAP "$DTBD" run -o "$tmp/out" tests/fixtures/real/examples-inbox 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] || fail "run on tests/fixtures/real/examples-inbox exited $rc: $(cat "$tmp/err")"
for f in records issues sources; do [ -s "$tmp/out/$f.csv" ] || fail "no $f.csv"; done
[ "$(head -1 "$tmp/out/records.csv")" = "unit,year,group,metric,breakdown,value,file,sheet,cell" ] \
  || fail "records.csv header: $(head -1 "$tmp/out/records.csv")"
[ "$(head -1 "$tmp/out/issues.csv")" = "severity,rule,file,sheet,cell,unit,year,message" ] \
  || fail "issues.csv header"
head -1 "$tmp/out/sources.csv" | grep -q '^file,sha256,format,unit,year,status,records,errors,warnings' \
  || fail "sources.csv header"
grep -q '^so-noi-vu,2024,cbcc_th,headcount,all,' "$tmp/out/records.csv" || fail "no so-noi-vu headcount"
grep -q "(khớp)" "$tmp/err" || fail "summary does not reconcile: $(cat "$tmp/err")"
ls -A "$tmp/out" | grep -q '\.tmp-' && fail "temporary file left in the output folder"

# 1: a file with an error still writes the outputs
mkdir -p "$tmp/in"
cp tests/fixtures/real/examples-inbox/h-tan-hiep-2024.xlsx "$tmp/in/"
head -c 4000 /dev/urandom > "$tmp/in/hong.xlsx"
$DTBD_WRAP "$DTBD" run -o "$tmp/out1" "$tmp/in" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] || fail "run with an unreadable file exited $rc, expected 1"
grep -q '^error,file_unreadable,.*hong.xlsx' "$tmp/out1/issues.csv" || fail "no file_unreadable finding"
grep -q 'hong.xlsx,.*,rejected,' "$tmp/out1/sources.csv" || fail "hong.xlsx not rejected in sources.csv"

# check: validates only, prints the findings, writes nothing
mkdir "$tmp/cwd"
( cd "$tmp/cwd" && $DTBD_WRAP "$DTBD" check "$tmp/in" >"$tmp/check.txt" 2>/dev/null ); rc=$?
[ "$rc" -eq 1 ] || fail "check exited $rc, expected 1"
grep -q '^LỖI \[file_unreadable\]' "$tmp/check.txt" || fail "check did not print the error"
[ -z "$(ls -A "$tmp/cwd")" ] || fail "check wrote outputs: $(ls -A "$tmp/cwd")"

# 2: usage and configuration errors
$DTBD_WRAP "$DTBD" run 2>/dev/null; [ $? -eq 2 ] || fail "run without input: not 2"
$DTBD_WRAP "$DTBD" run --bogus tests/fixtures/real/examples-inbox 2>/dev/null; [ $? -eq 2 ] || fail "bad option: not 2"
$DTBD_WRAP "$DTBD" run -o "$tmp/o2" "$tmp/khong-co" 2>/dev/null; [ $? -eq 2 ] || fail "missing input: not 2"
printf 'plan: [\n' > "$tmp/bad.yaml"
$DTBD_WRAP "$DTBD" run -c "$tmp/bad.yaml" -o "$tmp/o2" tests/fixtures/real/examples-inbox 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || fail "bad config: exit $rc"
grep -q 'bad.yaml:[0-9]*:[0-9]*' "$tmp/err" || fail "bad config message has no file:line:col"

# help: Vietnamese, with commands, options, outputs, exit statuses, examples
for h in --help help; do
  $DTBD_WRAP "$DTBD" $h >"$tmp/help" 2>&1; rc=$?
  [ "$rc" -eq 0 ] || fail "dtbd $h exited $rc"
  for want in "Lệnh:" "Tùy chọn:" "Mã thoát:" "Ví dụ:" "tong-hop.xlsx" "issues.csv" "--years" "dtbd template --unit"; do
    grep -qF -- "$want" "$tmp/help" || fail "dtbd $h lacks \"$want\""
  done
done

# years outside the plan: a usage error, nothing written
$DTBD_WRAP "$DTBD" run --years 2030 -o "$tmp/o-years" examples/inbox 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || fail "--years 2030: exit $rc, expected 2"
grep -q '2021-2025' "$tmp/err" || fail "--years 2030: the message does not name the plan's years: $(cat "$tmp/err")"
[ -e "$tmp/o-years" ] && fail "--years 2030 wrote outputs"
$DTBD_WRAP "$DTBD" template --unit h-tan-hiep --year 2019 -o "$tmp/t2019.xlsx" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || fail "template --year 2019: exit $rc, expected 2"
grep -q 'kế hoạch' "$tmp/err" || fail "template --year 2019: no Vietnamese reason: $(cat "$tmp/err")"

# an input with nothing to read: a finding and exit 1, for run and check
mkdir "$tmp/rong"
$DTBD_WRAP "$DTBD" run --no-charts -o "$tmp/o-rong" "$tmp/rong" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] || fail "empty input: exit $rc, expected 1"
grep -q '^error,input_empty,' "$tmp/o-rong/issues.csv" || fail "empty input: no input_empty finding in issues.csv"
$DTBD_WRAP "$DTBD" check "$tmp/rong" >"$tmp/check-rong" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] || fail "check of an empty input: exit $rc, expected 1"
grep -q 'input_empty' "$tmp/check-rong" || fail "check of an empty input: no input_empty printed"

# messages in Vietnamese, not the C library's English
$DTBD_WRAP "$DTBD" dump "$tmp/khong-co.xlsx" 2>"$tmp/err" >/dev/null
grep -q 'không có tệp' "$tmp/err" || fail "dump of a missing file: $(cat "$tmp/err")"
$DTBD_WRAP "$DTBD" run -o "$tmp/o3" "$tmp/khong-co" 2>"$tmp/err"
grep -qi 'no such\|permission denied' "$tmp/err" && fail "English libc text in: $(cat "$tmp/err")"

# 3: outputs that cannot be written; the previous ones stay
touch "$tmp/a-file"
$DTBD_WRAP "$DTBD" run -o "$tmp/a-file/out" tests/fixtures/real/examples-inbox 2>/dev/null; rc=$?
[ "$rc" -eq 3 ] || fail "unwritable output folder: exit $rc, expected 3"
cp "$tmp/out/records.csv" "$tmp/records.before"
if [ "$(id -u)" != 0 ]; then   # root writes anywhere: the read-only case needs a user
  chmod a-w "$tmp/out"
  $DTBD_WRAP "$DTBD" run -o "$tmp/out" "$tmp/in" 2>/dev/null; rc=$?
  chmod u+w "$tmp/out"
  [ "$rc" -eq 3 ] || fail "read-only output folder: exit $rc, expected 3"
  cmp -s "$tmp/out/records.csv" "$tmp/records.before" || fail "previous records.csv changed"
fi
exit 0
