#!/usr/bin/python3
"""tests/e2e/hostile_make.py OUTDIR [--full] — the reproducers of "Hostile
input, round 2", written into OUTDIR (hostile.t.sh runs dtbd over them).

  xls-sheet-repeat.xls     1,024 BOUNDSHEET records on one sheet (--full: the
                           issue's 1.8 MB file, a 100k-cell sheet)
  xlsx-sheet-repeat.xlsx   1,024 <sheet> elements on one part
  xlsx-many-sheets.xlsx    64 distinct 100k-cell sheets: over cells_per_workbook
  xls-sst-continue.xls     a 12,300-character UTF-16 shared string continued
                           over two CONTINUE records (FreeXL 1.0.6 reads past
                           its record buffer)
  xlsx-sst-amplify.xlsx    one 1 MB shared string used by 2,000 cells (7 KB)
  xls-sst-amplify.xls      one 65,535-character shared string (the most an SST
                           string holds) used by 6,000 cells (--full: 20,000)
  2023/csv-stray-byte.csv  a corpus CSV (UTF-8, no BOM) with one 0xD0 byte

Only the Python standard library; the BIFF helpers come from
tests/fixtures/xls/make.py (whose container holds 64 KB at most: write_cfb
below takes up to 7 MB).
"""
import os
import struct
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures", "xls"))
from make import biff_record as R, rk_int, u16str  # noqa: E402

EOF = R(0x000A, b"")


def bof(dt):
    return R(0x0809, struct.pack("<HHHHII", 0x0600, dt, 0x0DBB, 0x07CC, 0, 0x0206))


def write_cfb(path, stream):
    """A CFB v3 (512-byte sectors) holding one stream "Workbook" of up to
    109 FAT sectors (7 MB)."""
    ss = 512
    stream += b"\0" * (max(4096, -(-len(stream) // ss) * ss) - len(stream))
    ndata = len(stream) // ss
    nfat = -(-(ndata + 1) // 127)          # data + directory + the FAT itself
    while ndata + 1 + nfat > nfat * 128:
        nfat += 1
    assert nfat <= 109
    dir_sec = ndata
    fat = [0xFFFFFFFF] * (nfat * 128)
    for i in range(ndata):
        fat[i] = i + 1 if i + 1 < ndata else 0xFFFFFFFE
    fat[dir_sec] = 0xFFFFFFFE
    for k in range(nfat):
        fat[dir_sec + 1 + k] = 0xFFFFFFFD
    NONE = 0xFFFFFFFF

    def dirent(name, typ, child, right, start, size):
        u = name.encode("utf-16-le") + b"\0\0"
        e = u + b"\0" * (64 - len(u)) + struct.pack("<HBBIII", len(u), typ, 1, NONE, right, child)
        return e + b"\0" * 36 + struct.pack("<IQ", start, size)
    ents = [dirent("Root Entry", 5, 1, NONE, 0xFFFFFFFE, 0),
            dirent("Workbook", 2, NONE, NONE, 0, len(stream))]
    ents += [b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, NONE, NONE, NONE) + b"\0" * 36 +
             struct.pack("<IQ", 0, 0)] * 2
    hdr = bytes([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) + b"\0" * 16
    hdr += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    hdr += struct.pack("<IIIIIIIII", 0, nfat, dir_sec, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    hdr += struct.pack("<109I", *([dir_sec + 1 + k for k in range(nfat)] +
                                  [NONE] * (109 - nfat)))
    with open(path, "wb") as f:
        f.write(hdr + stream + b"".join(ents) + struct.pack("<%dI" % len(fat), *fat))


def xls_globals(sheets, sst=b""):
    """Globals: fonts, one XF, a BOUNDSHEET per (offset, name), the SST."""
    g = bof(0x0005) + R(0x0022, struct.pack("<H", 0))
    for _ in range(5):
        g += R(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) +
               u16str("Arial", 1))
    g += R(0x00E0, struct.pack("<HHH", 0, 0, 0x0001) + b"\0" * 14)
    for off, name in sheets:
        g += R(0x0085, struct.pack("<IBB", off, 0, 0) + u16str(name, 1))
    return g + sst + EOF


def xls_sheet(rows, cols, labelsst=0):
    """A worksheet of rows x cols numbers (MULRK rows), then labelsst LABELSST
    cells pointing at string 0 in column cols."""
    nrows = max(rows, labelsst)
    s = bof(0x0010) + R(0x0200, struct.pack("<IIHHH", 0, nrows, 0, cols + 1, 0))
    for r in range(nrows):
        if r < rows and cols:
            body = struct.pack("<HH", r, 0)
            body += b"".join(struct.pack("<HI", 0, rk_int(r + c)) for c in range(cols))
            s += R(0x00BD, body + struct.pack("<H", cols - 1))
        if r < labelsst:
            s += R(0x00FD, struct.pack("<HHHI", r, cols, 0, 0))
    return s + EOF


def xls_write(path, sheet_names, sheet, sst=b"", same_offset=True):
    """One sheet substream listed once per name (same_offset) at one offset."""
    head = len(xls_globals([(0, n) for n in sheet_names], sst))
    write_cfb(path, xls_globals([(head, n) for n in sheet_names], sst) + sheet)


def sst_records(text, utf16, first_len=8224):
    """An SST of one string split over CONTINUE records as Excel does: the
    first record up to first_len bytes, each CONTINUE up to 8224 with its
    flags byte first."""
    n = len(text)
    data = text.encode("utf-16-le" if utf16 else "latin-1")
    w = 2 if utf16 else 1
    head = struct.pack("<IIHB", 1, 1, n, 1 if utf16 else 0)
    room = (first_len - len(head)) // w * w
    out = R(0x00FC, head + data[:room])
    pos = room
    while pos < len(data):
        room = (8224 - 1) // w * w
        out += R(0x003C, bytes([1 if utf16 else 0]) + data[pos:pos + room])
        pos += room
    return out


def xlsx_write(path, sheets, sst=None):
    """sheets: list of (name, part, xml or None when the part is shared)."""
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
          'package/2006/content-types"><Default Extension="rels" ContentType="application/'
          'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
          'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
          '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>')
    ns = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://'
          'schemas.openxmlformats.org/officeDocument/2006/relationships"')
    wb = ['<?xml version="1.0" encoding="UTF-8"?><workbook %s><sheets>' % ns]
    wrels = ['<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
             'openxmlformats.org/package/2006/relationships">']
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
    parts = {}
    for i, (name, part, xml) in enumerate(sheets):
        wb.append('<sheet name="%s" sheetId="%d" r:id="rId%d"/>' % (name, i + 1, i + 1))
        wrels.append('<Relationship Id="rId%d" Type="%sworksheet" Target="%s"/>' %
                     (i + 1, rel, part))
        if xml is not None:
            parts["xl/" + part] = xml
    if sst is not None:
        wrels.append('<Relationship Id="rIdS" Type="%ssharedStrings" Target="sharedStrings.xml"/>'
                     % rel)
        parts["xl/sharedStrings.xml"] = (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>%s</t></si></sst>' % sst)
    wb.append("</sheets></workbook>")
    wrels.append("</Relationships>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", ct)
        z.writestr("_rels/.rels", rels)
        z.writestr("xl/workbook.xml", "".join(wb))
        z.writestr("xl/_rels/workbook.xml.rels", "".join(wrels))
        for name, xml in parts.items():
            z.writestr(name, xml)


def xlsx_sheet(rows, cols, shared=0):
    """A worksheet of rows x cols numbers, then `shared` cells of string 0."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    out = ['<?xml version="1.0" encoding="UTF-8"?><worksheet %s><sheetData>' % ns]
    for r in range(max(rows, shared)):
        out.append('<row r="%d">' % (r + 1))
        if r < rows:
            out.extend('<c><v>%d</v></c>' % (r + c) for c in range(cols))
        if r < shared:
            out.append('<c r="ZZ%d" t="s"><v>0</v></c>' % (r + 1))
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def main():
    out = sys.argv[1]
    full = "--full" in sys.argv
    os.makedirs(out, exist_ok=True)
    names = ["Trang %d" % i for i in range(1024)]
    rows = 1000 if full else 100
    xls_write(os.path.join(out, "xls-sheet-repeat.xls"), names, xls_sheet(rows, 100))
    xlsx_write(os.path.join(out, "xlsx-sheet-repeat.xlsx"),
               [(n, "worksheets/sheet1.xml", xlsx_sheet(rows, 100) if i == 0 else None)
                for i, n in enumerate(names)])
    big = xlsx_sheet(1000, 100)
    xlsx_write(os.path.join(out, "xlsx-many-sheets.xlsx"),
               [("Trang %d" % i, "worksheets/sheet%d.xml" % (i + 1), big) for i in range(64)])
    # 12,300 UTF-16 characters: 4,106 in an 8,223-byte SST record, 4,111 in
    # each CONTINUE: the string ends in the second CONTINUE
    text = "".join(chr(0x1EA1 + (i % 3)) for i in range(12300))
    xls_write(os.path.join(out, "xls-sst-continue.xls"), ["Trang"], xls_sheet(1, 1, 1),
              sst_records(text, True, first_len=8223))
    xlsx_write(os.path.join(out, "xlsx-sst-amplify.xlsx"),
               [("Trang", "worksheets/sheet1.xml", xlsx_sheet(0, 0, 2000))], sst="a" * (1 << 20))
    xls_write(os.path.join(out, "xls-sst-amplify.xls"), ["Trang"],
              xls_sheet(0, 0, 20000 if full else 6000), sst_records("b" * 65535, False))
    src = os.path.join(ROOT, "tests/corpus/inbox/2023/bao-cao-dtbd-so-khoa-hoc-cong-nghe-b01.csv")
    data = open(src, "rb").read()
    at = data.index("Đơn vị tính: người".encode()) + len("Đơn vị tính: ".encode())
    os.makedirs(os.path.join(out, "2023"), exist_ok=True)   # the year, as in the corpus
    with open(os.path.join(out, "2023", "csv-stray-byte.csv"), "wb") as f:
        f.write(data[:at] + b"\xd0" + data[at:])


if __name__ == "__main__":
    main()
