#!/bin/sh
# tests/e2e/plan-workbook.t.sh — the consolidated plan ke-hoach-YYYY.xlsx of each
# year of the plan corpus (tests/corpus/plans) holds the totals of the generator's
# truth (tests/corpus/plans/truth/plan-records.csv, never dtbd's own CSV): the
# "Biểu 02" sheet's persons per group × content (a group's row adds its parts and
# subsets, "Tổng cộng" the top groups and "other"; the "Khác" column the classes of
# no content), "Theo quý" per quarter, "Kinh phí" per source, "Cơ sở đào tạo" the
# province's classes and persons, "Các lớp" one row per class, and "Tóm tắt"'s
# figures. Read by openpyxl. Fails — never skips — without python3 or the corpus.
set -u
PY=/usr/bin/python3
[ -x "$PY" ] || { echo "plan-workbook.t.sh: /usr/bin/python3 missing"; exit 1; }
C=tests/corpus/plans
[ -s "$C/truth/plan-records.csv" ] || { echo "plan-workbook.t.sh: $C missing"; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
$DTBD_WRAP "$DTBD" config >"$out/cfg.yaml" || { echo "plan-workbook.t.sh: dtbd config failed"; exit 1; }
for y in 2022 2023 2024 2025; do
  $DTBD_WRAP "$DTBD" plan --year $y --headcounts "$C/headcounts.csv" -o "$out/$y" "$C/inbox/$y" 2>/dev/null
  [ -s "$out/$y/ke-hoach-$y.xlsx" ] || { echo "plan-workbook.t.sh: no ke-hoach-$y.xlsx"; exit 1; }
done
"$PY" - "$out" "$C/truth/plan-records.csv" <<'PY'
import csv, sys, yaml, openpyxl
out, truth = sys.argv[1], sys.argv[2]
cfg = yaml.safe_load(open(out + "/cfg.yaml", encoding="utf-8"))
groups = {g["code"]: g for g in cfg["groups"]}
parent = {}
for g in cfg["groups"]:
    for p in g.get("parts", []) or []:
        parent[p] = g["code"]
    if g.get("subset_of"):
        parent[g["code"]] = g["subset_of"]
b02 = [m for m in cfg["metrics"] if m["table"] == "bieu02" and not m.get("subset_of")
       and not m.get("parts") and m["code"] != "person_times"]
rows_g = [g for g in cfg["groups"] if "bieu02" in (g.get("tables") or [])]
src_label = {b["code"]: b["label"] for b in cfg["breakdowns"]}
sources = [b for b in cfg["breakdowns"] if any(b["code"] in (o.get("parts") or []) for o in cfg["breakdowns"])]
fail = []
def close(a, b): return a is not None and abs(float(a) - b) < 1e-6
def chain(g):
    seen = []
    while g and g not in seen:
        seen.append(g); g = parent.get(g)
    return seen
allrows = [r for r in csv.DictReader(open(truth, encoding="utf-8")) if r["breakdown"] == "all"]
for y in ("2022", "2023", "2024", "2025"):
    cls = [r for r in allrows if r["year"] == y]
    wb = openpyxl.load_workbook("%s/%s/ke-hoach-%s.xlsx" % (out, y, y), read_only=True)
    # Biểu 02: rows from 5 (1-based), columns 2.. in config order, then Khác, Cộng
    ws = list(wb["Biểu 02"].iter_rows(values_only=True))
    r0 = 4
    for gi, g in enumerate(rows_g + [None, "total"]):
        row = ws[r0 + gi]
        def inrow(c):
            if g is None: return c["group"] == "other"
            if g == "total": return c["group"] == "other" or parent.get(c["group"]) is None
            return g["code"] in chain(c["group"])
        for mi, m in enumerate(b02 + [None, "all"]):
            want = sum(float(c["value"]) for c in cls if inrow(c) and
                       (m == "all" or (m is None and c["metric"] == "other") or (m not in (None, "all") and c["metric"] == m["code"])))
            if not close(row[1 + mi], want):
                fail.append("%s Biểu 02 %s × %s: %s, truth %s" % (y, g if isinstance(g, str) or g is None else g["code"],
                            m if isinstance(m, str) or m is None else m["code"], row[1 + mi], want))
    # Theo quý, Kinh phí: label → (classes, persons, cost)
    def table(name):
        t = {}
        for r in list(wb[name].iter_rows(values_only=True))[3:]:
            if r[0]: t[r[0]] = r[1:4]
        return t
    q = table("Theo quý")
    qn = {"1": "Quý I", "2": "Quý II", "3": "Quý III", "4": "Quý IV", "": "(chưa ghi thời gian)"}
    for k, label in qn.items():
        sel = [c for c in cls if c["quarter"] == k]
        if not sel and label not in q: continue
        got = q.get(label, (0, 0, 0))
        want = (len(sel), sum(float(c["value"]) for c in sel), sum(float(c["cost"] or 0) for c in sel))
        if not all(close(a, b) for a, b in zip(got, want)):
            fail.append("%s Theo quý %s: %s, truth %s" % (y, label, got, want))
    kp = table("Kinh phí")
    for b in sources + [None]:
        label = b["label"] if b else "(chưa ghi nguồn)"
        sel = [c for c in cls if c["source"] == (b["code"] if b else "")]
        if not sel and label not in kp: continue
        got = kp.get(label, (0, 0, 0))
        want = (len(sel), sum(float(c["value"]) for c in sel), sum(float(c["cost"] or 0) for c in sel))
        if not all(close(a, b2) for a, b2 in zip(got, want)):
            fail.append("%s Kinh phí %s: %s, truth %s" % (y, label, got, want))
    pv = table("Cơ sở đào tạo")
    tot = pv.get("Tổng cộng")
    want = (len(cls), sum(float(c["value"]) for c in cls), sum(float(c["cost"] or 0) for c in cls))
    if not tot or not all(close(a, b) for a, b in zip(tot, want)):
        fail.append("%s Cơ sở đào tạo Tổng cộng: %s, truth %s" % (y, tot, want))
    n = sum(1 for r in list(wb["Các lớp"].iter_rows(values_only=True))[1:] if r[0])
    if n != len(cls): fail.append("%s Các lớp: %d rows, truth %d classes" % (y, n, len(cls)))
    brief = {r[0]: r[1] for r in wb["Tóm tắt"].iter_rows(values_only=True) if r and r[0]}
    units = len({c["unit"] for c in cls})
    for label, want in (("Số đơn vị có kế hoạch", units), ("Số lớp", len(cls)),
                        ("Số người dự kiến", sum(float(c["value"]) for c in cls))):
        if not close(brief.get(label), want): fail.append("%s Tóm tắt %s: %s, truth %s" % (y, label, brief.get(label), want))
for f in fail[:25]: print("plan-workbook.t.sh:", f)
if fail: sys.exit(1)
print("plan-workbook.t.sh: ke-hoach-YYYY.xlsx of 2022–2025 = the truth's totals (Biểu 02 %d × %d, quarters, sources, providers, classes)"
      % (len(rows_g) + 2, len(b02) + 2))
PY
