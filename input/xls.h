/*
 * input/xls.h — the .xls (BIFF8) reader.
 *
 * The OLE2 container is read by cfb.c and the Workbook stream's records by
 * biff.c; every cell comes from its own record (LABELSST/SST, LABEL, NUMBER,
 * RK, MULRK, BOOLERR, FORMULA + STRING), typed from its XF: a number whose
 * format is a date format (built-in ids 14–22 …, or a custom FORMAT code) is a
 * WB_DATE, DATEMODE 1904 honoured. Also read: hidden state of BOUNDSHEET
 * (very hidden is hidden), MERGEDCELLS (after the sheet's cells), the font name
 * of each cell through XF → FONT (BIFF8 skips font index 4). Chart, macro and
 * VB sheets, and charts embedded in a worksheet, hold no cells and are skipped:
 * sheet indexes count worksheets only. Cells are delivered in
 * row-major order even when a writer stored them otherwise (the later of two
 * records for one cell wins). A formula's empty-string result, like an empty
 * text, is a blank cell and is not delivered.
 *
 * Why not FreeXL 1.0.6 for the values: it gives nothing for formula cells,
 * sizes a rows × columns array from the DIMENSION record (a hostile file asks
 * for gigabytes), walks a date one day at a time (a date cell holding 2e9
 * spins for seconds), types dates by counting letters of the format, and
 * returns them as text rounded to the second. Since the formula results must
 * be placed among the other cells in order, this reader walks every cell
 * record anyway; FreeXL stays a test oracle (tests/unit/test_xls.c).
 *
 * Errors: FILEPASS (a password) → WB_ERR_ENCRYPTED; a BIFF5 "Book" stream →
 * WB_ERR_FORMAT ("định dạng Excel 5.0/95 cũ: lưu lại dạng .xlsx"); a damaged
 * container or record → WB_ERR_CORRUPT naming what broke; wb_limits'
 * max_sheets, max_cells_per_sheet, max_string_bytes and max_shared_strings →
 * WB_ERR_LIMIT.
 *
 * Memory: the file is mmap'ed and the Workbook stream copied once; what grows
 * besides is the shared strings, fonts, formats and XFs (and, only for a sheet
 * stored out of order, 32 bytes per cell to sort it).
 *
 * Contract: as wb_read() in workbook.h (called through it).
 */
#ifndef DTBD_INPUT_XLS_H
#define DTBD_INPUT_XLS_H

#include "workbook.h"

/* Called for a file with the OLE2 signature: XLS, ENCRYPTED (an encrypted
 * OOXML package) or OLE_OTHER (no Workbook/Book stream). */
wb_format xls_sniff(const char *path, wb_error *err);

wb_status xls_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                   wb_error *err);

#endif
