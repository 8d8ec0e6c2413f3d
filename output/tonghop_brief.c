/*
 * output/tonghop_brief.c — the "Tóm tắt" sheet of tong-hop.xlsx: one printed page
 * for the province's leadership (issue 12). See workbook.h for what it holds
 * and tonghop_private.h for the shared helpers.
 *
 * Decisions:
 *  - The year is the latest with a province ratio (the one the run's summary
 *    speaks of); every indicator has a row, "Chưa có số liệu" when it has no
 *    province figure that year.
 *  - Coverage: the agencies and districts active in that year (providers
 *    only cross-check, DESIGN §5.2) against those with an accepted file of
 *    that year; a unit merged that year whose successor reported is covered
 *    by it and counted in neither — the rule of the unit_missing_report
 *    finding (pipeline/validate.c), so "chưa báo cáo" names exactly the units
 *    that finding names.
 *  - Units furthest behind: for an indicator not met or behind at province
 *    level, its units with a ratio whose own status is not met / behind,
 *    furthest below their target first (the order of Theo đơn vị), at most
 *    LAGGING_SHOWN of them, and how many there are in all.
 *  - The chart reads the ratio and target cells of the table itself: plain
 *    numbers, not formulas, so the chart's cached values (what previewers and
 *    the PDF show) are the real ratios (libxlsxwriter fills a chart's cache
 *    from number cells; a formula's result would be cached as 0).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/tonghop_private.h"

#define LAGGING_SHOWN 3
#define SHEET "Tóm tắt"

/* Order of lagging units: furthest below their target first, then by code. */
static int lag_cmp(const void *pa, const void *pb)
{
    const attainment_row *a = *(const attainment_row *const *)pa, *b = *(const attainment_row *const *)pb;
    double ga = a->ratio - a->target, gb = b->ratio - b->target;
    if (ga != gb) return ga < gb ? -1 : 1;
    return strcmp(a->unit, b->unit);
}

/* The units of `ind` furthest behind in `year`, as one line of text ("" when
 * none): "Huyện A (41,2 %); Sở B (50,0 %) — 7 đơn vị chưa đạt". */
static void lagging_text(wctx *x, const struct config_indicator *ind, int year, char *out, size_t n)
{
    out[0] = '\0';
    const attainment *att = x->att;
    const attainment_row **lag = malloc((att->n + 1) * sizeof *lag);
    if (!lag) {
        th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    size_t nl = 0;
    for (size_t i = 0; i < att->n; i++) {
        const attainment_row *a = &att->rows[i];
        if (a->ind == ind && a->year == year && a->scope == SCOPE_UNIT && a->has_ratio &&
            (a->status == ATT_NOT_MET || a->status == ATT_BEHIND))
            lag[nl++] = a;
    }
    qsort(lag, nl, sizeof *lag, lag_cmp);
    size_t o = 0;
    for (size_t i = 0; i < nl && i < LAGGING_SHOWN; i++) {
        char pct[32];
        th_percent_text(lag[i]->ratio, pct, sizeof pct);
        int k = snprintf(out + o, n - o, "%s%s (%s)", i ? "; " : "", th_unit_name(x->cfg, lag[i]->unit), pct);
        if (k < 0 || (size_t)k >= n - o) break;
        o += (size_t)k;
    }
    if (nl > LAGGING_SHOWN && o < n) snprintf(out + o, n - o, " … — %zu đơn vị chưa đạt", nl);
    free(lag);
}

/* Did the unit send an accepted file of the year? */
static bool sent(const results *res, const struct config_unit *u, int year)
{
    for (size_t s = 0; s < res->nsources; s++) {
        const source_file *f = &res->sources[s];
        if (f->status == SRC_ACCEPTED && f->year == year && f->unit && strcmp(f->unit, u->code) == 0) return true;
    }
    return false;
}

/* "28/33 đơn vị" and the names of those that have not reported. */
static void coverage(wctx *x, int year, size_t *reported, size_t *expected, char *missing, size_t n)
{
    const struct config *cfg = x->cfg;
    *reported = *expected = 0;
    missing[0] = '\0';
    size_t o = 0;
    for (size_t i = 0; i < cfg->n_units; i++) {
        const struct config_unit *u = &cfg->units[i];
        if (u->kind == CONFIG_PROVIDER || !config_unit_active_in_year(u, year)) continue;
        if (sent(x->res, u, year)) {
            (*reported)++;
            (*expected)++;
            continue;
        }
        bool covered = false;
        if (u->successor && u->valid_to.year == year) {
            int guard = 0;
            for (const struct config_unit *s = u->successor; s && guard < 64 && !covered; s = s->successor, guard++)
                covered = sent(x->res, s, year);
        }
        if (covered) continue;
        (*expected)++;
        int k = snprintf(missing + o, n - o, "%s%s", o ? "; " : "", u->name);
        if (k < 0 || (size_t)k >= n - o) {
            missing[o] = '\0';   /* the names that fit; the count is in the coverage line */
            n = o;
        } else {
            o += (size_t)k;
        }
    }
}

/* See tonghop_private.h. */
/* The count of each status among the indicators' province rows of year:
 * "3 Đạt, 2 Không đạt … (trong 14 chỉ tiêu)" into line. */
static void status_counts(wctx *x, int year, char *line, size_t n)
{
    const struct config *cfg = x->cfg;
    size_t count[ATT_NO_DATA + 1] = {0};
    for (size_t k = 0; k < cfg->n_indicators; k++) {
        att_status st = ATT_NO_DATA;
        for (size_t i = 0; x->att && i < x->att->n; i++) {
            const attainment_row *a = &x->att->rows[i];
            if (a->ind == &cfg->indicators[k] && a->scope == SCOPE_PROVINCE && a->year == year) st = a->status;
        }
        count[st <= ATT_NO_DATA ? st : ATT_NO_DATA]++;
    }
    size_t o = 0;
    line[0] = '\0';
    for (int s = 0; s <= ATT_NO_DATA; s++) {
        if (!count[s]) continue;
        int k = snprintf(line + o, n - o, "%s%zu %s", o ? ", " : "", count[s],
                         config_status_word(x->cfg, (att_status)s));
        if (k > 0 && (size_t)k < n - o) o += (size_t)k;
    }
    snprintf(line + o, n - o, " (trong %zu chỉ tiêu)", cfg->n_indicators);
}

/* The title, the plan, and the facts: date, coverage, who has not reported,
 * the statuses, the findings. Returns the row after them. */
static lxw_row_t brief_facts(wctx *x, lxw_worksheet *ws, int year, lxw_col_t last_col)
{
    const struct config *cfg = x->cfg;
    char line[2048];
    if (year)
        snprintf(line, sizeof line, "TÓM TẮT KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐÀO TẠO, BỒI DƯỠNG CBCCVC NĂM %d", year);
    else
        snprintf(line, sizeof line, "TÓM TẮT KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐÀO TẠO, BỒI DƯỠNG CBCCVC");
    th_put_text(x, ws, NULL, 0, 0, line, x->title);
    th_keep(x, worksheet_set_row(ws, 0, 22, NULL));
    snprintf(line, sizeof line, "Kế hoạch số %s: %s", cfg->plan.id, cfg->plan.title ? cfg->plan.title : "");
    th_put_text(x, ws, NULL, 1, 0, line, x->subtitle);

    lxw_row_t r = 3;
    th_keep(x, template_merge_text(ws, r, 0, r, 1, "Lập lúc", x->meta_label));
    snprintf(line, sizeof line, "%s (dtbd %s, %zu tệp đã đọc)", x->meta->run_time ? x->meta->run_time : "",
             x->meta->version ? x->meta->version : "", x->meta->nfiles);
    th_keep(x, template_merge_text(ws, r, 2, r, last_col, line, x->meta_value));
    r++;
    if (year) {
        size_t rep = 0, exp = 0;
        char missing[1400];
        coverage(x, year, &rep, &exp, missing, sizeof missing);
        th_keep(x, template_merge_text(ws, r, 0, r, 1, "Đơn vị đã báo cáo", x->meta_label));
        snprintf(line, sizeof line, "%zu/%zu đơn vị (sở, ban, ngành và UBND cấp huyện phải báo cáo năm %d)", rep, exp,
                 year);
        th_keep(x, template_merge_text(ws, r, 2, r, last_col, line, x->meta_value));
        r++;
        if (exp > rep) {
            th_keep(x, template_merge_text(ws, r, 0, r, 1, "Chưa báo cáo", x->meta_label));
            th_keep(x, template_merge_text(ws, r, 2, r, last_col, missing, x->meta_wrap));
            double lines = ceil((double)template_text_width(missing) / 140.0);
            if (lines > 1) th_keep(x, worksheet_set_row(ws, r, 15.0 * lines + 2, NULL));
            r++;
        }
        status_counts(x, year, line, sizeof line);
        th_keep(x, template_merge_text(ws, r, 0, r, 1, "Kết quả", x->meta_label));
        th_keep(x, template_merge_text(ws, r, 2, r, last_col, line, x->meta_value));
        r++;
    }
    th_keep(x, template_merge_text(ws, r, 0, r, 1, "Phát hiện", x->meta_label));
    snprintf(line, sizeof line, "%zu lỗi, %zu cảnh báo, %zu thông tin (trang Kiểm tra)",
             results_count(x->res, SEV_ERROR), results_count(x->res, SEV_WARNING), results_count(x->res, SEV_INFO));
    th_keep(x, template_merge_text(ws, r, 2, r, last_col, line, x->meta_value));
    return r + 2;
}

/* Where the table of the indicators lies, for the chart. */
typedef struct {
    lxw_row_t head, first, last;
    double top;               /* the highest ratio shown                  */
} brief_table;

/* One row per indicator from row r: its province row of year, the status
 * coloured, the units furthest behind. */
static brief_table brief_indicators(wctx *x, lxw_worksheet *ws, int year, lxw_row_t r, lxw_col_t last_col)
{
    const struct config *cfg = x->cfg;
    char ratio_head[32];
    if (year) snprintf(ratio_head, sizeof ratio_head, "Tỷ lệ năm %d", year);
    else snprintf(ratio_head, sizeof ratio_head, "Tỷ lệ");
    const char *head[] = {"Mã", "Chỉ tiêu", "Loại chỉ tiêu", ratio_head, "Mục tiêu", "Đánh giá",
                          "Đơn vị chậm nhất (tỷ lệ của đơn vị)"};
    brief_table t = {.head = r, .first = r + 1, .top = 0};
    for (lxw_col_t c = 0; c <= last_col; c++) th_keep(x, template_write_text(ws, r, c, head[c], x->head));
    th_keep(x, worksheet_set_row(ws, r, 30, NULL));
    r++;
    for (size_t k = 0; k < cfg->n_indicators; k++) {
        const struct config_indicator *ind = &cfg->indicators[k];
        const attainment_row *a = NULL;
        for (size_t i = 0; year && x->att && i < x->att->n && !a; i++)
            if (x->att->rows[i].ind == ind && x->att->rows[i].scope == SCOPE_PROVINCE && x->att->rows[i].year == year)
                a = &x->att->rows[i];
        att_status st = a ? a->status : ATT_NO_DATA;
        char kind[64], lag[1024] = "";
        th_indicator_kind_label(ind, kind, sizeof kind);
        th_put_text(x, ws, NULL, r, 0, ind->id, x->center);
        th_put_text(x, ws, NULL, r, 1, ind->label, x->wrap);
        th_put_text(x, ws, NULL, r, 2, kind, x->center);
        /* a number, not a formula: the chart's cache takes its value */
        if (a && a->has_ratio) {
            th_put_num(x, ws, NULL, r, 3, a->ratio, x->pct);
            if (a->ratio > t.top) t.top = a->ratio;
        } else {
            th_keep(x, worksheet_write_blank(ws, r, 3, x->pct));
        }
        th_put_num(x, ws, NULL, r, 4, a ? a->target : ind->target, x->target);
        th_put_text(x, ws, NULL, r, 5, config_status_word(x->cfg, st), th_status_fmt(x, st));
        if (a && (st == ATT_NOT_MET || st == ATT_BEHIND)) lagging_text(x, ind, year, lag, sizeof lag);
        th_put_text(x, ws, NULL, r, 6, lag, x->wrap);
        double lines = fmax(ceil((double)template_text_width(lag) / 66.0),
                            ceil((double)template_text_width(ind->label) / 46.0));
        if (lines > 1) th_keep(x, worksheet_set_row(ws, r, 15.0 * lines + 2, NULL));
        r++;
    }
    t.last = r - 1;
    return t;
}

/* The chart under the table, on the same page: the year's ratios against
 * the targets, a native chart over the table's cells. */
static void brief_chart(wctx *x, lxw_worksheet *ws, int year, const brief_table *t, lxw_row_t row)
{
    char line[256];
    lxw_chart *ch = workbook_add_chart(x->wb, LXW_CHART_COLUMN);
    if (!ch) {
        th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    snprintf(line, sizeof line, "Toàn tỉnh năm %d: tỷ lệ đạt được và mục tiêu", year);
    chart_title_set_name(ch, line);
    lxw_chart_series *s1 = chart_add_series(ch, NULL, NULL);
    lxw_chart_series *s2 = chart_add_series(ch, NULL, NULL);
    if (s1 && s2) {
        chart_series_set_categories(s1, SHEET, t->first, 0, t->last, 0);
        chart_series_set_values(s1, SHEET, t->first, 3, t->last, 3);
        chart_series_set_name_range(s1, SHEET, t->head, 3);
        chart_series_set_categories(s2, SHEET, t->first, 0, t->last, 0);
        chart_series_set_values(s2, SHEET, t->first, 4, t->last, 4);
        chart_series_set_name_range(s2, SHEET, t->head, 4);
        lxw_chart_fill f1 = {.color = 0x2F75B5}, f2 = {.color = 0xBFBFBF};
        chart_series_set_fill(s1, &f1);
        chart_series_set_fill(s2, &f2);
    } else {
        th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    }
    chart_axis_set_num_format(ch->y_axis, "0%");
    chart_axis_set_min(ch->y_axis, 0);
    if (t->top <= 1) chart_axis_set_max(ch->y_axis, 1);
    chart_legend_set_position(ch, LXW_CHART_LEGEND_BOTTOM);
    chart_set_series_gap(ch, 60);
    /* 7 columns ≈ 163 characters ≈ 1200 px; 20 rows of 20 px */
    lxw_chart_options opt = {.x_offset = 10, .y_offset = 0, .x_scale = 2.0, .y_scale = 1.45};
    th_keep(x, worksheet_insert_chart_opt(ws, row, 0, ch, &opt));
}

void th_sheet_brief(wctx *x)
{
    lxw_worksheet *ws = th_new_sheet(x, SHEET);
    if (!ws) return;
    const int year = x->latest;
    /* columns: Mã, Chỉ tiêu, Loại, Tỷ lệ, Mục tiêu, Đánh giá, Đơn vị chậm nhất */
    static const double width[] = {7, 44, 13, 10, 10, 17, 62};
    const lxw_col_t last_col = (lxw_col_t)(sizeof width / sizeof *width - 1);
    for (lxw_col_t c = 0; c <= last_col; c++) th_keep(x, worksheet_set_column(ws, c, c, width[c], NULL));

    lxw_row_t r = brief_facts(x, ws, year, last_col);
    brief_table t = brief_indicators(x, ws, year, r, last_col);
    r = t.last + 2;
    th_put_text(x, ws, NULL, r++, 0,
                "Chi tiết từng năm: trang Tổng hợp; theo đơn vị: trang Theo đơn vị; bảng tổng hợp theo mẫu: "
                "các trang Biểu 0N tổng hợp.",
                x->subtitle);
    lxw_row_t chart_row = r + 1, chart_rows = 20;
    if (year && x->cfg->n_indicators) brief_chart(x, ws, year, &t, chart_row);
    th_print_page(x, ws, "Tóm tắt — kết quả năm mới nhất, dành cho lãnh đạo");
    worksheet_fit_to_pages(ws, 1, 1);
    th_keep(x, worksheet_print_area(ws, 0, 0, chart_row + chart_rows, last_col));
    worksheet_activate(ws);
    worksheet_set_first_sheet(ws);
}
