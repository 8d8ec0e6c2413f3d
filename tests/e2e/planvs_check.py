#!/usr/bin/python3
"""tests/e2e/planvs_check.py OUT PLANNED.csv [--year Y] — plan against results
(DESIGN §10) in a `dtbd run` output OUT, against what the plans planned.

PLANNED.csv is the generator's truth: the persons each unit planned per year,
content and group (`year,unit,metric,group,planned`, as examples/truth/plans.csv),
or the plan corpus' plan-records.csv (its `all` rows of contents and groups
other than "other" are added up); --year keeps that year only. The trained persons are the run's own records.csv (the group's own
row, else the sum of its parts, breakdown all), which the caller has checked.

Checks, in tong-hop.xlsx's sheet "Kế hoạch – Thực hiện" (openpyxl):
  - the detail: exactly one row per planned year × unit × content × group,
    planned = the truth, trained = records.csv (blank when it has none);
  - each year's province block: per content Σ planned and Σ trained over the
    rows with a trained figure, and the "Toàn tỉnh" row;
  - each year's units block: every planning unit once, "Chưa gửi Biểu 02" when
    none of its rows has a trained figure, else its totals over those rows and
    "Chưa đạt kế hoạch" exactly when trained < 80 % of planned;
and in charts/: thuc-hien-ke-hoach.png is drawn, and its .svg's bar labels are
the latest year's shares per content (config order) and its subtitle the
province's share.

The names in the sheet are the configuration's (`$DTBD config`). Prints the
failures (at most 20) and a closing line; exit 0 only when nothing failed.
"""
import csv
import os
import re
import subprocess
import sys

import openpyxl
import yaml

PARTS = {"cbcc_th": ["cb_th", "cc_th"], "cbcc_xa": ["cb_xa", "cc_xa"], "hdnd": ["hdnd_tinh", "hdnd_huyen", "hdnd_xa"]}
THRESHOLD = 0.8


def rd(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def main():
    out, truth = sys.argv[1], sys.argv[2]
    fail = []
    cfg = yaml.safe_load(subprocess.run([os.environ["DTBD"], "config"], capture_output=True, text=True).stdout)
    uname = {u["name"]: u["code"] for u in cfg["units"]}
    head = {h["code"]: h["label"] for h in cfg["headings"]}
    mtitle = {m["code"]: (head[m["heading"]] + " " + m["label"]) if m.get("heading") else m["label"]
              for m in cfg["metrics"]}
    morder = [m["code"] for m in cfg["metrics"]]
    mcode = {t: c for c, t in mtitle.items()}
    gcode = {g["label"]: g["code"] for g in cfg["groups"]}

    planned = {}
    for r in rd(truth):
        if "planned" in r:
            planned[(int(r["year"]), r["unit"], r["metric"], r["group"])] = float(r["planned"])
        elif r["breakdown"] == "all" and "other" not in (r["metric"], r["group"]):
            k = (int(r["year"]), r["unit"], r["metric"], r["group"])
            planned[k] = planned.get(k, 0) + float(r["value"])
    if "--year" in sys.argv:
        y = int(sys.argv[sys.argv.index("--year") + 1])
        planned = {k: v for k, v in planned.items() if k[0] == y}
    cells = {}
    for r in rd(out + "/records.csv"):
        if r["breakdown"] == "all":
            cells[(int(r["year"]), r["unit"], r["metric"], r["group"])] = float(r["value"])

    def trained(y, u, m, g):
        if (y, u, m, g) in cells:
            return cells[(y, u, m, g)]
        ps = [trained(y, u, m, p) for p in PARTS.get(g, [])]
        return sum(ps) if ps and all(p is not None for p in ps) else None

    tr = {k: trained(*k) for k in planned}
    rows = list(openpyxl.load_workbook(out + "/tong-hop.xlsx", read_only=True)["Kế hoạch – Thực hiện"]
                .iter_rows(values_only=True))

    # the detail
    start = next((i for i, r in enumerate(rows) if r[0] == "Năm" and r[1] == "Đơn vị"), None)
    got = {}
    for r in rows[start + 1:] if start is not None else []:
        if r[0] is None:
            break
        got[(int(r[0]), uname.get(r[1]), mcode.get(r[2]), gcode.get(r[3]))] = (r[4], r[5])
    if start is None:
        fail.append("no detail table (Năm, Đơn vị, …)")
    for k, p in planned.items():
        g = got.get(k)
        if g is None:
            fail.append(f"detail: no row {k}")
        elif g[0] != p or g[1] != tr[k]:
            fail.append(f"detail {k}: planned {g[0]} trained {g[1]}, expected {p} {tr[k]}")
    fail += [f"detail: unexpected row {k}" for k in got if k not in planned]

    # the province and units blocks of each year
    years = sorted({k[0] for k in planned})
    blocks, cur = {}, None
    for r in rows[:start]:
        t = r[0] if isinstance(r[0], str) else ""
        m = re.match(r"Năm (\d{4}) — (toàn tỉnh|theo đơn vị)", t)
        if m:
            cur = blocks.setdefault((int(m.group(1)), m.group(2)), {})
        elif r[0] is None:
            cur = None
        elif cur is not None and t and t not in ("Nội dung", "Đơn vị"):
            cur[t] = r[1:5]
    for y in years:
        keys = [k for k in planned if k[0] == y and tr[k] is not None]
        prov = blocks.get((y, "toàn tỉnh"), {})
        for m in morder:
            ks = [k for k in keys if k[2] == m]
            want = (sum(planned[k] for k in ks), sum(tr[k] for k in ks)) if ks else None
            have = prov.get(mtitle[m])
            if (have and tuple(have[:2])) != want:
                fail.append(f"{y} province, {m}: {have and have[:2]}, expected {want}")
        want = (sum(planned[k] for k in keys), sum(tr[k] for k in keys))
        if tuple((prov.get("Toàn tỉnh") or (None, None))[:2]) != want:
            fail.append(f"{y} province total: {prov.get('Toàn tỉnh')}, expected {want}")
        units = blocks.get((y, "theo đơn vị"), {})
        for u in sorted({k[1] for k in planned if k[0] == y}):
            name = next(n for n, c in uname.items() if c == u)
            ks = [k for k in keys if k[1] == u]
            if not ks:
                want = (sum(p for k, p in planned.items() if k[:2] == (y, u)), None, "Chưa gửi Biểu 02")
            else:
                pl, t = sum(planned[k] for k in ks), sum(tr[k] for k in ks)
                want = (pl, t, "Chưa đạt kế hoạch" if t < THRESHOLD * pl - 1e-9 else "Đạt kế hoạch")
            have = units.get(name)
            if not have or (have[0], have[1], have[3]) != want:
                fail.append(f"{y} {u}: {have}, expected {want}")
        if len(units) != len({k[1] for k in planned if k[0] == y}):
            fail.append(f"{y}: {len(units)} units listed")

    # the chart: the latest year's shares per content, and the province's
    png, svg = out + "/charts/thuc-hien-ke-hoach.png", out + "/charts/thuc-hien-ke-hoach.svg"
    if not (os.path.exists(png) and os.path.getsize(png) > 0):
        fail.append("charts/thuc-hien-ke-hoach.png not drawn")
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", open(svg, encoding="utf-8").read()) if os.path.exists(svg) else []
    y = years[-1]
    keys = [k for k in planned if k[0] == y and tr[k] is not None]
    want = []
    for m in morder:
        pl = sum(planned[k] for k in keys if k[2] == m)
        if pl > 0:
            want.append(100 * sum(tr[k] for k in keys if k[2] == m) / pl)
    after = texts[texts.index("% kế hoạch") + 1:] if "% kế hoạch" in texts else []
    shown = [float(t[:-2].replace(".", "").replace(",", ".")) for t in after if re.fullmatch(r"[\d.]+,\d %", t)]
    if len(shown) != len(want) or any(abs(a - b) > 0.051 for a, b in zip(shown, want)):
        fail.append(f"chart {y}: bars {shown}, expected {[round(w, 1) for w in want]}")
    total = 100 * sum(tr[k] for k in keys) / sum(planned[k] for k in keys)
    sub = next((t for t in texts if t.startswith(f"Năm {y} — ")), "")
    m = re.search(r"toàn tỉnh ([\d.]+,\d) %", sub)
    if not m or abs(float(m.group(1).replace(".", "").replace(",", ".")) - total) > 0.051:
        fail.append(f"chart {y}: subtitle {sub!r}, expected toàn tỉnh {total:.1f} %")

    for f in fail[:20]:
        print("planvs_check:", f)
    print(f"planvs_check: {len(planned)} planned rows, {len(years)} years, {len(shown)} contents in the chart; "
          f"{len(fail)} failed")
    return 1 if fail else 0


if __name__ == "__main__":
    sys.exit(main())
