/*
 * charts/chart_trend.c — the charts of the province's ratios
 * (chart_private.h): the cover (page 1 of bieu-do.pdf: the latest year's
 * status of every indicator), the overview (every indicator as a small
 * multiple) and one trend chart per indicator (ratio per year, target,
 * trajectory, status markers).
 */
#include "charts/chart_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/labels.h"

/* ---- data ----------------------------------------------------------------- */

/* The last year of the x axis: the last year, or a later deadline. */
static int axis_last(const scope *s, const struct config_indicator *ind)
{
    return ind->kind == CONFIG_BY_DEADLINE && ind->deadline > s->last ? ind->deadline : s->last;
}

/* The top of a percentage axis: 100 %, or more when a value (with its label
 * above it) needs the room. */
static double pct_axis_top(double max_pct)
{
    double top = ceil((max_pct + 14.0) / 10.0) * 10.0;
    return top < 112.0 ? 112.0 : top;
}

/* The height of a value label for a marker at mark: the first of mark ±
 * gap, mark ± 2·gap … (the preferred side first) whose box (± half) crosses
 * none of the lines (NAN: none) and stays inside 0..top. */
static double label_y(double mark, bool prefer_above, const double *lines, size_t nl, double gap, double half,
                      double top)
{
    for (int k = 1; k <= 4; k++) {
        for (int side = 0; side < 2; side++) {
            bool above = side == 0 ? prefer_above : !prefer_above;
            double y = above ? mark + gap * k : mark - gap * k;
            if (y - half < 0 || y + half > top) continue;
            bool clear = true;
            for (size_t i = 0; i < nl; i++)
                if (!isnan(lines[i]) && fabs(lines[i] - y) < half) clear = false;
            if (clear) return y;
        }
    }
    return mark + gap;
}

/* ---- one trend chart per indicator ---------------------------------------- */

/* "Mục tiêu: ≥ 80% hằng năm" and the like, for subtitles. */
static void target_words(const struct config_indicator *ind, char *out, size_t n)
{
    char t[24];
    charts_pct_text(ind->target, t);
    switch (ind->kind) {
    case CONFIG_BY_DEADLINE:
        snprintf(out, n, "mục tiêu %s đến năm %d", t, ind->deadline);
        break;
    case CONFIG_ROLLING:
        snprintf(out, n, "mục tiêu %s (cộng dồn %d năm)", t, ind->window);
        break;
    default:
        snprintf(out, n, "mục tiêu hằng năm %s", t);
        break;
    }
}

/* What one trend chart knows before it writes a line: the extent of its
 * values, the start of the trajectory, the statuses it shows. Heights are
 * in % (the y axis). */
typedef struct {
    const scope *s;
    const struct config_indicator *ind;
    bool used[N_STATUS];          /* statuses of the years shown              */
    bool any_ratio;               /* a year with a province ratio             */
    bool traj;                    /* a trajectory to a by-deadline target     */
    int y0;                       /* the first year with a ratio, 0 none      */
    double r0;                    /* its ratio: where the trajectory starts   */
    double target, top;           /* the target, the top of the y axis        */
    double gap, half;             /* a value label's distance, half its height */
    char tp[24];                  /* the target as text: "80,0 %"             */
} trend;

/* The extent and the trajectory's start (the first ratio). */
static void trend_extent(trend *t)
{
    const scope *s = t->s;
    double max_pct = 0;
    for (int y = s->first; y <= s->last; y++) {
        const attainment_row *r = chart_province_row(s, t->ind, y);
        if (!r || !r->has_ratio) continue;
        t->any_ratio = true;
        if (r->ratio * 100.0 > max_pct) max_pct = r->ratio * 100.0;
        if (!t->y0) { t->y0 = y; t->r0 = r->ratio; }
    }
    t->target = t->ind->target * 100.0;
    t->top = pct_axis_top(max_pct > t->target ? max_pct : t->target);
    t->gap = t->top * 0.055;
    t->half = t->top * 0.03;
    t->traj = t->ind->kind == CONFIG_BY_DEADLINE && t->y0 && t->y0 < t->ind->deadline;
    charts_pct_text(t->ind->target, t->tp);
}

/* One year's data line: year, ratio in %, status, value label, marker
 * height, label height. A value sits above its marker when the marker is
 * on or above the line it is judged against (the trajectory before the
 * deadline, else the target), below it otherwise, and never over the
 * target line or the trajectory (label_y). A year without data gets the
 * configuration's words as a label in nodata. */
static void trend_put_year(buf *b, buf *nodata, trend *t, const attainment_row *r, int y)
{
    const struct config_indicator *ind = t->ind;
    char lab[24] = "-";               /* data blocks hold only our own text */
    double pct = NAN, mark = NAN, laby = t->top - t->half * 1.6;
    if (!r->has_ratio) {                /* the configuration's words: a label */
        buf_printf(nodata, "set label %d ", 10 + (y - t->s->first));
        labels_quote(nodata, config_status_word(t->s->cfg, ATT_NO_DATA), 0);
        buf_printf(nodata, " at first %d, first %g center front font ',10' tc rgb '#555555'\n", y, laby);
    }
    if (r->has_ratio) {
        pct = mark = r->ratio * 100.0;
        charts_pct_text(r->ratio, lab);
        double lines[2] = {t->target, NAN};
        if (ind->kind == CONFIG_BY_DEADLINE && t->y0 && y < ind->deadline)
            lines[1] = t->r0 * 100.0 + (t->target - t->r0 * 100.0) * (y - t->y0) / (double)(ind->deadline - t->y0);
        double ref = isnan(lines[1]) ? t->target : lines[1];
        laby = label_y(mark, mark >= ref - 1e-9, lines, 2, t->gap, t->half, t->top);
    }
    att_status st = r->status < N_STATUS ? r->status : ATT_NO_DATA;
    if (!r->has_ratio) st = ATT_NO_DATA;
    t->used[st] = true;
    buf_printf(b, "%d ", y);
    chart_put_num(b, pct);
    buf_printf(b, " %d \"%s\" ", (int)st, lab);
    chart_put_num(b, mark);
    buf_putc(b, ' ');
    chart_put_num(b, laby);
    buf_putc(b, '\n');
}

/* The data block $d, one line per year the indicator applies to; a year
 * without data is a grey column with its words near the top, not a marker
 * on the 0 % line. Then the trajectory $traj when there is one. */
static void trend_put_data(buf *b, trend *t)
{
    const scope *s = t->s;
    buf nodata = BUF_INIT;
    buf_puts(b, "$d << EOD\n");
    for (int y = s->first; y <= s->last; y++) {
        const attainment_row *r = chart_province_row(s, t->ind, y);
        if (r) trend_put_year(b, &nodata, t, r, y);   /* else it starts later */
    }
    buf_puts(b, "EOD\n");
    if (nodata.data) buf_append(b, nodata.data, nodata.len);
    b->oom |= nodata.oom;
    buf_free(&nodata);
    if (t->traj) {
        buf_printf(b, "$traj << EOD\n%d ", t->y0);
        chart_put_num(b, t->r0 * 100.0);
        buf_printf(b, "\n%d ", t->ind->deadline);
        chart_put_num(b, t->ind->target * 100.0);
        buf_puts(b, "\nEOD\n");
    }
}

/* Titles, axes, key, and the target labelled in the right margin. */
static void trend_put_frame(buf *b, const trend *t)
{
    const scope *s = t->s;
    const struct config_indicator *ind = t->ind;
    buf title = BUF_INIT, sub = BUF_INIT;
    chart_indicator_title(ind, &title);
    char tw[96];
    target_words(ind, tw, sizeof tw);
    buf_printf(&sub, "Tỷ lệ toàn tỉnh theo năm; %s (Kế hoạch %s, mục %s)", tw,
               s->cfg->plan.id ? s->cfg->plan.id : "", ind->clause ? ind->clause : "");
    chart_put_titles(b, title.data ? title.data : "", sub.data, 80);
    buf_free(&title);
    buf_free(&sub);

    int x_last = axis_last(s, ind);
    buf_printf(b, "set rmargin 16\nset bmargin 8\n"
                  "set xrange [%d.5:%d.5]\nset xtics %d,1,%d format '%%.0f' font ',12'\n"
                  "set yrange [0:%g]\nset ytics 0,10,100 format '%%.0f %%%%' font ',11'\n"
                  "set xlabel 'Năm' font ',12'\nset ylabel 'Tỷ lệ' font ',12'\n"
                  "set key outside below center horizontal Left reverse maxrows 2 font ',11' spacing 1.2 width 2\n",
               s->first - 1, x_last, s->first, x_last, t->top);

    /* The target: a dashed line labelled in the right margin. The
     * trajectory is named in the key only: a label at its end would sit
     * where the last values are. */
    buf_puts(b, "set label 1 ");
    chart_put_quoted_fmt(b, 0, "Mục tiêu %s", t->tp);
    buf_printf(b, " at graph 1, first %g offset 1,0 left font ',11' tc rgb '" COLOUR_TARGET "'\n",
               ind->target * 100.0);
    buf_printf(b, "set boxwidth 0.7 absolute\n");
}

/* The plot: grey columns for years without data, the target, the
 * trajectory, the province's line, a marker per status, the value labels. */
static void trend_put_plot(buf *b, const trend *t)
{
    const struct config *cfg = t->s->cfg;
    buf_puts(b, "plot ");
    bool first = true;
#define SEP() do { if (!first) buf_puts(b, ", \\\n     "); first = false; } while (0)
    if (t->used[ATT_NO_DATA]) {
        SEP();
        buf_printf(b, "$d using 1:($3==4?%g:NaN) with boxes fs solid 0.5 noborder lc rgb '#e3e3e3' title ", t->top);
        labels_quote(b, config_status_word(cfg, ATT_NO_DATA), 0);
    }
    SEP();
    buf_printf(b, "%g with lines dt 2 lw 2 lc rgb '" COLOUR_TARGET "' title ", t->ind->target * 100.0);
    chart_put_quoted_fmt(b, 0, "Mục tiêu %s", t->tp);
    if (t->traj) {
        SEP();
        buf_puts(b, "$traj using 1:2 with lines dt 3 lw 2.5 lc rgb '" COLOUR_TRAJ "' title ");
        chart_put_quoted_fmt(b, 0, "Lộ trình đến %d", t->ind->deadline);
    }
    if (t->any_ratio) {
        SEP();
        buf_puts(b, "$d using 1:2 with lines lw 3 lc rgb '" COLOUR_LINE "' title 'Tỷ lệ toàn tỉnh'");
    }
    for (int st = 0; st < N_STATUS; st++) {
        if (!t->used[st] || st == ATT_NO_DATA) continue;
        SEP();
        buf_printf(b, "$d using 1:($3==%d?$5:NaN) with points pt %d ps 2.6 lc rgb '%s' title ", st,
                   chart_status_look[st].pt, chart_status_look[st].colour);
        labels_quote(b, config_status_word(cfg, st), 0);
    }
    if (t->any_ratio) {
        SEP();
        buf_puts(b, "$d using 1:($3!=4?$6:NaN):4 with labels boxed font ',12' tc rgb '#111111' notitle");
    }
#undef SEP
    buf_putc(b, '\n');
}

/* One trend chart: the province's ratio per year against the target. */
void chart_put_trend(chart *c, const scope *s, const struct config_indicator *ind)
{
    trend t = {.s = s, .ind = ind};
    trend_extent(&t);
    trend_put_data(&c->body, &t);
    trend_put_frame(&c->body, &t);
    trend_put_plot(&c->body, &t);
}

/* ---- the cover (page 1 of bieu-do.pdf) ------------------------------------ */

/* The latest year with a province ratio of any indicator, else the last. */
static int latest_year(const scope *s)
{
    int latest = 0;
    for (size_t i = 0; i < s->att->n; i++) {
        const attainment_row *r = &s->att->rows[i];
        if (r->scope == SCOPE_PROVINCE && r->has_ratio && r->year > latest) latest = r->year;
    }
    return latest ? latest : s->last;
}

/* The cover's titles and the head of its table: a table drawn with labels
 * on an empty graph (screen coordinates), its first row at top. */
static void cover_put_head(buf *b, const scope *s, int year, double top)
{
    const struct config *cfg = s->cfg;
    charts_coverage cov;
    charts_coverage_of(cfg, s->res, year, &cov);
    char covt[160], date[16];
    charts_coverage_text(&cov, covt, sizeof covt);
    charts_date_text(date);

    buf title = BUF_INIT, sub = BUF_INIT;
    buf_printf(&title, "Kết quả thực hiện Kế hoạch %s năm %d — tóm tắt", cfg->plan.id ? cfg->plan.id : "", year);
    buf_printf(&sub, "Tỷ lệ toàn tỉnh của %zu chỉ tiêu; lập ngày %s, %s", cfg->n_indicators, date, covt);
    chart_put_titles(b, title.data ? title.data : "", sub.data, 90);
    buf_free(&title);
    buf_free(&sub);

    buf_puts(b, "unset border\nunset tics\nunset grid\nunset key\n"
                "set lmargin at screen 0\nset rmargin at screen 1\nset tmargin at screen 1\nset bmargin at screen 0\n"
                "set xrange [0:1]\nset yrange [0:1]\n");
    char yh[8];
    snprintf(yh, sizeof yh, "%d", year);
    buf_printf(b, "set label 10 'Chỉ tiêu' at screen 0.04, screen %g left font ',11' tc rgb '" COLOUR_MUTED "'\n"
                  "set label 11 'Tỷ lệ năm %s' at screen 0.655, screen %g right font ',11' tc rgb '" COLOUR_MUTED "'\n"
                  "set label 12 'Mục tiêu' at screen 0.675, screen %g left font ',11' tc rgb '" COLOUR_MUTED "'\n"
                  "set label 13 'Tình trạng' at screen 0.82, screen %g left font ',11' tc rgb '" COLOUR_MUTED "'\n",
               top + 0.045, yh, top + 0.045, top + 0.045, top + 0.045);
    buf_printf(b, "set arrow 1 from screen 0.03, screen %g to screen 0.98, screen %g nohead lc rgb '#999999'\n",
               top + 0.022, top + 0.022);
}

/* Row k of the cover's table, centred at height y: id, label, the year's
 * ratio, the target, the status in words; its marker goes to pts (the
 * data block), every other row is shaded. */
static void cover_put_row(buf *b, buf *pts, const scope *s, int year, size_t k, double y, double step)
{
    const struct config *cfg = s->cfg;
    size_t n = cfg->n_indicators;
    const struct config_indicator *ind = &cfg->indicators[k];
    const attainment_row *r = chart_province_row(s, ind, year);
    att_status st = r && r->has_ratio && r->status < N_STATUS ? r->status : ATT_NO_DATA;
    char pct[24] = "—", tw[96], tp[24];
    if (r && r->has_ratio) charts_pct_text(r->ratio, pct);
    charts_pct_text(ind->target, tp);
    if (ind->kind == CONFIG_BY_DEADLINE) snprintf(tw, sizeof tw, "%s vào năm %d", tp, ind->deadline);
    else if (ind->kind == CONFIG_ROLLING) snprintf(tw, sizeof tw, "%s (cộng dồn %d năm)", tp, ind->window);
    else snprintf(tw, sizeof tw, "%s hằng năm", tp);
    buf_printf(b, "set label %zu ", 100 + 4 * k);
    labels_quote(b, ind->id, 12);
    buf_printf(b, " at screen 0.04, screen %g left font ',12'\n", y);
    buf_printf(b, "set label %zu ", 101 + 4 * k);
    labels_quote(b, ind->label ? ind->label : "", 66);
    buf_printf(b, " at screen 0.09, screen %g left font ',11'\n", y);
    buf_printf(b, "set label %zu '%s' at screen 0.655, screen %g right font ',12' tc rgb '%s'\n", 102 + 4 * k,
               pct, y, st == ATT_NO_DATA ? "#777777" : "#111111");
    buf_printf(b, "set label %zu ", 103 + 4 * k);
    labels_quote(b, r ? tw : "chưa áp dụng năm này", 40);
    buf_printf(b, " at screen 0.675, screen %g left font ',10' tc rgb '" COLOUR_MUTED "'\n", y);
    buf_printf(b, "set label %zu ", 100 + 4 * n + k);
    labels_quote(b, config_status_word(cfg, st), 0);
    buf_printf(b, " at screen 0.845, screen %g left font ',11' tc rgb '%s'\n", y, chart_status_look[st].colour);
    buf_printf(pts, "0.83 %g %d\n", y, (int)st);
    if (k % 2 == 0)
        buf_printf(b, "set object %zu rect from screen 0.03, screen %g to screen 0.98, screen %g "
                      "fs solid 1 noborder fc rgb '#f3f3f3' behind\n", 1 + k, y - step / 2, y + step / 2);
}

/* Under the table (its bottom at height below): the count per status, in
 * the configuration's words, what the next pages hold, and the plot of the
 * status markers. */
static void cover_put_foot(buf *b, const scope *s, int year, double below)
{
    char line[1024];
    attainment words = *s->att;          /* the words of the config drawn with */
    words.cfg = s->cfg;
    indicators_summary_text(&words, year, line, sizeof line);
    buf_puts(b, "set label 90 ");
    chart_put_lines(b, line, 150);
    buf_printf(b, " at screen 0.04, screen %g left font ',11'\n", below - 0.05);
    buf_puts(b, "set label 91 'Các trang sau: tổng quan các chỉ tiêu, diễn biến từng chỉ tiêu, xếp hạng đơn vị, kinh phí.' "
                "at screen 0.04, screen 0.04 left font ',10' tc rgb '" COLOUR_MUTED "'\n");
    buf_puts(b, "plot 2 notitle");
    for (int st = 0; st < N_STATUS; st++)
        buf_printf(b, ", $cv using 1:($3==%d?$2:NaN) with points pt %d ps 2 lc rgb '%s' notitle", st,
                   chart_status_look[st].pt, chart_status_look[st].colour);
    buf_putc(b, '\n');
}

/* What leadership reads first: the latest year's status of every
 * indicator, the date of the run and the reports it rests on. */
void chart_put_cover(chart *c, const scope *s)
{
    buf *b = &c->body;
    int year = latest_year(s);
    size_t n = s->cfg->n_indicators;
    double top = 0.80, bottom = 0.16;
    double step = n ? (top - bottom) / (double)n : 0;
    if (step > 0.06) step = 0.06;
    cover_put_head(b, s, year, top);
    buf pts = BUF_INIT;                  /* the status markers' data block */
    for (size_t k = 0; k < n; k++) cover_put_row(b, &pts, s, year, k, top - step * ((double)k + 0.5), step);
    buf_puts(b, "$cv << EOD\n");
    if (pts.data) buf_append(b, pts.data, pts.len);
    b->oom |= pts.oom;
    buf_puts(b, "EOD\n");
    buf_free(&pts);
    cover_put_foot(b, s, year, top - step * (double)n);
}

/* ---- the overview (small multiples) --------------------------------------- */

/* Indicator k's data blocks: for a by-deadline one the trajectory $jk from
 * its first ratio (that year goes to *traj_from, else 0), then $ok: year,
 * ratio in %, status, value label (the last ratio only), label height. */
static void overview_put_data(buf *b, const scope *s, size_t k, int *traj_from)
{
    const struct config_indicator *ind = &s->cfg->indicators[k];
    int last_with_ratio = 0;
    for (int y = s->first; y <= s->last; y++) {
        const attainment_row *r = chart_province_row(s, ind, y);
        if (!r || !r->has_ratio) continue;
        last_with_ratio = y;
        if (!*traj_from && ind->kind == CONFIG_BY_DEADLINE && y < ind->deadline) {
            *traj_from = y;
            buf_printf(b, "$j%zu << EOD\n%d ", k, y);
            chart_put_num(b, r->ratio * 100.0);
            buf_printf(b, "\n%d ", ind->deadline);
            chart_put_num(b, ind->target * 100.0);
            buf_puts(b, "\nEOD\n");
        }
    }
    buf_printf(b, "$o%zu << EOD\n", k);
    for (int y = s->first; y <= s->last; y++) {
        const attainment_row *r = chart_province_row(s, ind, y);
        if (!r) continue;
        char lab[24] = "";
        double laby = NAN;
        if (r->has_ratio && y == last_with_ratio) {
            charts_pct_text(r->ratio, lab);
            double lines[2] = {ind->target * 100.0, NAN}, v = r->ratio * 100.0;
            if (*traj_from && y < ind->deadline) {
                const attainment_row *r0 = chart_province_row(s, ind, *traj_from);
                lines[1] = (r0->ratio + (ind->target - r0->ratio) * (y - *traj_from) /
                                            (double)(ind->deadline - *traj_from)) * 100.0;
            }
            laby = label_y(v, v >= (isnan(lines[1]) ? lines[0] : lines[1]) - 1e-9, lines, 2, 11.0, 5.5, 125.0);
        }
        buf_printf(b, "%d ", y);
        chart_put_num(b, r->has_ratio ? r->ratio * 100.0 : NAN);
        buf_printf(b, " %d \"%s\" ", r->has_ratio ? (int)r->status : ATT_NO_DATA, lab);
        chart_put_num(b, laby);
        buf_putc(b, '\n');
    }
    buf_puts(b, "EOD\n");
}

/* The multiplot's layout and title, and the axes every panel shares: one
 * x range for every panel (the run's years, --years too), so the panels
 * line up; a trajectory to a later deadline is cut at it. */
static void overview_put_layout(buf *b, const scope *s, int rows, int cols)
{
    buf_puts(b, "set multiplot layout ");
    buf_printf(b, "%d,%d title ", rows, cols);
    chart_put_quoted_fmt(b, 0, "Tổng quan %zu chỉ tiêu của Kế hoạch %s — tỷ lệ toàn tỉnh %d–%d", s->cfg->n_indicators,
                         s->cfg->plan.id ? s->cfg->plan.id : "", s->first, s->last);
    buf_puts(b, " font ',15' margins 0.05,0.975,0.04,0.9 spacing 0.06,0.1\n");
    buf_printf(b, "set yrange [0:125]\nset ytics 0,50,100 format '%%.0f %%%%' font ',8'\n"
                  "set grid ytics\nunset key\nset boxwidth 0.7 absolute\n"
                  "set xrange [%d.6:%d.4]\nset xtics %d,1,%d format '%%.0f' font ',8'\n",
               s->first - 1, s->last, s->first, s->last);
}

/* Indicator k's panel: its title, grey columns for years without data,
 * the target, the trajectory (from traj_from, 0 none), the line, the
 * status markers and the last value. */
static void overview_put_panel(buf *b, const scope *s, size_t k, int traj_from)
{
    const struct config_indicator *ind = &s->cfg->indicators[k];
    bool used[N_STATUS] = {false}, any = false;
    for (int y = s->first; y <= s->last; y++) {
        const attainment_row *r = chart_province_row(s, ind, y);
        if (!r) continue;
        att_status st = r->has_ratio && r->status < N_STATUS ? r->status : ATT_NO_DATA;
        used[st] = true;
        any |= r->has_ratio;
    }
    buf_puts(b, "set title ");
    buf t = BUF_INIT;
    buf_puts(&t, ind->id);
    buf_puts(&t, " ");
    buf_puts(&t, ind->label ? ind->label : "");
    chart_put_lines(b, t.data ? t.data : "", 44);
    buf_free(&t);
    buf_puts(b, " font ',9'\n");
    buf_puts(b, "plot ");
    if (used[ATT_NO_DATA])
        buf_printf(b, "$o%zu using 1:($3==4?125:NaN) with boxes fs solid 0.5 noborder lc rgb '#e3e3e3', ", k);
    buf_printf(b, "%g with lines dt 2 lw 1.5 lc rgb '" COLOUR_TARGET "'", ind->target * 100.0);
    if (ind->kind == CONFIG_BY_DEADLINE && traj_from)
        buf_printf(b, ", $j%zu using 1:2 with lines dt 3 lw 1.5 lc rgb '" COLOUR_TRAJ "'", k);
    if (any) buf_printf(b, ", $o%zu using 1:2 with lines lw 2 lc rgb '" COLOUR_LINE "'", k);
    for (int st = 0; st < N_STATUS; st++) {
        if (!used[st] || st == ATT_NO_DATA) continue;
        buf_printf(b, ", $o%zu using 1:($3==%d?$2:NaN) with points pt %d ps 1.3 lc rgb '%s'", k, st,
                   chart_status_look[st].pt, chart_status_look[st].colour);
    }
    if (any)
        buf_printf(b, ", $o%zu using 1:5:4 with labels boxed font ',8' tc rgb '#111111'", k);
    buf_puts(b, "\n");
}

/* The legend: a frameless panel of key entries, centred in the rest of
 * the last row (the slots after the last panel), so it never touches the
 * last panel. */
static void overview_put_legend(buf *b, const scope *s, int rows, int cols)
{
    size_t n = s->cfg->n_indicators;
    size_t lcol = n % (size_t)cols, lrow = n / (size_t)cols;
    double kx = 0.05 + 0.925 * ((double)lcol + (double)((size_t)cols - lcol) / 2.0) / cols;
    double ky = 0.9 - 0.86 * ((double)lrow + 0.5) / rows;
    buf_printf(b, "unset title\nunset border\nunset tics\nunset grid\nset xrange [0:1]\nset yrange [0:1]\n"
                  "set key at screen %.3f, screen %.3f center center vertical maxrows 4 Left reverse "
                  "font ',10' spacing 1.2 width 3\n"
                  "plot 2 notitle", kx, ky);
    for (int st = 0; st < N_STATUS; st++) {
        if (st == ATT_NO_DATA)
            buf_puts(b, ", keyentry with boxes fs solid 0.5 noborder lc rgb '#e3e3e3' title ");
        else
            buf_printf(b, ", keyentry with points pt %d ps 1.5 lc rgb '%s' title ", chart_status_look[st].pt,
                       chart_status_look[st].colour);
        labels_quote(b, config_status_word(s->cfg, st), 0);
    }
    buf_puts(b, ", keyentry with lines lw 2 lc rgb '" COLOUR_LINE "' title 'Tỷ lệ toàn tỉnh'"
                ", keyentry with lines dt 2 lw 1.5 lc rgb '" COLOUR_TARGET "' title 'Mục tiêu'"
                ", keyentry with lines dt 3 lw 1.5 lc rgb '" COLOUR_TRAJ "' title 'Lộ trình đến hạn chót'\n");
}

/* Every indicator as a small multiple on one page, and a legend. */
void chart_put_overview(chart *c, const scope *s)
{
    buf *b = &c->body;
    size_t n = s->cfg->n_indicators;
    int cols = n <= 4 ? 2 : n <= 9 ? 3 : 4;
    int rows = (int)((n + 1 + (size_t)cols - 1) / (size_t)cols);   /* + the legend */
    int *traj_from = calloc(n ? n : 1, sizeof *traj_from);
    if (!traj_from) { b->oom = true; return; }
    for (size_t k = 0; k < n; k++) overview_put_data(b, s, k, &traj_from[k]);
    overview_put_layout(b, s, rows, cols);
    for (size_t k = 0; k < n; k++) overview_put_panel(b, s, k, traj_from[k]);
    overview_put_legend(b, s, rows, cols);
    buf_puts(b, "unset multiplot\n");
    free(traj_from);
}
