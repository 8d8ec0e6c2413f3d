/*
 * charts/facts.h — what the charts state, computed without gnuplot (so the
 * tests check it directly): the coverage of a year, the units ranked for an
 * indicator with the reason for each missing figure, and the one number
 * format of percentages (DESIGN §8).
 *
 * Coverage of a year (the cover page: "dựa trên báo cáo của 28/33 đơn vị"):
 *   expected — the units of the registry that are not providers (providers'
 *              figures are never added), existed on at least one day of the
 *              year, and did not merge into a successor that year (the
 *              successor's report covers them, DESIGN §5.2): in 2025 the 18
 *              agencies left after the reorganization and the 15 districts;
 *   reported — those of them with a source of that year that was not
 *              rejected (accepted, or superseded by a newer one).
 *
 * A ranking (charts_ranking) of an indicator in a year lists:
 *   - every unit the indicator applies to that existed that year: its group
 *     (or a group it is a part of: cc_xa ⊂ cbcc_xa) is required of the unit
 *     (config_group_required_of: by kind or by name — T06, a commune-level
 *     target, lists the districts, not the agencies), and any other unit
 *     that has a figure for it;
 *   - providers never;
 *   - a unit merged that year (valid_to in the year, with a successor)
 *     right under its final successor (config_unit_final), after the ranked
 *     units when the successor is not listed.
 * Order: units with a ratio, highest first (ties by code), then the units
 * without one by name; merged units under their successor. Each row's
 * status is the unit's attainment row's (annual: against the target;
 * by-deadline: against the unit's own trajectory before the deadline).
 * Why a unit has no ratio (charts_reason):
 *   MERGED         merged that year: its figures are in its successor's
 *                  report ("đã sáp nhập");
 *   NOT_SENT       no source of the unit that year, or all rejected
 *                  ("chưa gửi báo cáo");
 *   TABLE_MISSING  it reported, but none of its figures of a table the
 *                  indicator needs counts ("thiếu biểu", fig_reported);
 *   FIGURE_MISSING the tables are there but the group's row or column, or a
 *                  denominator above 0, is not ("thiếu số liệu trong biểu").
 * Which records count is pipeline/figures.h's (fig_record_counts,
 * fig_reported): one rule for the indicators, the workbook and the charts.
 *
 * Ownership: rows point into cfg; the caller frees the array with free().
 */
#ifndef DTBD_CHARTS_FACTS_H
#define DTBD_CHARTS_FACTS_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"
#include "pipeline/figures.h"
#include "pipeline/indicators.h"
#include "pipeline/results.h"

typedef struct {
    int year;
    size_t reported, expected;
} charts_coverage;

/* The coverage of a year (the rule above). */
void charts_coverage_of(const struct config *cfg, const results *res, int year, charts_coverage *out);

/* "dựa trên báo cáo của 28/33 đơn vị (năm 2025)". */
void charts_coverage_text(const charts_coverage *c, char *out, size_t n);

typedef enum {
    CHARTS_HAS_FIGURE,
    CHARTS_MERGED,
    CHARTS_NOT_SENT,
    CHARTS_TABLE_MISSING,
    CHARTS_FIGURE_MISSING
} charts_reason;

/* The words of a reason ("" for HAS_FIGURE): "đã sáp nhập", "chưa gửi báo
 * cáo", "thiếu biểu", "thiếu số liệu trong biểu". */
const char *charts_reason_text(charts_reason r);

typedef struct {
    const struct config_unit *unit;
    const struct config_unit *under;   /* merged: the successor it is listed under */
    bool has_ratio;
    double ratio;
    att_status status;                 /* NO_DATA without a ratio */
    charts_reason reason;
} charts_rank_row;

/* The ranking of ind in year (the rules above) into *rows (malloc'd, n
 * rows; NULL and 0 when no unit is listed). fig: the index of res's counted
 * records (fig_build). Returns 0, or -1 on out of memory. */
int charts_ranking(const struct config *cfg, const results *res, const fig_index *fig,
                   const attainment *att, const struct config_indicator *ind, int year,
                   charts_rank_row **rows, size_t *n);

/* A ratio as a percentage, the one format of every chart: one decimal, a
 * decimal comma and a space before the sign: "88,3 %", "100,0 %". */
void charts_pct_text(double ratio, char out[24]);

/* The date of the run for the cover, "27/11/2026": SOURCE_DATE_EPOCH when
 * set (reproducible builds and tests), else now, local time. */
void charts_date_text(char out[16]);

#endif
