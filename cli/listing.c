/* cli/listing.c — `dtbd units` and `dtbd indicators` tables (see listing.h). */
#include "cli/listing.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

/* ---- aligned tables --------------------------------------------------------- */

/* Width of UTF-8 text in code points (continuation bytes do not count). */
static size_t text_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

/* Print rows (ncol strings each, the header first) with columns padded to
 * their widest cell; the last column is not padded (no trailing spaces). */
static int print_table(FILE *out, const char *const *cells, size_t nrows, size_t ncol)
{
    size_t *width = calloc(ncol, sizeof *width);
    if (!width) return -1;
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < ncol; c++) {
            size_t w = text_width(cells[r * ncol + c]);
            if (w > width[c]) width[c] = w;
        }
    for (size_t r = 0; r < nrows; r++) {
        for (size_t c = 0; c < ncol; c++) {
            const char *s = cells[r * ncol + c];
            fputs(s, out);
            if (c + 1 == ncol) break;
            for (size_t pad = width[c] - text_width(s) + 2; pad; pad--) fputc(' ', out);
        }
        fputc('\n', out);
    }
    free(width);
    return ferror(out) ? -1 : 0;
}

/* Strings for cells are kept in one buf, NUL-separated; offsets are
 * turned into pointers once the buf stops growing. */
struct cellbuf {
    buf text;
    size_t *off;
    size_t n, cap;
};

/* Append one cell. */
static void cell(struct cellbuf *cb, const char *s)
{
    if (!buf_grow_array((void **)&cb->off, &cb->cap, cb->n + 1, sizeof *cb->off)) { cb->text.oom = true; return; }
    cb->off[cb->n++] = cb->text.len;
    buf_puts(&cb->text, s);
    buf_putc(&cb->text, '\0');
}

/* Append one short formatted cell (numbers, kinds: never near 128 bytes). */
__attribute__((format(printf, 2, 3)))
static void cellf(struct cellbuf *cb, const char *fmt, ...)
{
    char tmp[128];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    (void)k;
    cell(cb, tmp);
}

/* Print the collected cells as a table of ncol columns and release them. */
static int flush_cells(struct cellbuf *cb, FILE *out, size_t ncol)
{
    int rc = -1;
    const char **cells = cb->text.oom ? NULL : calloc(cb->n ? cb->n : 1, sizeof *cells);
    if (cells) {
        for (size_t i = 0; i < cb->n; i++) cells[i] = cb->text.data + cb->off[i];
        rc = print_table(out, cells, cb->n / ncol, ncol);
    }
    free(cells);
    free(cb->off);
    buf_free(&cb->text);
    return rc;
}

/* ---- the listings ----------------------------------------------------------- */

int config_list_units(const struct config *cfg, FILE *out)
{
    struct cellbuf cb = {BUF_INIT, NULL, 0, 0};
    cell(&cb, "MÃ"); cell(&cb, "LOẠI"); cell(&cb, "TỪ NGÀY"); cell(&cb, "ĐẾN NGÀY");
    cell(&cb, "KẾ THỪA"); cell(&cb, "TÊN CHÍNH THỨC");
    for (size_t i = 0; i < cfg->n_units; i++) {
        const struct config_unit *u = &cfg->units[i];
        char from[11], to[11];
        config_date_format(u->valid_from, from);
        config_date_format(u->valid_to, to);
        cell(&cb, u->code);
        cell(&cb, config_unit_kind_name(u->kind));
        cell(&cb, from[0] ? from : "-");
        cell(&cb, to[0] ? to : "-");
        cell(&cb, u->successor ? u->successor->code : "-");
        cell(&cb, u->name);
    }
    return flush_cells(&cb, out, 6);
}

/* "metric" or "metric.breakdown" when not the metric's default breakdown. */
static void put_ref(buf *b, const struct config_metric_ref *r)
{
    buf_puts(b, r->metric->code);
    if (r->breakdown != r->metric->breakdowns[0]) buf_printf(b, ".%s", r->breakdown->code);
}

int config_list_indicators(const struct config *cfg, FILE *out)
{
    struct cellbuf cb = {BUF_INIT, NULL, 0, 0};
    cell(&cb, "MÃ"); cell(&cb, "NHÓM"); cell(&cb, "LOẠI"); cell(&cb, "MỤC TIÊU");
    cell(&cb, "TỪ NĂM"); cell(&cb, "HẠN"); cell(&cb, "MỤC"); cell(&cb, "CÔNG THỨC");
    cell(&cb, "NỘI DUNG");
    for (size_t i = 0; i < cfg->n_indicators; i++) {
        const struct config_indicator *ind = &cfg->indicators[i];
        buf f = BUF_INIT;
        if (ind->n_numerator > 1) buf_putc(&f, '(');
        for (size_t k = 0; k < ind->n_numerator; k++) {
            if (k) buf_puts(&f, " + ");
            put_ref(&f, &ind->numerator[k]);
        }
        if (ind->n_numerator > 1) buf_putc(&f, ')');
        buf_puts(&f, " / ");
        put_ref(&f, &ind->denominator);
        cell(&cb, ind->id);
        cell(&cb, ind->group->code);
        if (ind->kind == CONFIG_ROLLING)
            cellf(&cb, "%s %d năm%s", config_indicator_kind_name(ind->kind), ind->window,
                 ind->aspirational ? " (phấn đấu)" : "");
        else
            cellf(&cb, "%s%s", config_indicator_kind_name(ind->kind),
                 ind->aspirational ? " (phấn đấu)" : "");
        cellf(&cb, "%g%%", ind->target * 100);
        cellf(&cb, "%d", ind->first_year);
        if (ind->deadline) cellf(&cb, "%d", ind->deadline); else cell(&cb, "-");
        cell(&cb, ind->clause);
        cell(&cb, f.oom ? "?" : buf_str(&f));
        cell(&cb, ind->wording);
        buf_free(&f);
    }
    return flush_cells(&cb, out, 9);
}
