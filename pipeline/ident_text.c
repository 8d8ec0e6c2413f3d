/* pipeline/ident_text.c — years and dates in a text (see ident.h): word
 * tokens of a raw text, the report year of a title or a cut-off phrase, and
 * the footer's place-and-date line. The rest of identification is ident.c. */
#include "pipeline/ident.h"
#include "pipeline/ident_private.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/fold.h"

/* ---- word tokens of a raw text (years and dates) ------------------------------------------ */

typedef struct {
    char w[24];          /* folded: lower-case ASCII letters, or digits          */
    size_t len;
    bool num;            /* all ASCII digits                                      */
    char sep;            /* separator before it: '/', '-', '.', ',', ':', ' ',
                            '?' (several kinds), 0 (none: a letter–digit split) */
} wtok;

typedef struct {
    wtok *t;
    size_t n, cap;
} wtoks;

/* Separator class of a code point that is neither letter, digit nor mark. */
static char sep_class(utf8proc_int32_t cp)
{
    if (cp == '/' || cp == '.' || cp == ',' || cp == ':') return (char)cp;
    if (cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212) return '-';
    return ' ';
}

/* Start a new token; false on OOM. */
static bool wt_push(wtoks *ws, bool num, char sep)
{
    if (!buf_grow_array((void **)&ws->t, &ws->cap, ws->n + 1, sizeof *ws->t)) return false;
    wtok *t = &ws->t[ws->n++];
    t->len = 0;
    t->num = num;
    t->sep = sep;
    return true;
}

/* Split text into folded word and number tokens, with the separator before
 * each; false on OOM. Words longer than the token buffer are cut (they then
 * equal no keyword, which is all that matters). */
static bool tokenize(const char *text, size_t n, wtoks *ws)
{
    ws->t = NULL;
    ws->n = ws->cap = 0;
    const utf8proc_uint8_t *s = (const utf8proc_uint8_t *)text;
    char sep = 0;          /* pending separator: 0 none yet                        */
    bool in_tok = false;   /* the previous code point continued a token            */
    size_t i = 0;
    while (i < n) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(s + i, (utf8proc_ssize_t)(n - i), &cp);
        if (k <= 0) { k = 1; cp = ' '; }                   /* invalid byte: a space */
        i += (size_t)k;
        utf8proc_category_t c = utf8proc_category(cp);
        if (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) continue;  /* diacritic */
        bool digit = cp >= '0' && cp <= '9';
        bool letter = c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO;
        if (!digit && !letter) {
            char sc = sep_class(cp);
            if (!in_tok && sep != 0) {                      /* a run of separators */
                if (sep == ' ') sep = sc;
                else if (sc != ' ' && sc != sep) sep = '?';
            } else {
                sep = sc;
            }
            in_tok = false;
            continue;
        }
        /* Fold the letter: decomposed, case folded, marks stripped. */
        utf8proc_int32_t d[8];
        int bc = 0;
        utf8proc_ssize_t dn = 1;
        d[0] = cp;
        if (letter) {
            if (cp == 0x0110 || cp == 0x0111 || cp == 0x00D0 || cp == 0x00F0) d[0] = 'd';
            else {
                dn = utf8proc_decompose_char(cp, d, 8, UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT |
                                                        UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
                                             &bc);
                if (dn < 0 || dn > 8) { dn = 1; d[0] = '?'; }
            }
        }
        bool need_new = !in_tok || ws->n == 0 || ws->t[ws->n - 1].num != digit;
        if (need_new) {
            if (!wt_push(ws, digit, in_tok ? 0 : sep)) return false;
            sep = ' ';
        }
        in_tok = true;
        wtok *t = &ws->t[ws->n - 1];
        for (utf8proc_ssize_t j = 0; j < dn; j++) {
            utf8proc_int32_t x = d[j];
            if (t->len + 1 >= sizeof t->w) break;
            t->w[t->len++] = x < 0x80 ? (char)x : '?';
        }
        t->w[t->len] = '\0';
    }
    return true;
}

/* True when token i is the folded word w. */
static bool tok_is(const wtoks *ws, size_t i, const char *w)
{
    return i < ws->n && !ws->t[i].num && strcmp(ws->t[i].w, w) == 0;
}

/* The value of a numeric token of at most maxd digits, else -1. */
static int tok_num(const wtoks *ws, size_t i, size_t maxd)
{
    if (i >= ws->n || !ws->t[i].num || ws->t[i].len > maxd) return -1;
    return atoi(ws->t[i].w);
}

/* The separators that join the parts of a date or a range. */
static bool is_date_sep(char c) { return c == '/' || c == '-' || c == '.'; }

/* Year strength of token i: 0 not a report year, 1 bare (weak), 2 strong. */
static int year_strength(const wtoks *ws, size_t i)
{
    const wtok *t = &ws->t[i];
    if (!t->num || t->len != 4) return 0;
    int y = atoi(t->w);
    if (y < YEAR_MIN || y > YEAR_MAX) return 0;
    /* Part of a date or a range: a number joined to it by "/", "-" or ".". */
    if (i > 0 && is_date_sep(t->sep) && ws->t[i - 1].num) return 0;
    if (i + 1 < ws->n && is_date_sep(ws->t[i + 1].sep) && ws->t[i + 1].num) return 0;
    if (i + 1 < ws->n && ws->t[i + 1].sep == '/') return 0;     /* "2023/QĐ-UBND" */
    if (i > 0 && tok_is(ws, i - 1, "nam")) {
        /* "ngày 15 tháng 01 năm 2024", "ngày … tháng … năm 2024": a date. */
        for (size_t back = 2; back <= 4 && back <= i; back++)
            if (tok_is(ws, i - back, "thang") || tok_is(ws, i - back, "ngay")) return 0;
        return 2;
    }
    if (i >= 2 && tok_is(ws, i - 2, "bao") && tok_is(ws, i - 1, "cao")) return 2;
    return 1;
}

/* Years in a token list: the agreed year of the strongest kind found,
 * 0 when none or when they disagree. *strength gets that kind (0 none). */
static int years_of(const wtoks *ws, int *strength)
{
    int found[3] = { 0, 0, 0 };
    bool clash[3] = { false, false, false };
    for (size_t i = 0; i < ws->n; i++) {
        int s = year_strength(ws, i);
        if (!s) continue;
        int y = atoi(ws->t[i].w);
        if (found[s] && found[s] != y) clash[s] = true;
        found[s] = y;
    }
    for (int s = 2; s >= 1; s--)
        if (found[s]) {
            *strength = s;
            return clash[s] ? 0 : found[s];
        }
    *strength = 0;
    return 0;
}

/* See ident_private.h. */
int ident_year_strength(const char *text, size_t n, int *strength)
{
    *strength = 0;
    if (!text) return 0;
    wtoks ws;
    if (!tokenize(text, n, &ws)) { free(ws.t); return 0; }
    int y = years_of(&ws, strength);
    free(ws.t);
    return y;
}

int ident_year_in_text(const char *text, size_t n)
{
    int strength;
    return ident_year_strength(text, n, &strength);
}

/* ---- footer dates ---------------------------------------------------------------------------- */

/* True when (y, m, d) is a real calendar day in the accepted years. */
static bool valid_date(int y, int m, int d)
{
    static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (y < YEAR_MIN || y > YEAR_MAX || m < 1 || m > 12 || d < 1) return false;
    int md = mdays[m - 1];
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) md = 29;
    return d <= md;
}

/* True when the "ngày" at token i cites a document ("45/KH-UBND ngày …"):
 * walking back over letter tokens joined by "-" or "/" reaches "NUMBER/". */
static bool cites_document(const wtoks *ws, size_t i)
{
    size_t j = i;
    while (j > 0) {
        const wtok *t = &ws->t[j - 1];
        if (t->num) return false;
        if (t->sep == '/') return j >= 2 && ws->t[j - 2].num;
        if (t->sep != '-' && t->sep != 0) return false;
        j--;
    }
    return false;
}

/* The date at "ngày" token i as YYYYMMDD, or 0. */
static int date_at(const wtoks *ws, size_t i)
{
    int d = tok_num(ws, i + 1, 2);
    if (d < 0) return 0;
    int m, y;
    if (tok_is(ws, i + 2, "thang") && tok_is(ws, i + 4, "nam")) {
        m = tok_num(ws, i + 3, 2);
        y = tok_num(ws, i + 5, 4);
        if (i + 5 >= ws->n || ws->t[i + 5].len != 4) return 0;
    } else {
        m = tok_num(ws, i + 2, 2);
        y = tok_num(ws, i + 3, 4);
        if (m < 0 || y < 0 || ws->t[i + 3].len != 4) return 0;
        char sp = ws->t[i + 2].sep;
        if (!is_date_sep(sp) || ws->t[i + 3].sep != sp) return 0;
    }
    if (!valid_date(y, m, d)) return 0;
    return y * 10000 + m * 100 + d;
}

/* The first report date of a token list, 0 none. */
static int footer_date_of(const wtoks *ws)
{
    for (size_t i = 0; i < ws->n; i++) {
        if (!tok_is(ws, i, "ngay")) continue;
        if (i > 0 && (tok_is(ws, i - 1, "den") || tok_is(ws, i - 1, "tu") ||
                      tok_is(ws, i - 1, "truoc") || tok_is(ws, i - 1, "sau")))
            continue;                          /* a period or a deadline, not a signature */
        if (cites_document(ws, i)) continue;
        int v = date_at(ws, i);
        if (v) return v;
    }
    return 0;
}

/* Cheap test before tokenizing: a cut-off date has "31" and "12". */
static bool may_hold_cutoff(const char *t, size_t n)
{
    bool d31 = false, m12 = false;
    for (size_t i = 0; i + 1 < n; i++) {
        if (t[i] == '3' && t[i + 1] == '1') d31 = true;
        if (t[i] == '1' && t[i + 1] == '2') m12 = true;
    }
    return d31 && m12;
}

/* The year of a cut-off date "(số liệu tính) đến (ngày) 31/12/YYYY" — the
 * stock a report counts is at the end of its year — 0 none or several. */
static int cutoff_year_of(const wtoks *ws)
{
    int year = 0;
    for (size_t i = 0; i < ws->n; i++) {
        if (!tok_is(ws, i, "den")) continue;
        size_t j = tok_is(ws, i + 1, "ngay") ? i + 1 : i;
        int v = date_at(ws, j);
        if (!v || v % 10000 != 1231) continue;
        if (year && year != v / 10000) return 0;
        year = v / 10000;
    }
    return year;
}

int ident_cutoff_year(const char *text, size_t n)
{
    if (!text || !may_hold_cutoff(text, n)) return 0;
    wtoks ws;
    if (!tokenize(text, n, &ws)) { free(ws.t); return 0; }
    int y = cutoff_year_of(&ws);
    free(ws.t);
    return y;
}

int ident_title_year(const char *text, size_t n)
{
    int strength, y = ident_year_strength(text, n, &strength);
    if (y && strength == 2) return y;
    return ident_cutoff_year(text, n);
}

int ident_footer_date(const char *text, size_t n)
{
    if (!text) return 0;
    wtoks ws;
    if (!tokenize(text, n, &ws)) { free(ws.t); return 0; }
    int v = footer_date_of(&ws);
    free(ws.t);
    return v;
}

/* See ident_private.h. */
bool ident_is_date_line(const char *key, size_t n)
{
    const char *p = key;
    for (;;) {
        const char *h = strstr(p, "ngay");
        if (!h || (size_t)(h - key) >= n) return false;
        bool start = h == key || h[-1] == ' ';
        bool end = h[4] == ' ' || h[4] == '\0';
        if (start && end && strstr(h, " thang ")) return true;
        p = h + 4;
    }
}
