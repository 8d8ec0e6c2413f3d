/*
 * output/feedback.h — the feedback to units, OUTDIR/phan-hoi/ (DESIGN §7,
 * issue 12 "Analyst" and "Units"): one workbook per unit, ready to e-mail
 * back, and don-doc.csv, the reminders to send.
 *
 * Who gets a workbook (`<unit-code>.xlsx`): every registered unit that sent
 * something (a source identified as it) or has a finding of its own, and
 * every agency or district active (config_unit_active_in_year) in a year of
 * the run — a plan year some accepted source covers, the years
 * unit_missing_report looks at (pipeline/validate.h, 11). A provider only
 * when it sent something. A file whose unit is unknown goes to nobody (the
 * analyst sees it in issues.csv).
 *
 * A unit's findings: those whose unit is the unit's code, and those without
 * a unit on a source identified as the unit (a file-level note such as
 * file_name_repaired) — so their count is the rows of issues.csv carrying
 * the unit, plus the unit-less rows of its files. Errors first, then
 * warnings and notes, each in the order found (as issues.csv).
 *
 * The workbook, in Vietnamese, three sheets, each with the title block (the
 * unit's official name and code, the province's Sở Nội vụ, the run's date)
 * repeated on every printed page with the table's header row, A4 landscape,
 * fitted to the page width, footer "Trang x/y":
 *   Cần gửi lại   the counts (files by status, findings by severity) and what
 *                 to resend, per year: the whole report (the unit has a
 *                 unit_missing_report finding), a table the unit's kind must
 *                 report (config_group_required_of) that no counted file
 *                 holds ("thiếu") or whose every figure was rejected ("bị
 *                 loại"), a rejected file (with the reason of its first
 *                 error), a rejected cell (each error finding with a cell
 *                 on a file that was not rejected: file, sheet, cell, rule
 *                 name and message). "Không có gì cần gửi lại." when none.
 *   Tệp đã gửi    its files: path (inside the INPUT folder: feedback_shown_path),
 *                 year, status (Được nhận / Bị thay thế / Bị loại and the
 *                 code), figures, errors, warnings.
 *   Phát hiện     its findings: No., severity, the rule's Vietnamese name
 *                 (config_rule_label; the code when the configuration has
 *                 none) and code, file, sheet, cell, year, message.
 * Every string goes through the project's safe writers
 * (template_write_text / template_safe_text: valid UTF-8, no XML-illegal
 * characters). Numbers are written with LC_NUMERIC "C".
 *
 * don-doc.csv (output/csvout.h conventions: UTF-8, RFC 4180, text cells
 * starting = + - @ neutralized): `unit,name,kind,year,missing,tables`, one
 * row per unit and year to remind, ordered by year then registry order:
 *   missing = report   the unit_missing_report findings (nothing usable was
 *                      sent for that year); tables = every table its kind
 *                      must report;
 *   missing = tables   the unit reported that year but some required tables
 *                      are absent or wholly rejected; tables lists them
 *                      ("Biểu 03; Biểu 02 (bị loại)").
 *
 * Writing: feedback_write() writes into a folder the caller made (a
 * temporary folder the run swaps in as phan-hoi/ when every other output was
 * committed, as charts/: cli/run.c). It stops at the first failure.
 *
 * Ownership: nothing is retained; cfg and res are only read.
 */
#ifndef DTBD_OUTPUT_FEEDBACK_H
#define DTBD_OUTPUT_FEEDBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "base/status.h"
#include "config/config.h"
#include "pipeline/results.h"

typedef struct {
    const char *run_date;   /* "27/11/2026 14:05", shown on every page        */
    const char *version;    /* dtbd's version                                  */
    const char *const *inputs;  /* the INPUT arguments as typed (may be NULL)  */
    size_t ninputs;
} feedback_meta;

/* A file as the workbook shows it to the unit: its label (cli/walk.h)
 * without the INPUT folder it was found in — "2023/DTBD2023_SCT.xlsx", not
 * "../shared/corpus-kg/inbox/2023/…": the analyst's folders mean nothing to a
 * unit. A label under no INPUT folder is shown whole. Points into label. */
const char *feedback_shown_path(const feedback_meta *meta, const char *label);

/* True when unit u gets a workbook (see the top). */
bool feedback_unit_wanted(const struct config *cfg, const results *res, const struct config_unit *u);

/* True when finding f belongs to unit code (see the top). */
bool feedback_finding_of(const results *res, const finding *f, const char *code);

/* don-doc.csv into f; 0, or -1 when a write failed. */
int feedback_reminders_csv(FILE *f, const struct config *cfg, const results *res);

/* Write dir/<unit-code>.xlsx for every unit that gets one and
 * dir/don-doc.csv. DTBD_OK, or DTBD_ERR_WRITE with errno set and a Vietnamese reason in why. */
dtbd_status feedback_write(const char *dir, const struct config *cfg, const results *res, const feedback_meta *meta,
                   char *why, size_t whylen);

#endif
