/*
 * input/xls_private.h — what input/xls.c and xls_cells.c share: the reader's
 * context, the guards in front of FreeXL, and the helpers both use. Ownership
 * as in xls.h: an xls_ctx lives for one xls_read().
 */
#ifndef DTBD_INPUT_XLS_PRIVATE_H
#define DTBD_INPUT_XLS_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "input/biff.h"
#include "input/xls.h"

/* ---- private: the guards in front of FreeXL (see xls.h) ------------------------ */

enum {
    XLS_FX_MAX_XF = 4050,          /* Excel's own limit; FreeXL's table holds 8192 */
    XLS_FX_CELL_BYTES = 16,        /* sizeof FreeXL's per-cell struct               */
    XLS_FX_SST_BYTES = 8           /* its pointer per claimed shared string         */
};
#define XLS_FX_MAX_BYTES (32ull << 20)  /* FreeXL's grids + SST table, estimated    */
#define XLS_FX_MAX_DAYS 100000000ull    /* days FreeXL counts one by one (~0.1 s)   */
#define XLS_LAST_DAY 2958466.0          /* serial after 9999-12-31: not a date      */

/* ---- private: types ------------------------------------------------------------ */

typedef struct {
    uint32_t off;       /* stream offset of the sheet's BOF (lbPlyPos)        */
    uint8_t state;      /* 0 visible, 1 hidden, 2 very hidden                  */
    uint8_t dt;         /* 0 worksheet, 1 macro, 2 chart, 6 VB module         */
    bool surveyed;      /* the survey walked all its records: unsorted known  */
    bool unsorted;      /* its cells are not in row-major order               */
    const char *name;   /* UTF-8 NFC, in the arena                            */
} xls_sheet;

typedef struct {
    uint16_t font;      /* BIFF font index (4 is never used)                  */
    uint16_t fmt;       /* number format id                                   */
    bool date;          /* the format is a date/time format                   */
    bool fx_days;       /* FreeXL may take it for a date and count its days   */
} xls_xf;

typedef struct {
    uint16_t id;
    bool fx_days;       /* FreeXL judges the code a date (or date and time)   */
    const char *code;   /* UTF-8, in the arena                                */
} xls_fmt;

typedef struct {        /* one cell of an out-of-order sheet, for sorting     */
    uint32_t row, col;
    uint64_t seq;       /* position in the file: the later duplicate wins     */
    size_t off;         /* record offset                                      */
    unsigned sub;       /* index within a MULRK                               */
} xls_pos;

typedef struct {
    const wb_limits *lim;
    const wb_sink *sink;
    wb_error *err;
    const unsigned char *wb;   /* the Workbook stream                         */
    size_t wbsize;
    bool date1904;
    bool biff5;                /* BOF version 0x0500: Excel 5.0/95            */
    unsigned codepage;         /* BIFF5: CODEPAGE (1252 when absent)          */
    char charset[16];          /* BIFF5: its iconv name; "" for Windows-1252  */
    arena ar;
    const char **fonts;        /* FONT records in file order                  */
    size_t nfonts, capfonts;
    xls_fmt *fmts;
    size_t nfmts, capfmts;
    xls_xf *xfs;
    size_t nxfs, capxfs;
    xls_sheet *sheets;
    size_t nsheets, capsheets;
    buf sst;                   /* the shared strings, back to back            */
    size_t *sst_off;           /* string i is sst[sst_off[i] .. sst_off[i+1]) */
    size_t nsst, capsst;
    buf u16, text, raw;        /* scratch for string decoding                 */
    const char *sheet_name;    /* the sheet being read, for error messages    */
    uint64_t ncells;           /* cells delivered in this sheet               */
    /* order check / collection state of the current sheet pass */
    bool have_prev, unsorted;
    uint32_t prev_row, prev_col;
    xls_pos *pos;
    size_t npos, cappos;
    dtbd_status st;              /* status set by a cell visitor               */
    /* FreeXL */
    size_t globals_end;        /* offset after the globals' EOF               */
    unsigned nsst_records;     /* SST records in the globals                  */
    uint32_t sst_claim;        /* strings the SST header claims               */
    uint64_t fx_cells, fx_days;/* FreeXL's grid cells and day-loop steps      */
    bool fx_denied;            /* FreeXL must not open this file              */
    const void *fx;            /* FreeXL's handle while it supplies values    */
    int fx_fd;                 /* the file FreeXL reads (the surveyed stream
                                  in a compound file of dtbd's making), -1   */
    xls_freexl_report *rep;    /* the caller's report (never NULL)            */
} xls_ctx;

/* Visits one cell of a sheet: record at off, sub-cell sub. Non-zero stops. */
typedef int (*cell_fn)(xls_ctx *x, uint32_t row, uint32_t col, size_t off, unsigned sub);

/* ---- shared helpers (xls.c) ------------------------------------------------------ */

/* Fail with status st and a detail; returns st. */
dtbd_status xls_fail(xls_ctx *x, dtbd_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Fail at cell (row, col). */
dtbd_status xls_cell_fail(xls_ctx *x, uint32_t row, uint32_t col, dtbd_status st, const char *detail);

/* Record why FreeXL is not (or no longer) used: each distinct reason once. */
void xls_fx_note(xls_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The survey found something FreeXL must not see: the walk reads it alone. */
#define fx_deny(x, ...) ((x)->fx_denied = true, xls_fx_note((x), __VA_ARGS__))

/* FreeXL failed after opening: close it; the walk supplies the rest. */
void xls_fx_drop(xls_ctx *x, const char *what, int rc);
void xls_fx_close(xls_ctx *x);

/* The font name of XF index xf, or NULL. */
const char *xls_xf_font(const xls_ctx *x, uint16_t xf);

/* A string at the cursor into x->text (see xls.c); false on failure,
 * *too_long set when it exceeds max_string_bytes. */
bool xls_read_string(xls_ctx *x, biff_cursor *c, unsigned cch_bytes, bool legacy, bool *too_long);

/* Did decoding fail for want of memory? */
bool xls_string_oom(const xls_ctx *x);

/* ---- shared functions (xls_cells.c) ---------------------------------------------- */

/* Bytes a cell record of this type needs at least. */
size_t xls_cell_need(uint16_t type, bool biff5);

/* Survey every sheet before any cell is delivered (what FreeXL may see). */
dtbd_status xls_survey(xls_ctx *x);

/* Open FreeXL on the file when the survey lets it. */
void xls_fx_open(xls_ctx *x);

/* Deliver every sheet's cells to the sink. */
dtbd_status xls_read_sheets(xls_ctx *x);

#endif
