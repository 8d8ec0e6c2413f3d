/* tests/unit/test_figures.c — a unit's group figures (pipeline/figures.h), the
 * one rule the indicators and the consolidated Biểu sheets share: own row,
 * else the sum of the parts (recursively), else missing; which records count.
 * Records are built in memory; the config is the default one, or the default
 * with HĐND's parts nested (hdnd = hdnd_tinh + hdnd_dp, hdnd_dp = hdnd_huyen +
 * hdnd_xa) loaded from a buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "pipeline/figures.h"
#include "pipeline/indicators.h"
#include "pipeline/results.h"

/* ---- helpers ---------------------------------------------------------------------- */

typedef struct {
    struct config *cfg;
    results r;
    uint32_t src;
    fig_index *ix;
} fixture;

static void fx_init_cfg(fixture *f, struct config *cfg)
{
    assert_non_null(cfg);
    f->cfg = cfg;
    results_init(&f->r, f->cfg);
    f->src = results_add_source(&f->r, "inbox/test.xlsx");
    f->ix = NULL;
}

static void fx_init(fixture *f)
{
    struct config_error err;
    fx_init_cfg(f, config_load_default(&err));
}

static void fx_free(fixture *f)
{
    fig_free(f->ix);
    results_free(&f->r);
    config_free(f->cfg);
}

/* Add one record; its table is its metric's. Returns it for flags. */
static record *put_bd(fixture *f, const char *unit, int year, const char *group, const char *metric,
                      const char *bd, double v)
{
    const struct config_metric *m = config_metric(f->cfg, metric);
    record rec = {.source = f->src, .unit = unit, .year = year,
                  .table = m ? (int)m->table->index + 1 : 0, .group = group, .metric = metric,
                  .breakdown = bd, .value = v, .sheet = "Biểu"};
    record *p = results_add_record(&f->r, &rec);
    assert_non_null(p);
    return p;
}

static record *put(fixture *f, const char *unit, int year, const char *group, const char *metric, double v)
{
    return put_bd(f, unit, year, group, metric, "all", v);
}

static void build(fixture *f)
{
    f->ix = fig_build(f->cfg, &f->r);
    assert_non_null(f->ix);
}

/* The group's figure of metric ("all") for unit and year; *has false when missing. */
static double fig(const fixture *f, const char *unit, int year, const char *group, const char *metric,
                  bool *has)
{
    const struct config_unit *u = config_unit(f->cfg, unit);
    const struct config_group *g = config_group(f->cfg, group);
    const struct config_metric *m = config_metric(f->cfg, metric);
    assert_non_null(u);
    assert_non_null(g);
    assert_non_null(m);
    double v = -12345;
    *has = fig_group_value(f->ix, u, year, g, m, "all", &v);
    return v;
}

static void expect_fig(const fixture *f, const char *unit, int year, const char *group, const char *metric,
                         double want)
{
    bool has;
    double v = fig(f, unit, year, group, metric, &has);
    if (!has) fail_msg("%s %d %s %s: missing, expected %g", unit, year, group, metric, want);
    if (v != want) fail_msg("%s %d %s %s: %g, expected %g", unit, year, group, metric, v, want);
}

static void expect_none(const fixture *f, const char *unit, int year, const char *group, const char *metric)
{
    bool has;
    double v = fig(f, unit, year, group, metric, &has);
    if (has) fail_msg("%s %d %s %s: %g, expected missing", unit, year, group, metric, v);
}

/* ---- the rule ------------------------------------------------------------------------ */

/* Own row present: its cell, whatever the parts say. */
static void test_own_row(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put(&f, "h-an-bien", 2023, "cbcc_xa", "headcount", 100);
    put(&f, "h-an-bien", 2023, "cb_xa", "headcount", 30);
    put(&f, "h-an-bien", 2023, "cc_xa", "headcount", 60);   /* parts ≠ row: the row wins */
    build(&f);
    expect_fig(&f, "h-an-bien", 2023, "cbcc_xa", "headcount", 100);
    expect_fig(&f, "h-an-bien", 2023, "cb_xa", "headcount", 30);
    /* a column the present row lacks is missing: no fallback to the parts */
    put(&f, "h-an-bien", 2023, "cb_xa", "qual_univ", 10);
    put(&f, "h-an-bien", 2023, "cc_xa", "qual_univ", 20);
    fig_free(f.ix);
    build(&f);
    expect_none(&f, "h-an-bien", 2023, "cbcc_xa", "qual_univ");
    /* another unit, another year: nothing */
    expect_none(&f, "h-an-bien", 2024, "cbcc_xa", "headcount");
    expect_none(&f, "h-go-quao", 2023, "cbcc_xa", "headcount");
    fx_free(&f);
}

/* Own row absent, parts present: their sum; a part that is absent adds nothing. */
static void test_parts_sum(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put(&f, "h-an-bien", 2023, "cb_xa", "headcount", 30);
    put(&f, "h-an-bien", 2023, "cc_xa", "headcount", 60);
    put(&f, "h-go-quao", 2023, "cb_xa", "headcount", 7);    /* only one part */
    put(&f, "so-y-te", 2023, "cb_th", "headcount", 5);
    put(&f, "so-y-te", 2023, "cc_th", "headcount", 0);      /* a present 0 is a figure */
    build(&f);
    expect_fig(&f, "h-an-bien", 2023, "cbcc_xa", "headcount", 90);
    expect_fig(&f, "h-go-quao", 2023, "cbcc_xa", "headcount", 7);
    expect_fig(&f, "so-y-te", 2023, "cbcc_th", "headcount", 5);
    /* no row of the group nor of a part */
    expect_none(&f, "so-y-te", 2023, "cbcc_xa", "headcount");
    /* a subset is its own row, never added to the whole (vc_ql ⊂ vc) */
    put(&f, "so-tu-phap", 2023, "vc_ql", "headcount", 4);
    fig_free(f.ix);
    build(&f);
    expect_none(&f, "so-tu-phap", 2023, "vc", "headcount");
    expect_fig(&f, "so-tu-phap", 2023, "vc_ql", "headcount", 4);
    fx_free(&f);
}

/* A part's row in another table does not make it present in this one. */
static void test_presence_is_per_table(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put(&f, "h-an-bien", 2023, "cb_xa", "headcount", 30);   /* Biểu 01 */
    put(&f, "h-an-bien", 2023, "cc_xa", "tr_law", 12);      /* Biểu 02 only */
    put(&f, "h-an-bien", 2023, "cbcc_xa", "tr_skills", 40); /* own row, Biểu 02 only */
    build(&f);
    expect_fig(&f, "h-an-bien", 2023, "cbcc_xa", "headcount", 30);
    /* Biểu 02: the own row is present (tr_skills), so tr_law is its missing column */
    expect_none(&f, "h-an-bien", 2023, "cbcc_xa", "tr_law");
    expect_fig(&f, "h-an-bien", 2023, "cc_xa", "tr_law", 12);
    fx_free(&f);
}

/* The default config with HĐND's parts nested one level deeper. */
static struct config *nested_config(void)
{
    size_t len;
    const char *text = config_default_text(&len);
    static const char from[] = "    parts: [hdnd_tinh, hdnd_huyen, hdnd_xa]\n";
    static const char to[] = "    parts: [hdnd_tinh, hdnd_dp]\n";
    static const char before[] = "  - code: hdnd_tinh\n";
    static const char group[] = "  - code: hdnd_dp\n"
                                "    label: Đại biểu HĐND cấp huyện và cấp xã\n"
                                "    tables: [bieu01, bieu02]\n"
                                "    parts: [hdnd_huyen, hdnd_xa]\n";
    const char *a = strstr(text, from), *b = strstr(text, before);
    if (!a || !b || b < a) fail_msg("config/default.yaml: HĐND's groups are not where this test expects them");
    size_t cap = len + sizeof group + sizeof to;
    char *buf = malloc(cap);
    assert_non_null(buf);
    int n = snprintf(buf, cap, "%.*s%s%.*s%s%s", (int)(a - text), text, to,
                     (int)(b - (a + strlen(from))), a + strlen(from), group, b);
    assert_true(n > 0 && (size_t)n < cap);
    struct config_error err;
    struct config *cfg = config_load_buffer(buf, (size_t)n, "nested.yaml", &err);
    free(buf);
    if (!cfg) {
        char msg[1400];
        config_error_format(&err, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    return cfg;
}

/* A part of a part: hdnd from hdnd_tinh and hdnd_dp, hdnd_dp from its parts. */
static void test_nested_parts(void **state)
{
    (void)state;
    fixture f;
    fx_init_cfg(&f, nested_config());
    const struct config_group *dp = config_group(f.cfg, "hdnd_dp");
    assert_non_null(dp);
    assert_ptr_equal(dp->part_of, config_group(f.cfg, "hdnd"));
    /* only the leaves */
    put(&f, "h-an-bien", 2023, "hdnd_tinh", "headcount", 3);
    put(&f, "h-an-bien", 2023, "hdnd_huyen", "headcount", 30);
    put(&f, "h-an-bien", 2023, "hdnd_xa", "headcount", 200);
    /* no hdnd_tinh: hdnd is hdnd_dp alone, itself from its parts */
    put(&f, "h-go-quao", 2023, "hdnd_xa", "headcount", 150);
    /* hdnd_dp's own row present: it wins over its parts */
    put(&f, "h-kien-hai", 2023, "hdnd_dp", "headcount", 50);
    put(&f, "h-kien-hai", 2023, "hdnd_xa", "headcount", 999);
    put(&f, "h-kien-hai", 2023, "hdnd_tinh", "headcount", 1);
    /* a leaf lacks the column: the nested sum is missing */
    put(&f, "h-tan-hiep", 2023, "hdnd_tinh", "headcount", 2);
    put(&f, "h-tan-hiep", 2023, "hdnd_huyen", "headcount", 20);
    put(&f, "h-tan-hiep", 2023, "hdnd_xa", "headcount", 100);
    put(&f, "h-tan-hiep", 2023, "hdnd_tinh", "term_trained", 2);
    put(&f, "h-tan-hiep", 2023, "hdnd_huyen", "term_trained", 20);
    put(&f, "h-tan-hiep", 2023, "hdnd_xa", "title_std_cum", 5);   /* Biểu 01 row, no term_trained */
    build(&f);
    expect_fig(&f, "h-an-bien", 2023, "hdnd_dp", "headcount", 230);
    expect_fig(&f, "h-an-bien", 2023, "hdnd", "headcount", 233);
    expect_fig(&f, "h-go-quao", 2023, "hdnd", "headcount", 150);
    expect_fig(&f, "h-kien-hai", 2023, "hdnd", "headcount", 51);
    expect_fig(&f, "h-tan-hiep", 2023, "hdnd", "headcount", 122);
    expect_none(&f, "h-tan-hiep", 2023, "hdnd_dp", "term_trained");
    expect_none(&f, "h-tan-hiep", 2023, "hdnd", "term_trained");
    fx_free(&f);
}

/* A rejected cell of a present own row is missing — no fallback to the parts. */
static void test_rejected_own_cell_missing(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put(&f, "h-an-bien", 2023, "cbcc_xa", "headcount", 100)->rejected = true;
    put(&f, "h-an-bien", 2023, "cb_xa", "headcount", 30);
    put(&f, "h-an-bien", 2023, "cc_xa", "headcount", 60);
    /* the row is present through a rejected cell only, in another column */
    put(&f, "h-go-quao", 2023, "cbcc_xa", "qual_univ", 5)->rejected = true;
    put(&f, "h-go-quao", 2023, "cb_xa", "headcount", 30);
    /* a rejected part's cell: the sum is missing */
    put(&f, "h-kien-hai", 2023, "cb_xa", "headcount", 8);
    put(&f, "h-kien-hai", 2023, "cc_xa", "headcount", 9)->rejected = true;
    build(&f);
    expect_none(&f, "h-an-bien", 2023, "cbcc_xa", "headcount");
    expect_fig(&f, "h-an-bien", 2023, "cb_xa", "headcount", 30);
    expect_none(&f, "h-go-quao", 2023, "cbcc_xa", "headcount");
    expect_none(&f, "h-kien-hai", 2023, "cbcc_xa", "headcount");
    /* rejected cells do not count as reporting the table */
    const struct config_table *b1 = config_metric(f.cfg, "headcount")->table;
    assert_true(fig_reported(f.ix, config_unit(f.cfg, "h-an-bien"), 2023, b1));
    put(&f, "h-giang-thanh", 2023, "cb_xa", "headcount", 1)->rejected = true;
    fig_free(f.ix);
    build(&f);
    assert_false(fig_reported(f.ix, config_unit(f.cfg, "h-giang-thanh"), 2023, b1));
    expect_none(&f, "h-giang-thanh", 2023, "cbcc_xa", "headcount");
    fx_free(&f);
}

/* A part that lacks the column makes the sum missing; other columns still add. */
static void test_part_missing_column(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put(&f, "h-an-bien", 2023, "cb_xa", "headcount", 30);
    put(&f, "h-an-bien", 2023, "cb_xa", "qual_univ", 20);
    put(&f, "h-an-bien", 2023, "cc_xa", "headcount", 60);   /* no qual_univ column */
    build(&f);
    expect_fig(&f, "h-an-bien", 2023, "cbcc_xa", "headcount", 90);
    expect_none(&f, "h-an-bien", 2023, "cbcc_xa", "qual_univ");
    expect_fig(&f, "h-an-bien", 2023, "cb_xa", "qual_univ", 20);
    expect_none(&f, "h-an-bien", 2023, "cc_xa", "qual_univ");
    /* breakdowns are columns too */
    bool has;
    double v;
    const struct config_unit *u = config_unit(f.cfg, "h-an-bien");
    has = fig_group_value(f.ix, u, 2023, config_group(f.cfg, "cbcc_xa"), config_metric(f.cfg, "headcount"),
                          "female", &v);
    assert_false(has);
    fx_free(&f);
}

/* ---- which records count ------------------------------------------------------------ */

static void test_counted_records(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    record *ok = put(&f, "so-y-te", 2023, "vc", "headcount", 10);
    record *sup = put(&f, "so-tu-phap", 2023, "vc", "headcount", 11);
    sup->superseded = true;
    record *exc = put(&f, "so-ngoai-vu", 2023, "vc", "headcount", 12);
    exc->excluded = true;
    record *prov = put(&f, "truong-chinh-tri", 2023, "vc", "headcount", 13);
    record *unknown = put(&f, "khong-co", 2023, "vc", "headcount", 14);
    record *unm = put(&f, "so-xay-dung", 2023, "unmapped", "headcount", 15);
    record *early = put(&f, "so-du-lich", 2020, "vc", "headcount", 16);
    record *rej = put(&f, "cong-an", 2023, "vc", "headcount", 17);
    rej->rejected = true;
    /* two usable records for one cell: the first in record order */
    put(&f, "so-cong-thuong", 2023, "vc", "headcount", 18);
    put(&f, "so-cong-thuong", 2023, "vc", "headcount", 19);
    build(&f);
    assert_true(fig_record_counts(f.cfg, ok));
    assert_false(fig_record_counts(f.cfg, sup));
    assert_false(fig_record_counts(f.cfg, exc));
    assert_false(fig_record_counts(f.cfg, prov));
    assert_false(fig_record_counts(f.cfg, unknown));
    assert_false(fig_record_counts(f.cfg, unm));
    assert_false(fig_record_counts(f.cfg, early));
    assert_false(fig_record_counts(f.cfg, rej));
    expect_fig(&f, "so-y-te", 2023, "vc", "headcount", 10);
    expect_none(&f, "so-tu-phap", 2023, "vc", "headcount");
    expect_none(&f, "so-ngoai-vu", 2023, "vc", "headcount");
    expect_none(&f, "truong-chinh-tri", 2023, "vc", "headcount");
    expect_none(&f, "so-du-lich", 2020, "vc", "headcount");
    expect_none(&f, "cong-an", 2023, "vc", "headcount");
    expect_fig(&f, "so-cong-thuong", 2023, "vc", "headcount", 18);
    const struct config_table *b1 = config_metric(f.cfg, "headcount")->table;
    const struct config_table *b2 = config_metric(f.cfg, "tr_law")->table;
    assert_true(fig_reported(f.ix, config_unit(f.cfg, "so-y-te"), 2023, b1));
    assert_false(fig_reported(f.ix, config_unit(f.cfg, "so-y-te"), 2023, b2));
    assert_false(fig_reported(f.ix, config_unit(f.cfg, "so-y-te"), 2024, b1));
    assert_false(fig_reported(f.ix, config_unit(f.cfg, "cong-an"), 2023, b1));
    assert_false(fig_reported(f.ix, config_unit(f.cfg, "truong-chinh-tri"), 2023, b1));
    fx_free(&f);
}

/* Biểu 03: rows are metrics, the group is `funding`, the breakdown the source. */
static void test_funding_cell(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put_bd(&f, "so-y-te", 2023, "funding", "budget_spent", "local", 120.5);
    put_bd(&f, "so-y-te", 2023, "funding", "budget_spent", "central", 3)->rejected = true;
    build(&f);
    const struct config_unit *u = config_unit(f.cfg, "so-y-te");
    const struct config_group *g = config_group(f.cfg, "funding");
    const struct config_metric *m = config_metric(f.cfg, "budget_spent");
    double v = 0;
    assert_true(fig_cell(f.ix, u, 2023, g, m, "local", &v));
    assert_true(v == 120.5);
    assert_false(fig_cell(f.ix, u, 2023, g, m, "central", &v));
    assert_false(fig_cell(f.ix, u, 2023, g, m, "agency", &v));
    assert_false(fig_cell(f.ix, u, 2023, g, config_metric(f.cfg, "budget_planned"), "local", &v));
    assert_true(fig_group_value(f.ix, u, 2023, g, m, "local", &v) && v == 120.5);
    assert_true(fig_reported(f.ix, u, 2023, m->table));
    fx_free(&f);
}

/* Nothing recorded: an index all the same, every figure missing. */
static void test_empty(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    build(&f);
    expect_none(&f, "so-y-te", 2023, "vc", "headcount");
    expect_none(&f, "h-an-bien", 2023, "cbcc_xa", "headcount");
    fig_free(NULL);
    fx_free(&f);
}

/* The indicators take their figures from here: T06's province denominator
 * is Σ over the units of fig_group_value when every unit has its numerator. */
static void test_indicators_use_the_rule(void **state)
{
    (void)state;
    fixture f;
    fx_init_cfg(&f, nested_config());
    put(&f, "h-an-bien", 2023, "cb_xa", "headcount", 30);
    put(&f, "h-an-bien", 2023, "cc_xa", "headcount", 60);
    put(&f, "h-an-bien", 2023, "cb_xa", "tr_skills", 10);
    put(&f, "h-an-bien", 2023, "cc_xa", "tr_skills", 20);
    put(&f, "h-go-quao", 2023, "cbcc_xa", "headcount", 50);
    put(&f, "h-go-quao", 2023, "cbcc_xa", "tr_skills", 25);
    /* T13 on the nested HĐND */
    put(&f, "h-an-bien", 2023, "hdnd_tinh", "headcount", 3);
    put(&f, "h-an-bien", 2023, "hdnd_huyen", "headcount", 30);
    put(&f, "h-an-bien", 2023, "hdnd_xa", "headcount", 200);
    put(&f, "h-an-bien", 2023, "hdnd_tinh", "term_trained", 3);
    put(&f, "h-an-bien", 2023, "hdnd_huyen", "term_trained", 20);
    put(&f, "h-an-bien", 2023, "hdnd_xa", "term_trained", 100);
    build(&f);
    attainment a;
    assert_int_equal(indicators_compute(f.cfg, &f.r, 0, 0, &a), 0);
    const char *ids[] = {"T06", "T13"};
    const double den[] = {140, 233}, num[] = {55, 123};
    for (size_t k = 0; k < 2; k++) {
        const attainment_row *row = NULL;
        for (size_t i = 0; i < a.n; i++)
            if (strcmp(a.rows[i].ind->id, ids[k]) == 0 && a.rows[i].year == 2023 &&
                a.rows[i].scope == SCOPE_PROVINCE)
                row = &a.rows[i];
        assert_non_null(row);
        assert_true(row->has_sums);
        /* Σ over the units of the shared function */
        const struct config_indicator *ind = row->ind;
        double sum = 0;
        for (size_t u = 0; u < f.cfg->n_units; u++) {
            double v;
            if (fig_group_value(f.ix, &f.cfg->units[u], 2023, ind->group, ind->denominator.metric, "all", &v))
                sum += v;
        }
        if (row->denominator != den[k] || sum != den[k] || row->numerator != num[k])
            fail_msg("%s: denominator %g, Σ fig_group_value %g, expected %g; numerator %g, expected %g", ids[k],
                     row->denominator, sum, den[k], row->numerator, num[k]);
    }
    attainment_free(&a);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_own_row),
        cmocka_unit_test(test_parts_sum),
        cmocka_unit_test(test_presence_is_per_table),
        cmocka_unit_test(test_nested_parts),
        cmocka_unit_test(test_rejected_own_cell_missing),
        cmocka_unit_test(test_part_missing_column),
        cmocka_unit_test(test_counted_records),
        cmocka_unit_test(test_funding_cell),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_indicators_use_the_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
