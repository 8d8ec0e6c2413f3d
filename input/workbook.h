/*
 * input/workbook.h — the single entry point that reads a workbook of any
 * supported format: it sniffs the format by content and dispatches to the
 * readers. The cell model is input/cell.h, the status, errors and limits
 * input/reader.h.
 *
 * Contract
 *  - wb_read() sniffs the format by content (never by file name), then streams
 *    the workbook to a wb_sink: for each sheet in workbook order
 *      sheet_begin → cell* → merge* → sheet_end
 *    Cells come row by row, and within a row by column, for files that store
 *    them so (all files written by Excel, LibreOffice and libxlsxwriter do).
 *    Merged ranges may come after the cells (.xlsx stores them there).
 *  - Every text handed to the sink (sheet names, cell texts, font names) is
 *    valid UTF-8 in NFC. A reader never passes on invalid bytes.
 *  - Dates are dates: a WB_DATE cell carries days since 1899-12-30 (the
 *    proleptic Gregorian calendar; fraction = time of day), already corrected
 *    for the 1904 date system and for the 1900 system's phantom 29 Feb 1900.
 *    Day 0 holds the times of day alone (an .xlsx t="d" "12:30:00", or a
 *    serial below 1 in the 1900 system: Excel's day 0, "1900-01-00", is no
 *    day): a value in [0, 1) is a time without a date, and wb_date_iso()
 *    prints it so, as xlrd and openpyxl read such cells.
 *  - A formula cell is delivered as its cached value (never as the formula).
 *  - wb_read() counts the non-empty cells of the whole workbook against
 *    max_cells_per_workbook, whatever the format (DTBD_ERR_LIMIT naming the
 *    first cell past it); each reader caps its own sheets and strings.
 *  - Memory: readers stream; what they keep grows with the workbook's shared
 *    structures (shared strings, styles, sheet list), not with its cells.
 *
 * Ownership
 *  Every pointer inside a callback argument is owned by the reader and valid
 *  only for the duration of that callback: copy what you keep. wb_read() owns
 *  everything it allocates and frees it before it returns.
 *
 * Errors
 *  wb_read() returns a dtbd_status; on failure it fills a wb_error whose
 *  wb_error_format() line names the file, the sheet and cell when known, and
 *  the reason, in Vietnamese (the analyst's language).
 */
#ifndef DTBD_INPUT_WORKBOOK_H
#define DTBD_INPUT_WORKBOOK_H

#include "input/reader.h"

/* ---- reading ---------------------------------------------------------------- */

/* Sniff the format of a file by its first bytes (and zip directory). */
wb_format wb_sniff(const char *path, wb_error *err);

/* Read a workbook; lim may be NULL for the defaults. */
dtbd_status wb_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                  wb_error *err);

/* wb_read() of path under another name: `name` is the file's real name when
 * path is a private copy (input/snapshot.h); it names a CSV file's sheet. */
dtbd_status wb_read_named(const char *path, const char *name, const wb_limits *lim,
                        const wb_sink *sink, wb_error *err);

/* wb_read_named() of a file wb_sniff() already named fmt (a private copy,
 * which cannot have changed since): its format is not sniffed again.
 * WB_FMT_UNKNOWN sniffs as wb_read_named does. */
dtbd_status wb_read_sniffed(const char *path, const char *name, wb_format fmt, const wb_limits *lim,
                            const wb_sink *sink, wb_error *err);

#endif
