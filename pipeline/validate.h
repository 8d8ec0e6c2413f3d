/*
 * pipeline/validate.h — validation of a run's records and resolution of
 * resubmissions (DESIGN §5.2, §6; issue 4 "Validation" and "Submissions").
 *
 * validate_run() runs once, after every file was read and recognized and
 * before the indicators. It reads the whole run at once (checks compare
 * tables, files, units and years with each other), adds findings, sets the
 * flags of records (rejected / superseded / excluded) and the status of
 * sources. Every finding names file, sheet and cell (A1) where it has them,
 * the unit and year, and says in Vietnamese what to fix.
 *
 * In order (a record rejected or superseded by an earlier step is no longer
 * looked at by a later one, and is *missing* for the checks that need it):
 *
 *  1. Submissions (per unit, year and table). Among the non-rejected sources
 *     carrying a table for a unit and year, the newest wins: by the footer
 *     report date when both have one and they differ, else by the file's
 *     modification time, else (a tie) by file name — the greater base name
 *     ("…-gui-lai" over "…"), then the greater path; the finding then says
 *     the choice was made by name. The older file's records of that table are
 *     `superseded`; it gets one `warning duplicate_submission` per newer file
 *     (file-level: no sheet, no cell) naming the newer file and the tables;
 *     a source all of whose tables were superseded becomes `superseded`.
 *  2. The 2025 reorganization: a report of a unit for the year its validity
 *     ends (valid_to) when it has a successor that also reported that year
 *     (the successor, or the successor's successor …: any non-rejected
 *     source) → `warning merged_unit_report` (file-level), its records
 *     `superseded` and the source `superseded`: the successor's report covers
 *     it, so its values are data in no output (not records.csv, not Dữ
 *     liệu); the file and the finding say why. Without the successor's
 *     report it is counted and gets no finding.
 *  3. Providers (kind provider): every record `excluded` (they cross-check,
 *     never add; see 10).
 *  4. `error negative_count`, `error fractional_count`: a count metric's value
 *     below 0 / not whole; the cell is rejected. Money may be fractional.
 *  5. `error part_over_whole` (the PART is rejected, the finding on its cell),
 *     in this order: (a) a breakdown over the one it is a subset of (Nữ, DTTS
 *     > Tổng số of the same row and metric); (b) a metric over its config
 *     `subset_of` (same group and breakdown; in the same file for a metric of
 *     the same table, else the unit's figure of that year from the table's
 *     winning submission: qual_fit > headcount, ethnic_lang_ok >
 *     kinh_in_ethnic_area, persons > person_times); (c) a group over the
 *     group it is a subset of (vc_ql > vc), same metric and breakdown;
 *     (d) an indicator's numerator (summed) over its denominator, in every
 *     group row that has them all (tr_law > headcount, the unit's Biểu 01 of
 *     that year) — with several numerator metrics every one is rejected, the
 *     finding sits on the first; (e) any other Biểu 02 count (a trained
 *     figure) over the group's Biểu 01 headcount of the same breakdown, except
 *     the metrics that are a whole of another (person_times counts visits,
 *     not persons). The Biểu 01 headcount is config metric "headcount".
 *  6. `error parts_sum_mismatch`: a group row ≠ the sum of its config parts'
 *     rows in the same file (all parts present and not rejected), and a
 *     breakdown ≠ the sum of its parts (Biểu 03 Tổng = the four sources);
 *     tolerance checks.sum_count / sum_money. The GROUP row's (the whole's)
 *     cell is rejected and carries the finding; the parts are kept.
 *  7. `error total_mismatch`: a "Tổng cộng" value ≠ the sum of its table's
 *     top-level group rows in that column. Top-level: a group present in the
 *     table (any record of that file and table) that is not a subset
 *     (vc_ql is never added) and none of whose wholes (part_of, recursively)
 *     is present; so parts are added only when their group row is absent. No
 *     check when a needed cell is missing or rejected. Nothing is rejected.
 *  8. `warning group_missing`: per file and table, the groups the unit's kind
 *     must report (required_kinds) that are neither a row nor given by all of
 *     their parts' rows; one finding per table naming them all, on the
 *     table's sheet, no cell. Only required_kinds count here, not
 *     required_units: the default config names van-phong-doan-dbqh-hdnd for
 *     hdnd, but its reports (an agency's rows I and IV, as in the corpus)
 *     carry no HĐND rows and the truth expects no finding for them.
 *  9. Year on year, on the winning (not superseded, not rejected) rows of the
 *     same unit code (a successor keeps its own series): `warning
 *     cumulative_decrease` — a cumulative metric that falls from year−1 to
 *     year (same group and breakdown); `warning headcount_jump` — headcount,
 *     breakdown all, moving by more than checks.headcount_jump of the
 *     earlier year's figure (not from 0). The cell is the later year's.
 * 10. `warning provider_gap`: for each figure a provider reports (group,
 *     metric, breakdown, year), the sum over the counted agencies and
 *     districts (not excluded, not superseded, not rejected) of the group's
 *     own row, else the sum of its parts (a unit with a missing cell is left
 *     out); a gap of more than checks.provider_gap of that sum (or any
 *     figure against a sum of 0) → warning on the provider's cell, naming
 *     both figures. Only on what the provider gives: a figure is compared
 *     when, in that provider's live records of that year, its column
 *     (metric × breakdown) holds a value above 0 in some row and its row
 *     (group) holds a value above 0 in some column. A school keeps every
 *     column of the form and leaves blank (0) the trainings it does not
 *     give; those zeros against the units' trainings elsewhere are no gap
 *     (issue 12: on ../shared/corpus-kg they were 522 of 686 findings).
 * 11. `warning unit_missing_report` (no file): for each plan year that some
 *     accepted source covers, each agency or district active that year
 *     (config_unit_active_in_year) without a non-rejected source for it —
 *     unless the year is the one its validity ends in and its successor (or
 *     theirs) reported that year. Providers are never required.
 * 12. Status: a source that was not rejected and whose records are now all
 *     rejected becomes `rejected`; superseded as in 1; else unchanged.
 *
 * Rejecting a record moves one cell from cells_recorded to cells_rejected of
 * its source (when any is left), so the reconciliation still holds; a
 * source's `records` count is left as recognition set it. Findings on
 * superseded tables are not raised (only duplicate_submission): the checks
 * look at what is used.
 *
 * Ownership: validate_run() reads cfg; it changes only flags, statuses and
 * counts of res and adds findings (copied into res). Scratch memory is freed
 * before it returns; on out of memory it sets res->oom and stops.
 */
#ifndef DTBD_PIPELINE_VALIDATE_H
#define DTBD_PIPELINE_VALIDATE_H

#include "config/config.h"
#include "pipeline/results.h"

/* Validate every record of the run and resolve submissions (DESIGN §6): adds findings,
 * marks records rejected / superseded / excluded, sets each source's status. Runs once,
 * after all files are recognized, before indicators. */
void validate_run(const struct config *cfg, results *res);

/* Step 1's order of two submissions (the annual plans use it too, DESIGN
 * §10): > 0 when a is newer than b, < 0 when older (never 0 for two
 * different paths). why (may be NULL) gets, in Vietnamese, what decided it
 * as said to the older file ("ngày báo cáo ở cuối biểu …"). */
int validate_source_newer(const source_file *a, const source_file *b, char *why, size_t n);

#endif
