/*
 * output/zipout.h — a zip archive written entry by entry, for rewriting a
 * package another library made (output/xlsxpatch.h): entries copied as they
 * are, still compressed, from an archive libzip opened, and entries whose
 * deflated bytes the caller made (raw deflate, chunk by chunk).
 *
 * The format is the plain one (PKWARE APPNOTE 4.3): local header, data,
 * central directory, end record; no data descriptors, no zip64 — an entry or
 * an archive past 4 GiB, or more than 65,535 entries, is refused
 * (DTBD_ERR_LIMIT). Entry names are written as given (ASCII for a package).
 *
 * Errors: every call returns DTBD_OK or the first failure, which sticks:
 * DTBD_ERR_WRITE (errno kept), DTBD_ERR_IO (the source archive could not be
 * read), DTBD_ERR_LIMIT, DTBD_ERR_NOMEM. The caller removes the file on
 * failure.
 *
 * Ownership: a zipout owns its central directory; the file descriptor stays
 * the caller's (zipout_finish does not close it).
 */
#ifndef DTBD_OUTPUT_ZIPOUT_H
#define DTBD_OUTPUT_ZIPOUT_H

#include <stddef.h>
#include <stdint.h>
#include <zip.h>

#include "base/status.h"

typedef struct zipout zipout;

/* A new archive written to fd from its current offset (0). NULL: no memory. */
zipout *zipout_new(int fd);

/* Entry `index` of za, copied with its compressed bytes, name, method, CRC
 * and time. */
dtbd_status zipout_copy(zipout *z, zip_t *za, zip_uint64_t index);

/* A deflated entry: begin with its name and the time of entry `like` of za
 * (its modification time kept); then its raw-deflate bytes in order (the
 * caller's chunks, each sync-flushed, the last one finished) with the CRC-32
 * and length of the text each chunk holds; then end. */
dtbd_status zipout_begin(zipout *z, const char *name, zip_t *za, zip_uint64_t like);
dtbd_status zipout_data(zipout *z, const void *deflated, size_t n, uint32_t crc, uint64_t text_len);
dtbd_status zipout_end(zipout *z);

/* The central directory and the end record; frees z. */
dtbd_status zipout_finish(zipout *z);

/* Frees z after a failure (nothing more is written). */
void zipout_abort(zipout *z);

#endif
