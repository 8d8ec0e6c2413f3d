/* base/fold.c — folded matching keys and abbreviations (see fold.h). */
#include "base/fold.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/text.h"

/* ---- abbreviations ---------------------------------------------------------- */

enum { ABBR_NOT_LAST = 1 };   /* expand only when another token follows */

typedef struct {
    const char *pattern;      /* folded tokens separated by single spaces       */
    const char *expansion;    /* folded                                          */
    unsigned flags;
} fold_abbr;

/* Folded forms. Multi-token patterns are names written with "&" or "-" that
 * folding split ("NN&PTNT" → "nn ptnt"); they win over their single tokens
 * because the longest match wins. Expansions carry "va" where the official
 * name has "và", so "Sở NN&PTNT" and "Sở Nông nghiệp và Phát triển nông thôn"
 * fold to the same key. */
static const fold_abbr abbrs[] = {
    /* groups of persons */
    { "cbccvc", "can bo cong chuc vien chuc", 0 },
    { "cbcc", "can bo cong chuc", 0 },
    { "ccvc", "cong chuc vien chuc", 0 },
    { "cb", "can bo", 0 },
    { "cc", "cong chuc", 0 },
    { "vc", "vien chuc", 0 },
    { "kct", "khong chuyen trach", 0 },
    { "hdnd", "hoi dong nhan dan", 0 },
    { "dbhdnd", "dai bieu hoi dong nhan dan", 0 },
    { "db hdnd", "dai bieu hoi dong nhan dan", 0 },
    { "dbqh", "dai bieu quoc hoi", 0 },
    { "db qh", "dai bieu quoc hoi", 0 },
    { "ubnd", "uy ban nhan dan", 0 },
    { "mttq", "mat tran to quoc", 0 },
    { "dtts", "dan toc thieu so", 0 },
    /* training contents and levels */
    { "llct", "ly luan chinh tri", 0 },
    { "qlnn", "quan ly nha nuoc", 0 },
    { "qpan", "quoc phong an ninh", 0 },
    { "qp an", "quoc phong an ninh", 0 },
    { "qp", "quoc phong", 0 },
    { "cvcc", "chuyen vien cao cap", 0 },
    { "cvc", "chuyen vien chinh", 0 },
    { "cv", "chuyen vien", 0 },
    { "sdh", "sau dai hoc", 0 },
    { "dh", "dai hoc", 0 },
    { "ths", "thac si", 0 },
    { "ts", "tien si", 0 },
    { "cd", "cao dang", 0 },
    { "tc", "trung cap", 0 },
    { "tc cdnn", "tieu chuan chuc danh nghe nghiep", 0 },
    { "cdnn", "chuc danh nghe nghiep", 0 },
    { "dtbd", "dao tao boi duong", 0 },
    { "bd", "boi duong", 0 },
    { "dt", "dao tao", 0 },
    { "cm", "chuyen mon", 0 },
    { "cntt", "cong nghe thong tin", 0 },
    /* places and bodies */
    { "tp", "thanh pho", 0 },
    { "tx", "thi xa", 0 },
    { "h", "huyen", ABBR_NOT_LAST },
    { "ql", "quan ly", 0 },
    { "kkt", "khu kinh te", 0 },
    { "bchqs", "bo chi huy quan su", 0 },
    { "tw", "trung uong", 0 },
    /* departments (Sở), written with "&" or "-" or run together */
    { "nn ptnt", "nong nghiep va phat trien nong thon", 0 },
    { "nnptnt", "nong nghiep va phat trien nong thon", 0 },
    { "ld tb xh", "lao dong thuong binh va xa hoi", 0 },
    { "ld tbxh", "lao dong thuong binh va xa hoi", 0 },
    { "ldtbxh", "lao dong thuong binh va xa hoi", 0 },
    { "tt tt", "thong tin va truyen thong", 0 },
    { "tttt", "thong tin va truyen thong", 0 },
    { "kh dt", "ke hoach va dau tu", 0 },
    { "khdt", "ke hoach va dau tu", 0 },
    { "gd dt", "giao duc va dao tao", 0 },
    { "gddt", "giao duc va dao tao", 0 },
    { "tn mt", "tai nguyen va moi truong", 0 },
    { "tnmt", "tai nguyen va moi truong", 0 },
    { "kh cn", "khoa hoc va cong nghe", 0 },
    { "khcn", "khoa hoc va cong nghe", 0 },
    { "vh tt", "van hoa va the thao", 0 },
    { "vhtt", "van hoa va the thao", 0 },
    { "vh tt dl", "van hoa the thao va du lich", 0 },
    { "vhtt dl", "van hoa the thao va du lich", 0 },
    { "vhttdl", "van hoa the thao va du lich", 0 },
    { "gt vt", "giao thong van tai", 0 },
    { "gtvt", "giao thong van tai", 0 },
    { "nn mt", "nong nghiep va moi truong", 0 },
    { "nnmt", "nong nghiep va moi truong", 0 },
    { "dt tg", "dan toc va ton giao", 0 },
    { "dttg", "dan toc va ton giao", 0 },
};

typedef struct {
    const char *p;
    size_t n;
} token;

/* Split key[0..n) at spaces into a malloc'd token array; NULL on OOM. */
/* The tokens of key[0..n) into t (room for n / 2 + 1). */
static token *split_tokens_into(const char *key, size_t n, token *t, size_t *count)
{
    *count = 0;
    size_t i = 0;
    while (i < n) {
        while (i < n && key[i] == ' ') i++;
        if (i >= n) break;
        size_t s = i;
        while (i < n && key[i] != ' ') i++;
        t[(*count)++] = (token){ key + s, i - s };
    }
    return t;
}

static token *split_tokens(const char *key, size_t n, size_t *count)
{
    token *t = malloc((n / 2 + 1) * sizeof *t);
    return t ? split_tokens_into(key, n, t, count) : NULL;
}

/* True when token t is exactly s[0..n). */
static bool token_is(token t, const char *s, size_t n)
{
    return t.n == n && memcmp(t.p, s, n) == 0;
}

/* How many input tokens from tok[at] the pattern consumes (0: no match). A
 * "va" may stand between two pattern tokens ("nn va ptnt"). */
static size_t match_pattern(const token *tok, size_t count, size_t at, const fold_abbr *a)
{
    const char *p = a->pattern;
    if (at >= count || tok[at].p[0] != p[0]) return 0;   /* the usual case, at once */
    size_t i = at;
    bool first = true;
    while (*p) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (!first && i < count && token_is(tok[i], "va", 2) && !(len == 2 && memcmp(p, "va", 2) == 0)
            && i + 1 < count && token_is(tok[i + 1], p, len))
            i++;
        if (i >= count || !token_is(tok[i], p, len)) return 0;
        i++;
        first = false;
        p += len;
        if (*p == ' ') p++;
    }
    if ((a->flags & ABBR_NOT_LAST) && i >= count) return 0;
    return i - at;
}

/* ---- folding: utf8proc, and a table in front of it ------------------------------ */

#define FOLD_FLAGS (UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | \
                    UTF8PROC_STRIPMARK | UTF8PROC_IGNORE)

/* What a folded key keeps of a code point of utf8proc's output: its bytes
 * (a letter or a digit; "đ" and "ð" as "d"), a separator (' '), or nothing
 * (a combining mark). Appends to out; the separator run rule is the caller's. */
static size_t fold_cp(int32_t cp, const uint8_t *bytes, size_t k, char *out)
{
    utf8proc_category_t c = utf8proc_category(cp);
    if (cp == 0x0111 || cp == 0x00F0) {   /* đ, and ð typed for it */
        out[0] = 'd';
        return 1;
    }
    if ((c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
        (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO)) {
        memcpy(out, bytes, k);
        return k;
    }
    if (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) return 0;
    out[0] = ' ';
    return 1;
}

/* The folded bytes of utf8proc's mapping of s[0..n) (valid UTF-8) into out
 * (letters' bytes, ' ' per separator); false out of memory. utf8proc maps
 * without composing, so a string's mapping is its characters' mappings
 * side by side: a character at a time gives the same bytes. */
static bool fold_slow(const char *s, size_t n, buf *out)
{
    utf8proc_uint8_t *m = NULL;
    utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &m, FOLD_FLAGS);
    if (len < 0) return false;
    for (utf8proc_ssize_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(m + i, len - i, &cp);
        if (k <= 0) break;                          /* cannot happen: utf8proc output */
        char tmp[8];
        buf_append(out, tmp, fold_cp(cp, m + i, (size_t)k, tmp));
        i += k;
    }
    free(m);
    return !out->oom;
}

/* The folded bytes of each code point below FOLD_TABLE, made once from
 * utf8proc itself (fold_slow); len FOLD_LONG: longer than 7 bytes, asked of
 * utf8proc each time. Vietnamese, Latin and the common punctuation all sit
 * below U+2000. */
#define FOLD_TABLE 0x2000
#define FOLD_LONG 0xFF
static struct { uint8_t len; char s[7]; } fold_table[FOLD_TABLE];
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static void fold_table_init(void)
{
    for (int32_t cp = 0; cp < FOLD_TABLE; cp++) {
        uint8_t u[4];
        utf8proc_ssize_t k = utf8proc_encode_char(cp, u);
        buf b = BUF_INIT;
        if (!fold_slow((const char *)u, (size_t)k, &b) || b.len > sizeof fold_table[cp].s) {
            fold_table[cp].len = FOLD_LONG;
        } else {
            fold_table[cp].len = (uint8_t)b.len;
            memcpy(fold_table[cp].s, b.data ? b.data : "", b.len);
        }
        buf_free(&b);
    }
}

/* A valid UTF-8 sequence at p (of at most n bytes): its code point and length. */
static size_t decode(const unsigned char *p, size_t n, int32_t *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(p, (utf8proc_ssize_t)(n < 4 ? n : 4), &c);
    *cp = c;
    return k > 0 ? (size_t)k : 0;
}

/* Append to out the key of folded bytes raw[0..n): letters kept, every run of
 * separators one space, none at either end. */
static void fold_join(const char *raw, size_t n, buf *out)
{
    bool pending = false, any = false;
    for (size_t i = 0; i < n; i++) {
        if (raw[i] == ' ') {
            pending = true;                         /* separators collapse to one */
            continue;
        }
        if (pending && any) buf_putc(out, ' ');
        pending = false;
        any = true;
        buf_putc(out, raw[i]);
    }
}

/* ---- public ----------------------------------------------------------------- */

/* The folded key of utf8[0..n) into out: repaired when not valid UTF-8, then
 * each code point below FOLD_TABLE looked up (table) or the whole text asked
 * of utf8proc (the reference). */
static bool fold_with(const char *utf8, size_t n, buf *out, bool table)
{
    buf fixed = BUF_INIT, raw = BUF_INIT;
    const char *src = utf8;
    if (!text_utf8_valid(utf8, n)) {
        if (!text_to_nfc(utf8, n, &fixed)) { buf_free(&fixed); out->oom = true; return false; }
        src = buf_str(&fixed);
        n = fixed.len;
    }
    if (!table) {
        if (n > 0 && !fold_slow(src, n, &raw)) raw.oom = true;
    } else {
        pthread_once(&fold_once, fold_table_init);
        const unsigned char *p = (const unsigned char *)src;
        for (size_t i = 0; i < n && !raw.oom;) {
            int32_t cp;
            size_t k = decode(p + i, n - i, &cp);
            if (k == 0) { raw.oom = true; break; }      /* cannot happen: valid UTF-8 */
            if (cp < FOLD_TABLE && fold_table[cp].len != FOLD_LONG) buf_append(&raw, fold_table[cp].s, fold_table[cp].len);
            else if (!fold_slow(src + i, k, &raw)) raw.oom = true;
            i += k;
        }
    }
    if (!raw.oom) fold_join(raw.data ? raw.data : "", raw.len, out);
    bool ok = !raw.oom && !out->oom;
    if (!ok) out->oom = true;
    buf_free(&raw);
    buf_free(&fixed);
    return ok;
}

bool fold_key(const char *utf8, size_t n, buf *out)
{
    return fold_with(utf8, n, out, true);
}

/* See fold.h. */
bool fold_key_reference(const char *utf8, size_t n, buf *out)
{
    return fold_with(utf8, n, out, false);
}

/* The abbreviations by their pattern's first byte, in the table's order (so
 * the longest match, the first of equals, is the one the whole table gives). */
#define ABBR_COUNT (sizeof abbrs / sizeof *abbrs)
_Static_assert(ABBR_COUNT < 256, "abbreviation indices are bytes");
static uint8_t abbr_by_byte[256][ABBR_COUNT];
static uint8_t abbr_n[256];
static pthread_once_t abbr_once = PTHREAD_ONCE_INIT;

static void abbr_index(void)
{
    for (size_t a = 0; a < ABBR_COUNT; a++) {
        unsigned char b = (unsigned char)abbrs[a].pattern[0];
        abbr_by_byte[b][abbr_n[b]++] = (uint8_t)a;
    }
}

bool fold_expand_abbrev(const char *key, size_t n, buf *out)
{
    pthread_once(&abbr_once, abbr_index);
    size_t count;
    token small[32];
    token *tok = n / 2 + 1 <= sizeof small / sizeof *small ? split_tokens_into(key, n, small, &count)
                                                           : split_tokens(key, n, &count);
    if (!tok) { out->oom = true; return false; }
    for (size_t i = 0; i < count;) {
        size_t best = 0;
        const fold_abbr *hit = NULL;
        unsigned char b = (unsigned char)tok[i].p[0];
        for (size_t j = 0; j < abbr_n[b]; j++) {
            const fold_abbr *a = &abbrs[abbr_by_byte[b][j]];
            size_t used = match_pattern(tok, count, i, a);
            if (used > best) { best = used; hit = a; }
        }
        if (i > 0) buf_putc(out, ' ');
        if (hit) { buf_puts(out, hit->expansion); i += best; }
        else { buf_append(out, tok[i].p, tok[i].n); i++; }
    }
    if (tok != small) free(tok);
    return !out->oom;
}

bool fold_match_key(const char *utf8, size_t n, buf *out)
{
    buf key = BUF_INIT;
    bool ok = fold_key(utf8, n, &key) && fold_expand_abbrev(buf_str(&key), key.len, out);
    if (key.oom) out->oom = true;
    buf_free(&key);
    return ok && !out->oom;
}

/* Token-set Jaccard index of two keys; −1 on out of memory. */
static double jaccard(const char *a, const char *b)
{
    size_t na, nb;
    token *ta = split_tokens(a, strlen(a), &na);
    token *tb = split_tokens(b, strlen(b), &nb);
    double r = -1.0;
    if (ta && tb) {
        size_t ua = 0, ub = 0, both = 0;
        for (size_t i = 0; i < na; i++) {            /* distinct tokens of a */
            bool dup = false;
            for (size_t j = 0; j < i && !dup; j++) dup = token_is(ta[j], ta[i].p, ta[i].n);
            if (dup) continue;
            ua++;
            for (size_t j = 0; j < nb; j++)
                if (token_is(tb[j], ta[i].p, ta[i].n)) { both++; break; }
        }
        for (size_t i = 0; i < nb; i++) {            /* distinct tokens of b */
            bool dup = false;
            for (size_t j = 0; j < i && !dup; j++) dup = token_is(tb[j], tb[i].p, tb[i].n);
            if (!dup) ub++;
        }
        size_t uni = ua + ub - both;
        r = uni ? (double)both / (double)uni : 1.0;
    }
    free(ta);
    free(tb);
    return r;
}

/* Levenshtein distance of a[0..la) and b[0..lb) over bytes when it is at
 * most maxd, else maxd + 1; row has lb + 1 entries. Exact: only the band
 * |i − j| ≤ maxd is computed (a cell outside it is already more than maxd
 * away), and the walk stops when the length difference or a whole row's
 * minimum exceeds maxd (every path crosses every row). maxd ≥ max(la, lb)
 * gives the full distance. */
static size_t lev_within(const char *a, size_t la, const char *b, size_t lb, size_t maxd,
                         size_t *row)
{
    const size_t inf = maxd + 1;
    if ((la > lb ? la - lb : lb - la) > maxd) return inf;
    for (size_t j = 0; j <= lb; j++) row[j] = j < inf ? j : inf;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i > maxd ? i - maxd : 1, hi = i + maxd < lb ? i + maxd : lb;
        size_t diag = row[lo - 1];
        row[lo - 1] = lo == 1 && i < inf ? i : inf;
        size_t rmin = row[lo - 1];
        for (size_t j = lo; j <= hi; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best < inf ? best : inf;
            if (row[j] < rmin) rmin = row[j];
            diag = up;
        }
        if (rmin >= inf) return inf;
    }
    return row[lb] < inf ? row[lb] : inf;
}

double fold_lev_similarity(const char *a, const char *b, double bound, size_t max_len)
{
    if (!a) a = "";
    if (!b) b = "";
    size_t la = strlen(a), lb = strlen(b);
    if (la > max_len || lb > max_len) return -1.0;
    size_t longer = la > lb ? la : lb;
    if (longer == 0) return 1.0 >= bound ? 1.0 : 0.0;
    /* the largest distance d with 1 − d / longer ≥ bound, in the same
     * floating-point arithmetic as the score itself */
    size_t maxd = longer;
    if (bound > 0.0) {
        double guess = (1.0 - bound) * (double)longer + 2.0;
        if (guess < (double)longer) maxd = guess < 0.0 ? 0 : (size_t)guess;
    }
    while (maxd > 0 && 1.0 - (double)maxd / (double)longer < bound) maxd--;
    if (1.0 - (double)maxd / (double)longer < bound) return 0.0;
    size_t stack[257], *row = lb < 257 ? stack : malloc((lb + 1) * sizeof *row);
    if (!row) return -1.0;
    size_t d = lev_within(a, la, b, lb, maxd, row);
    if (row != stack) free(row);
    return d <= maxd ? 1.0 - (double)d / (double)longer : 0.0;
}

size_t fold_edit_distance(const char *a, const char *b, size_t maxd)
{
    if (!a) a = "";
    if (!b) b = "";
    size_t la = strlen(a), lb = strlen(b), row[257];
    if (la > 256 || lb > 256) return maxd + 1;
    return lev_within(a, la, b, lb, maxd, row);
}

double fold_similarity(const char *a, const char *b)
{
    return fold_similarity_atleast(a, b, 0.0);
}

double fold_similarity_atleast(const char *a, const char *b, double floor)
{
    if (!a) a = "";
    if (!b) b = "";
    if (strcmp(a, b) == 0) return 1.0;
    if (!*a || !*b) return 0.0;
    /* the edit distance only matters where it beats the Jaccard index and
     * the floor: bounded there, it stops as soon as it cannot */
    double j = jaccard(a, b);
    double l = fold_lev_similarity(a, b, floor > j ? floor : j, 1024);
    double r = j > l ? j : l;
    return r < 0.0 ? 0.0 : r;
}

size_t fold_tokens(const char *key, fold_tok *t, size_t cap)
{
    size_t n = 0;
    while (*key && n < cap) {
        while (*key == ' ') key++;
        if (!*key) break;
        const char *e = strchr(key, ' ');
        size_t len = e ? (size_t)(e - key) : strlen(key);
        bool dup = false;
        for (size_t i = 0; i < n && !dup; i++) dup = t[i].n == len && memcmp(t[i].p, key, len) == 0;
        if (!dup) t[n++] = (fold_tok){ key, len };
        key += len;
    }
    return n;
}

/* Are the tokens of the shorter list all in the longer one, in the same
 * order (a phrase with words added: "viên chức | đơn vị sự nghiệp")? */
static bool tokens_in_order(const fold_tok *small, size_t ns, const fold_tok *large, size_t nl)
{
    size_t j = 0;
    for (size_t i = 0; i < ns; i++) {
        while (j < nl && !(large[j].n == small[i].n && memcmp(large[j].p, small[i].p, small[i].n) == 0))
            j++;
        if (j == nl) return false;
        j++;
    }
    return true;
}

double fold_match_score(const char *q, const char *a, bool *phrase)
{
    fold_tok tq[FOLD_MATCH_TOKENS], ta[FOLD_MATCH_TOKENS];
    size_t nq = fold_tokens(q, tq, FOLD_MATCH_TOKENS), na = fold_tokens(a, ta, FOLD_MATCH_TOKENS);
    if (phrase) *phrase = false;
    if (!nq || !na) return 0;
    size_t inter = 0;
    for (size_t i = 0; i < nq; i++)
        for (size_t j = 0; j < na; j++)
            if (tq[i].n == ta[j].n && memcmp(tq[i].p, ta[j].p, tq[i].n) == 0) { inter++; break; }
    double s = (double)inter / (double)(nq + na - inter);
    size_t small = nq < na ? nq : na, large = nq < na ? na : nq;
    if (inter == small) {
        bool ordered = nq < na ? tokens_in_order(tq, nq, ta, na) : tokens_in_order(ta, na, tq, nq);
        double cs = 0.5 + 0.5 * (double)small / (double)large;
        if (!ordered) cs *= 0.9;
        if (cs > s) s = cs;
        if (phrase && ordered && na <= nq) *phrase = true;
    }
    /* typos only, and only when the Levenshtein score could win: a bound
     * of max(0.9, s) decides it exactly with the cut-offs */
    double l = fold_lev_similarity(q, a, s > 0.9 ? s : 0.9, FOLD_MATCH_LEV_MAX);
    if (l >= 0.9 && l > s) s = l;
    return s;
}
