/*
 * input/snapshot.h — a private, stable copy of one input file.
 *
 * The inbox is a mail folder: an attachment may still be being saved, or a
 * colleague may re-save a workbook in Excel while a run reads it. Read in
 * place, such a file could be hashed as one version and read as another, or
 * read half old and half new. snap_take() copies a regular file once into an
 * anonymous in-memory file (memfd; an unlinked temporary file where memfd is
 * not available), hashing it (SHA-256) as it copies, and checks that the
 * original did not change meanwhile: size, modification and status-change
 * times before and after the copy, and the bytes copied equal to the size.
 * A change is DTBD_ERR_CHANGED. The readers then read the copy through
 * snap_file.path ("/proc/self/fd/N"), so what is read is exactly what was
 * hashed, whatever happens to the original afterwards.
 *
 * Errors use the readers' wb_error (input/workbook.h): a path that is not a
 * regular file (folder, FIFO, device) or cannot be opened → DTBD_ERR_IO; larger
 * than max_bytes → DTBD_ERR_LIMIT, before anything is copied; no memory for the
 * copy → DTBD_ERR_NOMEM. A FIFO is never opened for reading (no hang).
 *
 * Bytes that do not come from a file on disk (an archive member inflated in
 * memory, input/archive.h) become a snap_file through a snap_writer: open,
 * write chunk by chunk (hashed as written), finish with the modification time
 * to record — the same anonymous copy and the same path for the readers.
 *
 * Ownership: a snap_file owns one file descriptor (close-on-exec) and the
 * memory of the copy; snap_release() frees them. A snap_writer owns its
 * descriptor until snap_writer_finish() hands it to the snap_file, or
 * snap_writer_abort() closes it. Linux-specific (/proc).
 */
#ifndef DTBD_INPUT_SNAPSHOT_H
#define DTBD_INPUT_SNAPSHOT_H

#include <stdint.h>

#include "base/sha256.h"
#include "input/reader.h"

typedef struct {
    int fd;                 /* the copy; -1 when none                           */
    char path[48];          /* "/proc/self/fd/N": give this to the readers      */
    uint64_t size;          /* bytes copied (= the original's size)             */
    int64_t mtime;          /* the original's modification time (seconds)      */
    char sha256[65];        /* lower-case hex of the copied bytes               */
} snap_file;

/* Called after each chunk copied, with the bytes copied so far. For tests
 * only (they change the original mid-copy); NULL in production. */
typedef void (*snap_progress_fn)(void *ctx, uint64_t copied);

/* Copy path into *out. DTBD_OK, or an error with *err filled in (out->fd -1). */
dtbd_status snap_take(const char *path, uint64_t max_bytes, snap_file *out, wb_error *err);

/* snap_take() with a progress callback between chunks. */
dtbd_status snap_take_observed(const char *path, uint64_t max_bytes, snap_file *out, wb_error *err,
                             snap_progress_fn progress, void *ctx);

/* Close the copy (safe on a snap_file that failed or was released). */
void snap_release(snap_file *s);

/* An anonymous file, close-on-exec, the caller's to close: a memfd, else an
 * unlinked temporary file (kernels or sandboxes without memfd_create). -1
 * with errno set when neither can be had. Its path for a library that wants
 * one is "/proc/self/fd/N". */
int snap_anon_file(void);

/* write() all n bytes of buf to fd, retrying short writes and EINTR; 0, or
 * -1 with errno set. */
int snap_write_all(int fd, const void *buf, size_t n);

/* ---- a copy made from bytes -------------------------------------------------- */

typedef struct {
    int fd;                 /* the copy being written; -1 when none             */
    uint64_t size;          /* bytes written so far                             */
    sha256_ctx hash;
} snap_writer;

/* An empty anonymous copy. DTBD_OK, or DTBD_ERR_IO / DTBD_ERR_NOMEM (fd -1). */
dtbd_status snap_writer_open(snap_writer *w, wb_error *err);

/* Append n bytes (hashed). DTBD_OK, or an error (the writer is then to abort). */
dtbd_status snap_writer_write(snap_writer *w, const void *p, size_t n, wb_error *err);

/* Rewind the copy into *out (its size, hash and the given mtime); the
 * writer no longer owns the descriptor. On error the writer is aborted. */
dtbd_status snap_writer_finish(snap_writer *w, int64_t mtime, snap_file *out, wb_error *err);

/* Drop an unfinished copy (safe after finish or a failed open). */
void snap_writer_abort(snap_writer *w);

#endif
