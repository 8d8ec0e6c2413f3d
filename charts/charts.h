/*
 * charts/charts.h — the charts for the province's leadership (DESIGN §8,
 * issue 6): in one glance, which targets of the plan are met, which are
 * behind, and which units lag.
 *
 * Charts, each drawn as outdir/charts/NAME.png and NAME.svg, and all of them
 * as the pages of outdir/charts/bieu-do.pdf (A4 landscape, one per chart),
 * in this order — what leadership needs first (DESIGN §8):
 *   tom-tat       the cover: for the latest year with a province ratio, each
 *                 indicator's ratio, target and status, the count per status
 *                 with the indicators in it, the date of the run and the
 *                 coverage "dựa trên báo cáo của 28/33 đơn vị (năm 2025)"
 *                 (charts/facts.h).
 *   tong-quan     every indicator as a small multiple on one page; every
 *                 panel spans the run's years (--years too), a trajectory to
 *                 a later deadline is cut there.
 *   tNN           one per indicator: the province's ratio per year, with its
 *                 value, the target as a line labelled in the margin, for
 *                 by-deadline indicators the trajectory to the target (named
 *                 in the key), and each year's status as a marker (green
 *                 met, red not met, amber on track, orange behind — shape
 *                 and colour); a year without data is a grey column with
 *                 the words, never a marker on 0 %. Value labels never sit
 *                 on the target line or the trajectory.
 *   xep-hang-tNN  for every indicator with unit figures: the units it
 *                 applies to, ranked by their ratio in the latest year with
 *                 unit figures, coloured by their status (annual: against
 *                 the target; by-deadline: the deadline year against the
 *                 target, earlier years against the unit's own trajectory,
 *                 the province's trajectory value drawn as a line); merged
 *                 units under their successor; each unit without a figure
 *                 says why (facts.h: chưa gửi báo cáo, thiếu biểu, thiếu số
 *                 liệu trong biểu, đã sáp nhập). The target line is drawn in
 *                 front of the bars.
 *   kinh-phi      funding (Biểu 03) spent per year, stacked by source (the
 *                 parts of the configuration's total breakdown), with the
 *                 planned total and the share of it spent, in million VND.
 * Percentages have one format everywhere: "88,3 %" (charts_pct_text). The
 * status words are the configuration's (config_status_word).
 * File names are ASCII slugs of indicator ids; chart text is Vietnamese;
 * every text not fixed here (labels, wordings, unit names, status words)
 * goes through charts/labels.h, and data blocks carry only numbers and text
 * of this file.
 *
 * Dependencies (DESIGN §2): the result types (results, attainment), the
 * configuration, and pipeline/figures.h for which records count (the one
 * rule of the indicators and the workbook); gnuplot through
 * charts/gnuplot.h (one process). The charts are written by chart_trend.c
 * and chart_units.c and drawn by charts.c (charts/chart_private.h says
 * what each file holds).
 *
 * Findings: a missing gnuplot is one `charts_unavailable` warning and
 * nothing else happens; anything gnuplot reports while drawing a chart is a
 * `charts_error` warning naming the chart and file (warnings: the data are
 * not at fault, so the run's exit status does not change). Funding figures
 * are pipeline/figures.h's (fig_cell of the funding group): they count
 * exactly as the indicators' and the consolidated Biểu 03's.
 *
 * Ownership: charts_render() reads cfg and att, adds findings to res, and
 * keeps nothing after it returns.
 */
#ifndef DTBD_CHARTS_CHARTS_H
#define DTBD_CHARTS_CHARTS_H

#include "config/config.h"
#include "pipeline/indicators.h"
#include "pipeline/planvs.h"
#include "pipeline/results.h"

/* Draw every chart into outdir/charts/ (PNG and SVG each) and bieu-do.pdf
 * with all of them. Errors become findings in res (rule charts_error /
 * charts_unavailable). Returns the number of charts drawn (both files
 * written, nothing reported by gnuplot for them). */
int charts_render(const char *outdir, const struct config *cfg, results *res, const attainment *att);

/* charts_render() and, when pv holds plans held against results (DESIGN
 * §10), the chart "thuc-hien-ke-hoach": for the latest year with both, the
 * province's persons planned and trained per Biểu 02 content (clustered
 * bars, the share done above each content), last in bieu-do.pdf. */
int charts_render_plan(const char *outdir, const struct config *cfg, results *res, const attainment *att,
                       const planvs *pv);

#endif
