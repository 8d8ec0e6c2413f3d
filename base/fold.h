/*
 * base/fold.h — folded matching keys for headers, row labels and unit names
 * (DESIGN §4.3).
 *
 * A folded key is ASCII-leaning lowercase text in which two spellings of the
 * same words compare equal:
 *   "Tổng  số\n(người)"  → "tong so nguoi"
 *   "ĐẠI HỌC"            → "dai hoc"
 *   "Sở LĐ-TB&XH"        → "so ld tb xh"
 * Steps: repair invalid UTF-8 → compatibility decomposition (NFKD: "²" → "2",
 * fullwidth letters → ASCII) → case fold → drop every combining mark (the
 * diacritics) → "đ"/"Đ" (and the look-alike "ð"/"Ð") → "d", since they do not
 * decompose → default-ignorable characters (soft hyphen, zero-width space)
 * vanish → every run of characters that is not a letter or a digit
 * (punctuation, symbols, spaces, NBSP, tabs, line breaks; so also "&", "-",
 * ",", ".", "/") becomes one space → trimmed. Letters outside Vietnamese that
 * do not decompose ("ø", "ß" → "ss" by case folding) stay as they are.
 *
 * Abbreviations are expanded on folded keys, whole tokens only, by a built-in
 * table (fold_expand_abbrev): "cbcc" → "can bo cong chuc", "cb cc" token by
 * token → the same, "hdnd", "dbhdnd", "db hdnd", "dtts", "llct", "qlnn",
 * "qp an"/"qpan", "cvcc", "cvc", "cv", "dh", "ths", "ts", "cd", "tc", "kct",
 * "ubnd", "tp", "h" (only before another token: "H. Kiên Lương"), and the
 * department names written with "&" or "-", which folding has split into
 * several tokens: "nn ptnt", "ld tb xh", "tt tt", "kh dt", "gd dt", "tn mt",
 * "kh cn", "vh tt", "vh tt dl" … (a "va" between their tokens is allowed:
 * "NN và PTNT"). The longest match wins at each token.
 * fold_match_key() = fold_key() then fold_expand_abbrev(): the one function
 * matching uses, for configuration aliases and for workbook text alike.
 *
 * Known ambiguity, decided here: "TS" expands to "tien si" (the training
 * tables); a column headed "TS" meaning "tổng số" will not match "tong so" —
 * recognition may retry such a header with fold_key() alone.
 *
 * Ownership: functions append to a caller-owned buf and return false only
 * when memory ran out (the buf's oom flag is then set). Nothing is retained.
 */
#ifndef DTBD_BASE_FOLD_H
#define DTBD_BASE_FOLD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

/* Append the folded key of utf8[0..n) (any bytes; invalid UTF-8 is repaired
 * first) to out. An input with no letter or digit yields the empty key. */
bool fold_key(const char *utf8, size_t n, buf *out);

/* fold_key() computed by utf8proc over the whole text, without the table of
 * code points fold_key() looks up first: the definition the table must equal
 * (tests compare the two). */
bool fold_key_reference(const char *utf8, size_t n, buf *out);

/* Append key[0..n), a folded key, with the abbreviations of the built-in
 * table expanded (whole tokens only) to out. */
bool fold_expand_abbrev(const char *key, size_t n, buf *out);

/* fold_key() then fold_expand_abbrev(): the key matching compares. */
bool fold_match_key(const char *utf8, size_t n, buf *out);

/* Similarity of two folded keys in [0, 1] for "closest candidates" lists:
 * the larger of the token-set Jaccard index |A∩B| / |A∪B| (insensitive to
 * word order: "huyen kien luong" ~ "kien luong huyen") and the normalized
 * Levenshtein similarity 1 − d(a, b) / max(|a|, |b|) over bytes (tolerant to
 * typos: "kien luong" ~ "kien luon"). 1 for equal keys (two empty keys too),
 * 0 when one is empty. Keys over 1024 bytes use the Jaccard index alone.
 * NULL counts as empty. */
double fold_similarity(const char *a, const char *b);

/* fold_similarity(a, b) when it is at least floor; some value below floor
 * otherwise (a caller keeping the best few asks only what could enter). */
double fold_similarity_atleast(const char *a, const char *b, double floor);

/* The Levenshtein similarity 1 − d(a, b) / max(|a|, |b|) over bytes when it
 * is at least bound, else 0 (1 for two empty keys when bound ≤ 1); −1 when a
 * key is over max_len bytes or memory ran out. Exact, and bounded: the
 * distance is computed only within the band the bound allows, stopping as
 * soon as the length difference or a row's minimum exceeds it (bound 0: the
 * full distance). NULL counts as empty. */
double fold_lev_similarity(const char *a, const char *b, double bound, size_t max_len);

/* The Levenshtein distance of a and b over bytes when it is at most maxd,
 * else maxd + 1 (the same bounded computation as fold_lev_similarity; keys
 * over 256 bytes count as too far). For "did you mean" on short codes and
 * keys: the configuration's unknown keys. NULL counts as empty. */
size_t fold_edit_distance(const char *a, const char *b, size_t maxd);

/* One token of a folded key: key[0..n). */
typedef struct {
    const char *p;
    size_t n;
} fold_tok;

/* The distinct tokens of a NUL-terminated folded key, in order, at most cap. */
size_t fold_tokens(const char *key, fold_tok *t, size_t cap);

/* Tokens fold_match_score() looks at per key; keys longer than
 * FOLD_MATCH_LEV_MAX bytes get no Levenshtein term. */
enum { FOLD_MATCH_TOKENS = 48, FOLD_MATCH_LEV_MAX = 160 };

/* How well a workbook's key q matches an alias key a, in [0, 1] — the score
 * recognition compares with its thresholds (pipeline/recognize.h): the
 * larger of the token-set Jaccard index, a containment score (all distinct
 * tokens of the shorter key in the longer: 0.5 + 0.5 × shorter / longer,
 * × 0.9 when they are not in the same order — "cong chuc" is not a phrase
 * of "vien chuc don vi su nghiep cong lap") and the Levenshtein similarity
 * when it is at least 0.9 (typos only: on long keys a different last word
 * still scores high, "cap tinh" vs "cap huyen"; decided exactly with
 * fold_lev_similarity's cut-offs). 0 when either key has no token. *phrase
 * (may be NULL) is set when all of a's tokens are in q in order.
 * fold_similarity is the other score of this file: it ranks "closest
 * candidates" lists, where any Levenshtein similarity counts. */
double fold_match_score(const char *q, const char *a, bool *phrase);

#endif
