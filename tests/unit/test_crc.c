/* tests/unit/test_crc.c — base/crc.h against zlib's crc32() and known values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "base/crc.h"

/* The check value of CRC-32/ISO-HDLC, both ways. */
static void test_crc_check_value(void **state)
{
    (void)state;
    for (int portable = 0; portable <= 1; portable++) {
        crc_portable(portable);
        assert_int_equal(crc_update(0, "123456789", 9), 0xCBF43926u);
        assert_int_equal(crc_update(0, "", 0), 0);
        static char zeros[100000];
        assert_int_equal(crc_update(0, zeros, sizeof zeros), (uint32_t)crc32(0, (const Bytef *)zeros, sizeof zeros));
    }
    crc_portable(false);
}

/* Every length up to 600 at every alignment up to 16, fed whole and in two
 * pieces cut anywhere, equals zlib's; and a long buffer in uneven pieces. */
static void test_crc_equals_zlib(void **state)
{
    (void)state;
    enum { N = 600 };
    static unsigned char data[N + 16], big[1 << 20];
    uint32_t seed = 11;
    for (size_t i = 0; i < sizeof data; i++) data[i] = (unsigned char)((seed = seed * 1103515245u + 12345u) >> 24);
    for (size_t i = 0; i < sizeof big; i++) big[i] = (unsigned char)((seed = seed * 1103515245u + 12345u) >> 24);
    for (size_t align = 0; align < 16; align++)
        for (size_t n = 0; n <= N; n++) {
            const unsigned char *p = data + align;
            uint32_t want = (uint32_t)crc32(0, p, (uInt)n);
            if (crc_update(0, p, n) != want) fail_msg("length %zu at +%zu", n, align);
            size_t cut = (n * 7 + align) % (n + 1);
            if (crc_update(crc_update(0, p, cut), p + cut, n - cut) != want)
                fail_msg("length %zu cut at %zu", n, cut);
            if (crc_update(0x12345678u, p, n) != (uint32_t)crc32(0x12345678u, p, (uInt)n))
                fail_msg("length %zu from another start", n);
        }
    uint32_t want = (uint32_t)crc32(0, big, sizeof big), got = 0;
    for (size_t off = 0, k = 1; off < sizeof big; off += k, k = k * 3 % 70001 + 1)
        got = crc_update(got, big + off, k < sizeof big - off ? k : sizeof big - off);
    assert_int_equal(got, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc_check_value),
        cmocka_unit_test(test_crc_equals_zlib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
