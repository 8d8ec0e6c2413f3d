/*
 * fuzz/fuzz_xlsx.c — the .xlsx reader (libzip + expat) through wb_read().
 *
 * Two input shapes, so both the zip layer and the XML layer get exercised:
 *  - input starting with "PK": a whole zip file, written as it is;
 *  - anything else: the XML parts of a workbook separated by NUL bytes
 *    (XML holds no NUL), in this order: xl/workbook.xml,
 *    xl/_rels/workbook.xml.rels, xl/sharedStrings.xml, xl/styles.xml,
 *    xl/worksheets/sheet1.xml, xl/worksheets/sheet2.xml. The harness stores
 *    them (uncompressed) in a zip with a fixed [Content_Types].xml and
 *    _rels/.rels, so mutations reach the XML parsers instead of breaking CRCs.
 *    An empty part is left out of the zip.
 * Property: no crash, leak, hang or undefined behaviour; the sink's contract
 * (fuzz_common.h) holds; the status is a wb_status.
 */
#include <zip.h>

#include "fuzz/fuzz_common.h"

static const char *const PART_NAMES[] = {
    "xl/workbook.xml",          "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
    "xl/styles.xml",            "xl/worksheets/sheet1.xml",   "xl/worksheets/sheet2.xml",
};
enum { NPARTS = sizeof PART_NAMES / sizeof PART_NAMES[0] };

static const char CONTENT_TYPES[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
    "</Types>";

static const char ROOT_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";

static void add_part(zip_t *z, const char *name, const void *p, size_t n)
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

/* Build the zip from NUL-separated parts; its path. */
static const char *build_zip(const uint8_t *data, size_t size)
{
    const char *path = fuzz_tmp_name(".xlsx");
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    FUZZ_CHECK(z != NULL);
    add_part(z, "[Content_Types].xml", CONTENT_TYPES, sizeof CONTENT_TYPES - 1);
    add_part(z, "_rels/.rels", ROOT_RELS, sizeof ROOT_RELS - 1);
    size_t start = 0;
    for (int i = 0; i < NPARTS && start <= size; i++) {
        const uint8_t *nul = size > start ? memchr(data + start, 0, size - start) : NULL;
        size_t end = nul ? (size_t)(nul - data) : size;
        if (end > start) add_part(z, PART_NAMES[i], data + start, end - start);
        start = end + 1;
    }
    FUZZ_CHECK(zip_close(z) == 0);
    return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path;
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') path = fuzz_tmp_write(data, size, ".xlsx");
    else path = build_zip(data, size);
    fuzz_read_file(path);
    return 0;
}
