/* pipeline/validate.c — validation and resubmissions (see validate.h for the
 * contract): the key maps, the wording of findings, which submission wins,
 * the reorganization, the counts, and validate_run; the checks within the
 * figures kept are pipeline/validate_checks.c. */
#include "pipeline/validate.h"
#include "pipeline/validate_private.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "input/workbook.h"

/* ---- the key map ---------------------------------------------------------------------- */

/* The key of record i in a map of this kind. */
vkey vd_key_of(const vctx *v, bool by_source, size_t i)
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
    vkey k = vd_key_of(v, m->by_source, i);
    for (size_t s = key_hash(k) & m->mask;; s = (s + 1) & m->mask) {
        if (!m->slot[s]) {
            m->slot[s] = (uint32_t)i + 1;
            return;
        }
        if (key_eq(vd_key_of(v, m->by_source, m->slot[s] - 1), k)) return;
    }
}

/* The record under key k, NO_REC when none. */
size_t vd_map_get(const vctx *v, const vmap *m, vkey k)
{
    if (k.g < 0 || k.m < 0 || k.b < 0) return NO_REC;
    for (size_t s = key_hash(k) & m->mask; m->slot[s]; s = (s + 1) & m->mask)
        if (key_eq(vd_key_of(v, m->by_source, m->slot[s] - 1), k)) return m->slot[s] - 1;
    return NO_REC;
}

/* The live record under k (NO_REC when absent, rejected or superseded). */
size_t vd_get_live(const vctx *v, const vmap *m, vkey k)
{
    size_t i = vd_map_get(v, m, k);
    return i != NO_REC && live(&v->res->records[i]) ? i : NO_REC;
}

/* Key of record i with group, metric and breakdown replaced. */
vkey vd_key_with(const vctx *v, bool by_source, size_t i, int g, int m, int b)
{
    vkey k = vd_key_of(v, by_source, i);
    k.g = g;
    k.m = m;
    k.b = b;
    return k;
}

/* ---- messages ------------------------------------------------------------------------ */

/* "Bieu 1!D15": where a record's value sits. */
void vd_rec_loc(const vctx *v, size_t i, char *out, size_t n)
{
    const record *r = &v->res->records[i];
    char cell[16];
    wb_cell_ref(r->row, r->col, cell);
    snprintf(out, n, "%s!%s", r->sheet, cell);
}

/* "cột "Đào tạo: Đại học" (Nữ), dòng "Viên chức"": what a record is, in the form's words. */
void vd_rec_what(const vctx *v, size_t i, char *out, size_t n)
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
const char *vd_num(double x, char out[32])
{
    wb_number_str(x, out);
    return out;
}

/* Add a finding on record i's cell (unit, year, file and sheet of the record). */
void vd_finding(vctx *v, severity sev, const char *rule, size_t i, const char *fmt, ...)
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
void vd_reject(vctx *v, size_t i)
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
double vd_tolerance(const vctx *v, int m)
{
    bool money = m >= 0 && v->cfg->metrics[m].value == CONFIG_VALUE_MONEY;
    return (money ? v->cfg->checks.sum_money : v->cfg->checks.sum_count) + 1e-9;
}

/* "Biểu 01" for a table number. */
void vd_table_name(int t, char out[32])
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
                vd_table_name(t2, tn);
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
        int u = PIX(c->units, config_unit(c, sf->unit)), y = sf->year - v->year0;
        if (u >= 0 && y >= 0 && y < v->nyears) rep[(size_t)u * (size_t)v->nyears + (size_t)y] = true;
    }
    return rep;
}

/* True when unit u reported year (plan years only). */
bool vd_did_report(const vctx *v, const bool *rep, int u, int year)
{
    int y = year - v->year0;
    return u >= 0 && y >= 0 && y < v->nyears && rep[(size_t)u * (size_t)v->nyears + (size_t)y];
}

/* The successor (or theirs) of unit u that reported year, when year is the
 * year u's validity ends; NULL otherwise. */
const struct config_unit *vd_covering_successor(const vctx *v, const bool *rep, int u, int year)
{
    const struct config_unit *un = &v->cfg->units[u];
    if (!un->successor || un->valid_to.year != year) return NULL;
    int guard = 0;
    for (const struct config_unit *s = un->successor; s && guard < 64; s = s->successor, guard++)
        if (vd_did_report(v, rep, (int)(s - v->cfg->units), year)) return s;
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
        int u = PIX(c->units, config_unit(c, sf->unit));
        if (u < 0) continue;
        const struct config_unit *succ = vd_covering_successor(v, rep, u, sf->year);
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
            vd_rec_loc(v, i, loc, sizeof loc);
            vd_rec_what(v, i, what, sizeof what);
            vd_finding(v, SEV_ERROR, "negative_count", i,
                        "Số người không được âm: %s là %s tại %s — sửa lại số liệu (số này không được tính).",
                        what, vd_num(r->value, a), loc);
            vd_reject(v, i);
        } else if (r->value != floor(r->value)) {
            vd_rec_loc(v, i, loc, sizeof loc);
            vd_rec_what(v, i, what, sizeof what);
            vd_finding(v, SEV_ERROR, "fractional_count", i,
                        "Số người phải là số nguyên: %s là %s tại %s — sửa lại số liệu (số này không được "
                        "tính).",
                        what, vd_num(r->value, a), loc);
            vd_reject(v, i);
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
    v.headcount = PIX(cfg->metrics, config_metric(cfg, "headcount"));
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
    if (!vd_check_part_over_whole(&v)) goto oom;
    vd_check_parts_sum(&v);
    present = vd_groups_present(&v);
    if (!present) goto oom;
    vd_check_totals(&v, present);
    vd_check_groups_missing(&v, present);
    vd_check_year_on_year(&v);
    if (!vd_check_providers(&v)) goto oom;
    vd_check_coverage(&v, rep);

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
