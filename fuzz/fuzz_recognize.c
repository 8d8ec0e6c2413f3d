/*
 * fuzz/fuzz_recognize.c — form recognition (recognize_workbook, hence ident)
 * on an arbitrary cell grid, with the built-in default configuration.
 *
 * The input is a little program that builds a grid_book (fuzz_grid.h):
 * cells of every type at rows < 48 and columns < 20 — texts drawn from the
 * configuration's own labels and aliases (so tables are found and headers
 * matched), raw texts, integers, doubles —, merged ranges, fonts (Unicode
 * and the legacy .VnTime / VNI ones), up to three sheets, hidden or not.
 * Properties: no crash, leak, hang or UB; the reconciliation of DESIGN §6
 * holds: cells_read == the non-empty cells of the book == recorded +
 * rejected + outside, with recorded + rejected never above cells_read; every
 * record and finding points at this source; every finding message is valid
 * UTF-8.
 */
#include "fuzz/fuzz_common.h"
#include "fuzz/fuzz_grid.h"
#include "pipeline/recognize.h"
#include "pipeline/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct config *cfg;
    static fuzz_vocab vocab;
    if (!cfg) {
        struct config_error cerr;
        cfg = config_load_default(&cerr);
        FUZZ_CHECK(cfg != NULL);
        fuzz_vocab_build(&vocab, cfg);
    }
    grid_book book;
    const char *path = fuzz_grid_build(&book, &vocab, data, size);

    results res;
    results_init(&res, cfg);
    uint32_t src = results_add_source(&res, path);
    FUZZ_CHECK(src != RESULTS_NO_SOURCE);
    int ntables = recognize_workbook(cfg, &book, &res, src);
    FUZZ_CHECK(ntables >= 0);

    if (!res.oom) {
        size_t cells = 0;
        for (size_t i = 0; i < book.nsheets; i++) cells += book.sheets[i].ncells;
        const source_file *sf = &res.sources[src];
        FUZZ_CHECK(sf->cells_read == cells);
        FUZZ_CHECK(sf->cells_recorded + sf->cells_rejected <= sf->cells_read);
        FUZZ_CHECK(sf->cells_read == sf->cells_recorded + sf->cells_rejected + sf->cells_outside);
        FUZZ_CHECK(sf->cells_recorded <= res.nrecords);
        for (size_t i = 0; i < res.nrecords; i++) {
            FUZZ_CHECK(res.records[i].source == src);
            FUZZ_CHECK(res.records[i].sheet != NULL && res.records[i].metric != NULL);
        }
        for (size_t i = 0; i < res.nfindings; i++) {
            const finding *f = &res.findings[i];
            FUZZ_CHECK(f->source == src || f->source == RESULTS_NO_SOURCE);
            FUZZ_CHECK(f->message && text_utf8_valid(f->message, strlen(f->message)));
            FUZZ_CHECK(f->rule && f->rule[0]);
        }
    }
    results_free(&res);
    grid_free(&book);
    return 0;
}
