/* pipeline/rec_cache.c — the recognizer's per-run memo of fuzzy matches (see
 * rec_ctx.h "rec_cache"): folded text → the entity its fuzzy search chose,
 * kept in a base/memo that starts afresh when full. */
#include "pipeline/rec_ctx.h"

#include <stdlib.h>

#include "base/memo.h"
#include "pipeline/recognize.h"

struct rec_cache {
    memo *m;
    size_t max;          /* entries before the memo starts afresh              */
    buf key;             /* the key being looked up                            */
};

rec_cache *recognize_cache_new(size_t max_entries)
{
    rec_cache *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->max = max_entries ? max_entries : REC_CACHE_ENTRIES;
    if (!(c->m = memo_new(c->max, sizeof(const void *), false))) {
        free(c);
        return NULL;
    }
    return c;
}

void recognize_cache_free(rec_cache *c)
{
    if (!c) return;
    memo_free(c->m);
    buf_free(&c->key);
    free(c);
}

buf *rec_cache_key(rec_cache *c)
{
    if (!c) return NULL;
    buf_clear(&c->key);
    return &c->key;
}

bool rec_cache_get(rec_cache *c, const void **val)
{
    if (!c || c->key.oom) return false;
    return memo_get(c->m, buf_str(&c->key), c->key.len, (void *)val);
}

void rec_cache_put(rec_cache *c, const void *val)
{
    if (!c || c->key.oom) return;
    if (memo_count(c->m) >= c->max) memo_clear(c->m);   /* what it held was only a shortcut */
    memo_put(c->m, buf_str(&c->key), c->key.len, (const void *)&val);
}
