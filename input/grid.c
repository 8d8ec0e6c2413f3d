/* input/grid.c — a workbook held in memory (see grid.h). */
#include "input/grid.h"

#include "base/buf.h"
#include "base/text.h"

#include <stdlib.h>
#include <string.h>

/* ---- private ------------------------------------------------------------------ */

/* One shared string stored in the book: wb_cell.shared → its copy. */
typedef struct {
    uint32_t id;         /* wb_cell.shared; 0 marks a free slot               */
    const char *text;
    size_t len;
} shared_slot;

typedef struct {
    grid_book *book;
    dtbd_status oom;       /* DTBD_ERR_NOMEM once an allocation failed             */
    uint64_t max_bytes;  /* wb_limits.max_grid_bytes                           */
    uint64_t bytes;      /* what the book holds so far (cells, texts, merges)  */
    bool over;           /* max_bytes was passed: the read stops (LIMIT)       */
    char over_sheet[96]; /* … in this sheet, at this cell                     */
    uint32_t over_row, over_col;
    const char *sheet_name; /* the sheet being read                           */
    /* shared strings stored once: open addressing on wb_cell.shared */
    shared_slot *shared;
    size_t nshared, capshared;
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

/* Count n more bytes held; false (the read stops) once over max_bytes. */
static bool charge(grid_builder *g, uint64_t n, uint32_t row, uint32_t col)
{
    g->bytes += n;
    if (g->bytes <= g->max_bytes) return true;
    if (!g->over) {
        g->over = true;
        text_copy_cut(g->over_sheet, sizeof g->over_sheet, g->sheet_name ? g->sheet_name : "");
        g->over_row = row;
        g->over_col = col;
    }
    return false;
}

static size_t shared_hash(uint32_t id, size_t cap)
{
    return (size_t)((id * 2654435761u) & (cap - 1));
}

/* The slot of shared string id (free when it is not stored yet), the table
 * grown first so it stays at most half full; NULL when out of memory. */
static shared_slot *shared_find(grid_builder *g, uint32_t id)
{
    if (2 * (g->nshared + 1) > g->capshared) {
        size_t cap = g->capshared ? 2 * g->capshared : 64;
        shared_slot *t = calloc(cap, sizeof *t);
        if (!t) return NULL;
        for (size_t i = 0; i < g->capshared; i++) {
            if (!g->shared[i].id) continue;
            size_t h = shared_hash(g->shared[i].id, cap);
            while (t[h].id) h = (h + 1) & (cap - 1);
            t[h] = g->shared[i];
        }
        free(g->shared);
        g->shared = t;
        g->capshared = cap;
    }
    size_t h = shared_hash(id, g->capshared);
    while (g->shared[h].id && g->shared[h].id != id) h = (h + 1) & (g->capshared - 1);
    return &g->shared[h];
}

/* The book's copy of a cell's text: a shared string is copied (and counted)
 * once, whatever number of cells show it. NULL with g->oom or g->over set. */
static const char *keep_text(grid_builder *g, const wb_cell *c)
{
    shared_slot *slot = NULL;
    if (c->shared) {
        slot = shared_find(g, c->shared);
        if (!slot) { g->oom = DTBD_ERR_NOMEM; return NULL; }
        if (slot->id && slot->len == c->len) return slot->text;
    }
    if (!charge(g, c->len + 1, c->row, c->col)) return NULL;
    const char *copy = arena_strndup(&g->book->mem, c->text, c->len);
    if (!copy) { g->oom = DTBD_ERR_NOMEM; return NULL; }
    if (slot && !slot->id) {
        *slot = (shared_slot){c->shared, copy, c->len};
        g->nshared++;
    }
    return copy;
}

static int on_cell(void *ctx, const wb_cell *c)
{
    grid_builder *g = ctx;
    if (c->type == WB_EMPTY || (c->type == WB_TEXT && c->len == 0)) return 0;
    if (!charge(g, sizeof(grid_cell), c->row, c->col)) return -1;
    if (!buf_grow_array((void **)&g->cells, &g->capcells, g->ncells + 1, sizeof *g->cells)) {
        g->oom = DTBD_ERR_NOMEM;
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
        d->text = keep_text(g, c);
        d->len = c->len;
        if (!d->text) return -1;
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
    if (!charge(g, sizeof *r, r->r1, r->c1)) return -1;
    if (!buf_grow_array((void **)&g->merges, &g->capmerges, g->nmerges + 1, sizeof *g->merges)) {
        g->oom = DTBD_ERR_NOMEM;
        return -1;
    }
    g->merges[g->nmerges++] = *r;
    return 0;
}

static int on_sheet_begin(void *ctx, const wb_sheet_info *s)
{
    grid_builder *g = ctx;
    g->sheet_name = s->name;
    if (!charge(g, sizeof(grid_sheet) + strlen(s->name) + 1, 0, 0)) return -1;
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
        g->oom = DTBD_ERR_NOMEM;
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
        if (!stable_sort_cells(g->cells, g->ncells)) { g->oom = DTBD_ERR_NOMEM; return -1; }
    }
    /* drop duplicates of one (row, col), keeping the last one stored */
    size_t n = 0;
    for (size_t i = 0; i < g->ncells; i++) {
        if (n > 0 && cmp_cell(&g->cells[n - 1], &g->cells[i]) == 0) g->cells[n - 1] = g->cells[i];
        else g->cells[n++] = g->cells[i];
    }
    d->cells = arena_calloc(&g->book->mem, n ? n : 1, sizeof *d->cells);
    d->merges = arena_calloc(&g->book->mem, g->nmerges ? g->nmerges : 1, sizeof *d->merges);
    if (!d->name || !d->cells || !d->merges) { g->oom = DTBD_ERR_NOMEM; return -1; }
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

dtbd_status grid_read(const char *path, const wb_limits *lim, grid_book *book, wb_error *err)
{
    return grid_read_named(path, path, lim, book, err);
}

dtbd_status grid_read_named(const char *path, const char *name, const wb_limits *lim, grid_book *book,
                          wb_error *err)
{
    return grid_read_sniffed(path, name, WB_FMT_UNKNOWN, lim, book, err);
}

dtbd_status grid_read_sniffed(const char *path, const char *name, wb_format fmt, const wb_limits *lim,
                              grid_book *book, wb_error *err)
{
    memset(book, 0, sizeof *book);
    arena_init(&book->mem);
    wb_limits defaults = wb_limits_default();
    if (!lim) lim = &defaults;
    grid_builder g = {.book = book, .sorted = true, .max_bytes = lim->max_grid_bytes};
    wb_sink sink = {&g, on_sheet_begin, on_cell, on_merge, on_sheet_end};
    wb_error dummy;
    if (!err) err = &dummy;
    dtbd_status rc = wb_read_sniffed(path, name, fmt, lim, &sink, err);
    if (g.oom) {
        wb_error_set(err, DTBD_ERR_NOMEM, NULL);
        rc = DTBD_ERR_NOMEM;
    } else if (g.over) {
        text_copy_cut(err->sheet, sizeof err->sheet, g.over_sheet);
        wb_cell_ref(g.over_row, g.over_col, err->cell);
        wb_error_set(err, DTBD_ERR_LIMIT, "bảng tính cần hơn %llu MB bộ nhớ để nhận dạng (giới hạn "
                     "grid_size)", (unsigned long long)(g.max_bytes >> 20));
        rc = DTBD_ERR_LIMIT;
    }
    book->format = err->format;
    /* keep the sheets completed before any failure */
    book->sheets = arena_calloc(&book->mem, g.nsheets ? g.nsheets : 1, sizeof *book->sheets);
    if (book->sheets) {
        if (g.nsheets) memcpy(book->sheets, g.sheets, g.nsheets * sizeof *g.sheets);
        book->nsheets = g.nsheets;
    } else if (rc == DTBD_OK) {
        wb_error_set(err, DTBD_ERR_NOMEM, NULL);
        rc = DTBD_ERR_NOMEM;
    }
    free(g.cells);
    free(g.merges);
    free(g.sheets);
    free(g.fonts);
    free(g.shared);
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
