/*
 * output/tonghop.c — tong-hop.xlsx with libxlsxwriter. See workbook.h for the
 * sheets and the rules; the form's layout and the safe-string writers come
 * from output/template.h.
 */
#include "output/tonghop.h"
#include "output/tonghop_private.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "base/buf.h"
#include "output/atomic.h"
#include "output/template.h"
#include "pipeline/figures.h"

/* Keep the first error. */
void th_keep(wctx *x, lxw_error e)
{
    if (x->err == LXW_NO_ERROR && e != LXW_NO_ERROR) x->err = e;
}

/* ==== private: cells ================================================================ */

/* Grow a column's width to fit `chars` characters (plus padding). */
void th_fit(widths *cw, lxw_col_t c, double chars)
{
    if (cw && c < MAX_COLS && chars + 2 > cw->w[c]) cw->w[c] = chars + 2 > WIDTH_CAP ? WIDTH_CAP : chars + 2;
}

/* A text cell, made safe, its width noted. */
void th_put_text(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, lxw_col_t c, const char *s,
                     lxw_format *f)
{
    th_keep(x, template_write_text(ws, r, c, s, f));
    th_fit(cw, c, (double)template_text_width(s));
}

/* A number cell, its width noted (digits with thousands separators). */
void th_put_num(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    th_keep(x, worksheet_write_number(ws, r, c, v, f));
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.1f", v);
    th_fit(cw, c, (double)strlen(tmp) * 1.3);
}

/* Apply the noted widths to the sheet (at least `min` characters). */
void th_apply_widths(wctx *x, lxw_worksheet *ws, const widths *cw, size_t ncols, double min)
{
    for (size_t c = 0; c < ncols && c < MAX_COLS; c++)
        th_keep(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cw->w[c] < min ? min : cw->w[c], NULL));
}

/* A header row of a list sheet. */
void th_put_header(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, const char *const *names, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        th_keep(x, template_write_text(ws, r, (lxw_col_t)c, names[c], x->head));
        /* headers wrap onto two lines rather than widen a column of short values */
        th_fit(cw, (lxw_col_t)c, (double)template_text_width(names[c]) * 0.6 + 1);
    }
}

/* s as a page header/footer text: made safe, "&" doubled (Excel's codes start
 * with it), cut at a character boundary so it fits out (n bytes). */
static void hf_text(const char *s, char *out, size_t n)
{
    char *safe = template_safe_text(s ? s : "");
    const unsigned char *p = (const unsigned char *)(safe ? safe : "");
    size_t o = 0;
    while (*p) {
        /* whole characters only (the safe text is valid UTF-8) */
        size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        size_t add = len + (*p == '&');
        if (o + add + 1 > n) break;
        if (*p == '&') out[o++] = '&';
        for (size_t k = 0; k < len && p[k]; k++) out[o++] = (char)p[k];
        p += len;
    }
    out[o] = '\0';
    free(safe);
}

/* See tonghop_private.h. */
void th_print_page(wctx *x, lxw_worksheet *ws, const char *what)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    /* Excel allows 255 characters in each: both stay well under it */
    char left[170], right[60], text[240];
    hf_text(what, left, sizeof left);
    hf_text(x->meta->run_time ? x->meta->run_time : "", right, sizeof right);
    snprintf(text, sizeof text, "&L%s&R%s", left, right);
    lxw_header_footer_options hf = {.margin = 0.3};
    th_keep(x, worksheet_set_header_opt(ws, text, &hf));
    th_keep(x, worksheet_set_footer_opt(ws, "&CTrang &P/&N", &hf));
}

/* A4 landscape, fitted to the width, the given rows repeated on each page,
 * the page header saying `what`, page numbers. */
static void print_setup(wctx *x, lxw_worksheet *ws, lxw_row_t repeat_from, lxw_row_t repeat_to, const char *what)
{
    th_print_page(x, ws, what);
    worksheet_fit_to_pages(ws, 1, 0);
    th_keep(x, worksheet_repeat_rows(ws, repeat_from, repeat_to));
}

/* See tonghop_private.h. */
void th_percent_text(double ratio, char *out, size_t n)
{
    snprintf(out, n, "%.1f %%", ratio * 100.0);
    for (char *p = out; *p; p++)
        if (*p == '.') *p = ',';
}

/* ==== private: labels ================================================================ */

/* The kinds of unit as a reader says them (the configuration's kind_words). */
static const char *kind_label(const struct config *cfg, const char *kind)
{
    for (int k = 0; k < CONFIG_UNIT_KIND_COUNT; k++)
        if (strcmp(kind, config_unit_kind_name((enum config_unit_kind)k)) == 0)
            return config_word(cfg, CONFIG_WORDS_KIND, k);
    return kind;
}

/* "Hằng năm", "Đến năm 2025", "Trong 02 năm" into out. */
void th_indicator_kind_label(const struct config_indicator *ind, char *out, size_t n)
{
    switch (ind->kind) {
    case CONFIG_BY_DEADLINE: snprintf(out, n, "Đến năm %d", ind->deadline); break;
    case CONFIG_ROLLING: snprintf(out, n, "Trong %02d năm", ind->window); break;
    case CONFIG_ANNUAL: snprintf(out, n, "Hằng năm"); break;
    }
}

/* The unit's official name, or its code when it is not in the registry. */
const char *th_unit_name(const struct config *cfg, const char *code)
{
    if (!code || !*code) return "";
    const struct config_unit *u = config_unit(cfg, code);
    return u ? u->name : code;
}

/* ==== private: formats ================================================================ */

/* A list-sheet format: the form's font, thin borders. */
static lxw_format *list_fmt(wctx *x)
{
    lxw_format *f = template_format(x->wb, true);
    if (!f) th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return f;
}

/* Make the workbook's own formats (the form's come from template_styles_init). */
static int make_formats(wctx *x)
{
    if (template_styles_init(x->wb, &x->st) != 0) return -1;
    lxw_format **all[] = {&x->title, &x->subtitle, &x->meta_label, &x->meta_value, &x->meta_wrap, &x->head, &x->text, &x->wrap,
                          &x->center, &x->count, &x->pct, &x->target, &x->gap, &x->value_count, &x->value_money, &x->kind_row,
                          &x->kind_center, &x->kind_count, &x->kind_pct};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (!(*all[i] = list_fmt(x))) return -1;
    format_set_border(x->title, LXW_BORDER_NONE);
    format_set_bold(x->title);
    format_set_font_size(x->title, 14);
    format_set_align(x->title, LXW_ALIGN_LEFT);
    format_set_border(x->subtitle, LXW_BORDER_NONE);
    format_set_italic(x->subtitle);
    format_set_border(x->meta_label, LXW_BORDER_NONE);
    format_set_bold(x->meta_label);
    format_set_border(x->meta_value, LXW_BORDER_NONE);
    format_set_align(x->meta_value, LXW_ALIGN_LEFT);
    format_set_border(x->meta_wrap, LXW_BORDER_NONE);
    format_set_text_wrap(x->meta_wrap);
    format_set_align(x->meta_wrap, LXW_ALIGN_LEFT);
    format_set_align(x->meta_wrap, LXW_ALIGN_VERTICAL_TOP);
    template_list_looks(x->head, x->wrap, x->center, x->count);
    format_set_num_format(x->pct, "0.0%");
    format_set_num_format(x->target, "0%");
    format_set_num_format(x->gap, "+0.0%;-0.0%;0.0%");
    /* counts without a decimal separator ("#,##0.####" shows "246." in Excel),
     * money with one to three decimals (triệu đồng to the thousand đồng) */
    format_set_num_format(x->value_count, "#,##0");
    format_set_num_format(x->value_money, "#,##0.0##");
    format_set_bold(x->kind_row);
    format_set_bg_color(x->kind_row, 0xF2F2F2);
    format_set_bold(x->kind_center);
    format_set_bg_color(x->kind_center, 0xF2F2F2);
    format_set_align(x->kind_center, LXW_ALIGN_CENTER);
    format_set_bold(x->kind_count);
    format_set_bg_color(x->kind_count, 0xF2F2F2);
    format_set_num_format(x->kind_count, "#,##0");
    format_set_bold(x->kind_pct);
    format_set_bg_color(x->kind_pct, 0xF2F2F2);
    format_set_num_format(x->kind_pct, "0.0%");
    /* status fills: met green, not met red, on track yellow-green, behind orange, no data grey */
    static const lxw_color_t fill[] = {0xC6EFCE, 0xFFC7CE, 0xE2EFB4, 0xFCD5B4, 0xEDEDED};
    static const lxw_color_t ink[] = {0x006100, 0x9C0006, 0x4F6228, 0x974706, 0x595959};
    for (int s = 0; s <= ATT_NO_DATA; s++) {
        if (!(x->status[s] = list_fmt(x))) return -1;
        format_set_bg_color(x->status[s], fill[s]);
        format_set_font_color(x->status[s], ink[s]);
        format_set_bold(x->status[s]);
        format_set_align(x->status[s], LXW_ALIGN_CENTER);
    }
    static const lxw_color_t sev_fill[] = {0xFFC7CE, 0xFFEB9C, 0xDDEBF7};
    for (int s = 0; s < 3; s++) {
        if (!(x->sev[s] = list_fmt(x))) return -1;
        format_set_bg_color(x->sev[s], sev_fill[s]);
        format_set_align(x->sev[s], LXW_ALIGN_CENTER);
    }
    return x->err == LXW_NO_ERROR ? 0 : -1;
}

/* ==== private: the consolidated figures ================================================ */

/* Which records the consolidated tables add, and how a unit's figure is
 * taken, is pipeline/figures.h's — the very rule and index the indicator
 * engine uses, so the province row of attainment.csv and the consolidated
 * table show the same figure for the same group, metric and year. Decision:
 * the tables count exactly the records the indicators count (DESIGN §5.2:
 * providers are never added to the province's totals, nor a merged unit's
 * report when its successor reported; §6: superseded and rejected values are
 * not counted), in the plan's years only (a file of another year is rejected
 * by recognition). A cell is Σ over the registry's units (registry order, as
 * the indicators add them) of the unit's figure; blank when no unit has one. */

/* One year of one table, and the table's group for its metric rows (Biểu
 * 03: `funding`; NULL in a table whose rows are groups). */
typedef struct {
    const wctx *x;
    const struct config_group *rows_group;
    int year;
} year_view;

/* The group of a table whose rows are metrics: the config's first group in
 * it, as recognition assigns it (pipeline/recognize.c). NULL when none. */
static const struct config_group *table_rows_group(const struct config *cfg, const struct config_table *t)
{
    for (size_t g = 0; g < cfg->n_groups; g++)
        if (config_group_in_table(&cfg->groups[g], t)) return &cfg->groups[g];
    return NULL;
}

/* template_value_fn for the consolidated tables: Σ over the units of the year. */
static bool consolidated_value(void *ctx, const template_form *f, size_t row, size_t col, double *v)
{
    const year_view *yv = ctx;
    const struct config *cfg = yv->x->cfg;
    const template_row *tr = &f->rows[row];
    const template_column *tc = &f->cols[col];
    const struct config_metric *metric = tr->metric ? tr->metric : tc->metric;
    const char *breakdown = tc->breakdown ? tc->breakdown->code : "all";
    if (!metric || (!tr->group && !yv->rows_group)) return false;
    bool any = false;
    double sum = 0;
    for (size_t u = 0; u < cfg->n_units; u++) {
        const struct config_unit *unit = &cfg->units[u];
        double uv;
        bool has = tr->group ? fig_group_value(yv->x->fig, unit, yv->year, tr->group, metric, breakdown, &uv)
                             : fig_cell(yv->x->fig, unit, yv->year, yv->rows_group, metric, breakdown, &uv);
        if (has) {
            sum += uv;
            any = true;
        }
    }
    *v = sum;
    /* a column the form does not ask of the group (row I, "nhiệm kỳ") stays
     * blank as on the form, unless some unit reported a figure there */
    if (tr->group && !config_metric_applies(metric, tr->group) && sum == 0) return false;
    return any;
}

/* ==== private: sheets ====================================================================== */

/* Status format of an attainment row. */
lxw_format *th_status_fmt(wctx *x, att_status s)
{
    return x->status[s <= ATT_NO_DATA ? s : ATT_NO_DATA];
}

/* Numerator, denominator, ratio (a formula with its cached value), target and
 * status of an attainment row at columns c..c+4 (the gap after them when
 * with_gap). */
static void put_attainment(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, lxw_col_t c,
                           const attainment_row *a, bool bold, bool with_gap)
{
    lxw_format *fc = bold ? x->kind_count : x->count, *fp = bold ? x->kind_pct : x->pct;
    if (a->has_sums) {
        th_put_num(x, ws, cw, r, c, a->numerator, fc);
        th_put_num(x, ws, cw, r, c + 1, a->denominator, fc);
    } else {
        th_keep(x, worksheet_write_blank(ws, r, c, fc));
        th_keep(x, worksheet_write_blank(ws, r, c + 1, fc));
    }
    char num[LXW_MAX_CELL_NAME_LENGTH], den[LXW_MAX_CELL_NAME_LENGTH], rat[LXW_MAX_CELL_NAME_LENGTH],
        tgt[LXW_MAX_CELL_NAME_LENGTH], formula[128];
    lxw_rowcol_to_cell(num, r, c);
    lxw_rowcol_to_cell(den, r, c + 1);
    lxw_rowcol_to_cell(rat, r, c + 2);
    lxw_rowcol_to_cell(tgt, r, c + 3);
    if (a->has_ratio) {
        snprintf(formula, sizeof formula, "=%s/%s", num, den);
        th_keep(x, worksheet_write_formula_num(ws, r, c + 2, formula, fp, a->ratio));
    } else {
        th_keep(x, worksheet_write_blank(ws, r, c + 2, fp));
    }
    th_fit(cw, c + 2, 7);
    th_keep(x, worksheet_write_number(ws, r, c + 3, a->target, x->target));
    th_fit(cw, c + 3, 6);
    lxw_col_t sc = c + 4;
    if (with_gap) {
        if (a->has_ratio) {
            snprintf(formula, sizeof formula, "=%s-%s", rat, tgt);
            th_keep(x, worksheet_write_formula_num(ws, r, c + 4, formula, x->gap, a->ratio - a->target));
        } else {
            th_keep(x, worksheet_write_blank(ws, r, c + 4, x->gap));
        }
        th_fit(cw, c + 4, 8);
        sc++;
    }
    th_put_text(x, ws, cw, r, sc, config_status_word(x->cfg, a->status), th_status_fmt(x, a->status));
}

/* Title rows of a list sheet: a bold title and an italic line; returns the next row. */
static lxw_row_t sheet_title(wctx *x, lxw_worksheet *ws, const char *title, const char *sub)
{
    th_put_text(x, ws, NULL, 0, 0, title, x->title);
    th_keep(x, worksheet_set_row(ws, 0, 22, NULL));
    if (sub) th_put_text(x, ws, NULL, 1, 0, sub, x->subtitle);
    return sub ? 3 : 2;
}

/* A new worksheet; NULL (the failure kept) when libxlsxwriter has no memory. */
lxw_worksheet *th_new_sheet(wctx *x, const char *name)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return ws;
}

/* "Tổng hợp": the province's attainment of every year, the run's facts. */
static void sheet_summary(wctx *x)
{
    lxw_worksheet *ws = th_new_sheet(x, "Tổng hợp");
    if (!ws) return;
    const struct config *cfg = x->cfg;
    widths cw = {{0}};
    char line[1024];
    th_put_text(x, ws, NULL, 0, 0, "TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
             x->title);
    th_keep(x, worksheet_set_row(ws, 0, 22, NULL));
    snprintf(line, sizeof line, "Kế hoạch số %s: %s", cfg->plan.id, cfg->plan.title ? cfg->plan.title : "");
    th_put_text(x, ws, NULL, 1, 0, line, x->subtitle);

    /* the run's facts */
    size_t errors = results_count(x->res, SEV_ERROR), warnings = results_count(x->res, SEV_WARNING),
           infos = results_count(x->res, SEV_INFO);
    lxw_row_t r = 3;
    th_keep(x, template_merge_text(ws, r, 0, r, 1, "Thời điểm lập", x->meta_label));
    th_put_text(x, ws, NULL, r++, 2, x->meta->run_time ? x->meta->run_time : "", x->meta_value);
    th_keep(x, template_merge_text(ws, r, 0, r, 1, "Số tệp đã đọc", x->meta_label));
    th_keep(x, worksheet_write_number(ws, r++, 2, (double)x->meta->nfiles, x->meta_value));
    th_keep(x, template_merge_text(ws, r, 0, r, 1, "Phát hiện", x->meta_label));
    snprintf(line, sizeof line, "%zu lỗi, %zu cảnh báo, %zu thông tin (xem trang Kiểm tra)", errors, warnings, infos);
    th_put_text(x, ws, NULL, r++, 2, line, x->meta_value);
    th_keep(x, template_merge_text(ws, r, 0, r, 1, "Phần mềm", x->meta_label));
    snprintf(line, sizeof line, "dtbd %s", x->meta->version ? x->meta->version : "");
    th_put_text(x, ws, NULL, r++, 2, line, x->meta_value);
    r++;

    /* the table */
    static const char *const head[] = {"Mã", "Điều khoản", "Nội dung chỉ tiêu", "Đối tượng", "Loại chỉ tiêu",
                                       "Năm", "Tử số", "Mẫu số", "Tỷ lệ", "Mục tiêu", "Đánh giá"};
    const size_t ncols = sizeof head / sizeof *head;
    lxw_row_t head_row = r;
    th_put_header(x, ws, &cw, r, head, ncols);
    th_keep(x, worksheet_set_row(ws, r, 30, NULL));
    r++;
    for (size_t k = 0; k < cfg->n_indicators; k++) {
        const struct config_indicator *ind = &cfg->indicators[k];
        lxw_row_t first = r;
        for (size_t i = 0; x->att && i < x->att->n; i++) {
            const attainment_row *a = &x->att->rows[i];
            if (a->ind != ind || a->scope != SCOPE_PROVINCE) continue;
            th_put_num(x, ws, &cw, r, 5, a->year, x->center);
            put_attainment(x, ws, &cw, r, 6, a, false, false);
            r++;
        }
        char kind[64];
        th_indicator_kind_label(ind, kind, sizeof kind);
        if (r == first) continue;
        lxw_row_t last = r - 1;
        th_keep(x, template_merge_text(ws, first, 0, last, 0, ind->id, x->center));
        th_keep(x, template_merge_text(ws, first, 1, last, 1, ind->clause ? ind->clause : "", x->center));
        th_keep(x, template_merge_text(ws, first, 2, last, 2, ind->wording ? ind->wording : ind->label, x->wrap));
        th_keep(x, template_merge_text(ws, first, 3, last, 3, ind->group ? ind->group->label : "", x->wrap));
        th_keep(x, template_merge_text(ws, first, 4, last, 4, kind, x->center));
        th_fit(&cw, 0, (double)template_text_width(ind->id));
        th_fit(&cw, 1, (double)template_text_width(ind->clause));
        th_fit(&cw, 4, (double)template_text_width(kind));
        /* the wording needs its lines: spread them over the indicator's rows */
        double lines = ceil((double)template_text_width(ind->wording) / 52.0);
        double per = lines * 15.0 / (double)(last - first + 1);
        if (per > 15.5)
            for (lxw_row_t k2 = first; k2 <= last; k2++) th_keep(x, worksheet_set_row(ws, k2, per + 1, NULL));
    }
    if (cw.w[1] < 11) cw.w[1] = 11;   /* the labels of the run's facts span A:B */
    cw.w[2] = 54;
    cw.w[3] = 22;
    th_apply_widths(x, ws, &cw, ncols, 6);
    worksheet_freeze_panes(ws, head_row + 1, 0);
    print_setup(x, ws, head_row, head_row, "Tổng hợp — các chỉ tiêu của kế hoạch theo năm, toàn tỉnh");
    if (r > head_row) th_keep(x, worksheet_print_area(ws, 0, 0, r - 1, (lxw_col_t)(ncols - 1)));
}

/* Characters (column-width units) across one A4 landscape page at 100 %
 * (measured on LibreOffice's PDF export: 175 at 60 %, output/template.c), and
 * the smallest scale a consolidated table prints at. */
#define PAGE_CHARS_100 105.0
#define MIN_SCALE 70

/* The width template_table_write gave column c, read back from the sheet
 * (libxlsxwriter 1.1.4 keeps worksheet_set_column's options per first column
 * in the public lxw_worksheet.col_options; it has no getter). Excel's
 * default 8.43 when the column was not set. */
static double column_width(const lxw_worksheet *ws, lxw_col_t c)
{
    for (lxw_col_t k = 0; k < ws->col_options_max && k <= c; k++) {
        const lxw_col_options *o = ws->col_options[k];
        if (o && o->firstcol <= c && c <= o->lastcol) return o->width;
    }
    return 8.43;
}

/* Print setup of a consolidated Biểu sheet: the latest year's block (rows
 * 0..last_row: heading, title, the table, the signature footer) is the print
 * area — the earlier years below it are for the screen —, its header rows
 * (the header band and the column numbers) repeat on every page and the page
 * header says which table, year and unit of measure. A table that fits the
 * page width at ≥ MIN_SCALE % is fitted to it; a wider one prints at
 * MIN_SCALE % in column blocks — whole top header blocks ("Đào tạo", "Tin
 * học, ngoại ngữ"), never cut — with the STT and label columns repeated. */
static void consolidated_print(wctx *x, lxw_worksheet *ws, const template_form *f, const template_placed *at,
                               lxw_row_t last_row, lxw_col_t last_col, const char *what)
{
    th_print_page(x, ws, what);
    th_keep(x, worksheet_repeat_rows(ws, at->header_row, at->data_row - 1));
    th_keep(x, worksheet_print_area(ws, 0, 0, last_row, last_col));
    const double page = PAGE_CHARS_100 * 100.0 / MIN_SCALE;
    if (at->width <= page) {
        worksheet_fit_to_pages(ws, 1, 0);
        return;
    }
    lxw_col_t breaks[64];
    size_t nb = 0;
    double lead = column_width(ws, 0) + column_width(ws, 1), cur = lead;
    for (size_t i = 0; i < f->nhdr; i++) {
        const template_header_cell *c = &f->hdr[i];
        if (c->r1 != 0 || c->c1 < 2) continue;
        double bw = 0;
        for (unsigned k = c->c1; k <= c->c2 && k <= last_col; k++) bw += column_width(ws, (lxw_col_t)k);
        if (cur + bw > page && cur > lead && nb + 1 < sizeof breaks / sizeof *breaks) {
            breaks[nb++] = (lxw_col_t)c->c1;
            cur = lead;
        }
        cur += bw;
    }
    breaks[nb] = 0;
    /* Excel ignores manual breaks under fit-to-page: a fixed scale instead */
    worksheet_set_print_scale(ws, MIN_SCALE);
    if (nb) (void)worksheet_set_v_pagebreaks(ws, breaks);
    th_keep(x, worksheet_repeat_columns(ws, 0, 1));
}

/* "Biểu 0N tổng hợp": the province's table in the form's layout, one block per year. */
static void sheet_consolidated(wctx *x, const struct config_table *t)
{
    char name[64], tn[16];
    template_table_name(t, tn);
    snprintf(name, sizeof name, "%s tổng hợp", tn);
    lxw_worksheet *ws = th_new_sheet(x, name);
    if (!ws) return;
    template_form f;
    if (template_form_build(x->cfg, t, NULL, &f) != 0) {
        th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    /* years with counted data in this table, latest first, and the units that reported it */
    int years[64];
    size_t nyears = 0, nunits[64];
    for (int y = x->cfg->plan.last_year; y >= x->cfg->plan.first_year && nyears < 64; y--) {
        size_t n = 0;
        for (size_t u = 0; u < x->cfg->n_units; u++) n += fig_reported(x->fig, &x->cfg->units[u], y, t);
        if (!n) continue;
        years[nyears] = y;
        nunits[nyears++] = n;
    }
    unsigned width = (unsigned)f.ncols + 2;
    char *upper = template_upper(x->cfg->plan.province ? x->cfg->plan.province : "");
    char line[512];
    snprintf(line, sizeof line, "UBND TỈNH %s", upper ? upper : "");
    free(upper);
    lxw_row_t r = template_put_heading(ws, &x->st, 0, width, line, "SỞ NỘI VỤ", &x->err);
    r++;
    th_keep(x, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1),
                                "TỔNG HỢP KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC TOÀN TỈNH",
                                x->st.title));
    th_keep(x, worksheet_set_row(ws, r, 22, NULL));
    r++;
    th_keep(x, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1),
                                "(Cộng số liệu của các đơn vị báo cáo; không gồm cơ sở đào tạo, báo cáo bị thay thế, "
                                "bị loại hoặc của đơn vị đã sáp nhập khi đơn vị tiếp nhận đã báo cáo)",
                                x->st.subtitle));
    r++;
    th_keep(x, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1),
                                "Dòng nhóm (I, II, …) cộng mọi đơn vị: dòng của đơn vị, hoặc tổng các thành phần khi "
                                "đơn vị chỉ báo cáo thành phần; các dòng thành phần (1, 2, …) chỉ cộng những đơn vị "
                                "báo cáo tách riêng thành phần.",
                                x->st.subtitle));
    r += 2;
    template_placed first = {0};
    lxw_row_t print_last = 0;      /* the latest year's block and its footer */
    bool placed = false;
    year_view yv = {x, table_rows_group(x->cfg, t), 0};
    for (size_t k = 0; k < nyears; k++) {
        yv.year = years[k];
        snprintf(line, sizeof line, " — NĂM %d (%zu đơn vị)", yv.year, nunits[k]);
        template_placed at;
        th_keep(x, template_table_write(ws, &x->st, x->cfg, &f, r, line, consolidated_value, &yv, &at));
        r = at.next_row;
        if (!placed) {
            first = at;
            placed = true;
            r = template_put_footer(ws, &x->st, r, width, "GIÁM ĐỐC SỞ NỘI VỤ", &x->err);
            print_last = r - 1;
            if (nyears > 1) {
                snprintf(line, sizeof line,
                         "SỐ LIỆU CÁC NĂM TRƯỚC (để xem trên màn hình: bản in gồm năm %d ở trên)", years[0]);
                th_keep(x, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1), line, x->st.table_title));
                r += 2;
            }
        } else {
            r += 2;
        }
    }
    if (!placed) {
        th_keep(x, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1), "Chưa có số liệu của biểu này.",
                                    x->st.subtitle));
        snprintf(line, sizeof line, "%s — chưa có số liệu", name);
        th_print_page(x, ws, line);
        worksheet_fit_to_pages(ws, 1, 1);
    } else {
        worksheet_freeze_panes(ws, first.data_row, 2);
        snprintf(line, sizeof line, "%s — %s — toàn tỉnh, năm %d%s%s%s", name, t->title ? t->title : "", years[0],
                 t->unit_of_measure ? " (đơn vị tính: " : "", t->unit_of_measure ? t->unit_of_measure : "",
                 t->unit_of_measure ? ")" : "");
        consolidated_print(x, ws, &f, &first, print_last, (lxw_col_t)(width - 1), line);
    }
    template_form_free(&f);
}

/* Order of unit rows within (indicator, year): furthest below the target first, no ratio last. */
static int unit_row_cmp(const void *pa, const void *pb)
{
    const attainment_row *a = *(const attainment_row *const *)pa, *b = *(const attainment_row *const *)pb;
    if (a->has_ratio != b->has_ratio) return a->has_ratio ? -1 : 1;
    if (a->has_ratio) {
        double ga = a->ratio - a->target, gb = b->ratio - b->target;
        if (ga != gb) return ga < gb ? -1 : 1;
    }
    return strcmp(a->unit, b->unit);
}

/* "Theo đơn vị": per indicator and year (latest first), the kinds then the units. */
static void sheet_by_unit(wctx *x)
{
    lxw_worksheet *ws = th_new_sheet(x, "Theo đơn vị");
    if (!ws) return;
    widths cw = {{0}};
    lxw_row_t r = sheet_title(x, ws, "KẾT QUẢ THỰC HIỆN CHỈ TIÊU THEO KHỐI VÀ THEO ĐƠN VỊ",
                              "Mỗi chỉ tiêu, mỗi năm: dòng khối (nền xám), rồi các đơn vị — đơn vị cách xa mục tiêu "
                              "nhất đứng đầu, đơn vị chưa có số liệu ở cuối. Dùng bộ lọc ở dòng tiêu đề.");
    static const char *const head[] = {"Mã", "Chỉ tiêu", "Năm", "Phạm vi", "Khối", "Đơn vị", "Mã đơn vị",
                                       "Tử số", "Mẫu số", "Tỷ lệ", "Mục tiêu", "Chênh lệch so với mục tiêu",
                                       "Đánh giá"};
    const size_t ncols = sizeof head / sizeof *head;
    lxw_row_t head_row = r;
    th_put_header(x, ws, &cw, r, head, ncols);
    th_keep(x, worksheet_set_row(ws, r, 30, NULL));
    r++;
    const attainment_row **buf_rows = x->att ? malloc((x->att->n + 1) * sizeof *buf_rows) : NULL;
    if (x->att && !buf_rows) th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    for (size_t k = 0; buf_rows && k < x->cfg->n_indicators; k++) {
        const struct config_indicator *ind = &x->cfg->indicators[k];
        int ymin = 0, ymax = 0;
        for (size_t i = 0; i < x->att->n; i++)
            if (x->att->rows[i].ind == ind) {
                int y = x->att->rows[i].year;
                if (!ymin || y < ymin) ymin = y;
                if (y > ymax) ymax = y;
            }
        for (int y = ymax; ymin && y >= ymin; y--) {
            size_t nk = 0, nu = 0;
            for (int pass = 0; pass < 2; pass++)
                for (size_t i = 0; i < x->att->n; i++) {
                    const attainment_row *a = &x->att->rows[i];
                    if (a->ind != ind || a->year != y) continue;
                    if (pass == 0 && a->scope == SCOPE_KIND) buf_rows[nk++] = a;
                    if (pass == 1 && a->scope == SCOPE_UNIT) buf_rows[nk + nu++] = a;
                }
            qsort(buf_rows + nk, nu, sizeof *buf_rows, unit_row_cmp);
            for (size_t i = 0; i < nk + nu; i++) {
                const attainment_row *a = buf_rows[i];
                bool kind = a->scope == SCOPE_KIND;
                lxw_format *tf = kind ? x->kind_row : x->text;
                const struct config_unit *u = kind ? NULL : config_unit(x->cfg, a->unit);
                th_put_text(x, ws, &cw, r, 0, ind->id, tf);
                th_put_text(x, ws, &cw, r, 1, ind->label, tf);
                th_put_num(x, ws, &cw, r, 2, y, kind ? x->kind_center : x->center);
                th_put_text(x, ws, &cw, r, 3, kind ? "Khối" : "Đơn vị", tf);
                th_put_text(x, ws, &cw, r, 4,
                         kind ? kind_label(x->cfg, a->unit) : u ? config_word(x->cfg, CONFIG_WORDS_KIND, u->kind) : "", tf);
                th_put_text(x, ws, &cw, r, 5, kind ? "" : th_unit_name(x->cfg, a->unit), tf);
                th_put_text(x, ws, &cw, r, 6, kind ? "" : a->unit, tf);
                put_attainment(x, ws, &cw, r, 7, a, kind, true);
                r++;
            }
        }
    }
    free(buf_rows);
    if (cw.w[1] > 48) cw.w[1] = 48;
    th_apply_widths(x, ws, &cw, ncols, 6);
    if (r > head_row + 1) th_keep(x, worksheet_autofilter(ws, head_row, 0, r - 1, (lxw_col_t)(ncols - 1)));
    worksheet_freeze_panes(ws, head_row + 1, 2);
    print_setup(x, ws, head_row, head_row, "Theo đơn vị — kết quả thực hiện chỉ tiêu theo khối và theo đơn vị");
}

/* Header cells of an Excel table; the caller writes the data. */
void th_add_table(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t first, lxw_row_t last, const char *name,
                      const char *const *head, size_t ncols)
{
    lxw_table_column cols[MAX_COLS];
    lxw_table_column *ptrs[MAX_COLS + 1];
    for (size_t c = 0; c < ncols && c < MAX_COLS; c++) {
        memset(&cols[c], 0, sizeof cols[c]);
        cols[c].header = (char *)head[c];
        cols[c].header_format = x->head;
        ptrs[c] = &cols[c];
        th_fit(cw, (lxw_col_t)c, (double)template_text_width(head[c]) + 2);   /* room for the filter button */
    }
    ptrs[ncols < MAX_COLS ? ncols : MAX_COLS] = NULL;
    lxw_table_options opt;
    memset(&opt, 0, sizeof opt);
    opt.name = (char *)name;
    opt.style_type = LXW_TABLE_STYLE_TYPE_MEDIUM;
    opt.style_type_number = 2;
    opt.columns = ptrs;
    /* a table needs a data row */
    th_keep(x, worksheet_add_table(ws, first, 0, last > first ? last : first + 1, (lxw_col_t)(ncols - 1), &opt));
}

/* The end of a list sheet (Dữ liệu, Kiểm tra, Nguồn): rows 0..last as the
 * Excel table `table`, widths from content (at least 6), the header row and
 * freeze_cols columns frozen, print setup (`what` in the page header). */
void th_finish_list_sheet(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t last, const char *table,
                          const char *const *head, size_t ncols, lxw_col_t freeze_cols, const char *what)
{
    th_add_table(x, ws, cw, 0, last, table, head, ncols);
    th_apply_widths(x, ws, cw, ncols, 6);
    worksheet_freeze_panes(ws, 1, freeze_cols);
    print_setup(x, ws, 0, 0, what);
}


/* "Kiểm tra": the findings, errors first. */
static void sheet_findings(wctx *x)
{
    lxw_worksheet *ws = th_new_sheet(x, "Kiểm tra");
    if (!ws) return;
    static const char *const head[] = {"Mức độ", "Mã quy tắc", "Quy tắc", "Tệp", "Trang tính", "Ô",
                                       "Đơn vị", "Năm", "Nội dung"};
    const size_t ncols = sizeof head / sizeof *head;
    widths cw = {{0}};
    const results *res = x->res;
    lxw_row_t r = 1;
    for (int sev = SEV_ERROR; sev <= SEV_INFO; sev++)
        for (size_t i = 0; i < res->nfindings && x->err == LXW_NO_ERROR; i++) {
            const finding *f = &res->findings[i];
            if ((int)f->sev != sev) continue;
            th_put_text(x, ws, &cw, r, 0, config_word(x->cfg, CONFIG_WORDS_SEVERITY, f->sev), x->sev[sev]);
            const char *name = config_rule_label(x->cfg, f->rule);
            th_put_text(x, ws, &cw, r, 1, f->rule, x->text);
            th_put_text(x, ws, &cw, r, 2, name ? name : f->rule, x->text);
            th_put_text(x, ws, &cw, r, 3, f->source < res->nsources ? res->sources[f->source].path : "", x->text);
            th_put_text(x, ws, &cw, r, 4, f->sheet ? f->sheet : "", x->text);
            th_put_text(x, ws, &cw, r, 5, f->cell, x->center);
            th_put_text(x, ws, &cw, r, 6, th_unit_name(x->cfg, f->unit), x->text);
            if (f->year) th_put_num(x, ws, &cw, r, 7, f->year, x->center);
            else th_keep(x, worksheet_write_blank(ws, r, 7, x->center));
            th_keep(x, template_write_text(ws, r, 8, f->message, x->wrap));
            double lines = ceil((double)template_text_width(f->message) / 88.0);
            if (lines > 1) th_keep(x, worksheet_set_row(ws, r, 15.0 * lines + 2, NULL));
            r++;
        }
    cw.w[8] = 90;                     /* the message wraps in a wide column */
    th_finish_list_sheet(x, ws, &cw, r - 1, "KiemTra", head, ncols, 0,
                      "Kiểm tra — các phát hiện, lỗi trước (issues.csv)");
}

/* "Nguồn": the input files and their reconciliation. */
static void sheet_sources(wctx *x)
{
    lxw_worksheet *ws = th_new_sheet(x, "Nguồn");
    if (!ws) return;
    static const char *const head[] = {"Tệp", "SHA-256", "Định dạng", "Đơn vị", "Mã đơn vị", "Năm", "Trạng thái",
                                       "Số liệu", "Lỗi", "Cảnh báo", "Ô đã đọc", "Ô thành số liệu", "Ô bị loại",
                                       "Ô ngoài biểu"};
    const size_t ncols = sizeof head / sizeof *head;
    widths cw = {{0}};
    const results *res = x->res;
    /* "Số liệu": the file's rows of records.csv (and of Dữ liệu), as
     * sources.csv counts them — 0 for a superseded or rejected file */
    size_t *listed = calloc(res->nsources ? res->nsources : 1, sizeof *listed);
    if (!listed) {
        th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    for (size_t i = 0; i < res->nrecords; i++)
        if (results_record_listed(&res->records[i]) && res->records[i].source < res->nsources)
            listed[res->records[i].source]++;
    lxw_row_t r = 1;
    for (size_t i = 0; i < res->nsources && x->err == LXW_NO_ERROR; i++) {
        const source_file *s = &res->sources[i];
        th_put_text(x, ws, &cw, r, 0, s->path, x->text);
        th_put_text(x, ws, &cw, r, 1, s->sha256, x->text);
        th_put_text(x, ws, &cw, r, 2, s->format == WB_FMT_UNKNOWN ? "" : wb_format_name(s->format), x->center);
        th_put_text(x, ws, &cw, r, 3, th_unit_name(x->cfg, s->unit), x->text);
        th_put_text(x, ws, &cw, r, 4, s->unit ? s->unit : "", x->text);
        if (s->year) th_put_num(x, ws, &cw, r, 5, s->year, x->center);
        else th_keep(x, worksheet_write_blank(ws, r, 5, x->center));
        th_put_text(x, ws, &cw, r, 6, config_word(x->cfg, CONFIG_WORDS_SOURCE, s->status), x->text);
        const size_t counts[] = {listed[i], s->errors, s->warnings, s->cells_read, s->cells_recorded,
                                 s->cells_rejected, s->cells_outside};
        for (size_t k = 0; k < sizeof counts / sizeof *counts; k++)
            th_put_num(x, ws, &cw, r, (lxw_col_t)(7 + k), (double)counts[k], x->count);
        r++;
    }
    free(listed);
    th_finish_list_sheet(x, ws, &cw, r - 1, "Nguon", head, ncols, 1,
                      "Nguồn — các tệp đã đọc và đối chiếu số ô (sources.csv)");
}

/* The last step of a workbook, Dữ liệu's rows streamed into the package
 * (tonghop_data.c), on its own thread. */
struct tonghop_job {
    pthread_t th;
    bool threaded;
    struct th_data *data;
    char *path;
    const struct config *cfg;
    const results *res;
    const attainment *att;
    workbook_meta meta;
    dtbd_status st;
    int err_no;
    char why[256];
};

static void *job_run(void *arg)
{
    tonghop_job *j = arg;
    errno = 0;
    j->st = th_data_finish(j->data, j->path, j->why, sizeof j->why);
    j->err_no = errno;
    j->data = NULL;
    return NULL;
}

/* The job for x's kept rows, running (on a thread when one can be had); NULL
 * out of memory (the rows are then freed and the failure kept in x). */
static tonghop_job *job_start(wctx *x, const char *path, const workbook_meta *meta)
{
    tonghop_job *j = calloc(1, sizeof *j);
    if (!j || !(j->path = strdup(path))) {
        free(j);
        th_data_free(x->data);
        x->data = NULL;
        th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return NULL;
    }
    j->data = x->data;
    x->data = NULL;
    j->cfg = x->cfg;
    j->res = x->res;
    j->att = x->att;
    j->meta = *meta;
    j->threaded = pthread_create(&j->th, NULL, job_run, j) == 0;
    if (!j->threaded) job_run(j);
    return j;
}

/* See tonghop.h. A part not as expected is no reason to fail the run: the
 * workbook is written again with every row through libxlsxwriter. */
dtbd_status tonghop_wait(tonghop_job *j, char *err, size_t errlen)
{
    if (!j) return DTBD_OK;
    if (j->threaded) pthread_join(j->th, NULL);
    dtbd_status st = j->st;
    int e = j->err_no;
    if (st == DTBD_ERR_FORMAT) {
        j->meta.data_through_libxlsxwriter = true;
        st = tonghop_write(j->path, j->cfg, j->res, j->att, &j->meta, err, errlen);
        e = errno;
    } else if (st != DTBD_OK) {
        snprintf(err, errlen, "không ghi được tệp tổng hợp tong-hop.xlsx: %s",
                 st == DTBD_ERR_NOMEM ? "hết bộ nhớ" : e ? atomic_error_text(e) : j->why);
        e = e ? e : EIO;
        st = DTBD_ERR_WRITE;
    }
    free(j->path);
    free(j);
    errno = e;
    return st;
}

/* See tonghop.h. */
dtbd_status tonghop_write(const char *path, const struct config *cfg, const results *res, const attainment *att,
                          const workbook_meta *meta, char *err, size_t errlen)
{
    tonghop_job *j = NULL;
    dtbd_status st = tonghop_start(path, cfg, res, att, meta, &j, err, errlen);
    dtbd_status w = tonghop_wait(j, err, errlen);
    return st != DTBD_OK ? st : w;
}

/* ==== public ================================================================================ */

/* See tonghop.h. */
dtbd_status tonghop_start(const char *path, const struct config *cfg, const results *res, const attainment *att,
                          const workbook_meta *meta, tonghop_job **job, char *err, size_t errlen)
{
    *job = NULL;
    /* libxlsxwriter prints numbers with the C library: the decimal point must be "." */
    char saved[128] = "";
    const char *cur = setlocale(LC_NUMERIC, NULL);
    bool restore = cur && strcmp(cur, "C") != 0 && strlen(cur) < sizeof saved;
    if (restore) {
        snprintf(saved, sizeof saved, "%s", cur);
        setlocale(LC_NUMERIC, "C");
    }
    wctx x;
    memset(&x, 0, sizeof x);
    x.cfg = cfg;
    x.res = res;
    x.att = att;
    x.meta = meta;
    lxw_workbook_options wopt = {.constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    x.wb = workbook_new_opt(path, &wopt);
    if (!x.wb) {
        snprintf(err, errlen, "không tạo được tệp tổng hợp %s", path);
        if (restore) setlocale(LC_NUMERIC, saved);
        return DTBD_ERR_WRITE;
    }
    x.fig = meta->fig ? meta->fig : (x.own_fig = fig_build(cfg, res));
    if (make_formats(&x) != 0 || !x.fig) th_keep(&x, LXW_ERROR_MEMORY_MALLOC_FAILED);

    char title[256], subject[512], comments[512];
    snprintf(title, sizeof title, "Tổng hợp kết quả đào tạo, bồi dưỡng cán bộ, công chức, viên chức tỉnh %s",
             cfg->plan.province ? cfg->plan.province : "");
    snprintf(subject, sizeof subject, "Kế hoạch số %s: %s", cfg->plan.id, cfg->plan.title ? cfg->plan.title : "");
    snprintf(comments, sizeof comments, "Lập bởi dtbd %s lúc %s từ %zu tệp.", meta->version ? meta->version : "",
             meta->run_time ? meta->run_time : "", meta->nfiles);
    char *s_title = template_safe_text(title), *s_subject = template_safe_text(subject),
         *s_comments = template_safe_text(comments);
    if (!s_title || !s_subject || !s_comments) th_keep(&x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    if (x.err == LXW_NO_ERROR) {
        lxw_doc_properties props;
        memset(&props, 0, sizeof props);
        props.title = s_title;
        props.subject = s_subject;
        props.author = (char *)"dtbd";
        props.company = (char *)"Sở Nội vụ";
        props.keywords = (char *)"đào tạo, bồi dưỡng, CBCCVC";
        props.comments = s_comments;
        th_keep(&x, workbook_set_properties(x.wb, &props));
    }
    for (size_t i = 0; att && i < att->n; i++)
        if (att->rows[i].scope == SCOPE_PROVINCE && att->rows[i].has_ratio && att->rows[i].year > x.latest)
            x.latest = att->rows[i].year;
    if (x.err == LXW_NO_ERROR) th_sheet_brief(&x);
    if (x.err == LXW_NO_ERROR) sheet_summary(&x);
    for (size_t i = 0; i < cfg->n_tables && x.err == LXW_NO_ERROR; i++) sheet_consolidated(&x, &cfg->tables[i]);
    if (x.err == LXW_NO_ERROR) sheet_by_unit(&x);
    if (x.err == LXW_NO_ERROR) th_sheet_planvs(&x);
    if (x.err == LXW_NO_ERROR) th_sheet_records(&x);
    if (x.err == LXW_NO_ERROR) sheet_findings(&x);
    if (x.err == LXW_NO_ERROR) sheet_sources(&x);
    errno = 0;
    lxw_error ce = template_workbook_close(x.wb);   /* frees the workbook whatever happened */
    int close_errno = errno;               /* a failed write's reason (disk full …) */
    th_keep(&x, ce);
    fig_free(x.own_fig);
    free(s_title);
    free(s_subject);
    free(s_comments);
    if (restore) setlocale(LC_NUMERIC, saved);
    if (x.err == LXW_NO_ERROR && x.data) *job = job_start(&x, path, meta);
    if (x.err == LXW_NO_ERROR) return DTBD_OK;
    th_data_free(x.data);
    /* a failed write keeps errno's meaning, in Vietnamese, and errno itself
     * for the caller; libxlsxwriter's own words otherwise */
    if (ce != LXW_NO_ERROR && close_errno)
        snprintf(err, errlen, "không ghi được tệp tổng hợp tong-hop.xlsx: %s", atomic_error_text(close_errno));
    else
        snprintf(err, errlen, "không ghi được tệp tổng hợp tong-hop.xlsx (%s)", lxw_strerror(x.err));
    errno = close_errno ? close_errno : EIO;
    return DTBD_ERR_WRITE;
}
