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

# No temporary output ("DIR/.NAME.tmp-XXXXXX", output/atomic.c) left in $1.
no_temps() {
  left=$(find "$1" -name '.*.tmp-*' 2>/dev/null)
  [ -z "$left" ] || fail "$2: temporary files left: $left"
}
# Snapshot of a folder's outputs (names and checksums), to compare later.
snap() { (cd "$1" && find . -type f ! -name '.*.tmp-*' | LC_ALL=C sort | xargs -r sha256sum); }

good=examples/inbox/h-tan-hiep-2024.xlsx
[ -f "$good" ] || fail "missing $good"
mkdir -p "$tmp/one" "$tmp/big"
cp "$good" "$tmp/one/"
cp examples/inbox/* "$tmp/big/" 2>/dev/null

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

if ! $root; then
  chmod a-w "$tmp/prev"
  $RUN -o "$tmp/prev" "$tmp/big" 2>/dev/null; rc=$?
  chmod u+w "$tmp/prev"
  [ "$rc" -eq 3 ] || fail "read-only output folder: exit $rc, expected 3"
  [ "$(snap "$tmp/prev")" = "$before" ] || fail "read-only output folder: previous outputs changed"
  no_temps "$tmp/prev" "read-only output folder"
else
  note "root writes into read-only folders: read-only case skipped"
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
  [ "$(snap "$mnt/out")" = "$full_before" ] || fail "disk full: previous outputs changed"
  no_temps "$mnt/out" "disk full"
  umount "$mnt" && mnt=""
else
  note "disk full: needs root and a tmpfs mount — skipped"
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
if ! $root; then
  cp "$good" "$in/no-perm.xlsx" && chmod 000 "$in/no-perm.xlsx"
  bad="$bad no-perm.xlsx"
else
  note "root reads anything: unreadable-file case skipped"
fi
# a FIFO must not hang: 120 s is far beyond a run of two files, even under valgrind
timeout 120 $RUN -o "$tmp/out-in" "$in" 2>"$tmp/err"; rc=$?
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
