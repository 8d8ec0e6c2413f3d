/*
 * output/template.c — the report form: layout from the config, writing it with
 * libxlsxwriter, the blank form of `dtbd template`, and the safe-string
 * helpers both workbooks use. See template.h for the contract.
 */
#include "output/template.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "base/buf.h"
#include "base/text.h"

/* Excel's limit is 32 767 characters a cell; libxlsxwriter refuses more. */
#define TEMPLATE_MAX_CHARS 32000

/* Form words that are not in the config: they are structure, and recognition
 * knows them as fillers (pipeline/recognize.c). */
#define WORD_STT        "STT"
#define WORD_GROUPS     "Đối tượng"
#define WORD_CONTENT    "Nội dung"
#define WORD_OF_WHICH   "Trong đó"
#define WORD_SOURCES    "Nguồn kinh phí"
#define WORD_MOTTO1     "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
#define WORD_MOTTO2     "Độc lập - Tự do - Hạnh phúc"
#define WORD_REPORT     "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
#define WORD_UBND       "UBND"
#define WORD_DISTRICT_DEPT "PHÒNG NỘI VỤ"

/* ==== private: safe strings ===================================================== */

/* Length of the well-formed UTF-8 sequence at s[0..n), 0 when ill-formed;
 * *cp gets the code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (len > n) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

/* True when XML 1.0 cannot carry the code point (C0 controls but TAB, LF, CR;
 * U+FFFE, U+FFFF). */
static bool xml_illegal(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF;
}

/* See template.h. */
bool template_text_is_safe(const char *s)
{
    size_t n = strlen(s), chars = 0;
    if (!text_utf8_valid(s, n)) return false;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') return false;
        if (p[i] == 0xEF && i + 2 < n && p[i + 1] == 0xBF && (p[i + 2] == 0xBE || p[i + 2] == 0xBF))
            return false;
        if ((p[i] & 0xC0) != 0x80 && ++chars > TEMPLATE_MAX_CHARS) return false;
    }
    return true;
}

/* Append to out the safe form of s: ill-formed bytes and XML-illegal code
 * points become U+FFFD, and the text stops at TEMPLATE_MAX_CHARS characters. */
static void safe_append(buf *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, chars = 0;
    while (i < n && chars < TEMPLATE_MAX_CHARS) {
        uint32_t cp;
        size_t len = utf8_seq(p + i, n - i, &cp);
        if (len == 0 || xml_illegal(cp)) {
            buf_puts(out, "\xEF\xBF\xBD");
            i += len ? len : 1;
        } else {
            buf_append(out, p + i, len);
            i += len;
        }
        chars++;
    }
}

/* ==== private: the layout ======================================================= */

static const char *const ROMAN[] = {"I",   "II",   "III", "IV", "V",   "VI",  "VII",
                                    "VIII", "IX",  "X",   "XI", "XII", "XIII", "XIV",
                                    "XV",  "XVI", "XVII", "XVIII", "XIX", "XX"};

/* True when an indicator is computed on a part of g: g's parts must then be
 * reported row by row (T05 on cc_xa splits row II). */
static bool parts_needed(const struct config *cfg, const struct config_group *g)
{
    for (size_t i = 0; i < cfg->n_indicators; i++) {
        const struct config_group *ig = cfg->indicators[i].group;
        if (ig && ig->part_of == g) return true;
    }
    return false;
}

/* Append a row to f (capacity is the config's group count + metrics). */
static template_row *add_row(template_form *f, template_row_kind kind, const struct config_group *g,
                             const struct config_metric *m, const char *stt)
{
    template_row *r = &f->rows[f->nrows++];
    memset(r, 0, sizeof *r);
    r->kind = kind;
    r->group = g;
    r->metric = m;
    snprintf(r->stt, sizeof r->stt, "%s", stt ? stt : "");
    return r;
}

/* The rows of a rows=groups table (see template.h for which). */
static void build_group_rows(const struct config *cfg, const struct config_table *t, const struct config_unit *u,
                             template_form *f)
{
    bool any_required = false;
    if (u)
        for (size_t i = 0; i < cfg->n_groups; i++)
            if (config_group_in_table(&cfg->groups[i], t) && config_group_required_of(&cfg->groups[i], u))
                any_required = true;
    /* a unit required to report nothing here (a training provider) gets the
     * top rows without parts */
    bool all = !u || !any_required;
    size_t top = 0;
    for (size_t i = 0; i < cfg->n_groups; i++) {
        const struct config_group *g = &cfg->groups[i];
        if (g->part_of || g->subset_of || !config_group_in_table(g, t)) continue;
        /* the province's numbering: a group keeps its numeral whatever rows a
         * unit's form leaves out (an agency's Viên chức is IV, not II) */
        const char *numeral = top < sizeof ROMAN / sizeof *ROMAN ? ROMAN[top] : "";
        top++;
        if (!all && !config_group_required_of(g, u)) continue;
        template_row *r = add_row(f, TEMPLATE_ROW_TOP, g, NULL, numeral);
        size_t ri = f->nrows - 1;
        bool parts = g->n_parts > 0 && (!u || (any_required && parts_needed(cfg, g)));
        size_t np = 0;
        if (parts)
            for (size_t p = 0; p < g->n_parts; p++) {
                if (!config_group_in_table(g->parts[p], t)) continue;
                char num[8];
                snprintf(num, sizeof num, "%zu", ++np);
                add_row(f, TEMPLATE_ROW_PART, g->parts[p], NULL, num);
            }
        r = &f->rows[ri];
        r->sum_of_parts = np > 0;
        for (size_t k = 0; k < cfg->n_groups; k++) {
            const struct config_group *s = &cfg->groups[k];
            if (s->subset_of != g || !config_group_in_table(s, t)) continue;
            if (!all && !config_group_required_of(s, u)) continue;
            add_row(f, TEMPLATE_ROW_SUBSET, s, NULL, "");
        }
    }
    f->total_row = f->nrows > 0;
}

/* One element of a column's header path. */
typedef struct {
    const void *key;     /* equal keys on one header row merge across columns   */
    const char *text;
} path_elem;

typedef struct {
    path_elem e[3];
    unsigned n;
    bool sub;            /* the last element is a sub-column on the bottom row */
} col_path;

/* Do two labels read the same ("Tổng số" metric over "Tổng số" breakdown)? */
static bool same_label(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Columns and their header paths of a rows=groups table. Returns the number
 * of columns written to cols/paths (both sized by the caller). */
static size_t build_group_columns(const struct config *cfg, const struct config_table *t, template_column *cols,
                                  col_path *paths)
{
    size_t n = 0;
    for (size_t i = 0; i < cfg->n_metrics; i++) {
        const struct config_metric *m = &cfg->metrics[i];
        if (m->table != t) continue;
        size_t nb = m->n_breakdowns ? m->n_breakdowns : 1;
        for (size_t b = 0; b < nb; b++) {
            col_path *p = &paths[n];
            memset(p, 0, sizeof *p);
            cols[n].metric = m;
            cols[n].breakdown = m->n_breakdowns ? m->breakdowns[b] : NULL;
            cols[n].sum_of_parts = false;
            if (m->heading) p->e[p->n++] = (path_elem){m->heading, m->heading->label};
            if (nb == 1) {
                p->e[p->n++] = (path_elem){NULL, m->label};
            } else if (same_label(m->label, m->breakdowns[0]->label)) {
                /* "Tổng số | Trong đó: Nữ · Dân tộc thiểu số" (Biểu 01) */
                if (b == 0) {
                    p->e[p->n++] = (path_elem){NULL, m->label};
                } else {
                    p->e[p->n++] = (path_elem){m, WORD_OF_WHICH};
                    p->e[p->n++] = (path_elem){NULL, m->breakdowns[b]->label};
                    p->sub = true;
                }
            } else {
                /* "Tin học › Tổng số · Nữ · Dân tộc thiểu số" (Biểu 02) */
                p->e[p->n++] = (path_elem){m, m->label};
                p->e[p->n++] = (path_elem){NULL, m->breakdowns[b]->label};
                p->sub = true;
            }
            n++;
        }
    }
    return n;
}

/* Columns of a rows=metrics table: the breakdowns its metrics allow, the
 * parts of a whole under WORD_SOURCES and the whole after them. */
static size_t build_breakdown_columns(const struct config *cfg, const struct config_table *t,
                                      template_column *cols, col_path *paths)
{
    const struct config_breakdown *seen[64];
    size_t nseen = 0;
    for (size_t i = 0; i < cfg->n_metrics; i++) {
        const struct config_metric *m = &cfg->metrics[i];
        if (m->table != t) continue;
        for (size_t b = 0; b < m->n_breakdowns; b++) {
            bool dup = false;
            for (size_t k = 0; k < nseen; k++) dup |= seen[k] == m->breakdowns[b];
            if (!dup && nseen < sizeof seen / sizeof *seen) seen[nseen++] = m->breakdowns[b];
        }
    }
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t k = 0; k < nseen; k++) {
            const struct config_breakdown *b = seen[k];
            bool whole = b->n_parts > 0;
            if ((pass == 0) == whole) continue;      /* wholes in the second pass */
            col_path *p = &paths[n];
            memset(p, 0, sizeof *p);
            cols[n] = (template_column){NULL, b, whole};
            if (b->part_of) p->e[p->n++] = (path_elem){b->part_of, WORD_SOURCES};
            p->e[p->n++] = (path_elem){NULL, b->label};
            n++;
        }
    return n;
}

/* Lay the header paths out into merged header cells (the generator's rule:
 * each element takes its own row, the last one stretches to the bottom; a
 * sub-column sits on the bottom row and its parent stretches above it). */
static int layout_header(template_form *f, const col_path *paths, size_t npaths, const char *label_header)
{
    unsigned depth = 1;
    for (size_t i = 0; i < npaths; i++)
        if (paths[i].n > depth) depth = paths[i].n;
    size_t ncol = npaths + 2;
    typedef struct { bool set; const void *key; const char *text; unsigned hi; } slot;
    slot *grid = calloc((size_t)depth * ncol, sizeof *grid);
    f->hdr = calloc((size_t)depth * ncol, sizeof *f->hdr);
    if (!grid || !f->hdr) {
        free(grid);
        return -1;
    }
    f->depth = depth;
    grid[0] = (slot){true, NULL, WORD_STT, depth - 1};
    grid[1] = (slot){true, NULL, label_header, depth - 1};
    for (size_t i = 0; i < npaths; i++) {
        const col_path *p = &paths[i];
        size_t c = i + 2;
        for (unsigned j = 0; j < p->n; j++) {
            unsigned lo = j, hi = j;
            if (p->sub) {
                if (j == p->n - 1) lo = hi = depth - 1;
                else if (j == p->n - 2) hi = depth - 2;
            } else if (j == p->n - 1) {
                hi = depth - 1;
            }
            grid[(size_t)lo * ncol + c] = (slot){true, p->e[j].key, p->e[j].text, hi};
        }
    }
    for (unsigned r = 0; r < depth; r++)
        for (size_t c = 0; c < ncol; c++) {
            slot *s = &grid[(size_t)r * ncol + c];
            if (!s->set) continue;
            size_t c2 = c;
            while (s->key && c2 + 1 < ncol) {
                slot *t = &grid[(size_t)r * ncol + c2 + 1];
                if (!t->set || t->key != s->key || t->hi != s->hi) break;
                t->set = false;
                c2++;
            }
            f->hdr[f->nhdr++] = (template_header_cell){r, s->hi, (unsigned)c, (unsigned)c2, s->text};
        }
    free(grid);
    return 0;
}

/* ==== private: writing ========================================================== */

/* Keep the first error. */
static void keep(lxw_error *err, lxw_error e)
{
    if (*err == LXW_NO_ERROR && e != LXW_NO_ERROR) *err = e;
}

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

/* Lines a text needs in a cell `width` characters wide (bold headers run a
 * little wider than their character count). */
static unsigned lines_for(const char *s, double width, double factor)
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
            double need = lines_for(c->text, width, 1.12) * line + 3, have = 0;
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

/* ==== public: safe strings ======================================================== */

/* See template.h. */
char *template_safe_text(const char *s)
{
    buf b = BUF_INIT;
    buf_puts(&b, "");
    safe_append(&b, s ? s : "");
    if (b.oom) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b);
}

/* See template.h. */
/* See template.h. glibc's gmtime() fills one static buffer; libxlsxwriter
 * calls it for docProps/core.xml while it writes a package. */
static pthread_mutex_t close_lock = PTHREAD_MUTEX_INITIALIZER;

lxw_error template_workbook_close(lxw_workbook *wb)
{
    pthread_mutex_lock(&close_lock);
    lxw_error e = workbook_close(wb);
    int saved = errno;
    pthread_mutex_unlock(&close_lock);
    errno = saved;
    return e;
}

/* ---- style indices before workbook_close ------------------------------------- */

/* libxlsxwriter numbers a format's style (xf) when it first meets it while it
 * writes the package: worksheet by worksheet, its columns' formats, then row
 * by row the row's format and each cell's (the cell's own, else the row's,
 * else the column's). The same walk, done here, gives every format of the
 * sheets walked the number it will have. */
static void xf_of(lxw_format *f)
{
    if (f) (void)lxw_format_get_xf_index(f);
}

static void xf_cells(const lxw_worksheet *ws, lxw_cell *c, lxw_format *row_format)
{
    if (!c) return;
    xf_cells(ws, RB_LEFT(c, tree_pointers), row_format);
    if (c->format) xf_of(c->format);
    else if (row_format) xf_of(row_format);
    else if (c->col_num < ws->col_formats_max && ws->col_formats[c->col_num]) xf_of(ws->col_formats[c->col_num]);
    xf_cells(ws, RB_RIGHT(c, tree_pointers), row_format);
}

static void xf_rows(const lxw_worksheet *ws, lxw_row *r)
{
    if (!r) return;
    xf_rows(ws, RB_LEFT(r, tree_pointers));
    xf_of(r->format);
    if (r->cells) xf_cells(ws, RB_ROOT(r->cells), r->format);
    xf_rows(ws, RB_RIGHT(r, tree_pointers));
}

/* See template.h. */
void template_number_styles(lxw_workbook *wb, const lxw_worksheet *last)
{
    lxw_worksheet *ws;
    STAILQ_FOREACH(ws, wb->worksheets, list_pointers) {
        if (ws->col_size_changed)
            for (lxw_col_t c = 0; c < ws->col_options_max; c++)
                if (ws->col_options[c]) xf_of(ws->col_options[c]->format);
        if (ws->table) xf_rows(ws, RB_ROOT(ws->table));
        if (ws == last) break;
    }
}

lxw_error template_write_text(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s, lxw_format *f)
{
    if (!s) s = "";
    if (template_text_is_safe(s)) return worksheet_write_string(ws, row, col, s, f);
    char *safe = template_safe_text(s);
    if (!safe) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = worksheet_write_string(ws, row, col, safe, f);
    free(safe);
    return e;
}

/* See template.h. */
lxw_error template_merge_text(lxw_worksheet *ws, lxw_row_t r1, lxw_col_t c1, lxw_row_t r2, lxw_col_t c2,
                              const char *s, lxw_format *f)
{
    if (r1 == r2 && c1 == c2) return template_write_text(ws, r1, c1, s, f);
    if (!s) s = "";
    if (template_text_is_safe(s)) return worksheet_merge_range(ws, r1, c1, r2, c2, s, f);
    char *safe = template_safe_text(s);
    if (!safe) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error e = worksheet_merge_range(ws, r1, c1, r2, c2, safe, f);
    free(safe);
    return e;
}

/* See template.h. */
char *template_upper(const char *s)
{
    char *safe = template_safe_text(s);
    if (!safe) return NULL;
    buf b = BUF_INIT;
    buf_puts(&b, "");
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)safe;
    utf8proc_ssize_t n = (utf8proc_ssize_t)strlen(safe), i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(p + i, n - i, &cp);
        if (len <= 0) break;            /* cannot happen: the text is safe */
        utf8proc_uint8_t out[4];
        utf8proc_ssize_t ol = utf8proc_encode_char(utf8proc_toupper(cp), out);
        buf_append(&b, out, (size_t)ol);
        i += len;
    }
    free(safe);
    if (b.oom) {
        buf_free(&b);
        return NULL;
    }
    return buf_detach(&b);
}

/* See template.h. */
size_t template_text_width(const char *s)
{
    size_t best = 0, cur = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '\n') {
            if (cur > best) best = cur;
            cur = 0;
        } else if ((*p & 0xC0) != 0x80) {
            cur++;
        }
    }
    return cur > best ? cur : best;
}

/* ==== public: layout ============================================================== */

/* See template.h. */
int template_form_build(const struct config *cfg, const struct config_table *t, const struct config_unit *u,
                        template_form *f)
{
    memset(f, 0, sizeof *f);
    f->table = t;
    size_t maxcols = 0;
    for (size_t i = 0; i < cfg->n_metrics; i++)
        if (cfg->metrics[i].table == t) maxcols += cfg->metrics[i].n_breakdowns ? cfg->metrics[i].n_breakdowns : 1;
    f->cols = calloc(maxcols + 1, sizeof *f->cols);
    col_path *paths = calloc(maxcols + 1, sizeof *paths);
    f->rows = calloc(cfg->n_groups + cfg->n_metrics + 1, sizeof *f->rows);
    if (!f->cols || !paths || !f->rows) goto oom;
    const char *label_header;
    if (t->rows == CONFIG_ROWS_METRICS) {
        size_t k = 0;
        for (size_t i = 0; i < cfg->n_metrics; i++) {
            if (cfg->metrics[i].table != t) continue;
            char num[8];
            snprintf(num, sizeof num, "%zu", ++k);
            add_row(f, TEMPLATE_ROW_METRIC, NULL, &cfg->metrics[i], num);
        }
        f->ncols = build_breakdown_columns(cfg, t, f->cols, paths);
        label_header = WORD_CONTENT;
    } else {
        build_group_rows(cfg, t, u, f);
        f->ncols = build_group_columns(cfg, t, f->cols, paths);
        label_header = WORD_GROUPS;
    }
    if (layout_header(f, paths, f->ncols, label_header) != 0) goto oom;
    free(paths);
    return 0;
oom:
    free(paths);
    template_form_free(f);
    return -1;
}

/* See template.h. */
void template_form_free(template_form *f)
{
    free(f->cols);
    free(f->rows);
    free(f->hdr);
    memset(f, 0, sizeof *f);
}

/* See template.h. */
void template_table_name(const struct config_table *t, char out[16])
{
    snprintf(out, 16, "Biểu %02zu", t->index + 1 < 100 ? t->index + 1 : 99);
}

/* See template.h. */
bool template_cell_applies(const template_form *f, size_t row, size_t col)
{
    const template_row *r = &f->rows[row];
    const template_column *c = &f->cols[col];
    return !r->group || !c->metric || config_metric_applies(c->metric, r->group);
}

/* See template.h. */
bool template_column_is_part(const template_form *f, size_t k, size_t j)
{
    const template_column *a = &f->cols[k], *w = &f->cols[j];
    if (k == j || !a->breakdown || !w->breakdown) return false;
    if (a->metric == w->metric) return a->breakdown->part_of == w->breakdown;
    if (!w->metric || !a->metric || a->breakdown != w->breakdown) return false;
    for (size_t p = 0; p < w->metric->n_parts; p++)
        if (w->metric->parts[p] == a->metric) return true;
    return false;
}

/* See template.h. */
long template_column_whole(const template_form *f, size_t j)
{
    const template_column *c = &f->cols[j];
    if (!c->metric || !c->breakdown) return -1;
    const struct config_metric *wm = c->metric;
    const struct config_breakdown *wb = c->breakdown->subset_of;
    if (!wb) {
        /* a column that is a subset of another column (Phù hợp VTVL ≤ Tổng
         * số, "Trong đó: sử dụng được tiếng DTTS" ≤ its "Tổng số") */
        if (!c->metric->subset_of) return -1;
        wm = c->metric->subset_of;
        wb = c->breakdown;
    }
    for (size_t k = 0; k < f->ncols; k++)
        if (f->cols[k].metric == wm && f->cols[k].breakdown == wb) return (long)k;
    return -1;
}

/* ==== public: formats ============================================================= */

/* See template.h. */
lxw_format *template_format(lxw_workbook *wb, bool border)
{
    lxw_format *f = workbook_add_format(wb);
    if (!f) return NULL;
    format_set_font_name(f, "Times New Roman");
    format_set_font_size(f, 11);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (border) format_set_border(f, LXW_BORDER_THIN);
    return f;
}

/* See template.h. */
int template_styles_init(lxw_workbook *wb, template_styles *st)
{
    memset(st, 0, sizeof *st);
    lxw_format **all[] = {&st->bold, &st->motto, &st->title, &st->subtitle, &st->table_title,
                          &st->unit_measure, &st->note, &st->footer_place, &st->footer_title,
                          &st->footer_note, &st->text, &st->text_bold, &st->text_wrap, &st->heading1,
                          &st->footer_place_input, &st->footer_title_input, &st->footer_name_input};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (!(*all[i] = template_format(wb, false))) return -1;
    lxw_format **boxed[] = {&st->header, &st->colnum, &st->stt, &st->stt_top, &st->label_top,
                            &st->label_part, &st->label_subset, &st->label_total, &st->input_count,
                            &st->input_money, &st->count, &st->money, &st->sum_count, &st->sum_money,
                            &st->total_count, &st->total_money, &st->na};
    for (size_t i = 0; i < sizeof boxed / sizeof *boxed; i++)
        if (!(*boxed[i] = template_format(wb, true))) return -1;

    format_set_bold(st->bold);
    format_set_align(st->bold, LXW_ALIGN_CENTER);
    format_set_bold(st->motto);
    format_set_align(st->motto, LXW_ALIGN_CENTER);
    format_set_underline(st->motto, LXW_UNDERLINE_SINGLE);
    format_set_bold(st->title);
    format_set_font_size(st->title, 13);
    format_set_align(st->title, LXW_ALIGN_CENTER);
    format_set_text_wrap(st->title);
    format_set_italic(st->subtitle);
    format_set_align(st->subtitle, LXW_ALIGN_CENTER);
    format_set_bold(st->table_title);
    format_set_align(st->table_title, LXW_ALIGN_CENTER);
    format_set_italic(st->unit_measure);
    format_set_align(st->unit_measure, LXW_ALIGN_RIGHT);
    format_set_italic(st->note);
    format_set_font_size(st->note, 10);
    format_set_italic(st->footer_place);
    format_set_align(st->footer_place, LXW_ALIGN_CENTER);
    format_set_bold(st->footer_title);
    format_set_align(st->footer_title, LXW_ALIGN_CENTER);
    format_set_italic(st->footer_note);
    format_set_align(st->footer_note, LXW_ALIGN_CENTER);
    format_set_bold(st->text_bold);
    format_set_text_wrap(st->text_wrap);
    format_set_align(st->text_wrap, LXW_ALIGN_VERTICAL_TOP);
    format_set_bold(st->heading1);
    format_set_font_size(st->heading1, 13);

    format_set_bold(st->header);
    format_set_font_size(st->header, 10);
    format_set_align(st->header, LXW_ALIGN_CENTER);
    format_set_text_wrap(st->header);
    format_set_bg_color(st->header, 0xDDEBF7);
    format_set_italic(st->colnum);
    format_set_font_size(st->colnum, 9);
    format_set_align(st->colnum, LXW_ALIGN_CENTER);
    format_set_bg_color(st->colnum, 0xF2F2F2);
    format_set_align(st->stt, LXW_ALIGN_CENTER);
    format_set_align(st->stt_top, LXW_ALIGN_CENTER);
    format_set_bold(st->stt_top);
    format_set_bold(st->label_top);
    format_set_text_wrap(st->label_top);
    format_set_indent(st->label_part, 1);
    format_set_text_wrap(st->label_part);
    format_set_italic(st->label_subset);
    format_set_indent(st->label_subset, 1);
    format_set_text_wrap(st->label_subset);
    format_set_bold(st->label_total);
    format_set_align(st->label_total, LXW_ALIGN_CENTER);
    format_set_bg_color(st->label_total, 0xF2F2F2);

    format_set_num_format(st->input_count, "#,##0");
    format_set_unlocked(st->input_count);
    format_set_bg_color(st->input_count, 0xFFFFF0);
    format_set_num_format(st->input_money, "#,##0.0");
    format_set_unlocked(st->input_money);
    format_set_bg_color(st->input_money, 0xFFFFF0);
    format_set_num_format(st->count, "#,##0");
    format_set_num_format(st->money, "#,##0.0");
    format_set_num_format(st->sum_count, "#,##0");
    format_set_bold(st->sum_count);
    format_set_bg_color(st->sum_count, 0xF2F2F2);
    format_set_num_format(st->sum_money, "#,##0.0");
    format_set_bold(st->sum_money);
    format_set_bg_color(st->sum_money, 0xF2F2F2);
    format_set_num_format(st->total_count, "#,##0");
    format_set_bold(st->total_count);
    format_set_bg_color(st->total_count, 0xF2F2F2);
    format_set_num_format(st->total_money, "#,##0.0");
    format_set_bold(st->total_money);
    format_set_bg_color(st->total_money, 0xF2F2F2);
    /* not asked of the group: grey, hatched lightly so it prints as "no entry" */
    format_set_num_format(st->na, "#,##0");
    format_set_pattern(st->na, LXW_PATTERN_LIGHT_UP);
    format_set_fg_color(st->na, 0xBFBFBF);
    format_set_bg_color(st->na, 0xE7E6E6);
    /* the footer a unit writes in: date, signatory's title, names */
    format_set_italic(st->footer_place_input);
    format_set_align(st->footer_place_input, LXW_ALIGN_CENTER);
    format_set_unlocked(st->footer_place_input);
    format_set_bg_color(st->footer_place_input, 0xFFFFF0);
    format_set_bold(st->footer_title_input);
    format_set_align(st->footer_title_input, LXW_ALIGN_CENTER);
    format_set_unlocked(st->footer_title_input);
    format_set_bold(st->footer_name_input);
    format_set_align(st->footer_name_input, LXW_ALIGN_CENTER);
    format_set_unlocked(st->footer_name_input);
    format_set_bg_color(st->footer_name_input, 0xFFFFF0);
    /* the live checks' colour (a conditional format: only fill and font) */
    if (!(st->alert = workbook_add_format(wb))) return -1;
    format_set_bg_color(st->alert, 0xFFC7CE);
    format_set_font_color(st->alert, 0x9C0006);
    format_set_bold(st->alert);
    return 0;
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
        unsigned lines = lines_for(label, w[1] - (top ? 0 : 2), top ? 0.95 : 0.9);
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

/* ==== public: the blank form ======================================================= */

/* The instructions sheet: how to fill the form in, and what is computed from it. */
static lxw_error write_instructions(lxw_workbook *wb, const template_styles *st, const struct config *cfg,
                                    const struct config_unit *unit, int year)
{
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Hướng dẫn");
    if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error err = LXW_NO_ERROR;
    keep(&err, worksheet_set_column(ws, 0, 0, 4, NULL));
    keep(&err, worksheet_set_column(ws, 1, 1, 95, st->text_wrap));
    char line[2048];
    lxw_row_t r = 0;
    keep(&err, template_write_text(ws, r++, 1, "HƯỚNG DẪN GHI BIỂU", st->heading1));
    snprintf(line, sizeof line, "Đơn vị: %s — số liệu năm %d", unit->name, year);
    keep(&err, template_write_text(ws, r++, 1, line, st->text_bold));
    r++;
    /* the items, numbered in order; the tables' lines only for the tables of
     * the unit's kind */
    char items[12][640];
    size_t n = 0;
    snprintf(items[n++], sizeof items[0], "Chỉ nhập số vào các ô nền trắng ngà (ô không khóa). Các ô tiêu đề, tên "
             "dòng và các ô tổng (nền xám) đã khóa và tự tính; trang tính được bảo vệ không có mật khẩu.");
    snprintf(items[n++], sizeof items[0], "Ô gạch chéo màu xám là chỉ tiêu không áp dụng cho nhóm đối tượng của "
             "dòng đó: để trống.");
    snprintf(items[n++], sizeof items[0], "Ô chuyển sang nền đỏ khi số liệu chưa hợp lệ: số nữ hoặc người dân tộc "
             "thiểu số lớn hơn tổng số; số của một cột \"Trong đó\" lớn hơn cột chứa nó; tổng các cột trình độ "
             "chuyên môn khác cột Tổng số (dòng số cột ghi các tổng này, ví dụ \"3=6+7+8+9+10\"). Sửa cho đến khi "
             "hết ô đỏ.");
    snprintf(items[n++], sizeof items[0], "Ô để trống được hiểu là 0. Không đổi tên, thêm hoặc xóa cột, dòng; "
             "không đổi thứ tự các biểu.");
    for (size_t i = 0; i < cfg->n_tables && n + 3 < sizeof items / sizeof *items; i++) {
        const struct config_table *t = &cfg->tables[i];
        if (!config_table_reported_by(t, unit->kind)) continue;
        char tn[16];
        template_table_name(t, tn);
        if (strcmp(t->code, "bieu01") == 0)
            snprintf(items[n++], sizeof items[0], "%s: số lượng, chất lượng đội ngũ tính đến hết ngày 31/12 của "
                     "năm báo cáo; đơn vị tính: người.", tn);
        else if (strcmp(t->code, "bieu02") == 0)
            snprintf(items[n++], sizeof items[0], "%s: số người được đào tạo, bồi dưỡng trong năm theo từng nội "
                     "dung (tổng số, trong đó nữ, người dân tộc thiểu số); ở cột \"Số người được đào tạo, bồi "
                     "dưỡng\" mỗi người chỉ tính một lần.", tn);
        else if (t->rows == CONFIG_ROWS_METRICS)
            snprintf(items[n++], sizeof items[0], "%s: %s theo từng nguồn; đơn vị tính: %s (được nhập số lẻ, ví "
                     "dụ 125,5); cột Tổng tự cộng các nguồn.", tn, t->title, t->unit_of_measure ? t->unit_of_measure : "");
        else
            snprintf(items[n++], sizeof items[0], "%s: %s.", tn, t->title);
    }
    snprintf(items[n++], sizeof items[0], "Dòng \"Trong đó\" là một phần của dòng ngay trên, không cộng thêm vào "
             "tổng. Các dòng có số thứ tự 1, 2 là các thành phần của dòng La Mã phía trên; dòng La Mã tự cộng các "
             "thành phần. Số La Mã theo biểu của tỉnh, nên có thể không liên tục.");
    /* no date written out here: every date in the workbook counts as a
     * report date (pipeline/ident.c), an example would be taken for one */
    snprintf(items[n++], sizeof items[0], "Ở cuối mỗi biểu, thay các dấu … trong ô \"%s\" bằng địa danh và ngày, "
             "tháng, năm báo cáo (bằng số), ghi chức danh người ký và họ tên; ký và đóng dấu. Ngày báo cáo quyết "
             "định bản nào được dùng khi đơn vị gửi lại: bản ghi ngày sau thay bản ghi ngày trước.",
             TEMPLATE_FOOTER_DATE);
    snprintf(items[n++], sizeof items[0], "Gửi tệp Excel này (không chụp ảnh, không đổi sang PDF) về Sở Nội vụ.");
    for (size_t i = 0; i < n; i++) {
        const char *item = items[i];
        snprintf(line, sizeof line, "%zu.", i + 1);
        keep(&err, template_write_text(ws, r, 0, line, st->text_wrap));
        keep(&err, template_write_text(ws, r, 1, item, st->text_wrap));
        keep(&err, worksheet_set_row(ws, r, 15.0 * lines_for(item, 95, 1.0) + 3, NULL));
        r++;
    }
    r++;
    snprintf(line, sizeof line, "Các chỉ tiêu của Kế hoạch %s được tính từ số liệu của biểu:", cfg->plan.id);
    keep(&err, template_write_text(ws, r++, 1, line, st->text_bold));
    for (size_t i = 0; i < cfg->n_indicators; i++) {
        const struct config_indicator *ind = &cfg->indicators[i];
        snprintf(line, sizeof line, "%s (mục %s): %s", ind->id, ind->clause ? ind->clause : "",
                 ind->wording ? ind->wording : ind->label);
        keep(&err, template_write_text(ws, r, 1, line, st->text_wrap));
        keep(&err, worksheet_set_row(ws, r, 15.0 * lines_for(line, 95, 1.0) + 3, NULL));
        r++;
    }
    worksheet_set_portrait(ws);
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    return err;
}

/* See template.h. */
int template_letterhead(const struct config *cfg, const struct config_unit *unit, char **line1, char **line2)
{
    char tmp[512];
    *line1 = *line2 = NULL;
    const char *province = cfg->plan.province ? cfg->plan.province : "";
    if (unit->kind == CONFIG_DISTRICT) {
        /* the report is the UBND's, drawn up by its Phòng Nội vụ */
        snprintf(tmp, sizeof tmp, "%s %s", WORD_UBND, unit->name);
        *line1 = template_upper(tmp);
        *line2 = template_safe_text(WORD_DISTRICT_DEPT);
    } else {
        if (unit->superior) snprintf(tmp, sizeof tmp, "%s", unit->superior);
        else snprintf(tmp, sizeof tmp, "%s tỉnh %s", WORD_UBND, province);
        *line1 = template_upper(tmp);
        /* "Công an tỉnh" is "CÔNG AN TỈNH KIÊN GIANG" on its letterhead */
        size_t n = strlen(unit->name);
        if (n >= 5 && strcmp(unit->name + n - 5, " tỉnh") == 0) snprintf(tmp, sizeof tmp, "%s %s", unit->name, province);
        else snprintf(tmp, sizeof tmp, "%s", unit->name);
        *line2 = template_upper(tmp);
    }
    if (!*line1 || !*line2) {
        free(*line1);
        free(*line2);
        *line1 = *line2 = NULL;
        return -1;
    }
    return 0;
}

/* One table sheet of the blank form. */
static lxw_error write_form_sheet(lxw_workbook *wb, const template_styles *st, const struct config *cfg,
                                  const struct config_table *t, const struct config_unit *unit, int year,
                                  const char *head1, const char *head2)
{
    char name[16];
    template_table_name(t, name);
    lxw_worksheet *ws = workbook_add_worksheet(wb, name);
    if (!ws) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    template_form f;
    if (template_form_build(cfg, t, unit, &f) != 0) return LXW_ERROR_MEMORY_MALLOC_FAILED;
    lxw_error err = LXW_NO_ERROR;
    unsigned width = (unsigned)f.ncols + 2;
    lxw_row_t r = template_put_heading(ws, st, 0, width, head1, head2, &err);
    char line[1024];
    snprintf(line, sizeof line, "Đơn vị báo cáo: %s", unit->name);
    keep(&err, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1), line, st->text));
    r++;
    snprintf(line, sizeof line, "Đơn vị nhận báo cáo: Sở Nội vụ tỉnh %s", cfg->plan.province ? cfg->plan.province : "");
    keep(&err, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1), line, st->text));
    r += 2;
    snprintf(line, sizeof line, "%s NĂM %d", WORD_REPORT, year);
    keep(&err, template_merge_text(ws, r, 0, r, (lxw_col_t)(width - 1), line, st->title));
    keep(&err, worksheet_set_row(ws, r, 36, NULL));
    r += 2;
    template_placed at;
    keep(&err, template_table_write(ws, st, cfg, &f, r, NULL, NULL, NULL, &at));
    template_put_signature(ws, st, at.next_row, width, "THỦ TRƯỞNG ĐƠN VỊ", true, NULL, &err);

    worksheet_freeze_panes(ws, at.data_row, 2);
    template_print_setup(ws, &at);
    lxw_protection prot;
    memset(&prot, 0, sizeof prot);
    prot.format_columns = 1;
    prot.format_rows = 1;
    worksheet_protect(ws, NULL, &prot);
    template_form_free(&f);
    return err;
}

/* See template.h. */
dtbd_status template_write(const char *path, const struct config *cfg, const struct config_unit *unit, int year,
                   char *err, size_t errlen)
{
    lxw_workbook *wb = workbook_new(path);
    if (!wb) {
        snprintf(err, errlen, "không tạo được tệp biểu mẫu %s", path);
        return DTBD_ERR_WRITE;
    }
    template_styles st;
    lxw_error e = template_styles_init(wb, &st) == 0 ? LXW_NO_ERROR : LXW_ERROR_MEMORY_MALLOC_FAILED;
    char *head1 = NULL, *head2 = NULL;
    int heads = template_letterhead(cfg, unit, &head1, &head2);
    char title[512], subject[512], comments[512];
    snprintf(title, sizeof title, "Biểu mẫu báo cáo đào tạo, bồi dưỡng năm %d — %s", year, unit->name);
    snprintf(subject, sizeof subject, "Kế hoạch %s: %s", cfg->plan.id, cfg->plan.title ? cfg->plan.title : "");
    snprintf(comments, sizeof comments, "Biểu mẫu trắng do dtbd lập cho đơn vị %s (%s), năm %d.", unit->name,
             unit->code, year);
    char *s_title = template_safe_text(title), *s_subject = template_safe_text(subject),
         *s_comments = template_safe_text(comments);
    if (heads != 0 || !s_title || !s_subject || !s_comments) keep(&e, LXW_ERROR_MEMORY_MALLOC_FAILED);
    if (e == LXW_NO_ERROR) {
        lxw_doc_properties props;
        memset(&props, 0, sizeof props);
        props.title = s_title;
        props.subject = s_subject;
        props.author = (char *)"dtbd";
        props.comments = s_comments;
        keep(&e, workbook_set_properties(wb, &props));
        keep(&e, write_instructions(wb, &st, cfg, unit, year));
        for (size_t i = 0; i < cfg->n_tables && e == LXW_NO_ERROR; i++)
            if (config_table_reported_by(&cfg->tables[i], unit->kind))
                keep(&e, write_form_sheet(wb, &st, cfg, &cfg->tables[i], unit, year, head1, head2));
    }
    lxw_error ce = template_workbook_close(wb);   /* frees the workbook whatever happened */
    free(head1);
    free(head2);
    free(s_title);
    free(s_subject);
    free(s_comments);
    keep(&e, ce);
    if (e != LXW_NO_ERROR) {
        snprintf(err, errlen, "không ghi được biểu mẫu %s (%s)", path, lxw_strerror(e));
        return DTBD_ERR_WRITE;
    }
    return DTBD_OK;
}
