/* input/grid.c — a workbook held in memory (see grid.h). */
#include "grid.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>

/* ---- private ------------------------------------------------------------------ */

typedef struct {
    grid_book *book;
    wb_status oom;       /* WB_ERR_NOMEM once an allocation failed             */
    /* the sheet being read: growable arrays, moved into the arena at its end */
    grid_cell *cells;
    size_t ncells, capcells;
    wb_range *merges;
    size_t nmerges, capmerges;
    bool sorted;         /* cells arrived in row-major order so far            */
    /* sheets read so far */
    grid_sheet *sheets;
    size_t nsheets, capsheets;
    /* fonts interned: a workbook has few distinct ones */
    const char **fonts;
    size_t nfonts, capfonts;
} grid_builder;

/* One arena copy per distinct font name. */
static const char *intern_font(grid_builder *g, const char *font)
{
    if (!font) return NULL;
    for (size_t i = 0; i < g->nfonts; i++)
        if (strcmp(g->fonts[i], font) == 0) return g->fonts[i];
    const char *copy = arena_strdup(&g->book->mem, font);
    if (!copy || !buf_grow_array((void **)&g->fonts, &g->capfonts, g->nfonts + 1, sizeof *g->fonts))
        return NULL;
    g->fonts[g->nfonts++] = copy;
    return copy;
}

static int on_cell(void *ctx, const wb_cell *c)
{
    grid_builder *g = ctx;
    if (c->type == WB_EMPTY || (c->type == WB_TEXT && c->len == 0)) return 0;
    if (!buf_grow_array((void **)&g->cells, &g->capcells, g->ncells + 1, sizeof *g->cells)) {
        g->oom = WB_ERR_NOMEM;
        return -1;
    }
    grid_cell *d = &g->cells[g->ncells];
    d->row = c->row;
    d->col = c->col;
    d->type = c->type;
    d->num = c->num;
    d->text = NULL;
    d->len = 0;
    if (c->text) {
        d->text = arena_strndup(&g->book->mem, c->text, c->len);
        d->len = c->len;
        if (!d->text) { g->oom = WB_ERR_NOMEM; return -1; }
    }
    d->font = intern_font(g, c->font);
    if (g->ncells > 0) {
        const grid_cell *p = &g->cells[g->ncells - 1];
        if (p->row > d->row || (p->row == d->row && p->col >= d->col)) g->sorted = false;
    }
    g->ncells++;
    return 0;
}

static int on_merge(void *ctx, const wb_range *r)
{
    grid_builder *g = ctx;
    if (!buf_grow_array((void **)&g->merges, &g->capmerges, g->nmerges + 1, sizeof *g->merges)) {
        g->oom = WB_ERR_NOMEM;
        return -1;
    }
    g->merges[g->nmerges++] = *r;
    return 0;
}

static int on_sheet_begin(void *ctx, const wb_sheet_info *s)
{
    grid_builder *g = ctx;
    (void)s;
    g->ncells = 0;
    g->nmerges = 0;
    g->sorted = true;
    return 0;
}

static int cmp_cell(const void *a, const void *b)
{
    const grid_cell *x = a, *y = b;
    if (x->row != y->row) return x->row < y->row ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return 0;
}

/* Stable merge sort of cells by (row, col); false when out of memory. */
static bool stable_sort_cells(grid_cell *a, size_t n)
{
    if (n < 2) return true;
    grid_cell *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return false;
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = cmp_cell(&a[j], &a[i]) < 0 ? a[j++] : a[i++];
            while (i < mid) tmp[k++] = a[i++];
            while (j < hi) tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
    free(tmp);
    return true;
}

/* Move the sheet being read into the arena and append it to the book. */
static int on_sheet_end(void *ctx, const wb_sheet_info *s)
{
    grid_builder *g = ctx;
    if (!buf_grow_array((void **)&g->sheets, &g->capsheets, g->nsheets + 1, sizeof *g->sheets)) {
        g->oom = WB_ERR_NOMEM;
        return -1;
    }
    grid_sheet *d = &g->sheets[g->nsheets];
    memset(d, 0, sizeof *d);
    d->name = arena_strdup(&g->book->mem, s->name);
    d->index = s->index;
    d->hidden = s->hidden;
    if (!g->sorted) {
        /* A file may store cells out of order; a later duplicate of the same
         * cell wins, as it would when a spreadsheet program loads the file:
         * hence a stable sort. */
        if (!stable_sort_cells(g->cells, g->ncells)) { g->oom = WB_ERR_NOMEM; return -1; }
    }
    /* drop duplicates of one (row, col), keeping the last one stored */
    size_t n = 0;
    for (size_t i = 0; i < g->ncells; i++) {
        if (n > 0 && cmp_cell(&g->cells[n - 1], &g->cells[i]) == 0) g->cells[n - 1] = g->cells[i];
        else g->cells[n++] = g->cells[i];
    }
    d->cells = arena_calloc(&g->book->mem, n ? n : 1, sizeof *d->cells);
    d->merges = arena_calloc(&g->book->mem, g->nmerges ? g->nmerges : 1, sizeof *d->merges);
    if (!d->name || !d->cells || !d->merges) { g->oom = WB_ERR_NOMEM; return -1; }
    if (n) memcpy(d->cells, g->cells, n * sizeof *d->cells);
    if (g->nmerges) memcpy(d->merges, g->merges, g->nmerges * sizeof *d->merges);
    d->ncells = n;
    d->nmerges = g->nmerges;
    for (size_t i = 0; i < n; i++) {
        if (d->cells[i].row + 1 > d->nrows) d->nrows = d->cells[i].row + 1;
        if (d->cells[i].col + 1 > d->ncols) d->ncols = d->cells[i].col + 1;
    }
    g->nsheets++;
    return 0;
}

/* ---- public ------------------------------------------------------------------- */

wb_status grid_read(const char *path, const wb_limits *lim, grid_book *book, wb_error *err)
{
    return grid_read_named(path, path, lim, book, err);
}

wb_status grid_read_named(const char *path, const char *name, const wb_limits *lim, grid_book *book,
                          wb_error *err)
{
    memset(book, 0, sizeof *book);
    arena_init(&book->mem);
    grid_builder g = {.book = book, .sorted = true};
    wb_sink sink = {&g, on_sheet_begin, on_cell, on_merge, on_sheet_end};
    wb_error dummy;
    if (!err) err = &dummy;
    wb_status rc = wb_read_named(path, name, lim, &sink, err);
    if (g.oom) {
        wb_error_set(err, WB_ERR_NOMEM, NULL);
        rc = WB_ERR_NOMEM;
    }
    book->format = err->format;
    /* keep the sheets completed before any failure */
    book->sheets = arena_calloc(&book->mem, g.nsheets ? g.nsheets : 1, sizeof *book->sheets);
    if (book->sheets) {
        if (g.nsheets) memcpy(book->sheets, g.sheets, g.nsheets * sizeof *g.sheets);
        book->nsheets = g.nsheets;
    } else if (rc == WB_OK) {
        wb_error_set(err, WB_ERR_NOMEM, NULL);
        rc = WB_ERR_NOMEM;
    }
    free(g.cells);
    free(g.merges);
    free(g.sheets);
    free(g.fonts);
    return rc;
}

void grid_free(grid_book *book)
{
    arena_free(&book->mem);
    book->sheets = NULL;
    book->nsheets = 0;
}

size_t grid_row_start(const grid_sheet *s, uint32_t row)
{
    size_t lo = 0, hi = s->ncells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->cells[mid].row < row) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

const grid_cell *grid_at(const grid_sheet *s, uint32_t row, uint32_t col)
{
    size_t lo = grid_row_start(s, row), hi = s->ncells;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const grid_cell *c = &s->cells[mid];
        if (c->row < row || (c->row == row && c->col < col)) lo = mid + 1;
        else hi = mid;
    }
    if (lo < s->ncells && s->cells[lo].row == row && s->cells[lo].col == col) return &s->cells[lo];
    return NULL;
}

const wb_range *grid_merge_at(const grid_sheet *s, uint32_t row, uint32_t col)
{
    for (size_t i = 0; i < s->nmerges; i++) {
        const wb_range *r = &s->merges[i];
        if (row >= r->r1 && row <= r->r2 && col >= r->c1 && col <= r->c2) return r;
    }
    return NULL;
}
