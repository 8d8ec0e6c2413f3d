#!/bin/sh
# tests/e2e/corpus.t.sh — `dtbd run` on the generated corpus (tests/corpus),
# compared with the generator's truth value for value (tests/e2e/corpus_compare.py).
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "corpus.t.sh: /usr/bin/python3 missing"; exit 1; }
sh tests/corpus/touch.sh || exit 1
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$DTBD_WRAP "$DTBD" run --no-charts -o "$out" tests/corpus/inbox 2>"$out/stderr"
rc=$?
# planted errors: exit status 1 (outputs written, errors in the data)
if [ "$rc" -ne 1 ]; then
  echo "corpus.t.sh: dtbd run exited $rc, expected 1"; cat "$out/stderr"; exit 1
fi
grep -q "KHÔNG KHỚP" "$out/stderr" && { echo "corpus.t.sh: cell counts do not reconcile"; cat "$out/stderr"; exit 1; }
"$PY" tests/e2e/corpus_compare.py "$out" tests/corpus/truth --stage "${DTBD_CORPUS_STAGE:-4}"
