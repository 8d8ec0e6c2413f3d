/*
 * pipeline/results.h — the result types the stages after the readers share
 * (DESIGN §2, §6, §7): records (one figure with its provenance), findings
 * (what is wrong, where, and what to fix — in Vietnamese) and sources (one per
 * input file, with the counts that must reconcile: cells read = records +
 * cells rejected + cells outside the tables).
 *
 * Ownership: a `results` owns everything in it through one arena per run;
 * every string passed to a results_* function is copied. Pointers returned by
 * results_add_* stay valid until results_free() — but the arrays may move
 * when they grow, so keep indices, not pointers, across further adds.
 *
 * Failure: an allocation failure sets `oom` and the add returns NULL/-1; the
 * run checks `oom` once and reports it (nothing here aborts).
 */
#ifndef DTBD_PIPELINE_RESULTS_H
#define DTBD_PIPELINE_RESULTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "config/config.h"
#include "input/cell.h"

typedef enum { SEV_ERROR = 0, SEV_WARNING, SEV_INFO } severity;

/* "error", "warning", "info" (as written in issues.csv). */
const char *severity_name(severity s);

typedef enum { SRC_ACCEPTED = 0, SRC_SUPERSEDED, SRC_REJECTED } source_status;

/* "accepted", "superseded", "rejected" (as written in sources.csv). */
const char *source_status_name(source_status s);

#define RESULTS_NO_SOURCE UINT32_MAX

typedef struct {
    const char *path;         /* label: relative to the INPUT (cli/walk.h),
                                 valid UTF-8                                    */
    char sha256[65];          /* lower-case hex, "" when unreadable             */
    wb_format format;
    const char *unit;         /* unit code, NULL when unknown                   */
    int year;                 /* 0 when unknown                                 */
    source_status status;
    bool plan;                /* a unit's annual plan read beside the reports
                                 (DESIGN §10): no report, so status rejected,
                                 yet counted apart in the run's summary       */
    int report_date;          /* footer date as YYYYMMDD, 0 when none           */
    int64_t mtime;            /* modification time (seconds since the epoch)    */
    size_t records, errors, warnings;
    size_t cells_read;        /* non-empty cells in the workbook               */
    size_t cells_recorded;    /* … that became records                          */
    size_t cells_rejected;    /* … that became error findings instead           */
    size_t cells_outside;     /* … outside every table found (titles, footers)  */
} source_file;

typedef struct {
    /* (fields ordered so that none is padded: 80 bytes, one per value read,
     * superseded submissions included — the run's largest array) */
    uint32_t source;          /* index into results.sources                    */
    int year;
    const char *unit;         /* unit code                                      */
    const char *group;        /* group code, or "unmapped"                      */
    const char *metric;       /* metric code, or "unmapped"                     */
    const char *breakdown;    /* all / female / ethnic, or the funding source   */
    double value;
    const char *sheet;        /* shared by the records of one sheet in a row    */
    int table;                /* 1, 2, 3 (Biểu 01/02/03); 0 unknown              */
    uint32_t row, col;        /* the cell the value came from (0-based)         */
    /* The configuration's indices of unit, group, metric and breakdown (into
     * cfg->units, groups, metrics, breakdowns), -1 when the code is none of
     * its own ("unmapped", unknown, or no configuration). Set by
     * results_add_record / results_add_total — the one place a record's codes
     * are resolved; every stage after it reads these. */
    int16_t ui, gi, mi, bi;
    bool superseded;          /* a newer submission replaced it (not counted)   */
    bool rejected;            /* an error finding rejected this value           */
    bool excluded;            /* kept in records.csv but not counted (a merged
                                 unit's report when its successor reported too) */
} record;

typedef struct {
    severity sev;
    const char *rule;         /* stable code, e.g. "part_over_whole"            */
    uint32_t source;          /* index into results.sources, or RESULTS_NO_SOURCE */
    const char *sheet;        /* "" when not about a sheet                      */
    char cell[16];            /* A1, "" when not about a cell                    */
    const char *unit;         /* unit code, "" when unknown                      */
    int year;                 /* 0 when unknown                                  */
    const char *message;      /* Vietnamese, tells the unit what to fix          */
} finding;

typedef struct {
    arena mem;
    const struct config *cfg; /* resolves the records' codes; may be NULL    */
    source_file *sources;
    size_t nsources, capsources;
    record *records;
    size_t nrecords, caprecords;
    finding *findings;
    size_t nfindings, capfindings;
    record *totals;           /* "Tổng cộng" rows: checked, never recorded      */
    size_t ntotals, captotals;
    bool oom;
} results;

/* cfg (borrowed; it outlives r) resolves every record added (record.ui …);
 * NULL leaves them all -1. */
void results_init(results *r, const struct config *cfg);
void results_free(results *r);

/* Copy a string into the run's arena ("" for NULL); NULL on out of memory. */
const char *results_str(results *r, const char *s);

/* Add a source named path (its label as every output shows it); returns its
 * index, or RESULTS_NO_SOURCE on OOM. The name is stored as valid UTF-8: each
 * ill-formed byte sequence becomes U+FFFD, with one info finding
 * `file_name_repaired` on the source — the one place names are repaired, so
 * records, issues, sources and the workbook all show the same name. */
uint32_t results_add_source(results *r, const char *path);

/* Add a record (strings copied; cells counted into its source; codes
 * resolved against the configuration: record.ui, gi, mi, bi). */
record *results_add_record(results *r, const record *rec);

/* Keep a value of a "Tổng cộng" row (group "total") for the checks; it is
 * never written to records.csv nor counted in any indicator. */
record *results_add_total(results *r, const record *rec);

/* Add a finding. sheet, cell (A1, see wb_cell_ref) and unit may be NULL; year
 * 0 when unknown; the message is printf-formatted (and stored as valid UTF-8:
 * a cut at 1 KB or a name's stray bytes become U+FFFD). Counts errors and warnings
 * into its source (when src is not RESULTS_NO_SOURCE). */
finding *results_add_finding(results *r, severity sev, const char *rule, uint32_t src,
                             const char *sheet, const char *cell, const char *unit, int year,
                             const char *fmt, ...) __attribute__((format(printf, 9, 10)));

/* Append everything of part — its sources, records, totals and findings, in
 * their order — to r, the part's source indices shifted past r's own
 * (RESULTS_NO_SOURCE stays): r ends as if part's adds had been made on r
 * itself (the readers' threads fill one part per file and the run merges
 * them in the input order). Strings are copied; part is left unchanged.
 * False on out of memory (r->oom). */
bool results_merge(results *r, const results *part);

/* Drop what no stage after validation reads (pipeline/validate.h decides
 * supersession, once every file is read): the superseded records — a newer
 * submission replaced them; no output lists or counts them — and the
 * "Tổng cộng" rows (validation's checks only). The records left keep their
 * order, but their indices change: call it when nobody holds one. The
 * arrays shrink to fit, so the memory of resubmissions goes back (the run's
 * peak does not grow with them). Sources and findings are unchanged (their
 * counts were made as the records were added). */
void results_drop_superseded(results *r);

/* Count of findings of one severity. */
size_t results_count(const results *r, severity sev);

/* True when the record is listed: written to records.csv and the workbook's
 * Dữ liệu sheet (neither superseded nor rejected; an excluded record is
 * listed, only not counted). The one rule every count of "số liệu" uses:
 * the run's summary, sources.csv's `records`, the Nguồn sheet. */
bool results_record_listed(const record *rec);

/* Listed records in all (`src` = RESULTS_NO_SOURCE) or of one source. */
size_t results_records_listed(const results *r, uint32_t src);

#endif
