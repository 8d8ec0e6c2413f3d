/*
 * output/atomic.h — all-or-nothing output files (DESIGN §7: "a failed run never
 * leaves a half-written workbook"). Each output is written to a temporary name
 * in the destination folder, ".NAME.tmp-PID-XXXXXX" (PID the writer's process,
 * so a later run can tell a killed run's leftovers: cli/outdir.h), on the
 * same file system, so rename is atomic; only when
 * every output of the run was written and closed without error are they all
 * renamed into place. On failure (or abort) the temporaries are removed and
 * the previous outputs stay as they were. (The renames themselves are one
 * rename(2) each: a failure between two renames — practically impossible once
 * every temporary is written in the same folder — leaves the earlier ones in
 * place; the writing, where disks fill up, is all-or-nothing.)
 *
 * Ownership: an atomic_set owns its FILE handles and path strings until
 * atomic_commit() or atomic_abort(), which release everything.
 */
#ifndef DTBD_OUTPUT_ATOMIC_H
#define DTBD_OUTPUT_ATOMIC_H

#include <stdbool.h>
#include <stdio.h>

#define ATOMIC_MAX_FILES 32

typedef struct {
    char *final_path[ATOMIC_MAX_FILES];
    char *temp_path[ATOMIC_MAX_FILES];
    FILE *fp[ATOMIC_MAX_FILES];
    int n;
    bool failed;
    int err;              /* errno of the first failure, 0 unknown        */
} atomic_set;

void atomic_init(atomic_set *s);

/* Create a temporary for final_path and return a stream to write it (NULL on
 * failure, with errno set; the set is then marked failed). */
FILE *atomic_open(atomic_set *s, const char *final_path);

/* Reserve a temporary path for a file another library writes itself (e.g.
 * libxlsxwriter); returns the temporary path (owned by the set) or NULL. */
const char *atomic_reserve(atomic_set *s, const char *final_path);

/* Mark the set failed (a writer reported an error); errno, when set, is
 * kept as the reason the commit reports. */
void atomic_fail(atomic_set *s);

/* Why a write failed, in Vietnamese, keeping errno's meaning: disk full
 * (ENOSPC), quota (EDQUOT), permission (EACCES/EPERM), read-only (EROFS),
 * device error (EIO) … — never the C library's English text. The writing
 * column of the one errno table, base/syserr.h. */
const char *atomic_error_text(int e);

/* Flush, fsync and close every stream; if all succeeded and the set is not
 * failed, rename every temporary into place and return 0. Otherwise remove
 * the temporaries and return -1 (errno from the first failure). */
int atomic_commit(atomic_set *s);

/* Remove every temporary; the final paths are untouched. */
void atomic_abort(atomic_set *s);

#endif
