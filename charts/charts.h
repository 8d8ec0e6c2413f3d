/*
 * charts/charts.h — the charts for the province's leadership (DESIGN §8,
 * issue 6): in one glance, which targets of the plan are met, which are
 * behind, and which units lag.
 *
 * Charts, each drawn as outdir/charts/NAME.png and NAME.svg, and all of them
 * as the pages of outdir/charts/bieu-do.pdf (A4 landscape, one per chart):
 *   tNN           one per indicator: the province's ratio per year, with its
 *                 value, the target as a labelled line, for by-deadline
 *                 indicators the trajectory to the target, and each year's
 *                 status as a marker (green met, red not met, amber on
 *                 track, orange behind, grey no data — shape and colour).
 *   tong-quan     every indicator as a small multiple on one page.
 *   xep-hang-tNN  for annual indicators: the units ranked by their ratio in
 *                 the latest year with unit figures, against the target
 *                 (below the target in red).
 *   kinh-phi      funding (Biểu 03) spent per year, stacked by source, with
 *                 the planned total, in million VND.
 * File names are ASCII slugs of indicator ids; chart text is Vietnamese;
 * every text not fixed here (labels, wordings, unit names) goes through
 * charts/labels.h.
 *
 * Dependencies (DESIGN §2): the result types (results, attainment) and the
 * configuration only; gnuplot through charts/gnuplot.h (one process).
 *
 * Findings: a missing gnuplot is one `charts_unavailable` warning and
 * nothing else happens; anything gnuplot reports while drawing a chart is a
 * `charts_error` warning naming the chart and file (warnings: the data are
 * not at fault, so the run's exit status does not change). Funding figures
 * count like the indicators' (not superseded, rejected or excluded, not of
 * a provider).
 *
 * Ownership: charts_render() reads cfg and att, adds findings to res, and
 * keeps nothing after it returns.
 */
#ifndef DTBD_CHARTS_CHARTS_H
#define DTBD_CHARTS_CHARTS_H

#include "config/config.h"
#include "pipeline/indicators.h"
#include "pipeline/results.h"

/* Draw every chart into outdir/charts/ (PNG and SVG each) and bieu-do.pdf
 * with all of them. Errors become findings in res (rule charts_error /
 * charts_unavailable). Returns the number of charts drawn (both files
 * written, nothing reported by gnuplot for them). */
int charts_render(const char *outdir, const struct config *cfg, results *res, const attainment *att);

#endif
