/* tests/unit/test_grid.c — the in-memory workbook (input/grid.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "input/grid.h"

/* Write text to a fresh temporary .csv and return its path in out. */
static void write_tmp_csv(const char *text, char out[64])
{
    snprintf(out, 64, "/tmp/dtbd-grid-%d.csv", (int)getpid());
    FILE *f = fopen(out, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_grid_finds_cells_by_row_and_column(void **state)
{
    (void)state;
    char path[64];
    write_tmp_csv("Tổng số,Nữ\n120,,45\n\n7\n", path);
    grid_book book;
    wb_error err = {0};
    assert_int_equal(grid_read(path, NULL, &book, &err), DTBD_OK);
    assert_int_equal(book.format, WB_FMT_CSV);
    assert_int_equal(book.nsheets, 1);
    const grid_sheet *s = &book.sheets[0];
    assert_int_equal(s->ncells, 5);          /* empty fields are not cells */
    assert_int_equal(s->nrows, 4);
    assert_int_equal(s->ncols, 3);
    const grid_cell *c = grid_at(s, 0, 0);
    assert_non_null(c);
    assert_string_equal(c->text, "Tổng số");
    c = grid_at(s, 1, 2);
    assert_non_null(c);
    assert_string_equal(c->text, "45");
    assert_null(grid_at(s, 1, 1));           /* ",," is empty              */
    assert_null(grid_at(s, 2, 0));           /* blank line                 */
    c = grid_at(s, 3, 0);
    assert_non_null(c);
    assert_string_equal(c->text, "7");
    assert_null(grid_at(s, 9, 9));
    assert_int_equal(grid_row_start(s, 1), 2);
    assert_int_equal(grid_row_start(s, 2), 4); /* next non-empty row       */
    assert_null(grid_merge_at(s, 0, 0));
    grid_free(&book);
    unlink(path);
}

static void test_grid_keeps_failure_reason_and_is_freeable(void **state)
{
    (void)state;
    grid_book book;
    wb_error err = {0};
    assert_int_equal(grid_read("/nonexistent/dtbd.xlsx", NULL, &book, &err), DTBD_ERR_IO);
    assert_int_equal(book.nsheets, 0);
    grid_free(&book);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_finds_cells_by_row_and_column),
        cmocka_unit_test(test_grid_keeps_failure_reason_and_is_freeable),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
