/* pipeline/recognize.c — form recognition: the steps in order, unit and year,
 * commit and cell accounting (see recognize.h for the contract, rec_ctx.h for
 * the steps). */
#include "pipeline/recognize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pipeline/rec_ctx.h"
#include "base/fold.h"
#include "base/text.h"
#include "input/workbook.h"
#include "pipeline/ident.h"
#include "pipeline/numparse.h"

/* "Sở Y tế (so-y-te), Sở Tư pháp (so-tu-phap)" into out. */
static void candidates_text(const ident_result *id, char *out, size_t cap)
{
    buf b = BUF_INIT;
    for (size_t i = 0; i < id->n_candidates && i < 3; i++) {
        if (!id->candidates[i]) continue;
        if (b.len) buf_puts(&b, ", ");
        buf_printf(&b, "%s (%s)", id->candidates[i]->name, id->candidates[i]->code);
    }
    rec_copy_utf8(out, cap, buf_str(&b));
    buf_free(&b);
}

/* A unit decided on a weak clue (the file or folder name: nothing in the
 * title block names it), or a title block that names another unit than the
 * file name does, is a warning naming the clue used: a figure credited to
 * the wrong unit is worse than a missing one. */
static void unit_clue_findings(rctx *c, const ident_result *id, const char *a1)
{
    if (!id->unit) return;
    if (id->clue == IDENT_CLUE_FILE || id->clue == IDENT_CLUE_FOLDER)
        results_add_finding(c->res, SEV_WARNING, "unit_weak", c->src, NULL, NULL, c->unit, c->year,
                            "Phần đầu biểu không ghi tên đơn vị; số liệu được ghi cho %s (%s) chỉ dựa vào "
                            "tên %s \"%s\" — ghi rõ \"Đơn vị báo cáo: …\" ở đầu biểu.",
                            id->unit->name, id->unit->code, id->clue == IDENT_CLUE_FILE ? "tệp" : "thư mục",
                            id->unit_text);
    else if (id->file_unit && id->file_unit != id->unit)
        results_add_finding(c->res, SEV_WARNING, "unit_conflict", c->src, id->unit_sheet, a1, c->unit,
                            c->year,
                            "Phần đầu biểu ghi \"%s\" là %s (%s), còn tên tệp chỉ %s (%s); số liệu được "
                            "ghi cho %s theo phần đầu biểu — kiểm tra lại đơn vị báo cáo.",
                            id->unit_text, id->unit->name, id->unit->code, id->file_unit->name,
                            id->file_unit->code, id->unit->name);
}

/* Findings about unit and year; returns true when the file's records may be added. */
static bool unit_year_findings(rctx *c, const ident_result *id)
{
    results *res = c->res;
    char a1[16] = "", cands_s[600];
    bool ok = true;
    candidates_text(id, cands_s, sizeof cands_s);
    if (id->unit_sheet) rec_ref(id->unit_row, id->unit_col, a1);
    if (!id->unit) {
        ok = false;
        const char *txt = id->unit_text[0] ? id->unit_text : "";
        if (id->ambiguous)
            results_add_finding(res, SEV_ERROR, "unit_ambiguous", c->src, id->unit_sheet, a1, NULL, c->year,
                                "Tên đơn vị \"%s\" ứng với nhiều đơn vị: %s. Ghi đầy đủ tên đơn vị ở dòng "
                                "\"Đơn vị báo cáo: …\" (số liệu của tệp chưa được tổng hợp).",
                                txt, cands_s[0] ? cands_s : "?");
        else if (txt[0])
            results_add_finding(res, SEV_ERROR, "unit_unknown", c->src, id->unit_sheet, a1, NULL, c->year,
                                "Không nhận ra đơn vị \"%s\" trong danh mục đơn vị.%s%s%s Ghi đúng tên đơn "
                                "vị ở dòng \"Đơn vị báo cáo: …\" (số liệu của tệp chưa được tổng hợp).",
                                txt, cands_s[0] ? " Có phải: " : "", cands_s, cands_s[0] ? "?" : "");
        else
            results_add_finding(res, SEV_ERROR, "unit_unknown", c->src, NULL, NULL, NULL, c->year,
                                "Không tìm thấy tên đơn vị báo cáo ở phần đầu biểu hay trong tên tệp.%s%s%s "
                                "Ghi tên đơn vị ở dòng \"Đơn vị báo cáo: …\" (số liệu của tệp chưa được "
                                "tổng hợp).",
                                cands_s[0] ? " Có phải: " : "", cands_s, cands_s[0] ? "?" : "");
    }
    unit_clue_findings(c, id, a1);
    char y1[16] = "";
    if (id->year_sheet) rec_ref(id->year_row, id->year_col, y1);
    if (!id->year) {
        ok = false;
        results_add_finding(res, SEV_ERROR, "year_missing", c->src, NULL, NULL, c->unit, 0,
                            "Không xác định được năm báo cáo (không có ở tiêu đề, tên tệp hay tên thư mục). "
                            "Ghi \"NĂM YYYY\" vào tiêu đề báo cáo (số liệu của tệp chưa được tổng hợp).");
    } else {
        int yt = id->year_title;
        if (yt && ((id->year_file && id->year_file != yt) || (id->year_folder && id->year_folder != yt)))
            results_add_finding(res, SEV_WARNING, "year_conflict", c->src, id->year_sheet, y1, c->unit,
                                id->year,
                                "Năm ở tiêu đề (%d) khác năm ở tên tệp (%d) / thư mục (%d); lấy năm %d theo "
                                "tiêu đề — kiểm tra lại năm báo cáo.",
                                yt, id->year_file, id->year_folder, yt);
        const struct config_plan *p = &c->cfg->plan;
        if (id->year < p->first_year || id->year > p->last_year) {
            ok = false;
            results_add_finding(res, SEV_ERROR, "year_outside_plan", c->src, id->year_sheet, y1, c->unit,
                                id->year,
                                "Năm báo cáo %d nằm ngoài thời gian của Kế hoạch (%d–%d); số liệu của tệp "
                                "chưa được tổng hợp — kiểm tra lại năm ở tiêu đề.",
                                id->year, p->first_year, p->last_year);
        }
        if (id->unit && !config_unit_active_in_year(id->unit, id->year)) {
            results_add_finding(res, SEV_WARNING, "unit_inactive", c->src, id->unit_sheet, a1, c->unit,
                                id->year,
                                "Đơn vị %s (%s) không còn / chưa hoạt động trong năm %d — kiểm tra lại đơn "
                                "vị và năm báo cáo.",
                                id->unit->name, id->unit->code, id->year);
        }
    }
    return ok;
}

/* Display name of a legacy encoding for messages. */
static const char *enc_label(vnenc_kind k)
{
    switch (k) {
    case VNENC_TCVN3: return "TCVN3 (.VnTime)";
    case VNENC_TCVN3_H: return "TCVN3 (.VnTimeH)";
    case VNENC_VNI: return "VNI (VNI-Times)";
    default: return "?";
    }
}

/* Unit and year from the title rows above each sheet's first table. */
static void identify(rctx *c, const char *path, ident_result *id)
{
    memset(id, 0, sizeof *id);
    uint32_t *title_rows = c->nsheets ? calloc(c->nsheets, sizeof *title_rows) : NULL;
    if (c->nsheets && !title_rows) { c->oom = true; return; }
    for (size_t si = 0; si < c->nsheets; si++) {
        const sheetx *x = &c->sx[si];
        title_rows[si] = x->has_table && x->first_header_row > 0 ? x->first_header_row : IDENT_SKIP_SHEET;
    }
    ident_workbook_ix(c->rx->ident, &c->view, path, c->ntables ? title_rows : NULL, id);
    free(title_rows);
}

/* The year table ti's own title states (rows between the table above it on
 * its sheet and its header): one strong or cut-off year, else 0. */
static int own_title_year(const rctx *c, size_t ti)
{
    const rtable *t = &c->tables[ti];
    const sheetx *x = &c->sx[t->sheet];
    uint32_t top = 0;
    for (size_t k = 0; k < ti; k++)
        if (c->tables[k].sheet == t->sheet && c->tables[k].data_last + 1 > top) top = c->tables[k].data_last + 1;
    int year = 0;
    for (size_t i = x->rowstart[top < x->s->nrows ? top : x->s->nrows]; i < x->s->ncells; i++) {
        const grid_cell *cell = &x->s->cells[i];
        if (cell->row >= t->hdr_top) break;
        if (cell->type != WB_TEXT || !cell->text) continue;
        int y = ident_title_year(cell->text, cell->len);
        if (!y) continue;
        if (year && year != y) return 0;
        year = y;
    }
    return year;
}

/* A table whose own title states another year of the plan than the
 * workbook's is that year's (info table_year names it). */
static void table_years(rctx *c)
{
    const struct config_plan *p = &c->cfg->plan;
    for (size_t ti = 0; ti < c->ntables; ti++) {
        int y = own_title_year(c, ti);
        if (!y || y == c->year || y < p->first_year || y > p->last_year) continue;
        rtable *t = &c->tables[ti];
        t->year = y;
        char tname[32], a1[16];
        rec_table_name(t->table, tname);
        rec_ref(t->hdr_top, t->label_col, a1);
        results_add_finding(c->res, SEV_INFO, "table_year", c->src, c->sx[t->sheet].s->name, a1, c->unit, y,
                            "Tiêu đề của %s ghi năm %d, khác năm %d của tệp: số liệu của biểu này được "
                            "ghi cho năm %d.",
                            tname, y, c->year, y);
    }
}

/* See rec_ctx.h. */
void rec_legacy_findings(rctx *c)
{
    for (size_t si = 0; si < c->nsheets; si++) {
        const sheetx *x = &c->sx[si];
        if (!x->has_table || !x->nrepaired) continue;
        const grid_cell *fc = &x->s->cells[x->first_repaired];
        char a1[16];
        rec_ref(fc->row, fc->col, a1);
        results_add_finding(c->res, SEV_INFO, "legacy_encoding_repaired", c->src, x->s->name, a1, c->unit,
                            c->year,
                            "Đã chuyển %zu ô chữ gõ bằng bảng mã cũ %s sang Unicode (ô đầu tiên: %s). "
                            "Lần sau hãy gõ bằng Unicode.",
                            x->nrepaired, enc_label(x->repaired_kind), a1);
    }
}

/* Is cell i of sheet si inside a located table (header band to last data
 * row, from column A to its last column)? */
static bool in_a_table(const rctx *c, uint32_t si, const grid_cell *cell)
{
    for (size_t t = 0; t < c->ntables; t++) {
        const rtable *tb = &c->tables[t];
        if (tb->sheet == si && cell->row >= tb->hdr_top && cell->row <= tb->data_last &&
            cell->col <= tb->last_col)
            return true;
    }
    return false;
}

/* One warning for a block of numbers outside every table. */
static void warn_block(rctx *c, const sheetx *x, uint32_t r1, uint32_t c1, uint32_t r2, uint32_t c2,
                       size_t n)
{
    char a[16], b[16], range[40];
    rec_ref(r1, c1, a);
    rec_ref(r2, c2, b);
    if (r1 == r2 && c1 == c2) snprintf(range, sizeof range, "%s", a);
    else snprintf(range, sizeof range, "%s:%s", a, b);
    results_add_finding(c->res, SEV_WARNING, "cells_outside_tables", c->src, x->s->name, a, c->unit, c->year,
                        "Vùng %s có %zu ô số nằm ngoài mọi bảng đã nhận ra: các số này chưa được tổng "
                        "hợp. Kiểm tra bảng có bị cắt ngang (dòng trống, dòng lạ) hay số liệu ghi ngoài "
                        "biểu không.",
                        range, n);
}

/* See rec_ctx.h. */
void rec_outside_findings(rctx *c)
{
    for (uint32_t si = 0; si < c->nsheets; si++) {
        const sheetx *x = &c->sx[si];
        if (!x->has_table) continue;
        bool open = false;
        uint32_t r1 = 0, c1 = 0, r2 = 0, c2 = 0;
        size_t n = 0;
        for (size_t i = 0; i < x->s->ncells; i++) {
            const grid_cell *cell = &x->s->cells[i];
            if (cell->row < x->first_header_row || x->ci[i].fate != FATE_OUTSIDE ||
                !rec_cell_numeric(cell) || in_a_table(c, si, cell))
                continue;
            if (open && cell->row > r2 + 2) { warn_block(c, x, r1, c1, r2, c2, n); open = false; }
            if (!open) { open = true; r1 = r2 = cell->row; c1 = c2 = cell->col; n = 0; }
            r2 = cell->row;
            if (cell->col < c1) c1 = cell->col;
            if (cell->col > c2) c2 = cell->col;
            n++;
        }
        if (open) warn_block(c, x, r1, c1, r2, c2, n);
    }
}

/* Records and totals go to res only when unit and year are known (ok);
 * otherwise the cells they came from count as rejected. */
static void commit(rctx *c, bool ok)
{
    results *res = c->res;
    for (size_t i = 0; i < c->npend && !res->oom; i++) {
        const pend *p = &c->pend[i];
        if (!ok) {
            if (!p->total && p->cell != SIZE_MAX) c->sx[p->sheet].ci[p->cell].fate = FATE_REJECTED;
            continue;
        }
        record rec = { .source = c->src, .unit = c->unit, .year = p->year ? p->year : c->year,
                       .table = p->table,
                       .group = p->group, .metric = p->metric, .breakdown = p->bd, .value = p->value,
                       .sheet = c->sx[p->sheet].s->name, .row = p->row, .col = p->col };
        if (p->total) results_add_total(res, &rec);
        else results_add_record(res, &rec);
    }
}

/* cells_read == cells_recorded + cells_rejected + cells_outside (recognize.h). */
static void count_cells(const rctx *c, const grid_book *book, source_file *sf)
{
    size_t read = 0, recorded = 0, rejected = 0;
    for (size_t si = 0; si < book->nsheets; si++) read += book->sheets[si].ncells;
    for (size_t si = 0; si < c->nsheets && c->sx; si++)
        for (size_t i = 0; c->sx[si].s && c->sx[si].ci && i < c->sx[si].s->ncells; i++) {
            recorded += c->sx[si].ci[i].fate == FATE_RECORDED;
            rejected += c->sx[si].ci[i].fate == FATE_REJECTED;
        }
    sf->cells_read = read;
    sf->cells_recorded = recorded;
    sf->cells_rejected = rejected;
    sf->cells_outside = read - recorded - rejected;
}

/* See recognize.h: locate, identify, extract, then commit or reject. */
int recognize_workbook_ix(const rec_index *rx, rec_cache *cache, const grid_book *book,
                          results *res, uint32_t src)
{
    rctx c;
    memset(&c, 0, sizeof c);
    c.cfg = rx->cfg;
    c.rx = rx;
    c.cache = cache;
    c.ix = rx->ix;
    c.nix = rx->nix;
    c.prefix = rx->prefix;
    c.nprefix = rx->nprefix;
    c.res = res;
    c.src = src;
    arena_init(&c.mem);
    source_file *sf = src < res->nsources ? &res->sources[src] : NULL;

    rec_prepare(&c, book);
    for (size_t si = 0; si < c.nsheets && !c.oom; si++) rec_locate_sheet(&c, (uint32_t)si);

    ident_result id;
    memset(&id, 0, sizeof id);
    if (!c.oom) identify(&c, sf ? sf->path : "", &id);
    c.unit = id.unit ? id.unit->code : NULL;
    c.unit_ent = id.unit;
    c.year = id.year;
    /* A file without any table of the form is no report: it names no unit
     * or year in sources.csv, whatever words its cells happen to hold. */
    if (sf && c.ntables > 0) {
        sf->unit = id.unit ? results_str(res, id.unit->code) : NULL;
        sf->year = id.year;
        sf->report_date = id.report_date;
    }

    bool ok = false;
    if (c.ntables == 0 && !c.oom) {
        results_add_finding(res, SEV_ERROR, "no_form", src, NULL, NULL, c.unit, c.year,
                            "Không tìm thấy biểu báo cáo nào (Biểu 01, 02, 03) trong tệp: không có bảng "
                            "nào có tiêu đề cột và dòng đối tượng khớp mẫu. Hãy dùng đúng mẫu biểu của Sở "
                            "Nội vụ.");
    } else if (!c.oom) {
        ok = unit_year_findings(&c, &id);
        c.quiet = !ok;
        if (ok) rec_legacy_findings(&c);
        if (ok) table_years(&c);
        for (size_t ti = 0; ti < c.ntables && !c.oom; ti++) rec_extract_table(&c, &c.tables[ti]);
        if (ok) rec_outside_findings(&c);
    }
    /* Out of memory in this file's recognition: the file is rejected with a
     * finding and the run goes on (what recognition holds is freed below);
     * only results that cannot grow (res->oom) stop the run. */
    commit(&c, ok && !c.oom);
    if (sf) count_cells(&c, book, sf);
    if (c.oom)
        results_add_finding(res, SEV_ERROR, "file_limit", src, NULL, NULL, c.unit, c.year,
                            "Không đủ bộ nhớ để nhận dạng biểu trong tệp: không số liệu nào của tệp "
                            "được dùng, các tệp khác vẫn được đọc — tệp quá lớn hoặc cố ý gây hại; "
                            "đề nghị đơn vị gửi lại báo cáo đúng mẫu");

    int n = (int)c.ntables;
    free(c.tables);
    free(c.pend);
    buf_free(&c.b1);
    buf_free(&c.b2);
    buf_free(&c.b3);
    arena_free(&c.mem);
    return n;
}

int recognize_workbook(const struct config *cfg, const grid_book *book, results *res, uint32_t src)
{
    rec_index *rx = recognize_index_new(cfg);
    if (!rx) {
        res->oom = true;
        return 0;
    }
    int n = recognize_workbook_ix(rx, NULL, book, res, src);
    recognize_index_free(rx);
    return n;
}
