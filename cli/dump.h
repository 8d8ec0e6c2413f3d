/*
 * cli/dump.h — `dtbd dump`: the cells of a workbook exactly as read.
 *
 * Text format (DESIGN §7), per sheet:
 *   # sheet NAME[ hidden]
 *   A1<TAB>TYPE<TAB>VALUE          one line per non-empty cell, as delivered
 *   # merge A1:C2                  one line per merged range (after the cells)
 * TYPE is number, text, bool, date or error. Numbers in their shortest exact
 * form, booleans TRUE/FALSE, errors as Excel shows them, dates ISO 8601, and
 * in texts (and sheet names) tab, newline, carriage return and backslash are
 * written \t, \n, \r, \\.
 *
 * JSON format (--json): one object
 *   {"file":…,"format":…,"sheets":[{"name":…,"index":0,"hidden":false,
 *     "cells":[{"ref":"A1","row":0,"col":0,"type":"number","value":12.5,
 *               "font":"Arial"}, …],
 *     "merges":["A1:C2", …]}, …]}
 * numbers and booleans as JSON values, every other value a string.
 *
 * Streaming: nothing is kept per cell; memory is the reader's.
 */
#ifndef DTBD_CLI_DUMP_H
#define DTBD_CLI_DUMP_H

#include <stdbool.h>
#include <stdio.h>

#include "input/workbook.h"

typedef struct {
    bool json;
    const char *sheet;   /* NULL: all sheets; "N" 1-based index or a sheet name */
} dump_options;

/* Dump path to out. Returns DTBD_OK, or the reader's status with err filled
 * (the output may then hold the sheets read before the failure). A --sheet
 * that names no sheet returns DTBD_ERR_FORMAT with the detail saying so. */
dtbd_status dump_file(const char *path, const dump_options *opt, FILE *out, wb_error *err);

#endif
