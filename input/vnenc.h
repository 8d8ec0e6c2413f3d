/*
 * input/vnenc.h — legacy Vietnamese font encodings (TCVN3/ABC, VNI) to Unicode.
 *
 * How legacy text reaches us
 *  A unit that typed with a ".VnTime" (TCVN3, also called ABC) or a "VNI-Times"
 *  font produced single bytes; the workbook stores each byte as the code point
 *  of its Windows-1252 reading: bytes 0xA0–0xFF as U+00A0–U+00FF ("Tæng sè" for
 *  "Tổng số"), bytes 0x80–0x9F as the CP1252 characters (U+2013 …) or, from some
 *  writers, as the C1 controls U+0080–U+009F. vnenc maps each code point back
 *  to its byte and the byte through the font's table.
 *
 *  - TCVN3 (TCVN 5712:1993 VN3): one byte per letter. Only seven capitals exist
 *    (Ă Â Ê Ô Ơ Ư Đ at 0xA1–0xA7); the other 67 byte positions hold lowercase
 *    letters. The "H" fonts (".VnTimeH", ".VnArialH" …) draw every letter of
 *    the same positions, ASCII included, as a capital: VNENC_TCVN3_H decodes
 *    with that table, so "tæng sè" in .VnTimeH is "TỔNG SỐ", as the user saw it.
 *  - VNI (VNI-Windows): a base letter followed by a mark byte ("a"+"ø" → "à",
 *    "o"+"å" → "ổ"), and a few single bytes ("ñ" → "đ", "Ñ" → "Đ", "ô" → "ơ",
 *    "ö" → "ư", "í" "ì" "æ" "ó" "ò" → í ì ỉ ĩ ị, "î" → "ỵ").
 *  - Both: ASCII passes through; the CP1252 punctuation of 0x80–0x9F (dashes,
 *    curly quotes, ellipsis, bullet …) and NBSP pass through as themselves, as
 *    the fonts draw them; anything else outside the encoding's repertoire makes
 *    the whole conversion fail ("accept a conversion only when every character
 *    maps"): real Unicode letters such as "ộ" never belong to a legacy text.
 *
 * Deciding whether a text is legacy at all
 *  The font is the best witness (vnenc_font_hint); without it, vnenc_detect
 *  reads the text alone. A word "reads as Vietnamese" when it is a valid
 *  Vietnamese syllable (onset + rhyme, at most one tone, marks on vowels only)
 *  or a capital abbreviation with Đ ("HĐND"). Every character must map, and
 *  then either
 *   (a) the text holds telltales inside words — letters of the encoding that
 *       are never letters of Unicode Vietnamese ("¸", "µ", U+00AD, "æ" in TCVN3;
 *       "ø", "å", "ñ" in VNI), or a capital right after a small letter ("cÊp")
 *       — and the decoded text reads as Vietnamese (3 words in 4 at least)
 *       better than the original, or
 *   (b) no word of the original reads as Vietnamese ("Naêm", "TiÒn") and every
 *       word of the decoded text does.
 *  Text holding a letter beyond Latin-1 ("ộ", "ư", "đ") is Unicode at once.
 *  Ambiguous text (Latin-1-only words valid both ways: "Tên", "Hoàn", "Maõ")
 *  stays as it is. vnenc_repair combines font and text for the readers.
 *
 * Ownership: functions append to a caller-owned buf and never keep pointers.
 * Every function takes valid or invalid UTF-8; invalid input never decodes.
 */
#ifndef DTBD_INPUT_VNENC_H
#define DTBD_INPUT_VNENC_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

typedef enum {
    VNENC_NONE = 0,     /* Unicode: nothing to convert                           */
    VNENC_TCVN3,        /* TCVN3 / ABC, ".VnTime" lowercase table                */
    VNENC_TCVN3_H,      /* TCVN3 capital fonts ".VnTimeH": letters drawn as caps */
    VNENC_VNI           /* VNI-Windows, "VNI-Times" and friends                  */
} vnenc_kind;

/* Short ASCII name for findings and logs: "none", "tcvn3", "tcvn3-h", "vni". */
const char *vnenc_kind_name(vnenc_kind k);

/* The encoding a font name implies, case-insensitive, surrounding spaces
 * ignored: ".Vn…" → TCVN3 (TCVN3_H when the name ends in "H": ".VnTimeH",
 * ".VnArial NarrowH"), "VNI-…" / "VNI …" → VNI, anything else (NULL too) → NONE. */
vnenc_kind vnenc_font_hint(const char *font);

/* Decode utf8[0..n) read as kind k and append the NFC result to out. True only
 * when every character maps; on false nothing is appended. VNENC_NONE copies
 * valid UTF-8 as NFC. Sets out->oom and returns false when memory runs out. */
bool vnenc_decode(vnenc_kind k, const char *utf8, size_t n, buf *out);

/* The legacy encoding the text alone proves (see the header comment), else
 * VNENC_NONE. Never answers for ASCII or for text holding Unicode Vietnamese
 * letters beyond Latin-1. Returns TCVN3_H when the text is TCVN3 and all its
 * ASCII letters are capitals (typed for a .VnTimeH font). */
vnenc_kind vnenc_detect(const char *utf8, size_t n);

/* What the readers call per text cell: decide with the font (may be NULL) and
 * the text, and when a legacy encoding applies append the decoded text to out
 * and return its kind; else append nothing and return VNENC_NONE (keep the
 * original). A font hint is followed only when decoding succeeds and the
 * original does not already read as Vietnamese at least as well (Unicode text
 * pasted into a .VnTime cell stays as it is). */
vnenc_kind vnenc_repair(const char *font, const char *utf8, size_t n, buf *out);

/* True when utf8[0..n) reads as Vietnamese: at least one word beyond ASCII
 * and at least three in four such words are valid Vietnamese syllables
 * ("trường", "nghiêng", "quốc") or capital abbreviations ("HĐND"). */
bool vnenc_reads_vietnamese(const char *utf8, size_t n);

#endif
