#!/bin/sh
# tests/e2e/threads.t.sh — reading on threads (cli/run.h "Threads"): files
# are read and recognized on --threads workers and merged in the input
# order, so every output — records.csv, issues.csv, sources.csv, the
# feedback, tong-hop.xlsx apart from its time stamps — is byte-identical
# with --threads 1, 2 and 3: on tests/corpus (and on a year's reports
# with its plans, whose classes each worker keeps apart until the merge) (202 sheets' worth of units,
# resubmissions, rejections) with a .zip of reports and a lock file in it,
# and with a files_per_run cap that falls inside the zip (the run must then
# read again in order from the file read ahead). Needs /usr/bin/python3
# (fails without it).
set -u
tmp=$(mktemp -d) || exit 1
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
fails=0
fail() { echo "threads.t.sh: $*"; fails=$((fails + 1)); }
[ -x "$PY" ] || { echo "threads.t.sh: $PY is needed"; exit 1; }

# same A B: the two output folders hold the same files with the same bytes,
# time stamps aside (xlsx parts compared one by one; docProps/core.xml skipped)
same() {
  $PY - "$1" "$2" <<'PYEOF' || fail "$1 and $2 differ"
import os, re, sys, zipfile
a, b = sys.argv[1], sys.argv[2]
stamp = re.compile(rb'\d{2}/\d{2}/\d{4} \d{2}:\d{2}|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?')
def files(root):
    out = set()
    for d, _, fs in os.walk(root):
        for f in fs: out.add(os.path.relpath(os.path.join(d, f), root))
    return out
fa, fb = files(a), files(b)
bad = sorted(fa ^ fb)
for f in sorted(fa & fb):
    pa, pb = os.path.join(a, f), os.path.join(b, f)
    if f.endswith('.xlsx'):
        za, zb = zipfile.ZipFile(pa), zipfile.ZipFile(pb)
        if sorted(za.namelist()) != sorted(zb.namelist()): bad.append(f); continue
        for n in za.namelist():
            if n == 'docProps/core.xml': continue
            if stamp.sub(b'', za.read(n)) != stamp.sub(b'', zb.read(n)): bad.append(f + ':' + n)
    elif stamp.sub(b'', open(pa, 'rb').read()) != stamp.sub(b'', open(pb, 'rb').read()):
        bad.append(f)
for f in bad: print('differs:', f)
sys.exit(1 if bad else 0)
PYEOF
}

# the inbox: tests/corpus, a zip of two reports, an Excel lock file
mkdir -p "$tmp/in" && cp -R tests/corpus/inbox/. "$tmp/in/" || exit 1
(cd tests/fixtures/real && $PY -c 'import sys, zipfile
z = zipfile.ZipFile(sys.argv[1], "w")
for f in sys.argv[2:]: z.write(f)' "$tmp/in/dinh-kem.zip" bao-cao-giong-rieng-2024.xlsx examples-inbox/h-tan-hiep-2024.xlsx) ||
  fail "cannot make the zip"
printf 'lock' > "$tmp/in/~\$bao-cao.xlsx"
n=$(find "$tmp/in" -type f | wc -l)
[ "$n" -ge 40 ] || fail "only $n input files"

for t in 1 2 3; do
  $DTBD_WRAP "$DTBD" run --no-charts --threads $t -o "$tmp/out$t" "$tmp/in" >/dev/null 2>"$tmp/err$t"
  rc=$?
  [ "$rc" -le 1 ] || fail "--threads $t: exit $rc: $(cat "$tmp/err$t")"
done
[ -s "$tmp/out1/records.csv" ] && [ "$(wc -l < "$tmp/out1/records.csv")" -gt 100 ] ||
  fail "too few records with --threads 1"
same "$tmp/out1" "$tmp/out2"
same "$tmp/out1" "$tmp/out3"
grep -q 'dinh-kem.zip!/' "$tmp/out2/sources.csv" || fail "the zip's members are not sources"

# a files_per_run cap inside the input: the same files read, the same
# file_limit findings, whatever the threads
"$DTBD" config | sed 's/^\(  files_per_run:\) *[0-9]*/\1 5/' > "$tmp/cap.yaml"
grep -q 'files_per_run: 5' "$tmp/cap.yaml" || fail "no files_per_run line to change"
mkdir -p "$tmp/in-cap" && cp "$tmp/in/dinh-kem.zip" "$tmp/in-cap/" &&
  cp tests/fixtures/real/examples-inbox/* "$tmp/in-cap/" &&
  cp tests/fixtures/real/bao-cao-giong-rieng-2024.xls "$tmp/in-cap/z1.xls" &&
  cp tests/fixtures/real/bao-cao-giong-rieng-2024.csv "$tmp/in-cap/z2.csv"
for t in 1 2; do
  $DTBD_WRAP "$DTBD" run --no-charts -c "$tmp/cap.yaml" --threads $t -o "$tmp/cap$t" "$tmp/in-cap" >/dev/null 2>"$tmp/cerr$t"
  rc=$?
  [ "$rc" -le 1 ] || fail "cap, --threads $t: exit $rc: $(cat "$tmp/cerr$t")"
done
grep -q 'file_limit' "$tmp/cap1/issues.csv" || fail "the cap of 5 files was not reached"
same "$tmp/cap1" "$tmp/cap2"

# plans beside the reports: each worker keeps the plans it reads apart and
# the run merges them in order, so "Kế hoạch – Thực hiện" is the same too
for t in 1 2; do
  $DTBD_WRAP "$DTBD" run --no-charts --threads $t -o "$tmp/plan$t" tests/corpus/inbox/2024 \
    tests/corpus/plans/inbox/2024 >/dev/null 2>"$tmp/perr$t"
  rc=$?
  [ "$rc" -le 1 ] || fail "plans, --threads $t: exit $rc: $(cat "$tmp/perr$t")"
done
grep -q 'plan_not_report' "$tmp/plan2/issues.csv" || fail "no plan read beside the reports"
same "$tmp/plan1" "$tmp/plan2"

# usage
"$DTBD" run --threads 0 "$tmp/in" >/dev/null 2>&1; [ $? -eq 2 ] || fail "--threads 0 is no usage error"
"$DTBD" check --threads x "$tmp/in" >/dev/null 2>&1; [ $? -eq 2 ] || fail "--threads x is no usage error"

[ "$fails" -eq 0 ] && echo "threads.t.sh: outputs identical with 1, 2 and 3 threads ($n files), and under a files_per_run cap"
[ "$fails" -eq 0 ]
