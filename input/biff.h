/*
 * input/biff.h — walking the records of a BIFF8 or BIFF5 stream ([MS-XLS]
 * 2.1.4; the BIFF5 layout as in OpenOffice's "Excel File Format"
 * documentation) and reading the strings that may run on into CONTINUE
 * records.
 *
 * Contract
 *  - biff_next() yields one record at a time; a record whose header or body
 *    runs past the end of the stream, or whose length exceeds BIFF8's 8224
 *    bytes, is an error (the stream is damaged), never a read out of bounds.
 *  - A biff_cursor reads the body of one record and, when asked for more than
 *    it holds, moves on into the CONTINUE records that follow it. Strings
 *    (XLUnicodeString and its rich/extended form used by SST) are decoded to
 *    UTF-8 NFC, re-reading the high-byte flag at each CONTINUE as the format
 *    requires.
 *
 * Ownership: readers and cursors borrow the stream; decoded text is appended
 * to caller-owned bufs.
 */
#ifndef DTBD_INPUT_BIFF_H
#define DTBD_INPUT_BIFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

enum {
    BIFF_MAX_RECORD = 8224,
    BIFF_FORMULA = 0x0006,
    BIFF_EOF = 0x000A,
    BIFF_FILEPASS = 0x002F,
    BIFF_DATEMODE = 0x0022,
    BIFF_CODEPAGE = 0x0042,
    BIFF_CONTINUE = 0x003C,
    BIFF_FONT = 0x0031,
    BIFF_BOUNDSHEET = 0x0085,
    BIFF_MULRK = 0x00BD,
    BIFF_MULBLANK = 0x00BE,
    BIFF_RSTRING = 0x00D6,
    BIFF_XF = 0x00E0,
    BIFF_MERGEDCELLS = 0x00E5,
    BIFF_SST = 0x00FC,
    BIFF_LABELSST = 0x00FD,
    BIFF_DIMENSION = 0x0200,
    BIFF_NUMBER = 0x0203,
    BIFF_LABEL = 0x0204,
    BIFF_BOOLERR = 0x0205,
    BIFF_STRING = 0x0207,
    BIFF_ARRAY = 0x0221,
    BIFF_TABLE = 0x0236,
    BIFF_RK = 0x027E,
    BIFF_FORMAT = 0x041E,
    BIFF_SHRFMLA = 0x04BC,
    BIFF_BOF = 0x0809
};

typedef struct {
    const unsigned char *data;  /* the whole stream (borrowed)              */
    size_t size;
    size_t pos;                 /* offset of the next record header         */
} biff_reader;

typedef struct {
    uint16_t type;
    uint16_t len;
    size_t off;                 /* offset of the record header in the stream */
    const unsigned char *body;  /* len bytes                                */
} biff_record;

typedef struct {
    const unsigned char *data;  /* the stream                               */
    size_t size;
    const unsigned char *p;     /* next byte of the current segment         */
    size_t left;                /* bytes left in the current segment        */
    size_t next;                /* offset of the record after the segment   */
} biff_cursor;

/* Little-endian reads. */
uint16_t biff_u16(const unsigned char *p);
uint32_t biff_u32(const unsigned char *p);
double biff_f64(const unsigned char *p);

/* Decode an RK number (a packed 30-bit integer or truncated double, maybe
 * divided by 100). */
double biff_rk(uint32_t rk);

/* Start reading records at offset pos. */
void biff_reader_init(biff_reader *r, const unsigned char *data, size_t size, size_t pos);

/* Next record: 1 got one, 0 end of stream, -1 damaged (truncated/oversized). */
int biff_next(biff_reader *r, biff_record *rec);

/* A cursor over the body of rec (in r's stream), starting at byte skip. */
void biff_cursor_init(biff_cursor *c, const biff_reader *r, const biff_record *rec, size_t skip);

/* True when the record and its CONTINUE records are used up. */
bool biff_cursor_at_end(const biff_cursor *c);

/* Copy n bytes, running on into CONTINUE records; false if they end first. */
bool biff_cursor_read(biff_cursor *c, void *out, size_t n);

/* Skip n bytes the same way. */
bool biff_cursor_skip(biff_cursor *c, size_t n);

/* Read a BIFF5 byte string: its length in cch_bytes (1 or 2), then that
 * many 8-bit characters, in the workbook's code page (decoded by the caller);
 * the bytes replace raw's content. False when they run past the records. */
bool biff_cursor_bytes(biff_cursor *c, unsigned cch_bytes, buf *raw);

/* Read an XLUnicodeString-family string whose character count takes
 * cch_bytes (1 or 2) and append its UTF-8 NFC form to out; u16 is scratch.
 * rich_ext: honour the fRichSt/fExtSt flags (SST strings) and skip their data.
 * Fails on truncation, or when the UTF-8 would exceed max_bytes (*too_long
 * set). */
bool biff_cursor_string(biff_cursor *c, unsigned cch_bytes, bool rich_ext, buf *u16, buf *out,
                        size_t max_bytes, bool *too_long);

#endif
