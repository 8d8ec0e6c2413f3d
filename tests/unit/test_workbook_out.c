/* tests/unit/test_workbook_out.c — tong-hop.xlsx (output/tonghop.h) built
 * from results and attainment made by hand, read back with dtbd's own reader:
 * sheets, key cells, number types, percentages, the consolidated sums, the
 * tables of records, findings and sources. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <zip.h>

#include "config/config.h"
#include "input/grid.h"
#include "output/tonghop.h"
#include "pipeline/indicators.h"
#include "pipeline/results.h"

static struct config *cfg;

static int setup(void **state)
{
    (void)state;
    struct config_error err;
    cfg = config_load_default(&err);
    return cfg ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    config_free(cfg);
    return 0;
}

/* ---- building the inputs ----------------------------------------------------- */

/* Add a record of table `table` (1-based) at (row, col). */
static record *add(results *r, uint32_t src, const char *unit, int table, const char *group, const char *metric,
                   const char *bd, double v, uint32_t row, uint32_t col)
{
    record rec = {.source = src, .unit = unit, .year = 2024, .table = table, .group = group, .metric = metric,
                  .breakdown = bd, .value = v, .sheet = "Biểu 01", .row = row, .col = col};
    record *p = results_add_record(r, &rec);
    assert_non_null(p);
    return p;
}

/* Two districts (one reports cbcc_th's own row, one only its parts), a
 * provider (never added), a superseded and a rejected figure, findings of
 * each severity (the error last), two sources. */
static void build_results(results *r)
{
    results_init(r, cfg);
    uint32_t a = results_add_source(r, "hop-thu/an-bien.xlsx");
    uint32_t b = results_add_source(r, "hop-thu/go-quao.xls");
    r->sources[a].format = WB_FMT_XLSX;
    r->sources[a].unit = "h-an-bien";
    r->sources[a].year = 2024;
    strcpy(r->sources[a].sha256, "ab12");
    r->sources[b].format = WB_FMT_XLS;
    r->sources[b].unit = "h-go-quao";
    r->sources[b].year = 2024;
    r->sources[b].status = SRC_ACCEPTED;
    add(r, a, "h-an-bien", 1, "cbcc_th", "headcount", "all", 100, 11, 2);
    add(r, a, "h-an-bien", 1, "cbcc_th", "headcount", "female", 40, 11, 3);
    add(r, b, "h-go-quao", 1, "cb_th", "headcount", "all", 10, 12, 2);
    add(r, b, "h-go-quao", 1, "cc_th", "headcount", "all", 20, 13, 2);
    add(r, b, "h-go-quao", 1, "cb_th", "headcount", "female", 4, 12, 3);
    add(r, b, "h-go-quao", 1, "cc_th", "headcount", "female", 99, 13, 3)->rejected = true;
    add(r, b, "h-go-quao", 1, "vc", "headcount", "all", 300, 14, 2);
    add(r, a, "h-an-bien", 1, "vc", "headcount", "all", 1000, 14, 2)->superseded = true;
    add(r, a, "truong-chinh-tri", 1, "vc", "headcount", "all", 5000, 15, 2);
    add(r, a, "h-an-bien", 3, "funding", "budget_spent", "local", 12.5, 11, 2);
    add(r, b, "h-go-quao", 3, "funding", "budget_spent", "local", 7.25, 11, 2);
    results_add_finding(r, SEV_WARNING, "unmapped_column", a, "Biểu 01", "K6", "h-an-bien", 2024,
                        "Cột \"%s\" không khớp", "Ghi chú");
    results_add_finding(r, SEV_INFO, "legacy_encoding_repaired", b, "Biểu 01", "A1", "h-go-quao", 2024,
                        "Đã chuyển mã TCVN3");
    results_add_finding(r, SEV_ERROR, "part_over_whole", b, "Biểu 01", "D14", "h-go-quao", 2024,
                        "Số nữ lớn hơn tổng số \xff (sai mã)");
}

/* Province rows of T01 (2023 no data, 2024 not met) and a unit row. */
static void build_attainment(attainment *a)
{
    a->n = 0;
    a->cap = 4;
    a->rows = calloc(a->cap, sizeof *a->rows);
    assert_non_null(a->rows);
    const struct config_indicator *t01 = config_indicator(cfg, "T01");
    a->rows[a->n++] = (attainment_row){t01, 2023, SCOPE_PROVINCE, "", false, 0, 0, false, 0, 0.8, ATT_NO_DATA};
    a->rows[a->n++] = (attainment_row){t01, 2024, SCOPE_PROVINCE, "", true, 75, 130, true, 75.0 / 130, 0.8,
                                       ATT_NOT_MET};
    a->rows[a->n++] = (attainment_row){t01, 2024, SCOPE_KIND, "district", true, 75, 130, true, 75.0 / 130, 0.8,
                                       ATT_NOT_MET};
    a->rows[a->n++] = (attainment_row){t01, 2024, SCOPE_UNIT, "h-an-bien", true, 90, 100, true, 0.9, 0.8,
                                       ATT_MET};
}

/* ---- reading back ------------------------------------------------------------ */

static const grid_sheet *sheet(const grid_book *b, const char *name)
{
    for (size_t i = 0; i < b->nsheets; i++)
        if (strcmp(b->sheets[i].name, name) == 0) return &b->sheets[i];
    fail_msg("no sheet %s", name);
    return NULL;
}

/* The first cell whose text equals s (in column col, or any when col < 0). */
static const grid_cell *find(const grid_sheet *s, const char *text, int col)
{
    for (size_t i = 0; i < s->ncells; i++)
        if (s->cells[i].type == WB_TEXT && strcmp(s->cells[i].text, text) == 0 &&
            (col < 0 || s->cells[i].col == (uint32_t)col))
            return &s->cells[i];
    return NULL;
}

static double number_at(const grid_sheet *s, uint32_t row, uint32_t col)
{
    const grid_cell *c = grid_at(s, row, col);
    if (!c || c->type != WB_NUMBER) fail_msg("%s: no number at row %u col %u", s->name, row + 1, col + 1);
    return c->num;
}

static const char *text_at(const grid_sheet *s, uint32_t row, uint32_t col)
{
    const grid_cell *c = grid_at(s, row, col);
    return c && c->type == WB_TEXT ? c->text : "";
}

/* tong-hop.xlsx of r and a into a new temporary file, its name in path:
 * nfiles read, Dữ liệu capped at cap rows (0: none), every row through
 * libxlsxwriter when slow. */
/* How write_book writes Dữ liệu: streamed into the package, every row through
 * libxlsxwriter, or streamed into a part the package lacks (tonghop_wait then
 * writes the whole workbook again through libxlsxwriter). */
enum { STREAMED, SLOW, PART_MISSING };

static void write_book(const results *r, const attainment *a, size_t nfiles, size_t cap, int how, char path[64])
{
    strcpy(path, "/tmp/dtbd-test-tong-hop-XXXXXX.xlsx");
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    workbook_meta meta = {"2026-11-27 14:05", "0.1.0", nfiles, NULL, cap, how == SLOW, NULL, how == PART_MISSING};
    char err[512] = "";
    assert_int_equal(tonghop_write(path, cfg, r, a, &meta, err, sizeof err), DTBD_OK);
}

/* Write the workbook and read it back. */
static void write_and_read_cap(grid_book *book, char path[64], size_t data_rows)
{
    results r;
    attainment a;
    build_results(&r);
    build_attainment(&a);
    write_book(&r, &a, 2, data_rows, STREAMED, path);
    wb_error e = {0};
    assert_int_equal(grid_read(path, NULL, book, &e), DTBD_OK);
    free(a.rows);
    results_free(&r);
}

static void write_and_read(grid_book *book, char path[64])
{
    write_and_read_cap(book, path, 0);
}

/* ---- tests -------------------------------------------------------------------- */

static void test_workbook_has_every_sheet_in_order(void **state)
{
    (void)state;
    grid_book b;
    char path[64];
    write_and_read(&b, path);
    const char *names[] = {"Tóm tắt", "Tổng hợp", "Biểu 01 tổng hợp", "Biểu 02 tổng hợp", "Biểu 03 tổng hợp",
                           "Theo đơn vị", "Dữ liệu", "Kiểm tra", "Nguồn"};
    assert_int_equal(b.nsheets, 9);
    for (size_t i = 0; i < 9; i++) assert_string_equal(b.sheets[i].name, names[i]);
    grid_free(&b);
    unlink(path);
}

static void test_workbook_summary_holds_numbers_ratio_target_status(void **state)
{
    (void)state;
    grid_book b;
    char path[64];
    write_and_read(&b, path);
    const grid_sheet *s = sheet(&b, "Tổng hợp");
    const grid_cell *files = find(s, "Số tệp đã đọc", 0);
    assert_non_null(files);
    assert_true(number_at(s, files->row, 2) == 2);
    const grid_cell *head = find(s, "Mã", 0);
    assert_non_null(head);
    assert_string_equal(text_at(s, head->row, 8), "Tỷ lệ");
    uint32_t r0 = head->row + 1;   /* T01 2023: no data */
    assert_string_equal(text_at(s, r0, 0), "T01");
    assert_string_equal(text_at(s, r0, 1), "III.2.a");
    assert_true(number_at(s, r0, 5) == 2023);
    assert_null(grid_at(s, r0, 6));           /* no sums: empty, never 0 */
    assert_null(grid_at(s, r0, 8));           /* no ratio: empty, never 0 % */
    assert_string_equal(text_at(s, r0, 10), "Chưa có số liệu");
    uint32_t r1 = r0 + 1;          /* T01 2024: 75 / 130 */
    assert_true(number_at(s, r1, 6) == 75);
    assert_true(number_at(s, r1, 7) == 130);
    assert_true(number_at(s, r1, 8) == 75.0 / 130);   /* the formula's cached value */
    assert_true(number_at(s, r1, 9) == 0.8);
    assert_string_equal(text_at(s, r1, 10), "Không đạt");
    grid_free(&b);
    unlink(path);
}

static void test_workbook_brief_is_the_latest_year_with_coverage(void **state)
{
    (void)state;
    grid_book b;
    char path[64];
    write_and_read(&b, path);
    const grid_sheet *s = sheet(&b, "Tóm tắt");
    assert_non_null(strstr(text_at(s, 0, 0), "NĂM 2024"));
    /* two districts sent a file of 2024, out of every agency and district active then */
    const grid_cell *cov = find(s, "Đơn vị đã báo cáo", 0);
    assert_non_null(cov);
    assert_true(strncmp(text_at(s, cov->row, 2), "2/", 2) == 0);
    const grid_cell *miss = find(s, "Chưa báo cáo", 0);
    assert_non_null(miss);
    assert_null(strstr(text_at(s, miss->row, 2), "Huyện An Biên"));
    assert_non_null(strstr(text_at(s, miss->row, 2), "Sở Y tế"));
    /* the ratio is a number (the chart's cache takes it), the status coloured text */
    const grid_cell *head = find(s, "Tỷ lệ năm 2024", 3);
    assert_non_null(head);
    assert_string_equal(text_at(s, head->row + 1, 0), "T01");
    assert_true(number_at(s, head->row + 1, 3) == 75.0 / 130);
    assert_true(number_at(s, head->row + 1, 4) == 0.8);
    assert_string_equal(text_at(s, head->row + 1, 5), "Không đạt");
    /* its only unit is above the target: no unit named behind */
    assert_string_equal(text_at(s, head->row + 1, 6), "");
    /* an indicator without a 2024 row: no data */
    assert_string_equal(text_at(s, head->row + 2, 5), "Chưa có số liệu");
    grid_free(&b);
    unlink(path);
}

static void test_workbook_consolidated_form_adds_own_rows_or_parts_of_counted_units(void **state)
{
    (void)state;
    grid_book b;
    char path[64];
    write_and_read(&b, path);
    const grid_sheet *s = sheet(&b, "Biểu 01 tổng hợp");
    /* row I = h-an-bien's own 100 + h-go-quao's parts 10 + 20 */
    const grid_cell *i = find(s, "Cán bộ, công chức cấp tỉnh, cấp huyện", 1);
    assert_non_null(i);
    assert_true(number_at(s, i->row, 2) == 130);
    /* Nữ: h-go-quao's cc_th is rejected, so its parts are missing: only 40 */
    assert_true(number_at(s, i->row, 3) == 40);
    /* the parts rows add the units that split: 10 and 20 */
    const grid_cell *cb = find(s, "Cán bộ cấp tỉnh, cấp huyện", 1);
    assert_non_null(cb);
    assert_true(number_at(s, cb->row, 2) == 10);
    /* Viên chức: the provider and the superseded figure are not added */
    const grid_cell *vc = find(s, "Viên chức", 1);
    assert_non_null(vc);
    assert_true(number_at(s, vc->row, 2) == 300);
    /* no unit reports kct_xa: blank, not 0 */
    const grid_cell *kct = find(s, "Người hoạt động không chuyên trách ở cấp xã", 1);
    assert_non_null(kct);
    assert_null(grid_at(s, kct->row, 2));
    /* "Tổng cộng" (a SUM formula) caches the top rows' sum */
    const grid_cell *total = find(s, "Tổng cộng", 1);
    assert_non_null(total);
    assert_true(number_at(s, total->row, 2) == 430);
    const grid_cell *title = NULL;
    for (size_t k = 0; k < s->ncells && !title; k++)
        if (s->cells[k].type == WB_TEXT && strstr(s->cells[k].text, "NĂM 2024")) title = &s->cells[k];
    assert_non_null(title);
    /* Biểu 03: money adds up with its decimals */
    const grid_sheet *s3 = sheet(&b, "Biểu 03 tổng hợp");
    const grid_cell *spent = find(s3, "Thực hiện", 1);
    assert_non_null(spent);
    assert_true(number_at(s3, spent->row, 2) == 19.75);
    grid_free(&b);
    unlink(path);
}

static void test_workbook_lists_records_findings_sources_as_tables(void **state)
{
    (void)state;
    grid_book b;
    char path[64];
    write_and_read(&b, path);
    const grid_sheet *d = sheet(&b, "Dữ liệu");
    assert_string_equal(text_at(d, 0, 0), "Đơn vị");
    /* 11 records, one superseded and one rejected: 9 rows */
    assert_int_equal(d->nrows, 10);
    assert_string_equal(text_at(d, 1, 0), "Huyện An Biên");
    assert_true(number_at(d, 1, 2) == 2024);
    assert_true(number_at(d, 1, 7) == 100);
    assert_string_equal(text_at(d, 1, 8), "hop-thu/an-bien.xlsx");
    assert_string_equal(text_at(d, 1, 10), "C12");
    /* the provider's figure is listed, not counted */
    const grid_cell *p = find(d, "truong-chinh-tri", 1);
    assert_non_null(p);
    assert_string_equal(text_at(d, p->row, 11), "Không");
    const grid_sheet *k = sheet(&b, "Kiểm tra");
    assert_string_equal(text_at(k, 1, 0), "Lỗi");
    assert_string_equal(text_at(k, 1, 1), "part_over_whole");
    /* the rule's Vietnamese name from the configuration beside its code */
    assert_string_equal(text_at(k, 1, 2), "Số thành phần lớn hơn số tổng");
    /* the invalid byte became U+FFFD: the file stayed readable */
    assert_non_null(strstr(text_at(k, 1, 8), "\xEF\xBF\xBD"));
    assert_string_equal(text_at(k, 2, 0), "Cảnh báo");
    assert_string_equal(text_at(k, 3, 0), "Thông tin");
    const grid_sheet *n = sheet(&b, "Nguồn");
    assert_string_equal(text_at(n, 1, 0), "hop-thu/an-bien.xlsx");
    assert_string_equal(text_at(n, 1, 2), "xlsx");
    assert_string_equal(text_at(n, 1, 6), "Được nhận");
    /* its rows of Dữ liệu (records.csv): 5 read, the superseded one not listed */
    assert_true(number_at(n, 1, 7) == 4);
    const grid_sheet *u = sheet(&b, "Theo đơn vị");
    const grid_cell *kind = find(u, "UBND cấp huyện", 4);
    assert_non_null(kind);
    assert_true(number_at(u, kind->row, 9) == 75.0 / 130);
    assert_true(fabs(number_at(u, kind->row + 1, 11) - 0.1) < 1e-12);   /* h-an-bien: +10 points */
    grid_free(&b);
    unlink(path);
}

/* Past the rows Dữ liệu may hold (Excel's grid; here a cap of 3), the sheet
 * keeps the first records and says how many of how many, records.csv all. */
static void test_workbook_data_sheet_capped_says_so(void **state)
{
    (void)state;
    grid_book b;
    char path[64];
    write_and_read_cap(&b, path, 3);
    const grid_sheet *d = sheet(&b, "Dữ liệu");
    assert_int_equal(d->nrows, 4);
    assert_string_equal(text_at(d, 1, 0), "Huyện An Biên");
    const grid_cell *note = find(d, "Trang này chỉ có 3 trong 9 số liệu (giới hạn số dòng của Excel): "
                                    "toàn bộ số liệu ở records.csv", 13);
    assert_non_null(note);
    grid_free(&b);
    unlink(path);
}


/* ---- Dữ liệu streamed (output/tonghop_data.c) against libxlsxwriter ----------- */

/* Many records of every shape a row can take: known and unknown units, groups
 * and metrics, no table (a blank cell), fractions, negatives, -0, numbers
 * past 1e15, invalid UTF-8, an empty sheet name, money values first met far
 * down the list, several blocks of 16 rows. */
static void build_many(results *r)
{
    build_results(r);
    uint32_t c = results_add_source(r, "hop-thu/ki\xe1\xbb\x83m-tra.xlsx");
    static const char *const units[] = {"h-an-bien", "h-go-quao", "don-vi-la", "truong-chinh-tri"};
    static const char *const groups[] = {"cbcc_th", "cb_th", "vc", "unmapped", "nhom-la"};
    static const char *const sheets[] = {"Biểu 01", "", "Bi\xffu 02", "Sheet1"};
    static const double values[] = {3, 12.5, -4, -0.0, 1e16, 0.1, 123456789012345.0, 2.0 / 3};
    for (int i = 0; i < 400; i++) {
        bool money = i > 250 && i % 7 == 0;
        record *p = add(r, i % 3 == 0 ? c : 0, units[i % 4], money ? 3 : (i % 11 == 0 ? 0 : 1 + i % 2),
                        groups[i % 5], money ? "budget_spent" : i % 13 == 0 ? "unmapped" : "headcount",
                        i % 2 ? "all" : "female", money ? values[i % 8] : (double)(i * 7 % 50),
                        (uint32_t)(i % 40), (uint32_t)(i % 9));
        p->sheet = sheets[i % 4];
        p->year = 2021 + i % 5;
        if (i % 17 == 0) p->value = values[i % 8];
    }
}

/* Fail, showing where part `name` of the two packages first differs. */
static void report_difference(zip_t *za, zip_t *zb, const char *name, zip_uint64_t la, zip_uint64_t lb)
{
    char *pa = calloc(1, la + 1), *pb = calloc(1, lb + 1);
    zip_file_t *fa = zip_fopen(za, name, 0), *fb = zip_fopen(zb, name, 0);
    assert_true(pa && pb && fa && fb);
    assert_int_equal(zip_fread(fa, pa, la), (zip_int64_t)la);
    assert_int_equal(zip_fread(fb, pb, lb), (zip_int64_t)lb);
    zip_fclose(fa);
    zip_fclose(fb);
    size_t i = 0;
    while (i < la && i < lb && pa[i] == pb[i]) i++;
    size_t from = i > 120 ? i - 120 : 0;
    fail_msg("%s differs at byte %zu:\n  %.240s\n  %.240s", name, i, pa + from, pb + from);
}

/* Every part of the two packages, byte for byte (core.xml holds the time). */
static void assert_same_parts(const char *a, const char *b)
{
    int e;
    zip_t *za = zip_open(a, ZIP_RDONLY, &e), *zb = zip_open(b, ZIP_RDONLY, &e);
    assert_non_null(za);
    assert_non_null(zb);
    zip_int64_t n = zip_get_num_entries(za, 0);
    assert_int_equal(n, zip_get_num_entries(zb, 0));
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        if (strcmp(name, "docProps/core.xml") == 0) continue;
        zip_stat_t sa, sb;
        assert_int_equal(zip_stat(za, name, 0, &sa), 0);
        if (zip_stat(zb, name, 0, &sb) != 0) fail_msg("%s: no part %s", b, name);
        if (sa.size != sb.size || sa.crc != sb.crc) report_difference(za, zb, name, sa.size, sb.size);
    }
    zip_discard(za);
    zip_discard(zb);
}


static void test_workbook_data_streamed_is_what_libxlsxwriter_writes(void **state)
{
    (void)state;
    results r;
    attainment a;
    build_many(&r);
    build_attainment(&a);
    static const size_t caps[] = {0, 37, 1, 2, 16, 17};
    for (size_t k = 0; k < sizeof caps / sizeof *caps; k++) {
        char fast[64], slow[64];
        write_book(&r, &a, 3, caps[k], STREAMED, fast);
        write_book(&r, &a, 3, caps[k], SLOW, slow);
        assert_same_parts(fast, slow);
        assert_same_parts(slow, fast);
        grid_book b;
        wb_error e = {0};
        assert_int_equal(grid_read(fast, NULL, &b, &e), DTBD_OK);
        const grid_sheet *d = sheet(&b, "Dữ liệu");
        size_t want = caps[k] ? caps[k] : results_records_listed(&r, RESULTS_NO_SOURCE);
        assert_int_equal(d->nrows, want + 1);
        grid_free(&b);
        unlink(fast);
        unlink(slow);
    }
    free(a.rows);
    results_free(&r);
}

/* The streamed rows cannot be put in: the workbook is written again, whole,
 * every row through libxlsxwriter, over what the first pass left at the same
 * path, and the run goes on (DTBD_OK). The result is what the slow way writes. */
static void test_workbook_part_not_as_assumed_is_written_again_whole(void **state)
{
    (void)state;
    results r;
    attainment a;
    build_many(&r);
    build_attainment(&a);
    static const size_t caps[] = {0, 17};
    for (size_t k = 0; k < sizeof caps / sizeof *caps; k++) {
        char again[64], slow[64];
        write_book(&r, &a, 3, caps[k], PART_MISSING, again);
        write_book(&r, &a, 3, caps[k], SLOW, slow);
        assert_same_parts(again, slow);
        assert_same_parts(slow, again);
        unlink(again);
        unlink(slow);
    }
    free(a.rows);
    results_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_workbook_has_every_sheet_in_order),
        cmocka_unit_test(test_workbook_summary_holds_numbers_ratio_target_status),
        cmocka_unit_test(test_workbook_brief_is_the_latest_year_with_coverage),
        cmocka_unit_test(test_workbook_consolidated_form_adds_own_rows_or_parts_of_counted_units),
        cmocka_unit_test(test_workbook_lists_records_findings_sources_as_tables),
        cmocka_unit_test(test_workbook_data_sheet_capped_says_so),
        cmocka_unit_test(test_workbook_data_streamed_is_what_libxlsxwriter_writes),
        cmocka_unit_test(test_workbook_part_not_as_assumed_is_written_again_whole),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
