/*
 * tests/unit/test_num.c — shortest digits and exact parsing (base/num.h),
 * and wb_number_str (input/cell.h) built on them.
 *
 * wb_number_str is compared with the implementation it replaced (kept below
 * as old_number_str: printf("%.15g"/"%.16g"/"%.17g") + strtod until the text
 * reads back) on more than 10 million doubles: random bit patterns, random
 * "decimal-looking" values (few digits, any scale), and the edge cases
 * (subnormals, powers of two and ten, 2^53 ± 1, DBL_MAX, -0.0). num_parse is
 * compared with strtod on random decimal texts of 1 to 21 digits.
 *
 * `make test` runs a tenth of the random rounds (1.05 million doubles, 300,000
 * texts) in its plain and its ASan pass; DTBD_TEST_NUM_FULL=1 runs them all
 * (CI does, once, after `make test`: .ci/run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/num.h"
#include "input/cell.h"

/* ---- the replaced implementation, as it was --------------------------------- */

static void old_number_str(double v, char out[32])
{
    if (isnan(v)) { snprintf(out, 32, "NaN"); return; }
    if (isinf(v)) { snprintf(out, 32, v > 0 ? "Infinity" : "-Infinity"); return; }
    if (v == 0) { out[0] = '0'; out[1] = '\0'; return; }
    if (fabs(v) < 1e15 && v == floor(v)) {
        snprintf(out, 32, "%lld", (long long)v);
        return;
    }
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
            while (n <= k) digits[n++] = '0';
            int o = 0;
            if (v < 0) out[o++] = '-';
            while (n > k) out[o++] = digits[--n];
            out[o++] = '.';
            while (n > 0) out[o++] = digits[--n];
            out[o] = '\0';
            return;
        }
    }
    for (int prec = fabs(v) < DBL_MIN ? 1 : 15; prec <= 17; prec++) {
        snprintf(out, 32, "%.*g", prec, v);
        if (strtod(out, NULL) == v) break;
    }
    if (strchr(out, 'e') && fabs(v) < 9007199254740992.0 && v == floor(v))
        snprintf(out, 32, "%.0f", v);
}

/* ---- helpers ------------------------------------------------------------------- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)   /* xorshift64* */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

static double from_bits(uint64_t b)
{
    double d;
    memcpy(&d, &b, sizeof d);
    return d;
}

static unsigned long mismatches;

/* new == old and the text reads back; counts and reports the first few. */
static void check_same(double v)
{
    char a[32], b[32];
    wb_number_str(v, a);
    old_number_str(v, b);
    bool back = isnan(v) || isinf(v) || strtod(a, NULL) == v;
    if (strcmp(a, b) != 0 || !back) {
        if (mismatches++ < 10)
            print_error("v=%a: new \"%s\" old \"%s\"%s\n", v, a, b, back ? "" : " (no round trip)");
    }
}

/* ---- wb_number_str ----------------------------------------------------------------- */

static void test_number_str_edge_cases(void **state)
{
    (void)state;
    mismatches = 0;
    static const double edges[] = {
        0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 12.5, 0.0015, 1234,
        1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 1e-4, 1e-5, 1.5e-5, 123456789012345.6,
        9007199254740991.0, 9007199254740992.0, 9007199254740993.0, 9007199254740994.0,
        -9007199254740991.0, 4503599627370495.5, DBL_MAX, -DBL_MAX, DBL_MIN, -DBL_MIN,
        DBL_TRUE_MIN, 2 * DBL_TRUE_MIN, DBL_MIN - DBL_TRUE_MIN, DBL_EPSILON,
        5e-324, 1e-320, 2.2250738585072009e-308, 1.7976931348623157e308, 45321.520833333336,
        0.30000000000000004, 100000000.5, 999999999.9999999, 1e9 + 0.5, 5e-5, 1e300,
        INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++) check_same(edges[i]);
    for (int e = -1074; e <= 1023; e++) {          /* powers of two and neighbours */
        double p = ldexp(1.0, e);
        check_same(p);
        check_same(-p);
        check_same(nextafter(p, 0));
        check_same(nextafter(p, INFINITY));
    }
    for (int e = -323; e <= 308; e++) {            /* powers of ten and neighbours */
        char s[16];
        snprintf(s, sizeof s, "1e%d", e);
        double p = strtod(s, NULL);
        check_same(p);
        check_same(nextafter(p, 0));
        check_same(nextafter(p, INFINITY));
    }
    char a[32];
    wb_number_str(1234, a);
    assert_string_equal(a, "1234");
    wb_number_str(12.5, a);
    assert_string_equal(a, "12.5");
    wb_number_str(0.0015, a);
    assert_string_equal(a, "0.0015");
    wb_number_str(1e21, a);
    assert_string_equal(a, "1e+21");
    wb_number_str(-0.0, a);
    assert_string_equal(a, "0");
    wb_number_str(1.5e-7, a);
    assert_string_equal(a, "1.5e-07");
    wb_number_str(DBL_MAX, a);
    assert_string_equal(a, "1.7976931348623157e+308");
    wb_number_str(DBL_TRUE_MIN, a);
    assert_string_equal(a, "5e-324");
    assert_int_equal(mismatches, 0);
}

/* Random rounds of a test: all of n with DTBD_TEST_NUM_FULL=1, else a tenth. */
static long rounds(long n)
{
    const char *full = getenv("DTBD_TEST_NUM_FULL");
    return full && strcmp(full, "1") == 0 ? n : n / 10;
}

static void test_number_str_random_bits(void **state)
{
    (void)state;
    mismatches = 0;
    for (long i = 0; i < rounds(6000000); i++) {
        double v = from_bits(rnd());
        if (isnan(v)) continue;
        check_same(v);
    }
    assert_int_equal(mismatches, 0);
}

static void test_number_str_decimal_looking(void **state)
{
    (void)state;
    mismatches = 0;
    static const double p10[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10};
    for (long i = 0; i < rounds(4500000); i++) {
        uint64_t r = rnd();
        double v;
        switch (i % 3) {
        case 0:   /* a few digits over a power of ten: 12.5, 0.0015, 1234.75 */
            v = (double)(r % 100000000) / p10[(r >> 40) % 11];
            break;
        case 1: { /* 1 to 17 random digits at any scale, read as strtod does */
            char s[48];
            int nd = 1 + (int)(r % 17);
            uint64_t m = rnd() % 100000000000000000u;
            snprintf(s, sizeof s, "%.*llue%d", nd, (unsigned long long)m,
                     (int)((r >> 20) % 80) - 40);
            s[nd] = 'e';
            memmove(s + nd, strchr(s, 'e'), strlen(strchr(s, 'e')) + 1);
            v = strtod(s, NULL);
            break;
        }
        default:  /* date-time serials: days + a fraction of a day */
            v = 40000 + (double)(r % 20000) + (double)((r >> 20) % 86400) / 86400.0;
            break;
        }
        if (r >> 63) v = -v;
        check_same(v);
    }
    assert_int_equal(mismatches, 0);
}

/* ---- num_shortest ------------------------------------------------------------------------ */

static void test_shortest_digits(void **state)
{
    (void)state;
    uint64_t d;
    int e;
    num_shortest(0.1, &d, &e);
    assert_true(d == 1 && e == -1);
    num_shortest(-1234.5, &d, &e);
    assert_true(d == 12345 && e == -1);
    num_shortest(5e-324, &d, &e);
    assert_true(d == 5 && e == -324);
    num_shortest(DBL_MAX, &d, &e);
    assert_true(d == 17976931348623157u && e == 292);
    num_shortest(1e23, &d, &e);
    assert_true(d == 1 && e == 23);
    num_shortest(0.0, &d, &e);
    assert_true(d == 0 && e == 0);
}

/* ---- num_parse ---------------------------------------------------------------------------- */

static void check_parse(const char *s)
{
    double got = 0, want = strtod(s, NULL);
    if (num_parse(s, strlen(s), &got) && memcmp(&got, &want, sizeof got) != 0) {
        if (mismatches++ < 10) print_error("num_parse(\"%s\") = %a, strtod %a\n", s, got, want);
    }
}

static void test_parse_like_strtod(void **state)
{
    (void)state;
    mismatches = 0;
    static const char *fixed[] = {"0", "-0", "1", "12.5", "0.0015", "-4.25", "45321.520833333336",
                                  "9007199254740993", "9007199254740992", "18446744073709551615",
                                  "1e22", "1e23", "1.7976931348623157e308", "5e-324", "0.1e-22",
                                  "123456789012345678.9", "+7", "1E5", "00012.500", ".5", "5."};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) check_parse(fixed[i]);
    long fast = 0, n = rounds(3000000);
    for (long i = 0; i < n; i++) {
        uint64_t r = rnd();
        char s[64];
        int nd = 1 + (int)(r % 21), dot = (int)((r >> 8) % (unsigned)(nd + 1));
        int o = 0;
        if (r >> 63) s[o++] = '-';
        for (int k = 0; k < nd; k++) {
            if (k == dot && k) s[o++] = '.';
            s[o++] = (char)('0' + rnd() % 10);
        }
        if ((r >> 30) % 4 == 0) o += snprintf(s + o, sizeof s - (size_t)o, "e%d", (int)((r >> 33) % 60) - 30);
        s[o] = '\0';
        double v;
        if (num_parse(s, (size_t)o, &v)) fast++;
        check_parse(s);
    }
    assert_int_equal(mismatches, 0);
    assert_true(fast > n / 3 * 2);   /* the fast paths do decide most of them */
    double v;
    assert_false(num_parse("", 0, &v));
    assert_false(num_parse("-", 1, &v));
    assert_false(num_parse("1e", 2, &v));
    assert_false(num_parse("1e+", 3, &v));
    assert_false(num_parse(" 1", 2, &v));
    assert_false(num_parse("1 ", 2, &v));
    assert_false(num_parse("inf", 3, &v));
    assert_false(num_parse("0x10", 4, &v));
    assert_false(num_parse("1.2.3", 5, &v));
    assert_false(num_parse(".", 1, &v));
    assert_true(num_parse("12", 1, &v) && v == 1.0);   /* only n bytes are read */
}


/* num_uint_text: the digits printf("%llu") writes, without the NUL. */
static void test_uint_text(void **state)
{
    (void)state;
    static const uint64_t v[] = {0, 7, 9, 10, 99, 100, 2021, 1048576, 4294967295u, 10000000000000000000ull,
                                 18446744073709551615ull};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        char want[32], got[21];
        int n = snprintf(want, sizeof want, "%llu", (unsigned long long)v[i]);
        size_t k = num_uint_text(v[i], got);
        assert_int_equal(k, (size_t)n);
        assert_memory_equal(got, want, k);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_str_edge_cases),
        cmocka_unit_test(test_number_str_random_bits),
        cmocka_unit_test(test_number_str_decimal_looking),
        cmocka_unit_test(test_shortest_digits),
        cmocka_unit_test(test_parse_like_strtod),
        cmocka_unit_test(test_uint_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
