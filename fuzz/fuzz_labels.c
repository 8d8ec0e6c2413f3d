/*
 * fuzz/fuzz_labels.c — gnuplot label escaping (charts/labels.h) on hostile
 * text. The first byte gives max_chars (0–40), the second the slug buffer
 * size (2–65), the rest is the text (cut at its first NUL: the API takes C
 * strings).
 *
 * Property (the escaped text never ends the string or starts a command):
 * labels_quote() and labels_quote_format() produce exactly
 *     item ('.' item)*,   item = '\'' [^'\n\r\0]* '\''  |  "sprintf('%c',39)"
 * — so every quote opens or closes a literal (or is the fixed sprintf), no
 * literal holds a quote, newline, carriage return or other C0 control, the
 * whole is valid UTF-8, starts with a quote or "sprintf" and ends with a
 * quote or ')'. In labels_quote_format() output every run of '%' inside a
 * literal has even length. labels_clean(): valid UTF-8 without C0/DEL
 * controls, at most max_chars code points plus the "…". labels_slug(): only
 * [a-z0-9-], no leading or trailing '-', never empty, NUL-terminated.
 */
#include "charts/labels.h"
#include "fuzz/fuzz_common.h"

static const char SPRINTF_QUOTE[] = "sprintf('%c',39)";

static size_t count_cp(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* Check the grammar above; format: '%' runs inside literals are even. */
static void check_expr(const buf *b, bool format)
{
    FUZZ_CHECK(!b->oom);
    FUZZ_CHECK(b->len > 0);
    const char *s = b->data;
    size_t n = b->len, i = 0;
    FUZZ_CHECK(text_utf8_valid(s, n));
    FUZZ_CHECK(memchr(s, '\n', n) == NULL && memchr(s, '\r', n) == NULL);
    for (;;) {
        if (s[i] == '\'') {
            i++;
            size_t pct = 0;
            while (i < n && s[i] != '\'') {
                unsigned char c = (unsigned char)s[i];
                FUZZ_CHECK(c >= 0x20 && c != 0x7F);
                if (c == '%') pct++;
                else {
                    if (format) FUZZ_CHECK(pct % 2 == 0);
                    pct = 0;
                }
                i++;
            }
            if (format) FUZZ_CHECK(pct % 2 == 0);
            FUZZ_CHECK(i < n); /* the literal is closed */
            i++;
        } else {
            size_t k = sizeof SPRINTF_QUOTE - 1;
            FUZZ_CHECK(n - i >= k && memcmp(s + i, SPRINTF_QUOTE, k) == 0);
            i += k;
        }
        if (i == n) break;
        FUZZ_CHECK(s[i] == '.');
        i++;
        FUZZ_CHECK(i < n);
    }
    FUZZ_CHECK(s[n - 1] == '\'' || s[n - 1] == ')');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2) return 0;
    size_t max_chars = data[0] % 41;
    size_t slug_n = 2 + data[1] % 64;
    size_t n = size - 2;
    char *s = malloc(n + 1);
    FUZZ_CHECK(s != NULL);
    memcpy(s, data + 2, n);
    s[n] = '\0';

    buf b = BUF_INIT;
    labels_clean(&b, s, max_chars);
    FUZZ_CHECK(!b.oom);
    FUZZ_CHECK(text_utf8_valid(b.data ? b.data : "", b.len));
    for (size_t i = 0; i < b.len; i++) {
        unsigned char c = (unsigned char)b.data[i];
        FUZZ_CHECK(c >= 0x20 && c != 0x7F);
    }
    if (max_chars) FUZZ_CHECK(count_cp(b.data ? b.data : "", b.len) <= max_chars + 1);
    buf_clear(&b);

    labels_quote(&b, s, max_chars);
    check_expr(&b, false);
    buf_clear(&b);
    labels_quote_format(&b, s, max_chars);
    check_expr(&b, true);
    buf_free(&b);

    char slug[66];
    memset(slug, 'Z', sizeof slug);
    labels_slug(s, slug, slug_n);
    size_t len = strnlen(slug, slug_n);
    FUZZ_CHECK(len < slug_n && len > 0);
    for (size_t i = 0; i < len; i++)
        FUZZ_CHECK((slug[i] >= 'a' && slug[i] <= 'z') || (slug[i] >= '0' && slug[i] <= '9') ||
                   slug[i] == '-');
    FUZZ_CHECK(slug[0] != '-' && slug[len - 1] != '-');
    free(s);
    return 0;
}
