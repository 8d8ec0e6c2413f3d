#!/bin/sh
# tests/e2e/workbook.t.sh — `dtbd template` and tong-hop.xlsx, checked by real
# readers (issue 5):
#  (a) the blank form of a district and of an agency, filled with known numbers
#      by openpyxl (tests/e2e/fill_template.py), read back by `dtbd run`:
#      records.csv holds exactly those numbers, at those cells, no finding
#      but the coverage warnings; and two filled copies of one form with
#      different footer dates: the later date supersedes (DESIGN §6);
#  (b) the template and tong-hop.xlsx load in openpyxl without a warning;
#      tong-hop.xlsx is print-ready (Tóm tắt first, its chart cached with the
#      real ratios; A4 landscape, page x/y, repeated headers, Biểu ≥ 70 %);
#  (c) tong-hop.xlsx converted by LibreOffice (one CSV per sheet): the
#      "Tổng hợp" sheet's figures equal attainment.csv row for row. Without
#      soffice the test fails (CI installs it). LibreOffice reads the file
#      dtbd wrote, so this runs once per `make test`: in the plain pass; the
#      ASan pass (DTBD_E2E_ONCE=1, set by the Makefile) says so and leaves it.
#  (d) on the corpus (tests/corpus/inbox), the consolidated Biểu 01 (read by
#      openpyxl) and attainment.csv take a group's figure from one rule
#      (pipeline/figures.h). A province denominator is Σ over the units that
#      have BOTH numerator and denominator, the table's cell Σ over the units
#      that have the figure, so equality holds by design only when the
#      numerator is the denominator: with indicators X-<group>[-f] =
#      headcount / headcount (and .female) added to the config (a config
#      change), every group row of every year equals its province
#      denominator (blank ⇔ no sums). For the plan's indicators whose
#      denominator is headcount, denominator ≤ the table's figure.
#  (e) on the corpus, the counts reconcile: stderr's "N số liệu" = records.csv
#      rows = Σ sources.csv records; Nguồn's per-file "Số liệu" = sources.csv's
#      records (0 for a superseded or rejected file).
# tong-hop.xlsx is the one `dtbd run` writes into OUT/ (cli/run.c calls
# tonghop_write). Without python3-openpyxl the test fails.
# CLI: unknown unit and a year outside the unit's life exit 2; an unwritable
# output exits 3 and leaves no temporary.
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "workbook.t.sh: $*"; exit 1; }
PY=/usr/bin/python3
"$PY" -c 'import openpyxl' 2>/dev/null || fail "python3-openpyxl is missing (apt-get install python3-openpyxl)"

# ---- CLI --------------------------------------------------------------------
$DTBD_WRAP "$DTBD" template --unit so-noi-vuu --year 2024 -o "$tmp/x.xlsx" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || fail "unknown unit: exit $rc, expected 2"
grep -q 'so-noi-vu' "$tmp/err" || fail "unknown unit: no close code listed: $(cat "$tmp/err")"
$DTBD_WRAP "$DTBD" template --unit so-ngoai-vu --year 2026 -o "$tmp/x.xlsx" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || fail "year outside the unit's life: exit $rc, expected 2"
$DTBD_WRAP "$DTBD" template --unit so-dan-toc-ton-giao --year 2024 -o "$tmp/x.xlsx" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] || fail "unit created in 2025, year 2024: exit $rc, expected 2"
$DTBD_WRAP "$DTBD" template --unit so-y-te -o "$tmp/x.xlsx" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] || fail "no --year: exit $rc, expected 2"
[ -e "$tmp/x.xlsx" ] && fail "a refused template left a file"
touch "$tmp/a-file"
$DTBD_WRAP "$DTBD" template --unit so-y-te --year 2024 -o "$tmp/a-file/x.xlsx" 2>/dev/null; rc=$?
[ "$rc" -eq 3 ] || fail "unwritable output: exit $rc, expected 3"

# ---- (a) round trip: template → filled by openpyxl → dtbd run ---------------
mkdir -p "$tmp/in"
$DTBD_WRAP "$DTBD" template --unit h-an-bien --year 2024 -o "$tmp/an-bien.xlsx" || fail "template (district) failed"
$DTBD_WRAP "$DTBD" template --unit so-y-te --year 2023 -o "$tmp/so-y-te.xlsx" || fail "template (agency) failed"
ls -A "$tmp" | grep -q '\.tmp-' && fail "temporary file left beside the template"
"$PY" tests/e2e/fill_template.py "$tmp/an-bien.xlsx" "$tmp/in/an-bien.xlsx" "$tmp/exp-an-bien.csv" \
  || fail "fill_template.py (district) failed"
"$PY" tests/e2e/fill_template.py "$tmp/so-y-te.xlsx" "$tmp/in/so-y-te.xlsx" "$tmp/exp-so-y-te.csv" \
  || fail "fill_template.py (agency) failed"
[ "$(wc -l < "$tmp/exp-an-bien.csv")" -gt 600 ] || fail "district form has too few data cells"
[ "$(wc -l < "$tmp/exp-so-y-te.csv")" -gt 200 ] || fail "agency form has too few data cells"
$DTBD_WRAP "$DTBD" run -o "$tmp/out" "$tmp/in" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] || fail "dtbd run on the filled templates exited $rc: $(cat "$tmp/err")"
for f in an-bien so-y-te; do
  "$PY" - "$tmp/out/records.csv" "$tmp/in/$f.xlsx" > "$tmp/got-$f.csv" <<'EOF' || fail "records.csv unreadable"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["file"].endswith("/" + sys.argv[2].split("/")[-1])]
for r in sorted((r["sheet"], r["cell"], r["value"]) for r in rows):
    print(",".join(r))
EOF
  cmp -s "$tmp/got-$f.csv" "$tmp/exp-$f.csv" || fail "round trip of $f: records differ from the typed numbers:
$(diff "$tmp/exp-$f.csv" "$tmp/got-$f.csv" | head -20)"
done
grep -q '^h-an-bien,2024,cc_xa,headcount,all,' "$tmp/out/records.csv" || fail "district: no cc_xa row read"
grep -q '^so-y-te,2023,vc_ql,' "$tmp/out/records.csv" || fail "agency: no vc_ql row read"
grep -q ',h-an-bien,2024,accepted,' "$tmp/out/sources.csv" || fail "district template: unit/year not recognized"
grep -q ',so-y-te,2023,accepted,' "$tmp/out/sources.csv" || fail "agency template: unit/year not recognized"
bad=$(grep -v '^severity,' "$tmp/out/issues.csv" | grep -v ',unit_missing_report,' | head -5)
[ -z "$bad" ] || fail "findings on a filled template: $bad"

# ---- (a2) the footer date a unit types decides a resubmission ---------------------
# Two filled copies of one form: the later footer date wins although its file
# has the older modification time and sorts first by name. (No other date in
# the form may count as a report date: an example date in the instructions
# once made every copy dated 15/01 of the next year.)
mkdir -p "$tmp/re"
"$PY" tests/e2e/fill_template.py "$tmp/an-bien.xlsx" "$tmp/re/a-ban-sau.xlsx" "$tmp/exp-sau.csv" \
  "An Biên, ngày 14 tháng 01 năm 2025" 7 || fail "fill_template.py (later footer date) failed"
"$PY" tests/e2e/fill_template.py "$tmp/an-bien.xlsx" "$tmp/re/b-ban-truoc.xlsx" "$tmp/exp-truoc.csv" \
  "An Biên, ngày 10 tháng 01 năm 2025" 0 || fail "fill_template.py (earlier footer date) failed"
touch -d '2025-01-05 08:00' "$tmp/re/a-ban-sau.xlsx"
touch -d '2025-02-01 08:00' "$tmp/re/b-ban-truoc.xlsx"
( cd "$tmp" && $DTBD_WRAP "$DTBD" run --no-charts -o out-re re 2>err-re ); rc=$?
[ "$rc" -eq 0 ] || fail "dtbd run on two filled copies exited $rc: $(cat "$tmp/err-re")"
grep -q '^re/a-ban-sau.xlsx,.*,h-an-bien,2024,accepted,' "$tmp/out-re/sources.csv" \
  || fail "the later footer date is not the accepted copy: $(cat "$tmp/out-re/sources.csv")"
grep -q '^re/b-ban-truoc.xlsx,.*,h-an-bien,2024,superseded,' "$tmp/out-re/sources.csv" \
  || fail "the earlier footer date is not superseded: $(cat "$tmp/out-re/sources.csv")"
"$PY" - "$tmp/out-re/records.csv" > "$tmp/got-re.csv" <<'EOF' || fail "records.csv of the resubmission unreadable"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
if not all(r["file"].endswith("a-ban-sau.xlsx") for r in rows):
    sys.exit("records from the superseded copy")
for r in sorted((r["sheet"], r["cell"], r["value"]) for r in rows):
    print(",".join(r))
EOF
cmp -s "$tmp/got-re.csv" "$tmp/exp-sau.csv" || fail "resubmission: records differ from the later copy's numbers:
$(diff "$tmp/exp-sau.csv" "$tmp/got-re.csv" | head -10)"

# ---- (b) openpyxl loads them without a warning ---------------------------------
check_openpyxl() {
  "$PY" - "$1" <<'EOF'
import sys, warnings
import openpyxl
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    wb = openpyxl.load_workbook(sys.argv[1])
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            pass
if w:
    print("; ".join(str(x.message) for x in w))
    sys.exit(1)
EOF
}
check_openpyxl "$tmp/an-bien.xlsx" || fail "openpyxl warns on the district template"
check_openpyxl "$tmp/so-y-te.xlsx" || fail "openpyxl warns on the agency template"

th="$tmp/out/tong-hop.xlsx"
[ -e "$th" ] || fail "dtbd run wrote no tong-hop.xlsx"
check_openpyxl "$th" || fail "openpyxl warns on tong-hop.xlsx"
"$PY" - "$th" <<'EOF' || fail "tong-hop.xlsx: sheets or types wrong"
import sys
import openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
need = ["Tóm tắt", "Tổng hợp", "Biểu 01 tổng hợp", "Biểu 02 tổng hợp", "Biểu 03 tổng hợp", "Theo đơn vị", "Dữ liệu",
        "Kiểm tra", "Nguồn"]
missing = [n for n in need if n not in wb.sheetnames]
if missing:
    print("missing sheets:", missing); sys.exit(1)
if not wb["Dữ liệu"].tables:
    print("Dữ liệu has no Excel table"); sys.exit(1)
EOF
# the Dữ liệu sheet holds exactly the rows of records.csv (unit, year, value, provenance)
"$PY" - "$th" "$tmp/out/records.csv" <<'EOF' || fail "tong-hop.xlsx: Dữ liệu differs from records.csv"
import collections, csv, sys
import openpyxl
ws = openpyxl.load_workbook(sys.argv[1], read_only=True)["Dữ liệu"]
rows = ws.iter_rows(values_only=True)
head = list(next(rows))
col = {name: head.index(name) for name in ("Mã đơn vị", "Năm", "Giá trị", "Tệp nguồn", "Trang tính", "Ô")}
sheet = collections.Counter(
    (r[col["Mã đơn vị"]], int(r[col["Năm"]]), float(r[col["Giá trị"]]), r[col["Tệp nguồn"]],
     r[col["Trang tính"]], r[col["Ô"]]) for r in rows if r[col["Mã đơn vị"]] is not None)
with open(sys.argv[2], newline="", encoding="utf-8") as f:
    recs = collections.Counter((r["unit"], int(r["year"]), float(r["value"]), r["file"], r["sheet"], r["cell"])
                               for r in csv.DictReader(f))
if sheet != recs:
    print("only in Dữ liệu:", list((sheet - recs).items())[:5])
    print("only in records.csv:", list((recs - sheet).items())[:5])
    sys.exit(1)
print(f"workbook.t.sh: Dữ liệu = records.csv ({sum(recs.values())} rows)")
EOF

# print-ready (issue 12): Tóm tắt first and active, its chart's cache holds the
# real ratios; every sheet A4 landscape with "Trang x/y", header rows repeated
# where the sheet has them; a Biểu at ≥ 70 % (or fitted) with the label columns
# repeated when in blocks; Dữ liệu prints one page; no "#,##0.####" format.
"$PY" - "$th" <<'EOF' || fail "tong-hop.xlsx: not print-ready"
import re, sys, zipfile
import openpyxl
book = sys.argv[1]
wb = openpyxl.load_workbook(book)
bad = []
if wb.sheetnames[0] != "Tóm tắt" or wb.active.title != "Tóm tắt":
    bad.append(f"first/active sheet: {wb.sheetnames[0]} / {wb.active.title}")
for ws in wb.worksheets:
    ps = ws.page_setup
    if ps.orientation != "landscape" or str(ps.paperSize) != "9":
        bad.append(f"{ws.title}: not A4 landscape")
    if "&P" not in (ws.oddFooter.center.text or "") or "&N" not in (ws.oddFooter.center.text or ""):
        bad.append(f"{ws.title}: no page x/y footer")
    if not (ws.oddHeader.left.text or ""):
        bad.append(f"{ws.title}: no page header")
    if ws.title not in ("Tóm tắt",) and not ws.print_title_rows and "chưa có" not in (ws.oddHeader.left.text or ""):
        bad.append(f"{ws.title}: no repeated header rows")
    if ws.title.startswith("Biểu") and ws.print_title_rows:
        if ps.scale and int(ps.scale) < 70 and not ws.sheet_properties.pageSetUpPr.fitToPage:
            bad.append(f"{ws.title}: prints at {ps.scale} %")
        if not ws.sheet_properties.pageSetUpPr.fitToPage and not ws.print_title_cols:
            bad.append(f"{ws.title}: column blocks without the label columns repeated")
    if ws.title == "Dữ liệu" and not ws.print_area:
        bad.append("Dữ liệu: no print area (prints every row)")
    for row in ws.iter_rows():
        for c in row:
            if c.number_format and re.search(r"0\.#", c.number_format):
                bad.append(f"{ws.title}!{c.coordinate}: number format {c.number_format}"); break
        else:
            continue
        break
z = zipfile.ZipFile(book)
charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
vals = []
for n in charts:
    xml = z.read(n).decode("utf-8")
    vals += [float(v) for v in re.findall(r"<c:v>([-0-9.eE]+)</c:v>", xml)]
if not charts or not any(v > 0 for v in vals):
    bad.append(f"the chart's cached values are all 0 ({len(charts)} charts)")
if bad:
    print("\n".join(bad[:20])); sys.exit(1)
EOF

# ---- (d) corpus: the consolidated Biểu 01 = the indicators' denominators ---------
sh tests/corpus/touch.sh || fail "tests/corpus/touch.sh failed"
groups="cbcc_th cb_th cc_th cbcc_xa cb_xa cc_xa kct_xa vc vc_ql hdnd hdnd_tinh hdnd_huyen hdnd_xa"
for g in $groups; do
  for b in "" .female; do
    printf '  - id: X-%s%s\n    label: kiểm thử %s%s\n    group: %s\n    clause: "-"\n' "$g" "${b:+-f}" "$g" "$b" "$g"
    printf '    numerator: [headcount%s]\n    denominator: headcount%s\n    kind: annual\n    target: 1\n' "$b" "$b"
    printf '    wording: Mẫu số bằng tử số (kiểm thử workbook.t.sh).\n'
  done
done > "$tmp/x-indicators.yaml"
# the default config with them first in its indicators: list
$DTBD_WRAP "$DTBD" config > "$tmp/default.yaml" || fail "dtbd config failed"
awk -v x="$tmp/x-indicators.yaml" '{ print } /^indicators:/ { while ((getline l < x) > 0) print l }' \
  "$tmp/default.yaml" > "$tmp/corpus.yaml"
$DTBD_WRAP "$DTBD" run --no-charts -c "$tmp/corpus.yaml" -o "$tmp/corpus" tests/corpus/inbox 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] || fail "dtbd run on the corpus exited $rc, expected 1 (planted errors): $(tail -5 "$tmp/err")"
"$PY" - "$tmp/corpus/tong-hop.xlsx" "$tmp/corpus/attainment.csv" "$tmp/corpus.yaml" $groups <<'EOF' \
  || fail "corpus: the consolidated Biểu 01 differs from attainment.csv"
import csv, re, sys
import openpyxl
book, att, cfg, groups = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
# group labels from the config as dtbd prints it
text = open(cfg, encoding="utf-8").read()
section = re.search(r"\ngroups:\n(.*?)\n(?=[a-z])", text, re.S).group(1)
label = {m[0]: m[1].strip().strip('"') for m in re.findall(r"- code: (\S+)\n    label: ([^\n]+)", section)}
ws = openpyxl.load_workbook(book, data_only=True)["Biểu 01 tổng hợp"]
rows = [list(r) for r in ws.iter_rows(values_only=True)]
# blocks: "… — NĂM YYYY (N đơn vị)", the header ("STT", …), group rows below the column numbers
table, bad = {}, []
i = 0
while i < len(rows):
    m = re.search(r"— NĂM (\d{4}) \(", str(rows[i][0] or ""))
    if not m:
        i += 1
        continue
    year = int(m.group(1))
    h = next(k for k in range(i, len(rows)) if rows[k][0] == "STT")
    col = {"all": rows[h].index("Tổng số")}
    col["female"] = next(c for c in range(col["all"] + 1, len(rows[h + 1])) if rows[h + 1][c] == "Nữ")
    k = next(k for k in range(h, len(rows)) if rows[k][0] == 1 and rows[k][1] == 2)   # the column numbers
    for r in rows[k + 1:]:
        if r[1] is None or r[1] == "Tổng cộng":
            break
        for bd, c in col.items():
            table[(year, r[1], bd)] = r[c]
    i = k + 1
if not table:
    sys.exit("no block found in Biểu 01 tổng hợp")
checked = 0
for w in csv.DictReader(open(att, encoding="utf-8")):
    if w["scope"] != "province" or not w["indicator"].startswith("X-"):
        continue
    g = w["indicator"][2:]
    bd = "female" if g.endswith("-f") else "all"
    g = g[:-2] if g.endswith("-f") else g
    got = table.get((int(w["year"]), label[g], bd))
    want = float(w["denominator"]) if w["denominator"] else None
    if want is None and w["numerator"]:
        bad.append(f"{w['indicator']} {w['year']}: numerator without denominator")
    if (got is None) != (want is None) or (want is not None and float(got) != want):
        bad.append(f"{w['indicator']} {w['year']} ({label[g]}, {bd}): table {got!r}, attainment {w['denominator']!r}")
    checked += want is not None
ind = {}
for m in re.finditer(r"- id: (T\d\d)\n(?:    [^\n]*\n)*?    group: (\S+)\n(?:    [^\n]*\n)*?    denominator: (\S+)", text):
    ind[m.group(1)] = (m.group(2), m.group(3))
le = 0
for w in csv.DictReader(open(att, encoding="utf-8")):
    if w["scope"] != "province" or w["indicator"] not in ind or not w["denominator"]:
        continue
    g, den = ind[w["indicator"]]
    if den != "headcount":
        continue
    got = table.get((int(w["year"]), label[g], "all"))
    if got is None or float(w["denominator"]) > float(got):
        bad.append(f"{w['indicator']} {w['year']}: denominator {w['denominator']} > table {got!r}")
    le += 1
if checked < 100 or le < 30:
    bad.append(f"too few figures compared: {checked} equal, {le} bounded")
if bad:
    print("\n".join(bad[:20])); sys.exit(1)
print(f"workbook.t.sh: corpus Biểu 01 tổng hợp = attainment.csv ({checked} figures; {le} denominators bounded)")
EOF

# ---- (e) corpus: the counts reconcile (issue 12) ------------------------------------
# stderr's "N số liệu" = records.csv's rows = Σ sources.csv `records`; the Nguồn
# sheet's "Số liệu" of each file = sources.csv's `records` (0 when superseded or
# rejected).
n=$(sed -n 's/^dtbd: \([0-9][0-9]*\) số liệu;.*/\1/p' "$tmp/err")
[ -n "$n" ] || fail "corpus: no 'N số liệu' line on stderr: $(tail -5 "$tmp/err")"
"$PY" - "$n" "$tmp/corpus/records.csv" "$tmp/corpus/sources.csv" "$tmp/corpus/tong-hop.xlsx" <<'EOF' \
  || fail "corpus: the counts do not reconcile"
import csv, sys
import openpyxl
said, recs, srcs, book = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
rows = sum(1 for _ in csv.DictReader(open(recs, newline="", encoding="utf-8")))
sources = list(csv.DictReader(open(srcs, newline="", encoding="utf-8")))
bad = []
if said != rows:
    bad.append(f"stderr says {said} số liệu, records.csv has {rows} rows")
if sum(int(s["records"]) for s in sources) != rows:
    bad.append(f"Σ sources.csv records = {sum(int(s['records']) for s in sources)}, records.csv {rows}")
ws = openpyxl.load_workbook(book, read_only=True)["Nguồn"]
it = ws.iter_rows(values_only=True)
head = list(next(it))
fi, ni = head.index("Tệp"), head.index("Số liệu")
nguon = {r[fi]: int(r[ni]) for r in it if r[fi] is not None}
sup = 0
for s in sources:
    got = nguon.get(s["file"])
    if got != int(s["records"]):
        bad.append(f"{s['file']}: Nguồn {got}, sources.csv {s['records']}")
    if s["status"] != "accepted":
        sup += 1
        if int(s["records"]) != 0:
            bad.append(f"{s['file']}: {s['status']} but {s['records']} records")
if len(nguon) != len(sources):
    bad.append(f"{len(nguon)} files in Nguồn, {len(sources)} in sources.csv")
if not sup:
    bad.append("the corpus has no superseded or rejected file: nothing checked for 0")
if bad:
    print("\n".join(bad[:20])); sys.exit(1)
print(f"workbook.t.sh: {rows} số liệu = records.csv = Σ sources.csv = Nguồn ({len(sources)} files, {sup} not accepted)")
EOF

# ---- (c) LibreOffice reads the same figures as attainment.csv ---------------------
if [ "${DTBD_E2E_ONCE:-0}" = 1 ]; then
  echo "workbook.t.sh: (c) LibreOffice's reading of tong-hop.xlsx was checked in the plain pass"
  exit 0
fi
command -v soffice >/dev/null 2>&1 || fail "soffice is missing (apt-get install libreoffice-calc-nogui)"
mkdir -p "$tmp/lo" "$tmp/lo-home"
HOME="$tmp/lo-home" timeout 180 soffice --headless \
  --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
  --outdir "$tmp/lo" "$th" >/dev/null 2>&1
summary=$(ls "$tmp/lo"/*Tổng\ hợp.csv 2>/dev/null | grep -v 'Biểu' | head -1)
[ -n "$summary" ] || fail "LibreOffice did not export the Tổng hợp sheet: $(ls "$tmp/lo")"
"$PY" - "$summary" "$tmp/out/attainment.csv" <<'EOF' || fail "Tổng hợp differs from attainment.csv"
import csv, sys
STATUS = {"Đạt": "met", "Không đạt": "not_met", "Đúng lộ trình": "on_track", "Chậm so với lộ trình": "behind",
          "Chưa có số liệu": "no_data"}
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
head = next(i for i, r in enumerate(rows) if r and r[0] == "Mã")
cols = rows[head]
ix = {name: cols.index(name) for name in ("Mã", "Năm", "Tử số", "Mẫu số", "Tỷ lệ", "Mục tiêu", "Đánh giá")}
got, ind = {}, ""
for r in rows[head + 1:]:
    if len(r) <= ix["Đánh giá"] or not r[ix["Năm"]].strip():
        continue
    ind = r[ix["Mã"]] or ind          # merged over the indicator's years
    got[(ind, r[ix["Năm"]])] = r
want = [r for r in csv.DictReader(open(sys.argv[2], encoding="utf-8")) if r["scope"] == "province"]
bad = []
def num(s):
    # LibreOffice writes full precision, with "%" for percentage-formatted cells
    s = s.strip()
    if not s:
        return None
    return float(s[:-1]) / 100 if s.endswith("%") else float(s)
for w in want:
    g = got.get((w["indicator"], w["year"]))
    if g is None:
        bad.append(f"{w['indicator']} {w['year']}: no row"); continue
    for key, col, tol in (("numerator", "Tử số", 0), ("denominator", "Mẫu số", 0), ("ratio", "Tỷ lệ", 5e-7),
                          ("target", "Mục tiêu", 1e-12)):
        a, b = num(w[key]), num(g[ix[col]])
        if (a is None) != (b is None) or (a is not None and abs(a - b) > tol):
            bad.append(f"{w['indicator']} {w['year']} {key}: {w[key]!r} vs {g[ix[col]]!r}")
    if STATUS.get(g[ix["Đánh giá"]]) != w["status"]:
        bad.append(f"{w['indicator']} {w['year']} status: {w['status']} vs {g[ix['Đánh giá']]!r}")
if len(got) != len(want):
    bad.append(f"{len(got)} rows in Tổng hợp, {len(want)} province rows in attainment.csv")
if bad:
    print("\n".join(bad[:20])); sys.exit(1)
EOF
exit 0
