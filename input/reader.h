/*
 * input/reader.h — what every reader shares: the status and error of a read
 * (one style: a dtbd_status code, base/status.h, dtbd_strerror() for its words, a wb_error for
 * where and why) and the limits against hostile files. The readers
 * (xlsx.h, xls.h, csvfile.h) include this, never input/workbook.h, so the
 * dispatcher sits above them and nothing includes in a cycle.
 *
 * Ownership: wb_error is a caller-owned value; nothing here allocates.
 */
#ifndef DTBD_INPUT_READER_H
#define DTBD_INPUT_READER_H

#include <sys/stat.h>

#include "base/status.h"
#include "input/cell.h"

/* ---- status: base/status.h (dtbd_status, dtbd_strerror) ------------------ */

typedef struct {
    dtbd_status status;
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
void wb_error_set(wb_error *err, dtbd_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Writes "PATH: SHEET!CELL: reason (detail)" into out (always terminated). */
void wb_error_format(const wb_error *err, const char *path, char *out, size_t n);

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

/* ---- opening ------------------------------------------------------------------ */

/* Open path as an input: non-blocking at first (a FIFO never hangs the
 * run), then only a regular file of at most max_bytes. Returns the file
 * descriptor (blocking, close-on-exec; the caller closes it) and fills *st,
 * or -1 with err set: DTBD_ERR_IO (cannot open, a folder, a FIFO, device or
 * socket) or DTBD_ERR_LIMIT (larger than max_bytes). */
int wb_open_regular(const char *path, uint64_t max_bytes, struct stat *st, wb_error *err);

#endif
