/* pipeline/planvs.c — plan against results (see planvs.h). */
#include "pipeline/planvs.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "pipeline/figures.h"

void planvs_free(planvs *p)
{
    free(p->rows);
    free(p->totals);
    memset(p, 0, sizeof *p);
}

static planvs_row *row_of(planvs *p, int year, const struct config_unit *u, const struct config_metric *m,
                          const struct config_group *g)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->rows[i].year == year && p->rows[i].unit == u && p->rows[i].metric == m && p->rows[i].group == g)
            return &p->rows[i];
    if (!buf_grow_array((void **)&p->rows, &p->cap, p->n + 1, sizeof *p->rows)) {
        p->oom = true;
        return NULL;
    }
    p->rows[p->n] = (planvs_row){year, u, m, g, 0, 0, false};
    return &p->rows[p->n++];
}

static int row_cmp(const void *a, const void *b)
{
    const planvs_row *x = a, *y = b;
    if (x->year != y->year) return x->year < y->year ? -1 : 1;
    if (x->unit->index != y->unit->index) return x->unit->index < y->unit->index ? -1 : 1;
    if (x->metric->index != y->metric->index) return x->metric->index < y->metric->index ? -1 : 1;
    return (x->group->index > y->group->index) - (x->group->index < y->group->index);
}

static planvs_total *total_of(planvs *p, int year, const struct config_unit *u)
{
    for (size_t i = 0; i < p->ntotals; i++)
        if (p->totals[i].year == year && p->totals[i].unit == u) return &p->totals[i];
    if (!buf_grow_array((void **)&p->totals, &p->captotals, p->ntotals + 1, sizeof *p->totals)) {
        p->oom = true;
        return NULL;
    }
    p->totals[p->ntotals] = (planvs_total){.year = year, .unit = u};
    return &p->totals[p->ntotals++];
}

/* Units' and the province's totals (rows already sorted). */
static void totals(planvs *p, const struct config_table *t, const fig_index *ix)
{
    for (size_t i = 0; i < p->n && !p->oom; i++) {
        const planvs_row *r = &p->rows[i];
        planvs_total *u = total_of(p, r->year, r->unit);
        if (!u) return;
        u->reported = fig_reported(ix, r->unit, r->year, t);
        u->planned_all += r->planned;
        if (r->has_trained) {
            u->planned += r->planned;
            u->trained += r->trained;
        }
    }
    size_t nunits = p->ntotals;
    for (size_t i = 0; i < nunits && !p->oom; i++) {
        planvs_total u = p->totals[i];
        planvs_total *prov = total_of(p, u.year, NULL);
        if (!prov) return;
        prov->planned_all += u.planned_all;
        if (u.reported) {
            prov->reported = true;
            prov->planned += u.planned;
            prov->trained += u.trained;
        }
    }
    for (size_t i = 0; i < p->ntotals; i++) {
        planvs_total *u = &p->totals[i];
        u->behind = u->reported && u->planned > 0 && u->trained < p->threshold * u->planned - 1e-9;
    }
}

int planvs_compute(const struct config *cfg, const plan_set *ps, const results *res, planvs *out)
{
    memset(out, 0, sizeof *out);
    out->threshold = cfg->checks.plan_done;
    if (!config_metric(cfg, "tr_law") || !ps) return 0;
    fig_index *ix = fig_build(cfg, res);
    if (!ix) return -1;
    int rc = planvs_compute_fig(cfg, ps, ix, out);
    fig_free(ix);
    return rc;
}

int planvs_compute_fig(const struct config *cfg, const plan_set *ps, const fig_index *ix, planvs *out)
{
    memset(out, 0, sizeof *out);
    out->threshold = cfg->checks.plan_done;
    const struct config_metric *law = config_metric(cfg, "tr_law");
    if (!law || !ps) return 0;
    for (size_t i = 0; i < ps->n && !out->oom; i++) {
        const plan_class *k = &ps->cls[i];
        const struct config_unit *u = k->unit ? config_unit(cfg, k->unit) : NULL;
        if (k->superseded || !u || !k->metric || !k->group) continue;
        planvs_row *r = row_of(out, k->year, u, k->metric, k->group);
        if (r) r->planned += k->count;
    }
    for (size_t i = 0; i < out->n; i++) {
        planvs_row *r = &out->rows[i];
        r->has_trained = fig_group_value(ix, r->unit, r->year, r->group, r->metric, "all", &r->trained);
    }
    if (out->n) qsort(out->rows, out->n, sizeof *out->rows, row_cmp);
    totals(out, law->table, ix);
    return out->oom ? -1 : 0;
}
