/* tests/unit/test_sha256.c — SHA-256 against the FIPS 180-4 examples and sha256sum. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/sha256.h"

static void test_sha256_matches_fips_examples(void **state)
{
    (void)state;
    char hex[65];
    sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha256_hex(two, strlen(two), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256_file_equals_sha256sum(void **state)
{
    (void)state;
    char path[64];
    snprintf(path, sizeof path, "/tmp/dtbd-sha-%d.bin", (int)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 200000; i++) fputc((i * 7919) & 0xFF, f);  /* spans many blocks */
    fclose(f);
    char mine[65];
    assert_int_equal(sha256_file(path, mine), 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "sha256sum %s", path);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char theirs[65] = {0};
    assert_int_equal(fscanf(p, "%64s", theirs), 1);
    pclose(p);
    assert_string_equal(mine, theirs);
    unlink(path);
    assert_int_equal(sha256_file("/nonexistent/x", mine), -1);
}


/* The CPU's SHA rounds (where it has them) and the portable ones agree on
 * every length around the block boundaries, on data fed in pieces, and on
 * the FIPS examples; then a million "a" (FIPS 180-4's long example). */
static void test_sha256_both_compressions_agree(void **state)
{
    (void)state;
    static unsigned char data[4096];
    uint32_t seed = 7;
    for (size_t i = 0; i < sizeof data; i++) {
        seed = seed * 1103515245u + 12345u;
        data[i] = (unsigned char)(seed >> 16);
    }
    for (size_t n = 0; n <= sizeof data; n += n < 200 ? 1 : 61) {
        char a[65], b[65];
        sha256_portable(true);
        sha256_hex(data, n, a);
        sha256_portable(false);
        sha256_hex(data, n, b);
        if (strcmp(a, b) != 0) fail_msg("length %zu: %s vs %s", n, a, b);
        /* in pieces of 7 and 100 bytes */
        sha256_ctx c;
        unsigned char d[32];
        sha256_init(&c);
        for (size_t i = 0, step = 100; i < n; i += step, step = step == 100 ? 7 : 100)
            sha256_update(&c, data + i, n - i < step ? n - i : step);
        sha256_final(&c, d);
        char h[65];
        for (int i = 0; i < 32; i++) snprintf(h + 2 * i, 3, "%02x", d[i]);
        if (strcmp(h, b) != 0) fail_msg("length %zu in pieces: %s vs %s", n, h, b);
    }
    static char million[1000000];
    memset(million, 'a', sizeof million);
    char hex[65];
    sha256_hex(million, sizeof million, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    sha256_portable(true);
    sha256_hex(million, sizeof million, hex);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    sha256_portable(false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_matches_fips_examples),
        cmocka_unit_test(test_sha256_file_equals_sha256sum),
        cmocka_unit_test(test_sha256_both_compressions_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
