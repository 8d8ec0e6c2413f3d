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
#include "fuzz/fuzz_inputs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t magic[4] = {0xD0, 0xCF, 0x11, 0xE0};
    const char *path;
    if (size >= 4 && memcmp(data, magic, 4) == 0) {
        path = fuzz_tmp_write(data, size, ".xls");
    } else {
        size_t len;
        uint8_t *img = fuzz_xls_wrap(data, size, &len);
        path = fuzz_tmp_write(img, len, ".xls");
        free(img);
    }
    fuzz_read_file(path);
    return 0;
}
