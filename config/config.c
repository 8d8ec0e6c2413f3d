/*
 * config/config.c — load and check the YAML configuration (see config.h).
 *
 * Two steps. First the YAML is read with libyaml's event API into a small
 * tree of nodes that remember their line and column; that step rejects what
 * YAML itself lets through (invalid UTF-8 is caught before libyaml sees it,
 * aliases, duplicate keys, more than one document). Then the tree is walked
 * section by section against a closed schema: every key must be known, every
 * scalar is typed here (libyaml only ever returns strings), and every
 * reference is resolved to a pointer. Sections are loaded in dependency order
 * (tables, breakdowns, headings, units, groups, metrics, indicators) so that
 * a reference always points into a section that is already complete.
 */
#include "config/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "config/default_yaml.h"
#include "base/buf.h"
#include "base/fold.h"
#include "base/text.h"
#include "base/syserr.h"

enum {
    MAX_DEPTH = 64,                       /* nesting of YAML collections         */
    MAX_FILE = 16 * 1024 * 1024,          /* a config is a few dozen kilobytes   */
    YEAR_MIN = 1900, YEAR_MAX = 2200,     /* sanity bounds before plan bounds    */
};

/* ======================================================================== */
/* The YAML tree                                                            */
/* ======================================================================== */

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

/* One YAML node. A mapping's children alternate key, value. */
struct ynode {
    enum ykind kind;
    int line, col;                 /* 1-based                                  */
    const char *str;               /* scalar: NFC text, in the config's arena  */
    bool plain;                    /* scalar: unquoted (for null detection)    */
    const char *key;               /* scalar: its folded matching key, once
                                      needed (unique_names)                    */
    struct ynode *first, *last, *next;
    size_t n;                      /* children (a mapping counts both halves)  */
};

/* The state of one load. */
struct ctx {
    struct config *cfg;
    struct config_error *err;
    bool failed;
};

/* ======================================================================== */
/* Errors                                                                   */
/* ======================================================================== */

/* Record the first error at (line, col) and return false. */
__attribute__((format(printf, 4, 5)))
static bool fail_at(struct ctx *x, int line, int col, const char *fmt, ...)
{
    if (x->failed) return false;
    x->failed = true;
    x->err->status = DTBD_ERR_CONFIG;
    x->err->line = line;
    x->err->col = col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(x->err->msg, sizeof x->err->msg, fmt, ap);
    va_end(ap);
    return false;
}

/* Record the first error at a node's position. */
#define fail(x, node, ...) fail_at((x), (node)->line, (node)->col, __VA_ARGS__)

/* Fill an error that has no position. */
static void set_error(struct config_error *err, dtbd_status st, const char *file, const char *msg)
{
    err->status = st;
    int k = snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    (void)k;
    err->line = err->col = 0;
    k = snprintf(err->msg, sizeof err->msg, "%s", msg);
    (void)k;
}

void config_error_format(const struct config_error *err, char *out, size_t n)
{
    int k;
    if (err->line > 0)
        k = snprintf(out, n, "%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
    else
        k = snprintf(out, n, "%s: %s", err->file, err->msg);
    (void)k;  /* truncation only shortens a message */
}

/* ======================================================================== */
/* Building the tree from libyaml events                                    */
/* ======================================================================== */

/* Find the first ill-formed UTF-8 sequence; report its line and column
 * (counted in code points, as libyaml counts). True when all is well. */
static bool check_utf8(struct ctx *x, const char *data, size_t len)
{
    if (text_utf8_valid(data, len)) return true;
    int line = 1, col = 1;
    size_t i = 0;
    while (i < len) {
        size_t k = 0;
        for (size_t w = 1; w <= 4 && i + w <= len; w++)
            if (text_utf8_valid(data + i, w)) { k = w; break; }
        if (k == 0)
            return fail_at(x, line, col, "tệp không phải UTF-8 hợp lệ (byte 0x%02X); hãy lưu lại "
                           "tệp với mã hóa UTF-8", (unsigned char)data[i]);
        if (data[i] == '\n') { line++; col = 1; } else col++;
        i += k;
    }
    return true;  /* unreachable: text_utf8_valid said otherwise */
}

/* libyaml's English problems, in Vietnamese where we know them. */
static const char *translate_problem(const char *p)
{
    static const char *const map[][2] = {
        {"mapping values are not allowed in this context",
         "không được đặt \":\" ở đây (thiếu dấu ngoặc kép quanh chuỗi có dấu hai chấm?)"},
        {"did not find expected key", "không tìm thấy khóa như mong đợi (thụt lề sai?)"},
        {"did not find expected '-' indicator", "thiếu dấu \"-\" của phần tử danh sách (thụt lề sai?)"},
        {"could not find expected ':'", "thiếu dấu \":\" sau khóa"},
        {"found character that cannot start any token", "gặp ký tự không thể bắt đầu một phần tử YAML"},
        {"found unexpected end of stream", "chuỗi mở ở đây chưa được đóng (thiếu dấu ngoặc kép?)"},
        {"did not find expected node content", "thiếu giá trị"},
        {"found a tab character that violates indentation",
         "dùng ký tự tab để thụt lề (chỉ được dùng dấu cách)"},
        {"found a tab character where an indentation space is expected",
         "dùng ký tự tab để thụt lề (chỉ được dùng dấu cách)"},
        {"did not find expected ',' or ']'", "thiếu \",\" hoặc \"]\" trong danh sách"},
        {"did not find expected ',' or '}'", "thiếu \",\" hoặc \"}\" trong ánh xạ"},
        {"found unknown escape character", "ký tự thoát (\\) không hợp lệ trong chuỗi"},
        {"block sequence entries are not allowed in this context",
         "không được bắt đầu danh sách \"-\" ở đây (thụt lề sai?)"},
        {"found undefined tag handle", "thẻ (tag) YAML không xác định"},
        {"control characters are not allowed", "tệp chứa ký tự điều khiển không hợp lệ"},
    };
    if (!p) return "lỗi cú pháp";
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(p, map[i][0]) == 0) return map[i][1];
    return p;
}

/* Turn a libyaml parse failure into our error. */
static void syntax_error(struct ctx *x, const yaml_parser_t *p, const char *data, size_t len)
{
    if (p->error == YAML_MEMORY_ERROR) {
        fail_at(x, 0, 0, "không đủ bộ nhớ để đọc cấu hình");
        return;
    }
    int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
    if (p->error == YAML_READER_ERROR) {
        /* The reader reports a byte offset, not a mark: count lines and
         * code points up to it ourselves (the text is valid UTF-8 here). */
        line = col = 1;
        for (size_t i = 0; i < p->problem_offset && i < len; i++) {
            unsigned char c = (unsigned char)data[i];
            if (c == '\n') { line++; col = 1; }
            else if ((c & 0xC0) != 0x80) col++;
        }
    }
    /* An unclosed quote or bracket is found at the end of the file; point
     * at where it was opened instead, which is what needs fixing. */
    if (p->error == YAML_SCANNER_ERROR && p->context && p->problem &&
        strcmp(p->problem, "found unexpected end of stream") == 0) {
        line = (int)p->context_mark.line + 1;
        col = (int)p->context_mark.column + 1;
    }
    const char *problem = translate_problem(p->problem);
    size_t at = p->problem_mark.index;
    if (p->error == YAML_SCANNER_ERROR && at < len && data[at] == '\t')
        problem = "dùng ký tự tab (chỉ được thụt lề bằng dấu cách)";
    fail_at(x, line, col, "lỗi cú pháp YAML: %s", problem);
}

/* A new node at the event's start mark. */
static struct ynode *new_node(struct ctx *x, enum ykind kind, const yaml_event_t *ev)
{
    struct ynode *n = arena_calloc(&x->cfg->mem, 1, sizeof *n);
    if (!n) { fail_at(x, 0, 0, "không đủ bộ nhớ để đọc cấu hình"); return NULL; }
    n->kind = kind;
    n->line = (int)ev->start_mark.line + 1;
    n->col = (int)ev->start_mark.column + 1;
    return n;
}

/* Append a child to a collection. */
static void add_child(struct ynode *parent, struct ynode *child)
{
    if (parent->last) parent->last->next = child; else parent->first = child;
    parent->last = child;
    parent->n++;
}

/* Keys of a finished mapping: scalars, and none twice. */
static bool check_map_keys(struct ctx *x, const struct ynode *map)
{
    for (const struct ynode *k = map->first; k; k = k->next ? k->next->next : NULL) {
        if (k->kind != Y_SCALAR) return fail(x, k, "khóa phải là một chuỗi đơn");
        for (const struct ynode *e = map->first; e != k; e = e->next->next)
            if (strcmp(e->str, k->str) == 0)
                return fail(x, k, "khóa trùng lặp \"%s\" (đã có ở dòng %d)", k->str, e->line);
    }
    return true;
}

/* Copy a scalar's text into the arena, in NFC, refusing NUL bytes. */
static bool scalar_text(struct ctx *x, struct ynode *n, const yaml_event_t *ev)
{
    const char *v = (const char *)ev->data.scalar.value;
    size_t len = ev->data.scalar.length;
    if (memchr(v, '\0', len)) return fail(x, n, "chuỗi chứa ký tự NUL");
    buf b = BUF_INIT;
    bool ok = text_to_nfc(v, len, &b) && !b.oom;
    if (ok) n->str = arena_strndup(&x->cfg->mem, buf_str(&b), b.len);
    buf_free(&b);
    if (!ok || !n->str) return fail_at(x, 0, 0, "không đủ bộ nhớ để đọc cấu hình");
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    return true;
}

/* Parse the whole text into a tree; NULL (with the error set) on failure. */
static struct ynode *parse_tree(struct ctx *x, const char *data, size_t len)
{
    if (!check_utf8(x, data, len)) return NULL;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        fail_at(x, 0, 0, "không đủ bộ nhớ để đọc cấu hình");
        return NULL;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);

    struct ynode *stack[MAX_DEPTH];
    int depth = 0, docs = 0;
    struct ynode *root = NULL;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) { syntax_error(x, &p, data, len); break; }
        bool done = ev.type == YAML_STREAM_END_EVENT;
        struct ynode *n = NULL;
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                fail_at(x, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
                        "tệp cấu hình chỉ được chứa một tài liệu YAML");
            break;
        case YAML_ALIAS_EVENT:
            fail_at(x, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
                    "không hỗ trợ tham chiếu YAML (*%s): hãy viết đầy đủ giá trị",
                    (const char *)ev.data.alias.anchor);
            break;
        case YAML_SCALAR_EVENT:
            n = new_node(x, Y_SCALAR, &ev);
            if (n && !scalar_text(x, n, &ev)) n = NULL;
            break;
        case YAML_SEQUENCE_START_EVENT:
            n = new_node(x, Y_SEQ, &ev);
            break;
        case YAML_MAPPING_START_EVENT:
            n = new_node(x, Y_MAP, &ev);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            if (stack[depth]->kind == Y_MAP) check_map_keys(x, stack[depth]);
            break;
        default:
            break;
        }
        if (n) {
            if (depth > 0) add_child(stack[depth - 1], n); else root = n;
            if (n->kind != Y_SCALAR) {
                if (depth == MAX_DEPTH) fail(x, n, "cấu hình lồng nhau quá sâu");
                else stack[depth++] = n;
            }
        }
        yaml_event_delete(&ev);
        if (done || x->failed) break;
    }
    yaml_parser_delete(&p);
    if (x->failed) return NULL;
    if (!root) {
        fail_at(x, 1, 1, "tệp cấu hình rỗng");
        return NULL;
    }
    return root;
}

/* ======================================================================== */
/* Schema helpers: maps, keys, typed scalars                                */
/* ======================================================================== */

/* The value for key in a mapping, or NULL. */
static const struct ynode *map_get(const struct ynode *map, const char *key)
{
    if (!map || map->kind != Y_MAP) return NULL;
    for (const struct ynode *k = map->first; k; k = k->next->next)
        if (strcmp(k->str, key) == 0) return k->next;
    return NULL;
}

/* The key node for key in a mapping (for positions), or NULL. */
static const struct ynode *map_key(const struct ynode *map, const char *key)
{
    for (const struct ynode *k = map->first; k; k = k->next->next)
        if (strcmp(k->str, key) == 0) return k;
    return NULL;
}

/* A mapping whose keys are all in `keys` (NULL-terminated). A typo is an
 * error that suggests the closest key, so it can never pass silently. */
static bool check_map(struct ctx *x, const struct ynode *n, const char *what,
                      const char *const keys[])
{
    if (n->kind != Y_MAP)
        return fail(x, n, "\"%s\" phải là một ánh xạ (các dòng \"khóa: giá trị\")", what);
    for (const struct ynode *k = n->first; k; k = k->next->next) {
        bool known = false;
        const char *near = NULL;
        size_t best = 3;
        for (size_t i = 0; keys[i]; i++) {
            if (strcmp(keys[i], k->str) == 0) { known = true; break; }
            size_t d = fold_edit_distance(keys[i], k->str, 2);
            if (d < best) { best = d; near = keys[i]; }
        }
        if (known) continue;
        if (near)
            return fail(x, k, "khóa không hợp lệ \"%s\" trong \"%s\" (có phải \"%s\"?)",
                        k->str, what, near);
        buf list = BUF_INIT;
        for (size_t i = 0; keys[i]; i++) buf_printf(&list, "%s%s", i ? ", " : "", keys[i]);
        fail(x, k, "khóa không hợp lệ \"%s\" trong \"%s\"; các khóa hợp lệ: %s",
             k->str, what, buf_str(&list));
        buf_free(&list);
        return false;
    }
    return true;
}

/* A YAML null: an empty plain scalar, ~ or null. */
static bool is_null(const struct ynode *n)
{
    return n->kind == Y_SCALAR && n->plain &&
           (n->str[0] == '\0' || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
            strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0);
}

/* The value of a required key (error at the mapping when missing). */
static const struct ynode *need(struct ctx *x, const struct ynode *map, const char *key,
                                const char *what)
{
    const struct ynode *v = map_get(map, key);
    if (!v) fail(x, map, "thiếu khóa \"%s\" trong \"%s\"", key, what);
    return v;
}

/* A non-empty text scalar. */
static bool as_text(struct ctx *x, const struct ynode *n, const char *key, const char **out)
{
    if (n->kind != Y_SCALAR) return fail(x, n, "\"%s\" phải là một chuỗi", key);
    if (is_null(n) || n->str[0] == '\0') return fail(x, n, "\"%s\" không được để trống", key);
    *out = n->str;
    return true;
}

/* A text field; absent optional fields leave *out as NULL. */
static bool text_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                       bool required, const char **out)
{
    const struct ynode *v = required ? need(x, map, key, what) : map_get(map, key);
    if (!v) return !required;
    return as_text(x, v, key, out);
}

/* A list of non-empty scalars, none repeated. A single scalar is accepted as
 * a list of one when `scalar_ok`. */
static bool node_list(struct ctx *x, const struct ynode *v, const char *key, bool scalar_ok,
                      const struct ynode ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (is_null(v)) return true;
    if (v->kind == Y_SCALAR && scalar_ok) {
        const struct ynode **a = arena_alloc(&x->cfg->mem, sizeof *a);
        if (!a) return fail_at(x, 0, 0, "không đủ bộ nhớ");
        a[0] = v;
        *out = a;
        *n = 1;
        return true;
    }
    if (v->kind != Y_SEQ) return fail(x, v, "\"%s\" phải là một danh sách", key);
    const struct ynode **a = arena_calloc(&x->cfg->mem, v->n ? v->n : 1, sizeof *a);
    if (!a) return fail_at(x, 0, 0, "không đủ bộ nhớ");
    size_t i = 0;
    for (const struct ynode *it = v->first; it; it = it->next) {
        const char *s;
        if (it->kind != Y_SCALAR)
            return fail(x, it, "mỗi phần tử của \"%s\" phải là một chuỗi", key);
        if (!as_text(x, it, key, &s)) return false;
        for (size_t j = 0; j < i; j++)
            if (strcmp(a[j]->str, s) == 0)
                return fail(x, it, "\"%s\" lặp lại trong \"%s\" (đã có ở dòng %d)", s, key,
                            a[j]->line);
        a[i++] = it;
    }
    *out = a;
    *n = i;
    return true;
}

/* An optional list-of-strings field. */
static bool strs_field(struct ctx *x, const struct ynode *map, const char *key,
                       struct config_strs *out)
{
    out->items = NULL;
    out->n = 0;
    const struct ynode *v = map_get(map, key);
    if (!v) return true;
    const struct ynode **nodes;
    size_t n;
    if (!node_list(x, v, key, false, &nodes, &n)) return false;
    const char **items = arena_calloc(&x->cfg->mem, n ? n : 1, sizeof *items);
    if (!items) return fail_at(x, 0, 0, "không đủ bộ nhớ");
    for (size_t i = 0; i < n; i++) items[i] = nodes[i]->str;
    out->items = items;
    out->n = n;
    return true;
}

/* Parse a decimal "12", "0.8", "80%" without locale: at most 15 significant
 * digits, so digits / 10^k is one correctly rounded division. */
static bool parse_decimal(const char *s, double *out)
{
    bool neg = false;
    if (*s == '+' || *s == '-') neg = *s++ == '-';
    uint64_t mant = 0;
    int digits = 0, frac = 0;
    bool dot = false, any = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (digits == 15) return false;
            if (mant || *s != '0') digits++;
            mant = mant * 10 + (uint64_t)(*s - '0');
            if (dot) frac++;
            any = true;
        } else if (*s == '.' && !dot && any) {
            dot = true;
        } else {
            break;
        }
    }
    if (!any || (dot && frac == 0)) return false;
    double v = (double)mant;
    static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8,
                                 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    if (frac > 15) return false;
    v /= p10[frac];
    if (*s == '%' && s[1] == '\0') v /= 100;
    else if (*s != '\0') return false;
    *out = neg ? -v : v;
    return true;
}

/* A number within [lo, hi]; `ratio` allows a percent ("80%") and names the
 * value a ratio in the message. Absent optional numbers keep *out. */
static bool num_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                      bool required, double lo, double hi, bool ratio, double *out)
{
    const struct ynode *v = required ? need(x, map, key, what) : map_get(map, key);
    if (!v) return !required;
    double d;
    if (v->kind != Y_SCALAR || is_null(v) || !parse_decimal(v->str, &d) ||
        (!ratio && strchr(v->str, '%')))
        return fail(x, v, "\"%s\" phải là một số%s", key,
                    ratio ? " (tỉ lệ, ví dụ 0.8 hoặc 80%)" : "");
    if (d < lo || d > hi) {
        if (ratio && hi == 1)
            return fail(x, v, "\"%s\" phải là tỉ lệ trong khoảng 0..1 (0.8 nghĩa là 80%%), "
                        "không phải %s", key, v->str);
        return fail(x, v, "\"%s\" phải nằm trong khoảng %g..%g, không phải %s", key, lo, hi, v->str);
    }
    *out = d;
    return true;
}

/* An integer node within [lo, hi]. */
static bool as_int(struct ctx *x, const struct ynode *v, const char *key, long lo, long hi,
                   int *out)
{
    const char *s = v->kind == Y_SCALAR ? v->str : "";
    const char *p = s + (*s == '-' || *s == '+');
    bool ok = v->kind == Y_SCALAR && *p != '\0' && strlen(p) <= 9;
    for (const char *q = p; ok && *q; q++) ok = *q >= '0' && *q <= '9';
    if (!ok) return fail(x, v, "\"%s\" phải là một số nguyên", key);
    long n = strtol(s, NULL, 10);
    if (n < lo || n > hi)
        return fail(x, v, "\"%s\" phải nằm trong khoảng %ld..%ld, không phải %ld", key, lo, hi, n);
    *out = (int)n;
    return true;
}

/* An integer field; absent optional fields keep *out. */
static bool int_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                      bool required, long lo, long hi, int *out)
{
    const struct ynode *v = required ? need(x, map, key, what) : map_get(map, key);
    if (!v) return !required;
    return as_int(x, v, key, lo, hi, out);
}

/* A boolean field (true/false); absent keeps *out. */
static bool bool_field(struct ctx *x, const struct ynode *map, const char *key, bool *out)
{
    const struct ynode *v = map_get(map, key);
    if (!v) return true;
    if (v->kind == Y_SCALAR) {
        const char *s = v->str;
        if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) { *out = true; return true; }
        if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) { *out = false; return true; }
    }
    return fail(x, v, "\"%s\" phải là true hoặc false", key);
}

/* Days in a month of the proleptic Gregorian calendar. */
static int month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

/* A date field, written YYYY-MM-DD; absent leaves *out unset. */
static bool date_field(struct ctx *x, const struct ynode *map, const char *key, bool required,
                       const char *what, struct config_date *out)
{
    const struct ynode *v = required ? need(x, map, key, what) : map_get(map, key);
    *out = (struct config_date){0, 0, 0};
    if (!v) return !required;
    const char *s = v->kind == Y_SCALAR ? v->str : "";
    bool ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        if (i != 4 && i != 7) ok = s[i] >= '0' && s[i] <= '9';
    if (ok) {
        int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
        ok = y >= YEAR_MIN && y <= YEAR_MAX && m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
        if (ok) { *out = (struct config_date){y, m, d}; return true; }
    }
    return fail(x, v, "\"%s\" phải là một ngày hợp lệ dạng NĂM-THÁNG-NGÀY (ví dụ 2025-02-28)", key);
}

/* One of a fixed set of words (NULL-terminated `names`); *out = its index. */
static bool enum_node(struct ctx *x, const struct ynode *v, const char *key,
                      const char *const names[], int *out)
{
    if (v->kind == Y_SCALAR)
        for (int i = 0; names[i]; i++)
            if (strcmp(names[i], v->str) == 0) { *out = i; return true; }
    buf list = BUF_INIT;
    for (int i = 0; names[i]; i++) buf_printf(&list, "%s%s", i ? ", " : "", names[i]);
    fail(x, v, "\"%s\" phải là một trong: %s", key, buf_str(&list));
    buf_free(&list);
    return false;
}

/* The characters a code may hold. */
enum code_style { CODE_SNAKE, CODE_SLUG, CODE_ID };

/* A code: a short ASCII identifier that outputs (CSV, charts) can carry.
 * Metric and group codes may not hold "." (records write metric.breakdown). */
static bool code_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                       enum code_style style, const char **out)
{
    if (!text_field(x, map, key, what, true, out)) return false;
    const char *s = *out;
    bool ok = strlen(s) <= 64 && ((s[0] >= 'a' && s[0] <= 'z') ||
                                  (style != CODE_SNAKE && s[0] >= '0' && s[0] <= '9') ||
                                  (style == CODE_ID && s[0] >= 'A' && s[0] <= 'Z'));
    for (const char *p = s; ok && *p; p++) {
        char c = *p;
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
             (c == '_' && style != CODE_SLUG) || (c == '-' && style != CODE_SNAKE) ||
             (style == CODE_ID && c >= 'A' && c <= 'Z');
    }
    if (ok) return true;
    static const char *const rule[] = {
        "chữ thường không dấu, chữ số và \"_\", bắt đầu bằng chữ",
        "chữ thường không dấu, chữ số và \"-\"",
        "chữ cái không dấu, chữ số, \"_\" và \"-\"",
    };
    return fail(x, map_get(map, key), "mã \"%s\" không hợp lệ: chỉ được dùng %s", s, rule[style]);
}

/* The mapping items of a section: a non-empty sequence. */
static bool section_seq(struct ctx *x, const struct ynode *v, const char *what)
{
    if (v->kind != Y_SEQ) return fail(x, v, "\"%s\" phải là một danh sách (mỗi phần tử bắt đầu "
                                      "bằng \"- \")", what);
    if (v->n == 0) return fail(x, v, "\"%s\" không được để trống", what);
    return true;
}

/* The i-th child of a collection. */
static const struct ynode *nth(const struct ynode *seq, size_t i)
{
    const struct ynode *it = seq->first;
    while (it && i--) it = it->next;
    return it;
}

/* Item i's key (`code`/`id`) must differ from every earlier item's. */
static bool unique_code(struct ctx *x, const struct ynode *seq, size_t i, const char *key)
{
    const struct ynode *item = nth(seq, i), *v = map_get(item, key);
    for (size_t j = 0; j < i; j++) {
        const struct ynode *w = map_get(nth(seq, j), key);
        if (w && strcmp(w->str, v->str) == 0)
            return fail(x, v, "mã \"%s\" bị trùng (đã khai báo ở dòng %d)", v->str, w->line);
    }
    return true;
}

/* Every name (label_key and aliases_key) of item i must differ from the names
 * of earlier items in the same scope (same value of scope_key, or all when
 * scope_key is NULL): an alias shared by two entities makes matching ambiguous. */
/* The folded matching key of a scalar (base/fold.h), computed once and kept
 * on the node; NULL (and the load failed) when memory ran out. */
static const char *match_key(struct ctx *x, const struct ynode *v)
{
    struct ynode *n = (struct ynode *)v;   /* the cache only */
    if (n->key) return n->key;
    buf b = BUF_INIT;
    bool ok = fold_match_key(n->str, strlen(n->str), &b);
    if (ok) n->key = arena_strndup(&x->cfg->mem, buf_str(&b), b.len);
    buf_free(&b);
    if (!n->key) fail_at(x, 0, 0, "không đủ bộ nhớ");
    return n->key;
}

static bool unique_names(struct ctx *x, const struct ynode *seq, size_t i, const char *label_key,
                         const char *aliases_key, const char *scope_key, const char *what)
{
    const struct ynode *item = nth(seq, i);
    const struct ynode *scope = scope_key ? map_get(item, scope_key) : NULL;
    const struct ynode *mine[2] = {map_get(item, label_key), map_get(item, aliases_key)};
    for (size_t j = 0; j < i; j++) {
        const struct ynode *other = nth(seq, j);
        if (scope_key) {
            const struct ynode *s = map_get(other, scope_key);
            if (!s || !scope || strcmp(s->str, scope->str) != 0) continue;
        }
        const struct ynode *theirs[2] = {map_get(other, label_key), map_get(other, aliases_key)};
        for (int a = 0; a < 2; a++) {
            if (!mine[a]) continue;
            const struct ynode *m = mine[a]->kind == Y_SEQ ? mine[a]->first : mine[a];
            for (; m; m = mine[a]->kind == Y_SEQ ? m->next : NULL) {
                for (int b = 0; b < 2; b++) {
                    if (!theirs[b]) continue;
                    const struct ynode *t = theirs[b]->kind == Y_SEQ ? theirs[b]->first : theirs[b];
                    for (; t; t = theirs[b]->kind == Y_SEQ ? t->next : NULL) {
                        if (strcmp(m->str, t->str) == 0)
                            return fail(x, m, "tên \"%s\" đã dùng cho %s \"%s\" (dòng %d): "
                                        "không thể nhận biết đơn nghĩa", m->str, what,
                                        map_get(other, "code")->str, t->line);
                        /* workbooks are matched on folded keys: two names that
                         * fold alike are the same name to recognition */
                        const char *km = match_key(x, m), *kt = match_key(x, t);
                        if (!km || !kt) return false;
                        if (km[0] && strcmp(km, kt) == 0)
                            return fail(x, m, "tên \"%s\" trùng với \"%s\" của %s \"%s\" (dòng %d) khi "
                                        "so khớp (không phân biệt dấu, hoa thường, dấu câu, viết tắt): "
                                        "không thể nhận biết đơn nghĩa", m->str, t->str, what,
                                        map_get(other, "code")->str, t->line);
                    }
                }
            }
        }
    }
    return true;
}

/* ======================================================================== */
/* Typed reference resolution                                               */
/* ======================================================================== */

/* A reference must be one non-empty code. */
static bool ref_scalar(struct ctx *x, const struct ynode *v, const char *key)
{
    if (v->kind != Y_SCALAR || is_null(v) || v->str[0] == '\0')
        return fail(x, v, "\"%s\" phải là một mã", key);
    return true;
}

/* Resolve a reference or fail with "… không có trong <section>". */
#define RESOLVE(x, node, lookup, noun, section, out)                                       \
    (((out) = lookup((x)->cfg, (node)->str)) != NULL ||                                    \
     fail((x), (node), "tham chiếu không tồn tại: %s \"%s\" không có trong \"%s\"", (noun), \
          (node)->str, (section)))

/* ======================================================================== */
/* Sections                                                                 */
/* ======================================================================== */

/* plan: id, title, years, HĐND term, issue date. */
static bool load_plan(struct ctx *x, const struct ynode *v)
{
    static const char *const keys[] = {"id", "title", "issuer", "province", "basis", "issued",
                                       "years", "hdnd_term", NULL};
    static const char *const span_keys[] = {"from", "to", NULL};
    struct config_plan *p = &x->cfg->plan;
    if (!check_map(x, v, "plan", keys) || !text_field(x, v, "id", "plan", true, &p->id) ||
        !text_field(x, v, "title", "plan", true, &p->title) ||
        !text_field(x, v, "issuer", "plan", false, &p->issuer) ||
        !text_field(x, v, "province", "plan", true, &p->province) ||
        !text_field(x, v, "basis", "plan", false, &p->basis) ||
        !date_field(x, v, "issued", true, "plan", &p->issued))
        return false;
    const struct ynode *years = need(x, v, "years", "plan");
    if (!years || !check_map(x, years, "years", span_keys) ||
        !int_field(x, years, "from", "years", true, YEAR_MIN, YEAR_MAX, &p->first_year) ||
        !int_field(x, years, "to", "years", true, YEAR_MIN, YEAR_MAX, &p->last_year))
        return false;
    if (p->last_year < p->first_year)
        return fail(x, map_get(years, "to"), "năm kết thúc (%d) trước năm bắt đầu (%d)",
                    p->last_year, p->first_year);
    const struct ynode *term = need(x, v, "hdnd_term", "plan");
    if (!term || !check_map(x, term, "hdnd_term", span_keys) ||
        !int_field(x, term, "from", "hdnd_term", true, YEAR_MIN, YEAR_MAX, &p->term_first) ||
        !int_field(x, term, "to", "hdnd_term", true, YEAR_MIN, YEAR_MAX, &p->term_last))
        return false;
    if (p->term_last < p->term_first)
        return fail(x, map_get(term, "to"), "năm kết thúc nhiệm kỳ (%d) trước năm bắt đầu (%d)",
                    p->term_last, p->term_first);
    if (p->issued.year > p->last_year)
        return fail(x, map_get(v, "issued"), "ngày ban hành %d nằm ngoài kế hoạch (%d–%d)",
                    p->issued.year, p->first_year, p->last_year);
    return true;
}

/* checks: tolerances, each optional with the documented default. */
static bool load_checks(struct ctx *x, const struct ynode *v)
{
    static const char *const keys[] = {"headcount_jump", "provider_gap", "sum_count",
                                       "sum_money", "plan_done", NULL};
    struct config_checks *c = &x->cfg->checks;
    if (!v) return true;
    return check_map(x, v, "checks", keys) &&
           num_field(x, v, "headcount_jump", "checks", false, 0, 100, true, &c->headcount_jump) &&
           num_field(x, v, "provider_gap", "checks", false, 0, 1, true, &c->provider_gap) &&
           num_field(x, v, "sum_count", "checks", false, 0, 1e9, false, &c->sum_count) &&
           num_field(x, v, "sum_money", "checks", false, 0, 1e9, false, &c->sum_money) &&
           num_field(x, v, "plan_done", "checks", false, 0, 1, true, &c->plan_done);
}

/* A count or a size: digits, optionally followed (after spaces) by a unit
 * for sizes — KB, MB, GB (the same as KiB, MiB, GiB: 1024-based, as Windows
 * shows file sizes). Within [lo, hi]. */
static bool cap_field(struct ctx *x, const struct ynode *map, const char *key, bool size,
                      uint64_t lo, uint64_t hi, uint64_t *out)
{
    const struct ynode *v = map_get(map, key);
    if (!v) return true;
    const char *s = v->kind == Y_SCALAR && !is_null(v) ? v->str : "";
    const char *p = s;
    uint64_t n = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9' && digits < 16; p++, digits++) n = n * 10 + (uint64_t)(*p - '0');
    while (*p == ' ') p++;
    uint64_t mult = 1;
    if (size && *p) {
        static const struct { const char *name; uint64_t mult; } units[] = {
            {"B", 1},           {"KB", 1ull << 10}, {"KiB", 1ull << 10}, {"MB", 1ull << 20},
            {"MiB", 1ull << 20}, {"GB", 1ull << 30}, {"GiB", 1ull << 30},
        };
        mult = 0;
        for (size_t i = 0; i < sizeof units / sizeof *units; i++)
            if (strcmp(p, units[i].name) == 0) mult = units[i].mult;
        if (mult) p += strlen(p);
    }
    if (digits == 0 || digits >= 16 || *p || mult == 0)
        return fail(x, v, size ? "\"%s\" phải là một cỡ, ví dụ 256 MB (đơn vị B, KB, MB, GB)"
                               : "\"%s\" phải là một số nguyên dương", key);
    if (n > hi / mult || n * mult < lo) {
        if (size)
            return fail(x, v, "\"%s\" phải nằm trong khoảng %llu..%llu byte, không phải %s", key,
                        (unsigned long long)lo, (unsigned long long)hi, s);
        return fail(x, v, "\"%s\" phải nằm trong khoảng %llu..%llu, không phải %s", key,
                    (unsigned long long)lo, (unsigned long long)hi, s);
    }
    *out = n * mult;
    return true;
}

/* limits: caps against hostile input, each optional (0 = the readers' default).
 * The bounds keep a configuration from switching a protection off: no cap
 * can be set above what the readers can handle safely. */
static bool load_limits(struct ctx *x, const struct ynode *v)
{
    static const char *const keys[] = {"file_size", "inflated_size", "inflate_ratio",
                                       "cells_per_sheet", "cells_per_workbook", "grid_size",
                                       "string_size", "xml_depth",
                                       "sheets", "shared_strings", "files_per_run",
                                       "archive_members", "archive_depth", NULL};
    struct config_limits *l = &x->cfg->limits;
    if (!v) return true;
    return check_map(x, v, "limits", keys) &&
           cap_field(x, v, "file_size", true, 1024, 4ull << 30, &l->file_bytes) &&
           cap_field(x, v, "inflated_size", true, 1ull << 20, 64ull << 30, &l->inflated_bytes) &&
           cap_field(x, v, "inflate_ratio", false, 2, 100000, &l->inflate_ratio) &&
           cap_field(x, v, "cells_per_sheet", false, 1000, 1000000000, &l->cells_per_sheet) &&
           cap_field(x, v, "cells_per_workbook", false, 1000, 1000000000, &l->cells_per_workbook) &&
           cap_field(x, v, "grid_size", true, 1ull << 20, 64ull << 30, &l->grid_bytes) &&
           cap_field(x, v, "string_size", true, 256, 64ull << 20, &l->string_bytes) &&
           cap_field(x, v, "xml_depth", false, 16, 1000, &l->xml_depth) &&
           cap_field(x, v, "sheets", false, 1, 65535, &l->sheets) &&
           cap_field(x, v, "shared_strings", false, 1000, 1000000000, &l->shared_strings) &&
           cap_field(x, v, "files_per_run", false, 1, 10000000, &l->files_per_run) &&
           cap_field(x, v, "archive_members", false, 1, 100000, &l->archive_members) &&
           cap_field(x, v, "archive_depth", false, 1, 8, &l->archive_depth);
}

/* form: words that locate the title block, the total row and the footer. */
static bool load_form(struct ctx *x, const struct ynode *v)
{
    static const char *const keys[] = {"total_row", "unit_field",   "receiver_field", "year_field",
                                        "footer",    "label_header", "filler",         "subset_prefix",
                                        NULL};
    struct config_form *f = &x->cfg->form;
    if (!v) return true;
    return check_map(x, v, "form", keys) && strs_field(x, v, "total_row", &f->total_row) &&
           strs_field(x, v, "unit_field", &f->unit_field) &&
           strs_field(x, v, "receiver_field", &f->receiver_field) &&
           strs_field(x, v, "year_field", &f->year_field) && strs_field(x, v, "footer", &f->footer) &&
           strs_field(x, v, "label_header", &f->label_header) && strs_field(x, v, "filler", &f->filler) &&
           strs_field(x, v, "subset_prefix", &f->subset_prefix);
}

/* rules: the Vietnamese name of each finding rule, code → label. Optional;
 * a code is snake_case (what issues.csv carries), a label non-empty text. */
static bool load_rules(struct ctx *x, const struct ynode *v)
{
    struct config *c = x->cfg;
    if (!v || is_null(v)) return true;
    if (v->kind != Y_MAP)
        return fail(x, v, "\"rules\" phải là một ánh xạ \"mã quy tắc: tên tiếng Việt\"");
    size_t n = v->n / 2;
    c->rules = arena_calloc(&c->mem, n ? n : 1, sizeof *c->rules);
    if (!c->rules) return fail_at(x, 0, 0, "không đủ bộ nhớ");
    for (const struct ynode *k = v->first; k; k = k->next->next) {
        const char *code = k->str;
        bool ok = k->kind == Y_SCALAR && strlen(code) <= 64 && code[0] >= 'a' && code[0] <= 'z';
        for (const char *p = code; ok && *p; p++)
            ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
        if (!ok)
            return fail(x, k, "mã quy tắc \"%s\" không hợp lệ: chỉ được dùng chữ thường không dấu, chữ "
                        "số và \"_\", bắt đầu bằng chữ", code);
        struct config_rule *r = &c->rules[c->n_rules];
        r->code = code;
        if (k->next->kind != Y_SCALAR)
            return fail(x, k->next, "tên của quy tắc \"%s\" phải là một chuỗi", code);
        if (!as_text(x, k->next, code, &r->label)) return false;
        c->n_rules++;
    }
    return true;
}

/* The words of each status (DESIGN §8: one set, the same in the charts, the
 * workbook and the run's summary): the keys are attainment.csv's status
 * codes. Used when a configuration has no status_words: section; equal to
 * default.yaml's (tests/unit/test_config.c keeps them so). */
static const char *const status_keys[CONFIG_STATUS_COUNT] = {"met", "not_met", "on_track", "behind",
                                                             "no_data"};
static const char *const status_default_words[CONFIG_STATUS_COUNT] = {
    "Đạt", "Không đạt", "Đúng lộ trình", "Chậm so với lộ trình", "Chưa có số liệu"};
#define STATUS_WORD_MAX 40         /* code points: a chart legend's entry */

/* status_words: all five keys when the section is given, each a text of at
 * most STATUS_WORD_MAX characters, no two alike (a reader could not tell
 * the statuses apart). */
static bool load_status_words(struct ctx *x, const struct ynode *v)
{
    static const char *const keys[] = {"met", "not_met", "on_track", "behind", "no_data", NULL};
    const char **w = x->cfg->status_words;
    for (int i = 0; i < CONFIG_STATUS_COUNT; i++) w[i] = status_default_words[i];
    if (!v) return true;
    if (!check_map(x, v, "status_words", keys)) return false;
    for (int i = 0; i < CONFIG_STATUS_COUNT; i++) {
        if (!text_field(x, v, status_keys[i], "status_words", true, &w[i])) return false;
        size_t cps = 0;
        for (const char *p = w[i]; *p; p++) cps += ((unsigned char)*p & 0xC0) != 0x80;
        const struct ynode *n = map_get(v, status_keys[i]);
        if (cps > STATUS_WORD_MAX)
            return fail(x, n, "\"%s\" trong \"status_words\" dài quá %d ký tự", status_keys[i],
                        STATUS_WORD_MAX);
        for (int j = 0; j < i; j++)
            if (strcmp(w[i], w[j]) == 0)
                return fail(x, n, "\"%s\" và \"%s\" trong \"status_words\" trùng chữ \"%s\"",
                            status_keys[j], status_keys[i], w[i]);
    }
    return true;
}

/* The other word sets (config.h: config_word_set): section, keys, default
 * words (equal to default.yaml's; tests/unit/test_config.c keeps them so). */
static const struct word_set {
    const char *section;
    int n;
    const char *keys[CONFIG_WORDS_MAX];
    const char *defaults[CONFIG_WORDS_MAX];
} word_sets[CONFIG_WORD_SETS] = {
    {"severity_words", 3, {"error", "warning", "info"}, {"Lỗi", "Cảnh báo", "Thông tin"}},
    {"source_words", 3, {"accepted", "superseded", "rejected"},
     {"Được nhận", "Bị thay thế", "Bị loại"}},
    {"kind_words", 3, {"agency", "district", "provider"},
     {"Sở, ban, ngành tỉnh", "UBND cấp huyện", "Cơ sở đào tạo"}},
};

/* One word set: all its keys when the section is given, each a text of at
 * most STATUS_WORD_MAX characters, no two alike. */
static bool load_word_set(struct ctx *x, const struct ynode *root, int set)
{
    const struct word_set *ws = &word_sets[set];
    const char **w = x->cfg->words[set];
    const struct ynode *v = map_get(root, ws->section);
    for (int i = 0; i < ws->n; i++) w[i] = ws->defaults[i];
    if (!v) return true;
    const char *keys[CONFIG_WORDS_MAX + 1] = {0};
    for (int i = 0; i < ws->n; i++) keys[i] = ws->keys[i];
    if (!check_map(x, v, ws->section, keys)) return false;
    for (int i = 0; i < ws->n; i++) {
        if (!text_field(x, v, ws->keys[i], ws->section, true, &w[i])) return false;
        size_t cps = 0;
        for (const char *p = w[i]; *p; p++) cps += ((unsigned char)*p & 0xC0) != 0x80;
        const struct ynode *n = map_get(v, ws->keys[i]);
        if (cps > STATUS_WORD_MAX)
            return fail(x, n, "\"%s\" trong \"%s\" dài quá %d ký tự", ws->keys[i], ws->section,
                        STATUS_WORD_MAX);
        for (int j = 0; j < i; j++)
            if (strcmp(w[i], w[j]) == 0)
                return fail(x, n, "\"%s\" và \"%s\" trong \"%s\" trùng chữ \"%s\"", ws->keys[j],
                            ws->keys[i], ws->section, w[i]);
    }
    return true;
}

static bool load_word_sets(struct ctx *x, const struct ynode *root)
{
    for (int s = 0; s < CONFIG_WORD_SETS; s++)
        if (!load_word_set(x, root, s)) return false;
    return true;
}

/* Allocate a section's array of n entities. */
static void *section_alloc(struct ctx *x, size_t n, size_t size)
{
    void *p = arena_calloc(&x->cfg->mem, n, size);
    if (!p) fail_at(x, 0, 0, "không đủ bộ nhớ");
    return p;
}

/* tables: Biểu 01/02/03. */
static bool load_tables(struct ctx *x, const struct ynode *seq)
{
    static const char *const keys[] = {"code", "title", "rows", "unit_of_measure", "aliases", "kinds", NULL};
    static const char *const rows[] = {"groups", "metrics", NULL};
    static const char *const kinds[] = {"agency", "district", "provider", NULL};
    struct config *c = x->cfg;
    if (!section_seq(x, seq, "tables") ||
        !(c->tables = section_alloc(x, seq->n, sizeof *c->tables)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_table *t = &c->tables[i];
        int r = 0;
        t->index = i;
        if (!check_map(x, it, "tables", keys) ||
            !code_field(x, it, "code", "tables", CODE_SNAKE, &t->code) ||
            !unique_code(x, seq, i, "code") || !text_field(x, it, "title", "tables", true, &t->title) ||
            !text_field(x, it, "unit_of_measure", "tables", false, &t->unit_of_measure) ||
            !strs_field(x, it, "aliases", &t->aliases) || !unique_names(x, seq, i, "title", "aliases", NULL, "biểu"))
            return false;
        const struct ynode *rv = need(x, it, "rows", "tables");
        if (!rv || !enum_node(x, rv, "rows", rows, &r)) return false;
        t->rows = (enum config_table_rows)r;
        const struct ynode *kv = map_get(it, "kinds"), **nodes;
        size_t nk = 0;
        if (kv && !node_list(x, kv, "kinds", false, &nodes, &nk)) return false;
        if (kv && nk == 0) return fail(x, kv, "\"kinds\" phải có ít nhất một loại đơn vị");
        for (size_t k = 0; k < nk; k++) {
            int kind;
            if (!enum_node(x, nodes[k], "kinds", kinds, &kind)) return false;
            t->reported_by[kind] = true;
        }
        if (!kv)
            for (int k = 0; k < CONFIG_UNIT_KIND_COUNT; k++) t->reported_by[k] = true;
        c->n_tables = i + 1;
    }
    return true;
}

/* Follow `up` from each entity; coming back to the start is a cycle. */
#define CHECK_CYCLE(x, seq, type, arr, n, field, keyname, what)                                   \
    do {                                                                                     \
        for (size_t ci = 0; ci < (n); ci++) {                                                \
            const type *cp = (arr)[ci].field;                                  \
            for (size_t steps = 0; cp && steps <= (n); steps++, cp = cp->field)              \
                if (cp == &(arr)[ci]) {                                                      \
                    const struct ynode *cn = map_get(nth((seq), ci), (keyname));             \
                    return fail((x), cn ? cn : nth((seq), ci),                               \
                                "vòng lặp: \"%s\" gián tiếp là %s của chính nó",             \
                                (arr)[ci].code, (what));                                     \
                }                                                                            \
        }                                                                                    \
    } while (0)

/* breakdowns: all/female/ethnic and the funding sources; parts and subsets. */
static bool load_breakdowns(struct ctx *x, const struct ynode *seq)
{
    static const char *const keys[] = {"code", "label", "aliases", "parts", "subset_of", NULL};
    struct config *c = x->cfg;
    if (!section_seq(x, seq, "breakdowns") ||
        !(c->breakdowns = section_alloc(x, seq->n, sizeof *c->breakdowns)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_breakdown *b = &c->breakdowns[i];
        b->index = i;
        if (!check_map(x, it, "breakdowns", keys) ||
            !code_field(x, it, "code", "breakdowns", CODE_SNAKE, &b->code) ||
            !unique_code(x, seq, i, "code") ||
            !text_field(x, it, "label", "breakdowns", true, &b->label) ||
            !strs_field(x, it, "aliases", &b->aliases))
            return false;
    }
    c->n_breakdowns = seq->n;
    i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_breakdown *b = &c->breakdowns[i];
        const struct ynode **nodes;
        size_t n;
        const struct ynode *pv = map_get(it, "parts"), *sv = map_get(it, "subset_of");
        if (pv) {
            if (!node_list(x, pv, "parts", false, &nodes, &n)) return false;
            const struct config_breakdown **parts = arena_calloc(&c->mem, n ? n : 1, sizeof *parts);
            if (!parts) return fail_at(x, 0, 0, "không đủ bộ nhớ");
            for (size_t k = 0; k < n; k++) {
                const struct config_breakdown *pb;
                if (!RESOLVE(x, nodes[k], config_breakdown, "phân tổ", "breakdowns", pb)) return false;
                struct config_breakdown *w = &c->breakdowns[pb->index];
                if (w == b) return fail(x, nodes[k], "\"%s\" không thể là thành phần của chính nó", b->code);
                if (w->part_of)
                    return fail(x, nodes[k], "\"%s\" đã là thành phần của \"%s\"", w->code, w->part_of->code);
                w->part_of = b;
                parts[k] = pb;
            }
            b->parts = parts;
            b->n_parts = n;
        }
        if (sv) {
            if (sv->kind != Y_SCALAR || is_null(sv))
                return fail(x, sv, "\"subset_of\" phải là mã của một phân tổ");
            if (!RESOLVE(x, sv, config_breakdown, "phân tổ", "breakdowns", b->subset_of)) return false;
        }
    }
    CHECK_CYCLE(x, seq, struct config_breakdown, c->breakdowns, c->n_breakdowns, part_of, "code", "thành phần");
    CHECK_CYCLE(x, seq, struct config_breakdown, c->breakdowns, c->n_breakdowns, subset_of, "subset_of", "tập con");
    return true;
}

/* headings: merged header cells above several metric columns. */
static bool load_headings(struct ctx *x, const struct ynode *seq)
{
    static const char *const keys[] = {"code", "table", "label", "aliases", NULL};
    struct config *c = x->cfg;
    if (!seq) return true;
    if (!section_seq(x, seq, "headings") ||
        !(c->headings = section_alloc(x, seq->n, sizeof *c->headings)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_heading *h = &c->headings[i];
        h->index = i;
        const struct ynode *tv;
        if (!check_map(x, it, "headings", keys) ||
            !code_field(x, it, "code", "headings", CODE_SNAKE, &h->code) ||
            !unique_code(x, seq, i, "code") || !(tv = need(x, it, "table", "headings")) ||
            !ref_scalar(x, tv, "table") ||
            !RESOLVE(x, tv, config_table, "biểu", "tables", h->table) ||
            !text_field(x, it, "label", "headings", true, &h->label) ||
            !strs_field(x, it, "aliases", &h->aliases))
            return false;
        c->n_headings = i + 1;
    }
    return true;
}

/* units: the registry, with validity dates and the 2025 successors. */
static bool load_units(struct ctx *x, const struct ynode *seq)
{
    static const char *const keys[] = {"code", "name", "kind", "aliases", "valid_from",
                                       "valid_to", "successor", "superior", "offers", NULL};
    static const char *const kinds[] = {"agency", "district", "provider", NULL};
    struct config *c = x->cfg;
    if (!section_seq(x, seq, "units") || !(c->units = section_alloc(x, seq->n, sizeof *c->units)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_unit *u = &c->units[i];
        const struct ynode *kv;
        int kind = 0;
        u->index = i;
        if (!check_map(x, it, "units", keys) ||
            !code_field(x, it, "code", "units", CODE_SLUG, &u->code) ||
            !unique_code(x, seq, i, "code") || !text_field(x, it, "name", "units", true, &u->name) ||
            !(kv = need(x, it, "kind", "units")) || !enum_node(x, kv, "kind", kinds, &kind) ||
            !strs_field(x, it, "aliases", &u->aliases) ||
            !unique_names(x, seq, i, "name", "aliases", NULL, "đơn vị") ||
            !date_field(x, it, "valid_from", false, "units", &u->valid_from) ||
            !date_field(x, it, "valid_to", false, "units", &u->valid_to) ||
            !text_field(x, it, "superior", "units", false, &u->superior))
            return false;
        u->kind = (enum config_unit_kind)kind;
        if (u->valid_from.year && u->valid_to.year && config_date_cmp(u->valid_to, u->valid_from) < 0)
            return fail(x, map_get(it, "valid_to"), "\"valid_to\" trước \"valid_from\"");
    }
    c->n_units = seq->n;
    i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_unit *u = &c->units[i];
        const struct ynode *sv = map_get(it, "successor");
        if (!sv) continue;
        if (sv->kind != Y_SCALAR || is_null(sv))
            return fail(x, sv, "\"successor\" phải là mã của một đơn vị");
        if (!RESOLVE(x, sv, config_unit, "đơn vị", "units", u->successor)) return false;
        if (u->successor == u) return fail(x, sv, "đơn vị không thể kế thừa chính nó");
        if (!u->valid_to.year)
            return fail(x, sv, "đơn vị có \"successor\" phải có \"valid_to\" (ngày chấm dứt)");
        if (u->successor->kind != u->kind)
            return fail(x, sv, "đơn vị kế thừa \"%s\" phải cùng loại (%s)", u->successor->code,
                        config_unit_kind_name(u->kind));
        /* The successor takes over the day after: it must exist then. This
         * also rules out successor cycles (valid_to strictly increases). */
        struct config_date next = u->valid_to;
        if (++next.day > month_days(next.year, next.month)) {
            next.day = 1;
            if (++next.month > 12) { next.month = 1; next.year++; }
        }
        if (!config_unit_active_on(u->successor, next)) {
            char d[11];
            config_date_format(next, d);
            return fail(x, sv, "đơn vị kế thừa \"%s\" chưa tồn tại hoặc đã chấm dứt vào ngày %s",
                        u->successor->code, d);
        }
    }
    return true;
}

/* groups: row groups with parts (sums), subsets and reporting duties. */
static bool load_groups(struct ctx *x, const struct ynode *seq)
{
    static const char *const keys[] = {"code", "label", "aliases", "sub_aliases", "parts",
                                       "subset_of", "tables", "required_kinds",
                                       "required_units", NULL};
    static const char *const kinds[] = {"agency", "district", "provider", NULL};
    struct config *c = x->cfg;
    if (!section_seq(x, seq, "groups") || !(c->groups = section_alloc(x, seq->n, sizeof *c->groups)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_group *g = &c->groups[i];
        g->index = i;
        if (!check_map(x, it, "groups", keys) ||
            !code_field(x, it, "code", "groups", CODE_SNAKE, &g->code) ||
            !unique_code(x, seq, i, "code") || !text_field(x, it, "label", "groups", true, &g->label) ||
            !strs_field(x, it, "aliases", &g->aliases) ||
            !strs_field(x, it, "sub_aliases", &g->sub_aliases) ||
            !unique_names(x, seq, i, "label", "aliases", NULL, "nhóm"))
            return false;
    }
    c->n_groups = seq->n;
    i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_group *g = &c->groups[i];
        const struct ynode **nodes, *v;
        size_t n;
        if ((v = map_get(it, "parts"))) {
            if (!node_list(x, v, "parts", false, &nodes, &n)) return false;
            const struct config_group **parts = arena_calloc(&c->mem, n ? n : 1, sizeof *parts);
            if (!parts) return fail_at(x, 0, 0, "không đủ bộ nhớ");
            for (size_t k = 0; k < n; k++) {
                const struct config_group *pg;
                if (!RESOLVE(x, nodes[k], config_group, "nhóm", "groups", pg)) return false;
                struct config_group *w = &c->groups[pg->index];
                if (w == g) return fail(x, nodes[k], "nhóm \"%s\" không thể là thành phần của chính nó", g->code);
                if (w->part_of)
                    return fail(x, nodes[k], "nhóm \"%s\" đã là thành phần của \"%s\"", w->code,
                                w->part_of->code);
                w->part_of = g;
                parts[k] = pg;
            }
            g->parts = parts;
            g->n_parts = n;
        }
        if ((v = map_get(it, "subset_of"))) {
            if (v->kind != Y_SCALAR || is_null(v))
                return fail(x, v, "\"subset_of\" phải là mã của một nhóm");
            if (!RESOLVE(x, v, config_group, "nhóm", "groups", g->subset_of)) return false;
            if (g->subset_of == g) return fail(x, v, "nhóm \"%s\" không thể là tập con của chính nó", g->code);
        }
        if (!(v = need(x, it, "tables", "groups")) || !node_list(x, v, "tables", false, &nodes, &n))
            return false;
        if (n == 0) return fail(x, v, "nhóm \"%s\" phải có trong ít nhất một biểu", g->code);
        const struct config_table **tables = arena_calloc(&c->mem, n, sizeof *tables);
        if (!tables) return fail_at(x, 0, 0, "không đủ bộ nhớ");
        for (size_t k = 0; k < n; k++)
            if (!RESOLVE(x, nodes[k], config_table, "biểu", "tables", tables[k])) return false;
        g->tables = tables;
        g->n_tables = n;
        if ((v = map_get(it, "required_kinds"))) {
            if (!node_list(x, v, "required_kinds", false, &nodes, &n)) return false;
            for (size_t k = 0; k < n; k++) {
                int kind;
                if (!enum_node(x, nodes[k], "required_kinds", kinds, &kind)) return false;
                g->required_kind[kind] = true;
            }
        }
        if ((v = map_get(it, "required_units"))) {
            if (!node_list(x, v, "required_units", false, &nodes, &n)) return false;
            const struct config_unit **units = arena_calloc(&c->mem, n ? n : 1, sizeof *units);
            if (!units) return fail_at(x, 0, 0, "không đủ bộ nhớ");
            for (size_t k = 0; k < n; k++)
                if (!RESOLVE(x, nodes[k], config_unit, "đơn vị", "units", units[k])) return false;
            g->required_units = units;
            g->n_required_units = n;
        }
    }
    CHECK_CYCLE(x, seq, struct config_group, c->groups, c->n_groups, part_of, "code", "thành phần");
    CHECK_CYCLE(x, seq, struct config_group, c->groups, c->n_groups, subset_of, "subset_of", "tập con");
    return true;
}

/* metrics: the columns (or Biểu 03 rows) with their breakdowns. */
static bool load_metrics(struct ctx *x, const struct ynode *seq)
{
    static const char *const keys[] = {"code", "table", "heading", "label", "aliases", "value",
                                       "cumulative", "breakdowns", "subset_of", "applies_to",
                                       "parts", NULL};
    static const char *const values[] = {"count", "money", NULL};
    struct config *c = x->cfg;
    if (!section_seq(x, seq, "metrics") || !(c->metrics = section_alloc(x, seq->n, sizeof *c->metrics)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_metric *m = &c->metrics[i];
        const struct ynode *v, **nodes;
        size_t n;
        int value = 0;
        m->index = i;
        if (!check_map(x, it, "metrics", keys) ||
            !code_field(x, it, "code", "metrics", CODE_SNAKE, &m->code) ||
            !unique_code(x, seq, i, "code") || !(v = need(x, it, "table", "metrics")) ||
            !ref_scalar(x, v, "table") ||
            !RESOLVE(x, v, config_table, "biểu", "tables", m->table) ||
            !text_field(x, it, "label", "metrics", true, &m->label) ||
            !strs_field(x, it, "aliases", &m->aliases) ||
            !unique_names(x, seq, i, "label", "aliases", "table", "cột số liệu") ||
            !(v = need(x, it, "value", "metrics")) || !enum_node(x, v, "value", values, &value) ||
            !bool_field(x, it, "cumulative", &m->cumulative))
            return false;
        m->value = (enum config_value_kind)value;
        if ((v = map_get(it, "heading"))) {
            if (!ref_scalar(x, v, "heading") ||
                !RESOLVE(x, v, config_heading, "tiêu đề cột", "headings", m->heading))
                return false;
            if (m->heading->table != m->table)
                return fail(x, v, "tiêu đề cột \"%s\" thuộc %s, không thuộc %s", m->heading->code,
                            m->heading->table->code, m->table->code);
        }
        if (!(v = need(x, it, "breakdowns", "metrics")) ||
            !node_list(x, v, "breakdowns", false, &nodes, &n))
            return false;
        if (n == 0) return fail(x, v, "\"breakdowns\" phải có ít nhất một phân tổ");
        const struct config_breakdown **bs = arena_calloc(&c->mem, n, sizeof *bs);
        if (!bs) return fail_at(x, 0, 0, "không đủ bộ nhớ");
        for (size_t k = 0; k < n; k++)
            if (!RESOLVE(x, nodes[k], config_breakdown, "phân tổ", "breakdowns", bs[k])) return false;
        m->breakdowns = bs;
        m->n_breakdowns = n;
        if ((v = map_get(it, "applies_to"))) {
            if (!node_list(x, v, "applies_to", false, &nodes, &n)) return false;
            if (n == 0) return fail(x, v, "\"applies_to\" phải có ít nhất một nhóm");
            const struct config_group **gs = arena_calloc(&c->mem, n, sizeof *gs);
            if (!gs) return fail_at(x, 0, 0, "không đủ bộ nhớ");
            for (size_t k = 0; k < n; k++)
                if (!RESOLVE(x, nodes[k], config_group, "nhóm", "groups", gs[k])) return false;
            m->applies_to = gs;
            m->n_applies_to = n;
        }
        c->n_metrics = i + 1;
    }
    i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_metric *m = &c->metrics[i];
        const struct ynode *v = map_get(it, "parts"), **nodes;
        size_t n;
        if (v) {
            if (!node_list(x, v, "parts", false, &nodes, &n)) return false;
            const struct config_metric **ps = arena_calloc(&c->mem, n ? n : 1, sizeof *ps);
            if (!ps) return fail_at(x, 0, 0, "không đủ bộ nhớ");
            for (size_t k = 0; k < n; k++) {
                if (!RESOLVE(x, nodes[k], config_metric, "cột số liệu", "metrics", ps[k])) return false;
                if (ps[k] == m || ps[k]->table != m->table)
                    return fail(x, nodes[k], "\"%s\" không thể là thành phần của \"%s\" (phải là một cột "
                                "khác của cùng biểu)", ps[k]->code, m->code);
            }
            m->parts = ps;
            m->n_parts = n;
        }
        v = map_get(it, "subset_of");
        if (!v) continue;
        if (v->kind != Y_SCALAR || is_null(v))
            return fail(x, v, "\"subset_of\" phải là mã của một cột số liệu");
        if (!RESOLVE(x, v, config_metric, "cột số liệu", "metrics", m->subset_of)) return false;
        if (m->subset_of == m) return fail(x, v, "\"%s\" không thể là tập con của chính nó", m->code);
    }
    CHECK_CYCLE(x, seq, struct config_metric, c->metrics, c->n_metrics, subset_of, "subset_of", "tập con");
    return true;
}

/* A metric reference "metric" or "metric.breakdown" valid for group g. */
static bool metric_ref(struct ctx *x, const struct ynode *v, const struct config_group *g,
                       struct config_metric_ref *out)
{
    struct config *c = x->cfg;
    char code[128];
    const char *dot = strchr(v->str, '.');
    size_t len = dot ? (size_t)(dot - v->str) : strlen(v->str);
    if (len >= sizeof code) len = sizeof code - 1;
    memcpy(code, v->str, len);
    code[len] = '\0';
    out->metric = config_metric(c, code);
    if (!out->metric)
        return fail(x, v, "tham chiếu không tồn tại: cột số liệu \"%s\" không có trong \"metrics\"", code);
    out->breakdown = out->metric->breakdowns[0];
    if (dot) {
        out->breakdown = config_breakdown(c, dot + 1);
        if (!out->breakdown)
            return fail(x, v, "tham chiếu không tồn tại: phân tổ \"%s\" không có trong \"breakdowns\"",
                        dot + 1);
        if (!config_metric_allows(out->metric, out->breakdown))
            return fail(x, v, "cột số liệu \"%s\" không có phân tổ \"%s\"", code, dot + 1);
    }
    if (!config_group_in_table(g, out->metric->table))
        return fail(x, v, "cột số liệu \"%s\" thuộc %s nhưng nhóm \"%s\" không có trong biểu đó", code,
                    out->metric->table->code, g->code);
    return true;
}

/* indicators: T01–T13 of DESIGN §5.1, or any others the config declares. */
static bool load_indicators(struct ctx *x, const struct ynode *seq)
{
    static const char *const keys[] = {"id", "label", "group", "clause", "numerator",
                                       "denominator", "kind", "target", "first_year", "deadline",
                                       "window", "aspirational", "wording", NULL};
    static const char *const kinds[] = {"annual", "by_deadline", "rolling", NULL};
    struct config *c = x->cfg;
    const struct config_plan *p = &c->plan;
    /* A deadline may be the end of the HĐND term (T13: 2026), past the plan. */
    int last = p->term_last > p->last_year ? p->term_last : p->last_year;
    if (!section_seq(x, seq, "indicators") ||
        !(c->indicators = section_alloc(x, seq->n, sizeof *c->indicators)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_indicator *ind = &c->indicators[i];
        const struct ynode *v, **nodes;
        size_t n;
        int kind = 0;
        ind->index = i;
        if (!check_map(x, it, "indicators", keys) ||
            !code_field(x, it, "id", "indicators", CODE_ID, &ind->id) || !unique_code(x, seq, i, "id") ||
            !text_field(x, it, "label", "indicators", true, &ind->label) ||
            !text_field(x, it, "clause", "indicators", true, &ind->clause) ||
            !text_field(x, it, "wording", "indicators", true, &ind->wording) ||
            !(v = need(x, it, "group", "indicators")) || !ref_scalar(x, v, "group") ||
            !RESOLVE(x, v, config_group, "nhóm", "groups", ind->group) ||
            !(v = need(x, it, "kind", "indicators")) || !enum_node(x, v, "kind", kinds, &kind) ||
            !num_field(x, it, "target", "indicators", true, 0, 1, true, &ind->target) ||
            !bool_field(x, it, "aspirational", &ind->aspirational))
            return false;
        ind->kind = (enum config_indicator_kind)kind;

        if (!(v = need(x, it, "numerator", "indicators")) ||
            !node_list(x, v, "numerator", true, &nodes, &n))
            return false;
        if (n == 0) return fail(x, v, "\"numerator\" phải có ít nhất một cột số liệu");
        struct config_metric_ref *num = arena_calloc(&c->mem, n, sizeof *num);
        if (!num) return fail_at(x, 0, 0, "không đủ bộ nhớ");
        for (size_t k = 0; k < n; k++)
            if (!metric_ref(x, nodes[k], ind->group, &num[k])) return false;
        ind->numerator = num;
        ind->n_numerator = n;
        if (!(v = need(x, it, "denominator", "indicators"))) return false;
        if (v->kind != Y_SCALAR || is_null(v))
            return fail(x, v, "\"denominator\" phải là mã của một cột số liệu");
        if (!metric_ref(x, v, ind->group, &ind->denominator)) return false;

        ind->first_year = p->first_year;
        if (!int_field(x, it, "first_year", "indicators", false, YEAR_MIN, YEAR_MAX, &ind->first_year))
            return false;
        if (ind->first_year < p->first_year || ind->first_year > p->last_year)
            return fail(x, map_get(it, "first_year"), "năm %d nằm ngoài kế hoạch (%d–%d)",
                        ind->first_year, p->first_year, p->last_year);
        const struct ynode *dv = map_get(it, "deadline"), *wv = map_get(it, "window");
        if (ind->kind == CONFIG_BY_DEADLINE) {
            if (!dv) return fail(x, map_key(it, "kind"), "chỉ tiêu by_deadline phải có \"deadline\"");
            if (!as_int(x, dv, "deadline", YEAR_MIN, YEAR_MAX, &ind->deadline)) return false;
            if (ind->deadline < ind->first_year || ind->deadline > last)
                return fail(x, dv, "năm %d nằm ngoài kế hoạch (%d–%d)", ind->deadline,
                            ind->first_year, last);
        } else if (dv) {
            return fail(x, map_key(it, "deadline"), "\"deadline\" chỉ dùng với kind: by_deadline");
        }
        if (ind->kind == CONFIG_ROLLING) {
            if (!wv) return fail(x, map_key(it, "kind"), "chỉ tiêu rolling phải có \"window\" (số năm)");
            if (!as_int(x, wv, "window", 1, 10, &ind->window)) return false;
        } else if (wv) {
            return fail(x, map_key(it, "window"), "\"window\" chỉ dùng với kind: rolling");
        }
        c->n_indicators = i + 1;
    }
    return true;
}

/* The whole document. */
/* ---- annual plans (DESIGN §10) -------------------------------------------- */

static const char *const plan_col_keys[CONFIG_PCOL_N + 1] = {
    "stt", "content", "group", "count", "female", "ethnic", "time", "place", "provider", "cost",
    "source", "note", NULL};
static const char *const place_keys[CONFIG_PLACE_N + 1] = {"in_province", "out_province", "abroad",
                                                            NULL};

/* units: offers — the Biểu 02 metrics a provider teaches (after metrics). */
static bool load_offers(struct ctx *x, const struct ynode *seq)
{
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        const struct ynode *v = map_get(it, "offers");
        if (!v) continue;
        const struct ynode **nodes;
        size_t n;
        if (!node_list(x, v, "offers", false, &nodes, &n)) return false;
        const struct config_metric **m = arena_calloc(&x->cfg->mem, n ? n : 1, sizeof *m);
        if (!m) return fail_at(x, 0, 0, "không đủ bộ nhớ");
        for (size_t k = 0; k < n; k++)
            if (!RESOLVE(x, nodes[k], config_metric, "cột số liệu", "metrics", m[k])) return false;
        x->cfg->units[i].offers = m;
        x->cfg->units[i].n_offers = n;
    }
    return true;
}

/* plan_form: columns — each column's header aliases. */
static bool load_plan_columns(struct ctx *x, const struct ynode *v, struct config_plan_form *pf)
{
    if (!v) return true;
    if (!check_map(x, v, "plan_form.columns", plan_col_keys)) return false;
    for (int k = 0; k < CONFIG_PCOL_N; k++)
        if (!strs_field(x, v, plan_col_keys[k], &pf->columns[k])) return false;
    return true;
}

/* plan_form: places — code → {label, aliases}. */
static bool load_plan_places(struct ctx *x, const struct ynode *v, struct config_plan_form *pf)
{
    static const char *const keys[] = {"label", "aliases", NULL};
    if (!v) return true;
    if (!check_map(x, v, "plan_form.places", place_keys)) return false;
    for (int k = 0; k < CONFIG_PLACE_N; k++) {
        const struct ynode *p = map_get(v, place_keys[k]);
        if (!p) continue;
        if (!check_map(x, p, place_keys[k], keys) ||
            !text_field(x, p, "label", place_keys[k], true, &pf->place_label[k]) ||
            !strs_field(x, p, "aliases", &pf->places[k]))
            return false;
    }
    return true;
}

/* plan_form: groups — group code → plan-only aliases. */
static bool load_plan_groups(struct ctx *x, const struct ynode *v, struct config_plan_form *pf)
{
    if (!v) return true;
    if (v->kind != Y_MAP) return fail(x, v, "\"plan_form.groups\" phải là một ánh xạ (mã nhóm: danh sách)");
    size_t n = 0;
    for (const struct ynode *k = v->first; k; k = k->next->next) n++;
    pf->groups = arena_calloc(&x->cfg->mem, n ? n : 1, sizeof *pf->groups);
    if (!pf->groups) return fail_at(x, 0, 0, "không đủ bộ nhớ");
    for (const struct ynode *k = v->first; k; k = k->next->next) {
        struct config_plan_group *g = &pf->groups[pf->n_groups];
        if (!RESOLVE(x, k, config_group, "nhóm", "groups", g->group)) return false;
        const struct ynode **nodes;
        size_t nn;
        if (!node_list(x, k->next, k->str, false, &nodes, &nn)) return false;
        const char **items = arena_calloc(&x->cfg->mem, nn ? nn : 1, sizeof *items);
        if (!items) return fail_at(x, 0, 0, "không đủ bộ nhớ");
        for (size_t i = 0; i < nn; i++) items[i] = nodes[i]->str;
        g->aliases = (struct config_strs){items, nn};
        pf->n_groups++;
    }
    return true;
}

/* plan_form: the words that recognize and read a unit's annual plan. */
static bool load_plan_form(struct ctx *x, const struct ynode *v)
{
    static const char *const keys[] = {"title", "columns", "class_words", "joiners", "quarter_words",
                                       "month_words", "places", "groups", NULL};
    struct config_plan_form *pf = &x->cfg->plan_form;
    if (!v) return true;
    return check_map(x, v, "plan_form", keys) && strs_field(x, v, "title", &pf->title) &&
           load_plan_columns(x, map_get(v, "columns"), pf) &&
           strs_field(x, v, "class_words", &pf->class_words) &&
           strs_field(x, v, "joiners", &pf->joiners) &&
           strs_field(x, v, "quarter_words", &pf->quarter_words) &&
           strs_field(x, v, "month_words", &pf->month_words) &&
           load_plan_places(x, map_get(v, "places"), pf) &&
           load_plan_groups(x, map_get(v, "groups"), pf);
}

static bool load_root(struct ctx *x, const struct ynode *root)
{
    static const char *const keys[] = {"plan", "checks", "limits", "form", "status_words",
                                       "severity_words", "source_words", "kind_words",
                                       "tables", "breakdowns", "headings", "groups", "metrics",
                                       "indicators", "units", "rules", "plan_form", NULL};
    const struct ynode *v;
    /* Defaults for the tolerances (documented in default.yaml). */
    x->cfg->checks = (struct config_checks){0.30, 0.10, 0, 0.5, 0.80};
    if (!check_map(x, root, "cấu hình", keys)) return false;
    return (v = need(x, root, "plan", "cấu hình")) && load_plan(x, v) &&
           load_checks(x, map_get(root, "checks")) &&
           load_limits(x, map_get(root, "limits")) && load_form(x, map_get(root, "form")) &&
           load_status_words(x, map_get(root, "status_words")) && load_word_sets(x, root) &&
           (v = need(x, root, "tables", "cấu hình")) && load_tables(x, v) &&
           (v = need(x, root, "breakdowns", "cấu hình")) && load_breakdowns(x, v) &&
           load_headings(x, map_get(root, "headings")) &&
           (v = need(x, root, "units", "cấu hình")) && load_units(x, v) &&
           (v = need(x, root, "groups", "cấu hình")) && load_groups(x, v) &&
           (v = need(x, root, "metrics", "cấu hình")) && load_metrics(x, v) &&
           (v = need(x, root, "indicators", "cấu hình")) && load_indicators(x, v) &&
           load_offers(x, map_get(root, "units")) && load_plan_form(x, map_get(root, "plan_form")) &&
           load_rules(x, map_get(root, "rules"));
}

/* ======================================================================== */
/* Public: loading                                                          */
/* ======================================================================== */

struct config *config_load_buffer(const char *data, size_t len, const char *name,
                                  struct config_error *err)
{
    struct config_error scratch;
    if (!err) err = &scratch;
    memset(err, 0, sizeof *err);
    if (!name) name = "<cấu hình>";
    int k = snprintf(err->file, sizeof err->file, "%s", name);
    (void)k;
    struct config *cfg = calloc(1, sizeof *cfg);
    if (!cfg) {
        set_error(err, DTBD_ERR_NOMEM, name, "không đủ bộ nhớ");
        return NULL;
    }
    arena_init(&cfg->mem);
    struct ctx x = {cfg, err, false};
    char *text = arena_strndup(&cfg->mem, data, len);
    cfg->source = arena_strdup(&cfg->mem, name);
    if (!text || !cfg->source) {
        fail_at(&x, 0, 0, "không đủ bộ nhớ");
    } else {
        cfg->text = text;
        cfg->text_len = len;
        const struct ynode *root = parse_tree(&x, data, len);
        if (root) load_root(&x, root);
    }
    if (x.failed) {
        config_free(cfg);
        return NULL;
    }
    return cfg;
}

struct config *config_load_file(const char *path, struct config_error *err)
{
    struct config_error scratch;
    if (!err) err = &scratch;
    FILE *f = fopen(path, "rb");
    if (!f) {
        char msg[256];
        const char *why = syserr_text(errno, SYSERR_READ);
        int k = snprintf(msg, sizeof msg, "không mở được tệp cấu hình: %s", why);
        (void)k;
        set_error(err, DTBD_ERR_IO, path, msg);
        return NULL;
    }
    buf b = BUF_INIT;
    char chunk[8192];
    size_t got;
    bool too_big = false;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        buf_append(&b, chunk, got);
        if (b.len > MAX_FILE) { too_big = true; break; }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    struct config *cfg = NULL;
    if (bad) set_error(err, DTBD_ERR_IO, path, "lỗi khi đọc tệp cấu hình");
    else if (too_big) set_error(err, DTBD_ERR_LIMIT, path, "tệp cấu hình quá lớn (tối đa 16 MiB)");
    else if (b.oom) set_error(err, DTBD_ERR_NOMEM, path, "không đủ bộ nhớ");
    else cfg = config_load_buffer(buf_str(&b), b.len, path, err);
    buf_free(&b);
    return cfg;
}

const char *config_default_text(size_t *len)
{
    if (len) *len = config_default_yaml_len;
    return (const char *)config_default_yaml;
}

struct config *config_load_default(struct config_error *err)
{
    size_t len;
    const char *text = config_default_text(&len);
    return config_load_buffer(text, len, "default.yaml", err);
}

void config_free(struct config *cfg)
{
    if (!cfg) return;
    arena_free(&cfg->mem);
    free(cfg);
}

/* ======================================================================== */
/* Public: lookups                                                          */
/* ======================================================================== */

/* Linear search by code: sections hold dozens of entries, not thousands. */
#define FIND(arr, n, field, key)                                              \
    do {                                                                      \
        if (!cfg || !(key)) return NULL;                                      \
        for (size_t i = 0; i < (n); i++)                                      \
            if ((arr)[i].field && strcmp((arr)[i].field, (key)) == 0) return &(arr)[i]; \
        return NULL;                                                          \
    } while (0)

const struct config_table *config_table(const struct config *cfg, const char *code)
{ FIND(cfg->tables, cfg->n_tables, code, code); }

const struct config_breakdown *config_breakdown(const struct config *cfg, const char *code)
{ FIND(cfg->breakdowns, cfg->n_breakdowns, code, code); }

const struct config_heading *config_heading(const struct config *cfg, const char *code)
{ FIND(cfg->headings, cfg->n_headings, code, code); }

const struct config_group *config_group(const struct config *cfg, const char *code)
{ FIND(cfg->groups, cfg->n_groups, code, code); }

const struct config_metric *config_metric(const struct config *cfg, const char *code)
{ FIND(cfg->metrics, cfg->n_metrics, code, code); }

const struct config_indicator *config_indicator(const struct config *cfg, const char *id)
{ FIND(cfg->indicators, cfg->n_indicators, id, id); }

const struct config_rule *config_rule(const struct config *cfg, const char *code)
{ FIND(cfg->rules, cfg->n_rules, code, code); }

const char *config_rule_label(const struct config *cfg, const char *code)
{
    const struct config_rule *r = config_rule(cfg, code);
    return r ? r->label : NULL;
}

const struct config_unit *config_unit(const struct config *cfg, const char *code)
{ FIND(cfg->units, cfg->n_units, code, code); }

/* ======================================================================== */
/* Public: questions                                                        */
/* ======================================================================== */

bool config_metric_allows(const struct config_metric *m, const struct config_breakdown *b)
{
    for (size_t i = 0; i < m->n_breakdowns; i++)
        if (m->breakdowns[i] == b) return true;
    return false;
}

bool config_group_in_table(const struct config_group *g, const struct config_table *t)
{
    for (size_t i = 0; i < g->n_tables; i++)
        if (g->tables[i] == t) return true;
    return false;
}

bool config_metric_applies(const struct config_metric *m, const struct config_group *g)
{
    if (!m->n_applies_to) return true;
    for (size_t steps = 0; g && steps < 64; steps++) {
        for (size_t i = 0; i < m->n_applies_to; i++)
            if (m->applies_to[i] == g) return true;
        g = g->part_of ? g->part_of : g->subset_of;
    }
    return false;
}

bool config_table_reported_by(const struct config_table *t, enum config_unit_kind k)
{
    return (int)k >= 0 && k < CONFIG_UNIT_KIND_COUNT && t->reported_by[k];
}

bool config_group_required_of(const struct config_group *g, const struct config_unit *u)
{
    if (g->required_kind[u->kind]) return true;
    for (size_t i = 0; i < g->n_required_units; i++)
        if (g->required_units[i] == u) return true;
    return false;
}

int config_date_cmp(struct config_date a, struct config_date b)
{
    long x = a.year * 10000L + a.month * 100L + a.day;
    long y = b.year * 10000L + b.month * 100L + b.day;
    return (x > y) - (x < y);
}

bool config_unit_active_on(const struct config_unit *u, struct config_date d)
{
    if (u->valid_from.year && config_date_cmp(d, u->valid_from) < 0) return false;
    if (u->valid_to.year && config_date_cmp(d, u->valid_to) > 0) return false;
    return true;
}

bool config_unit_active_in_year(const struct config_unit *u, int year)
{
    if (u->valid_from.year && year < u->valid_from.year) return false;
    if (u->valid_to.year && year > u->valid_to.year) return false;
    return true;
}

const struct config_unit *config_unit_final(const struct config_unit *u)
{
    /* Loading guarantees the chain is finite (valid_to strictly increases). */
    while (u && u->successor) u = u->successor;
    return u;
}

void config_date_format(struct config_date d, char out[11])
{
    if (!d.year) { out[0] = '\0'; return; }
    /* Digit by digit: always exactly 10 characters, whatever the fields hold. */
    unsigned y = (unsigned)d.year % 10000u, m = (unsigned)d.month % 100u,
             dd = (unsigned)d.day % 100u;
    const char s[11] = {(char)('0' + y / 1000u), (char)('0' + y / 100u % 10u),
                        (char)('0' + y / 10u % 10u), (char)('0' + y % 10u), '-',
                        (char)('0' + m / 10u), (char)('0' + m % 10u), '-',
                        (char)('0' + dd / 10u), (char)('0' + dd % 10u), '\0'};
    memcpy(out, s, sizeof s);
}

const char *config_status_word(const struct config *cfg, int status)
{
    if (status < 0 || status >= CONFIG_STATUS_COUNT) status = CONFIG_STATUS_NO_DATA;
    const char *w = cfg ? cfg->status_words[status] : NULL;
    return w ? w : status_default_words[status];
}

const char *config_word(const struct config *cfg, enum config_word_set set, int i)
{
    if ((int)set < 0 || set >= CONFIG_WORD_SETS) set = CONFIG_WORDS_SEVERITY;
    const struct word_set *ws = &word_sets[set];
    if (i < 0 || i >= ws->n) i = ws->n - 1;
    const char *w = cfg ? cfg->words[set][i] : NULL;
    return w ? w : ws->defaults[i];
}

const char *config_status_key(int status)
{
    if (status < 0 || status >= CONFIG_STATUS_COUNT) status = CONFIG_STATUS_NO_DATA;
    return status_keys[status];
}

const char *config_unit_kind_name(enum config_unit_kind k)
{
    switch (k) {
    case CONFIG_AGENCY: return "agency";
    case CONFIG_DISTRICT: return "district";
    case CONFIG_PROVIDER: return "provider";
    default: return "?";
    }
}

const char *config_value_kind_name(enum config_value_kind k)
{
    return k == CONFIG_VALUE_MONEY ? "money" : "count";
}

const char *config_indicator_kind_name(enum config_indicator_kind k)
{
    switch (k) {
    case CONFIG_ANNUAL: return "annual";
    case CONFIG_BY_DEADLINE: return "by_deadline";
    case CONFIG_ROLLING: return "rolling";
    default: return "?";
    }
}

const char *config_plan_column_key(enum config_plan_col c)
{
    return c < CONFIG_PCOL_N ? plan_col_keys[c] : "";
}

const char *config_place_key(enum config_place p)
{
    return p < CONFIG_PLACE_N ? place_keys[p] : "";
}

bool config_unit_has_group(const struct config_unit *u, const struct config_group *g)
{
    for (int depth = 0; g && depth < 8; depth++) {
        if (config_group_required_of(g, u)) return true;
        g = g->part_of ? g->part_of : g->subset_of;
    }
    return false;
}

bool config_unit_offers(const struct config_unit *u, const struct config_metric *m)
{
    for (size_t i = 0; u && i < u->n_offers; i++)
        if (u->offers[i] == m) return true;
    return false;
}

void config_metric_title(const struct config_metric *m, char *out, size_t n)
{
    if (m->heading) snprintf(out, n, "%s %s", m->heading->label, m->label);
    else snprintf(out, n, "%s", m->label);
}
