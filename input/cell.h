/*
 * input/cell.h — the one cell model every reader produces (DESIGN §4.1), and
 * the helpers on it. This is the part of input/ a writer may see: output/
 * and charts/ format a cell reference, a number or a date through it and
 * never see a reader (input/workbook.h is the readers' entry point).
 *
 *  - Dates are dates: a WB_DATE cell carries days since 1899-12-30 (the
 *    proleptic Gregorian calendar; fraction = time of day), already corrected
 *    for the 1904 date system and for the 1900 system's phantom 29 Feb 1900.
 *    Day 0 holds the times of day alone: a value in [0, 1) is a time without
 *    a date, and wb_date_iso() prints it so, as xlrd and openpyxl read such
 *    cells.
 *  - Every text in the model is valid UTF-8 in NFC.
 *
 * Ownership: the helpers write into caller buffers; nothing is allocated.
 */
#ifndef DTBD_INPUT_CELL_H
#define DTBD_INPUT_CELL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- formats -------------------------------------------------------------- */

typedef enum {
    WB_FMT_UNKNOWN = 0, /* not a workbook we know                                */
    WB_FMT_XLSX,        /* Office Open XML spreadsheet (zip + xl/workbook.xml)   */
    WB_FMT_XLS,         /* BIFF8 or BIFF5 workbook in an OLE2 compound file      */
    WB_FMT_CSV,         /* delimited text                                        */
    WB_FMT_XLSB,        /* binary Excel workbook: recognised, not supported      */
    WB_FMT_ODS,         /* OpenDocument spreadsheet: recognised, not supported   */
    WB_FMT_ENCRYPTED,   /* password-protected OOXML (OLE2 + EncryptedPackage)    */
    WB_FMT_OLE_OTHER,   /* an OLE2 file that holds no workbook (.doc, .msg …)    */
    WB_FMT_ZIP_OTHER,   /* a zip document that is no spreadsheet (.docx, .odt …)  */
    WB_FMT_ARCHIVE,     /* a plain zip archive: its members are files to read
                           (input/archive.h); wb_read() itself refuses it      */
    WB_FMT_EMPTY        /* zero bytes, or nothing but a byte-order mark          */
} wb_format;

/* Short ASCII name of a format as written in sources.csv: "xlsx", "xls", … */
const char *wb_format_name(wb_format fmt);

/* ---- the cell model ------------------------------------------------------- */

typedef enum {
    WB_EMPTY = 0,
    WB_NUMBER,
    WB_TEXT,
    WB_BOOL,
    WB_DATE,
    WB_ERROR
} wb_type;

typedef struct {
    const char *name;   /* UTF-8 NFC                                              */
    unsigned index;     /* 0-based position in workbook order                     */
    bool hidden;        /* hidden or very hidden                                  */
} wb_sheet_info;

typedef struct {
    uint32_t row, col;  /* 0-based: A1 is (0,0)                                   */
    wb_type type;
    double num;         /* WB_NUMBER value; WB_BOOL 0/1; WB_DATE days (see top)   */
    const char *text;   /* WB_TEXT text; WB_ERROR as Excel shows it ("#DIV/0!");  */
    size_t len;         /*   its length in bytes; NULL/0 for other types          */
    const char *font;   /* font name of the cell's style, NULL when unknown       */
    uint32_t shared;    /* 1 + index of the shared string (.xls SST, .xlsx
                           sharedStrings) the text is, 0 for any other text:
                           within one read, cells with the same non-zero value
                           have the same text (input/grid.c stores it once)   */
} wb_cell;

typedef struct {
    uint32_t r1, c1, r2, c2; /* 0-based, inclusive, r1<=r2, c1<=c2               */
} wb_range;

/*
 * The sink. Any callback may be NULL. Return values:
 *   sheet_begin: 0 read the sheet, > 0 skip its cells and merges (sheet_end is
 *                still called), < 0 stop reading (DTBD_ERR_ABORTED);
 *   cell, merge, sheet_end: 0 go on, non-zero stop (DTBD_ERR_ABORTED).
 */
typedef struct {
    void *ctx;
    int (*sheet_begin)(void *ctx, const wb_sheet_info *sheet);
    int (*cell)(void *ctx, const wb_cell *cell);
    int (*merge)(void *ctx, const wb_range *range);
    int (*sheet_end)(void *ctx, const wb_sheet_info *sheet);
} wb_sink;

/* ---- helpers on the model ----------------------------------------------------- */

/* "A1"-style name of (row, col); out needs 16 bytes: every cell of Excel's
 * grid (XFD1048576) fits; beyond 7 letters + 8 digits the text is cut short. */
void wb_cell_ref(uint32_t row, uint32_t col, char out[16]);

/* Parse "B12" (absolute "$B$12" accepted) → 0-based; returns false if invalid. */
bool wb_parse_ref(const char *s, size_t n, uint32_t *row, uint32_t *col);

/* Column letters → 0-based index; returns false if invalid. */
bool wb_parse_col(const char *s, size_t n, uint32_t *col);

/* Convert an Excel serial to days since 1899-12-30 (see top of this file):
 * in the 1900 system a serial in [0, 1) stays a time of day on day 0. */
double wb_serial_to_days(double serial, bool date1904);

/* Format a WB_DATE value as ISO 8601: "2024-12-31" or "2024-12-31T08:30:00"
 * (rounded to the second), and a value of day 0 (0 <= days < 1 once
 * rounded) as the time alone, "12:30:00" ("00:00:00" for 0): day 0,
 * 1899-12-30, comes before any day Excel shows; out needs 32 bytes. */
void wb_date_iso(double days, char out[32]);

/* Shortest text that reads back as exactly v ("1234", "12.5", "0.0015");
 * out needs 32 bytes. Uses "." whatever the locale. */
void wb_number_str(double v, char out[32]);

/* Is this Excel number format code a date/time format? Built-in ids 14–22
 * (and the 27–36, 45–47, 50–58 East Asian date ids) are dates; a custom code is
 * a date/time when it has d, m, y, h or s outside quotes, brackets ([Red],
 * [$-409]) and escapes; elapsed time ([h]:mm:ss) counts as a time too. */
bool wb_numfmt_is_date(int id, const char *code);

#endif
