#!/bin/sh
# tests/e2e/charts-nognuplot.t.sh — charts with and without gnuplot: without
# it on PATH the run still writes every output, the charts are one
# `charts_unavailable` warning (never an error) and the exit status is the
# same as with gnuplot.
# gnuplot itself is required (CI installs it): without it the run "with"
# cannot be checked, and the test fails rather than pass unchecked.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "charts-nognuplot.t.sh: $*"; exit 1; }
command -v gnuplot >/dev/null 2>&1 || fail "gnuplot is missing (apt-get install gnuplot-nox): the run with it cannot be checked"

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

grep -q '^warning,charts_unavailable,' "$tmp/without/issues.csv" || fail "no charts_unavailable warning without gnuplot"
[ "$(grep -c 'charts_' "$tmp/without/issues.csv")" -eq 1 ] || fail "more than one charts finding"
[ -e "$tmp/without/charts" ] && fail "charts folder made without gnuplot"
[ -s "$tmp/with/charts/bieu-do.pdf" ] || fail "no bieu-do.pdf with gnuplot"
grep -q 'charts_' "$tmp/with/issues.csv" && fail "chart findings with gnuplot: $(grep 'charts_' "$tmp/with/issues.csv")"
exit 0
