/* tests/unit/test_cfb.c — the OLE2 compound-file reader on a LibreOffice .xls
 * and on damaged copies of it made in memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "input/cfb.h"

#define FIX "tests/fixtures/xls/"

/* Load a whole file into a malloc'ed buffer. */
static unsigned char *load(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static unsigned char tmp[1 << 17];
    *n = fread(tmp, 1, sizeof tmp, f);
    fclose(f);
    unsigned char *p = malloc(*n);
    assert_non_null(p);
    memcpy(p, tmp, *n);
    return p;
}

/* Offset of the directory entry whose UTF-16 name is name (ASCII). */
static size_t dirent_offset(const unsigned char *img, size_t n, const char *name)
{
    unsigned char u[64] = {0};
    size_t k = strlen(name);
    for (size_t i = 0; i < k; i++) u[2 * i] = (unsigned char)name[i];
    for (size_t off = 512; off + 128 <= n; off += 128)
        if (memcmp(img + off, u, 2 * k + 2) == 0) return off;
    fail_msg("no directory entry %s", name);
    return 0;
}

static void test_cfb_finds_workbook_stream_of_libreoffice_file(void **state)
{
    (void)state;
    size_t n;
    unsigned char *img = load(FIX "report.xls", &n);
    cfb_file cf;
    assert_int_equal(cfb_open(&cf, img, n), DTBD_OK);
    int wb = cfb_find(&cf, "Workbook");
    assert_true(wb > 0);
    assert_int_equal(cfb_find(&cf, "WORKBOOK"), wb); /* names compare case-insensitively */
    assert_int_equal(cfb_find(&cf, "Book"), -1);
    unsigned char *s;
    size_t len;
    assert_int_equal(cfb_read(&cf, wb, UINT64_MAX, &s, &len), DTBD_OK);
    assert_int_equal(len, cf.dir[wb].size);
    /* a BIFF8 stream starts with BOF (0x0809), version 0x0600, globals 0x0005 */
    assert_true(len > 16);
    assert_memory_equal(s, "\x09\x08", 2);
    assert_memory_equal(s + 4, "\x00\x06\x05\x00", 4);
    free(s);
    cfb_close(&cf);
    free(img);
}

static void test_cfb_reads_small_stream_from_mini_stream(void **state)
{
    (void)state;
    size_t n;
    unsigned char *img = load(FIX "report.xls", &n);
    cfb_file cf;
    assert_int_equal(cfb_open(&cf, img, n), DTBD_OK);
    /* "\005SummaryInformation": the control character reads as '?' */
    int si = cfb_find(&cf, "?SummaryInformation");
    assert_true(si > 0);
    assert_true(cf.dir[si].size < 4096);
    unsigned char *s;
    size_t len;
    assert_int_equal(cfb_read(&cf, si, UINT64_MAX, &s, &len), DTBD_OK);
    /* a property set stream starts with byte order 0xFFFE, version 0 */
    assert_memory_equal(s, "\xFE\xFF\x00\x00", 4);
    free(s);
    cfb_close(&cf);
    free(img);
}

static void test_cfb_read_respects_size_cap(void **state)
{
    (void)state;
    size_t n;
    unsigned char *img = load(FIX "report.xls", &n);
    cfb_file cf;
    assert_int_equal(cfb_open(&cf, img, n), DTBD_OK);
    unsigned char *s = (unsigned char *)"x";
    size_t len = 7;
    assert_int_equal(cfb_read(&cf, cfb_find(&cf, "Workbook"), 100, &s, &len), DTBD_ERR_LIMIT);
    assert_null(s);
    assert_int_equal(len, 0);
    cfb_close(&cf);
    free(img);
}

static void test_cfb_rejects_stream_size_beyond_file(void **state)
{
    (void)state;
    size_t n;
    unsigned char *img = load(FIX "report.xls", &n);
    size_t off = dirent_offset(img, n, "Workbook");
    img[off + 0x78 + 3] = 0x10; /* size += 256 MiB */
    cfb_file cf;
    assert_int_equal(cfb_open(&cf, img, n), DTBD_OK);
    unsigned char *s;
    size_t len;
    assert_int_equal(cfb_read(&cf, cfb_find(&cf, "Workbook"), UINT64_MAX, &s, &len),
                     DTBD_ERR_CORRUPT);
    assert_non_null(strstr(cf.why, "lớn hơn cả tệp"));
    cfb_close(&cf);
    free(img);
}

static void test_cfb_rejects_chain_pointing_outside_fat(void **state)
{
    (void)state;
    size_t n;
    unsigned char *img = load(FIX "report.xls", &n);
    size_t off = dirent_offset(img, n, "Workbook");
    img[off + 0x74] = 0xF0; /* start sector far beyond the file */
    img[off + 0x75] = 0xFF;
    img[off + 0x76] = 0xFF;
    img[off + 0x77] = 0x00;
    cfb_file cf;
    assert_int_equal(cfb_open(&cf, img, n), DTBD_OK);
    unsigned char *s;
    size_t len;
    assert_int_equal(cfb_read(&cf, cfb_find(&cf, "Workbook"), UINT64_MAX, &s, &len),
                     DTBD_ERR_CORRUPT);
    cfb_close(&cf);
    free(img);
}

static void test_cfb_rejects_looping_fat_chain(void **state)
{
    (void)state;
    size_t n;
    unsigned char *img = load(FIX "fat-loop.xls", &n);
    cfb_file cf;
    assert_int_equal(cfb_open(&cf, img, n), DTBD_OK);
    unsigned char *s;
    size_t len;
    assert_int_equal(cfb_read(&cf, cfb_find(&cf, "Workbook"), UINT64_MAX, &s, &len),
                     DTBD_ERR_CORRUPT);
    assert_non_null(strstr(cf.why, "lặp vòng"));
    cfb_close(&cf);
    free(img);
}

static void test_cfb_rejects_bad_sector_shift(void **state)
{
    (void)state;
    size_t n;
    unsigned char *img = load(FIX "report.xls", &n);
    img[0x1E] = 10; /* 1024-byte sectors do not exist in version 3 */
    cfb_file cf;
    assert_int_equal(cfb_open(&cf, img, n), DTBD_ERR_CORRUPT);
    assert_true(cf.why[0] != '\0');
    cfb_close(&cf);
    free(img);
}

static void test_cfb_rejects_truncated_file(void **state)
{
    (void)state;
    size_t n;
    unsigned char *img = load(FIX "report.xls", &n);
    for (size_t cut = 0; cut < n; cut += 512) {
        cfb_file cf;
        dtbd_status st = cfb_open(&cf, img, cut);
        if (st == DTBD_OK) {
            /* the directory may survive a cut; the Workbook stream may not */
            int wb = cfb_find(&cf, "Workbook");
            unsigned char *s = NULL;
            size_t len;
            if (wb >= 0) {
                st = cfb_read(&cf, wb, UINT64_MAX, &s, &len);
                free(s);
            }
            assert_true(cut > n / 2 || st != DTBD_OK);
        }
        cfb_close(&cf);
    }
    free(img);
}

static void test_cfb_rejects_huge_fat_sector_count(void **state)
{
    (void)state;
    size_t n;
    unsigned char *img = load(FIX "report.xls", &n);
    memcpy(img + 0x2C, "\xFF\xFF\xFF\x7F", 4);
    cfb_file cf;
    assert_int_equal(cfb_open(&cf, img, n), DTBD_ERR_CORRUPT);
    cfb_close(&cf);
    free(img);
}

static void test_cfb_root_children_only(void **state)
{
    (void)state;
    size_t n;
    unsigned char *img = load(FIX "no-workbook.doc", &n);
    cfb_file cf;
    assert_int_equal(cfb_open(&cf, img, n), DTBD_OK);
    assert_true(cfb_find(&cf, "WordDocument") > 0);
    assert_true(cfb_find(&cf, "1Table") > 0);
    assert_int_equal(cfb_find(&cf, "Workbook"), -1);
    assert_int_equal(cfb_find(&cf, "Root Entry"), -1); /* the root is not a stream */
    cfb_close(&cf);
    free(img);
}

/* ---- the writer: a compound file of one stream --------------------------------- */

/* head + data + zeros, as the .xls reader writes it for FreeXL. */
static unsigned char *single(const unsigned char *data, size_t len, size_t *total)
{
    size_t hlen;
    unsigned char *head = cfb_single_head("Workbook", len, &hlen, total);
    assert_non_null(head);
    assert_true(*total >= hlen + len);
    assert_int_equal((*total - hlen) % 512, 0);
    unsigned char *img = calloc(1, *total);
    assert_non_null(img);
    memcpy(img, head, hlen);
    if (len) memcpy(img + hlen, data, len);
    free(head);
    return img;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Every size around the edges (the mini-stream cutoff, one FAT sector full,
 * the header's 109 FAT sectors full so DIFAT sectors begin, two DIFAT
 * sectors) reads back through cfb_open/cfb_read as it was written: the
 * bytes, then zeros up to the 4096-byte cutoff for a short stream. */
static void test_cfb_single_stream_reads_back_at_every_edge(void **state)
{
    (void)state;
    const size_t fat1 = (128 - 2) * 512;              /* FAT sector 0, directory, data */
    const size_t difat = (109 * 128 - 109 - 1) * 512;  /* the header's FAT sectors full */
    const size_t difat2 = (size_t)(109 + 127) * 128 * 512;
    const size_t sizes[] = {0, 1, 4095, 4096, 4097, fat1 - 1, fat1, fat1 + 1, difat - 512, difat,
                            difat + 1, difat + 512 * 200, difat2, difat2 + 70000};
    size_t max = difat2 + 70000;
    unsigned char *data = malloc(max);
    assert_non_null(data);
    for (size_t i = 0; i < max; i++) data[i] = (unsigned char)(i * 131 + i / 512);
    bool saw_difat = false, saw_two = false;
    for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
        size_t len = sizes[k], total;
        unsigned char *img = single(data, len, &total);
        uint32_t ndif = le32(img + 72);
        saw_difat |= ndif >= 1;
        saw_two |= ndif >= 2;
        cfb_file cf;
        assert_int_equal(cfb_open(&cf, img, total), DTBD_OK);
        int wb = cfb_find(&cf, "Workbook");
        assert_true(wb > 0);
        unsigned char *s;
        size_t n;
        assert_int_equal(cfb_read(&cf, wb, UINT64_MAX, &s, &n), DTBD_OK);
        assert_int_equal(n, len < 4096 ? 4096 : len);
        if (len) assert_memory_equal(s, data, len);
        for (size_t i = len; i < n; i++) assert_int_equal(s[i], 0);
        free(s);
        cfb_close(&cf);
        free(img);
    }
    assert_true(saw_difat);
    assert_true(saw_two);
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cfb_finds_workbook_stream_of_libreoffice_file),
        cmocka_unit_test(test_cfb_reads_small_stream_from_mini_stream),
        cmocka_unit_test(test_cfb_read_respects_size_cap),
        cmocka_unit_test(test_cfb_rejects_stream_size_beyond_file),
        cmocka_unit_test(test_cfb_rejects_chain_pointing_outside_fat),
        cmocka_unit_test(test_cfb_rejects_looping_fat_chain),
        cmocka_unit_test(test_cfb_rejects_bad_sector_shift),
        cmocka_unit_test(test_cfb_rejects_truncated_file),
        cmocka_unit_test(test_cfb_rejects_huge_fat_sector_count),
        cmocka_unit_test(test_cfb_root_children_only),
        cmocka_unit_test(test_cfb_single_stream_reads_back_at_every_edge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
