/* tests/unit/test_charts.c — the gnuplot driver and the charts: every chart
 * file drawn and valid (PNG signature and size, SVG parsed by expat, one PDF
 * page per chart), a hostile unit name drawn literally and never run,
 * gnuplot's errors attributed to their chart, a missing gnuplot one warning.
 *
 * Hook (until `dtbd run` calls charts_render itself):
 *     test_charts --render OUTDIR
 * reads OUTDIR/attainment.csv and the funding rows of OUTDIR/records.csv
 * (as `dtbd run` wrote them, default configuration), draws the charts into
 * OUTDIR/charts/ and prints each finding as "rule<TAB>message" and then
 * "drawn N". tests/e2e/charts-nognuplot.t.sh uses it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <expat.h>

#include "charts/charts.h"
#include "charts/facts.h"
#include "charts/gnuplot.h"
#include "charts/labels.h"
#include "config/config.h"
#include "pipeline/indicators.h"
#include "pipeline/results.h"

/* ---- helpers -------------------------------------------------------------- */

/* True when gnuplot is on PATH (the drawing tests skip otherwise). */
static bool have_gnuplot(void)
{
    char exe[4096];
    return gnuplot_find(NULL, exe, sizeof exe);
}

/* The whole file (caller frees); *len its size. NULL when unreadable. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    buf b = BUF_INIT;
    char chunk[65536];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, k);
    fclose(f);
    *len = b.len;
    return b.data ? buf_detach(&b) : calloc(1, 1);
}

/* Remove a folder of plain files (the tests' temporary folders). */
static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[4096];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) remove_tree(p);
        else unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Count of PDF page objects ("/Type /Page", not "/Type /Pages"). */
static size_t pdf_pages(const char *pdf, size_t n)
{
    size_t pages = 0;
    const char *key = "/Type /Page";
    size_t kl = strlen(key);
    for (size_t i = 0; i + kl < n; i++)
        if (memcmp(pdf + i, key, kl) == 0 && pdf[i + kl] != 's') pages++;
    return pages;
}

/* expat: the text of each <text> element, one per line in a buf. */
typedef struct {
    int depth;                  /* inside <text> when > 0                        */
    buf texts;
} svg_texts;

static void XMLCALL svg_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    (void)atts;
    svg_texts *t = ud;
    if (strcmp(name, "text") == 0) t->depth++;
}

static void XMLCALL svg_end(void *ud, const XML_Char *name)
{
    svg_texts *t = ud;
    if (strcmp(name, "text") == 0 && t->depth > 0 && --t->depth == 0) buf_putc(&t->texts, '\n');
}

static void XMLCALL svg_chars(void *ud, const XML_Char *s, int len)
{
    svg_texts *t = ud;
    if (t->depth > 0) buf_append(&t->texts, s, (size_t)len);
}

/* Parse an SVG file with expat: true when well-formed; its texts into *out. */
static bool svg_parse(const char *path, buf *out)
{
    size_t n;
    char *data = slurp(path, &n);
    if (!data) return false;
    XML_Parser p = XML_ParserCreate("UTF-8");
    svg_texts t = {0, BUF_INIT};
    XML_SetUserData(p, &t);
    XML_SetElementHandler(p, svg_start, svg_end);
    XML_SetCharacterDataHandler(p, svg_chars);
    bool ok = XML_Parse(p, data, (int)n, 1) == XML_STATUS_OK;
    if (!ok) fprintf(stderr, "%s: %s at line %lu\n", path, XML_ErrorString(XML_GetErrorCode(p)),
                     (unsigned long)XML_GetCurrentLineNumber(p));
    XML_ParserFree(p);
    free(data);
    *out = t.texts;
    return ok;
}

/* Add one attainment row (the array grows as the engine's does). */
static void add_row(attainment *a, const struct config_indicator *ind, int year, att_scope sc,
                    const char *unit, bool has_ratio, double ratio, att_status st)
{
    if (a->n == a->cap) {
        a->cap = a->cap ? a->cap * 2 : 64;
        a->rows = realloc(a->rows, a->cap * sizeof *a->rows);
        assert_non_null(a->rows);
    }
    attainment_row *r = &a->rows[a->n++];
    memset(r, 0, sizeof *r);
    r->ind = ind;
    r->year = year;
    r->scope = sc;
    r->unit = unit;
    r->has_sums = has_ratio;
    r->denominator = has_ratio ? 1000 : 0;
    r->numerator = has_ratio ? ratio * 1000 : 0;
    r->has_ratio = has_ratio;
    r->ratio = ratio;
    r->target = ind->target;
    r->status = st;
}

/* Add one funding record of a unit. */
static void add_funding(results *res, uint32_t src, const char *unit, int year, const char *metric,
                        const char *breakdown, double value)
{
    record rec = {0};
    rec.source = src;
    rec.unit = unit;
    rec.year = year;
    rec.table = 3;
    rec.group = "funding";
    rec.metric = metric;
    rec.breakdown = breakdown;
    rec.value = value;
    rec.sheet = "Bieu03";
    assert_non_null(results_add_record(res, &rec));
}

/* ---- the driver ------------------------------------------------------------ */

static void test_gnuplot_errors_are_attributed_to_their_chart(void **state)
{
    (void)state;
    if (!have_gnuplot()) { skip(); return; }
    gnuplot *g = NULL;
    assert_int_equal(gnuplot_open("/tmp", &g), DTBD_OK);
    assert_int_equal(gnuplot_send(g, "a.png", "x = 1\n", 6), DTBD_OK);
    const char *bad = "set label 1 at graph 0.1,0.1 bogus_token\n";
    assert_int_equal(gnuplot_send(g, "b.svg", bad, strlen(bad)), DTBD_OK);
    assert_int_equal(gnuplot_send(g, "c", "y = 2", 5), DTBD_OK);   /* no final newline */
    gnuplot_report rep;
    assert_int_equal(gnuplot_close(g, &rep), DTBD_ERR_GNUPLOT_EXIT);        /* gnuplot exits 1 after an error */
    assert_int_equal(rep.exit_code, 1);
    assert_int_equal(rep.n, 1);
    assert_string_equal(rep.msgs[0].chart, "b.svg");
    assert_non_null(strstr(rep.msgs[0].text, "bogus_token"));
    assert_null(strchr(rep.msgs[0].text, '\n'));
    gnuplot_report_free(&rep);
}

static void test_gnuplot_much_output_does_not_deadlock(void **state)
{
    (void)state;
    if (!have_gnuplot()) { skip(); return; }
    gnuplot *g = NULL;
    assert_int_equal(gnuplot_open("/tmp", &g), DTBD_OK);
    /* ~1 MB on its stderr while we keep writing ~1 MB of commands. */
    const char *loud = "do for [i=1:20000] { print 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb' }\n";
    assert_int_equal(gnuplot_send(g, "loud", loud, strlen(loud)), DTBD_OK);
    buf quiet = BUF_INIT;
    for (int i = 0; i < 40000; i++) buf_puts(&quiet, "z = 1 # padding padding padding\n");
    assert_int_equal(gnuplot_send(g, "quiet", quiet.data, quiet.len), DTBD_OK);
    buf_free(&quiet);
    gnuplot_report rep;
    assert_int_equal(gnuplot_close(g, &rep), DTBD_OK);
    assert_int_equal(rep.n, 1);
    assert_string_equal(rep.msgs[0].chart, "loud");
    assert_true(strlen(rep.msgs[0].text) > 20000 * 50);
    gnuplot_report_free(&rep);
}

static void test_gnuplot_that_quits_is_a_status_not_a_sigpipe(void **state)
{
    (void)state;
    if (!have_gnuplot()) { skip(); return; }
    gnuplot *g = NULL;
    assert_int_equal(gnuplot_open("/tmp", &g), DTBD_OK);
    assert_int_equal(gnuplot_send(g, "quit", "exit\n", 5), DTBD_OK);
    usleep(300000);
    buf big = BUF_INIT;
    for (int i = 0; i < 100000; i++) buf_puts(&big, "z = 1\n");
    /* Writing to a gnuplot that is gone: EPIPE, not the end of the test. */
    dtbd_status st = gnuplot_send(g, "after", big.data, big.len);
    buf_free(&big);
    assert_int_equal(st, DTBD_ERR_GNUPLOT_DIED);
    assert_int_equal(gnuplot_send(g, "again", "x\n", 2), DTBD_ERR_GNUPLOT_DIED);
    gnuplot_report rep;
    assert_int_equal(gnuplot_close(g, &rep), DTBD_ERR_GNUPLOT_DIED);
    assert_int_equal(rep.exit_code, 0);
    gnuplot_report_free(&rep);
}

static void test_gnuplot_open_in_missing_folder_fails(void **state)
{
    (void)state;
    if (!have_gnuplot()) { skip(); return; }
    gnuplot *g = NULL;
    assert_int_equal(gnuplot_open("/nonexistent/dtbd-charts", &g), DTBD_ERR_GNUPLOT_START);
    assert_null(g);
}

static void test_gnuplot_find_follows_path(void **state)
{
    (void)state;
    char exe[4096];
    assert_false(gnuplot_find("/nonexistent:/also-not", exe, sizeof exe));
    assert_false(gnuplot_find("", exe, sizeof exe) && strstr(exe, "/tmp") == exe);
    if (!have_gnuplot()) return;
    assert_true(gnuplot_find(NULL, exe, sizeof exe));
    assert_int_equal(exe[0], '/');
    assert_non_null(strstr(exe, "/gnuplot"));
}

/* ---- the charts ------------------------------------------------------------ */

typedef struct {
    struct config *cfg;
    results res;
    attainment att;
    char dir[64];
    char marker[64];
    char hostile[256];
    const char *hostile_code;
} fixture;

/* Default configuration; one unit renamed to something hostile; hand-made
 * attainment rows with every status; funding records of two units. */
static int fixture_setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    struct config_error err;
    f->cfg = config_load_default(&err);
    assert_non_null(f->cfg);
    snprintf(f->marker, sizeof f->marker, "/tmp/pwned-%ld", (long)getpid());
    unlink(f->marker);
    snprintf(f->hostile, sizeof f->hostile,
             "Sở \"X\"'; system('touch %s')\n@{`id`}%%s\\n&<", f->marker);
    /* The unit renamed: the first district. */
    struct config_unit *hu = NULL;
    for (size_t i = 0; i < f->cfg->n_units && !hu; i++)
        if (f->cfg->units[i].kind == CONFIG_DISTRICT) hu = &f->cfg->units[i];
    assert_non_null(hu);
    hu->name = f->hostile;
    f->hostile_code = hu->code;

    results_init(&f->res, f->cfg);
    uint32_t src = results_add_source(&f->res, "inbox/kinh-phi.xlsx");
    static const att_status cycle_annual[] = {ATT_NOT_MET, ATT_MET, ATT_MET, ATT_NO_DATA, ATT_MET};
    static const att_status cycle_deadline[] = {ATT_ON_TRACK, ATT_BEHIND, ATT_ON_TRACK, ATT_BEHIND, ATT_NOT_MET};
    for (size_t k = 0; k < f->cfg->n_indicators; k++) {
        const struct config_indicator *ind = &f->cfg->indicators[k];
        int from = ind->first_year > 2021 ? ind->first_year : 2021;
        for (int y = from; y <= 2025; y++) {
            att_status st = ind->kind == CONFIG_BY_DEADLINE ? cycle_deadline[y - 2021] : cycle_annual[y - 2021];
            if (ind->kind == CONFIG_BY_DEADLINE && ind->deadline > 2025 && y == 2025) st = ATT_ON_TRACK;
            bool has = st != ATT_NO_DATA;
            double r = ind->target * (0.82 + 0.05 * (y - 2021)) ;
            if (st == ATT_MET) r = ind->target + 0.03 * (double)(k % 3);
            if (r > 1) r = 1;
            add_row(&f->att, ind, y, SCOPE_PROVINCE, "", has, r, st);
        }
        /* Units in 2025: every non-provider unit; a few without figures. */
        size_t u = 0;
        for (size_t i = 0; i < f->cfg->n_units; i++) {
            const struct config_unit *cu = &f->cfg->units[i];
            if (cu->kind == CONFIG_PROVIDER) continue;
            bool has = (u % 9) != 4;
            double r = 0.45 + 0.55 * (double)((u * 37 + k * 11) % 100) / 100.0;
            att_status st = !has ? ATT_NO_DATA : r >= ind->target ? ATT_MET : ATT_NOT_MET;
            if (ind->kind == CONFIG_BY_DEADLINE && has && st == ATT_NOT_MET) st = ATT_BEHIND;
            if (cu == hu) { has = true; r = 0.5; st = ATT_NOT_MET; }
            add_row(&f->att, ind, 2025, SCOPE_UNIT, cu->code, has, r, st);
            u++;
        }
    }
    static const char *const srcs[] = {"local", "central", "agency", "sponsor"};
    for (int y = 2021; y <= 2025; y++) {
        for (int s = 0; s < 4; s++) {
            add_funding(&f->res, src, "so-noi-vu", y, "budget_spent", srcs[s], 800.0 * (4 - s) + 90 * y % 7);
            add_funding(&f->res, src, hu->code, y, "budget_spent", srcs[s], 300.0 * (s + 1));
            add_funding(&f->res, src, "so-noi-vu", y, "budget_planned", srcs[s], 900.0 * (4 - s));
        }
        add_funding(&f->res, src, hu->code, y, "budget_spent", "total", 3000.0 + 250 * (y - 2021));
    }
    snprintf(f->dir, sizeof f->dir, "/tmp/dtbd-charts-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    *state = f;
    return 0;
}

static int fixture_teardown(void **state)
{
    fixture *f = *state;
    if (!getenv("DTBD_KEEP_CHARTS")) remove_tree(f->dir);
    unlink(f->marker);
    attainment_free(&f->att);
    results_free(&f->res);
    config_free(f->cfg);
    free(f);
    return 0;
}

/* The names of the charts the fixture must produce, in bieu-do.pdf's order:
 * the cover, the overview, the trends, a ranking for every indicator (the
 * fixture has unit ratios for all of them), the funding. */
static size_t expected_charts(const fixture *f, char names[][48], size_t max)
{
    size_t n = 0;
    snprintf(names[n++], 48, "tom-tat");
    snprintf(names[n++], 48, "tong-quan");
    for (size_t k = 0; k < f->cfg->n_indicators && n < max; k++)
        labels_slug(f->cfg->indicators[k].id, names[n++], 48);
    for (size_t k = 0; k < f->cfg->n_indicators && n < max; k++) {
        char slug[32];
        labels_slug(f->cfg->indicators[k].id, slug, sizeof slug);
        snprintf(names[n++], 48, "xep-hang-%s", slug);
    }
    snprintf(names[n++], 48, "kinh-phi");
    return n;
}

static void test_charts_render_draws_every_chart_and_hostile_name_literally(void **state)
{
    fixture *f = *state;
    if (!have_gnuplot()) { skip(); return; }
    /* The status words are the configuration's: a changed one is drawn. */
    f->cfg->status_words[CONFIG_STATUS_ON_TRACK] = "Kịp lộ trình (cấu hình)";
    int drawn = charts_render(f->dir, f->cfg, &f->res, &f->att);
    for (size_t i = 0; i < f->res.nfindings; i++)
        fprintf(stderr, "finding %s: %s\n", f->res.findings[i].rule, f->res.findings[i].message);
    assert_int_equal(f->res.nfindings, 0);

    char names[64][48];
    size_t n = expected_charts(f, names, 60);
    assert_int_equal(drawn, (int)n);
    buf all_text = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        char p[4096];
        size_t len;
        snprintf(p, sizeof p, "%s/charts/%s.png", f->dir, names[i]);
        char *png = slurp(p, &len);
        if (!png) fail_msg("missing %s", p);
        assert_true(len > 1024);
        assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
        free(png);
        snprintf(p, sizeof p, "%s/charts/%s.svg", f->dir, names[i]);
        buf texts = BUF_INIT;
        if (!svg_parse(p, &texts)) fail_msg("%s is not well-formed XML", p);
        if (texts.data) buf_puts(&all_text, texts.data);
        buf_free(&texts);
    }
    /* The PDF: one page per chart. */
    char p[4096];
    size_t len;
    snprintf(p, sizeof p, "%s/charts/bieu-do.pdf", f->dir);
    char *pdf = slurp(p, &len);
    assert_non_null(pdf);
    assert_memory_equal(pdf, "%PDF-", 5);
    assert_int_equal(pdf_pages(pdf, len), n);
    free(pdf);

    /* Nothing ran: no marker file, and only the charts in their folder. */
    assert_int_not_equal(access(f->marker, F_OK), 0);
    snprintf(p, sizeof p, "%s/charts", f->dir);
    DIR *d = opendir(p);
    assert_non_null(d);
    struct dirent *e;
    size_t files = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        files++;
        const char *dot = strrchr(e->d_name, '.');
        assert_non_null(dot);
        assert_true(!strcmp(dot, ".png") || !strcmp(dot, ".svg") || !strcmp(dot, ".pdf"));
    }
    closedir(d);
    assert_int_equal(files, 2 * n + 1);

    /* The hostile name, drawn as itself (the newline as a space). */
    buf want = BUF_INIT;
    labels_clean(&want, f->hostile, 0);
    if (!strstr(all_text.data, want.data)) fail_msg("hostile name not drawn literally: [%s]", want.data);
    /* Vietnamese text survives too. */
    assert_non_null(strstr(all_text.data, "Mục tiêu"));
    assert_non_null(strstr(all_text.data, "Không đạt"));
    assert_non_null(strstr(all_text.data, "Kịp lộ trình (cấu hình)"));
    assert_null(strstr(all_text.data, "Đúng lộ trình"));
    assert_non_null(strstr(all_text.data, "dựa trên báo cáo của"));
    buf_free(&want);
    buf_free(&all_text);
}

static void test_charts_render_twice_replaces_files(void **state)
{
    fixture *f = *state;
    if (!have_gnuplot()) { skip(); return; }
    char names[64][48];
    size_t n = expected_charts(f, names, 60);
    assert_int_equal(charts_render(f->dir, f->cfg, &f->res, &f->att), (int)n);
    assert_int_equal(charts_render(f->dir, f->cfg, &f->res, &f->att), (int)n);
    assert_int_equal(f->res.nfindings, 0);
}

static void test_charts_without_gnuplot_is_one_warning(void **state)
{
    fixture *f = *state;
    char *old = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
    setenv("PATH", "/nonexistent-dtbd", 1);
    int drawn = charts_render(f->dir, f->cfg, &f->res, &f->att);
    if (old) { setenv("PATH", old, 1); free(old); } else unsetenv("PATH");
    assert_int_equal(drawn, 0);
    assert_int_equal(f->res.nfindings, 1);
    assert_string_equal(f->res.findings[0].rule, "charts_unavailable");
    assert_int_equal(f->res.findings[0].sev, SEV_WARNING);
    assert_int_equal(results_count(&f->res, SEV_ERROR), 0);
    char p[128];
    snprintf(p, sizeof p, "%s/charts", f->dir);
    assert_int_not_equal(access(p, F_OK), 0);                    /* nothing else happened */
}

static void test_charts_without_data_still_draw(void **state)
{
    fixture *f = *state;
    if (!have_gnuplot()) { skip(); return; }
    /* Every province row without data, no unit rows, no funding. */
    attainment empty = {0};
    for (size_t k = 0; k < f->cfg->n_indicators; k++)
        for (int y = 2021; y <= 2025; y++)
            add_row(&empty, &f->cfg->indicators[k], y, SCOPE_PROVINCE, "", false, 0, ATT_NO_DATA);
    results none;
    results_init(&none, f->cfg);
    int drawn = charts_render(f->dir, f->cfg, &none, &empty);
    for (size_t i = 0; i < none.nfindings; i++)
        fprintf(stderr, "finding %s: %s\n", none.findings[i].rule, none.findings[i].message);
    assert_int_equal(none.nfindings, 0);
    assert_int_equal(drawn, (int)f->cfg->n_indicators + 3);       /* cover, overview, trends, funding */
    results_free(&none);
    attainment_free(&empty);
}

/* ---- what the charts state (charts/facts.h) ---------------------------------- */

/* A source of unit and year (status given) with records of the tables
 * listed ("12": Biểu 01 and 02) for group; returns its index. */
static uint32_t add_report(results *res, const char *unit, int year, source_status st, const char *tables,
                           const char *group)
{
    char path[128];
    snprintf(path, sizeof path, "inbox/%d/%s.xlsx", year, unit);
    uint32_t src = results_add_source(res, path);
    res->sources[src].unit = unit;
    res->sources[src].year = year;
    res->sources[src].status = st;
    for (const char *t = tables; *t; t++) {
        record rec = {0};
        rec.source = src;
        rec.unit = unit;
        rec.year = year;
        rec.table = *t - '0';
        rec.group = group;
        rec.metric = *t == '1' ? "headcount" : *t == '2' ? "tr_skills" : "budget_spent";
        if (*t == '3') rec.group = "funding";
        rec.breakdown = *t == '3' ? "total" : "all";
        rec.value = 10;
        rec.sheet = "S";
        assert_non_null(results_add_record(res, &rec));
    }
    return src;
}

static const charts_rank_row *find_row(const charts_rank_row *rows, size_t n, const char *code, size_t *at)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(rows[i].unit->code, code) == 0) { if (at) *at = i; return &rows[i]; }
    return NULL;
}

/* T06 (cbcc_xa, required of districts) lists the districts and no agency
 * without a figure; an agency with a figure is listed; each missing figure
 * has its reason. T09 (vc) lists agencies and districts, a 2025-merged unit
 * right under its successor, never the provider. */
static void test_ranking_lists_the_units_of_the_group_with_reasons(void **state)
{
    (void)state;
    struct config_error err;
    struct config *cfg = config_load_default(&err);
    assert_non_null(cfg);
    results res;
    results_init(&res, cfg);
    add_report(&res, "h-an-bien", 2025, SRC_ACCEPTED, "12", "cbcc_xa");
    add_report(&res, "h-an-minh", 2025, SRC_ACCEPTED, "3", "funding");          /* only Biểu 03 */
    add_report(&res, "h-chau-thanh", 2025, SRC_ACCEPTED, "12", "vc");           /* no commune rows */
    add_report(&res, "h-go-quao", 2025, SRC_REJECTED, "", "cbcc_xa");          /* rejected: not sent */
    add_report(&res, "so-y-te", 2025, SRC_ACCEPTED, "12", "cbcc_xa");
    add_report(&res, "so-noi-vu", 2025, SRC_ACCEPTED, "12", "vc");
    add_report(&res, "truong-chinh-tri", 2025, SRC_ACCEPTED, "12", "vc");
    const struct config_indicator *t06 = config_indicator(cfg, "T06"), *t09 = config_indicator(cfg, "T09");
    attainment att = {0};
    add_row(&att, t06, 2025, SCOPE_UNIT, "h-an-bien", true, 0.5, ATT_NOT_MET);
    add_row(&att, t06, 2025, SCOPE_UNIT, "so-y-te", true, 0.9, ATT_MET);
    add_row(&att, t06, 2025, SCOPE_UNIT, "so-noi-vu", false, 0, ATT_NO_DATA);
    add_row(&att, t09, 2025, SCOPE_UNIT, "so-noi-vu", true, 0.7, ATT_NOT_MET);
    add_row(&att, t09, 2025, SCOPE_UNIT, "h-chau-thanh", true, 0.8, ATT_NOT_MET);
    fig_index *fig = fig_build(cfg, &res);
    assert_non_null(fig);

    charts_rank_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(charts_ranking(cfg, &res, fig, &att, t06, 2025, &rows, &n), 0);
    size_t districts = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_not_equal(rows[i].unit->kind, CONFIG_PROVIDER);
        districts += rows[i].unit->kind == CONFIG_DISTRICT;
        if (rows[i].unit->kind == CONFIG_AGENCY) assert_string_equal(rows[i].unit->code, "so-y-te");
    }
    assert_int_equal(districts, 15);
    assert_int_equal(n, 16);
    assert_string_equal(rows[0].unit->code, "so-y-te");                /* highest first */
    assert_string_equal(rows[1].unit->code, "h-an-bien");
    assert_int_equal(find_row(rows, n, "h-an-minh", NULL)->reason, CHARTS_TABLE_MISSING);
    assert_int_equal(find_row(rows, n, "h-chau-thanh", NULL)->reason, CHARTS_FIGURE_MISSING);
    assert_int_equal(find_row(rows, n, "h-go-quao", NULL)->reason, CHARTS_NOT_SENT);
    assert_int_equal(find_row(rows, n, "h-kien-hai", NULL)->reason, CHARTS_NOT_SENT);
    assert_null(find_row(rows, n, "so-noi-vu", NULL));
    assert_string_equal(charts_reason_text(CHARTS_NOT_SENT), "chưa gửi báo cáo");
    assert_string_equal(charts_reason_text(CHARTS_TABLE_MISSING), "thiếu biểu");
    assert_string_equal(charts_reason_text(CHARTS_MERGED), "đã sáp nhập");
    free(rows);

    assert_int_equal(charts_ranking(cfg, &res, fig, &att, t09, 2025, &rows, &n), 0);
    size_t at_noi_vu = 0, at_ldtbxh = 0;
    assert_non_null(find_row(rows, n, "so-noi-vu", &at_noi_vu));
    const charts_rank_row *m = find_row(rows, n, "so-lao-dong-tbxh", &at_ldtbxh);
    assert_non_null(m);
    assert_int_equal(at_ldtbxh, at_noi_vu + 1);
    assert_int_equal(m->reason, CHARTS_MERGED);
    assert_string_equal(m->under->code, "so-noi-vu");
    assert_null(find_row(rows, n, "truong-chinh-tri", NULL));
    assert_string_equal(rows[0].unit->code, "h-chau-thanh");
    /* Every unit of 2025 but the provider: 26 agencies (the 8 merged ones
     * under their successors) and 15 districts. */
    assert_int_equal(n, 41);
    free(rows);

    /* In 2024 nobody had merged yet: the merged units are ordinary rows. */
    assert_int_equal(charts_ranking(cfg, &res, fig, &att, t09, 2024, &rows, &n), 0);
    assert_int_equal(find_row(rows, n, "so-lao-dong-tbxh", NULL)->reason, CHARTS_NOT_SENT);
    assert_null(find_row(rows, n, "so-nong-nghiep-moi-truong", NULL));   /* from 2025 */
    free(rows);

    fig_free(fig);
    attainment_free(&att);
    results_free(&res);
    config_free(cfg);
}

/* Coverage: the units expected that year (no provider, no unit merged
 * that year) and those of them with a report not rejected. */
static void test_coverage_counts_units_reported_of_units_expected(void **state)
{
    (void)state;
    struct config_error err;
    struct config *cfg = config_load_default(&err);
    assert_non_null(cfg);
    results res;
    results_init(&res, cfg);
    add_report(&res, "h-an-bien", 2025, SRC_ACCEPTED, "1", "cbcc_xa");
    add_report(&res, "h-an-bien", 2025, SRC_SUPERSEDED, "1", "cbcc_xa");      /* one unit, twice */
    add_report(&res, "so-noi-vu", 2025, SRC_SUPERSEDED, "1", "vc");
    add_report(&res, "h-go-quao", 2025, SRC_REJECTED, "", "vc");
    add_report(&res, "so-lao-dong-tbxh", 2025, SRC_ACCEPTED, "1", "vc");     /* merged in 2025 */
    add_report(&res, "truong-chinh-tri", 2025, SRC_ACCEPTED, "1", "vc");     /* provider */
    add_report(&res, "so-lao-dong-tbxh", 2024, SRC_ACCEPTED, "1", "vc");
    charts_coverage c;
    char text[160];
    charts_coverage_of(cfg, &res, 2025, &c);
    assert_int_equal(c.expected, 33);               /* 18 agencies after the merger, 15 districts */
    assert_int_equal(c.reported, 2);
    charts_coverage_text(&c, text, sizeof text);
    assert_string_equal(text, "dựa trên báo cáo của 2/33 đơn vị (năm 2025)");
    charts_coverage_of(cfg, &res, 2024, &c);
    assert_int_equal(c.expected, 39);               /* 24 agencies, 15 districts */
    assert_int_equal(c.reported, 1);
    results_free(&res);
    config_free(cfg);

    char pct[24];
    charts_pct_text(0.883, pct);
    assert_string_equal(pct, "88,3 %");
    charts_pct_text(1, pct);
    assert_string_equal(pct, "100,0 %");
    charts_pct_text(0.94, pct);
    assert_string_equal(pct, "94,0 %");
    setenv("SOURCE_DATE_EPOCH", "1764547200", 1);   /* 2025-12-01 UTC */
    char date[16];
    charts_date_text(date);
    unsetenv("SOURCE_DATE_EPOCH");
    assert_string_equal(date, "01/12/2025");
}

/* ---- the hook: charts from a run's CSV outputs ------------------------------ */

/* Split a CSV line of simple fields (no quotes in the ones we read). */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *c = strchr(p, ',');
        if (!c) break;
        *c = '\0';
        p = c + 1;
    }
    char *nl = strpbrk(f[n - 1], "\r\n");
    if (nl) *nl = '\0';
    return n;
}

static int render_from_outputs(const char *outdir)
{
    struct config_error err;
    struct config *cfg = config_load_default(&err);
    if (!cfg) return 2;
    results res;
    results_init(&res, cfg);
    attainment att = {0};
    char path[4096], line[8192];
    snprintf(path, sizeof path, "%s/attainment.csv", outdir);
    FILE *fp = fopen(path, "r");
    if (fp) {
        static const char *const st_names[] = {"met", "not_met", "on_track", "behind", "no_data"};
        while (fgets(line, sizeof line, fp)) {
            char *fl[9];
            if (split(line, fl, 9) != 9) continue;
            const struct config_indicator *ind = config_indicator(cfg, fl[0]);
            if (!ind) continue;
            att_scope sc = !strcmp(fl[2], "province") ? SCOPE_PROVINCE : !strcmp(fl[2], "kind") ? SCOPE_KIND : SCOPE_UNIT;
            const char *unit = "";
            if (sc == SCOPE_KIND) unit = !strcmp(fl[3], "agency") ? "agency" : "district";
            if (sc == SCOPE_UNIT) {
                const struct config_unit *u = config_unit(cfg, fl[3]);
                if (!u) continue;
                unit = u->code;
            }
            att_status st = ATT_NO_DATA;
            for (int k = 0; k < 5; k++) if (!strcmp(fl[8], st_names[k])) st = (att_status)k;
            if (att.n == att.cap) {
                att.cap = att.cap ? att.cap * 2 : 1024;
                att.rows = realloc(att.rows, att.cap * sizeof *att.rows);
                if (!att.rows) return 2;
            }
            attainment_row *r = &att.rows[att.n++];
            memset(r, 0, sizeof *r);
            r->ind = ind;
            r->year = atoi(fl[1]);
            r->scope = sc;
            r->unit = unit;
            r->has_sums = fl[4][0] != '\0';
            r->numerator = atof(fl[4]);
            r->denominator = atof(fl[5]);
            r->has_ratio = fl[6][0] != '\0';
            r->ratio = atof(fl[6]);
            r->target = atof(fl[7]);
            r->status = st;
        }
        fclose(fp);
    }
    snprintf(path, sizeof path, "%s/records.csv", outdir);
    fp = fopen(path, "r");
    if (fp) {
        uint32_t src = results_add_source(&res, "records.csv");
        while (fgets(line, sizeof line, fp)) {
            char *fl[7];
            if (split(line, fl, 7) < 6 || strcmp(fl[2], "funding") != 0) continue;
            record rec = {0};
            rec.source = src;
            rec.unit = fl[0];
            rec.year = atoi(fl[1]);
            rec.group = fl[2];
            rec.metric = fl[3];
            rec.breakdown = fl[4];
            rec.value = atof(fl[5]);
            rec.sheet = "";
            results_add_record(&res, &rec);
        }
        fclose(fp);
    }
    int drawn = charts_render(outdir, cfg, &res, &att);
    for (size_t i = 0; i < res.nfindings; i++)
        printf("%s\t%s\t%s\n", severity_name(res.findings[i].sev), res.findings[i].rule, res.findings[i].message);
    printf("drawn %d\n", drawn);
    attainment_free(&att);
    results_free(&res);
    config_free(cfg);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--render") == 0) return render_from_outputs(argv[2]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gnuplot_errors_are_attributed_to_their_chart),
        cmocka_unit_test(test_gnuplot_much_output_does_not_deadlock),
        cmocka_unit_test(test_gnuplot_that_quits_is_a_status_not_a_sigpipe),
        cmocka_unit_test(test_gnuplot_open_in_missing_folder_fails),
        cmocka_unit_test(test_gnuplot_find_follows_path),
        cmocka_unit_test(test_ranking_lists_the_units_of_the_group_with_reasons),
        cmocka_unit_test(test_coverage_counts_units_reported_of_units_expected),
        cmocka_unit_test_setup_teardown(test_charts_render_draws_every_chart_and_hostile_name_literally,
                                        fixture_setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_charts_render_twice_replaces_files, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_charts_without_gnuplot_is_one_warning, fixture_setup,
                                        fixture_teardown),
        cmocka_unit_test_setup_teardown(test_charts_without_data_still_draw, fixture_setup,
                                        fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
