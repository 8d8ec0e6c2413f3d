/*
 * fuzz/fuzz_text.c — number and text normalization: numparse_text() on both
 * column kinds (counts and decimals), vnenc_detect / vnenc_repair /
 * vnenc_decode for every legacy kind, fold_match_key, fold_similarity,
 * text_to_nfc, text_cp1258_to_utf8, text_cp1252_to_utf8,
 * text_charset_to_utf8.
 *
 * The first byte picks a font hint for vnenc_repair; the rest is the text
 * (any bytes: the functions take invalid UTF-8 too).
 * Properties: no crash, leak, hang or UB; every text produced is valid UTF-8
 * (text_utf8_valid); numparse values are finite; a count value is an integer
 * or the parse says so; text_to_nfc is idempotent on its own output; a folded
 * key has no leading/trailing/double space; similarity is in [0, 1] and 1 on
 * equal keys.
 */
#include <math.h>

#include "fuzz/fuzz_common.h"
#include "base/buf.h"
#include "base/fold.h"
#include "base/text.h"
#include "input/vnenc.h"
#include "pipeline/numparse.h"

static const char *const FONTS[] = {NULL, ".VnTime", ".VnTimeH", "VNI-Times", "Times New Roman",
                                    " .vnarial narrowh ", "VNI Helve", ""};

static void check_valid(const buf *b)
{
    FUZZ_CHECK(!b->oom);
    FUZZ_CHECK(text_utf8_valid(b->data ? b->data : "", b->len));
    if (b->len) FUZZ_CHECK(b->data[b->len] == '\0');
}

static void check_key(const buf *b)
{
    check_valid(b);
    if (b->len == 0) return;
    FUZZ_CHECK(b->data[0] != ' ' && b->data[b->len - 1] != ' ');
    FUZZ_CHECK(strstr(b->data, "  ") == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;
    const char *font = FONTS[data[0] % (sizeof FONTS / sizeof FONTS[0])];
    const char *s = (const char *)data + 1;
    size_t n = size - 1;

    /* numbers: counts, then decimals */
    for (int dec = 0; dec < 2; dec++) {
        double v = 12345.0;
        numparse_result r = numparse_text(s, n, dec != 0, &v);
        FUZZ_CHECK(r == NUMPARSE_VALUE || r == NUMPARSE_ZERO_MARK || r == NUMPARSE_BAD);
        if (r == NUMPARSE_VALUE) FUZZ_CHECK(isfinite(v));
        if (r == NUMPARSE_ZERO_MARK) FUZZ_CHECK(v == 0.0);
        (void)numparse_is_count_integer(v);
    }

    buf a = BUF_INIT, b = BUF_INIT;

    /* NFC: valid, and a fixed point */
    FUZZ_CHECK(text_to_nfc(s, n, &a));
    check_valid(&a);
    FUZZ_CHECK(text_to_nfc(a.data ? a.data : "", a.len, &b));
    FUZZ_CHECK(a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0));
    buf_clear(&a);
    buf_clear(&b);

    FUZZ_CHECK(text_cp1258_to_utf8(s, n, &a));
    check_valid(&a);
    buf_clear(&a);
    /* the BIFF5 code pages: a table, iconv (composing, multi-byte) */
    FUZZ_CHECK(text_cp1252_to_utf8(s, n, &a));
    check_valid(&a);
    buf_clear(&a);
    FUZZ_CHECK(text_charset_to_utf8(data[0] & 1 ? "CP932" : "CP1258", s, n, &a));
    check_valid(&a);
    buf_clear(&a);

    /* legacy encodings */
    vnenc_kind k = vnenc_detect(s, n);
    FUZZ_CHECK(k >= VNENC_NONE && k <= VNENC_VNI);
    (void)vnenc_kind_name(k);
    (void)vnenc_font_hint(font);
    (void)vnenc_reads_vietnamese(s, n);
    vnenc_kind rk = vnenc_repair(font, s, n, &a);
    check_valid(&a);
    if (rk == VNENC_NONE) FUZZ_CHECK(a.len == 0);
    buf_clear(&a);
    for (vnenc_kind dk = VNENC_NONE; dk <= VNENC_VNI; dk++) {
        bool ok = vnenc_decode(dk, s, n, &a);
        check_valid(&a);
        if (!ok) FUZZ_CHECK(a.len == 0);
        buf_clear(&a);
    }

    /* folded keys */
    FUZZ_CHECK(fold_match_key(s, n, &a));
    check_key(&a);
    FUZZ_CHECK(fold_key(s, n, &b));
    check_key(&b);
    double sim = fold_similarity(a.data ? a.data : "", b.data ? b.data : "");
    FUZZ_CHECK(sim >= 0.0 && sim <= 1.0);
    FUZZ_CHECK(fold_similarity(b.data ? b.data : "", b.data ? b.data : "") == 1.0);
    /* a key folds to itself */
    buf c = BUF_INIT;
    FUZZ_CHECK(fold_key(b.data ? b.data : "", b.len, &c));
    check_key(&c);

    buf_free(&a);
    buf_free(&b);
    buf_free(&c);
    return 0;
}
