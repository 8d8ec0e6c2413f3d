/*
 * base/arena.h — region allocator: many small allocations, one free.
 *
 * Ownership: an arena owns every block it hands out; arena_free() releases
 * them all at once. Nothing allocated from an arena may be freed alone.
 * Allocation failure returns NULL (callers turn that into DTBD_ERR_NOMEM or a
 * finding); nothing here aborts.
 */
#ifndef DTBD_BASE_ARENA_H
#define DTBD_BASE_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;

typedef struct {
    arena_block *head;   /* newest block first                                  */
    size_t total;        /* bytes obtained from malloc, for limits and stats     */
} arena;

void arena_init(arena *a);
void arena_free(arena *a);

/* Aligned to max_align_t; NULL on overflow or out of memory. */
void *arena_alloc(arena *a, size_t n);
void *arena_calloc(arena *a, size_t count, size_t size);

/* Copy n bytes and add a NUL terminator. */
char *arena_strndup(arena *a, const char *s, size_t n);
char *arena_strdup(arena *a, const char *s);

#endif
