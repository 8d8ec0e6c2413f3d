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
  inputs_helper.py zip DST.zip NAME=FILE…
      a zip holding FILE under NAME (NAME may be any string: "../evil.xlsx"),
      every member dated 2024-01-15 08:30:00; NAME=@ZIP nests the zip ZIP
  inputs_helper.py many DST.zip N
      a zip of N tiny text members
  inputs_helper.py bomb DST.zip MB
      a zip holding "bomb.csv": MB mebibytes of zeros (ratio ~1000:1)
  inputs_helper.py rename DST.zip ASCII HEX
      replace the member name ASCII by the raw bytes HEX (same length) in
      both headers, without the UTF-8 flag: a name in a legacy code page
  inputs_helper.py encrypt-flag DST.zip NAME
      mark member NAME encrypted (general-purpose bit 0) in both headers
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


def many(dst, n):
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(n):
            z.writestr("m%05d.txt" % i, "x")


def bomb(dst, mb):
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("bomb.csv", "w", force_zip64=False) as f:
            chunk = b"0" * (1 << 20)
            for _ in range(mb):
                f.write(chunk)


def patch_headers(dst, name, fn):
    """Apply fn(bytearray, offset_of_header, sig) to both headers of name."""
    data = bytearray(open(dst, "rb").read())
    raw = name.encode("ascii")
    for sig, name_off in ((b"PK\x03\x04", 30), (b"PK\x01\x02", 46)):
        i = 0
        while True:
            i = data.find(sig, i)
            if i < 0:
                break
            if data[i + name_off:i + name_off + len(raw)] == raw:
                fn(data, i, sig)
            i += 4
    open(dst, "wb").write(bytes(data))


def rename(dst, ascii_name, hexbytes):
    new = bytes.fromhex(hexbytes)
    assert len(new) == len(ascii_name)

    def fn(data, i, sig):
        off = 30 if sig == b"PK\x03\x04" else 46
        flag_at = i + (6 if sig == b"PK\x03\x04" else 8)
        data[flag_at + 1] &= ~0x08 & 0xFF  # bit 11 (UTF-8) off
        data[i + off:i + off + len(new)] = new
    patch_headers(dst, ascii_name, fn)


def encrypt_flag(dst, name):
    def fn(data, i, sig):
        data[i + (6 if sig == b"PK\x03\x04" else 8)] |= 0x01
    patch_headers(dst, name, fn)


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
    elif cmd == "many":
        many(argv[2], int(argv[3]))
    elif cmd == "bomb":
        bomb(argv[2], int(argv[3]))
    elif cmd == "rename":
        rename(argv[2], argv[3], argv[4])
    elif cmd == "encrypt-flag":
        encrypt_flag(argv[2], argv[3])
    else:
        sys.exit("inputs_helper.py: unknown command " + cmd)


if __name__ == "__main__":
    main(sys.argv)
