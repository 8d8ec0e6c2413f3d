/* input/xls.c — the .xls (BIFF8 and BIFF5) reader (see xls.h): OLE2
 * container through cfb.c, records through biff.c, every cell placed and
 * typed from its XF by the walk; plain cells' values of a BIFF8 workbook from
 * FreeXL once the survey lets it open. */
#include "input/xls.h"

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

/* ---- private: the guards in front of FreeXL (see xls.h) ------------------------ */

enum {
    XLS_FX_MAX_XF = 4050,          /* Excel's own limit; FreeXL's table holds 8192 */
    XLS_FX_CELL_BYTES = 16,        /* sizeof FreeXL's per-cell struct               */
    XLS_FX_SST_BYTES = 8           /* its pointer per claimed shared string         */
};
#define XLS_FX_MAX_BYTES (32ull << 20)  /* FreeXL's grids + SST table, estimated    */
#define XLS_FX_MAX_DAYS 100000000ull    /* days FreeXL counts one by one (~0.1 s)   */
#define XLS_LAST_DAY 2958466.0          /* serial after 9999-12-31: not a date      */

/* ---- private: types ------------------------------------------------------------ */

typedef struct {
    uint32_t off;       /* stream offset of the sheet's BOF (lbPlyPos)        */
    uint8_t state;      /* 0 visible, 1 hidden, 2 very hidden                  */
    uint8_t dt;         /* 0 worksheet, 1 macro, 2 chart, 6 VB module         */
    bool surveyed;      /* the survey walked all its records: unsorted known  */
    bool unsorted;      /* its cells are not in row-major order               */
    const char *name;   /* UTF-8 NFC, in the arena                            */
} xls_sheet;

typedef struct {
    uint16_t font;      /* BIFF font index (4 is never used)                  */
    uint16_t fmt;       /* number format id                                   */
    bool date;          /* the format is a date/time format                   */
    bool fx_days;       /* FreeXL may take it for a date and count its days   */
} xls_xf;

typedef struct {
    uint16_t id;
    bool fx_days;       /* FreeXL judges the code a date (or date and time)   */
    const char *code;   /* UTF-8, in the arena                                */
} xls_fmt;

typedef struct {        /* one cell of an out-of-order sheet, for sorting     */
    uint32_t row, col;
    uint64_t seq;       /* position in the file: the later duplicate wins     */
    size_t off;         /* record offset                                      */
    unsigned sub;       /* index within a MULRK                               */
} xls_pos;

typedef struct {
    const wb_limits *lim;
    const wb_sink *sink;
    wb_error *err;
    const unsigned char *wb;   /* the Workbook stream                         */
    size_t wbsize;
    bool date1904;
    bool biff5;                /* BOF version 0x0500: Excel 5.0/95            */
    unsigned codepage;         /* BIFF5: CODEPAGE (1252 when absent)          */
    char charset[16];          /* BIFF5: its iconv name; "" for Windows-1252  */
    arena ar;
    const char **fonts;        /* FONT records in file order                  */
    size_t nfonts, capfonts;
    xls_fmt *fmts;
    size_t nfmts, capfmts;
    xls_xf *xfs;
    size_t nxfs, capxfs;
    xls_sheet *sheets;
    size_t nsheets, capsheets;
    buf sst;                   /* the shared strings, back to back            */
    size_t *sst_off;           /* string i is sst[sst_off[i] .. sst_off[i+1]) */
    size_t nsst, capsst;
    buf u16, text, raw;        /* scratch for string decoding                 */
    const char *sheet_name;    /* the sheet being read, for error messages    */
    uint64_t ncells;           /* cells delivered in this sheet               */
    /* order check / collection state of the current sheet pass */
    bool have_prev, unsorted;
    uint32_t prev_row, prev_col;
    xls_pos *pos;
    size_t npos, cappos;
    dtbd_status st;              /* status set by a cell visitor               */
    /* FreeXL */
    size_t globals_end;        /* offset after the globals' EOF               */
    unsigned nsst_records;     /* SST records in the globals                  */
    uint32_t sst_claim;        /* strings the SST header claims               */
    uint64_t fx_cells, fx_days;/* FreeXL's grid cells and day-loop steps      */
    bool fx_denied;            /* FreeXL must not open this file              */
    const void *fx;            /* FreeXL's handle while it supplies values    */
    xls_freexl_report *rep;    /* the caller's report (never NULL)            */
} xls_ctx;

/* Visits one cell of a sheet: record at off, sub-cell sub. Non-zero stops. */
typedef int (*cell_fn)(xls_ctx *x, uint32_t row, uint32_t col, size_t off, unsigned sub);

/* ---- private: helpers ------------------------------------------------------------ */

/* Fail with status st and a detail; returns st. */
static dtbd_status xfail(xls_ctx *x, dtbd_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static dtbd_status xfail(xls_ctx *x, dtbd_status st, const char *fmt, ...)
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
static dtbd_status cell_fail(xls_ctx *x, uint32_t row, uint32_t col, dtbd_status st,
                           const char *detail)
{
    wb_cell_ref(row, col, x->err->cell);
    return xfail(x, st, "%s", detail);
}

/* Record why FreeXL is not (or no longer) used: each distinct reason once,
 * "; " between them, as many as the note holds whole. */
static void fx_note(xls_ctx *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fx_note(xls_ctx *x, const char *fmt, ...)
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

/* The survey found something FreeXL must not see: the walk reads it alone. */
#define fx_deny(x, ...) ((x)->fx_denied = true, fx_note((x), __VA_ARGS__))

/* FreeXL failed after opening: close it; the walk supplies the rest (the
 * values agree wherever both read a cell: tests/unit/test_xls.c). */
static void fx_drop(xls_ctx *x, const char *what, int rc)
{
    fx_note(x, "FreeXL lỗi %d khi %s: đọc tiếp từ các bản ghi", rc, what);
    freexl_close(x->fx);
    x->fx = NULL;
}

/* The font name of XF index xf, or NULL. BIFF8 never writes font index 4:
 * index 5 is the fifth FONT record. */
static const char *xf_font(const xls_ctx *x, uint16_t xf)
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
static bool read_string(xls_ctx *x, biff_cursor *c, unsigned cch_bytes, bool legacy,
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
static bool string_oom(const xls_ctx *x) { return x->text.oom || x->u16.oom || x->raw.oom; }

/* Read a string of rec from byte skip (see read_string) into the arena;
 * NULL with x->st set on failure. */
static const char *arena_string(xls_ctx *x, const biff_reader *r, const biff_record *rec,
                                size_t skip, unsigned cch_bytes)
{
    biff_cursor c;
    biff_cursor_init(&c, r, rec, skip);
    bool too_long = false;
    if (!read_string(x, &c, cch_bytes, false, &too_long)) {
        if (string_oom(x)) x->st = xfail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
        else if (too_long)
            x->st = xfail(x, DTBD_ERR_LIMIT, "chuỗi dài hơn %zu byte", x->lim->max_string_bytes);
        else x->st = xfail(x, DTBD_ERR_CORRUPT, "chuỗi trong bản ghi 0x%04X bị cắt cụt", rec->type);
        return NULL;
    }
    char *s = arena_strndup(&x->ar, buf_str(&x->text), x->text.len);
    if (!s) x->st = xfail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
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
    if (rec->len < 8) return xfail(x, DTBD_ERR_CORRUPT, "bản ghi SST quá ngắn");
    uint32_t unique = biff_u32(rec->body + 4);
    x->sst_claim = unique;
    if (unique > x->lim->max_shared_strings)
        return xfail(x, DTBD_ERR_LIMIT, "%u chuỗi dùng chung, giới hạn %llu", unique,
                     (unsigned long long)x->lim->max_shared_strings);
    biff_cursor c;
    biff_cursor_init(&c, r, rec, 8);
    buf_clear(&x->sst);
    x->nsst = 0;
    if (!buf_grow_array((void **)&x->sst_off, &x->capsst, 1, sizeof *x->sst_off))
        return xfail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    x->sst_off[0] = 0;
    for (uint32_t i = 0; i < unique; i++) {
        /* Some writers overstate the count: the table ends with its records. */
        if (biff_cursor_at_end(&c)) break;
        bool too_long = false;
        if (!biff_cursor_string(&c, 2, true, &x->u16, &x->sst, x->lim->max_string_bytes,
                                &too_long)) {
            if (x->sst.oom || x->u16.oom) return xfail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
            if (too_long)
                return xfail(x, DTBD_ERR_LIMIT, "chuỗi dùng chung số %u dài hơn %zu byte", i,
                             x->lim->max_string_bytes);
            return xfail(x, DTBD_ERR_CORRUPT, "bảng chuỗi dùng chung (SST) bị cắt cụt ở chuỗi %u",
                         i);
        }
        if (!buf_grow_array((void **)&x->sst_off, &x->capsst, (size_t)x->nsst + 2, sizeof *x->sst_off))
            return xfail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
        x->sst_off[++x->nsst] = x->sst.len;
    }
    return DTBD_OK;
}

static size_t cell_need(uint16_t type, bool biff5);

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
    x->st = xfail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    return false;
}

/* One FONT, FORMAT or BOUNDSHEET record of the globals. BIFF5 strings are
 * 8-bit with a 1-byte count (a FORMAT's too), BIFF8's XLUnicodeStrings. */
static dtbd_status globals_named(xls_ctx *x, const biff_reader *r, const biff_record *rec)
{
    const unsigned char *b = rec->body;
    bool b5 = x->biff5;
    if (rec->type == BIFF_FONT) {
        if (rec->len < (b5 ? 15 : 16)) return xfail(x, DTBD_ERR_CORRUPT, "bản ghi FONT quá ngắn");
        const char *name = arena_string(x, r, rec, 14, 1);
        if (!name || !make_room(x, (void **)&x->fonts, &x->capfonts, x->nfonts, sizeof *x->fonts))
            return x->st;
        x->fonts[x->nfonts++] = name;
    } else if (rec->type == BIFF_FORMAT) {
        if (rec->len < (b5 ? 3 : 5)) return xfail(x, DTBD_ERR_CORRUPT, "bản ghi FORMAT quá ngắn");
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
        if (rec->len < (b5 ? 7 : 8)) return xfail(x, DTBD_ERR_CORRUPT, "bản ghi BOUNDSHEET quá ngắn");
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
        return xfail(x, DTBD_ERR_ENCRYPTED, "tệp .xls được đặt mật khẩu: gỡ mật khẩu rồi gửi lại");
    case BIFF_DATEMODE:
        if (rec->len >= 2) x->date1904 = biff_u16(b) == 1;
        return DTBD_OK;
    case BIFF_FONT: case BIFF_FORMAT: case BIFF_BOUNDSHEET:
        return globals_named(x, r, rec);
    case BIFF_XF: /* BIFF5 and BIFF8 alike: font index, then format index */
        if (rec->len < 6) return xfail(x, DTBD_ERR_CORRUPT, "bản ghi XF quá ngắn");
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
        if (cell_need(rec->type, x->biff5)) fx_deny(x, "có bản ghi ô nằm ngoài mọi trang tính");
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
    if (!offs) return xfail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
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
    return xfail(x, DTBD_ERR_CORRUPT,
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
        return xfail(x, DTBD_ERR_FORMAT, "bảng tính Excel 2.0–4.0 (BOF 0x%04X) không được hỗ trợ: "
                     "lưu lại dạng .xlsx", rec.type);
    if (got <= 0 || rec.type != BIFF_BOF || rec.len < 4)
        return xfail(x, DTBD_ERR_CORRUPT, "thiếu bản ghi BOF ở đầu luồng Workbook");
    uint16_t vers = biff_u16(rec.body);
    if (vers != 0x0600 && vers != 0x0500)
        return xfail(x, DTBD_ERR_FORMAT,
                     "phiên bản BIFF 0x%04X không được hỗ trợ: lưu lại dạng .xlsx", vers);
    x->biff5 = vers == 0x0500;
    if (x->biff5) {
        biff5_codepage(x, r.pos);
        fx_deny(x, "Excel 5.0/95: đọc từ các bản ghi");
    }
    for (;;) {
        got = biff_next(&r, &rec);
        if (got < 0)
            return xfail(x, DTBD_ERR_CORRUPT, "bản ghi BIFF bị cắt cụt ở byte %zu", r.pos);
        if (got == 0) return xfail(x, DTBD_ERR_CORRUPT, "luồng Workbook thiếu bản ghi EOF");
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

/* ---- private: cells ------------------------------------------------------------------ */

/* Excel's text for a BIFF error code. */
static const char *error_text(uint8_t code)
{
    switch (code) {
    case 0x00: return "#NULL!";
    case 0x07: return "#DIV/0!";
    case 0x0F: return "#VALUE!";
    case 0x17: return "#REF!";
    case 0x1D: return "#NAME?";
    case 0x24: return "#NUM!";
    case 0x2A: return "#N/A";
    case 0x2B: return "#GETTING_DATA";
    default: return "#ERR!";
    }
}

/* Hand one cell to the sink, counting it against the sheet's limit. */
static dtbd_status deliver(xls_ctx *x, wb_cell *cell, uint16_t xf)
{
    if (cell->type == WB_TEXT && cell->len == 0) return DTBD_OK; /* "" shows as blank */
    if (++x->ncells > x->lim->max_cells_per_sheet) {
        wb_cell_ref(cell->row, cell->col, x->err->cell);
        return xfail(x, DTBD_ERR_LIMIT, "trang tính có hơn %llu ô",
                     (unsigned long long)x->lim->max_cells_per_sheet);
    }
    cell->font = xf_font(x, xf);
    if (x->sink->cell && x->sink->cell(x->sink->ctx, cell) != 0) {
        wb_cell_ref(cell->row, cell->col, x->err->cell);
        return xfail(x, DTBD_ERR_ABORTED, "dừng ở ô này");
    }
    return DTBD_OK;
}

/* A number cell: a date when its XF has a date format and the value is a
 * day Excel can show (0 .. 9999-12-31); otherwise a number. */
static dtbd_status number_cell(xls_ctx *x, uint32_t row, uint32_t col, uint16_t xf, double v)
{
    wb_cell cell = {.row = row, .col = col, .type = WB_NUMBER, .num = v};
    if (xf < x->nxfs && x->xfs[xf].date && v >= 0.0 && v < 2958466.0) {
        cell.type = WB_DATE;
        cell.num = wb_serial_to_days(v, x->date1904);
    }
    return deliver(x, &cell, xf);
}

/* FreeXL's value of cell (row, col) of the selected sheet; false when
 * FreeXL is not in use, or fails now (it is then dropped). */
static bool fx_cell(xls_ctx *x, uint32_t row, uint32_t col, FreeXL_CellValue *v)
{
    if (!x->fx) return false;
    int rc = freexl_get_cell_value(x->fx, row, (unsigned short)col, v);
    if (rc == FREEXL_OK) return true;
    fx_drop(x, "đọc một ô", rc);
    return false;
}

/* The value of a number cell: FreeXL's, except for a date-formatted cell
 * (FreeXL turns those into text) or when FreeXL has no number there. */
static double fx_number(xls_ctx *x, uint32_t row, uint32_t col, uint16_t xf, double walk)
{
    if (xf < x->nxfs && x->xfs[xf].date) return walk;
    FreeXL_CellValue v;
    if (!fx_cell(x, row, col, &v)) return walk;
    if (v.type == FREEXL_CELL_INT) return v.value.int_value;
    if (v.type == FREEXL_CELL_DOUBLE) return v.value.double_value;
    return walk; /* FreeXL judged the format a date by its own letter count */
}

/* Fill cell with FreeXL's text for (row, col), in NFC (FreeXL passes the
 * stored form on). False when FreeXL has no text there; *st is set when
 * the text cannot be delivered. */
static bool fx_text(xls_ctx *x, uint32_t row, uint32_t col, wb_cell *cell, dtbd_status *st)
{
    FreeXL_CellValue v;
    if (!fx_cell(x, row, col, &v) ||
        (v.type != FREEXL_CELL_TEXT && v.type != FREEXL_CELL_SST_TEXT) || !v.value.text_value)
        return false;
    buf_clear(&x->text);
    const char *t = v.value.text_value;
    if (!text_to_nfc(t, strlen(t), &x->text) || x->text.oom)
        *st = cell_fail(x, row, col, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
    else if (x->text.len > x->lim->max_string_bytes)
        *st = cell_fail(x, row, col, DTBD_ERR_LIMIT, "chuỗi quá dài");
    cell->type = WB_TEXT;
    cell->text = buf_str(&x->text);
    cell->len = x->text.len;
    return true;
}

/* Is the font of XF xf a legacy Vietnamese font (.VnTime, VNI-Times)? Its
 * BIFF5 bytes are then passed on as Windows-1252 (see xls.h). */
static bool legacy_font(const xls_ctx *x, uint16_t xf)
{
    return x->biff5 && vnenc_font_hint(xf_font(x, xf)) != VNENC_NONE;
}

/* The cached string of a FORMULA of XF xf: the STRING record that follows
 * it (after any SHRFMLA/ARRAY/TABLE). Fills x->text; false with x->st on
 * error. */
static bool formula_string(xls_ctx *x, size_t after, uint32_t row, uint32_t col, uint16_t xf)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, after);
    buf_clear(&x->text);
    for (;;) {
        int got = biff_next(&r, &rec);
        if (got <= 0) return true; /* no STRING: an empty result */
        if (rec.type == BIFF_SHRFMLA || rec.type == BIFF_ARRAY || rec.type == BIFF_TABLE)
            continue;
        if (rec.type != BIFF_STRING) return true;
        biff_cursor c;
        biff_cursor_init(&c, &r, &rec, 0);
        bool too_long = false;
        if (read_string(x, &c, 2, legacy_font(x, xf), &too_long)) return true;
        x->st = cell_fail(x, row, col,
                          string_oom(x) ? DTBD_ERR_NOMEM
                          : too_long    ? DTBD_ERR_LIMIT
                                        : DTBD_ERR_CORRUPT,
                          too_long ? "chuỗi kết quả công thức quá dài"
                                   : "bản ghi STRING của công thức bị hỏng");
        return false;
    }
}

/* A LABEL or RSTRING cell: FreeXL's text of a BIFF8 LABEL, else the
 * record's string. */
static dtbd_status label_cell(xls_ctx *x, const biff_reader *r, const biff_record *rec,
                            wb_cell *cell, uint16_t xf)
{
    dtbd_status st = DTBD_OK;
    if (rec->type == BIFF_LABEL && fx_text(x, cell->row, cell->col, cell, &st))
        return st == DTBD_OK ? deliver(x, cell, xf) : st;
    biff_cursor c;
    biff_cursor_init(&c, r, rec, 6);
    bool too_long = false;
    if (!read_string(x, &c, 2, legacy_font(x, xf), &too_long))
        return cell_fail(x, cell->row, cell->col,
                         string_oom(x) ? DTBD_ERR_NOMEM
                         : too_long    ? DTBD_ERR_LIMIT
                                       : DTBD_ERR_CORRUPT,
                         too_long ? "chuỗi quá dài" : "chuỗi của ô bị cắt cụt");
    cell->type = WB_TEXT;
    cell->text = buf_str(&x->text);
    cell->len = x->text.len;
    return deliver(x, cell, xf);
}

/* A FORMULA cell: its cached result (a number, or the string of the STRING
 * record that follows, a boolean, an error); an empty string is no cell. */
static dtbd_status formula_cell(xls_ctx *x, const biff_record *rec, wb_cell *cell, uint16_t xf)
{
    const unsigned char *b = rec->body;
    if (b[12] != 0xFF || b[13] != 0xFF)
        return number_cell(x, cell->row, cell->col, xf, biff_f64(b + 6));
    switch (b[6]) {
    case 0: /* string, in the STRING record that follows */
        if (!formula_string(x, rec->off + 4 + rec->len, cell->row, cell->col, xf)) return x->st;
        cell->type = WB_TEXT;
        cell->text = buf_str(&x->text);
        cell->len = x->text.len;
        break;
    case 1:
        cell->type = WB_BOOL;
        cell->num = b[8] ? 1.0 : 0.0;
        break;
    case 2:
        cell->type = WB_ERROR;
        cell->text = error_text(b[8]);
        cell->len = strlen(cell->text);
        break;
    default: /* 3: empty string; others unknown: nothing to show */
        return DTBD_OK;
    }
    return deliver(x, cell, xf);
}

/* Decode and deliver the cell at record offset off (sub-cell sub). */
static int emit_cell(xls_ctx *x, uint32_t row, uint32_t col, size_t off, unsigned sub)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, off);
    if (biff_next(&r, &rec) <= 0) return 1; /* checked by the walk already */
    const unsigned char *b = rec.body;
    uint16_t xf = biff_u16(b + 4);
    wb_cell cell = {.row = row, .col = col};
    dtbd_status st = DTBD_OK;
    switch (rec.type) {
    case BIFF_NUMBER:
        st = number_cell(x, row, col, xf, fx_number(x, row, col, xf, biff_f64(b + 6)));
        break;
    case BIFF_RK:
        st = number_cell(x, row, col, xf, fx_number(x, row, col, xf, biff_rk(biff_u32(b + 6))));
        break;
    case BIFF_MULRK:
        xf = biff_u16(b + 4 + 6 * (size_t)sub);
        st = number_cell(x, row, col, xf,
                         fx_number(x, row, col, xf, biff_rk(biff_u32(b + 6 + 6 * (size_t)sub))));
        break;
    case BIFF_LABELSST: {
        uint32_t i = biff_u32(b + 6);
        if (i >= x->nsst) {
            st = cell_fail(x, row, col, DTBD_ERR_CORRUPT, "ô trỏ tới chuỗi dùng chung không có");
            break;
        }
        cell.shared = i + 1; /* whoever decodes it, string i reads the same */
        if (fx_text(x, row, col, &cell, &st)) {
            if (st == DTBD_OK) st = deliver(x, &cell, xf);
            break;
        }
        cell.type = WB_TEXT;
        cell.text = x->sst.data + x->sst_off[i];
        cell.len = x->sst_off[i + 1] - x->sst_off[i];
        st = deliver(x, &cell, xf);
        break;
    }
    case BIFF_LABEL:
    case BIFF_RSTRING:
        st = label_cell(x, &r, &rec, &cell, xf);
        break;
    case BIFF_BOOLERR:
        if (b[7]) {
            cell.type = WB_ERROR;
            cell.text = error_text(b[6]);
            cell.len = strlen(cell.text);
        } else { /* FreeXL gives a boolean as 0/1 (an error too, so not that) */
            FreeXL_CellValue v;
            bool fx = fx_cell(x, row, col, &v) && v.type == FREEXL_CELL_INT;
            cell.type = WB_BOOL;
            cell.num = (fx ? v.value.int_value != 0 : b[6] != 0) ? 1.0 : 0.0;
        }
        st = deliver(x, &cell, xf);
        break;
    case BIFF_FORMULA:
        st = formula_cell(x, &rec, &cell, xf);
        break;
    default:
        break;
    }
    if (st != DTBD_OK) {
        x->st = st;
        return 1;
    }
    return 0;
}

/* Visitor of the first pass: are the cells in row-major order? */
static int check_order(xls_ctx *x, uint32_t row, uint32_t col, size_t off, unsigned sub)
{
    (void)off;
    (void)sub;
    if (x->have_prev && (row < x->prev_row || (row == x->prev_row && col <= x->prev_col))) {
        x->unsorted = true;
        return 1;
    }
    x->have_prev = true;
    x->prev_row = row;
    x->prev_col = col;
    return 0;
}

/* Visitor that collects the positions of an out-of-order sheet. */
static int collect(xls_ctx *x, uint32_t row, uint32_t col, size_t off, unsigned sub)
{
    if (x->npos >= x->lim->max_cells_per_sheet) {
        x->st = cell_fail(x, row, col, DTBD_ERR_LIMIT, "trang tính có quá nhiều ô");
        return 1;
    }
    if (!buf_grow_array((void **)&x->pos, &x->cappos, x->npos + 1, sizeof *x->pos)) {
        x->st = xfail(x, DTBD_ERR_NOMEM, "không đủ bộ nhớ");
        return 1;
    }
    x->pos[x->npos] = (xls_pos){row, col, x->npos, off, sub};
    x->npos++;
    return 0;
}

/* Row-major order, then file order. */
static int pos_cmp(const void *a, const void *b)
{
    const xls_pos *p = a, *q = b;
    if (p->row != q->row) return p->row < q->row ? -1 : 1;
    if (p->col != q->col) return p->col < q->col ? -1 : 1;
    return p->seq < q->seq ? -1 : p->seq > q->seq;
}

/* Walk the records of the sheet whose BOF is at start: every cell record is
 * passed to fn (when fn is non-NULL); MERGEDCELLS go to the sink when
 * merges is set. Substreams nested in the sheet (charts) are skipped. */
static dtbd_status walk_sheet(xls_ctx *x, size_t start, cell_fn fn, bool merges)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, start);
    if (biff_next(&r, &rec) <= 0) return xfail(x, DTBD_ERR_CORRUPT, "thiếu bản ghi BOF");
    size_t depth = 0;
    x->st = DTBD_OK;
    for (;;) {
        int got = biff_next(&r, &rec);
        if (got < 0)
            return xfail(x, DTBD_ERR_CORRUPT, "bản ghi BIFF bị cắt cụt ở byte %zu", r.pos);
        if (got == 0) return xfail(x, DTBD_ERR_CORRUPT, "trang tính thiếu bản ghi EOF");
        if (rec.type == BIFF_BOF) {
            depth++;
            continue;
        }
        if (rec.type == BIFF_EOF) {
            if (depth == 0) return DTBD_OK;
            depth--;
            continue;
        }
        if (depth > 0) continue;
        const unsigned char *b = rec.body;
        if (rec.type == BIFF_MERGEDCELLS) { /* BIFF8; some BIFF5 writers too */
            if (!merges) continue;
            if (rec.len < 2) return xfail(x, DTBD_ERR_CORRUPT, "bản ghi MERGEDCELLS quá ngắn");
            size_t n = biff_u16(b);
            if (rec.len < 2 + 8 * n)
                return xfail(x, DTBD_ERR_CORRUPT, "bản ghi MERGEDCELLS bị cắt cụt");
            for (size_t i = 0; i < n; i++) {
                const unsigned char *m = b + 2 + 8 * i;
                wb_range rg = {biff_u16(m), biff_u16(m + 4), biff_u16(m + 2), biff_u16(m + 6)};
                if (rg.r1 > rg.r2 || rg.c1 > rg.c2) continue; /* meaningless: skip */
                if (x->sink->merge && x->sink->merge(x->sink->ctx, &rg) != 0)
                    return xfail(x, DTBD_ERR_ABORTED, "dừng khi đọc vùng gộp ô");
            }
            continue;
        }
        size_t need = cell_need(rec.type, x->biff5);
        if (need == 0 || !fn) continue;
        uint32_t row = rec.len >= 4 ? biff_u16(b) : 0, col = rec.len >= 4 ? biff_u16(b + 2) : 0;
        if (rec.len < need) {
            wb_cell_ref(row, col, x->err->cell);
            return xfail(x, DTBD_ERR_CORRUPT, "bản ghi ô 0x%04X quá ngắn", rec.type);
        }
        if (rec.type == BIFF_MULRK) {
            if ((rec.len - 6) % 6 != 0) {
                wb_cell_ref(row, col, x->err->cell);
                return xfail(x, DTBD_ERR_CORRUPT, "bản ghi MULRK có độ dài sai");
            }
            unsigned n = (unsigned)((rec.len - 6) / 6);
            for (unsigned i = 0; i < n; i++)
                if (fn(x, row, col + i, rec.off, i)) return x->st;
        } else if (fn(x, row, col, rec.off, 0)) {
            return x->st;
        }
    }
}

/* Minimum body length of a cell record, 0 for other records. A BIFF5
 * LABEL's string has no flags byte. */
static size_t cell_need(uint16_t type, bool biff5)
{
    switch (type) {
    case BIFF_NUMBER: return 14;
    case BIFF_RK: return 10;
    case BIFF_LABELSST: return 10;
    case BIFF_LABEL: case BIFF_RSTRING: return biff5 ? 8 : 9;
    case BIFF_BOOLERR: return 8;
    case BIFF_FORMULA: return 20;
    case BIFF_MULRK: return 12;
    default: return 0;
    }
}

/* Add what FreeXL's day-by-day date loop would cost for this number cell. */
static void survey_days(xls_ctx *x, uint32_t row, uint32_t col, uint16_t xf, double v)
{
    if (xf >= x->nxfs || !x->xfs[xf].fx_days) return;
    if (!(v < XLS_LAST_DAY)) { /* also NaN */
        char ref[16];
        wb_cell_ref(row, col, ref);
        fx_deny(x, "ô %s định dạng ngày chứa %g: FreeXL sẽ đếm từng ngày", ref, v);
        return;
    }
    if (v >= 1.0) x->fx_days += (uint64_t)v;
    if (x->fx_days > XLS_FX_MAX_DAYS)
        fx_deny(x, "các ô định dạng ngày cộng lại quá %llu ngày FreeXL phải đếm",
                (unsigned long long)XLS_FX_MAX_DAYS);
}

/* Survey one worksheet as FreeXL will parse it, from after its BOF to its
 * EOF: one DIMENSION before the cells and every cell inside it, strings
 * FreeXL reads in place, the days it would count; also whether the cells
 * are in row-major order. Refuses (DTBD_ERR_LIMIT) a DIMENSION larger than
 * max_cells_per_sheet unless the sheet's cells exceed that limit themselves
 * (the walk then stops at the first cell past it, naming it). *stop is set
 * when the stream cannot be followed further. */
static dtbd_status survey_sheet(xls_ctx *x, biff_reader *r, xls_sheet *s, bool *stop)
{
    biff_record rec;
    bool has_dim = false, have_prev = false, unsorted = false, damaged = false;
    uint32_t rows = 0, cols = 0, prev_row = 0, prev_col = 0;
    uint64_t ncells = 0;
    size_t depth = 0;
    for (;;) {
        int got = biff_next(r, &rec);
        if (got <= 0 || (rec.type == 0 && rec.len == 0)) {
            fx_deny(x, "trang tính \"%s\" không kết thúc bằng EOF", s->name);
            *stop = true;
            return DTBD_OK;
        }
        if (rec.type == BIFF_BOF) {
            fx_deny(x, "trang tính \"%s\" có biểu đồ nhúng", s->name);
            depth++;
            continue;
        }
        if (rec.type == BIFF_EOF) {
            if (depth == 0) break;
            depth--;
            continue;
        }
        if (depth > 0) continue;
        if (rec.type == BIFF_SST || rec.type == BIFF_BOUNDSHEET || rec.type == BIFF_FONT ||
            rec.type == BIFF_XF || rec.type == BIFF_FORMAT) {
            /* FreeXL takes them wherever they are, and a second SST leaks
             * the first one's table (fuzz_xls): they belong to the globals */
            fx_deny(x, "trang tính \"%s\" chứa bản ghi của phần chung (SST, FONT, XF…)", s->name);
            continue;
        }
        const unsigned char *b = rec.body;
        if (rec.type == BIFF_DIMENSION) {
            if (has_dim || ncells > 0 || rec.len < 14) {
                fx_deny(x, "trang tính \"%s\" có DIMENSION thừa, muộn hoặc hỏng", s->name);
                continue;
            }
            rows = biff_u32(b + 4);
            cols = biff_u16(b + 10);
            has_dim = true;
            continue;
        }
        size_t need = cell_need(rec.type, false); /* the survey is BIFF8's alone */
        if (need == 0) continue;
        if (rec.len < need || (rec.type == BIFF_MULRK && (rec.len - 6) % 6 != 0)) {
            fx_deny(x, "trang tính \"%s\" có bản ghi ô hỏng", s->name);
            damaged = true;
            continue;
        }
        uint32_t row = biff_u16(b), col = biff_u16(b + 2);
        unsigned n = rec.type == BIFF_MULRK ? (unsigned)((rec.len - 6) / 6) : 1;
        if (!has_dim)
            fx_deny(x, "trang tính \"%s\" không có DIMENSION trước các ô", s->name);
        else if (row >= rows || col + n > cols)
            fx_deny(x, "trang tính \"%s\" có ô nằm ngoài vùng DIMENSION", s->name);
        if (have_prev && (row < prev_row || (row == prev_row && col <= prev_col))) unsorted = true;
        have_prev = true;
        prev_row = row;
        prev_col = col + n - 1;
        ncells += n;
        switch (rec.type) {
        case BIFF_NUMBER:
            survey_days(x, row, col, biff_u16(b + 4), biff_f64(b + 6));
            break;
        case BIFF_RK:
            survey_days(x, row, col, biff_u16(b + 4), biff_rk(biff_u32(b + 6)));
            break;
        case BIFF_MULRK:
            for (unsigned i = 0; i < n; i++)
                survey_days(x, row, col + i, biff_u16(b + 4 + 6 * (size_t)i),
                            biff_rk(biff_u32(b + 6 + 6 * (size_t)i)));
            break;
        case BIFF_LABEL: { /* FreeXL reads its characters from this record alone */
            size_t cch = biff_u16(b + 6);
            if ((b[8] & 0x0C) || 9 + cch * (b[8] & 1 ? 2 : 1) > rec.len)
                fx_deny(x, "trang tính \"%s\" có chuỗi LABEL vượt ra ngoài bản ghi", s->name);
            break;
        }
        case BIFF_LABELSST:
            if (biff_u32(b + 6) >= x->nsst)
                fx_deny(x, "trang tính \"%s\" trỏ tới chuỗi dùng chung không có", s->name);
            break;
        default:
            break;
        }
    }
    /* a damaged sheet is checked again when read, failing before its cells */
    s->surveyed = !damaged;
    s->unsorted = unsorted;
    /* FreeXL leaks the text or date string of a cell written twice (fuzz_xls);
     * out of order is how a repeated cell shows: leave such sheets to the walk */
    if (unsorted) fx_deny(x, "trang tính \"%s\" có ô không theo thứ tự hoặc ghi hai lần", s->name);
    if (!has_dim) return DTBD_OK;
    uint64_t area = (uint64_t)rows * cols;
    if (area > x->lim->max_cells_per_sheet && ncells <= x->lim->max_cells_per_sheet) {
        x->sheet_name = s->name;
        return xfail(x, DTBD_ERR_LIMIT,
                     "vùng DIMENSION của trang tính là %u dòng × %u cột = %llu ô, "
                     "vượt giới hạn %llu ô",
                     rows, cols, (unsigned long long)area,
                     (unsigned long long)x->lim->max_cells_per_sheet);
    }
    x->fx_cells += area;
    return DTBD_OK;
}

/* Walk the stream after the globals as FreeXL will (linearly, every
 * substream in turn) and decide whether FreeXL may open the file: see
 * xls.h. Only a DIMENSION refusal is an error; anything else FreeXL could
 * not take safely leaves the values to the walk (fx_denied, with a note). */
static dtbd_status survey(xls_ctx *x)
{
    biff_reader r;
    biff_record rec;
    biff_reader_init(&r, x->wb, x->wbsize, x->globals_end);
    size_t k = 0;
    uint32_t worksheets = 0;
    bool stop = false;
    while (!stop) {
        int got = biff_next(&r, &rec);
        if (got == 0 || (got > 0 && rec.type == 0 && rec.len == 0)) break; /* FreeXL's end */
        if (got < 0 || rec.type != BIFF_BOF) {
            fx_deny(x, "có bản ghi hỏng hoặc nằm ngoài mọi trang tính");
            break;
        }
        if (k >= x->nsheets || x->sheets[k].off != rec.off) {
            fx_deny(x, "các trang tính không nằm theo thứ tự của danh sách BOUNDSHEET");
            break;
        }
        xls_sheet *s = &x->sheets[k++];
        if (s->dt != 0 || rec.len < 4 || biff_u16(rec.body + 2) != 0x0010) {
            /* FreeXL gives up on chart, macro and VB substreams */
            fx_deny(x, "bảng tính có trang biểu đồ, macro hoặc VBA");
            size_t depth = 0;
            for (;;) {
                got = biff_next(&r, &rec);
                if (got <= 0) return DTBD_OK;
                if (rec.type == BIFF_BOF) depth++;
                else if (rec.type == BIFF_EOF && depth-- == 0) break;
            }
            continue;
        }
        if (++worksheets > x->lim->max_sheets) { /* the walk refuses it there */
            fx_deny(x, "quá nhiều trang tính");
            break;
        }
        dtbd_status st = survey_sheet(x, &r, s, &stop);
        if (st != DTBD_OK) return st;
    }
    if (k != x->nsheets) fx_deny(x, "danh sách BOUNDSHEET trỏ ra ngoài các trang tính");
    uint64_t bytes = x->fx_cells * XLS_FX_CELL_BYTES + (uint64_t)x->sst_claim * XLS_FX_SST_BYTES;
    if (bytes > XLS_FX_MAX_BYTES)
        fx_deny(x, "FreeXL cần khoảng %llu MB cho vùng DIMENSION các trang tính",
                (unsigned long long)(bytes >> 20));
    x->sheet_name = NULL;
    return DTBD_OK;
}

/* Open FreeXL on the very file that was mapped (through /proc when it can)
 * unless the survey denied it; any refusal leaves the values to the walk. */
static void fx_open(xls_ctx *x, const char *path, int fd)
{
    if (x->rep->walk_only) {
        fx_note(x, "chỉ đọc các bản ghi (theo yêu cầu)");
        return;
    }
    if (x->fx_denied) return;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    const char *p = access(proc, R_OK) == 0 ? proc : path;
    const void *h = NULL;
    x->rep->freexl_opened = true;
    int rc = freexl_open(p, &h);
    if (rc != FREEXL_OK) {
        if (h) freexl_close(h); /* FreeXL asks for a close even on failure */
        fx_note(x, "FreeXL từ chối tệp (lỗi %d): đọc từ các bản ghi", rc);
        return;
    }
    if (!h) {
        fx_note(x, "FreeXL trả về thành công nhưng không có dữ liệu: đọc từ các bản ghi");
        return;
    }
    unsigned n = 0;
    rc = freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &n);
    if (rc != FREEXL_OK || n != x->nsheets) {
        freexl_close(h);
        fx_note(x, "FreeXL thấy %u trang tính thay vì %zu: đọc từ các bản ghi", n, x->nsheets);
        return;
    }
    x->fx = h;
}

/* Deliver the cells of one sheet in row-major order, then its merges. */
static dtbd_status read_sheet_cells(xls_ctx *x, const xls_sheet *s)
{
    size_t start = s->off;
    x->ncells = 0;
    x->have_prev = x->unsorted = false;
    dtbd_status st = DTBD_OK;
    if (s->surveyed) x->unsorted = s->unsorted;
    else st = walk_sheet(x, start, check_order, false);
    if (st != DTBD_OK) return st;
    if (!x->unsorted) {
        st = walk_sheet(x, start, emit_cell, false);
    } else {
        /* Written out of order (not by Excel or LibreOffice): sort positions. */
        x->npos = 0;
        st = walk_sheet(x, start, collect, false);
        if (st != DTBD_OK) return st;
        qsort(x->pos, x->npos, sizeof *x->pos, pos_cmp);
        for (size_t i = 0; i < x->npos && st == DTBD_OK; i++) {
            const xls_pos *p = &x->pos[i];
            if (i + 1 < x->npos && x->pos[i + 1].row == p->row && x->pos[i + 1].col == p->col)
                continue; /* a later record for the same cell wins */
            if (emit_cell(x, p->row, p->col, p->off, p->sub)) st = x->st;
        }
    }
    if (st != DTBD_OK) return st;
    return walk_sheet(x, start, NULL, true);
}

/* Read every worksheet in workbook order. */
static dtbd_status read_sheets(xls_ctx *x)
{
    unsigned index = 0;
    for (size_t i = 0; i < x->nsheets; i++) {
        const xls_sheet *s = &x->sheets[i];
        if (s->dt != 0) continue; /* chart, macro and VB module sheets hold no cells */
        x->sheet_name = s->name;
        biff_reader r;
        biff_record rec;
        biff_reader_init(&r, x->wb, x->wbsize, s->off);
        if (s->off >= x->wbsize || biff_next(&r, &rec) <= 0 || rec.type != BIFF_BOF ||
            rec.len < 4)
            return xfail(x, DTBD_ERR_CORRUPT, "vị trí trang tính không trỏ tới bản ghi BOF");
        uint16_t dt = biff_u16(rec.body + 2);
        if (dt != 0x0010) continue; /* a chart or macro sheet listed as a worksheet */
        if (index >= x->lim->max_sheets)
            return xfail(x, DTBD_ERR_LIMIT, "bảng tính có hơn %u trang tính", x->lim->max_sheets);
        wb_sheet_info info = {.name = s->name, .index = index++, .hidden = s->state != 0};
        int rc = x->sink->sheet_begin ? x->sink->sheet_begin(x->sink->ctx, &info) : 0;
        if (rc < 0) return xfail(x, DTBD_ERR_ABORTED, "dừng trước trang tính");
        if (rc == 0 && x->fx) {
            int frc = freexl_select_active_worksheet(x->fx, (unsigned short)i);
            if (frc != FREEXL_OK) fx_drop(x, "chọn trang tính", frc);
        }
        if (rc == 0) {
            dtbd_status st = read_sheet_cells(x, s);
            if (st != DTBD_OK) return st;
        }
        if (x->sink->sheet_end && x->sink->sheet_end(x->sink->ctx, &info) != 0)
            return xfail(x, DTBD_ERR_ABORTED, "dừng sau trang tính");
    }
    x->sheet_name = NULL;
    return DTBD_OK;
}

/* ---- private: file access ----------------------------------------------------------- */

/* Map the file read-only; *img NULL and status set on failure. When fdp is
 * not NULL the file stays open there (for FreeXL to read the same file). */
static dtbd_status map_file(const char *path, const unsigned char **img, size_t *size,
                          int *fdp, wb_error *err)
{
    *img = NULL;
    *size = 0;
    if (fdp) *fdp = -1;
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
    if (p == MAP_FAILED || !fdp) close(fd);
    if (p == MAP_FAILED) {
        wb_error_set(err, DTBD_ERR_IO, "%s", syserr_text(mmap_errno, SYSERR_READ));
        return DTBD_ERR_IO;
    }
    if (fdp) *fdp = fd;
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
    if (map_file(path, &img, &size, NULL, &local) != DTBD_OK) {
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
    int fd;
    if (map_file(path, &img, &size, &fd, err) != DTBD_OK) return err->status;

    xls_ctx x = {.lim = lim, .sink = sink, .err = err, .rep = rep};
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
    if (st == DTBD_OK && !x.biff5) st = survey(&x); /* FreeXL's guard: BIFF8 only */
    if (st == DTBD_OK) {
        fx_open(&x, path, fd);
        st = read_sheets(&x);
    }
    rep->freexl_used = x.fx != NULL;
    if (x.fx) freexl_close(x.fx);
out:
    close(fd);
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
