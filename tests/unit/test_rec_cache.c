/* tests/unit/test_rec_cache.c — recognition with the run's index and a
 * recognition cache (pipeline/recognize.h rec_index, rec_cache) gives what
 * recognize_workbook gives alone, file by file: the same records, totals,
 * findings and source fields, over the workbooks of tests/corpus read one
 * after the other through one cache (warm from the second file on), and
 * through a cache of 3 entries that keeps starting afresh. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <cmocka.h>

#include "config/config.h"
#include "input/grid.h"
#include "pipeline/recognize.h"
#include "pipeline/results.h"

static struct config *cfg;

/* The workbooks under tests/corpus/inbox, sorted. */
enum { MAX_FILES = 120 };
static char *paths[MAX_FILES];
static size_t npaths;

static int collect(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    const char *dot = strrchr(p, '.');
    if (flag == FTW_F && dot && (!strcmp(dot, ".xlsx") || !strcmp(dot, ".xls") || !strcmp(dot, ".csv")) &&
        npaths < MAX_FILES)
        paths[npaths++] = strdup(p);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int setup(void **state)
{
    (void)state;
    struct config_error err;
    cfg = config_load_default(&err);
    if (!cfg || nftw("tests/corpus/inbox", collect, 16, FTW_PHYS) != 0) return -1;
    qsort(paths, npaths, sizeof *paths, by_name);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < npaths; i++) free(paths[i]);
    config_free(cfg);
    return 0;
}

static bool same_str(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

static void same_records(const record *a, const record *b, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++) {
        const record *x = &a[i], *y = &b[i];
        if (!same_str(x->group, y->group) || !same_str(x->metric, y->metric) ||
            !same_str(x->breakdown, y->breakdown) || !same_str(x->unit, y->unit) ||
            !same_str(x->sheet, y->sheet) || x->value != y->value || x->row != y->row ||
            x->col != y->col || x->year != y->year || x->table != y->table)
            fail_msg("%s: record %zu differs (%s/%s/%s vs %s/%s/%s)", path, i, x->group, x->metric,
                     x->breakdown, y->group, y->metric, y->breakdown);
    }
}

/* Two recognitions of one file are the same. */
static void same_results(const results *a, const results *b, const char *path)
{
    assert_int_equal(a->nrecords, b->nrecords);
    assert_int_equal(a->ntotals, b->ntotals);
    assert_int_equal(a->nfindings, b->nfindings);
    same_records(a->records, b->records, a->nrecords, path);
    same_records(a->totals, b->totals, a->ntotals, path);
    for (size_t i = 0; i < a->nfindings; i++)
        if (!same_str(a->findings[i].rule, b->findings[i].rule) ||
            !same_str(a->findings[i].message, b->findings[i].message) ||
            strcmp(a->findings[i].cell, b->findings[i].cell) != 0)
            fail_msg("%s: finding %zu differs: %s vs %s", path, i, a->findings[i].message,
                     b->findings[i].message);
    const source_file *x = &a->sources[0], *y = &b->sources[0];
    assert_true(same_str(x->unit, y->unit));
    assert_int_equal(x->year, y->year);
    assert_int_equal(x->cells_recorded, y->cells_recorded);
    assert_int_equal(x->cells_rejected, y->cells_rejected);
    assert_int_equal(x->cells_outside, y->cells_outside);
}

/* Every file alone, then through the index and cache m (every file twice:
 * the second time all its fuzzy matches come from the memo). */
static void check_cache(rec_cache *m, size_t *records)
{
    rec_index *rx = recognize_index_new(cfg);
    assert_non_null(rx);
    for (size_t i = 0; i < npaths; i++) {
        grid_book book;
        wb_error err = { 0 };
        if (grid_read(paths[i], NULL, &book, &err) != 0) { grid_free(&book); continue; }
        results alone, cached;
        results_init(&alone, cfg);
        results_add_source(&alone, paths[i]);
        recognize_workbook(cfg, &book, &alone, 0);
        for (int pass = 0; pass < 2; pass++) {
            results_init(&cached, cfg);
            results_add_source(&cached, paths[i]);
            recognize_workbook_ix(rx, m, &book, &cached, 0);
            assert_false(cached.oom);
            same_results(&alone, &cached, paths[i]);
            results_free(&cached);
        }
        *records += alone.nrecords;
        results_free(&alone);
        grid_free(&book);
    }
    recognize_index_free(rx);
}

static void test_cache_changes_no_result(void **state)
{
    (void)state;
    assert_true(npaths >= 40);
    rec_cache *m = recognize_cache_new(0);
    assert_non_null(m);
    size_t records = 0;
    check_cache(m, &records);
    assert_true(records > 1000);                     /* the files were read */
    recognize_cache_free(m);
}

static void test_tiny_cache_starting_afresh(void **state)
{
    (void)state;
    rec_cache *m = recognize_cache_new(3);
    assert_non_null(m);
    size_t records = 0;
    check_cache(m, &records);
    assert_true(records > 1000);
    recognize_cache_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cache_changes_no_result),
        cmocka_unit_test(test_tiny_cache_starting_afresh),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
