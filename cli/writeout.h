/*
 * cli/writeout.h — the outputs of `dtbd run`, all or nothing (DESIGN §7):
 * records.csv, issues.csv, sources.csv, attainment.csv, tong-hop.xlsx, the
 * feedback to units (phan-hoi/) and the charts drawn before, written to
 * temporaries (output/atomic.h) and committed together under the output
 * folder's lock (cli/outdir.h).
 *
 * Threads: tong-hop.xlsx is built on the calling thread; the CSVs and the
 * feedback on a thread each meanwhile (they share nothing but the read-only
 * results; libxlsxwriter's closes take one lock, template_workbook_close),
 * and tong-hop.xlsx's list of records on two more (output/tonghop.h).
 *
 * The commit point: SIGINT/SIGTERM are held while the set is renamed and
 * the charts and phan-hoi/ swapped in, so a signal (*stop, set by the
 * caller's handler) lands either before — nothing changes — or after. A run
 * that cannot take the lock within DTBD_LOCK_WAIT seconds (0–3600, default
 * 60) changes nothing.
 *
 * Ownership: nothing is retained; the job's pointers are only read.
 */
#ifndef DTBD_CLI_WRITEOUT_H
#define DTBD_CLI_WRITEOUT_H

#include <signal.h>
#include <stddef.h>

#include "config/config.h"
#include "pipeline/figures.h"
#include "pipeline/indicators.h"
#include "pipeline/planvs.h"
#include "pipeline/results.h"

typedef struct {
    const char *outdir;
    const struct config *cfg;
    const results *res;
    const attainment *att;
    const planvs *pv;
    const fig_index *fig;            /* the run's figures, built once; NULL none */
    const char *charts_tmp;          /* the charts' temporary folder, "" none   */
    char *const *inputs;             /* the INPUTs named, for the feedback      */
    size_t ninputs;
    const char *version;             /* dtbd's, for the workbooks and the marker */
    volatile sig_atomic_t *stop;     /* set by a signal: nothing is committed   */
} writeout_job;

/* Write every output, all or nothing; 0, or -1 with errno set (and a reason
 * in why when a writer gave one). */
int writeout_all(const writeout_job *w, char *why, size_t whylen);

#endif
