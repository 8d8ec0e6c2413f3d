/* pipeline/results.c — records, findings and sources of a run (see results.h). */
#include "pipeline/results.h"

#include "base/buf.h"
#include "base/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- private ------------------------------------------------------------------ */

/* ---- public ------------------------------------------------------------------- */

const char *severity_name(severity s)
{
    switch (s) {
    case SEV_ERROR: return "error";
    case SEV_WARNING: return "warning";
    case SEV_INFO: return "info";
    }
    return "error";
}

const char *source_status_name(source_status s)
{
    switch (s) {
    case SRC_ACCEPTED: return "accepted";
    case SRC_SUPERSEDED: return "superseded";
    case SRC_REJECTED: return "rejected";
    }
    return "rejected";
}

void results_init(results *r, const struct config *cfg)
{
    memset(r, 0, sizeof *r);
    arena_init(&r->mem);
    r->cfg = cfg;
}

void results_free(results *r)
{
    free(r->sources);
    free(r->records);
    free(r->findings);
    free(r->totals);
    arena_free(&r->mem);
    memset(r, 0, sizeof *r);
}

const char *results_str(results *r, const char *s)
{
    const char *p = arena_strdup(&r->mem, s ? s : "");
    if (!p) r->oom = true;
    return p;
}

uint32_t results_add_source(results *r, const char *path)
{
    if (r->nsources >= UINT32_MAX - 1 ||
        !buf_grow_array((void **)&r->sources, &r->capsources, r->nsources + 1, sizeof *r->sources)) {
        r->oom = true;
        return RESULTS_NO_SOURCE;
    }
    source_file *s = &r->sources[r->nsources];
    memset(s, 0, sizeof *s);
    /* the one place a source's name is made valid UTF-8 (DESIGN §7): every
     * output shows the same repaired name */
    buf fixed = BUF_INIT;
    size_t bad = text_utf8_repair(path, strlen(path), &fixed);
    s->path = fixed.oom ? NULL : results_str(r, buf_str(&fixed));
    buf_free(&fixed);
    if (!s->path) {
        r->oom = true;
        return RESULTS_NO_SOURCE;
    }
    uint32_t src = (uint32_t)r->nsources++;
    if (bad)
        results_add_finding(r, SEV_INFO, "file_name_repaired", src, NULL, NULL, NULL, 0,
                            "Tên tệp có %zu đoạn byte không phải UTF-8 (tên đặt theo bảng mã cũ), "
                            "đã thay bằng dấu \"�\" trong mọi kết quả — đổi tên tệp nếu cần đối chiếu",
                            bad);
    return src;
}

/* Index of an entity's code in the configuration, -1 when absent. */
static int16_t index_of(const void *ent, const void *base, size_t size)
{
    return ent ? (int16_t)(((const char *)ent - (const char *)base) / (ptrdiff_t)size) : -1;
}

/* The configuration's indices of a record's codes; an entity found, the
 * record keeps the configuration's own code text (no copy per record). */
static void resolve(const struct config *c, record *d)
{
    d->ui = d->gi = d->mi = d->bi = -1;
    if (!c) return;
    const struct config_unit *u = d->unit ? config_unit(c, d->unit) : NULL;
    const struct config_group *g = d->group ? config_group(c, d->group) : NULL;
    const struct config_metric *m = d->metric ? config_metric(c, d->metric) : NULL;
    const struct config_breakdown *b = d->breakdown ? config_breakdown(c, d->breakdown) : NULL;
    d->ui = index_of(u, c->units, sizeof *c->units);
    d->gi = index_of(g, c->groups, sizeof *c->groups);
    d->mi = index_of(m, c->metrics, sizeof *c->metrics);
    d->bi = index_of(b, c->breakdowns, sizeof *c->breakdowns);
}

/* Append a copy of rec (strings into the arena) to an array of records. */
static record *add_to(results *r, record **arr, size_t *n, size_t *cap, const record *rec, bool resolved)
{
    if (!buf_grow_array((void **)arr, cap, *n + 1, sizeof **arr)) {
        r->oom = true;
        return NULL;
    }
    record *d = &(*arr)[*n];
    *d = *rec;
    if (!resolved) resolve(r->cfg, d);   /* a merged part's records were, once */
    const struct config *c = r->cfg;
    d->unit = d->ui >= 0 ? c->units[d->ui].code : results_str(r, rec->unit);
    d->group = d->gi >= 0 ? c->groups[d->gi].code : results_str(r, rec->group);
    d->metric = d->mi >= 0 ? c->metrics[d->mi].code : results_str(r, rec->metric);
    d->breakdown = d->bi >= 0 ? c->breakdowns[d->bi].code : results_str(r, rec->breakdown);
    /* a workbook's values come sheet by sheet: the record before holds the
     * same name most of the time, and its copy is shared (memory per record) */
    const char *sheet = rec->sheet ? rec->sheet : "";
    const record *prev = *n ? &(*arr)[*n - 1] : NULL;
    d->sheet = prev && strcmp(prev->sheet, sheet) == 0 ? prev->sheet : results_str(r, sheet);
    if (r->oom) return NULL;
    (*n)++;
    return d;
}

record *results_add_record(results *r, const record *rec)
{
    record *d = add_to(r, &r->records, &r->nrecords, &r->caprecords, rec, false);
    if (d && rec->source < r->nsources) r->sources[rec->source].records++;
    return d;
}

record *results_add_total(results *r, const record *rec)
{
    return add_to(r, &r->totals, &r->ntotals, &r->captotals, rec, false);
}

finding *results_add_finding(results *r, severity sev, const char *rule, uint32_t src,
                             const char *sheet, const char *cell, const char *unit, int year,
                             const char *fmt, ...)
{
    if (!buf_grow_array((void **)&r->findings, &r->capfindings, r->nfindings + 1, sizeof *r->findings)) {
        r->oom = true;
        return NULL;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    finding *f = &r->findings[r->nfindings];
    memset(f, 0, sizeof *f);
    f->sev = sev;
    f->rule = results_str(r, rule);
    f->source = src;
    f->sheet = results_str(r, sheet);
    snprintf(f->cell, sizeof f->cell, "%s", cell ? cell : "");
    f->unit = results_str(r, unit);
    f->year = year;
    /* a cut at the buffer's end, or a name's stray bytes, never leave
     * invalid UTF-8 in a message */
    if (text_utf8_valid(msg, strlen(msg))) {
        f->message = results_str(r, msg);
    } else {
        buf fixed = BUF_INIT;
        text_utf8_repair(msg, strlen(msg), &fixed);
        f->message = fixed.oom ? NULL : results_str(r, buf_str(&fixed));
        if (!f->message) r->oom = true;
        buf_free(&fixed);
    }
    if (r->oom) return NULL;
    if (src < r->nsources) {
        if (sev == SEV_ERROR) r->sources[src].errors++;
        else if (sev == SEV_WARNING) r->sources[src].warnings++;
    }
    r->nfindings++;
    return f;
}

/* The source index src of a part, shifted by base. */
static uint32_t shifted(uint32_t src, size_t base)
{
    return src == RESULTS_NO_SOURCE ? src : (uint32_t)(src + base);
}

/* Append part's records (or totals) to r's, sources shifted by base. */
static void merge_records(results *r, record **arr, size_t *n, size_t *cap, const record *from,
                          size_t count, size_t base, const struct config *part_cfg)
{
    for (size_t i = 0; i < count && !r->oom; i++) {
        record rec = from[i];
        rec.source = shifted(rec.source, base);
        add_to(r, arr, n, cap, &rec, r->cfg == part_cfg);
    }
}

bool results_merge(results *r, const results *part)
{
    size_t base = r->nsources;
    if (r->nsources + part->nsources >= UINT32_MAX - 1 ||
        !buf_grow_array((void **)&r->sources, &r->capsources, r->nsources + part->nsources,
                        sizeof *r->sources)) {
        r->oom = true;
        return false;
    }
    for (size_t i = 0; i < part->nsources && !r->oom; i++) {
        source_file *s = &r->sources[r->nsources];
        *s = part->sources[i];
        s->path = results_str(r, s->path);
        if (s->unit) s->unit = results_str(r, s->unit);
        if (!r->oom) r->nsources++;
    }
    merge_records(r, &r->records, &r->nrecords, &r->caprecords, part->records, part->nrecords, base, part->cfg);
    merge_records(r, &r->totals, &r->ntotals, &r->captotals, part->totals, part->ntotals, base, part->cfg);
    for (size_t i = 0; i < part->nfindings && !r->oom; i++) {
        if (!buf_grow_array((void **)&r->findings, &r->capfindings, r->nfindings + 1, sizeof *r->findings)) {
            r->oom = true;
            break;
        }
        finding *f = &r->findings[r->nfindings];
        *f = part->findings[i];
        f->source = shifted(f->source, base);
        f->rule = results_str(r, f->rule);
        f->sheet = results_str(r, f->sheet);
        f->unit = results_str(r, f->unit);
        f->message = results_str(r, f->message);
        if (!r->oom) r->nfindings++;
    }
    if (part->oom) r->oom = true;
    return !r->oom;
}

void results_drop_superseded(results *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nrecords; i++)
        if (!r->records[i].superseded) r->records[n++] = r->records[i];
    r->nrecords = n;
    if (n < r->caprecords) {
        /* shrink to fit; kept as it is when the smaller block is refused */
        record *q = n ? realloc(r->records, n * sizeof *q) : NULL;
        if (!n) free(r->records);
        if (q || !n) {
            r->records = q;
            r->caprecords = n;
        }
    }
    free(r->totals);
    r->totals = NULL;
    r->ntotals = r->captotals = 0;
}

size_t results_count(const results *r, severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nfindings; i++) n += r->findings[i].sev == sev;
    return n;
}

bool results_record_listed(const record *rec)
{
    return !rec->superseded && !rec->rejected;
}

size_t results_records_listed(const results *r, uint32_t src)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nrecords; i++)
        n += results_record_listed(&r->records[i]) && (src == RESULTS_NO_SOURCE || r->records[i].source == src);
    return n;
}

/* One record per value read: keep it unpadded (results.h). */
_Static_assert(sizeof(void *) != 8 || sizeof(record) == 80, "record is padded");
