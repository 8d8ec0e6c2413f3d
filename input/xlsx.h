/*
 * input/xlsx.h — the .xlsx reader: libzip + expat, streaming.
 *
 * Contract: as wb_read() in workbook.h (called through it). Sheets are found
 * through _rels/.rels → the workbook part → its relationships, in <sheets>
 * order, never by part name; styles and shared strings through the workbook's
 * relationships. Part names are looked up as written, then ASCII
 * case-insensitively (OPC), then reading '\' in entry names as '/' (zips
 * written with Windows paths, "xl\worksheets\sheet1.xml"): for sniffing too.
 * The text of an inline-string cell (t="inlineStr") is its <is> alone (rich
 * runs joined, phonetic runs skipped): a stray <v> there is ignored, as
 * openpyxl does; any other cell type reads its <v> and ignores a stray <is>.
 * Each part is parsed as it is inflated, so memory grows with the shared
 * strings and styles, not with the cells. Cells without a value
 * (styled blanks, formulas without a cached value, empty strings) are not
 * delivered. Every inflated byte counts against wb_limits (total, per-entry
 * ratio, and the entry's declared size); a DTD in any part is refused (entity
 * bombs); one XML token (a tag with its attributes) may not exceed
 * max_string_bytes + 1 MiB. Two sheets whose relationships name one part
 * are DTBD_ERR_CORRUPT (1,024 <sheet>s on one part read it 1,024 times). A
 * shared-string cell carries wb_cell.shared = 1 + its index. Errors name the
 * part, and the sheet and cell when known.
 *
 * Ownership: nothing outlives xlsx_read(); callback pointers are valid only
 * during the callback.
 */
#ifndef DTBD_INPUT_XLSX_H
#define DTBD_INPUT_XLSX_H

#include "input/reader.h"

/* Called for a file that starts with a zip signature: XLSX, XLSB, ODS,
 * ZIP_OTHER (another package: OOXML's [Content_Types].xml, ODF's or EPUB's
 * mimetype, a JAR manifest) or ARCHIVE (a plain zip of files). A zip that libzip cannot open is reported as XLSX (so the
 * reader names the damage). */
wb_format xlsx_sniff(const char *path, wb_error *err);

/* Read the workbook at path into sink (see wb_read). */
dtbd_status xlsx_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                    wb_error *err);

#endif
