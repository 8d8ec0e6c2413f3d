/*
 * config/config_private.h — what the files of the configuration loader share
 * (not a public interface: config/config.h is):
 *   config_yaml.c  the YAML tree from libyaml events, the errors, and the
 *                  schema helpers (maps, keys, typed scalars, references)
 *                  — prefix cy_;
 *   config_load.c  the sections, loaded in dependency order, and the words
 *                  of the schema's keys — prefix cl_;
 *   config.c       the public functions: loading, lookups, questions.
 *
 * Ownership: every node and string of a load lives in the configuration's
 * arena (cfg->mem); struct ctx is the caller's.
 */
#ifndef DTBD_CONFIG_CONFIG_PRIVATE_H
#define DTBD_CONFIG_CONFIG_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "config/config.h"

enum {
    MAX_DEPTH = 64,                       /* nesting of YAML collections         */
    MAX_FILE = 16 * 1024 * 1024,          /* a config is a few dozen kilobytes   */
    YEAR_MIN = 1900, YEAR_MAX = 2200,     /* sanity bounds before plan bounds    */
};

enum ykind { Y_SCALAR, Y_SEQ, Y_MAP };

/* One YAML node. A mapping's children alternate key, value. */
struct ynode {
    enum ykind kind;
    int line, col;                 /* 1-based                                  */
    const char *str;               /* scalar: NFC text, in the config's arena  */
    bool plain;                    /* scalar: unquoted (for null detection)    */
    const char *key;               /* scalar: its folded matching key, once
                                      needed (cy_unique_names)                    */
    struct ynode *first, *last, *next;
    size_t n;                      /* children (a mapping counts both halves)  */
};

/* The state of one load. */
struct ctx {
    struct config *cfg;
    struct config_error *err;
    bool failed;
};

/* Record the first error at a node's position. */
#define fail(x, node, ...) cy_fail_at((x), (node)->line, (node)->col, __VA_ARGS__)

enum code_style { CODE_SNAKE, CODE_SLUG, CODE_ID };

/* Resolve a reference or fail with "… không có trong <section>". */
#define RESOLVE(x, node, lookup, noun, section, out)                                       \
    (((out) = lookup((x)->cfg, (node)->str)) != NULL ||                                    \
     fail((x), (node), "tham chiếu không tồn tại: %s \"%s\" không có trong \"%s\"", (noun), \
          (node)->str, (section)))

/* An integer node within [lo, hi]. */
bool cy_as_int(struct ctx *x, const struct ynode *v, const char *key, long lo, long hi,
                   int *out);

/* A non-empty text scalar. */
bool cy_as_text(struct ctx *x, const struct ynode *n, const char *key, const char **out);

/* A boolean field (true/false); absent keeps *out. */
bool cy_bool_field(struct ctx *x, const struct ynode *map, const char *key, bool *out);

/* A mapping whose keys are all in `keys` (NULL-terminated). A typo is an
 * error that suggests the closest key, so it can never pass silently. */
bool cy_check_map(struct ctx *x, const struct ynode *n, const char *what,
                      const char *const keys[]);

/* A code: a short ASCII identifier that outputs (CSV, charts) can carry.
 * Metric and group codes may not hold "." (records write metric.breakdown). */
bool cy_code_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                       enum code_style style, const char **out);

/* A date field, written YYYY-MM-DD; absent leaves *out unset. */
bool cy_date_field(struct ctx *x, const struct ynode *map, const char *key, bool required,
                       const char *what, struct config_date *out);

/* One of a fixed set of words (NULL-terminated `names`); *out = its index. */
bool cy_enum_node(struct ctx *x, const struct ynode *v, const char *key,
                      const char *const names[], int *out);

/* Record the first error at (line, col) and return false. */
bool cy_fail_at(struct ctx *x, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* An integer field; absent optional fields keep *out. */
bool cy_int_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                      bool required, long lo, long hi, int *out);

/* A YAML null: an empty plain scalar, ~ or null. */
bool cy_is_null(const struct ynode *n);

/* The value for key in a mapping, or NULL. */
const struct ynode *cy_map_get(const struct ynode *map, const char *key);

/* The key node for key in a mapping (for positions), or NULL. */
const struct ynode *cy_map_key(const struct ynode *map, const char *key);

/* Days in a month of the proleptic Gregorian calendar. */
int cy_month_days(int y, int m);

/* The value of a required key (error at the mapping when missing). */
const struct ynode *cy_need(struct ctx *x, const struct ynode *map, const char *key,
                                const char *what);

/* A list of non-empty scalars, none repeated. A single scalar is accepted as
 * a list of one when `scalar_ok`. */
bool cy_node_list(struct ctx *x, const struct ynode *v, const char *key, bool scalar_ok,
                      const struct ynode ***out, size_t *n);

/* The i-th child of a collection. */
const struct ynode *cy_nth(const struct ynode *seq, size_t i);

/* A number within [lo, hi]; `ratio` allows a percent ("80%") and names the
 * value a ratio in the message. Absent optional numbers keep *out. */
bool cy_num_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                      bool required, double lo, double hi, bool ratio, double *out);

/* Parse the whole text into a tree; NULL (with the error set) on failure. */
struct ynode *cy_parse_tree(struct ctx *x, const char *data, size_t len);

/* A reference must be one non-empty code. */
bool cy_ref_scalar(struct ctx *x, const struct ynode *v, const char *key);

/* The mapping items of a section: a non-empty sequence. */
bool cy_section_seq(struct ctx *x, const struct ynode *v, const char *what);

/* Fill an error that has no position. */
void cy_set_error(struct config_error *err, dtbd_status st, const char *file, const char *msg);

/* An optional list-of-strings field. */
bool cy_strs_field(struct ctx *x, const struct ynode *map, const char *key,
                       struct config_strs *out);

/* A text field; absent optional fields leave *out as NULL. */
bool cy_text_field(struct ctx *x, const struct ynode *map, const char *key, const char *what,
                       bool required, const char **out);

/* Item i's key (`code`/`id`) must differ from every earlier item's. */
bool cy_unique_code(struct ctx *x, const struct ynode *seq, size_t i, const char *key);

bool cy_unique_names(struct ctx *x, const struct ynode *seq, size_t i, const char *label_key,
                         const char *aliases_key, const char *scope_key, const char *what);

bool cl_load_root(struct ctx *x, const struct ynode *root);

#endif
