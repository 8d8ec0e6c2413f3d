/* tests/unit/test_vnenc.c — TCVN3 and VNI legacy text to Unicode, and detection.
 *
 * Expected values: TCVN3 samples were encoded with glibc's TCVN5712-1 converter
 * (whose 0xA1–0xFE lowercase positions are TCVN3's), VNI samples with the
 * published VNI-Windows table of an independent converter; the table test
 * below re-checks every TCVN3 position against glibc at run time.
 * Fixtures (tests/fixtures/vnenc/): the text of Plan 45/KH-UBND (real Unicode
 * Vietnamese, from the project's seed) and the Vietnamese syllables whose
 * letters are all in Latin-1, generated from onsets × rhymes × the three tones
 * Latin-1 can carry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <iconv.h>
#include <cmocka.h>
#include <utf8proc.h>

#include "base/text.h"
#include "input/vnenc.h"

/* ---- helpers ---------------------------------------------------------------- */

/* Decode s as k and compare with want (NULL: must fail and append nothing). */
static void check_decode(vnenc_kind k, const char *s, const char *want)
{
    buf out = BUF_INIT;
    buf_puts(&out, "[");
    bool ok = vnenc_decode(k, s, strlen(s), &out);
    if (!want) {
        if (ok) fail_msg("decoded %s as %s into \"%s\", expected failure", s, vnenc_kind_name(k), out.data);
        assert_string_equal(buf_str(&out), "[");
    } else {
        if (!ok) fail_msg("could not decode \"%s\" as %s", s, vnenc_kind_name(k));
        assert_string_equal(buf_str(&out) + 1, want);
    }
    buf_free(&out);
}

static vnenc_kind detect(const char *s) { return vnenc_detect(s, strlen(s)); }

/* ---- font hints ------------------------------------------------------------- */

static void test_font_hint_names_the_encoding(void **state)
{
    (void)state;
    assert_int_equal(vnenc_font_hint(".VnTime"), VNENC_TCVN3);
    assert_int_equal(vnenc_font_hint(".VnArial"), VNENC_TCVN3);
    assert_int_equal(vnenc_font_hint(".vntime"), VNENC_TCVN3);
    assert_int_equal(vnenc_font_hint(" .VnArial Narrow "), VNENC_TCVN3);
    assert_int_equal(vnenc_font_hint(".VnTimeH"), VNENC_TCVN3_H);
    assert_int_equal(vnenc_font_hint(".VnArialH"), VNENC_TCVN3_H);
    assert_int_equal(vnenc_font_hint(".VnArial NarrowH"), VNENC_TCVN3_H);
    assert_int_equal(vnenc_font_hint("VNI-Times"), VNENC_VNI);
    assert_int_equal(vnenc_font_hint("vni-helve"), VNENC_VNI);
    assert_int_equal(vnenc_font_hint("VNI-Helve-Condense"), VNENC_VNI);
    assert_int_equal(vnenc_font_hint("Times New Roman"), VNENC_NONE);
    assert_int_equal(vnenc_font_hint("Arial"), VNENC_NONE);
    assert_int_equal(vnenc_font_hint("VNIX"), VNENC_NONE);
    assert_int_equal(vnenc_font_hint(".Vn"), VNENC_NONE);
    assert_int_equal(vnenc_font_hint(""), VNENC_NONE);
    assert_int_equal(vnenc_font_hint(NULL), VNENC_NONE);
    assert_string_equal(vnenc_kind_name(VNENC_TCVN3_H), "tcvn3-h");
}

/* ---- TCVN3 ------------------------------------------------------------------ */

static void test_tcvn3_decodes_form_headers(void **state)
{
    (void)state;
    check_decode(VNENC_TCVN3, "Tæng sè", "Tổng số");
    check_decode(VNENC_TCVN3, "C¸n bé, c«ng chøc", "Cán bộ, công chức");
    check_decode(VNENC_TCVN3, "Tr\u00adêng ChÝnh trÞ tØnh Kiªn Giang",
                 "Trường Chính trị tỉnh Kiên Giang");
    check_decode(VNENC_TCVN3, "Ng\u00adêi ho¹t ®éng kh«ng chuyªn tr¸ch ë cÊp x·",
                 "Người hoạt động không chuyên trách ở cấp xã");
    check_decode(VNENC_TCVN3, "§¹i biÓu Héi ®ång nh©n d©n c¸c cÊp",
                 "Đại biểu Hội đồng nhân dân các cấp");
    check_decode(VNENC_TCVN3, "§\u00adîc båi d\u00adìng Ýt nhÊt 01 lÇn trong 02 n¨m gÇn nhÊt",
                 "Được bồi dưỡng ít nhất 01 lần trong 02 năm gần nhất");
    check_decode(VNENC_TCVN3, "D©n téc thiÓu sè", "Dân tộc thiểu số");
    check_decode(VNENC_TCVN3, "Lý luËn chÝnh trÞ", "Lý luận chính trị");
    check_decode(VNENC_TCVN3, "HuyÖn Giång RiÒng", "Huyện Giồng Riềng");
}

static void test_tcvn3_capitals_of_the_lowercase_table(void **state)
{
    (void)state;
    /* The seven capitals TCVN3 has: ¡ ¢ £ ¤ ¥ ¦ § */
    check_decode(VNENC_TCVN3, "¡¢£¤¥¦§", "ĂÂÊÔƠƯĐ");
    check_decode(VNENC_TCVN3, "§BH§ND", "ĐBHĐND");
}

static void test_tcvn3_h_fonts_draw_capitals(void **state)
{
    (void)state;
    check_decode(VNENC_TCVN3_H, "§¹I HäC", "ĐẠI HỌC");
    check_decode(VNENC_TCVN3_H, "tæng sè", "TỔNG SỐ");
    check_decode(VNENC_TCVN3_H, "TæNG Sè", "TỔNG SỐ");
    check_decode(VNENC_TCVN3_H, "ng\u00adêi lËp biÓu", "NGƯỜI LẬP BIỂU");
    check_decode(VNENC_TCVN3_H, "thñ tr\u00adëng ®¬n vÞ", "THỦ TRƯỞNG ĐƠN VỊ");
}

static void test_tcvn3_cp1252_punctuation_and_c1_bytes(void **state)
{
    (void)state;
    /* An en dash from a .xls code page stays a dash; a C1 control standing for
     * byte 0x96 is that dash too. */
    check_decode(VNENC_TCVN3, "Quèc phßng \u2013 an ninh", "Quốc phòng – an ninh");
    check_decode(VNENC_TCVN3, "Quèc phßng \xc2\x96 an ninh", "Quốc phòng – an ninh");
    check_decode(VNENC_TCVN3, "\u201cTæng\u201d", "\u201cTổng\u201d");
    check_decode(VNENC_TCVN3, "Tæng\u00a0sè", "Tổng\u00a0số");
}

static void test_tcvn3_unmappable_character_fails(void **state)
{
    (void)state;
    check_decode(VNENC_TCVN3, "Tæng số", NULL);      /* real Unicode "ố"          */
    check_decode(VNENC_TCVN3, "Tæng ° sè", NULL);    /* 0xB0: not in TCVN3         */
    check_decode(VNENC_TCVN3, "ÀÁ", NULL);           /* VN1 capitals, not TCVN3    */
    check_decode(VNENC_TCVN3, "Tæng \xc2\x81", NULL);/* 0x81: undefined in CP1252  */
    check_decode(VNENC_TCVN3, "Œuvre", NULL);        /* a CP1252 letter            */
    check_decode(VNENC_TCVN3, "x\xff", NULL);        /* invalid UTF-8              */
    check_decode(VNENC_TCVN3, "Tæng 中", NULL);
}

/* Every TCVN3 position against glibc's TCVN5712-1 (VN1 ⊃ VN3): our letter for
 * each byte must be glibc's, and every byte glibc gives a lowercase Vietnamese
 * letter (or one of the seven capitals) must be ours. */
static void test_tcvn3_table_matches_glibc(void **state)
{
    (void)state;
    iconv_t cd = iconv_open("UTF-8", "TCVN5712-1");
    if (cd == (iconv_t)-1) skip();
    int ours = 0;
    for (int b = 0xA1; b <= 0xFE; b++) {
        char in[1] = { (char)b }, res[16] = { 0 };
        char *ip = in, *op = res;
        size_t il = 1, ol = sizeof res - 1;
        (void)iconv(cd, &ip, &il, &op, &ol);
        (void)iconv(cd, NULL, NULL, &op, &ol);      /* flush a held base letter */
        *op = '\0';
        iconv(cd, NULL, NULL, NULL, NULL);
        utf8proc_int32_t cp = -1;
        if (res[0]) utf8proc_iterate((const utf8proc_uint8_t *)res, -1, &cp);
        bool letter = cp >= 0 && (utf8proc_category(cp) == UTF8PROC_CATEGORY_LL ||
                                  strstr("ĂÂÊÔƠƯĐ", res) != NULL);
        char latin[3] = { (char)(0xC0 | (b >> 6)), (char)(0x80 | (b & 0x3F)), 0 };
        buf mine = BUF_INIT;
        bool ok = vnenc_decode(VNENC_TCVN3, latin, 2, &mine);
        if (letter) {
            if (!ok) fail_msg("byte %02X: glibc has %s, we do not map it", b, res);
            assert_string_equal(mine.data, res);
            ours++;
        } else if (ok) {
            fail_msg("byte %02X: we map it to %s, glibc has %s (not a TCVN3 letter)", b, mine.data, res);
        }
        buf_free(&mine);
    }
    iconv_close(cd);
    assert_int_equal(ours, 74);   /* 67 lowercase letters + 7 capitals */
}

/* ---- VNI -------------------------------------------------------------------- */

static void test_vni_decodes_form_headers(void **state)
{
    (void)state;
    check_decode(VNENC_VNI, "Toång soá", "Tổng số");
    check_decode(VNENC_VNI, "Caùn boä, coâng chöùc", "Cán bộ, công chức");
    check_decode(VNENC_VNI, "Tröôøng Chính trò tænh Kieân Giang", "Trường Chính trị tỉnh Kiên Giang");
    check_decode(VNENC_VNI, "Ngöôøi hoaït ñoäng khoâng chuyeân traùch ôû caáp xaõ",
                 "Người hoạt động không chuyên trách ở cấp xã");
    check_decode(VNENC_VNI, "Ñaïi bieåu Hoäi ñoàng nhaân daân caùc caáp",
                 "Đại biểu Hội đồng nhân dân các cấp");
    check_decode(VNENC_VNI, "Ñöôïc boài döôõng ít nhaát 01 laàn trong 02 naêm gaàn nhaát",
                 "Được bồi dưỡng ít nhất 01 lần trong 02 năm gần nhất");
    check_decode(VNENC_VNI, "Thaïc só · Tieán só", "Thạc sĩ · Tiến sĩ");
    check_decode(VNENC_VNI, "Lyù luaän chính trò", "Lý luận chính trị");
    check_decode(VNENC_VNI, "Quoác phoøng – an ninh", "Quốc phòng – an ninh");
    check_decode(VNENC_VNI, "Sôû Lao ñoäng – Thöông binh vaø Xaõ hoäi",
                 "Sở Lao động – Thương binh và Xã hội");
    check_decode(VNENC_VNI, "Kyø, yù, yû, yõ, î", "Kỳ, ý, ỷ, ỹ, ỵ");
}

static void test_vni_capitals(void **state)
{
    (void)state;
    check_decode(VNENC_VNI, "ÑAÏI HOÏC", "ĐẠI HỌC");
    check_decode(VNENC_VNI, "TOÅNG SOÁ", "TỔNG SỐ");
    check_decode(VNENC_VNI, "AË ÔÙ ÖØ Î Ñ", "Ặ Ớ Ừ Ỵ Đ");
}

static void test_vni_unmappable_character_fails(void **state)
{
    (void)state;
    check_decode(VNENC_VNI, "Toång số", NULL);   /* Unicode "ố"                    */
    check_decode(VNENC_VNI, "sø", NULL);         /* a mark with no vowel before it */
    check_decode(VNENC_VNI, "Straße", NULL);     /* ß is no VNI byte               */
    check_decode(VNENC_VNI, "ý", NULL);          /* 0xFD is no VNI byte            */
}

/* ---- detection -------------------------------------------------------------- */

static void test_detect_finds_tcvn3_by_text(void **state)
{
    (void)state;
    assert_int_equal(detect("Tæng sè"), VNENC_TCVN3);
    assert_int_equal(detect("C¸n bé, c«ng chøc"), VNENC_TCVN3);
    assert_int_equal(detect("Tr\u00adêng"), VNENC_TCVN3);
    assert_int_equal(detect("§¹i häc"), VNENC_TCVN3);
    assert_int_equal(detect("D©n téc thiÓu sè"), VNENC_TCVN3);
    assert_int_equal(detect("Ng\u00adêi ho¹t ®éng kh«ng chuyªn tr¸ch ë cÊp x·"), VNENC_TCVN3);
    assert_int_equal(detect("§BH§ND"), VNENC_TCVN3_H);  /* capitals only: typed for .VnTimeH */
    check_decode(VNENC_TCVN3_H, "§BH§ND", "ĐBHĐND");
    assert_int_equal(detect("TæNG Sè"), VNENC_TCVN3_H);
    /* Only Latin-1 letters Vietnamese also uses, but a capital inside a word. */
    assert_int_equal(detect("Trung cÊp"), VNENC_TCVN3);
    /* No telltale, but no word reads as Vietnamese and every decoded one does. */
    assert_int_equal(detect("TiÒn"), VNENC_TCVN3);
}

static void test_detect_finds_vni_by_text(void **state)
{
    (void)state;
    assert_int_equal(detect("Toång soá"), VNENC_VNI);
    assert_int_equal(detect("Caùn boä, coâng chöùc"), VNENC_VNI);
    assert_int_equal(detect("Ñaïi hoïc"), VNENC_VNI);
    assert_int_equal(detect("Vieân chöùc"), VNENC_VNI);
    assert_int_equal(detect("ÑAÏI HOÏC"), VNENC_VNI);
    assert_int_equal(detect("Cô quan, ñôn vò"), VNENC_VNI);   /* ñ is n + tilde: no tone */
    assert_int_equal(detect("Naêm 2024"), VNENC_VNI);
    assert_int_equal(detect("Kieân Giang"), VNENC_VNI);
    /* Ambiguous: "Maõ" is Mã in VNI but also a well-formed Unicode syllable. */
    assert_int_equal(detect("Maõ"), VNENC_NONE);
}

/* Real Unicode must never be taken for legacy text: the headers of the form,
 * the unit names, and Latin-1-only Vietnamese words. */
static void test_detect_never_flags_real_unicode(void **state)
{
    (void)state;
    static const char *const real[] = {
        "Tổng số", "Cán bộ, công chức", "Trong đó: Nữ", "Dân tộc thiểu số",
        "Trình độ chuyên môn", "Sau đại học", "Đại học", "Cao đẳng", "Trung cấp",
        "Chưa qua đào tạo", "Chuyên môn phù hợp vị trí việc làm",
        "Người dân tộc Kinh công tác tại vùng đồng bào DTTS",
        "Trong đó: sử dụng được tiếng DTTS",
        "Đã được bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp (lũy kế)",
        "Được bồi dưỡng năng lực quản lý trước khi bổ nhiệm",
        "Được bồi dưỡng ít nhất 01 lần trong 02 năm gần nhất",
        "Đã được bồi dưỡng trong nhiệm kỳ 2021–2026 (lũy kế)",
        "Đào tạo: Đại học · Thạc sĩ · Tiến sĩ", "Lý luận chính trị: Cao cấp · Trung cấp · Sơ cấp",
        "Quản lý nhà nước: Chuyên viên cao cấp · Chuyên viên chính · Chuyên viên",
        "Kiến thức quốc phòng – an ninh", "Hội nhập quốc tế", "Tin học", "Ngoại ngữ",
        "Tiếng dân tộc", "Bồi dưỡng ở nước ngoài",
        "Số người được đào tạo, bồi dưỡng (mỗi người tính một lần)", "Số lượt người",
        "Dự toán", "Thực hiện", "Ngân sách địa phương", "Ngân sách Trung ương",
        "Cơ quan, đơn vị", "Tài trợ", "Tổng", "Tổng cộng", "NGƯỜI LẬP BIỂU",
        "THỦ TRƯỞNG ĐƠN VỊ", "Đơn vị tính: người", "Năm 2024",
        "I. Cán bộ, công chức cấp tỉnh, cấp huyện", "II. Cán bộ, công chức cấp xã",
        "III. Người hoạt động không chuyên trách ở cấp xã", "IV. Viên chức",
        "Trong đó: viên chức giữ chức vụ quản lý", "V. Đại biểu Hội đồng nhân dân các cấp",
        "Văn phòng UBND tỉnh", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Thanh tra tỉnh",
        "Sở Nội vụ", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Tư pháp", "Sở Công Thương",
        "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Thông tin và Truyền thông",
        "Sở Giao thông vận tải", "Sở Xây dựng", "Sở Du lịch",
        "Sở Nông nghiệp và Phát triển nông thôn", "Sở Lao động – Thương binh và Xã hội",
        "Sở Ngoại vụ", "Sở Y tế", "Sở Văn hóa và Thể thao", "Sở Tài nguyên và Môi trường",
        "Ban Dân tộc", "Ban Quản lý Khu kinh tế tỉnh", "Bộ Chỉ huy Quân sự tỉnh",
        "Công an tỉnh", "Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo",
        "Thành phố Rạch Giá", "Thành phố Hà Tiên", "Thành phố Phú Quốc",
        "Huyện Kiên Lương", "Huyện Hòn Đất", "Huyện Tân Hiệp", "Huyện Châu Thành",
        "Huyện Giồng Riềng", "Huyện Gò Quao", "Huyện An Biên", "Huyện An Minh",
        "Huyện Vĩnh Thuận", "Huyện Kiên Hải", "Huyện U Minh Thượng", "Huyện Giang Thành",
        "Trường Chính trị tỉnh Kiên Giang",
        /* Latin-1-only Vietnamese: each also decodes in a legacy table. */
        "Cán", "Tên", "Hoàn", "Hoá", "Tiền", "Tên đơn vị", "Mã", "Hà Tiên", "Tân Hiệp",
        "Gò Quao", "Kiên Giang", "Ghi chú", "Tài trợ", "Dự án", "Hoà", "Cà Mau",
        "CÁN BỘ", "TÊN", "HÀ TIÊN", "Hòn Đất", "× 100", "© 2024", "Nguyễn Văn Á",
        "Café", "Größe", "Übersicht", "Ñandú", "naïve", "½ năm",
    };
    for (size_t i = 0; i < sizeof real / sizeof *real; i++) {
        vnenc_kind k = detect(real[i]);
        if (k != VNENC_NONE) fail_msg("\"%s\" detected as %s", real[i], vnenc_kind_name(k));
        buf out = BUF_INIT;
        k = vnenc_repair(NULL, real[i], strlen(real[i]), &out);
        if (k != VNENC_NONE) fail_msg("\"%s\" repaired as %s", real[i], vnenc_kind_name(k));
        assert_int_equal(out.len, 0);
        buf_free(&out);
    }
    assert_int_equal(detect("Tong so"), VNENC_NONE);
    assert_int_equal(detect(""), VNENC_NONE);
}

static void test_repair_follows_font_unless_text_is_unicode(void **state)
{
    (void)state;
    buf out = BUF_INIT;
    assert_int_equal(vnenc_repair(".VnTime", "Tæng sè", strlen("Tæng sè"), &out), VNENC_TCVN3);
    assert_string_equal(out.data, "Tổng số");
    buf_clear(&out);
    assert_int_equal(vnenc_repair(".VnTimeH", "tæng sè", strlen("tæng sè"), &out), VNENC_TCVN3_H);
    assert_string_equal(out.data, "TỔNG SỐ");
    buf_clear(&out);
    assert_int_equal(vnenc_repair("VNI-Times", "Toång soá", strlen("Toång soá"), &out), VNENC_VNI);
    assert_string_equal(out.data, "Tổng số");
    buf_clear(&out);
    /* No font: detection. */
    assert_int_equal(vnenc_repair("Arial", "C¸n bé", strlen("C¸n bé"), &out), VNENC_TCVN3);
    assert_string_equal(out.data, "Cán bộ");
    buf_clear(&out);
    /* Unicode pasted into a .VnTime cell stays as it is. */
    assert_int_equal(vnenc_repair(".VnTime", "Cán bộ", strlen("Cán bộ"), &out), VNENC_NONE);
    assert_int_equal(vnenc_repair(".VnTime", "Tên", strlen("Tên"), &out), VNENC_NONE);
    assert_int_equal(vnenc_repair("VNI-Times", "Hoàn", strlen("Hoàn"), &out), VNENC_NONE);
    assert_int_equal(vnenc_repair(".VnTime", "Tong so", 7, &out), VNENC_NONE);
    assert_int_equal(vnenc_repair(".VnTime", "chính · thông", strlen("chính · thông"), &out), VNENC_NONE);
    assert_int_equal(vnenc_repair(".VnTime", "·", strlen("·"), &out), VNENC_NONE);
    assert_int_equal(vnenc_repair("VNI-Times", "thông ·", strlen("thông ·"), &out), VNENC_NONE);
    assert_int_equal(out.len, 0);
    buf_free(&out);
}

static void test_reads_vietnamese(void **state)
{
    (void)state;
    assert_true(vnenc_reads_vietnamese("Người hoạt động không chuyên trách", strlen("Người hoạt động không chuyên trách")));
    assert_true(vnenc_reads_vietnamese("nghiêng quốc khuya thuở gì", strlen("nghiêng quốc khuya thuở gì")));
    assert_true(vnenc_reads_vietnamese("HĐND", strlen("HĐND")));
    assert_false(vnenc_reads_vietnamese("Tæng sè", strlen("Tæng sè")));
    assert_false(vnenc_reads_vietnamese("Tong so", 7));
    assert_false(vnenc_reads_vietnamese("Größe", strlen("Größe")));
}

/* ---- corpus ----------------------------------------------------------------- */

/* Read a fixture into a NUL-terminated malloc'd string. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s (run from the top folder)", path);
    buf b = BUF_INIT;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, got);
    fclose(f);
    assert_false(b.oom);
    return buf_detach(&b);
}

/* Neither detection nor any legacy font may touch s[0..n). */
static void assert_stays_unicode(const char *s, size_t n)
{
    static const char *const fonts[] = { NULL, ".VnTime", ".VnTimeH", "VNI-Times" };
    vnenc_kind k = vnenc_detect(s, n);
    if (k != VNENC_NONE) fail_msg("\"%.*s\" detected as %s", (int)n, s, vnenc_kind_name(k));
    for (size_t f = 0; f < 4; f++) {
        buf out = BUF_INIT;
        k = vnenc_repair(fonts[f], s, n, &out);
        if (k != VNENC_NONE)
            fail_msg("\"%.*s\" in %s repaired as %s: \"%s\"", (int)n, s,
                     fonts[f] ? fonts[f] : "no font", vnenc_kind_name(k), buf_str(&out));
        buf_free(&out);
    }
}

/* Start offsets of the space/newline separated words of s (malloc'd). */
static size_t split_words(const char *s, size_t **starts, size_t **lens)
{
    size_t n = strlen(s), count = 0;
    *starts = malloc((n / 2 + 1) * sizeof **starts);
    *lens = malloc((n / 2 + 1) * sizeof **lens);
    assert_non_null(*starts);
    assert_non_null(*lens);
    for (size_t i = 0; i < n;) {
        while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) i++;
        if (i >= n) break;
        size_t b = i;
        while (i < n && !(s[i] == ' ' || s[i] == '\n' || s[i] == '\r' || s[i] == '\t')) i++;
        (*starts)[count] = b;
        (*lens)[count++] = i - b;
    }
    return count;
}

/* Every line and every run of one to three words of the province's plan (real
 * Unicode Vietnamese), under every font: never legacy. */
static void test_plan_text_never_taken_for_legacy(void **state)
{
    (void)state;
    char *text = slurp("tests/fixtures/vnenc/real-unicode-plan.txt");
    size_t *st, *ln;
    size_t words = split_words(text, &st, &ln);
    assert_true(words > 1000);
    for (size_t w = 0; w < words; w++)
        for (size_t len = 1; len <= 3 && w + len <= words; len++)
            assert_stays_unicode(text + st[w], st[w + len - 1] + ln[w + len - 1] - st[w]);
    for (char *line = text, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl) { assert_stays_unicode(line, strlen(line)); break; }
        assert_stays_unicode(line, (size_t)(nl - line));
    }
    free(st);
    free(ln);
    free(text);
}

/* Vietnamese syllables written with Latin-1 letters only ("tên", "hoàn",
 * "cán") are the ones a legacy table can also decode: each alone, capitalized,
 * in capitals, and next to the following one, must stay Unicode. */
static void test_latin1_syllables_never_taken_for_legacy(void **state)
{
    (void)state;
    char *text = slurp("tests/fixtures/vnenc/latin1-syllables.txt");
    size_t *st, *ln;
    size_t words = split_words(text, &st, &ln);
    assert_true(words > 5000);
    for (size_t w = 0; w < words; w++) {
        const char *s = text + st[w];
        assert_stays_unicode(s, ln[w]);
        if (w + 1 < words) assert_stays_unicode(s, st[w + 1] + ln[w + 1] - st[w]);
        buf cap = BUF_INIT, up = BUF_INIT;
        size_t i = 0;
        while (i < ln[w]) {
            utf8proc_int32_t cp;
            utf8proc_ssize_t k = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(ln[w] - i), &cp);
            assert_true(k > 0);
            text_put_codepoint(&cap, (unsigned long)(i == 0 ? utf8proc_toupper(cp) : cp));
            text_put_codepoint(&up, (unsigned long)utf8proc_toupper(cp));
            i += (size_t)k;
        }
        assert_stays_unicode(cap.data, cap.len);
        assert_stays_unicode(up.data, up.len);
        buf_free(&cap);
        buf_free(&up);
    }
    free(st);
    free(ln);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_font_hint_names_the_encoding),
        cmocka_unit_test(test_tcvn3_decodes_form_headers),
        cmocka_unit_test(test_tcvn3_capitals_of_the_lowercase_table),
        cmocka_unit_test(test_tcvn3_h_fonts_draw_capitals),
        cmocka_unit_test(test_tcvn3_cp1252_punctuation_and_c1_bytes),
        cmocka_unit_test(test_tcvn3_unmappable_character_fails),
        cmocka_unit_test(test_tcvn3_table_matches_glibc),
        cmocka_unit_test(test_vni_decodes_form_headers),
        cmocka_unit_test(test_vni_capitals),
        cmocka_unit_test(test_vni_unmappable_character_fails),
        cmocka_unit_test(test_detect_finds_tcvn3_by_text),
        cmocka_unit_test(test_detect_finds_vni_by_text),
        cmocka_unit_test(test_detect_never_flags_real_unicode),
        cmocka_unit_test(test_repair_follows_font_unless_text_is_unicode),
        cmocka_unit_test(test_reads_vietnamese),
        cmocka_unit_test(test_plan_text_never_taken_for_legacy),
        cmocka_unit_test(test_latin1_syllables_never_taken_for_legacy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
