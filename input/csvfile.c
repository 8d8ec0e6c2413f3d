/*
 * input/csvfile.c — the .csv reader on libcsv (see csvfile.h).
 *
 * Design: two streaming passes over the file, in 64 KiB chunks, so memory does
 * not grow with the file (only with its longest field, which the limits cap).
 *
 *  Pass 1 (decide) reads the bytes after the BOM and
 *    - checks whether the WHOLE file is valid UTF-8 (a CSV saved as Windows-1258
 *      can look like UTF-8 for thousands of lines before its first accented
 *      letter, and decoding half a file one way and half the other would mix
 *      encodings in one table: the decision is per file, never per field);
 *    - samples the first 20 non-blank lines (or 64 KiB) to pick the delimiter.
 *    With a BOM the encoding is known and pass 1 stops after the sample.
 *  Pass 2 (parse) rewinds and feeds the same byte stream to libcsv; each field
 *    is converted to UTF-8 NFC in the field callback and handed to the sink.
 *
 * Encodings
 *  - UTF-8 BOM (EF BB BF): stripped; the file is UTF-8 whatever follows (an
 *    ill-formed sequence becomes U+FFFD, counted as below; the BOM states the
 *    writer's intent).
 *  - UTF-16LE / UTF-16BE BOM (Excel's "Unicode text" export): decoded to UTF-8
 *    chunk by chunk before libcsv sees it (surrogate pairs may straddle chunks;
 *    lone surrogates and an odd trailing byte become U+FFFD, counted in
 *    wb_error.repaired so the run can say so).
 *  - No BOM: UTF-8 when the file is well-formed UTF-8 (pure ASCII included),
 *    or mostly so: it has well-formed multi-byte sequences and its ill-formed
 *    stretches are under 1 % of its non-ASCII bytes (one stray 0xD0 in a
 *    UTF-8 export made a whole report Windows-1258 mojibake: no_form, 104
 *    records lost); each stretch becomes U+FFFD, counted in wb_error.repaired
 *    with the first cell in wb_error.repaired_at. Else Windows-1258 for the
 *    whole file (its Vietnamese letters are single bytes: nearly every
 *    non-ASCII byte is ill-formed UTF-8).
 *  Every cell text is then NFC; a NUL byte in a field becomes U+FFFD so that
 *  texts stay usable as C strings.
 *
 * Delimiter rule (',' ';' or tab), on the sampled lines, outside quotes:
 *  count each candidate per line (blank lines skipped). A candidate that occurs
 *  the same non-zero number of times on every sampled line ("consistent") beats
 *  one that does not; between two of the same kind the larger total wins; ties
 *  go to ',' then ';' then tab; no candidate at all → ','. A file with a
 *  UTF-16 BOM is Excel's "Unicode text" (Save As → Unicode Text: tab-delimited,
 *  CRLF, quoted with '"'): there a tab anywhere in the sample wins. Why consistency
 *  first: a Vietnamese-locale Excel writes ';' between fields and ',' as the
 *  decimal mark ("1;12,5;7,25"), where commas can outnumber semicolons, but
 *  spreadsheet exports pad every row to the same width.
 *
 * Rows and columns are counted here, not by libcsv: every line end outside
 * quotes (LF, CRLF or a lone CR) ends a row, blank lines included, so that A5
 * is the cell a spreadsheet program would show as A5. Spaces are kept (libcsv
 * trims them unless told every character is not a space). Malformed quoting
 * is read leniently (libcsv's non-strict mode); a quote left open at EOF keeps
 * its text up to the end of the file (csv_fini flushes it). Because spaces
 * are data, a quote after leading spaces (` "a,b"`) opens no quoted field:
 * it is a literal quote, as in Excel.
 *
 * Limits: a converted field longer than max_string_bytes, or more non-empty
 * cells than max_cells_per_sheet, is DTBD_ERR_LIMIT naming the cell. libcsv
 * buffers a whole field before its callback, so the raw field is also checked
 * after every chunk (against 4 × max_string_bytes: NFC shrinks UTF-8 by less
 * than that) to stop a hostile one-field file early.
 *
 * Ownership: everything allocated here is freed before csvfile_read() returns;
 * pointers handed to the sink live until the callback returns.
 */
#include "input/csvfile.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "base/syserr.h"

/* ---- private ---------------------------------------------------------------- */

#define CSV_CHUNK 65536u          /* bytes read from the file at a time          */
#define SAMPLE_LINES 20u          /* lines sampled for the delimiter            */
#define SAMPLE_BYTES 65536u       /* … or this many bytes, whichever comes first */

typedef enum { ENC_UNDECIDED, ENC_UTF8, ENC_CP1258, ENC_UTF16LE, ENC_UTF16BE } csv_encoding;

static const unsigned char DELIMS[3] = {',', ';', '\t'}; /* in tie-break order */

/* The file after its BOM as a stream of chunks: raw bytes for UTF-8 and
 * Windows-1258, UTF-8 for UTF-16 (decoded here). */
typedef struct {
    FILE *f;
    long start;                   /* offset of the first byte after the BOM    */
    csv_encoding enc;
    unsigned char raw[CSV_CHUNK];
    buf dec;                      /* the decoded chunk of a UTF-16 file        */
    int odd;                      /* first byte of a split UTF-16 unit, or -1  */
    unsigned long high;           /* pending high surrogate, or 0              */
    unsigned long repaired;       /* units replaced by U+FFFD (pass 2 counts)  */
    bool have_repaired;           /* repaired_row/col hold the first such cell  */
    uint32_t repaired_row, repaired_col;
    unsigned char work[CSV_CHUNK + 4]; /* the UTF-8 tally's carry + chunk      */
} csv_source;

/* Streaming UTF-8 tally (text_utf8_tally): a sequence may straddle two
 * chunks. */
typedef struct {
    size_t ncarry;                /* bytes carried at the start of s->work     */
    uint64_t multi, bad, nonascii;
} utf8_check;

/* Delimiter sample (see the rule at the top). */
typedef struct {
    bool in_quotes, nonblank, done;
    unsigned lines;               /* non-blank lines counted                   */
    size_t bytes;
    unsigned long long cur[3], first[3], total[3];
    bool consistent[3];
} delim_sample;

/* Everything one read needs; allocated on the heap (it holds the chunk). */
typedef struct {
    csv_source src;
    const wb_limits *lim;
    const wb_sink *sink;
    wb_error *err;
    wb_sheet_info sheet;
    size_t raw_limit;             /* bytes libcsv may buffer for one field      */
    unsigned long long row, col, cells;
    bool after_cr;                /* the last row ended with CR, no field since */
    bool stop;                    /* an error or the sink ended the read        */
    dtbd_status status;
    buf text;                     /* the converted field                       */
    buf name;                     /* the sheet name                            */
} csv_reader;

/* Feed one chunk (n == 0: the end of the file) to the UTF-8 tally; an
 * incomplete sequence at its end waits for the next chunk. */
static void utf8_check_feed(utf8_check *v, csv_source *s, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) v->nonascii += p[i] >= 0x80;
    memcpy(s->work + v->ncarry, p, n);
    size_t len = v->ncarry + n;
    size_t carry = text_utf8_tally((const char *)s->work, len, n == 0, &v->multi, &v->bad);
    memmove(s->work, s->work + len - carry, carry);
    v->ncarry = carry;
}

/* End of a sampled line: fold its counts into the totals. */
static void sample_end_line(delim_sample *s)
{
    if (s->nonblank) {
        for (int d = 0; d < 3; d++) {
            if (s->lines == 0) {
                s->first[d] = s->cur[d];
                s->consistent[d] = s->cur[d] > 0;
            } else if (s->cur[d] != s->first[d]) {
                s->consistent[d] = false;
            }
            s->total[d] += s->cur[d];
        }
        s->lines++;
    }
    memset(s->cur, 0, sizeof s->cur);
    s->nonblank = false;
    if (s->lines >= SAMPLE_LINES) s->done = true;
}

/* Feed a chunk to the delimiter sample. */
static void sample_feed(delim_sample *s, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n && !s->done; i++) {
        unsigned char c = p[i];
        if (c == '"') {
            s->in_quotes = !s->in_quotes;   /* a doubled quote toggles twice */
            s->nonblank = true;
        } else if (!s->in_quotes && (c == '\n' || c == '\r')) {
            sample_end_line(s);
        } else {
            s->nonblank = true;
            if (!s->in_quotes)
                for (int d = 0; d < 3; d++)
                    if (c == DELIMS[d]) s->cur[d]++;
        }
        if (++s->bytes >= SAMPLE_BYTES && !s->done) {
            /* a cut line says little, unless it is all we have */
            if (s->lines == 0) sample_end_line(s);
            s->done = true;
        }
    }
}

/* Pick the delimiter from a finished sample. */
static unsigned char sample_choose(delim_sample *s)
{
    if (!s->done) sample_end_line(s);     /* EOF ends the last line */
    int best = -1;
    for (int d = 0; d < 3; d++) {
        if (s->total[d] == 0) continue;
        if (best < 0 || (s->consistent[d] && !s->consistent[best]) ||
            (s->consistent[d] == s->consistent[best] && s->total[d] > s->total[best]))
            best = d;
    }
    return best < 0 ? ',' : DELIMS[best];
}

/* Append one UTF-16 code unit to the decoded chunk, pairing surrogates. */
static void utf16_unit(csv_source *s, unsigned long u)
{
    if (s->high) {
        if (u >= 0xDC00 && u <= 0xDFFF) {
            text_put_codepoint(&s->dec, 0x10000 + ((s->high - 0xD800) << 10) + (u - 0xDC00));
            s->high = 0;
            return;
        }
        text_put_codepoint(&s->dec, 0xFFFD);        /* lone high surrogate */
        s->high = 0;
        s->repaired++;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
        s->high = u;
        return;
    }
    if (u >= 0xDC00 && u <= 0xDFFF) s->repaired++;  /* lone low → U+FFFD   */
    text_put_codepoint(&s->dec, u);
}

/* Decode n raw bytes of UTF-16 into s->dec (replacing its content). */
static void utf16_decode(csv_source *s, const unsigned char *p, size_t n, bool at_eof)
{
    bool le = s->enc == ENC_UTF16LE;
    buf_clear(&s->dec);
    size_t i = 0;
    if (s->odd >= 0 && n > 0) {
        unsigned b0 = (unsigned)s->odd, b1 = p[0];
        utf16_unit(s, le ? (b0 | b1 << 8) : (b0 << 8 | b1));
        s->odd = -1;
        i = 1;
    }
    for (; i + 1 < n; i += 2)
        utf16_unit(s, le ? ((unsigned long)p[i] | (unsigned long)p[i + 1] << 8)
                         : ((unsigned long)p[i] << 8 | (unsigned long)p[i + 1]));
    if (i < n) s->odd = p[i];
    if (at_eof) {
        if (s->high) { text_put_codepoint(&s->dec, 0xFFFD); s->high = 0; s->repaired++; }
        if (s->odd >= 0) { text_put_codepoint(&s->dec, 0xFFFD); s->odd = -1; s->repaired++; }
    }
}

/* Rewind the source to the first byte after the BOM. */
static dtbd_status source_rewind(csv_source *s, wb_error *err)
{
    s->odd = -1;
    s->high = 0;
    s->repaired = 0;              /* each pass decodes the same units again */
    s->have_repaired = false;
    if (fseek(s->f, s->start, SEEK_SET) != 0) {
        wb_error_set(err, DTBD_ERR_IO, "không đọc lại được tệp");
        return DTBD_ERR_IO;
    }
    return DTBD_OK;
}

/* Next chunk of the stream into *p, *n; *n == 0 at the end of the file. */
static dtbd_status source_next(csv_source *s, const unsigned char **p, size_t *n, wb_error *err)
{
    for (;;) {
        size_t got = fread(s->raw, 1, sizeof s->raw, s->f);
        if (got < sizeof s->raw && ferror(s->f)) {
            wb_error_set(err, DTBD_ERR_IO, "lỗi đọc tệp");
            return DTBD_ERR_IO;
        }
        if (s->enc != ENC_UTF16LE && s->enc != ENC_UTF16BE) {
            *p = s->raw;
            *n = got;
            return DTBD_OK;
        }
        bool at_eof = got < sizeof s->raw && feof(s->f);
        utf16_decode(s, s->raw, got, at_eof);
        if (s->dec.oom) {
            wb_error_set(err, DTBD_ERR_NOMEM, NULL);
            return DTBD_ERR_NOMEM;
        }
        *p = (const unsigned char *)s->dec.data;
        *n = s->dec.len;
        if (*n > 0 || at_eof || got == 0) return DTBD_OK;
        /* a chunk of a single byte decodes to nothing yet: read on */
    }
}

/* Pass 1: decide the encoding (unless a BOM did) and the delimiter. */
static dtbd_status decide(csv_source *s, unsigned char *delim, wb_error *err)
{
    delim_sample sample;
    memset(&sample, 0, sizeof sample);
    utf8_check check = {0, 0, 0, 0};
    for (;;) {
        bool need_check = s->enc == ENC_UNDECIDED;
        if (!need_check && sample.done) break;
        const unsigned char *p;
        size_t n;
        dtbd_status st = source_next(s, &p, &n, err);
        if (st != DTBD_OK) return st;
        if (need_check) utf8_check_feed(&check, s, p, n);
        if (n == 0) break;
        if (!sample.done) sample_feed(&sample, p, n);
    }
    /* UTF-8 when well-formed, or mostly so (see the top): a stray byte in a
     * UTF-8 export is one U+FFFD, not a whole file of mojibake */
    if (s->enc == ENC_UNDECIDED)
        s->enc = check.bad == 0 || (check.multi > 0 && check.bad * 100 < check.nonascii)
                     ? ENC_UTF8 : ENC_CP1258;
    *delim = sample_choose(&sample);
    /* Excel's "Unicode text" (the only common UTF-16 text) is tab-delimited:
     * with a UTF-16 BOM a tab anywhere in the sample decides, whatever
     * commas the Vietnamese texts hold. */
    if ((s->enc == ENC_UTF16LE || s->enc == ENC_UTF16BE) && sample.total[2] > 0) *delim = '\t';
    return source_rewind(s, err);
}

/* Stop the read with an error located at the current cell. */
static void fail_at_cell(csv_reader *r, dtbd_status st, const char *detail)
{
    if (r->row <= UINT32_MAX && r->col <= UINT32_MAX)
        wb_cell_ref((uint32_t)r->row, (uint32_t)r->col, r->err->cell);
    wb_error_set(r->err, st, "%s", detail);
    r->status = st;
    r->stop = true;
}

/* Convert a raw field to UTF-8 NFC into r->text; false when memory ran out. */
static bool convert_field(csv_reader *r, const char *s, size_t n)
{
    buf_clear(&r->text);
    bool ok;
    if (r->src.enc == ENC_CP1258 && !text_is_ascii(s, n)) ok = text_cp1258_to_utf8(s, n, &r->text);
    else ok = text_to_nfc(s, n, &r->text);
    if (ok && r->src.enc == ENC_UTF8 && !text_is_ascii(s, n) && !text_utf8_valid(s, n)) {
        /* its ill-formed stretches became U+FFFD: counted, the first cell kept */
        uint64_t multi = 0, bad = 0;
        text_utf8_tally(s, n, true, &multi, &bad);
        r->src.repaired += (unsigned long)bad;
        if (!r->src.have_repaired && r->row <= UINT32_MAX && r->col <= UINT32_MAX) {
            r->src.have_repaired = true;
            r->src.repaired_row = (uint32_t)r->row;
            r->src.repaired_col = (uint32_t)r->col;
        }
    }
    if (!ok || r->text.oom) return false;
    if (memchr(r->text.data, '\0', r->text.len)) {   /* rare: rebuild without NULs */
        buf clean = BUF_INIT;
        for (size_t i = 0; i < r->text.len; i++) {
            if (r->text.data[i] == '\0') text_put_codepoint(&clean, 0xFFFD);
            else buf_putc(&clean, r->text.data[i]);
        }
        if (clean.oom) { buf_free(&clean); return false; }
        buf_free(&r->text);
        r->text = clean;
    }
    return true;
}

/* libcsv field callback: one field of the current row. */
static void on_field(void *data, size_t n, void *ctx)
{
    csv_reader *r = ctx;
    if (r->stop) return;
    r->after_cr = false;
    if (n > 0) {
        char detail[160];
        if (r->row > UINT32_MAX || r->col > UINT32_MAX) {
            fail_at_cell(r, DTBD_ERR_LIMIT, "quá nhiều dòng hoặc cột");
            return;
        }
        if (n > r->raw_limit) {
            snprintf(detail, sizeof detail, "ô dài hơn %zu byte", r->lim->max_string_bytes);
            fail_at_cell(r, DTBD_ERR_LIMIT, detail);
            return;
        }
        if (!convert_field(r, data, n)) {
            fail_at_cell(r, DTBD_ERR_NOMEM, "");
            return;
        }
        if (r->text.len > r->lim->max_string_bytes) {
            snprintf(detail, sizeof detail, "ô dài %zu byte, giới hạn %zu byte", r->text.len,
                     r->lim->max_string_bytes);
            fail_at_cell(r, DTBD_ERR_LIMIT, detail);
            return;
        }
        if (++r->cells > r->lim->max_cells_per_sheet) {
            snprintf(detail, sizeof detail, "trang có hơn %llu ô có dữ liệu",
                     (unsigned long long)r->lim->max_cells_per_sheet);
            fail_at_cell(r, DTBD_ERR_LIMIT, detail);
            return;
        }
        if (r->sink->cell) {
            wb_cell c = {
                .row = (uint32_t)r->row, .col = (uint32_t)r->col, .type = WB_TEXT,
                .text = r->text.data, .len = r->text.len, .font = NULL,
            };
            if (r->sink->cell(r->sink->ctx, &c) != 0) {
                wb_error_set(r->err, DTBD_ERR_ABORTED, NULL);
                r->status = DTBD_ERR_ABORTED;
                r->stop = true;
                return;
            }
        }
    }
    r->col++;
}

/* libcsv row callback: c is the line end that closed the row (-1 at EOF).
 * With CSV_REPALL_NL libcsv reports the LF of a CRLF as a row of its own:
 * fold it into the CR. */
static void on_row(int c, void *ctx)
{
    csv_reader *r = ctx;
    if (r->stop) return;
    if (c == '\n' && r->after_cr) {
        r->after_cr = false;
        return;
    }
    r->after_cr = c == '\r';
    r->row++;
    r->col = 0;
}

/* libcsv space predicate: nothing is a space, so nothing is trimmed. */
static int never_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* Pass 2: stream the file through libcsv into the sink. */
static dtbd_status parse(csv_reader *r, unsigned char delim)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_REPALL_NL) != 0) {
        wb_error_set(r->err, DTBD_ERR_NOMEM, NULL);
        return DTBD_ERR_NOMEM;
    }
    csv_set_delim(&p, delim);
    csv_set_space_func(&p, never_space);
    csv_set_blk_size(&p, CSV_CHUNK);
    while (!r->stop) {
        const unsigned char *chunk;
        size_t n;
        dtbd_status st = source_next(&r->src, &chunk, &n, r->err);
        if (st != DTBD_OK) { r->status = st; r->stop = true; break; }
        if (n == 0) break;
        if (csv_parse(&p, chunk, n, on_field, on_row, r) != n) {
            if (r->stop) break;
            int e = csv_error(&p);
            fail_at_cell(r, e == CSV_ENOMEM || e == CSV_ETOOBIG ? DTBD_ERR_NOMEM : DTBD_ERR_CORRUPT,
                         csv_strerror(e));
            break;
        }
        if (r->stop) break;
        if (p.entry_pos > r->raw_limit) {        /* a field that never ends */
            char detail[96];
            snprintf(detail, sizeof detail, "ô dài hơn %zu byte", r->lim->max_string_bytes);
            fail_at_cell(r, DTBD_ERR_LIMIT, detail);
            break;
        }
        /* libcsv grows its field buffer by blk_size: make the growth geometric */
        size_t have = csv_get_buffer_size(&p);
        if (have > CSV_CHUNK) csv_set_blk_size(&p, have);
    }
    if (!r->stop) csv_fini(&p, on_field, on_row, r);
    csv_free(&p);
    return r->status;
}

/* The sheet name: the file's base name without its extension, in NFC. */
static bool make_sheet_name(const char *path, buf *out)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
    if (n == 0) return text_to_nfc("csv", 3, out);
    return text_to_nfc(base, n, out);
}

/* Open the file and read its BOM, if any. */
static dtbd_status open_source(csv_source *s, const char *path, wb_error *err)
{
    s->f = fopen(path, "rb");
    if (!s->f) {
        wb_error_set(err, DTBD_ERR_IO, "%s", syserr_text(errno, SYSERR_READ));
        return DTBD_ERR_IO;
    }
    unsigned char bom[3] = {0, 0, 0};
    size_t n = fread(bom, 1, 3, s->f);
    if (ferror(s->f)) {
        wb_error_set(err, DTBD_ERR_IO, "lỗi đọc tệp");
        return DTBD_ERR_IO;
    }
    s->enc = ENC_UNDECIDED;
    s->start = 0;
    if (n >= 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF) {
        s->enc = ENC_UTF8;
        s->start = 3;
    } else if (n >= 2 && bom[0] == 0xFF && bom[1] == 0xFE) {
        s->enc = ENC_UTF16LE;
        s->start = 2;
    } else if (n >= 2 && bom[0] == 0xFE && bom[1] == 0xFF) {
        s->enc = ENC_UTF16BE;
        s->start = 2;
    }
    return source_rewind(s, err);
}

/* ---- public ------------------------------------------------------------------ */

dtbd_status csvfile_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                       wb_error *err)
{
    return csvfile_read_named(path, path, lim, sink, err);
}

dtbd_status csvfile_read_named(const char *path, const char *name, const wb_limits *lim,
                             const wb_sink *sink, wb_error *err)
{
    csv_reader *r = calloc(1, sizeof *r);
    if (!r) {
        wb_error_set(err, DTBD_ERR_NOMEM, NULL);
        return DTBD_ERR_NOMEM;
    }
    r->lim = lim;
    r->sink = sink;
    r->err = err;
    r->src.odd = -1;
    r->raw_limit = lim->max_string_bytes > (SIZE_MAX - 4) / 4 ? SIZE_MAX
                                                              : lim->max_string_bytes * 4 + 4;
    /* calloc left the bufs empty (BUF_INIT is all zeros) */

    dtbd_status st = open_source(&r->src, path, err);
    unsigned char delim = ',';
    if (st == DTBD_OK) st = decide(&r->src, &delim, err);
    if (st == DTBD_OK && !make_sheet_name(name, &r->name)) {
        wb_error_set(err, DTBD_ERR_NOMEM, NULL);
        st = DTBD_ERR_NOMEM;
    }
    if (st == DTBD_OK) {
        r->sheet.name = r->name.data;
        r->sheet.index = 0;
        r->sheet.hidden = false;
        text_copy_cut(err->sheet, sizeof err->sheet, r->sheet.name);
        int begin = sink->sheet_begin ? sink->sheet_begin(sink->ctx, &r->sheet) : 0;
        if (begin < 0) {
            wb_error_set(err, DTBD_ERR_ABORTED, NULL);
            st = DTBD_ERR_ABORTED;
        } else {
            if (begin == 0) st = parse(r, delim);   /* > 0: skip the cells */
            if (st == DTBD_OK && sink->sheet_end && sink->sheet_end(sink->ctx, &r->sheet) != 0) {
                wb_error_set(err, DTBD_ERR_ABORTED, NULL);
                st = DTBD_ERR_ABORTED;
            }
        }
    }
    if (st == DTBD_OK) err->sheet[0] = '\0';   /* the sheet only locates errors */
    err->repaired = r->src.repaired;
    if (r->src.have_repaired) wb_cell_ref(r->src.repaired_row, r->src.repaired_col, err->repaired_at);
    if (r->src.f) fclose(r->src.f);
    buf_free(&r->src.dec);
    buf_free(&r->text);
    buf_free(&r->name);
    free(r);
    return st;
}
