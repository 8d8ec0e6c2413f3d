/* tests/unit/test_validate.c — validation and resubmissions (pipeline/validate.h).
 *
 * Each test builds a run's results in memory (sources, records, "Tổng cộng"
 * values) against the default configuration, runs validate_run() and looks at
 * the findings, the records' flags and the sources' statuses. For every rule:
 * an input that trips it and one that does not. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "pipeline/results.h"
#include "pipeline/validate.h"

/* ---- fixtures -------------------------------------------------------------------- */

static struct config *cfg;
static results res;

static int setup_all(void **state)
{
    (void)state;
    struct config_error err;
    cfg = config_load_default(&err);
    return cfg ? 0 : -1;
}

static int teardown_all(void **state)
{
    (void)state;
    config_free(cfg);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    results_init(&res, cfg);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    results_free(&res);
    return 0;
}

/* An accepted source of unit for year, with a footer date (YYYYMMDD or 0) and mtime. */
static uint32_t src(const char *path, const char *unit, int year, int date, int64_t mtime)
{
    uint32_t s = results_add_source(&res, path);
    assert_int_not_equal(s, RESULTS_NO_SOURCE);
    res.sources[s].unit = results_str(&res, unit);
    res.sources[s].year = year;
    res.sources[s].report_date = date;
    res.sources[s].mtime = mtime;
    res.sources[s].status = SRC_ACCEPTED;
    return s;
}

/* A record of source s at (row, col) of sheet "Bieu0<table>"; returns its index. The
 * cell counts as read and recorded, so the reconciliation can be checked. */
static size_t rec(uint32_t s, int table, const char *group, const char *metric, const char *bd, double value,
                  uint32_t row, uint32_t col)
{
    char sheet[16];
    snprintf(sheet, sizeof sheet, "Bieu0%d", table);
    record r = { .source = s, .unit = res.sources[s].unit, .year = res.sources[s].year, .table = table,
                 .group = group, .metric = metric, .breakdown = bd, .value = value, .sheet = sheet,
                 .row = row, .col = col };
    assert_non_null(results_add_record(&res, &r));
    res.sources[s].cells_read++;
    res.sources[s].cells_recorded++;
    return res.nrecords - 1;
}

/* A "Tổng cộng" value of source s. */
static void total(uint32_t s, int table, const char *metric, const char *bd, double value, uint32_t row,
                  uint32_t col)
{
    char sheet[16];
    snprintf(sheet, sizeof sheet, "Bieu0%d", table);
    record r = { .source = s, .unit = res.sources[s].unit, .year = res.sources[s].year, .table = table,
                 .group = "total", .metric = metric, .breakdown = bd, .value = value, .sheet = sheet,
                 .row = row, .col = col };
    assert_non_null(results_add_total(&res, &r));
}

/* Findings of a rule. */
static size_t count(const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < res.nfindings; i++) n += strcmp(res.findings[i].rule, rule) == 0;
    return n;
}

/* The first finding of a rule (NULL when none). */
static const finding *first(const char *rule)
{
    for (size_t i = 0; i < res.nfindings; i++)
        if (strcmp(res.findings[i].rule, rule) == 0) return &res.findings[i];
    return NULL;
}

/* The finding of a rule about unit and year (NULL when none). */
static const finding *about(const char *rule, const char *unit, int year)
{
    for (size_t i = 0; i < res.nfindings; i++)
        if (strcmp(res.findings[i].rule, rule) == 0 && strcmp(res.findings[i].unit, unit) == 0 &&
            res.findings[i].year == year)
            return &res.findings[i];
    return NULL;
}

/* Findings other than unit_missing_report (coverage always adds some in small runs). */
static size_t count_other(void)
{
    return res.nfindings - count("unit_missing_report");
}

/* Every source still reconciles its cells. */
static void assert_reconciled(void)
{
    for (size_t s = 0; s < res.nsources; s++) {
        const source_file *f = &res.sources[s];
        assert_int_equal(f->cells_read, f->cells_recorded + f->cells_rejected + f->cells_outside);
    }
}

/* A clean agency Biểu 01 (rows cbcc_th and vc with vc_ql): headcount all/female/ethnic. */
static void agency_b01(uint32_t s, double th, double vc)
{
    rec(s, 1, "cbcc_th", "headcount", "all", th, 11, 2);
    rec(s, 1, "cbcc_th", "headcount", "female", floor(th / 2), 11, 3);
    rec(s, 1, "cbcc_th", "headcount", "ethnic", 0, 11, 4);
    rec(s, 1, "vc", "headcount", "all", vc, 12, 2);
    rec(s, 1, "vc", "headcount", "female", floor(vc / 2), 12, 3);
    rec(s, 1, "vc", "headcount", "ethnic", 1, 12, 4);
    rec(s, 1, "vc_ql", "headcount", "all", 10, 13, 2);
    rec(s, 1, "vc_ql", "headcount", "female", 4, 13, 3);
    rec(s, 1, "vc_ql", "headcount", "ethnic", 0, 13, 4);
}

/* A clean agency Biểu 02 (tr_law of cbcc_th, vc, vc_ql). */
static void agency_b02(uint32_t s, double th, double vc)
{
    rec(s, 2, "cbcc_th", "tr_law", "all", th, 11, 2);
    rec(s, 2, "vc", "tr_law", "all", vc, 12, 2);
    rec(s, 2, "vc_ql", "tr_law", "all", 5, 13, 2);
}

/* ---- counts ---------------------------------------------------------------------- */

static void test_validate_negative_count(void **state)
{
    (void)state;
    uint32_t s = src("a.xlsx", "so-tu-phap", 2023, 0, 1);
    agency_b01(s, 100, 40);
    size_t bad = rec(s, 2, "cbcc_th", "it", "all", -5, 11, 50);
    size_t ok = rec(s, 2, "vc", "it", "all", 0, 12, 50);
    validate_run(cfg, &res);
    assert_int_equal(count("negative_count"), 1);
    const finding *f = first("negative_count");
    assert_int_equal(f->sev, SEV_ERROR);
    assert_string_equal(f->cell, "AY12");
    assert_string_equal(f->sheet, "Bieu02");
    assert_string_equal(f->unit, "so-tu-phap");
    assert_int_equal(f->year, 2023);
    assert_non_null(strstr(f->message, "-5"));
    assert_true(res.records[bad].rejected);
    assert_false(res.records[ok].rejected);
    assert_int_equal(res.sources[s].cells_rejected, 1);
    assert_reconciled();
}

static void test_validate_fractional_count_but_money_may_be_fractional(void **state)
{
    (void)state;
    uint32_t s = src("a.xlsx", "so-tu-phap", 2023, 0, 1);
    agency_b01(s, 100, 40);
    size_t bad = rec(s, 1, "vc", "qual_univ", "all", 12.5, 12, 8);
    size_t money = rec(s, 3, "funding", "budget_spent", "local", 125.5, 10, 2);
    rec(s, 3, "funding", "budget_spent", "total", 125.5, 10, 6);
    validate_run(cfg, &res);
    assert_int_equal(count("fractional_count"), 1);
    assert_string_equal(first("fractional_count")->cell, "I13");
    assert_true(res.records[bad].rejected);
    assert_false(res.records[money].rejected);
    assert_int_equal(count_other(), 1);
}

/* ---- part over whole ------------------------------------------------------------- */

static void test_validate_part_over_whole_female_over_all(void **state)
{
    (void)state;
    uint32_t s = src("a.xlsx", "so-ngoai-vu", 2023, 0, 1);
    agency_b01(s, 100, 40);
    size_t all = rec(s, 1, "cc_th", "headcount", "all", 100, 20, 2);
    size_t fem = rec(s, 1, "cc_th", "headcount", "female", 120, 20, 3);
    size_t eq = rec(s, 1, "cc_th", "headcount", "ethnic", 100, 20, 4);   /* equal is fine */
    validate_run(cfg, &res);
    assert_int_equal(count("part_over_whole"), 1);
    const finding *f = first("part_over_whole");
    assert_string_equal(f->cell, "D21");
    assert_non_null(strstr(f->message, "120"));
    assert_non_null(strstr(f->message, "100"));
    assert_true(res.records[fem].rejected);                 /* the part, not the whole */
    assert_false(res.records[all].rejected);
    assert_false(res.records[eq].rejected);
}

static void test_validate_part_over_whole_metric_subset(void **state)
{
    (void)state;
    uint32_t s = src("a.xlsx", "tp-rach-gia", 2022, 0, 1);
    rec(s, 1, "kct_xa", "headcount", "all", 300, 14, 2);
    rec(s, 1, "kct_xa", "kinh_in_ethnic_area", "all", 22, 14, 11);
    size_t bad = rec(s, 1, "kct_xa", "ethnic_lang_ok", "all", 27, 14, 12);
    rec(s, 1, "vc", "headcount", "all", 300, 15, 2);
    rec(s, 1, "vc", "kinh_in_ethnic_area", "all", 22, 15, 11);
    size_t ok = rec(s, 1, "vc", "ethnic_lang_ok", "all", 22, 15, 12);
    validate_run(cfg, &res);
    assert_int_equal(count("part_over_whole"), 1);
    assert_string_equal(first("part_over_whole")->cell, "M15");
    assert_true(res.records[bad].rejected);
    assert_false(res.records[ok].rejected);
}

static void test_validate_part_over_whole_trained_over_headcount_across_files(void **state)
{
    (void)state;
    /* Biểu 01 and Biểu 02 in separate files (one CSV per table) */
    uint32_t b1 = src("b01.csv", "h-giong-rieng", 2024, 0, 1);
    uint32_t b2 = src("b02.csv", "h-giong-rieng", 2024, 0, 1);
    rec(b1, 1, "cbcc_th", "headcount", "all", 278, 12, 2);
    rec(b1, 1, "vc", "headcount", "all", 500, 13, 2);
    size_t bad = rec(b2, 2, "cbcc_th", "tr_ethics", "all", 290, 28, 38);
    size_t ok = rec(b2, 2, "vc", "tr_ethics", "all", 500, 29, 38);
    size_t visits = rec(b2, 2, "vc", "person_times", "all", 900, 29, 60);   /* lượt: may exceed */
    size_t persons = rec(b2, 2, "vc", "persons", "all", 450, 29, 59);
    validate_run(cfg, &res);
    assert_int_equal(count("part_over_whole"), 1);
    const finding *f = first("part_over_whole");
    assert_string_equal(f->cell, "AM29");
    assert_int_equal(f->source, b2);
    assert_true(res.records[bad].rejected);
    assert_false(res.records[ok].rejected);
    assert_false(res.records[visits].rejected);
    assert_false(res.records[persons].rejected);
}

static void test_validate_part_over_whole_subset_group_and_numerator_sum(void **state)
{
    (void)state;
    uint32_t s = src("a.xlsx", "h-an-bien", 2022, 0, 1);
    rec(s, 1, "vc", "headcount", "all", 40, 12, 2);
    size_t ql = rec(s, 1, "vc_ql", "headcount", "all", 50, 13, 2);          /* vc_ql > vc */
    /* T04: qual_postgrad + qual_univ ≤ headcount, each alone is fine */
    rec(s, 1, "cbcc_xa", "headcount", "all", 100, 14, 2);
    size_t pg = rec(s, 1, "cbcc_xa", "qual_postgrad", "all", 40, 14, 5);
    size_t un = rec(s, 1, "cbcc_xa", "qual_univ", "all", 70, 14, 6);
    rec(s, 1, "kct_xa", "headcount", "all", 100, 15, 2);
    size_t pg2 = rec(s, 1, "kct_xa", "qual_postgrad", "all", 40, 15, 5);
    size_t un2 = rec(s, 1, "kct_xa", "qual_univ", "all", 60, 15, 6);
    validate_run(cfg, &res);
    assert_int_equal(count("part_over_whole"), 2);
    assert_true(res.records[ql].rejected);
    assert_true(res.records[pg].rejected);
    assert_true(res.records[un].rejected);
    assert_false(res.records[pg2].rejected);
    assert_false(res.records[un2].rejected);
}

/* ---- parts and totals ------------------------------------------------------------ */

static void test_validate_parts_sum_mismatch_rejects_the_group_row(void **state)
{
    (void)state;
    uint32_t s = src("a.xlsx", "h-an-minh", 2024, 0, 1);
    size_t grp = rec(s, 1, "cbcc_xa", "headcount", "female", 231, 12, 3);
    size_t p1 = rec(s, 1, "cb_xa", "headcount", "female", 100, 13, 3);
    size_t p2 = rec(s, 1, "cc_xa", "headcount", "female", 122, 14, 3);
    /* adds up: no finding */
    size_t ok = rec(s, 1, "cbcc_xa", "headcount", "all", 500, 12, 2);
    rec(s, 1, "cb_xa", "headcount", "all", 200, 13, 2);
    rec(s, 1, "cc_xa", "headcount", "all", 300, 14, 2);
    /* vc_ql is a subset of vc, not a part: no check */
    size_t vc = rec(s, 1, "vc", "headcount", "all", 40, 15, 2);
    rec(s, 1, "vc_ql", "headcount", "all", 10, 16, 2);
    /* a part missing: nothing to compare */
    size_t th = rec(s, 1, "cbcc_th", "headcount", "all", 90, 17, 2);
    rec(s, 1, "cb_th", "headcount", "all", 10, 18, 2);
    validate_run(cfg, &res);
    assert_int_equal(count("parts_sum_mismatch"), 1);
    const finding *f = first("parts_sum_mismatch");
    assert_string_equal(f->cell, "D13");
    assert_non_null(strstr(f->message, "222"));
    assert_true(res.records[grp].rejected);
    assert_false(res.records[p1].rejected);
    assert_false(res.records[p2].rejected);
    assert_false(res.records[ok].rejected);
    assert_false(res.records[vc].rejected);
    assert_false(res.records[th].rejected);
}

static void test_validate_parts_sum_mismatch_funding_sources(void **state)
{
    (void)state;
    uint32_t s = src("a.xlsx", "so-tu-phap", 2022, 0, 1);
    rec(s, 3, "funding", "budget_planned", "local", 100, 10, 2);
    rec(s, 3, "funding", "budget_planned", "central", 50.5, 10, 3);
    rec(s, 3, "funding", "budget_planned", "agency", 0, 10, 4);
    rec(s, 3, "funding", "budget_planned", "sponsor", 0, 10, 5);
    size_t ok = rec(s, 3, "funding", "budget_planned", "total", 150.7, 10, 6);   /* within 0.5 */
    rec(s, 3, "funding", "budget_spent", "local", 100, 11, 2);
    rec(s, 3, "funding", "budget_spent", "central", 50, 11, 3);
    rec(s, 3, "funding", "budget_spent", "agency", 0, 11, 4);
    rec(s, 3, "funding", "budget_spent", "sponsor", 0, 11, 5);
    size_t bad = rec(s, 3, "funding", "budget_spent", "total", 160, 11, 6);
    validate_run(cfg, &res);
    assert_int_equal(count("parts_sum_mismatch"), 1);
    assert_string_equal(first("parts_sum_mismatch")->cell, "G12");
    assert_true(res.records[bad].rejected);
    assert_false(res.records[ok].rejected);
}

static void test_validate_total_mismatch_top_level_rows(void **state)
{
    (void)state;
    /* own row with parts under it, vc with vc_ql: total = cbcc_th + vc */
    uint32_t a = src("a.xlsx", "so-tu-phap", 2022, 0, 1);
    rec(a, 1, "cbcc_th", "headcount", "all", 100, 11, 2);
    rec(a, 1, "cb_th", "headcount", "all", 30, 12, 2);
    rec(a, 1, "cc_th", "headcount", "all", 70, 13, 2);
    rec(a, 1, "vc", "headcount", "all", 40, 14, 2);
    rec(a, 1, "vc_ql", "headcount", "all", 10, 15, 2);
    total(a, 1, "headcount", "all", 140, 16, 2);
    /* parts only: total = cb_th + cc_th + vc; +10 on the total */
    uint32_t b = src("b.xlsx", "so-cong-thuong", 2022, 0, 1);
    rec(b, 2, "cb_th", "tr_law", "all", 30, 12, 2);
    rec(b, 2, "cc_th", "tr_law", "all", 70, 13, 2);
    rec(b, 2, "vc", "tr_law", "all", 40, 14, 2);
    rec(b, 2, "vc_ql", "tr_law", "all", 10, 15, 2);
    total(b, 2, "tr_law", "all", 150, 16, 35);
    validate_run(cfg, &res);
    assert_int_equal(count("total_mismatch"), 1);
    const finding *f = first("total_mismatch");
    assert_int_equal(f->sev, SEV_ERROR);
    assert_int_equal(f->source, b);
    assert_string_equal(f->cell, "AJ17");
    assert_non_null(strstr(f->message, "150"));
    assert_non_null(strstr(f->message, "140"));
    for (size_t i = 0; i < res.nrecords; i++) assert_false(res.records[i].rejected);
}

/* ---- submissions ----------------------------------------------------------------- */

static void test_validate_supersede_by_footer_date(void **state)
{
    (void)state;
    /* the older footer date loses, though its file was modified later */
    uint32_t old = src("2023/an-bien.xlsx", "h-an-bien", 2023, 20240110, 2000);
    uint32_t neu = src("2023/an-bien-bo-sung.xlsx", "h-an-bien", 2023, 20240125, 1000);
    size_t r_old = rec(old, 1, "cbcc_th", "headcount", "all", 100, 11, 2);
    size_t r_new = rec(neu, 1, "cbcc_th", "headcount", "all", 101, 11, 2);
    validate_run(cfg, &res);
    assert_int_equal(count("duplicate_submission"), 1);
    const finding *f = first("duplicate_submission");
    assert_int_equal(f->sev, SEV_WARNING);
    assert_int_equal(f->source, old);
    assert_string_equal(f->sheet, "");
    assert_string_equal(f->cell, "");
    assert_non_null(strstr(f->message, "an-bien-bo-sung.xlsx"));
    assert_non_null(strstr(f->message, "25/01/2024"));
    assert_true(res.records[r_old].superseded);
    assert_false(res.records[r_new].superseded);
    assert_int_equal(res.sources[old].status, SRC_SUPERSEDED);
    assert_int_equal(res.sources[neu].status, SRC_ACCEPTED);
}

static void test_validate_supersede_by_mtime_when_a_footer_is_undated(void **state)
{
    (void)state;
    uint32_t old = src("2024/so-tu-phap.xlsx", "so-tu-phap", 2024, 20250115, 1737331200);
    uint32_t neu = src("2024/so-tu-phap-gui-lai.xlsx", "so-tu-phap", 2024, 0, 1738454400);
    size_t r_old = rec(old, 1, "cbcc_th", "headcount", "all", 100, 11, 2);
    size_t r_new = rec(neu, 1, "cbcc_th", "headcount", "all", 101, 11, 2);
    validate_run(cfg, &res);
    assert_int_equal(count("duplicate_submission"), 1);
    assert_int_equal(first("duplicate_submission")->source, old);
    assert_true(res.records[r_old].superseded);
    assert_false(res.records[r_new].superseded);
    assert_int_equal(res.sources[old].status, SRC_SUPERSEDED);
}

static void test_validate_supersede_tie_by_name_with_warning(void **state)
{
    (void)state;
    uint32_t b = src("x/so-y-te-b.xlsx", "so-y-te", 2022, 20230110, 500);
    uint32_t a = src("x/so-y-te-a.xlsx", "so-y-te", 2022, 20230110, 500);
    rec(a, 1, "vc", "headcount", "all", 10, 11, 2);
    rec(b, 1, "vc", "headcount", "all", 11, 11, 2);
    validate_run(cfg, &res);
    assert_int_equal(count("duplicate_submission"), 1);
    const finding *f = first("duplicate_submission");
    assert_int_equal(f->source, a);                     /* the greater name wins */
    assert_non_null(strstr(f->message, "tên tệp"));
    assert_int_equal(res.sources[a].status, SRC_SUPERSEDED);
    assert_int_equal(res.sources[b].status, SRC_ACCEPTED);
}

static void test_validate_supersede_is_per_table(void **state)
{
    (void)state;
    /* a full workbook, then Biểu 02 resent alone: the workbook keeps Biểu 01 */
    uint32_t book = src("so-cong-thuong.xlsx", "so-cong-thuong", 2022, 20230112, 10);
    uint32_t b02 = src("so-cong-thuong-b02.csv", "so-cong-thuong", 2022, 20230203, 5);
    size_t b1 = rec(book, 1, "cbcc_th", "headcount", "all", 100, 11, 2);
    size_t b2_old = rec(book, 2, "cbcc_th", "tr_law", "all", 80, 31, 2);
    size_t b2_new = rec(b02, 2, "cbcc_th", "tr_law", "all", 85, 11, 2);
    /* another unit's lone file is not a resubmission */
    uint32_t other = src("so-y-te.xlsx", "so-y-te", 2022, 20230101, 1);
    rec(other, 1, "cbcc_th", "headcount", "all", 100, 11, 2);
    validate_run(cfg, &res);
    assert_int_equal(count("duplicate_submission"), 1);
    assert_int_equal(first("duplicate_submission")->source, book);
    assert_non_null(strstr(first("duplicate_submission")->message, "Biểu 02"));
    assert_false(res.records[b1].superseded);
    assert_true(res.records[b2_old].superseded);
    assert_false(res.records[b2_new].superseded);
    assert_int_equal(res.sources[book].status, SRC_ACCEPTED);
    assert_int_equal(res.sources[b02].status, SRC_ACCEPTED);
    assert_int_equal(res.sources[other].status, SRC_ACCEPTED);
    /* the older, only partly superseded the other way round: the lone table file goes */
    results_free(&res);
    results_init(&res, cfg);
    uint32_t lone = src("b02-old.csv", "so-cong-thuong", 2022, 20230112, 10);
    uint32_t full = src("full.xlsx", "so-cong-thuong", 2022, 20230203, 5);
    rec(lone, 2, "cbcc_th", "tr_law", "all", 80, 11, 2);
    rec(full, 1, "cbcc_th", "headcount", "all", 100, 11, 2);
    rec(full, 2, "cbcc_th", "tr_law", "all", 85, 31, 2);
    validate_run(cfg, &res);
    assert_int_equal(res.sources[lone].status, SRC_SUPERSEDED);
    assert_int_equal(res.sources[full].status, SRC_ACCEPTED);
}

/* ---- the 2025 reorganization and providers --------------------------------------- */

static void test_validate_merged_unit_with_successor_report_is_superseded(void **state)
{
    (void)state;
    uint32_t m = src("2025/so-lao-dong-tbxh.xlsx", "so-lao-dong-tbxh", 2025, 0, 1);
    uint32_t s = src("2025/so-noi-vu.xlsx", "so-noi-vu", 2025, 0, 1);
    size_t rm = rec(m, 1, "cbcc_th", "headcount", "all", 50, 11, 2);
    size_t rs = rec(s, 1, "cbcc_th", "headcount", "all", 80, 11, 2);
    validate_run(cfg, &res);
    assert_int_equal(count("merged_unit_report"), 1);
    const finding *f = first("merged_unit_report");
    assert_int_equal(f->sev, SEV_WARNING);
    assert_int_equal(f->source, m);
    assert_string_equal(f->cell, "");
    /* the successor's report covers it: data in no output, the file superseded */
    assert_true(res.records[rm].superseded);
    assert_false(res.records[rm].rejected);
    assert_false(res.records[rs].excluded);
    assert_false(res.records[rs].superseded);
    assert_int_equal(res.sources[m].status, SRC_SUPERSEDED);
    assert_int_equal(res.sources[s].status, SRC_ACCEPTED);
    /* covered by its successor: no unit_missing_report for the merged unit */
    assert_null(about("unit_missing_report", "so-lao-dong-tbxh", 2025));
    assert_null(about("unit_missing_report", "so-noi-vu", 2025));
}

static void test_validate_merged_unit_without_successor_report_counts(void **state)
{
    (void)state;
    uint32_t m = src("2025/so-ngoai-vu.xlsx", "so-ngoai-vu", 2025, 0, 1);
    size_t rm = rec(m, 1, "cbcc_th", "headcount", "all", 50, 11, 2);
    /* a year before the merger, with the successor reporting: counted too */
    uint32_t e = src("2024/so-lao-dong-tbxh.xlsx", "so-lao-dong-tbxh", 2024, 0, 1);
    uint32_t s = src("2024/so-noi-vu.xlsx", "so-noi-vu", 2024, 0, 1);
    size_t re = rec(e, 1, "cbcc_th", "headcount", "all", 50, 11, 2);
    rec(s, 1, "cbcc_th", "headcount", "all", 80, 11, 2);
    validate_run(cfg, &res);
    assert_int_equal(count("merged_unit_report"), 0);
    assert_false(res.records[rm].excluded);
    assert_false(res.records[re].excluded);
    /* the successor that did not report its merger year is missing */
    assert_non_null(about("unit_missing_report", "van-phong-ubnd", 2025));
    assert_null(about("unit_missing_report", "so-ngoai-vu", 2025));
}

static void test_validate_provider_never_counted_and_gap(void **state)
{
    (void)state;
    uint32_t a = src("so-tu-phap.xlsx", "so-tu-phap", 2022, 0, 1);
    uint32_t d = src("h-an-bien.xlsx", "h-an-bien", 2022, 0, 1);
    uint32_t p = src("truong-chinh-tri.xlsx", "truong-chinh-tri", 2022, 0, 1);
    rec(a, 2, "cbcc_th", "llct_mid", "all", 30, 11, 2);
    rec(a, 2, "vc", "qlnn_cv", "all", 10, 12, 3);
    /* a district reporting cbcc_th only by its parts */
    rec(d, 2, "cb_th", "llct_mid", "all", 20, 11, 2);
    rec(d, 2, "cc_th", "llct_mid", "all", 50, 12, 2);
    rec(d, 2, "vc", "qlnn_cv", "all", 10, 13, 3);
    size_t ok = rec(p, 2, "cbcc_th", "llct_mid", "all", 100, 11, 2);    /* 30 + 70 */
    size_t gap = rec(p, 2, "vc", "qlnn_cv", "all", 32, 12, 4);          /* 20: ×1.6 */
    size_t near = rec(p, 2, "cbcc_xa", "llct_mid", "all", 0, 13, 2);    /* 0 against nothing */
    validate_run(cfg, &res);
    assert_true(res.records[ok].excluded);
    assert_true(res.records[gap].excluded);
    assert_true(res.records[near].excluded);
    assert_int_equal(count("provider_gap"), 1);
    const finding *f = first("provider_gap");
    assert_int_equal(f->source, p);
    assert_string_equal(f->cell, "E13");
    assert_non_null(strstr(f->message, "32"));
    assert_non_null(strstr(f->message, "20"));
    /* providers are never required */
    assert_null(about("unit_missing_report", "truong-chinh-tri", 2022));
    for (size_t i = 0; i < res.nrecords; i++)
        if (res.records[i].source != p) assert_false(res.records[i].excluded);
}

static void test_validate_provider_gap_ignores_uncounted_rows(void **state)
{
    (void)state;
    /* the merged unit's 2025 report is excluded: the provider matches the successor alone */
    uint32_t m = src("2025/ban-dan-toc.xlsx", "ban-dan-toc", 2025, 0, 1);
    uint32_t s = src("2025/so-dan-toc-ton-giao.xlsx", "so-dan-toc-ton-giao", 2025, 0, 1);
    uint32_t p = src("2025/truong-chinh-tri.xlsx", "truong-chinh-tri", 2025, 0, 1);
    rec(m, 2, "cbcc_th", "llct_mid", "all", 100, 11, 2);
    rec(s, 2, "cbcc_th", "llct_mid", "all", 40, 11, 2);
    rec(p, 2, "cbcc_th", "llct_mid", "all", 40, 11, 2);
    validate_run(cfg, &res);
    assert_int_equal(count("merged_unit_report"), 1);
    assert_int_equal(count("provider_gap"), 0);
}

/* ---- year on year ---------------------------------------------------------------- */

static void test_validate_cumulative_decrease(void **state)
{
    (void)state;
    uint32_t y3 = src("2023/so-y-te.xlsx", "so-y-te", 2023, 0, 1);
    uint32_t y4 = src("2024/so-y-te.xlsx", "so-y-te", 2024, 0, 1);
    rec(y3, 1, "vc", "title_std_cum", "all", 1816, 12, 13);
    rec(y4, 1, "vc", "title_std_cum", "all", 1562, 12, 8);
    rec(y3, 1, "cbcc_th", "title_std_cum", "all", 100, 11, 13);
    rec(y4, 1, "cbcc_th", "title_std_cum", "all", 100, 11, 8);    /* flat: fine */
    rec(y3, 1, "vc", "qual_fit", "all", 500, 12, 9);
    rec(y4, 1, "vc", "qual_fit", "all", 400, 12, 9);               /* not cumulative */
    validate_run(cfg, &res);
    assert_int_equal(count("cumulative_decrease"), 1);
    const finding *f = first("cumulative_decrease");
    assert_int_equal(f->sev, SEV_WARNING);
    assert_int_equal(f->source, y4);
    assert_string_equal(f->cell, "I13");
    assert_int_equal(f->year, 2024);
    assert_non_null(strstr(f->message, "1816"));
    assert_non_null(strstr(f->message, "1562"));
    for (size_t i = 0; i < res.nrecords; i++) assert_false(res.records[i].rejected);
}

static void test_validate_headcount_jump(void **state)
{
    (void)state;
    uint32_t y2 = src("2022/gd.xls", "so-giao-duc-dao-tao", 2022, 0, 1);
    uint32_t y3 = src("2023/gd.xls", "so-giao-duc-dao-tao", 2023, 0, 1);
    rec(y2, 1, "vc", "headcount", "all", 2321, 12, 2);
    rec(y3, 1, "vc", "headcount", "all", 4146, 12, 1);
    rec(y2, 1, "vc", "headcount", "female", 1000, 12, 3);
    rec(y3, 1, "vc", "headcount", "female", 2000, 12, 2);          /* breakdown all only */
    rec(y2, 1, "cbcc_th", "headcount", "all", 100, 11, 2);
    rec(y3, 1, "cbcc_th", "headcount", "all", 129, 11, 1);          /* 29 %: fine */
    validate_run(cfg, &res);
    assert_int_equal(count("headcount_jump"), 1);
    const finding *f = first("headcount_jump");
    assert_int_equal(f->source, y3);
    assert_string_equal(f->cell, "B13");
    assert_non_null(strstr(f->message, "2321"));
    assert_non_null(strstr(f->message, "4146"));
}

/* ---- coverage -------------------------------------------------------------------- */

static void test_validate_group_missing(void **state)
{
    (void)state;
    /* an agency Biểu 02 without vc (and vc_ql): one finding on its sheet */
    uint32_t a = src("so-du-lich.xlsx", "so-du-lich", 2023, 0, 1);
    agency_b01(a, 100, 40);
    rec(a, 2, "cbcc_th", "tr_law", "all", 80, 11, 2);
    /* a district reporting cbcc_th and cbcc_xa by their parts only: present */
    uint32_t d = src("h-tan-hiep.xlsx", "h-tan-hiep", 2023, 0, 1);
    const char *rows[] = { "cb_th", "cc_th", "cb_xa", "cc_xa", "kct_xa", "vc", "vc_ql", "hdnd" };
    for (uint32_t k = 0; k < 8; k++) rec(d, 1, rows[k], "headcount", "all", 10, 11 + k, 2);
    validate_run(cfg, &res);
    assert_int_equal(count("group_missing"), 1);
    const finding *f = first("group_missing");
    assert_int_equal(f->sev, SEV_WARNING);
    assert_int_equal(f->source, a);
    assert_string_equal(f->sheet, "Bieu02");
    assert_string_equal(f->cell, "");
    assert_non_null(strstr(f->message, "Viên chức"));
}

static void test_validate_unit_missing_report(void **state)
{
    (void)state;
    uint32_t a = src("2023/so-tu-phap.xlsx", "so-tu-phap", 2023, 0, 1);
    agency_b01(a, 100, 40);
    /* a rejected file covers nothing, and a year outside the plan asks for nothing */
    uint32_t r = src("2023/thanh-tra.xlsx", "thanh-tra", 2023, 0, 1);
    res.sources[r].status = SRC_REJECTED;
    uint32_t o = src("2020/so-xay-dung.xlsx", "so-xay-dung", 2020, 0, 1);
    res.sources[o].status = SRC_REJECTED;
    validate_run(cfg, &res);
    const finding *f = about("unit_missing_report", "thanh-tra", 2023);
    assert_non_null(f);
    assert_int_equal(f->sev, SEV_WARNING);
    assert_int_equal(f->source, RESULTS_NO_SOURCE);
    assert_string_equal(f->sheet, "");
    assert_non_null(about("unit_missing_report", "h-kien-hai", 2023));
    assert_null(about("unit_missing_report", "so-tu-phap", 2023));
    assert_null(about("unit_missing_report", "truong-chinh-tri", 2023));      /* provider */
    assert_null(about("unit_missing_report", "so-dan-toc-ton-giao", 2023));   /* not yet */
    assert_null(about("unit_missing_report", "so-xay-dung", 2020));
    assert_null(about("unit_missing_report", "thanh-tra", 2022));             /* year not covered */
    /* every agency and district active in 2023 but so-tu-phap */
    size_t active = 0;
    for (size_t u = 0; u < cfg->n_units; u++)
        active += cfg->units[u].kind != CONFIG_PROVIDER && config_unit_active_in_year(&cfg->units[u], 2023);
    assert_int_equal(count("unit_missing_report"), active - 1);
}

static void test_validate_source_rejected_when_no_record_is_left(void **state)
{
    (void)state;
    uint32_t a = src("a.csv", "so-tu-phap", 2023, 0, 1);
    rec(a, 2, "cbcc_th", "it", "all", -1, 11, 2);
    rec(a, 2, "vc", "it", "all", 2.5, 12, 2);
    uint32_t b = src("b.csv", "so-y-te", 2023, 0, 1);
    rec(b, 2, "cbcc_th", "it", "all", -1, 11, 2);
    rec(b, 2, "vc", "it", "all", 2, 12, 2);
    validate_run(cfg, &res);
    assert_int_equal(res.sources[a].status, SRC_REJECTED);
    assert_int_equal(res.sources[b].status, SRC_ACCEPTED);
    assert_int_equal(res.sources[a].cells_rejected, 2);
    assert_reconciled();
}

static void test_validate_clean_run_has_no_findings(void **state)
{
    (void)state;
    uint32_t a = src("so-tu-phap.xlsx", "so-tu-phap", 2022, 20230110, 1);
    agency_b01(a, 100, 40);
    agency_b02(a, 80, 30);
    total(a, 1, "headcount", "all", 140, 14, 2);
    total(a, 2, "tr_law", "all", 110, 14, 2);
    rec(a, 3, "funding", "budget_spent", "local", 10, 10, 2);
    rec(a, 3, "funding", "budget_spent", "central", 0, 10, 3);
    rec(a, 3, "funding", "budget_spent", "agency", 0, 10, 4);
    rec(a, 3, "funding", "budget_spent", "sponsor", 0, 10, 5);
    rec(a, 3, "funding", "budget_spent", "total", 10, 10, 6);
    uint32_t b = src("so-tu-phap-2023.xlsx", "so-tu-phap", 2023, 20240110, 1);
    agency_b01(b, 102, 41);
    validate_run(cfg, &res);
    assert_int_equal(count_other(), 0);
    for (size_t i = 0; i < res.nrecords; i++) {
        assert_false(res.records[i].rejected);
        assert_false(res.records[i].superseded);
        assert_false(res.records[i].excluded);
    }
    assert_int_equal(res.sources[a].status, SRC_ACCEPTED);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_validate_negative_count),
        T(test_validate_fractional_count_but_money_may_be_fractional),
        T(test_validate_part_over_whole_female_over_all),
        T(test_validate_part_over_whole_metric_subset),
        T(test_validate_part_over_whole_trained_over_headcount_across_files),
        T(test_validate_part_over_whole_subset_group_and_numerator_sum),
        T(test_validate_parts_sum_mismatch_rejects_the_group_row),
        T(test_validate_parts_sum_mismatch_funding_sources),
        T(test_validate_total_mismatch_top_level_rows),
        T(test_validate_supersede_by_footer_date),
        T(test_validate_supersede_by_mtime_when_a_footer_is_undated),
        T(test_validate_supersede_tie_by_name_with_warning),
        T(test_validate_supersede_is_per_table),
        T(test_validate_merged_unit_with_successor_report_is_superseded),
        T(test_validate_merged_unit_without_successor_report_counts),
        T(test_validate_provider_never_counted_and_gap),
        T(test_validate_provider_gap_ignores_uncounted_rows),
        T(test_validate_cumulative_decrease),
        T(test_validate_headcount_jump),
        T(test_validate_group_missing),
        T(test_validate_unit_missing_report),
        T(test_validate_source_rejected_when_no_record_is_left),
        T(test_validate_clean_run_has_no_findings),
    };
#undef T
    return cmocka_run_group_tests(tests, setup_all, teardown_all);
}
