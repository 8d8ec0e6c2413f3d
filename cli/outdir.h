/*
 * cli/outdir.h — the output folder as dtbd owns it (DESIGN §7): what
 * marks it as dtbd's, the lock two runs into one folder take, and the
 * temporaries a killed run left behind.
 *
 *   - The marker: every committed run writes OUTDIR_MARKER (".dtbd-output",
 *     naming the version) into OUTDIR with its outputs. A folder holding it is
 *     a dtbd output folder, which a later run never reads as input
 *     (cli/walk.h). So is a folder holding all four CSV outputs
 *     (records, issues, sources, attainment): the outputs of a dtbd from
 *     before the marker.
 *   - The lock: the commit (the renames of output/atomic.h and the charts'
 *     swap) runs under flock(LOCK_EX) on OUTDIR/OUTDIR_LOCK, so two runs into
 *     one folder each commit a whole set and never mix. A run waits for the
 *     lock a bounded time, then gives up (the caller exits 3).
 *   - Stale temporaries: dtbd's temporaries carry their owner's pid in their
 *     name — ".NAME.tmp-PID-XXXXXX" for an output NAME (output/atomic.c) and
 *     ".charts-tmp-PID-XXXXXX" for the charts' folder and
 *     ".phan-hoi-tmp-PID-XXXXXX" for the feedback's (cli/run.c). Those
 *     whose process no longer exists (kill -9, power loss) are removed by a
 *     later run; nothing else is ever touched (another name, a symlink, a
 *     live or foreign-user process, an entry of another shape). Processes
 *     are looked up in this machine's pid space: a folder shared with runs
 *     in another pid namespace (a container) must not be cleaned this way.
 *
 * Ownership: nothing is allocated beyond a call; the lock is a file
 * descriptor the caller releases with outdir_unlock().
 */
#ifndef DTBD_CLI_OUTDIR_H
#define DTBD_CLI_OUTDIR_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define OUTDIR_MARKER ".dtbd-output"
#define OUTDIR_LOCK ".dtbd-lock"

/* True when folder dir is a dtbd output folder (see above). */
bool outdir_is_output(const char *dir);

/* True when name (an entry of an output folder) is dtbd's own: an output,
 * the marker, the lock or one of its temporaries. */
bool outdir_is_own_entry(const char *name);

/* Write the marker's content (version, and what the folder is) to f; 0 or -1. */
int outdir_write_marker(FILE *f, const char *version);

/* Take the lock on outdir, waiting at most wait_ms (polling; *stop set by a
 * signal handler ends the wait early). Returns the descriptor, or -1 with
 * errno: EWOULDBLOCK when another run held it all along, EINTR when stopped,
 * else why the lock file could not be opened. */
int outdir_lock(const char *outdir, long wait_ms, volatile sig_atomic_t *stop);

void outdir_unlock(int fd);

/* rm -rf path: a temporary folder of dtbd's own (symlinks are not followed). */
void outdir_remove_tree(const char *path);

/* Remove dtbd's temporaries in outdir whose owner process is gone; returns
 * how many were removed. */
size_t outdir_remove_stale(const char *outdir);

/* mkdir -p path; 0, or -1 with errno. */
int outdir_make(const char *path);

/* dir + "/" + name into out; false (errno ENAMETOOLONG) when it does not fit. */
bool outdir_join(char *out, size_t n, const char *dir, const char *name);

#endif
