/* cli/run.c — `dtbd run` and `dtbd check` (see run.h). */
#include "cli/run.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "base/buf.h"
#include "input/archive.h"
#include "input/grid.h"
#include "input/snapshot.h"
#include "output/atomic.h"
#include "charts/charts.h"
#include "pipeline/figures.h"
#include "pipeline/indicators.h"
#include "cli/outdir.h"
#include "pipeline/plan.h"
#include "pipeline/planvs.h"
#include "pipeline/recognize.h"
#include "pipeline/results.h"
#include "pipeline/validate.h"
#include "cli/walk.h"
#include "cli/writeout.h"
#include "base/syserr.h"

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

/* Files read per run when the configuration sets no cap (config/default.yaml
 * says the same), and files listed as not read beyond the cap. */
enum { RUN_DEFAULT_FILES = 10000, RUN_LISTED_BEYOND = 1000 };

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
static const char *read_rule(dtbd_status st, wb_format fmt)
{
    if (st == DTBD_ERR_CHANGED) return "file_changed";
    if (st == DTBD_ERR_LIMIT || st == DTBD_ERR_NOMEM) return "file_limit";
    if (st == DTBD_ERR_ENCRYPTED) return "file_unsupported";
    if (st == DTBD_ERR_FORMAT && fmt != WB_FMT_UNKNOWN) return "file_unsupported";
    return "file_unreadable";
}

/* What reading one run's files needs, and how many it has read. */
typedef struct {
    const struct config *cfg;
    const rec_index *rx;     /* the configuration's indexes, built once per run */
    rec_cache *cache;        /* its memo of fuzzy matches (NULL: none)          */
    const plan_matcher *pm;  /* tells a plan from a report (DESIGN §10)   */
    plan_set *plans;         /* the plans read, for "Kế hoạch – Thực hiện" */
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
static void reject(results *res, uint32_t src, dtbd_status rc, wb_format fmt, const wb_error *err,
                   const char *path)
{
    char line[1024];
    wb_error_format(err, base_name(path), line, sizeof line);
    res->sources[src].status = SRC_REJECTED;
    /* what to do about it: a cap may be raised, a changing file read
     * again later, anything else sent again by the unit */
    const char *advice =
        rc == DTBD_ERR_LIMIT ? "tệp có thể hỏng hoặc cố ý gây hại; nếu đây là báo cáo thật, nâng giới "
                             "hạn tương ứng trong mục limits của cấu hình"
        : rc == DTBD_ERR_NOMEM ? "tệp cần nhiều bộ nhớ hơn máy còn trống; các tệp khác vẫn được đọc"
        : rc == DTBD_ERR_CHANGED ? "không số liệu nào của tệp được dùng; chạy lại khi tệp đã lưu xong"
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
        dtbd_status rc = r->nread >= r->max_files ? DTBD_ERR_LIMIT : arc_extract(a, i, r->lim, &snap, &err);
        if (r->nread >= r->max_files)
            wb_error_set(&err, DTBD_ERR_LIMIT, "lần chạy đã đọc đủ %zu tệp (giới hạn files_per_run)",
                         r->max_files);
        else r->nread++;
        if (rc == DTBD_OK) {
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
    dtbd_status rc = arc_open(snap->path, r->lim, parent, &a, &err);
    if (rc != DTBD_OK) {
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
    wb_format sniffed = wb_sniff(snap->path, &err);
    if (sniffed == WB_FMT_ARCHIVE) {
        s->format = WB_FMT_ARCHIVE;
        read_archive(r, src, snap, path, parent);
        return;
    }
    grid_book book;
    dtbd_status rc = grid_read_sniffed(snap->path, path, err.status == DTBD_OK ? sniffed : WB_FMT_UNKNOWN, r->lim,
                                       &book, &err);
    s = &res->sources[src];
    s->format = book.format;
    if (rc != DTBD_OK) {
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
    if (r->pm && plan_is_plan(r->pm, &book)) {
        /* a unit's annual plan: `dtbd plan` reads it, the results do not */
        res->sources[src].status = SRC_REJECTED;
        for (size_t si = 0; si < book.nsheets; si++) res->sources[src].cells_read += book.sheets[si].ncells;
        res->sources[src].cells_outside = res->sources[src].cells_read;   /* nothing lost: all outside */
        if (r->plans) {
            /* its classes, to hold the year's results against (their own
             * findings are `dtbd plan`'s, not the run's) */
            uint32_t ps = results_add_source(&r->plans->res, path);
            if (ps != RESULTS_NO_SOURCE) {
                r->plans->res.sources[ps].mtime = res->sources[src].mtime;
                plan_read(r->pm, &book, r->plans, ps, 0);
                r->plans->res.sources[ps].status = SRC_ACCEPTED;
            }
        }
        res->sources[src].plan = true;
        results_add_finding(res, SEV_INFO, "plan_not_report", src, NULL, NULL, NULL, 0,
                            "Tệp \"%s\" là kế hoạch đào tạo, bồi dưỡng (tiêu đề \"Kế hoạch …\"), không phải "
                            "báo cáo kết quả: không tổng hợp vào số liệu, chỉ dùng cho trang \"Kế hoạch – Thực "
                            "hiện\" — dùng \"dtbd plan\" để tổng hợp và thẩm định kế hoạch.", base_name(path));
        grid_free(&book);
        return;
    }
    recognize_workbook_ix(r->rx, r->cache, &book, res, src);
    grid_free(&book);
    s = &res->sources[src];
    s->status = (s->records == 0 && s->errors > 0) ? SRC_REJECTED : SRC_ACCEPTED;
}

/* Read and recognize one file of the inbox (opened as path, named label in
 * every output) into res, within the caps. The file is read from a private copy (input/snapshot.h): what is hashed is what
 * is read, and a file that changes meanwhile is a finding, not a mixed
 * reading. An archive's members are read from copies of their own. */
static void process_file(reader *r, const char *path, const char *label)
{
    results *res = r->res;
    uint32_t src = results_add_source(res, label);
    if (src == RESULTS_NO_SOURCE) return;
    label = res->sources[src].path;       /* valid UTF-8 from here on (arena-owned) */
    if (skipped_name(res, src, label)) return;
    wb_error err = {0};
    snap_file snap;
    r->nread++;
    dtbd_status rc = snap_take(path, r->lim->max_file_bytes, &snap, &err);
    if (rc != DTBD_OK) {
        struct stat st;
        if (stat(path, &st) == 0) res->sources[src].mtime = (int64_t)st.st_mtime;
        res->sources[src].format = WB_FMT_UNKNOWN;
        reject(res, src, rc, WB_FMT_UNKNOWN, &err, label);
        return;
    }
    read_copy(r, src, &snap, label, NULL);
    snap_release(&snap);
}

/* File i of the walk, read in order by rd: listed as not read beyond the
 * cap, else read and recognized. */
static void read_one(reader *rd, const walk_list *files, size_t i, FILE *log, bool tty)
{
    results *res = rd->res;
    const walk_file *wf = &files->files[i];
    if (rd->nread >= rd->max_files) {
        /* over the cap: listed, not read (the analyst sees which) */
        uint32_t src = results_add_source(res, wf->label);
        if (src == RESULTS_NO_SOURCE) return;
        res->sources[src].status = SRC_REJECTED;
        results_add_finding(res, SEV_ERROR, "file_limit", src, NULL, NULL, NULL, 0,
                            "Không đọc tệp \"%s\": lần chạy đã đọc đủ %zu tệp (giới hạn "
                            "files_per_run của cấu hình) — chia thư mục đầu vào hoặc nâng giới hạn",
                            base_name(res->sources[src].path), rd->max_files);
        return;
    }
    if (tty) fprintf(log, "\r\033[K[%zu/%zu] %s", i + 1, files->n, base_name(wf->label));
    process_file(rd, wf->path, wf->label);
}

/* ---- reading on worker threads ---------------------------------------------------- */

/* Files read ahead of the merge at most: each holds one file's results until
 * its turn, so what waits stays bounded whatever the number of files. */
enum { RUN_AHEAD = 16 };

/* One file read ahead: what reading it found, in results of its own. */
typedef struct {
    results res;
    plan_set plans;          /* the plans it read (when the run keeps plans)  */
    size_t nread;            /* files it read (itself, its archive's members) */
    bool done;
} job;

typedef struct {
    reader proto;            /* cfg, rx, lim, max_files (a copy: the workers
                                read it while the merge counts rd->nread)   */
    const walk_list *files;
    job *jobs;               /* file i in slot i % RUN_AHEAD                  */
    size_t next;             /* the next file a worker takes                 */
    size_t merged;           /* files merged so far                          */
    bool stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} pool;

/* A worker: takes the next file within RUN_AHEAD of the merge, reads and
 * recognizes it into its slot with a cache of its own. */
static void *worker(void *arg)
{
    pool *p = arg;
    rec_cache *cache = recognize_cache_new(0);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->next < p->files->n && p->next >= p->merged + RUN_AHEAD)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->stop || p->next >= p->files->n) break;
        size_t i = p->next++;
        job *j = &p->jobs[i % RUN_AHEAD];
        pthread_mutex_unlock(&p->mu);
        reader r = p->proto;
        results_init(&j->res, p->proto.cfg);
        plan_set_init(&j->plans);
        r.res = &j->res;
        if (r.plans) r.plans = &j->plans;
        r.cache = cache;
        r.nread = 0;
        if (!interrupted) process_file(&r, p->files->files[i].path, p->files->files[i].label);
        pthread_mutex_lock(&p->mu);
        j->nread = r.nread;
        j->done = true;
        pthread_cond_broadcast(&p->cv);
    }
    pthread_mutex_unlock(&p->mu);
    recognize_cache_free(cache);
    return NULL;
}

/* Wait for file i's slot, merge it into rd's results in the input order and
 * free the slot; false (nothing merged) when reading it in order could have
 * gone otherwise: a file read ahead counted its reads from 0, in order they
 * count from rd->nread, and the files_per_run cap may fall inside it. */
static bool merge_next(pool *p, reader *rd, size_t i, FILE *log, bool tty)
{
    job *j = &p->jobs[i % RUN_AHEAD];
    pthread_mutex_lock(&p->mu);
    while (!j->done) pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
    if (rd->nread + j->nread >= rd->max_files) return false;
    if (tty)
        fprintf(log, "\r\033[K[%zu/%zu] %s", i + 1, p->files->n, base_name(p->files->files[i].label));
    results_merge(rd->res, &j->res);
    if (rd->plans && !plan_set_merge(rd->plans, &j->plans)) rd->res->oom = true;
    rd->nread += j->nread;
    results_free(&j->res);
    plan_set_free(&j->plans);
    pthread_mutex_lock(&p->mu);
    j->done = false;
    p->merged = i + 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    return true;
}

/* Read and recognize the walk's files on nthreads workers, merged in the
 * input order, so every output is what reading them in order gives. Returns
 * how many files were merged: the caller reads the rest in order (none left
 * but when the files_per_run cap was near, a thread could not be started,
 * or the run stopped). */
static size_t read_parallel(reader *rd, const walk_list *files, int nthreads, FILE *log, bool tty)
{
    if (nthreads < 2 || files->n < 2) return 0;
    pool p = { .proto = *rd, .files = files, .jobs = calloc(RUN_AHEAD, sizeof(job)) };
    if (!p.jobs) return 0;
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    pthread_t th[RUN_MAX_THREADS];
    int started = 0;
    for (int t = 0; t < nthreads && t < RUN_MAX_THREADS; t++)
        if (pthread_create(&th[started], NULL, worker, &p) == 0) started++;
    size_t i = 0;
    while (started && i < files->n && !rd->res->oom && !interrupted && merge_next(&p, rd, i, log, tty))
        i++;
    pthread_mutex_lock(&p.mu);
    p.stop = true;
    pthread_cond_broadcast(&p.cv);
    pthread_mutex_unlock(&p.mu);
    for (int t = 0; t < started; t++) pthread_join(th[t], NULL);
    for (size_t k = 0; k < RUN_AHEAD; k++)
        if (p.jobs[k].done) {
            results_free(&p.jobs[k].res);
            plan_set_free(&p.jobs[k].plans);
        }
    pthread_cond_destroy(&p.cv);
    pthread_mutex_destroy(&p.mu);
    free(p.jobs);
    return i;
}

/* Worker threads: --threads, else 2 when the machine has two cores or more. */
static int run_threads(const run_options *opt)
{
    if (opt->args.threads) return opt->args.threads;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 2 ? 2 : 1;
}

/* What the walk did not read, and why: one finding each (no source: the
 * folder or link is named in the message). */
static void add_walk_notes(results *res, const walk_list *w)
{
    for (size_t i = 0; i < w->nnotes; i++) {
        const walk_note *n = &w->notes[i];
        switch (n->kind) {
        case WALK_LOOP:
            results_add_finding(res, SEV_WARNING, "folder_loop", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                                "Thư mục \"%s\" đã được đọc qua một đường dẫn khác (liên kết vòng): "
                                "không đọc lại để tránh tính trùng.", n->label);
            break;
        case WALK_TOO_DEEP:
            results_add_finding(res, SEV_WARNING, "folder_too_deep", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                                "Thư mục \"%s\" lồng quá sâu (hơn %d cấp thư mục dưới thư mục đầu vào): "
                                "không đọc — chuyển các tệp báo cáo lên thư mục nông hơn.",
                                n->label, WALK_MAX_DEPTH);
            break;
        case WALK_LINK_OUTSIDE:
            results_add_finding(res, SEV_WARNING, "link_outside", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                                "Không đọc liên kết \"%s\": nó trỏ tới \"%s\", nằm ngoài các thư mục "
                                "đầu vào — chép tệp báo cáo vào thư mục đầu vào nếu cần đọc.",
                                n->label, n->target ? n->target : "");
            break;
        case WALK_OUTPUT:
        case WALK_OLD_OUTPUT:
            results_add_finding(res, SEV_INFO, "output_skipped", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                                "Bỏ qua thư mục \"%s\": đó là thư mục kết quả của dtbd (%s), không phải "
                                "báo cáo của đơn vị.", n->label,
                                n->kind == WALK_OUTPUT ? "lần chạy này ghi kết quả vào đó"
                                                       : "kết quả của một lần chạy trước");
            break;
        case WALK_OUTPUT_FILES:
            results_add_finding(res, SEV_INFO, "output_skipped", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                                "Thư mục đầu vào \"%s\" cũng là thư mục kết quả của dtbd: không đọc các "
                                "tệp kết quả của dtbd trong đó (records.csv, tong-hop.xlsx, charts/ …).",
                                n->label);
            break;
        }
    }
}

/* ---- outputs ----------------------------------------------------------------------- */

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
    size_t acc = 0, sup = 0, rej = 0, plans = 0, read = 0, rec = 0, rjc = 0, out = 0, bad = 0;
    for (size_t i = 0; i < res->nsources; i++) {
        const source_file *s = &res->sources[i];
        acc += s->status == SRC_ACCEPTED;
        sup += s->status == SRC_SUPERSEDED;
        rej += s->status == SRC_REJECTED && !s->plan;
        plans += s->plan;
        read += s->cells_read;
        rec += s->cells_recorded;
        rjc += s->cells_rejected;
        out += s->cells_outside;
        bad += s->cells_read != s->cells_recorded + s->cells_rejected + s->cells_outside;
    }
    fprintf(log, "dtbd: %zu tệp — %zu được nhận, %zu bị thay thế, %zu bị loại", res->nsources, acc, sup, rej);
    if (plans) fprintf(log, ", %zu kế hoạch (cho trang Kế hoạch – Thực hiện)", plans);
    fputc('\n', log);
    fprintf(log, "dtbd: %zu ô đã đọc = %zu ô thành số liệu + %zu ô bị loại + %zu ô ngoài biểu%s\n",
            read, rec, rjc, out, bad ? " — KHÔNG KHỚP" : " (khớp)");
    /* the records.csv rows: a superseded or rejected file's values are not among them */
    fprintf(log, "dtbd: %zu số liệu; %zu lỗi, %zu cảnh báo, %zu thông tin\n",
            results_records_listed(res, RESULTS_NO_SOURCE),
            results_count(res, SEV_ERROR), results_count(res, SEV_WARNING),
            results_count(res, SEV_INFO));
    if (att && att->n) {
        int latest = 0;
        for (size_t i = 0; i < att->n; i++)
            if (att->rows[i].scope == SCOPE_PROVINCE && att->rows[i].status != ATT_NO_DATA &&
                att->rows[i].year > latest)
                latest = att->rows[i].year;
        if (latest) {
            char line[2048];
            indicators_summary_text(att, latest, line, sizeof line);
            fprintf(log, "dtbd: chỉ tiêu năm %d (toàn tỉnh): %s\n", latest, line);
        }
    }
    if (wrote) fprintf(log, "dtbd: kết quả ghi vào %s/\n", outdir);
}

/* Progress on a terminal: one line per stage after the files are read
 * (checking, charts, writing), so a long stage is never silent. */
static void stage(FILE *log, bool tty, const char *what)
{
    if (tty && what[0]) fprintf(log, "\r\033[Kdtbd: %s\n", what);
    if (tty) fflush(log);
}

/* ---- public ------------------------------------------------------------------------- */

size_t run_limits(const struct config *cfg, wb_limits *out)
{
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
    *out = lim;
    return cl->files_per_run ? (size_t)cl->files_per_run : RUN_DEFAULT_FILES;
}

/* One job's state, from the configuration to the outputs. */
typedef struct {
    const run_options *opt;
    FILE *log;
    bool tty;
    const char *outdir;
    struct config *cfg;
    walk_list files;
    results res;
    plan_set plans;
    planvs pv;
    attainment att;
    fig_index *fig;          /* the figures, built once after validation     */
    bool oom;                /* a step after reading ran out of memory       */
    char chtmp[4096];        /* the charts' temporary folder, "" none        */
} job_state;

/* The signal handlers from the first step: a signal while the configuration
 * is read or the folders are walked is an interrupted run too (exit 3). */
static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    interrupted = 0;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

/* --years within the plan and every INPUT there: 0, or 2 after a message. */
static int check_args(const run_options *opt, const struct config *cfg)
{
    const cli_args *a = &opt->args;
    if (a->year_from && (a->year_from < cfg->plan.first_year || a->year_to > cfg->plan.last_year)) {
        fprintf(stderr, "dtbd: --years %d-%d nằm ngoài các năm của kế hoạch %s (%d-%d)\n", a->year_from,
                a->year_to, cfg->plan.id, cfg->plan.first_year, cfg->plan.last_year);
        return 2;
    }
    for (size_t i = 0; i < a->ninputs; i++) {
        struct stat st;
        if (stat(a->inputs[i], &st) != 0) {
            fprintf(stderr, "dtbd: không tìm thấy đầu vào %s: %s\n", a->inputs[i], syserr_text(errno, SYSERR_READ));
            return 2;
        }
    }
    return 0;
}

/* Walk the INPUTs and read every file (on threads when given), then the
 * findings about the walk as a whole: files over the cap, nothing to read. */
static void read_inputs(job_state *j)
{
    const cli_args *a = &j->opt->args;
    wb_limits lim;
    size_t max_files = run_limits(j->cfg, &lim);
    /* Files beyond the cap are still listed (as not read), up to
     * RUN_LISTED_BEYOND of them; further ones are only counted. */
    walk_inputs(&j->files, a->inputs, a->ninputs, j->opt->check_only ? NULL : j->outdir,
                max_files + RUN_LISTED_BEYOND);
    add_walk_notes(&j->res, &j->files);
    rec_index *rx = recognize_index_new(j->cfg);
    if (!rx) j->res.oom = true;
    plan_matcher *pm = plan_matcher_new(j->cfg, rx);
    reader rd = {.cfg = j->cfg, .rx = rx, .cache = recognize_cache_new(0), .pm = pm, .plans = &j->plans,
                 .lim = &lim, .res = &j->res, .max_files = max_files};
    size_t from = a->threads == 1 ? 0 : read_parallel(&rd, &j->files, run_threads(j->opt), j->log, j->tty);
    for (size_t i = from; i < j->files.n && !j->res.oom && !interrupted; i++)
        read_one(&rd, &j->files, i, j->log, j->tty);
    recognize_cache_free(rd.cache);
    recognize_index_free(rx);
    plan_matcher_free(pm);
    if (j->files.unlisted && !interrupted)
        results_add_finding(&j->res, SEV_ERROR, "file_limit", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Còn %llu tệp nữa trong thư mục đầu vào không được đọc và không được "
                            "liệt kê (vượt giới hạn files_per_run = %zu của cấu hình)",
                            (unsigned long long)j->files.unlisted, max_files);
    if (j->tty) fprintf(j->log, "\r\033[K");
    /* nothing to read is an error of the data, not a quiet success */
    if (j->files.n == 0 && !j->files.unlisted && !j->files.oom && !interrupted)
        results_add_finding(&j->res, SEV_ERROR, "input_empty", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Không tìm thấy tệp báo cáo nào trong đầu vào (%s%s): kiểm tra lại thư mục "
                            "đã chọn", a->inputs[0], a->ninputs > 1 ? ", …" : "");
}

/* Validation, plans against results, the indicators (run only), the stale
 * temporaries, and the charts into a temporary folder (drawn before the CSVs
 * are written, so their findings are in issues.csv). */
static void compute(job_state *j)
{
    const run_options *opt = j->opt;
    stage(j->log, j->tty, "kiểm tra số liệu và tính chỉ tiêu…");
    if (!j->res.oom) validate_run(j->cfg, &j->res);
    /* resubmissions replaced and the Tổng cộng rows: nothing after reads them */
    results_drop_superseded(&j->res);
    plan_resolve(&j->plans);
    /* the units' figures, once, for the indicators, the plans and tong-hop.xlsx */
    if (!opt->check_only && !j->res.oom && !(j->fig = fig_build(j->cfg, &j->res))) j->oom = true;
    if (j->fig && planvs_compute_fig(j->cfg, &j->plans, j->fig, &j->pv) != 0) j->oom = true;
    if (j->fig && indicators_compute_fig(j->cfg, j->fig, opt->args.year_from, opt->args.year_to, &j->att) != 0)
        j->oom = true;
    if (opt->check_only) return;
    /* temporaries a killed run left in the output folder (never another's) */
    size_t stale = outdir_remove_stale(j->outdir);
    if (stale)
        fprintf(j->log, "dtbd: đã xóa %zu tệp tạm do một lần chạy bị dừng đột ngột để lại trong %s/\n", stale,
                j->outdir);
    if (opt->args.no_charts || interrupted || j->res.oom || j->oom || outdir_make(j->outdir) != 0) return;
    char name[64];
    snprintf(name, sizeof name, ".charts-tmp-%ld-XXXXXX", (long)getpid());   /* outdir.h */
    stage(j->log, j->tty, "vẽ biểu đồ…");
    if (outdir_join(j->chtmp, sizeof j->chtmp, j->outdir, name) && mkdtemp(j->chtmp))
        charts_render_plan(j->chtmp, j->cfg, &j->res, &j->att, &j->pv);
    else
        j->chtmp[0] = '\0';
}

/* The outputs (or, for check, the findings on stdout) and the summary;
 * the exit status. */
static int finish(job_state *j)
{
    const run_options *opt = j->opt;
    char why[1024] = "";
    stage(j->log, j->tty, opt->check_only ? "" : "ghi tong-hop.xlsx, các tệp CSV và phản hồi cho đơn vị…");
    if (interrupted) {
        fprintf(stderr, "dtbd: bị ngắt — không ghi kết quả (kết quả cũ được giữ nguyên)\n");
        return 3;
    }
    if (j->res.oom || j->files.oom || j->oom || j->plans.res.oom) {
        fprintf(stderr, "dtbd: không đủ bộ nhớ\n");
        return 3;
    }
    if (opt->check_only) {
        print_findings(stdout, &j->res);
        print_summary(j->log, &j->res, NULL, j->outdir, false);
        return results_count(&j->res, SEV_ERROR) ? 1 : 0;
    }
    writeout_job w = {j->outdir, j->cfg, &j->res, &j->att, &j->pv, j->fig, j->chtmp, opt->args.inputs,
                      opt->args.ninputs, DTBD_VERSION, &interrupted};
    if (writeout_all(&w, why, sizeof why) != 0) {
        if (interrupted)
            fprintf(stderr, "dtbd: bị ngắt — không ghi kết quả (kết quả cũ được giữ nguyên)\n");
        else
            fprintf(stderr, "dtbd: không ghi được kết quả vào %s: %s (kết quả cũ được giữ nguyên)\n", j->outdir,
                    why[0] ? why : atomic_error_text(errno));
        return 3;
    }
    print_summary(j->log, &j->res, &j->att, j->outdir, true);
    return results_count(&j->res, SEV_ERROR) ? 1 : 0;
}

int run_job(const run_options *opt)
{
    catch_signals();
    job_state *j = calloc(1, sizeof *j);
    if (!j) {
        fprintf(stderr, "dtbd: không đủ bộ nhớ\n");
        return 3;
    }
    j->opt = opt;
    j->log = opt->log ? opt->log : stderr;
    j->tty = isatty(fileno(j->log));
    j->outdir = opt->args.outdir ? opt->args.outdir : "out";
    j->cfg = cli_config(&opt->args);
    int status = !j->cfg ? 2 : check_args(opt, j->cfg);
    if (status == 0) {
        results_init(&j->res, j->cfg);
        plan_set_init(&j->plans);
        read_inputs(j);
        compute(j);
        status = finish(j);
        /* A signal after the commit point changes nothing: the outputs are
         * the new, complete set and the status says so. The handler stays
         * in place until the process exits: restored here, a signal during
         * the frees below would kill a run that already succeeded. */
        if (j->chtmp[0]) outdir_remove_tree(j->chtmp);
        attainment_free(&j->att);
        planvs_free(&j->pv);
        fig_free(j->fig);
        plan_set_free(&j->plans);
        results_free(&j->res);
        walk_free(&j->files);
    }
    config_free(j->cfg);
    free(j);
    return status;
}
