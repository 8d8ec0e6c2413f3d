/* tests/unit/test_fold.c — folded matching keys, abbreviations, similarity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "base/fold.h"
#include "input/vnenc.h"

/* ---- helpers ---------------------------------------------------------------- */

static void check_key(const char *in, const char *want)
{
    buf out = BUF_INIT;
    assert_true(fold_key(in, strlen(in), &out));
    if (strcmp(buf_str(&out), want) != 0)
        fail_msg("fold_key(\"%s\") = \"%s\", want \"%s\"", in, buf_str(&out), want);
    buf_free(&out);
}

static void check_match(const char *in, const char *want)
{
    buf out = BUF_INIT;
    assert_true(fold_match_key(in, strlen(in), &out));
    if (strcmp(buf_str(&out), want) != 0)
        fail_msg("fold_match_key(\"%s\") = \"%s\", want \"%s\"", in, buf_str(&out), want);
    buf_free(&out);
}

/* Two texts must give the same match key. */
static void check_same(const char *a, const char *b)
{
    buf ka = BUF_INIT, kb = BUF_INIT;
    assert_true(fold_match_key(a, strlen(a), &ka));
    assert_true(fold_match_key(b, strlen(b), &kb));
    if (strcmp(buf_str(&ka), buf_str(&kb)) != 0)
        fail_msg("\"%s\" → \"%s\" but \"%s\" → \"%s\"", a, buf_str(&ka), b, buf_str(&kb));
    buf_free(&ka);
    buf_free(&kb);
}

/* ---- fold_key --------------------------------------------------------------- */

static void test_fold_removes_case_diacritics_and_punctuation(void **state)
{
    (void)state;
    check_key("Tổng  số\n(người)", "tong so nguoi");
    check_key("ĐẠI HỌC", "dai hoc");
    check_key("đại học", "dai hoc");
    check_key("  Cán bộ, công chức cấp xã  ", "can bo cong chuc cap xa");
    check_key("Người dân tộc Kinh công tác tại vùng đồng bào DTTS",
              "nguoi dan toc kinh cong tac tai vung dong bao dtts");
    check_key("Quản lý nhà nước: Chuyên viên cao cấp", "quan ly nha nuoc chuyen vien cao cap");
    check_key("Ưu tiên Ơn", "uu tien on");
    check_key("Kỹ năng, phương pháp thực thi", "ky nang phuong phap thuc thi");
}

static void test_fold_decomposed_equals_composed(void **state)
{
    (void)state;
    /* "Tổng số" with o + circumflex + hook above as combining marks. */
    check_key("To\xcc\x82\xcc\x89ng so\xcc\x82\xcc\x81", "tong so");
    check_same("To\xcc\x82\xcc\x89ng so\xcc\x82\xcc\x81", "Tổng số");
    /* "Đại học" with a + dot below, o + dot below. */
    check_key("\xc4\x90" "a\xcc\xa3i ho\xcc\xa3" "c", "dai hoc");
}

static void test_fold_spaces_nbsp_tabs_and_separators(void **state)
{
    (void)state;
    check_key("Tổng\u00a0số", "tong so");
    check_key("Tổng\tsố\r\n", "tong so");
    check_key("Trong đó:\u2002Nữ", "trong do nu");       /* en space */
    check_key("Kiến thức quốc phòng – an ninh", "kien thuc quoc phong an ninh");
    check_key("NN&PTNT", "nn ptnt");
    check_key("LĐ-TB&XH", "ld tb xh");
    check_key("CB,CC", "cb cc");
    check_key("3=4+5", "3 4 5");
    check_key("31/12/2024", "31 12 2024");
    check_key("1.234", "1 234");
    check_key("-", "");
    check_key("", "");
    check_key("Tr\u00adường", "truong");                 /* soft hyphen vanishes */
    check_key("Ð\u00e0o t\u1ea1o", "dao tao");           /* Icelandic Ð typed for Đ */
}

static void test_fold_keeps_digits_and_compat_forms(void **state)
{
    (void)state;
    check_key("Năm 2024", "nam 2024");
    check_key("NĂM 2023", "nam 2023");
    check_key("Ｔổng số", "tong so");                   /* fullwidth T */
    check_key("m²", "m2");
    check_key("02 năm", "02 nam");
}

static void test_fold_invalid_utf8_is_repaired_not_rejected(void **state)
{
    (void)state;
    check_key("T\xffng s\xc3", "t ng s");
}

/* ---- abbreviations ---------------------------------------------------------- */

static void test_expand_whole_tokens(void **state)
{
    (void)state;
    check_match("CBCC", "can bo cong chuc");
    check_match("CB,CC cấp xã", "can bo cong chuc cap xa");
    check_match("CB, CC cấp xã", "can bo cong chuc cap xa");
    check_match("Cán bộ, công chức cấp xã", "can bo cong chuc cap xa");
    check_match("VC", "vien chuc");
    check_match("ĐBHĐND", "dai bieu hoi dong nhan dan");
    check_match("ĐB HĐND các cấp", "dai bieu hoi dong nhan dan cac cap");
    check_match("HĐND", "hoi dong nhan dan");
    check_match("DTTS", "dan toc thieu so");
    check_match("LLCT", "ly luan chinh tri");
    check_match("QLNN", "quan ly nha nuoc");
    check_match("Kiến thức QP-AN", "kien thuc quoc phong an ninh");
    check_match("QPAN", "quoc phong an ninh");
    check_match("CVCC", "chuyen vien cao cap");
    check_match("CVC", "chuyen vien chinh");
    check_match("CV", "chuyen vien");
    check_match("ĐH", "dai hoc");
    check_match("ThS", "thac si");
    check_match("TS", "tien si");
    check_match("CĐ", "cao dang");
    check_match("TC", "trung cap");
    check_match("Người HĐ KCT ở cấp xã", "nguoi hd khong chuyen trach o cap xa");
    check_match("UBND tỉnh", "uy ban nhan dan tinh");
    check_match("TP. Rạch Giá", "thanh pho rach gia");
    check_match("H. Kiên Lương", "huyen kien luong");
    /* Not inside words, not a different token. */
    check_match("Cục", "cuc");
    check_match("Tổng cộng", "tong cong");
    check_match("CBCCX", "cbccx");
    check_match("Biểu 01/H", "bieu 01 h");              /* "h" at the end stays */
}

static void test_expand_department_names(void **state)
{
    (void)state;
    check_match("Sở LĐ-TB&XH", "so lao dong thuong binh va xa hoi");
    check_same("Sở LĐ-TB&XH", "Sở Lao động – Thương binh và Xã hội");
    check_same("Sở LĐTBXH", "Sở Lao động - Thương binh và Xã hội");
    check_same("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn");
    check_same("Sở NN và PTNT", "Sở Nông nghiệp và Phát triển nông thôn");
    check_same("Sở TT&TT", "Sở Thông tin và Truyền thông");
    check_same("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư");
    check_same("Sở GD&ĐT", "Sở Giáo dục và Đào tạo");
    check_same("Sở TN&MT", "Sở Tài nguyên và Môi trường");
    check_same("Sở KH&CN", "Sở Khoa học và Công nghệ");
    check_same("Sở VH&TT", "Sở Văn hóa và Thể thao");
    check_same("Sở VHTT&DL", "Sở Văn hóa, Thể thao và Du lịch");
    check_same("Sở GTVT", "Sở Giao thông vận tải");
    check_same("Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Văn phòng Đoàn Đại biểu Quốc hội và Hội đồng nhân dân tỉnh");
    check_same("Ban QL KKT tỉnh", "Ban Quản lý Khu kinh tế tỉnh");
    check_same("Bồi dưỡng theo TC CDNN", "Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp");
}

static void test_expand_abbrev_on_a_key(void **state)
{
    (void)state;
    buf out = BUF_INIT;
    const char *k = "cb cc vc";
    assert_true(fold_expand_abbrev(k, strlen(k), &out));
    assert_string_equal(out.data, "can bo cong chuc vien chuc");
    buf_clear(&out);
    assert_true(fold_expand_abbrev("", 0, &out));
    assert_string_equal(buf_str(&out), "");
    buf_free(&out);
}

/* Legacy text repaired by vnenc folds like the Unicode original. */
static void test_repaired_legacy_text_folds_like_unicode(void **state)
{
    (void)state;
    buf dec = BUF_INIT;
    assert_int_equal(vnenc_repair(".VnTime", "C¸n bé, c«ng chøc", strlen("C¸n bé, c«ng chøc"), &dec), VNENC_TCVN3);
    check_same(dec.data, "CB,CC");
    buf_free(&dec);
}

/* ---- similarity ------------------------------------------------------------- */

static void test_similarity(void **state)
{
    (void)state;
    assert_true(fold_similarity("tong so", "tong so") == 1.0);
    assert_true(fold_similarity("", "") == 1.0);
    assert_true(fold_similarity("tong so", "") == 0.0);
    assert_true(fold_similarity(NULL, "a") == 0.0);
    /* Word order: Jaccard 1. */
    assert_true(fold_similarity("huyen kien luong", "kien luong huyen") == 1.0);
    /* One typo in 16 bytes: 1 − 1/16. */
    assert_true(fold_similarity("huyen kien luong", "huyen kien luon") > 0.93);
    /* Jaccard: {huyen, kien, luong} vs {huyen, kien, hai}: 2/4; Levenshtein
     * "luong" → "hai" is 5 edits of 16 bytes: 1 − 5/16 = 0.6875, the larger. */
    double s = fold_similarity("huyen kien luong", "huyen kien hai");
    assert_true(s > 0.6874 && s < 0.6876);
    /* The right candidate ranks first. */
    const char *q = "phong noi vu huyen an bien";
    assert_true(fold_similarity(q, "huyen an bien") > fold_similarity(q, "huyen an minh"));
    assert_true(fold_similarity("so noi vu", "so y te") < 0.45);   /* 1 − 5/9 */
    assert_true(fold_similarity("abc", "xyz") == 0.0);
}

/* Plain full-matrix Levenshtein distance, the reference for the bounded one. */
static size_t ref_lev(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), d[40][40];
    for (size_t i = 0; i <= la; i++) d[i][0] = i;
    for (size_t j = 0; j <= lb; j++) d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best) best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best) best = d[i][j - 1] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

static void test_bounded_levenshtein_is_exact(void **state)
{
    (void)state;
    /* Random keys over a small alphabet (many near matches), every bound. */
    unsigned seed = 12345;
    const double bounds[] = { 0.0, 0.3, 0.5, 0.8, 0.9, 0.95, 1.0 };
    for (int iter = 0; iter < 20000; iter++) {
        char a[40], b[40];
        seed = seed * 1103515245u + 12345u;
        size_t la = (seed >> 16) % 38;
        seed = seed * 1103515245u + 12345u;
        size_t lb = iter % 3 ? la + (seed >> 16) % 5 - 2 : (seed >> 16) % 38;
        if (lb > 38) lb = 0;
        for (size_t i = 0; i < la; i++) { seed = seed * 1103515245u + 12345u; a[i] = "abc "[(seed >> 16) % 4]; }
        memcpy(b, a, la < lb ? la : lb);
        for (size_t i = la < lb ? la : 0; i < lb; i++) { seed = seed * 1103515245u + 12345u; b[i] = "abc "[(seed >> 16) % 4]; }
        for (int k = 0; k < 3; k++) {              /* a few edits of the copy */
            seed = seed * 1103515245u + 12345u;
            if (lb) b[(seed >> 16) % lb] = "abcd"[(seed >> 8) % 4];
        }
        a[la] = b[lb] = '\0';
        size_t longer = la > lb ? la : lb;
        double full = longer ? 1.0 - (double)ref_lev(a, b) / (double)longer : 1.0;
        for (size_t k = 0; k < sizeof bounds / sizeof *bounds; k++) {
            double got = fold_lev_similarity(a, b, bounds[k], 1024);
            double want = full >= bounds[k] ? full : 0.0;
            if (got != want) fail_msg("\"%s\" \"%s\" bound %g: %g, want %g", a, b, bounds[k], got, want);
        }
    }
    assert_true(fold_lev_similarity("kien luong", "kien luon", 0.9, 1024) == 0.9);
    assert_true(fold_lev_similarity("kien luong", "kien luo", 0.9, 1024) == 0.0);
    assert_true(fold_lev_similarity("abc", "abd", 0.0, 2) == -1.0);     /* over max_len */
}

static void test_match_score(void **state)
{
    (void)state;
    bool phrase;
    /* containment in order: 0.5 + 0.5 × 2/6, a phrase of the label */
    double s = fold_match_score("vien chuc don vi su nghiep", "vien chuc", &phrase);
    assert_true(s > 0.6666 && s < 0.6667 && phrase);
    /* out of order: (0.5 + 0.5 × 2/4) × 0.9, no phrase */
    s = fold_match_score("chuc vien cap xa", "vien chuc", &phrase);
    assert_true(s > 0.6749 && s < 0.6751 && !phrase);
    /* a typo: the Levenshtein term (1 − 1/18) */
    s = fold_match_score("trinh do chuyen mn", "trinh do chuyen mon", NULL);
    assert_true(s > 0.9473 && s < 0.9474);
    /* a different last word on a long key stays below 0.9: Jaccard only */
    s = fold_match_score("can bo cap tinh", "can bo cap huyen", NULL);
    assert_true(s > 0.59 && s < 0.61);
    assert_true(fold_match_score("", "a", NULL) == 0.0);
}

/* The bounded edit distance: exact up to maxd, maxd + 1 beyond. */
static void test_edit_distance_bounded(void **state)
{
    (void)state;
    assert_int_equal(fold_edit_distance("aliases", "alises", 2), 1);
    assert_int_equal(fold_edit_distance("on_track", "ontrack", 2), 1);
    assert_int_equal(fold_edit_distance("kitten", "sitting", 3), 3);
    assert_int_equal(fold_edit_distance("kitten", "sitting", 2), 3);   /* over: maxd + 1 */
    assert_int_equal(fold_edit_distance("", "abc", 5), 3);
    assert_int_equal(fold_edit_distance(NULL, "", 0), 0);
    assert_int_equal(fold_edit_distance("groups", "metrics", 2), 3);
}


/* One text both ways: fold_key (the table first) = fold_key_reference. */
static void same_both_ways(const char *s, size_t n)
{
    buf a = BUF_INIT, b = BUF_INIT;
    assert_true(fold_key(s, n, &a));
    assert_true(fold_key_reference(s, n, &b));
    if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0))
        fail_msg("fold_key differs from utf8proc's for %zu bytes starting %02x: \"%s\" vs \"%s\"", n,
                 n ? (unsigned char)s[0] : 0, buf_str(&a), buf_str(&b));
    buf_free(&a);
    buf_free(&b);
}

static size_t put_utf8(char *p, uint32_t cp)
{
    if (cp < 0x80) { p[0] = (char)cp; return 1; }
    if (cp < 0x800) { p[0] = (char)(0xC0 | cp >> 6); p[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        p[0] = (char)(0xE0 | cp >> 12); p[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); p[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = (char)(0xF0 | cp >> 18); p[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    p[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); p[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Every code point below U+3000 (and every 13th above), alone and between
 * letters and marks; then random texts of Vietnamese, Latin, marks,
 * separators, typographic punctuation and invalid bytes. */
static void test_fold_table_is_utf8proc(void **state)
{
    (void)state;
    char t[64];
    for (uint32_t cp = 0; cp <= 0x10FFFF; cp += cp < 0x3000 ? 1 : 13) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        size_t n = put_utf8(t, cp);
        same_both_ways(t, n);
        t[0] = 'A';
        n = 1 + put_utf8(t + 1, cp);
        n += put_utf8(t + n, 0x0301);   /* a combining acute after it */
        t[n++] = ' ';
        t[n++] = 'b';
        same_both_ways(t, n);
    }
    static const uint32_t pool[] = {'a', 'Z', '7', ' ', '-', '&', ',', '\t', '\n', 0x00C0, 0x00E9, 0x0110, 0x0111,
                                    0x00F0, 0x01A0, 0x01AF, 0x1EA0, 0x1EF9, 0x0300, 0x0323, 0x00AD, 0x00A0,
                                    0x2013, 0x2026, 0x201C, 0x200B, 0x00BD, 0xFF21, 0x2460, 0x1E9E, 0x0149};
    uint32_t seed = 12345;
    for (int k = 0; k < 20000; k++) {
        char s[128];
        size_t n = 0;
        int len = 1 + (int)(seed % 12);
        for (int i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = (seed >> 16) % 40;
            if (r < sizeof pool / sizeof *pool) n += put_utf8(s + n, pool[r]);
            else s[n++] = (char)(0x80 + (seed >> 8) % 0x7F);   /* a stray byte */
        }
        same_both_ways(s, n);
    }
}


/* fold_similarity_atleast: the exact similarity whenever it reaches the
 * floor, something below the floor otherwise. */
static void test_similarity_atleast(void **state)
{
    (void)state;
    static const char *const keys[] = {"huyen kien luong", "kien luong", "huyen kien hai", "thanh pho rach gia",
                                       "so noi vu", "so tai chinh", "kien", "", "uy ban nhan dan huyen giong rieng",
                                       "giong rieng", "huyen giang thanh", "an bien", "an minh", "so y te"};
    const size_t n = sizeof keys / sizeof *keys;
    static const double floors[] = {0.0, 0.2, 0.35, 0.5, 0.64, 0.8, 0.95, 1.0, -1.0, 2.5};
    for (size_t a = 0; a < n; a++)
        for (size_t b = 0; b < n; b++)
            for (size_t f = 0; f < sizeof floors / sizeof *floors; f++) {
                double exact = fold_similarity(keys[a], keys[b]);
                double got = fold_similarity_atleast(keys[a], keys[b], floors[f]);
                if (exact >= floors[f] ? got != exact : got >= floors[f])
                    fail_msg("\"%s\" ~ \"%s\" floor %.2f: %.6f, exact %.6f", keys[a], keys[b], floors[f], got, exact);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edit_distance_bounded),
        cmocka_unit_test(test_fold_removes_case_diacritics_and_punctuation),
        cmocka_unit_test(test_bounded_levenshtein_is_exact),
        cmocka_unit_test(test_match_score),
        cmocka_unit_test(test_fold_decomposed_equals_composed),
        cmocka_unit_test(test_fold_spaces_nbsp_tabs_and_separators),
        cmocka_unit_test(test_fold_keeps_digits_and_compat_forms),
        cmocka_unit_test(test_fold_invalid_utf8_is_repaired_not_rejected),
        cmocka_unit_test(test_expand_whole_tokens),
        cmocka_unit_test(test_expand_department_names),
        cmocka_unit_test(test_expand_abbrev_on_a_key),
        cmocka_unit_test(test_repaired_legacy_text_folds_like_unicode),
        cmocka_unit_test(test_similarity),
        cmocka_unit_test(test_fold_table_is_utf8proc),
        cmocka_unit_test(test_similarity_atleast),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
