/*
 * cli/plan.h — `dtbd plan [-c CONFIG] [-o OUTDIR] [--headcounts FILE] --year
 * YYYY INPUT...`: the units' annual training plans of one year (DESIGN §10).
 *
 *   inputs → files (cli/walk.h, as `dtbd run`) → per file: a private copy
 *   (input/snapshot.h), grid_read; a plan (pipeline/plan.h: its title) is
 *   read when it is of --year; any other workbook is read as a report only
 *   for its Biểu 01 headcounts (the appraisal's denominators), never for
 *   findings → plans sent twice resolved → appraisal (headcounts from those
 *   reports and from --headcounts, a previous run's records.csv) → outputs
 *   into OUTDIR, all or nothing (output/atomic.h, under the output folder's
 *   lock, cli/outdir.h): ke-hoach-YYYY.xlsx, plan-records.csv, issues.csv.
 *   An archive (.zip) is not opened by `dtbd plan` (an info finding says so).
 *
 * Exit status as `dtbd run`: 0 all read and valid, 1 outputs written but
 * errors found in the data, 2 usage or configuration error, 3 the outputs
 * could not be written.
 *
 * Ownership: plan_main() owns everything it allocates and frees it before
 * returning.
 */
#ifndef DTBD_CLI_PLAN_H
#define DTBD_CLI_PLAN_H

/* `dtbd plan` with the arguments after the command word; the exit status. */
int plan_main(int argc, char **argv);

#endif
