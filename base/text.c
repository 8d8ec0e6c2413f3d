/* base/text.c — UTF-8 validation, NFC and legacy code pages (see text.h). */
#include "base/text.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* ---- private ---------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence at s (1–4), or 0 if ill-formed. */
static size_t utf8_seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0x80) return 1;
    if (c < 0xC2 || c > 0xF4) return 0;
    size_t need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n < need) return 0;
    for (size_t i = 1; i < need; i++)
        if ((s[i] & 0xC0) != 0x80) return 0;
    if (c == 0xE0 && s[1] < 0xA0) return 0;          /* overlong            */
    if (c == 0xED && s[1] > 0x9F) return 0;          /* surrogates          */
    if (c == 0xF0 && s[1] < 0x90) return 0;          /* overlong            */
    if (c == 0xF4 && s[1] > 0x8F) return 0;          /* > U+10FFFF          */
    return need;
}

/* Length (>= 1) of the maximal subpart of the ill-formed sequence at s: the
 * longest start of a well-formed sequence. Each subpart becomes one U+FFFD,
 * Unicode's recommended practice (and what browsers do), so a sequence cut
 * short ("\xE1\xBB") is one replacement character, not two. */
static size_t utf8_bad_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    if (c < 0xC2 || c > 0xF4) return 1;
    size_t need = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    size_t i = 1;
    for (; i < need && i < n; i++) {
        unsigned lo = 0x80, hi = 0xBF;
        if (i == 1) {                      /* the second byte's narrower ranges */
            if (c == 0xE0) lo = 0xA0;
            else if (c == 0xED) hi = 0x9F;
            else if (c == 0xF0) lo = 0x90;
            else if (c == 0xF4) hi = 0x8F;
        }
        if (s[i] < lo || s[i] > hi) break;
    }
    return i;
}

/* ---- public ----------------------------------------------------------------- */

size_t text_utf8_tally(const char *s, size_t n, bool at_end, uint64_t *multi, uint64_t *bad)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) { i++; continue; }
        size_t k = utf8_seq_len(p + i, n - i);
        if (k) { (*multi)++; i += k; continue; }
        size_t b = utf8_bad_len(p + i, n - i);
        if (!at_end && i + b == n && p[i] >= 0xC2 && p[i] <= 0xF4) return b; /* cut short */
        (*bad)++;
        i += b;
    }
    return 0;
}

bool text_is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

bool text_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        if (p[i] < 0x80) { i++; continue; }
        size_t k = utf8_seq_len(p + i, n - i);
        if (!k) return false;
        i += k;
    }
    return true;
}

void text_put_codepoint(buf *out, unsigned long cp)
{
    unsigned char b[4];
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    if (cp < 0x80) { b[0] = (unsigned char)cp; buf_append(out, b, 1); }
    else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        buf_append(out, b, 2);
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        buf_append(out, b, 3);
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        buf_append(out, b, 4);
    }
}

size_t text_utf8_repair(const char *s, size_t n, buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, bad = 0;
    while (i < n) {
        size_t k = utf8_seq_len(p + i, n - i);
        if (k) { buf_append(out, p + i, k); i += k; }
        else { text_put_codepoint(out, 0xFFFD); i += utf8_bad_len(p + i, n - i); bad++; }
    }
    return bad;
}

/* Is s[0..n) well-formed UTF-8 that is NFC already because every code point
 * is ASCII, U+00A0–U+024F (Latin-1, Latin Extended-A/B), U+1E00–U+1EFF
 * (Latin Extended Additional: the precomposed Vietnamese letters) or
 * U+2010–U+205F (dashes, quotes, "…" of General Punctuation)? Those are NFC
 * alone, are starters, and no two of them compose (checked for every pair
 * with Python's unicodedata), so any string of them is NFC. This saves
 * utf8proc's decompose/compose round trip on nearly all Vietnamese text. */
static bool nfc_quick(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
        } else if (c >= 0xC2 && c <= 0xC9 && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
            unsigned cp = ((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu);
            if (cp < 0xA0 || cp > 0x24F) return false;
            i += 2;
        } else if (c == 0xE1 && i + 2 < n && p[i + 1] >= 0xB8 && p[i + 1] <= 0xBB &&
                   (p[i + 2] & 0xC0) == 0x80) {
            i += 3;   /* E1 B8 80 .. E1 BB BF = U+1E00 .. U+1EFF */
        } else if (c == 0xE2 && i + 2 < n && (p[i + 2] & 0xC0) == 0x80 &&
                   ((p[i + 1] == 0x80 && p[i + 2] >= 0x90) || (p[i + 1] == 0x81 && p[i + 2] <= 0x9F))) {
            i += 3;   /* E2 80 90 .. E2 81 9F = U+2010 .. U+205F */
        } else {
            return false;
        }
    }
    return true;
}

bool text_to_nfc(const char *s, size_t n, buf *out)
{
    if (text_is_ascii(s, n) || nfc_quick(s, n)) {   /* the common cases: nothing to do */
        buf_append(out, s, n);
        return !out->oom;
    }
    const char *src = s;
    buf fixed = BUF_INIT;
    if (!text_utf8_valid(s, n)) {        /* replace ill-formed sequences      */
        text_utf8_repair(s, n, &fixed);
        if (fixed.oom) { buf_free(&fixed); out->oom = true; return false; }
        src = fixed.data;
        n = fixed.len;
    }
    utf8proc_uint8_t *nfc = NULL;
    utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)src, (utf8proc_ssize_t)n,
                                        &nfc, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (len < 0) {
        /* Only UTF8PROC_ERROR_NOMEM can happen on valid input. */
        buf_free(&fixed);
        out->oom = true;
        return false;
    }
    buf_append(out, nfc, (size_t)len);
    free(nfc);
    buf_free(&fixed);
    return !out->oom;
}

/* Decode s[0..n) from charset through iconv cd into tmp (undecodable bytes
 * → U+FFFD). glibc's CP1258 module composes base letters with the code
 * page's combining tone marks, holding a base letter back until it knows
 * what follows: the holds are flushed. */
static void iconv_append(iconv_t cd, const char *s, size_t n, buf *tmp)
{
    char *in = (char *)s;
    size_t inleft = n;
    char chunk[4096];
    while (inleft > 0) {
        char *o = chunk;
        size_t oleft = sizeof chunk;
        size_t r = iconv(cd, &in, &inleft, &o, &oleft);
        buf_append(tmp, chunk, (size_t)(o - chunk));
        if (r == (size_t)-1) {
            if (errno == E2BIG) continue;
            /* EILSEQ / EINVAL: one undecodable byte. glibc still holds the
             * base letter before it (waiting for a tone mark): flush it
             * first, or it is lost ("a\x81" must give "a\uFFFD"). */
            o = chunk;
            oleft = sizeof chunk;
            iconv(cd, NULL, NULL, &o, &oleft);
            buf_append(tmp, chunk, (size_t)(o - chunk));
            text_put_codepoint(tmp, 0xFFFD);
            in++;
            inleft--;
        }
    }
    /* flush any pending base character held for composition */
    char *o = chunk;
    size_t oleft = sizeof chunk;
    iconv(cd, NULL, NULL, &o, &oleft);
    buf_append(tmp, chunk, (size_t)(o - chunk));
}

bool text_charset_known(const char *charset)
{
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) return false;
    iconv_close(cd);
    return true;
}

bool text_charset_to_utf8(const char *charset, const char *s, size_t n, buf *out)
{
    if (text_is_ascii(s, n)) {
        buf_append(out, s, n);
        return !out->oom;
    }
    iconv_t cd = iconv_open("UTF-8", charset);
    if (cd == (iconv_t)-1) return text_cp1252_to_utf8(s, n, out);
    buf tmp = BUF_INIT;
    iconv_append(cd, s, n, &tmp);
    iconv_close(cd);
    bool ok = !tmp.oom && text_to_nfc(buf_str(&tmp), tmp.len, out);
    buf_free(&tmp);
    return ok;
}

bool text_cp1258_to_utf8(const char *s, size_t n, buf *out)
{
    /* The bytes the code page leaves undefined (0x81, 0x8A, 0x8D–0x90, 0x9A,
     * 0x9D, 0x9E …) make iconv stop with EILSEQ: they become U+FFFD. */
    iconv_t cd = iconv_open("UTF-8", "CP1258");
    buf tmp = BUF_INIT;
    if (cd == (iconv_t)-1) {
        /* No iconv module: map Latin-1-compatible bytes directly. */
        for (size_t i = 0; i < n; i++) text_put_codepoint(&tmp, (unsigned char)s[i]);
    } else {
        iconv_append(cd, s, n, &tmp);
        iconv_close(cd);
    }
    bool ok = !tmp.oom && text_to_nfc(buf_str(&tmp), tmp.len, out);
    buf_free(&tmp);
    return ok;
}

bool text_cp1252_to_utf8(const char *s, size_t n, buf *out)
{
    /* 0x80–0x9F; the five bytes the code page leaves undefined keep their C1
     * code point, as Windows maps them (and as BIFF8 files hold them). */
    static const uint16_t c1[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b < 0x80) buf_putc(out, (char)b);
        else text_put_codepoint(out, b < 0xA0 ? c1[b - 0x80] : b);
    }
    return !out->oom; /* Latin-1 and these symbols are NFC as they are */
}

bool text_utf16le_to_utf8(const unsigned char *s, size_t units, buf *out)
{
    buf tmp = BUF_INIT;
    for (size_t i = 0; i < units; i++) {
        unsigned long u = (unsigned long)s[2 * i] | ((unsigned long)s[2 * i + 1] << 8);
        if (u >= 0xD800 && u <= 0xDBFF && i + 1 < units) {
            unsigned long lo = (unsigned long)s[2 * i + 2] | ((unsigned long)s[2 * i + 3] << 8);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                i++;
            }
        }
        text_put_codepoint(&tmp, u);   /* lone surrogates become U+FFFD */
    }
    bool ok = !tmp.oom && text_to_nfc(buf_str(&tmp), tmp.len, out);
    buf_free(&tmp);
    return ok;
}

void text_copy_cut(char *dst, size_t cap, const char *src)
{
    if (cap == 0) return;
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}
