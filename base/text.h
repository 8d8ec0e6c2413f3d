/*
 * base/text.h — UTF-8 validation, NFC normalization and legacy code pages.
 *
 * The readers run every text through text_to_nfc() before handing it on, so the
 * rest of dtbd may assume valid UTF-8 in NFC. Later stages (matching, legacy
 * Vietnamese font encodings) build on these helpers.
 *
 * Ownership: functions that produce text append to a caller-owned buf.
 */
#ifndef DTBD_BASE_TEXT_H
#define DTBD_BASE_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <stdint.h>

#include "base/buf.h"

/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF). */
bool text_utf8_valid(const char *s, size_t n);

/* Tally s[0..n) as UTF-8, adding to *multi the well-formed multi-byte
 * sequences and to *bad the ill-formed stretches (each one U+FFFD in
 * text_to_nfc()). Unless at_end, a sequence cut short by the end of s is not
 * counted: the return value is its length (0–3), for the caller to carry
 * into the next chunk. */
size_t text_utf8_tally(const char *s, size_t n, bool at_end, uint64_t *multi, uint64_t *bad);

/* True when every byte is ASCII (then the text is trivially valid and NFC). */
bool text_is_ascii(const char *s, size_t n);

/* Append s[0..n) to out as valid UTF-8: each ill-formed sequence (its
 * maximal subpart) becomes one U+FFFD, everything else is copied as is (no
 * normalization). Returns how many were replaced; out->oom on out of memory. */
size_t text_utf8_repair(const char *s, size_t n, buf *out);

/* Append the NFC form of valid UTF-8 s[0..n) to out. Invalid input is replaced
 * sequence by sequence with U+FFFD first, so the output is always valid.
 * Returns false only when memory ran out. */
bool text_to_nfc(const char *s, size_t n, buf *out);

/* Append the UTF-8 NFC form of Windows-1258 bytes s[0..n) to out (the bytes
 * the code page leaves undefined become U+FFFD). False on out of memory. */
bool text_cp1258_to_utf8(const char *s, size_t n, buf *out);

/* Append the UTF-8 of Windows-1252 bytes s[0..n) to out: each byte becomes
 * the character Windows reads, so 0xA0–0xFF are U+00A0–U+00FF and the five
 * undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) their C1 code points; the
 * result is NFC. This is how the bytes of a legacy Vietnamese font
 * (input/vnenc.h) appear in BIFF8's UTF-16. False on out of memory. */
bool text_cp1252_to_utf8(const char *s, size_t n, buf *out);

/* Is `charset` an encoding iconv can decode ("CP1250", "CP932" …)? */
bool text_charset_known(const char *charset);

/* Append the UTF-8 NFC form of bytes s[0..n) in the iconv encoding charset
 * to out; bytes it cannot decode become U+FFFD, and an encoding iconv does
 * not know decodes as Windows-1252. False on out of memory. */
bool text_charset_to_utf8(const char *charset, const char *s, size_t n, buf *out);

/* Append the UTF-8 NFC form of UTF-16LE code units (BIFF's "compressed"
 * Latin-1 strings are widened by the caller). Lone surrogates → U+FFFD. */
bool text_utf16le_to_utf8(const unsigned char *s, size_t units, buf *out);

/* Copy NUL-terminated UTF-8 src into dst[cap], cut (when it does not fit) at
 * a character boundary, never inside a sequence; dst is always terminated. */
void text_copy_cut(char *dst, size_t cap, const char *src);

/* Append one code point as UTF-8 (invalid code points → U+FFFD). */
void text_put_codepoint(buf *out, unsigned long cp);

#endif
