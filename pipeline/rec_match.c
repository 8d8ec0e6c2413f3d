/* pipeline/rec_match.c — recognition matching: a header element's
 * candidates, and row labels → groups as one best assignment per table
 * (recognize.h 4.–5.). The score is base/fold.h fold_match_score. */
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

/* Groups already given to a row of the table being read (by index). */
typedef struct {
    bool used[64];
} gused;

static double match_score(const char *q, const char *a)
{
    return fold_match_score(q, a, NULL);
}

/* Is the breakdown allowed by some metric of table t (any table when NULL)? */
static bool bd_in_table(const struct config *cfg, const struct config_breakdown *b,
                        const struct config_table *t)
{
    if (!t) return true;
    for (size_t i = 0; i < cfg->n_metrics; i++)
        if (cfg->metrics[i].table == t && config_metric_allows(&cfg->metrics[i], b)) return true;
    return false;
}

const struct config_table *rec_rows_metrics_table_of(const struct config *cfg,
                                                     const struct config_breakdown *b)
{
    for (size_t t = 0; t < cfg->n_tables; t++)
        if (cfg->tables[t].rows == CONFIG_ROWS_METRICS && bd_in_table(cfg, b, &cfg->tables[t]))
            return &cfg->tables[t];
    return NULL;
}

/* Does entry e pass the table filter for header candidates? */
static bool hdr_entry_ok(const rctx *c, const ix_entry *e, const struct config_table *t)
{
    switch (e->kind) {
    case K_METRIC: return !t || ((const struct config_metric *)e->ent)->table == t;
    case K_HEADING: return !t || ((const struct config_heading *)e->ent)->table == t;
    case K_BREAKDOWN: return bd_in_table(c->cfg, e->ent, t);
    default: return false;
    }
}

/* Add an entry to a candidate set (no duplicates). */
static void cands_add(cands *k, const ix_entry *e)
{
    if (e->kind == K_METRIC) {
        for (size_t i = 0; i < k->nm; i++) if (k->m[i] == e->ent) return;
        if (k->nm < 8) k->m[k->nm++] = e->ent;
    } else if (e->kind == K_HEADING) {
        for (size_t i = 0; i < k->nh; i++) if (k->h[i] == e->ent) return;
        if (k->nh < 4) k->h[k->nh++] = e->ent;
    } else if (e->kind == K_BREAKDOWN) {
        for (size_t i = 0; i < k->nb; i++) if (k->b[i] == e->ent) return;
        if (k->nb < 8) k->b[k->nb++] = e->ent;
    }
}

/* The memo key of a fuzzy search (rec_cache.c): a tag, the table, a group
 * and a unit (indices + 1, 0 none) and the keys searched; NULL when there is
 * no memo. Folded keys hold no control character: 1 ends a key, 2 is none. */
static buf *memo_key(const rctx *c, char tag, const struct config_table *t, size_t group,
                     const struct config_unit *u, const char *const *k, int nk)
{
    buf *m = rec_cache_key(c->cache);
    if (!m) return NULL;
    size_t num[3] = { t ? t->index + 1 : 0, group, u ? u->index + 1 : 0 };
    buf_putc(m, tag);
    buf_append(m, num, sizeof num);
    for (int v = 0; v < nk; v++) {
        if (k[v]) buf_puts(m, k[v]);
        buf_putc(m, k[v] ? '\1' : '\2');
    }
    return m;
}

/* The fuzzy candidate of a header cell for table t (NULL: any): the best
 * entry (≥ 0.8, ahead of any other entity by more than 0.02), or NULL. */
static const ix_entry *fuzzy_header(const rctx *c, const cinfo *ci, const struct config_table *t)
{
    const void *memo;
    bool keyed = memo_key(c, 'h', t, 0, NULL, ci->hk, 2) != NULL;
    if (keyed && rec_cache_get(c->cache, &memo)) return memo;
    const ix_entry *best = NULL;
    double bs = 0, second = 0;
    for (size_t i = 0; i < c->nix; i++) {
        const ix_entry *e = &c->ix[i];
        if (!hdr_entry_ok(c, e, t)) continue;
        double s = 0;
        for (int v = 0; v < 2; v++)
            if (ci->hk[v]) { double x = match_score(ci->hk[v], e->key); if (x > s) s = x; }
        if (s > bs) {
            if (best && best->ent != e->ent) second = bs;
            bs = s;
            best = e;
        } else if (best && e->ent != best->ent && s > second) {
            second = s;
        }
    }
    if (!(best && bs >= 0.8 - 1e-9 && bs - second > 0.02)) best = NULL;
    if (keyed) rec_cache_put(c->cache, best);
    return best;
}

void rec_header_cands(const rctx *c, const cinfo *ci, const struct config_table *t, cands *out)
{
    memset(out, 0, sizeof *out);
    for (int v = 0; v < 3; v++) {
        if (!ci->hk[v]) continue;
        size_t lo, hi = rec_ix_range(c, ci->hk[v], &lo);
        for (size_t i = lo; i < hi; i++)
            if (hdr_entry_ok(c, &c->ix[i], t)) cands_add(out, &c->ix[i]);
        if (out->nm || out->nh || out->nb) return;
        /* a form word (STT, Trong đó) is structure: no fuzzy guess for it */
        for (size_t i = lo; i < hi; i++)
            if (c->ix[i].kind == K_LBLHDR || c->ix[i].kind == K_FILLER) return;
    }
    const ix_entry *best = fuzzy_header(c, ci, t);
    if (best) cands_add(out, best);
}

/* Is group g usable in table t? */
static bool group_ok(const struct config_group *g, const struct config_table *t)
{
    return config_group_in_table(g, t);
}

/* Is g a part of parent (or its subset: vc_ql under vc)? */
static bool under(const struct config_group *g, const struct config_group *parent)
{
    return parent && (g->part_of == parent || g->subset_of == parent);
}

/* Token relation of a label key q to an alias key a: the number of q's
 * distinct tokens, of a's, and of those in both. */
static void tok_rel(const char *q, const char *a, size_t *nq, size_t *na, size_t *inter)
{
    fold_tok tq[FOLD_MATCH_TOKENS], ta[FOLD_MATCH_TOKENS];
    *nq = fold_tokens(q, tq, FOLD_MATCH_TOKENS);
    *na = fold_tokens(a, ta, FOLD_MATCH_TOKENS);
    *inter = 0;
    for (size_t i = 0; i < *nq; i++)
        for (size_t j = 0; j < *na; j++)
            if (tq[i].n == ta[j].n && memcmp(tq[i].p, ta[j].p, tq[i].n) == 0) { (*inter)++; break; }
}

/* May the unit (NULL: unknown) report group g: required of its kind, or a
 * part / subset of a group that is? A provider, required of nothing, may
 * report anything. */
static bool plausible(const struct config_group *g, const struct config_unit *u)
{
    if (!u) return true;
    for (const struct config_group *p = g; p; p = p->part_of ? p->part_of : p->subset_of)
        if (config_group_required_of(p, u)) return true;
    return false;
}

static bool is_used(const gused *u, const struct config_group *g)
{
    return u && g->index < 64 && u->used[g->index];
}

/* A label less specific than aliases ("Cán bộ, công chức", all of whose
 * words are in them) goes to the group whose alias adds the fewest words,
 * among the groups the unit may report (an agency's "Cán bộ, công chức" is
 * cbcc_th, never cbcc_xa), when every other such group is a whole it belongs
 * to; else no match. extras[g] = the fewest words an alias of g adds.
 * *decided: the label was less specific than some alias (the answer, a group
 * or none, is final). */
static const struct config_group *less_specific_pick(const rctx *c, const size_t *extras,
                                                     bool *decided)
{
    size_t ng = c->cfg->n_groups < 64 ? c->cfg->n_groups : 64;
    bool any_plausible = false, any = false;
    for (size_t g = 0; g < ng; g++) {
        if (extras[g] == SIZE_MAX) continue;
        any = true;
        if (plausible(&c->cfg->groups[g], c->unit_ent)) any_plausible = true;
    }
    *decided = any;
    if (!any) return NULL;
    const struct config_group *pick = NULL;
    size_t least = SIZE_MAX;
    bool tie = false;
    for (size_t g = 0; g < ng; g++) {
        if (extras[g] == SIZE_MAX) continue;
        if (any_plausible && !plausible(&c->cfg->groups[g], c->unit_ent)) continue;
        if (extras[g] < least) { least = extras[g]; pick = &c->cfg->groups[g]; tie = false; }
        else if (extras[g] == least) tie = true;
    }
    if (tie || !pick) return NULL;
    /* every other candidate must be a whole the pick is part of ("Cán bộ cấp
     * huyện": cb_th, inside cbcc_th); unrelated ones make it ambiguous ("Cán
     * bộ": cb_th or cb_xa) */
    for (size_t g = 0; g < ng; g++) {
        const struct config_group *o = &c->cfg->groups[g];
        if (extras[g] == SIZE_MAX || o == pick) continue;
        if (any_plausible && !plausible(o, c->unit_ent)) continue;
        bool whole = false;
        for (const struct config_group *p = pick; p; p = p->part_of ? p->part_of : p->subset_of)
            if (p == o) whole = true;
        if (!whole) return NULL;
    }
    return pick;
}

/* Best fuzzy group for a label among the table's groups not yet used (a
 * part's sub_aliases only right under its parent). A group's score is its
 * best alias's fold_match_score; it counts from 0.8, or from 0.6 for a part of
 * the parent or when the alias is a phrase of the label ("Viên chức | đơn vị
 * sự nghiệp công lập"). The best must lead every other group by more than
 * 0.02. A label less specific than aliases is decided by less_specific_pick
 * (score 0.9). *score: the winner's score. */
static const struct config_group *fuzzy_group(const rctx *c, const cinfo *ci,
                                              const struct config_table *t,
                                              const struct config_group *parent, const gused *used,
                                              double *score)
{
    size_t ng = c->cfg->n_groups < 64 ? c->cfg->n_groups : 64;
    double gs[64] = { 0 };
    size_t extras[64];
    for (size_t g = 0; g < ng; g++) extras[g] = SIZE_MAX;
    *score = 0;
    for (size_t i = 0; i < c->nix; i++) {
        const ix_entry *e = &c->ix[i];
        if (e->kind != K_GROUP && e->kind != K_SUBGROUP) continue;
        const struct config_group *g = e->ent;
        if (g->index >= 64 || !group_ok(g, t) || is_used(used, g)) continue;
        bool part = under(g, parent);
        if (e->kind == K_SUBGROUP && !part) continue;
        for (int v = 0; v < 3; v++) {
            if (!ci->lk[v]) continue;
            size_t nq, na, inter;
            tok_rel(ci->lk[v], e->key, &nq, &na, &inter);
            if (nq >= 2 && inter == nq && na > nq && na - nq < extras[g->index])
                extras[g->index] = na - nq;
            bool phrase;
            double x = fold_match_score(ci->lk[v], e->key, &phrase);
            double floor = part || phrase ? 0.6 : 0.8;
            if (x >= floor - 1e-9 && x > gs[g->index]) gs[g->index] = x;
        }
    }
    bool decided;
    const struct config_group *pick = less_specific_pick(c, extras, &decided);
    if (decided) {
        if (pick) *score = 0.9;
        return pick;
    }
    const struct config_group *best = NULL;
    double bs = 0, second = 0;
    for (size_t g = 0; g < ng; g++) {
        if (gs[g] > bs) { second = bs; bs = gs[g]; best = &c->cfg->groups[g]; }
        else if (gs[g] > second) second = gs[g];
    }
    if (!best || bs - second <= 0.02) return NULL;
    *score = bs;
    return best;
}

/* The group a row label names exactly in table t under parent (a part of the
 * parent first, then any group, then a sub_alias of a part), or NULL. */
static const struct config_group *exact_group(const rctx *c, const cinfo *ci,
                                              const struct config_table *t,
                                              const struct config_group *parent, const gused *used)
{
    for (int v = 0; v < 3; v++) {
        if (!ci->lk[v]) continue;
        size_t lo, hi = rec_ix_range(c, ci->lk[v], &lo);
        const struct config_group *first = NULL, *part = NULL, *sub = NULL;
        for (size_t i = lo; i < hi; i++) {
            const ix_entry *e = &c->ix[i];
            if (e->kind != K_GROUP && e->kind != K_SUBGROUP) continue;
            const struct config_group *g = e->ent;
            if (!group_ok(g, t) || is_used(used, g)) continue;
            if (e->kind == K_SUBGROUP) {
                if (under(g, parent) && !sub) sub = g;
                continue;
            }
            if (!first) first = g;
            if (under(g, parent) && !part) part = g;
        }
        if (part) return part;
        if (first) return first;
        if (sub) return sub;
    }
    return NULL;
}

const struct config_group *rec_match_group(const rctx *c, const cinfo *ci,
                                           const struct config_table *t,
                                           const struct config_group *parent)
{
    const struct config_group *g = exact_group(c, ci, t, parent, NULL);
    if (g) return g;
    const void *memo;
    bool keyed = memo_key(c, 'g', t, parent ? parent->index + 1 : 0, c->unit_ent, ci->lk, 3) != NULL;
    if (keyed && rec_cache_get(c->cache, &memo)) return memo;
    double sc;
    g = fuzzy_group(c, ci, t, parent, NULL, &sc);
    if (keyed) rec_cache_put(c->cache, g);
    return g;
}

/* Does index entry e name something a row of table t may be labelled by? */
typedef bool (*row_entry_ok)(const rctx *c, const ix_entry *e, const struct config_table *t);

/* A metric of rows=metrics table t ("Dự toán"). */
static bool row_metric_ok(const rctx *c, const ix_entry *e, const struct config_table *t)
{
    (void)c;
    return e->kind == K_METRIC && ((const struct config_metric *)e->ent)->table == t;
}

/* A breakdown of table t's metrics: a funding source of Biểu 03 written transposed. */
static bool row_source_ok(const rctx *c, const ix_entry *e, const struct config_table *t)
{
    return e->kind == K_BREAKDOWN && bd_in_table(c->cfg, e->ent, t);
}

/* The entity a row label names among the entries ok accepts: exact on its
 * key variants, else the best fuzzy alias (≥ 0.8, ahead of any other entity
 * by more than 0.02); NULL none. */
static const void *fuzzy_row_entity(const rctx *c, const cinfo *ci, const struct config_table *t,
                                    row_entry_ok ok);

static const void *match_row_entity(const rctx *c, const cinfo *ci, const struct config_table *t,
                                    row_entry_ok ok, char tag)
{
    for (int v = 0; v < 3; v++) {
        if (!ci->lk[v]) continue;
        size_t lo, hi = rec_ix_range(c, ci->lk[v], &lo);
        for (size_t i = lo; i < hi; i++)
            if (ok(c, &c->ix[i], t)) return c->ix[i].ent;
    }
    const void *memo;
    bool keyed = memo_key(c, tag, t, 0, NULL, ci->lk, 3) != NULL;
    if (keyed && rec_cache_get(c->cache, &memo)) return memo;
    const void *best = fuzzy_row_entity(c, ci, t, ok);
    if (keyed) rec_cache_put(c->cache, best);
    return best;
}

/* The fuzzy part of match_row_entity. */
static const void *fuzzy_row_entity(const rctx *c, const cinfo *ci, const struct config_table *t,
                                    row_entry_ok ok)
{
    const void *best = NULL;
    double bs = 0, second = 0;
    for (size_t i = 0; i < c->nix; i++) {
        const ix_entry *e = &c->ix[i];
        if (!ok(c, e, t)) continue;
        double s = 0;
        for (int v = 0; v < 3; v++)
            if (ci->lk[v]) { double x = match_score(ci->lk[v], e->key); if (x > s) s = x; }
        if (s > bs) {
            if (best && best != e->ent) second = bs;
            bs = s;
            best = e->ent;
        } else if (best && e->ent != best && s > second) {
            second = s;
        }
    }
    return best && bs >= 0.8 - 1e-9 && bs - second > 0.02 ? best : NULL;
}

const struct config_metric *rec_match_row_metric(const rctx *c, const cinfo *ci,
                                                 const struct config_table *t)
{
    return match_row_entity(c, ci, t, row_metric_ok, 'm');
}

const struct config_breakdown *rec_match_row_source(const rctx *c, const cinfo *ci,
                                                    const struct config_table *t)
{
    return match_row_entity(c, ci, t, row_source_ok, 's');
}

bool rec_is_total_label(const rctx *c, const cinfo *ci)
{
    (void)c;
    return (ci->flags & F_TOTAL) != 0;
}

/* The parent of data row k of a groups table: the nearest row above with a
 * group that has parts, when every assigned row between is one of them. */
static const struct config_group *parent_before(const struct config_group *const *rowg, size_t k)
{
    while (k-- > 0) {
        const struct config_group *g = rowg[k];
        if (!g) continue;
        if (g->n_parts) return g;
        if (!g->part_of && !g->subset_of) return NULL;
    }
    return NULL;
}

/* The label of data row r when it may name a group: NULL for no label and for
 * the "Tổng cộng" row. */
static const cinfo *group_label(const sheetx *x, uint32_t r, uint32_t L)
{
    size_t li = rec_label_cell(x, r, L);
    if (li == SIZE_MAX || (x->ci[li].flags & F_TOTAL)) return NULL;
    return &x->ci[li];
}

/* The breakdown other than a metric's default that a row label names
 * exactly ("Trong đó: Nữ", "- DTTS", "+ Dân tộc thiểu số"), or NULL. */
static const struct config_breakdown *row_breakdown(const rctx *c, const cinfo *ci)
{
    for (int v = 0; v < 3; v++) {
        if (!ci->lk[v]) continue;
        size_t lo, hi = rec_ix_range(c, ci->lk[v], &lo);
        for (size_t i = lo; i < hi; i++) {
            const struct config_breakdown *b = c->ix[i].ent;
            if (c->ix[i].kind == K_BREAKDOWN && b->subset_of) return b;
        }
    }
    return NULL;
}

/* The group a breakdown sub-row k belongs to: the group row right above it,
 * over other sub-rows and blank rows of the same group; NULL when none. */
static const struct config_group *subrow_owner(const sheetx *x, const rtable *t,
                                               const struct config_group *const *rowg,
                                               const struct config_breakdown *const *rowbd, size_t k)
{
    while (k-- > 0) {
        if (rowbd[k]) continue;
        if (rowg[k]) return rowg[k];
        if (!rec_row_blank(x, t->data_first + (uint32_t)k)) return NULL;
    }
    return NULL;
}

/* Exact labels, top to bottom (pass 1 of rec_assign_rows); a row labelled
 * by a breakdown is marked in rowbd instead. */
static void assign_exact(rctx *c, const rtable *t, const struct config_group **rowg,
                         const struct config_breakdown **rowbd, gused *used)
{
    const sheetx *x = &c->sx[t->sheet];
    size_t n = (size_t)(t->data_last - t->data_first) + 1;
    for (size_t k = 0; k < n; k++) {
        const cinfo *ci = group_label(x, t->data_first + (uint32_t)k, t->label_col);
        rowg[k] = ci ? exact_group(c, ci, t->table, parent_before(rowg, k), used) : NULL;
        if (rowg[k] && rowg[k]->index < 64) used->used[rowg[k]->index] = true;
        if (!rowg[k] && ci) rowbd[k] = row_breakdown(c, ci);
    }
}

void rec_assign_rows(rctx *c, const rtable *t, const struct config_group **rowg,
                     const struct config_breakdown **rowbd)
{
    const sheetx *x = &c->sx[t->sheet];
    size_t n = (size_t)(t->data_last - t->data_first) + 1;
    gused used;
    memset(&used, 0, sizeof used);
    assign_exact(c, t, rowg, rowbd, &used);
    for (;;) {
        size_t bk = SIZE_MAX;
        const struct config_group *bg = NULL;
        double bs = 0;
        for (size_t k = 0; k < n; k++) {
            if (rowg[k] || rowbd[k]) continue;
            const cinfo *ci = group_label(x, t->data_first + (uint32_t)k, t->label_col);
            if (!ci) continue;
            const struct config_group *parent = parent_before(rowg, k);
            double sc = 1.0;
            const struct config_group *g = exact_group(c, ci, t->table, parent, &used);
            if (!g) g = fuzzy_group(c, ci, t->table, parent, &used, &sc);
            if (g && sc > bs) { bs = sc; bg = g; bk = k; }
        }
        if (!bg) break;
        rowg[bk] = bg;
        if (bg->index < 64) used.used[bg->index] = true;
    }
    for (size_t k = 0; k < n; k++)
        if (rowbd[k]) rowg[k] = subrow_owner(x, t, rowg, rowbd, k);
}
