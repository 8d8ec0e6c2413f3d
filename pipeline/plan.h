/*
 * pipeline/plan.h — units' annual training plans (DESIGN §10): recognizing a
 * plan, reading its list of classes, matching each class's free text to the
 * configuration, resolving resubmissions and appraising the plan.
 *
 * Recognition (plan_read.c)
 *  - A workbook is a plan when a text cell in the top rows of a visible sheet
 *    (above its first list table, at most the first 12 rows) opens with one of
 *    the configuration's plan_form.title words ("Kế hoạch đào tạo …", "Biểu
 *    KH"), compared as folded match keys, token by token. A report's title
 *    ("Báo cáo kết quả …", "Biểu 02") never does; "Căn cứ Kế hoạch số 45/…"
 *    does not open with them either.
 *  - The text goes through the recognizer's repaired view (legacy TCVN3/VNI
 *    text repaired, folded keys: pipeline/rec_ctx.h, rec_prepare), so a
 *    plan typed in .VnTime reads like any other.
 *  - A list table: a header row holding a content column (plan_form.columns
 *    content) and a count column (count), possibly over a second (and third)
 *    header row ("Số lượng" merged over "Tổng số | Nữ | DTTS", "Kinh phí"
 *    over "Số tiền | Nguồn"); a column's role is the deepest header element
 *    of its path that names one. A column-number row ("1", "2", "(3)") under
 *    the band is skipped. Each role belongs to the first column that has it.
 *  - Rows run down from the band to a footer word (form.footer), a new header
 *    band, or three blank rows. A row whose content or STT cell is a
 *    form.total_row word is the "Tổng cộng" row: its count is checked against
 *    the classes above (total_mismatch), never recorded. A row with no
 *    count, Nữ, DTTS, cost or group cell is a heading ("I. Đào tạo"). Every
 *    other row is one class. Every sheet's tables are read.
 *  - Unit and year: ident_workbook on the repaired view (title rows = each
 *    sheet's rows above its first table). The year is the year planned.
 *    No unit or no year → an error (unit_unknown, unit_ambiguous,
 *    year_missing) and the file's classes are not kept.
 *  - Values: count, Nữ, DTTS through numparse (a dash is 0; a blank Nữ/DTTS
 *    is "not given", a blank count is 0); not_a_number, negative_count,
 *    fractional_count, part_over_whole (Nữ or DTTS over the count: the part
 *    is dropped) are errors on the cell. A class whose count is rejected is
 *    dropped whole. Cost (million VND, decimals allowed) the same way.
 *  - Nothing lost: a column with a header no role names and holding text or
 *    numbers in class rows → warning unmapped_column; every non-empty cell
 *    of a class row is counted as recorded, the rest (titles, headers,
 *    headings, totals, footers) as outside, rejected cells as rejected.
 *
 * Matching (plan_match.c), all on folded match keys (base/fold.h):
 *  - content → Biểu 02 metric: the text before a plan_form.joiners word
 *    ("… cho CBCC cấp xã"); its leading plan_form.class_words stripped, then
 *    an exact alias of a Biểu 02 metric; else the metric one of whose aliases
 *    is a phrase of the content, scored by the alias's tokens plus those of
 *    an alias of the metric's heading found too ("kiến thức QLNN ngạch
 *    chuyên viên chính" → qlnn_cvc), a tie being no match; else the most
 *    similar alias (fold_similarity ≥ 0.85, ahead by 0.02). No match: NULL
 *    (metric "other", warning plan_content_unmatched).
 *  - đối tượng → group (any Biểu 02 group): exact alias (the group's label,
 *    aliases, and plan_form.groups' plan-only aliases); else the group with
 *    the longest alias that is a phrase of the text (a tie: no match); else
 *    fold_similarity ≥ 0.8, ahead by 0.02. An empty đối tượng takes the
 *    group the content names after its joiner, or anywhere in it.
 *  - time → quarter 1–4: "Quý I", "Quý 2", "Q3", "I"–"IV", "Tháng 3",
 *    "tháng 3-5", "T3", "3/2025", a date, a number 1–4 (quarter) or 5–12
 *    (month); the first one written counts.
 *  - place → in_province / out_province / abroad by plan_form.places.
 *  - source → a funding source of Biểu 03 (a breakdown that is a part of
 *    another: local, central, agency, sponsor), exact or phrase.
 *  - provider → a configured unit when ident matches the text to one.
 *
 * Submissions and appraisal (plan_appraise.c): see plan_resolve and
 * plan_appraise below.
 *
 * Ownership: a plan_set owns its results (sources, findings, strings in its
 * arena) and its classes; plan_set_free() releases all. A plan_matcher owns
 * its keys and borrows the config (which must outlive it).
 */
#ifndef DTBD_PIPELINE_PLAN_H
#define DTBD_PIPELINE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "input/grid.h"
#include "pipeline/planres.h"
#include "pipeline/recognize.h"
#include "pipeline/results.h"

/* The keys plans are matched against, built once per run. */
typedef struct plan_matcher plan_matcher;
/* rx: the run's recognizer indexes (pipeline/recognize.h), borrowed — they
 * must outlive the matcher; NULL: the matcher builds its own. */
plan_matcher *plan_matcher_new(const struct config *cfg, const rec_index *rx);
/* The recognizer indexes the matcher reads with (for reports read beside
 * the plans). */
const rec_index *plan_matcher_index(const plan_matcher *pm);
void plan_matcher_free(plan_matcher *pm);

/* True when the workbook is a plan (its title, see above). */
bool plan_is_plan(const plan_matcher *pm, const grid_book *book);

/* Read the plan in book (source src of ps->res): its classes into ps when
 * its year is want_year (0: any year), findings into ps->res. Returns the
 * number of classes kept, or -1 when the workbook is not a plan (nothing
 * added). A plan of another year adds nothing and returns 0. */
int plan_read(const plan_matcher *pm, const grid_book *book, plan_set *ps, uint32_t src, int want_year);

/* Matching (for plan_read and the tests). Texts are any UTF-8. */
const struct config_metric *plan_match_content(const plan_matcher *pm, const char *text,
                                               const struct config_group **group_in_text);
const struct config_group *plan_match_group(const plan_matcher *pm, const char *text);
/* Quarter 1–4 from a time cell's text; 0 empty, -1 unreadable. */
int plan_quarter_text(const plan_matcher *pm, const char *text);
int plan_place(const plan_matcher *pm, const char *text);
const struct config_breakdown *plan_match_source(const plan_matcher *pm, const char *text);
const struct config_unit *plan_match_provider(const plan_matcher *pm, const char *text);
/* Column role (enum config_plan_col) of a header text, -1 none. */
int plan_column_role(const plan_matcher *pm, const char *text);

/* Headcounts for the appraisal: unit × year × group → persons. */
typedef struct {
    const char *unit;                     /* owned by the table                   */
    int year;
    const struct config_group *group;
    double value;
} plan_headcount;

typedef struct {
    plan_headcount *v;
    size_t n, cap;
    bool oom;
} plan_headcounts;

void plan_headcounts_free(plan_headcounts *h);
/* Add the Biểu 01 headcount records (metric headcount, breakdown all, listed)
 * of a run's results. */
void plan_headcounts_from_results(plan_headcounts *h, const struct config *cfg, const results *r);
/* Read a previous run's records.csv (its headcount, all rows); 0, or -1 with
 * a message in err when the file cannot be read or is not a records.csv. */
int plan_headcounts_load(plan_headcounts *h, const struct config *cfg, const char *path, char *err,
                         size_t errlen);

/* Resubmissions: per unit and year the latest plan wins (footer date, else
 * file time, else the greater name — pipeline/validate.c's order); the
 * others' classes are superseded, their sources superseded, with a warning
 * duplicate_submission on each (file-level) naming the newer file. */
void plan_resolve(plan_set *ps);

/* The appraisal findings (warnings) of every unit's accepted classes:
 * plan_target_shortfall, plan_provider_not_offered, plan_group_absent,
 * plan_cost_no_source, plan_duplicate_class (DESIGN §10). */
void plan_appraise(const struct config *cfg, plan_set *ps, const plan_headcounts *hc);

/* The headcount of unit's group for the latest year ≤ year; false when none. */
bool plan_headcount_of(const plan_headcounts *hc, const char *unit, const struct config_group *g, int year,
                       double *out);

#endif
