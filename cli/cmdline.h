/*
 * cli/cmdline.h — the one grammar of dtbd's command line, and the one way a
 * command loads its configuration (DESIGN §7).
 *
 *  - cli_parse() reads the arguments after the command word. Each command
 *    names the options it takes (CLI_OPT_* bits); every long option is
 *    accepted as "--name VALUE" and "--name=VALUE", before or after the
 *    inputs ("dtbd run hop-thu/ -o ket-qua" is what an analyst types).
 *    Positional arguments are the inputs; "--" ends the options (a file
 *    named "-x" is given after it). A usage error is one Vietnamese line on stderr
 *    ("dtbd CMD: …") and the return value 2 (DESIGN §7's exit status).
 *  - cli_config() loads the configuration a command was given (-c FILE, or
 *    the built-in default); a configuration error is "dtbd: FILE:LINE:COL:
 *    reason" on stderr and NULL (the caller exits 2).
 *
 * Ownership: every pointer in cli_args points into argv. cli_config()'s
 * configuration belongs to the caller (config_free).
 */
#ifndef DTBD_CLI_CMDLINE_H
#define DTBD_CLI_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

enum {
    CLI_OPT_CONFIG = 1u << 0,    /* -c, --config FILE                        */
    CLI_OPT_OUTDIR = 1u << 1,    /* -o, --out DIR (run)                      */
    CLI_OPT_OUTPUT = 1u << 2,    /* -o, --output FILE (template)             */
    CLI_OPT_YEARS = 1u << 3,     /* --years 2021-2025                        */
    CLI_OPT_NO_CHARTS = 1u << 4, /* --no-charts                              */
    CLI_OPT_UNIT = 1u << 5,      /* --unit CODE                              */
    CLI_OPT_YEAR = 1u << 6,      /* --year YYYY                              */
    CLI_OPT_SHEET = 1u << 7,     /* --sheet N|NAME (dump)                    */
    CLI_OPT_JSON = 1u << 8,      /* --json (dump)                            */
    CLI_OPT_THREADS = 1u << 11,  /* --threads N (run, check), 1..CLI_MAX_THREADS */
    CLI_OPT_PLAN = 1u << 12,     /* --plan (template: the annual plan form)   */
    CLI_OPT_HEADCOUNTS = 1u << 13, /* --headcounts records.csv (plan)        */
    CLI_INPUTS = 1u << 9,        /* one or more inputs                       */
    CLI_ONE_INPUT = 1u << 10     /* exactly one input                        */
};

#define CLI_MAX_THREADS 8        /* reading threads a run may be given       */

typedef struct {
    const char *cmd;             /* the command word, for messages            */
    const char *config_path;     /* NULL: the built-in default                */
    const char *outdir;          /* -o of run; NULL: "out"                    */
    const char *output;          /* -o of template                            */
    int year_from, year_to;      /* --years; 0: the plan's years              */
    bool no_charts, json;
    const char *unit;            /* --unit                                    */
    int year;                    /* --year; 0 when not given                  */
    const char *sheet;           /* --sheet                                   */
    int threads;                 /* --threads; 0: the run's default           */
    bool plan;                   /* --plan                                    */
    const char *headcounts;      /* --headcounts                              */
    char *const *inputs;         /* the positional arguments                  */
    size_t ninputs;
} cli_args;

/* Parse argv[0..argc) for command cmd taking the options in `takes`;
 * 0, or 2 after a usage message on stderr. */
int cli_parse(const char *cmd, unsigned takes, int argc, char **argv, cli_args *a);

/* The configuration of a command (a->config_path or the default); NULL after
 * the error on stderr. */
struct config *cli_config(const cli_args *a);

#endif
