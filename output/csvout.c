/* output/csvout.c — CSV exports (see csvout.h). */
#include "output/csvout.h"

#include <stdlib.h>
#include <string.h>

#include "base/num.h"

/* ---- fields ------------------------------------------------------------------- */

void csvout_text(FILE *f, const char *s, bool first)
{
    if (!first) putc_unlocked(',', f);
    if (!s) s = "";
    bool neutralize = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
                      s[0] == '\t' || s[0] == '\r';
    size_t plain = strcspn(s, ",\"\r\n");
    bool quote = s[plain] != '\0';
    if (quote) putc_unlocked('"', f);
    if (neutralize) putc_unlocked('\'', f);
    /* runs of text at once, each quote doubled */
    for (const char *p = s; *p;) {
        size_t run = strcspn(p, "\"");
        fwrite_unlocked(p, 1, run, f);
        p += run;
        if (*p == '"') {
            fwrite_unlocked("\"\"", 1, 2, f);
            p++;
        }
    }
    if (quote) putc_unlocked('"', f);
}

void csvout_number(FILE *f, double v, bool first)
{
    char tmp[32];
    wb_number_str(v, tmp);
    if (!first) fputc_unlocked(',', f);
    fwrite_unlocked(tmp, 1, strlen(tmp), f);
}

void csvout_int(FILE *f, long long v, bool first)
{
    if (!first) putc_unlocked(',', f);
    char tmp[20];
    size_t n = num_uint_text(v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v, tmp);
    if (v < 0) putc_unlocked('-', f);
    fwrite_unlocked(tmp, 1, n, f);
}

void csvout_empty(FILE *f, bool first)
{
    if (!first) fputc_unlocked(',', f);
}

void csvout_eol(FILE *f) { fputc_unlocked('\n', f); }

/* ---- tables ------------------------------------------------------------------- */

/* Path of a record's or finding's source, "" when none. */
static const char *source_path(const results *r, uint32_t src)
{
    return src < r->nsources ? r->sources[src].path : "";
}

int csvout_records(FILE *f, const results *r)
{
    fputs("unit,year,group,metric,breakdown,value,file,sheet,cell\n", f);
    for (size_t i = 0; i < r->nrecords; i++) {
        const record *rec = &r->records[i];
        if (!results_record_listed(rec)) continue;
        char cell[16];
        wb_cell_ref(rec->row, rec->col, cell);
        csvout_text(f, rec->unit, true);
        csvout_int(f, rec->year, false);
        csvout_text(f, rec->group, false);
        csvout_text(f, rec->metric, false);
        csvout_text(f, rec->breakdown, false);
        csvout_number(f, rec->value, false);
        csvout_text(f, source_path(r, rec->source), false);
        csvout_text(f, rec->sheet, false);
        csvout_text(f, cell, false);
        csvout_eol(f);
    }
    return ferror(f) ? -1 : 0;
}

int csvout_issues(FILE *f, const results *r)
{
    fputs("severity,rule,file,sheet,cell,unit,year,message\n", f);
    static const severity order[] = {SEV_ERROR, SEV_WARNING, SEV_INFO};
    for (size_t k = 0; k < 3; k++) {
        for (size_t i = 0; i < r->nfindings; i++) {
            const finding *x = &r->findings[i];
            if (x->sev != order[k]) continue;
            csvout_text(f, severity_name(x->sev), true);
            csvout_text(f, x->rule, false);
            csvout_text(f, source_path(r, x->source), false);
            csvout_text(f, x->sheet, false);
            csvout_text(f, x->cell, false);
            csvout_text(f, x->unit, false);
            if (x->year) csvout_int(f, x->year, false);
            else csvout_empty(f, false);
            csvout_text(f, x->message, false);
            csvout_eol(f);
        }
    }
    return ferror(f) ? -1 : 0;
}

int csvout_sources(FILE *f, const results *r)
{
    /* "records" is what records.csv holds from the file: its recognized
     * values less the superseded and rejected ones. */
    size_t *written = calloc(r->nsources ? r->nsources : 1, sizeof *written);
    if (!written) return -1;
    for (size_t i = 0; i < r->nrecords; i++) {
        const record *rec = &r->records[i];
        if (results_record_listed(rec) && rec->source < r->nsources) written[rec->source]++;
    }
    fputs("file,sha256,format,unit,year,status,records,errors,warnings,"
          "cells_read,cells_recorded,cells_rejected,cells_outside\n", f);
    for (size_t i = 0; i < r->nsources; i++) {
        const source_file *s = &r->sources[i];
        csvout_text(f, s->path, true);
        csvout_text(f, s->sha256, false);
        csvout_text(f, wb_format_name(s->format), false);
        csvout_text(f, s->unit, false);
        if (s->year) csvout_int(f, s->year, false);
        else csvout_empty(f, false);
        csvout_text(f, source_status_name(s->status), false);
        csvout_int(f, (long long)written[i], false);
        csvout_int(f, (long long)s->errors, false);
        csvout_int(f, (long long)s->warnings, false);
        csvout_int(f, (long long)s->cells_read, false);
        csvout_int(f, (long long)s->cells_recorded, false);
        csvout_int(f, (long long)s->cells_rejected, false);
        csvout_int(f, (long long)s->cells_outside, false);
        csvout_eol(f);
    }
    free(written);
    return ferror(f) ? -1 : 0;
}

int csvout_attainment(FILE *f, const attainment *a)
{
    fputs("indicator,year,scope,unit,numerator,denominator,ratio,target,status\n", f);
    for (size_t i = 0; i < a->n; i++) {
        const attainment_row *r = &a->rows[i];
        char ratio[32];
        indicators_ratio_text(r, ratio);
        csvout_text(f, r->ind->id, true);
        csvout_int(f, r->year, false);
        csvout_text(f, att_scope_name(r->scope), false);
        csvout_text(f, r->unit, false);
        if (r->has_sums) {
            csvout_number(f, r->numerator, false);
            csvout_number(f, r->denominator, false);
        } else {
            csvout_empty(f, false);
            csvout_empty(f, false);
        }
        csvout_text(f, ratio, false);       /* digits only: never neutralized */
        csvout_number(f, r->target, false);
        csvout_text(f, att_status_name(r->status), false);
        csvout_eol(f);
    }
    return ferror(f) ? -1 : 0;
}
