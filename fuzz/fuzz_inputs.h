/*
 * fuzz/fuzz_inputs.h — the input shapes of fuzz_xlsx and fuzz_xls, shared with
 * tests/unit/test_fuzz_regressions.c so a reproducer replays exactly:
 *  - fuzz_xlsx_build(): NUL-separated XML parts → a stored (uncompressed) zip
 *    with a fixed [Content_Types].xml and _rels/.rels (see fuzz_xlsx.c);
 *  - fuzz_xls_wrap(): a BIFF Workbook stream → a minimal valid compound file
 *    (see fuzz_xls.c).
 * Include fuzz_common.h first (FUZZ_CHECK).
 */
#ifndef DTBD_FUZZ_INPUTS_H
#define DTBD_FUZZ_INPUTS_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static const char *const FUZZ_XLSX_PARTS[] = {
    "xl/workbook.xml",          "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
    "xl/styles.xml",            "xl/worksheets/sheet1.xml",   "xl/worksheets/sheet2.xml",
};
enum { FUZZ_XLSX_NPARTS = sizeof FUZZ_XLSX_PARTS / sizeof FUZZ_XLSX_PARTS[0] };

static const char FUZZ_CONTENT_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "</Types>";

static const char FUZZ_ROOT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

static inline void fuzz_zip_add(zip_t *z, const char *name, const void *p, size_t n)
{
    zip_source_t *src = zip_source_buffer(z, p, n, 0);
    FUZZ_CHECK(src != NULL);
    zip_int64_t idx = zip_file_add(z, name, src, ZIP_FL_OVERWRITE);
    if (idx < 0) {
        zip_source_free(src);
        return;
    }
    zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
}

/* Write the zip of NUL-separated parts to path. */
static inline void fuzz_xlsx_build(const uint8_t *data, size_t size, const char *path)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    FUZZ_CHECK(z != NULL);
    fuzz_zip_add(z, "[Content_Types].xml", FUZZ_CONTENT_TYPES, sizeof FUZZ_CONTENT_TYPES - 1);
    fuzz_zip_add(z, "_rels/.rels", FUZZ_ROOT_RELS, sizeof FUZZ_ROOT_RELS - 1);
    size_t start = 0;
    for (int i = 0; i < FUZZ_XLSX_NPARTS && start <= size; i++) {
        const uint8_t *nul = size > start ? memchr(data + start, 0, size - start) : NULL;
        size_t end = nul ? (size_t)(nul - data) : size;
        if (end > start) fuzz_zip_add(z, FUZZ_XLSX_PARTS[i], data + start, end - start);
        start = end + 1;
    }
    FUZZ_CHECK(zip_close(z) == 0);
}

enum { FUZZ_SECT = 512, FUZZ_MAX_DATA_SECTORS = 125 };

static inline void fuzz_put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static inline void fuzz_put32(uint8_t *p, uint32_t v)
{
    fuzz_put16(p, v & 0xFFFF);
    fuzz_put16(p + 2, v >> 16);
}

/* Directory entry `e` named name (ASCII), of type, start sector and size. */
static inline void fuzz_dir_entry(uint8_t *e, const char *name, uint8_t type, uint32_t child, uint32_t start,
                      uint32_t size)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < n; i++) fuzz_put16(e + 2 * i, (uint8_t)name[i]);
    fuzz_put16(e + 64, (uint32_t)(2 * (n + 1)));
    e[66] = type;
    e[67] = 1; /* black */
    fuzz_put32(e + 68, 0xFFFFFFFF);
    fuzz_put32(e + 72, 0xFFFFFFFF);
    fuzz_put32(e + 76, child);
    fuzz_put32(e + 116, start);
    fuzz_put32(e + 120, size);
}

/* A compound file holding data as its "Workbook" stream; malloc'ed. */
static inline uint8_t *fuzz_xls_wrap(const uint8_t *data, size_t size, size_t *out_len)
{
    if (size > (size_t)FUZZ_MAX_DATA_SECTORS * FUZZ_SECT) size = (size_t)FUZZ_MAX_DATA_SECTORS * FUZZ_SECT;
    size_t stream = size < 4096 ? 4096 : size;
    uint32_t nsec = (uint32_t)((stream + FUZZ_SECT - 1) / FUZZ_SECT);
    size_t len = (size_t)FUZZ_SECT * (3 + nsec); /* header, FAT, directory, data */
    uint8_t *img = calloc(1, len);
    FUZZ_CHECK(img != NULL);
    static const uint8_t magic[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    memcpy(img, magic, 8);
    fuzz_put16(img + 24, 0x003E);
    fuzz_put16(img + 26, 0x0003);
    fuzz_put16(img + 28, 0xFFFE);
    fuzz_put16(img + 30, 9);
    fuzz_put16(img + 32, 6);
    fuzz_put32(img + 44, 1);          /* FAT sectors */
    fuzz_put32(img + 48, 1);          /* first directory sector */
    fuzz_put32(img + 56, 4096);       /* mini stream cutoff */
    fuzz_put32(img + 60, 0xFFFFFFFE); /* no mini FAT */
    fuzz_put32(img + 68, 0xFFFFFFFE); /* no DIFAT sectors */
    fuzz_put32(img + 76, 0);          /* DIFAT[0]: the FAT is sector 0 */
    for (int i = 1; i < 109; i++) fuzz_put32(img + 76 + 4 * i, 0xFFFFFFFF);
    uint8_t *fat = img + FUZZ_SECT;
    for (int i = 0; i < FUZZ_SECT / 4; i++) fuzz_put32(fat + 4 * i, 0xFFFFFFFF);
    fuzz_put32(fat, 0xFFFFFFFD);
    fuzz_put32(fat + 4, 0xFFFFFFFE);
    for (uint32_t i = 0; i < nsec; i++)
        fuzz_put32(fat + 4 * (2 + i), i + 1 < nsec ? 3 + i : 0xFFFFFFFE);
    uint8_t *dir = img + 2 * FUZZ_SECT;
    fuzz_dir_entry(dir, "Root Entry", 5, 1, 0xFFFFFFFE, 0);
    fuzz_dir_entry(dir + 128, "Workbook", 2, 0xFFFFFFFF, 2, (uint32_t)stream);
    for (int i = 2; i < 4; i++) {
        fuzz_put32(dir + 128 * i + 68, 0xFFFFFFFF);
        fuzz_put32(dir + 128 * i + 72, 0xFFFFFFFF);
        fuzz_put32(dir + 128 * i + 76, 0xFFFFFFFF);
    }
    memcpy(img + 3 * FUZZ_SECT, data, size);
    *out_len = len;
    return img;
}

#endif
