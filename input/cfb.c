/* input/cfb.c — OLE2 compound file reader (see cfb.h). Everything read from
 * the file is distrusted: sector numbers are range-checked, chains are walked
 * with a visited bitmap so a loop is an error, not a hang. */
#include "input/cfb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- private ---------------------------------------------------------------- */

enum {
    SECT_MAXREG = 0xFFFFFFFAu, /* larger numbers are markers, not sectors      */
    SECT_DIFAT = 0xFFFFFFFCu,
    SECT_FAT = 0xFFFFFFFDu,
    SECT_END = 0xFFFFFFFEu,
    SECT_FREE = 0xFFFFFFFFu,
    NOSTREAM = 0xFFFFFFFFu,
    MINI_SECTOR = 64
};

static const unsigned char MAGIC[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* Little-endian 16-bit read. */
static uint16_t rd16(const unsigned char *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

/* Little-endian 32-bit read. */
static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

/* Record the reason of a failure and return st. */
static dtbd_status fail(cfb_file *cf, dtbd_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static dtbd_status fail(cfb_file *cf, dtbd_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cf->why, sizeof cf->why, fmt, ap);
    va_end(ap);
    return st;
}

/* Pointer to sector sec and the bytes of it present in the image (the last
 * sector of a file may be short), or NULL when it lies outside the image. */
static const unsigned char *sector(const cfb_file *cf, uint32_t sec, size_t *avail)
{
    if (sec >= cf->nsectors) return NULL;
    uint64_t off = ((uint64_t)sec + 1) * cf->sector_size;
    if (off >= cf->img_size) return NULL;
    uint64_t left = cf->img_size - off;
    *avail = left < cf->sector_size ? (size_t)left : cf->sector_size;
    return cf->img + off;
}

/* A bitmap of n bits for loop detection; NULL on out of memory. */
static unsigned char *bitmap_new(uint64_t n)
{
    return calloc((size_t)(n / 8 + 1), 1);
}

/* Set bit i; returns true when it was already set (a loop). */
static bool bitmap_seen(unsigned char *bm, uint32_t i)
{
    unsigned char m = (unsigned char)(1u << (i & 7));
    if (bm[i >> 3] & m) return true;
    bm[i >> 3] |= m;
    return false;
}

/* Follow a chain of regular sectors from start, copying size bytes (or, when
 * size is UINT64_MAX, everything up to the end of the chain) into a malloc'ed
 * buffer. Sectors outside the FAT or image, loops and short chains fail. */
static dtbd_status read_chain(cfb_file *cf, uint32_t start, uint64_t size, const char *what,
                             unsigned char **out, size_t *outlen)
{
    *out = NULL;
    *outlen = 0;
    bool to_end = size == UINT64_MAX;
    uint64_t cap = (uint64_t)cf->nsectors * cf->sector_size;
    if (!to_end && size > cap)
        return fail(cf, DTBD_ERR_CORRUPT, "%s dài %llu byte, lớn hơn cả tệp", what,
                    (unsigned long long)size);
    uint64_t want = size;
    if (to_end) {
        /* count the chain first, so the copy is sized by it, not by the file */
        unsigned char *seen0 = bitmap_new(cf->nsectors);
        if (!seen0) return fail(cf, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
        uint64_t count = 0;
        for (uint32_t s = start; s != SECT_END; s = cf->fat[s]) {
            if (s > SECT_MAXREG || s >= cf->nfat || s >= cf->nsectors) {
                free(seen0);
                return fail(cf, DTBD_ERR_CORRUPT, "%s: chuỗi sector bị đứt (tệp không đầy đủ?)",
                            what);
            }
            if (bitmap_seen(seen0, s)) {
                free(seen0);
                return fail(cf, DTBD_ERR_CORRUPT, "%s: chuỗi sector lặp vòng", what);
            }
            count++;
        }
        free(seen0);
        want = count * cf->sector_size;
    }
    unsigned char *data = malloc(want ? (size_t)want : 1);
    unsigned char *seen = bitmap_new(cf->nsectors);
    if (!data || !seen) {
        free(data);
        free(seen);
        return fail(cf, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    }
    uint64_t got = 0;
    uint32_t sec = start;
    dtbd_status st = DTBD_OK;
    while (got < want) {
        if (sec > SECT_MAXREG || sec >= cf->nfat || sec >= cf->nsectors) {
            st = fail(cf, DTBD_ERR_CORRUPT, "%s: chuỗi sector bị đứt (tệp không đầy đủ?)", what);
            break;
        }
        if (bitmap_seen(seen, sec)) {
            st = fail(cf, DTBD_ERR_CORRUPT, "%s: chuỗi sector lặp vòng", what);
            break;
        }
        size_t avail = 0;
        const unsigned char *p = sector(cf, sec, &avail);
        uint64_t need = want - got < cf->sector_size ? want - got : cf->sector_size;
        if (!p || avail < need) {
            st = fail(cf, DTBD_ERR_CORRUPT, "%s nằm ngoài tệp (tệp bị cắt cụt?)", what);
            break;
        }
        memcpy(data + got, p, (size_t)need);
        got += need;
        sec = cf->fat[sec];
    }
    free(seen);
    if (st != DTBD_OK) {
        free(data);
        return st;
    }
    *out = data;
    *outlen = (size_t)got;
    return DTBD_OK;
}

/* Build the FAT from the header's DIFAT array and the DIFAT sector chain. */
static dtbd_status load_fat(cfb_file *cf)
{
    const unsigned char *h = cf->img;
    uint32_t nfatsec = rd32(h + 0x2C);
    uint32_t difat_start = rd32(h + 0x44);
    uint32_t ndifat = rd32(h + 0x48);
    uint32_t per = cf->sector_size / 4;
    if (nfatsec == 0 || nfatsec > cf->nsectors)
        return fail(cf, DTBD_ERR_CORRUPT, "số sector FAT không hợp lệ (%u)", nfatsec);
    if (ndifat > cf->nsectors)
        return fail(cf, DTBD_ERR_CORRUPT, "số sector DIFAT không hợp lệ (%u)", ndifat);
    cf->nfat = nfatsec * per;
    cf->fat = malloc((size_t)cf->nfat * sizeof *cf->fat);
    unsigned char *seen = bitmap_new(cf->nsectors);
    if (!cf->fat || !seen) {
        free(seen);
        return fail(cf, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    }
    uint32_t filled = 0;
    dtbd_status st = DTBD_OK;
    /* The FAT sector numbers: 109 in the header, then in DIFAT sectors. */
    const unsigned char *list = h + 0x4C;
    uint32_t list_n = 109;
    uint32_t difat_sec = difat_start;
    uint32_t difat_done = 0;
    while (filled < nfatsec && st == DTBD_OK) {
        for (uint32_t i = 0; i < list_n && filled < nfatsec; i++) {
            uint32_t fs = rd32(list + 4 * i);
            size_t avail = 0;
            const unsigned char *p = fs <= SECT_MAXREG ? sector(cf, fs, &avail) : NULL;
            if (!p || avail < cf->sector_size) {
                st = fail(cf, DTBD_ERR_CORRUPT, "bảng FAT nằm ngoài tệp (tệp bị cắt cụt?)");
                break;
            }
            for (uint32_t k = 0; k < per; k++) cf->fat[filled * per + k] = rd32(p + 4 * k);
            filled++;
        }
        if (st != DTBD_OK || filled >= nfatsec) break;
        /* next DIFAT sector */
        size_t avail = 0;
        const unsigned char *p =
            difat_done < ndifat && difat_sec <= SECT_MAXREG ? sector(cf, difat_sec, &avail) : NULL;
        if (!p || avail < cf->sector_size) {
            st = fail(cf, DTBD_ERR_CORRUPT, "danh sách DIFAT bị đứt (tệp không đầy đủ?)");
            break;
        }
        if (bitmap_seen(seen, difat_sec)) {
            st = fail(cf, DTBD_ERR_CORRUPT, "chuỗi DIFAT lặp vòng");
            break;
        }
        difat_done++;
        list = p;
        list_n = per - 1;
        difat_sec = rd32(p + 4 * (per - 1));
    }
    free(seen);
    return st;
}

/* Decode the directory entries of the directory stream. */
static dtbd_status load_dir(cfb_file *cf, uint32_t start)
{
    unsigned char *d = NULL;
    size_t n = 0;
    dtbd_status st = read_chain(cf, start, UINT64_MAX, "thư mục", &d, &n);
    if (st != DTBD_OK) return st;
    cf->ndir = (uint32_t)(n / 128);
    if (cf->ndir == 0) {
        free(d);
        return fail(cf, DTBD_ERR_CORRUPT, "thư mục rỗng");
    }
    cf->dir = calloc(cf->ndir, sizeof *cf->dir);
    if (!cf->dir) {
        free(d);
        return fail(cf, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    }
    bool v3 = cf->sector_size == 512;
    for (uint32_t i = 0; i < cf->ndir; i++) {
        const unsigned char *e = d + (size_t)i * 128;
        cfb_entry *de = &cf->dir[i];
        unsigned namelen = rd16(e + 0x40);
        if (namelen > 64) namelen = 64;
        unsigned units = namelen / 2;
        if (units > 0) units--; /* the terminating NUL */
        for (unsigned k = 0; k < units && k < sizeof de->name - 1; k++) {
            uint16_t u = rd16(e + 2 * k);
            de->name[k] = (u >= 0x20 && u < 0x7F) ? (char)u : '?';
        }
        de->type = e[0x42];
        de->left = rd32(e + 0x44);
        de->right = rd32(e + 0x48);
        de->child = rd32(e + 0x4C);
        de->start = rd32(e + 0x74);
        /* version 3 files may hold garbage in the high half of the size */
        de->size = v3 ? rd32(e + 0x78) : (uint64_t)rd32(e + 0x78) | ((uint64_t)rd32(e + 0x7C) << 32);
    }
    free(d);
    if (cf->dir[0].type != 5) return fail(cf, DTBD_ERR_CORRUPT, "thiếu mục gốc (Root Entry)");
    return DTBD_OK;
}

/* Load the mini FAT (its sector count in the header is only a hint). */
static dtbd_status load_minifat(cfb_file *cf)
{
    uint32_t start = rd32(cf->img + 0x3C);
    if (start == SECT_END || start == SECT_FREE) return DTBD_OK;
    unsigned char *d = NULL;
    size_t n = 0;
    dtbd_status st = read_chain(cf, start, UINT64_MAX, "bảng mini FAT", &d, &n);
    if (st != DTBD_OK) return st;
    cf->nminifat = (uint32_t)(n / 4);
    cf->minifat = malloc((size_t)cf->nminifat * 4 + 4);
    if (!cf->minifat) {
        free(d);
        return fail(cf, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    }
    for (uint32_t i = 0; i < cf->nminifat; i++) cf->minifat[i] = rd32(d + 4 * (size_t)i);
    free(d);
    return DTBD_OK;
}

/* Copy a stream stored in the mini stream. */
static dtbd_status read_mini(cfb_file *cf, const cfb_entry *e, unsigned char **out, size_t *outlen)
{
    if (!cf->ministream_loaded) {
        dtbd_status st = read_chain(cf, cf->dir[0].start, cf->dir[0].size, "mini stream",
                                   &cf->ministream, &cf->ministream_size);
        if (st != DTBD_OK) return st;
        cf->ministream_loaded = true;
    }
    uint64_t nmini = cf->ministream_size / MINI_SECTOR;
    if (e->size > cf->ministream_size)
        return fail(cf, DTBD_ERR_CORRUPT, "luồng %s lớn hơn mini stream", e->name);
    unsigned char *data = malloc(e->size ? (size_t)e->size : 1);
    unsigned char *seen = bitmap_new(nmini);
    if (!data || !seen) {
        free(data);
        free(seen);
        return fail(cf, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    }
    uint64_t got = 0;
    uint32_t sec = e->start;
    dtbd_status st = DTBD_OK;
    while (got < e->size) {
        if (sec >= nmini || sec >= cf->nminifat) {
            st = fail(cf, DTBD_ERR_CORRUPT, "luồng %s: chuỗi mini sector bị đứt", e->name);
            break;
        }
        if (bitmap_seen(seen, sec)) {
            st = fail(cf, DTBD_ERR_CORRUPT, "luồng %s: chuỗi mini sector lặp vòng", e->name);
            break;
        }
        uint64_t need = e->size - got < MINI_SECTOR ? e->size - got : MINI_SECTOR;
        memcpy(data + got, cf->ministream + (size_t)sec * MINI_SECTOR, (size_t)need);
        got += need;
        sec = cf->minifat[sec];
    }
    free(seen);
    if (st != DTBD_OK) {
        free(data);
        return st;
    }
    *out = data;
    *outlen = (size_t)e->size;
    return DTBD_OK;
}

/* ASCII case-insensitive equality. */
static bool name_eq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z') x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = (char)(y - 'A' + 'a');
        if (x != y) return false;
    }
    return *a == *b;
}

/* ---- public ------------------------------------------------------------------ */

bool cfb_is_ole2(const unsigned char *img, size_t size)
{
    return size >= 8 && memcmp(img, MAGIC, 8) == 0;
}

dtbd_status cfb_open(cfb_file *cf, const unsigned char *img, size_t size)
{
    memset(cf, 0, sizeof *cf);
    cf->img = img;
    cf->img_size = size;
    if (size < 512 || !cfb_is_ole2(img, size))
        return fail(cf, DTBD_ERR_CORRUPT, "phần đầu tệp OLE2 không đầy đủ");
    uint16_t major = rd16(img + 0x1A), order = rd16(img + 0x1C), shift = rd16(img + 0x1E);
    if (order != 0xFFFE) return fail(cf, DTBD_ERR_CORRUPT, "thứ tự byte OLE2 không hợp lệ");
    if (!((major == 3 && shift == 9) || (major == 4 && shift == 12)))
        return fail(cf, DTBD_ERR_CORRUPT, "phiên bản OLE2 không hợp lệ (%u, sector 2^%u)",
                    major, shift);
    cf->sector_size = 1u << shift;
    cf->mini_cutoff = rd32(img + 0x38);
    if (cf->mini_cutoff != 4096)
        return fail(cf, DTBD_ERR_CORRUPT, "ngưỡng mini stream không hợp lệ (%u)", cf->mini_cutoff);
    if (size <= cf->sector_size) return fail(cf, DTBD_ERR_CORRUPT, "tệp OLE2 không có dữ liệu");
    uint64_t ns = (size - cf->sector_size + cf->sector_size - 1) / cf->sector_size;
    cf->nsectors = ns > SECT_MAXREG ? SECT_MAXREG : (uint32_t)ns;
    dtbd_status st = load_fat(cf);
    if (st == DTBD_OK) st = load_dir(cf, rd32(img + 0x30));
    if (st == DTBD_OK) st = load_minifat(cf);
    if (st != DTBD_OK) {
        char why[sizeof cf->why];
        memcpy(why, cf->why, sizeof why);
        cfb_close(cf);
        memcpy(cf->why, why, sizeof why);
    }
    return st;
}

void cfb_close(cfb_file *cf)
{
    free(cf->fat);
    free(cf->minifat);
    free(cf->dir);
    free(cf->ministream);
    const unsigned char *img = cf->img;
    size_t n = cf->img_size;
    memset(cf, 0, sizeof *cf);
    cf->img = img;
    cf->img_size = n;
}

int cfb_find(const cfb_file *cf, const char *name)
{
    if (!cf->dir || cf->ndir == 0) return -1;
    /* The root's children form a tree through left/right siblings: walk it
     * with an explicit stack, each entry at most once. */
    uint32_t *stack = malloc((size_t)cf->ndir * sizeof *stack);
    unsigned char *seen = bitmap_new(cf->ndir);
    int found = -1;
    if (!stack || !seen) goto out;
    size_t sp = 0;
    if (cf->dir[0].child < cf->ndir) stack[sp++] = cf->dir[0].child;
    while (sp > 0 && found < 0) {
        uint32_t i = stack[--sp];
        if (bitmap_seen(seen, i)) continue;
        const cfb_entry *e = &cf->dir[i];
        if (e->type == 2 && name_eq(e->name, name)) found = (int)i;
        if (e->left < cf->ndir && sp < cf->ndir) stack[sp++] = e->left;
        if (e->right < cf->ndir && sp < cf->ndir) stack[sp++] = e->right;
    }
out:
    free(stack);
    free(seen);
    return found;
}

dtbd_status cfb_read(cfb_file *cf, int idx, uint64_t max, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    if (idx < 0 || (uint32_t)idx >= cf->ndir || cf->dir[idx].type != 2)
        return fail(cf, DTBD_ERR_CORRUPT, "mục thư mục không phải luồng dữ liệu");
    const cfb_entry *e = &cf->dir[idx];
    if (e->size > max)
        return fail(cf, DTBD_ERR_LIMIT, "luồng %s dài %llu byte, giới hạn %llu", e->name,
                    (unsigned long long)e->size, (unsigned long long)max);
    if (e->size < cf->mini_cutoff) return read_mini(cf, e, out, len);
    return read_chain(cf, e->start, e->size, e->name, out, len);
}

/* ---- writing ------------------------------------------------------------------------ */

enum { W_SECT = 512, W_PER_FAT = W_SECT / 4, W_HEADER_DIFAT = 109, W_PER_DIFAT = W_PER_FAT - 1,
       W_CUTOFF = 4096 };

static void wr16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void wr32(unsigned char *p, uint32_t v)
{
    wr16(p, v & 0xFFFF);
    wr16(p + 2, v >> 16);
}

/* Directory entry e: name (ASCII), type, child, first sector and size; no
 * siblings, black. */
static void wr_entry(unsigned char *e, const char *name, uint8_t type, uint32_t child, uint32_t start,
                     uint32_t size)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < n; i++) wr16(e + 2 * i, (unsigned char)name[i]);
    wr16(e + 64, (uint32_t)(2 * (n + 1)));
    e[66] = type;
    e[67] = 1;
    wr32(e + 68, NOSTREAM);
    wr32(e + 72, NOSTREAM);
    wr32(e + 76, child);
    wr32(e + 116, start);
    wr32(e + 120, size);
}

unsigned char *cfb_single_head(const char *name, size_t len, size_t *head_len, size_t *total)
{
    if (len > 0x7FFFFFFFu || strlen(name) > 31) return NULL;
    size_t slen = len < W_CUTOFF ? W_CUTOFF : len;
    uint32_t nd = (uint32_t)((slen + W_SECT - 1) / W_SECT);
    /* the FAT covers itself, the DIFAT, the directory and the data */
    uint32_t nfat = 1, ndif = 0;
    for (;;) {
        uint32_t f = (nd + 1 + nfat + ndif + W_PER_FAT - 1) / W_PER_FAT;
        uint32_t d = f > W_HEADER_DIFAT ? (f - W_HEADER_DIFAT + W_PER_DIFAT - 1) / W_PER_DIFAT : 0;
        if (f == nfat && d == ndif) break;
        nfat = f;
        ndif = d;
    }
    uint32_t dir = nfat + ndif, data = dir + 1;
    size_t hlen = (size_t)W_SECT * (1 + data);
    unsigned char *h = malloc(hlen);
    if (!h) return NULL;
    memset(h, 0, hlen);
    static const unsigned char magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memcpy(h, magic, sizeof magic);
    wr16(h + 24, 0x003E);
    wr16(h + 26, 0x0003);
    wr16(h + 28, 0xFFFE);
    wr16(h + 30, 9);
    wr16(h + 32, 6);
    wr32(h + 44, nfat);
    wr32(h + 48, dir);
    wr32(h + 56, W_CUTOFF);
    wr32(h + 60, SECT_END);                        /* no mini FAT */
    wr32(h + 68, ndif ? nfat : SECT_END);
    wr32(h + 72, ndif);
    for (uint32_t i = 0; i < W_HEADER_DIFAT; i++) wr32(h + 76 + 4 * i, i < nfat ? i : SECT_FREE);
    unsigned char *sec = h + W_SECT;               /* sector 0 */
    for (uint32_t k = 0; k < ndif; k++) {          /* DIFAT sector nfat + k */
        unsigned char *p = sec + (size_t)W_SECT * (nfat + k);
        for (uint32_t i = 0; i < W_PER_DIFAT; i++) {
            uint32_t f = W_HEADER_DIFAT + k * W_PER_DIFAT + i;
            wr32(p + 4 * i, f < nfat ? f : SECT_FREE);
        }
        wr32(p + 4 * W_PER_DIFAT, k + 1 < ndif ? nfat + k + 1 : SECT_END);
    }
    for (uint32_t i = 0; i < nfat * W_PER_FAT; i++) {
        uint32_t v = i < nfat ? SECT_FAT : i < dir ? SECT_DIFAT : i == dir ? SECT_END
                   : i < data + nd ? (i + 1 < data + nd ? i + 1 : SECT_END) : SECT_FREE;
        wr32(sec + 4 * (size_t)i, v);
    }
    unsigned char *d = sec + (size_t)W_SECT * dir;
    wr_entry(d, "Root Entry", 5, 1, SECT_END, 0);
    wr_entry(d + 128, name, 2, NOSTREAM, data, (uint32_t)slen);
    for (int i = 2; i < 4; i++) {
        wr32(d + 128 * i + 68, NOSTREAM);
        wr32(d + 128 * i + 72, NOSTREAM);
        wr32(d + 128 * i + 76, NOSTREAM);
    }
    *head_len = hlen;
    *total = hlen + (size_t)W_SECT * nd;
    return h;
}
