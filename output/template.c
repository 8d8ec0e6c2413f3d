/*
 * output/template.c — the report form: layout from the config, writing it with
 * libxlsxwriter, and the safe-string helpers every workbook uses. The blank
 * form of `dtbd template` is output/template_blank.c. See template.h for the
 * contract.
 */
#include "output/template.h"
#include "output/template_private.h"

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
