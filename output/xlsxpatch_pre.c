/*
 * output/xlsxpatch_pre.c — the rows a part lacks, made and deflated on two
 * threads in chunks of 2,048 rows (see xlsxpatch.h): before the package
 * exists (xlsxpatch_pre_start, the spans assumed) or once it is read back
 * (xlsxpatch_fill, the spans the part's). xlsxpatch_pre_finish checks the
 * part is as the rows assumed and writes the package with the chunks ready,
 * only the part's own bytes (its head, the rows it holds, its tail) deflated
 * then. The chunks are kept deflated until then (a tenth of their text).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/crc.h"
#include "output/xlsxpatch_private.h"

#define PRE_CHUNK_ROWS 2048u
#define PRE_WORKERS 2

typedef struct {
    uint32_t r0, r1;            /* rows made, none held                      */
    unsigned char *z;
    size_t zcap, zlen;
    uint32_t crc;
    uint64_t len;
    bool ok;
} pre_chunk;

struct xlsxpatch_pre {
    xp_pre_spec sp;
    pre_chunk *chunks;
    size_t nchunks, cap, next;
    pthread_mutex_t mu;
    pthread_t th[PRE_WORKERS];
    int started;
    bool stop;
};

/* The spans row's block is made with: the known part's, or assumed — 1..ncols,
 * and up to head_hi in the block of the rows before first (the header's). */
static void assumed_span(const xlsxpatch_pre *p, uint32_t row, uint32_t *lo, uint32_t *hi)
{
    if (p->sp.known) {
        xp_block_span(p->sp.known, row, p->sp.ncols, lo, hi);
        return;
    }
    *lo = 1;
    *hi = p->sp.ncols;
    if (row / 16 * 16 < p->sp.first && p->sp.head_hi > *hi) *hi = p->sp.head_hi;
}

static bool make(xlsxpatch_pre *p, pre_chunk *c, buf *text)
{
    buf_clear(text);
    uint32_t lo = 0, hi = 0, block = UINT32_MAX;
    for (uint32_t r = c->r0; r <= c->r1; r++) {
        if (r / 16 != block) {
            block = r / 16;
            assumed_span(p, r, &lo, &hi);
        }
        xp_row_open(text, r, lo, hi);
        if (!p->sp.fn(p->sp.ctx, r, text)) return false;
        buf_puts(text, "</row>");
    }
    if (text->oom) return false;
    c->crc = crc_update(0, text->data, text->len);
    c->len = text->len;
    return xp_deflate(text, false, &c->z, &c->zcap, &c->zlen);
}

static void *worker(void *arg)
{
    xlsxpatch_pre *p = arg;
    buf text = BUF_INIT;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t k = p->stop ? p->nchunks : p->next++;
        pthread_mutex_unlock(&p->mu);
        if (k >= p->nchunks) break;
        p->chunks[k].ok = make(p, &p->chunks[k], &text);
        if (!p->chunks[k].ok) {
            pthread_mutex_lock(&p->mu);
            p->stop = true;
            pthread_mutex_unlock(&p->mu);
        }
    }
    buf_free(&text);
    return NULL;
}

/* The runs of rows first..last that are not held, cut in chunks. */
static bool plan_chunks(xlsxpatch_pre *p)
{
    const xp_pre_spec *sp = &p->sp;
    for (uint32_t r = sp->first; r <= sp->last;) {
        if (sp->held(sp->held_ctx, r)) {
            r++;
            continue;
        }
        uint32_t e = r;
        while (e < sp->last && e + 1 - r < PRE_CHUNK_ROWS && !sp->held(sp->held_ctx, e + 1)) e++;
        if (!buf_grow_array((void **)&p->chunks, &p->cap, p->nchunks + 1, sizeof *p->chunks)) return false;
        p->chunks[p->nchunks++] = (pre_chunk){.r0 = r, .r1 = e};
        if (e == UINT32_MAX) break;
        r = e + 1;
    }
    return true;
}

static void free_pre(xlsxpatch_pre *p)
{
    for (size_t i = 0; i < p->nchunks; i++) free(p->chunks[i].z);
    free(p->chunks);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

/* See xlsxpatch_private.h. */
xlsxpatch_pre *xp_pre_begin(const xp_pre_spec *spec)
{
    if (spec->first > spec->last || spec->ncols == 0 || spec->ncols > 16384) return NULL;
    xlsxpatch_pre *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->sp = *spec;
    pthread_mutex_init(&p->mu, NULL);
    if (!plan_chunks(p) || p->nchunks == 0) {
        free_pre(p);
        return NULL;
    }
    for (int i = 0; i < PRE_WORKERS && (size_t)i < p->nchunks; i++)
        if (pthread_create(&p->th[p->started], NULL, worker, p) == 0) p->started++;
    if (!p->started) {
        free_pre(p);
        return NULL;
    }
    return p;
}

/* See xlsxpatch.h. */
xlsxpatch_pre *xlsxpatch_pre_start(uint32_t first, uint32_t last, uint32_t ncols, uint32_t head_hi,
                                   xlsxpatch_row_fn fn, xlsxpatch_held_fn held, void *ctx)
{
    xp_pre_spec spec = {first, last, ncols, head_hi, fn, ctx, held, ctx, NULL};
    return xp_pre_begin(&spec);
}

static void join(xlsxpatch_pre *p)
{
    for (int i = 0; i < p->started; i++) pthread_join(p->th[i], NULL);
    p->started = 0;
}

/* See xlsxpatch.h. */
void xlsxpatch_pre_abort(xlsxpatch_pre *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_mutex_unlock(&p->mu);
    join(p);
    free_pre(p);
}

/* The part holds exactly the rows held in first..last, and every block with
 * rows made has the spans they were made with. */
static bool as_assumed(const xlsxpatch_pre *p, const xlsxpatch *x)
{
    size_t held = 0, in_part = 0;
    for (size_t i = xp_held_from(x, p->sp.first); i < x->nrows && x->rows[i].row <= p->sp.last; i++) {
        if (!p->sp.held(p->sp.held_ctx, x->rows[i].row)) return false;
        in_part++;
    }
    for (uint32_t r = p->sp.first; r <= p->sp.last; r++) held += p->sp.held(p->sp.held_ctx, r);
    if (held != in_part) return false;
    uint32_t block = UINT32_MAX;
    for (size_t k = 0; k < p->nchunks; k++)
        for (uint32_t r = p->chunks[k].r0; r <= p->chunks[k].r1; r++) {
            if (r / 16 == block) continue;
            block = r / 16;
            uint32_t lo, hi, alo, ahi;
            xp_block_span(x, r, p->sp.ncols, &lo, &hi);
            assumed_span(p, r, &alo, &ahi);
            if (lo != alo || hi != ahi) return false;
        }
    return true;
}

typedef struct {
    const xlsxpatch_pre *p;
    const xlsxpatch *x;
    buf text;
    unsigned char *z;
    size_t zcap;
} pre_out;

/* Text of the part's own deflated now and written; last: finished. */
static dtbd_status flush_text(pre_out *o, zipout *zo, bool last)
{
    size_t zlen = 0;
    if (o->text.oom || !xp_deflate(&o->text, last, &o->z, &o->zcap, &zlen)) return DTBD_ERR_NOMEM;
    uint32_t crc = crc_update(0, o->text.data ? o->text.data : "", o->text.len);
    dtbd_status st = zipout_data(zo, o->z, zlen, crc, o->text.len);
    buf_clear(&o->text);
    return st;
}

/* The part's data: its head and held rows deflated now, between the chunks
 * made before (xp_part_fn). */
static dtbd_status pre_part(void *ctx, zipout *zo)
{
    pre_out *o = ctx;
    const xlsxpatch *x = o->x;
    buf_append(&o->text, x->part, x->data_start);
    size_t h = 0;
    dtbd_status st = DTBD_OK;
    for (size_t k = 0; k < o->p->nchunks && st == DTBD_OK; k++) {
        const pre_chunk *c = &o->p->chunks[k];
        for (; h < x->nrows && x->rows[h].row < c->r0; h++) xp_put_held(x, &x->rows[h], &o->text);
        if (o->text.len) st = flush_text(o, zo, false);
        if (st == DTBD_OK) st = zipout_data(zo, c->z, c->zlen, c->crc, c->len);
    }
    for (; h < x->nrows && st == DTBD_OK; h++) xp_put_held(x, &x->rows[h], &o->text);
    buf_append(&o->text, x->part + x->data_end, x->len - x->data_end);
    return st == DTBD_OK ? flush_text(o, zo, true) : st;
}

/* See xlsxpatch.h. */
dtbd_status xlsxpatch_pre_finish(xlsxpatch_pre *p, const xlsxpatch *x, char *why, size_t whylen)
{
    join(p);
    bool made = true;
    for (size_t k = 0; k < p->nchunks; k++) made = made && p->chunks[k].ok;
    dtbd_status st = DTBD_OK;
    if (!made) {
        xp_set_why(why, whylen, "rows could not be made", NULL);
        st = DTBD_ERR_FORMAT;
    } else if (!as_assumed(p, x)) {
        xp_set_why(why, whylen, "the part is not as the rows made assumed", x->part_name);
        st = DTBD_ERR_FORMAT;
    } else {
        pre_out o = {.p = p, .x = x, .text = BUF_INIT};
        st = xp_rewrite(x, pre_part, &o, why, whylen);
        int e = errno;
        buf_free(&o.text);
        free(o.z);
        errno = e;
    }
    free_pre(p);
    return st;
}
