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

#include "input/cfb.h"

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

/* A compound file holding data as its "Workbook" stream (the one the .xls
 * reader makes for FreeXL: cfb_single_head), at most 125 sectors of it;
 * malloc'ed. */
static inline uint8_t *fuzz_xls_wrap(const uint8_t *data, size_t size, size_t *out_len)
{
    if (size > (size_t)FUZZ_MAX_DATA_SECTORS * FUZZ_SECT) size = (size_t)FUZZ_MAX_DATA_SECTORS * FUZZ_SECT;
    size_t hlen, len;
    uint8_t *head = cfb_single_head("Workbook", size, &hlen, &len);
    FUZZ_CHECK(head != NULL);
    uint8_t *img = calloc(1, len);
    FUZZ_CHECK(img != NULL);
    memcpy(img, head, hlen);
    if (size) memcpy(img + hlen, data, size);
    free(head);
    *out_len = len;
    return img;
}

#endif
