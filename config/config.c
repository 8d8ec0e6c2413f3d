/*
 * config/config.c — load and check the YAML configuration (see config.h).
 *
 * Two steps. First the YAML is read with libyaml's event API into a small
 * tree of nodes that remember their line and column; that step rejects what
 * YAML itself lets through (invalid UTF-8 is caught before libyaml sees it,
 * aliases, duplicate keys, more than one document). Then the tree is walked
 * section by section against a closed schema: every key must be known, every
 * scalar is typed here (libyaml only ever returns strings), and every
 * reference is resolved to a pointer. Sections are loaded in dependency order
 * (tables, breakdowns, headings, units, groups, metrics, indicators) so that
 * a reference always points into a section that is already complete.
 *
 * The steps live in config_yaml.c (the tree, errors and schema helpers) and
 * config_load.c (the sections); this file holds the public functions
 * (config_private.h says who shares what).
 */
#include "config/config.h"
#include "config/config_private.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config/default_yaml.h"
#include "base/buf.h"
#include "base/fold.h"
#include "base/text.h"
#include "base/syserr.h"

/* ======================================================================== */
/* Public: loading                                                          */
/* ======================================================================== */

/* ==== hashed lookups by code ============================================ */

static uint32_t code_hash(const char *s)
{
    uint32_t h = 2166136261u;   /* FNV-1a */
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The index of n entries of `size` bytes whose code field is at offset `off`
 * (the first of equal codes wins, as the linear search did). */
static bool index_section(struct config *cfg, struct config_code_index *ix, const void *arr, size_t n,
                          size_t size, size_t off)
{
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    ix->slot = arena_alloc(&cfg->mem, cap * sizeof *ix->slot);
    if (!ix->slot) return false;
    memset(ix->slot, 0, cap * sizeof *ix->slot);
    ix->cap = cap;
    for (size_t i = 0; i < n; i++) {
        const char *code = *(const char *const *)((const char *)arr + i * size + off);
        if (!code) continue;
        size_t k = code_hash(code) & (cap - 1);
        bool dup = false;
        for (; ix->slot[k]; k = (k + 1) & (cap - 1)) {
            const char *other = *(const char *const *)((const char *)arr + (ix->slot[k] - 1) * size + off);
            if (strcmp(other, code) == 0) dup = true;
        }
        if (!dup) ix->slot[k] = (uint32_t)i + 1;
    }
    return true;
}

static bool index_codes(struct config *cfg)
{
    return index_section(cfg, &cfg->ix_units, cfg->units, cfg->n_units, sizeof *cfg->units,
                         offsetof(struct config_unit, code)) &&
           index_section(cfg, &cfg->ix_groups, cfg->groups, cfg->n_groups, sizeof *cfg->groups,
                         offsetof(struct config_group, code)) &&
           index_section(cfg, &cfg->ix_metrics, cfg->metrics, cfg->n_metrics, sizeof *cfg->metrics,
                         offsetof(struct config_metric, code)) &&
           index_section(cfg, &cfg->ix_breakdowns, cfg->breakdowns, cfg->n_breakdowns, sizeof *cfg->breakdowns,
                         offsetof(struct config_breakdown, code));
}

struct config *config_load_buffer(const char *data, size_t len, const char *name,
                                  struct config_error *err)
{
    struct config_error scratch;
    if (!err) err = &scratch;
    memset(err, 0, sizeof *err);
    if (!name) name = "<cấu hình>";
    int k = snprintf(err->file, sizeof err->file, "%s", name);
    (void)k;
    struct config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        cy_set_error(err, DTBD_ERR_NOMEM, name, "không đủ bộ nhớ");
        return NULL;
    }
    arena_init(&cfg->mem);
    struct ctx x = {cfg, err, false};
    char *text = arena_strndup(&cfg->mem, data, len);
    cfg->source = arena_strdup(&cfg->mem, name);
    if (!text || !cfg->source) {
        cy_fail_at(&x, 0, 0, "không đủ bộ nhớ");
    } else {
        cfg->text = text;
        cfg->text_len = len;
        const struct ynode *root = cy_parse_tree(&x, data, len);
        if (root) cl_load_root(&x, root);
        if (!x.failed && !index_codes(cfg)) cy_fail_at(&x, 0, 0, "không đủ bộ nhớ");
    }
    if (x.failed) {
        config_free(cfg);
        return NULL;
    }
    return cfg;
}

struct config *config_load_file(const char *path, struct config_error *err)
{
    struct config_error scratch;
    if (!err) err = &scratch;
    FILE *f = fopen(path, "rb");
    if (!f) {
        char msg[256];
        const char *why = syserr_text(errno, SYSERR_READ);
        int k = snprintf(msg, sizeof msg, "không mở được tệp cấu hình: %s", why);
        (void)k;
        cy_set_error(err, DTBD_ERR_IO, path, msg);
        return NULL;
    }
    buf b = BUF_INIT;
    char chunk[8192];
    size_t got;
    bool too_big = false;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(&b, chunk, got);
        if (b.len > MAX_FILE) { too_big = true; break; }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    struct config *cfg = NULL;
    if (bad) cy_set_error(err, DTBD_ERR_IO, path, "lỗi khi đọc tệp cấu hình");
    else if (too_big) cy_set_error(err, DTBD_ERR_LIMIT, path, "tệp cấu hình quá lớn (tối đa 16 MiB)");
    else if (b.oom) cy_set_error(err, DTBD_ERR_NOMEM, path, "không đủ bộ nhớ");
    else cfg = config_load_buffer(buf_str(&b), b.len, path, err);
    buf_free(&b);
    return cfg;
}

const char *config_default_text(size_t *len)
{
    if (len) *len = config_default_yaml_len;
    return (const char *)config_default_yaml;
}

struct config *config_load_default(struct config_error *err)
{
    size_t len;
    const char *text = config_default_text(&len);
    return config_load_buffer(text, len, "default.yaml", err);
}

void config_free(struct config *cfg)
{
    if (!cfg) return;
    arena_free(&cfg->mem);
    free(cfg);
}

/* ======================================================================== */
/* Public: lookups                                                          */
/* ======================================================================== */

/* Linear search by code: sections hold dozens of entries, not thousands. */
#define FIND(arr, n, field, key)                                              \
    do {                                                                      \
        if (!cfg || !(key)) return NULL;                                      \
        for (size_t i = 0; i < (n); i++)                                      \
            if ((arr)[i].field && strcmp((arr)[i].field, (key)) == 0) return &(arr)[i]; \
        return NULL;                                                          \
    } while (0)

const struct config_table *config_table(const struct config *cfg, const char *code)
{ FIND(cfg->tables, cfg->n_tables, code, code); }

/* A hashed section: the index's entry equal to key, or NULL (linear when
 * the configuration was not made by config_load_*: no index). */
#define HFIND(arr, n, ix, key)                                                \
    do {                                                                      \
        if (!cfg || !(key)) return NULL;                                      \
        if (!(ix).cap) FIND(arr, n, code, key);                               \
        for (size_t k = code_hash(key) & ((ix).cap - 1); (ix).slot[k]; k = (k + 1) & ((ix).cap - 1)) \
            if (strcmp((arr)[(ix).slot[k] - 1].code, (key)) == 0) return &(arr)[(ix).slot[k] - 1]; \
        return NULL;                                                          \
    } while (0)

const struct config_breakdown *config_breakdown(const struct config *cfg, const char *code)
{ HFIND(cfg->breakdowns, cfg->n_breakdowns, cfg->ix_breakdowns, code); }

const struct config_heading *config_heading(const struct config *cfg, const char *code)
{ FIND(cfg->headings, cfg->n_headings, code, code); }

const struct config_group *config_group(const struct config *cfg, const char *code)
{ HFIND(cfg->groups, cfg->n_groups, cfg->ix_groups, code); }

const struct config_metric *config_metric(const struct config *cfg, const char *code)
{ HFIND(cfg->metrics, cfg->n_metrics, cfg->ix_metrics, code); }

const struct config_indicator *config_indicator(const struct config *cfg, const char *id)
{ FIND(cfg->indicators, cfg->n_indicators, id, id); }

const struct config_rule *config_rule(const struct config *cfg, const char *code)
{ FIND(cfg->rules, cfg->n_rules, code, code); }

const char *config_rule_label(const struct config *cfg, const char *code)
{
    const struct config_rule *r = config_rule(cfg, code);
    return r ? r->label : NULL;
}

const struct config_unit *config_unit(const struct config *cfg, const char *code)
{ HFIND(cfg->units, cfg->n_units, cfg->ix_units, code); }

/* ======================================================================== */
/* Public: questions                                                        */
/* ======================================================================== */

bool config_metric_allows(const struct config_metric *m, const struct config_breakdown *b)
{
    for (size_t i = 0; i < m->n_breakdowns; i++)
        if (m->breakdowns[i] == b) return true;
    return false;
}

bool config_group_in_table(const struct config_group *g, const struct config_table *t)
{
    for (size_t i = 0; i < g->n_tables; i++)
        if (g->tables[i] == t) return true;
    return false;
}

bool config_metric_applies(const struct config_metric *m, const struct config_group *g)
{
    if (!m->n_applies_to) return true;
    for (size_t steps = 0; g && steps < 64; steps++) {
        for (size_t i = 0; i < m->n_applies_to; i++)
            if (m->applies_to[i] == g) return true;
        g = g->part_of ? g->part_of : g->subset_of;
    }
    return false;
}

bool config_table_reported_by(const struct config_table *t, enum config_unit_kind k)
{
    return (int)k >= 0 && k < CONFIG_UNIT_KIND_COUNT && t->reported_by[k];
}

bool config_group_required_of(const struct config_group *g, const struct config_unit *u)
{
    if (g->required_kind[u->kind]) return true;
    for (size_t i = 0; i < g->n_required_units; i++)
        if (g->required_units[i] == u) return true;
    return false;
}

int config_date_cmp(struct config_date a, struct config_date b)
{
    long x = a.year * 10000L + a.month * 100L + a.day;
    long y = b.year * 10000L + b.month * 100L + b.day;
    return (x > y) - (x < y);
}

bool config_unit_active_on(const struct config_unit *u, struct config_date d)
{
    if (u->valid_from.year && config_date_cmp(d, u->valid_from) < 0) return false;
    if (u->valid_to.year && config_date_cmp(d, u->valid_to) > 0) return false;
    return true;
}

bool config_unit_active_in_year(const struct config_unit *u, int year)
{
    if (u->valid_from.year && year < u->valid_from.year) return false;
    if (u->valid_to.year && year > u->valid_to.year) return false;
    return true;
}

const struct config_unit *config_unit_final(const struct config_unit *u)
{
    /* Loading guarantees the chain is finite (valid_to strictly increases). */
    while (u && u->successor) u = u->successor;
    return u;
}

void config_date_format(struct config_date d, char out[11])
{
    if (!d.year) { out[0] = '\0'; return; }
    /* Digit by digit: always exactly 10 characters, whatever the fields hold. */
    unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 100u,
             dd = (unsigned)d.day % 100u;
    const char s[11] = {(char)('0' + y / 1000u), (char)('0' + y / 100u % 10u),
                        (char)('0' + y / 10u % 10u), (char)('0' + y % 10u), '-',
                        (char)('0' + m / 10u), (char)('0' + m % 10u), '-',
                        (char)('0' + dd / 10u), (char)('0' + dd % 10u), '\0'};
    memcpy(out, s, sizeof s);
}




const char *config_unit_kind_name(enum config_unit_kind k)
{
    switch (k) {
    case CONFIG_AGENCY: return "agency";
    case CONFIG_DISTRICT: return "district";
    case CONFIG_PROVIDER: return "provider";
    default: return "?";
    }
}

const char *config_value_kind_name(enum config_value_kind k)
{
    return k == CONFIG_VALUE_MONEY ? "money" : "count";
}

const char *config_indicator_kind_name(enum config_indicator_kind k)
{
    switch (k) {
    case CONFIG_ANNUAL: return "annual";
    case CONFIG_BY_DEADLINE: return "by_deadline";
    case CONFIG_ROLLING: return "rolling";
    default: return "?";
    }
}



bool config_unit_has_group(const struct config_unit *u, const struct config_group *g)
{
    for (int depth = 0; g && depth < 8; depth++) {
        if (config_group_required_of(g, u)) return true;
        g = g->part_of ? g->part_of : g->subset_of;
    }
    return false;
}

bool config_unit_offers(const struct config_unit *u, const struct config_metric *m)
{
    for (size_t i = 0; u && i < u->n_offers; i++)
        if (u->offers[i] == m) return true;
    return false;
}

void config_metric_title(const struct config_metric *m, char *out, size_t n)
{
    if (m->heading) snprintf(out, n, "%s %s", m->heading->label, m->label);
    else snprintf(out, n, "%s", m->label);
}
