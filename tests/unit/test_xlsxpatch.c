/* tests/unit/test_xlsxpatch.c — rows streamed into a worksheet libxlsxwriter
 * wrote (output/xlsxpatch.h): they land between the rows it held and read
 * back; a refusing row function, a missing part or a file that is no
 * package leave the file as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <xlsxwriter.h>

#include "input/grid.h"
#include "output/xlsxpatch.h"

/* A package whose first sheet holds rows 0, 3 and 20 (columns 0..2, row 0
 * bold) and a second sheet; its path in path. */
static void make_package(char path[64])
{
    strcpy(path, "/tmp/dtbd-test-xlsxpatch-XXXXXX.xlsx");
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    lxw_workbook *wb = workbook_new(path);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Một");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    static const uint32_t held[] = {0, 3, 20};
    for (int i = 0; i < 3; i++)
        for (lxw_col_t c = 0; c < 3; c++)
            worksheet_write_number(ws, held[i], c, held[i] * 10 + c, i == 0 ? bold : NULL);
    worksheet_write_string(workbook_add_worksheet(wb, "Hai"), 0, 0, "khác", NULL);
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static char *slurp(const char *path, long *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    *len = ftell(f);
    rewind(f);
    char *p = malloc((size_t)*len + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)*len, f), (size_t)*len);
    fclose(f);
    return p;
}

/* Row r's cells: A = r * 10, B = r * 10 + 1, C = r * 10 + 2; refuses row `refuse`. */
static bool cells(void *ctx, uint32_t r, buf *out)
{
    int refuse = *(int *)ctx;
    if ((int)r == refuse) return false;
    for (int c = 0; c < 3; c++) buf_printf(out, "<c r=\"%c%u\"><v>%u</v></c>", 'A' + c, r + 1, r * 10 + (uint32_t)c);
    return true;
}

static void test_xlsxpatch_rows_land_between_the_held_ones(void **state)
{
    (void)state;
    char path[64];
    make_package(path);
    dtbd_status st;
    char why[256] = "";
    xlsxpatch *p = xlsxpatch_open(path, "xl/worksheets/sheet1.xml", &st, why, sizeof why);
    assert_non_null(p);
    assert_true(xlsxpatch_style(p, 0, 1) > 0);     /* bold */
    assert_int_equal(xlsxpatch_style(p, 3, 2), 0);  /* no format */
    assert_int_equal(xlsxpatch_style(p, 2, 0), -1); /* not held */
    int refuse = -1;
    assert_int_equal(xlsxpatch_fill(p, 1, 25, 3, cells, &refuse, why, sizeof why), DTBD_OK);
    xlsxpatch_close(p);
    grid_book b;
    wb_error e = {0};
    assert_int_equal(grid_read(path, NULL, &b, &e), DTBD_OK);
    assert_int_equal(b.nsheets, 2);
    assert_int_equal(b.sheets[0].nrows, 26);
    for (uint32_t r = 0; r <= 25; r++)
        for (uint32_t c = 0; c < 3; c++) {
            const grid_cell *g = grid_at(&b.sheets[0], r, c);
            if (!g || g->type != WB_NUMBER || g->num != r * 10 + c) fail_msg("row %u col %u", r, c);
        }
    assert_string_equal(grid_at(&b.sheets[1], 0, 0)->text, "khác");
    grid_free(&b);
    unlink(path);
}

static void test_xlsxpatch_failure_leaves_the_package(void **state)
{
    (void)state;
    char path[64], why[256] = "";
    make_package(path);
    long n0, n1;
    char *before = slurp(path, &n0);
    dtbd_status st;
    /* the row function refuses */
    xlsxpatch *p = xlsxpatch_open(path, "xl/worksheets/sheet1.xml", &st, why, sizeof why);
    assert_non_null(p);
    int refuse = 7;
    assert_int_equal(xlsxpatch_fill(p, 1, 25, 3, cells, &refuse, why, sizeof why), DTBD_ERR_FORMAT);
    /* held rows must be whole rows of the list */
    assert_int_equal(xlsxpatch_fill(p, 5, 2, 3, cells, &refuse, why, sizeof why), DTBD_ERR_FORMAT);
    xlsxpatch_close(p);
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, (size_t)n0);
    free(after);
    /* no such part; no package at all */
    assert_null(xlsxpatch_open(path, "xl/worksheets/sheet9.xml", &st, why, sizeof why));
    assert_int_equal(st, DTBD_ERR_FORMAT);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("không phải tệp zip", f);
    fclose(f);
    assert_null(xlsxpatch_open(path, "xl/worksheets/sheet1.xml", &st, why, sizeof why));
    assert_int_equal(st, DTBD_ERR_IO);
    free(before);
    unlink(path);
}


/* Rows 0, 3 and 20 are the package's (make_package); `extra` one more that
 * is not. */
static bool held(const void *ctx, uint32_t r)
{
    int extra = *(const int *)ctx;
    return r == 3 || r == 20 || (int)r == extra;
}

static bool cells_any(void *ctx, uint32_t r, buf *out)
{
    int none = -1;
    (void)ctx;
    return cells(&none, r, out);
}

/* Rows made before the package exists land like xlsxpatch_fill's; a part not
 * as assumed is refused and left as it was. */
static void test_xlsxpatch_rows_made_before(void **state)
{
    (void)state;
    char path[64], why[256] = "";
    make_package(path);
    int extra = -1;
    xlsxpatch_pre *pre = xlsxpatch_pre_start(1, 25, 3, 3, cells_any, held, &extra);
    assert_non_null(pre);
    dtbd_status st;
    xlsxpatch *p = xlsxpatch_open(path, "xl/worksheets/sheet1.xml", &st, why, sizeof why);
    assert_non_null(p);
    assert_int_equal(xlsxpatch_pre_finish(pre, p, why, sizeof why), DTBD_OK);
    xlsxpatch_close(p);
    grid_book b;
    wb_error e = {0};
    assert_int_equal(grid_read(path, NULL, &b, &e), DTBD_OK);
    assert_int_equal(b.sheets[0].nrows, 26);
    for (uint32_t r = 0; r <= 25; r++)
        for (uint32_t c = 0; c < 3; c++) {
            const grid_cell *g = grid_at(&b.sheets[0], r, c);
            if (!g || g->type != WB_NUMBER || g->num != r * 10 + c) fail_msg("row %u col %u", r, c);
        }
    grid_free(&b);
    unlink(path);

    /* row 7 said to be held, but the part has no row 7 */
    make_package(path);
    long n0, n1;
    char *before = slurp(path, &n0);
    extra = 7;
    pre = xlsxpatch_pre_start(1, 25, 3, 3, cells_any, held, &extra);
    assert_non_null(pre);
    p = xlsxpatch_open(path, "xl/worksheets/sheet1.xml", &st, why, sizeof why);
    assert_non_null(p);
    assert_int_equal(xlsxpatch_pre_finish(pre, p, why, sizeof why), DTBD_ERR_FORMAT);
    xlsxpatch_close(p);
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, (size_t)n0);
    free(before);
    free(after);
    /* started and abandoned */
    extra = -1;
    xlsxpatch_pre_abort(xlsxpatch_pre_start(1, 25, 3, 3, cells_any, held, &extra));
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xlsxpatch_rows_land_between_the_held_ones),
        cmocka_unit_test(test_xlsxpatch_failure_leaves_the_package),
        cmocka_unit_test(test_xlsxpatch_rows_made_before),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
