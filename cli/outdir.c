/* cli/outdir.c — the output folder as dtbd owns it (see outdir.h). */
/* nftw() is an XSI function */
#define _XOPEN_SOURCE 700
#include "cli/outdir.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- private ---------------------------------------------------------------------- */

/* The outputs a run writes into OUTDIR (cli/run.c, DESIGN §7). */
static const char *const OUTPUT_NAMES[] = {
    "records.csv", "issues.csv", "sources.csv", "attainment.csv", "tong-hop.xlsx",
    "charts", "phan-hoi", OUTDIR_MARKER, OUTDIR_LOCK,
};
enum { N_OUTPUT_NAMES = sizeof OUTPUT_NAMES / sizeof *OUTPUT_NAMES };

static bool is_output_name(const char *s, size_t n)
{
    for (size_t i = 0; i < N_OUTPUT_NAMES; i++)
        if (strlen(OUTPUT_NAMES[i]) == n && memcmp(OUTPUT_NAMES[i], s, n) == 0) return true;
    return false;
}

/* dir/name is a regular file (not through a symlink). */
static bool has_file(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;
    int k = snprintf(path, sizeof path, "%s/%s", dir, name);
    return k > 0 && (size_t)k < sizeof path && lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The owner's pid of a dtbd temporary named name ("PID-XXXXXX" after its
 * prefix), or 0 when name is not one. */
static long temp_owner(const char *name)
{
    const char *rest = NULL;
    if (strncmp(name, ".charts-tmp-", 12) == 0) {
        rest = name + 12;
    } else if (strncmp(name, ".phan-hoi-tmp-", 14) == 0) {
        rest = name + 14;
    } else if (name[0] == '.') {
        const char *t = strstr(name, ".tmp-");
        while (t && strstr(t + 1, ".tmp-")) t = strstr(t + 1, ".tmp-");
        if (!t || !is_output_name(name + 1, (size_t)(t - name - 1))) return 0;
        rest = t + 5;
    }
    if (!rest || !isdigit((unsigned char)rest[0])) return 0;
    char *end;
    long pid = strtol(rest, &end, 10);
    if (pid <= 0 || *end != '-' || strlen(end + 1) != 6) return 0;
    for (const char *p = end + 1; *p; p++)
        if (!isalnum((unsigned char)*p)) return 0;
    return pid;
}

/* nftw callback: remove one entry (children first, FTW_DEPTH). */
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

/* ---- public ----------------------------------------------------------------------- */

bool outdir_is_output(const char *dir)
{
    if (has_file(dir, OUTDIR_MARKER)) return true;
    return has_file(dir, "records.csv") && has_file(dir, "issues.csv") && has_file(dir, "sources.csv") &&
           has_file(dir, "attainment.csv");
}

bool outdir_is_own_entry(const char *name)
{
    return is_output_name(name, strlen(name)) || temp_owner(name) > 0;
}

int outdir_write_marker(FILE *f, const char *version)
{
    int k = fprintf(f, "dtbd %s\n"
                       "Thư mục kết quả của dtbd: các lần chạy sau không đọc thư mục này như báo cáo.\n",
                    version);
    return k < 0 ? -1 : 0;
}

int outdir_lock(const char *outdir, long wait_ms, volatile sig_atomic_t *stop)
{
    char path[4096];
    int k = snprintf(path, sizeof path, "%s/%s", outdir, OUTDIR_LOCK);
    if (k < 0 || (size_t)k >= sizeof path) { errno = ENAMETOOLONG; return -1; }
    int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
    if (fd < 0) return -1;
    for (long waited = 0;; waited += 100) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
        int e = errno;
        if (e != EWOULDBLOCK && e != EINTR) { close(fd); errno = e; return -1; }
        if (stop && *stop) { close(fd); errno = EINTR; return -1; }
        if (waited >= wait_ms) { close(fd); errno = EWOULDBLOCK; return -1; }
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

void outdir_unlock(int fd)
{
    if (fd >= 0) close(fd);          /* closing releases the flock */
}

void outdir_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

size_t outdir_remove_stale(const char *outdir)
{
    DIR *d = opendir(outdir);
    if (!d) return 0;
    size_t removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid = temp_owner(e->d_name);
        if (pid <= 0 || pid == (long)getpid()) continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH) continue;   /* alive, or not ours to judge */
        char path[4096];
        struct stat st;
        int k = snprintf(path, sizeof path, "%s/%s", outdir, e->d_name);
        if (k < 0 || (size_t)k >= sizeof path || lstat(path, &st) != 0) continue;
        bool charts = strncmp(e->d_name, ".charts-tmp-", 12) == 0 || strncmp(e->d_name, ".phan-hoi-tmp-", 14) == 0;
        if (charts && S_ISDIR(st.st_mode)) {
            outdir_remove_tree(path);
            removed++;
        } else if (!charts && S_ISREG(st.st_mode) && unlink(path) == 0) {
            removed++;
        }
    }
    closedir(d);
    return removed;
}

/* mkdir -p; 0 or -1 with errno. */
int outdir_make(const char *path)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp) { errno = ENAMETOOLONG; return -1; }
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(tmp, 0777) != 0 && errno != EEXIST) return -1;
    return 0;
}

/* See outdir.h. */
bool outdir_join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= n) {
        errno = ENAMETOOLONG;
        return false;
    }
    return true;
}

