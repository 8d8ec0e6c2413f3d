#!/bin/sh
# tests/corpus/touch.sh — restore the modification times of the corpus files after a
# checkout (git does not keep them; dtbd breaks one resubmission tie by mtime).
# Usage: sh tests/corpus/touch.sh   (from anywhere)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
while IFS="$(printf '\t')" read -r path t; do
    touch -d "@$t" "$top/$path"
done < "$top/tests/corpus/truth/mtimes.tsv"
