/*
 * output/xlsxpatch.c — see xlsxpatch.h.
 *
 * The part is libxlsxwriter's own output, so its shape is known: one
 * <sheetData> with <row r="N" spans="a:b"> elements in row order, each cell
 * <c r="A1" s="N" …>. Anything else is refused (DTBD_ERR_FORMAT) and the
 * caller writes the sheet the slow way.
 */
#include "output/xlsxpatch.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* The part is a header row and a handful of rows: far below this. */
#define XP_PART_MAX (64u << 20)

typedef struct {
    uint32_t row;          /* 0-based                                       */
    size_t start, end;     /* the row's bytes in the part: [start, end)     */
    uint32_t span_lo, span_hi;   /* 1-based columns; 0 when no spans        */
} xp_row;

struct xlsxpatch {
    char *path;
    char *part_name;
    char *part;            /* the part's bytes, NUL-terminated              */
    size_t len;
    size_t data_start;     /* just after <sheetData>                        */
    size_t data_end;       /* at </sheetData>                               */
    xp_row *rows;
    size_t nrows, caprows;
};

/* ==== reading the part ============================================================== */

/* The value of attribute `name` inside the tag [tag, tag_end); NULL when absent. */
static const char *attr(const char *tag, const char *tag_end, const char *name, size_t *len)
{
    size_t n = strlen(name);
    for (const char *p = tag; p + n + 2 < tag_end; p++) {
        if (p[-1] != ' ' || memcmp(p, name, n) != 0 || p[n] != '=' || p[n + 1] != '"') continue;
        const char *v = p + n + 2;
        const char *q = memchr(v, '"', (size_t)(tag_end - v));
        if (!q) return NULL;
        *len = (size_t)(q - v);
        return v;
    }
    return NULL;
}

static bool parse_uint(const char *s, size_t n, uint32_t *out)
{
    if (n == 0 || n > 9) return false;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

/* One <row …> element starting at p; false when it is not as libxlsxwriter writes it. */
static bool parse_row(xlsxpatch *x, const char *p, xp_row *r)
{
    const char *base = x->part;
    const char *tag_end = strchr(p, '>');
    if (!tag_end) return false;
    size_t n;
    const char *v = attr(p + 1, tag_end, "r", &n);
    uint32_t num;
    if (!v || !parse_uint(v, n, &num) || num == 0) return false;
    r->row = num - 1;
    r->start = (size_t)(p - base);
    r->span_lo = r->span_hi = 0;
    const char *sp = attr(p + 1, tag_end, "spans", &n);
    if (sp) {
        const char *colon = memchr(sp, ':', n);
        if (!colon || !parse_uint(sp, (size_t)(colon - sp), &r->span_lo) ||
            !parse_uint(colon + 1, n - (size_t)(colon - sp) - 1, &r->span_hi))
            return false;
    }
    if (tag_end[-1] == '/') {
        r->end = (size_t)(tag_end + 1 - base);
        return true;
    }
    const char *close = strstr(tag_end, "</row>");
    if (!close || (size_t)(close - base) > x->data_end) return false;
    r->end = (size_t)(close + 6 - base);
    return true;
}

static bool parse_rows(xlsxpatch *x)
{
    const char *sd = strstr(x->part, "<sheetData>");
    const char *se = sd ? strstr(sd, "</sheetData>") : NULL;
    if (!sd || !se) return false;
    x->data_start = (size_t)(sd - x->part) + strlen("<sheetData>");
    x->data_end = (size_t)(se - x->part);
    size_t at = x->data_start;
    while (at < x->data_end) {
        if (strncmp(x->part + at, "<row ", 5) != 0) return false;
        if (!buf_grow_array((void **)&x->rows, &x->caprows, x->nrows + 1, sizeof *x->rows)) return false;
        xp_row *r = &x->rows[x->nrows];
        if (!parse_row(x, x->part + at, r)) return false;
        if (x->nrows && r->row <= x->rows[x->nrows - 1].row) return false;
        x->nrows++;
        at = r->end;
    }
    return at == x->data_end;
}

static void set_why(char *why, size_t whylen, const char *what, const char *detail)
{
    if (why && whylen) snprintf(why, whylen, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

static bool read_part(xlsxpatch *x, zip_t *za, dtbd_status *st, char *why, size_t whylen)
{
    zip_stat_t zs;
    zip_stat_init(&zs);
    if (zip_stat(za, x->part_name, 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE) || zs.size > XP_PART_MAX) {
        *st = DTBD_ERR_FORMAT;
        set_why(why, whylen, "no such worksheet part (or too large)", x->part_name);
        return false;
    }
    x->len = (size_t)zs.size;
    x->part = malloc(x->len + 1);
    zip_file_t *zf = x->part ? zip_fopen(za, x->part_name, 0) : NULL;
    zip_int64_t got = zf ? zip_fread(zf, x->part, zs.size) : -1;
    if (zf) zip_fclose(zf);
    if (!x->part) {
        *st = DTBD_ERR_NOMEM;
        return false;
    }
    if (got < 0 || (zip_uint64_t)got != zs.size) {
        *st = DTBD_ERR_IO;
        set_why(why, whylen, "cannot read the part back", x->part_name);
        return false;
    }
    x->part[x->len] = '\0';
    if (memchr(x->part, '\0', x->len) || !parse_rows(x)) {
        *st = DTBD_ERR_FORMAT;
        set_why(why, whylen, "the part is not a worksheet as libxlsxwriter writes it", x->part_name);
        return false;
    }
    return true;
}

/* See xlsxpatch.h. */
xlsxpatch *xlsxpatch_open(const char *path, const char *part, dtbd_status *st, char *why, size_t whylen)
{
    xlsxpatch *x = calloc(1, sizeof *x);
    if (!x || !(x->path = strdup(path)) || !(x->part_name = strdup(part))) {
        xlsxpatch_close(x);
        *st = DTBD_ERR_NOMEM;
        return NULL;
    }
    int code = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &code);
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        set_why(why, whylen, "cannot open the package", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        *st = DTBD_ERR_IO;
        xlsxpatch_close(x);
        return NULL;
    }
    bool ok = read_part(x, za, st, why, whylen);
    zip_discard(za);
    if (!ok) {
        xlsxpatch_close(x);
        return NULL;
    }
    *st = DTBD_OK;
    return x;
}

/* The row the part holds with number row, or NULL. */
static const xp_row *find_row(const xlsxpatch *x, uint32_t row)
{
    size_t lo = 0, hi = x->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->rows[mid].row < row) lo = mid + 1;
        else hi = mid;
    }
    return lo < x->nrows && x->rows[lo].row == row ? &x->rows[lo] : NULL;
}

/* "A1"-style reference of row, col (0-based) into out (16 bytes). */
static void cell_ref(uint32_t row, uint32_t col, char *out)
{
    char letters[8];
    int n = 0;
    for (uint32_t c = col + 1; c > 0 && n < 7; c = (c - 1) / 26) letters[n++] = (char)('A' + (c - 1) % 26);
    int k = 0;
    while (n > 0) out[k++] = letters[--n];
    snprintf(out + k, 16 - (size_t)k, "%u", row + 1);
}

/* See xlsxpatch.h. */
int xlsxpatch_style(const xlsxpatch *x, uint32_t row, uint32_t col)
{
    const xp_row *r = find_row(x, row);
    if (!r) return -1;
    char ref[16], pat[32];
    cell_ref(row, col, ref);
    int n = snprintf(pat, sizeof pat, "<c r=\"%s\"", ref);
    const char *end = x->part + r->end;
    for (const char *p = x->part + r->start; p && p < end; p = strstr(p + 1, pat)) {
        if (strncmp(p, pat, (size_t)n) != 0 || (p[n] != ' ' && p[n] != '>' && p[n] != '/')) continue;
        const char *tag_end = strchr(p, '>');
        size_t vl;
        const char *v = tag_end ? attr(p + 1, tag_end, "s", &vl) : NULL;
        uint32_t s;
        if (!v) return 0;
        return parse_uint(v, vl, &s) && s < 65536 ? (int)s : -1;
    }
    return -1;
}

/* ==== streaming the new part ======================================================== */

typedef struct {
    const xlsxpatch *x;
    uint32_t first, last, ncols;
    xlsxpatch_row_fn fn;
    void *ctx;
    int phase;             /* 0 head, 1 rows, 2 tail, 3 done                */
    size_t next_held;      /* index of the next held row to copy            */
    uint32_t next;         /* next row number to emit in phase 1            */
    int32_t block;         /* the block of 16 rows `span` is for            */
    uint32_t span_lo, span_hi;
    buf out;               /* produced, not yet handed to libzip            */
    size_t pos;
    bool refused;
    zip_error_t err;
} xp_stream;

/* The spans of the block of row: the generated rows' 1..ncols joined with the
 * spans of the rows the part holds in that block (libxlsxwriter's rule: one
 * span per 16 rows). */
static void block_span(xp_stream *s, uint32_t row)
{
    int32_t b = (int32_t)(row / 16);
    if (b == s->block) return;
    s->block = b;
    s->span_lo = 1;
    s->span_hi = s->ncols;
    for (size_t i = 0; i < s->x->nrows; i++) {
        const xp_row *r = &s->x->rows[i];
        if ((int32_t)(r->row / 16) != b || r->span_lo == 0) continue;
        if (r->span_lo < s->span_lo) s->span_lo = r->span_lo;
        if (r->span_hi > s->span_hi) s->span_hi = r->span_hi;
    }
}

/* Produce the next piece into s->out; false when there is nothing more. */
static bool produce(xp_stream *s)
{
    const xlsxpatch *x = s->x;
    if (s->phase == 0) {
        buf_append(&s->out, x->part, x->data_start);
        s->phase = 1;
        return true;
    }
    if (s->phase == 1) {
        /* a batch of rows: held rows copied, missing ones generated */
        for (int k = 0; k < 64; k++) {
            const xp_row *held = s->next_held < x->nrows ? &x->rows[s->next_held] : NULL;
            if (held && (s->next > s->last || held->row <= s->next)) {
                buf_append(&s->out, x->part + held->start, held->end - held->start);
                if (held->row == s->next) s->next++;
                s->next_held++;
            } else if (s->next <= s->last) {
                block_span(s, s->next);
                buf_printf(&s->out, "<row r=\"%u\" spans=\"%u:%u\">", s->next + 1, s->span_lo, s->span_hi);
                if (!s->fn(s->ctx, s->next, &s->out)) {
                    s->refused = true;
                    return false;
                }
                buf_puts(&s->out, "</row>");
                s->next++;
            } else {
                s->phase = 2;
                return true;
            }
        }
        return true;
    }
    if (s->phase == 2) {
        buf_append(&s->out, x->part + x->data_end, x->len - x->data_end);
        s->phase = 3;
        return true;
    }
    return false;
}

static zip_int64_t stream_read(xp_stream *s, void *data, zip_uint64_t len)
{
    zip_uint64_t done = 0;
    while (done < len) {
        if (s->pos == s->out.len) {
            buf_clear(&s->out);
            s->pos = 0;
            if (!produce(s)) break;
            if (s->out.oom) {
                zip_error_set(&s->err, ZIP_ER_MEMORY, 0);
                return -1;
            }
            continue;
        }
        size_t n = s->out.len - s->pos;
        if (n > len - done) n = (size_t)(len - done);
        memcpy((char *)data + done, s->out.data + s->pos, n);
        s->pos += n;
        done += n;
    }
    if (s->refused) {
        zip_error_set(&s->err, ZIP_ER_INTERNAL, 0);
        return -1;
    }
    return (zip_int64_t)done;
}

static zip_int64_t stream_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
    xp_stream *s = ud;
    switch (cmd) {
    case ZIP_SOURCE_OPEN:
        s->phase = 0;
        s->next_held = 0;
        s->next = s->first;
        s->block = -1;
        s->pos = 0;
        buf_clear(&s->out);
        return 0;
    case ZIP_SOURCE_READ:
        return stream_read(s, data, len);
    case ZIP_SOURCE_CLOSE:
    case ZIP_SOURCE_FREE:
        return 0;
    case ZIP_SOURCE_STAT: {
        if (len < sizeof(zip_stat_t)) return -1;
        zip_stat_init((zip_stat_t *)data);   /* size unknown: streamed */
        return sizeof(zip_stat_t);
    }
    case ZIP_SOURCE_ERROR:
        return zip_error_to_data(&s->err, data, len);
    case ZIP_SOURCE_SUPPORTS:
        return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE, ZIP_SOURCE_STAT,
                                              ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
    default:
        zip_error_set(&s->err, ZIP_ER_OPNOTSUPP, 0);
        return -1;
    }
}

/* Every held row inside first..last must be one the caller wrote on purpose;
 * the rows before first and after last are copied as they are. */
static bool range_ok(const xlsxpatch *x, uint32_t first, uint32_t last, uint32_t ncols)
{
    if (first > last || ncols == 0 || ncols > 16384) return false;
    for (size_t i = 0; i < x->nrows; i++)
        if (x->rows[i].row >= first && x->rows[i].row <= last && x->rows[i].span_lo == 0) return false;
    return true;
}

/* See xlsxpatch.h. */
dtbd_status xlsxpatch_fill(xlsxpatch *x, uint32_t first, uint32_t last, uint32_t ncols, xlsxpatch_row_fn fn,
                           void *ctx, char *why, size_t whylen)
{
    if (!range_ok(x, first, last, ncols)) {
        set_why(why, whylen, "rows to fill do not fit the part", x->part_name);
        return DTBD_ERR_FORMAT;
    }
    int code = 0;
    zip_t *za = zip_open(x->path, 0, &code);
    if (!za) {
        set_why(why, whylen, "cannot reopen the package", x->path);
        return DTBD_ERR_IO;
    }
    xp_stream s = {.x = x, .first = first, .last = last, .ncols = ncols, .fn = fn, .ctx = ctx, .block = -1};
    zip_error_init(&s.err);
    zip_stat_t zs;
    zip_stat_init(&zs);
    zip_int64_t idx = zip_name_locate(za, x->part_name, 0);
    zip_source_t *src = idx >= 0 && zip_stat_index(za, (zip_uint64_t)idx, 0, &zs) == 0
                            ? zip_source_function(za, stream_cb, &s) : NULL;
    /* deleted and added again, not replaced: libzip 1.7 deflates a replaced
     * entry at level 9 whatever level it is given (the part then comes last
     * in the archive, which no reader minds) */
    zip_int64_t added = src && zip_delete(za, (zip_uint64_t)idx) == 0 ? zip_file_add(za, x->part_name, src, 0) : -1;
    dtbd_status st = DTBD_OK;
    if (added < 0) {
        if (src) zip_source_free(src);
        set_why(why, whylen, "cannot replace the part", zip_strerror(za));
        st = DTBD_ERR_FORMAT;
    } else if (zip_set_file_compression(za, (zip_uint64_t)added, ZIP_CM_DEFLATE, 1) != 0 ||
               ((zs.valid & ZIP_STAT_MTIME) && zip_file_set_mtime(za, (zip_uint64_t)added, zs.mtime, 0) != 0)) {
        set_why(why, whylen, "cannot set the part's compression", zip_strerror(za));
        st = DTBD_ERR_FORMAT;
    } else {
        errno = 0;
        if (zip_close(za) == 0) za = NULL;
        else if (s.refused) st = DTBD_ERR_FORMAT;
        else st = s.out.oom ? DTBD_ERR_NOMEM : DTBD_ERR_WRITE;
        if (za) set_why(why, whylen, "cannot write the package", zip_strerror(za));
    }
    int e = errno;
    if (za) zip_discard(za);   /* the package stays as it was */
    buf_free(&s.out);
    zip_error_fini(&s.err);
    errno = e;
    return st;
}

void xlsxpatch_close(xlsxpatch *x)
{
    if (!x) return;
    free(x->path);
    free(x->part_name);
    free(x->part);
    free(x->rows);
    free(x);
}
