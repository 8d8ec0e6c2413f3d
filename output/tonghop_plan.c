/* output/tonghop_plan.c — tong-hop.xlsx's "Kế hoạch – Thực hiện" sheet: the
 * persons planned and trained per year (pipeline/planvs.h), the province by
 * content, the units behind their plan, every unit × content × group. */
#include <stdio.h>
#include <string.h>

#include "output/tonghop_private.h"

/* share of plan done, or a blank cell when nothing was planned */
static void put_share(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, lxw_col_t c, double done, double plan,
                      lxw_format *f)
{
    if (plan > 0) th_put_num(x, ws, cw, r, c, done / plan, f);
    else th_keep(x, worksheet_write_blank(ws, r, c, f));
}

/* The province's persons by content for one year; returns the next row. */
static lxw_row_t province_block(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, int year)
{
    const planvs *p = x->meta->plan;
    const struct config *cfg = x->cfg;
    char t[160];
    snprintf(t, sizeof t, "Năm %d — toàn tỉnh, theo nội dung (các đơn vị đã gửi Biểu 02)", year);
    th_put_text(x, ws, NULL, r++, 0, t, x->subtitle);
    static const char *const head[] = {"Nội dung", "Kế hoạch (người)", "Thực hiện (người)", "Tỉ lệ thực hiện"};
    th_put_header(x, ws, cw, r++, head, 4);
    for (size_t m = 0; m < cfg->n_metrics; m++) {
        double pl = 0, tr = 0;
        bool any = false;
        for (size_t i = 0; i < p->n; i++) {
            const planvs_row *w = &p->rows[i];
            if (w->year != year || w->metric != &cfg->metrics[m] || !w->has_trained) continue;
            pl += w->planned, tr += w->trained, any = true;
        }
        if (!any) continue;
        config_metric_title(&cfg->metrics[m], t, sizeof t);
        th_put_text(x, ws, cw, r, 0, t, x->text);
        th_put_num(x, ws, cw, r, 1, pl, x->value_count);
        th_put_num(x, ws, cw, r, 2, tr, x->value_count);
        put_share(x, ws, cw, r++, 3, tr, pl, x->pct);
    }
    for (size_t i = 0; i < p->ntotals; i++) {
        const planvs_total *tt = &p->totals[i];
        if (tt->year != year || tt->unit) continue;
        th_put_text(x, ws, cw, r, 0, "Toàn tỉnh", x->kind_row);
        th_put_num(x, ws, cw, r, 1, tt->planned, x->kind_count);
        th_put_num(x, ws, cw, r, 2, tt->trained, x->kind_count);
        put_share(x, ws, cw, r++, 3, tt->trained, tt->planned, x->kind_pct);
    }
    return r + 1;
}

/* The units of one year: totals, share, behind or not; returns the next row. */
static lxw_row_t units_block(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, int year)
{
    const planvs *p = x->meta->plan;
    char t[200];
    snprintf(t, sizeof t, "Năm %d — theo đơn vị (dưới %.0f%% kế hoạch: đơn vị chưa đạt kế hoạch)", year,
             p->threshold * 100);
    th_put_text(x, ws, NULL, r++, 0, t, x->subtitle);
    static const char *const head[] = {"Đơn vị", "Kế hoạch (người)", "Thực hiện (người)", "Tỉ lệ thực hiện",
                                       "Đánh giá"};
    th_put_header(x, ws, cw, r++, head, 5);
    for (int pass = 0; pass < 2; pass++)   /* the units behind first */
        for (size_t i = 0; i < p->ntotals; i++) {
            const planvs_total *u = &p->totals[i];
            if (u->year != year || !u->unit || (pass == 0) != u->behind) continue;
            th_put_text(x, ws, cw, r, 0, u->unit->name, x->text);
            th_put_num(x, ws, cw, r, 1, u->reported ? u->planned : u->planned_all, x->value_count);
            if (u->reported) th_put_num(x, ws, cw, r, 2, u->trained, x->value_count);
            else th_keep(x, worksheet_write_blank(ws, r, 2, x->value_count));
            put_share(x, ws, cw, r, 3, u->trained, u->reported ? u->planned : 0, x->pct);
            const char *word = !u->reported ? "Chưa gửi Biểu 02" : u->behind ? "Chưa đạt kế hoạch" : "Đạt kế hoạch";
            th_put_text(x, ws, cw, r, 4, word,
                        !u->reported ? x->status[ATT_NO_DATA] : u->behind ? x->status[ATT_NOT_MET] : x->status[ATT_MET]);
            r++;
        }
    return r + 1;
}

/* Every unit × content × group of every year; returns the next row. */
static lxw_row_t detail_block(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r)
{
    const planvs *p = x->meta->plan;
    th_put_text(x, ws, NULL, r++, 0, "Chi tiết theo đơn vị, nội dung và đối tượng", x->subtitle);
    static const char *const head[] = {"Năm", "Đơn vị", "Nội dung", "Đối tượng", "Kế hoạch (người)",
                                       "Thực hiện (người)", "Tỉ lệ thực hiện"};
    lxw_row_t h = r;
    th_put_header(x, ws, cw, r++, head, 7);
    for (size_t i = 0; i < p->n; i++) {
        const planvs_row *w = &p->rows[i];
        th_put_num(x, ws, cw, r, 0, w->year, x->center);
        th_put_text(x, ws, cw, r, 1, w->unit->name, x->text);
        char mt[200];
        config_metric_title(w->metric, mt, sizeof mt);
        th_put_text(x, ws, cw, r, 2, mt, x->text);
        th_put_text(x, ws, cw, r, 3, w->group->label, x->text);
        th_put_num(x, ws, cw, r, 4, w->planned, x->value_count);
        if (w->has_trained) th_put_num(x, ws, cw, r, 5, w->trained, x->value_count);
        else th_keep(x, worksheet_write_blank(ws, r, 5, x->value_count));
        put_share(x, ws, cw, r++, 6, w->trained, w->has_trained ? w->planned : 0, x->pct);
    }
    if (r > h + 1) th_keep(x, worksheet_autofilter(ws, h, 0, r - 1, 6));
    return r;
}

void th_sheet_planvs(wctx *x)
{
    const planvs *p = x->meta ? x->meta->plan : NULL;
    if (!p || p->n == 0) return;
    lxw_worksheet *ws = th_new_sheet(x, "Kế hoạch – Thực hiện");
    if (!ws) return;
    widths cw = {{0}};
    th_put_text(x, ws, NULL, 0, 0, "KẾ HOẠCH VÀ KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG (SỐ NGƯỜI)", x->title);
    th_put_text(x, ws, NULL, 1, 0,
                "Kế hoạch: số người các đơn vị dự kiến trong kế hoạch năm; thực hiện: số người của Biểu 02 cùng năm, "
                "cùng nội dung và đối tượng.", x->subtitle);
    lxw_row_t r = 3;
    int years[16];
    size_t ny = 0;
    for (size_t i = 0; i < p->ntotals && ny < 16; i++) {
        bool seen = false;
        for (size_t j = 0; j < ny; j++) seen |= years[j] == p->totals[i].year;
        if (!seen && !p->totals[i].unit && p->totals[i].reported) years[ny++] = p->totals[i].year;
    }
    for (size_t y = 0; y < ny; y++) {
        r = province_block(x, ws, &cw, r, years[y]);
        r = units_block(x, ws, &cw, r, years[y]);
    }
    detail_block(x, ws, &cw, r);
    th_apply_widths(x, ws, &cw, 7, 10);
    th_print_page(x, ws, "Kế hoạch – Thực hiện");
    worksheet_fit_to_pages(ws, 1, 0);
}
