/* pipeline/rec_extract.c — recognition step 3, extract: the values of each row of a located
 * table → pending records, totals and the findings of its cells (recognize.h 5.–6.). */
#include "pipeline/rec_ctx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fold.h"
#include "base/text.h"
#include "input/workbook.h"
#include "pipeline/ident.h"
#include "pipeline/numparse.h"

/* Queue a record (or a total) for the commit step. */
static void add_pend(rctx *c, const rtable *t, const char *group, const char *metric, const char *bd,
                     double v, uint32_t row, uint32_t col, size_t cell, bool total)
{
    if (!buf_grow_array((void **)&c->pend, &c->cappend, c->npend + 1, sizeof *c->pend)) { c->oom = true; return; }
    c->pend[c->npend++] = (pend){ group, metric, bd, v, t->sheet, row, col,
                                  (int)t->table->index + 1, cell, total, t->year };
    if (cell != SIZE_MAX && !total) c->sx[t->sheet].ci[cell].fate = FATE_RECORDED;
}

/* The text of a cell as the user sees it, for messages. */
static void cell_text(const grid_cell *cell, char out[96])
{
    switch (cell->type) {
    case WB_TEXT: rec_copy_utf8(out, 96, cell->text); break;
    case WB_ERROR: rec_copy_utf8(out, 96, cell->text ? cell->text : "#ERR"); break;
    case WB_BOOL: snprintf(out, 96, "%s", cell->num != 0 ? "TRUE" : "FALSE"); break;
    case WB_DATE: wb_date_iso(cell->num, out); break;
    default: { char n[32]; wb_number_str(cell->num, n); snprintf(out, 96, "%s", n); }
    }
}

/* Read one data cell: true with *v for a value (zero marks are 0), false when
 * it is not a number. A count column reads thousands first ("1.234" = 1234);
 * a text that is a number only with a decimal part ("12,5") is still that
 * number — a fractional count is the validator's finding, not "not a number". */
static bool cell_value(const grid_cell *cell, bool money, double *v)
{
    *v = 0;
    if (cell->type == WB_NUMBER) { *v = cell->num; return true; }
    if (cell->type != WB_TEXT) return false;
    if (numparse_text(cell->text, cell->len, money, v) != NUMPARSE_BAD) return true;
    return !money && numparse_text(cell->text, cell->len, true, v) == NUMPARSE_VALUE;
}

/* Reject a cell that is not a number (error not_a_number). */
static void reject_nan(rctx *c, const rtable *t, size_t ci, const char *rowlabel, const colmap *cm)
{
    const sheetx *x = &c->sx[t->sheet];
    const grid_cell *cell = &x->s->cells[ci];
    char a1[16], txt[96];
    rec_ref(cell->row, cell->col, a1);
    cell_text(cell, txt);
    c->sx[t->sheet].ci[ci].fate = FATE_REJECTED;
    if (!c->quiet)
        results_add_finding(c->res, SEV_ERROR, "not_a_number", c->src, x->s->name, a1, c->unit, c->year,
                        "Ô %s ghi \"%s\" — không phải là số (dòng \"%s\", cột \"%s\"). Hãy nhập số; "
                        "để trống hoặc ghi \"-\" nếu bằng 0.",
                        a1, txt, rowlabel, cm->has_header ? cm->htext : "không có tiêu đề");
}

/* Mark the unmapped columns that hold numbers in data rows (their cells are
 * data, kept as "unmapped") and warn about every unmapped column with a
 * header or numbers. */
static void note_unmapped_columns(rctx *c, rtable *t, const char *tname)
{
    sheetx *x = &c->sx[t->sheet];
    uint32_t L = t->label_col;
    for (uint32_t r = t->data_first; r <= t->data_last; r++) {
        size_t li = rec_label_cell(x, r, L);
        if (li != SIZE_MAX && rec_is_total_label(c, &x->ci[li])) continue;
        size_t a, b;
        rec_row_span(x, r, &a, &b);
        for (size_t i = a; i < b; i++) {
            uint32_t col = x->s->cells[i].col;
            if (col <= L || col > t->last_col) continue;
            colmap *cm = &t->cols[col - L - 1];
            if (!cm->mapped && rec_cell_numeric(&x->s->cells[i])) cm->holds_numbers = true;
        }
    }
    for (size_t k = 0; k < (size_t)(t->last_col - L); k++) {
        colmap *cm = &t->cols[k];
        if (cm->mapped || (!cm->has_header && !cm->holds_numbers)) continue;
        char a1[16];
        rec_ref(cm->hrow, cm->hcol, a1);
        if (!c->quiet)
            results_add_finding(c->res, SEV_WARNING, "unmapped_column", c->src, x->s->name, a1, c->unit,
                                c->year,
                                "Cột \"%s\" (%s) không khớp chỉ tiêu nào của %s — kiểm tra lại tiêu đề cột%s.",
                                cm->has_header ? cm->htext : "không có tiêu đề", a1, tname,
                                cm->holds_numbers ? "; số liệu của cột được giữ lại là \"unmapped\"" : "");
    }
}

/* The "Tổng cộng" row r: its mapped values are totals (checked, never recorded). */
static void extract_total_row(rctx *c, const rtable *t, uint32_t r)
{
    const sheetx *x = &c->sx[t->sheet];
    uint32_t L = t->label_col;
    bool rm = t->table->rows == CONFIG_ROWS_METRICS;
    size_t a, b;
    rec_row_span(x, r, &a, &b);
    for (size_t i = a; i < b; i++) {
        const grid_cell *cell = &x->s->cells[i];
        if (cell->col <= L || cell->col > t->last_col) continue;
        const colmap *cm = &t->cols[cell->col - L - 1];
        if (!cm->mapped) continue;
        double v;
        bool money = rm || (cm->metric && cm->metric->value == CONFIG_VALUE_MONEY);
        if (!cell_value(cell, money, &v)) continue;
        add_pend(c, t, "total", rm ? "total" : cm->metric->code, cm->bd->code, v, r, cell->col, i, true);
    }
}

/* A present group row: every mapped column gives a record (a blank is 0), an
 * unmapped column with numbers an "unmapped" record. rmetric: the row's
 * metric in a rows=metrics table, else NULL. */
static void extract_group_row(rctx *c, const rtable *t, uint32_t r, const struct config_group *g,
                              const struct config_metric *rmetric, const char *label)
{
    const sheetx *x = &c->sx[t->sheet];
    uint32_t L = t->label_col;
    bool rm = t->table->rows == CONFIG_ROWS_METRICS;
    for (uint32_t col = L + 1; col <= t->last_col; col++) {
        const colmap *cm = &t->cols[col - L - 1];
        const grid_cell *cell = grid_at(x->s, r, col);
        size_t ci = cell ? (size_t)(cell - x->s->cells) : SIZE_MAX;
        const struct config_metric *m = rm ? rmetric : cm->metric;
        bool ok_col = cm->mapped && m && (!rm || config_metric_allows(m, cm->bd));
        double v = 0;
        if (!ok_col) {
            if (!cell || !cm->holds_numbers) continue;
            if (cell_value(cell, true, &v)) add_pend(c, t, g->code, "unmapped", "all", v, r, col, ci, false);
            else reject_nan(c, t, ci, label, cm);
            continue;
        }
        if (!cell) add_pend(c, t, g->code, m->code, cm->bd->code, 0, r, col, SIZE_MAX, false);
        else if (cell_value(cell, m->value == CONFIG_VALUE_MONEY, &v))
            add_pend(c, t, g->code, m->code, cm->bd->code, v, r, col, ci, false);
        else reject_nan(c, t, ci, label, cm);
    }
}

/* A breakdown sub-row ("Trong đó: Nữ" under a group row): each column of
 * the default breakdown whose metric allows bd gives the group's record with
 * that breakdown (a blank is 0). A number in a column it does not apply to
 * is kept as an "unmapped" record of the group, with one warning. */
static void extract_subrow(rctx *c, const rtable *t, uint32_t r, const struct config_group *g,
                           const struct config_breakdown *bd, const char *label)
{
    const sheetx *x = &c->sx[t->sheet];
    uint32_t L = t->label_col;
    size_t stray = 0;
    uint32_t first = 0;
    for (uint32_t col = L + 1; col <= t->last_col; col++) {
        const colmap *cm = &t->cols[col - L - 1];
        const grid_cell *cell = grid_at(x->s, r, col);
        size_t ci = cell ? (size_t)(cell - x->s->cells) : SIZE_MAX;
        const struct config_metric *m = cm->metric;
        bool applies = cm->mapped && m && m->n_breakdowns && cm->bd == m->breakdowns[0] &&
                       config_metric_allows(m, bd);
        double v = 0;
        if (applies) {
            if (!cell) add_pend(c, t, g->code, m->code, bd->code, 0, r, col, SIZE_MAX, false);
            else if (cell_value(cell, m->value == CONFIG_VALUE_MONEY, &v))
                add_pend(c, t, g->code, m->code, bd->code, v, r, col, ci, false);
            else reject_nan(c, t, ci, label, cm);
        } else if (cell && rec_cell_numeric(cell) && cell_value(cell, true, &v)) {
            add_pend(c, t, g->code, "unmapped", bd->code, v, r, col, ci, false);
            if (!stray++) first = col;
        }
    }
    if (!stray || c->quiet) return;
    char a1[16];
    rec_ref(r, first, a1);
    results_add_finding(c->res, SEV_WARNING, "unmapped_row", c->src, x->s->name, a1, c->unit, c->year,
                        "Dòng \"%s\" (%s) ghi %zu số ở cột không chia theo \"%s\" — kiểm tra lại; số "
                        "liệu được giữ lại là \"unmapped\".",
                        label, a1, stray, bd->label);
}

/* A row of a transposed rows=metrics table naming funding source bd: each
 * metric column ("Dự toán", "Thực hiện") gives a record of the table's group
 * with that source (a blank is 0). */
static void extract_source_row(rctx *c, const rtable *t, uint32_t r, const struct config_breakdown *bd,
                               const char *label)
{
    const sheetx *x = &c->sx[t->sheet];
    uint32_t L = t->label_col;
    for (uint32_t col = L + 1; col <= t->last_col; col++) {
        const colmap *cm = &t->cols[col - L - 1];
        if (!cm->mapped || !cm->metric || !config_metric_allows(cm->metric, bd)) continue;
        const grid_cell *cell = grid_at(x->s, r, col);
        size_t ci = cell ? (size_t)(cell - x->s->cells) : SIZE_MAX;
        double v = 0;
        if (!cell) add_pend(c, t, t->rows_group->code, cm->metric->code, bd->code, 0, r, col, SIZE_MAX, false);
        else if (cell_value(cell, true, &v))
            add_pend(c, t, t->rows_group->code, cm->metric->code, bd->code, v, r, col, ci, false);
        else reject_nan(c, t, ci, label, cm);
    }
}

/* A row that names no group: kept as "unmapped" records, with a warning,
 * when it holds numbers. li: its label cell (SIZE_MAX none). */
static void extract_unmapped_row(rctx *c, const rtable *t, uint32_t r, size_t li, const char *label,
                                 const char *tname)
{
    const sheetx *x = &c->sx[t->sheet];
    uint32_t L = t->label_col;
    bool rm = t->table->rows == CONFIG_ROWS_METRICS;
    size_t a, b;
    rec_row_span(x, r, &a, &b);
    bool numbers = false;
    for (size_t i = a; i < b; i++) {
        const grid_cell *cell = &x->s->cells[i];
        if (cell->col <= L || cell->col > t->last_col) continue;
        const colmap *cm = &t->cols[cell->col - L - 1];
        if ((cm->mapped || cm->holds_numbers) && rec_cell_numeric(cell)) numbers = true;
    }
    if (!numbers) return;
    char a1[16];
    rec_ref(r, li != SIZE_MAX ? x->s->cells[li].col : L, a1);
    if (!c->quiet)
        results_add_finding(c->res, SEV_WARNING, "unmapped_row", c->src, x->s->name, a1, c->unit, c->year,
                            "Dòng \"%s\" (%s) không khớp %s nào của %s — kiểm tra lại tên dòng; số liệu "
                            "của dòng được giữ lại là \"unmapped\".",
                            label[0] ? label : "không có tên", a1, rm ? "nội dung" : "đối tượng", tname);
    for (size_t i = a; i < b; i++) {
        const grid_cell *cell = &x->s->cells[i];
        if (cell->col <= L || cell->col > t->last_col) continue;
        const colmap *cm = &t->cols[cell->col - L - 1];
        if (!cm->mapped && !cm->holds_numbers) continue;
        double v;
        const char *metric = cm->mapped && cm->metric ? cm->metric->code : "unmapped";
        const char *bd = cm->mapped && cm->bd ? cm->bd->code : "all";
        if (cell_value(cell, true, &v)) add_pend(c, t, "unmapped", metric, bd, v, r, cell->col, i, false);
        else reject_nan(c, t, i, label[0] ? label : "không có tên", cm);
    }
}

void rec_extract_table(rctx *c, rtable *t)
{
    sheetx *x = &c->sx[t->sheet];
    const struct config_table *tab = t->table;
    bool rm = tab->rows == CONFIG_ROWS_METRICS;
    uint32_t L = t->label_col;
    char tname[32];
    rec_table_name(tab, tname);
    note_unmapped_columns(c, t, tname);

    size_t nrows = (size_t)(t->data_last - t->data_first) + 1;
    const struct config_group **rowg = rm ? NULL : calloc(nrows, sizeof *rowg);
    const struct config_breakdown **rowbd = rm ? NULL : calloc(nrows, sizeof *rowbd);
    if (!rm && (!rowg || !rowbd)) { free(rowg); free(rowbd); c->oom = true; return; }
    if (!rm) rec_assign_rows(c, t, rowg, rowbd);
    for (uint32_t r = t->data_first; r <= t->data_last && !c->oom; r++) {
        if (rec_row_blank(x, r)) continue;
        size_t li = rec_label_cell(x, r, L);
        const cinfo *lci = li != SIZE_MAX ? &x->ci[li] : NULL;
        char label[96] = "";
        if (li != SIZE_MAX) rec_copy_utf8(label, sizeof label, x->s->cells[li].text);
        const struct config_breakdown *src = t->transposed && lci ? rec_match_row_source(c, lci, tab) : NULL;
        if (src) { extract_source_row(c, t, r, src, label); continue; }
        if (lci && rec_is_total_label(c, lci)) { extract_total_row(c, t, r); continue; }
        const struct config_group *g = NULL;
        const struct config_metric *rmetric = NULL;
        if (rm && lci) {
            rmetric = rec_match_row_metric(c, lci, tab);
            if (rmetric) g = t->rows_group;
        } else if (!rm) {
            g = rowg[r - t->data_first];
        }
        const struct config_breakdown *sub = rm ? NULL : rowbd[r - t->data_first];
        if (g && sub) extract_subrow(c, t, r, g, sub, label);
        else if (g) extract_group_row(c, t, r, g, rmetric, label);
        else extract_unmapped_row(c, t, r, li, label, tname);
    }
    free(rowg);
    free(rowbd);
}
