/*
 * output/tonghop.h — the consolidated workbook tong-hop.xlsx (DESIGN §7,
 * issue 5): what Sở Nội vụ sends up to the province and the ministry.
 *
 * Sheets (Vietnamese labels), in this order:
 *   Tóm tắt           one printed page for leadership, the sheet the workbook
 *                     opens on: the latest year with a province ratio; the
 *                     run's time, the units that reported that year against
 *                     those that had to (agencies and districts active that
 *                     year; a unit merged that year whose successor reported
 *                     is covered by it) and the names of the others, the
 *                     count of each status, the findings; per indicator its
 *                     ratio, target, status coloured and, when not met or
 *                     behind, the three units furthest below their target
 *                     and how many are below; a native column chart of the
 *                     ratios against the targets under the table, inside the
 *                     print area, reading the table's number cells so its
 *                     cached values are the real ratios (output/tonghop_brief.c).
 *   Tổng hợp          each indicator × year for the province: id, plan clause,
 *                     wording, group, kind; numerator, denominator, the ratio
 *                     (a formula numerator / denominator with its cached
 *                     value), target, status coloured (met green, not met red,
 *                     on track yellow-green, behind orange, no data grey); the
 *                     run's time, the plan, the files and findings at the top.
 *   Biểu 0N tổng hợp  the province's consolidated tables in the form's own
 *                     layout (output/template.h: same groups, columns, merged
 *                     headers), one block per year with data, the latest
 *                     first. A cell is Σ over the counted units of the unit's
 *                     figure, as the indicator engine takes it: the group's own
 *                     row when the unit's table has it, else the sum of the
 *                     parts it has (missing when any of those cells is); blank
 *                     when no unit has a figure. "Tổng cộng" SUMs the top rows.
 *                     The print is the latest year's block with its signature
 *                     footer; the earlier years are for the screen.
 *   Theo đơn vị       indicators by kind and by unit for each year, the units
 *                     furthest below their target first (no data last), with
 *                     the gap to the target; filterable.
 *   Dữ liệu           every record records.csv holds, as an Excel table (filters,
 *                     banded rows): unit, year, table, group, content, breakdown,
 *                     value (counts "#,##0", money "#,##0.0##": never a trailing
 *                     decimal separator), file, sheet, cell, whether it is
 *                     counted. For the screen: its print is the first page only,
 *                     the page header saying so.
 *   Kiểm tra          the findings as an Excel table, errors first.
 *   Nguồn             the input files: sha256, format, unit, year, status,
 *                     records (the file's rows of records.csv, as sources.csv
 *                     counts them: 0 for a superseded or rejected file), errors,
 *                     warnings and the cell reconciliation.
 * Counted records: not superseded, rejected or excluded, of a registered unit
 * that is not a training provider (pipeline/indicators.h).
 *
 * Numbers are numbers, percentages are percentage-formatted numbers, header
 * panes are frozen, column widths follow the content (code points, not
 * bytes). Printing: every sheet A4 landscape, a page header naming the sheet's
 * content (and, on Biểu sheets, the year and unit of measure) with the run's
 * time, "Trang x/y" in the footer, the header rows repeated; list sheets
 * fitted to the page width; a Biểu sheet fitted to the width when that keeps
 * ≥ 70 %, else printed at 70 % in column blocks of whole header groups with
 * the STT and label columns repeated. Document properties: title, subject
 * (the plan), comments (dtbd version and run time). Every string is made safe
 * before it is written (template_write_text: valid UTF-8, no XML-illegal
 * characters; page headers too, "&" doubled); every formula carries its
 * cached value. Numbers are written with LC_NUMERIC "C" (set for the call and
 * restored when the caller had another).
 *
 * Ownership: nothing is retained; cfg, res, att and meta are only read.
 */
#ifndef DTBD_OUTPUT_TONGHOP_H
#define DTBD_OUTPUT_TONGHOP_H

#include <stddef.h>

#include "base/status.h"
#include "config/config.h"
#include "pipeline/figures.h"
#include "pipeline/indicators.h"
#include "pipeline/planvs.h"
#include "pipeline/results.h"

typedef struct {
    const char *run_time;   /* "2026-11-27 14:05"                              */
    const char *version;    /* dtbd's version, "0.1.0"                         */
    size_t nfiles;          /* input files read in the run                     */
    const planvs *plan;     /* plan against results (DESIGN §10); NULL or empty:
                               no "Kế hoạch – Thực hiện" sheet                 */
    size_t data_rows;       /* rows of records the Dữ liệu sheet holds at most;
                               0: as many as Excel's grid allows (1,048,575
                               below the header). Past it the sheet says how
                               many it shows of how many; records.csv has all */
    bool data_through_libxlsxwriter;   /* every Dữ liệu row through libxlsxwriter:
                               slower, the same bytes (the tests compare the two
                               ways; output/tonghop_data.c) */
    const fig_index *fig;   /* the run's figures (pipeline/figures.h) when the
                               caller built them from res; NULL: built here */
    bool data_part_missing; /* tests only: the streamed rows look for a part the
                               package does not have, as when libxlsxwriter's
                               part is not as assumed, so tonghop_wait's
                               fallback (the whole workbook again, every row
                               through libxlsxwriter) is exercised */
} workbook_meta;

/* Write tong-hop.xlsx at path (a temporary path from atomic_reserve; the
 * caller renames). att may be NULL (no indicator rows). Returns DTBD_OK, or
 * DTBD_ERR_WRITE with a Vietnamese reason in err (errno kept when a write
 * failed). */
dtbd_status tonghop_write(const char *path, const struct config *cfg, const results *res, const attainment *att,
                          const workbook_meta *meta, char *err, size_t errlen);

/* tonghop_write in two halves, so the caller can write its other outputs
 * while the records of Dữ liệu are compressed into the package on a second
 * thread (output/tonghop_data.c). tonghop_start does everything but that last
 * step, which it starts: *job is the running step (NULL when nothing is left
 * or start failed). tonghop_wait waits for it and returns what tonghop_write
 * would have. Between the two, path is not touched and cfg, res, att and meta
 * stay alive and unchanged; the caller may use libxlsxwriter meanwhile (the
 * second thread never does). Each start is followed by one wait, job NULL or
 * not; the job is freed by it. */
typedef struct tonghop_job tonghop_job;
dtbd_status tonghop_start(const char *path, const struct config *cfg, const results *res, const attainment *att,
                          const workbook_meta *meta, tonghop_job **job, char *err, size_t errlen);
dtbd_status tonghop_wait(tonghop_job *job, char *err, size_t errlen);

#endif
