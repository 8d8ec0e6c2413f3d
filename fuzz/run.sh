#!/bin/sh
# fuzz/run.sh NAME… — run each built harness $FZ/fuzz_NAME for $FUZZ_SECONDS
# on $FZ/corpus-NAME (seeded by fuzz/seeds.sh), one after the other, then print
# executions and coverage per harness. Exit 1 when any harness crashed, leaked,
# hung or ran out of memory (its reproducer is in $FZ/crash-NAME/).
# FUZZ_ARGS: more libFuzzer options (e.g. -max_len=65536); FUZZ_NICE: a prefix
# for the harness command (e.g. "nice -n 10"); FUZZ_SEED: libFuzzer's random
# seed (CI fixes it, so a failure there is replayed by the same command; unset,
# each run explores anew). A failing harness's report and, when it is small,
# its reproducer (base64) are printed, so a CI record alone says what failed.
set -u
FZ=${FZ:-build/fuzz}
SECS=${FUZZ_SECONDS:-600}
NICE=${FUZZ_NICE:-}
SEED=${FUZZ_SEED:+-seed=$FUZZ_SEED}
failed=""

# report NAME LOG CRASHDIR: what a failed harness left, for a record that
# outlives the build tree (CI's clone is thrown away).
report() {
  echo "-- fuzz_$1 failed; the end of $2:"
  grep -v -E '^#[0-9]+|^INFO:|^stat::' "$2" | tail -n 60
  for f in "$3"/*; do
    [ -f "$f" ] || continue
    if [ "$(wc -c < "$f")" -le 16384 ]; then
      echo "-- reproducer $f (base64; replay: base64 -d > F && $FZ/fuzz_$1 F):"
      base64 "$f"
    else
      echo "-- reproducer $f: $(wc -c < "$f") bytes, not printed"
    fi
  done
}
for name in "$@"; do
  bin="$FZ/fuzz_$name"
  corpus="$FZ/corpus-$name"
  crash="$FZ/crash-$name"
  log="$FZ/$name.log"
  mkdir -p "$corpus" "$crash"
  FZ=$FZ fuzz/seeds.sh "$name" "$corpus"
  case $name in
    xlsx|xmlscan) dict="-dict=fuzz/xml.dict" ;;
    xls) dict="-dict=fuzz/biff.dict" ;;
    *) dict="" ;;
  esac
  echo "== fuzz_$name: ${SECS}s on $corpus ${dict} ${SEED}"
  # shellcheck disable=SC2086
  ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
  UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    $NICE "$bin" -max_total_time="$SECS" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
      -artifact_prefix="$crash/" $SEED $dict ${FUZZ_ARGS:-} "$corpus" > "$log" 2>&1
  rc=$?
  [ $rc -eq 0 ] || { failed="$failed $name"; report "$name" "$log" "$crash"; }
done
echo
printf '%-10s %12s %8s %8s %8s  %s\n' harness executions cov ft corpus result
for name in "$@"; do
  log="$FZ/$name.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  last=$(grep -E '^#[0-9]+' "$log" | grep -E 'cov: ' | tail -1)
  cov=$(printf '%s' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(printf '%s' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(printf '%s' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
  res=ok
  case " $failed " in *" $name "*) res="FAILED (see $log, $FZ/crash-$name/)";; esac
  printf '%-10s %12s %8s %8s %8s  %s\n' "$name" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$res"
done
[ -z "$failed" ] || { echo "fuzz: crashes in:$failed" >&2; exit 1; }
exit 0
