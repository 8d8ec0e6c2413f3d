/* tests/unit/test_labels.c — escaping untrusted text for gnuplot, slugs; the
 * escaping rule checked against a real gnuplot on many random strings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <cmocka.h>

#include "charts/gnuplot.h"
#include "charts/labels.h"

/* labels_quote() of s as a string (caller frees). */
static char *quoted(const char *s, size_t max)
{
    buf b = BUF_INIT;
    labels_quote(&b, s, max);
    assert_false(b.oom);
    return buf_detach(&b);
}

/* labels_clean() of s as a string (caller frees). */
static char *cleaned(const char *s, size_t max)
{
    buf b = BUF_INIT;
    labels_clean(&b, s, max);
    assert_false(b.oom);
    char *r = buf_detach(&b);
    return r ? r : strdup("");
}

static void expect_quote(const char *in, const char *want)
{
    char *q = quoted(in, 0);
    assert_string_equal(q, want);
    free(q);
}

static void test_labels_quote_splits_literals_at_single_quotes(void **state)
{
    (void)state;
    expect_quote("Sở \"X\"'; x", "'Sở \"X\"'.sprintf('%c',39).'; x'");
    expect_quote("'", "sprintf('%c',39)");
    expect_quote("''", "sprintf('%c',39).''.sprintf('%c',39)");
    expect_quote("'a'", "sprintf('%c',39).'a'.sprintf('%c',39)");
    expect_quote("a''''b", "'a'.sprintf('%c',39).''.sprintf('%c',39).''.sprintf('%c',39).''.sprintf('%c',39).'b'");
    expect_quote("", "''");
    expect_quote(NULL, "''");
}

static void test_labels_quote_keeps_backslashes_backticks_macros_literal(void **state)
{
    (void)state;
    /* Single quotes do no escapes: these are inert inside them. */
    expect_quote("a\\b\\", "'a\\b\\'");
    expect_quote("\\n \\' x", "'\\n \\'.sprintf('%c',39).' x'");
    expect_quote("system(\"touch /tmp/x\")", "'system(\"touch /tmp/x\")'");
    expect_quote("`touch /tmp/x`", "'`touch /tmp/x`'");
    expect_quote("@m & {x} ^2 _1 ~a", "'@m & {x} ^2 _1 ~a'");
    expect_quote("50%", "'50%'");
}

static void test_labels_quote_replaces_newlines_and_controls(void **state)
{
    (void)state;
    expect_quote("a\nb\r\tc\x01\x7f", "'a b  c  '");
    expect_quote("x\xc2\x85y\xe2\x80\xa8z", "'x y z'");   /* NEL, LINE SEPARATOR */
    expect_quote("'\n'", "sprintf('%c',39).' '.sprintf('%c',39)");
}

static void test_labels_quote_replaces_invalid_utf8(void **state)
{
    (void)state;
    expect_quote("\xff(\xc3", "'\xef\xbf\xbd(\xef\xbf\xbd'");
    expect_quote("\xed\xa0\x80", "'\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd'"); /* surrogate */
    expect_quote("\xc0\xaf", "'\xef\xbf\xbd\xef\xbf\xbd'");                 /* overlong  */
    expect_quote("Kiên Giang", "'Kiên Giang'");
}

static void test_labels_quote_format_doubles_percent(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    labels_quote_format(&b, "a%gb'%", 0);
    assert_string_equal(b.data, "'a%%gb'.sprintf('%c',39).'%%'");
    buf_free(&b);
}

static void test_labels_clean_cuts_long_text_with_ellipsis(void **state)
{
    (void)state;
    char *c = cleaned("Sở Nội vụ tỉnh", 5);
    assert_string_equal(c, "Sở N…");
    free(c);
    c = cleaned("Sở Nội", 6);
    assert_string_equal(c, "Sở Nội");
    free(c);
    c = cleaned("a\nb", 0);
    assert_string_equal(c, "a b");
    free(c);
}

static void test_labels_slug_is_ascii_lower_and_dashes(void **state)
{
    (void)state;
    char s[32];
    labels_slug("T01", s, sizeof s);
    assert_string_equal(s, "t01");
    labels_slug("so-noi-vu", s, sizeof s);
    assert_string_equal(s, "so-noi-vu");
    labels_slug("  Sở / X  ", s, sizeof s);
    assert_string_equal(s, "s-x");
    labels_slug("../../etc", s, sizeof s);
    assert_string_equal(s, "etc");
    labels_slug("", s, sizeof s);
    assert_string_equal(s, "x");
    labels_slug("abcdef", s, 4);
    assert_string_equal(s, "abc");
    labels_slug("ab cd", s, 4);
    assert_string_equal(s, "ab");
}

/* ---- the property, through a real gnuplot -------------------------------- */

/* Pieces random strings are made of: everything that could end a string,
 * start a command or run a program, plus Vietnamese and raw bytes. */
static const char *const pieces[] = {
    "'", "''", "\"", "\\", "\\'", "`", "`touch pwned-bt`", "system(\"touch pwned-sys\")",
    "system('touch pwned-sq')", "'; system('touch pwned-x'); print '", "\n", "\r", "\n!touch pwned-bang\n",
    "@", "@m", "&", "{", "}", "{\n", "^", "_", "~", "%s", "%n", "$", "$data", ";", "#", "EOD",
    " ", "\t", "Sở Nội vụ", "Kiên Giang", "ạ", "\xff", "\xc3", "\xe2\x80", "\xe2\x80\xa8", "\xc2\x85",
    "\x01", "\x7f", "a", "0", "\\n", "eval('touch pwned-eval')", "load 'x'",
};

/* A random string of up to 12 pieces. */
static void random_string(buf *b, unsigned *seed)
{
    buf_clear(b);
    int k = rand_r(seed) % 13;
    for (int i = 0; i < k; i++) buf_puts(b, pieces[(size_t)rand_r(seed) % (sizeof pieces / sizeof *pieces)]);
}

/* The text with spaces trimmed at both ends (as the driver reports lines). */
static char *trimmed(const char *s)
{
    size_t a = 0, n = strlen(s);
    while (a < n && (s[a] == ' ' || s[a] == '\t')) a++;
    while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    char *r = malloc(n - a + 1);
    assert_non_null(r);
    memcpy(r, s + a, n - a);
    r[n - a] = '\0';
    return r;
}

static void test_labels_quote_property_gnuplot_prints_text_literally(void **state)
{
    (void)state;
    char exe[4096];
    if (!gnuplot_find(NULL, exe, sizeof exe)) { skip(); return; }
    char dir[] = "/tmp/dtbd-labels-XXXXXX";
    assert_non_null(mkdtemp(dir));

    enum { N = 2000 };
    char **expect = calloc(N, sizeof *expect);
    assert_non_null(expect);
    gnuplot *g = NULL;
    assert_int_equal(gnuplot_open(dir, &g), DTBD_OK);
    /* A macro that would run a command if @m were ever expanded. */
    const char *setup = "m = \"system('touch pwned-macro')\"\n";
    assert_int_equal(gnuplot_send(g, "setup", setup, strlen(setup)), DTBD_OK);
    unsigned seed = 20240601;
    buf s = BUF_INIT, script = BUF_INIT;
    for (int i = 0; i < N; i++) {
        random_string(&s, &seed);
        char *c = cleaned(s.data ? s.data : "", 0);
        expect[i] = trimmed(c);
        free(c);
        buf_clear(&script);
        buf_puts(&script, "print ");
        labels_quote(&script, s.data ? s.data : "", 0);
        buf_puts(&script, "\n");
        char name[16];
        snprintf(name, sizeof name, "s%d", i);
        assert_int_equal(gnuplot_send(g, name, script.data, script.len), DTBD_OK);
    }
    gnuplot_report rep;
    dtbd_status st = gnuplot_close(g, &rep);
    size_t seen = 0;
    for (size_t i = 0; i < rep.n; i++) {
        int k;
        if (sscanf(rep.msgs[i].chart, "s%d", &k) != 1) {
            fail_msg("output outside a string: [%s] %s", rep.msgs[i].chart, rep.msgs[i].text);
        }
        assert_true(k >= 0 && k < N);
        if (strcmp(rep.msgs[i].text, expect[k]) != 0)
            fail_msg("string %d printed as [%s], expected [%s]", k, rep.msgs[i].text, expect[k]);
        seen++;
    }
    /* Blank lines and a lone caret (gnuplot's error pointer) are not kept
     * by the driver: such prints give no message. */
    for (int i = 0; i < N; i++) seen += expect[i][0] == '\0' || strcmp(expect[i], "^") == 0;
    assert_int_equal(seen, N);
    assert_int_equal(st, DTBD_OK);     /* exit 0: no error at all */

    /* Nothing ran: gnuplot's folder is still empty. */
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) fail_msg("file created: %s", e->d_name);
    closedir(d);
    rmdir(dir);
    gnuplot_report_free(&rep);
    for (int i = 0; i < N; i++) free(expect[i]);
    free(expect);
    buf_free(&s);
    buf_free(&script);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_labels_quote_splits_literals_at_single_quotes),
        cmocka_unit_test(test_labels_quote_keeps_backslashes_backticks_macros_literal),
        cmocka_unit_test(test_labels_quote_replaces_newlines_and_controls),
        cmocka_unit_test(test_labels_quote_replaces_invalid_utf8),
        cmocka_unit_test(test_labels_quote_format_doubles_percent),
        cmocka_unit_test(test_labels_clean_cuts_long_text_with_ellipsis),
        cmocka_unit_test(test_labels_slug_is_ascii_lower_and_dashes),
        cmocka_unit_test(test_labels_quote_property_gnuplot_prints_text_literally),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
