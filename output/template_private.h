/*
 * output/template_private.h — what output/template.c and template_blank.c
 * share besides template.h. No ownership.
 */
#ifndef DTBD_OUTPUT_TEMPLATE_PRIVATE_H
#define DTBD_OUTPUT_TEMPLATE_PRIVATE_H

#include <xlsxwriter.h>

/* Keep the first error. */
static inline void keep(lxw_error *err, lxw_error e)
{
    if (*err == LXW_NO_ERROR && e != LXW_NO_ERROR) *err = e;
}

/* Lines a text needs in a cell `width` characters wide (bold headers run a
 * little wider than their character count). */
unsigned template_lines_for(const char *s, double width, double factor);

#endif
