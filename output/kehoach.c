/* output/kehoach.c — plan-records.csv and ke-hoach-YYYY.xlsx (see kehoach.h). */
#include "output/kehoach.h"

#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "output/csvout.h"
#include "output/template.h"
#include "output/tonghop_private.h"

/* ---- the classes in output order --------------------------------------------- */

static const plan_set *sort_ps;

static int cls_cmp(const void *a, const void *b)
{
    const plan_class *x = &sort_ps->cls[*(const size_t *)a], *y = &sort_ps->cls[*(const size_t *)b];
    int c = strcmp(x->unit, y->unit);
    if (c) return c;
    if (x->year != y->year) return x->year < y->year ? -1 : 1;
    c = strcmp(sort_ps->res.sources[x->src].path, sort_ps->res.sources[y->src].path);
    if (c) return c;
    c = strcmp(x->sheet, y->sheet);
    if (c) return c;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Indices of the accepted classes, sorted; NULL (n 0) when there are none. */
static size_t *live_order(const plan_set *ps, size_t *n)
{
    *n = 0;
    size_t *ix = malloc((ps->n ? ps->n : 1) * sizeof *ix);
    if (!ix) return NULL;
    for (size_t i = 0; i < ps->n; i++)
        if (!ps->cls[i].superseded) ix[(*n)++] = i;
    sort_ps = ps;
    qsort(ix, *n, sizeof *ix, cls_cmp);
    return ix;
}

/* ---- plan-records.csv ---------------------------------------------------------- */

static void record_row(FILE *f, const plan_set *ps, const plan_class *k, const char *bd, double v, uint32_t col,
                       bool all)
{
    csvout_text(f, k->unit, true);
    csvout_int(f, k->year, false);
    csvout_text(f, k->group ? k->group->code : "other", false);
    csvout_text(f, k->metric ? k->metric->code : "other", false);
    csvout_text(f, bd, false);
    csvout_number(f, v, false);
    if (k->quarter) csvout_int(f, k->quarter, false);
    else csvout_empty(f, false);
    csvout_text(f, k->provider, false);
    if (all && k->has_cost) csvout_number(f, k->cost, false);
    else csvout_empty(f, false);
    csvout_text(f, all && k->source ? k->source->code : "", false);
    csvout_text(f, ps->res.sources[k->src].path, false);
    csvout_text(f, k->sheet, false);
    char a1[16] = "";
    if (col != PLAN_NO_COL) wb_cell_ref(k->row, col, a1);
    csvout_text(f, a1, false);
    csvout_eol(f);
}

int kehoach_records_csv(FILE *f, const plan_set *ps)
{
    fputs("unit,year,group,metric,breakdown,value,quarter,provider,cost,source,file,sheet,cell\n", f);
    size_t n;
    size_t *ix = live_order(ps, &n);
    if (!ix) return -1;
    for (size_t i = 0; i < n; i++) {
        const plan_class *k = &ps->cls[ix[i]];
        record_row(f, ps, k, "all", k->count, k->count_col, true);
        if (k->has_female) record_row(f, ps, k, "female", k->female, k->female_col, false);
        if (k->has_ethnic) record_row(f, ps, k, "ethnic", k->ethnic, k->ethnic_col, false);
    }
    free(ix);
    return ferror(f) ? -1 : 0;
}

/* ---- the workbook ------------------------------------------------------------------ */

typedef struct {
    wctx x;
    const plan_set *ps;
    const kehoach_meta *m;
    size_t *ix, n;             /* accepted classes, in output order */
} kctx;

static lxw_format *fmt(wctx *x)
{
    lxw_format *f = template_format(x->wb, true);
    if (!f) th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return f;
}

static int formats(wctx *x)
{
    if (template_styles_init(x->wb, &x->st) != 0) return -1;
    lxw_format **all[] = {&x->title, &x->subtitle, &x->meta_label, &x->meta_value, &x->head, &x->text,
                          &x->wrap, &x->center, &x->value_count, &x->value_money, &x->kind_row, &x->kind_count};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (!(*all[i] = fmt(x))) return -1;
    format_set_border(x->title, LXW_BORDER_NONE);
    format_set_bold(x->title);
    format_set_font_size(x->title, 14);
    format_set_border(x->subtitle, LXW_BORDER_NONE);
    format_set_italic(x->subtitle);
    format_set_bold(x->meta_label);
    format_set_num_format(x->meta_value, "#,##0.0##");
    template_list_looks(x->head, x->wrap, x->center, x->value_count);
    format_set_align(x->head, LXW_ALIGN_VERTICAL_CENTER);
    format_set_num_format(x->value_money, "#,##0.0##");
    format_set_bold(x->kind_row);
    format_set_bg_color(x->kind_row, 0xF2F2F2);
    format_set_bold(x->kind_count);
    format_set_bg_color(x->kind_count, 0xF2F2F2);
    format_set_num_format(x->kind_count, "#,##0.###");
    static const lxw_color_t sev_fill[] = {0xFFC7CE, 0xFFEB9C, 0xDDEBF7};
    for (int s = 0; s < 3; s++) {
        if (!(x->sev[s] = fmt(x))) return -1;
        format_set_bg_color(x->sev[s], sev_fill[s]);
        format_set_align(x->sev[s], LXW_ALIGN_CENTER);
    }
    return x->err == LXW_NO_ERROR ? 0 : -1;
}

static const char *place_label(const struct config *cfg, int p)
{
    return p >= 0 && p < CONFIG_PLACE_N && cfg->plan_form.place_label[p] ? cfg->plan_form.place_label[p] : "";
}

/* "Tóm tắt": the province's plan in a few figures. */
static void sheet_brief(kctx *k)
{
    wctx *x = &k->x;
    lxw_worksheet *ws = th_new_sheet(x, "Tóm tắt");
    if (!ws) return;
    char t[200];
    snprintf(t, sizeof t, "KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC NĂM %d", k->m->year);
    th_put_text(x, ws, NULL, 0, 0, t, x->title);
    snprintf(t, sizeof t, "Tổng hợp kế hoạch của các đơn vị — %s (dtbd %s)", x->cfg->plan.province,
             k->m->version);
    th_put_text(x, ws, NULL, 1, 0, t, x->subtitle);
    double persons = 0, female = 0, ethnic = 0, cost = 0, units = 0;
    for (size_t i = 0; i < k->n; i++) {
        const plan_class *c = &k->ps->cls[k->ix[i]];
        persons += c->count;
        female += c->has_female ? c->female : 0;
        ethnic += c->has_ethnic ? c->ethnic : 0;
        cost += c->has_cost ? c->cost : 0;
        units += i == 0 || strcmp(c->unit, k->ps->cls[k->ix[i - 1]].unit) != 0;
    }
    size_t warn = results_count(&k->ps->res, SEV_WARNING), err = results_count(&k->ps->res, SEV_ERROR);
    const char *labels[] = {"Số đơn vị có kế hoạch", "Số lớp", "Số người dự kiến", "Trong đó: nữ",
                            "Trong đó: người dân tộc thiểu số", "Kinh phí dự kiến (triệu đồng)",
                            "Cảnh báo thẩm định", "Lỗi số liệu"};
    double vals[] = {units, (double)k->n, persons, female, ethnic, cost, (double)warn, (double)err};
    for (size_t i = 0; i < sizeof vals / sizeof *vals; i++) {
        th_put_text(x, ws, NULL, (lxw_row_t)(3 + i), 0, labels[i], x->meta_label);
        th_put_num(x, ws, NULL, (lxw_row_t)(3 + i), 1, vals[i], i == 5 ? x->value_money : x->value_count);
    }
    snprintf(t, sizeof t, "Lập lúc %s. Chi tiết: trang Các lớp; thẩm định: trang Thẩm định.",
             k->m->run_time ? k->m->run_time : "");
    th_put_text(x, ws, NULL, 12, 0, t, x->subtitle);
    worksheet_set_column(ws, 0, 0, 40, NULL);
    worksheet_set_column(ws, 1, 1, 16, NULL);
    th_print_page(x, ws, "Tóm tắt kế hoạch đào tạo, bồi dưỡng");
}

/* "Các lớp": every accepted class with its provenance, an Excel table. */
static void sheet_classes(kctx *k)
{
    wctx *x = &k->x;
    const struct config *cfg = x->cfg;
    static const char *const head[] = {"Đơn vị", "Nội dung (như kế hoạch ghi)", "Nội dung (Biểu 02)",
                                       "Đối tượng (như kế hoạch ghi)", "Nhóm đối tượng", "Số lượng", "Nữ",
                                       "DTTS", "Quý", "Địa điểm", "Cơ sở đào tạo", "Kinh phí (triệu đồng)",
                                       "Nguồn kinh phí", "Tệp", "Trang tính", "Ô"};
    enum { NC = sizeof head / sizeof *head };
    lxw_worksheet *ws = th_new_sheet(x, "Các lớp");
    if (!ws) return;
    widths cw = {{0}};
    lxw_row_t r = 1;
    for (size_t i = 0; i < k->n; i++, r++) {
        const plan_class *c = &k->ps->cls[k->ix[i]];
        char a1[16] = "";
        if (c->count_col != PLAN_NO_COL) wb_cell_ref(c->row, c->count_col, a1);
        th_put_text(x, ws, &cw, r, 0, th_unit_name(cfg, c->unit), x->wrap);
        th_put_text(x, ws, &cw, r, 1, c->content, x->wrap);
        char mt[200] = "Khác";
        if (c->metric) config_metric_title(c->metric, mt, sizeof mt);
        th_put_text(x, ws, &cw, r, 2, mt, x->wrap);
        th_put_text(x, ws, &cw, r, 3, c->group_text, x->wrap);
        th_put_text(x, ws, &cw, r, 4, c->group ? c->group->label : "Khác", x->wrap);
        th_put_num(x, ws, &cw, r, 5, c->count, x->value_count);
        if (c->has_female) th_put_num(x, ws, &cw, r, 6, c->female, x->value_count);
        if (c->has_ethnic) th_put_num(x, ws, &cw, r, 7, c->ethnic, x->value_count);
        if (c->quarter) th_put_num(x, ws, &cw, r, 8, c->quarter, x->center);
        th_put_text(x, ws, &cw, r, 9, place_label(cfg, c->place), x->text);
        th_put_text(x, ws, &cw, r, 10, c->provider_unit ? c->provider_unit->name : c->provider, x->wrap);
        if (c->has_cost) th_put_num(x, ws, &cw, r, 11, c->cost, x->value_money);
        th_put_text(x, ws, &cw, r, 12, c->source ? c->source->label : "", x->wrap);
        th_put_text(x, ws, &cw, r, 13, k->ps->res.sources[c->src].path, x->wrap);
        th_put_text(x, ws, &cw, r, 14, c->sheet, x->text);
        th_put_text(x, ws, &cw, r, 15, a1, x->center);
    }
    th_add_table(x, ws, &cw, 0, r - 1, "CacLop", head, NC);
    /* long texts wrap in columns of a fixed width, so a printed page keeps a
     * readable scale (fitted to the width of A4 landscape) */
    static const double fixed[NC] = {20, 32, 22, 22, 22, 0, 0, 0, 0, 0, 20, 0, 14, 26, 0, 0};
    for (size_t i = 0; i < NC; i++)
        if (fixed[i] > 0) cw.w[i] = fixed[i];
    th_apply_widths(x, ws, &cw, NC, 6);
    for (size_t i = 0; i < NC; i++)
        if (fixed[i] > 0) worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, fixed[i], x->wrap);
    worksheet_freeze_panes(ws, 1, 1);
    th_print_page(x, ws, "Các lớp — trang để xem trên màn hình (lọc, sắp xếp): bản in chỉ gồm trang đầu; "
                         "toàn bộ ở plan-records.csv, tổng hợp ở các trang sau");
    lxw_row_t last = r - 1 < TH_SCREEN_PRINT_ROWS ? (r > 1 ? r - 1 : 1) : TH_SCREEN_PRINT_ROWS;
    th_keep(x, worksheet_print_area(ws, 0, 0, last, NC - 1));
    worksheet_fit_to_pages(ws, 1, 1);
    worksheet_repeat_rows(ws, 0, 0);
}

/* Does class group g count in row group row (itself, a part or a subset of it)? */
static bool in_group(const struct config_group *g, const struct config_group *row)
{
    for (int d = 0; g && d < 8; d++) {
        if (g == row) return true;
        g = g->part_of ? g->part_of : g->subset_of;
    }
    return false;
}

/* A top-level group row (added into the total). */
static bool top_group(const struct config_group *g)
{
    return !g->part_of && !g->subset_of;
}

/* The Biểu 02 contents a plan's class can have (plan_match.c's list). */
static bool content_metric(const struct config *cfg, const struct config_metric *m)
{
    const struct config_metric *law = config_metric(cfg, "tr_law");
    return law && m->table == law->table && !m->subset_of && m->n_parts == 0 &&
           strcmp(m->code, "person_times") != 0;
}

static double sum_cell(const kctx *k, const struct config_group *row, bool other_row,
                       const struct config_metric *m, bool other_col, bool any_col)
{
    double s = 0;
    for (size_t i = 0; i < k->n; i++) {
        const plan_class *c = &k->ps->cls[k->ix[i]];
        bool gr = other_row ? !c->group : row ? in_group(c->group, row) : (!c->group || top_group(c->group));
        bool mc = any_col || (other_col ? !c->metric : c->metric == m);
        if (gr && mc) s += c->count;
    }
    return s;
}

/* "Biểu 02": persons by group (rows) × content (columns), the form's layout. */
static void sheet_bieu02(kctx *k)
{
    wctx *x = &k->x;
    const struct config *cfg = x->cfg;
    lxw_worksheet *ws = th_new_sheet(x, "Biểu 02");
    if (!ws) return;
    char t[200];
    snprintf(t, sizeof t, "SỐ NGƯỜI DỰ KIẾN ĐÀO TẠO, BỒI DƯỠNG NĂM %d THEO NỘI DUNG VÀ ĐỐI TƯỢNG (người)",
             k->m->year);
    th_put_text(x, ws, NULL, 0, 0, t, x->title);
    th_put_text(x, ws, NULL, 2, 0, "Đối tượng", x->head);
    worksheet_merge_range(ws, 2, 0, 3, 0, "", x->head);
    th_put_text(x, ws, NULL, 2, 0, "Đối tượng", x->head);
    lxw_col_t c = 1;
    const struct config_metric *cols[64];
    size_t nc = 0;
    for (size_t i = 0; i < cfg->n_metrics && nc < 62; i++)
        if (content_metric(cfg, &cfg->metrics[i])) cols[nc++] = &cfg->metrics[i];
    for (size_t i = 0; i < nc; i++, c++) {
        const struct config_heading *h = cols[i]->heading;
        size_t run = 1;
        while (h && i + run < nc && cols[i + run]->heading == h) run++;
        if (h && run > 1) {
            worksheet_merge_range(ws, 2, c, 2, (lxw_col_t)(c + run - 1), "", x->head);
            th_put_text(x, ws, NULL, 2, c, h->label, x->head);
            for (size_t j = 0; j < run; j++) th_put_text(x, ws, NULL, 3, (lxw_col_t)(c + j), cols[i + j]->label, x->head);
            c = (lxw_col_t)(c + run - 1);
            i += run - 1;
        } else {
            worksheet_merge_range(ws, 2, c, 3, c, "", x->head);
            th_put_text(x, ws, NULL, 2, c, cols[i]->label, x->head);
        }
    }
    worksheet_merge_range(ws, 2, c, 3, c, "", x->head);
    th_put_text(x, ws, NULL, 2, c, "Khác", x->head);
    worksheet_merge_range(ws, 2, c + 1, 3, c + 1, "", x->head);
    th_put_text(x, ws, NULL, 2, c + 1, "Cộng", x->head);
    lxw_row_t r = 4;
    const struct config_metric *law = config_metric(cfg, "tr_law");
    for (size_t gi = 0; gi <= cfg->n_groups; gi++) {
        const struct config_group *g = gi < cfg->n_groups ? &cfg->groups[gi] : NULL;
        if (g && (!law || !config_group_in_table(g, law->table))) continue;
        bool other = g == NULL;
        lxw_format *lf = g && top_group(g) ? x->kind_row : x->text, *vf = g && top_group(g) ? x->kind_count : x->value_count;
        th_put_text(x, ws, NULL, r, 0, g ? g->label : "Khác (đối tượng không khớp)", lf);
        for (size_t i = 0; i < nc; i++) th_put_num(x, ws, NULL, r, (lxw_col_t)(1 + i), sum_cell(k, g, other, cols[i], false, false), vf);
        th_put_num(x, ws, NULL, r, (lxw_col_t)(1 + nc), sum_cell(k, g, other, NULL, true, false), vf);
        th_put_num(x, ws, NULL, r, (lxw_col_t)(2 + nc), sum_cell(k, g, other, NULL, false, true), vf);
        r++;
    }
    th_put_text(x, ws, NULL, r, 0, "Tổng cộng", x->kind_row);
    for (size_t i = 0; i < nc; i++) th_put_num(x, ws, NULL, r, (lxw_col_t)(1 + i), sum_cell(k, NULL, false, cols[i], false, false), x->kind_count);
    th_put_num(x, ws, NULL, r, (lxw_col_t)(1 + nc), sum_cell(k, NULL, false, NULL, true, false), x->kind_count);
    th_put_num(x, ws, NULL, r, (lxw_col_t)(2 + nc), sum_cell(k, NULL, false, NULL, false, true), x->kind_count);
    worksheet_set_column(ws, 0, 0, 42, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)(2 + nc), 9, NULL);
    worksheet_set_row(ws, 3, 60, NULL);
    worksheet_freeze_panes(ws, 4, 1);
    th_print_page(x, ws, "Kế hoạch theo nội dung và đối tượng (bố cục Biểu 02)");
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 2, 3);
}

/* A small grouped table: label → classes, persons, cost. keyf gives each
 * class's label (NULL: skip). */
typedef const char *(*key_fn)(const kctx *k, const plan_class *c, char *tmp, size_t n);

static void sheet_grouped(kctx *k, const char *name, const char *title, const char *first_head, key_fn keyf,
                          const char *const *order, size_t norder)
{
    wctx *x = &k->x;
    lxw_worksheet *ws = th_new_sheet(x, name);
    if (!ws) return;
    th_put_text(x, ws, NULL, 0, 0, title, x->title);
    const char *head[] = {first_head, "Số lớp", "Số người", "Kinh phí (triệu đồng)"};
    widths cw = {{0}};
    th_put_header(x, ws, &cw, 2, head, 4);
    const char *labels[256];
    size_t nl = 0;
    for (size_t i = 0; i < norder && nl < 256; i++) labels[nl++] = order[i];
    char tmp[256];
    for (size_t i = 0; i < k->n && nl < 256; i++) {
        const char *l = keyf(k, &k->ps->cls[k->ix[i]], tmp, sizeof tmp);
        bool seen = false;
        for (size_t j = 0; j < nl && !seen; j++) seen = strcmp(labels[j], l) == 0;
        if (!seen) labels[nl++] = l == tmp ? "" : l;
    }
    lxw_row_t r = 3;
    double tc = 0, tp = 0, tm = 0;
    for (size_t j = 0; j < nl; j++) {
        double nc = 0, np = 0, nm = 0;
        for (size_t i = 0; i < k->n; i++) {
            const plan_class *c = &k->ps->cls[k->ix[i]];
            if (strcmp(keyf(k, c, tmp, sizeof tmp), labels[j]) != 0) continue;
            nc++, np += c->count, nm += c->has_cost ? c->cost : 0;
        }
        th_put_text(x, ws, &cw, r, 0, labels[j], x->text);
        th_put_num(x, ws, &cw, r, 1, nc, x->value_count);
        th_put_num(x, ws, &cw, r, 2, np, x->value_count);
        th_put_num(x, ws, &cw, r, 3, nm, x->value_money);
        tc += nc, tp += np, tm += nm;
        r++;
    }
    th_put_text(x, ws, &cw, r, 0, "Tổng cộng", x->kind_row);
    th_put_num(x, ws, &cw, r, 1, tc, x->kind_count);
    th_put_num(x, ws, &cw, r, 2, tp, x->kind_count);
    th_put_num(x, ws, &cw, r, 3, tm, x->kind_count);
    th_apply_widths(x, ws, &cw, 4, 12);
    worksheet_freeze_panes(ws, 3, 1);
    th_print_page(x, ws, title);
}

static const char *key_provider(const kctx *k, const plan_class *c, char *tmp, size_t n)
{
    (void)k, (void)tmp, (void)n;
    return c->provider_unit ? c->provider_unit->name : c->provider[0] ? c->provider : "(chưa ghi cơ sở đào tạo)";
}

static const char *const quarter_names[] = {"(chưa ghi thời gian)", "Quý I", "Quý II", "Quý III", "Quý IV"};

static const char *key_quarter(const kctx *k, const plan_class *c, char *tmp, size_t n)
{
    (void)k, (void)tmp, (void)n;
    return quarter_names[c->quarter >= 1 && c->quarter <= 4 ? c->quarter : 0];
}

static const char *key_source(const kctx *k, const plan_class *c, char *tmp, size_t n)
{
    (void)k, (void)tmp, (void)n;
    return c->source ? c->source->label : "(chưa ghi nguồn)";
}

/* "Thẩm định": the findings, errors first. */
static void sheet_findings(kctx *k)
{
    wctx *x = &k->x;
    const results *res = &k->ps->res;
    static const char *const head[] = {"Mức độ", "Mã quy tắc", "Quy tắc", "Đơn vị", "Năm", "Tệp",
                                       "Trang tính", "Ô", "Nội dung"};
    enum { NC = sizeof head / sizeof *head };
    lxw_worksheet *ws = th_new_sheet(x, "Thẩm định");
    if (!ws) return;
    widths cw = {{0}};
    lxw_row_t r = 1;
    for (int s = SEV_ERROR; s <= SEV_INFO; s++)
        for (size_t i = 0; i < res->nfindings; i++) {
            const finding *f = &res->findings[i];
            if ((int)f->sev != s) continue;
            th_put_text(x, ws, &cw, r, 0, config_word(x->cfg, CONFIG_WORDS_SEVERITY, s), x->sev[s]);
            th_put_text(x, ws, &cw, r, 1, f->rule, x->text);
            th_put_text(x, ws, &cw, r, 2, config_rule_label(x->cfg, f->rule), x->text);
            th_put_text(x, ws, &cw, r, 3, f->unit[0] ? th_unit_name(x->cfg, f->unit) : "", x->text);
            if (f->year) th_put_num(x, ws, &cw, r, 4, f->year, x->center);
            th_put_text(x, ws, &cw, r, 5, f->source < res->nsources ? res->sources[f->source].path : "", x->text);
            th_put_text(x, ws, &cw, r, 6, f->sheet, x->text);
            th_put_text(x, ws, &cw, r, 7, f->cell, x->center);
            th_put_text(x, ws, &cw, r, 8, f->message, x->wrap);
            r++;
        }
    th_add_table(x, ws, &cw, 0, r - 1, "ThamDinh", head, NC);
    th_apply_widths(x, ws, &cw, NC, 6);
    worksheet_freeze_panes(ws, 1, 0);
    th_print_page(x, ws, "Thẩm định kế hoạch của các đơn vị");
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_repeat_rows(ws, 0, 0);
}

int kehoach_write(const char *path, const struct config *cfg, const plan_set *ps, const kehoach_meta *m,
                  char *why, size_t whylen)
{
    kctx k;
    memset(&k, 0, sizeof k);
    workbook_meta wm = {m->run_time, m->version, ps->res.nsources, NULL, 0, false, NULL, false};
    k.x.cfg = cfg;
    k.x.res = &ps->res;
    k.x.meta = &wm;
    k.ps = ps;
    k.m = m;
    k.ix = live_order(ps, &k.n);
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    k.x.wb = k.ix ? workbook_new_opt(path, &opt) : NULL;
    if (!k.x.wb) {
        snprintf(why, whylen, "không tạo được %s", path);
        free(k.ix);
        return -1;
    }
    if (formats(&k.x) == 0) {
        sheet_brief(&k);
        sheet_classes(&k);
        sheet_bieu02(&k);
        sheet_grouped(&k, "Cơ sở đào tạo", "Kế hoạch theo cơ sở đào tạo", "Cơ sở đào tạo", key_provider, NULL, 0);
        sheet_grouped(&k, "Theo quý", "Kế hoạch theo quý", "Thời gian", key_quarter, quarter_names + 1, 4);
        const char *srcs[8];
        size_t ns = 0;
        for (size_t i = 0; i < cfg->n_breakdowns && ns < 8; i++)
            if (cfg->breakdowns[i].part_of) srcs[ns++] = cfg->breakdowns[i].label;
        sheet_grouped(&k, "Kinh phí", "Kinh phí dự kiến theo nguồn", "Nguồn kinh phí", key_source, srcs, ns);
        sheet_findings(&k);
    }
    lxw_error e = template_workbook_close(k.x.wb);
    free(k.ix);
    if (k.x.err == LXW_NO_ERROR && e != LXW_NO_ERROR) k.x.err = e;
    if (k.x.err != LXW_NO_ERROR) {
        snprintf(why, whylen, "lỗi khi ghi %s: %s", path, lxw_strerror(k.x.err));
        return -1;
    }
    return 0;
}
