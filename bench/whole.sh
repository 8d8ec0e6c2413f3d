#!/bin/bash
# bench/whole.sh DTBD — the whole-run benchmark (issue 15, "Speed": a province
# cycle under a second, a nation's inbox on two cores in bounded memory).
#
# The province corpus is the project's own generated province,
# tests/corpus/inbox (276 files, 2021–2025), or BENCH_CORPUS when given. The
# independent corpus (../shared/corpus-kg) is never copied: it is read in
# place by make test, and the larger corpora here are copies of the province
# corpus in a scratch folder (mktemp -d, removed at the end): 5 copies in
# sub-folders c01..c05 and as many as make about 7,000 files (the nation-sized one).
#
# In each round, in turn:
#   dtbd202   DTBD run --no-charts -o OUT PROVINCE
#   script202 /usr/bin/python3 bench/read_every_cell.py PROVINCE (the peer:
#             pandas + openpyxl + xlrd reading every cell, nothing else)
#   dtbd1010  DTBD run --no-charts -o OUT the 5 copies
#   dtbd7070  DTBD run --no-charts -o OUT the nation-sized copies (every round, or only
#             the first when it took more than BENCH_NATION_SLOW seconds)
# under /usr/bin/time: wall and CPU (user + system) seconds, peak RSS. The
# report gives medians over the rounds, the ratio script ÷ dtbd taken within
# each round (wall and CPU), the largest peak RSS of each run and
# RSS(1,010) / RSS(202); then PASS/FAIL per target of issue 15. dtbd's exit
# status 1 (errors in the data: the corpus is messy on purpose) counts as a
# run; 2 or 3 is a failure. Missing a target prints FAIL, the exit status is
# still 0 (a report, not a test); 2 when it cannot run.
#
# The report goes to stdout, replaces the "## Whole run" section at the end
# of bench/RESULTS.md (the readers' report of bench/run.sh above it is kept)
# and goes to bench/results/DATE-ARCH-CPU-whole-NCPUcpu.txt.
#
# Environment: BENCH_ROUNDS (default 3), BENCH_NATION_SLOW (default 15),
#              BENCH_NO_RESULTS=1 (write neither results file),
#              BENCH_CORPUS (the province corpus; default tests/corpus/inbox).
set -u

DTBD=${1:?usage: bench/whole.sh DTBD}
case "$DTBD" in /*) ;; *) DTBD="$PWD/$DTBD" ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
ROUNDS=${BENCH_ROUNDS:-3}
SLOW=${BENCH_NATION_SLOW:-15}
PY=/usr/bin/python3
TIME=/usr/bin/time

die() { echo "whole: $*" >&2; exit 2; }
[ -x "$DTBD" ] || die "no executable $DTBD (make all first)"
[ -x "$TIME" ] || die "$TIME is missing (apt-get install time; .ci/deps bench)"
$PY -c 'import openpyxl, xlrd' 2>/dev/null || die "$PY cannot import openpyxl and xlrd (.ci/deps bench)"
PANDAS_VER=$($PY -c 'import pandas; print(pandas.__version__)' 2>/dev/null) || PANDAS_VER=""

CORPUS=${BENCH_CORPUS:-$TOP/tests/corpus/inbox}
[ -d "$CORPUS" ] || die "no province corpus ($CORPUS)"
count() { find "$1" -type f \( -iname '*.xlsx' -o -iname '*.xls' -o -iname '*.csv' -o -iname '*.zip' \) | wc -l; }

SCRATCH=$(mktemp -d /tmp/dtbd-whole.XXXXXX) || die "mktemp failed"
trap 'rm -rf "$SCRATCH"' EXIT
# the nation: as many copies as make about 7,000 files (35 of a 202-file
# province, 25 of tests/corpus's 276); BENCH_NATION_COPIES overrides
n_prov=$(count "$CORPUS")
[ "$n_prov" -gt 0 ] || die "no workbook in $CORPUS"
NCOPIES=${BENCH_NATION_COPIES:-$(( (7000 + n_prov / 2) / n_prov ))}
[ "$NCOPIES" -ge 5 ] || NCOPIES=5
echo "whole: copying $CORPUS 5x and ${NCOPIES}x into $SCRATCH …"
for i in $(seq -w 1 "$NCOPIES"); do
  cp -r "$CORPUS" "$SCRATCH/n7070-c$i" || die "cannot copy the corpus"
done
mkdir "$SCRATCH/n1010" "$SCRATCH/n7070" || die "mkdir failed"
for i in $(seq -w 1 "$NCOPIES"); do
  [ "$i" -le 5 ] && cp -r "$SCRATCH/n7070-c$i" "$SCRATCH/n1010/c$i"
  mv "$SCRATCH/n7070-c$i" "$SCRATCH/n7070/c$i"
done
declare -A INPUT=([dtbd202]=$CORPUS [script202]=$CORPUS [dtbd1010]=$SCRATCH/n1010 [dtbd7070]=$SCRATCH/n7070)
declare -A FILES=([202]=$(count "$CORPUS") [1010]=$(count "$SCRATCH/n1010") [7070]=$(count "$SCRATCH/n7070"))

timed() {   # timed RUN — one run under /usr/bin/time; sets us sy wall rss code
  local -a cmd
  rm -rf "$SCRATCH/out"
  case $1 in
    script202) cmd=("$PY" "$HERE/read_every_cell.py" "${INPUT[$1]}") ;;
    *)         cmd=("$DTBD" run --no-charts -o "$SCRATCH/out" "${INPUT[$1]}") ;;
  esac
  "$TIME" -f '%U %S %e %M %x' -o "$SCRATCH/time" "${cmd[@]}" >"$SCRATCH/stdout" 2>"$SCRATCH/err"
  read -r us sy wall rss code < <(tail -n 1 "$SCRATCH/time")
}

declare -A WALL CPU RSS FAILED NOTE
RW=""; RC=""   # per-round ratios script ÷ dtbd (wall, CPU)
NATION_ROUNDS=0
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for ((round = 1; round <= ROUNDS; round++)); do
  echo "whole: round $round of $ROUNDS"
  declare -A w=() c=()
  for run in dtbd202 script202 dtbd1010 dtbd7070; do
    [ -n "${FAILED[$run]:-}" ] && continue
    if [ "$run" = dtbd7070 ] && [ "$round" -gt 1 ] &&
       awk -v s="${WALL[dtbd7070]:-0}" -v t="$SLOW" 'BEGIN { exit !(s + 0 > t) }'; then
      continue   # slow: one round is enough (the report says so)
    fi
    timed "$run"
    ok=0
    case $run in script202) [ "${code:-1}" = 0 ] && ok=1 ;; *) [ "${code:-9}" = 0 ] || [ "${code:-9}" = 1 ] && ok=1 ;; esac
    if [ $ok != 1 ]; then
      FAILED[$run]="exit ${code:-?}: $(grep -v '^Command exited' "$SCRATCH/err" | tail -n 1)"
      continue
    fi
    [ "$run" = script202 ] && NOTE[script]=$(cat "$SCRATCH/stdout")
    [ "$run" = dtbd7070 ] && NATION_ROUNDS=$((NATION_ROUNDS + 1))
    w[$run]=$wall
    c[$run]=$(awk -v u="$us" -v s="$sy" 'BEGIN { printf "%.2f", u + s }')
    WALL[$run]="${WALL[$run]:-} $wall"
    CPU[$run]="${CPU[$run]:-} ${c[$run]}"
    [ "${RSS[$run]:-0}" -lt "$rss" ] && RSS[$run]=$rss
    printf 'whole:   %-9s %6.2f s wall %6.2f s CPU %7.1f MB\n' "$run" "$wall" "${c[$run]}" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
  done
  if [ -n "${w[dtbd202]:-}" ] && [ -n "${w[script202]:-}" ]; then
    RW="$RW $(awk -v a="${w[script202]}" -v b="${w[dtbd202]}" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
    RC="$RC $(awk -v a="${c[script202]}" -v b="${c[dtbd202]}" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }')"
  fi
  unset w c
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
med() { echo "${1:-}" | median | awk '{ printf "%.2f", $1 }'; }
mb() { awk -v k="${1:-0}" 'BEGIN { printf "%.1f", k / 1024 }'; }
verdict() { if [ "$1" = 1 ]; then echo "PASS  $2"; else echo "FAIL  $2"; fi; }

table() {
  printf '| %-9s | %5s | %-30s | %7s | %7s | %11s | %8s |\n' run files command "wall s" "CPU s" "peak RSS MB" rounds
  printf '|-----------|------:|--------------------------------|--------:|--------:|------------:|---------:|\n'
  local run n cmd
  for run in dtbd202 script202 dtbd1010 dtbd7070; do
    n=${run//[a-z]/}
    case $run in script*) cmd="read_every_cell.py" ;; *) cmd="dtbd run --no-charts" ;; esac
    if [ -n "${FAILED[$run]:-}" ]; then
      printf '| %-9s | %5s | %-30s | FAILED (%s) | | | |\n' "$run" "${FILES[$n]}" "$cmd" "${FAILED[$run]}"
      continue
    fi
    printf '| %-9s | %5s | %-30s | %7.2f | %7.2f | %11s | %8s |\n' "$run" "${FILES[$n]}" "$cmd" \
      "$(med "${WALL[$run]:-}")" "$(med "${CPU[$run]:-}")" "$(mb "${RSS[$run]:-}")" \
      "$(echo "${WALL[$run]:-}" | wc -w)"
  done
}

report() {
  echo "## Whole run"
  echo
  echo "\`bench/whole.sh\` (issue 15): \`dtbd run --no-charts\` on the province corpus and on 5 copies of it and on as many as make about 7,000 files, against \`bench/read_every_cell.py\`, a pandas + openpyxl + xlrd script that only reads every cell."
  echo
  echo "- date: $(date '+%Y-%m-%d %H:%M %Z')"
  echo "- machine: $(uname -m), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), nproc $(nproc), $(awk '/MemTotal/ { printf "%.1f GB RAM", $2 / 1048576 }' /proc/meminfo)"
  echo "- load average (1, 5, 15 min): $LOAD_BEFORE before, $LOAD_AFTER after (a shared machine: wall times move with the neighbours; ratios are taken within a round)"
  echo "- dtbd: $DTBD, checkout $(cd "$TOP" && git log -1 --format='%h %s' 2>/dev/null | cut -c1-70)"
  echo "- province corpus: $CORPUS (${FILES[202]} files); copies in a scratch folder: ${FILES[1010]} and ${FILES[7070]} files"
  echo "- peer: $($PY --version 2>&1), openpyxl $($PY -c 'import openpyxl; print(openpyxl.__version__)'), xlrd $($PY -c 'import xlrd; print(xlrd.__VERSION__)'), pandas ${PANDAS_VER:-none (csv module)}; it printed: ${NOTE[script]:-nothing}"
  echo "- method: $ROUNDS rounds of the runs in turn; medians over the rounds; peak RSS the largest; the 7,070-file run $NATION_ROUNDS round(s)$([ "$NATION_ROUNDS" -lt "$ROUNDS" ] && echo " (it took over ${SLOW} s: one round is enough)")"
  echo
  table
  echo
  local rw rc r1 r2 w
  rw=$(med "$RW"); rc=$(med "$RC")
  echo "script ÷ dtbd on the ${FILES[202]} files, within each round: wall${RW} (median $rw), CPU${RC} (median $rc)"
  echo
  echo "### Targets"
  echo
  if [ -n "$RW" ]; then
    verdict "$(awk -v r="$rw" 'BEGIN { print (r >= 4) }')" "province run >= 4x faster than the read-every-cell script (wall $rw x; CPU $rc x)"
  fi
  if [ -n "${WALL[dtbd202]:-}" ]; then
    w=$(med "${WALL[dtbd202]}")
    verdict "$(awk -v r="$w" 'BEGIN { print (r < 1) }')" "province run < 1 s wall ($w s; load $LOAD_BEFORE before)"
  fi
  if [ -n "${WALL[dtbd7070]:-}" ]; then
    w=$(med "${WALL[dtbd7070]}")
    verdict "$(awk -v r="$w" 'BEGIN { print (r < 20) }')" "nation-sized run (${FILES[7070]} files) < 20 s wall on $(nproc) cores ($w s)"
  fi
  if [ -n "${RSS[dtbd202]:-}" ] && [ -n "${RSS[dtbd1010]:-}" ]; then
    r1=$(awk -v a="${RSS[dtbd1010]}" -v b="${RSS[dtbd202]}" 'BEGIN { printf "%.2f", a / b }')
    verdict "$(awk -v r="$r1" 'BEGIN { print (r <= 1.3) }')" "peak RSS at ${FILES[1010]} files <= 1.3x the ${FILES[202]}-file peak ($r1 x: $(mb "${RSS[dtbd1010]}") / $(mb "${RSS[dtbd202]}") MB)"
  fi
  if [ -n "${RSS[dtbd7070]:-}" ]; then
    r2=$(mb "${RSS[dtbd7070]}")
    verdict "$(awk -v r="$r2" 'BEGIN { print (r < 500) }')" "peak RSS at ${FILES[7070]} files < 500 MB ($r2 MB)"
  fi
  local run
  for run in "${!FAILED[@]}"; do echo "FAIL  $run did not run: ${FAILED[$run]}"; done
}

REPORT=$(report)
echo
echo "$REPORT"
if [ "${BENCH_NO_RESULTS:-}" != 1 ]; then
  R="$HERE/RESULTS.md"
  if [ -f "$R" ]; then
    # keep everything above an earlier "## Whole run" section (the readers' report)
    awk '/^## Whole run$/ { exit } { print }' "$R" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' > "$SCRATCH/results"
    { cat "$SCRATCH/results"; echo; echo "$REPORT"; } > "$R"
  else
    echo "$REPORT" > "$R"
  fi
  mkdir -p "$HERE/results"
  slug=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | tr 'A-Z' 'a-z' |
         sed 's/([^)]*)//g; s/processor//; s/[^a-z0-9]\{1,\}/-/g; s/^-//; s/-$//' | cut -c1-24)
  OUT="$HERE/results/$(date +%F)-$(uname -m)-${slug:-cpu}-whole-$(nproc)cpu.txt"
  echo "$REPORT" > "$OUT"
  echo
  echo "whole: written bench/RESULTS.md (section \"Whole run\") and bench/results/$(basename "$OUT")"
fi
exit 0
