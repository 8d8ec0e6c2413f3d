/* tests/unit/test_archive.c — input/archive.h: member listing (order, labels,
 * metadata), the caps (members, depth, per-member size, declared bombs) and
 * extraction into private copies (hash, mtime). Zips are written with libzip. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

#include "input/archive.h"
#include "base/sha256.h"

typedef struct {
    const char *name;       /* raw bytes of the name                          */
    bool utf8_flag;         /* stored with the UTF-8 flag                      */
    const char *data;
} entry;

/* Write a zip of the entries to a fresh file under /tmp; returns its path. */
static char *make_zip(const entry *e, size_t n, time_t mtime)
{
    char *path = strdup("/tmp/test_archive_XXXXXX");
    assert_non_null(path);
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    int code;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *src = zip_source_buffer(za, e[i].data, strlen(e[i].data), 0);
        assert_non_null(src);
        zip_int64_t idx = zip_file_add(za, e[i].name, src,
                                       e[i].utf8_flag ? ZIP_FL_ENC_UTF_8 : ZIP_FL_ENC_CP437);
        assert_true(idx >= 0);
        assert_int_equal(zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0), 0);
    }
    assert_int_equal(zip_close(za), 0);
    return path;
}

static void test_archive_lists_sorted_labels_and_skips_metadata(void **state)
{
    (void)state;
    const entry e[] = {
        {"z.csv", false, "1"},
        {"folder/", false, ""},
        {"__MACOSX/._z.csv", false, "x"},
        {"B\xe1o c\xe1o.xlsx", false, "2"},      /* Windows-1258, no flag       */
        {"Đơn vị.csv", true, "3"},               /* UTF-8, flagged              */
        {"../up.csv", false, "4"},
        {"tab\there.csv", false, "5"},
        {"win\\dir\\x.csv", false, "6"},
        {"~$lock.xlsx", false, "7"},
    };
    char *path = make_zip(e, sizeof e / sizeof *e, 1705307400);
    wb_limits lim = wb_limits_default();
    arc_archive a;
    wb_error err = {0};
    assert_int_equal(arc_open(path, &lim, NULL, &a, &err), DTBD_OK);
    assert_int_equal(a.n, 7);
    assert_int_equal(a.skipped, 2);
    assert_int_equal(a.depth, 1);
    const char *want[] = {"../up.csv", "Báo cáo.xlsx", "tab\xef\xbf\xbdhere.csv", "win/dir/x.csv",
                          "z.csv", "~$lock.xlsx", "Đơn vị.csv"};
    for (size_t i = 0; i < a.n; i++) assert_string_equal(a.members[i].label, want[i]);
    assert_true(a.members[0].unsafe_name);
    assert_false(a.members[4].unsafe_name);
    assert_true(a.members[1].name_repaired);
    assert_false(a.members[4].name_repaired);
    assert_false(a.members[6].name_repaired);
    assert_int_equal(a.members[4].mtime, 1705307400);
    arc_close(&a);
    unlink(path);
    free(path);
}

static void test_archive_extract_hashes_the_member_and_keeps_its_mtime(void **state)
{
    (void)state;
    const entry e[] = {{"r.csv", false, "STT,Đơn vị\n1,Sở Nội vụ\n"}};
    char *path = make_zip(e, 1, 1700000000);
    wb_limits lim = wb_limits_default();
    arc_archive a;
    wb_error err = {0};
    assert_int_equal(arc_open(path, &lim, NULL, &a, &err), DTBD_OK);
    snap_file s;
    assert_int_equal(arc_extract(&a, 0, &lim, &s, &err), DTBD_OK);
    char hex[65];
    sha256_hex(e[0].data, strlen(e[0].data), hex);
    assert_string_equal(s.sha256, hex);
    assert_int_equal(s.size, strlen(e[0].data));
    assert_int_equal(s.mtime, 1700000000);
    char got[64] = {0};
    FILE *f = fopen(s.path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(got, 1, sizeof got - 1, f), strlen(e[0].data));
    fclose(f);
    assert_string_equal(got, e[0].data);
    snap_release(&s);
    assert_int_equal(a.root->inflated, strlen(e[0].data));
    arc_close(&a);
    unlink(path);
    free(path);
}

static void test_archive_caps_members_depth_and_member_size(void **state)
{
    (void)state;
    const entry e[] = {{"a.csv", false, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}, {"b.csv", false, "b"}};
    char *path = make_zip(e, 2, 1700000000);
    wb_limits lim = wb_limits_default();
    arc_archive a, nested;
    wb_error err = {0};

    lim.max_archive_members = 1;                       /* two members: refused */
    assert_int_equal(arc_open(path, &lim, NULL, &a, &err), DTBD_ERR_LIMIT);
    assert_non_null(strstr(err.detail, "hơn 1 tệp"));
    arc_close(&a);

    lim = wb_limits_default();
    lim.max_archive_depth = 1;                         /* a zip in the zip: refused */
    assert_int_equal(arc_open(path, &lim, NULL, &a, &err), DTBD_OK);
    memset(&err, 0, sizeof err);
    assert_int_equal(arc_open(path, &lim, &a, &nested, &err), DTBD_ERR_LIMIT);
    assert_non_null(strstr(err.detail, "quá 1 lớp"));
    arc_close(&nested);

    lim.max_file_bytes = 10;                           /* a.csv is 45 bytes */
    snap_file s;
    memset(&err, 0, sizeof err);
    assert_int_equal(arc_extract(&a, 0, &lim, &s, &err), DTBD_ERR_LIMIT);
    assert_int_equal(s.fd, -1);
    assert_int_equal(arc_extract(&a, 1, &lim, &s, &err), DTBD_OK);   /* the others go on */
    snap_release(&s);

    lim = wb_limits_default();
    lim.max_inflated_total = 20;                       /* declared 45 > 20: before a byte */
    assert_int_equal(arc_extract(&a, 0, &lim, &s, &err), DTBD_ERR_LIMIT);
    assert_non_null(strstr(err.detail, "zip bomb"));
    arc_close(&a);
    unlink(path);
    free(path);
}

static void test_archive_not_a_zip_is_corrupt(void **state)
{
    (void)state;
    wb_limits lim = wb_limits_default();
    arc_archive a;
    wb_error err = {0};
    assert_int_equal(arc_open("tests/fixtures/csv/crlf.csv", &lim, NULL, &a, &err), DTBD_ERR_CORRUPT);
    arc_close(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_archive_lists_sorted_labels_and_skips_metadata),
        cmocka_unit_test(test_archive_extract_hashes_the_member_and_keeps_its_mtime),
        cmocka_unit_test(test_archive_caps_members_depth_and_member_size),
        cmocka_unit_test(test_archive_not_a_zip_is_corrupt),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
