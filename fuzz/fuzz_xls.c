/*
 * fuzz/fuzz_xls.c — the .xls reader (compound file + FreeXL + the BIFF record
 * walk) through wb_read().
 *
 * Two input shapes:
 *  - input starting with the OLE2 signature: a whole compound file, as is
 *    (exercises input/cfb.c, FAT chains, directory trees);
 *  - anything else: the bytes of the BIFF "Workbook" stream, which the
 *    harness wraps in a minimal, valid compound file (512-byte sectors, one
 *    FAT sector, the stream in regular sectors, padded with zeros to the
 *    4096-byte mini-stream cutoff), so mutations reach the BIFF records
 *    (BOF, BOUNDSHEET, SST/CONTINUE, FORMULA/STRING, MERGEDCELLS, FONT, XF …)
 *    instead of breaking sector chains. At most 125 sectors (62.5 KiB).
 * Property: no crash, leak, hang or UB; the sink's contract holds.
 */
#include "fuzz/fuzz_common.h"

enum { SECT = 512, MAX_DATA_SECTORS = 125 };

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v)
{
    put16(p, v & 0xFFFF);
    put16(p + 2, v >> 16);
}

/* Directory entry `e` named name (ASCII), of type, start sector and size. */
static void dir_entry(uint8_t *e, const char *name, uint8_t type, uint32_t child, uint32_t start,
                      uint32_t size)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < n; i++) put16(e + 2 * i, (uint8_t)name[i]);
    put16(e + 64, (uint32_t)(2 * (n + 1)));
    e[66] = type;
    e[67] = 1; /* black */
    put32(e + 68, 0xFFFFFFFF);
    put32(e + 72, 0xFFFFFFFF);
    put32(e + 76, child);
    put32(e + 116, start);
    put32(e + 120, size);
}

/* A compound file holding data as its "Workbook" stream; malloc'ed. */
static uint8_t *wrap(const uint8_t *data, size_t size, size_t *out_len)
{
    if (size > (size_t)MAX_DATA_SECTORS * SECT) size = (size_t)MAX_DATA_SECTORS * SECT;
    size_t stream = size < 4096 ? 4096 : size;
    uint32_t nsec = (uint32_t)((stream + SECT - 1) / SECT);
    size_t len = (size_t)SECT * (3 + nsec); /* header, FAT, directory, data */
    uint8_t *img = calloc(1, len);
    FUZZ_CHECK(img != NULL);
    static const uint8_t magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memcpy(img, magic, 8);
    put16(img + 24, 0x003E);
    put16(img + 26, 0x0003);
    put16(img + 28, 0xFFFE);
    put16(img + 30, 9);
    put16(img + 32, 6);
    put32(img + 44, 1);          /* FAT sectors */
    put32(img + 48, 1);          /* first directory sector */
    put32(img + 56, 4096);       /* mini stream cutoff */
    put32(img + 60, 0xFFFFFFFE); /* no mini FAT */
    put32(img + 68, 0xFFFFFFFE); /* no DIFAT sectors */
    put32(img + 76, 0);          /* DIFAT[0]: the FAT is sector 0 */
    for (int i = 1; i < 109; i++) put32(img + 76 + 4 * i, 0xFFFFFFFF);
    uint8_t *fat = img + SECT;
    for (int i = 0; i < SECT / 4; i++) put32(fat + 4 * i, 0xFFFFFFFF);
    put32(fat, 0xFFFFFFFD);
    put32(fat + 4, 0xFFFFFFFE);
    for (uint32_t i = 0; i < nsec; i++)
        put32(fat + 4 * (2 + i), i + 1 < nsec ? 3 + i : 0xFFFFFFFE);
    uint8_t *dir = img + 2 * SECT;
    dir_entry(dir, "Root Entry", 5, 1, 0xFFFFFFFE, 0);
    dir_entry(dir + 128, "Workbook", 2, 0xFFFFFFFF, 2, (uint32_t)stream);
    for (int i = 2; i < 4; i++) {
        put32(dir + 128 * i + 68, 0xFFFFFFFF);
        put32(dir + 128 * i + 72, 0xFFFFFFFF);
        put32(dir + 128 * i + 76, 0xFFFFFFFF);
    }
    memcpy(img + 3 * SECT, data, size);
    *out_len = len;
    return img;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t magic[4] = {0xD0, 0xCF, 0x11, 0xE0};
    const char *path;
    if (size >= 4 && memcmp(data, magic, 4) == 0) {
        path = fuzz_tmp_write(data, size, ".xls");
    } else {
        size_t len;
        uint8_t *img = wrap(data, size, &len);
        path = fuzz_tmp_write(img, len, ".xls");
        free(img);
    }
    fuzz_read_file(path);
    return 0;
}
