/*
 * input/grid.h — a whole workbook held in memory, sheet by sheet, for the
 * stages that must look around a cell (form recognition reads headers above
 * and labels to the left). Built on wb_read(): same cell model, same limits.
 *
 * Contract
 *  - grid_read() reads every sheet; each sheet's cells are sorted row-major
 *    (whatever order the file stored them in) and empty cells are dropped.
 *  - grid_at() finds a cell in O(log n); grid_merge_at() tells whether a cell
 *    lies in a merged range and which.
 *  - A shared string (wb_cell.shared) is copied once: every cell showing it
 *    points at that one copy (recognition keys its work by the pointer).
 *  - What the book holds (cells, texts, merges, sheet names) is capped by
 *    lim->max_grid_bytes: past it the read stops with DTBD_ERR_LIMIT naming
 *    the sheet and cell ("grid_size"). Out of memory is DTBD_ERR_NOMEM.
 *
 * Ownership: a grid_book owns everything in it (one arena per workbook);
 * grid_free() releases it all. Pointers into a book stay valid until then.
 */
#ifndef DTBD_INPUT_GRID_H
#define DTBD_INPUT_GRID_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "input/workbook.h"

typedef struct {
    uint32_t row, col;
    wb_type type;
    double num;
    const char *text;   /* NUL-terminated copy; NULL for non-text types       */
    size_t len;
    const char *font;   /* interned per book; NULL when unknown               */
} grid_cell;

typedef struct {
    const char *name;
    unsigned index;
    bool hidden;
    grid_cell *cells;   /* sorted by (row, col)                               */
    size_t ncells;
    wb_range *merges;
    size_t nmerges;
    uint32_t nrows;     /* 1 + highest row holding a cell (0 when empty)      */
    uint32_t ncols;     /* 1 + highest column holding a cell                  */
} grid_sheet;

typedef struct {
    arena mem;
    wb_format format;
    grid_sheet *sheets;
    size_t nsheets;
} grid_book;

/* Read path into book (which the caller provides, uninitialised). On failure
 * the book is still valid and freeable; it holds the sheets read before the
 * failure (useful for findings), and err says why. */
dtbd_status grid_read(const char *path, const wb_limits *lim, grid_book *book, wb_error *err);

/* grid_read() of a private copy under the file's real name (wb_read_named). */
dtbd_status grid_read_named(const char *path, const char *name, const wb_limits *lim, grid_book *book,
                          wb_error *err);

/* grid_read_named() of a file wb_sniff() already named fmt (wb_read_sniffed). */
dtbd_status grid_read_sniffed(const char *path, const char *name, wb_format fmt, const wb_limits *lim,
                              grid_book *book, wb_error *err);

void grid_free(grid_book *book);

/* The cell at (row, col), or NULL when empty. */
const grid_cell *grid_at(const grid_sheet *s, uint32_t row, uint32_t col);

/* Index of the first cell of row `row` (or of the next non-empty row). */
size_t grid_row_start(const grid_sheet *s, uint32_t row);

/* The merged range containing (row, col), or NULL. */
const wb_range *grid_merge_at(const grid_sheet *s, uint32_t row, uint32_t col);

#endif
