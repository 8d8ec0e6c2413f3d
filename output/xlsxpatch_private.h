/*
 * output/xlsxpatch_private.h — what xlsxpatch.c (the part read back, rows
 * filled after workbook_close) and xlsxpatch_pre.c (rows made before it)
 * share. Not a public interface: output/xlsxpatch.h is.
 */
#ifndef DTBD_OUTPUT_XLSXPATCH_PRIVATE_H
#define DTBD_OUTPUT_XLSXPATCH_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/status.h"
#include "output/xlsxpatch.h"
#include "output/zipout.h"

/* The part is a header row and a handful of rows: far below this. */
#define XP_PART_MAX (64u << 20)

typedef struct {
    uint32_t row;          /* 0-based                                       */
    size_t start, end;     /* the row's bytes in the part: [start, end)     */
    uint32_t span_lo, span_hi;   /* 1-based columns; 0 when no spans        */
} xp_row;

struct xlsxpatch {
    char *path;
    char *part_name;
    char *part;            /* the part's bytes, NUL-terminated              */
    size_t len;
    size_t data_start;     /* just after <sheetData>                        */
    size_t data_end;       /* at </sheetData>                               */
    xp_row *rows;
    size_t nrows, caprows;
};

/* Index of the first row the part holds numbered row or more. */
size_t xp_held_from(const xlsxpatch *x, uint32_t row);

/* The spans libxlsxwriter gives row's block of 16 when every missing row has
 * cells in columns 0..ncols-1: 1..ncols joined with the spans of the rows the
 * part holds in that block. */
void xp_block_span(const xlsxpatch *x, uint32_t row, uint32_t ncols, uint32_t *lo, uint32_t *hi);

/* "<row r=\"N\" spans=\"lo:hi\">" for row (0-based) appended to out. */
void xp_row_open(buf *out, uint32_t row, uint32_t lo, uint32_t hi);

/* The part's row r's bytes appended to out. */
void xp_put_held(const xlsxpatch *x, const xp_row *r, buf *out);

/* text deflated (raw, level 1) into (*z, *zcap), its length in *zlen:
 * sync-flushed, or finished when last. */
bool xp_deflate(const buf *text, bool last, unsigned char **z, size_t *zcap, size_t *zlen);

/* Writes the part's data (raw-deflate chunks, the last one finished) to zo. */
typedef dtbd_status (*xp_part_fn)(void *ctx, zipout *zo);

/* The package written anew beside itself and renamed over it: every entry
 * copied, the part's data from fn. On failure the package is as it was. */
dtbd_status xp_rewrite(const xlsxpatch *x, xp_part_fn fn, void *ctx, char *why, size_t whylen);

void xp_set_why(char *why, size_t whylen, const char *what, const char *detail);

/* What xlsxpatch_pre.c makes: rows first..last but the held ones, fn's
 * cells. Their block spans come from the part `known` when it is already
 * written (xlsxpatch_fill), else are assumed: 1..ncols, and up to head_hi in
 * the blocks of the rows before first (xlsxpatch_pre_start). */
typedef struct {
    uint32_t first, last, ncols, head_hi;
    xlsxpatch_row_fn fn;
    void *ctx;
    xlsxpatch_held_fn held;
    const void *held_ctx;
    const xlsxpatch *known;
} xp_pre_spec;

/* The rows being made on two threads; NULL: nothing to make, no memory or
 * no thread. */
xlsxpatch_pre *xp_pre_begin(const xp_pre_spec *spec);

#endif
