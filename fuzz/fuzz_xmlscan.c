/*
 * fuzz/fuzz_xmlscan.c — the worksheet XML scanner (input/xmlscan.h) alone,
 * and against expat.
 *
 * Input: the first byte picks how the rest is cut into chunks (1 to 255
 * bytes each, or 0: one piece), so every token, reference and UTF-8
 * sequence gets split somewhere; the rest is the XML document.
 * Properties:
 *  - no crash, leak, hang or undefined behaviour; every name, attribute and
 *    text handed on is valid UTF-8 without NUL;
 *  - differential: when expat (no namespace mode, as input/xlsx.c uses it)
 *    accepts the document and the scanner takes it (xs_can_scan), the
 *    scanner accepts it too and reports the same start tags, attributes,
 *    end tags and text (consecutive text pieces joined), in order;
 *  - cutting into chunks changes nothing: the scanner's events and status
 *    in one piece and in chunks are the same;
 *  - small elements read whole (xs_handlers.flat, for a few names) stand
 *    for exactly their events: the same events, status and error offset as
 *    without, in one piece and in chunks.
 * A failed property aborts (libFuzzer saves the input).
 */
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "input/xmlscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- events as one byte string ------------------------------------------------ */

typedef struct {
    buf ev;
    bool in_text;         /* the last event was text (joined with the next)       */
    XML_Parser p;         /* expat's recorder                                     */
    bool doctype;
    size_t flats;         /* elements read whole                                  */
} rec;

static void check_utf8(const char *s, size_t n)
{
    if (!text_utf8_valid(s, n) || memchr(s, '\0', n)) {
        fprintf(stderr, "fuzz_xmlscan: invalid UTF-8 or NUL handed on\n");
        abort();
    }
}

static void rec_start(void *ud, const char *name, const char **atts)
{
    rec *r = ud;
    r->in_text = false;
    check_utf8(name, strlen(name));
    buf_printf(&r->ev, "<%s", name);
    for (size_t i = 0; atts[i]; i += 2) {
        check_utf8(atts[i], strlen(atts[i]));
        check_utf8(atts[i + 1], strlen(atts[i + 1]));
        buf_printf(&r->ev, " %s=[", atts[i]);
        buf_puts(&r->ev, atts[i + 1]);
        buf_putc(&r->ev, ']');
    }
    buf_putc(&r->ev, '>');
}

static void rec_end(void *ud, const char *name)
{
    rec *r = ud;
    r->in_text = false;
    buf_printf(&r->ev, "</%s>", name);
}

static void rec_chars(void *ud, const char *s, size_t n)
{
    rec *r = ud;
    if (n == 0) return;
    if (memchr(s, '\0', n)) {
        fprintf(stderr, "fuzz_xmlscan: NUL in text\n");
        abort();
    }
    if (!r->in_text) buf_puts(&r->ev, "{T}");
    r->in_text = true;
    buf_append(&r->ev, s, n);
}

static void rec_flat(void *ud, const char *name, const char **atts, const xs_child *kids,
                     size_t nkids)
{
    rec *r = ud;
    r->flats++;
    rec_start(ud, name, atts);
    for (size_t i = 0; i < nkids; i++) {
        rec_start(ud, kids[i].name, kids[i].atts);
        if (strlen(kids[i].text) != kids[i].len) {
            fprintf(stderr, "fuzz_xmlscan: a flat child's text is not its length\n");
            abort();
        }
        rec_chars(ud, kids[i].text, kids[i].len);
        rec_end(ud, kids[i].name);
    }
    rec_end(ud, name);
}

/* ---- the scanner ------------------------------------------------------------------ */

/* The names read whole when `flat` is asked: the dictionary's short names. */
static const char *const flat_names[] = {"c", "si", "a", "b", "row", NULL};

/* Scan data[0..n) in chunks of `chunk` bytes (0: one piece), with small
 * elements read whole or not; the status (and the error offset in *off). */
static xs_status scan(const uint8_t *data, size_t n, size_t chunk, rec *r, bool flat,
                      uint64_t *err_off)
{
    xs_handlers h = {r, rec_start, rec_end, rec_chars, flat ? rec_flat : NULL,
                     flat ? flat_names : NULL};
    xs_parser *xs = xs_create(&h, 64, 4u << 20);
    if (!xs) abort();
    xs_status st = XS_OK;
    size_t off = 0;
    do {
        size_t k = chunk ? chunk : n;
        if (k > n - off) k = n - off;
        char *b = xs_buffer(xs, k ? k : 1);
        if (!b) abort();
        memcpy(b, data + off, k);
        off += k;
        st = xs_parse(xs, k, off == n);
    } while (st == XS_OK && off < n);
    if (st == XS_SYNTAX && (!xs_error(xs)[0] || xs_error_offset(xs) > n)) {
        fprintf(stderr, "fuzz_xmlscan: error without a reason or beyond the input\n");
        abort();
    }
    *err_off = xs_error_offset(xs);
    xs_free(xs);
    return st;
}

/* ---- expat ------------------------------------------------------------------------- */

static void XMLCALL ex_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rec_start(ud, name, atts);
}

static void XMLCALL ex_end(void *ud, const XML_Char *name) { rec_end(ud, name); }

static void XMLCALL ex_chars(void *ud, const XML_Char *s, int len)
{
    rec_chars(ud, s, (size_t)len);
}

static void XMLCALL ex_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name; (void)sysid; (void)pubid; (void)has_internal;
    rec *r = ud;
    r->doctype = true;
    XML_StopParser(r->p, XML_FALSE);
}

/* Does expat accept data[0..n) (without a DOCTYPE)? Its events in r. */
static bool expat_accepts(const uint8_t *data, size_t n, rec *r)
{
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) abort();
    r->p = p;
    XML_SetUserData(p, r);
    XML_SetElementHandler(p, ex_start, ex_end);
    XML_SetCharacterDataHandler(p, ex_chars);
    XML_SetStartDoctypeDeclHandler(p, ex_doctype);
    bool ok = XML_Parse(p, (const char *)data, (int)n, 1) == XML_STATUS_OK && !r->doctype;
    XML_ParserFree(p);
    return ok;
}

/* ---- the harness --------------------------------------------------------------------- */

static bool same_events(const rec *a, const rec *b)
{
    return a->ev.len == b->ev.len && memcmp(buf_str(&a->ev), buf_str(&b->ev), a->ev.len) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > (1u << 20)) return 0;
    size_t chunk = data[0];
    data++;
    size--;
    rec whole = {.ev = BUF_INIT}, cut = {.ev = BUF_INIT}, ex = {.ev = BUF_INIT};
    rec fwhole = {.ev = BUF_INIT}, fcut = {.ev = BUF_INIT};
    uint64_t off, off_cut, foff, foff_cut;
    xs_status st = scan(data, size, 0, &whole, false, &off);
    xs_status st_cut = scan(data, size, chunk, &cut, false, &off_cut);
    xs_status fst = scan(data, size, 0, &fwhole, true, &foff);
    xs_status fst_cut = scan(data, size, chunk, &fcut, true, &foff_cut);
    /* read whole or not: the same events, status and error place */
    if (fst != st || foff != off || !same_events(&fwhole, &whole) || fst_cut != st_cut ||
        foff_cut != off_cut || (st_cut == XS_OK && !same_events(&fcut, &cut))) {
        fprintf(stderr, "fuzz_xmlscan: reading small elements whole changes the result "
                        "(%d/%d vs %d/%d, %zu read whole)\n%s\n---\n%s\n",
                fst, fst_cut, st, st_cut, fwhole.flats, buf_str(&fwhole.ev), buf_str(&whole.ev));
        abort();
    }
    /* the same events in any cutting (an error may come after fewer of them) */
    if (st != st_cut || (st == XS_OK && (whole.ev.len != cut.ev.len ||
                                         memcmp(buf_str(&whole.ev), buf_str(&cut.ev), whole.ev.len)))) {
        fprintf(stderr, "fuzz_xmlscan: chunks of %zu change the result (%d vs %d)\n%s\n---\n%s\n",
                chunk, st, st_cut, buf_str(&whole.ev), buf_str(&cut.ev));
        abort();
    }
    if (xs_can_scan((const char *)data, size) && expat_accepts(data, size, &ex)) {
        if (st != XS_OK || ex.ev.len != whole.ev.len ||
            memcmp(buf_str(&ex.ev), buf_str(&whole.ev), ex.ev.len) != 0) {
            fprintf(stderr, "fuzz_xmlscan: expat accepts, scanner status %d\nexpat:   %s\nscanner: %s\n",
                    st, buf_str(&ex.ev), buf_str(&whole.ev));
            abort();
        }
    }
    buf_free(&whole.ev);
    buf_free(&cut.ev);
    buf_free(&fwhole.ev);
    buf_free(&fcut.ev);
    buf_free(&ex.ev);
    return 0;
}
