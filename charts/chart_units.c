/*
 * charts/chart_units.c — the charts beyond the province's ratios
 * (chart_private.h): the units ranked against the target (xep-hang-tNN),
 * funding spent by source (kinh-phi, the figures of pipeline/figures.h)
 * and the plan against results (thuc-hien-ke-hoach).
 */
#include "charts/chart_private.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charts/labels.h"

/* ---- units ranked against the target -------------------------------------- */

/* The latest year with a unit ratio for ind, or 0. */
int chart_ranked_year(const scope *s, const struct config_indicator *ind)
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
        const attainment_row *r = chart_province_row(s, ind, y);
        if (!r || !r->has_ratio) continue;
        if (y >= ind->deadline || y > year) return NAN;
        return (r->ratio + (ind->target - r->ratio) * (year - y) / (double)(ind->deadline - y)) * 100.0;
    }
    return NAN;
}

/* What the data of a ranking hold: the statuses shown, the largest ratio
 * (at least the target, in %), the units with a ratio, those behind or not
 * meeting it, those without a figure for a reason other than a merger. */
typedef struct {
    bool used[N_STATUS];
    double max_pct;
    size_t below, with_ratio, missing;
} ranking;

/* The data block $r, rows top-down (y = n-1 for the first): y, ratio in
 * %, status, label, has a ratio. The label of a unit without a ratio is
 * the reason, in grey, from the axis. */
static void ranked_put_data(buf *b, const charts_rank_row *u, size_t n, ranking *k)
{
    buf_puts(b, "$r << EOD\n");
    for (size_t i = 0; i < n; i++) {
        char lab[64];
        double pct = 0;
        if (u[i].has_ratio) {
            pct = u[i].ratio * 100.0;
            charts_pct_text(u[i].ratio, lab);
            if (pct > k->max_pct) k->max_pct = pct;
            k->with_ratio++;
            k->below += u[i].status == ATT_NOT_MET || u[i].status == ATT_BEHIND;
            k->used[u[i].status < N_STATUS ? u[i].status : ATT_NO_DATA] = true;
        } else {
            snprintf(lab, sizeof lab, "%s", charts_reason_text(u[i].reason));
            k->missing += u[i].reason != CHARTS_MERGED;
        }
        buf_printf(b, "%zu ", n - 1 - i);
        chart_put_num(b, pct);
        buf_printf(b, " %d \"%s\" %d\n", u[i].has_ratio ? (int)u[i].status : ATT_NO_DATA, lab, u[i].has_ratio);
    }
    buf_puts(b, "EOD\n");
}

/* The ranking's title and, under it, how many units are behind or not
 * meeting the target and how many have no figure. */
static void ranked_put_titles(buf *b, const scope *s, const struct config_indicator *ind, int year,
                              const ranking *k)
{
    buf title = BUF_INIT;
    buf_printf(&title, "Xếp hạng đơn vị năm %d — ", year);
    chart_indicator_title(ind, &title);
    char sub[512];
    const char *bad_words = ind->kind == CONFIG_BY_DEADLINE && year < ind->deadline
                                ? config_status_word(s->cfg, ATT_BEHIND)
                                : config_status_word(s->cfg, ATT_NOT_MET);
    int w = snprintf(sub, sizeof sub, "%zu đơn vị có số liệu, %zu %s", k->with_ratio, k->below, bad_words);
    if (ind->kind == CONFIG_BY_DEADLINE && year < ind->deadline)
        w += snprintf(sub + w, sizeof sub - (size_t)w, " (so với lộ trình của chính đơn vị đến %d)", ind->deadline);
    if (k->missing && w > 0 && (size_t)w < sizeof sub)
        snprintf(sub + w, sizeof sub - (size_t)w, "; %zu đơn vị chưa có số liệu (lý do ghi bên cạnh)", k->missing);
    chart_put_titles(b, title.data ? title.data : "", sub, 80);
    buf_free(&title);
}

/* Unit names are labels left of the axis, not tic labels: gnuplot cuts
 * tic labels at 50 bytes (its gprintf buffer), a Vietnamese name of 20
 * letters. Names of units behind or not meeting it are red; a merged unit
 * is indented under its successor. The left margin fits the longest. */
static void ranked_put_names(buf *b, const charts_rank_row *u, size_t n)
{
    size_t longest = 0;
    buf_puts(b, "unset ytics\n");
    for (size_t i = 0; i < n; i++) {
        buf name = BUF_INIT;
        if (u[i].under) buf_puts(&name, "↳ ");
        buf_puts(&name, u[i].unit->name ? u[i].unit->name : u[i].unit->code);
        buf shown = BUF_INIT;
        labels_clean(&shown, name.data ? name.data : "", RANK_NAME_MAX);
        size_t cps = chart_text_chars(shown.data);
        if (cps > longest) longest = cps;
        buf_free(&shown);
        bool bad = u[i].has_ratio && (u[i].status == ATT_NOT_MET || u[i].status == ATT_BEHIND);
        buf_printf(b, "set label %zu ", 100 + i);
        labels_quote(b, name.data ? name.data : "", RANK_NAME_MAX);
        buf_printf(b, " at graph 0, first %zu right offset -0.8,0 font ',10' tc rgb '%s'\n", n - 1 - i,
                   bad ? chart_status_look[ATT_NOT_MET].colour : u[i].under ? COLOUR_MUTED : "#222222");
        buf_free(&name);
    }
    buf_printf(b, "set lmargin %d\n", (int)((double)longest * 0.9) + 3);
}

/* The plot: a bar per status, then the reference lines as data (the
 * target, the province's trajectory value traj unless NAN), drawn after
 * the bars (in front of them) and before the value labels (whose opaque
 * boxes stay readable). */
static void ranked_put_plot(buf *b, const scope *s, const struct config_indicator *ind, int year, size_t n,
                            const ranking *k, double traj)
{
    buf_printf(b, "$tl << EOD\n%g -0.7\n%g %zu.7\nEOD\n", ind->target * 100.0, ind->target * 100.0, n - 1);
    if (!isnan(traj)) buf_printf(b, "$jl << EOD\n%g -0.7\n%g %zu.7\nEOD\n", traj, traj, n - 1);
    buf_puts(b, "plot 1/0 notitle");
    for (int st = 0; st < N_STATUS; st++) {
        if (!k->used[st] || st == ATT_NO_DATA) continue;
        buf_printf(b, ", $r using (0):($3==%d?$1:NaN):(0):2:($1-0.36):($1+0.36) with boxxyerror "
                      "fc rgb '%s' title ", st, chart_status_look[st].colour);
        labels_quote(b, config_status_word(s->cfg, st), 0);
    }
    char tp[24];
    charts_pct_text(ind->target, tp);
    buf_puts(b, ", $tl using 1:2 with lines dt 2 lw 2 lc rgb '" COLOUR_TARGET "' title ");
    chart_put_quoted_fmt(b, 0, "Mục tiêu %s", tp);
    if (!isnan(traj)) {
        char jp[24];
        charts_pct_text(traj / 100.0, jp);
        buf_puts(b, ", $jl using 1:2 with lines dt 3 lw 2.5 lc rgb '" COLOUR_TRAJ "' title ");
        chart_put_quoted_fmt(b, 0, "Lộ trình toàn tỉnh năm %d: %s", year, jp);
    }
    buf_puts(b, ", $r using 2:($5==1?$1:NaN):4 with labels boxed left offset 0.6,0 font ',9' tc rgb '#222222' notitle");
    buf_puts(b, ", $r using 2:($5==0?$1:NaN):4 with labels left offset 0.6,0 font ',9' tc rgb '#777777' notitle\n");
}

/* Fill c with the ranking of rows (charts_ranking); false when empty. */
bool chart_put_ranked(chart *c, const scope *s, const struct config_indicator *ind, int year,
                      const charts_rank_row *u, size_t n)
{
    if (n == 0) return false;
    buf *b = &c->body;
    ranking k = {.max_pct = ind->target * 100.0};
    ranked_put_data(b, u, n, &k);
    ranked_put_titles(b, s, ind, year, &k);
    double top = ceil((k.max_pct + 14.0) / 10.0) * 10.0;
    if (top < 114) top = 114;
    buf_printf(b, "set bmargin 6\nset rmargin 6\n"
                  "set yrange [-0.7:%zu.7]\nset xrange [0:%g]\n"
                  "set xtics 0,10,100 format '%%.0f %%%%' font ',10'\n"
                  "set grid xtics noytics lc rgb '" COLOUR_GRID "'\n"
                  "set xlabel 'Tỷ lệ của đơn vị' font ',11'\n"
                  "set key outside below center horizontal Left reverse font ',11' width 2\n",
               n - 1, top);
    ranked_put_names(b, u, n);
    ranked_put_plot(b, s, ind, year, n, &k, province_trajectory(s, ind, year));
    return true;
}

/* ---- funding by source ---------------------------------------------------- */

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

/* The funding chart's figures: per year (index 0 = the first year) the
 * sources spent and, after them, the part of totals no source explains;
 * the total planned. */
typedef struct {
    const struct config_group *fg;
    const struct config_metric *m_spent, *m_planned;
    const char *total_code;                   /* the total's breakdown code   */
    const struct config_breakdown *src[FUND_MAX];
    size_t nsrc;
    int ny;                                   /* the years, first..last       */
    double (*spent)[FUND_MAX + 1];
    double *planned;
    bool any, any_unsplit, any_planned;
} funding;

/* Add unit u's figures of year index y. The total is the total cell when
 * given, else the sum of the sources. */
static void funding_add_unit(funding *f, const scope *s, const struct config_unit *u, int y)
{
    double sum = 0, v, tot = 0;
    for (size_t k = 0; k < f->nsrc; k++)
        if (fig_cell(s->fig, u, s->first + y, f->fg, f->m_spent, f->src[k]->code, &v)) {
            f->spent[y][k] += v;
            sum += v;
            f->any = true;
        }
    if (fig_cell(s->fig, u, s->first + y, f->fg, f->m_spent, f->total_code, &tot)) {
        f->any |= tot > 0;
        if (tot > sum + 0.5) { f->spent[y][f->nsrc] += tot - sum; f->any_unsplit = true; }
    }
    if (!f->m_planned) return;
    double p = 0, ps = 0;
    if (!fig_cell(s->fig, u, s->first + y, f->fg, f->m_planned, f->total_code, &p)) {
        for (size_t k = 0; k < f->nsrc; k++)
            if (fig_cell(s->fig, u, s->first + y, f->fg, f->m_planned, f->src[k]->code, &v)) ps += v;
        p = ps;
    }
    f->planned[y] += p;
    f->any_planned |= p > 0;
}

/* The data block $k, a line per year: year, the sources, the unsplit part,
 * total, label, planned, label height, share label. Returns the largest
 * total or planned sum. */
static double funding_put_data(buf *b, const funding *f, const scope *s)
{
    double top = 0;
    buf_puts(b, "$k << EOD\n");
    for (int y = 0; y < f->ny; y++) {
        double tot = 0, pl_y = f->planned[y];
        buf_printf(b, "%d", s->first + y);
        for (size_t k = 0; k <= f->nsrc; k++) {
            buf_putc(b, ' ');
            chart_put_num(b, f->spent[y][k]);
            tot += f->spent[y][k];
        }
        /* The labels: spent and planned when known ("25.363 / 27.267"),
         * and under it the share of the plan spent ("đã chi 93,0 %"). */
        char mt[72] = "", sh[48] = "", sp[32], pl[32];
        money_text(tot, sp);
        money_text(pl_y, pl);
        if (tot > 0 && pl_y > 0) snprintf(mt, sizeof mt, "%s / %s", sp, pl);
        else if (tot > 0) snprintf(mt, sizeof mt, "%s", sp);
        else if (pl_y > 0) snprintf(mt, sizeof mt, "0 / %s", pl);
        if (pl_y > 0) {
            char pc[24];
            charts_pct_text(tot / pl_y, pc);
            snprintf(sh, sizeof sh, "đã chi %s", pc);
        }
        buf_putc(b, ' ');
        chart_put_num(b, tot);
        buf_printf(b, " \"%s\" ", mt);
        chart_put_num(b, pl_y > 0 ? pl_y : NAN);
        buf_putc(b, ' ');
        chart_put_num(b, pl_y > tot ? pl_y : tot);   /* where the labels go */
        buf_printf(b, " \"%s\"\n", sh);
        if (tot > top) top = tot;
        if (pl_y > top) top = pl_y;
    }
    buf_puts(b, "EOD\n");
    return top;
}

/* The axes, with the y tics written here to group thousands the
 * Vietnamese way (gnuplot would need a locale for that): a step of 10^k,
 * its half or its fifth, for four to ten tics. */
static void funding_put_axes(buf *b, int ny, double top)
{
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
}

/* The plot: the sources stacked (and the unsplit part), the planned total
 * as a black frame, the labels above. */
static void funding_put_plot(buf *b, const funding *f)
{
    size_t nsrc = f->nsrc, ct = nsrc + 3;        /* ct: the total's column */
    buf_puts(b, "plot ");
    for (size_t k = 0; k <= nsrc; k++) {
        if (k == nsrc && !f->any_unsplit) continue;
        if (k) buf_puts(b, ", ");
        buf_printf(b, "$k using %zu%s lc rgb '%s' title ", k + 2, k == 0 ? ":xtic(1)" : "",
                   k < nsrc ? chart_fund_colours[k % N_FUND_COLOURS] : COLOUR_UNSPLIT);
        if (k < nsrc) labels_quote(b, f->src[k]->label ? f->src[k]->label : f->src[k]->code, 40);
        else buf_puts(b, "'Chưa tách theo nguồn'");
    }
    if (nsrc == 0 && !f->any_unsplit)
        buf_printf(b, "$k using %zu:xtic(1) lc rgb '%s' title 'Đã thực hiện'", ct, chart_fund_colours[0]);
    if (f->any_planned)
        buf_printf(b, ", $k using 0:%zu with boxes lw 2 lc rgb '#000000' fs empty border -1 "
                      "title 'Dự toán (tổng, khung đen)'", ct + 2);
    buf_printf(b, ", $k using 0:%zu:%zu with labels boxed offset 0,2.1 font ',11' tc rgb '#111111' notitle",
               ct + 3, ct + 1);
    buf_printf(b, ", $k using 0:%zu:%zu with labels offset 0,0.8 font ',10' tc rgb '" COLOUR_MUTED "' notitle\n",
               ct + 3, ct + 4);
}

/* Fill c with the funding chart (the figures of pipeline/figures.h: the
 * records that count, each unit's cell of Biểu 03). False only when there
 * are no years to show or memory runs out. */
bool chart_put_funding(chart *c, const scope *s)
{
    funding f = {.ny = s->last - s->first + 1};
    if (f.ny <= 0 || f.ny > 100) return false;
    f.fg = config_group(s->cfg, "funding");
    f.m_spent = config_metric(s->cfg, "budget_spent");
    f.m_planned = config_metric(s->cfg, "budget_planned");
    f.nsrc = fund_sources(f.m_spent, f.src);
    f.total_code = f.m_spent && f.m_spent->n_breakdowns ? f.m_spent->breakdowns[0]->code : "total";
    f.spent = calloc((size_t)f.ny, sizeof *f.spent);
    f.planned = calloc((size_t)f.ny, sizeof *f.planned);
    if (!f.spent || !f.planned) { free(f.spent); free(f.planned); c->body.oom = true; return false; }
    for (int y = 0; f.fg && f.m_spent && y < f.ny; y++)
        for (size_t i = 0; i < s->cfg->n_units; i++) funding_add_unit(&f, s, &s->cfg->units[i], y);

    buf *b = &c->body;
    chart_put_titles(b, "Kinh phí đào tạo, bồi dưỡng đã thực hiện theo nguồn (Biểu 03)",
                     "Tổng các đơn vị theo năm, triệu đồng; khung đen: dự toán được giao; số trên cột: đã thực hiện / dự toán và tỷ lệ đã chi", 80);
    if (!f.any) {
        buf_puts(b, "set xrange [0:1]\nset yrange [0:1]\nunset tics\nunset border\nunset grid\n"
                    "set label 1 'Chưa có số liệu kinh phí (Biểu 03) trong các báo cáo đã nhận' "
                    "at graph 0.5, graph 0.5 center font ',14' tc rgb '#777777'\nplot 2 notitle\n");
    } else {
        funding_put_axes(b, f.ny, funding_put_data(b, &f, s));
        funding_put_plot(b, &f);
    }
    free(f.spent);
    free(f.planned);
    return true;
}

/* ---- plan against results ------------------------------------------------- */

/* The latest year whose plans are held against reports, 0 none. */
int chart_planvs_year(const planvs *pv)
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
bool chart_put_planvs(chart *c, const scope *s, const planvs *pv)
{
    int year = chart_planvs_year(pv);
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
        chart_put_num(&data, shown);
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
    chart_put_titles(b, "Thực hiện kế hoạch đào tạo, bồi dưỡng theo nội dung", sub, 95);
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
