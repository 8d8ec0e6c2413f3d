/*
 * config/config.h — the configuration: plan, tables, groups, metrics,
 * indicators, units and check tolerances (DESIGN §5), loaded from YAML.
 *
 * Dependencies: libyaml and the base helpers of input/ (arena.h, buf.h,
 * text.h, and fold.h: names are unique as recognition compares them) only. config/ knows nothing of the readers, the pipeline or the
 * outputs (DESIGN §2).
 *
 * Ownership: config_load_*() returns one struct config that owns everything
 * it points to (an arena inside it, plus a copy of the source text); every
 * string, array and cross-reference (a group's parts, a unit's successor, an
 * indicator's metrics) points into that arena. config_free() releases it all
 * at once. Nothing returned by a lookup may be freed or outlive the config.
 *
 * Loading types every scalar itself (libyaml hands back strings) and rejects,
 * with file:line:column (1-based) and a Vietnamese message: invalid UTF-8,
 * YAML syntax errors, YAML aliases, duplicate keys, unknown keys, missing
 * keys, wrong types, duplicate codes or aliases, unknown references, targets
 * outside 0..1, years outside the plan. The first error stops the load.
 *
 * `rules:` (optional) names each finding rule in Vietnamese: a map from the
 * rule code (snake_case, unique: duplicate keys are refused) to a non-empty
 * label. Every code the program emits has a name in the default
 * configuration (tests/e2e/rules.t.sh greps the sources for them).
 *
 * Everything an indicator needs (group, metrics, kind, target, deadline,
 * wording, clause) comes from here, so a 14th indicator is a config change.
 *
 * Entity types are plain structs used as `struct config_group` etc.: the
 * lookup functions carry the short names (config_group(), config_unit(), …).
 */
#ifndef DTBD_CONFIG_CONFIG_H
#define DTBD_CONFIG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "base/arena.h"

/* ---- small value types --------------------------------------------------- */

/* A list of NFC strings (aliases, form markers). */
struct config_strs {
    const char *const *items;
    size_t n;
};

/* The status of an indicator in a year (DESIGN §5.1; the order of
 * pipeline/indicators.h's att_status): the words every output shows for it
 * come from the configuration's `status_words:` (config_status_word). */
enum config_status {
    CONFIG_STATUS_MET,
    CONFIG_STATUS_NOT_MET,
    CONFIG_STATUS_ON_TRACK,
    CONFIG_STATUS_BEHIND,
    CONFIG_STATUS_NO_DATA,
    CONFIG_STATUS_COUNT
};

/* The other sets of words the outputs show for a code (one home: the
 * configuration; tong-hop.xlsx, the feedback and the charts all ask here).
 * Each is a section of the YAML whose keys are the codes, in this order:
 *   severity_words: error, warning, info          (results.h's severity)
 *   source_words:   accepted, superseded, rejected (results.h's source_status)
 *   kind_words:     agency, district, provider     (enum config_unit_kind)
 * A configuration without a section gets the default's words. */
enum config_word_set { CONFIG_WORDS_SEVERITY, CONFIG_WORDS_SOURCE, CONFIG_WORDS_KIND,
                       CONFIG_WORD_SETS };
#define CONFIG_WORDS_MAX 3 /* codes in the largest set */

/* A calendar date; year == 0 means "not set" (an open end of a validity). */
struct config_date {
    int year, month, day;
};

enum config_unit_kind { CONFIG_AGENCY, CONFIG_DISTRICT, CONFIG_PROVIDER, CONFIG_UNIT_KIND_COUNT };
enum config_value_kind { CONFIG_VALUE_COUNT, CONFIG_VALUE_MONEY };
enum config_indicator_kind { CONFIG_ANNUAL, CONFIG_BY_DEADLINE, CONFIG_ROLLING };
/* What a table's rows are: groups (Biểu 01/02) or metrics (Biểu 03, whose
 * columns are then breakdowns: the funding sources). */
enum config_table_rows { CONFIG_ROWS_GROUPS, CONFIG_ROWS_METRICS };

/* ---- entities ------------------------------------------------------------ */

struct config_plan {
    const char *id;            /* "45/KH-UBND"                                   */
    const char *title;
    const char *issuer;        /* may be NULL                                    */
    const char *province;
    const char *basis;         /* the decision it implements; may be NULL        */
    struct config_date issued;
    int first_year, last_year; /* the plan's years: 2021–2025                    */
    int term_first, term_last; /* the HĐND term: 2021–2026                        */
};

/* Plausibility checks of DESIGN §6 and the provider cross-check. */
struct config_checks {
    double headcount_jump;     /* warn when headcount moves more than this ratio  */
    double provider_gap;       /* warn when a provider's figure differs by more   */
    double sum_count;          /* tolerance when summing counts (persons)         */
    double sum_money;          /* tolerance when summing money (million VND)      */
    double plan_done;          /* a unit that trained less than this share of its
                                  plan is listed as behind it (DESIGN §10)       */
};

/* Caps against hostile or runaway input (the `limits:` section). 0 = not
 * set: the readers' own safe default applies (input/workbook.h,
 * wb_limits_default; the default configuration writes the same values, a
 * test keeps them equal). Hitting a cap is a finding for that file. */
struct config_limits {
    uint64_t file_bytes;       /* size of one input file on disk                  */
    uint64_t inflated_bytes;   /* bytes inflated from one .xlsx, all parts        */
    uint64_t inflate_ratio;    /* inflated/compressed of one part                 */
    uint64_t cells_per_sheet;  /* non-empty cells in one sheet                    */
    uint64_t cells_per_workbook; /* … in all sheets of one file                   */
    uint64_t grid_bytes;       /* memory of one file held for recognition         */
    uint64_t string_bytes;     /* one cell's text                                 */
    uint64_t xml_depth;        /* element nesting in an XML part                  */
    uint64_t sheets;           /* sheets in one workbook                          */
    uint64_t shared_strings;   /* entries of an .xlsx shared-strings table        */
    uint64_t files_per_run;    /* input files read by one run                     */
    uint64_t archive_members;  /* members of one .zip archive                     */
    uint64_t archive_depth;    /* archives inside archives                        */
};

/* Words that locate parts of the form, other than headers and row labels. */
struct config_form {
    struct config_strs total_row;   /* "Tổng cộng" …                              */
    struct config_strs unit_field;  /* "Đơn vị báo cáo" …                         */
    struct config_strs receiver_field; /* "Đơn vị nhận báo cáo", "Kính gửi": never
                                          the reporting unit                        */
    struct config_strs year_field;  /* "Năm" …                                    */
    struct config_strs footer;      /* "NGƯỜI LẬP BIỂU" …                         */
    struct config_strs label_header; /* "STT", "Đối tượng": the label columns'
                                        headers, never a metric                    */
    struct config_strs filler;      /* "Trong đó", "Chia ra": header parents with
                                       no meaning of their own                     */
    struct config_strs subset_prefix; /* "Trong đó": a label or header that opens
                                         with it is also read without it           */
};

struct config_table {
    size_t index;
    const char *code;               /* bieu01, bieu02, bieu03                     */
    const char *title;
    const char *unit_of_measure;    /* "người", "triệu đồng"; may be NULL         */
    enum config_table_rows rows;
    struct config_strs aliases;
    bool reported_by[CONFIG_UNIT_KIND_COUNT]; /* kinds whose form has this table
                                                 (`kinds:`; absent = every kind) */
};

/* A breakdown of a value: all / female / ethnic, or a funding source. */
struct config_breakdown {
    size_t index;
    const char *code;
    const char *label;
    struct config_strs aliases;
    const struct config_breakdown *const *parts; /* these sum to this one         */
    size_t n_parts;
    const struct config_breakdown *subset_of;    /* never larger than this one   */
    const struct config_breakdown *part_of;      /* derived: whose parts hold it */
};

/* A merged header cell above several metric columns ("Trình độ chuyên môn"). */
struct config_heading {
    size_t index;
    const char *code;
    const struct config_table *table;
    const char *label;
    struct config_strs aliases;
};

/* A row group (đối tượng). `parts` sum to the group (cbcc_xa = cb_xa + cc_xa);
 * `subset_of` is a subset that is already counted in its whole (vc_ql ⊂ vc)
 * and must never be added to it. */
struct config_group {
    size_t index;
    const char *code;
    const char *label;
    struct config_strs aliases;
    struct config_strs sub_aliases;  /* short labels valid only under the parent
                                        ("1. Cán bộ" under "II. …cấp xã")      */
    const struct config_group *const *parts;
    size_t n_parts;
    const struct config_group *part_of;   /* derived from the parent's parts     */
    const struct config_group *subset_of;
    const struct config_table *const *tables;  /* the tables it appears in       */
    size_t n_tables;
    bool required_kind[CONFIG_UNIT_KIND_COUNT]; /* kinds that must report it    */
    const struct config_unit *const *required_units; /* single units that must  */
    size_t n_required_units;
};

struct config_metric {
    size_t index;
    const char *code;
    const struct config_table *table;
    const struct config_heading *heading; /* may be NULL                          */
    const char *label;                    /* canonical header                     */
    struct config_strs aliases;
    enum config_value_kind value;
    bool cumulative;                      /* lũy kế: must not fall year on year   */
    const struct config_breakdown *const *breakdowns; /* allowed, first = default */
    size_t n_breakdowns;
    const struct config_metric *subset_of; /* never larger than this (same group) */
    const struct config_group *const *applies_to; /* `applies_to:` the groups the
                                            column is asked of (their parts and
                                            subsets too); n_applies_to 0 = all  */
    size_t n_applies_to;
    const struct config_metric *const *parts; /* `parts:` columns that add up to
                                            this one's default breakdown (Tổng số
                                            = Σ trình độ chuyên môn)            */
    size_t n_parts;
};

/* metric[.breakdown]; breakdown is the metric's first allowed one when omitted. */
struct config_metric_ref {
    const struct config_metric *metric;
    const struct config_breakdown *breakdown;
};

struct config_indicator {
    size_t index;
    const char *id;                      /* T01 …                                 */
    const char *label;                   /* short, for charts and tables          */
    const char *clause;                  /* "III.2.a"                             */
    const char *wording;                 /* the plan's sentence                   */
    const struct config_group *group;
    const struct config_metric_ref *numerator; /* summed                          */
    size_t n_numerator;
    struct config_metric_ref denominator;
    enum config_indicator_kind kind;
    double target;                       /* 0..1; met when num ≥ target × den    */
    int first_year;                      /* first year it applies (T08: 2022)     */
    int deadline;                        /* by_deadline only, else 0 (T13: 2026)  */
    int window;                          /* rolling only: years counted, else 0   */
    bool aspirational;                   /* "phấn đấu" (T07)                      */
};

struct config_unit {
    size_t index;
    const char *code;                    /* ASCII slug used by every output        */
    const char *name;                    /* official name                          */
    enum config_unit_kind kind;
    struct config_strs aliases;
    struct config_date valid_from;       /* year 0: open                            */
    struct config_date valid_to;         /* year 0: open                            */
    const struct config_unit *successor; /* after valid_to; may be NULL             */
    const char *superior;                /* `superior:` the body above it on its
                                            letterhead ("BỘ CÔNG AN"); NULL: by
                                            kind (see output/template.h)          */
    const struct config_metric *const *offers; /* `offers:` the Biểu 02 contents a
                                            training provider teaches (DESIGN §10
                                            appraisal); NULL/0: none configured   */
    size_t n_offers;
};

/* ---- annual plans (DESIGN §10) -------------------------------------------- */

/* The columns of a plan's list table, in the order `plan_form: columns:`
 * names them (config_plan_column_key gives the YAML key of each). */
enum config_plan_col {
    CONFIG_PCOL_STT, CONFIG_PCOL_CONTENT, CONFIG_PCOL_GROUP, CONFIG_PCOL_COUNT,
    CONFIG_PCOL_FEMALE, CONFIG_PCOL_ETHNIC, CONFIG_PCOL_TIME, CONFIG_PCOL_PLACE,
    CONFIG_PCOL_PROVIDER, CONFIG_PCOL_COST, CONFIG_PCOL_SOURCE, CONFIG_PCOL_NOTE,
    CONFIG_PCOL_N
};

/* Where a class is held (`plan_form: places:`), in this order. */
enum config_place { CONFIG_PLACE_IN, CONFIG_PLACE_OUT, CONFIG_PLACE_ABROAD, CONFIG_PLACE_N };

/* A group's plan-only aliases: the loose ways a plan's đối tượng column
 * writes it ("Công chức" → cc_th), valid in plans only (a report's row
 * labels keep their own, stricter aliases). */
struct config_plan_group {
    const struct config_group *group;
    struct config_strs aliases;
};

/* The words that recognize a plan (`plan_form:`). Every list may be empty
 * in a configuration without the section: plans are then never recognized. */
struct config_plan_form {
    struct config_strs title;        /* a title cell opening with one of these
                                        names a plan ("Kế hoạch đào tạo …")   */
    struct config_strs columns[CONFIG_PCOL_N]; /* header aliases per column  */
    struct config_strs class_words;  /* opening words of a content that name the
                                        kind of class, not its content ("Lớp",
                                        "Lớp bồi dưỡng"), stripped before matching */
    struct config_strs joiners;      /* "cho", "dành cho": the rest of a content
                                        names its group ("… cho CBCC cấp xã")   */
    struct config_strs quarter_words; /* "Quý", "Q"                            */
    struct config_strs month_words;  /* "Tháng", "T"                           */
    const char *place_label[CONFIG_PLACE_N];
    struct config_strs places[CONFIG_PLACE_N];
    struct config_plan_group *groups; size_t n_groups;
};

/* A finding rule's Vietnamese name (the `rules:` map: code → label). The
 * codes are the ones issues.csv carries ("not_a_number"); the names go beside
 * them in the outputs people read (phan-hoi/, the Kiểm tra sheet). */
struct config_rule {
    const char *code;                    /* snake_case, as the code emits it        */
    const char *label;                   /* "Không phải là số"                      */
};

struct config {
    arena mem;                           /* owns everything below                   */
    const char *source;                  /* file name used in messages              */
    const char *text;                    /* the YAML as loaded (NUL-terminated)     */
    size_t text_len;

    struct config_plan plan;
    struct config_checks checks;
    struct config_limits limits;
    struct config_form form;
    const char *status_words[CONFIG_STATUS_COUNT]; /* never NULL once loaded  */
    const char *words[CONFIG_WORD_SETS][CONFIG_WORDS_MAX]; /* idem (config_word) */

    struct config_table *tables;         size_t n_tables;
    struct config_breakdown *breakdowns; size_t n_breakdowns;
    struct config_heading *headings;     size_t n_headings;
    struct config_group *groups;         size_t n_groups;
    struct config_metric *metrics;       size_t n_metrics;
    struct config_indicator *indicators; size_t n_indicators;
    struct config_unit *units;           size_t n_units;
    struct config_rule *rules;           size_t n_rules;  /* optional section      */
    struct config_plan_form plan_form;   /* optional section                        */

    /* Hashed lookups by code for the sections a run looks up per record
     * (config_unit, _group, _metric, _breakdown): built once the sections
     * are loaded, in the arena; slot = index + 1, 0 empty. */
    struct config_code_index { uint32_t *slot; size_t cap; } ix_units, ix_groups, ix_metrics, ix_breakdowns;
};

/* A load error. line/col are 1-based; 0 when there is no position (a file
 * that cannot be read, out of memory). */
struct config_error {
    dtbd_status status;   /* DTBD_ERR_CONFIG (the text is wrong), DTBD_ERR_IO
                             (the file cannot be read) or DTBD_ERR_NOMEM      */
    char file[512];
    int line, col;
    char msg[768];
};

/* ---- loading ------------------------------------------------------------- */

/* Load a YAML file. NULL on error, with *err filled in. */
struct config *config_load_file(const char *path, struct config_error *err);

/* Load YAML from memory; `name` is used in messages (e.g. "default.yaml"). */
struct config *config_load_buffer(const char *data, size_t len, const char *name,
                                  struct config_error *err);

/* Load the default configuration built into the binary (config/default.yaml). */
struct config *config_load_default(struct config_error *err);

/* The built-in default YAML text (NUL-terminated); *len gets its length. */
const char *config_default_text(size_t *len);

void config_free(struct config *cfg);

/* "file:line:col: message" (or "file: message" without a position). */
void config_error_format(const struct config_error *err, char *out, size_t n);

/* ---- lookups by code (NULL when absent) ---------------------------------- */

const struct config_table *config_table(const struct config *cfg, const char *code);
const struct config_breakdown *config_breakdown(const struct config *cfg, const char *code);
const struct config_heading *config_heading(const struct config *cfg, const char *code);
const struct config_group *config_group(const struct config *cfg, const char *code);
const struct config_metric *config_metric(const struct config *cfg, const char *code);
const struct config_indicator *config_indicator(const struct config *cfg, const char *id);
const struct config_unit *config_unit(const struct config *cfg, const char *code);
const struct config_rule *config_rule(const struct config *cfg, const char *code);

/* The Vietnamese name of a finding rule ("Không phải là số"), or NULL when
 * the configuration does not name it (outputs then show the code alone). */
const char *config_rule_label(const struct config *cfg, const char *code);

/* ---- questions the pipeline asks ----------------------------------------- */

/* True when the metric may carry this breakdown. */
bool config_metric_allows(const struct config_metric *m, const struct config_breakdown *b);

/* True when the group appears in the table. */
bool config_group_in_table(const struct config_group *g, const struct config_table *t);

/* True when the column (metric) is asked of the group: no `applies_to`, or
 * the group, or a whole it is a part or subset of, is listed. */
bool config_metric_applies(const struct config_metric *m, const struct config_group *g);

/* True when units of this kind report the table (its `kinds:`). */
bool config_table_reported_by(const struct config_table *t, enum config_unit_kind k);

/* True when the unit must report the group (by its kind or by name). */
bool config_group_required_of(const struct config_group *g, const struct config_unit *u);

/* True when the unit existed on the date / on at least one day of the year. */
bool config_unit_active_on(const struct config_unit *u, struct config_date d);
bool config_unit_active_in_year(const struct config_unit *u, int year);

/* The unit that finally carries this unit's figures (follows successors). */
const struct config_unit *config_unit_final(const struct config_unit *u);

/* -1, 0, 1; an unset date sorts before every set one. */
int config_date_cmp(struct config_date a, struct config_date b);

/* "2025-02-28", or "" when unset; out needs 11 bytes. */
void config_date_format(struct config_date d, char out[11]);

/* The words the outputs (charts, tong-hop.xlsx, the run's summary) show for
 * a status: the configuration's `status_words:` ("Đạt", "Không đạt", "Đúng
 * lộ trình", "Chậm so với lộ trình", "Chưa có số liệu" in the default). A
 * configuration without the section gets the default's words (the same
 * text, kept equal by tests/unit/test_config.c). status is an enum
 * config_status (an att_status passes as is); out of range is no_data's. */
const char *config_status_word(const struct config *cfg, int status);

/* The word of code i of a set (config_word_set): "Lỗi" for
 * (CONFIG_WORDS_SEVERITY, SEV_ERROR). An index out of range is the set's
 * last code's word. */
const char *config_word(const struct config *cfg, enum config_word_set set, int i);

/* The YAML keys of status_words: "met", "not_met", "on_track", "behind",
 * "no_data" (as attainment.csv writes the statuses). */
const char *config_status_key(int status);

/* The YAML key of a plan column ("content", "count", …) and of a place
 * ("in_province", "out_province", "abroad"). */
const char *config_plan_column_key(enum config_plan_col c);
const char *config_place_key(enum config_place p);

/* True when a unit of this kind has members of group g: g, or a whole it is a
 * part or subset of, must be reported by the unit (config_group_required_of):
 * an agency has cbcc_th, cb_th, cc_th, vc, vc_ql, no commune groups. */
bool config_unit_has_group(const struct config_unit *u, const struct config_group *g);

/* A metric's name standing alone: "<heading> <label>" under a heading ("Lý
 * luận chính trị Trung cấp", not "Trung cấp"), else its label; into out. */
void config_metric_title(const struct config_metric *m, char *out, size_t n);

/* True when provider unit u offers metric m (its `offers:` list). */
bool config_unit_offers(const struct config_unit *u, const struct config_metric *m);

/* The YAML words: "agency", "count", "by_deadline", "groups". */
const char *config_unit_kind_name(enum config_unit_kind k);
const char *config_value_kind_name(enum config_value_kind k);
const char *config_indicator_kind_name(enum config_indicator_kind k);

#endif
