/*
 * input/xlsx_private.h — what the two files of the .xlsx reader share
 * (xlsx.c: the parts' contents, cells and the public entry points;
 * xlsx_part.c: errors, namespaces, and streaming a zip entry through the
 * scanner or expat into a part's handlers). Part of the xlsx module: nothing
 * else includes it.
 *
 * Ownership: as xlsx.c says; everything lives in the xr of one read.
 */
#ifndef DTBD_INPUT_XLSX_PRIVATE_H
#define DTBD_INPUT_XLSX_PRIVATE_H

#include <expat.h>
#include <zip.h>

#include "base/arena.h"
#include "base/buf.h"
#include "input/reader.h"
#include "input/xmlscan.h"

/* ---- constants and types ------------------------------------------------ */

enum {
    XLSX_CHUNK = 256 * 1024,      /* inflate/parse piece                          */
    XLSX_RAW_CHUNK = 64 * 1024,   /* compressed bytes read at a time              */
    XLSX_MAX_ENTRIES = 65536,     /* zip entries (a real workbook has < 1000)     */
    XLSX_MAX_STYLES = 1 << 20,    /* fonts, numFmts, cellXfs each (Excel: 64000)  */
    XLSX_MAX_RELS = 65536,        /* relationships in one .rels part              */
    XLSX_MAX_ROWS = 1048576,      /* Excel's grid                                 */
    XLSX_MAX_COLS = 16384,
    XLSX_MAX_PATH = 1024,         /* a part name                                  */
    XLSX_MAX_BINDS = 256,         /* namespace declarations in scope at once      */
    XLSX_MAX_PREFIX = 64          /* a namespace prefix (longer ones never match) */
};

#define NS_MAIN_T "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_MAIN_S "http://purl.oclc.org/ooxml/spreadsheetml/main"
#define NS_REL_T "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_REL_S "http://purl.oclc.org/ooxml/officeDocument/relationships"
#define NS_PKG "http://schemas.openxmlformats.org/package/2006/relationships"

/* Namespace of an element or attribute name as expat hands it over. */
enum { NS_NONE, NS_MAIN, NS_REL, NS_PKGREL, NS_OTHER };

/* Whether a zip has entry names with Windows separators (locate()). */
enum { BS_UNKNOWN = 0, BS_NONE };

/* Cell types as written in <c t="…">. */
enum { CT_NUM, CT_SST, CT_STR, CT_INLINE, CT_BOOL, CT_ERR, CT_DATE };

typedef struct {
    const char *id, *type, *target;
    bool external;
} xrel;

typedef struct {
    const char *name;      /* NFC                                              */
    const char *rid;       /* r:id, NULL when missing                          */
    bool hidden;
    const char *part;      /* resolved part name                               */
    zip_int64_t entry;     /* its zip index                                    */
} xsheet;

typedef struct {
    unsigned numfmt, font;
    bool date;             /* resolved: the number format is a date            */
    const char *fontname;  /* resolved: NULL when unknown                      */
} xxf;

typedef struct {
    unsigned id;
    const char *code;
} xnumfmt;

/* The reader: everything one xlsx_read() or xlsx_sniff() owns. */
typedef struct {
    const wb_limits *lim;
    const wb_sink *sink;
    wb_error *err;
    zip_t *za;
    arena mem;              /* names, targets, codes, font names              */
    dtbd_status st;           /* first error; DTBD_OK while all is well           */
    uint64_t inflated;      /* bytes inflated from this zip, all entries      */
    int backslashes;        /* BS_UNKNOWN / BS_NONE: entry names with '\\'    */
    bool date1904;

    xrel *rels;             /* the relationships of the part parsed last      */
    size_t nrels, caprels;
    xsheet *sheets;
    size_t nsheets, capsheets;
    xxf *xfs;
    size_t nxfs, capxfs;
    const char **fonts;
    size_t nfonts, capfonts;
    xnumfmt *fmts;
    size_t nfmts, capfmts;

    buf sst;                /* shared strings, each NUL-terminated             */
    size_t *sst_off;        /* start of string i in sst                        */
    size_t nsst, capsst;
    bool sst_loaded;
    const char *sst_part;   /* NULL: the workbook has no shared strings        */

    buf text;               /* character data being collected                  */
    buf tmp;                /* _xHHHH_-decoded text                            */
    buf out;                /* NFC text handed on                              */
} xr;

typedef struct xpart xpart;
typedef void (*xpart_start_fn)(xpart *xp, int ns, const char *local, const char **atts);
typedef void (*xpart_end_fn)(xpart *xp, int ns, const char *local);
/* A part's own reading of an element the scanner read whole (name and its
 * children without prefix, in the default namespace, at xp->depth + 1):
 * what its start/end handlers would do with the events, done at once.
 * False, having done nothing, when it does not take this one (the generic
 * layer then hands on the events). */
typedef bool (*xpart_flat_fn)(xpart *xp, const char *name, const char **atts,
                              const xs_child *kids, size_t nkids);

/* One namespace prefix in scope: declared by an element at `depth`. */
typedef struct {
    char prefix[XLSX_MAX_PREFIX];
    size_t len;
    int ns;
    unsigned depth;
} nsbind;

/* One XML part being parsed: the generic layer counts depth, resolves
 * namespace prefixes, collects character data into x->text while .collect is
 * set, and dispatches. */
struct xpart {
    xr *x;
    XML_Parser parser;     /* the parser reading it: expat's …              */
    xs_parser *xs;         /* … or the scanner's (.scan)                       */
    bool scan;             /* read with the scanner (input/xmlscan.h)          */
    const char *const *flat_names; /* with .scan: elements the scanner may hand
                                      over whole (xs_handlers.flat), or NULL   */
    xpart_flat_fn flat;    /* … read by the part itself, or NULL (events)     */
    const char *name;      /* part name, for messages                          */
    unsigned depth;        /* depth of the element being started/ended; root 1 */
    bool collect;
    xpart_start_fn start;
    xpart_end_fn end;
    void *ud;
    uint64_t fed;          /* bytes handed to expat so far                    */
    uint64_t last_event;   /* .fed when expat last called back                */
    nsbind binds[XLSX_MAX_BINDS];
    unsigned nbinds;
    int default_ns;        /* namespace of unprefixed elements                */
};

/* ---- shared functions (xlsx.c) ------------------------------------------------------ */

/* Value of the attribute without namespace named `want`, or NULL. */
const char *xlsx_attr(const char **atts, const char *want);

/* Parse a small unsigned decimal (surrounding blanks allowed); false if not one. */
bool xlsx_parse_uint(const char *s, uint64_t max, uint64_t *out);

/* Decode the _xHHHH_ escapes and normalize s[0..n) to NFC into x->out
 * (cleared first). False after recording an error. */
bool xlsx_finish_text(xr *x, const char *s, size_t n);

/* ---- shared functions (xlsx_sheet.c) ------------------------------------------------ */

/* Stream one sheet's cells and merges to the sink (the shared strings and
 * styles loaded before). */
void xlsx_read_sheet(xr *x, const xsheet *sh);

/* ---- shared functions (xlsx_part.c) ------------------------------------------------ */

/* Append character data to x->text, the string limit checked; false after
 * recording an error (what the generic layer does while .collect is set). */
bool xlsx_collect(xpart *xp, const char *s, size_t len);

/* Record the first error: status and a Vietnamese detail (made valid UTF-8). */
void xlsx_fail(xr *x, dtbd_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Record out of memory. */
void xlsx_nomem(xr *x);

/* Turn a libzip error into a status and a Vietnamese detail about part. */
void xlsx_zip_fail(xr *x, zip_error_t *ze, const char *part);

/* Namespace of a qualified name "p:local" / "local" as the prefixes in scope
 * say; *local points at the local part. An unbound prefix is NS_OTHER. */
int xlsx_ns_resolve(const xpart *xp, const char *qname, const char **local);

/* Zip index of a part name (exact, then case-insensitive as OPC says, then
 * with Windows separators), or -1. */
zip_int64_t xlsx_locate(xr *x, const char *name);

/* Stream the zip entry idx (named name) through the scanner (xp->scan) or
 * expat into xp's handlers. Errors land in x->st. */
void xlsx_parse_part(xr *x, zip_int64_t idx, const char *name, xpart *xp);

#endif
