/*
 * fuzz/fuzz_grid.h — decode fuzzer bytes into a synthetic grid_book for
 * fuzz_recognize (and its regression test).
 *
 * Byte program: the first byte gives the number of sheets (1–3) and the
 * book's format; the second the file path (which ident reads for unit and
 * year). Then ops until the bytes run out, each an op byte and its operands:
 *   0–3  text from the vocabulary: row, col, index (2 bytes), variant
 *        (as is / "1. " prefix / " năm 2023" suffix / upper-cased ASCII)
 *   4    raw text: row, col, length (< 48), bytes → NFC (invalid → U+FFFD)
 *   5    integer: row, col, 2 bytes (type number)
 *   6    double: row, col, type byte (number/bool/date/error), 8 bytes
 *   7    merge: row, col, extra rows (< 4), extra columns (< 6)
 *   8    font for the following cells
 *   9    current sheet: index, hidden flag
 * Rows < 48, columns < 20; at most 600 cells and 40 merges per sheet. A later
 * cell at the same place replaces the earlier one. Cells are sorted row-major
 * and empty texts dropped, as grid_read() does; nrows/ncols computed the
 * same way. Everything lives in the book's arena: grid_free() releases it.
 */
#ifndef DTBD_FUZZ_GRID_H
#define DTBD_FUZZ_GRID_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "base/buf.h"
#include "input/grid.h"
#include "base/text.h"

typedef struct {
    const char **items;
    size_t n, cap;
} fuzz_vocab;

static inline void fuzz_vocab_add(fuzz_vocab *v, const char *s)
{
    if (!s || !*s) return;
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 256;
        const char **p = realloc(v->items, cap * sizeof *p);
        if (!p) return;
        v->items = p;
        v->cap = cap;
    }
    v->items[v->n++] = s;
}

static inline void fuzz_vocab_strs(fuzz_vocab *v, struct config_strs s)
{
    for (size_t i = 0; i < s.n; i++) fuzz_vocab_add(v, s.items[i]);
}

/* Every label and alias of cfg (pointers into cfg: it must outlive v), and
 * the form's fixed words. v->items is malloc'ed; the strings are not. */
static inline void fuzz_vocab_build(fuzz_vocab *v, const struct config *cfg)
{
    static const char *const extra[] = {
        "STT", "Đối tượng", "Nội dung", "Chỉ tiêu", "Tổng cộng", "Cộng", "Trong đó", "Chia ra",
        "Nguồn kinh phí", "1", "2", "3=4+5", "(1)", "A", "B", "I", "II", "III", "IV", "V", "-", "–",
        "Biểu 01", "Biểu số 2", "Biểu 03", "Năm 2023", "NĂM 2024", "Đơn vị tính: người",
        "Đơn vị báo cáo:", "NGƯỜI LẬP BIỂU", "THỦ TRƯỞNG ĐƠN VỊ", "Nơi nhận:",
        "Kiên Giang, ngày 15 tháng 01 năm 2024", "trước ngày 31/12/2023", "1.234", "12,5",
        "Céng", "Tæng sè", "Caùn boä", "BaoCaoSoTuPhap2022", "UBND HUYỆN GIỒNG RIỀNG",
    };
    memset(v, 0, sizeof *v);
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++) fuzz_vocab_add(v, extra[i]);
    for (size_t i = 0; i < cfg->n_tables; i++) {
        fuzz_vocab_add(v, cfg->tables[i].title);
        fuzz_vocab_strs(v, cfg->tables[i].aliases);
    }
    for (size_t i = 0; i < cfg->n_breakdowns; i++) {
        fuzz_vocab_add(v, cfg->breakdowns[i].label);
        fuzz_vocab_strs(v, cfg->breakdowns[i].aliases);
    }
    for (size_t i = 0; i < cfg->n_headings; i++) {
        fuzz_vocab_add(v, cfg->headings[i].label);
        fuzz_vocab_strs(v, cfg->headings[i].aliases);
    }
    for (size_t i = 0; i < cfg->n_groups; i++) {
        fuzz_vocab_add(v, cfg->groups[i].label);
        fuzz_vocab_strs(v, cfg->groups[i].aliases);
        fuzz_vocab_strs(v, cfg->groups[i].sub_aliases);
    }
    for (size_t i = 0; i < cfg->n_metrics; i++) {
        fuzz_vocab_add(v, cfg->metrics[i].label);
        fuzz_vocab_strs(v, cfg->metrics[i].aliases);
    }
    for (size_t i = 0; i < cfg->n_units; i++) {
        fuzz_vocab_add(v, cfg->units[i].name);
        fuzz_vocab_strs(v, cfg->units[i].aliases);
    }
    fuzz_vocab_strs(v, cfg->form.total_row);
    fuzz_vocab_strs(v, cfg->form.unit_field);
    fuzz_vocab_strs(v, cfg->form.year_field);
    fuzz_vocab_strs(v, cfg->form.footer);
}

enum { FG_ROWS = 48, FG_COLS = 20, FG_MAX_CELLS = 600, FG_MAX_MERGES = 40, FG_MAX_SHEETS = 3 };

typedef struct {
    grid_cell cell;
    size_t seq;
} fg_cell;

typedef struct {
    const uint8_t *p;
    size_t n, i;
} fg_in;

static inline unsigned fg_next(fg_in *in) { return in->i < in->n ? in->p[in->i++] : 0; }

static inline int fg_cmp(const void *a, const void *b)
{
    const fg_cell *x = a, *y = b;
    if (x->cell.row != y->cell.row) return x->cell.row < y->cell.row ? -1 : 1;
    if (x->cell.col != y->cell.col) return x->cell.col < y->cell.col ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Build book from the bytes (see the top); returns the source path to use. */
static inline const char *fuzz_grid_build(grid_book *book, const fuzz_vocab *v, const uint8_t *data,
                                          size_t size)
{
    static const char *const paths[] = {
        "bao-cao.xlsx", "inbox/2023/so-tu-phap.xlsx", "2024/h-giong-rieng/BC DTBD 2024.xls",
        "BaoCaoSoNoiVu2022.csv", "inbox/2099/x.xlsx", "2021/2022/tp-phu-quoc-2020.xlsx",
    };
    static const char *const fonts[] = {NULL, "Times New Roman", ".VnTime", ".VnTimeH", "VNI-Times", "Arial"};
    static const char *const names[] = {"Sheet1", "Biểu 01", "Biểu 02", "B03", "Hướng dẫn", "Danh mục"};
    static const wb_format formats[] = {WB_FMT_XLSX, WB_FMT_XLS, WB_FMT_CSV};
    static const wb_type dtypes[] = {WB_NUMBER, WB_BOOL, WB_DATE, WB_ERROR};

    fg_in in = {data, size, 0};
    memset(book, 0, sizeof *book);
    arena_init(&book->mem);
    unsigned b0 = fg_next(&in);
    size_t nsheets = 1 + b0 % FG_MAX_SHEETS;
    book->format = formats[(b0 / FG_MAX_SHEETS) % 3];
    const char *path = paths[fg_next(&in) % (sizeof paths / sizeof paths[0])];

    fg_cell *cells[FG_MAX_SHEETS] = {0};
    size_t ncells[FG_MAX_SHEETS] = {0};
    wb_range merges[FG_MAX_SHEETS][FG_MAX_MERGES];
    size_t nmerges[FG_MAX_SHEETS] = {0};
    bool hidden[FG_MAX_SHEETS] = {0};
    for (size_t s = 0; s < nsheets; s++) {
        cells[s] = calloc(FG_MAX_CELLS, sizeof *cells[s]);
        FUZZ_CHECK(cells[s] != NULL);
    }
    size_t cur = 0, seq = 0;
    const char *font = NULL;
    buf t = BUF_INIT;

    while (in.i < in.n) {
        unsigned op = fg_next(&in) % 10;
        if (op == 7) {
            uint32_t r = fg_next(&in) % FG_ROWS, c = fg_next(&in) % FG_COLS;
            uint32_t dr = fg_next(&in) % 4, dc = fg_next(&in) % 6;
            if (nmerges[cur] < FG_MAX_MERGES) merges[cur][nmerges[cur]++] = (wb_range){r, c, r + dr, c + dc};
            continue;
        }
        if (op == 8) {
            font = fonts[fg_next(&in) % (sizeof fonts / sizeof fonts[0])];
            continue;
        }
        if (op == 9) {
            cur = fg_next(&in) % nsheets;
            hidden[cur] = fg_next(&in) & 1;
            continue;
        }
        grid_cell g;
        memset(&g, 0, sizeof g);
        g.row = fg_next(&in) % FG_ROWS;
        g.col = fg_next(&in) % FG_COLS;
        g.font = font;
        buf_clear(&t);
        if (op <= 3) {
            unsigned idx = fg_next(&in);
            idx |= fg_next(&in) << 8;
            const char *w = v->n ? v->items[idx % v->n] : "x";
            unsigned variant = fg_next(&in) % 4;
            if (variant == 1) buf_puts(&t, "1. ");
            buf_puts(&t, w);
            if (variant == 2) buf_puts(&t, " năm 2023");
            if (variant == 3)
                for (size_t k = 0; k < t.len; k++)
                    if (t.data[k] >= 'a' && t.data[k] <= 'z') t.data[k] = (char)(t.data[k] - 32);
            g.type = WB_TEXT;
        } else if (op == 4) {
            size_t len = fg_next(&in) % 48;
            if (len > in.n - in.i) len = in.n - in.i;
            FUZZ_CHECK(text_to_nfc((const char *)in.p + in.i, len, &t));
            in.i += len;
            g.type = WB_TEXT;
        } else if (op == 5) {
            unsigned lo = fg_next(&in);
            g.num = (double)(lo | fg_next(&in) << 8);
            g.type = WB_NUMBER;
        } else {
            g.type = dtypes[fg_next(&in) % 4];
            uint8_t raw[8] = {0};
            for (int k = 0; k < 8; k++) raw[k] = (uint8_t)fg_next(&in);
            memcpy(&g.num, raw, sizeof g.num);
            if (g.type == WB_BOOL) g.num = g.num != 0;
            if (g.type == WB_ERROR) {
                g.num = 0;
                buf_puts(&t, "#DIV/0!");
            }
        }
        FUZZ_CHECK(!t.oom);
        if ((g.type == WB_TEXT && t.len == 0) || ncells[cur] >= FG_MAX_CELLS) continue;
        if (g.type == WB_TEXT || g.type == WB_ERROR) {
            g.text = arena_strndup(&book->mem, t.data, t.len);
            FUZZ_CHECK(g.text != NULL);
            g.len = t.len;
        }
        cells[cur][ncells[cur]++] = (fg_cell){g, seq++};
    }
    buf_free(&t);

    book->sheets = arena_calloc(&book->mem, nsheets, sizeof *book->sheets);
    FUZZ_CHECK(book->sheets != NULL);
    book->nsheets = nsheets;
    for (size_t s = 0; s < nsheets; s++) {
        grid_sheet *gs = &book->sheets[s];
        gs->name = names[(s + b0) % (sizeof names / sizeof names[0])];
        gs->index = (unsigned)s;
        gs->hidden = hidden[s];
        qsort(cells[s], ncells[s], sizeof *cells[s], fg_cmp);
        gs->cells = arena_calloc(&book->mem, ncells[s] ? ncells[s] : 1, sizeof *gs->cells);
        FUZZ_CHECK(gs->cells != NULL);
        for (size_t i = 0; i < ncells[s]; i++) {
            /* the last of equal positions wins */
            if (i + 1 < ncells[s] && cells[s][i + 1].cell.row == cells[s][i].cell.row &&
                cells[s][i + 1].cell.col == cells[s][i].cell.col)
                continue;
            const grid_cell *c = &cells[s][i].cell;
            gs->cells[gs->ncells++] = *c;
            if (c->row + 1 > gs->nrows) gs->nrows = c->row + 1;
            if (c->col + 1 > gs->ncols) gs->ncols = c->col + 1;
        }
        gs->nmerges = nmerges[s];
        gs->merges = arena_calloc(&book->mem, nmerges[s] ? nmerges[s] : 1, sizeof *gs->merges);
        FUZZ_CHECK(gs->merges != NULL);
        if (nmerges[s]) memcpy(gs->merges, merges[s], nmerges[s] * sizeof *gs->merges);
        free(cells[s]);
    }
    return path;
}

#endif
