/*
 * base/memo.h — answers remembered by their question's text, once per run,
 * shared by threads: a pure function of a text (a unit matched from a title,
 * whether a title names a plan) asked again in every workbook is computed
 * once. Shared by threads (one lock) or private to one (no lock); bounded:
 * past max_entries nothing more is remembered and the caller computes as
 * before (or, memo_clear, starts afresh).
 *
 * Keys are byte strings (any bytes, with their length); values are copied in
 * and out, value_size bytes each. A value must not point to memory that dies
 * before the memo (pointers into the configuration are fine).
 *
 * Ownership: a memo owns its copies of keys and values; memo_free frees them.
 */
#ifndef DTBD_BASE_MEMO_H
#define DTBD_BASE_MEMO_H

#include <stdbool.h>
#include <stddef.h>

typedef struct memo memo;

/* NULL when out of memory. shared: used by several threads (each call takes
 * the memo's lock); else by one thread at a time. */
memo *memo_new(size_t max_entries, size_t value_size, bool shared);
void memo_free(memo *m);

/* The value remembered for key[0..n) into value; false when none. */
bool memo_get(memo *m, const void *key, size_t n, void *value);

/* Remember value for key[0..n) (ignored when full, out of memory or known). */
void memo_put(memo *m, const void *key, size_t n, const void *value);

/* How many answers m holds. */
size_t memo_count(memo *m);

/* Forget every answer (a memo that is full may start afresh). */
void memo_clear(memo *m);

#endif
