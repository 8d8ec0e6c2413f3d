/* pipeline/numparse.c — numbers typed as text (see numparse.h for the rules). */
#include "pipeline/numparse.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

/* ---- characters --------------------------------------------------------------- */

/* Byte length of a space-like character at s[0..n) (white space to trim, or a
 * thousands separator), 0 when there is none: ASCII white space, every Unicode
 * space separator (Zs: NBSP, figure, thin, narrow no-break, ideographic …) and
 * the line and paragraph separators. zero_width: a format character (Cf: zero
 * width space, word joiner, soft hyphen, BOM, direction marks) counts as
 * trimmable space but never as a separator. */
static size_t space_len(const unsigned char *s, size_t n, bool *zero_width)
{
    *zero_width = false;
    if (n == 0) return 0;
    if (s[0] == ' ' || s[0] == '\t' || s[0] == '\n' || s[0] == '\r' || s[0] == '\v' ||
        s[0] == '\f')
        return 1;
    if (s[0] < 0x80) return 0;
    utf8proc_int32_t cp;
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)(n < 4 ? n : 4), &cp);
    if (k <= 0) return 0;
    utf8proc_category_t c = utf8proc_category(cp);
    if (c == UTF8PROC_CATEGORY_ZS || c == UTF8PROC_CATEGORY_ZL || c == UTF8PROC_CATEGORY_ZP)
        return (size_t)k;
    if (c == UTF8PROC_CATEGORY_CF) { *zero_width = true; return (size_t)k; }
    return 0;
}

/* Byte length of a dash at s[0..n), 0 when there is none. minus_ok: set when
 * the dash may also stand for a minus sign before digits. */
static size_t dash_len(const unsigned char *s, size_t n, bool *minus_ok)
{
    *minus_ok = false;
    if (n == 0) return 0;
    if (s[0] == '-') { *minus_ok = true; return 1; }
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x90 && s[2] <= 0x95) {
        *minus_ok = s[2] == 0x93;                                   /* en dash */
        return 3;                                   /* U+2010 … U+2015 */
    }
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x88 && s[2] == 0x92) {   /* U+2212 minus */
        *minus_ok = true;
        return 3;
    }
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xB9 && s[2] == 0xA3) return 3;   /* U+FE63 */
    if (n >= 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] == 0x8D) return 3;   /* U+FF0D */
    return 0;
}

/* ---- digit groups ---------------------------------------------------------------- */

enum sep_class { SEP_DOT, SEP_COMMA, SEP_SPACE };

enum { MAX_GROUPS = 24, MAX_DIGITS = 15 };

typedef struct {
    const unsigned char *p;
    size_t n;
} group;

/* True when groups g[0..m] separated by s[0..m-1] form a thousands grouping:
 * a first group of 1–3 digits not starting with 0, then groups of exactly 3,
 * one separator character throughout. */
static bool thousands_ok(const group *g, const enum sep_class *s, size_t m)
{
    if (g[0].n < 1 || g[0].n > 3 || g[0].p[0] == '0') return false;
    for (size_t i = 1; i <= m; i++) {
        if (g[i].n != 3) return false;
        if (s[i - 1] != s[0]) return false;
    }
    return true;
}

/* Append the digits of a group to a mantissa; false when the figure has more
 * significant digits than a double holds exactly. */
static bool add_digits(group g, uint64_t *mant, int *sig)
{
    for (size_t i = 0; i < g.n; i++) {
        int d = g.p[i] - '0';
        if (*sig == 0 && d == 0) continue;                /* leading zeros */
        if (++*sig > MAX_DIGITS) return false;
        *mant = *mant * 10 + (uint64_t)d;
    }
    return true;
}

/* The value of integer groups g[0..m] and an optional fraction group, exactly
 * rounded (an integer of ≤ 15 digits divided by an exact power of ten). */
static bool group_value(const group *g, size_t m, const group *frac, double *v)
{
    uint64_t mant = 0;
    int sig = 0;
    for (size_t i = 0; i <= m; i++)
        if (!add_digits(g[i], &mant, &sig)) return false;
    int fdigits = 0;
    if (frac) {
        size_t fn = frac->n;
        while (fn > 0 && frac->p[fn - 1] == '0') fn--;    /* "125,50" → 125,5 */
        if (!add_digits((group){ frac->p, fn }, &mant, &sig)) return false;
        fdigits = (int)fn;
    }
    double p10 = 1;
    for (int i = 0; i < fdigits; i++) p10 *= 10;
    *v = (double)mant / p10;
    return true;
}

/* True when every digit of the group is 0. */
static bool all_zero(group g)
{
    for (size_t i = 0; i < g.n; i++)
        if (g.p[i] != '0') return false;
    return true;
}

/* ---- public ------------------------------------------------------------------------ */

numparse_result numparse_text(const char *str, size_t n, bool decimal_ok, double *out)
{
    double dummy;
    if (!out) out = &dummy;
    *out = 0;
    const unsigned char *s = (const unsigned char *)(str ? str : "");
    if (!str) n = 0;

    /* Trim white space at both ends (trailing: step back over whole characters). */
    size_t a = 0, b = n, k;
    bool zw;
    while (a < b && (k = space_len(s + a, b - a, &zw)) > 0) a += k;
    for (;;) {
        size_t nb = b;
        if (nb > a && space_len(s + nb - 1, 1, &zw) == 1) nb -= 1;
        else if (nb >= a + 2 && space_len(s + nb - 2, 2, &zw) == 2) nb -= 2;
        else if (nb >= a + 3 && space_len(s + nb - 3, 3, &zw) == 3) nb -= 3;
        if (nb == b) break;
        b = nb;
    }
    if (a == b) return NUMPARSE_ZERO_MARK;

    /* Only dashes (and spaces between them): a zero mark. */
    {
        size_t i = a;
        bool any_dash = false, minus;
        while (i < b) {
            if ((k = dash_len(s + i, b - i, &minus)) > 0) { any_dash = true; i += k; continue; }
            if ((k = space_len(s + i, b - i, &zw)) > 0) { i += k; continue; }
            break;
        }
        if (i == b && any_dash) return NUMPARSE_ZERO_MARK;
    }

    /* Sign, directly before the first digit. */
    bool negative = false, minus;
    if (s[a] == '+') {
        a++;
    } else if ((k = dash_len(s + a, b - a, &minus)) > 0 && minus) {
        negative = true;
        a += k;
    }
    if (a >= b || s[a] < '0' || s[a] > '9') return NUMPARSE_BAD;

    /* Digit groups and the single characters between them. */
    group g[MAX_GROUPS];
    enum sep_class sep[MAX_GROUPS];
    size_t ng = 0, i = a;
    for (;;) {
        size_t st = i;
        while (i < b && s[i] >= '0' && s[i] <= '9') i++;
        if (i == st || ng == MAX_GROUPS) return NUMPARSE_BAD;     /* empty group */
        g[ng++] = (group){ s + st, i - st };
        if (i == b) break;
        if (s[i] == '.') { sep[ng - 1] = SEP_DOT; i++; }
        else if (s[i] == ',') { sep[ng - 1] = SEP_COMMA; i++; }
        else if ((k = space_len(s + i, b - i, &zw)) > 0 && !zw) { sep[ng - 1] = SEP_SPACE; i += k; }
        else return NUMPARSE_BAD;                                  /* letter, %, … */
        if (i == b) return NUMPARSE_BAD;                           /* "12." */
    }

    size_t last = ng - 1;        /* index of the last group */
    size_t int_last;             /* integer part: groups 0..int_last */
    const group *frac = NULL;
    if (ng == 1) {
        int_last = 0;
    } else {
        bool same = true;
        for (size_t j = 1; j < last; j++)
            if (sep[j] != sep[0]) same = false;
        if (same && thousands_ok(g, sep, last)) {
            /* The one ambiguous form: "1,234" in a decimal column is 1.234 (see
             * numparse.h); a dot, a space, or two commas group thousands. */
            if (decimal_ok && last == 1 && sep[0] == SEP_COMMA) {
                int_last = 0;
                frac = &g[1];
            } else {
                int_last = last;
            }
        } else if (same) {
            if (last != 1 || sep[0] == SEP_SPACE) return NUMPARSE_BAD;
            int_last = 0;                  /* "12,5", "12.5", "0,125": a decimal */
            frac = &g[1];
        } else {
            /* Mixed: the last separator is the decimal one, used once, and the
             * earlier ones group the integer part's thousands. */
            enum sep_class dec = sep[last - 1];
            if (dec == SEP_SPACE) return NUMPARSE_BAD;
            for (size_t j = 0; j + 1 < last; j++)
                if (sep[j] == dec) return NUMPARSE_BAD;
            if (!thousands_ok(g, sep, last - 1)) return NUMPARSE_BAD;
            int_last = last - 1;
            frac = &g[last];
        }
    }

    if (frac && !decimal_ok) {
        if (!all_zero(*frac)) return NUMPARSE_BAD;   /* a count is an integer */
        frac = NULL;
    }
    double v;
    if (!group_value(g, int_last, frac, &v)) return NUMPARSE_BAD;
    *out = negative && v != 0 ? -v : v;              /* never -0 */
    return NUMPARSE_VALUE;
}

/* A whole number within a rounding error (see numparse.h). */
bool numparse_is_count_integer(double v)
{
    if (!isfinite(v)) return false;
    double r = nearbyint(v);
    double tol = 1e-9 * (fabs(v) > 1 ? fabs(v) : 1);
    return fabs(v - r) <= tol;
}
