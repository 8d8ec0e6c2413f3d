/* tests/unit/test_template.c — the blank form (output/template.h): its layout
 * from the config, what dtbd's own reader and recognition make of it, and the
 * safe-string helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config/config.h"
#include "input/grid.h"
#include "output/template.h"
#include "pipeline/recognize.h"
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

/* The sheet named `name`, or fail. */
static const grid_sheet *sheet(const grid_book *b, const char *name)
{
    for (size_t i = 0; i < b->nsheets; i++)
        if (strcmp(b->sheets[i].name, name) == 0) return &b->sheets[i];
    fail_msg("no sheet %s", name);
    return NULL;
}

/* Text of the first cell of s whose text starts with prefix, or NULL. */
static const grid_cell *find_text(const grid_sheet *s, const char *prefix)
{
    for (size_t i = 0; i < s->ncells; i++)
        if (s->cells[i].type == WB_TEXT && strncmp(s->cells[i].text, prefix, strlen(prefix)) == 0)
            return &s->cells[i];
    return NULL;
}

/* Write the template of unit `code` for `year` into a temporary file; returns its path (caller frees). */
static char *write_template(const char *code, int year)
{
    char *path = strdup("/tmp/dtbd-test-template-XXXXXX.xlsx");
    int fd = mkstemps(path, 5);
    assert_true(fd >= 0);
    close(fd);
    char err[512] = "";
    const struct config_unit *u = config_unit(cfg, code);
    assert_non_null(u);
    assert_int_equal(template_write(path, cfg, u, year, err, sizeof err), 0);
    return path;
}

static void test_template_district_form_has_sheets_title_unit_and_cached_sums(void **state)
{
    (void)state;
    char *path = write_template("h-an-bien", 2024);
    grid_book b;
    wb_error e = {0};
    assert_int_equal(grid_read(path, NULL, &b, &e), WB_OK);
    assert_int_equal(b.nsheets, 4);
    assert_string_equal(b.sheets[0].name, "Hướng dẫn");
    const grid_sheet *s1 = sheet(&b, "Biểu 01");
    sheet(&b, "Biểu 02");
    const grid_sheet *s3 = sheet(&b, "Biểu 03");
    const grid_cell *c = find_text(s1, "Đơn vị báo cáo:");
    assert_non_null(c);
    assert_string_equal(c->text, "Đơn vị báo cáo: Huyện An Biên");
    c = find_text(s1, "BÁO CÁO KẾT QUẢ");
    assert_non_null(c);
    assert_non_null(strstr(c->text, "NĂM 2024"));
    assert_non_null(find_text(s1, "NGƯỜI LẬP BIỂU"));
    assert_non_null(find_text(s1, "THỦ TRƯỞNG ĐƠN VỊ"));
    /* row II (cbcc_xa) adds up its parts, and "Tổng cộng" the top rows:
     * formulas whose cached 0 reads back as the number 0 */
    const grid_cell *ii = NULL, *total = NULL;
    for (size_t i = 0; i < s1->ncells; i++) {
        if (s1->cells[i].type != WB_TEXT || s1->cells[i].col != 1) continue;
        if (strcmp(s1->cells[i].text, "Cán bộ, công chức cấp xã") == 0) ii = &s1->cells[i];
        if (strcmp(s1->cells[i].text, "Tổng cộng") == 0) total = &s1->cells[i];
    }
    assert_non_null(ii);
    assert_non_null(total);
    const grid_cell *v = grid_at(s1, ii->row, 2);
    assert_non_null(v);
    assert_int_equal(v->type, WB_NUMBER);
    assert_true(v->num == 0);
    v = grid_at(s1, total->row, 2);
    assert_non_null(v);
    assert_int_equal(v->type, WB_NUMBER);
    /* the merged header over the qualification columns */
    c = find_text(s1, "Trình độ chuyên môn");
    assert_non_null(c);
    const wb_range *m = grid_merge_at(s1, c->row, c->col);
    assert_non_null(m);
    assert_int_equal(m->c2 - m->c1 + 1, 5);
    /* Biểu 03: "Tổng" is column 7 = 3+4+5+6 */
    assert_non_null(find_text(s3, "7=3+4+5+6"));
    grid_free(&b);
    unlink(path);
    free(path);
}

static void test_template_reads_back_as_its_unit_and_year_without_findings(void **state)
{
    (void)state;
    const char *codes[] = {"h-an-bien", "so-y-te", "van-phong-doan-dbqh-hdnd"};
    const size_t want[] = {658, 253, 0};
    for (size_t k = 0; k < 3; k++) {
        char *path = write_template(codes[k], 2023);
        grid_book b;
        wb_error e = {0};
        assert_int_equal(grid_read(path, NULL, &b, &e), WB_OK);
        results res;
        results_init(&res);
        uint32_t src = results_add_source(&res, path);
        assert_int_equal(recognize_workbook(cfg, &b, &res, src), 3);
        assert_string_equal(res.sources[src].unit, codes[k]);
        assert_int_equal(res.sources[src].year, 2023);
        assert_int_equal(results_count(&res, SEV_ERROR), 0);
        assert_int_equal(results_count(&res, SEV_WARNING), 0);
        if (want[k]) assert_int_equal(res.nrecords, want[k]);
        /* every blank input cell is a 0 record; no "unmapped" anything */
        bool hdnd = false;
        for (size_t i = 0; i < res.nrecords; i++) {
            assert_true(res.records[i].value == 0);
            assert_string_not_equal(res.records[i].group, "unmapped");
            assert_string_not_equal(res.records[i].metric, "unmapped");
            hdnd |= strcmp(res.records[i].group, "hdnd") == 0;
        }
        /* the HĐND office must report row hdnd (required by name), an agency not */
        assert_int_equal(hdnd, k != 1);
        results_free(&res);
        grid_free(&b);
        unlink(path);
        free(path);
    }
}

static void test_template_form_layout_follows_the_config(void **state)
{
    (void)state;
    template_form f;
    /* Biểu 02 for a district: heading › content › Tổng số · Nữ · DTTS */
    assert_int_equal(template_form_build(cfg, config_table(cfg, "bieu02"), config_unit(cfg, "h-go-quao"), &f), 0);
    assert_int_equal(f.depth, 3);
    assert_int_equal(f.ncols, 66);
    bool dao_tao = false;
    for (size_t i = 0; i < f.nhdr; i++)
        if (strcmp(f.hdr[i].text, "Đào tạo") == 0) {
            dao_tao = true;
            assert_int_equal(f.hdr[i].r1, 0);
            assert_int_equal(f.hdr[i].c2 - f.hdr[i].c1 + 1, 9);
        }
    assert_true(dao_tao);
    /* I, II, 1, 2, III, IV, Trong đó, V */
    assert_int_equal(f.nrows, 8);
    assert_string_equal(f.rows[1].group->code, "cbcc_xa");
    assert_true(f.rows[1].sum_of_parts);
    assert_string_equal(f.rows[3].group->code, "cc_xa");
    assert_int_equal(f.rows[6].kind, TEMPLATE_ROW_SUBSET);
    assert_string_equal(f.rows[7].stt, "V");
    template_form_free(&f);
    /* the consolidated form: every group with all its parts */
    assert_int_equal(template_form_build(cfg, config_table(cfg, "bieu01"), NULL, &f), 0);
    assert_int_equal(f.nrows, 13);
    assert_int_equal(f.depth, 2);
    template_form_free(&f);
    /* Biểu 03: the sources, then their sum */
    assert_int_equal(template_form_build(cfg, config_table(cfg, "bieu03"), NULL, &f), 0);
    assert_int_equal(f.nrows, 2);
    assert_int_equal(f.ncols, 5);
    assert_string_equal(f.cols[4].breakdown->code, "total");
    assert_true(f.cols[4].sum_of_parts);
    assert_false(f.total_row);
    template_form_free(&f);
}

static void test_template_safe_text_replaces_bad_bytes_and_controls(void **state)
{
    (void)state;
    char *s = template_safe_text("Sở\xff Nội\x01vụ\xc3");
    assert_string_equal(s, "Sở\xEF\xBF\xBD Nội\xEF\xBF\xBDvụ\xEF\xBF\xBD");
    free(s);
    s = template_safe_text("dòng 1\ndòng\t2");
    assert_string_equal(s, "dòng 1\ndòng\t2");
    free(s);
    s = template_upper("Huyện Giồng Riềng, đô thị");
    assert_string_equal(s, "HUYỆN GIỒNG RIỀNG, ĐÔ THỊ");
    free(s);
    assert_int_equal(template_text_width("Đơn vị"), 6);
    assert_int_equal(template_text_width("ab\nĐơn vị tính\nc"), 11);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_district_form_has_sheets_title_unit_and_cached_sums),
        cmocka_unit_test(test_template_reads_back_as_its_unit_and_year_without_findings),
        cmocka_unit_test(test_template_form_layout_follows_the_config),
        cmocka_unit_test(test_template_safe_text_replaces_bad_bytes_and_controls),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
