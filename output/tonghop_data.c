/*
 * output/tonghop_data.c — "Dữ liệu" of tong-hop.xlsx: every record
 * records.csv holds, with its provenance, as an Excel table.
 *
 * A province's list is 60,000 rows of 12 cells; through libxlsxwriter it was
 * most of a run (a tree node per cell, fprintf per cell, deflate at zlib's
 * default level). So only a few rows go through libxlsxwriter — "anchors":
 * the first data row, the first row using each format, the last row — and
 * the others are kept here as shared-string indices (put into libxlsxwriter's
 * table in row order, as worksheet_write_string would) and streamed into the
 * part after workbook_close by output/xlsxpatch.h. Every byte of the part,
 * of sharedStrings.xml and of styles.xml is what libxlsxwriter writes with
 * every row (test_workbook_out.c compares both ways); when the part is not
 * as expected the workbook is written again the slow way.
 *
 * Ownership: the th_data a wctx holds is freed by th_data_finish() or
 * th_data_free(). th_data_finish touches no libxlsxwriter object: it may run
 * on another thread while the caller writes other workbooks.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/memo.h"
#include "base/num.h"
#include "output/tonghop_private.h"
#include "output/xlsxpatch.h"
#include "pipeline/figures.h"

enum { DL_COLS = 12 };
enum { DL_TEXT, DL_CENTER, DL_COUNT, DL_MONEY, DL_NFMT };   /* format slots        */
#define DL_NUM 0x80u             /* fmt[] flag: a number cell                        */
#define DL_HELD 0xFFu            /* fmt[0]: a row libxlsxwriter holds (an anchor)    */
#define DL_BLANK UINT32_MAX      /* sst[]: a blank cell (no table, empty text)       */

/* One cell of a row, as the row's record gives it. */
typedef struct {
    const char *s;        /* text; NULL: a number (v) or, with !num, blank  */
    const void *key;      /* stable identity of s's content, or NULL        */
    double v;
    bool num;
    uint8_t fmt;          /* DL_TEXT …                                     */
} dl_cell;

/* A row kept for streaming. */
typedef struct {
    double num[2];              /* the number cells' values, in column order */
    uint32_t sst[DL_COLS];
    uint8_t fmt[DL_COLS];
} dl_row;

/* A text already put into the shared strings (remembered by the identity of
 * its content: base/memo keyed by the pointer). */
typedef struct {
    uint32_t sst;
    double width;
} dl_known;

/* At most this many texts remembered (a nation's files and sheets); past it
 * they are put each time, as worksheet_write_string would. */
#define DL_MEMO_MAX 65536

struct th_data {
    dl_row *rows;            /* rows[k] is sheet row k + 1; anchors unused  */
    size_t nrows, caprows;
    uint32_t last;           /* the last data row (sheet row number)        */
    uint32_t nanchors;
    uint32_t anchor_row[DL_NFMT];   /* where each format is first used      */
    uint32_t anchor_col[DL_NFMT];
    bool seen[DL_NFMT];
    int xf[DL_NFMT];         /* the style index of each slot, after close   */
    unsigned sheet_no;       /* xl/worksheets/sheetN.xml                    */
    memo *known;             /* dl_known by the key of a cell's text         */
    memo *by_text;           /* … by the text itself, for texts made per row
                                (a cell's reference: "E12" comes back in every
                                file of a form)                                */
    const void *last_key[DL_COLS];  /* each column's last text key, and …     */
    dl_known last_known[DL_COLS];   /* … its answer (rows of a sheet repeat them) */
    xlsxpatch_pre *pre;      /* the kept rows being made (two threads)      */
};

/* ==== the cells of a record ========================================================== */

/* A metric's label with its heading ("Trình độ chuyên môn: Đại học"). */
static void metric_label(const struct config *cfg, const char *code, char *out, size_t n)
{
    const struct config_metric *m = config_metric(cfg, code);
    if (!m) snprintf(out, n, "%s", strcmp(code, "unmapped") == 0 ? "(không khớp cột nào)" : code);
    else if (m->heading) snprintf(out, n, "%s: %s", m->heading->label, m->label);
    else snprintf(out, n, "%s", m->label);
}

static dl_cell text_cell(const char *s, const void *key, uint8_t fmt)
{
    return (dl_cell){.s = s, .key = key, .fmt = fmt};
}

/* The 12 cells of rec's row; label, tn and ref are the caller's buffers
 * (512, 16 and 16 bytes) the computed texts are put into. */
/* The texts a row repeats, made once per sheet: each table's name, each
 * metric's label with its heading. */
typedef struct {
    char (*table)[16];
    char **metric;
} dl_names;

static bool names_make(const struct config *cfg, dl_names *n)
{
    n->table = calloc(cfg->n_tables ? cfg->n_tables : 1, sizeof *n->table);
    n->metric = calloc(cfg->n_metrics ? cfg->n_metrics : 1, sizeof *n->metric);
    if (!n->table || !n->metric) return false;
    for (size_t t = 0; t < cfg->n_tables; t++) template_table_name(&cfg->tables[t], n->table[t]);
    char label[512];
    for (size_t m = 0; m < cfg->n_metrics; m++) {
        metric_label(cfg, cfg->metrics[m].code, label, sizeof label);
        if (!(n->metric[m] = strdup(label))) return false;
    }
    return true;
}

static void names_free(const struct config *cfg, dl_names *n)
{
    for (size_t m = 0; n->metric && m < cfg->n_metrics; m++) free(n->metric[m]);
    free(n->metric);
    free(n->table);
}

static void row_cells(const wctx *x, const dl_names *names, const record *rec, dl_cell c[DL_COLS], char *label,
                      char *ref)
{
    const struct config *cfg = x->cfg;
    const results *res = x->res;
    const struct config_group *g = rec->gi >= 0 ? &cfg->groups[rec->gi] : NULL;
    const struct config_breakdown *b = rec->bi >= 0 ? &cfg->breakdowns[rec->bi] : NULL;
    const struct config_metric *m = rec->mi >= 0 ? &cfg->metrics[rec->mi] : NULL;
    const char *unit = th_unit_name(cfg, rec->unit);
    c[0] = text_cell(unit, unit, DL_TEXT);
    c[1] = text_cell(rec->unit, rec->unit, DL_TEXT);
    c[2] = (dl_cell){.v = rec->year, .num = true, .fmt = DL_CENTER};
    if (rec->table >= 1 && (size_t)rec->table <= cfg->n_tables) {
        c[3] = text_cell(names->table[rec->table - 1], &cfg->tables[rec->table - 1], DL_TEXT);
    } else {
        c[3] = (dl_cell){.fmt = DL_TEXT};
    }
    const char *group = g ? g->label : strcmp(rec->group, "unmapped") == 0 ? "(không khớp dòng nào)" : rec->group;
    c[4] = text_cell(group, group, DL_TEXT);
    if (m) {
        c[5] = text_cell(names->metric[rec->mi], m, DL_TEXT);
    } else {
        metric_label(cfg, rec->metric, label, 512);
        c[5] = text_cell(label, rec->metric, DL_TEXT);
    }
    const char *bd = b ? b->label : rec->breakdown;
    c[6] = text_cell(bd, bd, DL_TEXT);
    bool whole = rec->value == floor(rec->value) && fabs(rec->value) < 1e15;
    c[7] = (dl_cell){.v = rec->value, .num = true,
                     .fmt = m && m->value == CONFIG_VALUE_COUNT && whole ? DL_COUNT : DL_MONEY};
    const char *file = rec->source < res->nsources ? res->sources[rec->source].path : "";
    c[8] = text_cell(file, file, DL_TEXT);
    c[9] = text_cell(rec->sheet, rec->sheet, DL_TEXT);
    wb_cell_ref(rec->row, rec->col, ref);
    c[10] = text_cell(ref, NULL, DL_CENTER);
    const char *counted = fig_record_counts(cfg, rec) ? "Có" : "Không";
    c[11] = text_cell(counted, counted, DL_CENTER);
}

static lxw_format *slot_format(const wctx *x, uint8_t slot)
{
    switch (slot) {
    case DL_CENTER: return x->center;
    case DL_COUNT: return x->value_count;
    case DL_MONEY: return x->value_money;
    default: return x->text;
    }
}

/* A row through libxlsxwriter. */
static void put_row(wctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, const dl_cell *c)
{
    for (lxw_col_t k = 0; k < DL_COLS; k++) {
        lxw_format *f = slot_format(x, c[k].fmt);
        if (c[k].num) th_put_num(x, ws, cw, r, k, c[k].v, f);
        else if (c[k].s) th_put_text(x, ws, cw, r, k, c[k].s, f);
        else th_keep(x, worksheet_write_blank(ws, r, k, f));
    }
}

/* ==== a row kept for streaming ======================================================= */

/* The shared-string index of text s (DL_BLANK when it is empty), as
 * worksheet_write_string would put it; its width noted in *width. */
static uint32_t sst_of(wctx *x, const char *s, double *width)
{
    *width = (double)template_text_width(s);
    bool as_is = template_text_is_safe(s);
    char *safe = as_is ? NULL : template_safe_text(s);
    const char *t = as_is ? s : safe;
    uint32_t idx = DL_BLANK;
    if (!t) {
        th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    } else if (*t) {
        /* a safe text is never longer than Excel's 32,767 characters */
        struct sst_element *el = lxw_get_sst_index(x->wb->sst, t, LXW_FALSE);
        if (el) idx = el->index;
        else th_keep(x, LXW_ERROR_SHARED_STRING_INDEX_NOT_FOUND);
    }
    free(safe);
    return idx;
}

/* A text's shared string already known: counted as lxw_get_sst_index
 * counts every string cell it is given (an empty text is no string). */
static uint32_t known_sst(wctx *x, dl_known k, double *width)
{
    if (k.sst != DL_BLANK) x->wb->sst->string_count++;
    *width = k.width;
    return k.sst;
}

/* The shared string of text s, remembered in m under key[0..n) (a key's
 * answer never changes): the memo's, or sst_of's, then kept. */
static dl_known remembered_sst(wctx *x, memo *m, const void *key, size_t n, const char *s)
{
    dl_known k;
    if (key && memo_get(m, key, n, &k)) {
        known_sst(x, k, &k.width);
        return k;
    }
    k.sst = sst_of(x, s, &k.width);
    if (key) memo_put(m, key, n, &k);
    return k;
}

/* The shared string of a text cell in column col, remembered by the
 * identity of its content (c->key): the column's last one first, then the
 * memo. */
static uint32_t text_sst(wctx *x, struct th_data *d, int col, const dl_cell *c, double *width)
{
    if (c->key && c->key == d->last_key[col]) return known_sst(x, d->last_known[col], width);
    d->last_key[col] = c->key;
    d->last_known[col] = remembered_sst(x, d->known, c->key ? &c->key : NULL, sizeof c->key, c->s);
    *width = d->last_known[col].width;
    return d->last_known[col].sst;
}

/* The shared string of a text made for its row (no key), remembered by its
 * bytes. */
static uint32_t made_text_sst(wctx *x, struct th_data *d, const char *s, double *width)
{
    dl_known k = remembered_sst(x, d->by_text, s, strlen(s), s);
    *width = k.width;
    return k.sst;
}

/* "%.1f"'s length, as th_put_num notes a number's width. */
static double number_width(double v)
{
    if (v == floor(v) && fabs(v) < 1e15 && !(v == 0 && signbit(v))) {
        char tmp[20];
        /* sign, digits, ".0" */
        return (double)((v < 0) + num_uint_text((uint64_t)fabs(v), tmp) + 2) * 1.3;
    }
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.1f", v);
    return (double)strlen(tmp) * 1.3;
}

/* Keep a row for streaming: its strings put into the shared strings now, in
 * row order, its widths noted. */
static void keep_row(wctx *x, struct th_data *d, widths *cw, const dl_cell *c)
{
    if (!buf_grow_array((void **)&d->rows, &d->caprows, d->nrows + 1, sizeof *d->rows)) {
        th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    dl_row *row = &d->rows[d->nrows++];
    int nn = 0;
    for (int k = 0; k < DL_COLS; k++) {
        double w;
        row->fmt[k] = c[k].fmt;
        row->sst[k] = DL_BLANK;
        if (c[k].num) {
            row->fmt[k] |= DL_NUM;
            if (nn < 2) row->num[nn++] = c[k].v;
            th_fit(cw, (lxw_col_t)k, number_width(c[k].v));
        } else if (c[k].s) {
            row->sst[k] = c[k].key ? text_sst(x, d, k, &c[k], &w) : made_text_sst(x, d, c[k].s, &w);
            th_fit(cw, (lxw_col_t)k, w);
        }
    }
}

/* A row libxlsxwriter holds: never streamed. */
static void hold_row(wctx *x, struct th_data *d)
{
    if (!buf_grow_array((void **)&d->rows, &d->caprows, d->nrows + 1, sizeof *d->rows)) {
        th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    memset(&d->rows[d->nrows], 0, sizeof *d->rows);
    d->rows[d->nrows++].fmt[0] = DL_HELD;
    d->nanchors++;
}

static bool stream_row(void *ctx, uint32_t row, buf *out);
static bool held_row(const void *ctx, uint32_t row);

/* The kept rows made and deflated from now on, on two threads, while the
 * workbook is finished: the sheets up to Dữ liệu are complete, so the style
 * numbers their formats will have are known (template_number_styles); the
 * package after workbook_close says whether they were right. */
static void start_rows(wctx *x, struct th_data *d, lxw_worksheet *ws, uint32_t head_hi)
{
    if (d->nrows <= d->nanchors) return;
    template_number_styles(x->wb, ws);
    for (int s = 0; s < DL_NFMT; s++)
        if (d->seen[s]) d->xf[s] = lxw_format_get_xf_index(slot_format(x, (uint8_t)s));
    d->pre = xlsxpatch_pre_start(1, d->last, DL_COLS, head_hi, stream_row, held_row, d);
}

/* ==== the sheet ====================================================================== */

/* Records listed, up to the cap. */
static size_t listed_rows(const wctx *x, size_t cap, size_t *listed)
{
    *listed = results_records_listed(x->res, RESULTS_NO_SOURCE);
    return *listed < cap ? *listed : cap;
}

/* Is row r an anchor: the first, the last, or the first use of a format? */
static bool anchor(struct th_data *d, uint32_t r, const dl_cell *c)
{
    bool a = r == 1 || r == d->last;
    for (int k = 0; k < DL_COLS; k++) {
        if (d->seen[c[k].fmt]) continue;
        d->seen[c[k].fmt] = true;
        d->anchor_row[c[k].fmt] = r;
        d->anchor_col[c[k].fmt] = (uint32_t)k;
        a = true;
    }
    return a;
}

/* See tonghop_private.h. */
void th_sheet_records(wctx *x)
{
    lxw_worksheet *ws = th_new_sheet(x, "Dữ liệu");
    if (!ws) return;
    static const char *const head[] = {"Đơn vị", "Mã đơn vị", "Năm", "Biểu", "Đối tượng", "Nội dung",
                                       "Phân tổ", "Giá trị", "Tệp nguồn", "Trang tính", "Ô", "Tính vào tổng hợp"};
    const size_t ncols = sizeof head / sizeof *head;
    widths cw = {{0}};
    const results *res = x->res;
    /* Excel's grid ends at row 1,048,576: a nation's records may not fit */
    size_t cap = LXW_ROW_MAX - 1, listed;
    if (x->meta->data_rows && x->meta->data_rows < cap) cap = x->meta->data_rows;
    size_t rows = listed_rows(x, cap, &listed);
    struct th_data *d = x->meta->data_through_libxlsxwriter ? NULL : calloc(1, sizeof *d);
    if (d && (!(d->known = memo_new(DL_MEMO_MAX, sizeof(dl_known), false)) ||
              !(d->by_text = memo_new(DL_MEMO_MAX, sizeof(dl_known), false)))) {
        memo_free(d->known);
        free(d);
        d = NULL;
        th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    }
    if (d) {
        d->last = (uint32_t)rows;
        d->sheet_no = x->meta->data_part_missing ? 0 : (unsigned)ws->index + 1; /* sheet0: none */
        x->data = d;
    }
    char label[512], ref[16];
    dl_names names = {0};
    if (!names_make(x->cfg, &names)) th_keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    lxw_row_t r = 1;
    for (size_t i = 0; i < res->nrecords && r <= rows && x->err == LXW_NO_ERROR; i++) {
        const record *rec = &res->records[i];
        if (!results_record_listed(rec)) continue;
        dl_cell c[DL_COLS];
        row_cells(x, &names, rec, c, label, ref);
        if (!d || anchor(d, r, c)) {
            put_row(x, ws, &cw, r, c);
            if (d) hold_row(x, d);
        } else {
            keep_row(x, d, &cw, c);
        }
        r++;
    }
    names_free(x->cfg, &names);
    if (listed > cap) {
        char note[256];
        snprintf(note, sizeof note, "Trang này chỉ có %zu trong %zu số liệu (giới hạn số dòng của Excel): "
                 "toàn bộ số liệu ở records.csv", cap, listed);
        th_put_text(x, ws, &cw, 0, (lxw_col_t)(ncols + 1), note, x->sev[1]);
    }
    th_finish_list_sheet(x, ws, &cw, r - 1, "DuLieu", head, ncols, 0,
                         "Dữ liệu — trang tính để xem trên màn hình (lọc, sắp xếp): bản in chỉ gồm trang đầu; "
                         "toàn bộ số liệu ở records.csv");
    lxw_row_t last = r - 1 < TH_SCREEN_PRINT_ROWS ? (r > 1 ? r - 1 : 1) : TH_SCREEN_PRINT_ROWS;
    th_keep(x, worksheet_print_area(ws, 0, 0, last, (lxw_col_t)(ncols - 1)));
    worksheet_fit_to_pages(ws, 1, 1);
    if (d && x->err == LXW_NO_ERROR) start_rows(x, d, ws, listed > cap ? (uint32_t)ncols + 2 : (uint32_t)ncols);
}

/* ==== after workbook_close =========================================================== */


/* A number as libxlsxwriter 1.1.4 prints it ("%.16G") at p; its length. */
static size_t number_text(char *p, double v)
{
    if (v == floor(v) && fabs(v) < 1e15 && !(v == 0 && signbit(v))) {
        size_t n = 0;
        if (v < 0) p[n++] = '-';
        return n + num_uint_text((uint64_t)fabs(v), p + n);
    }
    int n = snprintf(p, 40, "%.16G", v);
    return n > 0 ? (size_t)n : 0;
}

#define PUT(lit) (memcpy(p, lit, sizeof lit - 1), p += sizeof lit - 1)

/* The cells of a kept row (xlsxpatch_row_fn): what libxlsxwriter's
 * _write_number_cell, _write_string_cell and a blank cell print. */
static bool stream_row(void *ctx, uint32_t row, buf *out)
{
    const struct th_data *d = ctx;
    if (row < 1 || row - 1 >= d->nrows) return false;
    const dl_row *dr = &d->rows[row - 1];
    if (dr->fmt[0] == DL_HELD) return false;   /* it must have been in the part */
    /* a cell is at most 8 + 1 + 7 + 12 + 16 + 40 + 8 bytes */
    if (!buf_reserve(out, DL_COLS * 96)) return false;
    char rownum[24];
    size_t rn = num_uint_text((uint64_t)row + 1, rownum);
    char *p = out->data + out->len;
    int nn = 0;
    for (int k = 0; k < DL_COLS; k++) {
        int s = d->xf[dr->fmt[k] & ~DL_NUM];
        PUT("<c r=\"");
        *p++ = (char)('A' + k);
        memcpy(p, rownum, rn);
        p += rn;
        *p++ = '"';
        if (s) {
            PUT(" s=\"");
            p += num_uint_text((uint64_t)s, p);
            *p++ = '"';
        }
        if (dr->fmt[k] & DL_NUM) {
            PUT("><v>");
            p += number_text(p, dr->num[nn++ & 1]);
            PUT("</v></c>");
        } else if (dr->sst[k] == DL_BLANK) {
            PUT("/>");
        } else {
            PUT(" t=\"s\"><v>");
            p += num_uint_text(dr->sst[k], p);
            PUT("</v></c>");
        }
    }
    out->len = (size_t)(p - out->data);
    out->data[out->len] = '\0';
    return true;
}

#undef PUT

static bool held_row(const void *ctx, uint32_t row)
{
    const struct th_data *d = ctx;
    return row < 1 || row - 1 >= d->nrows || d->rows[row - 1].fmt[0] == DL_HELD;
}

/* The rows into the part p: the ones made before when the style numbers were
 * right and the part is as they assumed, else made now with its numbers. */
static dtbd_status fill(struct th_data *d, xlsxpatch *p, char *why, size_t whylen)
{
    int xf[DL_NFMT];
    bool same = true;
    for (int s = 0; s < DL_NFMT; s++) {
        xf[s] = d->seen[s] ? xlsxpatch_style(p, d->anchor_row[s], d->anchor_col[s]) : 0;
        if (xf[s] < 0) {
            xlsxpatch_pre_abort(d->pre);
            d->pre = NULL;
            return DTBD_ERR_FORMAT;
        }
        same = same && xf[s] == d->xf[s];
    }
    if (d->pre && same) {
        xlsxpatch_pre *pre = d->pre;
        d->pre = NULL;
        dtbd_status st = xlsxpatch_pre_finish(pre, p, why, whylen);
        if (st != DTBD_ERR_FORMAT) return st;
    }
    xlsxpatch_pre_abort(d->pre);   /* before the numbers change under it */
    d->pre = NULL;
    memcpy(d->xf, xf, sizeof xf);
    return xlsxpatch_fill(p, 1, d->last, DL_COLS, stream_row, d, why, whylen);
}

/* See tonghop_private.h. */
dtbd_status th_data_finish(struct th_data *d, const char *path, char *why, size_t whylen)
{
    dtbd_status st = DTBD_OK;
    if (d && d->nrows > d->nanchors) {
        char part[64];
        snprintf(part, sizeof part, "xl/worksheets/sheet%u.xml", d->sheet_no);
        xlsxpatch *p = xlsxpatch_open(path, part, &st, why, whylen);
        if (p) st = fill(d, p, why, whylen);
        xlsxpatch_close(p);
    }
    th_data_free(d);
    return st;
}

void th_data_free(struct th_data *d)
{
    if (!d) return;
    xlsxpatch_pre_abort(d->pre);
    free(d->rows);
    memo_free(d->known);
    memo_free(d->by_text);
    free(d);
}
