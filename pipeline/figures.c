/* pipeline/figures.c — a unit's figures (see figures.h for the rule). */
#include "pipeline/figures.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One counted (or rejected) record, resolved against the config once. */
typedef struct {
    const struct config_unit *unit;
    const struct config_group *group;
    const struct config_metric *metric;
    const char *breakdown;
    double value;
    size_t order;              /* position in results: ties keep record order   */
    int year;
    bool rejected;
} entry;

struct fig_index {
    entry *e;
    size_t n;
    /* which tables each (unit, year, group) has a row in: bit t of
     * present[(unit * nyears + year - first_year) * ngroups + group], for the
     * first 8 tables (row_present asks it once per unit of every cell of the
     * consolidated forms) */
    uint8_t *present;
    const struct config_table *tables;
    size_t nyears, ngroups;
    int first_year;
};

/* ---- which records count --------------------------------------------------------- */

/* The rules of figures.h but rejection, on a record already resolved. */
static bool admitted(const struct config *cfg, const record *r, const struct config_unit *u,
                     const struct config_group *g, const struct config_metric *m)
{
    if (r->superseded || r->excluded) return false;
    if (r->year < cfg->plan.first_year || r->year > cfg->plan.last_year) return false;
    return u && u->kind != CONFIG_PROVIDER && g && m;     /* providers are never counted */
}

/* The record's entities, as results_add_record resolved them (NULL: none). */
#define UNIT_OF(cfg, r) ((r)->ui >= 0 ? &(cfg)->units[(r)->ui] : NULL)
#define GROUP_OF(cfg, r) ((r)->gi >= 0 ? &(cfg)->groups[(r)->gi] : NULL)
#define METRIC_OF(cfg, r) ((r)->mi >= 0 ? &(cfg)->metrics[(r)->mi] : NULL)

bool fig_record_counts(const struct config *cfg, const record *r)
{
    if (r->rejected) return false;
    return admitted(cfg, r, UNIT_OF(cfg, r), GROUP_OF(cfg, r), METRIC_OF(cfg, r));
}

/* ---- the index -------------------------------------------------------------------- */

/* Order by unit, year, group, metric, breakdown; usable values before
 * rejected ones; then record order. */
static int entry_cmp(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    if (a->unit->index != b->unit->index) return a->unit->index < b->unit->index ? -1 : 1;
    if (a->year != b->year) return a->year < b->year ? -1 : 1;
    if (a->group->index != b->group->index) return a->group->index < b->group->index ? -1 : 1;
    if (a->metric->index != b->metric->index) return a->metric->index < b->metric->index ? -1 : 1;
    int c = strcmp(a->breakdown, b->breakdown);
    if (c) return c;
    if (a->rejected != b->rejected) return a->rejected ? 1 : -1;
    return a->order < b->order ? -1 : a->order > b->order;
}

/* The present[] bits of ix (left NULL out of memory: row_present then scans). */
static void index_present(fig_index *ix, const struct config *cfg)
{
    if (cfg->plan.last_year < cfg->plan.first_year) return;
    ix->nyears = (size_t)(cfg->plan.last_year - cfg->plan.first_year + 1);
    ix->ngroups = cfg->n_groups;
    ix->first_year = cfg->plan.first_year;
    ix->tables = cfg->tables;
    ix->present = calloc(cfg->n_units * ix->nyears * ix->ngroups + 1, 1);
    for (size_t i = 0; ix->present && i < ix->n; i++) {
        const entry *e = &ix->e[i];
        size_t t = (size_t)(e->metric->table - cfg->tables);
        if (t < 8)
            ix->present[(e->unit->index * ix->nyears + (size_t)(e->year - ix->first_year)) * ix->ngroups +
                        e->group->index] |= (uint8_t)(1u << t);
    }
}

fig_index *fig_build(const struct config *cfg, const results *res)
{
    fig_index *ix = calloc(1, sizeof *ix);
    if (!ix) return NULL;
    if (res->nrecords == 0) return ix;
    ix->e = malloc(res->nrecords * sizeof *ix->e);
    if (!ix->e) {
        free(ix);
        return NULL;
    }
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        const struct config_unit *u = UNIT_OF(cfg, r);
        const struct config_group *g = GROUP_OF(cfg, r);
        const struct config_metric *m = METRIC_OF(cfg, r);
        if (!admitted(cfg, r, u, g, m)) continue;
        ix->e[ix->n++] = (entry){.unit = u, .group = g, .metric = m,
                                 .breakdown = r->breakdown ? r->breakdown : "",
                                 .value = r->value, .order = i, .year = r->year,
                                 .rejected = r->rejected};
    }
    qsort(ix->e, ix->n, sizeof *ix->e, entry_cmp);
    index_present(ix, cfg);
    return ix;
}

void fig_free(fig_index *ix)
{
    if (!ix) return;
    free(ix->e);
    free(ix->present);
    free(ix);
}

/* The search key: a NULL group (metric) compares before every group (metric),
 * so the key finds the first entry of a unit and year (of a row). */
typedef struct {
    const struct config_unit *unit;
    int year;
    const struct config_group *group;
    const struct config_metric *metric;
    const char *breakdown;
} ix_key;

/* entry vs key on (unit, year) and, as far as the key has them, (group,
 * metric, breakdown). */
static int key_cmp(const entry *e, const ix_key *k)
{
    if (e->unit->index != k->unit->index) return e->unit->index < k->unit->index ? -1 : 1;
    if (e->year != k->year) return e->year < k->year ? -1 : 1;
    if (!k->group) return 1;
    if (e->group->index != k->group->index) return e->group->index < k->group->index ? -1 : 1;
    if (!k->metric) return 1;
    if (e->metric->index != k->metric->index) return e->metric->index < k->metric->index ? -1 : 1;
    return strcmp(e->breakdown, k->breakdown);
}

/* First entry not below the key. */
static size_t lower_bound(const fig_index *ix, const ix_key *k)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (key_cmp(&ix->e[mid], k) < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* ---- a group's figure ------------------------------------------------------------- */

/* True when the group's own row is present in table t for the unit and year. */
static bool row_present(const fig_index *ix, const struct config_unit *u, int y,
                        const struct config_group *g, const struct config_table *t)
{
    size_t ti = ix->tables && t ? (size_t)(t - ix->tables) : 8;
    if (ix->present && ti < 8 && y >= ix->first_year && (size_t)(y - ix->first_year) < ix->nyears &&
        g->index < ix->ngroups)
        return ix->present[(u->index * ix->nyears + (size_t)(y - ix->first_year)) * ix->ngroups + g->index] &
               (1u << ti);
    ix_key k = {.unit = u, .year = y, .group = g};
    for (size_t i = lower_bound(ix, &k); i < ix->n; i++) {
        const entry *e = &ix->e[i];
        if (e->unit != u || e->year != y || e->group != g) break;
        if (e->metric->table == t) return true;
    }
    return false;
}

/* True when the group has figures in table t: its own row or a part's. */
static bool group_available(const fig_index *ix, const struct config_unit *u, int y,
                            const struct config_group *g, const struct config_table *t, int depth)
{
    if (row_present(ix, u, y, g, t)) return true;
    if (depth > 8) return false;              /* the config refuses cycles; parts nest little */
    for (size_t i = 0; i < g->n_parts; i++)
        if (group_available(ix, u, y, g->parts[i], t, depth + 1)) return true;
    return false;
}

bool fig_cell(const fig_index *ix, const struct config_unit *u, int year,
              const struct config_group *g, const struct config_metric *m,
              const char *breakdown, double *out)
{
    ix_key k = {.unit = u, .year = year, .group = g, .metric = m, .breakdown = breakdown};
    size_t i = lower_bound(ix, &k);
    /* usable values sort before rejected ones: the first decides */
    if (i < ix->n && key_cmp(&ix->e[i], &k) == 0 && !ix->e[i].rejected) {
        *out = ix->e[i].value;
        return true;
    }
    return false;                             /* rejected, or no such cell */
}

static bool group_value(const fig_index *ix, const struct config_unit *u, int y,
                        const struct config_group *g, const struct config_metric *m,
                        const char *bd, int depth, double *out)
{
    const struct config_table *t = m->table;
    if (row_present(ix, u, y, g, t)) return fig_cell(ix, u, y, g, m, bd, out);
    if (depth > 8) return false;
    double sum = 0;
    bool any = false;
    for (size_t i = 0; i < g->n_parts; i++) {
        const struct config_group *p = g->parts[i];
        if (!group_available(ix, u, y, p, t, depth + 1)) continue;
        double v;
        if (!group_value(ix, u, y, p, m, bd, depth + 1, &v)) return false;
        sum += v;
        any = true;
    }
    if (any) *out = sum;
    return any;
}

bool fig_group_value(const fig_index *ix, const struct config_unit *u, int year,
                     const struct config_group *g, const struct config_metric *m,
                     const char *breakdown, double *out)
{
    return group_value(ix, u, year, g, m, breakdown, 0, out);
}

bool fig_reported(const fig_index *ix, const struct config_unit *u, int year,
                  const struct config_table *t)
{
    ix_key k = {.unit = u, .year = year};
    for (size_t i = lower_bound(ix, &k); i < ix->n; i++) {
        const entry *e = &ix->e[i];
        if (e->unit != u || e->year != year) break;
        if (!e->rejected && e->metric->table == t) return true;
    }
    return false;
}
