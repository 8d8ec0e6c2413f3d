/*
 * bench/dumpcost.c — what `dtbd dump` spends on output alone, with no reader:
 * formats the benchmark's 1,000,000 cells (the same kinds of values as
 * gen_xlsx.c) the way cli/dump.c's on_cell does (wb_cell_ref,
 * wb_number_str / wb_date_iso, fprintf + escaped fputc) to /dev/null, and
 * prints the seconds each part takes. A lower bound for `dtbd dump`.
 *
 *   make B=build/bench all
 *   cc -O2 -I. bench/dumpcost.c build/bench/libdtbd.a $(pkg-config --libs libutf8proc) -lm -o dumpcost
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "input/workbook.h"

static uint64_t rng_state = 0x2024113000000001ULL;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)(((rng_state * 0x2545F4914F6CDD1DULL) >> 32) % n);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put_escaped(FILE *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        switch (c) {
        case '\t': fputs("\\t", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\\': fputs("\\\\", out); break;
        default: fputc(c, out);
        }
    }
}

enum { ROWS = 100000, COLS = 10 };

/* One pass over the 1M cells; what = 0 everything as dump does, 1 only
 * wb_cell_ref, 2 only wb_number_str, 3 only wb_date_iso. Returns seconds. */
static double pass(FILE *out, int what)
{
    static const char *texts[] = {"Nguyễn Văn An", "Thành phố Hồ Chí Minh",
                                  "Phòng Tài chính – Kế hoạch",
                                  "Hồ sơ số 000123/QĐ-UBND ngày 12/03/2024 — Cần Thơ"};
    char ref[16], tmp[32];
    unsigned sink = 0;
    rng_state = 0x2024113000000001ULL;
    double t0 = now();
    for (uint32_t r = 1; r < ROWS + 1; r++) {
        for (uint32_t c = 0; c < COLS; c++) {
            if (what == 0 || what == 1) wb_cell_ref(r, c, ref);
            const char *v = tmp, *type = "number";
            double x = 0;
            int kind = 0;   /* 0 text, 1 number, 2 date */
            switch (c) {
            case 0: x = r; kind = 1; break;
            case 4: x = (double)rnd(5000); kind = 1; break;
            case 5: x = (double)rnd(2000000000) / 100.0; kind = 1; break;
            case 7: x = (double)rnd(10001) / 10000.0; kind = 1; break;
            case 3: x = 44927 + rnd(730); kind = 2; break;
            case 8: x = 44927 + rnd(730) + (double)rnd(1440) / 1440.0; kind = 2; break;
            default: v = texts[c % 4]; type = "text"; break;
            }
            if (kind == 1 && (what == 0 || what == 2)) wb_number_str(x, tmp);
            if (kind == 2 && (what == 0 || what == 3)) { wb_date_iso(x, tmp); type = "date"; }
            if (what == 0) {
                fprintf(out, "%s\t%s\t", ref, type);
                put_escaped(out, v, strlen(v));
                fputc('\n', out);
            }
            sink += (unsigned char)tmp[0] + (unsigned char)ref[0];
        }
    }
    double t = now() - t0;
    if (sink == 1) puts("");   /* keep the work */
    return t;
}

int main(void)
{
    FILE *out = fopen("/dev/null", "w");
    if (!out) return 1;
    static const char *what[] = {"all of on_cell's work", "wb_cell_ref only",
                                 "wb_number_str only (400,000 numbers)",
                                 "wb_date_iso only (200,000 dates)"};
    printf("dump's output work for %d cells, best of 3 (includes ~0.01 s of RNG):\n", ROWS * COLS);
    for (int w = 0; w < 4; w++) {
        double best = 1e9;
        for (int i = 0; i < 3; i++) {
            double t = pass(out, w);
            if (t < best) best = t;
        }
        printf("  %-40s %.3f s\n", what[w], best);
    }
    fclose(out);
    return 0;
}
