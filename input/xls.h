/*
 * input/xls.h — the .xls reader: Excel 97–2003 (BIFF8) with FreeXL 1.0.6 for
 * the values of plain cells, a walk of the records for everything FreeXL
 * drops, and guards so that FreeXL only ever sees files it can take; Excel
 * 5.0/95 (BIFF5) by the walk alone (below).
 *
 * Who supplies what
 *  - The walk (cfb.c reads the OLE2 container, biff.c the Workbook stream's
 *    records) goes over every cell record in any case: it places each cell in
 *    row-major order (sorting a sheet whose writer stored it otherwise; the
 *    later of two records for one cell wins), types it from its XF, and
 *    supplies what FreeXL drops: cached results of FORMULA records (number,
 *    the string of the STRING record that follows, boolean, error), error
 *    cells of BOOLERR, RSTRING texts, MERGEDCELLS (after the sheet's cells),
 *    hidden and very hidden sheets (both hidden), the font name of each cell
 *    through XF → FONT (BIFF8 skips font index 4), DATEMODE 1904.
 *  - FreeXL supplies the values of the plain cells it reads: numbers of
 *    NUMBER, RK and MULRK records, texts of LABELSST (through its own SST
 *    decoding) and LABEL (normalized to NFC here: FreeXL passes the stored
 *    form on), booleans of BOOLERR. Not for a date-formatted cell: a number
 *    whose XF has a date format (built-in ids 14–22 …, or a custom FORMAT
 *    code, wb_numfmt_is_date) is a WB_DATE made from the record's raw serial
 *    when it is a day Excel can show (0 .. 9999-12-31), a WB_NUMBER otherwise;
 *    FreeXL's date text (a format judged by counting letters, rounded to the
 *    second) is never used. Where FreeXL has no value of the cell's kind the
 *    record's value is used; FreeXL and the records agree on every plain cell
 *    both read (asserted by tests/unit/test_xls.c, not checked at run time).
 *  - Chart, macro and VB sheets, and charts embedded in a worksheet, hold no
 *    cells and are skipped: sheet indexes count worksheets only. A formula's
 *    empty-string result, like an empty text, is a blank cell, not delivered.
 *
 * The guards. FreeXL parses the whole file inside freexl_open(): it
 * allocates every sheet's rows × columns grid from the DIMENSION record
 * (16 bytes a cell, measured: 1.5 s and 264 MB for a 5 kB file claiming
 * 65536 × 256), counts a date cell's days one at a time (3.2 s for a cell
 * holding 2e9 and one holding 5e8), sizes cells by their highest row and
 * column when DIMENSION is missing (a 32-bit product that can wrap), copies
 * LABEL and FORMAT characters from the record without bounds, and gives up
 * on chart substreams — returning FREEXL_OK with a NULL handle (handmade.xls).
 * So before FreeXL opens a file, the walk surveys the whole stream as FreeXL
 * will read it:
 *  - refused, DTBD_ERR_LIMIT, before any cell: a sheet whose DIMENSION covers
 *    more than max_cells_per_sheet cells ("vùng DIMENSION … vượt giới hạn")
 *    unless its own cell records exceed the limit (the walk then delivers
 *    cells up to the limit and names the first one past it, as for every
 *    format); more than max_shared_strings SST strings, as before;
 *  - read by the walk alone, FreeXL never opened (the analyst loses nothing,
 *    the values are the same): a chart, macro or VB sheet or an embedded
 *    chart; a worksheet without exactly one DIMENSION before its cells, or
 *    with a cell outside it; FreeXL's grids and SST table estimated above
 *    32 MB; a date-formatted cell (by FreeXL's reckoning: formats 14–17, 22
 *    or any FORMAT record) holding 9999-12-31 or more, or date cells whose
 *    days add up past 1e8 (~0.1 s of FreeXL's loop); a LABEL or FORMAT string
 *    running past its record; a damaged cell record, a LABELSST index out of
 *    range, more than one SST, more than 4050 XFs, a zero record mid-stream,
 *    sheets out of BOUNDSHEET order or anything outside a substream; an SST
 *    FreeXL would read past its records (it finishes a string continued into
 *    a CONTINUE from that one record: a 12,300-character UTF-16 string over
 *    two CONTINUEs overran its buffer) — a string whose characters go on
 *    past the first CONTINUE they enter, a string header or UTF-16
 *    character cut by a record boundary, rich-text/phonetic bytes that cross
 *    a boundary after a continued string or cross two (fx_sst_fits);
 *  - FreeXL never reads the sender's file: it is opened on the very stream
 *    the survey checked, alone in a compound file dtbd writes
 *    (cfb_single_head: version 3, FAT, no mini stream) into an anonymous
 *    file (/proc/self/fd/N). Its own parsing of a container is thus never
 *    reached by a foreign one (fuzz_xls: a compound file whose directory
 *    dtbd's reader took one way and FreeXL another made FreeXL's iconv read
 *    past a stack buffer), nor can the file change between the survey and
 *    FreeXL. No anonymous file: the walk alone, with a note. Every return
 *    code and the handle are checked: an error, FREEXL_OK with a NULL
 *    handle ("FreeXL trả về thành công nhưng không có dữ liệu"), a sheet count
 *    unlike the records', or a failure later, hands the values to the walk.
 *  xls_read_report() says which happened (tests, diagnostics).
 *
 * The stream: "Workbook", else "Book" (any case). Writers use either name
 * for either version, so the BOF record's version decides: 0x0600 is BIFF8,
 * read as above, 0x0500 is BIFF5. FreeXL is never opened on a stream named
 * "Book": it reads one as BIFF5 whatever the BOF, past what the survey
 * checks (fuzz_xls found a stack overrun in its iconv call; it refuses
 * "BOOK" anyway): the walk supplies every value, as when FreeXL fails.
 *
 * Excel 5.0/95 (BIFF5, also Excel 95's "BIFF7"). FreeXL is never opened
 * (xls_read_report's note says "Excel 5.0/95") and the FreeXL survey is
 * skipped; the walk reads the same cells, formulas' cached results, merges
 * (MERGEDCELLS, which Excel 95 never wrote but Gnumeric does), hidden
 * sheets, fonts, formats and DATEMODE as for BIFF8, with BIFF5's layouts:
 * 8-bit strings with a 1-byte count (BOUNDSHEET, FONT, FORMAT) or a 2-byte
 * one (LABEL, RSTRING, STRING), no flags byte, no SST; XFs of 16 bytes with
 * the font and format indexes at the same offsets as BIFF8's. The bytes are
 * in the code page of the CODEPAGE record (1252 when absent): 1252 by a
 * table, 1200 as UTF-16LE bytes (as xlrd), 10000/32768 Mac Roman, any other
 * through iconv ("CP1258" composing its tone marks, "CP1250"…"CP1257",
 * "CP874", "CP932" …), all normalized to NFC. A code page iconv does not know
 * is read as 1252 rather than refused: the digits and Latin letters of a
 * report stay right, and legacy font text (next) needs nothing else.
 * Legacy Vietnamese fonts: the text of a cell whose font vnenc_font_hint()
 * names (".VnTime", "VNI-Times" …) is read byte for byte as Windows-1252,
 * whatever the code page, so it reaches the model as the same code points
 * BIFF8 stores for it (U+00A0–U+00FF …) and vnenc_repair() can read the
 * TCVN3 / VNI bytes the unit typed (xlrd reads such a cell in the code page:
 * in a 1258 workbook its 0xCC, 0xD2, 0xDE, 0xEC, 0xF2 become tone marks).
 *
 * Shared strings: a LABELSST cell carries wb_cell.shared = 1 + its SST index.
 *
 * Errors: FILEPASS (a password) → DTBD_ERR_ENCRYPTED; another BIFF version (a
 * BOF of Excel 2.0–4.0, or a version other than 0x0500 / 0x0600) →
 * DTBD_ERR_FORMAT; a damaged
 * container or record → DTBD_ERR_CORRUPT naming what broke, and so are two
 * BOUNDSHEET records with one offset (the sheet would be read once per
 * record: 1,024 of them made a 1.8 MB file 100M cells); wb_limits'
 * max_sheets, max_cells_per_sheet (and DIMENSION, above), max_string_bytes
 * and max_shared_strings → DTBD_ERR_LIMIT.
 *
 * Memory: the file is mmap'ed and the Workbook stream copied once; what grows
 * besides is the shared strings, fonts, formats and XFs (and, only for a sheet
 * stored out of order, 32 bytes per cell to sort it), plus FreeXL's copy of
 * the workbook, kept under 32 MB of grids by the guards.
 *
 * Contract: as wb_read() in workbook.h (called through it).
 */
#ifndef DTBD_INPUT_XLS_H
#define DTBD_INPUT_XLS_H

#include "input/reader.h"

/* Called for a file with the OLE2 signature: XLS, ENCRYPTED (an encrypted
 * OOXML package) or OLE_OTHER (no Workbook/Book stream). */
wb_format xls_sniff(const char *path, wb_error *err);

dtbd_status xls_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                   wb_error *err);

/* How FreeXL took part in one read. */
typedef struct {
    bool walk_only;     /* in: never open FreeXL (the tests' second reading)  */
    bool freexl_opened; /* out: freexl_open() was called                      */
    bool freexl_used;   /* out: FreeXL supplied plain cells to the end        */
    char note[256];     /* out: why FreeXL was not opened or was dropped, ""  */
} xls_freexl_report;

/* xls_read(), reporting FreeXL's part in rep (may be NULL). */
dtbd_status xls_read_report(const char *path, const wb_limits *lim, const wb_sink *sink,
                          wb_error *err, xls_freexl_report *rep);

#endif
