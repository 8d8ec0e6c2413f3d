/*
 * tests/unit/test_workbook.c — the helpers on the cell model and format
 * sniffing (input/workbook.c). Expected dates were computed independently
 * (Python's datetime from 1899-12-30), references from Excel's column names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/text.h"
#include "input/workbook.h"

/* ---- references ---------------------------------------------------------------- */

static void test_workbook_cell_ref_known_names(void **state)
{
    (void)state;
    static const struct { uint32_t row, col; const char *ref; } cases[] = {
        {0, 0, "A1"},       {0, 25, "Z1"},      {0, 26, "AA1"},     {9, 27, "AB10"},
        {0, 51, "AZ1"},     {0, 52, "BA1"},     {0, 701, "ZZ1"},    {0, 702, "AAA1"},
        {1048575, 16383, "XFD1048576"},        {11, 1, "B12"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[16];
        wb_cell_ref(cases[i].row, cases[i].col, out);
        assert_string_equal(out, cases[i].ref);
        uint32_t r = 99, c = 99;
        assert_true(wb_parse_ref(cases[i].ref, strlen(cases[i].ref), &r, &c));
        assert_int_equal(r, cases[i].row);
        assert_int_equal(c, cases[i].col);
    }
}

static void test_workbook_cell_ref_round_trips(void **state)
{
    (void)state;
    static const uint32_t rows[] = {0, 1, 9, 99, 1048575, 99999999u};
    static const uint32_t cols[] = {0, 1, 25, 26, 675, 676, 701, 702, 18277, 18278,
                                    16383, 308915775u};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        for (size_t j = 0; j < sizeof cols / sizeof cols[0]; j++) {
            char out[16];
            wb_cell_ref(rows[i], cols[j], out);
            uint32_t r, c;
            assert_true(wb_parse_ref(out, strlen(out), &r, &c));
            assert_int_equal(r, rows[i]);
            assert_int_equal(c, cols[j]);
        }
}

static void test_workbook_cell_ref_largest_row_round_trips(void **state)
{
    (void)state;
    char out[16];
    wb_cell_ref(UINT32_MAX, 0, out);
    assert_string_equal(out, "A4294967296");
    uint32_t r, c;
    assert_true(wb_parse_ref(out, strlen(out), &r, &c));
    assert_int_equal(r, UINT32_MAX);
    assert_int_equal(c, 0);
    assert_false(wb_parse_ref("A4294967297", 11, &r, &c));   /* one past */
}

static void test_workbook_parse_ref_absolute_and_lowercase(void **state)
{
    (void)state;
    uint32_t r, c;
    assert_true(wb_parse_ref("$B$12", 5, &r, &c));
    assert_int_equal(r, 11);
    assert_int_equal(c, 1);
    assert_true(wb_parse_ref("$XFD$1048576", 12, &r, &c));
    assert_int_equal(r, 1048575);
    assert_int_equal(c, 16383);
    assert_true(wb_parse_ref("B$3", 3, &r, &c));
    assert_int_equal(r, 2);
    assert_true(wb_parse_ref("$C4", 3, &r, &c));
    assert_int_equal(c, 2);
    assert_true(wb_parse_ref("ab10", 4, &r, &c));
    assert_int_equal(r, 9);
    assert_int_equal(c, 27);
    /* n bounds the text: "A12" read as "A1" */
    assert_true(wb_parse_ref("A12", 2, &r, &c));
    assert_int_equal(r, 0);
}

static void test_workbook_parse_ref_rejects_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {"", "A", "1", "A0", "1A", "$", "$$A1", "A1$",
                                      "A-1", "A 1", "AAAAAAAA1", "A1B", "Ă1", "A99999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t r = 7, c = 7;
        if (wb_parse_ref(bad[i], strlen(bad[i]), &r, &c))
            fail_msg("\"%s\" accepted as (%u,%u)", bad[i], r, c);
    }
}

static void test_workbook_parse_col(void **state)
{
    (void)state;
    uint32_t c;
    assert_true(wb_parse_col("XFD", 3, &c));
    assert_int_equal(c, 16383);
    assert_true(wb_parse_col("a", 1, &c));
    assert_int_equal(c, 0);
    assert_false(wb_parse_col("", 0, &c));
    assert_false(wb_parse_col("A1", 2, &c));
    assert_false(wb_parse_col("ZZZZZZZ", 7, &c));   /* 8,353,082,581 > UINT32_MAX */
}

/* ---- dates ---------------------------------------------------------------------- */

static void test_workbook_serial_to_days_1900_phantom_leap_day(void **state)
{
    (void)state;
    /* days since 1899-12-30: serial 1 is 1900-01-01 (day 2) … serial 59 is
     * 1900-02-28 (day 60); serial 60 is Excel's 29 Feb 1900 that never was
     * (→ 1 Mar, day 61); from serial 61 (1 Mar) on, serial == days */
    assert_true(wb_serial_to_days(1, false) == 2.0);
    assert_true(wb_serial_to_days(59, false) == 60.0);
    assert_true(wb_serial_to_days(60, false) == 61.0);
    assert_true(wb_serial_to_days(61, false) == 61.0);
    assert_true(wb_serial_to_days(45657, false) == 45657.0);       /* 2024-12-31 */
    assert_true(wb_serial_to_days(59.5, false) == 60.5);            /* noon       */
    /* below 1: Excel's day 0 ("1900-01-00") is no day, the time stays alone */
    assert_true(wb_serial_to_days(0.5, false) == 0.5);
    assert_true(wb_serial_to_days(0, false) == 0.0);
    assert_true(wb_serial_to_days(0.5, true) == 1462.5);           /* 1904: a day */
    char out[32];
    wb_date_iso(wb_serial_to_days(1, false), out);
    assert_string_equal(out, "1900-01-01");
    wb_date_iso(wb_serial_to_days(59, false), out);
    assert_string_equal(out, "1900-02-28");
    wb_date_iso(wb_serial_to_days(61, false), out);
    assert_string_equal(out, "1900-03-01");
    wb_date_iso(wb_serial_to_days(12.5 / 24, false), out);           /* h:mm cell  */
    assert_string_equal(out, "12:30:00");
}

static void test_workbook_serial_to_days_1904(void **state)
{
    (void)state;
    /* 1904 system: serial 0 is 1904-01-01, 1462 days after 1899-12-30 */
    assert_true(wb_serial_to_days(0, true) == 1462.0);
    char out[32];
    wb_date_iso(wb_serial_to_days(0, true), out);
    assert_string_equal(out, "1904-01-01");
    wb_date_iso(wb_serial_to_days(44195, true), out);    /* 45657 - 1462 */
    assert_string_equal(out, "2024-12-31");
}

static void test_workbook_date_iso_dates_and_times(void **state)
{
    (void)state;
    char out[32];
    wb_date_iso(45657, out);
    assert_string_equal(out, "2024-12-31");
    wb_date_iso(36526, out);
    assert_string_equal(out, "2000-01-01");
    wb_date_iso(1, out);
    assert_string_equal(out, "1899-12-31");
    wb_date_iso(45657 + 8.5 / 24, out);
    assert_string_equal(out, "2024-12-31T08:30:00");
    /* day 0 holds the times of day alone: printed without a date */
    wb_date_iso(0.75, out);
    assert_string_equal(out, "18:00:00");
    wb_date_iso(0, out);
    assert_string_equal(out, "00:00:00");
    wb_date_iso(12.5 / 24 + 0.4 / 86400, out);            /* rounds down     */
    assert_string_equal(out, "12:30:00");
    wb_date_iso(1 - 0.4 / 86400, out);                     /* 23:59:59.6: day 1 */
    assert_string_equal(out, "1899-12-31");
    wb_date_iso(1.5, out);
    assert_string_equal(out, "1899-12-31T12:00:00");
    wb_date_iso(60 + 1.0 / 86400, out);
    assert_string_equal(out, "1900-02-28T00:00:01");
}

static void test_workbook_date_iso_rounds_to_the_second(void **state)
{
    (void)state;
    char out[32];
    /* 08:29:59.6 rounds up to 08:30:00 */
    wb_date_iso(45657 + 30599.6 / 86400, out);
    assert_string_equal(out, "2024-12-31T08:30:00");
    /* 08:30:00.4 rounds down */
    wb_date_iso(45657 + 30600.4 / 86400, out);
    assert_string_equal(out, "2024-12-31T08:30:00");
    /* 23:59:59.9991 rounds into the next day, to midnight: a plain date */
    wb_date_iso(45657.99999999, out);
    assert_string_equal(out, "2025-01-01");
}

static void test_workbook_date_iso_out_of_range(void **state)
{
    (void)state;
    char out[32];
    wb_date_iso(1e300, out);
    assert_string_equal(out, "#DATE!");
    wb_date_iso(-1e9, out);
    assert_string_equal(out, "#DATE!");
    double nan = strtod("nan", NULL);
    wb_date_iso(nan, out);
    assert_string_equal(out, "#DATE!");
}

/* ---- numbers ------------------------------------------------------------------------ */

static void test_workbook_number_str_shortest_exact(void **state)
{
    (void)state;
    static const struct { double v; const char *s; } cases[] = {
        {1234, "1234"}, {12.5, "12.5"}, {0.0015, "0.0015"}, {-7, "-7"}, {0.1, "0.1"},
        {1e-300, "1e-300"}, {1.5e-7, "1.5e-07"}, {0.3333333333333333, "0.3333333333333333"},
        {1000000, "1000000"}, {123456789012.0, "123456789012"},
        {1e15, "1000000000000000"}, {9007199254740991.0, "9007199254740991"},
        {0, "0"}, {-0.0, "0"}, {1e300, "1e+300"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[32];
        wb_number_str(cases[i].v, out);
        assert_string_equal(out, cases[i].s);
        assert_true(strtod(out, NULL) == cases[i].v);
    }
}

static void test_workbook_number_str_reads_back_exactly(void **state)
{
    (void)state;
    static const double vs[] = {0.1 + 0.2, 1.0 / 3, 2.0 / 3, 123.456, 45657.354166666664,
                                1.7976931348623157e308, 4.9e-324, 9007199254740993.0};
    for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
        char out[32];
        wb_number_str(vs[i], out);
        assert_true(strtod(out, NULL) == vs[i]);
        assert_null(strchr(out, ','));
    }
}

static void test_workbook_number_str_special_values(void **state)
{
    (void)state;
    char out[32];
    wb_number_str(strtod("inf", NULL), out);
    assert_string_equal(out, "Infinity");
    wb_number_str(-strtod("inf", NULL), out);
    assert_string_equal(out, "-Infinity");
    wb_number_str(strtod("nan", NULL), out);
    assert_string_equal(out, "NaN");
}

/* ---- number formats ------------------------------------------------------------------- */

static void test_workbook_numfmt_builtin_ids(void **state)
{
    (void)state;
    for (int id = 14; id <= 22; id++) assert_true(wb_numfmt_is_date(id, NULL));
    static const int not_dates[] = {0, 1, 2, 3, 4, 9, 10, 11, 12, 13, 37, 40, 48, 49};
    for (size_t i = 0; i < sizeof not_dates / sizeof not_dates[0]; i++)
        assert_false(wb_numfmt_is_date(not_dates[i], NULL));
}

static void test_workbook_numfmt_custom_codes(void **state)
{
    (void)state;
    static const struct { const char *code; bool date; } cases[] = {
        {"[Red]0.00", false},
        {"0.00E+00", false},
        {"##0.0E+0", false},
        {"dd/mm/yyyy", true},
        {"[$-409]mmmm d, yyyy", true},
        {"\"d\"0", false},
        {"#,##0", false},
        {"[h]:mm:ss", true},
        {"General", false},
        {"general", false},
        {"0.00%", false},
        {"@", false},
        {"#,##0.00 \"đồng\"", false},
        {"#,##0;[Red]-#,##0", false},
        {"d/m/yyyy h:mm", true},
        {"hh:mm AM/PM", true},
        {"yyyy", true},
        {"\\d0", false},
        {"[Blue]General", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (wb_numfmt_is_date(164, cases[i].code) != cases[i].date)
            fail_msg("\"%s\" should%s be a date", cases[i].code, cases[i].date ? "" : " not");
}

/* ---- sniffing ------------------------------------------------------------------------------ */

/* Writes bytes to a fresh /tmp file; returns its malloc'ed path. */
static char *tmp_file(const void *data, size_t n)
{
    char *path = strdup("/tmp/test_workbook_XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
    return path;
}

/* Sniffs the bytes of a string literal (without its NUL). */
#define SNIFF_LIT(lit) sniff_bytes((lit), sizeof(lit) - 1)

/* Sniffs n bytes written to a temporary file. */
static wb_format sniff_bytes(const void *data, size_t n)
{
    char *path = tmp_file(data, n);
    wb_error err;
    wb_format f = wb_sniff(path, &err);
    assert_int_equal(err.format, f);
    unlink(path);
    free(path);
    return f;
}

static void test_workbook_sniff_text_files(void **state)
{
    (void)state;
    assert_int_equal(sniff_bytes("", 0), WB_FMT_EMPTY);
    assert_int_equal(SNIFF_LIT("a,b\n1,2\n"), WB_FMT_CSV);
    assert_int_equal(SNIFF_LIT("\xef\xbb\xbf" "STT;T\xc3\xaan\r\n"), WB_FMT_CSV);
    assert_int_equal(SNIFF_LIT("Vi\xea\xf2t,x\n"), WB_FMT_CSV);   /* Windows-1258 */
    /* UTF-16 with a BOM has NUL bytes but is text */
    assert_int_equal(SNIFF_LIT("\xff\xfe" "a\0\t\0b\0"), WB_FMT_CSV);
    assert_int_equal(SNIFF_LIT("\xfe\xff" "\0a\0\t\0b"), WB_FMT_CSV);
}

static void test_workbook_sniff_binary_is_unknown(void **state)
{
    (void)state;
    assert_int_equal(SNIFF_LIT("a\0b"), WB_FMT_UNKNOWN);
    char junk[200];
    for (size_t i = 0; i < sizeof junk; i++) junk[i] = (char)(1 + i % 7);  /* controls */
    assert_int_equal(sniff_bytes(junk, sizeof junk), WB_FMT_UNKNOWN);
}

static void test_workbook_sniff_by_content_not_name(void **state)
{
    (void)state;
    /* an OLE2 signature goes to the .xls sniffer whatever the file is named;
     * what it answers is the .xls reader's business, but never "csv" */
    static const unsigned char ole[16] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    wb_format f = sniff_bytes(ole, sizeof ole);
    assert_int_not_equal(f, WB_FMT_CSV);
    assert_int_not_equal(f, WB_FMT_EMPTY);
    static const unsigned char zip[22] = {'P', 'K', 5, 6};   /* empty zip */
    f = sniff_bytes(zip, sizeof zip);
    assert_int_not_equal(f, WB_FMT_CSV);
    assert_int_not_equal(f, WB_FMT_XLSX);
}

static void test_workbook_sniff_missing_file_is_io_error(void **state)
{
    (void)state;
    wb_error err;
    assert_int_equal(wb_sniff("/tmp/khong-co-tep-nay/x.csv", &err), WB_FMT_UNKNOWN);
    assert_int_equal(err.status, DTBD_ERR_IO);
    assert_true(err.detail[0] != '\0');
}

/* ---- errors ------------------------------------------------------------------------------ */

static void test_workbook_error_format_names_file_sheet_and_cell(void **state)
{
    (void)state;
    wb_error err = {0};
    snprintf(err.sheet, sizeof err.sheet, "Biểu 01");
    snprintf(err.cell, sizeof err.cell, "C7");
    wb_error_set(&err, DTBD_ERR_LIMIT, "ô dài %d byte", 12);
    char line[256];
    wb_error_format(&err, "a.xlsx", line, sizeof line);
    assert_string_equal(line, "a.xlsx: Biểu 01!C7: tệp vượt giới hạn an toàn (ô dài 12 byte)");
    /* a detail with a newline stays on one line */
    wb_error e2 = {0};
    wb_error_set(&e2, DTBD_ERR_CORRUPT, "x\ny");
    wb_error_format(&e2, "b.xls", line, sizeof line);
    assert_string_equal(line, "b.xls: tệp bị hỏng hoặc không đầy đủ (x y)");
}

static void test_workbook_error_detail_is_always_valid_utf8(void **state)
{
    (void)state;
    /* a name quoted "%.4s" cut inside "é", and a stray byte (a part name
     * whose %EE escape decoded to 0xEE): each bad byte becomes '?' */
    wb_error err = {0};
    wb_error_set(&err, DTBD_ERR_CORRUPT, "thiếu phần %.4s", "abcé");
    assert_string_equal(err.detail, "thiếu phần abc?");
    wb_error_set(&err, DTBD_ERR_CORRUPT, "thiếu phần %s", "xl/worksh\xeets/đ.xml");
    assert_string_equal(err.detail, "thiếu phần xl/worksh?ts/đ.xml");
    /* cut by the detail's own size inside a character */
    char longname[400];
    memset(longname, 'a', sizeof longname);
    for (size_t i = 0; i + 1 < sizeof longname; i += 2) memcpy(longname + i, "\xc3\xa9", 2);
    longname[sizeof longname - 1] = '\0';
    wb_error_set(&err, DTBD_ERR_CORRUPT, "%s", longname); /* 223 bytes: half an é */
    assert_int_equal(strlen(err.detail), 223);
    assert_true(text_utf8_valid(err.detail, strlen(err.detail)));
    assert_int_equal(err.detail[222], '?');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workbook_cell_ref_known_names),
        cmocka_unit_test(test_workbook_cell_ref_round_trips),
        cmocka_unit_test(test_workbook_cell_ref_largest_row_round_trips),
        cmocka_unit_test(test_workbook_parse_ref_absolute_and_lowercase),
        cmocka_unit_test(test_workbook_parse_ref_rejects_invalid),
        cmocka_unit_test(test_workbook_parse_col),
        cmocka_unit_test(test_workbook_serial_to_days_1900_phantom_leap_day),
        cmocka_unit_test(test_workbook_serial_to_days_1904),
        cmocka_unit_test(test_workbook_date_iso_dates_and_times),
        cmocka_unit_test(test_workbook_date_iso_rounds_to_the_second),
        cmocka_unit_test(test_workbook_date_iso_out_of_range),
        cmocka_unit_test(test_workbook_number_str_shortest_exact),
        cmocka_unit_test(test_workbook_number_str_reads_back_exactly),
        cmocka_unit_test(test_workbook_number_str_special_values),
        cmocka_unit_test(test_workbook_numfmt_builtin_ids),
        cmocka_unit_test(test_workbook_numfmt_custom_codes),
        cmocka_unit_test(test_workbook_sniff_text_files),
        cmocka_unit_test(test_workbook_sniff_binary_is_unknown),
        cmocka_unit_test(test_workbook_sniff_by_content_not_name),
        cmocka_unit_test(test_workbook_sniff_missing_file_is_io_error),
        cmocka_unit_test(test_workbook_error_format_names_file_sheet_and_cell),
        cmocka_unit_test(test_workbook_error_detail_is_always_valid_utf8),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
