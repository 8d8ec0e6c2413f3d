#!/bin/bash
# bench/run.sh DTBD — the reader benchmark (issues 2 and 15, "Speed").
#
# Times `DTBD dump FILE > /dev/null` against its peers, for each format on
# a generated file (bench/README.md):
#   .xlsx (1,000,000 cells)
#     floor     unzip -p FILE > /dev/null      (inflate every part, nothing else)
#     dtbd      DTBD dump FILE > /dev/null
#     openpyxl  load_workbook(read_only=True), every value (values_only=True)
#     sheetjs   node bench/sheetjs.js FILE     (XLSX.readFile + walk every cell)
#     exceljs   node bench/exceljs.js FILE     (its streaming WorkbookReader)
#   .xls (600,000 cells: BIFF8 holds 65,536 rows; written by LibreOffice)
#     dtbd, xlrd (open_workbook, every cell), freexl (bench/freexl_read.c)
#   .csv (1,000,000 cells)
#     dtbd, pycsv (Python's csv.reader over the file, every field)
# Rounds: in each round every tool of a format runs once, in turn, so a noisy
# neighbour hurts them alike; a tool's ratio to the format's reference tool
# (floor for .xlsx, xlrd for .xls, pycsv for .csv) is taken per round, from
# the same round, and the median over the rounds is reported, with the median
# seconds (user + system CPU: the machine is shared, so wall time says more
# about the neighbours) and the peak RSS (the largest of the rounds), from
# /usr/bin/time. The targets (issue 15): dtbd dump <= 1.6x unzip -p on the
# .xlsx; dtbd at least as fast as Python's csv on the .csv; and (issue 2)
# dtbd >= 5x faster than openpyxl, peak RSS < 32 MB. bench/verify.py then
# checks dtbd's cells against openpyxl's. The report goes to stdout, to
# bench/RESULTS.md (with the machine, the load and the date) and to
# bench/results/DATE-MACHINE.txt. A missed target prints FAIL, but the exit
# status is 0: this is a report, not a test; non-zero only when it cannot run.
#
# Environment: BENCH_ROWS (default 100000 rows x 10 columns, header included),
#              BENCH_ROUNDS (default 5), BENCH_NO_RESULTS=1 (write neither
#              results file), BENCH_FORMATS (default "xlsx xls csv").
set -u

DTBD=${1:?usage: bench/run.sh DTBD}
case "$DTBD" in /*) ;; *) DTBD="$PWD/$DTBD" ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROWS=${BENCH_ROWS:-100000}
XLS_ROWS=$((ROWS < 60000 ? ROWS : 60000))
ROUNDS=${BENCH_ROUNDS:-5}
FORMATS=${BENCH_FORMATS:-xlsx xls csv}
DATA="$HERE/data"
PY=/usr/bin/python3
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 2; }
[ -x "$DTBD" ] || die "no executable $DTBD (make B=... all first)"
[ -x "$TIME" ] || die "$TIME is missing (apt-get install time; .ci/deps bench)"
command -v unzip >/dev/null || die "unzip is missing (.ci/deps bench)"
mkdir -p "$DATA" || die "cannot create $DATA"
TMP=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

# ---- the files ---------------------------------------------------------------
GEN="$DATA/gen_xlsx"
if [ ! -x "$GEN" ] || [ "$HERE/gen_xlsx.c" -nt "$GEN" ]; then
  # shellcheck disable=SC2046
  cc -std=c11 -O2 -Wall -Wextra -Werror "$HERE/gen_xlsx.c" \
     $(pkg-config --cflags --libs xlsxwriter) -o "$GEN" || die "cannot build gen_xlsx"
  rm -f "$DATA"/bench-*.xlsx "$DATA"/bench-*.xls   # a new generator makes new files
fi
XLSX="$DATA/bench-$ROWS.xlsx"
if [ ! -s "$XLSX" ]; then
  echo "bench: generating $XLSX ($ROWS rows x 10 columns) …"
  "$GEN" "$XLSX.tmp" "$ROWS" && mv "$XLSX.tmp" "$XLSX" || die "cannot generate $XLSX"
fi
CSV="$DATA/bench-$ROWS.csv"
if [[ " $FORMATS " == *" csv "* ]] && { [ ! -s "$CSV" ] || [ "$HERE/gen_csv.py" -nt "$CSV" ]; }; then
  echo "bench: generating $CSV …"
  $PY "$HERE/gen_csv.py" "$CSV.tmp" "$ROWS" && mv "$CSV.tmp" "$CSV" || die "cannot generate $CSV"
fi
XLS="$DATA/bench-$XLS_ROWS.xls"
XLS_NOTE=""
if [ ! -s "$XLS" ] && [[ " $FORMATS " == *" xls "* ]]; then
  if command -v soffice >/dev/null; then
    echo "bench: generating $XLS through LibreOffice (a minute or two) …"
    "$GEN" "$TMP/bench-$XLS_ROWS.xlsx" "$XLS_ROWS" &&
      soffice --headless --convert-to xls --outdir "$TMP" "$TMP/bench-$XLS_ROWS.xlsx" >/dev/null 2>&1 &&
      mv "$TMP/bench-$XLS_ROWS.xls" "$XLS" || XLS_NOTE="LibreOffice could not write the .xls"
  else
    XLS_NOTE="soffice (LibreOffice) is not installed: no .xls to read"
  fi
fi

# ---- the peers ---------------------------------------------------------------
OPENPYXL_VER=$($PY -c 'import openpyxl; print(openpyxl.__version__)' 2>/dev/null) || OPENPYXL_VER=""
XLRD_VER=$($PY -c 'import xlrd; print(xlrd.__VERSION__)' 2>/dev/null) || XLRD_VER=""
NODE_NOTE=""
if ! command -v node >/dev/null; then
  NODE_NOTE="node is not installed (.ci/deps bench installs nodejs, npm)"
elif [ ! -f "$HERE/node_modules/xlsx/package.json" ] || [ ! -f "$HERE/node_modules/exceljs/package.json" ]; then
  if command -v npm >/dev/null; then
    echo "bench: npm install --prefix bench (SheetJS, exceljs, pinned in bench/package.json) …"
    npm install --prefix "$HERE" --no-audit --no-fund --loglevel=error >&2 || NODE_NOTE="npm install failed (offline?)"
  else
    NODE_NOTE="npm is not installed"
  fi
fi
ver() { node -p "require('$HERE/node_modules/$1/package.json').version" 2>/dev/null; }
SHEETJS_VER=$(ver xlsx) || SHEETJS_VER=""
EXCELJS_VER=$(ver exceljs) || EXCELJS_VER=""
FREEXL="$TMP/freexl_read"
# shellcheck disable=SC2046
cc -std=c11 -O2 "$HERE/freexl_read.c" $(pkg-config --cflags --libs freexl) -o "$FREEXL" 2>/dev/null || FREEXL=""

OPENPYXL_CODE='import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        for v in row:
            if v is not None:
                n += 1
print(n)'
XLRD_CODE='import sys, xlrd
wb = xlrd.open_workbook(sys.argv[1])
n = 0
for sh in wb.sheets():
    for r in range(sh.nrows):
        for v in sh.row_values(r):
            if v != "":
                n += 1
print(n)'
PYCSV_CODE='import csv, sys
n = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        for v in row:
            if v:
                n += 1
print(n)'

# why a missing peer is missing; the tools of a format
declare -A SKIP
[ -n "$OPENPYXL_VER" ] || SKIP[openpyxl]="openpyxl is not installed"
[ -n "$SHEETJS_VER" ] || SKIP[sheetjs]="${NODE_NOTE:-SheetJS is not installed}"
[ -n "$EXCELJS_VER" ] || SKIP[exceljs]="${NODE_NOTE:-exceljs is not installed}"
[ -n "$XLRD_VER" ] || SKIP[xlrd]="xlrd is not installed (python3-xlrd)"
[ -n "$FREEXL" ] || SKIP[freexl]="bench/freexl_read.c did not build (libfreexl-dev)"
tools() {
  local t
  case $1 in
  xlsx) t="floor dtbd openpyxl sheetjs exceljs" ;;
  xls)  t="xlrd dtbd freexl" ;;
  csv)  t="pycsv dtbd" ;;
  esac
  local out="" x
  for x in $t; do [ -z "${SKIP[$x]:-}" ] && out="$out $x"; done
  echo $out
}

timed() {   # timed FORMAT TOOL FILE — run under /usr/bin/time, stdout to /dev/null
  local -a cmd
  case "$2" in
    floor)    cmd=(unzip -p "$3") ;;
    dtbd)     cmd=("$DTBD" dump "$3") ;;
    openpyxl) cmd=("$PY" -c "$OPENPYXL_CODE" "$3") ;;
    sheetjs)  cmd=(node "$HERE/sheetjs.js" "$3") ;;
    exceljs)  cmd=(node "$HERE/exceljs.js" "$3") ;;
    xlrd)     cmd=("$PY" -c "$XLRD_CODE" "$3") ;;
    freexl)   cmd=("$FREEXL" "$3") ;;
    pycsv)    cmd=("$PY" -c "$PYCSV_CODE" "$3") ;;
  esac
  "$TIME" -f '%U %S %e %M %x' -o "$TMP/time" "${cmd[@]}" >/dev/null 2>"$TMP/err"
}

# ---- the rounds ----------------------------------------------------------------
declare -A CPU RATIO RSS FAILED FILEOF
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for fmt in $FORMATS; do
  case $fmt in xlsx) f=$XLSX ;; xls) f=$XLS ;; csv) f=$CSV ;; *) die "unknown format $fmt" ;; esac
  [ -s "$f" ] || { SKIP[$fmt]=${XLS_NOTE:-"no file"}; continue; }
  FILEOF[$fmt]=$f
  TL=$(tools "$fmt")
  ref=${TL%% *}
  echo "bench: $fmt: $(basename "$f"), $ROUNDS rounds of: $TL"
  for ((round = 1; round <= ROUNDS; round++)); do
    declare -A this=()
    for t in $TL; do
      [ -n "${FAILED[$fmt.$t]:-}" ] && continue
      timed "$fmt" "$t" "$f"
      read -r us sy _wall rss code < <(tail -n 1 "$TMP/time")
      if [ "${code:-1}" != 0 ]; then
        FAILED[$fmt.$t]="exit ${code:-?}: $(grep -v '^Command exited' "$TMP/err" | tail -n 1)"
        continue
      fi
      this[$t]=$(awk -v u="$us" -v s="$sy" 'BEGIN { printf "%.3f", u + s }')
      CPU[$fmt.$t]="${CPU[$fmt.$t]:-} ${this[$t]}"
      [ "${RSS[$fmt.$t]:-0}" -lt "$rss" ] && RSS[$fmt.$t]=$rss
    done
    for t in $TL; do
      [ -n "${this[$t]:-}" ] && [ -n "${this[$ref]:-}" ] &&
        RATIO[$fmt.$t]="${RATIO[$fmt.$t]:-} $(awk -v a="${this[$t]}" -v b="${this[$ref]}" \
                         'BEGIN { if (b > 0) printf "%.3f", a / b; else print "inf" }')"
    done
    unset this
  done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
med() { echo "${1:-}" | median | awk '{ printf "%.2f", $1 }'; }

# ---- correctness -----------------------------------------------------------------
if [ -n "$OPENPYXL_VER" ]; then
  VERIFY=$($PY "$HERE/verify.py" "$DTBD" "$XLSX" 2>&1)
else
  VERIFY="verify: SKIPPED  openpyxl is not installed"
fi

# ---- report ----------------------------------------------------------------------
table() {   # table FORMAT REFNAME
  local fmt=$1 t
  printf '| %-9s | %10s | %12s | %12s | %12s |\n' tool "CPU s" "cells/s" "peak RSS MB" "x $2"
  printf '|-----------|-----------:|-------------:|-------------:|-------------:|\n'
  local cells
  cells=$("$DTBD" dump "${FILEOF[$fmt]}" | grep -vc '^#')
  for t in $(tools "$fmt"); do
    if [ -n "${FAILED[$fmt.$t]:-}" ]; then
      printf '| %-9s | FAILED (%s) | | | |\n' "$t" "${FAILED[$fmt.$t]}"
      continue
    fi
    local s r
    s=$(med "${CPU[$fmt.$t]:-}")
    r=$(med "${RATIO[$fmt.$t]:-}")
    printf '| %-9s | %10.2f | %12.0f | %12.1f | %12.2f |\n' "$t" "$s" \
      "$(awk -v c="$cells" -v s="$s" 'BEGIN { print (s > 0 ? c / s : 0) }')" \
      "$(awk -v k="${RSS[$fmt.$t]:-0}" 'BEGIN { print k / 1024 }')" "$r"
  done
  for t in "${!SKIP[@]}"; do
    case "$fmt:$t" in xlsx:openpyxl|xlsx:sheetjs|xlsx:exceljs|xls:xlrd|xls:freexl)
      printf '| %-9s | skipped: %s | | | |\n' "$t" "${SKIP[$t]}" ;; esac
  done
}
verdict() {   # verdict OK TEXT
  if [ "$1" = 1 ]; then echo "PASS  $2"; else echo "FAIL  $2"; fi
}
report() {
  echo "# dtbd reader benchmark"
  echo
  echo "- date: $(date '+%Y-%m-%d %H:%M %Z')"
  echo "- machine: $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc), $(awk '/MemTotal/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo)"
  echo "- load average (1, 5, 15 min): $LOAD_BEFORE before, $LOAD_AFTER after (a shared machine: only ratios from the same round mean much)"
  echo "- dtbd: $DTBD, checkout $(cd "$HERE/.." && git log -1 --format='%h %s' 2>/dev/null | cut -c1-70)"
  echo "- peers: $(unzip -v | head -n 1 | cut -d' ' -f1-2); openpyxl ${OPENPYXL_VER:-none}, xlrd ${XLRD_VER:-none} ($($PY --version 2>&1)); SheetJS ${SHEETJS_VER:-none}, exceljs ${EXCELJS_VER:-none} (node $(node --version 2>/dev/null || echo none)); FreeXL $(pkg-config --modversion freexl 2>/dev/null || echo none)"
  echo "- method: $ROUNDS rounds, the tools of a format in turn in each; CPU seconds (user + system) and ratios are medians over the rounds, each ratio taken within its round; peak RSS the largest"
  local fmt
  for fmt in $FORMATS; do
    echo
    if [ -z "${FILEOF[$fmt]:-}" ]; then echo "## .$fmt: skipped (${SKIP[$fmt]:-no file})"; continue; fi
    local f=${FILEOF[$fmt]}
    echo "## .$fmt: $(basename "$f"), $(( $(stat -c %s "$f") / 1024 )) KiB"
    echo
    case $fmt in xlsx) table xlsx floor ;; xls) table xls xlrd ;; csv) table csv pycsv ;; esac
  done
  echo
  echo "## Targets"
  echo
  local r
  if [ -n "${FILEOF[xlsx]:-}" ] && [ -n "${RATIO[xlsx.dtbd]:-}" ]; then
    r=$(med "${RATIO[xlsx.dtbd]}")
    verdict "$(awk -v r="$r" 'BEGIN { print (r <= 1.6) }')" "dtbd dump <= 1.6x unzip -p on the .xlsx ($r x)"
    if [ -n "${RATIO[xlsx.openpyxl]:-}" ]; then
      r=$(awk -v a="$(med "${CPU[xlsx.openpyxl]}")" -v b="$(med "${CPU[xlsx.dtbd]}")" 'BEGIN { printf "%.2f", a / b }')
      verdict "$(awk -v r="$r" 'BEGIN { print (r >= 5) }')" "dtbd >= 5x faster than openpyxl read-only ($r x)"
    fi
    r=$(awk -v k="${RSS[xlsx.dtbd]}" 'BEGIN { printf "%.1f", k / 1024 }')
    verdict "$(awk -v r="$r" 'BEGIN { print (r < 32) }')" "dtbd peak RSS < 32 MB on the .xlsx ($r MB)"
  fi
  if [ -n "${RATIO[csv.dtbd]:-}" ]; then
    r=$(med "${RATIO[csv.dtbd]}")
    verdict "$(awk -v r="$r" 'BEGIN { print (r <= 1) }')" "dtbd reads the .csv at least as fast as Python's csv ($r x its time)"
  fi
  echo "$VERIFY" | sed 's/^verify: PASS/PASS  verify:/; s/^verify: FAIL/FAIL  verify:/; s/^verify: SKIPPED/SKIP  verify:/'
}

REPORT=$(report)
echo
echo "$REPORT"
if [ "${BENCH_NO_RESULTS:-}" != 1 ]; then
  echo "$REPORT" > "$HERE/RESULTS.md"
  mkdir -p "$HERE/results"
  slug=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | tr 'A-Z' 'a-z' |
         sed 's/([^)]*)//g; s/processor//; s/[^a-z0-9]\{1,\}/-/g; s/^-//; s/-$//' | cut -c1-24)
  OUT="$HERE/results/$(date +%F)-$(uname -m)-${slug:-cpu}-${ROWS}r-$(nproc)cpu.txt"
  echo "$REPORT" > "$OUT"
  echo
  echo "bench: written bench/RESULTS.md and bench/results/$(basename "$OUT")"
fi
exit 0
