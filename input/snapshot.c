/* input/snapshot.c — see snapshot.h. */
#define _GNU_SOURCE /* memfd_create */
#include "input/snapshot.h"
#include "base/syserr.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>


enum { CHUNK = 64 * 1024 };

/* The fields that say a file is the same version: size and times (to the
 * nanosecond), and which file it is. */
static bool same_version(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* See snapshot.h. */
int snap_anon_file(void)
{
    int fd = memfd_create("dtbd-input", MFD_CLOEXEC);
    if (fd >= 0) return fd;
    FILE *t = tmpfile();
    if (!t) return -1;
    fd = dup(fileno(t));
    fclose(t);
    if (fd >= 0) fcntl(fd, F_SETFD, FD_CLOEXEC);
    return fd;
}

/* See snapshot.h. */
int snap_write_all(int fd, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* ---- a copy made from bytes ------------------------------------------------- */

dtbd_status snap_writer_open(snap_writer *w, wb_error *err)
{
    w->size = 0;
    sha256_init(&w->hash);
    w->fd = snap_anon_file();
    if (w->fd < 0) {
        wb_error_set(err, errno == ENOMEM ? DTBD_ERR_NOMEM : DTBD_ERR_IO,
                     "không tạo được bản sao tạm để đọc: %s", syserr_text(errno, SYSERR_READ));
        return err->status;
    }
    return DTBD_OK;
}

dtbd_status snap_writer_write(snap_writer *w, const void *p, size_t n, wb_error *err)
{
    sha256_update(&w->hash, p, n);
    if (snap_write_all(w->fd, p, n) != 0) {
        wb_error_set(err, errno == ENOSPC || errno == ENOMEM ? DTBD_ERR_NOMEM : DTBD_ERR_IO,
                     "không chép được tệp để đọc: %s", syserr_text(errno, SYSERR_READ));
        return err->status;
    }
    w->size += n;
    return DTBD_OK;
}

dtbd_status snap_writer_finish(snap_writer *w, int64_t mtime, snap_file *out, wb_error *err)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    if (lseek(w->fd, 0, SEEK_SET) != 0) {
        wb_error_set(err, DTBD_ERR_IO, "%s", syserr_text(errno, SYSERR_READ));
        snap_writer_abort(w);
        return err->status;
    }
    unsigned char digest[32];
    sha256_final(&w->hash, digest);
    for (int i = 0; i < 32; i++) snprintf(out->sha256 + 2 * i, 3, "%02x", digest[i]);
    snprintf(out->path, sizeof out->path, "/proc/self/fd/%d", w->fd);
    out->fd = w->fd;
    out->size = w->size;
    out->mtime = mtime;
    w->fd = -1;
    return DTBD_OK;
}

void snap_writer_abort(snap_writer *w)
{
    if (w->fd >= 0) close(w->fd);
    w->fd = -1;
}

/* ---- a copy of a file ---------------------------------------------------------- */

/* Is the file at path still the version fstat'ed as *before through `in`,
 * with `copied` bytes read? DTBD_OK or DTBD_ERR_CHANGED with err set. */
static dtbd_status check_unchanged(const char *path, int in, const struct stat *before, uint64_t copied,
                                 wb_error *err)
{
    /* The same version from first byte to last, and still the file that
     * the path names (Excel saves by writing a new file and renaming it). */
    struct stat after, now;
    if (stat(path, &now) != 0 || now.st_dev != before->st_dev || now.st_ino != before->st_ino) {
        wb_error_set(err, DTBD_ERR_CHANGED, "đã được lưu đè hoặc thay bằng tệp khác");
        return err->status;
    }
    if (fstat(in, &after) != 0 || !same_version(before, &after) || copied != (uint64_t)before->st_size) {
        wb_error_set(err, DTBD_ERR_CHANGED, "đang được ghi: %llu byte lúc bắt đầu, %llu byte đã đọc",
                     (unsigned long long)before->st_size, (unsigned long long)copied);
        return err->status;
    }
    return DTBD_OK;
}

dtbd_status snap_take_observed(const char *path, uint64_t max_bytes, snap_file *out, wb_error *err,
                             snap_progress_fn progress, void *ctx)
{
    wb_error dummy;
    if (!err) err = &dummy;
    memset(err, 0, sizeof *err);
    memset(out, 0, sizeof *out);
    out->fd = -1;

    struct stat before;
    int in = wb_open_regular(path, max_bytes, &before, err);
    if (in < 0) return err->status;

    snap_writer w;
    unsigned char *buf = malloc(CHUNK);
    dtbd_status st = buf ? snap_writer_open(&w, err) : DTBD_ERR_NOMEM;
    if (!buf) {
        wb_error_set(err, DTBD_ERR_NOMEM, NULL);
        w.fd = -1;
    }
    while (st == DTBD_OK) {
        ssize_t r = read(in, buf, CHUNK);
        if (r < 0) {
            if (errno == EINTR) continue;
            wb_error_set(err, DTBD_ERR_IO, "lỗi đọc tệp: %s", syserr_text(errno, SYSERR_READ));
            st = err->status;
            break;
        }
        if (r == 0) break;
        if (w.size + (uint64_t)r > max_bytes) {      /* grew past the cap while copied */
            wb_error_set(err, DTBD_ERR_CHANGED, "tệp lớn dần trong khi đọc (đang được ghi?)");
            st = err->status;
            break;
        }
        st = snap_writer_write(&w, buf, (size_t)r, err);
        if (st == DTBD_OK && progress) progress(ctx, w.size);
    }
    free(buf);
    if (st == DTBD_OK) st = check_unchanged(path, in, &before, w.size, err);
    close(in);
    if (st != DTBD_OK) {
        snap_writer_abort(&w);
        return st;
    }
    return snap_writer_finish(&w, (int64_t)before.st_mtime, out, err);
}

dtbd_status snap_take(const char *path, uint64_t max_bytes, snap_file *out, wb_error *err)
{
    return snap_take_observed(path, max_bytes, out, err, NULL, NULL);
}

void snap_release(snap_file *s)
{
    if (s->fd >= 0) close(s->fd);
    s->fd = -1;
    s->path[0] = '\0';
}
