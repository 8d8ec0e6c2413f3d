/*
 * fuzz/grid_seed.c — seed helper for fuzz_recognize: read a workbook and write
 * the byte program (fuzz_grid.h) that rebuilds its first three sheets
 * (texts found in the vocabulary by index, other texts raw and cut at 47
 * bytes, small integers as such, other numbers as doubles, merges clipped).
 *   grid_seed FILE > seed.bin
 */
#include <stdio.h>

#include "fuzz/fuzz_common.h"
#include "fuzz/fuzz_grid.h"

static void put(unsigned b) { putchar((int)(b & 0xFF)); }

int main(int argc, char **argv)
{
    if (argc != 2) return 2;
    struct config_error cerr;
    struct config *cfg = config_load_default(&cerr);
    if (!cfg) return 1;
    fuzz_vocab v;
    fuzz_vocab_build(&v, cfg);
    grid_book book;
    wb_error err = {0};
    if (grid_read(argv[1], NULL, &book, &err) != DTBD_OK) {
        grid_free(&book);
        free(v.items);
        config_free(cfg);
        return 1;
    }
    size_t ns = book.nsheets < FG_MAX_SHEETS ? book.nsheets : FG_MAX_SHEETS;
    put((unsigned)(ns ? ns - 1 : 0));
    put(1);
    for (size_t s = 0; s < ns; s++) {
        const grid_sheet *gs = &book.sheets[s];
        put(9), put((unsigned)s), put(gs->hidden);
        size_t emitted = 0;
        for (size_t i = 0; i < gs->ncells && emitted < FG_MAX_CELLS; i++) {
            const grid_cell *c = &gs->cells[i];
            if (c->row >= FG_ROWS || c->col >= FG_COLS) continue;
            emitted++;
            if (c->type == WB_TEXT) {
                size_t k = 0;
                while (k < v.n && strcmp(v.items[k], c->text) != 0) k++;
                if (k < v.n) {
                    put(0), put(c->row), put(c->col), put((unsigned)k), put((unsigned)(k >> 8)), put(0);
                } else {
                    size_t len = c->len < 47 ? c->len : 47;
                    put(4), put(c->row), put(c->col), put((unsigned)len);
                    fwrite(c->text, 1, len, stdout);
                }
            } else if (c->type == WB_NUMBER && c->num >= 0 && c->num < 65536 && c->num == (double)(unsigned)c->num) {
                unsigned u = (unsigned)c->num;
                put(5), put(c->row), put(c->col), put(u), put(u >> 8);
            } else {
                unsigned t = c->type == WB_BOOL ? 1 : c->type == WB_DATE ? 2 : c->type == WB_ERROR ? 3 : 0;
                put(6), put(c->row), put(c->col), put(t);
                unsigned char raw[8];
                memcpy(raw, &c->num, 8);
                fwrite(raw, 1, 8, stdout);
            }
        }
        for (size_t i = 0; i < gs->nmerges; i++) {
            const wb_range *m = &gs->merges[i];
            if (m->r1 >= FG_ROWS || m->c1 >= FG_COLS) continue;
            uint32_t dr = m->r2 - m->r1, dc = m->c2 - m->c1;
            put(7), put(m->r1), put(m->c1), put(dr > 3 ? 3 : dr), put(dc > 5 ? 5 : dc);
        }
    }
    grid_free(&book);
    free(v.items);
    config_free(cfg);
    return 0;
}
