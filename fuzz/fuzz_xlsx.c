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
 * (fuzz_common.h) holds; the status is a dtbd_status.
 */
#include "fuzz/fuzz_common.h"
#include "fuzz/fuzz_inputs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path;
    if (size >= 2 && data[0] == 'P' && data[1] == 'K') path = fuzz_tmp_write(data, size, ".xlsx");
    else {
        path = fuzz_tmp_name(".xlsx");
        fuzz_xlsx_build(data, size, path);
    }
    fuzz_read_file(path);
    return 0;
}
