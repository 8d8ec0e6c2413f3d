#!/usr/bin/python3
# tests/corpus/check_truth.py — does the generated inbox hold what its truth says?
#
#   /usr/bin/python3 tests/corpus/check_truth.py [CORPUSDIR]
#
# For every record of truth/records.csv, opens the file and the cell and checks that the
# cell reads as the truth value (numbers, or text with Vietnamese separators, "-" or blank
# for 0). .xlsx with openpyxl (data_only: formula cells must have cached values); .xls (and
# the .xls named .xlsx) through one LibreOffice conversion to .xlsx; .csv parsed directly.
# Also: every finding's cell exists and is not empty, every file of sources.csv exists, the
# mtimes of truth/mtimes.tsv are on the files, every formula cell of an .xlsx has a value.
# Prints "N passed, M failed" and exits 1 on any failure.
import csv
import os
import re
import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction

import openpyxl

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = sys.argv[1] if len(sys.argv) > 1 else HERE
PREFIX = "tests/corpus/"


def local(path):
    assert path.startswith(PREFIX), path
    return os.path.join(CORPUS, path[len(PREFIX):])


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


def read_csv(path):
    data = open(path, "rb").read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8")
    first = text.splitlines()[0] if text else ""
    delim = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(text.splitlines(), delimiter=delim))
    return {(r + 1, c + 1): v for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""}


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
            shutil.copy(local(f), dst)
            ins.append(dst)
            conv[f] = os.path.join(tmp, "out", f"x{i:04d}.xlsx")
        prof = tempfile.mkdtemp(prefix="lo-profile-")
        subprocess.run(["soffice", f"-env:UserInstallation=file://{prof}", "--headless", "--convert-to", "xlsx",
                        "--outdir", os.path.join(tmp, "out")] + ins,
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(prof, ignore_errors=True)
    for s in srcs:
        if not os.path.exists(local(s["file"])):
            fail(f"missing file {s['file']}")
        else:
            ok += 1
    for fpath, items in sorted(by_file.items()):
        src = next(s for s in srcs if s["file"] == fpath)
        if src["format"] == "csv":
            cells = read_csv(local(fpath))
            get = lambda sheet, cell: cells.get(split_cell(cell))
        else:
            path = conv.get(fpath, local(fpath))
            wb = openpyxl.load_workbook(path, data_only=True)
            if fpath not in conv:
                wf = openpyxl.load_workbook(path)
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
