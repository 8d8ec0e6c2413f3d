/* charts/facts.c — what the charts state (see facts.h). */
#include "charts/facts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- coverage ------------------------------------------------------------- */

/* True when the unit merged into a successor during the year. */
static bool merged_in(const struct config_unit *u, int year)
{
    return u->successor && u->valid_to.year == year;
}

/* True when the unit is expected to report for the year (facts.h). */
static bool expected_in(const struct config_unit *u, int year)
{
    return u->kind != CONFIG_PROVIDER && config_unit_active_in_year(u, year) && !merged_in(u, year);
}

/* True when the unit has a source of the year that was not rejected. */
static bool sent(const results *res, const struct config_unit *u, int year)
{
    for (size_t i = 0; i < res->nsources; i++) {
        const source_file *s = &res->sources[i];
        if (s->year == year && s->status != SRC_REJECTED && s->unit && strcmp(s->unit, u->code) == 0)
            return true;
    }
    return false;
}

void charts_coverage_of(const struct config *cfg, const results *res, int year, charts_coverage *out)
{
    memset(out, 0, sizeof *out);
    out->year = year;
    for (size_t i = 0; i < cfg->n_units; i++) {
        const struct config_unit *u = &cfg->units[i];
        if (!expected_in(u, year)) continue;
        out->expected++;
        out->reported += sent(res, u, year);
    }
}

void charts_coverage_text(const charts_coverage *c, char *out, size_t n)
{
    snprintf(out, n, "dựa trên báo cáo của %zu/%zu đơn vị (năm %d)", c->reported, c->expected, c->year);
}

/* ---- rankings ------------------------------------------------------------- */

const char *charts_reason_text(charts_reason r)
{
    switch (r) {
    case CHARTS_MERGED: return "đã sáp nhập";
    case CHARTS_NOT_SENT: return "chưa gửi báo cáo";
    case CHARTS_TABLE_MISSING: return "thiếu biểu";
    case CHARTS_FIGURE_MISSING: return "thiếu số liệu trong biểu";
    case CHARTS_HAS_FIGURE: break;
    }
    return "";
}

/* True when the indicator's group, or a whole it is a part of, is required
 * of the unit. */
static bool applies(const struct config_group *g, const struct config_unit *u)
{
    for (; g; g = g->part_of)
        if (config_group_required_of(g, u)) return true;
    return false;
}

/* The unit's attainment row for ind and year, or NULL. */
static const attainment_row *unit_row(const attainment *att, const struct config_indicator *ind, int year,
                                      const struct config_unit *u)
{
    for (size_t i = 0; i < att->n; i++) {
        const attainment_row *r = &att->rows[i];
        if (r->ind == ind && r->year == year && r->scope == SCOPE_UNIT && strcmp(r->unit, u->code) == 0)
            return r;
    }
    return NULL;
}

/* Why a unit that is not merged has no ratio. */
static charts_reason reason_of(const results *res, const fig_index *fig, const struct config_indicator *ind,
                               int year, const struct config_unit *u)
{
    if (!sent(res, u, year)) return CHARTS_NOT_SENT;
    const struct config_table *t = ind->denominator.metric ? ind->denominator.metric->table : NULL;
    if (t && !fig_reported(fig, u, year, t)) return CHARTS_TABLE_MISSING;
    for (size_t k = 0; k < ind->n_numerator; k++) {
        const struct config_metric *m = ind->numerator[k].metric;
        if (m && m->table && !fig_reported(fig, u, year, m->table)) return CHARTS_TABLE_MISSING;
    }
    return CHARTS_FIGURE_MISSING;
}

/* Ranked units: with a ratio, highest first, ties by code; then by name. */
static int rank_cmp(const void *pa, const void *pb)
{
    const charts_rank_row *a = pa, *b = pb;
    if (a->has_ratio != b->has_ratio) return a->has_ratio ? -1 : 1;
    if (a->has_ratio && a->ratio != b->ratio) return a->ratio > b->ratio ? -1 : 1;
    if (!a->has_ratio) {
        int c = strcmp(a->unit->name ? a->unit->name : "", b->unit->name ? b->unit->name : "");
        if (c) return c;
    }
    return strcmp(a->unit->code, b->unit->code);
}

int charts_ranking(const struct config *cfg, const results *res, const fig_index *fig,
                   const attainment *att, const struct config_indicator *ind, int year,
                   charts_rank_row **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    size_t cap = cfg->n_units ? cfg->n_units : 1;
    charts_rank_row *main_rows = calloc(cap, sizeof *main_rows);
    charts_rank_row *merged = calloc(cap, sizeof *merged);
    charts_rank_row *out = calloc(cap, sizeof *out);
    if (!main_rows || !merged || !out) {
        free(main_rows);
        free(merged);
        free(out);
        return -1;
    }
    size_t nm = 0, nmerged = 0;
    for (size_t i = 0; i < cfg->n_units; i++) {
        const struct config_unit *u = &cfg->units[i];
        if (u->kind == CONFIG_PROVIDER || !config_unit_active_in_year(u, year)) continue;
        const attainment_row *r = unit_row(att, ind, year, u);
        bool has = r && r->has_ratio;
        if (!has && !applies(ind->group, u)) continue;
        charts_rank_row row = {u, NULL, has, has ? r->ratio : 0, has ? r->status : ATT_NO_DATA,
                               CHARTS_HAS_FIGURE};
        if (merged_in(u, year)) {
            row.under = config_unit_final(u);
            if (!has) row.reason = CHARTS_MERGED;
            merged[nmerged++] = row;
            continue;
        }
        if (!has) row.reason = reason_of(res, fig, ind, year, u);
        main_rows[nm++] = row;
    }
    qsort(main_rows, nm, sizeof *main_rows, rank_cmp);
    /* Merged units under their successor (in the registry's order). */
    size_t k = 0;
    bool *placed = calloc(nmerged ? nmerged : 1, sizeof *placed);
    if (!placed) {
        free(main_rows);
        free(merged);
        free(out);
        return -1;
    }
    for (size_t i = 0; i < nm; i++) {
        out[k++] = main_rows[i];
        for (size_t j = 0; j < nmerged; j++) {
            if (merged[j].under != main_rows[i].unit) continue;
            out[k++] = merged[j];
            placed[j] = true;
        }
    }
    for (size_t j = 0; j < nmerged; j++)
        if (!placed[j]) out[k++] = merged[j];
    free(placed);
    free(main_rows);
    free(merged);
    if (k == 0) {
        free(out);
        return 0;
    }
    *rows = out;
    *n = k;
    return 0;
}

/* ---- text ------------------------------------------------------------------ */

void charts_pct_text(double ratio, char out[24])
{
    double v = round(ratio * 1000.0) / 10.0;
    if (!isfinite(v) || fabs(v) > 1e9) v = 0;
    if (v == 0) v = 0;                              /* no "-0,0" */
    snprintf(out, 24, "%.1f %%", v);
    char *dot = strchr(out, '.');
    if (dot) *dot = ',';
}

void charts_date_text(char out[16])
{
    time_t now = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde) {
        char *end;
        long long v = strtoll(sde, &end, 10);
        if (*end == '\0' && v >= 0) now = (time_t)v;
    }
    struct tm tmv;
    if (sde && *sde ? gmtime_r(&now, &tmv) : localtime_r(&now, &tmv))
        strftime(out, 16, "%d/%m/%Y", &tmv);
    else
        snprintf(out, 16, "?");
}
