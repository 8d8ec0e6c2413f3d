/*
 * output/csvout.h — the CSV exports of DESIGN §7 (records.csv, issues.csv,
 * sources.csv; attainment.csv joins them with the indicator engine) and the
 * field writer they share.
 *
 * Format: UTF-8 without BOM, a header row, comma-separated, CRLF-free ("\n")
 * rows, RFC 4180 quoting (a field holding , " CR or LF is quoted, quotes
 * doubled). A TEXT field that starts with = + - @ (or TAB/CR) is neutralized
 * with a leading apostrophe so no spreadsheet runs it as a formula; numbers
 * are written as numbers (shortest exact form, "." decimal point) and never
 * neutralized.
 *
 * A FILE is written by one thread at a time (each output has its own), so
 * the field writers use stdio's unlocked calls.
 *
 * Writers write to a FILE the caller opened (output/atomic.h gives the
 * temporary-then-rename discipline); they return 0, or -1 when a write failed.
 * They never read inputs. No ownership is taken.
 */
#ifndef DTBD_OUTPUT_CSVOUT_H
#define DTBD_OUTPUT_CSVOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "pipeline/indicators.h"
#include "pipeline/results.h"

/* One text field (neutralized, quoted as needed); first: no comma before it. */
void csvout_text(FILE *f, const char *s, bool first);
/* One numeric field in its shortest exact form. */
void csvout_number(FILE *f, double v, bool first);
/* One integer field. */
void csvout_int(FILE *f, long long v, bool first);
/* An empty field. */
void csvout_empty(FILE *f, bool first);
/* End of row. */
void csvout_eol(FILE *f);

/* unit,year,group,metric,breakdown,value,file,sheet,cell — superseded and
 * rejected records are not written (the source is listed as superseded in
 * sources.csv; the rejection is a finding in issues.csv); excluded records
 * are written (they are data the unit sent, just not counted). */
int csvout_records(FILE *f, const results *r);
/* severity,rule,file,sheet,cell,unit,year,message — errors first, then
 * warnings, then info; within one severity in the order found. */
int csvout_issues(FILE *f, const results *r);
/* file,sha256,format,unit,year,status,records,errors,warnings — the columns
 * of DESIGN §7, in its order; records = the rows records.csv holds from the
 * file (superseded and rejected values not counted) — then the reconciliation issue 3 asks for:
 * cells_read,cells_recorded,cells_rejected,cells_outside (non-empty cells;
 * read = recorded + rejected + outside for every file). */
int csvout_sources(FILE *f, const results *r);
/* indicator,year,scope,unit,numerator,denominator,ratio,target,status — one
 * row per attainment row, in its order; unit empty for the province;
 * numerator/denominator empty without sums; ratio rounded half-even to 6
 * decimals (indicators_ratio_text) or empty; target in its shortest form (0.8). */
int csvout_attainment(FILE *f, const attainment *a);

#endif
