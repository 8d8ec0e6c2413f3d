#!/bin/bash
# bench/run.sh DTBD — the .xlsx reader benchmark (issue 2, "Speed").
#
# Times `DTBD dump FILE > /dev/null` against its peers on the same
# 1,000,000-cell workbook in the same run, best of 3 rounds (the tools take
# turns in each round, so a noisy neighbour hurts them alike):
#   floor     unzip -p FILE > /dev/null          (inflate every part, nothing else)
#   expat     bench/xmlfloor.c: libzip + expat with no-op handlers (context: the
#             floor of any reader built on those two libraries, as DESIGN asks)
#   dtbd      DTBD dump FILE > /dev/null
#   openpyxl  load_workbook(read_only=True), every value (values_only=True)
#   sheetjs   node bench/sheetjs.js FILE          (XLSX.readFile + walk every cell)
# Wall time and peak RSS come from /usr/bin/time -f '%e %M'. Then checks the
# targets (dtbd <= 3x floor, >= 5x faster than openpyxl, peak RSS < 32 MB),
# runs bench/verify.py once (dtbd's cells against openpyxl's), prints a table
# and writes it to bench/results/DATE-MACHINE.txt. A missed target prints FAIL
# but the exit status is still 0: this is a report, not a test. It exits
# non-zero only when it cannot run at all.
#
# Environment: BENCH_ROWS (default 100000 rows x 10 columns, header included),
#              BENCH_ROUNDS (default 3), BENCH_NO_RESULTS=1 (do not write the
#              results file).
set -u

DTBD=${1:?usage: bench/run.sh DTBD}
case "$DTBD" in /*) ;; *) DTBD="$PWD/$DTBD" ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
ROWS=${BENCH_ROWS:-100000}
ROUNDS=${BENCH_ROUNDS:-3}
CELLS=$((ROWS * 10))
DATA="$HERE/data"
FILE="$DATA/bench-$ROWS.xlsx"
PY=/usr/bin/python3
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 2; }
[ -x "$DTBD" ] || die "no executable $DTBD (make B=... all first)"
[ -x "$TIME" ] || die "$TIME is missing (apt-get install time; .ci/deps bench)"
command -v unzip >/dev/null || die "unzip is missing (.ci/deps bench)"
mkdir -p "$DATA" || die "cannot create $DATA"

# ---- the workbook ------------------------------------------------------------
GEN="$DATA/gen_xlsx"
if [ ! -x "$GEN" ] || [ "$HERE/gen_xlsx.c" -nt "$GEN" ]; then
  # shellcheck disable=SC2046
  cc -std=c11 -O2 -Wall -Wextra -Werror "$HERE/gen_xlsx.c" \
     $(pkg-config --cflags --libs xlsxwriter) -o "$GEN" || die "cannot build gen_xlsx"
  rm -f "$DATA"/bench-*.xlsx          # a new generator makes new files
fi
if [ ! -s "$FILE" ]; then
  echo "bench: generating $FILE ($ROWS rows x 10 columns) …"
  "$GEN" "$FILE.tmp" "$ROWS" && mv "$FILE.tmp" "$FILE" || die "cannot generate $FILE"
fi
FILE_BYTES=$(stat -c %s "$FILE")
XML_BYTES=$(unzip -l "$FILE" | awk 'END { print $1 }')
SHEET_BYTES=$(unzip -l "$FILE" | awk '$4 == "xl/worksheets/sheet1.xml" { print $1 }')
SST_BYTES=$(unzip -l "$FILE" | awk '$4 == "xl/sharedStrings.xml" { print $1 }')
SST_COUNT=$(unzip -p "$FILE" xl/sharedStrings.xml | head -c 400 | LC_ALL=C grep -ao 'uniqueCount="[0-9]*"' | tr -dc 0-9)

XMLFLOOR="$DATA/xmlfloor"
if [ ! -x "$XMLFLOOR" ] || [ "$HERE/xmlfloor.c" -nt "$XMLFLOOR" ]; then
  # shellcheck disable=SC2046
  cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 "$HERE/xmlfloor.c" \
     $(pkg-config --cflags --libs libzip expat) -o "$XMLFLOOR" || XMLFLOOR=""
fi

# ---- the peers ---------------------------------------------------------------
OPENPYXL_VER=$($PY -c 'import openpyxl; print(openpyxl.__version__)' 2>/dev/null) || OPENPYXL_VER=""
SHEETJS_NOTE=""
SHEETJS_VER=""
if ! command -v node >/dev/null; then
  SHEETJS_NOTE="node is not installed (.ci/deps bench installs nodejs, npm)"
else
  if [ ! -f "$HERE/node_modules/xlsx/package.json" ]; then
    if command -v npm >/dev/null; then
      echo "bench: npm install --prefix bench (SheetJS, pinned in bench/package.json) …"
      npm install --prefix "$HERE" --no-audit --no-fund --loglevel=error >&2 ||
        SHEETJS_NOTE="npm install failed"
    else
      SHEETJS_NOTE="npm is not installed"
    fi
  fi
  [ -f "$HERE/node_modules/xlsx/package.json" ] &&
    SHEETJS_VER=$(node -p "require('$HERE/node_modules/xlsx/package.json').version") ||
    SHEETJS_NOTE=${SHEETJS_NOTE:-"SheetJS is not installed"}
fi

OPENPYXL_CODE='import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
n = 0
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        for v in row:
            if v is not None:
                n += 1
print(n)'

TOOLS="floor"
[ -n "$XMLFLOOR" ] && TOOLS="$TOOLS expat"
TOOLS="$TOOLS dtbd"
[ -n "$OPENPYXL_VER" ] && TOOLS="$TOOLS openpyxl"
[ -z "$SHEETJS_NOTE" ] && TOOLS="$TOOLS sheetjs"

timed() {   # timed NAME — run the tool on $FILE under /usr/bin/time, stdout to /dev/null
  local -a cmd
  case "$1" in
    floor)    cmd=(unzip -p "$FILE") ;;
    expat)    cmd=("$XMLFLOOR" "$FILE") ;;
    dtbd)     cmd=("$DTBD" dump "$FILE") ;;
    openpyxl) cmd=("$PY" -c "$OPENPYXL_CODE" "$FILE") ;;
    sheetjs)  cmd=(node "$HERE/sheetjs.js" "$FILE") ;;
  esac
  "$TIME" -f '%e %M %x' -o "$TMP/time" "${cmd[@]}" >/dev/null 2>"$TMP/err"
}

TMP=$(mktemp -d) || die "mktemp failed"
trap 'rm -rf "$TMP"' EXIT

DIRTY=$(cd "$HERE/.." && git status --porcelain -- base input pipeline 2>/dev/null | awk '{ print $2 }' | tr '\n' ' ')
declare -A BEST_T MAX_RSS FAILED
echo "bench: $FILE — $CELLS cells, $ROUNDS rounds of: $TOOLS"
for ((round = 1; round <= ROUNDS; round++)); do
  for t in $TOOLS; do
    [ -n "${FAILED[$t]:-}" ] && continue
    timed "$t"
    read -r secs rss code < <(tail -n 1 "$TMP/time")
    if [ "${code:-1}" != 0 ]; then
      FAILED[$t]="exit ${code:-?}: $(grep -v '^Command exited' "$TMP/err" | tail -n 1)"
      continue
    fi
    if [ -z "${BEST_T[$t]:-}" ] || awk -v a="$secs" -v b="${BEST_T[$t]}" 'BEGIN { exit !(a < b) }'; then
      BEST_T[$t]=$secs
    fi
    if [ -z "${MAX_RSS[$t]:-}" ] || [ "$rss" -gt "${MAX_RSS[$t]}" ]; then MAX_RSS[$t]=$rss; fi
  done
  echo "bench: round $round done"
done

# ---- dump's own output cost, no reader (context for the dtbd figure) --------
DUMPCOST=""
LIB="$(dirname "$DTBD")/libdtbd.a"
if [ -f "$LIB" ] && [ "$ROWS" = 100000 ]; then
  # shellcheck disable=SC2046
  if cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -I"$HERE/.." "$HERE/dumpcost.c" "$LIB" \
       $(pkg-config --libs libzip expat freexl xlsxwriter yaml-0.1 libutf8proc) -lcsv -lm \
       -o "$TMP/dumpcost" 2>"$TMP/cc.err"; then
    DUMPCOST=$("$TMP/dumpcost")
  else
    DUMPCOST="not built: $(head -n 1 "$TMP/cc.err")"
  fi
fi

# ---- correctness -------------------------------------------------------------
if [ -n "$OPENPYXL_VER" ]; then
  VERIFY=$($PY "$HERE/verify.py" "$DTBD" "$FILE" 2>&1)
else
  VERIFY="verify: SKIPPED  openpyxl is not installed"
fi

# ---- report ------------------------------------------------------------------
f2() { awk -v x="$1" 'BEGIN { printf "%.2f", x }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
report() {
  echo "dtbd .xlsx reader benchmark — $(date '+%Y-%m-%d %H:%M %Z')"
  echo "machine: $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc), $(awk '/MemTotal/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo)"
  echo "dtbd: $DTBD built $(date -r "$DTBD" '+%Y-%m-%d %H:%M'); checkout at $(cd "$HERE/.." && git log -1 --format='%h %s' 2>/dev/null | cut -c1-60)"
  [ -n "$DIRTY" ] && echo "      (uncommitted in base/ input/ pipeline/ when the run started: $DIRTY)"
  echo "peers: $(unzip -v | head -n 1 | cut -d' ' -f1-2), openpyxl ${OPENPYXL_VER:-none} ($($PY --version 2>&1)), SheetJS ${SHEETJS_VER:-none} (node $(node --version 2>/dev/null || echo none))"
  echo "file: $(basename "$FILE"), $ROWS rows x 10 columns = $CELLS cells; $((FILE_BYTES / 1024)) KiB zipped, $((XML_BYTES / 1024)) KiB of XML (sheet1.xml $((SHEET_BYTES / 1024)) KiB, sharedStrings.xml $((SST_BYTES / 1024)) KiB, ${SST_COUNT:-?} shared strings)"
  echo "best of $ROUNDS runs each (peak RSS: the largest of the runs)"
  echo
  printf '%-10s %9s %13s %13s %9s\n' tool seconds cells/s "peak RSS MB" "x floor"
  local t
  for t in floor expat dtbd openpyxl sheetjs; do
    if [ -n "${FAILED[$t]:-}" ]; then
      printf '%-10s FAILED (%s)\n' "$t" "${FAILED[$t]}"
    elif [ -n "${BEST_T[$t]:-}" ]; then
      local s=${BEST_T[$t]}
      printf '%-10s %9s %13s %13s %9s\n' "$t" "$s" \
        "$(awk -v c="$CELLS" -v s="$s" 'BEGIN { if (s > 0) printf "%.0f", c / s; else print "inf" }')" \
        "$(awk -v k="${MAX_RSS[$t]}" 'BEGIN { printf "%.1f", k / 1024 }')" \
        "$(div "$s" "${BEST_T[floor]:-0}")"
    elif [ "$t" = openpyxl ]; then
      printf '%-10s skipped (openpyxl is not installed)\n' "$t"
    elif [ "$t" = sheetjs ]; then
      printf '%-10s skipped (%s)\n' "$t" "$SHEETJS_NOTE"
    fi
  done
  echo
  local d=${BEST_T[dtbd]:-} fl=${BEST_T[floor]:-} op=${BEST_T[openpyxl]:-} sj=${BEST_T[sheetjs]:-}
  if [ -z "$d" ]; then
    echo "FAIL  dtbd could not read the file: ${FAILED[dtbd]:-no measurement}"
    echo "FAIL  dtbd <= 3x floor time: no measurement"
    echo "FAIL  dtbd >= 5x faster than openpyxl: no measurement"
    echo "FAIL  dtbd peak RSS < 32 MB: no measurement"
  else
    [ -n "$op" ] && echo "dtbd speed-up vs openpyxl read-only: $(div "$op" "$d")x"
    [ -n "$sj" ] && echo "dtbd speed-up vs SheetJS: $(div "$sj" "$d")x"
    local r
    r=$(div "$d" "$fl")
    if awk -v r="$r" 'BEGIN { exit !(r <= 3) }'; then echo "PASS  dtbd <= 3x floor time ($r x)"
    else echo "FAIL  dtbd <= 3x floor time ($r x)"; fi
    if [ -n "$op" ]; then
      r=$(div "$op" "$d")
      if awk -v r="$r" 'BEGIN { exit !(r >= 5) }'; then echo "PASS  dtbd >= 5x faster than openpyxl ($r x)"
      else echo "FAIL  dtbd >= 5x faster than openpyxl ($r x)"; fi
    else
      echo "SKIP  dtbd >= 5x faster than openpyxl (openpyxl is not installed)"
    fi
    r=$(awk -v k="${MAX_RSS[dtbd]}" 'BEGIN { printf "%.1f", k / 1024 }')
    if awk -v r="$r" 'BEGIN { exit !(r < 32) }'; then echo "PASS  dtbd peak RSS < 32 MB ($r MB)"
    else echo "FAIL  dtbd peak RSS < 32 MB ($r MB)"; fi
  fi
  if [ -n "$DUMPCOST" ]; then
    echo
    echo "context (bench/dumpcost.c): $DUMPCOST"
  fi
  echo
  echo "$VERIFY" | sed 's/^verify: PASS/PASS  verify:/; s/^verify: FAIL/FAIL  verify:/; s/^verify: SKIPPED/SKIP  verify:/'
}

REPORT=$(report)
echo
echo "$REPORT"
if [ "${BENCH_NO_RESULTS:-}" != 1 ]; then
  mkdir -p "$HERE/results"
  slug=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | tr 'A-Z' 'a-z' |
         sed 's/([^)]*)//g; s/processor//; s/[^a-z0-9]\{1,\}/-/g; s/^-//; s/-$//' | cut -c1-24)
  OUT="$HERE/results/$(date +%F)-$(uname -m)-${slug:-cpu}-${ROWS}r-$(nproc)cpu.txt"
  echo "$REPORT" > "$OUT"
  echo
  echo "bench: written bench/results/$(basename "$OUT")"
fi
exit 0
