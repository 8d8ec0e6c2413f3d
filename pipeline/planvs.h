/*
 * pipeline/planvs.h — plan against results (DESIGN §10 "Plan against
 * results"): for each year that has both units' plans and their Biểu 02
 * reports, the persons each unit planned and trained per content and group.
 *
 *  - Planned: Σ the `all` count of the unit's accepted (not superseded)
 *    classes of that year with a Biểu 02 content and a group (classes of
 *    "other" content or group are left out: there is no trained figure to
 *    hold them against).
 *  - Trained: the unit's Biểu 02 figure for that group and content, breakdown
 *    all, as the province adds it (pipeline/figures.h: its own row, else the
 *    sum of its parts); missing when the unit sent no Biểu 02 that year or
 *    the cell is missing.
 *  - A unit's share: Σ trained / Σ planned over its rows with a trained
 *    figure (the rows it planned); below checks.plan_done (80 % in the
 *    default configuration) it is listed as behind its plan. Province totals:
 *    Σ over the units that reported, per year and per content.
 *
 * Rows are sorted by year, unit, content (config order), group (config order).
 *
 * Ownership: a planvs owns its arrays (planvs_free); its strings point into
 * the config and the plan set, which must outlive it.
 */
#ifndef DTBD_PIPELINE_PLANVS_H
#define DTBD_PIPELINE_PLANVS_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "pipeline/figures.h"
#include "pipeline/planres.h"
#include "pipeline/results.h"

typedef struct {
    int year;
    const struct config_unit *unit;
    const struct config_metric *metric;
    const struct config_group *group;
    double planned;
    double trained;
    bool has_trained;
} planvs_row;

/* One unit's (or, unit NULL, the province's) totals of a year. */
typedef struct {
    int year;
    const struct config_unit *unit;       /* NULL: the province                 */
    double planned, trained;              /* over the rows with a trained figure */
    double planned_all;                   /* every planned row                   */
    bool reported;                        /* the unit sent a Biểu 02 that year   */
    bool behind;                          /* share below checks.plan_done       */
} planvs_total;

typedef struct {
    planvs_row *rows;
    size_t n, cap;
    planvs_total *totals;                 /* units, then the province, per year  */
    size_t ntotals, captotals;
    double threshold;                     /* checks.plan_done                    */
    bool oom;
} planvs;

/* Compute from the accepted plans of ps and the counted records of res.
 * Returns 0, or -1 on out of memory (out is then freeable). */
int planvs_compute(const struct config *cfg, const plan_set *ps, const results *res, planvs *out);

/* planvs_compute() over the figures ix a caller built once for the run. */
int planvs_compute_fig(const struct config *cfg, const plan_set *ps, const fig_index *ix, planvs *out);
void planvs_free(planvs *p);

#endif
