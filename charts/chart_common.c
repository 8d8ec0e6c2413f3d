/*
 * charts/chart_common.c — the helpers every chart shares (chart_private.h):
 * numbers and labels for gnuplot, text wrapped on two lines, the titles of
 * a chart, the province's row of an indicator, and the look's tables (one
 * look per status, the funding sources' colours).
 */
#include "charts/chart_private.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "charts/labels.h"

/* ---- look ----------------------------------------------------------------- */

const chart_look chart_status_look[N_STATUS] = {
    [ATT_MET] = {"#1a9850", 7},
    [ATT_NOT_MET] = {"#d73027", 11},
    [ATT_ON_TRACK] = {"#e6ab02", 9},
    [ATT_BEHIND] = {"#e66101", 13},
    [ATT_NO_DATA] = {"#9e9e9e", 6},
};

const char *const chart_fund_colours[N_FUND_COLOURS] = {"#2c7fb8", "#d95f0e", "#31a354", "#756bb1",
                                                       "#e7298a", "#66a61e", "#a6761d", "#1b9e77"};

/* ---- text ----------------------------------------------------------------- */

/* Append a number for gnuplot ("." decimal point: LC_NUMERIC stays "C"). */
void chart_put_num(buf *b, double v)
{
    if (isnan(v)) buf_puts(b, "NaN");
    else buf_printf(b, "%.6g", v);
}

/* Append a quoted label built from a printf format of our own. */
void chart_put_quoted_fmt(buf *b, size_t max, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    labels_quote(b, tmp, max);
}

/* Count of code points of UTF-8 text. */
size_t chart_text_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++) n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* Append text as a quoted expression of one line, or of two lines when it
 * is longer than max_line characters: cut at the last space that fits, the
 * rest cut at max_line with "…", joined by a newline made by sprintf (no
 * escape sequence in the script). Returns the number of lines. */
int chart_put_lines(buf *b, const char *text, size_t max_line)
{
    buf clean = BUF_INIT;
    labels_clean(&clean, text, 0);
    const char *t = clean.data ? clean.data : "";
    if (chart_text_chars(t) <= max_line) {
        labels_quote(b, t, 0);
        buf_free(&clean);
        return 1;
    }
    /* The byte offset of the last space within the first max_line chars. */
    size_t chars = 0, cut = 0;
    for (size_t i = 0; t[i] && chars <= max_line; i++) {
        if (((unsigned char)t[i] & 0xC0) == 0x80) continue;
        if (t[i] == ' ') cut = i;
        chars++;
    }
    if (cut == 0) {                     /* one long word: cut it instead */
        labels_quote(b, t, max_line);
        buf_free(&clean);
        return 1;
    }
    buf first = BUF_INIT;
    buf_append(&first, t, cut);
    labels_quote(b, first.data, 0);
    buf_puts(b, ".sprintf('%c',10).");
    labels_quote(b, t + cut + 1, max_line);
    buf_free(&first);
    buf_free(&clean);
    return 2;
}

/* The chart's title (one or two lines) and under it a smaller subtitle,
 * centred on the canvas at fixed distances from its top (in character
 * heights, so every size and terminal looks alike); sets the top margin
 * to fit them. */
void chart_put_titles(buf *b, const char *title, const char *subtitle, size_t max_line)
{
    buf_puts(b, "set label 98 ");
    int lines = chart_put_lines(b, title, max_line);
    buf_puts(b, " at screen 0.5, screen 1 offset 0,-1.5 center font ',16'\n");
    double below = 1.5 + 1.55 * lines;
    if (subtitle && *subtitle) {
        buf_puts(b, "set label 99 ");
        labels_quote(b, subtitle, 170);
        buf_printf(b, " at screen 0.5, screen 1 offset 0,-%.2f center font ',10' tc rgb '" COLOUR_MUTED "'\n",
                   below);
        below += 1.2;
    }
    buf_printf(b, "set tmargin %.1f\n", below + 1.2);
}

/* "T01 — label". */
void chart_indicator_title(const struct config_indicator *ind, buf *out)
{
    buf_puts(out, ind->id);
    buf_puts(out, " — ");
    buf_puts(out, ind->label ? ind->label : "");
}

/* ---- data ----------------------------------------------------------------- */

/* The province row of an indicator and year, or NULL. */
const attainment_row *chart_province_row(const scope *s, const struct config_indicator *ind, int year)
{
    for (size_t i = 0; i < s->att->n; i++) {
        const attainment_row *r = &s->att->rows[i];
        if (r->ind == ind && r->year == year && r->scope == SCOPE_PROVINCE) return r;
    }
    return NULL;
}
