/*
 * input/csvfile.h — the .csv reader (libcsv).
 *
 * Contract: as wb_read() in workbook.h (called through it). One sheet, named
 * after the file (its base name without the extension); every non-empty field
 * is a WB_TEXT cell (typing is normalization's job), at the row and column
 * a spreadsheet program would show it (blank lines count as rows). The BOM is
 * stripped; the delimiter (',' or ';', also tab) is detected from the first
 * lines outside quotes; quoted fields keep their newlines; spaces are kept.
 * A file that is not UTF-8 is read as Windows-1258 (decided per file, not per
 * field) and converted to UTF-8 NFC; a file that is mostly UTF-8 (well-formed
 * multi-byte sequences, ill-formed stretches under 1 % of its non-ASCII
 * bytes) is UTF-8 with each stretch U+FFFD, counted in err->repaired and the
 * first such cell in err->repaired_at; a UTF-16LE/BE file
 * with a BOM (Excel's "Unicode text") is converted too, tab-delimited when
 * its sample holds a tab; its invalid units (lone surrogates, an odd last
 * byte) become U+FFFD and are counted in err->repaired, also on success. Streams the file (twice); the rules and limits
 * are detailed at the top of csvfile.c.
 */
#ifndef DTBD_INPUT_CSVFILE_H
#define DTBD_INPUT_CSVFILE_H

#include "input/reader.h"

/* csvfile_read() of path, naming the sheet after `name` instead (the file's
 * real name when path is a private copy, input/snapshot.h). */
dtbd_status csvfile_read_named(const char *path, const char *name, const wb_limits *lim,
                             const wb_sink *sink, wb_error *err);

dtbd_status csvfile_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                       wb_error *err);

#endif
