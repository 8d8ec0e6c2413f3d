/* pipeline/plan_match.c — a plan's free texts → metric, group, quarter, place,
 * source and provider through the configuration's aliases (see plan.h). */
#include "pipeline/plan.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/fold.h"
#include "base/memo.h"
#include "pipeline/ident.h"
#include "pipeline/plan_ctx.h"
#include "pipeline/recognize.h"
#include "pipeline/rec_ctx.h"

/* ---- building ----------------------------------------------------------------- */

/* Append the match key of text as an entry of kind k. */
static void add_key(plan_matcher *pm, unsigned kind, const void *ent, int role, const char *text)
{
    if (!text || !*text) return;
    buf_clear(&pm->b);
    if (!fold_match_key(text, strlen(text), &pm->b) || pm->b.len == 0) return;
    char *k = arena_alloc(&pm->mem, pm->b.len + 1);
    if (!k || !buf_grow_array((void **)&pm->e, &pm->cap, pm->n + 1, sizeof *pm->e)) {
        pm->oom = true;
        return;
    }
    memcpy(k, pm->b.data, pm->b.len + 1);
    size_t ntok = 1;
    for (const char *p = k; *p; p++) ntok += *p == ' ';
    pm->e[pm->n++] = (pm_entry){k, kind, ent, role, ntok};
}

static void add_strs(plan_matcher *pm, unsigned kind, const void *ent, int role, const char *label,
                     const struct config_strs *s)
{
    add_key(pm, kind, ent, role, label);
    for (size_t i = 0; s && i < s->n; i++) add_key(pm, kind, ent, role, s->items[i]);
}

/* The Biểu 02 table: the one the plan's contents are metrics of. */
static const struct config_table *content_table(const struct config *cfg)
{
    const struct config_metric *m = config_metric(cfg, "tr_law");
    return m ? m->table : (cfg->n_tables > 1 ? &cfg->tables[1] : NULL);
}

static void add_config_keys(plan_matcher *pm)
{
    const struct config *cfg = pm->cfg;
    const struct config_plan_form *pf = &cfg->plan_form;
    const struct config_table *t = content_table(cfg);
    pm->table = t;
    add_strs(pm, PK_TITLE, NULL, 0, NULL, &pf->title);
    for (int r = 0; r < CONFIG_PCOL_N; r++) add_strs(pm, PK_COLUMN, NULL, r, NULL, &pf->columns[r]);
    add_strs(pm, PK_CLASS, NULL, 0, NULL, &pf->class_words);
    add_strs(pm, PK_JOINER, NULL, 0, NULL, &pf->joiners);
    add_strs(pm, PK_QUARTER, NULL, 0, NULL, &pf->quarter_words);
    add_strs(pm, PK_MONTH, NULL, 0, NULL, &pf->month_words);
    for (int p = 0; p < CONFIG_PLACE_N; p++)
        add_strs(pm, PK_PLACE, NULL, p, pf->place_label[p], &pf->places[p]);
    for (size_t i = 0; i < cfg->n_metrics; i++)
        if (cfg->metrics[i].table == t && cfg->metrics[i].subset_of == NULL &&
            cfg->metrics[i].n_parts == 0)
            add_strs(pm, PK_METRIC, &cfg->metrics[i], 0, cfg->metrics[i].label, &cfg->metrics[i].aliases);
    for (size_t i = 0; i < cfg->n_headings; i++)
        if (cfg->headings[i].table == t)
            add_strs(pm, PK_HEADING, &cfg->headings[i], 0, cfg->headings[i].label, &cfg->headings[i].aliases);
    for (size_t i = 0; i < cfg->n_groups; i++)
        if (config_group_in_table(&cfg->groups[i], t))
            add_strs(pm, PK_GROUP, &cfg->groups[i], 0, cfg->groups[i].label, &cfg->groups[i].aliases);
    for (size_t i = 0; i < pf->n_groups; i++)
        add_strs(pm, PK_GROUP, pf->groups[i].group, 0, NULL, &pf->groups[i].aliases);
    for (size_t i = 0; i < cfg->n_breakdowns; i++)
        if (cfg->breakdowns[i].part_of)
            add_strs(pm, PK_SOURCE, &cfg->breakdowns[i], 0, cfg->breakdowns[i].label,
                     &cfg->breakdowns[i].aliases);
    add_strs(pm, PK_TOTAL, NULL, 0, NULL, &cfg->form.total_row);
    add_strs(pm, PK_FOOTER, NULL, 0, NULL, &cfg->form.footer);
}

/* Entries by kind, then key: each kind a range, its keys searchable. */
static int entry_cmp(const void *a, const void *b)
{
    const pm_entry *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return strcmp(x->key, y->key);
}

static void sort_keys(plan_matcher *pm)
{
    if (pm->n) qsort(pm->e, pm->n, sizeof *pm->e, entry_cmp);
    for (unsigned k = 0; k < PK_N; k++) pm->kfrom[k] = pm->kto[k] = 0;
    for (size_t i = pm->n; i-- > 0;) pm->kfrom[pm->e[i].kind] = i;
    for (size_t i = 0; i < pm->n; i++) pm->kto[pm->e[i].kind] = i + 1;
}

plan_matcher *plan_matcher_new(const struct config *cfg, const rec_index *rx)
{
    plan_matcher *pm = calloc(1, sizeof *pm);
    if (!pm) return NULL;
    pm->cfg = cfg;
    arena_init(&pm->mem);
    pm->b = (buf)BUF_INIT;
    add_config_keys(pm);
    sort_keys(pm);
    if (!rx) rx = pm->own_rx = recognize_index_new(cfg);
    pm->rx = rx;
    pm->ix = rx ? rx->ident : NULL;
    pm->titles = memo_new(PM_TITLES_MAX, sizeof(bool), true);
    if (pm->oom || !pm->ix || !pm->rx || !pm->titles) {
        plan_matcher_free(pm);
        return NULL;
    }
    return pm;
}

const rec_index *plan_matcher_index(const plan_matcher *pm)
{
    return pm->rx;
}

void plan_matcher_free(plan_matcher *pm)
{
    if (!pm) return;
    memo_free(pm->titles);
    recognize_index_free(pm->own_rx);
    free(pm->e);
    buf_free(&pm->b);
    arena_free(&pm->mem);
    free(pm);
}

/* ---- keys ------------------------------------------------------------------- */

/* The match key of text into out (caller-owned, NUL-terminated); false when empty. */
bool pm_key(const char *text, buf *out)
{
    buf_clear(out);
    if (!text || !fold_match_key(text, strlen(text), out)) return false;
    buf_str(out);
    return out->len > 0;
}

/* Is key k a whole-token phrase of text t? */
bool pm_phrase_in(const char *t, const char *k)
{
    size_t kn = strlen(k);
    if (!kn) return false;
    for (const char *p = strstr(t, k); p; p = strstr(p + 1, k))
        if ((p == t || p[-1] == ' ') && (p[kn] == '\0' || p[kn] == ' ')) return true;
    return false;
}

/* Does key t open with key k (whole tokens)? Returns k's length or 0. */
size_t pm_opens_with(const char *t, const char *k)
{
    size_t kn = strlen(k);
    return kn && strncmp(t, k, kn) == 0 && (t[kn] == '\0' || t[kn] == ' ') ? kn : 0;
}

/* The entry of kind exactly equal to key, NULL none; *several when entries
 * of different entities match. */
const pm_entry *pm_exact(const plan_matcher *pm, unsigned kind, const char *key, bool *several)
{
    const pm_entry *hit = NULL;
    if (several) *several = false;
    size_t a = pm->kfrom[kind], b = pm->kto[kind];
    while (a < b) {   /* the first entry of the kind whose key is ≥ key */
        size_t m = a + (b - a) / 2;
        if (strcmp(pm->e[m].key, key) < 0) a = m + 1;
        else b = m;
    }
    for (size_t i = a; i < pm->kto[kind] && strcmp(pm->e[i].key, key) == 0; i++) {
        const pm_entry *e = &pm->e[i];
        if (hit && (hit->ent != e->ent || hit->role != e->role)) {
            if (several) *several = true;
            continue;
        }
        if (!hit) hit = e;
    }
    return hit;
}

/* The entity of kind with the longest alias that is a phrase of key; a tie
 * between different entities → NULL. *len gets the winner's token count. */
static const void *longest_phrase(const plan_matcher *pm, unsigned kind, const char *key, size_t *len)
{
    const void *best = NULL;
    size_t bl = 0;
    bool tie = false;
    for (size_t i = pm->kfrom[kind]; i < pm->kto[kind]; i++) {
        const pm_entry *e = &pm->e[i];
        if (e->ntok < bl || !pm_phrase_in(key, e->key)) continue;
        if (e->ntok > bl) { best = e->ent; bl = e->ntok; tie = false; }
        else if (e->ent != best) tie = true;
    }
    if (len) *len = tie ? 0 : bl;
    return tie ? NULL : best;
}

/* The most similar entity of kind (fold_similarity ≥ floor, ahead of every
 * other entity by more than 0.02), or NULL. */
static const void *most_similar(const plan_matcher *pm, unsigned kind, const char *key, double floor)
{
    const void *best = NULL;
    double bs = 0, second = 0;
    for (size_t i = pm->kfrom[kind]; i < pm->kto[kind]; i++) {
        const pm_entry *e = &pm->e[i];
        double s = fold_similarity(key, e->key);
        if (e->ent == best) { if (s > bs) bs = s; continue; }
        if (s > bs) { second = bs; bs = s; best = e->ent; }
        else if (s > second) second = s;
    }
    return best && bs >= floor && bs - second > 0.02 ? best : NULL;
}

/* ---- content and group -------------------------------------------------------- */

/* Offset in key of the first joiner token ("cho"), or strlen(key). */
static size_t joiner_at(const plan_matcher *pm, const char *key, size_t *after)
{
    size_t n = strlen(key), best = n;
    *after = n;
    for (size_t i = pm->kfrom[PK_JOINER]; i < pm->kto[PK_JOINER]; i++) {
        const pm_entry *e = &pm->e[i];
        size_t kn = strlen(e->key);
        for (const char *p = strstr(key, e->key); p; p = strstr(p + 1, e->key)) {
            size_t at = (size_t)(p - key);
            if (at == 0 || p[-1] != ' ' || (p[kn] != '\0' && p[kn] != ' ')) continue;
            if (at < best) { best = at; *after = at + kn; }
            break;
        }
    }
    while (*after < n && key[*after] == ' ') (*after)++;
    return best;
}

/* Strip leading class words ("lop boi duong") from key (in place). */
static char *strip_class_words(const plan_matcher *pm, char *key)
{
    for (int round = 0; round < 4; round++) {
        size_t best = 0;
        for (size_t i = pm->kfrom[PK_CLASS]; i < pm->kto[PK_CLASS]; i++) {
            size_t l = pm_opens_with(key, pm->e[i].key);
            if (l > best) best = l;
        }
        if (!best || key[best] == '\0') break;
        key += best;
        while (*key == ' ') key++;
    }
    return key;
}

/* The metric whose alias (plus its heading's) covers most of key. */
static const struct config_metric *scored_metric(const plan_matcher *pm, const char *key)
{
    const struct config *cfg = pm->cfg;
    const struct config_metric *best = NULL;
    size_t bs = 0;
    bool tie = false;
    for (size_t m = 0; m < cfg->n_metrics; m++) {
        const struct config_metric *mt = &cfg->metrics[m];
        size_t ml = 0, hl = 0;
        for (size_t i = pm->kfrom[PK_METRIC]; i < pm->kto[PK_METRIC]; i++) {
            const pm_entry *e = &pm->e[i];
            if (e->ent == mt && e->ntok > ml && pm_phrase_in(key, e->key)) ml = e->ntok;
        }
        for (size_t i = pm->kfrom[PK_HEADING]; mt->heading && i < pm->kto[PK_HEADING]; i++) {
            const pm_entry *e = &pm->e[i];
            if (e->ent == mt->heading && e->ntok > hl && pm_phrase_in(key, e->key)) hl = e->ntok;
        }
        if (!ml) continue;
        size_t s = ml + hl;
        if (s > bs) { best = mt; bs = s; tie = false; }
        else if (s == bs) tie = true;
    }
    return tie ? NULL : best;
}

const struct config_metric *plan_match_content(const plan_matcher *pm_c, const char *text,
                                               const struct config_group **group_in_text)
{
    const plan_matcher *pm = pm_c;
    if (group_in_text) *group_in_text = NULL;
    buf key = BUF_INIT;
    const struct config_metric *m = NULL;
    if (!pm_key(text, &key)) { buf_free(&key); return NULL; }
    char *k = key.data;
    size_t after, j = joiner_at(pm, k, &after);
    if (group_in_text) {
        if (after < key.len) *group_in_text = plan_match_group(pm, k + after);
        if (!*group_in_text) {
            size_t l;
            *group_in_text = longest_phrase(pm, PK_GROUP, k, &l);
        }
    }
    if (j > 0 && j < key.len) k[j - 1] = '\0';      /* the content before "cho" */
    char *s = strip_class_words(pm, k);
    bool several;
    const pm_entry *e = pm_exact(pm, PK_METRIC, s, &several);
    if (!e) e = pm_exact(pm, PK_METRIC, k, &several);
    if (e && !several) m = e->ent;
    if (!m) m = scored_metric(pm, k);
    if (!m) m = most_similar(pm, PK_METRIC, s, 0.85);
    buf_free(&key);
    return m;
}

const struct config_group *plan_match_group(const plan_matcher *pm, const char *text)
{
    buf key = BUF_INIT;
    const struct config_group *g = NULL;
    if (pm_key(text, &key)) {
        bool several;
        const pm_entry *e = pm_exact(pm, PK_GROUP, key.data, &several);
        if (e && !several) g = e->ent;
        size_t l;
        if (!g && !e) g = longest_phrase(pm, PK_GROUP, key.data, &l);
        if (!g && !e) g = most_similar(pm, PK_GROUP, key.data, 0.8);
    }
    buf_free(&key);
    return g;
}

/* ---- time, place, source, provider ------------------------------------------- */

static int roman(const char *p, size_t n)
{
    static const char *const r[] = {"i", "ii", "iii", "iv"};
    for (int i = 0; i < 4; i++)
        if (strlen(r[i]) == n && strncmp(p, r[i], n) == 0) return i + 1;
    return 0;
}

/* A token's number (digits only), -1 otherwise. */
static int tok_num(const char *p, size_t n)
{
    if (!n || n > 4) return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)p[i])) return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v;
}

/* Is p[0..n) one of the words of kind? Returns its length (the word may be
 * glued to the number: "q3", "t3"). */
static size_t word_prefix(const plan_matcher *pm, unsigned kind, const char *p, size_t n)
{
    size_t best = 0;
    for (size_t i = pm->kfrom[kind]; i < pm->kto[kind]; i++) {
        const pm_entry *e = &pm->e[i];
        size_t kn = strlen(e->key);
        if (kn <= n && kn > best && strncmp(p, e->key, kn) == 0) best = kn;
    }
    return best;
}

/* "3/2025", "15/3/2025": the month of the first date-like text, 0 none. */
static int slash_month(const char *t)
{
    for (const char *p = t; *p; p++) {
        if (!isdigit((unsigned char)*p) || (p > t && isdigit((unsigned char)p[-1]))) continue;
        int a = 0, b = -1, c = -1;
        const char *q = p;
        while (isdigit((unsigned char)*q)) a = a * 10 + (*q++ - '0');
        if (*q != '/' && *q != '-' && *q != '.') continue;
        char sep = *q++;
        if (!isdigit((unsigned char)*q)) continue;
        for (b = 0; isdigit((unsigned char)*q);) b = b * 10 + (*q++ - '0');
        if (*q == sep && isdigit((unsigned char)q[1]))
            for (c = 0, q++; isdigit((unsigned char)*q);) c = c * 10 + (*q++ - '0');
        if (c >= 1900 && b >= 1 && b <= 12) return b;          /* d/m/yyyy */
        if (c < 0 && b >= 1900 && a >= 1 && a <= 12) return a;  /* m/yyyy   */
    }
    return 0;
}

int plan_quarter_text(const plan_matcher *pm, const char *text)
{
    buf key = BUF_INIT;
    if (!pm_key(text, &key)) { buf_free(&key); return 0; }
    int q = -1, pending = 0;   /* pending: 1 after a quarter word, 2 after a month word */
    bool worded = false;
    for (const char *p = key.data; *p && q < 0;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t wq = word_prefix(pm, PK_QUARTER, p, n), wm = word_prefix(pm, PK_MONTH, p, n);
        int kind = wq > wm ? 1 : wm ? 2 : 0;
        size_t w = kind == 1 ? wq : kind == 2 ? wm : 0;
        const char *v = p + w;
        size_t vn = n - w;
        if (kind && w < n && tok_num(v, vn) < 0 && !(kind == 1 && roman(v, vn))) kind = 0, v = p, vn = n;
        if (kind) { pending = kind; worded = true; }
        if (kind && v == p + n) {
            /* the word alone: its number follows */
        } else if (pending == 2) {
            int d = tok_num(v, vn);
            if (d >= 1 && d <= 12) q = (d - 1) / 3 + 1;
        } else {
            int r = roman(v, vn), d = tok_num(v, vn);
            if (r) q = r;
            else if (d >= 1 && d <= 4) q = d;
            else if (!pending && d >= 5 && d <= 12) q = (d - 1) / 3 + 1;
        }
        p += n;
        while (*p == ' ') p++;
    }
    buf_free(&key);
    int sm = worded ? 0 : slash_month(text);   /* "3/2025", "15/03/2025" */
    return sm ? (sm - 1) / 3 + 1 : q;
}

int plan_place(const plan_matcher *pm, const char *text)
{
    buf key = BUF_INIT;
    int p = -1;
    if (pm_key(text, &key)) {
        const pm_entry *e = pm_exact(pm, PK_PLACE, key.data, NULL);
        if (e) p = e->role;
        size_t best = 0;
        for (size_t i = pm->kfrom[PK_PLACE]; p < 0 && i < pm->kto[PK_PLACE]; i++) {
            const pm_entry *x = &pm->e[i];
            if (x->ntok > best && pm_phrase_in(key.data, x->key)) {
                best = x->ntok;
                p = x->role;
            }
        }
    }
    buf_free(&key);
    return p;
}

const struct config_breakdown *plan_match_source(const plan_matcher *pm, const char *text)
{
    buf key = BUF_INIT;
    const struct config_breakdown *b = NULL;
    if (pm_key(text, &key)) {
        bool several;
        const pm_entry *e = pm_exact(pm, PK_SOURCE, key.data, &several);
        if (e && !several) b = e->ent;
        size_t l;
        if (!b) b = longest_phrase(pm, PK_SOURCE, key.data, &l);
        if (!b) b = most_similar(pm, PK_SOURCE, key.data, 0.8);
    }
    buf_free(&key);
    return b;
}

const struct config_unit *plan_match_provider(const plan_matcher *pm, const char *text)
{
    if (!text || !*text) return NULL;
    ident_result r;
    memset(&r, 0, sizeof r);
    return ident_match_unit_ix(pm->ix, text, strlen(text), &r);
}

int plan_column_role(const plan_matcher *pm, const char *text)
{
    buf key = BUF_INIT;
    int role = -1;
    if (pm_key(text, &key)) {
        const pm_entry *e = pm_exact(pm, PK_COLUMN, key.data, NULL);
        if (e) role = e->role;
    }
    buf_free(&key);
    return role;
}
