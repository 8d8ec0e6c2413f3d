/* tests/unit/test_xls.c — the .xls reader on workbooks LibreOffice wrote
 * (tests/fixtures/xls/make.py). Expected values were checked against
 * LibreOffice's own CSV export of the same files (tests/fixtures/xls/lo-csv/)
 * and against xlrd 1.2.0 (formats, fonts, merges, sheet visibility).
 * FreeXL supplies the plain cells' values when it may open a file; the same
 * file read by the records alone (walk_only) must give the very same cells,
 * and FreeXL's raw values must match the records' (the oracle tests). The
 * guard fixtures (dim-huge, date-huge, no-dimension) are built by hand. */
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
#include <freexl.h>

#include "input/cfb.h"
#include "input/vnenc.h"
#include "input/workbook.h"
#include "input/xls.h"

#define FIX "tests/fixtures/xls/"

/* ---- a recording sink ------------------------------------------------------ */

typedef struct {
    unsigned sheet;
    char sheet_name[96];
    wb_cell c;          /* text and font point into the strings below */
    char *text;
    char *font;
} rec_cell;

typedef struct {
    unsigned sheet;
    wb_range r;
    size_t after_cells; /* cells recorded before this merge */
} rec_merge;

typedef struct {
    wb_sheet_info sheets[16];
    char names[16][96];
    unsigned nsheets, nended;
    rec_cell *cells;
    size_t ncells, capcells;
    rec_merge merges[16];
    size_t nmerges;
    int begin_rc;       /* what sheet_begin returns */
    size_t abort_after; /* cell returns non-zero after this many (0: never) */
} recorder;

/* sheet_begin: remember the sheet. */
static int on_begin(void *ctx, const wb_sheet_info *s)
{
    recorder *r = ctx;
    if (r->nsheets < 16) {
        snprintf(r->names[r->nsheets], 96, "%s", s->name);
        r->sheets[r->nsheets] = *s;
        r->sheets[r->nsheets].name = r->names[r->nsheets];
    }
    r->nsheets++;
    return r->begin_rc;
}

/* cell: copy it. */
static int on_cell(void *ctx, const wb_cell *c)
{
    recorder *r = ctx;
    if (r->ncells == r->capcells) { /* doubling: 400,000 cells in one test */
        r->capcells = r->capcells ? 2 * r->capcells : 64;
        r->cells = realloc(r->cells, r->capcells * sizeof *r->cells);
        assert_non_null(r->cells);
    }
    rec_cell *k = &r->cells[r->ncells++];
    memset(k, 0, sizeof *k);
    k->sheet = r->nsheets - 1;
    k->c = *c;
    if (c->text) {
        k->text = malloc(c->len + 1);
        memcpy(k->text, c->text, c->len);
        k->text[c->len] = '\0';
    }
    if (c->font) k->font = strdup(c->font);
    k->c.text = k->text;
    k->c.font = k->font;
    return r->abort_after && r->ncells >= r->abort_after;
}

/* merge: copy it. */
static int on_merge(void *ctx, const wb_range *g)
{
    recorder *r = ctx;
    if (r->nmerges < 16)
        r->merges[r->nmerges++] = (rec_merge){r->nsheets - 1, *g, r->ncells};
    return 0;
}

/* sheet_end: count. */
static int on_end(void *ctx, const wb_sheet_info *s)
{
    (void)s;
    ((recorder *)ctx)->nended++;
    return 0;
}

/* Free what the recorder copied. */
static void rec_free(recorder *r)
{
    for (size_t i = 0; i < r->ncells; i++) {
        free(r->cells[i].text);
        free(r->cells[i].font);
    }
    free(r->cells);
    r->cells = NULL;
    r->ncells = r->capcells = 0;
}

/* Read path through wb_read into r; returns the status. */
static dtbd_status read_into(const char *path, const wb_limits *lim, recorder *r, wb_error *err)
{
    wb_sink sink = {r, on_begin, on_cell, on_merge, on_end};
    return wb_read(path, lim, &sink, err);
}

/* The recorded cell at sheet s, reference ref ("B3"), or NULL. */
static const rec_cell *find(const recorder *r, unsigned s, const char *ref)
{
    uint32_t row, col;
    assert_true(wb_parse_ref(ref, strlen(ref), &row, &col));
    for (size_t i = 0; i < r->ncells; i++)
        if (r->cells[i].sheet == s && r->cells[i].c.row == row && r->cells[i].c.col == col)
            return &r->cells[i];
    return NULL;
}

/* Assert a number cell. */
static void expect_number(const recorder *r, const char *ref, double v)
{
    const rec_cell *k = find(r, 0, ref);
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_NUMBER);
    assert_true(k->c.num == v);
}

/* Assert a text cell. */
static void expect_text(const recorder *r, unsigned s, const char *ref, const char *text)
{
    const rec_cell *k = find(r, s, ref);
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_TEXT);
    assert_string_equal(k->text, text);
    assert_int_equal(k->c.len, strlen(text));
}

/* Assert a date cell by its ISO text. */
static void expect_date(const recorder *r, unsigned s, const char *ref, const char *iso)
{
    const rec_cell *k = find(r, s, ref);
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_DATE);
    char out[32];
    wb_date_iso(k->c.num, out);
    assert_string_equal(out, iso);
}

/* Shared fixture: report.xls read once per test. */
static int setup_report(void **state)
{
    recorder *r = calloc(1, sizeof *r);
    wb_error err;
    assert_int_equal(read_into(FIX "report.xls", NULL, r, &err), DTBD_OK);
    *state = r;
    return 0;
}

/* Free the shared fixture. */
static int teardown_report(void **state)
{
    rec_free(*state);
    free(*state);
    return 0;
}

/* ---- sniffing ------------------------------------------------------------------ */

static void test_xls_sniff_finds_workbook_stream(void **state)
{
    (void)state;
    wb_error err;
    assert_int_equal(wb_sniff(FIX "report.xls", &err), WB_FMT_XLS);
    assert_int_equal(xls_sniff(FIX "report.xls", &err), WB_FMT_XLS);
}

static void test_xls_sniff_encrypted_package_is_encrypted(void **state)
{
    (void)state;
    wb_error err;
    assert_int_equal(wb_sniff(FIX "encrypted-ooxml.xls", &err), WB_FMT_ENCRYPTED);
}

static void test_xls_sniff_ole_without_workbook_is_ole_other(void **state)
{
    (void)state;
    wb_error err;
    assert_int_equal(wb_sniff(FIX "no-workbook.doc", &err), WB_FMT_OLE_OTHER);
}

/* ---- sheets ---------------------------------------------------------------------- */

static void test_xls_reads_sheets_in_order_with_hidden_flags(void **state)
{
    recorder *r = *state;
    assert_int_equal(r->nsheets, 4);
    assert_int_equal(r->nended, 4);
    const char *names[] = {"Biểu 01", "Ẩn", "Rất ẩn", "Trống"};
    const bool hidden[] = {false, true, true, false};
    for (unsigned i = 0; i < 4; i++) {
        assert_string_equal(r->sheets[i].name, names[i]);
        assert_int_equal(r->sheets[i].index, i);
        assert_int_equal(r->sheets[i].hidden, hidden[i]);
    }
    expect_text(r, 1, "A1", "trang ẩn");
    const rec_cell *k = find(r, 2, "B2");
    assert_non_null(k);
    assert_true(k->c.num == 42);
}

static void test_xls_reads_very_hidden_sheet_as_hidden(void **state)
{
    (void)state;
    recorder r = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "veryhidden.xls", NULL, &r, &err), DTBD_OK);
    assert_int_equal(r.nsheets, 4);
    assert_string_equal(r.sheets[2].name, "Rất ẩn");
    assert_true(r.sheets[2].hidden);
    assert_false(r.sheets[3].hidden);
    rec_free(&r);
}

static void test_xls_empty_sheet_has_no_cells(void **state)
{
    recorder *r = *state;
    for (size_t i = 0; i < r->ncells; i++) assert_int_not_equal(r->cells[i].sheet, 3);
}

/* ---- values ------------------------------------------------------------------------ */

static void test_xls_reads_plain_numbers_and_texts(void **state)
{
    recorder *r = *state;
    expect_text(r, 0, "A1", "BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG");
    expect_text(r, 0, "B4", "UBND huyện Châu Thành");
    expect_number(r, "A3", 1);
    expect_number(r, "C3", 12);
    expect_number(r, "C4", 7.5);
    expect_number(r, "D4", 0.25);
    expect_number(r, "C8", -0.1);
    expect_number(r, "D8", 1234567);
    expect_number(r, "E8", 0.0015);
    expect_number(r, "F8", 1e20);
}

static void test_xls_reads_formula_cached_numbers(void **state)
{
    recorder *r = *state;
    expect_number(r, "E3", 42);    /* =C3+D3       */
    expect_number(r, "E4", 7.75);  /* =SUM(C4:D4)  */
    expect_number(r, "C5", 19.5);  /* =SUM(C3:C4)  */
    expect_number(r, "D5", 30.25);
    expect_number(r, "E5", 49.75);
    expect_number(r, "D9", 5000);  /* =LEN(B9)     */
}

static void test_xls_reads_formula_cached_string(void **state)
{
    recorder *r = *state;
    expect_text(r, 0, "A6", "có");          /* =IF(E5>40,"có","không") */
    expect_text(r, 0, "B6", "Sở Nội vụ x"); /* =B3&" x"                */
}

static void test_xls_reads_formula_cached_bool_and_errors(void **state)
{
    recorder *r = *state;
    const rec_cell *k = find(r, 0, "C6"); /* =C3>D3 */
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_BOOL);
    assert_true(k->c.num == 0);
    k = find(r, 0, "D6"); /* =1/0 */
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_ERROR);
    assert_string_equal(k->text, "#DIV/0!");
    k = find(r, 0, "E6"); /* =NA() */
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_ERROR);
    assert_string_equal(k->text, "#N/A");
}

static void test_xls_skips_empty_string_formula(void **state)
{
    recorder *r = *state;
    assert_null(find(r, 0, "F6")); /* ="" shows as a blank cell */
    assert_null(find(r, 0, "B1")); /* blank cells under the merge */
}

static void test_xls_reads_booleans(void **state)
{
    recorder *r = *state;
    const rec_cell *k = find(r, 0, "E7");
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_BOOL);
    assert_true(k->c.num == 1);
    k = find(r, 0, "F7");
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_BOOL);
    assert_true(k->c.num == 0);
}

static void test_xls_reads_long_formula_string_across_continue(void **state)
{
    recorder *r = *state;
    const rec_cell *k = find(r, 0, "C9"); /* =REPT("ab",6000) */
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_TEXT);
    assert_int_equal(k->c.len, 12000);
    for (size_t i = 0; i < 12000; i++) assert_int_equal(k->text[i], i % 2 ? 'b' : 'a');
}

static void test_xls_reads_long_shared_string_across_continue(void **state)
{
    recorder *r = *state;
    const rec_cell *k = find(r, 0, "B9"); /* 5000 × U+1EA1 "ạ" */
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_TEXT);
    assert_int_equal(k->c.len, 15000);
    for (size_t i = 0; i < 5000; i++) assert_memory_equal(k->text + 3 * i, "\xe1\xba\xa1", 3);
    /* the cell after it is intact, so the SST stayed in step */
    expect_text(r, 0, "A9", "dòng 1\ndòng 2\ttab \\ gạch");
}

static void test_xls_types_dates_from_xf(void **state)
{
    recorder *r = *state;
    expect_date(r, 0, "A7", "2024-12-31");          /* dd/mm/yyyy          */
    expect_date(r, 0, "B7", "2024-12-31T08:30:00"); /* yyyy-mm-dd hh:mm:ss */
    expect_date(r, 0, "D7", "2025-01-01");          /* =A7+1, date format  */
    const rec_cell *k = find(r, 0, "A7");
    assert_true(k->c.num == 45657); /* days since 1899-12-30 */
    /* [Red]0.00 is a number format, not a date */
    expect_number(r, "C7", 1234.5);
}

static bool same_as_walk(const char *path);

static void test_xls_time_formatted_serials_below_one_are_times_alone(void **state)
{
    (void)state;
    /* LibreOffice's BIFF8 of xlsx/time_serials.xlsx; xlrd's xldate_as_tuple
     * gives A1:C1 as (0, 0, 0, h, m, s): times alone */
    recorder r = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "time-serials.xls", NULL, &r, &err), DTBD_OK);
    expect_date(&r, 0, "A1", "12:30:00");
    expect_date(&r, 0, "B1", "00:00:00");
    expect_date(&r, 0, "C1", "18:00:00");
    expect_date(&r, 0, "D1", "1900-01-01T12:00:00");
    expect_date(&r, 0, "E1", "2024-01-01T06:00:00");
    rec_free(&r);
    assert_true(same_as_walk(FIX "time-serials.xls"));
}

static void test_xls_date1904_workbook(void **state)
{
    (void)state;
    recorder r = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "date1904.xls", NULL, &r, &err), DTBD_OK);
    expect_date(&r, 0, "A1", "2024-12-31"); /* stored as serial 44195 */
    const rec_cell *k = find(&r, 0, "B1");
    assert_non_null(k);
    assert_int_equal(k->c.type, WB_NUMBER);
    assert_true(k->c.num == 100);
    rec_free(&r);
}

static void test_xls_reports_font_names(void **state)
{
    recorder *r = *state;
    const rec_cell *k = find(r, 0, "A8");
    assert_non_null(k);
    assert_string_equal(k->text, "Tæng céng"); /* TCVN3 bytes kept as typed */
    assert_non_null(k->font);
    assert_string_equal(k->font, ".VnTime");
    k = find(r, 0, "B3");
    assert_non_null(k->font);
    assert_string_equal(k->font, "Calibri");
}

static void test_xls_normalizes_text_to_nfc(void **state)
{
    recorder *r = *state;
    /* the source held the decomposed (NFD) form */
    expect_text(r, 0, "B8", "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b \xc3\x81nh");
}

static void test_xls_reads_merged_ranges_after_cells(void **state)
{
    recorder *r = *state;
    assert_int_equal(r->nmerges, 2);
    wb_range a = r->merges[0].r, b = r->merges[1].r;
    assert_int_equal(r->merges[0].sheet, 0);
    assert_true(a.r1 == 0 && a.c1 == 0 && a.r2 == 0 && a.c2 == 4); /* A1:E1 */
    assert_true(b.r1 == 4 && b.c1 == 0 && b.r2 == 4 && b.c2 == 1); /* A5:B5 */
    size_t sheet0 = 0;
    for (size_t i = 0; i < r->ncells; i++) sheet0 += r->cells[i].sheet == 0;
    assert_int_equal(r->merges[0].after_cells, sheet0);
}

static void test_xls_delivers_cells_in_row_major_order(void **state)
{
    recorder *r = *state;
    assert_true(r->ncells > 40);
    for (size_t i = 1; i < r->ncells; i++) {
        const rec_cell *p = &r->cells[i - 1], *q = &r->cells[i];
        if (p->sheet != q->sheet) {
            assert_true(p->sheet < q->sheet);
            continue;
        }
        assert_true(p->c.row < q->c.row || (p->c.row == q->c.row && p->c.col < q->c.col));
    }
}

/* ---- a workbook built record by record (make.py: handmade_workbook) ---------- */

/* One recorded cell as "sheet:REF:type:value". */
static void cell_line(const rec_cell *k, char *out, size_t n)
{
    char ref[16], v[64];
    wb_cell_ref(k->c.row, k->c.col, ref);
    static const char *types[] = {"empty", "number", "text", "bool", "date", "error"};
    switch (k->c.type) {
    case WB_TEXT: case WB_ERROR: snprintf(out, n, "%u:%s:%s:%s", k->sheet, ref,
                                          types[k->c.type], k->text); return;
    case WB_DATE: wb_date_iso(k->c.num, v); break;
    case WB_BOOL: snprintf(v, sizeof v, "%s", k->c.num ? "TRUE" : "FALSE"); break;
    default: wb_number_str(k->c.num, v); break;
    }
    snprintf(out, n, "%u:%s:%s:%s", k->sheet, ref, types[k->c.type], v);
}

static void test_xls_handmade_cells_sorted_and_decoded(void **state)
{
    (void)state;
    recorder r = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "handmade.xls", NULL, &r, &err), DTBD_OK);
    /* Written out of order (B1 twice, the later 9.5 wins); the number in the
     * embedded chart substream (J10) and the chart sheet are not cells; the
     * ="" formula of sheet 2 is blank. */
    const char *want[] = {
        "0:A1:number:7",     "0:B1:number:9.5",    "0:A2:number:-5",
        "0:B2:number:12.34", "0:C2:number:0.5",    "0:A3:text:xin chào",
        "0:B3:text:abcỆệ",   "0:A4:text:TCVN",     "0:B4:text:kết quả",
        "0:C4:date:2024-12-31", "0:D4:date:2025-01-01", "0:A5:error:#REF!",
        "0:B5:text:đậm",     "0:C5:text:phiên âm", "0:D5:text:cuối",
        "1:A1:number:2.5",   "1:B1:bool:TRUE",
    };
    size_t n = sizeof want / sizeof *want;
    assert_int_equal(r.ncells, n);
    for (size_t i = 0; i < n; i++) {
        char line[256];
        cell_line(&r.cells[i], line, sizeof line);
        assert_string_equal(line, want[i]);
    }
    rec_free(&r);
}

static void test_xls_handmade_skips_chart_sheet_in_sheet_indexes(void **state)
{
    (void)state;
    recorder r = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "handmade.xls", NULL, &r, &err), DTBD_OK);
    assert_int_equal(r.nsheets, 2);
    assert_string_equal(r.sheets[0].name, "Một");
    assert_false(r.sheets[0].hidden);
    assert_string_equal(r.sheets[1].name, "Hai");
    assert_int_equal(r.sheets[1].index, 1);
    assert_true(r.sheets[1].hidden);
    assert_int_equal(r.nmerges, 1);
    wb_range g = r.merges[0].r;
    assert_true(g.r1 == 5 && g.r2 == 6 && g.c1 == 0 && g.c2 == 2); /* A6:C7 */
    rec_free(&r);
}

static void test_xls_font_index_four_is_skipped(void **state)
{
    (void)state;
    recorder r = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "handmade.xls", NULL, &r, &err), DTBD_OK);
    /* A4's XF names font index 5: the fifth FONT record (".VnArial") */
    const rec_cell *k = find(&r, 0, "A4");
    assert_non_null(k);
    assert_string_equal(k->font, ".VnArial");
    assert_string_equal(find(&r, 0, "A1")->font, "Arial");
    rec_free(&r);
}

/* ---- FreeXL in the reading path, and as an independent oracle ----------------- */

/* Read path through xls_read_report into r. */
static dtbd_status read_report(const char *path, const wb_limits *lim, recorder *r, wb_error *err,
                             xls_freexl_report *rep)
{
    wb_sink sink = {r, on_begin, on_cell, on_merge, on_end};
    memset(err, 0, sizeof *err);
    return xls_read_report(path, lim, &sink, err, rep);
}

/* Two readings are the same: sheets, cells (type, value bit for bit, text,
 * font) and merges. */
static void assert_same_reading(const recorder *pa, const recorder *pb)
{
    const recorder a = *pa, b = *pb;
    assert_int_equal(a.nsheets, b.nsheets);
    for (unsigned i = 0; i < a.nsheets && i < 16; i++) {
        assert_string_equal(a.names[i], b.names[i]);
        assert_int_equal(a.sheets[i].hidden, b.sheets[i].hidden);
    }
    assert_int_equal(a.ncells, b.ncells);
    for (size_t i = 0; i < a.ncells; i++) {
        const rec_cell *p = &a.cells[i], *q = &b.cells[i];
        assert_int_equal(p->sheet, q->sheet);
        assert_int_equal(p->c.row, q->c.row);
        assert_int_equal(p->c.col, q->c.col);
        assert_int_equal(p->c.type, q->c.type);
        assert_true(memcmp(&p->c.num, &q->c.num, sizeof p->c.num) == 0); /* bit for bit */
        assert_int_equal(p->c.len, q->c.len);
        if (p->text) assert_memory_equal(p->text, q->text, p->c.len);
        assert_true((p->font == NULL) == (q->font == NULL));
        if (p->font) assert_string_equal(p->font, q->font);
    }
    assert_int_equal(a.nmerges, b.nmerges);
    for (size_t i = 0; i < a.nmerges; i++)
        assert_memory_equal(&a.merges[i], &b.merges[i], sizeof a.merges[i]);
}

/* Read path with FreeXL and by the records alone: the same reading.
 * Returns whether FreeXL was used. */
static bool same_as_walk(const char *path)
{
    recorder a = {0}, b = {0};
    wb_error err;
    xls_freexl_report ra = {0}, rb = {.walk_only = true};
    assert_int_equal(read_report(path, NULL, &a, &err, &ra), DTBD_OK);
    assert_int_equal(read_report(path, NULL, &b, &err, &rb), DTBD_OK);
    assert_false(rb.freexl_opened);
    assert_same_reading(&a, &b);
    rec_free(&a);
    rec_free(&b);
    return ra.freexl_used;
}

static void test_xls_freexl_supplies_plain_cells_of_libreoffice_files(void **state)
{
    (void)state;
    recorder r = {0};
    wb_error err;
    xls_freexl_report rep = {0};
    assert_int_equal(read_report(FIX "report.xls", NULL, &r, &err, &rep), DTBD_OK);
    assert_true(rep.freexl_opened);
    assert_true(rep.freexl_used);
    assert_string_equal(rep.note, "");
    rec_free(&r);
    /* and the cells are those of the records, for every LibreOffice file */
    assert_true(same_as_walk(FIX "report.xls"));
    assert_true(same_as_walk(FIX "veryhidden.xls"));
    assert_true(same_as_walk(FIX "date1904.xls"));
}

/* ---- FreeXL reads the stream in dtbd's own container ------------------------- */

static size_t put_rec(unsigned char *p, uint16_t type, const void *body, uint16_t len)
{
    p[0] = (unsigned char)type;
    p[1] = (unsigned char)(type >> 8);
    p[2] = (unsigned char)len;
    p[3] = (unsigned char)(len >> 8);
    if (len) memcpy(p + 4, body, len);
    return 4u + len;
}

static void le16(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
}

static void le32(unsigned char *p, uint32_t v)
{
    le16(p, v & 0xFFFF);
    le16(p + 2, v >> 16);
}

/* A BIFF8 workbook built record by record: one sheet "Trang" of rows x 10
 * NUMBER cells, cell (r, c) = r * 10 + c + 0.5, in a compound file of one
 * stream (cfb_single_head) at path. Returns the stream's length. */
static size_t big_workbook(const char *path, uint32_t rows)
{
    size_t cap = 4096 + (size_t)rows * 10 * 18;
    unsigned char *s = malloc(cap), b[32];
    assert_non_null(s);
    size_t n = 0, bs_off;
    static const unsigned char bof_g[16] = {0x00, 0x06, 0x05, 0x00, 0xBB, 0x0D, 0xCC, 0x07, 0, 0, 0, 0, 0x06, 0x02};
    static const unsigned char bof_s[16] = {0x00, 0x06, 0x10, 0x00, 0xBB, 0x0D, 0xCC, 0x07, 0, 0, 0, 0, 0x06, 0x02};
    static const unsigned char font[21] = {200, 0, 0, 0, 0xFF, 0x7F, 0x90, 0x01, 0, 0, 0, 0, 0, 0,
                                           5, 0, 'A', 'r', 'i', 'a', 'l'};
    n += put_rec(s + n, 0x0809, bof_g, 16);
    n += put_rec(s + n, 0x0022, "\0\0", 2);
    for (int i = 0; i < 5; i++) n += put_rec(s + n, 0x0031, font, 21);
    memset(b, 0, 20);
    le16(b + 4, 1);
    for (int i = 0; i < 16; i++) n += put_rec(s + n, 0x00E0, b, 20);
    bs_off = n + 4;
    memcpy(b, "\0\0\0\0\0\0\5\0Trang", 13);
    n += put_rec(s + n, 0x0085, b, 13);
    n += put_rec(s + n, 0x000A, NULL, 0);
    le32(s + bs_off, (uint32_t)n);                 /* BOUNDSHEET: the sheet's BOF */
    n += put_rec(s + n, 0x0809, bof_s, 16);
    memset(b, 0, 14);
    le32(b + 4, rows);
    le16(b + 10, 10);
    n += put_rec(s + n, 0x0200, b, 14);
    for (uint32_t r = 0; r < rows; r++)
        for (uint32_t c = 0; c < 10; c++) {
            le16(b, r);
            le16(b + 2, c);
            le16(b + 4, 15);
            double v = r * 10.0 + c + 0.5;
            memcpy(b + 6, &v, 8);
            n += put_rec(s + n, 0x0203, b, 14);
        }
    n += put_rec(s + n, 0x000A, NULL, 0);
    size_t hlen, total;
    unsigned char *head = cfb_single_head("Workbook", n, &hlen, &total);
    assert_non_null(head);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(head, 1, hlen, f), hlen);
    assert_int_equal(fwrite(s, 1, n, f), n);
    for (size_t i = hlen + n; i < total; i++) assert_int_not_equal(fputc(0, f), EOF);
    assert_int_equal(fclose(f), 0);
    free(head);
    free(s);
    return n;
}

/* FreeXL gets the surveyed stream in a compound file dtbd writes. A stream
 * past 109 FAT sectors (7 MB) needs DIFAT sectors: FreeXL reads that file
 * too, every value as the walk reads it. */
static void test_xls_freexl_reads_dtbd_container_past_109_fat_sectors(void **state)
{
    (void)state;
    char path[] = "/tmp/dtbd-test-big-XXXXXX.xls";
    int fd = mkstemps(path, 4);
    assert_true(fd >= 0);
    close(fd);
    size_t len = big_workbook(path, 40000);
    assert_true(len > (size_t)(109 * 128 - 110) * 512); /* DIFAT in FreeXL's copy */
    assert_true(same_as_walk(path));
    recorder r = {0};
    wb_error err;
    xls_freexl_report rep = {0};
    assert_int_equal(read_report(path, NULL, &r, &err, &rep), DTBD_OK);
    assert_true(rep.freexl_used);
    assert_string_equal(rep.note, "");
    assert_int_equal(r.ncells, 400000);
    const rec_cell *last = &r.cells[r.ncells - 1];
    assert_int_equal(last->c.row, 39999);
    assert_int_equal(last->c.col, 9);
    assert_true(last->c.num == 399999.5);
    rec_free(&r);
    unlink(path);
}

/* FreeXL 1.0.6 finishes a shared string continued into a CONTINUE from that
 * one record: a 12,300-character UTF-16 string in an 8,223-byte SST runs on
 * through two CONTINUEs, and FreeXL read past its record buffer (a heap
 * overflow under ASan; 24,663 bytes of wrong text in the plain build). The
 * survey keeps FreeXL away; the walk reads the string whole. */
static void test_xls_sst_string_over_two_continues_keeps_freexl_out(void **state)
{
    (void)state;
    recorder r = {0};
    wb_error err;
    xls_freexl_report rep = {0};
    assert_int_equal(read_report(FIX "sst-continue-twice.xls", NULL, &r, &err, &rep), DTBD_OK);
    assert_false(rep.freexl_opened);
    assert_non_null(strstr(rep.note, "CONTINUE"));
    const rec_cell *k = find(&r, 0, "B1");
    assert_non_null(k);
    assert_int_equal(k->c.len, 3 * 12300);
    for (size_t i = 0; i < 12300; i++) { /* U+1EA1, U+1EA2, U+1EA3 in turn */
        char want[4] = {(char)0xE1, (char)0xBA, (char)(0xA1 + i % 3), 0};
        assert_memory_equal(k->text + 3 * i, want, 3);
    }
    rec_free(&r);
}

static void test_xls_agrees_with_freexl_on_plain_cells(void **state)
{
    (void)state;
    /* the records' own values, FreeXL kept out */
    recorder walk = {0};
    recorder *r = &walk;
    wb_error err;
    xls_freexl_report rep = {.walk_only = true};
    assert_int_equal(read_report(FIX "report.xls", NULL, r, &err, &rep), DTBD_OK);
    assert_false(rep.freexl_opened);
    const void *h = NULL;
    assert_int_equal(freexl_open(FIX "report.xls", &h), FREEXL_OK);
    assert_non_null(h);
    unsigned count = 0;
    assert_int_equal(freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count), FREEXL_OK);
    assert_int_equal(count, 4); /* FreeXL counts the same worksheets */
    size_t compared = 0;
    for (unsigned s = 0; s < count; s++) {
        const char *name = NULL;
        assert_int_equal(freexl_get_worksheet_name(h, (unsigned short)s, &name), FREEXL_OK);
        assert_string_equal(name, r->sheets[s].name);
        assert_int_equal(freexl_select_active_worksheet(h, (unsigned short)s), FREEXL_OK);
        for (size_t i = 0; i < r->ncells; i++) {
            const rec_cell *k = &r->cells[i];
            if (k->sheet != s) continue;
            FreeXL_CellValue v;
            assert_int_equal(freexl_get_cell_value(h, k->c.row, (unsigned short)k->c.col, &v),
                             FREEXL_OK);
            /* FreeXL 1.0.6 has nothing for formulas (NULL) and dates come as
             * text: compare what it does give. */
            if (v.type == FREEXL_CELL_INT) {
                assert_int_equal(k->c.type, WB_NUMBER);
                assert_true(k->c.num == v.value.int_value);
                compared++;
            } else if (v.type == FREEXL_CELL_DOUBLE) {
                assert_int_equal(k->c.type, WB_NUMBER);
                assert_true(k->c.num == v.value.double_value);
                compared++;
            } else if (v.type == FREEXL_CELL_TEXT || v.type == FREEXL_CELL_SST_TEXT) {
                assert_int_equal(k->c.type, WB_TEXT);
                /* B8 was stored decomposed: FreeXL passes NFD on, we give NFC */
                if (!(k->c.row == 7 && k->c.col == 1 && s == 0))
                    assert_string_equal(k->text, v.value.text_value);
                compared++;
            } else if (v.type == FREEXL_CELL_DATE) {
                assert_int_equal(k->c.type, WB_DATE);
                char iso[32];
                wb_date_iso(k->c.num, iso);
                assert_string_equal(iso, v.value.text_value);
                compared++;
            }
        }
    }
    freexl_close(h);
    assert_true(compared >= 25);
    rec_free(r);
}

/* ---- the guards in front of FreeXL ---------------------------------------------- */

static void test_xls_freexl_returns_ok_with_null_handle_on_chart_sheets(void **state)
{
    (void)state;
    /* Why the handle is checked and chart substreams are kept from FreeXL:
     * FreeXL 1.0.6 "succeeds" on handmade.xls without a workbook. */
    const void *h = (const void *)&h;
    assert_int_equal(freexl_open(FIX "handmade.xls", &h), FREEXL_OK);
    assert_null(h);
}

static void test_xls_chart_sheet_workbook_is_read_by_the_walk(void **state)
{
    (void)state;
    recorder r = {0};
    wb_error err;
    xls_freexl_report rep = {0};
    assert_int_equal(read_report(FIX "handmade.xls", NULL, &r, &err, &rep), DTBD_OK);
    assert_false(rep.freexl_opened);
    assert_false(rep.freexl_used);
    assert_non_null(strstr(rep.note, "biểu đồ"));
    assert_int_equal(r.ncells, 17); /* all of them (test_xls_handmade_cells_sorted_…) */
    rec_free(&r);
}

static void test_xls_dimension_over_cell_limit_is_refused_before_freexl(void **state)
{
    (void)state;
    recorder r = {0};
    wb_limits lim = wb_limits_default();
    lim.max_cells_per_sheet = 1000; /* the sheet has 2 cells; DIMENSION claims 16M */
    wb_error err;
    xls_freexl_report rep = {0};
    assert_int_equal(read_report(FIX "dim-huge.xls", &lim, &r, &err, &rep), DTBD_ERR_LIMIT);
    assert_non_null(strstr(err.detail, "DIMENSION"));
    assert_non_null(strstr(err.detail, "65536 dòng × 256 cột"));
    assert_non_null(strstr(err.detail, "16777216"));
    assert_string_equal(err.sheet, "Trang");
    assert_false(rep.freexl_opened);
    assert_int_equal(r.ncells, 0);
    assert_int_equal(r.nsheets, 0); /* refused before any sheet */
    rec_free(&r);
}

static void test_xls_dimension_over_freexl_budget_is_read_by_the_walk(void **state)
{
    (void)state;
    /* Under the default 20M cells a sheet DIMENSION of 16M is allowed, but
     * FreeXL would allocate 256 MB for it: the records are read instead. */
    recorder r = {0};
    wb_error err;
    xls_freexl_report rep = {0};
    assert_int_equal(read_report(FIX "dim-huge.xls", NULL, &r, &err, &rep), DTBD_OK);
    assert_false(rep.freexl_opened);
    assert_non_null(strstr(rep.note, "DIMENSION"));
    assert_int_equal(r.ncells, 2);
    expect_number(&r, "A1", 1);
    expect_number(&r, "B1", 2.5);
    rec_free(&r);
}

static void test_xls_huge_date_serial_is_a_number_and_keeps_freexl_out(void **state)
{
    (void)state;
    /* Date-formatted cells holding 2e9 and 536870911 (the largest RK
     * integer): FreeXL would count every day; they read as numbers. */
    recorder r = {0};
    wb_error err;
    xls_freexl_report rep = {0};
    assert_int_equal(read_report(FIX "date-huge.xls", NULL, &r, &err, &rep), DTBD_OK);
    assert_false(rep.freexl_opened);
    assert_non_null(strstr(rep.note, "A1"));
    assert_int_equal(r.ncells, 4);
    expect_number(&r, "A1", 2e9);
    expect_number(&r, "B1", 536870911);
    expect_date(&r, 0, "C1", "2024-12-31");
    expect_number(&r, "D1", 7);
    rec_free(&r);
}

static void test_xls_missing_dimension_is_read_by_the_walk(void **state)
{
    (void)state;
    recorder r = {0};
    wb_error err;
    xls_freexl_report rep = {0};
    assert_int_equal(read_report(FIX "no-dimension.xls", NULL, &r, &err, &rep), DTBD_OK);
    assert_false(rep.freexl_opened);
    assert_non_null(strstr(rep.note, "DIMENSION"));
    assert_int_equal(r.ncells, 2);
    expect_number(&r, "A1", 1);
    expect_text(&r, 0, "B2", "không DIMENSION");
    rec_free(&r);
}

/* ---- sink control -------------------------------------------------------------------- */

static void test_xls_sheet_begin_positive_skips_cells(void **state)
{
    (void)state;
    recorder r = {0};
    r.begin_rc = 1;
    wb_error err;
    assert_int_equal(read_into(FIX "report.xls", NULL, &r, &err), DTBD_OK);
    assert_int_equal(r.nsheets, 4);
    assert_int_equal(r.nended, 4);
    assert_int_equal(r.ncells, 0);
    assert_int_equal(r.nmerges, 0);
}

static void test_xls_cell_callback_stops_reading(void **state)
{
    (void)state;
    recorder r = {0};
    r.abort_after = 3;
    wb_error err;
    assert_int_equal(read_into(FIX "report.xls", NULL, &r, &err), DTBD_ERR_ABORTED);
    assert_int_equal(r.ncells, 3);
    rec_free(&r);
}

/* ---- limits ---------------------------------------------------------------------------- */

static void test_xls_limit_cells_per_sheet(void **state)
{
    (void)state;
    recorder r = {0};
    wb_limits lim = wb_limits_default();
    lim.max_cells_per_sheet = 5;
    wb_error err;
    assert_int_equal(read_into(FIX "report.xls", &lim, &r, &err), DTBD_ERR_LIMIT);
    assert_int_equal(r.ncells, 5);
    assert_string_equal(err.sheet, "Biểu 01");
    assert_string_equal(err.cell, "E2"); /* the sixth cell: A1 A2 B2 C2 D2 E2 */
    rec_free(&r);
}

static void test_xls_limit_sheets(void **state)
{
    (void)state;
    recorder r = {0};
    wb_limits lim = wb_limits_default();
    lim.max_sheets = 2;
    wb_error err;
    assert_int_equal(read_into(FIX "report.xls", &lim, &r, &err), DTBD_ERR_LIMIT);
    assert_int_equal(r.nsheets, 2);
    rec_free(&r);
}

static void test_xls_limit_string_bytes(void **state)
{
    (void)state;
    recorder r = {0};
    wb_limits lim = wb_limits_default();
    lim.max_string_bytes = 1000; /* B9 is 15000 bytes */
    wb_error err;
    assert_int_equal(read_into(FIX "report.xls", &lim, &r, &err), DTBD_ERR_LIMIT);
    assert_int_equal(r.ncells, 0); /* the SST is read before any sheet */
    rec_free(&r);
}

/* ---- hostile and unsupported files --------------------------------------------------- */

/* Read a file expecting failure st; the formatted message must be one line
 * naming the file. */
static void expect_failure(const char *path, dtbd_status st)
{
    recorder r = {0};
    wb_error err;
    assert_int_equal(read_into(path, NULL, &r, &err), st);
    assert_true(err.detail[0] != '\0');
    char line[512];
    wb_error_format(&err, path, line, sizeof line);
    assert_non_null(strstr(line, path));
    assert_null(strchr(line, '\n'));
    rec_free(&r);
}

static void test_xls_truncated_file_is_corrupt(void **state)
{
    (void)state;
    expect_failure(FIX "truncated.xls", DTBD_ERR_CORRUPT);
}

static void test_xls_random_bytes_with_ole_signature_is_corrupt(void **state)
{
    (void)state;
    expect_failure(FIX "random-ole.xls", DTBD_ERR_CORRUPT);
}

static void test_xls_fat_loop_is_corrupt(void **state)
{
    (void)state;
    expect_failure(FIX "fat-loop.xls", DTBD_ERR_CORRUPT);
}

static void test_xls_filepass_is_encrypted(void **state)
{
    (void)state;
    expect_failure(FIX "filepass.xls", DTBD_ERR_ENCRYPTED);
}

static void test_xls_encrypted_ooxml_is_encrypted(void **state)
{
    (void)state;
    expect_failure(FIX "encrypted-ooxml.xls", DTBD_ERR_ENCRYPTED);
}

static void test_xls_ole_without_workbook_is_format_error(void **state)
{
    (void)state;
    expect_failure(FIX "no-workbook.doc", DTBD_ERR_FORMAT);
}

static void test_xls_other_biff_versions_are_format_errors(void **state)
{
    (void)state;
    expect_failure(FIX "biff4.xls", DTBD_ERR_FORMAT); /* BIFF4's BOF in a "Book" */
    /* (a BOF 0x0809 of a version other than 0x0500 / 0x0600 is refused alike) */
    recorder r = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "biff4.xls", NULL, &r, &err), DTBD_ERR_FORMAT);
    assert_non_null(strstr(err.detail, "Excel 2.0–4.0 (BOF 0x0409)"));
    rec_free(&r);
}

static void test_xls_biff8_stream_named_book_is_read_as_biff8(void **state)
{
    (void)state;
    /* report.xls with its stream renamed "BOOK" (make.py: derived_workbooks):
     * the BOF says BIFF8, so it reads like report.xls, cell for cell, whether
     * by the walk: FreeXL is kept from "Book" streams (it reads them as
     * BIFF5; a damaged one overran a stack buffer in FreeXL's iconv call:
     * tests/fixtures/fuzz/xls-book-stream-freexl-overflow.bin). */
    wb_error err;
    assert_int_equal(wb_sniff(FIX "book-stream.xls", &err), WB_FMT_XLS);
    recorder want = {0}, got = {0}, walk = {0};
    xls_freexl_report rep = {0}, rep_walk = {.walk_only = true};
    assert_int_equal(read_into(FIX "report.xls", NULL, &want, &err), DTBD_OK);
    assert_int_equal(read_report(FIX "book-stream.xls", NULL, &got, &err, &rep), DTBD_OK);
    assert_false(rep.freexl_opened);
    assert_non_null(strstr(rep.note, "\"Book\""));
    assert_int_equal(read_report(FIX "book-stream.xls", NULL, &walk, &err, &rep_walk), DTBD_OK);
    assert_true(want.ncells > 20);
    assert_same_reading(&want, &got);
    assert_same_reading(&want, &walk);
    rec_free(&want);
    rec_free(&got);
    rec_free(&walk);
}

/* Cut the file at path every `step` bytes: each read must end in an error,
 * never a crash (ASan/valgrind watch the reads). */
static void expect_prefixes_fail(const char *file, size_t min_size, size_t step)
{
    FILE *f = fopen(file, "rb");
    assert_non_null(f);
    static unsigned char data[1 << 16];
    size_t n = fread(data, 1, sizeof data, f);
    fclose(f);
    assert_true(n > min_size);
    char path[] = "/tmp/dtbd-xls-cut-XXXXXX";
    for (size_t cut = 0; cut < n; cut += step) {
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        FILE *o = fdopen(fd, "wb");
        fwrite(data, 1, cut, o);
        fclose(o);
        recorder r = {0};
        wb_error err;
        dtbd_status st = read_into(path, NULL, &r, &err);
        assert_int_not_equal(st, DTBD_OK);
        remove(path);
        rec_free(&r);
        memcpy(path + strlen(path) - 6, "XXXXXX", 6);
    }
}

/* ---- Excel 5.0/95 (BIFF5), written by Gnumeric (make.py: biff5_workbooks) ---- */

/* Read a BIFF5 fixture by the records (FreeXL is never opened for BIFF5) and
 * compare every cell with want[] ("sheet:REF:type:value"). */
static void expect_biff5_cells(const char *path, const char *const *want, size_t n, recorder *r)
{
    wb_error err;
    xls_freexl_report rep = {0};
    assert_int_equal(read_report(path, NULL, r, &err, &rep), DTBD_OK);
    assert_false(rep.freexl_opened);
    assert_non_null(strstr(rep.note, "Excel 5.0/95"));
    for (size_t i = 0; i < n && i < r->ncells; i++) {
        char line[256];
        cell_line(&r->cells[i], line, sizeof line);
        assert_string_equal(line, want[i]);
    }
    assert_int_equal(r->ncells, n);
    assert_int_equal(r->nsheets, 2);
    assert_false(r->sheets[0].hidden);
    assert_true(r->sheets[1].hidden);
    assert_int_equal(r->nmerges, 1); /* Gnumeric writes MERGEDCELLS in BIFF5 too */
    wb_range g = r->merges[0].r;
    assert_true(g.r1 == 4 && g.r2 == 4 && g.c1 == 0 && g.c2 == 2); /* A5:C5 */
    assert_int_equal(r->merges[0].after_cells, n - 1); /* after sheet 0's cells */
}

static void test_xls_reads_biff5_workbook_in_windows_1252(void **state)
{
    (void)state;
    /* As xlrd 2.0 reads the file (codepage 1252): 0x80–0x9F are the code
     * page's symbols (– “ ” € Œ); formulas give their cached results. */
    static const char *const want[] = {
        "0:A1:text:Café – “naïve” €5", "0:B1:text:Œuvre",
        "0:C1:text:A text longer than every format code of the workbook: 0123456789",
        "0:A2:number:12", "0:B2:number:7.5", "0:C2:number:19.5", "0:D2:text:yes",
        "0:A3:date:2024-12-31", "0:B3:date:2024-12-31T08:30:00", "0:C3:bool:TRUE",
        "0:D3:error:#DIV/0!", "0:E3:bool:FALSE", "0:F3:number:1234.5",
        "0:A4:text:Tæng céng", "0:B4:number:1234567", "0:C4:number:-0.1",
        "0:A5:text:merged", "1:A1:text:hidden",
    };
    recorder r = {0};
    expect_biff5_cells(FIX "biff5-1252.xls", want, sizeof want / sizeof *want, &r);
    assert_string_equal(r.names[0], "Report");
    assert_string_equal(r.names[1], "Hidden");
    assert_string_equal(find(&r, 0, "A4")->font, ".VnTime");
    assert_string_equal(find(&r, 0, "A1")->font, "Calibri");
    rec_free(&r);
}

static void test_xls_reads_biff5_workbook_in_windows_1258(void **state)
{
    (void)state;
    /* As xlrd 2.0 reads the file (codepage 1258), in NFC: the code page's
     * combining tone marks are composed ("ộ" is "ô" + 0xF2). B6 holds
     * TCVN3 bytes in Arial: read as Windows-1258 like any text, its 0xD2 is
     * a hook above (v + U+0309, which has no precomposed form). */
    static const char *const want[] = {
        "0:A1:text:Báo cáo kết quả đào tạo năm 2024", "0:B1:text:Đơn vị",
        "0:C1:text:Báo cáo kết quả đào tạo, bồi dưỡng cán bộ, công chức năm 2024",
        "0:A2:number:12", "0:B2:number:7.5", "0:C2:number:19.5", "0:D2:text:có",
        "0:A3:date:2024-12-31", "0:B3:date:2024-12-31T08:30:00", "0:C3:bool:TRUE",
        "0:D3:error:#DIV/0!", "0:E3:bool:FALSE", "0:F3:number:1234.5",
        "0:A4:text:Tæng céng", "0:B4:number:1234567", "0:C4:number:-0.1",
        "0:A5:text:gộp", "0:A6:text:B¸o c¸o vÒ ®µo t¹o",
        "0:B6:text:B¸o c¸o v\xcc\x89 ®µo t¹o", "1:A1:text:trang ẩn",
    };
    recorder r = {0};
    expect_biff5_cells(FIX "biff5-1258.xls", want, sizeof want / sizeof *want, &r);
    assert_string_equal(r.names[0], "Biểu 01");
    assert_string_equal(r.names[1], "Ẩn");
    assert_string_equal(find(&r, 0, "B6")->font, "Arial");
    rec_free(&r);
}

static void test_xls_biff5_legacy_font_text_keeps_its_bytes_for_vnenc(void **state)
{
    (void)state;
    /* A .VnTime cell's bytes reach the model as Windows-1252 code points,
     * as BIFF8 stores them, whatever the CODEPAGE (1258 here): vnenc_repair
     * then reads the TCVN3 text as the unit typed it. */
    recorder r = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "biff5-1258.xls", NULL, &r, &err), DTBD_OK);
    const rec_cell *a6 = find(&r, 0, "A6"), *a4 = find(&r, 0, "A4");
    assert_non_null(a6);
    assert_string_equal(a6->font, ".VnTime");
    buf out = BUF_INIT;
    assert_int_equal(vnenc_repair(a6->font, a6->text, a6->c.len, &out), VNENC_TCVN3);
    assert_string_equal(buf_str(&out), "Báo cáo về đào tạo");
    buf_clear(&out);
    assert_int_equal(vnenc_repair(a4->font, a4->text, a4->c.len, &out), VNENC_TCVN3);
    assert_string_equal(buf_str(&out), "Tổng cộng");
    buf_free(&out);
    rec_free(&r);
}

static void test_xls_biff5_empty_workbook_has_no_sheets(void **state)
{
    (void)state;
    /* biff5.xls: a "Book" stream holding a BIFF5 BOF and EOF, nothing else */
    recorder r = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "biff5.xls", NULL, &r, &err), DTBD_OK);
    assert_int_equal(r.nsheets, 0);
    assert_int_equal(r.ncells, 0);
    rec_free(&r);
}

static void test_xls_biff5_limits(void **state)
{
    (void)state;
    recorder r = {0};
    wb_limits lim = wb_limits_default();
    lim.max_cells_per_sheet = 3;
    wb_error err;
    assert_int_equal(read_into(FIX "biff5-1258.xls", &lim, &r, &err), DTBD_ERR_LIMIT);
    assert_int_equal(r.ncells, 3);
    assert_string_equal(err.sheet, "Biểu 01");
    assert_string_equal(err.cell, "A2"); /* A1 B1 C1, then A2 */
    rec_free(&r);

    memset(&r, 0, sizeof r);
    lim = wb_limits_default();
    lim.max_string_bytes = 60; /* format codes ≤ 50 bytes, A1 38, C1 79 */
    assert_int_equal(read_into(FIX "biff5-1258.xls", &lim, &r, &err), DTBD_ERR_LIMIT);
    assert_int_equal(r.ncells, 2);
    assert_string_equal(err.cell, "C1");
    rec_free(&r);

    memset(&r, 0, sizeof r);
    lim = wb_limits_default();
    lim.max_sheets = 1;
    assert_int_equal(read_into(FIX "biff5-1252.xls", &lim, &r, &err), DTBD_ERR_LIMIT);
    assert_int_equal(r.nsheets, 1);
    rec_free(&r);
}

static void test_xls_every_prefix_of_a_real_file_fails_cleanly(void **state)
{
    (void)state;
    expect_prefixes_fail(FIX "report.xls", 20000, 997);
    expect_prefixes_fail(FIX "biff5-1258.xls", 5000, 61);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xls_sniff_finds_workbook_stream),
        cmocka_unit_test(test_xls_sniff_encrypted_package_is_encrypted),
        cmocka_unit_test(test_xls_sniff_ole_without_workbook_is_ole_other),
        cmocka_unit_test_setup_teardown(test_xls_reads_sheets_in_order_with_hidden_flags,
                                        setup_report, teardown_report),
        cmocka_unit_test(test_xls_reads_very_hidden_sheet_as_hidden),
        cmocka_unit_test_setup_teardown(test_xls_empty_sheet_has_no_cells, setup_report,
                                        teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_reads_plain_numbers_and_texts, setup_report,
                                        teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_reads_formula_cached_numbers, setup_report,
                                        teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_reads_formula_cached_string, setup_report,
                                        teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_reads_formula_cached_bool_and_errors,
                                        setup_report, teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_skips_empty_string_formula, setup_report,
                                        teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_reads_booleans, setup_report, teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_reads_long_formula_string_across_continue,
                                        setup_report, teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_reads_long_shared_string_across_continue,
                                        setup_report, teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_types_dates_from_xf, setup_report,
                                        teardown_report),
        cmocka_unit_test(test_xls_time_formatted_serials_below_one_are_times_alone),
        cmocka_unit_test(test_xls_date1904_workbook),
        cmocka_unit_test_setup_teardown(test_xls_reports_font_names, setup_report,
                                        teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_normalizes_text_to_nfc, setup_report,
                                        teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_reads_merged_ranges_after_cells, setup_report,
                                        teardown_report),
        cmocka_unit_test_setup_teardown(test_xls_delivers_cells_in_row_major_order,
                                        setup_report, teardown_report),
        cmocka_unit_test(test_xls_freexl_supplies_plain_cells_of_libreoffice_files),
        cmocka_unit_test(test_xls_agrees_with_freexl_on_plain_cells),
        cmocka_unit_test(test_xls_freexl_reads_dtbd_container_past_109_fat_sectors),
        cmocka_unit_test(test_xls_sst_string_over_two_continues_keeps_freexl_out),
        cmocka_unit_test(test_xls_freexl_returns_ok_with_null_handle_on_chart_sheets),
        cmocka_unit_test(test_xls_chart_sheet_workbook_is_read_by_the_walk),
        cmocka_unit_test(test_xls_dimension_over_cell_limit_is_refused_before_freexl),
        cmocka_unit_test(test_xls_dimension_over_freexl_budget_is_read_by_the_walk),
        cmocka_unit_test(test_xls_huge_date_serial_is_a_number_and_keeps_freexl_out),
        cmocka_unit_test(test_xls_missing_dimension_is_read_by_the_walk),
        cmocka_unit_test(test_xls_handmade_cells_sorted_and_decoded),
        cmocka_unit_test(test_xls_handmade_skips_chart_sheet_in_sheet_indexes),
        cmocka_unit_test(test_xls_font_index_four_is_skipped),
        cmocka_unit_test(test_xls_sheet_begin_positive_skips_cells),
        cmocka_unit_test(test_xls_cell_callback_stops_reading),
        cmocka_unit_test(test_xls_limit_cells_per_sheet),
        cmocka_unit_test(test_xls_limit_sheets),
        cmocka_unit_test(test_xls_limit_string_bytes),
        cmocka_unit_test(test_xls_truncated_file_is_corrupt),
        cmocka_unit_test(test_xls_random_bytes_with_ole_signature_is_corrupt),
        cmocka_unit_test(test_xls_fat_loop_is_corrupt),
        cmocka_unit_test(test_xls_filepass_is_encrypted),
        cmocka_unit_test(test_xls_encrypted_ooxml_is_encrypted),
        cmocka_unit_test(test_xls_ole_without_workbook_is_format_error),
        cmocka_unit_test(test_xls_other_biff_versions_are_format_errors),
        cmocka_unit_test(test_xls_reads_biff5_workbook_in_windows_1252),
        cmocka_unit_test(test_xls_reads_biff5_workbook_in_windows_1258),
        cmocka_unit_test(test_xls_biff5_legacy_font_text_keeps_its_bytes_for_vnenc),
        cmocka_unit_test(test_xls_biff5_empty_workbook_has_no_sheets),
        cmocka_unit_test(test_xls_biff5_limits),
        cmocka_unit_test(test_xls_biff8_stream_named_book_is_read_as_biff8),
        cmocka_unit_test(test_xls_every_prefix_of_a_real_file_fails_cleanly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
