/*
 * charts/gnuplot.h — the gnuplot driver (DESIGN §8): ONE gnuplot process per
 * run, fed every chart's commands and inline data blocks (`$d << EOD`)
 * through a pipe — no temporary data files — with its stderr (and stdout)
 * read back through a second pipe, never left on the user's terminal.
 *
 * Attribution: before each chart's script the driver sends
 *     print '@@dtbd-chart NAME'
 * (print writes to stderr), so whatever gnuplot writes after that marker —
 * an error echoes the offending command — belongs to chart NAME. gnuplot
 * goes on after an error (reading a pipe, it behaves as when interactive)
 * and exits 1 at the end; the caller turns each chart's messages into a
 * finding and the run goes on.
 *
 * Process: gnuplot is looked up on PATH by the driver (so "not installed" is
 * a status of its own, DTBD_ERR_GNUPLOT_NOT_FOUND), started with -d (no ~/.gnuplot or
 * system init file changes the charts) in the working folder given, so
 * output file names in the scripts are plain ASCII slugs — no path from the
 * command line is ever written into gnuplot's language. Writes and reads are
 * multiplexed with poll(), so a gnuplot that fills its stderr pipe never
 * deadlocks us; SIGPIPE is ignored while writing (restored after), so a
 * gnuplot that dies is a status, not the end of dtbd. A gnuplot silent for
 * GNUPLOT_TIMEOUT_MS while we wait on it is killed.
 *
 * Ownership: gnuplot_open() returns a handle the caller must pass to
 * gnuplot_close() exactly once (which frees it and reaps the process). The
 * report filled by gnuplot_close() owns its strings until
 * gnuplot_report_free().
 */
#ifndef DTBD_CHARTS_GNUPLOT_H
#define DTBD_CHARTS_GNUPLOT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

#define GNUPLOT_TIMEOUT_MS 120000


typedef struct gnuplot gnuplot;

/* What gnuplot wrote while drawing one chart: its lines, blank lines and
 * caret lines dropped, each trimmed, joined with " | ". */
typedef struct {
    char *chart;            /* the NAME of the marker; "" before the first one     */
    char *text;
} gnuplot_message;

typedef struct {
    gnuplot_message *msgs;
    size_t n;
    int exit_code;          /* gnuplot's exit status; -1 when killed by a signal   */
    int signal;             /* the signal that ended it, else 0                    */
} gnuplot_report;

/* Find gnuplot on PATH (NULL: the environment's) and return its absolute
 * path in out (n bytes); false when there is none. */
bool gnuplot_find(const char *path_env, char *out, size_t n);

/* Start gnuplot in folder workdir. On success *out is the handle. */
dtbd_status gnuplot_open(const char *workdir, gnuplot **out);

/* Send one chart's commands (script[0..n), whole lines) after its marker.
 * chart must be an ASCII slug ([a-z0-9.-], e.g. "t01.png"). Once a send fails the handle
 * only waits to be closed: later sends return the same status. */
dtbd_status gnuplot_send(gnuplot *g, const char *chart, const char *script, size_t n);

/* Close gnuplot's input, read the rest of its output, reap it, attribute
 * what it wrote to the charts (into *rep, which the caller frees with
 * gnuplot_report_free()) and free the handle. Returns the first failure:
 * a failed send, a timeout, or DTBD_ERR_GNUPLOT_EXIT for a non-zero exit (which
 * gnuplot also gives after any error it reported in the messages). */
dtbd_status gnuplot_close(gnuplot *g, gnuplot_report *rep);

void gnuplot_report_free(gnuplot_report *rep);

#endif
