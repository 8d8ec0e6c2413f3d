/* input/biff.c — BIFF8/BIFF5 record walker and CONTINUE-aware string
 * readers (see biff.h). */
#include "input/biff.h"

#include <string.h>

#include "base/text.h"

/* ---- private ---------------------------------------------------------------- */

/* Move the cursor into the next record when it is a CONTINUE. */
static bool next_segment(biff_cursor *c)
{
    if (c->next > c->size || c->size - c->next < 4) return false;
    const unsigned char *h = c->data + c->next;
    uint16_t type = biff_u16(h), len = biff_u16(h + 2);
    if (type != BIFF_CONTINUE || len > BIFF_MAX_RECORD || c->size - c->next - 4 < len)
        return false;
    c->p = h + 4;
    c->left = len;
    c->next += 4 + (size_t)len;
    return true;
}

/* ---- public ------------------------------------------------------------------ */

uint16_t biff_u16(const unsigned char *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

uint32_t biff_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

double biff_f64(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 7; i >= 0; i--) u = (u << 8) | p[i];
    double d;
    memcpy(&d, &u, sizeof d);
    return d;
}

double biff_rk(uint32_t rk)
{
    double v;
    if (rk & 0x02) {
        int32_t i = (int32_t)rk;
        v = (double)(i >> 2); /* arithmetic shift keeps the sign (gcc/clang) */
    } else {
        uint64_t u = (uint64_t)(rk & 0xFFFFFFFCu) << 32;
        memcpy(&v, &u, sizeof v);
    }
    if (rk & 0x01) v /= 100.0;
    return v;
}

void biff_reader_init(biff_reader *r, const unsigned char *data, size_t size, size_t pos)
{
    r->data = data;
    r->size = size;
    r->pos = pos;
}

int biff_next(biff_reader *r, biff_record *rec)
{
    if (r->pos >= r->size) return 0;
    if (r->size - r->pos < 4) return -1;
    const unsigned char *h = r->data + r->pos;
    rec->type = biff_u16(h);
    rec->len = biff_u16(h + 2);
    if (rec->len > BIFF_MAX_RECORD || r->size - r->pos - 4 < rec->len) return -1;
    rec->off = r->pos;
    rec->body = h + 4;
    r->pos += 4 + (size_t)rec->len;
    return 1;
}

void biff_cursor_init(biff_cursor *c, const biff_reader *r, const biff_record *rec, size_t skip)
{
    c->data = r->data;
    c->size = r->size;
    if (skip > rec->len) skip = rec->len;
    c->p = rec->body + skip;
    c->left = rec->len - skip;
    c->next = rec->off + 4 + rec->len;
}

bool biff_cursor_at_end(const biff_cursor *c)
{
    if (c->left > 0) return false;
    biff_cursor probe = *c;
    while (probe.left == 0)
        if (!next_segment(&probe)) return true;
    return false;
}

bool biff_cursor_read(biff_cursor *c, void *out, size_t n)
{
    unsigned char *o = out;
    while (n > 0) {
        if (c->left == 0 && !next_segment(c)) return false;
        size_t k = n < c->left ? n : c->left;
        memcpy(o, c->p, k);
        o += k;
        c->p += k;
        c->left -= k;
        n -= k;
    }
    return true;
}

bool biff_cursor_skip(biff_cursor *c, size_t n)
{
    while (n > 0) {
        if (c->left == 0 && !next_segment(c)) return false;
        size_t k = n < c->left ? n : c->left;
        c->p += k;
        c->left -= k;
        n -= k;
    }
    return true;
}

bool biff_cursor_bytes(biff_cursor *c, unsigned cch_bytes, buf *raw)
{
    unsigned char hdr[2] = {0, 0};
    if (!biff_cursor_read(c, hdr, cch_bytes == 1 ? 1 : 2)) return false;
    size_t cch = cch_bytes == 1 ? hdr[0] : biff_u16(hdr);
    buf_clear(raw);
    if (!buf_reserve(raw, cch + 1)) return false;
    if (!biff_cursor_read(c, raw->data, cch)) return false;
    raw->len = cch;
    raw->data[cch] = '\0';
    return true;
}

bool biff_cursor_string(biff_cursor *c, unsigned cch_bytes, bool rich_ext, buf *u16, buf *out,
                        size_t max_bytes, bool *too_long)
{
    unsigned char hdr[2] = {0, 0};
    *too_long = false;
    if (!biff_cursor_read(c, hdr, cch_bytes == 1 ? 1 : 2)) return false;
    size_t cch = cch_bytes == 1 ? hdr[0] : biff_u16(hdr);
    unsigned char flags;
    if (!biff_cursor_read(c, &flags, 1)) return false;
    size_t runs = 0, ext = 0;
    if (rich_ext && (flags & 0x08)) {
        unsigned char b[2];
        if (!biff_cursor_read(c, b, 2)) return false;
        runs = biff_u16(b);
    }
    if (rich_ext && (flags & 0x04)) {
        unsigned char b[4];
        if (!biff_cursor_read(c, b, 4)) return false;
        ext = biff_u32(b);
    }
    bool high = flags & 0x01;
    /* Gather the UTF-16 units first: a CONTINUE may split the string (even a
     * surrogate pair), and each CONTINUE restates the high-byte flag. */
    buf_clear(u16);
    if (!buf_reserve(u16, cch * 2)) return false;
    size_t done = 0;
    while (done < cch) {
        if (c->left == 0) {
            if (!next_segment(c) || c->left < 1) return false;
            flags = c->p[0];
            c->p++;
            c->left--;
            high = flags & 0x01;
            if (c->left == 0) continue;
        }
        size_t width = high ? 2 : 1;
        size_t fit = c->left / width;
        if (fit == 0) return false; /* half a UTF-16 unit: damaged */
        size_t k = cch - done < fit ? cch - done : fit;
        for (size_t i = 0; i < k; i++) {
            unsigned char unit[2] = {c->p[i * width], high ? c->p[i * width + 1] : 0};
            buf_append(u16, unit, 2);
        }
        c->p += k * width;
        c->left -= k * width;
        done += k;
    }
    if (u16->oom) return false;
    size_t before = out->len;
    if ((cch > 0 && !text_utf16le_to_utf8((const unsigned char *)u16->data, cch, out)) || out->oom)
        return false;
    if (out->len - before > max_bytes) {
        *too_long = true;
        return false;
    }
    /* rich-text runs (4 bytes each) and the phonetic block: not needed */
    if (runs && !biff_cursor_skip(c, runs * 4)) return false;
    if (ext && !biff_cursor_skip(c, ext)) return false;
    return true;
}
