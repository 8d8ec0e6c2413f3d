#!/usr/bin/python3
"""bench/verify.py — is `dtbd dump FILE` right? Compares it with openpyxl.

    /usr/bin/python3 bench/verify.py DTBD FILE

Streams `DTBD dump FILE` and openpyxl's read-only iteration side by side and
compares every non-empty cell (reference, type and value): sheet names and
order, then each cell, then the cell count. This covers the first 1000 and
last 1000 data cells the brief asks for, and all the ones in between (openpyxl
has to parse the whole sheet to reach the last ones anyway). Prints one
"verify: PASS …" or "verify: FAIL …" line (plus up to 10 mismatches) and exits
0 or 1.
"""
import datetime
import subprocess
import sys
import unicodedata

import openpyxl
from openpyxl.utils import get_column_letter

MAX_SHOWN = 10


def unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == '\\' and i + 1 < len(s):
            out.append({'t': '\t', 'n': '\n', 'r': '\r', '\\': '\\'}.get(s[i + 1], '\\' + s[i + 1]))
            i += 2
        else:
            out.append(c)
            i += 1
    return ''.join(out)


def expected(v):
    """(type, value) as `dtbd dump` should print the openpyxl value v."""
    if isinstance(v, bool):
        return 'bool', 'TRUE' if v else 'FALSE'
    if isinstance(v, (int, float)):
        return 'number', float(v)
    if isinstance(v, datetime.datetime):
        v = (v + datetime.timedelta(microseconds=500000)).replace(microsecond=0)
        if v.hour == v.minute == v.second == 0:
            return 'date', v.strftime('%Y-%m-%d')
        return 'date', v.strftime('%Y-%m-%dT%H:%M:%S')
    if isinstance(v, datetime.date):
        return 'date', v.strftime('%Y-%m-%d')
    if isinstance(v, str):
        if v.startswith('#') and v in ('#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?',
                                       '#NUM!', '#N/A', '#GETTING_DATA'):
            return None, v   # openpyxl cannot tell an error from its text
        return 'text', unicodedata.normalize('NFC', v)
    return 'unknown', repr(v)


def openpyxl_items(path):
    wb = openpyxl.load_workbook(path, read_only=True)
    for idx, ws in enumerate(wb.worksheets):
        yield ('sheet', ws.title, ws.sheet_state != 'visible')
        for r, row in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True)):
            for c, v in enumerate(row):
                if v is None or v == '':
                    continue
                t, val = expected(v)
                yield ('cell', get_column_letter(c + 1) + str(r + 1), t, val)
    wb.close()


def dump_items(proc):
    for line in proc.stdout:
        line = line.rstrip('\n')
        if line.startswith('# sheet '):
            name = line[len('# sheet '):]
            hidden = name.endswith(' hidden')
            if hidden:
                name = name[:-len(' hidden')]
            yield ('sheet', unescape(name), hidden)
        elif line.startswith('# merge '):
            continue
        else:
            parts = line.split('\t', 2)
            if len(parts) != 3:
                yield ('bad', line)
                continue
            ref, t, val = parts
            val = unescape(val)
            if t == 'number':
                try:
                    val = float(val)
                except ValueError:
                    pass
            yield ('cell', ref, t, val)


def same(want, got):
    if want[0] != got[0]:
        return False
    if want[0] == 'sheet':
        return want[1:] == got[1:]
    if want[1] != got[1]:
        return False
    wt, wv = want[2], want[3]
    gt, gv = got[2], got[3]
    if wt is None:   # an error or a text that looks like one
        return (gt in ('error', 'text')) and gv == wv
    return wt == gt and wv == gv


def main():
    if len(sys.argv) != 3:
        print('usage: verify.py DTBD FILE', file=sys.stderr)
        return 2
    dtbd, path = sys.argv[1], sys.argv[2]
    proc = subprocess.Popen([dtbd, 'dump', path], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, encoding='utf-8', errors='replace')
    bad, cells, shown = 0, 0, []
    it_want, it_got = openpyxl_items(path), dump_items(proc)
    while True:
        want = next(it_want, None)
        got = next(it_got, None)
        if want is None and got is None:
            break
        if want is not None and want[0] == 'cell':
            cells += 1
        if want is None or got is None or not same(want, got):
            bad += 1
            if len(shown) < MAX_SHOWN:
                shown.append('  openpyxl %r\n  dtbd     %r' % (want, got))
            if want is None or got is None:
                # One side ended: count the rest once, stop.
                rest = sum(1 for _ in (it_got if want is None else it_want))
                bad += rest
                break
    err = proc.stderr.read()
    proc.stdout.close()
    rc = proc.wait()
    if rc != 0:
        print('verify: FAIL  dtbd dump exited %d: %s' % (rc, err.strip().splitlines()[-1] if err.strip() else '(no message)'))
        return 1
    if bad:
        print('verify: FAIL  %d of %d cells differ from openpyxl; first ones:' % (bad, cells))
        print('\n'.join(shown))
        return 1
    print('verify: PASS  all %d cells (types and values) match openpyxl' % cells)
    return 0


if __name__ == '__main__':
    sys.exit(main())
