/* tests/unit/test_numparse.c — numbers typed as text (pipeline/numparse.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pipeline/numparse.h"

/* ---- helpers ---------------------------------------------------------------- */

static const char *res_name(numparse_result r)
{
    return r == NUMPARSE_VALUE ? "VALUE" : r == NUMPARSE_ZERO_MARK ? "ZERO_MARK" : "BAD";
}

/* The text must parse to exactly want (as a VALUE). */
static void check_value(const char *s, bool decimal_ok, double want)
{
    double v = -999;
    numparse_result r = numparse_text(s, strlen(s), decimal_ok, &v);
    if (r != NUMPARSE_VALUE || v != want)
        fail_msg("numparse_text(\"%s\", %s) = %s %.17g, want VALUE %.17g", s,
                 decimal_ok ? "decimal" : "count", res_name(r), v, want);
}

static void check_result(const char *s, bool decimal_ok, numparse_result want)
{
    double v = -999;
    numparse_result r = numparse_text(s, strlen(s), decimal_ok, &v);
    if (r != want)
        fail_msg("numparse_text(\"%s\", %s) = %s, want %s", s, decimal_ok ? "decimal" : "count",
                 res_name(r), res_name(want));
    if (r != NUMPARSE_VALUE && v != 0)
        fail_msg("numparse_text(\"%s\") left %.17g in *out, want 0", s, v);
}

/* ---- zero marks ---------------------------------------------------------------- */

static void test_numparse_blank_and_dashes_are_zero_marks(void **state)
{
    (void)state;
    const char *marks[] = { "", " ", "   \t ", "\xC2\xA0", "-", "- ", " -  ", "–", "—", "−",
                            "--", "- -", "\xC2\xA0-\xC2\xA0", "‐", "－" };
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        check_result(marks[i], false, NUMPARSE_ZERO_MARK);
        check_result(marks[i], true, NUMPARSE_ZERO_MARK);
    }
    double v = 5;
    assert_int_equal(numparse_text("-", 1, false, &v), NUMPARSE_ZERO_MARK);
    assert_true(v == 0);
}

static void test_numparse_typed_zero_is_a_value(void **state)
{
    (void)state;
    check_value("0", false, 0);
    check_value("00", false, 0);
    check_value("0,0", true, 0);
    check_value("0,00", false, 0);
    check_value("-0", false, 0);
    double v = 1;
    numparse_text("-0", 2, false, &v);
    assert_false(signbit(v));                     /* never a negative zero */
}

/* ---- counts --------------------------------------------------------------------- */

static void test_numparse_count_plain_integers_and_spaces(void **state)
{
    (void)state;
    check_value("12", false, 12);
    check_value("  12  ", false, 12);
    check_value("\xC2\xA0" "45\xC2\xA0", false, 45);
    check_value("05", false, 5);
    check_value("+7", false, 7);
    check_value("1234567", false, 1234567);
    check_value("\t\n 3 \r\n", false, 3);
}

static void test_numparse_count_thousands_with_dot_comma_space_nbsp(void **state)
{
    (void)state;
    check_value("1.234", false, 1234);
    check_value("1,234", false, 1234);
    check_value("1 234", false, 1234);
    check_value("1\xC2\xA0" "234", false, 1234);          /* NBSP */
    check_value("1\xE2\x80\xAF" "234", false, 1234);      /* narrow NBSP */
    check_value("1\xE3\x80\x80" "234", false, 1234);      /* ideographic space */
    check_value("\xE2\x81\xA0" "9", false, 9);             /* word joiner before */
    check_value("56\xC2\xAD", false, 56);                  /* soft hyphen after */
    check_value("\xE2\x80\x8E" "12\xE2\x80\x8F", false, 12);  /* LRM / RLM around */
    check_value("1.234.567", false, 1234567);
    check_value("12,345,678", false, 12345678);
    check_value("123 456", false, 123456);
    check_value("1.000", false, 1000);
}

static void test_numparse_count_rejects_fractions_and_bad_groupings(void **state)
{
    (void)state;
    check_result("12,5", false, NUMPARSE_BAD);
    check_result("12.5", false, NUMPARSE_BAD);
    check_result("1.23", false, NUMPARSE_BAD);
    check_result("1.2345", false, NUMPARSE_BAD);
    check_result("1234.567", false, NUMPARSE_BAD);    /* first group of 4: no grouping */
    check_result("1.234,5", false, NUMPARSE_BAD);
    check_result("0.234", false, NUMPARSE_BAD);       /* lone 0 is no thousands group */
    check_result("1.234 567", false, NUMPARSE_BAD);   /* two thousands separators */
    check_result("1.234,567", false, NUMPARSE_BAD);
    check_result("12 5", false, NUMPARSE_BAD);
    check_result("1  234", false, NUMPARSE_BAD);      /* two spaces */
}

static void test_numparse_count_accepts_a_fraction_of_zeros(void **state)
{
    (void)state;
    check_value("12,00", false, 12);
    check_value("12.0", false, 12);
    check_value("1.234,0", false, 1234);
    check_value("1,234.00", false, 1234);
}

static void test_numparse_negative_numbers_are_values(void **state)
{
    (void)state;
    check_value("-5", false, -5);
    check_value("-1.234", false, -1234);
    check_value("−12", false, -12);          /* U+2212 */
    check_value("–3", false, -3);            /* en dash typed as minus */
    check_value("-12,5", true, -12.5);
    check_result("- 5", false, NUMPARSE_BAD);
    check_result("--5", false, NUMPARSE_BAD);
    check_result("—5", false, NUMPARSE_BAD);  /* em dash is no minus */
    check_result("+-5", false, NUMPARSE_BAD);
}

/* ---- decimals ---------------------------------------------------------------------- */

static void test_numparse_decimal_vietnamese_style(void **state)
{
    (void)state;
    check_value("1.234,5", true, 1234.5);
    check_value("12,5", true, 12.5);
    check_value("125,50", true, 125.5);
    check_value("1.234.567,89", true, 1234567.89);
    check_value("1 234,5", true, 1234.5);
    check_value("0,5", true, 0.5);
    check_value("0,125", true, 0.125);
    check_value("  3,75 ", true, 3.75);
    check_value("150", true, 150);
}

static void test_numparse_decimal_english_style(void **state)
{
    (void)state;
    check_value("1,234.5", true, 1234.5);
    check_value("12.5", true, 12.5);
    check_value("1,234,567.25", true, 1234567.25);
    check_value("0.125", true, 0.125);
}

/* One separator then exactly three digits: "." groups thousands, "," is the
 * decimal comma (numparse.h explains why). */
static void test_numparse_decimal_ambiguous_three_digits_is_decided_vietnamese(void **state)
{
    (void)state;
    check_value("1.234", true, 1234);
    check_value("1,234", true, 1.234);
    check_value("12,345", true, 12.345);
    check_value("125.500", true, 125500);
    /* Unambiguous forms around it stay thousands. */
    check_value("1.234.567", true, 1234567);
    check_value("1,234,567", true, 1234567);
    check_value("1 234", true, 1234);
}

static void test_numparse_decimal_rejects_malformed(void **state)
{
    (void)state;
    check_result("1,2.3", true, NUMPARSE_BAD);
    check_result("1.234,5,6", true, NUMPARSE_BAD);   /* decimal separator twice */
    check_result("1.23.456", true, NUMPARSE_BAD);
    check_result("12 5", true, NUMPARSE_BAD);
    check_result("1,234 5", true, NUMPARSE_BAD);     /* a space is no decimal */
    check_result(".5", true, NUMPARSE_BAD);
    check_result("12.", true, NUMPARSE_BAD);
    check_result("1..2", true, NUMPARSE_BAD);
    check_result("12,34.5", true, NUMPARSE_BAD);     /* "12,34" is no grouping */
}

/* ---- anything else ---------------------------------------------------------------------- */

static void test_numparse_letters_percent_and_marks_are_bad(void **state)
{
    (void)state;
    const char *bad[] = { "N/A", "x", "X", "?", "12%", "12 %", "80 người", "1e3", "1E+03",
                          "(5)", "abc", "12a", "0x10", "'12", "1/2", "5 - 3", "+", "−" "x" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        check_result(bad[i], false, NUMPARSE_BAD);
        check_result(bad[i], true, NUMPARSE_BAD);
    }
}

static void test_numparse_more_than_fifteen_digits_is_bad(void **state)
{
    (void)state;
    check_value("123456789012345", false, 123456789012345.0);
    check_result("1234567890123456", false, NUMPARSE_BAD);
    check_value("000000000000000000012", false, 12);     /* leading zeros are not digits */
    check_value("1,50000000000000000", true, 1.5);       /* nor trailing fraction zeros */
}

static void test_numparse_reads_only_n_bytes_and_accepts_null_out(void **state)
{
    (void)state;
    double v = 0;
    assert_int_equal(numparse_text("12abc", 2, false, &v), NUMPARSE_VALUE);
    assert_true(v == 12);
    assert_int_equal(numparse_text("7", 1, false, NULL), NUMPARSE_VALUE);
    assert_int_equal(numparse_text(NULL, 0, false, &v), NUMPARSE_ZERO_MARK);
    /* A multi-byte space cut in the middle is not a space. */
    assert_int_equal(numparse_text("5\xC2\xA0", 2, false, &v), NUMPARSE_BAD);
}

static void test_numparse_is_count_integer(void **state)
{
    (void)state;
    assert_true(numparse_is_count_integer(3));
    assert_true(numparse_is_count_integer(0));
    assert_true(numparse_is_count_integer(-4));
    assert_true(numparse_is_count_integer(0.1 * 30));        /* 3.0000000000000004 */
    assert_true(numparse_is_count_integer(1234567.0));
    assert_false(numparse_is_count_integer(12.5));
    assert_false(numparse_is_count_integer(0.001));
    assert_false(numparse_is_count_integer(1.0 / 0.0));
    assert_false(numparse_is_count_integer(NAN));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numparse_blank_and_dashes_are_zero_marks),
        cmocka_unit_test(test_numparse_typed_zero_is_a_value),
        cmocka_unit_test(test_numparse_count_plain_integers_and_spaces),
        cmocka_unit_test(test_numparse_count_thousands_with_dot_comma_space_nbsp),
        cmocka_unit_test(test_numparse_count_rejects_fractions_and_bad_groupings),
        cmocka_unit_test(test_numparse_count_accepts_a_fraction_of_zeros),
        cmocka_unit_test(test_numparse_negative_numbers_are_values),
        cmocka_unit_test(test_numparse_decimal_vietnamese_style),
        cmocka_unit_test(test_numparse_decimal_english_style),
        cmocka_unit_test(test_numparse_decimal_ambiguous_three_digits_is_decided_vietnamese),
        cmocka_unit_test(test_numparse_decimal_rejects_malformed),
        cmocka_unit_test(test_numparse_letters_percent_and_marks_are_bad),
        cmocka_unit_test(test_numparse_more_than_fifteen_digits_is_bad),
        cmocka_unit_test(test_numparse_reads_only_n_bytes_and_accepts_null_out),
        cmocka_unit_test(test_numparse_is_count_integer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
