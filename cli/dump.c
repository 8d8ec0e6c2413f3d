/* cli/dump.c — `dtbd dump` (see dump.h). */
#include "cli/dump.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- private: the writer ---------------------------------------------------- */

/* All output goes through one buffer, written out in DUMP_BUF pieces: no
 * stdio call per cell. */
enum { DUMP_BUF = 1 << 16 };

typedef struct {
    FILE *out;
    size_t n;
    bool failed;            /* a write to out failed                               */
    char b[DUMP_BUF];
} dump_writer;

static void dw_flush(dump_writer *w)
{
    if (w->n && fwrite(w->b, 1, w->n, w->out) != w->n) w->failed = true;
    w->n = 0;
}

static void dw_put(dump_writer *w, const char *s, size_t n)
{
    if (n > DUMP_BUF - w->n) {
        dw_flush(w);
        if (n > DUMP_BUF) {
            if (fwrite(s, 1, n, w->out) != n) w->failed = true;
            return;
        }
    }
    memcpy(w->b + w->n, s, n);
    w->n += n;
}

static void dw_puts(dump_writer *w, const char *s) { dw_put(w, s, strlen(s)); }

static void dw_putc(dump_writer *w, char c)
{
    if (w->n == DUMP_BUF) dw_flush(w);
    w->b[w->n++] = c;
}

static void dw_printf(dump_writer *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void dw_printf(dump_writer *w, const char *fmt, ...)
{
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof tmp) {
        dw_put(w, tmp, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) { w->failed = true; return; }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    dw_put(w, big, (size_t)n);
    free(big);
}

/* ---- private: dump --------------------------------------------------------------- */

typedef struct {
    const dump_options *opt;
    dump_writer *w;
    bool selected;       /* the current sheet is printed                          */
    bool any_sheet;      /* a sheet matched --sheet                               */
    unsigned sheets;     /* sheets printed (JSON commas)                          */
    bool first_item;     /* first cell / merge of the current JSON array          */
    bool in_merges;      /* JSON: the cells array was closed, merges opened       */
    uint32_t digits_row; /* the row whose 1-based number is in digits             */
    char digits[12];     /* … as text (a cell's reference: the row is mostly the same) */
    size_t ndigits;
} dump_state;

/* Bytes the line format escapes: \t \n \r \\. */
static const unsigned char line_esc[256] = {['\t'] = 't', ['\n'] = 'n', ['\r'] = 'r', ['\\'] = '\\'};

/* Text escapes of the line format. Runs without a character to escape (the
 * common case) are written in one piece. */
static void put_escaped(dump_writer *w, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        while (i + 8 <= n) {   /* 8 bytes at a time: none below 0x0E and no '\\' */
            uint64_t x, b;
            const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
            memcpy(&x, u + i, 8);
            b = x ^ (0x5C * ones);
            if ((((x - 0x0E * ones) & ~x) | ((b - ones) & ~b)) & highs) break;
            i += 8;
        }
        if (i >= n) break;
        if (!line_esc[u[i]]) continue;
        dw_put(w, s + start, i - start);
        char esc[2] = {'\\', (char)line_esc[u[i]]};
        dw_put(w, esc, 2);
        start = i + 1;
    }
    dw_put(w, s + start, n - start);
}

/* A JSON string literal (input is valid UTF-8: only escapes are needed). */
static void put_json_string(dump_writer *w, const char *s, size_t n)
{
    dw_putc(w, '"');
    size_t start = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc;
        char u[8];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        default:
            if (c >= 0x20) continue;
            snprintf(u, sizeof u, "\\u%04x", c);
            esc = u;
        }
        dw_put(w, s + start, i - start);
        dw_puts(w, esc);
        start = i + 1;
    }
    dw_put(w, s + start, n - start);
    dw_putc(w, '"');
}

/* "A1"-style reference of (row, col) into out[16], as wb_cell_ref() writes
 * it, with the row's digits kept from the previous cell of the same row;
 * returns its length. */
static size_t cell_ref(dump_state *st, uint32_t row, uint32_t col, char out[16])
{
    if (row != st->digits_row || st->ndigits == 0) {
        char ref[16];
        wb_cell_ref(row, 0, ref);                      /* "A" + the row's digits */
        st->ndigits = strlen(ref + 1);
        memcpy(st->digits, ref + 1, st->ndigits);
        st->digits_row = row;
    }
    if (col >= 18278) {                                /* beyond ZZZ: the general way */
        wb_cell_ref(row, col, out);
        return strlen(out);
    }
    size_t k = 0;
    uint32_t c = col + 1;
    char letters[3];
    int n = 0;
    while (c > 0) {
        c--;
        letters[n++] = (char)('A' + c % 26);
        c /= 26;
    }
    while (n > 0) out[k++] = letters[--n];
    memcpy(out + k, st->digits, st->ndigits);
    k += st->ndigits;
    out[k] = '\0';
    return k;
}

/* Each type's name, in 8 bytes (the line format copies them whole). */
static const char type_names[][8] = {[WB_EMPTY] = "empty", [WB_NUMBER] = "number",
                                     [WB_TEXT] = "text",   [WB_BOOL] = "bool",
                                     [WB_DATE] = "date",   [WB_ERROR] = "error"};

static const char *type_name(wb_type t)
{
    return type_names[(unsigned)t < sizeof type_names / sizeof type_names[0] ? t : WB_EMPTY];
}

static bool sheet_matches(const char *want, const wb_sheet_info *s)
{
    if (!want) return true;
    char *end;
    long n = strtol(want, &end, 10);
    if (*want && *end == '\0' && n >= 1) return (unsigned long)n == (unsigned long)s->index + 1;
    return strcmp(want, s->name) == 0;
}

static int on_sheet_begin(void *ctx, const wb_sheet_info *s)
{
    dump_state *st = ctx;
    st->selected = sheet_matches(st->opt->sheet, s);
    if (!st->selected) return 1;
    st->any_sheet = true;
    if (st->opt->json) {
        dw_puts(st->w, st->sheets ? ",\n  {\"name\":" : "\n  {\"name\":");
        put_json_string(st->w, s->name, strlen(s->name));
        dw_printf(st->w, ",\"index\":%u,\"hidden\":%s,\n   \"cells\":[", s->index,
                  s->hidden ? "true" : "false");
        st->first_item = true;
        st->in_merges = false;
    } else {
        dw_puts(st->w, "# sheet ");
        put_escaped(st->w, s->name, strlen(s->name));
        dw_puts(st->w, s->hidden ? " hidden\n" : "\n");
    }
    st->sheets++;
    return 0;
}

static void value_str(const wb_cell *c, char tmp[32], const char **s, size_t *n)
{
    switch (c->type) {
    case WB_NUMBER:
        wb_number_str(c->num, tmp);
        *s = tmp;
        *n = tmp[1] == '\0' ? 1 : strlen(tmp);
        return;
    case WB_BOOL: *s = c->num != 0 ? "TRUE" : "FALSE"; *n = strlen(*s); return;
    case WB_DATE: wb_date_iso(c->num, tmp); *s = tmp; *n = strlen(tmp); return;
    case WB_TEXT:
    case WB_ERROR: *s = c->text ? c->text : ""; *n = c->text ? c->len : 0; return;
    case WB_EMPTY: break;
    }
    *s = "";
    *n = 0;
}

/* One cell of the JSON format. */
static void json_cell(dump_state *st, const wb_cell *c, const char *ref, const char *tmp,
                      const char *v, size_t n)
{
    dw_printf(st->w, "%s\n    {\"ref\":\"%s\",\"row\":%u,\"col\":%u,\"type\":\"%s\",\"value\":",
              st->first_item ? "" : ",", ref, c->row, c->col, type_name(c->type));
    if (c->type == WB_NUMBER && strchr(tmp, 'n') == NULL && strchr(tmp, 'I') == NULL)
        dw_puts(st->w, tmp);
    else if (c->type == WB_BOOL) dw_puts(st->w, c->num != 0 ? "true" : "false");
    else put_json_string(st->w, v, n);
    if (c->font) {
        dw_puts(st->w, ",\"font\":");
        put_json_string(st->w, c->font, strlen(c->font));
    }
    dw_putc(st->w, '}');
    st->first_item = false;
}

static int on_cell(void *ctx, const wb_cell *c)
{
    dump_state *st = ctx;
    if (!st->selected || c->type == WB_EMPTY) return 0;
    if (c->type == WB_TEXT && c->len == 0) return 0;   /* an empty string is empty */
    char ref[16], tmp[32];
    size_t rl = cell_ref(st, c->row, c->col, ref);
    const char *v;
    size_t n;
    value_str(c, tmp, &v, &n);
    if (st->opt->json) {
        json_cell(st, c, ref, tmp, v, n);
        return 0;
    }
    /* "A1<TAB>type<TAB>" written straight into the buffer: this line is
     * dump's hot path */
    const char *tn = type_name(c->type);   /* empty cells are not printed: a table entry */
    size_t tl = strlen(tn);
    dump_writer *w = st->w;
    if (DUMP_BUF - w->n < 64) dw_flush(w);   /* room for the head, a number and '\n' */
    char *o = w->b + w->n;
    memcpy(o, ref, 16);                      /* ref[16]: the bytes past rl are overwritten */
    o += rl;
    *o++ = '\t';
    memcpy(o, tn, 8);                        /* type_names' entries are 8 bytes */
    o += tl;
    *o++ = '\t';
    if (c->type == WB_TEXT || c->type == WB_ERROR) {
        w->n = (size_t)(o - w->b);
        put_escaped(w, v, n);
        dw_putc(w, '\n');
        return 0;
    }
    memcpy(o, v, n);                         /* a number, date or boolean: < 32 bytes, */
    o += n;                                  /* nothing to escape                      */
    *o++ = '\n';
    w->n = (size_t)(o - w->b);
    return 0;
}

static void json_open_merges(dump_state *st)
{
    if (st->in_merges) return;
    dw_puts(st->w, "],\n   \"merges\":[");
    st->in_merges = true;
    st->first_item = true;
}

static int on_merge(void *ctx, const wb_range *r)
{
    dump_state *st = ctx;
    if (!st->selected) return 0;
    char a[16], b[16];
    wb_cell_ref(r->r1, r->c1, a);
    wb_cell_ref(r->r2, r->c2, b);
    if (st->opt->json) {
        json_open_merges(st);
        dw_printf(st->w, "%s\"%s:%s\"", st->first_item ? "" : ",", a, b);
        st->first_item = false;
    } else {
        dw_printf(st->w, "# merge %s:%s\n", a, b);
    }
    return 0;
}

static int on_sheet_end(void *ctx, const wb_sheet_info *s)
{
    (void)s;
    dump_state *st = ctx;
    if (!st->selected) return 0;
    if (st->opt->json) {
        json_open_merges(st);
        dw_puts(st->w, "]}");
    }
    return st->w->failed ? -1 : 0;
}

/* ---- public ------------------------------------------------------------------- */

dtbd_status dump_file(const char *path, const dump_options *opt, FILE *out, wb_error *err)
{
    dump_writer *w = malloc(sizeof *w);
    if (!w) {
        wb_error_set(err, DTBD_ERR_NOMEM, NULL);
        return err->status;
    }
    w->out = out;
    w->n = 0;
    w->failed = false;
    dump_state st = {.opt = opt, .w = w};
    wb_sink sink = {&st, on_sheet_begin, on_cell, on_merge, on_sheet_end};
    if (opt->json) {
        dw_puts(w, "{\"file\":");
        put_json_string(w, path, strlen(path));
        dw_puts(w, ",\"sheets\":[");
    }
    dtbd_status rc = wb_read(path, NULL, &sink, err);
    if (opt->json) dw_printf(w, "\n ],\"format\":\"%s\"}\n", wb_format_name(err->format));
    dw_flush(w);
    bool failed = w->failed;
    free(w);
    if (rc == DTBD_OK && opt->sheet && !st.any_sheet) {
        wb_error_set(err, DTBD_ERR_FORMAT, "không có trang tính \"%s\"", opt->sheet);
        rc = err->status;
    }
    if (rc == DTBD_OK && (failed || fflush(out) != 0 || ferror(out))) {
        wb_error_set(err, DTBD_ERR_IO, "không ghi được kết quả");
        rc = err->status;
    }
    return rc;
}
