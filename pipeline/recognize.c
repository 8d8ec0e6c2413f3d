/* pipeline/recognize.c — form recognition (see recognize.h for the contract). */
#include "recognize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/arena.h"
#include "input/buf.h"
#include "input/text.h"
#include "input/fold.h"
#include "input/vnenc.h"
#include "input/workbook.h"
#include "pipeline/ident.h"
#include "pipeline/numparse.h"

/* ---- alias index ---------------------------------------------------------------- */

/* What an index entry names. */
enum {
    K_METRIC = 0, K_HEADING, K_BREAKDOWN, K_GROUP, K_SUBGROUP, K_TABLE, K_TOTAL, K_FOOTER,
    K_LBLHDR, K_FILLER
};

typedef struct {
    const char *key;     /* folded match key                                         */
    unsigned kind;
    const void *ent;     /* config entity (NULL for form words)                      */
} ix_entry;

/* ---- per-cell and per-sheet views ------------------------------------------------ */

/* Exact hits of a cell's keys in the index. */
enum {
    F_METRIC = 1u << 0, F_HEADING = 1u << 1, F_BREAKDOWN = 1u << 2, F_GROUP = 1u << 3,
    F_TOTAL = 1u << 4, F_ROWMETRIC = 1u << 5, F_TITLE = 1u << 6, F_FOOTER = 1u << 7,
    F_LBLHDR = 1u << 8, F_FILLER = 1u << 9, F_COLNUM = 1u << 10, F_COLNUM_DIGIT = 1u << 11
};
#define F_HEADER_WORD (F_METRIC | F_HEADING | F_BREAKDOWN | F_FILLER)

enum { FATE_OUTSIDE = 0, FATE_RECORDED, FATE_REJECTED };

typedef struct {
    const char *hk[3];   /* header keys: as written, without "(…)", without "Trong đó" */
    const char *lk[3];   /* label keys: numbering stripped (+ no "(…)", + no "Trong đó") */
    uint32_t flags;
    int colnum_lead;     /* leading integer of a column-number token, -1 none         */
    uint8_t fate;
    bool repaired;
} cinfo;

typedef struct {
    grid_sheet *s;       /* the repaired view                                        */
    cinfo *ci;           /* per cell                                                 */
    size_t *rowstart;    /* nrows + 1 entries                                        */
    size_t nrepaired;
    size_t first_repaired;
    vnenc_kind repaired_kind;
    bool has_table;
    uint32_t first_header_row;
} sheetx;

/* One column of a located table. */
typedef struct {
    const struct config_metric *metric;       /* NULL: none (Biểu 03 or unmapped) */
    const struct config_breakdown *bd;        /* NULL: unmapped                   */
    bool mapped;
    bool inherit;        /* breakdown-only path: metric taken from the left      */
    bool has_header;     /* some header text above it                            */
    bool holds_numbers;  /* (unmapped) a number in a data row                    */
    uint32_t hrow, hcol; /* the header cell named in findings                    */
    char htext[200];     /* its path, for messages                               */
} colmap;

typedef struct {
    uint32_t sheet;
    const struct config_table *table;
    const struct config_group *rows_group;    /* rows=metrics tables: "funding"   */
    uint32_t label_col, first_col, last_col;
    uint32_t hdr_top, hdr_bottom;
    uint32_t data_first, data_last;
    colmap *cols;                             /* last_col - first_col + 1         */
} rtable;

typedef struct {
    const char *group, *metric, *bd;
    double value;
    uint32_t sheet, row, col;
    int table;
    size_t cell;         /* index in the sheet's cells; SIZE_MAX for a blank       */
    bool total;
} pend;

typedef struct {
    const struct config *cfg;
    results *res;
    uint32_t src;
    arena mem;
    buf b1, b2, b3;
    ix_entry *ix;
    size_t nix, capix;
    sheetx *sx;
    size_t nsheets;
    grid_book view;
    rtable *tables;
    size_t ntables, captables;
    pend *pend;
    size_t npend, cappend;
    const char *unit;    /* unit code for findings, NULL unknown                   */
    const struct config_unit *unit_ent;
    int year;
    bool quiet;          /* the file is rejected (unit/year): its content raises
                            no findings of its own — "a rejected file has one
                            finding", the reason it was rejected               */
    const char *prefix[8]; /* form.subset_prefix, folded (fold_key)             */
    size_t nprefix;
    bool oom;
} rctx;

/* ---- small helpers -------------------------------------------------------------- */

/* Copy a buf's content into the arena (NULL on OOM). */
static const char *keep(rctx *c, const buf *b)
{
    const char *p = arena_strndup(&c->mem, buf_str(b), b->len);
    if (!p) c->oom = true;
    return p;
}

/* Is the key exactly p or does it start with p followed by a space? */
static bool key_starts(const char *key, const char *p)
{
    size_t n = strlen(p);
    return strncmp(key, p, n) == 0 && (key[n] == '\0' || key[n] == ' ');
}

/* Does the string hold an ASCII digit? */
static bool has_digit(const char *s)
{
    for (; *s; s++) if (*s >= '0' && *s <= '9') return true;
    return false;
}

/* A1 reference of (row, col). */
static void ref(uint32_t row, uint32_t col, char out[16])
{
    wb_cell_ref(row, col, out);
}

/* "Biểu 01" for a table (its position in the config, 1-based). */
static void table_name(const struct config_table *t, char out[32])
{
    snprintf(out, 32, "Biểu %02zu", t ? t->index + 1 : 0);
}

/* Copy at most n-1 bytes of s into out without cutting a UTF-8 sequence,
 * line breaks and tabs made spaces (the text goes into a one-line message). */
static void copy_utf8(char *out, size_t n, const char *s)
{
    text_copy_cut(out, n, s);
    for (char *p = out; *p; p++) if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
}

/* ---- folded keys ---------------------------------------------------------------- */

/* Roman numerals and other numbering tokens that open a row label. */
static bool numbering_token(const char *p, size_t n)
{
    static const char *const roman[] = {
        "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii", "xiii", "xiv", "xv",
    };
    if (n == 1 && p[0] >= 'a' && p[0] <= 'z') return true;
    bool digits = true;
    for (size_t i = 0; i < n; i++) if (p[i] < '0' || p[i] > '9') digits = false;
    if (digits) return true;
    for (size_t i = 0; i < sizeof roman / sizeof *roman; i++)
        if (strlen(roman[i]) == n && memcmp(roman[i], p, n) == 0) return true;
    return false;
}

/* Offset in a folded key after its leading numbering tokens (keeps one token). */
static size_t skip_numbering(const char *k)
{
    size_t at = 0;
    for (;;) {
        const char *sp = strchr(k + at, ' ');
        if (!sp) return at;                              /* keep the last token */
        size_t n = (size_t)(sp - (k + at));
        if (!numbering_token(k + at, n)) return at;
        at += n + 1;
    }
}

/* Offset after a leading form.subset_prefix ("trong do"), 0 when absent or
 * when nothing follows it. */
static size_t skip_trong_do(const rctx *c, const char *k)
{
    for (size_t i = 0; i < c->nprefix; i++) {
        size_t n = strlen(c->prefix[i]);
        if (strncmp(k, c->prefix[i], n) == 0 && k[n] == ' ' && k[n + 1]) return n + 1;
    }
    return 0;
}

/* Text without its "(…)" / "[…]" parts into out; false when nothing changed. */
static bool strip_parens(const char *s, size_t n, buf *out)
{
    buf_clear(out);
    int depth = 0;
    bool changed = false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '(' || ch == '[') { depth++; changed = true; continue; }
        if ((ch == ')' || ch == ']') && depth > 0) { depth--; continue; }
        if (depth == 0) buf_putc(out, ch);
    }
    return changed;
}

/* The expanded match key of folded[0..n) kept in the arena. */
static const char *expand_keep(rctx *c, const char *folded, size_t n)
{
    buf_clear(&c->b3);
    if (!fold_expand_abbrev(folded, n, &c->b3)) { c->oom = true; return NULL; }
    return keep(c, &c->b3);
}

/* Fill hk[] and lk[] of a text (duplicates left NULL). */
static void text_keys(rctx *c, const char *text, size_t len, cinfo *ci)
{
    buf_clear(&c->b1);
    if (!fold_key(text, len, &c->b1)) { c->oom = true; return; }
    const char *f = buf_str(&c->b1);
    size_t fn = c->b1.len;
    ci->hk[0] = expand_keep(c, f, fn);
    size_t td = skip_trong_do(c, f);
    if (td) ci->hk[2] = expand_keep(c, f + td, fn - td);
    size_t nb = skip_numbering(f);
    ci->lk[0] = nb ? expand_keep(c, f + nb, fn - nb) : ci->hk[0];
    size_t td2 = skip_trong_do(c, f + nb);
    if (td2) ci->lk[2] = expand_keep(c, f + nb + td2, fn - nb - td2);
    if (strip_parens(text, len, &c->b2)) {
        buf_clear(&c->b1);
        if (!fold_key(buf_str(&c->b2), c->b2.len, &c->b1)) { c->oom = true; return; }
        if (c->b1.len > 0) {
            f = buf_str(&c->b1);
            fn = c->b1.len;
            ci->hk[1] = expand_keep(c, f, fn);
            nb = skip_numbering(f);
            ci->lk[1] = expand_keep(c, f + nb, fn - nb);
        }
    }
}

/* Is this cell a column-number token ("A", "1", "(3)", "3=4+5")? Sets the
 * leading integer (-1 when it has no digit). */
static bool colnum_token(const grid_cell *cell, int *lead)
{
    *lead = -1;
    if (cell->type == WB_NUMBER) {
        if (cell->num >= 0 && cell->num <= 999 && cell->num == floor(cell->num)) {
            *lead = (int)cell->num;
            return true;
        }
        return false;
    }
    if (cell->type != WB_TEXT || cell->len == 0 || cell->len > 40) return false;
    bool prev_letter = false, any = false;
    for (size_t i = 0; i < cell->len; i++) {
        char ch = cell->text[i];
        bool letter = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
        bool digit = ch >= '0' && ch <= '9';
        if (letter && prev_letter) return false;
        if (!letter && !digit && !strchr("()+=-*/.,: ", ch)) return false;
        if (digit && *lead < 0) {
            int v = 0;
            size_t j = i;
            while (j < cell->len && cell->text[j] >= '0' && cell->text[j] <= '9' && v < 10000)
                v = v * 10 + (cell->text[j++] - '0');
            *lead = v;
        }
        if (letter || digit) any = true;
        prev_letter = letter;
    }
    return any;
}

/* ---- the index ------------------------------------------------------------------ */

/* Add the key of text to the index. */
static void ix_add(rctx *c, const char *text, unsigned kind, const void *ent)
{
    if (!text || !*text) return;
    buf_clear(&c->b1);
    if (!fold_match_key(text, strlen(text), &c->b1)) { c->oom = true; return; }
    if (c->b1.len == 0) return;
    if (!buf_grow_array((void **)&c->ix, &c->capix, c->nix + 1, sizeof *c->ix)) { c->oom = true; return; }
    const char *k = keep(c, &c->b1);
    if (!k) return;
    c->ix[c->nix++] = (ix_entry){ k, kind, ent };
}

/* Add a label and its aliases. */
static void ix_add_strs(rctx *c, const char *label, const struct config_strs *s, unsigned kind,
                        const void *ent)
{
    ix_add(c, label, kind, ent);
    for (size_t i = 0; i < s->n; i++) ix_add(c, s->items[i], kind, ent);
}

/* Order of index entries: by key, then kind. */
static int ix_cmp(const void *a, const void *b)
{
    const ix_entry *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    if (r) return r;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

/* Build the sorted index of every alias of the config and the form words. */
static void ix_build(rctx *c)
{
    const struct config *cfg = c->cfg;
    for (size_t i = 0; i < cfg->n_metrics; i++)
        ix_add_strs(c, cfg->metrics[i].label, &cfg->metrics[i].aliases, K_METRIC, &cfg->metrics[i]);
    for (size_t i = 0; i < cfg->n_headings; i++)
        ix_add_strs(c, cfg->headings[i].label, &cfg->headings[i].aliases, K_HEADING, &cfg->headings[i]);
    for (size_t i = 0; i < cfg->n_breakdowns; i++)
        ix_add_strs(c, cfg->breakdowns[i].label, &cfg->breakdowns[i].aliases, K_BREAKDOWN,
                    &cfg->breakdowns[i]);
    for (size_t i = 0; i < cfg->n_groups; i++) {
        ix_add_strs(c, cfg->groups[i].label, &cfg->groups[i].aliases, K_GROUP, &cfg->groups[i]);
        ix_add_strs(c, NULL, &cfg->groups[i].sub_aliases, K_SUBGROUP, &cfg->groups[i]);
    }
    for (size_t i = 0; i < cfg->n_tables; i++)
        ix_add_strs(c, NULL, &cfg->tables[i].aliases, K_TABLE, &cfg->tables[i]);
    ix_add_strs(c, NULL, &cfg->form.total_row, K_TOTAL, NULL);
    ix_add_strs(c, NULL, &cfg->form.footer, K_FOOTER, NULL);
    ix_add_strs(c, NULL, &cfg->form.label_header, K_LBLHDR, NULL);
    ix_add_strs(c, NULL, &cfg->form.filler, K_FILLER, NULL);
    for (size_t i = 0; i < cfg->form.subset_prefix.n && c->nprefix < 8; i++) {
        const char *w = cfg->form.subset_prefix.items[i];
        buf_clear(&c->b1);
        if (!fold_key(w, strlen(w), &c->b1)) { c->oom = true; return; }
        if (c->b1.len && (c->prefix[c->nprefix] = keep(c, &c->b1))) c->nprefix++;
    }
    if (c->nix) qsort(c->ix, c->nix, sizeof *c->ix, ix_cmp);
}

/* The entries whose key is exactly k: [*lo, return). */
static size_t ix_range(const rctx *c, const char *k, size_t *lo)
{
    size_t a = 0, b = c->nix;
    while (a < b) {
        size_t m = a + (b - a) / 2;
        if (strcmp(c->ix[m].key, k) < 0) a = m + 1;
        else b = m;
    }
    *lo = a;
    while (b < c->nix && strcmp(c->ix[b].key, k) == 0) b++;
    if (b < a) b = a;
    return b;
}

/* ---- fuzzy matching -------------------------------------------------------------- */

typedef struct { const char *p; size_t n; } tok;

/* Split a key into distinct tokens (at most cap). */
static size_t tokens(const char *k, tok *t, size_t cap)
{
    size_t n = 0;
    while (*k && n < cap) {
        while (*k == ' ') k++;
        if (!*k) break;
        const char *e = strchr(k, ' ');
        size_t len = e ? (size_t)(e - k) : strlen(k);
        bool dup = false;
        for (size_t i = 0; i < n; i++)
            if (t[i].n == len && memcmp(t[i].p, k, len) == 0) dup = true;
        if (!dup) t[n++] = (tok){ k, len };
        k += len;
    }
    return n;
}

/* Levenshtein similarity of two short keys in [0, 1] (0 when too long). */
static double lev_sim(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    if (na > 160 || nb > 160) return 0;
    if (!na || !nb) return 0;
    unsigned row[161];
    for (size_t j = 0; j <= nb; j++) row[j] = (unsigned)j;
    for (size_t i = 1; i <= na; i++) {
        unsigned diag = row[0];
        row[0] = (unsigned)i;
        for (size_t j = 1; j <= nb; j++) {
            unsigned up = row[j];
            unsigned best = diag + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best) best = row[j] + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t mx = na > nb ? na : nb;
    return 1.0 - (double)row[nb] / (double)mx;
}

/* Are the tokens of the shorter list all in the longer one, in the same
 * order (a phrase with words added: "viên chức | đơn vị sự nghiệp")? */
static bool tokens_in_order(const tok *small, size_t ns, const tok *large, size_t nl)
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

/* How well a cell key q matches an alias key a: the larger of the token-set
 * Jaccard index, a containment score (all tokens of the shorter in the longer:
 * 0.5 + 0.5 × shorter/longer, × 0.9 when they are not in the same order —
 * "công chức" is not a phrase of "viên chức đơn vị sự nghiệp công lập") and
 * the Levenshtein similarity when it is at least 0.9 (typos only: on long keys
 * a different last word still scores high, "cấp tỉnh" vs "cấp huyện").
 * *phrase (may be NULL) is set when all of a's tokens are in q in order. */
static double match_score_ex(const char *q, const char *a, bool *phrase)
{
    tok tq[48], ta[48];
    size_t nq = tokens(q, tq, 48), na = tokens(a, ta, 48);
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
    double l = lev_sim(q, a);
    if (l >= 0.9 && l > s) s = l;
    return s;
}

static double match_score(const char *q, const char *a)
{
    return match_score_ex(q, a, NULL);
}

/* ---- matching a header element --------------------------------------------------- */

typedef struct {
    const struct config_metric *m[8];
    size_t nm;
    const struct config_heading *h[4];
    size_t nh;
    const struct config_breakdown *b[8];
    size_t nb;
} cands;

/* Is the breakdown allowed by some metric of table t (any table when NULL)? */
static bool bd_in_table(const struct config *cfg, const struct config_breakdown *b,
                        const struct config_table *t)
{
    if (!t) return true;
    for (size_t i = 0; i < cfg->n_metrics; i++)
        if (cfg->metrics[i].table == t && config_metric_allows(&cfg->metrics[i], b)) return true;
    return false;
}

/* Does entry e pass the table filter for header candidates? */
static bool hdr_entry_ok(const rctx *c, const ix_entry *e, const struct config_table *t)
{
    switch (e->kind) {
    case K_METRIC: return !t || ((const struct config_metric *)e->ent)->table == t;
    case K_HEADING: return !t || ((const struct config_heading *)e->ent)->table == t;
    case K_BREAKDOWN: return bd_in_table(c->cfg, e->ent, t);
    default: return false;
    }
}

/* Add an entry to a candidate set (no duplicates). */
static void cands_add(cands *k, const ix_entry *e)
{
    if (e->kind == K_METRIC) {
        for (size_t i = 0; i < k->nm; i++) if (k->m[i] == e->ent) return;
        if (k->nm < 8) k->m[k->nm++] = e->ent;
    } else if (e->kind == K_HEADING) {
        for (size_t i = 0; i < k->nh; i++) if (k->h[i] == e->ent) return;
        if (k->nh < 4) k->h[k->nh++] = e->ent;
    } else if (e->kind == K_BREAKDOWN) {
        for (size_t i = 0; i < k->nb; i++) if (k->b[i] == e->ent) return;
        if (k->nb < 8) k->b[k->nb++] = e->ent;
    }
}

/* Candidates of one header cell for table t (NULL: any): exact on its key
 * variants in order, else the best fuzzy entry (≥ 0.8, ahead of any other
 * entity by more than 0.02). */
static void header_cands(const rctx *c, const cinfo *ci, const struct config_table *t, cands *out)
{
    memset(out, 0, sizeof *out);
    for (int v = 0; v < 3; v++) {
        if (!ci->hk[v]) continue;
        size_t lo, hi = ix_range(c, ci->hk[v], &lo);
        for (size_t i = lo; i < hi; i++)
            if (hdr_entry_ok(c, &c->ix[i], t)) cands_add(out, &c->ix[i]);
        if (out->nm || out->nh || out->nb) return;
        /* a form word (STT, Trong đó) is structure: no fuzzy guess for it */
        for (size_t i = lo; i < hi; i++)
            if (c->ix[i].kind == K_LBLHDR || c->ix[i].kind == K_FILLER) return;
    }
    const ix_entry *best = NULL;
    double bs = 0, second = 0;
    for (size_t i = 0; i < c->nix; i++) {
        const ix_entry *e = &c->ix[i];
        if (!hdr_entry_ok(c, e, t)) continue;
        double s = 0;
        for (int v = 0; v < 2; v++)
            if (ci->hk[v]) { double x = match_score(ci->hk[v], e->key); if (x > s) s = x; }
        if (s > bs) {
            if (best && best->ent != e->ent) second = bs;
            bs = s;
            best = e;
        } else if (best && e->ent != best->ent && s > second) {
            second = s;
        }
    }
    if (best && bs >= 0.8 - 1e-9 && bs - second > 0.02) cands_add(out, best);
}

/* ---- matching a row label -------------------------------------------------------- */

/* Is group g usable in table t? */
static bool group_ok(const struct config_group *g, const struct config_table *t)
{
    return config_group_in_table(g, t);
}

/* Is g a part of parent (or its subset: vc_ql under vc)? */
static bool under(const struct config_group *g, const struct config_group *parent)
{
    return parent && (g->part_of == parent || g->subset_of == parent);
}

/* Token relation of a label key q to an alias key a: the number of q's
 * distinct tokens, of a's, and of those in both. */
static void tok_rel(const char *q, const char *a, size_t *nq, size_t *na, size_t *inter)
{
    tok tq[48], ta[48];
    *nq = tokens(q, tq, 48);
    *na = tokens(a, ta, 48);
    *inter = 0;
    for (size_t i = 0; i < *nq; i++)
        for (size_t j = 0; j < *na; j++)
            if (tq[i].n == ta[j].n && memcmp(tq[i].p, ta[j].p, tq[i].n) == 0) { (*inter)++; break; }
}

/* May the unit (NULL: unknown) report group g: required of its kind, or a
 * part / subset of a group that is? A provider, required of nothing, may
 * report anything. */
static bool plausible(const struct config_group *g, const struct config_unit *u)
{
    if (!u) return true;
    for (const struct config_group *p = g; p; p = p->part_of ? p->part_of : p->subset_of)
        if (config_group_required_of(p, u)) return true;
    return false;
}

/* Groups already given to a row of the table being read (by index). */
typedef struct {
    bool used[64];
} gused;

static bool is_used(const gused *u, const struct config_group *g)
{
    return u && g->index < 64 && u->used[g->index];
}

/* A label less specific than aliases ("Cán bộ, công chức", all of whose
 * words are in them) goes to the group whose alias adds the fewest words,
 * among the groups the unit may report (an agency's "Cán bộ, công chức" is
 * cbcc_th, never cbcc_xa), when every other such group is a whole it belongs
 * to; else no match. extras[g] = the fewest words an alias of g adds.
 * *decided: the label was less specific than some alias (the answer, a group
 * or none, is final). */
static const struct config_group *less_specific_pick(const rctx *c, const size_t *extras,
                                                     bool *decided)
{
    size_t ng = c->cfg->n_groups < 64 ? c->cfg->n_groups : 64;
    bool any_plausible = false, any = false;
    for (size_t g = 0; g < ng; g++) {
        if (extras[g] == SIZE_MAX) continue;
        any = true;
        if (plausible(&c->cfg->groups[g], c->unit_ent)) any_plausible = true;
    }
    *decided = any;
    if (!any) return NULL;
    const struct config_group *pick = NULL;
    size_t least = SIZE_MAX;
    bool tie = false;
    for (size_t g = 0; g < ng; g++) {
        if (extras[g] == SIZE_MAX) continue;
        if (any_plausible && !plausible(&c->cfg->groups[g], c->unit_ent)) continue;
        if (extras[g] < least) { least = extras[g]; pick = &c->cfg->groups[g]; tie = false; }
        else if (extras[g] == least) tie = true;
    }
    if (tie || !pick) return NULL;
    /* every other candidate must be a whole the pick is part of ("Cán bộ cấp
     * huyện": cb_th, inside cbcc_th); unrelated ones make it ambiguous ("Cán
     * bộ": cb_th or cb_xa) */
    for (size_t g = 0; g < ng; g++) {
        const struct config_group *o = &c->cfg->groups[g];
        if (extras[g] == SIZE_MAX || o == pick) continue;
        if (any_plausible && !plausible(o, c->unit_ent)) continue;
        bool whole = false;
        for (const struct config_group *p = pick; p; p = p->part_of ? p->part_of : p->subset_of)
            if (p == o) whole = true;
        if (!whole) return NULL;
    }
    return pick;
}

/* Best fuzzy group for a label among the table's groups not yet used (a
 * part's sub_aliases only right under its parent). A group's score is its
 * best alias's match_score; it counts from 0.8, or from 0.6 for a part of
 * the parent or when the alias is a phrase of the label ("Viên chức | đơn vị
 * sự nghiệp công lập"). The best must lead every other group by more than
 * 0.02. A label less specific than aliases is decided by less_specific_pick
 * (score 0.9). *score: the winner's score. */
static const struct config_group *fuzzy_group(const rctx *c, const cinfo *ci,
                                              const struct config_table *t,
                                              const struct config_group *parent, const gused *used,
                                              double *score)
{
    size_t ng = c->cfg->n_groups < 64 ? c->cfg->n_groups : 64;
    double gs[64] = { 0 };
    size_t extras[64];
    for (size_t g = 0; g < ng; g++) extras[g] = SIZE_MAX;
    *score = 0;
    for (size_t i = 0; i < c->nix; i++) {
        const ix_entry *e = &c->ix[i];
        if (e->kind != K_GROUP && e->kind != K_SUBGROUP) continue;
        const struct config_group *g = e->ent;
        if (g->index >= 64 || !group_ok(g, t) || is_used(used, g)) continue;
        bool part = under(g, parent);
        if (e->kind == K_SUBGROUP && !part) continue;
        for (int v = 0; v < 3; v++) {
            if (!ci->lk[v]) continue;
            size_t nq, na, inter;
            tok_rel(ci->lk[v], e->key, &nq, &na, &inter);
            if (nq >= 2 && inter == nq && na > nq && na - nq < extras[g->index])
                extras[g->index] = na - nq;
            bool phrase;
            double x = match_score_ex(ci->lk[v], e->key, &phrase);
            double floor = part || phrase ? 0.6 : 0.8;
            if (x >= floor - 1e-9 && x > gs[g->index]) gs[g->index] = x;
        }
    }
    bool decided;
    const struct config_group *pick = less_specific_pick(c, extras, &decided);
    if (decided) {
        if (pick) *score = 0.9;
        return pick;
    }
    const struct config_group *best = NULL;
    double bs = 0, second = 0;
    for (size_t g = 0; g < ng; g++) {
        if (gs[g] > bs) { second = bs; bs = gs[g]; best = &c->cfg->groups[g]; }
        else if (gs[g] > second) second = gs[g];
    }
    if (!best || bs - second <= 0.02) return NULL;
    *score = bs;
    return best;
}

/* The group a row label names exactly in table t under parent (a part of the
 * parent first, then any group, then a sub_alias of a part), or NULL. */
static const struct config_group *exact_group(const rctx *c, const cinfo *ci,
                                              const struct config_table *t,
                                              const struct config_group *parent, const gused *used)
{
    for (int v = 0; v < 3; v++) {
        if (!ci->lk[v]) continue;
        size_t lo, hi = ix_range(c, ci->lk[v], &lo);
        const struct config_group *first = NULL, *part = NULL, *sub = NULL;
        for (size_t i = lo; i < hi; i++) {
            const ix_entry *e = &c->ix[i];
            if (e->kind != K_GROUP && e->kind != K_SUBGROUP) continue;
            const struct config_group *g = e->ent;
            if (!group_ok(g, t) || is_used(used, g)) continue;
            if (e->kind == K_SUBGROUP) {
                if (under(g, parent) && !sub) sub = g;
                continue;
            }
            if (!first) first = g;
            if (under(g, parent) && !part) part = g;
        }
        if (part) return part;
        if (first) return first;
        if (sub) return sub;
    }
    return NULL;
}

/* The group a row label names in table t under parent, or NULL: exact, else
 * fuzzy (used by the extent scan, with no table context). */
static const struct config_group *match_group(const rctx *c, const cinfo *ci,
                                              const struct config_table *t,
                                              const struct config_group *parent)
{
    const struct config_group *g = exact_group(c, ci, t, parent, NULL);
    double sc;
    return g ? g : fuzzy_group(c, ci, t, parent, NULL, &sc);
}

/* The metric of a rows=metrics table a row label names, or NULL. */
static const struct config_metric *match_row_metric(const rctx *c, const cinfo *ci,
                                                    const struct config_table *t)
{
    for (int v = 0; v < 3; v++) {
        if (!ci->lk[v]) continue;
        size_t lo, hi = ix_range(c, ci->lk[v], &lo);
        for (size_t i = lo; i < hi; i++)
            if (c->ix[i].kind == K_METRIC && ((const struct config_metric *)c->ix[i].ent)->table == t)
                return c->ix[i].ent;
    }
    const struct config_metric *best = NULL;
    double bs = 0, second = 0;
    for (size_t i = 0; i < c->nix; i++) {
        const ix_entry *e = &c->ix[i];
        if (e->kind != K_METRIC || ((const struct config_metric *)e->ent)->table != t) continue;
        double s = 0;
        for (int v = 0; v < 3; v++)
            if (ci->lk[v]) { double x = match_score(ci->lk[v], e->key); if (x > s) s = x; }
        if (s > bs) {
            if (best && (const void *)best != e->ent) second = bs;
            bs = s;
            best = e->ent;
        } else if (best && e->ent != (const void *)best && s > second) {
            second = s;
        }
    }
    return best && bs >= 0.8 - 1e-9 && bs - second > 0.02 ? best : NULL;
}

/* Is the label a "Tổng cộng" row word? */
static bool is_total_label(const rctx *c, const cinfo *ci)
{
    (void)c;
    return (ci->flags & F_TOTAL) != 0;
}

/* ---- preparing the sheets -------------------------------------------------------- */

/* Exact-hit flags of one text cell's keys. */
static uint32_t cell_flags(const rctx *c, const cinfo *ci)
{
    uint32_t f = 0;
    for (int v = 0; v < 3; v++) {
        if (!ci->hk[v]) continue;
        size_t lo, hi = ix_range(c, ci->hk[v], &lo);
        for (size_t i = lo; i < hi; i++) {
            switch (c->ix[i].kind) {
            case K_METRIC: f |= F_METRIC; break;
            case K_HEADING: f |= F_HEADING; break;
            case K_BREAKDOWN: f |= F_BREAKDOWN; break;
            case K_LBLHDR: f |= F_LBLHDR; break;
            case K_FILLER: f |= F_FILLER; break;
            default: break;
            }
        }
    }
    for (int v = 0; v < 3; v++) {
        if (!ci->lk[v]) continue;
        size_t lo, hi = ix_range(c, ci->lk[v], &lo);
        for (size_t i = lo; i < hi; i++) {
            const ix_entry *e = &c->ix[i];
            if (e->kind == K_GROUP || e->kind == K_SUBGROUP) f |= F_GROUP;
            else if (e->kind == K_TOTAL) f |= F_TOTAL;
            else if (e->kind == K_METRIC &&
                     ((const struct config_metric *)e->ent)->table->rows == CONFIG_ROWS_METRICS)
                f |= F_ROWMETRIC;
        }
    }
    const char *k = ci->hk[0];
    if (k) {
        for (size_t i = 0; i < c->nix; i++) {
            const ix_entry *e = &c->ix[i];
            if (e->kind == K_TABLE) {
                if (strcmp(k, e->key) == 0 || (has_digit(e->key) && key_starts(k, e->key))) f |= F_TITLE;
            } else if (e->kind == K_FOOTER) {
                if (key_starts(k, e->key)) f |= F_FOOTER;
            }
        }
    }
    return f;
}

/* Legacy text that also reads as Unicode Vietnamese ("Céng" is TCVN3 for
 * "Cộng", but "céng" is a syllable too) is left alone by vnenc_repair. When
 * the same sheet already had cells repaired from that font's encoding, such a
 * cell in that font is decoded too, provided the result reads as Vietnamese:
 * the sheet was typed in the legacy font, and Unicode Vietnamese beyond
 * Latin-1 never decodes. */
static void second_chance(rctx *c, sheetx *x, buf *rep)
{
    if (!x->nrepaired) return;
    for (size_t i = 0; i < x->s->ncells && !c->oom; i++) {
        grid_cell *cell = &x->s->cells[i];
        if (cell->type != WB_TEXT || !cell->text || x->ci[i].repaired) continue;
        vnenc_kind k = vnenc_font_hint(cell->font);
        if (k == VNENC_NONE || (k == VNENC_VNI) != (x->repaired_kind == VNENC_VNI)) continue;
        buf_clear(rep);
        if (!vnenc_decode(k, cell->text, cell->len, rep)) { if (rep->oom) c->oom = true; continue; }
        if (rep->len == cell->len && memcmp(rep->data, cell->text, cell->len) == 0) continue;
        if (!vnenc_reads_vietnamese(rep->data, rep->len)) continue;
        const char *t = keep(c, rep);
        if (!t) return;
        cell->text = t;
        cell->len = rep->len;
        x->ci[i].repaired = true;
        x->nrepaired++;
        if (i < x->first_repaired) x->first_repaired = i;
    }
}

/* Build the repaired view of the book and every cell's keys and flags. */
static void prepare(rctx *c, const grid_book *book)
{
    c->nsheets = book->nsheets;
    c->view = *book;
    memset(&c->view.mem, 0, sizeof c->view.mem);
    c->view.sheets = arena_calloc(&c->mem, book->nsheets ? book->nsheets : 1, sizeof *c->view.sheets);
    c->sx = arena_calloc(&c->mem, book->nsheets ? book->nsheets : 1, sizeof *c->sx);
    if (!c->view.sheets || !c->sx) { c->oom = true; return; }
    buf rep = BUF_INIT;
    for (size_t si = 0; si < book->nsheets && !c->oom; si++) {
        const grid_sheet *os = &book->sheets[si];
        grid_sheet *s = &c->view.sheets[si];
        sheetx *x = &c->sx[si];
        *s = *os;
        x->s = s;
        s->cells = arena_calloc(&c->mem, os->ncells ? os->ncells : 1, sizeof *s->cells);
        x->ci = arena_calloc(&c->mem, os->ncells ? os->ncells : 1, sizeof *x->ci);
        x->rowstart = arena_calloc(&c->mem, (size_t)os->nrows + 1, sizeof *x->rowstart);
        if (!s->cells || !x->ci || !x->rowstart) { c->oom = true; break; }
        if (os->ncells) memcpy(s->cells, os->cells, os->ncells * sizeof *s->cells);
        size_t ci = 0;
        for (uint32_t r = 0; r <= os->nrows; r++) {
            while (ci < os->ncells && os->cells[ci].row < r) ci++;
            x->rowstart[r] = ci;
        }
        for (size_t i = 0; i < s->ncells && !c->oom; i++) {
            grid_cell *cell = &s->cells[i];
            cinfo *inf = &x->ci[i];
            if (cell->type == WB_TEXT && cell->text) {
                buf_clear(&rep);
                vnenc_kind k = vnenc_repair(cell->font, cell->text, cell->len, &rep);
                if (rep.oom) { c->oom = true; break; }
                if (k != VNENC_NONE) {
                    const char *t = keep(c, &rep);
                    if (!t) break;
                    cell->text = t;
                    cell->len = rep.len;
                    inf->repaired = true;
                    if (x->nrepaired++ == 0) { x->first_repaired = i; x->repaired_kind = k; }
                }
            }
        }
        second_chance(c, x, &rep);
        for (size_t i = 0; i < s->ncells && !c->oom; i++) {
            grid_cell *cell = &s->cells[i];
            cinfo *inf = &x->ci[i];
            if (cell->type == WB_TEXT && cell->text) {
                text_keys(c, cell->text, cell->len, inf);
                inf->flags = cell_flags(c, inf);
            }
            int lead;
            if (colnum_token(cell, &lead)) {
                inf->flags |= F_COLNUM;
                if (lead >= 0) inf->flags |= F_COLNUM_DIGIT;
                inf->colnum_lead = lead;
            } else {
                inf->colnum_lead = -1;
            }
        }
    }
    buf_free(&rep);
}

/* ---- rows ----------------------------------------------------------------------- */

/* Cells of row r: [*a, *b). */
static void row_span(const sheetx *x, uint32_t r, size_t *a, size_t *b)
{
    if (r >= x->s->nrows) { *a = *b = 0; return; }
    *a = x->rowstart[r];
    *b = x->rowstart[r + 1];
}

/* Does row r hold no cell? */
static bool row_blank(const sheetx *x, uint32_t r)
{
    size_t a, b;
    row_span(x, r, &a, &b);
    return a == b;
}

/* Does any cell of the row carry one of the flags? */
static bool row_any(const sheetx *x, uint32_t r, uint32_t flags)
{
    size_t a, b;
    row_span(x, r, &a, &b);
    for (size_t i = a; i < b; i++) if (x->ci[i].flags & flags) return true;
    return false;
}

/* A row of column numbers: ≥ 2 cells, all tokens, at least two (and half)
 * with digits, their leading integers increasing left to right. */
static bool row_colnum(const sheetx *x, uint32_t r)
{
    size_t a, b;
    row_span(x, r, &a, &b);
    if (b - a < 2) return false;
    size_t digits = 0;
    int last = -1;
    for (size_t i = a; i < b; i++) {
        if (!(x->ci[i].flags & F_COLNUM)) return false;
        if (x->ci[i].flags & F_COLNUM_DIGIT) {
            if (x->ci[i].colnum_lead <= last) return false;
            last = x->ci[i].colnum_lead;
            digits++;
        }
    }
    return digits >= 2 && digits * 2 >= b - a;
}

/* A header row of a table whose label column is L. */
static bool row_headerish(const sheetx *x, uint32_t r, uint32_t L)
{
    size_t a, b;
    row_span(x, r, &a, &b);
    for (size_t i = a; i < b; i++) {
        uint32_t col = x->s->cells[i].col;
        uint32_t f = x->ci[i].flags;
        if (col > L && (f & F_HEADER_WORD)) return true;
        if (col <= L && (f & F_LBLHDR)) return true;
    }
    return false;
}

/* Column of the row's anchor (a group or row-metric label in one of the
 * first 7 columns), or -1. */
static long row_anchor(const sheetx *x, uint32_t r)
{
    size_t a, b;
    row_span(x, r, &a, &b);
    for (size_t i = a; i < b; i++) {
        if (x->s->cells[i].col > 6) break;
        if (x->ci[i].flags & (F_GROUP | F_ROWMETRIC)) {
            if (x->ci[i].flags & F_TITLE) continue;
            return (long)x->s->cells[i].col;
        }
    }
    return -1;
}

/* Does the row have a group / total / row-metric label at or left of L? */
static bool row_label_hit(const sheetx *x, uint32_t r, uint32_t L, uint32_t flags)
{
    size_t a, b;
    row_span(x, r, &a, &b);
    for (size_t i = a; i < b && x->s->cells[i].col <= L; i++)
        if (x->ci[i].flags & flags) return true;
    return false;
}

/* Is the row a data row of the table (for the walk up from an anchor)? */
static bool row_datalike(const sheetx *x, uint32_t r, uint32_t L)
{
    return !row_blank(x, r) && !row_colnum(x, r) && !row_any(x, r, F_TITLE | F_FOOTER) &&
           !row_headerish(x, r, L);
}

/* Index of the label cell of row r (text at L, else the nearest text left of
 * it, else the origin of a merge covering (r, L)); SIZE_MAX when none. */
static size_t label_cell(const sheetx *x, uint32_t r, uint32_t L)
{
    const grid_cell *cell = grid_at(x->s, r, L);
    if (cell && cell->type == WB_TEXT && x->ci[cell - x->s->cells].hk[0]) return (size_t)(cell - x->s->cells);
    size_t a, b;
    row_span(x, r, &a, &b);
    size_t found = SIZE_MAX;
    for (size_t i = a; i < b && x->s->cells[i].col < L; i++)
        if (x->s->cells[i].type == WB_TEXT && x->ci[i].hk[0]) found = i;
    if (found != SIZE_MAX) {
        /* the STT column's own numbering ("I", "1") is no label */
        const cinfo *ci = &x->ci[found];
        if (!(ci->flags & F_COLNUM) || (ci->flags & (F_TOTAL | F_GROUP))) return found;
        found = SIZE_MAX;
    }
    const wb_range *m = grid_merge_at(x->s, r, L);
    if (m && m->r1 != r) {
        const grid_cell *o = grid_at(x->s, m->r1, m->c1);
        if (o && o->type == WB_TEXT) return (size_t)(o - x->s->cells);
    }
    return found;
}

/* ---- locating tables ------------------------------------------------------------- */

static bool cell_numeric(const grid_cell *cell);

/* Does row r carry a label (text at or left of L) and a value right of L?
 * Such a row belongs to the table above it even after blank rows: a reworded
 * group row ("Những người hoạt động không chuyên trách cấp xã") is a row of
 * the table, not its end. */
static bool row_labelled_values(const sheetx *x, uint32_t r, uint32_t L)
{
    size_t a, b;
    row_span(x, r, &a, &b);
    bool label = false;
    for (size_t i = a; i < b; i++) {
        const grid_cell *cell = &x->s->cells[i];
        if (cell->col <= L) {
            if (cell->type == WB_TEXT && x->ci[i].hk[0] && !(x->ci[i].flags & F_COLNUM)) label = true;
        } else if (label && cell_numeric(cell)) {
            return true;
        }
    }
    return false;
}

static const struct config_group *match_group(const rctx *c, const cinfo *ci,
                                              const struct config_table *t,
                                              const struct config_group *parent);

/* Does the label of row r name a group of some table, fuzzily at least
 * ("Những người hoạt động không chuyên trách cấp xã" with its cells blank)? */
static bool row_names_group(const rctx *c, const sheetx *x, uint32_t r, uint32_t L)
{
    size_t li = label_cell(x, r, L);
    if (li == SIZE_MAX) return false;
    for (size_t t = 0; t < c->cfg->n_tables; t++)
        if (c->cfg->tables[t].rows == CONFIG_ROWS_GROUPS &&
            match_group(c, &x->ci[li], &c->cfg->tables[t], NULL))
            return true;
    return false;
}

/* Last data row of a table whose first data row is fd (see recognize.h 3.). */
static uint32_t scan_down(const rctx *c, const sheetx *x, uint32_t fd, uint32_t L)
{
    uint32_t last = fd;
    int blanks = 0;
    bool seen_group = false;
    for (uint32_t r = fd; r < x->s->nrows; r++) {
        if (row_blank(x, r)) {
            blanks++;
            continue;
        }
        if (r > fd && (row_any(x, r, F_TITLE | F_FOOTER) || row_colnum(x, r) || row_headerish(x, r, L)))
            break;
        bool group = row_label_hit(x, r, L, F_GROUP | F_ROWMETRIC);
        bool total = !group && row_label_hit(x, r, L, F_TOTAL);
        if (blanks && !group && !total && !row_labelled_values(x, r, L) && !row_names_group(c, x, r, L))
            break;
        blanks = 0;
        last = r;
        if (total && seen_group) break;
        if (group) seen_group = true;
    }
    return last;
}

/* The path elements (cell indices, top to bottom) above column col. */
static size_t header_path(const sheetx *x, const rtable *t, uint32_t col, size_t *el, size_t cap)
{
    size_t n = 0;
    uint32_t pr = UINT32_MAX, pc = UINT32_MAX;
    for (uint32_t h = t->hdr_top; h <= t->hdr_bottom && h != UINT32_MAX && n < cap; h++) {
        const wb_range *m = grid_merge_at(x->s, h, col);
        uint32_t orow = m ? m->r1 : h, ocol = m ? m->c1 : col;
        if (orow == pr && ocol == pc) continue;
        pr = orow;
        pc = ocol;
        if (m && m->r1 < t->hdr_top) continue;
        const grid_cell *cell = grid_at(x->s, orow, ocol);
        if (!cell || cell->type != WB_TEXT) continue;
        size_t i = (size_t)(cell - x->s->cells);
        if (!x->ci[i].hk[0]) continue;
        el[n++] = i;
    }
    return n;
}

/* Resolution of one column's path against table t (NULL: any, for voting). */
typedef struct {
    const struct config_metric *m[8];
    size_t nm;
    const struct config_breakdown *bd;       /* chosen breakdown (NULL: default)  */
    const struct config_breakdown *only_bd;  /* breakdown-only path              */
} colres;

/* Resolve a path (see recognize.h 4.). rows_metrics: the table's columns are
 * breakdowns (Biểu 03). */
static void resolve_path(const rctx *c, const sheetx *x, const size_t *el, size_t n,
                         const struct config_table *t, bool rows_metrics, colres *out)
{
    memset(out, 0, sizeof *out);
    cands k[8];
    if (n > 8) n = 8;
    for (size_t i = 0; i < n; i++) header_cands(c, &x->ci[el[i]], t, &k[i]);
    if (rows_metrics) {
        for (size_t i = n; i-- > 0;)
            if (k[i].nb) { out->only_bd = k[i].b[0]; return; }
        return;
    }
    long mi = -1;
    for (size_t i = n; i-- > 0;) {
        if (!k[i].nm) continue;
        bool above = false;
        for (size_t j = 0; j < i; j++) if (k[j].nm) above = true;
        if (k[i].nb && above) continue;
        mi = (long)i;
        break;
    }
    if (mi < 0) {
        for (size_t i = n; i-- > 0;)
            if (k[i].nb) { out->only_bd = k[i].b[0]; return; }
        return;
    }
    /* prefer the metrics whose heading is in the path */
    const cands *km = &k[mi];
    for (size_t i = 0; i < km->nm; i++) {
        bool head = false;
        for (size_t j = 0; j < n; j++)
            for (size_t h = 0; h < k[j].nh; h++)
                if (km->m[i]->heading == k[j].h[h]) head = true;
        if (head) out->m[out->nm++] = km->m[i];
    }
    if (!out->nm) {
        /* no heading in the path: a metric without heading first, then the rest */
        for (size_t i = 0; i < km->nm; i++) if (!km->m[i]->heading) out->m[out->nm++] = km->m[i];
        for (size_t i = 0; i < km->nm; i++) if (km->m[i]->heading) out->m[out->nm++] = km->m[i];
    }
    for (size_t i = n; i-- > (size_t)mi + 1;) {
        for (size_t b = 0; b < k[i].nb; b++)
            if (config_metric_allows(out->m[0], k[i].b[b])) { out->bd = k[i].b[b]; return; }
    }
}

/* Join the texts of a path for messages ("Trình độ chuyên môn / Đại học"). */
static void path_text(const sheetx *x, const size_t *el, size_t n, char *out, size_t cap)
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i) buf_puts(&b, " / ");
        buf_puts(&b, x->s->cells[el[i]].text);
    }
    copy_utf8(out, cap, buf_str(&b));
    buf_free(&b);
}

/* The config table of a title line nearest above the header (rows lo..hi), or NULL. */
static const struct config_table *title_table(const rctx *c, const sheetx *x, uint32_t lo, uint32_t hi)
{
    for (uint32_t r = hi + 1; r-- > lo;) {
        size_t a, b;
        row_span(x, r, &a, &b);
        for (size_t i = a; i < b; i++) {
            const char *k = x->ci[i].hk[0];
            if (!k || !(x->ci[i].flags & F_TITLE)) continue;
            for (size_t e = 0; e < c->nix; e++)
                if (c->ix[e].kind == K_TABLE &&
                    (strcmp(k, c->ix[e].key) == 0 || (has_digit(c->ix[e].key) && key_starts(k, c->ix[e].key))))
                    return c->ix[e].ent;
        }
    }
    return NULL;
}

/* Is the cell a number or a text that reads as a value (not a zero mark)? */
static bool cell_numeric(const grid_cell *cell)
{
    if (cell->type == WB_NUMBER) return true;
    if (cell->type != WB_TEXT) return false;
    double v;
    return numparse_text(cell->text, cell->len, true, &v) == NUMPARSE_VALUE;
}

/* The last column of a table: its header band's cells and merges right of
 * L, and the numbers in its data rows. */
static uint32_t table_last_col(const sheetx *x, const rtable *t)
{
    uint32_t L = t->label_col, lc = L;
    for (uint32_t r = t->hdr_top; r <= t->hdr_bottom; r++) {
        size_t a, b;
        row_span(x, r, &a, &b);
        for (size_t i = a; i < b; i++) if (x->s->cells[i].col > lc) lc = x->s->cells[i].col;
    }
    for (size_t m = 0; m < x->s->nmerges; m++) {
        const wb_range *g = &x->s->merges[m];
        if (g->r1 >= t->hdr_top && g->r1 <= t->hdr_bottom && g->c2 > lc && g->c1 > L) lc = g->c2;
    }
    for (uint32_t r = t->data_first; r <= t->data_last; r++) {
        size_t a, b;
        row_span(x, r, &a, &b);
        for (size_t i = a; i < b; i++)
            if (x->s->cells[i].col > lc && cell_numeric(&x->s->cells[i])) lc = x->s->cells[i].col;
    }
    return lc;
}

/* A rows=metrics table named by one of the data rows' labels ("Dự toán"), or NULL. */
static const struct config_table *row_metric_table(const rctx *c, const sheetx *x, const rtable *t)
{
    uint32_t L = t->label_col;
    for (uint32_t r = t->data_first; r <= t->data_last; r++) {
        if (!row_label_hit(x, r, L, F_ROWMETRIC) || row_label_hit(x, r, L, F_GROUP)) continue;
        size_t li = label_cell(x, r, L);
        if (li == SIZE_MAX) continue;
        for (size_t ti = 0; ti < c->cfg->n_tables; ti++) {
            const struct config_table *ct = &c->cfg->tables[ti];
            if (ct->rows == CONFIG_ROWS_METRICS && match_row_metric(c, &x->ci[li], ct)) return ct;
        }
    }
    return NULL;
}

/* The groups table the columns vote for (each column's candidate metrics
 * share one vote among their tables); a tie goes to the title line's table. */
static const struct config_table *voted_table(const rctx *c, const sheetx *x, const rtable *t,
                                              uint32_t title_floor)
{
    double votes[16] = { 0 };
    size_t el[8];
    for (uint32_t col = t->label_col + 1; col <= t->last_col; col++) {
        size_t n = header_path(x, t, col, el, 8);
        colres cr;
        resolve_path(c, x, el, n, NULL, false, &cr);
        const struct config_table *seen[8];
        size_t ns = 0;
        for (size_t i = 0; i < cr.nm; i++) {
            bool dup = false;
            for (size_t j = 0; j < ns; j++) if (seen[j] == cr.m[i]->table) dup = true;
            if (!dup && cr.m[i]->table->rows == CONFIG_ROWS_GROUPS) seen[ns++] = cr.m[i]->table;
        }
        for (size_t j = 0; j < ns; j++)
            if (seen[j]->index < 16) votes[seen[j]->index] += 1.0 / (double)ns;
    }
    const struct config_table *tt = title_table(c, x, title_floor, t->hdr_top ? t->hdr_top - 1 : 0);
    const struct config_table *tab = NULL;
    double best = 0;
    for (size_t ti = 0; ti < c->cfg->n_tables && ti < 16; ti++) {
        double v = votes[ti];
        if (v <= 0) continue;
        if (v > best + 1e-9 || (fabs(v - best) <= 1e-9 && tt == &c->cfg->tables[ti])) {
            best = v;
            tab = &c->cfg->tables[ti];
        }
    }
    return tab;
}

/* Map column col of table t (recognize.h 4.): its header path resolved
 * against the table; a breakdown-only path takes the metric of the nearest
 * mapped column to its left; a metric and breakdown already taken by an
 * earlier column leave this one unmapped. */
static void map_column(const rctx *c, const sheetx *x, rtable *t, uint32_t col)
{
    uint32_t L = t->label_col;
    bool rm = t->table->rows == CONFIG_ROWS_METRICS;
    colmap *cm = &t->cols[col - L - 1];
    size_t el[8];
    size_t n = header_path(x, t, col, el, 8);
    cm->hrow = t->hdr_bottom;
    cm->hcol = col;
    if (n) {
        cm->has_header = true;
        cm->hrow = x->s->cells[el[n - 1]].row;
        cm->hcol = x->s->cells[el[n - 1]].col;
        path_text(x, el, n, cm->htext, sizeof cm->htext);
    }
    colres cr;
    resolve_path(c, x, el, n, t->table, rm, &cr);
    if (rm) {
        if (cr.only_bd) { cm->bd = cr.only_bd; cm->mapped = true; }
    } else if (cr.nm) {
        cm->metric = cr.m[0];
        cm->bd = cr.bd ? cr.bd : (cr.m[0]->n_breakdowns ? cr.m[0]->breakdowns[0] : NULL);
        cm->mapped = cm->bd != NULL;
    } else if (cr.only_bd) {
        for (uint32_t lcol = col; lcol-- > L + 1;) {
            const colmap *p = &t->cols[lcol - L - 1];
            if (p->mapped && p->metric && config_metric_allows(p->metric, cr.only_bd)) {
                cm->metric = p->metric;
                cm->bd = cr.only_bd;
                cm->mapped = true;
                cm->inherit = true;
                break;
            }
        }
    }
    if (!cm->mapped) return;
    for (uint32_t pc = L + 1; pc < col; pc++) {
        const colmap *p = &t->cols[pc - L - 1];
        if (p->mapped && p->metric == cm->metric && p->bd == cm->bd) {
            cm->mapped = false;
            cm->metric = NULL;
            cm->bd = NULL;
            return;
        }
    }
}

/* Try to make a table from the located rows; false when its columns match nothing. */
static bool build_table(rctx *c, uint32_t si, uint32_t L, uint32_t top, uint32_t bottom, uint32_t fd,
                        uint32_t last, uint32_t title_floor, rtable *t)
{
    sheetx *x = &c->sx[si];
    memset(t, 0, sizeof *t);
    t->sheet = si;
    t->label_col = L;
    t->hdr_top = top;
    t->hdr_bottom = bottom;
    t->data_first = fd;
    t->data_last = last;
    t->first_col = L + 1;
    t->last_col = table_last_col(x, t);
    if (t->last_col <= L) return false;

    /* which table: a row metric anchor, else the columns' vote, else the title */
    const struct config_table *tab = row_metric_table(c, x, t);
    if (!tab) tab = voted_table(c, x, t, title_floor);
    if (!tab) return false;
    t->table = tab;
    if (tab->rows == CONFIG_ROWS_METRICS) {
        for (size_t g = 0; g < c->cfg->n_groups; g++)
            if (config_group_in_table(&c->cfg->groups[g], tab)) { t->rows_group = &c->cfg->groups[g]; break; }
        if (!t->rows_group) return false;
    }

    t->cols = arena_calloc(&c->mem, (size_t)(t->last_col - L), sizeof *t->cols);
    if (!t->cols) { c->oom = true; return false; }
    size_t mapped = 0;
    for (uint32_t col = L + 1; col <= t->last_col; col++) {
        map_column(c, x, t, col);
        if (t->cols[col - L - 1].mapped) mapped++;
    }
    return mapped > 0;
}

/* Find every table of sheet si. */
static void locate_sheet(rctx *c, uint32_t si)
{
    sheetx *x = &c->sx[si];
    uint32_t floor_row = 0, r = 0;
    while (r < x->s->nrows && !c->oom) {
        long lc = -1;
        uint32_t a = r;
        for (; a < x->s->nrows; a++) if ((lc = row_anchor(x, a)) >= 0) break;
        if (lc < 0) break;
        uint32_t L = (uint32_t)lc;
        /* up over data rows and blank rows between them to the header band */
        uint32_t fd = a, up = a;
        while (up > floor_row) {
            if (row_datalike(x, up - 1, L)) fd = --up;
            else if (row_blank(x, up - 1)) --up;
            else break;
        }
        uint32_t h = up;           /* rows [top, h) form the header band */
        if (h > floor_row && row_colnum(x, h - 1)) h--;
        uint32_t bottom_excl = h;
        int count = 0;
        while (h > floor_row && count < 4 && row_headerish(x, h - 1, L) && !row_any(x, h - 1, F_TITLE)) {
            h--;
            count++;
        }
        uint32_t last = scan_down(c, x, fd, L);
        if (last < a) last = a;
        if (count > 0) {
            rtable t;
            if (build_table(c, si, L, h, bottom_excl - 1, fd, last, floor_row, &t)) {
                if (!buf_grow_array((void **)&c->tables, &c->captables, c->ntables + 1, sizeof *c->tables)) {
                    c->oom = true;
                    return;
                }
                c->tables[c->ntables++] = t;
                if (!x->has_table) { x->has_table = true; x->first_header_row = h; }
                floor_row = last + 1;
            }
        }
        r = last + 1;
    }
}

/* ---- values ---------------------------------------------------------------------- */

/* Queue a record (or a total) for the commit step. */
static void add_pend(rctx *c, const rtable *t, const char *group, const char *metric, const char *bd,
                     double v, uint32_t row, uint32_t col, size_t cell, bool total)
{
    if (!buf_grow_array((void **)&c->pend, &c->cappend, c->npend + 1, sizeof *c->pend)) { c->oom = true; return; }
    c->pend[c->npend++] = (pend){ group, metric, bd, v, t->sheet, row, col,
                                  (int)t->table->index + 1, cell, total };
    if (cell != SIZE_MAX && !total) c->sx[t->sheet].ci[cell].fate = FATE_RECORDED;
}

/* The text of a cell as the user sees it, for messages. */
static void cell_text(const grid_cell *cell, char out[96])
{
    switch (cell->type) {
    case WB_TEXT: copy_utf8(out, 96, cell->text); break;
    case WB_ERROR: copy_utf8(out, 96, cell->text ? cell->text : "#ERR"); break;
    case WB_BOOL: snprintf(out, 96, "%s", cell->num != 0 ? "TRUE" : "FALSE"); break;
    case WB_DATE: wb_date_iso(cell->num, out); break;
    default: { char n[32]; wb_number_str(cell->num, n); snprintf(out, 96, "%s", n); }
    }
}

/* Read one data cell: true with *v for a value (zero marks are 0), false when
 * it is not a number. A count column reads thousands first ("1.234" = 1234);
 * a text that is a number only with a decimal part ("12,5") is still that
 * number — a fractional count is the validator's finding, not "not a number". */
static bool cell_value(const grid_cell *cell, bool money, double *v)
{
    *v = 0;
    if (cell->type == WB_NUMBER) { *v = cell->num; return true; }
    if (cell->type != WB_TEXT) return false;
    if (numparse_text(cell->text, cell->len, money, v) != NUMPARSE_BAD) return true;
    return !money && numparse_text(cell->text, cell->len, true, v) == NUMPARSE_VALUE;
}

/* Reject a cell that is not a number (error not_a_number). */
static void reject_nan(rctx *c, const rtable *t, size_t ci, const char *rowlabel, const colmap *cm)
{
    const sheetx *x = &c->sx[t->sheet];
    const grid_cell *cell = &x->s->cells[ci];
    char a1[16], txt[96];
    ref(cell->row, cell->col, a1);
    cell_text(cell, txt);
    c->sx[t->sheet].ci[ci].fate = FATE_REJECTED;
    if (!c->quiet)
        results_add_finding(c->res, SEV_ERROR, "not_a_number", c->src, x->s->name, a1, c->unit, c->year,
                        "Ô %s ghi \"%s\" — không phải là số (dòng \"%s\", cột \"%s\"). Hãy nhập số; "
                        "để trống hoặc ghi \"-\" nếu bằng 0.",
                        a1, txt, rowlabel, cm->has_header ? cm->htext : "không có tiêu đề");
}

/* The parent of data row k of a groups table: the nearest row above with a
 * group that has parts, when every assigned row between is one of them. */
static const struct config_group *parent_before(const struct config_group *const *rowg, size_t k)
{
    while (k-- > 0) {
        const struct config_group *g = rowg[k];
        if (!g) continue;
        if (g->n_parts) return g;
        if (!g->part_of && !g->subset_of) return NULL;
    }
    return NULL;
}

/* The label of data row r when it may name a group: NULL for no label and for
 * the "Tổng cộng" row. */
static const cinfo *group_label(const sheetx *x, uint32_t r, uint32_t L)
{
    size_t li = label_cell(x, r, L);
    if (li == SIZE_MAX || (x->ci[li].flags & F_TOTAL)) return NULL;
    return &x->ci[li];
}

/* Rows → groups of a groups table as one assignment, each group at most once
 * (recognize.h 5.): first the exact labels top to bottom, then the fuzzy ones
 * best score first, each chosen among the groups still free and under the
 * parent its assigned neighbours give it. rowg has one entry per data row. */
static void assign_rows(rctx *c, const rtable *t, const struct config_group **rowg)
{
    const sheetx *x = &c->sx[t->sheet];
    size_t n = (size_t)(t->data_last - t->data_first) + 1;
    gused used;
    memset(&used, 0, sizeof used);
    for (size_t k = 0; k < n; k++) {
        const cinfo *ci = group_label(x, t->data_first + (uint32_t)k, t->label_col);
        rowg[k] = ci ? exact_group(c, ci, t->table, parent_before(rowg, k), &used) : NULL;
        if (rowg[k] && rowg[k]->index < 64) used.used[rowg[k]->index] = true;
    }
    for (;;) {
        size_t bk = SIZE_MAX;
        const struct config_group *bg = NULL;
        double bs = 0;
        for (size_t k = 0; k < n; k++) {
            if (rowg[k]) continue;
            const cinfo *ci = group_label(x, t->data_first + (uint32_t)k, t->label_col);
            if (!ci) continue;
            const struct config_group *parent = parent_before(rowg, k);
            double sc = 1.0;
            const struct config_group *g = exact_group(c, ci, t->table, parent, &used);
            if (!g) g = fuzzy_group(c, ci, t->table, parent, &used, &sc);
            if (g && sc > bs) { bs = sc; bg = g; bk = k; }
        }
        if (!bg) break;
        rowg[bk] = bg;
        if (bg->index < 64) used.used[bg->index] = true;
    }
}

/* Mark the unmapped columns that hold numbers in data rows (their cells are
 * data, kept as "unmapped") and warn about every unmapped column with a
 * header or numbers. */
static void note_unmapped_columns(rctx *c, rtable *t, const char *tname)
{
    sheetx *x = &c->sx[t->sheet];
    uint32_t L = t->label_col;
    for (uint32_t r = t->data_first; r <= t->data_last; r++) {
        size_t li = label_cell(x, r, L);
        if (li != SIZE_MAX && is_total_label(c, &x->ci[li])) continue;
        size_t a, b;
        row_span(x, r, &a, &b);
        for (size_t i = a; i < b; i++) {
            uint32_t col = x->s->cells[i].col;
            if (col <= L || col > t->last_col) continue;
            colmap *cm = &t->cols[col - L - 1];
            if (!cm->mapped && cell_numeric(&x->s->cells[i])) cm->holds_numbers = true;
        }
    }
    for (size_t k = 0; k < (size_t)(t->last_col - L); k++) {
        colmap *cm = &t->cols[k];
        if (cm->mapped || (!cm->has_header && !cm->holds_numbers)) continue;
        char a1[16];
        ref(cm->hrow, cm->hcol, a1);
        if (!c->quiet)
            results_add_finding(c->res, SEV_WARNING, "unmapped_column", c->src, x->s->name, a1, c->unit,
                                c->year,
                                "Cột \"%s\" (%s) không khớp chỉ tiêu nào của %s — kiểm tra lại tiêu đề cột%s.",
                                cm->has_header ? cm->htext : "không có tiêu đề", a1, tname,
                                cm->holds_numbers ? "; số liệu của cột được giữ lại là \"unmapped\"" : "");
    }
}

/* The "Tổng cộng" row r: its mapped values are totals (checked, never recorded). */
static void extract_total_row(rctx *c, const rtable *t, uint32_t r)
{
    const sheetx *x = &c->sx[t->sheet];
    uint32_t L = t->label_col;
    bool rm = t->table->rows == CONFIG_ROWS_METRICS;
    size_t a, b;
    row_span(x, r, &a, &b);
    for (size_t i = a; i < b; i++) {
        const grid_cell *cell = &x->s->cells[i];
        if (cell->col <= L || cell->col > t->last_col) continue;
        const colmap *cm = &t->cols[cell->col - L - 1];
        if (!cm->mapped) continue;
        double v;
        bool money = rm || (cm->metric && cm->metric->value == CONFIG_VALUE_MONEY);
        if (!cell_value(cell, money, &v)) continue;
        add_pend(c, t, "total", rm ? "total" : cm->metric->code, cm->bd->code, v, r, cell->col, i, true);
    }
}

/* A present group row: every mapped column gives a record (a blank is 0), an
 * unmapped column with numbers an "unmapped" record. rmetric: the row's
 * metric in a rows=metrics table, else NULL. */
static void extract_group_row(rctx *c, const rtable *t, uint32_t r, const struct config_group *g,
                              const struct config_metric *rmetric, const char *label)
{
    const sheetx *x = &c->sx[t->sheet];
    uint32_t L = t->label_col;
    bool rm = t->table->rows == CONFIG_ROWS_METRICS;
    for (uint32_t col = L + 1; col <= t->last_col; col++) {
        const colmap *cm = &t->cols[col - L - 1];
        const grid_cell *cell = grid_at(x->s, r, col);
        size_t ci = cell ? (size_t)(cell - x->s->cells) : SIZE_MAX;
        const struct config_metric *m = rm ? rmetric : cm->metric;
        bool ok_col = cm->mapped && m && (!rm || config_metric_allows(m, cm->bd));
        double v = 0;
        if (!ok_col) {
            if (!cell || !cm->holds_numbers) continue;
            if (cell_value(cell, true, &v)) add_pend(c, t, g->code, "unmapped", "all", v, r, col, ci, false);
            else reject_nan(c, t, ci, label, cm);
            continue;
        }
        if (!cell) add_pend(c, t, g->code, m->code, cm->bd->code, 0, r, col, SIZE_MAX, false);
        else if (cell_value(cell, m->value == CONFIG_VALUE_MONEY, &v))
            add_pend(c, t, g->code, m->code, cm->bd->code, v, r, col, ci, false);
        else reject_nan(c, t, ci, label, cm);
    }
}

/* A row that names no group: kept as "unmapped" records, with a warning,
 * when it holds numbers. li: its label cell (SIZE_MAX none). */
static void extract_unmapped_row(rctx *c, const rtable *t, uint32_t r, size_t li, const char *label,
                                 const char *tname)
{
    const sheetx *x = &c->sx[t->sheet];
    uint32_t L = t->label_col;
    bool rm = t->table->rows == CONFIG_ROWS_METRICS;
    size_t a, b;
    row_span(x, r, &a, &b);
    bool numbers = false;
    for (size_t i = a; i < b; i++) {
        const grid_cell *cell = &x->s->cells[i];
        if (cell->col <= L || cell->col > t->last_col) continue;
        const colmap *cm = &t->cols[cell->col - L - 1];
        if ((cm->mapped || cm->holds_numbers) && cell_numeric(cell)) numbers = true;
    }
    if (!numbers) return;
    char a1[16];
    ref(r, li != SIZE_MAX ? x->s->cells[li].col : L, a1);
    if (!c->quiet)
        results_add_finding(c->res, SEV_WARNING, "unmapped_row", c->src, x->s->name, a1, c->unit, c->year,
                            "Dòng \"%s\" (%s) không khớp %s nào của %s — kiểm tra lại tên dòng; số liệu "
                            "của dòng được giữ lại là \"unmapped\".",
                            label[0] ? label : "không có tên", a1, rm ? "nội dung" : "đối tượng", tname);
    for (size_t i = a; i < b; i++) {
        const grid_cell *cell = &x->s->cells[i];
        if (cell->col <= L || cell->col > t->last_col) continue;
        const colmap *cm = &t->cols[cell->col - L - 1];
        if (!cm->mapped && !cm->holds_numbers) continue;
        double v;
        const char *metric = cm->mapped && cm->metric ? cm->metric->code : "unmapped";
        const char *bd = cm->mapped && cm->bd ? cm->bd->code : "all";
        if (cell_value(cell, true, &v)) add_pend(c, t, "unmapped", metric, bd, v, r, cell->col, i, false);
        else reject_nan(c, t, i, label[0] ? label : "không có tên", cm);
    }
}

/* Extract the records, totals and findings of one table. */
static void extract_table(rctx *c, rtable *t)
{
    sheetx *x = &c->sx[t->sheet];
    const struct config_table *tab = t->table;
    bool rm = tab->rows == CONFIG_ROWS_METRICS;
    uint32_t L = t->label_col;
    char tname[32];
    table_name(tab, tname);
    note_unmapped_columns(c, t, tname);

    size_t nrows = (size_t)(t->data_last - t->data_first) + 1;
    const struct config_group **rowg = rm ? NULL : calloc(nrows, sizeof *rowg);
    if (!rm && !rowg) { c->oom = true; return; }
    if (!rm) assign_rows(c, t, rowg);
    for (uint32_t r = t->data_first; r <= t->data_last && !c->oom; r++) {
        if (row_blank(x, r)) continue;
        size_t li = label_cell(x, r, L);
        const cinfo *lci = li != SIZE_MAX ? &x->ci[li] : NULL;
        char label[96] = "";
        if (li != SIZE_MAX) copy_utf8(label, sizeof label, x->s->cells[li].text);
        if (lci && is_total_label(c, lci)) { extract_total_row(c, t, r); continue; }
        const struct config_group *g = NULL;
        const struct config_metric *rmetric = NULL;
        if (rm && lci) {
            rmetric = match_row_metric(c, lci, tab);
            if (rmetric) g = t->rows_group;
        } else if (!rm) {
            g = rowg[r - t->data_first];
        }
        if (g) extract_group_row(c, t, r, g, rmetric, label);
        else extract_unmapped_row(c, t, r, li, label, tname);
    }
    free(rowg);
}

/* ---- unit and year ---------------------------------------------------------------- */

/* "Sở Y tế (so-y-te), Sở Tư pháp (so-tu-phap)" into out. */
static void candidates_text(const ident_result *id, char *out, size_t cap)
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < id->n_candidates && i < 3; i++) {
        if (!id->candidates[i]) continue;
        if (b.len) buf_puts(&b, ", ");
        buf_printf(&b, "%s (%s)", id->candidates[i]->name, id->candidates[i]->code);
    }
    copy_utf8(out, cap, buf_str(&b));
    buf_free(&b);
}

/* Findings about unit and year; returns true when the file's records may be added. */
static bool unit_year_findings(rctx *c, const ident_result *id)
{
    results *res = c->res;
    char a1[16] = "", cands_s[600];
    bool ok = true;
    candidates_text(id, cands_s, sizeof cands_s);
    if (id->unit_sheet) ref(id->unit_row, id->unit_col, a1);
    if (!id->unit) {
        ok = false;
        const char *txt = id->unit_text[0] ? id->unit_text : "";
        if (id->ambiguous)
            results_add_finding(res, SEV_ERROR, "unit_ambiguous", c->src, id->unit_sheet, a1, NULL, c->year,
                                "Tên đơn vị \"%s\" ứng với nhiều đơn vị: %s. Ghi đầy đủ tên đơn vị ở dòng "
                                "\"Đơn vị báo cáo: …\" (số liệu của tệp chưa được tổng hợp).",
                                txt, cands_s[0] ? cands_s : "?");
        else if (txt[0])
            results_add_finding(res, SEV_ERROR, "unit_unknown", c->src, id->unit_sheet, a1, NULL, c->year,
                                "Không nhận ra đơn vị \"%s\" trong danh mục đơn vị.%s%s%s Ghi đúng tên đơn "
                                "vị ở dòng \"Đơn vị báo cáo: …\" (số liệu của tệp chưa được tổng hợp).",
                                txt, cands_s[0] ? " Có phải: " : "", cands_s, cands_s[0] ? "?" : "");
        else
            results_add_finding(res, SEV_ERROR, "unit_unknown", c->src, NULL, NULL, NULL, c->year,
                                "Không tìm thấy tên đơn vị báo cáo ở phần đầu biểu hay trong tên tệp.%s%s%s "
                                "Ghi tên đơn vị ở dòng \"Đơn vị báo cáo: …\" (số liệu của tệp chưa được "
                                "tổng hợp).",
                                cands_s[0] ? " Có phải: " : "", cands_s, cands_s[0] ? "?" : "");
    }
    char y1[16] = "";
    if (id->year_sheet) ref(id->year_row, id->year_col, y1);
    if (!id->year) {
        ok = false;
        results_add_finding(res, SEV_ERROR, "year_missing", c->src, NULL, NULL, c->unit, 0,
                            "Không xác định được năm báo cáo (không có ở tiêu đề, tên tệp hay tên thư mục). "
                            "Ghi \"NĂM YYYY\" vào tiêu đề báo cáo (số liệu của tệp chưa được tổng hợp).");
    } else {
        int yt = id->year_title;
        if (yt && ((id->year_file && id->year_file != yt) || (id->year_folder && id->year_folder != yt)))
            results_add_finding(res, SEV_WARNING, "year_conflict", c->src, id->year_sheet, y1, c->unit,
                                id->year,
                                "Năm ở tiêu đề (%d) khác năm ở tên tệp (%d) / thư mục (%d); lấy năm %d theo "
                                "tiêu đề — kiểm tra lại năm báo cáo.",
                                yt, id->year_file, id->year_folder, yt);
        const struct config_plan *p = &c->cfg->plan;
        if (id->year < p->first_year || id->year > p->last_year) {
            ok = false;
            results_add_finding(res, SEV_ERROR, "year_outside_plan", c->src, id->year_sheet, y1, c->unit,
                                id->year,
                                "Năm báo cáo %d nằm ngoài thời gian của Kế hoạch (%d–%d); số liệu của tệp "
                                "chưa được tổng hợp — kiểm tra lại năm ở tiêu đề.",
                                id->year, p->first_year, p->last_year);
        }
        if (id->unit && !config_unit_active_in_year(id->unit, id->year)) {
            results_add_finding(res, SEV_WARNING, "unit_inactive", c->src, id->unit_sheet, a1, c->unit,
                                id->year,
                                "Đơn vị %s (%s) không còn / chưa hoạt động trong năm %d — kiểm tra lại đơn "
                                "vị và năm báo cáo.",
                                id->unit->name, id->unit->code, id->year);
        }
    }
    return ok;
}

/* Display name of a legacy encoding for messages. */
static const char *enc_label(vnenc_kind k)
{
    switch (k) {
    case VNENC_TCVN3: return "TCVN3 (.VnTime)";
    case VNENC_TCVN3_H: return "TCVN3 (.VnTimeH)";
    case VNENC_VNI: return "VNI (VNI-Times)";
    default: return "?";
    }
}

/* ---- public ----------------------------------------------------------------------- */

/* Unit and year from the title rows above each sheet's first table. */
static void identify(rctx *c, const char *path, ident_result *id)
{
    memset(id, 0, sizeof *id);
    uint32_t *title_rows = c->nsheets ? calloc(c->nsheets, sizeof *title_rows) : NULL;
    if (c->nsheets && !title_rows) { c->oom = true; return; }
    for (size_t si = 0; si < c->nsheets; si++) {
        const sheetx *x = &c->sx[si];
        title_rows[si] = x->has_table && x->first_header_row > 0 ? x->first_header_row : IDENT_SKIP_SHEET;
    }
    ident_workbook(c->cfg, &c->view, path, c->ntables ? title_rows : NULL, id);
    free(title_rows);
}

/* One info legacy_encoding_repaired per sheet with a table and repaired cells. */
static void legacy_findings(rctx *c)
{
    for (size_t si = 0; si < c->nsheets; si++) {
        const sheetx *x = &c->sx[si];
        if (!x->has_table || !x->nrepaired) continue;
        const grid_cell *fc = &x->s->cells[x->first_repaired];
        char a1[16];
        ref(fc->row, fc->col, a1);
        results_add_finding(c->res, SEV_INFO, "legacy_encoding_repaired", c->src, x->s->name, a1, c->unit,
                            c->year,
                            "Đã chuyển %zu ô chữ gõ bằng bảng mã cũ %s sang Unicode (ô đầu tiên: %s). "
                            "Lần sau hãy gõ bằng Unicode.",
                            x->nrepaired, enc_label(x->repaired_kind), a1);
    }
}

/* Records and totals go to res only when unit and year are known (ok);
 * otherwise the cells they came from count as rejected. */
static void commit(rctx *c, bool ok)
{
    results *res = c->res;
    for (size_t i = 0; i < c->npend && !res->oom; i++) {
        const pend *p = &c->pend[i];
        if (!ok) {
            if (!p->total && p->cell != SIZE_MAX) c->sx[p->sheet].ci[p->cell].fate = FATE_REJECTED;
            continue;
        }
        record rec = { .source = c->src, .unit = c->unit, .year = c->year, .table = p->table,
                       .group = p->group, .metric = p->metric, .breakdown = p->bd, .value = p->value,
                       .sheet = c->sx[p->sheet].s->name, .row = p->row, .col = p->col };
        if (p->total) results_add_total(res, &rec);
        else results_add_record(res, &rec);
    }
}

/* cells_read == cells_recorded + cells_rejected + cells_outside (recognize.h). */
static void count_cells(const rctx *c, const grid_book *book, source_file *sf)
{
    size_t read = 0, recorded = 0, rejected = 0;
    for (size_t si = 0; si < book->nsheets; si++) read += book->sheets[si].ncells;
    for (size_t si = 0; si < c->nsheets && c->sx; si++)
        for (size_t i = 0; c->sx[si].s && c->sx[si].ci && i < c->sx[si].s->ncells; i++) {
            recorded += c->sx[si].ci[i].fate == FATE_RECORDED;
            rejected += c->sx[si].ci[i].fate == FATE_REJECTED;
        }
    sf->cells_read = read;
    sf->cells_recorded = recorded;
    sf->cells_rejected = rejected;
    sf->cells_outside = read - recorded - rejected;
}

/* See recognize.h: locate, identify, extract, then commit or reject. */
int recognize_workbook(const struct config *cfg, const grid_book *book, results *res, uint32_t src)
{
    rctx c;
    memset(&c, 0, sizeof c);
    c.cfg = cfg;
    c.res = res;
    c.src = src;
    arena_init(&c.mem);
    source_file *sf = src < res->nsources ? &res->sources[src] : NULL;

    ix_build(&c);
    if (!c.oom) prepare(&c, book);
    for (size_t si = 0; si < c.nsheets && !c.oom; si++) locate_sheet(&c, (uint32_t)si);

    ident_result id;
    memset(&id, 0, sizeof id);
    if (!c.oom) identify(&c, sf ? sf->path : "", &id);
    c.unit = id.unit ? id.unit->code : NULL;
    c.unit_ent = id.unit;
    c.year = id.year;
    /* A file without any table of the form is no report: it names no unit
     * or year in sources.csv, whatever words its cells happen to hold. */
    if (sf && c.ntables > 0) {
        sf->unit = id.unit ? results_str(res, id.unit->code) : NULL;
        sf->year = id.year;
        sf->report_date = id.report_date;
    }

    bool ok = false;
    if (c.ntables == 0 && !c.oom) {
        results_add_finding(res, SEV_ERROR, "no_form", src, NULL, NULL, c.unit, c.year,
                            "Không tìm thấy biểu báo cáo nào (Biểu 01, 02, 03) trong tệp: không có bảng "
                            "nào có tiêu đề cột và dòng đối tượng khớp mẫu. Hãy dùng đúng mẫu biểu của Sở "
                            "Nội vụ.");
    } else if (!c.oom) {
        ok = unit_year_findings(&c, &id);
        c.quiet = !ok;
        if (ok) legacy_findings(&c);
        for (size_t ti = 0; ti < c.ntables && !c.oom; ti++) extract_table(&c, &c.tables[ti]);
    }
    commit(&c, ok);
    if (sf) count_cells(&c, book, sf);
    if (c.oom) res->oom = true;

    int n = (int)c.ntables;
    free(c.ix);
    free(c.tables);
    free(c.pend);
    buf_free(&c.b1);
    buf_free(&c.b2);
    buf_free(&c.b3);
    arena_free(&c.mem);
    return n;
}
