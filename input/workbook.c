/* input/workbook.c — format sniffing, dispatch to the readers, and the helpers
 * on the cell model (see workbook.h). */
#include "workbook.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "csvfile.h"
#include "xls.h"
#include "text.h"
#include "xlsx.h"
#include "input/syserr.h"

/* ---- formats and errors ----------------------------------------------------- */

const char *wb_format_name(wb_format fmt)
{
    switch (fmt) {
    case WB_FMT_XLSX: return "xlsx";
    case WB_FMT_XLS: return "xls";
    case WB_FMT_CSV: return "csv";
    case WB_FMT_XLSB: return "xlsb";
    case WB_FMT_ODS: return "ods";
    case WB_FMT_ENCRYPTED: return "encrypted";
    case WB_FMT_OLE_OTHER: return "ole";
    case WB_FMT_ZIP_OTHER: return "zip";
    case WB_FMT_ARCHIVE: return "archive";
    case WB_FMT_EMPTY: return "empty";
    case WB_FMT_UNKNOWN: break;
    }
    return "unknown";
}

const char *wb_strerror(wb_status st)
{
    switch (st) {
    case WB_OK: return "đọc thành công";
    case WB_ERR_IO: return "không mở hoặc không đọc được tệp";
    case WB_ERR_FORMAT: return "không phải bảng tính được hỗ trợ (.xlsx, .xls, .csv)";
    case WB_ERR_ENCRYPTED: return "bảng tính có mật khẩu, không đọc được";
    case WB_ERR_CORRUPT: return "tệp bị hỏng hoặc không đầy đủ";
    case WB_ERR_LIMIT: return "tệp vượt giới hạn an toàn";
    case WB_ERR_NOMEM: return "không đủ bộ nhớ";
    case WB_ERR_ABORTED: return "dừng đọc theo yêu cầu";
    case WB_ERR_CHANGED: return "tệp thay đổi trong khi đang đọc";
    }
    return "lỗi không xác định";
}

/* Make s valid UTF-8 in place: a byte that starts no well-formed sequence
 * becomes '?' (a name cut by "%.80s" or by the detail's size inside a
 * character, a part name whose %XX escapes decode to stray bytes). */
static void fix_utf8(char *s)
{
    size_t n = strlen(s);
    if (text_utf8_valid(s, n)) return;
    for (size_t i = 0; i < n;) {
        size_t k = 1;
        while (k <= 4 && i + k <= n && !text_utf8_valid(s + i, k)) k++;
        if (k <= 4 && i + k <= n) {
            i += k;
        } else {
            s[i++] = '?';
        }
    }
}

void wb_error_set(wb_error *err, wb_status st, const char *fmt, ...)
{
    if (!err) return;
    err->status = st;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->detail, sizeof err->detail, fmt, ap);
        va_end(ap);
        fix_utf8(err->detail); /* details quote names read from the file */
    } else {
        err->detail[0] = '\0';
    }
}

void wb_error_format(const wb_error *err, const char *path, char *out, size_t n)
{
    if (!n) return;
    const char *sep = err->detail[0] ? " (" : "";
    const char *end = err->detail[0] ? ")" : "";
    if (err->sheet[0] || err->cell[0])
        snprintf(out, n, "%s: %s%s%s: %s%s%s%s", path, err->sheet,
                 err->sheet[0] && err->cell[0] ? "!" : "", err->cell,
                 wb_strerror(err->status), sep, err->detail, end);
    else
        snprintf(out, n, "%s: %s%s%s%s", path, wb_strerror(err->status), sep, err->detail,
                 end);
    /* one line, whatever the detail held */
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r') *p = ' ';
}

wb_limits wb_limits_default(void)
{
    wb_limits l = {
        .max_file_bytes = 256ull << 20,      /* e-mail attachments are far smaller */
        .max_inflated_total = 1024ull << 20, /* 1 GiB of XML: ~10M cells          */
        .max_inflate_ratio = 200,            /* bombs are 1000:1 and more         */
        .ratio_floor_bytes = 16ull << 20,    /* small parts may compress well     */
        .max_xml_depth = 64,                 /* spreadsheet XML nests < 10 deep   */
        .max_string_bytes = 1u << 20,        /* Excel cells hold 32767 chars      */
        .max_cells_per_sheet = 20000000,     /* Excel's grid is 17e9; 20M is huge */
        .max_cells_per_workbook = 2000000,   /* a report has thousands; ~0.5 GB
                                                held and recognized at most  */
        .max_grid_bytes = 256ull << 20,
        .max_sheets = 1024,
        .max_shared_strings = 20000000,
        .max_archive_members = 1000,         /* a cycle's reports from one sender */
        .max_archive_depth = 2,              /* a zip of the units' zips          */
    };
    return l;
}

/* ---- sniffing ----------------------------------------------------------------- */

static const unsigned char OLE2_MAGIC[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};

/* Text unless it holds NUL bytes or many C0 controls (a UTF-16 file with a BOM
 * is text too: the CSV reader converts it). */
static wb_format sniff_text(const unsigned char *p, size_t n)
{
    if (n >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == 0xFE && p[1] == 0xFF)))
        return WB_FMT_CSV;
    size_t controls = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (c == 0) return WB_FMT_UNKNOWN;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') controls++;
    }
    if (controls * 100 > n) return WB_FMT_UNKNOWN; /* >1 % control bytes: binary */
    return WB_FMT_CSV;
}

int wb_open_regular(const char *path, uint64_t max_bytes, struct stat *stp, wb_error *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        wb_error_set(err, WB_ERR_IO, "%s", syserr_text(errno, SYSERR_READ));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        wb_error_set(err, WB_ERR_IO, "%s", syserr_text(errno, SYSERR_READ));
    } else if (S_ISDIR(st.st_mode)) {
        wb_error_set(err, WB_ERR_IO, "là thư mục, không phải tệp");
    } else if (!S_ISREG(st.st_mode)) {
        wb_error_set(err, WB_ERR_IO, "không phải tệp thường (FIFO, thiết bị hoặc socket)");
    } else if ((uint64_t)st.st_size > max_bytes) {
        wb_error_set(err, WB_ERR_LIMIT, "tệp %llu byte, giới hạn %llu byte",
                     (unsigned long long)st.st_size, (unsigned long long)max_bytes);
    } else {
        int flags = fcntl(fd, F_GETFL);
        if (flags >= 0) fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
        *stp = st;
        return fd;
    }
    close(fd);
    return -1;
}

wb_format wb_sniff(const char *path, wb_error *err)
{
    wb_error dummy;
    if (!err) err = &dummy;
    memset(err, 0, sizeof *err);
    struct stat st;
    int fd = wb_open_regular(path, UINT64_MAX, &st, err);
    if (fd < 0) return WB_FMT_UNKNOWN;
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        wb_error_set(err, WB_ERR_IO, "%m");
        close(fd);
        return WB_FMT_UNKNOWN;
    }
    unsigned char head[65536];
    size_t n = fread(head, 1, sizeof head, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        wb_error_set(err, WB_ERR_IO, "lỗi đọc tệp");
        return WB_FMT_UNKNOWN;
    }
    wb_format fmt;
    /* a file that holds nothing but a byte-order mark is as empty as 0 bytes */
    bool bom_only = (n == 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0) ||
                    (n == 2 && (memcmp(head, "\xFF\xFE", 2) == 0 || memcmp(head, "\xFE\xFF", 2) == 0));
    if (n == 0 || bom_only) fmt = WB_FMT_EMPTY;
    else if (n >= 8 && memcmp(head, OLE2_MAGIC, 8) == 0) fmt = xls_sniff(path, err);
    else if (n >= 4 && head[0] == 'P' && head[1] == 'K' &&
             ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
        fmt = xlsx_sniff(path, err);
    else fmt = sniff_text(head, n);
    err->format = fmt;
    return fmt;
}

/* ---- reading ------------------------------------------------------------------- */

wb_status wb_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                  wb_error *err)
{
    return wb_read_named(path, path, lim, sink, err);
}

/* The sink every reader writes to: the caller's, behind a count of the
 * workbook's non-empty cells (max_cells_per_workbook, for every format in
 * one place). Over the cap the reader is stopped (WB_ERR_ABORTED), and
 * wb_read_named turns that into WB_ERR_LIMIT naming the cell. */
typedef struct {
    const wb_sink *inner;
    uint64_t max, n;
    bool over;
    uint32_t row, col;
    char sheet[96];
} cell_budget;

static int budget_begin(void *ctx, const wb_sheet_info *s)
{
    cell_budget *b = ctx;
    text_copy_cut(b->sheet, sizeof b->sheet, s->name);
    return b->inner->sheet_begin ? b->inner->sheet_begin(b->inner->ctx, s) : 0;
}

static int budget_cell(void *ctx, const wb_cell *c)
{
    cell_budget *b = ctx;
    if (c->type != WB_EMPTY && !(c->type == WB_TEXT && c->len == 0) && ++b->n > b->max) {
        b->over = true;
        b->row = c->row;
        b->col = c->col;
        return 1;
    }
    return b->inner->cell ? b->inner->cell(b->inner->ctx, c) : 0;
}

static int budget_merge(void *ctx, const wb_range *r)
{
    cell_budget *b = ctx;
    return b->inner->merge ? b->inner->merge(b->inner->ctx, r) : 0;
}

static int budget_end(void *ctx, const wb_sheet_info *s)
{
    cell_budget *b = ctx;
    return b->inner->sheet_end ? b->inner->sheet_end(b->inner->ctx, s) : 0;
}

static wb_status read_format(wb_format fmt, const char *path, const char *name, off_t size,
                             const wb_limits *lim, const wb_sink *sink, wb_error *err);

wb_status wb_read_named(const char *path, const char *name, const wb_limits *lim,
                        const wb_sink *sink, wb_error *err)
{
    wb_error dummy;
    if (!err) err = &dummy;
    wb_limits defaults = wb_limits_default();
    if (!lim) lim = &defaults;
    wb_sink none = {0};
    if (!sink) sink = &none;

    memset(err, 0, sizeof *err);
    struct stat st;
    int fd = wb_open_regular(path, lim->max_file_bytes, &st, err);
    if (fd < 0) return err->status;
    close(fd);

    wb_format fmt = wb_sniff(path, err);
    if (err->status != WB_OK) return err->status;
    cell_budget b = {.inner = sink, .max = lim->max_cells_per_workbook};
    wb_sink counted = {&b, budget_begin, budget_cell, budget_merge, budget_end};
    wb_status rc = read_format(fmt, path, name, st.st_size, lim, &counted, err);
    if (b.over) {
        text_copy_cut(err->sheet, sizeof err->sheet, b.sheet);
        wb_cell_ref(b.row, b.col, err->cell);
        wb_error_set(err, WB_ERR_LIMIT, "bảng tính có hơn %llu ô có dữ liệu (giới hạn "
                     "cells_per_workbook)", (unsigned long long)lim->max_cells_per_workbook);
        rc = WB_ERR_LIMIT;
    }
    err->format = fmt;
    err->status = rc;
    return rc;
}

/* Read the sniffed format fmt (wb_read_named's dispatch); size: the file's
 * bytes (an "empty" file of more than 0 holds only a byte-order mark). */
static wb_status read_format(wb_format fmt, const char *path, const char *name, off_t size,
                             const wb_limits *lim, const wb_sink *sink, wb_error *err)
{
    wb_status rc;
    switch (fmt) {
    case WB_FMT_XLSX: rc = xlsx_read(path, lim, sink, err); break;
    case WB_FMT_XLS: rc = xls_read(path, lim, sink, err); break;
    case WB_FMT_CSV: rc = csvfile_read_named(path, name, lim, sink, err); break;
    case WB_FMT_ENCRYPTED:
        wb_error_set(err, WB_ERR_ENCRYPTED, "gỡ mật khẩu rồi gửi lại");
        rc = err->status;
        break;
    case WB_FMT_XLSB:
        wb_error_set(err, WB_ERR_FORMAT, "bảng tính nhị phân .xlsb: lưu lại dạng .xlsx");
        rc = err->status;
        break;
    case WB_FMT_ODS:
        wb_error_set(err, WB_ERR_FORMAT, "bảng tính OpenDocument .ods: lưu lại dạng .xlsx");
        rc = err->status;
        break;
    case WB_FMT_EMPTY:
        wb_error_set(err, WB_ERR_FORMAT, size == 0 ? "tệp rỗng (0 byte)"
                                                          : "tệp rỗng (chỉ có dấu BOM, không có nội dung)");
        rc = err->status;
        break;
    case WB_FMT_OLE_OTHER:
        wb_error_set(err, WB_ERR_FORMAT, "tệp Office nhưng không chứa bảng tính");
        rc = err->status;
        break;
    case WB_FMT_ZIP_OTHER:
        wb_error_set(err, WB_ERR_FORMAT, "tệp nén zip nhưng không phải bảng tính .xlsx");
        rc = err->status;
        break;
    case WB_FMT_ARCHIVE:
        wb_error_set(err, WB_ERR_FORMAT,
                     "tệp nén .zip chứa các tệp khác: dtbd run và dtbd check đọc từng tệp trong đó");
        rc = err->status;
        break;
    case WB_FMT_UNKNOWN:
    default:
        wb_error_set(err, WB_ERR_FORMAT, "nội dung không nhận ra được");
        rc = err->status;
        break;
    }
    return rc;
}

/* ---- helpers on the model ---------------------------------------------------------- */

void wb_cell_ref(uint32_t row, uint32_t col, char out[16])
{
    char letters[8];
    int n = 0;
    uint64_t c = (uint64_t)col + 1;
    while (c > 0 && n < 7) {
        c--;
        letters[n++] = (char)('A' + c % 26);
        c /= 26;
    }
    int k = 0;
    while (n > 0) out[k++] = letters[--n];
    /* digits by hand: this runs once per cell in `dtbd dump` */
    char digits[12];
    int d = 0;
    unsigned long long r = (unsigned long long)row + 1;
    do { digits[d++] = (char)('0' + r % 10); r /= 10; } while (r);
    while (d > 0 && k < 15) out[k++] = digits[--d];
    out[k] = '\0';
}

bool wb_parse_col(const char *s, size_t n, uint32_t *col)
{
    if (n == 0 || n > 7) return false;
    uint64_t c = 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch >= 'a' && ch <= 'z') ch = (char)(ch - 'a' + 'A');
        if (ch < 'A' || ch > 'Z') return false;
        c = c * 26 + (uint64_t)(ch - 'A' + 1);
    }
    if (c == 0 || c - 1 > UINT32_MAX) return false;
    *col = (uint32_t)(c - 1);
    return true;
}

bool wb_parse_ref(const char *s, size_t n, uint32_t *row, uint32_t *col)
{
    size_t i = 0;
    if (i < n && s[i] == '$') i++;
    size_t c0 = i;
    while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z'))) i++;
    if (!wb_parse_col(s + c0, i - c0, col)) return false;
    if (i < n && s[i] == '$') i++;
    if (i >= n) return false;
    uint64_t r = 0;
    for (; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        r = r * 10 + (uint64_t)(s[i] - '0');
        if (r > (uint64_t)UINT32_MAX + 1) return false;   /* 1-based: row+1 */
    }
    if (r == 0) return false;
    *row = (uint32_t)(r - 1);
    return true;
}

double wb_serial_to_days(double serial, bool date1904)
{
    if (date1904) return serial + 1462.0;
    /* 1900 system: serial 1 is 1900-01-01 and Excel counts a 29 Feb 1900 that
     * never was (serial 60). From serial 61 on, serial == days since 1899-12-30.
     * Below 1 is Excel's day 0 ("1900-01-00"), no day at all: the time of a
     * time-formatted cell, kept on day 0 (a time alone, see workbook.h). */
    if (serial >= 0.0 && serial < 1.0) return serial;
    if (serial < 60.0) return serial + 1.0;
    if (serial < 61.0) return 61.0 - 0.0 + (serial - 60.0); /* phantom day → 1 Mar */
    return serial;
}

/* Days since 1970-01-01 → civil date (H. Hinnant's algorithm). */
static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = (long long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

/* Write "hh:mm:ss" (each part below 100) at o; returns the end. */
static char *put_hms(char *o, unsigned hh, unsigned mi, unsigned ss)
{
    unsigned parts[3] = {hh, mi, ss};
    for (int i = 0; i < 3; i++) {
        if (i) *o++ = ':';
        *o++ = (char)('0' + parts[i] / 10);
        *o++ = (char)('0' + parts[i] % 10);
    }
    return o;
}

void wb_date_iso(double days, char out[32])
{
    if (!isfinite(days) || days < -700000.0 || days > 3000000.0) {
        snprintf(out, 32, "#DATE!");
        return;
    }
    long long secs = llround(days * 86400.0);
    long long day = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    long long sod = secs - day * 86400;
    long long y;
    unsigned m, d;
    civil_from_days(day - 25569, &y, &m, &d); /* 1899-12-30 is 25569 days before 1970 */
    /* Written by hand (no snprintf): dates are common cells in a dump. The
     * guard above keeps the year within 4 digits of -1900..9999 and beyond; a
     * year outside 0..9999 is printed with snprintf. */
    unsigned hh = (unsigned)(sod / 3600) % 24, mi = (unsigned)(sod / 60) % 60,
             ss = (unsigned)(sod % 60);
    if (day == 0) { /* day 0: a time of day alone (see workbook.h) */
        *put_hms(out, hh, mi, ss) = '\0';
        return;
    }
    if (y < 0 || y > 9999) {
        snprintf(out, 32, "%lld-%02u-%02u", (long long)y % 100000, m % 13, d % 32);
        return;
    }
    unsigned yy = (unsigned)y;
    char *o = out;
    *o++ = (char)('0' + yy / 1000);
    *o++ = (char)('0' + yy / 100 % 10);
    *o++ = (char)('0' + yy / 10 % 10);
    *o++ = (char)('0' + yy % 10);
    *o++ = '-';
    *o++ = (char)('0' + m / 10);
    *o++ = (char)('0' + m % 10);
    *o++ = '-';
    *o++ = (char)('0' + d / 10);
    *o++ = (char)('0' + d % 10);
    if (sod != 0) {
        *o++ = 'T';
        o = put_hms(o, hh, mi, ss);
    }
    *o = '\0';
}

void wb_number_str(double v, char out[32])
{
    if (isnan(v)) { snprintf(out, 32, "NaN"); return; }
    if (isinf(v)) { snprintf(out, 32, v > 0 ? "Infinity" : "-Infinity"); return; }
    if (v == 0) { out[0] = '0'; out[1] = '\0'; return; }
    /* Integers (most cells of a report) are written digit by digit: no
     * snprintf/strtod round trip. */
    if (fabs(v) < 1e15 && v == floor(v)) {
        long long i = (long long)v;
        char tmp[24];
        int n = 0;
        unsigned long long u = i < 0 ? (unsigned long long)(-i) : (unsigned long long)i;
        do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
        int k = 0;
        if (i < 0) out[k++] = '-';
        while (n) out[k++] = tmp[--n];
        out[k] = '\0';
        return;
    }
    /* Short decimals (12.5, 0.0015, 1234.75: the usual non-integer cells):
     * the first k whose k-decimal candidate t/10^k divides back exactly to v
     * is the shortest form, since a correctly rounded division gives the
     * double nearest t/10^k, as strtod would. Limited to where %g also writes
     * fixed notation, so both paths print the same text. */
    if (fabs(v) >= 1e-4 && fabs(v) < 1e9) {
        static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
        for (int k = 1; k <= 9; k++) {
            double t = nearbyint(v * pow10[k]);
            if (fabs(t) >= 9007199254740992.0) break;
            if (t / pow10[k] != v) continue;
            unsigned long long u = (unsigned long long)fabs(t);
            char digits[24];
            int n = 0;
            do { digits[n++] = (char)('0' + u % 10); u /= 10; } while (u);
            while (n <= k) digits[n++] = '0';          /* leading zeros: 0.0015 */
            int o = 0;
            if (v < 0) out[o++] = '-';
            while (n > k) out[o++] = digits[--n];
            out[o++] = '.';
            while (n > 0) out[o++] = digits[--n];
            out[o] = '\0';
            return;
        }
    }
    /* Shortest exact form: any decimal of 15 significant digits or fewer
     * that reads back as v is exactly what %.15g prints (a double carries
     * more than 15 digits, so rounding v to 15 digits lands on it); only
     * when that does not read back are 16 and then 17 digits needed.
     * Subnormals carry fewer digits: they take the long way. */
    for (int prec = fabs(v) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
        snprintf(out, 32, "%.*g", prec, v);
        if (strtod(out, NULL) == v) break;
    }
    /* %g picks exponent form for large integers within 2^53 ("1e+15"):
     * write those as plain integers. */
    if (strchr(out, 'e') && fabs(v) < 9007199254740992.0 && v == floor(v))
        snprintf(out, 32, "%.0f", v);
}

bool wb_numfmt_is_date(int id, const char *code)
{
    if ((id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) ||
        (id >= 50 && id <= 58))
        return true;
    if (!code) return false;
    /* Only the first section (positive numbers) decides. */
    bool date = false;
    for (const char *p = code; *p && *p != ';'; p++) {
        char c = *p;
        if (c == '"') {                        /* quoted literal               */
            p++;
            while (*p && *p != '"') p++;
            if (!*p) break;
        } else if (c == '\\' || c == '_' || c == '*') { /* escaped/fill/pad char */
            if (p[1]) p++;
        } else if ((c == 'G' || c == 'g') && strncasecmp(p, "General", 7) == 0) {
            p += 6;                            /* "General": e and G are no date */
        } else if (c == '[') {                 /* [Red], [$-409], [h], [mm]    */
            const char *q = p + 1;
            bool elapsed = (*q == 'h' || *q == 'H' || *q == 'm' || *q == 'M' ||
                            *q == 's' || *q == 'S');
            while (*p && *p != ']') p++;
            if (elapsed) date = true;          /* elapsed time is a time       */
            if (!*p) break;
        } else {
            switch (c) {
            case 'd': case 'D': case 'm': case 'M': case 'y': case 'Y':
            case 'h': case 'H': case 's': case 'S': case 'e': case 'g': case 'G':
                date = true;
                break;
            case 'E': /* 0.00E+00 is scientific, not a date */
                break;
            default: break;
            }
            if (c == 'e' && (p[1] == '+' || p[1] == '-')) date = false;
        }
    }
    return date;
}
