/*
 * pipeline/plan_ctx.h — the plan reader's private types: the matcher's keys
 * (plan_match.c builds them, plan_read.c looks cells up in them). Only
 * pipeline/plan_*.c include it; the contract is pipeline/plan.h.
 *
 * Ownership: the keys live in the matcher's arena; pm_key() writes into a
 * caller-owned buf.
 */
#ifndef DTBD_PIPELINE_PLAN_CTX_H
#define DTBD_PIPELINE_PLAN_CTX_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/buf.h"
#include "config/config.h"
#include "pipeline/ident.h"

/* What a key names. */
enum {
    PK_TITLE, PK_COLUMN, PK_CLASS, PK_JOINER, PK_QUARTER, PK_MONTH, PK_PLACE, PK_METRIC,
    PK_HEADING, PK_GROUP, PK_SOURCE, PK_TOTAL, PK_FOOTER, PK_N
};

typedef struct {
    const char *key;      /* folded match key                                    */
    unsigned kind;
    const void *ent;      /* config entity, NULL for words                       */
    int role;             /* PK_COLUMN: enum config_plan_col; PK_PLACE: the place */
    size_t ntok;          /* tokens in key                                       */
} pm_entry;

/* plan_is_plan's answers remembered per run: at most this many texts. */
#define PM_TITLES_MAX 8192

struct memo;

struct plan_matcher {
    const struct config *cfg;
    const struct config_table *table;   /* Biểu 02: the contents' metrics */
    arena mem;
    pm_entry *e;                          /* sorted by kind, then key         */
    size_t n, cap;
    size_t kfrom[PK_N], kto[PK_N];        /* each kind's entries: [from, to)  */
    buf b;                              /* scratch of the build              */
    const ident_index *ix;              /* rx->ident: the unit keys              */
    const struct rec_index *rx;         /* the recognizer's indexes, once per run */
    struct rec_index *own_rx;           /* rx when the matcher built it          */
    struct memo *titles;                /* plan_is_plan's answer per (font, text) */
    bool oom;
};

/* The match key of text into out; false when it is empty. */
bool pm_key(const char *text, buf *out);
/* Is key k a whole-token phrase of key t? */
bool pm_phrase_in(const char *t, const char *k);
/* Length of k when key t opens with it (whole tokens), else 0. */
size_t pm_opens_with(const char *t, const char *k);
/* The entry of kind whose key equals key (NULL none); *several when entries
 * of different entities (or roles) do. */
const pm_entry *pm_exact(const struct plan_matcher *pm, unsigned kind, const char *key, bool *several);

#endif
