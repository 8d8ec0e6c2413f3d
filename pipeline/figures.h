/*
 * pipeline/figures.h — a unit's figures as the province adds them (DESIGN
 * §5.1 "A group's figures are its own rows or … the sum of the parts", §5.2,
 * §6 "Semantics the numbers depend on"). The one implementation of the rule;
 * its users are the indicator engine (pipeline/indicators.c: numerators and
 * denominators) and the consolidated Biểu 01/02/03 sheets of tong-hop.xlsx
 * (output/tonghop.c: Σ over the units of each unit's figure), so the
 * province row of attainment.csv and the consolidated table agree on every
 * group, metric and year (tests/e2e/workbook.t.sh checks it on the corpus).
 *
 * Counted records (fig_record_counts): not superseded, not rejected, not
 * excluded (a merged unit's report when its successor also reported;
 * validation decides), of a unit in the registry whose kind is not
 * `provider` (providers' figures are never added, whatever validation
 * marked — DESIGN §5.2), with a group and a metric of the config (not
 * `unmapped`), in the plan's years. Recognition rejects a file whose year is
 * outside the plan (year_outside_plan), so the year rule only guards records
 * made otherwise.
 *
 * The index keeps the rejected records that pass every other rule too: they
 * show that their row is present (a rejected cell in a present row is
 * missing — no fallback to the parts).
 *
 * A group's figure for a unit, year, metric and breakdown
 * (fig_group_value):
 *   - the group's own row is present when the unit has any record (counted
 *     or rejected) of that group in the metric's table that year: the
 *     figure is that row's cell (fig_cell) — missing when the cell was
 *     rejected or the row has no such column;
 *   - else the sum of the figures of its config parts that have figures
 *     (a part has figures when its own row, or a part's, recursively, is
 *     present): missing when any of those is missing;
 *   - else (no row of the group nor of any part) missing.
 * Subsets (vc_ql ⊂ vc) are their own rows and never added to the whole. Two
 * usable records for one cell (validation should have superseded one of
 * them) never add up: the first in record order counts. The table of a
 * record is its metric's table in the config.
 *
 * Ownership: fig_build() returns an index the caller frees with fig_free();
 * it points into cfg (units, groups, metrics) and into res (breakdown
 * strings): it must not outlive either. cfg and res are only read. Lookups
 * never allocate.
 */
#ifndef DTBD_PIPELINE_FIGURES_H
#define DTBD_PIPELINE_FIGURES_H

#include <stdbool.h>

#include "config/config.h"
#include "pipeline/results.h"

typedef struct fig_index fig_index;

/* True when the record counts (the rules above): the records the indicators
 * and the consolidated tables add, and the ones tong-hop.xlsx marks "Có" in
 * its Dữ liệu sheet. */
bool fig_record_counts(const struct config *cfg, const record *r);

/* The index of res's counted records (and the rejected ones that would
 * count but for their rejection). NULL on out of memory. */
fig_index *fig_build(const struct config *cfg, const results *res);

void fig_free(fig_index *ix);

/* The group's figure (the rule above) into *out; false when missing.
 * breakdown: a breakdown code ("all", "female", a funding source). */
bool fig_group_value(const fig_index *ix, const struct config_unit *u, int year,
                     const struct config_group *g, const struct config_metric *m,
                     const char *breakdown, double *out);

/* One cell of a row, the parts never looked at: the counted value of the
 * unit's (group, metric, breakdown) that year; false when there is none or
 * it was rejected. For tables whose rows are metrics (Biểu 03: the group is
 * the table's one group, `funding`). */
bool fig_cell(const fig_index *ix, const struct config_unit *u, int year,
              const struct config_group *g, const struct config_metric *m,
              const char *breakdown, double *out);

/* True when the unit has a counted (not rejected) figure of table t that
 * year — it reported the table and some of it counts. */
bool fig_reported(const fig_index *ix, const struct config_unit *u, int year,
                  const struct config_table *t);

#endif
