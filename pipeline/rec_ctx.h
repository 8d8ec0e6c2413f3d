/*
 * pipeline/rec_ctx.h — the recognizer's private context: the types the
 * steps of recognition share and the functions one step calls in another.
 * Only pipeline/recognize.c and the pipeline/rec_*.c step files include it;
 * the contract of recognition as a whole is pipeline/recognize.h.
 *
 * The steps, in the order recognize_workbook() runs them:
 *   rec_prepare.c  repaired view, folded keys, flags, the alias index
 *   rec_locate.c   tables: anchor, header band, data rows, which table
 *   rec_header.c   header paths → metric and breakdown of each column
 *   rec_cache.c    the per-run memo of fuzzy matches
 *   rec_match.c    header candidates; rows → groups (one assignment)
 *   rec_extract.c  values → pending records, totals, cell findings
 *   recognize.c    unit and year, commit, cell accounting
 *
 * pipeline/plan_read.c (the annual plans, DESIGN §10) uses the same context
 * for the same repaired view, keys and index (rec_prepare) and the legacy
 * finding, so a plan is read by the reports' rules.
 *
 * Ownership: the configuration's indexes are one rec_index per run, shared
 * read-only; everything else hangs off one rctx per workbook; strings and per-cell
 * arrays live in its arena (rctx.mem), growable arrays are malloc'd and freed
 * by recognize_workbook(). No function here keeps a pointer past the call
 * except into the rctx.
 */
#ifndef DTBD_PIPELINE_REC_CTX_H
#define DTBD_PIPELINE_REC_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "base/arena.h"
#include "base/buf.h"
#include "input/grid.h"
#include "input/vnenc.h"
#include "pipeline/ident.h"
#include "pipeline/results.h"

/* What an index entry names. */
enum {
    K_METRIC = 0, K_HEADING, K_BREAKDOWN, K_GROUP, K_SUBGROUP, K_TABLE, K_TOTAL, K_FOOTER,
    K_LBLHDR, K_FILLER
};

typedef struct {
    const char *key;     /* folded match key                                         */
    unsigned kind;
    const void *ent;     /* config entity (NULL for form words)                      */
} ix_entry;

/* Exact hits of a cell's keys in the index. */
enum {
    F_METRIC = 1u << 0, F_HEADING = 1u << 1, F_BREAKDOWN = 1u << 2, F_GROUP = 1u << 3,
    F_TOTAL = 1u << 4, F_ROWMETRIC = 1u << 5, F_TITLE = 1u << 6, F_FOOTER = 1u << 7,
    F_LBLHDR = 1u << 8, F_FILLER = 1u << 9, F_COLNUM = 1u << 10, F_COLNUM_DIGIT = 1u << 11,
    F_ROWBD = 1u << 12   /* a breakdown of a rows=metrics table ("Ngân sách địa phương"):
                            the row label of Biểu 03 written transposed          */
};

#define F_HEADER_WORD (F_METRIC | F_HEADING | F_BREAKDOWN | F_FILLER)

enum { FATE_OUTSIDE = 0, FATE_RECORDED, FATE_REJECTED };

/* Bytes of a cell's text recognition looks at: a longer text is no form
 * label, title or number, and the view (rctx.view) holds its first
 * REC_TEXT_MAX bytes (cut at a character), so no step costs more than this
 * per cell whatever the workbook holds (a 1 MB shared string in 2,000 cells
 * took 298 s and 2.75 GB). */
enum { REC_TEXT_MAX = 2048 };

typedef struct {
    const char *hk[3];   /* header keys: as written, without "(…)", without "Trong đó" */
    const char *lk[3];   /* label keys: numbering stripped (+ no "(…)", + no "Trong đó") */
    uint32_t flags;
    int colnum_lead;     /* leading integer of a column-number token, -1 none         */
    uint8_t fate;
    bool repaired;
} cinfo;

typedef struct {
    grid_sheet *s;       /* the repaired view                                        */
    cinfo *ci;           /* per cell                                                 */
    size_t *rowstart;    /* nrows + 1 entries                                        */
    size_t nrepaired;
    size_t first_repaired;
    vnenc_kind repaired_kind;
    bool has_table;
    uint32_t first_header_row;
} sheetx;

/* One column of a located table. */
typedef struct {
    const struct config_metric *metric;       /* NULL: none (Biểu 03 or unmapped) */
    const struct config_breakdown *bd;        /* NULL: unmapped                   */
    bool mapped;
    bool inherit;        /* breakdown-only path: metric taken from the left      */
    bool has_header;     /* some header text above it                            */
    bool holds_numbers;  /* (unmapped) a number in a data row                    */
    uint32_t hrow, hcol; /* the header cell named in findings                    */
    char htext[200];     /* its path, for messages                               */
} colmap;

typedef struct {
    uint32_t sheet;
    const struct config_table *table;
    const struct config_group *rows_group;    /* rows=metrics tables: "funding"   */
    bool transposed;     /* a rows=metrics table written the other way round:
                            rows are its breakdowns (sources), columns its metrics */
    uint32_t label_col, first_col, last_col;
    uint32_t hdr_top, hdr_bottom;
    uint32_t data_first, data_last;
    colmap *cols;                             /* last_col - first_col + 1         */
    int year;            /* the year its own title states when it differs from the
                            workbook's (a workbook may carry two years), else 0 */
} rtable;

typedef struct {
    const char *group, *metric, *bd;
    double value;
    uint32_t sheet, row, col;
    int table;
    size_t cell;         /* index in the sheet's cells; SIZE_MAX for a blank       */
    bool total;
    int year;            /* the table's own year, 0: the workbook's                */
} pend;

/* The folded-key indexes of one configuration (recognize.h): built once by
 * recognize_index_new(), read-only afterwards, so every workbook and every
 * thread shares them. */
struct rec_index {
    const struct config *cfg;
    arena mem;           /* the keys                                                 */
    ix_entry *ix;        /* every alias and form word, sorted by key then kind       */
    size_t nix, capix;
    const char *prefix[8]; /* form.subset_prefix, folded (fold_key)                  */
    size_t nprefix;
    ident_index *ident;  /* the unit keys (pipeline/ident.h)                         */
    const ix_entry **titles; /* the K_TABLE and K_FOOTER entries, in index order      */
    size_t ntitles;
    bool oom;            /* while building                                           */
};

typedef struct {
    const struct config *cfg;
    const struct rec_index *rx; /* the run's indexes                                 */
    struct rec_cache *cache;    /* the worker's memo of fuzzy matches, NULL none     */
    results *res;
    uint32_t src;
    arena mem;
    buf b1, b2, b3;
    const ix_entry *ix;  /* rx->ix, rx->nix                                          */
    size_t nix;
    sheetx *sx;
    size_t nsheets;
    grid_book view;
    rtable *tables;
    size_t ntables, captables;
    pend *pend;
    size_t npend, cappend;
    const char *unit;    /* unit code for findings, NULL unknown                   */
    const struct config_unit *unit_ent;
    int year;
    bool quiet;          /* the file is rejected (unit/year): its content raises
                            no findings of its own — "a rejected file has one
                            finding", the reason it was rejected               */
    const char *const *prefix; /* rx->prefix, rx->nprefix                         */
    size_t nprefix;
    bool oom;
} rctx;

typedef struct {
    const struct config_metric *m[8];
    size_t nm;
    const struct config_heading *h[4];
    size_t nh;
    const struct config_breakdown *b[8];
    size_t nb;
} cands;

/* Resolution of one column's path against table t (NULL: any, for voting). */
typedef struct {
    const struct config_metric *m[8];
    size_t nm;
    const struct config_breakdown *bd;       /* chosen breakdown (NULL: default)  */
    const struct config_breakdown *only_bd;  /* breakdown-only path              */
} colres;

/* ---- rec_prepare.c ----------------------------------------------------------- */

/* Is the key exactly p or does it start with p followed by a space? */
bool rec_key_starts(const char *key, const char *p);

/* Does the string hold an ASCII digit? */
bool rec_has_digit(const char *s);

/* A1 reference of (row, col). */
void rec_ref(uint32_t row, uint32_t col, char out[16]);

/* "Biểu 01" for a table (its position in the config, 1-based). */
void rec_table_name(const struct config_table *t, char out[32]);

/* Copy at most n-1 bytes of s into out without cutting a UTF-8 sequence,
 * line breaks and tabs made spaces (the text goes into a one-line message). */
void rec_copy_utf8(char *out, size_t n, const char *s);

/* The entries whose key is exactly k: [*lo, return). */
size_t rec_ix_range(const rctx *c, const char *k, size_t *lo);

/* Build the repaired view of the book and every cell's keys and flags. */
void rec_prepare(rctx *c, const grid_book *book);

/* ---- rec_cache.c ------------------------------------------------------------- */

/* The memo of fuzzy matches (struct rec_cache, recognize.h): the same header
 * and row texts recur in every workbook of a run, and a fuzzy search scores
 * the text against every alias. Key: what was searched (a tag, the table,
 * the parent group, the unit …) and the folded keys; value: the entity
 * chosen (a pointer into the configuration or the rec_index, never into a
 * workbook), NULL a search that found nothing. At most REC_CACHE_ENTRIES
 * entries: past that it starts afresh, so its memory is bounded whatever the
 * number of files. One per worker thread: it is not shared. */
enum { REC_CACHE_ENTRIES = 20000 };

/* The cache's key buffer, cleared, for the caller to fill (NULL: no cache). */
buf *rec_cache_key(struct rec_cache *m);

/* The value stored under the key now in the key buffer: true when present. */
bool rec_cache_get(struct rec_cache *m, const void **val);

/* Store val under the key now in the key buffer (a failure only misses). */
void rec_cache_put(struct rec_cache *m, const void *val);

/* ---- rec_match.c ------------------------------------------------------------- */

/* Candidates of one header cell for table t (NULL: any): exact on its key
 * variants in order, else the best fuzzy entry (≥ 0.8, ahead of any other
 * entity by more than 0.02). */
void rec_header_cands(const rctx *c, const cinfo *ci, const struct config_table *t, cands *out);

/* The group a row label names in table t under parent, or NULL: exact, else
 * fuzzy (used by the extent scan, with no table context). */
const struct config_group *rec_match_group(const rctx *c, const cinfo *ci,
                                           const struct config_table *t,
                                           const struct config_group *parent);

/* The metric of a rows=metrics table a row label names, or NULL. */
const struct config_metric *rec_match_row_metric(const rctx *c, const cinfo *ci,
                                                 const struct config_table *t);

/* The rows=metrics table whose metrics allow breakdown b (Biểu 03 for a
 * funding source), or NULL. */
const struct config_table *rec_rows_metrics_table_of(const struct config *cfg,
                                                     const struct config_breakdown *b);

/* The breakdown (funding source) of rows=metrics table t that a row label of
 * a transposed table names, or NULL. */
const struct config_breakdown *rec_match_row_source(const rctx *c, const cinfo *ci,
                                                    const struct config_table *t);

/* Is the label a "Tổng cộng" row word? */
bool rec_is_total_label(const rctx *c, const cinfo *ci);

/* Rows → groups of a groups table as one assignment, each group at most once
 * (recognize.h 5.): first the exact labels top to bottom, then the fuzzy ones
 * best score first, each chosen among the groups still free and under the
 * parent its assigned neighbours give it. A row labelled by a breakdown
 * ("Trong đó: Nữ", "- DTTS") is a sub-row: rowbd[k] its breakdown, rowg[k]
 * the group of the row above it (NULL when there is none). rowg and rowbd
 * have one entry per data row, zeroed by the caller. */
void rec_assign_rows(rctx *c, const rtable *t, const struct config_group **rowg,
                     const struct config_breakdown **rowbd);

/* ---- rec_locate.c ------------------------------------------------------------ */

/* Cells of row r: [*a, *b). */
void rec_row_span(const sheetx *x, uint32_t r, size_t *a, size_t *b);

/* Does row r hold no cell? */
bool rec_row_blank(const sheetx *x, uint32_t r);

/* Index of the label cell of row r (text at L, else the nearest text left of
 * it, else the origin of a merge covering (r, L)); SIZE_MAX when none. */
size_t rec_label_cell(const sheetx *x, uint32_t r, uint32_t L);

/* Is the cell a number or a text that reads as a value (not a zero mark)? */
bool rec_cell_numeric(const grid_cell *cell);

/* Find every table of sheet si. */
void rec_locate_sheet(rctx *c, uint32_t si);

/* ---- rec_header.c ------------------------------------------------------------ */

/* The path elements (cell indices, top to bottom) above column col. */
size_t rec_header_path(const sheetx *x, const rtable *t, uint32_t col, size_t *el, size_t cap);

/* Resolve a path (see recognize.h 4.). rows_metrics: the table's columns are
 * breakdowns (Biểu 03). */
void rec_resolve_path(const rctx *c, const sheetx *x, const size_t *el, size_t n,
                      const struct config_table *t, bool rows_metrics, colres *out);

/* Map column col of table t (recognize.h 4.): its header path resolved
 * against the table; a breakdown-only path takes the metric of the nearest
 * mapped column to its left; a metric and breakdown already taken by an
 * earlier column leave this one unmapped. */
void rec_map_column(const rctx *c, const sheetx *x, rtable *t, uint32_t col);

/* ---- recognize.c ------------------------------------------------------------- */

/* One info legacy_encoding_repaired per sheet with a table (has_table) and
 * repaired cells, on its first repaired cell, for c->unit and c->year (the
 * plan reader, pipeline/plan_read.c, gives the same finding). */
void rec_legacy_findings(rctx *c);

/* Nothing lost, loudly: in a sheet where a table was found (has_table), numbers
 * from its first header row down (first_header_row) that are in no table of
 * c->tables (header top to last data row, columns up to its last) and whose
 * fate is outside are one warning cells_outside_tables per block (rows holding
 * them at most one row apart), naming the range — a cut table is never silent. */
void rec_outside_findings(rctx *c);

/* ---- rec_extract.c ----------------------------------------------------------- */

/* Extract the records, totals and findings of one table. */
void rec_extract_table(rctx *c, rtable *t);

#endif
