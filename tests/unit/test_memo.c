/* tests/unit/test_memo.c — answers remembered by text (base/memo.h): found
 * again by equal bytes only, bounded, and consistent when two threads ask
 * and answer at once. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/memo.h"

static void test_memo_remembers_by_bytes(void **state)
{
    (void)state;
    memo *m = memo_new(3, sizeof(int), false);
    assert_non_null(m);
    int v = 0;
    assert_false(memo_get(m, "abc", 3, &v));
    int one = 1, two = 2, three = 3, four = 4;
    memo_put(m, "abc", 3, &one);
    memo_put(m, "ab\0c", 4, &two);   /* bytes, not C strings */
    memo_put(m, "abc", 3, &four);    /* known: the first answer stays */
    assert_true(memo_get(m, "abc", 3, &v));
    assert_int_equal(v, 1);
    assert_true(memo_get(m, "ab\0c", 4, &v));
    assert_int_equal(v, 2);
    assert_false(memo_get(m, "ab", 2, &v));
    memo_put(m, "", 0, &three);
    assert_true(memo_get(m, "", 0, &v));
    assert_int_equal(v, 3);
    memo_put(m, "full", 4, &four);   /* past max_entries: not kept */
    assert_false(memo_get(m, "full", 4, &v));
    memo_free(m);
}

static void *asker(void *arg)
{
    memo *m = arg;
    char key[16];
    for (int round = 0; round < 20; round++)
        for (int i = 0; i < 500; i++) {
            int n = snprintf(key, sizeof key, "k%d", i), v;
            if (memo_get(m, key, (size_t)n, &v)) {
                if (v != i * 7) return (void *)1;
            } else {
                int w = i * 7;
                memo_put(m, key, (size_t)n, &w);
            }
        }
    return NULL;
}

static void test_memo_two_threads(void **state)
{
    (void)state;
    memo *m = memo_new(400, sizeof(int), true);
    assert_non_null(m);
    pthread_t a, b;
    assert_int_equal(pthread_create(&a, NULL, asker, m), 0);
    assert_int_equal(pthread_create(&b, NULL, asker, m), 0);
    void *ra, *rb;
    pthread_join(a, &ra);
    pthread_join(b, &rb);
    assert_null(ra);
    assert_null(rb);
    int v;
    assert_true(memo_get(m, "k399", 4, &v));
    assert_int_equal(v, 399 * 7);
    assert_false(memo_get(m, "k499", 4, &v));   /* past 400 */
    memo_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memo_remembers_by_bytes),
        cmocka_unit_test(test_memo_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
