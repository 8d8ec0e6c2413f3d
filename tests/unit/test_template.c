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
#include <zip.h>

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
    assert_int_equal(grid_read(path, NULL, &b, &e), DTBD_OK);
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
        assert_int_equal(grid_read(path, NULL, &b, &e), DTBD_OK);
        results res;
        results_init(&res, cfg);
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

/* The text of a member of the .xlsx at path (caller frees), or fail. */
static char *xlsx_member(const char *path, const char *name)
{
    int ze = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &ze);
    assert_non_null(z);
    zip_stat_t st;
    assert_int_equal(zip_stat(z, name, 0, &st), 0);
    char *text = calloc(st.size + 1, 1);
    zip_file_t *zf = zip_fopen(z, name, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, text, st.size), (zip_int64_t)st.size);
    zip_fclose(zf);
    zip_close(z);
    return text;
}

/* True when the cell at (row, col) of a sheet's XML has a style whose xf in
 * styles.xml unlocks it (<protection locked="0"/>). */
static bool cell_unlocked(const char *sheet_xml, const char *styles_xml, unsigned row, unsigned col)
{
    char ref[32], pat[48];
    lxw_rowcol_to_cell(ref, row, (lxw_col_t)col);
    snprintf(pat, sizeof pat, "<c r=\"%s\"", ref);
    const char *c = strstr(sheet_xml, pat);
    if (!c) fail_msg("no cell %s", ref);
    const char *end = strchr(c, '>');
    const char *sattr = strstr(c, " s=\"");
    if (!sattr || sattr > end) return false;        /* default style: locked */
    long xf = strtol(sattr + 4, NULL, 10);
    const char *p = strstr(styles_xml, "<cellXfs");
    assert_non_null(p);
    for (long k = 0; k <= xf; k++) {
        p = strstr(p + 1, "<xf ");
        assert_non_null(p);
    }
    const char *next = strstr(p + 1, "<xf ");
    const char *stop = strstr(p, "</cellXfs>");
    if (!next || next > stop) next = stop;
    const char *prot = strstr(p, "locked=\"0\"");
    return prot && prot < next;
}

/* Row (0-based) of the first cell of column col whose text is `text`. */
static unsigned row_of(const grid_sheet *s, unsigned col, const char *text)
{
    for (size_t i = 0; i < s->ncells; i++)
        if (s->cells[i].col == col && s->cells[i].type == WB_TEXT && strcmp(s->cells[i].text, text) == 0)
            return s->cells[i].row;
    fail_msg("no \"%s\" in column %u", text, col);
    return 0;
}

/* Data column (0-based, sheet column − 2) of metric.breakdown in f. */
static unsigned col_of(const template_form *f, const char *metric, const char *breakdown)
{
    for (size_t j = 0; j < f->ncols; j++)
        if (f->cols[j].metric && strcmp(f->cols[j].metric->code, metric) == 0 &&
            strcmp(f->cols[j].breakdown->code, breakdown) == 0)
            return (unsigned)j;
    fail_msg("no column %s.%s", metric, breakdown);
    return 0;
}

static void test_template_unlocks_inputs_and_footer_greys_and_locks_what_does_not_apply(void **state)
{
    (void)state;
    char *path = write_template("h-tan-hiep", 2024);
    grid_book b;
    wb_error e = {0};
    assert_int_equal(grid_read(path, NULL, &b, &e), DTBD_OK);
    const grid_sheet *s1 = sheet(&b, "Biểu 01");
    char *x1 = xlsx_member(path, "xl/worksheets/sheet2.xml"), *styles = xlsx_member(path, "xl/styles.xml");
    template_form f;
    assert_int_equal(template_form_build(cfg, config_table(cfg, "bieu01"), config_unit(cfg, "h-tan-hiep"), &f), 0);
    unsigned r1 = row_of(s1, 0, "I"), r5 = row_of(s1, 0, "V");
    /* row I: Tổng số open, the chức danh (vc only) and nhiệm kỳ (hdnd only) columns locked */
    assert_true(cell_unlocked(x1, styles, r1, 2 + col_of(&f, "headcount", "all")));
    assert_false(cell_unlocked(x1, styles, r1, 2 + col_of(&f, "title_std_cum", "all")));
    assert_false(cell_unlocked(x1, styles, r1, 2 + col_of(&f, "term_trained", "all")));
    /* row V (HĐND): nhiệm kỳ open, phù hợp VTVL locked */
    assert_true(cell_unlocked(x1, styles, r5, 2 + col_of(&f, "term_trained", "all")));
    assert_false(cell_unlocked(x1, styles, r5, 2 + col_of(&f, "qual_fit", "all")));
    /* the footer's date line open (it decides resubmissions), its labels locked */
    const grid_cell *date = find_text(s1, TEMPLATE_FOOTER_DATE);
    assert_non_null(date);
    assert_true(cell_unlocked(x1, styles, date->row, date->col));
    const grid_cell *maker = find_text(s1, "NGƯỜI LẬP BIỂU");
    assert_false(cell_unlocked(x1, styles, maker->row, maker->col));
    assert_true(cell_unlocked(x1, styles, maker->row + 5, maker->col));   /* the maker's name */
    /* the column numbers as the province prints them; the letterhead */
    assert_non_null(find_text(s1, "3=6+7+8+9+10"));
    assert_string_equal(grid_at(s1, 0, 0)->text, "UBND HUYỆN TÂN HIỆP");
    assert_string_equal(grid_at(s1, 1, 0)->text, "PHÒNG NỘI VỤ");
    /* live checks: Nữ > Tổng số, Σ trình độ ≠ Tổng số, a "Trong đó" row over its group */
    assert_non_null(strstr(x1, "<conditionalFormatting"));
    char want[128];
    snprintf(want, sizeof want, "AND(ISNUMBER($D%u),$D%u&gt;N($C%u))", r1 + 1, r1 + 1, r1 + 1);
    assert_non_null(strstr(x1, want));
    snprintf(want, sizeof want, "AND(COUNT($F%u,$G%u,$H%u,$I%u,$J%u)&gt;0", r1 + 1, r1 + 1, r1 + 1, r1 + 1, r1 + 1);
    assert_non_null(strstr(x1, want));
    unsigned rq = row_of(s1, 1, "Trong đó: viên chức giữ chức vụ quản lý");
    snprintf(want, sizeof want, "AND(ISNUMBER(C%u),C%u&gt;N(C%u))", rq + 1, rq + 1, rq);
    assert_non_null(strstr(x1, want));
    template_form_free(&f);
    free(x1);
    free(styles);
    grid_free(&b);
    unlink(path);
    free(path);
}

static void test_template_follows_the_province_form_per_kind(void **state)
{
    (void)state;
    /* the provider: Biểu 02 only, under its superior */
    char *path = write_template("truong-chinh-tri", 2024);
    grid_book b;
    wb_error e = {0};
    assert_int_equal(grid_read(path, NULL, &b, &e), DTBD_OK);
    assert_int_equal(b.nsheets, 2);
    const grid_sheet *s = sheet(&b, "Biểu 02");
    assert_string_equal(grid_at(s, 0, 0)->text, "TỈNH ỦY KIÊN GIANG");
    assert_string_equal(grid_at(s, 1, 0)->text, "TRƯỜNG CHÍNH TRỊ TỈNH KIÊN GIANG");
    grid_free(&b);
    unlink(path);
    free(path);
    /* an agency: UBND TỈNH over it; its Viên chức keeps the province's IV */
    path = write_template("so-y-te", 2024);
    assert_int_equal(grid_read(path, NULL, &b, &e), DTBD_OK);
    assert_int_equal(b.nsheets, 4);
    s = sheet(&b, "Biểu 01");
    assert_string_equal(grid_at(s, 0, 0)->text, "UBND TỈNH KIÊN GIANG");
    assert_string_equal(grid_at(s, 1, 0)->text, "SỞ Y TẾ");
    unsigned r = row_of(s, 1, "Viên chức");
    assert_string_equal(grid_at(s, r, 0)->text, "IV");
    assert_null(find_text(s, "II"));
    grid_free(&b);
    unlink(path);
    free(path);
    /* the config behind it */
    assert_false(config_metric_applies(config_metric(cfg, "title_std_cum"), config_group(cfg, "cbcc_th")));
    assert_true(config_metric_applies(config_metric(cfg, "title_std_cum"), config_group(cfg, "vc_ql")));
    assert_true(config_metric_applies(config_metric(cfg, "kinh_in_ethnic_area"), config_group(cfg, "cc_xa")));
    assert_true(config_metric_applies(config_metric(cfg, "headcount"), config_group(cfg, "hdnd_xa")));
    assert_false(config_table_reported_by(config_table(cfg, "bieu01"), CONFIG_PROVIDER));
    assert_true(config_table_reported_by(config_table(cfg, "bieu02"), CONFIG_PROVIDER));
    assert_int_equal(config_metric(cfg, "headcount")->n_parts, 5);
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
        cmocka_unit_test(test_template_unlocks_inputs_and_footer_greys_and_locks_what_does_not_apply),
        cmocka_unit_test(test_template_follows_the_province_form_per_kind),
        cmocka_unit_test(test_template_safe_text_replaces_bad_bytes_and_controls),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
