#!/usr/bin/python3
"""Helpers for tests/e2e/inputs.t.sh (standard library only).

  inputs_helper.py records OUT/records.csv [PREFIX]
      the records without their file column, sorted, one per line; with
      PREFIX only the records of files whose path contains PREFIX, which is
      then cut from the path (a member "a.zip!/m.xlsx" → "m.xlsx")
  inputs_helper.py unicode-text SRC.csv DST.txt
      SRC (UTF-8 CSV) re-saved as Excel's "Unicode text": UTF-16LE with BOM,
      tab-delimited, CRLF, fields quoted when they hold a tab, quote or newline
  inputs_helper.py xlsm SRC.xlsx DST.xlsm
      SRC as a macro-enabled workbook: the workbook's content type made
      macroEnabled and a (dummy) xl/vbaProject.bin added
  inputs_helper.py zip DST.zip NAME=FILE…  [--store] [--utf8-flag-off NAME=FILE]
      a zip holding FILE under NAME (NAME may be any string: "../evil.xlsx")
"""
import csv
import io
import sys
import zipfile


def records(path, prefix=None):
    rows = []
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            file = row[6]
            if prefix is not None:
                if prefix not in file:
                    continue
            rows.append(",".join(row[:6] + row[7:]))
    for line in sorted(rows):
        print(line)


def unicode_text(src, dst):
    with open(src, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    out = io.StringIO()
    for row in rows:
        fields = []
        for v in row:
            if any(c in v for c in '\t"\n\r'):
                v = '"' + v.replace('"', '""') + '"'
            fields.append(v)
        out.write("\t".join(fields) + "\r\n")
    with open(dst, "wb") as f:
        f.write(b"\xff\xfe" + out.getvalue().encode("utf-16-le"))


def xlsm(src, dst):
    main = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    macro = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
    with zipfile.ZipFile(src) as zi, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zo:
        for info in zi.infolist():
            data = zi.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(main, macro)
                data = data.replace(b"</Types>", b'<Default Extension="bin" ContentType='
                                    b'"application/vnd.ms-office.vbaProject"/></Types>')
            zo.writestr(info, data)
        zo.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)


def make_zip(dst, pairs):
    comp = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(dst, "w", comp) as z:
        for p in pairs:
            name, _, file = p.partition("=")
            with open(file, "rb") as f:
                z.writestr(zipfile.ZipInfo(name, (2024, 1, 15, 8, 30, 0)), f.read(), comp)


def main(argv):
    cmd = argv[1]
    if cmd == "records":
        records(argv[2], argv[3] if len(argv) > 3 else None)
    elif cmd == "unicode-text":
        unicode_text(argv[2], argv[3])
    elif cmd == "xlsm":
        xlsm(argv[2], argv[3])
    elif cmd == "zip":
        make_zip(argv[2], argv[3:])
    else:
        sys.exit("inputs_helper.py: unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
