#!/bin/sh
# tests/e2e/hostile-run.t.sh — a run's surroundings turned against it
# (issue "Hostile input, round 2"):
#  - the next run must not read its own outputs: OUTDIR inside INPUT (by
#    inode, whatever its name), a folder holding dtbd's marker, `-o .`;
#  - file names: invalid UTF-8 is repaired once, the same in every output,
#    with a finding; an absolute INPUT is shown relative to its parent;
#  - symlinks out of the inbox (to / and to a file) are not followed;
#  - a folder nested deeper than 32 is "too deep", not a loop;
#  - two runs into one folder: the commit is locked, a second run waits a
#    bounded time and exits 3;
#  - temporaries a killed run left (pid in the name) are removed by the next
#    run, and nothing else is.
set -u
tmp=$(mktemp -d)
holder=""
cleanup() { [ -n "$holder" ] && kill "$holder" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "hostile-run.t.sh: $*"; exit 1; }
RUN="$DTBD_WRAP $DTBD run --no-charts"
good=tests/fixtures/real/examples-inbox/h-tan-hiep-2024.xlsx
[ -f "$good" ] || fail "missing $good"
# every CSV output is valid UTF-8 (DESIGN §7)
utf8() { /usr/bin/python3 -c 'import sys
for p in sys.argv[1:]: open(p, encoding="utf-8", errors="strict").read()' "$@"; }

# ---- 1. outputs inside the inbox are never read back --------------------------------
mkdir -p "$tmp/inbox"
cp "$good" "$tmp/inbox/"
(cd "$tmp/inbox" && $RUN . 2>/dev/null && $RUN . 2>"$tmp/err"); rc=$?
[ "$rc" -eq 0 ] || fail "run . twice: exit $rc ($(tail -1 "$tmp/err"))"
[ -f "$tmp/inbox/out/.dtbd-output" ] || fail "no marker .dtbd-output in out/"
! grep -q 'out/' "$tmp/inbox/out/sources.csv" || fail "run . twice: the second run read out/: $(grep 'out/' "$tmp/inbox/out/sources.csv")"
[ "$(grep -c ',accepted,' "$tmp/inbox/out/sources.csv")" -eq 1 ] || fail "run . twice: want the one report accepted"
grep -q '^info,output_skipped,.*\./out' "$tmp/inbox/out/issues.csv" || fail "run . twice: no output_skipped finding for out/"
# the output folder renamed: known by its inode (this run's OUTDIR) …
mv "$tmp/inbox/out" "$tmp/inbox/ket-qua"
$RUN -o "$tmp/inbox/ket-qua" "$tmp/inbox" 2>/dev/null; rc=$?
[ "$rc" -eq 0 ] || fail "-o inside INPUT: exit $rc"
! grep -q 'ket-qua/' "$tmp/inbox/ket-qua/sources.csv" || fail "-o inside INPUT: the run read its own OUTDIR"
# … and by its marker when another run wrote it (an earlier cycle's outputs)
$RUN -o "$tmp/out-b" "$tmp/inbox" 2>/dev/null; rc=$?
[ "$rc" -eq 0 ] || fail "old outputs in INPUT: exit $rc"
! grep -q 'ket-qua/' "$tmp/out-b/sources.csv" || fail "old outputs in INPUT: read as reports"
grep -q '^info,output_skipped,.*inbox/ket-qua.*lần chạy trước' "$tmp/out-b/issues.csv" \
  || fail "old outputs in INPUT: no output_skipped finding"
# the INPUT folder is the OUTDIR (-o .): its reports read, dtbd's files not
(cd "$tmp/inbox" && $RUN -o . . 2>/dev/null && $RUN -o . . 2>/dev/null); rc=$?
[ "$rc" -eq 0 ] || fail "-o . twice: exit $rc"
[ "$(grep -c ',accepted,' "$tmp/inbox/sources.csv")" -eq 1 ] || fail "-o . twice: want the one report accepted"
! grep -q 'tong-hop\|records.csv\|dtbd-' "$tmp/inbox/sources.csv" || fail "-o . twice: read its own outputs"
rm -rf "$tmp/inbox/ket-qua" "$tmp/inbox"/*.csv "$tmp/inbox/tong-hop.xlsx" "$tmp/inbox/phan-hoi" "$tmp/inbox"/.dtbd-*

# ---- 2. file names: invalid UTF-8, paths relative to the INPUT folder ------------------
bad=$(printf 'b\341o-c\341o-2024.xlsx')        # Windows-1258 "báo-cáo": invalid UTF-8
mkdir -p "$tmp/names"
cp "$good" "$tmp/names/$bad"
$RUN -o "$tmp/out-n" "$tmp/names" 2>/dev/null; rc=$?
[ "$rc" -eq 0 ] || fail "bad name: exit $rc"
utf8 "$tmp/out-n/records.csv" "$tmp/out-n/issues.csv" "$tmp/out-n/sources.csv" \
  || fail "bad name: an output is not valid UTF-8"
grep -q '^names/b�o-c�o-2024\.xlsx,' "$tmp/out-n/sources.csv" || fail "bad name: sources.csv does not show the repaired name"
grep -q ',names/b�o-c�o-2024\.xlsx,Biểu 01,' "$tmp/out-n/records.csv" || fail "bad name: records.csv does not show the repaired name"
[ "$(grep -c '^info,file_name_repaired,names/b�o-c�o-2024\.xlsx,' "$tmp/out-n/issues.csv")" -eq 1 ] \
  || fail "bad name: want one file_name_repaired finding"
# absolute INPUT: every file column starts with the INPUT folder's own name
! cut -d, -f1 "$tmp/out-n/sources.csv" | grep -q '^/' || fail "absolute INPUT: absolute paths in sources.csv"
! grep -q "$tmp" "$tmp/out-n/records.csv" "$tmp/out-n/issues.csv" || fail "absolute INPUT: the analyst's folders in the outputs"

# ---- 3. symlinks out of the inbox, folders too deep -----------------------------------
mkdir -p "$tmp/inbox/sub"
ln -s / "$tmp/inbox/goc"                         # the whole file system
ln -s /etc/passwd "$tmp/inbox/mat-khau.csv"      # one file outside
ln -s ../h-tan-hiep-2024.xlsx "$tmp/inbox/sub/ban-sao.xlsx"   # inside: followed
d="$tmp/inbox/sau"; for i in $(seq 1 33); do d="$d/$i"; done; mkdir -p "$d"
cp "$good" "$d/qua-sau.xlsx"
timeout 60 $RUN -o "$tmp/out-l" "$tmp/inbox" 2>"$tmp/err"; rc=$?
[ "$rc" -le 1 ] || fail "links: exit $rc ($(tail -1 "$tmp/err"))"
! grep -q 'goc/\|mat-khau' "$tmp/out-l/sources.csv" || fail "links: a link out of the inbox was read"
grep -q '^warning,link_outside,.*inbox/goc.*""/""' "$tmp/out-l/issues.csv" || fail "links: no link_outside for goc -> /"
grep -q '^warning,link_outside,.*inbox/mat-khau\.csv.*/etc/passwd' "$tmp/out-l/issues.csv" \
  || fail "links: no link_outside for mat-khau.csv -> /etc/passwd"
grep -q '^inbox/sub/ban-sao\.xlsx,' "$tmp/out-l/sources.csv" || fail "links: a link inside the inbox was not followed"
grep -q '^warning,folder_too_deep,.*sâu' "$tmp/out-l/issues.csv" || fail "depth: no folder_too_deep finding"
! grep -q 'folder_loop' "$tmp/out-l/issues.csv" || fail "depth: reported as a loop"
! grep -q 'qua-sau' "$tmp/out-l/sources.csv" || fail "depth: a file past the depth was read"
rm -rf "$tmp/inbox/sub" "$tmp/inbox/goc" "$tmp/inbox/mat-khau.csv" "$tmp/inbox/sau"

# ---- 4. two runs into one folder: the commit is locked ------------------------------
$RUN -o "$tmp/out-k" "$tmp/inbox" 2>/dev/null || fail "lock: the first run failed"
# every file, phan-hoi/ and charts/ included (a folder given to sha256sum is skipped)
snapk() { (cd "$tmp/out-k" && find . -type f | LC_ALL=C sort | xargs -r sha256sum); }
before=$(snapk)
flock -o "$tmp/out-k/.dtbd-lock" sleep 30 &
holder=$!
sleep 0.3
DTBD_LOCK_WAIT=1 $RUN -o "$tmp/out-k" "$tmp/inbox" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 3 ] || fail "lock held: exit $rc, expected 3"
grep -q 'một lần chạy dtbd khác đang ghi' "$tmp/err" || fail "lock held: no clear message ($(tail -1 "$tmp/err"))"
[ "$(snapk)" = "$before" ] || fail "lock held: outputs changed"
kill "$holder"; wait "$holder" 2>/dev/null; holder=""
# a lock released while the run waits: the run commits
flock -o "$tmp/out-k/.dtbd-lock" sleep 1 &
holder=$!
sleep 0.3
DTBD_LOCK_WAIT=20 $RUN -o "$tmp/out-k" "$tmp/inbox" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] || fail "lock released: exit $rc ($(tail -1 "$tmp/err"))"
wait "$holder" 2>/dev/null; holder=""

# ---- 5. a killed run's temporaries -------------------------------------------------------
sh -c 'exit 0' & dead=$!; wait $dead
if kill -0 "$dead" 2>/dev/null; then fail "stale: pid $dead reused already"; fi
o="$tmp/out-k"
echo x > "$o/.records.csv.tmp-$dead-AbC123"          # dtbd's, owner gone: removed
echo x > "$o/.tong-hop.xlsx.tmp-$dead-xYz789"
mkdir -p "$o/.charts-tmp-$dead-Qq1234/charts" && echo x > "$o/.charts-tmp-$dead-Qq1234/charts/t01.png"
echo x > "$o/.records.csv.tmp-$$-AbC123"             # owner alive: kept
echo x > "$o/.records.csv.tmp-AbC123"                # no pid (older dtbd): kept
echo x > "$o/.notes.txt.tmp-$dead-AbC123"            # not an output name: kept
echo x > "$o/ghi-chu.txt"                            # the analyst's: kept
ln -s /etc "$o/.charts-tmp-$dead-Ln1234"             # a symlink: never followed nor removed
$RUN -o "$o" "$tmp/inbox" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] || fail "stale: exit $rc"
for f in ".records.csv.tmp-$dead-AbC123" ".tong-hop.xlsx.tmp-$dead-xYz789" ".charts-tmp-$dead-Qq1234"; do
  [ ! -e "$o/$f" ] || fail "stale: $f left"
done
for f in ".records.csv.tmp-$$-AbC123" .records.csv.tmp-AbC123 ".notes.txt.tmp-$dead-AbC123" ghi-chu.txt; do
  [ -e "$o/$f" ] || fail "stale: $f removed"
done
[ -L "$o/.charts-tmp-$dead-Ln1234" ] && [ -d /etc ] || fail "stale: the symlink was removed or followed"
grep -q 'đã xóa 3 tệp tạm' "$tmp/err" || fail "stale: no note of the removal ($(grep tệp\ tạm "$tmp/err"))"
exit 0
