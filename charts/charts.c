/*
 * charts/charts.c — the charts for the leadership (see charts.h): the list
 * of charts in the order of bieu-do.pdf's pages, drawing them through
 * gnuplot (PNG, SVG, the PDF) and turning what gnuplot reports into
 * findings. What each chart holds is written by chart_trend.c and
 * chart_units.c (chart_private.h).
 */
#include "charts/charts.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/syserr.h"
#include "charts/chart_private.h"
#include "charts/gnuplot.h"
#include "charts/labels.h"

/* ---- private types -------------------------------------------------------- */

typedef struct {
    chart *v;
    size_t n, cap;
    bool oom;
} chart_list;

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

/* ---- private functions: the steps of a run -------------------------------- */

static void warn_nomem(results *res)
{
    results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                        "Biểu đồ: %s", dtbd_strerror(DTBD_ERR_NOMEM));
}

/* The charts' folder outdir/charts into dir, made with outdir itself (so
 * the run may draw before writing its files: the findings then reach
 * issues.csv), once gnuplot is known to be there. False, with a finding,
 * when there is nothing to draw with or into. */
static bool charts_dir(const char *outdir, results *res, char dir[4096])
{
    int k = snprintf(dir, 4096, "%s/charts", outdir ? outdir : "out");
    if (k < 0 || k >= 4096) {
        results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Biểu đồ: đường dẫn thư mục kết quả quá dài");
        return false;
    }
    char probe[4096];
    if (!gnuplot_find(NULL, probe, sizeof probe)) {
        results_add_finding(res, SEV_WARNING, "charts_unavailable", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Không vẽ biểu đồ: không tìm thấy chương trình gnuplot (cài gói gnuplot-nox); "
                            "các kết quả khác vẫn được ghi đầy đủ");
        return false;
    }
    if ((mkdir(outdir ? outdir : "out", 0777) != 0 && errno != EEXIST) ||
        (mkdir(dir, 0777) != 0 && errno != EEXIST)) {
        results_add_finding(res, SEV_WARNING, "charts_error", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Biểu đồ: không tạo được thư mục %s: %s", dir, syserr_text(errno, SYSERR_WRITE));
        return false;
    }
    return true;
}

/* The years of s: those of the attainment rows, else the plan's. */
static void scope_years(scope *s)
{
    for (size_t i = 0; i < s->att->n; i++) {
        int y = s->att->rows[i].year;
        if (!s->first || y < s->first) s->first = y;
        if (y > s->last) s->last = y;
    }
    if (!s->first) { s->first = s->cfg->plan.first_year; s->last = s->cfg->plan.last_year; }
}

/* A ranking of units per indicator with unit figures. */
static void add_rankings(chart_list *l, const scope *s)
{
    const struct config *cfg = s->cfg;
    char name[48];
    for (size_t i = 0; i < cfg->n_indicators && !l->oom; i++) {
        const struct config_indicator *ind = &cfg->indicators[i];
        int year = chart_ranked_year(s, ind);
        if (!year) continue;
        charts_rank_row *rows = NULL;
        size_t nrows = 0;
        if (charts_ranking(cfg, s->res, s->fig, s->att, ind, year, &rows, &nrows) != 0) { l->oom = true; break; }
        char slug[32];
        labels_slug(ind->id, slug, sizeof slug);
        snprintf(name, sizeof name, "xep-hang-%s", slug);
        int h = 170 + 26 * (int)nrows;
        chart *c = chart_add(l, name, TREND_W, h < TREND_H ? TREND_H : h);
        if (c && !chart_put_ranked(c, s, ind, year, rows, nrows)) { buf_free(&c->body); l->n--; }
        free(rows);
    }
}

/* Every chart, in the order of bieu-do.pdf's pages: what leadership needs
 * first. */
static void add_charts(chart_list *l, const scope *s, const planvs *pv)
{
    const struct config *cfg = s->cfg;
    char name[48];
    if (cfg->n_indicators) {
        chart *c = chart_add(l, "tom-tat", TREND_W, OVERVIEW_H * TREND_W / OVERVIEW_W);
        if (c) chart_put_cover(c, s);
        c = chart_add(l, "tong-quan", OVERVIEW_W, OVERVIEW_H);
        if (c) chart_put_overview(c, s);
    }
    for (size_t i = 0; i < cfg->n_indicators; i++) {
        labels_slug(cfg->indicators[i].id, name, sizeof name);
        chart *c = chart_add(l, name, TREND_W, TREND_H);
        if (c) chart_put_trend(c, s, &cfg->indicators[i]);
    }
    add_rankings(l, s);
    {
        chart *c = chart_add(l, "kinh-phi", TREND_W, TREND_H);
        if (c && !chart_put_funding(c, s)) { buf_free(&c->body); l->n--; }
    }
    if (chart_planvs_year(pv)) {
        chart *c = chart_add(l, "thuc-hien-ke-hoach", TREND_W, TREND_H);
        if (c && !chart_put_planvs(c, s, pv)) { buf_free(&c->body); l->n--; }
    }
}

/* Send gnuplot the PNG and SVG of each chart, then every chart again as a
 * page of the PDF: one output file, one page per plot or multiplot. */
static dtbd_status draw_charts(gnuplot *g, const char *dir, const chart_list *l)
{
    dtbd_status st = DTBD_OK;
    buf script = BUF_INIT;
    char mark[64];                     /* the chart's marker: NAME.EXT */
    static const char *const exts[] = {"png", "svg"};
    for (size_t e = 0; e < 2 && st == DTBD_OK; e++) {
        for (size_t i = 0; i < l->n && st == DTBD_OK; i++) {
            remove_old(dir, l->v[i].name, exts[e]);
            buf_clear(&script);
            put_file_script(&script, &l->v[i], exts[e]);
            snprintf(mark, sizeof mark, "%s.%s", l->v[i].name, exts[e]);
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
    for (size_t i = 0; i < l->n && st == DTBD_OK; i++) {
        buf_clear(&script);
        buf_puts(&script, "unset multiplot\nreset\n");
        put_common(&script);
        buf_append(&script, l->v[i].body.data, l->v[i].body.len);
        snprintf(mark, sizeof mark, "%s.pdf", l->v[i].name);
        st = script.oom ? DTBD_ERR_NOMEM : gnuplot_send(g, mark, script.data, script.len);
    }
    if (st == DTBD_OK) st = gnuplot_send(g, "bieu-do.pdf", "unset multiplot\nunset output\n", 29);
    buf_free(&script);
    return st;
}

/* What gnuplot reported, as findings; the number of charts drawn (both
 * files written, nothing reported for them). */
static int count_drawn(results *res, const gnuplot_report *rep, dtbd_status st, const chart_list *l,
                       const char *dir)
{
    bool *bad = calloc(l->n ? l->n : 1, sizeof *bad);
    int drawn = 0;
    if (!bad) {
        warn_nomem(res);
    } else {
        report_findings(res, rep, st, l, bad);
        for (size_t i = 0; i < l->n; i++)
            drawn += !bad[i] && file_written(dir, l->v[i].name, "png") && file_written(dir, l->v[i].name, "svg");
    }
    free(bad);
    return drawn;
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
    if (!charts_dir(outdir, res, dir)) return 0;
    fig_index *fig = fig_build(cfg, res);
    if (!fig) {
        warn_nomem(res);
        return 0;
    }
    scope s = {cfg, att, res, fig, 0, 0};
    scope_years(&s);
    chart_list l = {0};
    add_charts(&l, &s, pv);
    fig_free(fig);
    for (size_t i = 0; i < l.n; i++) l.oom |= l.v[i].body.oom;
    if (l.oom) {
        warn_nomem(res);
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
    st = draw_charts(g, dir, &l);
    gnuplot_report rep;
    dtbd_status cst = gnuplot_close(g, &rep);
    if (st == DTBD_OK) st = cst;
    int drawn = count_drawn(res, &rep, st, &l, dir);
    gnuplot_report_free(&rep);
    chart_list_free(&l);
    return drawn;
}
