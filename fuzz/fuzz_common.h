/*
 * fuzz/fuzz_common.h — shared by the libFuzzer harnesses (fuzz/fuzz_*.c).
 *
 *  - FUZZ_CHECK(cond): the property a harness asserts; a failure aborts, which
 *    libFuzzer reports as a crash and saves the input as a reproducer.
 *  - fuzz_tmp_write(): the readers take a path, so each input goes to one
 *    temporary file per process (in $TMPDIR, /dev/shm when it exists), removed
 *    at exit.
 *  - fuzz_small_limits(): wb_limits small enough that a harness never spends
 *    seconds or hundreds of MB on one input, so a limit that does not hold
 *    shows up as a timeout or an RSS overrun instead of hiding in the defaults.
 *  - fuzz_counting_sink(): a wb_sink that counts what a reader delivers and
 *    checks the reader's contract on every callback (valid UTF-8 text, sane
 *    merged ranges, balanced sheet_begin/sheet_end, no cell outside a sheet).
 *  - fuzz_read_file(): wb_read() with both; FUZZ_SAVE=FILE keeps a copy of
 *    the file it read (to replay a reproducer with `dtbd dump`).
 */
#ifndef DTBD_FUZZ_COMMON_H
#define DTBD_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/text.h"
#include "input/workbook.h"

#define FUZZ_CHECK(cond)                                                          \
    do {                                                                          \
        if (!(cond)) {                                                            \
            fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__,  \
                    #cond);                                                       \
            abort();                                                              \
        }                                                                         \
    } while (0)

static char fuzz_tmp_path[512];

static inline void fuzz_tmp_remove(void)
{
    if (fuzz_tmp_path[0]) unlink(fuzz_tmp_path);
}

/* The per-process temporary file, created on first use; suffix is kept so a
 * reader that looks at the name sees one (it must not matter). */
static inline const char *fuzz_tmp_name(const char *suffix)
{
    if (fuzz_tmp_path[0]) return fuzz_tmp_path;
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(fuzz_tmp_path, sizeof fuzz_tmp_path, "%s/dtbd-fuzz-%ld%s", dir, (long)getpid(),
             suffix);
    atexit(fuzz_tmp_remove);
    return fuzz_tmp_path;
}

/* Write data to the temporary file (truncating it); its path. */
static inline const char *fuzz_tmp_write(const uint8_t *data, size_t size, const char *suffix)
{
    const char *path = fuzz_tmp_name(suffix);
    FILE *f = fopen(path, "wb");
    FUZZ_CHECK(f != NULL);
    if (size) FUZZ_CHECK(fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(fclose(f) == 0);
    return path;
}

static inline wb_limits fuzz_small_limits(void)
{
    wb_limits l = wb_limits_default();
    l.max_file_bytes = 4u << 20;
    l.max_inflated_total = 16u << 20;
    l.max_inflate_ratio = 100;
    l.ratio_floor_bytes = 256u << 10;
    l.max_xml_depth = 32;
    l.max_string_bytes = 64u << 10;
    l.max_cells_per_sheet = 200000;
    l.max_sheets = 32;
    l.max_shared_strings = 200000;
    return l;
}

typedef struct {
    const wb_limits *lim;
    bool in_sheet;
    unsigned sheets, next_index;
    uint64_t cells, sheet_cells, merges, text_bytes;
    /* the shared string checked last (wb_cell.shared): 2,000 cells showing
     * one 60 KB string are validated once, not 120 MB per input (a timeout) */
    uint32_t shared_id;
    const char *shared_text;
    size_t shared_len;
} fuzz_counts;

static inline int fuzz_on_sheet_begin(void *ctx, const wb_sheet_info *s)
{
    fuzz_counts *c = ctx;
    FUZZ_CHECK(!c->in_sheet);
    FUZZ_CHECK(s->name != NULL);
    FUZZ_CHECK(text_utf8_valid(s->name, strlen(s->name)));
    FUZZ_CHECK(s->index == c->next_index);
    c->in_sheet = true;
    c->sheets++;
    c->next_index++;
    c->sheet_cells = 0;
    return 0;
}

static inline int fuzz_on_cell(void *ctx, const wb_cell *cell)
{
    fuzz_counts *c = ctx;
    FUZZ_CHECK(c->in_sheet);
    FUZZ_CHECK(cell->type >= WB_EMPTY && cell->type <= WB_ERROR);
    if (cell->type == WB_TEXT || cell->type == WB_ERROR) {
        FUZZ_CHECK(cell->text != NULL || cell->len == 0);
        if (cell->shared && cell->shared == c->shared_id)
            FUZZ_CHECK(cell->len == c->shared_len); /* one id, one text */
        if (cell->text && !(cell->shared && cell->shared == c->shared_id &&
                            cell->text == c->shared_text)) {
            FUZZ_CHECK(text_utf8_valid(cell->text, cell->len));
            FUZZ_CHECK(cell->len <= c->lim->max_string_bytes * 4 + 16);
            c->shared_id = cell->shared;
            c->shared_text = cell->text;
            c->shared_len = cell->len;
        }
        c->text_bytes += cell->len;
    }
    if (cell->font) FUZZ_CHECK(text_utf8_valid(cell->font, strlen(cell->font)));
    c->cells++;
    c->sheet_cells++;
    return 0;
}

static inline int fuzz_on_merge(void *ctx, const wb_range *r)
{
    fuzz_counts *c = ctx;
    FUZZ_CHECK(c->in_sheet);
    FUZZ_CHECK(r->r1 <= r->r2 && r->c1 <= r->c2);
    c->merges++;
    return 0;
}

static inline int fuzz_on_sheet_end(void *ctx, const wb_sheet_info *s)
{
    fuzz_counts *c = ctx;
    FUZZ_CHECK(c->in_sheet);
    FUZZ_CHECK(s->index + 1 == c->next_index);
    c->in_sheet = false;
    return 0;
}

static inline wb_sink fuzz_counting_sink(fuzz_counts *c, const wb_limits *lim)
{
    memset(c, 0, sizeof *c);
    c->lim = lim;
    wb_sink s = {c, fuzz_on_sheet_begin, fuzz_on_cell, fuzz_on_merge, fuzz_on_sheet_end};
    return s;
}

/* Read path with the small limits and the checking sink; check the status and
 * the error record. */
static inline dtbd_status fuzz_read_file(const char *path)
{
    const char *save = getenv("FUZZ_SAVE"); /* debugging: keep the file as read */
    if (save) {
        FILE *in = fopen(path, "rb"), *out = fopen(save, "wb");
        FUZZ_CHECK(in && out);
        char chunk[8192];
        size_t k;
        while ((k = fread(chunk, 1, sizeof chunk, in)) > 0) FUZZ_CHECK(fwrite(chunk, 1, k, out) == k);
        fclose(in);
        FUZZ_CHECK(fclose(out) == 0);
    }
    wb_limits lim = fuzz_small_limits();
    fuzz_counts counts;
    wb_sink sink = fuzz_counting_sink(&counts, &lim);
    wb_error err;
    memset(&err, 0xA5, sizeof err); /* wb_read must fill it in, whatever it held */
    dtbd_status st = wb_read(path, &lim, &sink, &err);
    FUZZ_CHECK(st >= DTBD_OK && st <= DTBD_ERR_ABORTED);
    FUZZ_CHECK(st != DTBD_ERR_ABORTED); /* the sink never asks to stop */
    FUZZ_CHECK(err.status == st);
    FUZZ_CHECK(memchr(err.sheet, 0, sizeof err.sheet) != NULL);
    FUZZ_CHECK(memchr(err.cell, 0, sizeof err.cell) != NULL);
    FUZZ_CHECK(memchr(err.detail, 0, sizeof err.detail) != NULL);
    if (st == DTBD_OK) FUZZ_CHECK(!counts.in_sheet);
    char line[1024];
    wb_error_format(&err, "fuzz", line, sizeof line);
    FUZZ_CHECK(text_utf8_valid(line, strlen(line)));
    return st;
}

#endif
