#!/usr/bin/python3
# tests/corpus/check_truth.py — does the generated inbox hold what its truth says?
#
#   /usr/bin/python3 tests/corpus/check_truth.py [CORPUSDIR]
#
# For every record of truth/records.csv, opens the file and the cell and checks that the
# cell reads as the truth value (numbers, or text with Vietnamese separators, no-break or
# narrow no-break spaces between thousands, "-" or blank for 0). .xlsx (also .xlsm, .XLSX,
# "x.xlsx.xlsx") with openpyxl (data_only: formula cells must have cached values); .xls
# (and the .xls named .xlsx or without an extension) through one LibreOffice conversion to
# .xlsx; .csv parsed directly, UTF-8 or Excel's "Unicode text" (UTF-16LE with a BOM, tabs,
# CRLF); a member of a .zip attachment ("a.zip!/member") read from the zip.
# Also: every finding's cell exists and is not empty, every file of sources.csv exists, the
# mtimes of truth/mtimes.tsv are on the files, every formula cell of an .xlsx has a value;
# and the later variations of manifest.csv: error_cell (the cell is an error value and has a
# not_a_number finding), file_name=xlsm (the macro-enabled content type), header_box (the
# unit beside "Đơn vị báo cáo:", the receiver beside "Đơn vị nhận báo cáo:"), unicode_text,
# archive (the zip holds exactly its members).
# Prints "N passed, M failed" and exits 1 on any failure.
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from fractions import Fraction

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else HERE
PREFIX = "tests/corpus/"


def local(path):
    assert path.startswith(PREFIX), path
    return os.path.join(CORPUS, path[len(PREFIX):])


def content(path):
    """The bytes of a file of the truth; "a.zip!/member" is read from the zip."""
    if "!/" in path:
        zpath, member = path.split("!/", 1)
        with zipfile.ZipFile(local(zpath)) as z:
            return z.read(member)
    with open(local(path), "rb") as fh:
        return fh.read()


def exists(path):
    if "!/" in path:
        zpath, member = path.split("!/", 1)
        with zipfile.ZipFile(local(zpath)) as z:
            return member in z.namelist()
    return os.path.exists(local(path))


def parse(v):
    """A cell as dtbd should read it: a Fraction, or None when it is not a number."""
    if v is None:
        return Fraction(0)
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return Fraction(repr(v)) if isinstance(v, float) else Fraction(v)
    s = str(v).strip()
    if s in ("", "-", "–"):
        return Fraction(0)
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", s):
        return Fraction(s.replace(".", ""))
    if re.fullmatch(r"-?\d{1,3}([\u00a0\u202f]\d{3})+(,\d+)?", s):      # "1 234", "1 234,5"
        return Fraction(re.sub(r"[\u00a0\u202f]", "", s).replace(",", "."))
    if re.fullmatch(r"-?\d+,\d+", s):
        return Fraction(s.replace(",", "."))
    if re.fullmatch(r"-?\d+(\.\d+)?", s):
        return Fraction(s)
    return None


def split_cell(cell):
    m = re.fullmatch(r"([A-Z]+)(\d+)", cell)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)), col


def read_csv(data):
    if data.startswith(b"\xff\xfe"):                 # Excel's "Unicode text"
        text, delim = data[2:].decode("utf-16-le"), "\t"
    else:
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        text = data.decode("utf-8")
        first = text.splitlines()[0] if text else ""
        delim = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delim))
    return {(r + 1, c + 1): v for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""}


RECEIVER = "Sở Nội vụ tỉnh Kiên Giang"


def later_variations(man, srcs, finds, books, fail):
    """The variations added later that no record or finding check covers; returns the
    number of checks passed (failures go through fail)."""
    ok = 0
    names = {r["spelling"]: r["unit"] for r in csv.DictReader(open(os.path.join(CORPUS, "truth", "unit_names.csv"), encoding="utf-8"))}
    fmt = {s["file"]: s["format"] for s in srcs}
    nan = {(f["file"], f["sheet"], f["cell"]) for f in finds if f["rule"] == "not_a_number"}
    for fpath, m in sorted(man.items()):
        toks = m["variations"].split(";")
        errs = sorted(t.split("=", 1)[1] for t in toks if t.startswith("error_cell="))
        if errs:
            wb = books[fpath]
            found = sorted((ws.title, c.coordinate, c.value) for ws in wb for row in ws.iter_rows() for c in row
                           if c.data_type == "e")
            if len(found) != len(errs) or any((fpath, sh, cell) not in nan for sh, cell, _ in found) \
                    or (fmt[fpath] == "xlsx" and sorted(v for _, _, v in found) != errs):
                fail(f"{fpath}: error cells {found}, want {errs} each with a not_a_number finding")
            else:
                ok += 1
        if "file_name=xlsm" in toks:
            ct = zipfile.ZipFile(io.BytesIO(content(fpath))).read("[Content_Types].xml")
            if b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" not in ct:
                fail(f"{fpath}: not the macro-enabled content type")
            else:
                ok += 1
        box = [t.split("=", 1)[1] for t in toks if t.startswith("header_box=")]
        if box:
            good = True
            for ws in books[fpath]:
                cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
                rep = [(r, c) for (r, c), v in cells.items() if v == "Đơn vị báo cáo:"]
                rec = [(r, c) for (r, c), v in cells.items() if v == "Đơn vị nhận báo cáo:"]
                if len(rep) != 1 or len(rec) != 1 or names.get(cells.get((rep[0][0], rep[0][1] + 1))) != m["unit"] \
                        or cells.get((rec[0][0], rec[0][1] + 1)) != RECEIVER \
                        or (rec[0] != (rep[0][0] + 1, rep[0][1]) if box[0] == "below" else rec[0] != (rep[0][0], rep[0][1] + 2)):
                    good = False
            if good:
                ok += 1
            else:
                fail(f"{fpath}: header box {box[0]} not as planted")
        if "unicode_text" in toks:
            data = content(fpath)
            if not data.startswith(b"\xff\xfe") or b"\t\x00" not in data or data[2:].decode("utf-16-le").count("\r\n") \
                    != data[2:].decode("utf-16-le").count("\n"):
                fail(f"{fpath}: not Excel's Unicode text (UTF-16LE BOM, tabs, CRLF)")
            else:
                ok += 1
        if "archive" in toks:
            want = sorted(f.split("!/", 1)[1] for f in man if f.startswith(fpath + "!/"))
            with zipfile.ZipFile(local(fpath)) as z:
                have = sorted(z.namelist())
            if have != want or len(want) != int(next(t for t in toks if t.startswith("members=")).split("=")[1]):
                fail(f"{fpath}: members {have}, want {want}")
            else:
                ok += 1
    return ok


def main():
    ok = bad = 0

    def fail(msg):
        nonlocal bad
        bad += 1
        if bad <= 40:
            print("FAIL", msg)

    recs = list(csv.DictReader(open(os.path.join(CORPUS, "truth", "records.csv"), encoding="utf-8")))
    finds = list(csv.DictReader(open(os.path.join(CORPUS, "truth", "findings.csv"), encoding="utf-8")))
    srcs = list(csv.DictReader(open(os.path.join(CORPUS, "truth", "sources.csv"), encoding="utf-8")))
    by_file = {}
    for t in csv.DictReader(open(os.path.join(CORPUS, "truth", "totals.csv"), encoding="utf-8")):
        by_file.setdefault(t["file"], []).append(("total", t))
    for r in recs:
        by_file.setdefault(r["file"], []).append(("rec", r))
    for f in finds:
        if f["cell"]:
            by_file.setdefault(f["file"], []).append(("find", f))
    # .xls content (also when named .xlsx) → one LibreOffice conversion
    xls = [s["file"] for s in srcs if s["format"] == "xls"]
    tmp = tempfile.mkdtemp(prefix="check-corpus-")
    conv = {}
    if xls:
        ins = []
        for i, f in enumerate(xls):
            dst = os.path.join(tmp, "in", f"x{i:04d}.xls")
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "wb") as fh:
                fh.write(content(f))
            ins.append(dst)
            conv[f] = os.path.join(tmp, "out", f"x{i:04d}.xlsx")
        prof = tempfile.mkdtemp(prefix="lo-profile-")
        subprocess.run(["soffice", f"-env:UserInstallation=file://{prof}", "--headless", "--convert-to", "xlsx",
                        "--outdir", os.path.join(tmp, "out")] + ins,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(prof, ignore_errors=True)
    for s in srcs:
        if not exists(s["file"]):
            fail(f"missing file {s['file']}")
        else:
            ok += 1
    man = {m["file"]: m for m in csv.DictReader(open(os.path.join(CORPUS, "truth", "manifest.csv"), encoding="utf-8"))}
    for fpath, m in man.items():               # workbooks the later variations' checks open
        if "error_cell=" in m["variations"] or "header_box=" in m["variations"]:
            by_file.setdefault(fpath, [])
    books = {}
    for fpath, items in sorted(by_file.items()):
        src = next(s for s in srcs if s["file"] == fpath)
        if src["format"] == "csv":
            cells = read_csv(content(fpath))
            get = lambda sheet, cell: cells.get(split_cell(cell))
        elif src["format"] not in ("xls", "xlsx"):
            continue
        else:
            path = conv.get(fpath) or io.BytesIO(content(fpath))
            wb = openpyxl.load_workbook(path, data_only=True)
            books[fpath] = wb
            if fpath not in conv:
                wf = openpyxl.load_workbook(io.BytesIO(content(fpath)))
                for ws in wf:
                    for row in ws.iter_rows():
                        for c in row:
                            if isinstance(c.value, str) and c.value.startswith("="):
                                if wb[ws.title][c.coordinate].value is None:
                                    fail(f"{fpath}!{ws.title}!{c.coordinate}: formula without a cached value")
                                else:
                                    ok += 1
            get = lambda sheet, cell, wb=wb: wb[sheet][cell].value
        for kind, r in items:
            try:
                v = get(r["sheet"], r["cell"])
            except KeyError as e:
                fail(f"{fpath}: no sheet {e}")
                continue
            if kind == "rec":
                got = parse(v)
                want = Fraction(r["value"])
                if got != want:
                    fail(f"{fpath}!{r['sheet']}!{r['cell']}: {v!r} is not {r['value']} ({r['group']} {r['metric']} {r['breakdown']})")
                else:
                    ok += 1
            elif kind == "total":
                if parse(v) != Fraction(r["value"]):
                    fail(f"{fpath}!{r['sheet']}!{r['cell']}: total {v!r} is not {r['value']}")
                else:
                    ok += 1
            else:
                if v is None or str(v).strip() == "":
                    fail(f"{fpath}!{r['sheet']}!{r['cell']}: finding {r['rule']} on an empty cell")
                else:
                    ok += 1
    ok += later_variations(man, srcs, finds, books, fail)
    # mtimes
    for line in open(os.path.join(CORPUS, "truth", "mtimes.tsv"), encoding="utf-8"):
        p, t = line.rstrip("\n").split("\t")
        if int(os.stat(local(p)).st_mtime) != int(t):
            fail(f"{p}: mtime {int(os.stat(local(p)).st_mtime)} is not {t} (run tests/corpus/touch.sh)")
        else:
            ok += 1
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"{ok} passed, {bad} failed")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
