#!/usr/bin/python3
# tests/corpus/plans_gen.py — the generated annual training plans and their truth
# (issue 14, DESIGN §10), run as `gen.py --plans [OUTDIR]` (default tests/corpus/plans).
#
# Writes OUTDIR/inbox/YYYY/** (the plans for 2022–2025 of every agency and district,
# .xlsx / LibreOffice-made .xls / .csv), OUTDIR/headcounts.csv (the appraisal input, in
# records.csv format) and OUTDIR/truth/{plan-records,issues,manifest}.csv.  The truth is
# known by construction: every class row is laid out by this file, every finding is one it
# planted; compute_appraisal() re-derives the target shortfalls from the records and the
# headcounts it wrote, and main() asserts that they are exactly the planted ones (and the
# same for duplicate classes), so a non-planted plan cannot trigger a finding.
# Its constants (wordings, what is planted where) are in plans_data.py; OUTDIR/README.md
# is the contract of these files.
# Deterministic: seeds derived from gen.SEED; fixed dates.  Needs openpyxl and soffice.
import copy
import csv
import io
import math
import os
import random
import shutil
import tempfile
import unicodedata
from datetime import datetime, timedelta
from fractions import Fraction

import gen as G
from plans_data import *          # noqa: F401,F403 — the corpus' constants (plans_data.py)


class Klass:
    """One planned class (one row of a plan)."""

    def __init__(self, metric, group, content, group_text, n):
        self.metric, self.group, self.content, self.group_text, self.n = metric, group, content, group_text, n
        self.female = self.ethnic = None        # None: not given (blank cell)
        self.quarter, self.time_text, self.place = None, "", ""
        self.provider_text, self.provider = "", ""
        self.cost, self.source, self.source_text = None, "", ""
        self.plants = []                        # class-level rules planted on this row
        self.row = self.sheet = None

    def key(self):
        return (self.metric, self.group, self.quarter)


class Plan:
    def __init__(self, unit, year, fmt, rng):
        self.unit, self.year, self.fmt, self.rng = unit, year, fmt, rng
        self.classes = []
        self.status = "accepted"
        self.path = None
        self.sheets = []
        self.records = []
        self.findings = []          # (severity, rule, sheet, cell, message)
        self.vars = []
        self.lay = {}
        self.footer = None
        self.mtime = None


# ---- headcounts -------------------------------------------------------------------------
def planners(year):
    """Units that send a plan for YEAR: agencies and districts active that year; a unit merged
    in 2025 sends none for 2025 (its successor plans for the merged staff)."""
    out = []
    for code, u in G.UNITS.items():
        if u.kind == "provider" or not u.active(year):
            continue
        if year == 2025 and code in G.SUCCESSOR:
            continue
        out.append(code)
    return out


def headcount_rows(fig):
    """headcounts.csv: every group's headcount of every planning unit, for the year before
    each plan year (records.csv format)."""
    rows = []
    for y in PLAN_YEARS:
        for code in planners(y):
            b01 = fig.get((code, y - 1), {}).get("B01")
            if not b01 or code in NO_HEADCOUNT:
                continue
            for i, g in enumerate(b01):
                rows.append((code, y - 1, g, "headcount", "all", b01[g][("headcount", "all")],
                             f"bao-cao/{y - 1}/{code}.xlsx", "Biểu 01", f"C{9 + i}"))
    rows.sort(key=lambda r: (r[0], r[1], r[8][0], int(r[8][1:])))
    return rows


def known_headcount(hc, unit, group, year):
    """The contract's rule: the latest year ≤ the plan year in the headcounts file."""
    ys = [y for (u, g, y) in hc if u == unit and g == group and y <= year]
    return hc[(unit, group, max(ys))] if ys else None


# ---- classes of a plan ------------------------------------------------------------------
def unit_groups(code, fig_y):
    u = G.UNITS[code]
    groups = set(GROUPS_OF_KIND[u.kind])
    if fig_y and fig_y["B01"].get("vc", {}).get(("headcount", "all"), 0) == 0:
        groups -= {"vc", "vc_ql"}
    return groups


def group_text(rng, code, g):
    if (code, g) in GROUP_TEXT_UNIT and rng.random() < 0.7:
        return GROUP_TEXT_UNIT[(code, g)]
    return rng.choice(GROUP_TEXT[g])


def new_class(rng, code, metric, g, n):
    pool = CONTENT_TEXT_VC.get(metric) if g == "vc" and metric in CONTENT_TEXT_VC and rng.random() < 0.5 else None
    k = Klass(metric, g, rng.choice(pool or CONTENT_TEXT[metric]), group_text(rng, code, g), n)
    if (metric, g) in CONTENT_WITH_GROUP and rng.random() < 0.5:
        k.content, k.group_text = CONTENT_WITH_GROUP[(metric, g)], ""
    return k


def split(rng, total, parts):
    """total persons in `parts` classes, each ≥ 1."""
    parts = max(1, min(parts, total))
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    edges = [0] + cuts + [total]
    return [edges[i + 1] - edges[i] for i in range(parts)]


def target_classes(rng, code, year, groups, hmax, plan_short):
    """Classes for the annual targets: enough for ceil(t × H) for every H the appraisal may
    use, except a planted shortfall (then fewer than ceil(t × the smallest H))."""
    out = []
    for ind, g, metric, t in TARGETS:
        if g not in groups or not hmax.get(g):
            continue
        hi, lo = hmax[g]
        need = math.ceil(t * hi) + rng.randint(0, max(1, hi // 25))
        if ind in plan_short:
            need = min(need, math.floor((math.ceil(t * lo) - 1) * plan_short[ind]))
        if need <= 0:
            continue
        quarters = rng.sample([1, 2, 3, 4], rng.randint(1, 3 if need >= 6 else 1))
        sub = PARTS.get(g) if g in ("cbcc_th", "cbcc_xa") and G.UNITS[code].kind == "district" else None
        for q, n in zip(quarters, split(rng, need, len(quarters))):
            gg = g
            if sub and rng.random() < 0.35:
                gg = rng.choice(sub)
            k = new_class(rng, code, metric, gg, n)
            k.quarter = q
            out.append(k)
    return out


def other_classes(rng, code, groups, fig_y, count):
    pool = [(m, g) for m, g in OTHER_POOL[G.UNITS[code].kind] if g in groups]
    out = []
    for m, g in rng.sample(pool, min(count, len(pool))):
        n = rng.randint(2, 60) if m not in ("ed_master", "ed_phd", "abroad", "llct_senior", "qlnn_cvcc") else rng.randint(1, 6)
        k = new_class(rng, code, m, g, n)
        k.quarter = rng.choice([1, 2, 3, 4, 4, None])
        out.append(k)
    return out


def dress(rng, k, lay, fs, es):
    """Time, place, provider, Nữ / DTTS, cost and source of a class."""
    k.time_text = time_text(rng, k.quarter, lay["qstyle"], k.year) if k.quarter else ""
    k.place = "Nước ngoài" if k.metric == "abroad" else "Ngoài tỉnh" if k.metric in (
        "ed_master", "ed_phd", "llct_senior", "qlnn_cvcc", "intl") else "Tại tỉnh"
    offered = any(k.metric in offer for offer in OFFERS.values())
    if offered and rng.random() < 0.55:
        k.provider_text, k.provider = rng.choice(TCT_SPELLINGS), "truong-chinh-tri"
    elif PROVIDER_TEXT.get(k.metric) and rng.random() < 0.85:
        k.provider_text = k.provider = rng.choice(PROVIDER_TEXT[k.metric])
    if not lay["provider"]:
        k.provider_text = k.provider = ""
    n = k.n
    if isinstance(n, str):
        return
    if lay["female"] and rng.random() < 0.9:
        k.female = min(n, round(n * fs)) if rng.random() < 0.9 else 0
    if lay["ethnic"] and rng.random() < 0.85:
        k.ethnic = min(n, round(n * es))
    if lay["cost"] and rng.random() < 0.9:
        k.cost = Fraction(max(1, round(n * rng.uniform(0.1, 1.2))), 2)
        k.source = rng.choices(["local", "agency", "central", "sponsor"], [60, 20, 15, 5])[0]
        k.source_text = rng.choice(SOURCE_TEXT[k.source])


def time_text(rng, q, style, year):
    st = style if rng.random() < 0.8 else rng.choice(["roman", "arabic", "q", "month", "range", "slash"])
    m = 3 * q - 2 + rng.randint(0, 2)
    if st == "roman":
        return f"Quý {ROMAN[q]}"
    if st == "arabic":
        return f"Quý {q}"
    if st == "q":
        return f"Q{q}"
    if st == "month":
        return f"Tháng {m}"
    if st == "range":
        end, word = m + rng.randint(1, 2), rng.choice(["Tháng", "tháng"])
        return f"{word} {m}-{end}" if end <= 12 else f"{word} {m}"
    return f"{m}/{year}"


# ---- one plan ---------------------------------------------------------------------------
def layout(rng, fmt):
    lay = {
        "two_row": rng.random() < 0.5, "order": rng.randrange(len(ORDERS)),
        "female": rng.random() < 0.75, "cost": rng.random() < 0.85, "place": rng.random() < 0.8,
        "provider": rng.random() < 0.9, "sections": rng.random() < 0.35, "total": rng.random() < 0.4,
        "sheets": "one", "title": rng.randrange(len(TITLES)), "bieu_kh": rng.random() < 0.3,
        "unit_line": rng.choice(["Đơn vị:", "Đơn vị báo cáo:", None]), "superior": rng.random() < 0.6,
        "col0": 2 if rng.random() < 0.15 else 1, "qstyle": rng.choice(["roman", "arabic", "q", "month", "range", "slash"]),
        "head": {k: rng.randrange(len(v)) for k, v in HEAD.items()}, "all_titles": rng.random() < 0.5,
        "sheet_name": rng.choice(["Kế hoạch", "KH {y}", "Sheet1", "Biểu KH"]),
    }
    lay["ethnic"] = lay["female"] and rng.random() < 0.7
    if fmt != "csv" and rng.random() < 0.3:
        lay["sheets"] = rng.choice(["quarter", "group"])
    if fmt == "csv":
        lay["two_row"] = lay["two_row"] and rng.random() < 0.5
    return lay


def layout_v2(rng, lay, code, year):
    """Later variations, on their own stream (so the plans without them do not move)."""
    lay["colnum"] = rng.choice([None, None, None, "num", "paren"])
    lay["ghi_chu"] = rng.random() < 0.15
    lay["dash_zero"] = rng.random() < 0.3
    lay["total_merged"] = rng.random() < 0.5
    lay["sheet_totals"] = rng.random() < 0.5
    lay["numtext"] = (code, year) in NUMBERS_AS_TEXT
    lay["title_bieu_kh"] = rng.random() < 0.12
    lay["extra_sheet"] = rng.choice([None] * 8 + ["instructions", "hidden_list"])
    lay["swap_fe"] = rng.random() < 0.15
    lay["three_row"] = rng.random() < 0.3
    lay["breaks"] = rng.random() < 0.15


def build_plan(rng, code, year, fmt, fig, hc, planted):
    """The classes of a unit's plan for a year (plants included) and its layout."""
    plan = Plan(code, year, fmt, rng)
    lay = plan.lay = layout(random.Random(f"{PSEED}/{code}/{year}/layout"), fmt)
    layout_v2(random.Random(f"{PSEED}/{code}/{year}/v2"), lay, code, year)
    fig_y = fig.get((code, year - 1))
    groups = unit_groups(code, fig_y)
    hmax = {}
    for g in ("cbcc_th", "cbcc_xa", "vc"):
        hs = [fig[(code, y)]["B01"][g][("headcount", "all")] for y in (year - 1, year)
              if (code, y) in fig and g in fig[(code, y)]["B01"]]
        k = known_headcount(hc, code, g, year)
        hs += [k] if k is not None else []
        if hs and max(hs) > 0:
            hmax[g] = (max(hs), min(hs))
    short = {}
    for ind, frac in SHORTFALL.get((code, year), []) + SHORT_UNAPPRAISED.get((code, year), []):
        short[ind] = frac
    plan.classes = target_classes(rng, code, year, groups, hmax, short)
    room = max(2, min(8, 25 - len(plan.classes) - 3))
    plan.classes += other_classes(rng, code, groups, fig_y, rng.randint(2, room))
    plant_classes(rng, plan, planted)
    if lay["sheets"] == "quarter":
        for k in plan.classes:
            k.quarter = k.quarter or rng.randint(1, 4)
    dedupe(rng, plan)
    fs = rng.uniform(0.35, 0.65)
    es = rng.uniform(0.02, 0.12)
    for k in plan.classes:
        k.year = year
        dress(rng, k, lay, fs, es)
    finish_plants(plan, planted)
    reword(random.Random(f"{PSEED}/{code}/{year}/v3"), plan)
    for k in plan.classes:            # a provider typed with spaces around it (the truth: trimmed)
        if k.provider_text and random.Random(f"{PSEED}/{code}/{year}/v4/{k.content}/{k.n}").random() < 0.07:
            k.provider_text = f"  {k.provider_text} "
    return plan


def dedupe(rng, plan):
    """No two classes with the same content, group and quarter (nor twice the same quarter-less
    class), except the planted duplicate."""
    seen = {k.key() for k in plan.classes if k.plants or getattr(k, "dup_first", False)}
    for k in plan.classes:
        if k.plants or getattr(k, "dup_first", False):
            continue
        free = [q for q in (1, 2, 3, 4, None) if (k.metric, k.group, q) not in seen]
        if k.key() in seen:
            k.quarter = rng.choice([q for q in free if q is not None] or free)
        seen.add(k.key())


def plant_classes(rng, plan, planted):
    key = (plan.unit, plan.year)
    code = plan.unit
    if key in NOT_OFFERED:
        plan.lay["provider"] = True
        k = new_class(rng, code, NOT_OFFERED[key], "cbcc_th" if G.UNITS[code].kind == "agency" else "cc_th", 12)
        k.quarter, k.forced_provider = 3, TCT_SPELLINGS[0 if plan.year == 2023 else 2]
        k.plants.append("plan_provider_not_offered")
        plan.classes.append(k)
    if key in GROUP_ABSENT:
        m, g, from_content = GROUP_ABSENT[key]
        k = new_class(rng, code, m, g, 45)
        if from_content:
            k.content, k.group_text = CONTENT_WITH_GROUP[(m, g)], ""
        k.quarter = 2
        k.plants.append("plan_group_absent")
        plan.classes.append(k)
    if key in DUPLICATE or key in DUPLICATE_REWORDED:
        m = DUPLICATE.get(key) or DUPLICATE_REWORDED[key]
        a = new_class(rng, code, m, "cbcc_th", 20)
        b = new_class(rng, code, m, "cbcc_th", 15)
        if key in DUPLICATE:
            b.content, b.group_text = a.content, a.group_text
        else:
            a.content, b.content = CONTENT_TEXT[m][0], CONTENT_TEXT[m][1]
        a.quarter = b.quarter = 2
        a.dup_first = True
        b.plants.append("plan_duplicate_class")
        plan.classes += [a, b]
    if key in CONTENT_UNMATCHED:
        k = Klass("other", "cbcc_th", UNMATCHED_CONTENT[CONTENT_UNMATCHED[key]], rng.choice(GROUP_TEXT["cbcc_th"]), 30)
        k.quarter = 1
        k.plants.append("plan_content_unmatched")
        plan.classes.append(k)
    if key in GROUP_UNMATCHED:
        k = Klass("it", "other", rng.choice(CONTENT_TEXT["it"]), UNMATCHED_GROUP[GROUP_UNMATCHED[key]], 25)
        k.quarter = 4
        k.plants.append("plan_group_unmatched")
        plan.classes.append(k)
    if key in NOT_A_NUMBER:
        k = new_class(rng, code, "it", "cbcc_xa", NOT_A_NUMBER[key])
        k.quarter = 4
        k.plants.append("not_a_number")
        plan.classes.append(k)
    if key in COST_NO_SOURCE:
        plan.lay["cost"] = True
        k = new_class(rng, code, "foreign_lang", "cbcc_th", 18)
        k.quarter = 3
        k.plants.append("plan_cost_no_source")
        plan.classes.append(k)
    if key in NEGATIVE:
        k = new_class(rng, code, "it", "cbcc_th", NEGATIVE[key])
        k.quarter = 1
        k.plants.append("negative_count")
        plan.classes.append(k)
    if key in PART_OVER:
        plan.lay["female"] = True
        k = new_class(rng, code, "qpan", "cbcc_xa", 26)
        k.quarter = 3
        k.plants.append("part_over_whole")
        plan.classes.append(k)
    if key in NOT_A_NUMBER or key in NEGATIVE or key in PART_OVER:
        plan.lay["total"] = False
    for k in plan.classes:
        if k.plants:
            planted.add((plan.unit, plan.year, k.plants[0]))


def reword(rng, plan):
    """Later wordings on their own stream: a long class name for one class in ten, a quarter
    span ("Quý II-III": the first quarter counts) for one in twenty."""
    for k in plan.classes:
        if k.plants or getattr(k, "dup_first", False):
            continue
        if rng.random() < 0.1 and k.metric in LONG_CONTENT and k.group_text:
            k.content = LONG_CONTENT[k.metric]
        if rng.random() < 0.05 and k.quarter and k.quarter < 4:
            k.time_text = f"Quý {ROMAN[k.quarter]}-{ROMAN[k.quarter + 1]}"


def finish_plants(plan, planted):
    for k in plan.classes:
        if "plan_provider_not_offered" in k.plants:
            k.provider_text, k.provider = k.forced_provider, "truong-chinh-tri"
        if "plan_cost_no_source" in k.plants:
            k.cost, k.source, k.source_text = Fraction(31, 2), "", ""
        if "part_over_whole" in k.plants:
            k.female = k.n + PART_OVER[(plan.unit, plan.year)]
        if any(r in k.plants for r in REJECTED):
            k.female = k.ethnic = None
            k.cost, k.source, k.source_text = None, "", ""
        if k.provider == "truong-chinh-tri" and k.metric not in OFFERS["truong-chinh-tri"]:
            assert "plan_provider_not_offered" in k.plants, (plan.unit, plan.year, k.metric)


# ---- laying a plan out into sheets --------------------------------------------------------
def columns(lay):
    cols = []
    for c in ORDERS[lay["order"]]:
        if c == "N":
            parts = (["female"] if lay["female"] else []) + (["ethnic"] if lay["ethnic"] else [])
            cols += ["n"] + (parts[::-1] if lay.get("swap_fe") else parts)
        elif c == "C":
            cols += ["cost", "source"] if lay["cost"] else []
        elif lay.get(c, True):
            cols.append(c)
    return cols + (["note"] if lay.get("ghi_chu") else [])


def sheet_split(plan):
    """[(sheet name, [classes])] in workbook order (also the byte order of the names, so the
    records' sort by sheet is the same either way)."""
    lay, rng = plan.lay, plan.rng
    ks = list(plan.classes)
    rng.shuffle(ks)
    dup = [k for k in ks if getattr(k, "dup_first", False) or "plan_duplicate_class" in k.plants]
    if len(dup) == 2 and "plan_duplicate_class" in dup[0].plants:     # the first one stays first
        i, j = ks.index(dup[0]), ks.index(dup[1])
        ks[i], ks[j] = ks[j], ks[i]
    if lay["sections"]:
        ks.sort(key=lambda k: k.metric not in DAO_TAO)
    if lay["sheets"] == "one":
        out = [(lay["sheet_name"].format(y=plan.year), ks)]
    elif lay["sheets"] == "quarter":
        out = [(f"Quý {ROMAN[q]}", [k for k in ks if k.quarter == q]) for q in (1, 2, 3, 4)]
    else:
        out = [(name, [k for k in ks if k.group in gs]) for name, gs in GROUP_SHEET]
    out = [(n, c) for n, c in out if c]
    assert [n for n, _ in out] == sorted(n for n, _ in out), out
    assert sum(len(c) for _, c in out) == len(plan.classes)
    return out


def title_block(plan, sh, c0, last):
    lay, rng, u = plan.lay, plan.rng, G.UNITS[plan.unit]
    name = lay.setdefault("name", rng.choice(u.names))
    r = 1
    if u.kind == "agency" and lay["superior"]:
        sh.put(r, c0, "UBND TỈNH KIÊN GIANG")
        r += 1
    sh.put(r, c0, name)
    right = max(c0 + 4, last - 3)
    sh.put(1, right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    sh.put(2, right, "Độc lập - Tự do - Hạnh phúc")
    r = 4
    if lay["bieu_kh"]:
        sh.put(r, last, "Biểu KH")
        r += 1
    title = TITLE_BIEU_KH if lay.get("title_bieu_kh") else TITLES[lay["title"]]
    sh.put(r, c0, title.format(y=plan.year))
    sh.merges.append((r, c0, r, last))
    r += 1
    if lay["unit_line"]:
        sh.put(r, c0, f"{lay['unit_line']} {lay.setdefault('name2', rng.choice(u.names))}")
        r += 1
    if lay["cost"]:
        sh.put(r, last - 1, "Đơn vị tính: người, triệu đồng")
        r += 1
    return r + 1


def header(plan, sh, cols, c0, r):
    """The header band (one row; two rows with merged bands; three rows with "Trong đó" over
    Nữ/DTTS); returns the first data row."""
    lay = plan.lay
    hw = lambda k: broken(lay, NOTE_HEAD if k == "note" else HEAD[k][lay["head"][k] % len(HEAD[k])])
    col = {k: c0 + i for i, k in enumerate(cols)}
    parts = [k for k in cols if k in ("female", "ethnic")]
    depth = 1 if not lay["two_row"] else 3 if lay.get("three_row") and parts else 2
    if depth == 1:
        for k in cols:
            sh.put(r, col[k], hw(k))
        return colnum_row(lay, sh, cols, col, r + 1), col
    low = r + depth - 1                                 # the band's last row
    for k in cols:
        if k in ("female", "ethnic", "source"):
            continue
        if k == "n" and parts:
            sh.put(r, col[k], hw("n_top"))
            sh.merges.append((r, col[k], r, max(col[b] for b in parts)))
            sh.put(r + 1, col[k], hw("n_sub"))
            if depth == 3:
                sh.merges.append((r + 1, col[k], low, col[k]))
                sh.put(r + 1, min(col[b] for b in parts), "Trong đó")
                if len(parts) > 1:
                    sh.merges.append((r + 1, min(col[b] for b in parts), r + 1, max(col[b] for b in parts)))
            for b in parts:
                sh.put(low, col[b], hw(b))
        elif k == "cost":
            sh.put(r, col[k], hw("cost_top"))
            sh.merges.append((r, col[k], r, col["source"]))
            sh.put(r + 1, col[k], hw("cost_sub"))
            sh.put(r + 1, col["source"], hw("source_sub"))
            if depth == 3:
                sh.merges += [(r + 1, col[k], low, col[k]), (r + 1, col["source"], low, col["source"])]
        else:
            sh.put(r, col[k], hw(k))
            sh.merges.append((r, col[k], low, col[k]))
    return colnum_row(lay, sh, cols, col, low + 1), col


def broken(lay, text):
    """A long header broken over two lines (header_line_breaks)."""
    if not lay.get("breaks") or len(text) <= 14 or " " not in text:
        return text
    words = text.split(" ")
    return " ".join(words[:len(words) // 2]) + "\n" + " ".join(words[len(words) // 2:])


def colnum_row(lay, sh, cols, col, r):
    """The column-number row under the band ("1", "2" … or "(1)", "(2)" …), when the plan has one."""
    if not lay.get("colnum"):
        return r
    for i, k in enumerate(cols, 1):
        sh.put(r, col[k], i if lay["colnum"] == "num" else f"({i})")
    return r + 1


def cost_cell(v, lay=None):
    if lay and lay.get("numtext"):
        return str(v.numerator // v.denominator) + ("" if v.denominator == 1 else ",5")
    return int(v) if v.denominator == 1 else float(v)


def count_cell(v, lay, part=False):
    """A count as written: a dash for a 0 Nữ/DTTS (dash_zero), "1.234" as text (numtext)."""
    if part and v == 0 and lay.get("dash_zero"):
        return "-"
    if lay.get("numtext") and isinstance(v, int):
        return f"{v:,}".replace(",", ".")
    return v


def class_row(plan, sh, col, r, k, stt, sheet_name):
    lay = plan.lay
    vals = {"stt": stt, "content": k.content, "group": k.group_text, "n": count_cell(k.n, lay),
            "female": None if k.female is None else count_cell(k.female, lay, True),
            "ethnic": None if k.ethnic is None else count_cell(k.ethnic, lay, True), "time": k.time_text,
            "place": k.place, "provider": k.provider_text,
            "cost": cost_cell(k.cost, lay) if k.cost is not None else None, "source": k.source_text, "note": None}
    for name, c in col.items():
        v = vals[name]
        if v is not None and v != "":
            sh.put(r, c, v)
    k.row, k.sheet = r, sheet_name
    if not any(r in k.plants for r in REJECTED):
        for bd, v, name in (("all", k.n, "n"), ("female", k.female, "female"), ("ethnic", k.ethnic, "ethnic")):
            if v is None or name not in col or (bd == "female" and "part_over_whole" in k.plants):
                continue
            first = bd == "all"
            plan.records.append({
                "group": k.group, "metric": k.metric, "bd": bd, "value": v,
                "quarter": str(k.quarter) if k.quarter else "", "provider": k.provider,
                "cost": G.fmt_num(k.cost) if first and k.cost is not None else "",
                "source": k.source if first else "", "sheet": sheet_name, "cell": G.a1(r, col[name])})
    for rule in k.plants:
        where = FINDING_COLUMN[rule]
        if where == "group" and not k.group_text:
            where = "content"
        plan.findings.append((SEVERITY.get(rule, "warning"), rule, sheet_name, G.a1(r, col[where]),
                              finding_message(rule, k)))


def finding_message(rule, k):
    return {"plan_content_unmatched": f"Nội dung \"{k.content}\" không khớp nội dung nào của Biểu 02",
            "plan_group_unmatched": f"Đối tượng \"{k.group_text}\" không khớp nhóm đối tượng nào",
            "plan_provider_not_offered": f"{k.provider_text} không đào tạo nội dung \"{k.content}\"",
            "plan_group_absent": f"Đơn vị không có đối tượng {k.group}",
            "plan_cost_no_source": "Có kinh phí nhưng không ghi nguồn kinh phí",
            "plan_duplicate_class": f"Lớp \"{k.content}\" trùng (cùng đối tượng, cùng quý)",
            "not_a_number": f"Số lượng \"{k.n}\" không phải là số",
            "negative_count": f"Số lượng {k.n} bị âm",
            "part_over_whole": f"Số nữ {k.female} lớn hơn số lượng {k.n}"}[rule]


def total_row(plan, sh, col, r, ks):
    word = plan.rng.choice(TOTAL_WORDS)
    lay = plan.lay
    if lay.get("total_merged") and col["content"] == col["stt"] + 1:
        sh.put(r, col["stt"], word)
        sh.merges.append((r, col["stt"], r, col["content"]))
    else:
        sh.put(r, col["content"], word)
    sums = {"n": sum(k.n for k in ks)}
    for name in ("female", "ethnic"):
        if name in col and any(getattr(k, name) is not None for k in ks):
            sums[name] = sum(getattr(k, name) or 0 for k in ks)
    if "cost" in col and any(k.cost is not None for k in ks):
        sums["cost"] = sum((k.cost or Fraction(0) for k in ks), Fraction(0))
    for name, v in sums.items():
        sh.put(r, col[name], cost_cell(v, lay) if name == "cost" else count_cell(v, lay))
    plan.totals.append((sh.name, G.a1(r, col["n"]), sums["n"]))


def footer(plan, sh, c0, last, r):
    d = plan.footer
    right = max(c0 + 4, last - 3)
    sh.put(r, right, f"Kiên Giang, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}")
    sh.put(r + 1, c0 + 1, "NGƯỜI LẬP BIỂU")
    sh.put(r + 1, right, "THỦ TRƯỞNG ĐƠN VỊ")
    sh.put(r + 5, c0 + 1, plan.rng.choice(G.PREPARERS))
    sh.put(r + 5, right, plan.rng.choice(G.HEADS))


def lay_out(plan):
    lay = plan.lay
    cols = columns(lay)
    c0 = lay["col0"]
    last = c0 + len(cols) - 1
    plan.records, plan.findings, plan.sheets, plan.totals = [], [], [], []
    parts = sheet_split(plan)
    total = plan.has_total = lay["total"] and (len(parts) == 1 or lay["sheet_totals"])
    for i, (name, ks) in enumerate(parts):
        sh = G.BSheet(name)
        plan.sheets.append(sh)
        if i == 0 or lay["all_titles"]:
            r = title_block(plan, sh, c0, last)
        else:
            sh.put(1, c0, f"Kế hoạch năm {plan.year} ({name})")
            r = 3
        r, col = header(plan, sh, cols, c0, r)
        stt, sec = 0, None
        for k in ks:
            s = "dt" if k.metric in DAO_TAO else "bd"
            if lay["sections"] and s != sec:
                sec, stt = s, 0
                a, b = SECTION[s][lay["head"]["stt"] % 2]
                if a:
                    sh.put(r, col["stt"], a)
                sh.put(r, col["content"], b)
                r += 1
            stt += 1
            class_row(plan, sh, col, r, k, stt, name)
            r += 1
        if total:
            total_row(plan, sh, col, r, ks)
            r += 1
        if i == len(parts) - 1:
            footer(plan, sh, c0, last, r + 1)
    extra_sheet(plan)


def extra_sheet(plan):
    """An instruction sheet "Hướng dẫn" (text only) first, or a hidden list sheet "DM" last
    (the contents and groups offered by a drop-down): no table, no record."""
    kind = plan.lay.get("extra_sheet")
    if not kind or plan.fmt == "csv":
        return
    if kind == "instructions":
        sh = G.BSheet("Hướng dẫn")
        for i, t in enumerate(INSTRUCTIONS, 1):
            sh.put(i, 1, t)
        plan.sheets.insert(0, sh)
    else:
        sh = G.BSheet("DM", hidden=True)
        for i, m in enumerate(CONTENT_TEXT, 1):
            sh.put(i, 1, CONTENT_TEXT[m][0])
        for i, g in enumerate(GROUP_TEXT, 1):
            sh.put(i, 3, GROUP_TEXT[g][0])
        plan.sheets.append(sh)

# ---- files --------------------------------------------------------------------------------
NAME_FORMS = ["ke-hoach-dtbd-{short}-{y}", "KH DTBD {y} - {short}", "{code}_ke-hoach-{y}", "kh-{short}"]


def plan_path(rng, plan, used):
    u = G.UNITS[plan.unit]
    ext = plan.fmt
    sub = ("huyen/" if u.kind == "district" else "so-nganh/") if rng.random() < 0.25 else ""
    stem = rng.choice(NAME_FORMS).format(short=G.short_name(plan.unit), y=plan.year, code=plan.unit)
    path = f"{plan.year}/{sub}{stem}.{ext}"
    assert path not in used, path
    used.add(path)
    return path


def write_plan_csv(plan, path):
    sh = plan.sheets[0]
    maxr = max(r for r, _ in sh.cells)
    maxc = max(c for _, c in sh.cells)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=plan.lay.get("delim", ","), lineterminator="\r\n")
    for r in range(1, maxr + 1):
        w.writerow(["" if sh.cells.get((r, c)) is None else str(sh.cells[(r, c)]) for c in range(1, maxc + 1)])
    data = buf.getvalue().encode("utf-8")
    if plan.lay.get("bom"):
        data = b"\xef\xbb\xbf" + data
    with open(path, "wb") as fh:
        fh.write(data)


def write_files(plans, inbox):
    stage = tempfile.mkdtemp(prefix="dtbd-plans-")
    to_xls, moves = [], []
    for i, p in enumerate(plans):
        dst = os.path.join(inbox, p.path)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        if p.fmt == "csv":
            write_plan_csv(p, dst)
        elif p.fmt == "xls":
            src = os.path.join(stage, "in", f"p{i:04d}.xlsx")
            os.makedirs(os.path.dirname(src), exist_ok=True)
            G.write_xlsx(p, src)
            to_xls.append(src)
            moves.append((os.path.join(stage, "out", f"p{i:04d}.xls"), dst))
        else:
            G.write_xlsx(p, dst)
    G.soffice("xls", to_xls, os.path.join(stage, "out"))
    for src, dst in moves:
        shutil.move(src, dst)
    shutil.rmtree(stage, ignore_errors=True)
    for p in plans:
        t = G.epoch(p.mtime)
        os.utime(os.path.join(inbox, p.path), (t, t))


# ---- the truth ----------------------------------------------------------------------------
def compute_appraisal(plan, hc):
    """Target shortfalls of an accepted plan (the contract's rule, from its records and the
    headcounts written): [(indicator, needed, planned)]."""
    out = []
    groups = GROUPS_OF_KIND[G.UNITS[plan.unit].kind]
    for ind, g, metric, t in TARGETS:
        if g not in groups:
            continue
        h = known_headcount(hc, plan.unit, g, plan.year)
        if h is None:
            continue
        fam = {g, *PARTS.get(g, [])}
        p = sum(r["value"] for r in plan.records if r["bd"] == "all" and r["metric"] == metric and r["group"] in fam)
        n = math.ceil(t * h)                  # exact: t is a Fraction
        if p < n:
            out.append((ind, n, p))
    return out


def duplicates(plan):
    seen, out = set(), []
    for sheet in plan.sheets:
        for k in sorted((k for k in plan.classes if k.sheet == sheet.name), key=lambda k: k.row):
            if any(r in k.plants for r in REJECTED):
                continue
            key = (k.metric, k.group, k.quarter)
            if key in seen:
                out.append(k)
            seen.add(key)
    return out


def file_of(plan):
    return f"{PREFIX}/{plan.path}"


def write_truth(plans, hc_rows, hc, outdir):
    truth = os.path.join(outdir, "truth")
    recs, finds, man = [], [], []
    acc = [p for p in plans if p.status == "accepted"]
    for p in sorted(acc, key=lambda p: (p.unit, p.year, file_of(p))):
        order = {sh.name: i for i, sh in enumerate(p.sheets)}
        bdo = {"all": 0, "female": 1, "ethnic": 2}
        for r in sorted(p.records, key=lambda r: (order[r["sheet"]], G.cell_key(r["cell"])[0], bdo[r["bd"]])):
            recs.append((p.unit, p.year, r["group"], r["metric"], r["bd"], r["value"], r["quarter"], r["provider"],
                         r["cost"], r["source"], file_of(p), r["sheet"], r["cell"]))
    for p in plans:
        if p.status == "accepted":
            for sev, rule, sheet, cell, msg in p.findings:
                finds.append((sev, rule, file_of(p), sheet, cell, p.unit, p.year, msg))
            for ind, n, got in compute_appraisal(p, hc):
                finds.append(("warning", "plan_target_shortfall", file_of(p), "", "", p.unit, p.year,
                              f"{ind}: cần ít nhất {n} người, kế hoạch {got} người, thiếu {n - got} người"))
        else:
            finds.append(("warning", "duplicate_submission", file_of(p), "", "", p.unit, p.year,
                          f"Kế hoạch gửi lại: tệp \"{file_of(p.newer)}\" thay thế tệp này"))
        man.append((file_of(p), p.unit, p.year, p.fmt, p.status, len(p.classes), ";".join(p.vars)))
    finds.sort(key=lambda f: (f[2], f[1], f[3], G.cell_key(f[4]) if f[4] else (0, 0)))
    G.write_csv_rows(os.path.join(truth, "plan-records.csv"),
                     ["unit", "year", "group", "metric", "breakdown", "value", "quarter", "provider", "cost",
                      "source", "file", "sheet", "cell"], recs)
    G.write_csv_rows(os.path.join(truth, "issues.csv"),
                     ["severity", "rule", "file", "sheet", "cell", "unit", "year", "message"], finds)
    G.write_csv_rows(os.path.join(truth, "manifest.csv"),
                     ["file", "unit", "year", "format", "status", "classes", "variations"], sorted(man))
    G.write_csv_rows(os.path.join(outdir, "headcounts.csv"),
                     ["unit", "year", "group", "metric", "breakdown", "value", "file", "sheet", "cell"], hc_rows)
    return recs, finds


def tokens(p):
    lay = p.lay
    t = [f"format={p.fmt}", "header=two_rows" if lay["two_row"] else "header=one_row", f"order={lay['order']}"]
    t += [x for x, on in (("no_female", not lay["female"]), ("no_ethnic", not lay["ethnic"]),
                          ("no_cost", not lay["cost"]), ("no_place", not lay["place"]),
                          ("no_provider", not lay["provider"]), ("sections", lay["sections"]),
                          ("total_row", p.has_total), ("bieu_kh", lay["bieu_kh"]),
                          ("table_starts_column_B", lay["col0"] == 2), ("superior_line", lay["superior"]
                                                                        and G.UNITS[p.unit].kind == "agency"))
          if on]
    t.append(f"sheets={lay['sheets']}" + (f":{len(p.sheets)}" if lay["sheets"] != "one" else ""))
    t.append("title=bieu_kh" if lay.get("title_bieu_kh") else f"title={lay['title']}")
    if lay.get("swap_fe") and lay["female"] and lay["ethnic"]:
        t.append("dtts_before_nu")
    if lay["two_row"] and lay.get("three_row") and lay["female"]:
        t.append("header=three_rows")
    if lay.get("breaks"):
        t.append("header_line_breaks")
    if lay.get("extra_sheet") and p.fmt != "csv":
        t.append({"instructions": "instruction_sheet", "hidden_list": "hidden_sheet"}[lay["extra_sheet"]])
    t += [x for x, on in (("colnum=" + str(lay.get("colnum")), lay.get("colnum")), ("ghi_chu", lay.get("ghi_chu")),
                          ("zeros=dash", lay.get("dash_zero") and any(k.female == 0 or k.ethnic == 0 for k in p.classes)),
                          ("total_label_merged", lay.get("total_merged") and p.has_total and
                           ORDERS[lay["order"]][:2] == ["stt", "content"]),
                          ("sheet_totals", p.has_total and len(p.sheets) > 1),
                          ("numbers_as_text", lay.get("numtext")), ("no_headcount", p.unit in NO_HEADCOUNT)) if on]
    t.append(f"time={lay['qstyle']}")
    if lay["unit_line"]:
        t.append("unit_line=" + lay["unit_line"].rstrip(":"))
    if p.fmt == "csv":
        t.append("delimiter=" + ("semicolon" if lay.get("delim") == ";" else "comma"))
        if lay.get("bom"):
            t.append("bom")
    return t


# ---- the whole corpus ---------------------------------------------------------------------
def resubmission(p, used):
    """The plan sent twice: the first version (short of tr_law for cbcc_th), superseded by the
    corrected one sent later; both dated in the footer, the later one also newer on disk."""
    code, y = p.unit, p.year
    old = Plan(code, y, p.fmt, random.Random(f"{PSEED}/{code}/{y}/old"))
    old.lay = dict(p.lay)
    old.classes = [copy.copy(k) for k in p.classes]
    for k in old.classes:
        k.plants = list(k.plants)
        if k.metric == "tr_law" and k.group in ("cbcc_th", "cb_th", "cc_th"):
            k.n = k.n // 2
            k.female = None if k.female is None else min(k.female, k.n)
            k.ethnic = None if k.ethnic is None else min(k.ethnic, k.n)
    old.status, old.newer = "superseded", p
    short = G.short_name(code).replace("tp-", "")
    old.path, p.path = f"{y}/kh-dtbd-{short}-{y}.xlsx", f"{y}/kh-dtbd-{short}-{y}-gui-lai.xlsx"
    used.update({old.path, p.path})
    old.footer, p.footer = datetime(y - 1, 7, 12), datetime(y - 1, 8, 5)
    old.mtime, p.mtime = datetime(y - 1, 7, 12, 16, 20), datetime(y - 1, 8, 5, 9, 45)
    old.vars_extra, p.vars_extra = ["resubmission=footer:older"], ["resubmission=footer:newer"]
    return old


def legacy_tcvn3(plan, planted):
    """Every text of the workbook in TCVN3 (gen.tcvn3: Latin-1 characters of its bytes, font
    .VnTime, or .VnTimeH with the text in lower case when it has accented capitals)."""
    assert len(plan.sheets) == 1
    for k in plan.classes:            # the provider text comes back exactly (no lower-casing)
        assert not k.provider_text or G.tcvn3(k.provider_text)[1] == ".VnTime", k.provider_text
    for sh in plan.sheets:
        first = None
        for (r, c), v in sorted(sh.cells.items()):
            if isinstance(v, str) and any(ord(ch) > 127 for ch in v):
                first = first or (r, c)
                sh.cells[(r, c)], sh.fonts[(r, c)] = G.tcvn3(v)
        plan.findings.append(("info", "legacy_encoding_repaired", sh.name, G.a1(*first),
                              "Đã chuyển chữ gõ bằng bảng mã TCVN3 sang Unicode"))
    plan.vars_extra = getattr(plan, "vars_extra", []) + ["legacy_tcvn3"]
    planted.add((plan.unit, plan.year, "legacy_encoding_repaired"))


def make_plans(fig, hc):
    plans, used, planted = [], set(), set()
    for y in PLAN_YEARS:
        for code in planners(y):
            frng = random.Random(f"{PSEED}/{code}/{y}/file")      # format, name, date: their own stream
            fmt = FORCED_FORMAT.get((code, y)) or G.choose_format(frng)
            p = build_plan(random.Random(f"{PSEED}/{code}/{y}"), code, y, fmt, fig, hc, planted)
            p.footer = datetime(y - 1, 7, 1) + timedelta(days=frng.randint(0, 80))
            p.mtime = p.footer + timedelta(hours=frng.randint(8, 40))
            group = [p]
            if (code, y) == RESUBMITTED:
                group.insert(0, resubmission(p, used))
            else:
                p.path = plan_path(frng, p, used)
            if fmt == "csv":
                p.lay["delim"] = frng.choice([",", ",", ";"])
                p.lay["bom"] = frng.random() < 0.4
                p.lay["sheet_name"] = os.path.basename(p.path)[:-4]
            for q in group:
                lay_out(q)
                if (code, y) in LEGACY:
                    legacy_tcvn3(q, planted)
                if (code, y) in NFD:
                    for sh in q.sheets:
                        for key, v in sh.cells.items():
                            if isinstance(v, str):
                                sh.cells[key] = unicodedata.normalize("NFD", v)
                    q.vars_extra = getattr(q, "vars_extra", []) + ["nfd"]
                q.vars = tokens(q) + getattr(q, "vars_extra", [])
            plans += group
    return plans, planted


def self_check(plans, finds, hc, planted, fig):
    """The truth is what was planted, and nothing else can be raised."""
    short = {(f[5], f[6], f[7].split(":")[0]) for f in finds if f[1] == "plan_target_shortfall"}
    want = {(u, y, ind) for (u, y), l in SHORTFALL.items() for ind, _ in l}
    assert short == want, (sorted(short ^ want))
    rules = {(f[5], f[6], f[1]) for f in finds if f[1] not in ("plan_target_shortfall", "duplicate_submission")}
    assert rules == planted, sorted(rules ^ planted)
    for p in plans:
        assert 5 <= len(p.classes) <= 25, (p.unit, p.year, len(p.classes))
        dup = duplicates(p)
        assert all("plan_duplicate_class" in k.plants for k in dup), (p.unit, p.year, [k.key() for k in dup])
        for k in p.classes:
            if k.plants:
                continue
            assert k.group in GROUPS_OF_KIND[G.UNITS[p.unit].kind], (p.unit, p.year, k.group)
            assert k.metric in CONTENT_TEXT, (p.unit, p.year, k.metric)
            assert k.provider != "truong-chinh-tri" or k.metric in OFFERS["truong-chinh-tri"]
            assert k.cost is None or k.source, (p.unit, p.year, k.content)
            assert k.female is None or 0 <= k.female <= k.n
            assert k.ethnic is None or k.ethnic <= k.n
            assert not (k.metric in ("tr_law", "tr_ethics", "tr_skills") and k.group == "vc_ql")
        for ind, frac in SHORT_UNAPPRAISED.get((p.unit, p.year), []):     # short, but no headcount known
            _, g, metric, t = next(x for x in TARGETS if x[0] == ind)
            planned = sum(r["value"] for r in p.records if r["bd"] == "all" and r["metric"] == metric
                          and r["group"] in {g, *PARTS.get(g, [])})
            h = fig[(p.unit, p.year - 1)]["B01"][g][("headcount", "all")]
            assert known_headcount(hc, p.unit, g, p.year) is None and planned < math.ceil(t * h), (p.unit, planned)
        if p.status == "superseded":
            assert compute_appraisal(p, hc), "the superseded plan would be short if it were counted"
            assert not p.findings


def main(outdir):
    inbox = os.path.join(outdir, "inbox")
    truth = os.path.join(outdir, "truth")
    for d in (inbox, truth):
        if os.path.isdir(d):
            shutil.rmtree(d)
        os.makedirs(d)
    model = G.Model(random.Random(G.SEED))
    hc_rows = headcount_rows(model.fig)
    hc = {(u, g, y): v for u, y, g, _, _, v, *_ in hc_rows}
    plans, planted = make_plans(model.fig, hc)
    write_files(plans, inbox)
    recs, finds = write_truth(plans, hc_rows, hc, outdir)
    self_check(plans, finds, hc, planted, model.fig)
    nfmt = {f: sum(1 for p in plans if p.fmt == f) for f in ("xlsx", "xls", "csv")}
    print(f"plans: {len(plans)} files ({nfmt}), {sum(len(p.classes) for p in plans)} classes, "
          f"{len(recs)} records, {len(finds)} findings, {len(hc_rows)} headcounts")
