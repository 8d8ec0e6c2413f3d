/* pipeline/ident.c — which unit and year a workbook is (see ident.h). */
#include "pipeline/ident.h"
#include "pipeline/ident_private.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "base/buf.h"
#include "base/fold.h"
#include "base/memo.h"

enum { DEFAULT_TITLE_ROWS = 12 };

/* ---- the index ------------------------------------------------------------------- */

typedef struct {
    const char *key;      /* folded match key                                  */
    size_t len;
    uint32_t ntok;        /* tokens in key: the match's specificity           */
    const struct config_unit *unit;
} ix_entry;

typedef struct {
    const char **keys;    /* folded, longest first                             */
    size_t n;
} ix_words;

/* match_key's answers remembered per run (base/memo.h): at most this many. */
#define IDENT_MEMO_MAX 4096
static size_t ident_memo_value_size(void);

struct ident_index {
    arena mem;
    const struct config *cfg;
    ix_entry *e;
    size_t n;
    const char *province;  /* folded key of the plan's province, "" when none  */
    ix_words unit_field, year_field, receiver_field;
    memo *memo;                /* match_key's answers, shared by the threads */
};

/* Number of space-separated tokens in a folded key. */
static uint32_t count_tokens(const char *k, size_t n)
{
    uint32_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (k[i] != ' ' && (i == 0 || k[i - 1] == ' ')) c++;
    return c;
}

/* Fold a text into the index's arena; NULL on OOM. */
static const char *ix_fold(ident_index *ix, const char *s, size_t *len)
{
    buf b = BUF_INIT;
    if (!fold_match_key(s, strlen(s), &b)) { buf_free(&b); return NULL; }
    char *k = arena_strndup(&ix->mem, buf_str(&b), b.len);
    *len = b.len;
    buf_free(&b);
    return k;
}

/* Add one key of a unit (empty keys are skipped); false on OOM. */
static bool ix_add(ident_index *ix, const struct config_unit *u, const char *text, size_t *cap)
{
    size_t len;
    const char *k = ix_fold(ix, text, &len);
    if (!k) return false;
    if (len == 0) return true;
    for (size_t i = 0; i < ix->n; i++)            /* name and alias folding alike */
        if (ix->e[i].unit == u && ix->e[i].len == len && memcmp(ix->e[i].key, k, len) == 0)
            return true;
    if (!buf_grow_array((void **)&ix->e, cap, ix->n + 1, sizeof *ix->e)) return false;
    ix->e[ix->n++] = (ix_entry){ k, len, count_tokens(k, len), u };
    return true;
}

/* Sort helper: longer keys first, so the longest label is tried first. */
static int cmp_len_desc(const void *a, const void *b)
{
    size_t la = strlen(*(const char *const *)a), lb = strlen(*(const char *const *)b);
    return la < lb ? 1 : la > lb ? -1 : 0;
}

/* Fold a list of form words; false on OOM. */
static bool ix_words_fold(ident_index *ix, struct config_strs in, ix_words *out)
{
    out->n = 0;
    out->keys = arena_calloc(&ix->mem, in.n ? in.n : 1, sizeof *out->keys);
    if (!out->keys) return false;
    for (size_t i = 0; i < in.n; i++) {
        size_t len;
        const char *k = ix_fold(ix, in.items[i], &len);
        if (!k) return false;
        if (len) out->keys[out->n++] = k;
    }
    qsort(out->keys, out->n, sizeof *out->keys, cmp_len_desc);
    return true;
}

ident_index *ident_index_new(const struct config *cfg)
{
    ident_index *ix = calloc(1, sizeof *ix);
    if (!ix) return NULL;
    arena_init(&ix->mem);
    ix->cfg = cfg;
    size_t cap = 0, len;
    bool ok = true;
    for (size_t u = 0; ok && u < cfg->n_units; u++) {
        const struct config_unit *unit = &cfg->units[u];
        ok = ix_add(ix, unit, unit->name, &cap) && ix_add(ix, unit, unit->code, &cap);
        for (size_t a = 0; ok && a < unit->aliases.n; a++)
            ok = ix_add(ix, unit, unit->aliases.items[a], &cap);
    }
    if (ok) {
        ix->province = ix_fold(ix, cfg->plan.province ? cfg->plan.province : "", &len);
        ok = ix->province && ix_words_fold(ix, cfg->form.unit_field, &ix->unit_field) &&
             ix_words_fold(ix, cfg->form.year_field, &ix->year_field) &&
             ix_words_fold(ix, cfg->form.receiver_field, &ix->receiver_field);
    }
    if (ok) ok = (ix->memo = memo_new(IDENT_MEMO_MAX, ident_memo_value_size(), true)) != NULL;
    if (!ok) { ident_index_free(ix); return NULL; }
    return ix;
}

/* Release the index (NULL is fine). */
void ident_index_free(ident_index *ix)
{
    if (!ix) return;
    memo_free(ix->memo);
    free(ix->e);
    arena_free(&ix->mem);
    free(ix);
}

/* ---- key helpers ------------------------------------------------------------------- */

/* True when needle[0..nn) occurs in hay[0..hn) as whole tokens. */
static bool has_tokens(const char *hay, size_t hn, const char *needle, size_t nn)
{
    if (nn == 0 || nn > hn) return false;
    for (size_t i = 0; i + nn <= hn; i++) {
        if (i > 0 && hay[i - 1] != ' ') continue;
        if ((i + nn == hn || hay[i + nn] == ' ') && memcmp(hay + i, needle, nn) == 0) return true;
    }
    return false;
}

/* When key starts with word (whole tokens), the length of the word plus its
 * following space; else 0. */
static size_t starts_with_tokens(const char *key, size_t n, const char *word)
{
    size_t wn = strlen(word);
    if (wn > n || memcmp(key, word, wn) != 0) return 0;
    if (wn == n) return wn;
    return key[wn] == ' ' ? wn + 1 : 0;
}

/* True when every token of key is one of the province header words (ủy ban
 * nhân dân, tỉnh, the province's name) and "tỉnh" or the name is there:
 * "UBND TỈNH KIÊN GIANG", "Tỉnh Kiên Giang". */
static bool is_province_line(const ident_index *ix, const char *key, size_t n)
{
    static const char *const words[] = { "uy", "ban", "nhan", "dan", "tinh" };
    bool named = false;
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && key[e] != ' ') e++;
        size_t tl = e - i;
        bool known = false;
        for (size_t w = 0; w < sizeof words / sizeof *words; w++)
            if (strlen(words[w]) == tl && memcmp(words[w], key + i, tl) == 0) {
                known = true;
                if (w == 4) named = true;
            }
        if (!known && has_tokens(ix->province, strlen(ix->province), key + i, tl)) {
            known = true;
            named = true;
        }
        if (!known) return false;
        i = e + 1;
    }
    return named;
}

/* ASCII case tests (file names are what gets split). */
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }

/* Split camelCase so a file name's words fold apart: a space before a capital
 * after a small letter, before a capital that starts a word after capitals
 * ("SoYTe" → "So Y Te", "BCDTBDSoYTe" → "BCDTBD So Y Te"), and between ASCII
 * letters and digits ("SoTuPhap2022" → "So Tu Phap 2022"). */
static void uncamel(const char *s, size_t n, buf *out)
{
    for (size_t i = 0; i < n; i++) {
        bool digit = s[i] >= '0' && s[i] <= '9';
        bool prev_digit = i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9';
        bool prev_letter = i > 0 && (is_upper(s[i - 1]) || is_lower(s[i - 1]));
        if (i > 0 && is_upper(s[i]) &&
            (is_lower(s[i - 1]) || (is_upper(s[i - 1]) && i + 1 < n && is_lower(s[i + 1]))))
            buf_putc(out, ' ');
        else if ((digit && prev_letter) || (prev_digit && (is_upper(s[i]) || is_lower(s[i]))))
            buf_putc(out, ' ');                       /* "Phap2022" → "Phap 2022" */
        buf_putc(out, s[i]);
    }
}

/* The match key of a text that may name a unit: camelCase split, then folded. */
static bool unit_key(const char *text, size_t n, buf *out)
{
    buf split = BUF_INIT;
    uncamel(text, n, &split);
    bool ok = !split.oom && fold_match_key(buf_str(&split), split.len, out);
    buf_free(&split);
    if (!ok) out->oom = true;
    return ok;
}

/* ---- matching a key ------------------------------------------------------------------ */

/* How well a text named a unit; ranks order the outcomes for reporting. */
enum {
    RANK_NONE = 0,       /* nothing unit-like (empty, province line, skipped)   */
    RANK_UNKNOWN,        /* no unit; candidates by similarity (or one partial)  */
    RANK_PARTIAL,        /* a part of several units' names: ambiguous           */
    RANK_TIE,            /* several units' names in full: ambiguous             */
    RANK_UNIQUE          /* one unit                                            */
};

typedef struct {
    int rank;
    uint32_t score;                          /* tokens of the winning key       */
    const struct config_unit *unit;          /* RANK_UNIQUE                     */
    const struct config_unit *cand[3];
    size_t ncand;
    double sim;                              /* best similarity (RANK_UNKNOWN)  */
} umatch;

/* Insert unit u with score s into a best-first list of 3 (no duplicates). */
static void top3_add(const struct config_unit *cand[3], double score[3], size_t *n,
                     const struct config_unit *u, double s)
{
    for (size_t i = 0; i < *n; i++)
        if (cand[i] == u) return;
    size_t at = *n;
    while (at > 0 && score[at - 1] < s) at--;
    if (at >= 3) return;
    size_t last = *n < 3 ? *n : 2;
    for (size_t i = last; i > at; i--) { cand[i] = cand[i - 1]; score[i] = score[i - 1]; }
    cand[at] = u;
    score[at] = s;
    if (*n < 3) (*n)++;
}

/* Similarity of a key to a unit: the best over the unit's keys — exact when
 * it is at least floor, some value below floor otherwise. */
static double unit_similarity(const ident_index *ix, const char *key, const struct config_unit *u, double floor)
{
    double best = 0;
    for (size_t i = 0; i < ix->n; i++)
        if (ix->e[i].unit == u) {
            double s = fold_similarity_atleast(key, ix->e[i].key, best > floor ? best : floor);
            if (s > best) best = s;
        }
    return best;
}

/* The least score that can still enter a full best-first list of 3
 * (top3_add takes only a strictly better one), 0 while it has room. */
static double top3_floor(const double score[3], size_t n)
{
    return n == 3 ? score[2] : 0.0;
}

/* True when a folded key holds a letter (a number names no unit). */
static bool has_letter(const char *key, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (key[i] != ' ' && (key[i] < '0' || key[i] > '9')) return true;
    return false;
}

/* Match a NUL-terminated folded key (see ident.h for the rules). similar:
 * rank every unit by similarity when nothing matched (the slow part: a
 * workbook asks for it only when its unit turns out unknown). */
static void match_key(const ident_index *ix, const char *key, size_t n, bool similar, umatch *m)
{
    memset(m, 0, sizeof *m);
    if (n == 0 || !has_letter(key, n)) return;
    const struct config *cfg = ix->cfg;
    uint32_t *fwd = calloc(cfg->n_units ? cfg->n_units : 1, sizeof *fwd);
    bool *part = calloc(cfg->n_units ? cfg->n_units : 1, sizeof *part);
    if (!fwd || !part) { free(fwd); free(part); return; }

    /* A unit's key inside the text: the longest one wins. */
    uint32_t best = 0;
    for (size_t i = 0; i < ix->n; i++) {
        const ix_entry *e = &ix->e[i];
        if (has_tokens(key, n, e->key, e->len) && e->ntok > fwd[e->unit->index]) {
            fwd[e->unit->index] = e->ntok;
            if (e->ntok > best) best = e->ntok;
        }
    }
    double score[3] = { 0, 0, 0 };
    if (best > 0) {
        m->score = best;
        size_t tied = 0;
        for (size_t u = 0; u < cfg->n_units; u++) {
            if (fwd[u] != best) continue;
            if (tied++ == 0) m->unit = &cfg->units[u];
            top3_add(m->cand, score, &m->ncand, &cfg->units[u],
                     unit_similarity(ix, key, &cfg->units[u], top3_floor(score, m->ncand)));
        }
        m->rank = tied == 1 ? RANK_UNIQUE : RANK_TIE;
        if (tied > 1) m->unit = NULL;
        goto done;
    }
    if (is_province_line(ix, key, n)) goto done;

    /* The text inside units' keys: a part of their names, never a decision. */
    size_t nparts = 0;
    for (size_t i = 0; i < ix->n; i++) {
        const ix_entry *e = &ix->e[i];
        if (!part[e->unit->index] && has_tokens(e->key, e->len, key, n)) {
            part[e->unit->index] = true;
            nparts++;
        }
    }
    for (size_t u = 0; u < cfg->n_units; u++) {
        if (nparts > 1 && !part[u]) continue;         /* ambiguity lists only them  */
        if (!similar && !part[u]) continue;
        double s = unit_similarity(ix, key, &cfg->units[u], top3_floor(score, m->ncand) - (part[u] ? 2 : 0));
        if (part[u]) s += 2;                          /* partial matches rank first */
        if (s > 0) top3_add(m->cand, score, &m->ncand, &cfg->units[u], s);
    }
    m->rank = nparts > 1 ? RANK_PARTIAL : RANK_UNKNOWN;
    m->sim = m->ncand ? (score[0] >= 2 ? score[0] - 2 : score[0]) : 0;
done:
    free(fwd);
    free(part);
}

/* ---- match_key's answers, once per run ----------------------------------------
 * The same texts come back in every workbook (the national motto, the
 * province's name, the form's title, the file names' common words): each is
 * matched once per run (base/memo.h, shared by the reading threads). */

static size_t ident_memo_value_size(void) { return sizeof(umatch); }

/* match_key, remembered (the key: `similar`, then the text). */
static void match_key_memo(const ident_index *ix, const char *key, size_t n, bool similar, umatch *m)
{
    char small[256];
    if (n + 1 > sizeof small) {
        match_key(ix, key, n, similar, m);
        return;
    }
    small[0] = similar ? 's' : 'x';
    memcpy(small + 1, key, n);
    if (memo_get(ix->memo, small, n + 1, m)) return;
    match_key(ix, key, n, similar, m);
    memo_put(ix->memo, small, n + 1, m);
}

/* Copy text into a result's unit_text, cut at a character boundary. */
static void set_unit_text(ident_result *out, const char *text, size_t n)
{
    size_t cap = sizeof out->unit_text - 1;
    if (n > cap) {
        n = cap;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80) n--;
    }
    memcpy(out->unit_text, text, n);
    out->unit_text[n] = '\0';
}

/* Write a match into the unit fields of a result. */
static void put_match(ident_result *out, const umatch *m, const char *text, size_t n,
                      const char *sheet, uint32_t row, uint32_t col)
{
    out->unit = m->rank == RANK_UNIQUE ? m->unit : NULL;
    out->ambiguous = m->rank == RANK_TIE || m->rank == RANK_PARTIAL;
    out->n_candidates = m->ncand;
    for (size_t i = 0; i < 3; i++) out->candidates[i] = i < m->ncand ? m->cand[i] : NULL;
    set_unit_text(out, text ? text : "", text ? n : 0);
    out->unit_sheet = sheet;
    out->unit_row = row;
    out->unit_col = col;
}

const struct config_unit *ident_match_unit_ix(const ident_index *ix, const char *text, size_t n,
                                              ident_result *out)
{
    buf k = BUF_INIT;
    umatch m;
    memset(&m, 0, sizeof m);
    if (text && unit_key(text, n, &k)) match_key_memo(ix, buf_str(&k), k.len, true, &m);
    buf_free(&k);
    put_match(out, &m, text, n, NULL, 0, 0);
    return out->unit;
}

const struct config_unit *ident_match_unit(const struct config *cfg, const char *text, size_t n,
                                           ident_result *out)
{
    ident_index *ix = ident_index_new(cfg);
    if (!ix) {
        umatch none;
        memset(&none, 0, sizeof none);
        put_match(out, &none, text, n, NULL, 0, 0);
        return NULL;
    }
    const struct config_unit *u = ident_match_unit_ix(ix, text, n, out);
    ident_index_free(ix);
    return u;
}

size_t ident_close_units(const struct config *cfg, const char *text, size_t n,
                         const struct config_unit *out[3])
{
    ident_index *ix = ident_index_new(cfg);
    buf k = BUF_INIT;
    double score[3] = { 0, 0, 0 };
    size_t got = 0;
    if (ix && text && unit_key(text, n, &k))
        for (size_t u = 0; u < cfg->n_units; u++)
            top3_add(out, score, &got, &cfg->units[u],
                     unit_similarity(ix, buf_str(&k), &cfg->units[u], top3_floor(score, got)));
    buf_free(&k);
    ident_index_free(ix);
    return got;
}

/* ---- the workbook ------------------------------------------------------------------------------ */

/* A title-block match and where it came from. */
typedef struct {
    umatch m;
    bool labelled;
    const char *text;
    size_t len;
    const char *sheet;
    uint32_t row, col;
} cellmatch;

/* Keep the better of two non-deciding matches for reporting: higher rank,
 * then labelled, then more similar. */
static void keep_better(cellmatch *best, const cellmatch *c)
{
    if (c->m.rank == RANK_NONE) return;
    bool better = c->m.rank > best->m.rank ||
                  (c->m.rank == best->m.rank &&
                   (c->labelled > best->labelled ||
                    (c->labelled == best->labelled && c->m.sim > best->m.sim)));
    if (better) *best = *c;
}

/* Years seen in the title block, with where each was first seen. */
typedef struct {
    int year[16];
    int count[16];
    const char *sheet[16];
    uint32_t row[16], col[16];
    size_t n;
} yeartally;

/* Count one more sighting of year y (the first one keeps its place). */
static void tally_add(yeartally *t, int y, const char *sheet, uint32_t row, uint32_t col)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->year[i] == y) { t->count[i]++; return; }
    if (t->n == 16) return;
    t->year[t->n] = y;
    t->count[t->n] = 1;
    t->sheet[t->n] = sheet;
    t->row[t->n] = row;
    t->col[t->n] = col;
    t->n++;
}

/* The most frequent year of a tally, 0 on a tie or when empty. */
static size_t tally_pick(const yeartally *t, int *year)
{
    size_t bi = 0;
    bool tie = false;
    *year = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (i == 0 || t->count[i] > t->count[bi]) { bi = i; tie = false; }
        else if (t->count[i] == t->count[bi]) tie = true;
    }
    if (t->n == 0 || tie) return 0;
    *year = t->year[bi];
    return bi;
}

/* The next non-empty cell to the right of cell index ci in the same row. */
static const grid_cell *next_in_row(const grid_sheet *s, size_t ci)
{
    if (ci + 1 < s->ncells && s->cells[ci + 1].row == s->cells[ci].row) return &s->cells[ci + 1];
    return NULL;
}

/* A title cell that named no unit: its key, kept to rank candidates later. */
typedef struct {
    char *key;                       /* malloc'd folded key (label stripped)         */
    size_t len;
    cellmatch where;
} unknown_cell;

/* Unit names are short: longer cells are titles and sentences. */
enum { MAX_UNKNOWN = 32, MAX_UNKNOWN_KEY = 120 };

/* The state of one ident_workbook pass. */
typedef struct {
    const ident_index *ix;
    bool decided_by_label;
    cellmatch label;                 /* a labelled cell naming one unit             */
    uint32_t fwd_best;               /* longest unit key found in the title          */
    const struct config_unit *fwd_units[3];
    const grid_sheet *fwd_sheet[3];
    uint32_t fwd_row[3], fwd_col[3];
    const char *fwd_text[3];
    size_t fwd_len[3];
    size_t n_fwd;                    /* distinct units at fwd_best (capped at 3)     */
    bool fwd_more;                   /* more than 3 of them                          */
    cellmatch report;                /* the best ambiguous cell, for the finding     */
    unknown_cell unknown[MAX_UNKNOWN]; /* cells that named no unit, matched again with
                                        similarity only if the unit stays unknown   */
    size_t n_unknown;
    yeartally strong, weak, cutoff;
    const grid_cell *receiver_value; /* the cell right of a bare receiver label      */
} wbstate;

/* Record the units of a matching cell at score m->score. */
static void note_forward(wbstate *st, const umatch *m, const grid_sheet *s, const grid_cell *c)
{
    if (m->score < st->fwd_best) return;
    if (m->score > st->fwd_best) { st->fwd_best = m->score; st->n_fwd = 0; st->fwd_more = false; }
    size_t k = m->rank == RANK_UNIQUE ? 1 : m->ncand;
    for (size_t i = 0; i < k; i++) {
        const struct config_unit *u = m->rank == RANK_UNIQUE ? m->unit : m->cand[i];
        bool seen = false;
        for (size_t j = 0; j < st->n_fwd; j++)
            if (st->fwd_units[j] == u) seen = true;
        if (seen) continue;
        if (st->n_fwd == 3) { st->fwd_more = true; continue; }
        st->fwd_units[st->n_fwd] = u;
        st->fwd_sheet[st->n_fwd] = s;
        st->fwd_row[st->n_fwd] = c->row;
        st->fwd_col[st->n_fwd] = c->col;
        st->fwd_text[st->n_fwd] = c->text;
        st->fwd_len[st->n_fwd] = c->len;
        st->n_fwd++;
    }
}

/* Look at one title cell: unit and year. */
static void title_cell(wbstate *st, const grid_sheet *s, size_t ci)
{
    const grid_cell *c = &s->cells[ci];
    if (c->type != WB_TEXT || !c->text) return;
    buf k = BUF_INIT;
    if (!unit_key(c->text, c->len, &k)) { buf_free(&k); return; }
    const char *key = buf_str(&k);
    size_t n = k.len;

    /* Year: the text itself, or a year_field label with the year beside it. */
    int strength, y = ident_year_strength(c->text, c->len, &strength);
    if (y) tally_add(strength == 2 ? &st->strong : &st->weak, y, s->name, c->row, c->col);
    int cy = ident_cutoff_year(c->text, c->len);
    if (cy) tally_add(&st->cutoff, cy, s->name, c->row, c->col);
    for (size_t w = 0; !y && w < st->ix->year_field.n; w++) {
        if (strcmp(key, st->ix->year_field.keys[w]) != 0) continue;
        const grid_cell *v = next_in_row(s, ci);
        int vy = 0;
        if (v && v->type == WB_NUMBER && v->num >= YEAR_MIN && v->num <= YEAR_MAX &&
            v->num == (double)(int)v->num)
            vy = (int)v->num;
        else if (v && v->type == WB_TEXT) vy = ident_year_in_text(v->text, v->len);
        if (vy >= YEAR_MIN && vy <= YEAR_MAX) tally_add(&st->strong, vy, s->name, v->row, v->col);
        break;
    }

    /* Unit. The receiving unit ("Đơn vị nhận báo cáo: Sở Nội vụ", "Kính gửi:"),
     * the cell beside a bare receiver label, and place-and-date lines name
     * other units and places: never the reporting unit. */
    if (c == st->receiver_value || ident_is_date_line(key, n)) { buf_free(&k); return; }
    for (size_t w = 0; w < st->ix->receiver_field.n; w++) {
        size_t skip = starts_with_tokens(key, n, st->ix->receiver_field.keys[w]);
        if (!skip) continue;
        if (skip >= n) st->receiver_value = next_in_row(s, ci);
        buf_free(&k);
        return;
    }
    cellmatch cm;
    memset(&cm, 0, sizeof cm);
    cm.text = c->text;
    cm.len = c->len;
    cm.sheet = s->name;
    cm.row = c->row;
    cm.col = c->col;
    for (size_t w = 0; w < st->ix->unit_field.n; w++) {
        size_t skip = starts_with_tokens(key, n, st->ix->unit_field.keys[w]);
        if (!skip) continue;
        if (starts_with_tokens(key + skip, n - skip, "tinh")) break;   /* "Đơn vị tính" */
        cm.labelled = true;
        if (skip >= n) {                       /* the label alone: the name is beside it */
            const grid_cell *v = next_in_row(s, ci);
            if (!v || v->type != WB_TEXT) { buf_free(&k); return; }
            buf_clear(&k);
            if (!unit_key(v->text, v->len, &k)) { buf_free(&k); return; }
            cm.text = v->text;
            cm.len = v->len;
            cm.row = v->row;
            cm.col = v->col;
            key = buf_str(&k);
            n = k.len;
        } else {
            key += skip;
            n -= skip;
        }
        break;
    }
    match_key_memo(st->ix, key, n, false, &cm.m);
    if (cm.m.rank == RANK_UNKNOWN && n <= MAX_UNKNOWN_KEY && st->n_unknown < MAX_UNKNOWN) {
        char *copy = malloc(n + 1);
        if (copy) {
            memcpy(copy, key, n + 1);
            st->unknown[st->n_unknown++] = (unknown_cell){ copy, n, cm };
        }
    }
    buf_free(&k);

    if (cm.labelled && cm.m.rank == RANK_UNIQUE && !st->decided_by_label) {
        st->decided_by_label = true;
        st->label = cm;
    }
    if (cm.m.rank == RANK_UNIQUE || cm.m.rank == RANK_TIE) {
        const grid_cell pos = { .row = cm.row, .col = cm.col, .text = cm.text, .len = cm.len };
        note_forward(st, &cm.m, s, &pos);
    }
    if (cm.m.rank == RANK_PARTIAL) keep_better(&st->report, &cm);
}

/* Cheap test before tokenizing every cell of a sheet for a footer date:
 * "ngày" has a g and a date a digit. */
static bool may_hold_date(const char *t, size_t n)
{
    bool g = false, digit = false;
    for (size_t i = 0; i < n && !(g && digit); i++) {
        if (t[i] == 'g' || t[i] == 'G') g = true;
        else if (t[i] >= '0' && t[i] <= '9') digit = true;
    }
    return g && digit;
}

/* The base name of a path (after the last '/'). */
static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* Length of a base name without its extension (".xlsx": 1–5 letters or digits). */
static size_t stem_len(const char *base)
{
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (!dot || dot == base) return n;
    size_t el = n - (size_t)(dot - base) - 1;
    if (el < 1 || el > 5) return n;
    for (const char *p = dot + 1; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
            return n;
    return (size_t)(dot - base);
}

/* The year of the nearest parent folder of path that holds one, 0 none. */
static int folder_year(const char *path)
{
    const char *end = strrchr(path, '/');
    while (end && end > path) {
        const char *start = end;
        while (start > path && start[-1] != '/') start--;
        int y = ident_year_in_text(start, (size_t)(end - start));
        if (y) return y;
        end = start > path ? start - 1 : NULL;
    }
    return 0;
}

/* The unit of the nearest parent folder whose name names one, NULL none. */
static const struct config_unit *folder_unit(const ident_index *ix, const char *path, const char **name,
                                             size_t *len)
{
    const char *end = path ? strrchr(path, '/') : NULL;
    while (end && end > path) {
        const char *start = end;
        while (start > path && start[-1] != '/') start--;
        buf k = BUF_INIT;
        umatch m;
        memset(&m, 0, sizeof m);
        if (unit_key(start, (size_t)(end - start), &k)) match_key_memo(ix, buf_str(&k), k.len, false, &m);
        buf_free(&k);
        if (m.rank == RANK_UNIQUE) {
            *name = start;
            *len = (size_t)(end - start);
            return m.unit;
        }
        end = start > path ? start - 1 : NULL;
    }
    return NULL;
}

/* No labelled cell and no single unit in the title: the file name, else a
 * folder name, else the best report of why not (the title's ambiguity, the
 * file name's, or the unknown text most like a unit). */
static void undecided_unit(const ident_index *ix, wbstate *st, const char *path, const umatch *fm,
                           ident_result *out)
{
    const char *base = path ? base_name(path) : "";
    const char *fname;
    size_t flen;
    const struct config_unit *fu;
    if (fm->rank == RANK_UNIQUE) {
        put_match(out, fm, base, strlen(base), NULL, 0, 0);
        out->clue = IDENT_CLUE_FILE;
    } else if (st->n_fwd > 0) {             /* the title named several units */
        umatch m;
        memset(&m, 0, sizeof m);
        m.rank = RANK_TIE;
        m.ncand = st->n_fwd;
        for (size_t i = 0; i < st->n_fwd; i++) m.cand[i] = st->fwd_units[i];
        put_match(out, &m, st->fwd_text[0], st->fwd_len[0], st->fwd_sheet[0]->name, st->fwd_row[0],
                  st->fwd_col[0]);
    } else if ((fu = folder_unit(ix, path, &fname, &flen))) {
        umatch m;
        memset(&m, 0, sizeof m);
        m.rank = RANK_UNIQUE;
        m.unit = fu;
        m.cand[0] = fu;
        m.ncand = 1;
        put_match(out, &m, fname, flen, NULL, 0, 0);
        out->clue = IDENT_CLUE_FOLDER;
    } else {
        cellmatch fc;
        memset(&fc, 0, sizeof fc);
        fc.m = *fm;
        fc.text = base;
        fc.len = strlen(base);
        cellmatch best = st->report;
        for (size_t i = 0; best.m.rank < RANK_PARTIAL && i < st->n_unknown; i++) {
            cellmatch cm = st->unknown[i].where;
            match_key_memo(ix, st->unknown[i].key, st->unknown[i].len, true, &cm.m);
            keep_better(&best, &cm);
        }
        /* The file name reports only when it says more than the title. */
        if (fc.m.rank > best.m.rank ||
            (fc.m.rank == best.m.rank && !best.labelled && fc.m.sim > best.m.sim))
            best = fc;
        put_match(out, &best.m, best.text, best.text ? best.len : 0, best.sheet, best.row, best.col);
    }
}

void ident_workbook_ix(const ident_index *ix, const grid_book *book, const char *path,
                       const uint32_t *title_rows, ident_result *out)
{
    memset(out, 0, sizeof *out);
    wbstate st;
    memset(&st, 0, sizeof st);
    st.ix = ix;

    for (size_t si = 0; book && si < book->nsheets; si++) {
        const grid_sheet *s = &book->sheets[si];
        /* Title rows: as recognition says, else the default on visible sheets.
         * Footer dates: on every visible sheet (a table at row 0 has no title
         * but may well have a footer), and on a hidden one holding a table. */
        uint32_t rows = s->hidden ? 0 : DEFAULT_TITLE_ROWS;
        if (title_rows) {
            if (title_rows[si] == IDENT_SKIP_SHEET) rows = 0;
            else rows = title_rows[si] > 0 ? title_rows[si] : DEFAULT_TITLE_ROWS;
        }
        bool footer = !s->hidden || rows > 0;
        for (size_t ci = 0; ci < s->ncells; ci++) {
            const grid_cell *c = &s->cells[ci];
            if (c->row < rows) title_cell(&st, s, ci);
            if (footer && c->type == WB_TEXT && c->text && may_hold_date(c->text, c->len)) {
                int d = ident_footer_date(c->text, c->len);
                if (d > out->report_date) out->report_date = d;
            }
        }
    }

    /* Unit: a labelled cell, else the title's longest match, else the file
     * name, else the folder names; the file name is matched in any case to
     * tell a conflict. */
    const char *base = path ? base_name(path) : "";
    umatch fm;
    memset(&fm, 0, sizeof fm);
    buf fk = BUF_INIT;
    if (unit_key(base, stem_len(base), &fk)) match_key_memo(ix, buf_str(&fk), fk.len, true, &fm);
    buf_free(&fk);
    if (fm.rank == RANK_UNIQUE) out->file_unit = fm.unit;
    if (st.decided_by_label) {
        put_match(out, &st.label.m, st.label.text, st.label.len, st.label.sheet, st.label.row,
                  st.label.col);
        out->clue = IDENT_CLUE_LABEL;
    } else if (st.n_fwd == 1 && !st.fwd_more) {
        umatch m;
        memset(&m, 0, sizeof m);
        m.rank = RANK_UNIQUE;
        m.unit = st.fwd_units[0];
        m.cand[0] = m.unit;
        m.ncand = 1;
        put_match(out, &m, st.fwd_text[0], st.fwd_len[0], st.fwd_sheet[0]->name, st.fwd_row[0],
                  st.fwd_col[0]);
        out->clue = IDENT_CLUE_TITLE;
    }
    if (!out->unit) undecided_unit(ix, &st, path, &fm, out);

    for (size_t i = 0; i < st.n_unknown; i++) free(st.unknown[i].key);

    /* Year: title, else file name, else folder. */
    /* Strong years decide when there are any (even when they disagree: a
     * title with two different "NĂM …" has no year, bare years do not help). */
    const yeartally *yt = st.strong.n ? &st.strong : st.cutoff.n ? &st.cutoff : &st.weak;
    int y;
    size_t at = tally_pick(yt, &y);
    if (y) {
        out->year_title = y;
        out->year_sheet = yt->sheet[at];
        out->year_row = yt->row[at];
        out->year_col = yt->col[at];
    }
    out->year_file = ident_year_in_text(base, stem_len(base));
    out->year_folder = path ? folder_year(path) : 0;
    out->year = out->year_title ? out->year_title : out->year_file ? out->year_file
                                                                   : out->year_folder;
}

void ident_workbook(const struct config *cfg, const grid_book *book, const char *path,
                    const uint32_t *title_rows, ident_result *out)
{
    ident_index *ix = ident_index_new(cfg);
    if (!ix) { memset(out, 0, sizeof *out); return; }
    ident_workbook_ix(ix, book, path, title_rows, out);
    ident_index_free(ix);
}
