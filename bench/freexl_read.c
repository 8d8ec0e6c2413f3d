/* bench/freexl_read.c — the FreeXL peer of the .xls benchmark: open FILE
 * with FreeXL, select every sheet and fetch every cell, counting the
 * non-empty ones (printed on stdout). FreeXL is the library dtbd's own BIFF
 * reader stands next to (input/xls.c). */
#include <freexl.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    const void *h;
    if (argc != 2 || freexl_open(argv[1], &h) != FREEXL_OK) {
        fprintf(stderr, "usage: freexl_read FILE.xls (a readable .xls)\n");
        return 2;
    }
    unsigned sheets = 0;
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK) return 1;
    unsigned long long n = 0;
    for (unsigned s = 0; s < sheets; s++) {
        unsigned rows;
        unsigned short cols;
        if (freexl_select_active_worksheet(h, (unsigned short)s) != FREEXL_OK ||
            freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
            return 1;
        for (unsigned r = 0; r < rows; r++)
            for (unsigned short c = 0; c < cols; c++) {
                FreeXL_CellValue v;
                if (freexl_get_cell_value(h, r, c, &v) == FREEXL_OK && v.type != FREEXL_CELL_NULL) n++;
            }
    }
    freexl_close(h);
    printf("%llu\n", n);
    return 0;
}
