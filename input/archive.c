/* input/archive.c — the members of a zip archive (see archive.h). */
#include "input/archive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "base/buf.h"
#include "base/text.h"

enum { ARC_CHUNK = 64 * 1024 };

/* ---- names ----------------------------------------------------------------------- */

/* Is the entry archiver metadata rather than a member: a directory entry, or
 * anything inside a "__MACOSX" folder? */
static bool is_metadata(const char *raw)
{
    size_t n = strlen(raw);
    if (n == 0 || raw[n - 1] == '/' || raw[n - 1] == '\\') return true;
    for (const char *p = raw; (p = strstr(p, "__MACOSX")) != NULL; p += 8) {
        bool starts = p == raw || p[-1] == '/' || p[-1] == '\\';
        bool ends = p[8] == '/' || p[8] == '\\';
        if (starts && ends) return true;
    }
    return false;
}

/* An absolute name, a drive letter or a ".." component: would climb out of
 * any folder it were extracted to (it never is). */
static bool is_unsafe(const char *label)
{
    if (label[0] == '/') return true;
    if (((label[0] >= 'A' && label[0] <= 'Z') || (label[0] >= 'a' && label[0] <= 'z')) &&
        label[1] == ':')
        return true;
    for (const char *p = label; *p;) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == 2 && p[0] == '.' && p[1] == '.') return true;
        if (!e) break;
        p = e + 1;
    }
    return false;
}

/* The label of an entry (see archive.h) into out. flagged: the zip's UTF-8
 * flag is set. False only on out of memory. */
static bool make_label(const char *raw, bool flagged, buf *out, bool *repaired)
{
    size_t n = strlen(raw);
    buf dec = BUF_INIT;
    bool ok;
    *repaired = false;
    if (text_is_ascii(raw, n) || flagged || text_utf8_valid(raw, n)) {
        ok = text_to_nfc(raw, n, &dec);
        *repaired = !text_utf8_valid(raw, n);
    } else {
        ok = text_cp1258_to_utf8(raw, n, &dec);
        *repaired = true;
    }
    if (!ok || dec.oom) {
        buf_free(&dec);
        return false;
    }
    for (size_t i = 0; i < dec.len; i++) {
        unsigned char c = (unsigned char)dec.data[i];
        if (c == '\\') buf_putc(out, '/');
        else if (c < 0x20 || c == 0x7F) text_put_codepoint(out, 0xFFFD);
        else buf_putc(out, (char)c);
    }
    if (out->len == 0) buf_puts(out, "(không tên)");
    buf_free(&dec);
    return !out->oom;
}

static int cmp_member(const void *a, const void *b)
{
    return strcmp(((const arc_member *)a)->label, ((const arc_member *)b)->label);
}

/* ---- listing ------------------------------------------------------------------------ */

/* Why libzip could not open the zip, in the readers' terms. */
static dtbd_status open_failed(int code, wb_error *err)
{
    if (code == ZIP_ER_MEMORY) {
        wb_error_set(err, DTBD_ERR_NOMEM, NULL);
        return err->status;
    }
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    wb_error_set(err, DTBD_ERR_CORRUPT, "không đọc được mục lục tệp nén zip: %s",
                 zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return err->status;
}

/* Add entry i to the list unless it is metadata; false on out of memory. */
static bool add_entry(arc_archive *a, zip_uint64_t i, size_t *cap)
{
    const char *raw = zip_get_name(a->za, i, ZIP_FL_ENC_RAW);
    if (!raw) raw = "";
    if (is_metadata(raw)) {
        a->skipped++;
        return true;
    }
    /* with the UTF-8 flag set, the strict name is the raw bytes; without it,
     * libzip converts from CP437 and any byte >= 0x80 changes */
    const char *strict = zip_get_name(a->za, i, ZIP_FL_ENC_STRICT);
    bool flagged = strict && !text_is_ascii(raw, strlen(raw)) && strcmp(strict, raw) == 0;
    buf label = BUF_INIT;
    bool repaired;
    if (!make_label(raw, flagged, &label, &repaired)) {
        buf_free(&label);
        return false;
    }
    if (!buf_grow_array((void **)&a->members, cap, a->n + 1, sizeof *a->members)) {
        buf_free(&label);
        return false;
    }
    arc_member *m = &a->members[a->n];
    memset(m, 0, sizeof *m);
    m->label = arena_strndup(&a->mem, label.data, label.len);
    buf_free(&label);
    if (!m->label) return false;
    m->index = i;
    m->name_repaired = repaired;
    m->unsafe_name = is_unsafe(m->label);
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(a->za, i, 0, &st) == 0) {
        if (st.valid & ZIP_STAT_SIZE) m->size = st.size;
        if (st.valid & ZIP_STAT_COMP_SIZE) m->comp_size = st.comp_size;
        if (st.valid & ZIP_STAT_MTIME) m->mtime = (int64_t)st.mtime;
        if (st.valid & ZIP_STAT_ENCRYPTION_METHOD) m->encrypted = st.encryption_method != ZIP_EM_NONE;
    }
    a->n++;
    return true;
}

dtbd_status arc_open(const char *path, const wb_limits *lim, arc_archive *parent, arc_archive *a,
                   wb_error *err)
{
    memset(a, 0, sizeof *a);
    arena_init(&a->mem);
    a->depth = parent ? parent->depth + 1 : 1;
    a->root = parent ? parent->root : a;
    if (a->depth > lim->max_archive_depth) {
        wb_error_set(err, DTBD_ERR_LIMIT, "tệp nén lồng trong tệp nén quá %u lớp",
                     lim->max_archive_depth);
        return err->status;
    }
    int code = 0;
    a->za = zip_open(path, ZIP_RDONLY, &code);
    if (!a->za) return open_failed(code, err);
    zip_int64_t count = zip_get_num_entries(a->za, 0);
    size_t cap = 0;
    for (zip_int64_t i = 0; i < count; i++) {
        if (!add_entry(a, (zip_uint64_t)i, &cap)) {
            wb_error_set(err, DTBD_ERR_NOMEM, NULL);
            return err->status;
        }
        if (a->n > lim->max_archive_members) {
            wb_error_set(err, DTBD_ERR_LIMIT, "tệp nén có hơn %u tệp (giới hạn archive_members)",
                         lim->max_archive_members);
            return err->status;
        }
    }
    if (a->n > 1) qsort(a->members, a->n, sizeof *a->members, cmp_member);
    return DTBD_OK;
}

/* ---- extracting ------------------------------------------------------------------------ */

/* The caps on a member's bytes so far (got of declared, comp compressed);
 * DTBD_OK or DTBD_ERR_LIMIT / DTBD_ERR_CORRUPT with err set. */
static dtbd_status check_caps(const arc_archive *a, const wb_limits *lim, uint64_t got,
                            uint64_t declared, uint64_t comp, wb_error *err)
{
    if (got > lim->max_file_bytes)
        wb_error_set(err, DTBD_ERR_LIMIT, "giải nén ra hơn %llu byte (giới hạn file_size)",
                     (unsigned long long)lim->max_file_bytes);
    else if (a->root->inflated > lim->max_inflated_total)
        wb_error_set(err, DTBD_ERR_LIMIT,
                     "dữ liệu giải nén từ tệp nén vượt giới hạn tổng %llu byte (nghi zip bomb)",
                     (unsigned long long)lim->max_inflated_total);
    else if (got > lim->ratio_floor_bytes && got / (comp ? comp : 1) > lim->max_inflate_ratio)
        wb_error_set(err, DTBD_ERR_LIMIT, "tỉ lệ nén %llu:1 vượt giới hạn %u:1 (nghi zip bomb)",
                     (unsigned long long)(got / (comp ? comp : 1)), lim->max_inflate_ratio);
    else if (got > declared)
        wb_error_set(err, DTBD_ERR_CORRUPT,
                     "giải nén ra nhiều hơn kích thước khai báo %llu byte (nghi zip bomb)",
                     (unsigned long long)declared);
    else
        return DTBD_OK;
    return err->status;
}

/* The readers' status for a libzip error on a member. */
static dtbd_status member_failed(zip_error_t *ze, wb_error *err)
{
    int code = ze ? zip_error_code_zip(ze) : ZIP_ER_INTERNAL;
    if (code == ZIP_ER_MEMORY) wb_error_set(err, DTBD_ERR_NOMEM, NULL);
    else if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD || code == ZIP_ER_ENCRNOTSUPP)
        wb_error_set(err, DTBD_ERR_ENCRYPTED, "tệp trong tệp nén có mật khẩu: gửi lại không đặt mật khẩu");
    else
        wb_error_set(err, DTBD_ERR_CORRUPT, "dữ liệu nén bị hỏng: %s",
                     ze ? zip_error_strerror(ze) : "lỗi không xác định");
    return err->status;
}

/* Inflate the open member zf into w, chunk by chunk under the caps. */
static dtbd_status inflate_into(arc_archive *a, const arc_member *m, const wb_limits *lim,
                              zip_file_t *zf, snap_writer *w, wb_error *err)
{
    unsigned char *chunk = malloc(ARC_CHUNK);
    if (!chunk) {
        wb_error_set(err, DTBD_ERR_NOMEM, NULL);
        return err->status;
    }
    dtbd_status st = DTBD_OK;
    uint64_t got = 0;
    while (st == DTBD_OK) {
        zip_int64_t r = zip_fread(zf, chunk, ARC_CHUNK);
        if (r < 0) {
            st = member_failed(zip_file_get_error(zf), err);
            break;
        }
        if (r == 0) break;
        got += (uint64_t)r;
        a->root->inflated += (uint64_t)r;
        st = check_caps(a, lim, got, m->size, m->comp_size, err);
        if (st == DTBD_OK) st = snap_writer_write(w, chunk, (size_t)r, err);
    }
    free(chunk);
    return st;
}

dtbd_status arc_extract(arc_archive *a, size_t i, const wb_limits *lim, snap_file *out,
                      wb_error *err)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    const arc_member *m = &a->members[i];
    if (m->encrypted) {
        wb_error_set(err, DTBD_ERR_ENCRYPTED, "tệp trong tệp nén có mật khẩu: gửi lại không đặt mật khẩu");
        return err->status;
    }
    /* the header's sizes first: a declared bomb is refused before a byte */
    uint64_t room = a->root->inflated < lim->max_inflated_total
                        ? lim->max_inflated_total - a->root->inflated : 0;
    if (m->size > room) {
        wb_error_set(err, DTBD_ERR_LIMIT,
                     "giải nén ra %llu byte, cùng các tệp trước vượt giới hạn tổng %llu byte "
                     "(nghi zip bomb)", (unsigned long long)m->size,
                     (unsigned long long)lim->max_inflated_total);
        return err->status;
    }
    dtbd_status st = check_caps(a, lim, m->size, m->size, m->comp_size, err);
    if (st != DTBD_OK) return st;
    zip_file_t *zf = zip_fopen_index(a->za, m->index, 0);
    if (!zf) return member_failed(zip_get_error(a->za), err);
    snap_writer w;
    st = snap_writer_open(&w, err);
    if (st == DTBD_OK) st = inflate_into(a, m, lim, zf, &w, err);
    zip_fclose(zf);
    if (st != DTBD_OK) {
        snap_writer_abort(&w);
        return st;
    }
    return snap_writer_finish(&w, m->mtime, out, err);
}

bool arc_exhausted(const arc_archive *a, const wb_limits *lim)
{
    return a->root->inflated >= lim->max_inflated_total;
}

void arc_close(arc_archive *a)
{
    if (a->za) zip_discard(a->za);
    a->za = NULL;
    free(a->members);
    a->members = NULL;
    a->n = 0;
    arena_free(&a->mem);
}
