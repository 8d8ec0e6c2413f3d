#!/bin/sh
# fuzz/seeds.sh NAME DIR — put harness NAME's seed inputs into DIR, from the
# test fixtures (and a sample of the corpus inbox). Idempotent: seeds are
# named after their source, so running it again overwrites them. Needs unzip
# (xlsx parts) and $FZ/xls_stream (BIFF streams).
set -eu
name=$1 dir=$2
FZ=${FZ:-build/fuzz}
mkdir -p "$dir"

seed() { # seed FILE [SEEDNAME]: copy one file in
  [ -f "$1" ] || return 0
  n=${2:-$(printf '%s' "$1" | tr '/ ' '__')}
  cp "$1" "$dir/seed-$n"
}

# A sample of the inbox: every 9th file of the given extension, sorted.
sample() {
  find tests/corpus/inbox -type f -name "*.$1" 2>/dev/null | LC_ALL=C sort | awk 'NR % 9 == 1'
}

# The XML parts of an .xlsx, NUL-separated in fuzz_xlsx's order.
xlsx_parts() {
  for p in xl/workbook.xml xl/_rels/workbook.xml.rels xl/sharedStrings.xml xl/styles.xml \
           xl/worksheets/sheet1.xml xl/worksheets/sheet2.xml; do
    unzip -p "$1" "$p" 2>/dev/null | tr -d '\000' || true
    printf '\000'
  done
}

case $name in
xlsx)
  { ls tests/fixtures/xlsx/*.xlsx tests/fixtures/real/*.xlsx; sample xlsx; } | while IFS= read -r f; do
    [ "$(wc -c < "$f")" -le 1048576 ] && seed "$f"
    command -v unzip >/dev/null 2>&1 && xlsx_parts "$f" > "$dir/parts-$(printf '%s' "$f" | tr '/ ' '__')"
  done ;;
xmlscan)
  # worksheet and shared-string parts, each after a chunk-size byte
  { ls tests/fixtures/xlsx/*.xlsx tests/fixtures/real/*.xlsx; sample xlsx; } | while IFS= read -r f; do
    command -v unzip >/dev/null 2>&1 || break
    for p in xl/sharedStrings.xml xl/worksheets/sheet1.xml; do
      out="$dir/part-$(printf '%s-%s' "$f" "$p" | tr '/ ' '__')"
      { printf '\007'; unzip -p "$f" "$p" 2>/dev/null | head -c 65536; } > "$out"
      [ "$(wc -c < "$out")" -gt 1 ] || rm -f "$out"
    done
  done
  printf '\003<r a="1" b=\047&lt;&#x41;&#66;\047><x:c r="A1"><v>1</v></x:c><![CDATA[a]]b]]><!--c--><?p q?>&amp;\r\n</r>' > "$dir/seed-syntax" ;;
xls)
  { ls tests/fixtures/xls/*.xls tests/fixtures/xls/*.doc tests/fixtures/real/*.xls; sample xls; } |
  while IFS= read -r f; do
    [ "$(wc -c < "$f")" -le 1048576 ] && seed "$f"
    if [ -x "$FZ/xls_stream" ]; then
      out="$dir/stream-$(printf '%s' "$f" | tr '/ ' '__')"
      "$FZ/xls_stream" "$f" > "$out" 2>/dev/null || rm -f "$out"
    fi
  done ;;
csv)
  { ls tests/fixtures/csv/*.csv tests/fixtures/real/*.csv; sample csv; } |
  while IFS= read -r f; do seed "$f"; done ;;
config)
  seed config/default.yaml
  for f in tests/fixtures/config/*.yaml; do seed "$f"; done ;;
recognize)
  printf '\001\000' > "$dir/seed-empty"
  if [ -x "$FZ/grid_seed" ]; then
    { ls tests/fixtures/real/*.xls* tests/fixtures/real/*.csv; sample xlsx; sample csv; sample xls; } |
    while IFS= read -r f; do
      out="$dir/grid-$(printf '%s' "$f" | tr '/ ' '__')"
      ASAN_OPTIONS=detect_leaks=0 "$FZ/grid_seed" "$f" > "$out" 2>/dev/null || rm -f "$out"
    done
  fi ;;
text)
  for f in tests/fixtures/vnenc/*.txt tests/fixtures/csv/*.csv; do
    head -c 512 "$f" > "$dir/seed-$(printf '%s' "$f" | tr '/' '_')"
  done
  printf '1.234,5' > "$dir/seed-num1"; printf '12,5' > "$dir/seed-num2"
  printf -- '-' > "$dir/seed-dash"; printf 'C\303\251ng' > "$dir/seed-tcvn" ;;
archive)
  find tests/corpus/inbox tests/fixtures -type f -name '*.zip' 2>/dev/null | LC_ALL=C sort |
  while IFS= read -r f; do [ "$(wc -c < "$f")" -le 1048576 ] && seed "$f"; done
  # small zips made here: nested, a cp1258 name, a directory entry, a stored member
  if command -v /usr/bin/python3 >/dev/null 2>&1; then
    /usr/bin/python3 - "$dir" <<'PYEOF'
import io, sys, zipfile
d = sys.argv[1]
inner = io.BytesIO()
with zipfile.ZipFile(inner, "w") as z:
    z.writestr("b01.csv", "STT,Đối tượng,Tổng số\r\n1,Viên chức,5\r\n")
with zipfile.ZipFile(d + "/seed-nested.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("thu-muc/", "")
    z.writestr("inner.zip", inner.getvalue())
    z.writestr(zipfile.ZipInfo("b\xe1o c\xe1o.csv"), "a,b\r\n1,2\r\n")
    z.writestr("__MACOSX/._x", "x")
PYEOF
  fi ;;
labels)
  printf 'S\341\273\237 N\341\273\231i v\341\273\245' > "$dir/seed-unit"
  printf 'a"b\nset output "x"' > "$dir/seed-quote"
  printf "'; system('id') #" > "$dir/seed-system" ;;
esac
# Reproducers of fixed crashes are seeds too.
for f in tests/fixtures/fuzz/"$name"-*; do seed "$f" "$(basename "$f")"; done
exit 0
