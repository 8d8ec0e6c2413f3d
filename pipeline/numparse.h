/*
 * pipeline/numparse.h — numbers typed as text in a data cell (DESIGN §4.2,
 * §6 "Semantics the numbers depend on"; issue 3 "Numbers").
 *
 * Units type figures as text with Vietnamese or English separators, dashes
 * for zero, stray spaces. This module turns such a text into a value, or
 * says it cannot — it never guesses.
 *
 * Rules (every rule has a test in tests/unit/test_numparse.c)
 *  - Surrounding white space is ignored: ASCII space, tab, line breaks, NBSP
 *    (U+00A0), figure/thin/narrow no-break space (U+2007, U+2009, U+202F),
 *    zero-width space (U+200B) and a BOM.
 *  - Zero marks: nothing left, or only dashes ("-", "–", "—", "−", "‐", "‑",
 *    "‒", "―", fullwidth "－"; several, with spaces between, too: "- -") →
 *    NUMPARSE_ZERO_MARK, *out = 0. A typed "0" ("0", "0,0") is a VALUE 0.
 *  - Sign: a leading "+", or a minus ("-", "−" U+2212, "–" U+2013) directly
 *    before the first digit; a negative number is returned as a VALUE (the
 *    validator flags negative counts). "- 5" (a space after the dash) is BAD.
 *  - Digits are grouped by separators: ".", ",", or one space-like character
 *    (space, NBSP, U+2007, U+2009, U+202F). A thousands grouping is: a first
 *    group of 1–3 digits not starting with 0 (a lone "0" is no group), then
 *    groups of exactly 3 digits, all separated by the same character.
 *  - Count columns (decimal_ok false): an integer, plain ("1234", leading
 *    zeros allowed: "05") or with a thousands grouping ("1.234", "1,234",
 *    "1 234", "1.234.567"). A fraction of zeros only is accepted ("12,00",
 *    "1.234,0" → the integer): it cannot mean anything else. Any other
 *    fraction ("12,5", "12.5", "1.23") is BAD: text that is not a clean
 *    integer is not a number to count with.
 *  - Decimal columns (decimal_ok true: money, Biểu 03), Vietnamese first:
 *      "1.234,5" → 1234.5 ("." thousands, "," decimal);
 *      "1,234.5" → 1234.5 (English: both separators, the last one decimal,
 *                 used once, the earlier ones a thousands grouping);
 *      "12,5" → 12.5, "125,50" → 125.5, "12.5" → 12.5 (one separator not
 *                 followed by exactly 3 digits can only be a decimal);
 *      "1.234.567" / "1,234,567" / "1 234" → thousands (a separator used
 *                 twice or a space cannot be a decimal);
 *      one separator followed by exactly 3 digits — AMBIGUOUS — decided the
 *      Vietnamese way: "1.234" → 1234 ("." groups thousands) and
 *      "1,234" → 1.234 ("," is the decimal comma). Money in triệu đồng with
 *      three decimals (a figure to the thousand đồng: "12,345" triệu =
 *      12 345 000 đ) is common in these reports, and a spreadsheet in the
 *      Vietnamese locale displays exactly these forms. "0,125" / "0.125" have
 *      a lone 0 before the separator, which is no thousands group: 0.125.
 *  - At most 15 significant digits (no count or sum of money here has more;
 *    beyond that a double is no longer exact) — more is BAD.
 *  - Anything else is BAD: letters, "%", "N/A", "x", "?", "(5)", "1e3",
 *    empty groups (".5", "12.", "1..2"), two separators in a row, a space
 *    inside a fraction, mixed thousands separators ("1.234 567").
 *
 * Ownership: nothing is allocated or retained; the text need not be
 * NUL-terminated (n bytes are read).
 */
#ifndef DTBD_PIPELINE_NUMPARSE_H
#define DTBD_PIPELINE_NUMPARSE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { NUMPARSE_VALUE, NUMPARSE_ZERO_MARK, NUMPARSE_BAD } numparse_result;

/* Parse the text of a data cell. decimal_ok: the column allows decimals (money,
 * Biểu 03) — counts never do. On NUMPARSE_VALUE *out is the value; on
 * NUMPARSE_ZERO_MARK (blank, spaces only, "-", "–", "—", "−", "- ") *out is 0;
 * NUMPARSE_BAD: anything else — never guess (*out is then 0). out may be NULL. */
numparse_result numparse_text(const char *s, size_t n, bool decimal_ok, double *out);

/* True when v is a whole number a count may hold: finite, and within
 * 1e-9 × max(1, |v|) of an integer — so a formula's 0.1 * 30 =
 * 3.0000000000000004 is still 3, while 12.5 is not. */
bool numparse_is_count_integer(double v);

#endif
