/* pipeline/rec_cache.c — the recognizer's per-run memo of fuzzy matches (see
 * rec_ctx.h "rec_cache"): folded text → the entity its fuzzy search chose. */
#include "pipeline/rec_ctx.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline/recognize.h"

typedef struct {
    uint64_t hash;
    const char *key;     /* NULL: a free slot                                  */
    size_t len;
    const void *val;
} cslot;

struct rec_cache {
    arena mem;           /* the keys                                           */
    cslot *t;
    size_t n, cap;       /* cap a power of two, kept at most half full         */
    size_t max;          /* entries before the memo starts afresh              */
    buf key;             /* the key being looked up                            */
};

rec_cache *recognize_cache_new(size_t max_entries)
{
    rec_cache *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    arena_init(&m->mem);
    m->max = max_entries ? max_entries : REC_CACHE_ENTRIES;
    return m;
}

void recognize_cache_free(rec_cache *m)
{
    if (!m) return;
    arena_free(&m->mem);
    free(m->t);
    buf_free(&m->key);
    free(m);
}

/* FNV-1a, 64 bits. */
static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

/* Start the memo afresh (what it held was only a shortcut). */
static void cache_reset(rec_cache *m)
{
    arena_free(&m->mem);
    arena_init(&m->mem);
    if (m->t) memset(m->t, 0, m->cap * sizeof *m->t);
    m->n = 0;
}

/* Double the table; false on out of memory (the memo is then unchanged). */
static bool cache_grow(rec_cache *m)
{
    size_t cap = m->cap ? 2 * m->cap : 1024;
    cslot *t = calloc(cap, sizeof *t);
    if (!t) return false;
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->t[i].key) continue;
        size_t h = (size_t)m->t[i].hash & (cap - 1);
        while (t[h].key) h = (h + 1) & (cap - 1);
        t[h] = m->t[i];
    }
    free(m->t);
    m->t = t;
    m->cap = cap;
    return true;
}

/* The slot of the key in m->key: found (key set) or the free one to fill. */
static cslot *cache_slot(rec_cache *m, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    while (m->t[i].key &&
           !(m->t[i].hash == h && m->t[i].len == m->key.len && memcmp(m->t[i].key, buf_str(&m->key), m->key.len) == 0))
        i = (i + 1) & (m->cap - 1);
    return &m->t[i];
}

buf *rec_cache_key(rec_cache *m)
{
    if (!m) return NULL;
    buf_clear(&m->key);
    return &m->key;
}

bool rec_cache_get(rec_cache *m, const void **val)
{
    if (!m || !m->cap || m->key.oom) return false;
    cslot *s = cache_slot(m, hash_of(buf_str(&m->key), m->key.len));
    if (!s->key) return false;
    *val = s->val;
    return true;
}

void rec_cache_put(rec_cache *m, const void *val)
{
    if (!m || m->key.oom) return;
    if (m->n >= m->max) cache_reset(m);
    if (2 * (m->n + 1) > m->cap && !cache_grow(m)) return;
    uint64_t h = hash_of(buf_str(&m->key), m->key.len);
    cslot *s = cache_slot(m, h);
    if (s->key) { s->val = val; return; }
    char *k = arena_alloc(&m->mem, m->key.len ? m->key.len : 1);
    if (!k) return;                        /* a memo that cannot grow just misses */
    memcpy(k, buf_str(&m->key), m->key.len);
    *s = (cslot){ h, k, m->key.len, val };
    m->n++;
}
