/* tests/unit/test_plan.c — a plan's free texts → metric, group, quarter,
 * place, source, provider, column role (pipeline/plan.h), and the headcount
 * the appraisal takes (the latest year not after the plan's). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "input/grid.h"
#include "pipeline/plan.h"

static struct config *cfg;
static plan_matcher *pm;

static int setup(void **state)
{
    (void)state;
    struct config_error err;
    cfg = config_load_default(&err);
    pm = cfg ? plan_matcher_new(cfg, NULL) : NULL;
    return pm ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    plan_matcher_free(pm);
    config_free(cfg);
    return 0;
}

static void check_content(const char *text, const char *metric, const char *group)
{
    const struct config_group *g = NULL;
    const struct config_metric *m = plan_match_content(pm, text, &g);
    const char *mc = m ? m->code : "other", *gc = g ? g->code : "other";
    if (strcmp(mc, metric) != 0 || strcmp(gc, group) != 0)
        fail_msg("content \"%s\" → %s / %s, want %s / %s", text, mc, gc, metric, group);
}

static void contents(void **state)
{
    (void)state;
    check_content("Lớp bồi dưỡng kiến thức QLNN ngạch chuyên viên chính", "qlnn_cvc", "other");
    check_content("Lớp bồi dưỡng kiến thức QLNN chương trình chuyên viên", "qlnn_cv", "other");
    check_content("Trung cấp LLCT", "llct_mid", "other");
    check_content("Lớp trung cấp lý luận chính trị - hành chính", "llct_mid", "other");
    check_content("Cập nhật kiến thức pháp luật cho CBCC cấp xã", "tr_law", "cbcc_xa");
    check_content("Bồi dưỡng đạo đức công vụ cho công chức", "tr_ethics", "cc_th");
    check_content("Kỹ năng thực thi công vụ", "tr_skills", "other");
    check_content("Đào tạo trình độ thạc sĩ", "ed_master", "other");
    check_content("Tập huấn phòng cháy, chữa cháy", "other", "other");
    check_content("Bồi dưỡng QLNN", "other", "other");   /* which rank: not a guess */
}

static void check_group(const char *text, const char *want)
{
    const struct config_group *g = plan_match_group(pm, text);
    const char *gc = g ? g->code : "other";
    if (strcmp(gc, want) != 0) fail_msg("group \"%s\" → %s, want %s", text, gc, want);
}

static void groups(void **state)
{
    (void)state;
    check_group("CBCC cấp xã", "cbcc_xa");
    check_group("Viên chức ngành y tế", "vc");
    check_group("Công chức", "cc_th");
    check_group("Viên chức giữ chức vụ quản lý", "vc_ql");
    check_group("Cán bộ, công chức cấp tỉnh, cấp huyện", "cbcc_th");
    check_group("Người lao động hợp đồng", "other");
}

static void check_quarter(const char *text, int want)
{
    int q = plan_quarter_text(pm, text);
    if (q != want) fail_msg("time \"%s\" → %d, want %d", text, q, want);
}

static void quarters(void **state)
{
    (void)state;
    check_quarter("Quý I", 1);
    check_quarter("Quý 2", 2);
    check_quarter("Q3", 3);
    check_quarter("IV", 4);
    check_quarter("Tháng 3", 1);
    check_quarter("tháng 5-6", 2);
    check_quarter("3/2025", 1);
    check_quarter("15/08/2025", 3);
    check_quarter("Quý 3/2025", 3);
    check_quarter("", 0);
    check_quarter("cả năm", -1);
}

static void others(void **state)
{
    (void)state;
    assert_int_equal(plan_place(pm, "Tại tỉnh"), CONFIG_PLACE_IN);
    assert_int_equal(plan_place(pm, "Ngoài tỉnh"), CONFIG_PLACE_OUT);
    assert_int_equal(plan_place(pm, "Nước ngoài"), CONFIG_PLACE_ABROAD);
    const struct config_breakdown *b = plan_match_source(pm, "Ngân sách Trung ương");
    assert_non_null(b);
    assert_string_equal(b->code, "central");
    b = plan_match_source(pm, "NSĐP");
    assert_non_null(b);
    assert_string_equal(b->code, "local");
    const struct config_unit *u = plan_match_provider(pm, "Trường Chính trị tỉnh Kiên Giang");
    assert_non_null(u);
    assert_string_equal(u->code, "truong-chinh-tri");
    assert_null(plan_match_provider(pm, "Học viện Ngoại giao"));
    assert_int_equal(plan_column_role(pm, "Tên lớp"), CONFIG_PCOL_CONTENT);
    assert_int_equal(plan_column_role(pm, "Nguồn kinh phí"), CONFIG_PCOL_SOURCE);
    assert_int_equal(plan_column_role(pm, "Số học viên"), CONFIG_PCOL_COUNT);
}

static void headcounts(void **state)
{
    (void)state;
    plan_headcounts hc = {0};
    char err[600];
    FILE *f = fopen("build/test_plan_hc.csv", "w");
    assert_non_null(f);
    fputs("unit,year,group,metric,breakdown,value,file,sheet,cell\n"
          "so-y-te,2022,cbcc_th,headcount,all,100,a.xlsx,S,D5\n"
          "so-y-te,2023,cbcc_th,headcount,all,120,\"b, c.xlsx\",S,D5\n"
          "so-y-te,2023,cbcc_th,headcount,female,60,b.xlsx,S,E5\n"
          "so-y-te,2025,cbcc_th,headcount,all,999,d.xlsx,S,D5\n", f);
    fclose(f);
    assert_int_equal(plan_headcounts_load(&hc, cfg, "build/test_plan_hc.csv", err, sizeof err), 0);
    double v = 0;
    assert_true(plan_headcount_of(&hc, "so-y-te", config_group(cfg, "cbcc_th"), 2024, &v));
    assert_true(v == 120);
    assert_false(plan_headcount_of(&hc, "so-y-te", config_group(cfg, "cbcc_th"), 2021, &v));
    assert_false(plan_headcount_of(&hc, "so-y-te", config_group(cfg, "vc"), 2024, &v));
    plan_headcounts_free(&hc);
    remove("build/test_plan_hc.csv");
}

static grid_book read_book(const char *path)
{
    grid_book b;
    wb_limits lim = wb_limits_default();
    wb_error err = {0};
    if (grid_read(path, &lim, &b, &err) != DTBD_OK) fail_msg("cannot read %s", path);
    return b;
}

/* A report is no plan; a plan of the corpus reads as its truth says (the
 * generator's truth, tests/corpus/plans/truth/plan-records.csv: its `all` rows
 * of that file, their number and their sum). */
static void reading(void **state)
{
    (void)state;
    grid_book rep = read_book("tests/fixtures/real/bao-cao-giong-rieng-2024.xlsx");
    assert_false(plan_is_plan(pm, &rep));
    grid_free(&rep);
    const char *path = "tests/corpus/plans/inbox/2024/KH DTBD 2024 - kien-luong.xlsx";
    grid_book b = read_book(path);
    assert_true(plan_is_plan(pm, &b));
    plan_set ps;
    plan_set_init(&ps);
    uint32_t src = results_add_source(&ps.res, path);
    assert_int_equal(plan_read(pm, &b, &ps, src, 2023), 0);   /* another year: nothing */
    assert_int_equal(ps.n, 0);
    int n = plan_read(pm, &b, &ps, src, 2024);
    grid_free(&b);
    FILE *f = fopen("tests/corpus/plans/truth/plan-records.csv", "r");
    assert_non_null(f);
    char line[2048];
    int want = 0;
    double sum = 0, got = 0;
    while (fgets(line, sizeof line, f))
        if (strstr(line, path) && strstr(line, ",all,")) {
            want++;
            /* unit,year,group,metric,breakdown,value,… */
            const char *p = line;
            for (int k = 0; k < 5; k++) p = strchr(p, ',') + 1;
            sum += atof(p);
        }
    fclose(f);
    for (size_t i = 0; i < ps.n; i++) got += ps.cls[i].count;
    assert_true(want > 0);
    assert_int_equal(n, want);
    assert_true(got == sum);
    assert_string_equal(ps.cls[0].unit, "h-kien-luong");
    assert_int_equal(ps.cls[0].year, 2024);
    plan_set_free(&ps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(contents), cmocka_unit_test(groups), cmocka_unit_test(quarters),
        cmocka_unit_test(others), cmocka_unit_test(headcounts), cmocka_unit_test(reading),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
