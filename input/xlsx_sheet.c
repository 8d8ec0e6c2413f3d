/* input/xlsx_sheet.c — the .xlsx reader's worksheets: rows, cells, values
 * and merges streamed to the sink (see xlsx_private.h; the design is at the
 * top of xlsx.c). */
#include "input/xlsx_private.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"

/* ---- private: values ---------------------------------------------------------------------- */

/* Parse an A1 reference ("B12", "$B$12") by hand into 0-based row/col within
 * Excel's grid; false when invalid. */
static bool parse_ref(const char *s, uint32_t *row, uint32_t *col)
{
    uint32_t c = 0, r = 0;
    if (*s == '$') s++;
    const char *c0 = s;
    for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
        c = c * 26 + (uint32_t)((*s | 0x20) - 'a' + 1);
        if (c > XLSX_MAX_COLS) return false;
    }
    if (s == c0) return false;
    if (*s == '$') s++;
    const char *r0 = s;
    for (; *s >= '0' && *s <= '9'; s++) {
        r = r * 10 + (uint32_t)(*s - '0');
        if (r > XLSX_MAX_ROWS) return false;
    }
    if (s == r0 || *s || r == 0) return false;
    *row = r - 1;
    *col = c - 1;
    return true;
}

/* Days from 1970-01-01 to a civil date (H. Hinnant's algorithm). */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

/* Parse an ISO 8601 time of day at s ("hh:mm", "hh:mm:ss", "hh:mm:ss.5")
 * into seconds since midnight; *end is set after it. */
static bool parse_iso_time(const char *s, double *secs, const char **end)
{
    int h, mi, c = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &mi, &c) != 2) return false;
    const char *p = s + c;
    double sec = 0;
    if (*p == ':') {
        char *e;
        sec = strtod(p + 1, &e);
        if (e == p + 1) return false;
        p = e;
    }
    if (h < 0 || h > 24 || mi < 0 || mi > 59 || !(sec >= 0 && sec < 61)) return false;
    *secs = h * 3600.0 + mi * 60.0 + sec;
    *end = p;
    return true;
}

/* Parse an ISO 8601 value of <c t="d"> into days since 1899-12-30: a date
 * ("2024-12-31"), a date and time ("2024-12-31T08:30:00.5", or with a
 * space), or a time of day alone ("12:30:00", "T12:30") on day 0 (see
 * workbook.h); a trailing "Z" or offset is ignored. */
static bool parse_iso_date(const char *s, double *days)
{
    int y, mo, d, consumed = 0;
    double secs = 0;
    long long z = 0;
    const char *p;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) == 3) {
        p = s + consumed;
        if ((*p == 'T' || *p == ' ') && !parse_iso_time(p + 1, &secs, &p)) return false;
        if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > 31) return false;
        z = days_from_civil(y, (unsigned)mo, (unsigned)d) + 25569; /* 1899-12-30 */
    } else {
        if (*s == 'T') s++;
        if (!parse_iso_time(s, &secs, &p) || secs >= 86400.0) return false;
    }
    if (*p && *p != 'Z' && *p != '+' && *p != '-') return false;
    *days = (double)z + secs / 86400.0;
    return true;
}

/* ---- private: worksheets ---------------------------------------------------------------------- */

typedef struct {
    const xsheet *sh;
    bool in_data, in_merges, in_row, in_cell, in_is, in_r;
    uint32_t row;           /* current row                                     */
    int64_t last_row;       /* row of the previous <row> (-1 before the first) */
    int64_t last_col;       /* column of the previous <c> in this row, or -1   */
    uint32_t crow, ccol;    /* the cell being read                             */
    int ctype;
    uint32_t style;
    bool has_style, has_v, has_is;
    size_t v_from, v_to;    /* the <v> text's bytes in x->text (see ws_keep)   */
    uint64_t ncells;
} ws_state;

/* Fail with the current cell named in the error. */
static void ws_fail_cell(xr *x, const ws_state *w, dtbd_status st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void ws_fail_cell(xr *x, const ws_state *w, dtbd_status st, const char *fmt, ...)
{
    if (x->st != DTBD_OK) return;
    char detail[sizeof x->err->detail];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    xlsx_fail(x, st, "%s", detail);
    if (x->err && w->in_cell) wb_cell_ref(w->crow, w->ccol, x->err->cell);
}

/* <row r>: its number, or the previous row's + 1. */
static void ws_row(xr *x, ws_state *w, const char **atts)
{
    const char *r = xlsx_attr(atts, "r");
    uint64_t v;
    if (r) {
        if (!xlsx_parse_uint(r, XLSX_MAX_ROWS, &v) || v == 0) {
            xlsx_fail(x, DTBD_ERR_CORRUPT, "số dòng không hợp lệ: <row r=\"%.20s\">", r);
            return;
        }
        w->row = (uint32_t)(v - 1);
    } else {
        if (w->last_row + 1 >= XLSX_MAX_ROWS) {
            xlsx_fail(x, DTBD_ERR_CORRUPT, "dòng vượt quá %u", (unsigned)XLSX_MAX_ROWS);
            return;
        }
        w->row = (uint32_t)(w->last_row + 1);
    }
    w->last_row = w->row;
    w->last_col = -1;
    w->in_row = true;
}

/* <c r t s>: position (its r, or the next column), type and style. */
static void ws_cell_start(xr *x, ws_state *w, const char **atts)
{
    const char *r = NULL, *t = NULL, *s = NULL;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *n = atts[i];
        if (n[1] != '\0') continue;
        if (n[0] == 'r') r = atts[i + 1];
        else if (n[0] == 't') t = atts[i + 1];
        else if (n[0] == 's') s = atts[i + 1];
    }
    w->in_cell = true;
    w->has_v = w->has_is = false;
    x->text.len = 0;                     /* buf_clear() without a call: once per cell */
    if (x->text.data) x->text.data[0] = '\0';
    if (r) {
        if (!parse_ref(r, &w->crow, &w->ccol)) {
            w->in_cell = false;
            xlsx_fail(x, DTBD_ERR_CORRUPT, "tham chiếu ô không hợp lệ: <c r=\"%.20s\">", r);
            return;
        }
        if (w->crow != w->row) {     /* trust the cell: later rows count on from it */
            w->row = w->crow;
            w->last_row = w->crow;
        }
    } else {
        if (w->last_col + 1 >= XLSX_MAX_COLS) {
            w->in_cell = false;
            xlsx_fail(x, DTBD_ERR_CORRUPT, "dòng %u có ô vượt quá cột %u", w->row + 1,
                    (unsigned)XLSX_MAX_COLS);
            return;
        }
        w->crow = w->row;
        w->ccol = (uint32_t)(w->last_col + 1);
    }
    w->last_col = w->ccol;
    w->ctype = CT_NUM;
    if (t) {
        if (strcmp(t, "s") == 0) w->ctype = CT_SST;
        else if (strcmp(t, "str") == 0) w->ctype = CT_STR;
        else if (strcmp(t, "inlineStr") == 0) w->ctype = CT_INLINE;
        else if (strcmp(t, "b") == 0) w->ctype = CT_BOOL;
        else if (strcmp(t, "e") == 0) w->ctype = CT_ERR;
        else if (strcmp(t, "d") == 0) w->ctype = CT_DATE;
    }
    uint64_t v;
    w->has_style = s && xlsx_parse_uint(s, UINT32_MAX, &v);
    w->style = w->has_style ? (uint32_t)v : 0;
}

/* Hand the text in x->text to the cell as WB_TEXT (or type tt) after
 * unescaping and NFC; empty texts are not cells. */
static bool ws_text(xr *x, wb_cell *c, wb_type tt)
{
    if (!xlsx_finish_text(x, buf_str(&x->text), x->text.len)) return false;
    if (x->out.len == 0) return false;
    c->type = tt;
    c->text = buf_str(&x->out);
    c->len = x->out.len;
    return true;
}

/* Is s only blanks? */
static bool blank(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    return *s == '\0';
}

/* x->text holds the texts of a cell's <is> and <v> together: keep the one
 * its type reads. An inline string is its <is> text alone (a stray <v>, even
 * empty, is not part of it, and a lone <v> is no text, as openpyxl reads
 * it); any other type reads its <v>. */
static void ws_keep(xr *x, const ws_state *w, int ct)
{
    if (!w->has_v || (ct != CT_INLINE && !w->has_is)) return;
    if (w->v_to < w->v_from || w->v_to > x->text.len) return;
    char *t = x->text.data;
    size_t vlen = w->v_to - w->v_from;
    if (ct == CT_INLINE) {
        memmove(t + w->v_from, t + w->v_to, x->text.len - w->v_to);
        x->text.len -= vlen;
    } else {
        memmove(t, t + w->v_from, vlen);
        x->text.len = vlen;
    }
    if (x->text.data) x->text.data[x->text.len] = '\0';
}

/* </c>: type the collected value and hand the cell to the sink. */
static void ws_cell_end(xr *x, ws_state *w)
{
    wb_cell c = {.row = w->crow, .col = w->ccol, .type = WB_EMPTY};
    const xxf *xf = NULL;
    if (w->style < x->nxfs) xf = &x->xfs[w->style];
    c.font = xf ? xf->fontname : NULL;
    uint64_t idx;
    char *end;

    int ct = w->ctype;
    if (ct != CT_INLINE && w->has_is && !w->has_v) ct = CT_INLINE;
    if (ct != CT_INLINE && !w->has_v) return;           /* formula without value */
    ws_keep(x, w, ct);
    const char *v = buf_str(&x->text);
    switch (ct) {
    case CT_SST:
        if (blank(v)) return;
        if (!xlsx_parse_uint(v, UINT64_MAX / 2, &idx) || idx >= x->nsst) {
            ws_fail_cell(x, w, DTBD_ERR_CORRUPT,
                         "chỉ số chuỗi dùng chung \"%.20s\" không có (bảng có %zu chuỗi)", v,
                         x->nsst);
            return;
        }
        c.type = WB_TEXT;
        c.text = x->sst.data + x->sst_off[idx];
        c.shared = (uint32_t)idx + 1;
        c.len = (idx + 1 < x->nsst ? x->sst_off[idx + 1] : x->sst.len) - x->sst_off[idx] - 1;
        if (c.len == 0) return;
        break;
    case CT_INLINE:
    case CT_STR:
        if (!ws_text(x, &c, WB_TEXT)) return;   /* error recorded, or empty text */
        break;
    case CT_ERR:
        if (!ws_text(x, &c, WB_ERROR)) return;   /* error recorded, or empty text */
        break;
    case CT_BOOL:
        if (blank(v)) return;
        if (xlsx_parse_uint(v, 1, &idx)) {
            c.type = WB_BOOL;
            c.num = (double)idx;
        } else if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
            c.type = WB_BOOL;
            c.num = v[0] == 't';
        } else if (!ws_text(x, &c, WB_TEXT)) {
            return;   /* error recorded, or empty text */
        }
        break;
    case CT_DATE:
        if (blank(v)) return;
        if (parse_iso_date(v, &c.num)) c.type = WB_DATE;
        else if (!ws_text(x, &c, WB_TEXT)) return;   /* error recorded, or empty text */
        break;
    default:
        if (blank(v)) return;
        if (num_parse(v, x->text.len, &c.num)) end = (char *)v + x->text.len;
        else c.num = strtod(v, &end);
        if (end != v && blank(end) && isfinite(c.num)) {
            c.type = WB_NUMBER;
            /* A date format makes a date; a negative serial is no date in Excel. */
            if (xf && xf->date && c.num >= 0) {
                c.type = WB_DATE;
                c.num = wb_serial_to_days(c.num, x->date1904);
            }
        } else if (!ws_text(x, &c, WB_TEXT)) {   /* keep what was written */
            return;   /* error recorded, or empty text */
        }
        break;
    }
    if (++w->ncells > x->lim->max_cells_per_sheet) {
        ws_fail_cell(x, w, DTBD_ERR_LIMIT, "trang tính có hơn %llu ô",
                     (unsigned long long)x->lim->max_cells_per_sheet);
        return;
    }
    if (x->sink->cell && x->sink->cell(x->sink->ctx, &c) != 0) {
        ws_fail_cell(x, w, DTBD_ERR_ABORTED, "%s", "");
    }
}

/* <mergeCell ref="A1:C2">. */
static void ws_merge(xr *x, const char **atts)
{
    const char *ref = xlsx_attr(atts, "ref");
    if (!ref) return;
    char a[32], b[32];
    const char *colon = strchr(ref, ':');
    size_t la = colon ? (size_t)(colon - ref) : strlen(ref);
    const char *second = colon ? colon + 1 : ref;
    wb_range rg;
    if (la >= sizeof a || strlen(second) >= sizeof b) goto bad;
    memcpy(a, ref, la);
    a[la] = '\0';
    strcpy(b, second);
    if (!parse_ref(a, &rg.r1, &rg.c1) || !parse_ref(b, &rg.r2, &rg.c2)) goto bad;
    if (rg.r1 > rg.r2) { uint32_t t = rg.r1; rg.r1 = rg.r2; rg.r2 = t; }
    if (rg.c1 > rg.c2) { uint32_t t = rg.c1; rg.c1 = rg.c2; rg.c2 = t; }
    if (x->sink->merge && x->sink->merge(x->sink->ctx, &rg) != 0)
        xlsx_fail(x, DTBD_ERR_ABORTED, "%s", "");
    return;
bad:
    xlsx_fail(x, DTBD_ERR_CORRUPT, "vùng gộp ô không hợp lệ: <mergeCell ref=\"%.40s\">", ref);
}

/* <v> or <is> opened in a cell (depth 5). */
static void ws_value_start(xpart *xp, ws_state *w, const char *local)
{
    if (local[0] == 'v' && local[1] == '\0') {
        if (w->has_v) return;    /* a second <v>: not the cell's value */
        w->has_v = true;
        w->v_from = w->v_to = xp->x->text.len;
        xp->collect = true;
    } else if (strcmp(local, "is") == 0) {
        w->has_is = w->in_is = true;
    }
}

/* … and closed. */
static void ws_value_end(xpart *xp, ws_state *w, const char *local)
{
    if (local[0] == 'v' && local[1] == '\0') {
        if (xp->collect) w->v_to = xp->x->text.len;
        xp->collect = false;
    } else if (strcmp(local, "is") == 0) {
        w->in_is = false;
    }
}

/* A <c> the scanner read whole (xpart_flat_fn): ws_start and ws_end's work
 * for its events without dispatching each — the children are values
 * (depth 5) holding only text, so no <t> of an <is> is among them. */
static bool ws_flat(xpart *xp, const char *name, const char **atts, const xs_child *kids,
                    size_t nkids)
{
    ws_state *w = xp->ud;
    xr *x = xp->x;
    if (xp->depth != 3 || !w->in_row || name[0] != 'c' || name[1] != '\0' ||
        (xp->default_ns != NS_MAIN && xp->default_ns != NS_NONE))
        return false;
    ws_cell_start(x, w, atts);
    if (x->st != DTBD_OK) return true;
    for (size_t i = 0; i < nkids; i++) {
        ws_value_start(xp, w, kids[i].name);
        if (xp->collect && kids[i].len && !xlsx_collect(xp, kids[i].text, kids[i].len)) return true;
        ws_value_end(xp, w, kids[i].name);
    }
    ws_cell_end(x, w);
    w->in_cell = false;
    return true;
}

/* Worksheet start tags, by depth: sheetData/row/c/(v|is/(t|r/t)), mergeCells/mergeCell. */
static void ws_start(xpart *xp, int ns, const char *local, const char **atts)
{
    ws_state *w = xp->ud;
    xr *x = xp->x;
    if (ns != NS_MAIN && ns != NS_NONE) return;
    switch (xp->depth) {
    case 2:
        if (strcmp(local, "sheetData") == 0) w->in_data = true;
        else if (strcmp(local, "mergeCells") == 0) w->in_merges = true;
        break;
    case 3:
        if (w->in_data && strcmp(local, "row") == 0) ws_row(x, w, atts);
        else if (w->in_merges && strcmp(local, "mergeCell") == 0) ws_merge(x, atts);
        break;
    case 4:
        if (w->in_row && local[0] == 'c' && local[1] == '\0') ws_cell_start(x, w, atts);
        break;
    case 5:
        if (w->in_cell) ws_value_start(xp, w, local);
        break;
    case 6:
        if (!w->in_is) break;
        if (local[0] == 't' && local[1] == '\0') xp->collect = true;
        else if (local[0] == 'r' && local[1] == '\0') w->in_r = true;
        break;
    case 7:
        if (w->in_r && local[0] == 't' && local[1] == '\0') xp->collect = true;
        break;
    default:
        break;
    }
}

/* Worksheet end tags: close what ws_start opened; </c> emits the cell. */
static void ws_end(xpart *xp, int ns, const char *local)
{
    ws_state *w = xp->ud;
    if (ns != NS_MAIN && ns != NS_NONE) return;
    switch (xp->depth) {
    case 2:
        if (strcmp(local, "sheetData") == 0) w->in_data = false;
        else if (strcmp(local, "mergeCells") == 0) w->in_merges = false;
        break;
    case 3:
        if (strcmp(local, "row") == 0) w->in_row = false;
        break;
    case 4:
        if (w->in_cell && local[0] == 'c' && local[1] == '\0') {
            xp->collect = false;
            ws_cell_end(xp->x, w);
            w->in_cell = false;
        }
        break;
    case 5:
        ws_value_end(xp, w, local);
        break;
    case 6:
        if (local[0] == 't' && local[1] == '\0') xp->collect = false;
        else if (local[0] == 'r' && local[1] == '\0') w->in_r = false;
        break;
    case 7:
        if (local[0] == 't' && local[1] == '\0') xp->collect = false;
        break;
    default:
        break;
    }
}

/* See xlsx_private.h. */
void xlsx_read_sheet(xr *x, const xsheet *sh)
{
    ws_state w = {.sh = sh, .last_row = -1, .last_col = -1};
    static const char *const flat[] = {"c", NULL};    /* <c r s t><v>…</v></c> */
    xpart xp = {.start = ws_start, .end = ws_end, .ud = &w, .scan = true, .flat_names = flat,
                .flat = ws_flat};
    xlsx_parse_part(x, sh->entry, sh->part, &xp);
    /* errors raised below the cell level (string limit, bad XML) name it too */
    if (x->st != DTBD_OK && w.in_cell && x->err && !x->err->cell[0])
        wb_cell_ref(w.crow, w.ccol, x->err->cell);
}

