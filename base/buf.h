/*
 * base/buf.h — growable byte buffer (like git's strbuf), always NUL-terminated.
 *
 * Ownership: a buf owns its bytes; buf_free() releases them, buf_detach()
 * hands them to the caller (who then free()s them). A buf whose allocation
 * failed sets .oom and ignores further appends, so callers may append freely
 * and check once at the end.
 */
#ifndef DTBD_BASE_BUF_H
#define DTBD_BASE_BUF_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *data;     /* NUL-terminated when len > 0 or cap > 0                  */
    size_t len;
    size_t cap;
    bool oom;       /* an allocation failed; content is truncated             */
} buf;

#define BUF_INIT { NULL, 0, 0, false }

void buf_free(buf *b);
void buf_clear(buf *b);                       /* len = 0, keeps capacity      */
bool buf_reserve(buf *b, size_t extra);
void buf_append(buf *b, const void *p, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *buf_detach(buf *b);                     /* caller frees; b is reset     */

/* Grow a malloc'd array *arr (elements of elem bytes, capacity *cap) to hold
 * at least need elements, doubling from 16; false on overflow or out of
 * memory (the array is then unchanged). The one growable-array helper. */
bool buf_grow_array(void **arr, size_t *cap, size_t need, size_t elem);
const char *buf_str(const buf *b);            /* "" when empty                */

#endif
