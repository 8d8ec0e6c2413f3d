/*
 * cli/writeout.c — see writeout.h.
 */
#include "cli/writeout.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/outdir.h"
#include "output/atomic.h"
#include "output/csvout.h"
#include "output/feedback.h"
#include "output/tonghop.h"

/* The CSVs of DESIGN §7, written on a second thread while tong-hop.xlsx is
 * built (they never touch libxlsxwriter): the files are opened in the atomic
 * set here, on the caller's thread, and only written there. */
enum { CSV_RECORDS, CSV_ISSUES, CSV_SOURCES, CSV_ATTAINMENT, CSV_N };
typedef struct {
    FILE *f[CSV_N];
    const results *res;
    const attainment *att;
    int err;                 /* errno of the first failed write, or -1; 0 ok */
    pthread_t th;
    bool threaded;
} csv_job;

static void *csv_run(void *arg)
{
    csv_job *c = arg;
    int (*const writers[])(FILE *, const results *) = {csvout_records, csvout_issues, csvout_sources};
    for (int i = 0; i < CSV_N && !c->err; i++) {
        errno = 0;
        int rc = i == CSV_ATTAINMENT ? csvout_attainment(c->f[i], c->att) : writers[i](c->f[i], c->res);
        if (rc != 0) c->err = errno ? errno : -1;
    }
    return NULL;
}

static void csv_start(csv_job *c, atomic_set *set, const char *dir, const results *res, const attainment *att)
{
    static const char *const names[CSV_N] = {"records.csv", "issues.csv", "sources.csv", "attainment.csv"};
    memset(c, 0, sizeof *c);
    c->res = res;
    c->att = att;
    char path[4096];
    for (int i = 0; i < CSV_N; i++)
        if (!outdir_join(path, sizeof path, dir, names[i]) || !(c->f[i] = atomic_open(set, path))) {
            atomic_fail(set);
            c->err = -1;
            return;
        }
    c->threaded = pthread_create(&c->th, NULL, csv_run, c) == 0;
    if (!c->threaded) csv_run(c);
}

static void csv_wait(csv_job *c, atomic_set *set)
{
    if (c->threaded) pthread_join(c->th, NULL);
    if (c->err > 0) errno = c->err;
    if (c->err) atomic_fail(set);
}

/* The feedback to units (output/feedback.h) on a thread of its own: its
 * workbooks are not tong-hop.xlsx's, and libxlsxwriter closes one at a time
 * (template_workbook_close). */
typedef struct {
    char dir[4096];
    char date[32];
    const struct config *cfg;
    const results *res;
    feedback_meta meta;
    bool started, threaded, failed;
    int err;
    char why[1024];
    pthread_t th;
} fb_job;

static void *fb_run(void *arg)
{
    fb_job *f = arg;
    errno = 0;
    if (feedback_write(f->dir, f->cfg, f->res, &f->meta, f->why, sizeof f->why) != 0) {
        f->failed = true;
        f->err = errno ? errno : EIO;
    }
    return NULL;
}

static void fb_start(fb_job *f, const struct config *cfg, const results *res, char *const *inputs, size_t ninputs,
                     const char *version)
{
    f->cfg = cfg;
    f->res = res;
    f->meta = (feedback_meta){f->date, version, (const char *const *)inputs, ninputs};
    f->started = true;
    f->threaded = pthread_create(&f->th, NULL, fb_run, f) == 0;
    if (!f->threaded) fb_run(f);
}

/* Wait for the feedback; true when it failed (errno and f->why say why). */
static bool fb_wait(fb_job *f)
{
    if (!f->started) return false;
    if (f->threaded) pthread_join(f->th, NULL);
    if (f->failed) errno = f->err;
    return f->failed;
}

/* Charts are drawn into a temporary folder beside the outputs (so their
 * findings reach issues.csv), and replace outdir/charts only once every
 * other output was committed: a failed run leaves the previous charts too.
 * The feedback folder phan-hoi/ is swapped in the same way: tmpdir/NAME
 * becomes outdir/NAME, the previous one moves into tmpdir (removed with it). */
static void folder_commit(const char *outdir, const char *tmpdir, const char *name)
{
    char fresh[4096], cur[4096], old[4096], oldname[256];
    snprintf(oldname, sizeof oldname, "old-%s", name);
    if (!outdir_join(fresh, sizeof fresh, tmpdir, name) || !outdir_join(cur, sizeof cur, outdir, name) ||
        !outdir_join(old, sizeof old, tmpdir, oldname))
        return;
    struct stat st;
    if (stat(fresh, &st) != 0) return;                 /* nothing was drawn */
    if (stat(cur, &st) == 0 && rename(cur, old) != 0) return;
    if (rename(fresh, cur) != 0) rename(old, cur);     /* put the old ones back */
}

/* How long a run waits for another run's commit into the same folder:
 * DTBD_LOCK_WAIT seconds (0–3600) when set, else RUN_LOCK_WAIT_S. */
enum { RUN_LOCK_WAIT_S = 60 };

static long lock_wait_ms(void)
{
    const char *v = getenv("DTBD_LOCK_WAIT");
    char *end;
    long s = v && *v ? strtol(v, &end, 10) : -1;
    if (s < 0 || s > 3600 || *end) s = RUN_LOCK_WAIT_S;
    return s * 1000;
}

/* The commit point, under the output folder's lock (cli/outdir.h) so
 * two runs into one folder never mix their files. SIGINT/SIGTERM are held
 * while the set is renamed and the charts swapped in, so a signal lands
 * either before (nothing changes, exit 3) or after (the run is complete and
 * reported as such), never in the middle. 0, or -1 with errno (and why). */
static int commit_outputs(atomic_set *set, const char *outdir, const char *charts_tmp, const char *fb_tmp,
                          volatile sig_atomic_t *stop, char *why, size_t whylen)
{
    int lock = -1;
    if (!*stop && !set->failed) {
        long wait = lock_wait_ms();
        lock = outdir_lock(outdir, wait, stop);
        if (lock < 0) {
            int e = errno;
            atomic_abort(set);
            if (e == EWOULDBLOCK)
                snprintf(why, whylen, "một lần chạy dtbd khác đang ghi vào thư mục này (đã chờ %ld "
                         "giây) — chạy lại khi lần chạy kia xong", wait / 1000);
            errno = e;
            return -1;
        }
    }
    sigset_t hold, prev;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigprocmask(SIG_BLOCK, &hold, &prev);
    int rc;
    if (*stop) {
        atomic_abort(set);
        errno = EINTR;
        rc = -1;
    } else {
        rc = atomic_commit(set);
        if (rc == 0 && charts_tmp && charts_tmp[0]) folder_commit(outdir, charts_tmp, "charts");
        if (rc == 0 && fb_tmp && fb_tmp[0]) folder_commit(outdir, fb_tmp, "phan-hoi");
    }
    int saved = errno;
    outdir_unlock(lock);
    sigprocmask(SIG_SETMASK, &prev, NULL);
    errno = saved;
    return rc;
}

/* See writeout.h. */
int writeout_all(const writeout_job *w, char *why, size_t whylen)
{
    const char *outdir = w->outdir;
    const struct config *cfg = w->cfg;
    const results *res = w->res;
    const attainment *att = w->att;
    volatile sig_atomic_t *stop = w->stop;
    if (outdir_make(outdir) != 0) return -1;
    atomic_set set;
    atomic_init(&set);
    char apath[4096];
    csv_job csv;
    csv_start(&csv, &set, outdir, res, att);

    time_t now = time(NULL);
    struct tm tmv;

    /* the feedback to units, phan-hoi/: written into a temporary folder
     * (output/feedback.h), swapped in as a whole with the charts; built on
     * a thread of its own while tong-hop.xlsx is built here */
    char fbtmp[4096] = "", name[64];
    bool fb_made = false;
    fb_job fb;
    memset(&fb, 0, sizeof fb);
    snprintf(name, sizeof name, ".phan-hoi-tmp-%ld-XXXXXX", (long)getpid());   /* outdir.h */
    if (*stop || set.failed) {
        /* nothing more is written */
    } else if (!outdir_join(fbtmp, sizeof fbtmp, outdir, name) || !(fb_made = mkdtemp(fbtmp) != NULL) ||
               !outdir_join(fb.dir, sizeof fb.dir, fbtmp, "phan-hoi") || mkdir(fb.dir, 0777) != 0) {
        atomic_fail(&set);
    } else {
        if (localtime_r(&now, &tmv)) strftime(fb.date, sizeof fb.date, "%d/%m/%Y %H:%M", &tmv);
        fb_start(&fb, cfg, res, w->inputs, w->ninputs, w->version);
    }

    /* the consolidated workbook, written by libxlsxwriter to a reserved
     * temporary path and renamed with the CSVs; its list of records is
     * compressed on other threads after (tonghop_start/_wait) */
    const char *tp = *stop || !outdir_join(apath, sizeof apath, outdir, "tong-hop.xlsx")
                         ? NULL : atomic_reserve(&set, apath);
    char run_time[32] = "";
    if (localtime_r(&now, &tmv)) strftime(run_time, sizeof run_time, "%Y-%m-%d %H:%M", &tmv);
    workbook_meta meta = {run_time, w->version, res->nsources, w->pv, 0, false, w->fig, false};
    tonghop_job *tjob = NULL;
    char twhy[1024] = "";
    if (!tp || tonghop_start(tp, cfg, res, att, &meta, &tjob, twhy, sizeof twhy) != 0) atomic_fail(&set);

    if (fb_wait(&fb)) {
        atomic_fail(&set);
        snprintf(why, whylen, "%s", fb.why);
    }
    csv_wait(&csv, &set);
    /* the workbook's last step; a failure of tong-hop.xlsx is the reason given */
    if (tonghop_wait(tjob, twhy, sizeof twhy) != 0) atomic_fail(&set);
    if (twhy[0]) snprintf(why, whylen, "%s", twhy);
    FILE *mf = outdir_join(apath, sizeof apath, outdir, OUTDIR_MARKER) ? atomic_open(&set, apath) : NULL;
    if (!mf || outdir_write_marker(mf, w->version) != 0) atomic_fail(&set);
    int rc = commit_outputs(&set, outdir, w->charts_tmp, fb_made ? fbtmp : NULL, stop, why, whylen);
    int e = errno;
    if (fb_made) outdir_remove_tree(fbtmp);
    errno = e;
    return rc;
}

