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
    bool shared;
};

static void lock(memo *m)
{
    if (m->shared) pthread_mutex_lock(&m->mu);
}

static void unlock(memo *m)
{
    if (m->shared) pthread_mutex_unlock(&m->mu);
}

memo *memo_new(size_t max_entries, size_t value_size, bool shared)
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
    m->shared = shared;
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

/* A word at a time (keys are often a pointer's 8 bytes or short texts). */
static uint64_t hash_of(const void *key, size_t n)
{
    const unsigned char *p = key;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    for (; n > 0; p++, n--) h = (h ^ *p) * 0x100000001b3ull;
    return h ^ (h >> 29);
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
    lock(m);
    memo_slot *s = find(m, key, n, h);
    bool hit = s->key != NULL;
    if (hit) memcpy(value, s->key + n, m->vsize);
    unlock(m);
    return hit;
}

void memo_put(memo *m, const void *key, size_t n, const void *value)
{
    uint64_t h = hash_of(key, n);
    lock(m);
    memo_slot *s = find(m, key, n, h);
    size_t len = n <= SIZE_MAX - m->vsize ? n + m->vsize : 0;
    if (!s->key && m->n < m->max && len && (s->key = malloc(len))) {
        memcpy(s->key, key, n);
        memcpy(s->key + n, value, m->vsize);
        s->n = n;
        s->hash = h;
        m->n++;
    }
    unlock(m);
}

size_t memo_count(memo *m)
{
    lock(m);
    size_t n = m->n;
    unlock(m);
    return n;
}

void memo_clear(memo *m)
{
    lock(m);
    for (size_t i = 0; i < m->cap; i++) {
        free(m->slot[i].key);
        m->slot[i].key = NULL;
    }
    m->n = 0;
    unlock(m);
}
