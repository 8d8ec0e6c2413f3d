/*
 * charts/chart_private.h — what the files drawing the charts (charts.h)
 * share, and nobody else sees: the look (font, colours, one look per
 * status), the private types (a chart being written, the scope of a run)
 * and the shared helpers.
 *
 * The charts module is cut along its steps:
 *   chart_common.c  text helpers (numbers, quoted and wrapped labels,
 *                   titles), the province's row of an indicator, the look's
 *                   tables;
 *   chart_trend.c   the cover, the overview and one trend chart per
 *                   indicator (the province's ratio per year);
 *   chart_units.c   units ranked against the target, funding by source,
 *                   plan against results;
 *   charts.c        the list of charts, drawing them through gnuplot, the
 *                   public functions of charts.h.
 * Every chart_put_* function appends gnuplot commands to a chart's body;
 * the body is drawn after `reset` and the common settings (charts.c), once
 * per file (PNG, SVG, a page of bieu-do.pdf). Text not fixed here goes
 * through charts/labels.h; numbers through chart_put_num ("." decimal
 * point, LC_NUMERIC stays "C").
 *
 * Ownership: scope points to the caller's configuration, results and
 * attainment for the length of charts_render_plan(); a chart owns its body.
 */
#ifndef DTBD_CHARTS_CHART_PRIVATE_H
#define DTBD_CHARTS_CHART_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "charts/facts.h"
#include "config/config.h"
#include "pipeline/figures.h"
#include "pipeline/indicators.h"
#include "pipeline/planvs.h"
#include "pipeline/results.h"

/* ---- look ----------------------------------------------------------------- */

#define FONT "DejaVu Sans"
#define COLOUR_LINE "#1f4e79"     /* the province's series                      */
#define COLOUR_TARGET "#333333"   /* target lines and their labels              */
#define COLOUR_TRAJ "#7b3294"     /* the trajectory to a by-deadline target     */
#define COLOUR_MUTED "#555555"    /* subtitles                                  */
#define COLOUR_GRID "#dddddd"

/* One look per status, the same on every chart: colour and point type
 * (cairo: 7 ● 11 ▼ 9 ▲ 13 ◆ 6 ○ — shapes too, for colour-blind readers and
 * grey printers), indexed by att_status. The legend's words are the
 * configuration's (config_status_word). */
typedef struct {
    const char *colour;
    int pt;
} chart_look;
#define N_STATUS 5
extern const chart_look chart_status_look[N_STATUS];

/* Colours of the funding sources in stacking order (the sources are the
 * configuration's), and of the part of a unit's total no source accounts
 * for. */
#define N_FUND_COLOURS 8
extern const char *const chart_fund_colours[N_FUND_COLOURS];
#define COLOUR_UNSPLIT "#bdbdbd"

/* Unit names on the ranking are cut beyond this many characters. */
#define RANK_NAME_MAX 60

/* Pixel sizes of the PNG and SVG files; the PDF pages are A4 landscape. */
#define TREND_W 1200
#define TREND_H 720
#define OVERVIEW_W 1680
#define OVERVIEW_H 1188

/* ---- private types -------------------------------------------------------- */

typedef struct {
    char name[48];            /* file name without extension: an ASCII slug     */
    int w, h;                 /* PNG/SVG size in pixels                         */
    buf body;                 /* commands drawing it on the current output      */
} chart;

/* The years the charts span, and what is known for them. */
typedef struct {
    const struct config *cfg;
    const attainment *att;
    const results *res;
    const fig_index *fig;     /* res's counted records (pipeline/figures.h)     */
    int first, last;          /* the years of the attainment rows               */
} scope;

/* ---- chart_common.c: text, data, titles ----------------------------------- */

/* Append a number for gnuplot ("." decimal point; NaN as "NaN"). */
void chart_put_num(buf *b, double v);

/* Append a quoted label built from a printf format of our own. */
void chart_put_quoted_fmt(buf *b, size_t max, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Count of code points of UTF-8 text. */
size_t chart_text_chars(const char *s);

/* Append text as a quoted expression of one line, or of two lines when it
 * is longer than max_line characters. Returns the number of lines. */
int chart_put_lines(buf *b, const char *text, size_t max_line);

/* The chart's title (one or two lines) and a smaller subtitle under it;
 * sets the top margin to fit them. */
void chart_put_titles(buf *b, const char *title, const char *subtitle, size_t max_line);

/* "T01 — label", appended to out. */
void chart_indicator_title(const struct config_indicator *ind, buf *out);

/* The province row of an indicator and year, or NULL. */
const attainment_row *chart_province_row(const scope *s, const struct config_indicator *ind, int year);

/* ---- chart_trend.c: the cover, the overview, the trends ------------------- */

void chart_put_cover(chart *c, const scope *s);
void chart_put_overview(chart *c, const scope *s);
void chart_put_trend(chart *c, const scope *s, const struct config_indicator *ind);

/* ---- chart_units.c: units ranked, funding, plan against results ----------- */

/* The latest year with a unit ratio for ind, or 0. */
int chart_ranked_year(const scope *s, const struct config_indicator *ind);
/* Fill c with the ranking of rows (charts_ranking); false when empty. */
bool chart_put_ranked(chart *c, const scope *s, const struct config_indicator *ind, int year,
                      const charts_rank_row *u, size_t n);
/* Fill c with the funding chart; false when there are no years to show or
 * memory runs out. */
bool chart_put_funding(chart *c, const scope *s);
/* The latest year whose plans are held against reports, 0 none. */
int chart_planvs_year(const planvs *pv);
/* Fill c with the plan against results; false when nothing to show. */
bool chart_put_planvs(chart *c, const scope *s, const planvs *pv);

#endif
