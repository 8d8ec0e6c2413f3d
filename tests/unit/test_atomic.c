/* tests/unit/test_atomic.c — output/atomic: a failed set reports why it
 * failed (the first errno, never a made-up EIO), in Vietnamese that keeps
 * errno's meaning; temporaries carry the writer's pid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <errno.h>
#include <unistd.h>

#include "output/atomic.h"

/* A set whose temporary cannot be created (no such folder) fails with that
 * folder's errno (ENOENT), not EIO ("lỗi ghi trên thiết bị"). */
static void test_atomic_commit_keeps_the_first_errno(void **state)
{
    (void)state;
    atomic_set s;
    atomic_init(&s);
    assert_null(atomic_open(&s, "/nonexistent-dtbd-dir/records.csv"));
    errno = 0;
    assert_int_equal(atomic_commit(&s), -1);
    assert_int_equal(errno, ENOENT);
}

/* A writer's failure (atomic_fail after a write set errno) is the reason. */
static void test_atomic_fail_keeps_the_writers_errno(void **state)
{
    (void)state;
    char dir[] = "/tmp/dtbd-atomic-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/records.csv", dir);
    atomic_set s;
    atomic_init(&s);
    assert_non_null(atomic_open(&s, path));
    errno = ENOSPC;                       /* as a failed fwrite leaves it */
    atomic_fail(&s);
    errno = 0;
    assert_int_equal(atomic_commit(&s), -1);
    assert_int_equal(errno, ENOSPC);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(rmdir(dir), 0);      /* no temporary left */
}

/* The temporary's name holds the pid: ".NAME.tmp-PID-XXXXXX". */
static void test_atomic_temp_names_hold_the_pid(void **state)
{
    (void)state;
    char dir[] = "/tmp/dtbd-atomic-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64], want[96];
    snprintf(path, sizeof path, "%s/issues.csv", dir);
    snprintf(want, sizeof want, "%s/.issues.csv.tmp-%ld-", dir, (long)getpid());
    atomic_set s;
    atomic_init(&s);
    const char *tmp = atomic_reserve(&s, path);
    assert_non_null(tmp);
    assert_int_equal(strncmp(tmp, want, strlen(want)), 0);
    assert_int_equal(strlen(tmp), strlen(want) + 6);
    atomic_abort(&s);
    assert_int_equal(rmdir(dir), 0);
}

/* Each common errno keeps its meaning; none is the C library's English. */
static void test_atomic_error_text_keeps_the_meaning(void **state)
{
    (void)state;
    assert_non_null(strstr(atomic_error_text(ENOSPC), "đầy"));
    assert_non_null(strstr(atomic_error_text(EACCES), "quyền"));
    assert_non_null(strstr(atomic_error_text(EPERM), "quyền"));
    assert_non_null(strstr(atomic_error_text(EDQUOT), "hạn mức"));
    assert_non_null(strstr(atomic_error_text(EROFS), "chỉ cho đọc"));
    assert_non_null(strstr(atomic_error_text(EFBIG), "cỡ tệp"));
    assert_string_not_equal(atomic_error_text(ENOSPC), atomic_error_text(EIO));
    assert_null(strstr(atomic_error_text(EXDEV), strerror(EXDEV)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atomic_commit_keeps_the_first_errno),
        cmocka_unit_test(test_atomic_fail_keeps_the_writers_errno),
        cmocka_unit_test(test_atomic_temp_names_hold_the_pid),
        cmocka_unit_test(test_atomic_error_text_keeps_the_meaning),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
