/* pipeline/plan_read.c — a plan workbook → its classes: the title that makes
 * it a plan, its list tables (header band, columns, rows), unit and year,
 * values and cell findings (see plan.h). It reads the recognizer's repaired
 * view and folded keys (rec_ctx.h: rec_prepare), never a second copy. */
#include "pipeline/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/memo.h"
#include "base/text.h"
#include "pipeline/ident.h"
#include "pipeline/numparse.h"
#include "pipeline/plan_ctx.h"
#include "pipeline/rec_ctx.h"
#include "input/vnenc.h"

enum { PLAN_TITLE_ROWS = 12, PLAN_BAND_MAX = 3, PLAN_BLANK_END = 3, PLAN_MAX_TABLES = 64, PLAN_HEADER_MAX = 160 };

typedef struct {
    uint32_t sheet;
    uint32_t top, bottom;        /* header band                               */
    uint32_t first, last;        /* data rows (last inclusive)                */
    uint32_t col[CONFIG_PCOL_N]; /* column of each role, PLAN_NO_COL none     */
    uint32_t c0, c1;             /* columns the header covers                 */
} ptable;

typedef struct {
    const plan_matcher *pm;
    rctx *c;
    plan_set *ps;
    uint32_t src;
    const char *unit;
    int year;
    ptable t[PLAN_MAX_TABLES];
    size_t nt;
    size_t recorded, rejected;
} preader;

void plan_set_init(plan_set *ps)
{
    memset(ps, 0, sizeof *ps);
    results_init(&ps->res, NULL);   /* sources and findings only: no records */
}

void plan_set_free(plan_set *ps)
{
    free(ps->cls);
    results_free(&ps->res);
    memset(ps, 0, sizeof *ps);
}

/* A copy of s in into's arena; NULL stays NULL. */
static const char *copy_str(plan_set *into, const char *s)
{
    return s ? results_str(&into->res, s) : NULL;
}

bool plan_set_merge(plan_set *into, const plan_set *part)
{
    size_t base = into->res.nsources;
    if (!results_merge(&into->res, &part->res)) return false;
    for (size_t i = 0; i < part->n && !into->res.oom; i++) {
        if (!buf_grow_array((void **)&into->cls, &into->cap, into->n + 1, sizeof *into->cls)) {
            into->res.oom = true;
            break;
        }
        plan_class c = part->cls[i];
        if (c.src != RESULTS_NO_SOURCE) c.src += (uint32_t)base;
        c.unit = copy_str(into, c.unit);
        c.sheet = copy_str(into, c.sheet);
        c.content = copy_str(into, c.content);
        c.group_text = copy_str(into, c.group_text);
        c.provider = copy_str(into, c.provider);
        into->cls[into->n++] = c;
    }
    return !into->res.oom;
}

/* ---- cells and keys ---------------------------------------------------------- */

static const grid_cell *cell_at(const sheetx *x, uint32_t r, uint32_t col)
{
    return grid_at(x->s, r, col);
}

static const cinfo *info_of(const sheetx *x, const grid_cell *cell)
{
    return cell ? &x->ci[cell - x->s->cells] : NULL;
}

/* Is one of the cell's keys a word of kind? Returns the entry. */
static const pm_entry *cell_word(const plan_matcher *pm, const cinfo *ci, unsigned kind)
{
    if (!ci) return NULL;
    for (int v = 0; v < 3; v++) {
        const char *k = ci->lk[v] ? ci->lk[v] : ci->hk[v];
        const pm_entry *e = k ? pm_exact(pm, kind, k, NULL) : NULL;
        if (!e && ci->hk[v]) e = pm_exact(pm, kind, ci->hk[v], NULL);
        if (e) return e;
    }
    return NULL;
}

/* The column role a header cell names: exactly, else the role of the
 * longest alias of two or more words that is a phrase of it ("Tên lớp /
 * Nội dung bồi dưỡng" → content); -1 none. */
static int cell_role(const plan_matcher *pm, const sheetx *x, const grid_cell *cell)
{
    /* a header is a few words: a long text (a class's content, a note) is
     * never looked up, so a sheet of long texts costs one length test each */
    if (!cell || cell->type != WB_TEXT || cell->len > PLAN_HEADER_MAX) return -1;
    const cinfo *ci = info_of(x, cell);
    const pm_entry *e = cell_word(pm, ci, PK_COLUMN);
    if (e) return e->role;
    int role = -1;
    size_t best = 1;
    bool tie = false;
    for (int v = 0; v < 2; v++) {
        const char *k = ci->hk[v];
        for (size_t i = pm->kfrom[PK_COLUMN]; k && i < pm->kto[PK_COLUMN]; i++) {
            const pm_entry *a = &pm->e[i];
            if (a->ntok < best || !pm_phrase_in(k, a->key)) continue;
            if (a->ntok > best) { best = a->ntok; role = a->role; tie = false; }
            else if (a->role != role) tie = true;
        }
    }
    return tie ? -1 : role;
}

/* The cell shown at (r, col): the cell, or the origin of a merge covering it. */
static const grid_cell *shown_at(const sheetx *x, uint32_t r, uint32_t col)
{
    const grid_cell *cell = cell_at(x, r, col);
    if (cell) return cell;
    const wb_range *m = grid_merge_at(x->s, r, col);
    return m ? cell_at(x, m->r1, m->c1) : NULL;
}

/* ---- the title ----------------------------------------------------------------- */

/* Does a text's key open with a plan title word? */
static bool title_key(const plan_matcher *pm, const char *k)
{
    for (size_t i = pm->kfrom[PK_TITLE]; k && i < pm->kto[PK_TITLE]; i++)
        if (pm_opens_with(k, pm->e[i].key)) return true;
    return false;
}

/* Does cell open with a plan's title words? Remembered per (font, text)
 * (mk: the memo's key): the same header texts come back in every workbook. */
static bool title_cell(const plan_matcher *pm, const grid_cell *cell, buf *key, buf *rep, buf *mk)
{
    buf_clear(mk);
    buf_puts(mk, cell->font ? cell->font : "");
    buf_putc(mk, '\0');
    buf_append(mk, cell->text, cell->len);
    bool yes = false;
    if (!mk->oom && memo_get(pm->titles, mk->data, mk->len, &yes)) return yes;
    /* a title typed in TCVN3 / VNI reads as the recognizer repairs it */
    buf_clear(rep);
    const char *t = vnenc_repair(cell->font, cell->text, cell->len, rep) != VNENC_NONE ? buf_str(rep) : cell->text;
    if (pm_key(t, key)) yes = title_key(pm, key->data);
    if (!mk->oom) memo_put(pm->titles, mk->data, mk->len, &yes);
    return yes;
}

bool plan_is_plan(const plan_matcher *pm, const grid_book *book)
{
    buf key = BUF_INIT, rep = BUF_INIT, mk = BUF_INIT;
    bool yes = false;
    for (size_t si = 0; si < book->nsheets && !yes; si++) {
        const grid_sheet *s = &book->sheets[si];
        if (s->hidden) continue;
        for (size_t i = 0; i < s->ncells && !yes; i++) {
            const grid_cell *cell = &s->cells[i];
            if (cell->row >= PLAN_TITLE_ROWS) break;
            if (cell->type != WB_TEXT || cell->len >= 2048) continue;
            yes = title_cell(pm, cell, &key, &rep, &mk);
        }
    }
    buf_free(&key);
    buf_free(&rep);
    buf_free(&mk);
    return yes;
}

static bool view_is_plan(const preader *pr)
{
    const rctx *c = pr->c;
    for (size_t si = 0; si < c->nsheets; si++) {
        const sheetx *x = &c->sx[si];
        if (x->s->hidden) continue;
        for (size_t i = 0; i < x->s->ncells; i++) {
            if (x->s->cells[i].row >= PLAN_TITLE_ROWS) break;
            const cinfo *ci = &x->ci[i];
            if (title_key(pr->pm, ci->lk[0]) || title_key(pr->pm, ci->hk[0])) return true;
        }
    }
    return false;
}

/* ---- locating tables --------------------------------------------------------------- */

/* Cells of row r: [*a, *b). */
static void row_cells(const sheetx *x, uint32_t r, size_t *a, size_t *b)
{
    rec_row_span(x, r, a, b);
}

/* Does row r hold a header word and no number? */
static bool header_row(const plan_matcher *pm, const sheetx *x, uint32_t r)
{
    size_t a, b;
    bool role = false;
    row_cells(x, r, &a, &b);
    for (size_t i = a; i < b; i++) {
        if (x->s->cells[i].type == WB_NUMBER || rec_cell_numeric(&x->s->cells[i])) return false;
        if (cell_role(pm, x, &x->s->cells[i]) >= 0) role = true;
    }
    return role;
}

/* Is every cell of row r a column-number token? */
static bool colnum_row(const sheetx *x, uint32_t r)
{
    size_t a, b;
    row_cells(x, r, &a, &b);
    if (a == b) return false;
    for (size_t i = a; i < b; i++)
        if (!(x->ci[i].flags & F_COLNUM)) return false;
    return true;
}

/* Map the columns of the band top..bottom: each column's role is the deepest
 * element of its path that names one; a role belongs to its first column. */
static void map_columns(const plan_matcher *pm, const sheetx *x, ptable *t)
{
    for (int k = 0; k < CONFIG_PCOL_N; k++) t->col[k] = PLAN_NO_COL;
    t->c0 = UINT32_MAX;
    t->c1 = 0;
    for (uint32_t col = 0; col < x->s->ncols; col++) {
        int role = -1;
        bool any = false;
        for (uint32_t r = t->top; r <= t->bottom; r++) {
            const grid_cell *cell = shown_at(x, r, col);
            if (!cell) continue;
            any = true;
            int rr = cell_role(pm, x, cell);
            if (rr >= 0) role = rr;
        }
        if (!any) continue;
        if (col < t->c0) t->c0 = col;
        t->c1 = col;
        if (role >= 0 && t->col[role] == PLAN_NO_COL) t->col[role] = col;
    }
}

/* Does row r open a (new) table: a content header and a count header? */
static bool opens_table(const plan_matcher *pm, const sheetx *x, uint32_t r)
{
    if (!header_row(pm, x, r)) return false;
    size_t a, b;
    bool content = false;
    row_cells(x, r, &a, &b);
    for (size_t i = a; i < b; i++)
        if (cell_role(pm, x, &x->s->cells[i]) == CONFIG_PCOL_CONTENT) content = true;
    return content;
}

/* Does row r hold a footer word or the place-and-date line ("Kiên Giang,
 * ngày 15 tháng 7 năm 2024")? */
static bool footer_row(const sheetx *x, uint32_t r)
{
    size_t a, b;
    row_cells(x, r, &a, &b);
    for (size_t i = a; i < b; i++) {
        const grid_cell *cell = &x->s->cells[i];
        if (x->ci[i].flags & F_FOOTER) return true;
        if (cell->type == WB_TEXT && cell->len < 200 && ident_footer_date(cell->text, cell->len)) return true;
    }
    return false;
}

/* The data rows of t from its first one: to a footer, a new header or
 * PLAN_BLANK_END blank rows. Returns the row the next search starts at. */
static uint32_t data_extent(const plan_matcher *pm, const sheetx *x, ptable *t)
{
    uint32_t blank = 0, r = t->first;
    t->last = t->first;
    bool any = false;
    for (; r < x->s->nrows; r++) {
        if (rec_row_blank(x, r)) {
            if (++blank >= PLAN_BLANK_END) break;
            continue;
        }
        blank = 0;
        if (footer_row(x, r) || opens_table(pm, x, r)) break;
        t->last = r;
        any = true;
    }
    if (!any) t->last = t->first - 1;
    return r;
}

/* Find the list tables of sheet si. */
static void locate_sheet(preader *pr, uint32_t si)
{
    const sheetx *x = &pr->c->sx[si];
    for (uint32_t r = 0; r < x->s->nrows && pr->nt < PLAN_MAX_TABLES;) {
        if (!opens_table(pr->pm, x, r)) { r++; continue; }
        ptable *t = &pr->t[pr->nt];
        memset(t, 0, sizeof *t);
        t->sheet = si;
        t->top = t->bottom = r;
        while (t->bottom + 1 < x->s->nrows && t->bottom - t->top + 1 < PLAN_BAND_MAX &&
               header_row(pr->pm, x, t->bottom + 1) && !opens_table(pr->pm, x, t->bottom + 1))
            t->bottom++;
        map_columns(pr->pm, x, t);
        if (t->col[CONFIG_PCOL_CONTENT] == PLAN_NO_COL || t->col[CONFIG_PCOL_COUNT] == PLAN_NO_COL) {
            r = t->bottom + 1;
            continue;
        }
        t->first = t->bottom + 1;
        while (t->first < x->s->nrows && colnum_row(x, t->first)) t->first++;
        r = data_extent(pr->pm, x, t);
        if (r <= t->bottom) r = t->bottom + 1;
        pr->nt++;
    }
}

/* ---- values ------------------------------------------------------------------------ */

/* A cell's text trimmed and in NFC, copied into the run's arena ("" none). */
static const char *cell_text(preader *pr, const grid_cell *cell)
{
    if (!cell) return "";
    buf n = BUF_INIT;
    if (cell->type == WB_TEXT && cell->text) {
        const char *s = cell->text;
        size_t len = cell->len;
        while (len && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) s++, len--;
        while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
            len--;
        if (!text_to_nfc(s, len, &n)) pr->c->oom = true;
    } else if (cell->type == WB_NUMBER) {
        buf_printf(&n, "%.15g", cell->num);
    }
    const char *out = results_str(&pr->ps->res, buf_str(&n));
    buf_free(&n);
    return out ? out : "";
}

/* A cell's value: 1 a value in *out, 0 blank, -1 rejected (error added). */
static int cell_value(preader *pr, const sheetx *x, const grid_cell *cell, bool money, const char *what,
                      double *out)
{
    *out = 0;
    if (!cell) return 0;
    char a1[16];
    rec_ref(cell->row, cell->col, a1);
    int rc = 1;
    if (cell->type == WB_NUMBER) {
        *out = cell->num;
    } else if (cell->type == WB_TEXT) {
        numparse_result nr = numparse_text(cell->text, cell->len, true, out);
        if (nr == NUMPARSE_ZERO_MARK) *out = 0;
        else if (nr == NUMPARSE_BAD) rc = -1;
    } else {
        rc = -1;
    }
    if (rc < 0) {
        char txt[120];
        rec_copy_utf8(txt, sizeof txt, cell->type == WB_TEXT ? cell->text : "");
        results_add_finding(&pr->ps->res, SEV_ERROR, "not_a_number", pr->src, x->s->name, a1, pr->unit,
                            pr->year, "Ô %s (%s) phải là số: \"%s\" — ghi số (không ghi chữ).", a1, what, txt);
    } else if (*out < 0) {
        rc = -1;
        results_add_finding(&pr->ps->res, SEV_ERROR, "negative_count", pr->src, x->s->name, a1, pr->unit,
                            pr->year, "Ô %s (%s) là số âm (%g) — sửa lại số liệu.", a1, what, *out);
    } else if (!money && !numparse_is_count_integer(*out)) {
        rc = -1;
        results_add_finding(&pr->ps->res, SEV_ERROR, "fractional_count", pr->src, x->s->name, a1, pr->unit,
                            pr->year, "Ô %s (%s) phải là số nguyên người (%g) — sửa lại số liệu.", a1,
                            what, *out);
    }
    if (rc < 0) pr->rejected++;
    return rc;
}

/* ---- rows ---------------------------------------------------------------------------- */

static const grid_cell *role_cell(const sheetx *x, const ptable *t, uint32_t r, int role)
{
    return t->col[role] == PLAN_NO_COL ? NULL : cell_at(x, r, t->col[role]);
}

/* The "Tổng cộng" row: its count checked against the classes above. */
static bool total_row(preader *pr, const sheetx *x, const ptable *t, uint32_t r, double sum)
{
    const grid_cell *lab = role_cell(x, t, r, CONFIG_PCOL_CONTENT);
    const grid_cell *stt = role_cell(x, t, r, CONFIG_PCOL_STT);
    if (!cell_word(pr->pm, info_of(x, lab), PK_TOTAL) && !cell_word(pr->pm, info_of(x, stt), PK_TOTAL))
        return false;
    const grid_cell *cc = role_cell(x, t, r, CONFIG_PCOL_COUNT);
    double v;
    if (cc && (cc->type == WB_NUMBER || cc->type == WB_TEXT) &&
        numparse_text(cc->type == WB_TEXT ? cc->text : "", cc->type == WB_TEXT ? cc->len : 0, true, &v) !=
            NUMPARSE_BAD) {
        if (cc->type == WB_NUMBER) v = cc->num;
        if (fabs(v - sum) > pr->c->cfg->checks.sum_count + 1e-9) {
            char a1[16];
            rec_ref(cc->row, cc->col, a1);
            results_add_finding(&pr->ps->res, SEV_WARNING, "total_mismatch", pr->src, x->s->name, a1, pr->unit,
                                pr->year,
                                "Dòng \"Tổng cộng\" ghi %g người nhưng các lớp ở trên cộng lại là %g — "
                                "kiểm tra lại số lượng.", v, sum);
        }
    }
    return true;
}

/* Nữ or DTTS of a class: kept when given and not over the count. */
static void class_part(preader *pr, const sheetx *x, const ptable *t, uint32_t r, int role, plan_class *k,
                       double *val, bool *has, uint32_t *col)
{
    const grid_cell *cell = role_cell(x, t, r, role);
    *col = t->col[role];
    *has = false;
    const char *what = role == CONFIG_PCOL_FEMALE ? "Nữ" : "DTTS";
    if (cell_value(pr, x, cell, false, what, val) <= 0) return;
    if (*val > k->count) {
        char a1[16];
        rec_ref(cell->row, cell->col, a1);
        pr->rejected++;
        results_add_finding(&pr->ps->res, SEV_ERROR, "part_over_whole", pr->src, x->s->name, a1, pr->unit,
                            pr->year, "Ô %s: số %s (%g) lớn hơn số lượng của lớp (%g) — sửa lại số liệu.",
                            a1, what, *val, k->count);
        return;
    }
    *has = true;
}

/* The free-text fields of a class: content, group, time, place, provider, source. */
static void class_texts(preader *pr, const sheetx *x, const ptable *t, uint32_t r, plan_class *k)
{
    const plan_matcher *pm = pr->pm;
    k->content = cell_text(pr, role_cell(x, t, r, CONFIG_PCOL_CONTENT));
    k->group_text = cell_text(pr, role_cell(x, t, r, CONFIG_PCOL_GROUP));
    const struct config_group *in_content = NULL;
    k->metric = plan_match_content(pm, k->content, &in_content);
    k->group = k->group_text[0] ? plan_match_group(pm, k->group_text) : in_content;
    const grid_cell *tc = role_cell(x, t, r, CONFIG_PCOL_TIME);
    if (tc && tc->type == WB_NUMBER) {
        int v = (int)tc->num;
        k->quarter = tc->num == v && v >= 1 && v <= 4 ? v : v >= 5 && v <= 12 ? (v - 1) / 3 + 1 : -1;
    } else if (tc && tc->type == WB_DATE) {
        k->quarter = -1;
    } else {
        k->quarter = plan_quarter_text(pm, cell_text(pr, tc));
    }
    if (k->quarter < 0 && tc) {
        char a1[16];
        rec_ref(tc->row, tc->col, a1);
        results_add_finding(&pr->ps->res, SEV_WARNING, "plan_quarter_unreadable", pr->src, x->s->name, a1,
                            pr->unit, pr->year,
                            "Không đọc được thời gian \"%s\" — ghi quý (Quý I … Quý IV) hoặc tháng.",
                            cell_text(pr, tc));
        k->quarter = 0;
    }
    const char *place = cell_text(pr, role_cell(x, t, r, CONFIG_PCOL_PLACE));
    k->place = place[0] ? plan_place(pm, place) : -1;
    const char *prov = cell_text(pr, role_cell(x, t, r, CONFIG_PCOL_PROVIDER));
    k->provider_unit = prov[0] ? plan_match_provider(pm, prov) : NULL;
    k->provider = k->provider_unit ? k->provider_unit->code : prov;
    const grid_cell *sc = role_cell(x, t, r, CONFIG_PCOL_SOURCE);
    const char *src = cell_text(pr, sc);
    k->source = src[0] ? plan_match_source(pm, src) : NULL;
    if (src[0] && !k->source) {
        char a1[16];
        rec_ref(sc->row, sc->col, a1);
        results_add_finding(&pr->ps->res, SEV_WARNING, "plan_source_unmatched", pr->src, x->s->name, a1,
                            pr->unit, pr->year,
                            "Nguồn kinh phí \"%s\" không khớp nguồn nào (ngân sách địa phương, ngân sách "
                            "Trung ương, cơ quan/đơn vị, tài trợ) — ghi lại nguồn.", src);
    }
}

/* Warnings for a class whose content or group matched nothing. */
static void match_findings(preader *pr, const sheetx *x, const ptable *t, uint32_t r, const plan_class *k)
{
    char a1[16];
    if (!k->metric) {
        rec_ref(r, t->col[CONFIG_PCOL_CONTENT], a1);
        results_add_finding(&pr->ps->res, SEV_WARNING, "plan_content_unmatched", pr->src, x->s->name, a1,
                            pr->unit, pr->year,
                            "Nội dung \"%s\" không khớp nội dung nào của Biểu 02: lớp được ghi vào "
                            "nội dung \"khác\" — ghi tên nội dung theo Biểu 02.",
                            k->content[0] ? k->content : "(để trống)");
    }
    if (!k->group) {
        uint32_t gc = t->col[CONFIG_PCOL_GROUP];
        rec_ref(r, gc != PLAN_NO_COL && k->group_text[0] ? gc : t->col[CONFIG_PCOL_CONTENT], a1);
        results_add_finding(&pr->ps->res, SEV_WARNING, "plan_group_unmatched", pr->src, x->s->name, a1,
                            pr->unit, pr->year,
                            "Đối tượng \"%s\" không khớp nhóm đối tượng nào: lớp được ghi vào nhóm "
                            "\"khác\" — ghi đối tượng theo Biểu 02.",
                            k->group_text[0] ? k->group_text : k->content[0] ? k->content : "(để trống)");
    }
}

/* Non-empty cells of row r. */
static size_t row_count(const sheetx *x, uint32_t r)
{
    size_t a, b;
    row_cells(x, r, &a, &b);
    return b - a;
}

/* One class row → a class (or nothing when its count is rejected). */
static void class_row(preader *pr, const sheetx *x, const ptable *t, uint32_t r, double *sum)
{
    plan_class k;
    memset(&k, 0, sizeof k);
    k.src = pr->src;
    k.unit = pr->unit;
    k.year = pr->year;
    k.sheet = results_str(&pr->ps->res, x->s->name);
    k.row = r;
    k.count_col = t->col[CONFIG_PCOL_COUNT];
    k.content_col = t->col[CONFIG_PCOL_CONTENT];
    k.group_col = role_cell(x, t, r, CONFIG_PCOL_GROUP) ? t->col[CONFIG_PCOL_GROUP] : PLAN_NO_COL;
    k.provider_col = t->col[CONFIG_PCOL_PROVIDER];
    k.cost_col = t->col[CONFIG_PCOL_COST];
    size_t before = pr->rejected;
    int rc = cell_value(pr, x, role_cell(x, t, r, CONFIG_PCOL_COUNT), false, "Số lượng", &k.count);
    if (rc >= 0) {
        class_part(pr, x, t, r, CONFIG_PCOL_FEMALE, &k, &k.female, &k.has_female, &k.female_col);
        class_part(pr, x, t, r, CONFIG_PCOL_ETHNIC, &k, &k.ethnic, &k.has_ethnic, &k.ethnic_col);
        k.has_cost = cell_value(pr, x, role_cell(x, t, r, CONFIG_PCOL_COST), true, "Kinh phí", &k.cost) > 0;
        class_texts(pr, x, t, r, &k);
        match_findings(pr, x, t, r, &k);
    }
    size_t cells = row_count(x, r), rej = pr->rejected - before;
    if (rc < 0) {
        pr->rejected += cells > rej ? cells - rej : 0;   /* the whole row goes */
        return;
    }
    pr->recorded += cells > rej ? cells - rej : 0;
    *sum += k.count;
    if (!buf_grow_array((void **)&pr->ps->cls, &pr->ps->cap, pr->ps->n + 1, sizeof k)) {
        pr->ps->res.oom = true;
        return;
    }
    pr->ps->cls[pr->ps->n++] = k;
}

/* Is row r a heading ("I. Đào tạo"): no count, parts, cost or group? */
static bool heading_row(const sheetx *x, const ptable *t, uint32_t r)
{
    static const int roles[] = {CONFIG_PCOL_COUNT, CONFIG_PCOL_FEMALE, CONFIG_PCOL_ETHNIC,
                                CONFIG_PCOL_COST, CONFIG_PCOL_GROUP};
    for (size_t i = 0; i < sizeof roles / sizeof *roles; i++)
        if (role_cell(x, t, r, roles[i])) return false;
    return true;
}

/* Columns of t without a role that hold something in its rows. */
static void unmapped_columns(preader *pr, const sheetx *x, const ptable *t)
{
    for (uint32_t col = t->c0; col <= t->c1 && t->c0 != UINT32_MAX; col++) {
        bool mapped = false;
        for (int k = 0; k < CONFIG_PCOL_N; k++) mapped |= t->col[k] == col;
        if (mapped) continue;
        const grid_cell *first = NULL;
        for (uint32_t r = t->first; r <= t->last && r != UINT32_MAX && !first; r++)
            if (!heading_row(x, t, r)) first = cell_at(x, r, col);
        if (!first) continue;
        const grid_cell *h = NULL;
        for (uint32_t r = t->top; r <= t->bottom && !h; r++) h = shown_at(x, r, col);
        char a1[16], txt[160];
        rec_ref(h ? h->row : first->row, h ? h->col : first->col, a1);
        rec_copy_utf8(txt, sizeof txt, h && h->type == WB_TEXT ? h->text : "");
        results_add_finding(&pr->ps->res, SEV_WARNING, "unmapped_column", pr->src, x->s->name, a1, pr->unit,
                            pr->year,
                            "Cột \"%s\" của kế hoạch không khớp cột nào của mẫu (nội dung, đối tượng, số "
                            "lượng, thời gian, địa điểm, cơ sở đào tạo, kinh phí, nguồn): số liệu trong cột "
                            "không được tổng hợp.", txt);
    }
}

static void extract_table(preader *pr, const ptable *t)
{
    const sheetx *x = &pr->c->sx[t->sheet];
    double sum = 0;
    unmapped_columns(pr, x, t);
    for (uint32_t r = t->first; r <= t->last && r != UINT32_MAX && !pr->ps->res.oom; r++) {
        if (rec_row_blank(x, r) || heading_row(x, t, r)) continue;
        if (total_row(pr, x, t, r, sum)) continue;
        class_row(pr, x, t, r, &sum);
    }
}

/* ---- unit and year ------------------------------------------------------------------- */

/* Unit and year of the plan; false when either is unknown (the errors are
 * added only when the plan may be of the year wanted: a plan of another
 * year is no business of this run). */
static bool identify(preader *pr, const char *path, int want_year, ident_result *id)
{
    rctx *c = pr->c;
    uint32_t *rows = calloc(c->nsheets ? c->nsheets : 1, sizeof *rows);
    if (!rows) { c->oom = true; return false; }
    for (size_t si = 0; si < c->nsheets; si++) rows[si] = IDENT_SKIP_SHEET;
    for (size_t i = pr->nt; i-- > 0;) rows[pr->t[i].sheet] = pr->t[i].top;
    memset(id, 0, sizeof *id);
    ident_workbook_ix(pr->pm->ix, &c->view, path, rows, id);
    free(rows);
    pr->unit = id->unit ? results_str(&pr->ps->res, id->unit->code) : NULL;
    pr->year = id->year;
    results *res = &pr->ps->res;
    if (want_year && id->year && id->year != want_year) return id->unit != NULL;
    if (!id->unit)
        results_add_finding(res, SEV_ERROR, id->ambiguous ? "unit_ambiguous" : "unit_unknown", pr->src,
                            id->unit_sheet, NULL, NULL, id->year,
                            "Không xác định được đơn vị lập kế hoạch \"%s\" — ghi rõ \"Đơn vị: …\" ở đầu "
                            "kế hoạch (các lớp của tệp chưa được tổng hợp).", id->unit_text);
    if (!id->year)
        results_add_finding(res, SEV_ERROR, "year_missing", pr->src, NULL, NULL, pr->unit, 0,
                            "Không xác định được năm của kế hoạch — ghi \"NĂM YYYY\" vào tiêu đề (các "
                            "lớp của tệp chưa được tổng hợp).");
    return id->unit && id->year;
}

/* The plan's tables as the recognizer's (their extent only), so the reports'
 * legacy and outside-the-tables findings read them: has_table and the first
 * header row of each sheet, one rtable per list table. */
static void as_rec_tables(preader *pr)
{
    rctx *c = pr->c;
    for (size_t i = pr->nt; i-- > 0;) {
        sheetx *x = &c->sx[pr->t[i].sheet];
        x->has_table = true;
        x->first_header_row = pr->t[i].top;
    }
    for (size_t i = 0; i < pr->nt; i++) {
        if (!buf_grow_array((void **)&c->tables, &c->captables, c->ntables + 1, sizeof *c->tables)) {
            c->oom = true;
            return;
        }
        const ptable *t = &pr->t[i];
        rtable *rt = &c->tables[c->ntables++];
        memset(rt, 0, sizeof *rt);
        rt->sheet = t->sheet;
        rt->hdr_top = t->top;
        rt->data_last = t->last >= t->first ? t->last : t->bottom;
        rt->last_col = t->c1;
    }
}

/* ---- public ------------------------------------------------------------------------------ */

static size_t book_cells(const grid_book *book)
{
    size_t n = 0;
    for (size_t si = 0; si < book->nsheets; si++) n += book->sheets[si].ncells;
    return n;
}

int plan_read(const plan_matcher *pm, const grid_book *book, plan_set *ps, uint32_t src, int want_year)
{
    rctx c;
    memset(&c, 0, sizeof c);
    c.cfg = pm->cfg;
    c.rx = pm->rx;
    c.ix = pm->rx->ix;
    c.nix = pm->rx->nix;
    c.prefix = pm->rx->prefix;
    c.nprefix = pm->rx->nprefix;
    c.res = &ps->res;
    c.src = src;
    arena_init(&c.mem);
    preader pr = {.pm = pm, .c = &c, .ps = ps, .src = src};
    int kept = -1;
    rec_prepare(&c, book);
    if (!c.oom && view_is_plan(&pr)) {
        kept = 0;
        for (size_t si = 0; si < c.nsheets; si++) locate_sheet(&pr, (uint32_t)si);
        source_file *sf = src < ps->res.nsources ? &ps->res.sources[src] : NULL;
        ident_result id;
        bool ok = identify(&pr, sf ? sf->path : "", want_year, &id);
        if (sf) {
            sf->unit = pr.unit;
            sf->year = pr.year;
            sf->report_date = id.report_date;
        }
        if (ok && want_year && pr.year != want_year) {
            kept = 0;
        } else if (ok) {
            size_t n0 = ps->n;
            c.unit = pr.unit;
            c.year = pr.year;
            as_rec_tables(&pr);
            rec_legacy_findings(&c);
            if (pr.nt == 0)
                results_add_finding(&ps->res, SEV_ERROR, "plan_no_table", src, NULL, NULL, pr.unit, pr.year,
                                    "Không tìm thấy bảng danh sách lớp (cột \"Nội dung\" và \"Số lượng\") "
                                    "trong kế hoạch — dùng mẫu kế hoạch của Sở Nội vụ.");
            for (size_t i = 0; i < pr.nt; i++) extract_table(&pr, &pr.t[i]);
            rec_outside_findings(&c);
            kept = (int)(ps->n - n0);
        }
        if (sf) {
            sf->cells_read = book_cells(book);
            sf->cells_recorded = pr.recorded;
            sf->cells_rejected = pr.rejected;
            sf->cells_outside = sf->cells_read - pr.recorded - pr.rejected;
            sf->records = (size_t)(kept > 0 ? kept : 0);
        }
    }
    free(c.tables);
    free(c.pend);
    buf_free(&c.b1);
    buf_free(&c.b2);
    buf_free(&c.b3);
    arena_free(&c.mem);
    if (c.oom) ps->res.oom = true;
    return kept;
}
