/*
 * output/kehoach.h — the outputs of `dtbd plan` (DESIGN §10): plan-records.csv
 * and the province's consolidated plan ke-hoach-YYYY.xlsx.
 *
 * plan-records.csv: unit,year,group,metric,breakdown,value,quarter,provider,
 * cost,source,file,sheet,cell — one row per accepted (not superseded) class
 * and breakdown given: `all` always (value = the count), `female` / `ethnic`
 * when the plan gives them for the class. group / metric "other" when the
 * text matched nothing. quarter 1–4 or empty; provider the unit code or the
 * text as written; cost and source on the `all` row only. cell: the A1 of
 * the value. Rows sorted by unit, year, file, sheet, row, then all, female,
 * ethnic. Quoting and neutralizing: output/csvout.h.
 *
 * ke-hoach-YYYY.xlsx (libxlsxwriter; A4 landscape, header rows repeated,
 * panes frozen): Tóm tắt (units, classes, persons, cost; the appraisal's
 * counts), Các lớp (every class with provenance, an Excel table with
 * filters), Biểu 02 (persons by content × group in the Biểu 02 layout:
 * contents as columns under their headings, groups as rows), Cơ sở đào tạo
 * (classes and persons by provider), Theo quý (persons by quarter and
 * content), Kinh phí (cost by source), Thẩm định (the findings).
 *
 * Ownership: nothing is retained; the writers read cfg and ps only.
 */
#ifndef DTBD_OUTPUT_KEHOACH_H
#define DTBD_OUTPUT_KEHOACH_H

#include <stdio.h>

#include "config/config.h"
#include "pipeline/planres.h"

typedef struct {
    const char *run_time;     /* "2025-07-20 14:05"                     */
    const char *version;
    int year;                 /* the year planned                         */
} kehoach_meta;

/* plan-records.csv into f; 0, or -1 when a write failed. */
int kehoach_records_csv(FILE *f, const plan_set *ps);

/* ke-hoach-YYYY.xlsx at path; 0, or -1 with a reason in why. */
int kehoach_write(const char *path, const struct config *cfg, const plan_set *ps, const kehoach_meta *m,
                  char *why, size_t whylen);

#endif
