/*
 * output/zipout.c — see zipout.h.
 */
#include "output/zipout.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "base/buf.h"

#define ZO_MAX_32 0xFFFFFFFFull
#define ZO_MAX_ENTRIES 65535u
#define ZO_COPY_CHUNK (1u << 16)

typedef struct {
    char *name;
    uint16_t method, dostime, dosdate;
    uint32_t crc;
    uint64_t csize, usize, offset;
} zo_entry;

struct zipout {
    int fd;
    uint64_t at;             /* bytes written so far                         */
    zo_entry *e;
    size_t n, cap;
    dtbd_status st;
    bool open_entry;         /* between begin and end                       */
    unsigned char *copybuf;
};

zipout *zipout_new(int fd)
{
    zipout *z = calloc(1, sizeof *z);
    if (!z) return NULL;
    z->fd = fd;
    return z;
}

static dtbd_status fail(zipout *z, dtbd_status st)
{
    if (z->st == DTBD_OK) z->st = st;
    return z->st;
}

static dtbd_status put(zipout *z, const void *p, size_t n)
{
    const unsigned char *b = p;
    while (n > 0 && z->st == DTBD_OK) {
        ssize_t w = write(z->fd, b, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return fail(z, DTBD_ERR_WRITE);
        b += w;
        n -= (size_t)w;
        z->at += (uint64_t)w;
    }
    return z->st;
}

static void le16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint64_t v)
{
    le16(p, (uint32_t)(v & 0xFFFF));
    le16(p + 2, (uint32_t)((v >> 16) & 0xFFFF));
}

/* MS-DOS time and date of t (local time, as libzip reads them back). */
static void dos_time(time_t t, uint16_t *dt, uint16_t *dd)
{
    struct tm tm;
    if (!localtime_r(&t, &tm) || tm.tm_year < 80) {
        *dt = 0;
        *dd = (1 << 5) | 1;   /* 1980-01-01 */
        return;
    }
    *dt = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    *dd = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
}

/* The 26 bytes the local header and the central directory share, from
 * "version needed" to "extra field length". */
static void entry_fields(unsigned char *p, const zo_entry *e, size_t name_len)
{
    le16(p, 20);                      /* version needed: deflate             */
    le16(p + 2, 0);                   /* flags                               */
    le16(p + 4, e->method);
    le16(p + 6, e->dostime);
    le16(p + 8, e->dosdate);
    le32(p + 10, e->crc);
    le32(p + 14, e->csize);
    le32(p + 18, e->usize);
    le16(p + 22, (uint32_t)name_len);
    le16(p + 24, 0);                  /* no extra field                      */
}

static dtbd_status local_header(zipout *z, const zo_entry *e)
{
    unsigned char h[30];
    size_t nl = strlen(e->name);
    le32(h, 0x04034b50);
    entry_fields(h + 4, e, nl);
    put(z, h, sizeof h);
    return put(z, e->name, nl);
}

/* A new entry record for name at the current offset. */
static zo_entry *add_entry(zipout *z, const char *name, zip_t *za, zip_uint64_t like)
{
    if (z->n >= ZO_MAX_ENTRIES || strlen(name) > 0xFFFF) {
        fail(z, DTBD_ERR_LIMIT);
        return NULL;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, like, 0, &st) != 0) {
        fail(z, DTBD_ERR_IO);
        return NULL;
    }
    if (!buf_grow_array((void **)&z->e, &z->cap, z->n + 1, sizeof *z->e)) {
        fail(z, DTBD_ERR_NOMEM);
        return NULL;
    }
    zo_entry *e = &z->e[z->n];
    memset(e, 0, sizeof *e);
    if (!(e->name = strdup(name))) {
        fail(z, DTBD_ERR_NOMEM);
        return NULL;
    }
    z->n++;
    e->offset = z->at;
    dos_time((st.valid & ZIP_STAT_MTIME) ? st.mtime : 0, &e->dostime, &e->dosdate);
    e->method = (st.valid & ZIP_STAT_COMP_METHOD) ? (uint16_t)st.comp_method : ZIP_CM_DEFLATE;
    e->crc = st.crc;
    e->csize = st.comp_size;
    e->usize = st.size;
    return e;
}

/* See zipout.h. */
dtbd_status zipout_copy(zipout *z, zip_t *za, zip_uint64_t index)
{
    if (z->st != DTBD_OK) return z->st;
    const char *name = zip_get_name(za, index, ZIP_FL_ENC_RAW);
    zo_entry *e = name ? add_entry(z, name, za, index) : NULL;
    if (!e) return fail(z, DTBD_ERR_IO);
    if (e->csize > ZO_MAX_32 || e->usize > ZO_MAX_32 || z->at > ZO_MAX_32) return fail(z, DTBD_ERR_LIMIT);
    if (!z->copybuf && !(z->copybuf = malloc(ZO_COPY_CHUNK))) return fail(z, DTBD_ERR_NOMEM);
    zip_file_t *zf = zip_fopen_index(za, index, ZIP_FL_COMPRESSED);
    if (!zf) return fail(z, DTBD_ERR_IO);
    local_header(z, e);
    uint64_t copied = 0;
    while (z->st == DTBD_OK) {
        zip_int64_t r = zip_fread(zf, z->copybuf, ZO_COPY_CHUNK);
        if (r < 0) fail(z, DTBD_ERR_IO);
        if (r <= 0) break;
        put(z, z->copybuf, (size_t)r);
        copied += (uint64_t)r;
    }
    zip_fclose(zf);
    if (z->st == DTBD_OK && copied != e->csize) fail(z, DTBD_ERR_IO);
    return z->st;
}

/* See zipout.h. */
dtbd_status zipout_begin(zipout *z, const char *name, zip_t *za, zip_uint64_t like)
{
    if (z->st != DTBD_OK) return z->st;
    zo_entry *e = add_entry(z, name, za, like);
    if (!e) return z->st;
    e->method = ZIP_CM_DEFLATE;
    e->crc = 0;
    e->csize = e->usize = 0;
    z->open_entry = true;
    return local_header(z, e);   /* CRC and sizes written again at the end */
}

/* See zipout.h. */
dtbd_status zipout_data(zipout *z, const void *deflated, size_t n, uint32_t crc, uint64_t text_len)
{
    if (z->st != DTBD_OK) return z->st;
    zo_entry *e = &z->e[z->n - 1];
    e->crc = (uint32_t)crc32_combine(e->crc, crc, (z_off_t)text_len);
    e->csize += n;
    e->usize += text_len;
    if (e->csize > ZO_MAX_32 || e->usize > ZO_MAX_32) return fail(z, DTBD_ERR_LIMIT);
    return put(z, deflated, n);
}

/* See zipout.h. */
dtbd_status zipout_end(zipout *z)
{
    if (z->st != DTBD_OK || !z->open_entry) return z->st;
    z->open_entry = false;
    const zo_entry *e = &z->e[z->n - 1];
    unsigned char h[12];
    le32(h, e->crc);
    le32(h + 4, e->csize);
    le32(h + 8, e->usize);
    off_t at = (off_t)e->offset + 14;
    for (size_t done = 0; done < sizeof h;) {
        ssize_t w = pwrite(z->fd, h + done, sizeof h - done, at + (off_t)done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return fail(z, DTBD_ERR_WRITE);
        done += (size_t)w;
    }
    return z->st;
}

static void free_zipout(zipout *z)
{
    for (size_t i = 0; i < z->n; i++) free(z->e[i].name);
    free(z->e);
    free(z->copybuf);
    free(z);
}

/* See zipout.h. */
dtbd_status zipout_finish(zipout *z)
{
    if (z->open_entry) fail(z, DTBD_ERR_WRITE);
    uint64_t cd_start = z->at;
    for (size_t i = 0; i < z->n && z->st == DTBD_OK; i++) {
        const zo_entry *e = &z->e[i];
        unsigned char h[46];
        size_t nl = strlen(e->name);
        memset(h, 0, sizeof h);
        le32(h, 0x02014b50);
        le16(h + 4, (3u << 8) | 20);      /* made by: UNIX, 2.0              */
        entry_fields(h + 6, e, nl);       /* comment, disk, internal: 0      */
        le32(h + 38, 0100644u << 16);     /* external: a regular file, 0644  */
        le32(h + 42, e->offset);
        put(z, h, sizeof h);
        put(z, e->name, nl);
    }
    uint64_t cd_size = z->at - cd_start;
    if (z->st == DTBD_OK && (cd_start > ZO_MAX_32 || cd_size > ZO_MAX_32)) fail(z, DTBD_ERR_LIMIT);
    unsigned char end[22];
    memset(end, 0, sizeof end);
    le32(end, 0x06054b50);
    le16(end + 8, (uint32_t)z->n);
    le16(end + 10, (uint32_t)z->n);
    le32(end + 12, cd_size);
    le32(end + 16, cd_start);
    put(z, end, sizeof end);
    dtbd_status st = z->st;
    free_zipout(z);
    return st;
}

/* See zipout.h. */
void zipout_abort(zipout *z)
{
    if (z) free_zipout(z);
}
