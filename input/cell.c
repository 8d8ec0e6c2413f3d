/* input/cell.c — the helpers on the cell model (see cell.h). */
#include "input/cell.h"

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

#include "base/num.h"

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

/* Write the digits of d (n of them, n >= 1) at o; returns the end. */
static char *put_digits(char *o, uint64_t d, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        o[i] = (char)('0' + d % 10);
        d /= 10;
    }
    return o + n;
}

/* The text printf("%.*g", P, v) gives for v = ±d * 10^e when d (n digits)
 * is what rounding v to P digits gives: fixed notation for a decimal
 * exponent X in [-4, P), else d.ddde±XX; no trailing zeros either way. */
static void put_g(char *out, bool neg, uint64_t d, int n, int e, int prec)
{
    int x = e + n - 1;
    char *o = out;
    if (neg) *o++ = '-';
    if (x < -4 || x >= prec) {
        char dig[20];
        put_digits(dig, d, n);
        *o++ = dig[0];
        if (n > 1) {
            *o++ = '.';
            memcpy(o, dig + 1, (size_t)n - 1);
            o += n - 1;
        }
        *o++ = 'e';
        *o++ = x < 0 ? '-' : '+';
        unsigned ax = (unsigned)(x < 0 ? -x : x);
        if (ax >= 100) *o++ = (char)('0' + ax / 100);
        *o++ = (char)('0' + ax / 10 % 10);
        *o++ = (char)('0' + ax % 10);
    } else if (x < 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = -1; i > x; i--) *o++ = '0';
        o = put_digits(o, d, n);
    } else if (n <= x + 1) {
        o = put_digits(o, d, n);
        for (int i = n; i <= x; i++) *o++ = '0';
    } else {
        char dig[20];
        put_digits(dig, d, n);
        memcpy(o, dig, (size_t)x + 1);
        o += x + 1;
        *o++ = '.';
        memcpy(o, dig + x + 1, (size_t)(n - x - 1));
        o += n - x - 1;
    }
    *o = '\0';
}

void wb_number_str(double v, char out[32])
{
    if (isnan(v)) { snprintf(out, 32, "NaN"); return; }
    if (isinf(v)) { snprintf(out, 32, v > 0 ? "Infinity" : "-Infinity"); return; }
    if (v == 0) { out[0] = '0'; out[1] = '\0'; return; }
    /* Integers within 2^53 (most cells of a report) are written digit by
     * digit. */
    if (fabs(v) < 9007199254740992.0 && v == floor(v)) {
        uint64_t u = (uint64_t)fabs(v);
        int n = 1;
        for (uint64_t t = u; t >= 10; t /= 10) n++;
        char *o = out;
        if (v < 0) *o++ = '-';
        *put_digits(o, u, n) = '\0';
        return;
    }
    /* The shortest digits that read back as v, written as the first of
     * printf("%.15g"), ("%.16g"), ("%.17g") that reads back would write
     * them: any decimal of 15 significant digits or fewer that reads back as
     * v is what %.15g prints (a double carries more than 15 digits), and
     * num_shortest() picks, as %.Ng does, the nearest of the shortest.
     * Subnormals carry fewer digits: there the precision is the length. */
    int bexp;
    if (frexp(v, &bexp) == 0.5 || frexp(v, &bexp) == -0.5) {
        /* A power of two: its lower neighbour is nearer than its upper one,
         * so a shortest decimal may lie where %.Ng's nearest does not read
         * back. Rare; printf decides, as it always did. */
        for (int prec = fabs(v) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
            snprintf(out, 32, "%.*g", prec, v);
            if (strtod(out, NULL) == v) break;
        }
        return;
    }
    uint64_t d;
    int e;
    num_shortest(v, &d, &e);
    int n = 1;
    for (uint64_t t = d; t >= 10; t /= 10) n++;
    int prec = fabs(v) < DBL_MIN ? n : (n <= 15 ? 15 : n);
    put_g(out, v < 0, d, n, e, prec);
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
