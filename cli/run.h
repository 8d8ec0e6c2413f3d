/*
 * cli/run.h — `dtbd run` and `dtbd check`: the whole job, from the
 * folders the analyst names to the outputs (DESIGN §2, §7).
 *
 *   inputs → files (cli/walk.h: recursive, sorted, symlink loops cut,
 *   links out of the INPUT folders and dtbd's own output folders not read,
 *   names relative to the INPUT) → per file: sha256,
 *   grid_read (input/), recognize_workbook (pipeline/) → outputs written to
 *   temporary names and renamed into place together (output/atomic.h).
 *   A plain .zip (input/archive.h) is read like a folder: each member is a
 *   source of its own named "a.zip!/member" (nested "a.zip!/b.zip!/c.xlsx"),
 *   with its own sha256 and the member's mtime from the zip; the zip is
 *   listed too (format archive, no records). Members count against
 *   files_per_run; every cap on a member is a finding for that member.
 *
 * Threads: files are read and recognized on --threads workers (default 2
 * on a machine with two cores or more; 1 reads in the calling thread, as
 * before), each file into results of its own, merged in the input order —
 * every output is the same whatever the number of threads. The workers
 * share the configuration's indexes (pipeline/recognize.h rec_index, read
 * only) and keep a recognition cache each; at most 16 files wait to be
 * merged. When the files_per_run cap falls within a file read ahead, that
 * file and the rest are read again in order.
 *
 * The output folder (cli/outdir.h): temporaries a killed run left are
 * removed first; the outputs and the marker ".dtbd-output" are committed
 * under a lock on OUTDIR/.dtbd-lock — a run that cannot take it within
 * DTBD_LOCK_WAIT seconds (default 60) changes nothing and exits 3.
 *
 * Exit status (DESIGN §7): 0 all read and valid; 1 outputs written but errors
 * found in the data; 2 usage or configuration error; 3 the outputs could not
 * be written (the previous outputs are then left as they were).
 *
 * Ownership: run_job() owns everything it allocates (one results arena per
 * run, one grid arena per workbook, freed as soon as the workbook is done).
 * Memory: once validation has decided which submissions win, the records of
 * those replaced and the "Tổng cộng" rows are dropped (results_drop_superseded:
 * no later stage reads them), so the writing phase holds what the outputs
 * list, not every resubmission read.
 */
#ifndef DTBD_CLI_RUN_H
#define DTBD_CLI_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli/cmdline.h"
#include "config/config.h"
#include "input/reader.h"

#define DTBD_VERSION "0.1.0"

typedef struct {
    cli_args args;                /* -c, -o, --years, --no-charts, --threads, the inputs */
    bool check_only;              /* `dtbd check`: print findings, write nothing  */
    FILE *log;                    /* summary and progress (stderr)                */
} run_options;

/* Most reading threads --threads accepts. */
enum { RUN_MAX_THREADS = CLI_MAX_THREADS };
/* The readers' caps as the configuration sets them (its limits: section,
 * else the readers' defaults) into out; returns files_per_run. */
size_t run_limits(const struct config *cfg, wb_limits *out);

/* Run the job; returns the exit status. */
int run_job(const run_options *opt);


#endif
