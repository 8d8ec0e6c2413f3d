/*
 * pipeline/planres.h — the result types of the annual plans (DESIGN §10):
 * the planned classes of a run with their provenance, and the run's sources
 * and findings. What output/ may see of the plans (pipeline/plan.h, which
 * reads workbooks, stays out of its reach).
 *
 * Ownership: a plan_set owns its results (sources, findings, strings in its
 * arena) and its array of classes; plan_set_free() releases all. A class's
 * metric, group, provider unit and source point into the configuration.
 */
#ifndef DTBD_PIPELINE_PLANRES_H
#define DTBD_PIPELINE_PLANRES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "pipeline/results.h"

#define PLAN_NO_COL UINT32_MAX

/* One planned class (one row of a plan's list table). */
typedef struct {
    uint32_t src;                         /* index into plan_set.res.sources      */
    const char *unit;                     /* unit code                            */
    int year;                             /* the year planned                     */
    const char *sheet;
    uint32_t row;                         /* 0-based row of the class             */
    const char *content;                  /* as written (trimmed), "" none        */
    const char *group_text;               /* đối tượng as written, "" none        */
    const struct config_metric *metric;   /* NULL: other                          */
    const struct config_group *group;     /* NULL: other                          */
    double count, female, ethnic;
    bool has_female, has_ethnic;
    uint32_t count_col, female_col, ethnic_col; /* PLAN_NO_COL: no such column    */
    uint32_t content_col, group_col, provider_col, cost_col; /* for findings'
                                             cells; group_col PLAN_NO_COL when
                                             the group came from the content  */
    int quarter;                          /* 1–4, 0 not given                     */
    int place;                            /* enum config_place, -1 not given      */
    const char *provider;                 /* unit code or text as written, "" none */
    const struct config_unit *provider_unit; /* NULL when the text names no unit   */
    double cost;
    bool has_cost;
    const struct config_breakdown *source; /* NULL: none                          */
    bool superseded;                      /* a later plan of the unit replaced it */
} plan_class;

typedef struct {
    results res;                          /* sources, findings                    */
    plan_class *cls;
    size_t n, cap;
} plan_set;


void plan_set_init(plan_set *ps);
void plan_set_free(plan_set *ps);

/* Append part's sources, findings and classes to into (indices shifted,
 * strings copied; part unchanged): a run's reading threads fill one part per
 * file and the run merges them in the input order. False on out of memory
 * (into->res.oom). */
bool plan_set_merge(plan_set *into, const plan_set *part);

#endif
