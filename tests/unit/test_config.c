/* tests/unit/test_config.c — the configuration: the built-in default is the
 * plan and registry of DESIGN §5, every kind of mistake in a YAML file is
 * rejected at its line and column, and indicators are data, not code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config/config.h"
#include "cli/listing.h"
#include "pipeline/results.h"
#include "base/buf.h"
#include "input/workbook.h"

#define FIX "tests/fixtures/config/"

/* ---- helpers ---------------------------------------------------------------- */

/* The default configuration, which must load. */
static struct config *load_default(void)
{
    struct config_error err;
    struct config *cfg = config_load_default(&err);
    if (!cfg) {
        char line[1400];
        config_error_format(&err, line, sizeof line);
        fail_msg("default config does not load: %s", line);
    }
    return cfg;
}

/* Load a fixture that must fail at line:col with a message containing `part`. */
static void expect_error(const char *name, int line, int col, const char *part)
{
    char path[256];
    snprintf(path, sizeof path, FIX "%s", name);
    struct config_error err;
    struct config *cfg = config_load_file(path, &err);
    if (cfg) {
        config_free(cfg);
        fail_msg("%s loaded but should have been rejected", path);
    }
    if (err.line != line || err.col != col || !strstr(err.msg, part))
        fail_msg("%s: got %d:%d \"%s\", want %d:%d containing \"%s\"", path, err.line, err.col,
                 err.msg, line, col, part);
    assert_string_equal(err.file, path);
}

/* Read a whole file into a buf. */
static void slurp(const char *path, buf *b)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(b, chunk, n);
    fclose(f);
    assert_false(b->oom);
}

/* ---- the default configuration ---------------------------------------------- */

static void test_default_has_the_thirteen_indicators_of_the_plan(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    assert_int_equal(cfg->n_indicators, 13);
    static const struct { const char *id, *group, *clause, *den; double target; int kind; } want[] = {
        {"T01", "cbcc_th", "III.2.a", "headcount", 0.80, CONFIG_ANNUAL},
        {"T02", "cbcc_th", "III.2.a", "headcount", 0.80, CONFIG_ANNUAL},
        {"T03", "cbcc_th", "III.2.a", "headcount", 0.70, CONFIG_ANNUAL},
        {"T04", "cbcc_xa", "III.2.b", "headcount", 1.00, CONFIG_BY_DEADLINE},
        {"T05", "cc_xa", "III.2.b", "headcount", 0.90, CONFIG_BY_DEADLINE},
        {"T06", "cbcc_xa", "III.2.b", "headcount", 0.60, CONFIG_ANNUAL},
        {"T07", "cbcc_xa", "III.2.b", "kinh_in_ethnic_area", 1.00, CONFIG_BY_DEADLINE},
        {"T08", "kct_xa", "III.2.b", "headcount", 1.00, CONFIG_ROLLING},
        {"T09", "vc", "III.2.c", "headcount", 1.00, CONFIG_BY_DEADLINE},
        {"T10", "vc_ql", "III.2.c", "headcount", 1.00, CONFIG_BY_DEADLINE},
        {"T11", "vc", "III.2.c", "headcount", 0.60, CONFIG_ANNUAL},
        {"T12", "vc", "III.2.c", "headcount", 0.60, CONFIG_ANNUAL},
        {"T13", "hdnd", "III.2.d", "headcount", 1.00, CONFIG_BY_DEADLINE},
    };
    for (size_t i = 0; i < 13; i++) {
        const struct config_indicator *ind = &cfg->indicators[i];
        assert_string_equal(ind->id, want[i].id);
        assert_ptr_equal(config_indicator(cfg, want[i].id), ind);
        assert_string_equal(ind->group->code, want[i].group);
        assert_string_equal(ind->clause, want[i].clause);
        assert_string_equal(ind->denominator.metric->code, want[i].den);
        assert_string_equal(ind->denominator.breakdown->code, "all");
        assert_true(ind->target == want[i].target);
        assert_int_equal(ind->kind, want[i].kind);
        assert_true(strlen(ind->wording) > 40);
        assert_int_equal(ind->aspirational, strcmp(ind->id, "T07") == 0);
    }
    config_free(cfg);
}

static void test_default_t04_sums_postgrad_and_university(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    const struct config_indicator *t04 = config_indicator(cfg, "T04");
    assert_non_null(t04);
    assert_int_equal(t04->n_numerator, 2);
    assert_string_equal(t04->numerator[0].metric->code, "qual_postgrad");
    assert_string_equal(t04->numerator[1].metric->code, "qual_univ");
    assert_int_equal(t04->deadline, 2025);
    assert_string_equal(config_indicator(cfg, "T01")->numerator[0].metric->code, "tr_law");
    config_free(cfg);
}

static void test_default_t08_is_rolling_from_2022_and_t13_ends_with_the_term(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    const struct config_indicator *t08 = config_indicator(cfg, "T08");
    assert_int_equal(t08->first_year, 2022);
    assert_int_equal(t08->window, 2);
    assert_int_equal(t08->deadline, 0);
    const struct config_indicator *t13 = config_indicator(cfg, "T13");
    assert_int_equal(t13->deadline, 2026);
    assert_int_equal(t13->first_year, 2021);
    assert_int_equal(cfg->plan.term_last, 2026);
    assert_int_equal(config_indicator(cfg, "T01")->deadline, 0);
    assert_int_equal(config_indicator(cfg, "T09")->deadline, 2025);
    assert_null(config_indicator(cfg, "T14"));
    config_free(cfg);
}

static void test_default_plan_is_45_kh_ubnd_2021_2025(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    assert_string_equal(cfg->plan.id, "45/KH-UBND");
    assert_string_equal(cfg->plan.province, "Kiên Giang");
    assert_int_equal(cfg->plan.issued.year, 2021);
    assert_int_equal(cfg->plan.issued.month, 3);
    assert_int_equal(cfg->plan.issued.day, 8);
    assert_int_equal(cfg->plan.first_year, 2021);
    assert_int_equal(cfg->plan.last_year, 2025);
    assert_int_equal(cfg->plan.term_first, 2021);
    assert_true(cfg->checks.headcount_jump == 0.30);
    assert_true(cfg->checks.provider_gap == 0.10);
    assert_true(cfg->checks.sum_count == 0);
    assert_true(cfg->checks.sum_money == 0.5);
    assert_int_equal(cfg->n_tables, 3);
    assert_int_equal(config_table(cfg, "bieu03")->rows, CONFIG_ROWS_METRICS);
    assert_int_equal(config_table(cfg, "bieu01")->rows, CONFIG_ROWS_GROUPS);
    config_free(cfg);
}

static void test_default_units_are_exactly_the_registry_of_design(void **state)
{
    (void)state;
    static const char *const codes[] = {
        "van-phong-ubnd", "van-phong-doan-dbqh-hdnd", "thanh-tra", "so-noi-vu", "so-tai-chinh",
        "so-ke-hoach-dau-tu", "so-tu-phap", "so-cong-thuong", "so-khoa-hoc-cong-nghe",
        "so-giao-duc-dao-tao", "so-thong-tin-truyen-thong", "so-giao-thong-van-tai", "so-xay-dung",
        "so-du-lich", "so-nong-nghiep-ptnt", "so-lao-dong-tbxh", "so-ngoai-vu", "so-y-te",
        "so-van-hoa-the-thao", "so-tai-nguyen-moi-truong", "ban-dan-toc", "ban-ql-khu-kinh-te",
        "bo-chi-huy-quan-su", "cong-an", "so-nong-nghiep-moi-truong", "so-dan-toc-ton-giao",
        "tp-rach-gia", "tp-ha-tien", "tp-phu-quoc", "h-kien-luong", "h-hon-dat", "h-tan-hiep",
        "h-chau-thanh", "h-giong-rieng", "h-go-quao", "h-an-bien", "h-an-minh", "h-vinh-thuan",
        "h-kien-hai", "h-u-minh-thuong", "h-giang-thanh", "truong-chinh-tri",
    };
    size_t n = sizeof codes / sizeof codes[0];
    struct config *cfg = load_default();
    assert_int_equal(cfg->n_units, n);
    size_t agencies = 0, districts = 0, providers = 0;
    for (size_t i = 0; i < n; i++) {
        const struct config_unit *u = config_unit(cfg, codes[i]);
        if (!u) fail_msg("unit %s missing", codes[i]);
        agencies += u->kind == CONFIG_AGENCY;
        districts += u->kind == CONFIG_DISTRICT;
        providers += u->kind == CONFIG_PROVIDER;
        if (u->kind == CONFIG_DISTRICT) {
            assert_int_equal(u->valid_to.year, 2025);
            assert_int_equal(u->valid_to.month, 6);
            assert_int_equal(u->valid_to.day, 30);
            assert_null(u->successor);
        }
    }
    assert_int_equal(agencies, 26);
    assert_int_equal(districts, 15);
    assert_int_equal(providers, 1);
    assert_string_equal(config_unit(cfg, "so-noi-vu")->name, "Sở Nội vụ");
    assert_string_equal(config_unit(cfg, "truong-chinh-tri")->name, "Trường Chính trị tỉnh Kiên Giang");
    assert_null(config_unit(cfg, "so-khong-co"));
    config_free(cfg);
}

static void test_default_2025_merger_names_each_successor(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        {"so-lao-dong-tbxh", "so-noi-vu"},
        {"so-ke-hoach-dau-tu", "so-tai-chinh"},
        {"so-giao-thong-van-tai", "so-xay-dung"},
        {"so-thong-tin-truyen-thong", "so-khoa-hoc-cong-nghe"},
        {"so-nong-nghiep-ptnt", "so-nong-nghiep-moi-truong"},
        {"so-tai-nguyen-moi-truong", "so-nong-nghiep-moi-truong"},
        {"ban-dan-toc", "so-dan-toc-ton-giao"},
        {"so-ngoai-vu", "van-phong-ubnd"},
    };
    struct config *cfg = load_default();
    size_t merged = 0;
    for (size_t i = 0; i < cfg->n_units; i++) merged += cfg->units[i].successor != NULL;
    assert_int_equal(merged, 8);
    for (size_t i = 0; i < 8; i++) {
        const struct config_unit *u = config_unit(cfg, pairs[i][0]);
        assert_non_null(u->successor);
        assert_string_equal(u->successor->code, pairs[i][1]);
        char d[11];
        config_date_format(u->valid_to, d);
        assert_string_equal(d, "2025-02-28");
        /* It existed on at least one day of 2025, so it may still report for 2025. */
        assert_true(config_unit_active_in_year(u, 2025));
        assert_false(config_unit_active_in_year(u, 2026));
        assert_false(config_unit_active_on(u, (struct config_date){2025, 3, 1}));
        assert_ptr_equal(config_unit_final(u), u->successor);
    }
    const struct config_unit *nnmt = config_unit(cfg, "so-nong-nghiep-moi-truong");
    char d[11];
    config_date_format(nnmt->valid_from, d);
    assert_string_equal(d, "2025-03-01");
    assert_false(config_unit_active_in_year(nnmt, 2024));
    assert_true(config_unit_active_in_year(nnmt, 2025));
    assert_true(config_unit_active_on(config_unit(cfg, "so-noi-vu"), (struct config_date){2021, 1, 1}));
    config_free(cfg);
}

static void test_default_unit_aliases_cover_common_spellings(void **state)
{
    (void)state;
    static const char *const want[][2] = {
        {"h-giong-rieng", "UBND huyện Giồng Riềng"},
        {"h-giong-rieng", "Phòng Nội vụ huyện Giồng Riềng"},
        {"h-giong-rieng", "Giồng Riềng"},
        {"so-lao-dong-tbxh", "Sở LĐ-TB&XH"},
        {"so-nong-nghiep-ptnt", "Sở NN&PTNT"},
        {"so-thong-tin-truyen-thong", "Sở TT&TT"},
        {"so-ke-hoach-dau-tu", "Sở KH&ĐT"},
        {"so-giao-duc-dao-tao", "Sở GD&ĐT"},
        {"so-tai-nguyen-moi-truong", "Sở TN&MT"},
        {"tp-phu-quoc", "huyện Phú Quốc"},
    };
    struct config *cfg = load_default();
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct config_unit *u = config_unit(cfg, want[i][0]);
        bool found = false;
        for (size_t k = 0; k < u->aliases.n; k++) found |= strcmp(u->aliases.items[k], want[i][1]) == 0;
        if (!found) fail_msg("%s lacks alias %s", want[i][0], want[i][1]);
    }
    config_free(cfg);
}

static void test_default_groups_distinguish_parts_from_subsets(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    const struct config_group *xa = config_group(cfg, "cbcc_xa");
    assert_int_equal(xa->n_parts, 2);
    assert_string_equal(xa->parts[0]->code, "cb_xa");
    assert_string_equal(xa->parts[1]->code, "cc_xa");
    assert_ptr_equal(config_group(cfg, "cc_xa")->part_of, xa);
    assert_int_equal(config_group(cfg, "cbcc_th")->n_parts, 2);
    const struct config_group *hdnd = config_group(cfg, "hdnd");
    assert_int_equal(hdnd->n_parts, 3);
    assert_string_equal(hdnd->parts[2]->code, "hdnd_xa");
    /* vc_ql is inside vc: a subset, never a part to add. */
    const struct config_group *vc = config_group(cfg, "vc"), *vcql = config_group(cfg, "vc_ql");
    assert_ptr_equal(vcql->subset_of, vc);
    assert_null(vcql->part_of);
    assert_int_equal(vc->n_parts, 0);
    /* Biểu 03 rows carry group funding only. */
    const struct config_group *funding = config_group(cfg, "funding");
    assert_int_equal(funding->n_tables, 1);
    assert_true(config_group_in_table(funding, config_table(cfg, "bieu03")));
    assert_false(config_group_in_table(vc, config_table(cfg, "bieu03")));
    config_free(cfg);
}

static void test_default_reporting_duties_follow_unit_kind(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    const struct config_unit *snv = config_unit(cfg, "so-noi-vu"), *gr = config_unit(cfg, "h-giong-rieng"),
                             *vp = config_unit(cfg, "van-phong-doan-dbqh-hdnd"),
                             *tct = config_unit(cfg, "truong-chinh-tri");
    assert_true(config_group_required_of(config_group(cfg, "cbcc_th"), snv));
    assert_true(config_group_required_of(config_group(cfg, "vc"), snv));
    assert_false(config_group_required_of(config_group(cfg, "cbcc_xa"), snv));
    assert_false(config_group_required_of(config_group(cfg, "hdnd"), snv));
    assert_true(config_group_required_of(config_group(cfg, "hdnd"), vp));
    assert_true(config_group_required_of(config_group(cfg, "cbcc_xa"), gr));
    assert_true(config_group_required_of(config_group(cfg, "kct_xa"), gr));
    assert_true(config_group_required_of(config_group(cfg, "hdnd"), gr));
    assert_false(config_group_required_of(config_group(cfg, "cbcc_th"), tct));
    config_free(cfg);
}

static void test_default_metrics_carry_table_kind_and_breakdowns(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    const struct config_metric *hc = config_metric(cfg, "headcount");
    assert_string_equal(hc->table->code, "bieu01");
    assert_string_equal(hc->label, "Tổng số");
    assert_true(config_metric_allows(hc, config_breakdown(cfg, "female")));
    assert_true(config_metric_allows(hc, config_breakdown(cfg, "ethnic")));
    assert_false(config_metric_allows(hc, config_breakdown(cfg, "local")));
    assert_true(config_metric(cfg, "title_std_cum")->cumulative);
    assert_true(config_metric(cfg, "term_trained")->cumulative);
    assert_false(config_metric(cfg, "title_std")->cumulative);
    assert_string_equal(config_metric(cfg, "qual_univ")->heading->label, "Trình độ chuyên môn");
    assert_string_equal(config_metric(cfg, "qlnn_cvcc")->heading->code, "qlnn");
    const struct config_metric *spent = config_metric(cfg, "budget_spent");
    assert_int_equal(spent->value, CONFIG_VALUE_MONEY);
    assert_string_equal(spent->table->code, "bieu03");
    assert_int_equal(spent->n_breakdowns, 5);
    assert_string_equal(config_metric(cfg, "budget_planned")->label, "Dự toán");
    const struct config_breakdown *total = config_breakdown(cfg, "total");
    assert_int_equal(total->n_parts, 4);
    assert_ptr_equal(config_breakdown(cfg, "sponsor")->part_of, total);
    assert_ptr_equal(config_breakdown(cfg, "female")->subset_of, config_breakdown(cfg, "all"));
    /* Every metric of DESIGN §4.2 is declared. */
    static const char *const all[] = {
        "headcount", "qual_postgrad", "qual_univ", "qual_college", "qual_vocational", "qual_none",
        "qual_fit", "kinh_in_ethnic_area", "ethnic_lang_ok", "title_std_cum", "mgmt_before_appt",
        "trained_2y", "term_trained", "ed_univ", "ed_master", "ed_phd", "llct_senior", "llct_mid",
        "llct_basic", "qlnn_cvcc", "qlnn_cvc", "qlnn_cv", "title_std", "mgmt", "tr_law",
        "tr_ethics", "tr_skills", "qpan", "intl", "it", "foreign_lang", "ethnic_lang", "abroad",
        "persons", "person_times", "budget_planned", "budget_spent",
    };
    assert_int_equal(cfg->n_metrics, sizeof all / sizeof all[0]);
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!config_metric(cfg, all[i])) fail_msg("metric %s missing", all[i]);
    config_free(cfg);
}

static void test_default_text_is_the_yaml_file_byte_for_byte(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    slurp("config/default.yaml", &b);
    size_t len;
    const char *text = config_default_text(&len);
    assert_int_equal(len, b.len);
    assert_memory_equal(text, b.data, len);
    assert_int_equal(text[len], '\0');
    buf_free(&b);
}

/* ---- indicators are data ---------------------------------------------------- */

static void test_a_fourteenth_indicator_loads_without_code_change(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    size_t len;
    const char *text = config_default_text(&len);
    /* The snippet is a list item: it extends the last section, `indicators`. */
    const char *last = strstr(text, "\nindicators:");
    assert_non_null(last);
    assert_null(strstr(last + 1, "\n" "units:"));
    buf_append(&b, text, len);
    slurp(FIX "t14.yaml", &b);
    struct config_error err;
    struct config *cfg = config_load_buffer(b.data, b.len, "t14", &err);
    if (!cfg) fail_msg("%d:%d %s", err.line, err.col, err.msg);
    assert_int_equal(cfg->n_indicators, 14);
    const struct config_indicator *t14 = config_indicator(cfg, "T14");
    assert_non_null(t14);
    assert_string_equal(t14->group->code, "cbcc_xa");
    assert_int_equal(t14->n_numerator, 2);
    assert_string_equal(t14->numerator[1].metric->code, "intl");
    assert_int_equal(t14->kind, CONFIG_BY_DEADLINE);
    assert_int_equal(t14->first_year, 2023);
    assert_true(t14->target == 0.5);
    assert_string_equal(t14->clause, "V.1.c");
    config_free(cfg);
    buf_free(&b);
}

/* ---- small valid configurations ----------------------------------------------- */

static void test_minimal_fixture_loads_with_defaults_for_optional_sections(void **state)
{
    (void)state;
    struct config_error err;
    struct config *cfg = config_load_file(FIX "minimal.yaml", &err);
    if (!cfg) fail_msg("%d:%d %s", err.line, err.col, err.msg);
    assert_int_equal(cfg->n_units, 2);
    assert_int_equal(cfg->n_indicators, 1);
    assert_true(cfg->indicators[0].target == 0.6);   /* written 60% */
    assert_true(cfg->checks.headcount_jump == 0.30); /* no `checks` section */
    assert_int_equal(cfg->form.total_row.n, 0);
    assert_int_equal(cfg->n_headings, 0);
    assert_string_equal(cfg->source, FIX "minimal.yaml");
    assert_string_equal(config_unit(cfg, "so-a")->successor->code, "so-b");
    config_free(cfg);
}

/* The status words: the default's, the same without the section (the
 * loader's fallback equals default.yaml), a section's own, and the
 * rejections (a missing key, two statuses with one word, a word too long). */
static void test_status_words_come_from_the_configuration(void **state)
{
    (void)state;
    static const char *const want[] = {"Đạt", "Không đạt", "Đúng lộ trình", "Chậm so với lộ trình",
                                       "Chưa có số liệu"};
    struct config *def = load_default();
    struct config_error err;
    struct config *min = config_load_file(FIX "minimal.yaml", &err);
    if (!min) fail_msg("%d:%d %s", err.line, err.col, err.msg);
    for (int i = 0; i < CONFIG_STATUS_COUNT; i++) {
        assert_string_equal(config_status_word(def, i), want[i]);
        assert_string_equal(config_status_word(min, i), want[i]);
    }
    assert_string_equal(config_status_word(def, 99), "Chưa có số liệu");
    assert_string_equal(config_status_key(CONFIG_STATUS_ON_TRACK), "on_track");
    config_free(def);
    config_free(min);

    buf b = BUF_INIT;
    slurp(FIX "minimal.yaml", &b);
    static const struct { const char *section; int line, col; const char *part; } cases[] = {
        {"status_words: {met: Xong, not_met: Chưa xong, on_track: Kịp, behind: Chậm, no_data: Trống}\n",
         0, 0, NULL},
        {"status_words: {met: Xong, not_met: Chưa xong, on_track: Kịp, behind: Chậm}\n", 1, 15,
         "thiếu khóa \"no_data\""},
        {"status_words: {met: Xong, not_met: Xong, on_track: Kịp, behind: Chậm, no_data: Trống}\n", 1, 36,
         "trùng chữ \"Xong\""},
        {"status_words: {met: Xong, not_met: Chưa xong, on_track: Kịp, behind: Chậm, no_data: "
         "Chưa có số liệu vì đơn vị chưa gửi báo cáo đúng hạn}\n", 1, 85, "dài quá 40 ký tự"},
        {"status_words: {met: Xong, ontrack: Kịp}\n", 1, 27, "(có phải \"on_track\"?)"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        buf t = BUF_INIT;
        buf_puts(&t, cases[k].section);
        buf_append(&t, b.data, b.len);
        struct config *cfg = config_load_buffer(t.data, t.len, "words.yaml", &err);
        buf_free(&t);
        if (!cases[k].part) {
            if (!cfg) fail_msg("case %zu: %d:%d %s", k, err.line, err.col, err.msg);
            assert_string_equal(config_status_word(cfg, CONFIG_STATUS_ON_TRACK), "Kịp");
            assert_string_equal(config_status_word(cfg, CONFIG_STATUS_NO_DATA), "Trống");
            config_free(cfg);
            continue;
        }
        if (cfg) { config_free(cfg); fail_msg("case %zu loaded", k); }
        if (err.line != cases[k].line || err.col != cases[k].col || !strstr(err.msg, cases[k].part))
            fail_msg("case %zu: got %d:%d \"%s\"", k, err.line, err.col, err.msg);
    }
    buf_free(&b);
}

/* The other word sets: the default's (severity, file status, unit kind),
 * the same without the sections, a section's own, and a rejection. */
static void test_word_sets_come_from_the_configuration(void **state)
{
    (void)state;
    static const char *const want[CONFIG_WORD_SETS][CONFIG_WORDS_MAX] = {
        {"Lỗi", "Cảnh báo", "Thông tin"},
        {"Được nhận", "Bị thay thế", "Bị loại"},
        {"Sở, ban, ngành tỉnh", "UBND cấp huyện", "Cơ sở đào tạo"}};
    struct config *def = load_default();
    struct config_error err;
    struct config *min = config_load_file(FIX "minimal.yaml", &err);
    if (!min) fail_msg("%d:%d %s", err.line, err.col, err.msg);
    for (int s = 0; s < CONFIG_WORD_SETS; s++)
        for (int i = 0; i < CONFIG_WORDS_MAX; i++) {
            assert_string_equal(config_word(def, (enum config_word_set)s, i), want[s][i]);
            assert_string_equal(config_word(min, (enum config_word_set)s, i), want[s][i]);
        }
    assert_string_equal(config_word(def, CONFIG_WORDS_SEVERITY, SEV_WARNING), "Cảnh báo");
    assert_string_equal(config_word(def, CONFIG_WORDS_SOURCE, SRC_REJECTED), "Bị loại");
    assert_string_equal(config_word(def, CONFIG_WORDS_KIND, CONFIG_DISTRICT), "UBND cấp huyện");
    config_free(def);
    config_free(min);

    buf b = BUF_INIT;
    slurp(FIX "minimal.yaml", &b);
    static const char *const sections[] = {
        "severity_words: {error: Sai, warning: Chú ý, info: Biết}\n",
        "source_words: {accepted: Nhận, superseded: Nhận, rejected: Loại}\n",
        "kind_words: {agency: Sở}\n"};
    for (size_t k = 0; k < 3; k++) {
        buf t = BUF_INIT;
        buf_puts(&t, sections[k]);
        buf_append(&t, b.data, b.len);
        struct config *cfg = config_load_buffer(t.data, t.len, "words.yaml", &err);
        buf_free(&t);
        if (k == 0) {
            if (!cfg) fail_msg("%d:%d %s", err.line, err.col, err.msg);
            assert_string_equal(config_word(cfg, CONFIG_WORDS_SEVERITY, SEV_WARNING), "Chú ý");
            config_free(cfg);
            continue;
        }
        if (cfg) { config_free(cfg); fail_msg("case %zu loaded", k); }
        assert_int_equal(err.status, DTBD_ERR_CONFIG);
        if (!strstr(err.msg, k == 1 ? "trùng chữ \"Nhận\"" : "thiếu khóa \"district\""))
            fail_msg("case %zu: got %d:%d \"%s\"", k, err.line, err.col, err.msg);
    }
    buf_free(&b);
}

static void test_text_is_normalized_to_nfc(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    slurp(FIX "minimal.yaml", &b);
    /* "Viên chức" with the circumflex and acute as combining marks. */
    char *p = strstr(b.data, "label: Viên chức\n");
    assert_non_null(p);
    buf d = BUF_INIT;
    buf_append(&d, b.data, (size_t)(p - b.data));
    buf_puts(&d, "label: Vie\xcc\x82n chu\xcc\x9b\xcc\x81" "c\n");
    buf_puts(&d, p + strlen("label: Viên chức\n"));
    struct config_error err;
    struct config *cfg = config_load_buffer(d.data, d.len, "nfc", &err);
    if (!cfg) fail_msg("%d:%d %s", err.line, err.col, err.msg);
    assert_string_equal(config_group(cfg, "vc")->label, "Viên chức");
    config_free(cfg);
    buf_free(&d);
    buf_free(&b);
}

/* ---- rejections, each at its line and column ------------------------------------ */

static void test_duplicate_key_is_rejected_at_the_second_key(void **state)
{
    (void)state;
    expect_error("dup-key.yaml", 34, 5, "khóa trùng lặp \"aliases\"");
}

static void test_unknown_key_is_rejected_with_a_suggestion(void **state)
{
    (void)state;
    expect_error("unknown-key.yaml", 28, 5, "khóa không hợp lệ \"alises\" trong \"units\" (có phải \"aliases\"?)");
}

static void test_missing_key_is_rejected_at_its_mapping(void **state)
{
    (void)state;
    expect_error("missing-key.yaml", 23, 5, "thiếu khóa \"kind\"");
}

static void test_wrong_type_is_rejected_at_the_value(void **state)
{
    (void)state;
    expect_error("wrong-type.yaml", 62, 13, "\"target\" phải là một số");
    expect_error("not-a-list.yaml", 37, 13, "\"tables\" phải là một danh sách");
    expect_error("bad-date.yaml", 26, 15, "ngày hợp lệ");
}

static void test_target_outside_zero_one_is_rejected(void **state)
{
    (void)state;
    expect_error("target-range.yaml", 62, 13, "khoảng 0..1");
}

static void test_years_outside_the_plan_are_rejected(void **state)
{
    (void)state;
    expect_error("year-before-plan.yaml", 62, 17, "năm 2020 nằm ngoài kế hoạch (2021–2025)");
    expect_error("deadline-after-plan.yaml", 62, 15, "năm 2030 nằm ngoài kế hoạch");
}

static void test_unknown_references_are_rejected_at_the_reference(void **state)
{
    (void)state;
    expect_error("unknown-group.yaml", 57, 12, "nhóm \"vcx\" không có trong \"groups\"");
    expect_error("unknown-metric.yaml", 59, 17, "\"tr_ethic\" không có trong \"metrics\"");
    expect_error("unknown-successor.yaml", 27, 16, "đơn vị \"so-c\" không có trong \"units\"");
    expect_error("unknown-part.yaml", 39, 13, "nhóm \"vc_xx\" không có trong \"groups\"");
    expect_error("breakdown-not-allowed.yaml", 60, 18, "không có phân tổ \"female\"");
}

static void test_duplicate_code_is_rejected_naming_the_first(void **state)
{
    (void)state;
    expect_error("dup-code.yaml", 29, 11, "mã \"so-a\" bị trùng (đã khai báo ở dòng 23)");
}

static void test_alias_shared_by_two_units_is_rejected(void **state)
{
    (void)state;
    expect_error("dup-alias.yaml", 33, 15, "đã dùng cho đơn vị \"so-a\"");
}

static void test_aliases_that_fold_alike_are_rejected_across_units(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    slurp(FIX "minimal.yaml", &b);
    const char *mine = "aliases: [Sở B tỉnh]";
    const char *at = strstr(buf_str(&b), mine);
    assert_non_null(at);
    /* "SO A, TINH" is "Sở A tỉnh" of unit so-a once folded (case, marks, commas) */
    buf t = BUF_INIT;
    buf_append(&t, b.data, (size_t)(at - b.data));
    const char *theirs = "aliases: [\"SO A, TINH\", Sở B tỉnh]";
    buf_append(&t, theirs, strlen(theirs));
    buf_append(&t, at + strlen(mine), strlen(at + strlen(mine)));
    assert_false(t.oom);
    int line = 1;
    for (const char *p = b.data; p < at; p++) line += *p == '\n';
    struct config_error err;
    struct config *cfg = config_load_buffer(t.data, t.len, "fold.yaml", &err);
    buf_free(&b);
    buf_free(&t);
    if (cfg) {
        config_free(cfg);
        fail_msg("two units answering to the same folded name loaded");
    }
    assert_int_equal(err.line, line);
    assert_int_equal(err.col, 15);
    assert_non_null(strstr(err.msg, "\"SO A, TINH\" trùng với \"Sở A tỉnh\" của đơn vị \"so-a\""));
}

static void test_invalid_utf8_is_rejected_at_the_byte(void **state)
{
    (void)state;
    expect_error("invalid-utf8.yaml", 24, 12, "không phải UTF-8 hợp lệ (byte 0xFF)");
}

static void test_yaml_syntax_error_points_at_the_unclosed_quote(void **state)
{
    (void)state;
    expect_error("syntax-error.yaml", 36, 12, "lỗi cú pháp YAML");
}

static void test_yaml_alias_is_rejected(void **state)
{
    (void)state;
    expect_error("yaml-alias.yaml", 41, 13, "*both");
}

static void test_successor_must_exist_the_day_after(void **state)
{
    (void)state;
    expect_error("successor-gap.yaml", 27, 16, "2025-03-01");
}

static void test_group_parts_cycle_is_rejected(void **state)
{
    (void)state;
    expect_error("part-cycle.yaml", 35, 11, "vòng lặp");
}

static void test_unreadable_and_empty_inputs_are_errors_not_crashes(void **state)
{
    (void)state;
    struct config_error err;
    assert_null(config_load_file(FIX "does-not-exist.yaml", &err));
    assert_int_equal(err.line, 0);
    assert_non_null(strstr(err.msg, "không mở được"));
    char line[1400];
    config_error_format(&err, line, sizeof line);
    assert_string_equal(line, FIX "does-not-exist.yaml: không mở được tệp cấu hình: không có tệp hoặc thư mục này");

    assert_null(config_load_buffer("", 0, "empty.yaml", &err));
    config_error_format(&err, line, sizeof line);
    assert_string_equal(line, "empty.yaml:1:1: tệp cấu hình rỗng");

    const char two[] = "plan: 1\n---\nplan: 2\n";
    assert_null(config_load_buffer(two, sizeof two - 1, "two.yaml", &err));
    assert_int_equal(err.line, 2);

    const char tab[] = "plan:\n\tid: x\n";
    assert_null(config_load_buffer(tab, sizeof tab - 1, "tab.yaml", &err));
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.msg, "tab"));

    const char nul[] = "plan: \"a\\0b\"\n";
    assert_null(config_load_buffer(nul, sizeof nul - 1, "nul.yaml", &err));
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 7);

    const char top[] = "- a\n- b\n";
    assert_null(config_load_buffer(top, sizeof top - 1, "top.yaml", &err));
    assert_int_equal(err.line, 1);
    assert_non_null(strstr(err.msg, "phải là một ánh xạ"));
}

/* ---- listings --------------------------------------------------------------------- */

static void test_units_listing_aligns_columns_by_code_points(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(config_list_units(cfg, f), 0);
    fclose(f);
    /* Header + one line per unit; every line's name column starts at the same
     * code point, whatever Vietnamese letters come before it. */
    const char *hdr = strstr(text, "TÊN CHÍNH THỨC");
    assert_non_null(hdr);
    size_t col = 0;
    for (const char *p = text; p < hdr; p++) col += ((unsigned char)*p & 0xC0) != 0x80;
    size_t lines = 0;
    for (char *line = text; *line; lines++) {
        char *end = strchr(line, '\n');
        assert_non_null(end);
        size_t cp = 0;
        const char *p = line;
        for (; p < end && cp < col; p++) cp += ((unsigned char)*p & 0xC0) != 0x80;
        while (p < end && ((unsigned char)*p & 0xC0) == 0x80) p++;
        assert_true(p > line && p[-1] == ' ');
        assert_true(*p != ' ');
        line = end + 1;
    }
    assert_int_equal(lines, cfg->n_units + 1);
    assert_non_null(strstr(text, "so-lao-dong-tbxh           agency    -           2025-02-28  so-noi-vu "));
    free(text);
    config_free(cfg);
}

static void test_indicators_listing_shows_formula_target_and_deadline(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(config_list_indicators(cfg, f), 0);
    fclose(f);
    assert_non_null(strstr(text, "(qual_postgrad + qual_univ) / headcount"));
    assert_non_null(strstr(text, "rolling 2 năm"));
    assert_non_null(strstr(text, "(phấn đấu)"));
    const char *t13 = strstr(text, "\nT13 ");
    assert_non_null(t13);
    assert_non_null(strstr(t13, " 2026 "));
    assert_non_null(strstr(t13, "III.2.d"));
    free(text);
    config_free(cfg);
}

/* ---- limits ---------------------------------------------------------------------- */

/* minimal.yaml with `extra` appended; NULL (and err filled) when rejected. */
static struct config *load_minimal_with(const char *extra, struct config_error *err)
{
    buf b = BUF_INIT;
    slurp(FIX "minimal.yaml", &b);
    buf_append(&b, extra, strlen(extra));
    assert_false(b.oom);
    struct config *cfg = config_load_buffer(b.data, b.len, "limits.yaml", err);
    buf_free(&b);
    return cfg;
}

/* Lines in minimal.yaml: errors in the appended text are reported after them. */
static int minimal_lines(void)
{
    buf b = BUF_INIT;
    slurp(FIX "minimal.yaml", &b);
    int n = 0;
    for (size_t i = 0; i < b.len; i++) n += b.data[i] == '\n';
    buf_free(&b);
    return n;
}

/* ---- rules ------------------------------------------------------------------------ */

static void test_rules_name_codes_in_vietnamese(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    assert_true(cfg->n_rules >= 40);
    assert_string_equal(config_rule_label(cfg, "not_a_number"), "Không phải là số");
    assert_string_equal(config_rule_label(cfg, "group_missing"), "Thiếu dòng đối tượng");
    assert_null(config_rule_label(cfg, "no_such_rule"));
    assert_null(config_rule_label(cfg, NULL));
    config_free(cfg);
    /* optional: a configuration without the section names nothing */
    struct config_error err;
    cfg = load_minimal_with("", &err);
    assert_non_null(cfg);
    assert_int_equal(cfg->n_rules, 0);
    assert_null(config_rule_label(cfg, "not_a_number"));
    config_free(cfg);
    cfg = load_minimal_with("rules:\n  not_a_number: Không phải số\n", &err);
    assert_non_null(cfg);
    assert_string_equal(config_rule_label(cfg, "not_a_number"), "Không phải số");
    config_free(cfg);
}

static void test_rules_bad_entries_are_rejected_where_they_are(void **state)
{
    (void)state;
    struct config_error err;
    int n = minimal_lines();
    static const struct { const char *yaml; int line, col; const char *part; } bad[] = {
        {"rules:\n  Not-A-Code: Tên\n", 2, 3, "mã quy tắc \"Not-A-Code\" không hợp lệ"},
        {"rules:\n  not_a_number:\n", 2, 16, "không được để trống"},
        {"rules:\n  not_a_number: [a, b]\n", 2, 17, "phải là một chuỗi"},
        {"rules:\n  a_b: X\n  a_b: Y\n", 3, 3, "khóa trùng lặp"},
        {"rules: [a_b]\n", 1, 8, "phải là một ánh xạ"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        struct config *cfg = load_minimal_with(bad[i].yaml, &err);
        if (cfg) {
            config_free(cfg);
            fail_msg("rules case %zu loaded", i);
        }
        if (err.line != n + bad[i].line || err.col != bad[i].col || !strstr(err.msg, bad[i].part))
            fail_msg("rules case %zu: got %d:%d \"%s\", want %d:%d with \"%s\"", i, err.line, err.col, err.msg,
                     n + bad[i].line, bad[i].col, bad[i].part);
    }
}

static void test_default_limits_are_the_readers_defaults(void **state)
{
    (void)state;
    struct config *cfg = load_default();
    wb_limits d = wb_limits_default();
    const struct config_limits *l = &cfg->limits;
    assert_true(l->file_bytes == d.max_file_bytes);
    assert_true(l->inflated_bytes == d.max_inflated_total);
    assert_true(l->inflate_ratio == d.max_inflate_ratio);
    assert_true(l->cells_per_sheet == d.max_cells_per_sheet);
    assert_true(l->cells_per_workbook == d.max_cells_per_workbook);
    assert_true(l->grid_bytes == d.max_grid_bytes);
    assert_true(l->string_bytes == d.max_string_bytes);
    assert_true(l->xml_depth == d.max_xml_depth);
    assert_true(l->sheets == d.max_sheets);
    assert_true(l->shared_strings == d.max_shared_strings);
    assert_true(l->files_per_run == 10000);
    assert_true(l->archive_members == d.max_archive_members);
    assert_true(l->archive_depth == d.max_archive_depth);
    config_free(cfg);
}

static void test_limits_absent_leave_every_cap_unset(void **state)
{
    (void)state;
    struct config_error err;
    struct config *cfg = load_minimal_with("", &err);
    assert_non_null(cfg);
    const struct config_limits zero = {0};
    assert_memory_equal(&cfg->limits, &zero, sizeof zero);
    config_free(cfg);
}

static void test_limits_sizes_take_units_and_counts_take_integers(void **state)
{
    (void)state;
    struct config_error err;
    struct config *cfg = load_minimal_with("limits:\n"
                                           "  file_size: 10 MB\n"
                                           "  inflated_size: 2GiB\n"
                                           "  string_size: 300000\n"
                                           "  inflate_ratio: 50\n"
                                           "  cells_per_sheet: 5000\n"
                                           "  xml_depth: 32\n"
                                           "  sheets: 3\n"
                                           "  shared_strings: 1000\n"
                                           "  files_per_run: 1\n"
                                           "  archive_members: 20\n"
                                           "  archive_depth: 1\n",
                                           &err);
    if (!cfg) fail_msg("rejected: %d:%d %s", err.line, err.col, err.msg);
    const struct config_limits *l = &cfg->limits;
    assert_true(l->file_bytes == 10ull << 20);
    assert_true(l->inflated_bytes == 2ull << 30);
    assert_true(l->string_bytes == 300000);
    assert_true(l->inflate_ratio == 50);
    assert_true(l->cells_per_sheet == 5000);
    assert_true(l->xml_depth == 32);
    assert_true(l->sheets == 3);
    assert_true(l->shared_strings == 1000);
    assert_true(l->files_per_run == 1);
    assert_true(l->archive_members == 20);
    assert_true(l->archive_depth == 1);
    config_free(cfg);
}

static void test_limits_bad_values_are_rejected_at_the_value(void **state)
{
    (void)state;
    static const struct {
        const char *yaml;
        int col;
        const char *part;
    } cases[] = {
        {"limits:\n  file_size: 12 parsecs\n", 14, "\"file_size\" phải là một cỡ"},
        {"limits:\n  file_size: -1 MB\n", 14, "\"file_size\" phải là một cỡ"},
        {"limits:\n  file_size: 10 GB\n", 14, "khoảng 1024..4294967296 byte"},
        {"limits:\n  sheets: 2 MB\n", 11, "\"sheets\" phải là một số nguyên dương"},
        {"limits:\n  files_per_run: 0\n", 18, "khoảng 1..10000000"},
        {"limits:\n  xml_depth: 100000\n", 14, "khoảng 16..1000"},
        {"limits:\n  archive_depth: 9\n", 18, "khoảng 1..8"},
        {"limits:\n  archive_members: 0\n", 20, "khoảng 1..100000"},
        {"limits:\n  cells_per_sheet: 99999999999999999999\n", 20, "phải là một số nguyên dương"},
        {"limits:\n  inflate_ratio: [1, 2]\n", 18, "phải là một số nguyên dương"},
        {"limits:\n  max_cells: 10\n", 3, "khóa không hợp lệ \"max_cells\""},
    };
    int base = minimal_lines();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct config_error err;
        struct config *cfg = load_minimal_with(cases[i].yaml, &err);
        if (cfg) {
            config_free(cfg);
            fail_msg("case %zu loaded: %s", i, cases[i].yaml);
        }
        if (err.line != base + 2 || err.col != cases[i].col || !strstr(err.msg, cases[i].part))
            fail_msg("case %zu: got %d:%d \"%s\", want %d:%d containing \"%s\"", i, err.line, err.col,
                     err.msg, base + 2, cases[i].col, cases[i].part);
    }
}


/* The hashed lookups (config_unit, _group, _metric, _breakdown) find every
 * entry by its own code, the first of the section, and nothing else. */
static void test_lookups_by_code_find_every_entry(void **state)
{
    (void)state;
    struct config_error err;
    struct config *cfg = config_load_default(&err);
    assert_non_null(cfg);
    assert_true(cfg->n_units > 40);
    for (size_t i = 0; i < cfg->n_units; i++) assert_ptr_equal(config_unit(cfg, cfg->units[i].code), &cfg->units[i]);
    for (size_t i = 0; i < cfg->n_groups; i++)
        assert_ptr_equal(config_group(cfg, cfg->groups[i].code), &cfg->groups[i]);
    for (size_t i = 0; i < cfg->n_metrics; i++)
        assert_ptr_equal(config_metric(cfg, cfg->metrics[i].code), &cfg->metrics[i]);
    for (size_t i = 0; i < cfg->n_breakdowns; i++)
        assert_ptr_equal(config_breakdown(cfg, cfg->breakdowns[i].code), &cfg->breakdowns[i]);
    char code[64];
    snprintf(code, sizeof code, "%sx", cfg->units[0].code);
    assert_null(config_unit(cfg, code));
    assert_null(config_metric(cfg, "unmapped"));
    assert_null(config_group(cfg, ""));
    /* a configuration made by hand has no index: the lookups still work */
    struct config hand = *cfg;
    memset(&hand.ix_units, 0, sizeof hand.ix_units);
    assert_ptr_equal(config_unit(&hand, cfg->units[5].code), &cfg->units[5]);
    config_free(cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_has_the_thirteen_indicators_of_the_plan),
        cmocka_unit_test(test_default_t04_sums_postgrad_and_university),
        cmocka_unit_test(test_default_t08_is_rolling_from_2022_and_t13_ends_with_the_term),
        cmocka_unit_test(test_default_plan_is_45_kh_ubnd_2021_2025),
        cmocka_unit_test(test_default_units_are_exactly_the_registry_of_design),
        cmocka_unit_test(test_default_2025_merger_names_each_successor),
        cmocka_unit_test(test_default_unit_aliases_cover_common_spellings),
        cmocka_unit_test(test_default_groups_distinguish_parts_from_subsets),
        cmocka_unit_test(test_default_reporting_duties_follow_unit_kind),
        cmocka_unit_test(test_default_metrics_carry_table_kind_and_breakdowns),
        cmocka_unit_test(test_default_text_is_the_yaml_file_byte_for_byte),
        cmocka_unit_test(test_a_fourteenth_indicator_loads_without_code_change),
        cmocka_unit_test(test_minimal_fixture_loads_with_defaults_for_optional_sections),
        cmocka_unit_test(test_status_words_come_from_the_configuration),
        cmocka_unit_test(test_word_sets_come_from_the_configuration),
        cmocka_unit_test(test_text_is_normalized_to_nfc),
        cmocka_unit_test(test_duplicate_key_is_rejected_at_the_second_key),
        cmocka_unit_test(test_unknown_key_is_rejected_with_a_suggestion),
        cmocka_unit_test(test_missing_key_is_rejected_at_its_mapping),
        cmocka_unit_test(test_wrong_type_is_rejected_at_the_value),
        cmocka_unit_test(test_target_outside_zero_one_is_rejected),
        cmocka_unit_test(test_years_outside_the_plan_are_rejected),
        cmocka_unit_test(test_unknown_references_are_rejected_at_the_reference),
        cmocka_unit_test(test_duplicate_code_is_rejected_naming_the_first),
        cmocka_unit_test(test_alias_shared_by_two_units_is_rejected),
        cmocka_unit_test(test_aliases_that_fold_alike_are_rejected_across_units),
        cmocka_unit_test(test_invalid_utf8_is_rejected_at_the_byte),
        cmocka_unit_test(test_yaml_syntax_error_points_at_the_unclosed_quote),
        cmocka_unit_test(test_yaml_alias_is_rejected),
        cmocka_unit_test(test_successor_must_exist_the_day_after),
        cmocka_unit_test(test_group_parts_cycle_is_rejected),
        cmocka_unit_test(test_unreadable_and_empty_inputs_are_errors_not_crashes),
        cmocka_unit_test(test_units_listing_aligns_columns_by_code_points),
        cmocka_unit_test(test_indicators_listing_shows_formula_target_and_deadline),
        cmocka_unit_test(test_default_limits_are_the_readers_defaults),
        cmocka_unit_test(test_limits_absent_leave_every_cap_unset),
        cmocka_unit_test(test_limits_sizes_take_units_and_counts_take_integers),
        cmocka_unit_test(test_limits_bad_values_are_rejected_at_the_value),
        cmocka_unit_test(test_rules_name_codes_in_vietnamese),
        cmocka_unit_test(test_rules_bad_entries_are_rejected_where_they_are),
        cmocka_unit_test(test_lookups_by_code_find_every_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
