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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_matches_fips_examples),
        cmocka_unit_test(test_sha256_file_equals_sha256sum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
