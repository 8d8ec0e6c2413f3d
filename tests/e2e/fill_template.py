#!/usr/bin/python3
"""tests/e2e/fill_template.py TEMPLATE.xlsx OUT.xlsx EXPECTED.csv [DATE [SHIFT]]

Fill a blank form written by `dtbd template` the way a unit would: known
numbers in every unlocked data cell of every "Biểu" sheet, then do what
Excel or LibreOffice does when it saves — every formula (the rows and
columns that are sums, the "Tổng cộng" row) is replaced here by its value,
since openpyxl keeps no cached values. The numbers obey the form's own
rules (Nữ, DTTS ≤ Tổng số; every Biểu 01 figure ≤ the headcount; trained ≤
Số người ≤ Số lượt người ≤ headcount; "Trong đó" rows below their whole), so
validation rejects none of them.

EXPECTED.csv gets `sheet,cell,value` for every cell `dtbd run` must turn into
a record (every data cell but the "Tổng cộng" row), values in records.csv's
shortest form.

DATE (optional): the footer's place-and-date line as a unit types it
("An Biên, ngày 20 tháng 01 năm 2025"), written into the footer date cell of
every Biểu sheet — which must be unlocked. SHIFT (optional, default 0) is
added to every row's base figure, so two filled copies of one form differ
and both keep the form's rules.
"""
import csv
import sys

import openpyxl
from openpyxl.utils import get_column_letter, range_boundaries


def header_paths(ws, colnum_row):
    """Column index -> list of header texts above the column-number row (merged cells spread)."""
    merged = {}
    for rng in ws.merged_cells.ranges:
        c1, r1, c2, r2 = rng.min_col, rng.min_row, rng.max_col, rng.max_row
        text = ws.cell(r1, c1).value
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                merged[(r, c)] = (text, (r1, c1))
    # the header band: below the "Đơn vị tính: …" line, above the column numbers
    top = max(r for r in range(1, colnum_row)
              if str(ws.cell(r, 1).value or "").startswith("Đơn vị tính")) + 1
    paths = {}
    for c in range(1, ws.max_column + 1):
        path, seen = [], set()
        for r in range(top, colnum_row):
            text, anchor = merged.get((r, c), (ws.cell(r, c).value, (r, c)))
            if text not in (None, "") and anchor not in seen:
                seen.add(anchor)
                path.append(str(text))
        paths[c] = path
    return paths


def fmt(v):
    if float(v).is_integer():
        return str(int(v))
    return repr(float(v))


def main():
    src, dst, expected = sys.argv[1:4]
    date = sys.argv[4] if len(sys.argv) > 4 else None
    shift = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    wb = openpyxl.load_workbook(src)
    rows_out = []
    for ws in wb.worksheets:
        if not ws.title.startswith("Biểu"):
            continue
        # the column-number row: A holds 1 and B holds 2
        colnum = next(r for r in range(1, ws.max_row + 1)
                      if ws.cell(r, 1).value == 1 and ws.cell(r, 2).value == 2)
        paths = header_paths(ws, colnum)
        money = ws.title.endswith("03")
        data_rows = []
        r = colnum + 1
        while ws.cell(r, 2).value not in (None, ""):
            data_rows.append(r)
            r += 1
        total_rows = {r for r in data_rows if str(ws.cell(r, 2).value).strip().lower() in ("tổng cộng", "cộng")}
        index = 0
        for r in data_rows:
            if r in total_rows:
                continue
            label = str(ws.cell(r, 2).value)
            H = (30 + r if label.startswith("Trong đó") else 100 + 13 * index) + shift
            index += 1
            for c in range(3, ws.max_column + 1):
                cell = ws.cell(r, c)
                if cell.protection.locked or isinstance(cell.value, str):
                    continue
                j = c - 3
                p = paths[c]
                if money:
                    v = 10.5 + 3 * index + j + shift
                elif ws.title.endswith("01"):
                    if p and p[-1] == "Tổng số" and len(p) == 1:
                        v = H
                    elif any(t.startswith("Trong đó: sử dụng") for t in p):
                        v = H // 4 - j % 5
                    else:
                        v = H // 2 - j % 7
                else:
                    metric = p[-2] if len(p) >= 2 else p[-1]
                    if metric.startswith("Số người"):
                        base = H // 4
                    elif metric == "Số lượt người":
                        base = H // 3
                    else:
                        base = H // 10 + j % 7
                    v = {"Nữ": base // 2, "Dân tộc thiểu số": base // 5}.get(p[-1], base)
                cell.value = v
        if date is not None:
            cells = [c for row in ws.iter_rows() for c in row if c.value == "…, ngày … tháng … năm …"]
            if len(cells) != 1:
                sys.exit(f"{ws.title}: {len(cells)} footer date cells")
            if cells[0].protection.locked:
                sys.exit(f"{ws.title}: the footer date cell {cells[0].coordinate} is locked")
            cells[0].value = date
        # formulas → values (what a spreadsheet program caches on save)
        memo = {}

        def value(ref):
            if ref in memo:
                return memo[ref]
            x = ws[ref].value
            if isinstance(x, str) and x.startswith("="):
                body = x[1:]
                if body.startswith("SUM(") and body.endswith(")"):
                    parts = body[4:-1].split(",")
                else:
                    parts = body.split("+")
                total = 0
                for part in parts:
                    if ":" in part:
                        c1, r1, c2, r2 = range_boundaries(part)
                        for rr in range(r1, r2 + 1):
                            for cc in range(c1, c2 + 1):
                                total += value(f"{get_column_letter(cc)}{rr}")
                    else:
                        total += value(part)
                x = total
            x = x or 0
            memo[ref] = x
            return x

        for r in data_rows:
            for c in range(3, ws.max_column + 1):
                ref = f"{get_column_letter(c)}{r}"
                v = value(ref)
                ws[ref].value = v
                if r not in total_rows:
                    rows_out.append((ws.title, ref, fmt(v)))
    wb.save(dst)
    with open(expected, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        for row in sorted(rows_out):
            w.writerow(row)


if __name__ == "__main__":
    main()
