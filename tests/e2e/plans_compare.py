#!/usr/bin/python3
"""tests/e2e/plans_compare.py OUT TRUTH

Compares what `dtbd plan --year YYYY` wrote for each year of the plan corpus
(OUT/YYYY/plan-records.csv and OUT/YYYY/issues.csv, OUT/rc holding "YYYY exit-status"
lines, OUT/stderr-YYYY) with the generator's truth (tests/corpus/plans/truth/):

- plan-records.csv: the exact columns of the contract; every true record, value for
  value (unit, year, group, metric, breakdown, value, quarter, provider, cost, source,
  file, sheet, cell — compared as written), and no other; in the contract's order (unit,
  year, file, sheet, cell row, breakdown all/female/ethnic) within each run.
- issues.csv: the exact columns; every planted finding (severity, rule, file, sheet,
  cell, unit, year) and no other; a message on every finding; the message of a target
  shortfall names N, P and N − P (read from the truth's message "Txx: cần ít nhất N
  người, kế hoạch P người, thiếu S người"), that of an unmatched content its text.
- exit status of each run: 1 when the truth has an error finding for that year, else 0.

Prints "plans: N records, M findings" (the truth's), then one line per difference (at
most 20 of each kind, with counts per kind), and "N passed, M failed"; exit 0 only when
nothing failed. Never skips: a missing file is a failure.
"""
import csv
import os
import re
import sys
from collections import Counter

REC_COLS = ["unit", "year", "group", "metric", "breakdown", "value", "quarter", "provider", "cost", "source",
            "file", "sheet", "cell"]
ISS_COLS = ["severity", "rule", "file", "sheet", "cell", "unit", "year", "message"]
FIND_KEY = ["severity", "rule", "file", "sheet", "cell", "unit", "year"]
BD_ORDER = {"all": 0, "female": 1, "ethnic": 2}
SHOW = 20


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = Counter()

    def ok(self, n=1):
        self.passed += n

    def fail(self, kind, msg):
        self.failed[kind] += 1
        if self.failed[kind] <= SHOW:
            print(f"FAIL {kind}: {msg}")


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        rd = csv.reader(fh)
        header = next(rd, None)
        return header, [dict(zip(header, r)) for r in rd] if header else []


def cell_row(cell):
    m = re.fullmatch(r"\$?([A-Z]+)\$?([0-9]+)", cell or "")
    return int(m.group(2)) if m else -1


def sort_key(r):
    return (r["unit"], r["year"], r["file"].encode(), r["sheet"].encode(), cell_row(r["cell"]),
            BD_ORDER.get(r["breakdown"], 9))


def show_rec(r):
    return (f"{r['unit']} {r['year']} {r['group']}.{r['metric']}.{r['breakdown']}={r['value']} "
            f"q={r['quarter']} provider={r['provider']!r} cost={r['cost']} source={r['source']}")


def compare_records(rep, truth, got):
    want = Counter(tuple(r[c] for c in REC_COLS) for r in truth)
    have = Counter(tuple(r.get(c, "") for c in REC_COLS) for r in got)
    at = {}
    for r in got:
        at.setdefault((r.get("file"), r.get("sheet"), r.get("cell")), []).append(r)
    reported = set()
    for k, n in want.items():
        common = min(n, have.get(k, 0))
        rep.ok(common)
        if common == n:
            continue
        r = dict(zip(REC_COLS, k))
        loc = (r["file"], r["sheet"], r["cell"])
        others = [o for o in at.get(loc, []) if tuple(o.get(c, "") for c in REC_COLS) not in want]
        if others:
            o = others[0]
            diff = [f"{c} {o.get(c)!r}, want {r[c]!r}" for c in REC_COLS if r[c] != o.get(c)]
            rep.fail("record differs", f"{r['file']}!{r['sheet']}!{r['cell']}: " + ", ".join(diff))
            reported.add(loc)
        else:
            rep.fail("record missing", f"{r['file']}!{r['sheet']}!{r['cell']} {show_rec(r)}")
    for k, n in have.items():
        extra = n - want.get(k, 0)
        if extra <= 0:
            continue
        r = dict(zip(REC_COLS, k))
        if (r["file"], r["sheet"], r["cell"]) in reported:
            continue
        rep.fail("record unexpected", f"{r['file']}!{r['sheet']}!{r['cell']} {show_rec(r)}"
                 + (f" (×{extra})" if extra > 1 else ""))


def compare_order(rep, year, got):
    for a, b in zip(got, got[1:]):
        if sort_key(b) < sort_key(a):
            rep.fail("record order", f"{year}: {b['file']}!{b['sheet']}!{b['cell']} ({b['breakdown']}) comes after "
                     f"{a['file']}!{a['sheet']}!{a['cell']} ({a['breakdown']})")
            return
    rep.ok()


def numbers(text):
    return set(re.findall(r"(?<![0-9.,])[0-9]+(?![0-9])", text))


def message_check(rep, t, o):
    msg = o.get("message", "")
    if not msg.strip():
        rep.fail("finding message", f"{o['rule']} {o['file']}!{o['sheet']}!{o['cell']}: empty message")
        return
    if t["rule"] == "plan_target_shortfall":
        m = re.match(r"(T[0-9]+): cần ít nhất ([0-9]+) người, kế hoạch ([0-9]+) người, thiếu ([0-9]+)", t["message"])
        need = {m.group(2), m.group(3), m.group(4)} if m else set()
        if not need <= numbers(msg):
            rep.fail("finding message", f"{o['unit']} {o['year']} {m.group(1) if m else ''}: message {msg!r} "
                     f"does not name N, P and N − P ({', '.join(sorted(need))})")
            return
    if t["rule"] == "plan_content_unmatched":
        m = re.search(r'"(.+?)"', t["message"])
        if m and m.group(1) not in msg:
            rep.fail("finding message", f"{o['file']}!{o['sheet']}!{o['cell']}: message {msg!r} does not name "
                     f"the content {m.group(1)!r}")
            return
    rep.ok()


def compare_findings(rep, truth, got):
    key = lambda r: tuple(r.get(c, "") for c in FIND_KEY)
    have = Counter(key(r) for r in got)
    by_key = {}
    for r in got:
        by_key.setdefault(key(r), r)
    for t in truth:
        k = key(t)
        if have.get(k, 0) > 0:
            have[k] -= 1
            rep.ok()
            message_check(rep, t, by_key[k])
        else:
            near = [o for o in got if o.get("rule") == t["rule"] and o.get("file") == t["file"]]
            hint = f" (got {t['rule']} in that file at {near[0].get('sheet')!r}!{near[0].get('cell')!r})" if near else ""
            rep.fail("finding missing", f"{t['severity']} {t['rule']} {t['file']}!{t['sheet']}!{t['cell']} "
                     f"{t['unit']} {t['year']}{hint}")
    for k, n in have.items():
        for _ in range(n):
            r = dict(zip(FIND_KEY, k))
            rep.fail("finding unexpected", f"{r['severity']} {r['rule']} {r['file']}!{r['sheet']}!{r['cell']} "
                     f"{r['unit']} {r['year']}: {by_key[k].get('message', '')[:160]}")


def load_run(rep, out, year, rc):
    got, err = {}, None
    for name, cols in (("plan-records.csv", REC_COLS), ("issues.csv", ISS_COLS)):
        path = os.path.join(out, str(year), name)
        if not os.path.exists(path):
            why = f"dtbd plan exited {rc}"
            ep = os.path.join(out, f"stderr-{year}")
            if err is None and os.path.exists(ep):
                with open(ep, encoding="utf-8", errors="replace") as fh:
                    err = " ".join(fh.read().split())[:300]
                why += f"; stderr: {err!r}"
            rep.fail("output missing", f"{year}: no {name} ({why})")
            got[name] = []
            continue
        header, rows = read_csv(path)
        if header != cols:
            rep.fail("columns", f"{year}/{name}: {header} (want {cols})")
        else:
            rep.ok()
        got[name] = rows
    return got["plan-records.csv"], got["issues.csv"]


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    out, truth = sys.argv[1], sys.argv[2]
    rep = Report()
    _, t_rec = read_csv(os.path.join(truth, "plan-records.csv"))
    _, t_iss = read_csv(os.path.join(truth, "issues.csv"))
    print(f"plans: {len(t_rec)} records, {len(t_iss)} findings")
    rcs = {}
    with open(os.path.join(out, "rc"), encoding="utf-8") as fh:
        for line in fh:
            y, rc = line.split()
            rcs[int(y)] = int(rc)
    years = sorted({int(r["year"]) for r in t_rec} | {int(r["year"]) for r in t_iss})
    if sorted(rcs) != years:
        rep.fail("runs", f"ran years {sorted(rcs)}, the truth has {years}")
    o_rec, o_iss = [], []
    for y in sorted(rcs):
        recs, iss = load_run(rep, out, y, rcs[y])
        for r in recs:
            if r.get("year") != str(y):
                rep.fail("record year", f"run {y} wrote a record of year {r.get('year')}: {r.get('file')}!{r.get('cell')}")
        compare_order(rep, y, recs)
        o_rec += recs
        o_iss += iss
        want_rc = 1 if any(t["severity"] == "error" and t["year"] == str(y) for t in t_iss) else 0
        if rcs[y] != want_rc:
            rep.fail("exit status", f"dtbd plan --year {y} exited {rcs[y]}, expected {want_rc}")
        else:
            rep.ok()
    compare_records(rep, t_rec, o_rec)
    compare_findings(rep, t_iss, o_iss)
    print(f"output: {len(o_rec)} records, {len(o_iss)} findings")
    if rep.failed:
        print("failed by kind: " + ", ".join(f"{k} {n}" for k, n in sorted(rep.failed.items())))
    print(f"{rep.passed} passed, {sum(rep.failed.values())} failed")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
