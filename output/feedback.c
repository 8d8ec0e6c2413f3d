/*
 * output/feedback.c — phan-hoi/: a workbook per unit and don-doc.csv (see
 * feedback.h). The safe-string writers come from output/template.h, the CSV
 * field writers from output/csvout.h.
 */
#include "output/feedback.h"

#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "base/buf.h"
#include "output/atomic.h"
#include "output/csvout.h"
#include "output/template.h"

#define FB_MAX_COLS 10
#define FB_WIDTH_CAP 60.0
#define FB_MAX_TABLES 16

static size_t input_prefix(const feedback_meta *meta, size_t i, const char **pre);

/* ==== public: paths ================================================================ */

/* See feedback.h. The prefix of an INPUT folder's labels is the INPUT as
 * typed when relative, its last component when absolute (cli/walk.h). */
const char *feedback_shown_path(const feedback_meta *meta, const char *label)
{
    if (!label || !meta || !meta->inputs) return label ? label : "";
    for (size_t i = 0; i < meta->ninputs; i++) {
        const char *pre;
        size_t n = input_prefix(meta, i, &pre);
        if (n && strncmp(label, pre, n) == 0 && label[n] == '/' && label[n + 1]) return label + n + 1;
    }
    return label;
}

/* The labels' prefix of INPUT i ("" when it is no folder); its length. */
static size_t input_prefix(const feedback_meta *meta, size_t i, const char **pre)
{
    const char *in = meta->inputs[i];
    struct stat st;
    *pre = "";
    if (!in || !*in || stat(in, &st) != 0 || !S_ISDIR(st.st_mode)) return 0;
    size_t n = strlen(in);
    while (n > 1 && in[n - 1] == '/') n--;
    *pre = in;
    if (in[0] == '/') {
        const char *slash = NULL;
        for (const char *p = in; p < in + n; p++)
            if (*p == '/') slash = p;
        *pre = slash ? slash + 1 : in;
        n = (size_t)(in + n - *pre);
    }
    return n;
}

/* A message as the unit reads it: every "PREFIX/" of an INPUT folder taken
 * out of the file names it quotes (see feedback_shown_path). Into out. */
static const char *shown_message(const feedback_meta *meta, const char *msg, buf *out)
{
    buf_clear(out);
    if (!msg) return "";
    if (!meta || !meta->inputs) return msg;
    /* each INPUT's prefix once (a stat() each), not once per byte */
    enum { SHOWN_INPUTS = 16 };
    const char *pres[SHOWN_INPUTS];
    size_t lens[SHOWN_INPUTS], npre = meta->ninputs < SHOWN_INPUTS ? meta->ninputs : SHOWN_INPUTS;
    for (size_t i = 0; i < npre; i++) lens[i] = input_prefix(meta, i, &pres[i]);
    const char *p = msg;
    while (*p) {
        bool cut = false;
        for (size_t i = 0; i < meta->ninputs && !cut; i++) {
            const char *pre = i < npre ? pres[i] : NULL;
            size_t n = i < npre ? lens[i] : input_prefix(meta, i, &pre);
            if (n && strncmp(p, pre, n) == 0 && p[n] == '/' && (p == msg || p[-1] == '"' || p[-1] == ' ')) {
                p += n + 1;
                cut = true;
            }
        }
        if (!cut) buf_putc(out, *p++);
    }
    return out->oom ? msg : buf_str(out);
}

/* ==== private: what the run says about one unit ================================== */

/* Years of the run: plan years some accepted source covers (the years
 * unit_missing_report looks at). */
static bool run_year(const struct config *cfg, const results *res, int year)
{
    if (year < cfg->plan.first_year || year > cfg->plan.last_year) return false;
    for (size_t s = 0; s < res->nsources; s++)
        if (res->sources[s].status == SRC_ACCEPTED && res->sources[s].year == year) return true;
    return false;
}

static bool source_of(const results *res, uint32_t src, const char *code)
{
    return src < res->nsources && res->sources[src].unit && strcmp(res->sources[src].unit, code) == 0;
}

/* See feedback.h. */
bool feedback_finding_of(const results *res, const finding *f, const char *code)
{
    if (f->unit && f->unit[0]) return strcmp(f->unit, code) == 0;
    return source_of(res, f->source, code);
}

/* See feedback.h. */
bool feedback_unit_wanted(const struct config *cfg, const results *res, const struct config_unit *u)
{
    for (size_t s = 0; s < res->nsources; s++)
        if (source_of(res, (uint32_t)s, u->code)) return true;
    for (size_t i = 0; i < res->nfindings; i++)
        if (res->findings[i].unit && strcmp(res->findings[i].unit, u->code) == 0) return true;
    if (u->kind == CONFIG_PROVIDER) return false;
    for (int y = cfg->plan.first_year; y <= cfg->plan.last_year; y++)
        if (config_unit_active_in_year(u, y) && run_year(cfg, res, y)) return true;
    return false;
}

/* The tables unit u's kind must report (a group of the table it must report). */
static bool table_required(const struct config *cfg, const struct config_unit *u, size_t t)
{
    for (size_t g = 0; g < cfg->n_groups; g++)
        if (config_group_in_table(&cfg->groups[g], &cfg->tables[t]) && config_group_required_of(&cfg->groups[g], u))
            return true;
    return false;
}

/* A unit's tables in one year: whether any figure (not superseded) and any
 * counted figure (not superseded, not rejected) came from each. */
typedef struct {
    bool sent;                        /* any figure that year at all          */
    bool any[FB_MAX_TABLES];
    bool live[FB_MAX_TABLES];
} year_tables;

/* Which tables every unit sent every year of the plan: one pass over the
 * records (by their resolved unit, record.ui), not one per unit and year. */
typedef struct {
    year_tables *t;           /* [unit][year - first]                      */
    int first, nyears;
} sent_index;

static bool sent_index_build(sent_index *ix, const struct config *cfg, const results *res)
{
    ix->first = cfg->plan.first_year;
    ix->nyears = cfg->plan.last_year >= ix->first ? cfg->plan.last_year - ix->first + 1 : 0;
    size_t n = cfg->n_units * (size_t)ix->nyears;
    ix->t = calloc(n ? n : 1, sizeof *ix->t);
    if (!ix->t) return false;
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        if (r->superseded || r->ui < 0 || r->year < ix->first || r->year - ix->first >= ix->nyears) continue;
        year_tables *yt = &ix->t[(size_t)r->ui * (size_t)ix->nyears + (size_t)(r->year - ix->first)];
        yt->sent = true;
        if (r->table < 1 || (size_t)r->table > cfg->n_tables || r->table > FB_MAX_TABLES) continue;
        yt->any[r->table - 1] = true;
        if (!r->rejected) yt->live[r->table - 1] = true;
    }
    return true;
}

/* What unit u (of cfg->units) sent in year y of the plan. */
static const year_tables *sent_by(const sent_index *ix, const struct config *cfg, const struct config_unit *u, int y)
{
    return &ix->t[(size_t)(u - cfg->units) * (size_t)ix->nyears + (size_t)(y - ix->first)];
}

/* The unit_missing_report finding of (code, year), or NULL. */
static const finding *missing_report(const results *res, const char *code, int year)
{
    for (size_t i = 0; i < res->nfindings; i++) {
        const finding *f = &res->findings[i];
        if (f->year == year && f->unit && strcmp(f->rule, "unit_missing_report") == 0 && strcmp(f->unit, code) == 0)
            return f;
    }
    return NULL;
}

/* "Biểu 01; Biểu 02 (bị loại)" — the required tables missing (missing_only:
 * every required table) of a unit's year into out; false when none. */
static bool tables_to_send(const struct config *cfg, const struct config_unit *u, const year_tables *yt,
                           bool whole_report, buf *out)
{
    bool any = false;
    for (size_t t = 0; t < cfg->n_tables && t < FB_MAX_TABLES; t++) {
        if (!table_required(cfg, u, t)) continue;
        if (!whole_report && yt->live[t]) continue;
        char name[16];
        template_table_name(&cfg->tables[t], name);
        buf_printf(out, "%s%s%s", any ? "; " : "", name, !whole_report && yt->any[t] ? " (bị loại)" : "");
        any = true;
    }
    return any;
}

/* What unit u must still send for year y: the whole report (*mf set to its
 * unit_missing_report finding) or the tables missing or rejected in a year
 * it reported while active; their names into tables. False when nothing. */
static bool reminder(const struct config *cfg, const results *res, const sent_index *ix, const struct config_unit *u,
                     int y, const finding **mf, buf *tables)
{
    buf_clear(tables);
    static const year_tables none;
    const year_tables *yt = &none;
    *mf = missing_report(res, u->code, y);
    if (!*mf) {
        if (!config_unit_active_in_year(u, y)) return false;   /* unit_inactive says why */
        yt = sent_by(ix, cfg, u, y);
        if (!yt->sent) return false;
    }
    return tables_to_send(cfg, u, yt, *mf != NULL, tables) || *mf;
}

/* ==== private: don-doc.csv ========================================================= */

/* See feedback.h. */
int feedback_reminders_csv(FILE *f, const struct config *cfg, const results *res)
{
    fputs("unit,name,kind,year,missing,tables\n", f);
    sent_index ix;
    if (!sent_index_build(&ix, cfg, res)) return -1;
    buf tables = BUF_INIT;
    for (int y = cfg->plan.first_year; y <= cfg->plan.last_year; y++) {
        if (!run_year(cfg, res, y)) continue;
        for (size_t k = 0; k < cfg->n_units; k++) {
            const struct config_unit *u = &cfg->units[k];
            const finding *mf;
            if (!reminder(cfg, res, &ix, u, y, &mf, &tables)) continue;
            bool whole = mf != NULL;
            csvout_text(f, u->code, true);
            csvout_text(f, u->name, false);
            csvout_text(f, config_unit_kind_name(u->kind), false);
            csvout_int(f, y, false);
            csvout_text(f, whole ? "report" : "tables", false);
            csvout_text(f, buf_str(&tables), false);
            csvout_eol(f);
        }
    }
    bool oom = tables.oom;
    buf_free(&tables);
    free(ix.t);
    return ferror(f) || oom ? -1 : 0;
}

/* ==== private: the workbook ========================================================= */

typedef struct {
    double w[FB_MAX_COLS];
} widths;

typedef struct {
    lxw_workbook *wb;
    const struct config *cfg;
    const results *res;
    const feedback_meta *meta;
    const struct config_unit *unit;
    const sent_index *sent;
    lxw_format *title, *line, *bold, *head, *text, *wrap, *center, *count, *sev[3], *todo;
    lxw_error err;
} fctx;

static void keep(fctx *x, lxw_error e)
{
    if (x->err == LXW_NO_ERROR && e != LXW_NO_ERROR) x->err = e;
}

static void fit(widths *cw, lxw_col_t c, double chars)
{
    if (cw && c < FB_MAX_COLS && chars + 2 > cw->w[c])
        cw->w[c] = chars + 2 > FB_WIDTH_CAP ? FB_WIDTH_CAP : chars + 2;
}

static void put_text(fctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, lxw_col_t c, const char *s,
                     lxw_format *f)
{
    keep(x, template_write_text(ws, r, c, s, f));
    fit(cw, c, (double)template_text_width(s ? s : ""));
}

static void put_num(fctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, lxw_col_t c, double v, lxw_format *f)
{
    keep(x, worksheet_write_number(ws, r, c, v, f));
    fit(cw, c, 6);
}

/* A wrapped text in a column of `width` characters, its row made tall enough. */
static void put_long(fctx *x, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s, double width)
{
    keep(x, template_write_text(ws, r, c, s, x->wrap));
    double lines = ceil((double)template_text_width(s ? s : "") / (width - 2));
    if (lines > 1) keep(x, worksheet_set_row(ws, r, 15.0 * lines + 2, NULL));
}

static lxw_format *new_fmt(fctx *x, bool border)
{
    lxw_format *f = template_format(x->wb, border);
    if (!f) keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    return f;
}

static int make_formats(fctx *x)
{
    if (!(x->title = new_fmt(x, false)) || !(x->line = new_fmt(x, false)) || !(x->bold = new_fmt(x, false)) ||
        !(x->head = new_fmt(x, true)) || !(x->text = new_fmt(x, true)) || !(x->wrap = new_fmt(x, true)) ||
        !(x->center = new_fmt(x, true)) || !(x->count = new_fmt(x, true)) || !(x->todo = new_fmt(x, true)))
        return -1;
    format_set_bold(x->title);
    format_set_font_size(x->title, 14);
    format_set_italic(x->line);
    format_set_bold(x->bold);
    template_list_looks(x->head, x->wrap, x->center, x->count);
    format_set_bold(x->todo);
    format_set_text_wrap(x->todo);
    format_set_align(x->todo, LXW_ALIGN_VERTICAL_TOP);
    static const lxw_color_t fill[] = {0xFFC7CE, 0xFFEB9C, 0xDDEBF7};
    for (int s = 0; s < 3; s++) {
        if (!(x->sev[s] = new_fmt(x, true))) return -1;
        format_set_bg_color(x->sev[s], fill[s]);
        format_set_align(x->sev[s], LXW_ALIGN_CENTER);
    }
    return x->err == LXW_NO_ERROR ? 0 : -1;
}

/* "Không phải là số (not_a_number)" — the rule's name with its code. */
static void rule_label(const struct config *cfg, const char *code, char *out, size_t n)
{
    const char *name = config_rule_label(cfg, code);
    if (name) snprintf(out, n, "%s", name);
    else snprintf(out, n, "%s", code);
}

/* The title block of every sheet; returns the next free row. */
static lxw_row_t title_block(fctx *x, lxw_worksheet *ws)
{
    char line[768];
    put_text(x, ws, NULL, 0, 0, "PHẢN HỒI VỀ BÁO CÁO KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
             x->title);
    keep(x, worksheet_set_row(ws, 0, 21, NULL));
    snprintf(line, sizeof line, "Đơn vị: %s (mã %s)", x->unit->name, x->unit->code);
    put_text(x, ws, NULL, 1, 0, line, x->bold);
    snprintf(line, sizeof line, "Sở Nội vụ tỉnh %s — lập ngày %s từ các tệp đơn vị đã gửi (dtbd %s)",
             x->cfg->plan.province ? x->cfg->plan.province : "", x->meta->run_date ? x->meta->run_date : "",
             x->meta->version ? x->meta->version : "");
    put_text(x, ws, NULL, 2, 0, line, x->line);
    return 3;
}

/* A4 landscape, one page wide, rows 0..header repeated, "Trang x/y". */
static void print_setup(fctx *x, lxw_worksheet *ws, lxw_row_t header, lxw_row_t last, lxw_col_t ncols)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);
    worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.6);
    worksheet_fit_to_pages(ws, 1, 0);
    keep(x, worksheet_repeat_rows(ws, 0, header));
    keep(x, worksheet_print_area(ws, 0, 0, last > header ? last : header, ncols - 1));
    keep(x, worksheet_set_footer(ws, "&CTrang &P/&N"));
    worksheet_freeze_panes(ws, header + 1, 0);
}

static void apply_widths(fctx *x, lxw_worksheet *ws, const widths *cw, size_t ncols)
{
    for (size_t c = 0; c < ncols && c < FB_MAX_COLS; c++)
        keep(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cw->w[c] < 6 ? 6 : cw->w[c], NULL));
}

static void put_header(fctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, const char *const *names, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        keep(x, template_write_text(ws, r, (lxw_col_t)c, names[c], x->head));
        fit(cw, (lxw_col_t)c, (double)template_text_width(names[c]) * 0.6 + 1);
    }
    keep(x, worksheet_set_row(ws, r, 30, NULL));
}

/* The first error message on a source (why it was rejected), or "". */
static const char *first_error(const results *res, uint32_t src)
{
    for (size_t i = 0; i < res->nfindings; i++)
        if (res->findings[i].source == src && res->findings[i].sev == SEV_ERROR) return res->findings[i].message;
    return "";
}

/* One row of the resend list. */
static void todo_row(fctx *x, lxw_worksheet *ws, widths *cw, lxw_row_t r, size_t no, int year, const char *what,
                     const char *file, const char *sheet, const char *cell, const char *why)
{
    put_num(x, ws, cw, r, 0, (double)no, x->center);
    if (year) put_num(x, ws, cw, r, 1, year, x->center);
    else keep(x, worksheet_write_blank(ws, r, 1, x->center));
    keep(x, template_write_text(ws, r, 2, what, x->todo));
    put_text(x, ws, cw, r, 3, file, x->wrap);
    put_text(x, ws, cw, r, 4, sheet, x->center);
    put_text(x, ws, cw, r, 5, cell, x->center);
    buf m = BUF_INIT;
    why = shown_message(x->meta, why, &m);
    put_long(x, ws, r, 6, why, 70);
    double lines = ceil((double)template_text_width(what) / 32.0);
    double lf = ceil((double)template_text_width(file) / 38.0);
    if (lf > lines) lines = lf;
    double lw = ceil((double)template_text_width(why) / 68.0);
    if (lw > lines) lines = lw;
    if (lines > 1) keep(x, worksheet_set_row(ws, r, 15.0 * lines + 2, NULL));
    buf_free(&m);
}

/* "Cần gửi lại": the counts, then what to resend. */
static void sheet_todo(fctx *x)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Cần gửi lại");
    if (!ws) {
        keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    const struct config *cfg = x->cfg;
    const results *res = x->res;
    const char *code = x->unit->code;
    widths cw = {{0}};
    lxw_row_t r = title_block(x, ws);
    size_t nf = 0, acc = 0, sup = 0, rej = 0, sev[3] = {0, 0, 0};
    for (size_t s = 0; s < res->nsources; s++)
        if (source_of(res, (uint32_t)s, code)) {
            nf++;
            acc += res->sources[s].status == SRC_ACCEPTED;
            sup += res->sources[s].status == SRC_SUPERSEDED;
            rej += res->sources[s].status == SRC_REJECTED;
        }
    for (size_t i = 0; i < res->nfindings; i++)
        if (feedback_finding_of(res, &res->findings[i], code) && res->findings[i].sev <= SEV_INFO)
            sev[res->findings[i].sev]++;
    char line[512];
    snprintf(line, sizeof line,
             "Tệp đã nhận: %zu (%zu được nhận, %zu bị thay thế, %zu bị loại) — phát hiện: %zu lỗi, %zu cảnh báo, "
             "%zu thông tin (xem trang \"Phát hiện\")",
             nf, acc, sup, rej, sev[SEV_ERROR], sev[SEV_WARNING], sev[SEV_INFO]);
    put_text(x, ws, NULL, r++, 0, line, x->line);
    r++;
    static const char *const head[] = {"STT", "Năm", "Cần gửi lại", "Tệp", "Trang tính", "Ô", "Lý do"};
    const size_t ncols = sizeof head / sizeof *head;
    lxw_row_t header = r;
    put_header(x, ws, &cw, r++, head, ncols);
    size_t no = 0;
    buf b = BUF_INIT;
    /* per year: the whole report, or the tables missing or rejected */
    for (int y = cfg->plan.first_year; y <= cfg->plan.last_year && x->err == LXW_NO_ERROR; y++) {
        const finding *mf;
        if (!reminder(cfg, res, x->sent, x->unit, y, &mf, &b)) continue;
        char what[512];
        if (mf) snprintf(what, sizeof what, "Báo cáo năm %d (%s)", y, buf_str(&b));
        else snprintf(what, sizeof what, "%s năm %d", buf_str(&b), y);
        todo_row(x, ws, &cw, r++, ++no, y, what, "", "", "",
                 mf ? mf->message
                    : "Biểu đơn vị phải báo cáo chưa có trong tệp đã gửi, hoặc mọi số liệu của biểu bị loại — gửi "
                      "bổ sung biểu này (ghi 0 ở dòng không có người).");
    }
    buf_free(&b);
    /* rejected files */
    for (size_t s = 0; s < res->nsources && x->err == LXW_NO_ERROR; s++) {
        const source_file *sf = &res->sources[s];
        if (!source_of(res, (uint32_t)s, code) || sf->status != SRC_REJECTED) continue;
        todo_row(x, ws, &cw, r++, ++no, sf->year, "Tệp bị loại: gửi lại tệp", feedback_shown_path(x->meta, sf->path),
                 "", "",
                 first_error(res, (uint32_t)s));
    }
    /* rejected cells (on files that were not rejected as a whole) */
    for (size_t i = 0; i < res->nfindings && x->err == LXW_NO_ERROR; i++) {
        const finding *f = &res->findings[i];
        if (f->sev != SEV_ERROR || !f->cell[0] || !feedback_finding_of(res, f, code)) continue;
        if (f->source < res->nsources && res->sources[f->source].status != SRC_ACCEPTED) continue;
        char what[300], name[200];
        rule_label(cfg, f->rule, name, sizeof name);
        snprintf(what, sizeof what, "Ô bị loại: %s", name);
        todo_row(x, ws, &cw, r++, ++no, f->year, what,
                 f->source < res->nsources ? feedback_shown_path(x->meta, res->sources[f->source].path) : "",
                 f->sheet ? f->sheet : "", f->cell, f->message);
    }
    if (no == 0) {
        keep(x, template_merge_text(ws, r, 0, r, (lxw_col_t)(ncols - 1), "Không có gì cần gửi lại.", x->todo));
        r++;
    }
    cw.w[0] = 5;
    cw.w[1] = 7;
    cw.w[2] = 34;
    if (cw.w[3] > 40) cw.w[3] = 40;
    cw.w[6] = 70;
    apply_widths(x, ws, &cw, ncols);
    print_setup(x, ws, header, r - 1, (lxw_col_t)ncols);
}

/* "Tệp đã gửi": the unit's files and their status. */
static void sheet_files(fctx *x)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Tệp đã gửi");
    if (!ws) {
        keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    const results *res = x->res;
    widths cw = {{0}};
    lxw_row_t r = title_block(x, ws) + 1;
    static const char *const head[] = {"STT", "Tệp", "Năm", "Trạng thái", "Mã trạng thái", "Số liệu", "Lỗi",
                                       "Cảnh báo"};
    const size_t ncols = sizeof head / sizeof *head;
    lxw_row_t header = r;
    put_header(x, ws, &cw, r++, head, ncols);
    size_t no = 0;
    for (size_t s = 0; s < res->nsources && x->err == LXW_NO_ERROR; s++) {
        const source_file *sf = &res->sources[s];
        if (!source_of(res, (uint32_t)s, x->unit->code)) continue;
        put_num(x, ws, &cw, r, 0, (double)++no, x->center);
        const char *shown = feedback_shown_path(x->meta, sf->path);
        put_text(x, ws, &cw, r, 1, shown, x->wrap);
        if (sf->year) put_num(x, ws, &cw, r, 2, sf->year, x->center);
        else keep(x, worksheet_write_blank(ws, r, 2, x->center));
        put_text(x, ws, &cw, r, 3, config_word(x->cfg, CONFIG_WORDS_SOURCE, sf->status), x->sev[sf->status == SRC_REJECTED ? 0
                                                                      : sf->status == SRC_SUPERSEDED ? 1 : 2]);
        put_text(x, ws, &cw, r, 4, source_status_name(sf->status), x->center);
        put_num(x, ws, &cw, r, 5, (double)sf->records, x->count);
        put_num(x, ws, &cw, r, 6, (double)sf->errors, x->count);
        put_num(x, ws, &cw, r, 7, (double)sf->warnings, x->count);
        double lines = ceil((double)template_text_width(shown) / 58.0);
        if (lines > 1) keep(x, worksheet_set_row(ws, r, 15.0 * lines + 2, NULL));
        r++;
    }
    if (no == 0) {
        keep(x, template_merge_text(ws, r, 0, r, (lxw_col_t)(ncols - 1), "Đơn vị chưa gửi tệp nào.", x->todo));
        r++;
    }
    cw.w[0] = 5;
    if (cw.w[1] > 60) cw.w[1] = 60;
    apply_widths(x, ws, &cw, ncols);
    print_setup(x, ws, header, r - 1, (lxw_col_t)ncols);
}

/* "Phát hiện": the unit's findings, errors first. */
static void sheet_findings(fctx *x)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, "Phát hiện");
    if (!ws) {
        keep(x, LXW_ERROR_MEMORY_MALLOC_FAILED);
        return;
    }
    const results *res = x->res;
    widths cw = {{0}};
    lxw_row_t r = title_block(x, ws) + 1;
    static const char *const head[] = {"STT", "Mức độ", "Quy tắc", "Mã quy tắc", "Tệp", "Trang tính", "Ô", "Năm",
                                       "Nội dung"};
    const size_t ncols = sizeof head / sizeof *head;
    lxw_row_t header = r;
    put_header(x, ws, &cw, r++, head, ncols);
    size_t no = 0;
    for (int sev = SEV_ERROR; sev <= SEV_INFO; sev++)
        for (size_t i = 0; i < res->nfindings && x->err == LXW_NO_ERROR; i++) {
            const finding *f = &res->findings[i];
            if ((int)f->sev != sev || !feedback_finding_of(res, f, x->unit->code)) continue;
            char name[200];
            rule_label(x->cfg, f->rule, name, sizeof name);
            const char *file = f->source < res->nsources ? feedback_shown_path(x->meta, res->sources[f->source].path) : "";
            put_num(x, ws, &cw, r, 0, (double)++no, x->center);
            put_text(x, ws, &cw, r, 1, config_word(x->cfg, CONFIG_WORDS_SEVERITY, f->sev), x->sev[sev]);
            put_text(x, ws, &cw, r, 2, name, x->wrap);
            put_text(x, ws, &cw, r, 3, f->rule, x->text);
            put_text(x, ws, &cw, r, 4, file, x->wrap);
            put_text(x, ws, &cw, r, 5, f->sheet ? f->sheet : "", x->center);
            put_text(x, ws, &cw, r, 6, f->cell, x->center);
            if (f->year) put_num(x, ws, &cw, r, 7, f->year, x->center);
            else keep(x, worksheet_write_blank(ws, r, 7, x->center));
            buf m = BUF_INIT;
            const char *msg = shown_message(x->meta, f->message, &m);
            keep(x, template_write_text(ws, r, 8, msg, x->wrap));
            double lines = ceil((double)template_text_width(msg) / 62.0);
            buf_free(&m);
            double ln = ceil((double)template_text_width(name) / 22.0);
            double lf = ceil((double)template_text_width(file) / 28.0);
            if (ln > lines) lines = ln;
            if (lf > lines) lines = lf;
            if (lines > 1) keep(x, worksheet_set_row(ws, r, 15.0 * lines + 2, NULL));
            r++;
        }
    if (no == 0) {
        keep(x, template_merge_text(ws, r, 0, r, (lxw_col_t)(ncols - 1), "Không có phát hiện nào.", x->todo));
        r++;
    }
    cw.w[0] = 5;
    cw.w[2] = 24;
    if (cw.w[3] > 22) cw.w[3] = 22;
    cw.w[4] = 30;
    if (cw.w[5] > 14) cw.w[5] = 14;
    cw.w[8] = 64;
    apply_widths(x, ws, &cw, ncols);
    print_setup(x, ws, header, r - 1, (lxw_col_t)ncols);
}

/* One unit's workbook at path; 0, or -1 with errno and why. */
static int write_unit(const char *path, const char *name, const struct config *cfg, const results *res,
                      const sent_index *sent, const struct config_unit *u, const feedback_meta *meta, char *why,
                      size_t whylen)
{
    fctx x;
    memset(&x, 0, sizeof x);
    x.cfg = cfg;
    x.res = res;
    x.sent = sent;
    x.meta = meta;
    x.unit = u;
    lxw_workbook_options wopt = {.constant_memory = LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_FALSE};
    errno = 0;
    x.wb = workbook_new_opt(path, &wopt);
    if (!x.wb) {
        int e = errno ? errno : EIO;
        snprintf(why, whylen, "không tạo được tệp phản hồi phan-hoi/%s: %s", name, atomic_error_text(e));
        errno = e;
        return -1;
    }
    char title[512], subject[512];
    snprintf(title, sizeof title, "Phản hồi về báo cáo đào tạo, bồi dưỡng CBCCVC — %s", u->name);
    snprintf(subject, sizeof subject, "Kế hoạch số %s", cfg->plan.id);
    char *s_title = template_safe_text(title), *s_subject = template_safe_text(subject);
    if (!s_title || !s_subject || make_formats(&x) != 0) keep(&x, LXW_ERROR_MEMORY_MALLOC_FAILED);
    if (x.err == LXW_NO_ERROR) {
        lxw_doc_properties props;
        memset(&props, 0, sizeof props);
        props.title = s_title;
        props.subject = s_subject;
        props.author = (char *)"dtbd";
        props.company = (char *)"Sở Nội vụ";
        keep(&x, workbook_set_properties(x.wb, &props));
    }
    if (x.err == LXW_NO_ERROR) sheet_todo(&x);
    if (x.err == LXW_NO_ERROR) sheet_files(&x);
    if (x.err == LXW_NO_ERROR) sheet_findings(&x);
    errno = 0;
    lxw_error ce = template_workbook_close(x.wb);
    int close_errno = errno;
    keep(&x, ce);
    free(s_title);
    free(s_subject);
    if (x.err != LXW_NO_ERROR) {
        if (ce != LXW_NO_ERROR && close_errno)
            snprintf(why, whylen, "không ghi được tệp phản hồi phan-hoi/%s: %s", name, atomic_error_text(close_errno));
        else
            snprintf(why, whylen, "không ghi được tệp phản hồi phan-hoi/%s (%s)", name, lxw_strerror(x.err));
        errno = close_errno ? close_errno : EIO;
        return -1;
    }
    return 0;
}

/* ==== public ======================================================================= */

/* See feedback.h. */
dtbd_status feedback_write(const char *dir, const struct config *cfg, const results *res, const feedback_meta *meta,
                   char *why, size_t whylen)
{
    char saved[128] = "";
    const char *cur = setlocale(LC_NUMERIC, NULL);
    bool restore = cur && strcmp(cur, "C") != 0 && strlen(cur) < sizeof saved;
    if (restore) {
        snprintf(saved, sizeof saved, "%s", cur);
        setlocale(LC_NUMERIC, "C");
    }
    int rc = 0;
    char path[4096], name[128];
    sent_index sent;
    if (!sent_index_build(&sent, cfg, res)) {
        if (restore) setlocale(LC_NUMERIC, saved);
        snprintf(why, whylen, "hết bộ nhớ khi ghi phản hồi cho đơn vị");
        errno = ENOMEM;
        return DTBD_ERR_NOMEM;
    }
    for (size_t k = 0; k < cfg->n_units && rc == 0; k++) {
        const struct config_unit *u = &cfg->units[k];
        if (!feedback_unit_wanted(cfg, res, u)) continue;
        snprintf(name, sizeof name, "%s.xlsx", u->code);
        int n = snprintf(path, sizeof path, "%s/%s", dir, name);
        if (n < 0 || (size_t)n >= sizeof path) {
            snprintf(why, whylen, "đường dẫn thư mục kết quả quá dài");
            errno = ENAMETOOLONG;
            rc = -1;
            break;
        }
        rc = write_unit(path, name, cfg, res, &sent, u, meta, why, whylen);
    }
    if (rc == 0) {
        int n = snprintf(path, sizeof path, "%s/don-doc.csv", dir);
        errno = 0;
        FILE *f = n > 0 && (size_t)n < sizeof path ? fopen(path, "w") : NULL;
        int e = errno ? errno : ENAMETOOLONG;
        if (!f || feedback_reminders_csv(f, cfg, res) != 0 || fflush(f) != 0 || fsync(fileno(f)) != 0) {
            if (f) e = errno ? errno : EIO;
            rc = -1;
        }
        if (f && fclose(f) != 0 && rc == 0) {
            e = errno;
            rc = -1;
        }
        if (rc != 0) {
            snprintf(why, whylen, "không ghi được tệp phan-hoi/don-doc.csv: %s", atomic_error_text(e));
            errno = e;
        }
    }
    free(sent.t);
    if (restore) setlocale(LC_NUMERIC, saved);
    return rc == 0 ? DTBD_OK : DTBD_ERR_WRITE;
}
