/* pipeline/validate.c — validation and resubmissions (see validate.h for the contract). */
#include "pipeline/validate.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "input/workbook.h"

#define NONE (-1)
#define NO_REC SIZE_MAX
#define MAX_TABLES 16
/* Group sets are bit masks; a config with more groups skips the checks that need them. */
#define MAX_GROUPS 64

/* ---- context ------------------------------------------------------------------------ */

/* A record's config entities as indices (NONE: unknown or "unmapped"). */
typedef struct {
    int unit, group, metric, bd;
} rmeta;

/* A lookup key: (source, group, metric, breakdown) within one file, or
 * (unit, year, group, metric, breakdown) over the run's winning rows. */
typedef struct {
    uint32_t a;
    int year, g, m, b;
} vkey;

/* Open-addressing map from a key to a record index (+1; 0 = empty slot). */
typedef struct {
    uint32_t *slot;
    size_t mask;
    bool by_source;
} vmap;

typedef struct {
    const struct config *cfg;
    results *res;
    vmap in_src;                /* rows of one file (not superseded)                */
    vmap eff;                   /* winning rows of a unit and year                  */
    uint16_t *carried;          /* per source: tables it carries (bit t)            */
    uint16_t *lost;             /* per source: tables superseded by a newer file    */
    int headcount;              /* metric index of "headcount", NONE when absent    */
    int year0, nyears;          /* the plan's years                                 */
} vctx;

/* Index of a config entity by code, NONE when absent (NULL or "unmapped" included). */
#define INDEX_OF(arr, n, field, code)                                   \
    do {                                                                \
        if (!(code)) return NONE;                                       \
        for (size_t i_ = 0; i_ < (n); i_++)                             \
            if (strcmp((arr)[i_].field, (code)) == 0) return (int)i_;   \
        return NONE;                                                    \
    } while (0)

static int unit_ix(const struct config *c, const char *s) { INDEX_OF(c->units, c->n_units, code, s); }
static int metric_ix(const struct config *c, const char *s) { INDEX_OF(c->metrics, c->n_metrics, code, s); }
static int bd_ix(const struct config *c, const char *s) { INDEX_OF(c->breakdowns, c->n_breakdowns, code, s); }

/* Index of a config entity pointer within its array (NONE for NULL). */
#define PIX(arr, p) ((p) ? (int)((p) - (arr)) : NONE)

/* True when the record may be looked at: not superseded, not rejected. */
static bool live(const record *r) { return !r->superseded && !r->rejected; }

/* Record i's config entities, as results_add_record resolved them (read from
 * the record each time: a copy per record would grow with the files). */
static rmeta meta_of(const vctx *v, size_t i)
{
    const record *r = &v->res->records[i];
    return (rmeta){.unit = r->ui, .group = r->gi, .metric = r->mi, .bd = r->bi};
}

/* ---- the key map ---------------------------------------------------------------------- */

/* The key of record i in a map of this kind. */
static vkey key_of(const vctx *v, bool by_source, size_t i)
{
    const record *r = &v->res->records[i];
    const rmeta mv = meta_of(v, i), *mt = &mv;
    vkey k = { by_source ? r->source : (uint32_t)mt->unit, by_source ? 0 : r->year, mt->group,
               mt->metric, mt->bd };
    return k;
}

/* A 64-bit mix of the key's fields. */
static size_t key_hash(vkey k)
{
    uint64_t h = 1469598103934665603ULL;
    const uint64_t f[5] = { k.a, (uint32_t)k.year, (uint32_t)k.g, (uint32_t)k.m, (uint32_t)k.b };
    for (int i = 0; i < 5; i++) {
        h ^= f[i];
        h *= 1099511628211ULL;
        h ^= h >> 29;
    }
    return (size_t)h;
}

static bool key_eq(vkey x, vkey y)
{
    return x.a == y.a && x.year == y.year && x.g == y.g && x.m == y.m && x.b == y.b;
}

/* Allocate a map for up to n keys; false on out of memory. */
static bool map_init(vmap *m, size_t n, bool by_source)
{
    size_t cap = 64;
    while (cap < 2 * n + 1) cap *= 2;
    m->slot = calloc(cap, sizeof *m->slot);
    m->mask = cap - 1;
    m->by_source = by_source;
    return m->slot != NULL;
}

/* Add record i under its key unless the key is there already (the first row wins). */
static void map_put(vctx *v, vmap *m, size_t i)
{
    vkey k = key_of(v, m->by_source, i);
    for (size_t s = key_hash(k) & m->mask;; s = (s + 1) & m->mask) {
        if (!m->slot[s]) {
            m->slot[s] = (uint32_t)i + 1;
            return;
        }
        if (key_eq(key_of(v, m->by_source, m->slot[s] - 1), k)) return;
    }
}

/* The record under key k, NO_REC when none. */
static size_t map_get(const vctx *v, const vmap *m, vkey k)
{
    if (k.g < 0 || k.m < 0 || k.b < 0) return NO_REC;
    for (size_t s = key_hash(k) & m->mask; m->slot[s]; s = (s + 1) & m->mask)
        if (key_eq(key_of(v, m->by_source, m->slot[s] - 1), k)) return m->slot[s] - 1;
    return NO_REC;
}

/* The live record under k (NO_REC when absent, rejected or superseded). */
static size_t get_live(const vctx *v, const vmap *m, vkey k)
{
    size_t i = map_get(v, m, k);
    return i != NO_REC && live(&v->res->records[i]) ? i : NO_REC;
}

/* Key of record i with group, metric and breakdown replaced. */
static vkey key_with(const vctx *v, bool by_source, size_t i, int g, int m, int b)
{
    vkey k = key_of(v, by_source, i);
    k.g = g;
    k.m = m;
    k.b = b;
    return k;
}

/* ---- messages ------------------------------------------------------------------------ */

/* "Bieu 1!D15": where a record's value sits. */
static void rec_loc(const vctx *v, size_t i, char *out, size_t n)
{
    const record *r = &v->res->records[i];
    char cell[16];
    wb_cell_ref(r->row, r->col, cell);
    snprintf(out, n, "%s!%s", r->sheet, cell);
}

/* "cột "Đào tạo: Đại học" (Nữ), dòng "Viên chức"": what a record is, in the form's words. */
static void rec_what(const vctx *v, size_t i, char *out, size_t n)
{
    const struct config *c = v->cfg;
    const rmeta mv = meta_of(v, i), *mt = &mv;
    const struct config_metric *m = mt->metric >= 0 ? &c->metrics[mt->metric] : NULL;
    const struct config_breakdown *b = mt->bd >= 0 ? &c->breakdowns[mt->bd] : NULL;
    const struct config_group *g = mt->group >= 0 ? &c->groups[mt->group] : NULL;
    const char *head = m && m->heading ? m->heading->label : NULL;
    bool show_bd = b && m && m->n_breakdowns > 0 && m->breakdowns[0] != b;
    if (g && g->tables && g->n_tables && g->tables[0]->rows == CONFIG_ROWS_METRICS)
        snprintf(out, n, "dòng \"%s\", cột \"%s\"", m ? m->label : "?", b ? b->label : "?");
    else
        snprintf(out, n, "cột \"%s%s%s\"%s%s%s, dòng \"%s\"", head ? head : "", head ? ": " : "",
                 m ? m->label : "?", show_bd ? " (" : "", show_bd ? b->label : "",
                 show_bd ? ")" : "", g ? g->label : "?");
}

/* A number as the outputs write it. */
static const char *num(double x, char out[32])
{
    wb_number_str(x, out);
    return out;
}

/* Add a finding on record i's cell (unit, year, file and sheet of the record). */
__attribute__((format(printf, 5, 6)))
static void rec_finding(vctx *v, severity sev, const char *rule, size_t i, const char *fmt, ...)
{
    const record *r = &v->res->records[i];
    char cell[16], msg[1024];
    wb_cell_ref(r->row, r->col, cell);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    results_add_finding(v->res, sev, rule, r->source, r->sheet, cell, r->unit, r->year, "%s", msg);
}

/* Reject record i: it is no longer a figure, its cell counts as rejected. */
static void reject(vctx *v, size_t i)
{
    record *r = &v->res->records[i];
    if (r->rejected) return;
    r->rejected = true;
    if (r->source < v->res->nsources) {
        source_file *s = &v->res->sources[r->source];
        if (s->cells_recorded > 0) {
            s->cells_recorded--;
            s->cells_rejected++;
        }
    }
}

/* Tolerance when adding values of metric m. */
static double tolerance(const vctx *v, int m)
{
    bool money = m >= 0 && v->cfg->metrics[m].value == CONFIG_VALUE_MONEY;
    return (money ? v->cfg->checks.sum_money : v->cfg->checks.sum_count) + 1e-9;
}

/* "Biểu 01" for a table number. */
static void table_name(int t, char out[32])
{
    snprintf(out, 32, "Biểu %02d", t);
}

/* ---- 1. submissions -------------------------------------------------------------------- */

/* One table a source carries for a unit and year. */
typedef struct {
    int unit, year, table;
    uint32_t src;
} carriage;

static int cmp_carriage(const void *pa, const void *pb)
{
    const carriage *a = pa, *b = pb;
    if (a->unit != b->unit) return a->unit < b->unit ? -1 : 1;
    if (a->year != b->year) return a->year < b->year ? -1 : 1;
    if (a->table != b->table) return a->table < b->table ? -1 : 1;
    return a->src < b->src ? -1 : a->src > b->src;
}

/* Base name of a path. */
static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

enum { BY_DATE, BY_MTIME, BY_NAME };

/* > 0 when source a is newer than b; *how says what decided (DESIGN §6). */
static int newer(const source_file *a, const source_file *b, int *how)
{
    if (a->report_date && b->report_date && a->report_date != b->report_date) {
        *how = BY_DATE;
        return a->report_date > b->report_date ? 1 : -1;
    }
    if (a->mtime != b->mtime) {
        *how = BY_MTIME;
        return a->mtime > b->mtime ? 1 : -1;
    }
    *how = BY_NAME;
    int c = strcmp(base_name(a->path), base_name(b->path));
    if (!c) c = strcmp(a->path, b->path);
    return c;
}

/* "15/01/2024" from YYYYMMDD. */
static void date_str(int d, char out[48])
{
    snprintf(out, 48, "%02d/%02d/%04d", d % 100, d / 100 % 100, d / 10000);
}

/* "ngày báo cáo 25/01/2024 so với 10/01/2024" — why the winner is newer. */
static void why_newer(const source_file *win, const source_file *lose, int how, char *out, size_t n)
{
    char a[48], b[48];
    if (how == BY_DATE) {
        date_str(win->report_date, a);
        date_str(lose->report_date, b);
        snprintf(out, n, "ngày báo cáo ở cuối biểu %s, sau ngày %s của tệp này", a, b);
    } else if (how == BY_MTIME) {
        snprintf(out, n, "%s, nên tệp được sửa sau cùng được dùng",
                 win->report_date && lose->report_date ? "hai tệp ghi cùng ngày báo cáo"
                                                       : "không so được ngày báo cáo ở cuối biểu");
    } else {
        snprintf(out, n, "hai tệp không phân biệt được theo ngày báo cáo và thời gian sửa, nên đã "
                         "chọn theo tên tệp — hãy kiểm tra lại và cho biết tệp nào đúng");
    }
}

int validate_source_newer(const source_file *a, const source_file *b, char *why, size_t n)
{
    int how, c = newer(a, b, &how);
    if (why && n) {
        if (c > 0) why_newer(a, b, how, why, n);
        else why_newer(b, a, how, why, n);
    }
    return c;
}

/* Decide every (unit, year, table) carried by several files; returns false on OOM. */
static bool resolve_submissions(vctx *v)
{
    results *res = v->res;
    carriage *cs = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        if (r->source >= res->nsources || r->table <= 0 || r->table >= MAX_TABLES) continue;
        if (res->sources[r->source].status == SRC_REJECTED || v->res->records[i].ui < 0) continue;
        uint16_t bit = (uint16_t)(1u << r->table);
        if (v->carried[r->source] & bit) continue;
        v->carried[r->source] |= bit;
        if (!buf_grow_array((void **)&cs, &cap, n + 1, sizeof *cs)) { free(cs); return false; }
        cs[n++] = (carriage){ v->res->records[i].ui, r->year, r->table, r->source };
    }
    if (n) qsort(cs, n, sizeof *cs, cmp_carriage);

    /* the winner of each run; the losers lose that table to it */
    uint32_t *winner = calloc(res->nsources ? res->nsources * MAX_TABLES : 1, sizeof *winner);
    int *how_of = calloc(res->nsources ? res->nsources * MAX_TABLES : 1, sizeof *how_of);
    if (!winner || !how_of) {
        free(cs);
        free(winner);
        free(how_of);
        return false;
    }
    for (size_t a = 0; a < n;) {
        size_t b = a + 1;
        while (b < n && cs[b].unit == cs[a].unit && cs[b].year == cs[a].year && cs[b].table == cs[a].table) b++;
        if (b - a > 1) {
            uint32_t w = cs[a].src;
            int how;
            for (size_t k = a + 1; k < b; k++)
                if (newer(&res->sources[cs[k].src], &res->sources[w], &how) > 0) w = cs[k].src;
            for (size_t k = a; k < b; k++) {
                uint32_t s = cs[k].src;
                if (s == w) continue;
                newer(&res->sources[w], &res->sources[s], &how);
                v->lost[s] |= (uint16_t)(1u << cs[k].table);
                winner[(size_t)s * MAX_TABLES + (size_t)cs[k].table] = w + 1;
                how_of[(size_t)s * MAX_TABLES + (size_t)cs[k].table] = how;
            }
        }
        a = b;
    }
    free(cs);

    for (size_t i = 0; i < res->nrecords; i++) {
        record *r = &res->records[i];
        if (r->source < res->nsources && r->table > 0 && r->table < MAX_TABLES &&
            (v->lost[r->source] & (1u << r->table)))
            r->superseded = true;
    }
    /* one finding per (older file, newer file), naming the tables */
    for (size_t s = 0; s < res->nsources; s++) {
        if (!v->lost[s]) continue;
        for (int t = 1; t < MAX_TABLES; t++) {
            uint32_t w = winner[s * MAX_TABLES + (size_t)t];
            if (!w) continue;
            bool first = true;
            for (int t2 = 1; t2 < t; t2++)
                if (winner[s * MAX_TABLES + (size_t)t2] == w) first = false;
            if (!first) continue;
            char tables[256] = "", why[512], tn[32];
            for (int t2 = t; t2 < MAX_TABLES; t2++) {
                if (winner[s * MAX_TABLES + (size_t)t2] != w) continue;
                table_name(t2, tn);
                size_t len = strlen(tables);
                snprintf(tables + len, sizeof tables - len, "%s%s", len ? ", " : "", tn);
            }
            const source_file *ws = &res->sources[w - 1], *ls = &res->sources[s];
            why_newer(ws, ls, how_of[s * MAX_TABLES + (size_t)t], why, sizeof why);
            results_add_finding(res, SEV_WARNING, "duplicate_submission", (uint32_t)s, NULL, NULL, ls->unit,
                                ls->year,
                                "Đơn vị đã gửi lại %s năm %d: tệp \"%s\" thay thế tệp này (%s). Số liệu "
                                "%s của tệp này không được dùng; nếu tệp này mới là bản đúng, hãy gửi lại "
                                "với ngày báo cáo mới hơn.",
                                tables, ls->year, ws->path, why, tables);
        }
        if (res->sources[s].status != SRC_REJECTED && (v->carried[s] & ~v->lost[s]) == 0)
            res->sources[s].status = SRC_SUPERSEDED;
    }
    free(winner);
    free(how_of);
    return true;
}

/* ---- 2, 3. the reorganization and providers ----------------------------------------- */

/* reported[unit × year]: the unit has a non-rejected source for the plan year. */
static bool *reported_table(const vctx *v)
{
    const struct config *c = v->cfg;
    bool *rep = calloc(c->n_units * (size_t)v->nyears + 1, sizeof *rep);
    if (!rep) return NULL;
    for (size_t s = 0; s < v->res->nsources; s++) {
        const source_file *sf = &v->res->sources[s];
        if (sf->status == SRC_REJECTED || !sf->unit) continue;
        int u = unit_ix(c, sf->unit), y = sf->year - v->year0;
        if (u >= 0 && y >= 0 && y < v->nyears) rep[(size_t)u * (size_t)v->nyears + (size_t)y] = true;
    }
    return rep;
}

/* True when unit u reported year (plan years only). */
static bool did_report(const vctx *v, const bool *rep, int u, int year)
{
    int y = year - v->year0;
    return u >= 0 && y >= 0 && y < v->nyears && rep[(size_t)u * (size_t)v->nyears + (size_t)y];
}

/* The successor (or theirs) of unit u that reported year, when year is the
 * year u's validity ends; NULL otherwise. */
static const struct config_unit *covering_successor(const vctx *v, const bool *rep, int u, int year)
{
    const struct config_unit *un = &v->cfg->units[u];
    if (!un->successor || un->valid_to.year != year) return NULL;
    int guard = 0;
    for (const struct config_unit *s = un->successor; s && guard < 64; s = s->successor, guard++)
        if (did_report(v, rep, (int)(s - v->cfg->units), year)) return s;
    return NULL;
}

/* Merged units' reports covered by their successor: superseded by it (data
 * in no output); providers' records: excluded (written, never counted). */
static void exclude_uncounted(vctx *v, const bool *rep)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    bool *merged = calloc(res->nsources + 1, sizeof *merged);
    if (!merged) { res->oom = true; return; }
    for (size_t s = 0; s < res->nsources; s++) {
        source_file *sf = &res->sources[s];
        if (sf->status != SRC_ACCEPTED || !sf->unit) continue;
        int u = unit_ix(c, sf->unit);
        if (u < 0) continue;
        const struct config_unit *succ = covering_successor(v, rep, u, sf->year);
        if (!succ) continue;
        merged[s] = true;
        sf->status = SRC_SUPERSEDED;
        char to[48];
        const struct config_date d = c->units[u].valid_to;
        snprintf(to, sizeof to, "%02d/%02d/%04d", d.day, d.month, d.year);
        results_add_finding(res, SEV_WARNING, "merged_unit_report", (uint32_t)s, NULL, NULL, sf->unit, sf->year,
                            "%s đã sáp nhập vào %s (hoạt động đến %s); báo cáo năm %d của %s đã bao gồm "
                            "số liệu của đơn vị, nên số liệu trong tệp này không được tổng hợp (tránh "
                            "tính hai lần).",
                            c->units[u].name, succ->name, to, sf->year, succ->name);
    }
    for (size_t i = 0; i < res->nrecords; i++) {
        record *r = &res->records[i];
        int u = v->res->records[i].ui;
        if (r->source < res->nsources && merged[r->source]) r->superseded = true;
        else if (u >= 0 && c->units[u].kind == CONFIG_PROVIDER) r->excluded = true;
    }
    free(merged);
}

/* ---- 4. counts --------------------------------------------------------------------------- */

/* Negative or fractional counts: the cell is rejected. */
static void check_counts(vctx *v)
{
    for (size_t i = 0; i < v->res->nrecords; i++) {
        const record *r = &v->res->records[i];
        int m = v->res->records[i].mi;
        if (!live(r) || m < 0 || v->cfg->metrics[m].value != CONFIG_VALUE_COUNT) continue;
        char loc[300], what[600], a[32];
        if (r->value < 0) {
            rec_loc(v, i, loc, sizeof loc);
            rec_what(v, i, what, sizeof what);
            rec_finding(v, SEV_ERROR, "negative_count", i,
                        "Số người không được âm: %s là %s tại %s — sửa lại số liệu (số này không được tính).",
                        what, num(r->value, a), loc);
            reject(v, i);
        } else if (r->value != floor(r->value)) {
            rec_loc(v, i, loc, sizeof loc);
            rec_what(v, i, what, sizeof what);
            rec_finding(v, SEV_ERROR, "fractional_count", i,
                        "Số người phải là số nguyên: %s là %s tại %s — sửa lại số liệu (số này không được "
                        "tính).",
                        what, num(r->value, a), loc);
            reject(v, i);
        }
    }
}

/* ---- 5. part over whole ------------------------------------------------------------------ */

/* Part record p over whole record w: finding on p, p rejected. */
static void part_over(vctx *v, size_t p, size_t w, const char *extra)
{
    const record *rp = &v->res->records[p], *rw = &v->res->records[w];
    char lp[300], lw[300], wp[600], ww[600], a[32], b[32];
    rec_loc(v, p, lp, sizeof lp);
    rec_loc(v, w, lw, sizeof lw);
    rec_what(v, p, wp, sizeof wp);
    rec_what(v, w, ww, sizeof ww);
    char wsrc[600] = "";
    if (rw->source != rp->source && rw->source < v->res->nsources)
        snprintf(wsrc, sizeof wsrc, " của tệp \"%s\"", v->res->sources[rw->source].path);
    rec_finding(v, SEV_ERROR, "part_over_whole", p,
                "Số liệu %s (%s) lớn hơn %s (%s) tại %s%s%s — số bộ phận không thể lớn hơn tổng; kiểm tra lại "
                "%s (số này không được tính).",
                wp, num(rp->value, a), ww, num(rw->value, b), lw, wsrc, extra ? extra : "", lp);
    reject(v, p);
}

/* Which metrics are a whole of another (persons ⊂ person_times): not persons-trained. */
static bool *metric_wholes(const vctx *v)
{
    bool *w = calloc(v->cfg->n_metrics + 1, sizeof *w);
    if (!w) return NULL;
    for (size_t m = 0; m < v->cfg->n_metrics; m++) {
        const struct config_metric *s = v->cfg->metrics[m].subset_of;
        if (s) w[s - v->cfg->metrics] = true;
    }
    return w;
}

/* The whole of record i under metric wm (same group and breakdown): in the same file
 * when wm is of the same table, else the unit's winning row of that year. */
static size_t metric_whole(const vctx *v, size_t i, int wm)
{
    const rmeta mv = meta_of(v, i), *mt = &mv;
    const struct config *c = v->cfg;
    bool same_table = c->metrics[wm].table == c->metrics[mt->metric].table;
    if (same_table) return get_live(v, &v->in_src, key_with(v, true, i, mt->group, wm, mt->bd));
    if (mt->unit < 0) return NO_REC;
    return get_live(v, &v->eff, key_with(v, false, i, mt->group, wm, mt->bd));
}

/* Part over whole, steps (a) to (e) of validate.h. */
static bool check_part_over_whole(vctx *v)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    /* (a) breakdown over its whole, same row and metric */
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(&res->records[i]) || mt->metric < 0 || mt->group < 0 || mt->bd < 0) continue;
        int wb = PIX(c->breakdowns, c->breakdowns[mt->bd].subset_of);
        if (wb < 0) continue;
        size_t w = get_live(v, &v->in_src, key_with(v, true, i, mt->group, mt->metric, wb));
        if (w != NO_REC && res->records[i].value > res->records[w].value + tolerance(v, mt->metric))
            part_over(v, i, w, NULL);
    }
    /* (b) metric over the metric it is a subset of */
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(&res->records[i]) || mt->metric < 0 || mt->group < 0 || mt->bd < 0) continue;
        int wm = PIX(c->metrics, c->metrics[mt->metric].subset_of);
        if (wm < 0) continue;
        size_t w = metric_whole(v, i, wm);
        if (w != NO_REC && res->records[i].value > res->records[w].value + tolerance(v, mt->metric))
            part_over(v, i, w, NULL);
    }
    /* (c) group over the group it is a subset of */
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(&res->records[i]) || mt->metric < 0 || mt->group < 0 || mt->bd < 0) continue;
        int wg = PIX(c->groups, c->groups[mt->group].subset_of);
        if (wg < 0) continue;
        size_t w = get_live(v, &v->in_src, key_with(v, true, i, wg, mt->metric, mt->bd));
        if (w != NO_REC && res->records[i].value > res->records[w].value + tolerance(v, mt->metric))
            part_over(v, i, w, NULL);
    }
    /* (d) an indicator's numerator over its denominator, in every group row */
    for (size_t k = 0; k < c->n_indicators; k++) {
        const struct config_indicator *ind = &c->indicators[k];
        if (!ind->n_numerator || !ind->denominator.metric) continue;
        int m0 = PIX(c->metrics, ind->numerator[0].metric), b0 = PIX(c->breakdowns, ind->numerator[0].breakdown);
        int dm = PIX(c->metrics, ind->denominator.metric), db = PIX(c->breakdowns, ind->denominator.breakdown);
        for (size_t i = 0; i < res->nrecords; i++) {
            const rmeta mv = meta_of(v, i), *mt = &mv;
            if (!live(&res->records[i]) || mt->metric != m0 || mt->bd != b0 || mt->group < 0) continue;
            double sum = 0;
            size_t parts[16];
            size_t np = 0;
            bool ok = ind->n_numerator <= 16;
            for (size_t j = 0; ok && j < ind->n_numerator; j++) {
                int mj = PIX(c->metrics, ind->numerator[j].metric), bj = PIX(c->breakdowns, ind->numerator[j].breakdown);
                size_t r = j == 0 ? i : metric_whole(v, i, mj);
                if (j > 0 && r != NO_REC && v->res->records[r].bi != bj) r = NO_REC;
                if (r == NO_REC) ok = false;
                else { parts[np++] = r; sum += res->records[r].value; }
            }
            if (!ok) continue;
            size_t w;
            if (c->metrics[dm].table == c->metrics[m0].table)
                w = get_live(v, &v->in_src, key_with(v, true, i, mt->group, dm, db));
            else
                w = mt->unit >= 0 ? get_live(v, &v->eff, key_with(v, false, i, mt->group, dm, db)) : NO_REC;
            if (w == NO_REC || sum <= res->records[w].value + tolerance(v, m0)) continue;
            if (np == 1) {
                part_over(v, i, w, NULL);
                continue;
            }
            char extra[200];
            snprintf(extra, sizeof extra, " (tử số của chỉ tiêu %s cộng lại là %g)", ind->id, sum);
            part_over(v, i, w, extra);
            for (size_t j = 1; j < np; j++) reject(v, parts[j]);
        }
    }
    /* (e) other Biểu 02-style counts (a trained figure) over the group's headcount */
    if (v->headcount < 0) return true;
    bool *wholes = metric_wholes(v);
    if (!wholes) return false;
    const struct config_table *htab = c->metrics[v->headcount].table;
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(&res->records[i]) || mt->metric < 0 || mt->group < 0 || mt->bd < 0 || mt->unit < 0) continue;
        const struct config_metric *m = &c->metrics[mt->metric];
        if (m->table == htab || m->value != CONFIG_VALUE_COUNT || wholes[mt->metric]) continue;
        if (!config_metric_allows(&c->metrics[v->headcount], &c->breakdowns[mt->bd])) continue;
        size_t w = get_live(v, &v->eff, key_with(v, false, i, mt->group, v->headcount, mt->bd));
        if (w != NO_REC && res->records[i].value > res->records[w].value + tolerance(v, mt->metric))
            part_over(v, i, w, NULL);
    }
    free(wholes);
    return true;
}

/* ---- 6. parts that do not add up ----------------------------------------------------------- */

/* Group rows (and breakdowns) against the sum of their parts in the same file. */
static void check_parts_sum(vctx *v)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(&res->records[i]) || mt->metric < 0 || mt->group < 0 || mt->bd < 0) continue;
        for (int pass = 0; pass < 2 && live(&res->records[i]); pass++) {
            const struct config_group *g = &c->groups[mt->group];
            const struct config_breakdown *b = &c->breakdowns[mt->bd];
            size_t n = pass == 0 ? g->n_parts : b->n_parts;
            if (!n) continue;
            double sum = 0;
            bool ok = true;
            char parts[600] = "";
            for (size_t k = 0; ok && k < n; k++) {
                vkey key = pass == 0 ? key_with(v, true, i, PIX(c->groups, g->parts[k]), mt->metric, mt->bd)
                                     : key_with(v, true, i, mt->group, mt->metric, PIX(c->breakdowns, b->parts[k]));
                size_t r = get_live(v, &v->in_src, key);
                if (r == NO_REC) { ok = false; break; }
                sum += res->records[r].value;
                char cell[16];
                wb_cell_ref(res->records[r].row, res->records[r].col, cell);
                size_t len = strlen(parts);
                snprintf(parts + len, sizeof parts - len, "%s%s", len ? " + " : "", cell);
            }
            if (!ok || fabs(res->records[i].value - sum) <= tolerance(v, mt->metric)) continue;
            char loc[300], what[600], a[32], s[32];
            rec_loc(v, i, loc, sizeof loc);
            rec_what(v, i, what, sizeof what);
            rec_finding(v, SEV_ERROR, "parts_sum_mismatch", i,
                        "Số liệu %s là %s tại %s nhưng các %s cộng lại là %s (%s) — sửa để %s bằng tổng các "
                        "phần (số của dòng tổng này không được tính, số của từng phần được giữ).",
                        what, num(res->records[i].value, a), loc, pass == 0 ? "dòng thành phần" : "cột thành phần",
                        num(sum, s), parts, pass == 0 ? "dòng tổng" : "cột tổng");
            reject(v, i);
        }
    }
}

/* ---- 7. the "Tổng cộng" row ---------------------------------------------------------------- */

/* Groups present per (source, table): bit g of present[src * MAX_TABLES + t]. */
static uint64_t *groups_present(const vctx *v)
{
    const results *res = v->res;
    uint64_t *p = calloc(res->nsources * MAX_TABLES + 1, sizeof *p);
    if (!p) return NULL;
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        int g = v->res->records[i].gi;
        if (r->superseded || g < 0 || g >= MAX_GROUPS || r->source >= res->nsources || r->table <= 0 ||
            r->table >= MAX_TABLES)
            continue;
        p[(size_t)r->source * MAX_TABLES + (size_t)r->table] |= 1ull << g;
    }
    return p;
}

/* True when group g is added into the table's total given the groups present. */
static bool top_level(const struct config *c, int g, uint64_t present)
{
    const struct config_group *gr = &c->groups[g];
    if (gr->subset_of) return false;
    for (const struct config_group *w = gr->part_of; w; w = w->part_of) {
        int wi = (int)(w - c->groups);
        if (wi < MAX_GROUPS && (present & (1ull << wi))) return false;
    }
    return true;
}

/* Each "Tổng cộng" value against the sum of its table's top-level rows. */
static void check_totals(vctx *v, const uint64_t *present)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    if (c->n_groups > MAX_GROUPS) return;
    for (size_t t = 0; t < res->ntotals; t++) {
        const record *tr = &res->totals[t];
        if (tr->source >= res->nsources || res->sources[tr->source].status == SRC_REJECTED) continue;
        if (tr->table <= 0 || tr->table >= MAX_TABLES) continue;
        if (v->lost[tr->source] & (1u << tr->table)) continue;
        int m = tr->mi, b = tr->bi;
        if (m < 0 || b < 0) continue;
        uint64_t pr = present[(size_t)tr->source * MAX_TABLES + (size_t)tr->table];
        if (!pr) continue;
        double sum = 0;
        bool ok = true;
        for (int g = 0; ok && g < (int)c->n_groups; g++) {
            if (!(pr & (1ull << g)) || !top_level(c, g, pr)) continue;
            vkey k = { tr->source, 0, g, m, b };
            size_t r = get_live(v, &v->in_src, k);
            if (r == NO_REC) ok = false;
            else sum += res->records[r].value;
        }
        if (!ok || fabs(tr->value - sum) <= tolerance(v, m)) continue;
        char cell[16], a[32], s[32], tn[32];
        wb_cell_ref(tr->row, tr->col, cell);
        table_name(tr->table, tn);
        const struct config_metric *mm = &c->metrics[m];
        bool show_bd = mm->n_breakdowns > 0 && mm->breakdowns[0] != &c->breakdowns[b];
        results_add_finding(res, SEV_ERROR, "total_mismatch", tr->source, tr->sheet, cell, tr->unit, tr->year,
                            "Dòng \"Tổng cộng\" của %s, cột \"%s%s%s%s\" là %s tại %s!%s nhưng các dòng đối "
                            "tượng cộng lại là %s — sửa dòng tổng cho khớp với các dòng.",
                            tn, mm->label, show_bd ? " (" : "", show_bd ? c->breakdowns[b].label : "",
                            show_bd ? ")" : "", num(tr->value, a), tr->sheet, cell, num(sum, s));
    }
}

/* ---- 8. groups missing --------------------------------------------------------------------- */

/* Per file and table: the groups the unit's kind must report that are not there. */
static void check_groups_missing(vctx *v, const uint64_t *present)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    if (c->n_groups > MAX_GROUPS) return;
    /* the sheet of each (source, table): its first record's */
    size_t *first = malloc((res->nsources * MAX_TABLES + 1) * sizeof *first);
    if (!first) { res->oom = true; return; }
    for (size_t k = 0; k < res->nsources * MAX_TABLES; k++) first[k] = NO_REC;
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        if (r->superseded || r->source >= res->nsources || r->table <= 0 || r->table >= MAX_TABLES) continue;
        size_t k = (size_t)r->source * MAX_TABLES + (size_t)r->table;
        if (first[k] == NO_REC) first[k] = i;
    }
    for (size_t s = 0; s < res->nsources; s++) {
        const source_file *sf = &res->sources[s];
        if (sf->status == SRC_REJECTED || !sf->unit) continue;
        int u = unit_ix(c, sf->unit);
        if (u < 0) continue;
        for (size_t t = 1; t < MAX_TABLES && t <= c->n_tables; t++) {
            size_t i0 = first[s * MAX_TABLES + t];
            if (i0 == NO_REC) continue;
            uint64_t pr = present[s * MAX_TABLES + t];
            const struct config_table *tab = &c->tables[t - 1];
            char missing[1024] = "";
            for (size_t g = 0; g < c->n_groups; g++) {
                const struct config_group *gr = &c->groups[g];
                /* the kinds only: see validate.h on required_units */
                if (!gr->required_kind[c->units[u].kind] || !config_group_in_table(gr, tab)) continue;
                if (pr & (1ull << g)) continue;
                bool parts = gr->n_parts > 0;
                for (size_t k = 0; k < gr->n_parts; k++)
                    if (!(pr & (1ull << (gr->parts[k] - c->groups)))) parts = false;
                if (parts) continue;
                size_t len = strlen(missing);
                snprintf(missing + len, sizeof missing - len, "%s\"%s\"", len ? ", " : "", gr->label);
            }
            if (!missing[0]) continue;
            char tn[32];
            table_name((int)t, tn);
            const record *r0 = &res->records[i0];
            results_add_finding(res, SEV_WARNING, "group_missing", (uint32_t)s, r0->sheet, NULL, sf->unit, sf->year,
                                "%s (trang \"%s\") thiếu dòng %s mà %s phải báo cáo — bổ sung dòng này (ghi 0 "
                                "nếu không có người).",
                                tn, r0->sheet, missing, c->units[u].name);
        }
    }
    free(first);
}

/* ---- 9. year on year ------------------------------------------------------------------------ */

/* Cumulative metrics that fall, headcounts that jump (same unit code, year−1 → year). */
static void check_year_on_year(vctx *v)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    int all = bd_ix(c, "all");
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!live(r) || mt->metric < 0 || mt->group < 0 || mt->bd < 0 || mt->unit < 0) continue;
        const struct config_metric *m = &c->metrics[mt->metric];
        bool jump = mt->metric == v->headcount && mt->bd == all;
        if (!m->cumulative && !jump) continue;
        vkey k = key_of(v, false, i);
        k.year--;
        size_t p = get_live(v, &v->eff, k);
        if (p == NO_REC) continue;
        double before = res->records[p].value, now = r->value;
        char loc[300], ploc[300], what[600], a[32], b[32];
        if (m->cumulative && now < before - tolerance(v, mt->metric)) {
            rec_loc(v, i, loc, sizeof loc);
            rec_loc(v, p, ploc, sizeof ploc);
            rec_what(v, i, what, sizeof what);
            rec_finding(v, SEV_WARNING, "cumulative_decrease", i,
                        "Số liệu %s là số lũy kế nhưng giảm từ %s (năm %d, %s của tệp \"%s\") xuống %s (năm %d, %s) "
                        "— số lũy kế không được giảm; kiểm tra lại số của hai năm.",
                        what, num(before, a), res->records[p].year, ploc,
                        res->sources[res->records[p].source].path, num(now, b), r->year, loc);
        }
        if (jump && before > 0 && fabs(now - before) > c->checks.headcount_jump * before + 1e-9) {
            rec_loc(v, i, loc, sizeof loc);
            rec_loc(v, p, ploc, sizeof ploc);
            rec_what(v, i, what, sizeof what);
            rec_finding(v, SEV_WARNING, "headcount_jump", i,
                        "Số liệu %s thay đổi bất thường: %s người năm %d (%s của tệp \"%s\") → %s người năm %d (%s), "
                        "lệch %.0f%% (ngưỡng %.0f%%) — kiểm tra lại số liệu hoặc giải thích lý do.",
                        what, num(before, a), res->records[p].year, ploc,
                        res->sources[res->records[p].source].path, num(now, b), r->year, loc,
                        100.0 * fabs(now - before) / before, 100.0 * c->checks.headcount_jump);
        }
    }
}

/* ---- 10. providers -------------------------------------------------------------------------- */

/* The counted figure of unit u for (year, group, metric, bd): the own row, else
 * the sum of the parts' rows; false when missing or not counted. */
static bool unit_figure(const vctx *v, int u, int year, int g, int m, int b, double *out)
{
    const results *res = v->res;
    vkey k = { (uint32_t)u, year, g, m, b };
    size_t i = map_get(v, &v->eff, k);
    if (i != NO_REC) {
        const record *r = &res->records[i];
        if (!live(r) || r->excluded) return false;
        *out = r->value;
        return true;
    }
    const struct config_group *gr = &v->cfg->groups[g];
    if (!gr->n_parts) return false;
    double sum = 0;
    for (size_t p = 0; p < gr->n_parts; p++) {
        k.g = (int)(gr->parts[p] - v->cfg->groups);
        i = map_get(v, &v->eff, k);
        if (i == NO_REC || !live(&res->records[i]) || res->records[i].excluded) return false;
        sum += res->records[i].value;
    }
    *out = sum;
    return true;
}

/* A provider's figure that may be looked at: live, of a provider, mapped. */
static bool provider_figure(const vctx *v, size_t i)
{
    const record *r = &v->res->records[i];
    const rmeta mv = meta_of(v, i), *mt = &mv;
    return live(r) && mt->unit >= 0 && v->cfg->units[mt->unit].kind == CONFIG_PROVIDER && mt->metric >= 0 &&
           mt->group >= 0 && mt->bd >= 0;
}

/* What each provider gives, per plan year: the columns (metric × breakdown)
 * and the rows (groups) holding a figure above 0 somewhere in its live
 * records of that year. A school's form keeps every column of Biểu 02, blank
 * (0) where it trains nobody; comparing those zeros with the units' trainings
 * elsewhere says nothing (issue 12: half of all findings were such). */
typedef struct {
    bool *col;                  /* [unit][year][metric][bd]                        */
    bool *row;                  /* [unit][year][group]                             */
} provider_gives;

static size_t gives_col_ix(const vctx *v, int u, int y, int m, int b)
{
    const struct config *c = v->cfg;
    return (((size_t)u * (size_t)v->nyears + (size_t)y) * c->n_metrics + (size_t)m) * c->n_breakdowns + (size_t)b;
}

static size_t gives_row_ix(const vctx *v, int u, int y, int g)
{
    return ((size_t)u * (size_t)v->nyears + (size_t)y) * v->cfg->n_groups + (size_t)g;
}

/* Fill g; false on out of memory. */
static bool provider_gives_build(const vctx *v, provider_gives *g)
{
    const struct config *c = v->cfg;
    size_t ny = v->nyears > 0 ? (size_t)v->nyears : 1;
    g->col = calloc(c->n_units * ny * c->n_metrics * c->n_breakdowns + 1, sizeof *g->col);
    g->row = calloc(c->n_units * ny * c->n_groups + 1, sizeof *g->row);
    if (!g->col || !g->row) return false;
    for (size_t i = 0; i < v->res->nrecords; i++) {
        const record *r = &v->res->records[i];
        const rmeta mv = meta_of(v, i), *mt = &mv;
        int y = r->year - v->year0;
        if (!provider_figure(v, i) || y < 0 || y >= v->nyears || !(r->value > 0)) continue;
        g->col[gives_col_ix(v, mt->unit, y, mt->metric, mt->bd)] = true;
        g->row[gives_row_ix(v, mt->unit, y, mt->group)] = true;
    }
    return true;
}

/* Each provider figure against the sum of the counted units' figures, on
 * the contents and groups the provider gives that year (provider_gives).
 * False on out of memory. */
static bool check_providers(vctx *v)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    provider_gives gives = {NULL, NULL};
    if (!provider_gives_build(v, &gives)) {
        free(gives.col);
        free(gives.row);
        return false;
    }
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        const rmeta mv = meta_of(v, i), *mt = &mv;
        if (!provider_figure(v, i)) continue;
        int y = r->year - v->year0;
        if (y >= 0 && y < v->nyears &&
            (!gives.col[gives_col_ix(v, mt->unit, y, mt->metric, mt->bd)] ||
             !gives.row[gives_row_ix(v, mt->unit, y, mt->group)]))
            continue;
        double sum = 0;
        size_t nunits = 0;
        for (size_t u = 0; u < c->n_units; u++) {
            if (c->units[u].kind == CONFIG_PROVIDER) continue;
            double f;
            if (unit_figure(v, (int)u, r->year, mt->group, mt->metric, mt->bd, &f)) {
                sum += f;
                nunits++;
            }
        }
        double gap = fabs(r->value - sum);
        if (sum > 0 ? gap <= c->checks.provider_gap * sum + 1e-9 : r->value <= 0) continue;
        char loc[300], what[600], a[32], b[32];
        rec_loc(v, i, loc, sizeof loc);
        rec_what(v, i, what, sizeof what);
        rec_finding(v, SEV_WARNING, "provider_gap", i,
                    "Số liệu %s năm %d: cơ sở đào tạo báo cáo %s tại %s, nhưng %zu đơn vị báo cáo cộng lại là %s "
                    "(lệch quá %.0f%%) — đối chiếu danh sách học viên với các đơn vị.",
                    what, r->year, num(r->value, a), loc, nunits, num(sum, b), 100.0 * c->checks.provider_gap);
    }
    free(gives.col);
    free(gives.row);
    return true;
}

/* ---- 11. coverage --------------------------------------------------------------------------- */

/* Active agencies and districts that sent nothing for a year the run covers. */
static void check_coverage(vctx *v, const bool *rep)
{
    results *res = v->res;
    const struct config *c = v->cfg;
    for (int y = 0; y < v->nyears; y++) {
        int year = v->year0 + y;
        bool covered = false;
        for (size_t s = 0; s < res->nsources && !covered; s++)
            covered = res->sources[s].status == SRC_ACCEPTED && res->sources[s].year == year;
        if (!covered) continue;
        for (size_t u = 0; u < c->n_units; u++) {
            const struct config_unit *un = &c->units[u];
            if (un->kind == CONFIG_PROVIDER || !config_unit_active_in_year(un, year)) continue;
            if (did_report(v, rep, (int)u, year) || covering_successor(v, rep, (int)u, year)) continue;
            results_add_finding(res, SEV_WARNING, "unit_missing_report", RESULTS_NO_SOURCE, NULL, NULL, un->code,
                                year,
                                "%s chưa gửi báo cáo kết quả đào tạo, bồi dưỡng năm %d (không có tệp nào "
                                "của đơn vị cho năm này) — đề nghị đơn vị gửi báo cáo.",
                                un->name, year);
        }
    }
}

/* ---- public ------------------------------------------------------------------------------- */

/* See validate.h: the steps in order. */
void validate_run(const struct config *cfg, results *res)
{
    if (!cfg || !res || res->oom) return;
    vctx v;
    memset(&v, 0, sizeof v);
    v.cfg = cfg;
    v.res = res;
    v.year0 = cfg->plan.first_year;
    v.nyears = cfg->plan.last_year >= cfg->plan.first_year ? cfg->plan.last_year - cfg->plan.first_year + 1 : 0;
    v.headcount = metric_ix(cfg, "headcount");
    bool *rep = NULL;
    uint64_t *present = NULL;
    v.carried = calloc(res->nsources + 1, sizeof *v.carried);
    v.lost = calloc(res->nsources + 1, sizeof *v.lost);
    if (!v.carried || !v.lost) goto oom;

    if (!resolve_submissions(&v)) goto oom;
    rep = reported_table(&v);
    if (!rep) goto oom;
    exclude_uncounted(&v, rep);

    /* the maps hold the rows that count: superseded resubmissions take no slot */
    size_t live = 0;
    for (size_t i = 0; i < res->nrecords; i++) live += !res->records[i].superseded;
    if (!map_init(&v.in_src, live, true) || !map_init(&v.eff, live, false)) goto oom;
    for (size_t i = 0; i < res->nrecords; i++) {
        const rmeta mv = meta_of(&v, i), *mt = &mv;
        if (res->records[i].superseded || mt->group < 0 || mt->metric < 0 || mt->bd < 0) continue;
        map_put(&v, &v.in_src, i);
        if (mt->unit >= 0) map_put(&v, &v.eff, i);
    }

    check_counts(&v);
    if (!check_part_over_whole(&v)) goto oom;
    check_parts_sum(&v);
    present = groups_present(&v);
    if (!present) goto oom;
    check_totals(&v, present);
    check_groups_missing(&v, present);
    check_year_on_year(&v);
    if (!check_providers(&v)) goto oom;
    check_coverage(&v, rep);

    /* a file whose every figure was rejected is rejected */
    size_t *alive = calloc(res->nsources + 1, sizeof *alive), *any = calloc(res->nsources + 1, sizeof *any);
    if (!alive || !any) {
        free(alive);
        free(any);
        goto oom;
    }
    for (size_t i = 0; i < res->nrecords; i++) {
        const record *r = &res->records[i];
        if (r->source >= res->nsources) continue;
        any[r->source]++;
        alive[r->source] += !r->rejected;
    }
    for (size_t s = 0; s < res->nsources; s++)
        if (res->sources[s].status == SRC_ACCEPTED && any[s] && !alive[s]) res->sources[s].status = SRC_REJECTED;
    free(alive);
    free(any);
    goto done;
oom:
    res->oom = true;
done:
    free(present);
    free(rep);
    free(v.in_src.slot);
    free(v.eff.slot);
    free(v.carried);
    free(v.lost);
}
