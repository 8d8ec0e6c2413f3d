#!/usr/bin/python3
"""tests/e2e/fill_plan_form.py FORM.xlsx OUT.xlsx CONFIG.yaml UNIT YEAR EXPECTED.csv

Fill a blank plan form written by `dtbd template --plan` the way a unit
would, choosing every value from the form's own drop-down lists (the hidden
"Danh mục" sheet): one class per Biểu 02 content in the list, the groups in
turn, Nữ / DTTS on some rows only (a blank is "not given"), a quarter, a
place, a provider (the list's, or a free text one), a cost and a source on
some rows. The "Tổng cộng" formulas are replaced by their values (what Excel
or LibreOffice saves; openpyxl keeps no cached values) and the footer's date
line is typed in.

EXPECTED.csv gets the plan-records.csv rows `dtbd plan` must write, codes
taken from the configuration (CONFIG.yaml, `dtbd config`): a content's code
is the metric whose "heading label" or label the list shows, a group's the
group whose label it is, a provider's the unit whose name it is.
"""
import csv
import sys

import openpyxl
import yaml

form, out, cfg_path, unit, year, expected = sys.argv[1:7]
cfg = yaml.safe_load(open(cfg_path, encoding="utf-8"))
headings = {h["code"]: h["label"] for h in cfg.get("headings", [])}
content_code = {}
for m in cfg["metrics"]:
    label = m["label"]
    if m.get("heading"):
        label = headings[m["heading"]] + " " + label
    content_code[label] = m["code"]
group_code = {g["label"]: g["code"] for g in cfg["groups"]}
unit_code = {u["name"]: u["code"] for u in cfg["units"]}
source_code = {b["label"]: b["code"] for b in cfg["breakdowns"]}

wb = openpyxl.load_workbook(form)
ws = wb["Biểu KH"]
lists = wb["Danh mục"]


def column(k):
    vals = []
    r = 1
    while lists.cell(r, k).value is not None:
        vals.append(lists.cell(r, k).value)
        r += 1
    return vals


contents, groups, quarters, places, providers, sources = (column(k) for k in range(1, 7))
head = next(r for r in range(1, 40) if ws.cell(r, 2).value == "Nội dung")
cols = {ws.cell(head, c).value: c for c in range(1, 13)}
first = head + 2
total = next(r for r in range(first, first + 200) if ws.cell(r, 1).value == "Tổng cộng")
assert total - first >= len(contents), "the form has fewer rows than the contents"

rows = []
sums = {"Số lượng": 0, "Nữ": 0, "DTTS": 0, "Kinh phí": 0}
for i, content in enumerate(contents):
    r = first + i
    group = groups[i % len(groups)]
    count = 10 + 3 * i
    female = (count // 2) if i % 3 != 1 else None
    ethnic = (i % 4) if i % 2 == 0 else None
    quarter = i % 4 + 1
    provider = providers[0] if i % 2 == 0 else "Học viện Hành chính Quốc gia"
    cost = round(1.5 * i + 0.5, 1) if i % 5 != 4 else None
    source = sources[i % len(sources)] if cost is not None else None
    ws.cell(r, cols["STT"]).value = i + 1
    ws.cell(r, cols["Nội dung"]).value = content
    ws.cell(r, cols["Đối tượng"]).value = group
    ws.cell(r, cols["Số lượng"]).value = count
    if female is not None:
        ws.cell(r, cols["Nữ"]).value = female
    if ethnic is not None:
        ws.cell(r, cols["DTTS"]).value = ethnic
    ws.cell(r, cols["Thời gian"]).value = quarters[quarter - 1]
    ws.cell(r, cols["Địa điểm"]).value = places[i % len(places)]
    ws.cell(r, cols["Cơ sở đào tạo"]).value = provider
    if cost is not None:
        ws.cell(r, cols["Kinh phí"]).value = cost
        ws.cell(r, cols["Nguồn kinh phí"]).value = source
    sums["Số lượng"] += count
    sums["Nữ"] += female or 0
    sums["DTTS"] += ethnic or 0
    sums["Kinh phí"] += cost or 0
    prov = unit_code.get(provider, provider)

    def cell(name):
        return openpyxl.utils.get_column_letter(cols[name]) + str(r)

    def num(v):
        return ("%.15g" % v)

    base = [unit, year, group_code[group], content_code[content]]
    rows.append(base + ["all", num(count), str(quarter), prov, num(cost) if cost is not None else "",
                        source_code[source] if source else "", out, "Biểu KH", cell("Số lượng")])
    if female is not None:
        rows.append(base + ["female", num(female), str(quarter), prov, "", "", out, "Biểu KH", cell("Nữ")])
    if ethnic is not None:
        rows.append(base + ["ethnic", num(ethnic), str(quarter), prov, "", "", out, "Biểu KH", cell("DTTS")])
for name, v in sums.items():
    ws.cell(total, cols[name]).value = round(v, 3)
for r in range(total + 1, total + 8):
    for c in range(1, 13):
        if ws.cell(r, c).value == "…, ngày … tháng … năm …":
            ws.cell(r, c).value = "Rạch Giá, ngày 15 tháng 07 năm %d" % (int(year) - 1)
wb.save(out)
with open(expected, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow("unit,year,group,metric,breakdown,value,quarter,provider,cost,source,file,sheet,cell".split(","))
    w.writerows(rows)
