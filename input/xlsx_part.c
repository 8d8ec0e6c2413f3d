/* input/xlsx_part.c — the .xlsx reader's errors, namespaces and part
 * streaming (see xlsx_private.h; the design is at the top of xlsx.c). */
#include "input/xlsx_private.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "base/crc.h"
#include "base/text.h"

/* ---- private: errors ---------------------------------------------------------------- */

/* Record the first error: status and a Vietnamese detail. */
void xlsx_fail(xr *x, dtbd_status st, const char *fmt, ...)
{
    if (x->st != DTBD_OK) return;
    x->st = st;
    if (!x->err) return;
    if (fmt) {
        char detail[sizeof x->err->detail];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(detail, sizeof detail, fmt, ap);
        va_end(ap);
        wb_error_set(x->err, st, "%s", detail); /* valid UTF-8 whatever it quotes */
    } else {
        wb_error_set(x->err, st, NULL);
    }
}

/* Record out of memory. */
void xlsx_nomem(xr *x) { xlsx_fail(x, DTBD_ERR_NOMEM, "%s", ""); }

/* Turn a libzip error into a status and a Vietnamese detail about part. */
void xlsx_zip_fail(xr *x, zip_error_t *ze, const char *part)
{
    int code = ze ? zip_error_code_zip(ze) : ZIP_ER_INTERNAL;
    const char *where = part ? part : "tệp nén";
    switch (code) {
    case ZIP_ER_MEMORY: xlsx_nomem(x); break;
    case ZIP_ER_NOZIP:
        xlsx_fail(x, DTBD_ERR_CORRUPT,
                "không đọc được mục lục tệp nén zip: tệp bị cắt cụt hoặc không phải zip");
        break;
    case ZIP_ER_INCONS:
        xlsx_fail(x, DTBD_ERR_CORRUPT, "tệp nén zip không nhất quán (có thể bị cắt cụt)");
        break;
    case ZIP_ER_EOF:
        xlsx_fail(x, DTBD_ERR_CORRUPT, "%s: dữ liệu nén kết thúc sớm (tệp bị cắt cụt)", where);
        break;
    case ZIP_ER_CRC:
        xlsx_fail(x, DTBD_ERR_CORRUPT, "%s: sai mã kiểm tra CRC, dữ liệu bị hỏng", where);
        break;
    case ZIP_ER_ZLIB:
    case ZIP_ER_COMPRESSED_DATA:
        xlsx_fail(x, DTBD_ERR_CORRUPT, "%s: dữ liệu nén bị hỏng", where);
        break;
    case ZIP_ER_COMPNOTSUPP:
        xlsx_fail(x, DTBD_ERR_CORRUPT, "%s: phương thức nén không được hỗ trợ", where);
        break;
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
        xlsx_fail(x, DTBD_ERR_ENCRYPTED, "%s: phần nén được mã hóa", where);
        break;
    case ZIP_ER_MULTIDISK:
        xlsx_fail(x, DTBD_ERR_CORRUPT, "tệp nén zip nhiều phần (multi-disk) không được hỗ trợ");
        break;
    case ZIP_ER_OPEN:
    case ZIP_ER_READ:
    case ZIP_ER_SEEK:
    case ZIP_ER_TELL:
        xlsx_fail(x, DTBD_ERR_IO, "%s: lỗi đọc tệp (%s)", where, zip_error_strerror(ze));
        break;
    default:
        xlsx_fail(x, DTBD_ERR_CORRUPT, "%s: lỗi giải nén (%s)", where,
                ze ? zip_error_strerror(ze) : "?");
        break;
    }
}

/* ---- namespaces ---------------------------------------------------------------------- */

/* Namespace class of a namespace URI. */
static int ns_of_uri(const char *uri)
{
    if (!uri[0]) return NS_NONE;   /* xmlns="" undeclares the default */
    if (strcmp(uri, NS_MAIN_T) == 0 || strcmp(uri, NS_MAIN_S) == 0) return NS_MAIN;
    if (strcmp(uri, NS_REL_T) == 0 || strcmp(uri, NS_REL_S) == 0) return NS_REL;
    if (strcmp(uri, NS_PKG) == 0) return NS_PKGREL;
    return NS_OTHER;
}

/* Namespace of a qualified name "p:local" / "local" as the prefixes in scope
 * say; *local points at the local part. An unbound prefix is NS_OTHER. */
int xlsx_ns_resolve(const xpart *xp, const char *qname, const char **local)
{
    const char *colon = qname;
    while (*colon && *colon != ':') colon++;
    if (!*colon) {
        *local = qname;
        return xp->default_ns;
    }
    *local = colon + 1;
    size_t plen = (size_t)(colon - qname);
    for (unsigned k = xp->nbinds; k-- > 0;)
        if (xp->binds[k].len == plen && memcmp(xp->binds[k].prefix, qname, plen) == 0)
            return xp->binds[k].ns;
    return NS_OTHER;
}

/* The default namespace as the bindings in scope say (NS_NONE if none). */
static int default_ns(const xpart *xp)
{
    for (unsigned k = xp->nbinds; k-- > 0;)
        if (xp->binds[k].len == 0) return xp->binds[k].ns;
    return NS_NONE;
}

/* Take the xmlns / xmlns:p attributes of an element into scope; false after
 * recording an error. */
static bool bind_namespaces(xpart *xp, const char **atts)
{
    bool changed_default = false;
    for (size_t i = 0; atts[i]; i += 2) {
        const char *a = atts[i];
        if (a[0] != 'x' || strncmp(a, "xmlns", 5) != 0 || (a[5] != '\0' && a[5] != ':'))
            continue;
        const char *prefix = a[5] ? a + 6 : "";
        size_t len = strlen(prefix);
        if (len >= XLSX_MAX_PREFIX) continue;   /* never matches: its elements are foreign */
        if (xp->nbinds >= XLSX_MAX_BINDS) {
            xlsx_fail(xp->x, DTBD_ERR_LIMIT, "%s: quá nhiều khai báo namespace", xp->name);
            return false;
        }
        nsbind *b = &xp->binds[xp->nbinds++];
        memcpy(b->prefix, prefix, len + 1);
        b->len = len;
        b->ns = ns_of_uri(atts[i + 1]);
        b->depth = xp->depth;
        if (len == 0) changed_default = true;
    }
    if (changed_default) xp->default_ns = default_ns(xp);
    return true;
}

/* Drop the bindings declared by the element at the current depth. */
static void unbind_namespaces(xpart *xp)
{
    bool changed_default = false;
    while (xp->nbinds > 0 && xp->binds[xp->nbinds - 1].depth == xp->depth) {
        if (xp->binds[xp->nbinds - 1].len == 0) changed_default = true;
        xp->nbinds--;
    }
    if (changed_default) xp->default_ns = default_ns(xp);
}

/* ---- private: streaming XML parts ------------------------------------------------------- */

/* One element deeper: false (the error recorded) past the depth limit or
 * once reading must stop. */
static bool enter(xpart *xp)
{
    xr *x = xp->x;
    if (x->st != DTBD_OK) return false;
    if (++xp->depth > x->lim->max_xml_depth) {
        xlsx_fail(x, DTBD_ERR_LIMIT, "%s: phần tử XML lồng sâu quá %u cấp", xp->name,
                x->lim->max_xml_depth);
        return false;
    }
    return true;
}

/* A start tag, from expat or the scanner: depth limit, namespaces, then
 * the part's handler. False once reading must stop. */
static bool part_start(xpart *xp, const char *name, const char **atts)
{
    xr *x = xp->x;
    if (!enter(xp)) return false;
    if (atts[0] && !bind_namespaces(xp, atts)) return false;
    const char *local;
    int ns = xlsx_ns_resolve(xp, name, &local);
    xp->start(xp, ns, local, atts);
    return x->st == DTBD_OK;
}

/* An end tag. */
static bool part_end(xpart *xp, const char *name)
{
    xr *x = xp->x;
    if (x->st != DTBD_OK) return false;
    if (xp->end) {
        const char *local;
        int ns = xlsx_ns_resolve(xp, name, &local);
        xp->end(xp, ns, local);
    }
    if (xp->nbinds && xp->binds[xp->nbinds - 1].depth == xp->depth) unbind_namespaces(xp);
    xp->depth--;
    return x->st == DTBD_OK;
}

/* part_start for a name without prefix and attributes without xmlns (what
 * the scanner hands over whole): nothing to bind, the default namespace. */
static bool plain_start(xpart *xp, const char *name, const char **atts)
{
    xr *x = xp->x;
    if (!enter(xp)) return false;
    xp->start(xp, xp->default_ns, name, atts);
    return x->st == DTBD_OK;
}

/* part_end for such a name: it bound nothing. */
static bool plain_end(xpart *xp, const char *name)
{
    xr *x = xp->x;
    if (x->st != DTBD_OK) return false;
    if (xp->end) xp->end(xp, xp->default_ns, name);
    xp->depth--;
    return x->st == DTBD_OK;
}

/* Character data: collected only inside the elements that hold values. */
static bool part_chars(xpart *xp, const char *s, size_t len)
{
    xr *x = xp->x;
    if (!xp->collect || x->st != DTBD_OK || len == 0) return x->st == DTBD_OK;
    return xlsx_collect(xp, s, len);
}

/* See xlsx_private.h. */
bool xlsx_collect(xpart *xp, const char *s, size_t len)
{
    xr *x = xp->x;
    if (x->text.len + len > x->lim->max_string_bytes) {
        xlsx_fail(x, DTBD_ERR_LIMIT, "%s: chuỗi dài hơn giới hạn %zu byte", xp->name,
                x->lim->max_string_bytes);
        return false;
    }
    if (x->text.cap > x->text.len + len) {   /* the common case, without a call */
        memcpy(x->text.data + x->text.len, s, len);
        x->text.len += len;
        x->text.data[x->text.len] = '\0';
        return true;
    }
    buf_append(&x->text, s, len);
    if (x->text.oom) {
        xlsx_nomem(x);
        return false;
    }
    return true;
}

/* expat's callbacks: the events above, and the time of the last event (see
 * the token cap in expat_part). */
static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    xpart *xp = ud;
    xp->last_event = xp->fed;
    if (xp->x->st == DTBD_OK && !part_start(xp, name, atts)) XML_StopParser(xp->parser, XML_FALSE);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    xpart *xp = ud;
    xp->last_event = xp->fed;
    if (xp->x->st == DTBD_OK && !part_end(xp, name)) XML_StopParser(xp->parser, XML_FALSE);
}

static void XMLCALL on_chars(void *ud, const XML_Char *s, int len)
{
    xpart *xp = ud;
    xp->last_event = xp->fed;
    if (xp->x->st == DTBD_OK && len > 0 && !part_chars(xp, s, (size_t)len))
        XML_StopParser(xp->parser, XML_FALSE);
}

/* The scanner's callbacks (input/xmlscan.h). */
static void sc_start(void *ud, const char *name, const char **atts)
{
    xpart *xp = ud;
    if (!part_start(xp, name, atts)) xs_stop(xp->xs);
}

static void sc_end(void *ud, const char *name)
{
    xpart *xp = ud;
    if (!part_end(xp, name)) xs_stop(xp->xs);
}

static void sc_chars(void *ud, const char *s, size_t n)
{
    xpart *xp = ud;
    if (!part_chars(xp, s, n)) xs_stop(xp->xs);
}

/* A small element read whole: the events it stands for (xs_handlers.flat),
 * up to the first that stops. */
static void sc_flat(void *ud, const char *name, const char **atts, const xs_child *kids,
                    size_t nkids)
{
    xpart *xp = ud;
    xr *x = xp->x;
    if (xp->flat && x->st == DTBD_OK && xp->depth + 2 <= x->lim->max_xml_depth &&
        xp->flat(xp, name, atts, kids, nkids)) {
        if (x->st != DTBD_OK) xs_stop(xp->xs);
        return;
    }
    bool ok = plain_start(xp, name, atts);
    for (size_t i = 0; ok && i < nkids; i++)
        ok = plain_start(xp, kids[i].name, kids[i].atts) &&
             (kids[i].len == 0 || part_chars(xp, kids[i].text, kids[i].len)) &&
             plain_end(xp, kids[i].name);
    if (!ok || !plain_end(xp, name)) xs_stop(xp->xs);
}

/* expat comment / processing instruction callbacks: ignored, but they are
 * events (see the token cap in parse_part). */
static void XMLCALL on_comment(void *ud, const XML_Char *data)
{
    (void)data;
    ((xpart *)ud)->last_event = ((xpart *)ud)->fed;
}

static void XMLCALL on_pi(void *ud, const XML_Char *target, const XML_Char *data)
{
    (void)target; (void)data;
    ((xpart *)ud)->last_event = ((xpart *)ud)->fed;
}

/* expat DOCTYPE callback: refuse any DTD before its internal subset is read,
 * so entity bombs never expand. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal)
{
    (void)name; (void)sysid; (void)pubid; (void)has_internal;
    xpart *xp = ud;
    xlsx_fail(xp->x, DTBD_ERR_LIMIT, "%s: tệp chứa DTD (<!DOCTYPE>), không được phép", xp->name);
    XML_StopParser(xp->parser, XML_FALSE);
}

/* Does the zip entry name e spell the part name `name`, ASCII case aside,
 * reading a backslash in e as a slash? */
static bool entry_is(const char *e, const char *name)
{
    for (; *e && *name; e++, name++) {
        unsigned char a = (unsigned char)(*e == '\\' ? '/' : *e), b = (unsigned char)*name;
        if (a >= 'A' && a <= 'Z') a = (unsigned char)(a - 'A' + 'a');
        if (b >= 'A' && b <= 'Z') b = (unsigned char)(b - 'A' + 'a');
        if (a != b) return false;
    }
    return *e == '\0' && *name == '\0';
}

/* Zip index of a part name (exact, then case-insensitive as OPC says, then
 * with Windows separators: some writers store "xl\\workbook.xml"), or -1.
 * The last look-up scans the entries (at most XLSX_MAX_ENTRIES), only for a
 * name not found otherwise. */
zip_int64_t xlsx_locate(xr *x, const char *name)
{
    zip_int64_t i = zip_name_locate(x->za, name, 0);
    if (i < 0) i = zip_name_locate(x->za, name, ZIP_FL_NOCASE);
    if (i >= 0 || x->backslashes == BS_NONE) return i;
    zip_int64_t n = zip_get_num_entries(x->za, 0);
    bool any = false;
    for (zip_int64_t k = 0; k < n; k++) {
        const char *e = zip_get_name(x->za, (zip_uint64_t)k, 0);
        if (!e || !strchr(e, '\\')) continue;
        any = true;
        if (entry_is(e, name)) return k;
    }
    if (!any) x->backslashes = BS_NONE;
    return -1;
}

/* Check the inflated byte counts of one entry against the limits. */
static bool check_inflated(xr *x, const char *name, uint64_t got, uint64_t declared,
                           uint64_t comp)
{
    const wb_limits *l = x->lim;
    if (x->inflated > l->max_inflated_total) {
        xlsx_fail(x, DTBD_ERR_LIMIT,
                "%s: dữ liệu giải nén vượt giới hạn tổng %llu byte (nghi zip bomb)", name,
                (unsigned long long)l->max_inflated_total);
        return false;
    }
    if (got > l->ratio_floor_bytes && got / (comp ? comp : 1) > l->max_inflate_ratio) {
        xlsx_fail(x, DTBD_ERR_LIMIT,
                "%s: tỉ lệ nén %llu:1 vượt giới hạn %u:1 (nghi zip bomb)", name,
                (unsigned long long)(got / (comp ? comp : 1)), l->max_inflate_ratio);
        return false;
    }
    if (got > declared) {
        xlsx_fail(x, DTBD_ERR_CORRUPT,
                "%s: giải nén ra nhiều hơn kích thước khai báo %llu byte (nghi zip bomb)", name,
                (unsigned long long)declared);
        return false;
    }
    return true;
}

/* One zip entry being inflated into a parser. A deflated entry without
 * encryption is read raw from libzip and inflated and checked here (zlib,
 * base/crc.h): libzip's own CRC was a tenth of reading a sheet. Any other
 * entry (stored ones too: libzip sums those itself even when read raw) goes
 * through libzip's decompression. */
typedef struct {
    zip_file_t *zf;
    const char *name;
    uint64_t declared, comp; /* sizes the zip header states (UINT64_MAX: none) */
    uint64_t got;            /* bytes inflated so far                          */
    uint64_t token_cap;      /* longest markup token held whole                */
    bool own;                /* inflated and checked here                      */
    bool ended;              /* … to the end of its deflate stream             */
    bool cut;                /* … its compressed bytes ended before the stream */
    uint32_t crc, want_crc;
    z_stream z;
    unsigned char *raw;      /* compressed bytes read, not yet inflated        */
} xfeed;

/* Record a libzip-style error `code` about the entry. */
static void feed_fail(xr *x, const xfeed *f, int code)
{
    zip_error_t ze;
    zip_error_init_with_code(&ze, code);
    xlsx_zip_fail(x, &ze, f->name);
    zip_error_fini(&ze);
}

/* The end of an entry read here, on the read after its last bytes (as
 * libzip checks it): 0 when its CRC is the directory's, else -1 after
 * recording the error. Like libzip, a size the directory states too large
 * is no error when the CRC holds (a stated size too small is refused as the
 * bytes come: check_inflated). */
static zip_int64_t feed_end(xr *x, const xfeed *f)
{
    if (f->crc != f->want_crc) return feed_fail(x, f, ZIP_ER_CRC), -1;
    return 0;
}

/* Up to XLSX_CHUNK bytes of an entry read here into b; the count (0 at the
 * end), or -1 after recording an error. A stream whose compressed bytes end
 * too soon hands on what it inflated, then fails on the next read. */
static zip_int64_t feed_own(xr *x, xfeed *f, unsigned char *b)
{
    if (f->ended) return feed_end(x, f);
    if (f->cut) return feed_fail(x, f, ZIP_ER_EOF), -1;
    f->z.next_out = b;
    f->z.avail_out = XLSX_CHUNK;
    bool done = false;
    while (f->z.avail_out > 0 && !done && !f->cut) {
        if (f->z.avail_in == 0) {
            zip_int64_t n = zip_fread(f->zf, f->raw, XLSX_RAW_CHUNK);
            if (n < 0) return xlsx_zip_fail(x, zip_file_get_error(f->zf), f->name), -1;
            f->cut = n == 0;   /* the stream did not end */
            f->z.next_in = f->raw;
            f->z.avail_in = (uInt)n;
            if (f->cut) break;
        }
        int rc = inflate(&f->z, Z_NO_FLUSH);
        if (rc == Z_MEM_ERROR) return xlsx_nomem(x), -1;
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
            return feed_fail(x, f, ZIP_ER_COMPRESSED_DATA), -1;
        done = rc == Z_STREAM_END;
    }
    size_t n = XLSX_CHUNK - f->z.avail_out;
    f->crc = crc_update(f->crc, b, n);
    f->ended = done;
    if (n) return (zip_int64_t)n;
    return f->cut ? (feed_fail(x, f, ZIP_ER_EOF), -1) : feed_end(x, f);
}

/* Inflate up to XLSX_CHUNK bytes of the entry into b, counting them against
 * the limits; the count (0 at the end), or -1 after recording an error. */
static zip_int64_t feed_read(xr *x, xfeed *f, void *b)
{
    zip_int64_t n = f->own ? feed_own(x, f, b) : zip_fread(f->zf, b, XLSX_CHUNK);
    if (n < 0) {
        if (!f->own) xlsx_zip_fail(x, zip_file_get_error(f->zf), f->name);
        return -1;
    }
    f->got += (uint64_t)n;
    x->inflated += (uint64_t)n;
    if (!check_inflated(x, f->name, f->got, f->declared, f->comp)) return -1;
    return n;
}

/* Open the entry idx (stat zs) for reading: raw, to be inflated and
 * checked here, when it is deflated without encryption, holds compressed
 * bytes and the directory gives its CRC; through libzip otherwise. False
 * after recording an error. */
static bool feed_open(xr *x, xfeed *f, zip_int64_t idx, const zip_stat_t *zs)
{
    const zip_uint64_t need =
        ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD | ZIP_STAT_CRC | ZIP_STAT_COMP_SIZE;
    f->own = (zs->valid & need) == need && zs->encryption_method == ZIP_EM_NONE &&
             zs->comp_method == ZIP_CM_DEFLATE && zs->comp_size > 0;
    if (f->own) {
        f->want_crc = zs->crc;
        if (!(f->raw = malloc(XLSX_RAW_CHUNK)) || inflateInit2(&f->z, -MAX_WBITS) != Z_OK) {
            free(f->raw);
            f->raw = NULL;
            return xlsx_nomem(x), false;
        }
    }
    f->zf = zip_fopen_index(x->za, (zip_uint64_t)idx, f->own ? ZIP_FL_COMPRESSED : 0);
    if (!f->zf) {
        xlsx_zip_fail(x, zip_get_error(x->za), f->name);
        if (f->raw) inflateEnd(&f->z);
        free(f->raw);
        f->raw = NULL;
        return false;
    }
    return true;
}

static void feed_close(xfeed *f)
{
    zip_fclose(f->zf);
    if (f->raw) inflateEnd(&f->z);
    free(f->raw);
}

/* Record expat's error. */
static void expat_fail(xr *x, XML_Parser p, const char *name)
{
    if (x->st != DTBD_OK) return;
    enum XML_Error code = XML_GetErrorCode(p);
    xlsx_fail(x, code == XML_ERROR_NO_MEMORY ? DTBD_ERR_NOMEM : DTBD_ERR_CORRUPT,
            "%s: XML hỏng ở dòng %llu, cột %llu (%s)", name,
            (unsigned long long)XML_GetCurrentLineNumber(p),
            (unsigned long long)XML_GetCurrentColumnNumber(p) + 1, XML_ErrorString(code));
}

/* Parse the rest of the entry with expat, after the first n bytes already
 * read into `first` (none when first is NULL). */
static void expat_part(xr *x, xpart *xp, xfeed *f, const char *first, size_t n)
{
    XML_Parser p = XML_ParserCreate(NULL);
    if (!p) {
        xlsx_nomem(x);
        return;
    }
    xp->parser = p;
    XML_SetUserData(p, xp);
    XML_SetElementHandler(p, on_start, on_end);
    XML_SetCharacterDataHandler(p, on_chars);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetCommentHandler(p, on_comment);
    XML_SetProcessingInstructionHandler(p, on_pi);
    xp->fed = f->got;
    xp->last_event = 0;
    /* expat holds a token (a tag with its attributes, a comment) whole until
     * it ends: without events for this many bytes, one token is too long
     * (character data is reported piece by piece and counts as events). */
    if (first && XML_Parse(p, first, (int)n, n == 0) != XML_STATUS_OK) expat_fail(x, p, f->name);
    while (x->st == DTBD_OK && !(first && n == 0)) {
        first = NULL;
        void *b = XML_GetBuffer(p, XLSX_CHUNK);
        if (!b) {
            xlsx_nomem(x);
            break;
        }
        zip_int64_t got = feed_read(x, f, b);
        if (got < 0) break;
        xp->fed = f->got;
        if (XML_ParseBuffer(p, (int)got, got == 0) != XML_STATUS_OK) {
            expat_fail(x, p, f->name);
            break;
        }
        if (x->st != DTBD_OK || got == 0) break;
        if (f->got - xp->last_event > f->token_cap) {
            xlsx_fail(x, DTBD_ERR_LIMIT, "%s: một thẻ XML dài hơn %llu byte", f->name,
                    (unsigned long long)f->token_cap);
            break;
        }
    }
    XML_ParserFree(p);
}

/* Turn the scanner's refusal into the reader's error. */
static void scan_fail(xr *x, xs_parser *xs, xs_status st, const xfeed *f)
{
    switch (st) {
    case XS_OK:
    case XS_STOPPED: break;   /* the handler recorded why */
    case XS_NOMEM: xlsx_nomem(x); break;
    case XS_DOCTYPE:
        xlsx_fail(x, DTBD_ERR_LIMIT, "%s: tệp chứa DTD (<!DOCTYPE>), không được phép", f->name);
        break;
    case XS_TOKEN:
        xlsx_fail(x, DTBD_ERR_LIMIT, "%s: một thẻ XML dài hơn %llu byte", f->name,
                (unsigned long long)f->token_cap);
        break;
    case XS_DEPTH:
        xlsx_fail(x, DTBD_ERR_LIMIT, "%s: phần tử XML lồng sâu quá %u cấp", f->name,
                x->lim->max_xml_depth);
        break;
    case XS_SYNTAX:
        xlsx_fail(x, DTBD_ERR_CORRUPT, "%s: XML hỏng ở byte %llu (%s)", f->name,
                (unsigned long long)xs_error_offset(xs) + 1, xs_error(xs));
        break;
    }
}

/* Parse the entry with the scanner (input/xmlscan.h), or with expat when it
 * is in an encoding the scanner does not read. */
static void scan_part(xr *x, xpart *xp, xfeed *f)
{
    xs_handlers h = {xp, sc_start, sc_end, sc_chars, xp->flat_names ? sc_flat : NULL,
                     xp->flat_names};
    xs_parser *xs = xs_create(&h, x->lim->max_xml_depth + 1, (size_t)f->token_cap);
    if (!xs) {
        xlsx_nomem(x);
        return;
    }
    xp->xs = xs;
    for (bool first = true;; first = false) {
        char *b = xs_buffer(xs, XLSX_CHUNK);
        if (!b) {
            xlsx_nomem(x);
            break;
        }
        zip_int64_t n = feed_read(x, f, b);
        if (n < 0) break;
        if (first && !xs_can_scan(b, (size_t)n)) {
            expat_part(x, xp, f, b, (size_t)n);
            break;
        }
        xs_status st = xs_parse(xs, (size_t)n, n == 0);
        if (st != XS_OK) {
            scan_fail(x, xs, st, f);
            break;
        }
        if (n == 0) break;
    }
    xs_free(xs);
}

/* Stream the zip entry idx (named name) through the scanner (xp->scan) or
 * expat into xp's handlers. Errors land in x->st. */
void xlsx_parse_part(xr *x, zip_int64_t idx, const char *name, xpart *xp)
{
    zip_stat_t zs;
    zip_stat_init(&zs);
    if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &zs) != 0) {
        xlsx_zip_fail(x, zip_get_error(x->za), name);
        return;
    }
    xfeed f = {.name = name,
               .declared = (zs.valid & ZIP_STAT_SIZE) ? zs.size : UINT64_MAX,
               .comp = (zs.valid & ZIP_STAT_COMP_SIZE) ? zs.comp_size : 0,
               .token_cap = (uint64_t)x->lim->max_string_bytes + (1u << 20)};
    /* Refuse before inflating a byte when the header already says bomb. */
    if (f.declared != UINT64_MAX) {
        uint64_t room = x->lim->max_inflated_total - x->inflated;
        if (f.declared > room) {
            xlsx_fail(x, DTBD_ERR_LIMIT,
                    "%s: giải nén ra %llu byte, cùng các phần trước vượt giới hạn tổng "
                    "%llu byte (nghi zip bomb)",
                    name, (unsigned long long)f.declared,
                    (unsigned long long)x->lim->max_inflated_total);
            return;
        }
        if (!check_inflated(x, name, f.declared, f.declared, f.comp)) return;
    }
    if (!feed_open(x, &f, idx, &zs)) return;
    xp->x = x;
    xp->name = name;
    xp->depth = 0;
    xp->collect = false;
    xp->nbinds = 0;
    xp->default_ns = NS_NONE;
    buf_clear(&x->text);
    if (xp->scan) scan_part(x, xp, &f);
    else expat_part(x, xp, &f, NULL, 0);
    feed_close(&f);
}

