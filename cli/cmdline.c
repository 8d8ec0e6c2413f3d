/* cli/cmdline.c — the command line's grammar and the configuration of a
 * command (see cmdline.h). */
#include "cli/cmdline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One option: its bit, its short and long names, whether it takes a value. */
static const struct opt_def {
    unsigned bit;
    const char *shrt, *lng;
    bool value;
} opt_defs[] = {
    {CLI_OPT_CONFIG, "-c", "--config", true},   {CLI_OPT_OUTDIR, "-o", "--out", true},
    {CLI_OPT_OUTPUT, "-o", "--output", true},   {CLI_OPT_YEARS, NULL, "--years", true},
    {CLI_OPT_NO_CHARTS, NULL, "--no-charts", false}, {CLI_OPT_UNIT, NULL, "--unit", true},
    {CLI_OPT_YEAR, NULL, "--year", true},       {CLI_OPT_SHEET, NULL, "--sheet", true},
    {CLI_OPT_JSON, NULL, "--json", false},     {CLI_OPT_THREADS, NULL, "--threads", true},
    {CLI_OPT_PLAN, NULL, "--plan", false},     {CLI_OPT_HEADCOUNTS, NULL, "--headcounts", true},
};

/* The definition arg names among those the command takes; *inline_value
 * points past "=" for "--name=VALUE". */
static const struct opt_def *find_opt(unsigned takes, const char *arg, const char **inline_value)
{
    *inline_value = NULL;
    for (size_t i = 0; i < sizeof opt_defs / sizeof *opt_defs; i++) {
        const struct opt_def *d = &opt_defs[i];
        if (!(takes & d->bit)) continue;
        if (d->shrt && strcmp(arg, d->shrt) == 0) return d;
        size_t n = strlen(d->lng);
        if (strncmp(arg, d->lng, n) != 0) continue;
        if (arg[n] == '\0') return d;
        if (arg[n] == '=' && d->value) {
            *inline_value = arg + n + 1;
            return d;
        }
    }
    return NULL;
}

/* "2021-2025" or "2024" into a. */
static bool parse_years(const char *s, cli_args *a)
{
    char *end;
    long from = strtol(s, &end, 10), to = from;
    if (*end == '-') to = strtol(end + 1, &end, 10);
    if (end == s || *end || from < 1900 || to < from || to > 2100) return false;
    a->year_from = (int)from;
    a->year_to = (int)to;
    return true;
}

/* Store an option's value; false on a bad value (message printed). */
static bool set_opt(cli_args *a, unsigned bit, const char *v)
{
    char *end;
    long y;
    switch (bit) {
    case CLI_OPT_CONFIG: a->config_path = v; return true;
    case CLI_OPT_OUTDIR: a->outdir = v; return true;
    case CLI_OPT_OUTPUT: a->output = v; return true;
    case CLI_OPT_NO_CHARTS: a->no_charts = true; return true;
    case CLI_OPT_JSON: a->json = true; return true;
    case CLI_OPT_PLAN: a->plan = true; return true;
    case CLI_OPT_HEADCOUNTS: a->headcounts = v; return true;
    case CLI_OPT_UNIT: a->unit = v; return true;
    case CLI_OPT_SHEET: a->sheet = v; return true;
    case CLI_OPT_YEARS:
        if (parse_years(v, a)) return true;
        fprintf(stderr, "dtbd %s: --years cần dạng 2021-2025: %s\n", a->cmd, v);
        return false;
    case CLI_OPT_THREADS:
        y = strtol(v, &end, 10);
        if (end != v && *end == '\0' && y >= 1 && y <= CLI_MAX_THREADS) {
            a->threads = (int)y;
            return true;
        }
        fprintf(stderr, "dtbd %s: --threads cần một số từ 1 đến %d: %s\n", a->cmd, CLI_MAX_THREADS, v);
        return false;
    case CLI_OPT_YEAR:
        y = strtol(v, &end, 10);
        if (end != v && *end == '\0' && y >= 1900 && y <= 2099) {
            a->year = (int)y;
            return true;
        }
        fprintf(stderr, "dtbd %s: năm không hợp lệ: %s\n", a->cmd, v);
        return false;
    }
    return false;
}

/* The positional arguments: the inputs the command takes. */
static int check_inputs(unsigned takes, cli_args *a, char **pos, size_t npos)
{
    a->inputs = pos;
    a->ninputs = npos;
    if ((takes & CLI_INPUTS) && npos == 0) {
        fprintf(stderr, "dtbd %s: cần ít nhất một tệp hoặc thư mục đầu vào\n", a->cmd);
        return 2;
    }
    if ((takes & CLI_ONE_INPUT) && npos != 1) {
        fprintf(stderr, npos ? "dtbd %s: chỉ nhận một tệp\n" : "dtbd %s: cần một tệp\n", a->cmd);
        return 2;
    }
    if (!(takes & (CLI_INPUTS | CLI_ONE_INPUT)) && npos) {
        fprintf(stderr, "dtbd %s: tham số không hợp lệ: %s\n", a->cmd, pos[0]);
        return 2;
    }
    return 0;
}

int cli_parse(const char *cmd, unsigned takes, int argc, char **argv, cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    /* positional arguments are collected in place at the front of argv */
    size_t npos = 0;
    bool options_over = false;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        bool positional = options_over || arg[0] != '-' || arg[1] == '\0';
        if (!positional && strcmp(arg, "--") == 0) {
            options_over = true;
            continue;
        }
        if (positional) {
            argv[npos++] = argv[i];
            continue;
        }
        const char *inl;
        const struct opt_def *d = find_opt(takes, arg, &inl);
        if (!d || (d->value && !inl && i + 1 >= argc)) {
            fprintf(stderr, "dtbd %s: tùy chọn không hợp lệ: %s\n", cmd, arg);
            return 2;
        }
        const char *v = d->value ? (inl ? inl : argv[++i]) : NULL;
        if (!set_opt(a, d->bit, v)) return 2;
    }
    return check_inputs(takes, a, argv, npos);
}

struct config *cli_config(const cli_args *a)
{
    struct config_error err;
    struct config *cfg = a->config_path ? config_load_file(a->config_path, &err) : config_load_default(&err);
    if (!cfg) {
        char line[1400];
        config_error_format(&err, line, sizeof line);
        fprintf(stderr, "dtbd: %s\n", line);
    }
    return cfg;
}
