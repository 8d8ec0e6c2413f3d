/* pipeline/plan_appraise.c — plans sent twice, the headcounts the appraisal
 * rests on, and the appraisal findings (see plan.h, DESIGN §10). */
#include "pipeline/plan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/syserr.h"
#include "pipeline/validate.h"

/* ---- resubmissions ------------------------------------------------------------ */

void plan_resolve(plan_set *ps)
{
    results *res = &ps->res;
    for (size_t a = 0; a < res->nsources; a++) {
        source_file *sa = &res->sources[a];
        if (!sa->unit || !sa->year || sa->status != SRC_ACCEPTED || sa->records == 0) continue;
        /* the newest accepted plan of the same unit and year */
        size_t win = a;
        for (size_t b = 0; b < res->nsources; b++) {
            source_file *sb = &res->sources[b];
            if (b == win || !sb->unit || sb->year != sa->year || strcmp(sb->unit, sa->unit) != 0 ||
                sb->status != SRC_ACCEPTED || sb->records == 0)
                continue;
            if (validate_source_newer(sb, &res->sources[win], NULL, 0) > 0) win = b;
        }
        if (win == a) continue;
        char why[400];
        validate_source_newer(&res->sources[win], sa, why, sizeof why);
        results_add_finding(res, SEV_WARNING, "duplicate_submission", (uint32_t)a, NULL, NULL, sa->unit,
                            sa->year,
                            "Đơn vị đã gửi lại kế hoạch năm %d: tệp \"%s\" thay thế tệp này (%s). Các lớp "
                            "của tệp này không được tổng hợp.",
                            sa->year, res->sources[win].path, why);
    }
    /* mark after every decision: a later source's comparisons see the statuses unchanged */
    for (size_t i = 0; i < res->nfindings; i++) {
        finding *f = &res->findings[i];
        if (strcmp(f->rule, "duplicate_submission") == 0 && f->source < res->nsources)
            res->sources[f->source].status = SRC_SUPERSEDED;
    }
    for (size_t i = 0; i < ps->n; i++)
        if (ps->cls[i].src < res->nsources && res->sources[ps->cls[i].src].status == SRC_SUPERSEDED)
            ps->cls[i].superseded = true;
}

/* ---- headcounts ----------------------------------------------------------------- */

void plan_headcounts_free(plan_headcounts *h)
{
    for (size_t i = 0; i < h->n; i++) free((char *)h->v[i].unit);
    free(h->v);
    memset(h, 0, sizeof *h);
}

static void hc_add(plan_headcounts *h, const char *unit, int year, const struct config_group *g, double v)
{
    char *u = strdup(unit);
    if (!u || !buf_grow_array((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v)) {
        free(u);
        h->oom = true;
        return;
    }
    h->v[h->n++] = (plan_headcount){u, year, g, v};
}

void plan_headcounts_from_results(plan_headcounts *h, const struct config *cfg, const results *r)
{
    for (size_t i = 0; i < r->nrecords; i++) {
        const record *rec = &r->records[i];
        if (!results_record_listed(rec) || rec->excluded || strcmp(rec->metric, "headcount") != 0 ||
            strcmp(rec->breakdown, "all") != 0)
            continue;
        const struct config_group *g = config_group(cfg, rec->group);
        if (g) hc_add(h, rec->unit, rec->year, g, rec->value);
    }
}

/* Split one CSV line (RFC 4180, no line breaks inside fields) into at most
 * cap fields, in place. */
static size_t csv_fields(char *line, char **f, size_t cap)
{
    size_t n = 0;
    char *p = line;
    while (n < cap) {
        char *out = p;
        f[n++] = p;
        if (*p == '"') {
            char *q = p + 1;
            for (;;) {
                if (*q == '\0') break;
                if (*q == '"' && q[1] == '"') { *out++ = '"'; q += 2; continue; }
                if (*q == '"') { q++; break; }
                *out++ = *q++;
            }
            while (*q && *q != ',') q++;
            char *next = *q ? q + 1 : NULL;
            *out = '\0';
            if (!next) break;
            p = next;
        } else {
            char *c = strchr(p, ',');
            if (!c) break;
            *c = '\0';
            p = c + 1;
        }
    }
    return n;
}

int plan_headcounts_load(plan_headcounts *h, const struct config *cfg, const char *path, char *err,
                         size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "không mở được %s: %s", path, syserr_text(errno, SYSERR_READ));
        return -1;
    }
    char line[8192];
    size_t lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *fld[12];
        size_t n = csv_fields(line, fld, 12);
        if (lineno++ == 0) {
            if (n < 6 || strcmp(fld[0], "unit") != 0 || strcmp(fld[3], "metric") != 0 ||
                strcmp(fld[5], "value") != 0) {
                snprintf(err, errlen, "%s không phải là tệp records.csv của dtbd (dòng tiêu đề "
                         "unit,year,group,metric,breakdown,value,…)", path);
                rc = -1;
                break;
            }
            continue;
        }
        if (n < 6 || strcmp(fld[3], "headcount") != 0 || strcmp(fld[4], "all") != 0) continue;
        const struct config_group *g = config_group(cfg, fld[2]);
        char *end;
        double v = strtod(fld[5], &end);
        long y = strtol(fld[1], NULL, 10);
        if (g && *end == '\0' && fld[5][0] && y > 1900 && y < 2200 && fld[0][0])
            hc_add(h, fld[0], (int)y, g, v);
    }
    fclose(f);
    return h->oom ? -1 : rc;
}

bool plan_headcount_of(const plan_headcounts *hc, const char *unit, const struct config_group *g, int year,
                       double *out)
{
    int best = 0;
    for (size_t i = 0; hc && i < hc->n; i++) {
        const plan_headcount *p = &hc->v[i];
        if (p->group != g || p->year > year || p->year < best || strcmp(p->unit, unit) != 0) continue;
        best = p->year;
        *out = p->value;
    }
    return best != 0;
}

/* ---- appraisal ---------------------------------------------------------------------- */

static bool live(const plan_class *k)
{
    return !k->superseded && k->unit && k->year;
}

/* Is g the group or one of its parts (recursively)? */
static bool counts_for(const struct config_group *g, const struct config_group *whole)
{
    for (int d = 0; g && d < 8; d++, g = g->part_of)
        if (g == whole) return true;
    return false;
}

static bool in_numerator(const struct config_indicator *ind, const struct config_metric *m)
{
    for (size_t i = 0; m && i < ind->n_numerator; i++)
        if (ind->numerator[i].metric == m) return true;
    return false;
}

/* plan_target_shortfall for one unit's plan of one year. */
static void shortfall(const struct config *cfg, plan_set *ps, const plan_class *first,
                      const plan_headcounts *hc)
{
    const struct config_unit *u = config_unit(cfg, first->unit);
    for (size_t i = 0; u && i < cfg->n_indicators; i++) {
        const struct config_indicator *ind = &cfg->indicators[i];
        if (ind->kind != CONFIG_ANNUAL || strcmp(ind->denominator.metric->code, "headcount") != 0 ||
            !config_unit_has_group(u, ind->group))
            continue;
        double h;
        if (!plan_headcount_of(hc, u->code, ind->group, first->year, &h)) continue;
        double p = 0;
        for (size_t k = 0; k < ps->n; k++) {
            const plan_class *c = &ps->cls[k];
            if (live(c) && c->src == first->src && in_numerator(ind, c->metric) && counts_for(c->group, ind->group))
                p += c->count;
        }
        double need = ceil(ind->target * h - 1e-9);
        if (p >= need) continue;
        results_add_finding(&ps->res, SEV_WARNING, "plan_target_shortfall", first->src, NULL, NULL, u->code,
                            first->year,
                            "Chỉ tiêu %s (%s, %s ≥ %g%%): với %g %s cần bồi dưỡng ít nhất %g người, kế "
                            "hoạch mới có %g người — thiếu %g người.",
                            ind->id, ind->label, ind->group->label, ind->target * 100, h, ind->group->label,
                            need, p, need - p);
    }
}

/* The A1 of the class's cell in column col (its content cell when the
 * plan has no such column, or the group came from the content). */
static const char *cell_of(const plan_class *c, uint32_t col, char out[16])
{
    wb_cell_ref(c->row, col == PLAN_NO_COL ? c->content_col : col, out);
    return out;
}

/* The class's own findings: provider, group, cost, duplicate (each on the
 * cell that shows the problem). */
static void class_findings(const struct config *cfg, plan_set *ps, size_t k)
{
    const plan_class *c = &ps->cls[k];
    char a1[16];
    wb_cell_ref(c->row, c->content_col, a1);
    const struct config_unit *u = config_unit(cfg, c->unit);
    const char *ml = c->metric ? c->metric->label : c->content;
    char pc[16];
    if (c->provider_unit && c->provider_unit->n_offers && c->metric &&
        !config_unit_offers(c->provider_unit, c->metric))
        results_add_finding(&ps->res, SEV_WARNING, "plan_provider_not_offered", c->src, c->sheet,
                            cell_of(c, c->provider_col, pc), c->unit,
                            c->year, "%s không đào tạo, bồi dưỡng nội dung \"%s\" — chọn cơ sở đào tạo khác.",
                            c->provider_unit->name, ml);
    if (u && c->group && !config_unit_has_group(u, c->group))
        results_add_finding(&ps->res, SEV_WARNING, "plan_group_absent", c->src, c->sheet,
                            cell_of(c, c->group_col, pc), c->unit, c->year,
                            "%s không có đối tượng \"%s\" — kiểm tra lại đối tượng của lớp \"%s\".", u->name,
                            c->group->label, c->content);
    if (c->has_cost && c->cost > 0 && !c->source)
        results_add_finding(&ps->res, SEV_WARNING, "plan_cost_no_source", c->src, c->sheet,
                            cell_of(c, c->cost_col, pc), c->unit, c->year,
                            "Lớp \"%s\" có kinh phí %g triệu đồng nhưng không ghi nguồn kinh phí.", c->content,
                            c->cost);
    for (size_t j = 0; j < k; j++) {
        const plan_class *d = &ps->cls[j];
        if (!live(d) || d->src != c->src || d->metric != c->metric || d->group != c->group ||
            d->quarter != c->quarter || (!c->metric && strcmp(d->content, c->content) != 0) ||
            (!c->group && strcmp(d->group_text, c->group_text) != 0))
            continue;
        char b1[16];
        wb_cell_ref(d->row, d->content_col, b1);
        char when[32] = "chưa ghi quý";
        if (c->quarter) snprintf(when, sizeof when, "quý %d", c->quarter);
        results_add_finding(&ps->res, SEV_WARNING, "plan_duplicate_class", c->src, c->sheet, a1, c->unit,
                            c->year, "Lớp \"%s\" cho \"%s\" (%s) đã có ở %s!%s — bỏ dòng trùng hoặc "
                            "gộp số lượng.", ml, c->group ? c->group->label : c->group_text, when,
                            d->sheet, b1);
        break;
    }
}

void plan_appraise(const struct config *cfg, plan_set *ps, const plan_headcounts *hc)
{
    for (size_t k = 0; k < ps->n; k++) {
        if (!live(&ps->cls[k])) continue;
        bool first = true;
        for (size_t j = 0; j < k && first; j++) first = !(live(&ps->cls[j]) && ps->cls[j].src == ps->cls[k].src);
        if (first) shortfall(cfg, ps, &ps->cls[k], hc);
        class_findings(cfg, ps, k);
    }
}
