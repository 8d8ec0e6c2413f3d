/* pipeline/indicators.c — the indicator engine (see indicators.h for the contract). */
#include "pipeline/indicators.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "pipeline/figures.h"

/* ---- names ----------------------------------------------------------------------- */

const char *att_status_name(att_status s)
{
    switch (s) {
    case ATT_MET: return "met";
    case ATT_NOT_MET: return "not_met";
    case ATT_ON_TRACK: return "on_track";
    case ATT_BEHIND: return "behind";
    case ATT_NO_DATA: return "no_data";
    }
    return "no_data";
}

const char *att_scope_name(att_scope s)
{
    switch (s) {
    case SCOPE_PROVINCE: return "province";
    case SCOPE_KIND: return "kind";
    case SCOPE_UNIT: return "unit";
    }
    return "province";
}

/* ---- exact comparisons --------------------------------------------------------- */

/* The target as a decimal fraction p/q (0.8 = 8/10) when it is one of at most
 * 9 places (targets are written as decimals in the YAML); exact = false else. */
typedef struct {
    double value;
    int64_t p, q;
    bool exact;
} target_frac;

static target_frac target_of(double t)
{
    target_frac f = {.value = t};
    int64_t q = 1;
    for (int k = 0; k <= 9; k++, q *= 10) {
        double x = t * (double)q;
        double r = nearbyint(x);
        if (fabs(x - r) <= 1e-9 * (double)q && fabs(r) < 9e15) {
            f.p = (int64_t)r;
            f.q = q;
            f.exact = true;
            break;
        }
    }
    return f;
}

/* v as an integer when it is one (and exactly representable). */
static bool as_int(double v, int64_t *out)
{
    if (!(fabs(v) <= 9007199254740992.0) || v != floor(v)) return false;
    *out = (int64_t)v;
    return true;
}

/* a × b without overflow. */
static bool mul(int64_t a, int64_t b, int64_t *r) { return !__builtin_mul_overflow(a, b, r); }
static bool add(int64_t a, int64_t b, int64_t *r) { return !__builtin_add_overflow(a, b, r); }

/* numerator ≥ target × denominator: exactly (n·q ≥ p·d) on integer sums. */
static bool reaches_target(double n, double d, const target_frac *t)
{
    int64_t ni, di, a, b;
    if (t->exact && as_int(n, &ni) && as_int(d, &di) && mul(ni, t->q, &a) && mul(t->p, di, &b))
        return a >= b;
    return (long double)n >= (long double)t->value * (long double)d;
}

/* The start of a trajectory: the year and the figures of its first ratio. */
typedef struct {
    bool has;
    int year;
    double n, d;
} baseline;

/* ratio n/d ≥ line(y) = r0 + (target − r0)(y − y0)/(D − y0), r0 = n0/d0;
 * with d, d0 > 0 and D > y0 that is
 *   n·d0·q·(D − y0) ≥ d·(n0·q·(D − y) + p·d0·(y − y0)),
 * exact on integers when no product overflows. */
static bool on_trajectory(double n, double d, const baseline *b, const target_frac *t, int y,
                          int deadline)
{
    int64_t ni, di, n0, d0, lhs, rhs, x, z;
    int64_t span = deadline - b->year, left = deadline - y, done = y - b->year;
    if (t->exact && as_int(n, &ni) && as_int(d, &di) && as_int(b->n, &n0) && as_int(b->d, &d0) &&
        mul(ni, d0, &lhs) && mul(lhs, t->q, &lhs) && mul(lhs, span, &lhs) &&
        mul(n0, t->q, &x) && mul(x, left, &x) && mul(t->p, d0, &z) && mul(z, done, &z) &&
        add(x, z, &rhs) && mul(rhs, di, &rhs))
        return lhs >= rhs;
    long double r0 = (long double)b->n / (long double)b->d;
    long double line = r0 + ((long double)t->value - r0) * (long double)done / (long double)span;
    return (long double)n / (long double)d >= line;
}

/* ---- one indicator -------------------------------------------------------------- */

/* A unit's (or a scope's) figures for one year. */
typedef struct {
    bool has;
    double n, d;
} figures;

/* Append a row; -1 on out of memory. */
static int push_row(attainment *a, const attainment_row *row)
{
    if (!buf_grow_array((void **)&a->rows, &a->cap, a->n + 1, sizeof *a->rows)) return -1;
    a->rows[a->n++] = *row;
    return 0;
}

/* The first year of a series with a denominator > 0. */
static baseline first_observed(const figures *s, int y_first, int ny)
{
    for (int i = 0; i < ny; i++)
        if (s[i].has && s[i].d > 0) return (baseline){true, y_first + i, s[i].n, s[i].d};
    return (baseline){0};
}

/* Judge one scope and year from its figures. */
static void judge(const struct config_indicator *ind, const target_frac *t, int y,
                  const figures *f, const baseline *b, attainment_row *row)
{
    row->status = ATT_NO_DATA;
    if (!f->has) return;
    row->has_sums = true;
    row->numerator = f->n;
    row->denominator = f->d;
    if (!(f->d > 0)) return;                  /* no denominator: no_data, never 0 % */
    row->has_ratio = true;
    row->ratio = f->n / f->d;
    bool trajectory = ind->kind == CONFIG_BY_DEADLINE && ind->deadline > 0 && y < ind->deadline;
    if (!trajectory)
        row->status = reaches_target(f->n, f->d, t) ? ATT_MET : ATT_NOT_MET;
    else if (!b->has || y <= b->year)        /* the first observed year is on its own line */
        row->status = ATT_ON_TRACK;
    else
        row->status = on_trajectory(f->n, f->d, b, t, y, ind->deadline) ? ATT_ON_TRACK : ATT_BEHIND;
}

/* Emit the rows of one scope: its series over the indicator's years, the
 * trajectory's baseline, the rows in the output range (units: only the
 * years they were active or counted). */
static int emit_scope(attainment *out, const struct config_indicator *ind, const target_frac *t,
                      att_scope scope, const char *name, const struct config_unit *unit,
                      const figures *s, const baseline *b, int y_first, int ny, int from, int to)
{
    for (int i = 0; i < ny; i++) {
        int y = y_first + i;
        if (y < from || y > to) continue;
        if (unit && !s[i].has && !config_unit_active_in_year(unit, y)) continue;
        attainment_row row = {.ind = ind, .year = y, .scope = scope, .unit = name,
                              .target = ind->target};
        judge(ind, t, y, &s[i], b, &row);
        if (push_row(out, &row) != 0) return -1;
    }
    return 0;
}

/* Add a unit's figures into a series. */
static void add_series(figures *s, const figures *u, int ny)
{
    for (int i = 0; i < ny; i++) {
        if (!u[i].has) continue;
        s[i].has = true;
        s[i].n += u[i].n;
        s[i].d += u[i].d;
    }
}

/* True when u's figures pass to `to` through a chain of successors. */
static bool succeeds_into(const struct config_unit *u, const struct config_unit *to, size_t limit)
{
    for (const struct config_unit *s = u->successor; s && limit; s = s->successor, limit--)
        if (s == to) return true;
    return false;
}

/* Sort units by code (the order of their rows). */
static int unit_code_cmp(const void *a, const void *b)
{
    const struct config_unit *x = *(const struct config_unit *const *)a;
    const struct config_unit *y = *(const struct config_unit *const *)b;
    return strcmp(x->code, y->code);
}

/* The group's figure of a metric[.breakdown] for a unit and year (figures.h). */
static bool ref_value(const fig_index *ix, const struct config_unit *u, int y,
                      const struct config_group *g, const struct config_metric_ref *ref, double *out)
{
    return fig_group_value(ix, u, y, g, ref->metric, ref->breakdown ? ref->breakdown->code : "all", out);
}

/* All rows of one indicator. units_sorted: the registry by code. */
static int compute_indicator(const struct config *cfg, const fig_index *ix,
                             const struct config_indicator *ind,
                             const struct config_unit *const *units_sorted, int from, int to,
                             attainment *out)
{
    int y_first = ind->first_year > cfg->plan.first_year ? ind->first_year : cfg->plan.first_year;
    int ny = cfg->plan.last_year - y_first + 1;
    if (ny <= 0 || cfg->n_units == 0) return 0;
    size_t nu = cfg->n_units;
    /* per unit (by registry index) and year, then scope series and a scratch one */
    figures *fig = calloc(nu * (size_t)ny + 2 * (size_t)ny, sizeof *fig);
    if (!fig) return -1;
    figures *series = fig + nu * (size_t)ny, *pred = series + ny;
    target_frac t = target_of(ind->target);

    for (size_t ui = 0; ui < nu; ui++) {
        const struct config_unit *u = &cfg->units[ui];
        if (u->kind == CONFIG_PROVIDER) continue;
        for (int i = 0; i < ny; i++) {
            figures *f = &fig[ui * (size_t)ny + (size_t)i];
            double d, n = 0;
            if (!ref_value(ix, u, y_first + i, ind->group, &ind->denominator, &d)) continue;
            bool ok = true;     /* a numerator of several metrics: missing when one is */
            for (size_t k = 0; k < ind->n_numerator && ok; k++) {
                double v = 0;
                ok = ref_value(ix, u, y_first + i, ind->group, &ind->numerator[k], &v);
                n += v;
            }
            if (ok) *f = (figures){true, n, d};
        }
    }

    int rc = 0;
    /* the province, then each kind */
    for (int k = -1; k < CONFIG_UNIT_KIND_COUNT && rc == 0; k++) {
        if (k == CONFIG_PROVIDER) continue;
        memset(series, 0, (size_t)ny * sizeof *series);
        for (size_t ui = 0; ui < nu; ui++) {
            const struct config_unit *u = &cfg->units[ui];
            if (u->kind != CONFIG_PROVIDER && (k < 0 || (int)u->kind == k))
                add_series(series, &fig[ui * (size_t)ny], ny);
        }
        baseline b = first_observed(series, y_first, ny);
        rc = emit_scope(out, ind, &t, k < 0 ? SCOPE_PROVINCE : SCOPE_KIND,
                        k < 0 ? "" : config_unit_kind_name((enum config_unit_kind)k), NULL, series,
                        &b, y_first, ny, from, to);
    }
    /* each unit, by code; a unit created by a merger starts its trajectory
     * from its predecessors' first figures */
    for (size_t j = 0; j < nu && rc == 0; j++) {
        const struct config_unit *u = units_sorted[j];
        if (u->kind == CONFIG_PROVIDER) continue;
        const figures *own = &fig[u->index * (size_t)ny];
        baseline b = first_observed(own, y_first, ny);
        memset(pred, 0, (size_t)ny * sizeof *pred);
        bool has_pred = false;
        for (size_t ui = 0; ui < nu; ui++) {
            const struct config_unit *v = &cfg->units[ui];
            if (v == u || v->kind == CONFIG_PROVIDER || !succeeds_into(v, u, nu)) continue;
            add_series(pred, &fig[ui * (size_t)ny], ny);
            has_pred = true;
        }
        if (has_pred) {
            baseline pb = first_observed(pred, y_first, ny);
            /* only for a unit that did not exist yet then (created by the
             * merger): one that did keeps its own series, even when its
             * first years lack figures */
            if (pb.has && (!b.has || pb.year < b.year) && !config_unit_active_in_year(u, pb.year))
                b = pb;
        }
        rc = emit_scope(out, ind, &t, SCOPE_UNIT, u->code, u, own, &b, y_first, ny, from, to);
    }
    free(fig);
    return rc;
}

/* ---- public ----------------------------------------------------------------------- */

int indicators_compute(const struct config *cfg, const results *res, int year_from, int year_to,
                       attainment *out)
{
    memset(out, 0, sizeof *out);
    fig_index *ix = fig_build(cfg, res);
    if (!ix) return -1;
    int rc = indicators_compute_fig(cfg, ix, year_from, year_to, out);
    fig_free(ix);
    return rc;
}

int indicators_compute_fig(const struct config *cfg, const fig_index *ix, int year_from, int year_to,
                           attainment *out)
{
    memset(out, 0, sizeof *out);
    out->cfg = cfg;
    int from = year_from ? year_from : cfg->plan.first_year;
    int to = year_to ? year_to : cfg->plan.last_year;
    const struct config_unit **sorted = malloc((cfg->n_units ? cfg->n_units : 1) * sizeof *sorted);
    if (!sorted) return -1;
    for (size_t i = 0; i < cfg->n_units; i++) sorted[i] = &cfg->units[i];
    qsort(sorted, cfg->n_units, sizeof *sorted, unit_code_cmp);
    int rc = 0;
    for (size_t i = 0; i < cfg->n_indicators && rc == 0; i++)
        rc = compute_indicator(cfg, ix, &cfg->indicators[i], sorted, from, to, out);
    free(sorted);
    if (rc != 0) attainment_free(out);
    return rc;
}

void attainment_free(attainment *a)
{
    free(a->rows);
    a->rows = NULL;
    a->n = a->cap = 0;
}

_Static_assert((int)ATT_MET == CONFIG_STATUS_MET && (int)ATT_NOT_MET == CONFIG_STATUS_NOT_MET &&
                   (int)ATT_ON_TRACK == CONFIG_STATUS_ON_TRACK && (int)ATT_BEHIND == CONFIG_STATUS_BEHIND &&
                   (int)ATT_NO_DATA == CONFIG_STATUS_NO_DATA,
               "att_status and enum config_status list the statuses in one order");

void indicators_summary_text(const attainment *a, int year, char *out, size_t n)
{
    if (!n) return;
    out[0] = '\0';
    size_t len = 0;
    for (int st = ATT_MET; st <= ATT_NO_DATA; st++) {
        size_t count = 0;
        for (size_t i = 0; i < a->n; i++)
            count += a->rows[i].scope == SCOPE_PROVINCE && a->rows[i].year == year && (int)a->rows[i].status == st;
        if (!count) continue;
        int k = snprintf(out + len, n - len, "%s%zu %s (", len ? "; " : "", count,
                         config_status_word(a->cfg, st));
        if (k < 0 || (size_t)k >= n - len) return;
        len += (size_t)k;
        bool first = true;
        for (size_t i = 0; i < a->n; i++) {
            const attainment_row *r = &a->rows[i];
            if (r->scope != SCOPE_PROVINCE || r->year != year || (int)r->status != st) continue;
            k = snprintf(out + len, n - len, "%s%s", first ? "" : ", ", r->ind && r->ind->id ? r->ind->id : "?");
            if (k < 0 || (size_t)k >= n - len) return;
            len += (size_t)k;
            first = false;
        }
        k = snprintf(out + len, n - len, ")");
        if (k < 0 || (size_t)k >= n - len) return;
        len += (size_t)k;
    }
}

void indicators_ratio_text(const attainment_row *r, char out[32])
{
    out[0] = '\0';
    if (!r->has_ratio) return;
    int64_t n, d, scaled, q;
    if (as_int(r->numerator, &n) && as_int(r->denominator, &d) && n >= 0 && d > 0 &&
        mul(n, 1000000, &scaled)) {
        /* exact: q = round-half-even(n·10⁶ / d) */
        q = scaled / d;
        int64_t rem = scaled % d;
        if (rem * 2 > d || (rem * 2 == d && (q & 1))) q++;
    } else {
        /* fractional or huge sums: the double, rounded by printf (ties to even) */
        snprintf(out, 32, "%.6f", r->ratio);
        size_t len = strlen(out);
        while (len > 0 && out[len - 1] == '0') out[--len] = '\0';
        if (len > 0 && out[len - 1] == '.') out[--len] = '\0';
        if (strcmp(out, "-0") == 0) strcpy(out, "0");
        return;
    }
    int len = snprintf(out, 32, "%lld", (long long)(q / 1000000));
    int64_t frac = q % 1000000;
    if (frac) {
        char digits[8];
        snprintf(digits, sizeof digits, "%06lld", (long long)frac);
        size_t k = 6;
        while (k > 0 && digits[k - 1] == '0') digits[--k] = '\0';
        snprintf(out + len, (size_t)(32 - len), ".%s", digits);
    }
}

void indicators_summary(const attainment *a, int year, size_t *met, size_t *not_met,
                        size_t *behind)
{
    size_t m = 0, nm = 0, b = 0;
    for (size_t i = 0; i < a->n; i++) {
        const attainment_row *r = &a->rows[i];
        if (r->scope != SCOPE_PROVINCE || r->year != year) continue;
        m += r->status == ATT_MET;
        nm += r->status == ATT_NOT_MET;
        b += r->status == ATT_BEHIND;
    }
    if (met) *met = m;
    if (not_met) *not_met = nm;
    if (behind) *behind = b;
}
