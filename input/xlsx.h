/*
 * input/xlsx.h — the .xlsx reader: libzip + expat, streaming.
 *
 * Contract: as wb_read() in workbook.h (called through it). Sheets are found
 * through xl/workbook.xml and its relationships, never by part name; the
 * worksheet XML is parsed as it is inflated, so memory grows with the shared
 * strings and styles, not with the cells. Every inflated byte counts against
 * wb_limits; a DTD in any part is refused (entity bombs).
 */
#ifndef DTBD_INPUT_XLSX_H
#define DTBD_INPUT_XLSX_H

#include "workbook.h"

/* Called for a file that starts with a zip signature: XLSX, XLSB, ODS or
 * ZIP_OTHER. A zip that libzip cannot open is reported as XLSX (so the
 * reader names the damage). */
wb_format xlsx_sniff(const char *path, wb_error *err);

wb_status xlsx_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                    wb_error *err);

#endif
