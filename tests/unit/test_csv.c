/*
 * tests/unit/test_csv.c — the .csv reader (input/csvfile.c) through wb_read().
 *
 * Expected values are the source texts the fixtures were made from (see
 * tests/fixtures/csv/gen.py), typed here in NFC, never output of the reader.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "base/buf.h"
#include "input/csvfile.h"
#include "input/workbook.h"

#define FIX "tests/fixtures/csv/"

/* ---- a sink that keeps everything ----------------------------------------- */

typedef struct {
    uint32_t row, col;
    wb_type type;
    char *text;
    size_t len;
} kept_cell;

typedef struct {
    kept_cell *cells;
    size_t n, cap;
    unsigned begins, ends;
    char sheet[256];
    bool hidden;
    int begin_ret;           /* what sheet_begin returns                     */
    size_t abort_after;      /* cell returns 1 after this many (0: never)    */
} keeper;

/* Records the sheet. */
static int keep_begin(void *ctx, const wb_sheet_info *s)
{
    keeper *k = ctx;
    k->begins++;
    snprintf(k->sheet, sizeof k->sheet, "%s", s->name);
    k->hidden = s->hidden;
    return k->begin_ret;
}

/* Copies the cell. */
static int keep_cell(void *ctx, const wb_cell *c)
{
    keeper *k = ctx;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 16;
        k->cells = realloc(k->cells, k->cap * sizeof *k->cells);
        assert_non_null(k->cells);
    }
    kept_cell *d = &k->cells[k->n++];
    d->row = c->row;
    d->col = c->col;
    d->type = c->type;
    d->len = c->len;
    d->text = malloc(c->len + 1);
    assert_non_null(d->text);
    memcpy(d->text, c->text, c->len);
    d->text[c->len] = '\0';
    assert_int_equal(strlen(c->text), c->len);   /* NUL-terminated, no NUL inside */
    return k->abort_after && k->n >= k->abort_after;
}

/* Counts sheet ends. */
static int keep_end(void *ctx, const wb_sheet_info *s)
{
    (void)s;
    ((keeper *)ctx)->ends++;
    return 0;
}

/* Frees what the keeper copied. */
static void keeper_free(keeper *k)
{
    for (size_t i = 0; i < k->n; i++) free(k->cells[i].text);
    free(k->cells);
    memset(k, 0, sizeof *k);
}

/* Reads path with the limits (NULL: defaults) into k. */
static dtbd_status read_into(const char *path, const wb_limits *lim, keeper *k, wb_error *err)
{
    wb_sink sink = {k, keep_begin, keep_cell, NULL, keep_end};
    memset(err, 0, sizeof *err);
    return wb_read(path, lim, &sink, err);
}

/* The text of the cell at an A1 reference, NULL when there is none. */
static const char *at(const keeper *k, const char *ref)
{
    uint32_t row, col;
    assert_true(wb_parse_ref(ref, strlen(ref), &row, &col));
    for (size_t i = 0; i < k->n; i++)
        if (k->cells[i].row == row && k->cells[i].col == col) return k->cells[i].text;
    return NULL;
}

/* Asserts the cell at ref holds text. */
#define assert_cell(k, ref, want)                                                  \
    do {                                                                           \
        const char *got_ = at((k), (ref));                                         \
        if (!got_) fail_msg("no cell %s (want \"%s\")", (ref), (want));            \
        assert_string_equal(got_, (want));                                         \
    } while (0)

/* Writes bytes to a fresh file under /tmp; returns its malloc'ed path. */
static char *tmp_file(const char *name, const void *data, size_t n)
{
    char dir[] = "/tmp/test_csv_XXXXXX";
    assert_non_null(mkdtemp(dir));
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);
    assert_non_null(path);
    snprintf(path, len, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Removes a file made by tmp_file and its folder. */
static void tmp_remove(char *path)
{
    unlink(path);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    rmdir(path);
    free(path);
}

/* The source table of the lo-*.csv fixtures (gen.py TABLE). */
static void assert_source_table(const keeper *k)
{
    static const char *const want[4][5] = {
        {"STT", "Đơn vị", "Tổng số", "Nữ", "Ghi chú"},
        {"1", "Sở Nội vụ", "45", "20", "Đạt chỉ tiêu"},
        {"2", "UBND huyện Châu Thành", "120", "58", "Kiên Giang, đợt 1"},
        {"3", "Phòng Giáo dục; Đào tạo", "33", "17", NULL},
    };
    size_t count = 0;
    for (uint32_t r = 0; r < 4; r++)
        for (uint32_t c = 0; c < 5; c++) {
            char ref[16];
            wb_cell_ref(r, c, ref);
            if (want[r][c]) {
                assert_cell(k, ref, want[r][c]);
                count++;
            } else {
                assert_null(at(k, ref));
            }
        }
    assert_int_equal(k->n, count);
    for (size_t i = 0; i < k->n; i++) assert_int_equal(k->cells[i].type, WB_TEXT);
}

/* ---- files made by LibreOffice -------------------------------------------------- */

static void test_csv_libreoffice_utf8_comma_reads_source_table(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "lo-utf8-comma.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(err.format, WB_FMT_CSV);
    assert_int_equal(k.begins, 1);
    assert_int_equal(k.ends, 1);
    assert_string_equal(k.sheet, "lo-utf8-comma");
    assert_false(k.hidden);
    assert_source_table(&k);
    keeper_free(&k);
}

static void test_csv_libreoffice_utf8_semicolon_detects_semicolon(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "lo-utf8-semicolon.csv", NULL, &k, &err), DTBD_OK);
    assert_source_table(&k);
    keeper_free(&k);
}

static void test_csv_libreoffice_windows1258_converts_to_utf8_nfc(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "lo-cp1258-semicolon.csv", NULL, &k, &err), DTBD_OK);
    assert_source_table(&k);
    keeper_free(&k);
}

static void test_csv_libreoffice_utf16le_tab_converts(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "lo-utf16le-tab.csv", NULL, &k, &err), DTBD_OK);
    assert_source_table(&k);
    keeper_free(&k);
}

/* ---- encodings ------------------------------------------------------------------ */

static void test_csv_strips_utf8_bom(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "bom-utf8.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 4);
    assert_cell(&k, "A1", "STT");           /* not "\xEF\xBB\xBFSTT" */
    assert_cell(&k, "B1", "Họ và tên");
    assert_cell(&k, "A2", "1");
    assert_cell(&k, "B2", "Nguyễn Văn An");
    keeper_free(&k);
}

static void test_csv_decomposed_input_comes_out_nfc(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "decomposed.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 4);
    /* precomposed: "ễ" is E1 BB 85, not e + U+0302 + U+0303 */
    assert_cell(&k, "A1", "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Ho\xc3\xa0");
    assert_cell(&k, "B1", "Đắk Lắk");
    assert_cell(&k, "A2", "Kiên Giang");
    assert_cell(&k, "B2", "Rạch Giá");
    keeper_free(&k);
}

static void test_csv_utf16le_tab_with_surrogate_pair(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "utf16le-tab.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 4);
    assert_cell(&k, "A1", "Mã");
    assert_cell(&k, "B1", "Tên");
    assert_cell(&k, "A2", "01");
    assert_cell(&k, "B2", "Sở Nội vụ \xf0\x9f\x98\x80");   /* U+1F600 */
    keeper_free(&k);
}

static void test_csv_utf16be_tab(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "utf16be-tab.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 4);
    assert_cell(&k, "A1", "Mã");
    assert_cell(&k, "B1", "Tên");
    assert_cell(&k, "A2", "01");
    assert_cell(&k, "B2", "Sở Nội vụ");
    keeper_free(&k);
}

/* Excel's "Unicode text": UTF-16LE with a BOM, tab-delimited, CRLF. Commas
 * in the Vietnamese texts occur once on every line (a consistent comma
 * count) while the title line has no tab: the BOM makes tab win. */
static void test_csv_utf16_unicode_text_prefers_tab_over_consistent_commas(void **state)
{
    (void)state;
    static const char *const lines[] = {"Báo cáo, năm 2024", "Huyện, xã\t12", "Tỉnh, thành\t3"};
    buf b = BUF_INIT;
    buf_putc(&b, (char)0xFF);
    buf_putc(&b, (char)0xFE);
    for (size_t i = 0; i < 3; i++) {
        buf u = BUF_INIT;
        buf_puts(&u, lines[i]);
        buf_puts(&u, "\r\n");
        /* UTF-8 → UTF-16LE (BMP only here) */
        for (size_t k = 0; k < u.len;) {
            unsigned char c = (unsigned char)u.data[k];
            unsigned long cp;
            if (c < 0x80) { cp = c; k += 1; }
            else if (c < 0xE0) { cp = (c & 0x1Fu) << 6 | ((unsigned char)u.data[k + 1] & 0x3Fu); k += 2; }
            else { cp = (c & 0x0Fu) << 12 | ((unsigned char)u.data[k + 1] & 0x3Fu) << 6 |
                        ((unsigned char)u.data[k + 2] & 0x3Fu); k += 3; }
            buf_putc(&b, (char)(cp & 0xFF));
            buf_putc(&b, (char)(cp >> 8));
        }
        buf_free(&u);
    }
    assert_false(b.oom);
    char *path = tmp_file("unicode.txt", b.data, b.len);
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(path, NULL, &k, &err), DTBD_OK);
    assert_int_equal(err.repaired, 0);
    assert_cell(&k, "A1", "Báo cáo, năm 2024");
    assert_cell(&k, "A2", "Huyện, xã");
    assert_cell(&k, "B2", "12");
    assert_cell(&k, "B3", "3");
    assert_int_equal(k.n, 5);
    keeper_free(&k);
    tmp_remove(path);
    buf_free(&b);
}

/* Lone surrogates (high then a letter, a low alone) and an odd last byte
 * become U+FFFD each, and are counted for the run's note. */
static void test_csv_utf16_lone_surrogates_are_replaced_and_counted(void **state)
{
    (void)state;
    static const unsigned char data[] = {
        0xFF, 0xFE,                    /* BOM                                  */
        'a', 0, 0x00, 0xD8, 'b', 0,    /* a, lone high D800, b                 */
        '\t', 0, 0x00, 0xDC, '\r', 0,  /* tab, lone low DC00, CR              */
        '\n', 0, 'c', 0, 0x3D, 0xD8,   /* LF, c, high D83D at the very end …  */
        0x41                           /* … and an odd last byte               */
    };
    char *path = tmp_file("lone.txt", data, sizeof data);
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(path, NULL, &k, &err), DTBD_OK);
    assert_cell(&k, "A1", "a\xef\xbf\xbd" "b");
    assert_cell(&k, "B1", "\xef\xbf\xbd");
    assert_cell(&k, "A2", "c\xef\xbf\xbd\xef\xbf\xbd");
    assert_int_equal(err.repaired, 4);
    keeper_free(&k);
    tmp_remove(path);
}

/* A UTF-8 tab-delimited .txt (Excel's "Text (Tab delimited)" re-saved as
 * UTF-8): tab is detected like ',' and ';' are, commas in texts or not. */
static void test_csv_utf8_tab_delimited_txt_detects_tab(void **state)
{
    (void)state;
    static const char data[] = "STT\tĐơn vị\tTổng số\r\n"
                               "1\tSở Nội vụ, tỉnh\t45\r\n"
                               "2\tHuyện Châu Thành\t120\r\n";
    char *path = tmp_file("bao-cao.txt", data, sizeof data - 1);
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(path, NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 9);
    assert_cell(&k, "B2", "Sở Nội vụ, tỉnh");
    assert_cell(&k, "C3", "120");
    assert_int_equal(err.repaired, 0);
    keeper_free(&k);
    tmp_remove(path);
}

static void test_csv_windows1258_decided_per_file_not_per_field(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "cp1258-per-file.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 4);
    /* C3 A1 would be "á" in UTF-8; in this Windows-1258 file it is Ă ¡ */
    assert_cell(&k, "A1", "\xc4\x82\xc2\xa1");
    assert_cell(&k, "B1", "Việt Nam");
    assert_cell(&k, "A2", "Đà Nẵng");
    assert_cell(&k, "B2", "x");
    keeper_free(&k);
}

static void test_csv_invalid_byte_after_64k_makes_whole_file_windows1258(void **state)
{
    (void)state;
    /* line 1 holds C3 A1 (valid UTF-8), the only invalid byte (EC, combining
     * acute in Windows-1258) comes after the first 64 KiB that wb_sniff and
     * the delimiter sample look at */
    buf b = BUF_INIT;
    buf_puts(&b, "\xc3\xa1,b\n");
    for (int i = 0; i < 9000; i++) buf_puts(&b, "1234567,8\n");
    buf_puts(&b, "a\xec,z\n");
    assert_false(b.oom);
    char *path = tmp_file("late.csv", b.data, b.len);
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(path, NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 2 + 2 * 9000 + 2);
    assert_cell(&k, "A1", "\xc4\x82\xc2\xa1");
    assert_cell(&k, "A9001", "1234567");
    assert_cell(&k, "B9001", "8");
    assert_cell(&k, "A9002", "\xc3\xa1");          /* a + U+0301 composed */
    assert_cell(&k, "B9002", "z");
    keeper_free(&k);
    tmp_remove(path);
    buf_free(&b);
}

/* Mostly-valid UTF-8 is UTF-8: a stray byte (0xD0, a Windows-1258 "Đ") in a
 * UTF-8 export with no BOM made the whole file Windows-1258 mojibake (a report
 * lost to no_form). Ill-formed stretches under 1 % of the non-ASCII bytes,
 * with some well-formed sequence, are each one U+FFFD, counted, and the first
 * cell is named. */
static void test_csv_stray_byte_in_utf8_is_replaced_not_windows1258(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "Đối tượng,Tổng số\n");
    for (int i = 0; i < 40; i++) buf_puts(&b, "Cán bộ cấp xã,12\n");   /* 240+ non-ASCII bytes */
    buf_puts(&b, "Viên chức,\xd0 7\n");
    char *path = tmp_file("stray.csv", b.data, b.len);
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(path, NULL, &k, &err), DTBD_OK);
    assert_cell(&k, "A1", "Đối tượng");
    assert_cell(&k, "A42", "Viên chức");
    assert_cell(&k, "B42", "\xef\xbf\xbd 7");
    assert_int_equal(err.repaired, 1);
    assert_string_equal(err.repaired_at, "B42");
    keeper_free(&k);
    tmp_remove(path);
    /* a valid file has nothing repaired and no cell named */
    b.len = 0;
    buf_puts(&b, "Đối tượng,Tổng số\n");
    path = tmp_file("clean.csv", b.data, b.len);
    assert_int_equal(read_into(path, NULL, &k, &err), DTBD_OK);
    assert_int_equal(err.repaired, 0);
    assert_string_equal(err.repaired_at, "");
    keeper_free(&k);
    tmp_remove(path);
    buf_free(&b);
}

static void test_csv_utf8_sequence_across_chunk_boundary_stays_utf8(void **state)
{
    (void)state;
    /* "ệ" (E1 BB 87) cut by the 64 KiB read boundary: still one valid file */
    buf b = BUF_INIT;
    buf_puts(&b, "x,");
    while (b.len < 65535) buf_putc(&b, 'a');
    buf_puts(&b, "\xe1\xbb\x87\n");
    char *path = tmp_file("cut.csv", b.data, b.len);
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(path, NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 2);
    assert_cell(&k, "A1", "x");
    assert_int_equal(strlen(at(&k, "B1")), 65533 + 3);
    assert_memory_equal(at(&k, "B1") + 65533, "\xe1\xbb\x87", 4);
    keeper_free(&k);
    tmp_remove(path);
    buf_free(&b);
}

static void test_csv_utf16_surrogate_pair_across_chunk_boundary(void **state)
{
    (void)state;
    /* BOM, then 32767 units "a" so that the high surrogate is the last unit
     * of the first 64 KiB read after the BOM and the low one the first of the
     * next; then an odd trailing byte */
    buf b = BUF_INIT;
    buf_append(&b, "\xff\xfe", 2);
    for (int i = 0; i < 32767; i++) buf_append(&b, "a\0", 2);
    buf_append(&b, "\x3d\xd8\x00\xde", 4);   /* U+1F600 */
    buf_append(&b, ",\0z\0", 4);
    buf_append(&b, "q", 1);                  /* half a code unit */
    char *path = tmp_file("u16.csv", b.data, b.len);
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(path, NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 2);
    const char *a1 = at(&k, "A1");
    assert_non_null(a1);
    assert_int_equal(strlen(a1), 32767 + 4);
    assert_string_equal(a1 + 32767, "\xf0\x9f\x98\x80");
    assert_cell(&k, "B1", "z\xef\xbf\xbd");
    keeper_free(&k);
    tmp_remove(path);
    buf_free(&b);
}

static void test_csv_nul_byte_becomes_replacement_character(void **state)
{
    (void)state;
    /* wb_sniff refuses NULs in the first 64 KiB: call the reader directly */
    keeper k = {0};
    wb_sink sink = {&k, keep_begin, keep_cell, NULL, keep_end};
    wb_error err = {0};
    wb_limits lim = wb_limits_default();
    assert_int_equal(csvfile_read(FIX "nul-in-field.csv", &lim, &sink, &err), DTBD_OK);
    assert_int_equal(k.n, 2);
    assert_cell(&k, "A1", "a");
    assert_cell(&k, "B1", "b\xef\xbf\xbd" "c");
    keeper_free(&k);
}

/* ---- delimiters, quoting, line ends, spaces ----------------------------------------- */

static void test_csv_semicolon_wins_over_decimal_commas(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "semicolon-decimal.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 12);
    assert_cell(&k, "A1", "Mã");
    assert_cell(&k, "C1", "Tỷ lệ");
    assert_cell(&k, "B2", "Sở Nội vụ");
    assert_cell(&k, "C2", "12,5");
    assert_cell(&k, "C3", "7,25");
    assert_cell(&k, "B4", "1,5");
    assert_cell(&k, "C4", "2,5");
    keeper_free(&k);
}

static void test_csv_delimiters_inside_quotes_do_not_count(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "semicolon-quoted.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 4);
    assert_cell(&k, "A1", "Tên");
    assert_cell(&k, "B1", "Ghi chú");
    assert_cell(&k, "A2", "A, B, C");
    assert_cell(&k, "B2", "x, y, z");
    keeper_free(&k);
}

static void test_csv_delimiter_tie_goes_to_comma(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "tie.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 2);
    assert_cell(&k, "A1", "a;b");
    assert_cell(&k, "B1", "c");
    keeper_free(&k);
}

static void test_csv_quoted_newline_and_doubled_quotes(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "quoted-newline.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 6);
    assert_cell(&k, "B1", "Ghi chú");
    assert_cell(&k, "A2", "1");
    assert_cell(&k, "B2", "Dòng một\nDòng hai");
    assert_cell(&k, "A3", "2");                 /* the quoted newline is no row */
    assert_cell(&k, "B3", "Nói \"có\" rồi");
    keeper_free(&k);
}

static void test_csv_keeps_leading_and_trailing_spaces(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "spaces.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 6);
    assert_cell(&k, "A2", "  12 ");
    assert_cell(&k, "B2", " x ");
    assert_cell(&k, "C2", " q ");
    keeper_free(&k);
}

static void test_csv_crlf_counts_blank_line_as_row(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "crlf.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 6);
    assert_cell(&k, "A1", "a");
    assert_cell(&k, "B1", "b");
    assert_cell(&k, "A3", "c");                 /* row 2 is the blank line */
    assert_cell(&k, "B3", "d");
    assert_cell(&k, "A4", "x\r\ny");            /* quoted CRLF kept as is  */
    assert_cell(&k, "B4", "e");
    keeper_free(&k);
}

static void test_csv_cr_only_line_endings(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "cr-only.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 5);
    assert_cell(&k, "A1", "a");
    assert_cell(&k, "B1", "b");
    assert_cell(&k, "A2", "c");
    assert_cell(&k, "B2", "d");
    assert_cell(&k, "A4", "e");
    keeper_free(&k);
}

static void test_csv_ragged_rows_and_empty_fields(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "ragged.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 9);
    assert_cell(&k, "C1", "c");
    assert_cell(&k, "A2", "d");
    assert_null(at(&k, "B2"));
    assert_cell(&k, "D3", "h");
    assert_null(at(&k, "A4"));                  /* empty fields are no cells */
    assert_null(at(&k, "B4"));
    assert_cell(&k, "C4", "i");
    keeper_free(&k);
}

static void test_csv_unterminated_quote_keeps_text_to_eof(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "unterminated-quote.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 2);
    assert_cell(&k, "A1", "a");
    assert_cell(&k, "B1", "bcd\nef");
    keeper_free(&k);
}

static void test_csv_malformed_quotes_do_not_crash(void **state)
{
    (void)state;
    static const char data[] = "\"a\"b\"\",\"\"\"\n\"\"x\"\"\",\"\n\"\n,\"";
    char *path = tmp_file("bad.csv", data, sizeof data - 1);
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(path, NULL, &k, &err), DTBD_OK);
    for (size_t i = 0; i < k.n; i++) assert_true(k.cells[i].len > 0);
    keeper_free(&k);
    tmp_remove(path);
}

/* ---- files ------------------------------------------------------------------------------ */

static void test_csv_empty_file_is_format_error(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "empty.csv", NULL, &k, &err), DTBD_ERR_FORMAT);
    assert_int_equal(err.format, WB_FMT_EMPTY);
    assert_non_null(strstr(err.detail, "tệp rỗng"));
    assert_int_equal(k.begins, 0);
    keeper_free(&k);
}

/* A file holding only a byte-order mark (UTF-8, UTF-16LE, UTF-16BE) is
 * empty after its BOM: "tệp rỗng" like 0 bytes, not a CSV without a form. */
static void test_csv_bom_only_file_is_empty(void **state)
{
    (void)state;
    static const char *const boms[] = {"\xEF\xBB\xBF", "\xFF\xFE", "\xFE\xFF"};
    for (size_t i = 0; i < 3; i++) {
        char *path = tmp_file("bom-only.csv", boms[i], strlen(boms[i]));
        keeper k = {0};
        wb_error err;
        assert_int_equal(read_into(path, NULL, &k, &err), DTBD_ERR_FORMAT);
        assert_int_equal(err.format, WB_FMT_EMPTY);
        assert_non_null(strstr(err.detail, "tệp rỗng"));
        assert_non_null(strstr(err.detail, "BOM"));
        assert_int_equal(k.begins, 0);
        keeper_free(&k);
        tmp_remove(path);
    }
}

static void test_csv_header_only_file(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "header-only.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.begins, 1);
    assert_int_equal(k.ends, 1);
    assert_string_equal(k.sheet, "header-only");
    assert_int_equal(k.n, 3);
    assert_cell(&k, "A1", "STT");
    assert_cell(&k, "B1", "Đơn vị");
    assert_cell(&k, "C1", "Tổng số");
    keeper_free(&k);
}

static void test_csv_sheet_name_is_base_name_without_extension(void **state)
{
    (void)state;
    static const struct { const char *file, *sheet; } cases[] = {
        {"bieu01.csv", "bieu01"}, {"bao.cao.2024.csv", "bao.cao.2024"},
        {"khongduoi", "khongduoi"}, {".csv", ".csv"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *path = tmp_file(cases[i].file, "a\n", 2);
        keeper k = {0};
        wb_error err;
        assert_int_equal(read_into(path, NULL, &k, &err), DTBD_OK);
        assert_string_equal(k.sheet, cases[i].sheet);
        keeper_free(&k);
        tmp_remove(path);
    }
}

/* ---- limits and the sink ------------------------------------------------------------------ */

static void test_csv_field_longer_than_max_string_bytes_is_limit_at_cell(void **state)
{
    (void)state;
    wb_limits lim = wb_limits_default();
    lim.max_string_bytes = 5;                   /* "  12 " is exactly 5 bytes */
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "spaces.csv", &lim, &k, &err), DTBD_OK);
    keeper_free(&k);

    lim.max_string_bytes = 4;
    assert_int_equal(read_into(FIX "spaces.csv", &lim, &k, &err), DTBD_ERR_LIMIT);
    assert_string_equal(err.cell, "A2");
    assert_string_equal(err.sheet, "spaces");
    assert_int_equal(k.n, 3);                   /* the header row got through */
    keeper_free(&k);
}

static void test_csv_limit_counts_converted_bytes(void **state)
{
    (void)state;
    /* "Đơn vị" is 6 characters, 9 bytes in UTF-8 (B1 of header-only.csv) */
    wb_limits lim = wb_limits_default();
    lim.max_string_bytes = 8;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "header-only.csv", &lim, &k, &err), DTBD_ERR_LIMIT);
    assert_string_equal(err.cell, "B1");
    keeper_free(&k);
}

static void test_csv_endless_quoted_field_stops_early(void **state)
{
    (void)state;
    size_t n = 4u << 20;
    char *data = malloc(n);
    assert_non_null(data);
    memset(data, 'x', n);
    data[0] = '"';
    char *path = tmp_file("endless.csv", data, n);
    wb_limits lim = wb_limits_default();
    lim.max_string_bytes = 1000;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(path, &lim, &k, &err), DTBD_ERR_LIMIT);
    assert_string_equal(err.cell, "A1");
    assert_int_equal(k.n, 0);
    keeper_free(&k);
    tmp_remove(path);
    free(data);
}

static void test_csv_more_cells_than_max_cells_per_sheet_is_limit(void **state)
{
    (void)state;
    wb_limits lim = wb_limits_default();
    lim.max_cells_per_sheet = 9;                /* ragged.csv has 9 */
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "ragged.csv", &lim, &k, &err), DTBD_OK);
    assert_int_equal(k.n, 9);
    keeper_free(&k);

    lim.max_cells_per_sheet = 8;
    assert_int_equal(read_into(FIX "ragged.csv", &lim, &k, &err), DTBD_ERR_LIMIT);
    assert_string_equal(err.cell, "C4");
    assert_int_equal(k.n, 8);
    char line[512];
    wb_error_format(&err, "ragged.csv", line, sizeof line);
    assert_non_null(strstr(line, "ragged!C4"));
    keeper_free(&k);
}

static void test_csv_sink_stopping_at_a_cell_aborts(void **state)
{
    (void)state;
    keeper k = {0};
    k.abort_after = 2;
    wb_error err;
    assert_int_equal(read_into(FIX "lo-utf8-comma.csv", NULL, &k, &err), DTBD_ERR_ABORTED);
    assert_int_equal(k.n, 2);
    keeper_free(&k);
}

static void test_csv_sheet_begin_positive_skips_cells_but_ends_sheet(void **state)
{
    (void)state;
    keeper k = {0};
    k.begin_ret = 1;
    wb_error err;
    assert_int_equal(read_into(FIX "lo-utf8-comma.csv", NULL, &k, &err), DTBD_OK);
    assert_int_equal(k.begins, 1);
    assert_int_equal(k.ends, 1);
    assert_int_equal(k.n, 0);
    keeper_free(&k);
}

static void test_csv_sheet_begin_negative_aborts(void **state)
{
    (void)state;
    keeper k = {0};
    k.begin_ret = -1;
    wb_error err;
    assert_int_equal(read_into(FIX "lo-utf8-comma.csv", NULL, &k, &err), DTBD_ERR_ABORTED);
    assert_int_equal(k.ends, 0);
    assert_int_equal(k.n, 0);
    keeper_free(&k);
}

static void test_csv_missing_file_is_io_error(void **state)
{
    (void)state;
    keeper k = {0};
    wb_error err;
    assert_int_equal(read_into(FIX "khong-co.csv", NULL, &k, &err), DTBD_ERR_IO);
    keeper_free(&k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_libreoffice_utf8_comma_reads_source_table),
        cmocka_unit_test(test_csv_libreoffice_utf8_semicolon_detects_semicolon),
        cmocka_unit_test(test_csv_libreoffice_windows1258_converts_to_utf8_nfc),
        cmocka_unit_test(test_csv_libreoffice_utf16le_tab_converts),
        cmocka_unit_test(test_csv_strips_utf8_bom),
        cmocka_unit_test(test_csv_decomposed_input_comes_out_nfc),
        cmocka_unit_test(test_csv_utf16le_tab_with_surrogate_pair),
        cmocka_unit_test(test_csv_utf16be_tab),
        cmocka_unit_test(test_csv_utf16_unicode_text_prefers_tab_over_consistent_commas),
        cmocka_unit_test(test_csv_utf16_lone_surrogates_are_replaced_and_counted),
        cmocka_unit_test(test_csv_utf8_tab_delimited_txt_detects_tab),
        cmocka_unit_test(test_csv_windows1258_decided_per_file_not_per_field),
        cmocka_unit_test(test_csv_invalid_byte_after_64k_makes_whole_file_windows1258),
        cmocka_unit_test(test_csv_utf8_sequence_across_chunk_boundary_stays_utf8),
        cmocka_unit_test(test_csv_stray_byte_in_utf8_is_replaced_not_windows1258),
        cmocka_unit_test(test_csv_utf16_surrogate_pair_across_chunk_boundary),
        cmocka_unit_test(test_csv_nul_byte_becomes_replacement_character),
        cmocka_unit_test(test_csv_semicolon_wins_over_decimal_commas),
        cmocka_unit_test(test_csv_delimiters_inside_quotes_do_not_count),
        cmocka_unit_test(test_csv_delimiter_tie_goes_to_comma),
        cmocka_unit_test(test_csv_quoted_newline_and_doubled_quotes),
        cmocka_unit_test(test_csv_keeps_leading_and_trailing_spaces),
        cmocka_unit_test(test_csv_crlf_counts_blank_line_as_row),
        cmocka_unit_test(test_csv_cr_only_line_endings),
        cmocka_unit_test(test_csv_ragged_rows_and_empty_fields),
        cmocka_unit_test(test_csv_unterminated_quote_keeps_text_to_eof),
        cmocka_unit_test(test_csv_malformed_quotes_do_not_crash),
        cmocka_unit_test(test_csv_empty_file_is_format_error),
        cmocka_unit_test(test_csv_bom_only_file_is_empty),
        cmocka_unit_test(test_csv_header_only_file),
        cmocka_unit_test(test_csv_sheet_name_is_base_name_without_extension),
        cmocka_unit_test(test_csv_field_longer_than_max_string_bytes_is_limit_at_cell),
        cmocka_unit_test(test_csv_limit_counts_converted_bytes),
        cmocka_unit_test(test_csv_endless_quoted_field_stops_early),
        cmocka_unit_test(test_csv_more_cells_than_max_cells_per_sheet_is_limit),
        cmocka_unit_test(test_csv_sink_stopping_at_a_cell_aborts),
        cmocka_unit_test(test_csv_sheet_begin_positive_skips_cells_but_ends_sheet),
        cmocka_unit_test(test_csv_sheet_begin_negative_aborts),
        cmocka_unit_test(test_csv_missing_file_is_io_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
