/* pipeline/rec_locate.c — recognition step 1, locate: a table's anchor, header band, data
 * rows and extent, and which table of the form it is (recognize.h 3.). */
#include "pipeline/rec_ctx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fold.h"
#include "base/text.h"
#include "input/workbook.h"
#include "pipeline/ident.h"
#include "pipeline/numparse.h"

void rec_row_span(const sheetx *x, uint32_t r, size_t *a, size_t *b)
{
    if (r >= x->s->nrows) { *a = *b = 0; return; }
    *a = x->rowstart[r];
    *b = x->rowstart[r + 1];
}

bool rec_row_blank(const sheetx *x, uint32_t r)
{
    size_t a, b;
    rec_row_span(x, r, &a, &b);
    return a == b;
}

/* Does any cell of the row carry one of the flags? */
static bool row_any(const sheetx *x, uint32_t r, uint32_t flags)
{
    size_t a, b;
    rec_row_span(x, r, &a, &b);
    for (size_t i = a; i < b; i++) if (x->ci[i].flags & flags) return true;
    return false;
}

/* A row of column numbers: ≥ 2 cells, all tokens, at least two (and half)
 * with digits, their leading integers increasing left to right. */
static bool row_colnum(const sheetx *x, uint32_t r)
{
    size_t a, b;
    rec_row_span(x, r, &a, &b);
    if (b - a < 2) return false;
    size_t digits = 0;
    int last = -1;
    for (size_t i = a; i < b; i++) {
        if (!(x->ci[i].flags & F_COLNUM)) return false;
        if (x->ci[i].flags & F_COLNUM_DIGIT) {
            if (x->ci[i].colnum_lead <= last) return false;
            last = x->ci[i].colnum_lead;
            digits++;
        }
    }
    return digits >= 2 && digits * 2 >= b - a;
}

/* A header row of a table whose label column is L. */
static bool row_headerish(const sheetx *x, uint32_t r, uint32_t L)
{
    size_t a, b;
    rec_row_span(x, r, &a, &b);
    for (size_t i = a; i < b; i++) {
        uint32_t col = x->s->cells[i].col;
        uint32_t f = x->ci[i].flags;
        if (col > L && (f & F_HEADER_WORD)) return true;
        if (col <= L && (f & F_LBLHDR)) return true;
    }
    return false;
}

/* Column of the row's anchor (a group or row-metric label in one of the
 * first 7 columns), or -1. */
static long row_anchor(const sheetx *x, uint32_t r)
{
    size_t a, b;
    rec_row_span(x, r, &a, &b);
    bool values = false;     /* a funding source heads a row only beside values */
    for (size_t i = a; i < b && !values; i++) values = rec_cell_numeric(&x->s->cells[i]);
    for (size_t i = a; i < b; i++) {
        if (x->s->cells[i].col > 6) break;
        uint32_t f = x->ci[i].flags;
        if ((f & (F_GROUP | F_ROWMETRIC)) || ((f & F_ROWBD) && !(f & F_TOTAL) && values)) {
            if (x->ci[i].flags & F_TITLE) continue;
            return (long)x->s->cells[i].col;
        }
    }
    return -1;
}

/* Does the row have a group / total / row-metric label at or left of L? */
static bool row_label_hit(const sheetx *x, uint32_t r, uint32_t L, uint32_t flags)
{
    size_t a, b;
    rec_row_span(x, r, &a, &b);
    for (size_t i = a; i < b && x->s->cells[i].col <= L; i++)
        if (x->ci[i].flags & flags) return true;
    return false;
}

/* Is the row a data row of the table (for the walk up from an anchor)? */
static bool row_datalike(const sheetx *x, uint32_t r, uint32_t L)
{
    return !rec_row_blank(x, r) && !row_colnum(x, r) && !row_any(x, r, F_TITLE | F_FOOTER) &&
           !row_headerish(x, r, L);
}

size_t rec_label_cell(const sheetx *x, uint32_t r, uint32_t L)
{
    const grid_cell *cell = grid_at(x->s, r, L);
    if (cell && cell->type == WB_TEXT && x->ci[cell - x->s->cells].hk[0]) return (size_t)(cell - x->s->cells);
    size_t a, b;
    rec_row_span(x, r, &a, &b);
    size_t found = SIZE_MAX;
    for (size_t i = a; i < b && x->s->cells[i].col < L; i++)
        if (x->s->cells[i].type == WB_TEXT && x->ci[i].hk[0]) found = i;
    if (found != SIZE_MAX) {
        /* the STT column's own numbering ("I", "1") is no label */
        const cinfo *ci = &x->ci[found];
        if (!(ci->flags & F_COLNUM) || (ci->flags & (F_TOTAL | F_GROUP))) return found;
        found = SIZE_MAX;
    }
    const wb_range *m = grid_merge_at(x->s, r, L);
    if (m && m->r1 != r) {
        const grid_cell *o = grid_at(x->s, m->r1, m->c1);
        if (o && o->type == WB_TEXT) return (size_t)(o - x->s->cells);
    }
    return found;
}

/* Does row r carry a label (text at or left of L) and a value right of L?
 * Such a row belongs to the table above it even after blank rows: a reworded
 * group row ("Những người hoạt động không chuyên trách cấp xã") is a row of
 * the table, not its end. */
static bool row_labelled_values(const sheetx *x, uint32_t r, uint32_t L)
{
    size_t a, b;
    rec_row_span(x, r, &a, &b);
    bool label = false;
    for (size_t i = a; i < b; i++) {
        const grid_cell *cell = &x->s->cells[i];
        if (cell->col <= L) {
            if (cell->type == WB_TEXT && x->ci[i].hk[0] && !(x->ci[i].flags & F_COLNUM)) label = true;
        } else if (label && rec_cell_numeric(cell)) {
            return true;
        }
    }
    return false;
}

/* Does the label of row r name a group of some table, fuzzily at least
 * ("Những người hoạt động không chuyên trách cấp xã" with its cells blank)? */
static bool row_names_group(const rctx *c, const sheetx *x, uint32_t r, uint32_t L)
{
    size_t li = rec_label_cell(x, r, L);
    if (li == SIZE_MAX) return false;
    for (size_t t = 0; t < c->cfg->n_tables; t++)
        if (c->cfg->tables[t].rows == CONFIG_ROWS_GROUPS &&
            rec_match_group(c, &x->ci[li], &c->cfg->tables[t], NULL))
            return true;
    return false;
}

/* Last data row of a table whose first data row is fd (see recognize.h 3.). */
static uint32_t scan_down(const rctx *c, const sheetx *x, uint32_t fd, uint32_t L)
{
    uint32_t last = fd;
    int blanks = 0;
    bool seen_group = false;
    for (uint32_t r = fd; r < x->s->nrows; r++) {
        if (rec_row_blank(x, r)) {
            blanks++;
            continue;
        }
        if (r > fd && (row_any(x, r, F_TITLE | F_FOOTER) || row_colnum(x, r) || row_headerish(x, r, L)))
            break;
        bool group = row_label_hit(x, r, L, F_GROUP | F_ROWMETRIC | F_ROWBD);
        bool total = !group && row_label_hit(x, r, L, F_TOTAL);
        if (blanks && !group && !total && !row_labelled_values(x, r, L) && !row_names_group(c, x, r, L))
            break;
        blanks = 0;
        last = r;
        if (total && seen_group) break;
        if (group) seen_group = true;
    }
    return last;
}

/* The config table of a title line nearest above the header (rows lo..hi), or NULL. */
static const struct config_table *title_table(const rctx *c, const sheetx *x, uint32_t lo, uint32_t hi)
{
    for (uint32_t r = hi + 1; r-- > lo;) {
        size_t a, b;
        rec_row_span(x, r, &a, &b);
        for (size_t i = a; i < b; i++) {
            const char *k = x->ci[i].hk[0];
            if (!k || !(x->ci[i].flags & F_TITLE)) continue;
            for (size_t e = 0; e < c->rx->ntitles; e++) {
                const ix_entry *t = c->rx->titles[e];
                if (t->kind == K_TABLE &&
                    (strcmp(k, t->key) == 0 || (rec_key_starts(k, t->key) && rec_has_digit(t->key))))
                    return t->ent;
            }
        }
    }
    return NULL;
}

bool rec_cell_numeric(const grid_cell *cell)
{
    if (cell->type == WB_NUMBER) return true;
    if (cell->type != WB_TEXT) return false;
    double v;
    return numparse_text(cell->text, cell->len, true, &v) == NUMPARSE_VALUE;
}

/* The last column of a table: its header band's cells and merges right of
 * L, and the numbers in its data rows. */
static uint32_t table_last_col(const sheetx *x, const rtable *t)
{
    uint32_t L = t->label_col, lc = L;
    for (uint32_t r = t->hdr_top; r <= t->hdr_bottom; r++) {
        size_t a, b;
        rec_row_span(x, r, &a, &b);
        for (size_t i = a; i < b; i++) if (x->s->cells[i].col > lc) lc = x->s->cells[i].col;
    }
    for (size_t m = 0; m < x->s->nmerges; m++) {
        const wb_range *g = &x->s->merges[m];
        if (g->r1 >= t->hdr_top && g->r1 <= t->hdr_bottom && g->c2 > lc && g->c1 > L) lc = g->c2;
    }
    for (uint32_t r = t->data_first; r <= t->data_last; r++) {
        size_t a, b;
        rec_row_span(x, r, &a, &b);
        for (size_t i = a; i < b; i++)
            if (x->s->cells[i].col > lc && rec_cell_numeric(&x->s->cells[i])) lc = x->s->cells[i].col;
    }
    return lc;
}

/* A rows=metrics table named by one of the data rows' labels ("Dự toán"), or NULL. */
static const struct config_table *row_metric_table(const rctx *c, const sheetx *x, const rtable *t)
{
    uint32_t L = t->label_col;
    for (uint32_t r = t->data_first; r <= t->data_last; r++) {
        if (!row_label_hit(x, r, L, F_ROWMETRIC) || row_label_hit(x, r, L, F_GROUP)) continue;
        size_t li = rec_label_cell(x, r, L);
        if (li == SIZE_MAX) continue;
        for (size_t ti = 0; ti < c->cfg->n_tables; ti++) {
            const struct config_table *ct = &c->cfg->tables[ti];
            if (ct->rows == CONFIG_ROWS_METRICS && rec_match_row_metric(c, &x->ci[li], ct)) return ct;
        }
    }
    return NULL;
}

/* The rows=metrics table whose breakdowns (funding sources) label the data
 * rows (Biểu 03 written transposed), or NULL. */
static const struct config_table *row_source_table(const rctx *c, const sheetx *x, const rtable *t)
{
    uint32_t L = t->label_col;
    for (uint32_t r = t->data_first; r <= t->data_last; r++) {
        if (!row_label_hit(x, r, L, F_ROWBD) || row_label_hit(x, r, L, F_GROUP | F_ROWMETRIC)) continue;
        size_t li = rec_label_cell(x, r, L);
        if (li == SIZE_MAX) continue;
        for (size_t ti = 0; ti < c->cfg->n_tables; ti++) {
            const struct config_table *ct = &c->cfg->tables[ti];
            if (ct->rows == CONFIG_ROWS_METRICS && rec_match_row_source(c, &x->ci[li], ct)) return ct;
        }
    }
    return NULL;
}

/* The groups table the columns vote for (each column's candidate metrics
 * share one vote among their tables); a tie goes to the title line's table. */
static const struct config_table *voted_table(const rctx *c, const sheetx *x, const rtable *t,
                                              uint32_t title_floor)
{
    double votes[16] = { 0 };
    size_t el[8];
    for (uint32_t col = t->label_col + 1; col <= t->last_col; col++) {
        size_t n = rec_header_path(x, t, col, el, 8);
        colres cr;
        rec_resolve_path(c, x, el, n, NULL, false, &cr);
        const struct config_table *seen[8];
        size_t ns = 0;
        for (size_t i = 0; i < cr.nm; i++) {
            bool dup = false;
            for (size_t j = 0; j < ns; j++) if (seen[j] == cr.m[i]->table) dup = true;
            if (!dup && cr.m[i]->table->rows == CONFIG_ROWS_GROUPS) seen[ns++] = cr.m[i]->table;
        }
        for (size_t j = 0; j < ns; j++)
            if (seen[j]->index < 16) votes[seen[j]->index] += 1.0 / (double)ns;
    }
    const struct config_table *tt = title_table(c, x, title_floor, t->hdr_top ? t->hdr_top - 1 : 0);
    const struct config_table *tab = NULL;
    double best = 0;
    for (size_t ti = 0; ti < c->cfg->n_tables && ti < 16; ti++) {
        double v = votes[ti];
        if (v <= 0) continue;
        if (v > best + 1e-9 || (fabs(v - best) <= 1e-9 && tt == &c->cfg->tables[ti])) {
            best = v;
            tab = &c->cfg->tables[ti];
        }
    }
    return tab;
}

/* Try to make a table from the located rows; false when its columns match nothing. */
static bool build_table(rctx *c, uint32_t si, uint32_t L, uint32_t top, uint32_t bottom, uint32_t fd,
                        uint32_t last, uint32_t title_floor, rtable *t)
{
    sheetx *x = &c->sx[si];
    memset(t, 0, sizeof *t);
    t->sheet = si;
    t->label_col = L;
    t->hdr_top = top;
    t->hdr_bottom = bottom;
    t->data_first = fd;
    t->data_last = last;
    t->first_col = L + 1;
    t->last_col = table_last_col(x, t);
    if (t->last_col <= L) return false;

    /* which table: a row metric anchor, else the columns' vote, else the title */
    const struct config_table *tab = row_metric_table(c, x, t);
    if (!tab && (tab = row_source_table(c, x, t))) t->transposed = true;
    if (!tab) tab = voted_table(c, x, t, title_floor);
    if (!tab) return false;
    t->table = tab;
    if (tab->rows == CONFIG_ROWS_METRICS) {
        for (size_t g = 0; g < c->cfg->n_groups; g++)
            if (config_group_in_table(&c->cfg->groups[g], tab)) { t->rows_group = &c->cfg->groups[g]; break; }
        if (!t->rows_group) return false;
    }

    t->cols = arena_calloc(&c->mem, (size_t)(t->last_col - L), sizeof *t->cols);
    if (!t->cols) { c->oom = true; return false; }
    size_t mapped = 0;
    for (uint32_t col = L + 1; col <= t->last_col; col++) {
        rec_map_column(c, x, t, col);
        if (t->cols[col - L - 1].mapped) mapped++;
    }
    return mapped > 0;
}

void rec_locate_sheet(rctx *c, uint32_t si)
{
    sheetx *x = &c->sx[si];
    uint32_t floor_row = 0, r = 0;
    while (r < x->s->nrows && !c->oom) {
        long lc = -1;
        uint32_t a = r;
        for (; a < x->s->nrows; a++) if ((lc = row_anchor(x, a)) >= 0) break;
        if (lc < 0) break;
        uint32_t L = (uint32_t)lc;
        /* up over data rows and blank rows between them to the header band */
        uint32_t fd = a, up = a;
        while (up > floor_row) {
            if (row_datalike(x, up - 1, L)) fd = --up;
            else if (rec_row_blank(x, up - 1)) --up;
            else break;
        }
        uint32_t h = up;           /* rows [top, h) form the header band */
        if (h > floor_row && row_colnum(x, h - 1)) h--;
        uint32_t bottom_excl = h;
        int count = 0;
        while (h > floor_row && count < 4 && row_headerish(x, h - 1, L) && !row_any(x, h - 1, F_TITLE)) {
            h--;
            count++;
        }
        uint32_t last = scan_down(c, x, fd, L);
        if (last < a) last = a;
        if (count > 0) {
            rtable t;
            if (build_table(c, si, L, h, bottom_excl - 1, fd, last, floor_row, &t)) {
                if (!buf_grow_array((void **)&c->tables, &c->captables, c->ntables + 1, sizeof *c->tables)) {
                    c->oom = true;
                    return;
                }
                c->tables[c->ntables++] = t;
                if (!x->has_table) { x->has_table = true; x->first_header_row = h; }
                floor_row = last + 1;
            }
        }
        r = last + 1;
    }
}
