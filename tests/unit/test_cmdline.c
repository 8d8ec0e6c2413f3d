/* tests/unit/test_cmdline.c — the command line's one grammar (cli/cmdline.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "cli/cmdline.h"

#define RUN_TAKES (CLI_OPT_CONFIG | CLI_OPT_YEARS | CLI_INPUTS | CLI_OPT_OUTDIR | CLI_OPT_NO_CHARTS)

/* Options before and after the inputs, both spellings of a value, "--". */
static void test_options_anywhere_and_both_spellings(void **state)
{
    (void)state;
    char *argv[] = {"-c", "a.yaml", "hop-thu", "--out=ket-qua", "--years", "2023-2025", "b", "--no-charts",
                    "--", "-x"};
    cli_args a;
    assert_int_equal(cli_parse("run", RUN_TAKES, 10, argv, &a), 0);
    assert_string_equal(a.config_path, "a.yaml");
    assert_string_equal(a.outdir, "ket-qua");
    assert_int_equal(a.year_from, 2023);
    assert_int_equal(a.year_to, 2025);
    assert_true(a.no_charts);
    assert_int_equal(a.ninputs, 3);
    assert_string_equal(a.inputs[0], "hop-thu");
    assert_string_equal(a.inputs[1], "b");
    assert_string_equal(a.inputs[2], "-x"); /* after "--": a file */
}

/* Usage errors are 2: an option the command does not take, a value
 * missing, a bad year range, no input, two inputs for dump. */
static void test_usage_errors(void **state)
{
    (void)state;
    cli_args a;
    char *bogus[] = {"--bogus", "in"};
    assert_int_equal(cli_parse("run", RUN_TAKES, 2, bogus, &a), 2);
    char *check_out[] = {"-o", "x", "in"};   /* check writes nothing: no -o */
    assert_int_equal(cli_parse("check", CLI_OPT_CONFIG | CLI_INPUTS, 3, check_out, &a), 2);
    char *no_value[] = {"in", "-c"};
    assert_int_equal(cli_parse("run", RUN_TAKES, 2, no_value, &a), 2);
    char *years[] = {"--years", "2025-2021", "in"};
    assert_int_equal(cli_parse("run", RUN_TAKES, 3, years, &a), 2);
    char *none[] = {"--no-charts"};
    assert_int_equal(cli_parse("run", RUN_TAKES, 1, none, &a), 2);
    char *two[] = {"a.xlsx", "b.xlsx"};
    assert_int_equal(cli_parse("dump", CLI_OPT_SHEET | CLI_ONE_INPUT, 2, two, &a), 2);
    char *stray[] = {"units-extra"};
    assert_int_equal(cli_parse("units", CLI_OPT_CONFIG, 1, stray, &a), 2);
    char *year[] = {"--unit", "so-y-te", "--year=20x4", "-o", "f.xlsx"};
    assert_int_equal(cli_parse("template", CLI_OPT_UNIT | CLI_OPT_YEAR | CLI_OPT_OUTPUT, 5, year, &a), 2);
    char *threads[] = {"--threads", "9", "in"};
    assert_int_equal(cli_parse("run", RUN_TAKES | CLI_OPT_THREADS, 3, threads, &a), 2);
    char *threads_ok[] = {"in", "--threads=1"};
    assert_int_equal(cli_parse("run", RUN_TAKES | CLI_OPT_THREADS, 2, threads_ok, &a), 0);
    assert_int_equal(a.threads, 1);
    char *ok[] = {"--unit=so-y-te", "--year", "2024", "--output", "f.xlsx"};
    assert_int_equal(cli_parse("template", CLI_OPT_UNIT | CLI_OPT_YEAR | CLI_OPT_OUTPUT, 5, ok, &a), 0);
    assert_string_equal(a.unit, "so-y-te");
    assert_int_equal(a.year, 2024);
    assert_string_equal(a.output, "f.xlsx");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_options_anywhere_and_both_spellings),
        cmocka_unit_test(test_usage_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
