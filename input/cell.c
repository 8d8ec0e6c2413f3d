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
