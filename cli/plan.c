/* cli/plan.c — `dtbd plan` (see plan.h). */
#include "cli/plan.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/syserr.h"
#include "cli/cmdline.h"
#include "cli/outdir.h"
#include "cli/run.h"
#include "cli/walk.h"
#include "config/config.h"
#include "input/grid.h"
#include "input/snapshot.h"
#include "input/workbook.h"
#include "output/atomic.h"
#include "output/csvout.h"
#include "output/kehoach.h"
#include "pipeline/plan.h"
#include "pipeline/recognize.h"

/* The options of `dtbd plan` (cli/cmdline.h's grammar). */
typedef cli_args plan_opts;

static int parse(int argc, char **argv, plan_opts *o)
{
    unsigned takes = CLI_OPT_CONFIG | CLI_OPT_OUTDIR | CLI_OPT_YEAR | CLI_OPT_HEADCOUNTS | CLI_INPUTS;
    if (cli_parse("plan", takes, argc, argv, o) != 0) return 2;
    if (!o->year) {
        fprintf(stderr, "dtbd plan: cần --year NĂM (năm của kế hoạch)\n");
        return 2;
    }
    return 0;
}

/* What reading needs. */
typedef struct {
    const struct config *cfg;
    const plan_matcher *pm;
    wb_limits lim;
    plan_set *ps;
    results *rep;             /* reports read for their headcounts */
    int year;
} preader;

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

/* One file: a plan of the year → its classes; another workbook → its headcounts. */
static void read_file(preader *r, const walk_file *wf)
{
    plan_set *ps = r->ps;
    uint32_t src = results_add_source(&ps->res, wf->label);
    if (src == RESULTS_NO_SOURCE) return;
    const char *label = ps->res.sources[src].path;
    const char *b = base_name(label);
    if (b[0] == '.' || strncmp(b, "~$", 2) == 0) { ps->res.sources[src].status = SRC_REJECTED; return; }
    wb_error err = {0};
    snap_file snap;
    if (snap_take(wf->path, r->lim.max_file_bytes, &snap, &err) != DTBD_OK) {
        ps->res.sources[src].status = SRC_REJECTED;
        char line[1024];
        wb_error_format(&err, b, line, sizeof line);
        results_add_finding(&ps->res, SEV_ERROR, "file_unreadable", src, NULL, NULL, NULL, 0,
                            "Không đọc được tệp: %s", line);
        return;
    }
    ps->res.sources[src].mtime = snap.mtime;
    memcpy(ps->res.sources[src].sha256, snap.sha256, sizeof snap.sha256);
    if (wb_sniff(snap.path, &err) == WB_FMT_ARCHIVE) {
        ps->res.sources[src].status = SRC_REJECTED;
        results_add_finding(&ps->res, SEV_INFO, "file_unsupported", src, NULL, NULL, NULL, 0,
                            "Tệp nén \"%s\" không được mở khi tổng hợp kế hoạch: giải nén rồi chạy lại.", b);
        snap_release(&snap);
        return;
    }
    grid_book book;
    dtbd_status rc = grid_read_named(snap.path, label, &r->lim, &book, &err);
    ps->res.sources[src].format = book.format;
    if (rc != DTBD_OK) {
        /* not ours to judge unless it is a plan: an unreadable file is listed */
        char line[1024];
        wb_error_format(&err, b, line, sizeof line);
        ps->res.sources[src].status = SRC_REJECTED;
        results_add_finding(&ps->res, SEV_ERROR, "file_unreadable", src, err.sheet, err.cell, NULL, 0,
                            "Không đọc được tệp: %s — gửi lại tệp .xlsx hoặc .xls lưu từ Excel.", line);
    } else if (plan_is_plan(r->pm, &book)) {
        int n = plan_read(r->pm, &book, ps, src, r->year);
        source_file *s = &ps->res.sources[src];
        s->status = n > 0 || (s->year == r->year && s->errors == 0) ? SRC_ACCEPTED : SRC_REJECTED;
    } else {
        ps->res.sources[src].status = SRC_REJECTED;   /* not a plan: only its headcounts */
        uint32_t rs = results_add_source(r->rep, label);
        if (rs != RESULTS_NO_SOURCE) {
            r->rep->sources[rs].mtime = snap.mtime;
            recognize_workbook_ix(plan_matcher_index(r->pm), NULL, &book, r->rep, rs);
        }
    }
    grid_free(&book);
    snap_release(&snap);
}

/* dir/name into out. */
static bool join(char *out, size_t n, const char *dir, const char *name)
{
    int k = snprintf(out, n, "%s/%s", dir, name);
    return k > 0 && (size_t)k < n;
}

static int write_all(const char *outdir, const struct config *cfg, const plan_set *ps, int year, char *why,
                     size_t whylen)
{
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) return -1;
    atomic_set set;
    atomic_init(&set);
    char p[4096], name[64];
    FILE *f = join(p, sizeof p, outdir, "plan-records.csv") ? atomic_open(&set, p) : NULL;
    if (!f || kehoach_records_csv(f, ps) != 0) atomic_fail(&set);
    f = join(p, sizeof p, outdir, "issues.csv") ? atomic_open(&set, p) : NULL;
    if (!f || csvout_issues(f, &ps->res) != 0) atomic_fail(&set);
    snprintf(name, sizeof name, "ke-hoach-%d.xlsx", year);
    const char *tp = join(p, sizeof p, outdir, name) ? atomic_reserve(&set, p) : NULL;
    char rt[32] = "";
    time_t now = time(NULL);
    struct tm tmv;
    if (localtime_r(&now, &tmv)) strftime(rt, sizeof rt, "%Y-%m-%d %H:%M", &tmv);
    kehoach_meta meta = {rt, DTBD_VERSION, year};
    if (!tp || kehoach_write(tp, cfg, ps, &meta, why, whylen) != 0) atomic_fail(&set);
    f = join(p, sizeof p, outdir, OUTDIR_MARKER) ? atomic_open(&set, p) : NULL;
    if (!f || outdir_write_marker(f, DTBD_VERSION) != 0) atomic_fail(&set);
    if (set.failed) {
        atomic_abort(&set);
        return -1;
    }
    int lock = outdir_lock(outdir, 60000, NULL);
    if (lock < 0) {
        atomic_abort(&set);
        return -1;
    }
    int rc = atomic_commit(&set);
    outdir_unlock(lock);
    return rc;
}

/* Read every input; 0, or 2 when the configuration or an input is wrong. */
static int read_inputs(const plan_opts *o, preader *r, plan_headcounts *hc)
{
    size_t max_files = run_limits(r->cfg, &r->lim);
    walk_list files;
    walk_inputs(&files, o->inputs, o->ninputs, o->outdir ? o->outdir : "out", max_files);
    for (size_t i = 0; i < files.n && !r->ps->res.oom; i++) read_file(r, &files.files[i]);
    if (files.n == 0)
        results_add_finding(&r->ps->res, SEV_ERROR, "input_empty", RESULTS_NO_SOURCE, NULL, NULL, NULL, 0,
                            "Không tìm thấy tệp nào trong đầu vào (%s): kiểm tra lại thư mục đã chọn",
                            o->inputs[0]);
    walk_free(&files);
    plan_headcounts_from_results(hc, r->cfg, r->rep);
    if (o->headcounts) {
        char err[600];
        if (plan_headcounts_load(hc, r->cfg, o->headcounts, err, sizeof err) != 0) {
            fprintf(stderr, "dtbd plan: --headcounts: %s\n", err);
            return 2;
        }
    }
    return 0;
}

int plan_main(int argc, char **argv)
{
    plan_opts o;
    int rc = parse(argc, argv, &o);
    if (rc) return rc;
    for (size_t i = 0; i < o.ninputs; i++) {
        struct stat st;
        if (stat(o.inputs[i], &st) != 0) {
            fprintf(stderr, "dtbd plan: không tìm thấy đầu vào %s: %s\n", o.inputs[i],
                    syserr_text(errno, SYSERR_READ));
            return 2;
        }
    }
    struct config *cfg = cli_config(&o);
    if (!cfg) return 2;
    plan_matcher *pm = plan_matcher_new(cfg, NULL);
    plan_set ps;
    plan_set_init(&ps);
    results rep;
    results_init(&rep, cfg);
    plan_headcounts hc = {0};
    preader r = {.cfg = cfg, .pm = pm, .ps = &ps, .rep = &rep, .year = o.year};
    rc = pm ? read_inputs(&o, &r, &hc) : 3;
    const char *outdir = o.outdir ? o.outdir : "out";
    if (rc == 0) {
        plan_resolve(&ps);
        plan_appraise(cfg, &ps, &hc);
        char why[1024] = "";
        if (ps.res.oom || hc.oom) {
            fprintf(stderr, "dtbd plan: không đủ bộ nhớ\n");
            rc = 3;
        } else if (write_all(outdir, cfg, &ps, o.year, why, sizeof why) != 0) {
            fprintf(stderr, "dtbd plan: không ghi được kết quả vào %s: %s\n", outdir,
                    why[0] ? why : atomic_error_text(errno));
            rc = 3;
        } else {
            size_t units = 0, n = 0;
            for (size_t i = 0; i < ps.res.nsources; i++)
                units += ps.res.sources[i].status == SRC_ACCEPTED && ps.res.sources[i].records > 0;
            for (size_t i = 0; i < ps.n; i++) n += !ps.cls[i].superseded;
            fprintf(stderr, "dtbd plan: năm %d — %zu kế hoạch, %zu lớp; %zu lỗi, %zu cảnh báo\n", o.year, units,
                    n, results_count(&ps.res, SEV_ERROR), results_count(&ps.res, SEV_WARNING));
            fprintf(stderr, "dtbd plan: kết quả ghi vào %s/ (ke-hoach-%d.xlsx, plan-records.csv, issues.csv)\n",
                    outdir, o.year);
            rc = results_count(&ps.res, SEV_ERROR) ? 1 : 0;
        }
    }
    plan_headcounts_free(&hc);
    results_free(&rep);
    plan_set_free(&ps);
    plan_matcher_free(pm);
    config_free(cfg);
    return rc;
}
