/*
 * output/xlsxpatch.h — rows libxlsxwriter never held, streamed into one
 * worksheet of a package it wrote.
 *
 * Why: libxlsxwriter keeps every cell of a sheet in memory as a tree node,
 * prints each with fprintf and deflates the part at zlib's default level. A
 * list of 60,000 records × 12 cells (Dữ liệu of tong-hop.xlsx) took most of a
 * province's run there. The caller writes a few rows of such a list through
 * libxlsxwriter — the header, the first and the last data rows, the first use
 * of each format — so that everything libxlsxwriter derives from cells (the
 * dimension, the spans of each block of 16 rows, the order of the shared
 * strings, the style indices) comes out as it would with every row; it puts
 * the other rows' strings into the shared-string table itself, in row order.
 * xlsxpatch then reads the part back and writes the package anew
 * (output/zipout.h): every other part copied with its compressed bytes as
 * they are, the worksheet's XML made in chunks of rows — the rows the part
 * holds copied, the missing ones from the caller's function — each chunk
 * deflated at level 1 on one of two threads. The part's bytes are those
 * libxlsxwriter would have written (tests/unit/test_workbook_out.c compares
 * the two ways part by part).
 *
 * Rows and columns are 0-based here, as in libxlsxwriter's API.
 *
 * Ownership: an xlsxpatch owns the part it read; xlsxpatch_close() frees it.
 * The row function's context stays the caller's.
 */
#ifndef DTBD_OUTPUT_XLSXPATCH_H
#define DTBD_OUTPUT_XLSXPATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/status.h"

typedef struct xlsxpatch xlsxpatch;

/* Read the worksheet part `part` ("xl/worksheets/sheet7.xml") of the package
 * at path. NULL on failure, with *st set (DTBD_ERR_IO: the package cannot be
 * read; DTBD_ERR_FORMAT: the part is not there or not a worksheet with rows;
 * DTBD_ERR_NOMEM) and a reason (English, for a developer) in why. */
xlsxpatch *xlsxpatch_open(const char *path, const char *part, dtbd_status *st, char *why, size_t whylen);

/* The style index (the s attribute) of the cell at row, col of a row the
 * part holds; 0 when the cell has none, -1 when there is no such cell. */
int xlsxpatch_style(const xlsxpatch *p, uint32_t row, uint32_t col);

/* Appends the cells of row `row` — the <c> elements only; xlsxpatch writes
 * the <row> around them — to out. false stops the writing (the package is
 * then left as libxlsxwriter wrote it). */
typedef bool (*xlsxpatch_row_fn)(void *ctx, uint32_t row, buf *out);

/* Put rows first..last that the part does not hold, each with cells in
 * columns 0..ncols-1 only, from fn; then write the package back in place.
 * DTBD_OK, DTBD_ERR_FORMAT (a row in that range is not where it must be, or
 * fn refused), DTBD_ERR_WRITE (the package could not be written; errno kept when it
 * had one) or DTBD_ERR_NOMEM; why says more. On failure the package at path
 * is left as it was. */
dtbd_status xlsxpatch_fill(xlsxpatch *p, uint32_t first, uint32_t last, uint32_t ncols, xlsxpatch_row_fn fn,
                           void *ctx, char *why, size_t whylen);

void xlsxpatch_close(xlsxpatch *p);

/* ---- rows made before the package exists (output/xlsxpatch_pre.c) ----------
 * The same rows, made and deflated on two threads while the caller still
 * builds its workbook: everything a row's XML needs must be known (the style
 * numbers: template_number_styles). The rows the part will hold ("held") are
 * skipped; the spans assumed are 1..ncols, and up to head_hi in the block of
 * the rows before first. After workbook_close, xlsxpatch_pre_finish checks
 * the part holds exactly the held rows with those spans and writes the
 * package; DTBD_ERR_FORMAT when it does not (nothing written: use
 * xlsxpatch_fill). fn and held are called from the two threads until finish
 * or abort returns. */
typedef bool (*xlsxpatch_held_fn)(const void *ctx, uint32_t row);
typedef struct xlsxpatch_pre xlsxpatch_pre;

/* NULL when there is nothing to make or no thread could start. */
xlsxpatch_pre *xlsxpatch_pre_start(uint32_t first, uint32_t last, uint32_t ncols, uint32_t head_hi,
                                   xlsxpatch_row_fn fn, xlsxpatch_held_fn held, void *ctx);
/* Waits for the rows, checks p's part against them, writes the package;
 * frees pre. */
dtbd_status xlsxpatch_pre_finish(xlsxpatch_pre *pre, const xlsxpatch *p, char *why, size_t whylen);
/* Stops and frees pre. */
void xlsxpatch_pre_abort(xlsxpatch_pre *pre);

#endif
