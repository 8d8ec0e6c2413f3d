/* input/xmlscan.c — the streaming XML scanner of the big .xlsx parts (see xmlscan.h). */
#include "input/xmlscan.h"

#include "base/buf.h"

#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* ---- private: types --------------------------------------------------------- */

/* One attribute of the start tag being read: offsets from the tag's '<'. */
typedef struct {
    size_t name, name_end, val, val_end;
    bool decode;            /* holds '&' or a blank to normalize          */
} xs_attr;

struct xs_parser {
    xs_handlers h;
    unsigned max_depth;
    size_t max_token;
    char *buf;              /* input: [pos, valid) checked and not consumed  */
    size_t len, pos, cap, valid;
    uint64_t base;          /* document offset of buf[0]                    */
    char *names;            /* open elements' names, each NUL-terminated    */
    size_t nlen, ncap;
    size_t *nstart;         /* start of each open element's name in names   */
    size_t depth, capdepth;
    xs_attr *ar;
    size_t capar;
    const char **atts;
    size_t capatts;
    size_t nflat;           /* h.flat_names (at most XS_FLAT_NAMES used)     */
    size_t flat_len[XS_FLAT_NAMES];
    bool started;           /* the byte-order mark was looked for           */
    uint64_t decl_at;       /* offset where an XML declaration may be       */
    bool root_done;         /* the root element ended                       */
    bool stopped;
    const char *bad_msg;    /* buf[valid] is a bad byte, reported when reached */
    size_t retry;           /* bytes from pos before an unfinished token is tried again */
    xs_status st;
    const char *msg;
    uint64_t err_off;
};

/* Byte classes. */
enum { C_WS = 1, C_NAME_END = 2, C_TEXT_SPECIAL = 4, C_ATTR_SPECIAL = 8, C_BAD_NAME = 16, C_LT = 32,
       C_QUOTE = 64, C_COLON = 128 };
/* Byte classes: blanks, what ends a name, what text and attribute values
 * must decode, and ASCII that no XML name holds. */
static const unsigned char cls[256] = {
    [' '] = C_WS | C_NAME_END,
    ['\t'] = C_WS | C_NAME_END | C_ATTR_SPECIAL,
    ['\n'] = C_WS | C_NAME_END | C_ATTR_SPECIAL,
    ['\r'] = C_WS | C_NAME_END | C_ATTR_SPECIAL | C_TEXT_SPECIAL,
    ['/'] = C_NAME_END,
    ['>'] = C_NAME_END,
    ['='] = C_NAME_END,
    ['<'] = C_NAME_END | C_BAD_NAME | C_LT,
    ['"'] = C_NAME_END | C_BAD_NAME | C_QUOTE,
    ['!'] = C_NAME_END | C_BAD_NAME,
    ['#'] = C_NAME_END | C_BAD_NAME,
    ['$'] = C_NAME_END | C_BAD_NAME,
    ['%'] = C_NAME_END | C_BAD_NAME,
    ['('] = C_NAME_END | C_BAD_NAME,
    [')'] = C_NAME_END | C_BAD_NAME,
    ['*'] = C_NAME_END | C_BAD_NAME,
    ['+'] = C_NAME_END | C_BAD_NAME,
    [','] = C_NAME_END | C_BAD_NAME,
    [';'] = C_NAME_END | C_BAD_NAME,
    ['?'] = C_NAME_END | C_BAD_NAME,
    ['@'] = C_NAME_END | C_BAD_NAME,
    ['['] = C_NAME_END | C_BAD_NAME,
    ['\\'] = C_NAME_END | C_BAD_NAME,
    ['^'] = C_NAME_END | C_BAD_NAME,
    ['`'] = C_NAME_END | C_BAD_NAME,
    ['{'] = C_NAME_END | C_BAD_NAME,
    ['|'] = C_NAME_END | C_BAD_NAME,
    ['}'] = C_NAME_END | C_BAD_NAME,
    ['~'] = C_NAME_END | C_BAD_NAME,
    [':'] = C_COLON,
    ['&'] = C_NAME_END | C_BAD_NAME | C_TEXT_SPECIAL | C_ATTR_SPECIAL,
    [']'] = C_NAME_END | C_BAD_NAME | C_TEXT_SPECIAL,
    ['\''] = C_NAME_END | C_BAD_NAME | C_QUOTE,
};

/* The first byte of p[0..e) that is '<', '&', '\r' or ']' (the bytes that
 * end or change a text), or e: 16 bytes at a time where SSE2 is. */
static char *text_stop(char *p, const char *e)
{
#ifdef __SSE2__
    const __m128i lt = _mm_set1_epi8('<'), amp = _mm_set1_epi8('&'), cr = _mm_set1_epi8('\r'),
                  br = _mm_set1_epi8(']');
    while (e - p >= 16) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, lt), _mm_cmpeq_epi8(x, amp)),
                                 _mm_or_si128(_mm_cmpeq_epi8(x, cr), _mm_cmpeq_epi8(x, br)));
        unsigned bits = (unsigned)_mm_movemask_epi8(m);
        if (bits) return p + __builtin_ctz(bits);
        p += 16;
    }
#endif
    while (p < e && !(cls[(unsigned char)*p] & (C_TEXT_SPECIAL | C_LT))) p++;
    return p;
}

/* Are the 16 bytes at p all in 0x20..0x7F (no check needed)? */
static bool plain16(const unsigned char *p)
{
#ifdef __SSE2__
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    return _mm_movemask_epi8(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20))) == 0;   /* signed: >= 0x80 too */
#else
    uint64_t w[2];
    memcpy(w, p, 16);
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    return (((w[0] | ((w[0] - 0x20 * ones) & ~w[0])) | (w[1] | ((w[1] - 0x20 * ones) & ~w[1]))) &
            highs) == 0;
#endif
}

/* ---- private: errors ----------------------------------------------------------- */

static bool fail(xs_parser *xs, xs_status st, const char *msg, const char *at)
{
    if (xs->st == XS_OK) {
        xs->st = st;
        xs->msg = msg;
        xs->err_off = xs->base + (uint64_t)(at - xs->buf);
    }
    return false;
}

static bool syntax(xs_parser *xs, const char *msg, const char *at)
{
    return fail(xs, XS_SYNTAX, msg, at);
}

/* ---- private: characters ------------------------------------------------------- */

/* Note the first bad byte at i: reported once everything before it is read
 * (errors come in document order, however the input is cut). */
static bool bad_byte(xs_parser *xs, const char *msg, size_t i)
{
    xs->bad_msg = msg;
    xs->valid = i;
    return false;
}

/* Check buf[valid, len) as UTF-8 made of XML characters; a sequence cut by
 * the end waits for the next chunk unless final. */
static bool check_utf8(xs_parser *xs, bool final)
{
    const unsigned char *s = (const unsigned char *)xs->buf;
    size_t i = xs->valid, n = xs->len;
    while (i < n) {
        if (i + 64 <= n && plain16(s + i) && plain16(s + i + 16) && plain16(s + i + 32) &&
            plain16(s + i + 48)) {
            i += 64;
            continue;
        }
        if (i + 16 <= n && plain16(s + i)) {
            i += 16;
            continue;
        }
        unsigned c = s[i];
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                return bad_byte(xs, "ký tự điều khiển không được phép trong XML", i);
            i++;
            continue;
        }
        size_t k = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (c < 0xC2 || c > 0xF4) return bad_byte(xs, "UTF-8 không hợp lệ", i);
        if (i + k > n) {
            if (final) return bad_byte(xs, "UTF-8 không hợp lệ (bị cắt cụt)", i);
            break;
        }
        unsigned c1 = s[i + 1];
        unsigned lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
        unsigned hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
        bool ok = c1 >= lo && c1 <= hi;
        for (size_t j = 2; ok && j < k; j++) ok = (s[i + j] & 0xC0) == 0x80;
        if (!ok) return bad_byte(xs, "UTF-8 không hợp lệ", i);
        if (c == 0xEF && c1 == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF))
            return bad_byte(xs, "ký tự U+FFFE/U+FFFF không được phép trong XML", i);
        i += k;
    }
    xs->valid = i;
    return true;
}

/* Write code point cp as UTF-8 at w; returns the end. */
static char *put_utf8(char *w, unsigned long cp)
{
    if (cp < 0x80) {
        *w++ = (char)cp;
    } else if (cp < 0x800) {
        *w++ = (char)(0xC0 | (cp >> 6));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *w++ = (char)(0xE0 | (cp >> 12));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *w++ = (char)(0xF0 | (cp >> 18));
        *w++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *w++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *w++ = (char)(0x80 | (cp & 0x3F));
    }
    return w;
}

/* The reference r[0] == '&' … semi[0] == ';' → its code point; false when it
 * is no predefined entity or a reference to a character XML forbids. */
static bool entity(const char *r, const char *semi, unsigned long *cp)
{
    const char *n = r + 1;
    size_t len = (size_t)(semi - n);
    if (len >= 2 && n[0] == '#') {
        unsigned long v = 0;
        bool hex = n[1] == 'x';
        const char *d = n + 1 + hex, *de = semi;
        if (d == de) return false;
        for (; d < de; d++) {
            unsigned c = (unsigned char)*d, dv;
            if (c >= '0' && c <= '9') dv = c - '0';
            else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f') dv = (c | 0x20) - 'a' + 10;
            else return false;
            v = v * (hex ? 16 : 10) + dv;
            if (v > 0x10FFFF) return false;
        }
        if (!(v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) ||
              (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000))
            return false;
        *cp = v;
        return true;
    }
    static const struct { const char *name; size_t len; char c; } pre[] = {
        {"lt", 2, '<'}, {"gt", 2, '>'}, {"amp", 3, '&'}, {"quot", 4, '"'}, {"apos", 4, '\''}};
    for (size_t i = 0; i < 5; i++)
        if (len == pre[i].len && memcmp(n, pre[i].name, len) == 0) {
            *cp = (unsigned char)pre[i].c;
            return true;
        }
    return false;
}

/* ---- private: text --------------------------------------------------------------- */

/* Decode the text p[0..n) in place (references, line ends) and hand it on.
 * more: the input may go on right after it, so an unfinished reference, a
 * final '\r' or ']' waits. Returns the bytes consumed, or -1 on error. */
static long scan_text(xs_parser *xs, char *p, size_t n, bool more)
{
    char *r = p, *w = p, *e = p + n;
    while (r < e) {
        char *q = text_stop(r, e);
        if (w != r) memmove(w, r, (size_t)(q - r));
        w += q - r;
        r = q;
        if (r == e) break;
        if (*r == '&') {
            size_t span = (size_t)(e - r) < 64 ? (size_t)(e - r) : 64;
            char *semi = memchr(r, ';', span);
            unsigned long cp;
            if (!semi && more && span < 64) break;
            if (!semi || !entity(r, semi, &cp))
                return syntax(xs, "tham chiếu thực thể không hợp lệ hoặc chưa khai báo", r), -1;
            w = put_utf8(w, cp);
            r = semi + 1;
        } else if (*r == '\r') {
            if (r + 1 == e && more) break;
            *w++ = '\n';
            r += (r + 1 < e && r[1] == '\n') ? 2 : 1;
        } else {   /* ']' */
            if (e - r >= 3 && r[1] == ']' && r[2] == '>')
                return syntax(xs, "chuỗi \"]]>\" trong nội dung", r), -1;
            if (more && (r + 1 == e || (r + 2 == e && r[1] == ']'))) break;
            *w++ = *r++;
        }
    }
    if (w > p && xs->h.chars) xs->h.chars(xs->h.ud, p, (size_t)(w - p));
    return (long)(r - p);
}

/* Text between markup at depth 0 may only be blanks. */
static bool outside_root(xs_parser *xs, const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!(cls[(unsigned char)p[i]] & C_WS))
            return syntax(xs, xs->root_done ? "văn bản sau phần tử gốc" : "văn bản trước phần tử gốc",
                          p + i);
    return true;
}

/* ---- private: tags ------------------------------------------------------------------ */

static bool name_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || c >= 0x80;
}

/* Skip blanks; returns how many. */
static inline size_t skip_ws(const char **s, const char *e)
{
    const char *p = *s;
    if (p < e && !(cls[(unsigned char)*p] & C_WS)) return 0;
    while (p < e && (cls[(unsigned char)*p] & C_WS)) p++;
    size_t n = (size_t)(p - *s);
    *s = p;
    return n;
}

/* Decode an attribute value in place (references; blanks and line ends
 * become spaces); its new end, or NULL on a bad reference. */
static char *decode_attr(xs_parser *xs, char *r, char *e)
{
    char *w = r;
    while (r < e) {
        char c = *r;
        if (c == '&') {
            char *semi = memchr(r, ';', (size_t)(e - r));
            unsigned long cp;
            if (!semi || !entity(r, semi, &cp))
                return syntax(xs, "tham chiếu thực thể không hợp lệ hoặc chưa khai báo", r), NULL;
            w = put_utf8(w, cp);
            r = semi + 1;
        } else if (c == '\r') {
            *w++ = ' ';
            r += (r + 1 < e && r[1] == '\n') ? 2 : 1;
        } else {
            *w++ = (c == '\n' || c == '\t') ? ' ' : c;
            r++;
        }
    }
    return w;
}

/* Room for n attributes. */
static bool attr_room(xs_parser *xs, size_t n)
{
    /* n + 1 attributes, and room for the name/value pointers of as many as
     * ar holds and the closing NULL (callers grow only when n reaches capar) */
    if (!buf_grow_array((void **)&xs->ar, &xs->capar, n + 1, sizeof *xs->ar) ||
        !buf_grow_array((void **)&xs->atts, &xs->capatts, 2 * xs->capar + 1, sizeof *xs->atts))
        return fail(xs, XS_NOMEM, "hết bộ nhớ", xs->buf);
    return true;
}

/* Read the attributes of a start tag from *sp up to its '>' (or "/>");
 * returns 1 done (*nat, *empty set), 0 when the tag goes on past e, -1 on
 * error. Offsets are from p, the tag's '<'. */
static int read_attrs(xs_parser *xs, char *p, const char **sp, const char *e, size_t *nat,
                      bool *empty)
{
    const char *s = *sp;
    size_t n = 0;
    for (;;) {
        size_t ws = skip_ws(&s, e);
        if (s == e) return 0;
        if (*s == '>' || *s == '/') {
            bool slash = *s == '/';
            if (slash) {
                if (s + 1 == e) return 0;
                if (s[1] != '>') return syntax(xs, "thẻ không đúng cú pháp", s), -1;
                s++;
            }
            *empty = slash;
            *sp = s + 1;
            *nat = n;
            return 1;
        }
        if (!ws) return syntax(xs, "thiếu khoảng trắng trước thuộc tính", s), -1;
        if (!name_start((unsigned char)*s)) return syntax(xs, "tên thuộc tính không hợp lệ", s), -1;
        const char *an = s;
        while (s < e && !(cls[(unsigned char)*s] & C_NAME_END)) s++;
        if (s == e) return 0;
        if (cls[(unsigned char)*s] & C_BAD_NAME) return syntax(xs, "tên thuộc tính không hợp lệ", s), -1;
        const char *ane = s;
        skip_ws(&s, e);
        if (s == e) return 0;
        if (*s != '=') return syntax(xs, "thuộc tính thiếu dấu =", s), -1;
        s++;
        skip_ws(&s, e);
        if (s == e) return 0;
        char q = *s;
        if (q != '"' && q != '\'') return syntax(xs, "giá trị thuộc tính thiếu dấu nháy", s), -1;
        const char *v = ++s, *ve = v;
        bool dec = false;
        for (;; ve++) {
            while (ve < e && !(cls[(unsigned char)*ve] & (C_QUOTE | C_LT | C_ATTR_SPECIAL))) ve++;
            if (ve == e) return 0;
            if (*ve == q) break;
            if (*ve == '<') return syntax(xs, "dấu < trong giá trị thuộc tính", ve), -1;
            if (cls[(unsigned char)*ve] & C_ATTR_SPECIAL) dec = true;
        }
        if (n >= xs->capar && !attr_room(xs, n)) return -1;
        xs->ar[n++] = (xs_attr){(size_t)(an - p), (size_t)(ane - p), (size_t)(v - p),
                                (size_t)(ve - p), dec};
        s = ve + 1;
    }
}

/* Push an element name on the open-element stack. */
static bool push_name(xs_parser *xs, const char *name, size_t len, const char *at)
{
    if (xs->depth >= xs->max_depth) return fail(xs, XS_DEPTH, "phần tử lồng quá sâu", at);
    if (!buf_grow_array((void **)&xs->nstart, &xs->capdepth, xs->depth + 1, sizeof *xs->nstart) ||
        !buf_grow_array((void **)&xs->names, &xs->ncap, xs->nlen + len + 1, 1))
        return fail(xs, XS_NOMEM, "hết bộ nhớ", at);
    xs->nstart[xs->depth++] = xs->nlen;
    char *d = xs->names + xs->nlen;
    if (len <= 8) {   /* the usual short name, without a call */
        for (size_t i = 0; i < len; i++) d[i] = name[i];
    } else {
        memcpy(d, name, len);
    }
    xs->nlen += len;
    xs->names[xs->nlen++] = '\0';
    return true;
}

/* Terminate names and values in the tag at p, decode values, check for a
 * repeated name, and fill xs->atts. */
static bool commit_attrs(xs_parser *xs, char *p, size_t nat)
{
    for (size_t i = 0; i < nat; i++) {
        xs_attr *a = &xs->ar[i];
        p[a->name_end] = '\0';
        char *ve = p + a->val_end;
        if (a->decode && !(ve = decode_attr(xs, p + a->val, ve))) return false;
        *ve = '\0';
        xs->atts[2 * i] = p + a->name;
        xs->atts[2 * i + 1] = p + a->val;
        size_t len = a->name_end - a->name;
        for (size_t k = 0; k < i; k++)
            if (xs->ar[k].name_end - xs->ar[k].name == len && xs->atts[2 * k][0] == p[a->name] &&
                memcmp(xs->atts[2 * k], p + a->name, len) == 0)
                return syntax(xs, "thuộc tính trùng tên", p + a->name);
    }
    xs->atts[2 * nat] = NULL;
    return true;
}

/* A start tag at p ('<' + name start); 1 done, 0 more input needed, -1 error. */
static int start_tag(xs_parser *xs, char *p, const char *e, size_t *used)
{
    const char *s = p + 1;
    if (!name_start((unsigned char)*s)) return syntax(xs, "tên thẻ không hợp lệ", s), -1;
    while (s < e && !(cls[(unsigned char)*s] & C_NAME_END)) s++;
    if (s == e) return 0;
    if (cls[(unsigned char)*s] & C_BAD_NAME || *s == '=')
        return syntax(xs, "tên thẻ không hợp lệ", s), -1;
    size_t name_len = (size_t)(s - p - 1);
    size_t nat = 0;
    bool empty = false;
    int r = read_attrs(xs, p, &s, e, &nat, &empty);
    if (r <= 0) return r;
    if (xs->depth == 0 && xs->root_done) return syntax(xs, "nhiều hơn một phần tử gốc", p), -1;
    if (nat == 0 && xs->capatts == 0 && !attr_room(xs, 0)) return -1;
    p[1 + name_len] = '\0';
    if (!commit_attrs(xs, p, nat)) return -1;
    if (!push_name(xs, p + 1, name_len, p)) return -1;
    *used = (size_t)(s - p);
    if (xs->h.start) xs->h.start(xs->h.ud, p + 1, xs->atts);
    if (empty && !xs->stopped) {
        xs->depth--;
        xs->nlen = xs->nstart[xs->depth];
        if (xs->depth == 0) xs->root_done = true;
        if (xs->h.end) xs->h.end(xs->h.ud, p + 1);
    }
    return 1;
}

/* An end tag at p ("</"). */
static int end_tag(xs_parser *xs, char *p, const char *e, size_t *used)
{
    char *s = p + 2;
    while (s < e && !(cls[(unsigned char)*s] & (C_WS | C_NAME_END))) s++;
    if (s == e) return 0;
    char *ne = s;
    const char *t = s;
    skip_ws(&t, e);
    if (t == e) return 0;
    if (*t != '>') return syntax(xs, "thẻ đóng không đúng cú pháp", t), -1;
    size_t len = (size_t)(ne - p - 2);
    if (xs->depth == 0) return syntax(xs, "thẻ đóng không có thẻ mở", p), -1;
    const char *open = xs->names + xs->nstart[xs->depth - 1];
    bool same = xs->nlen - 1 - xs->nstart[xs->depth - 1] == len;
    for (size_t i = 0; same && i < len; i++) same = open[i] == p[2 + i];
    if (!same) return syntax(xs, "thẻ đóng không khớp thẻ mở", p), -1;
    *ne = '\0';
    xs->depth--;
    xs->nlen = xs->nstart[xs->depth];
    if (xs->depth == 0) xs->root_done = true;
    *used = (size_t)(t + 1 - p);
    if (xs->h.end) xs->h.end(xs->h.ud, p + 2);
    return 1;
}

/* ---- private: other markup -------------------------------------------------------------- */

/* "<!--" comment: up to "-->", without "--" inside. */
static int comment(xs_parser *xs, const char *p, const char *e, size_t *used)
{
    const char *q = p + 4;
    for (;;) {
        q = memchr(q, '-', (size_t)(e - q));
        if (!q || q + 2 >= e) return 0;
        if (q[1] != '-') { q++; continue; }
        if (q[2] != '>') return syntax(xs, "chú thích chứa \"--\"", q), -1;
        *used = (size_t)(q + 3 - p);
        return 1;
    }
}

/* "<?target …?>": skipped; an XML declaration only at the very start. */
static int pi(xs_parser *xs, const char *p, const char *e, size_t *used)
{
    const char *q = p + 2;
    for (;;) {
        q = memchr(q, '?', (size_t)(e - q));
        if (!q || q + 1 >= e) return 0;
        if (q[1] == '>') break;
        q++;
    }
    const char *t = p + 2, *te = t;
    while (te < q && !(cls[(unsigned char)*te] & C_WS)) te++;
    if (te == t || !name_start((unsigned char)*t)) return syntax(xs, "chỉ thị xử lý không hợp lệ", p), -1;
    if (te - t == 3 && memcmp(t, "xml", 3) == 0 &&
        xs->base + (uint64_t)(p - xs->buf) != xs->decl_at)
        return syntax(xs, "khai báo XML không ở đầu tệp", p), -1;
    *used = (size_t)(q + 2 - p);
    return 1;
}

/* "<![CDATA[…]]>": its text literally (line ends read as "\n"). */
static int cdata(xs_parser *xs, char *p, const char *e, size_t *used)
{
    if (xs->depth == 0) return syntax(xs, "CDATA ngoài phần tử gốc", p), -1;
    char *q = p + 9;
    for (;;) {
        q = memchr(q, ']', (size_t)(e - q));
        if (!q || q + 2 >= e) return 0;
        if (q[1] == ']' && q[2] == '>') break;
        q++;
    }
    char *w = p + 9;
    for (char *r = p + 9; r < q;) {
        if (*r == '\r') {
            *w++ = '\n';
            r += (r + 1 < q && r[1] == '\n') ? 2 : 1;
        } else {
            *w++ = *r++;
        }
    }
    if (w > p + 9 && xs->h.chars) xs->h.chars(xs->h.ud, p + 9, (size_t)(w - p - 9));
    *used = (size_t)(q + 3 - p);
    return 1;
}

/* Any markup at p ('<'); 1 done, 0 more input needed, -1 error. */
static int markup(xs_parser *xs, char *p, const char *e, size_t *used)
{
    if (e - p < 2) return 0;
    switch (p[1]) {
    case '/': return end_tag(xs, p, e, used);
    case '?': return pi(xs, p, e, used);
    case '!':
        if (e - p >= 4 && memcmp(p, "<!--", 4) == 0) return comment(xs, p, e, used);
        if (e - p < 9) return 0;
        if (memcmp(p, "<![CDATA[", 9) == 0) return cdata(xs, p, e, used);
        if (memcmp(p, "<!DOCTYPE", 9) == 0)
            return fail(xs, XS_DOCTYPE, "tệp chứa DTD (<!DOCTYPE>)", p), -1;
        return syntax(xs, "cú pháp <! không hợp lệ", p), -1;
    default: return start_tag(xs, p, e, used);
    }
}

/* ---- private: small elements read whole (xs_handlers.flat) -------------------------------- */

/* A start tag read by flat_tag: pointers into the buffer, not yet terminated. */
typedef struct {
    char *name, *name_end;
    size_t nat;
    char *an[XS_FLAT_ATTS], *ane[XS_FLAT_ATTS], *av[XS_FLAT_ATTS], *ave[XS_FLAT_ATTS];
    bool empty;             /* "/>" */
} flat_tag;

/* Do a[0..n) and b[0..n) hold the same bytes? (names are short: no call) */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i]) return false;
    return true;
}

/* An attribute a flat element may not take: one that declares a namespace. */
static bool xmlns_attr(const char *a, size_t len)
{
    return len >= 5 && memcmp(a, "xmlns", 5) == 0 && (len == 5 || a[5] == ':');
}

/* Read the start tag at p ('<') when it is plain (see xs_handlers.flat):
 * an unprefixed name, at most maxat attributes written name="value" (or
 * 'value') with nothing to decode, none repeated, no xmlns. Returns the byte
 * after it, or NULL when it is not plain or does not end before e. */
static char *flat_tag_read(char *p, const char *e, flat_tag *t, size_t maxat)
{
    char *s = p + 1;
    if (s >= e || !name_start((unsigned char)*s)) return NULL;
    t->name = s;
    while (s < e && !(cls[(unsigned char)*s] & (C_NAME_END | C_COLON))) s++;
    if (s == e || (cls[(unsigned char)*s] & (C_BAD_NAME | C_COLON)) || *s == '=') return NULL;
    t->name_end = s;
    t->nat = 0;
    for (;;) {
        char *ws = s;
        if (s < e && *s == ' ') s++;   /* the usual single blank */
        while (s < e && (cls[(unsigned char)*s] & C_WS)) s++;
        if (s == e) return NULL;
        if (*s == '>' || *s == '/') {
            t->empty = *s == '/';
            if (t->empty && (s + 1 == e || s[1] != '>')) return NULL;
            return s + 1 + t->empty;
        }
        if (s == ws || t->nat == maxat || !name_start((unsigned char)*s)) return NULL;
        char *an = s;
        while (s < e && !(cls[(unsigned char)*s] & C_NAME_END)) s++;
        if (e - s < 2 || *s != '=' || (s[1] != '"' && s[1] != '\'')) return NULL;
        size_t alen = (size_t)(s - an);
        if (*an == 'x' && xmlns_attr(an, alen)) return NULL;
        for (size_t k = 0; k < t->nat; k++)
            if ((size_t)(t->ane[k] - t->an[k]) == alen && same_bytes(t->an[k], an, alen))
                return NULL;
        char q = s[1], *v = s + 2, *ve = v;
        while (ve < e && !(cls[(unsigned char)*ve] & (C_QUOTE | C_LT | C_ATTR_SPECIAL))) ve++;
        if (ve == e || *ve != q) return NULL;
        t->an[t->nat] = an;
        t->ane[t->nat] = s;
        t->av[t->nat] = v;
        t->ave[t->nat++] = ve;
        s = ve + 1;
    }
}

/* The end tag of `name` at p ("</"): the byte after it, or NULL. */
static char *flat_end_read(char *p, const char *e, const char *name, size_t len)
{
    char *s = p + 2 + len;
    if (s >= e || !same_bytes(p + 2, name, len)) return NULL;
    while (s < e && (cls[(unsigned char)*s] & C_WS)) s++;
    return s < e && *s == '>' ? s + 1 : NULL;
}

/* Is the name at p + 1 one of the handlers' flat names? */
static bool flat_wanted(const xs_parser *xs, const char *p, const char *e)
{
    for (size_t i = 0; i < xs->nflat; i++) {
        const char *n = xs->h.flat_names[i];
        size_t len = xs->flat_len[i];
        if (p[1] == n[0] && (size_t)(e - p) > len + 1 && same_bytes(p + 1, n, len) &&
            (cls[(unsigned char)p[1 + len]] & C_NAME_END))
            return true;
    }
    return false;
}

/* Terminate a read tag's name and attributes in place; its atts list. */
static void flat_commit(flat_tag *t, const char **atts)
{
    *t->name_end = '\0';
    for (size_t i = 0; i < t->nat; i++) {
        *t->ane[i] = '\0';
        *t->ave[i] = '\0';
        atts[2 * i] = t->an[i];
        atts[2 * i + 1] = t->av[i];
    }
    atts[2 * t->nat] = NULL;
}

/* The children of the element whose start tag ended at s, up to and with
 * its end tag: the byte after it, or NULL when the element is not flat. */
static char *flat_kids(char *s, const char *e, const flat_tag *top, flat_tag *kids, char **text,
                       char **text_end, size_t *nk)
{
    size_t len = (size_t)(top->name_end - top->name);
    for (*nk = 0;; ++*nk) {
        if (e - s < 2 || *s != '<') return NULL;     /* text or blanks between children */
        if (s[1] == '/') return flat_end_read(s, e, top->name, len);
        flat_tag *k = &kids[*nk];
        if (*nk == XS_FLAT_KIDS || !(s = flat_tag_read(s, e, k, XS_FLAT_KID_ATTS))) return NULL;
        text[*nk] = text_end[*nk] = NULL;   /* an empty-element child: no text */
        if (k->empty) continue;
        text[*nk] = s;
        char *q = text_stop(s, e);
        if (e - q < 2 || *q != '<' || q[1] != '/') return NULL;
        text_end[*nk] = q;
        if (!(s = flat_end_read(q, e, k->name, (size_t)(k->name_end - k->name)))) return NULL;
    }
}

/* Try to read the element at p ('<') whole and hand it to the flat
 * handler; the bytes consumed, or 0 when it must go through the events. */
static size_t flat_element(xs_parser *xs, char *p, const char *e)
{
    if (xs->depth == 0 || xs->depth + 2 > xs->max_depth || !flat_wanted(xs, p, e)) return 0;
    flat_tag top, kids[XS_FLAT_KIDS];
    char *text[XS_FLAT_KIDS], *text_end[XS_FLAT_KIDS];
    size_t nk = 0;
    char *s = flat_tag_read(p, e, &top, XS_FLAT_ATTS);
    if (s && !top.empty) s = flat_kids(s, e, &top, kids, text, text_end, &nk);
    if (!s || (size_t)(s - p) > xs->max_token) return 0;
    const char *atts[2 * XS_FLAT_ATTS + 1], *katts[XS_FLAT_KIDS][2 * XS_FLAT_KID_ATTS + 1];
    xs_child kid[XS_FLAT_KIDS];
    flat_commit(&top, atts);
    for (size_t i = 0; i < nk; i++) {
        flat_commit(&kids[i], katts[i]);
        kid[i] = (xs_child){kids[i].name, katts[i], "", 0};
        if (!text[i]) continue;
        *text_end[i] = '\0';   /* the '<' of its end tag, read already */
        kid[i].text = text[i];
        kid[i].len = (size_t)(text_end[i] - text[i]);
    }
    xs->h.flat(xs->h.ud, top.name, atts, kid, nk);
    return (size_t)(s - p);
}

/* ---- private: the loop -------------------------------------------------------------------- */

/* Consume what can be consumed of buf[pos, valid). */
static void run(xs_parser *xs, bool final)
{
    char *end = xs->buf + xs->valid;
    bool all = (final && xs->valid == xs->len) || xs->bad_msg;
    while (xs->pos < xs->valid && xs->st == XS_OK && !xs->stopped) {
        char *p = xs->buf + xs->pos;
        if (*p != '<') {
            if (xs->depth > 0) {     /* the common short value: no reference, no '\r' */
                char *q = text_stop(p, end);
                if (q < end && *q == '<') {
                    if (xs->h.chars) xs->h.chars(xs->h.ud, p, (size_t)(q - p));
                    xs->pos = (size_t)(q - xs->buf);
                    continue;
                }
            }
            char *lt = memchr(p, '<', (size_t)(end - p));
            char *te = lt ? lt : end;
            if (xs->depth == 0) {
                if (!outside_root(xs, p, (size_t)(te - p))) return;
                xs->pos = (size_t)(te - xs->buf);
                continue;
            }
            long used = scan_text(xs, p, (size_t)(te - p), !lt && !all);
            if (used < 0) return;
            if (used == 0) break;
            xs->pos += (size_t)used;
            continue;
        }
        size_t used = 0;
        if (!all && (size_t)(end - p) < xs->retry) {   /* still too short to end */
            if ((size_t)(end - p) > xs->max_token) fail(xs, XS_TOKEN, "một thẻ XML quá dài", p);
            break;
        }
        if (xs->h.flat && p + 1 < end && p[1] != '/' && (used = flat_element(xs, p, end)) > 0) {
            xs->retry = 0;
            xs->pos += used;
            continue;
        }
        int r = markup(xs, p, end, &used);
        if (r < 0) return;
        xs->retry = 0;
        if (r == 0) {
            /* an unfinished token is read again only once its bytes have
             * doubled: a long token over many small chunks stays linear */
            xs->retry = 2 * (size_t)(end - p);
            if (all) {
                if (!xs->bad_msg) syntax(xs, "tệp kết thúc giữa một thẻ", p);
                return;
            }
            if ((size_t)(end - p) > xs->max_token) fail(xs, XS_TOKEN, "một thẻ XML quá dài", p);
            break;
        }
        xs->pos += used;
    }
    if (xs->stopped && xs->st == XS_OK) xs->st = XS_STOPPED;
    if (xs->st != XS_OK || !all || xs->bad_msg) return;
    if (xs->pos < xs->len) {
        syntax(xs, "tệp kết thúc giữa chừng", xs->buf + xs->pos);
    } else if (!xs->root_done) {
        syntax(xs, xs->depth ? "phần tử chưa đóng khi hết tệp" : "không có phần tử gốc",
               xs->buf + xs->pos);
    }
}

/* ---- public ---------------------------------------------------------------------------------- */

xs_parser *xs_create(const xs_handlers *h, unsigned max_depth, size_t max_token)
{
    xs_parser *xs = calloc(1, sizeof *xs);
    if (!xs) return NULL;
    xs->h = *h;
    if (!h->flat || !h->flat_names) xs->h.flat = NULL;
    for (; xs->h.flat && xs->nflat < XS_FLAT_NAMES && h->flat_names[xs->nflat]; xs->nflat++)
        xs->flat_len[xs->nflat] = strlen(h->flat_names[xs->nflat]);
    xs->max_depth = max_depth;
    xs->max_token = max_token;
    return xs;
}

void xs_free(xs_parser *xs)
{
    if (!xs) return;
    free(xs->buf);
    free(xs->names);
    free(xs->nstart);
    free(xs->ar);
    free(xs->atts);
    free(xs);
}

char *xs_buffer(xs_parser *xs, size_t n)
{
    if (xs->pos > 0) {
        memmove(xs->buf, xs->buf + xs->pos, xs->len - xs->pos);
        xs->len -= xs->pos;
        xs->valid -= xs->pos;
        xs->base += xs->pos;
        xs->pos = 0;
    }
    if (n > SIZE_MAX / 2 - xs->len) return NULL;
    if (!buf_grow_array((void **)&xs->buf, &xs->cap, xs->len + n + 1, 1)) return NULL;
    return xs->buf + xs->len;
}

xs_status xs_parse(xs_parser *xs, size_t n, bool final)
{
    if (xs->st != XS_OK) return xs->st;
    xs->len += n;
    if (!xs->started) {
        if (xs->len < 3 && !final) return XS_OK;
        xs->started = true;
        if (xs->len >= 3 && memcmp(xs->buf, "\xEF\xBB\xBF", 3) == 0) {
            xs->pos = xs->valid = 3;
            xs->decl_at = 3;
        }
    }
    if (!xs->bad_msg) check_utf8(xs, final);
    run(xs, final);
    if (xs->st == XS_OK && xs->bad_msg) syntax(xs, xs->bad_msg, xs->buf + xs->valid);
    return xs->st;
}

void xs_stop(xs_parser *xs) { xs->stopped = true; }

const char *xs_error(const xs_parser *xs) { return xs->msg ? xs->msg : ""; }

uint64_t xs_error_offset(const xs_parser *xs) { return xs->err_off; }

bool xs_can_scan(const char *data, size_t n)
{
    if (n >= 2 && ((unsigned char)data[0] == 0xFE || (unsigned char)data[0] == 0xFF)) return false;
    size_t k = n < 512 ? n : 512;
    if (memchr(data, '\0', k)) return false;
    if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        k -= 3;
    }
    if (k < 6 || memcmp(data, "<?xml", 5) != 0 || !(cls[(unsigned char)data[5]] & C_WS)) {
        return true;
    }
    const char *end = memchr(data, '>', k);
    if (!end) return false;    /* a declaration longer than 512 bytes: let expat judge it */
    const char *enc = NULL;
    for (const char *s = data; s + 8 < end; s++)
        if (memcmp(s, "encoding", 8) == 0) { enc = s + 8; break; }
    if (!enc) return true;
    while (enc < end && (*enc == ' ' || *enc == '=' || *enc == '\t' || *enc == '\r' || *enc == '\n')) enc++;
    if (enc >= end || (*enc != '"' && *enc != '\'')) return false;
    enc++;
    return end - enc > 6 && (enc[0] | 0x20) == 'u' && (enc[1] | 0x20) == 't' && (enc[2] | 0x20) == 'f' &&
           enc[3] == '-' && enc[4] == '8' && (enc[5] == '"' || enc[5] == '\'');
}
