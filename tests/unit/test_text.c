/*
 * tests/unit/test_text.c — UTF-8 validation, NFC and legacy code pages
 * (base/text.c). Expected bytes are written out from the Unicode and
 * Windows-1258 tables, not taken from the code under test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "base/buf.h"
#include "base/text.h"

/* Length-aware string literal arguments. */
#define S(lit) (lit), (sizeof(lit) - 1)

/* Asserts that buffer b holds exactly the literal. */
#define assert_buf(b, lit)                                                     \
    do {                                                                       \
        assert_int_equal((b)->len, sizeof(lit) - 1);                           \
        assert_memory_equal((b)->data, (lit), sizeof(lit) - 1);                \
    } while (0)

/* ---- validation ------------------------------------------------------------ */

static void test_text_utf8_valid_accepts_well_formed(void **state)
{
    (void)state;
    assert_true(text_utf8_valid(S("")));
    assert_true(text_utf8_valid(S("abc")));
    assert_true(text_utf8_valid(S("Vi\xe1\xbb\x87t")));               /* Việt     */
    assert_true(text_utf8_valid(S("\xc2\x80")));                       /* U+0080   */
    assert_true(text_utf8_valid(S("\xed\x9f\xbf")));                   /* U+D7FF   */
    assert_true(text_utf8_valid(S("\xee\x80\x80")));                   /* U+E000   */
    assert_true(text_utf8_valid(S("\xf0\x9f\x98\x80")));               /* U+1F600  */
    assert_true(text_utf8_valid(S("\xf4\x8f\xbf\xbf")));               /* U+10FFFF */
    assert_true(text_utf8_valid("a\0b", 3));                           /* NUL is valid */
}

static void test_text_utf8_valid_rejects_ill_formed(void **state)
{
    (void)state;
    assert_false(text_utf8_valid(S("\x80")));              /* lone continuation  */
    assert_false(text_utf8_valid(S("\xc0\xaf")));          /* overlong '/'       */
    assert_false(text_utf8_valid(S("\xc1\xbf")));          /* overlong           */
    assert_false(text_utf8_valid(S("\xe0\x9f\xbf")));      /* overlong 3-byte    */
    assert_false(text_utf8_valid(S("\xf0\x8f\xbf\xbf")));  /* overlong 4-byte    */
    assert_false(text_utf8_valid(S("\xed\xa0\x80")));      /* U+D800 surrogate   */
    assert_false(text_utf8_valid(S("\xed\xbf\xbf")));      /* U+DFFF surrogate   */
    assert_false(text_utf8_valid(S("\xf4\x90\x80\x80")));  /* U+110000           */
    assert_false(text_utf8_valid(S("\xf5\x80\x80\x80")));  /* lead F5            */
    assert_false(text_utf8_valid(S("\xff")));
    assert_false(text_utf8_valid(S("ab\xe1\xbb")));        /* truncated at end   */
    assert_false(text_utf8_valid(S("\xe1" "a" "\x87")));   /* broken sequence    */
    assert_false(text_utf8_valid(S("Vi\xea\xf2t")));       /* Windows-1258 bytes */
}

static void test_text_is_ascii(void **state)
{
    (void)state;
    assert_true(text_is_ascii(S("")));
    assert_true(text_is_ascii(S("STT,\t\r\n~\x7f")));
    assert_false(text_is_ascii(S("h\xc3\xa0")));
    assert_false(text_is_ascii(S("\x80")));
}

/* ---- NFC ---------------------------------------------------------------------- */

static void test_text_to_nfc_composes_decomposed_vietnamese(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    /* "Nguyễn" as N g u y e U+0302 U+0303 n → ễ U+1EC5 (E1 BB 85) */
    assert_true(text_to_nfc(S("Nguye\xcc\x82\xcc\x83n"), &b));
    assert_buf(&b, "Nguy\xe1\xbb\x85n");
    buf_clear(&b);
    /* marks in non-canonical order: dot below (ccc 220) after circumflex
     * (ccc 230) still gives ệ U+1EC7 */
    assert_true(text_to_nfc(S("e\xcc\x82\xcc\xa3"), &b));
    assert_buf(&b, "\xe1\xbb\x87");
    buf_clear(&b);
    assert_true(text_to_nfc(S("e\xcc\xa3\xcc\x82"), &b));
    assert_buf(&b, "\xe1\xbb\x87");
    buf_free(&b);
}

static void test_text_to_nfc_keeps_nfc_and_ascii(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_true(text_to_nfc(S("Ph\xc3\xb2ng N\xe1\xbb\x99i v\xe1\xbb\xa5"), &b));
    assert_buf(&b, "Ph\xc3\xb2ng N\xe1\xbb\x99i v\xe1\xbb\xa5");
    buf_clear(&b);
    assert_true(text_to_nfc(S("  12 "), &b));
    assert_buf(&b, "  12 ");
    buf_clear(&b);
    /* đ/Đ have no decomposition: unchanged */
    assert_true(text_to_nfc(S("\xc4\x90\xc4\x91"), &b));
    assert_buf(&b, "\xc4\x90\xc4\x91");
    buf_free(&b);
}

static void test_text_to_nfc_appends_to_existing_content(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    buf_puts(&b, "x=");
    assert_true(text_to_nfc(S("a\xcc\x80"), &b));
    assert_buf(&b, "x=\xc3\xa0");
    buf_free(&b);
}

static void test_text_to_nfc_replaces_invalid_bytes(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_true(text_to_nfc(S("a\xff" "b\xed\xa0\x80" "c"), &b));
    /* FF, then ED A0 80: a surrogate is no prefix of a valid sequence, so
     * each of its three bytes is replaced */
    assert_buf(&b, "a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "c");
    assert_true(text_utf8_valid(b.data, b.len));
    buf_clear(&b);
    /* a sequence cut short is one maximal subpart: one U+FFFD */
    assert_true(text_to_nfc(S("\xc3\xa0\xe1\xbb"), &b));
    assert_buf(&b, "\xc3\xa0\xef\xbf\xbd");
    buf_clear(&b);
    assert_true(text_to_nfc(S("\xe1\xbb" "a\xf0\x9f\x98" "b"), &b));
    assert_buf(&b, "\xef\xbf\xbd" "a\xef\xbf\xbd" "b");
    buf_clear(&b);
    /* C0 and F5 can start nothing: one U+FFFD per byte */
    assert_true(text_to_nfc(S("\xc0\xaf\xf5\x80"), &b));
    assert_buf(&b, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    buf_free(&b);
}

static void test_text_to_nfc_empty_input(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_true(text_to_nfc("", 0, &b));
    assert_int_equal(b.len, 0);
    assert_string_equal(buf_str(&b), "");
    buf_free(&b);
}

/* ---- Windows-1258 ---------------------------------------------------------------- */

static void test_text_cp1258_composes_tone_marks(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    /* "Vi" ê(EA) + dot below(F2) "t" → Việt; D0 = Đ, E0 = à;
     * Ă(C3) + acute(EC) → Ắ U+1EAE; ơ(F5) + hook(D2) → ở U+1EDF;
     * ư(FD) + tilde(DE) → ữ U+1EEF */
    assert_true(text_cp1258_to_utf8(S("Vi\xea\xf2t \xd0\xe0 \xc3\xec \xf5\xd2 \xfd\xde"), &b));
    assert_buf(&b, "Vi\xe1\xbb\x87t \xc4\x90\xc3\xa0 \xe1\xba\xae \xe1\xbb\x9f \xe1\xbb\xaf");
    buf_free(&b);
}

static void test_text_cp1258_ascii_unchanged(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_true(text_cp1258_to_utf8(S("STT;Ghi chu;12,5\r\n"), &b));
    assert_buf(&b, "STT;Ghi chu;12,5\r\n");
    buf_free(&b);
}

static void test_text_cp1258_undefined_bytes_become_replacement(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    /* 0x81 and 0x8A are unassigned in Windows-1258; 0x80 is € */
    assert_true(text_cp1258_to_utf8(S("a\x81" "b\x8a" "c\x80"), &b));
    assert_buf(&b, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xe2\x82\xac");
    buf_free(&b);
}

static void test_text_cp1252_maps_every_byte_as_windows_does(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    /* 0x80 €, 0x96 –, 0x93/0x94 “ ”, 0x9F Ÿ; 0xE6 æ, 0xE9 é (TCVN3 "Tæng
     * céng" keeps its bytes as U+00xx); the undefined 0x81 and 0x9D keep
     * their C1 code points, as Windows and BIFF8 files have them */
    assert_true(text_cp1252_to_utf8(S("\x80\x96\x93\x94\x9f T\xe6ng c\xe9ng \x81\x9d"), &b));
    assert_buf(&b, "\xe2\x82\xac\xe2\x80\x93\xe2\x80\x9c\xe2\x80\x9d\xc5\xb8 "
                   "T\xc3\xa6ng c\xc3\xa9ng \xc2\x81\xc2\x9d");
    buf_free(&b);
}

static void test_text_charset_decodes_with_iconv_or_as_cp1252(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    assert_true(text_charset_known("CP1250"));
    assert_false(text_charset_known("CP12345"));
    /* Windows-1250: 0x9A š, 0xE8 č */
    assert_true(text_charset_to_utf8("CP1250", S("\x9a\xe8"), &b));
    assert_buf(&b, "\xc5\xa1\xc4\x8d");
    buf_clear(&b);
    /* Windows-1258 composes like text_cp1258_to_utf8: ê + dot below → ệ */
    assert_true(text_charset_to_utf8("CP1258", S("Vi\xea\xf2t"), &b));
    assert_buf(&b, "Vi\xe1\xbb\x87t");
    buf_clear(&b);
    /* an encoding iconv does not know reads as Windows-1252 */
    assert_true(text_charset_to_utf8("CP12345", S("\x80\xe9"), &b));
    assert_buf(&b, "\xe2\x82\xac\xc3\xa9");
    buf_free(&b);
}

static void test_text_cp1258_mark_at_end_and_alone(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    /* a base letter held for composition at the very end is not lost */
    assert_true(text_cp1258_to_utf8(S("ca"), &b));
    assert_buf(&b, "ca");
    buf_clear(&b);
    /* a tone mark with no base stays a combining character */
    assert_true(text_cp1258_to_utf8(S("\xec"), &b));
    assert_buf(&b, "\xcc\x81");
    buf_free(&b);
}

/* ---- UTF-16LE ------------------------------------------------------------------- */

static void test_text_utf16le_basic_and_surrogates(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    /* "Mã" then U+1F600 as D83D DE00 */
    static const unsigned char u[] = {'M', 0, 0xE3, 0, 0x3D, 0xD8, 0x00, 0xDE};
    assert_true(text_utf16le_to_utf8(u, 4, &b));
    assert_buf(&b, "M\xc3\xa3\xf0\x9f\x98\x80");
    buf_free(&b);
}

static void test_text_utf16le_lone_surrogates_become_replacement(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    /* high then 'a'; a lone low; a high at the very end */
    static const unsigned char u[] = {0x3D, 0xD8, 'a', 0, 0x00, 0xDE, 0x3D, 0xD8};
    assert_true(text_utf16le_to_utf8(u, 4, &b));
    assert_buf(&b, "\xef\xbf\xbd" "a\xef\xbf\xbd\xef\xbf\xbd");
    buf_free(&b);
}

static void test_text_utf16le_output_is_nfc(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    static const unsigned char u[] = {'a', 0, 0x00, 0x03};   /* a + U+0300 */
    assert_true(text_utf16le_to_utf8(u, 2, &b));
    assert_buf(&b, "\xc3\xa0");
    buf_free(&b);
}

/* ---- code points ------------------------------------------------------------------ */

static void test_text_put_codepoint_boundaries(void **state)
{
    (void)state;
    buf b = BUF_INIT;
    text_put_codepoint(&b, 0x7F);
    text_put_codepoint(&b, 0x80);
    text_put_codepoint(&b, 0x7FF);
    text_put_codepoint(&b, 0x800);
    text_put_codepoint(&b, 0xFFFF);
    text_put_codepoint(&b, 0x10000);
    text_put_codepoint(&b, 0x10FFFF);
    assert_buf(&b, "\x7f" "\xc2\x80" "\xdf\xbf" "\xe0\xa0\x80" "\xef\xbf\xbf"
                   "\xf0\x90\x80\x80" "\xf4\x8f\xbf\xbf");
    buf_clear(&b);
    text_put_codepoint(&b, 0xD800);
    text_put_codepoint(&b, 0xDFFF);
    text_put_codepoint(&b, 0x110000);
    assert_buf(&b, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    buf_clear(&b);
    text_put_codepoint(&b, 0);
    assert_int_equal(b.len, 1);
    assert_int_equal(b.data[0], '\0');
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_utf8_valid_accepts_well_formed),
        cmocka_unit_test(test_text_utf8_valid_rejects_ill_formed),
        cmocka_unit_test(test_text_is_ascii),
        cmocka_unit_test(test_text_to_nfc_composes_decomposed_vietnamese),
        cmocka_unit_test(test_text_to_nfc_keeps_nfc_and_ascii),
        cmocka_unit_test(test_text_to_nfc_appends_to_existing_content),
        cmocka_unit_test(test_text_to_nfc_replaces_invalid_bytes),
        cmocka_unit_test(test_text_to_nfc_empty_input),
        cmocka_unit_test(test_text_cp1258_composes_tone_marks),
        cmocka_unit_test(test_text_cp1258_ascii_unchanged),
        cmocka_unit_test(test_text_cp1258_undefined_bytes_become_replacement),
        cmocka_unit_test(test_text_cp1252_maps_every_byte_as_windows_does),
        cmocka_unit_test(test_text_charset_decodes_with_iconv_or_as_cp1252),
        cmocka_unit_test(test_text_cp1258_mark_at_end_and_alone),
        cmocka_unit_test(test_text_utf16le_basic_and_surrogates),
        cmocka_unit_test(test_text_utf16le_lone_surrogates_become_replacement),
        cmocka_unit_test(test_text_utf16le_output_is_nfc),
        cmocka_unit_test(test_text_put_codepoint_boundaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
