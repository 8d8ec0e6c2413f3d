#!/bin/sh
# tests/e2e/faults.t.sh — faults around a run (issue 7, DESIGN §7):
#  - the output folder cannot be written (a path under a regular file; a
#    read-only folder when not root; a full disk: a 1 MiB tmpfs when root
#    and mount works, see below) → exit 3, the previous outputs
#    intact, no temporary file left behind;
#  - hostile entries in the inbox (a 0-byte file, a directory symlink loop,
#    a dangling symlink, a FIFO, an unreadable file when not root) → each
#    one finding in issues.csv and nothing else, the run goes on with the
#    good file and does not hang;
#  - SIGINT during a run → exit 3, the previous outputs intact, no temporary
#    file left behind.
set -u
tmp=$(mktemp -d)
mnt=""
cleanup() {
  [ -n "$mnt" ] && umount "$mnt" 2>/dev/null
  chmod -R u+rwx "$tmp" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "faults.t.sh: $*"; exit 1; }
note() { echo "faults.t.sh: $*" >&2; }
root=false; [ "$(id -u)" = 0 ] && root=true
RUN="$DTBD_WRAP $DTBD run --no-charts"
# As root (CI is), permissions do not stop us: the permission cases run as
# user nobody instead, when setpriv (util-linux) can switch to it.
AS_NOBODY=""
if $root && command -v setpriv >/dev/null 2>&1 &&
   setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$DTBD" 2>/dev/null; then
  AS_NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"
  chmod 755 "$tmp"
fi

# No temporary output ("DIR/.NAME.tmp-PID-XXXXXX", output/atomic.c) left in $1.
no_temps() {
  left=$(find "$1" -name '.*.tmp-*' 2>/dev/null)
  [ -z "$left" ] || fail "$2: temporary files left: $left"
}
# Snapshot of a folder's outputs (names and checksums), to compare later.
snap() { (cd "$1" && find . -type f ! -name '.*.tmp-*' | LC_ALL=C sort | xargs -r sha256sum); }

good=tests/fixtures/real/examples-inbox/h-tan-hiep-2024.xlsx
[ -f "$good" ] || fail "missing $good"
mkdir -p "$tmp/one" "$tmp/big"
cp "$good" "$tmp/one/"
cp tests/fixtures/real/examples-inbox/* "$tmp/big/" 2>/dev/null

# ---- the output folder cannot be written ----------------------------------------
$RUN -o "$tmp/prev" "$tmp/one" 2>/dev/null; rc=$?
[ "$rc" -le 1 ] || fail "first run exited $rc"
[ -s "$tmp/prev/records.csv" ] || fail "first run wrote no records.csv"
before=$(snap "$tmp/prev")

touch "$tmp/a-file"
$RUN -o "$tmp/a-file/out" "$tmp/one" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 3 ] || fail "output folder under a regular file: exit $rc, expected 3"
[ ! -e "$tmp/a-file/out" ] && [ -f "$tmp/a-file" ] && [ ! -s "$tmp/a-file" ] \
  || fail "output folder under a regular file: the file was touched"
grep -q . "$tmp/err" || fail "output folder under a regular file: no message"

if ! $root || [ -n "$AS_NOBODY" ]; then
  chmod a-w "$tmp/prev"
  chmod -R a+rX "$tmp/big"
  $AS_NOBODY $RUN -o "$tmp/prev" "$tmp/big" 2>"$tmp/err"; rc=$?
  chmod u+w "$tmp/prev"
  [ "$rc" -eq 3 ] || fail "read-only output folder: exit $rc, expected 3"
  # the reason keeps errno's meaning (EACCES), in Vietnamese
  grep -q "không có quyền ghi" "$tmp/err" || fail "read-only output folder: wrong reason ($(tail -1 "$tmp/err"))"
  [ "$(snap "$tmp/prev")" = "$before" ] || fail "read-only output folder: previous outputs changed"
  no_temps "$tmp/prev" "read-only output folder"
else
  note "root writes into read-only folders and setpriv cannot switch to nobody: read-only case skipped"
fi

# ---- disk full ------------------------------------------------------------------------
# One report's outputs (with tong-hop.xlsx and attainment.csv, ~350 KB) fit in
# 1 MiB; a year of the corpus (records.csv alone ~1.4 MB) does not fit beside them.
if $root && mkdir -p "$tmp/full" && mount -t tmpfs -o size=1m tmpfs "$tmp/full" 2>/dev/null; then
  mnt="$tmp/full"
  $RUN -o "$mnt/out" "$tmp/one" 2>/dev/null; rc=$?
  [ "$rc" -le 1 ] || fail "disk full: the small first run exited $rc"
  full_before=$(snap "$mnt/out")
  $RUN -o "$mnt/out" tests/corpus/inbox/2024 2>"$tmp/err"; rc=$?
  [ "$rc" -eq 3 ] || fail "disk full: exit $rc, expected 3 ($(tail -1 "$tmp/err"))"
  grep -q "ổ đĩa đã đầy" "$tmp/err" || fail "disk full: the reason is not ENOSPC's ($(tail -1 "$tmp/err"))"
  [ "$(snap "$mnt/out")" = "$full_before" ] || fail "disk full: previous outputs changed"
  no_temps "$mnt/out" "disk full"
  umount "$mnt" && mnt=""
else
  note "disk full: needs root and a tmpfs mount — skipped"
fi

# ---- a write that fails midway (injected) ---------------------------------------------------
# Without root or tmpfs: a file-size limit (RLIMIT_FSIZE, 200 kB) makes the
# writes of a large records.csv fail with EFBIG, as a full disk would with
# ENOSPC → exit 3, the previous outputs intact, no temporary file left (and
# no SIGXFSZ kill).
if command -v prlimit >/dev/null 2>&1; then
  $RUN -o "$tmp/fsz" "$tmp/one" 2>/dev/null; rc=$?
  [ "$rc" -le 1 ] || fail "write failure: the small first run exited $rc"
  fsz_before=$(snap "$tmp/fsz")
  prlimit --fsize=200000 $RUN -o "$tmp/fsz" tests/corpus/inbox/2024 2>"$tmp/err"; rc=$?
  [ "$rc" -eq 3 ] || fail "write failure: exit $rc, expected 3 ($(tail -1 "$tmp/err"))"
  grep -q "kết quả cũ được giữ nguyên" "$tmp/err" || fail "write failure: no message ($(tail -1 "$tmp/err"))"
  grep -q "vượt giới hạn cỡ tệp" "$tmp/err" || fail "write failure: the reason is not EFBIG's ($(tail -1 "$tmp/err"))"
  [ "$(snap "$tmp/fsz")" = "$fsz_before" ] || fail "write failure: previous outputs changed"
  no_temps "$tmp/fsz" "write failure"
else
  note "write failure: prlimit (util-linux) missing — skipped"
fi

# ---- hostile inbox entries --------------------------------------------------------------
in="$tmp/in"
mkdir -p "$in/sub"
cp "$good" "$in/"
: > "$in/zero-bytes.xlsx"                       # 0 bytes
ln -s .. "$in/sub/loop"                         # a directory loop (back to $in)
ln -s missing-target.xlsx "$in/dangling.xlsx"   # dangling
mkfifo "$in/fifo.xlsx"                          # a FIFO: must not block the run
bad="zero-bytes.xlsx dangling.xlsx fifo.xlsx"
if ! $root || [ -n "$AS_NOBODY" ]; then
  cp "$good" "$in/no-perm.xlsx" && chmod 000 "$in/no-perm.xlsx"
  bad="$bad no-perm.xlsx"
  chmod -R a+rX "$in" 2>/dev/null; chmod 000 "$in/no-perm.xlsx"
  mkdir -p "$tmp/out-in" && chmod 777 "$tmp/out-in"
else
  note "root reads anything and setpriv cannot switch to nobody: unreadable-file case skipped"
fi
# a FIFO must not hang: 120 s is far beyond a run of two files, even under valgrind
timeout 120 $AS_NOBODY $RUN -o "$tmp/out-in" "$in" 2>"$tmp/err"; rc=$?
[ "$rc" -ne 124 ] || fail "hostile inbox: the run hung (FIFO?)"
[ "$rc" -eq 1 ] || fail "hostile inbox: exit $rc, expected 1 ($(tail -1 "$tmp/err"))"
for f in $bad; do
  n=$(grep -c ",[^,]*/$f," "$tmp/out-in/issues.csv")
  [ "$n" -eq 1 ] || fail "hostile inbox: $n findings for $f, expected 1"
  grep -q "^error,file_un[a-z]*,[^,]*$f," "$tmp/out-in/issues.csv" \
    || fail "hostile inbox: $f is not an unreadable/unsupported-file error"
  grep -q "$f,.*,rejected," "$tmp/out-in/sources.csv" || fail "hostile inbox: $f not rejected in sources.csv"
  ! grep -q "$f" "$tmp/out-in/records.csv" || fail "hostile inbox: records from $f"
done
# the good file was read once (the loop leads back to it: read it twice and
# it would supersede itself)
n=$(grep -c "h-tan-hiep-2024.xlsx,.*,accepted," "$tmp/out-in/sources.csv")
[ "$n" -eq 1 ] || fail "hostile inbox: the good file is listed $n times as accepted"
! grep -q "loop" "$tmp/out-in/sources.csv" || fail "hostile inbox: a file was read through the loop"
grep -q '^warning,folder_loop,.*sub/loop' "$tmp/out-in/issues.csv" || fail "hostile inbox: the loop is not a finding"
grep -q '^h-tan-hiep,2024,' "$tmp/out-in/records.csv" || fail "hostile inbox: no records from the good file"
[ "$(grep -c 'superseded\|duplicate' "$tmp/out-in/issues.csv")" -eq 0 ] \
  || fail "hostile inbox: the good file competes with itself"
no_temps "$tmp/out-in" "hostile inbox"

# ---- caps from the configuration -----------------------------------------------------------
# limits: in a configuration: a file over file_size, a sheet over
# cells_per_sheet, files over files_per_run — each one finding for that file
# (file_limit), the file rejected, and the run goes on with the others.
$DTBD config > "$tmp/caps.yaml" || fail "caps: dtbd config failed"
sed -i -e 's/^\(  file_size:\) .*/\1 12 KB/' -e 's/^\(  cells_per_sheet:\) .*/\1 1000/' \
       -e 's/^\(  files_per_run:\) .*/\1 4/' "$tmp/caps.yaml"
grep -q '^  files_per_run: 4$' "$tmp/caps.yaml" || fail "caps: the default configuration has no limits section"
mkdir -p "$tmp/caps"
cp tests/fixtures/real/examples-inbox/h-tan-hiep-2024.xlsx "$tmp/caps/a-small.xlsx"        # 11 KB: read
cp tests/fixtures/real/examples-inbox/so-noi-vu-2024.xls "$tmp/caps/b-big.xls"             # 14 KB > 12 KB
awk 'BEGIN { for (r = 0; r < 120; r++) print "1,2,3,4,5,6,7,8,9,10" }' \
  > "$tmp/caps/c-many-cells.csv"                                       # 1200 cells, 2.5 KB
cp tests/fixtures/real/examples-inbox/h-tan-hiep-2024.xlsx "$tmp/caps/d-fourth.xlsx"      # the 4th file: read
cp tests/fixtures/real/examples-inbox/h-tan-hiep-2024.xlsx "$tmp/caps/e-fifth.xlsx"       # over files_per_run
cp tests/fixtures/real/examples-inbox/h-tan-hiep-2024.xlsx "$tmp/caps/f-sixth.xlsx"
$RUN -c "$tmp/caps.yaml" -o "$tmp/out-caps" "$tmp/caps" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] || fail "caps: exit $rc, expected 1 ($(tail -1 "$tmp/err"))"
for f in b-big.xls c-many-cells.csv e-fifth.xlsx f-sixth.xlsx; do
  n=$(grep -c "/$f," "$tmp/out-caps/issues.csv")
  [ "$n" -eq 1 ] || fail "caps: $n findings for $f, expected 1"
  grep -q "^error,file_limit,[^,]*/$f," "$tmp/out-caps/issues.csv" || fail "caps: $f is not a file_limit error"
  grep -q "/$f,.*,rejected," "$tmp/out-caps/sources.csv" || fail "caps: $f not rejected in sources.csv"
  ! grep -q "/$f," "$tmp/out-caps/records.csv" || fail "caps: records from $f"
done
grep -q "b-big.xls,.*12288 byte" "$tmp/out-caps/issues.csv" || fail "caps: the file_size finding does not name the cap"
grep -q "e-fifth.xlsx,.*đủ 4 tệp" "$tmp/out-caps/issues.csv" || fail "caps: the files_per_run finding does not name the cap"
for f in a-small.xlsx d-fourth.xlsx; do
  grep -q "/$f,.*,\(accepted\|superseded\)," "$tmp/out-caps/sources.csv" || fail "caps: $f was not read"
done

# ---- a file that changes while it is read -----------------------------------------------
# A writer keeps rewriting one byte of a 24 MB file in place (a mail client
# or Excel still saving it) while runs read the folder. A run that copies the
# file while a write lands must refuse it with one file_changed error (no
# reading of a half-old, half-new file); the writer may by chance be idle
# for a whole copy (then the bytes read are one version, and garbage is
# file_unreadable), so up to 5 runs, and at least one must see the change.
mkdir -p "$tmp/moving"
cp "$good" "$tmp/moving/"
head -c 25165824 /dev/zero | tr '\0' 'x' > "$tmp/moving/dang-luu.csv"
( while :; do printf y | dd of="$tmp/moving/dang-luu.csv" bs=1 seek=4096 conv=notrunc 2>/dev/null; done ) &
writer=$!
seen=0
for try in 1 2 3 4 5; do
  $RUN -o "$tmp/out-moving" "$tmp/moving" 2>"$tmp/err"; rc=$?
  [ "$rc" -le 1 ] || { kill $writer; fail "changing file: exit $rc ($(tail -1 "$tmp/err"))"; }
  if grep -q '^error,file_changed,[^,]*/dang-luu.csv,' "$tmp/out-moving/issues.csv"; then
    seen=$try
    break
  fi
done
kill $writer; wait $writer 2>/dev/null
[ "$seen" -gt 0 ] || fail "changing file: 5 runs never saw the file change while it was being rewritten"
n=$(grep -c '/dang-luu.csv,' "$tmp/out-moving/issues.csv")
[ "$n" -eq 1 ] || fail "changing file: $n findings for it, expected the one file_changed"
grep -q 'dang-luu.csv,.*,rejected,' "$tmp/out-moving/sources.csv" || fail "changing file: not rejected in sources.csv"
! grep -q 'dang-luu.csv' "$tmp/out-moving/records.csv" || fail "changing file: records from it"
grep -q '^h-tan-hiep,2024,' "$tmp/out-moving/records.csv" || fail "changing file: the good file was not read"

# ---- SIGINT during a run --------------------------------------------------------------------
# A whole run on the corpus inbox is timed first (it also leaves the
# previous outputs); then runs are interrupted at 50 %, 80 % and 95 % of that
# time — well after the handler is in place, whatever the wrapper (ASan,
# valgrind) costs. Exit 3 and untouched previous outputs when the signal
# landed during the run; a run that ended first may have written its outputs
# (exit 0/1). At least one must be interrupted.
t0=$(date +%s%N)
$RUN -o "$tmp/sig" tests/corpus/inbox 2>/dev/null; rc=$?
t1=$(date +%s%N)
[ "$rc" -le 1 ] || fail "SIGINT: the timing run exited $rc"
sig_before=$(snap "$tmp/sig")
interrupted=0
for pct in 50 80 95; do
  delay=$(awk -v a="$t0" -v b="$t1" -v p="$pct" 'BEGIN { printf "%.2f", (b - a) / 1e9 * p / 100 }')
  # background jobs of a script ignore SIGINT: restore its default first
  env --default-signal=INT $RUN -o "$tmp/sig" tests/corpus/inbox 2>"$tmp/err" &
  pid=$!
  sleep "$delay"
  kill -INT "$pid" 2>/dev/null
  wait "$pid"; rc=$?
  no_temps "$tmp/sig" "SIGINT after ${delay}s"
  case $rc in
    3) interrupted=$((interrupted + 1))
       [ "$(snap "$tmp/sig")" = "$sig_before" ] || fail "SIGINT after ${delay}s: previous outputs changed" ;;
    0|1) sig_before=$(snap "$tmp/sig") ;;   # finished before the signal
    130) fail "SIGINT after ${delay}s: killed by the signal: no SIGINT handling" ;;
    *) fail "SIGINT after ${delay}s: exit $rc, expected 3" ;;
  esac
done
[ "$interrupted" -gt 0 ] || fail "SIGINT: every run finished before the signal"
exit 0
