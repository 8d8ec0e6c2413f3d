/* pipeline/rec_header.c — recognition step 2, header paths: the merged header cells above
 * each column and the metric and breakdown they name (recognize.h 4.). */
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

size_t rec_header_path(const sheetx *x, const rtable *t, uint32_t col, size_t *el, size_t cap)
{
    size_t n = 0;
    uint32_t pr = UINT32_MAX, pc = UINT32_MAX;
    for (uint32_t h = t->hdr_top; h <= t->hdr_bottom && h != UINT32_MAX && n < cap; h++) {
        const wb_range *m = grid_merge_at(x->s, h, col);
        uint32_t orow = m ? m->r1 : h, ocol = m ? m->c1 : col;
        if (orow == pr && ocol == pc) continue;
        pr = orow;
        pc = ocol;
        if (m && m->r1 < t->hdr_top) continue;
        const grid_cell *cell = grid_at(x->s, orow, ocol);
        if (!cell || cell->type != WB_TEXT) continue;
        size_t i = (size_t)(cell - x->s->cells);
        if (!x->ci[i].hk[0]) continue;
        el[n++] = i;
    }
    return n;
}

void rec_resolve_path(const rctx *c, const sheetx *x, const size_t *el, size_t n,
                      const struct config_table *t, bool rows_metrics, colres *out)
{
    memset(out, 0, sizeof *out);
    cands k[8];
    if (n > 8) n = 8;
    for (size_t i = 0; i < n; i++) rec_header_cands(c, &x->ci[el[i]], t, &k[i]);
    if (rows_metrics) {
        for (size_t i = n; i-- > 0;)
            if (k[i].nb) { out->only_bd = k[i].b[0]; return; }
        return;
    }
    long mi = -1;
    for (size_t i = n; i-- > 0;) {
        if (!k[i].nm) continue;
        bool above = false;
        for (size_t j = 0; j < i; j++) if (k[j].nm) above = true;
        if (k[i].nb && above) continue;
        mi = (long)i;
        break;
    }
    if (mi < 0) {
        for (size_t i = n; i-- > 0;)
            if (k[i].nb) { out->only_bd = k[i].b[0]; return; }
        return;
    }
    /* prefer the metrics whose heading is in the path */
    const cands *km = &k[mi];
    for (size_t i = 0; i < km->nm; i++) {
        bool head = false;
        for (size_t j = 0; j < n; j++)
            for (size_t h = 0; h < k[j].nh; h++)
                if (km->m[i]->heading == k[j].h[h]) head = true;
        if (head) out->m[out->nm++] = km->m[i];
    }
    if (!out->nm) {
        /* no heading in the path: a metric without heading first, then the rest */
        for (size_t i = 0; i < km->nm; i++) if (!km->m[i]->heading) out->m[out->nm++] = km->m[i];
        for (size_t i = 0; i < km->nm; i++) if (km->m[i]->heading) out->m[out->nm++] = km->m[i];
    }
    for (size_t i = n; i-- > (size_t)mi + 1;) {
        for (size_t b = 0; b < k[i].nb; b++)
            if (config_metric_allows(out->m[0], k[i].b[b])) { out->bd = k[i].b[b]; return; }
    }
}

/* Join the texts of a path for messages ("Trình độ chuyên môn / Đại học"). */
static void path_text(const sheetx *x, const size_t *el, size_t n, char *out, size_t cap)
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i) buf_puts(&b, " / ");
        buf_puts(&b, x->s->cells[el[i]].text);
    }
    rec_copy_utf8(out, cap, buf_str(&b));
    buf_free(&b);
}

void rec_map_column(const rctx *c, const sheetx *x, rtable *t, uint32_t col)
{
    uint32_t L = t->label_col;
    bool rm = t->table->rows == CONFIG_ROWS_METRICS && !t->transposed;
    colmap *cm = &t->cols[col - L - 1];
    size_t el[8];
    size_t n = rec_header_path(x, t, col, el, 8);
    cm->hrow = t->hdr_bottom;
    cm->hcol = col;
    if (n) {
        cm->has_header = true;
        cm->hrow = x->s->cells[el[n - 1]].row;
        cm->hcol = x->s->cells[el[n - 1]].col;
        path_text(x, el, n, cm->htext, sizeof cm->htext);
    }
    colres cr;
    rec_resolve_path(c, x, el, n, t->table, rm, &cr);
    if (rm) {
        if (cr.only_bd) { cm->bd = cr.only_bd; cm->mapped = true; }
    } else if (cr.nm && t->transposed) {
        cm->metric = cr.m[0];          /* the breakdown is the row's */
        cm->mapped = true;
    } else if (cr.nm) {
        cm->metric = cr.m[0];
        cm->bd = cr.bd ? cr.bd : (cr.m[0]->n_breakdowns ? cr.m[0]->breakdowns[0] : NULL);
        cm->mapped = cm->bd != NULL;
    } else if (cr.only_bd) {
        for (uint32_t lcol = col; lcol-- > L + 1;) {
            const colmap *p = &t->cols[lcol - L - 1];
            if (p->mapped && p->metric && config_metric_allows(p->metric, cr.only_bd)) {
                cm->metric = p->metric;
                cm->bd = cr.only_bd;
                cm->mapped = true;
                cm->inherit = true;
                break;
            }
        }
    }
    if (!cm->mapped) return;
    for (uint32_t pc = L + 1; pc < col; pc++) {
        const colmap *p = &t->cols[pc - L - 1];
        if (p->mapped && p->metric == cm->metric && p->bd == cm->bd) {
            cm->mapped = false;
            cm->metric = NULL;
            cm->bd = NULL;
            return;
        }
    }
}
