/* pipeline/validate_checks.c — the checks within the figures a run keeps
 * (DESIGN §5: a part over its whole, parts that do not add up, the "Tổng
 * cộng" row, groups missing, year on year, providers, coverage); called by
 * validate_run in pipeline/validate.c, which also decides the submissions.
 * See validate.h for the contract. */
#include "pipeline/validate.h"
#include "pipeline/validate_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/workbook.h"

/* ---- 5. part over whole ------------------------------------------------------------------ */

/* Part record p over whole record w: finding on p, p rejected. */
static void part_over(vctx *v, size_t p, size_t w, const char *extra)
{
    const record *rp = &v->res->records[p], *rw = &v->res->records[w];
    char lp[300], lw[300], wp[600], ww[600], a[32], b[32];
    vd_rec_loc(v, p, lp, sizeof lp);
    vd_rec_loc(v, w, lw, sizeof lw);
    vd_rec_what(v, p, wp, sizeof wp);
    vd_rec_what(v, w, ww, sizeof ww);
    char wsrc[600] = "";
    if (rw->source != rp->source && rw->source < v->res->nsources)
        snprintf(wsrc, sizeof wsrc, " của tệp \"%s\"", v->res->sources[rw->source].path);
    vd_finding(v, SEV_ERROR, "part_over_whole", p,
                "Số liệu %s (%s) lớn hơn %s (%s) tại %s%s%s — số bộ phận không thể lớn hơn tổng; kiểm tra lại "
                "%s (số này không được tính).",
                wp, vd_num(rp->value, a), ww, vd_num(rw->value, b), lw, wsrc, extra ? extra : "", lp);
    vd_reject(v, p);
}

/* Which metrics are a whole of another (persons ⊂ person_times): not persons-trained. */
static bool *metric_wholes(const vctx *v)
{
    bool *w = calloc(v->cfg->n_metrics + 1, sizeof *w);
    if (!w) return NULL;
    for (size_t m = 0; m < v->cfg->n_metrics; m++) {
        const struct config_metric *s = v->cfg->metrics[m].subset_of;
        if (s) w[s - v->cfg->metrics] = true;
    }
    return w;
}

/* The whole of record i under metric wm (same group and breakdown): in the same file
 * when wm is of the same table, else the unit's winning row of that year. */
static size_t metric_whole(const vctx *v, size_t i, int wm)
{
    const rmeta mv = meta_of(v, i), *mt = &mv;
    const struct config *c = v->cfg;
    bool same_table = c->metrics[wm].table == c->metrics[mt->metric].table;
    if (same_table) return vd_get_live(v, &v->in_src, vd_key_with(v, true, i, mt->group, wm, mt->bd));
    if (mt->unit < 0) return NO_REC;
    return vd_get_live(v, &v->eff, vd_key_with(v, false, i, mt->group, wm, mt->bd));
}

/* Part over whole, steps (a) to (e) of validate.h. */
bool vd_check_part_over_whole(vctx *v)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    /* (a) breakdown over its whole, same row and metric */
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(&res->records[i]) || mt->metric < 0 || mt->group < 0 || mt->bd < 0) continue;
        int wb = PIX(c->breakdowns, c->breakdowns[mt->bd].subset_of);
        if (wb < 0) continue;
        size_t w = vd_get_live(v, &v->in_src, vd_key_with(v, true, i, mt->group, mt->metric, wb));
        if (w != NO_REC && res->records[i].value > res->records[w].value + vd_tolerance(v, mt->metric))
            part_over(v, i, w, NULL);
    }
    /* (b) metric over the metric it is a subset of */
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(&res->records[i]) || mt->metric < 0 || mt->group < 0 || mt->bd < 0) continue;
        int wm = PIX(c->metrics, c->metrics[mt->metric].subset_of);
        if (wm < 0) continue;
        size_t w = metric_whole(v, i, wm);
        if (w != NO_REC && res->records[i].value > res->records[w].value + vd_tolerance(v, mt->metric))
            part_over(v, i, w, NULL);
    }
    /* (c) group over the group it is a subset of */
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(&res->records[i]) || mt->metric < 0 || mt->group < 0 || mt->bd < 0) continue;
        int wg = PIX(c->groups, c->groups[mt->group].subset_of);
        if (wg < 0) continue;
        size_t w = vd_get_live(v, &v->in_src, vd_key_with(v, true, i, wg, mt->metric, mt->bd));
        if (w != NO_REC && res->records[i].value > res->records[w].value + vd_tolerance(v, mt->metric))
            part_over(v, i, w, NULL);
    }
    /* (d) an indicator's numerator over its denominator, in every group row */
    for (size_t k = 0; k < c->n_indicators; k++) {
        const struct config_indicator *ind = &c->indicators[k];
        if (!ind->n_numerator || !ind->denominator.metric) continue;
        int m0 = PIX(c->metrics, ind->numerator[0].metric), b0 = PIX(c->breakdowns, ind->numerator[0].breakdown);
        int dm = PIX(c->metrics, ind->denominator.metric), db = PIX(c->breakdowns, ind->denominator.breakdown);
        for (size_t i = 0; i < res->nrecords; i++) {
            const rmeta mv = meta_of(v, i), *mt = &mv;
            if (!live(&res->records[i]) || mt->metric != m0 || mt->bd != b0 || mt->group < 0) continue;
            double sum = 0;
            size_t parts[16];
            size_t np = 0;
            bool ok = ind->n_numerator <= 16;
            for (size_t j = 0; ok && j < ind->n_numerator; j++) {
                int mj = PIX(c->metrics, ind->numerator[j].metric), bj = PIX(c->breakdowns, ind->numerator[j].breakdown);
                size_t r = j == 0 ? i : metric_whole(v, i, mj);
                if (j > 0 && r != NO_REC && v->res->records[r].bi != bj) r = NO_REC;
                if (r == NO_REC) ok = false;
                else { parts[np++] = r; sum += res->records[r].value; }
            }
            if (!ok) continue;
            size_t w;
            if (c->metrics[dm].table == c->metrics[m0].table)
                w = vd_get_live(v, &v->in_src, vd_key_with(v, true, i, mt->group, dm, db));
            else
                w = mt->unit >= 0 ? vd_get_live(v, &v->eff, vd_key_with(v, false, i, mt->group, dm, db)) : NO_REC;
            if (w == NO_REC || sum <= res->records[w].value + vd_tolerance(v, m0)) continue;
            if (np == 1) {
                part_over(v, i, w, NULL);
                continue;
            }
            char extra[200];
            snprintf(extra, sizeof extra, " (tử số của chỉ tiêu %s cộng lại là %g)", ind->id, sum);
            part_over(v, i, w, extra);
            for (size_t j = 1; j < np; j++) vd_reject(v, parts[j]);
        }
    }
    /* (e) other Biểu 02-style counts (a trained figure) over the group's headcount */
    if (v->headcount < 0) return true;
    bool *wholes = metric_wholes(v);
    if (!wholes) return false;
    const struct config_table *htab = c->metrics[v->headcount].table;
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(&res->records[i]) || mt->metric < 0 || mt->group < 0 || mt->bd < 0 || mt->unit < 0) continue;
        const struct config_metric *m = &c->metrics[mt->metric];
        if (m->table == htab || m->value != CONFIG_VALUE_COUNT || wholes[mt->metric]) continue;
        if (!config_metric_allows(&c->metrics[v->headcount], &c->breakdowns[mt->bd])) continue;
        size_t w = vd_get_live(v, &v->eff, vd_key_with(v, false, i, mt->group, v->headcount, mt->bd));
        if (w != NO_REC && res->records[i].value > res->records[w].value + vd_tolerance(v, mt->metric))
            part_over(v, i, w, NULL);
    }
    free(wholes);
    return true;
}

/* ---- 6. parts that do not add up ----------------------------------------------------------- */

/* Group rows (and breakdowns) against the sum of their parts in the same file. */
void vd_check_parts_sum(vctx *v)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(&res->records[i]) || mt->metric < 0 || mt->group < 0 || mt->bd < 0) continue;
        for (int pass = 0; pass < 2 && live(&res->records[i]); pass++) {
            const struct config_group *g = &c->groups[mt->group];
            const struct config_breakdown *b = &c->breakdowns[mt->bd];
            size_t n = pass == 0 ? g->n_parts : b->n_parts;
            if (!n) continue;
            double sum = 0;
            bool ok = true;
            char parts[600] = "";
            for (size_t k = 0; ok && k < n; k++) {
                vkey key = pass == 0 ? vd_key_with(v, true, i, PIX(c->groups, g->parts[k]), mt->metric, mt->bd)
                                     : vd_key_with(v, true, i, mt->group, mt->metric, PIX(c->breakdowns, b->parts[k]));
                size_t r = vd_get_live(v, &v->in_src, key);
                if (r == NO_REC) { ok = false; break; }
                sum += res->records[r].value;
                char cell[16];
                wb_cell_ref(res->records[r].row, res->records[r].col, cell);
                size_t len = strlen(parts);
                snprintf(parts + len, sizeof parts - len, "%s%s", len ? " + " : "", cell);
            }
            if (!ok || fabs(res->records[i].value - sum) <= vd_tolerance(v, mt->metric)) continue;
            char loc[300], what[600], a[32], s[32];
            vd_rec_loc(v, i, loc, sizeof loc);
            vd_rec_what(v, i, what, sizeof what);
            vd_finding(v, SEV_ERROR, "parts_sum_mismatch", i,
                        "Số liệu %s là %s tại %s nhưng các %s cộng lại là %s (%s) — sửa để %s bằng tổng các "
                        "phần (số của dòng tổng này không được tính, số của từng phần được giữ).",
                        what, vd_num(res->records[i].value, a), loc, pass == 0 ? "dòng thành phần" : "cột thành phần",
                        vd_num(sum, s), parts, pass == 0 ? "dòng tổng" : "cột tổng");
            vd_reject(v, i);
        }
    }
}

/* ---- 7. the "Tổng cộng" row ---------------------------------------------------------------- */

/* Groups present per (source, table): bit g of present[src * MAX_TABLES + t]. */
uint64_t *vd_groups_present(const vctx *v)
{
    const results *res = v->res;
    uint64_t *p = calloc(res->nsources * MAX_TABLES + 1, sizeof *p);
    if (!p) return NULL;
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        int g = v->res->records[i].gi;
        if (r->superseded || g < 0 || g >= MAX_GROUPS || r->source >= res->nsources || r->table <= 0 ||
            r->table >= MAX_TABLES)
            continue;
        p[(size_t)r->source * MAX_TABLES + (size_t)r->table] |= 1ull << g;
    }
    return p;
}

/* True when group g is added into the table's total given the groups present. */
static bool top_level(const struct config *c, int g, uint64_t present)
{
    const struct config_group *gr = &c->groups[g];
    if (gr->subset_of) return false;
    for (const struct config_group *w = gr->part_of; w; w = w->part_of) {
        int wi = (int)(w - c->groups);
        if (wi < MAX_GROUPS && (present & (1ull << wi))) return false;
    }
    return true;
}

/* Each "Tổng cộng" value against the sum of its table's top-level rows. */
void vd_check_totals(vctx *v, const uint64_t *present)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    if (c->n_groups > MAX_GROUPS) return;
    for (size_t t = 0; t < res->ntotals; t++) {
        const record *tr = &res->totals[t];
        if (tr->source >= res->nsources || res->sources[tr->source].status == SRC_REJECTED) continue;
        if (tr->table <= 0 || tr->table >= MAX_TABLES) continue;
        if (v->lost[tr->source] & (1u << tr->table)) continue;
        int m = tr->mi, b = tr->bi;
        if (m < 0 || b < 0) continue;
        uint64_t pr = present[(size_t)tr->source * MAX_TABLES + (size_t)tr->table];
        if (!pr) continue;
        double sum = 0;
        bool ok = true;
        for (int g = 0; ok && g < (int)c->n_groups; g++) {
            if (!(pr & (1ull << g)) || !top_level(c, g, pr)) continue;
            vkey k = { tr->source, 0, g, m, b };
            size_t r = vd_get_live(v, &v->in_src, k);
            if (r == NO_REC) ok = false;
            else sum += res->records[r].value;
        }
        if (!ok || fabs(tr->value - sum) <= vd_tolerance(v, m)) continue;
        char cell[16], a[32], s[32], tn[32];
        wb_cell_ref(tr->row, tr->col, cell);
        vd_table_name(tr->table, tn);
        const struct config_metric *mm = &c->metrics[m];
        bool show_bd = mm->n_breakdowns > 0 && mm->breakdowns[0] != &c->breakdowns[b];
        results_add_finding(res, SEV_ERROR, "total_mismatch", tr->source, tr->sheet, cell, tr->unit, tr->year,
                            "Dòng \"Tổng cộng\" của %s, cột \"%s%s%s%s\" là %s tại %s!%s nhưng các dòng đối "
                            "tượng cộng lại là %s — sửa dòng tổng cho khớp với các dòng.",
                            tn, mm->label, show_bd ? " (" : "", show_bd ? c->breakdowns[b].label : "",
                            show_bd ? ")" : "", vd_num(tr->value, a), tr->sheet, cell, vd_num(sum, s));
    }
}

/* ---- 8. groups missing --------------------------------------------------------------------- */

/* Per file and table: the groups the unit's kind must report that are not there. */
void vd_check_groups_missing(vctx *v, const uint64_t *present)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    if (c->n_groups > MAX_GROUPS) return;
    /* the sheet of each (source, table): its first record's */
    size_t *first = malloc((res->nsources * MAX_TABLES + 1) * sizeof *first);
    if (!first) { res->oom = true; return; }
    for (size_t k = 0; k < res->nsources * MAX_TABLES; k++) first[k] = NO_REC;
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        if (r->superseded || r->source >= res->nsources || r->table <= 0 || r->table >= MAX_TABLES) continue;
        size_t k = (size_t)r->source * MAX_TABLES + (size_t)r->table;
        if (first[k] == NO_REC) first[k] = i;
    }
    for (size_t s = 0; s < res->nsources; s++) {
        const source_file *sf = &res->sources[s];
        if (sf->status == SRC_REJECTED || !sf->unit) continue;
        int u = PIX(c->units, config_unit(c, sf->unit));
        if (u < 0) continue;
        for (size_t t = 1; t < MAX_TABLES && t <= c->n_tables; t++) {
            size_t i0 = first[s * MAX_TABLES + t];
            if (i0 == NO_REC) continue;
            uint64_t pr = present[s * MAX_TABLES + t];
            const struct config_table *tab = &c->tables[t - 1];
            char missing[1024] = "";
            for (size_t g = 0; g < c->n_groups; g++) {
                const struct config_group *gr = &c->groups[g];
                /* the kinds only: see validate.h on required_units */
                if (!gr->required_kind[c->units[u].kind] || !config_group_in_table(gr, tab)) continue;
                if (pr & (1ull << g)) continue;
                bool parts = gr->n_parts > 0;
                for (size_t k = 0; k < gr->n_parts; k++)
                    if (!(pr & (1ull << (gr->parts[k] - c->groups)))) parts = false;
                if (parts) continue;
                size_t len = strlen(missing);
                snprintf(missing + len, sizeof missing - len, "%s\"%s\"", len ? ", " : "", gr->label);
            }
            if (!missing[0]) continue;
            char tn[32];
            vd_table_name((int)t, tn);
            const record *r0 = &res->records[i0];
            results_add_finding(res, SEV_WARNING, "group_missing", (uint32_t)s, r0->sheet, NULL, sf->unit, sf->year,
                                "%s (trang \"%s\") thiếu dòng %s mà %s phải báo cáo — bổ sung dòng này (ghi 0 "
                                "nếu không có người).",
                                tn, r0->sheet, missing, c->units[u].name);
        }
    }
    free(first);
}

/* ---- 9. year on year ------------------------------------------------------------------------ */

/* Cumulative metrics that fall, headcounts that jump (same unit code, year−1 → year). */
void vd_check_year_on_year(vctx *v)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    int all = PIX(c->breakdowns, config_breakdown(c, "all"));
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(r) || mt->metric < 0 || mt->group < 0 || mt->bd < 0 || mt->unit < 0) continue;
        const struct config_metric *m = &c->metrics[mt->metric];
        bool jump = mt->metric == v->headcount && mt->bd == all;
        if (!m->cumulative && !jump) continue;
        vkey k = vd_key_of(v, false, i);
        k.year--;
        size_t p = vd_get_live(v, &v->eff, k);
        if (p == NO_REC) continue;
        double before = res->records[p].value, now = r->value;
        char loc[300], ploc[300], what[600], a[32], b[32];
        if (m->cumulative && now < before - vd_tolerance(v, mt->metric)) {
            vd_rec_loc(v, i, loc, sizeof loc);
            vd_rec_loc(v, p, ploc, sizeof ploc);
            vd_rec_what(v, i, what, sizeof what);
            vd_finding(v, SEV_WARNING, "cumulative_decrease", i,
                        "Số liệu %s là số lũy kế nhưng giảm từ %s (năm %d, %s của tệp \"%s\") xuống %s (năm %d, %s) "
                        "— số lũy kế không được giảm; kiểm tra lại số của hai năm.",
                        what, vd_num(before, a), res->records[p].year, ploc,
                        res->sources[res->records[p].source].path, vd_num(now, b), r->year, loc);
        }
        if (jump && before > 0 && fabs(now - before) > c->checks.headcount_jump * before + 1e-9) {
            vd_rec_loc(v, i, loc, sizeof loc);
            vd_rec_loc(v, p, ploc, sizeof ploc);
            vd_rec_what(v, i, what, sizeof what);
            vd_finding(v, SEV_WARNING, "headcount_jump", i,
                        "Số liệu %s thay đổi bất thường: %s người năm %d (%s của tệp \"%s\") → %s người năm %d (%s), "
                        "lệch %.0f%% (ngưỡng %.0f%%) — kiểm tra lại số liệu hoặc giải thích lý do.",
                        what, vd_num(before, a), res->records[p].year, ploc,
                        res->sources[res->records[p].source].path, vd_num(now, b), r->year, loc,
                        100.0 * fabs(now - before) / before, 100.0 * c->checks.headcount_jump);
        }
    }
}

/* ---- 10. providers -------------------------------------------------------------------------- */

/* The counted figure of unit u for (year, group, metric, bd): the own row, else
 * the sum of the parts' rows; false when missing or not counted. */
static bool unit_figure(const vctx *v, int u, int year, int g, int m, int b, double *out)
{
    const results *res = v->res;
    vkey k = { (uint32_t)u, year, g, m, b };
    size_t i = vd_map_get(v, &v->eff, k);
    if (i != NO_REC) {
        const record *r = &res->records[i];
        if (!live(r) || r->excluded) return false;
        *out = r->value;
        return true;
    }
    const struct config_group *gr = &v->cfg->groups[g];
    if (!gr->n_parts) return false;
    double sum = 0;
    for (size_t p = 0; p < gr->n_parts; p++) {
        k.g = (int)(gr->parts[p] - v->cfg->groups);
        i = vd_map_get(v, &v->eff, k);
        if (i == NO_REC || !live(&res->records[i]) || res->records[i].excluded) return false;
        sum += res->records[i].value;
    }
    *out = sum;
    return true;
}

/* A provider's figure that may be looked at: live, of a provider, mapped. */
static bool provider_figure(const vctx *v, size_t i)
{
    const record *r = &v->res->records[i];
    const rmeta mv = meta_of(v, i), *mt = &mv;
    return live(r) && mt->unit >= 0 && v->cfg->units[mt->unit].kind == CONFIG_PROVIDER && mt->metric >= 0 &&
           mt->group >= 0 && mt->bd >= 0;
}

/* What each provider gives, per plan year: the columns (metric × breakdown)
 * and the rows (groups) holding a figure above 0 somewhere in its live
 * records of that year. A school's form keeps every column of Biểu 02, blank
 * (0) where it trains nobody; comparing those zeros with the units' trainings
 * elsewhere says nothing (issue 12: half of all findings were such). */
typedef struct {
    bool *col;                  /* [unit][year][metric][bd]                        */
    bool *row;                  /* [unit][year][group]                             */
} provider_gives;

static size_t gives_col_ix(const vctx *v, int u, int y, int m, int b)
{
    const struct config *c = v->cfg;
    return (((size_t)u * (size_t)v->nyears + (size_t)y) * c->n_metrics + (size_t)m) * c->n_breakdowns + (size_t)b;
}

static size_t gives_row_ix(const vctx *v, int u, int y, int g)
{
    return ((size_t)u * (size_t)v->nyears + (size_t)y) * v->cfg->n_groups + (size_t)g;
}

/* Fill g; false on out of memory. */
static bool provider_gives_build(const vctx *v, provider_gives *g)
{
    const struct config *c = v->cfg;
    size_t ny = v->nyears > 0 ? (size_t)v->nyears : 1;
    g->col = calloc(c->n_units * ny * c->n_metrics * c->n_breakdowns + 1, sizeof *g->col);
    g->row = calloc(c->n_units * ny * c->n_groups + 1, sizeof *g->row);
    if (!g->col || !g->row) return false;
    for (size_t i = 0; i < v->res->nrecords; i++) {
        const record *r = &v->res->records[i];
        const rmeta mv = meta_of(v, i), *mt = &mv;
        int y = r->year - v->year0;
        if (!provider_figure(v, i) || y < 0 || y >= v->nyears || !(r->value > 0)) continue;
        g->col[gives_col_ix(v, mt->unit, y, mt->metric, mt->bd)] = true;
        g->row[gives_row_ix(v, mt->unit, y, mt->group)] = true;
    }
    return true;
}

/* Each provider figure against the sum of the counted units' figures, on
 * the contents and groups the provider gives that year (provider_gives).
 * False on out of memory. */
bool vd_check_providers(vctx *v)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    provider_gives gives = {NULL, NULL};
    if (!provider_gives_build(v, &gives)) {
        free(gives.col);
        free(gives.row);
        return false;
    }
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!provider_figure(v, i)) continue;
        int y = r->year - v->year0;
        if (y >= 0 && y < v->nyears &&
            (!gives.col[gives_col_ix(v, mt->unit, y, mt->metric, mt->bd)] ||
             !gives.row[gives_row_ix(v, mt->unit, y, mt->group)]))
            continue;
        double sum = 0;
        size_t nunits = 0;
        for (size_t u = 0; u < c->n_units; u++) {
            if (c->units[u].kind == CONFIG_PROVIDER) continue;
            double f;
            if (unit_figure(v, (int)u, r->year, mt->group, mt->metric, mt->bd, &f)) {
                sum += f;
                nunits++;
            }
        }
        double gap = fabs(r->value - sum);
        if (sum > 0 ? gap <= c->checks.provider_gap * sum + 1e-9 : r->value <= 0) continue;
        char loc[300], what[600], a[32], b[32];
        vd_rec_loc(v, i, loc, sizeof loc);
        vd_rec_what(v, i, what, sizeof what);
        vd_finding(v, SEV_WARNING, "provider_gap", i,
                    "Số liệu %s năm %d: cơ sở đào tạo báo cáo %s tại %s, nhưng %zu đơn vị báo cáo cộng lại là %s "
                    "(lệch quá %.0f%%) — đối chiếu danh sách học viên với các đơn vị.",
                    what, r->year, vd_num(r->value, a), loc, nunits, vd_num(sum, b), 100.0 * c->checks.provider_gap);
    }
    free(gives.col);
    free(gives.row);
    return true;
}

/* ---- 11. coverage --------------------------------------------------------------------------- */

/* Active agencies and districts that sent nothing for a year the run covers. */
void vd_check_coverage(vctx *v, const bool *rep)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    for (int y = 0; y < v->nyears; y++) {
        int year = v->year0 + y;
        bool covered = false;
        for (size_t s = 0; s < res->nsources && !covered; s++)
            covered = res->sources[s].status == SRC_ACCEPTED && res->sources[s].year == year;
        if (!covered) continue;
        for (size_t u = 0; u < c->n_units; u++) {
            const struct config_unit *un = &c->units[u];
            if (un->kind == CONFIG_PROVIDER || !config_unit_active_in_year(un, year)) continue;
            if (vd_did_report(v, rep, (int)u, year) || vd_covering_successor(v, rep, (int)u, year)) continue;
            results_add_finding(res, SEV_WARNING, "unit_missing_report", RESULTS_NO_SOURCE, NULL, NULL, un->code,
                                year,
                                "%s chưa gửi báo cáo kết quả đào tạo, bồi dưỡng năm %d (không có tệp nào "
                                "của đơn vị cho năm này) — đề nghị đơn vị gửi báo cáo.",
                                un->name, year);
        }
    }
}
