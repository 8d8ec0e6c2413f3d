/* config/config_yaml.c — the YAML tree, errors and schema helpers of the
 * configuration loader (see config_private.h). */
#include "config/config_private.h"

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

/* ======================================================================== */
/* The YAML tree                                                            */
/* ======================================================================== */




/* ======================================================================== */
/* Errors                                                                   */
/* ======================================================================== */

/* Record the first error at (line, col) and return false. */
__attribute__((format(printf, 4, 5)))
bool cy_fail_at(struct ctx *x, int line, int col, const char *fmt, ...)
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


/* Fill an error that has no position. */
void cy_set_error(struct config_error *err, dtbd_status st, const char *file, const char *msg)
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
            return cy_fail_at(x, line, col, "tệp không phải UTF-8 hợp lệ (byte 0x%02X); hãy lưu lại "
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
        cy_fail_at(x, 0, 0, "không đủ bộ nhớ để đọc cấu hình");
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
    cy_fail_at(x, line, col, "lỗi cú pháp YAML: %s", problem);
}

/* A new node at the event's start mark. */
static struct ynode *new_node(struct ctx *x, enum ykind kind, const yaml_event_t *ev)
{
    struct ynode *n = arena_calloc(&x->cfg->mem, 1, sizeof *n);
    if (!n) { cy_fail_at(x, 0, 0, "không đủ bộ nhớ để đọc cấu hình"); return NULL; }
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
    if (!ok || !n->str) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ để đọc cấu hình");
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    return true;
}

/* Parse the whole text into a tree; NULL (with the error set) on failure. */
struct ynode *cy_parse_tree(struct ctx *x, const char *data, size_t len)
{
    if (!check_utf8(x, data, len)) return NULL;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        cy_fail_at(x, 0, 0, "không đủ bộ nhớ để đọc cấu hình");
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
                cy_fail_at(x, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
                        "tệp cấu hình chỉ được chứa một tài liệu YAML");
            break;
        case YAML_ALIAS_EVENT:
            cy_fail_at(x, (int)ev.start_mark.line + 1, (int)ev.start_mark.column + 1,
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
        cy_fail_at(x, 1, 1, "tệp cấu hình rỗng");
        return NULL;
    }
    return root;
}

/* ======================================================================== */
/* Schema helpers: maps, keys, typed scalars                                */
/* ======================================================================== */

/* The value for key in a mapping, or NULL. */
const struct ynode *cy_map_get(const struct ynode *map, const char *key)
{
    if (!map || map->kind != Y_MAP) return NULL;
    for (const struct ynode *k = map->first; k; k = k->next->next)
        if (strcmp(k->str, key) == 0) return k->next;
    return NULL;
}

/* The key node for key in a mapping (for positions), or NULL. */
const struct ynode *cy_map_key(const struct ynode *map, const char *key)
{
    for (const struct ynode *k = map->first; k; k = k->next->next)
        if (strcmp(k->str, key) == 0) return k;
    return NULL;
}

/* A mapping whose keys are all in `keys` (NULL-terminated). A typo is an
 * error that suggests the closest key, so it can never pass silently. */
bool cy_check_map(struct ctx *x, const struct ynode *n, const char *what,
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
bool cy_is_null(const struct ynode *n)
{
    return n->kind == Y_SCALAR && n->plain &&
           (n->str[0] == '\0' || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
            strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0);
}

/* The value of a required key (error at the mapping when missing). */
const struct ynode *cy_need(struct ctx *x, const struct ynode *map, const char *key,
                                const char *what)
{
    const struct ynode *v = cy_map_get(map, key);
    if (!v) fail(x, map, "thiếu khóa \"%s\" trong \"%s\"", key, what);
    return v;
}

/* A non-empty text scalar. */
bool cy_as_text(struct ctx *x, const struct ynode *n, const char *key, const char **out)
{
    if (n->kind != Y_SCALAR) return fail(x, n, "\"%s\" phải là một chuỗi", key);
    if (cy_is_null(n) || n->str[0] == '\0') return fail(x, n, "\"%s\" không được để trống", key);
    *out = n->str;
    return true;
}

/* A text field; absent optional fields leave *out as NULL. */
bool cy_text_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                       bool required, const char **out)
{
    const struct ynode *v = required ? cy_need(x, map, key, what) : cy_map_get(map, key);
    if (!v) return !required;
    return cy_as_text(x, v, key, out);
}

/* A list of non-empty scalars, none repeated. A single scalar is accepted as
 * a list of one when `scalar_ok`. */
bool cy_node_list(struct ctx *x, const struct ynode *v, const char *key, bool scalar_ok,
                      const struct ynode ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (cy_is_null(v)) return true;
    if (v->kind == Y_SCALAR && scalar_ok) {
        const struct ynode **a = arena_alloc(&x->cfg->mem, sizeof *a);
        if (!a) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
        a[0] = v;
        *out = a;
        *n = 1;
        return true;
    }
    if (v->kind != Y_SEQ) return fail(x, v, "\"%s\" phải là một danh sách", key);
    const struct ynode **a = arena_calloc(&x->cfg->mem, v->n ? v->n : 1, sizeof *a);
    if (!a) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
    size_t i = 0;
    for (const struct ynode *it = v->first; it; it = it->next) {
        const char *s;
        if (it->kind != Y_SCALAR)
            return fail(x, it, "mỗi phần tử của \"%s\" phải là một chuỗi", key);
        if (!cy_as_text(x, it, key, &s)) return false;
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
bool cy_strs_field(struct ctx *x, const struct ynode *map, const char *key,
                       struct config_strs *out)
{
    out->items = NULL;
    out->n = 0;
    const struct ynode *v = cy_map_get(map, key);
    if (!v) return true;
    const struct ynode **nodes;
    size_t n;
    if (!cy_node_list(x, v, key, false, &nodes, &n)) return false;
    const char **items = arena_calloc(&x->cfg->mem, n ? n : 1, sizeof *items);
    if (!items) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
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
bool cy_num_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                      bool required, double lo, double hi, bool ratio, double *out)
{
    const struct ynode *v = required ? cy_need(x, map, key, what) : cy_map_get(map, key);
    if (!v) return !required;
    double d;
    if (v->kind != Y_SCALAR || cy_is_null(v) || !parse_decimal(v->str, &d) ||
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
bool cy_as_int(struct ctx *x, const struct ynode *v, const char *key, long lo, long hi,
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
bool cy_int_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                      bool required, long lo, long hi, int *out)
{
    const struct ynode *v = required ? cy_need(x, map, key, what) : cy_map_get(map, key);
    if (!v) return !required;
    return cy_as_int(x, v, key, lo, hi, out);
}

/* A boolean field (true/false); absent keeps *out. */
bool cy_bool_field(struct ctx *x, const struct ynode *map, const char *key, bool *out)
{
    const struct ynode *v = cy_map_get(map, key);
    if (!v) return true;
    if (v->kind == Y_SCALAR) {
        const char *s = v->str;
        if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) { *out = true; return true; }
        if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) { *out = false; return true; }
    }
    return fail(x, v, "\"%s\" phải là true hoặc false", key);
}

/* Days in a month of the proleptic Gregorian calendar. */
int cy_month_days(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

/* A date field, written YYYY-MM-DD; absent leaves *out unset. */
bool cy_date_field(struct ctx *x, const struct ynode *map, const char *key, bool required,
                       const char *what, struct config_date *out)
{
    const struct ynode *v = required ? cy_need(x, map, key, what) : cy_map_get(map, key);
    *out = (struct config_date){0, 0, 0};
    if (!v) return !required;
    const char *s = v->kind == Y_SCALAR ? v->str : "";
    bool ok = strlen(s) == 10 && s[4] == '-' && s[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        if (i != 4 && i != 7) ok = s[i] >= '0' && s[i] <= '9';
    if (ok) {
        int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
        ok = y >= YEAR_MIN && y <= YEAR_MAX && m >= 1 && m <= 12 && d >= 1 && d <= cy_month_days(y, m);
        if (ok) { *out = (struct config_date){y, m, d}; return true; }
    }
    return fail(x, v, "\"%s\" phải là một ngày hợp lệ dạng NĂM-THÁNG-NGÀY (ví dụ 2025-02-28)", key);
}

/* One of a fixed set of words (NULL-terminated `names`); *out = its index. */
bool cy_enum_node(struct ctx *x, const struct ynode *v, const char *key,
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

/* A code: a short ASCII identifier that outputs (CSV, charts) can carry.
 * Metric and group codes may not hold "." (records write metric.breakdown). */
bool cy_code_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                       enum code_style style, const char **out)
{
    if (!cy_text_field(x, map, key, what, true, out)) return false;
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
    return fail(x, cy_map_get(map, key), "mã \"%s\" không hợp lệ: chỉ được dùng %s", s, rule[style]);
}

/* The mapping items of a section: a non-empty sequence. */
bool cy_section_seq(struct ctx *x, const struct ynode *v, const char *what)
{
    if (v->kind != Y_SEQ) return fail(x, v, "\"%s\" phải là một danh sách (mỗi phần tử bắt đầu "
                                      "bằng \"- \")", what);
    if (v->n == 0) return fail(x, v, "\"%s\" không được để trống", what);
    return true;
}

/* The i-th child of a collection. */
const struct ynode *cy_nth(const struct ynode *seq, size_t i)
{
    const struct ynode *it = seq->first;
    while (it && i--) it = it->next;
    return it;
}

/* Item i's key (`code`/`id`) must differ from every earlier item's. */
bool cy_unique_code(struct ctx *x, const struct ynode *seq, size_t i, const char *key)
{
    const struct ynode *item = cy_nth(seq, i), *v = cy_map_get(item, key);
    for (size_t j = 0; j < i; j++) {
        const struct ynode *w = cy_map_get(cy_nth(seq, j), key);
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
    if (!n->key) cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
    return n->key;
}

bool cy_unique_names(struct ctx *x, const struct ynode *seq, size_t i, const char *label_key,
                         const char *aliases_key, const char *scope_key, const char *what)
{
    const struct ynode *item = cy_nth(seq, i);
    const struct ynode *scope = scope_key ? cy_map_get(item, scope_key) : NULL;
    const struct ynode *mine[2] = {cy_map_get(item, label_key), cy_map_get(item, aliases_key)};
    for (size_t j = 0; j < i; j++) {
        const struct ynode *other = cy_nth(seq, j);
        if (scope_key) {
            const struct ynode *s = cy_map_get(other, scope_key);
            if (!s || !scope || strcmp(s->str, scope->str) != 0) continue;
        }
        const struct ynode *theirs[2] = {cy_map_get(other, label_key), cy_map_get(other, aliases_key)};
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
                                        cy_map_get(other, "code")->str, t->line);
                        /* workbooks are matched on folded keys: two names that
                         * fold alike are the same name to recognition */
                        const char *km = match_key(x, m), *kt = match_key(x, t);
                        if (!km || !kt) return false;
                        if (km[0] && strcmp(km, kt) == 0)
                            return fail(x, m, "tên \"%s\" trùng với \"%s\" của %s \"%s\" (dòng %d) khi "
                                        "so khớp (không phân biệt dấu, hoa thường, dấu câu, viết tắt): "
                                        "không thể nhận biết đơn nghĩa", m->str, t->str, what,
                                        cy_map_get(other, "code")->str, t->line);
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
bool cy_ref_scalar(struct ctx *x, const struct ynode *v, const char *key)
{
    if (v->kind != Y_SCALAR || cy_is_null(v) || v->str[0] == '\0')
        return fail(x, v, "\"%s\" phải là một mã", key);
    return true;
}
