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
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>
#include <zlib.h>

#include "base/num.h"
#include "output/xlsxpatch_private.h"
#include "output/zipout.h"

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

void xp_set_why(char *why, size_t whylen, const char *what, const char *detail)
{
    if (why && whylen) snprintf(why, whylen, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

static bool read_part(xlsxpatch *x, zip_t *za, dtbd_status *st, char *why, size_t whylen)
{
    zip_stat_t zs;
    zip_stat_init(&zs);
    if (zip_stat(za, x->part_name, 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE) || zs.size > XP_PART_MAX) {
        *st = DTBD_ERR_FORMAT;
        xp_set_why(why, whylen, "no such worksheet part (or too large)", x->part_name);
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
        xp_set_why(why, whylen, "cannot read the part back", x->part_name);
        return false;
    }
    x->part[x->len] = '\0';
    if (memchr(x->part, '\0', x->len) || !parse_rows(x)) {
        *st = DTBD_ERR_FORMAT;
        xp_set_why(why, whylen, "the part is not a worksheet as libxlsxwriter writes it", x->part_name);
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
        xp_set_why(why, whylen, "cannot open the package", zip_error_strerror(&ze));
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
    size_t i = xp_held_from(x, row);
    return i < x->nrows && x->rows[i].row == row ? &x->rows[i] : NULL;
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

/* ==== the new part =============================================================== */

/* Index of the first held row numbered row or more. */
size_t xp_held_from(const xlsxpatch *x, uint32_t row)
{
    size_t lo = 0, hi = x->nrows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (x->rows[mid].row < row) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* See xlsxpatch_private.h. */
void xp_block_span(const xlsxpatch *x, uint32_t row, uint32_t ncols, uint32_t *lo, uint32_t *hi)
{
    uint32_t b0 = row / 16 * 16;
    *lo = 1;
    *hi = ncols;
    for (size_t i = xp_held_from(x, b0); i < x->nrows && x->rows[i].row < b0 + 16; i++) {
        const xp_row *r = &x->rows[i];
        if (r->span_lo && r->span_lo < *lo) *lo = r->span_lo;
        if (r->span_hi > *hi) *hi = r->span_hi;
    }
}


/* See xlsxpatch_private.h. */
void xp_row_open(buf *out, uint32_t row, uint32_t lo, uint32_t hi)
{
    if (!buf_reserve(out, 64)) return;
    char *p = out->data + out->len;
    memcpy(p, "<row r=\"", 8);
    p += 8;
    p += num_uint_text((uint64_t)row + 1, p);
    memcpy(p, "\" spans=\"", 9);
    p += 9;
    p += num_uint_text(lo, p);
    *p++ = ':';
    p += num_uint_text(hi, p);
    memcpy(p, "\">", 2);
    p += 2;
    out->len = (size_t)(p - out->data);
    out->data[out->len] = '\0';
}

void xp_put_held(const xlsxpatch *x, const xp_row *r, buf *out)
{
    buf_append(out, x->part + r->start, r->end - r->start);
}

/* See xlsxpatch_private.h. */
bool xp_deflate(const buf *text, bool last, unsigned char **z, size_t *zcap, size_t *zlen)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (text->len > UINT32_MAX / 2 || deflateInit2(&zs, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return false;
    size_t need = deflateBound(&zs, (uLong)text->len) + 64;
    if (!buf_grow_array((void **)z, zcap, need, 1)) {
        deflateEnd(&zs);
        return false;
    }
    zs.next_in = (Bytef *)(text->data ? text->data : "");
    zs.avail_in = (uInt)text->len;
    zs.next_out = *z;
    zs.avail_out = (uInt)*zcap;
    int rc = deflate(&zs, last ? Z_FINISH : Z_SYNC_FLUSH);
    bool ok = last ? rc == Z_STREAM_END : rc == Z_OK && zs.avail_in == 0;
    *zlen = *zcap - zs.avail_out;
    deflateEnd(&zs);
    return ok;
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

/* The new package into fd: every entry of za copied, the part's data from fn. */
static dtbd_status write_package(const xlsxpatch *x, zip_t *za, zip_int64_t idx, int fd, xp_part_fn fn, void *ctx)
{
    zipout *zo = zipout_new(fd);
    if (!zo) return DTBD_ERR_NOMEM;
    zip_int64_t n = zip_get_num_entries(za, 0);
    dtbd_status st = DTBD_OK;
    for (zip_int64_t i = 0; i < n && st == DTBD_OK; i++) {
        if (i != idx) {
            st = zipout_copy(zo, za, (zip_uint64_t)i);
            continue;
        }
        st = zipout_begin(zo, x->part_name, za, (zip_uint64_t)i);
        if (st == DTBD_OK) st = fn(ctx, zo);
        if (st == DTBD_OK) st = zipout_end(zo);
    }
    if (st != DTBD_OK) {
        zipout_abort(zo);
        return st;
    }
    return zipout_finish(zo);
}

/* A temporary beside path, with path's permissions; its name into tmp. */
static int temp_beside(const char *path, char *tmp, size_t n)
{
    int k = snprintf(tmp, n, "%s.XXXXXX", path);
    if (k < 0 || (size_t)k >= n) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = mkstemp(tmp);
    struct stat st;
    if (fd >= 0 && stat(path, &st) == 0) (void)fchmod(fd, st.st_mode & 0777);
    return fd;
}

/* See xlsxpatch_private.h. */
dtbd_status xp_rewrite(const xlsxpatch *x, xp_part_fn fn, void *ctx, char *why, size_t whylen)
{
    int code = 0;
    zip_t *za = zip_open(x->path, ZIP_RDONLY, &code);
    zip_int64_t idx = za ? zip_name_locate(za, x->part_name, 0) : -1;
    if (idx < 0) {
        if (za) zip_discard(za);
        xp_set_why(why, whylen, "cannot reopen the package", x->path);
        return za ? DTBD_ERR_FORMAT : DTBD_ERR_IO;
    }
    char tmp[4096];
    int fd = temp_beside(x->path, tmp, sizeof tmp);
    dtbd_status st = fd < 0 ? DTBD_ERR_WRITE : write_package(x, za, idx, fd, fn, ctx);
    int e = errno;
    if (fd >= 0 && close(fd) != 0 && st == DTBD_OK) {
        e = errno;
        st = DTBD_ERR_WRITE;
    }
    if (st == DTBD_OK && rename(tmp, x->path) != 0) {
        e = errno;
        st = DTBD_ERR_WRITE;
    }
    if (st != DTBD_OK && fd >= 0) unlink(tmp);
    if (st != DTBD_OK) xp_set_why(why, whylen, "cannot write the package", dtbd_strerror(st));
    zip_discard(za);
    errno = e;
    return st;
}

/* Does the part hold row? (xp_held_fn) */
static bool part_holds(const void *ctx, uint32_t row)
{
    const xlsxpatch *x = ctx;
    return find_row(x, row) != NULL;
}

/* See xlsxpatch.h: the rows made now, the part known (xlsxpatch_pre.c). */
dtbd_status xlsxpatch_fill(xlsxpatch *x, uint32_t first, uint32_t last, uint32_t ncols, xlsxpatch_row_fn fn,
                           void *ctx, char *why, size_t whylen)
{
    if (!range_ok(x, first, last, ncols)) {
        xp_set_why(why, whylen, "rows to fill do not fit the part", x->part_name);
        return DTBD_ERR_FORMAT;
    }
    xp_pre_spec spec = {first, last, ncols, 0, fn, ctx, part_holds, x, x};
    xlsxpatch_pre *pre = xp_pre_begin(&spec);
    if (!pre) {
        xp_set_why(why, whylen, "no memory or thread to make the rows", NULL);
        return DTBD_ERR_NOMEM;
    }
    return xlsxpatch_pre_finish(pre, x, why, whylen);
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
