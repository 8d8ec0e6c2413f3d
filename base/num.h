/*
 * base/num.h — doubles to and from decimal text, exactly and fast.
 *
 *  - num_shortest(): the shortest decimal digits that read back as v
 *    (Schubfach: R. Giulietti, "The Schubfach way to render doubles", 2020;
 *    this is an own implementation over the 128-bit table of
 *    base/num_pow10.h, generated and checked by base/gen_pow10.py). Among
 *    the shortest candidates the one nearest v is taken (ties: even last
 *    digit), which is what printf("%.*g") gives at that precision.
 *  - num_parse(): a plain decimal ("-12.50", "4.5E-3") read as exactly the
 *    double strtod() gives, without strtod when it can be sure: up to 19
 *    significant digits and a power of ten within 10^±22 (one exact
 *    multiplication or division when the digits fit in 2^53, Clinger's
 *    fast path), or within 10^±27 on a 64-bit long double with a check that
 *    the double rounding could not have changed the result. Otherwise it
 *    says no and the caller uses strtod().
 *
 * Ownership: pure functions, nothing allocated; thread-safe.
 */
#ifndef DTBD_BASE_NUM_H
#define DTBD_BASE_NUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The decimal digits of v at out (at most 20, no NUL); their count. */
size_t num_uint_text(uint64_t v, char *out);

/* For finite v != 0: |v| reads back from digits * 10^exp10, the shortest
 * such digits (no trailing zero; 1 to 17 digits), nearest |v| among them.
 * The sign of v is ignored; v = 0, NaN or infinity give digits 0. */
void num_shortest(double v, uint64_t *digits, int *exp10);

/* s[0..n) as [-+]digits[.digits][(e|E)[-+]digits] (at least one digit
 * before the exponent, nothing else: no blanks, no "inf") → *out, exactly
 * strtod's value. False when s is not such a text or the fast paths cannot
 * decide: then nothing is written and strtod() must decide. */
bool num_parse(const char *s, size_t n, double *out);

#endif
