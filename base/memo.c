/* base/memo.c — see memo.h. Open addressing over twice max_entries slots. */
#include "base/memo.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *key;      /* the key's bytes, then the value's             */
    size_t n;
    uint64_t hash;
} memo_slot;

struct memo {
    pthread_mutex_t mu;
    memo_slot *slot;
    size_t cap, n, max, vsize;
};

memo *memo_new(size_t max_entries, size_t value_size)
{
    memo *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    size_t cap = 16;
    while (cap < 2 * max_entries) cap *= 2;
    if (!(m->slot = calloc(cap, sizeof *m->slot))) {
        free(m);
        return NULL;
    }
    m->cap = cap;
    m->max = max_entries;
    m->vsize = value_size;
    pthread_mutex_init(&m->mu, NULL);
    return m;
}

void memo_free(memo *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->cap; i++) free(m->slot[i].key);
    free(m->slot);
    pthread_mutex_destroy(&m->mu);
    free(m);
}

static uint64_t hash_of(const void *key, size_t n)
{
    const unsigned char *p = key;
    uint64_t h = 1469598103934665603ull;   /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

/* The slot holding key, or the empty one it would take. */
static memo_slot *find(memo *m, const void *key, size_t n, uint64_t h)
{
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        memo_slot *s = &m->slot[i];
        if (!s->key || (s->hash == h && s->n == n && memcmp(s->key, key, n) == 0)) return s;
    }
}

bool memo_get(memo *m, const void *key, size_t n, void *value)
{
    uint64_t h = hash_of(key, n);
    pthread_mutex_lock(&m->mu);
    memo_slot *s = find(m, key, n, h);
    bool hit = s->key != NULL;
    if (hit) memcpy(value, s->key + n, m->vsize);
    pthread_mutex_unlock(&m->mu);
    return hit;
}

void memo_put(memo *m, const void *key, size_t n, const void *value)
{
    uint64_t h = hash_of(key, n);
    pthread_mutex_lock(&m->mu);
    memo_slot *s = find(m, key, n, h);
    size_t len = n <= SIZE_MAX - m->vsize ? n + m->vsize : 0;
    if (!s->key && m->n < m->max && len && (s->key = malloc(len))) {
        memcpy(s->key, key, n);
        memcpy(s->key + n, value, m->vsize);
        s->n = n;
        s->hash = h;
        m->n++;
    }
    pthread_mutex_unlock(&m->mu);
}
