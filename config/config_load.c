/* config/config_load.c — the configuration's sections, loaded in dependency
 * order against a closed schema, and the words of the schema's keys (see
 * config_private.h). */
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
/* Sections                                                                 */
/* ======================================================================== */

/* plan: id, title, years, HĐND term, issue date. */
static bool load_plan(struct ctx *x, const struct ynode *v)
{
    static const char *const keys[] = {"id", "title", "issuer", "province", "basis", "issued",
                                       "years", "hdnd_term", NULL};
    static const char *const span_keys[] = {"from", "to", NULL};
    struct config_plan *p = &x->cfg->plan;
    if (!cy_check_map(x, v, "plan", keys) || !cy_text_field(x, v, "id", "plan", true, &p->id) ||
        !cy_text_field(x, v, "title", "plan", true, &p->title) ||
        !cy_text_field(x, v, "issuer", "plan", false, &p->issuer) ||
        !cy_text_field(x, v, "province", "plan", true, &p->province) ||
        !cy_text_field(x, v, "basis", "plan", false, &p->basis) ||
        !cy_date_field(x, v, "issued", true, "plan", &p->issued))
        return false;
    const struct ynode *years = cy_need(x, v, "years", "plan");
    if (!years || !cy_check_map(x, years, "years", span_keys) ||
        !cy_int_field(x, years, "from", "years", true, YEAR_MIN, YEAR_MAX, &p->first_year) ||
        !cy_int_field(x, years, "to", "years", true, YEAR_MIN, YEAR_MAX, &p->last_year))
        return false;
    if (p->last_year < p->first_year)
        return fail(x, cy_map_get(years, "to"), "năm kết thúc (%d) trước năm bắt đầu (%d)",
                    p->last_year, p->first_year);
    const struct ynode *term = cy_need(x, v, "hdnd_term", "plan");
    if (!term || !cy_check_map(x, term, "hdnd_term", span_keys) ||
        !cy_int_field(x, term, "from", "hdnd_term", true, YEAR_MIN, YEAR_MAX, &p->term_first) ||
        !cy_int_field(x, term, "to", "hdnd_term", true, YEAR_MIN, YEAR_MAX, &p->term_last))
        return false;
    if (p->term_last < p->term_first)
        return fail(x, cy_map_get(term, "to"), "năm kết thúc nhiệm kỳ (%d) trước năm bắt đầu (%d)",
                    p->term_last, p->term_first);
    if (p->issued.year > p->last_year)
        return fail(x, cy_map_get(v, "issued"), "ngày ban hành %d nằm ngoài kế hoạch (%d–%d)",
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
    return cy_check_map(x, v, "checks", keys) &&
           cy_num_field(x, v, "headcount_jump", "checks", false, 0, 100, true, &c->headcount_jump) &&
           cy_num_field(x, v, "provider_gap", "checks", false, 0, 1, true, &c->provider_gap) &&
           cy_num_field(x, v, "sum_count", "checks", false, 0, 1e9, false, &c->sum_count) &&
           cy_num_field(x, v, "sum_money", "checks", false, 0, 1e9, false, &c->sum_money) &&
           cy_num_field(x, v, "plan_done", "checks", false, 0, 1, true, &c->plan_done);
}

/* A count or a size: digits, optionally followed (after spaces) by a unit
 * for sizes — KB, MB, GB (the same as KiB, MiB, GiB: 1024-based, as Windows
 * shows file sizes). Within [lo, hi]. */
static bool cap_field(struct ctx *x, const struct ynode *map, const char *key, bool size,
                      uint64_t lo, uint64_t hi, uint64_t *out)
{
    const struct ynode *v = cy_map_get(map, key);
    if (!v) return true;
    const char *s = v->kind == Y_SCALAR && !cy_is_null(v) ? v->str : "";
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
    return cy_check_map(x, v, "limits", keys) &&
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
    return cy_check_map(x, v, "form", keys) && cy_strs_field(x, v, "total_row", &f->total_row) &&
           cy_strs_field(x, v, "unit_field", &f->unit_field) &&
           cy_strs_field(x, v, "receiver_field", &f->receiver_field) &&
           cy_strs_field(x, v, "year_field", &f->year_field) && cy_strs_field(x, v, "footer", &f->footer) &&
           cy_strs_field(x, v, "label_header", &f->label_header) && cy_strs_field(x, v, "filler", &f->filler) &&
           cy_strs_field(x, v, "subset_prefix", &f->subset_prefix);
}

/* rules: the Vietnamese name of each finding rule, code → label. Optional;
 * a code is snake_case (what issues.csv carries), a label non-empty text. */
static bool load_rules(struct ctx *x, const struct ynode *v)
{
    struct config *c = x->cfg;
    if (!v || cy_is_null(v)) return true;
    if (v->kind != Y_MAP)
        return fail(x, v, "\"rules\" phải là một ánh xạ \"mã quy tắc: tên tiếng Việt\"");
    size_t n = v->n / 2;
    c->rules = arena_calloc(&c->mem, n ? n : 1, sizeof *c->rules);
    if (!c->rules) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
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
        if (!cy_as_text(x, k->next, code, &r->label)) return false;
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
    if (!cy_check_map(x, v, "status_words", keys)) return false;
    for (int i = 0; i < CONFIG_STATUS_COUNT; i++) {
        if (!cy_text_field(x, v, status_keys[i], "status_words", true, &w[i])) return false;
        size_t cps = 0;
        for (const char *p = w[i]; *p; p++) cps += ((unsigned char)*p & 0xC0) != 0x80;
        const struct ynode *n = cy_map_get(v, status_keys[i]);
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
    const struct ynode *v = cy_map_get(root, ws->section);
    for (int i = 0; i < ws->n; i++) w[i] = ws->defaults[i];
    if (!v) return true;
    const char *keys[CONFIG_WORDS_MAX + 1] = {0};
    for (int i = 0; i < ws->n; i++) keys[i] = ws->keys[i];
    if (!cy_check_map(x, v, ws->section, keys)) return false;
    for (int i = 0; i < ws->n; i++) {
        if (!cy_text_field(x, v, ws->keys[i], ws->section, true, &w[i])) return false;
        size_t cps = 0;
        for (const char *p = w[i]; *p; p++) cps += ((unsigned char)*p & 0xC0) != 0x80;
        const struct ynode *n = cy_map_get(v, ws->keys[i]);
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
    if (!p) cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
    return p;
}

/* tables: Biểu 01/02/03. */
static bool load_tables(struct ctx *x, const struct ynode *seq)
{
    static const char *const keys[] = {"code", "title", "rows", "unit_of_measure", "aliases", "kinds", NULL};
    static const char *const rows[] = {"groups", "metrics", NULL};
    static const char *const kinds[] = {"agency", "district", "provider", NULL};
    struct config *c = x->cfg;
    if (!cy_section_seq(x, seq, "tables") ||
        !(c->tables = section_alloc(x, seq->n, sizeof *c->tables)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_table *t = &c->tables[i];
        int r = 0;
        t->index = i;
        if (!cy_check_map(x, it, "tables", keys) ||
            !cy_code_field(x, it, "code", "tables", CODE_SNAKE, &t->code) ||
            !cy_unique_code(x, seq, i, "code") || !cy_text_field(x, it, "title", "tables", true, &t->title) ||
            !cy_text_field(x, it, "unit_of_measure", "tables", false, &t->unit_of_measure) ||
            !cy_strs_field(x, it, "aliases", &t->aliases) || !cy_unique_names(x, seq, i, "title", "aliases", NULL, "biểu"))
            return false;
        const struct ynode *rv = cy_need(x, it, "rows", "tables");
        if (!rv || !cy_enum_node(x, rv, "rows", rows, &r)) return false;
        t->rows = (enum config_table_rows)r;
        const struct ynode *kv = cy_map_get(it, "kinds"), **nodes;
        size_t nk = 0;
        if (kv && !cy_node_list(x, kv, "kinds", false, &nodes, &nk)) return false;
        if (kv && nk == 0) return fail(x, kv, "\"kinds\" phải có ít nhất một loại đơn vị");
        for (size_t k = 0; k < nk; k++) {
            int kind;
            if (!cy_enum_node(x, nodes[k], "kinds", kinds, &kind)) return false;
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
                    const struct ynode *cn = cy_map_get(cy_nth((seq), ci), (keyname));             \
                    return fail((x), cn ? cn : cy_nth((seq), ci),                               \
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
    if (!cy_section_seq(x, seq, "breakdowns") ||
        !(c->breakdowns = section_alloc(x, seq->n, sizeof *c->breakdowns)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_breakdown *b = &c->breakdowns[i];
        b->index = i;
        if (!cy_check_map(x, it, "breakdowns", keys) ||
            !cy_code_field(x, it, "code", "breakdowns", CODE_SNAKE, &b->code) ||
            !cy_unique_code(x, seq, i, "code") ||
            !cy_text_field(x, it, "label", "breakdowns", true, &b->label) ||
            !cy_strs_field(x, it, "aliases", &b->aliases))
            return false;
    }
    c->n_breakdowns = seq->n;
    i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_breakdown *b = &c->breakdowns[i];
        const struct ynode **nodes;
        size_t n;
        const struct ynode *pv = cy_map_get(it, "parts"), *sv = cy_map_get(it, "subset_of");
        if (pv) {
            if (!cy_node_list(x, pv, "parts", false, &nodes, &n)) return false;
            const struct config_breakdown **parts = arena_calloc(&c->mem, n ? n : 1, sizeof *parts);
            if (!parts) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
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
            if (sv->kind != Y_SCALAR || cy_is_null(sv))
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
    if (!cy_section_seq(x, seq, "headings") ||
        !(c->headings = section_alloc(x, seq->n, sizeof *c->headings)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_heading *h = &c->headings[i];
        h->index = i;
        const struct ynode *tv;
        if (!cy_check_map(x, it, "headings", keys) ||
            !cy_code_field(x, it, "code", "headings", CODE_SNAKE, &h->code) ||
            !cy_unique_code(x, seq, i, "code") || !(tv = cy_need(x, it, "table", "headings")) ||
            !cy_ref_scalar(x, tv, "table") ||
            !RESOLVE(x, tv, config_table, "biểu", "tables", h->table) ||
            !cy_text_field(x, it, "label", "headings", true, &h->label) ||
            !cy_strs_field(x, it, "aliases", &h->aliases))
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
    if (!cy_section_seq(x, seq, "units") || !(c->units = section_alloc(x, seq->n, sizeof *c->units)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_unit *u = &c->units[i];
        const struct ynode *kv;
        int kind = 0;
        u->index = i;
        if (!cy_check_map(x, it, "units", keys) ||
            !cy_code_field(x, it, "code", "units", CODE_SLUG, &u->code) ||
            !cy_unique_code(x, seq, i, "code") || !cy_text_field(x, it, "name", "units", true, &u->name) ||
            !(kv = cy_need(x, it, "kind", "units")) || !cy_enum_node(x, kv, "kind", kinds, &kind) ||
            !cy_strs_field(x, it, "aliases", &u->aliases) ||
            !cy_unique_names(x, seq, i, "name", "aliases", NULL, "đơn vị") ||
            !cy_date_field(x, it, "valid_from", false, "units", &u->valid_from) ||
            !cy_date_field(x, it, "valid_to", false, "units", &u->valid_to) ||
            !cy_text_field(x, it, "superior", "units", false, &u->superior))
            return false;
        u->kind = (enum config_unit_kind)kind;
        if (u->valid_from.year && u->valid_to.year && config_date_cmp(u->valid_to, u->valid_from) < 0)
            return fail(x, cy_map_get(it, "valid_to"), "\"valid_to\" trước \"valid_from\"");
    }
    c->n_units = seq->n;
    i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_unit *u = &c->units[i];
        const struct ynode *sv = cy_map_get(it, "successor");
        if (!sv) continue;
        if (sv->kind != Y_SCALAR || cy_is_null(sv))
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
        if (++next.day > cy_month_days(next.year, next.month)) {
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
    if (!cy_section_seq(x, seq, "groups") || !(c->groups = section_alloc(x, seq->n, sizeof *c->groups)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_group *g = &c->groups[i];
        g->index = i;
        if (!cy_check_map(x, it, "groups", keys) ||
            !cy_code_field(x, it, "code", "groups", CODE_SNAKE, &g->code) ||
            !cy_unique_code(x, seq, i, "code") || !cy_text_field(x, it, "label", "groups", true, &g->label) ||
            !cy_strs_field(x, it, "aliases", &g->aliases) ||
            !cy_strs_field(x, it, "sub_aliases", &g->sub_aliases) ||
            !cy_unique_names(x, seq, i, "label", "aliases", NULL, "nhóm"))
            return false;
    }
    c->n_groups = seq->n;
    i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_group *g = &c->groups[i];
        const struct ynode **nodes, *v;
        size_t n;
        if ((v = cy_map_get(it, "parts"))) {
            if (!cy_node_list(x, v, "parts", false, &nodes, &n)) return false;
            const struct config_group **parts = arena_calloc(&c->mem, n ? n : 1, sizeof *parts);
            if (!parts) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
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
        if ((v = cy_map_get(it, "subset_of"))) {
            if (v->kind != Y_SCALAR || cy_is_null(v))
                return fail(x, v, "\"subset_of\" phải là mã của một nhóm");
            if (!RESOLVE(x, v, config_group, "nhóm", "groups", g->subset_of)) return false;
            if (g->subset_of == g) return fail(x, v, "nhóm \"%s\" không thể là tập con của chính nó", g->code);
        }
        if (!(v = cy_need(x, it, "tables", "groups")) || !cy_node_list(x, v, "tables", false, &nodes, &n))
            return false;
        if (n == 0) return fail(x, v, "nhóm \"%s\" phải có trong ít nhất một biểu", g->code);
        const struct config_table **tables = arena_calloc(&c->mem, n, sizeof *tables);
        if (!tables) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
        for (size_t k = 0; k < n; k++)
            if (!RESOLVE(x, nodes[k], config_table, "biểu", "tables", tables[k])) return false;
        g->tables = tables;
        g->n_tables = n;
        if ((v = cy_map_get(it, "required_kinds"))) {
            if (!cy_node_list(x, v, "required_kinds", false, &nodes, &n)) return false;
            for (size_t k = 0; k < n; k++) {
                int kind;
                if (!cy_enum_node(x, nodes[k], "required_kinds", kinds, &kind)) return false;
                g->required_kind[kind] = true;
            }
        }
        if ((v = cy_map_get(it, "required_units"))) {
            if (!cy_node_list(x, v, "required_units", false, &nodes, &n)) return false;
            const struct config_unit **units = arena_calloc(&c->mem, n ? n : 1, sizeof *units);
            if (!units) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
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
    if (!cy_section_seq(x, seq, "metrics") || !(c->metrics = section_alloc(x, seq->n, sizeof *c->metrics)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_metric *m = &c->metrics[i];
        const struct ynode *v, **nodes;
        size_t n;
        int value = 0;
        m->index = i;
        if (!cy_check_map(x, it, "metrics", keys) ||
            !cy_code_field(x, it, "code", "metrics", CODE_SNAKE, &m->code) ||
            !cy_unique_code(x, seq, i, "code") || !(v = cy_need(x, it, "table", "metrics")) ||
            !cy_ref_scalar(x, v, "table") ||
            !RESOLVE(x, v, config_table, "biểu", "tables", m->table) ||
            !cy_text_field(x, it, "label", "metrics", true, &m->label) ||
            !cy_strs_field(x, it, "aliases", &m->aliases) ||
            !cy_unique_names(x, seq, i, "label", "aliases", "table", "cột số liệu") ||
            !(v = cy_need(x, it, "value", "metrics")) || !cy_enum_node(x, v, "value", values, &value) ||
            !cy_bool_field(x, it, "cumulative", &m->cumulative))
            return false;
        m->value = (enum config_value_kind)value;
        if ((v = cy_map_get(it, "heading"))) {
            if (!cy_ref_scalar(x, v, "heading") ||
                !RESOLVE(x, v, config_heading, "tiêu đề cột", "headings", m->heading))
                return false;
            if (m->heading->table != m->table)
                return fail(x, v, "tiêu đề cột \"%s\" thuộc %s, không thuộc %s", m->heading->code,
                            m->heading->table->code, m->table->code);
        }
        if (!(v = cy_need(x, it, "breakdowns", "metrics")) ||
            !cy_node_list(x, v, "breakdowns", false, &nodes, &n))
            return false;
        if (n == 0) return fail(x, v, "\"breakdowns\" phải có ít nhất một phân tổ");
        const struct config_breakdown **bs = arena_calloc(&c->mem, n, sizeof *bs);
        if (!bs) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
        for (size_t k = 0; k < n; k++)
            if (!RESOLVE(x, nodes[k], config_breakdown, "phân tổ", "breakdowns", bs[k])) return false;
        m->breakdowns = bs;
        m->n_breakdowns = n;
        if ((v = cy_map_get(it, "applies_to"))) {
            if (!cy_node_list(x, v, "applies_to", false, &nodes, &n)) return false;
            if (n == 0) return fail(x, v, "\"applies_to\" phải có ít nhất một nhóm");
            const struct config_group **gs = arena_calloc(&c->mem, n, sizeof *gs);
            if (!gs) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
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
        const struct ynode *v = cy_map_get(it, "parts"), **nodes;
        size_t n;
        if (v) {
            if (!cy_node_list(x, v, "parts", false, &nodes, &n)) return false;
            const struct config_metric **ps = arena_calloc(&c->mem, n ? n : 1, sizeof *ps);
            if (!ps) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
            for (size_t k = 0; k < n; k++) {
                if (!RESOLVE(x, nodes[k], config_metric, "cột số liệu", "metrics", ps[k])) return false;
                if (ps[k] == m || ps[k]->table != m->table)
                    return fail(x, nodes[k], "\"%s\" không thể là thành phần của \"%s\" (phải là một cột "
                                "khác của cùng biểu)", ps[k]->code, m->code);
            }
            m->parts = ps;
            m->n_parts = n;
        }
        v = cy_map_get(it, "subset_of");
        if (!v) continue;
        if (v->kind != Y_SCALAR || cy_is_null(v))
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
    if (!cy_section_seq(x, seq, "indicators") ||
        !(c->indicators = section_alloc(x, seq->n, sizeof *c->indicators)))
        return false;
    size_t i = 0;
    for (const struct ynode *it = seq->first; it; it = it->next, i++) {
        struct config_indicator *ind = &c->indicators[i];
        const struct ynode *v, **nodes;
        size_t n;
        int kind = 0;
        ind->index = i;
        if (!cy_check_map(x, it, "indicators", keys) ||
            !cy_code_field(x, it, "id", "indicators", CODE_ID, &ind->id) || !cy_unique_code(x, seq, i, "id") ||
            !cy_text_field(x, it, "label", "indicators", true, &ind->label) ||
            !cy_text_field(x, it, "clause", "indicators", true, &ind->clause) ||
            !cy_text_field(x, it, "wording", "indicators", true, &ind->wording) ||
            !(v = cy_need(x, it, "group", "indicators")) || !cy_ref_scalar(x, v, "group") ||
            !RESOLVE(x, v, config_group, "nhóm", "groups", ind->group) ||
            !(v = cy_need(x, it, "kind", "indicators")) || !cy_enum_node(x, v, "kind", kinds, &kind) ||
            !cy_num_field(x, it, "target", "indicators", true, 0, 1, true, &ind->target) ||
            !cy_bool_field(x, it, "aspirational", &ind->aspirational))
            return false;
        ind->kind = (enum config_indicator_kind)kind;

        if (!(v = cy_need(x, it, "numerator", "indicators")) ||
            !cy_node_list(x, v, "numerator", true, &nodes, &n))
            return false;
        if (n == 0) return fail(x, v, "\"numerator\" phải có ít nhất một cột số liệu");
        struct config_metric_ref *num = arena_calloc(&c->mem, n, sizeof *num);
        if (!num) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
        for (size_t k = 0; k < n; k++)
            if (!metric_ref(x, nodes[k], ind->group, &num[k])) return false;
        ind->numerator = num;
        ind->n_numerator = n;
        if (!(v = cy_need(x, it, "denominator", "indicators"))) return false;
        if (v->kind != Y_SCALAR || cy_is_null(v))
            return fail(x, v, "\"denominator\" phải là mã của một cột số liệu");
        if (!metric_ref(x, v, ind->group, &ind->denominator)) return false;

        ind->first_year = p->first_year;
        if (!cy_int_field(x, it, "first_year", "indicators", false, YEAR_MIN, YEAR_MAX, &ind->first_year))
            return false;
        if (ind->first_year < p->first_year || ind->first_year > p->last_year)
            return fail(x, cy_map_get(it, "first_year"), "năm %d nằm ngoài kế hoạch (%d–%d)",
                        ind->first_year, p->first_year, p->last_year);
        const struct ynode *dv = cy_map_get(it, "deadline"), *wv = cy_map_get(it, "window");
        if (ind->kind == CONFIG_BY_DEADLINE) {
            if (!dv) return fail(x, cy_map_key(it, "kind"), "chỉ tiêu by_deadline phải có \"deadline\"");
            if (!cy_as_int(x, dv, "deadline", YEAR_MIN, YEAR_MAX, &ind->deadline)) return false;
            if (ind->deadline < ind->first_year || ind->deadline > last)
                return fail(x, dv, "năm %d nằm ngoài kế hoạch (%d–%d)", ind->deadline,
                            ind->first_year, last);
        } else if (dv) {
            return fail(x, cy_map_key(it, "deadline"), "\"deadline\" chỉ dùng với kind: by_deadline");
        }
        if (ind->kind == CONFIG_ROLLING) {
            if (!wv) return fail(x, cy_map_key(it, "kind"), "chỉ tiêu rolling phải có \"window\" (số năm)");
            if (!cy_as_int(x, wv, "window", 1, 10, &ind->window)) return false;
        } else if (wv) {
            return fail(x, cy_map_key(it, "window"), "\"window\" chỉ dùng với kind: rolling");
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
        const struct ynode *v = cy_map_get(it, "offers");
        if (!v) continue;
        const struct ynode **nodes;
        size_t n;
        if (!cy_node_list(x, v, "offers", false, &nodes, &n)) return false;
        const struct config_metric **m = arena_calloc(&x->cfg->mem, n ? n : 1, sizeof *m);
        if (!m) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
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
    if (!cy_check_map(x, v, "plan_form.columns", plan_col_keys)) return false;
    for (int k = 0; k < CONFIG_PCOL_N; k++)
        if (!cy_strs_field(x, v, plan_col_keys[k], &pf->columns[k])) return false;
    return true;
}

/* plan_form: places — code → {label, aliases}. */
static bool load_plan_places(struct ctx *x, const struct ynode *v, struct config_plan_form *pf)
{
    static const char *const keys[] = {"label", "aliases", NULL};
    if (!v) return true;
    if (!cy_check_map(x, v, "plan_form.places", place_keys)) return false;
    for (int k = 0; k < CONFIG_PLACE_N; k++) {
        const struct ynode *p = cy_map_get(v, place_keys[k]);
        if (!p) continue;
        if (!cy_check_map(x, p, place_keys[k], keys) ||
            !cy_text_field(x, p, "label", place_keys[k], true, &pf->place_label[k]) ||
            !cy_strs_field(x, p, "aliases", &pf->places[k]))
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
    if (!pf->groups) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
    for (const struct ynode *k = v->first; k; k = k->next->next) {
        struct config_plan_group *g = &pf->groups[pf->n_groups];
        if (!RESOLVE(x, k, config_group, "nhóm", "groups", g->group)) return false;
        const struct ynode **nodes;
        size_t nn;
        if (!cy_node_list(x, k->next, k->str, false, &nodes, &nn)) return false;
        const char **items = arena_calloc(&x->cfg->mem, nn ? nn : 1, sizeof *items);
        if (!items) return cy_fail_at(x, 0, 0, "không đủ bộ nhớ");
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
    return cy_check_map(x, v, "plan_form", keys) && cy_strs_field(x, v, "title", &pf->title) &&
           load_plan_columns(x, cy_map_get(v, "columns"), pf) &&
           cy_strs_field(x, v, "class_words", &pf->class_words) &&
           cy_strs_field(x, v, "joiners", &pf->joiners) &&
           cy_strs_field(x, v, "quarter_words", &pf->quarter_words) &&
           cy_strs_field(x, v, "month_words", &pf->month_words) &&
           load_plan_places(x, cy_map_get(v, "places"), pf) &&
           load_plan_groups(x, cy_map_get(v, "groups"), pf);
}

bool cl_load_root(struct ctx *x, const struct ynode *root)
{
    static const char *const keys[] = {"plan", "checks", "limits", "form", "status_words",
                                       "severity_words", "source_words", "kind_words",
                                       "tables", "breakdowns", "headings", "groups", "metrics",
                                       "indicators", "units", "rules", "plan_form", NULL};
    const struct ynode *v;
    /* Defaults for the tolerances (documented in default.yaml). */
    x->cfg->checks = (struct config_checks){0.30, 0.10, 0, 0.5, 0.80};
    if (!cy_check_map(x, root, "cấu hình", keys)) return false;
    return (v = cy_need(x, root, "plan", "cấu hình")) && load_plan(x, v) &&
           load_checks(x, cy_map_get(root, "checks")) &&
           load_limits(x, cy_map_get(root, "limits")) && load_form(x, cy_map_get(root, "form")) &&
           load_status_words(x, cy_map_get(root, "status_words")) && load_word_sets(x, root) &&
           (v = cy_need(x, root, "tables", "cấu hình")) && load_tables(x, v) &&
           (v = cy_need(x, root, "breakdowns", "cấu hình")) && load_breakdowns(x, v) &&
           load_headings(x, cy_map_get(root, "headings")) &&
           (v = cy_need(x, root, "units", "cấu hình")) && load_units(x, v) &&
           (v = cy_need(x, root, "groups", "cấu hình")) && load_groups(x, v) &&
           (v = cy_need(x, root, "metrics", "cấu hình")) && load_metrics(x, v) &&
           (v = cy_need(x, root, "indicators", "cấu hình")) && load_indicators(x, v) &&
           load_offers(x, cy_map_get(root, "units")) && load_plan_form(x, cy_map_get(root, "plan_form")) &&
           load_rules(x, cy_map_get(root, "rules"));
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

const char *config_plan_column_key(enum config_plan_col c)
{
    return c < CONFIG_PCOL_N ? plan_col_keys[c] : "";
}

const char *config_place_key(enum config_place p)
{
    return p < CONFIG_PLACE_N ? place_keys[p] : "";
}
