/*
 * charts/labels.h — untrusted text made safe for gnuplot (DESIGN §8), and
 * ASCII slugs for chart file names.
 *
 * Unit names and other text from e-mailed workbooks reach gnuplot's command
 * language. A label must never run a command, so every piece of text that
 * is not a fixed string of this program goes through labels_quote*(), which
 * emits ONE gnuplot string expression made only of single-quoted literals
 * that hold no quote at all, joined by sprintf('%c',39) — a quote — for each
 * quote of the text:
 *
 *   1. Invalid UTF-8 is replaced, byte by byte, with U+FFFD.
 *   2. Control characters (C0, DEL, C1, U+2028, U+2029) become a space, so
 *      no literal holds a newline or a carriage return.
 *   3. Each single quote ends the literal, adds .sprintf('%c',39). and
 *      starts a new one: Sở 'X' → 'Sở '.sprintf('%c',39).'X'.sprintf('%c',39)
 *      (an empty literal at either end dropped).
 *   4. labels_quote_format() also doubles '%', for strings gnuplot reads as
 *      a format (explicit tic labels go through its gprintf).
 *
 * Why not '' (gnuplot's documented escape inside single quotes)? gnuplot
 * 5.4's scanner takes '' only right after a character that is not a quote:
 * 'a''' is a' but '''a' and 'a''''b' fall apart into several tokens. Why
 * not "'"? The @macro expander's quote tracking loses count on it and then
 * expands a later '@m' (both found by the property test). So the only
 * quotes in the expression are the pairs that open and close literals.
 *
 * Why the result is safe (gnuplot 5.4; tests/unit/test_labels.c checks it
 * against a real gnuplot on thousands of hostile random strings): gnuplot's
 * scanner reads a single-quoted string up to the next quote, so each literal
 * ends exactly at our closing quote (followed by '.', or by what the caller
 * writes next, which must not be a quote). Inside single quotes gnuplot
 * does no backslash escapes and no backquote command substitution, and its
 * @macro expansion skips quoted text — quotes here come in open/close pairs
 * only, so its count never slips. With no newline inside, the text cannot
 * end the command line, and since the expression ends in a quote or a
 * parenthesis, a trailing backslash cannot join the next line to it. What
 * is left is rendering: the charts set `noenhanced`, so @ & { } ^ _ ~ are
 * drawn as themselves.
 *
 * Every place the charts put text takes a string expression: titles, axis
 * labels, set label, key titles, plot titles, tic lists, multiplot titles
 * (tested with gnuplot 5.4).
 *
 * Data blocks (`$d << EOD`) carry only numbers and text this program
 * formats itself — never text from the data.
 *
 * Ownership: functions append to a caller-owned buf (which records
 * out-of-memory in .oom); nothing is allocated otherwise.
 */
#ifndef DTBD_CHARTS_LABELS_H
#define DTBD_CHARTS_LABELS_H

#include <stddef.h>

#include "base/buf.h"

/* Append the text a chart shows for s: valid UTF-8, control characters as
 * spaces; at most max_chars code points (0: no limit), a longer text cut
 * and ended with "…". NULL is "". */
void labels_clean(buf *out, const char *s, size_t max_chars);

/* Append s (cleaned, at most max_chars code points, 0: no limit) as one
 * gnuplot string expression of quote-free single-quoted literals. */
void labels_quote(buf *out, const char *s, size_t max_chars);

/* The same for strings gnuplot uses as a format (explicit tic labels):
 * '%' is doubled as well, so it is drawn as itself. */
void labels_quote_format(buf *out, const char *s, size_t max_chars);

/* Write an ASCII file-name slug of s into out (n bytes, n ≥ 2): lower-case
 * letters and digits, every other run of bytes one '-', no leading or
 * trailing '-'; "x" when nothing is left. For ids and codes, never for
 * text from the data. */
void labels_slug(const char *s, char *out, size_t n);

#endif
