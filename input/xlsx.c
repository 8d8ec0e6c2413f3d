/*
 * input/xlsx.c — the .xlsx reader: libzip + input/xmlscan + expat,
 * streaming (see xlsx.h).
 *
 * How it reads
 *  _rels/.rels → the workbook part (default xl/workbook.xml) → its .rels →
 *  the sheets of <sheets> in workbook order, each through its r:id; styles and
 *  shared strings through the workbook's relationships (default paths when a
 *  relationship is missing). Every part is inflated in XLSX_CHUNK pieces
 *  straight into its parser's buffer, so no part is ever held whole in
 *  memory; per cell nothing is allocated. The big parts (worksheets, shared
 *  strings) go through the purpose-built scanner of input/xmlscan.h (expat's
 *  general tokenizer was most of the reading time, issue 15); the small ones
 *  (relationships, workbook, styles), and a big one in an encoding other than
 *  UTF-8, through expat. Both hand the same events to the same handlers
 *  (part_start, part_end, part_chars), so the cells are the same.
 *
 * Files: this one (the package: relationships, workbook, styles, shared
 *  strings, the entry points), xlsx_sheet.c (worksheets: rows, cells, values,
 *  merges), xlsx_part.c (errors, namespace prefixes, streaming an entry
 *  through the scanner or expat), xlsx_private.h (what they share).
 *
 *  Elements are matched on namespace + local name, so any prefix (x:c) or a
 *  default namespace reads the same. The prefixes are resolved here, from the
 *  xmlns attributes, not by expat's namespace mode: that mode builds an
 *  expanded name per tag and costs a third of the parse time. Both the transitional and the strict spreadsheetml
 *  namespaces are accepted, and so are elements without a namespace (never
 *  written by Excel, but unambiguous). Elements are recognised only at the
 *  depth the schema puts them, so stray elements elsewhere are ignored.
 *
 * Memory
 *  What is kept: the sheet list, relationships, styles (cellXfs resolved to
 *  "is a date" + font name), and the shared strings (one pool + one offset per
 *  string). All of it lives in the xr struct and is freed by xlsx_read().
 *
 * Hostile input
 *  Each entry's declared size and compressed size are checked before it is
 *  opened, and the actual inflated bytes are counted as they come: against
 *  max_inflated_total (all entries), the declared size (a lying header), and
 *  max_inflate_ratio once ratio_floor_bytes are out. Any DOCTYPE is refused
 *  before its internal subset is read (entity bombs never expand; expat's
 *  billion-laughs protection stays on besides; the scanner knows no entity
 *  but the five predefined ones). Malformed XML is DTBD_ERR_CORRUPT naming the
 *  part and where (expat: line and column; the scanner: the byte offset),
 *  with the sheet and, inside a cell, the cell. Depth, string length, cell
 *  count, sheet count and shared-string count are capped from wb_limits;
 *  styles and relationships by constants (xlsx_private.h; Excel's own limits are far
 *  lower). The first error wins and stops everything.
 */
#include "input/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/text.h"
#include "input/xlsx_private.h"

/* ---- private: small helpers -------------------------------------------------------- */

/* Room for one more element of size `size` in arr (n used, *cap allocated);
 * returns the (maybe moved) array, or NULL on overflow/out of memory leaving
 * arr untouched. */
static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
    return buf_grow_array(&arr, cap, n + 1, size) ? arr : NULL;
}

/* Is this a spreadsheetml element named `want`? */
static bool is_el(int ns, const char *local, const char *want)
{
    return (ns == NS_MAIN || ns == NS_NONE) && strcmp(local, want) == 0;
}

/* See xlsx_private.h. */
const char *xlsx_attr(const char **atts, const char *want)
{
    for (size_t i = 0; atts[i]; i += 2)
        if (strcmp(atts[i], want) == 0) return atts[i + 1];
    return NULL;
}

/* Value of the relationships-namespace attribute r:`want`, or NULL. */
static const char *attr_rel(const xpart *xp, const char **atts, const char *want)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *local;
        if (!strchr(atts[i], ':')) continue;    /* unprefixed: no namespace */
        if (xlsx_ns_resolve(xp, atts[i], &local) == NS_REL && strcmp(local, want) == 0)
            return atts[i + 1];
    }
    return NULL;
}

/* See xlsx_private.h. */
bool xlsx_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    if (*s < '0' || *s > '9') return false;
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > max) return false;
    }
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    if (*s) return false;
    *out = v;
    return true;
}

/* XML boolean attribute: "1" or "true". */
static bool xml_true(const char *v)
{
    return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* Append s[0..n) to out with the _xHHHH_ escapes of OOXML strings decoded
 * (_x005F_ is a literal underscore; UTF-16 surrogate pairs are joined; NUL and
 * lone surrogates become U+FFFD). */
static void decode_escapes(const char *s, size_t n, buf *out)
{
    size_t i = 0, from = 0;
    while (i + 7 <= n) {
        unsigned long cp = 0;
        bool esc = s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
        for (size_t k = 2; esc && k < 6; k++) {
            char h = s[i + k];
            unsigned d = (h >= '0' && h <= '9') ? (unsigned)(h - '0')
                       : (h >= 'a' && h <= 'f') ? (unsigned)(h - 'a' + 10)
                       : (h >= 'A' && h <= 'F') ? (unsigned)(h - 'A' + 10) : 16u;
            if (d == 16) esc = false;
            cp = cp * 16 + d;
        }
        if (!esc) { i++; continue; }
        buf_append(out, s + from, i - from);
        i += 7;
        if (cp >= 0xD800 && cp <= 0xDBFF && i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' &&
            s[i + 6] == '_') {
            char hex[5] = {s[i + 2], s[i + 3], s[i + 4], s[i + 5], 0};
            char *end;
            unsigned long lo = strtoul(hex, &end, 16);
            if (*end == '\0' && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 7;
            }
        }
        text_put_codepoint(out, cp == 0 ? 0xFFFD : cp);
        from = i;
    }
    buf_append(out, s + from, n - from);
}

/* See xlsx_private.h. */
bool xlsx_finish_text(xr *x, const char *s, size_t n)
{
    buf_clear(&x->out);
    if (memchr(s, '_', n)) {
        buf_clear(&x->tmp);
        decode_escapes(s, n, &x->tmp);
        if (x->tmp.oom) { xlsx_nomem(x); return false; }
        s = buf_str(&x->tmp);
        n = x->tmp.len;
    }
    text_to_nfc(s, n, &x->out);   /* Vietnamese text is NFC already: a quick check */
    if (x->out.oom) { xlsx_nomem(x); return false; }
    if (x->out.len > x->lim->max_string_bytes) {
        xlsx_fail(x, DTBD_ERR_LIMIT, "chuỗi dài %zu byte, giới hạn %zu byte", x->out.len,
                x->lim->max_string_bytes);
        return false;
    }
    return true;
}

/* NFC copy of s into the arena (NULL after recording an error). */
static const char *keep_text(xr *x, const char *s)
{
    if (!xlsx_finish_text(x, s, strlen(s))) return NULL;
    char *p = arena_strndup(&x->mem, buf_str(&x->out), x->out.len);
    if (!p) xlsx_nomem(x);
    return p;
}

/* ---- private: relationships ----------------------------------------------------------- */

/* <Relationships><Relationship Id Type Target TargetMode/>. */
static void rels_start(xpart *xp, int ns, const char *local, const char **atts)
{
    xr *x = xp->x;
    if (xp->depth != 2 || (ns != NS_PKGREL && ns != NS_NONE) ||
        strcmp(local, "Relationship") != 0)
        return;
    const char *id = xlsx_attr(atts, "Id"), *type = xlsx_attr(atts, "Type"),
               *target = xlsx_attr(atts, "Target"), *mode = xlsx_attr(atts, "TargetMode");
    if (!id || !type || !target) return;  /* useless without all three */
    if (x->nrels >= XLSX_MAX_RELS) {
        xlsx_fail(x, DTBD_ERR_LIMIT, "%s: quá nhiều quan hệ (relationship)", xp->name);
        return;
    }
    xrel *r = grow(x->rels, &x->caprels, x->nrels, sizeof *x->rels);
    if (!r) { xlsx_nomem(x); return; }
    x->rels = r;
    xrel *nr = &x->rels[x->nrels];
    nr->id = arena_strdup(&x->mem, id);
    nr->type = arena_strdup(&x->mem, type);
    nr->target = arena_strdup(&x->mem, target);
    nr->external = mode && strcmp(mode, "External") == 0;
    if (!nr->id || !nr->type || !nr->target) { xlsx_nomem(x); return; }
    x->nrels++;
}

/* Read the .rels part `name` into x->rels (replacing what was there); a
 * missing part leaves it empty. */
static void load_rels(xr *x, const char *name)
{
    x->nrels = 0;
    zip_int64_t idx = xlsx_locate(x, name);
    if (idx < 0) return;
    xpart xp = {.start = rels_start};
    xlsx_parse_part(x, idx, name, &xp);
}

/* The first relationship whose Type ends with "/suffix", or NULL. */
static const xrel *rel_by_type(const xr *x, const char *suffix)
{
    size_t sl = strlen(suffix);
    for (size_t i = 0; i < x->nrels; i++) {
        size_t tl = strlen(x->rels[i].type);
        if (!x->rels[i].external && tl > sl && x->rels[i].type[tl - sl - 1] == '/' &&
            strcmp(x->rels[i].type + tl - sl, suffix) == 0)
            return &x->rels[i];
    }
    return NULL;
}

/* Resolve a relationship target against the source part's folder `dir`
 * ("xl/", or "" for the package root) into a part name in out[XLSX_MAX_PATH]:
 * '/'-absolute targets from the root, %XX decoded, "." and ".." folded.
 * False when the target leaves the package or is too long. */
static bool resolve_target(const char *dir, const char *target, char *out)
{
    char raw[XLSX_MAX_PATH];
    size_t n = 0;
    if (target[0] == '/') {
        target++;
    } else {
        size_t dl = strlen(dir);
        if (dl >= sizeof raw) return false;
        memcpy(raw, dir, dl);
        n = dl;
    }
    for (const char *s = target; *s; s++) {
        char c = *s;
        if (c == '%' && s[1] && s[2]) {
            char hex[3] = {s[1], s[2], 0};
            char *end;
            unsigned long v = strtoul(hex, &end, 16);
            if (*end == '\0' && v != 0) {
                c = (char)v;
                s += 2;
            }
        }
        if (c == '\\') c = '/';
        if (c == '#' || c == '?') break;   /* fragment / query: not part of the name */
        if (n + 1 >= sizeof raw) return false;
        raw[n++] = c;
    }
    raw[n] = '\0';
    /* fold the segments */
    size_t o = 0;
    const char *seg = raw;
    while (*seg) {
        const char *slash = strchr(seg, '/');
        size_t sl = slash ? (size_t)(slash - seg) : strlen(seg);
        if (sl == 0 || (sl == 1 && seg[0] == '.')) {
            /* skip empty and "." */
        } else if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            if (o == 0) return false;      /* above the package root */
            while (o > 0 && out[o - 1] != '/') o--;
            if (o > 0) o--;                /* drop the slash too */
        } else {
            if (o > 0) out[o++] = '/';
            memcpy(out + o, seg, sl);
            o += sl;
        }
        seg += sl;
        if (*seg == '/') seg++;
    }
    out[o] = '\0';
    return o > 0;
}

/* out = a + b + c when it fits in cap; false otherwise. */
static bool join(char *out, size_t cap, const char *a, const char *b, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    if (la + lb + lc >= cap) return false;
    memcpy(out, a, la);
    memcpy(out + la, b, lb);
    memcpy(out + la + lb, c, lc);
    out[la + lb + lc] = '\0';
    return true;
}

/* Folder of a part name, with its trailing slash ("xl/workbook.xml" → "xl/"). */
static void part_dir(const char *part, char *out, size_t cap)
{
    const char *slash = strrchr(part, '/');
    size_t n = slash ? (size_t)(slash - part) + 1 : 0;
    if (n >= cap) n = 0;
    memcpy(out, part, n);
    out[n] = '\0';
}

/* The workbook part named by _rels/.rels (officeDocument), else the default. */
static void find_workbook(xr *x, char *out)
{
    load_rels(x, "_rels/.rels");
    if (x->st != DTBD_OK) return;
    const xrel *r = rel_by_type(x, "officeDocument");
    if (!r || !resolve_target("", r->target, out)) strcpy(out, "xl/workbook.xml");
}

/* ---- private: workbook.xml -------------------------------------------------------------- */

/* <workbook><workbookPr date1904/><sheets><sheet name state r:id/>. */
static void workbook_start(xpart *xp, int ns, const char *local, const char **atts)
{
    xr *x = xp->x;
    if (xp->depth == 2 && is_el(ns, local, "workbookPr")) {
        x->date1904 = xml_true(xlsx_attr(atts, "date1904"));
        return;
    }
    if (xp->depth != 3 || !is_el(ns, local, "sheet")) return;
    if (x->nsheets >= x->lim->max_sheets) {
        xlsx_fail(x, DTBD_ERR_LIMIT, "bảng tính có hơn %u trang tính", x->lim->max_sheets);
        return;
    }
    xsheet *s = grow(x->sheets, &x->capsheets, x->nsheets, sizeof *x->sheets);
    if (!s) { xlsx_nomem(x); return; }
    x->sheets = s;
    xsheet *sh = &x->sheets[x->nsheets];
    memset(sh, 0, sizeof *sh);
    const char *name = xlsx_attr(atts, "name");
    const char *state = xlsx_attr(atts, "state");
    const char *rid = attr_rel(xp, atts, "id");
    sh->name = keep_text(x, name ? name : "");
    if (!sh->name) return;
    sh->hidden = state && (strcmp(state, "hidden") == 0 || strcmp(state, "veryHidden") == 0);
    if (rid && !(sh->rid = arena_strdup(&x->mem, rid))) { xlsx_nomem(x); return; }
    sh->entry = -1;
    x->nsheets++;
}

/* Resolve every sheet's r:id to a zip entry (x->rels holds the workbook's). */
static void resolve_sheets(xr *x, const char *dir)
{
    for (size_t i = 0; i < x->nsheets && x->st == DTBD_OK; i++) {
        xsheet *sh = &x->sheets[i];
        const xrel *r = NULL;
        for (size_t k = 0; sh->rid && k < x->nrels; k++)
            if (strcmp(x->rels[k].id, sh->rid) == 0) r = &x->rels[k];
        if (x->err) text_copy_cut(x->err->sheet, sizeof x->err->sheet, sh->name);
        if (!r) {
            xlsx_fail(x, DTBD_ERR_CORRUPT, "trang tính không có quan hệ r:id=\"%s\" tới phần dữ liệu",
                    sh->rid ? sh->rid : "");
            return;
        }
        char path[XLSX_MAX_PATH];
        if (r->external || !resolve_target(dir, r->target, path)) {
            xlsx_fail(x, DTBD_ERR_CORRUPT, "quan hệ %s trỏ ra ngoài tệp (%.80s)", r->id, r->target);
            return;
        }
        sh->entry = xlsx_locate(x, path);
        if (sh->entry < 0) {
            xlsx_fail(x, DTBD_ERR_CORRUPT, "thiếu phần %.120s chứa dữ liệu trang tính", path);
            return;
        }
        /* one part read once per sheet naming it: 1,024 <sheet>s on one
         * part would read it 1,024 times; no writer does it */
        for (size_t k = 0; k < i; k++)
            if (x->sheets[k].entry == sh->entry) {
                xlsx_fail(x, DTBD_ERR_CORRUPT, "trang tính dùng lại phần %.80s của trang tính \"%.60s\": "
                        "tệp bị hỏng hoặc cố ý gây hại", path, x->sheets[k].name);
                return;
            }
        if (!(sh->part = arena_strdup(&x->mem, path))) { xlsx_nomem(x); return; }
    }
    if (x->st == DTBD_OK && x->err) x->err->sheet[0] = '\0';
}

/* Resolve the part that a workbook relationship of this type names (or the
 * default name in dir), or NULL when there is none. */
static const char *related_part(xr *x, const char *dir, const char *type, const char *dflt)
{
    char path[XLSX_MAX_PATH];
    const xrel *r = rel_by_type(x, type);
    if (r) {
        if (!resolve_target(dir, r->target, path)) {
            xlsx_fail(x, DTBD_ERR_CORRUPT, "quan hệ %s trỏ ra ngoài tệp (%.80s)", r->id, r->target);
            return NULL;
        }
    } else {
        if (!join(path, sizeof path, dir, dflt, "")) return NULL;
    }
    if (xlsx_locate(x, path) < 0) {
        if (r) xlsx_fail(x, DTBD_ERR_CORRUPT, "thiếu phần %.120s", path);
        return NULL;
    }
    const char *p = arena_strdup(&x->mem, path);
    if (!p) xlsx_nomem(x);
    return p;
}

/* ---- private: styles.xml -------------------------------------------------------------------- */

typedef struct {
    int in;                 /* which depth-2 container: 'n'umFmts, 'f'onts, 'x'fs */
} styles_state;

/* numFmts/numFmt, fonts/font/name, cellXfs/xf. */
static void styles_start(xpart *xp, int ns, const char *local, const char **atts)
{
    xr *x = xp->x;
    styles_state *ss = xp->ud;
    if (ns != NS_MAIN && ns != NS_NONE) return;
    if (xp->depth == 2) {
        ss->in = strcmp(local, "numFmts") == 0 ? 'n'
               : strcmp(local, "fonts") == 0 ? 'f'
               : strcmp(local, "cellXfs") == 0 ? 'x' : 0;
        return;
    }
    uint64_t v;
    if (xp->depth == 3 && ss->in == 'n' && strcmp(local, "numFmt") == 0) {
        const char *id = xlsx_attr(atts, "numFmtId"), *code = xlsx_attr(atts, "formatCode");
        if (!id || !code || !xlsx_parse_uint(id, 1u << 30, &v)) return;
        if (x->nfmts >= XLSX_MAX_STYLES) goto too_many;
        xnumfmt *f = grow(x->fmts, &x->capfmts, x->nfmts, sizeof *x->fmts);
        if (!f) { xlsx_nomem(x); return; }
        x->fmts = f;
        x->fmts[x->nfmts].id = (unsigned)v;
        if (!(x->fmts[x->nfmts].code = arena_strdup(&x->mem, code))) { xlsx_nomem(x); return; }
        x->nfmts++;
    } else if (xp->depth == 3 && ss->in == 'f' && strcmp(local, "font") == 0) {
        if (x->nfonts >= XLSX_MAX_STYLES) goto too_many;
        const char **f = grow(x->fonts, &x->capfonts, x->nfonts, sizeof *x->fonts);
        if (!f) { xlsx_nomem(x); return; }
        x->fonts = f;
        x->fonts[x->nfonts++] = NULL;
    } else if (xp->depth == 4 && ss->in == 'f' && strcmp(local, "name") == 0 && x->nfonts) {
        const char *val = xlsx_attr(atts, "val");
        if (val) x->fonts[x->nfonts - 1] = keep_text(x, val);
    } else if (xp->depth == 3 && ss->in == 'x' && strcmp(local, "xf") == 0) {
        if (x->nxfs >= XLSX_MAX_STYLES) goto too_many;
        xxf *f = grow(x->xfs, &x->capxfs, x->nxfs, sizeof *x->xfs);
        if (!f) { xlsx_nomem(x); return; }
        x->xfs = f;
        xxf *xf = &x->xfs[x->nxfs++];
        memset(xf, 0, sizeof *xf);
        const char *a = xlsx_attr(atts, "numFmtId");
        xf->numfmt = a && xlsx_parse_uint(a, 1u << 30, &v) ? (unsigned)v : 0;
        a = xlsx_attr(atts, "fontId");
        xf->font = a && xlsx_parse_uint(a, 1u << 30, &v) ? (unsigned)v : UINT32_MAX;
    }
    return;
too_many:
    xlsx_fail(x, DTBD_ERR_LIMIT, "%s: quá %u kiểu định dạng", xp->name, (unsigned)XLSX_MAX_STYLES);
}

/* Leaving a depth-2 container of styles.xml. */
static void styles_end(xpart *xp, int ns, const char *local)
{
    (void)ns; (void)local;
    if (xp->depth == 2) ((styles_state *)xp->ud)->in = 0;
}

/* qsort order of custom number formats by id. */
static int numfmt_cmp(const void *a, const void *b)
{
    unsigned x = ((const xnumfmt *)a)->id, y = ((const xnumfmt *)b)->id;
    return (x > y) - (x < y);
}

/* Read styles.xml and resolve each cell format to "date?" + font name. */
static void load_styles(xr *x, const char *part)
{
    if (!part) return;
    zip_int64_t idx = xlsx_locate(x, part);
    if (idx < 0) return;
    styles_state ss = {0};
    xpart xp = {.start = styles_start, .end = styles_end, .ud = &ss};
    xlsx_parse_part(x, idx, part, &xp);
    if (x->st != DTBD_OK) return;
    if (x->nfmts) qsort(x->fmts, x->nfmts, sizeof *x->fmts, numfmt_cmp);
    for (size_t i = 0; i < x->nxfs; i++) {
        xxf *xf = &x->xfs[i];
        xnumfmt key = {.id = xf->numfmt};
        const xnumfmt *f =
            x->nfmts ? bsearch(&key, x->fmts, x->nfmts, sizeof *x->fmts, numfmt_cmp) : NULL;
        xf->date = wb_numfmt_is_date((int)xf->numfmt, f ? f->code : NULL);
        xf->fontname = xf->font < x->nfonts ? x->fonts[xf->font] : NULL;
    }
}

/* ---- private: sharedStrings.xml ---------------------------------------------------------------- */

typedef struct {
    bool in_si, in_r;       /* rPh (phonetic) runs are skipped: never collected */
} sst_state;

/* <sst><si><t/> | <r><t/></r> | <rPh><t/></rPh></si>: text of t and r/t only. */
static void sst_start(xpart *xp, int ns, const char *local, const char **atts)
{
    (void)atts;
    sst_state *ss = xp->ud;
    xr *x = xp->x;
    if (ns != NS_MAIN && ns != NS_NONE) return;
    if (xp->depth == 2 && strcmp(local, "si") == 0) {
        ss->in_si = true;
        buf_clear(&x->text);
    } else if (xp->depth == 3 && ss->in_si) {
        if (strcmp(local, "t") == 0) xp->collect = true;
        else if (strcmp(local, "r") == 0) ss->in_r = true;
    } else if (xp->depth == 4 && ss->in_r && strcmp(local, "t") == 0) {
        xp->collect = true;
    }
}

/* Close t/r/rPh; at </si> store the joined text. */
static void sst_end(xpart *xp, int ns, const char *local)
{
    sst_state *ss = xp->ud;
    xr *x = xp->x;
    if (ns != NS_MAIN && ns != NS_NONE) return;
    if (xp->depth == 3 || xp->depth == 4) {
        if (strcmp(local, "t") == 0) xp->collect = false;
        else if (xp->depth == 3 && strcmp(local, "r") == 0) ss->in_r = false;
        return;
    }
    if (xp->depth != 2 || !ss->in_si || strcmp(local, "si") != 0) return;
    ss->in_si = false;
    xp->collect = false;
    if (x->nsst >= x->lim->max_shared_strings) {
        xlsx_fail(x, DTBD_ERR_LIMIT, "%s: hơn %llu chuỗi dùng chung", xp->name,
                (unsigned long long)x->lim->max_shared_strings);
        return;
    }
    if (!xlsx_finish_text(x, buf_str(&x->text), x->text.len)) return;
    size_t *o = grow(x->sst_off, &x->capsst, x->nsst, sizeof *x->sst_off);
    if (!o) { xlsx_nomem(x); return; }
    x->sst_off = o;
    x->sst_off[x->nsst++] = x->sst.len;
    buf_append(&x->sst, buf_str(&x->out), x->out.len + 1);  /* with its NUL */
    if (x->sst.oom) xlsx_nomem(x);
    buf_clear(&x->text);
}

/* Load the shared strings once, on the first sheet that is read. */
static void load_sst(xr *x)
{
    if (x->sst_loaded) return;
    x->sst_loaded = true;
    if (!x->sst_part) return;
    zip_int64_t idx = xlsx_locate(x, x->sst_part);
    if (idx < 0) return;
    sst_state ss = {0};
    static const char *const flat[] = {"si", NULL};   /* <si><t>…</t></si> */
    xpart xp = {.start = sst_start, .end = sst_end, .ud = &ss, .scan = true, .flat_names = flat};
    xlsx_parse_part(x, idx, x->sst_part, &xp);
}

/* ---- private: the reader -------------------------------------------------------------------- */

/* Open the zip; false after recording why not. */
static bool xr_open(xr *x, const char *path)
{
    int code = 0;
    x->za = zip_open(path, ZIP_RDONLY, &code);
    if (!x->za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, code);
        xlsx_zip_fail(x, &ze, NULL);
        zip_error_fini(&ze);
        return false;
    }
    zip_int64_t n = zip_get_num_entries(x->za, 0);
    if (n > XLSX_MAX_ENTRIES) {
        xlsx_fail(x, DTBD_ERR_LIMIT, "tệp nén có %lld phần, giới hạn %d", (long long)n,
                XLSX_MAX_ENTRIES);
        return false;
    }
    return true;
}

/* Release everything the reader holds. */
static void xr_free(xr *x)
{
    if (x->za) zip_discard(x->za);
    arena_free(&x->mem);
    free(x->rels);
    free(x->sheets);
    free(x->xfs);
    free(x->fonts);
    free(x->fmts);
    free(x->sst_off);
    buf_free(&x->sst);
    buf_free(&x->text);
    buf_free(&x->tmp);
    buf_free(&x->out);
}

/* Read the whole workbook: structure first, then sheet by sheet. */
static void xr_read(xr *x, const char *path)
{
    if (!xr_open(x, path)) return;
    char wbpart[XLSX_MAX_PATH], dir[XLSX_MAX_PATH], relpart[XLSX_MAX_PATH];
    find_workbook(x, wbpart);
    if (x->st != DTBD_OK) return;
    zip_int64_t wbidx = xlsx_locate(x, wbpart);
    if (wbidx < 0) {
        xlsx_fail(x, DTBD_ERR_CORRUPT, "thiếu phần %.120s (danh sách trang tính)", wbpart);
        return;
    }
    part_dir(wbpart, dir, sizeof dir);
    const char *base = wbpart + strlen(dir);
    x->nrels = 0;   /* no workbook .rels name: no relationships */
    if (join(relpart, sizeof relpart, dir, "_rels/", base) &&
        strlen(relpart) + 5 < sizeof relpart) {
        strcat(relpart, ".rels");
        load_rels(x, relpart);
    }
    if (x->st != DTBD_OK) return;

    xpart xp = {.start = workbook_start};
    xlsx_parse_part(x, wbidx, wbpart, &xp);
    if (x->st != DTBD_OK) return;
    resolve_sheets(x, dir);
    if (x->st != DTBD_OK) return;
    const char *styles = related_part(x, dir, "styles", "styles.xml");
    if (x->st != DTBD_OK) return;
    x->sst_part = related_part(x, dir, "sharedStrings", "sharedStrings.xml");
    if (x->st != DTBD_OK) return;
    load_styles(x, styles);
    if (x->st != DTBD_OK) return;

    for (size_t i = 0; i < x->nsheets; i++) {
        const xsheet *sh = &x->sheets[i];
        wb_sheet_info info = {.name = sh->name, .index = (unsigned)i, .hidden = sh->hidden};
        int rc = x->sink->sheet_begin ? x->sink->sheet_begin(x->sink->ctx, &info) : 0;
        if (rc < 0) {
            text_copy_cut(x->err->sheet, sizeof x->err->sheet, sh->name);
            xlsx_fail(x, DTBD_ERR_ABORTED, "%s", "");
            return;
        }
        if (rc == 0) {
            load_sst(x);
            if (x->st != DTBD_OK) return;
            text_copy_cut(x->err->sheet, sizeof x->err->sheet, sh->name);
            xlsx_read_sheet(x, sh);
            if (x->st != DTBD_OK) return;
            x->err->sheet[0] = '\0';
        }
        if (x->sink->sheet_end && x->sink->sheet_end(x->sink->ctx, &info) != 0) {
            text_copy_cut(x->err->sheet, sizeof x->err->sheet, sh->name);
            xlsx_fail(x, DTBD_ERR_ABORTED, "%s", "");
            return;
        }
    }
}

/* First bytes of the entry `name` into out[cap] (NUL-terminated); false if none. */
static bool read_small(xr *x, const char *name, char *out, size_t cap)
{
    zip_int64_t idx = xlsx_locate(x, name);
    if (idx < 0) return false;
    zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
    if (!zf) return false;
    zip_int64_t n = zip_fread(zf, out, cap - 1);
    zip_fclose(zf);
    if (n < 0) return false;
    out[n] = '\0';
    return true;
}

/* Does the part name end with `suffix` (ASCII case-insensitive)? */
static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* ---- public ------------------------------------------------------------------------------ */

wb_format xlsx_sniff(const char *path, wb_error *err)
{
    (void)err;   /* sniffing never fails: the reader names any damage */
    wb_limits lim = wb_limits_default();
    wb_error scratch;
    memset(&scratch, 0, sizeof scratch);
    xr x = {.lim = &lim, .err = &scratch};
    arena_init(&x.mem);
    wb_format fmt = WB_FMT_ZIP_OTHER;
    if (!xr_open(&x, path)) {
        /* libzip cannot read it: call it xlsx so xlsx_read() explains why,
         * unless it was only too many entries (still a zip we refuse) */
        fmt = WB_FMT_XLSX;
        goto out;
    }
    load_rels(&x, "_rels/.rels");
    const xrel *r = x.st == DTBD_OK ? rel_by_type(&x, "officeDocument") : NULL;
    char part[XLSX_MAX_PATH];
    if (r && resolve_target("", r->target, part)) {
        const char *base = strrchr(part, '/');
        base = base ? base + 1 : part;
        if (strncasecmp(base, "workbook", 8) == 0 && ends_with(base, ".bin")) {
            fmt = WB_FMT_XLSB;
            goto out;
        }
        if (strncasecmp(base, "workbook", 8) == 0 && ends_with(base, ".xml")) {
            fmt = WB_FMT_XLSX;
            goto out;
        }
    }
    if (xlsx_locate(&x, "xl/workbook.xml") >= 0) fmt = WB_FMT_XLSX;
    else if (xlsx_locate(&x, "xl/workbook.bin") >= 0) fmt = WB_FMT_XLSB;
    else {
        char mime[128];
        static const char ods[] = "application/vnd.oasis.opendocument.spreadsheet";
        if (read_small(&x, "mimetype", mime, sizeof mime) &&
            strncmp(mime, ods, sizeof ods - 1) == 0)
            fmt = WB_FMT_ODS;
        else if (xlsx_locate(&x, "mimetype") < 0 && xlsx_locate(&x, "[Content_Types].xml") < 0 &&
                 xlsx_locate(&x, "META-INF/MANIFEST.MF") < 0)
            fmt = WB_FMT_ARCHIVE;   /* no OOXML/ODF/EPUB/JAR package: an archive */
    }
out:
    xr_free(&x);
    return fmt;
}

dtbd_status xlsx_read(const char *path, const wb_limits *lim, const wb_sink *sink,
                    wb_error *err)
{
    wb_error scratch = {.format = WB_FMT_XLSX};
    if (!err) err = &scratch;
    wb_format fmt = err->format;
    memset(err, 0, sizeof *err);
    err->format = fmt;
    wb_limits defaults = wb_limits_default();
    wb_sink none = {0};
    xr x = {.lim = lim ? lim : &defaults, .sink = sink ? sink : &none, .err = err};
    arena_init(&x.mem);
    xr_read(&x, path);
    xr_free(&x);
    if (x.st == DTBD_OK) {
        err->sheet[0] = '\0';
        err->cell[0] = '\0';
    }
    err->status = x.st;
    return x.st;
}
