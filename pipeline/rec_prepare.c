/* pipeline/rec_prepare.c — recognition step 0, prepare: the alias index of the
 * configuration (once per run: rec_index), the repaired (TCVN3/VNI → Unicode) view of the book, and every text cell's
 * folded keys and exact-hit flags (recognize.h 1.–2.). */
#include "pipeline/rec_ctx.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fold.h"
#include "base/text.h"
#include "input/workbook.h"
#include "pipeline/ident.h"
#include "pipeline/numparse.h"
#include "pipeline/recognize.h"

/* Copy a buf's content into the arena (NULL on OOM). */
static const char *keep(rctx *c, const buf *b)
{
    const char *p = arena_strndup(&c->mem, buf_str(b), b->len);
    if (!p) c->oom = true;
    return p;
}

bool rec_key_starts(const char *key, const char *p)
{
    size_t n = strlen(p);
    return strncmp(key, p, n) == 0 && (key[n] == '\0' || key[n] == ' ');
}

bool rec_has_digit(const char *s)
{
    for (; *s; s++) if (*s >= '0' && *s <= '9') return true;
    return false;
}

void rec_ref(uint32_t row, uint32_t col, char out[16])
{
    wb_cell_ref(row, col, out);
}

void rec_table_name(const struct config_table *t, char out[32])
{
    snprintf(out, 32, "Biểu %02zu", t ? t->index + 1 : 0);
}

void rec_copy_utf8(char *out, size_t n, const char *s)
{
    text_copy_cut(out, n, s);
    for (char *p = out; *p; p++) if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
}

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

/* Add the key of text to the index (b: scratch). */
static void ix_add(rec_index *x, buf *b, const char *text, unsigned kind, const void *ent)
{
    if (!text || !*text || x->oom) return;
    buf_clear(b);
    if (!fold_match_key(text, strlen(text), b)) { x->oom = true; return; }
    if (b->len == 0) return;
    if (!buf_grow_array((void **)&x->ix, &x->capix, x->nix + 1, sizeof *x->ix)) { x->oom = true; return; }
    const char *k = arena_strndup(&x->mem, buf_str(b), b->len);
    if (!k) { x->oom = true; return; }
    x->ix[x->nix++] = (ix_entry){ k, kind, ent };
}

/* Add a label and its aliases. */
static void ix_add_strs(rec_index *x, buf *b, const char *label, const struct config_strs *s,
                        unsigned kind, const void *ent)
{
    ix_add(x, b, label, kind, ent);
    for (size_t i = 0; i < s->n; i++) ix_add(x, b, s->items[i], kind, ent);
}

/* Order of index entries: by key, then kind. */
static int ix_cmp(const void *a, const void *b)
{
    const ix_entry *x = a, *y = b;
    int r = strcmp(x->key, y->key);
    if (r) return r;
    return (x->kind > y->kind) - (x->kind < y->kind);
}

/* The alias entries of the config and the form words (b: scratch). */
static void ix_add_config(rec_index *x, buf *b)
{
    const struct config *cfg = x->cfg;
    for (size_t i = 0; i < cfg->n_metrics; i++)
        ix_add_strs(x, b, cfg->metrics[i].label, &cfg->metrics[i].aliases, K_METRIC, &cfg->metrics[i]);
    for (size_t i = 0; i < cfg->n_headings; i++)
        ix_add_strs(x, b, cfg->headings[i].label, &cfg->headings[i].aliases, K_HEADING,
                    &cfg->headings[i]);
    for (size_t i = 0; i < cfg->n_breakdowns; i++)
        ix_add_strs(x, b, cfg->breakdowns[i].label, &cfg->breakdowns[i].aliases, K_BREAKDOWN,
                    &cfg->breakdowns[i]);
    for (size_t i = 0; i < cfg->n_groups; i++) {
        ix_add_strs(x, b, cfg->groups[i].label, &cfg->groups[i].aliases, K_GROUP, &cfg->groups[i]);
        ix_add_strs(x, b, NULL, &cfg->groups[i].sub_aliases, K_SUBGROUP, &cfg->groups[i]);
    }
    for (size_t i = 0; i < cfg->n_tables; i++)
        ix_add_strs(x, b, NULL, &cfg->tables[i].aliases, K_TABLE, &cfg->tables[i]);
    ix_add_strs(x, b, NULL, &cfg->form.total_row, K_TOTAL, NULL);
    ix_add_strs(x, b, NULL, &cfg->form.footer, K_FOOTER, NULL);
    ix_add_strs(x, b, NULL, &cfg->form.label_header, K_LBLHDR, NULL);
    ix_add_strs(x, b, NULL, &cfg->form.filler, K_FILLER, NULL);
}

rec_index *recognize_index_new(const struct config *cfg)
{
    rec_index *x = calloc(1, sizeof *x);
    if (!x) return NULL;
    x->cfg = cfg;
    arena_init(&x->mem);
    buf b = BUF_INIT;
    ix_add_config(x, &b);
    for (size_t i = 0; i < cfg->form.subset_prefix.n && x->nprefix < 8 && !x->oom; i++) {
        const char *w = cfg->form.subset_prefix.items[i];
        buf_clear(&b);
        if (!fold_key(w, strlen(w), &b)) { x->oom = true; break; }
        if (!b.len) continue;
        if (!(x->prefix[x->nprefix] = arena_strndup(&x->mem, buf_str(&b), b.len))) x->oom = true;
        else x->nprefix++;
    }
    buf_free(&b);
    if (x->nix) qsort(x->ix, x->nix, sizeof *x->ix, ix_cmp);
    /* the titles' and footers' entries apart: every distinct text of a
     * workbook is tried against them (cell_flags) */
    x->titles = arena_alloc(&x->mem, (x->nix ? x->nix : 1) * sizeof *x->titles);
    if (!x->titles) x->oom = true;
    for (size_t i = 0; x->titles && i < x->nix; i++)
        if (x->ix[i].kind == K_TABLE || x->ix[i].kind == K_FOOTER) x->titles[x->ntitles++] = &x->ix[i];
    if (!x->oom && !(x->ident = ident_index_new(cfg))) x->oom = true;
    if (x->oom) { recognize_index_free(x); return NULL; }
    return x;
}

void recognize_index_free(rec_index *x)
{
    if (!x) return;
    ident_index_free(x->ident);
    free(x->ix);
    arena_free(&x->mem);
    free(x);
}

size_t rec_ix_range(const rctx *c, const char *k, size_t *lo)
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

/* Exact-hit flags of one text cell's keys. */
static uint32_t cell_flags(const rctx *c, const cinfo *ci)
{
    uint32_t f = 0;
    for (int v = 0; v < 3; v++) {
        if (!ci->hk[v]) continue;
        size_t lo, hi = rec_ix_range(c, ci->hk[v], &lo);
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
        size_t lo, hi = rec_ix_range(c, ci->lk[v], &lo);
        for (size_t i = lo; i < hi; i++) {
            const ix_entry *e = &c->ix[i];
            if (e->kind == K_GROUP || e->kind == K_SUBGROUP) f |= F_GROUP;
            else if (e->kind == K_TOTAL) f |= F_TOTAL;
            else if (e->kind == K_METRIC &&
                     ((const struct config_metric *)e->ent)->table->rows == CONFIG_ROWS_METRICS)
                f |= F_ROWMETRIC;
            else if (e->kind == K_BREAKDOWN && !((const struct config_breakdown *)e->ent)->n_parts &&
                     rec_rows_metrics_table_of(c->cfg, e->ent))
                f |= F_ROWBD;    /* a source; not their total ("Tổng cộng" is a total row) */
        }
    }
    const char *k = ci->hk[0];
    if (k) {
        for (size_t i = 0; i < c->rx->ntitles; i++) {
            const ix_entry *e = c->rx->titles[i];
            if (e->kind == K_TABLE) {
                if (strcmp(k, e->key) == 0 || (rec_key_starts(k, e->key) && rec_has_digit(e->key))) f |= F_TITLE;
            } else if (e->kind == K_FOOTER) {
                if (rec_key_starts(k, e->key)) f |= F_FOOTER;
            }
        }
    }
    return f;
}

/* ---- work once per distinct text ------------------------------------------------ */

/* What was made of one text (and font): its cut, its repair, its keys. The
 * grid stores a shared string once (input/grid.h), so cells showing the
 * same string share a pointer, and the memo is keyed by pointers. */
typedef struct {
    const void *a, *b;   /* the key; a == NULL marks a free slot             */
    const char *text;    /* the result text (cut or repaired), NULL: unchanged */
    size_t len;
    vnenc_kind kind;     /* the repair's encoding                            */
    const cinfo *keys;   /* the first cell's keys and flags                   */
} memo_slot;

typedef struct {
    memo_slot *t;
    size_t n, cap;
} memo;

static size_t memo_hash(const void *a, const void *b, size_t cap)
{
    uint64_t h = (uint64_t)(uintptr_t)a * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)b;
    h ^= h >> 29;
    return (size_t)(h * 0xBF58476D1CE4E5B9ull >> 17) & (cap - 1);
}

/* The slot of (a, b): found (slot->a set) or free to fill (count it with
 * memo_used); NULL with c->oom set. Kept at most half full. */
static memo_slot *memo_find(rctx *c, memo *m, const void *a, const void *b)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 256;
        memo_slot *t = calloc(cap, sizeof *t);
        if (!t) { c->oom = true; return NULL; }
        for (size_t i = 0; i < m->cap; i++) {
            if (!m->t[i].a) continue;
            size_t h = memo_hash(m->t[i].a, m->t[i].b, cap);
            while (t[h].a) h = (h + 1) & (cap - 1);
            t[h] = m->t[i];
        }
        free(m->t);
        m->t = t;
        m->cap = cap;
    }
    size_t h = memo_hash(a, b, m->cap);
    while (m->t[h].a && !(m->t[h].a == a && m->t[h].b == b)) h = (h + 1) & (m->cap - 1);
    return &m->t[h];
}

static void memo_used(memo *m, memo_slot *s, const void *a, const void *b)
{
    s->a = a;
    s->b = b;
    m->n++;
}

/* Cut a text cell of the view to REC_TEXT_MAX bytes (at a character), one
 * copy per distinct text. */
static void cut_text(rctx *c, memo *m, grid_cell *cell)
{
    if (cell->len <= REC_TEXT_MAX) return;
    memo_slot *slot = memo_find(c, m, cell->text, NULL);
    if (!slot) return;
    if (!slot->a) {
        size_t n = REC_TEXT_MAX;
        while (n > 0 && ((unsigned char)cell->text[n] & 0xC0) == 0x80) n--;
        slot->text = arena_strndup(&c->mem, cell->text, n);
        slot->len = n;
        if (!slot->text) { c->oom = true; return; }
        memo_used(m, slot, cell->text, NULL);
    }
    cell->text = slot->text;
    cell->len = slot->len;
}

/* vnenc_repair of a text cell of the view, once per distinct (text, font):
 * its kind, with the repaired text in cell (VNENC_NONE: left as it is). */
static vnenc_kind repair_text(rctx *c, memo *m, grid_cell *cell, buf *rep)
{
    memo_slot *slot = memo_find(c, m, cell->text, cell->font ? cell->font : "");
    if (!slot) return VNENC_NONE;
    if (!slot->a) {
        buf_clear(rep);
        slot->kind = vnenc_repair(cell->font, cell->text, cell->len, rep);
        if (rep->oom) { c->oom = true; return VNENC_NONE; }
        if (slot->kind != VNENC_NONE) {
            slot->text = keep(c, rep);
            slot->len = rep->len;
            if (!slot->text) return VNENC_NONE;
        }
        memo_used(m, slot, cell->text, cell->font ? cell->font : "");
    }
    if (slot->kind != VNENC_NONE) {
        cell->text = slot->text;
        cell->len = slot->len;
    }
    return slot->kind;
}

/* Keys and exact-hit flags of a text cell, folded once per distinct text. */
static void cell_keys(rctx *c, memo *m, const grid_cell *cell, cinfo *inf)
{
    memo_slot *slot = memo_find(c, m, cell->text, NULL);
    if (!slot) return;
    if (slot->a) {
        memcpy(inf->hk, slot->keys->hk, sizeof inf->hk);
        memcpy(inf->lk, slot->keys->lk, sizeof inf->lk);
        inf->flags = slot->keys->flags;
        return;
    }
    text_keys(c, cell->text, cell->len, inf);
    inf->flags = cell_flags(c, inf);
    slot->keys = inf;
    memo_used(m, slot, cell->text, NULL);
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
    memo m = {0};   /* (text, font) → the decoded text, or none */
    for (size_t i = 0; i < x->s->ncells && !c->oom; i++) {
        grid_cell *cell = &x->s->cells[i];
        if (cell->type != WB_TEXT || !cell->text || x->ci[i].repaired) continue;
        vnenc_kind k = vnenc_font_hint(cell->font);
        if (k == VNENC_NONE || (k == VNENC_VNI) != (x->repaired_kind == VNENC_VNI)) continue;
        memo_slot *slot = memo_find(c, &m, cell->text, cell->font);
        if (!slot) break;
        if (!slot->a) {
            buf_clear(rep);
            if (!vnenc_decode(k, cell->text, cell->len, rep)) {
                if (rep->oom) { c->oom = true; break; }
            } else if ((rep->len != cell->len || memcmp(rep->data, cell->text, cell->len) != 0) &&
                       vnenc_reads_vietnamese(rep->data, rep->len)) {
                slot->text = keep(c, rep);
                slot->len = rep->len;
                if (!slot->text) break;
            }
            memo_used(&m, slot, cell->text, cell->font);
        }
        if (!slot->text) continue;
        cell->text = slot->text;
        cell->len = slot->len;
        x->ci[i].repaired = true;
        x->nrepaired++;
        if (i < x->first_repaired) x->first_repaired = i;
    }
    free(m.t);
}

void rec_prepare(rctx *c, const grid_book *book)
{
    c->nsheets = book->nsheets;
    c->view = *book;
    memset(&c->view.mem, 0, sizeof c->view.mem);
    c->view.sheets = arena_calloc(&c->mem, book->nsheets ? book->nsheets : 1, sizeof *c->view.sheets);
    c->sx = arena_calloc(&c->mem, book->nsheets ? book->nsheets : 1, sizeof *c->sx);
    if (!c->view.sheets || !c->sx) { c->oom = true; return; }
    buf rep = BUF_INIT;
    memo cuts = {0}, repairs = {0}, keys = {0};
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
                cut_text(c, &cuts, cell);
                vnenc_kind k = c->oom ? VNENC_NONE : repair_text(c, &repairs, cell, &rep);
                if (c->oom) break;
                if (k != VNENC_NONE) {
                    inf->repaired = true;
                    if (x->nrepaired++ == 0) { x->first_repaired = i; x->repaired_kind = k; }
                }
            }
        }
        second_chance(c, x, &rep);
        for (size_t i = 0; i < s->ncells && !c->oom; i++) {
            grid_cell *cell = &s->cells[i];
            cinfo *inf = &x->ci[i];
            if (cell->type == WB_TEXT && cell->text) cell_keys(c, &keys, cell, inf);
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
    free(cuts.t);
    free(repairs.t);
    free(keys.t);
}
