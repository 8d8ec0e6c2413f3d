#!/bin/sh
# tests/e2e/charts-nognuplot.t.sh — charts with and without gnuplot: without
# it on PATH the run still writes every output, the charts are one
# `charts_unavailable` warning (never an error) and the exit status is the
# same as with gnuplot.
#
# Until `dtbd run` calls charts_render() itself (cli/run.c, integrated
# by the lead), the charts are drawn through the unit test's hook, which
# reads a run's attainment.csv and records.csv:
#     build/tests/test_charts --render OUTDIR
# Once the run draws them (its issues.csv then names charts_unavailable),
# the run itself is checked and the hook is not needed.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "charts-nognuplot.t.sh: $*"; exit 1; }
hook=$(dirname "$DTBD")/tests/test_charts
[ -x "$hook" ] || fail "no hook at $hook (make test-build)"

# The same PATH without gnuplot: each folder holding a gnuplot is replaced
# by a folder of links to everything else in it (the wrapper, e.g.
# valgrind, and what it runs, stay reachable).
nogp=""
i=0
IFS_SAVE=$IFS; IFS=:
for d in $PATH; do
  IFS=$IFS_SAVE
  if [ -n "$d" ] && [ -e "$d/gnuplot" ]; then
    i=$((i+1)); mkdir "$tmp/path$i"
    for f in "$d"/*; do
      case "${f##*/}" in gnuplot*) ;; *) ln -s "$f" "$tmp/path$i/" ;; esac
    done
    d="$tmp/path$i"
  fi
  nogp="$nogp${nogp:+:}$d"
  IFS=:
done
IFS=$IFS_SAVE

$DTBD_WRAP "$DTBD" run -o "$tmp/with" tests/fixtures/real/examples-inbox 2>/dev/null; rc_with=$?
PATH="$nogp" $DTBD_WRAP "$DTBD" run -o "$tmp/without" tests/fixtures/real/examples-inbox 2>"$tmp/err"; rc_without=$?
[ "$rc_without" -eq "$rc_with" ] || fail "exit status $rc_without without gnuplot, $rc_with with it"
[ "$rc_without" -le 1 ] || fail "run without gnuplot exited $rc_without: $(cat "$tmp/err")"
for f in records issues sources attainment; do
  [ -s "$tmp/without/$f.csv" ] || fail "no $f.csv without gnuplot"
done

if grep -q 'charts_unavailable' "$tmp/without/issues.csv"; then
  # The run draws the charts itself.
  grep -q '^warning,charts_unavailable,' "$tmp/without/issues.csv" || fail "charts_unavailable is not a warning"
  [ "$(grep -c 'charts_' "$tmp/without/issues.csv")" -eq 1 ] || fail "more than one charts finding"
  [ -e "$tmp/without/charts" ] && fail "charts folder made without gnuplot"
  if command -v gnuplot >/dev/null 2>&1; then
    [ -s "$tmp/with/charts/bieu-do.pdf" ] || fail "no bieu-do.pdf with gnuplot"
    grep -q 'charts_' "$tmp/with/issues.csv" && fail "chart findings with gnuplot: $(grep 'charts_' "$tmp/with/issues.csv")"
  fi
  exit 0
fi

# Through the hook.
PATH="$nogp" $DTBD_WRAP "$hook" --render "$tmp/without" >"$tmp/hook.txt" 2>&1 \
  || fail "hook failed without gnuplot: $(cat "$tmp/hook.txt")"
[ "$(grep -c '	charts_' "$tmp/hook.txt")" -eq 1 ] || fail "expected one charts finding: $(cat "$tmp/hook.txt")"
grep -q '^warning	charts_unavailable	' "$tmp/hook.txt" || fail "no charts_unavailable warning: $(cat "$tmp/hook.txt")"
grep -q '^drawn 0$' "$tmp/hook.txt" || fail "charts drawn without gnuplot"
[ -e "$tmp/without/charts" ] && fail "charts folder made without gnuplot"

if command -v gnuplot >/dev/null 2>&1; then
  $DTBD_WRAP "$hook" --render "$tmp/with" >"$tmp/hook2.txt" 2>&1 || fail "hook failed: $(cat "$tmp/hook2.txt")"
  grep -q 'charts_' "$tmp/hook2.txt" && fail "chart findings on the sample inbox: $(cat "$tmp/hook2.txt")"
  n=$(sed -n 's/^drawn //p' "$tmp/hook2.txt")
  [ "${n:-0}" -ge 15 ] || fail "only ${n:-0} charts drawn on the sample inbox"
  for f in t01 tong-quan kinh-phi; do
    [ -s "$tmp/with/charts/$f.png" ] && [ -s "$tmp/with/charts/$f.svg" ] || fail "no $f.png/.svg"
  done
  [ -s "$tmp/with/charts/bieu-do.pdf" ] || fail "no bieu-do.pdf"
fi
exit 0
