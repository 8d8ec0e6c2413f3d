#!/usr/bin/python3
"""bench/read_every_cell.py FOLDER — the whole-run benchmark's peer (issue 15).

A pandas + openpyxl script "that only reads every cell": it walks FOLDER
(sub-folders included, in sorted order), reads every cell of every sheet of
every .xlsx (openpyxl, read_only=True, values_only=True), .xls (xlrd) and
.csv (pandas.read_csv, every field as text; Python's csv module when pandas
is missing) and counts the non-empty cells. A file goes to the reader of what
it holds (a zip is an .xlsx, an OLE2 file an .xls; an .xls re-saved and
named .xlsx is read), else to the reader of its extension. It recognizes nothing, validates
nothing and writes nothing: it is the floor a Python tool built on these
libraries cannot go under. A .zip (dtbd reads its members) and a file that
does not open are counted and skipped.

Prints one line: "cells N files F skipped S zip Z csv-reader pandas|csv".
Run with /usr/bin/python3 (Debian's: openpyxl, xlrd, pandas). Exit status 0,
or 2 when FOLDER is not a folder.
"""
import csv
import io
import os
import sys
import warnings

import openpyxl
import xlrd

try:
    import pandas
except ImportError:  # the bench says which reader read the .csv files
    pandas = None

warnings.simplefilter("ignore")  # openpyxl warns about styles and validation

ENCODINGS = ("utf-8-sig", "cp1258", "latin-1")  # latin-1 never fails


def xlsx_cells(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    n = 0
    try:
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                for v in row:
                    if v is not None and v != "":
                        n += 1
    finally:
        wb.close()
    return n


def xls_cells(path):
    wb = xlrd.open_workbook(path, on_demand=True)
    n = 0
    try:
        for i in range(wb.nsheets):
            sh = wb.sheet_by_index(i)
            for r in range(sh.nrows):
                for v in sh.row_values(r):
                    if v != "":
                        n += 1
            wb.unload_sheet(i)
    finally:
        wb.release_resources()
    return n


def csv_text(path):
    with open(path, "rb") as f:
        raw = f.read()
    for enc in ENCODINGS:
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")


def csv_cells(path):
    text = csv_text(path)
    try:
        sep = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
    except csv.Error:
        sep = ","
    n = 0
    if pandas is not None:
        # rows are ragged (titles, notes): name as many columns as the widest
        # line can hold, or pandas stops at the first longer row
        width = max((line.count(sep) + 1 for line in text.splitlines()),
                    default=1)
        df = pandas.read_csv(io.StringIO(text), header=None, dtype=str,
                             keep_default_na=False, sep=sep,
                             names=range(width))
        for row in df.itertuples(index=False):
            for v in row:
                if v != "":
                    n += 1
        return n
    for row in csv.reader(io.StringIO(text), delimiter=sep):
        for v in row:
            if v:
                n += 1
    return n


def by_content(path, ext):
    """The reader for what the file holds (a re-saved .xls named .xlsx)."""
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic.startswith(b"PK"):
        return xlsx_cells
    if magic == b"\xd0\xcf\x11\xe0":
        return xls_cells
    return READERS[ext]


READERS = {".xlsx": xlsx_cells, ".xlsm": xlsx_cells, ".xls": xls_cells,
           ".csv": csv_cells}


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        print("usage: read_every_cell.py FOLDER", file=sys.stderr)
        return 2
    cells = files = skipped = zips = 0
    for top, dirs, names in os.walk(sys.argv[1]):
        dirs.sort()
        for name in sorted(names):
            ext = os.path.splitext(name)[1].lower()
            if ext == ".zip":
                zips += 1
                continue
            if ext not in READERS:
                continue
            files += 1
            path = os.path.join(top, name)
            try:
                cells += by_content(path, ext)(path)
            except Exception:  # a file that does not open: counted, skipped
                skipped += 1
    print("cells %d files %d skipped %d zip %d csv-reader %s"
          % (cells, files, skipped, zips, "pandas" if pandas else "csv"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
