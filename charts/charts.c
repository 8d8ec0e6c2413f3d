/* charts/charts.c — the charts for the leadership (see charts.h). */
#include "charts/charts.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "charts/facts.h"
#include "charts/gnuplot.h"
#include "charts/labels.h"
#include "base/syserr.h"

/* ---- look ----------------------------------------------------------------- */

#define FONT "DejaVu Sans"
#define COLOUR_LINE "#1f4e79"     /* the province's series                      */
#define COLOUR_TARGET "#333333"   /* target lines and their labels              */
#define COLOUR_TRAJ "#7b3294"     /* the trajectory to a by-deadline target     */
#define COLOUR_MUTED "#555555"    /* subtitles                                  */
#define COLOUR_GRID "#dddddd"

/* One look per status, the same on every chart: colour and point type
 * (cairo: 7 ● 11 ▼ 9 ▲ 13 ◆ 6 ○ — shapes too, for colour-blind readers and
 * grey printers). The legend's words are the configuration's
 * (config_status_word). */
static const struct {
    const char *colour;
    int pt;
} status_look[] = {
    [ATT_MET] = {"#1a9850", 7},
    [ATT_NOT_MET] = {"#d73027", 11},
    [ATT_ON_TRACK] = {"#e6ab02", 9},
    [ATT_BEHIND] = {"#e66101", 13},
    [ATT_NO_DATA] = {"#9e9e9e", 6},
};
#define N_STATUS 5

/* Colours of the funding sources in stacking order (the sources are the
 * configuration's), and of the part of a unit's total no source accounts
 * for. */
static const char *const fund_colours[] = {"#2c7fb8", "#d95f0e", "#31a354", "#756bb1",
                                           "#e7298a", "#66a61e", "#a6761d", "#1b9e77"};
#define N_FUND_COLOURS 8
#define COLOUR_UNSPLIT "#bdbdbd"

/* Pixel sizes of the PNG and SVG files; the PDF pages are A4 landscape. */
/* Unit names on the ranking are cut beyond this many characters. */
#define RANK_NAME_MAX 60

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

typedef struct {
    chart *v;
    size_t n, cap;
    bool oom;
} chart_list;

/* The years the charts span, and what is known for them. */
typedef struct {
    const struct config *cfg;
    const attainment *att;
    const results *res;
    const fig_index *fig;     /* res's counted records (pipeline/figures.h)     */
    int first, last;          /* the years of the attainment rows               */
} scope;

/* ---- private functions: text ---------------------------------------------- */

/* Million VND, rounded, thousands grouped with '.' (Vietnamese): "12.345". */
static void money_text(double v, char out[32])
{
    char digits[32];
    snprintf(digits, sizeof digits, "%.0f", fabs(v) < 1e15 ? fabs(round(v)) : 0.0);
    size_t n = strlen(digits), o = 0;
    if (v < -0.5) out[o++] = '-';
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0) out[o++] = '.';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

/* Append a number for gnuplot ("." decimal point: LC_NUMERIC stays "C"). */
static void put_num(buf *b, double v)
{
    if (isnan(v)) buf_puts(b, "NaN");
    else buf_printf(b, "%.6g", v);
}

/* Append a quoted label built from a printf format of our own. */
static void put_quoted_fmt(buf *b, size_t max, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void put_quoted_fmt(buf *b, size_t max, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    labels_quote(b, tmp, max);
}

/* ---- private functions: charts list --------------------------------------- */

/* A new chart at the end of the list (NULL on out of memory). */
static chart *chart_add(chart_list *l, const char *name, int w, int h)
{
    if (!buf_grow_array((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v)) { l->oom = true; return NULL; }
    chart *c = &l->v[l->n++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->w = w;
    c->h = h;
    return c;
}

static void chart_list_free(chart_list *l)
{
    for (size_t i = 0; i < l->n; i++) buf_free(&l->v[i].body);
    free(l->v);
    memset(l, 0, sizeof *l);
}

/* ---- private functions: data ---------------------------------------------- */

/* The province row of an indicator and year, or NULL. */
static const attainment_row *province_row(const scope *s, const struct config_indicator *ind, int year)
{
    for (size_t i = 0; i < s->att->n; i++) {
        const attainment_row *r = &s->att->rows[i];
        if (r->ind == ind && r->year == year && r->scope == SCOPE_PROVINCE) return r;
    }
    return NULL;
}

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

/* ---- private functions: common settings ----------------------------------- */

/* Settings every chart starts from (after `reset`). */
static void put_common(buf *b)
{
    buf_puts(b, "set encoding utf8\n"
                "set termoption noenhanced\n"
                "set border 3 lc rgb '#444444'\n"
                "set xtics nomirror\n"
                "set ytics nomirror\n"
                "set grid ytics lc rgb '" COLOUR_GRID "' lt 1\n"
                "set style fill solid 0.9 noborder\n"
                "set style textbox opaque noborder margins 0.5,0.3\n");
}

/* Count of code points of UTF-8 text. */
static size_t text_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Append text as a quoted expression of one line, or of two lines when it
 * is longer than max_line characters: cut at the last space that fits, the
 * rest cut at max_line with "…", joined by a newline made by sprintf (no
 * escape sequence in the script). Returns the number of lines. */
static int put_lines(buf *b, const char *text, size_t max_line)
{
    buf clean = BUF_INIT;
    labels_clean(&clean, text, 0);
    const char *t = clean.data ? clean.data : "";
    if (text_chars(t) <= max_line) {
        labels_quote(b, t, 0);
        buf_free(&clean);
        return 1;
    }
    /* The byte offset of the last space within the first max_line chars. */
    size_t chars = 0, cut = 0;
    for (size_t i = 0; t[i] && chars <= max_line; i++) {
        if (((unsigned char)t[i] & 0xC0) == 0x80) continue;
        if (t[i] == ' ') cut = i;
        chars++;
    }
    if (cut == 0) {                     /* one long word: cut it instead */
        labels_quote(b, t, max_line);
        buf_free(&clean);
        return 1;
    }
    buf first = BUF_INIT;
    buf_append(&first, t, cut);
    labels_quote(b, first.data, 0);
    buf_puts(b, ".sprintf('%c',10).");
    labels_quote(b, t + cut + 1, max_line);
    buf_free(&first);
    buf_free(&clean);
    return 2;
}

/* The chart's title (one or two lines) and under it a smaller subtitle,
 * centred on the canvas at fixed distances from its top (in character
 * heights, so every size and terminal looks alike); sets the top margin
 * to fit them. */
static void put_titles(buf *b, const char *title, const char *subtitle, size_t max_line)
{
    buf_puts(b, "set label 98 ");
    int lines = put_lines(b, title, max_line);
    buf_puts(b, " at screen 0.5, screen 1 offset 0,-1.5 center font ',16'\n");
    double below = 1.5 + 1.55 * lines;
    if (subtitle && *subtitle) {
        buf_puts(b, "set label 99 ");
        labels_quote(b, subtitle, 170);
        buf_printf(b, " at screen 0.5, screen 1 offset 0,-%.2f center font ',10' tc rgb '" COLOUR_MUTED "'\n",
                   below);
        below += 1.2;
    }
    buf_printf(b, "set tmargin %.1f\n", below + 1.2);
}

/* ---- private functions: one trend chart per indicator --------------------- */

/* "T01 — label". */
static void indicator_title(const struct config_indicator *ind, buf *out)
{
    buf_puts(out, ind->id);
    buf_puts(out, " — ");
    buf_puts(out, ind->label ? ind->label : "");
}

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

static void put_trend(chart *c, const scope *s, const struct config_indicator *ind)
{
    buf *b = &c->body;
    int x_last = axis_last(s, ind);
    bool used[N_STATUS] = {false};
    bool any_ratio = false;
    double max_pct = 0;
    int y0 = 0;
    double r0 = 0;

    /* First the extent and the trajectory's start (the first ratio). */
    for (int y = s->first; y <= s->last; y++) {
        const attainment_row *r = province_row(s, ind, y);
        if (!r || !r->has_ratio) continue;
        any_ratio = true;
        if (r->ratio * 100.0 > max_pct) max_pct = r->ratio * 100.0;
        if (!y0) { y0 = y; r0 = r->ratio; }
    }
    double target = ind->target * 100.0;
    double top = pct_axis_top(max_pct > target ? max_pct : target);
    double gap = top * 0.055;                   /* a value label's distance */

    /* The data: year, ratio in %, status, value label, marker height, label
     * height. A value sits above its marker when the marker is on or above
     * the line it is judged against (the trajectory before the deadline,
     * else the target), below it otherwise, and never over the target line
     * or the trajectory (label_y). A year without data is a grey column
     * with its words near the top, not a marker on the 0 % line. */
    double half = top * 0.03;                   /* half a value label's height */
    buf nodata = BUF_INIT;
    buf_puts(b, "$d << EOD\n");
    for (int y = s->first; y <= s->last; y++) {
        const attainment_row *r = province_row(s, ind, y);
        if (!r) continue;                       /* the indicator starts later */
        char lab[24] = "-";               /* data blocks hold only our own text */
        double pct = NAN, mark = NAN, laby = top - half * 1.6;
        if (!r->has_ratio) {                /* the configuration's words: a label */
            buf_printf(&nodata, "set label %d ", 10 + (y - s->first));
            labels_quote(&nodata, config_status_word(s->cfg, ATT_NO_DATA), 0);
            buf_printf(&nodata, " at first %d, first %g center front font ',10' tc rgb '#555555'\n", y, laby);
        }
        if (r->has_ratio) {
            pct = mark = r->ratio * 100.0;
            charts_pct_text(r->ratio, lab);
            double lines[2] = {target, NAN};
            if (ind->kind == CONFIG_BY_DEADLINE && y0 && y < ind->deadline)
                lines[1] = r0 * 100.0 + (target - r0 * 100.0) * (y - y0) / (double)(ind->deadline - y0);
            double ref = isnan(lines[1]) ? target : lines[1];
            laby = label_y(mark, mark >= ref - 1e-9, lines, 2, gap, half, top);
        }
        att_status st = r->status < N_STATUS ? r->status : ATT_NO_DATA;
        if (!r->has_ratio) st = ATT_NO_DATA;
        used[st] = true;
        buf_printf(b, "%d ", y);
        put_num(b, pct);
        buf_printf(b, " %d \"%s\" ", (int)st, lab);
        put_num(b, mark);
        buf_putc(b, ' ');
        put_num(b, laby);
        buf_putc(b, '\n');
    }
    buf_puts(b, "EOD\n");
    if (nodata.data) buf_append(b, nodata.data, nodata.len);
    b->oom |= nodata.oom;
    buf_free(&nodata);
    bool traj = ind->kind == CONFIG_BY_DEADLINE && y0 && y0 < ind->deadline;
    if (traj) {
        buf_printf(b, "$traj << EOD\n%d ", y0);
        put_num(b, r0 * 100.0);
        buf_printf(b, "\n%d ", ind->deadline);
        put_num(b, ind->target * 100.0);
        buf_puts(b, "\nEOD\n");
    }

    buf title = BUF_INIT, sub = BUF_INIT;
    indicator_title(ind, &title);
    char tw[96];
    target_words(ind, tw, sizeof tw);
    buf_printf(&sub, "Tỷ lệ toàn tỉnh theo năm; %s (Kế hoạch %s, mục %s)", tw,
               s->cfg->plan.id ? s->cfg->plan.id : "", ind->clause ? ind->clause : "");
    put_titles(b, title.data ? title.data : "", sub.data, 80);
    buf_free(&title);
    buf_free(&sub);

    buf_printf(b, "set rmargin 16\nset bmargin 8\n"
                  "set xrange [%d.5:%d.5]\nset xtics %d,1,%d format '%%.0f' font ',12'\n"
                  "set yrange [0:%g]\nset ytics 0,10,100 format '%%.0f %%%%' font ',11'\n"
                  "set xlabel 'Năm' font ',12'\nset ylabel 'Tỷ lệ' font ',12'\n"
                  "set key outside below center horizontal Left reverse maxrows 2 font ',11' spacing 1.2 width 2\n",
               s->first - 1, x_last, s->first, x_last, top);

    /* The target: a dashed line labelled in the right margin. */
    char tp[24];
    charts_pct_text(ind->target, tp);
    buf_puts(b, "set label 1 ");
    put_quoted_fmt(b, 0, "Mục tiêu %s", tp);
    buf_printf(b, " at graph 1, first %g offset 1,0 left font ',11' tc rgb '" COLOUR_TARGET "'\n",
               ind->target * 100.0);
    /* The trajectory is named in the key only: a label at its end would sit
     * where the last values are. */

    buf_printf(b, "set boxwidth 0.7 absolute\n");
    buf_puts(b, "plot ");
    bool first = true;
#define SEP() do { if (!first) buf_puts(b, ", \\\n     "); first = false; } while (0)
    if (used[ATT_NO_DATA]) {
        SEP();
        buf_printf(b, "$d using 1:($3==4?%g:NaN) with boxes fs solid 0.5 noborder lc rgb '#e3e3e3' title ", top);
        labels_quote(b, config_status_word(s->cfg, ATT_NO_DATA), 0);
    }
    SEP();
    buf_printf(b, "%g with lines dt 2 lw 2 lc rgb '" COLOUR_TARGET "' title ", ind->target * 100.0);
    put_quoted_fmt(b, 0, "Mục tiêu %s", tp);
    if (traj) {
        SEP();
        buf_puts(b, "$traj using 1:2 with lines dt 3 lw 2.5 lc rgb '" COLOUR_TRAJ "' title ");
        put_quoted_fmt(b, 0, "Lộ trình đến %d", ind->deadline);
    }
    if (any_ratio) {
        SEP();
        buf_puts(b, "$d using 1:2 with lines lw 3 lc rgb '" COLOUR_LINE "' title 'Tỷ lệ toàn tỉnh'");
    }
    for (int st = 0; st < N_STATUS; st++) {
        if (!used[st] || st == ATT_NO_DATA) continue;
        SEP();
        buf_printf(b, "$d using 1:($3==%d?$5:NaN) with points pt %d ps 2.6 lc rgb '%s' title ", st,
                   status_look[st].pt, status_look[st].colour);
        labels_quote(b, config_status_word(s->cfg, st), 0);
    }
    if (any_ratio) {
        SEP();
        buf_puts(b, "$d using 1:($3!=4?$6:NaN):4 with labels boxed font ',12' tc rgb '#111111' notitle");
    }
#undef SEP
    buf_putc(b, '\n');
}

/* ---- private functions: the cover (page 1 of bieu-do.pdf) ------------------ */

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

/* What leadership reads first: the latest year's status of every
 * indicator, the date of the run and the reports it rests on. */
static void put_cover(chart *c, const scope *s)
{
    buf *b = &c->body;
    const struct config *cfg = s->cfg;
    int year = latest_year(s);
    charts_coverage cov;
    charts_coverage_of(cfg, s->res, year, &cov);
    char covt[160], date[16];
    charts_coverage_text(&cov, covt, sizeof covt);
    charts_date_text(date);

    buf title = BUF_INIT, sub = BUF_INIT;
    buf_printf(&title, "Kết quả thực hiện Kế hoạch %s năm %d — tóm tắt", cfg->plan.id ? cfg->plan.id : "", year);
    buf_printf(&sub, "Tỷ lệ toàn tỉnh của %zu chỉ tiêu; lập ngày %s, %s", cfg->n_indicators, date, covt);
    put_titles(b, title.data ? title.data : "", sub.data, 90);
    buf_free(&title);
    buf_free(&sub);

    /* A table drawn with labels on an empty graph (screen coordinates). */
    size_t n = cfg->n_indicators;
    double top = 0.80, bottom = 0.16;
    double step = n ? (top - bottom) / (double)n : 0;
    if (step > 0.06) step = 0.06;
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
    buf pts = BUF_INIT;                  /* the status markers' data block */
    for (size_t k = 0; k < n; k++) {
        const struct config_indicator *ind = &cfg->indicators[k];
        const attainment_row *r = province_row(s, ind, year);
        double y = top - step * ((double)k + 0.5);
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
        buf_printf(b, " at screen 0.845, screen %g left font ',11' tc rgb '%s'\n", y, status_look[st].colour);
        buf_printf(&pts, "0.83 %g %d\n", y, (int)st);
        if (k % 2 == 0)
            buf_printf(b, "set object %zu rect from screen 0.03, screen %g to screen 0.98, screen %g "
                          "fs solid 1 noborder fc rgb '#f3f3f3' behind\n", 1 + k, y - step / 2, y + step / 2);
    }
    buf_puts(b, "$cv << EOD\n");
    if (pts.data) buf_append(b, pts.data, pts.len);
    b->oom |= pts.oom;
    buf_puts(b, "EOD\n");
    buf_free(&pts);
    /* The count per status, in the configuration's words. */
    char line[1024];
    attainment words = *s->att;          /* the words of the config drawn with */
    words.cfg = cfg;
    indicators_summary_text(&words, year, line, sizeof line);
    buf_puts(b, "set label 90 ");
    put_lines(b, line, 150);
    buf_printf(b, " at screen 0.04, screen %g left font ',11'\n", top - step * (double)n - 0.05);
    buf_puts(b, "set label 91 'Các trang sau: tổng quan các chỉ tiêu, diễn biến từng chỉ tiêu, xếp hạng đơn vị, kinh phí.' "
                "at screen 0.04, screen 0.04 left font ',10' tc rgb '" COLOUR_MUTED "'\n");
    buf_puts(b, "plot 2 notitle");
    for (int st = 0; st < N_STATUS; st++)
        buf_printf(b, ", $cv using 1:($3==%d?$2:NaN) with points pt %d ps 2 lc rgb '%s' notitle", st,
                   status_look[st].pt, status_look[st].colour);
    buf_putc(b, '\n');
}

/* ---- private functions: the overview (small multiples) -------------------- */

static void put_overview(chart *c, const scope *s)
{
    buf *b = &c->body;
    const struct config *cfg = s->cfg;
    size_t n = cfg->n_indicators;
    int cols = n <= 4 ? 2 : n <= 9 ? 3 : 4;
    int rows = (int)((n + 1 + (size_t)cols - 1) / (size_t)cols);   /* + the legend */

    /* One data block per indicator: year, ratio in %, status, value label;
     * and for by-deadline ones the trajectory from the first ratio. */
    int *traj_from = calloc(n ? n : 1, sizeof *traj_from);
    if (!traj_from) { b->oom = true; return; }
    for (size_t k = 0; k < n; k++) {
        const struct config_indicator *ind = &cfg->indicators[k];
        int last_with_ratio = 0;
        for (int y = s->first; y <= s->last; y++) {
            const attainment_row *r = province_row(s, ind, y);
            if (!r || !r->has_ratio) continue;
            last_with_ratio = y;
            if (!traj_from[k] && ind->kind == CONFIG_BY_DEADLINE && y < ind->deadline) {
                traj_from[k] = y;
                buf_printf(b, "$j%zu << EOD\n%d ", k, y);
                put_num(b, r->ratio * 100.0);
                buf_printf(b, "\n%d ", ind->deadline);
                put_num(b, ind->target * 100.0);
                buf_puts(b, "\nEOD\n");
            }
        }
        buf_printf(b, "$o%zu << EOD\n", k);
        for (int y = s->first; y <= s->last; y++) {
            const attainment_row *r = province_row(s, ind, y);
            if (!r) continue;
            char lab[24] = "";
            double laby = NAN;
            if (r->has_ratio && y == last_with_ratio) {
                charts_pct_text(r->ratio, lab);
                double lines[2] = {ind->target * 100.0, NAN}, v = r->ratio * 100.0;
                if (traj_from[k] && y < ind->deadline) {
                    const attainment_row *r0 = province_row(s, ind, traj_from[k]);
                    lines[1] = (r0->ratio + (ind->target - r0->ratio) * (y - traj_from[k]) /
                                                (double)(ind->deadline - traj_from[k])) * 100.0;
                }
                laby = label_y(v, v >= (isnan(lines[1]) ? lines[0] : lines[1]) - 1e-9, lines, 2, 11.0, 5.5, 125.0);
            }
            buf_printf(b, "%d ", y);
            put_num(b, r->has_ratio ? r->ratio * 100.0 : NAN);
            buf_printf(b, " %d \"%s\" ", r->has_ratio ? (int)r->status : ATT_NO_DATA, lab);
            put_num(b, laby);
            buf_putc(b, '\n');
        }
        buf_puts(b, "EOD\n");
    }

    buf_puts(b, "set multiplot layout ");
    buf_printf(b, "%d,%d title ", rows, cols);
    put_quoted_fmt(b, 0, "Tổng quan %zu chỉ tiêu của Kế hoạch %s — tỷ lệ toàn tỉnh %d–%d", n,
                   cfg->plan.id ? cfg->plan.id : "", s->first, s->last);
    buf_puts(b, " font ',15' margins 0.05,0.975,0.04,0.9 spacing 0.06,0.1\n");
    /* One x range for every panel (the run's years, --years too), so the
     * panels line up; a trajectory to a later deadline is cut at it. */
    buf_printf(b, "set yrange [0:125]\nset ytics 0,50,100 format '%%.0f %%%%' font ',8'\n"
                  "set grid ytics\nunset key\nset boxwidth 0.7 absolute\n"
                  "set xrange [%d.6:%d.4]\nset xtics %d,1,%d format '%%.0f' font ',8'\n",
               s->first - 1, s->last, s->first, s->last);

    for (size_t k = 0; k < n; k++) {
        const struct config_indicator *ind = &cfg->indicators[k];
        bool used[N_STATUS] = {false}, any = false;
        for (int y = s->first; y <= s->last; y++) {
            const attainment_row *r = province_row(s, ind, y);
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
        put_lines(b, t.data ? t.data : "", 44);
        buf_free(&t);
        buf_puts(b, " font ',9'\n");
        buf_puts(b, "plot ");
        if (used[ATT_NO_DATA])
            buf_printf(b, "$o%zu using 1:($3==4?125:NaN) with boxes fs solid 0.5 noborder lc rgb '#e3e3e3', ", k);
        buf_printf(b, "%g with lines dt 2 lw 1.5 lc rgb '" COLOUR_TARGET "'", ind->target * 100.0);
        if (ind->kind == CONFIG_BY_DEADLINE && traj_from[k])
            buf_printf(b, ", $j%zu using 1:2 with lines dt 3 lw 1.5 lc rgb '" COLOUR_TRAJ "'", k);
        if (any) buf_printf(b, ", $o%zu using 1:2 with lines lw 2 lc rgb '" COLOUR_LINE "'", k);
        for (int st = 0; st < N_STATUS; st++) {
            if (!used[st] || st == ATT_NO_DATA) continue;
            buf_printf(b, ", $o%zu using 1:($3==%d?$2:NaN) with points pt %d ps 1.3 lc rgb '%s'", k, st,
                       status_look[st].pt, status_look[st].colour);
        }
        if (any)
            buf_printf(b, ", $o%zu using 1:5:4 with labels boxed font ',8' tc rgb '#111111'", k);
        buf_puts(b, "\n");
    }

    /* The legend: a frameless panel of key entries. */
    /* Centred in the rest of the last row (the slots after the last panel),
     * so it never touches the last panel. */
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
            buf_printf(b, ", keyentry with points pt %d ps 1.5 lc rgb '%s' title ", status_look[st].pt,
                       status_look[st].colour);
        labels_quote(b, config_status_word(s->cfg, st), 0);
    }
    buf_puts(b, ", keyentry with lines lw 2 lc rgb '" COLOUR_LINE "' title 'Tỷ lệ toàn tỉnh'"
                ", keyentry with lines dt 2 lw 1.5 lc rgb '" COLOUR_TARGET "' title 'Mục tiêu'"
                ", keyentry with lines dt 3 lw 1.5 lc rgb '" COLOUR_TRAJ "' title 'Lộ trình đến hạn chót'\n");
    buf_puts(b, "unset multiplot\n");
    free(traj_from);
}

/* ---- private functions: units ranked against the target ------------------- */

/* The latest year with a unit ratio for ind, or 0. */
static int ranked_year(const scope *s, const struct config_indicator *ind)
{
    int year = 0;
    for (size_t i = 0; i < s->att->n; i++) {
        const attainment_row *r = &s->att->rows[i];
        if (r->ind == ind && r->scope == SCOPE_UNIT && r->has_ratio && r->year > year) year = r->year;
    }
    return year;
}

/* The province's trajectory value (in %) for ind in year, or NAN when the
 * year is not before the deadline or there is no first ratio. */
static double province_trajectory(const scope *s, const struct config_indicator *ind, int year)
{
    if (ind->kind != CONFIG_BY_DEADLINE || year >= ind->deadline) return NAN;
    for (int y = s->first; y <= s->last; y++) {
        const attainment_row *r = province_row(s, ind, y);
        if (!r || !r->has_ratio) continue;
        if (y >= ind->deadline || y > year) return NAN;
        return (r->ratio + (ind->target - r->ratio) * (year - y) / (double)(ind->deadline - y)) * 100.0;
    }
    return NAN;
}

/* Fill c with the ranking of rows (charts_ranking); false when empty. */
static bool put_ranked(chart *c, const scope *s, const struct config_indicator *ind, int year,
                       const charts_rank_row *u, size_t n)
{
    if (n == 0) return false;
    buf *b = &c->body;
    bool used[N_STATUS] = {false};
    double max_pct = ind->target * 100.0;
    size_t below = 0, with_ratio = 0, missing = 0;
    /* Rows top-down: y = n-1 for the first. The label of a unit without a
     * ratio is the reason, in grey, from the axis. */
    buf_puts(b, "$r << EOD\n");
    for (size_t i = 0; i < n; i++) {
        char lab[64];
        double pct = 0;
        if (u[i].has_ratio) {
            pct = u[i].ratio * 100.0;
            charts_pct_text(u[i].ratio, lab);
            if (pct > max_pct) max_pct = pct;
            with_ratio++;
            below += u[i].status == ATT_NOT_MET || u[i].status == ATT_BEHIND;
            used[u[i].status < N_STATUS ? u[i].status : ATT_NO_DATA] = true;
        } else {
            snprintf(lab, sizeof lab, "%s", charts_reason_text(u[i].reason));
            missing += u[i].reason != CHARTS_MERGED;
        }
        buf_printf(b, "%zu ", n - 1 - i);
        put_num(b, pct);
        buf_printf(b, " %d \"%s\" %d\n", u[i].has_ratio ? (int)u[i].status : ATT_NO_DATA, lab, u[i].has_ratio);
    }
    buf_puts(b, "EOD\n");

    buf title = BUF_INIT;
    buf_printf(&title, "Xếp hạng đơn vị năm %d — ", year);
    indicator_title(ind, &title);
    char tp[24], sub[512];
    charts_pct_text(ind->target, tp);
    double traj = province_trajectory(s, ind, year);
    const char *bad_words = ind->kind == CONFIG_BY_DEADLINE && year < ind->deadline
                                ? config_status_word(s->cfg, ATT_BEHIND)
                                : config_status_word(s->cfg, ATT_NOT_MET);
    int k = snprintf(sub, sizeof sub, "%zu đơn vị có số liệu, %zu %s", with_ratio, below, bad_words);
    if (ind->kind == CONFIG_BY_DEADLINE && year < ind->deadline)
        k += snprintf(sub + k, sizeof sub - (size_t)k, " (so với lộ trình của chính đơn vị đến %d)", ind->deadline);
    if (missing && k > 0 && (size_t)k < sizeof sub)
        snprintf(sub + k, sizeof sub - (size_t)k, "; %zu đơn vị chưa có số liệu (lý do ghi bên cạnh)", missing);
    put_titles(b, title.data ? title.data : "", sub, 80);
    buf_free(&title);

    double top = ceil((max_pct + 14.0) / 10.0) * 10.0;
    if (top < 114) top = 114;
    buf_printf(b, "set bmargin 6\nset rmargin 6\n"
                  "set yrange [-0.7:%zu.7]\nset xrange [0:%g]\n"
                  "set xtics 0,10,100 format '%%.0f %%%%' font ',10'\n"
                  "set grid xtics noytics lc rgb '" COLOUR_GRID "'\n"
                  "set xlabel 'Tỷ lệ của đơn vị' font ',11'\n"
                  "set key outside below center horizontal Left reverse font ',11' width 2\n",
               n - 1, top);
    /* Unit names are labels left of the axis, not tic labels: gnuplot cuts
     * tic labels at 50 bytes (its gprintf buffer), a Vietnamese name of 20
     * letters. Names of units behind or not meeting it are red; a merged
     * unit is indented under its successor. */
    size_t longest = 0;
    buf_puts(b, "unset ytics\n");
    for (size_t i = 0; i < n; i++) {
        buf name = BUF_INIT;
        if (u[i].under) buf_puts(&name, "↳ ");
        buf_puts(&name, u[i].unit->name ? u[i].unit->name : u[i].unit->code);
        buf shown = BUF_INIT;
        labels_clean(&shown, name.data ? name.data : "", RANK_NAME_MAX);
        size_t cps = text_chars(shown.data);
        if (cps > longest) longest = cps;
        buf_free(&shown);
        bool bad = u[i].has_ratio && (u[i].status == ATT_NOT_MET || u[i].status == ATT_BEHIND);
        buf_printf(b, "set label %zu ", 100 + i);
        labels_quote(b, name.data ? name.data : "", RANK_NAME_MAX);
        buf_printf(b, " at graph 0, first %zu right offset -0.8,0 font ',10' tc rgb '%s'\n", n - 1 - i,
                   bad ? status_look[ATT_NOT_MET].colour : u[i].under ? COLOUR_MUTED : "#222222");
        buf_free(&name);
    }
    buf_printf(b, "set lmargin %d\n", (int)((double)longest * 0.9) + 3);
    /* The reference lines as data, drawn after the bars (in front of them)
     * and before the value labels (whose opaque boxes stay readable). */
    buf_printf(b, "$tl << EOD\n%g -0.7\n%g %zu.7\nEOD\n", ind->target * 100.0, ind->target * 100.0, n - 1);
    if (!isnan(traj)) buf_printf(b, "$jl << EOD\n%g -0.7\n%g %zu.7\nEOD\n", traj, traj, n - 1);
    buf_puts(b, "plot 1/0 notitle");
    for (int st = 0; st < N_STATUS; st++) {
        if (!used[st] || st == ATT_NO_DATA) continue;
        buf_printf(b, ", $r using (0):($3==%d?$1:NaN):(0):2:($1-0.36):($1+0.36) with boxxyerror "
                      "fc rgb '%s' title ", st, status_look[st].colour);
        labels_quote(b, config_status_word(s->cfg, st), 0);
    }
    buf_puts(b, ", $tl using 1:2 with lines dt 2 lw 2 lc rgb '" COLOUR_TARGET "' title ");
    put_quoted_fmt(b, 0, "Mục tiêu %s", tp);
    if (!isnan(traj)) {
        char jp[24];
        charts_pct_text(traj / 100.0, jp);
        buf_puts(b, ", $jl using 1:2 with lines dt 3 lw 2.5 lc rgb '" COLOUR_TRAJ "' title ");
        put_quoted_fmt(b, 0, "Lộ trình toàn tỉnh năm %d: %s", year, jp);
    }
    buf_puts(b, ", $r using 2:($5==1?$1:NaN):4 with labels boxed left offset 0.6,0 font ',9' tc rgb '#222222' notitle");
    buf_puts(b, ", $r using 2:($5==0?$1:NaN):4 with labels left offset 0.6,0 font ',9' tc rgb '#777777' notitle\n");
    return true;
}

/* ---- private functions: funding by source --------------------------------- */

/* The funding sources in stacking order: the parts of the spent metric's
 * first breakdown (the total) in the configuration, at most FUND_MAX. */
#define FUND_MAX 8
static size_t fund_sources(const struct config_metric *m, const struct config_breakdown **src)
{
    if (!m || !m->n_breakdowns) return 0;
    const struct config_breakdown *total = m->breakdowns[0];
    size_t n = 0;
    for (size_t k = 0; k < total->n_parts && n < FUND_MAX; k++) src[n++] = total->parts[k];
    return n;
}

/* Fill c with the funding chart (the figures of pipeline/figures.h: the
 * records that count, each unit's cell of Biểu 03). Never false. */
static bool put_funding(chart *c, const scope *s)
{
    int ny = s->last - s->first + 1;
    if (ny <= 0 || ny > 100) return false;
    const struct config_group *fg = config_group(s->cfg, "funding");
    const struct config_metric *m_spent = config_metric(s->cfg, "budget_spent");
    const struct config_metric *m_planned = config_metric(s->cfg, "budget_planned");
    const struct config_breakdown *src[FUND_MAX];
    size_t nsrc = fund_sources(m_spent, src);
    const char *total_code = m_spent && m_spent->n_breakdowns ? m_spent->breakdowns[0]->code : "total";
    /* Per year: the sources spent, the part of totals no source explains,
     * the total planned. Per unit and year the total is the total cell when
     * given, else the sum of the sources. */
    double (*spent)[FUND_MAX + 1] = calloc((size_t)ny, sizeof *spent);
    double *planned = calloc((size_t)ny, sizeof *planned);
    if (!spent || !planned) { free(spent); free(planned); c->body.oom = true; return false; }
    bool any = false, any_unsplit = false, any_planned = false;
    for (int y = 0; fg && m_spent && y < ny; y++) {
        for (size_t i = 0; i < s->cfg->n_units; i++) {
            const struct config_unit *u = &s->cfg->units[i];
            double sum = 0, v, tot = 0;
            for (size_t k = 0; k < nsrc; k++)
                if (fig_cell(s->fig, u, s->first + y, fg, m_spent, src[k]->code, &v)) {
                    spent[y][k] += v;
                    sum += v;
                    any = true;
                }
            if (fig_cell(s->fig, u, s->first + y, fg, m_spent, total_code, &tot)) {
                any |= tot > 0;
                if (tot > sum + 0.5) { spent[y][nsrc] += tot - sum; any_unsplit = true; }
            }
            if (!m_planned) continue;
            double p = 0, ps = 0;
            if (!fig_cell(s->fig, u, s->first + y, fg, m_planned, total_code, &p)) {
                for (size_t k = 0; k < nsrc; k++)
                    if (fig_cell(s->fig, u, s->first + y, fg, m_planned, src[k]->code, &v)) ps += v;
                p = ps;
            }
            planned[y] += p;
            any_planned |= p > 0;
        }
    }

    buf *b = &c->body;
    put_titles(b, "Kinh phí đào tạo, bồi dưỡng đã thực hiện theo nguồn (Biểu 03)",
               "Tổng các đơn vị theo năm, triệu đồng; khung đen: dự toán được giao; số trên cột: đã thực hiện / dự toán và tỷ lệ đã chi", 80);
    if (!any) {
        buf_puts(b, "set xrange [0:1]\nset yrange [0:1]\nunset tics\nunset border\nunset grid\n"
                    "set label 1 'Chưa có số liệu kinh phí (Biểu 03) trong các báo cáo đã nhận' "
                    "at graph 0.5, graph 0.5 center font ',14' tc rgb '#777777'\nplot 2 notitle\n");
        free(spent);
        free(planned);
        return true;
    }
    double top = 0;
    buf_puts(b, "$k << EOD\n");
    for (int y = 0; y < ny; y++) {
        double tot = 0;
        buf_printf(b, "%d", s->first + y);
        for (size_t k = 0; k <= nsrc; k++) {
            buf_putc(b, ' ');
            put_num(b, spent[y][k]);
            tot += spent[y][k];
        }
        /* The labels: spent and planned when known ("25.363 / 27.267"),
         * and under it the share of the plan spent ("đã chi 93,0 %"). */
        char mt[72] = "", sh[48] = "", sp[32], pl[32];
        money_text(tot, sp);
        money_text(planned[y], pl);
        if (tot > 0 && planned[y] > 0) snprintf(mt, sizeof mt, "%s / %s", sp, pl);
        else if (tot > 0) snprintf(mt, sizeof mt, "%s", sp);
        else if (planned[y] > 0) snprintf(mt, sizeof mt, "0 / %s", pl);
        if (planned[y] > 0) {
            char pc[24];
            charts_pct_text(tot / planned[y], pc);
            snprintf(sh, sizeof sh, "đã chi %s", pc);
        }
        buf_putc(b, ' ');
        put_num(b, tot);
        buf_printf(b, " \"%s\" ", mt);
        put_num(b, planned[y] > 0 ? planned[y] : NAN);
        buf_putc(b, ' ');
        put_num(b, planned[y] > tot ? planned[y] : tot);   /* where the labels go */
        buf_printf(b, " \"%s\"\n", sh);
        if (tot > top) top = tot;
        if (planned[y] > top) top = planned[y];
    }
    buf_puts(b, "EOD\n");
    /* The y tics written here, to group thousands the Vietnamese way
     * (gnuplot would need a locale for that): a step of 10^k, its half or
     * its fifth, for four to ten tics. */
    double decade = pow(10.0, floor(log10(top > 1 ? top : 1))), step = decade;
    if (top / step < 4) step = decade / 2;       /* top/decade is 1..10, so */
    if (top / step < 4) step = decade / 5;       /* this gives at least 5   */
    if (step < 1) step = 1;
    double ytop = top * 1.15 > 1 ? top * 1.15 : 1;
    buf_printf(b, "set bmargin 7\n"
                  "set style data histograms\nset style histogram rowstacked\nset boxwidth 0.6\n"
                  "set xrange [-0.6:%d.6]\nset yrange [0:%g]\n"
                  "set ylabel 'triệu đồng' font ',12'\nset xlabel 'Năm' font ',12'\n"
                  "set xtics font ',12'\n"
                  "set key outside below center horizontal Left reverse maxrows 2 font ',11' spacing 1.2 width 2\n",
               ny - 1, ytop);
    buf_puts(b, "set ytics font ',11' (");
    for (int i = 0; i * step <= ytop && i < 50; i++) {
        char mt[32];
        money_text(i * step, mt);
        buf_printf(b, "%s'%s' %g", i ? ", " : "", mt, i * step);
    }
    buf_puts(b, ")\n");
    /* Columns: year, the sources, the unsplit part, total, label, planned,
     * label height, share label. */
    size_t ct = nsrc + 3;
    buf_puts(b, "plot ");
    for (size_t k = 0; k <= nsrc; k++) {
        if (k == nsrc && !any_unsplit) continue;
        if (k) buf_puts(b, ", ");
        buf_printf(b, "$k using %zu%s lc rgb '%s' title ", k + 2, k == 0 ? ":xtic(1)" : "",
                   k < nsrc ? fund_colours[k % N_FUND_COLOURS] : COLOUR_UNSPLIT);
        if (k < nsrc) labels_quote(b, src[k]->label ? src[k]->label : src[k]->code, 40);
        else buf_puts(b, "'Chưa tách theo nguồn'");
    }
    if (nsrc == 0 && !any_unsplit) buf_printf(b, "$k using %zu:xtic(1) lc rgb '%s' title 'Đã thực hiện'", ct, fund_colours[0]);
    if (any_planned)
        buf_printf(b, ", $k using 0:%zu with boxes lw 2 lc rgb '#000000' fs empty border -1 "
                      "title 'Dự toán (tổng, khung đen)'", ct + 2);
    buf_printf(b, ", $k using 0:%zu:%zu with labels boxed offset 0,2.1 font ',11' tc rgb '#111111' notitle",
               ct + 3, ct + 1);
    buf_printf(b, ", $k using 0:%zu:%zu with labels offset 0,0.8 font ',10' tc rgb '" COLOUR_MUTED "' notitle\n",
               ct + 3, ct + 4);
    free(spent);
    free(planned);
    return true;
}

/* The latest year whose plans are held against reports, 0 none. */
static int planvs_year(const planvs *pv)
{
    int year = 0;
    for (size_t i = 0; pv && i < pv->ntotals; i++)
        if (!pv->totals[i].unit && pv->totals[i].reported && pv->totals[i].year > year) year = pv->totals[i].year;
    return year;
}

/* "Thực hiện kế hoạch": per content, the share of the persons planned that
 * were trained in one year (bars, green at or above checks.plan_done, red
 * below; the line at that share), the share written above each (the
 * persons are in tong-hop.xlsx's "Kế hoạch – Thực hiện"). */
static bool put_planvs(chart *c, const scope *s, const planvs *pv)
{
    int year = planvs_year(pv);
    if (!year) return false;
    const struct config *cfg = s->cfg;
    buf *b = &c->body;
    double tp = 0, tt = 0, top = 120;
    size_t n = 0;
    buf data = BUF_INIT, tics = BUF_INIT;
    for (size_t m = 0; m < cfg->n_metrics; m++) {
        double pl = 0, tr = 0;
        for (size_t i = 0; i < pv->n; i++) {
            const planvs_row *w = &pv->rows[i];
            if (w->year == year && w->metric == &cfg->metrics[m] && w->has_trained) pl += w->planned, tr += w->trained;
        }
        if (pl <= 0) continue;
        double pct = 100 * tr / pl, shown = pct > 200 ? 200 : pct;
        if (shown > top) top = shown;
        char title[200], pc[24];
        config_metric_title(&cfg->metrics[m], title, sizeof title);
        charts_pct_text(tr / pl, pc);
        buf_printf(&data, "%zu ", n);
        put_num(&data, shown);
        buf_printf(&data, " %d \"%s\"\n", pct >= 100 * pv->threshold - 1e-9 ? 0x1a9850 : 0xd73027, pc);
        buf_printf(&tics, "%s", n ? ", " : "");
        labels_quote(&tics, title, 34);
        buf_printf(&tics, " %zu", n);
        tp += pl, tt += tr, n++;
    }
    char sub[300], pc[24] = "?", th[24];
    if (tp > 0) charts_pct_text(tt / tp, pc);
    charts_pct_text(pv->threshold, th);
    snprintf(sub, sizeof sub, "Năm %d — số người đã đào tạo, bồi dưỡng (Biểu 02) so với kế hoạch của các đơn vị đã báo "
             "cáo; toàn tỉnh %s; đỏ: dưới %s (đường gạch); trên 200 %% vẽ bằng 200 %%", year, pc, th);
    put_titles(b, "Thực hiện kế hoạch đào tạo, bồi dưỡng theo nội dung", sub, 95);
    buf_puts(b, "$p << EOD\n");
    buf_append(b, data.data, data.len);
    buf_puts(b, "EOD\n");
    buf_printf(b, "set bmargin 12\nset style fill solid 0.85 border -1\nset boxwidth 0.7\n"
                  "set xrange [-0.7:%zu.7]\nset yrange [0:%g]\nset ylabel '%% kế hoạch' font ',12'\n"
                  "set ytics font ',10'\nunset key\nset xtics rotate by -40 font ',9' (",
               n ? n - 1 : 0, top * 1.12);
    buf_append(b, tics.data, tics.len);
    buf_puts(b, ")\n");
    buf_printf(b, "set arrow 1 from graph 0, first %g to graph 1, first %g nohead dt 2 lw 1.5 lc rgb '" COLOUR_TARGET
                  "'\n", pv->threshold * 100, pv->threshold * 100);
    buf_puts(b, "plot $p using 1:2:3 with boxes lc rgb variable notitle, "
                "'' using 1:2:4 with labels offset 0,0.8 font ',9' tc rgb '#111111' notitle\n");
    buf_free(&data);
    buf_free(&tics);
    return n > 0;
}

/* ---- private functions: drawing ------------------------------------------- */

/* The script drawing chart c into NAME.EXT on a fresh terminal. */
static void put_file_script(buf *b, const chart *c, const char *ext)
{
    buf_puts(b, "unset multiplot\n");
    if (strcmp(ext, "png") == 0) {
        /* pngcairo when the gnuplot has it, else libgd's png (same font by name). */
        buf_printf(b, "if (strstrt(GPVAL_TERMINALS, ' pngcairo ') > 0) { "
                      "set terminal pngcairo size %d,%d font '" FONT ",11' noenhanced } else { "
                      "set terminal png size %d,%d font '" FONT ",11' noenhanced }\n",
                   c->w, c->h, c->w, c->h);
    } else {
        buf_printf(b, "set terminal svg size %d,%d font '" FONT ",11' noenhanced\n", c->w, c->h);
    }
    buf_printf(b, "set output '%s.%s'\nreset\n", c->name, ext);
    put_common(b);
    buf_append(b, c->body.data, c->body.len);
    buf_puts(b, "unset output\n");
}

/* Turn what gnuplot reported into findings; returns the charts (by index)
 * it reported for in bad[]. */
static void report_findings(results *res, const gnuplot_report *rep, dtbd_status st,
                            const chart_list *l, bool *bad)
{
    for (size_t i = 0; i < rep->n; i++) {
        const gnuplot_message *m = &rep->msgs[i];
        for (size_t k = 0; k < l->n; k++) {
            size_t len = strlen(l->v[k].name);
            if (strncmp(m->chart, l->v[k].name, len) == 0 && m->chart[len] == '.') bad[k] = true;
        }
        buf text = BUF_INIT;
        labels_clean(&text, m->text, 600);
        results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Biểu đồ %s: gnuplot báo lỗi: %s", m->chart[0] ? m->chart : "(khởi động)",
                            text.data ? text.data : "");
        buf_free(&text);
    }
    /* A failure the messages do not explain (gnuplot died, hung, crashed). */
    if (st != DTBD_OK && !(st == DTBD_ERR_GNUPLOT_EXIT && rep->n > 0 && rep->signal == 0)) {
        if (rep->signal)
            results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                                "Biểu đồ: gnuplot bị dừng bởi tín hiệu %d; các biểu đồ có thể thiếu",
                                rep->signal);
        else
            results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                                "Biểu đồ: %s; các biểu đồ có thể thiếu", dtbd_strerror(st));
    }
}

/* True when path is a non-empty regular file. */
static bool file_written(const char *dir, const char *name, const char *ext)
{
    char p[4096];
    struct stat sb;
    int k = snprintf(p, sizeof p, "%s/%s.%s", dir, name, ext);
    return k > 0 && (size_t)k < sizeof p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
}

/* Remove a previous run's file, so a chart that fails is missing rather
 * than stale. */
static void remove_old(const char *dir, const char *name, const char *ext)
{
    char p[4096];
    int k = snprintf(p, sizeof p, "%s/%s.%s", dir, name, ext);
    if (k > 0 && (size_t)k < sizeof p) unlink(p);
}

/* ---- public functions ----------------------------------------------------- */

int charts_render(const char *outdir, const struct config *cfg, results *res, const attainment *att)
{
    return charts_render_plan(outdir, cfg, res, att, NULL);
}

int charts_render_plan(const char *outdir, const struct config *cfg, results *res, const attainment *att,
                       const planvs *pv)
{
    char dir[4096];
    int k = snprintf(dir, sizeof dir, "%s/charts", outdir ? outdir : "out");
    if (k < 0 || (size_t)k >= sizeof dir) {
        results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Biểu đồ: đường dẫn thư mục kết quả quá dài");
        return 0;
    }
    char probe[4096];
    if (!gnuplot_find(NULL, probe, sizeof probe)) {
        results_add_finding(res, SEV_WARNING, "charts_unavailable", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Không vẽ biểu đồ: không tìm thấy chương trình gnuplot (cài gói gnuplot-nox); "
                            "các kết quả khác vẫn được ghi đầy đủ");
        return 0;
    }
    /* outdir itself too, so the run may draw before writing its files
     * (the findings then reach issues.csv). */
    if ((mkdir(outdir ? outdir : "out", 0777) != 0 && errno != EEXIST) ||
        (mkdir(dir, 0777) != 0 && errno != EEXIST)) {
        results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Biểu đồ: không tạo được thư mục %s: %s", dir, syserr_text(errno, SYSERR_WRITE));
        return 0;
    }

    /* The years: those of the attainment rows, else the plan's. */
    fig_index *fig = fig_build(cfg, res);
    if (!fig) {
        results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Biểu đồ: %s", dtbd_strerror(DTBD_ERR_NOMEM));
        return 0;
    }
    scope s = {cfg, att, res, fig, 0, 0};
    for (size_t i = 0; i < att->n; i++) {
        int y = att->rows[i].year;
        if (!s.first || y < s.first) s.first = y;
        if (y > s.last) s.last = y;
    }
    if (!s.first) { s.first = cfg->plan.first_year; s.last = cfg->plan.last_year; }

    /* The order of bieu-do.pdf's pages: what leadership needs first. */
    chart_list l = {0};
    char name[48];
    if (cfg->n_indicators) {
        chart *c = chart_add(&l, "tom-tat", TREND_W, OVERVIEW_H * TREND_W / OVERVIEW_W);
        if (c) put_cover(c, &s);
        c = chart_add(&l, "tong-quan", OVERVIEW_W, OVERVIEW_H);
        if (c) put_overview(c, &s);
    }
    for (size_t i = 0; i < cfg->n_indicators; i++) {
        labels_slug(cfg->indicators[i].id, name, sizeof name);
        chart *c = chart_add(&l, name, TREND_W, TREND_H);
        if (c) put_trend(c, &s, &cfg->indicators[i]);
    }
    for (size_t i = 0; i < cfg->n_indicators && !l.oom; i++) {
        const struct config_indicator *ind = &cfg->indicators[i];
        int year = ranked_year(&s, ind);
        if (!year) continue;
        charts_rank_row *rows = NULL;
        size_t nrows = 0;
        if (charts_ranking(cfg, res, s.fig, att, ind, year, &rows, &nrows) != 0) { l.oom = true; break; }
        char slug[32];
        labels_slug(ind->id, slug, sizeof slug);
        snprintf(name, sizeof name, "xep-hang-%s", slug);
        int h = 170 + 26 * (int)nrows;
        chart *c = chart_add(&l, name, TREND_W, h < TREND_H ? TREND_H : h);
        if (c && !put_ranked(c, &s, ind, year, rows, nrows)) { buf_free(&c->body); l.n--; }
        free(rows);
    }
    {
        chart *c = chart_add(&l, "kinh-phi", TREND_W, TREND_H);
        if (c && !put_funding(c, &s)) { buf_free(&c->body); l.n--; }
    }
    if (planvs_year(pv)) {
        chart *c = chart_add(&l, "thuc-hien-ke-hoach", TREND_W, TREND_H);
        if (c && !put_planvs(c, &s, pv)) { buf_free(&c->body); l.n--; }
    }
    fig_free(fig);
    for (size_t i = 0; i < l.n; i++) l.oom |= l.v[i].body.oom;
    if (l.oom) {
        results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Biểu đồ: %s", dtbd_strerror(DTBD_ERR_NOMEM));
        chart_list_free(&l);
        return 0;
    }

    gnuplot *g = NULL;
    dtbd_status st = gnuplot_open(dir, &g);
    if (st != DTBD_OK) {
        results_add_finding(res, SEV_WARNING, st == DTBD_ERR_GNUPLOT_NOT_FOUND ? "charts_unavailable" : "charts_error",
                            RESULTS_NO_SOURCE, NULL, NULL, NULL, 0, "Không vẽ biểu đồ: %s",
                            dtbd_strerror(st));
        chart_list_free(&l);
        return 0;
    }

    /* PNG and SVG of each chart, then every chart again as a page of the
     * PDF: one output file, one page per plot or multiplot. */
    buf script = BUF_INIT;
    char mark[64];                     /* the chart's marker: NAME.EXT */
    static const char *const exts[] = {"png", "svg"};
    for (size_t e = 0; e < 2 && st == DTBD_OK; e++) {
        for (size_t i = 0; i < l.n && st == DTBD_OK; i++) {
            remove_old(dir, l.v[i].name, exts[e]);
            buf_clear(&script);
            put_file_script(&script, &l.v[i], exts[e]);
            snprintf(mark, sizeof mark, "%s.%s", l.v[i].name, exts[e]);
            st = script.oom ? DTBD_ERR_NOMEM : gnuplot_send(g, mark, script.data, script.len);
        }
    }
    remove_old(dir, "bieu-do", "pdf");
    buf_clear(&script);
    buf_puts(&script, "unset multiplot\n"
                      "if (strstrt(GPVAL_TERMINALS, ' pdfcairo ') > 0) { "
                      "set terminal pdfcairo size 29.7cm,21cm font '" FONT ",11' fontscale 0.7 noenhanced; "
                      "set output 'bieu-do.pdf' } else { "
                      "print 'gnuplot không có thiết bị pdfcairo: không tạo được bieu-do.pdf'; "
                      "set terminal unknown }\n");
    if (st == DTBD_OK) st = gnuplot_send(g, "bieu-do.pdf", script.data, script.len);
    for (size_t i = 0; i < l.n && st == DTBD_OK; i++) {
        buf_clear(&script);
        buf_puts(&script, "unset multiplot\nreset\n");
        put_common(&script);
        buf_append(&script, l.v[i].body.data, l.v[i].body.len);
        snprintf(mark, sizeof mark, "%s.pdf", l.v[i].name);
        st = script.oom ? DTBD_ERR_NOMEM : gnuplot_send(g, mark, script.data, script.len);
    }
    if (st == DTBD_OK) st = gnuplot_send(g, "bieu-do.pdf", "unset multiplot\nunset output\n", 29);
    buf_free(&script);

    gnuplot_report rep;
    dtbd_status cst = gnuplot_close(g, &rep);
    if (st == DTBD_OK) st = cst;
    bool *bad = calloc(l.n ? l.n : 1, sizeof *bad);
    int drawn = 0;
    if (!bad) {
        results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Biểu đồ: %s", dtbd_strerror(DTBD_ERR_NOMEM));
    } else {
        report_findings(res, &rep, st, &l, bad);
        for (size_t i = 0; i < l.n; i++)
            drawn += !bad[i] && file_written(dir, l.v[i].name, "png") && file_written(dir, l.v[i].name, "svg");
    }
    free(bad);
    gnuplot_report_free(&rep);
    chart_list_free(&l);
    return drawn;
}
