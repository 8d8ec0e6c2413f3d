#!/bin/sh
# tests/e2e/real-missing.t.sh — `dtbd dump` of a file that does not exist:
# non-zero exit, nothing on stdout, exactly one line on stderr naming the file.
. tests/fixtures/real/lib.sh
real_name=dump_missing_file
missing=$F/khong-co-tep-nay-2024.xlsx
$DTBD_WRAP "$DTBD" dump "$missing" >"$real_tmp/out" 2>"$real_tmp/err"
rc=$?
if [ "$rc" -eq 0 ]; then
  real_fail "dtbd dump $missing exited 0"
elif [ "$(wc -l <"$real_tmp/err")" -ne 1 ]; then
  real_fail "stderr has $(wc -l <"$real_tmp/err") lines, want 1: $(tr '\n' ' ' <"$real_tmp/err")"
elif ! grep -qF "$missing" "$real_tmp/err"; then
  real_fail "stderr does not name the file: $(cat "$real_tmp/err")"
elif [ -s "$real_tmp/out" ]; then
  real_fail "stdout is not empty: $(head -n 1 "$real_tmp/out")"
fi
finish
