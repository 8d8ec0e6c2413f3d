/*
 * pipeline/validate_private.h — what pipeline/validate.c (the submissions,
 * the reorganization, the counts) and validate_checks.c (the checks within
 * the figures kept) share: the run's context, its key maps and the helpers
 * that place and word a finding. No ownership beyond validate.h's.
 */
#ifndef DTBD_PIPELINE_VALIDATE_PRIVATE_H
#define DTBD_PIPELINE_VALIDATE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pipeline/validate.h"

#define NONE (-1)
#define NO_REC SIZE_MAX
#define MAX_TABLES 16
/* Group sets are bit masks; a config with more groups skips the checks that need them. */
#define MAX_GROUPS 64

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

/* One validate_run: the configuration, the results it checks, its maps. */
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

/* Index of a config entity pointer within its array (NONE for NULL): with
 * config_unit() and its kind, an entity's index by code. */
#define PIX(arr, p) ((p) ? (int)((p) - (arr)) : NONE)

/* True when the record may be looked at: not superseded, not rejected. */
static inline bool live(const record *r) { return !r->superseded && !r->rejected; }

/* Record i's config entities, as results_add_record resolved them (read from
 * the record each time: a copy per record would grow with the files). */
static inline rmeta meta_of(const vctx *v, size_t i)
{
    const record *r = &v->res->records[i];
    return (rmeta){.unit = r->ui, .group = r->gi, .metric = r->mi, .bd = r->bi};
}

/* The key of record i in a map of this kind. */
vkey vd_key_of(const vctx *v, bool by_source, size_t i);

/* The record under key k, NO_REC when none. */
size_t vd_map_get(const vctx *v, const vmap *m, vkey k);

/* The live record under k (NO_REC when absent, rejected or superseded). */
size_t vd_get_live(const vctx *v, const vmap *m, vkey k);

/* Key of record i with group, metric and breakdown replaced. */
vkey vd_key_with(const vctx *v, bool by_source, size_t i, int g, int m, int b);

/* "Bieu 1!D15": where a record's value sits. */
void vd_rec_loc(const vctx *v, size_t i, char *out, size_t n);

/* "cột "Đào tạo: Đại học" (Nữ), dòng "Viên chức"": what a record is, in the form's words. */
void vd_rec_what(const vctx *v, size_t i, char *out, size_t n);

/* A number as the outputs write it. */
const char *vd_num(double x, char out[32]);

/* Add a finding on record i's cell (unit, year, file and sheet of the record). */
__attribute__((format(printf, 5, 6)))
void vd_finding(vctx *v, severity sev, const char *rule, size_t i, const char *fmt, ...);

/* Reject record i: it is no longer a figure, its cell counts as rejected. */
void vd_reject(vctx *v, size_t i);

/* Tolerance when adding values of metric m. */
double vd_tolerance(const vctx *v, int m);

/* "Biểu 01" for a table number. */
void vd_table_name(int t, char out[32]);

/* True when unit u reported year (plan years only). */
bool vd_did_report(const vctx *v, const bool *rep, int u, int year);

/* The successor (or theirs) of unit u that reported year, when year is the
 * year u's validity ends; NULL otherwise. */
const struct config_unit *vd_covering_successor(const vctx *v, const bool *rep, int u, int year);

/* Part over whole, steps (a) to (e) of validate.h. */
bool vd_check_part_over_whole(vctx *v);

/* Group rows (and breakdowns) against the sum of their parts in the same file. */
void vd_check_parts_sum(vctx *v);

/* Each "Tổng cộng" value against the sum of its table's top-level rows. */
void vd_check_totals(vctx *v, const uint64_t *present);

/* Per file and table: the groups the unit's kind must report that are not there. */
void vd_check_groups_missing(vctx *v, const uint64_t *present);

/* Cumulative metrics that fall, headcounts that jump (same unit code, year−1 → year). */
void vd_check_year_on_year(vctx *v);

/* Each provider figure against the sum of the counted units' figures, on
 * the contents and groups the provider gives that year (provider_gives).
 * False on out of memory. */
bool vd_check_providers(vctx *v);

/* Active agencies and districts that sent nothing for a year the run covers. */
void vd_check_coverage(vctx *v, const bool *rep);

/* Groups present per (source, table): bit g of present[src * MAX_TABLES + t]. */
uint64_t *vd_groups_present(const vctx *v);

#endif
