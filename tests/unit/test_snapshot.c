/* tests/unit/test_snapshot.c — input/snapshot: a private copy that is exactly
 * the bytes hashed, and a file that changes while it is copied is refused
 * (DTBD_ERR_CHANGED), whether it grows, shrinks, is rewritten in place or is
 * replaced by another file; no FIFO hangs, no cap is passed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/sha256.h"
#include "input/snapshot.h"

/* A scratch folder per test. */
static int setup(void **state)
{
    char *dir = strdup("/tmp/dtbd-snap-XXXXXX");
    if (!dir || !mkdtemp(dir)) return -1;
    *state = dir;
    return 0;
}

static int teardown(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
    int rc = system(cmd);
    free(*state);
    return rc == 0 ? 0 : -1;
}

/* dir/name filled with n bytes of a pattern; returns the path (static). */
static const char *make_file(const char *dir, const char *name, size_t n)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < n; i++) fputc((int)(i * 7 % 251), f);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* The whole content of an fd from offset 0. */
static unsigned char *read_fd_path(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16, len = 0;
    unsigned char *p = malloc(cap);
    size_t r;
    while ((r = fread(p + len, 1, cap - len, f)) > 0) {
        len += r;
        if (len == cap) p = realloc(p, cap *= 2);
        assert_non_null(p);
    }
    fclose(f);
    *n = len;
    return p;
}

static void test_copy_is_the_file_and_its_hash(void **state)
{
    const char *path = make_file(*state, "a.xlsx", 200000);   /* several chunks */
    char want[65];
    assert_int_equal(sha256_file(path, want), 0);
    snap_file s;
    wb_error err;
    assert_int_equal(snap_take(path, 1 << 20, &s, &err), DTBD_OK);
    assert_string_equal(s.sha256, want);
    assert_true(s.size == 200000);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(s.mtime == (int64_t)st.st_mtime);
    /* the copy holds the same bytes, read through its path as a reader would */
    size_t n;
    unsigned char *copy = read_fd_path(s.path, &n);
    assert_true(n == 200000);
    char got[65];
    sha256_hex(copy, n, got);
    assert_string_equal(got, want);
    free(copy);
    /* the original may now change: the copy does not */
    make_file(*state, "a.xlsx", 10);
    copy = read_fd_path(s.path, &n);
    assert_true(n == 200000);
    free(copy);
    snap_release(&s);
    assert_int_equal(s.fd, -1);
    snap_release(&s);                                      /* twice is harmless */
}

static void test_empty_file_is_an_empty_copy(void **state)
{
    const char *path = make_file(*state, "empty.csv", 0);
    snap_file s;
    wb_error err;
    assert_int_equal(snap_take(path, 1 << 20, &s, &err), DTBD_OK);
    assert_true(s.size == 0);
    assert_string_equal(s.sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    snap_release(&s);
}

static void test_file_over_the_cap_is_refused_before_copying(void **state)
{
    const char *path = make_file(*state, "big.xls", 5000);
    snap_file s;
    wb_error err;
    assert_int_equal(snap_take(path, 4999, &s, &err), DTBD_ERR_LIMIT);
    assert_int_equal(s.fd, -1);
    assert_non_null(strstr(err.detail, "5000"));
    assert_non_null(strstr(err.detail, "4999"));
    assert_int_equal(snap_take(path, 5000, &s, &err), DTBD_OK);  /* the cap itself is allowed */
    snap_release(&s);
}

static void test_fifo_folder_and_missing_file_are_io_errors_without_hanging(void **state)
{
    char fifo[256], missing[256];
    snprintf(fifo, sizeof fifo, "%s/pipe.xlsx", (char *)*state);
    snprintf(missing, sizeof missing, "%s/none.xlsx", (char *)*state);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    snap_file s;
    wb_error err;
    assert_int_equal(snap_take(fifo, 1 << 20, &s, &err), DTBD_ERR_IO);   /* no writer: would block */
    assert_non_null(strstr(err.detail, "FIFO"));
    assert_int_equal(snap_take(*state, 1 << 20, &s, &err), DTBD_ERR_IO);
    assert_non_null(strstr(err.detail, "thư mục"));
    assert_int_equal(snap_take(missing, 1 << 20, &s, &err), DTBD_ERR_IO);
    assert_int_equal(s.fd, -1);
}

/* What the progress hook does to the original after the first chunk. */
typedef enum { GROW, SHRINK, REWRITE, REPLACE } change;
typedef struct {
    const char *path;
    const char *dir;
    change what;
    int calls;
} changer;

static void change_it(void *ctx, uint64_t copied)
{
    (void)copied;
    changer *c = ctx;
    if (c->calls++ != 0) return;
    if (c->what == GROW) {
        FILE *f = fopen(c->path, "ab");
        assert_non_null(f);
        fputs("more", f);
        fclose(f);
    } else if (c->what == SHRINK) {
        assert_int_equal(truncate(c->path, 70000), 0);
    } else if (c->what == REWRITE) {
        /* same size, one byte rewritten in place (a program saving over it) */
        int fd = open(c->path, O_WRONLY);
        assert_true(fd >= 0);
        struct timespec later[2] = {{0, UTIME_OMIT}, {0, 0}};
        assert_int_equal(pwrite(fd, "x", 1, 100), 1);
        /* make sure the modification time moves even on a coarse clock */
        struct stat st;
        assert_int_equal(fstat(fd, &st), 0);
        later[1].tv_sec = st.st_mtim.tv_sec + 2;
        assert_int_equal(futimens(fd, later), 0);
        close(fd);
    } else {
        /* Excel's way: write a new file, rename it over the old one */
        char tmp[256];
        snprintf(tmp, sizeof tmp, "%s/new.tmp", c->dir);
        FILE *f = fopen(tmp, "wb");
        assert_non_null(f);
        fputs("new content", f);
        fclose(f);
        assert_int_equal(rename(tmp, c->path), 0);
    }
}

static void expect_changed(void **state, change what, const char *detail)
{
    const char *path = make_file(*state, "b.xlsx", 200000);
    changer c = {path, *state, what, 0};
    snap_file s;
    wb_error err;
    assert_int_equal(snap_take_observed(path, 1 << 20, &s, &err, change_it, &c), DTBD_ERR_CHANGED);
    assert_true(c.calls > 0);
    assert_int_equal(s.fd, -1);
    if (!strstr(err.detail, detail)) fail_msg("detail \"%s\" lacks \"%s\"", err.detail, detail);
}

static void test_file_growing_while_copied_is_changed(void **state)
{
    expect_changed(state, GROW, "đang được ghi");
}

static void test_file_truncated_while_copied_is_changed(void **state)
{
    expect_changed(state, SHRINK, "đang được ghi");
}

static void test_file_rewritten_in_place_while_copied_is_changed(void **state)
{
    expect_changed(state, REWRITE, "đang được ghi");
}

static void test_file_replaced_while_copied_is_changed(void **state)
{
    expect_changed(state, REPLACE, "thay bằng tệp khác");
}

static void count_calls(void *ctx, uint64_t copied)
{
    int *calls = ctx;
    assert_true(copied > 0);
    (*calls)++;
}

static void test_untouched_file_is_accepted_after_every_chunk_is_observed(void **state)
{
    const char *path = make_file(*state, "c.xlsx", 200000);
    int calls = 0;
    snap_file s;
    wb_error err;
    assert_int_equal(snap_take_observed(path, 1 << 20, &s, &err, count_calls, &calls), DTBD_OK);
    assert_int_equal(calls, 4);                           /* 200000 bytes in 64 KiB chunks */
    assert_true(s.size == 200000);
    snap_release(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_copy_is_the_file_and_its_hash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file_is_an_empty_copy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_over_the_cap_is_refused_before_copying, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo_folder_and_missing_file_are_io_errors_without_hanging,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_growing_while_copied_is_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_truncated_while_copied_is_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_rewritten_in_place_while_copied_is_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_replaced_while_copied_is_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_untouched_file_is_accepted_after_every_chunk_is_observed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
