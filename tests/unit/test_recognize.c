/* tests/unit/test_recognize.c — form recognition (pipeline/recognize.h).
 *
 * Workbooks are built at test time: CSV text, or .xlsx through libxlsxwriter
 * (merges, fonts, hidden sheets), described as lines of '|'-separated cells
 * (a field that reads as a plain number is written as a number in .xlsx; a
 * leading "'" forces text). The LibreOffice fixtures of tests/fixtures/real/
 * are checked against values read by hand from their dumps. Every run checks
 * the reconciliation cells_read == recorded + rejected + outside. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include <xlsxwriter.h>

#include "config/config.h"
#include "input/grid.h"
#include "input/workbook.h"
#include "pipeline/recognize.h"
#include "pipeline/results.h"

/* ---- fixtures -------------------------------------------------------------------- */

static struct config *cfg;
static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    struct config_error err;
    cfg = config_load_default(&err);
    if (!cfg) return -1;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/dtbd-recog-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    config_free(cfg);
    if (getenv("DTBD_KEEP_TMP")) return 0;   /* to look at the workbooks */
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* The title block of a district's report (unit and year in it). */
#define TITLE_TAN_HIEP                                                        \
    "UBND HUYỆN TÂN HIỆP|||||CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",             \
    "PHÒNG NỘI VỤ|||||Độc lập - Tự do - Hạnh phúc", "",                       \
    "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC NĂM 2024"
#define FOOTER                                                                \
    "", "||||||Tân Hiệp, ngày 14 tháng 01 năm 2025",                          \
    "|NGƯỜI LẬP BIỂU|||||THỦ TRƯỞNG ĐƠN VỊ"

/* Biểu 01 as designed (CSV-style: a parent's text in the first column of its span). */
#define B01_HEAD                                                              \
    "Biểu 01: Số lượng, chất lượng đội ngũ", "||||||||||Đơn vị tính: người", \
    "STT|Đối tượng|Tổng số|Trong đó||Trình độ chuyên môn|||||Chuyên môn phù hợp vị trí việc làm", \
    "|||Nữ|Dân tộc thiểu số|Sau đại học|Đại học|Cao đẳng|Trung cấp|Chưa qua đào tạo|", \
    "A|B|1|2|3|4|5|6|7|8|9"
#define B01_ROWS                                                              \
    "I|Cán bộ, công chức cấp tỉnh, cấp huyện|100|40|5|10|80|5|3|2|90",        \
    "II|Cán bộ, công chức cấp xã|50|20|4|1|40|5|3|1|45",                      \
    "1|Cán bộ|20|8|2|0|18|1|1|0|19",                                          \
    "2|Công chức|30|12|2|1|22|4|2|1|26",                                      \
    "III|Người hoạt động không chuyên trách ở cấp xã|30|10|1|0|10|5|10|5|-",  \
    "IV|Viên chức|200|120|10|20|150|20|10|0|190",                             \
    "|Trong đó: viên chức giữ chức vụ quản lý|20|8|1|5|15|||0|20",            \
    "V|Đại biểu Hội đồng nhân dân các cấp|60|20|3|2|30|10|10|8|50",          \
    "Tổng cộng||440|190|23|33|310|45|26|16|355"

#define B02_HEAD                                                              \
    "Biểu 02: Kết quả đào tạo, bồi dưỡng trong năm",                          \
    "STT|Đối tượng|Lý luận chính trị|||Cập nhật kiến thức pháp luật|Tin học", \
    "||Cao cấp|Trung cấp|Sơ cấp||",                                           \
    "A|B|1|2|3|4|5"
#define B02_ROWS                                                              \
    "I|Cán bộ, công chức cấp tỉnh, cấp huyện|4|21|9|80|17",                   \
    "II|Cán bộ, công chức cấp xã|-|7|6|39|4",                                 \
    "III|Viên chức|2|15|34|150|86",                                           \
    "Tổng cộng||6|43|49|269|107"

#define B03_HEAD                                                              \
    "Biểu 03: Kinh phí đào tạo, bồi dưỡng", "||||Đơn vị tính: triệu đồng",    \
    "STT|Nội dung|Tổng số|Nguồn kinh phí|||",                                 \
    "|||Ngân sách địa phương|Ngân sách Trung ương|Cơ quan, đơn vị|Tài trợ",  \
    "A|B|1=2+3+4+5|2|3|4|5"
#define B03_ROWS "1|Dự toán|500|400|50|50|0", "2|Thực hiện|480,5|390|40,5|50|-"

/* Split a '|' line into fields (at most cap); returns their count. */
static size_t fields(const char *line, char out[][256], size_t cap)
{
    size_t n = 0;
    const char *p = line;
    while (n < cap) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len > 255) len = 255;
        memcpy(out[n], p, len);
        out[n][len] = '\0';
        n++;
        if (!e) break;
        p = e + 1;
    }
    return n;
}

/* Path of a file in the test's folder. */
static void tmp_path(const char *name, char out[256])
{
    snprintf(out, 256, "%s/%s", tmpdir, name);
}

/* Write lines (NULL-terminated) as a UTF-8 CSV file; returns its path in out. */
static void write_csv(const char *name, const char *const *lines, char out[256])
{
    tmp_path(name, out);
    FILE *f = fopen(out, "wb");
    assert_non_null(f);
    char fl[64][256];
    for (size_t i = 0; lines[i]; i++) {
        size_t n = fields(lines[i], fl, 64);
        for (size_t k = 0; k < n; k++) {
            if (k) fputc(',', f);
            const char *v = fl[k][0] == '\'' ? fl[k] + 1 : fl[k];
            if (strpbrk(v, ",\"\n")) {
                fputc('"', f);
                for (const char *q = v; *q; q++) { if (*q == '"') fputc('"', f); fputc(*q, f); }
                fputc('"', f);
            } else {
                fputs(v, f);
            }
        }
        fputs("\r\n", f);
    }
    fclose(f);
}

typedef struct {
    const char *name;
    const char *const *lines;   /* NULL-terminated                               */
    const char *merges;         /* "A7:A8 D7:E7" or NULL                         */
    const char *font;           /* font of lines starting with '~', or NULL      */
    bool hidden;
} sheet_spec;

/* Field (r, c) of a sheet's lines ("" when none). */
static void line_field(const sheet_spec *s, uint32_t r, uint32_t c, char out[256])
{
    out[0] = '\0';
    for (uint32_t i = 0; s->lines[i]; i++) {
        if (i != r) continue;
        char fl[64][256];
        const char *l = s->lines[i][0] == '~' ? s->lines[i] + 1 : s->lines[i];
        size_t n = fields(l, fl, 64);
        if (c < n) strcpy(out, fl[c][0] == '\'' ? fl[c] + 1 : fl[c]);
    }
}

/* Write sheets as an .xlsx with libxlsxwriter; returns its path in out. */
static void write_xlsx(const char *name, const sheet_spec *sheets, size_t n, char out[256])
{
    tmp_path(name, out);
    lxw_workbook *wb = workbook_new(out);
    assert_non_null(wb);
    for (size_t s = 0; s < n; s++) {
        lxw_worksheet *ws = workbook_add_worksheet(wb, sheets[s].name);
        assert_non_null(ws);
        lxw_format *legacy = NULL;
        if (sheets[s].font) {
            legacy = workbook_add_format(wb);
            format_set_font_name(legacy, sheets[s].font);
        }
        for (uint32_t r = 0; sheets[s].lines[r]; r++) {
            const char *l = sheets[s].lines[r];
            lxw_format *fmt = NULL;
            if (l[0] == '~') { fmt = legacy; l++; }
            char fl[64][256];
            size_t nf = fields(l, fl, 64);
            for (size_t c = 0; c < nf; c++) {
                if (!fl[c][0]) continue;
                char *end;
                double v = strtod(fl[c], &end);
                if (fl[c][0] != '\'' && *end == '\0' && strspn(fl[c], "0123456789.-") == strlen(fl[c]) &&
                    strcmp(fl[c], "-") != 0)
                    worksheet_write_number(ws, r, (lxw_col_t)c, v, fmt);
                else
                    worksheet_write_string(ws, r, (lxw_col_t)c, fl[c][0] == '\'' ? fl[c] + 1 : fl[c], fmt);
            }
        }
        if (sheets[s].merges) {
            char buf[512];
            snprintf(buf, sizeof buf, "%s", sheets[s].merges);
            for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
                char *colon = strchr(tok, ':');
                assert_non_null(colon);
                uint32_t r1, c1, r2, c2;
                assert_true(wb_parse_ref(tok, (size_t)(colon - tok), &r1, &c1));
                assert_true(wb_parse_ref(colon + 1, strlen(colon + 1), &r2, &c2));
                char text[256];
                line_field(&sheets[s], r1, c1, text);
                worksheet_merge_range(ws, r1, (lxw_col_t)c1, r2, (lxw_col_t)c2, text, NULL);
            }
        }
        if (sheets[s].hidden) worksheet_hide(ws);
    }
    assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

typedef struct {
    grid_book book;
    results res;
    uint32_t src;
    int tables;
} run;

/* Read and recognize path; checks the reconciliation of the cell counts. */
static void run_path(run *r, const char *path)
{
    wb_error err = { 0 };
    assert_int_equal(grid_read(path, NULL, &r->book, &err), DTBD_OK);
    results_init(&r->res, cfg);
    r->src = results_add_source(&r->res, path);
    r->tables = recognize_workbook(cfg, &r->book, &r->res, r->src);
    const source_file *s = &r->res.sources[r->src];
    assert_false(r->res.oom);
    assert_true(s->cells_read > 0);
    assert_int_equal(s->cells_read, s->cells_recorded + s->cells_rejected + s->cells_outside);
}

static void run_free(run *r)
{
    results_free(&r->res);
    grid_free(&r->book);
}

/* The record made from cell a1 of sheet (NULL: any sheet), or NULL. */
static const record *rec_at(const run *r, const char *sheet, const char *a1)
{
    for (size_t i = 0; i < r->res.nrecords; i++) {
        const record *x = &r->res.records[i];
        char ref[16];
        wb_cell_ref(x->row, x->col, ref);
        if (strcmp(ref, a1) == 0 && (!sheet || strcmp(sheet, x->sheet) == 0)) return x;
    }
    return NULL;
}

/* The first record of group / metric / breakdown, or NULL. */
static const record *rec_find(const run *r, const char *group, const char *metric, const char *bd)
{
    for (size_t i = 0; i < r->res.nrecords; i++) {
        const record *x = &r->res.records[i];
        if (!strcmp(x->group, group) && !strcmp(x->metric, metric) && !strcmp(x->breakdown, bd)) return x;
    }
    return NULL;
}

/* Value of group / metric / breakdown (fails when absent). */
static double val(const run *r, const char *group, const char *metric, const char *bd)
{
    const record *x = rec_find(r, group, metric, bd);
    if (!x) fail_msg("no record %s %s %s", group, metric, bd);
    return x->value;
}

/* Count of records with that metric (any group). */
static size_t count_metric(const run *r, const char *metric)
{
    size_t n = 0;
    for (size_t i = 0; i < r->res.nrecords; i++) n += !strcmp(r->res.records[i].metric, metric);
    return n;
}

static size_t nfind(const run *r, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < r->res.nfindings; i++) n += !strcmp(r->res.findings[i].rule, rule);
    return n;
}

static const finding *ffind(const run *r, const char *rule)
{
    for (size_t i = 0; i < r->res.nfindings; i++)
        if (!strcmp(r->res.findings[i].rule, rule)) return &r->res.findings[i];
    return NULL;
}

/* Check the standard Biểu 01 body above was read right. */
static void check_b01(const run *r)
{
    assert_int_equal(val(r, "cbcc_th", "headcount", "all"), 100);
    assert_int_equal(val(r, "cbcc_th", "headcount", "female"), 40);
    assert_int_equal(val(r, "cbcc_th", "headcount", "ethnic"), 5);
    assert_int_equal(val(r, "cbcc_th", "qual_univ", "all"), 80);
    assert_int_equal(val(r, "cbcc_th", "qual_vocational", "all"), 3);
    assert_int_equal(val(r, "cb_xa", "headcount", "all"), 20);
    assert_int_equal(val(r, "cc_xa", "qual_fit", "all"), 26);
    assert_int_equal(val(r, "kct_xa", "qual_fit", "all"), 0);   /* "-" */
    assert_int_equal(val(r, "vc_ql", "qual_college", "all"), 0); /* blank */
    assert_int_equal(val(r, "hdnd", "qual_none", "all"), 8);
    assert_null(rec_find(r, "total", "headcount", "all"));
}

/* ---- the real LibreOffice fixtures ------------------------------------------------- */

static void check_giong_rieng(const run *r)
{
    const source_file *s = &r->res.sources[r->src];
    assert_int_equal(r->tables, 2);
    assert_string_equal(s->unit, "h-giong-rieng");
    assert_int_equal(s->year, 2024);
    assert_int_equal(s->report_date, 20250115);
    /* values read by hand from `dtbd dump` */
    const record *x = rec_at(r, "Biểu 01", "C10");
    assert_non_null(x);
    assert_string_equal(x->group, "cbcc_th");
    assert_string_equal(x->metric, "headcount");
    assert_string_equal(x->breakdown, "all");
    assert_int_equal(x->value, 162);
    assert_int_equal(x->table, 1);
    x = rec_at(r, "Biểu 01", "E14");
    assert_string_equal(x->group, "cb_xa");
    assert_string_equal(x->breakdown, "ethnic");
    assert_int_equal(x->value, 17);
    x = rec_at(r, "Biểu 01", "K16");                 /* "-" */
    assert_string_equal(x->metric, "qual_fit");
    assert_int_equal(x->value, 0);
    x = rec_at(r, "Biểu 01", "I18");                 /* blank in vc_ql's row */
    assert_string_equal(x->group, "vc_ql");
    assert_string_equal(x->metric, "qual_vocational");
    assert_int_equal(x->value, 0);
    x = rec_at(r, "Biểu 01", "C20");                 /* "1 Cấp huyện" under HĐND */
    assert_string_equal(x->group, "hdnd_huyen");
    assert_int_equal(x->value, 35);
    x = rec_at(r, "Biểu 01", "L10");                 /* "Tỷ lệ nữ (%)" */
    assert_string_equal(x->metric, "unmapped");
    assert_true(x->value > 49.39 && x->value < 49.41);
    x = rec_at(r, "Biểu 02", "D8");
    assert_string_equal(x->group, "cbcc_xa");
    assert_string_equal(x->metric, "llct_mid");
    assert_int_equal(x->value, 47);
    x = rec_at(r, "Biểu 02", "F7");                  /* "CVCC" under QLNN */
    assert_string_equal(x->metric, "qlnn_cvcc");
    x = rec_at(r, "Biểu 02", "I11");
    assert_string_equal(x->group, "hdnd");
    assert_string_equal(x->metric, "tr_law");
    assert_int_equal(x->value, 395);
    assert_int_equal(x->table, 2);
    assert_null(rec_at(r, "Biểu 01", "C22"));        /* Tổng cộng: a total, not a record */
    assert_null(rec_at(r, "Biểu 01", "C25"));        /* below the table */
    assert_int_equal(r->res.nrecords, 160);
    bool total = false;
    for (size_t i = 0; i < r->res.ntotals; i++) {
        const record *t = &r->res.totals[i];
        char a1[16];
        wb_cell_ref(t->row, t->col, a1);
        if (!strcmp(a1, "C22") && !strcmp(t->sheet, "Biểu 01")) {
            total = true;
            assert_string_equal(t->group, "total");
            assert_string_equal(t->metric, "headcount");
            assert_int_equal(t->value, 3565);
        }
    }
    assert_true(total);
    const finding *f = ffind(r, "unmapped_column");
    assert_non_null(f);
    assert_string_equal(f->cell, "L7");
    assert_non_null(strstr(f->message, "Tỷ lệ nữ (%)"));
    f = ffind(r, "legacy_encoding_repaired");     /* the TCVN3 notes under Biểu 02 */
    assert_non_null(f);
    assert_int_equal(f->sev, SEV_INFO);
    assert_string_equal(f->sheet, "Biểu 02");
    assert_string_equal(f->cell, "A14");
    assert_int_equal(nfind(r, "no_form") + nfind(r, "unit_unknown") + nfind(r, "not_a_number"), 0);
    assert_int_equal(s->cells_read, 292);
    assert_int_equal(s->cells_rejected, 0);
}

static void test_recognize_reads_libreoffice_xlsx_and_xls_alike(void **state)
{
    (void)state;
    run a, b;
    run_path(&a, "tests/fixtures/real/bao-cao-giong-rieng-2024.xlsx");
    run_path(&b, "tests/fixtures/real/bao-cao-giong-rieng-2024.xls");
    check_giong_rieng(&a);
    check_giong_rieng(&b);
    assert_int_equal(a.res.nrecords, b.res.nrecords);
    for (size_t i = 0; i < a.res.nrecords; i++) {
        const record *x = &a.res.records[i], *y = &b.res.records[i];
        assert_string_equal(x->group, y->group);
        assert_string_equal(x->metric, y->metric);
        assert_string_equal(x->breakdown, y->breakdown);
        assert_string_equal(x->sheet, y->sheet);
        assert_int_equal(x->row, y->row);
        assert_int_equal(x->col, y->col);
        assert_true(x->value == y->value);
    }
    run_free(&a);
    run_free(&b);
}

/* ---- layouts -------------------------------------------------------------------------- */

static void test_recognize_finds_tables_on_three_sheets_in_any_order(void **state)
{
    (void)state;
    const char *s1[] = { TITLE_TAN_HIEP, "", B03_HEAD, B03_ROWS, FOOTER, NULL };
    const char *s2[] = { TITLE_TAN_HIEP, "", B01_HEAD, B01_ROWS, FOOTER, NULL };
    const char *s3[] = { TITLE_TAN_HIEP, "", B02_HEAD, B02_ROWS, FOOTER, NULL };
    sheet_spec sh[] = { { "Kinh phi", s1, NULL, NULL, false }, { "Sheet2", s2, NULL, NULL, false },
                        { "KQ", s3, NULL, NULL, false } };
    char path[256];
    write_xlsx("bc.xlsx", sh, 3, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 3);
    check_b01(&r);
    const record *x = rec_find(&r, "funding", "budget_spent", "local");
    assert_non_null(x);
    assert_string_equal(x->sheet, "Kinh phi");
    assert_int_equal(x->value, 390);
    assert_int_equal(x->table, 3);
    assert_true(val(&r, "funding", "budget_spent", "total") == 480.5);  /* "480,5" as text */
    assert_int_equal(val(&r, "funding", "budget_spent", "sponsor"), 0);  /* "-" */
    assert_int_equal(val(&r, "cbcc_xa", "llct_senior", "all"), 0);
    assert_int_equal(val(&r, "vc", "it", "all"), 86);
    assert_int_equal(rec_find(&r, "vc", "it", "all")->table, 2);
    assert_int_equal(r.res.nfindings, 0);
    run_free(&r);
}

static void test_recognize_finds_tables_stacked_on_one_sheet(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "", B01_HEAD, B01_ROWS, "", "", B02_HEAD, B02_ROWS, "", "",
                            B03_HEAD, B03_ROWS, FOOTER, NULL };
    char path[256];
    write_csv("tan-hiep-2024.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 3);
    check_b01(&r);
    assert_int_equal(val(&r, "cbcc_th", "llct_mid", "all"), 21);
    assert_int_equal(val(&r, "funding", "budget_planned", "central"), 50);
    assert_int_equal(r.res.nfindings, 0);
    /* 2 tables' header words never became records */
    assert_int_equal(r.res.nrecords, 8 * 9 + 3 * 5 + 2 * 5);
    run_free(&r);
}

static void test_recognize_ignores_hidden_instruction_sheet(void **state)
{
    (void)state;
    const char *instr[] = { "HƯỚNG DẪN GHI BIỂU", "1. Cán bộ, công chức cấp tỉnh, cấp huyện: số có đến 31/12",
                            "Viên chức", "Cán bộ, công chức cấp xã|12", NULL };
    const char *body[] = { TITLE_TAN_HIEP, "", B01_HEAD, B01_ROWS, FOOTER, NULL };
    sheet_spec sh[] = { { "Hướng dẫn", instr, NULL, NULL, true }, { "Biểu 01", body, NULL, NULL, false } };
    char path[256];
    write_xlsx("bc2.xlsx", sh, 2, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 1);
    check_b01(&r);
    for (size_t i = 0; i < r.res.nrecords; i++) assert_string_equal(r.res.records[i].sheet, "Biểu 01");
    assert_int_equal(r.res.nfindings, 0);
    run_free(&r);
}

static void test_recognize_resolves_merged_header_paths(void **state)
{
    (void)state;
    const char *lines[] = {
        TITLE_TAN_HIEP,
        "Biểu 02: Kết quả đào tạo, bồi dưỡng",
        "STT|Đối tượng|Đào tạo||||||Lý luận chính trị|Cập nhật kiến thức pháp luật",
        "||Thạc sĩ|||Tiến sĩ|||||",
        "||Tổng số|Nữ|DTTS|Tổng số|Nữ|DTTS|Trung cấp|",
        "I|Cán bộ, công chức cấp tỉnh, cấp huyện|5|2|1|1|0|0|21|80",
        "II|Viên chức|7|4|0|2|1|0|15|150",
        FOOTER, NULL
    };
    sheet_spec sh[] = { { "B2", lines, "A6:A8 B6:B8 C6:H6 C7:E7 F7:H7 I6:I7 J6:J8", NULL, false } };
    char path[256];
    write_xlsx("merged.xlsx", sh, 1, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 1);
    assert_int_equal(val(&r, "cbcc_th", "ed_master", "all"), 5);
    assert_int_equal(val(&r, "cbcc_th", "ed_master", "female"), 2);
    assert_int_equal(val(&r, "cbcc_th", "ed_master", "ethnic"), 1);
    assert_int_equal(val(&r, "vc", "ed_phd", "all"), 2);
    assert_int_equal(val(&r, "vc", "ed_phd", "female"), 1);
    assert_int_equal(val(&r, "vc", "llct_mid", "all"), 15);     /* "Trung cấp" under LLCT */
    assert_int_equal(val(&r, "vc", "tr_law", "all"), 150);      /* merged J6:J8 */
    assert_int_equal(r.res.nrecords, 2 * 8);
    assert_int_equal(r.res.nfindings, 0);
    run_free(&r);
}

static void test_recognize_skips_column_number_row(void **state)
{
    (void)state;
    const char *lines[] = {
        TITLE_TAN_HIEP, "Biểu 01",
        "STT|Đối tượng|Tổng số|Nữ",
        "(A)|(B)|(1)=(2)+(3)|(2)",
        "I|Viên chức|30|12",
        FOOTER, NULL
    };
    char path[256];
    write_csv("colnum.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 1);
    assert_int_equal(r.res.nrecords, 2);
    assert_int_equal(val(&r, "vc", "headcount", "female"), 12);
    assert_int_equal(r.res.nfindings, 0);
    run_free(&r);
}

static void test_recognize_finds_label_in_column_a_or_b(void **state)
{
    (void)state;
    const char *lines[] = {
        TITLE_TAN_HIEP, "Biểu 01",
        "Đối tượng|Tổng số|Nữ",
        "Viên chức|30|12",
        "Trong đó: viên chức quản lý|3|1",
        "Tổng cộng|30|12",
        FOOTER, NULL
    };
    char path[256];
    write_csv("cot-a.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 1);
    const record *x = rec_at(&r, NULL, "B8");
    assert_non_null(x);
    assert_string_equal(x->group, "vc_ql");
    assert_int_equal(x->value, 3);
    assert_int_equal(r.res.nrecords, 4);
    assert_int_equal(r.res.ntotals, 2);
    run_free(&r);
}

/* ---- headers ---------------------------------------------------------------------------- */

static void test_recognize_matches_reworded_abbreviated_headers(void **state)
{
    (void)state;
    const char *lines[] = {
        TITLE_TAN_HIEP, "BIỂU SỐ 2",
        "STT|ĐỐI TƯỢNG|LLCT|QLNN||Đào tạo||QP-AN|Kiến thức pháp luật",
        "||Cao cấp|CVCC|CVC|ThS|TS||",
        "1|CBCC cấp tỉnh, huyện|1|2|3|4|5|6|7",
        "2|CB,CC cấp xã|11|12|13|14|15|16|17",
        FOOTER, NULL
    };
    char path[256];
    write_csv("abbr.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 1);
    assert_int_equal(val(&r, "cbcc_th", "llct_senior", "all"), 1);
    assert_int_equal(val(&r, "cbcc_th", "qlnn_cvcc", "all"), 2);
    assert_int_equal(val(&r, "cbcc_th", "qlnn_cvc", "all"), 3);
    assert_int_equal(val(&r, "cbcc_th", "ed_master", "all"), 4);
    assert_int_equal(val(&r, "cbcc_th", "ed_phd", "all"), 5);
    assert_int_equal(val(&r, "cbcc_th", "qpan", "all"), 6);
    assert_int_equal(val(&r, "cbcc_xa", "tr_law", "all"), 17);
    assert_int_equal(r.res.nfindings, 0);
    run_free(&r);
}

static void test_recognize_matches_headers_with_breaks_spaces_capitals_nfd(void **state)
{
    (void)state;
    const char *lines[] = {
        TITLE_TAN_HIEP, "Biểu 01",
        "STT|Đối tượng|TỔNG   SỐ|Trong đó: Nữ|Trong đó: DTTS|Chuyên môn phù hợp\nvị trí việc làm|"
        "Tro\xcc\x82\xcc\x80nh \xc4\x91o\xcc\xa3\xcc\x82 chuye\xcc\x82n mo\xcc\x82n",   /* NFD */
        "|||||| Đại  học ",
        "I|  Viên   chức |30|12|2|28|20",
        FOOTER, NULL
    };
    char path[256];
    write_csv("spaces.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 1);
    assert_int_equal(val(&r, "vc", "headcount", "all"), 30);
    assert_int_equal(val(&r, "vc", "headcount", "female"), 12);
    assert_int_equal(val(&r, "vc", "headcount", "ethnic"), 2);
    assert_int_equal(val(&r, "vc", "qual_fit", "all"), 28);
    assert_int_equal(val(&r, "vc", "qual_univ", "all"), 20);
    assert_int_equal(r.res.nfindings, 0);
    run_free(&r);
}

static void test_recognize_reads_reordered_columns(void **state)
{
    (void)state;
    const char *lines[] = {
        TITLE_TAN_HIEP, "Biểu 01",
        "STT|Đối tượng|Chuyên môn phù hợp vị trí việc làm|Đại học|Tổng số|DTTS|Nữ",
        "I|Viên chức|28|20|30|2|12",
        FOOTER, NULL
    };
    char path[256];
    write_csv("reorder.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(val(&r, "vc", "qual_fit", "all"), 28);
    assert_int_equal(val(&r, "vc", "qual_univ", "all"), 20);
    assert_int_equal(val(&r, "vc", "headcount", "all"), 30);
    assert_int_equal(val(&r, "vc", "headcount", "ethnic"), 2);
    assert_int_equal(val(&r, "vc", "headcount", "female"), 12);
    run_free(&r);
}

static void test_recognize_keeps_extra_column_as_unmapped(void **state)
{
    (void)state;
    const char *lines[] = {
        TITLE_TAN_HIEP, "Biểu 01",
        "STT|Đối tượng|Tổng số|Nữ|Tỷ lệ nữ (%)|Ghi chú",
        "I|Cán bộ, công chức cấp tỉnh, cấp huyện|100|40|40|Đã rà soát",
        "II|Viên chức|30|12|40|",
        FOOTER, NULL
    };
    char path[256];
    write_csv("extra.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(nfind(&r, "unmapped_column"), 2);
    const finding *f = ffind(&r, "unmapped_column");
    assert_int_equal(f->sev, SEV_WARNING);
    assert_string_equal(f->cell, "E6");
    assert_non_null(strstr(f->message, "Tỷ lệ nữ (%)"));
    const record *x = rec_at(&r, NULL, "E8");
    assert_non_null(x);
    assert_string_equal(x->group, "vc");
    assert_string_equal(x->metric, "unmapped");
    assert_string_equal(x->breakdown, "all");
    assert_int_equal(x->value, 40);
    assert_null(rec_at(&r, NULL, "F7"));       /* a note: outside, not a record */
    assert_int_equal(count_metric(&r, "unmapped"), 2);
    assert_int_equal(r.res.sources[r.src].cells_rejected, 0);
    run_free(&r);
}

static void test_recognize_missing_optional_column_gives_no_records(void **state)
{
    (void)state;
    const char *lines[] = {
        TITLE_TAN_HIEP, "Biểu 01",
        "STT|Đối tượng|Tổng số|Nữ|Đại học",
        "I|Viên chức|30|12|20",
        FOOTER, NULL
    };
    char path[256];
    write_csv("missing.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.res.nrecords, 3);
    assert_null(rec_find(&r, "vc", "headcount", "ethnic"));
    assert_null(rec_find(&r, "vc", "qual_college", "all"));
    assert_int_equal(r.res.nfindings, 0);
    run_free(&r);
}

/* ---- rows --------------------------------------------------------------------------------- */

static void test_recognize_reads_group_rows_numbered_roman_arabic_or_not(void **state)
{
    (void)state;
    const char *roman[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số",
                            "I.|Cán bộ, công chức cấp tỉnh, cấp huyện|10", "II -|Viên chức|20", FOOTER, NULL };
    const char *arabic[] = { TITLE_TAN_HIEP, "Biểu 01", "Đối tượng|Tổng số",
                             "1. Cán bộ, công chức cấp tỉnh, cấp huyện|10", "2) Viên chức|20", FOOTER, NULL };
    const char *none[] = { TITLE_TAN_HIEP, "Biểu 01", "Đối tượng|Tổng số",
                           "Cán bộ, công chức cấp tỉnh, cấp huyện|10", "Viên chức|20", FOOTER, NULL };
    const char *const *docs[] = { roman, arabic, none };
    for (size_t i = 0; i < 3; i++) {
        char path[256], name[32];
        snprintf(name, sizeof name, "num%zu.csv", i);
        write_csv(name, docs[i], path);
        run r;
        run_path(&r, path);
        assert_int_equal(r.tables, 1);
        assert_int_equal(r.res.nrecords, 2);
        assert_int_equal(val(&r, "cbcc_th", "headcount", "all"), 10);
        assert_int_equal(val(&r, "vc", "headcount", "all"), 20);
        assert_int_equal(r.res.nfindings, 0);
        run_free(&r);
    }
}

static void test_recognize_reads_sub_rows_with_and_without_their_total_row(void **state)
{
    (void)state;
    const char *with[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số",
                           "I|Cán bộ, công chức cấp xã|50", "1|Cán bộ|20", "2|Công chức|30",
                           "II|Đại biểu HĐND các cấp|9", "1|Cấp huyện|4", "2|Cấp xã|5", FOOTER, NULL };
    const char *without[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số",
                              "1|Cán bộ cấp xã|20", "2|Công chức cấp xã|30",
                              "3|Viên chức|7", "4|Cán bộ|1", FOOTER, NULL };
    char path[256];
    write_csv("with.csv", with, path);
    run r;
    run_path(&r, path);
    assert_int_equal(val(&r, "cbcc_xa", "headcount", "all"), 50);
    assert_int_equal(val(&r, "cb_xa", "headcount", "all"), 20);
    assert_int_equal(val(&r, "cc_xa", "headcount", "all"), 30);
    assert_int_equal(val(&r, "hdnd_huyen", "headcount", "all"), 4);
    assert_int_equal(val(&r, "hdnd_xa", "headcount", "all"), 5);
    assert_int_equal(r.res.nfindings, 0);
    run_free(&r);

    write_csv("without.csv", without, path);
    run_path(&r, path);
    assert_int_equal(val(&r, "cb_xa", "headcount", "all"), 20);
    assert_int_equal(val(&r, "cc_xa", "headcount", "all"), 30);
    assert_null(rec_find(&r, "cbcc_xa", "headcount", "all"));
    /* "Cán bộ" with no parent above: a sub-alias is valid only under its parent */
    assert_int_equal(nfind(&r, "unmapped_row"), 1);
    const record *x = rec_at(&r, NULL, "C10");
    assert_non_null(x);
    assert_string_equal(x->group, "unmapped");
    assert_string_equal(x->metric, "headcount");
    run_free(&r);
}

static void test_recognize_keeps_total_row_as_totals_not_records(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, B02_HEAD, B02_ROWS, FOOTER, NULL };
    char path[256];
    write_csv("tong.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.res.nrecords, 3 * 5);
    assert_null(rec_find(&r, "total", "tr_law", "all"));
    assert_int_equal(r.res.ntotals, 5);
    assert_string_equal(r.res.totals[3].group, "total");
    assert_string_equal(r.res.totals[3].metric, "tr_law");
    assert_int_equal(r.res.totals[3].value, 269);
    /* the total row's values are outside, not recorded */
    const source_file *s = &r.res.sources[r.src];
    assert_int_equal(s->cells_recorded, 15);
    run_free(&r);
}

static void test_recognize_flags_unmapped_row_and_keeps_its_numbers(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số|Nữ",
                            "I|Viên chức|30|12", "II|Lao động hợp đồng theo Nghị định 68|25|9",
                            "|Ghi chú: số liệu đến 31/12||", FOOTER, NULL };
    char path[256];
    write_csv("row.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(nfind(&r, "unmapped_row"), 1);
    const finding *f = ffind(&r, "unmapped_row");
    assert_string_equal(f->cell, "B8");
    assert_non_null(strstr(f->message, "Lao động hợp đồng theo Nghị định 68"));
    const record *x = rec_at(&r, NULL, "D8");
    assert_string_equal(x->group, "unmapped");
    assert_string_equal(x->metric, "headcount");
    assert_string_equal(x->breakdown, "female");
    assert_int_equal(x->value, 9);
    assert_int_equal(r.res.nrecords, 4);
    run_free(&r);
}

/* ---- values ---------------------------------------------------------------------------------- */

static void test_recognize_reads_numbers_typed_as_text(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số|Nữ|Dân tộc thiểu số",
                            "I|Viên chức|'1.234|' 56 |'–", "II|Cán bộ, công chức cấp xã|'2.000||'-",
                            "", "", B03_HEAD, "1|Dự toán|'12,5|'10,25|'2,25|'-|", FOOTER, NULL };
    sheet_spec sh[] = { { "BC", lines, NULL, NULL, false } };
    char path[256];
    write_xlsx("text-numbers.xlsx", sh, 1, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 2);
    assert_int_equal(val(&r, "vc", "headcount", "all"), 1234);
    assert_int_equal(val(&r, "vc", "headcount", "female"), 56);
    assert_int_equal(val(&r, "vc", "headcount", "ethnic"), 0);
    assert_int_equal(val(&r, "cbcc_xa", "headcount", "all"), 2000);
    assert_int_equal(val(&r, "cbcc_xa", "headcount", "female"), 0);   /* blank */
    assert_true(val(&r, "funding", "budget_planned", "total") == 12.5);
    assert_true(val(&r, "funding", "budget_planned", "local") == 10.25);
    assert_int_equal(val(&r, "funding", "budget_planned", "agency"), 0);
    assert_int_equal(val(&r, "funding", "budget_planned", "sponsor"), 0);
    assert_int_equal(nfind(&r, "not_a_number"), 0);
    /* a blank makes a record but counts no cell */
    const source_file *s = &r.res.sources[r.src];
    assert_int_equal(r.res.nrecords, 6 + 5);
    assert_int_equal(s->cells_recorded, 5 + 4);
    run_free(&r);
}

static void test_recognize_rejects_a_bad_number(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số|Nữ",
                            "I|Viên chức|40 người|12", "II|Cán bộ, công chức cấp xã|x|3", FOOTER, NULL };
    char path[256];
    write_csv("bad.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(nfind(&r, "not_a_number"), 2);
    const finding *f = ffind(&r, "not_a_number");
    assert_int_equal(f->sev, SEV_ERROR);
    assert_string_equal(f->cell, "C7");
    assert_string_equal(f->unit, "h-tan-hiep");
    assert_int_equal(f->year, 2024);
    assert_non_null(strstr(f->message, "40 người"));
    assert_null(rec_at(&r, NULL, "C7"));
    assert_int_equal(val(&r, "vc", "headcount", "female"), 12);
    assert_int_equal(r.res.sources[r.src].cells_rejected, 2);
    run_free(&r);
}

/* ---- legacy encodings ------------------------------------------------------------------------ */

static void test_recognize_repairs_tcvn3_headers_and_labels(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 01",
                            "~STT||Tæng sè|N÷|D©n téc thiÓu sè|§¹i häc",
                            "~I|C¸n bé, c«ng chøc cÊp tØnh, cÊp huyÖn|10|4|1|8",
                            "~II|Viªn chøc|20|9|2|15",
                            "~Tæng céng||30|13|3|23", FOOTER, NULL };
    sheet_spec sh[] = { { "Biểu 01", lines, NULL, ".VnTime", false } };
    char path[256];
    write_xlsx("tcvn3.xlsx", sh, 1, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 1);
    assert_int_equal(val(&r, "cbcc_th", "headcount", "female"), 4);
    assert_int_equal(val(&r, "vc", "headcount", "ethnic"), 2);
    assert_int_equal(val(&r, "vc", "qual_univ", "all"), 15);
    assert_int_equal(r.res.nrecords, 8);
    assert_int_equal(r.res.ntotals, 4);
    assert_int_equal(nfind(&r, "legacy_encoding_repaired"), 1);
    const finding *f = ffind(&r, "legacy_encoding_repaired");
    assert_int_equal(f->sev, SEV_INFO);
    assert_string_equal(f->cell, "C6");
    assert_non_null(strstr(f->message, "TCVN3"));
    assert_non_null(strstr(f->message, "7 ô"));
    run_free(&r);
}

static void test_recognize_repairs_vni_headers_and_labels(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 01",
                            "~STT||Toång soá|Nöõ|Ñaïi hoïc",
                            "~I|Caùn boä, coâng chöùc caáp tænh, caáp huyeän|10|4|8",
                            "~II|Vieân chöùc|20|9|15", FOOTER, NULL };
    sheet_spec sh[] = { { "BC", lines, NULL, "VNI-Times", false } };
    char path[256];
    write_xlsx("vni.xlsx", sh, 1, path);
    run r;
    run_path(&r, path);
    assert_int_equal(val(&r, "cbcc_th", "headcount", "all"), 10);
    assert_int_equal(val(&r, "vc", "headcount", "female"), 9);
    assert_int_equal(val(&r, "vc", "qual_univ", "all"), 15);
    const finding *f = ffind(&r, "legacy_encoding_repaired");
    assert_non_null(f);
    assert_non_null(strstr(f->message, "VNI"));
    run_free(&r);
}

/* ---- unit and year ------------------------------------------------------------------------------ */

static void test_recognize_takes_unit_from_title_block(void **state)
{
    (void)state;
    const char *lines[] = { "SỞ Y TẾ", "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG NĂM 2023", "Biểu 01",
                            "Đối tượng|Tổng số", "Viên chức|20", NULL };
    char path[256];
    write_csv("bao-cao.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_string_equal(r.res.sources[r.src].unit, "so-y-te");
    assert_int_equal(r.res.sources[r.src].year, 2023);
    assert_string_equal(r.res.records[0].unit, "so-y-te");
    assert_int_equal(r.res.records[0].year, 2023);
    run_free(&r);
}

static void test_recognize_takes_unit_from_file_name(void **state)
{
    (void)state;
    const char *lines[] = { "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG NĂM 2023", "Biểu 01",
                            "Đối tượng|Tổng số", "Viên chức|20", NULL };
    char path[256];
    write_csv("so-tu-phap.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_string_equal(r.res.sources[r.src].unit, "so-tu-phap");
    assert_int_equal(r.res.nrecords, 1);
    /* a weak clue: said so, the figure still recorded */
    assert_int_equal(r.res.nfindings, 1);
    assert_int_equal(nfind(&r, "unit_weak"), 1);
    run_free(&r);
}

static void test_recognize_unknown_unit_names_candidates_and_adds_no_records(void **state)
{
    (void)state;
    const char *lines[] = { "Đơn vị báo cáo: Trung tâm Phục vụ hành chính công",
                            "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG NĂM 2023", "Biểu 01",
                            "Đối tượng|Tổng số|Nữ", "Viên chức|20|x", "Tổng cộng|20|", NULL };
    char path[256];
    write_csv("bao-cao-2023.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 1);
    const finding *f = ffind(&r, "unit_unknown");
    assert_non_null(f);
    assert_int_equal(f->sev, SEV_ERROR);
    assert_non_null(strstr(f->message, "Có phải:"));
    assert_non_null(strstr(f->message, "("));
    assert_int_equal(r.res.nrecords, 0);
    assert_int_equal(r.res.ntotals, 0);
    const source_file *s = &r.res.sources[r.src];
    assert_null(s->unit);
    assert_int_equal(s->cells_recorded, 0);
    assert_int_equal(s->cells_rejected, 2);    /* 20 would have been recorded; "x" not a number */
    run_free(&r);
}

static void test_recognize_year_rules(void **state)
{
    (void)state;
    const char *none[] = { "SỞ Y TẾ", "Biểu 01", "Đối tượng|Tổng số", "Viên chức|20", NULL };
    const char *old[] = { "SỞ Y TẾ", "BÁO CÁO NĂM 2019", "Biểu 01", "Đối tượng|Tổng số", "Viên chức|20", NULL };
    const char *conflict[] = { "SỞ Y TẾ", "BÁO CÁO NĂM 2023", "Biểu 01", "Đối tượng|Tổng số", "Viên chức|20",
                               NULL };
    char path[256];
    run r;
    write_csv("bc-y-te.csv", none, path);
    run_path(&r, path);
    assert_non_null(ffind(&r, "year_missing"));
    assert_int_equal(r.res.nrecords, 0);
    run_free(&r);
    write_csv("bc-y-te-old.csv", old, path);
    run_path(&r, path);
    assert_non_null(ffind(&r, "year_outside_plan"));
    assert_int_equal(r.res.nrecords, 0);
    run_free(&r);
    write_csv("bc-y-te-2022.csv", conflict, path);
    run_path(&r, path);
    const finding *f = ffind(&r, "year_conflict");
    assert_non_null(f);
    assert_int_equal(f->sev, SEV_WARNING);
    assert_int_equal(r.res.sources[r.src].year, 2023);
    assert_int_equal(r.res.nrecords, 1);
    assert_int_equal(r.res.records[0].year, 2023);
    run_free(&r);
}

static void test_recognize_no_form_in_a_workbook_without_tables(void **state)
{
    (void)state;
    const char *lines[] = { "SỞ Y TẾ", "DANH SÁCH HỌC VIÊN NĂM 2023", "Họ tên|Ngày sinh",
                            "Nguyễn Văn A|1980", NULL };
    char path[256];
    write_csv("so-y-te-hv.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.tables, 0);
    assert_int_equal(r.res.nfindings, 1);
    const finding *f = ffind(&r, "no_form");
    assert_non_null(f);
    assert_string_equal(f->cell, "");
    assert_int_equal(r.res.nrecords, 0);
    assert_int_equal(r.res.sources[r.src].cells_outside, r.res.sources[r.src].cells_read);
    run_free(&r);
}

static void test_recognize_agency_short_group_label_is_its_own_level(void **state)
{
    (void)state;
    const char *lines[] = { "SỞ Y TẾ", "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG NĂM 2023", "Biểu 01",
                            "STT|Đối tượng|Tổng số", "I|Cán bộ, công chức|20", "II|Viên chức|50", NULL };
    char path[256];
    write_csv("so-y-te-2023.csv", lines, path);
    run r;
    run_path(&r, path);
    /* an agency reports no commune level: "Cán bộ, công chức" is cbcc_th */
    assert_int_equal(val(&r, "cbcc_th", "headcount", "all"), 20);
    assert_int_equal(nfind(&r, "unmapped_row"), 0);
    run_free(&r);
    const char *district[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số", "I|Cán bộ, công chức|20",
                               "II|Viên chức|50", NULL };
    write_csv("tan-hiep-ambiguous.csv", district, path);
    run_path(&r, path);
    /* a district has both levels: no guess */
    assert_int_equal(nfind(&r, "unmapped_row"), 1);
    assert_null(rec_find(&r, "cbcc_th", "headcount", "all"));
    assert_null(rec_find(&r, "cbcc_xa", "headcount", "all"));
    run_free(&r);
}

/* A whole is never taken for its part: "Viên chức đơn vị sự nghiệp công lập"
 * under cbcc_th holds "công chức" out of order, "viên chức" as a phrase. */
static void test_recognize_rows_are_one_best_assignment(void **state)
{
    (void)state;
    const char *lines[] = { "SỞ Y TẾ", "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG NĂM 2023", "Biểu 01",
                            "STT|Đối tượng|Tổng số", "I|CB,CC cấp tỉnh, cấp huyện|20",
                            "II|Viên chức đơn vị sự nghiệp công lập|50",
                            "|Trong đó: viên chức quản lý|5", FOOTER, NULL };
    char path[256];
    write_csv("so-y-te-2023.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(val(&r, "cbcc_th", "headcount", "all"), 20);
    assert_int_equal(val(&r, "vc", "headcount", "all"), 50);
    assert_int_equal(val(&r, "vc_ql", "headcount", "all"), 5);
    assert_null(rec_find(&r, "cc_th", "headcount", "all"));
    assert_int_equal(nfind(&r, "unmapped_row"), 0);
    run_free(&r);
}

/* A table runs over blank rows: reworded group rows after them, with values
 * or only dashes, are rows of the table, not its end. */
static void test_recognize_table_runs_over_blank_rows(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số|Nữ", "1|2|3|4",
                            "1|CBCC cấp huyện|20|8", "",
                            "2|Cán bộ, công chức cấp xã|30|10", "",
                            "3|Những người hoạt động không chuyên trách cấp xã|-|-", "", "",
                            "4|Viên chức đơn vị sự nghiệp công lập|50|30",
                            "5|Đại biểu HĐND|9|2", FOOTER, NULL };
    char path[256];
    write_csv("blank-rows.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(val(&r, "cbcc_th", "headcount", "all"), 20);
    assert_int_equal(val(&r, "cbcc_xa", "headcount", "female"), 10);
    assert_int_equal(val(&r, "kct_xa", "headcount", "all"), 0);
    assert_int_equal(val(&r, "vc", "headcount", "female"), 30);
    assert_int_equal(val(&r, "hdnd", "headcount", "all"), 9);
    assert_int_equal(nfind(&r, "unmapped_row"), 0);
    run_free(&r);
}

/* Nothing lost, loudly: numbers left outside every table after a table was
 * cut (a note row, then rows the recognizer cannot tie to it) are one
 * warning per block, naming the range. */
static void test_recognize_numbers_outside_tables_are_one_warning_per_block(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số|Nữ", "1|2|3|4",
                            "I|Cán bộ, công chức cấp tỉnh, cấp huyện|20|8", "", "",
                            "Ghi chú: số liệu bổ sung", "|xyz|7|3", "|abc|5|1", "", "", "",
                            "||9", FOOTER, NULL };
    char path[256];
    write_csv("outside.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(val(&r, "cbcc_th", "headcount", "all"), 20);
    assert_int_equal(nfind(&r, "cells_outside_tables"), 2);
    const finding *f = ffind(&r, "cells_outside_tables");
    assert_int_equal(f->sev, SEV_WARNING);
    assert_string_equal(f->cell, "C12");
    assert_non_null(strstr(f->message, "C12:D13"));
    run_free(&r);
}

/* Nữ / DTTS as sub-rows under their group row: the group's figures with
 * that breakdown, in the columns whose metric allows it. */
static void test_recognize_breakdown_subrows(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số|Đại học|Chuyên môn phù hợp vị trí việc làm",
                            "1|2|3|4|5",
                            "I|Cán bộ, công chức cấp tỉnh, cấp huyện|20|15|18", "|Trong đó: Nữ|8||",
                            "|- DTTS|2||", "II|Viên chức|50|40|45", "|+ Nữ|30||", FOOTER, NULL };
    char path[256];
    write_csv("subrows.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_int_equal(val(&r, "cbcc_th", "headcount", "all"), 20);
    assert_int_equal(val(&r, "cbcc_th", "headcount", "female"), 8);
    assert_int_equal(val(&r, "cbcc_th", "headcount", "ethnic"), 2);
    assert_int_equal(val(&r, "vc", "headcount", "female"), 30);
    assert_int_equal(val(&r, "vc", "qual_univ", "all"), 40);
    assert_null(rec_find(&r, "vc", "qual_univ", "female"));
    assert_int_equal(nfind(&r, "unmapped_row"), 0);
    run_free(&r);
}

/* Biểu 03 written transposed: sources as rows, Dự toán / Thực hiện as columns. */
static void test_recognize_budget_table_transposed(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 03", "Đơn vị tính: triệu đồng", "STT|Nguồn kinh phí|Dự toán|Thực hiện",
                            "1|Ngân sách địa phương|120,5|100", "2|Ngân sách Trung ương|30|-",
                            "3|Cơ quan, đơn vị|10|9", "4|Tài trợ||", "|Tổng cộng|160,5|109", FOOTER, NULL };
    char path[256];
    write_csv("b03-transposed.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_true(val(&r, "funding", "budget_planned", "local") == 120.5);
    assert_int_equal(val(&r, "funding", "budget_spent", "local"), 100);
    assert_int_equal(val(&r, "funding", "budget_spent", "central"), 0);
    assert_int_equal(val(&r, "funding", "budget_planned", "sponsor"), 0);
    assert_true(val(&r, "funding", "budget_planned", "total") == 160.5);
    assert_int_equal(val(&r, "funding", "budget_spent", "total"), 109);
    assert_int_equal(nfind(&r, "unmapped_row"), 0);
    assert_int_equal(nfind(&r, "unmapped_column"), 0);
    run_free(&r);
}

/* A unit known only from the file name is a warning naming that clue; a
 * title that names another unit than the file name is a conflict warning
 * (the title wins). */
static void test_recognize_weak_and_conflicting_unit_clues(void **state)
{
    (void)state;
    const char *weak[] = { "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG NĂM 2023", "Biểu 01", "STT|Đối tượng|Tổng số",
                           "I|Cán bộ, công chức cấp tỉnh, cấp huyện|20", "II|Viên chức|50", FOOTER, NULL };
    char path[256];
    write_csv("so-y-te-2023.csv", weak, path);
    run r;
    run_path(&r, path);
    assert_int_equal(val(&r, "cbcc_th", "headcount", "all"), 20);
    assert_int_equal(nfind(&r, "unit_weak"), 1);
    assert_non_null(strstr(ffind(&r, "unit_weak")->message, "so-y-te-2023.csv"));
    assert_int_equal(nfind(&r, "unit_conflict"), 0);
    run_free(&r);
    const char *other[] = { "SỞ Y TẾ", "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG NĂM 2023", "Biểu 01",
                            "STT|Đối tượng|Tổng số", "I|Cán bộ, công chức cấp tỉnh, cấp huyện|20",
                            "II|Viên chức|50", FOOTER, NULL };
    write_csv("so-tu-phap-2023.csv", other, path);
    run_path(&r, path);
    assert_string_equal(r.res.sources[r.src].unit, "so-y-te");
    assert_int_equal(nfind(&r, "unit_conflict"), 1);
    assert_int_equal(nfind(&r, "unit_weak"), 0);
    run_free(&r);
}

/* The year of each table from its own title (a workbook may carry two);
 * "Số liệu tính đến ngày 31/12/YYYY" states a year too. */
static void test_recognize_year_of_each_table_and_cutoff_date(void **state)
{
    (void)state;
    const char *two[] = { "UBND HUYỆN TÂN HIỆP", "BÁO CÁO SỐ LƯỢNG CBCCVC NĂM 2023", "Biểu 01",
                          "STT|Đối tượng|Tổng số", "I|Viên chức|50", "", "",
                          "Biểu 02 - KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG NĂM 2024", "STT|Đối tượng|Tin học",
                          "I|Viên chức|7", FOOTER, NULL };
    char path[256];
    write_csv("tan-hiep-2023.csv", two, path);
    run r;
    run_path(&r, path);
    const record *b1 = rec_find(&r, "vc", "headcount", "all");
    const record *b2 = rec_find(&r, "vc", "it", "all");
    assert_non_null(b1);
    assert_non_null(b2);
    assert_int_equal(b1->year, 2023);
    assert_int_equal(b2->year, 2024);
    assert_int_equal(nfind(&r, "table_year"), 1);
    run_free(&r);
    const char *cut[] = { "UBND HUYỆN TÂN HIỆP", "BÁO CÁO SỐ LƯỢNG CBCCVC",
                          "(Số liệu tính đến ngày 31/12/2022)", "Biểu 01", "STT|Đối tượng|Tổng số",
                          "I|Viên chức|50", FOOTER, NULL };
    write_csv("tan-hiep.csv", cut, path);
    run_path(&r, path);
    assert_int_equal(r.res.sources[r.src].year, 2022);
    assert_int_equal(nfind(&r, "year_missing"), 0);
    run_free(&r);
}

static void test_recognize_records_fractional_text_count_for_the_validator(void **state)
{
    (void)state;
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 01", "STT|Đối tượng|Tổng số|Nữ",
                            "I|Viên chức|30|12,5", FOOTER, NULL };
    char path[256];
    write_csv("frac.csv", lines, path);
    run r;
    run_path(&r, path);
    assert_true(val(&r, "vc", "headcount", "female") == 12.5);
    assert_int_equal(nfind(&r, "not_a_number"), 0);
    run_free(&r);
}

static void test_recognize_decodes_legacy_text_that_also_reads_as_unicode(void **state)
{
    (void)state;
    /* "Céng" is TCVN3 for "Cộng" but reads as a Unicode syllable too */
    const char *lines[] = { TITLE_TAN_HIEP, "Biểu 01", "~STT||Tæng sè|N÷",
                            "~I|Viªn chøc|20|9", "~|Céng|20|9", FOOTER, NULL };
    sheet_spec sh[] = { { "B1", lines, NULL, ".VnTime", false } };
    char path[256];
    write_xlsx("cong.xlsx", sh, 1, path);
    run r;
    run_path(&r, path);
    assert_int_equal(r.res.nrecords, 2);
    assert_int_equal(r.res.ntotals, 2);
    assert_int_equal(nfind(&r, "unmapped_row"), 0);
    run_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recognize_reads_libreoffice_xlsx_and_xls_alike),
        cmocka_unit_test(test_recognize_finds_tables_on_three_sheets_in_any_order),
        cmocka_unit_test(test_recognize_finds_tables_stacked_on_one_sheet),
        cmocka_unit_test(test_recognize_ignores_hidden_instruction_sheet),
        cmocka_unit_test(test_recognize_resolves_merged_header_paths),
        cmocka_unit_test(test_recognize_skips_column_number_row),
        cmocka_unit_test(test_recognize_finds_label_in_column_a_or_b),
        cmocka_unit_test(test_recognize_matches_reworded_abbreviated_headers),
        cmocka_unit_test(test_recognize_matches_headers_with_breaks_spaces_capitals_nfd),
        cmocka_unit_test(test_recognize_reads_reordered_columns),
        cmocka_unit_test(test_recognize_keeps_extra_column_as_unmapped),
        cmocka_unit_test(test_recognize_missing_optional_column_gives_no_records),
        cmocka_unit_test(test_recognize_reads_group_rows_numbered_roman_arabic_or_not),
        cmocka_unit_test(test_recognize_reads_sub_rows_with_and_without_their_total_row),
        cmocka_unit_test(test_recognize_keeps_total_row_as_totals_not_records),
        cmocka_unit_test(test_recognize_flags_unmapped_row_and_keeps_its_numbers),
        cmocka_unit_test(test_recognize_reads_numbers_typed_as_text),
        cmocka_unit_test(test_recognize_rejects_a_bad_number),
        cmocka_unit_test(test_recognize_repairs_tcvn3_headers_and_labels),
        cmocka_unit_test(test_recognize_repairs_vni_headers_and_labels),
        cmocka_unit_test(test_recognize_takes_unit_from_title_block),
        cmocka_unit_test(test_recognize_takes_unit_from_file_name),
        cmocka_unit_test(test_recognize_unknown_unit_names_candidates_and_adds_no_records),
        cmocka_unit_test(test_recognize_year_rules),
        cmocka_unit_test(test_recognize_no_form_in_a_workbook_without_tables),
        cmocka_unit_test(test_recognize_agency_short_group_label_is_its_own_level),
        cmocka_unit_test(test_recognize_rows_are_one_best_assignment),
        cmocka_unit_test(test_recognize_table_runs_over_blank_rows),
        cmocka_unit_test(test_recognize_numbers_outside_tables_are_one_warning_per_block),
        cmocka_unit_test(test_recognize_breakdown_subrows),
        cmocka_unit_test(test_recognize_budget_table_transposed),
        cmocka_unit_test(test_recognize_weak_and_conflicting_unit_clues),
        cmocka_unit_test(test_recognize_year_of_each_table_and_cutoff_date),
        cmocka_unit_test(test_recognize_records_fractional_text_count_for_the_validator),
        cmocka_unit_test(test_recognize_decodes_legacy_text_that_also_reads_as_unicode),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
