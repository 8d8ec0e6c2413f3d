/*
 * pipeline/indicators.h — the indicator engine (DESIGN §5.1, §6, §7): how far
 * each group is from the targets of the plan, per indicator, year and scope
 * (the province, each kind of unit, each unit), written to attainment.csv.
 *
 * Everything about an indicator (id, group, numerator metrics, denominator,
 * kind, target, first year, deadline) comes from the config: a 14th
 * indicator is a config change, not a code change.
 *
 * Counting rules (the generated corpus' truth follows them exactly, see
 * tests/corpus/README.md "Attainment"):
 *   - Counted records and a group's figure for a unit, year, metric and
 *     breakdown are pipeline/figures.h's (fig_record_counts,
 *     fig_group_value), the rule the consolidated tables of tong-hop.xlsx
 *     share: not superseded, not rejected, not excluded (a merged unit's
 *     report when its successor also reported; validation decides), of a
 *     unit in the registry whose kind is not `provider` (providers' figures
 *     are never added, whatever validation marked), in the plan's years; the
 *     figure is the cell of the group's own row when that row is present in
 *     the metric's table (missing when that cell was rejected or the column
 *     is absent); else the sum of the parts that have figures, recursively
 *     (missing when any of them is missing); else missing. Subsets (vc_ql ⊂
 *     vc) are their own rows and never added to the whole. Two usable
 *     records for one cell never add up: the first in record order counts.
 *   - A numerator of several metrics (T04) is missing when any one is.
 *   - A unit counts for an indicator and year when it has both numerator and
 *     denominator; a scope's figures are Σ numerator / Σ denominator over
 *     the units in it that count — never an average of ratios.
 *   - Rows: for each indicator, each year from max(plan's first year, the
 *     indicator's first_year) to the plan's last year (within year_from ..
 *     year_to when given): `province` (unit ""), `kind` (unit "agency",
 *     "district" — every kind but provider), and `unit` for every unit that
 *     is active that year (existed on ≥ 1 day) or counted that year.
 *   - No unit counts → has_sums false, no ratio, no_data. Σ denominator = 0
 *     → sums (0) written, no ratio, no_data. Never a 0 %.
 *   - annual, rolling, and by_deadline from its deadline year on: met when
 *     numerator ≥ target × denominator, else not_met.
 *   - by_deadline before the deadline: y0 = the scope's first year (from the
 *     indicator's first year, whatever the output range) with a denominator
 *     > 0; line(y) = r0 + (target − r0) × (y − y0) / (deadline − y0);
 *     on_track when ratio ≥ line(y) — so always in y0 — else behind.
 *     Per-unit trends follow a unit into its successor: a unit created by a
 *     merger (not active in its predecessors' first year with a denominator
 *     > 0) takes y0 and r0 from that year, the predecessors' figures summed.
 *     A unit that existed then keeps its own series, even when its first
 *     years lack figures (the truth: a successor's series continues its own;
 *     the absorbed staff are not modelled).
 *   - Exactness: the comparisons are done on integers when the sums are
 *     integers (they are counts of persons) and the target is a decimal of
 *     at most 9 places (0.8 = 8/10): numerator × q ≥ p × denominator with
 *     overflow-checked 64-bit products, so a ratio exactly on the target is
 *     met. Anything else (fractional sums, huge figures) falls back to long
 *     double.
 *
 * Ownership: indicators_compute() fills an attainment the caller owns and
 * frees with attainment_free(). Rows point into the config (the indicator,
 * a unit's code) and into static strings: they must not outlive the config.
 * The results are only read.
 */
#ifndef DTBD_PIPELINE_INDICATORS_H
#define DTBD_PIPELINE_INDICATORS_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "pipeline/figures.h"
#include "pipeline/results.h"

typedef enum { ATT_MET, ATT_NOT_MET, ATT_ON_TRACK, ATT_BEHIND, ATT_NO_DATA } att_status;

/* "met", "not_met", "on_track", "behind", "no_data" (as in attainment.csv). */
const char *att_status_name(att_status s);

typedef enum { SCOPE_PROVINCE, SCOPE_KIND, SCOPE_UNIT } att_scope;

/* "province", "kind", "unit" (as in attainment.csv). */
const char *att_scope_name(att_scope s);

typedef struct {
    const struct config_indicator *ind;
    int year;
    att_scope scope;
    const char *unit;          /* "" province; "agency"/"district" for kind; the unit code */
    bool has_sums;             /* false → numerator/denominator written empty */
    double numerator, denominator;
    bool has_ratio;            /* false when no sums or Σ denominator = 0      */
    double ratio;
    double target;
    att_status status;
} attainment_row;

typedef struct {
    attainment_row *rows;
    size_t n, cap;
    const struct config *cfg;  /* the config it was computed with (its status
                                  words); NULL for one made by hand          */
} attainment;

/* All indicators of cfg, for each year they apply to (within year_from ..
 * year_to; 0 = the plan's years), for the scopes province, kind (every kind
 * but provider) and unit, counting only records that are not superseded,
 * rejected or excluded. Rows are ordered by indicator (config order), then
 * province, kinds, units by code, each by year. out is initialized here.
 * Returns 0, or -1 on out of memory (out is then empty). */
int indicators_compute(const struct config *cfg, const results *res, int year_from, int year_to,
                       attainment *out);

/* indicators_compute() over the figures ix a caller built once for the run
 * (pipeline/figures.h, from the same results). */
int indicators_compute_fig(const struct config *cfg, const fig_index *ix, int year_from, int year_to,
                           attainment *out);

void attainment_free(attainment *a);

/* The ratio as attainment.csv writes it: the exact fraction numerator /
 * denominator rounded half-even to 6 decimals, trailing zeros dropped
 * ("0.8125", "0.636364", "1"); "" when the row has no ratio. out needs 32
 * bytes. */
void indicators_ratio_text(const attainment_row *r, char out[32]);

/* Province-scope rows of one year by status; any pointer may be NULL.
 * on_track and no_data are not counted (indicators_summary_text names
 * every status). */
void indicators_summary(const attainment *a, int year, size_t *met, size_t *not_met,
                        size_t *behind);

/* The run's summary of one year's province rows, every status named with
 * the configuration's words (config_status_word, of a->cfg) and the
 * indicators in it, in status order, statuses with none left out:
 * "7 Đạt (T01, T02, …); 5 Không đạt (T04, …); 1 Đúng lộ trình (T13)".
 * "" when the year has no province row. Cut to fit n bytes. */
void indicators_summary_text(const attainment *a, int year, char *out, size_t n);

#endif
