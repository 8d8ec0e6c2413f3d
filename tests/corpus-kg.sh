#!/bin/sh
# tests/corpus-kg.sh DTBD — the independent corpus (../shared/corpus-kg, written
# outside the project from DESIGN.md alone) read exactly: its own scorer must
# exit 0 (every true value, no wrong or extra record, every attainment row,
# every file's unit, year, status and worst finding). The corpus is never
# copied here; it is found at $DTBD_CORPUS_KG, ../shared/corpus-kg beside this
# checkout, or /work/shared/corpus-kg. Not finding it is a failure, not a skip.
set -u
dtbd=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
kg=
for d in "${DTBD_CORPUS_KG:-}" "$top/../shared/corpus-kg" /work/shared/corpus-kg; do
  [ -n "$d" ] && [ -x "$d/score/score.sh" ] && { kg=$d; break; }
done
if [ -z "$kg" ]; then
  echo "corpus-kg.sh: the independent corpus was not found (set DTBD_CORPUS_KG=/path/to/corpus-kg)"
  exit 1
fi
out=$(mktemp -d)
trap 'rm -rf "$out" "$out.stdout" "$out.stderr"' EXIT
if "$kg/score/score.sh" "$dtbd" "$out" >"$out.log" 2>&1; then
  grep -E '^(records|attainment|files)' "$out.log" | sed 's/^/corpus-kg: /'
  rm -f "$out.log"
  exit 0
fi
echo "corpus-kg.sh: $kg is not read exactly:"
head -60 "$out.log"
rm -f "$out.log"
exit 1
