/*
 * input/xls.h — the .xls (BIFF8) reader: FreeXL for the cell values it gives,
 * plus a pass over the BIFF records for what FreeXL 1.0.6 drops: formula
 * cached results (FORMULA + STRING), MERGEDCELLS, hidden sheets (BOUNDSHEET),
 * fonts (FONT/XF), and the date formats.
 *
 * Contract: as wb_read() in workbook.h (called through it).
 */
#ifndef DTBD_INPUT_XLS_H
#define DTBD_INPUT_XLS_H

#include "workbook.h"

/* Called for a file with the OLE2 signature: XLS, ENCRYPTED (an encrypted
 * OOXML package) or OLE_OTHER (no Workbook/Book stream). */
wb_format xls_sniff(const char *path, wb_error *err);

wb_status xls_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                   wb_error *err);

#endif
