/*
 * fuzz/fuzz_csv.c — the CSV reader (libcsv, BOM, UTF-16, Windows-1258,
 * delimiter detection) through wb_read().
 *
 * The bytes are written as they are, so the sniffer decides: most inputs are
 * text (→ the CSV reader), some are "binary" (→ a clean DTBD_ERR_FORMAT).
 * Property: no crash, leak, hang or UB; every text delivered is valid UTF-8;
 * a text file that is read yields exactly one sheet.
 */
#include "fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An OLE2 or zip signature would send the input to another reader, which
     * has its own harness: keep this one on text. */
    if (size >= 2 && ((data[0] == 'P' && data[1] == 'K') || (data[0] == 0xD0 && data[1] == 0xCF)))
        return 0;
    const char *path = fuzz_tmp_write(data, size, ".csv");
    wb_limits lim = fuzz_small_limits();
    fuzz_counts counts;
    wb_sink sink = fuzz_counting_sink(&counts, &lim);
    wb_error err;
    memset(&err, 0, sizeof err);
    dtbd_status st = wb_read(path, &lim, &sink, &err);
    FUZZ_CHECK(err.status == st);
    if (st == DTBD_OK) {
        FUZZ_CHECK(err.format == WB_FMT_CSV);
        FUZZ_CHECK(counts.sheets == 1);
        FUZZ_CHECK(!counts.in_sheet);
    }
    return 0;
}
