/*
 * pipeline/ident_private.h — what pipeline/ident.c and ident_text.c share
 * besides ident.h. No ownership.
 */
#ifndef DTBD_PIPELINE_IDENT_PRIVATE_H
#define DTBD_PIPELINE_IDENT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

/* The years a report may be about. */
enum { YEAR_MIN = 1950, YEAR_MAX = 2099 };

/* ident_year_in_text with the strength of the year found (*strength: 2
 * strong — after "năm" not in a date, or "báo cáo"; 1 a bare year; 0 none). */
int ident_year_strength(const char *text, size_t n, int *strength);

/* True when the folded key is a place-and-date line ("Rạch Giá, ngày 15
 * tháng 01 năm 2024", also with the blanks of a template): its place names
 * no unit. */
bool ident_is_date_line(const char *key, size_t n);

#endif
