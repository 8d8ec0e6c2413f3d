/* tests/unit/test_fuzz_regressions.c — every reproducer the fuzzers found
 * (tests/fixtures/fuzz/) replayed through the very harness that found it.
 *
 * The harnesses (fuzz/fuzz_NAME.c) are compiled in here with their entry
 * point renamed, so a reproducer goes through the same input shaping (the
 * zip of XML parts, the compound-file wrapper, the grid program) and the same
 * property checks (fuzz/fuzz_common.h: a failed property aborts, which fails
 * this test). A file's prefix names its harness: xlsx-, xls-, csv-, config-,
 * recognize-, text-, labels-, xmlscan-. Under `make test`'s ASan/UBSan pass and
 * `make valgrind`, a leak or invalid access fails the suite too.
 *
 * Every family has at least one file (a plain seed where the fuzzer found
 * nothing yet), and a replay that finds none fails: an emptied or renamed
 * folder cannot pass by replaying nothing.
 *
 * Besides "no crash", each family checks the outcome is clean: a read ends in
 * a dtbd_status with its reason filled in, a config load either succeeds or
 * names an error. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#define LLVMFuzzerTestOneInput fuzz_one_xlsx
#include "fuzz/fuzz_xlsx.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_xls
#include "fuzz/fuzz_xls.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_csv
#include "fuzz/fuzz_csv.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_config
#include "fuzz/fuzz_config.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_recognize
#include "fuzz/fuzz_recognize.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_text
#include "fuzz/fuzz_text.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_labels
#include "fuzz/fuzz_labels.c"
#undef LLVMFuzzerTestOneInput
#define LLVMFuzzerTestOneInput fuzz_one_xmlscan
#include "fuzz/fuzz_xmlscan.c"
#undef LLVMFuzzerTestOneInput

#define FIX "tests/fixtures/fuzz/"

typedef int (*harness_fn)(const uint8_t *, size_t);

static const struct {
    const char *prefix;
    harness_fn fn;
} HARNESSES[] = {
    {"xlsx-", fuzz_one_xlsx},           {"xls-", fuzz_one_xls},   {"csv-", fuzz_one_csv},
    {"config-", fuzz_one_config},       {"recognize-", fuzz_one_recognize},
    {"text-", fuzz_one_text},           {"labels-", fuzz_one_labels},
    {"xmlscan-", fuzz_one_xmlscan},
};
enum { NHARNESS = sizeof HARNESSES / sizeof HARNESSES[0] };

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *p = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 4096;
            p = realloc(p, cap);
            assert_non_null(p);
        }
        size_t k = fread(p + n, 1, cap - n, f);
        if (k == 0) break;
        n += k;
    }
    fclose(f);
    *len = n;
    return p;
}

/* The reproducers' file names, sorted; caller frees. */
static char **list_fixtures(size_t *count)
{
    DIR *d = opendir(FIX);
    assert_non_null(d);
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue;
        names = realloc(names, (n + 1) * sizeof *names);
        assert_non_null(names);
        names[n] = strdup(e->d_name);
        assert_non_null(names[n]);
        n++;
    }
    closedir(d);
    for (size_t i = 1; i < n; i++) /* insertion sort: a handful of names */
        for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    *count = n;
    return names;
}

static void free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
}

/* Replay every reproducer of one harness. */
static void replay(const char *prefix, harness_fn fn)
{
    size_t n;
    char **names = list_fixtures(&n);
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(names[i], prefix, strlen(prefix)) != 0) continue;
        if (strcmp(prefix, "xls-") == 0 && strncmp(names[i], "xlsx-", 5) == 0) continue;
        found++;
        char path[512];
        snprintf(path, sizeof path, FIX "%s", names[i]);
        size_t len;
        unsigned char *data = slurp(path, &len);
        assert_int_equal(fn(data, len), 0);
        free(data);
    }
    free_list(names, n);
    /* an empty family would pass while replaying nothing: each has a file */
    if (found == 0) fail_msg("no %s* file in " FIX ": nothing replayed", prefix);
}

static void test_every_reproducer_names_its_harness(void **state)
{
    (void)state;
    size_t n;
    char **names = list_fixtures(&n);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++) {
        bool known = false;
        for (size_t h = 0; h < NHARNESS; h++)
            known |= strncmp(names[i], HARNESSES[h].prefix, strlen(HARNESSES[h].prefix)) == 0 &&
                     !(h == 1 && strncmp(names[i], "xlsx-", 5) == 0);
        if (!known) fail_msg("%s: no harness prefix", names[i]);
    }
    free_list(names, n);
}

static void test_xlsx_reproducers(void **state) { (void)state; replay("xlsx-", fuzz_one_xlsx); }
static void test_xls_reproducers(void **state) { (void)state; replay("xls-", fuzz_one_xls); }
static void test_csv_reproducers(void **state) { (void)state; replay("csv-", fuzz_one_csv); }
static void test_config_reproducers(void **state) { (void)state; replay("config-", fuzz_one_config); }
static void test_recognize_reproducers(void **state) { (void)state; replay("recognize-", fuzz_one_recognize); }
static void test_text_reproducers(void **state) { (void)state; replay("text-", fuzz_one_text); }
static void test_labels_reproducers(void **state) { (void)state; replay("labels-", fuzz_one_labels); }
static void test_xmlscan_reproducers(void **state) { (void)state; replay("xmlscan-", fuzz_one_xmlscan); }

/* The .xls reproducers through wb_read() with the default limits: each read
 * ends in a status with its reason (the leak ones — a LABEL in the globals,
 * an SST inside a sheet, a date cell written twice — are read by the
 * records, FreeXL kept away). */
static void test_xls_reproducers_read_cleanly(void **state)
{
    (void)state;
    static const char *const files[] = {"xls-sheet-flags-uninit.bin", "xls-globals-label-leak.bin",
                                        "xls-sst-in-sheet-leak.bin", "xls-twice-written-date-leak.bin",
                                        "xls-sst-continue-freexl-overflow.bin",
                                        "xls-boundsheet-offset-twice.bin",
                                        "xls-shared-string-in-2000-cells.bin",
                                        "xls-foreign-container-freexl-iconv.bin"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, FIX "%s", files[i]);
        size_t len, wlen;
        unsigned char *data = slurp(path, &len);
        /* as fuzz_xls does: a compound file as it is, a BIFF stream wrapped */
        bool ole = len >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0;
        unsigned char *img = ole ? NULL : fuzz_xls_wrap(data, len, &wlen);
        const char *tmp = ole ? fuzz_tmp_write(data, len, ".xls") : fuzz_tmp_write(img, wlen, ".xls");
        wb_error err;
        dtbd_status st = wb_read(tmp, NULL, NULL, &err);
        assert_int_equal(err.status, st);
        if (st != DTBD_OK) assert_true(err.detail[0] != '\0' || dtbd_strerror(st)[0] != '\0');
        free(img);
        free(data);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_reproducer_names_its_harness),
        cmocka_unit_test(test_xlsx_reproducers),
        cmocka_unit_test(test_xmlscan_reproducers),
        cmocka_unit_test(test_xls_reproducers),
        cmocka_unit_test(test_xls_reproducers_read_cleanly),
        cmocka_unit_test(test_csv_reproducers),
        cmocka_unit_test(test_config_reproducers),
        cmocka_unit_test(test_recognize_reproducers),
        cmocka_unit_test(test_text_reproducers),
        cmocka_unit_test(test_labels_reproducers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
