/* tests/unit/test_results.c — pipeline/results: what every output shows is
 * valid UTF-8 — a source's name is repaired once where the source is added
 * (with one file_name_repaired finding), and a finding's message is too;
 * after validation the superseded records and the totals are dropped, the
 * others kept in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/text.h"
#include "pipeline/results.h"

/* Windows-1258 "báo cáo" (0xE1 = á) is not UTF-8: each stray byte is one
 * U+FFFD, the rest unchanged, and one info finding names the source. */
static void test_results_source_name_is_repaired_once(void **state)
{
    (void)state;
    results r;
    results_init(&r, NULL);
    uint32_t src = results_add_source(&r, "inbox/b\xe1o-c\xe1o.xlsx");
    assert_int_not_equal(src, RESULTS_NO_SOURCE);
    assert_string_equal(r.sources[src].path, "inbox/b\xEF\xBF\xBDo-c\xEF\xBF\xBDo.xlsx");
    assert_int_equal(r.nfindings, 1);
    assert_string_equal(r.findings[0].rule, "file_name_repaired");
    assert_int_equal(r.findings[0].sev, SEV_INFO);
    assert_int_equal(r.findings[0].source, src);
    assert_true(text_utf8_valid(r.findings[0].message, strlen(r.findings[0].message)));
    results_free(&r);
}

/* A valid name (NFD included: names are not normalized) is kept as is,
 * without a finding. */
static void test_results_valid_source_name_is_kept(void **state)
{
    (void)state;
    results r;
    results_init(&r, NULL);
    const char *nfd = "inbox/ba\xCC\x81o-ca\xCC\x81o.xlsx";
    uint32_t src = results_add_source(&r, nfd);
    assert_string_equal(r.sources[src].path, nfd);
    assert_int_equal(r.nfindings, 0);
    results_free(&r);
}

/* A message naming a broken folder name, or cut at 1 KB inside a sequence,
 * is stored as valid UTF-8. */
static void test_results_message_is_valid_utf8(void **state)
{
    (void)state;
    results r;
    results_init(&r, NULL);
    finding *f = results_add_finding(&r, SEV_WARNING, "folder_loop", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                                     "Thư mục \"%s\"", "b\xe1o");
    assert_non_null(f);
    assert_true(text_utf8_valid(f->message, strlen(f->message)));
    char longname[1100];
    memset(longname, 'a', sizeof longname);
    memcpy(longname + 1021, "\xE1\xBB\x87", 3);     /* "ệ" across the cut at 1023 */
    longname[sizeof longname - 1] = '\0';
    f = results_add_finding(&r, SEV_WARNING, "x", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0, "%s", longname);
    assert_non_null(f);
    assert_true(text_utf8_valid(f->message, strlen(f->message)));
    results_free(&r);
}

/* text_utf8_repair counts what it replaced (one per maximal subpart). */
/* Records 0..5, the odd ones superseded, and two totals: the even ones stay,
 * in order and unchanged, the totals go, the sources' counts stay. */
static void test_results_drop_superseded(void **state)
{
    (void)state;
    results r;
    results_init(&r, NULL);
    uint32_t src = results_add_source(&r, "a.xlsx");
    for (int i = 0; i < 6; i++) {
        record rec = {.source = src, .year = 2021 + i, .unit = "u", .group = "g", .metric = "m",
                      .breakdown = "all", .value = i, .sheet = i < 3 ? "S1" : "S2", .row = (uint32_t)i,
                      .rejected = i == 4};
        record *d = results_add_record(&r, &rec);
        assert_non_null(d);
        d->superseded = i % 2 == 1;
        if (i < 2) assert_non_null(results_add_total(&r, &rec));
    }
    assert_int_equal(r.ntotals, 2);
    results_drop_superseded(&r);
    assert_false(r.oom);
    assert_int_equal(r.nrecords, 3);
    assert_true(r.caprecords >= 3);
    for (size_t k = 0; k < r.nrecords; k++) {
        assert_false(r.records[k].superseded);
        assert_int_equal(r.records[k].row, 2 * k);
        assert_int_equal(r.records[k].value, 2 * k);
        assert_int_equal(r.records[k].year, 2021 + 2 * (int)k);
        assert_string_equal(r.records[k].sheet, k < 2 ? "S1" : "S2");
    }
    assert_true(r.records[2].rejected);
    assert_int_equal(r.ntotals, 0);
    assert_null(r.totals);
    assert_int_equal(r.sources[src].records, 6);
    assert_int_equal(results_records_listed(&r, src), 2);
    /* every record superseded: nothing left, and the results still usable */
    for (size_t k = 0; k < r.nrecords; k++) r.records[k].superseded = true;
    results_drop_superseded(&r);
    assert_int_equal(r.nrecords, 0);
    record more = {.source = src, .year = 2025, .unit = "u", .sheet = "S3"};
    assert_non_null(results_add_record(&r, &more));
    assert_int_equal(r.nrecords, 1);
    results_free(&r);
}

static void test_text_utf8_repair_counts(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_int_equal(text_utf8_repair("a\xE1\xBB" "b\xFF", 5, &b), 2);
    assert_string_equal(b.data, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
    buf_clear(&b);
    assert_int_equal(text_utf8_repair("\xE1\xBB\x87", 3, &b), 0);
    assert_string_equal(b.data, "\xE1\xBB\x87");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_source_name_is_repaired_once),
        cmocka_unit_test(test_results_valid_source_name_is_kept),
        cmocka_unit_test(test_results_message_is_valid_utf8),
        cmocka_unit_test(test_results_drop_superseded),
        cmocka_unit_test(test_text_utf8_repair_counts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
