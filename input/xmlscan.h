/*
 * input/xmlscan.h — a small streaming XML scanner for the big parts of an
 * .xlsx (worksheets, shared strings), where expat's general tokenizer was
 * most of the reading time (issue 15). input/xlsx.c keeps expat for the
 * small parts and for any document this scanner does not take
 * (xs_can_scan()).
 *
 * What it reads: UTF-8 XML 1.0 without a DTD, fed in chunks of any size (a
 * tag, an entity or a UTF-8 sequence may span chunks). It reports what
 * expat reports without its namespace mode: start tags with their
 * attributes (values decoded: the five predefined entities, numeric
 * character references, end-of-line and attribute-value whitespace
 * normalized), end tags (an empty-element tag is a start then an end), and
 * character data (entities decoded, CDATA sections literal, "\r\n" and "\r"
 * read as "\n"), the data possibly in several pieces. Comments and
 * processing instructions are skipped.
 *
 * What it refuses, as well-formedness errors with the byte offset: invalid
 * UTF-8 or XML characters, mismatched or unclosed tags, a duplicate
 * attribute, a bad or undefined entity (no DTD: only the five), a character
 * reference to an invalid character, "<" in an attribute value, "]]>" in
 * text, text or a second element outside the root, "--" in a comment, an
 * XML declaration not at the start, a missing root. A DOCTYPE is its own
 * error (XS_DOCTYPE) before anything of it is read: no entity is ever
 * declared, so none can expand. Limits: element depth and the length of one
 * markup token (a tag with its attributes, a comment, a processing
 * instruction or a CDATA section: what must be held whole); text is
 * streamed.
 *
 * Ownership: an xs_parser owns its buffer; xs_free() releases it. Names,
 * attributes and text handed to the callbacks live until the callback
 * returns.
 */
#ifndef DTBD_INPUT_XMLSCAN_H
#define DTBD_INPUT_XMLSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    XS_OK = 0,
    XS_STOPPED,     /* a callback called xs_stop()                          */
    XS_SYNTAX,      /* not well-formed: xs_error() says why                 */
    XS_DOCTYPE,     /* a <!DOCTYPE …>: refused                               */
    XS_DEPTH,       /* elements nested deeper than max_depth                 */
    XS_TOKEN,       /* one markup token longer than max_token                */
    XS_NOMEM
} xs_status;

/* One child of a small element read whole (see xs_handlers.flat). */
typedef struct {
    const char *name;
    const char **atts;      /* name, value …, NULL                                */
    const char *text;       /* its text, NUL-terminated ("" when none)             */
    size_t len;             /* 0: no character data was reported for it            */
} xs_child;

typedef struct {
    void *ud;
    /* atts: name, value, name, value …, NULL; all NUL-terminated */
    void (*start)(void *ud, const char *name, const char **atts);
    void (*end)(void *ud, const char *name);
    void (*chars)(void *ud, const char *s, size_t n);
    /* Optional: small elements read whole. An element whose name is one of
     * flat_names (a NULL-terminated list; its first XS_FLAT_NAMES count)
     * may be reported by one call instead of its events, when it is all in the input at hand and is
     * nothing but: a start tag, then either nothing ("/>") or up to
     * XS_FLAT_KIDS child elements one after the other, each empty or holding
     * only text, then its end tag. The call stands for exactly the events
     * start(name, atts), for each child start(child) chars(text) (when
     * len > 0) end(child), end(name) — the same names, attributes and text,
     * in that order. It is made only when nothing in the element needs
     * decoding or is out of the ordinary: no prefixed element name, no
     * xmlns attribute, no reference, '\r', ']' or blank to normalize in a
     * value or text, no blank or text between the children, no comment,
     * processing instruction or CDATA section, at most XS_FLAT_ATTS
     * attributes on the element and XS_FLAT_KID_ATTS on a child, and never
     * at depth 0. Anything else, and every error, comes through the events.
     * A handler that stops (xs_stop) within the call stops the document
     * after the element. */
    void (*flat)(void *ud, const char *name, const char **atts, const xs_child *kids,
                 size_t nkids);
    const char *const *flat_names;
} xs_handlers;

enum { XS_FLAT_KIDS = 4, XS_FLAT_ATTS = 8, XS_FLAT_KID_ATTS = 4, XS_FLAT_NAMES = 8 };

typedef struct xs_parser xs_parser;

/* A parser; NULL when out of memory. */
xs_parser *xs_create(const xs_handlers *h, unsigned max_depth, size_t max_token);
void xs_free(xs_parser *xs);

/* Room for n more bytes at the end of the input; the caller writes up to n
 * bytes there and hands them to xs_parse(). NULL when out of memory. */
char *xs_buffer(xs_parser *xs, size_t n);

/* Parse the n bytes just written into xs_buffer()'s room; final says no more
 * input follows. Once a status other than XS_OK is returned, it stays. */
xs_status xs_parse(xs_parser *xs, size_t n, bool final);

/* From a callback: stop after it (xs_parse returns XS_STOPPED). */
void xs_stop(xs_parser *xs);

/* Why the document was refused (Vietnamese, "" when it was not) and the
 * byte offset in the document where it was found. */
const char *xs_error(const xs_parser *xs);
uint64_t xs_error_offset(const xs_parser *xs);

/* Can the scanner read a document that begins with these bytes (at least
 * its first 512, or all of it)? No for a UTF-16/UTF-32 byte-order mark or
 * NUL bytes (a wide encoding), and for an XML declaration that names an
 * encoding other than UTF-8: expat reads those. */
bool xs_can_scan(const char *data, size_t n);

#endif
