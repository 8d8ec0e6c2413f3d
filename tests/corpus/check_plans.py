#!/usr/bin/python3
"""tests/corpus/check_plans.py [PLANS_DIR]  (default tests/corpus/plans)

Checks the plan corpus' truth against its files, read back independently of the
generator (.xlsx by openpyxl, .xls by xlrd, .csv by the csv module — the bytes as
committed, after LibreOffice): every record's cell holds its value; the row of an `all`
record holds its quarter (parsed here from the Thời gian text), its provider (the text,
or a spelling of Trường Chính trị for `truong-chinh-tri`), its cost and its source (an
alias of that source) in the columns whose header says so; every row of a table with a
number under Số lượng has its `all` record (nothing lost) — except rows whose content
is a "Tổng cộng", whose value is then the sum of the rows above; every finding's cell
is non-empty (`not_a_number`: a text); every file of the manifest exists, and no other.
Prints "N passed, M failed"; exit 0 only when nothing failed.
"""
import csv
import io
import os
import re
import sys
import unicodedata
from fractions import Fraction

import openpyxl
import xlrd

TCT = {"Trường Chính trị tỉnh Kiên Giang", "Trường Chính trị tỉnh", "Trường Chính trị Kiên Giang"}
SOURCES = {"local": {"Ngân sách tỉnh", "NSĐP", "Ngân sách địa phương", "NS tỉnh"},
           "central": {"NSTW", "Ngân sách Trung ương"},
           "agency": {"Kinh phí cơ quan, đơn vị", "Đơn vị tự chi"},
           "sponsor": {"Tài trợ", "Nguồn tài trợ"}}
ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_TCVN3_SRC = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂÊÔƠƯĐ"
_TCVN3_DST = ("µ¸¶·¹" "¨»¾¼½Æ" "©ÇÊÈÉË" "®" "ÌÐÎÏÑ" "ªÒÕÓÔÖ" "×ÝØÜÞ" "ßãáâä" "«åèæçé" "¬êíëìî"
              "ïóñòô" "\u00adõøö÷ù" "úýûüþ" "¡¢£¤¥¦§")
FROM_TCVN3 = dict(zip(_TCVN3_DST, _TCVN3_SRC))
TOTALS = {"tổng cộng", "cộng"}


def load(path):
    """{sheet: {(row, col): value}} with 1-based rows/cols; texts NFC (a plan typed in NFD reads
    as any other)."""
    out = load_raw(path)
    for cells in out.values():
        for key, v in cells.items():
            if isinstance(v, str):
                cells[key] = unicodedata.normalize("NFC", v)
    return out


def load_raw(path):
    out = {}
    if path.endswith(".xlsx"):
        wb = openpyxl.load_workbook(path, data_only=True)
        for ws in wb.worksheets:
            out[ws.title] = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    elif path.endswith(".xls"):
        wb = xlrd.open_workbook(path)
        for sh in wb.sheets():
            cells = {}
            for r in range(sh.nrows):
                for c in range(sh.ncols):
                    v = sh.cell_value(r, c)
                    if v != "":
                        cells[(r + 1, c + 1)] = int(v) if isinstance(v, float) and v.is_integer() else v
            out[sh.name] = cells
    else:
        with open(path, "rb") as fh:
            data = fh.read()
        text = data.decode("utf-8-sig")
        delim = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
        cells = {}
        for r, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delim), 1):
            for c, v in enumerate(row, 1):
                if v != "":
                    cells[(r, c)] = v
        out[os.path.basename(path)[:-4]] = cells
    return out


def num(v, money=False):
    """A cell's number: a number, or a text as units write it ("-" is 0; counts "1.234"
    with thousands dots; money "12,5" with a decimal comma or "12.5")."""
    if not isinstance(v, str):
        return Fraction(v).limit_denominator(1000)
    t = v.strip()
    if t == "-":
        return Fraction(0)
    if not money and re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", t):
        t = t.replace(".", "")
    if money:
        t = t.replace(",", ".")
    if not re.fullmatch(r"[0-9]+(\.[0-9]+)?", t):
        raise ValueError(v)
    return Fraction(t)


def is_num(v, money=False):
    try:
        num(v, money)
        return True
    except ValueError:
        return False


def a1(cell):
    m = re.fullmatch(r"([A-Z]+)([0-9]+)", cell)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def quarter_of(text):
    t = unicodedata.normalize("NFC", str(text)).strip()
    m = re.fullmatch(r"Quý ([IV]+)(-[IV]+)?", t) or re.fullmatch(r"Quý ([1-4])", t) or re.fullmatch(r"Q([1-4])", t)
    if m:
        return ROMAN.get(m.group(1)) or int(m.group(1))
    m = re.fullmatch(r"[Tt]háng ([0-9]+)(-[0-9]+)?", t) or re.fullmatch(r"([0-9]+)/20[0-9][0-9]", t)
    return (int(m.group(1)) + 2) // 3 if m else None


def columns(cells, hrow):
    """Column kinds of the header band whose first row is hrow (one or two rows)."""
    kinds = {}
    band = (hrow, hrow + 1, hrow + 2)
    for (r, c), v in cells.items():
        if r not in band or not isinstance(v, str):
            continue
        t = " ".join(v.split())
        if t.startswith("Thời gian"):
            kinds[c] = "time"
        elif t.startswith("Cơ sở"):
            kinds[c] = "provider"
        elif t.startswith("Nguồn"):
            kinds[c] = "source"
        elif (t.startswith("Kinh phí") or t.startswith("Dự kiến kinh phí") or t.startswith("Số tiền")) \
                and kinds.get(c) != "source":
            kinds.setdefault(c, "cost")
        elif t in ("Nữ", "Số nữ"):
            kinds[c] = "female"
        elif t in ("DTTS", "Dân tộc thiểu số"):
            kinds[c] = "ethnic"
        elif t.startswith("Nội dung") or t.startswith("Tên lớp"):
            kinds[c] = "content"
    # Số lượng: the one-row header, or the Tổng số/Tổng sub-header under the band
    for (r, c), v in cells.items():
        t = " ".join(v.split()) if isinstance(v, str) else None
        if r in band and t in ("Số lượng", "Số lượng (người)", "Số học viên", "Tổng số", "Tổng",
                               "Số lượng học viên (người)"):
            if t in ("Tổng số", "Tổng") or (r, c) not in [(hrow, cc) for cc in kinds]:
                kinds.setdefault(c, "n")
    return kinds


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "plans")
    repo = os.path.abspath(os.path.join(top, "..", "..", ".."))
    passed = failed = 0

    def check(ok, msg):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            if failed <= 30:
                print("FAIL", msg)

    rd = lambda name: list(csv.DictReader(open(os.path.join(top, "truth", name), encoding="utf-8")))
    recs, finds, man = rd("plan-records.csv"), rd("issues.csv"), rd("manifest.csv")
    on_disk = {os.path.relpath(os.path.join(d, f), repo) for d, _, fs in os.walk(os.path.join(top, "inbox")) for f in fs}
    check(on_disk == {m["file"] for m in man}, f"files on disk ≠ manifest: {sorted(on_disk ^ {m['file'] for m in man})[:5]}")
    books = {m["file"]: load(os.path.join(repo, m["file"])) for m in man}
    for m in man:                      # a plan typed in TCVN3: read back as Unicode
        if "legacy_tcvn3" in m["variations"].split(";"):
            for cells in books[m["file"]].values():
                for key, v in cells.items():
                    if isinstance(v, str):
                        cells[key] = "".join(FROM_TCVN3.get(ch, ch) for ch in v)
    by_file = {}
    for r in recs:
        by_file.setdefault(r["file"], []).append(r)
    for f, rs in by_file.items():
        check_file(check, f, books[f], rs, [x for x in finds if x["file"] == f])
    for x in finds:
        if x["cell"]:
            v = books[x["file"]][x["sheet"]].get(a1(x["cell"]))
            check(v not in (None, "") and (x["rule"] != "not_a_number" or isinstance(v, str)),
                  f"finding {x['rule']} on empty/bad cell {x['file']}!{x['sheet']}!{x['cell']}: {v!r}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


def header_row(cells, row):
    """The first row of the header band above a class row: the row holding STT/TT."""
    best = None
    for (r, c), v in cells.items():
        if r < row and isinstance(v, str) and v.strip() in ("STT", "TT", "Số TT"):
            best = r if best is None or r > best else best
    return best


def check_file(check, f, book, rs, finds):
    seen = set()
    for r in rs:
        cells = book.get(r["sheet"])
        if cells is None:
            check(False, f"{f}: no sheet {r['sheet']!r}")
            continue
        row, col = a1(r["cell"])
        v = cells.get((row, col))
        check(v is not None and is_num(v) and num(v) == Fraction(r["value"]),
              f"{f}!{r['sheet']}!{r['cell']}: {v!r} ≠ {r['value']}")
        kinds = columns(cells, header_row(cells, row))
        want = {"all": "n", "female": "female", "ethnic": "ethnic"}[r["breakdown"]]
        check(kinds.get(col) == want, f"{f}!{r['sheet']}!{r['cell']}: column is {kinds.get(col)}, not {want}")
        got = {k: cells.get((row, c)) for c, k in kinds.items()}
        if r["breakdown"] != "all":
            check(r["cost"] == r["source"] == "", f"{f}!{r['sheet']}!{r['cell']}: cost/source on a {r['breakdown']} row")
        else:
            seen.add((r["sheet"], row))
        q = quarter_of(got["time"]) if got.get("time") else None
        check(str(q or "") == r["quarter"], f"{f}!{r['sheet']}!{r['cell']}: time {got.get('time')!r} → {q}, truth {r['quarter']!r}")
        p = unicodedata.normalize("NFC", (got.get("provider") or "").strip())
        check(p == r["provider"] or (r["provider"] == "truong-chinh-tri" and p in TCT),
              f"{f}!{r['sheet']}!{r['cell']}: provider {p!r}, truth {r['provider']!r}")
        if r["breakdown"] != "all":
            continue
        cost = got.get("cost")
        check((cost is None and r["cost"] == "") or (cost is not None and r["cost"] != "" and is_num(cost, True)
                                                     and num(cost, True) == Fraction(r["cost"])),
              f"{f}!{r['sheet']}!{r['cell']}: cost {cost!r}, truth {r['cost']!r}")
        s = unicodedata.normalize("NFC", got.get("source") or "")
        check((s == "" and r["source"] == "") or s in SOURCES.get(r["source"], ()),
              f"{f}!{r['sheet']}!{r['cell']}: source {s!r}, truth {r['source']!r}")
    nan_rows = {(x["sheet"], a1(x["cell"])[0]) for x in finds if x["rule"] in ("not_a_number", "negative_count")}
    for sheet, cells in book.items():
        hr = header_row(cells, 10 ** 6)
        if hr is None:
            continue
        kinds = columns(cells, hr)
        ncol = [c for c, k in kinds.items() if k == "n"]
        ccol = [c for c, k in kinds.items() if k == "content"]
        check(len(ncol) == 1 and len(ccol) == 1, f"{f}!{sheet}: header {kinds}")
        if len(ncol) != 1 or len(ccol) != 1:
            continue
        above = Fraction(0)
        end = min([r for (r, c), v in cells.items() if isinstance(v, str) and v.startswith("Kiên Giang, ngày")],
                  default=10 ** 6)
        for (r, c), v in sorted(cells.items()):
            if c != ncol[0] or r <= hr or r >= end or (r == hr + 1 and v in ("Tổng số", "Tổng")):
                continue
            content = str(cells.get((r, ccol[0]), "")).strip()
            if re.fullmatch(r"\(?[0-9]+\)?", content):           # the column-number row
                continue
            texts = {str(x).strip().lower() for (rr, _), x in cells.items() if rr == r and isinstance(x, str)}
            if texts & TOTALS:
                check(is_num(v) and num(v) == above, f"{f}!{sheet}: Tổng cộng row {r} = {v}, rows above {above}")
                above = Fraction(0)
                continue
            if (sheet, r) in nan_rows:           # a rejected count: the class gives nothing
                check(not is_num(v) or num(v) < 0, f"{f}!{sheet}: rejected count {v!r} in row {r}")
                continue
            if not is_num(v):
                check(False, f"{f}!{sheet}: text {v!r} in Số lượng row {r} without a finding")
                continue
            above += num(v)
            check((sheet, r) in seen, f"{f}!{sheet}: row {r} ({content!r}, {v}) has no record")


if __name__ == "__main__":
    sys.exit(main())
