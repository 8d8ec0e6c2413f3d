/* pipeline/run.c — `dtbd run` and `dtbd check` (see run.h). */
/* nftw() is an XSI function */
#define _XOPEN_SOURCE 700
#include "run.h"

#include <dirent.h>
#include <ftw.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config/config.h"
#include "input/buf.h"
#include "input/archive.h"
#include "input/grid.h"
#include "input/snapshot.h"
#include "output/atomic.h"
#include "output/csvout.h"
#include "output/workbook.h"
#include "charts/charts.h"
#include "pipeline/indicators.h"
#include "pipeline/recognize.h"
#include "pipeline/results.h"
#include "pipeline/validate.h"

/* ---- interruption ---------------------------------------------------------------- */

/* Set by SIGINT/SIGTERM: the run stops at the next file or before committing
 * its outputs, removes its temporaries and leaves the previous outputs as
 * they were (exit status 3, like any failure to write). */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* ---- collecting the input files ---------------------------------------------- */

/* Files read per run when the configuration sets no cap (config/default.yaml
 * says the same), and files listed as not read beyond the cap. */
enum { RUN_DEFAULT_FILES = 10000, RUN_LISTED_BEYOND = 1000 };

typedef struct {
    char **paths;
    size_t n, cap;
    char **loops;            /* folders reached again (a symlink loop), each
                                reported once as a finding                     */
    size_t nloops, caploops;
    size_t limit;            /* paths kept; further files are only counted   */
    uint64_t unlisted;       /* files found beyond the limit                 */
    dev_t *dir_dev;          /* folders already walked: cuts symlink loops   */
    ino_t *dir_ino;
    size_t ndirs, capdirs;
    bool oom;
} file_list;

/* Append a copy of path. */
static void list_add(file_list *l, const char *path)
{
    if (l->n >= l->limit) {
        l->unlisted++;
        return;
    }
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (!p) { l->oom = true; return; }
        l->paths = p;
        l->cap = cap;
    }
    char *copy = strdup(path);
    if (!copy) { l->oom = true; return; }
    l->paths[l->n++] = copy;
}

/* True (and remembered) the first time a folder is seen. */
static bool first_visit(file_list *l, const struct stat *st)
{
    for (size_t i = 0; i < l->ndirs; i++)
        if (l->dir_dev[i] == st->st_dev && l->dir_ino[i] == st->st_ino) return false;
    if (l->ndirs == l->capdirs) {
        size_t cap = l->capdirs ? l->capdirs * 2 : 16;
        dev_t *d = realloc(l->dir_dev, cap * sizeof *d);
        if (!d) { l->oom = true; return false; }
        l->dir_dev = d;
        ino_t *in = realloc(l->dir_ino, cap * sizeof *in);
        if (!in) { l->oom = true; return false; }
        l->dir_ino = in;
        l->capdirs = cap;
    }
    l->dir_dev[l->ndirs] = st->st_dev;
    l->dir_ino[l->ndirs] = st->st_ino;
    l->ndirs++;
    return true;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk path: a file is listed; a folder is walked in name order (depth
 * bounded, each folder once, so symlink loops end). Entries that cannot be
 * read are listed too: reading them later produces the finding. */
static void walk(file_list *l, const char *path, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        list_add(l, path);
        return;
    }
    if (depth > 32 || !first_visit(l, &st)) {
        /* a folder seen before (symlink loop, or a link to a folder already
         * read) or nested absurdly deep: not read again, but said */
        if (!l->oom && buf_grow_array((void **)&l->loops, &l->caploops, l->nloops + 1, sizeof *l->loops)) {
            l->loops[l->nloops] = strdup(path);
            if (l->loops[l->nloops]) l->nloops++;
            else l->oom = true;
        } else {
            l->oom = true;
        }
        return;
    }
    DIR *d = opendir(path);
    if (!d) {
        list_add(l, path);       /* an unreadable folder becomes a finding */
        return;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            char **p = realloc(names, cap * sizeof *p);
            if (!p) { l->oom = true; break; }
            names = p;
        }
        names[n] = strdup(e->d_name);
        if (!names[n]) { l->oom = true; break; }
        n++;
    }
    closedir(d);
    qsort(names, n, sizeof *names, cmp_str);
    size_t plen = strlen(path);
    bool slash = plen > 0 && path[plen - 1] == '/';
    for (size_t i = 0; i < n; i++) {
        size_t len = plen + strlen(names[i]) + 2;
        char *child = malloc(len);
        if (child) {
            snprintf(child, len, "%s%s%s", path, slash ? "" : "/", names[i]);
            walk(l, child, depth + 1);
            free(child);
        } else {
            l->oom = true;
        }
        free(names[i]);
    }
    free(names);
}

static void list_free(file_list *l)
{
    for (size_t i = 0; i < l->nloops; i++) free(l->loops[i]);
    free(l->loops);
    for (size_t i = 0; i < l->n; i++) free(l->paths[i]);
    free(l->paths);
    free(l->dir_dev);
    free(l->dir_ino);
}

/* ---- one file -------------------------------------------------------------------- */

/* Base name of a path. */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* The rule code for a reader failure: a format we recognise but do not read
 * (.ods, .xlsb, encrypted, a .docx) is unsupported; damaged or unrecognisable
 * content (random bytes named .xlsx, a truncated zip) is unreadable. */
static const char *read_rule(wb_status st, wb_format fmt)
{
    if (st == WB_ERR_CHANGED) return "file_changed";
    if (st == WB_ERR_LIMIT || st == WB_ERR_NOMEM) return "file_limit";
    if (st == WB_ERR_ENCRYPTED) return "file_unsupported";
    if (st == WB_ERR_FORMAT && fmt != WB_FMT_UNKNOWN) return "file_unsupported";
    return "file_unreadable";
}

/* What reading one run's files needs, and how many it has read. */
typedef struct {
    const struct config *cfg;
    const wb_limits *lim;
    results *res;
    size_t max_files;        /* files_per_run: inbox files and archive members */
    size_t nread;            /* … read so far                                  */
} reader;

/* Excel's lock files (~$name.xlsx) and hidden files (.DS_Store) are no
 * reports: true, after a note, when path names one. */
static bool skipped_name(results *res, uint32_t src, const char *path)
{
    const char *base = base_name(path);
    if (strncmp(base, "~$", 2) != 0 && base[0] != '.') return false;
    res->sources[src].status = SRC_REJECTED;
    results_add_finding(res, SEV_INFO, "file_skipped", src, NULL, NULL, NULL, 0,
                        "Bỏ qua tệp ẩn hoặc tệp khóa tạm của Excel \"%s\"", base);
    return true;
}

/* A file (or member) that could not be read: rejected, with one finding
 * whose advice depends on the cause. */
static void reject(results *res, uint32_t src, wb_status rc, wb_format fmt, const wb_error *err,
                   const char *path)
{
    char line[1024];
    wb_error_format(err, base_name(path), line, sizeof line);
    res->sources[src].status = SRC_REJECTED;
    /* what to do about it: a cap may be raised, a changing file read
     * again later, anything else sent again by the unit */
    const char *advice =
        rc == WB_ERR_LIMIT ? "tệp có thể hỏng hoặc cố ý gây hại; nếu đây là báo cáo thật, nâng giới "
                             "hạn tương ứng trong mục limits của cấu hình"
        : rc == WB_ERR_NOMEM ? "tệp cần nhiều bộ nhớ hơn máy còn trống; các tệp khác vẫn được đọc"
        : rc == WB_ERR_CHANGED ? "không số liệu nào của tệp được dùng; chạy lại khi tệp đã lưu xong"
                               : "gửi lại tệp .xlsx hoặc .xls lưu từ Excel";
    results_add_finding(res, SEV_ERROR, read_rule(rc, fmt), src, err->sheet, err->cell, NULL, 0,
                        "Không đọc được tệp: %s — %s", line, advice);
}

static void read_copy(reader *r, uint32_t src, const snap_file *snap, const char *path,
                      arc_archive *parent);

/* Member i of archive a, as a source of its own named path!/label. */
static void read_member(reader *r, arc_archive *a, size_t i, const char *path)
{
    results *res = r->res;
    const arc_member *m = &a->members[i];
    buf label = BUF_INIT;
    buf_printf(&label, "%s!/%s", path, m->label);
    uint32_t src = label.oom ? RESULTS_NO_SOURCE : results_add_source(res, label.data);
    if (src == RESULTS_NO_SOURCE) {
        res->oom = true;
        buf_free(&label);
        return;
    }
    res->sources[src].mtime = m->mtime;
    if (m->unsafe_name)
        results_add_finding(res, SEV_WARNING, "archive_name_unsafe", src, NULL, NULL, NULL, 0,
                            "Tên tệp \"%s\" trong tệp nén là đường dẫn tuyệt đối hoặc có \"..\": chỉ "
                            "dùng làm nhãn, không giải nén ra đĩa — đề nghị đơn vị nén lại với tên tệp "
                            "bình thường", m->label);
    if (m->name_repaired)
        results_add_finding(res, SEV_INFO, "archive_name_repaired", src, NULL, NULL, NULL, 0,
                            "Tên tệp trong tệp nén không ghi bằng UTF-8: đã đọc theo bảng mã "
                            "Windows-1258, ký tự không đọc được thay bằng dấu \"�\"");
    if (!skipped_name(res, src, label.data)) {
        wb_error err = {0};
        snap_file snap;
        wb_status rc = r->nread >= r->max_files ? WB_ERR_LIMIT : arc_extract(a, i, r->lim, &snap, &err);
        if (r->nread >= r->max_files)
            wb_error_set(&err, WB_ERR_LIMIT, "lần chạy đã đọc đủ %zu tệp (giới hạn files_per_run)",
                         r->max_files);
        else r->nread++;
        if (rc == WB_OK) {
            read_copy(r, src, &snap, label.data, a);
            snap_release(&snap);
        } else {
            reject(res, src, rc, WB_FMT_UNKNOWN, &err, label.data);
        }
    }
    buf_free(&label);
}

/* The zip at snap (source src, named path) is an archive: each member is
 * read as a source of its own; the zip itself stays listed (format zip,
 * accepted when its members could be listed). */
static void read_archive(reader *r, uint32_t src, const snap_file *snap, const char *path,
                         arc_archive *parent)
{
    results *res = r->res;
    arc_archive a;
    wb_error err = {0};
    wb_status rc = arc_open(snap->path, r->lim, parent, &a, &err);
    if (rc != WB_OK) {
        reject(res, src, rc, WB_FMT_ARCHIVE, &err, path);
        arc_close(&a);
        return;
    }
    res->sources[src].status = SRC_ACCEPTED;
    if (a.n == 0)
        results_add_finding(res, SEV_WARNING, "archive_empty", src, NULL, NULL, NULL, 0,
                            "Tệp nén \"%s\" không chứa tệp nào để đọc — đề nghị đơn vị gửi lại "
                            "báo cáo", base_name(path));
    for (size_t i = 0; i < a.n && !res->oom && !interrupted; i++) {
        if (arc_exhausted(&a, r->lim)) {
            res->sources[src].status = SRC_REJECTED;
            results_add_finding(res, SEV_ERROR, "file_limit", src, NULL, NULL, NULL, 0,
                                "Không đọc %zu tệp còn lại trong tệp nén \"%s\": dữ liệu giải nén "
                                "đã vượt giới hạn tổng %llu byte (inflated_size) — tệp có thể cố ý "
                                "gây hại", a.n - i, base_name(path),
                                (unsigned long long)r->lim->max_inflated_total);
            break;
        }
        read_member(r, &a, i, path);
    }
    arc_close(&a);
}

/* Read and recognize the private copy snap of source src (named path, a
 * file of the inbox or a member of parent). */
static void read_copy(reader *r, uint32_t src, const snap_file *snap, const char *path,
                      arc_archive *parent)
{
    results *res = r->res;
    source_file *s = &res->sources[src];
    s->mtime = snap->mtime;
    memcpy(s->sha256, snap->sha256, sizeof snap->sha256);
    wb_error err = {0};
    if (wb_sniff(snap->path, &err) == WB_FMT_ARCHIVE) {
        s->format = WB_FMT_ARCHIVE;
        read_archive(r, src, snap, path, parent);
        return;
    }
    grid_book book;
    wb_status rc = grid_read_named(snap->path, path, r->lim, &book, &err);
    s = &res->sources[src];
    s->format = book.format;
    if (rc != WB_OK) {
        reject(res, src, rc, book.format, &err, path);
        grid_free(&book);
        return;
    }
    if (err.repaired && err.repaired_at[0]) /* a CSV's stray bytes, located */
        results_add_finding(res, SEV_WARNING, "text_repaired", src,
                            book.nsheets == 1 ? book.sheets[0].name : NULL, err.repaired_at, NULL, 0,
                            "Tệp có %lu chỗ không đúng mã UTF-8 (byte lẻ), đã thay bằng dấu \"�\" "
                            "(ô đầu tiên là ô này); phần còn lại của tệp đọc theo UTF-8 — kiểm tra "
                            "lại các ô có dấu này hoặc lưu lại tệp CSV dạng UTF-8", err.repaired);
    else if (err.repaired)
        results_add_finding(res, SEV_INFO, "text_repaired", src, NULL, NULL, NULL, 0,
                            "Tệp văn bản Unicode (UTF-16) có %lu ký tự hỏng (nửa cặp thay thế "
                            "hoặc byte lẻ cuối tệp), đã thay bằng dấu \"�\" — kiểm tra lại "
                            "các ô có dấu này hoặc lưu lại tệp từ Excel",
                            err.repaired);
    recognize_workbook(r->cfg, &book, res, src);
    grid_free(&book);
    s = &res->sources[src];
    s->status = (s->records == 0 && s->errors > 0) ? SRC_REJECTED : SRC_ACCEPTED;
}

/* Read and recognize one file of the inbox into res, within the caps. The
 * file is read from a private copy (input/snapshot.h): what is hashed is what
 * is read, and a file that changes meanwhile is a finding, not a mixed
 * reading. An archive's members are read from copies of their own. */
static void process_file(reader *r, const char *path)
{
    results *res = r->res;
    uint32_t src = results_add_source(res, path);
    if (src == RESULTS_NO_SOURCE || skipped_name(res, src, path)) return;
    wb_error err = {0};
    snap_file snap;
    r->nread++;
    wb_status rc = snap_take(path, r->lim->max_file_bytes, &snap, &err);
    if (rc != WB_OK) {
        struct stat st;
        if (stat(path, &st) == 0) res->sources[src].mtime = (int64_t)st.st_mtime;
        res->sources[src].format = WB_FMT_UNKNOWN;
        reject(res, src, rc, WB_FMT_UNKNOWN, &err, path);
        return;
    }
    read_copy(r, src, &snap, path, NULL);
    snap_release(&snap);
}

/* ---- outputs ----------------------------------------------------------------------- */

/* mkdir -p; 0 or -1 with errno. */
static int make_dirs(const char *path)
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

/* dir + "/" + name into out; false (errno ENAMETOOLONG) when it does not fit. */
static bool join_path(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    if (k < 0 || (size_t)k >= n) {
        errno = ENAMETOOLONG;
        return false;
    }
    return true;
}

/* Write one CSV through the atomic set. */
static void write_csv(atomic_set *set, const char *dir, const char *name,
                      int (*writer)(FILE *, const results *), const results *res)
{
    char path[4096];
    FILE *f = join_path(path, sizeof path, dir, name) ? atomic_open(set, path) : NULL;
    if (!f || writer(f, res) != 0) atomic_fail(set);
}

/* Charts are drawn into a temporary folder beside the outputs (so their
 * findings reach issues.csv), and replace outdir/charts only once every
 * other output was committed: a failed run leaves the previous charts too. */
static void charts_commit(const char *outdir, const char *tmpdir)
{
    char fresh[4096], cur[4096], old[4096];
    if (!join_path(fresh, sizeof fresh, tmpdir, "charts") || !join_path(cur, sizeof cur, outdir, "charts") ||
        !join_path(old, sizeof old, tmpdir, "old-charts"))
        return;
    struct stat st;
    if (stat(fresh, &st) != 0) return;                 /* nothing was drawn */
    if (stat(cur, &st) == 0 && rename(cur, old) != 0) return;
    if (rename(fresh, cur) != 0) rename(old, cur);     /* put the old ones back */
}

/* Write every output, all or nothing; 0 or -1 (errno set, and a reason in
 * why when a writer gave one). */
static int write_outputs(const char *outdir, const struct config *cfg, const results *res,
                         const attainment *att, const char *charts_tmp, char *why, size_t whylen)
{
    if (make_dirs(outdir) != 0) return -1;
    atomic_set set;
    atomic_init(&set);
    write_csv(&set, outdir, "records.csv", csvout_records, res);
    write_csv(&set, outdir, "issues.csv", csvout_issues, res);
    write_csv(&set, outdir, "sources.csv", csvout_sources, res);
    char apath[4096];
    FILE *af = join_path(apath, sizeof apath, outdir, "attainment.csv") ? atomic_open(&set, apath) : NULL;
    if (!af || csvout_attainment(af, att) != 0) atomic_fail(&set);

    /* the consolidated workbook, written by libxlsxwriter to a reserved
     * temporary path and renamed with the CSVs */
    const char *tp = interrupted || !join_path(apath, sizeof apath, outdir, "tong-hop.xlsx")
                         ? NULL : atomic_reserve(&set, apath);
    char run_time[32] = "";
    time_t now = time(NULL);
    struct tm tmv;
    if (localtime_r(&now, &tmv)) strftime(run_time, sizeof run_time, "%Y-%m-%d %H:%M", &tmv);
    workbook_meta meta = {run_time, DTBD_VERSION, res->nsources};
    if (!tp || workbook_write(tp, cfg, res, att, &meta, why, whylen) != 0) atomic_fail(&set);

    /* The commit point. SIGINT/SIGTERM are held while the set is renamed
     * and the charts swapped in, so a signal lands either before (nothing
     * changes, exit 3) or after (the run is complete and reported as such),
     * never in the middle. */
    sigset_t hold, prev;
    sigemptyset(&hold);
    sigaddset(&hold, SIGINT);
    sigaddset(&hold, SIGTERM);
    sigprocmask(SIG_BLOCK, &hold, &prev);
    int rc;
    if (interrupted) {
        atomic_abort(&set);
        errno = EINTR;
        rc = -1;
    } else {
        rc = atomic_commit(&set);
        if (rc == 0 && charts_tmp && charts_tmp[0]) charts_commit(outdir, charts_tmp);
    }
    int saved = errno;
    sigprocmask(SIG_SETMASK, &prev, NULL);
    errno = saved;
    return rc;
}

/* Why an output could not be written, in Vietnamese for the common causes
 * (the C library's text otherwise). */
static const char *write_error_text(int e)
{
    switch (e) {
    case ENOSPC: return "ổ đĩa đã đầy";
    case EDQUOT: return "hết hạn mức dung lượng trên ổ đĩa";
    case EFBIG: return "tệp vượt giới hạn cỡ tệp của hệ thống";
    case EACCES:
    case EPERM: return "không có quyền ghi vào thư mục";
    case EROFS: return "ổ đĩa chỉ cho đọc";
    case ENOTDIR: return "một phần của đường dẫn không phải là thư mục";
    case EIO: return "lỗi ghi trên thiết bị";
    default: return strerror(e);
    }
}

/* nftw callback: remove one entry (children first, FTW_DEPTH). */
static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

/* rm -rf path (our own temporary folders only; symlinks are not followed). */
static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}


/* `dtbd check`: the findings, one line each, errors first. */
static void print_findings(FILE *out, const results *res)
{
    static const severity order[] = {SEV_ERROR, SEV_WARNING, SEV_INFO};
    static const char *label[] = {"LỖI", "CẢNH BÁO", "THÔNG TIN"};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < res->nfindings; i++) {
            const finding *f = &res->findings[i];
            if (f->sev != order[k]) continue;
            const char *file = f->source < res->nsources ? res->sources[f->source].path : "";
            fprintf(out, "%s [%s] %s", label[k], f->rule, file);
            if (f->sheet[0]) fprintf(out, "!%s", f->sheet);
            if (f->cell[0]) fprintf(out, "!%s", f->cell);
            fprintf(out, ": %s\n", f->message);
        }
    }
}

/* The run's summary (Vietnamese, stderr). */
static void print_summary(FILE *log, const results *res, const attainment *att, const char *outdir,
                          bool wrote)
{
    size_t acc = 0, sup = 0, rej = 0, read = 0, rec = 0, rjc = 0, out = 0, bad = 0;
    for (size_t i = 0; i < res->nsources; i++) {
        const source_file *s = &res->sources[i];
        acc += s->status == SRC_ACCEPTED;
        sup += s->status == SRC_SUPERSEDED;
        rej += s->status == SRC_REJECTED;
        read += s->cells_read;
        rec += s->cells_recorded;
        rjc += s->cells_rejected;
        out += s->cells_outside;
        bad += s->cells_read != s->cells_recorded + s->cells_rejected + s->cells_outside;
    }
    fprintf(log, "dtbd: %zu tệp — %zu được nhận, %zu bị thay thế, %zu bị loại\n", res->nsources,
            acc, sup, rej);
    fprintf(log, "dtbd: %zu ô đã đọc = %zu ô thành số liệu + %zu ô bị loại + %zu ô ngoài biểu%s\n",
            read, rec, rjc, out, bad ? " — KHÔNG KHỚP" : " (khớp)");
    fprintf(log, "dtbd: %zu số liệu; %zu lỗi, %zu cảnh báo, %zu thông tin\n", res->nrecords,
            results_count(res, SEV_ERROR), results_count(res, SEV_WARNING),
            results_count(res, SEV_INFO));
    if (att && att->n) {
        int latest = 0;
        for (size_t i = 0; i < att->n; i++)
            if (att->rows[i].scope == SCOPE_PROVINCE && att->rows[i].status != ATT_NO_DATA &&
                att->rows[i].year > latest)
                latest = att->rows[i].year;
        if (latest) {
            size_t met = 0, not_met = 0, behind = 0;
            indicators_summary(att, latest, &met, &not_met, &behind);
            fprintf(log, "dtbd: chỉ tiêu năm %d (toàn tỉnh): %zu đạt, %zu không đạt, %zu chậm tiến độ\n",
                    latest, met, not_met, behind);
        }
    }
    if (wrote) fprintf(log, "dtbd: kết quả ghi vào %s/\n", outdir);
}

/* ---- public ------------------------------------------------------------------------- */

int run_parse_args(int argc, char **argv, bool check_only, run_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->check_only = check_only;
    opt->log = stderr;
    const char *cmd = check_only ? "check" : "run";
    int first_input = -1;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (first_input >= 0 || a[0] != '-' || a[1] == '\0') {
            if (first_input < 0) first_input = i;
            continue;
        }
        if ((strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) && i + 1 < argc)
            opt->config_path = argv[++i];
        else if (!check_only && (strcmp(a, "-o") == 0 || strcmp(a, "--out") == 0) && i + 1 < argc)
            opt->outdir = argv[++i];
        else if (!check_only && strcmp(a, "--no-charts") == 0)
            opt->no_charts = true;
        else if (strcmp(a, "--years") == 0 && i + 1 < argc) {
            char *end;
            long from = strtol(argv[++i], &end, 10), to = from;
            if (*end == '-') to = strtol(end + 1, &end, 10);
            if (*end || from < 1900 || to < from || to > 2100) {
                fprintf(stderr, "dtbd %s: --years cần dạng 2021-2025: %s\n", cmd, argv[i]);
                return 2;
            }
            opt->year_from = (int)from;
            opt->year_to = (int)to;
        } else if (strcmp(a, "--") == 0) {
            first_input = i + 1;
            break;
        } else {
            fprintf(stderr, "dtbd %s: tùy chọn không hợp lệ: %s\n", cmd, a);
            return 2;
        }
    }
    if (first_input < 0 || first_input >= argc) {
        fprintf(stderr, "dtbd %s: cần ít nhất một tệp hoặc thư mục đầu vào\n", cmd);
        return 2;
    }
    /* options after the first input are not allowed: they would be read as files */
    opt->inputs = argv + first_input;
    opt->ninputs = (size_t)(argc - first_input);
    return 0;
}

int run_job(const run_options *opt)
{
    /* From the first step: a signal while the configuration is read or the
     * folders are walked is an interrupted run too (exit 3), not a kill. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    FILE *log = opt->log ? opt->log : stderr;
    const char *outdir = opt->outdir ? opt->outdir : "out";
    struct config_error cerr;
    struct config *cfg = opt->config_path ? config_load_file(opt->config_path, &cerr)
                                          : config_load_default(&cerr);
    if (!cfg) {
        char line[1400];
        config_error_format(&cerr, line, sizeof line);
        fprintf(stderr, "dtbd: %s\n", line);
        return 2;
    }
    for (size_t i = 0; i < opt->ninputs; i++) {
        struct stat st;
        if (stat(opt->inputs[i], &st) != 0) {
            fprintf(stderr, "dtbd: không tìm thấy đầu vào %s: %s\n", opt->inputs[i], strerror(errno));
            config_free(cfg);
            return 2;
        }
    }
    /* the caps: the configuration's where it sets them, else the readers' */
    wb_limits lim = wb_limits_default();
    const struct config_limits *cl = &cfg->limits;
    if (cl->file_bytes) lim.max_file_bytes = cl->file_bytes;
    if (cl->inflated_bytes) lim.max_inflated_total = cl->inflated_bytes;
    if (cl->inflate_ratio) lim.max_inflate_ratio = (uint32_t)cl->inflate_ratio;
    if (cl->cells_per_sheet) lim.max_cells_per_sheet = cl->cells_per_sheet;
    if (cl->cells_per_workbook) lim.max_cells_per_workbook = cl->cells_per_workbook;
    if (cl->grid_bytes) lim.max_grid_bytes = cl->grid_bytes;
    if (cl->string_bytes) lim.max_string_bytes = (size_t)cl->string_bytes;
    if (cl->xml_depth) lim.max_xml_depth = (uint32_t)cl->xml_depth;
    if (cl->sheets) lim.max_sheets = (uint32_t)cl->sheets;
    if (cl->shared_strings) lim.max_shared_strings = cl->shared_strings;
    if (cl->archive_members) lim.max_archive_members = (uint32_t)cl->archive_members;
    if (cl->archive_depth) lim.max_archive_depth = (uint32_t)cl->archive_depth;
    size_t max_files = cl->files_per_run ? (size_t)cl->files_per_run : RUN_DEFAULT_FILES;

    /* Files beyond the cap are still listed (as not read), up to
     * RUN_LISTED_BEYOND of them; further ones are only counted. */
    file_list files = {0};
    files.limit = max_files + RUN_LISTED_BEYOND;
    for (size_t i = 0; i < opt->ninputs; i++) walk(&files, opt->inputs[i], 0);

    results res;
    results_init(&res);
    for (size_t i = 0; i < files.nloops; i++)
        results_add_finding(&res, SEV_WARNING, "folder_loop", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Thư mục \"%s\" đã được đọc qua một đường dẫn khác (liên kết vòng "
                            "hoặc lồng quá sâu): không đọc lại để tránh tính trùng.",
                            files.loops[i]);
    bool tty = isatty(fileno(log));
    reader rd = {.cfg = cfg, .lim = &lim, .res = &res, .max_files = max_files};
    for (size_t i = 0; i < files.n && !res.oom && !interrupted; i++) {
        if (rd.nread >= max_files) {
            /* over the cap: listed, not read (the analyst sees which) */
            uint32_t src = results_add_source(&res, files.paths[i]);
            if (src == RESULTS_NO_SOURCE) continue;
            res.sources[src].status = SRC_REJECTED;
            results_add_finding(&res, SEV_ERROR, "file_limit", src, NULL, NULL, NULL, 0,
                                "Không đọc tệp \"%s\": lần chạy đã đọc đủ %zu tệp (giới hạn "
                                "files_per_run của cấu hình) — chia thư mục đầu vào hoặc nâng giới hạn",
                                base_name(files.paths[i]), max_files);
            continue;
        }
        if (tty) fprintf(log, "\r\033[K[%zu/%zu] %s", i + 1, files.n, base_name(files.paths[i]));
        process_file(&rd, files.paths[i]);
    }
    if (files.unlisted && !interrupted)
        results_add_finding(&res, SEV_ERROR, "file_limit", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Còn %llu tệp nữa trong thư mục đầu vào không được đọc và không được "
                            "liệt kê (vượt giới hạn files_per_run = %zu của cấu hình)",
                            (unsigned long long)files.unlisted, max_files);
    if (tty) fprintf(log, "\r\033[K");
    if (!res.oom) validate_run(cfg, &res);
    /* the indicators, from what validation left counted (run only) */
    attainment att = {0};
    bool att_oom = !opt->check_only && !res.oom &&
                   indicators_compute(cfg, &res, opt->year_from, opt->year_to, &att) != 0;
    /* charts: drawn before the CSVs are written, so their findings are in
     * issues.csv; into a temporary folder, committed with the rest */
    char chtmp[4096] = "";
    if (!opt->check_only && !opt->no_charts && !interrupted && !res.oom && !att_oom &&
        make_dirs(outdir) == 0) {
        if (join_path(chtmp, sizeof chtmp, outdir, ".charts-tmp-XXXXXX") && mkdtemp(chtmp))
            charts_render(chtmp, cfg, &res, &att);
        else
            chtmp[0] = '\0';
    }
    int status;
    char why[1024] = "";
    if (interrupted) {
        fprintf(stderr, "dtbd: bị ngắt — không ghi kết quả (kết quả cũ được giữ nguyên)\n");
        status = 3;
    } else if (res.oom || files.oom || att_oom) {
        fprintf(stderr, "dtbd: không đủ bộ nhớ\n");
        status = 3;
    } else if (opt->check_only) {
        print_findings(stdout, &res);
        print_summary(log, &res, NULL, outdir, false);
        status = results_count(&res, SEV_ERROR) ? 1 : 0;
    } else if (write_outputs(outdir, cfg, &res, &att, chtmp, why, sizeof why) != 0) {
        if (interrupted)
            fprintf(stderr, "dtbd: bị ngắt — không ghi kết quả (kết quả cũ được giữ nguyên)\n");
        else
            fprintf(stderr, "dtbd: không ghi được kết quả vào %s: %s (kết quả cũ được giữ nguyên)\n",
                    outdir, why[0] ? why : write_error_text(errno));
        status = 3;
    } else {
        print_summary(log, &res, &att, outdir, true);
        status = results_count(&res, SEV_ERROR) ? 1 : 0;
    }
    /* A signal after the commit point changes nothing: the outputs are the
     * new, complete set and the status says so. */
    if (chtmp[0]) remove_tree(chtmp);
    /* The handler stays in place until the process exits: restored here, a
     * signal during the frees below would kill a run that already succeeded
     * (exit 130 after complete outputs). run_job is the process's last act. */
    attainment_free(&att);
    results_free(&res);
    list_free(&files);
    config_free(cfg);
    return status;
}
