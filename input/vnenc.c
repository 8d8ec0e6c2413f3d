/* input/vnenc.c — legacy Vietnamese font encodings to Unicode (see vnenc.h). */
#include "input/vnenc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <utf8proc.h>

#include "base/text.h"

/* ---- tables ----------------------------------------------------------------- */

/* Windows-1252 0x80–0x9F: the code point Excel stores for each byte (0 where
 * the code page leaves the byte undefined). */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* TCVN3 (TCVN 5712:1993 VN3) bytes 0xA0–0xFF → Unicode, 0 = not in the
 * repertoire. The 67 lowercase letters and the 7 capitals Ă Â Ê Ô Ơ Ư Đ; the
 * positions VN1 gives to other capitals (0xAF, 0xBA, 0xBF–0xC5 …) and the
 * combining tones 0xB0–0xB4 are not part of the ABC fonts' table. Checked
 * against glibc's TCVN5712-1 converter by tests/unit/test_vnenc.c. */
static const uint16_t tcvn3_hi[96] = {
    /* A0 */ 0x00A0, 0x0102, 0x00C2, 0x00CA, 0x00D4, 0x01A0, 0x01AF, 0x0110,
    /* A8 */ 0x0103, 0x00E2, 0x00EA, 0x00F4, 0x01A1, 0x01B0, 0x0111, 0,
    /* B0 */ 0,      0,      0,      0,      0,      0x00E0, 0x1EA3, 0x00E3,
    /* B8 */ 0x00E1, 0x1EA1, 0,      0x1EB1, 0x1EB3, 0x1EB5, 0x1EAF, 0,
    /* C0 */ 0,      0,      0,      0,      0,      0,      0x1EB7, 0x1EA7,
    /* C8 */ 0x1EA9, 0x1EAB, 0x1EA5, 0x1EAD, 0x00E8, 0,      0x1EBB, 0x1EBD,
    /* D0 */ 0x00E9, 0x1EB9, 0x1EC1, 0x1EC3, 0x1EC5, 0x1EBF, 0x1EC7, 0x00EC,
    /* D8 */ 0x1EC9, 0,      0,      0,      0x0129, 0x00ED, 0x1ECB, 0x00F2,
    /* E0 */ 0,      0x1ECF, 0x00F5, 0x00F3, 0x1ECD, 0x1ED3, 0x1ED5, 0x1ED7,
    /* E8 */ 0x1ED1, 0x1ED9, 0x1EDD, 0x1EDF, 0x1EE1, 0x1EDB, 0x1EE3, 0x00F9,
    /* F0 */ 0,      0x1EE7, 0x0169, 0x00FA, 0x1EE5, 0x1EEB, 0x1EED, 0x1EEF,
    /* F8 */ 0x1EE9, 0x1EF1, 0x1EF3, 0x1EF7, 0x1EF9, 0x00FD, 0x1EF5, 0,
};

/* VNI-Windows mark bytes (lowercase forms; the capital form is byte − 0x20):
 * the modifier and tone they add to the base letter before them. */
enum { VNI_TONE = 1, VNI_CIRC = 2, VNI_BREVE = 4 };

typedef struct {
    unsigned char byte;
    unsigned char cls;      /* VNI_TONE, VNI_CIRC or VNI_BREVE                  */
    uint16_t modifier;      /* U+0302 circumflex, U+0306 breve, or 0             */
    uint16_t tone;          /* U+0300 U+0301 U+0309 U+0303 U+0323, or 0          */
} vni_mark;

static const vni_mark vni_marks[] = {
    {0xF8, VNI_TONE, 0, 0x0300},  {0xF9, VNI_TONE, 0, 0x0301},   /* ø ù */
    {0xFB, VNI_TONE, 0, 0x0309},  {0xF5, VNI_TONE, 0, 0x0303},   /* û õ */
    {0xEF, VNI_TONE, 0, 0x0323},                                  /* ï   */
    {0xE2, VNI_CIRC, 0x0302, 0},       {0xE1, VNI_CIRC, 0x0302, 0x0301}, /* â á */
    {0xE0, VNI_CIRC, 0x0302, 0x0300},  {0xE5, VNI_CIRC, 0x0302, 0x0309}, /* à å */
    {0xE3, VNI_CIRC, 0x0302, 0x0303},  {0xE4, VNI_CIRC, 0x0302, 0x0323}, /* ã ä */
    {0xEA, VNI_BREVE, 0x0306, 0},      {0xE9, VNI_BREVE, 0x0306, 0x0301}, /* ê é */
    {0xE8, VNI_BREVE, 0x0306, 0x0300}, {0xFA, VNI_BREVE, 0x0306, 0x0309}, /* è ú */
    {0xFC, VNI_BREVE, 0x0306, 0x0303}, {0xEB, VNI_BREVE, 0x0306, 0x0323}, /* ü ë */
};

/* VNI single-byte letters (lowercase; the capital is byte − 0x20 → upper). */
typedef struct {
    unsigned char byte;
    uint16_t cp;
} vni_single;

static const vni_single vni_singles[] = {
    {0xEC, 0x00EC}, {0xED, 0x00ED}, {0xE6, 0x1EC9}, {0xF3, 0x0129}, /* ì í ỉ ĩ */
    {0xF2, 0x1ECB}, {0xEE, 0x1EF5}, {0xF1, 0x0111},                 /* ị ỵ đ   */
    {0xF4, 0x01A1}, {0xF6, 0x01B0},                                 /* ơ ư     */
};

/* ---- code points ------------------------------------------------------------ */

/* Decode valid UTF-8 into a malloc'd code point array; NULL when invalid or
 * out of memory (*oom tells which). */
static int32_t *to_cps(const char *s, size_t n, size_t *count, bool *oom)
{
    *count = 0;
    *oom = false;
    if (!text_utf8_valid(s, n)) return NULL;
    int32_t *cps = malloc((n + 1) * sizeof *cps);
    if (!cps) { *oom = true; return NULL; }
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    size_t i = 0, k = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t len = utf8proc_iterate(p + i, (utf8proc_ssize_t)(n - i), &cp);
        if (len <= 0) { free(cps); return NULL; }   /* cannot happen: validated */
        cps[k++] = cp;
        i += (size_t)len;
    }
    *count = k;
    return cps;
}

/* The legacy byte a stored code point stands for, or −1 when it stands for none. */
static int to_byte(int32_t cp)
{
    if (cp >= 0 && cp <= 0xFF) return (int)cp;   /* Latin-1 and C1 controls    */
    for (int i = 0; i < 32; i++)
        if (cp1252_hi[i] && cp1252_hi[i] == cp) return 0x80 + i;
    return -1;
}

/* Non-letter bytes both fonts draw as Windows does: the CP1252 punctuation of
 * 0x80–0x9F and NBSP. Returns the code point to emit, 0 when none. */
static int32_t punct_passthrough(int b)
{
    if (b == 0xA0) return 0xA0;
    if (b < 0x80 || b > 0x9F) return 0;
    int32_t cp = cp1252_hi[b - 0x80];
    if (!cp) return 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    bool letter = cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
    bool modifier = cat == UTF8PROC_CATEGORY_SK || cat == UTF8PROC_CATEGORY_LM;
    return letter || modifier ? 0 : cp;
}

/* True for the Latin-1 letters Unicode Vietnamese uses (À Á Â Ã È É Ê …). */
static bool viet_latin1_letter(int32_t cp)
{
    static const char set[] = "\xC0\xC1\xC2\xC3\xC8\xC9\xCA\xCC\xCD\xD2\xD3\xD4\xD5\xD9\xDA\xDD";
    if (cp >= 0xE0 && cp <= 0xFF) cp -= 0x20;
    else if (cp < 0xC0 || cp > 0xDF) return false;
    return cp != 0 && strchr(set, (int)cp) != NULL;
}

/* The VNI mark byte b (either case), NULL when b is no mark. */
static const vni_mark *vni_mark_of(int b)
{
    int lower = (b >= 0xC0 && b <= 0xDF) ? b + 0x20 : b;
    for (size_t i = 0; i < sizeof vni_marks / sizeof vni_marks[0]; i++)
        if (vni_marks[i].byte == lower) return &vni_marks[i];
    return NULL;
}

/* The code point of a VNI single-byte letter, 0 when b is not one. */
static int32_t vni_single_of(int b)
{
    bool upper = b >= 0xC0 && b <= 0xDF;
    int lower = upper ? b + 0x20 : b;
    for (size_t i = 0; i < sizeof vni_singles / sizeof vni_singles[0]; i++)
        if (vni_singles[i].byte == lower)
            return upper ? utf8proc_toupper(vni_singles[i].cp) : vni_singles[i].cp;
    return 0;
}

/* ---- decoders --------------------------------------------------------------- */

/* TCVN3 into tmp (un-normalized); false when a character does not map. */
static bool decode_tcvn3(const int32_t *cps, size_t n, bool caps, buf *tmp)
{
    for (size_t i = 0; i < n; i++) {
        int b = to_byte(cps[i]);
        if (b < 0) return false;
        int32_t out;
        if (b < 0x80) out = caps && b >= 'a' && b <= 'z' ? b - 'a' + 'A' : b;
        else if (b >= 0xA0 && tcvn3_hi[b - 0xA0]) {
            out = tcvn3_hi[b - 0xA0];
            if (caps) out = utf8proc_toupper(out);
        } else if (!(out = punct_passthrough(b))) return false;
        text_put_codepoint(tmp, (unsigned long)out);
    }
    return true;
}

/* Which VNI mark classes a base letter takes; 0 when it is no VNI base. */
static unsigned vni_base_classes(int b, int32_t *base_cp)
{
    int c = b < 0x80 ? tolower(b) : b;
    switch (c) {
    case 'a': *base_cp = b; return VNI_TONE | VNI_CIRC | VNI_BREVE;
    case 'e': case 'o': *base_cp = b; return VNI_TONE | VNI_CIRC;
    case 'u': case 'y': *base_cp = b; return VNI_TONE;
    case 0xF4: case 0xD4:                     /* ô Ô: ơ Ơ */
    case 0xF6: case 0xD6:                     /* ö Ö: ư Ư */
        *base_cp = vni_single_of(b);
        return VNI_TONE;
    default: return 0;
    }
}

/* VNI into tmp (decomposed; the caller composes); false when a byte does not map. */
static bool decode_vni(const int32_t *cps, size_t n, buf *tmp)
{
    for (size_t i = 0; i < n; i++) {
        int b = to_byte(cps[i]);
        if (b < 0) return false;
        int32_t base;
        unsigned classes = vni_base_classes(b, &base);
        if (classes) {
            const vni_mark *m = i + 1 < n ? vni_mark_of(to_byte(cps[i + 1])) : NULL;
            text_put_codepoint(tmp, (unsigned long)base);
            if (m && (m->cls & classes)) {
                if (m->modifier) text_put_codepoint(tmp, m->modifier);
                if (m->tone) text_put_codepoint(tmp, m->tone);
                i++;
            }
            continue;
        }
        if (b < 0x80) { text_put_codepoint(tmp, (unsigned long)b); continue; }
        int32_t single = vni_single_of(b);
        if (single) { text_put_codepoint(tmp, (unsigned long)single); continue; }
        if (vni_mark_of(b)) return false;               /* a mark without its base */
        int32_t p = punct_passthrough(b);
        if (!p && ((b >= 0xA1 && b <= 0xBF) || b == 0xD7 || b == 0xF7)) p = b; /* symbols */
        if (!p) return false;
        text_put_codepoint(tmp, (unsigned long)p);
    }
    return true;
}

/* ---- Vietnamese syllables --------------------------------------------------- */

static const char *const onsets[] = {
    "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
    "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
};

/* Vowel groups that may be followed by a final consonant. */
static const char *const nuclei_open[] = {
    "uyê", "iê", "yê", "uô", "ươ", "oa", "oă", "oe", "oo", "uâ", "uê", "uy", "uơ",
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
};

/* Vowel groups ending in a glide: nothing may follow them. */
static const char *const nuclei_closed[] = {
    "iêu", "yêu", "oai", "oay", "oao", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyu",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iu", "oi", "ôi", "ơi",
    "ua", "ui", "ưa", "ưi", "ưu",
};

static const char *const codas[] = { "ch", "ng", "nh", "c", "m", "n", "p", "t", "" };

/* True when s begins with prefix. */
static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* True when s (toneless, lowercase, UTF-8) is a Vietnamese rhyme. */
static bool valid_rhyme(const char *s)
{
    for (size_t i = 0; i < sizeof nuclei_closed / sizeof *nuclei_closed; i++)
        if (strcmp(s, nuclei_closed[i]) == 0) return true;
    for (size_t i = 0; i < sizeof nuclei_open / sizeof *nuclei_open; i++) {
        if (!starts_with(s, nuclei_open[i])) continue;
        const char *rest = s + strlen(nuclei_open[i]);
        for (size_t j = 0; j < sizeof codas / sizeof *codas; j++)
            if (strcmp(rest, codas[j]) == 0) return true;
    }
    return false;
}

/* Word classes for plausibility. */
typedef enum { WORD_ASCII, WORD_VIET, WORD_OTHER } word_class;

/* Classify one word: plain ASCII, a Vietnamese syllable or capital
 * abbreviation with Đ ("HĐND"), or something else. legacy_view: the word is
 * read from a text that may be legacy, where a capital after a small letter
 * ("cÊp") disqualifies; a decoded ".VnTimeH" text ("TổNG") may mix cases. */
static word_class classify_word(const int32_t *w, size_t n, bool legacy_view)
{
    bool ascii = true, all_caps = true, marked = false, mixed = false;
    for (size_t i = 0; i < n; i++) {
        if (w[i] >= 0x80) ascii = false;
        if (utf8proc_category(w[i]) == UTF8PROC_CATEGORY_LL) all_caps = false;
        else if (i > 0 && utf8proc_category(w[i - 1]) == UTF8PROC_CATEGORY_LL) mixed = true;
    }
    if (ascii) return WORD_ASCII;
    if (mixed && legacy_view) return WORD_OTHER;    /* "cÊp": a capital after a small letter */
    int tones = 0;
    char base[64];
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        utf8proc_int32_t d[8];
        int bound = 0;
        utf8proc_ssize_t k = utf8proc_decompose_char(utf8proc_tolower(w[i]), d, 8,
                                                     UTF8PROC_DECOMPOSE, &bound);
        if (k < 1 || k > 8) return WORD_OTHER;
        int32_t b = d[0], mod = 0;
        for (utf8proc_ssize_t j = 1; j < k; j++) {
            switch (d[j]) {
            case 0x0300: case 0x0301: case 0x0303: case 0x0309: case 0x0323:
                tones++; marked = true; break;
            case 0x0302: case 0x0306: case 0x031B:
                if (mod) return WORD_OTHER;
                mod = d[j]; marked = true; break;
            default: return WORD_OTHER;
            }
        }
        if (k > 1 && (b < 'a' || b > 'z' || !strchr("aeiouy", (int)b)))
            return WORD_OTHER;                      /* marks sit on vowels only: ñ */
        const char *piece;
        char one[2] = { 0, 0 };
        if (b == 0x0111) piece = "đ";
        else if (b < 'a' || b > 'z' || strchr("fjwz", (int)b)) return WORD_OTHER;
        else if (!mod) { one[0] = (char)b; piece = one; }
        else if (b == 'a' && mod == 0x0306) piece = "ă";
        else if (b == 'a' && mod == 0x0302) piece = "â";
        else if (b == 'e' && mod == 0x0302) piece = "ê";
        else if (b == 'o' && mod == 0x0302) piece = "ô";
        else if (b == 'o' && mod == 0x031B) piece = "ơ";
        else if (b == 'u' && mod == 0x031B) piece = "ư";
        else return WORD_OTHER;
        size_t pl = strlen(piece);
        if (len + pl >= sizeof base) return WORD_OTHER;
        memcpy(base + len, piece, pl);
        len += pl;
    }
    base[len] = '\0';
    if (all_caps && !marked && n >= 2) return WORD_VIET;     /* HĐND, ĐH, CĐ */
    if (tones > 1) return WORD_OTHER;
    for (size_t i = 0; i < sizeof onsets / sizeof *onsets; i++)
        if (starts_with(base, onsets[i]) && valid_rhyme(base + strlen(onsets[i])))
            return WORD_VIET;
    return WORD_OTHER;
}

static bool legacy_letter_byte(vnenc_kind k, int b);

/* A word character: a letter or, when reading a text as possibly legacy kind
 * k, a character that is a letter of k, so "C¸n" stays one word (and reads as
 * no Vietnamese word) while "·" between words still separates them. */
static bool word_char(int32_t cp, vnenc_kind k)
{
    utf8proc_category_t c = utf8proc_category(cp);
    if (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) return true;
    if (k == VNENC_NONE) return false;
    int b = to_byte(cp);
    return b >= 0xA0 && legacy_letter_byte(k, b);
}

/* Count the words beyond ASCII and how many of them read as Vietnamese; k as
 * for word_char (VNENC_NONE: the text is read as Unicode). */
static void score_words(const int32_t *cps, size_t n, vnenc_kind k, size_t *nonascii, size_t *viet)
{
    *nonascii = *viet = 0;
    size_t i = 0;
    while (i < n) {
        if (!word_char(cps[i], k)) { i++; continue; }
        size_t start = i;
        while (i < n && word_char(cps[i], k)) i++;
        utf8proc_category_t c0 = utf8proc_category(cps[start]);
        if (i - start == 1 && (c0 < UTF8PROC_CATEGORY_LU || c0 > UTF8PROC_CATEGORY_LO))
            continue;                               /* a lone "·" between words */
        word_class wc = classify_word(cps + start, i - start, k != VNENC_NONE);
        if (wc == WORD_ASCII) continue;
        (*nonascii)++;
        if (wc == WORD_VIET) (*viet)++;
    }
}

/* Plausibility in [0, 1]; −1 when there is no word beyond ASCII at all. */
static double viet_score(const int32_t *cps, size_t n, vnenc_kind k)
{
    size_t nonascii, viet;
    score_words(cps, n, k, &nonascii, &viet);
    return nonascii ? (double)viet / (double)nonascii : -1.0;
}

/* ---- detection helpers ------------------------------------------------------ */

/* True when byte b is a letter (or part of one) in encoding k. */
static bool legacy_letter_byte(vnenc_kind k, int b)
{
    if (b < 0) return false;
    if (b < 0x80) return isalpha(b) != 0;
    if (k == VNENC_VNI) return vni_mark_of(b) || vni_single_of(b);
    return b > 0xA0 && tcvn3_hi[b - 0xA0];
}

/* Count the characters beyond ASCII that are letters of encoding k and stand
 * next to another letter of k (so "×" alone in "× 100" is not counted). */
static size_t count_legacy_in_words(vnenc_kind k, const int32_t *cps, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        int b = to_byte(cps[i]);
        if (b < 0x80 || !legacy_letter_byte(k, b)) continue;
        if ((i > 0 && legacy_letter_byte(k, to_byte(cps[i - 1]))) ||
            (i + 1 < n && legacy_letter_byte(k, to_byte(cps[i + 1]))))
            count++;
    }
    return count;
}

/* Count the characters that betray encoding k inside a word: letters of k
 * that are never letters of Unicode Vietnamese ("¸", "µ", U+00AD, "æ"; "ø",
 * "ñ"), and capitals right after a small letter ("cÊp", "ChÝnh"), which no
 * Unicode text has but TCVN3 makes of its lowercase letters at 0xC0–0xDE. */
static size_t count_telltales(vnenc_kind k, const int32_t *cps, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        int b = to_byte(cps[i]);
        if (b < 0x80 || !legacy_letter_byte(k, b)) continue;
        bool prev = i > 0 && legacy_letter_byte(k, to_byte(cps[i - 1]));
        bool next = i + 1 < n && legacy_letter_byte(k, to_byte(cps[i + 1]));
        if (!prev && !next) continue;
        bool foreign = !viet_latin1_letter(cps[i]);
        bool mixed = cps[i] >= 0xC0 && cps[i] <= 0xDE && i > 0 &&
                     utf8proc_category(cps[i - 1]) == UTF8PROC_CATEGORY_LL;
        if (foreign || mixed) count++;
    }
    return count;
}

/* Decode cps as kind k into out (NFC); false when a character does not map. */
static bool decode_cps(vnenc_kind k, const int32_t *cps, size_t n, buf *out)
{
    buf tmp = BUF_INIT;
    bool ok;
    switch (k) {
    case VNENC_TCVN3: ok = decode_tcvn3(cps, n, false, &tmp); break;
    case VNENC_TCVN3_H: ok = decode_tcvn3(cps, n, true, &tmp); break;
    case VNENC_VNI: ok = decode_vni(cps, n, &tmp); break;
    default:
        ok = true;
        for (size_t i = 0; i < n; i++) text_put_codepoint(&tmp, (unsigned long)cps[i]);
        break;
    }
    if (ok && tmp.oom) { out->oom = true; ok = false; }
    if (ok) ok = text_to_nfc(buf_str(&tmp), tmp.len, out);
    buf_free(&tmp);
    return ok;
}

/* Plausibility of decoding cps as k (−2 when it does not decode). */
static double decoded_score(vnenc_kind k, const int32_t *cps, size_t n, bool *oom)
{
    buf dec = BUF_INIT;
    double score = -2.0;
    if (decode_cps(k, cps, n, &dec)) {
        size_t m;
        bool o2;
        int32_t *dc = to_cps(buf_str(&dec), dec.len, &m, &o2);
        if (dc) score = viet_score(dc, m, VNENC_NONE);
        if (o2) *oom = true;
        free(dc);
    }
    if (dec.oom) *oom = true;
    buf_free(&dec);
    return score;
}

/* True when every ASCII letter is a capital and there are at least two. */
static bool ascii_all_caps(const int32_t *cps, size_t n)
{
    size_t caps = 0;
    for (size_t i = 0; i < n; i++) {
        if (cps[i] >= 'a' && cps[i] <= 'z') return false;
        if (cps[i] >= 'A' && cps[i] <= 'Z') caps++;
    }
    return caps >= 2;
}

/* The detection on code points (see vnenc_detect). */
static vnenc_kind detect_cps(const int32_t *cps, size_t n)
{
    bool any_high = false;
    for (size_t i = 0; i < n; i++) {
        if (to_byte(cps[i]) < 0) return VNENC_NONE;   /* a real Unicode letter   */
        if (cps[i] >= 0x80) any_high = true;
    }
    if (!any_high) return VNENC_NONE;
    vnenc_kind best = VNENC_NONE;
    double best_score = 0.0;
    size_t best_tells = 0;
    const vnenc_kind kinds[] = { VNENC_TCVN3, VNENC_VNI };
    for (size_t i = 0; i < 2; i++) {
        size_t tells = count_telltales(kinds[i], cps, n);
        double original = viet_score(cps, n, kinds[i]);
        bool oom = false;
        double s = decoded_score(kinds[i], cps, n, &oom);
        if (oom) continue;
        /* Proof: telltales and a decoding that reads better, or an original in
         * which no word is Vietnamese ("Naêm") and a decoding in which all are. */
        bool proven = (tells && s >= 0.75 && s > original) ||
                      (original == 0.0 && s == 1.0 && count_legacy_in_words(kinds[i], cps, n));
        if (!proven) continue;
        if (best == VNENC_NONE || s > best_score || (s == best_score && tells > best_tells)) {
            best = kinds[i];
            best_score = s;
            best_tells = tells;
        }
    }
    if (best == VNENC_TCVN3 && ascii_all_caps(cps, n)) best = VNENC_TCVN3_H;
    return best;
}

/* ---- public ----------------------------------------------------------------- */

const char *vnenc_kind_name(vnenc_kind k)
{
    switch (k) {
    case VNENC_TCVN3: return "tcvn3";
    case VNENC_TCVN3_H: return "tcvn3-h";
    case VNENC_VNI: return "vni";
    default: return "none";
    }
}

vnenc_kind vnenc_font_hint(const char *font)
{
    if (!font) return VNENC_NONE;
    while (*font == ' ' || *font == '\t') font++;
    size_t n = strlen(font);
    while (n > 0 && (font[n - 1] == ' ' || font[n - 1] == '\t')) n--;
    if (n > 3 && strncasecmp(font, ".vn", 3) == 0)
        return (font[n - 1] == 'H' || font[n - 1] == 'h') ? VNENC_TCVN3_H : VNENC_TCVN3;
    if (n > 4 && strncasecmp(font, "vni", 3) == 0 && (font[3] == '-' || font[3] == ' '))
        return VNENC_VNI;
    return VNENC_NONE;
}

bool vnenc_decode(vnenc_kind k, const char *utf8, size_t n, buf *out)
{
    size_t count;
    bool oom;
    int32_t *cps = to_cps(utf8, n, &count, &oom);
    if (!cps) {
        if (oom) out->oom = true;
        return false;
    }
    bool ok = decode_cps(k, cps, count, out);
    free(cps);
    return ok;
}

vnenc_kind vnenc_detect(const char *utf8, size_t n)
{
    if (text_is_ascii(utf8, n)) return VNENC_NONE;
    size_t count;
    bool oom;
    int32_t *cps = to_cps(utf8, n, &count, &oom);
    if (!cps) return VNENC_NONE;
    vnenc_kind k = detect_cps(cps, count);
    free(cps);
    return k;
}

bool vnenc_reads_vietnamese(const char *utf8, size_t n)
{
    size_t count;
    bool oom;
    int32_t *cps = to_cps(utf8, n, &count, &oom);
    if (!cps) return false;
    size_t nonascii, viet;
    score_words(cps, count, VNENC_NONE, &nonascii, &viet);
    free(cps);
    return nonascii > 0 && viet * 4 >= nonascii * 3;
}

vnenc_kind vnenc_repair(const char *font, const char *utf8, size_t n, buf *out)
{
    if (text_is_ascii(utf8, n)) return VNENC_NONE;   /* nothing a font changes */
    size_t count;
    bool oom;
    int32_t *cps = to_cps(utf8, n, &count, &oom);
    if (!cps) {
        if (oom) out->oom = true;
        return VNENC_NONE;
    }
    vnenc_kind k = vnenc_font_hint(font);
    if (k != VNENC_NONE) {
        /* Follow the font unless the text already reads as Vietnamese at least
         * as well as its decoding: Unicode pasted into a .VnTime cell. */
        bool o2 = false;
        double dec = decoded_score(k, cps, count, &o2);
        vnenc_kind table = k == VNENC_VNI ? k : VNENC_TCVN3;
        bool tells = count_telltales(table, cps, count) > 0;
        bool in_words = count_legacy_in_words(table, cps, count) > 0;
        if (o2) out->oom = true;
        if (o2 || dec < -1.5 || !in_words || (!tells && dec <= viet_score(cps, count, table)))
            k = VNENC_NONE;
    }
    if (k == VNENC_NONE) k = detect_cps(cps, count);
    if (k != VNENC_NONE && !decode_cps(k, cps, count, out)) k = VNENC_NONE;
    free(cps);
    return k;
}
