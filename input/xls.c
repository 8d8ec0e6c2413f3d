/* input/xls.c — the .xls (BIFF8 and BIFF5) reader (see xls.h): OLE2
 * container through cfb.c, records through biff.c, every cell placed and
 * typed from its XF by the walk; plain cells' values of a BIFF8 workbook from
 * FreeXL once the survey lets it open. This file: errors, strings, the
 * workbook globals, file access, the entry points; xls_cells.c: the survey
 * and the walk over each sheet's cells; xls_private.h: what they share. */
#include "input/xls.h"
#include "input/xls_private.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <freexl.h>

#include "base/arena.h"
#include "input/biff.h"
#include "base/buf.h"
#include "input/cfb.h"
#include "base/text.h"
#include "input/vnenc.h"
#include "base/syserr.h"

/* ---- private: helpers ------------------------------------------------------------ */

/* Fail with status st and a detail; returns st. */
dtbd_status xls_fail(xls_ctx *x, dtbd_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char detail[sizeof x->err->detail];
    vsnprintf(detail, sizeof detail, fmt, ap);
    va_end(ap);
    wb_error_set(x->err, st, "%s", detail);
    if (x->sheet_name) text_copy_cut(x->err->sheet, sizeof x->err->sheet, x->sheet_name);
    return st;
}

/* Fail at cell (row, col). */
dtbd_status xls_cell_fail(xls_ctx *x, uint32_t row, uint32_t col, dtbd_status st,
                           const char *detail)
{
    wb_cell_ref(row, col, x->err->cell);
    return xls_fail(x, st, "%s", detail);
}

/* Record why FreeXL is not (or no longer) used: each distinct reason once,
 * "; " between them, as many as the note holds whole. */
void xls_fx_note(xls_ctx *x, const char *fmt, ...)
{
    char why[sizeof x->rep->note];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    char *note = x->rep->note;
    size_t len = strlen(note);
    if (n < 0 || strstr(note, why)) return;
    if (len == 0 && (size_t)n < sizeof x->rep->note) memcpy(note, why, (size_t)n + 1);
    else if (len > 0 && len + 2 + (size_t)n < sizeof x->rep->note) {
        memcpy(note + len, "; ", 2);
        memcpy(note + len + 2, why, (size_t)n + 1);
    }
}


/* FreeXL failed after opening: close it; the walk supplies the rest (the
 * values agree wherever both read a cell: tests/unit/test_xls.c). */
void xls_fx_drop(xls_ctx *x, const char *what, int rc)
{
    xls_fx_note(x, "FreeXL lỗi %d khi %s: đọc tiếp từ các bản ghi", rc, what);
    xls_fx_close(x);
}

/* Close FreeXL and the file it read (safe when neither is open). */
void xls_fx_close(xls_ctx *x)
{
    if (x->fx) freexl_close(x->fx);
    x->fx = NULL;
    if (x->fx_fd >= 0) close(x->fx_fd);
    x->fx_fd = -1;
}

/* The font name of XF index xf, or NULL. BIFF8 never writes font index 4:
 * index 5 is the fifth FONT record. */
const char *xls_xf_font(const xls_ctx *x, uint16_t xf)
{
    if (xf >= x->nxfs) return NULL;
    size_t f = x->xfs[xf].font;
    if (f == 4) return NULL;
    if (f > 4) f--;
    return f < x->nfonts ? x->fonts[f] : NULL;
}

/* FreeXL 1.0.6's judgement of a format code, which decides whether it
 * counts a cell's days: it counts the letters y, m, d, h, s anywhere (even
 * quoted or in brackets); y+m+d+h is a date and time, y+m or m+d a date. */
static bool fx_code_counts_days(const char *code)
{
    bool y = false, m = false, d = false, h = false;
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case 'Y': case 'y': y = true; break;
        case 'M': case 'm': m = true; break;
        case 'D': case 'd': d = true; break;
        case 'H': case 'h': h = true; break;
        default: break;
        }
    }
    return (y && m && d && h) || (y && m) || (m && d);
}

/* Whether FreeXL counts the days of a cell whose format id is id: the
 * built-in dates 14–17 and 22, or any FORMAT record of that id it judges a
 * date (FreeXL takes the first, we do not guess which: any). */
static bool fx_format_counts_days(const xls_ctx *x, uint16_t id)
{
    if ((id >= 14 && id <= 17) || id == 22) return true;
    for (size_t i = 0; i < x->nfmts; i++)
        if (x->fmts[i].id == id && x->fmts[i].fx_days) return true;
    return false;
}

/* The code of number format id, or NULL for a built-in one. */
static const char *fmt_code(const xls_ctx *x, uint16_t id)
{
    for (size_t i = x->nfmts; i-- > 0;)
        if (x->fmts[i].id == id) return x->fmts[i].code;
    return NULL;
}

/* BIFF5: append the text of the 8-bit string in x->raw to out, in the
 * workbook's code page, or byte for byte as Windows-1252 when legacy (a cell
 * in a legacy Vietnamese font: see xls.h). False on out of memory. */
static bool decode_bytes(const xls_ctx *x, bool legacy, buf *out)
{
    const char *s = buf_str(&x->raw);
    size_t n = x->raw.len;
    if (legacy || !x->charset[0]) return text_cp1252_to_utf8(s, n, out);
    if (x->codepage == 1200) { /* UTF-16LE bytes, as xlrd reads them */
        if (!text_utf16le_to_utf8((const unsigned char *)s, n / 2, out)) return false;
        if (n % 2) text_put_codepoint(out, 0xFFFD);
        return !out->oom;
    }
    return text_charset_to_utf8(x->charset, s, n, out);
}

/* Read the string at c into x->text: a BIFF8 XLUnicodeString-family string
 * whose count takes cch_bytes, or a BIFF5 byte string (decoded as legacy or
 * in the code page, decode_bytes). False on failure, *too_long set when the
 * text exceeds max_string_bytes. */
bool xls_read_string(xls_ctx *x, biff_cursor *c, unsigned cch_bytes, bool legacy,
                        bool *too_long)
{
    buf_clear(&x->text);
    *too_long = false;
    if (!x->biff5)
        return biff_cursor_string(c, cch_bytes, false, &x->u16, &x->text,
                                  x->lim->max_string_bytes, too_long);
    if (!biff_cursor_bytes(c, cch_bytes, &x->raw) || !decode_bytes(x, legacy, &x->text))
        return false;
    *too_long = x->text.len > x->lim->max_string_bytes;
    return !*too_long;
}

/* Did decoding fail for want of memory? */
bool xls_string_oom(const xls_ctx *x) { return x->text.oom || x->u16.oom || x->raw.oom; }

/* Read a string of rec from byte skip (see read_string) into the arena;
 * NULL with x->st set on failure. */
static const char *arena_string(xls_ctx *x, const biff_reader *r, const biff_record *rec,
                                size_t skip, unsigned cch_bytes)
{
    biff_cursor c;
    biff_cursor_init(&c, r, rec, skip);
    bool too_long = false;
    if (!xls_read_string(x, &c, cch_bytes, false, &too_long)) {
        if (xls_string_oom(x)) x->st = xls_fail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
        else if (too_long)
            x->st = xls_fail(x, DTBD_ERR_LIMIT, "chuỗi dài hơn %zu byte", x->lim->max_string_bytes);
        else x->st = xls_fail(x, DTBD_ERR_CORRUPT, "chuỗi trong bản ghi 0x%04X bị cắt cụt", rec->type);
        return NULL;
    }
    char *s = arena_strndup(&x->ar, buf_str(&x->text), x->text.len);
    if (!s) x->st = xls_fail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    return s;
}

/* ---- private: workbook globals ------------------------------------------------------ */

/* Whether FreeXL 1.0.6 stays inside the records of the SST sst. It decodes
 * the table record by record (parse_SST): a string whose characters run on
 * into a CONTINUE is finished from that one record, however many characters
 * are left (a 12,300-character UTF-16 string spans two CONTINUEs: it reads
 * past its record buffer, a heap overflow under ASan, uninitialised bytes
 * otherwise), and the rich-text / phonetic bytes after a string are skipped
 * by an offset carried into the next record once (and lost after a string
 * it finished from a CONTINUE). Reading the table as it does, false when:
 * a string's characters go on past the first CONTINUE they enter; a string
 * header, or a UTF-16 character, is cut by a record boundary; a string's
 * trailing bytes cross a boundary after a continued string, or cross more
 * than one; a string runs on with no CONTINUE after it. */
static bool fx_sst_fits(const xls_ctx *x, const biff_record *sst)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, sst->off + 4 + sst->len);
    const unsigned char *p = sst->body + 8;
    size_t left = sst->len - 8;
    uint32_t n = biff_u32(sst->body + 4);
    for (uint32_t i = 0; i < n; i++) {
        while (left == 0) { /* the next string starts a CONTINUE, no flags byte */
            if (biff_next(&r, &rec) <= 0 || rec.type != BIFF_CONTINUE) return true;
            p = rec.body;
            left = rec.len;
        }
        if (left < 3) return false;
        size_t cch = biff_u16(p), head = 3 + (p[2] & 0x08 ? 2 : 0) + (p[2] & 0x04 ? 4 : 0);
        if (left < head) return false;
        uint64_t extra = (p[2] & 0x08 ? 4ull * biff_u16(p + 3) : 0) +
                         (p[2] & 0x04 ? biff_u32(p + 3 + (p[2] & 0x08 ? 2 : 0)) : 0);
        size_t w = p[2] & 0x01 ? 2 : 1;
        p += head;
        left -= head;
        bool split = cch * w > left;
        if (split) {
            if (left % w) return false;
            size_t rest = cch - left / w;
            if (biff_next(&r, &rec) <= 0 || rec.type != BIFF_CONTINUE || rec.len < 1) return false;
            size_t w2 = rec.body[0] & 0x01 ? 2 : 1;
            if (rest * w2 > rec.len - 1u) return false; /* FreeXL reads past the record */
            p = rec.body + 1 + rest * w2;
            left = rec.len - 1 - rest * w2;
        } else {
            p += cch * w;
            left -= cch * w;
        }
        if (extra <= left) {
            p += extra;
            left -= (size_t)extra;
            continue;
        }
        if (split) return false;
        uint64_t over = extra - left;
        if (biff_next(&r, &rec) <= 0 || rec.type != BIFF_CONTINUE) return i + 1 == n;
        if (over >= rec.len) return false;
        p = rec.body + over;
        left = rec.len - (size_t)over;
    }
    return true;
}

/* Read the shared string table (SST and its CONTINUE records). */
static dtbd_status read_sst(xls_ctx *x, const biff_reader *r, const biff_record *rec)
{
    if (rec->len < 8) return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi SST quá ngắn");
    uint32_t unique = biff_u32(rec->body + 4);
    x->sst_claim = unique;
    if (unique > x->lim->max_shared_strings)
        return xls_fail(x, DTBD_ERR_LIMIT, "%u chuỗi dùng chung, giới hạn %llu", unique,
                     (unsigned long long)x->lim->max_shared_strings);
    biff_cursor c;
    biff_cursor_init(&c, r, rec, 8);
    buf_clear(&x->sst);
    x->nsst = 0;
    if (!buf_grow_array((void **)&x->sst_off, &x->capsst, 1, sizeof *x->sst_off))
        return xls_fail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    x->sst_off[0] = 0;
    for (uint32_t i = 0; i < unique; i++) {
        /* Some writers overstate the count: the table ends with its records. */
        if (biff_cursor_at_end(&c)) break;
        bool too_long = false;
        if (!biff_cursor_string(&c, 2, true, &x->u16, &x->sst, x->lim->max_string_bytes,
                                &too_long)) {
            if (x->sst.oom || x->u16.oom) return xls_fail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
            if (too_long)
                return xls_fail(x, DTBD_ERR_LIMIT, "chuỗi dùng chung số %u dài hơn %zu byte", i,
                             x->lim->max_string_bytes);
            return xls_fail(x, DTBD_ERR_CORRUPT, "bảng chuỗi dùng chung (SST) bị cắt cụt ở chuỗi %u",
                         i);
        }
        if (!buf_grow_array((void **)&x->sst_off, &x->capsst, (size_t)x->nsst + 2, sizeof *x->sst_off))
            return xls_fail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
        x->sst_off[++x->nsst] = x->sst.len;
    }
    return DTBD_OK;
}


/* BIFF5: the code page of the 8-bit strings, from the globals' CODEPAGE
 * record (read first: it precedes the strings in every file seen, but do
 * not rely on it). 1252 when absent; a code page iconv does not know is
 * read as 1252 too (see xls.h). */
static void biff5_codepage(xls_ctx *x, size_t pos)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, pos);
    x->codepage = 1252;
    while (biff_next(&r, &rec) > 0 && rec.type != BIFF_EOF)
        if (rec.type == BIFF_CODEPAGE && rec.len >= 2) x->codepage = biff_u16(rec.body);
    x->charset[0] = '\0';
    switch (x->codepage) {
    case 1252: case 367: case 32769: /* Windows-1252, ASCII, BIFF2-3's 1252 */
        return;
    case 1200:
        snprintf(x->charset, sizeof x->charset, "UTF-16LE");
        return;
    case 10000: case 32768:
        snprintf(x->charset, sizeof x->charset, "MACINTOSH");
        return;
    default:
        snprintf(x->charset, sizeof x->charset, "CP%u", x->codepage);
        if (!text_charset_known(x->charset)) x->charset[0] = '\0';
        return;
    }
}

/* Room for n + 1 elements of elem bytes in the array *arr (capacity *cap);
 * false on out of memory, with x->st set. */
static bool make_room(xls_ctx *x, void **arr, size_t *cap, size_t n, size_t elem)
{
    if (buf_grow_array(arr, cap, n + 1, elem)) return true;
    x->st = xls_fail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    return false;
}

/* One FONT, FORMAT or BOUNDSHEET record of the globals. BIFF5 strings are
 * 8-bit with a 1-byte count (a FORMAT's too), BIFF8's XLUnicodeStrings. */
static dtbd_status globals_named(xls_ctx *x, const biff_reader *r, const biff_record *rec)
{
    const unsigned char *b = rec->body;
    bool b5 = x->biff5;
    if (rec->type == BIFF_FONT) {
        if (rec->len < (b5 ? 15 : 16)) return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi FONT quá ngắn");
        const char *name = arena_string(x, r, rec, 14, 1);
        if (!name || !make_room(x, (void **)&x->fonts, &x->capfonts, x->nfonts, sizeof *x->fonts))
            return x->st;
        x->fonts[x->nfonts++] = name;
    } else if (rec->type == BIFF_FORMAT) {
        if (rec->len < (b5 ? 3 : 5)) return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi FORMAT quá ngắn");
        const char *code = arena_string(x, r, rec, 2, b5 ? 1 : 2);
        if (!code) return x->st;
        /* FreeXL reads the characters from this record alone */
        if (!b5 && ((b[4] & 0x0C) || 5 + (size_t)biff_u16(b + 2) * (b[4] & 1 ? 2 : 1) > rec->len))
            fx_deny(x, "chuỗi của bản ghi FORMAT vượt ra ngoài bản ghi");
        if (!make_room(x, (void **)&x->fmts, &x->capfmts, x->nfmts, sizeof *x->fmts)) return x->st;
        x->fmts[x->nfmts].id = biff_u16(b);
        x->fmts[x->nfmts].fx_days = fx_code_counts_days(code);
        x->fmts[x->nfmts++].code = code;
    } else {
        if (rec->len < (b5 ? 7 : 8)) return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi BOUNDSHEET quá ngắn");
        const char *name = arena_string(x, r, rec, 6, 1);
        if (!name ||
            !make_room(x, (void **)&x->sheets, &x->capsheets, x->nsheets, sizeof *x->sheets))
            return x->st;
        xls_sheet *sh = &x->sheets[x->nsheets++];
        sh->off = biff_u32(b);
        sh->state = b[4] & 0x03;
        sh->dt = b[5];
        sh->surveyed = sh->unsorted = false;
        sh->name = name;
    }
    return DTBD_OK;
}

/* One record of the globals substream (not BOF/EOF). */
static dtbd_status globals_record(xls_ctx *x, const biff_reader *r, const biff_record *rec)
{
    const unsigned char *b = rec->body;
    if (rec->type == 0 && rec->len == 0) /* FreeXL takes it for the end */
        fx_deny(x, "luồng Workbook có bản ghi rỗng giữa chừng");
    switch (rec->type) {
    case BIFF_FILEPASS:
        return xls_fail(x, DTBD_ERR_ENCRYPTED, "tệp .xls được đặt mật khẩu: gỡ mật khẩu rồi gửi lại");
    case BIFF_DATEMODE:
        if (rec->len >= 2) x->date1904 = biff_u16(b) == 1;
        return DTBD_OK;
    case BIFF_FONT: case BIFF_FORMAT: case BIFF_BOUNDSHEET:
        return globals_named(x, r, rec);
    case BIFF_XF: /* BIFF5 and BIFF8 alike: font index, then format index */
        if (rec->len < 6) return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi XF quá ngắn");
        if (!make_room(x, (void **)&x->xfs, &x->capxfs, x->nxfs, sizeof *x->xfs)) return x->st;
        x->xfs[x->nxfs].font = biff_u16(b);
        x->xfs[x->nxfs].fmt = biff_u16(b + 2);
        x->xfs[x->nxfs].date = false;
        x->xfs[x->nxfs++].fx_days = false;
        return DTBD_OK;
    case BIFF_SST:
        if (++x->nsst_records > 1) fx_deny(x, "có hơn một bảng chuỗi dùng chung (SST)");
        if (!x->biff5 && rec->len >= 8 && !fx_sst_fits(x, rec))
            fx_deny(x, "bảng chuỗi dùng chung có chuỗi kéo dài qua nhiều bản ghi CONTINUE");
        return read_sst(x, r, rec);
    default:
        /* FreeXL parses cell records even here, and leaks a LABEL's buffer
         * when its string overruns the record (fuzz_xls): cells belong in
         * sheets, never in the globals */
        if (xls_cell_need(rec->type, x->biff5)) fx_deny(x, "có bản ghi ô nằm ngoài mọi trang tính");
        return DTBD_OK;
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t p = *(const uint32_t *)a, q = *(const uint32_t *)b;
    return (p > q) - (p < q);
}

/* Refuse two BOUNDSHEET records that point at one substream: the sheet would
 * be read once per record (a 1.8 MB file listing one 100k-cell sheet 1,024
 * times made 100M cells). No writer does it: DTBD_ERR_CORRUPT. */
static dtbd_status check_sheet_offsets(xls_ctx *x)
{
    if (x->nsheets < 2) return DTBD_OK;
    uint32_t *offs = malloc(x->nsheets * sizeof *offs);
    if (!offs) return xls_fail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    for (size_t i = 0; i < x->nsheets; i++) offs[i] = x->sheets[i].off;
    qsort(offs, x->nsheets, sizeof *offs, cmp_u32);
    size_t i = 1;
    while (i < x->nsheets && offs[i] != offs[i - 1]) i++;
    uint32_t off = i < x->nsheets ? offs[i] : 0;
    free(offs);
    if (i == x->nsheets) return DTBD_OK;
    const char *names[2] = {"", ""};
    for (size_t k = 0, n = 0; k < x->nsheets && n < 2; k++)
        if (x->sheets[k].off == off) names[n++] = x->sheets[k].name;
    return xls_fail(x, DTBD_ERR_CORRUPT,
                 "trang tính \"%.60s\" và \"%.60s\" cùng trỏ tới một vị trí (byte %u): tệp "
                 "bị hỏng hoặc cố ý gây hại", names[0], names[1], off);
}

/* Walk the workbook globals substream: fonts, formats, XFs, sheets, SST.
 * The BOF's version decides BIFF8 (0x0600) or BIFF5 (0x0500), whatever the
 * stream's name. */
static dtbd_status read_globals(xls_ctx *x)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, 0);
    int got = biff_next(&r, &rec);
    if (got > 0 && (rec.type == 0x0009 || rec.type == 0x0209 || rec.type == 0x0409))
        return xls_fail(x, DTBD_ERR_FORMAT, "bảng tính Excel 2.0–4.0 (BOF 0x%04X) không được hỗ trợ: "
                     "lưu lại dạng .xlsx", rec.type);
    if (got <= 0 || rec.type != BIFF_BOF || rec.len < 4)
        return xls_fail(x, DTBD_ERR_CORRUPT, "thiếu bản ghi BOF ở đầu luồng Workbook");
    uint16_t vers = biff_u16(rec.body);
    if (vers != 0x0600 && vers != 0x0500)
        return xls_fail(x, DTBD_ERR_FORMAT,
                     "phiên bản BIFF 0x%04X không được hỗ trợ: lưu lại dạng .xlsx", vers);
    x->biff5 = vers == 0x0500;
    if (x->biff5) {
        biff5_codepage(x, r.pos);
        fx_deny(x, "Excel 5.0/95: đọc từ các bản ghi");
    }
    for (;;) {
        got = biff_next(&r, &rec);
        if (got < 0)
            return xls_fail(x, DTBD_ERR_CORRUPT, "bản ghi BIFF bị cắt cụt ở byte %zu", r.pos);
        if (got == 0) return xls_fail(x, DTBD_ERR_CORRUPT, "luồng Workbook thiếu bản ghi EOF");
        if (rec.type == BIFF_EOF) break;
        dtbd_status st = globals_record(x, &r, &rec);
        if (st != DTBD_OK) return st;
    }
    x->globals_end = r.pos;
    dtbd_status dup = check_sheet_offsets(x);
    if (dup != DTBD_OK) return dup;
    if (x->nxfs > XLS_FX_MAX_XF) fx_deny(x, "có hơn %d định dạng ô (XF)", XLS_FX_MAX_XF);
    /* Type the XFs once: formats are known now (FORMAT precedes XF, but
     * do not rely on it). Ids below 164 are Excel's built-in formats, whose
     * meaning is fixed by the id; writers still store a localized code for
     * some ("General", "#,##0 ₫"), which must not be read as a custom code. */
    for (size_t i = 0; i < x->nxfs; i++) {
        uint16_t id = x->xfs[i].fmt;
        x->xfs[i].date = wb_numfmt_is_date(id, id < 164 ? NULL : fmt_code(x, id));
        x->xfs[i].fx_days = fx_format_counts_days(x, id);
    }
    return DTBD_OK;
}

/* ---- private: file access ----------------------------------------------------------- */

/* Map the file read-only; *img NULL and status set on failure. */
static dtbd_status map_file(const char *path, const unsigned char **img, size_t *size, wb_error *err)
{
    *img = NULL;
    *size = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        wb_error_set(err, DTBD_ERR_IO, "%s", syserr_text(errno, SYSERR_READ));
        return DTBD_ERR_IO;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        close(fd);
        wb_error_set(err, DTBD_ERR_CORRUPT, "tệp rỗng hoặc không đọc được kích thước");
        return DTBD_ERR_CORRUPT;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int mmap_errno = errno;
    close(fd);
    if (p == MAP_FAILED) {
        wb_error_set(err, DTBD_ERR_IO, "%s", syserr_text(mmap_errno, SYSERR_READ));
        return DTBD_ERR_IO;
    }
    *img = p;
    *size = (size_t)st.st_size;
    return DTBD_OK;
}

/* ---- public -------------------------------------------------------------------------- */

wb_format xls_sniff(const char *path, wb_error *err)
{
    wb_error dummy;
    if (!err) err = &dummy;
    const unsigned char *img;
    size_t size;
    wb_error local = {0};
    if (map_file(path, &img, &size, &local) != DTBD_OK) {
        if (local.status == DTBD_ERR_IO) *err = local;
        return WB_FMT_XLS; /* the reader will say what is wrong */
    }
    cfb_file cf;
    wb_format fmt = WB_FMT_XLS; /* a damaged container: let the reader report it */
    if (cfb_open(&cf, img, size) == DTBD_OK) {
        if (cfb_find(&cf, "Workbook") >= 0 || cfb_find(&cf, "Book") >= 0) fmt = WB_FMT_XLS;
        else if (cfb_find(&cf, "EncryptedPackage") >= 0 || cfb_find(&cf, "EncryptionInfo") >= 0)
            fmt = WB_FMT_ENCRYPTED;
        else fmt = WB_FMT_OLE_OTHER;
    }
    cfb_close(&cf);
    munmap((void *)img, size);
    return fmt;
}

dtbd_status xls_read(const char *path, const wb_limits *lim, const wb_sink *sink, wb_error *err)
{
    return xls_read_report(path, lim, sink, err, NULL);
}

dtbd_status xls_read_report(const char *path, const wb_limits *lim, const wb_sink *sink,
                          wb_error *err, xls_freexl_report *rep)
{
    wb_error dummy;
    if (!err) err = &dummy;
    xls_freexl_report none_rep = {0};
    if (!rep) rep = &none_rep;
    bool walk_only = rep->walk_only;
    memset(rep, 0, sizeof *rep);
    rep->walk_only = walk_only;
    wb_limits defaults = wb_limits_default();
    if (!lim) lim = &defaults;
    wb_sink none = {0};
    if (!sink) sink = &none;
    wb_format fmt = err->format;
    memset(err, 0, sizeof *err);
    err->format = fmt;

    const unsigned char *img;
    size_t size;
    if (map_file(path, &img, &size, err) != DTBD_OK) return err->status;

    xls_ctx x = {.lim = lim, .sink = sink, .err = err, .rep = rep, .fx_fd = -1};
    arena_init(&x.ar);
    dtbd_status st = DTBD_OK;
    cfb_file cf;
    unsigned char *stream = NULL;
    size_t slen = 0;
    dtbd_status cs = cfb_open(&cf, img, size);
    if (cs != DTBD_OK) {
        wb_error_set(err, cs == DTBD_ERR_NOMEM ? DTBD_ERR_NOMEM : DTBD_ERR_CORRUPT, "%s", cf.why);
        st = err->status;
        goto out;
    }
    /* BIFF8 names its stream "Workbook", BIFF5 "Book"; some writers use
     * either name for either version: the BOF record decides (read_globals). */
    int idx = cfb_find(&cf, "Workbook");
    bool book = idx < 0;
    if (book) idx = cfb_find(&cf, "Book");
    if (idx < 0) {
        if (cfb_find(&cf, "EncryptedPackage") >= 0)
            wb_error_set(err, DTBD_ERR_ENCRYPTED, "gỡ mật khẩu rồi gửi lại");
        else wb_error_set(err, DTBD_ERR_FORMAT, "tệp Office nhưng không chứa bảng tính");
        st = err->status;
        goto out;
    }
    cs = cfb_read(&cf, idx, size, &stream, &slen);
    if (cs != DTBD_OK) {
        wb_error_set(err, cs == DTBD_ERR_NOMEM ? DTBD_ERR_NOMEM : DTBD_ERR_CORRUPT, "%s", cf.why);
        st = err->status;
        goto out;
    }
    x.wb = stream;
    x.wbsize = slen;
    st = read_globals(&x);
    /* FreeXL takes a "Book" stream for BIFF5 whatever its BOF, beyond what
     * the survey checks (fuzz_xls: a stack overrun in its iconv): never */
    if (st == DTBD_OK && book && !x.biff5)
        fx_deny(&x, "luồng tên \"Book\": FreeXL sẽ đọc như Excel 5.0/95");
    if (st == DTBD_OK && !x.biff5) st = xls_survey(&x); /* FreeXL's guard: BIFF8 only */
    if (st == DTBD_OK) {
        xls_fx_open(&x);
        st = xls_read_sheets(&x);
    }
    rep->freexl_used = x.fx != NULL;
    xls_fx_close(&x);
out:
    free(stream);
    cfb_close(&cf);
    munmap((void *)img, size);
    arena_free(&x.ar);
    free(x.fonts);
    free(x.fmts);
    free(x.xfs);
    free(x.sheets);
    free(x.sst_off);
    free(x.pos);
    buf_free(&x.sst);
    buf_free(&x.u16);
    buf_free(&x.text);
    buf_free(&x.raw);
    err->status = st;
    return st;
}
