/*
 * output/tonghop_private.h — what the files of tong-hop.xlsx share (tonghop.c:
 * formats, cells, Tổng hợp, the consolidated Biểu, the lists; tonghop_brief.c: the
 * one-page Tóm tắt; kehoach.c: the plan workbook borrows the print setup, cells
 * and tables). Not a public interface: output/tonghop.h is.
 *
 * Print conventions (every sheet, th_print_page): A4 landscape, a page header
 * naming what the page is (left) and the run's time (right), "Trang x/y" in
 * the footer. Header and footer texts are made safe (valid UTF-8, "&" doubled
 * so Excel never reads it as a code) and cut to Excel's 255 characters.
 */
#ifndef DTBD_OUTPUT_TONGHOP_PRIVATE_H
#define DTBD_OUTPUT_TONGHOP_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include <xlsxwriter.h>

#include "config/config.h"
#include "output/template.h"
#include "output/tonghop.h"
#include "pipeline/figures.h"
#include "pipeline/indicators.h"
#include "pipeline/results.h"

#define MAX_COLS 16          /* columns of the list sheets                     */
#define WIDTH_CAP 60.0       /* no column wider than this (characters)         */

/* Column widths of one sheet, from the content written into it. */
typedef struct {
    double w[MAX_COLS];
} widths;

typedef struct {
    lxw_workbook *wb;
    const struct config *cfg;
    const results *res;
    const attainment *att;
    const workbook_meta *meta;
    template_styles st;
    lxw_format *title, *subtitle, *meta_label, *meta_value, *meta_wrap, *head, *text, *wrap, *center, *count, *pct, *target,
        *gap, *value_count, *value_money, *status[ATT_NO_DATA + 1], *sev[3], *kind_row, *kind_center, *kind_count,
        *kind_pct;
    const fig_index *fig;    /* the units' figures (pipeline/figures.h)      */
    fig_index *own_fig;      /* fig when tonghop built it (meta->fig NULL)   */
    struct th_data *data;    /* Dữ liệu's rows to stream (tonghop_data.c)    */
    int latest;              /* the latest year with a province ratio, 0 none */
    lxw_error err;
} wctx;

/* Keep the first error. */
void th_keep(wctx *x, lxw_error e);

/* Grow a column's width to fit `chars` characters (plus padding, capped). */
void th_fit(widths *cw, lxw_col_t c, double chars);

/* A text cell, made safe, its width noted (cw may be NULL). */
void th_put_text(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f);

/* A number cell, its width noted (cw may be NULL). */
void th_put_num(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, lxw_col_t c, double v, lxw_format *f);

/* A header row of a list sheet. */
void th_put_header(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, const char *const *names, size_t n);

/* The status cell's format (coloured fill). */
lxw_format *th_status_fmt(wctx *x, att_status s);

/* The unit's official name, or its code when it is not in the registry. */
const char *th_unit_name(const struct config *cfg, const char *code);

/* "Hằng năm", "Đến năm 2025", "Trong 02 năm" into out. */
void th_indicator_kind_label(const struct config_indicator *ind, char *out, size_t n);

/* A new worksheet; NULL (the failure kept) when libxlsxwriter has no memory. */
lxw_worksheet *th_new_sheet(wctx *x, const char *name);

/* A4 landscape, the page header (`what` on the left, the run's time on the
 * right) and the footer "Trang x/y". */
void th_print_page(wctx *x, lxw_worksheet *ws, const char *what);

/* Rows a list for the screen prints (Dữ liệu of tong-hop.xlsx, Các lớp of
 * ke-hoach-YYYY.xlsx: filters, thousands of rows, hundreds of pages): its
 * first page, the page header saying where the whole list is. */
#define TH_SCREEN_PRINT_ROWS 40

/* "41,2 %" (Vietnamese decimal comma) into out. */
void th_percent_text(double ratio, char *out, size_t n);

/* Rows first..last as the Excel table `name` with the header cells head[0..ncols)
 * (the caller writes the data rows); widths noted. */
void th_add_table(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t first, lxw_row_t last, const char *name,
                  const char *const *head, size_t ncols);
/* Set the columns' widths from cw (at least min characters). */
void th_apply_widths(wctx *x, lxw_worksheet *ws, const widths *cw, size_t ncols, double min);
/* The "Kế hoạch – Thực hiện" sheet (tonghop_plan.c), when x->meta->plan has rows. */
void th_sheet_planvs(wctx *x);
/* The end of a list sheet (Dữ liệu, Kiểm tra, Nguồn): rows 0..last as the
 * Excel table `table`, widths from content (at least 6), the header row and
 * freeze_cols columns frozen, print setup (`what` in the page header). */
void th_finish_list_sheet(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t last, const char *table,
                          const char *const *head, size_t ncols, lxw_col_t freeze_cols, const char *what);
/* The "Dữ liệu" sheet (tonghop_data.c): its anchor rows through
 * libxlsxwriter, the others kept in x->data unless
 * meta->data_through_libxlsxwriter. */
void th_sheet_records(wctx *x);
/* After workbook_close wrote path: stream the kept rows d (x->data, taken
 * from it) into Dữ liệu's part (output/xlsxpatch.h) and free d; no
 * libxlsxwriter call (thread-safe against the caller's). DTBD_ERR_FORMAT: the
 * part was not as expected (the caller writes the workbook again the slow
 * way). */
dtbd_status th_data_finish(struct th_data *d, const char *path, char *why, size_t whylen);
void th_data_free(struct th_data *d);
/* The "Tóm tắt" sheet (tonghop_brief.c). */
void th_sheet_brief(wctx *x);

#endif
