/*
 * base/sha256.h — SHA-256 of a file (FIPS 180-4), for sources.csv: the analyst
 * can tell which attachment a figure came from even when two share a name.
 * No ownership: the caller provides every buffer.
 */
#ifndef DTBD_BASE_SHA256_H
#define DTBD_BASE_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t h[8];
    uint64_t bytes;
    unsigned char block[64];
    size_t fill;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_final(sha256_ctx *c, unsigned char digest[32]);

/* The portable compression even where the CPU has SHA instructions (on),
 * or back to the CPU's choice (off): for tests that compare the two. */
void sha256_portable(bool on);

/* Lower-case hex of the digest of data; hex needs 65 bytes. */
void sha256_hex(const void *data, size_t n, char hex[65]);

/* Hex digest of a whole file; returns 0, or -1 with errno set. */
int sha256_file(const char *path, char hex[65]);

#endif
