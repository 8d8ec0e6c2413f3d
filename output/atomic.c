/* output/atomic.c — all-or-nothing output files (see atomic.h). */
#include "output/atomic.h"

#include "base/syserr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- private ------------------------------------------------------------------ */

/* Make "DIR/.NAME.tmp-PID-XXXXXX" for final path "DIR/NAME" and create it
 * (the pid lets a later run tell a dead run's leftovers, cli/outdir.h). */
static char *make_temp(const char *final_path, int *fd)
{
    const char *slash = strrchr(final_path, '/');
    size_t dirlen = slash ? (size_t)(slash - final_path + 1) : 0;
    const char *base = final_path + dirlen;
    size_t n = strlen(final_path) + 40;
    char *tmp = malloc(n);
    if (!tmp) return NULL;
    snprintf(tmp, n, "%.*s.%s.tmp-%ld-XXXXXX", (int)dirlen, final_path, base, (long)getpid());
    *fd = mkstemp(tmp);
    if (*fd < 0) {
        int e = errno;
        free(tmp);
        errno = e;
        return NULL;
    }
    /* mkstemp creates 0600; an output should get the permissions any new
     * file of the user would (0666 less the umask). */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(*fd, 0666 & ~mask);
    return tmp;
}

/* Release slot i's memory (the file itself is handled by the caller). */
static void release(atomic_set *s, int i)
{
    free(s->final_path[i]);
    free(s->temp_path[i]);
    s->final_path[i] = s->temp_path[i] = NULL;
    s->fp[i] = NULL;
}

/* ---- public ------------------------------------------------------------------- */

void atomic_init(atomic_set *s) { memset(s, 0, sizeof *s); }

/* The first failure's errno is kept: it says why (disk full, no permission). */
static void fail_with(atomic_set *s, int e)
{
    s->failed = true;
    if (!s->err && e) s->err = e;
}

void atomic_fail(atomic_set *s) { fail_with(s, errno); }

const char *atomic_error_text(int e)
{
    return syserr_text(e, SYSERR_WRITE);
}

const char *atomic_reserve(atomic_set *s, const char *final_path)
{
    if (s->n >= ATOMIC_MAX_FILES) { fail_with(s, EMFILE); errno = EMFILE; return NULL; }
    int fd;
    char *tmp = make_temp(final_path, &fd);
    char *fin = strdup(final_path);
    if (!tmp || !fin) {
        int e = errno;
        if (tmp) { close(fd); unlink(tmp); free(tmp); }
        free(fin);
        fail_with(s, e);
        errno = e;
        return NULL;
    }
    close(fd);
    s->final_path[s->n] = fin;
    s->temp_path[s->n] = tmp;
    s->fp[s->n] = NULL;
    s->n++;
    return tmp;
}

FILE *atomic_open(atomic_set *s, const char *final_path)
{
    const char *tmp = atomic_reserve(s, final_path);
    if (!tmp) return NULL;
    FILE *f = fopen(tmp, "wb");
    if (!f) { fail_with(s, errno); return NULL; }
    s->fp[s->n - 1] = f;
    return f;
}

int atomic_commit(atomic_set *s)
{
    int err = s->err;
    for (int i = 0; i < s->n; i++) {
        FILE *f = s->fp[i];
        if (!f) continue;
        if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) { if (!err) err = errno ? errno : EIO; }
        if (fclose(f) != 0 && !err) err = errno;
        s->fp[i] = NULL;
    }
    if (s->failed || err) {
        atomic_abort(s);
        errno = err ? err : EIO;
        return -1;
    }
    for (int i = 0; i < s->n; i++) {
        if (rename(s->temp_path[i], s->final_path[i]) != 0 && !err) err = errno;
    }
    for (int i = 0; i < s->n; i++) {
        if (err) unlink(s->temp_path[i]);   /* a rename failed: drop the rest */
        release(s, i);
    }
    s->n = 0;
    if (err) { errno = err; return -1; }
    return 0;
}

void atomic_abort(atomic_set *s)
{
    for (int i = 0; i < s->n; i++) {
        if (s->fp[i]) fclose(s->fp[i]);
        if (s->temp_path[i]) unlink(s->temp_path[i]);
        release(s, i);
    }
    s->n = 0;
    s->failed = false;
    s->err = 0;
}
