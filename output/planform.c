/* output/planform.c — the blank annual plan form (see planform.h). */
#include "output/planform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#include "output/template.h"

/* The form's title before the year (the plan_form.title words recognize it). */
#define PLANFORM_TITLE "KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC NĂM"
#define LISTS_SHEET "Danh mục"

static void keep(lxw_error *e, lxw_error x)
{
    if (*e == LXW_NO_ERROR && x != LXW_NO_ERROR) *e = x;
}

/* The columns of the form, left to right, and their widths. */
static const enum config_plan_col cols[] = {
    CONFIG_PCOL_STT, CONFIG_PCOL_CONTENT, CONFIG_PCOL_GROUP, CONFIG_PCOL_COUNT, CONFIG_PCOL_FEMALE,
    CONFIG_PCOL_ETHNIC, CONFIG_PCOL_TIME, CONFIG_PCOL_PLACE, CONFIG_PCOL_PROVIDER, CONFIG_PCOL_COST,
    CONFIG_PCOL_SOURCE, CONFIG_PCOL_NOTE};
enum { NCOLS = sizeof cols / sizeof *cols };
static const double widths[NCOLS] = {6, 42, 30, 10, 8, 8, 11, 12, 28, 12, 24, 16};

/* The lists of the drop-downs, one column each of the hidden sheet. */
enum { L_CONTENT, L_GROUP, L_QUARTER, L_PLACE, L_PROVIDER, L_SOURCE, L_N };

typedef struct {
    const char *items[64];
    size_t n;
} list;

/* The Biểu 02 contents as the list shows them: "heading label" under a
 * heading ("Lý luận chính trị Trung cấp" reads back as llct_mid). */
typedef struct {
    char text[64][200];
    size_t n;
} contents;

static void lists_make(const struct config *cfg, list l[L_N], contents *ct)
{
    memset(l, 0, L_N * sizeof *l);
    ct->n = 0;
    const struct config_metric *law = config_metric(cfg, "tr_law");
    const struct config_table *t = law ? law->table : NULL;
    for (size_t i = 0; t && i < cfg->n_metrics && ct->n < 64; i++) {
        const struct config_metric *m = &cfg->metrics[i];
        if (m->table != t || m->subset_of || m->n_parts || strcmp(m->code, "person_times") == 0) continue;
        config_metric_title(m, ct->text[ct->n], sizeof ct->text[0]);
        l[L_CONTENT].items[l[L_CONTENT].n++] = ct->text[ct->n++];
    }
    for (size_t i = 0; t && i < cfg->n_groups && l[L_GROUP].n < 64; i++)
        if (config_group_in_table(&cfg->groups[i], t)) l[L_GROUP].items[l[L_GROUP].n++] = cfg->groups[i].label;
    static const char *const q[] = {"Quý I", "Quý II", "Quý III", "Quý IV"};
    for (size_t i = 0; i < 4; i++) l[L_QUARTER].items[l[L_QUARTER].n++] = q[i];
    for (int p = 0; p < CONFIG_PLACE_N; p++)
        if (cfg->plan_form.place_label[p]) l[L_PLACE].items[l[L_PLACE].n++] = cfg->plan_form.place_label[p];
    for (size_t i = 0; i < cfg->n_units && l[L_PROVIDER].n < 64; i++)
        if (cfg->units[i].kind == CONFIG_PROVIDER) l[L_PROVIDER].items[l[L_PROVIDER].n++] = cfg->units[i].name;
    for (size_t i = 0; i < cfg->n_breakdowns && l[L_SOURCE].n < 64; i++)
        if (cfg->breakdowns[i].part_of) l[L_SOURCE].items[l[L_SOURCE].n++] = cfg->breakdowns[i].label;
}

/* The hidden sheet of lists, one column each. */
static lxw_error lists_sheet(lxw_workbook *wb, const template_styles *st, const list l[L_N])
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, LISTS_SHEET);
    if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = LXW_NO_ERROR;
    for (int k = 0; k < L_N; k++)
        for (size_t i = 0; i < l[k].n; i++)
            keep(&e, template_write_text(ws, (lxw_row_t)i, (lxw_col_t)k, l[k].items[i], st->text));
    worksheet_hide(ws);
    return e;
}

/* A drop-down on rows r1..r2 of column c from list k (n entries). */
static lxw_error dropdown(lxw_worksheet *ws, lxw_row_t r1, lxw_row_t r2, lxw_col_t c, int k, size_t n, bool strict,
                          const char *msg)
{
    if (!n) return LXW_NO_ERROR;
    char formula[128], col = (char)('A' + k);
    snprintf(formula, sizeof formula, "='%s'!$%c$1:$%c$%zu", LISTS_SHEET, col, col, n);
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
    dv.value_formula = formula;
    dv.error_type = strict ? LXW_VALIDATION_ERROR_TYPE_STOP : LXW_VALIDATION_ERROR_TYPE_INFORMATION;
    dv.error_title = (char *)"Giá trị ngoài danh mục";
    dv.error_message = (char *)msg;
    return worksheet_data_validation_range(ws, r1, c, r2, c, &dv);
}

/* The plan form's counts and costs: template_number_rule with the plan's words. */
static lxw_error number_rule(lxw_worksheet *ws, lxw_row_t r1, lxw_row_t r2, lxw_col_t c, bool money)
{
    return template_number_rule(ws, r1, c, r2, c, money,
                                money ? "Nhập số tiền không âm, đơn vị triệu đồng (ví dụ 12,5)."
                                      : "Nhập số người: số nguyên, không âm.");
}

static const char *col_word(const struct config *cfg, enum config_plan_col k)
{
    const struct config_strs *s = &cfg->plan_form.columns[k];
    return s->n ? s->items[0] : config_plan_column_key(k);
}

/* The header, column numbers, input rows and the "Tổng cộng" row from row r;
 * returns the row below. */
static lxw_row_t table_rows(lxw_worksheet *ws, const template_styles *st, const struct config *cfg, lxw_row_t r,
                            const list l[L_N], lxw_format *input_text, lxw_error *e)
{
    for (size_t c = 0; c < NCOLS; c++) {
        keep(e, template_write_text(ws, r, (lxw_col_t)c, col_word(cfg, cols[c]), st->header));
        char num[8];
        snprintf(num, sizeof num, "(%zu)", c + 1);
        keep(e, template_write_text(ws, r + 1, (lxw_col_t)c, num, st->colnum));
        keep(e, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL));
    }
    keep(e, worksheet_set_row(ws, r, 32, NULL));
    lxw_row_t first = r + 2, last = first + PLANFORM_ROWS - 1;
    for (lxw_row_t i = first; i <= last; i++)
        for (size_t c = 0; c < NCOLS; c++) {
            bool money = cols[c] == CONFIG_PCOL_COST;
            bool num = money || cols[c] == CONFIG_PCOL_COUNT || cols[c] == CONFIG_PCOL_FEMALE ||
                       cols[c] == CONFIG_PCOL_ETHNIC;
            keep(e, worksheet_write_blank(ws, i, (lxw_col_t)c,
                                          money ? st->input_money : num ? st->input_count : input_text));
        }
    keep(e, dropdown(ws, first, last, 1, L_CONTENT, l[L_CONTENT].n, false,
                     "Nên chọn nội dung trong danh mục (nội dung của Biểu 02); nội dung khác vẫn được ghi."));
    keep(e, dropdown(ws, first, last, 2, L_GROUP, l[L_GROUP].n, false,
                     "Nên chọn đối tượng trong danh mục; cách ghi khác vẫn được đọc nếu khớp."));
    keep(e, dropdown(ws, first, last, 6, L_QUARTER, l[L_QUARTER].n, true, "Chọn Quý I, II, III hoặc IV."));
    keep(e, dropdown(ws, first, last, 7, L_PLACE, l[L_PLACE].n, true, "Chọn địa điểm trong danh mục."));
    keep(e, dropdown(ws, first, last, 8, L_PROVIDER, l[L_PROVIDER].n, false,
                     "Cơ sở đào tạo khác: ghi đầy đủ tên."));
    keep(e, dropdown(ws, first, last, 10, L_SOURCE, l[L_SOURCE].n, true, "Chọn nguồn kinh phí trong danh mục."));
    for (lxw_col_t c = 3; c <= 5; c++) keep(e, number_rule(ws, first, last, c, false));
    keep(e, number_rule(ws, first, last, 9, true));
    lxw_row_t t = last + 1;
    keep(e, template_merge_text(ws, t, 0, t, 2, "Tổng cộng", st->label_total));
    for (lxw_col_t c = 3; c <= 9; c++) {
        if (c >= 6 && c <= 8) {
            keep(e, worksheet_write_blank(ws, t, c, st->total_count));
            continue;
        }
        char a[16], b[16], f[48];
        lxw_rowcol_to_cell(a, first, c);
        lxw_rowcol_to_cell(b, last, c);
        snprintf(f, sizeof f, "=SUM(%s:%s)", a, b);
        keep(e, worksheet_write_formula_num(ws, t, c, f, c == 9 ? st->total_money : st->total_count, 0));
    }
    for (lxw_col_t c = 10; c < NCOLS; c++) keep(e, worksheet_write_blank(ws, t, c, st->total_count));
    return t + 1;
}

static lxw_error plan_sheet(lxw_workbook *wb, const template_styles *st, const struct config *cfg,
                            const struct config_unit *unit, int year, const list l[L_N])
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Biểu KH");
    if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = LXW_NO_ERROR;
    char *h1 = NULL, *h2 = NULL;
    if (template_letterhead(cfg, unit, &h1, &h2) != 0) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_row_t r = template_put_heading(ws, st, 0, NCOLS, h1, h2, &e);
    free(h1);
    free(h2);
    char line[1024];
    snprintf(line, sizeof line, "Đơn vị: %s", unit->name);
    keep(&e, template_merge_text(ws, r, 0, r, NCOLS - 1, line, st->text));
    r += 2;
    snprintf(line, sizeof line, "%s %d", PLANFORM_TITLE, year);
    keep(&e, template_merge_text(ws, r, 0, r, NCOLS - 1, line, st->title));
    keep(&e, worksheet_set_row(ws, r, 30, NULL));
    r += 1;
    keep(&e, template_merge_text(ws, r, 0, r, NCOLS - 1, "Đơn vị tính: người; kinh phí: triệu đồng", st->unit_measure));
    r += 2;
    lxw_row_t head = r;
    /* the text cells a unit types into: bordered, open, filled like the
     * form's number cells, wrapped */
    lxw_format *input_text = template_format(wb, true);
    if (!input_text) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    format_set_unlocked(input_text);
    format_set_text_wrap(input_text);
    format_set_bg_color(input_text, 0xFFFFF0);
    r = table_rows(ws, st, cfg, r, l, input_text, &e);
    template_put_signature(ws, st, r + 1, NCOLS, "THỦ TRƯỞNG ĐƠN VỊ", true, NULL, &e);
    worksheet_freeze_panes(ws, head + 2, 2);
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    keep(&e, worksheet_repeat_rows(ws, head, head + 1));
    lxw_protection prot;
    memset(&prot, 0, sizeof prot);
    prot.format_columns = 1;
    prot.format_rows = 1;
    worksheet_protect(ws, NULL, &prot);
    return e;
}

int planform_write(const char *path, const struct config *cfg, const struct config_unit *unit, int year,
                   char *err, size_t errlen)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        snprintf(err, errlen, "không tạo được tệp biểu mẫu %s", path);
        return -1;
    }
    template_styles st;
    lxw_error e = template_styles_init(wb, &st) == 0 ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    list l[L_N];
    contents *ct = malloc(sizeof *ct);
    if (!ct) keep(&e, LXW_ERROR_MEMORY_MALLOC_FAILED);
    else lists_make(cfg, l, ct);
    if (e == LXW_NO_ERROR) {
        /* the form first (it opens on it); the lists after it, hidden */
        keep(&e, plan_sheet(wb, &st, cfg, unit, year, l));
        keep(&e, lists_sheet(wb, &st, l));
    }
    lxw_error ce = template_workbook_close(wb);
    free(ct);
    keep(&e, ce);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "không ghi được biểu mẫu kế hoạch %s (%s)", path, lxw_strerror(e));
        return -1;
    }
    return 0;
}
