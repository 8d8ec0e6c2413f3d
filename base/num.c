/* base/num.c — shortest digits of a double, fast exact parsing (see num.h). */
#include "base/num.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "base/num_pow10.h"

/* ---- private: shortest digits (Schubfach) ------------------------------------ */

/* floor(x / 2^n) for any sign of x. */
static int floor_shift(int x, int n)
{
    return x >= 0 ? x >> n : -((-x + (1 << n) - 1) >> n);
}

/* The top 64 bits of g * cp / 2^64 (g is 128 bits), rounded to odd: the
 * lowest bit is set when any of the dropped bits was, so comparisons with
 * the even multiples of the scaled boundaries stay exact. */
static uint64_t round_to_odd(const uint64_t g[2], uint64_t cp)
{
    __extension__ typedef unsigned __int128 u128;
    u128 x = (u128)g[1] * cp;
    u128 y = (u128)g[0] * cp + (uint64_t)(x >> 64);
    uint64_t y1 = (uint64_t)(y >> 64), y0 = (uint64_t)y;
    return y1 | (y0 > 1);
}

/* See num.h. */
size_t num_uint_text(uint64_t v, char *out)
{
    char tmp[20], *end = tmp + sizeof tmp, *q = end;
    do *--q = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    memcpy(out, q, (size_t)(end - q));
    return (size_t)(end - q);
}

void num_shortest(double v, uint64_t *digits, int *exp10)
{
    *digits = 0;
    *exp10 = 0;
    if (!isfinite(v) || v == 0) return;
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t frac = bits & ((UINT64_C(1) << 52) - 1);
    int bexp = (int)((bits >> 52) & 0x7FF);
    uint64_t c;
    int q;
    if (bexp != 0) {
        c = frac | (UINT64_C(1) << 52);
        q = bexp - 1075;
    } else {
        c = frac;
        q = -1074;
    }
    /* |v| = c * 2^q; its rounding interval, times 4 (so everything is an
     * integer): [cbl, cbr] * 2^(q-2), closed when c is even (strtod rounds
     * a tie to the even significand). At a power of two the lower
     * neighbour is half as far. */
    bool even = (c & 1) == 0;
    bool closer = frac == 0 && bexp > 1;
    uint64_t cbl = 4 * c - 2 + closer, cb = 4 * c, cbr = 4 * c + 2;
    /* k: the largest power of ten at or below the interval's scale */
    int k = floor_shift(q * 1262611 - (closer ? 524031 : 0), 22);
    int h = q + floor_shift(-k * 1741647, 19) + 1;
    const uint64_t *g = num_pow10[-k - NUM_POW10_MIN];
    /* v * 10^-k, times 4, rounded to odd: s = floor(v * 10^-k) */
    uint64_t vbl = round_to_odd(g, cbl << h), vb = round_to_odd(g, cb << h),
             vbr = round_to_odd(g, cbr << h);
    uint64_t lower = vbl + !even, upper = vbr - !even;
    uint64_t s = vb / 4;
    uint64_t d;
    int e;
    if (s >= 10) {                    /* one digit fewer, if a multiple of 10 fits */
        uint64_t sp = s / 10;
        bool up_in = lower <= 40 * sp, wp_in = 40 * sp + 40 <= upper;
        if (up_in != wp_in) {
            d = sp + wp_in;
            e = k + 1;
            goto strip;
        }
    }
    {
        bool u_in = lower <= 4 * s, w_in = 4 * s + 4 <= upper;
        if (u_in != w_in) {
            d = u_in ? s : s + 1;
        } else {                      /* both (or, never, neither): the nearer */
            uint64_t mid = 4 * s + 2;
            d = (vb > mid || (vb == mid && (s & 1))) ? s + 1 : s;
        }
        e = k;
    }
strip:
    while (d % 10 == 0) {
        d /= 10;
        e++;
    }
    *digits = d;
    *exp10 = e;
}

/* ---- private: parsing ------------------------------------------------------------- */

/* The exact double value of 10^k for 0 <= k <= 22. */
static const double exact_p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* m * 10^e through a 64-bit long double: m and 10^|e| (|e| <= 27: 5^27 <
 * 2^63) are exact there, one operation rounds once to 64 bits, and the
 * rounding to 53 bits after it can differ from the direct rounding only when
 * the long double lands exactly on a midpoint between two doubles (every
 * such midpoint is a long double, and rounding is monotone); that case says
 * no. */
static bool parse_long_double(uint64_t m, int e, double *out)
{
#if LDBL_MANT_DIG >= 64 && FLT_RADIX == 2
    static const long double p10l[] = {
        1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
        1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
        1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};   /* all exact */
    if (e < -27 || e > 27) return false;
    long double p = p10l[e < 0 ? -e : e];
    long double r = e < 0 ? (long double)m / p : (long double)m * p;
    double d = (double)r;
    if ((long double)d != r) {
        double other = nextafter(d, r > (long double)d ? INFINITY : -INFINITY);
        if (((long double)d + (long double)other) / 2 == r) return false;
    }
    *out = d;
    return true;
#else
    (void)m; (void)e; (void)out;
    return false;
#endif
}

bool num_parse(const char *s, size_t n, double *out)
{
    size_t i = 0;
    bool neg = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
    uint64_t m = 0;
    int sig = 0, scale = 0, ndig = 0;
    bool dot = false;
    for (; i < n; i++) {
        char ch = s[i];
        if (ch >= '0' && ch <= '9') {
            ndig++;
            if (dot) scale--;
            if (m == 0 && ch == '0') continue;          /* leading zero */
            if (++sig > 19) return false;
            m = m * 10 + (uint64_t)(ch - '0');
        } else if (ch == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (ndig == 0) return false;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < n && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
        if (i >= n) return false;
        int ex = 0;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++)
            if ((ex = ex * 10 + (s[i] - '0')) > 1000) return false;
        if (i < n || s[i - 1] < '0' || s[i - 1] > '9') return false;
        scale += eneg ? -ex : ex;
    }
    if (i != n) return false;
    double v;
    if (m == 0) {
        v = 0.0;
    } else if (m <= (UINT64_C(1) << 53) && scale >= -22 && scale <= 22) {
        v = scale < 0 ? (double)m / exact_p10[-scale] : (double)m * exact_p10[scale];
    } else if (!parse_long_double(m, scale, &v)) {
        return false;
    }
    *out = neg ? -v : v;
    return true;
}
