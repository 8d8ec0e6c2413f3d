/* charts/gnuplot.c — the gnuplot driver (see gnuplot.h). */
#include "charts/gnuplot.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"

#define MARKER "@@dtbd-chart "

struct gnuplot {
    pid_t pid;
    int in_fd;              /* gnuplot's stdin (ours to write), -1 once closed   */
    int out_fd;             /* gnuplot's stderr + stdout, -1 at end of file      */
    buf output;             /* everything read from out_fd                       */
    dtbd_status failed;  /* the first failure of a send                       */
};

/* ---- private functions ---------------------------------------------------- */

/* Milliseconds of a monotonic clock. */
static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* pipe() with both ends close-on-exec (pipe2 is not POSIX), so other
 * programs the run may start never inherit gnuplot's pipes. */
static int cloexec_pipe(int fd[2])
{
    if (pipe(fd) != 0) return -1;
    fcntl(fd[0], F_SETFD, FD_CLOEXEC);
    fcntl(fd[1], F_SETFD, FD_CLOEXEC);
    return 0;
}

/* Read what is available on out_fd (non-blocking) into g->output; closes
 * out_fd at end of file. */
static void drain(gnuplot *g)
{
    char chunk[4096];
    for (;;) {
        ssize_t k = read(g->out_fd, chunk, sizeof chunk);
        if (k > 0) { buf_append(&g->output, chunk, (size_t)k); continue; }
        if (k < 0 && errno == EINTR) continue;
        if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        close(g->out_fd);        /* end of file, or an error we cannot fix   */
        g->out_fd = -1;
        return;
    }
}

/* Write data[0..n) to gnuplot's stdin while reading its output, so neither
 * side can block the other. With n == 0 (and stdin closed) it only reads,
 * until end of file. Returns DTBD_OK, DTBD_ERR_GNUPLOT_DIED or DTBD_ERR_GNUPLOT_TIMEOUT. */
static dtbd_status pump(gnuplot *g, const char *data, size_t n)
{
    struct sigaction ign, old;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGPIPE, &ign, &old);

    dtbd_status st = DTBD_OK;
    size_t off = 0;
    long long last = now_ms();
    while ((off < n && g->in_fd >= 0) || (n == 0 && g->out_fd >= 0)) {
        struct pollfd fds[2];
        nfds_t nfds = 0;
        int iw = -1, ir = -1;
        if (off < n) { fds[nfds] = (struct pollfd){g->in_fd, POLLOUT, 0}; iw = (int)nfds++; }
        if (g->out_fd >= 0) { fds[nfds] = (struct pollfd){g->out_fd, POLLIN, 0}; ir = (int)nfds++; }
        long long left = GNUPLOT_TIMEOUT_MS - (now_ms() - last);
        if (left <= 0) { st = DTBD_ERR_GNUPLOT_TIMEOUT; break; }
        int r = poll(fds, nfds, (int)left);
        if (r < 0) {
            if (errno == EINTR) continue;
            st = DTBD_ERR_GNUPLOT_DIED;
            break;
        }
        if (r == 0) { st = DTBD_ERR_GNUPLOT_TIMEOUT; break; }
        if (ir >= 0 && fds[ir].revents) { drain(g); last = now_ms(); }
        if (iw >= 0 && fds[iw].revents) {
            ssize_t k = write(g->in_fd, data + off, n - off);
            if (k > 0) { off += (size_t)k; last = now_ms(); }
            else if (k < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK)) continue;
            else { st = DTBD_ERR_GNUPLOT_DIED; break; }   /* EPIPE: gnuplot is gone    */
        }
    }
    sigaction(SIGPIPE, &old, NULL);
    return st;
}

/* Trim spaces at both ends of s[0..n): *start and the new length. */
static size_t trim(const char *s, size_t n, size_t *start)
{
    size_t a = 0;
    while (a < n && (s[a] == ' ' || s[a] == '\t' || s[a] == '\r')) a++;
    while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r')) n--;
    *start = a;
    return n - a;
}

/* True when the line holds only a caret (gnuplot's pointer to the error). */
static bool caret_line(const char *s, size_t n)
{
    return n == 1 && s[0] == '^';
}

/* Append a message for chart (text text[0..len)) to the report; false on OOM. */
static bool report_add(gnuplot_report *rep, size_t *cap, const char *chart, const buf *text)
{
    if (text->len == 0) return true;
    if (!buf_grow_array((void **)&rep->msgs, cap, rep->n + 1, sizeof *rep->msgs)) return false;
    char *c = strdup(chart), *t = strdup(text->data);
    if (!c || !t) { free(c); free(t); return false; }
    rep->msgs[rep->n++] = (gnuplot_message){c, t};
    return true;
}

/* Split gnuplot's output at the markers into one message per chart. */
static bool attribute(const buf *out, gnuplot_report *rep)
{
    size_t cap = 0;
    buf chart = BUF_INIT, text = BUF_INIT;
    buf_puts(&chart, "");
    const char *s = out->data ? out->data : "";
    size_t n = out->len, i = 0;
    bool ok = true;
    while (i < n && ok) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t end = nl ? (size_t)(nl - s) : n;
        size_t a, len = trim(s + i, end - i, &a);
        const char *line = s + i + a;
        if (len >= strlen(MARKER) && memcmp(line, MARKER, strlen(MARKER)) == 0 &&
            (size_t)(line - s) == i) {
            ok = report_add(rep, &cap, chart.data, &text);
            buf_clear(&chart);
            buf_append(&chart, line + strlen(MARKER), len - strlen(MARKER));
            buf_clear(&text);
        } else if (len > 0 && !caret_line(line, len)) {
            if (text.len) buf_puts(&text, " | ");
            buf_append(&text, line, len);
        }
        i = end + 1;
    }
    if (ok) ok = report_add(rep, &cap, chart.data ? chart.data : "", &text);
    ok = ok && !chart.oom && !text.oom;
    buf_free(&chart);
    buf_free(&text);
    return ok;
}

/* ---- public functions ----------------------------------------------------- */

bool gnuplot_find(const char *path_env, char *out, size_t n)
{
    const char *path = path_env ? path_env : getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    char cwd[PATH_MAX];
    bool have_cwd = getcwd(cwd, sizeof cwd) != NULL;
    for (const char *p = path;; ) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        /* An empty entry means the current folder (POSIX). */
        char cand[PATH_MAX];
        int k;
        if (len == 0) k = have_cwd ? snprintf(cand, sizeof cand, "%s/gnuplot", cwd) : -1;
        else if (p[0] == '/') k = snprintf(cand, sizeof cand, "%.*s/gnuplot", (int)len, p);
        else k = have_cwd ? snprintf(cand, sizeof cand, "%s/%.*s/gnuplot", cwd, (int)len, p) : -1;
        struct stat sb;
        if (k > 0 && (size_t)k < sizeof cand && (size_t)k < n && stat(cand, &sb) == 0 &&
            S_ISREG(sb.st_mode) && access(cand, X_OK) == 0) {
            memcpy(out, cand, (size_t)k + 1);
            return true;
        }
        if (!colon) break;
        p = colon + 1;
    }
    return false;
}

dtbd_status gnuplot_open(const char *workdir, gnuplot **out)
{
    *out = NULL;
    char exe[PATH_MAX];
    if (!gnuplot_find(NULL, exe, sizeof exe)) return DTBD_ERR_GNUPLOT_NOT_FOUND;

    gnuplot *g = calloc(1, sizeof *g);
    if (!g) return DTBD_ERR_NOMEM;
    int in[2] = {-1, -1}, err[2] = {-1, -1}, status[2] = {-1, -1};
    if (cloexec_pipe(in) || cloexec_pipe(err) || cloexec_pipe(status)) goto fail;

    pid_t pid = fork();
    if (pid < 0) goto fail;
    if (pid == 0) {
        /* The child: only async-signal-safe calls until exec. A failure is
         * told to the parent through the close-on-exec status pipe. */
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        sigaction(SIGPIPE, &dfl, NULL);
        int e = 0, sfd = status[1];
        if (dup2(in[0], 0) < 0 || dup2(err[1], 1) < 0 || dup2(err[1], 2) < 0 ||
            dup2(status[1], 3) < 0) e = errno;
        else {
            /* 0-2 survive exec; the status pipe (now 3) closes on it. */
            sfd = 3;
            fcntl(0, F_SETFD, 0);
            fcntl(1, F_SETFD, 0);
            fcntl(2, F_SETFD, 0);
            fcntl(3, F_SETFD, FD_CLOEXEC);
            closefrom(4);          /* the run's other files are not gnuplot's */
            if (chdir(workdir) != 0) e = errno;
            else {
                char *const argv[] = {exe, (char *)"-d", NULL};
                execv(exe, argv);
                e = errno;
            }
        }
        ssize_t wr = write(sfd, &e, sizeof e);
        (void)wr;
        _exit(127);
    }
    close(in[0]);
    close(err[1]);
    close(status[1]);
    int e = 0;
    ssize_t k;
    do k = read(status[0], &e, sizeof e); while (k < 0 && errno == EINTR);
    close(status[0]);
    if (k == (ssize_t)sizeof e) {           /* dup2, chdir or exec failed      */
        close(in[1]);
        close(err[0]);
        waitpid(pid, NULL, 0);
        free(g);
        errno = e;
        return DTBD_ERR_GNUPLOT_START;
    }
    g->pid = pid;
    g->in_fd = in[1];
    g->out_fd = err[0];
    fcntl(g->in_fd, F_SETFL, fcntl(g->in_fd, F_GETFL) | O_NONBLOCK);
    fcntl(g->out_fd, F_SETFL, fcntl(g->out_fd, F_GETFL) | O_NONBLOCK);
    *out = g;
    return DTBD_OK;

fail:
    e = errno;
    for (int i = 0; i < 2; i++) {
        if (in[i] >= 0) close(in[i]);
        if (err[i] >= 0) close(err[i]);
        if (status[i] >= 0) close(status[i]);
    }
    free(g);
    errno = e;
    return DTBD_ERR_GNUPLOT_START;
}

dtbd_status gnuplot_send(gnuplot *g, const char *chart, const char *script, size_t n)
{
    if (g->failed != DTBD_OK) return g->failed;
    buf b = BUF_INIT;
    buf_puts(&b, "print '" MARKER);
    for (const char *c = chart; *c; c++)      /* a slug by contract; made sure */
        buf_putc(&b, (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' ? *c : '-');
    buf_puts(&b, "'\n");
    buf_append(&b, script, n);
    if (n && script[n - 1] != '\n') buf_putc(&b, '\n');
    dtbd_status st = b.oom ? DTBD_ERR_NOMEM : pump(g, b.data, b.len);
    buf_free(&b);
    if (st != DTBD_OK) g->failed = st;
    return st;
}

dtbd_status gnuplot_close(gnuplot *g, gnuplot_report *rep)
{
    memset(rep, 0, sizeof *rep);
    dtbd_status st = g->failed;
    if (g->in_fd >= 0) { close(g->in_fd); g->in_fd = -1; }
    if (st == DTBD_OK || st == DTBD_ERR_GNUPLOT_DIED) {
        dtbd_status rd = pump(g, NULL, 0);     /* the rest of its output   */
        if (st == DTBD_OK) st = rd;
    }
    if (st == DTBD_ERR_GNUPLOT_TIMEOUT) kill(g->pid, SIGKILL);
    if (g->out_fd >= 0) { close(g->out_fd); g->out_fd = -1; }

    int ws = 0;
    pid_t w;
    do w = waitpid(g->pid, &ws, 0); while (w < 0 && errno == EINTR);
    if (w < 0) { rep->exit_code = -1; }
    else if (WIFEXITED(ws)) rep->exit_code = WEXITSTATUS(ws);
    else if (WIFSIGNALED(ws)) { rep->exit_code = -1; rep->signal = WTERMSIG(ws); }
    if (st == DTBD_OK && rep->exit_code != 0) st = DTBD_ERR_GNUPLOT_EXIT;

    if (g->output.oom || !attribute(&g->output, rep)) {
        if (st == DTBD_OK) st = DTBD_ERR_NOMEM;
    }
    buf_free(&g->output);
    free(g);
    return st;
}

void gnuplot_report_free(gnuplot_report *rep)
{
    for (size_t i = 0; i < rep->n; i++) {
        free(rep->msgs[i].chart);
        free(rep->msgs[i].text);
    }
    free(rep->msgs);
    memset(rep, 0, sizeof *rep);
}
