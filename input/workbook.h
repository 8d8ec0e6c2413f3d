/*
 * input/workbook.h — the one cell model that every reader produces, and the
 * single entry point that reads a workbook of any supported format.
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
 *    max_cells_per_workbook, whatever the format (WB_ERR_LIMIT naming the
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
 *  wb_read() returns a wb_status; on failure it fills a wb_error whose
 *  wb_error_format() line names the file, the sheet and cell when known, and
 *  the reason, in Vietnamese (the analyst's language).
 */
#ifndef DTBD_INPUT_WORKBOOK_H
#define DTBD_INPUT_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

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

/* ---- status --------------------------------------------------------------- */

typedef enum {
    WB_OK = 0,
    WB_ERR_IO,          /* cannot open or read the file                          */
    WB_ERR_FORMAT,      /* not a supported workbook (see wb_error.format)        */
    WB_ERR_ENCRYPTED,   /* workbook is password protected                        */
    WB_ERR_CORRUPT,     /* damaged or truncated file                             */
    WB_ERR_LIMIT,       /* a safety limit was hit (zip bomb, huge sheet …)       */
    WB_ERR_NOMEM,       /* out of memory                                         */
    WB_ERR_ABORTED,     /* the sink asked to stop                                */
    WB_ERR_CHANGED      /* the file changed while it was read (input/snapshot.h) */
} wb_status;

/* One line, Vietnamese, without the file name: "tệp bị hỏng hoặc không đầy đủ" */
const char *wb_strerror(wb_status st);

typedef struct {
    wb_status status;
    wb_format format;   /* what the file was sniffed as                          */
    char sheet[96];     /* sheet where it happened, "" if none (UTF-8)           */
    char cell[16];      /* A1 reference where it happened, "" if none            */
    char detail[224];   /* the specific reason, Vietnamese, "" if none           */
    unsigned long repaired; /* set on success too: invalid input units replaced
                               by U+FFFD while decoding (a UTF-16 text's lone
                               surrogates or odd last byte; a CSV's stray
                               bytes in mostly UTF-8); 0 when none           */
    char repaired_at[16];   /* A1 of the first cell repaired, "" when unknown */
} wb_error;

/* Set status and a printf-style detail; keeps sheet/cell already set. The
 * detail is made valid UTF-8 (a byte that starts no well-formed sequence, as
 * in a name cut by "%.80s", becomes '?'): readers quote names from the file. */
void wb_error_set(wb_error *err, wb_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes "PATH: SHEET!CELL: reason (detail)" into out (always terminated). */
void wb_error_format(const wb_error *err, const char *path, char *out, size_t n);

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
 *                still called), < 0 stop reading (WB_ERR_ABORTED);
 *   cell, merge, sheet_end: 0 go on, non-zero stop (WB_ERR_ABORTED).
 */
typedef struct {
    void *ctx;
    int (*sheet_begin)(void *ctx, const wb_sheet_info *sheet);
    int (*cell)(void *ctx, const wb_cell *cell);
    int (*merge)(void *ctx, const wb_range *range);
    int (*sheet_end)(void *ctx, const wb_sheet_info *sheet);
} wb_sink;

/* ---- limits against hostile files ------------------------------------------ */

typedef struct {
    uint64_t max_file_bytes;      /* size of the file on disk                     */
    uint64_t max_inflated_total;  /* bytes inflated from one zip, all entries      */
    uint32_t max_inflate_ratio;   /* inflated/compressed for one entry …           */
    uint64_t ratio_floor_bytes;   /*   … checked once the entry exceeds this      */
    uint32_t max_xml_depth;       /* element nesting in any XML part              */
    size_t max_string_bytes;      /* one cell text or shared string               */
    uint64_t max_cells_per_sheet; /* non-empty cells delivered for one sheet      */
    uint64_t max_cells_per_workbook; /* … and for all sheets of one workbook
                                     (wb_read counts them, whatever the format) */
    uint64_t max_grid_bytes;      /* memory of one workbook held whole by
                                     grid_read (input/grid.h): cells, texts
                                     (a shared string once), merges, names   */
    uint32_t max_sheets;          /* sheets in one workbook                        */
    uint64_t max_shared_strings;  /* entries in the shared strings table           */
    uint32_t max_archive_members; /* members of one .zip archive (input/archive.h) */
    uint32_t max_archive_depth;   /* archives inside archives: 1 reads the members
                                     of an inbox's .zip, 2 also of a .zip in it   */
} wb_limits;

/* Safe defaults; generous for real reports (a province report has thousands of
 * cells), fatal for bombs. */
wb_limits wb_limits_default(void);

/* ---- reading ---------------------------------------------------------------- */

/* Open path as an input: non-blocking at first (a FIFO never hangs the
 * run), then only a regular file of at most max_bytes. Returns the file
 * descriptor (blocking, close-on-exec; the caller closes it) and fills *st,
 * or -1 with err set: WB_ERR_IO (cannot open, a folder, a FIFO, device or
 * socket) or WB_ERR_LIMIT (larger than max_bytes). */
int wb_open_regular(const char *path, uint64_t max_bytes, struct stat *st, wb_error *err);

/* Sniff the format of a file by its first bytes (and zip directory). */
wb_format wb_sniff(const char *path, wb_error *err);

/* Read a workbook; lim may be NULL for the defaults. */
wb_status wb_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                  wb_error *err);

/* wb_read() of path under another name: `name` is the file's real name when
 * path is a private copy (input/snapshot.h); it names a CSV file's sheet. */
wb_status wb_read_named(const char *path, const char *name, const wb_limits *lim,
                        const wb_sink *sink, wb_error *err);

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
