/* tests/unit/test_csvout.c — CSV exports, results bookkeeping, atomic outputs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "output/atomic.h"
#include "output/csvout.h"
#include "pipeline/results.h"

/* Run a writer into memory and return the text (caller frees). */
static char *capture(int (*writer)(FILE *, const results *), const results *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(writer(f, r), 0);
    fclose(f);
    return text;
}

static void test_csvout_text_neutralizes_formula_starts_and_quotes(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    csvout_text(f, "=SUM(A1)", true);
    csvout_text(f, "+1", false);
    csvout_text(f, "@x", false);
    csvout_text(f, "-2,5", false);
    csvout_text(f, "Sở \"Nội\" vụ", false);
    csvout_text(f, "dòng 1\ndòng 2", false);
    csvout_number(f, -3.5, false);
    csvout_eol(f);
    fclose(f);
    assert_string_equal(text, "'=SUM(A1),'+1,'@x,\"'-2,5\",\"Sở \"\"Nội\"\" vụ\",\"dòng 1\ndòng 2\",-3.5\n");
    free(text);
}

static void test_csvout_records_issues_sources_have_design_columns(void **state)
{
    (void)state;
    results r;
    results_init(&r, NULL);
    uint32_t s = results_add_source(&r, "inbox/giong-rieng.xlsx");
    assert_int_equal(s, 0);
    record rec = {.source = s, .unit = "h-giong-rieng", .year = 2024, .table = 1,
                  .group = "cbcc_th", .metric = "headcount", .breakdown = "female",
                  .value = 120, .sheet = "Biểu 01", .row = 8, .col = 4};
    assert_non_null(results_add_record(&r, &rec));
    rec.superseded = true;
    rec.value = 999;
    assert_non_null(results_add_record(&r, &rec));
    results_add_finding(&r, SEV_WARNING, "unmapped_column", s, "Biểu 01", "K6", "h-giong-rieng",
                        2024, "Cột \"%s\" không khớp", "Ghi chú");
    results_add_finding(&r, SEV_ERROR, "part_over_whole", s, "Biểu 01", "E9", "h-giong-rieng",
                        2024, "Số nữ (%d) lớn hơn tổng số (%d)", 120, 100);
    r.sources[s].format = WB_FMT_XLSX;
    r.sources[s].unit = "h-giong-rieng";
    r.sources[s].year = 2024;
    r.sources[s].cells_read = 9;
    r.sources[s].cells_recorded = 2;
    r.sources[s].cells_rejected = 1;
    r.sources[s].cells_outside = 6;
    assert_int_equal(r.sources[s].records, 2);
    assert_int_equal(r.sources[s].errors, 1);
    assert_int_equal(r.sources[s].warnings, 1);
    assert_int_equal(results_count(&r, SEV_ERROR), 1);

    char *t = capture(csvout_records, &r);
    assert_string_equal(t, "unit,year,group,metric,breakdown,value,file,sheet,cell\n"
                           "h-giong-rieng,2024,cbcc_th,headcount,female,120,"
                           "inbox/giong-rieng.xlsx,Biểu 01,E9\n");
    free(t);
    t = capture(csvout_issues, &r);
    assert_string_equal(t, "severity,rule,file,sheet,cell,unit,year,message\n"
                           "error,part_over_whole,inbox/giong-rieng.xlsx,Biểu 01,E9,h-giong-rieng,"
                           "2024,Số nữ (120) lớn hơn tổng số (100)\n"
                           "warning,unmapped_column,inbox/giong-rieng.xlsx,Biểu 01,K6,h-giong-rieng,"
                           "2024,\"Cột \"\"Ghi chú\"\" không khớp\"\n");
    free(t);
    t = capture(csvout_sources, &r);
    assert_string_equal(t, "file,sha256,format,unit,year,status,records,errors,warnings,"
                           "cells_read,cells_recorded,cells_rejected,cells_outside\n"
                           "inbox/giong-rieng.xlsx,,xlsx,h-giong-rieng,2024,accepted,1,1,1,9,2,1,6\n");
    free(t);
    results_free(&r);
}

/* Read a whole small file into a static buffer. */
static const char *slurp(const char *path)
{
    static char data[256];
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t n = fread(data, 1, sizeof data - 1, f);
    data[n] = '\0';
    fclose(f);
    return data;
}

static void test_atomic_failed_set_leaves_previous_outputs(void **state)
{
    (void)state;
    char dir[] = "/tmp/dtbd-atomic-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char a[128], b[128];
    snprintf(a, sizeof a, "%s/records.csv", dir);
    snprintf(b, sizeof b, "%s/issues.csv", dir);

    atomic_set s;
    atomic_init(&s);
    fputs("old-a", atomic_open(&s, a));
    fputs("old-b", atomic_open(&s, b));
    assert_int_equal(atomic_commit(&s), 0);
    assert_string_equal(slurp(a), "old-a");

    atomic_init(&s);
    fputs("new-a", atomic_open(&s, a));
    fputs("new-b", atomic_open(&s, b));
    atomic_fail(&s);                          /* e.g. the workbook writer failed */
    assert_int_equal(atomic_commit(&s), -1);
    assert_string_equal(slurp(a), "old-a");
    assert_string_equal(slurp(b), "old-b");

    /* nothing but the two outputs is left in the folder */
    char cmd[160];
    snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 2", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_atomic_unwritable_folder_fails_cleanly(void **state)
{
    (void)state;
    atomic_set s;
    atomic_init(&s);
    assert_null(atomic_open(&s, "/nonexistent-dtbd-dir/records.csv"));
    assert_int_equal(atomic_commit(&s), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csvout_text_neutralizes_formula_starts_and_quotes),
        cmocka_unit_test(test_csvout_records_issues_sources_have_design_columns),
        cmocka_unit_test(test_atomic_failed_set_leaves_previous_outputs),
        cmocka_unit_test(test_atomic_unwritable_folder_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
