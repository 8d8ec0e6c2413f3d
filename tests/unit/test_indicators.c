/* tests/unit/test_indicators.c — the indicator engine on hand-computed cases
 * (DESIGN §5.1, §6; tests/corpus/README.md "Attainment"). Records are built in
 * memory; the config is the default one, or the default plus a 14th
 * indicator loaded from a file (a config change, not a code change). */
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
#include "output/csvout.h"
#include "pipeline/indicators.h"
#include "pipeline/results.h"

/* ---- helpers ---------------------------------------------------------------------- */

/* A results with one source and the default config. */
typedef struct {
    struct config *cfg;
    results r;
    uint32_t src;
    attainment a;
} fixture;

static void fx_init(fixture *f)
{
    struct config_error err;
    f->cfg = config_load_default(&err);
    assert_non_null(f->cfg);
    results_init(&f->r, f->cfg);
    f->src = results_add_source(&f->r, "inbox/test.xlsx");
    memset(&f->a, 0, sizeof f->a);
}

static void fx_free(fixture *f)
{
    attainment_free(&f->a);
    results_free(&f->r);
    config_free(f->cfg);
}

/* Add one record (breakdown "all"); returns it for flags. */
static record *put(fixture *f, const char *unit, int year, const char *group, const char *metric,
                   double v)
{
    record rec = {.source = f->src, .unit = unit, .year = year, .group = group,
                  .metric = metric, .breakdown = "all", .value = v, .sheet = "Biểu"};
    record *p = results_add_record(&f->r, &rec);
    assert_non_null(p);
    return p;
}

/* numerator metric and headcount of a group in one go. */
static void put2(fixture *f, const char *unit, int year, const char *group, const char *metric,
                 double num, double headcount)
{
    put(f, unit, year, group, metric, num);
    put(f, unit, year, group, "headcount", headcount);
}

static void compute(fixture *f, int from, int to)
{
    assert_int_equal(indicators_compute(f->cfg, &f->r, from, to, &f->a), 0);
}

/* The row of an indicator, year, scope and unit ("" for the province), or NULL. */
static const attainment_row *row_of(const attainment *a, const char *ind, int year,
                                    att_scope scope, const char *unit)
{
    for (size_t i = 0; i < a->n; i++) {
        const attainment_row *r = &a->rows[i];
        if (strcmp(r->ind->id, ind) == 0 && r->year == year && r->scope == scope &&
            strcmp(r->unit, unit) == 0)
            return r;
    }
    return NULL;
}

/* Assert a row's sums and status. */
static void expect(const attainment *a, const char *ind, int year, att_scope scope,
                   const char *unit, double num, double den, att_status st)
{
    const attainment_row *r = row_of(a, ind, year, scope, unit);
    if (!r) fail_msg("no row %s %d %s %s", ind, year, att_scope_name(scope), unit);
    assert_true(r->has_sums);
    assert_true(r->numerator == num);
    assert_true(r->denominator == den);
    if (den > 0) {
        assert_true(r->has_ratio);
        assert_true(r->ratio == num / den);
    } else {
        assert_false(r->has_ratio);
    }
    if (r->status != st)
        fail_msg("%s %d %s %s: %s, expected %s", ind, year, att_scope_name(scope), unit,
                 att_status_name(r->status), att_status_name(st));
}

/* Assert a row without sums (no unit had both figures). */
static void expect_empty(const attainment *a, const char *ind, int year, att_scope scope,
                         const char *unit)
{
    const attainment_row *r = row_of(a, ind, year, scope, unit);
    if (!r) fail_msg("no row %s %d %s %s", ind, year, att_scope_name(scope), unit);
    assert_false(r->has_sums);
    assert_false(r->has_ratio);
    assert_int_equal(r->status, ATT_NO_DATA);
}

/* ---- Σ/Σ, missing figures ------------------------------------------------------------ */

/* 1/10 and 90/100: Σ/Σ = 91/110 ≈ 0.827 (met); the average of the ratios
 * would be 0.5 (not met). */
static void test_sum_of_sums_not_average_of_ratios(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "so-y-te", 2021, "cbcc_th", "tr_law", 1, 10);
    put2(&f, "so-tu-phap", 2021, "cbcc_th", "tr_law", 90, 100);
    compute(&f, 0, 0);
    expect(&f.a, "T01", 2021, SCOPE_PROVINCE, "", 91, 110, ATT_MET);
    expect(&f.a, "T01", 2021, SCOPE_KIND, "agency", 91, 110, ATT_MET);
    expect_empty(&f.a, "T01", 2021, SCOPE_KIND, "district");
    expect(&f.a, "T01", 2021, SCOPE_UNIT, "so-y-te", 1, 10, ATT_NOT_MET);
    expect(&f.a, "T01", 2021, SCOPE_UNIT, "so-tu-phap", 90, 100, ATT_MET);
    /* every active agency and district has a row, reported or not */
    expect_empty(&f.a, "T01", 2021, SCOPE_UNIT, "cong-an");
    expect_empty(&f.a, "T01", 2021, SCOPE_UNIT, "h-an-bien");
    expect_empty(&f.a, "T01", 2022, SCOPE_PROVINCE, "");
    /* no row for the provider, no kind row for providers */
    assert_null(row_of(&f.a, "T01", 2021, SCOPE_UNIT, "truong-chinh-tri"));
    assert_null(row_of(&f.a, "T01", 2021, SCOPE_KIND, "provider"));
    fx_free(&f);
}

/* A unit lacking its numerator is left out of both sums (its own row
 * no_data); a rejected cell in a present row is missing, and the parts do
 * not stand in for it; superseded records never count. */
static void test_unit_missing_column_left_out_of_both_sums(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "so-y-te", 2021, "cbcc_th", "tr_law", 8, 10);
    /* so-tu-phap: Biểu 02 row present without the tr_law column */
    put(&f, "so-tu-phap", 2021, "cbcc_th", "headcount", 100);
    put(&f, "so-tu-phap", 2021, "cbcc_th", "tr_ethics", 50);
    /* so-xay-dung: tr_law rejected in its own row; its parts have one */
    put(&f, "so-xay-dung", 2021, "cbcc_th", "headcount", 40);
    put(&f, "so-xay-dung", 2021, "cbcc_th", "tr_law", 40)->rejected = true;
    put(&f, "so-xay-dung", 2021, "cbcc_th", "tr_ethics", 1);
    put2(&f, "so-xay-dung", 2021, "cb_th", "tr_law", 10, 20);
    put2(&f, "so-xay-dung", 2021, "cc_th", "tr_law", 10, 20);
    /* so-du-lich: only a superseded report */
    put(&f, "so-du-lich", 2021, "cbcc_th", "tr_law", 5)->superseded = true;
    put(&f, "so-du-lich", 2021, "cbcc_th", "headcount", 5)->superseded = true;
    compute(&f, 0, 0);
    expect(&f.a, "T01", 2021, SCOPE_PROVINCE, "", 8, 10, ATT_MET);
    expect(&f.a, "T01", 2021, SCOPE_UNIT, "so-y-te", 8, 10, ATT_MET);
    expect_empty(&f.a, "T01", 2021, SCOPE_UNIT, "so-tu-phap");
    expect_empty(&f.a, "T01", 2021, SCOPE_UNIT, "so-xay-dung");
    expect_empty(&f.a, "T01", 2021, SCOPE_UNIT, "so-du-lich");
    /* T02 has both for so-tu-phap and so-xay-dung */
    expect(&f.a, "T02", 2021, SCOPE_PROVINCE, "", 51, 140, ATT_NOT_MET);
    fx_free(&f);
}

/* No denominator, or Σ denominator = 0 → no_data, never 0 %. */
static void test_no_data_when_denominator_missing_or_zero(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    /* an agency without viên chức: row IV with zeros */
    put2(&f, "thanh-tra", 2021, "vc", "tr_ethics", 0, 0);
    /* a numerator without headcount */
    put(&f, "so-y-te", 2021, "vc", "tr_ethics", 30);
    put(&f, "so-y-te", 2021, "vc", "tr_skills", 30);
    compute(&f, 0, 0);
    expect(&f.a, "T11", 2021, SCOPE_UNIT, "thanh-tra", 0, 0, ATT_NO_DATA);
    expect(&f.a, "T11", 2021, SCOPE_PROVINCE, "", 0, 0, ATT_NO_DATA);
    expect(&f.a, "T11", 2021, SCOPE_KIND, "agency", 0, 0, ATT_NO_DATA);
    expect_empty(&f.a, "T11", 2021, SCOPE_UNIT, "so-y-te");
    expect_empty(&f.a, "T11", 2021, SCOPE_KIND, "district");
    fx_free(&f);
}

/* ---- groups -------------------------------------------------------------------------- */

/* cbcc_xa from cb_xa + cc_xa when only the parts are reported; the own row
 * when present (its parts are not added to it); a part lacking the cell
 * makes the group missing. */
static void test_group_from_parts(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "h-an-bien", 2022, "cb_xa", "tr_skills", 30, 50);
    put2(&f, "h-an-bien", 2022, "cc_xa", "tr_skills", 40, 60);
    put2(&f, "h-an-minh", 2022, "cbcc_xa", "tr_skills", 10, 20);
    put2(&f, "h-an-minh", 2022, "cb_xa", "tr_skills", 5, 10);
    put2(&f, "h-an-minh", 2022, "cc_xa", "tr_skills", 5, 10);
    put2(&f, "h-go-quao", 2022, "cb_xa", "tr_skills", 9, 10);
    put(&f, "h-go-quao", 2022, "cc_xa", "headcount", 10);
    put(&f, "h-go-quao", 2022, "cc_xa", "tr_law", 3);      /* B02 row without tr_skills */
    compute(&f, 0, 0);
    expect(&f.a, "T06", 2022, SCOPE_UNIT, "h-an-bien", 70, 110, ATT_MET);
    expect(&f.a, "T06", 2022, SCOPE_UNIT, "h-an-minh", 10, 20, ATT_NOT_MET);
    expect_empty(&f.a, "T06", 2022, SCOPE_UNIT, "h-go-quao");
    expect(&f.a, "T06", 2022, SCOPE_KIND, "district", 80, 130, ATT_MET);
    expect(&f.a, "T06", 2022, SCOPE_PROVINCE, "", 80, 130, ATT_MET);
    /* T05 is on the part cc_xa itself */
    expect_empty(&f.a, "T05", 2022, SCOPE_UNIT, "h-an-bien");    /* no qual_fit */
    fx_free(&f);
}

/* vc_ql ⊂ vc: never added to vc; a unit with only vc_ql has no vc figure. */
static void test_subset_never_added_to_whole(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "so-y-te", 2023, "vc", "tr_ethics", 61, 100);
    put2(&f, "so-y-te", 2023, "vc_ql", "tr_ethics", 10, 10);
    put(&f, "so-y-te", 2023, "vc_ql", "mgmt_before_appt", 9);
    put2(&f, "so-tu-phap", 2023, "vc_ql", "tr_ethics", 5, 5);
    put(&f, "so-tu-phap", 2023, "vc_ql", "mgmt_before_appt", 5);
    compute(&f, 0, 0);
    expect(&f.a, "T11", 2023, SCOPE_PROVINCE, "", 61, 100, ATT_MET);
    expect(&f.a, "T11", 2023, SCOPE_UNIT, "so-y-te", 61, 100, ATT_MET);
    expect_empty(&f.a, "T11", 2023, SCOPE_UNIT, "so-tu-phap");
    expect(&f.a, "T10", 2023, SCOPE_PROVINCE, "", 14, 15, ATT_ON_TRACK);
    fx_free(&f);
}

/* ---- statuses ------------------------------------------------------------------------- */

/* met exactly at the boundary: numerator == target × denominator. */
static void test_met_exactly_at_boundary(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "so-y-te", 2021, "cbcc_th", "tr_law", 80, 100);      /* T01 0.8 */
    put2(&f, "so-tu-phap", 2021, "cbcc_th", "tr_law", 79, 100);
    put2(&f, "h-an-bien", 2021, "cbcc_xa", "tr_skills", 3, 5);    /* T06 0.6 */
    put2(&f, "h-an-minh", 2021, "kct_xa", "trained_2y", 7, 7);
    put2(&f, "h-an-minh", 2022, "kct_xa", "trained_2y", 7, 7);    /* T08 1.0 */
    put2(&f, "so-y-te", 2022, "cbcc_th", "tr_skills", 70, 100);   /* T03 0.7 */
    compute(&f, 0, 0);
    expect(&f.a, "T01", 2021, SCOPE_UNIT, "so-y-te", 80, 100, ATT_MET);
    expect(&f.a, "T01", 2021, SCOPE_UNIT, "so-tu-phap", 79, 100, ATT_NOT_MET);
    expect(&f.a, "T06", 2021, SCOPE_UNIT, "h-an-bien", 3, 5, ATT_MET);
    expect(&f.a, "T08", 2022, SCOPE_UNIT, "h-an-minh", 7, 7, ATT_MET);
    expect(&f.a, "T03", 2022, SCOPE_UNIT, "so-y-te", 70, 100, ATT_MET);
    fx_free(&f);
}

/* T09 (by 2025, target 1): the straight line from the first observed year's
 * ratio to the target, hand-computed. so-y-te: r0 = 0.2 in 2021, line 0.4
 * (2022), 0.6 (2023), 0.8 (2024); 2023's 60/100 lies exactly on the line
 * (double arithmetic puts the line at 0.6000000000000001). so-tu-phap starts in
 * 2022: r0 = 0.1, line(2023) = 0.1 + 0.9/3 = 0.4. */
static void test_trajectory_on_track_or_behind(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "so-y-te", 2021, "vc", "title_std_cum", 2, 10);
    put2(&f, "so-y-te", 2022, "vc", "title_std_cum", 39, 100);
    put2(&f, "so-y-te", 2023, "vc", "title_std_cum", 60, 100);
    put2(&f, "so-y-te", 2024, "vc", "title_std_cum", 81, 100);
    put2(&f, "so-y-te", 2025, "vc", "title_std_cum", 99, 100);
    put2(&f, "so-tu-phap", 2022, "vc", "title_std_cum", 10, 100);
    put2(&f, "so-tu-phap", 2023, "vc", "title_std_cum", 39, 100);
    put2(&f, "so-tu-phap", 2025, "vc", "title_std_cum", 100, 100);
    compute(&f, 0, 0);
    expect(&f.a, "T09", 2021, SCOPE_UNIT, "so-y-te", 2, 10, ATT_ON_TRACK);
    expect(&f.a, "T09", 2022, SCOPE_UNIT, "so-y-te", 39, 100, ATT_BEHIND);
    expect(&f.a, "T09", 2023, SCOPE_UNIT, "so-y-te", 60, 100, ATT_ON_TRACK);
    expect(&f.a, "T09", 2024, SCOPE_UNIT, "so-y-te", 81, 100, ATT_ON_TRACK);
    expect(&f.a, "T09", 2025, SCOPE_UNIT, "so-y-te", 99, 100, ATT_NOT_MET);
    expect_empty(&f.a, "T09", 2021, SCOPE_UNIT, "so-tu-phap");
    expect(&f.a, "T09", 2022, SCOPE_UNIT, "so-tu-phap", 10, 100, ATT_ON_TRACK);
    expect(&f.a, "T09", 2023, SCOPE_UNIT, "so-tu-phap", 39, 100, ATT_BEHIND);
    expect_empty(&f.a, "T09", 2024, SCOPE_UNIT, "so-tu-phap");
    expect(&f.a, "T09", 2025, SCOPE_UNIT, "so-tu-phap", 100, 100, ATT_MET);
    /* the province: r0 = 0.2 (2021); 2022: 49/200 < 0.4 */
    expect(&f.a, "T09", 2021, SCOPE_PROVINCE, "", 2, 10, ATT_ON_TRACK);
    expect(&f.a, "T09", 2022, SCOPE_PROVINCE, "", 49, 200, ATT_BEHIND);
    expect(&f.a, "T09", 2025, SCOPE_PROVINCE, "", 199, 200, ATT_NOT_MET);

    /* an output range keeps the trajectory's start (2021, not 2023) */
    attainment_free(&f.a);
    compute(&f, 2023, 2024);
    assert_null(row_of(&f.a, "T09", 2021, SCOPE_UNIT, "so-y-te"));
    assert_null(row_of(&f.a, "T09", 2025, SCOPE_UNIT, "so-y-te"));
    expect(&f.a, "T09", 2023, SCOPE_UNIT, "so-y-te", 60, 100, ATT_ON_TRACK);
    expect(&f.a, "T09", 2023, SCOPE_UNIT, "so-tu-phap", 39, 100, ATT_BEHIND);
    for (size_t i = 0; i < f.a.n; i++)
        assert_true(f.a.rows[i].year >= 2023 && f.a.rows[i].year <= 2024);
    fx_free(&f);
}

/* T08 (rolling, first_year 2022) has no 2021 rows, whatever was reported. */
static void test_rolling_from_first_year(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "h-an-bien", 2021, "kct_xa", "trained_2y", 50, 50);
    put2(&f, "h-an-bien", 2022, "kct_xa", "trained_2y", 49, 50);
    compute(&f, 0, 0);
    for (size_t i = 0; i < f.a.n; i++)
        if (strcmp(f.a.rows[i].ind->id, "T08") == 0) assert_true(f.a.rows[i].year >= 2022);
    assert_null(row_of(&f.a, "T08", 2021, SCOPE_PROVINCE, ""));
    expect(&f.a, "T08", 2022, SCOPE_UNIT, "h-an-bien", 49, 50, ATT_NOT_MET);
    expect(&f.a, "T08", 2022, SCOPE_PROVINCE, "", 49, 50, ATT_NOT_MET);
    expect_empty(&f.a, "T08", 2023, SCOPE_PROVINCE, "");
    fx_free(&f);
}

/* T13 (hdnd, deadline 2026): 2025 is still on a trajectory (never met /
 * not_met); hdnd from its three parts. r0 = 10/100 (2021); line(2024) =
 * 0.1 + 0.9 × 3/5 = 0.64, line(2025) = 0.82. */
static void test_t13_deadline_2026(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "h-an-bien", 2021, "hdnd_tinh", "term_trained", 2, 10);
    put2(&f, "h-an-bien", 2021, "hdnd_huyen", "term_trained", 3, 30);
    put2(&f, "h-an-bien", 2021, "hdnd_xa", "term_trained", 5, 60);
    put2(&f, "h-an-bien", 2024, "hdnd", "term_trained", 63, 100);
    put2(&f, "h-an-bien", 2025, "hdnd", "term_trained", 82, 100);
    compute(&f, 0, 0);
    expect(&f.a, "T13", 2021, SCOPE_UNIT, "h-an-bien", 10, 100, ATT_ON_TRACK);
    expect(&f.a, "T13", 2024, SCOPE_UNIT, "h-an-bien", 63, 100, ATT_BEHIND);
    expect(&f.a, "T13", 2025, SCOPE_UNIT, "h-an-bien", 82, 100, ATT_ON_TRACK);
    expect(&f.a, "T13", 2025, SCOPE_PROVINCE, "", 82, 100, ATT_ON_TRACK);
    for (size_t i = 0; i < f.a.n; i++)
        if (strcmp(f.a.rows[i].ind->id, "T13") == 0)
            assert_true(f.a.rows[i].status != ATT_MET && f.a.rows[i].status != ATT_NOT_MET);
    fx_free(&f);
}

/* ---- units ---------------------------------------------------------------------------- */

/* 2025: so-lao-dong-tbxh's report is excluded (so-noi-vu reported too) and
 * its row is no_data; so-giao-thong-van-tai's counts (so-xay-dung did not
 * report); the new so-nong-nghiep-moi-truong has rows only from 2025 and
 * starts its trajectory from its predecessors' first figures; so-noi-vu,
 * which existed, keeps its own series. */
static void test_merger_year(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "so-noi-vu", 2025, "cbcc_th", "tr_law", 40, 50);
    put(&f, "so-lao-dong-tbxh", 2025, "cbcc_th", "tr_law", 10)->excluded = true;
    put(&f, "so-lao-dong-tbxh", 2025, "cbcc_th", "headcount", 100)->excluded = true;
    put2(&f, "so-giao-thong-van-tai", 2025, "cbcc_th", "tr_law", 8, 10);
    /* T13 trajectories: predecessors 2021 = (10 + 30) / 200 = 0.2;
     * line(2025) = 0.2 + 0.8 × 4/5 = 0.84 */
    put2(&f, "so-nong-nghiep-ptnt", 2021, "hdnd", "term_trained", 10, 100);
    put2(&f, "so-tai-nguyen-moi-truong", 2021, "hdnd", "term_trained", 30, 100);
    put2(&f, "so-nong-nghiep-moi-truong", 2025, "hdnd", "term_trained", 80, 100);
    /* so-noi-vu: first own figures 2022 (its predecessor had 2021) */
    put2(&f, "so-lao-dong-tbxh", 2021, "hdnd", "term_trained", 90, 100);
    put2(&f, "so-noi-vu", 2022, "hdnd", "term_trained", 10, 100);
    compute(&f, 0, 0);
    expect(&f.a, "T01", 2025, SCOPE_PROVINCE, "", 48, 60, ATT_MET);
    expect(&f.a, "T01", 2025, SCOPE_UNIT, "so-noi-vu", 40, 50, ATT_MET);
    expect_empty(&f.a, "T01", 2025, SCOPE_UNIT, "so-lao-dong-tbxh");
    expect(&f.a, "T01", 2025, SCOPE_UNIT, "so-giao-thong-van-tai", 8, 10, ATT_MET);
    expect_empty(&f.a, "T01", 2025, SCOPE_UNIT, "so-xay-dung");
    expect_empty(&f.a, "T01", 2025, SCOPE_UNIT, "so-nong-nghiep-moi-truong");
    assert_null(row_of(&f.a, "T01", 2024, SCOPE_UNIT, "so-nong-nghiep-moi-truong"));
    assert_null(row_of(&f.a, "T01", 2021, SCOPE_UNIT, "so-dan-toc-ton-giao"));
    expect(&f.a, "T13", 2025, SCOPE_UNIT, "so-nong-nghiep-moi-truong", 80, 100, ATT_BEHIND);
    expect(&f.a, "T13", 2022, SCOPE_UNIT, "so-noi-vu", 10, 100, ATT_ON_TRACK);
    fx_free(&f);
}

/* The provider is never counted, even when validation did not exclude it;
 * an unknown unit code is not counted either. */
static void test_provider_never_counted(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "truong-chinh-tri", 2021, "cbcc_th", "tr_law", 500, 500);
    put2(&f, "khong-co", 2021, "cbcc_th", "tr_law", 500, 500);
    put2(&f, "so-y-te", 2021, "cbcc_th", "tr_law", 1, 10);
    compute(&f, 0, 0);
    expect(&f.a, "T01", 2021, SCOPE_PROVINCE, "", 1, 10, ATT_NOT_MET);
    expect(&f.a, "T01", 2021, SCOPE_KIND, "agency", 1, 10, ATT_NOT_MET);
    assert_null(row_of(&f.a, "T01", 2021, SCOPE_UNIT, "truong-chinh-tri"));
    assert_null(row_of(&f.a, "T01", 2021, SCOPE_UNIT, "khong-co"));
    fx_free(&f);
}

/* Rows: per indicator, years × (province + agency + district + active units). */
static void test_row_set(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    compute(&f, 0, 0);
    size_t expected = 0;
    for (size_t i = 0; i < f.cfg->n_indicators; i++) {
        const struct config_indicator *ind = &f.cfg->indicators[i];
        for (int y = ind->first_year; y <= f.cfg->plan.last_year; y++) {
            expected += 3;
            for (size_t u = 0; u < f.cfg->n_units; u++)
                expected += f.cfg->units[u].kind != CONFIG_PROVIDER &&
                            config_unit_active_in_year(&f.cfg->units[u], y);
        }
    }
    assert_int_equal(f.a.n, expected);
    assert_int_equal(f.cfg->n_indicators, 13);   /* the plan's; T08 from 2022 */
    for (size_t i = 0; i < f.a.n; i++) {
        assert_int_equal(f.a.rows[i].status, ATT_NO_DATA);
        assert_false(f.a.rows[i].has_sums);
    }
    /* order: province first, then the kinds, then units by code */
    assert_int_equal(f.a.rows[0].scope, SCOPE_PROVINCE);
    assert_string_equal(f.a.rows[0].ind->id, "T01");
    assert_int_equal(f.a.rows[0].year, 2021);
    assert_string_equal(f.a.rows[5].unit, "agency");
    assert_string_equal(f.a.rows[10].unit, "district");
    assert_string_equal(f.a.rows[15].unit, "ban-dan-toc");
    fx_free(&f);
}

/* ---- a 14th indicator through the config -------------------------------------------- */

static void test_fourteenth_indicator_from_config_file(void **state)
{
    (void)state;
    size_t len;
    const char *text = config_default_text(&len);
    char path[] = "/tmp/dtbd-test-indicators-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *out = fdopen(fd, "w");
    assert_non_null(out);
    fwrite(text, 1, len, out);
    fputs("  - id: T14\n"
          "    label: Viên chức được bồi dưỡng tin học\n"
          "    group: vc\n"
          "    clause: III.2.c\n"
          "    numerator: [it, foreign_lang]\n"
          "    denominator: headcount\n"
          "    kind: by_deadline\n"
          "    deadline: 2024\n"
          "    first_year: 2023\n"
          "    target: 0.5\n"
          "    wording: Thử một chỉ tiêu thứ 14.\n", out);
    assert_int_equal(fclose(out), 0);
    struct config_error err;
    struct config *cfg = config_load_file(path, &err);
    unlink(path);
    if (!cfg) {
        char msg[1400];
        config_error_format(&err, msg, sizeof msg);
        fail_msg("%s", msg);
    }
    assert_int_equal(cfg->n_indicators, 14);
    fixture f;
    fx_init(&f);
    config_free(f.cfg);
    f.cfg = cfg;
    f.r.cfg = cfg; /* the records are resolved against the configuration used */
    put2(&f, "so-y-te", 2023, "vc", "it", 20, 100);
    put(&f, "so-y-te", 2023, "vc", "foreign_lang", 10);
    put2(&f, "so-y-te", 2024, "vc", "it", 25, 100);
    put(&f, "so-y-te", 2024, "vc", "foreign_lang", 25);
    put2(&f, "so-y-te", 2025, "vc", "it", 20, 100);
    put(&f, "so-y-te", 2025, "vc", "foreign_lang", 19);
    compute(&f, 0, 0);
    assert_null(row_of(&f.a, "T14", 2022, SCOPE_PROVINCE, ""));
    expect(&f.a, "T14", 2023, SCOPE_PROVINCE, "", 30, 100, ATT_ON_TRACK);
    expect(&f.a, "T14", 2024, SCOPE_UNIT, "so-y-te", 50, 100, ATT_MET);      /* deadline, boundary */
    expect(&f.a, "T14", 2025, SCOPE_UNIT, "so-y-te", 39, 100, ATT_NOT_MET);  /* after it */
    expect_empty(&f.a, "T14", 2023, SCOPE_KIND, "district");
    fx_free(&f);
}

/* ---- text outputs ---------------------------------------------------------------------- */

/* The ratio: the exact fraction rounded half-even to 6 decimals. */
static void test_ratio_text_rounding(void **state)
{
    (void)state;
    static const struct { double n, d; const char *text; } cases[] = {
        {91, 110, "0.827273"}, {13, 16, "0.8125"}, {1, 1, "1"}, {0, 5, "0"},
        {1, 128, "0.007812"},  {3, 128, "0.023438"}, {7, 11, "0.636364"},
        {5, 4, "1.25"},        {1, 3, "0.333333"},   {280.5, 392, "0.715561"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        attainment_row r = {.has_sums = true, .numerator = cases[i].n,
                            .denominator = cases[i].d, .has_ratio = true,
                            .ratio = cases[i].n / cases[i].d};
        char out[32];
        indicators_ratio_text(&r, out);
        assert_string_equal(out, cases[i].text);
    }
    attainment_row none = {.has_sums = true};
    char out[32];
    indicators_ratio_text(&none, out);
    assert_string_equal(out, "");
}

/* attainment.csv: DESIGN §7 columns; empty sums and ratio for no_data. */
static void test_csvout_attainment(void **state)
{
    (void)state;
    fixture f;
    fx_init(&f);
    put2(&f, "so-y-te", 2021, "cbcc_th", "tr_law", 1, 10);
    put2(&f, "so-tu-phap", 2021, "cbcc_th", "tr_law", 90, 100);
    compute(&f, 2021, 2021);
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    assert_non_null(m);
    assert_int_equal(csvout_attainment(m, &f.a), 0);
    fclose(m);
    const char *head = "indicator,year,scope,unit,numerator,denominator,ratio,target,status\n"
                       "T01,2021,province,,91,110,0.827273,0.8,met\n"
                       "T01,2021,kind,agency,91,110,0.827273,0.8,met\n"
                       "T01,2021,kind,district,,,,0.8,no_data\n"
                       "T01,2021,unit,ban-dan-toc,,,,0.8,no_data\n";
    assert_memory_equal(text, head, strlen(head));
    assert_non_null(strstr(text, "\nT01,2021,unit,so-y-te,1,10,0.1,0.8,not_met\n"));
    assert_non_null(strstr(text, "\nT09,2021,province,,,,,1,no_data\n"));
    assert_null(strstr(text, "T08,2021"));
    free(text);

    size_t met, not_met, behind;
    indicators_summary(&f.a, 2021, &met, &not_met, &behind);
    assert_int_equal(met, 1);
    assert_int_equal(not_met, 0);
    assert_int_equal(behind, 0);
    /* The summary names every status with the config's words, no_data too. */
    char line[1024];
    indicators_summary_text(&f.a, 2021, line, sizeof line);
    assert_non_null(strstr(line, "1 Đạt (T01)"));
    assert_non_null(strstr(line, " Chưa có số liệu (T02, "));
    assert_null(strstr(line, "T08"));                 /* T08 starts in 2022 */
    indicators_summary_text(&f.a, 2021, line, 8);     /* cut, still a string */
    assert_true(strlen(line) < 8);
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sum_of_sums_not_average_of_ratios),
        cmocka_unit_test(test_unit_missing_column_left_out_of_both_sums),
        cmocka_unit_test(test_no_data_when_denominator_missing_or_zero),
        cmocka_unit_test(test_group_from_parts),
        cmocka_unit_test(test_subset_never_added_to_whole),
        cmocka_unit_test(test_met_exactly_at_boundary),
        cmocka_unit_test(test_trajectory_on_track_or_behind),
        cmocka_unit_test(test_rolling_from_first_year),
        cmocka_unit_test(test_t13_deadline_2026),
        cmocka_unit_test(test_merger_year),
        cmocka_unit_test(test_provider_never_counted),
        cmocka_unit_test(test_row_set),
        cmocka_unit_test(test_fourteenth_indicator_from_config_file),
        cmocka_unit_test(test_ratio_text_rounding),
        cmocka_unit_test(test_csvout_attainment),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
