/*
 * fuzz/xls_stream.c — seed helper: write the BIFF "Workbook" (or "Book")
 * stream of a compound file to stdout, for fuzz_xls's wrapped-stream seeds.
 *   xls_stream FILE.xls > stream.bin     exit 1 when there is no such stream
 */
#include <stdio.h>
#include <stdlib.h>

#include "input/cfb.h"

int main(int argc, char **argv)
{
    if (argc != 2) return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f) return 1;
    unsigned char *img = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            unsigned char *p = realloc(img, cap);
            if (!p) { free(img); fclose(f); return 1; }
            img = p;
        }
        size_t k = fread(img + n, 1, cap - n, f);
        if (k == 0) break;
        n += k;
    }
    fclose(f);
    cfb_file cf;
    int rc = 1;
    if (cfb_open(&cf, img, n) == DTBD_OK) {
        int idx = cfb_find(&cf, "Workbook");
        if (idx < 0) idx = cfb_find(&cf, "Book");
        unsigned char *s = NULL;
        size_t len = 0;
        if (idx >= 0 && cfb_read(&cf, idx, 64u << 20, &s, &len) == DTBD_OK) {
            rc = fwrite(s, 1, len, stdout) == len ? 0 : 1;
            free(s);
        }
        cfb_close(&cf);
    }
    free(img);
    return rc;
}
