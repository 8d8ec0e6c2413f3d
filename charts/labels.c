/* charts/labels.c — untrusted text made safe for gnuplot (see labels.h). */
#include "charts/labels.h"

#include <stdbool.h>
#include <string.h>

#include "base/text.h"

/* A single quote, built without writing one (see labels.h). */
#define LABELS_QUOTE "sprintf('%c',39)"

/* ---- private functions ---------------------------------------------------- */

/* Decode one well-formed UTF-8 sequence at s (n bytes left): its code point
 * and length, or length 0 when the bytes there are not well-formed (overlong
 * forms, surrogates and code points above U+10FFFF included). */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned long *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    size_t len;
    unsigned long v, min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
    else return 0;
    if (n < len) return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return len;
}

/* True for code points that could break a line or a terminal: C0, DEL, C1
 * and the Unicode line and paragraph separators. */
static bool is_control(unsigned long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

/* The cleaning walk shared by labels_clean() and the quoting. With
 * `quote`, each single quote closes the current literal, adds a quote made
 * by sprintf and opens a new one: 'a'.sprintf('%c',39).'b'. When `percent`,
 * '%' is doubled. */
static void clean_into(buf *out, const char *s, size_t max_chars, bool quote, bool percent)
{
    if (!s) return;
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, chars = 0;
    while (i < n) {
        unsigned long cp;
        size_t len = utf8_next(p + i, n - i, &cp);
        if (len == 0) { cp = 0xFFFD; len = 1; }
        /* The last character allowed while more follow: the ellipsis takes
         * its place, so the text stays within max_chars. */
        if (max_chars && chars + 1 == max_chars && i + len < n) {
            text_put_codepoint(out, 0x2026);
            return;
        }
        if (is_control(cp)) buf_putc(out, ' ');
        else if (cp == '\'' && quote) {
            /* Close the literal, the quote as a double-quoted string, then
             * a new literal: no literal ever holds a quote. */
            buf_puts(out, "'." LABELS_QUOTE ".'");
        } else if (cp == '%' && percent) buf_puts(out, "%%");
        else if (cp == 0xFFFD && len == 1) text_put_codepoint(out, cp);
        else buf_append(out, p + i, len);
        i += len;
        chars++;
    }
}

/* Append the quoted form of s: the literal, then empty literals made by the
 * quotes removed ('' at the very start, .'' before the end). */
static void quote_into(buf *out, const char *s, size_t max_chars, bool percent)
{
    size_t start = out->len;
    buf_putc(out, '\'');
    clean_into(out, s, max_chars, true, percent);
    buf_putc(out, '\'');
    if (out->oom) return;
    /* Tidy: a text that began with a quote starts with ''.sprintf… — drop
     * the empty literal; one that ended with a quote ends with ….'' — same. */
    char *q = out->data + start;
    size_t len = out->len - start;
    if (len > 4 && memcmp(q, "''.", 3) == 0) {
        memmove(q, q + 3, len - 3);
        out->len -= 3;
        len -= 3;
    }
    if (len > 4 && memcmp(q + len - 3, ".''", 3) == 0) out->len -= 3;
    out->data[out->len] = '\0';
}

/* ---- public functions ----------------------------------------------------- */

void labels_clean(buf *out, const char *s, size_t max_chars)
{
    clean_into(out, s, max_chars, false, false);
}

void labels_quote(buf *out, const char *s, size_t max_chars)
{
    quote_into(out, s, max_chars, false);
}

void labels_quote_format(buf *out, const char *s, size_t max_chars)
{
    quote_into(out, s, max_chars, true);
}

void labels_slug(const char *s, char *out, size_t n)
{
    size_t o = 0;
    bool dash = false;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && o + 1 < n; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!keep) { dash = o > 0; continue; }
        if (dash) {
            if (o + 2 >= n) break;     /* no room for '-' and a character */
            out[o++] = '-';
            dash = false;
        }
        out[o++] = (char)c;
    }
    if (o == 0 && n >= 2) out[o++] = 'x';
    out[o < n ? o : n - 1] = '\0';
}
