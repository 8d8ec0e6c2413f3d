/* input/xls_cells.c — the .xls reader's cells (see xls_private.h; the
 * reader is described in xls.c): the survey of every sheet, then the walk
 * that places and types each cell and hands it to the sink, with FreeXL's
 * values where it may supply them. */
#include "input/xls_private.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <freexl.h>

#include "base/syserr.h"
#include "base/text.h"
#include "input/cfb.h"
#include "input/snapshot.h"
#include "input/vnenc.h"

/* ---- private: cells ------------------------------------------------------------------ */

/* Excel's text for a BIFF error code. */
static const char *error_text(uint8_t code)
{
    switch (code) {
    case 0x00: return "#NULL!";
    case 0x07: return "#DIV/0!";
    case 0x0F: return "#VALUE!";
    case 0x17: return "#REF!";
    case 0x1D: return "#NAME?";
    case 0x24: return "#NUM!";
    case 0x2A: return "#N/A";
    case 0x2B: return "#GETTING_DATA";
    default: return "#ERR!";
    }
}

/* Hand one cell to the sink, counting it against the sheet's limit. */
static dtbd_status deliver(xls_ctx *x, wb_cell *cell, uint16_t xf)
{
    if (cell->type == WB_TEXT && cell->len == 0) return DTBD_OK; /* "" shows as blank */
    if (++x->ncells > x->lim->max_cells_per_sheet) {
        wb_cell_ref(cell->row, cell->col, x->err->cell);
        return xls_fail(x, DTBD_ERR_LIMIT, "trang tính có hơn %llu ô",
                     (unsigned long long)x->lim->max_cells_per_sheet);
    }
    cell->font = xls_xf_font(x, xf);
    if (x->sink->cell && x->sink->cell(x->sink->ctx, cell) != 0) {
        wb_cell_ref(cell->row, cell->col, x->err->cell);
        return xls_fail(x, DTBD_ERR_ABORTED, "dừng ở ô này");
    }
    return DTBD_OK;
}

/* A number cell: a date when its XF has a date format and the value is a
 * day Excel can show (0 .. 9999-12-31); otherwise a number. */
static dtbd_status number_cell(xls_ctx *x, uint32_t row, uint32_t col, uint16_t xf, double v)
{
    wb_cell cell = {.row = row, .col = col, .type = WB_NUMBER, .num = v};
    if (xf < x->nxfs && x->xfs[xf].date && v >= 0.0 && v < 2958466.0) {
        cell.type = WB_DATE;
        cell.num = wb_serial_to_days(v, x->date1904);
    }
    return deliver(x, &cell, xf);
}

/* FreeXL's value of cell (row, col) of the selected sheet; false when
 * FreeXL is not in use, or fails now (it is then dropped). */
static bool fx_cell(xls_ctx *x, uint32_t row, uint32_t col, FreeXL_CellValue *v)
{
    if (!x->fx) return false;
    int rc = freexl_get_cell_value(x->fx, row, (unsigned short)col, v);
    if (rc == FREEXL_OK) return true;
    xls_fx_drop(x, "đọc một ô", rc);
    return false;
}

/* The value of a number cell: FreeXL's, except for a date-formatted cell
 * (FreeXL turns those into text) or when FreeXL has no number there. */
static double fx_number(xls_ctx *x, uint32_t row, uint32_t col, uint16_t xf, double walk)
{
    if (xf < x->nxfs && x->xfs[xf].date) return walk;
    FreeXL_CellValue v;
    if (!fx_cell(x, row, col, &v)) return walk;
    if (v.type == FREEXL_CELL_INT) return v.value.int_value;
    if (v.type == FREEXL_CELL_DOUBLE) return v.value.double_value;
    return walk; /* FreeXL judged the format a date by its own letter count */
}

/* Fill cell with FreeXL's text for (row, col), in NFC (FreeXL passes the
 * stored form on). False when FreeXL has no text there; *st is set when
 * the text cannot be delivered. */
static bool fx_text(xls_ctx *x, uint32_t row, uint32_t col, wb_cell *cell, dtbd_status *st)
{
    FreeXL_CellValue v;
    if (!fx_cell(x, row, col, &v) ||
        (v.type != FREEXL_CELL_TEXT && v.type != FREEXL_CELL_SST_TEXT) || !v.value.text_value)
        return false;
    buf_clear(&x->text);
    const char *t = v.value.text_value;
    if (!text_to_nfc(t, strlen(t), &x->text) || x->text.oom)
        *st = xls_cell_fail(x, row, col, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    else if (x->text.len > x->lim->max_string_bytes)
        *st = xls_cell_fail(x, row, col, DTBD_ERR_LIMIT, "chuỗi quá dài");
    cell->type = WB_TEXT;
    cell->text = buf_str(&x->text);
    cell->len = x->text.len;
    return true;
}

/* Is the font of XF xf a legacy Vietnamese font (.VnTime, VNI-Times)? Its
 * BIFF5 bytes are then passed on as Windows-1252 (see xls.h). */
static bool legacy_font(const xls_ctx *x, uint16_t xf)
{
    return x->biff5 && vnenc_font_hint(xls_xf_font(x, xf)) != VNENC_NONE;
}

/* The cached string of a FORMULA of XF xf: the STRING record that follows
 * it (after any SHRFMLA/ARRAY/TABLE). Fills x->text; false with x->st on
 * error. */
static bool formula_string(xls_ctx *x, size_t after, uint32_t row, uint32_t col, uint16_t xf)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, after);
    buf_clear(&x->text);
    for (;;) {
        int got = biff_next(&r, &rec);
        if (got <= 0) return true; /* no STRING: an empty result */
        if (rec.type == BIFF_SHRFMLA || rec.type == BIFF_ARRAY || rec.type == BIFF_TABLE)
            continue;
        if (rec.type != BIFF_STRING) return true;
        biff_cursor c;
        biff_cursor_init(&c, &r, &rec, 0);
        bool too_long = false;
        if (xls_read_string(x, &c, 2, legacy_font(x, xf), &too_long)) return true;
        x->st = xls_cell_fail(x, row, col,
                          xls_string_oom(x) ? DTBD_ERR_NOMEM
                          : too_long    ? DTBD_ERR_LIMIT
                                        : DTBD_ERR_CORRUPT,
                          too_long ? "chuỗi kết quả công thức quá dài"
                                   : "bản ghi STRING của công thức bị hỏng");
        return false;
    }
}

/* A LABEL or RSTRING cell: FreeXL's text of a BIFF8 LABEL, else the
 * record's string. */
static dtbd_status label_cell(xls_ctx *x, const biff_reader *r, const biff_record *rec,
                            wb_cell *cell, uint16_t xf)
{
    dtbd_status st = DTBD_OK;
    if (rec->type == BIFF_LABEL && fx_text(x, cell->row, cell->col, cell, &st))
        return st == DTBD_OK ? deliver(x, cell, xf) : st;
    biff_cursor c;
    biff_cursor_init(&c, r, rec, 6);
    bool too_long = false;
    if (!xls_read_string(x, &c, 2, legacy_font(x, xf), &too_long))
        return xls_cell_fail(x, cell->row, cell->col,
                         xls_string_oom(x) ? DTBD_ERR_NOMEM
                         : too_long    ? DTBD_ERR_LIMIT
                                       : DTBD_ERR_CORRUPT,
                         too_long ? "chuỗi quá dài" : "chuỗi của ô bị cắt cụt");
    cell->type = WB_TEXT;
    cell->text = buf_str(&x->text);
    cell->len = x->text.len;
    return deliver(x, cell, xf);
}

/* A FORMULA cell: its cached result (a number, or the string of the STRING
 * record that follows, a boolean, an error); an empty string is no cell. */
static dtbd_status formula_cell(xls_ctx *x, const biff_record *rec, wb_cell *cell, uint16_t xf)
{
    const unsigned char *b = rec->body;
    if (b[12] != 0xFF || b[13] != 0xFF)
        return number_cell(x, cell->row, cell->col, xf, biff_f64(b + 6));
    switch (b[6]) {
    case 0: /* string, in the STRING record that follows */
        if (!formula_string(x, rec->off + 4 + rec->len, cell->row, cell->col, xf)) return x->st;
        cell->type = WB_TEXT;
        cell->text = buf_str(&x->text);
        cell->len = x->text.len;
        break;
    case 1:
        cell->type = WB_BOOL;
        cell->num = b[8] ? 1.0 : 0.0;
        break;
    case 2:
        cell->type = WB_ERROR;
        cell->text = error_text(b[8]);
        cell->len = strlen(cell->text);
        break;
    default: /* 3: empty string; others unknown: nothing to show */
        return DTBD_OK;
    }
    return deliver(x, cell, xf);
}

/* Decode and deliver the cell at record offset off (sub-cell sub). */
static int emit_cell(xls_ctx *x, uint32_t row, uint32_t col, size_t off, unsigned sub)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, off);
    if (biff_next(&r, &rec) <= 0) return 1; /* checked by the walk already */
    const unsigned char *b = rec.body;
    uint16_t xf = biff_u16(b + 4);
    wb_cell cell = {.row = row, .col = col};
    dtbd_status st = DTBD_OK;
    switch (rec.type) {
    case BIFF_NUMBER:
        st = number_cell(x, row, col, xf, fx_number(x, row, col, xf, biff_f64(b + 6)));
        break;
    case BIFF_RK:
        st = number_cell(x, row, col, xf, fx_number(x, row, col, xf, biff_rk(biff_u32(b + 6))));
        break;
    case BIFF_MULRK:
        xf = biff_u16(b + 4 + 6 * (size_t)sub);
        st = number_cell(x, row, col, xf,
                         fx_number(x, row, col, xf, biff_rk(biff_u32(b + 6 + 6 * (size_t)sub))));
        break;
    case BIFF_LABELSST: {
        uint32_t i = biff_u32(b + 6);
        if (i >= x->nsst) {
            st = xls_cell_fail(x, row, col, DTBD_ERR_CORRUPT, "ô trỏ tới chuỗi dùng chung không có");
            break;
        }
        cell.shared = i + 1; /* whoever decodes it, string i reads the same */
        if (fx_text(x, row, col, &cell, &st)) {
            if (st == DTBD_OK) st = deliver(x, &cell, xf);
            break;
        }
        cell.type = WB_TEXT;
        cell.text = x->sst.data + x->sst_off[i];
        cell.len = x->sst_off[i + 1] - x->sst_off[i];
        st = deliver(x, &cell, xf);
        break;
    }
    case BIFF_LABEL:
    case BIFF_RSTRING:
        st = label_cell(x, &r, &rec, &cell, xf);
        break;
    case BIFF_BOOLERR:
        if (b[7]) {
            cell.type = WB_ERROR;
            cell.text = error_text(b[6]);
            cell.len = strlen(cell.text);
        } else { /* FreeXL gives a boolean as 0/1 (an error too, so not that) */
            FreeXL_CellValue v;
            bool fx = fx_cell(x, row, col, &v) && v.type == FREEXL_CELL_INT;
            cell.type = WB_BOOL;
            cell.num = (fx ? v.value.int_value != 0 : b[6] != 0) ? 1.0 : 0.0;
        }
        st = deliver(x, &cell, xf);
        break;
    case BIFF_FORMULA:
        st = formula_cell(x, &rec, &cell, xf);
        break;
    default:
        break;
    }
    if (st != DTBD_OK) {
        x->st = st;
        return 1;
    }
    return 0;
}

/* Visitor of the first pass: are the cells in row-major order? */
static int check_order(xls_ctx *x, uint32_t row, uint32_t col, size_t off, unsigned sub)
{
    (void)off;
    (void)sub;
    if (x->have_prev && (row < x->prev_row || (row == x->prev_row && col <= x->prev_col))) {
        x->unsorted = true;
        return 1;
    }
    x->have_prev = true;
    x->prev_row = row;
    x->prev_col = col;
    return 0;
}

/* Visitor that collects the positions of an out-of-order sheet. */
static int collect(xls_ctx *x, uint32_t row, uint32_t col, size_t off, unsigned sub)
{
    if (x->npos >= x->lim->max_cells_per_sheet) {
        x->st = xls_cell_fail(x, row, col, DTBD_ERR_LIMIT, "trang tính có quá nhiều ô");
        return 1;
    }
    if (!buf_grow_array((void **)&x->pos, &x->cappos, x->npos + 1, sizeof *x->pos)) {
        x->st = xls_fail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
        return 1;
    }
    x->pos[x->npos] = (xls_pos){row, col, x->npos, off, sub};
    x->npos++;
    return 0;
}

/* Row-major order, then file order. */
static int pos_cmp(const void *a, const void *b)
{
    const xls_pos *p = a, *q = b;
    if (p->row != q->row) return p->row < q->row ? -1 : 1;
    if (p->col != q->col) return p->col < q->col ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Walk the records of the sheet whose BOF is at start: every cell record is
 * passed to fn (when fn is non-NULL); MERGEDCELLS go to the sink when
 * merges is set. Substreams nested in the sheet (charts) are skipped. */
static dtbd_status walk_sheet(xls_ctx *x, size_t start, cell_fn fn, bool merges)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, start);
    if (biff_next(&r, &rec) <= 0) return xls_fail(x, DTBD_ERR_CORRUPT, "thiếu bản ghi BOF");
    size_t depth = 0;
    x->st = DTBD_OK;
    for (;;) {
        int got = biff_next(&r, &rec);
        if (got < 0)
            return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi BIFF bị cắt cụt ở byte %zu", r.pos);
        if (got == 0) return xls_fail(x, DTBD_ERR_CORRUPT, "trang tính thiếu bản ghi EOF");
        if (rec.type == BIFF_BOF) {
            depth++;
            continue;
        }
        if (rec.type == BIFF_EOF) {
            if (depth == 0) return DTBD_OK;
            depth--;
            continue;
        }
        if (depth > 0) continue;
        const unsigned char *b = rec.body;
        if (rec.type == BIFF_MERGEDCELLS) { /* BIFF8; some BIFF5 writers too */
            if (!merges) continue;
            if (rec.len < 2) return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi MERGEDCELLS quá ngắn");
            size_t n = biff_u16(b);
            if (rec.len < 2 + 8 * n)
                return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi MERGEDCELLS bị cắt cụt");
            for (size_t i = 0; i < n; i++) {
                const unsigned char *m = b + 2 + 8 * i;
                wb_range rg = {biff_u16(m), biff_u16(m + 4), biff_u16(m + 2), biff_u16(m + 6)};
                if (rg.r1 > rg.r2 || rg.c1 > rg.c2) continue; /* meaningless: skip */
                if (x->sink->merge && x->sink->merge(x->sink->ctx, &rg) != 0)
                    return xls_fail(x, DTBD_ERR_ABORTED, "dừng khi đọc vùng gộp ô");
            }
            continue;
        }
        size_t need = xls_cell_need(rec.type, x->biff5);
        if (need == 0 || !fn) continue;
        uint32_t row = rec.len >= 4 ? biff_u16(b) : 0, col = rec.len >= 4 ? biff_u16(b + 2) : 0;
        if (rec.len < need) {
            wb_cell_ref(row, col, x->err->cell);
            return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi ô 0x%04X quá ngắn", rec.type);
        }
        if (rec.type == BIFF_MULRK) {
            if ((rec.len - 6) % 6 != 0) {
                wb_cell_ref(row, col, x->err->cell);
                return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi MULRK có độ dài sai");
            }
            unsigned n = (unsigned)((rec.len - 6) / 6);
            for (unsigned i = 0; i < n; i++)
                if (fn(x, row, col + i, rec.off, i)) return x->st;
        } else if (fn(x, row, col, rec.off, 0)) {
            return x->st;
        }
    }
}

/* Minimum body length of a cell record, 0 for other records. A BIFF5
 * LABEL's string has no flags byte. */
size_t xls_cell_need(uint16_t type, bool biff5)
{
    switch (type) {
    case BIFF_NUMBER: return 14;
    case BIFF_RK: return 10;
    case BIFF_LABELSST: return 10;
    case BIFF_LABEL: case BIFF_RSTRING: return biff5 ? 8 : 9;
    case BIFF_BOOLERR: return 8;
    case BIFF_FORMULA: return 20;
    case BIFF_MULRK: return 12;
    default: return 0;
    }
}

/* Add what FreeXL's day-by-day date loop would cost for this number cell. */
static void survey_days(xls_ctx *x, uint32_t row, uint32_t col, uint16_t xf, double v)
{
    if (xf >= x->nxfs || !x->xfs[xf].fx_days) return;
    if (!(v < XLS_LAST_DAY)) { /* also NaN */
        char ref[16];
        wb_cell_ref(row, col, ref);
        fx_deny(x, "ô %s định dạng ngày chứa %g: FreeXL sẽ đếm từng ngày", ref, v);
        return;
    }
    if (v >= 1.0) x->fx_days += (uint64_t)v;
    if (x->fx_days > XLS_FX_MAX_DAYS)
        fx_deny(x, "các ô định dạng ngày cộng lại quá %llu ngày FreeXL phải đếm",
                (unsigned long long)XLS_FX_MAX_DAYS);
}

/* Survey one worksheet as FreeXL will parse it, from after its BOF to its
 * EOF: one DIMENSION before the cells and every cell inside it, strings
 * FreeXL reads in place, the days it would count; also whether the cells
 * are in row-major order. Refuses (DTBD_ERR_LIMIT) a DIMENSION larger than
 * max_cells_per_sheet unless the sheet's cells exceed that limit themselves
 * (the walk then stops at the first cell past it, naming it). *stop is set
 * when the stream cannot be followed further. */
static dtbd_status survey_sheet(xls_ctx *x, biff_reader *r, xls_sheet *s, bool *stop)
{
    biff_record rec;
    bool has_dim = false, have_prev = false, unsorted = false, damaged = false;
    uint32_t rows = 0, cols = 0, prev_row = 0, prev_col = 0;
    uint64_t ncells = 0;
    size_t depth = 0;
    for (;;) {
        int got = biff_next(r, &rec);
        if (got <= 0 || (rec.type == 0 && rec.len == 0)) {
            fx_deny(x, "trang tính \"%s\" không kết thúc bằng EOF", s->name);
            *stop = true;
            return DTBD_OK;
        }
        if (rec.type == BIFF_BOF) {
            fx_deny(x, "trang tính \"%s\" có biểu đồ nhúng", s->name);
            depth++;
            continue;
        }
        if (rec.type == BIFF_EOF) {
            if (depth == 0) break;
            depth--;
            continue;
        }
        if (depth > 0) continue;
        if (rec.type == BIFF_SST || rec.type == BIFF_BOUNDSHEET || rec.type == BIFF_FONT ||
            rec.type == BIFF_XF || rec.type == BIFF_FORMAT) {
            /* FreeXL takes them wherever they are, and a second SST leaks
             * the first one's table (fuzz_xls): they belong to the globals */
            fx_deny(x, "trang tính \"%s\" chứa bản ghi của phần chung (SST, FONT, XF…)", s->name);
            continue;
        }
        const unsigned char *b = rec.body;
        if (rec.type == BIFF_DIMENSION) {
            if (has_dim || ncells > 0 || rec.len < 14) {
                fx_deny(x, "trang tính \"%s\" có DIMENSION thừa, muộn hoặc hỏng", s->name);
                continue;
            }
            rows = biff_u32(b + 4);
            cols = biff_u16(b + 10);
            has_dim = true;
            continue;
        }
        size_t need = xls_cell_need(rec.type, false); /* the survey is BIFF8's alone */
        if (need == 0) continue;
        if (rec.len < need || (rec.type == BIFF_MULRK && (rec.len - 6) % 6 != 0)) {
            fx_deny(x, "trang tính \"%s\" có bản ghi ô hỏng", s->name);
            damaged = true;
            continue;
        }
        uint32_t row = biff_u16(b), col = biff_u16(b + 2);
        unsigned n = rec.type == BIFF_MULRK ? (unsigned)((rec.len - 6) / 6) : 1;
        if (!has_dim)
            fx_deny(x, "trang tính \"%s\" không có DIMENSION trước các ô", s->name);
        else if (row >= rows || col + n > cols)
            fx_deny(x, "trang tính \"%s\" có ô nằm ngoài vùng DIMENSION", s->name);
        if (have_prev && (row < prev_row || (row == prev_row && col <= prev_col))) unsorted = true;
        have_prev = true;
        prev_row = row;
        prev_col = col + n - 1;
        ncells += n;
        switch (rec.type) {
        case BIFF_NUMBER:
            survey_days(x, row, col, biff_u16(b + 4), biff_f64(b + 6));
            break;
        case BIFF_RK:
            survey_days(x, row, col, biff_u16(b + 4), biff_rk(biff_u32(b + 6)));
            break;
        case BIFF_MULRK:
            for (unsigned i = 0; i < n; i++)
                survey_days(x, row, col + i, biff_u16(b + 4 + 6 * (size_t)i),
                            biff_rk(biff_u32(b + 6 + 6 * (size_t)i)));
            break;
        case BIFF_LABEL: { /* FreeXL reads its characters from this record alone */
            size_t cch = biff_u16(b + 6);
            if ((b[8] & 0x0C) || 9 + cch * (b[8] & 1 ? 2 : 1) > rec.len)
                fx_deny(x, "trang tính \"%s\" có chuỗi LABEL vượt ra ngoài bản ghi", s->name);
            break;
        }
        case BIFF_LABELSST:
            if (biff_u32(b + 6) >= x->nsst)
                fx_deny(x, "trang tính \"%s\" trỏ tới chuỗi dùng chung không có", s->name);
            break;
        default:
            break;
        }
    }
    /* a damaged sheet is checked again when read, failing before its cells */
    s->surveyed = !damaged;
    s->unsorted = unsorted;
    /* FreeXL leaks the text or date string of a cell written twice (fuzz_xls);
     * out of order is how a repeated cell shows: leave such sheets to the walk */
    if (unsorted) fx_deny(x, "trang tính \"%s\" có ô không theo thứ tự hoặc ghi hai lần", s->name);
    if (!has_dim) return DTBD_OK;
    uint64_t area = (uint64_t)rows * cols;
    if (area > x->lim->max_cells_per_sheet && ncells <= x->lim->max_cells_per_sheet) {
        x->sheet_name = s->name;
        return xls_fail(x, DTBD_ERR_LIMIT,
                     "vùng DIMENSION của trang tính là %u dòng × %u cột = %llu ô, "
                     "vượt giới hạn %llu ô",
                     rows, cols, (unsigned long long)area,
                     (unsigned long long)x->lim->max_cells_per_sheet);
    }
    x->fx_cells += area;
    return DTBD_OK;
}

/* Walk the stream after the globals as FreeXL will (linearly, every
 * substream in turn) and decide whether FreeXL may open the file: see
 * xls.h. Only a DIMENSION refusal is an error; anything else FreeXL could
 * not take safely leaves the values to the walk (fx_denied, with a note). */
dtbd_status xls_survey(xls_ctx *x)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, x->globals_end);
    size_t k = 0;
    uint32_t worksheets = 0;
    bool stop = false;
    while (!stop) {
        int got = biff_next(&r, &rec);
        if (got == 0 || (got > 0 && rec.type == 0 && rec.len == 0)) break; /* FreeXL's end */
        if (got < 0 || rec.type != BIFF_BOF) {
            fx_deny(x, "có bản ghi hỏng hoặc nằm ngoài mọi trang tính");
            break;
        }
        if (k >= x->nsheets || x->sheets[k].off != rec.off) {
            fx_deny(x, "các trang tính không nằm theo thứ tự của danh sách BOUNDSHEET");
            break;
        }
        xls_sheet *s = &x->sheets[k++];
        if (s->dt != 0 || rec.len < 4 || biff_u16(rec.body + 2) != 0x0010) {
            /* FreeXL gives up on chart, macro and VB substreams */
            fx_deny(x, "bảng tính có trang biểu đồ, macro hoặc VBA");
            size_t depth = 0;
            for (;;) {
                got = biff_next(&r, &rec);
                if (got <= 0) return DTBD_OK;
                if (rec.type == BIFF_BOF) depth++;
                else if (rec.type == BIFF_EOF && depth-- == 0) break;
            }
            continue;
        }
        if (++worksheets > x->lim->max_sheets) { /* the walk refuses it there */
            fx_deny(x, "quá nhiều trang tính");
            break;
        }
        dtbd_status st = survey_sheet(x, &r, s, &stop);
        if (st != DTBD_OK) return st;
    }
    if (k != x->nsheets) fx_deny(x, "danh sách BOUNDSHEET trỏ ra ngoài các trang tính");
    uint64_t bytes = x->fx_cells * XLS_FX_CELL_BYTES + (uint64_t)x->sst_claim * XLS_FX_SST_BYTES;
    if (bytes > XLS_FX_MAX_BYTES)
        fx_deny(x, "FreeXL cần khoảng %llu MB cho vùng DIMENSION các trang tính",
                (unsigned long long)(bytes >> 20));
    x->sheet_name = NULL;
    return DTBD_OK;
}

/* The surveyed stream, alone in a compound file of dtbd's making (input/cfb.h)
 * in an anonymous file: FreeXL reads exactly the bytes the survey checked,
 * in the plainest container, never the sender's. Its descriptor, or -1 with
 * the reason noted. */
static int fx_file(xls_ctx *x)
{
    size_t hlen, total;
    unsigned char *head = cfb_single_head("Workbook", x->wbsize, &hlen, &total);
    int fd = head ? snap_anon_file() : -1;
    bool ok = fd >= 0 && snap_write_all(fd, head, hlen) == 0 && snap_write_all(fd, x->wb, x->wbsize) == 0 &&
              ftruncate(fd, (off_t)total) == 0 && lseek(fd, 0, SEEK_SET) == 0;
    int e = errno;
    free(head);
    if (ok) return fd;
    if (fd >= 0) close(fd);
    xls_fx_note(x, "không tạo được tệp tạm cho FreeXL (%s): đọc từ các bản ghi",
                head ? syserr_text(e, SYSERR_WRITE) : "hết bộ nhớ");
    return -1;
}

/* Open FreeXL on the surveyed stream (fx_file) unless the survey denied it;
 * any refusal leaves the values to the walk. */
void xls_fx_open(xls_ctx *x)
{
    if (x->rep->walk_only) {
        xls_fx_note(x, "chỉ đọc các bản ghi (theo yêu cầu)");
        return;
    }
    if (x->fx_denied) return;
    x->fx_fd = fx_file(x);
    if (x->fx_fd < 0) return;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", x->fx_fd);
    const void *h = NULL;
    x->rep->freexl_opened = true;
    int rc = freexl_open(proc, &h);
    x->fx = h;                  /* FreeXL asks for a close even on failure */
    unsigned n = 0;
    if (rc != FREEXL_OK) {
        xls_fx_close(x);
        xls_fx_note(x, "FreeXL từ chối tệp (lỗi %d): đọc từ các bản ghi", rc);
    } else if (!h) {
        xls_fx_close(x);
        xls_fx_note(x, "FreeXL trả về thành công nhưng không có dữ liệu: đọc từ các bản ghi");
    } else if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &n) != FREEXL_OK || n != x->nsheets) {
        xls_fx_close(x);
        xls_fx_note(x, "FreeXL thấy %u trang tính thay vì %zu: đọc từ các bản ghi", n, x->nsheets);
    }
}

/* Deliver the cells of one sheet in row-major order, then its merges. */
static dtbd_status read_sheet_cells(xls_ctx *x, const xls_sheet *s)
{
    size_t start = s->off;
    x->ncells = 0;
    x->have_prev = x->unsorted = false;
    dtbd_status st = DTBD_OK;
    if (s->surveyed) x->unsorted = s->unsorted;
    else st = walk_sheet(x, start, check_order, false);
    if (st != DTBD_OK) return st;
    if (!x->unsorted) {
        st = walk_sheet(x, start, emit_cell, false);
    } else {
        /* Written out of order (not by Excel or LibreOffice): sort positions. */
        x->npos = 0;
        st = walk_sheet(x, start, collect, false);
        if (st != DTBD_OK) return st;
        qsort(x->pos, x->npos, sizeof *x->pos, pos_cmp);
        for (size_t i = 0; i < x->npos && st == DTBD_OK; i++) {
            const xls_pos *p = &x->pos[i];
            if (i + 1 < x->npos && x->pos[i + 1].row == p->row && x->pos[i + 1].col == p->col)
                continue; /* a later record for the same cell wins */
            if (emit_cell(x, p->row, p->col, p->off, p->sub)) st = x->st;
        }
    }
    if (st != DTBD_OK) return st;
    return walk_sheet(x, start, NULL, true);
}

/* Read every worksheet in workbook order. */
dtbd_status xls_read_sheets(xls_ctx *x)
{
    unsigned index = 0;
    for (size_t i = 0; i < x->nsheets; i++) {
        const xls_sheet *s = &x->sheets[i];
        if (s->dt != 0) continue; /* chart, macro and VB module sheets hold no cells */
        x->sheet_name = s->name;
        biff_reader r;
        biff_record rec;
        biff_reader_init(&r, x->wb, x->wbsize, s->off);
        if (s->off >= x->wbsize || biff_next(&r, &rec) <= 0 || rec.type != BIFF_BOF ||
            rec.len < 4)
            return xls_fail(x, DTBD_ERR_CORRUPT, "vị trí trang tính không trỏ tới bản ghi BOF");
        uint16_t dt = biff_u16(rec.body + 2);
        if (dt != 0x0010) continue; /* a chart or macro sheet listed as a worksheet */
        if (index >= x->lim->max_sheets)
            return xls_fail(x, DTBD_ERR_LIMIT, "bảng tính có hơn %u trang tính", x->lim->max_sheets);
        wb_sheet_info info = {.name = s->name, .index = index++, .hidden = s->state != 0};
        int rc = x->sink->sheet_begin ? x->sink->sheet_begin(x->sink->ctx, &info) : 0;
        if (rc < 0) return xls_fail(x, DTBD_ERR_ABORTED, "dừng trước trang tính");
        if (rc == 0 && x->fx) {
            int frc = freexl_select_active_worksheet(x->fx, (unsigned short)i);
            if (frc != FREEXL_OK) xls_fx_drop(x, "chọn trang tính", frc);
        }
        if (rc == 0) {
            dtbd_status st = read_sheet_cells(x, s);
            if (st != DTBD_OK) return st;
        }
        if (x->sink->sheet_end && x->sink->sheet_end(x->sink->ctx, &info) != 0)
            return xls_fail(x, DTBD_ERR_ABORTED, "dừng sau trang tính");
    }
    x->sheet_name = NULL;
    return DTBD_OK;
}
