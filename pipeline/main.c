/*
 * pipeline/main.c — the command line, and nothing else: parse arguments, call
 * the stage that does the work, map its status to an exit code (DESIGN §7):
 *   0 all read and valid · 1 outputs written but errors in the data (for dump:
 *   the file could not be read) · 2 usage or configuration error · 3 outputs
 *   could not be written.
 */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "config/config.h"
#include "config/listing.h"
#include "pipeline/dump.h"
#include "pipeline/run.h"

#define DTBD_VERSION "0.1.0"

static void usage(FILE *f)
{
    fputs("Cách dùng:\n"
          "  dtbd run      [-c CONFIG] [-o OUTDIR] [--years 2021-2025] [--no-charts] INPUT...\n"
          "  dtbd check    [-c CONFIG] INPUT...\n"
          "  dtbd dump     FILE [--sheet N|TÊN] [--json]\n"
          "  dtbd template [-c CONFIG] --unit MÃ --year NĂM -o TỆP.xlsx\n"
          "  dtbd config | dtbd units | dtbd indicators   [-c CONFIG]\n"
          "  dtbd --version\n",
          f);
}

static int cmd_dump(int argc, char **argv)
{
    dump_options opt = {0};
    const char *file = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) opt.json = true;
        else if (strcmp(argv[i], "--sheet") == 0 && i + 1 < argc) opt.sheet = argv[++i];
        else if (strncmp(argv[i], "--sheet=", 8) == 0) opt.sheet = argv[i] + 8;
        else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "dtbd dump: tùy chọn không hợp lệ: %s\n", argv[i]);
            return 2;
        } else if (!file) file = argv[i];
        else {
            fprintf(stderr, "dtbd dump: chỉ nhận một tệp\n");
            return 2;
        }
    }
    if (!file) {
        usage(stderr);
        return 2;
    }
    wb_error err = {0};
    wb_status rc = dump_file(file, &opt, stdout, &err);
    if (rc != WB_OK) {
        char line[1024];
        wb_error_format(&err, file, line, sizeof line);
        fflush(stdout);
        fprintf(stderr, "dtbd: %s\n", line);
        return 1;
    }
    return 0;
}

/* `dtbd config|units|indicators [-c FILE]`: load (and so validate) the
 * configuration, then print it as YAML, as the unit registry or as the
 * indicator list. A configuration error is file:line:col on stderr, exit 2. */
static int cmd_config(const char *cmd, int argc, char **argv)
{
    const char *path = NULL;
    for (int i = 0; i < argc; i++) {
        if ((strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) && i + 1 < argc)
            path = argv[++i];
        else if (strncmp(argv[i], "--config=", 9) == 0)
            path = argv[i] + 9;
        else {
            fprintf(stderr, "dtbd %s: tham số không hợp lệ: %s\n", cmd, argv[i]);
            return 2;
        }
    }
    struct config_error err;
    struct config *cfg = path ? config_load_file(path, &err) : config_load_default(&err);
    if (!cfg) {
        char line[1400];
        config_error_format(&err, line, sizeof line);
        fprintf(stderr, "%s\n", line);
        return 2;
    }
    int rc = 0;
    if (strcmp(cmd, "config") == 0) rc = fwrite(cfg->text, 1, cfg->text_len, stdout) == cfg->text_len ? 0 : -1;
    else if (strcmp(cmd, "units") == 0) rc = config_list_units(cfg, stdout);
    else rc = config_list_indicators(cfg, stdout);
    config_free(cfg);
    if (rc != 0 || fflush(stdout) != 0) {
        fprintf(stderr, "dtbd %s: không ghi được kết quả\n", cmd);
        return 3;
    }
    return 0;
}

int main(int argc, char **argv)
{
    /* Numbers are written with "." in XML, CSV and gnuplot: LC_NUMERIC stays
     * "C"; only the character type follows the environment. */
    setlocale(LC_CTYPE, "");
    setlocale(LC_NUMERIC, "C");
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "dump") == 0) return cmd_dump(argc - 2, argv + 2);
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("dtbd %s\n", DTBD_VERSION);
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "config") == 0 || strcmp(cmd, "units") == 0 || strcmp(cmd, "indicators") == 0)
        return cmd_config(cmd, argc - 2, argv + 2);
    if (strcmp(cmd, "run") == 0 || strcmp(cmd, "check") == 0) {
        bool check = strcmp(cmd, "check") == 0;
        run_options opt;
        int rc = run_parse_args(argc - 2, argv + 2, check, &opt);
        return rc ? rc : run_job(&opt);
    }
    if (strcmp(cmd, "template") == 0) {
        fprintf(stderr, "dtbd %s: lệnh này chưa được xây dựng (xem README)\n", cmd);
        return 2;
    }
    fprintf(stderr, "dtbd: lệnh không hợp lệ: %s\n", cmd);
    usage(stderr);
    return 2;
}
