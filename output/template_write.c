/*
 * output/template_write.c — writing the report form with libxlsxwriter: a
 * table's header, column numbers, group rows and checks, its widths, heights
 * and page breaks, the heading, footer and signature blocks, print setup.
 * See template.h for the contract.
 */
#include "output/template.h"
#include "output/template_private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* Form words that are not in the config (see template.c). */
#define WORD_MOTTO1     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define WORD_MOTTO2     "Độc lập - Tự do - Hạnh phúc"

/* ==== private: writing ========================================================== */

/* Column-number text of data column j (0-based; sheet column j+2): "7=3+4+5+6"
 * for a sum of parts, else the plain number. */
static void colnum_text(const template_form *f, size_t j, char *out, size_t n)
{
    int len = snprintf(out, n, "%zu", j + 3);
    const char *sep = "=";
    for (size_t k = 0; k < f->ncols && len > 0 && (size_t)len < n; k++)
        if (template_column_is_part(f, k, j)) {
            len += snprintf(out + len, n - (size_t)len, "%s%zu", sep, k + 3);
            sep = "+";
        }
}

/* Width (characters) of each sheet column of the table. */
static void column_widths(const template_form *f, const struct config *cfg, double *w)
{
    size_t label = 0;
    for (size_t i = 0; i < f->nrows; i++) {
        const char *s = f->rows[i].group ? f->rows[i].group->label : f->rows[i].metric->label;
        size_t cw = template_text_width(s) + (f->rows[i].kind == TEMPLATE_ROW_TOP ? 2 : 4);
        if (cw > label) label = cw;
    }
    if (cfg->form.total_row.n && template_text_width(cfg->form.total_row.items[0]) + 2 > label)
        label = template_text_width(cfg->form.total_row.items[0]) + 2;
    w[0] = 5;
    w[1] = label < 16 ? 16 : label > 46 ? 46 : (double)label;
    bool money = false;
    for (size_t j = 0; j < f->ncols; j++)
        if (f->cols[j].metric ? f->cols[j].metric->value == CONFIG_VALUE_MONEY : true) money = true;
    for (size_t j = 0; j < f->ncols; j++) {
        /* the bottom header cell of the column decides; long texts wrap */
        size_t leaf = 0;
        for (size_t h = 0; h < f->nhdr; h++)
            if (f->hdr[h].c1 == j + 2 && f->hdr[h].c2 == j + 2 && f->hdr[h].r2 == f->depth - 1)
                leaf = template_text_width(f->hdr[h].text);
        double cw = (double)leaf + 2;
        double lo = money ? 13 : f->depth >= 3 ? 8 : 10, hi = money ? 16 : 13;
        w[j + 2] = cw < lo ? lo : cw > hi ? hi : cw;
    }
}

/* See template_private.h. */
unsigned template_lines_for(const char *s, double width, double factor)
{
    double usable = width - 1.0;
    if (usable < 3) usable = 3;
    unsigned lines = 0;
    const char *p = s;
    for (;;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char tmp[512];
        snprintf(tmp, sizeof tmp, "%.*s", (int)(len < sizeof tmp - 1 ? len : sizeof tmp - 1), p);
        double need = (double)template_text_width(tmp) * factor;
        unsigned l = (unsigned)(need / usable) + 1;
        lines += l;
        if (!nl) break;
        p = nl + 1;
    }
    return lines ? lines : 1;
}

/* Heights (points) of the header rows so that every header text shows whole. */
static void header_heights(const template_form *f, const double *w, double *h)
{
    const double line = 14.5;
    for (unsigned r = 0; r < f->depth; r++) h[r] = line + 3;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < f->nhdr; i++) {
            const template_header_cell *c = &f->hdr[i];
            bool single = c->r1 == c->r2;
            if ((pass == 0) != single) continue;
            double width = 0;
            for (unsigned k = c->c1; k <= c->c2; k++) width += w[k];
            double need = template_lines_for(c->text, width, 1.12) * line + 3, have = 0;
            for (unsigned r = c->r1; r <= c->r2; r++) have += h[r];
            if (need > have) h[c->r2] += need - have;
        }
}

/* Characters (column-width units) across one A4 landscape page at 60 %, the
 * wide tables' scale (measured on LibreOffice's PDF export); a table up to
 * FIT_CHARS wide is fitted to one page instead (scale ≥ 45 %). */
#define PAGE_CHARS 175.0
#define FIT_CHARS 236.0

/* Page breaks for a table wider than a page: pack whole top header blocks
 * (a heading and its columns, a metric and its sub-columns) onto pages that
 * repeat the STT and label columns. */
static void page_breaks(const template_form *f, const double *w, template_placed *out)
{
    memset(out->breaks, 0, sizeof out->breaks);
    if (out->width <= FIT_CHARS) return;
    double lead = w[0] + w[1], cur = lead;
    size_t nb = 0;
    for (size_t i = 0; i < f->nhdr; i++) {
        const template_header_cell *c = &f->hdr[i];
        if (c->r1 != 0 || c->c1 < 2) continue;
        double bw = 0;
        for (unsigned k = c->c1; k <= c->c2; k++) bw += w[k];
        if (cur + bw > PAGE_CHARS && cur > lead && nb + 1 < sizeof out->breaks / sizeof *out->breaks) {
            out->breaks[nb++] = (lxw_col_t)c->c1;
            cur = lead;
        }
        cur += bw;
    }
}

/* "C12" of a sheet cell. */
static void cell_name(lxw_row_t r, lxw_col_t c, char out[LXW_MAX_CELL_NAME_LENGTH])
{
    lxw_rowcol_to_cell(out, r, c);
}

/* See template.h. */
void template_list_looks(lxw_format *head, lxw_format *wrap, lxw_format *center, lxw_format *count)
{
    format_set_bold(head);
    format_set_text_wrap(head);
    format_set_align(head, LXW_ALIGN_CENTER);
    format_set_bg_color(head, 0xDDEBF7);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_align(center, LXW_ALIGN_CENTER);
    format_set_num_format(count, "#,##0");
}

/* See template.h. */
lxw_error template_number_rule(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
                               bool money, const char *message)
{
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    dv.validate = money ? LXW_VALIDATION_TYPE_DECIMAL : LXW_VALIDATION_TYPE_INTEGER;
    dv.criteria = LXW_VALIDATION_CRITERIA_GREATER_THAN_OR_EQUAL_TO;
    dv.value_number = 0;
    dv.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    dv.error_title = (char *)"Số liệu không hợp lệ";
    dv.error_message = message ? (char *)message
                       : money ? (char *)"Nhập số tiền không âm, đơn vị triệu đồng (ví dụ 125,5)."
                               : (char *)"Nhập số người: số nguyên, không âm. Để trống nếu bằng 0.";
    return worksheet_data_validation_range(ws, r1, c1, r2, c2, &dv);
}

/* ==== public: writing the form ===================================================== */

/* See template.h. */
lxw_row_t template_put_heading(lxw_worksheet *ws, const template_styles *st, lxw_row_t row, unsigned width,
                               const char *left1, const char *left2, lxw_error *err)
{
    lxw_col_t right = width > 3 ? 2 : 1, last = width > 3 ? (lxw_col_t)(width - 1) : 2;
    keep(err, template_merge_text(ws, row, 0, row, right - 1, left1, st->bold));
    keep(err, template_merge_text(ws, row, right, row, last, WORD_MOTTO1, st->bold));
    if (left2) keep(err, template_merge_text(ws, row + 1, 0, row + 1, right - 1, left2, st->bold));
    keep(err, template_merge_text(ws, row + 1, right, row + 1, last, WORD_MOTTO2, st->motto));
    return row + 2;
}

/* See template.h. */
lxw_row_t template_put_footer(lxw_worksheet *ws, const template_styles *st, lxw_row_t row, unsigned width,
                              const char *right_title, lxw_error *err)
{
    return template_put_signature(ws, st, row, width, right_title, false, NULL, err);
}

/* See template.h. */
lxw_row_t template_put_signature(lxw_worksheet *ws, const template_styles *st, lxw_row_t row, unsigned width,
                                 const char *right_title, bool open, template_footer_cells *cells, lxw_error *err)
{
    lxw_col_t right = width > 3 ? 2 : 1, last = width > 3 ? (lxw_col_t)(width - 1) : 2;
    row++;
    if (cells) cells->date_row = row, cells->date_col = right;
    keep(err, template_merge_text(ws, row, right, row, last, TEMPLATE_FOOTER_DATE,
                                  open ? st->footer_place_input : st->footer_place));
    row++;
    if (cells) cells->title_row = row;
    keep(err, template_merge_text(ws, row, 0, row, right - 1, "NGƯỜI LẬP BIỂU", st->footer_title));
    keep(err, template_merge_text(ws, row, right, row, last, right_title,
                                  open ? st->footer_title_input : st->footer_title));
    row++;
    keep(err, template_merge_text(ws, row, 0, row, right - 1, "(Ký, ghi rõ họ tên)", st->footer_note));
    keep(err, template_merge_text(ws, row, right, row, last, "(Ký tên, đóng dấu)", st->footer_note));
    if (!open) return row + 4;
    /* room to sign, then the two names */
    row += 4;
    if (cells) cells->name_row = row;
    keep(err, template_merge_text(ws, row, 0, row, right - 1, "", st->footer_name_input));
    keep(err, template_merge_text(ws, row, right, row, last, "", st->footer_name_input));
    return row + 2;
}

/* "$C12" (column fixed, row relative) or "C12" of a sheet cell. */
static void cell_ref(lxw_row_t r, lxw_col_t c, bool col_abs, char out[LXW_MAX_CELL_NAME_LENGTH])
{
    lxw_rowcol_to_cell_abs(out, r, c, false, col_abs);
}

/* One conditional format: the alert style while `formula` (relative to the
 * range's top-left cell) holds. */
static lxw_error alert_range(lxw_worksheet *ws, const template_styles *st, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2,
                             lxw_col_t c2, const char *formula)
{
    lxw_conditional_format cf;
    memset(&cf, 0, sizeof cf);
    cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
    cf.value_string = (char *)formula;
    cf.format = st->alert;
    return worksheet_conditional_format_range(ws, r1, c1, r2, c2, &cf);
}

/* The blank form's live checks (template.h): a part over its whole (Nữ, DTTS
 * over Tổng số; a "Trong đó" column over its column; a "Trong đó" row over its
 * group's row), and columns that must add up to another (Σ trình độ chuyên môn
 * = Tổng số) and do not. data_row: the sheet row of f's first row. */
static lxw_error alert_rules(lxw_worksheet *ws, const template_styles *st, const template_form *f,
                             lxw_row_t data_row)
{
    lxw_error err = LXW_NO_ERROR;
    lxw_row_t last = data_row + (lxw_row_t)f->nrows - 1;
    char a[LXW_MAX_CELL_NAME_LENGTH], b[LXW_MAX_CELL_NAME_LENGTH], formula[1024];
    for (size_t j = 0; j < f->ncols; j++) {
        lxw_col_t c = (lxw_col_t)(j + 2);
        long w = template_column_whole(f, j);
        if (w >= 0) {
            cell_ref(data_row, c, true, a);
            cell_ref(data_row, (lxw_col_t)(w + 2), true, b);
            snprintf(formula, sizeof formula, "=AND(ISNUMBER(%s),%s>N(%s))", a, a, b);
            keep(&err, alert_range(ws, st, data_row, c, last, c, formula));
        }
        /* columns that add up to this one: the whole and every part turn red */
        buf parts = BUF_INIT;
        buf_puts(&parts, "");
        for (size_t k = 0; k < f->ncols; k++)
            if (template_column_is_part(f, k, j) && !f->cols[j].sum_of_parts) {
                cell_ref(data_row, (lxw_col_t)(k + 2), true, a);
                buf_printf(&parts, "%s%s", parts.len ? "," : "", a);
            }
        if (parts.oom) keep(&err, LXW_ERROR_MEMORY_MALLOC_FAILED);
        else if (parts.len) {
            cell_ref(data_row, c, true, b);
            snprintf(formula, sizeof formula, "=AND(COUNT(%s)>0,SUM(%s)<>N(%s))", buf_str(&parts),
                     buf_str(&parts), b);
            keep(&err, alert_range(ws, st, data_row, c, last, c, formula));
            for (size_t k = 0; k < f->ncols; k++)
                if (template_column_is_part(f, k, j))
                    keep(&err, alert_range(ws, st, data_row, (lxw_col_t)(k + 2), last, (lxw_col_t)(k + 2),
                                           formula));
        }
        buf_free(&parts);
    }
    /* a "Trong đó" row never over its group's row */
    for (size_t i = 0; i < f->nrows && f->ncols; i++) {
        const template_row *tr = &f->rows[i];
        if (tr->kind != TEMPLATE_ROW_SUBSET || !tr->group || !tr->group->subset_of) continue;
        for (size_t k = 0; k < f->nrows; k++)
            if (f->rows[k].group == tr->group->subset_of) {
                lxw_row_t r = data_row + (lxw_row_t)i;
                cell_ref(r, 2, false, a);
                cell_ref(data_row + (lxw_row_t)k, 2, false, b);
                snprintf(formula, sizeof formula, "=AND(ISNUMBER(%s),%s>N(%s))", a, a, b);
                keep(&err, alert_range(ws, st, r, 2, r, (lxw_col_t)(f->ncols + 1), formula));
                break;
            }
    }
    return err;
}

/* See template.h. */
lxw_error template_table_write(lxw_worksheet *ws, const template_styles *st, const struct config *cfg,
                               const template_form *f, lxw_row_t row, const char *title_suffix,
                               template_value_fn value, void *ctx, template_placed *out)
{
    lxw_error err = LXW_NO_ERROR;
    lxw_col_t last = (lxw_col_t)(f->ncols + 1);
    double *w = calloc(f->ncols + 2, sizeof *w);
    double *h = calloc(f->depth + 1, sizeof *h);
    double *sums = calloc(f->ncols + 1, sizeof *sums);
    if (!w || !h || !sums) {
        free(w);
        free(h);
        free(sums);
        return LXW_ERROR_MEMORY_MALLOC_FAILED;
    }
    column_widths(f, cfg, w);
    header_heights(f, w, h);
    out->width = 0;
    for (lxw_col_t c = 0; c <= last; c++) out->width += w[c];
    page_breaks(f, w, out);
    for (lxw_col_t c = 0; c <= last; c++) keep(&err, worksheet_set_column(ws, c, c, w[c], NULL));

    /* title line and unit of measure */
    char name[16], line[1024];
    template_table_name(f->table, name);
    snprintf(line, sizeof line, "%s — %s%s", name, f->table->title ? f->table->title : "",
             title_suffix ? title_suffix : "");
    out->title_row = row;
    keep(&err, template_merge_text(ws, row, 0, row, last, line, st->table_title));
    row++;
    if (f->table->unit_of_measure) {
        snprintf(line, sizeof line, "Đơn vị tính: %s", f->table->unit_of_measure);
        keep(&err, template_merge_text(ws, row, 0, row, last, line, st->unit_measure));
        row++;
    }

    /* header band */
    out->header_row = row;
    for (unsigned r = 0; r < f->depth; r++) keep(&err, worksheet_set_row(ws, row + r, h[r], NULL));
    for (size_t i = 0; i < f->nhdr; i++) {
        const template_header_cell *c = &f->hdr[i];
        keep(&err, template_merge_text(ws, row + c->r1, (lxw_col_t)c->c1, row + c->r2, (lxw_col_t)c->c2,
                                       c->text, st->header));
    }
    row += f->depth;

    /* column numbers */
    keep(&err, worksheet_write_number(ws, row, 0, 1, st->colnum));
    keep(&err, worksheet_write_number(ws, row, 1, 2, st->colnum));
    for (size_t j = 0; j < f->ncols; j++) {
        char num[64];
        colnum_text(f, j, num, sizeof num);
        if (strchr(num, '=')) keep(&err, template_write_text(ws, row, (lxw_col_t)(j + 2), num, st->colnum));
        else keep(&err, worksheet_write_number(ws, row, (lxw_col_t)(j + 2), (double)(j + 3), st->colnum));
    }
    row++;

    /* data rows */
    out->data_row = row;
    bool money_table = f->table->rows == CONFIG_ROWS_METRICS;
    for (size_t i = 0; i < f->nrows; i++) {
        const template_row *tr = &f->rows[i];
        lxw_row_t r = row + (lxw_row_t)i;
        bool top = tr->kind == TEMPLATE_ROW_TOP;
        const char *label = tr->group ? tr->group->label : tr->metric->label;
        lxw_format *lf = top || tr->kind == TEMPLATE_ROW_METRIC ? st->label_top
                         : tr->kind == TEMPLATE_ROW_PART        ? st->label_part
                                                                : st->label_subset;
        keep(&err, template_write_text(ws, r, 0, tr->stt, top ? st->stt_top : st->stt));
        keep(&err, template_write_text(ws, r, 1, label, lf));
        unsigned lines = template_lines_for(label, w[1] - (top ? 0 : 2), top ? 0.95 : 0.9);
        /* a little taller than default: room to type, easier to follow across */
        keep(&err, worksheet_set_row(ws, r, lines > 1 ? 15.0 * lines + 3 : 18.0, NULL));
        bool input_run = false;
        lxw_col_t run_from = 0;
        for (size_t j = 0; j < f->ncols; j++) {
            const template_column *col = &f->cols[j];
            lxw_col_t c = (lxw_col_t)(j + 2);
            bool money = money_table || (col->metric && col->metric->value == CONFIG_VALUE_MONEY);
            bool is_input = false, na = !template_cell_applies(f, i, j);
            if (value) {
                double v;
                lxw_format *vf = na ? st->na
                                 : tr->sum_of_parts || col->sum_of_parts ? (money ? st->sum_money : st->sum_count)
                                                                         : (money ? st->money : st->count);
                if (value(ctx, f, i, j, &v)) {
                    keep(&err, worksheet_write_number(ws, r, c, v, vf));
                    if (top) sums[j] += v;
                } else {
                    keep(&err, worksheet_write_blank(ws, r, c, vf));
                }
            } else if (na) {
                /* not asked of this group: grey and locked */
                keep(&err, worksheet_write_blank(ws, r, c, st->na));
            } else if (tr->sum_of_parts) {
                /* the parts follow this row, contiguous */
                size_t np = 0;
                while (i + 1 + np < f->nrows && f->rows[i + 1 + np].kind == TEMPLATE_ROW_PART) np++;
                char a[LXW_MAX_CELL_NAME_LENGTH], b[LXW_MAX_CELL_NAME_LENGTH], formula[64];
                cell_name(r + 1, c, a);
                cell_name(r + (lxw_row_t)np, c, b);
                snprintf(formula, sizeof formula, "=SUM(%s:%s)", a, b);
                keep(&err, worksheet_write_formula_num(ws, r, c, formula, money ? st->sum_money : st->sum_count, 0));
            } else if (col->sum_of_parts) {
                buf fb = BUF_INIT;
                buf_puts(&fb, "=");
                const char *plus = "";
                for (size_t k = 0; k < f->ncols; k++)
                    if (f->cols[k].breakdown && f->cols[k].breakdown->part_of == col->breakdown &&
                        f->cols[k].metric == col->metric) {
                        char a[LXW_MAX_CELL_NAME_LENGTH];
                        cell_name(r, (lxw_col_t)(k + 2), a);
                        buf_printf(&fb, "%s%s", plus, a);
                        plus = "+";
                    }
                if (fb.oom) keep(&err, LXW_ERROR_MEMORY_MALLOC_FAILED);
                else keep(&err, worksheet_write_formula_num(ws, r, c, buf_str(&fb), money ? st->sum_money : st->sum_count, 0));
                buf_free(&fb);
            } else {
                keep(&err, worksheet_write_blank(ws, r, c, money ? st->input_money : st->input_count));
                is_input = true;
            }
            /* one validation per run of adjacent input cells of the row */
            if (is_input && !input_run) {
                input_run = true;
                run_from = c;
            }
            if (input_run && (!is_input || j + 1 == f->ncols)) {
                keep(&err, template_number_rule(ws, r, run_from, r, is_input ? c : c - 1, money, NULL));
                input_run = false;
            }
        }
    }
    if (!value && f->nrows) keep(&err, alert_rules(ws, st, f, row));
    row += (lxw_row_t)f->nrows;

    /* "Tổng cộng": the top rows added up */
    out->total_row = row;
    if (f->total_row) {
        const char *word = cfg->form.total_row.n ? cfg->form.total_row.items[0] : "Tổng cộng";
        keep(&err, worksheet_write_blank(ws, row, 0, st->label_total));
        keep(&err, template_write_text(ws, row, 1, word, st->label_total));
        for (size_t j = 0; j < f->ncols; j++) {
            lxw_col_t c = (lxw_col_t)(j + 2);
            bool money = money_table || (f->cols[j].metric && f->cols[j].metric->value == CONFIG_VALUE_MONEY);
            buf fb = BUF_INIT;
            buf_puts(&fb, "=SUM(");
            const char *comma = "";
            for (size_t i = 0; i < f->nrows; i++) {
                if (f->rows[i].kind != TEMPLATE_ROW_TOP) continue;
                char a[LXW_MAX_CELL_NAME_LENGTH];
                cell_name(out->data_row + (lxw_row_t)i, c, a);
                buf_printf(&fb, "%s%s", comma, a);
                comma = ",";
            }
            buf_puts(&fb, ")");
            if (fb.oom) keep(&err, LXW_ERROR_MEMORY_MALLOC_FAILED);
            else keep(&err, worksheet_write_formula_num(ws, row, c, buf_str(&fb), money ? st->total_money : st->total_count,
                                                        value ? sums[j] : 0));
            buf_free(&fb);
        }
        row++;
    }
    out->next_row = row;
    free(w);
    free(h);
    free(sums);
    return err;
}

/* See template.h. */
void template_print_setup(lxw_worksheet *ws, const template_placed *at)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.5);
    worksheet_repeat_rows(ws, at->header_row, at->data_row - 1);
    if (at->breaks[0] == 0) {
        worksheet_fit_to_pages(ws, 1, 0);
        return;
    }
    /* Excel ignores manual breaks under fit-to-page: a fixed scale instead */
    worksheet_set_print_scale(ws, 60);
    (void)worksheet_set_v_pagebreaks(ws, (lxw_col_t *)at->breaks);
    worksheet_repeat_columns(ws, 0, 1);
}
